#include "tools/vae/evaluator.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/keep_freed_memory.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/vae/losses.h"
#include "tools/vae/vae_model.h"
#include "tools/vae/vae_schema.h"

namespace wae::vae {
namespace {

namespace fs = std::filesystem;

// Distinct colours for up to 12 families (NSynth has 11), then they repeat.
constexpr const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                    "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                    "#bcbd22", "#17becf", "#000000", "#f5c400"};
constexpr double kImageFloorDb = -80.0;  // colour range of the mel images, dB re 1.0
constexpr double kImageTopDb = 10.0;

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error(path + ": cannot write");
}

void writeTextAtomically(const std::string& path, const std::string& text) {
  AtomicFile file(path);
  writeText(file.partialPath(), text);
  file.commit();
}

// The terminal gnuplot offers: pngcairo, else png; "" if gnuplot is missing.
std::string gnuplotTerminal() {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) return "";
  if (std::system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0) return "pngcairo";
  if (std::system("gnuplot -e 'set terminal png' >/dev/null 2>&1") == 0) return "png";
  return "";
}

// Runs a gnuplot script that writes `png` (through an atomic partial file). Returns "" or
// the reason it failed.
std::string runGnuplot(const std::string& scriptPath, const std::string& script,
                       const std::string& png) {
  AtomicFile file(png);
  writeText(scriptPath,
            "set output " + quoted(file.partialPath()) + "\n" + script + "unset output\n");
  const std::string logPath = scriptPath + ".log";
  const std::string cmd = "gnuplot " + quoted(scriptPath) + " >" + quoted(logPath) + " 2>&1";
  if (std::system(cmd.c_str()) != 0 || !fs::exists(file.partialPath()) ||
      fs::file_size(file.partialPath()) == 0)
    return "gnuplot failed on " + scriptPath + " (see " + logPath + ")";
  file.commit();
  return "";
}

// Means [N, D] on their first two principal components: [N, 2], and the fraction of the
// variance each explains. Eigenvector signs fixed so the largest component is positive.
std::pair<torch::Tensor, std::vector<double>> pca2(const torch::Tensor& mu) {
  const torch::Tensor x = mu.to(torch::kFloat64) - mu.to(torch::kFloat64).mean(0, true);
  const torch::Tensor cov = x.t().mm(x) / double(std::max<int64_t>(1, x.size(0) - 1));
  const auto [values, vectors] = torch::linalg_eigh(cov);  // ascending
  const int64_t d = values.size(0);
  torch::Tensor top = torch::stack({vectors.select(1, d - 1), vectors.select(1, d - 2)}, 1);
  for (int k = 0; k < 2; ++k) {
    torch::Tensor col = top.select(1, k);
    if (col[col.abs().argmax()].item<double>() < 0) col.mul_(-1);
  }
  const double total = values.sum().item<double>();
  std::vector<double> explained = {values[d - 1].item<double>() / total,
                                   values[d - 2].item<double>() / total};
  return {x.mm(top), explained};
}

}  // namespace

std::string defaultEvaluationDir(const std::string& modelPath) {
  const fs::path p(modelPath);
  return (p.parent_path() / (p.stem().string() + ".eval")).string();
}

EvaluateResult evaluateVae(const EvaluateOptions& o, std::ostream& log) {
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.batchSize < 1) throw std::invalid_argument("--batch must be at least 1");
  if (o.figureExamples < 1) throw std::invalid_argument("--figure-examples must be at least 1");
  if (o.pitch != "label" && o.pitch != "encoder")
    throw std::invalid_argument("--pitch must be label or encoder, got \"" + o.pitch + "\"");
  std::vector<dataset::Split> splits;
  try {
    splits = dataset::parseSplitList(o.split);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--") + e.what());
  }
  keepFreedMemory();
  torch::set_num_threads(o.threads);

  VaeInfo info;
  torch::jit::Module model = loadVae(o.modelPath, &info);
  EvaluateResult result;

  // Each split in turn; the first one with examples is kept for the latent statistics and
  // the figures.
  std::optional<dataset::MelDataset> first;
  std::string firstSplit;
  torch::Tensor mus, l1, lsd;
  std::vector<std::string> emptySplits;
  for (const dataset::Split split : splits) {
    const std::string label = dataset::splitLabel(split);
    // The dataset must have been made with the model's settings (the reader names both).
    dataset::MelDataset data(o.datasetPath, {split, false, info.settings});
    const int64_t n = data.mels().size(0);
    if (n == 0) {
      emptySplits.push_back(label);
      continue;
    }
    torch::Tensor splitMus = torch::empty({n, info.config.latentDim});
    torch::Tensor sigmas = torch::empty({n, info.config.latentDim});
    torch::Tensor splitL1 = torch::empty({n}, torch::kFloat64);
    torch::Tensor splitLsd = torch::empty({n}, torch::kFloat64);
    double pitchErr = 0;
    {
      c10::InferenceMode guard;
      for (int64_t begin = 0; begin < n; begin += o.batchSize) {
        const int64_t end = std::min(n, begin + o.batchSize);
        const torch::Tensor mel = data.mels().slice(0, begin, end);
        const auto encoded = model.run_method(method::kEncode, mel).toTuple();
        const torch::Tensor mu = encoded->elements()[0].toTensor();
        sigmas.slice(0, begin, end).copy_(torch::exp(0.5 * encoded->elements()[1].toTensor()));
        torch::Tensor z = mu;
        if (info.config.pitchAxis) {
          const torch::Tensor label =
              pitchCoordinate(data.targets().slice(0, begin, end).select(1, dataset::kLabelPitch),
                              info.pitchCenter, info.pitchScale);
          pitchErr += ((mu.select(1, 0) - label) * info.pitchScale).abs().sum().item<double>();
          if (o.pitch == "label") z = torch::cat({label.unsqueeze(1), mu.slice(1, 1)}, 1);
        }
        const torch::Tensor est = model.run_method(method::kDecode, z).toTensor();
        splitMus.slice(0, begin, end).copy_(mu);
        splitL1.slice(0, begin, end).copy_(melL1(mel, est));
        splitLsd.slice(0, begin, end).copy_(melLsdDb(mel, est));
      }
    }
    // Per family.
    SplitMetrics m;
    m.split = label;
    std::map<int, FamilyMetrics> byFamily;
    for (int64_t i = 0; i < n; ++i) {
      const auto& a = data.annotation(i);
      FamilyMetrics& f = byFamily[a.family];
      f.split = label;
      f.family = a.family;
      f.name = a.familyStr;
      ++f.examples;
      f.melL1 += splitL1[i].item<double>();
      f.melLsdDb += splitLsd[i].item<double>();
    }
    for (auto& [id, f] : byFamily) {
      f.melL1 /= f.examples;
      f.melLsdDb /= f.examples;
      m.families.push_back(f);
    }
    m.overall.split = label;
    m.overall.name = "all";
    m.overall.examples = static_cast<int>(n);
    m.overall.melL1 = splitL1.mean().item<double>();
    m.overall.melLsdDb = splitLsd.mean().item<double>();
    if (info.config.pitchAxis) m.encoderPitchMae = pitchErr / double(n);
    result.splits.push_back(m);
    log << "evaluate_vae: " << label << ": mel LSD " << fixed(m.overall.melLsdDb, 3) << " dB (" << n
        << " examples)";
    if (info.config.pitchAxis)
      log << ", decoded at the " << o.pitch << "'s pitch; the encoder's pitch is "
          << fixed(m.encoderPitchMae, 2) << " semitones off on average";
    log << "\n";

    if (!first) {
      first.emplace(std::move(data));
      firstSplit = label;
      mus = splitMus;
      l1 = splitL1;
      lsd = splitLsd;
      const torch::Tensor spread = splitMus.to(torch::kFloat64).std(0, /*unbiased=*/false);
      const torch::Tensor posterior = sigmas.to(torch::kFloat64).mean(0);
      for (int64_t k = 0; k < spread.size(0); ++k) {
        result.latentMeanStd.push_back(spread[k].item<double>());
        result.latentPosteriorStd.push_back(posterior[k].item<double>());
      }
    }
  }
  for (const std::string& label : emptySplits)
    result.warnings.push_back("split " + label + ": no example in " + o.datasetPath + ", skipped");
  if (!first) throw FormatError(o.datasetPath, o.split + " split", "0 examples", "at least 1");
  const dataset::MelDataset& data = *first;
  const int64_t n = data.mels().size(0);
  result.families = result.splits.front().families;
  result.overall = result.splits.front().overall;

  const std::string outDir = o.outDir.empty() ? defaultEvaluationDir(o.modelPath) : o.outDir;
  fs::create_directories(fs::path(outDir) / "plot_data");

  std::ostringstream csv;
  csv.precision(9);
  csv << "split,family_id,family,examples,mel_l1,mel_lsd_db\n";
  for (const SplitMetrics& m : result.splits) {
    for (const auto& f : m.families)
      csv << m.split << ',' << f.family << ',' << f.name << ',' << f.examples << ',' << f.melL1
          << ',' << f.melLsdDb << '\n';
    csv << m.split << ',' << -1 << ",all," << m.overall.examples << ',' << m.overall.melL1 << ','
        << m.overall.melLsdDb << '\n';
  }
  result.csvPath = (fs::path(outDir) / "metrics.csv").string();
  writeTextAtomically(result.csvPath, csv.str());

  // Latent means on two principal components, one data block per family.
  const fs::path dataDir = fs::path(outDir) / "plot_data";
  std::string pcaTitle;
  const std::string latentData = (dataDir / "latent_pca.dat").string();
  if (n >= 3 && info.config.latentDim >= 2) {
    const auto [proj, explained] = pca2(mus);
    result.explainedVariance = explained;
    std::ostringstream dat;
    dat << "# pc1 pc2 (latent means of the " << firstSplit << " split); one block per family\n";
    for (const auto& f : result.families) {
      dat << "# " << f.name << "\n";
      for (int64_t i = 0; i < n; ++i)
        if (data.annotation(i).family == f.family)
          dat << proj[i][0].item<double>() << ' ' << proj[i][1].item<double>() << '\n';
      dat << "\n\n";
    }
    writeText(latentData, dat.str());
  } else {
    result.warnings.push_back("latent PCA skipped: needs 3 examples and a latent of 2 or more");
  }

  // Mel images: one example per family first, then further ones round-robin.
  std::vector<int64_t> shown;
  {
    std::map<int, std::vector<int64_t>> members;
    for (int64_t i = 0; i < n; ++i) members[data.annotation(i).family].push_back(i);
    for (size_t round = 0; static_cast<int>(shown.size()) < o.figureExamples; ++round) {
      bool any = false;
      for (auto& [id, list] : members)
        if (round < list.size() && static_cast<int>(shown.size()) < o.figureExamples) {
          // Spread through the family (pitch order varies) rather than its first rows.
          shown.push_back(list[(round * 7 + list.size() / 2) % list.size()]);
          any = true;
        }
      if (!any) break;
    }
  }
  {
    c10::InferenceMode guard;
    for (size_t k = 0; k < shown.size(); ++k) {
      const torch::Tensor mel = data.mels().slice(0, shown[k], shown[k] + 1);
      const torch::Tensor est = model.forward({mel}).toTensor();
      for (int side = 0; side < 2; ++side) {
        const torch::Tensor db =
            (20.0 * torch::log10((side == 0 ? mel : est)[0].to(torch::kFloat64) + kMelLsdEpsilon))
                .contiguous();
        std::ostringstream m;
        m.precision(4);
        auto a = db.accessor<double, 2>();
        for (int64_t b = 0; b < db.size(0); ++b) {
          for (int64_t t = 0; t < db.size(1); ++t) m << (t ? " " : "") << a[b][t];
          m << '\n';
        }
        writeText(
            (dataDir / ("mel_" + std::to_string(k) + (side ? "_out" : "_in") + ".txt")).string(),
            m.str());
      }
    }
  }

  if (o.plots) {
    const std::string terminal = gnuplotTerminal();
    if (terminal.empty()) {
      result.warnings.push_back("gnuplot (with a png terminal) not found: PNGs skipped; data in " +
                                dataDir.string());
    } else {
      const std::string font = terminal == "pngcairo" ? " font \"sans,10\"" : "";
      if (!result.explainedVariance.empty()) {
        std::ostringstream gp;
        gp << "set terminal " << terminal << " size 1000,760" << font << "\n"
           << "set termoption noenhanced\n"
           << "set title "
           << quoted("latent means of the " + firstSplit + " split (" + std::to_string(n) +
                     " examples), " + info.regularizer +
                     ", D = " + std::to_string(info.config.latentDim))
           << "\n"
           << "set xlabel "
           << quoted("PC1 (" + fixed(100 * result.explainedVariance[0], 1) + "% of the variance)")
           << "\n"
           << "set ylabel "
           << quoted("PC2 (" + fixed(100 * result.explainedVariance[1], 1) + "% of the variance)")
           << "\n"
           << "set key outside right top\nset grid\n"
           << "plot ";
        for (size_t i = 0; i < result.families.size(); ++i)
          gp << (i ? ", \\\n     " : "") << quoted(latentData) << " index " << i
             << " using 1:2 with points pt 7 ps 0.9 lc rgb " << quoted(kColours[i % 12])
             << " title " << quoted(result.families[i].name);
        gp << "\n";
        const std::string png = (fs::path(outDir) / "latent_pca.png").string();
        const std::string err = runGnuplot((dataDir / "latent_pca.gp").string(), gp.str(), png);
        if (err.empty())
          result.latentPngPath = png;
        else
          result.warnings.push_back(err);
      }
      {
        const int rows = static_cast<int>(shown.size());
        std::ostringstream gp;
        gp << "set terminal " << terminal << " size 1100," << 60 + 200 * rows << font << "\n"
           << "set termoption noenhanced\n"
           << "set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', "
              "4 '#fe9f6d', 5 '#fcfdbf')\n"
           << "set cbrange [" << kImageFloorDb << ":" << kImageTopDb << "]\n"
           << "set xrange [-0.5:" << data.settings().nFrames - 0.5 << "]\n"
           << "set yrange [-0.5:" << data.settings().nMels - 0.5 << "]\n"
           << "set tics font \",8\"\nunset key\n"
           << "set multiplot layout " << rows << ",2 title "
           << quoted(
                  "input mel (left) and model output (right), 20 log10(mel + 1e-4) dB; "
                  "x: frame, y: mel band")
           << "\n";
        for (int k = 0; k < rows; ++k) {
          const auto& a = data.annotation(shown[k]);
          const std::string in = (dataDir / ("mel_" + std::to_string(k) + "_in.txt")).string();
          const std::string out = (dataDir / ("mel_" + std::to_string(k) + "_out.txt")).string();
          gp << "set title " << quoted("input: " + a.noteStr) << "\n"
             << "plot " << quoted(in) << " matrix with image\n"
             << "set title "
             << quoted("output: L1 " + fixed(l1[shown[k]].item<double>(), 4) + ", LSD " +
                       fixed(lsd[shown[k]].item<double>(), 2) + " dB")
             << "\n"
             << "plot " << quoted(out) << " matrix with image\n";
        }
        gp << "unset multiplot\n";
        const std::string png = (fs::path(outDir) / "reconstructions.png").string();
        const std::string err =
            runGnuplot((dataDir / "reconstructions.gp").string(), gp.str(), png);
        if (err.empty())
          result.reconstructionPngPath = png;
        else
          result.warnings.push_back(err);
      }
    }
  }
  for (const auto& w : result.warnings) log << "evaluate_vae: warning: " << w << "\n";
  return result;
}

std::string formatTable(const EvaluateResult& r) {
  std::ostringstream os;
  char cell[96];
  // Header: the split names over their three columns, then the column names.
  std::string header(14, ' ');
  for (const SplitMetrics& m : r.splits) {
    std::snprintf(cell, sizeof cell, " | %-30s", m.split.c_str());
    header += cell;
  }
  os << header.substr(0, header.find_last_not_of(' ') + 1) << "\n";
  std::snprintf(cell, sizeof cell, "%-14s", "family");
  os << cell;
  for (size_t k = 0; k < r.splits.size(); ++k) {
    std::snprintf(cell, sizeof cell, " | %8s %10s %11s", "examples", "mel L1", "mel LSD dB");
    os << cell;
  }
  os << "\n";
  // One row per family met in any split, then "all"; "-" where a split lacks the family.
  std::map<int, std::string> families;
  for (const SplitMetrics& m : r.splits)
    for (const auto& f : m.families) families[f.family] = f.name;
  auto row = [&](const std::string& name, auto find) {
    std::snprintf(cell, sizeof cell, "%-14s", name.substr(0, 14).c_str());
    os << cell;
    for (const SplitMetrics& m : r.splits) {
      const FamilyMetrics* f = find(m);
      if (f)
        std::snprintf(cell, sizeof cell, " | %8d %10.6f %11.3f", f->examples, f->melL1,
                      f->melLsdDb);
      else
        std::snprintf(cell, sizeof cell, " | %8s %10s %11s", "-", "-", "-");
      os << cell;
    }
    os << "\n";
  };
  for (const auto& [id, name] : families)
    row(name, [id = id](const SplitMetrics& m) -> const FamilyMetrics* {
      for (const auto& f : m.families)
        if (f.family == id) return &f;
      return nullptr;
    });
  row("all", [](const SplitMetrics& m) { return &m.overall; });
  if (r.splits.size() > 1 && r.splits.front().overall.melLsdDb > 0) {
    os << "mel LSD over " << r.splits.front().split << "'s:";
    for (size_t k = 1; k < r.splits.size(); ++k)
      os << " " << r.splits[k].split << " "
         << fixed(r.splits[k].overall.melLsdDb / r.splits.front().overall.melLsdDb, 2) << "x";
    os << "\n";
  }
  auto list = [&](const std::vector<double>& v) {
    std::string out;
    for (double x : v) out += " " + fixed(x, 2);
    return out;
  };
  os << "latent (" << r.splits.front().split << "), per dimension: std of the means"
     << list(r.latentMeanStd) << "\n"
     << std::string(r.splits.front().split.size() + 24, ' ') << "mean posterior std"
     << list(r.latentPosteriorStd) << "\n";
  return os.str();
}

}  // namespace wae::vae

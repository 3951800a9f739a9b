#include "tools/inversion/evaluate.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/keep_freed_memory.h"
#include "common/progress.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/metrics.h"
#include "tools/audio/spectrogram.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/dataset/split.h"
#include "tools/inversion/inverter.h"
#include "tools/training/training_util.h"

namespace wae::inversion {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using training::fixedString;

dataset::Split parseSplit(const std::string& s) {
  try {
    return dataset::parseSplit(s);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--") + e.what());
  }
}

// A short name for files and the PNG: "mcnn", "gl32", ...
std::string shortName(const InverterInfo& info, const std::string& spec) {
  if (info.kind == "griffin-lim") {
    const auto colon = info.description.find(':');
    return "gl" + info.description.substr(colon + 1, info.description.find(' ') - colon - 1);
  }
  return fs::path(spec).stem().string();
}

std::string safeFileName(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return s;
}

// log-magnitude spectrogram in dB relative to `reference` dB, floored at -80 dB: [F, T].
torch::Tensor spectrogramDb(const torch::Tensor& wave, const AudioSettings& s, double refMax) {
  const torch::Tensor mag = stft(wave.to(torch::kFloat64), s).abs();
  return (20.0 * torch::log10(mag / refMax + 1e-12)).clamp(-80.0, 0.0).to(torch::kFloat32);
}

void writePng(const std::string& pngPath, const std::vector<std::string>& rowNames,
              const std::vector<std::vector<torch::Tensor>>& images,  // [row][column] [F, T]
              const std::vector<std::string>& columnNames, const AudioSettings& s) {
  AtomicFile png(pngPath);
  const std::string base = png.partialPath();
  std::vector<std::string> files;
  std::ostringstream gp;
  const size_t rows = images.size(), cols = images[0].size();
  gp << "set terminal pngcairo size " << 380 * cols << "," << 230 * rows + 40 << " font 'sans,9'\n"
     << "set output '" << base << "'\n"
     << "set multiplot layout " << rows << "," << cols
     << " title 'Spectrograms (dB re the reference maximum), rows: reference and inverters'\n"
     << "set palette defined (0 'black', 1 'blue', 2 'red', 3 'yellow', 4 'white')\n"
     << "set cbrange [-80:0]\nunset colorbox\nset xlabel 'time (s)'\nset ylabel 'Hz'\n"
     << "set yrange [0:" << s.sampleRate / 2 << "]\n";
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) {
      const torch::Tensor img = images[r][c].contiguous();
      const std::string file = base + "." + std::to_string(r) + "_" + std::to_string(c) + ".f32";
      {
        std::ofstream out(file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(img.data_ptr<float>()), img.numel() * 4);
      }
      files.push_back(file);
      gp << "set title '" << rowNames[r] << ": " << columnNames[c] << "' noenhanced\n"
         << "set xrange [0:" << double(img.size(1)) * s.hopLength / s.sampleRate << "]\n"
         << "plot '" << file << "' binary array=(" << img.size(1) << "," << img.size(0)
         << ") dx=" << double(s.hopLength) / s.sampleRate << " dy=" << double(s.sampleRate) / s.nFft
         << " format='%float' with image notitle\n";
    }
  gp << "unset multiplot\n";
  const std::string script = base + ".gp";
  {
    std::ofstream out(script);
    out << gp.str();
  }
  const std::string cmd = "gnuplot '" + script + "'";
  const int rc = std::system(cmd.c_str());
  for (const auto& f : files) std::remove(f.c_str());
  std::remove(script.c_str());
  if (rc != 0) throw std::runtime_error("gnuplot failed (" + std::to_string(rc) + "): " + cmd);
  png.commit();
}

}  // namespace

EvaluateResult evaluateInversion(const EvaluateOptions& o, std::ostream& log) {
  if (o.inverters.empty()) throw std::invalid_argument("no inverter to evaluate");
  if (o.batchSize < 1) throw std::invalid_argument("--batch must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.examples < 0 || o.figureExamples < 0)
    throw std::invalid_argument("--examples and --figure-examples must be >= 0");
  keepFreedMemory();
  torch::set_num_threads(o.threads);
  const dataset::MelDataset data(o.datasetPath, {parseSplit(o.split), true, AudioSettings{}});
  const AudioSettings s = data.settings();
  const std::vector<int64_t> rows = dataset::spreadRows(data.mels().size(0), o.examples);
  const int64_t n = int64_t(rows.size());
  if (n < 1) throw FormatError(o.datasetPath, o.split + " split", "0 examples", "at least 1");
  const torch::Tensor index = torch::tensor(rows, torch::kLong);
  const torch::Tensor mels = data.mels().index_select(0, index);
  const torch::Tensor audio = data.audio().index_select(0, index);
  const double audioSeconds = double(n) * s.nSamples / s.sampleRate;

  EvaluateResult result;
  result.threads = o.threads;
  result.batchSize = o.batchSize;
  fs::create_directories(o.outDir);
  result.csvPath = (fs::path(o.outDir) / "inversion.csv").string();
  result.pngPath = (fs::path(o.outDir) / "spectrograms.png").string();
  result.wavDir = (fs::path(o.outDir) / "wav").string();

  const int shown = static_cast<int>(std::min<int64_t>(o.figureExamples, n));
  std::vector<int64_t> shownRows;  // spread over the split
  for (int i = 0; i < shown; ++i) shownRows.push_back(int64_t(i) * n / shown);
  std::vector<std::string> rowNames{"reference"};
  std::vector<std::vector<torch::Tensor>> shownWaves(1);
  for (int64_t r : shownRows) shownWaves[0].push_back(audio[r]);
  std::vector<std::string> shortNames;

  for (const std::string& spec : o.inverters) {
    InverterInfo info;
    torch::jit::Module inverter = makeInverter(spec, s, o.datasetPath, &info);
    torch::Tensor waves = torch::empty({n, s.nSamples}, torch::kFloat32);
    double seconds = 0;
    {
      c10::InferenceMode guard;
      inverter.forward({mels.narrow(0, 0, 1)});  // warm-up: first-call setup is not timed
      Progress progress("evaluate_inversion: " + info.description, n, "examples", 5.0);
      for (int64_t begin = 0; begin < n; begin += o.batchSize) {
        const int64_t count = std::min<int64_t>(o.batchSize, n - begin);
        const torch::Tensor in = mels.narrow(0, begin, count).contiguous();
        const auto start = Clock::now();
        const torch::Tensor out = inverter.forward({in}).toTensor();
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        if (out.dim() != 2 || out.size(0) != count || out.size(1) != s.nSamples)
          throw FormatError(spec, "output of forward", "another shape",
                            "[" + std::to_string(count) + ", " + std::to_string(s.nSamples) + "]");
        waves.narrow(0, begin, count).copy_(out);
        progress.advance(count);
      }
      progress.finish();
    }
    InverterScore score;
    score.spec = spec;
    score.description = info.description;
    score.examples = static_cast<int>(n);
    score.seconds = seconds;
    score.realTimeFactor = audioSeconds / seconds;
    for (int64_t i = 0; i < n; ++i) {
      score.sc += spectralConvergence(audio[i], waves[i], s);
      score.lsdDb += logSpectralDistanceDb(audio[i], waves[i], s);
    }
    score.sc /= double(n);
    score.lsdDb /= double(n);
    result.scores.push_back(score);
    log << "evaluate_inversion: " << info.description << ": SC " << fixedString(score.sc, 4)
        << ", LSD " << fixedString(score.lsdDb, 2) << " dB, "
        << fixedString(score.realTimeFactor, 1) << "x real time\n";
    shortNames.push_back(shortName(info, spec));
    rowNames.push_back(shortNames.back());
    shownWaves.emplace_back();
    for (int64_t r : shownRows) shownWaves.back().push_back(waves[r].clone());
  }

  {
    std::ostringstream csv;
    csv << "inverter,description,split,examples,sc,lsd_db,seconds,audio_seconds,"
           "real_time_factor,threads,batch\n";
    csv.precision(9);
    for (const auto& r : result.scores)
      csv << r.spec << ",\"" << r.description << "\"," << o.split << ',' << r.examples << ','
          << r.sc << ',' << r.lsdDb << ',' << r.seconds << ',' << audioSeconds << ','
          << r.realTimeFactor << ',' << o.threads << ',' << o.batchSize << '\n';
    training::writeTextAtomically(result.csvPath, csv.str());
  }
  if (shown > 0) {
    fs::create_directories(result.wavDir);
    std::vector<std::string> columnNames;
    for (int c = 0; c < shown; ++c) {
      const std::string note = data.annotation(shownRows[c]).noteStr;
      columnNames.push_back(note);
      for (size_t r = 0; r < shownWaves.size(); ++r) {
        const torch::Tensor w = shownWaves[r][c].contiguous();
        std::vector<float> samples(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
        writeWav((fs::path(result.wavDir) /
                  (std::to_string(c + 1) + "_" + safeFileName(note) + "_" + rowNames[r] + ".wav"))
                     .string(),
                 samples, s.sampleRate);
      }
    }
    if (o.plots) {
      std::vector<std::vector<torch::Tensor>> images(shownWaves.size());
      for (int c = 0; c < shown; ++c) {
        const double refMax =
            stft(shownWaves[0][c].to(torch::kFloat64), s).abs().max().item<double>();
        for (size_t r = 0; r < shownWaves.size(); ++r)
          images[r].push_back(spectrogramDb(shownWaves[r][c], s, refMax > 0 ? refMax : 1.0));
      }
      writePng(result.pngPath, rowNames, images, columnNames, s);
    }
  }
  return result;
}

std::string formatTable(const EvaluateResult& r) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-44s %8s %9s %10s %12s\n", "inverter", "SC", "LSD (dB)",
                "seconds", "x real time");
  os << line;
  for (const auto& s : r.scores) {
    std::snprintf(line, sizeof line, "%-44s %8.4f %9.2f %10.2f %12.1f\n",
                  s.description.substr(0, 44).c_str(), s.sc, s.lsdDb, s.seconds, s.realTimeFactor);
    os << line;
  }
  os << "(" << (r.scores.empty() ? 0 : r.scores[0].examples) << " examples, " << r.threads
     << " torch thread" << (r.threads == 1 ? "" : "s") << ", batch " << r.batchSize << ")\n";
  return os.str();
}

}  // namespace wae::inversion

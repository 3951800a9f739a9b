#include "tools/generative/evaluate_generative.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/audio_settings.h"
#include "common/errors.h"
#include "common/h5_util.h"
#include "common/keep_freed_memory.h"
#include "common/progress.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/metrics.h"
#include "tools/audio/pitch.h"
#include "tools/audio/spectrogram.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/dataset/split.h"
#include "tools/generative/decoded_mels.h"
#include "tools/generative/generative_model.h"
#include "tools/generative/generative_schema.h"
#include "tools/training/training_util.h"
#include "tools/vae/losses.h"
#include "tools/vae/vae_model.h"
#include "tools/vae/vae_schema.h"

namespace wae::generative {
namespace {

namespace fs = std::filesystem;
using training::fixedString;

constexpr char kReduced[] = "reduced";
constexpr char kFull[] = "full";
// make_generative's name for the VAE inside generative.pt (not part of the contract: a
// generative.pt without it skips the --vae consistency check).
constexpr char kInnerVae[] = "vae";
// Encoder means of the same weights on the same mels agree to rounding; another model.pt
// differs by orders of magnitude more.
constexpr double kSameVaeTolerance = 1e-4;

std::vector<dataset::Split> parseSplits(const std::string& labels) {
  try {
    return dataset::parseSplitList(labels);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--") + e.what());
  }
}

std::string safeFileName(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return s;
}

// FormatError naming every field of `found` (read from `foundFile`) that differs from
// `expected` (that of `expectedWhere`), with both values.
void requireSameSettings(const AudioSettings& expected, const std::string& expectedWhere,
                         const AudioSettings& found, const std::string& foundFile) {
  const auto want = printedFields(expected);
  const auto got = printedFields(found);
  std::string names, foundValues, expectedValues;
  int count = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].second == got[i].second) continue;
    const char* sep = count++ ? ", " : "";
    names += sep + want[i].first;
    foundValues += sep + got[i].second;
    expectedValues += sep + want[i].second;
  }
  if (count == 0) return;
  throw FormatError(foundFile, (count > 1 ? "attributes " : "attribute ") + names, foundValues,
                    expectedValues + " (the audio settings of " + expectedWhere + ")");
}

torch::Tensor encoderMean(torch::jit::Module& model, const torch::Tensor& mel) {
  c10::InferenceMode guard;
  const auto encoded = model.run_method(vae::method::kEncode, mel).toTuple();
  return encoded->elements()[0].toTensor().to(torch::kFloat32).contiguous();
}

// Refuses a --vae that is not the model.pt make_generative put into generative.pt: the full
// row would then compare two unrelated models.
void requireSameVae(torch::jit::Module& model, const std::string& vaePath,
                    const std::string& generativePath, const torch::Tensor& mel) {
  const torch::jit::Module g = torch::jit::load(generativePath);
  std::optional<torch::jit::Module> found;
  for (const auto& child : g.named_children())
    if (child.name == kInnerVae) found = child.value;
  if (!found || !found->find_method(vae::method::kEncode)) return;
  torch::jit::Module inner = *found;
  inner.eval();
  const torch::Tensor a = encoderMean(model, mel);
  const torch::Tensor b = encoderMean(inner, mel);
  if (a.sizes() != b.sizes()) return;  // the latent sizes were compared already
  const double diff = (a - b).abs().max().item<double>();
  const double scale = 1.0 + b.abs().max().item<double>();
  if (!(diff <= kSameVaeTolerance * scale)) {
    std::ostringstream found;
    found << "encoder means that differ from those of the VAE inside " << generativePath
          << " by up to " << diff << " on the first " << mel.size(0) << " examples";
    throw FormatError(vaePath, "encode(mel)", found.str(),
                      "the model.pt that make_generative used for " + generativePath);
  }
}

// The examples written as WAVs: the first of each family, for the first `count` families
// met in split order.
std::vector<int64_t> wavExampleRows(const dataset::MelDataset& data,
                                    const std::vector<int64_t>& picked, int count) {
  std::vector<int64_t> rows;
  std::set<int> seen;
  for (size_t i = 0; i < picked.size() && int(rows.size()) < count; ++i)
    if (seen.insert(data.annotation(picked[i]).family).second) rows.push_back(i);
  return rows;
}

std::vector<float> toVector(const torch::Tensor& wave) {
  const torch::Tensor w = wave.to(torch::kFloat32).contiguous();
  return std::vector<float>(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
}

}  // namespace

EvaluateGenerativeResult evaluateGenerative(const EvaluateGenerativeOptions& o, std::ostream& log) {
  if (o.batchSize < 1) throw std::invalid_argument("--batch must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.examples < 0) throw std::invalid_argument("--examples must be >= 0");
  if (o.wavExamples < 0) throw std::invalid_argument("--wav-examples must be >= 0");
  if (o.outDir.empty()) throw std::invalid_argument("--out-dir is empty");
  if (o.pitch != "label" && o.pitch != "recording" && o.pitch != "encoder")
    throw std::invalid_argument("--pitch must be label, recording or encoder, got \"" + o.pitch +
                                "\"");
  const std::vector<dataset::Split> splits = parseSplits(o.split);
  keepFreedMemory();
  setUpModelThread(o.threads);

  const GenerativeModel g = GenerativeModel::load(o.modelPath);
  if (!g.hasProject())
    throw FormatError(o.modelPath, std::string("method ") + method::kProject, "none",
                      "project(mel [batch, n_mels, n_frames]) -> [batch, 4], the encoder mean "
                      "then the PCA, as make_generative writes it");
  const AudioSettings s = g.audioSettings();

  std::optional<torch::jit::Module> vaeModel;
  if (!o.vaePath.empty()) {
    vae::VaeInfo info;
    vaeModel = vae::loadVae(o.vaePath, &info);
    if (info.config.latentDim != g.fullDim())
      throw FormatError(o.vaePath, std::string("attribute ") + vae::attr::kLatentDim,
                        std::to_string(info.config.latentDim),
                        std::to_string(g.fullDim()) + " (full_dim of " + o.modelPath + ")");
    requireSameSettings(s, o.modelPath, info.settings, o.vaePath);
  }

  // The dataset's settings first, so that a mismatch names both values as a FormatError.
  requireSameSettings(s, o.modelPath,
                      h5::readAudioSettings(h5::openReadOnly(o.datasetPath), o.datasetPath),
                      o.datasetPath);

  EvaluateGenerativeResult result;
  const std::optional<PitchAxis> axis = pitchAxisOf(torch::jit::load(o.modelPath));
  result.pitchFrom = axis ? o.pitch : "encoder";
  const bool pitchGiven = result.pitchFrom != "encoder";  // the axis set from the note
  if (axis)
    log << "evaluate_generative: " << o.modelPath << " has a pitch axis: notes rendered at the "
        << result.pitchFrom << "'s pitch\n";
  double offsetCents = 0;
  int offsets = 0;
  result.paths.push_back(kReduced);
  if (vaeModel) result.paths.push_back(kFull);
  const int64_t length = s.nSamples;
  const MelSpectrogram melOf(s);
  bool checkedVae = false;
  // WAVs come from the first evaluated split: its notes, originals and renders.
  std::vector<std::string> wavNotes;
  std::vector<std::vector<float>> wavOriginals;
  std::map<int64_t, std::map<std::string, std::vector<float>>> wavWaves;  // row -> path -> wave
  std::vector<int64_t> wavRows;

  for (const dataset::Split split : splits) {
    const std::string label = dataset::splitLabel(split);
    const dataset::MelDataset data(o.datasetPath, {split, true, s});
    const std::vector<int64_t> picked = dataset::spreadRows(data.mels().size(0), o.examples);
    const int64_t n = static_cast<int64_t>(picked.size());
    if (n < 1) {
      log << "evaluate_generative: " << label << ": no example in " << o.datasetPath
          << ", skipped\n";
      continue;
    }
    const bool first = result.splits.empty();
    result.splits.push_back(label);
    const torch::Tensor index = torch::tensor(picked, torch::kInt64);
    const torch::Tensor mels = data.mels().index_select(0, index).contiguous();
    const torch::Tensor audio = data.audio().index_select(0, index).contiguous();
    if (vaeModel && !checkedVae) {
      requireSameVae(*vaeModel, o.vaePath, o.modelPath,
                     mels.narrow(0, 0, std::min<int64_t>(n, o.batchSize)));
      checkedVae = true;
    }
    const int64_t offset = result.examples;  // of this split's waves in the kept ones
    result.examples += static_cast<int>(n);
    if (o.keepWaves) {
      result.reducedWaves.resize(size_t(result.examples) * length);
      if (vaeModel) result.fullWaves.resize(size_t(result.examples) * length);
    }
    if (first) {
      wavRows = wavExampleRows(data, picked, o.wavExamples);
      for (int64_t row : wavRows) {
        wavNotes.push_back(data.annotation(picked[row]).noteStr);
        wavOriginals.push_back(toVector(audio[row]));
      }
    }

    // Per path, per example, in split order.
    std::map<std::string, std::vector<ExampleScore>> scores;
    auto score = [&](const std::string& path, int64_t begin, int64_t count, const float* waves) {
      c10::InferenceMode guard;
      const torch::Tensor w =
          torch::from_blob(const_cast<float*>(waves), {count, length}, torch::kFloat32);
      const torch::Tensor mel = mels.narrow(0, begin, count);
      const torch::Tensor estMel = melOf(w);
      const torch::Tensor l1 = vae::melL1(mel, estMel);
      const torch::Tensor lsd = vae::melLsdDb(mel, estMel);
      for (int64_t i = 0; i < count; ++i) {
        const int64_t row = begin + i;
        const auto& a = data.annotation(picked[row]);
        ExampleScore e;
        e.split = label;
        e.path = path;
        e.index = static_cast<int>(picked[row]);
        e.fileRow = static_cast<int>(data.fileRow(picked[row]));
        e.note = a.noteStr;
        e.family = a.family;
        e.familyName = a.familyStr;
        e.lsdDb = logSpectralDistanceDb(audio[row], w[i], s);
        e.sc = spectralConvergence(audio[row], w[i], s);
        e.melL1 = l1[i].item<double>();
        e.melLsdDb = lsd[i].item<double>();
        scores[path].push_back(e);
        if (first && std::find(wavRows.begin(), wavRows.end(), row) != wavRows.end())
          wavWaves[row][path] = toVector(w[i]);
      }
      if (o.keepWaves) {
        std::vector<float>& keep = path == kReduced ? result.reducedWaves : result.fullWaves;
        std::copy(waves, waves + count * length, keep.begin() + (offset + begin) * length);
      }
    };

    {
      std::vector<float> z(size_t(o.batchSize) * kReducedDim);
      std::vector<float> waves(size_t(o.batchSize) * length);
      Progress progress("evaluate_generative: " + label + ": rendering " +
                            (vaeModel ? "the reduced and full paths" : "the reduced path"),
                        n, "examples", 5.0);
      for (int64_t begin = 0; begin < n; begin += o.batchSize) {
        const int count = static_cast<int>(std::min<int64_t>(o.batchSize, n - begin));
        const torch::Tensor mel = mels.narrow(0, begin, count).contiguous();
        // What bake_bank stores for a dataset example, then what the bank point plays.
        g.project(mel.data_ptr<float>(), count, z.data());
        std::vector<double> coordinate(count);
        if (pitchGiven) {
          for (int i = 0; i < count; ++i) {
            const double label = data.annotation(picked[begin + i]).pitch;
            double midi = label;
            if (result.pitchFrom == "recording") {
              const audio::PitchEstimate e = audio::estimatePitch(
                  audio[begin + i].data_ptr<float>(), size_t(length), s.sampleRate);
              if (e.f0Hz > 0 && std::fabs(e.midiPitch - label) <= kRecordingPitchTolerance) {
                midi = e.midiPitch;
                offsetCents += 100 * std::fabs(midi - label);
                ++offsets;
              } else {
                ++result.pitchFallbacks;
              }
            }
            coordinate[i] = axis->coordinate(midi);
            z[size_t(i) * kReducedDim] = static_cast<float>(coordinate[i] - axis->reducedOffset);
          }
        }
        g.forwardBatch(z.data(), count, waves.data());
        score(kReduced, begin, count, waves.data());
        if (vaeModel) {
          torch::Tensor mu = encoderMean(*vaeModel, mel);
          if (pitchGiven) {
            c10::InferenceMode guard;  // mu is an inference tensor
            mu.select(1, 0).copy_(torch::tensor(coordinate, torch::kFloat64).to(mu.dtype()));
          }
          g.forwardFull(mu.data_ptr<float>(), count, waves.data());
          score(kFull, begin, count, waves.data());
        }
        progress.advance(count);
      }
      progress.finish();
    }

    for (const std::string& path : result.paths) {
      std::map<int, PathFamilyScore> byFamily;
      PathFamilyScore all;
      all.split = label;
      all.path = path;
      all.name = "all";
      for (const ExampleScore& e : scores[path]) {
        result.perExample.push_back(e);
        PathFamilyScore& f = byFamily[e.family];
        f.split = label;
        f.path = path;
        f.family = e.family;
        f.name = e.familyName;
        for (PathFamilyScore* r : {&f, &all}) {
          ++r->examples;
          r->lsdDb += e.lsdDb;
          r->sc += e.sc;
          r->melL1 += e.melL1;
          r->melLsdDb += e.melLsdDb;
        }
      }
      byFamily.emplace(-1, all);  // after the families (ids >= 0) in the output below
      for (auto& [id, f] : byFamily) {
        f.lsdDb /= f.examples;
        f.sc /= f.examples;
        f.melL1 /= f.examples;
        f.melLsdDb /= f.examples;
      }
      for (const auto& [id, f] : byFamily)
        if (id >= 0) result.rows.push_back(f);
      result.rows.push_back(byFamily.at(-1));
      const PathFamilyScore& a = byFamily.at(-1);
      log << "evaluate_generative: " << label << ": " << path << ": LSD " << fixedString(a.lsdDb, 2)
          << " dB, SC " << fixedString(a.sc, 4) << ", mel LSD " << fixedString(a.melLsdDb, 2)
          << " dB (" << a.examples << " examples)\n";
    }
  }
  if (result.splits.empty())
    throw FormatError(o.datasetPath, o.split + " split", "0 examples", "at least 1");
  if (result.pitchFrom == "recording") {
    result.recordingOffsetCents = offsets > 0 ? offsetCents / offsets : 0;
    log << "evaluate_generative: recordings' pitch: " << offsets << " notes a mean "
        << fixedString(result.recordingOffsetCents, 1) << " cents from their label's; "
        << result.pitchFallbacks << " at their label's (unpitched, or over "
        << fixedString(kRecordingPitchTolerance, 0) << " semitone off)\n";
  }

  fs::create_directories(o.outDir);
  result.csvPath = (fs::path(o.outDir) / "metrics.csv").string();
  result.examplesCsvPath = (fs::path(o.outDir) / "examples.csv").string();
  {
    std::ostringstream csv;
    csv.precision(9);
    csv << "split,path,family_id,family,examples,lsd_db,sc,mel_l1,mel_lsd_db\n";
    for (const auto& r : result.rows)
      csv << r.split << ',' << r.path << ',' << r.family << ',' << r.name << ',' << r.examples
          << ',' << r.lsdDb << ',' << r.sc << ',' << r.melL1 << ',' << r.melLsdDb << '\n';
    training::writeTextAtomically(result.csvPath, csv.str());
  }
  {
    std::ostringstream csv;
    csv.precision(9);
    csv << "split,path,index,file_row,note,family_id,family,lsd_db,sc,mel_l1,mel_lsd_db\n";
    for (const auto& e : result.perExample)
      csv << e.split << ',' << e.path << ',' << e.index << ',' << e.fileRow << ',' << e.note << ','
          << e.family << ',' << e.familyName << ',' << e.lsdDb << ',' << e.sc << ',' << e.melL1
          << ',' << e.melLsdDb << '\n';
    training::writeTextAtomically(result.examplesCsvPath, csv.str());
  }
  if (!wavRows.empty()) {
    result.wavDir = (fs::path(o.outDir) / "wav").string();
    fs::create_directories(result.wavDir);
    for (size_t c = 0; c < wavRows.size(); ++c) {
      const int64_t row = wavRows[c];
      const std::string stem = (fs::path(result.wavDir) /
                                (std::to_string(c + 1) + "_" + safeFileName(wavNotes[c]) + "_"))
                                   .string();
      result.wavFiles.push_back(stem + "original.wav");
      writeWav(result.wavFiles.back(), wavOriginals[c], s.sampleRate);
      for (const std::string& path : result.paths) {
        result.wavFiles.push_back(stem + path + ".wav");
        writeWav(result.wavFiles.back(), wavWaves.at(row).at(path), s.sampleRate);
      }
    }
  }
  return result;
}

std::string formatTable(const EvaluateGenerativeResult& r) {
  std::ostringstream os;
  char cell[128];
  auto find = [&](const std::string& split, const std::string& path,
                  int family) -> const PathFamilyScore* {
    for (const auto& f : r.rows)
      if (f.split == split && f.path == path && f.family == family) return &f;
    return nullptr;
  };
  // Header: the split names over their columns, then the column names.
  std::string header(25, ' ');
  for (const std::string& split : r.splits) {
    std::snprintf(cell, sizeof cell, " | %-36s", split.c_str());
    header += cell;
  }
  os << header.substr(0, header.find_last_not_of(' ') + 1) << "\n";
  std::snprintf(cell, sizeof cell, "%-8s %-16s", "path", "family");
  os << cell;
  for (size_t k = 0; k < r.splits.size(); ++k) {
    std::snprintf(cell, sizeof cell, " | %8s %9s %7s %10s", "examples", "LSD (dB)", "SC",
                  "mel LSD dB");
    os << cell;
  }
  os << "\n";
  // Per path: the families met in any split, then "all"; "-" where a split lacks one.
  for (const std::string& path : r.paths) {
    std::map<int, std::string> families;
    for (const auto& f : r.rows)
      if (f.path == path) families[f.family] = f.name;
    families.erase(-1);
    families.emplace(-1, "all");
    auto row = [&](int family, const std::string& name) {
      std::snprintf(cell, sizeof cell, "%-8s %-16s", path.c_str(), name.substr(0, 16).c_str());
      os << cell;
      for (const std::string& split : r.splits) {
        const PathFamilyScore* f = find(split, path, family);
        if (f)
          std::snprintf(cell, sizeof cell, " | %8d %9.2f %7.4f %10.2f", f->examples, f->lsdDb,
                        f->sc, f->melLsdDb);
        else
          std::snprintf(cell, sizeof cell, " | %8s %9s %7s %10s", "-", "-", "-", "-");
        os << cell;
      }
      os << "\n";
    };
    for (const auto& [id, name] : families)
      if (id >= 0) row(id, name);
    row(-1, "all");
  }
  bool full = false;
  for (const std::string& split : r.splits) {
    const PathFamilyScore* reduced = find(split, kReduced, -1);
    const PathFamilyScore* fullRow = find(split, kFull, -1);
    if (!reduced || !fullRow) continue;
    full = true;
    std::snprintf(cell, sizeof cell,
                  "%s: the 4 PCA axes cost (reduced - full): LSD %+.2f dB, SC %+.4f, mel LSD "
                  "%+.2f dB\n",
                  split.c_str(), reduced->lsdDb - fullRow->lsdDb, reduced->sc - fullRow->sc,
                  reduced->melLsdDb - fullRow->melLsdDb);
    os << cell;
  }
  if (r.splits.size() > 1)
    for (const std::string& path : r.paths) {
      const PathFamilyScore* base = find(r.splits.front(), path, -1);
      if (!base || !(base->melLsdDb > 0)) continue;
      os << path << ": mel LSD over " << r.splits.front() << "'s:";
      for (size_t k = 1; k < r.splits.size(); ++k)
        if (const PathFamilyScore* f = find(r.splits[k], path, -1))
          os << " " << r.splits[k] << " " << fixedString(f->melLsdDb / base->melLsdDb, 2) << "x";
      os << "\n";
    }
  os << "(" << r.examples << " examples; reduced = forward(project(mel))"
     << (full ? ", full = forward_full(encoder mean)" : ", full skipped: no --vae")
     << (r.pitchFrom == "label"       ? "; pitch axis at the labels' pitch"
         : r.pitchFrom == "recording" ? "; pitch axis at the recordings' pitch"
                                      : "")
     << ")\n";
  return os.str();
}

}  // namespace wae::generative

#include "tools/dataset/make_dataset.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/progress.h"
#include "common/sha256.h"
#include "runtime/resample.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/pitch.h"
#include "tools/audio/spectrogram.h"
#include "tools/corpus/gm_families.h"
#include "tools/dataset/dataset_writer.h"
#include "tools/dataset/nsynth.h"
#include "tools/dataset/plain_folder.h"

namespace wae::dataset {
namespace {

double rmsDbfs(const std::vector<float>& x) {
  double sum = 0;
  for (float v : x) sum += double(v) * v;
  const double rms = x.empty() ? 0 : std::sqrt(sum / x.size());
  return rms > 0 ? 20 * std::log10(rms) : -INFINITY;
}

// Accumulates examples and writes them with their mels, a batch at a time.
class BatchWriter {
 public:
  BatchWriter(DatasetWriter& writer, const AudioSettings& settings, int batchSize)
      : writer_(writer), mel_(settings), nSamples_(settings.nSamples), batchSize_(batchSize) {}

  void add(std::vector<float>&& wave) {
    pending_.push_back(std::move(wave));
    if (static_cast<int>(pending_.size()) >= batchSize_) flush();
  }

  void flush() {
    if (pending_.empty()) return;
    const int64_t b = pending_.size();
    torch::Tensor waves = torch::empty({b, nSamples_});
    for (int64_t i = 0; i < b; ++i)
      std::copy(pending_[i].begin(), pending_[i].end(), waves[i].data_ptr<float>());
    const torch::Tensor mels = mel_(waves).contiguous();
    for (int64_t i = 0; i < b; ++i)
      writer_.append(mels[i].data_ptr<float>(), waves[i].data_ptr<float>());
    pending_.clear();
  }

 private:
  DatasetWriter& writer_;
  MelSpectrogram mel_;
  int64_t nSamples_;
  int batchSize_;
  std::vector<std::vector<float>> pending_;
};

}  // namespace

void validateOptions(const MakeDatasetOptions& options) {
  options.settings.validate();
  options.split.validate();
  if (options.inputDir.empty())
    throw std::invalid_argument("--in: found nothing, expected a folder of sounds");
  if (options.outputPath.empty())
    throw std::invalid_argument("--out: found nothing, expected a dataset.h5 path");
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(options.inputDir, ec))
    throw std::invalid_argument("--in: found " + options.inputDir +
                                ", which does not exist, expected a folder of sounds");
  if (!fs::is_directory(options.inputDir, ec))
    throw std::invalid_argument("--in: found " + options.inputDir +
                                ", which is not a folder, expected a folder of sounds");
  if (fs::is_directory(options.outputPath, ec))
    throw std::invalid_argument("--out: found " + options.outputPath +
                                ", which is a folder, expected a dataset.h5 path");
  // The output's nearest existing folder must be writable (AtomicFile makes the rest).
  fs::path existing = fs::absolute(options.outputPath, ec).parent_path();
  while (!existing.empty() && !fs::exists(existing, ec) && existing != existing.root_path())
    existing = existing.parent_path();
  if (!fs::is_directory(existing, ec) || ::access(existing.c_str(), W_OK | X_OK) != 0)
    throw std::invalid_argument("--out: found " + options.outputPath + ", but " +
                                existing.string() +
                                " is not a writable folder, expected a path I can write");
  if (!(options.minPitchConfidence >= 0 && options.minPitchConfidence <= 1))
    throw std::invalid_argument("--min-pitch-confidence: found " +
                                std::to_string(options.minPitchConfidence) +
                                ", expected a confidence in [0, 1]");
  if (!(options.silenceDbfs <= 0))
    throw std::invalid_argument("--silence-db: found " + std::to_string(options.silenceDbfs) +
                                ", expected 0 or below (dBFS)");
  if (options.batchSize < 1)
    throw std::invalid_argument("--batch: found " + std::to_string(options.batchSize) +
                                ", expected 1 or more");
}

namespace {

// One input of the loop: where its audio is and, for an annotated folder, its annotation.
struct Input {
  std::string key;   // note_str (annotated) or the path relative to --in (plain)
  std::string path;  // the audio file
  NoteAnnotation note;
};

// Plain folders: every file, its instrument (the folder path; ids by sorted path) and family.
std::vector<Input> plainInputs(const MakeDatasetOptions& options) {
  const std::filesystem::path dir(options.inputDir);
  const std::vector<std::string> files =
      listAudioFiles(options.inputDir, {options.outputPath, options.outputPath + ".partial"});
  std::string rootName = std::filesystem::absolute(dir).lexically_normal().filename().string();
  if (rootName.empty())
    rootName = std::filesystem::absolute(dir).lexically_normal().parent_path().filename().string();
  std::map<std::string, int> instrumentIds;
  for (const auto& rel : files) instrumentIds.emplace(instrumentOf(rel, rootName), 0);
  int next = 0;
  for (auto& [name, id] : instrumentIds) id = next++;
  std::vector<Input> inputs;
  for (const auto& rel : files) {
    Input in;
    in.key = rel;
    in.path = (dir / rel).string();
    NoteAnnotation& n = in.note;
    n.noteStr = rel;
    n.instrumentStr = instrumentOf(rel, rootName);
    n.instrument = instrumentIds.at(n.instrumentStr);
    n.family = familyOfPath(rel);
    n.familyStr = n.family >= 0 ? corpus::familyName(n.family) : kUnknown;
    n.source = -1;
    n.sourceStr = kUnknown;
    inputs.push_back(std::move(in));
  }
  return inputs;
}

}  // namespace

MakeDatasetReport makeDataset(const MakeDatasetOptions& options, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const AudioSettings& settings = options.settings;
  // Every option is checked before any file is read: a mistyped option costs nothing.
  validateOptions(options);
  const std::filesystem::path dir(options.inputDir);
  const std::filesystem::path examplesJson = dir / "examples.json";

  MakeDatasetReport report;
  report.plainFolder = !std::filesystem::exists(examplesJson);
  std::vector<Input> inputs;
  size_t considered = 0;
  if (report.plainFolder) {
    inputs = plainInputs(options);
    if (inputs.empty())
      throw std::runtime_error(options.inputDir +
                               ": no examples.json and no file in the folder tree, expected "
                               "audio files (any format libsndfile reads) or an NSynth-style "
                               "folder");
  } else {
    ParsedExamples parsed = parseExamplesJson(examplesJson.string());
    for (const auto& bad : parsed.malformed) {
      log << "skip " << bad.key << ": " << skip::kMalformed << ": " << bad.reason << "\n";
      ++report.skipped[skip::kMalformed];
    }
    considered += parsed.malformed.size();
    for (NoteAnnotation& note : parsed.notes) {
      Input in;
      in.key = note.noteStr;
      in.path = (dir / "audio" / (note.noteStr + ".wav")).string();
      in.note = std::move(note);
      inputs.push_back(std::move(in));
    }
  }
  considered += inputs.size();

  AtomicFile out(options.outputPath);
  DatasetWriter writer(out.partialPath(), settings);
  BatchWriter batches(writer, settings, options.batchSize);
  std::vector<NoteAnnotation> kept;
  std::map<std::string, std::string> firstWithAudio;  // plain: SHA-256 of the example -> key
  Progress progress("make_dataset", inputs.size(), report.plainFolder ? "files" : "notes");
  for (Input& input : inputs) {
    progress.advance();
    NoteAnnotation& note = input.note;
    auto skipNote = [&](const char* reason, const std::string& detail) {
      log << "skip " << input.key << ": " << reason << ": " << detail << "\n";
      ++report.skipped[reason];
    };
    if (!std::filesystem::exists(input.path)) {
      skipNote(skip::kMissing, input.path);
      continue;
    }
    Audio audio;
    try {
      audio = readAudio(input.path);
    } catch (const std::exception& e) {
      skipNote(skip::kUnreadable, e.what());
      continue;
    }
    if (!report.plainFolder && audio.sampleRate != note.sampleRate) {
      skipNote(skip::kMalformed, "field \"sample_rate\": found " +
                                     std::to_string(note.sampleRate) + ", expected the file's " +
                                     std::to_string(audio.sampleRate));
      continue;
    }
    std::vector<float> wave;
    try {
      wave = audio.sampleRate == settings.sampleRate
                 ? std::move(audio.samples)
                 : runtime::resample(audio.samples, audio.sampleRate, settings.sampleRate);
    } catch (const std::exception& e) {
      skipNote(skip::kUnreadable, input.path + ": " + e.what());
      continue;
    }
    if (report.plainFolder)
      fitToLength(wave, settings.nSamples, settings.sampleRate);
    else
      wave.resize(settings.nSamples, 0.0f);  // NSynth's 4 s notes are cut, shorter ones padded
    const double level = rmsDbfs(wave);
    if (level < options.silenceDbfs) {
      std::ostringstream detail;
      detail.precision(1);
      detail << std::fixed << "RMS " << level << " dBFS, below " << options.silenceDbfs;
      skipNote(skip::kSilent, detail.str());
      continue;
    }
    if (report.plainFolder) {
      Sha256 hash;
      hash.update(wave.data(), wave.size() * sizeof(float));
      const auto [it, isNew] = firstWithAudio.emplace(hash.hexDigest(), input.key);
      if (!isNew) {
        skipNote(skip::kDuplicate, "the same audio as " + it->second);
        continue;
      }
      const audio::PitchEstimate pitch =
          audio::estimatePitch(wave.data(), wave.size(), settings.sampleRate);
      note.pitchConfidence = pitch.confidence;
      if (pitch.f0Hz > 0 && pitch.confidence >= options.minPitchConfidence) {
        note.f0Hz = pitch.f0Hz;
        note.pitch = static_cast<int>(std::clamp<long>(std::lround(pitch.midiPitch), 0, 127));
      } else {
        note.f0Hz = 0;
        note.pitch = kUnpitchedMidi;
        ++report.unpitched;
      }
      note.velocity = velocityFromDbfs(peakWindowDbfs(wave, settings.sampleRate));
    }
    batches.add(std::move(wave));
    note.sampleRate = settings.sampleRate;
    kept.push_back(std::move(note));
  }
  batches.flush();
  progress.finish();
  if (kept.empty())
    throw std::runtime_error(options.inputDir + ": no usable example (all " +
                             std::to_string(considered) + " skipped)");

  const std::vector<Split> splits = assignSplits(kept, options.split);
  DatasetMetadata metadata;
  metadata.source = !options.source.empty() ? options.source
                    : report.plainFolder    ? "plain folder " + options.inputDir
                                            : "NSynth-style folder " + options.inputDir;
  metadata.split = options.split;
  writer.finish(kept, splits, metadata);
  out.commit();

  report.kept = kept.size();
  for (size_t i = 0; i < kept.size(); ++i) {
    ++report.keptByFamily[kept[i].familyStr];
    ++report.keptBySplit[splitLabel(splits[i])];
    ++report.keptByFamilyAndSplit[kept[i].familyStr][splitLabel(splits[i])];
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string formatReport(const MakeDatasetReport& report) {
  std::ostringstream os;
  size_t skipped = 0;
  for (const auto& [reason, n] : report.skipped) skipped += n;
  os << "kept " << report.kept << " examples, skipped " << skipped << " in "
     << Progress::formatDuration(report.seconds) << "\n";
  for (const auto& [reason, n] : report.skipped) os << "  skipped (" << reason << "): " << n << "\n";
  if (report.plainFolder)
    os << "  pitched: " << report.kept - report.unpitched << ", unpitched: " << report.unpitched
       << " (stored as MIDI " << kUnpitchedMidi << ", f0_hz 0)\n";
  for (const auto& [split, n] : report.keptBySplit) os << "  " << split << ": " << n << "\n";
  // Family x split, splits in schema order, only those that hold notes.
  std::vector<std::string> used;
  for (const char* label : kSplitLabels)
    if (report.keptBySplit.count(label)) used.push_back(label);
  os << "  " << std::left << std::setw(12) << "family" << std::right;
  for (const auto& label : used) os << std::setw(16) << label;
  os << std::setw(8) << "all" << "\n";
  auto row = [&](const std::string& name, const std::map<std::string, size_t>& counts, size_t all) {
    os << "  " << std::left << std::setw(12) << name << std::right;
    for (const auto& label : used) {
      const auto it = counts.find(label);
      os << std::setw(16) << (it == counts.end() ? 0 : it->second);
    }
    os << std::setw(8) << all << "\n";
  };
  for (const auto& [family, n] : report.keptByFamily)
    row(family, report.keptByFamilyAndSplit.count(family) ? report.keptByFamilyAndSplit.at(family)
                                                          : std::map<std::string, size_t>{},
        n);
  row("all", report.keptBySplit, report.kept);
  return os.str();
}

}  // namespace wae::dataset

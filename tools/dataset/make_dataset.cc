#include "tools/dataset/make_dataset.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "common/atomic_file.h"
#include "common/progress.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/resample.h"
#include "tools/audio/spectrogram.h"
#include "tools/dataset/dataset_writer.h"
#include "tools/dataset/nsynth.h"

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
    throw std::invalid_argument("--in: found nothing, expected an NSynth-style folder");
  if (options.outputPath.empty())
    throw std::invalid_argument("--out: found nothing, expected a dataset.h5 path");
  if (!(options.silenceDbfs <= 0))
    throw std::invalid_argument("--silence-db: found " + std::to_string(options.silenceDbfs) +
                                ", expected 0 or below (dBFS)");
  if (options.batchSize < 1)
    throw std::invalid_argument("--batch: found " + std::to_string(options.batchSize) +
                                ", expected 1 or more");
}

MakeDatasetReport makeDataset(const MakeDatasetOptions& options, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const AudioSettings& settings = options.settings;
  // Every option is checked before any file is read: a mistyped option costs nothing.
  validateOptions(options);
  const std::filesystem::path dir(options.inputDir);
  ParsedExamples parsed = parseExamplesJson((dir / "examples.json").string());

  MakeDatasetReport report;
  for (const auto& bad : parsed.malformed) {
    log << "skip " << bad.key << ": " << skip::kMalformed << ": " << bad.reason << "\n";
    ++report.skipped[skip::kMalformed];
  }

  AtomicFile out(options.outputPath);
  DatasetWriter writer(out.partialPath(), settings);
  BatchWriter batches(writer, settings, options.batchSize);
  std::vector<NoteAnnotation> kept;
  Progress progress("make_dataset", parsed.notes.size(), "notes");
  for (NoteAnnotation& note : parsed.notes) {
    progress.advance();
    const std::string wav = (dir / "audio" / (note.noteStr + ".wav")).string();
    auto skipNote = [&](const char* reason, const std::string& detail) {
      log << "skip " << note.noteStr << ": " << reason << ": " << detail << "\n";
      ++report.skipped[reason];
    };
    if (!std::filesystem::exists(wav)) {
      skipNote(skip::kMissing, wav);
      continue;
    }
    Audio audio;
    try {
      audio = readAudio(wav);
    } catch (const std::exception& e) {
      skipNote(skip::kUnreadable, e.what());
      continue;
    }
    if (audio.sampleRate != note.sampleRate) {
      skipNote(skip::kMalformed, "field \"sample_rate\": found " +
                                     std::to_string(note.sampleRate) + ", expected the file's " +
                                     std::to_string(audio.sampleRate));
      continue;
    }
    std::vector<float> wave =
        audio.sampleRate == settings.sampleRate
            ? std::move(audio.samples)
            : resample(audio.samples, audio.sampleRate, settings.sampleRate);
    wave.resize(settings.nSamples, 0.0f);  // NSynth's 4 s notes are cut, shorter ones padded
    const double level = rmsDbfs(wave);
    if (level < options.silenceDbfs) {
      std::ostringstream detail;
      detail.precision(1);
      detail << std::fixed << "RMS " << level << " dBFS, below " << options.silenceDbfs;
      skipNote(skip::kSilent, detail.str());
      continue;
    }
    batches.add(std::move(wave));
    note.sampleRate = settings.sampleRate;
    kept.push_back(std::move(note));
  }
  batches.flush();
  progress.finish();
  if (kept.empty())
    throw std::runtime_error(options.inputDir + ": no usable example (all " +
                             std::to_string(parsed.notes.size() + parsed.malformed.size()) +
                             " skipped)");

  const std::vector<Split> splits = assignSplits(kept, options.split);
  DatasetMetadata metadata;
  metadata.source = options.source.empty() ? "NSynth-style folder " + options.inputDir
                                            : options.source;
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

// make_dataset: a folder of sounds -> dataset.h5 (schema.h). Either an NSynth-style folder
// (examples.json + audio/<note_str>.wav, ours from render_corpus or the real NSynth
// download), or, without examples.json, a plain folder tree of audio files in any format
// libsndfile reads, annotated from the folders and the sound (plain_folder.h,
// docs/FORMATS.md "Plain folders").
#pragma once

#include <cstddef>
#include <map>
#include <ostream>
#include <string>

#include "common/audio_settings.h"
#include "tools/dataset/split.h"

namespace wae::dataset {

struct MakeDatasetOptions {
  std::string inputDir;
  std::string outputPath;
  AudioSettings settings;
  SplitOptions split;
  double silenceDbfs = -80.0;  // RMS below this: skipped as silent (as render_corpus)
  // Plain folders: a note whose f0 estimate's confidence is below this (or that the estimator
  // finds unpitched) is stored as unpitched.
  double minPitchConfidence = 0.5;
  int batchSize = 32;          // examples per mel computation
  std::string source;  // recorded in the file; default: "NSynth-style folder <dir>" or
                       // "plain folder <dir>"
};

// Why an example was skipped: the keys of MakeDatasetReport::skipped.
namespace skip {
inline constexpr char kMalformed[] = "malformed annotation";
inline constexpr char kMissing[] = "missing file";
inline constexpr char kUnreadable[] = "unreadable audio";
inline constexpr char kSilent[] = "silent";
inline constexpr char kDuplicate[] = "duplicate";  // plain folders: same audio as a file before
}  // namespace skip

struct MakeDatasetReport {
  size_t kept = 0;
  std::map<std::string, size_t> skipped;        // by reason
  std::map<std::string, size_t> keptByFamily;   // instrument_family_str -> count
  std::map<std::string, size_t> keptBySplit;    // split label -> count
  // instrument_family_str -> split label -> count
  std::map<std::string, std::map<std::string, size_t>> keptByFamilyAndSplit;
  bool plainFolder = false;  // read without examples.json
  size_t unpitched = 0;      // plain folders: kept notes stored as unpitched
  double seconds = 0;
};

// Throws std::invalid_argument naming the option (as make_dataset spells it), the value and
// what is expected; reads no file (it only looks at whether --in is a folder and whether
// --out's folder exists or can be made and is writable). makeDataset calls it first.
void validateOptions(const MakeDatasetOptions& options);

// Builds the dataset; writes one line per skipped example and progress to `log`, and the
// file atomically (nothing at outputPath unless complete). Reads examples.json when the
// folder has one (and throws if it is not JSON), else every file of the folder tree. Throws
// if nothing is left to write.
MakeDatasetReport makeDataset(const MakeDatasetOptions& options, std::ostream& log);

// The report as a few lines of text (what the tool prints at the end).
std::string formatReport(const MakeDatasetReport& report);

}  // namespace wae::dataset

// dataset.h5: every name of the format, defined once (contract: docs/DESIGN.md "The files",
// docs/FORMATS.md). Shared by the writer (make_dataset), the LibTorch dataset and, by
// copy of these names, the Python dataset (tools/dataset/python/wae_dataset.py).
#pragma once

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::dataset {

inline constexpr char kFormatName[] = "wae-sampler-dataset";
inline constexpr int kFormatVersion = 1;

// Root attributes (besides the audio settings, common/audio_settings.h).
namespace attr {
inline constexpr char kFormat[] = "format";
inline constexpr char kFormatVersion[] = "format_version";
inline constexpr char kSource[] = "source";              // where the sounds came from
inline constexpr char kSplitSeed[] = "split_seed";
inline constexpr char kSplitMode[] = "split_mode";       // see SplitMode
inline constexpr char kSplitFractions[] = "split_fractions";  // [train, valid, test]
// Split mode "honest" only (see split.h): the held-out pitches are those with
// pitch % every == offset (every 0: none); instruments held out per family.
inline constexpr char kHoldoutPitchEvery[] = "split_holdout_pitch_every";
inline constexpr char kHoldoutPitchOffset[] = "split_holdout_pitch_offset";
inline constexpr char kHoldoutInstrumentsPerFamily[] = "split_holdout_instruments_per_family";
inline constexpr char kCreatedBy[] = "created_by";
inline constexpr char kCreatedAt[] = "created_at";
inline constexpr char kLabels[] = "labels";              // on /split and /qualities
}  // namespace attr

// Datasets, all with N rows.
namespace ds {
inline constexpr char kMel[] = "mel";            // float32 [N, n_mels, n_frames]
inline constexpr char kAudio[] = "audio";        // float32 [N, n_samples]
inline constexpr char kNoteStr[] = "note_str";   // strings
inline constexpr char kInstrumentStr[] = "instrument_str";
inline constexpr char kFamilyStr[] = "instrument_family_str";
inline constexpr char kSourceStr[] = "instrument_source_str";
inline constexpr char kPitch[] = "pitch";        // int32
inline constexpr char kVelocity[] = "velocity";
inline constexpr char kInstrument[] = "instrument";
inline constexpr char kFamily[] = "instrument_family";
inline constexpr char kSourceId[] = "instrument_source";
inline constexpr char kQualities[] = "qualities";  // uint8 [N, 10], labels attribute
inline constexpr char kSplit[] = "split";          // uint8 [N], labels attribute
// Optional, written when make_dataset estimated the pitch (plain folders): the estimate's
// f0 (Hz, 0 = unpitched) and confidence (0..1). float32 [N].
inline constexpr char kF0Hz[] = "f0_hz";
inline constexpr char kPitchConfidence[] = "pitch_confidence";
}  // namespace ds

// The /split codes. test_pitch: notes at held-out pitches (no note of those pitches in train
// or valid); test_instrument: every note of held-out instruments. Files written before these
// two existed carry the first three labels only; readers accept any prefix of this list.
enum class Split : unsigned char {
  kTrain = 0,
  kValid = 1,
  kTest = 2,
  kTestPitch = 3,
  kTestInstrument = 4,
};
inline constexpr std::array<const char*, 5> kSplitLabels = {"train", "valid", "test",
                                                            "test_pitch", "test_instrument"};
// The three test sets, in the order the evaluation tools print them.
inline constexpr std::array<Split, 3> kTestSplits = {Split::kTest, Split::kTestPitch,
                                                     Split::kTestInstrument};

inline const char* splitLabel(Split split) { return kSplitLabels.at(static_cast<int>(split)); }

// "train", ..., "test_instrument" -> Split; throws std::invalid_argument naming the value and
// the accepted labels (what every tool's --split option says).
inline Split parseSplit(const std::string& label) {
  std::string expected;
  for (size_t i = 0; i < kSplitLabels.size(); ++i) {
    if (label == kSplitLabels[i]) return static_cast<Split>(i);
    expected += (i == 0 ? "" : i + 1 == kSplitLabels.size() ? " or " : ", ");
    expected += kSplitLabels[i];
  }
  throw std::invalid_argument("split: found \"" + label + "\", expected " + expected);
}

// NSynth's ten note qualities, in NSynth's order.
inline constexpr std::array<const char*, 10> kQualityLabels = {
    "bright", "dark", "distortion", "fast_decay", "long_release",
    "multiphonic", "nonlinear_env", "percussive", "reverb", "tempo-synced"};

// "test,test_pitch,test_instrument" -> the splits, in that order; throws
// std::invalid_argument for an unknown label, an empty item or a label given twice.
inline std::vector<Split> parseSplitList(const std::string& labels) {
  std::vector<Split> splits;
  size_t begin = 0;
  while (begin <= labels.size()) {
    const size_t end = std::min(labels.find(',', begin), labels.size());
    const Split split = parseSplit(labels.substr(begin, end - begin));
    for (Split s : splits)
      if (s == split)
        throw std::invalid_argument("split: found \"" + std::string(splitLabel(split)) +
                                    "\" twice in \"" + labels + "\", expected each once");
    splits.push_back(split);
    begin = end + 1;
  }
  return splits;
}

}  // namespace wae::dataset

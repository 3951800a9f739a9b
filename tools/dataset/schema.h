// dataset.h5: every name of the format, defined once (contract: DESIGN.md "Formats",
// docs/FORMATS.md). Shared by the writer (make_dataset), the LibTorch dataset and, by
// copy of these names, the Python dataset (tools/dataset/python/wae_dataset.py).
#pragma once

#include <array>

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
}  // namespace ds

enum class Split : unsigned char { kTrain = 0, kValid = 1, kTest = 2 };
inline constexpr std::array<const char*, 3> kSplitLabels = {"train", "valid", "test"};

// NSynth's ten note qualities, in NSynth's order.
inline constexpr std::array<const char*, 10> kQualityLabels = {
    "bright", "dark", "distortion", "fast_decay", "long_release",
    "multiphonic", "nonlinear_env", "percussive", "reverb", "tempo-synced"};

}  // namespace wae::dataset

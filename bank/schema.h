// bank.h5 (docs/DESIGN.md, "The files"; docs/BANK.md): every dataset and attribute name defined
// once, the bounds the reader enforces, and the storage type names. No HDF5 here.
//
// Layout of a bank file:
//   attributes on /      format, format_version, sample_rate, length, grid_shape[4],
//                        axis_min[4], axis_max[4], storage, scale, model_sha256, created_by,
//                        created_at
//   /waveforms           float32 or int16 [G1*G2*G3*G4, length], chunked one waveform per
//                        chunk, points in BankInfo::flatIndex order (axis 1 slowest)
//   /f0                  version 2: float32 [G1*G2*G3*G4], Hz (0: unpitched), flatIndex order,
//                        with root attribute f0_source; waveform chunks carry Fletcher-32
//   /noise               version 3: the points' noise parts, as /waveforms (which then holds
//                        their harmonic parts; a point's sound is the sum of the two)
//   /point_scale         version 4 (int16): float32 [G1*G2*G3*G4], each point's scale, both
//                        parts' (root attribute scale: the largest of them)
//   /axis1 ... /axis4    float64 [Gi], strictly increasing, from axis_min[i] to axis_max[i]
//   /audio_settings      group whose attributes are the generative model's audio settings
//                        (names of common/audio_settings.h visitFields)
//   /projections         optional group: points float32 [N, 4] (axis coordinates),
//                        family int32 [N] (-1: unknown), family_names strings [F]
// A bake in progress (<out>.partial, or a shard's file) has the same layout for its slice of
// the grid, float32 waveforms, and the work-file fields below; a finished bank has none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bank/bank_data.h"

namespace wae::bank {

inline constexpr char kFormatName[] = "wae-sampler-bank";
// Version 2 adds /f0 and attribute f0_source (both required) and Fletcher-32 checksums on
// the waveform chunks; version 1 files (no pitch) still load, with BankData::f0Hz empty.
// Version 3 adds /noise (required): each point's sound in two parts, the harmonic one in
// /waveforms, read pitch-aligned, and the noise one, read as it is (docs/BANK.md). The writer
// writes version 3 for a bank with a noise part (BankInfo::noisePart, which needs pitch),
// version 2 for one with pitch, version 1 otherwise.
// Version 4 gives an int16 bank's points each their own scale (/point_scale, required; the root
// attribute scale is the largest), so that a quiet point is stored with all 16 bits; pitch
// and noise parts are then there when /f0 and /noise are (the noise parts needing pitch).
// The writer writes version 4 for an int16 bank with BankInfo::pointScale (every bake's),
// and versions 1 to 3 otherwise, as above.
inline constexpr int kFormatVersion = 4;
inline constexpr int kOldestFormatVersion = 1;

namespace attr {
inline constexpr char kFormat[] = "format";
inline constexpr char kFormatVersion[] = "format_version";
inline constexpr char kSampleRate[] = "sample_rate";  // Hz
inline constexpr char kLength[] = "length";           // samples per waveform
inline constexpr char kGridShape[] = "grid_shape";    // 4 ints
inline constexpr char kAxisMin[] = "axis_min";        // 4 floats
inline constexpr char kAxisMax[] = "axis_max";        // 4 floats
inline constexpr char kStorage[] = "storage";         // "float32" | "int16"
inline constexpr char kScale[] = "scale";             // int16: sample = stored * scale
inline constexpr char kModelSha256[] = "model_sha256";
inline constexpr char kCreatedBy[] = "created_by";
inline constexpr char kCreatedAt[] = "created_at";  // ISO 8601, UTC
inline constexpr char kF0Source[] = "f0_source";    // version 2: one of kF0Sources
// Optional (any version): how a blend of corners sets its level, kLevelBlendDb or
// kLevelBlendLinear; absent: linear.
inline constexpr char kLevelBlend[] = "level_blend";
// Optional (any version): the exponent of a blend's timbre weights, a number from
// kMinBlendExponent to kMaxBlendExponent (BankInfo::blendExponent); absent: 1.
inline constexpr char kBlendExponent[] = "blend_exponent";
}  // namespace attr

inline constexpr double kMinBlendExponent = 1.0;
inline constexpr double kMaxBlendExponent = 8.0;

// The values of attr::kLevelBlend: "db", the corners' levels interpolated in dB (a model whose
// level follows its latent point in dB, as a VAE's decoder of log-mel spectrograms does:
// runtime/level.h); "linear", the weighted sum of the corners as it is.
inline constexpr char kLevelBlendDb[] = "db";
inline constexpr char kLevelBlendLinear[] = "linear";

namespace dataset {
inline constexpr char kWaveforms[] = "waveforms";
inline constexpr char kF0[] = "f0";        // version 2: float32 [points], Hz, 0 = unpitched
inline constexpr char kNoise[] = "noise";  // version 3: as waveforms, the noise parts
inline constexpr char kPointScale[] = "point_scale";  // version 4: float32 [points]
inline constexpr const char* kAxes[kDims] = {"axis1", "axis2", "axis3", "axis4"};
inline constexpr char kAudioSettings[] = "audio_settings";  // a group
inline constexpr char kProjections[] = "projections";       // a group
inline constexpr char kProjectionPoints[] = "points";
inline constexpr char kProjectionFamily[] = "family";
inline constexpr char kProjectionFamilyNames[] = "family_names";
}  // namespace dataset

// Only in a bake in progress.
namespace work {
inline constexpr char kDone[] = "done";                    // uint8 [slice points], 1 = baked
inline constexpr char kFirstPoint[] = "bake_first_point";  // the slice's first flat index
inline constexpr char kPointCount[] = "bake_point_count";  // the slice's size
inline constexpr char kShard[] = "bake_shard";             // "i/n"
inline constexpr char kStorage[] = "bake_storage";         // the finished bank's storage
// A bake with pitch: the finished bank's f0_source, and each point's f0 (float32 [slice
// points], Hz, 0 = unpitched, valid where done), written with the point's samples.
inline constexpr char kF0Source[] = "bake_f0_source";
inline constexpr char kF0[] = "f0";
// Each point's largest |sample| over its part(s) and, with a noise part, their sum (float32
// [slice points], valid where done), written with its samples: finishing an int16 bank
// takes its scale from these instead of reading every sample twice. Absent in work files
// from before it, which finishing reads through.
inline constexpr char kPeak[] = "peak";
}  // namespace work

// Where /f0 came from: generative.pt's f0 method, the project's pitch estimator run on the
// baked waveforms, or a model whose pitch is known exactly (the analytic test model).
inline constexpr char kF0SourceModel[] = "model";
inline constexpr char kF0SourceEstimated[] = "estimated";
inline constexpr char kF0SourceAnalytic[] = "analytic";
inline constexpr const char* kF0Sources[] = {kF0SourceModel, kF0SourceEstimated, kF0SourceAnalytic};
inline bool isF0Source(const std::string& s) {
  for (const char* k : kF0Sources)
    if (s == k) return true;
  return false;
}

inline constexpr char kStorageFloat32[] = "float32";
inline constexpr char kStorageInt16[] = "int16";
inline constexpr int kInt16Max = 32767;  // int16 stores round(x / scale), scale = max|x| / 32767

// Bounds the reader enforces before trusting a file.
inline constexpr int kMinSampleRate = 1000;    // Hz
inline constexpr int kMaxSampleRate = 384000;  // Hz
inline constexpr int kMinLength = 1;           // samples
inline constexpr int kMaxLength = 1 << 22;     // samples (190 s at 22050 Hz)
inline constexpr int kMinAxisPoints = 2;
inline constexpr int kMaxAxisPoints = 1024;
inline constexpr int64_t kMaxProjections = 1 << 22;
inline constexpr int64_t kMaxFamilyNames = 4096;
// Default cap on the waveform bytes a reader loads (ReadOptions::maxBytes).
inline constexpr int64_t kDefaultMaxBankBytes = int64_t{4} << 30;  // 4 GiB
inline constexpr int kSha256HexLength = 64;

inline const char* storageName(StorageType t) {
  return t == StorageType::kInt16 ? kStorageInt16 : kStorageFloat32;
}
inline std::optional<StorageType> parseStorage(const std::string& name) {
  if (name == kStorageFloat32) return StorageType::kFloat32;
  if (name == kStorageInt16) return StorageType::kInt16;
  return std::nullopt;
}
inline int bytesPerSample(StorageType t) { return t == StorageType::kInt16 ? 2 : 4; }

}  // namespace wae::bank

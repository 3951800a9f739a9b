// The generative.pt contract (docs/DESIGN.md, "The files"; docs/FORMATS.md): every method and
// attribute name defined once, for the writer (make_generative, the analytic test model) and
// the reader (GenerativeModel). No LibTorch here.
//
// A generative.pt is a TorchScript module with
//   forward(z: [B, 4]) -> [B, n_samples]        reduced latent (PCA inside) -> waveform
//   forward_full(z: [B, full_dim]) -> [B, n_samples]
//   project(mel: [B, n_mels, n_frames]) -> [B, 4]   optional: a dataset example's position
//   f0(z: [B, 4]) -> [B]                         optional: each point's fundamental in Hz,
//   f0_full(z: [B, full_dim]) -> [B]             0 where unpitched (float32)
//   decode(z: [B, full_dim]) -> [B, n_mels, n_frames]   optional: the mel its inverter renders
// and the attributes below, plus the audio settings under the names of
// common/audio_settings.h visitFields (sample_rate, n_fft, ..., n_samples).
#pragma once

namespace wae::generative {

inline constexpr char kFormatName[] = "wae-sampler-generative";
inline constexpr int kFormatVersion = 1;
inline constexpr int kReducedDim = 4;

// Bounds the reader enforces, so a corrupt file cannot make us allocate without limit.
inline constexpr int kMaxFullDim = 4096;
inline constexpr int kMaxSamples = 1 << 22;  // 190 s at 22050 Hz

namespace attr {
inline constexpr char kFormat[] = "format";                 // str: kFormatName
inline constexpr char kFormatVersion[] = "format_version";  // int: kFormatVersion
inline constexpr char kReducedDim[] = "reduced_dim";        // int: kReducedDim
inline constexpr char kFullDim[] = "full_dim";              // int: >= reduced_dim
inline constexpr char kAxisMin[] = "axis_min";              // List[float], 4 values
inline constexpr char kAxisMax[] = "axis_max";              // List[float], 4 values, > min
}  // namespace attr

namespace method {
inline constexpr char kForward[] = "forward";
inline constexpr char kForwardFull[] = "forward_full";
inline constexpr char kProject[] = "project";  // optional
inline constexpr char kF0[] = "f0";            // optional, with kF0Full
inline constexpr char kF0Full[] = "f0_full";   // optional, with kF0
// Optional, with kF0: (forward(z), f0(z)) from one run of the model.
inline constexpr char kForwardF0[] = "forward_f0";
// Optional, with kF0: (harmonic, noise, f0(z)), harmonic + noise = forward(z) up to rounding.
inline constexpr char kForwardParts[] = "forward_parts";
// Optional: decode(z: [B, full_dim]) -> the mel the inverter is given (make_generative's).
inline constexpr char kDecode[] = "decode";
}  // namespace method

}  // namespace wae::generative

// The model.pt contract (docs/DESIGN.md "The files"; docs/VAE.md): every method and attribute
// name defined once, for the writer (train_vae) and the readers (evaluate_vae,
// make_generative). No LibTorch here.
//
// A model.pt is a TorchScript module with
//   encode(mel: [B, n_mels, n_frames]) -> (mu: [B, D], logvar: [B, D])
//   decode(z: [B, D]) -> mel [B, n_mels, n_frames]        amplitude, > 0
//   forward(mel) -> mel                                   decode(encode(mel).mu)
//   decode_log(z) -> natural log of decode(z)             what the loss sees
//   log_mel(mel) -> log(mel + log_eps)                    the model's input compression
// and the attributes below plus the audio settings under the names of
// common/audio_settings.h visitFields (sample_rate, n_fft, ..., n_samples).
#pragma once

namespace wae::vae {

inline constexpr char kFormatName[] = "wae-sampler-model";
inline constexpr int kFormatVersion = 1;

// Each encoder level halves both mel axes, so n_mels and n_frames must be multiples of
// 2^kLevels.
inline constexpr int kLevels = 4;

// The pitch axis's coordinate: octaves from middle C.
inline constexpr double kPitchCenterMidi = 60.0;
inline constexpr double kSemitonesPerUnit = 12.0;
// The loudness axis's coordinate (loudness_axis): the demo corpus's notes lie at -54 to
// -28 dB (median -35) by the `loudness` method's measure.
inline constexpr double kLoudnessCenterDb = -35.0;
inline constexpr double kDbPerUnit = 6.0;

namespace attr {
inline constexpr char kLatentDim[] = "latent_dim";  // int D
inline constexpr char kChannels[] = "channels";     // int: first level's width
inline constexpr char kLogEps[] = "log_eps";        // float
// The slope of every leaky ReLU (0.2), read by the methods. Files written before it existed
// lack it and carry the slope as a literal in their own code.
inline constexpr char kLeakySlope[] = "leaky_slope";     // float
inline constexpr char kRegularizer[] = "regularizer";    // str: kl, mmd-rbf, mmd-imq
inline constexpr char kWeight[] = "regularizer_weight";  // float: beta or lambda
inline constexpr char kReconLoss[] = "recon_loss";       // str: l1 or l2
inline constexpr char kScWeight[] = "sc_weight";         // float: train_vae --sc-weight (0: off)
inline constexpr char kEpoch[] = "epoch";                // int: epochs trained
// Optional (absent in files written before it existed: no pitch axis). 1: latent axis 0
// is the pitch, z0 = (MIDI pitch - pitch_center) / pitch_scale; decode takes it as given
// and encode's mu[:, 0] is the encoder's estimate of it (logvar[:, 0] carries no meaning).
inline constexpr char kPitchAxis[] = "pitch_axis";      // int: 0 or 1
inline constexpr char kPitchCenter[] = "pitch_center";  // float: MIDI pitch at z0 = 0
inline constexpr char kPitchScale[] = "pitch_scale";    // float: semitones per unit of z0
// Optional (absent: no loudness axis). 1: latent axis 1 is the note's loudness, z1 =
// (dB - loudness_center) / loudness_scale with dB the mean mel power of its loudest frame
// (method loudness); encode's mu[:, 1] is exactly that, decode takes it as given.
inline constexpr char kLoudnessAxis[] = "loudness_axis";      // int: 0 or 1
inline constexpr char kLoudnessCenter[] = "loudness_center";  // float: dB at z1 = 0
inline constexpr char kLoudnessScale[] = "loudness_scale";    // float: dB per unit of z1
// Tensor buffers [n_mels]: per-band mean and std of log_mel over the training split.
inline constexpr char kLogMean[] = "log_mean";
inline constexpr char kLogStd[] = "log_std";
}  // namespace attr

namespace method {
inline constexpr char kEncode[] = "encode";
inline constexpr char kDecode[] = "decode";
inline constexpr char kForward[] = "forward";
inline constexpr char kDecodeLog[] = "decode_log";
inline constexpr char kLogMel[] = "log_mel";
inline constexpr char kLoudness[] = "loudness";  // mel [B, n_mels, n_frames] -> z1 [B]
}  // namespace method

}  // namespace wae::vae

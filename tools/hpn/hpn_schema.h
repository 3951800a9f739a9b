// The hpn.pt contract (docs/INVERSION.md, "The harmonic-plus-noise inverter"): every method
// and attribute name defined once, for the writer (train_hpn) and the readers
// (make_generative, evaluate_inversion). No LibTorch here.
//
// An hpn.pt is a TorchScript module with
//   forward(mel: [B, n_mels, T]) -> wave [B, hop_length * T]     any T >= 1; f0 predicted
//   pitch_hz(mel: [B, n_mels, T]) -> [B]       the f0 forward() synthesises, 0 if unpitched
//   synthesize(mel, f0_hz: [B]) -> wave        the network from a given f0 (fine-tuned within
//                                              tune_cents), no context added
//   pitch_logits(mel) -> [B, pitch_bins]       the pitch estimate's scores (training)
// plus the attributes below and the audio settings (common/audio_settings.h visitFields).
// Sample m of the output is centred on mel frame m / hop_length, the dataset's convention.
#pragma once

namespace wae::hpn {

inline constexpr char kFormatName[] = "wae-sampler-hpn";
inline constexpr int kFormatVersion = 3;  // 2: the f0 fine tuning; 3: the harmonic-template pitch

namespace attr {
inline constexpr char kHidden[] = "hidden";                   // int: channels of the controls net
inline constexpr char kLayers[] = "layers";                   // int: its residual layers
inline constexpr char kDilations[] = "dilations";             // List[int], one per layer
inline constexpr char kPitchHarmonics[] = "pitch_harmonics";  // int: harmonics of the pitch template
inline constexpr char kPitchFloorDb[] = "pitch_floor_db";     // float: the template's floor below the peak
// int: hidden units of the pitch scorer; absent in a file from before the scorer, whose
// scores are the template's alone (docs/INVERSION.md)
inline constexpr char kPitchHidden[] = "pitch_hidden";
inline constexpr char kNHarmonics[] = "n_harmonics";          // int
inline constexpr char kEnvBins[] = "env_bins";                // int: envelope points (mel-spaced)
inline constexpr char kEnvMelMax[] = "env_mel_max";           // float: Nyquist on the mel scale
inline constexpr char kPitchMin[] = "pitch_min";              // float: MIDI pitch of bin 0
inline constexpr char kPitchStep[] = "pitch_step";            // float: semitones between bins
inline constexpr char kPitchWindow[] = "pitch_window";        // float: decoding window, semitones
inline constexpr char kLogEps[] = "log_eps";                  // float: log(mel + log_eps)
inline constexpr char kLeakySlope[] = "leaky_slope";          // float
inline constexpr char kContextFrames[] = "context_frames";    // int: silence forward() adds
inline constexpr char kSilenceDb[] = "silence_db";            // float: pitch_hz's silence
inline constexpr char kVoicedFraction[] = "voiced_fraction";  // float: pitch_hz's voicing
inline constexpr char kTuneCents[] = "tune_cents";            // float: the fine tuning's range
inline constexpr char kEpoch[] = "epoch";                     // int: epochs trained
inline constexpr char kLogMean[] = "log_mean";  // buffer [n_mels], train split statistics
inline constexpr char kLogStd[] = "log_std";    // buffer [n_mels]
}  // namespace attr

namespace method {
inline constexpr char kForward[] = "forward";
inline constexpr char kPitchHz[] = "pitch_hz";
inline constexpr char kSynthesize[] = "synthesize";
inline constexpr char kPitchLogits[] = "pitch_logits";
inline constexpr char kParts[] = "parts";
}  // namespace method

}  // namespace wae::hpn

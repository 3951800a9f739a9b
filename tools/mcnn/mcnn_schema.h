// The mcnn.pt contract (docs/INVERSION.md): every method and attribute name defined once,
// for the writer (train_mcnn) and the readers (make_generative, evaluate_inversion). No
// LibTorch here.
//
// An mcnn.pt is a TorchScript module with
//   forward(mel: [B, n_mels, T]) -> wave [B, hop_length * T]    any T >= 1
//   synthesize(mel: [B, n_mels, T]) -> wave [B, hop_length * T] the network alone, without
//       the context_frames of silence forward() adds on each side (training calls it on
//       crops that carry real context)
// and the attributes below, plus the audio settings under the names of
// common/audio_settings.h visitFields (sample_rate, n_fft, ..., n_samples). Sample m of the
// output is centred on mel frame m / hop_length, as the dataset's frame convention
// (tools/audio/spectrogram.h) places frame t at sample t * hop_length.
#pragma once

namespace wae::mcnn {

inline constexpr char kFormatName[] = "wae-sampler-mcnn";
inline constexpr int kFormatVersion = 1;

namespace attr {
inline constexpr char kHeads[] = "heads";                   // int
inline constexpr char kWidths[] = "widths";                 // List[int]: channels per layer
inline constexpr char kKernelWidth[] = "kernel_width";      // int: taps of each layer
inline constexpr char kLogEps[] = "log_eps";                // float: log(mel + log_eps)
inline constexpr char kContextFrames[] = "context_frames";  // int: silence forward() adds
inline constexpr char kEpoch[] = "epoch";                   // int: epochs trained
// Tensor buffers [n_mels]: per-band mean and std of log(mel + log_eps) on the train split.
inline constexpr char kLogMean[] = "log_mean";
inline constexpr char kLogStd[] = "log_std";
}  // namespace attr

namespace method {
inline constexpr char kForward[] = "forward";
inline constexpr char kSynthesize[] = "synthesize";
// upsample(x, w, b, groups): one layer, a stride-2 transposed convolution computed as a
// polyphase convolution (exposed for the test against torch's conv_transpose1d).
inline constexpr char kUpsample[] = "upsample";
}  // namespace method

}  // namespace wae::mcnn

// The MCNN spectrogram inverter of mcnn.pt (Arik, Jun, Diamos 2018, "Fast Spectrogram
// Inversion using Multi-head Convolutional Neural Networks"), defined once as a TorchScript
// module built in C++ (torch::jit::Module::define): the module train_mcnn trains is the one
// it saves. Contract names in mcnn_schema.h; the architecture in docs/INVERSION.md.
//
// Architecture (H heads, L = log2(hop) layers, widths c_1..c_L with c_L = 1, K taps):
//   x = (log(mel + log_eps) - log_mean[band]) / log_std[band]              [B, 80, T]
//   each head: L x (transposed conv 1-D, stride 2, K taps, c_{l-1} -> c_l; ELU between
//              layers, none after the last)                                [B, 1, 2^L T]
//   y = sum_h g_h head_h                   (g: one trainable scalar per head)
//   wave = a y / (1 + |b y|)               (trainable scaled softsign)
// The transposed convolutions are computed as polyphase convolutions: the two output
// phases of a stride-2 transposed convolution with K = 4j + 1 taps are two ordinary
// convolutions of (K + 1) / 2 taps over the input (taken from the same K weights, one of
// them padded with a zero tap), computed as one convolution with twice the output channels
// and interleaved. Same arithmetic, about 20x faster than ConvTranspose1d on this CPU
// LibTorch (docs/INVERSION.md, "Transposed convolutions"). The H heads run as one grouped convolution per
// layer (the input is repeated H times for the first), so the weights of layer l are
// [H * c_{l-1}, c_l, K], the layout of torch's grouped conv_transpose1d.
//
// Threads: a module may be used by one thread at a time (torch's intra-op threads inside).
#pragma once

#include <torch/script.h>

#include <string>
#include <utility>
#include <vector>

#include "common/audio_settings.h"
#include "tools/mcnn/mcnn_config.h"

namespace wae::mcnn {

// The most layers a module may have: the TorchScript source (mcnn_model.torchscript,
// layer_parameters) names the parameters of this many.
inline constexpr int kMaxLayers = 16;

// Throws std::invalid_argument naming the bad field: heads in 1..64, one width per factor 2
// of hop_length (which must be a power of 2, at most 2^kMaxLayers), widths in 1..1024 with
// the last 1, kernel width 4 j + 1 in 5..65, log eps > 0, context frames in 0..64.
void validate(const McnnConfig& config, const AudioSettings& settings);

// A new, untrained module. Parameters drawn from torch's global generator (seed it first)
// and requiring grad. logMean, logStd: float [n_mels], per-band statistics of
// log(mel + logEps) on the train split (vae::logMelStatistics computes them).
torch::jit::Module makeMcnnModule(const McnnConfig& config, const AudioSettings& settings,
                                  const torch::Tensor& logMean, const torch::Tensor& logStd);

// Records the number of epochs trained (attribute epoch).
void setEpoch(torch::jit::Module& module, int epoch);

// What a loaded mcnn.pt declares about itself.
struct McnnInfo {
  McnnConfig config;
  AudioSettings settings;
  int epoch = 0;
};

// Checks format, version, methods and attributes of a loaded mcnn.pt; throws
// wae::FormatError naming `file` and the attribute or method.
McnnInfo checkMcnnModule(const torch::jit::Module& module, const std::string& file);

// loadModule + checkMcnnModule + eval().
torch::jit::Module loadMcnn(const std::string& file, McnnInfo* info = nullptr);

}  // namespace wae::mcnn

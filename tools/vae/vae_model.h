// The V(W)AE of model.pt, defined once as a TorchScript module built in C++
// (torch::jit::Module::define): the same module is trained (its parameters require grad
// and go to torch::optim) and saved, so the exported model cannot drift from the trained
// one. Contract names in vae_schema.h; the architecture in docs/VAE.md.
//
// Architecture (c = channels, D = latent_dim, mel [B, 80, 128]):
//   x = (log(mel + log_eps) - log_mean[band]) / log_std[band]            [B, 1, 80, 128]
//   encoder: 4 x (conv 4x4 stride 2 pad 1, leaky ReLU 0.2), widths c, 2c, 4c, 8c
//            -> [B, 8c, 5, 8] -> flatten -> linear to mu and to logvar   [B, D] each
//   decoder: linear D -> 8c*5*8, leaky ReLU, reshape [B, 8c, 5, 8]
//            4 x (conv 3x3 to 4x the next width, pixel shuffle x2, leaky ReLU),
//            widths 4c, 2c, c, c/2 -> [B, c/2, 80, 128]
//            conv 3x3 to 1 channel = normalised log mel; de-normalised, exp.
// Upsampling is sub-pixel (conv then pixel shuffle), not ConvTranspose2d, which was 10x
// slower on CPU here (docs/VAE.md).
//
// Threads: a module may be used by one thread at a time (torch's intra-op threads inside).
#pragma once

#include <torch/script.h>

#include <string>

#include "common/audio_settings.h"
#include "tools/vae/vae_config.h"
#include "tools/vae/vae_schema.h"

namespace wae::vae {

// Throws std::invalid_argument naming the bad field, also when the audio settings'
// n_mels or n_frames are not multiples of 2^kLevels.
void validate(const VaeConfig& config, const AudioSettings& settings);

// A new, untrained model. Parameters are drawn from torch's global generator (seed it
// first for a reproducible model) and require grad. logMean and logStd: float [n_mels],
// the per-band statistics of log(mel + logEps) on the training split (std > 0).
torch::jit::Module makeVaeModule(const VaeConfig& config, const AudioSettings& settings,
                                 const torch::Tensor& logMean, const torch::Tensor& logStd);

// The per-band statistics makeVaeModule wants: mean and std over examples and frames of
// log(mel + logEps), mels [N, n_mels, n_frames], the std floored at 1 neper (a band silent
// in the training split must not scale another example's energy there into thousands of
// standard deviations). Computed in float64, returned as float.
std::pair<torch::Tensor, torch::Tensor> logMelStatistics(const torch::Tensor& mels, double logEps);

// The pitch axis's coordinate of MIDI pitches (any shape): (midi - center) / scale, float.
// The defaults are what makeVaeModule records (vae_schema.h); a loaded model's are in VaeInfo.
torch::Tensor pitchCoordinate(const torch::Tensor& midi, double center = kPitchCenterMidi,
                              double scale = kSemitonesPerUnit);

// Records how the model was trained (attributes regularizer, regularizer_weight, recon_loss,
// epoch, sc_weight). makeVaeModule sets "none", 0, "l1", 0, 0.
void setTrainingInfo(torch::jit::Module& module, const std::string& regularizer, double weight,
                     const std::string& reconLoss, int epoch, double scWeight = 0.0);

// What a loaded model.pt declares about itself.
struct VaeInfo {
  VaeConfig config;
  AudioSettings settings;
  std::string regularizer;
  double weight = 0;
  std::string reconLoss;
  double scWeight = 0;  // train_vae --sc-weight (0 in files written before it)
  int epoch = 0;
  double pitchCenter = 0, pitchScale = 0;        // with config.pitchAxis (vae_schema.h)
  double loudnessCenter = 0, loudnessScale = 0;  // with config.loudnessAxis
};

// Checks format, version, methods and attributes of a loaded model.pt and returns them;
// throws wae::FormatError naming `file` and the attribute or method.
VaeInfo checkVaeModule(const torch::jit::Module& module, const std::string& file);

// loadModule + checkVaeModule, then the file's tensors and attributes in a module of this
// build's methods (makeVaeModule), eval().
torch::jit::Module loadVae(const std::string& file, VaeInfo* info = nullptr);

}  // namespace wae::vae

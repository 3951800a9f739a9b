// PCA of latent codes and the generative.pt module built around it. LibTorch: tools only.
#pragma once

#include <torch/script.h>

#include <array>
#include <string>

#include "common/audio_settings.h"

namespace wae::generative {

struct LatentPca {
  torch::Tensor mean;        // float64 [D]
  torch::Tensor components;  // float64 [k, D], orthonormal rows, by decreasing variance
  torch::Tensor variances;   // float64 [k], decreasing: the variance of each projection
  double totalVariance = 0;  // sum of the variances of all D coordinates
};

// codes: [N, D], N >= 2, D >= k. Covariance with 1 / (N - 1), eigen-decomposed in float64.
// Each component's sign is fixed so that its largest-magnitude coordinate is positive (a
// deterministic choice, so the same codes always give the same axes). Throws
// std::invalid_argument for too few codes or non-finite values.
LatentPca latentPca(const torch::Tensor& codes, int k = 4);

// For a VAE whose first `fixed` latent axes are given ones (vae_schema.h: the pitch, and
// the loudness): those are kept as they are (component i < fixed = the unit vector of
// latent axis i, its variance that of codes[:, i]) and the other k - fixed components are
// the PCA of codes[:, fixed:], with 0 on the fixed axes. The variances then decrease from
// component `fixed` on only. Same requirements as latentPca, 1 <= fixed < k, D > k - fixed.
LatentPca latentPcaFixedFirst(const torch::Tensor& codes, int k = 4, int fixed = 1);

// What forward() adds to the PCA reconstruction mean + z C: an estimate of the other latent
// directions given the 4 axes, E[residual | z], by Nadaraya-Watson kernel regression over
// the train split's codes. With q = z / axisStd (each axis in units of its std),
//   w_i = softmax_i( -|q - points_i|^2 / (2 bandwidth^2) ),   residual(z) = sum_i w_i values_i,
// where points_i are the train codes' projections / axisStd and values_i their residuals
// (code - mean - projection C). Without it (bandwidth 0) the other directions sit at the
// mean, where the decoder gives a blurred, quieter "average" sound; with it, a point near a
// train example decodes close to that example, and far from all of them the weights go to
// the nearest. Continuous in z; the reach of each example is `bandwidth` axis stds.
struct ResidualRegression {
  torch::Tensor points;   // [N, 4]
  torch::Tensor values;   // [N, D]
  torch::Tensor axisStd;  // [4]
  double bandwidth = 0;   // 0: no residual
};

// The regression over `codes` [N, D] for `pca`, or an empty one (bandwidth 0) for bandwidth 0
// or a latent of 4 dimensions (D = 4: the axes span it).
ResidualRegression residualRegression(const torch::Tensor& codes, const LatentPca& pca,
                                      double bandwidth);

struct GenerativeParts {
  torch::jit::Module vae;       // model.pt (encode, decode)
  torch::jit::Module inverter;  // forward(mel) -> wave
  LatentPca pca;                // k = 4
  ResidualRegression residual;  // bandwidth 0: none
  // forward() scales a waveform whose peak exceeds this down to it (0: off). The decoder
  // extrapolates far from the data (the corners of the 4-D box), up to 11x full scale on
  // the demo model; a sampler must not clip there.
  double peakLimit = 0;
  // forward() and forward_full() multiply every waveform by this (make_generative.h,
  // levelNotes): the attribute level_gain.
  double levelGain = 1.0;
  // forward() and forward_full() fade each note in over this many samples (a half cosine
  // from 0), so that no voice starts with a step; 0: off.
  int onsetFadeSamples = 0;
  std::array<double, 4> axisMin{}, axisMax{};
  AudioSettings settings;  // recorded as generative.pt's attributes
  int fullDim = 0;
  std::string inverterDescription;
  // Synthesise every note at the pitch axis's f0 (vae_schema.h: latent coordinate 0) rather
  // than at the pitch the inverter finds in the decoded mel: needs a VAE with a pitch axis
  // and an hpn.pt inverter (generative_axis.torchscript).
  bool pitchFromAxis = false;
  // Scale each decoded mel so that its loudness (the VAE's loudness method) is within
  // levelToleranceDb of the loudness axis's (vae_schema.h: latent coordinate 1), by at most
  // levelLimitDb either way: needs a VAE with a loudness axis (generative_level.torchscript).
  bool levelFromAxis = false;
  double levelLimitDb = 0;
  double levelToleranceDb = 0;
};

// Whether an inverter can synthesise a note at a given f0 (an hpn.pt: synthesize_f0 and
// voiced_at), which GenerativeParts::pitchFromAxis needs.
bool synthesisesAtGivenPitch(const torch::jit::Module& inverter);

// The generative.pt module (see make_generative.h for its methods); the submodules are
// `vae` and `inverter`, the PCA the buffers pca_mean [D] and pca_components [4, D] (float32),
// the residual regression the buffers axis_std [4], residual_points [N, 4], residual_values
// [N, D] and the attribute residual_bandwidth (0: none, N = 0); the attributes peak_limit
// and level_gain; with levelFromAxis, level_from_axis, level_limit_db and level_tolerance_db.
torch::jit::Module buildGenerativeModule(const GenerativeParts& parts);

}  // namespace wae::generative

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

struct GenerativeParts {
  torch::jit::Module vae;       // model.pt (encode, decode)
  torch::jit::Module inverter;  // forward(mel) -> wave
  LatentPca pca;                // k = 4
  std::array<double, 4> axisMin{}, axisMax{};
  AudioSettings settings;  // recorded as generative.pt's attributes
  int fullDim = 0;
  std::string inverterDescription;
};

// The generative.pt module (see make_generative.h for its methods); the submodules are
// `vae` and `inverter`, the PCA the buffers pca_mean [D] and pca_components [4, D] (float32).
torch::jit::Module buildGenerativeModule(const GenerativeParts& parts);

}  // namespace wae::generative

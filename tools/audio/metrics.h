// The quality measures of docs/DESIGN.md between a reference wave and an estimate, on STFT
// magnitudes with the STFT of spectrogram.h (all 1 + N / hop frames, nFft / 2 + 1 bins).
// LibTorch.
//
// With S = |STFT(ref)|, S^ = |STFT(est)|, bins f = 1..F, frames t = 1..T:
//   LSD [dB] = mean_t sqrt( mean_f ( 20 log10(S[f,t] + eps) - 20 log10(S^[f,t] + eps) )^2 ),
//              eps = kLsdEpsilon = 1e-5 (keeps silent bins finite; it caps the distance a
//              silent bin can add, so LSD(x, 0.5 x) is 20 log10 2 = 6.0206 dB only where
//              |S| >> eps);
//   SC        = ||S - S^||_F / ||S||_F (Frobenius norms over all bins and frames).
// Waves are [N] or [B, N] with equal shapes; for a batch the measure is computed per
// example and averaged over the batch. Both are 0 for identical waves. Computed in float64.
// Thread-safe; runs on the waves' device.
#pragma once

#include <torch/torch.h>

#include "common/audio_settings.h"

namespace wae {

inline constexpr double kLsdEpsilon = 1e-5;

// Log-spectral distance in dB (formula above). Throws std::invalid_argument for different
// shapes or a wave that is not [N] / [B, N].
double logSpectralDistanceDb(const torch::Tensor& ref, const torch::Tensor& est,
                             const AudioSettings& settings);

// Spectral convergence (formula above), a ratio (0 = identical). Throws
// std::invalid_argument for different shapes; a silent reference gives +inf (or NaN if
// the estimate is silent too), which callers should treat as undefined.
double spectralConvergence(const torch::Tensor& ref, const torch::Tensor& est,
                           const AudioSettings& settings);

}  // namespace wae

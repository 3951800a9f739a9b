// The MCNN's training loss (Arik et al. 2018, section 3.2), on STFTs of several sizes:
//   spectral convergence  ||S - S^||_F / ||S||_F over the whole batch (pooled, so a silent
//                         crop cannot blow the ratio up)
//   log-magnitude L1      mean |log(|S| + eps) - log(|S^| + eps)|
//   instantaneous freq.   sum_{f,t} |S| (1 - cos(dphi - dphi^)) / sum |S|, dphi the phase
//                         advance of a bin from one frame to the next: the paper's IF loss
//                         made wrap-safe and weighted by the reference magnitude, so silent
//                         bins (random phase) do not count
//   weighted phase        sum (|S||S^| - Re(S conj(S^))) / sum |S|^2, the paper's weighted
//                         phase loss normalised to be scale-free
// each averaged over the FFT sizes (Hann window of the FFT size, hop size / 4, centred), and
//   total = sc * SC + logMag * LM + instFreq * IF + phase * PH.
// LibTorch; differentiable in the estimate. Stateless and thread-safe.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace wae::mcnn {

struct SpectralLossOptions {
  std::vector<int> fftSizes{512, 1024, 2048};
  double scWeight = 1.0;
  double logMagWeight = 1.0;
  double instFreqWeight = 0.0;
  double phaseWeight = 0.0;
  double magEps = 1e-5;  // as the LSD metric's epsilon (tools/audio/metrics.h)
};

// Throws std::invalid_argument naming the bad option (FFT sizes powers of 2 in 16..8192,
// weights finite and >= 0, at least one positive).
void validate(const SpectralLossOptions& options);

struct SpectralLossTerms {
  torch::Tensor total, sc, logMag, instFreq, phase;  // scalars; instFreq, phase are 0
                                                     // (and not computed) at weight 0
};

// est, ref: waves [B, N] of equal shape, N > the largest FFT size / 2.
SpectralLossTerms spectralLoss(const torch::Tensor& est, const torch::Tensor& ref,
                               const SpectralLossOptions& options);

}  // namespace wae::mcnn

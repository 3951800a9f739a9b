// The training objective's terms and the mel quality measures (docs/VAE.md has the
// formulas). LibTorch; every function is pure and thread-safe, differentiable where it is a
// loss term, and runs on its inputs' device.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace wae::vae {

enum class Regularizer { kKl, kMmdRbf, kMmdImq };
enum class ReconLoss { kL1, kL2 };

// "kl", "mmd-rbf", "mmd-imq" / "l1", "l2"; parse* throws std::invalid_argument listing
// the accepted names.
std::string regularizerName(Regularizer r);
Regularizer parseRegularizer(const std::string& name);
std::string reconLossName(ReconLoss r);
ReconLoss parseReconLoss(const std::string& name);

// sigma^2 of the kernel scales summed in the MMD (C = 2 * D * sigma^2), as in Tolstikhin
// et al.'s WAE experiments.
const std::vector<double>& defaultMmdScales();

// KL(N(mu, exp(logvar)) || N(0, I)) = 0.5 * sum_d (mu^2 + exp(logvar) - logvar - 1),
// per example; mean over the batch. mu, logvar: [B, D].
torch::Tensor klDivergence(const torch::Tensor& mu, const torch::Tensor& logvar);

// Unbiased estimate of MMD^2 between the codes z [n, D] and prior samples p [m, D]
// (n, m >= 2), summed over the kernels k_C for C = 2 * D * s, s in sigma2s:
//   rbf: k_C(x, y) = exp(-|x - y|^2 / C)      imq: k_C(x, y) = C / (C + |x - y|^2)
//   MMD^2 = sum_{i != j} k(z_i, z_j) / (n (n - 1)) + sum_{i != j} k(p_i, p_j) / (m (m - 1))
//           - 2 sum_{i, j} k(z_i, p_j) / (n m)
// Throws std::invalid_argument for kKl or too few samples.
torch::Tensor mmd(const torch::Tensor& z, const torch::Tensor& p, Regularizer kernel,
                  const std::vector<double>& sigma2s = defaultMmdScales());

// Reconstruction term on log mels [B, bands, frames]: per example the sum over bands and
// frames of |pred - target| (l1) or 0.5 (pred - target)^2 (l2), i.e. the negative
// log-likelihood of a unit-scale Laplace or Gaussian up to a constant; mean over the batch.
torch::Tensor reconstruction(const torch::Tensor& predLog, const torch::Tensor& targetLog,
                             ReconLoss loss);

// The mels' spectral convergence, per example ||exp(pred) - exp(target)||_F / ||exp(target)||_F
// over bands and frames (the amplitude mels of natural-log ones), mean over the batch: the
// measure of the waveforms' SC on the mels, which weighs a note's loud bins where the log
// loss weighs every bin alike. pred is clamped at 10 before exp (an amplitude of e^10, far
// above any note's), so that an early step cannot overflow.
torch::Tensor melSpectralConvergence(const torch::Tensor& predLog, const torch::Tensor& targetLog);

// Mel quality on amplitude mels [B, bands, frames] (docs/DESIGN.md "Quality measures"), one value
// per example, computed in float64:
//   mel L1     = mean over bands and frames of |M - M^|
//   mel LSD dB = mean_t sqrt( mean_f ( 20 log10(M[f,t] + eps) - 20 log10(M^[f,t] + eps) )^2 )
// with eps = kMelLsdEpsilon: -80 dB re a mel amplitude of 1, about the peak of a loud note
// in our datasets, so that silent bins count as -80 dB rather than as -inf.
inline constexpr double kMelLsdEpsilon = 1e-4;
torch::Tensor melL1(const torch::Tensor& ref, const torch::Tensor& est);
torch::Tensor melLsdDb(const torch::Tensor& ref, const torch::Tensor& est,
                       double eps = kMelLsdEpsilon);

}  // namespace wae::vae

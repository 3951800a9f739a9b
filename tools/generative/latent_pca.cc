#include "tools/generative/latent_pca.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "tools/generative/generative_axis_source.h"
#include "tools/generative/generative_f0_source.h"
#include "tools/generative/generative_level_source.h"
#include "tools/generative/generative_schema.h"
#include "tools/generative/generative_source.h"
#include "tools/torchscript/attributes.h"

namespace wae::generative {
namespace {

namespace ts = torchscript;

// kGenerativeSource, kGenerativeAxisSource, kGenerativeLevelSource and kGenerativeF0Source:
// the methods of generative.pt, tools/generative/generative*.torchscript, embedded at build
// time.

std::vector<double> toVector(const std::array<double, 4>& a) { return {a.begin(), a.end()}; }

}  // namespace

LatentPca latentPca(const torch::Tensor& codes, int k) {
  torch::NoGradGuard noGrad;
  if (codes.dim() != 2 || codes.size(0) < 2 || codes.size(1) < k)
    throw std::invalid_argument("latent PCA needs codes [N >= 2, D >= " + std::to_string(k) + "]");
  const torch::Tensor x = codes.to(torch::kFloat64);
  if (!torch::isfinite(x).all().item<bool>())
    throw std::invalid_argument("latent PCA: the codes hold NaN or infinite values");
  LatentPca p;
  p.mean = x.mean(0);
  const torch::Tensor centred = x - p.mean;
  const torch::Tensor cov = centred.t().matmul(centred) / double(x.size(0) - 1);
  const auto [values, vectors] = torch::linalg_eigh(cov);  // ascending eigenvalues
  const torch::Tensor order = torch::argsort(values, /*dim=*/0, /*descending=*/true);
  torch::Tensor comps = vectors.index_select(1, order.narrow(0, 0, k)).t().contiguous();  // [k, D]
  const torch::Tensor largest = comps.abs().argmax(1);
  const torch::Tensor signs = torch::sign(comps.gather(1, largest.unsqueeze(1)));
  p.components = comps * torch::where(signs == 0, torch::ones_like(signs), signs);
  p.variances = values.index_select(0, order.narrow(0, 0, k)).clamp_min(0.0);
  p.totalVariance = values.clamp_min(0.0).sum().item<double>();
  return p;
}

LatentPca latentPcaFixedFirst(const torch::Tensor& codes, int k, int fixed) {
  torch::NoGradGuard noGrad;
  if (codes.dim() != 2 || codes.size(0) < 2 || codes.size(1) < k || k < 2 || fixed < 1 ||
      fixed >= k)
    throw std::invalid_argument("latent PCA needs codes [N >= 2, D >= " + std::to_string(k) +
                                "] and 1 <= fixed axes < " + std::to_string(k));
  const LatentPca rest = latentPca(codes.slice(1, fixed), k - fixed);
  const torch::Tensor given = codes.slice(1, 0, fixed).to(torch::kFloat64);
  const torch::Tensor variance = given.var(0, /*unbiased=*/true);
  LatentPca p;
  p.mean = torch::cat({given.mean(0), rest.mean});
  p.components = torch::zeros({k, codes.size(1)}, torch::kFloat64);
  for (int i = 0; i < fixed; ++i) p.components[i][i] = 1.0;
  p.components.slice(0, fixed).slice(1, fixed).copy_(rest.components);
  p.variances = torch::cat({variance, rest.variances});
  p.totalVariance = variance.sum().item<double>() + rest.totalVariance;
  return p;
}

ResidualRegression residualRegression(const torch::Tensor& codes, const LatentPca& pca,
                                      double bandwidth) {
  torch::NoGradGuard noGrad;
  if (!(bandwidth >= 0) || !std::isfinite(bandwidth))
    throw std::invalid_argument("the residual bandwidth must be >= 0, got " +
                                std::to_string(bandwidth));
  ResidualRegression r;
  // A latent of 4 dimensions is the 4 axes' whole span: no residual is left to regress (it
  // would add rounding, at the cost of a distance to every code per call).
  if (bandwidth == 0 || pca.components.size(1) == pca.components.size(0)) return r;
  r.bandwidth = bandwidth;
  const torch::Tensor centred = codes.to(torch::kFloat64) - pca.mean;
  const torch::Tensor projections = centred.matmul(pca.components.t());  // [N, 4]
  r.axisStd = pca.variances.sqrt().clamp_min(1e-6);
  r.points = projections / r.axisStd;
  r.values = centred - projections.matmul(pca.components);
  return r;
}

bool synthesisesAtGivenPitch(const torch::jit::Module& inverter) {
  return inverter.find_method("synthesize_f0").has_value() &&
         inverter.find_method("voiced_at").has_value();
}

torch::jit::Module buildGenerativeModule(const GenerativeParts& parts) {
  if (parts.fullDim < kReducedDim || parts.fullDim > kMaxFullDim)
    throw std::invalid_argument("generative.pt needs a latent of 4.." +
                                std::to_string(kMaxFullDim) + " dimensions, got " +
                                std::to_string(parts.fullDim));
  if (parts.pca.components.size(0) != kReducedDim || parts.pca.components.size(1) != parts.fullDim)
    throw std::invalid_argument("buildGenerativeModule: PCA components must be [4, full_dim]");
  torch::jit::Module m("WaeSamplerGenerative");
  m.register_module("vae", parts.vae);
  m.register_module("inverter", parts.inverter);
  m.register_buffer("pca_mean", parts.pca.mean.to(torch::kFloat32).contiguous());
  m.register_buffer("pca_components", parts.pca.components.to(torch::kFloat32).contiguous());
  // The conditional residual (see ResidualRegression); empty with bandwidth 0.
  const ResidualRegression& rr = parts.residual;
  const bool withResidual = rr.bandwidth > 0;
  if (withResidual && (rr.points.dim() != 2 || rr.points.size(1) != kReducedDim ||
                       rr.values.dim() != 2 || rr.values.size(0) != rr.points.size(0) ||
                       rr.values.size(1) != parts.fullDim || rr.axisStd.numel() != kReducedDim))
    throw std::invalid_argument(
        "buildGenerativeModule: residual points must be [N, 4], values [N, full_dim], axis "
        "std [4]");
  m.register_buffer("axis_std", withResidual ? rr.axisStd.to(torch::kFloat32).contiguous()
                                             : torch::ones({kReducedDim}));
  m.register_buffer("residual_points", withResidual ? rr.points.to(torch::kFloat32).contiguous()
                                                    : torch::zeros({0, kReducedDim}));
  m.register_buffer("residual_values", withResidual ? rr.values.to(torch::kFloat32).contiguous()
                                                    : torch::zeros({0, parts.fullDim}));
  ts::setDouble(m, "residual_bandwidth", withResidual ? rr.bandwidth : 0.0);
  if (!(parts.peakLimit >= 0) || !std::isfinite(parts.peakLimit))
    throw std::invalid_argument("the peak limit must be >= 0, got " +
                                std::to_string(parts.peakLimit));
  ts::setDouble(m, "peak_limit", parts.peakLimit);
  if (!(parts.levelGain > 0) || !std::isfinite(parts.levelGain))
    throw std::invalid_argument("the level gain must be positive, got " +
                                std::to_string(parts.levelGain));
  ts::setDouble(m, "level_gain", parts.levelGain);
  if (parts.onsetFadeSamples < 0)
    throw std::invalid_argument("the onset fade must be >= 0 samples, got " +
                                std::to_string(parts.onsetFadeSamples));
  ts::setInt(m, "onset_fade", parts.onsetFadeSamples);
  ts::setString(m, attr::kFormat, kFormatName);
  ts::setInt(m, attr::kFormatVersion, kFormatVersion);
  ts::setInt(m, attr::kReducedDim, kReducedDim);
  ts::setInt(m, attr::kFullDim, parts.fullDim);
  ts::setDoubles(m, attr::kAxisMin, toVector(parts.axisMin));
  ts::setDoubles(m, attr::kAxisMax, toVector(parts.axisMax));
  ts::setAudioSettings(m, parts.settings);
  ts::setString(m, "inverter_description", parts.inverterDescription);
  std::vector<double> variances(kReducedDim);
  for (int i = 0; i < kReducedDim; ++i) variances[i] = parts.pca.variances[i].item<double>();
  ts::setDoubles(m, "axis_variance", variances);
  ts::setDouble(m, "latent_total_variance", parts.pca.totalVariance);
  if (parts.pitchFromAxis) {
    if (!parts.vae.hasattr("pitch_center") || !synthesisesAtGivenPitch(parts.inverter))
      throw std::invalid_argument(
          "buildGenerativeModule: pitch from the axis needs a VAE with a pitch axis and an "
          "inverter with synthesize_f0 and voiced_at (an hpn.pt)");
    ts::setInt(m, "pitch_from_axis", 1);
    m.define(kGenerativeAxisSource);
  }
  if (parts.levelFromAxis) {
    if (!parts.vae.hasattr("loudness_axis") || parts.vae.attr("loudness_axis").toInt() != 1)
      throw std::invalid_argument(
          "buildGenerativeModule: the level from the axis needs a VAE with a loudness axis");
    if (!(parts.levelLimitDb > 0) || !std::isfinite(parts.levelLimitDb))
      throw std::invalid_argument("the level correction's limit must be positive, got " +
                                  std::to_string(parts.levelLimitDb) + " dB");
    ts::setInt(m, "level_from_axis", 1);
    if (!(parts.levelToleranceDb >= 0) || !std::isfinite(parts.levelToleranceDb))
      throw std::invalid_argument("the level correction's tolerance must be at least 0, got " +
                                  std::to_string(parts.levelToleranceDb) + " dB");
    ts::setDouble(m, "level_limit_db", parts.levelLimitDb);
    ts::setDouble(m, "level_tolerance_db", parts.levelToleranceDb);
    m.define(kGenerativeLevelSource);
  }
  m.define(kGenerativeSource);
  // An inverter that knows the pitch it synthesises (hpn.pt) gives each point's f0.
  if (parts.inverter.find_method("pitch_hz")) m.define(kGenerativeF0Source);
  m.eval();
  return m;
}

}  // namespace wae::generative

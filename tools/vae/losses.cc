#include "tools/vae/losses.h"

#include <stdexcept>

namespace wae::vae {
namespace {

void requireSameShape(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  if (a.sizes() != b.sizes())
    throw std::invalid_argument(std::string(what) + ": tensors of different shapes");
}

}  // namespace

std::string regularizerName(Regularizer r) {
  switch (r) {
    case Regularizer::kKl:
      return "kl";
    case Regularizer::kMmdRbf:
      return "mmd-rbf";
    case Regularizer::kMmdImq:
      return "mmd-imq";
  }
  return "?";
}

Regularizer parseRegularizer(const std::string& name) {
  for (Regularizer r : {Regularizer::kKl, Regularizer::kMmdRbf, Regularizer::kMmdImq})
    if (regularizerName(r) == name) return r;
  throw std::invalid_argument("regularizer \"" + name + "\": expected kl, mmd-rbf or mmd-imq");
}

std::string reconLossName(ReconLoss r) { return r == ReconLoss::kL1 ? "l1" : "l2"; }

ReconLoss parseReconLoss(const std::string& name) {
  if (name == "l1") return ReconLoss::kL1;
  if (name == "l2") return ReconLoss::kL2;
  throw std::invalid_argument("reconstruction loss \"" + name + "\": expected l1 or l2");
}

const std::vector<double>& defaultMmdScales() {
  static const std::vector<double> scales = {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0};
  return scales;
}

torch::Tensor klDivergence(const torch::Tensor& mu, const torch::Tensor& logvar) {
  requireSameShape(mu, logvar, "klDivergence");
  return (0.5 * (mu.pow(2) + logvar.exp() - logvar - 1.0).sum(1)).mean();
}

torch::Tensor mmd(const torch::Tensor& z, const torch::Tensor& p, Regularizer kernel,
                  const std::vector<double>& sigma2s) {
  if (kernel == Regularizer::kKl) throw std::invalid_argument("mmd: kl is not a kernel");
  if (z.dim() != 2 || p.dim() != 2 || z.size(1) != p.size(1))
    throw std::invalid_argument("mmd: expected z [n, D] and p [m, D]");
  const int64_t n = z.size(0), m = p.size(0), d = z.size(1);
  if (n < 2 || m < 2) throw std::invalid_argument("mmd: needs at least 2 samples on each side");
  // Squared distances from the differences (not |x|^2 + |y|^2 - 2xy, which cancels badly
  // and can go negative); sizes here are a batch, so [n, m, D] is small.
  auto sqDist = [](const torch::Tensor& a, const torch::Tensor& b) {
    return (a.unsqueeze(1) - b.unsqueeze(0)).pow(2).sum(2);
  };
  const torch::Tensor dzz = sqDist(z, z), dpp = sqDist(p, p), dzp = sqDist(z, p);
  const torch::Tensor offZ = 1.0 - torch::eye(n, z.options());
  const torch::Tensor offP = 1.0 - torch::eye(m, p.options());
  torch::Tensor total = torch::zeros({}, z.options());
  for (double s : sigma2s) {
    const double c = 2.0 * double(d) * s;
    auto k = [&](const torch::Tensor& sq) {
      return kernel == Regularizer::kMmdRbf ? torch::exp(-sq / c) : c / (c + sq);
    };
    total = total + (k(dzz) * offZ).sum() / double(n * (n - 1)) +
            (k(dpp) * offP).sum() / double(m * (m - 1)) - 2.0 * k(dzp).sum() / double(n * m);
  }
  return total;
}

torch::Tensor reconstruction(const torch::Tensor& predLog, const torch::Tensor& targetLog,
                             ReconLoss loss) {
  requireSameShape(predLog, targetLog, "reconstruction");
  const torch::Tensor diff = predLog - targetLog;
  const torch::Tensor perElement = loss == ReconLoss::kL1 ? diff.abs() : 0.5 * diff.pow(2);
  return perElement.flatten(1).sum(1).mean();
}

torch::Tensor melSpectralConvergence(const torch::Tensor& predLog, const torch::Tensor& targetLog) {
  requireSameShape(predLog, targetLog, "melSpectralConvergence");
  const torch::Tensor target = targetLog.exp().flatten(1);
  const torch::Tensor diff = predLog.clamp_max(10.0).exp().flatten(1) - target;
  return (diff.pow(2).sum(1).sqrt() / target.pow(2).sum(1).sqrt().clamp_min(1e-12)).mean();
}

torch::Tensor melL1(const torch::Tensor& ref, const torch::Tensor& est) {
  requireSameShape(ref, est, "melL1");
  return (ref.to(torch::kFloat64) - est.to(torch::kFloat64)).abs().flatten(1).mean(1);
}

torch::Tensor melLsdDb(const torch::Tensor& ref, const torch::Tensor& est, double eps) {
  requireSameShape(ref, est, "melLsdDb");
  if (ref.dim() != 3) throw std::invalid_argument("melLsdDb: expected [B, bands, frames]");
  const torch::Tensor a = 20.0 * torch::log10(ref.to(torch::kFloat64).clamp_min(0) + eps);
  const torch::Tensor b = 20.0 * torch::log10(est.to(torch::kFloat64).clamp_min(0) + eps);
  return (a - b).pow(2).mean(1).sqrt().mean(1);
}

}  // namespace wae::vae

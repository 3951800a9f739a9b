// The loss terms against values computed by hand (closed forms on 2-point sets) and against
// a scalar transcription of the formulas on random tensors.
#include "tools/vae/losses.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wae::vae {
namespace {

torch::Tensor t2(std::vector<std::vector<double>> rows) {
  torch::Tensor t = torch::empty({int64_t(rows.size()), int64_t(rows[0].size())}, torch::kFloat64);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) t[i][j] = rows[i][j];
  return t;
}

TEST(Losses, KlMatchesTheClosedForm) {
  // 0.5 * ((1 + 1 - 0 - 1) + (0 + 2 - ln 2 - 1)) = 1 - ln(2) / 2
  const torch::Tensor mu = t2({{1.0, 0.0}});
  const torch::Tensor logvar = t2({{0.0, std::log(2.0)}});
  EXPECT_NEAR(klDivergence(mu, logvar).item<double>(), 1.0 - std::log(2.0) / 2, 1e-12);
  // Mean over the batch; zero at the prior.
  const torch::Tensor mu2 = t2({{1.0, 0.0}, {0.0, 0.0}});
  const torch::Tensor lv2 = t2({{0.0, std::log(2.0)}, {0.0, 0.0}});
  EXPECT_NEAR(klDivergence(mu2, lv2).item<double>(), (1.0 - std::log(2.0) / 2) / 2, 1e-12);
}

// z = {(0,0), (1,0)}, p = {(0,1), (1,1)}, D = 2, one scale sigma^2 = 1: C = 4.
// Within each set the one distance^2 is 1; across, 1, 2, 2, 1.
//   rbf: e^{-1/4} + e^{-1/4} - 2 (2 e^{-1/4} + 2 e^{-1/2}) / 4 = e^{-1/4} - e^{-1/2}
//   imq: 4/5 + 4/5 - 2 (2 * 4/5 + 2 * 4/6) / 4 = 4/5 - 2/3 = 2/15
TEST(Losses, MmdMatchesHandComputedValues) {
  const torch::Tensor z = t2({{0, 0}, {1, 0}});
  const torch::Tensor p = t2({{0, 1}, {1, 1}});
  EXPECT_NEAR(mmd(z, p, Regularizer::kMmdRbf, {1.0}).item<double>(),
              std::exp(-0.25) - std::exp(-0.5), 1e-12);
  EXPECT_NEAR(mmd(z, p, Regularizer::kMmdImq, {1.0}).item<double>(), 2.0 / 15.0, 1e-12);
  // Scales add up: sigma^2 = 0.5 gives C = 2.
  EXPECT_NEAR(mmd(z, p, Regularizer::kMmdRbf, {1.0, 0.5}).item<double>(),
              std::exp(-0.25) - std::exp(-0.5) + std::exp(-0.5) - std::exp(-1.0), 1e-12);
  EXPECT_NEAR(mmd(z, p, Regularizer::kMmdImq, {0.5}).item<double>(),
              2 * (2.0 / 3.0) - (2.0 / 3.0 + 0.5), 1e-12);  // 1/6
}

double scalarMmd(const torch::Tensor& z, const torch::Tensor& p, bool rbf,
                 const std::vector<double>& scales) {
  const int64_t n = z.size(0), m = p.size(0), d = z.size(1);
  auto a = z.accessor<double, 2>();
  auto b = p.accessor<double, 2>();
  double total = 0;
  for (double s : scales) {
    const double c = 2.0 * d * s;
    auto k = [&](auto& x, int64_t i, auto& y, int64_t j) {
      double sq = 0;
      for (int64_t k2 = 0; k2 < d; ++k2) sq += (x[i][k2] - y[j][k2]) * (x[i][k2] - y[j][k2]);
      return rbf ? std::exp(-sq / c) : c / (c + sq);
    };
    double zz = 0, pp = 0, zp = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        if (i != j) zz += k(a, i, a, j);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < m; ++j)
        if (i != j) pp += k(b, i, b, j);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) zp += k(a, i, b, j);
    total += zz / (n * (n - 1)) + pp / (m * (m - 1)) - 2 * zp / (n * m);
  }
  return total;
}

TEST(Losses, MmdMatchesAScalarTranscriptionOnRandomCodes) {
  torch::manual_seed(3);
  const torch::Tensor z = torch::randn({7, 5}, torch::kFloat64) * 1.5 + 0.3;
  const torch::Tensor p = torch::randn({6, 5}, torch::kFloat64);
  for (bool rbf : {true, false}) {
    const Regularizer r = rbf ? Regularizer::kMmdRbf : Regularizer::kMmdImq;
    EXPECT_NEAR(mmd(z, p, r).item<double>(), scalarMmd(z, p, rbf, defaultMmdScales()), 1e-10);
  }
  // Unbiased: two large samples of the same distribution give about 0, and a shifted one
  // clearly more.
  const torch::Tensor q1 = torch::randn({400, 4}, torch::kFloat64);
  const torch::Tensor q2 = torch::randn({400, 4}, torch::kFloat64);
  EXPECT_LT(std::abs(mmd(q1, q2, Regularizer::kMmdRbf).item<double>()), 0.01);
  EXPECT_GT(mmd(q1 + 1.0, q2, Regularizer::kMmdRbf).item<double>(), 0.1);
}

TEST(Losses, MmdRefusesBadInput) {
  const torch::Tensor z = torch::zeros({1, 2});
  EXPECT_THROW(mmd(z, torch::zeros({3, 2}), Regularizer::kMmdRbf), std::invalid_argument);
  EXPECT_THROW(mmd(torch::zeros({3, 2}), torch::zeros({3, 3}), Regularizer::kMmdImq),
               std::invalid_argument);
  EXPECT_THROW(mmd(torch::zeros({3, 2}), torch::zeros({3, 2}), Regularizer::kKl),
               std::invalid_argument);
}

TEST(Losses, ReconstructionSumsPerExampleAndAveragesTheBatch) {
  torch::Tensor pred = torch::zeros({2, 2, 3}, torch::kFloat64);
  torch::Tensor target = torch::zeros({2, 2, 3}, torch::kFloat64);
  pred[0][0][0] = 2.0;  // example 0: |2| and |-1|
  pred[0][1][2] = -1.0;
  pred[1][1][1] = 4.0;  // example 1: |4|
  EXPECT_DOUBLE_EQ(reconstruction(pred, target, ReconLoss::kL1).item<double>(), (3.0 + 4.0) / 2);
  EXPECT_DOUBLE_EQ(reconstruction(pred, target, ReconLoss::kL2).item<double>(),
                   (0.5 * (4.0 + 1.0) + 0.5 * 16.0) / 2);
}

// Per example ||exp(pred) - exp(target)|| / ||exp(target)||, mean over the batch: a mel at
// half the amplitude is 0.5 away, the same mel 0; pred is clamped at 10 before exp.
TEST(Losses, MelSpectralConvergence) {
  const torch::Tensor target = torch::rand({2, 3, 4}, torch::kFloat64).add(0.1).log();
  torch::Tensor pred = target.clone();
  pred[1] = pred[1] + std::log(0.5);
  EXPECT_NEAR(melSpectralConvergence(pred, target).item<double>(), (0.0 + 0.5) / 2, 1e-12);
  const torch::Tensor zero = torch::zeros({1, 1, 2}, torch::kFloat64);  // amplitudes 1, 1
  const torch::Tensor high = torch::full({1, 1, 2}, 50.0, torch::kFloat64);
  EXPECT_NEAR(melSpectralConvergence(high, zero).item<double>(), std::exp(10.0) - 1.0, 1e-6);
  EXPECT_THROW(melSpectralConvergence(zero, target), std::invalid_argument);
}

TEST(Losses, MelMeasures) {
  const torch::Tensor ref = torch::full({2, 3, 4}, 0.5, torch::kFloat64);
  torch::Tensor est = ref.clone();
  est[1] = est[1] * 2.0;  // +6.02 dB everywhere (eps is negligible at 0.5)
  const torch::Tensor lsd = melLsdDb(ref, est);
  EXPECT_DOUBLE_EQ(lsd[0].item<double>(), 0.0);
  EXPECT_NEAR(lsd[1].item<double>(), 20 * std::log10((1.0 + 1e-4) / (0.5 + 1e-4)), 1e-9);
  const torch::Tensor l1 = melL1(ref, est);
  EXPECT_DOUBLE_EQ(l1[0].item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(l1[1].item<double>(), 0.5);
  // Per frame RMS over bands, then mean over frames: one band off by 20 dB in one frame of
  // two gives sqrt(400 / 2) / 2.
  torch::Tensor a = torch::ones({1, 2, 2}, torch::kFloat64);
  torch::Tensor b = a.clone();
  b[0][0][1] = 10.0;
  EXPECT_NEAR(melLsdDb(a, b, 0.0).item<double>(), std::sqrt(400.0 / 2) / 2, 1e-9);
}

TEST(Losses, Names) {
  EXPECT_EQ(parseRegularizer("mmd-imq"), Regularizer::kMmdImq);
  EXPECT_EQ(regularizerName(Regularizer::kMmdRbf), "mmd-rbf");
  EXPECT_EQ(parseReconLoss("l2"), ReconLoss::kL2);
  try {
    parseRegularizer("wae");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "regularizer \"wae\": expected kl, mmd-rbf or mmd-imq");
  }
}

}  // namespace
}  // namespace wae::vae

#include "tools/audio/metrics.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "tools/audio/spectrogram.h"

namespace wae {
namespace {

const AudioSettings kSettings;  // docs/DESIGN.md's defaults

double lsd(const torch::Tensor& ref, const torch::Tensor& est) {
  return logSpectralDistanceDb(ref, est, kSettings);
}
double sc(const torch::Tensor& ref, const torch::Tensor& est) {
  return spectralConvergence(ref, est, kSettings);
}

torch::Tensor noise(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  return torch::rand({n}) * 2 - 1;
}

TEST(Metrics, IdenticalWavesScoreZero) {
  const torch::Tensor x = noise(32768, 1);
  EXPECT_EQ(lsd(x, x), 0.0);
  EXPECT_EQ(sc(x, x), 0.0);
}

TEST(Metrics, HalfAmplitude) {
  const torch::Tensor x = noise(32768, 2);
  EXPECT_NEAR(sc(x, 0.5 * x), 0.5, 1e-6);
  EXPECT_NEAR(lsd(x, 0.5 * x), 20 * std::log10(2.0), 1e-3);
  std::printf("LSD(x, 0.5 x) = %.6f dB (20 log10 2 = %.6f), SC = %.9f\n", lsd(x, 0.5 * x),
              20 * std::log10(2.0), sc(x, 0.5 * x));
  // Symmetric in dB, not in SC: SC(0.5 x, x) = 1.
  EXPECT_NEAR(lsd(0.5 * x, x), 20 * std::log10(2.0), 1e-3);
  EXPECT_NEAR(sc(0.5 * x, x), 1.0, 1e-6);
}

TEST(Metrics, BatchIsTheMeanOverExamples) {
  const torch::Tensor a = noise(8192, 3), b = noise(8192, 4);
  const torch::Tensor ref = torch::stack({a, b});
  const torch::Tensor est = torch::stack({0.5 * a, 0.25 * b});
  EXPECT_NEAR(sc(ref, est), (0.5 + 0.75) / 2, 1e-6);
  EXPECT_NEAR(lsd(ref, est), (lsd(a, 0.5 * a) + lsd(b, 0.25 * b)) / 2, 1e-9);
  EXPECT_NEAR(lsd(b, 0.25 * b), 20 * std::log10(4.0), 1e-3);
}

TEST(Metrics, LsdFollowsTheFormula) {
  // Two unrelated waves, so every frame and bin differs: the header's formulas evaluated
  // element by element on stft() magnitudes.
  const torch::Tensor x = noise(4096, 5), y = noise(4096, 6);
  const torch::Tensor s = stft(x.to(torch::kFloat64), kSettings).abs();
  const torch::Tensor sh = stft(y.to(torch::kFloat64), kSettings).abs();
  double total = 0;
  for (int64_t t = 0; t < s.size(1); ++t) {
    double sq = 0;
    for (int64_t f = 0; f < s.size(0); ++f) {
      const double d = 20 * std::log10(s[f][t].item<double>() + kLsdEpsilon) -
                       20 * std::log10(sh[f][t].item<double>() + kLsdEpsilon);
      sq += d * d;
    }
    total += std::sqrt(sq / s.size(0));
  }
  EXPECT_NEAR(lsd(x, y), total / s.size(1), 1e-9);
  const double expectedSc =
      std::sqrt((s - sh).square().sum().item<double>() / s.square().sum().item<double>());
  EXPECT_NEAR(sc(x, y), expectedSc, 1e-12);
}

TEST(Metrics, ShapeMismatchThrows) {
  EXPECT_THROW(lsd(noise(4096, 7), noise(4097, 7)), std::invalid_argument);
  EXPECT_THROW(sc(noise(4096, 7), noise(4096, 7).unsqueeze(0)), std::invalid_argument);
}

}  // namespace
}  // namespace wae

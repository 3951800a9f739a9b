#include "tools/mcnn/spectral_loss.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wae::mcnn {
namespace {

torch::Tensor tones(int batch, int n) {
  const torch::Tensor t = torch::arange(n, torch::kFloat64) / 22050.0;
  std::vector<torch::Tensor> rows;
  for (int b = 0; b < batch; ++b)
    rows.push_back(0.5 * torch::sin(2 * M_PI * (220.0 + 110.0 * b) * t) +
                   0.1 * torch::sin(2 * M_PI * 1500.0 * t));
  return torch::stack(rows).to(torch::kFloat32);
}

SpectralLossOptions allTerms() {
  SpectralLossOptions o;
  o.instFreqWeight = 1.0;
  o.phaseWeight = 1.0;
  return o;
}

TEST(SpectralLoss, ZeroForIdenticalWaves) {
  const torch::Tensor x = tones(2, 8192);
  const SpectralLossTerms t = spectralLoss(x, x, allTerms());
  EXPECT_NEAR(t.sc.item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(t.logMag.item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(t.instFreq.item<double>(), 0.0, 1e-3);  // float32 phase round-off
  EXPECT_NEAR(t.phase.item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(t.total.item<double>(), 0.0, 2e-3);
}

// Half the amplitude: SC = 0.5 exactly, log-magnitude at most ln 2, and the phase terms see no
// phase difference.
TEST(SpectralLoss, KnownValuesForHalfAmplitude) {
  const torch::Tensor x = tones(2, 8192);
  SpectralLossOptions o = allTerms();
  o.magEps = 1e-12;
  const SpectralLossTerms t = spectralLoss(0.5 * x, x, o);
  EXPECT_NEAR(t.sc.item<double>(), 0.5, 1e-4);
  // ln 2 in every bin well above the floors, less in the (many) near-silent ones.
  EXPECT_GT(t.logMag.item<double>(), 0.3);
  EXPECT_LE(t.logMag.item<double>(), std::log(2.0) + 1e-4);
  EXPECT_NEAR(t.instFreq.item<double>(), 0.0, 1e-3);
  // sum(|S| |S|/2 - |S|^2 / 2) = 0
  EXPECT_NEAR(t.phase.item<double>(), 0.0, 1e-4);
}

// A sign flip changes every phase by pi: magnitudes and phase advances are unchanged, the
// weighted phase loss is sum(|S|^2 + |S|^2) / sum |S|^2 = 2.
TEST(SpectralLoss, SignFlipOnlyCostsThePhaseTerm) {
  const torch::Tensor x = tones(1, 8192);
  const SpectralLossTerms t = spectralLoss(-x, x, allTerms());
  EXPECT_NEAR(t.sc.item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(t.instFreq.item<double>(), 0.0, 1e-3);
  EXPECT_NEAR(t.phase.item<double>(), 2.0, 1e-4);
}

// A time shift by a fraction of the hop changes the phases but not the phase advance per
// frame of a stationary tone much; a different pitch changes it.
TEST(SpectralLoss, InstantaneousFrequencySeesPitchNotOnlyPhase) {
  const int n = 8192;
  const torch::Tensor t = torch::arange(n, torch::kFloat64) / 22050.0;
  const torch::Tensor a = torch::sin(2 * M_PI * 440.0 * t).to(torch::kFloat32).unsqueeze(0);
  const torch::Tensor shifted =
      torch::sin(2 * M_PI * 440.0 * t + 1.0).to(torch::kFloat32).unsqueeze(0);
  const torch::Tensor other = torch::sin(2 * M_PI * 470.0 * t).to(torch::kFloat32).unsqueeze(0);
  SpectralLossOptions o = allTerms();
  const double shiftedIf = spectralLoss(shifted, a, o).instFreq.item<double>();
  const double otherIf = spectralLoss(other, a, o).instFreq.item<double>();
  EXPECT_LT(shiftedIf, 0.1);
  EXPECT_GT(otherIf, 5 * shiftedIf + 0.1);
}

TEST(SpectralLoss, FiniteGradientAtSilence) {
  const torch::Tensor x = tones(2, 4096);
  const torch::Tensor est = torch::zeros_like(x).requires_grad_(true);
  const SpectralLossTerms t = spectralLoss(est, x, allTerms());
  t.total.backward();
  EXPECT_TRUE(torch::isfinite(t.total).item<bool>());
  EXPECT_TRUE(torch::isfinite(est.grad()).all().item<bool>());
}

// The SC is pooled over the batch: a silent reference crop beside a loud one is fine.
TEST(SpectralLoss, SilentCropInBatchStaysFinite) {
  torch::Tensor x = tones(2, 4096);
  x[1].zero_();
  const torch::Tensor est = 0.9 * x + 1e-3;
  EXPECT_TRUE(torch::isfinite(spectralLoss(est, x, {}).total).item<bool>());
}

TEST(SpectralLoss, ValidateNamesTheBadOption) {
  SpectralLossOptions o;
  o.fftSizes = {1000};
  EXPECT_THROW(validate(o), std::invalid_argument);
  o = {};
  o.phaseWeight = -1;
  try {
    validate(o);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("phase loss weight"), std::string::npos) << e.what();
  }
  o = {};
  o.scWeight = o.logMagWeight = 0;
  EXPECT_THROW(validate(o), std::invalid_argument);
  EXPECT_NO_THROW(validate(SpectralLossOptions{}));
}

}  // namespace
}  // namespace wae::mcnn

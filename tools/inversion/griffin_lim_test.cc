#include "tools/inversion/griffin_lim.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "common/testing/temp_dir.h"
#include "tools/audio/metrics.h"
#include "tools/audio/spectrogram.h"
#include "tools/torchscript/attributes.h"

namespace wae::inversion {
namespace {

// A known signal: a decaying harmonic tone with a slow vibrato, 64 frames.
torch::Tensor knownSignal(int n) {
  const torch::Tensor t = torch::arange(n, torch::kFloat64) / 22050.0;
  const torch::Tensor phase = 2 * M_PI * (330.0 * t + 3.0 * torch::sin(2 * M_PI * 5.0 * t));
  return (0.4 * torch::exp(-2.0 * t) *
          (torch::sin(phase) + 0.5 * torch::sin(2 * phase) + 0.25 * torch::sin(3 * phase)))
      .to(torch::kFloat32);
}

double scAfter(int iterations, const std::string& magnitude, const torch::Tensor& wave) {
  const AudioSettings s;
  GriffinLimOptions o;
  o.iterations = iterations;
  o.magnitude = magnitude;
  torch::jit::Module gl = makeGriffinLimModule(s, o);
  torch::NoGradGuard noGrad;
  const torch::Tensor mel = MelSpectrogram(s)(wave.unsqueeze(0));
  const torch::Tensor est = gl.forward({mel}).toTensor();
  return spectralConvergence(wave.unsqueeze(0), est, s);
}

TEST(GriffinLim, SpectralConvergenceDecreasesWithIterations) {
  const torch::Tensor wave = knownSignal(64 * 256);
  for (const char* magnitude : {"pinv", "nnls"}) {
    double previous = 1e9;
    for (int iterations : {0, 4, 16, 64}) {
      const double sc = scAfter(iterations, magnitude, wave);
      EXPECT_LT(sc, previous) << magnitude << " " << iterations << " iterations";
      previous = sc;
    }
    EXPECT_LT(previous, 0.6) << magnitude;
  }
}

// NNLS fits the mel better than the clamped pseudo-inverse: W X is closer to M.
TEST(GriffinLim, NnlsMagnitudeFitsTheMelBetter) {
  const AudioSettings s;
  const torch::Tensor wave = knownSignal(32 * 256).unsqueeze(0);
  const MelSpectrogram melOf(s);
  const torch::Tensor mel = melOf(wave);
  torch::NoGradGuard noGrad;
  auto misfit = [&](const std::string& mode) {
    GriffinLimOptions o;
    o.magnitude = mode;
    torch::jit::Module gl = makeGriffinLimModule(s, o);
    const torch::Tensor x = gl.run_method("magnitude", mel).toTensor();
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 513, 33}));
    EXPECT_GE(x.min().item<double>(), 0.0);
    return (torch::matmul(melOf.filterbank(), x).narrow(2, 0, 32) - mel).norm().item<double>();
  };
  EXPECT_LT(misfit("nnls"), misfit("pinv"));
}

TEST(GriffinLim, ShapesAttributesAndRoundTrip) {
  const AudioSettings s;
  GriffinLimOptions o;
  o.iterations = 3;
  torch::jit::Module gl = makeGriffinLimModule(s, o);
  EXPECT_EQ(torchscript::getString(gl, "format", "mem"), kGriffinLimFormat);
  EXPECT_EQ(torchscript::getInt(gl, "iterations", "mem"), 3);
  EXPECT_EQ(torchscript::audioSettings(gl, "mem").nMels, 80);
  const testing::TempDir tmp;
  const std::string path = tmp.file("griffin_lim.pt");
  gl.save(path);
  torch::jit::Module loaded = torch::jit::load(path);
  torch::NoGradGuard noGrad;
  const torch::Tensor mel = torch::rand({2, 80, 7});
  const torch::Tensor a = gl.forward({mel}).toTensor();
  EXPECT_EQ(a.sizes(), (std::vector<int64_t>{2, 7 * 256}));
  EXPECT_TRUE(torch::equal(a, loaded.forward({mel}).toTensor()));
}

TEST(GriffinLim, RefusesWrongBandCountAndBadOptions) {
  torch::jit::Module gl = makeGriffinLimModule(AudioSettings{}, {});
  try {
    gl.forward({torch::rand({1, 40, 5})});
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("griffin-lim: forward expects an amplitude mel "
                                         "[batch, 80 bands, frames]"),
              std::string::npos)
        << e.what();
  }
  GriffinLimOptions o;
  o.momentum = 1.0;
  EXPECT_THROW(makeGriffinLimModule(AudioSettings{}, o), std::invalid_argument);
  o = {};
  o.magnitude = "lstsq";
  EXPECT_THROW(makeGriffinLimModule(AudioSettings{}, o), std::invalid_argument);
}

}  // namespace
}  // namespace wae::inversion

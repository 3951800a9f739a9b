#include "tools/audio/spectrogram.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <vector>

#include "tools/audio/mel_filterbank.h"

namespace wae {
namespace {

const double kPi = 3.14159265358979323846;
const AudioSettings kSettings;  // docs/DESIGN.md's defaults

torch::Tensor sine(double hz, int64_t n, double amplitude = 0.5) {
  return amplitude *
         torch::sin(2 * kPi * hz / 22050.0 * torch::arange(n, torch::kFloat64)).to(torch::kFloat32);
}

TEST(Stft, ShapesAndFrameCentres) {
  torch::manual_seed(1);
  const torch::Tensor x = torch::rand({32768}) * 2 - 1;
  const torch::Tensor spec = stft(x, kSettings);
  ASSERT_TRUE(spec.is_complex());
  EXPECT_EQ(spec.sizes(), (std::vector<int64_t>{513, 129}));
  EXPECT_EQ(stft(x.unsqueeze(0).repeat({3, 1}), kSettings).sizes(),
            (std::vector<int64_t>{3, 513, 129}));

  // Frame t is the DFT of hann(n) * x[t * 256 - 512 + n] (periodic Hann, centred frames).
  // Interior frames only (t * 256 - 512 >= 0 and t * 256 + 511 < 32768): no padding.
  const torch::Tensor xd = x.to(torch::kFloat64);
  const auto xs = xd.accessor<double, 1>();
  for (int t : {2, 10, 125}) {
    for (int k : {0, 1, 37, 200, 512}) {
      std::complex<double> sum = 0;
      for (int n = 0; n < 1024; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2 * kPi * n / 1024);
        sum += w * xs[t * 256 - 512 + n] * std::polar(1.0, -2 * kPi * k * n / 1024);
      }
      const auto got = spec.index({k, t});
      EXPECT_NEAR(torch::real(got).item<double>(), sum.real(), 1e-3) << t << ", " << k;
      EXPECT_NEAR(torch::imag(got).item<double>(), sum.imag(), 1e-3) << t << ", " << k;
    }
  }
}

TEST(Stft, InverseRoundTrip) {
  torch::manual_seed(2);
  const torch::Tensor x = torch::rand({32768}) * 2 - 1;
  const torch::Tensor y = istft(stft(x, kSettings), 32768, kSettings);
  ASSERT_EQ(y.sizes(), x.sizes());
  const double error = (y - x).abs().max().item<double>();
  EXPECT_LT(error, 1e-5);
  std::printf("STFT -> ISTFT, 32768 samples: max abs error %.3g\n", error);

  const torch::Tensor batch = torch::rand({2, 32768}) * 2 - 1;
  const torch::Tensor yb = istft(stft(batch, kSettings), 32768, kSettings);
  ASSERT_EQ(yb.sizes(), batch.sizes());
  EXPECT_LT((yb - batch).abs().max().item<double>(), 1e-5);
}

TEST(Stft, RejectsBadInput) {
  EXPECT_THROW(stft(torch::zeros({2, 2, 4096}), kSettings), std::invalid_argument);
  EXPECT_THROW(istft(torch::zeros({100, 10}, torch::kComplexFloat), 1000, kSettings),
               std::invalid_argument);
  AudioSettings s;
  s.window = "hamming";
  EXPECT_THROW(stft(torch::zeros({4096}), s), std::invalid_argument);
}

TEST(MelSpectrogram, FrameConvention) {
  const MelSpectrogram mel(kSettings);
  EXPECT_EQ(mel(torch::zeros({32768})).sizes(), (std::vector<int64_t>{80, 128}));
  EXPECT_EQ(mel(torch::zeros({4, 32768})).sizes(), (std::vector<int64_t>{4, 80, 128}));
  EXPECT_EQ(mel(torch::zeros({1000})).sizes(), (std::vector<int64_t>{80, 3}));
  EXPECT_EQ(mel(torch::zeros({32767})).sizes(), (std::vector<int64_t>{80, 127}));
  EXPECT_EQ(melFrameCount(32768, kSettings), 128);
  EXPECT_EQ(melFrameCount(1000, kSettings), 3);
}

TEST(MelSpectrogram, SineEnergyLandsInTheNearestBand) {
  const MelSpectrogram mel(kSettings);
  const std::vector<double> centres = melCentreFrequencies(kSettings);
  for (double hz : {220.0, 440.0, 1000.0, 2500.0, 4000.0, 8000.0}) {
    int nearest = 0;
    for (int m = 1; m < 80; ++m)
      if (std::abs(centres[m] - hz) < std::abs(centres[nearest] - hz)) nearest = m;
    const torch::Tensor m = mel(sine(hz, 32768));
    ASSERT_EQ(m.sizes(), (std::vector<int64_t>{80, 128}));
    const int loudest = m.sum(1).argmax().item<int64_t>();
    EXPECT_EQ(loudest, nearest) << hz << " Hz";
  }
}

TEST(MelSpectrogram, IsTheFilterbankTimesTheMagnitude) {
  torch::manual_seed(3);
  const torch::Tensor x = torch::rand({8192}) * 2 - 1;
  const MelSpectrogram mel(kSettings);
  const auto fb = melFilterbank(kSettings);
  ASSERT_EQ(mel.filterbank().sizes(), (std::vector<int64_t>{80, 513}));
  EXPECT_EQ(mel.filterbank()[5][10].item<float>(), fb[5 * 513 + 10]);

  const torch::Tensor magnitude = stft(x, kSettings).abs().narrow(1, 0, 32);  // [513, 32]
  const torch::Tensor m = mel(x);
  ASSERT_EQ(m.sizes(), (std::vector<int64_t>{80, 32}));
  for (int band : {0, 17, 79}) {
    for (int t : {0, 5, 31}) {
      double sum = 0;
      for (int k = 0; k < 513; ++k) sum += fb[band * 513 + k] * magnitude[k][t].item<double>();
      EXPECT_NEAR(m[band][t].item<double>(), sum, 1e-4 * std::abs(sum) + 1e-6);
    }
  }

  AudioSettings powerSettings;
  powerSettings.power = 2;
  const torch::Tensor mp = melSpectrogram(x, powerSettings);
  const torch::Tensor expected = mel.filterbank().matmul(magnitude.square());
  EXPECT_TRUE(torch::allclose(mp, expected, 1e-4, 1e-5));
}

TEST(MelSpectrogram, BatchEqualsEachExample) {
  torch::manual_seed(4);
  const torch::Tensor batch = torch::rand({3, 32768}) * 2 - 1;
  const MelSpectrogram mel(kSettings);
  const torch::Tensor mb = mel(batch);
  for (int b = 0; b < 3; ++b) EXPECT_TRUE(torch::allclose(mb[b], mel(batch[b]), 1e-5, 1e-5)) << b;
}

TEST(MelSpectrogram, MovedCopyGivesTheSameResult) {
  const MelSpectrogram mel(kSettings);
  const MelSpectrogram moved = mel.to(torch::kCPU);
  const torch::Tensor x = sine(440, 8192);
  EXPECT_TRUE(torch::equal(mel(x), moved(x)));
  EXPECT_EQ(moved.settings().nMels, 80);
}

TEST(MelSpectrogram, GradientsFlow) {
  torch::manual_seed(5);
  const torch::Tensor x = (torch::rand({4096}) * 2 - 1).requires_grad_(true);
  const MelSpectrogram mel(kSettings);
  mel(x).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_GT(x.grad().abs().sum().item<double>(), 0);
}

}  // namespace
}  // namespace wae

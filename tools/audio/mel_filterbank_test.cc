#include "tools/audio/mel_filterbank.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace wae {
namespace {

// The Slaney formulas written out again, independently of mel_filterbank.cc.
double slaneyMelToHz(double mel) {
  return mel < 15 ? mel * 200.0 / 3.0 : 1000.0 * std::pow(6.4, (mel - 15) / 27.0);
}

// Band edges by hand for the defaults: 82 points equally spaced in mel from 0 to
// mel(11025) = 15 + 27 * log_6.4(11.025).
double defaultEdgeHz(int i) {
  const double melMax = 15 + 27 * std::log(11.025) / std::log(6.4);
  return slaneyMelToHz(melMax * i / 81.0);
}

double triangleWeight(double lo, double centre, double hi, double hz) {
  double w = 0;
  if (hz > lo && hz <= centre) w = (hz - lo) / (centre - lo);
  if (hz > centre && hz < hi) w = (hi - hz) / (hi - centre);
  return w * 2 / (hi - lo);
}

TEST(MelScale, SpotValues) {
  EXPECT_EQ(hzToMel(1000), 15.0);
  EXPECT_DOUBLE_EQ(hzToMel(440), 6.6);
  EXPECT_DOUBLE_EQ(hzToMel(0), 0.0);
  EXPECT_DOUBLE_EQ(hzToMel(2000), 15 + 27 * std::log(2.0) / std::log(6.4));
  EXPECT_DOUBLE_EQ(hzToMel(6400), 42.0);
  EXPECT_DOUBLE_EQ(melToHz(15), 1000.0);
  EXPECT_DOUBLE_EQ(melToHz(6.6), 440.0);
  EXPECT_DOUBLE_EQ(melToHz(42), 6400.0);
  for (double hz : {0.0, 20.0, 440.0, 999.9, 1000.0, 1000.1, 4000.0, 11025.0, 20000.0}) {
    EXPECT_NEAR(melToHz(hzToMel(hz)), hz, 1e-9 * std::max(1.0, hz)) << hz;
  }
  // Continuous at the knee.
  EXPECT_NEAR(hzToMel(999.999999), 15.0, 1e-6);
}

TEST(MelScale, FrequenciesAreEquallySpacedInMel) {
  const auto f = melFrequencies(82, 0, 11025);
  ASSERT_EQ(f.size(), 82u);
  EXPECT_EQ(f.front(), 0.0);
  EXPECT_DOUBLE_EQ(f.back(), 11025.0);
  for (int i = 0; i < 82; ++i) EXPECT_NEAR(f[i], defaultEdgeHz(i), 1e-9 * f[i] + 1e-12) << i;
  const auto centres = melCentreFrequencies(AudioSettings());
  ASSERT_EQ(centres.size(), 80u);
  EXPECT_DOUBLE_EQ(centres[0], f[1]);
  EXPECT_DOUBLE_EQ(centres[79], f[80]);
  EXPECT_THROW(melFrequencies(1, 0, 100), std::invalid_argument);
}

TEST(MelFilterbank, SpotWeightsMatchTheSlaneyFormulas) {
  const AudioSettings s;
  const auto w = melFilterbank(s);
  const int nBins = 513;
  ASSERT_EQ(w.size(), 80u * nBins);
  struct Spot {
    int band, bin;
  };
  // Low (linear) bands, the knee near 1 kHz, high (log) bands, the top band.
  for (const Spot& p : {Spot{0, 1}, Spot{0, 2}, Spot{0, 3}, Spot{1, 3}, Spot{5, 10}, Spot{23, 46},
                        Spot{24, 48}, Spot{40, 120}, Spot{60, 260}, Spot{79, 500}, Spot{79, 512}}) {
    const double hz = p.bin * 22050.0 / 1024.0;
    const double expected = triangleWeight(defaultEdgeHz(p.band), defaultEdgeHz(p.band + 1),
                                           defaultEdgeHz(p.band + 2), hz);
    EXPECT_NEAR(w[p.band * nBins + p.bin], expected, 1e-6 * std::abs(expected) + 1e-9)
        << "band " << p.band << " bin " << p.bin;
  }
  // Band 0 by hand: edges 0, e1, e2 with e1 = (mel(11025) / 81) * 200 / 3 Hz; bin 1 is
  // 21.533 Hz on its rising side: 21.533 / e1 * 2 / e2.
  const double e1 = (15 + 27 * std::log(11.025) / std::log(6.4)) / 81 * 200 / 3;
  const double e2 = 2 * e1;
  EXPECT_NEAR(w[1], (22050.0 / 1024 / e1) * 2 / e2, 1e-9);
  EXPECT_EQ(w[0], 0.0f);  // 0 Hz is the lower edge of band 0
}

TEST(MelFilterbank, WholeMatrixMatchesTheFormulas) {
  const AudioSettings s;
  const auto w = melFilterbank(s);
  for (int m = 0; m < 80; ++m) {
    for (int k = 0; k < 513; ++k) {
      const double expected = triangleWeight(defaultEdgeHz(m), defaultEdgeHz(m + 1),
                                             defaultEdgeHz(m + 2), k * 22050.0 / 1024);
      ASSERT_NEAR(w[m * 513 + k], expected, 1e-6 * expected + 1e-9) << m << ", " << k;
    }
  }
}

TEST(MelFilterbank, AreaNormalisationAndNoEmptyRows) {
  const AudioSettings s;
  const auto w = melFilterbank(s);
  const double binHz = 22050.0 / 1024;
  for (int m = 0; m < 80; ++m) {
    const auto row = w.begin() + m * 513;
    const float peak = *std::max_element(row, row + 513);
    const double lo = defaultEdgeHz(m), hi = defaultEdgeHz(m + 2);
    EXPECT_GT(peak, 0.0f) << "empty band " << m;
    // The continuous triangle peaks at 2 / (hi - lo); sampled bins reach at most that.
    EXPECT_LE(peak, 2 / (hi - lo) * (1 + 1e-6)) << m;
    // Its area over Hz is 1; the bins sample it, so the sum times the bin width is close
    // once the band spans several bins.
    const double area = std::accumulate(row, row + 513, 0.0) * binHz;
    if (hi - lo > 8 * binHz) {
      EXPECT_NEAR(area, 1.0, 0.02) << m;
    }
  }
}

TEST(MelFilterbank, LibrosaPublishedValues) {
  // librosa.filters.mel(sr=22050, n_fft=2048) (n_mels 128) prints melfb[0, 1] as 0.016
  // (librosa documentation, "Examples"); the Rust crate mel_filter, which reproduces
  // librosa, publishes the float64 values of its first rows.
  AudioSettings s;
  s.nFft = 2048;
  s.winLength = 2048;
  s.nMels = 128;
  const auto w = melFilterbank(s);
  const int nBins = 1025;
  EXPECT_NEAR(w[1], 0.016, 5e-4);
  const double row0[] = {
      0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0};
  const double row1[] = {0,
                         0,
                         0,
                         0.009779235793639925,
                         0.025962089001859864,
                         0.035393705451959974,
                         0.01921085224374004,
                         0.003027999035520103,
                         0};
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(w[k], row0[k], 1e-8) << k;
  for (int k = 0; k < 9; ++k) EXPECT_NEAR(w[nBins + k], row1[k], 1e-8) << k;
}

TEST(MelFilterbank, RejectsOtherScales) {
  AudioSettings s;
  s.melScale = "htk";
  EXPECT_THROW(melFilterbank(s), std::invalid_argument);
  s = AudioSettings();
  s.melNorm = "none";
  EXPECT_THROW(melFilterbank(s), std::invalid_argument);
}

}  // namespace
}  // namespace wae

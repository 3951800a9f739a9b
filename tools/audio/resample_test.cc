#include "tools/audio/resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace wae {
namespace {

const double kPi = 3.14159265358979323846;

std::vector<float> sine(double hz, double sampleRate, size_t n) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = 0.5f * std::sin(2 * kPi * hz * i / sampleRate);
  return x;
}

// Frequency from upward zero crossings (linearly interpolated) in [begin, end).
double zeroCrossingHz(const std::vector<float>& x, double sampleRate, size_t begin, size_t end) {
  double first = -1, last = -1;
  int crossings = 0;
  for (size_t i = begin; i + 1 < end; ++i) {
    if (x[i] < 0 && x[i + 1] >= 0) {
      const double t = i + x[i] / (x[i] - x[i + 1]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  return (crossings - 1) / ((last - first) / sampleRate);
}

TEST(Resample, SineKeepsItsPitchAndPhase) {
  const size_t n = 16000;
  const auto in = sine(440, 16000, n);
  EXPECT_NEAR(zeroCrossingHz(in, 16000, 0, n), 440.0, 1e-3);  // the measure itself
  const auto out = resample(in, 16000, 22050);
  ASSERT_EQ(out.size(), static_cast<size_t>(std::llround(n * 22050.0 / 16000.0)));
  const double measuredHz = zeroCrossingHz(out, 22050, 1000, out.size() - 1000);
  EXPECT_NEAR(measuredHz, 440.0, 0.5);
  // Sample k lies at time k / 22050: away from the ends it is the sine sampled there.
  const auto ideal = sine(440, 22050, out.size());
  double worst = 0;
  for (size_t k = 1000; k < out.size() - 1000; ++k)
    worst = std::max(worst, std::abs(double(out[k]) - ideal[k]));
  EXPECT_LT(worst, 1e-3);
  std::printf("440 Hz at 16 kHz -> 22050 Hz: measured %.6f Hz, max deviation %.3g\n", measuredHz,
              worst);
}

TEST(Resample, DownsamplingKeepsPitch) {
  const auto in = sine(1000, 44100, 44100);
  const auto out = resample(in, 44100, 22050);
  ASSERT_EQ(out.size(), 22050u);
  EXPECT_NEAR(zeroCrossingHz(out, 22050, 1000, out.size() - 1000), 1000.0, 0.5);
}

TEST(Resample, LengthIsExactlyRoundedRatio) {
  for (size_t n : {1, 2, 100, 1000, 12345, 64000}) {
    for (double to : {22050.0, 11025.0, 8000.0, 48000.0, 32000.0}) {
      const std::vector<float> in(n, 0.25f);
      EXPECT_EQ(resample(in, 16000, to).size(), static_cast<size_t>(std::llround(n * to / 16000.0)))
          << n << " samples to " << to << " Hz";
    }
  }
  EXPECT_TRUE(resample({}, 16000, 22050).empty());
}

TEST(Resample, EqualRatesCopy) {
  const auto in = sine(123, 22050, 777);
  EXPECT_EQ(resample(in, 22050, 22050), in);
}

TEST(Resample, BadRatesThrow) {
  const std::vector<float> in(100, 0.0f);
  EXPECT_THROW(resample(in, 0, 22050), std::invalid_argument);
  EXPECT_THROW(resample(in, 16000, -1), std::invalid_argument);
  try {
    resample(in, 100, 100000);  // ratio 1000
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ratio"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae

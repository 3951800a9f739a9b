#include "runtime/resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::runtime {
namespace {

const double kPi = 3.14159265358979323846;

std::vector<float> sine(double hz, double sampleRate, size_t n) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i)
    x[i] = 0.5f * float(std::sin(2 * kPi * hz * double(i) / sampleRate));
  return x;
}

// Frequency from upward zero crossings (linearly interpolated) in [begin, end).
double zeroCrossingHz(const std::vector<float>& x, double sampleRate, size_t begin, size_t end) {
  double first = -1, last = -1;
  int crossings = 0;
  for (size_t i = begin; i + 1 < end; ++i) {
    if (x[i] < 0 && x[i + 1] >= 0) {
      const double t = double(i) + x[i] / (x[i] - x[i + 1]);
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
  ASSERT_EQ(out.size(), static_cast<size_t>(std::llround(double(n) * 22050.0 / 16000.0)));
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
    for (int to : {22050, 11025, 8000, 48000, 32000}) {
      const std::vector<float> in(n, 0.25f);
      EXPECT_EQ(resample(in, 16000, to).size(),
                static_cast<size_t>(std::llround(double(n) * to / 16000.0)))
          << n << " samples to " << to << " Hz";
    }
  }
  EXPECT_TRUE(resample({}, 16000, 22050).empty());
}

// libsamplerate alone stops one frame short here (a bank's 32768 frames, 22050 -> 48000 Hz);
// the last frame is the converter's, not a filled-in zero: a constant input ends at about
// half its level, where the silence after it begins.
TEST(Resample, LastFrameIsConverted) {
  const std::vector<float> in(32768, 0.25f);
  for (int to : {44100, 48000}) {
    const auto out = resample(in, 22050, to);
    ASSERT_EQ(out.size(), static_cast<size_t>(std::llround(32768.0 * to / 22050.0)));
    EXPECT_GT(out.back(), 0.05f) << "to " << to << " Hz";
    EXPECT_NEAR(out[out.size() / 2], 0.25f, 1e-4f);
  }
}

TEST(Resample, EqualRatesCopy) {
  const auto in = sine(123, 22050, 777);
  EXPECT_EQ(resample(in, 22050, 22050), in);
  Resampler same(48000, 48000);
  std::vector<float> out(in.size());
  same.convert(in.data(), int64_t(in.size()), out.data());
  EXPECT_EQ(out, in);
}

// A Resampler converts waveform after waveform, each from rest: the same input gives the
// same output as a fresh converter, at every quality.
TEST(Resample, ReusedConverterStartsFromRest) {
  const auto a = sine(300, 22050, 5000);
  const auto b = sine(700, 22050, 3000);
  for (ResampleQuality q :
       {ResampleQuality::kBest, ResampleQuality::kMedium, ResampleQuality::kFastest}) {
    Resampler reused(22050, 48000, q);
    const auto first = reused.convert(a);
    reused.convert(b);
    EXPECT_EQ(reused.convert(a), first);
    Resampler fresh(22050, 48000, q);
    EXPECT_EQ(fresh.convert(a), first);
  }
  Resampler best(16000, 22050);
  EXPECT_EQ(best.convert(a), resample(a, 16000, 22050));
}

TEST(Resample, BadRatesThrowNamingThem) {
  const std::vector<float> in(100, 0.0f);
  EXPECT_THROW(resample(in, 0, 22050), std::invalid_argument);
  EXPECT_THROW(resample(in, 16000, -1), std::invalid_argument);
  try {
    resample(in, 100, 100000);  // ratio 1000
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ratio"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("100 Hz -> 100000 Hz"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae::runtime

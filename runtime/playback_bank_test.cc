#include "runtime/playback_bank.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

using testing::SineBankSpec;

std::string errorOf(bank::BankData data, int hostRate = 22050) {
  try {
    PlaybackBank::make(std::move(data), {hostRate, 1});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(PlaybackBank, SameRateKeepsSamplesAsTheyAre) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    SineBankSpec spec;
    spec.storage = storage;
    const bank::BankData data = testing::sineBank(spec);
    const int before = PlaybackBank::liveInstances();
    {
      auto bank = PlaybackBank::make(data, {spec.sampleRate, 1});
      EXPECT_EQ(PlaybackBank::liveInstances(), before + 1);
      EXPECT_FALSE(bank->resampled());
      EXPECT_EQ(bank->storage(), storage);
      EXPECT_EQ(bank->length(), spec.length);
      EXPECT_EQ(bank->pointCount(), 16u);
      for (size_t p = 0; p < 16; ++p) {
        EXPECT_EQ(bank->waveform(p), testing::storedWaveform(data, p)) << "point " << p;
      }
      const size_t sampleBytes = storage == bank::StorageType::kFloat32 ? 4 : 2;
      EXPECT_GE(bank->memoryBytes(), 16 * spec.length * sampleBytes);
      // Samples are held in 2 MiB-aligned huge-page memory, rounded up to 2 MiB.
      EXPECT_LE(bank->memoryBytes(), (size_t(2) << 20) + 4096);
    }
    EXPECT_EQ(PlaybackBank::liveInstances(), before);
  }
}

TEST(PlaybackBank, ResamplingKeepsPitchAndTime) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    SineBankSpec spec;
    spec.storage = storage;
    spec.length = 4096;
    const bank::BankData data = testing::sineBank(spec);
    auto bank = PlaybackBank::make(data, {48000, 2});
    EXPECT_TRUE(bank->resampled());
    EXPECT_EQ(bank->sourceSampleRate(), 22050);
    EXPECT_EQ(bank->info().sampleRate, 48000);
    EXPECT_EQ(bank->length(), std::lround(4096 * 48000.0 / 22050));
    for (size_t p : {size_t(0), size_t(7), size_t(15)}) {
      const std::vector<float> w = bank->waveform(p);
      const double hz = testing::measureHz(w.data(), 200, w.size() - 200, 48000);
      EXPECT_NEAR(hz, testing::sineHz(spec, p), 1e-3 * testing::sineHz(spec, p)) << p;
      // Time-aligned: frame i is the source at time i / 48000 (away from the edges).
      for (size_t i = 1000; i < 1100; ++i) {
        const double t = i * 22050.0 / 48000.0;
        const double expected =
            spec.amplitude *
            std::sin(2 * M_PI * testing::sineHz(spec, p) * t / 22050 + p * spec.phaseStep);
        ASSERT_NEAR(w[i], expected, 2e-3) << "point " << p << " frame " << i;
      }
    }
  }
}

// Resampled, an int16 bank of per-point scales keeps one scale per point: a point four times
// quieter than another keeps its own finer steps.
TEST(PlaybackBank, ResamplingKeepsEachPointsScale) {
  SineBankSpec spec;
  spec.storage = bank::StorageType::kInt16;
  spec.pointScales = true;
  spec.length = 4096;
  const bank::BankData data = testing::sineBank(spec);
  auto bank = PlaybackBank::make(data, {48000, 2});
  ASSERT_TRUE(bank->resampled());
  ASSERT_EQ(bank->info().pointScale.size(), 16u);
  for (size_t p = 0; p < 16; ++p) {
    // At least the source's scale, raised by at most the filter's overshoot at the onset.
    EXPECT_GE(bank->scale(p), testing::sineScale(spec, p)) << p;
    EXPECT_LE(bank->scale(p), 1.25f * testing::sineScale(spec, p)) << p;
    const std::vector<float> w = bank->waveform(p);
    for (size_t i = 1000; i < 1100; ++i) {
      const double t = i * 22050.0 / 48000.0;  // source frames
      const double expected =
          spec.amplitude / double(1 + p % 4) *
          std::sin(2 * M_PI * testing::sineHz(spec, p) * t / 22050 + p * spec.phaseStep);
      ASSERT_NEAR(w[i], expected, 2e-3 / double(1 + p % 4)) << "point " << p << " frame " << i;
    }
  }
  EXPECT_LT(bank->scale(3), 0.35f * bank->scale(0));
  EXPECT_EQ(bank->info().scale,
            *std::max_element(bank->info().pointScale.begin(), bank->info().pointScale.end()));
}

TEST(PlaybackBank, ThreadCountDoesNotChangeTheResult) {
  SineBankSpec spec;
  spec.length = 300;
  const bank::BankData data = testing::sineBank(spec);
  auto one = PlaybackBank::make(data, {44100, 1});
  auto three = PlaybackBank::make(data, {44100, 3});
  for (size_t p = 0; p < 16; ++p) EXPECT_EQ(one->waveform(p), three->waveform(p));
}

TEST(PlaybackBank, KeepsPerPointPitchAcrossResampling) {
  SineBankSpec spec;
  bank::BankData data = testing::sineBank(spec);
  for (size_t p = 0; p < 16; ++p) data.f0Hz.push_back(float(testing::sineHz(spec, p)));
  data.f0Source = "analytic";
  const std::vector<float> expected = data.f0Hz;
  auto bank = PlaybackBank::make(data, {48000, 1});
  ASSERT_TRUE(bank->resampled());
  ASSERT_TRUE(bank->hasPitch());
  EXPECT_EQ(bank->f0Source(), "analytic");
  for (size_t p = 0; p < 16; ++p) EXPECT_EQ(bank->f0Hz(p), expected[p]) << "point " << p;
  EXPECT_FALSE(PlaybackBank::make(testing::sineBank(spec), {48000, 1})->hasPitch());
}

// A bank with a noise part keeps both parts, resampled alike; the noise part of point p lies
// noiseOffset() samples past its harmonic part.
TEST(PlaybackBank, KeepsTheNoisePartsBesideTheHarmonicOnes) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    SineBankSpec spec;
    spec.storage = storage;
    spec.withPitch = true;
    SineBankSpec other = spec;
    other.withPitch = false;
    other.baseHz = 2000;
    const bank::BankData noise = testing::sineBank(other);
    const bank::BankData data = testing::withNoisePart(testing::sineBank(spec), noise);
    auto same = PlaybackBank::make(data, {spec.sampleRate, 1});
    ASSERT_TRUE(same->hasNoise());
    EXPECT_EQ(same->noiseOffset(), 16u * spec.length);
    for (size_t p = 0; p < 16; ++p) {
      EXPECT_EQ(same->waveform(p), testing::storedWaveform(data, p)) << p;
      EXPECT_EQ(same->waveform(p, true), testing::storedWaveform(noise, p)) << p;
    }
    auto resampled = PlaybackBank::make(data, {48000, 2});
    EXPECT_EQ(resampled->noiseOffset(), 16u * size_t(resampled->length()));
    const std::vector<float> w = resampled->waveform(9, true);
    EXPECT_NEAR(testing::measureHz(w.data(), 100, w.size() - 100, 48000), testing::sineHz(other, 9),
                1e-3 * testing::sineHz(other, 9));
    EXPECT_FALSE(PlaybackBank::make(testing::sineBank(spec), {48000, 1})->hasNoise());
    EXPECT_EQ(PlaybackBank::make(testing::sineBank(spec), {48000, 1})->noiseOffset(), 0u);
  }
}

TEST(PlaybackBank, RefusesInconsistentData) {
  SineBankSpec spec;
  bank::BankData data = testing::sineBank(spec);
  data.f32.pop_back();
  EXPECT_EQ(errorOf(data), "bank: float32 samples: found 8191, expected 8192 (points x length)");

  data = testing::sineBank(spec);
  data.info.gridShape[1] = 1;
  EXPECT_EQ(errorOf(data), "bank: grid_shape[1]: found 1, expected >= 2");

  data = testing::sineBank(spec);
  data.f32[3 * spec.length + 5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(errorOf(data), "bank: sample 5 of point 3: found nan, expected finite");

  data = testing::sineBank(spec);
  data.info.sampleRate = 0;
  EXPECT_EQ(errorOf(data), "bank: sample_rate: found 0, expected > 0");

  spec.storage = bank::StorageType::kInt16;
  data = testing::sineBank(spec);
  data.info.scale = 0;
  EXPECT_EQ(errorOf(data),
            "bank: scale: found 0.000000, expected finite and > 0 for an int16 bank");

  data = testing::sineBank(spec);
  data.f32.resize(3);
  EXPECT_EQ(errorOf(data), "bank: float32 samples: found 3, expected 0 for a int16 bank");

  data = testing::sineBank(spec);
  data.f0Hz.assign(15, 220.0f);
  EXPECT_EQ(errorOf(data), "bank: f0: found 15 values, expected 16 (one per grid point)");

  data = testing::sineBank(spec);
  data.f0Hz.assign(16, 220.0f);
  data.f0Hz[7] = 20000.0f;
  EXPECT_EQ(errorOf(data),
            "bank: f0 of point 7: found 20000.000000, expected 0 (unpitched) or a frequency "
            "below Nyquist (11025 Hz)");

  spec.withPitch = true;
  data = testing::withNoisePart(testing::sineBank(spec), testing::sineBank(spec));
  data.i16.pop_back();
  EXPECT_EQ(errorOf(data),
            "bank: int16 samples: found 16383, expected 16384 (points x length, twice: harmonic "
            "and noise parts)");
  data = testing::withNoisePart(testing::sineBank(spec), testing::sineBank(spec));
  data.f0Hz.clear();
  EXPECT_EQ(errorOf(data),
            "bank: f0: found none, expected one per grid point in a bank with a "
            "noise part");
  spec.storage = bank::StorageType::kFloat32;
  data = testing::withNoisePart(testing::sineBank(spec), testing::sineBank(spec));
  data.f32[(16 + 3) * spec.length + 5] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(errorOf(data),
            "bank: sample 5 of the noise part of point 3: found inf, expected finite");

  data = testing::sineBank(spec);
  data.info.axes[0] = {1.0, -1.0};
  EXPECT_NE(errorOf(data).find("axis 1"), std::string::npos) << errorOf(data);
}

}  // namespace
}  // namespace wae::runtime

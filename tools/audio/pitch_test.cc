#include "tools/audio/pitch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::audio {
namespace {

const double kPi = 3.14159265358979323846;
constexpr int kRate = 22050;
constexpr size_t kLength = 32768;

double cents(double f, double ref) { return 1200.0 * std::log2(f / ref); }

// sum_k amp[k] sin(2 pi (k + 1) f0 t), under an optional exponential decay.
std::vector<float> tone(double f0, const std::vector<double>& amp, double decayPerSecond = 0,
                        size_t n = kLength, int rate = kRate) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate;
    double y = 0;
    for (size_t k = 0; k < amp.size(); ++k) y += amp[k] * std::sin(2 * kPi * (k + 1) * f0 * t);
    x[i] = float(y * std::exp(-decayPerSecond * t));
  }
  return x;
}

TEST(Pitch, FrameSizeIsAboutNinetyMilliseconds) {
  EXPECT_EQ(frameSize(22050), 2048u);
  EXPECT_EQ(frameSize(44100), 4096u);
  EXPECT_EQ(frameSize(48000), 4096u);
  EXPECT_EQ(frameSize(16000), 2048u);  // 1488 samples: 2048 is nearer than 1024 in ratio
  EXPECT_EQ(frameSize(8000), 1024u);
}

TEST(Pitch, SinesFrom55To3520HzWithinATenthOfACent) {
  for (double f : {55.0, 110.0, 185.0, 311.127, 440.0, 880.0, 1760.0, 3520.0}) {
    const auto x = tone(f, {0.5});
    const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
    EXPECT_LT(std::abs(cents(e.f0Hz, f)), 0.1) << f << " Hz measured " << e.f0Hz;
    EXPECT_GT(e.confidence, 0.95f) << f;
    EXPECT_NEAR(e.midiPitch, 69.0 + 12.0 * std::log2(f / 440.0), 0.001) << f;
  }
}

TEST(Pitch, MidiPitchOfA440Is69) {
  const auto x = tone(440.0, {0.3});
  EXPECT_NEAR(estimatePitch(x.data(), x.size(), kRate).midiPitch, 69.0f, 0.01f);
}

TEST(Pitch, HarmonicStackGivesItsFundamentalNotAnOvertone) {
  // Ten harmonics at 1/k, and a stack whose second harmonic is louder than the fundamental.
  std::vector<double> sawtooth;
  for (int k = 1; k <= 10; ++k) sawtooth.push_back(0.3 / k);
  for (double f : {98.0, 220.0, 523.25}) {
    const auto x = tone(f, sawtooth);
    const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
    EXPECT_LT(std::abs(cents(e.f0Hz, f)), 0.1) << f << " Hz measured " << e.f0Hz;
  }
  const auto y = tone(150.0, {0.2, 0.5, 0.3, 0.1});
  const PitchEstimate e = estimatePitch(y.data(), y.size(), kRate);
  EXPECT_LT(std::abs(cents(e.f0Hz, 150.0)), 1.0) << e.f0Hz;
}

TEST(Pitch, DecayingNoteWithSilentTailKeepsItsPitch) {
  // A note that dies away (60 dB per second) and then 0.5 s of digital silence: the quiet
  // frames do not vote.
  auto x = tone(246.94, {0.5, 0.25}, 6.9);
  x.resize(kLength + kRate / 2, 0.0f);
  const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
  EXPECT_LT(std::abs(cents(e.f0Hz, 246.94)), 1.0) << e.f0Hz;
}

TEST(Pitch, OtherSampleRates) {
  for (int rate : {16000, 44100, 48000}) {
    const auto x = tone(330.0, {0.5}, 0, size_t(rate), rate);
    const PitchEstimate e = estimatePitch(x.data(), x.size(), rate);
    EXPECT_LT(std::abs(cents(e.f0Hz, 330.0)), 1.0) << rate << " Hz: " << e.f0Hz;
  }
}

TEST(Pitch, WhiteNoiseIsUnpitched) {
  for (unsigned seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uni(-0.5f, 0.5f);
    std::vector<float> x(kLength);
    for (float& s : x) s = uni(rng);
    const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
    EXPECT_EQ(e.f0Hz, 0.0f) << "seed " << seed;
    EXPECT_EQ(e.midiPitch, 0.0f);
    EXPECT_LT(e.confidence, kPitchedConfidence) << "seed " << seed;
  }
}

TEST(Pitch, SilenceIsZero) {
  const std::vector<float> x(kLength, 0.0f);
  const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
  EXPECT_EQ(e.f0Hz, 0.0f);
  EXPECT_EQ(e.confidence, 0.0f);
  EXPECT_EQ(e.midiPitch, 0.0f);
  EXPECT_EQ(estimatePitch(nullptr, 0, kRate).f0Hz, 0.0f);
}

TEST(Pitch, ShortWaveformIsPaddedToOneFrame) {
  const auto x = tone(440.0, {0.5}, 0, 1500);
  const PitchEstimate e = estimatePitch(x.data(), x.size(), kRate);
  EXPECT_LT(std::abs(cents(e.f0Hz, 440.0)), 5.0) << e.f0Hz;
}

std::string errorOf(const float* x, size_t n, int rate) {
  try {
    estimatePitch(x, n, rate);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(Pitch, BadArgumentsAreRefusedWithTheExpectedValue) {
  const float x[4] = {};
  EXPECT_EQ(errorOf(x, 4, 0), "estimatePitch: sample rate: found 0, expected 1000..384000 Hz");
  EXPECT_EQ(errorOf(x, 4, 400000),
            "estimatePitch: sample rate: found 400000, expected 1000..384000 Hz");
  EXPECT_EQ(errorOf(nullptr, 4, kRate), "estimatePitch: samples: found null, expected 4 samples");
}

}  // namespace
}  // namespace wae::audio

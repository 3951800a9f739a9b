#include "runtime/level.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace wae::runtime {
namespace {

// The mean over frames of ln(frame RMS): a constant 0.5 over two whole frames and a shorter
// one is ln 0.5 (the floor adds 2e-12); int16 samples count at their scale; silence is at
// the floor; a signal at 0.5 over its first frame only and silent over the two others is the
// mean of the three frames' levels.
TEST(Level, IsTheMeanOfTheFramesLogRms) {
  std::vector<float> x(2 * kLevelFrameSamples + 100, 0.5f);
  EXPECT_NEAR(waveformLevel(x.data(), int64_t(x.size())), std::log(0.5), 1e-6);
  std::vector<int16_t> q(x.size(), 16384);
  EXPECT_NEAR(waveformLevel(q.data(), int64_t(q.size()), 1.0f / 32768), std::log(0.5), 1e-6);
  std::vector<float> silence(x.size(), 0.0f);
  const double floor = 0.5 * std::log(kLevelFloor);
  EXPECT_NEAR(waveformLevel(silence.data(), int64_t(silence.size())), floor, 1e-4);
  std::fill(x.begin() + kLevelFrameSamples, x.end(), 0.0f);
  EXPECT_NEAR(waveformLevel(x.data(), int64_t(x.size())), (std::log(0.5) + 2 * floor) / 3, 1e-4);
}

// Two corners 12 dB apart, half way: the weighted sum's amplitude is 0.625 of the louder's,
// the mean level's 0.5, so the gain is 0.8; a quarter of the way, 2^(-1/2) / 0.8125.
// Equal levels, one tap or no weight: exactly 1. Towards silence the gain stops at -12 dB.
TEST(Level, GainBringsTheBlendToTheMeanLevelInDb) {
  const float levels[2] = {0.0f, float(std::log(0.25))};
  const float half[2] = {0.5f, 0.5f}, quarter[2] = {0.75f, 0.25f};
  EXPECT_NEAR(levelGain(levels, half, half, 2), 0.8, 1e-6);
  EXPECT_NEAR(levelGain(levels, quarter, quarter, 2), std::pow(0.25, 0.25) / 0.8125, 1e-6);
  const float same[3] = {-1.5f, -1.5f, -1.5f}, thirds[3] = {0.2f, 0.3f, 0.5f};
  EXPECT_EQ(levelGain(same, thirds, thirds, 3), 1.0f);
  EXPECT_EQ(levelGain(levels, half, half, 1), 1.0f);
  const float none[2] = {0.0f, 0.0f};
  EXPECT_EQ(levelGain(levels, none, none, 2), 1.0f);
  EXPECT_EQ(levelGain(levels, half, none, 2), 1.0f);
  const float silent[2] = {0.0f, float(0.5 * std::log(kLevelFloor))};
  EXPECT_EQ(levelGain(silent, half, half, 2), kMinLevelGain);
}

// Mixed with other weights than the level's (a blend exponent's): the level stays the grid
// weights' mean in dB. Half way between corners 12 dB apart, mixed 0.9 / 0.1 towards the
// louder: 0.5 / 0.925; towards the quieter, 0.5 / 0.325 (above 1: the mix alone is too
// quiet). Equal levels: 1 whatever the mix. Beyond 12 dB either way the gain stops.
TEST(Level, GainWithOtherMixWeightsKeepsTheGridWeightsLevel) {
  const float levels[2] = {0.0f, float(std::log(0.25))};
  const float half[2] = {0.5f, 0.5f}, louder[2] = {0.9f, 0.1f}, quieter[2] = {0.1f, 0.9f};
  EXPECT_NEAR(levelGain(levels, half, louder, 2), 0.5 / 0.925, 1e-6);
  EXPECT_NEAR(levelGain(levels, half, quieter, 2), 0.5 / 0.325, 1e-6);
  const float same[2] = {-0.7f, -0.7f};
  EXPECT_EQ(levelGain(same, half, louder, 2), 1.0f);
  const float apart[2] = {0.0f, float(std::log(1e-3))}, nearlyAll[2] = {0.001f, 0.999f};
  EXPECT_EQ(levelGain(apart, louder, nearlyAll, 2), 1.0f / kMinLevelGain);
}

}  // namespace
}  // namespace wae::runtime

#include "runtime/level.h"

#include <algorithm>
#include <cmath>

namespace wae::runtime {
namespace {

template <class T>
float levelOf(const T* x, int64_t length, float scale) noexcept {
  if (length <= 0) return float(0.5 * std::log(kLevelFloor));
  const double s2 = double(scale) * double(scale);
  double sum = 0;
  int64_t frames = 0;
  for (int64_t from = 0; from < length; from += kLevelFrameSamples) {
    const int64_t to = std::min<int64_t>(length, from + kLevelFrameSamples);
    double e = 0;
    for (int64_t i = from; i < to; ++i) e += double(x[i]) * double(x[i]);
    sum += 0.5 * std::log(e * s2 / double(to - from) + kLevelFloor);
    ++frames;
  }
  return float(sum / double(frames));
}

}  // namespace

float waveformLevel(const float* x, int64_t length, float scale) noexcept {
  return levelOf(x, length, scale);
}

float waveformLevel(const int16_t* x, int64_t length, float scale) noexcept {
  return levelOf(x, length, scale);
}

float levelGain(const float* level, const float* weight, const float* mixWeight,
                int taps) noexcept {
  if (taps <= 1) return 1.0f;
  // Relative to the first tap's level, so that the exponentials stay near 1.
  const double ref = double(level[0]);
  double w = 0, mw = 0, meanLevel = 0, meanAmplitude = 0;
  for (int k = 0; k < taps; ++k) {
    const double d = double(level[k]) - ref;
    w += double(weight[k]);
    mw += double(mixWeight[k]);
    meanLevel += double(weight[k]) * d;
    meanAmplitude += double(mixWeight[k]) * std::exp(d);
  }
  if (!(w > 0) || !(mw > 0) || !(meanAmplitude > 0)) return 1.0f;
  const double g = std::exp(meanLevel / w) / (meanAmplitude / mw);
  return std::clamp(float(g), kMinLevelGain, 1.0f / kMinLevelGain);
}

}  // namespace wae::runtime

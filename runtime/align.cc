#include "runtime/align.h"

#include <algorithm>
#include <cmath>

namespace wae::runtime {

bool blendPitch(const float* f0Hz, const float* weight, int taps, double& f) noexcept {
  double logSum = 0, weightSum = 0;
  float lo = 0, hi = 0;
  for (int k = 0; k < taps; ++k) {
    const float f0 = f0Hz[k];
    if (!(f0 > 0) || !(weight[k] > 0)) continue;
    lo = weightSum > 0 ? std::min(lo, f0) : f0;
    hi = weightSum > 0 ? std::max(hi, f0) : f0;
    logSum += double(weight[k]) * std::log(double(f0));
    weightSum += double(weight[k]);
  }
  if (!(weightSum > 0)) return false;
  f = lo == hi ? double(lo) : std::exp(logSum / weightSum);
  return true;
}

bool alignRates(const float* f0Hz, const float* weight, int taps, double transpose, float* rate,
                double& step, double* unpitchedStep) noexcept {
  double f = 0;
  if (!blendPitch(f0Hz, weight, taps, f)) return false;
  float lo = 0, hi = 0;
  for (int k = 0; k < taps; ++k) {
    const float f0 = f0Hz[k];
    if (!(f0 > 0)) continue;
    lo = lo > 0 ? std::min(lo, f0) : f0;
    hi = std::max(hi, f0);
  }
  if (lo == hi) return false;
  double r[config::kMaxTaps];
  double fastest = 0;
  for (int k = 0; k < taps; ++k) {
    const float f0 = f0Hz[k];
    r[k] = f0 > 0 ? transpose * f / double(f0) : transpose;
    fastest = std::max(fastest, r[k]);
  }
  const double scaleDown = std::min(1.0, double(config::kMaxReadStep) / fastest);
  for (int k = 0; k < taps; ++k) rate[k] = float(r[k] / fastest);
  if (unpitchedStep) *unpitchedStep = scaleDown < 1.0 ? transpose * scaleDown : transpose;
  step = fastest * scaleDown;
  return true;
}

double quantiseToScale(double midi, uint16_t pitchClasses) noexcept {
  if ((pitchClasses & 0xfffu) == 0 || !std::isfinite(midi)) return midi;
  const double base = std::floor(midi);
  double best = midi, bestDistance = 1e300;
  // The nearest member is within 6 semitones (and one is, the classes repeating each octave).
  for (int d = -6; d <= 7; ++d) {
    const double candidate = base + d;
    const int pitchClass = int(candidate - 12.0 * std::floor(candidate / 12.0));
    if (!(pitchClasses & (1u << pitchClass))) continue;
    const double distance = std::fabs(candidate - midi);
    if (distance < bestDistance) best = candidate, bestDistance = distance;
  }
  return best;
}

}  // namespace wae::runtime

#include "tools/audio/mel_filterbank.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wae {
namespace {

const double kMelLogStep = std::log(6.4) / 27.0;  // ln(Hz ratio) per mel above 1000 Hz

}  // namespace

double hzToMel(double hz) {
  if (hz < kMelMinLogHz) return hz / kMelLinearHzPerMel;
  return kMelMinLogMel + std::log(hz / kMelMinLogHz) / kMelLogStep;
}

double melToHz(double mel) {
  if (mel < kMelMinLogMel) return mel * kMelLinearHzPerMel;
  return kMelMinLogHz * std::exp(kMelLogStep * (mel - kMelMinLogMel));
}

std::vector<double> melFrequencies(int count, double fMinHz, double fMaxHz) {
  if (count < 2)
    throw std::invalid_argument("melFrequencies: need at least 2 points, got " +
                                std::to_string(count));
  const double melLo = hzToMel(fMinHz);
  const double melHi = hzToMel(fMaxHz);
  std::vector<double> hz(count);
  // Same spacing arithmetic as numpy.linspace, so the edges match librosa's to the last bit.
  const double step = (melHi - melLo) / (count - 1);
  for (int i = 0; i < count; ++i) hz[i] = melToHz(melLo + i * step);
  hz[count - 1] = melToHz(melHi);
  return hz;
}

std::vector<double> melCentreFrequencies(const AudioSettings& settings) {
  const std::vector<double> edges =
      melFrequencies(settings.nMels + 2, settings.fMinHz, settings.fMaxHz);
  return std::vector<double>(edges.begin() + 1, edges.end() - 1);
}

std::vector<float> melFilterbank(const AudioSettings& settings) {
  settings.validate();
  const int nBins = settings.nFft / 2 + 1;
  const int nMels = settings.nMels;
  const std::vector<double> f = melFrequencies(nMels + 2, settings.fMinHz, settings.fMaxHz);
  std::vector<float> weights(static_cast<size_t>(nMels) * nBins, 0.0f);
  for (int m = 0; m < nMels; ++m) {
    const double lo = f[m], centre = f[m + 1], hi = f[m + 2];
    const double norm = 2.0 / (hi - lo);
    for (int k = 0; k < nBins; ++k) {
      const double binHz = static_cast<double>(k) * settings.sampleRate / settings.nFft;
      const double rising = (binHz - lo) / (centre - lo);
      const double falling = (hi - binHz) / (hi - centre);
      const double w = std::max(0.0, std::min(rising, falling));
      weights[static_cast<size_t>(m) * nBins + k] = static_cast<float>(w * norm);
    }
  }
  return weights;
}

}  // namespace wae

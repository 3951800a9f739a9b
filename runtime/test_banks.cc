#include "runtime/test_banks.h"

#include <cmath>

namespace wae::runtime::testing {

double sineHz(const SineBankSpec& spec, size_t point) {
  return spec.pointHz.empty() ? spec.baseHz + point * spec.stepHz : spec.pointHz.at(point);
}

namespace {
double amplitude(const SineBankSpec& spec, size_t point) {
  return spec.pointScales ? spec.amplitude / double(1 + point % 4) : spec.amplitude;
}
}  // namespace

double sineSample(const SineBankSpec& spec, size_t point, int frame) {
  return amplitude(spec, point) *
         std::sin(2.0 * M_PI * sineHz(spec, point) * frame / spec.sampleRate +
                  point * spec.phaseStep);
}

float sineScale(const SineBankSpec& spec, size_t point) {
  return float(amplitude(spec, point) / 32767.0);
}

bank::BankData sineBank(const SineBankSpec& spec) {
  bank::BankData data;
  bank::BankInfo& info = data.info;
  info.gridShape = spec.shape;
  for (int a = 0; a < 4; ++a) {
    std::vector<double>& axis = info.axes[a];
    const int n = spec.shape[a];
    for (int i = 0; i < n; ++i) {
      const double u = double(i) / (n - 1);
      axis.push_back(-2.0 + 4.0 * (spec.unevenAxes ? u * u * 0.5 + u * 0.5 : u));
    }
  }
  info.sampleRate = spec.sampleRate;
  info.length = spec.length;
  info.storage = spec.storage;
  info.scale = spec.storage == bank::StorageType::kInt16 ? sineScale(spec) : 1.0f;
  info.createdBy = "runtime test_banks";
  const size_t points = info.pointCount();
  const bool f32 = spec.storage == bank::StorageType::kFloat32;
  if (!f32 && spec.pointScales) {
    for (size_t p = 0; p < points; ++p) info.pointScale.push_back(sineScale(spec, p));
    info.scale = sineScale(spec, 0);  // the loudest
  }
  if (f32) {
    data.f32.resize(points * spec.length);
  } else {
    data.i16.resize(points * spec.length);
  }
  for (size_t p = 0; p < points; ++p) {
    for (int t = 0; t < spec.length; ++t) {
      const double x = sineSample(spec, p, t);
      const size_t i = p * spec.length + t;
      if (f32) {
        data.f32[i] = float(x);
      } else {
        data.i16[i] = int16_t(std::lround(x / info.scaleOf(p)));
      }
    }
  }
  if (spec.withPitch) {
    for (size_t p = 0; p < points; ++p) data.f0Hz.push_back(float(sineHz(spec, p)));
    data.f0Source = "analytic";
  }
  return data;
}

bank::BankData withNoisePart(bank::BankData harmonic, const bank::BankData& noise) {
  harmonic.info.noisePart = true;
  harmonic.f32.insert(harmonic.f32.end(), noise.f32.begin(), noise.f32.end());
  harmonic.i16.insert(harmonic.i16.end(), noise.i16.begin(), noise.i16.end());
  return harmonic;
}

std::vector<float> storedWaveform(const bank::BankData& data, size_t point) {
  const size_t n = size_t(data.info.length);
  std::vector<float> w(n);
  for (size_t t = 0; t < n; ++t) {
    w[t] = data.info.storage == bank::StorageType::kFloat32
               ? data.f32[point * n + t]
               : float(data.i16[point * n + t]) * data.info.scaleOf(point);
  }
  return w;
}

double measureHz(const float* x, size_t first, size_t last, double sampleRate) {
  double firstCross = -1, lastCross = -1;
  int crossings = 0;
  for (size_t i = first + 1; i < last; ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double t = (i - 1) + double(-x[i - 1]) / double(x[i] - x[i - 1]);
      if (firstCross < 0) firstCross = t;
      lastCross = t;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return (crossings - 1) * sampleRate / (lastCross - firstCross);
}

float taper(int t, int length, int fade) {
  const int k = t - (length - fade);
  return k < 0 ? 1.0f : float(fade - 1 - k) * (1.0f / float(fade));
}

}  // namespace wae::runtime::testing

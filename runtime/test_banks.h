// Analytic banks built in memory for the runtime's tests and benchmark: every waveform is a
// sine whose frequency and phase depend on its grid point, so every expected sample is known
// without a file or a model. Test-only.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "bank/bank_data.h"

namespace wae::runtime::testing {

struct SineBankSpec {
  std::array<int, 4> shape{2, 2, 2, 2};
  int sampleRate = 22050;
  int length = 512;
  bank::StorageType storage = bank::StorageType::kFloat32;
  double amplitude = 0.5;
  double baseHz = 220.0;  // point p has frequency baseHz + p * stepHz
  double stepHz = 20.0;
  double phaseStep = 0.3;  // and phase p * phaseStep (so first samples differ from zero)
  // Axis coordinates: evenly from -2 to 2, or uneven (each step larger than the previous).
  bool unevenAxes = false;
  // When not empty: each point's frequency (flat index order), instead of baseHz + p * stepHz.
  std::vector<double> pointHz;
  // Store each point's exact frequency as its f0 (a bank format version 2 bank with pitch,
  // f0 source "analytic"); otherwise the bank has no pitch.
  bool withPitch = false;
  // int16: each point its own scale (bank format 4) and its own level, point p at
  // amplitude / (1 + p % 4), so that the points' scales differ by up to 4x.
  bool pointScales = false;
};

double sineHz(const SineBankSpec& spec, size_t point);
// The waveform of flat index `point`, in double (before float or int16 rounding).
double sineSample(const SineBankSpec& spec, size_t point, int frame);
// int16 banks: sample = stored * scale with this scale (point p's, with pointScales).
float sineScale(const SineBankSpec& spec, size_t point = 0);

bank::BankData sineBank(const SineBankSpec& spec);

// A bank with a noise part (format version 3): `harmonic`'s waveforms and pitch, and
// `noise`'s waveforms as the noise parts. Both banks must have the same grid, length, rate
// and storage (and, int16, scales: the same amplitude and pointScales).
bank::BankData withNoisePart(bank::BankData harmonic, const bank::BankData& noise);

// The waveform as stored (float, or int16 * the point's scale), as the engine must play it.
std::vector<float> storedWaveform(const bank::BankData& data, size_t point);

// The end-of-voice taper's gain at output frame t of a voice `length` frames long, in the
// engine's float arithmetic: 1, then the stealing fade over the last `fade` frames.
float taper(int t, int length, int fade);

// Frequency of a (roughly) pure tone from its rising zero crossings in [first, last).
double measureHz(const float* x, size_t first, size_t last, double sampleRate);

}  // namespace wae::runtime::testing

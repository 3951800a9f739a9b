// The Slaney mel scale and mel filterbank, identical to librosa's defaults
// (librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')).
// Plain C++, no LibTorch, so non-torch code (tests, the bank tools) can use it.
//
// Slaney mel scale (Auditory Toolbox): linear below 1000 Hz, logarithmic above,
//   mel(f) = f / (200/3)                          for f <  1000 Hz
//   mel(f) = 15 + ln(f / 1000) / (ln(6.4) / 27)   for f >= 1000 Hz
// so 1000 Hz is mel 15 and 6400 Hz is mel 42.
#pragma once

#include <vector>

#include "common/audio_settings.h"

namespace wae {

// Slaney mel scale constants (librosa's hz_to_mel with htk=False).
inline constexpr double kMelLinearHzPerMel = 200.0 / 3.0;  // below kMelMinLogHz
inline constexpr double kMelMinLogHz = 1000.0;             // where the log part starts
inline constexpr double kMelMinLogMel = 15.0;              // = kMelMinLogHz / kMelLinearHzPerMel
// The log step per mel above kMelMinLogHz is ln(6.4) / 27 (computed in the .cc).

double hzToMel(double hz);
double melToHz(double mel);

// `count` frequencies in Hz, equally spaced on the mel scale from fMinHz to fMaxHz
// inclusive (librosa.mel_frequencies). The filterbank uses count = nMels + 2: band m has
// its lower edge, centre and upper edge at entries m, m + 1, m + 2.
std::vector<double> melFrequencies(int count, double fMinHz, double fMaxHz);

// Centre frequency in Hz of each of the settings' nMels bands (entries 1 .. nMels of
// melFrequencies(nMels + 2, fMinHz, fMaxHz)).
std::vector<double> melCentreFrequencies(const AudioSettings& settings);

// Triangular mel filters, row-major [nMels x (nFft / 2 + 1)]. FFT bin k is at
// k * sampleRate / nFft Hz; band m rises linearly from 0 at edge f[m] to 1 at f[m + 1] and
// falls to 0 at f[m + 2] (f = melFrequencies(nMels + 2, ...)), then is scaled by
// 2 / (f[m + 2] - f[m]) (Slaney area normalisation: every continuous triangle then has unit
// area over Hz, so wide high bands do not outweigh narrow low ones). Computed in double,
// returned as float, like librosa. Throws std::invalid_argument (AudioSettings::validate)
// for inconsistent settings, e.g. a mel scale or norm other than "slaney".
std::vector<float> melFilterbank(const AudioSettings& settings);

}  // namespace wae

// Prints the mel filterbank for the given settings as text, one band per line, for the
// NumPy cross-check (mel_filterbank_numpy_test). Usage:
//   mel_filterbank_dump SAMPLE_RATE N_FFT N_MELS F_MIN F_MAX
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tools/audio/mel_filterbank.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s SAMPLE_RATE N_FFT N_MELS F_MIN F_MAX\n", argv[0]);
    return 2;
  }
  wae::AudioSettings s;
  s.sampleRate = std::atoi(argv[1]);
  s.nFft = s.winLength = std::atoi(argv[2]);
  s.nMels = std::atoi(argv[3]);
  s.fMinHz = std::atof(argv[4]);
  s.fMaxHz = std::atof(argv[5]);
  try {
    const auto w = wae::melFilterbank(s);
    const int nBins = s.nFft / 2 + 1;
    for (int m = 0; m < s.nMels; ++m) {
      for (int k = 0; k < nBins; ++k) std::printf(k ? " %.9g" : "%.9g", w[m * nBins + k]);
      std::printf("\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}

// The harmonic-plus-noise inverter's size, without LibTorch (option parsing includes this).
// docs/INVERSION.md says how the defaults were chosen.
#pragma once

#include <vector>

namespace wae::hpn {

struct HpnConfig {
  int hidden = 128;                        // channels of the controls network
  std::vector<int> dilations{1, 2, 4, 1};  // one residual layer (3 taps) per entry
  // The pitch estimate's harmonic template: harmonics 1..pitchHarmonics of each candidate
  // f0 and the points half-way between them, read on the mel scale (docs/INVERSION.md).
  int pitchHarmonics = 20;
  double pitchFloorDb = 60.0;  // the template reads each frame's level above its peak - this
  // Units of each of the two hidden layers of the pitch scorer, the network that scores
  // every candidate pitch from the template's readings beside the template.
  int pitchHidden = 64;
  int harmonics = 128;     // harmonics synthesised (those above 0.95 Nyquist are silent)
  int envBins = 128;       // points of the harmonic and noise envelopes, mel-spaced
  double pitchMin = 12.0;  // MIDI pitch of the first pitch bin
  double pitchMax = 120.0;
  double pitchStep = 0.25;       // semitones between pitch bins
  double pitchWindow = 1.5;      // semitones around the top bin that the decoded pitch averages
  double logEps = 1e-4;          // the input compression log(mel + logEps), as model.pt's
  int contextFrames = 8;         // frames of silence forward() adds on each side (and trims)
  double silenceDb = -70.0;      // pitch_hz: quieter notes (RMS, dBFS) are unpitched
  double voicedFraction = 0.25;  // pitch_hz: less harmonic energy than this is unpitched
  // The learned fine tuning of f0 stays within +-tuneCents; 0 turns it off. Off by default:
  // trained at 50, it saturated at -50 cents on nearly every note (docs/INVERSION.md).
  double tuneCents = 0.0;
  unsigned noiseSeed = 1;  // the fixed noise signal's generator seed
};

}  // namespace wae::hpn

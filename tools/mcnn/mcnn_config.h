// The MCNN's size and input compression, without LibTorch (the tools' option parsing
// includes this).
#pragma once

#include <vector>

namespace wae::mcnn {

struct McnnConfig {
  int heads = 8;
  // Output channels of each head's layers; one layer per factor 2 of the hop (8 for 256),
  // the last 1. docs/INVERSION.md says how the default was chosen (speed on 2 cores).
  std::vector<int> widths{64, 32, 16, 8, 8, 4, 2, 1};
  int kernelWidth = 13;   // taps of each transposed convolution; 4 j + 1 (5, 9, 13, 17, ...)
  double logEps = 1e-4;   // the input compression log(mel + logEps), as model.pt's
  int contextFrames = 4;  // frames of silence forward() adds on each side (and trims)
};

}  // namespace wae::mcnn

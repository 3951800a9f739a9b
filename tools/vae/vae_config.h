// The model's size and input compression, without LibTorch (the tools' option parsing
// includes this).
#pragma once

namespace wae::vae {

struct VaeConfig {
  int latentDim = 16;
  int channels = 32;     // first encoder level's width; even, >= 2
  double logEps = 1e-4;  // added to the amplitude mel before the log (-80 dB re 1.0)
};

}  // namespace wae::vae

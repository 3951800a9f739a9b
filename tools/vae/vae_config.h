// The model's size and input compression, without LibTorch (the tools' option parsing
// includes this).
#pragma once

namespace wae::vae {

struct VaeConfig {
  int latentDim = 16;
  int channels = 32;     // first encoder level's width; even, >= 2
  double logEps = 1e-4;  // added to the amplitude mel before the log (-80 dB re 1.0)
  // Latent axis 0 is the note's pitch, given to the decoder (the label during training)
  // and estimated by the encoder; the other axes are learned (docs/VAE.md, "A pitch axis").
  bool pitchAxis = false;
  // With pitchAxis: latent axis 1 is the note's loudness, computed from its mel (the model's
  // `loudness` method: its loudest frame's mean mel power, in dB), given to the decoder and
  // set exactly by the encoder; the regularizer sees axes 2 on (docs/VAE.md).
  bool loudnessAxis = false;
};

}  // namespace wae::vae

// The mels a generative.pt made by make_generative hands its inverter at dataset notes'
// positions: each note projected (project), its pitch-axis coordinate set to the label's
// pitch when the VAE has a pitch axis, lifted to the full latent (lift) and decoded (decode,
// with the level from the loudness axis where the file has it). What a bank point at the
// note's position plays is the inverter's rendering of this mel; evaluate_generative scores
// that rendering, train_hpn --decoded-by trains an inverter on these mels. LibTorch: include
// only from tools code.
#pragma once

#include <torch/script.h>

#include <optional>
#include <string>

#include "common/audio_settings.h"

namespace wae::generative {

// A generative.pt's pitch axis: its latent axis 0 is (MIDI - center) / scale, and its reduced
// axis 0 the same less the PCA's mean there, reducedOffset (latentPcaFixedFirst keeps the
// axis).
struct PitchAxis {
  double center = 0, scale = 1, reducedOffset = 0;
  double coordinate(double midi) const { return (midi - center) / scale; }
};

// The pitch axis of the generative.pt `module` (make_generative's: a vae submodule with
// pitch_axis 1 and a pca_mean buffer); nullopt when its VAE has none.
std::optional<PitchAxis> pitchAxisOf(const torch::jit::Module& module);

// A generative.pt of make_generative, opened once to decode sets of notes.
class MelDecoder {
 public:
  // Throws wae::FormatError naming `path` when it is not a generative.pt, lacks project, lift or
  // decode (a make_generative one has them), or its audio settings are not `expected` (those
  // of `expectedWhere`).
  MelDecoder(const std::string& path, const AudioSettings& expected,
             const std::string& expectedWhere);
  // mels [N, n_mels, n_frames] (amplitudes), midi [N] (the labels' pitches) -> the decoded
  // mels [N, n_mels, n_frames], float32 on the CPU, computed without gradients in batches of
  // `batch` (at least 1).
  torch::Tensor decode(const torch::Tensor& mels, const torch::Tensor& midi, int batch = 16);
  // Whether the inverter synthesises the decoded mels at the pitch axis's f0 (the file's
  // pitch_from_axis), i.e. at the labels' pitches here; otherwise at its own estimate.
  bool atAxisPitch() const { return atAxisPitch_; }

 private:
  torch::jit::Module module_;
  std::optional<PitchAxis> axis_;
  bool atAxisPitch_ = false;
};

}  // namespace wae::generative

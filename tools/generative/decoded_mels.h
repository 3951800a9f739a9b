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

struct DecodedMels {
  torch::Tensor mels;  // [N, n_mels, n_frames] float32 on the CPU
  // Whether the inverter synthesises them at the pitch axis's f0 (the file's
  // pitch_from_axis), i.e. at the labels' pitches here; otherwise at its own estimate.
  bool atAxisPitch = false;
};

// mels [N, n_mels, n_frames] (amplitudes), midi [N] (the labels' pitches) -> the decoded mels,
// computed without gradients in batches of `batch`. Throws wae::FormatError naming `path` when it
// is not a generative.pt, lacks project, lift or decode (a make_generative one has them), or its
// audio settings are not `expected` (those of `expectedWhere`).
DecodedMels decodedMels(const std::string& path, const torch::Tensor& mels,
                        const torch::Tensor& midi, const AudioSettings& expected,
                        const std::string& expectedWhere, int batch = 16);

}  // namespace wae::generative

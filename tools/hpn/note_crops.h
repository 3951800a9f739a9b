// train_hpn's crops of whole notes: the mels and samples of a crop, taken from notes that
// --pitch-shift has just moved in pitch (tools/audio/pitch_shift.h), so their mels are
// recomputed here rather than read from the dataset. LibTorch.
#pragma once

#include <torch/torch.h>

#include "common/audio_settings.h"

namespace wae::hpn {

// The crops train_hpn takes from shifted notes: mels [B, n_mels, cropFrames + 2 context] of
// the mels of `notes` padded with `context` frames of silence on each side, from frame
// starts[b] of that padding; audio [B, cropFrames * hop] from sample starts[b] * hop of the
// notes (the crop's middle frames); and the whole notes' mels [B, n_mels, N / hop].
struct NoteCrops {
  torch::Tensor mels, audio, noteMels;
};
NoteCrops cropNotes(const torch::Tensor& notes, const torch::Tensor& starts, int cropFrames,
                    int context, const AudioSettings& settings);

}  // namespace wae::hpn

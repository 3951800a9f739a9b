// train_hpn's pitch augmentation (--pitch-shift): a note resampled so that it sounds a given
// number of semitones higher or lower, and its mel recomputed from the resampled audio, so
// that the inverter trains on pitches between (and beyond) the dataset's semitones rather
// than on those alone. Mel and audio come from the same resampled wave, so they agree
// whatever the resampler's own error. LibTorch; libsamplerate through runtime/resample.h
// (its fastest sinc converter).
//
// Threads: any but the audio thread (it allocates).
#pragma once

#include <torch/torch.h>

#include "common/audio_settings.h"

namespace wae::hpn {

// notes [B, N] float32 on the CPU, semitones [B] (float64 or float32): note b resampled by
// 2^(semitones[b] / 12) (a higher note is shorter: silence after its end; a lower one is cut
// at N samples) -> [B, N]. A shift of 0 copies the note. Throws std::invalid_argument for
// other shapes or a shift outside +-24 semitones.
torch::Tensor shiftNotes(const torch::Tensor& notes, const torch::Tensor& semitones,
                         int sampleRate);

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

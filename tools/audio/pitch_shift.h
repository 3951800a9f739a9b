// Pitch augmentation for the trainers (train_vae and train_hpn's --pitch-shift): a note
// resampled so that it sounds a given number of semitones higher or lower. The trainers
// recompute the mel from the resampled audio, so that mel and audio agree whatever the
// resampler's own error. LibTorch; libsamplerate through runtime/resample.h (its fastest
// sinc converter). And level augmentation (train_vae's --gain-shift): mels scaled by a gain.
//
// Threads: any but the audio thread (it allocates).
#pragma once

#include <torch/torch.h>

#include "tools/audio/spectrogram.h"

namespace wae {

// notes [B, N] float32 on the CPU, semitones [B] (float64 or float32): note b resampled by
// 2^(semitones[b] / 12) (a higher note is shorter: silence after its end; a lower one is cut
// at N samples) -> [B, N]. A shift of 0 copies the note. The notes are split over torch's
// intra-op threads (at::get_num_threads()), the same samples on any number. Throws
// std::invalid_argument for other shapes or a shift outside +-24 semitones.
torch::Tensor shiftNotes(const torch::Tensor& notes, const torch::Tensor& semitones,
                         int sampleRate);

// The trainers' draw (train_vae and train_hpn --pitch-shift; train_vae's --gain-shift, in
// dB): for each of n notes a shift uniform in +-range semitones (or dB), kept with
// probability 1/2 and 0 otherwise, from torch's global generator -> [n] float64 on the CPU.
// Throws std::invalid_argument for a range outside 0..24.
torch::Tensor drawShifts(int64_t n, double range);

// mels [B, n_mels, n_frames] (any device), the notes' audio [B, N] float32 on the CPU and
// shifts [B] in semitones (drawShifts): the mels with each row of a non-zero shift replaced
// by the mel of its note moved by that shift (the others untouched), on the mels' device.
torch::Tensor shiftedMels(const torch::Tensor& mels, const torch::Tensor& notes,
                          const torch::Tensor& shifts, const MelSpectrogram& melOf,
                          int sampleRate);

// Amplitude mels [B, n_mels, n_frames] (any device) and gains [B] in dB (drawShifts): each
// row times 10^(dB / 20), on the mels' device and in their type (a row of 0 dB unchanged).
// Throws std::invalid_argument for other shapes.
torch::Tensor gainedMels(const torch::Tensor& mels, const torch::Tensor& db);

}  // namespace wae

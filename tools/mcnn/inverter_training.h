// What the spectrogram inverters' trainers (train_mcnn, train_hpn) share besides
// tools/training's crops and epochs: the dataset's train and valid splits with their audio,
// checked, and the validation on whole examples through forward(). LibTorch: tools only.
//
// Threads: the training thread.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>

#include "common/audio_settings.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/mcnn/spectral_loss.h"

namespace wae::mcnn {

struct InverterSplits {
  dataset::MelDataset train, valid;  // with audio
  AudioSettings settings;            // the dataset's (docs/DESIGN.md's: others are refused)
  int64_t nTrain = 0;
  int64_t nValid = 0;  // the valid examples used: validExamples of them (all if 0)
  // Their rows in the valid split, spread over it (dataset::spreadRows: a split is in
  // note_str order, so its first rows are all one family), [nValid] int64.
  torch::Tensor validRows;
};

// Loads dataset.h5's train and valid splits with audio. Throws wae::FormatError naming the
// file for settings other than docs/DESIGN.md's, an empty split, negative or non-finite mels,
// or non-finite samples.
InverterSplits loadInverterSplits(const std::string& path, int validExamples);

// Means over the validated examples.
struct InverterScores {
  double loss = 0;   // the spectral loss's total
  double sc = 0;     // spectral convergence (tools/audio/metrics.h)
  double lsdDb = 0;  // log-spectral distance
};

// Runs module.forward() on whole examples (mels [N, n_mels, frames] amplitudes, audio
// [N, samples]) in batches of 8, in eval mode and without gradients, and scores each batch's
// waves against the audio; the module is back in train mode after. `each(mel, begin, n)`, if
// given, runs inside for every batch (examples begin .. begin + n), for a trainer's own
// measures; `render(mel, begin, n)`, if given, makes the batch's waves instead of forward().
InverterScores validateInverter(
    torch::jit::Module& module, const torch::Tensor& mels, const torch::Tensor& audio,
    const SpectralLossOptions& loss, const AudioSettings& settings,
    const std::function<void(const torch::Tensor& mel, int64_t begin, int64_t n)>& each = nullptr,
    const std::function<torch::Tensor(const torch::Tensor& mel, int64_t begin, int64_t n)>& render =
        nullptr);

}  // namespace wae::mcnn

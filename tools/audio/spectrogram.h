// STFT, inverse STFT and the amplitude mel spectrogram with LibTorch, exactly as docs/DESIGN.md's
// audio defaults (see common/audio_settings.h): periodic Hann window of winLength
// (zero-padded to nFft, centred, as torch.stft does), nFft, hopLength, center = true with
// reflect padding, one-sided spectrum of nFft / 2 + 1 bins.
//
// FRAME CONVENTION (used by the dataset, the models, the vocoder and the metrics alike):
// a wave of N samples gives N / hopLength mel frames (integer division). Frame t is centred
// on sample t * hopLength; the STFT's extra frame centred at sample N (when hopLength
// divides N) is dropped. So one example of nSamples = nFrames * hopLength samples gives
// exactly nFrames frames: 32768 samples -> [80, 128]. stft() itself keeps every frame
// (1 + N / hopLength) so that istft() can invert it.
//
// Tensors may live on any device; float32 waves in, float32 / complex64 out (float64 in
// gives float64 / complex128). Functions are stateless and thread-safe; a MelSpectrogram is
// immutable after construction. The settings are always passed explicitly: callers pass
// the ones their artefact records (and the explicit argument keeps argument-dependent
// lookup from picking at::stft / at::istft for a call like istft(spec, length)).
#pragma once

#include <torch/torch.h>

#include "common/audio_settings.h"

namespace wae {

// Complex STFT of a float wave [N] or [B, N] -> [nFft / 2 + 1, 1 + N / hop] or
// [B, nFft / 2 + 1, 1 + N / hop] (torch::stft, return_complex = true). Throws
// std::invalid_argument (AudioSettings::validate) for inconsistent settings.
torch::Tensor stft(const torch::Tensor& wave, const AudioSettings& settings);

// Inverse of stft(): spec [F, T] or [B, F, T] complex -> wave [length] or [B, length]
// (torch::istft with the same window, center = true). Throws std::invalid_argument for a
// real tensor or a bin count other than nFft / 2 + 1.
torch::Tensor istft(const torch::Tensor& spec, int64_t length, const AudioSettings& settings);

// Number of mel frames for a wave of nSamples samples: nSamples / hopLength.
int64_t melFrameCount(int64_t nSamples, const AudioSettings& settings);

// Amplitude mel spectrogram: mel = W . |STFT|^power, W the Slaney filterbank of
// mel_filterbank.h ([nMels, nFft / 2 + 1]), power from the settings (1: magnitude, the
// default; 2: power). Frames per the convention above. No log, no clamping: callers that
// want log-mel apply it themselves.
class MelSpectrogram {
 public:
  explicit MelSpectrogram(const AudioSettings& settings);

  // wave [N] -> [nMels, N / hop]; [B, N] -> [B, nMels, N / hop], N > nFft / 2 (reflect
  // padding; torch throws c10::Error for shorter waves). Computed on the wave's
  // device (the filterbank is copied there if it lives elsewhere: see to()); gradients
  // flow through (usable as a loss).
  torch::Tensor operator()(const torch::Tensor& wave) const;

  // A copy whose filterbank lives on `device`, to avoid a copy per call in a GPU loop.
  MelSpectrogram to(const torch::Device& device) const;

  // Mel from an stft() result (all its frames kept: [.., F, T] -> [.., nMels, T]).
  torch::Tensor fromStft(const torch::Tensor& spec) const;

  const AudioSettings& settings() const { return settings_; }
  // [nMels, nFft / 2 + 1] float32 (on the CPU unless moved with to()).
  const torch::Tensor& filterbank() const { return filterbank_; }

 private:
  AudioSettings settings_;
  torch::Tensor filterbank_;
};

// One-off convenience: MelSpectrogram(settings)(wave). Builds the filterbank each call;
// keep a MelSpectrogram for repeated use.
torch::Tensor melSpectrogram(const torch::Tensor& wave, const AudioSettings& settings);

}  // namespace wae

#include "tools/audio/spectrogram.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "tools/audio/mel_filterbank.h"

namespace wae {
namespace {

torch::Tensor hannWindow(const AudioSettings& s, const torch::Device& device) {
  return torch::hann_window(s.winLength, /*periodic=*/true,
                            torch::TensorOptions().dtype(torch::kFloat32).device(device));
}

void requireWaveShape(const torch::Tensor& wave, const char* who) {
  if (wave.dim() != 1 && wave.dim() != 2)
    throw std::invalid_argument(std::string(who) + ": expected a wave [N] or [B, N], got " +
                                std::to_string(wave.dim()) + " dimensions");
  if (!wave.is_floating_point() || wave.is_complex())
    throw std::invalid_argument(std::string(who) + ": expected a real floating-point wave");
}

}  // namespace

torch::Tensor stft(const torch::Tensor& wave, const AudioSettings& settings) {
  settings.validate();
  requireWaveShape(wave, "stft");
  return torch::stft(wave, settings.nFft, settings.hopLength, settings.winLength,
                     hannWindow(settings, wave.device()).to(wave.scalar_type()),
                     /*center=*/true, /*pad_mode=*/"reflect", /*normalized=*/false,
                     /*onesided=*/true, /*return_complex=*/true);
}

torch::Tensor istft(const torch::Tensor& spec, int64_t length, const AudioSettings& settings) {
  settings.validate();
  if (!spec.is_complex() || (spec.dim() != 2 && spec.dim() != 3))
    throw std::invalid_argument("istft: expected a complex spectrum [F, T] or [B, F, T]");
  if (spec.size(-2) != settings.nFft / 2 + 1)
    throw std::invalid_argument("istft: expected " + std::to_string(settings.nFft / 2 + 1) +
                                " frequency bins (n_fft " + std::to_string(settings.nFft) +
                                "), got " + std::to_string(spec.size(-2)));
  const auto window =
      hannWindow(settings, spec.device()).to(c10::toRealValueType(spec.scalar_type()));
  return torch::istft(spec, settings.nFft, settings.hopLength, settings.winLength, window,
                      /*center=*/true, /*normalized=*/false, /*onesided=*/true, length,
                      /*return_complex=*/false);
}

int64_t melFrameCount(int64_t nSamples, const AudioSettings& settings) {
  return nSamples / settings.hopLength;
}

MelSpectrogram::MelSpectrogram(const AudioSettings& settings) : settings_(settings) {
  settings_.validate();
  std::vector<float> weights = melFilterbank(settings_);
  filterbank_ =
      torch::from_blob(weights.data(), {settings_.nMels, settings_.nFft / 2 + 1}, torch::kFloat32)
          .clone();
}

torch::Tensor MelSpectrogram::fromStft(const torch::Tensor& spec) const {
  torch::Tensor magnitude = spec.abs();
  if (settings_.power != 1.0) magnitude = magnitude.pow(settings_.power);
  const auto weights = filterbank_.to(magnitude.device(), magnitude.scalar_type());
  return torch::matmul(weights, magnitude);
}

torch::Tensor MelSpectrogram::operator()(const torch::Tensor& wave) const {
  requireWaveShape(wave, "MelSpectrogram");
  const int64_t frames = melFrameCount(wave.size(-1), settings_);
  return fromStft(stft(wave, settings_).narrow(-1, 0, frames));
}

MelSpectrogram MelSpectrogram::to(const torch::Device& device) const {
  MelSpectrogram moved(*this);
  moved.filterbank_ = filterbank_.to(device);
  return moved;
}

torch::Tensor melSpectrogram(const torch::Tensor& wave, const AudioSettings& settings) {
  return MelSpectrogram(settings)(wave);
}

}  // namespace wae

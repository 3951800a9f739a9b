// The measures of check_bank.h, with LibTorch's STFT (tools/audio/spectrogram.h). Apart from
// check_bank.cc so that the reports and the CSV compile without LibTorch's headers.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/audio_settings.h"
#include "tools/audio/spectrogram.h"
#include "tools/bank/check_bank.h"

namespace wae::bankbake {
namespace {

AudioSettings checkSettings(int sampleRate) {
  AudioSettings s;
  s.sampleRate = sampleRate;
  s.nFft = kCheckNFft;
  s.winLength = kCheckNFft;
  s.hopLength = kCheckHop;
  s.fMinHz = 0;
  s.fMaxHz = sampleRate / 2.0;  // only to pass validate(): no mel here
  s.nFrames = 128;
  s.nSamples = s.nFrames * s.hopLength;
  return s;
}

// Flatness and centroid of `count` waves of `length` samples (one STFT call).
void spectralMeasures(const float* waves, int64_t count, int length, int sampleRate,
                      WaveMeasures* out) {
  const AudioSettings settings = checkSettings(sampleRate);
  torch::Tensor w = torch::from_blob(const_cast<float*>(waves), {count, length}, torch::kFloat32);
  // Reflect padding needs more than n_fft / 2 samples; zeros change neither measure's
  // sounding frames.
  if (length < kCheckNFft) w = torch::constant_pad_nd(w, {0, kCheckNFft - length});
  const double windowSum = kCheckNFft / 2.0;  // periodic Hann
  // The [B, F, T] tensors stay float32 (half the memory traffic of float64); every sum over
  // bins or frames accumulates in float64.
  const torch::Tensor power = stft(w, settings).abs().square_().div_(windowSum * windowSum);
  const torch::Tensor energy = power.sum(1, false, torch::kFloat64);           // [B,T]
  const torch::Tensor loudest = std::get<0>(energy.max(1, /*keepdim=*/true));  // [B,1]
  const double range = std::pow(10.0, -kCheckFrameRangeDb / 10);
  const torch::Tensor kept = ((energy >= loudest * range) & (loudest > 0)).to(torch::kFloat64);
  const torch::Tensor q = power.clamp_min(kCheckPowerFloor);
  const torch::Tensor frameFlatness =
      q.log().mean(1, false, torch::kFloat64).exp() / q.mean(1, false, torch::kFloat64);
  // 0 / 0 = NaN where no frame is kept (an all-zero wave): what the header promises.
  const torch::Tensor flatness = (frameFlatness * kept).sum(1) / kept.sum(1);
  const torch::Tensor spectrum =
      torch::matmul(power.to(torch::kFloat64), kept.unsqueeze(2)).squeeze(2);  // [B,F]
  const torch::Tensor freqHz =
      torch::arange(power.size(1), torch::kFloat64) * (double(sampleRate) / kCheckNFft);
  const torch::Tensor centroid = (spectrum * freqHz).sum(1) / spectrum.sum(1);
  const auto f = flatness.accessor<double, 1>();
  const auto c = centroid.accessor<double, 1>();
  for (int64_t b = 0; b < count; ++b) {
    out[b].flatness = f[b];
    out[b].centroidHz = c[b];
  }
}

}  // namespace

std::vector<WaveMeasures> measureWaves(const float* waves, size_t count, int length, int sampleRate,
                                       const CheckOptions& options) {
  if (sampleRate <= 0 || length <= 0)
    throw std::invalid_argument("measureWaves: need a positive sample rate and length, got " +
                                std::to_string(sampleRate) + " Hz and " + std::to_string(length) +
                                " samples");
  c10::InferenceMode inference;
  std::vector<WaveMeasures> out(count);
  for (size_t k = 0; k < count; ++k) {
    const float* x = waves + k * size_t(length);
    double sum = 0, peak = 0;
    for (int n = 0; n < length; ++n) {
      sum += double(x[n]) * x[n];
      peak = std::max(peak, double(std::fabs(x[n])));
    }
    // log10(0) = -inf: an all-zero wave reads -inf dBFS, as documented.
    out[k].rmsDbfs = 10 * std::log10(sum / length);
    out[k].peak = peak;
  }
  const size_t batch = size_t(std::max(1, options.batch));
  for (size_t at = 0; at < count; at += batch) {
    const size_t n = std::min(batch, count - at);
    spectralMeasures(waves + at * size_t(length), int64_t(n), length, sampleRate, &out[at]);
  }
  return out;
}

}  // namespace wae::bankbake

#include "tools/hpn/pitch_shift.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/resample.h"
#include "tools/audio/spectrogram.h"

namespace wae::hpn {

torch::Tensor shiftNotes(const torch::Tensor& notes, const torch::Tensor& semitones,
                         int sampleRate) {
  if (notes.dim() != 2 || notes.scalar_type() != torch::kFloat32 || !notes.device().is_cpu())
    throw std::invalid_argument("shiftNotes: notes must be [B, N] float32 on the CPU");
  if (semitones.dim() != 1 || semitones.size(0) != notes.size(0))
    throw std::invalid_argument("shiftNotes: semitones must be [B], one per note");
  const torch::Tensor in = notes.contiguous();
  const torch::Tensor shifts = semitones.to(torch::kFloat64).contiguous();
  const int64_t n = in.size(1);
  torch::Tensor out = torch::zeros_like(in);
  for (int64_t b = 0; b < in.size(0); ++b) {
    const double s = shifts[b].item<double>();
    if (!(std::abs(s) <= 24.0))
      throw std::invalid_argument("shiftNotes: a shift must lie within +-24 semitones, got " +
                                  std::to_string(s));
    const int from = int(std::lround(sampleRate * std::pow(2.0, s / 12.0)));
    if (from == sampleRate) {
      out[b].copy_(in[b]);
      continue;
    }
    // Read at `from` and written at sampleRate: every frequency times from / sampleRate.
    runtime::Resampler resampler(from, sampleRate, runtime::ResampleQuality::kFastest);
    std::vector<float> wave(size_t(resampler.outputFrames(n)));
    resampler.convert(in[b].data_ptr<float>(), n, wave.data());
    const int64_t keep = std::min<int64_t>(n, int64_t(wave.size()));
    out[b].narrow(0, 0, keep).copy_(torch::from_blob(wave.data(), {keep}, torch::kFloat32));
  }
  return out;
}

NoteCrops cropNotes(const torch::Tensor& notes, const torch::Tensor& starts, int cropFrames,
                    int context, const AudioSettings& settings) {
  NoteCrops c;
  c.noteMels = MelSpectrogram(settings)(notes);
  const torch::Tensor padded = torch::constant_pad_nd(c.noteMels, {context, context}, 0.0);
  const auto start = starts.to(torch::kCPU).contiguous();
  std::vector<torch::Tensor> mels, audio;
  const int64_t hop = settings.hopLength;
  for (int64_t b = 0; b < notes.size(0); ++b) {
    const int64_t s = start[b].item<int64_t>();
    mels.push_back(padded[b].narrow(1, s, cropFrames + 2 * context));
    audio.push_back(notes[b].narrow(0, s * hop, int64_t(cropFrames) * hop));
  }
  c.mels = torch::stack(mels);
  c.audio = torch::stack(audio);
  return c;
}

}  // namespace wae::hpn

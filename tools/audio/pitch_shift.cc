#include "tools/audio/pitch_shift.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/resample.h"

namespace wae {

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

torch::Tensor drawShifts(int64_t n, double range) {
  if (!(range >= 0.0 && range <= 24.0))
    throw std::invalid_argument("drawShifts: the range must lie within 0..24 semitones, got " +
                                std::to_string(range));
  const torch::Tensor shift = (torch::rand({n}, torch::kFloat64) * 2.0 - 1.0) * range;
  const torch::Tensor kept = torch::rand({n}) < 0.5;
  return shift * kept.to(torch::kFloat64);
}

torch::Tensor shiftedMels(const torch::Tensor& mels, const torch::Tensor& notes,
                          const torch::Tensor& shifts, const MelSpectrogram& melOf,
                          int sampleRate) {
  const torch::Tensor moved = shifts.to(torch::kCPU).nonzero().flatten();
  if (moved.numel() == 0) return mels;
  const torch::Tensor moving = melOf(
      shiftNotes(notes.index_select(0, moved), shifts.to(torch::kCPU).index_select(0, moved),
                 sampleRate));
  return mels.index_copy(0, moved.to(mels.device()), moving.to(mels.device()).to(mels.dtype()));
}

torch::Tensor gainedMels(const torch::Tensor& mels, const torch::Tensor& db) {
  if (mels.dim() != 3 || db.dim() != 1 || db.size(0) != mels.size(0))
    throw std::invalid_argument("gainedMels: mels must be [B, n_mels, n_frames], dB [B]");
  const torch::Tensor gain = torch::pow(10.0, db.to(torch::kFloat64) / 20.0);
  return mels * gain.to(mels.dtype()).to(mels.device()).view({-1, 1, 1});
}

}  // namespace wae

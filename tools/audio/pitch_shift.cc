#include "tools/audio/pitch_shift.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/parallel_for.h"
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
  const double* shift = shifts.data_ptr<double>();
  for (int64_t b = 0; b < in.size(0); ++b) {
    if (!(std::abs(shift[b]) <= 24.0))
      throw std::invalid_argument("shiftNotes: a shift must lie within +-24 semitones, got " +
                                  std::to_string(shift[b]));
  }
  const int64_t n = in.size(1);
  torch::Tensor out = torch::zeros_like(in);
  const float* from = in.data_ptr<float>();
  float* to = out.data_ptr<float>();
  // Each note on its own, so the notes are split over torch's intra-op threads (the
  // trainers' --threads): the same samples on any number of threads.
  parallelFor(size_t(in.size(0)), at::get_num_threads(), [&](size_t first, size_t last) {
    std::vector<float> wave;
    for (size_t b = first; b < last; ++b) {
      const float* note = from + int64_t(b) * n;
      float* moved = to + int64_t(b) * n;
      const int rate = int(std::lround(sampleRate * std::pow(2.0, shift[b] / 12.0)));
      if (rate == sampleRate) {
        std::copy(note, note + n, moved);
        continue;
      }
      // Read at `rate` and written at sampleRate: every frequency times rate / sampleRate.
      runtime::Resampler resampler(rate, sampleRate, runtime::ResampleQuality::kFastest);
      wave.resize(size_t(resampler.outputFrames(n)));
      resampler.convert(note, n, wave.data());
      std::copy_n(wave.data(), std::min<int64_t>(n, int64_t(wave.size())), moved);
    }
  });
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

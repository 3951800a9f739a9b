// What train_hpn's --pitch-shift costs a batch of 16 notes: the resampling (on 1 and 2
// threads: shiftNotes splits the notes over torch's threads), then the mels and crops
// (docs/INVERSION.md).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "tools/audio/pitch_shift.h"
#include "tools/hpn/note_crops.h"

namespace {

void BM_ShiftNotes(benchmark::State& state) {
  torch::set_num_threads(int(state.range(0)));
  const wae::AudioSettings s;
  const torch::Tensor notes = torch::rand({16, s.nSamples}) - 0.5;
  const torch::Tensor shifts = torch::rand({16}, torch::kFloat64) * 2.0 - 1.0;
  for (auto _ : state) benchmark::DoNotOptimize(wae::shiftNotes(notes, shifts, s.sampleRate));
}
BENCHMARK(BM_ShiftNotes)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_CropNotes(benchmark::State& state) {
  torch::set_num_threads(1);
  const wae::AudioSettings s;
  const torch::Tensor notes = torch::rand({16, s.nSamples}) - 0.5;
  const torch::Tensor starts = torch::randint(0, s.nFrames - 32 + 1, {16}, torch::kLong);
  for (auto _ : state) benchmark::DoNotOptimize(wae::hpn::cropNotes(notes, starts, 32, 8, s).mels);
}
BENCHMARK(BM_CropNotes)->Unit(benchmark::kMillisecond);

}  // namespace

// Where the harmonic-plus-noise inverter's time goes, one note at a time (batch 1, the
// default 128-frame mel plus the context frames): the pitch estimate, the controls network,
// the harmonic synthesis, the filtered noise, and forward() as a whole.
//
//   bazel run -c opt //tools/hpn:hpn_benchmark                      # untrained, default size
//   WAE_HPN=$PWD/out/hpn/hpn.pt bazel run -c opt //tools/hpn:hpn_benchmark
//
// The cost does not depend on the weights. Torch threads: WAE_THREADS (default 1). The
// counter x_real_time is seconds of audio per second of the measured part.
#include <benchmark/benchmark.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cstdlib>
#include <memory>

#include "tools/hpn/hpn_model.h"

namespace {

struct Fixture {
  torch::jit::Module m;
  torch::Tensor mel, padded, f0, harm, noise;
  double seconds = 0;  // of audio per note
};

const Fixture& fixture() {
  static const std::unique_ptr<Fixture> f = [] {
    const char* t = std::getenv("WAE_THREADS");
    at::set_num_threads(t ? std::atoi(t) : 1);
    auto x = std::make_unique<Fixture>();
    const wae::AudioSettings s;
    if (const char* path = std::getenv("WAE_HPN")) {
      x->m = wae::hpn::loadHpn(path);
    } else {
      torch::manual_seed(1);
      x->m =
          wae::hpn::makeHpnModule({}, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0));
    }
    x->m.eval();
    c10::InferenceMode guard;
    x->mel = torch::rand({1, s.nMels, s.nFrames}) * 0.1;
    x->padded = x->m.run_method("pad", x->mel).toTensor();
    x->f0 = torch::full({1}, 220.0);
    const auto c = x->m.run_method("controls", x->padded, x->f0).toTuple();
    x->harm = c->elements()[0].toTensor();
    x->noise = c->elements()[1].toTensor();
    x->seconds = double(s.nSamples) / s.sampleRate;
    return x;
  }();
  return *f;
}

template <typename F>
void run(benchmark::State& state, F body) {
  const Fixture& f = fixture();
  c10::InferenceMode guard;
  for (auto _ : state) benchmark::DoNotOptimize(body(f));
  state.counters["x_real_time"] =
      benchmark::Counter(f.seconds * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Pitch(benchmark::State& state) {
  run(state, [](const Fixture& f) {
    auto& m = const_cast<torch::jit::Module&>(f.m);
    return m.run_method("decode_pitch", m.run_method("pitch_logits", f.mel)).toTensor();
  });
}
void BM_Controls(benchmark::State& state) {
  run(state, [](const Fixture& f) {
    return const_cast<torch::jit::Module&>(f.m).run_method("controls", f.padded, f.f0);
  });
}
void BM_Harmonic(benchmark::State& state) {
  run(state, [](const Fixture& f) {
    return const_cast<torch::jit::Module&>(f.m).run_method("harmonic", f.harm, f.f0).toTensor();
  });
}
void BM_Noise(benchmark::State& state) {
  run(state, [](const Fixture& f) {
    return const_cast<torch::jit::Module&>(f.m).run_method("noise", f.noise).toTensor();
  });
}
void BM_Forward(benchmark::State& state) {
  run(state, [](const Fixture& f) {
    return const_cast<torch::jit::Module&>(f.m).forward({f.mel}).toTensor();
  });
}

BENCHMARK(BM_Pitch)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Controls)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Harmonic)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Noise)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Forward)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

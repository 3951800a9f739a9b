// Speed of the model.pt module on the CPU: one training step (encode, reparameterise,
// decode_log, L1 + KL, backward, Adam) and inference, for a few widths. Timings go in
// docs/VAE.md; run with
//   bazel run -c opt //tools/vae:vae_benchmark -- --benchmark_min_time=2
// Threads: torch's intra-op threads are set to the benchmark argument.
#include <benchmark/benchmark.h>
#include <torch/script.h>
#include <torch/torch.h>

#include "tools/training/training_util.h"
#include "tools/vae/losses.h"
#include "tools/vae/vae_model.h"

namespace wae::vae {
namespace {

torch::jit::Module model(int channels) {
  torch::manual_seed(1);
  VaeConfig c;
  c.channels = channels;
  const AudioSettings s;
  return makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0));
}

// Arguments: channels, batch, threads.
void BM_TrainStep(benchmark::State& state) {
  torch::set_num_threads(static_cast<int>(state.range(2)));
  torch::jit::setGraphExecutorOptimize(false);  // as train_vae runs it
  torch::jit::Module m = model(static_cast<int>(state.range(0)));
  auto params = training::trainableParameters(m);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
  const int64_t batch = state.range(1);
  const torch::Tensor mel = torch::rand({batch, 80, 128}).pow(4);
  for (auto _ : state) {
    auto enc = m.run_method("encode", mel).toTuple();
    const torch::Tensor mu = enc->elements()[0].toTensor();
    const torch::Tensor logvar = enc->elements()[1].toTensor();
    const torch::Tensor z = mu + torch::exp(0.5 * logvar) * torch::randn_like(mu);
    const torch::Tensor pred = m.run_method("decode_log", z).toTensor();
    const torch::Tensor target = m.run_method("log_mel", mel).toTensor();
    const torch::Tensor loss =
        reconstruction(pred, target, ReconLoss::kL1) + klDivergence(mu, logvar);
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_TrainStep)
    ->Args({16, 32, 2})
    ->Args({32, 32, 2})
    ->Args({48, 32, 2})
    ->Args({32, 32, 1})
    ->Unit(benchmark::kMillisecond);

// Arguments: channels, batch, threads.
void BM_Forward(benchmark::State& state) {
  torch::set_num_threads(static_cast<int>(state.range(2)));
  torch::jit::Module m = model(static_cast<int>(state.range(0)));
  m.eval();
  const int64_t batch = state.range(1);
  const torch::Tensor mel = torch::rand({batch, 80, 128}).pow(4);
  c10::InferenceMode guard;
  for (auto _ : state) benchmark::DoNotOptimize(m.forward({mel}));
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_Forward)->Args({32, 1, 1})->Args({32, 64, 2})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wae::vae

// Bake throughput (not a test): grid points per second with batched model calls against
// one point at a time, and how a whole bake's time grows with the grid. Model: the analytic
// generative.pt at the contract's 32768 samples, so the figures are the pipeline's (batching,
// HDF5 writes, flushes) plus a cheap model; a trained model adds its own cost per point.
//   bazel run -c opt //tools/bank:bake_benchmark
#include <benchmark/benchmark.h>
#include <torch/script.h>

#include <cstdlib>
#include <filesystem>

#include "tools/bank/bake.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"

namespace wae::bankbake {
namespace {

const std::string& modelPath() {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() / "wae_bake_benchmark";
    std::filesystem::create_directories(dir);
    const std::string p = (dir / "analytic.pt").string();
    generative::AnalyticOptions o;
    o.length = 32768;
    generative::writeAnalyticModel(p, o);
    return p;
  }();
  return path;
}

// Model calls alone: range(0) points per forwardBatch call.
void BM_ForwardBatch(benchmark::State& state) {
  const auto model = GenerativeModel::load(modelPath());
  const int batch = int(state.range(0));
  std::vector<float> z(batch * 4), out(size_t(batch) * model.length());
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < 4; ++i) z[b * 4 + i] = -2.0f + 0.1f * (b + i);
  for (auto _ : state) {
    model.forwardBatch(z.data(), batch, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["points/s"] =
      benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ForwardBatch)->Arg(1)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

// The analytic model is elementwise (memory-bound), so batching cannot share work. A
// trained decoder reuses its weights across a batch: this stand-in, a two-layer MLP from 4
// latent coordinates to 32768 samples (256 hidden units, 8.4 M weights, random), shows what
// batching gives such a model.
void BM_ForwardBatchMlp(benchmark::State& state) {
  torch::jit::Module m("MlpDecoder");
  torch::manual_seed(1);
  m.register_parameter("w1", torch::randn({4, 256}) * 0.5, false);
  m.register_parameter("w2", torch::randn({256, 32768}) * 0.01, false);
  m.define(R"(
def forward(self, z: Tensor) -> Tensor:
    return torch.tanh(torch.tanh(z.mm(self.w1)).mm(self.w2))
)");
  m.eval();
  const int batch = int(state.range(0));
  const torch::Tensor z = torch::rand({batch, 4}) * 4 - 2;
  c10::InferenceMode guard;
  for (auto _ : state) {
    torch::Tensor out = m.forward({z}).toTensor();
    benchmark::DoNotOptimize(out.data_ptr<float>());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["points/s"] =
      benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ForwardBatchMlp)->Arg(1)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

// A whole bake of a G^4 grid (range(0) = G) with range(1) points per batch: model, work
// file with flushes, and the finished bank.
void BM_Bake(benchmark::State& state) {
  BakeOptions o;
  o.modelPath = modelPath();
  o.outPath = (std::filesystem::temp_directory_path() / "wae_bake_benchmark" / "bank.h5").string();
  const int g = int(state.range(0));
  o.grid = {g, g, g, g};
  o.batch = int(state.range(1));
  o.storage = bank::StorageType::kFloat32;
  size_t points = 0;
  for (auto _ : state) points += bake(o).pointsBaked;
  state.SetItemsProcessed(int64_t(points));
  state.counters["points"] = double(g) * g * g * g;
  state.counters["points/s"] = benchmark::Counter(double(points), benchmark::Counter::kIsRate);
  std::filesystem::remove(o.outPath);
}
BENCHMARK(BM_Bake)
    ->Args({3, 1})
    ->Args({3, 16})
    ->Args({4, 1})
    ->Args({4, 16})
    ->Args({5, 16})
    ->Args({6, 16})
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace wae::bankbake

BENCHMARK_MAIN();

// Real-time factor of generative.pt's forward through the GenerativeModel wrapper (what
// bake_bank and the live mode call), one point at a time and batched.
//
//   bazel run -c opt //tools/generative:generative_benchmark                 # stand-ins
//   WAE_GENERATIVE=$PWD/out/generative.pt bazel run -c opt //tools/generative:generative_benchmark
//
// Without WAE_GENERATIVE the models are stand-ins of the real sizes with untrained weights
// (the cost does not depend on the weights): the default VAE decoder (latent 16, 32
// channels) followed by the default MCNN, or by fast Griffin-Lim 32 / 100. Torch threads:
// WAE_THREADS (default 2). The counter x_real_time is seconds of audio per second.
#include <benchmark/benchmark.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "tools/generative/generative_model.h"
#include "tools/generative/latent_pca.h"
#include "tools/inversion/inverter.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/vae/vae_model.h"

namespace {

namespace fs = std::filesystem;

int threads() {
  const char* t = std::getenv("WAE_THREADS");
  return t ? std::atoi(t) : 2;
}

// "mcnn", "griffin-lim:32", ...: a stand-in generative.pt written once per inverter.
const wae::GenerativeModel& model(const std::string& inverter) {
  static std::map<std::string, std::unique_ptr<wae::GenerativeModel>> cache;
  auto& slot = cache[inverter];
  if (slot) return *slot;
  if (const char* path = std::getenv("WAE_GENERATIVE")) {
    slot = std::make_unique<wae::GenerativeModel>(wae::GenerativeModel::load(path));
    return *slot;
  }
  const wae::AudioSettings s;
  torch::manual_seed(1);
  wae::generative::GenerativeParts parts;
  const wae::vae::VaeConfig vc;
  parts.vae =
      wae::vae::makeVaeModule(vc, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0));
  const fs::path dir = fs::temp_directory_path() / "wae_generative_benchmark";
  fs::create_directories(dir);
  std::string spec = inverter;
  if (inverter == "mcnn") {
    spec = (dir / "mcnn.pt").string();
    wae::mcnn::makeMcnnModule({}, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0))
        .save(spec);
  }
  parts.inverter = wae::inversion::makeInverter(spec, s, "the benchmark", nullptr);
  parts.fullDim = vc.latentDim;
  parts.pca.mean = torch::zeros({vc.latentDim}, torch::kFloat64);
  parts.pca.components = torch::eye(vc.latentDim, torch::kFloat64).narrow(0, 0, 4);
  parts.pca.variances = torch::ones({4}, torch::kFloat64);
  parts.pca.totalVariance = vc.latentDim;
  parts.axisMin = {-2, -2, -2, -2};
  parts.axisMax = {2, 2, 2, 2};
  parts.settings = s;
  parts.inverterDescription = "benchmark stand-in: " + inverter;
  const std::string path = (dir / ("generative_" + std::to_string(cache.size()) + ".pt")).string();
  wae::generative::buildGenerativeModule(parts).save(path);
  slot = std::make_unique<wae::GenerativeModel>(wae::GenerativeModel::load(path));
  return *slot;
}

void runForward(benchmark::State& state, const std::string& inverter) {
  wae::setUpModelThread(threads());
  const wae::GenerativeModel& g = model(inverter);
  const int batch = static_cast<int>(state.range(0));
  std::vector<float> z(size_t(batch) * 4, 0.25f), out(size_t(batch) * g.length());
  g.forwardBatch(z.data(), batch, out.data());  // warm-up (first-call setup)
  for (auto _ : state) {
    g.forwardBatch(z.data(), batch, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  const double audioSeconds = double(batch) * g.length() / g.sampleRate();
  state.counters["x_real_time"] =
      benchmark::Counter(audioSeconds * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["threads"] = threads();
}

void BM_GenerativeMcnn(benchmark::State& state) { runForward(state, "mcnn"); }
void BM_GenerativeGriffinLim32(benchmark::State& state) { runForward(state, "griffin-lim:32"); }
void BM_GenerativeGriffinLim100(benchmark::State& state) { runForward(state, "griffin-lim:100"); }

BENCHMARK(BM_GenerativeMcnn)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerativeGriffinLim32)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerativeGriffinLim100)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

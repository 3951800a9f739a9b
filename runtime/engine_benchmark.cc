// Cost of the engine's mix on this machine, against the memory bandwidth measured in the same
// run. Not a test: bazel run -c opt //runtime:engine_benchmark (runtime/README.md).
//
// BM_Mix plays `voices` voices continuously (each ending voice is replaced at once, at a
// random point, so every voice blends 16 waveforms) from a 6x6x6x6 bank of 32768-sample
// waveforms (85 MB as int16, 170 MB as float32: far beyond the caches), in 64-frame blocks at
// 48 kHz. Counters:
//   ns_per_voice_sample  wall time / (voices * frames)
//   voices_per_core      voices one core sustains in real time at 48 kHz
//   mix_GBps             bytes the mix reads per second (16 taps * sample size per voice-sample)
//   bound_voices         voices at which the mix would read memory as fast as memcpy moves it
//                        (read + write bytes), the bandwidth bound
//   x_of_bound           bound_voices / voices_per_core (1 = at the bound; target <= 2)
// BM_Memcpy reports memcpy's bandwidth (read + write bytes per second) on 256 MB buffers.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "runtime/engine.h"
#include "runtime/live.h"
#include "runtime/resample.h"
#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

constexpr int kRate = 48000;
constexpr int kBlock = 64;
constexpr int kLength = 32768;
constexpr int kGrid = 6;
constexpr size_t kCopyBytes = size_t(256) << 20;

// Thread CPU time: these machines are shared, and the figures should not count the time the
// thread spent descheduled (the memory system is still shared; see README).
double cpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// Best of a few 256 MB copies, in bytes moved (read + write) per second.
double memcpyBytesPerSecond() {
  static const double bandwidth = [] {
    std::vector<char> a(kCopyBytes, 1), b(kCopyBytes, 2);
    double best = 1e300;
    for (int r = 0; r < 6; ++r) {
      const double t0 = cpuSeconds();
      std::memcpy(b.data(), a.data(), kCopyBytes);
      benchmark::DoNotOptimize(b.data());
      benchmark::ClobberMemory();
      best = std::min(best, cpuSeconds() - t0);
    }
    return 2.0 * kCopyBytes / best;
  }();
  return bandwidth;
}

void BM_Memcpy(benchmark::State& state) {
  std::vector<char> a(kCopyBytes, 1), b(kCopyBytes, 2);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), kCopyBytes);
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * 2 * int64_t(kCopyBytes));
}
BENCHMARK(BM_Memcpy)->Unit(benchmark::kMillisecond);

// The waveform content does not matter to the cost; a cheap recurrence fills it (a sine
// through a rotation), different per point. Point (i1, i2, i3, i4) is a sine at
// 110 Hz * 2^(4 octaves * i1 / (grid - 1)) detuned by 3 cents * (i2 + 2 i3 + 4 i4): the
// first axis carries the pitch over four octaves, as a bank baked with a pitch axis
// (docs/VAE.md). The bank's f0 (`pitch`):
//   kNoPitch:    none, every voice a plain blend;
//   kEveryPoint: each point's frequency, so that no two corners of a cell share an f0 and a
//                pitch-aligned voice reads 16 fractional taps, each at its own rate (within a
//                cell of the 6^4 grid the corners lie up to 9.6 semitones apart): the worst case;
//   kAxisRows:   the frequency without the detuning, one f0 per value of the first axis, as
//                make_generative's pitch axis bakes it (every point of a row at the axis's
//                f0): an aligned voice's corners share 2 rates, 8 taps each (2 fractional
//                readings of 8-tap sums, runtime/mix.h).
//   kAxisRowsNoise: kAxisRows with a noise part at every point (bank format 3, as the demo's
//                hpn model bakes): an aligned voice reads its harmonic parts as kAxisRows does
//                and the 16 noise parts beside them as a plain blend.
//   kAxisRowsNoisePlain: kAxisRowsNoise's bank with pitch alignment off: every voice a plain
//                blend of its harmonic and its noise parts, the same bank's cost without
//                alignment.
enum BenchPitch {
  kNoPitch = 0,
  kEveryPoint = 1,
  kAxisRows = 2,
  kAxisRowsNoise = 3,
  kAxisRowsNoisePlain = 4
};
const char* benchPitchName(int pitch) {
  return pitch == kEveryPoint           ? " aligned (16 rates)"
         : pitch == kAxisRows           ? " aligned (2 rates)"
         : pitch == kAxisRowsNoise      ? " aligned (2 rates) + noise parts"
         : pitch == kAxisRowsNoisePlain ? " plain + noise parts"
                                        : "";
}
const bank::BankData& benchBank(bank::StorageType storage, int grid, int pitch = kNoPitch) {
  static std::map<std::tuple<bank::StorageType, int, int>, bank::BankData> cache;
  auto it = cache.find({storage, grid, pitch});
  if (it != cache.end()) return it->second;
  bank::BankData data;
  data.info.gridShape = {grid, grid, grid, grid};
  for (auto& axis : data.info.axes) {
    for (int i = 0; i < grid; ++i) axis.push_back(-2.0 + 4.0 * i / (grid - 1));
  }
  data.info.sampleRate = kRate;
  data.info.length = kLength;
  data.info.storage = storage;
  data.info.scale = storage == bank::StorageType::kInt16 ? 1.0f / 32767 : 1.0f;
  data.info.noisePart = pitch == kAxisRowsNoise;
  const size_t points = data.info.pointCount(), rows = data.info.rowCount();
  if (storage == bank::StorageType::kFloat32) {
    data.f32.resize(rows * kLength);
  } else {
    data.i16.resize(rows * kLength);
  }
  std::vector<double> hz(points);
  for (size_t p = 0; p < points; ++p) {
    const size_t g = size_t(grid);
    const size_t i1 = p / (g * g * g), i2 = p / (g * g) % g, i3 = p / g % g, i4 = p % g;
    const double row = 4800.0 * double(i1) / double(grid - 1);
    const double cents = row + 3.0 * double(i2 + 2 * i3 + 4 * i4);
    hz[p] = 110.0 * std::exp2(cents / 1200.0);
    if (pitch != kNoPitch) {
      data.f0Hz.push_back(float(pitch == kEveryPoint ? hz[p] : 110.0 * std::exp2(row / 1200.0)));
    }
  }
  if (pitch != kNoPitch) data.f0Source = "analytic";
  for (size_t p = 0; p < rows; ++p) {
    // A noise part's row (p >= points): another frequency.
    const double w = 2 * M_PI * (p < points ? hz[p] : 1.37 * hz[p - points]) / kRate;
    const double c = std::cos(w), s = std::sin(w);
    double x = 0.5, y = 0.0;
    for (int t = 0; t < kLength; ++t) {
      const double nx = c * x - s * y;
      y = s * x + c * y;
      x = nx;
      if (storage == bank::StorageType::kFloat32) {
        data.f32[p * kLength + t] = float(y);
      } else {
        data.i16[p * kLength + t] = int16_t(std::lround(y * 32767));
      }
    }
  }
  return cache.emplace(std::make_tuple(storage, grid, pitch), std::move(data)).first->second;
}

// Args: voices, storage (0 float32, 1 int16), isa, transposed (0/1), prefetch distance in
// voices, prefetch locality, grid points per axis (6: 85/170 MB; 2: 1/2 MB, cache-resident),
// aligned (BenchPitch: 0 no pitch; 1 and 2 a bank with pitch, every voice pitch-aligned,
// 16 rates or 2; 3 as 2 with noise parts; 4 the bank of 3 with alignment off).
void BM_Mix(benchmark::State& state) {
  const int voices = int(state.range(0));
  const auto storage = state.range(1) ? bank::StorageType::kInt16 : bank::StorageType::kFloat32;
  const auto isa = KernelIsa(state.range(2));
  const bool transposed = state.range(3) != 0;
  if (!isaSupported(isa)) {
    state.SkipWithError("instruction set not supported here");
    return;
  }
  EngineSettings settings;
  settings.sampleRate = kRate;
  settings.maxVoices = voices;
  settings.isa = isa;
  settings.prefetchVoicesAhead = int(state.range(4));
  settings.prefetchLocality = int(state.range(5));
  Engine engine(settings);
  const int grid = int(state.range(6));
  const int aligned = int(state.range(7));
  const bool plainNoise = aligned == kAxisRowsNoisePlain;
  engine.setPitchAlignment(!plainNoise);
  engine.installBank(PlaybackBank::make(
      benchBank(storage, grid, plainNoise ? int(kAxisRowsNoise) : aligned), {kRate, 1}));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uni(-0.999f, 0.999f);
  auto refill = [&](int count) {
    for (int i = 0; i < count; ++i) {
      const Point p{uni(rng), uni(rng), uni(rng), uni(rng)};
      // Transposed: +-2 semitones, never exactly 0 (so never the sample-for-sample path).
      const float semitones = transposed ? (uni(rng) > 0 ? 0.5f : -0.5f) + 1.5f * uni(rng) : 0.0f;
      engine.trigger(p, 0.5f, semitones, int(rng() % kBlock));
    }
  };
  std::vector<float> out(kBlock);
  // Warm up: start voices a few per block over one voice length, so that they are spread
  // over their waveforms and end at different times.
  const int warmBlocks = kLength / kBlock;
  for (int b = 0; b < warmBlocks; ++b) {
    const EngineStats s = engine.stats();
    const int target = int(int64_t(voices) * (b + 1) / warmBlocks);
    refill(std::max(0, target - s.playingVoices - s.fadingVoices));
    engine.process(out.data(), kBlock);
  }
  int64_t voiceSamples = 0;
  double seconds = 0;
  for (auto _ : state) {
    const double t0 = cpuSeconds();
    const EngineStats s = engine.stats();
    refill(voices - s.playingVoices - s.fadingVoices);
    const int playing = engine.stats().playingVoices;
    engine.process(out.data(), kBlock);
    benchmark::DoNotOptimize(out.data());
    seconds += cpuSeconds() - t0;
    voiceSamples += int64_t(playing) * kBlock;
  }
  const double bytesPerVoiceSample = 16.0 * (storage == bank::StorageType::kInt16 ? 2 : 4);
  const double costS = seconds / double(std::max<int64_t>(voiceSamples, 1));
  const double voicesPerCore = 1.0 / (costS * kRate);
  const double boundVoices = memcpyBytesPerSecond() / (bytesPerVoiceSample * kRate);
  state.counters["ns_per_voice_sample"] = costS * 1e9;
  state.counters["voices_per_core"] = voicesPerCore;
  state.counters["mix_GBps"] = bytesPerVoiceSample / costS / 1e9;
  state.counters["bound_voices"] = boundVoices;
  state.counters["x_of_bound"] = boundVoices / voicesPerCore;
  state.counters["memcpy_GBps"] = memcpyBytesPerSecond() / 1e9;
  const EngineStats end = engine.stats();
  state.counters["aligned_share"] =
      double(end.alignedVoices) / double(std::max<uint64_t>(end.voicesStarted, 1));
  state.SetLabel(std::string(storage == bank::StorageType::kInt16 ? "int16 " : "float32 ") +
                 isaName(isa) + (transposed ? " transposed" : "") + benchPitchName(aligned) +
                 " prefetch " + std::to_string(settings.prefetchVoicesAhead) + "/" +
                 std::to_string(settings.prefetchLocality));
}

void mixArgs(benchmark::internal::Benchmark* b) {
  const int base = int(KernelIsa::kBaseline), avx2 = int(KernelIsa::kAvx2),
            avx512 = int(KernelIsa::kAvx512), scalar = int(KernelIsa::kScalar);
  const int ahead = config::kPrefetchVoicesAhead, locality = config::kPrefetchLocality;
  // The main figure: many voices, each storage, each instruction set.
  for (int storage : {1, 0}) {
    for (int isa : {scalar, base, avx2, avx512})
      b->Args({2048, storage, isa, 0, ahead, locality, kGrid, 0});
  }
  // Pitch-aligned blending (16 fractional taps, or 2 rates, or 2 rates and noise parts) beside
  // the plain blend, same run.
  for (int storage : {1, 0}) {
    for (int isa : {avx2, avx512}) {
      for (int aligned : {0, 1, 2, 3, 4})
        b->Args({2048, storage, isa, 0, ahead, locality, kGrid, aligned});
    }
  }
  // Voice count (cache pressure), transposed voices.
  for (int voices : {64, 512, 8192}) b->Args({voices, 1, avx2, 0, ahead, locality, kGrid, 0});
  b->Args({2048, 1, avx2, 1, ahead, locality, kGrid, 0});
  b->Args({2048, 0, avx2, 1, ahead, locality, kGrid, 0});
  // The same with a bank that fits in cache: what the engine costs without memory stalls.
  for (int storage : {1, 0}) {
    for (int aligned : {0, 1, 2, 3}) b->Args({2048, storage, avx2, 0, ahead, locality, 2, aligned});
  }
  // Prefetch distance and locality.
  for (int storage : {1, 0}) {
    for (int distance : {0, 2, 4, 8, 16}) {
      for (int loc : {0, 1, 2, 3}) {
        if (distance == 0 && loc != 3) continue;
        b->Args({2048, storage, avx2, 0, distance, loc, kGrid, 0});
      }
    }
  }
  // Prefetch distance for pitch-aligned voices (16 rates and 2), int16, AVX-512 (4: above).
  for (int distance : {0, 16}) {
    for (int aligned : {1, 2})
      b->Args({2048, 1, avx512, 0, distance, distance ? locality : 3, kGrid, aligned});
  }
}
BENCHMARK(BM_Mix)
    ->Apply(mixArgs)
    ->ArgNames({"voices", "int16", "isa", "transposed", "ahead", "locality", "grid", "aligned"})
    ->MinTime(1.0);

// Times `mix(kernels, out)` on one block of kBlock frames per iteration, with the kernels of the
// instruction set state.range(0) (skipped where this CPU lacks it), in ns per voice-sample.
template <class Mix>
void timeKernel(benchmark::State& state, Mix&& mix) {
  const auto isa = KernelIsa(state.range(0));
  if (!isaSupported(isa)) {
    state.SkipWithError("instruction set not supported here");
    return;
  }
  const MixKernels k = mixKernels(isa);
  std::vector<float> out(kBlock, 0.0f);
  for (auto _ : state) {
    mix(k, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["ns_per_voice_sample"] =
      benchmark::Counter(double(state.iterations()) * kBlock,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(isaName(isa));
}

// The kernel alone on data in L1 (16 taps, 64 frames): its arithmetic cost, without memory.
template <class T>
void BM_Kernel(benchmark::State& state) {
  std::vector<T> data(16 * 80, T(1));
  const T* src[16];
  float w[16];
  for (int i = 0; i < 16; ++i) {
    src[i] = data.data() + 80 * i + i % 4;
    w[i] = 0.01f * i;
  }
  timeKernel(state, [&](const MixKernels& k, float* out) {
    if constexpr (std::is_same<T, float>::value) {
      k.f32(src, w, 16, out, kBlock);
    } else {
      k.i16(src, w, 16, out, kBlock);
    }
  });
}
BENCHMARK_TEMPLATE(BM_Kernel, int16_t)->DenseRange(0, 3);
BENCHMARK_TEMPLATE(BM_Kernel, float)->DenseRange(0, 3);

// The pitch-aligned kernel alone on data in L1: 16 taps in 2 rates (a voice between two rows
// of a pitch axis, 4 semitones apart, half way: rates 2^(+-2/12)), 64 frames from frame 200
// of waveforms 4,096 long: its arithmetic cost beside BM_Kernel's plain blend. Second
// argument 16: every tap its own rate (a bank without a pitch axis); 5: five taps of their
// own rates (the corners of Kuhn's simplex, docs/BANK.md "Fewer corners").
template <class T>
void BM_AlignedKernel(benchmark::State& state) {
  constexpr int kLength = 4096;
  std::vector<T> data(16 * kLength);
  for (size_t i = 0; i < data.size(); ++i) data[i] = T(int(i * 7919 % 2001) - 1000);
  const T* src[16];
  float w[16], rate[16];
  for (int i = 0; i < 16; ++i) {
    src[i] = data.data() + kLength * i;
    w[i] = 0.01f * float(i + 1);
    rate[i] = state.range(1) == 2 ? float(std::pow(2.0, (i < 8 ? -2.0 : 2.0) / 12))
                                  : float(std::pow(2.0, (0.6 * i - 4.5) / 12));
  }
  const int taps = state.range(1) == 5 ? 5 : 16;
  timeKernel(state, [&](const MixKernels& k, float* out) {
    if constexpr (std::is_same<T, float>::value) {
      k.alignedF32(src, w, rate, taps, kLength, 200.0, 1.0, out, kBlock);
    } else {
      k.alignedI16(src, w, rate, taps, kLength, 200.0, 1.0, out, kBlock);
    }
  });
}
BENCHMARK_TEMPLATE(BM_AlignedKernel, int16_t)->ArgsProduct({{0, 1, 2, 3}, {2, 5, 16}});
BENCHMARK_TEMPLATE(BM_AlignedKernel, float)->ArgsProduct({{0, 1, 2, 3}, {2, 5, 16}});

// Loading: resampling a bank once (22050 -> 48000 Hz, SRC_SINC_BEST_QUALITY), per waveform of
// 32768 samples.
void BM_ResampleBank(benchmark::State& state) {
  testing::SineBankSpec spec;
  spec.length = kLength;
  spec.shape = {2, 2, 2, 2};
  const bank::BankData data = testing::sineBank(spec);
  const int threads = int(state.range(0));
  for (auto _ : state) {
    auto bank = PlaybackBank::make(data, {kRate, threads});
    benchmark::DoNotOptimize(bank.get());
  }
  state.counters["s_per_waveform"] = benchmark::Counter(
      double(state.iterations()) * 16, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ResampleBank)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// One waveform of 32768 samples from 22050 to 48000 Hz, per libsamplerate converter.
void BM_ResampleWaveform(benchmark::State& state) {
  const auto quality = ResampleQuality(state.range(0));
  Resampler resampler(22050, kRate, quality);
  std::vector<float> in(kLength);
  for (int t = 0; t < kLength; ++t) in[size_t(t)] = float(0.5 * std::sin(0.05 * t));
  for (auto _ : state) {
    std::vector<float> out = resampler.convert(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetLabel(quality == ResampleQuality::kBest     ? "SRC_SINC_BEST_QUALITY"
                 : quality == ResampleQuality::kMedium ? "SRC_SINC_MEDIUM_QUALITY"
                                                       : "SRC_SINC_FASTEST");
}
BENCHMARK(BM_ResampleWaveform)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

// Live mode: time from trigger() to the block in which its waveform starts, with a source that
// costs nothing (so this is the hand-over and the worker's resampling of 32768 samples from
// 22050 Hz, not a model's inference), the audio thread running blocks back to back.
class InstantSource : public WaveformSource {
 public:
  explicit InstantSource(int rate) : rate_(rate) {}
  int sampleRate() const override { return rate_; }
  std::vector<float> render(const Point&) override { return std::vector<float>(kLength, 0.1f); }

 private:
  int rate_;
};

void BM_LiveLatency(benchmark::State& state) {
  EngineSettings settings;
  settings.sampleRate = kRate;
  Engine engine(settings);
  engine.setLiveMode(LiveMode::kAlways);
  LiveWorker worker(engine, std::make_unique<InstantSource>(int(state.range(0))));
  std::vector<float> out(kBlock);
  for (auto _ : state) {
    const uint64_t started = engine.stats().liveStarted;
    engine.trigger({0, 0, 0, 0}, 1.0f, 0.0f, 0);
    while (engine.stats().liveStarted == started) {
      engine.process(out.data(), kBlock);
      engine.collectGarbage();
    }
    state.PauseTiming();
    engine.stopAll(0);
    for (int i = 0; i < 4; ++i) engine.process(out.data(), kBlock);
    engine.collectGarbage();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_LiveLatency)
    ->ArgName("source_rate")
    ->Arg(kRate)
    ->Arg(22050)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace wae::runtime

BENCHMARK_MAIN();

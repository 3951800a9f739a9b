// The audio path allocates nothing, frees nothing and takes no mutex: every allocation
// function and pthread_mutex_lock is replaced by a counting wrapper that counts only on the
// thread that armed it, then many process() calls with triggers, steals, stopAll, voice-limit
// changes, bank swaps (installed by a loader thread) and live waveforms run armed.
//
// operator new/delete are counted in every build. malloc, calloc, realloc, free and
// pthread_mutex_lock are counted only without sanitizers (AddressSanitizer and
// ThreadSanitizer interpose those functions themselves).
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <thread>

#include "runtime/engine.h"
#include "runtime/live.h"
#include "runtime/test_banks.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WAE_COUNT_LIBC 0
#else
#define WAE_COUNT_LIBC 1
#endif

namespace {

thread_local bool tArmed = false;
std::atomic<long> gAllocations{0};
std::atomic<long> gFrees{0};
std::atomic<long> gLocks{0};

inline void countAllocation() {
  if (tArmed) gAllocations.fetch_add(1, std::memory_order_relaxed);
}
inline void countFree(void* p) {
  if (tArmed && p) gFrees.fetch_add(1, std::memory_order_relaxed);
}

// Counts what happens on this thread while alive.
class Armed {
 public:
  Armed() { tArmed = true; }
  ~Armed() { tArmed = false; }
};

}  // namespace

#if WAE_COUNT_LIBC
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);

void* malloc(size_t n) {
  countAllocation();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  countAllocation();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  countAllocation();
  return __libc_realloc(p, n);
}
void free(void* p) {
  countFree(p);
  __libc_free(p);
}

using MutexLockFn = int (*)(pthread_mutex_t*);
MutexLockFn realMutexLock() {
  static MutexLockFn fn = reinterpret_cast<MutexLockFn>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
  return fn;
}
int pthread_mutex_lock(pthread_mutex_t* m) {
  if (tArmed) gLocks.fetch_add(1, std::memory_order_relaxed);
  return realMutexLock()(m);
}
}  // extern "C"
#endif

void* operator new(size_t n) {
  countAllocation();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  countAllocation();
  return std::malloc(n ? n : 1);
}
void* operator new[](size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void* operator new(size_t n, std::align_val_t a) {
  countAllocation();
  void* p = nullptr;
  if (posix_memalign(&p, std::max(sizeof(void*), size_t(a)), n ? n : 1) == 0) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept {
  countFree(p);
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, size_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t) noexcept { operator delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }

namespace wae::runtime {
namespace {

class Source : public WaveformSource {
 public:
  int sampleRate() const override { return 44100; }  // resampled by the worker
  std::vector<float> render(const Point& point) override {
    std::vector<float> w(2000);
    for (size_t t = 0; t < w.size(); ++t) w[t] = float(0.2 * std::sin(0.03 * t * (3 + point[0])));
    return w;
  }
};

TEST(Realtime, CountersSeeAllocationsAndLocks) {
  // The test can fail: the same counters see what an allocating or locking call does.
  const long a0 = gAllocations.load(), f0 = gFrees.load(), l0 = gLocks.load();
  {
    Armed armed;
    std::vector<int>* v = new std::vector<int>(100);
    delete v;
    void* p = std::malloc(10);
    std::free(p);
#if WAE_COUNT_LIBC
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
#endif
  }
  EXPECT_GE(gAllocations.load() - a0, 2);
  EXPECT_GE(gFrees.load() - f0, 2);
#if WAE_COUNT_LIBC
  // new vector, its buffer and malloc; operator new's own malloc is counted again.
  EXPECT_GE(gAllocations.load() - a0, 3);
  EXPECT_EQ(gLocks.load() - l0, 1);
#else
  (void)l0;
#endif
}

TEST(Realtime, AudioPathNeitherAllocatesNorLocks) {
  const int rate = 48000;
  EngineSettings settings;
  settings.sampleRate = rate;
  settings.maxVoices = 8;
  Engine engine(settings);
  testing::SineBankSpec spec;
  spec.sampleRate = rate;
  spec.length = 2000;
  // Blended voices are pitch-aligned: on banks whose f0 follows the first axis alone (a row of
  // points at one f0, as make_generative bakes a pitch axis) each row's corners are summed in
  // a buffer and read once; on the others every tap is read at its own rate.
  auto rowPitch = [](double hz) {
    std::vector<double> f(16);
    for (size_t p = 0; p < f.size(); ++p) f[p] = p < 8 ? hz : 1.25 * hz;
    return f;
  };
  spec.withPitch = true;
  spec.pointHz = rowPitch(220);
  engine.installBank(PlaybackBank::make(testing::sineBank(spec), {rate, 1}));
  engine.setLiveMode(LiveMode::kOutsideGrid);
  LiveWorker worker(engine, std::make_unique<Source>());

  std::atomic<bool> done{false};
  std::atomic<int> installed{0};
  constexpr int kBanks = 8;
  std::thread loader([&] {
    for (int i = 0; i < kBanks; ++i) {
      testing::SineBankSpec s = spec;
      s.baseHz = 300 + 50 * i;
      s.storage = i % 2 ? bank::StorageType::kInt16 : bank::StorageType::kFloat32;
      s.pointScales = i >= 5;  // int16 banks 5 and 7: each point its own scale (format 4)
      // The last two have noise parts (and so pitch), the last one stays current.
      const bool noisePart = i >= kBanks - 2;
      s.withPitch = i % 3 != 1 || noisePart;
      s.pointHz = i % 2 ? std::vector<double>{} : rowPitch(s.baseHz);
      bank::BankData data = testing::sineBank(s);
      // Banks 4 to 7 blend levels in dB (runtime/level.h), the point scales giving the
      // corners different levels; banks 2, 3, 6 and 7 mix with curved weights.
      data.info.levelInDb = i >= 4;
      data.info.blendExponent = i % 4 >= 2 ? 1.5 : 1.0;
      if (noisePart) {
        testing::SineBankSpec n = s;
        n.withPitch = false;
        n.pointHz.clear();
        n.baseHz = 2000;
        data = testing::withNoisePart(std::move(data), testing::sineBank(n));
      }
      engine.installBank(PlaybackBank::make(std::move(data), {rate, 1}));
      installed.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      engine.collectGarbage();
    }
    while (!done.load()) {
      engine.collectGarbage();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });

  std::vector<float> out(256);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uni(-1.3f, 1.3f);
  const long a0 = gAllocations.load(), f0 = gFrees.load(), l0 = gLocks.load();
  EngineStats before = engine.stats();
  int swaps = 0;
  {
    Armed armed;
    const PlaybackBank* seen = engine.currentBank();
    // Until some live note has played too (a stop cancels the live notes asked for before
    // it, so the stops end at block 2000) and enough voices were aligned (which banks are
    // current when depends on the loader thread's timing); at most a few seconds.
    for (int block = 0; block < 4000 || installed.load() < kBanks ||
                        ((engine.stats().liveStarted == before.liveStarted ||
                          engine.stats().alignedVoices - before.alignedVoices <= 600) &&
                         block < 2000000);
         ++block) {
      const int n = block % 7 == 0 ? 256 : 64;  // odd sizes too
      if (block % 2 == 0) {
        // Some blocks' triggers play the nearest grid point alone.
        engine.setInterpolation(block % 10 == 0 ? Interpolation::kNearest : Interpolation::kBlend);
        engine.setPitchAlignment(block % 14 != 0);
        for (int k = 0; k < 1 + block % 3; ++k) {
          const Point p{uni(rng), uni(rng), uni(rng), uni(rng)};
          if (block % 6 == 2) {
            engine.triggerNote(p, 0.7f, 48.0f + 24.0f * std::fabs(uni(rng)), (block * 13 + k) % n);
          } else {
            engine.trigger(p, 0.7f, block % 4 ? 0.0f : 12.0f * uni(rng), (block * 13 + k) % n);
          }
        }
      }
      if (block % 101 == 0 && block < 2000) engine.stopAll(block % n);
      if (block % 333 == 0) engine.setVoiceLimit(block % 666 ? 3 : 8);
      engine.process(out.data(), n);
      if (engine.currentBank() != seen) {
        seen = engine.currentBank();
        ++swaps;
      }
      (void)engine.stats();
      if (block % 16 == 0) std::this_thread::yield();
    }
  }
  const long allocations = gAllocations.load() - a0;
  const long frees = gFrees.load() - f0;
  const long locks = gLocks.load() - l0;
  done.store(true);
  loader.join();
  const EngineStats after = engine.stats();

  EXPECT_EQ(allocations, 0);
  EXPECT_EQ(frees, 0);
  EXPECT_EQ(locks, 0);
  // The run did exercise what it claims to.
  EXPECT_GE(swaps, 2);
  EXPECT_GT(after.voicesStarted - before.voicesStarted, 1000u);
  EXPECT_GT(after.voicesStolen - before.voicesStolen, 100u);
  EXPECT_GT(after.alignedVoices - before.alignedVoices, 500u);
  EXPECT_GT(after.liveStarted - before.liveStarted, 0u);
  ASSERT_NE(engine.currentBank(), nullptr);
  EXPECT_TRUE(engine.currentBank()->hasNoise());  // the voices of the run's end read noise parts
}

}  // namespace
}  // namespace wae::runtime

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

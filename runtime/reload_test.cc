// Bank reloads and live renders while the audio thread plays: a loader thread, a live worker
// and the audio thread at once. Run under ThreadSanitizer (bazel test --config=tsan) and
// AddressSanitizer (--config=asan) as well as plainly.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <thread>

#include "runtime/engine.h"
#include "runtime/live.h"
#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

class SineSource : public WaveformSource {
 public:
  int sampleRate() const override { return 16000; }
  std::vector<float> render(const Point& point) override {
    std::vector<float> w(1500);
    for (size_t t = 0; t < w.size(); ++t) w[t] = float(0.3 * std::sin(0.05 * t * (2 + point[0])));
    return w;
  }
};

TEST(Reload, BanksSwapAndLiveWaveformsArriveWhileVoicesPlay) {
  const int rate = 22050;
  const int banksBefore = PlaybackBank::liveInstances();
  {
    EngineSettings settings;
    settings.sampleRate = rate;
    settings.maxVoices = 6;
    Engine engine(settings);
    testing::SineBankSpec spec;
    spec.length = 3000;
    engine.installBank(PlaybackBank::make(testing::sineBank(spec), {rate, 1}));
    engine.setLiveMode(LiveMode::kOutsideGrid);
    LiveWorker worker(engine, std::make_unique<SineSource>());

    std::atomic<bool> done{false};
    std::atomic<int> installed{0};
    // Loader and control thread: new banks (some at another rate, resampled), and frees
    // what the audio side hands back.
    std::thread loader([&] {
      for (int i = 0; i < 12; ++i) {
        testing::SineBankSpec s = spec;
        s.baseHz = 200 + 37 * i;
        s.storage = i % 2 ? bank::StorageType::kInt16 : bank::StorageType::kFloat32;
        s.sampleRate = i % 3 == 0 ? 16000 : rate;
        engine.installBank(PlaybackBank::make(testing::sineBank(s), {rate, 2}));
        installed.fetch_add(1);
        for (int k = 0; k < 5; ++k) {
          engine.collectGarbage();
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
      }
      while (!done.load()) {
        engine.collectGarbage();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      engine.collectGarbage();
    });

    // Audio thread.
    std::thread audio([&] {
      std::mt19937 rng(11);
      std::uniform_real_distribution<float> uni(-1.2f, 1.2f);
      std::vector<float> out(64);
      const PlaybackBank* seen = nullptr;
      int swaps = 0;
      for (int block = 0; installed.load() < 12 || block < 3000; ++block) {
        if (block % 2 == 0) {
          const Point p{uni(rng), uni(rng), uni(rng), uni(rng)};
          engine.trigger(p, 0.8f, block % 5 ? 0.0f : 5.0f * uni(rng), block % 64);
        }
        if (block % 97 == 0) engine.stopAll(block % 64);
        engine.process(out.data(), 64);
        for (float x : out) ASSERT_TRUE(std::isfinite(x) && std::fabs(x) < 8.0f);
        if (engine.currentBank() != seen) {
          seen = engine.currentBank();
          ++swaps;
        }
        if (block % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      EXPECT_GE(swaps, 2);
      // Let every live request arrive, then everything end, so every old bank goes back.
      engine.setLiveMode(LiveMode::kOff);
      while (worker.delivered() < engine.stats().liveRequests) {
        engine.process(out.data(), 64);
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
      engine.process(out.data(), 64);
      engine.stopAll(0);
      for (int i = 0; i < 10; ++i) engine.process(out.data(), 64);
      EXPECT_EQ(engine.stats().playingVoices + engine.stats().fadingVoices, 0);
      EXPECT_EQ(engine.stats().banksHeld, 1);
      EXPECT_GT(engine.stats().voicesStarted, 100u);
    });
    audio.join();
    done.store(true);
    loader.join();
    EXPECT_GT(worker.delivered(), 0u);
    EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore + 1);  // the current bank only
  }
  EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore);
}

}  // namespace
}  // namespace wae::runtime

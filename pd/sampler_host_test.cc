#include "pd/sampler_host.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/engine.h"
#include "runtime/live.h"
#include "runtime/test_banks.h"

namespace wae::pd {
namespace {

using Kind = HostMessage::Kind;

// A bank reader for the loader thread that stops inside the read of `blockedPath` (the first
// time only) until the test lets it go: the test then knows that load is in flight.
class GatedReader {
 public:
  explicit GatedReader(std::string blockedPath) : blockedPath_(std::move(blockedPath)) {}

  bank::BankData read(const std::string& path) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (path == blockedPath_ && !entered_) {
        entered_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return released_; });
      }
    }
    runtime::testing::SineBankSpec spec;
    spec.sampleRate = 48000;
    return runtime::testing::sineBank(spec);
  }
  void waitUntilEntered() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return entered_; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::string blockedPath_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool released_ = false;
};

// Polls as the external's clock does (adopting a loaded bank at once) until nothing is
// loading and every reply has been taken; returns the replies in order.
std::vector<HostMessage> repliesUntilIdle(SamplerHost& host) {
  std::vector<HostMessage> replies;
  for (;;) {
    const bool loading = host.loading();  // read first: replies sent before it are queued
    HostMessage m;
    while (host.pollMessage(m)) {
      if (m.kind == Kind::kLoaded) host.engine().adoptInstalledBank();
      replies.push_back(m);
    }
    if (!loading) return replies;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Pd can run DSP at another rate than the one an object was created at; the host then
// makes a new engine, which must keep what the object was told (voices, live mode,
// interpolation), not fall back to the defaults.
TEST(SamplerHost, ANewSampleRateKeepsTheEngineSettings) {
  SamplerHost host(48000, 64, ::testing::TempDir());
  host.engine().setVoiceLimit(5);
  host.engine().setLiveMode(runtime::LiveMode::kOutsideGrid);
  host.engine().setInterpolation(runtime::Interpolation::kNearest);
  const runtime::Engine* before = &host.engine();
  host.setSampleRate(44100);
  EXPECT_NE(&host.engine(), before);  // a new engine at the new rate
  EXPECT_EQ(host.engine().sampleRate(), 44100);
  EXPECT_EQ(host.engine().maxVoices(), 64);
  EXPECT_EQ(host.engine().voiceLimit(), 5);
  EXPECT_EQ(host.engine().liveMode(), runtime::LiveMode::kOutsideGrid);
  EXPECT_EQ(host.engine().interpolation(), runtime::Interpolation::kNearest);
}

// An open in flight when Pd's rate changes (an upsampled block~, new audio settings) is
// made again at the new rate and answered once: it is not dropped for having been read at
// the old one.
TEST(SamplerHost, AnOpenInFlightWhenTheRateChangesIsLoadedAtTheNewRate) {
  GatedReader reader("a.h5");
  SamplerHost host(48000, 64, ::testing::TempDir(),
                   [&](const std::string& path) { return reader.read(path); });
  host.open("a.h5");
  reader.waitUntilEntered();
  host.setSampleRate(44100);
  reader.release();
  const std::vector<HostMessage> replies = repliesUntilIdle(host);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].kind, Kind::kLoaded) << replies[0].text;
  EXPECT_EQ(replies[0].path, "a.h5");
  EXPECT_EQ(host.bankPath(), "a.h5");
  ASSERT_NE(host.bank(), nullptr);
  EXPECT_EQ(host.bank()->info().sampleRate, 44100);
  EXPECT_EQ(host.bank()->sourceSampleRate(), 48000);
}

// Opens sent while another loads: the newest is loaded after it, the ones in between are
// answered `failed` (superseded) when the loader turns to them, so every open gets exactly
// one reply.
TEST(SamplerHost, EveryOpenGetsExactlyOneReply) {
  GatedReader reader("a.h5");
  SamplerHost host(48000, 64, ::testing::TempDir(),
                   [&](const std::string& path) { return reader.read(path); });
  host.open("a.h5");
  reader.waitUntilEntered();
  host.open("b.h5");
  host.open("c.h5");
  reader.release();
  const std::vector<HostMessage> replies = repliesUntilIdle(host);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].kind, Kind::kLoaded);
  EXPECT_EQ(replies[0].path, "a.h5");
  EXPECT_EQ(replies[1].kind, Kind::kFailed);
  EXPECT_EQ(replies[1].path, "b.h5");
  EXPECT_EQ(replies[1].text, "open b.h5: superseded by open c.h5, sent before it was loaded");
  EXPECT_EQ(replies[2].kind, Kind::kLoaded);
  EXPECT_EQ(replies[2].path, "c.h5");
  EXPECT_EQ(host.bankPath(), "c.h5");
}

// A live source whose render blocks until the test opens its gate, as a slow model would.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  int renders = 0;   // renders entered
  int returned = 0;  // renders returned
  bool open = false;
};

class GatedSource : public runtime::WaveformSource {
 public:
  explicit GatedSource(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
  int sampleRate() const override { return 48000; }
  std::vector<float> render(const runtime::Point&) override {
    std::unique_lock<std::mutex> lock(gate_->mutex);
    ++gate_->renders;
    gate_->changed.notify_all();
    gate_->changed.wait(lock, [this] { return gate_->open; });
    ++gate_->returned;
    return std::vector<float>(64, 0.25f);
  }

 private:
  std::shared_ptr<Gate> gate_;
};

std::string writeFile(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << name;
  return path;
}

// While the live worker is inside a render (a model takes ~0.15 s; this one until the test
// lets it go), what Pd's thread calls returns: polling, live errors, the state `info`
// reports, triggers, and the calls that replace the worker (live <other model>, a new sample
// rate). Before, Pd's poll took the lock the loader held while it destroyed the old worker,
// and a new rate destroyed the worker on Pd's thread: both waited for the render.
TEST(SamplerHost, PdsThreadNeverWaitsForARender) {
  auto gate = std::make_shared<Gate>();
  GatedReader reader("");
  SamplerHost host(
      48000, 64, ::testing::TempDir(), [&](const std::string& path) { return reader.read(path); },
      [gate](const std::string&) { return std::make_unique<GatedSource>(gate); });
  const std::string one = writeFile("one.pt"), two = writeFile("two.pt");
  host.open("bank.h5");
  host.openLive(one);
  for (const HostMessage& m : repliesUntilIdle(host))
    ASSERT_TRUE(m.kind == Kind::kLoaded || m.kind == Kind::kLiveLoaded) << m.text;
  host.engine().setLiveMode(runtime::LiveMode::kAlways);
  ASSERT_EQ(host.engine().trigger({0, 0, 0, 0}, 1, 0, 0), runtime::TriggerStatus::kSentToLive);
  {
    std::unique_lock<std::mutex> lock(gate->mutex);
    gate->changed.wait(lock, [&] { return gate->renders == 1; });
  }

  // Pd's thread, on its own thread so that a call that waits for the render cannot hang the
  // test: the gate opens only after these calls, or after the deadline below.
  std::atomic<int> polls{0};
  std::vector<HostMessage> replies;
  std::thread pd([&] {
    host.openLive(two);  // the loader replaces the worker that is rendering
    host.setSampleRate(44100);
    for (int i = 0; i < 2000; ++i) {
      HostMessage m;
      while (host.pollMessage(m)) replies.push_back(m);
      host.takeLiveErrors();
      host.liveLoaded();
      host.livePath();
      host.bankPath();
      host.loading();
      host.engine().trigger({0.5f, 0, 0, 0}, 1, 0, 0);
      polls.fetch_add(1);
      std::this_thread::yield();
    }
  });
  // A deadlock detector, not a timing measure: the calls above take microseconds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (polls.load() < 2000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int returned, pollsBeforeGate;
  {
    std::lock_guard<std::mutex> lock(gate->mutex);
    returned = gate->returned;
    pollsBeforeGate = polls.load();
    gate->open = true;
    gate->changed.notify_all();
  }
  pd.join();
  EXPECT_EQ(pollsBeforeGate, 2000) << "Pd's thread waited for the render";
  EXPECT_EQ(returned, 0) << "the render was still running while Pd's thread was called";

  // The rate change reloads the bank and the model, now at 44100 Hz.
  bool bankLoaded = false, liveLoaded = false;
  for (const HostMessage& m : repliesUntilIdle(host)) replies.push_back(m);
  for (const HostMessage& m : replies) {
    if (m.kind == Kind::kLoaded) bankLoaded = true;
    if (m.kind == Kind::kLiveLoaded && m.path == two) liveLoaded = true;
  }
  EXPECT_TRUE(bankLoaded);
  EXPECT_TRUE(liveLoaded);
  EXPECT_EQ(host.engine().sampleRate(), 44100);
  EXPECT_EQ(host.livePath(), two);
  EXPECT_TRUE(host.liveLoaded());
}

}  // namespace
}  // namespace wae::pd

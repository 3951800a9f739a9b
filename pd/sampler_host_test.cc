#include "pd/sampler_host.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/engine.h"
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

}  // namespace
}  // namespace wae::pd

#include "runtime/live.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

// A stand-in for generative.pt: a sine whose pitch follows axis 1, at its own rate. A point
// with axis 2 above 5 fails.
class FakeSource : public WaveformSource {
 public:
  FakeSource(int sampleRate, int length) : sampleRate_(sampleRate), length_(length) {}
  int sampleRate() const override { return sampleRate_; }
  std::vector<float> render(const Point& point) override {
    if (point[1] > 5) throw std::runtime_error("point out of the model's reach");
    return wave(point, sampleRate_, length_);
  }
  static double hz(const Point& point) { return 300.0 + 100.0 * point[0]; }
  static std::vector<float> wave(const Point& point, int rate, int length) {
    std::vector<float> w(static_cast<size_t>(length));
    for (int t = 0; t < length; ++t)
      w[size_t(t)] = float(0.5 * std::sin(2 * M_PI * hz(point) * t / rate + 0.4));
    return w;
  }

 private:
  int sampleRate_, length_;
};

// Processes blocks until the worker has delivered `count` waveforms (the result then starts
// at frame 0 of the next block).
void waitDelivered(const LiveWorker& worker, uint64_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (worker.delivered() < count) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "live worker delivered nothing";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::unique_ptr<Engine> engineWithBank(int rate) {
  EngineSettings s;
  s.sampleRate = rate;
  auto engine = std::make_unique<Engine>(s);
  testing::SineBankSpec spec;
  spec.sampleRate = rate;
  engine->installBank(PlaybackBank::make(testing::sineBank(spec), {rate, 1}));
  return engine;
}

TEST(Live, OutOfGridPointIsRenderedAndPlayedFromTheNextBlock) {
  auto engine = engineWithBank(22050);
  engine->setLiveMode(LiveMode::kOutsideGrid);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(22050, 300));
  const Point p{1.5f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(engine->trigger(p, 0.5f, 0.0f, 17), TriggerStatus::kSentToLive);
  EXPECT_EQ(engine->stats().liveRequests, 1u);
  waitDelivered(worker, 1);
  std::vector<float> out(400);
  for (int b = 0; b < 400; b += 64) engine->process(out.data() + b, std::min(64, 400 - b));
  const std::vector<float> expected = FakeSource::wave(p, 22050, 300);
  for (int t = 0; t < 400; ++t) {
    const float want =
        t < 300 ? testing::taper(t, 300, engine->fadeFrames()) * (0.5f * expected[size_t(t)])
                : 0.0f;
    ASSERT_EQ(out[size_t(t)], want) << t;
  }
  EXPECT_EQ(engine->stats().liveStarted, 1u);
  EXPECT_EQ(engine->collectGarbage(), 1);  // the finished live waveform
}

// A live note asked for before a stop is not played when its waveform arrives after it (it
// goes back to the control thread unplayed); one asked for after the stop plays.
TEST(Live, StopAllCancelsLiveNotesAskedForBeforeIt) {
  auto engine = engineWithBank(22050);
  engine->setLiveMode(LiveMode::kOutsideGrid);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(22050, 300));
  const Point p{1.5f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(engine->trigger(p, 0.5f, 0.0f, 0), TriggerStatus::kSentToLive);
  EXPECT_TRUE(engine->stopAll(0));
  waitDelivered(worker, 1);
  std::vector<float> out(64);
  for (int b = 0; b < 4; ++b) {
    engine->process(out.data(), 64);
    for (float x : out) ASSERT_EQ(x, 0.0f);
  }
  EXPECT_EQ(engine->stats().liveStarted, 0u);
  EXPECT_EQ(engine->collectGarbage(), 1);  // the cancelled waveform, unplayed

  EXPECT_EQ(engine->trigger(p, 0.5f, 0.0f, 0), TriggerStatus::kSentToLive);
  waitDelivered(worker, 2);
  engine->process(out.data(), 64);
  EXPECT_EQ(engine->stats().liveStarted, 1u);
  const std::vector<float> expected = FakeSource::wave(p, 22050, 300);
  for (int t = 0; t < 64; ++t) ASSERT_EQ(out[size_t(t)], 0.5f * expected[size_t(t)]) << t;
}

TEST(Live, InRangePointsStayOnTheBankUnlessAlways) {
  auto engine = engineWithBank(22050);
  engine->setLiveMode(LiveMode::kOutsideGrid);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(22050, 100));
  EXPECT_EQ(engine->trigger({0.5f, 0, 0, 0}, 1, 0, 0), TriggerStatus::kQueued);
  engine->setLiveMode(LiveMode::kAlways);
  EXPECT_EQ(engine->trigger({0.5f, 0, 0, 0}, 1, 0, 0), TriggerStatus::kSentToLive);
  engine->setLiveMode(LiveMode::kOff);
  EXPECT_EQ(engine->trigger({1.5f, 0, 0, 0}, 1, 0, 0), TriggerStatus::kQueuedClamped);
}

TEST(Live, SourceAtAnotherRateIsResampled) {
  auto engine = engineWithBank(22050);
  engine->setLiveMode(LiveMode::kAlways);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(44100, 8000));
  const Point p{0.3f, 0, 0, 0};
  ASSERT_EQ(engine->trigger(p, 1.0f, 0.0f, 0), TriggerStatus::kSentToLive);
  waitDelivered(worker, 1);
  std::vector<float> out(4200);
  for (int b = 0; b < 4200; b += 64) engine->process(out.data() + b, std::min(64, 4200 - b));
  EXPECT_NEAR(testing::measureHz(out.data(), 100, 3900, 22050), FakeSource::hz(p), 0.3);
  EXPECT_NE(out[3995], 0.0f);
  for (int t = 4001; t < 4200; ++t) ASSERT_EQ(out[size_t(t)], 0.0f) << t;
}

TEST(Live, RenderErrorsReachTheControlThread) {
  auto engine = engineWithBank(22050);
  engine->setLiveMode(LiveMode::kAlways);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(22050, 100));
  ASSERT_EQ(engine->trigger({0, 9, 0, 0}, 1, 0, 0), TriggerStatus::kSentToLive);
  std::vector<std::string> errors;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (errors.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    errors = worker.takeErrors();
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "live: rendering point failed: point out of the model's reach");
  EXPECT_EQ(worker.delivered(), 0u);
}

TEST(Live, OneWorkerPerEngine) {
  auto engine = engineWithBank(22050);
  LiveWorker worker(*engine, std::make_unique<FakeSource>(22050, 100));
  EXPECT_THROW(LiveWorker(*engine, std::make_unique<FakeSource>(22050, 100)), std::logic_error);
}

}  // namespace
}  // namespace wae::runtime

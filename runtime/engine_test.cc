#include "runtime/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "runtime/align.h"
#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

using testing::SineBankSpec;

std::unique_ptr<PlaybackBank> makeBank(const SineBankSpec& spec, int hostRate) {
  return PlaybackBank::make(testing::sineBank(spec), {hostRate, 1});
}

EngineSettings settings(int rate, int voices = 8, KernelIsa isa = KernelIsa::kBest) {
  EngineSettings s;
  s.sampleRate = rate;
  s.maxVoices = voices;
  s.isa = isa;
  return s;
}

// Runs the engine for `frames` frames in blocks of `block`.
std::vector<float> run(Engine& engine, int frames, int block = 64) {
  std::vector<float> out(size_t(frames), -999.0f);
  for (int i = 0; i < frames; i += block)
    engine.process(out.data() + i, std::min(block, frames - i));
  return out;
}

// Normalised coordinates of a grid point (what the Pd glue would send to hit it).
Point gridPoint(const bank::BankInfo& info, std::array<int, 4> index) {
  const GridLocator grid(info);
  Point p;
  for (int a = 0; a < 4; ++a) p[a] = grid.normalisedCoordinate(a, index[a]);
  return p;
}

const KernelIsa kIsas[] = {KernelIsa::kScalar, KernelIsa::kBest};

using testing::taper;

TEST(Engine, GridPointPlaysItsWaveformSampleForSample) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    for (KernelIsa isa : kIsas) {
      SineBankSpec spec;
      spec.shape = {3, 2, 3, 2};
      spec.length = 500;
      spec.storage = storage;
      const bank::BankData data = testing::sineBank(spec);
      Engine engine(settings(spec.sampleRate, 4, isa));
      engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
      const std::array<int, 4> index{2, 1, 0, 1};
      const std::vector<float> expected = testing::storedWaveform(data, data.info.flatIndex(index));
      ASSERT_EQ(engine.trigger(gridPoint(data.info, index), 1.0f, 0.0f, 0), TriggerStatus::kQueued);
      const std::vector<float> out = run(engine, 700);
      for (int t = 0; t < 500; ++t)
        ASSERT_EQ(out[t], taper(t, 500, engine.fadeFrames()) * expected[t]) << "frame " << t;
      for (int t = 500; t < 700; ++t) ASSERT_EQ(out[t], 0.0f) << "frame " << t;
      EXPECT_EQ(engine.stats().playingVoices, 0);
      EXPECT_EQ(engine.stats().voicesStarted, 1u);
    }
  }
}

TEST(Engine, OffGridPointPlaysTheQuadrilinearBlend) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    SineBankSpec spec;
    spec.shape = {3, 3, 4, 2};
    spec.unevenAxes = true;
    spec.length = 300;
    spec.storage = storage;
    const bank::BankData data = testing::sineBank(spec);
    Engine engine(settings(spec.sampleRate));
    engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
    const Point p{0.3f, -0.4f, 0.8f, -0.1f};
    const float gain = 0.7f;
    ASSERT_EQ(engine.trigger(p, gain, 0.0f, 0), TriggerStatus::kQueued);
    const std::vector<float> out = run(engine, 300);

    // Weights computed here in axis coordinates, independently of the engine's locator.
    std::vector<double> expected(300, 0.0);
    std::array<int, 4> lower{};
    std::array<double, 4> frac{};
    for (int a = 0; a < 4; ++a) {
      const auto& axis = data.info.axes[a];
      const double x = axis.front() + (p[a] + 1.0) / 2.0 * (axis.back() - axis.front());
      int j = 0;
      while (j + 2 < int(axis.size()) && axis[j + 1] <= x) ++j;
      lower[a] = j;
      frac[a] = (x - axis[j]) / (axis[j + 1] - axis[j]);
    }
    for (int c = 0; c < 16; ++c) {
      std::array<int, 4> idx{};
      double w = gain;
      for (int a = 0; a < 4; ++a) {
        const bool hi = (c >> (3 - a)) & 1;
        idx[a] = lower[a] + hi;
        w *= hi ? frac[a] : 1 - frac[a];
      }
      const std::vector<float> wave = testing::storedWaveform(data, data.info.flatIndex(idx));
      for (int t = 0; t < 300; ++t) expected[t] += w * wave[t];
    }
    for (int t = 0; t < 300; ++t)
      ASSERT_NEAR(out[t], taper(t, 300, engine.fadeFrames()) * expected[t], 1e-6) << "frame " << t;
  }
}

TEST(Engine, NearestModePlaysTheNearestGridPointAlone) {
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    for (KernelIsa isa : kIsas) {
      SineBankSpec spec;
      spec.shape = {3, 2, 3, 2};
      spec.length = 400;
      spec.storage = storage;
      const bank::BankData data = testing::sineBank(spec);
      const GridLocator grid(data.info);
      // Between grid indices 0 and 1 of the second axis, on grid coordinates elsewhere.
      const std::array<int, 4> lower{1, 0, 1, 1}, upper{1, 1, 1, 1};
      auto between = [&](double t) {
        Point p = gridPoint(data.info, lower);
        const float lo = grid.normalisedCoordinate(1, 0), hi = grid.normalisedCoordinate(1, 1);
        p[1] = float(lo + t * (hi - lo));
        return p;
      };
      const std::vector<float> low = testing::storedWaveform(data, data.info.flatIndex(lower));
      const std::vector<float> up = testing::storedWaveform(data, data.info.flatIndex(upper));
      auto play = [&](Interpolation mode, const Point& p) {
        Engine engine(settings(spec.sampleRate, 4, isa));
        engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
        EXPECT_EQ(engine.interpolation(), Interpolation::kBlend);  // the default
        engine.setInterpolation(mode);
        EXPECT_EQ(engine.trigger(p, 1.0f, 0.0f, 0), TriggerStatus::kQueued);
        // A trigger keeps the mode it was made in.
        engine.setInterpolation(mode == Interpolation::kBlend ? Interpolation::kNearest
                                                              : Interpolation::kBlend);
        return run(engine, 500);
      };
      const std::vector<float> near6 = play(Interpolation::kNearest, between(0.6));
      const std::vector<float> near4 = play(Interpolation::kNearest, between(0.4));
      const std::vector<float> blend6 = play(Interpolation::kBlend, between(0.6));
      const int fade = Engine(settings(spec.sampleRate, 4, isa)).fadeFrames();
      for (int t = 0; t < 400; ++t) {
        const float g = taper(t, 400, fade);
        ASSERT_EQ(near6[t], g * up[t]) << "frame " << t;
        ASSERT_EQ(near4[t], g * low[t]) << "frame " << t;
        ASSERT_NEAR(blend6[t], g * (0.4 * low[t] + 0.6 * up[t]), 1e-6) << "frame " << t;
      }
      for (int t = 400; t < 500; ++t) ASSERT_EQ(near6[t], 0.0f) << "frame " << t;
      // The blend is not the nearest point: the test tells the modes apart.
      double diff = 0;
      for (int t = 0; t < 400; ++t) diff = std::max(diff, double(std::abs(blend6[t] - up[t])));
      EXPECT_GT(diff, 0.05);
    }
  }
}

TEST(Engine, NearestModeScalesByGain) {
  SineBankSpec spec;
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(spec.sampleRate));
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  engine.setInterpolation(Interpolation::kNearest);
  // Nearest to grid point (1, 0, 1, 0) of the 2x2x2x2 grid.
  ASSERT_EQ(engine.trigger({0.2f, -0.3f, 0.01f, -0.9f}, 0.5f, 0.0f, 0), TriggerStatus::kQueued);
  const std::vector<float> out = run(engine, spec.length);
  const std::vector<float> want = testing::storedWaveform(data, data.info.flatIndex({1, 0, 1, 0}));
  for (int t = 0; t < spec.length; ++t) {
    ASSERT_EQ(out[t], taper(t, spec.length, engine.fadeFrames()) * (0.5f * want[t]))
        << "frame " << t;
  }
}

TEST(Engine, TwoTriggersSum) {
  SineBankSpec spec;
  const bank::BankData data = testing::sineBank(spec);
  const Point a{0.2f, 0.5f, -0.3f, 0.9f}, b{-0.6f, 0.1f, 0.4f, -0.8f};
  auto render = [&](std::vector<Point> points, std::vector<int> offsets) {
    Engine engine(settings(spec.sampleRate));
    engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
    for (size_t i = 0; i < points.size(); ++i) engine.trigger(points[i], 0.8f, 0.0f, offsets[i]);
    return run(engine, 640);
  };
  const std::vector<float> both = render({a, b}, {0, 13});
  const std::vector<float> onlyA = render({a}, {0});
  const std::vector<float> onlyB = render({b}, {13});
  for (int t = 0; t < 640; ++t) ASSERT_NEAR(both[t], onlyA[t] + onlyB[t], 1e-7) << t;
}

TEST(Engine, OffsetsLandOnTheExactFrame) {
  SineBankSpec spec;
  spec.length = 200;
  const bank::BankData data = testing::sineBank(spec);
  // Point 15 (the upper corner) starts at sin(15 * phaseStep) != 0, so a late start shows.
  const std::vector<float> wave = testing::storedWaveform(data, 15);
  ASSERT_LT(wave[0], -0.4f);
  for (int block : {1, 64, 100, 200, 1000}) {
    for (int offset : {0, 1, 37, 63, 64, 100, 150, 399}) {
      Engine engine(settings(spec.sampleRate));
      engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
      ASSERT_EQ(engine.trigger({1, 1, 1, 1}, 1.0f, 0.0f, offset), TriggerStatus::kQueued);
      const std::vector<float> out = run(engine, 1000, block);
      for (int t = 0; t < 1000; ++t) {
        const float expected = t >= offset && t < offset + 200
                                   ? taper(t - offset, 200, engine.fadeFrames()) * wave[t - offset]
                                   : 0.0f;
        ASSERT_EQ(out[t], expected) << "block " << block << " offset " << offset << " t " << t;
      }
    }
  }
}

TEST(Engine, EventsOutOfOrderAreAppliedInOffsetOrder) {
  SineBankSpec spec;
  spec.length = 100;
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(spec.sampleRate));
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  engine.trigger({1, 1, 1, 1}, 1.0f, 0.0f, 50);
  engine.stopAll(10);  // before the trigger: must not silence it
  const std::vector<float> out = run(engine, 200);
  const std::vector<float> wave = testing::storedWaveform(data, 15);
  for (int t = 0; t < 100; ++t)
    ASSERT_EQ(out[50 + t], taper(t, 100, engine.fadeFrames()) * wave[t]) << t;
}

TEST(Engine, FastAndScalarEnginesAgree) {
  SineBankSpec spec;
  spec.shape = {3, 3, 3, 3};
  spec.length = 2000;
  spec.storage = bank::StorageType::kInt16;
  const bank::BankData data = testing::sineBank(spec);
  std::vector<std::vector<float>> outputs;
  for (KernelIsa isa : {KernelIsa::kScalar, KernelIsa::kBaseline, KernelIsa::kBest}) {
    Engine engine(settings(spec.sampleRate, 5, isa));
    engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> uni(-1, 1);
    std::vector<float> out(64 * 200);
    for (int b = 0; b < 200; ++b) {
      if (b % 3 == 0) {
        const Point p{uni(rng), uni(rng), uni(rng), uni(rng)};
        engine.trigger(p, 0.5f + 0.5f * uni(rng), b % 2 ? 7.3f * uni(rng) : 0.0f,
                       int(32 + 31 * uni(rng)));
      }
      if (b == 150) engine.stopAll(17);
      engine.process(out.data() + 64 * b, 64);
    }
    outputs.push_back(out);
  }
  for (size_t k = 1; k < outputs.size(); ++k) {
    for (size_t t = 0; t < outputs[0].size(); ++t) {
      ASSERT_NEAR(outputs[k][t], outputs[0][t], 2e-6) << "engine " << k << " frame " << t;
    }
  }
}

TEST(Engine, StealingFadesWithoutAStep) {
  SineBankSpec spec;
  spec.sampleRate = 48000;
  spec.length = 4000;
  spec.phaseStep = 0;  // both voices start at 0: any step comes from the steal
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(48000, 1));
  engine.installBank(PlaybackBank::make(data, {48000, 1}));
  const int fade = engine.fadeFrames();
  EXPECT_EQ(fade, 64);
  const Point a{-1, -1, -1, -1}, b{1, 1, 1, 1};
  const std::vector<float> waveA = testing::storedWaveform(data, 0);
  const std::vector<float> waveB = testing::storedWaveform(data, 15);
  // Steal where voice A is at its peak (220 Hz: a quarter period is 54.5 frames).
  const int stealAt = 1145;  // 1145 / 48000 * 220 = 5.248 periods
  ASSERT_GT(std::fabs(waveA[stealAt]), 0.49f);
  engine.trigger(a, 1.0f, 0.0f, 0);
  engine.trigger(b, 1.0f, 0.0f, stealAt);
  const std::vector<float> out = run(engine, 3000);
  EXPECT_EQ(engine.stats().voicesStolen, 1u);

  // Sample-exact shape: A alone, then A * ramp + B, then B alone.
  for (int t = 0; t < 3000; ++t) {
    double expected = 0;
    if (t < stealAt) {
      expected = waveA[t];
    } else {
      const int k = t - stealAt;
      const double ramp = k < fade ? double(fade - 1 - k) / fade : 0.0;
      expected = ramp * waveA[t] + waveB[k];
    }
    ASSERT_NEAR(out[t], expected, 1e-6) << t;
  }
  // Bound: the fade adds at most amplitude / fade per frame on top of the two sines' slopes.
  const double amp = spec.amplitude;
  const double slope =
      amp * 2 * M_PI * (testing::sineHz(spec, 0) + testing::sineHz(spec, 15)) / spec.sampleRate;
  const double bound = amp / fade + slope;
  double maxStep = 0;
  for (int t = 1; t < 3000; ++t)
    maxStep = std::max(maxStep, double(std::fabs(out[t] - out[t - 1])));
  EXPECT_LE(maxStep, bound);
  // A cut without fade would have stepped by |A| at the steal: the bound is meaningful.
  EXPECT_GT(std::fabs(waveA[stealAt]), 5 * bound);
}

TEST(Engine, NaturalEndTapersWithoutAStep) {
  // Waveforms that end at full scale: without a taper the voice's end steps by ~1.0.
  SineBankSpec spec;
  spec.sampleRate = 48000;
  spec.length = 928;  // frame 927 is 4.25 periods of 220 Hz: the peak
  spec.amplitude = 1.0;
  spec.phaseStep = 0;
  const bank::BankData data = testing::sineBank(spec);
  const std::vector<float> wave = testing::storedWaveform(data, 0);
  ASSERT_GT(std::fabs(wave[927]), 0.99f);
  for (float transpose : {0.0f, 0.5f}) {
    Engine engine(settings(48000, 2));
    engine.installBank(PlaybackBank::make(data, {48000, 1}));
    const int fade = engine.fadeFrames();
    engine.trigger(Point{-1, -1, -1, -1}, 1.0f, transpose, 7);
    const std::vector<float> out = run(engine, 2000);
    if (transpose == 0.0f) {
      // Sample-exact: the last `fade` frames carry the stealing fade's ramp.
      for (int t = 0; t < 928; ++t) {
        const int k = t - (928 - fade);
        const double ramp = k < 0 ? 1.0 : double(fade - 1 - k) / fade;
        ASSERT_NEAR(out[size_t(7 + t)], ramp * wave[size_t(t)], 1e-6) << t;
      }
    }
    const double slope = 2 * M_PI * 220.0 * std::pow(2.0, transpose / 12.0) / spec.sampleRate;
    const double bound = 1.0 / fade + slope;
    double maxStep = 0;
    for (int t = 1; t < 2000; ++t)
      maxStep = std::max(maxStep, double(std::fabs(out[size_t(t)] - out[size_t(t - 1)])));
    EXPECT_LE(maxStep, bound) << "transpose " << transpose;
    EXPECT_EQ(engine.stats().playingVoices, 0);
  }
}

TEST(Engine, StopAllFadesEveryVoice) {
  SineBankSpec spec;
  spec.length = 3000;
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(spec.sampleRate, 8));
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  engine.trigger({0.1f, 0.2f, 0.3f, 0.4f}, 1.0f, 0.0f, 0);
  engine.trigger({-0.5f, 0.2f, 0.9f, 0.4f}, 1.0f, 3.0f, 5);
  engine.trigger({1, 1, -1, -1}, 1.0f, 0.0f, 9);
  std::vector<float> out = run(engine, 128);
  EXPECT_EQ(engine.stats().playingVoices, 3);
  engine.stopAll(20);
  std::vector<float> tail = run(engine, 256);
  const int fade = engine.fadeFrames();  // 29 at 22050 Hz
  EXPECT_EQ(fade, 29);
  for (int t = 20 + fade - 1; t < 256; ++t) ASSERT_EQ(tail[t], 0.0f) << t;
  EXPECT_EQ(engine.stats().playingVoices, 0);
  EXPECT_EQ(engine.stats().fadingVoices, 0);
  out.insert(out.end(), tail.begin(), tail.end());
  double maxStep = 0;
  for (size_t t = 1; t < out.size(); ++t)
    maxStep = std::max(maxStep, double(std::fabs(out[t] - out[t - 1])));
  // Three voices of amplitude <= 0.5 at <= 580 Hz (transposed), each fading by 1/29 per frame.
  EXPECT_LE(maxStep, 3 * (0.5 / fade + 0.5 * 2 * M_PI * 580 / 22050));
}

TEST(Engine, RefusesAndClampsAsDocumented) {
  SineBankSpec spec;
  spec.length = 64;
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(spec.sampleRate, 4));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, 0, 0), TriggerStatus::kNoBank);
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  EXPECT_EQ(engine.trigger({0, nan, 0, 0}, 1, 0, 0), TriggerStatus::kNotFinite);
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, inf, 0, 0), TriggerStatus::kNotFinite);
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, nan, 0), TriggerStatus::kNotFinite);
  EXPECT_EQ(engine.stats().voicesStarted, 0u);
  EXPECT_FALSE(accepted(TriggerStatus::kNotFinite));
  EXPECT_TRUE(accepted(TriggerStatus::kQueuedClamped));

  // Out of range: clamped onto the boundary, and plays exactly that grid point at gain 1.
  EXPECT_EQ(engine.trigger({1.7f, -1.2f, 1, -1}, 3.0f, 0, 0), TriggerStatus::kQueuedClamped);
  const std::vector<float> out = run(engine, 64);
  const std::vector<float> wave = testing::storedWaveform(data, data.info.flatIndex({1, 0, 1, 0}));
  for (int t = 0; t < 64; ++t) ASSERT_EQ(out[t], taper(t, 64, engine.fadeFrames()) * wave[t]) << t;
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, 40, 0), TriggerStatus::kQueuedClamped);
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, 0, -5), TriggerStatus::kQueuedClamped);
  run(engine, 64);

  // The event queue is bounded.
  int queued = 0;
  while (engine.trigger({0, 0, 0, 0}, 1, 0, 0) == TriggerStatus::kQueued) ++queued;
  EXPECT_EQ(queued, config::kMaxPendingEvents);
  EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, 0, 0), TriggerStatus::kEventQueueFull);
  EXPECT_FALSE(engine.stopAll());

  // Live mode without a worker.
  engine.setLiveMode(LiveMode::kOutsideGrid);
  EXPECT_EQ(engine.trigger({2, 0, 0, 0}, 1, 0, 0), TriggerStatus::kLiveUnavailable);

  std::set<std::string> texts;
  for (int s = 0; s <= int(TriggerStatus::kLiveQueueFull); ++s) {
    texts.insert(describe(TriggerStatus(s)));
  }
  EXPECT_EQ(texts.size(), size_t(TriggerStatus::kLiveQueueFull) + 1);
}

TEST(Engine, BadSettingsAndBanksAreRefused) {
  EXPECT_THROW(Engine(settings(0)), std::invalid_argument);
  EXPECT_THROW(Engine(settings(48000, 0)), std::invalid_argument);
  EXPECT_THROW(Engine(settings(48000, config::kMaxVoices + 1)), std::invalid_argument);
  Engine engine(settings(48000));
  SineBankSpec spec;
  try {
    engine.installBank(makeBank(spec, 44100));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "engine: bank sample rate: found 44100 Hz, expected 48000 Hz (the engine's)");
  }
}

TEST(Engine, ResampledBankKeepsPitchAndOctaveDoublesIt) {
  SineBankSpec spec;
  spec.length = 8192;
  spec.sampleRate = 22050;
  for (auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    spec.storage = storage;
    for (float semitones : {0.0f, 12.0f, -12.0f, 7.0f}) {
      Engine engine(settings(48000));
      engine.installBank(makeBank(spec, 48000));
      const size_t point = 5;
      const std::array<int, 4> index{0, 1, 0, 1};
      bank::BankInfo shapeOnly;
      shapeOnly.gridShape = spec.shape;
      ASSERT_EQ(shapeOnly.flatIndex(index), point);
      engine.trigger(gridPoint(testing::sineBank(spec).info, index), 1.0f, semitones, 0);
      const int played =
          int(std::ceil(std::lround(8192 * 48000.0 / 22050) / std::exp2(semitones / 12.0)));
      const std::vector<float> out = run(engine, played + 500);
      const double hz = testing::measureHz(out.data(), 500, size_t(played - 500), 48000);
      const double expected = testing::sineHz(spec, point) * std::exp2(semitones / 12.0);
      EXPECT_NEAR(hz, expected, 1e-3 * expected) << semitones << " semitones";
      // The voice lasts length / step frames, then silence.
      EXPECT_NE(out[size_t(played - 3)], 0.0f) << semitones;
      for (int t = played + 1; t < played + 500; ++t)
        ASSERT_EQ(out[t], 0.0f) << semitones << " " << t;
    }
  }
}

TEST(Engine, TransposedVoiceMatchesLagrangeReading) {
  SineBankSpec spec;
  spec.length = 1000;
  const bank::BankData data = testing::sineBank(spec);
  const float semitones = 3.5f;
  const double step = std::exp2(semitones / 12.0);
  const Point p{0.25f, -0.5f, 0.5f, 0.0f};  // off-grid: a blend of 16 waveforms
  // The blend, as the untransposed engine plays it: from a longer bank of the same sines, so
  // that its first 1000 frames carry no end-of-voice taper.
  std::vector<float> blend;
  {
    SineBankSpec longer = spec;
    longer.length = 2000;
    Engine engine(settings(spec.sampleRate));
    engine.installBank(PlaybackBank::make(testing::sineBank(longer), {spec.sampleRate, 1}));
    engine.trigger(p, 1.0f, 0.0f, 0);
    blend = run(engine, 1000);
  }
  Engine engine(settings(spec.sampleRate));
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  engine.trigger(p, 1.0f, semitones, 3);
  const std::vector<float> out = run(engine, 1000);
  auto x = [&](long i) { return i < 0 || i >= 1000 ? 0.0 : double(blend[size_t(i)]); };
  const int frames = int(std::ceil(1000 / step));
  for (int t = 0; t < 1000; ++t) {
    double expected = 0;
    if (t >= 3 && t - 3 < frames) {
      const double pos = (t - 3) * step;
      const long i = long(std::floor(pos));
      const double f = pos - i;
      // 6-point Lagrange through x[i - 2 .. i + 3], the textbook product form.
      expected = 0;
      for (int a = -2; a <= 3; ++a) {
        double w = 1;
        for (int b = -2; b <= 3; ++b)
          if (b != a) w *= (f - b) / double(a - b);
        expected += w * x(i + a);
      }
      expected *= taper(t - 3, frames, engine.fadeFrames());
    }
    ASSERT_NEAR(out[t], expected, 2e-6) << t;
  }
}

TEST(Engine, BankSwapLetsPlayingVoicesFinishOnTheOldBank) {
  SineBankSpec specA, specB;
  specA.length = specB.length = 1000;
  specB.baseHz = 500;
  const bank::BankData dataA = testing::sineBank(specA), dataB = testing::sineBank(specB);
  const int banksBefore = PlaybackBank::liveInstances();
  Engine engine(settings(specA.sampleRate));
  engine.installBank(PlaybackBank::make(dataA, {specA.sampleRate, 1}));
  const std::array<int, 4> index{1, 0, 1, 1};
  const size_t flat = dataA.info.flatIndex(index);
  engine.trigger(gridPoint(dataA.info, index), 1.0f, 0.0f, 0);
  std::vector<float> out = run(engine, 256);
  engine.installBank(PlaybackBank::make(dataB, {specB.sampleRate, 1}));
  EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore + 2);
  // A second install before the audio side takes the first replaces (and frees) it.
  engine.installBank(PlaybackBank::make(dataB, {specB.sampleRate, 1}));
  EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore + 2);
  engine.trigger(gridPoint(dataB.info, index), 1.0f, 0.0f, 100);
  EXPECT_EQ(engine.stats().banksHeld, 2);
  const std::vector<float> rest = run(engine, 1000);
  out.insert(out.end(), rest.begin(), rest.end());
  const std::vector<float> waveA = testing::storedWaveform(dataA, flat);
  const std::vector<float> waveB = testing::storedWaveform(dataB, flat);
  for (int t = 0; t < 1256; ++t) {
    const double a = t < 1000 ? taper(t, 1000, engine.fadeFrames()) * waveA[size_t(t)] : 0.0;
    const double b = t >= 356 && t < 1356 ? waveB[size_t(t - 356)] : 0.0;
    ASSERT_NEAR(out[size_t(t)], a + b, 1e-7) << t;
  }
  // Voice A ended: bank A went back through the garbage queue.
  EXPECT_EQ(engine.stats().banksHeld, 1);
  EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore + 2);
  EXPECT_EQ(engine.collectGarbage(), 1);
  EXPECT_EQ(PlaybackBank::liveInstances(), banksBefore + 1);
}

TEST(Engine, FullPoolDropsInsteadOfCutting) {
  SineBankSpec spec;
  spec.length = 5000;
  const bank::BankData data = testing::sineBank(spec);
  Engine engine(settings(spec.sampleRate, 2));  // 2 voices, 4 slots; fades of 29 frames
  engine.installBank(PlaybackBank::make(data, {spec.sampleRate, 1}));
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(engine.trigger({0, 0, 0, 0}, 1, 0, 50), TriggerStatus::kQueued);
  run(engine, 64);
  EngineStats s = engine.stats();
  EXPECT_EQ(s.voicesStarted, 4u);
  EXPECT_EQ(s.voicesStolen, 2u);
  EXPECT_EQ(s.droppedTriggers, 2u);
  EXPECT_EQ(s.playingVoices, 2);
  EXPECT_EQ(s.fadingVoices, 2);
  run(engine, 64);
  s = engine.stats();
  EXPECT_EQ(s.fadingVoices, 0);
  EXPECT_EQ(s.playingVoices, 2);
  // Lowering the limit fades the oldest voices.
  engine.setVoiceLimit(1);
  s = engine.stats();
  EXPECT_EQ(s.playingVoices, 1);
  EXPECT_EQ(s.fadingVoices, 1);
  EXPECT_EQ(s.voiceLimit, 1);
  EXPECT_GT(engine.memoryBytes(), size_t(16) * 5000 * 4);
}

// ---- Pitch alignment ----

// A 2x2x2x2 bank of phase-0 sines at 48 kHz whose points with the upper index on axis 1 are
// at `upperHz` and the others at `lowerHz`, carrying those exact f0s (or none).
SineBankSpec twoPitchBank(double lowerHz, double upperHz, bool withPitch, int length = 24000) {
  SineBankSpec spec;
  spec.sampleRate = 48000;
  spec.length = length;
  spec.phaseStep = 0.0;
  for (size_t p = 0; p < 16; ++p) spec.pointHz.push_back(p & 8 ? upperHz : lowerHz);
  spec.withPitch = withPitch;
  return spec;
}

struct Tone {
  double hz = 0;
  double energyFraction = 0;  // of the signal's energy, in the sinusoid at hz
};

// The strongest sinusoid in x[first, last): the frequency (searched lo..hi Hz, 0.5 Hz then
// 0.01 Hz steps) whose DFT projection holds the most energy, and that energy's fraction.
Tone strongestTone(const std::vector<float>& x, size_t first, size_t last, double rate,
                   double lo = 100, double hi = 1000) {
  const size_t n = last - first;
  double total = 0;
  for (size_t i = first; i < last; ++i) total += double(x[i]) * x[i];
  auto energyAt = [&](double hz) {
    double re = 0, im = 0;
    const double w = 2 * M_PI * hz / rate;
    for (size_t i = 0; i < n; ++i) {
      re += x[first + i] * std::cos(w * i);
      im += x[first + i] * std::sin(w * i);
    }
    return 2 * (re * re + im * im) / double(n);
  };
  Tone best;
  double bestEnergy = -1;
  auto scan = [&](double lo, double hi, double step) {
    for (double hz = lo; hz <= hi; hz += step) {
      const double e = energyAt(hz);
      if (e > bestEnergy) bestEnergy = e, best.hz = hz;
    }
  };
  scan(lo, hi, 0.5);
  scan(best.hz - 0.5, best.hz + 0.5, 0.01);
  best.energyFraction = bestEnergy / total;
  return best;
}

double cents(double hz, double reference) { return 1200 * std::log2(hz / reference); }

TEST(Engine, HalfWayBetweenTwoPitchesPlaysOnePitchAtTheirGeometricMean) {
  const SineBankSpec spec = twoPitchBank(185, 311, true);
  const double mean = std::sqrt(185.0 * 311.0);  // 239.86 Hz
  const Point halfWay{0.0f, -1.0f, -1.0f, -1.0f};
  for (KernelIsa isa : kIsas) {
    for (float semitones : {0.0f, 12.0f, -7.0f}) {
      Engine engine(settings(spec.sampleRate, 8, isa));
      engine.installBank(makeBank(spec, spec.sampleRate));
      ASSERT_TRUE(engine.pitchAlignment());  // the default
      engine.trigger(halfWay, 1.0f, semitones, 0);
      const std::vector<float> out = run(engine, 16000);
      // The 185 Hz corner is read fastest, at expected / 185: the voice lasts
      // length * 185 / expected frames; measure inside it, before its taper.
      const double expected = mean * std::exp2(semitones / 12.0);
      const size_t frames = size_t(spec.length * 185.0 / expected);
      const Tone tone =
          strongestTone(out, 500, std::min<size_t>(15500, frames - 200), spec.sampleRate);
      EXPECT_LT(std::fabs(cents(tone.hz, expected)), 20.0)
          << isaName(isa) << " " << semitones << ": " << tone.hz << " Hz";
      EXPECT_GE(tone.energyFraction, 0.9) << isaName(isa) << " " << semitones;
      std::printf("aligned %s %+.0f st: %.2f Hz (expected %.2f, %+.2f cents), %.4f of energy\n",
                  isaName(isa), semitones, tone.hz, expected, cents(tone.hz, expected),
                  tone.energyFraction);
    }
  }
  // Alignment off (A/B): the plain blend sounds both pitches, half the energy in each.
  Engine engine(settings(spec.sampleRate));
  engine.installBank(makeBank(spec, spec.sampleRate));
  engine.setPitchAlignment(false);
  engine.trigger(halfWay, 1.0f, 0.0f, 0);
  const std::vector<float> out = run(engine, 16000);
  const Tone tone = strongestTone(out, 500, 15500, spec.sampleRate);
  EXPECT_LT(tone.energyFraction, 0.6) << tone.hz;
  std::printf("alignment off: strongest %.2f Hz, %.4f of energy\n", tone.hz, tone.energyFraction);
}

TEST(Engine, AlignedVoiceHoldsUntilItsSlowestCornerEndsWithoutAStep) {
  // Corners at 200 and 400 Hz, half way: 282.84 Hz. The 200 Hz corner is read at sqrt(2)
  // and ends after 4800 / sqrt(2) = 3395 frames; the 400 Hz one, read at 1 / sqrt(2), after
  // 4800 sqrt(2) = 6789. The first fades out and the second alone carries on at the same
  // pitch and level, and the voice tapers to silence when the second ends.
  const SineBankSpec spec = twoPitchBank(200, 400, true, 4800);
  Engine engine(settings(spec.sampleRate));
  engine.installBank(makeBank(spec, spec.sampleRate));
  engine.trigger({0.0f, -1.0f, -1.0f, -1.0f}, 1.0f, 0.0f, 0);
  const std::vector<float> out = run(engine, 8000);
  const int fastEnd = int(std::ceil(4800 / std::sqrt(2.0)));
  const int slowEnd = int(std::ceil(4800 * std::sqrt(2.0)));
  for (int t = slowEnd; t < 8000; ++t) ASSERT_EQ(out[size_t(t)], 0.0f) << t;
  EXPECT_NE(out[size_t(slowEnd - engine.fadeFrames())], 0.0f);
  auto rms = [&](int a, int b) {
    double e = 0;
    for (int t = a; t < b; ++t) e += double(out[size_t(t)]) * out[size_t(t)];
    return std::sqrt(e / (b - a));
  };
  const double before = rms(400, fastEnd - 200), after = rms(fastEnd + 200, slowEnd - 200);
  EXPECT_NEAR(20 * std::log10(after / before), 0.0, 0.5) << before << " " << after;
  const Tone tone =
      strongestTone(out, size_t(fastEnd + 200), size_t(slowEnd - 200), spec.sampleRate);
  EXPECT_LT(std::fabs(cents(tone.hz, std::sqrt(200.0 * 400.0))), 20.0) << tone.hz;
  // No step where the first corner ends: the largest change between frames stays that of
  // the sine itself (2 pi 282.84 / 48000 of its amplitude, 0.037), far below the half
  // amplitude a cut corner would leave.
  const double peak = *std::max_element(out.begin(), out.end());
  double largest = 0;
  for (int t = 1; t < slowEnd; ++t)
    largest = std::max(largest, double(std::fabs(out[size_t(t)] - out[size_t(t) - 1])));
  EXPECT_LT(largest, 0.06 * peak) << largest << " of " << peak;
  std::printf(
      "aligned voice: level %+.3f dB after the fast corner's end, %.2f Hz, largest step "
      "%.4f of the peak\n",
      20 * std::log10(after / before), tone.hz, largest / peak);
  EXPECT_EQ(engine.stats().playingVoices + engine.stats().fadingVoices, 0);
}

// Random triggers (off-grid points, transpositions unless `transpose` is false, offsets, a
// stop) on `data`, with `voices` voices (few: stealing too).
std::vector<float> randomTriggers(const bank::BankData& data, KernelIsa isa, bool align,
                                  int voices = 5, bool transpose = true) {
  Engine engine(settings(data.info.sampleRate, voices, isa));
  engine.installBank(PlaybackBank::make(data, {data.info.sampleRate, 1}));
  engine.setPitchAlignment(align);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uni(-1, 1);
  std::vector<float> out(64 * 200);
  for (int b = 0; b < 200; ++b) {
    if (b % 3 == 0) {
      const Point p{uni(rng), uni(rng), uni(rng), uni(rng)};
      engine.trigger(p, 0.5f + 0.5f * uni(rng), transpose && b % 2 ? 7.3f * uni(rng) : 0.0f,
                     int(32 + 31 * uni(rng)));
    }
    if (b == 150) engine.stopAll(17);
    engine.process(out.data() + 64 * b, 64);
  }
  return out;
}

// The 3^4 bank of 2000-frame sines that randomTriggers plays, with each point's f0
// (220 + 20 p Hz: every off-grid voice is aligned).
SineBankSpec pitchedRandomBank(bank::StorageType storage) {
  SineBankSpec spec;
  spec.shape = {3, 3, 3, 3};
  spec.length = 2000;
  spec.storage = storage;
  spec.withPitch = true;
  return spec;
}

TEST(Engine, AlignedFastPathMatchesScalarReferenceSampleForSample) {
  for (bank::StorageType storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    const SineBankSpec spec = pitchedRandomBank(storage);
    const bank::BankData data = testing::sineBank(spec);
    const std::vector<float> reference = randomTriggers(data, KernelIsa::kScalar, true);
    const std::vector<float> fast = randomTriggers(data, KernelIsa::kBest, true);
    const std::vector<float> plain = randomTriggers(data, KernelIsa::kScalar, false);
    double differs = 0;
    for (size_t t = 0; t < reference.size(); ++t) {
      ASSERT_EQ(fast[t], reference[t]) << t;
      differs = std::max(differs, double(std::fabs(plain[t] - reference[t])));
    }
    EXPECT_GT(differs, 0.01);  // alignment did change the sound
  }
}

// An int16 bank whose points each have their own scale (format 4) plays what a float32 bank
// of its dequantised samples plays: blended, aligned, transposed, every voice's corners at
// their own scales (folded into the weights; the products rounded in another order, so up to
// float rounding).
TEST(Engine, PointScaledInt16BankPlaysItsDequantisedSamples) {
  SineBankSpec spec = pitchedRandomBank(bank::StorageType::kInt16);
  spec.pointScales = true;
  const bank::BankData scaled = testing::sineBank(spec);
  ASSERT_EQ(scaled.info.pointScale.size(), 81u);
  ASSERT_NE(scaled.info.pointScale[0], scaled.info.pointScale[1]);
  bank::BankData dequantised = scaled;
  dequantised.info.storage = bank::StorageType::kFloat32;
  dequantised.info.pointScale.clear();
  dequantised.info.scale = 1.0f;
  dequantised.i16.clear();
  for (size_t p = 0; p < 81; ++p) {
    const std::vector<float> w = testing::storedWaveform(scaled, p);
    dequantised.f32.insert(dequantised.f32.end(), w.begin(), w.end());
  }
  for (const bool align : {false, true}) {
    const std::vector<float> got = randomTriggers(scaled, KernelIsa::kBest, align);
    const std::vector<float> want = randomTriggers(dequantised, KernelIsa::kBest, align);
    double peak = 0, worst = 0;
    for (size_t t = 0; t < got.size(); ++t) {
      worst = std::max(worst, double(std::fabs(got[t] - want[t])));
      peak = std::max(peak, double(std::fabs(want[t])));
    }
    std::printf("align %d: worst difference %.3g of a peak %.3g\n", int(align), worst, peak);
    EXPECT_LT(worst, 4e-7) << "align "
                           << align;  // a few ulps; the level held with the scales in: 1.1e-6
    EXPECT_GT(peak, 0.1);
  }
  // A grid point plays its own samples times its own scale, exactly.
  Engine engine(settings(spec.sampleRate, 4));
  engine.installBank(PlaybackBank::make(scaled, {spec.sampleRate, 1}));
  const std::array<int, 4> index{1, 2, 0, 2};
  const size_t flat = scaled.info.flatIndex(index);
  ASSERT_EQ(engine.trigger(gridPoint(scaled.info, index), 1.0f, 0.0f, 0), TriggerStatus::kQueued);
  const std::vector<float> out = run(engine, spec.length);
  const std::vector<float> expected = testing::storedWaveform(scaled, flat);
  for (int t = 0; t < spec.length; ++t)
    ASSERT_EQ(out[t], taper(t, spec.length, engine.fadeFrames()) * expected[t]) << "frame " << t;
}

TEST(Engine, BankWithoutPitchOrAlignmentOffPlaysExactlyTheBlend) {
  SineBankSpec spec;
  spec.shape = {3, 3, 3, 3};
  spec.length = 2000;
  const bank::BankData unpitched = testing::sineBank(spec);
  spec.withPitch = true;
  const bank::BankData pitched = testing::sineBank(spec);
  for (KernelIsa isa : kIsas) {
    const std::vector<float> before = randomTriggers(unpitched, isa, false);
    const std::vector<float> noPitch = randomTriggers(unpitched, isa, true);
    const std::vector<float> off = randomTriggers(pitched, isa, false);
    for (size_t t = 0; t < before.size(); ++t) {
      ASSERT_EQ(noPitch[t], before[t]) << isaName(isa) << " " << t;
      ASSERT_EQ(off[t], before[t]) << isaName(isa) << " " << t;
    }
  }
}

TEST(Engine, AlignedGridPointAndUnpitchedCornersPlayAsThePlainBlend) {
  // One pitched corner (185 Hz) and one unpitched (f0 0, though its sine is 311 Hz): the
  // voice's pitch is the pitched corner's own, so every tap reads at the transposition rate.
  SineBankSpec spec = twoPitchBank(185, 311, true, 3000);
  bank::BankData data = testing::sineBank(spec);
  for (size_t p = 8; p < 16; ++p) data.f0Hz[p] = 0.0f;
  spec.withPitch = false;
  const bank::BankData unpitched = testing::sineBank(spec);
  for (const Point& point : {Point{0.0f, -1.0f, -1.0f, -1.0f}, Point{-1.0f, -1.0f, -1.0f, -1.0f}}) {
    for (float semitones : {0.0f, 5.0f}) {
      std::vector<float> outs[2];
      for (int k = 0; k < 2; ++k) {
        Engine engine(settings(spec.sampleRate));
        engine.installBank(PlaybackBank::make(k ? data : unpitched, {spec.sampleRate, 1}));
        engine.trigger(point, 0.8f, semitones, 5);
        outs[k] = run(engine, 3200);
      }
      for (size_t t = 0; t < outs[0].size(); ++t) ASSERT_EQ(outs[1][t], outs[0][t]) << t;
    }
  }
}

// A bank with a noise part: half way between 185 and 311 Hz the harmonic parts play one
// pitch at their geometric mean, and the noise parts (here a 3000 Hz tone at every point,
// which no pitch moves) stay at 3000 Hz; a bank of the same points whole (their sums, read
// aligned) moves that part to 3000 f / 185 and 3000 f / 311 instead.
TEST(Engine, NoisePartsStayWhereTheyAreWhileTheHarmonicPartsAlign) {
  const SineBankSpec spec = twoPitchBank(185, 311, true);
  SineBankSpec fixed = twoPitchBank(3000, 3000, false);
  fixed.amplitude = 0.2;
  const bank::BankData harmonic = testing::sineBank(spec), noise = testing::sineBank(fixed);
  const bank::BankData split = testing::withNoisePart(harmonic, noise);
  bank::BankData whole = harmonic;
  for (size_t k = 0; k < whole.f32.size(); ++k) whole.f32[k] += noise.f32[k];
  const double mean = std::sqrt(185.0 * 311.0);
  const size_t end = size_t(spec.length * 185.0 / mean) - 200;  // the fast corner's end
  double fixedShare[2] = {};
  for (int k = 0; k < 2; ++k) {
    for (KernelIsa isa : kIsas) {
      Engine engine(settings(spec.sampleRate, 8, isa));
      engine.installBank(PlaybackBank::make(k ? whole : split, {spec.sampleRate, 1}));
      engine.trigger({0.0f, -1.0f, -1.0f, -1.0f}, 1.0f, 0.0f, 0);
      const std::vector<float> out = run(engine, int(end) + 200);
      const Tone low = strongestTone(out, 500, end, spec.sampleRate);
      EXPECT_LT(std::fabs(cents(low.hz, mean)), 20.0) << k << " " << low.hz;
      const Tone high = strongestTone(out, 500, end, spec.sampleRate, 2000, 4000);
      fixedShare[k] = std::fabs(high.hz - 3000.0) < 0.5 ? high.energyFraction : 0.0;
      std::printf("%s %s: %.2f Hz (%.3f of the energy), strongest above 2 kHz %.2f Hz (%.3f)\n",
                  k ? "whole bank" : "noise part", isaName(isa), low.hz, low.energyFraction,
                  high.hz, high.energyFraction);
    }
  }
  // Amplitudes 0.5 and 0.2: the fixed tone holds 0.02 / 0.145 of the energy where it stays.
  EXPECT_NEAR(fixedShare[0], 0.02 / 0.145, 0.01);
  EXPECT_EQ(fixedShare[1], 0.0);
}

// A voice on a bank with a noise part plays the aligned blend of the harmonic parts plus the
// plain blend of the noise parts at the transposition (each with its own end and taper):
// the sum of the harmonic bank's voices and the noise bank's. Untransposed, up to the float
// rounding of another order of summing (about twenty voices a frame); transposed, the noise
// part's step is a float where a voice of the noise bank alone reads at a double step, a
// pitch 1e-7 apart (0.0002 cent), whose phases drift apart by about 3e-5 of the amplitude over
// these 12,800 frames.
TEST(Engine, NoisePartIsThePlainBlendBesideTheAlignedOne) {
  for (bank::StorageType storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    const SineBankSpec spec = pitchedRandomBank(storage);
    const bank::BankData harmonic = testing::sineBank(spec);
    SineBankSpec other = spec;
    other.withPitch = false;
    other.baseHz = 3100;
    other.stepHz = -13;
    other.phaseStep = 0.7;
    const bank::BankData noise = testing::sineBank(other);
    const bank::BankData split = testing::withNoisePart(harmonic, noise);
    for (KernelIsa isa : kIsas) {
      for (const bool transpose : {false, true}) {
        // 64 voices: none stolen (steals would differ between the three banks' runs).
        const std::vector<float> both = randomTriggers(split, isa, true, 64, transpose);
        const std::vector<float> h = randomTriggers(harmonic, isa, true, 64, transpose);
        const std::vector<float> n = randomTriggers(noise, isa, true, 64, transpose);
        double largest = 0, noiseLevel = 0;
        for (size_t t = 0; t < both.size(); ++t) {
          const double scale = std::max(1.0, double(std::fabs(h[t])) + std::fabs(n[t]));
          largest = std::max(largest, std::fabs(both[t] - h[t] - n[t]) / scale);
          noiseLevel = std::max(noiseLevel, double(std::fabs(n[t])));
        }
        std::printf("%s %s%s: largest difference %.3g of the sum's magnitude\n",
                    storage == bank::StorageType::kInt16 ? "int16" : "float32", isaName(isa),
                    transpose ? ", transposed" : "", largest);
        EXPECT_LT(largest, transpose ? 1e-4 : 2e-6) << isaName(isa) << " " << transpose;
        EXPECT_GT(noiseLevel, 0.1);
      }
    }
  }
}

double midiHz(double midi) { return 440.0 * std::exp2((midi - 69.0) / 12.0); }

// A bank whose 16 points play one sine (440 Hz, or `hz`), the points with index 1 on axis 0
// at a quarter (-12 dB) of the others' amplitude when `quieter`; with their f0 when
// `withPitch` (one f0: a pitch-aligned voice reads every tap at one rate, the plain blend).
bank::BankData oneToneBank(bool quieter, bool withPitch, double hz = 440.0,
                           double amplitude = 0.5) {
  SineBankSpec spec;
  spec.withPitch = withPitch;
  spec.length = 3000;
  spec.amplitude = amplitude;
  spec.phaseStep = 0.0;
  spec.pointHz.assign(16, hz);
  bank::BankData data = testing::sineBank(spec);
  for (int i = 0; i < 2 && quieter; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k) {
        const size_t row = data.info.flatIndex({1, i, j, k}) * size_t(spec.length);
        for (int t = 0; t < spec.length; ++t) data.f32[row + size_t(t)] *= 0.25f;
      }
  return data;
}

// On a bank that blends levels in dB (bank::BankInfo::levelInDb), half way between corners of
// one shape 12 dB apart a voice plays at the mean of their levels in dB (half the louder's
// amplitude, -6 dB), not at the mean of their amplitudes (0.625, -4.1 dB), which a bank that
// blends linearly plays: the gain of runtime/level.h. With a noise part each part's level is
// its own: louder and quieter harmonic parts, noise parts all at one level, which stay.
TEST(Engine, BlendPlaysAtTheCornersMeanLevelInDb) {
  bank::BankData harmonic = oneToneBank(true, true);
  const bank::BankData noise = oneToneBank(false, false, 3000.0, 0.2);
  const std::vector<float> h = testing::storedWaveform(harmonic, 0);
  const std::vector<float> n = testing::storedWaveform(noise, 0);
  for (KernelIsa isa : kIsas) {
    for (const bool db : {true, false}) {
      for (const bool withNoise : {false, true}) {
        harmonic.info.levelInDb = db;
        const bank::BankData split = testing::withNoisePart(harmonic, noise);
        Engine engine(settings(22050, 4, isa));
        engine.installBank(PlaybackBank::make(withNoise ? split : harmonic, {22050, 1}));
        ASSERT_EQ(engine.trigger({0.0f, -1.0f, -1.0f, -1.0f}, 1.0f, 0.0f, 0),
                  TriggerStatus::kQueued);
        const std::vector<float> out = run(engine, 3000);
        for (int t = 0; t < 3000; ++t) {
          const double want = (db ? 0.5 : 0.625) * h[size_t(t)] + (withNoise ? n[size_t(t)] : 0.0);
          ASSERT_NEAR(out[size_t(t)], taper(t, 3000, engine.fadeFrames()) * want, 2e-6)
              << isaName(isa) << (db ? " db" : " linear")
              << (withNoise ? " with noise parts, frame " : " frame ") << t;
        }
      }
    }
  }
}

// A bank with a blend exponent (bank::BankInfo::blendExponent) mixes its corners with curved
// weights and keeps the grid's weights for the pitch and the level. A quarter of the way along
// axis 1, exponent 2 mixes 0.9 / 0.1 where the grid weighs 0.75 / 0.25: two unpitched tones
// sum to exactly that; two pitches (185 and 311 Hz) play one pitch at the grid weights'
// geometric mean (215.92 Hz; the curved weights' would be 194.7 Hz); corners of one shape 12
// dB apart, blending in dB, play at the grid weights' mean level, 0.25^0.25 = 0.707 of the
// louder (the curved weights' would be 0.871).
TEST(Engine, CurvedWeightsMixAndTheGridWeightsSetPitchAndLevel) {
  const Point quarter{-0.5f, -1.0f, -1.0f, -1.0f};
  for (KernelIsa isa : kIsas) {
    SineBankSpec tones = twoPitchBank(440, 660, false, 3000);
    bank::BankData data = testing::sineBank(tones);
    data.info.blendExponent = 2.0;
    const std::vector<float> a = testing::storedWaveform(data, 0);
    const std::vector<float> b = testing::storedWaveform(data, 8);
    for (const double exponent : {2.0, 1.0}) {
      data.info.blendExponent = exponent;
      Engine engine(settings(tones.sampleRate, 4, isa));
      engine.installBank(PlaybackBank::make(data, {tones.sampleRate, 1}));
      ASSERT_EQ(engine.trigger(quarter, 1.0f, 0.0f, 0), TriggerStatus::kQueued);
      const std::vector<float> out = run(engine, 3000);
      const double upper = exponent == 2.0 ? 0.1 : 0.25;
      for (int t = 0; t < 3000; ++t) {
        const double want = (1 - upper) * a[size_t(t)] + upper * b[size_t(t)];
        ASSERT_NEAR(out[size_t(t)], taper(t, 3000, engine.fadeFrames()) * want, 2e-6)
            << isaName(isa) << " exponent " << exponent << ", frame " << t;
      }
    }

    bank::BankData pitches = testing::sineBank(twoPitchBank(185, 311, true));
    pitches.info.blendExponent = 2.0;
    Engine engine(settings(48000, 4, isa));
    engine.installBank(PlaybackBank::make(pitches, {48000, 1}));
    engine.trigger(quarter, 1.0f, 0.0f, 0);
    const std::vector<float> out = run(engine, 16000);
    const double expected = std::pow(185.0, 0.75) * std::pow(311.0, 0.25);
    const Tone tone = strongestTone(out, 500, 15500, 48000);
    EXPECT_LT(std::fabs(cents(tone.hz, expected)), 1.0) << isaName(isa) << ": " << tone.hz;
    EXPECT_GE(tone.energyFraction, 0.99) << isaName(isa);

    bank::BankData levels = oneToneBank(true, true);
    const std::vector<float> h = testing::storedWaveform(levels, 0);
    levels.info.levelInDb = true;
    levels.info.blendExponent = 2.0;
    Engine leveled(settings(22050, 4, isa));
    leveled.installBank(PlaybackBank::make(levels, {22050, 1}));
    leveled.trigger(quarter, 1.0f, 0.0f, 0);
    const std::vector<float> played = run(leveled, 3000);
    for (int t = 0; t < 3000; ++t)
      ASSERT_NEAR(played[size_t(t)],
                  taper(t, 3000, leveled.fadeFrames()) * std::pow(0.25, 0.25) * h[size_t(t)], 2e-6)
          << isaName(isa) << " level, frame " << t;
  }
}

TEST(Engine, NotePlaysThePointAtTheAskedMidiPitch) {
  const SineBankSpec spec = twoPitchBank(185, 311, true);
  struct Case {
    Point point;
    float midi;
    bool nearest;
  };
  const Case cases[] = {
      {{0.0f, -1.0f, -1.0f, -1.0f}, 64.3f, false},   // half way (239.86 Hz) up to 64.3
      {{0.0f, -1.0f, -1.0f, -1.0f}, 55.0f, false},   // and down
      {{-1.0f, -1.0f, -1.0f, -1.0f}, 60.0f, false},  // a 185 Hz grid point
      {{0.6f, -1.0f, -1.0f, -1.0f}, 67.0f, true},    // nearest: the 311 Hz corner
  };
  for (KernelIsa isa : kIsas) {
    for (const Case& c : cases) {
      Engine engine(settings(spec.sampleRate, 8, isa));
      engine.installBank(makeBank(spec, spec.sampleRate));
      engine.setInterpolation(c.nearest ? Interpolation::kNearest : Interpolation::kBlend);
      ASSERT_EQ(engine.triggerNote(c.point, 1.0f, c.midi, 0), TriggerStatus::kQueued);
      const std::vector<float> out = run(engine, 12000);
      const Tone tone = strongestTone(out, 300, 9000, spec.sampleRate);
      EXPECT_LT(std::fabs(cents(tone.hz, midiHz(c.midi))), 5.0)
          << isaName(isa) << " midi " << c.midi << ": " << tone.hz << " Hz";
      EXPECT_GE(tone.energyFraction, 0.9) << isaName(isa) << " midi " << c.midi;
      std::printf("note %s midi %.1f: %.2f Hz (asked %.2f, %+.2f cents), %.4f of energy\n",
                  isaName(isa), c.midi, tone.hz, midiHz(c.midi), cents(tone.hz, midiHz(c.midi)),
                  tone.energyFraction);
    }
  }
}

TEST(Engine, QuantiseToScaleFindsTheNearestPitchOfTheScale) {
  const uint16_t cMajor = 0b101010110101;           // C D E F G A B
  EXPECT_EQ(quantiseToScale(58.49, cMajor), 59.0);  // A#3 + 0.49 -> B3
  EXPECT_EQ(quantiseToScale(61.2, cMajor), 62.0);   // C#4 + 0.2: D4 is 0.8 away, C4 1.2
  EXPECT_EQ(quantiseToScale(54.0, cMajor), 53.0);   // F#3: F3 and G3 tie, the lower wins
  EXPECT_EQ(quantiseToScale(-0.4, cMajor), 0.0);
  EXPECT_EQ(quantiseToScale(58.49, 0xfff), 58.0);    // chromatic: the nearest semitone
  EXPECT_EQ(quantiseToScale(66.0, 1u << 0), 60.0);   // only C: the tritone goes down
  EXPECT_EQ(quantiseToScale(58.49, 0), 58.49);       // no scale
  EXPECT_EQ(quantiseToScale(58.49, 0xf000), 58.49);  // bits above the 12 classes: none
}

// With a scale, a trigger at the point half way between 185 and 311 Hz (239.86 Hz, MIDI
// 58.49) plays the scale's nearest pitch, transposition included; notes are left as asked.
TEST(Engine, ScaleQuantisesTheTriggersPitch) {
  const SineBankSpec spec = twoPitchBank(185, 311, true);
  const Point halfWay{0.0f, -1.0f, -1.0f, -1.0f};
  struct Case {
    uint16_t scale;
    float semitones;
    double expectedHz;
  };
  const Case cases[] = {
      {0b101010110101, 0.0f, midiHz(59)},   // C major: B3
      {0b101010110101, 12.0f, midiHz(71)},  // an octave up: B4
      {0b101010110101, -2.0f, midiHz(57)},  // 56.49 -> A3
      {0xfff, 0.0f, midiHz(58)},            // chromatic: A#3
      {0, 0.0f, std::sqrt(185.0 * 311.0)},  // none: the point's own pitch
  };
  for (const Case& c : cases) {
    Engine engine(settings(spec.sampleRate, 8));
    engine.installBank(makeBank(spec, spec.sampleRate));
    engine.setScale(c.scale);
    ASSERT_EQ(engine.scale(), c.scale);
    ASSERT_EQ(engine.trigger(halfWay, 1.0f, c.semitones, 0), TriggerStatus::kQueued);
    engine.setScale(0);  // a trigger keeps the scale it was made with
    const std::vector<float> out = run(engine, 12000);
    const Tone tone = strongestTone(out, 300, 7000, spec.sampleRate);
    EXPECT_LT(std::fabs(cents(tone.hz, c.expectedHz)), 5.0)
        << c.scale << " " << c.semitones << ": " << tone.hz << " Hz";
    EXPECT_GE(tone.energyFraction, 0.9) << c.scale << " " << c.semitones;
    std::printf("scale %03x %+.0f st: %.2f Hz (expected %.2f, %+.2f cents)\n", c.scale, c.semitones,
                tone.hz, c.expectedHz, cents(tone.hz, c.expectedHz));
  }
  // A note is not quantised: MIDI 61.5 plays at 61.5.
  Engine engine(settings(spec.sampleRate, 8));
  engine.installBank(makeBank(spec, spec.sampleRate));
  engine.setScale(0b101010110101);
  ASSERT_EQ(engine.triggerNote(halfWay, 1.0f, 61.5f, 0), TriggerStatus::kQueued);
  const Tone tone = strongestTone(run(engine, 12000), 300, 7000, spec.sampleRate);
  EXPECT_LT(std::fabs(cents(tone.hz, midiHz(61.5))), 5.0) << tone.hz;
}

TEST(Engine, NoteOnAPointWithoutPitchTransposesFromMidi60) {
  // A bank without pitch: note 72 plays the grid point's 220 Hz sine an octave up, exactly
  // as a trigger transposed by +12 semitones.
  SineBankSpec spec = twoPitchBank(220, 330, false, 6000);
  std::vector<float> outs[2];
  for (int k = 0; k < 2; ++k) {
    Engine engine(settings(spec.sampleRate));
    engine.installBank(makeBank(spec, spec.sampleRate));
    const Point p{-1.0f, -1.0f, -1.0f, -1.0f};
    ASSERT_TRUE(
        accepted(k ? engine.triggerNote(p, 0.7f, 72.0f, 9) : engine.trigger(p, 0.7f, 12.0f, 9)));
    outs[k] = run(engine, 3500);
  }
  for (size_t t = 0; t < outs[0].size(); ++t) ASSERT_EQ(outs[1][t], outs[0][t]) << t;
  const Tone tone = strongestTone(outs[1], 100, 2800, spec.sampleRate);
  EXPECT_LT(std::fabs(cents(tone.hz, 440.0)), 5.0) << tone.hz;
}

TEST(Engine, NoteRefusesNonFiniteAndClampsItsPitch) {
  const SineBankSpec spec = twoPitchBank(185, 311, true, 2000);
  Engine engine(settings(spec.sampleRate));
  engine.installBank(makeBank(spec, spec.sampleRate));
  const Point p{0.0f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(engine.triggerNote(p, 1.0f, std::numeric_limits<float>::quiet_NaN(), 0),
            TriggerStatus::kNotFinite);
  EXPECT_EQ(engine.triggerNote(p, 1.0f, 130.0f, 0), TriggerStatus::kQueuedClamped);
  EXPECT_EQ(engine.triggerNote(p, 1.0f, -3.0f, 0), TriggerStatus::kQueuedClamped);
  EXPECT_EQ(engine.triggerNote(p, 1.0f, 60.0f, 0), TriggerStatus::kQueued);
}

}  // namespace
}  // namespace wae::runtime

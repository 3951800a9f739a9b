#include "tools/generative/generative_model.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/script.h>

#include <cmath>
#include <fstream>
#include <thread>

#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_schema.h"

namespace wae::generative {
namespace {

using testing::formatErrorOf;
using testing::TempDir;

TEST(GenerativeModel, LoadsAttributesOfTheAnalyticModel) {
  const TempDir tmp;
  AnalyticOptions o;
  o.length = 2048;
  o.sampleRate = 16000;
  o.axisMin = {-1, -2, -3, -4};
  o.axisMax = {1, 2, 3, 4};
  const std::string path = tmp.file("attrs.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  EXPECT_EQ(m.reducedDim(), 4);
  EXPECT_EQ(m.fullDim(), 6);
  EXPECT_EQ(m.sampleRate(), 16000);
  EXPECT_EQ(m.length(), 2048);
  EXPECT_EQ(m.audioSettings().nFrames, 8);
  EXPECT_FALSE(m.hasProject());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(m.axisRanges()[i].first, -(i + 1));
    EXPECT_EQ(m.axisRanges()[i].second, i + 1);
  }
}

TEST(GenerativeModel, ForwardMatchesTheReference) {
  const TempDir tmp;
  const AnalyticOptions o;
  const std::string path = tmp.file("forward.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  const std::array<float, 4> z{0.25f, -1.5f, 1.0f, 0.5f};
  const std::vector<float> got = m.forward(z.data());
  const std::vector<float> want = analyticWave(z, o);
  ASSERT_EQ(got.size(), size_t(o.length));
  double maxDiff = 0;
  for (size_t t = 0; t < got.size(); ++t)
    maxDiff = std::max(maxDiff, double(std::fabs(got[t] - want[t])));
  // float64 inside both; only rounding of exp/sin implementations may differ.
  EXPECT_LE(maxDiff, 1e-6);
  // Known values: t = 0 is 0; the amplitude is 0.2 + 0.6 * u3 = 0.65 at most.
  EXPECT_EQ(got[0], 0.0f);
  float peak = 0;
  for (float v : got) peak = std::max(peak, std::fabs(v));
  EXPECT_LE(peak, 0.65f + 1e-6f);
  EXPECT_GT(peak, 0.5f);
}

// The thread's own settings: torch's intra-op threads and the graph executor without its
// profiling runs, on the thread that calls it and not on another; a model runs as before.
TEST(GenerativeModel, SetUpModelThreadSetsTheCallingThread) {
  const TempDir tmp;
  const AnalyticOptions o;
  const std::string path = tmp.file("thread.pt");
  writeAnalyticModel(path, o);
  const std::array<float, 4> z{0.25f, -1.5f, 1.0f, 0.5f};
  const std::vector<float> before = GenerativeModel::load(path).forward(z.data());
  bool optimizeBefore = false, optimizeAfter = true, otherThread = false;
  int threads = 0;
  std::vector<float> after;
  std::thread([&] {
    optimizeBefore = torch::jit::getGraphExecutorOptimize();
    setUpModelThread(1);
    optimizeAfter = torch::jit::getGraphExecutorOptimize();
    threads = at::get_num_threads();
    after = GenerativeModel::load(path).forward(z.data());
    std::thread([&] { otherThread = torch::jit::getGraphExecutorOptimize(); }).join();
  }).join();
  EXPECT_TRUE(optimizeBefore);
  EXPECT_FALSE(optimizeAfter);
  EXPECT_TRUE(otherThread);
  EXPECT_EQ(threads, 1);
  EXPECT_EQ(after, before);
}

TEST(GenerativeModel, BatchEqualsOneAtATimeAndFullEqualsReduced) {
  const TempDir tmp;
  const AnalyticOptions o;
  const std::string path = tmp.file("batch.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  const std::vector<float> z = {0, 0, 0, 0, 1, -1, 0.5f, 2, -2, 2, -0.75f, 0.1f};
  std::vector<float> batch(3 * o.length);
  m.forwardBatch(z.data(), 3, batch.data());
  std::vector<float> full(3 * 6, 0.0f), fullOut(3 * o.length);
  for (int b = 0; b < 3; ++b) {
    const std::vector<float> one = m.forward(&z[4 * b]);
    for (int t = 0; t < o.length; ++t) ASSERT_EQ(batch[b * o.length + t], one[t]) << b << " " << t;
    for (int i = 0; i < 4; ++i) full[6 * b + i] = z[4 * b + i];
  }
  m.forwardFull(full.data(), 3, fullOut.data());
  EXPECT_EQ(fullOut, batch);
}

TEST(GenerativeModel, ProjectWhenPresent) {
  const TempDir tmp;
  AnalyticOptions o;
  o.withProject = true;
  const std::string path = tmp.file("project.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  ASSERT_TRUE(m.hasProject());
  const int nMels = m.audioSettings().nMels, nFrames = m.audioSettings().nFrames;
  std::vector<float> mel(nMels * nFrames, 0.0f);
  for (int f = 0; f < nFrames; ++f) {
    mel[0 * nFrames + f] = 1.0f;
    mel[1 * nFrames + f] = f % 2 ? 2.0f : 0.0f;
    mel[3 * nFrames + f] = -0.5f;
  }
  float p[4];
  m.project(mel.data(), 1, p);
  EXPECT_FLOAT_EQ(p[0], 1.0f);
  EXPECT_FLOAT_EQ(p[1], 1.0f);
  EXPECT_FLOAT_EQ(p[2], 0.0f);
  EXPECT_FLOAT_EQ(p[3], -0.5f);
}

TEST(GenerativeModel, F0IsTheAnalyticPitchExactly) {
  const TempDir tmp;
  AnalyticOptions o;
  o.fLowHz = 100;
  o.fHighHz = 1600;
  const std::string path = tmp.file("f0.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  ASSERT_TRUE(m.hasF0());
  // Axes -2..2: u1 = u2 = 0 -> 100 Hz; both 1 -> 1600 Hz; both 0.5 -> 400 Hz (the geometric
  // mean); u1 = 1, u2 = 0 -> 400 Hz as well. Axes 3 and 4 do not move the pitch.
  const float z[] = {-2, -2, 0, 0,  2,    2,    -2,    2,     0,    0,
                     1,  -1, 2, -2, 0.5f, 0.5f, 0.25f, -1.5f, 1.0f, 0.5f};
  const std::vector<float> f = m.f0(z, 5);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0], 100.0f);
  EXPECT_EQ(f[1], 1600.0f);
  EXPECT_EQ(f[2], 400.0f);
  EXPECT_EQ(f[3], 400.0f);
  EXPECT_EQ(f[4], analyticF0({0.25f, -1.5f, 1.0f, 0.5f}, o));
  EXPECT_EQ(f[4], float(100.0 * std::pow(16.0, 0.5 * (0.5625 + 0.125))));
  // Batches of one give the same values.
  for (int k = 0; k < 5; ++k) EXPECT_EQ(m.f0(z + 4 * k, 1)[0], f[k]);
  // Without forward_f0, forwardWithF0 is the two calls.
  EXPECT_FALSE(m.hasForwardF0());
  std::vector<float> waves(5 * size_t(m.length())), expected(waves.size());
  EXPECT_EQ(m.forwardWithF0(z, 5, waves.data()), f);
  m.forwardBatch(z, 5, expected.data());
  EXPECT_EQ(waves, expected);
}

// forward_parts: the tone and the fixed part apart, each as the reference gives it, their
// sum forward's; f0 as f0 gives it. Without the method, forwardParts refuses.
TEST(GenerativeModel, ForwardPartsOfTheAnalyticModel) {
  const TempDir tmp;
  AnalyticOptions o;
  o.fixedLevel = 0.25;
  o.withParts = true;
  const std::string path = tmp.file("parts.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  ASSERT_TRUE(m.hasForwardParts());
  const float z[8] = {0.25f, -1.5f, 1.0f, 0.5f, -2, 2, -2, 2};
  std::vector<float> harmonic(2 * size_t(m.length())), noise(harmonic.size()),
      whole(harmonic.size());
  const std::vector<float> f = m.forwardParts(z, 2, harmonic.data(), noise.data());
  EXPECT_EQ(f, m.f0(z, 2));
  m.forwardBatch(z, 2, whole.data());
  for (int p = 0; p < 2; ++p) {
    const std::array<float, 4> point{z[4 * p], z[4 * p + 1], z[4 * p + 2], z[4 * p + 3]};
    const auto [tone, fixed] = analyticParts(point, o);
    const std::vector<float> wave = analyticWave(point, o);
    double toneDiff = 0, fixedDiff = 0, sumDiff = 0, fixedPeak = 0;
    for (int t = 0; t < m.length(); ++t) {
      const size_t i = size_t(p) * m.length() + t;
      toneDiff = std::max(toneDiff, double(std::fabs(harmonic[i] - tone[t])));
      fixedDiff = std::max(fixedDiff, double(std::fabs(noise[i] - fixed[t])));
      sumDiff = std::max(sumDiff, double(std::fabs(harmonic[i] + noise[i] - whole[i])));
      EXPECT_NEAR(whole[i], wave[t], 1e-6);
      fixedPeak = std::max(fixedPeak, double(std::fabs(fixed[t])));
    }
    EXPECT_LE(toneDiff, 1e-6);
    EXPECT_LE(fixedDiff, 1e-6);
    EXPECT_LE(sumDiff, 1e-6);
    EXPECT_GT(fixedPeak, 0.04);  // 0.25 of an amplitude of at least 0.2
  }

  AnalyticOptions without;
  const std::string plain = tmp.file("plain.pt");
  writeAnalyticModel(plain, without);
  const auto n = GenerativeModel::load(plain);
  EXPECT_FALSE(n.hasForwardParts());
  EXPECT_THROW(n.forwardParts(z, 1, harmonic.data(), noise.data()), std::logic_error);
}

TEST(GenerativeModel, WithoutF0) {
  const TempDir tmp;
  AnalyticOptions o;
  o.withF0 = false;
  const std::string path = tmp.file("nof0.pt");
  writeAnalyticModel(path, o);
  const auto m = GenerativeModel::load(path);
  EXPECT_FALSE(m.hasF0());
  const float z[4] = {};
  EXPECT_THROW(m.f0(z, 1), std::logic_error);
  std::vector<float> wave(m.length());
  EXPECT_THROW(m.forwardWithF0(z, 1, wave.data()), std::logic_error);
}

TEST(GenerativeModel, RefusesABadF0Output) {
  const TempDir tmp;
  const float z[8] = {0, 0, 0, 0, 1, 1, 1, 1};
  AnalyticOptions o;
  o.f0Fault = 1;
  const std::string shape = tmp.file("f0_shape.pt");
  writeAnalyticModel(shape, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(shape).f0(z, 2); }),
            shape + ": output of f0: found [2, 1], expected [2]");
  o.f0Fault = 2;
  const std::string negative = tmp.file("f0_negative.pt");
  writeAnalyticModel(negative, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(negative).f0(z, 2); }),
            negative + ": output of f0[0]: found -" + std::to_string(analyticF0({0, 0, 0, 0}, o)) +
                ", expected a finite frequency >= 0 Hz (0: unpitched)");
  o.f0Fault = 3;
  const std::string nan = tmp.file("f0_nan.pt");
  writeAnalyticModel(nan, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(nan).f0(z, 2); }),
            nan +
                ": output of f0[0]: found nan, expected a finite frequency >= 0 Hz "
                "(0: unpitched)");
}

TEST(GenerativeModel, RefusesAMissingAttribute) {
  const TempDir tmp;
  AnalyticOptions o;
  o.omitAttributes = {attr::kFullDim};
  const std::string path = tmp.file("missing.pt");
  writeAnalyticModel(path, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(path); }),
            path + ": attribute full_dim: found nothing, expected an int");
}

TEST(GenerativeModel, RefusesAMissingAudioSetting) {
  const TempDir tmp;
  AnalyticOptions o;
  o.omitAttributes = {"n_fft"};
  const std::string path = tmp.file("missing_nfft.pt");
  writeAnalyticModel(path, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(path); }),
            path + ": attribute n_fft: found nothing, expected an int");
}

TEST(GenerativeModel, RefusesAWrongReducedDim) {
  const TempDir tmp;
  AnalyticOptions o;
  o.recordedReducedDim = 3;
  const std::string path = tmp.file("reduced3.pt");
  writeAnalyticModel(path, o);
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(path); }),
            path + ": attribute reduced_dim: found 3, expected 4");
}

TEST(GenerativeModel, RefusesAMissingFileAndAFileThatIsNotTorchScript) {
  const TempDir tmp;
  const std::string missing = tmp.file("nowhere.pt");
  EXPECT_EQ(formatErrorOf([&] { GenerativeModel::load(missing); }), missing + ": no such file");
  const std::string junk = tmp.file("junk.pt");
  std::ofstream(junk) << "not a zip archive";
  EXPECT_EQ(formatErrorOf([&] {
              GenerativeModel::load(junk);
            }).rfind(junk + ": not a TorchScript module: ", 0),
            0u);
}

}  // namespace
}  // namespace wae::generative

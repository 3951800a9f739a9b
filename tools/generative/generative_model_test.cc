#include "tools/generative/generative_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

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

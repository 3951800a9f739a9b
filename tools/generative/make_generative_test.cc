#include "tools/generative/make_generative.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "common/errors.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/generative/generative_model.h"
#include "tools/generative/latent_pca.h"
#include "tools/hpn/hpn_model.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/test_data.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"

namespace wae::generative {
namespace {

namespace fs = std::filesystem;

std::string tempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : fs::temp_directory_path().string();
}

std::string writeVae(const std::string& name, int latent, bool pitchAxis = false,
                     bool loudnessAxis = false) {
  const AudioSettings s;
  vae::VaeConfig c;
  c.latentDim = latent;
  c.pitchAxis = pitchAxis;
  c.loudnessAxis = loudnessAxis;
  c.channels = 4;
  torch::manual_seed(5);
  torch::jit::Module m =
      vae::makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0));
  const std::string path = tempDir() + "/" + name;
  m.save(path);
  return path;
}

// A small untrained hpn.pt (seeded) in the test's folder.
std::string writeHpn(const std::string& name) {
  hpn::HpnConfig c;
  c.hidden = 8;
  c.dilations = {1};
  torch::manual_seed(4);
  const std::string path = tempDir() + "/" + name;
  hpn::makeHpnModule(c, AudioSettings{}, torch::zeros({80}), torch::ones({80})).save(path);
  return path;
}

struct Fixture {
  std::string dataset, model;
  std::string out;       // default options: the residual regression, bandwidth 0.2
  std::string outPlain;  // --residual-bandwidth 0: the other directions at their mean
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    x.dataset = tempDir() + "/tiny.h5";
    mcnn::AudioDatasetOptions d;
    d.train = 16;
    mcnn::writeAudioDataset(x.dataset, d);
    x.model = writeVae("model.pt", 6);
    x.out = tempDir() + "/generative.pt";
    MakeGenerativeOptions o;
    o.modelPath = x.model;
    o.datasetPath = x.dataset;
    o.inversion = "griffin-lim:2";
    o.outPath = x.out;
    o.threads = 1;
    o.peakLimit = 0;  // PeakLimitScalesLoudWavesOnly tests the limit
    std::ostringstream log;
    makeGenerative(o, log);
    x.outPlain = tempDir() + "/generative_plain.pt";
    o.outPath = x.outPlain;
    o.residualBandwidth = 0;
    makeGenerative(o, log);
    return x;
  }();
  return f;
}

TEST(LatentPca, FindsKnownAxesInOrder) {
  torch::manual_seed(2);
  const int64_t n = 4000;
  // Independent coordinates with std 4, 3, 2, 1, 0.5 along a rotated basis, plus an offset.
  const torch::Tensor scales = torch::tensor({0.5, 4.0, 1.0, 3.0, 2.0}, torch::kFloat64);
  const torch::Tensor basis = std::get<0>(torch::linalg_qr(torch::randn({5, 5}, torch::kFloat64)));
  const torch::Tensor codes =
      (torch::randn({n, 5}, torch::kFloat64) * scales).matmul(basis.t()) + 7.0;
  const LatentPca p = latentPca(codes, 4);
  // Orthonormal rows.
  EXPECT_TRUE(torch::allclose(p.components.matmul(p.components.t()), torch::eye(4, torch::kFloat64),
                              1e-9, 1e-9));
  // Ordered by variance, near 16, 9, 4, 1.
  const double expected[] = {16, 9, 4, 1};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(p.variances[i].item<double>(), expected[i], 0.1 * expected[i]) << i;
    if (i) {
      EXPECT_GT(p.variances[i - 1].item<double>(), p.variances[i].item<double>());
    }
  }
  // Axis 1 is the basis column scaled by 4 (column 1), up to the sign convention.
  const double cosine = p.components[0].dot(basis.select(1, 1)).item<double>();
  EXPECT_NEAR(std::abs(cosine), 1.0, 1e-3);
  EXPECT_GT(p.components[0].abs().max().item<double>(), 0.0);
  EXPECT_GT(p.components[0][p.components[0].abs().argmax()].item<double>(), 0.0);
  EXPECT_NEAR(p.totalVariance, 16 + 9 + 4 + 1 + 0.25, 1.5);
}

// A VAE with a pitch axis: the bank's axis 1 is latent axis 0 itself, centred on the train
// labels' mean pitch coordinate and spanning the train labels' pitches; the other 3 axes are
// orthonormal, have nothing on latent axis 0 and span +-2 std.
TEST(MakeGenerative, PitchAxisStaysTheFirstAxisAtTheLabelsCoordinates) {
  MakeGenerativeOptions o;
  o.modelPath = writeVae("pitch_model.pt", 5, /*pitchAxis=*/true);
  o.datasetPath = fixture().dataset;
  o.inversion = "griffin-lim:2";
  o.outPath = tempDir() + "/generative_pitch.pt";
  o.threads = 1;
  std::ostringstream log;
  const MakeGenerativeResult r = makeGenerative(o, log);
  EXPECT_NE(log.str().find("1: the pitch axis"), std::string::npos) << log.str();
  torch::jit::Module m = torch::jit::load(o.outPath);
  const torch::Tensor c = m.attr("pca_components").toTensor().to(torch::kFloat64);
  const torch::Tensor mean = m.attr("pca_mean").toTensor().to(torch::kFloat64);
  EXPECT_TRUE(torch::equal(c[0], torch::tensor({1.0, 0.0, 0.0, 0.0, 0.0}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(c.slice(0, 1).select(1, 0), torch::zeros({3}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(c.matmul(c.t()), torch::eye(4, torch::kFloat64), 1e-5, 1e-5));
  const dataset::MelDataset train(fixture().dataset, {dataset::Split::kTrain, false, {}});
  const torch::Tensor label =
      (train.targets().select(1, dataset::kLabelPitch).to(torch::kFloat64) - 60.0) / 12.0;
  EXPECT_NEAR(mean[0].item<double>(), label.mean().item<double>(), 1e-6);
  EXPECT_NEAR(r.axisMin[0], label.min().item<double>() - mean[0].item<double>(), 1e-6);
  EXPECT_NEAR(r.axisMax[0], label.max().item<double>() - mean[0].item<double>(), 1e-6);
  EXPECT_LT(r.axisMin[0], r.axisMax[0]);
  EXPECT_DOUBLE_EQ(r.axisMin[1], -2.0 * r.axisStd[1]);
  EXPECT_NE(log.str().find("(the pitch axis: the train notes' pitches, MIDI "), std::string::npos)
      << log.str();
}

// A loudness axis stays the bank's axis 2 beside the pitch axis: unit vectors of latent
// axes 0 and 1, the others orthonormal with nothing on either; axis 2 spans the train
// notes' measured loudness from the quietest to the loudest.
TEST(MakeGenerative, LoudnessAxisStaysTheSecondAxisOverTheNotesLevels) {
  MakeGenerativeOptions o;
  o.modelPath = writeVae("loudness_model.pt", 5, /*pitchAxis=*/true, /*loudnessAxis=*/true);
  o.datasetPath = fixture().dataset;
  o.inversion = "griffin-lim:2";
  o.outPath = tempDir() + "/generative_loudness.pt";
  o.threads = 1;
  o.loudnessFloorQuantile = 0;  // from the quietest note (below: from a quantile)
  std::ostringstream log;
  const MakeGenerativeResult r = makeGenerative(o, log);
  EXPECT_NE(log.str().find("1: the pitch axis, 2: the loudness axis"), std::string::npos)
      << log.str();
  torch::jit::Module m = torch::jit::load(o.outPath);
  const torch::Tensor c = m.attr("pca_components").toTensor().to(torch::kFloat64);
  const torch::Tensor mean = m.attr("pca_mean").toTensor().to(torch::kFloat64);
  EXPECT_TRUE(torch::equal(c[1], torch::tensor({0.0, 1.0, 0.0, 0.0, 0.0}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(c.slice(0, 2).slice(1, 0, 2), torch::zeros({2, 2}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(c.matmul(c.t()), torch::eye(4, torch::kFloat64), 1e-5, 1e-5));
  const dataset::MelDataset train(fixture().dataset, {dataset::Split::kTrain, false, {}});
  vae::VaeInfo info;
  torch::jit::Module vae = vae::loadVae(o.modelPath, &info);
  const torch::Tensor loudness =
      vae.run_method(vae::method::kLoudness, train.mels()).toTensor().to(torch::kFloat64);
  EXPECT_NEAR(mean[1].item<double>(), loudness.mean().item<double>(), 1e-5);
  EXPECT_NEAR(r.axisMin[1], loudness.min().item<double>() - mean[1].item<double>(), 1e-5);
  EXPECT_NEAR(r.axisMax[1], loudness.max().item<double>() - mean[1].item<double>(), 1e-5);
  EXPECT_LT(r.axisMin[1], r.axisMax[1]);
  EXPECT_DOUBLE_EQ(r.axisMin[2], -2.0 * r.axisStd[2]);
  EXPECT_NE(log.str().find("(the loudness axis: the train notes' levels, "), std::string::npos)
      << log.str();

  // From a quantile of the levels: the axis starts there, above the quietest note.
  o.loudnessFloorQuantile = 0.25;
  std::ostringstream quantileLog;
  const MakeGenerativeResult q = makeGenerative(o, quantileLog);
  EXPECT_NEAR(q.axisMin[1], loudness.quantile(0.25).item<double>() - mean[1].item<double>(), 1e-5);
  EXPECT_GT(q.axisMin[1], r.axisMin[1]);
  EXPECT_NEAR(q.axisMax[1], r.axisMax[1], 1e-9);
  EXPECT_NE(quantileLog.str().find("the train notes' levels from their 0.250 quantile, "),
            std::string::npos)
      << quantileLog.str();
  o.loudnessFloorQuantile = 0.5;
  std::ostringstream badLog;
  EXPECT_THROW(
      {
        try {
          makeGenerative(o, badLog);
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("--loudness-floor-quantile must be in [0, 0.5)"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      std::invalid_argument);
}

// With a loudness axis and --inverter-level axis the inverter is given each decoded mel
// scaled to the axis's level: its loudness is then the axis's exactly, unless the
// correction would pass the limit, where it stops; "mel" gives the decoded mel as it is.
TEST(MakeGenerative, LevelFromTheLoudnessAxis) {
  MakeGenerativeOptions o;
  o.modelPath = writeVae("level_model.pt", 4, /*pitchAxis=*/true, /*loudnessAxis=*/true);
  o.datasetPath = fixture().dataset;
  o.inversion = "griffin-lim:2";
  o.outPath = tempDir() + "/generative_level.pt";
  o.threads = 1;
  o.levelLimitDb = 120;
  o.levelCheckNotes = 8;
  o.inverterLevel = "axis";
  std::ostringstream log;
  const MakeGenerativeResult r = makeGenerative(o, log);
  EXPECT_TRUE(r.levelFromAxis);
  EXPECT_LE(r.decodedLoudnessGapDb[0], r.decodedLoudnessGapDb[1]);
  EXPECT_LE(r.decodedLoudnessGapDb[1], r.decodedLoudnessGapDb[2]);
  EXPECT_NE(log.str().find("given each mel at the loudness axis's level (decoded minus asked at "
                           "the train notes' points: median "),
            std::string::npos)
      << log.str();
  vae::VaeInfo info;
  torch::jit::Module vae = vae::loadVae(o.modelPath, &info);
  torch::NoGradGuard g;
  torch::manual_seed(3);
  const torch::Tensor z = torch::rand({5, 4}) * 2.0 - 1.0;
  const torch::Tensor decoded = vae.run_method("decode", z).toTensor();
  const torch::Tensor asked = z.select(1, 1).to(torch::kFloat64);
  auto loudness = [&](const torch::Tensor& mel) {
    return vae.run_method(vae::method::kLoudness, mel).toTensor().to(torch::kFloat64);
  };
  const torch::Tensor gapDb = (asked - loudness(decoded)) * info.loudnessScale;
  ASSERT_GT(gapDb.abs().min().item<double>(), 0.5);  // a correction to check
  torch::jit::Module m = torch::jit::load(o.outPath);
  EXPECT_EQ(m.attr("level_from_axis").toInt(), 1);
  EXPECT_DOUBLE_EQ(m.attr("level_limit_db").toDouble(), 120.0);
  const torch::Tensor mel = m.run_method("decode", z).toTensor();
  EXPECT_TRUE(torch::allclose(loudness(mel), asked, 0, 1e-4)) << loudness(mel) << asked;
  // The same spectrum, one gain per note.
  const torch::Tensor gain = torch::pow(10.0, gapDb / 20.0).to(torch::kFloat32);
  EXPECT_TRUE(torch::allclose(mel, decoded * gain.view({5, 1, 1}), 1e-4, 1e-9));
  // forward_full inverts that mel.
  const torch::Tensor wave = m.attr("inverter").toModule().run_method("forward", mel).toTensor();
  EXPECT_TRUE(
      torch::equal(m.run_method("forward_full", z).toTensor(),
                   m.run_method("onset", wave).toTensor() * m.attr("level_gain").toDouble()));

  // Held at the limit.
  o.levelLimitDb = 0.25;
  o.outPath = tempDir() + "/generative_level_limited.pt";
  makeGenerative(o, log);
  const torch::Tensor limited = torch::jit::load(o.outPath).run_method("decode", z).toTensor();
  EXPECT_TRUE(torch::allclose((loudness(limited) - loudness(decoded)) * info.loudnessScale,
                              gapDb.clamp(-0.25, 0.25), 0, 1e-4));

  // With a tolerance: a mel within it of the axis's level is left as decoded, one further off
  // is brought to its edge.
  o.levelLimitDb = 120;
  o.levelToleranceDb = gapDb.abs().median().item<double>();
  ASSERT_LT(gapDb.abs().min().item<double>(), o.levelToleranceDb);
  ASSERT_GT(gapDb.abs().max().item<double>(), o.levelToleranceDb);
  o.outPath = tempDir() + "/generative_level_tolerant.pt";
  makeGenerative(o, log);
  EXPECT_NE(log.str().find("given each mel within " + training::fixedString(o.levelToleranceDb, 1) +
                           " dB of the loudness axis's level"),
            std::string::npos)
      << log.str();
  torch::jit::Module tm = torch::jit::load(o.outPath);
  EXPECT_DOUBLE_EQ(tm.attr("level_tolerance_db").toDouble(), o.levelToleranceDb);
  const torch::Tensor tolerant = tm.run_method("decode", z).toTensor();
  const torch::Tensor beyond = gapDb.abs() > o.levelToleranceDb;
  const torch::Tensor expected =
      torch::where(beyond, gapDb - gapDb.sign() * o.levelToleranceDb, torch::zeros_like(gapDb));
  EXPECT_TRUE(torch::allclose((loudness(tolerant) - loudness(decoded)) * info.loudnessScale,
                              expected, 0, 1e-4))
      << expected;
  for (int64_t i = 0; i < 5; ++i)
    if (!beyond[i].item<bool>()) EXPECT_TRUE(torch::equal(tolerant[i], decoded[i])) << i;
  o.levelToleranceDb = 0;

  o.inverterLevel = "mel";
  o.outPath = tempDir() + "/generative_level_mel.pt";
  EXPECT_FALSE(makeGenerative(o, log).levelFromAxis);
  torch::jit::Module mm = torch::jit::load(o.outPath);
  EXPECT_FALSE(mm.hasattr("level_from_axis"));
  EXPECT_TRUE(torch::equal(mm.run_method("decode", z).toTensor(), decoded));

  o.inverterLevel = "axis";
  o.modelPath = fixture().model;
  o.outPath = tempDir() + "/refused_level.pt";
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--inverter-level axis: needs a model.pt with a loudness "
                                         "axis (train_vae --loudness-axis); " +
                                         fixture().model + " has none"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(o.outPath));
  o.inverterLevel = "loud";
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--inverter-level: found 'loud', expected axis or mel");
  }
  o.inverterLevel = "axis";
  o.levelLimitDb = 0;
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--level-limit-db must be in (0, 120] dB, got 0.000000");
  }
  o.levelLimitDb = 24;
  o.levelToleranceDb = -1;
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--level-tolerance-db must be in [0, 120] dB, got -1.000000");
  }
}

TEST(MakeGenerative, ShapesAndAttributes) {
  const GenerativeModel g = GenerativeModel::load(fixture().out);
  EXPECT_EQ(g.reducedDim(), 4);
  EXPECT_EQ(g.fullDim(), 6);
  EXPECT_EQ(g.length(), 32768);
  EXPECT_EQ(g.sampleRate(), 22050);
  EXPECT_TRUE(g.hasProject());
  EXPECT_TRUE(g.hasDecode());  // bake_bank's --level-blend auto: db
  for (const auto& [lo, hi] : g.axisRanges()) {
    EXPECT_LT(lo, hi);
    EXPECT_DOUBLE_EQ(lo, -hi);
  }
  const std::vector<float> wave = g.forward(std::array<float, 4>{0.1f, -0.2f, 0.f, 0.3f}.data());
  ASSERT_EQ(wave.size(), 32768u);
  for (float v : wave) ASSERT_TRUE(std::isfinite(v));
}

// The axes are the PCA of the train split's encoder means: orthonormal, ordered by
// variance, and the projections (project()) of the train split have those variances and
// ranges of +-2 std.
TEST(MakeGenerative, AxesOrthonormalOrderedAndRangesFromProjections) {
  torch::jit::Module m = torch::jit::load(fixture().out);
  const torch::Tensor c = m.attr("pca_components").toTensor().to(torch::kFloat64);
  ASSERT_EQ(c.sizes(), (std::vector<int64_t>{4, 6}));
  EXPECT_TRUE(torch::allclose(c.matmul(c.t()), torch::eye(4, torch::kFloat64), 1e-5, 1e-5));
  const GenerativeModel g = GenerativeModel::load(fixture().out);
  const dataset::MelDataset train(fixture().dataset, {dataset::Split::kTrain, false, {}});
  const int n = int(train.mels().size(0));
  std::vector<float> proj(size_t(n) * 4);
  g.project(train.mels().contiguous().data_ptr<float>(), n, proj.data());
  const torch::Tensor p =
      torch::from_blob(proj.data(), {n, 4}, torch::kFloat32).to(torch::kFloat64);
  const torch::Tensor var = p.var(0);  // unbiased, as the PCA's covariance
  const auto ranges = g.axisRanges();
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(p.select(1, i).mean().item<double>(), 0.0, 1e-4 + 1e-3 * ranges[i].second);
    EXPECT_NEAR(2.0 * std::sqrt(var[i].item<double>()), ranges[i].second, 1e-3 * ranges[i].second)
        << i;
    if (i) {
      EXPECT_GE(var[i - 1].item<double>(), var[i].item<double>());
    }
  }
}

TEST(MakeGenerative, WithoutResidualForwardEqualsForwardFullOfMeanPlusZComponents) {
  const GenerativeModel g = GenerativeModel::load(fixture().outPlain);
  torch::jit::Module m = torch::jit::load(fixture().outPlain);
  EXPECT_EQ(m.attr("residual_bandwidth").toDouble(), 0.0);
  EXPECT_EQ(m.attr("residual_points").toTensor().size(0), 0);
  const torch::Tensor mean = m.attr("pca_mean").toTensor();
  const torch::Tensor comps = m.attr("pca_components").toTensor();
  torch::manual_seed(9);
  const torch::Tensor z = torch::randn({3, 4}).contiguous();
  const torch::Tensor full = (mean.unsqueeze(0) + z.matmul(comps)).contiguous();
  std::vector<float> a(3 * 32768), b(3 * 32768);
  g.forwardBatch(z.data_ptr<float>(), 3, a.data());
  g.forwardFull(full.data_ptr<float>(), 3, b.data());
  double maxDiff = 0;
  for (size_t i = 0; i < a.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(a[i] - b[i])));
  EXPECT_LT(maxDiff, 1e-5);
}

// forward(z) = forward_full(mean + z C + sum_i w_i values_i), w = softmax of
// -|z / std - points_i|^2 / (2 h^2): the formula of latent_pca.h, computed here in float64
// from the stored buffers.
TEST(MakeGenerative, ResidualForwardEqualsTheKernelRegressionFormula) {
  torch::jit::Module m = torch::jit::load(fixture().out);
  const double h = m.attr("residual_bandwidth").toDouble();
  EXPECT_DOUBLE_EQ(h, 0.2);
  const auto buffer = [&](const char* name) { return m.attr(name).toTensor().to(torch::kFloat64); };
  const torch::Tensor mean = buffer("pca_mean"), comps = buffer("pca_components"),
                      stds = buffer("axis_std"), points = buffer("residual_points"),
                      values = buffer("residual_values");
  ASSERT_EQ(points.sizes(), (std::vector<int64_t>{16, 4}));  // the train split
  ASSERT_EQ(values.sizes(), (std::vector<int64_t>{16, 6}));
  torch::manual_seed(9);
  const torch::Tensor z = torch::randn({3, 4}, torch::kFloat64);
  const torch::Tensor d2 = (z.div(stds).unsqueeze(1) - points.unsqueeze(0)).pow(2).sum(2);
  const torch::Tensor w = torch::softmax(-d2 / (2 * h * h), 1);
  const torch::Tensor expected = mean.unsqueeze(0) + z.matmul(comps) + w.matmul(values);
  const torch::Tensor lifted32 = m.run_method("lift", z.to(torch::kFloat32)).toTensor();
  const torch::Tensor lifted = lifted32.to(torch::kFloat64);
  EXPECT_LT((lifted - expected).abs().max().item<double>(), 1e-5);
  // The residuals are orthogonal to the axes: the 4 coordinates stay those asked for.
  EXPECT_LT(values.matmul(comps.t()).abs().max().item<double>(), 1e-6);

  const GenerativeModel g = GenerativeModel::load(fixture().out);
  const torch::Tensor zf = z.to(torch::kFloat32).contiguous();
  // forward is forward_full of the lifted point (the same float32 point: the untrained
  // decoder and Griffin-Lim amplify rounding differences).
  const torch::Tensor full = lifted32.contiguous();
  std::vector<float> a(3 * 32768), b(3 * 32768);
  g.forwardBatch(zf.data_ptr<float>(), 3, a.data());
  g.forwardFull(full.data_ptr<float>(), 3, b.data());
  double maxDiff = 0;
  for (size_t i = 0; i < a.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(a[i] - b[i])));
  EXPECT_LT(maxDiff, 1e-6);
}

// With a narrow kernel, a train example's own position lifts back to its code (the encoder
// mean), so the bank plays that example where the dataset's dot is drawn; far from every
// example the weights go to the nearest one instead of underflowing to NaN.
TEST(MakeGenerative, ResidualReturnsTrainCodesAndStaysFiniteFarAway) {
  const dataset::MelDataset train(fixture().dataset, {dataset::Split::kTrain, false, {}});
  torch::jit::Module vae = torch::jit::load(fixture().model);
  const torch::Tensor codes = vae.run_method("encode", train.mels())
                                  .toTuple()
                                  ->elements()[0]
                                  .toTensor()
                                  .to(torch::kFloat64);
  const LatentPca pca = latentPca(codes, 4);
  const ResidualRegression r = residualRegression(codes, pca, 1e-3);
  const torch::Tensor centred = codes - pca.mean;
  const torch::Tensor z = centred.matmul(pca.components.t());
  const torch::Tensor d2 = (z.div(r.axisStd).unsqueeze(1) - r.points.unsqueeze(0)).pow(2).sum(2);
  const torch::Tensor w = torch::softmax(-d2 / (2 * 1e-6), 1);
  const torch::Tensor lifted = pca.mean + z.matmul(pca.components) + w.matmul(r.values);
  EXPECT_LT((lifted - codes).abs().max().item<double>(), 1e-9);

  GenerativeParts parts;
  parts.vae = vae;
  parts.inverter = torch::jit::load(fixture().out).attr("inverter").toModule();
  parts.pca = pca;
  parts.residual = r;
  parts.axisMin = {-1, -1, -1, -1};
  parts.axisMax = {1, 1, 1, 1};
  parts.fullDim = 6;
  torch::jit::Module m = buildGenerativeModule(parts);
  const torch::Tensor far = torch::tensor({{1e3f, -1e3f, 0.f, 0.f}});
  const torch::Tensor lift = m.run_method("lift", far).toTensor();
  EXPECT_TRUE(torch::isfinite(lift).all().item<bool>());

  EXPECT_THROW(residualRegression(codes, pca, -1.0), std::invalid_argument);
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = fixture().dataset;
  o.residualBandwidth = -0.5;
  std::ostringstream log;
  try {
    makeGenerative(o, log);
    ADD_FAILURE() << "a negative bandwidth was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--residual-bandwidth must be >= 0, got -0.500000");
  }
}

// forward() scales a waveform whose peak exceeds peak_limit down to exactly that peak and
// leaves the others as forward_full(lift(z)) gives them.
TEST(MakeGenerative, PeakLimitScalesLoudWavesOnly) {
  torch::jit::Module base = torch::jit::load(fixture().out);
  torch::manual_seed(3);
  const torch::Tensor z = torch::randn({3, 4});
  const torch::Tensor raw =
      base.run_method("forward_full", base.run_method("lift", z).toTensor()).toTensor();
  const torch::Tensor peaks = raw.abs().amax(1);
  // A limit between the smallest and the largest peak: some waves scaled, some not.
  const double limit = (peaks.min().item<double>() + peaks.max().item<double>()) / 2;
  for (const double peakLimit : {limit, 0.0}) {
    torch::jit::Module m = torch::jit::load(fixture().out);
    m.setattr("peak_limit", peakLimit);
    const torch::Tensor out = m.forward({z}).toTensor();
    for (int i = 0; i < 3; ++i) {
      const double peak = peaks[i].item<double>();
      if (peakLimit > 0 && peak > peakLimit) {
        EXPECT_NEAR(out[i].abs().max().item<double>(), peakLimit, 1e-6 * peakLimit) << i;
        EXPECT_TRUE(torch::allclose(out[i], raw[i] * (peakLimit / peak), 1e-5, 1e-9)) << i;
      } else {
        EXPECT_TRUE(torch::equal(out[i], raw[i])) << i << " limit " << peakLimit;
      }
    }
  }
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = fixture().dataset;
  o.peakLimit = -1;
  std::ostringstream log;
  EXPECT_THROW(makeGenerative(o, log), std::invalid_argument);
}

// The make-up gain: with it, the median over the train notes of (note level - level played
// at the note's point) is 0 dB; without it (--level-notes 0) level_gain is 1; the gain
// multiplies every waveform.
TEST(MakeGenerative, LevelGainMatchesTheTrainNotesMedianLevel) {
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = fixture().dataset;
  o.inversion = "griffin-lim:2";
  o.threads = 1;
  o.peakLimit = 0;
  o.levelNotes = 0;
  o.outPath = tempDir() + "/generative_no_gain.pt";
  std::ostringstream log;
  const MakeGenerativeResult off = makeGenerative(o, log);
  EXPECT_EQ(off.levelGainDb, 0.0);
  EXPECT_NE(log.str().find("level gain off"), std::string::npos) << log.str();
  o.levelNotes = 8;
  o.outPath = tempDir() + "/generative_gain.pt";
  const MakeGenerativeResult on = makeGenerative(o, log);
  EXPECT_EQ(on.levelNotesUsed, 8);
  EXPECT_NE(log.str().find("level gain " + training::fixedString(on.levelGainDb, 2) +
                           " dB (the median over 8 train notes)"),
            std::string::npos)
      << log.str();
  torch::jit::Module a = torch::jit::load(tempDir() + "/generative_no_gain.pt");
  torch::jit::Module b = torch::jit::load(o.outPath);
  EXPECT_EQ(a.attr("level_gain").toDouble(), 1.0);
  const double gain = b.attr("level_gain").toDouble();
  EXPECT_NEAR(20.0 * std::log10(gain), on.levelGainDb, 1e-9);

  // The 8 notes spread over the 16 train notes, at their projections.
  const dataset::MelDataset train(o.datasetPath, {dataset::Split::kTrain, true, AudioSettings{}});
  ASSERT_EQ(train.mels().size(0), 16);
  const torch::Tensor rows = torch::arange(0, 16, 2, torch::kLong);
  const torch::Tensor z = a.run_method("project", train.mels().index_select(0, rows)).toTensor();
  const torch::Tensor without = a.forward({z}).toTensor(), with = b.forward({z}).toTensor();
  EXPECT_TRUE(torch::allclose(with, without * gain, 1e-5, 1e-9));
  auto db = [](const torch::Tensor& w) {
    return 10.0 * torch::log10(w.to(torch::kFloat64).pow(2).mean(1));
  };
  const torch::Tensor notes = db(train.audio().index_select(0, rows));
  EXPECT_NEAR((notes - db(without)).median().item<double>(), on.levelGainDb, 1e-3);
  EXPECT_NEAR((notes - db(with)).median().item<double>(), 0.0, 1e-3);
  EXPECT_GT(std::abs(on.levelGainDb), 1.0);  // the untrained model is not at the notes' level

  o.levelNotes = -1;
  try {
    makeGenerative(o, log);
    FAIL() << "--level-notes -1 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--level-notes must be >= 0, got -1");
  }
}

TEST(MakeGenerative, WithAnMcnnInverter) {
  const AudioSettings s;
  mcnn::McnnConfig c;
  c.heads = 2;
  c.widths = {4, 4, 2, 2, 2, 2, 2, 1};
  torch::manual_seed(4);
  const std::string mcnnPath = tempDir() + "/mcnn.pt";
  mcnn::makeMcnnModule(c, s, torch::zeros({80}), torch::ones({80})).save(mcnnPath);
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = fixture().dataset;
  o.inversion = mcnnPath;
  o.outPath = tempDir() + "/generative_mcnn.pt";
  o.threads = 1;
  std::ostringstream log;
  const MakeGenerativeResult r = makeGenerative(o, log);
  EXPECT_NE(r.inverterDescription.find("mcnn.pt (epoch 0, 2 heads)"), std::string::npos);
  const GenerativeModel g = GenerativeModel::load(o.outPath);
  EXPECT_EQ(g.forward(std::array<float, 4>{}.data()).size(), 32768u);
}

// forward_f0 (one run of the decoder and the inverter's controls) gives exactly forward and
// f0, and GenerativeModel::forwardWithF0 (what bake_bank calls) gives its values.
void expectForwardF0IsForwardAndF0(torch::jit::Module& m, const std::string& path,
                                   const torch::Tensor& z) {
  const auto both = m.run_method("forward_f0", z).toTuple();
  const torch::Tensor wave = m.forward({z}).toTensor(), f0 = m.run_method("f0", z).toTensor();
  EXPECT_TRUE(torch::equal(both->elements()[0].toTensor(), wave));
  EXPECT_TRUE(torch::equal(both->elements()[1].toTensor(), f0));
  const GenerativeModel g = GenerativeModel::load(path);
  ASSERT_TRUE(g.hasForwardF0());
  const torch::Tensor zf = z.to(torch::kFloat32).contiguous();
  std::vector<float> out(size_t(z.size(0)) * g.length());
  const std::vector<float> hz = g.forwardWithF0(zf.data_ptr<float>(), int(z.size(0)), out.data());
  EXPECT_TRUE(torch::equal(torch::from_blob(out.data(), {z.size(0), g.length()}), wave));
  EXPECT_TRUE(torch::equal(torch::from_blob(const_cast<float*>(hz.data()), {z.size(0)}), f0));
  // forward_parts: the same note in its harmonic and noise parts, which sum to it; both sound.
  ASSERT_TRUE(g.hasForwardParts());
  std::vector<float> harmonic(out.size()), noise(out.size());
  const std::vector<float> partsHz =
      g.forwardParts(zf.data_ptr<float>(), int(z.size(0)), harmonic.data(), noise.data());
  EXPECT_EQ(partsHz, hz);
  const torch::Tensor h = torch::from_blob(harmonic.data(), {z.size(0), g.length()});
  const torch::Tensor n = torch::from_blob(noise.data(), {z.size(0), g.length()});
  EXPECT_TRUE(torch::allclose(h + n, wave, 1e-5, 1e-6));
  EXPECT_GT(h.abs().max().item<float>(), 0.0f);
  EXPECT_GT(n.abs().max().item<float>(), 0.0f);
}

// With an hpn.pt, generative.pt gives each point's f0: the inverter's pitch of the decoded
// mel, the same through the 4 axes (f0) and the full latent (f0_full of the lifted point).
TEST(MakeGenerative, WithAnHpnInverterGivesF0) {
  const std::string hpnPath = writeHpn("hpn.pt");
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = fixture().dataset;
  o.inversion = hpnPath;
  o.outPath = tempDir() + "/generative_hpn.pt";
  o.threads = 1;
  std::ostringstream log;
  makeGenerative(o, log);
  torch::jit::Module m = torch::jit::load(o.outPath);
  torch::NoGradGuard g;
  const torch::Tensor z = torch::rand({3, 4}) - 0.5;
  const torch::Tensor f0 = m.run_method("f0", z).toTensor();
  ASSERT_EQ(f0.sizes(), (std::vector<int64_t>{3}));
  const torch::Tensor lifted = m.run_method("lift", z).toTensor();
  const torch::Tensor decoded = m.attr("vae").toModule().run_method("decode", lifted).toTensor();
  const torch::Tensor expected =
      m.attr("inverter").toModule().run_method("pitch_hz", decoded).toTensor();
  EXPECT_TRUE(torch::equal(f0, expected));
  EXPECT_TRUE(torch::equal(m.run_method("f0_full", lifted).toTensor(), expected));
  EXPECT_TRUE((f0 >= 0).all().item<bool>());
  expectForwardF0IsForwardAndF0(m, o.outPath, z);
  // Griffin-Lim knows no pitch: no f0 methods.
  EXPECT_FALSE(torch::jit::load(fixture().out).find_method("f0").has_value());
}

// A VAE with a pitch axis and an hpn.pt: every note is synthesised at the pitch axis's f0
// (MIDI pitch_center + pitch_scale * z0 of the lifted point), f0 gives it as the inverter
// tunes and voices it; "mel" keeps the inverter's own pitch; "axis" without a pitch axis is
// refused before anything is written.
TEST(MakeGenerative, PitchAxisDrivesTheHpnInverter) {
  const std::string hpnPath = writeHpn("hpn_axis.pt");
  MakeGenerativeOptions o;
  o.modelPath = writeVae("pitch_model_hpn.pt", 5, /*pitchAxis=*/true);
  o.datasetPath = fixture().dataset;
  o.inversion = hpnPath;
  o.outPath = tempDir() + "/generative_axis.pt";
  o.threads = 1;
  std::ostringstream log;
  EXPECT_TRUE(makeGenerative(o, log).pitchFromAxis);
  EXPECT_NE(log.str().find("synthesising at the pitch axis's f0"), std::string::npos) << log.str();
  torch::jit::Module m = torch::jit::load(o.outPath);
  torch::NoGradGuard g;
  const torch::Tensor z = torch::rand({3, 4}) - 0.5;
  const torch::Tensor lifted = m.run_method("lift", z).toTensor();
  torch::jit::Module vae = m.attr("vae").toModule(), inv = m.attr("inverter").toModule();
  const torch::Tensor mel = vae.run_method("decode", lifted).toTensor();
  const torch::Tensor midi = vae.attr("pitch_center").toDouble() +
                             vae.attr("pitch_scale").toDouble() * lifted.select(1, 0);
  const torch::Tensor hz = 440.0 * torch::pow(2.0, (midi - 69.0) / 12.0);
  EXPECT_TRUE(torch::allclose(m.run_method("axis_hz", lifted).toTensor(), hz, 1e-5, 1e-3));
  const torch::Tensor axisHz = m.run_method("axis_hz", lifted).toTensor();
  // At exactly the axis's f0 (no fine tuning), 0 where unpitched.
  const torch::Tensor f0 = m.run_method("f0", z).toTensor();
  EXPECT_TRUE(torch::equal(f0, inv.run_method("voiced_at", mel, axisHz, false).toTensor()));
  EXPECT_TRUE(torch::equal(f0, torch::where(f0 > 0, axisHz, torch::zeros_like(f0))));
  const torch::Tensor padded = inv.run_method("pad", mel).toTensor();
  const torch::Tensor wave =
      inv.run_method(
             "trim",
             inv.run_method("synthesize_f0", padded, axisHz, false).toTuple()->elements()[0],
             mel.size(2))
          .toTensor();
  // Faded in, times the make-up gain.
  EXPECT_TRUE(
      torch::equal(m.run_method("forward_full", lifted).toTensor(),
                   m.run_method("onset", wave).toTensor() * m.attr("level_gain").toDouble()));
  expectForwardF0IsForwardAndF0(m, o.outPath, z);

  o.inverterPitch = "mel";
  o.outPath = tempDir() + "/generative_mel.pt";
  EXPECT_FALSE(makeGenerative(o, log).pitchFromAxis);
  torch::jit::Module mm = torch::jit::load(o.outPath);
  EXPECT_FALSE(mm.hasattr("pitch_from_axis"));
  EXPECT_TRUE(
      torch::equal(mm.run_method("f0", z).toTensor(), inv.run_method("pitch_hz", mel).toTensor()));

  o.inverterPitch = "axis";
  o.modelPath = fixture().model;
  o.outPath = tempDir() + "/refused_axis.pt";
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--inverter-pitch axis: needs a model.pt with a pitch "
                                         "axis (train_vae --pitch-axis; " +
                                         fixture().model + " has none)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(o.outPath));
}

// Every note starts from silence: forward_full is the inverter's wave with its first
// round(2 ms * 22050) = 44 samples faded in over a half cosine, 0 at sample 0, the rest as
// it was; forward (through the peak limit) starts at 0 too.
TEST(MakeGenerative, NotesAreFadedIn) {
  torch::jit::Module m = torch::jit::load(fixture().out);
  EXPECT_EQ(m.attr("onset_fade").toInt(), 44);
  torch::NoGradGuard g;
  const torch::Tensor z = torch::rand({2, 4}) - 0.5;
  const torch::Tensor lifted = m.run_method("lift", z).toTensor();
  const torch::Tensor raw =
      m.attr("inverter")
          .toModule()
          .run_method("forward", m.attr("vae").toModule().run_method("decode", lifted))
          .toTensor();
  const torch::Tensor full = m.run_method("forward_full", lifted).toTensor();
  ASSERT_EQ(full.sizes(), raw.sizes());
  EXPECT_TRUE(
      torch::equal(full.narrow(1, 44, full.size(1) - 44), raw.narrow(1, 44, raw.size(1) - 44)));
  for (int n = 0; n < 44; ++n) {
    const double w = 0.5 - 0.5 * std::cos(M_PI * n / 44.0);
    for (int b = 0; b < 2; ++b)
      EXPECT_NEAR(full[b][n].item<double>(), w * raw[b][n].item<double>(), 1e-7) << n;
  }
  EXPECT_EQ(full.select(1, 0).abs().max().item<float>(), 0.0f);
  EXPECT_EQ(m.run_method("forward", z).toTensor().select(1, 0).abs().max().item<float>(), 0.0f);
  MakeGenerativeOptions o;
  o.onsetFadeMs = -1;
  std::ostringstream log;
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--onset-fade-ms must be 0..1000, got -1.000000");
  }
}

TEST(MakeGenerative, RefusesMismatchedSampleRateBandsAndSmallLatent) {
  // A dataset made at 16 kHz.
  mcnn::AudioDatasetOptions d;
  d.settings.sampleRate = 16000;
  d.settings.fMaxHz = 8000;
  const std::string other = tempDir() + "/16k.h5";
  mcnn::writeAudioDataset(other, d);
  MakeGenerativeOptions o;
  o.modelPath = fixture().model;
  o.datasetPath = other;
  o.inversion = "griffin-lim:1";
  o.outPath = tempDir() + "/refused.pt";
  std::ostringstream log;
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("16000"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("22050"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(o.outPath));

  // A 64-band mel into project().
  torch::jit::Module m = torch::jit::load(fixture().out);
  try {
    m.run_method("project", torch::rand({1, 64, 128}));
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "generative.pt: project expects an amplitude mel [batch, 80 bands, 128 frames]"),
              std::string::npos)
        << e.what();
  }

  // A latent of 3 cannot give 4 axes.
  o.modelPath = writeVae("latent3.pt", 3);
  o.datasetPath = fixture().dataset;
  try {
    makeGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("latent_dim 3 is smaller than the 4 axes"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace wae::generative

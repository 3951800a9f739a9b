// evaluate_vae's library on a tiny dataset and a small seeded model: per-family values
// equal a direct computation, the CSV and PNGs are written, mismatches are refused.
#include "tools/vae/evaluator.h"

#include <gtest/gtest.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/vae/losses.h"
#include "tools/vae/test_data.h"
#include "tools/vae/vae_model.h"

namespace wae::vae {
namespace {

namespace fs = std::filesystem;

class EvaluatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / "evaluator";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    TinyDatasetOptions d;
    d.train = 12;
    d.valid = 3;
    d.test = 9;            // examples 15..23: families 0, 1, 2 three times each
    d.testPitch = 4;       // 24..27: families 0, 1, 2, 0
    d.testInstrument = 2;  // 28, 29: families 1, 2
    writeTinyDataset(path("tiny.h5"), d);
    torch::manual_seed(1);
    VaeConfig c;
    c.channels = 4;
    c.latentDim = 3;
    torch::jit::Module m =
        makeVaeModule(c, AudioSettings{}, torch::full({80}, -7.0), torch::full({80}, 2.0));
    m.save(path("model.pt"));
  }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }
  static inline fs::path dir_;
};

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(EvaluatorTest, PerFamilyMetricsMatchADirectComputation) {
  EvaluateOptions o;
  o.modelPath = path("model.pt");
  o.datasetPath = path("tiny.h5");
  o.outDir = path("eval");
  o.figureExamples = 4;
  o.threads = 1;
  o.split = "test";
  const EvaluateResult r = evaluateVae(o, std::cerr);
  ASSERT_EQ(r.families.size(), 3u);
  EXPECT_EQ(r.families[0].name, "bass");
  EXPECT_EQ(r.families[2].name, "flute");
  EXPECT_EQ(r.overall.examples, 9);

  // Direct: forward on the 9 test mels, which the tiny dataset writes in row order.
  torch::jit::Module m = loadVae(o.modelPath);
  const dataset::MelDataset test(o.datasetPath, {dataset::Split::kTest, false, AudioSettings{}});
  torch::NoGradGuard noGrad;
  const torch::Tensor est = m.forward({test.mels()}).toTensor();
  const torch::Tensor l1 = melL1(test.mels(), est), lsd = melLsdDb(test.mels(), est);
  for (int family = 0; family < 3; ++family) {
    double sumL1 = 0, sumLsd = 0;
    int count = 0;
    for (int64_t i = 0; i < 9; ++i)
      if (test.annotation(i).family == family) {
        sumL1 += l1[i].item<double>();
        sumLsd += lsd[i].item<double>();
        ++count;
      }
    EXPECT_EQ(r.families[family].examples, 3);
    EXPECT_NEAR(r.families[family].melL1, sumL1 / count, 1e-12);
    EXPECT_NEAR(r.families[family].melLsdDb, sumLsd / count, 1e-9);
  }
  EXPECT_NEAR(r.overall.melLsdDb, lsd.mean().item<double>(), 1e-9);

  // The CSV and the table.
  const std::string csv = readFile(r.csvPath);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "split,family_id,family,examples,mel_l1,mel_lsd_db");
  EXPECT_NE(csv.find("\ntest,1,brass,3,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntest,-1,all,9,"), std::string::npos) << csv;
  const std::string table = formatTable(r);
  // Split name, column names, 3 families, all, 2 lines of latent statistics.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 8) << table;
  ASSERT_EQ(r.latentMeanStd.size(), 3u);
  ASSERT_EQ(r.latentPosteriorStd.size(), 3u);
  EXPECT_EQ(table.substr(0, 22), std::string(14, ' ') + " | test\n") << table;
  EXPECT_NE(table.find("\nfamily         | examples"), std::string::npos) << table;

  // The PNGs, when gnuplot is there (else a warning says why not).
  if (r.warnings.empty()) {
    for (const std::string& png : {r.latentPngPath, r.reconstructionPngPath}) {
      ASSERT_FALSE(png.empty());
      EXPECT_EQ(readFile(png).substr(1, 3), "PNG") << png;
      EXPECT_FALSE(fs::exists(png + ".partial"));
    }
  } else {
    EXPECT_NE(r.warnings[0].find("gnuplot"), std::string::npos) << r.warnings[0];
  }
  EXPECT_EQ(r.explainedVariance.size(), 2u);
  EXPECT_GE(r.explainedVariance[0], r.explainedVariance[1]);
}

// A model with a pitch axis decodes at the label's pitch coordinate by default, at the
// encoder's with --pitch encoder (= forward), and reports the encoder's pitch error.
TEST_F(EvaluatorTest, PitchAxisDecodesAtTheLabelsOrTheEncodersPitch) {
  torch::manual_seed(2);
  VaeConfig c;
  c.channels = 4;
  c.latentDim = 3;
  c.pitchAxis = true;
  makeVaeModule(c, AudioSettings{}, torch::full({80}, -7.0), torch::full({80}, 2.0))
      .save(path("pitch_model.pt"));
  torch::jit::Module m = loadVae(path("pitch_model.pt"));
  const dataset::MelDataset test(path("tiny.h5"), {dataset::Split::kTest, false, AudioSettings{}});
  torch::NoGradGuard noGrad;
  const torch::Tensor mu = m.run_method("encode", test.mels()).toTuple()->elements()[0].toTensor();
  const torch::Tensor label =
      (test.targets().select(1, dataset::kLabelPitch).to(torch::kFloat32) - 60.0) / 12.0;
  const torch::Tensor atLabel =
      m.run_method("decode", torch::cat({label.unsqueeze(1), mu.slice(1, 1)}, 1)).toTensor();
  const torch::Tensor atEncoder = m.forward({test.mels()}).toTensor();

  EvaluateOptions o;
  o.modelPath = path("pitch_model.pt");
  o.datasetPath = path("tiny.h5");
  o.outDir = path("pitch_eval");
  o.threads = 1;
  o.split = "test";
  o.plots = false;
  const EvaluateResult byLabel = evaluateVae(o, std::cerr);
  EXPECT_NEAR(byLabel.overall.melLsdDb, melLsdDb(test.mels(), atLabel).mean().item<double>(), 1e-9);
  EXPECT_NEAR(byLabel.splits[0].encoderPitchMae,
              ((mu.select(1, 0) - label) * 12.0).abs().mean().item<double>(), 1e-4);
  o.pitch = "encoder";
  const EvaluateResult byEncoder = evaluateVae(o, std::cerr);
  EXPECT_NEAR(byEncoder.overall.melLsdDb, melLsdDb(test.mels(), atEncoder).mean().item<double>(),
              1e-9);
  EXPECT_NE(byLabel.overall.melLsdDb, byEncoder.overall.melLsdDb);
  o.pitch = "both";
  EXPECT_THROW(evaluateVae(o, std::cerr), std::invalid_argument);
}

// The default: test, test_pitch and test_instrument, each as a run on it alone would report
// it, side by side in the CSV and the table; a split the file lacks is skipped with a warning.
TEST_F(EvaluatorTest, ThreeTestSetsSideBySideEachAsAlone) {
  EvaluateOptions o;
  o.modelPath = path("model.pt");
  o.datasetPath = path("tiny.h5");
  o.outDir = path("eval3");
  o.threads = 1;
  o.plots = false;
  EXPECT_EQ(o.split, "test,test_pitch,test_instrument");
  const EvaluateResult r = evaluateVae(o, std::cerr);
  ASSERT_EQ(r.splits.size(), 3u);
  EXPECT_EQ(r.splits[0].split, "test");
  EXPECT_EQ(r.splits[1].split, "test_pitch");
  EXPECT_EQ(r.splits[2].split, "test_instrument");
  EXPECT_EQ(r.splits[1].overall.examples, 4);
  EXPECT_EQ(r.splits[2].overall.examples, 2);
  ASSERT_EQ(r.splits[2].families.size(), 2u);  // brass, flute
  EXPECT_EQ(r.splits[2].families[0].name, "brass");
  EXPECT_TRUE(r.warnings.empty());
  for (const SplitMetrics& m : r.splits) {
    EvaluateOptions one = o;
    one.split = m.split;
    one.outDir = path("eval_" + m.split);
    const EvaluateResult alone = evaluateVae(one, std::cerr);
    ASSERT_EQ(alone.splits.size(), 1u);
    ASSERT_EQ(alone.families.size(), m.families.size());
    for (size_t i = 0; i < m.families.size(); ++i) {
      EXPECT_EQ(m.families[i].split, m.split);
      EXPECT_EQ(m.families[i].examples, alone.families[i].examples);
      EXPECT_DOUBLE_EQ(m.families[i].melLsdDb, alone.families[i].melLsdDb) << m.split << i;
    }
    EXPECT_DOUBLE_EQ(m.overall.melLsdDb, alone.overall.melLsdDb) << m.split;
  }
  const std::string csv = readFile(r.csvPath);
  EXPECT_NE(csv.find("\ntest_pitch,0,bass,2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntest_pitch,-1,all,4,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntest_instrument,-1,all,2,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("test_instrument,0,bass"), std::string::npos) << csv;
  // The table: bass has no test_instrument column values; the ratio line.
  const std::string table = formatTable(r);
  const size_t bass = table.find("\nbass");
  ASSERT_NE(bass, std::string::npos) << table;
  const std::string bassLine = table.substr(bass + 1, table.find('\n', bass + 1) - bass - 1);
  EXPECT_EQ(bassLine.substr(bassLine.size() - 4), "   -") << table;
  char ratio[64];
  std::snprintf(ratio, sizeof ratio, "test_pitch %.2fx",
                r.splits[1].overall.melLsdDb / r.splits[0].overall.melLsdDb);
  EXPECT_NE(table.find("mel LSD over test's: " + std::string(ratio)), std::string::npos) << table;

  // A file without the held-out sets: they are skipped with a warning each.
  TinyDatasetOptions d;
  writeTinyDataset(path("plain.h5"), d);
  o.datasetPath = path("plain.h5");
  const EvaluateResult plain = evaluateVae(o, std::cerr);
  ASSERT_EQ(plain.splits.size(), 1u);
  ASSERT_EQ(plain.warnings.size(), 2u);
  EXPECT_EQ(plain.warnings[0], "split test_pitch: no example in " + path("plain.h5") + ", skipped");
  o.split = "test_pitch,test_instrument";
  try {
    evaluateVae(o, std::cerr);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), path("plain.h5") +
                                         ": test_pitch,test_instrument split: found 0 "
                                         "examples, expected at least 1");
  }
}

TEST_F(EvaluatorTest, RefusesADatasetWithOtherSettingsAndAMissingModel) {
  TinyDatasetOptions d;
  d.settings.hopLength = 512;
  d.settings.nSamples = 128 * 512;
  writeTinyDataset(path("hop512.h5"), d);
  EvaluateOptions o;
  o.modelPath = path("model.pt");
  o.datasetPath = path("hop512.h5");
  o.plots = false;
  try {
    evaluateVae(o, std::cerr);
    FAIL();
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("hop_length"), std::string::npos) << msg;
    EXPECT_NE(msg.find("512"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path("hop512.h5")), std::string::npos) << msg;
  }
  o.modelPath = path("none.pt");
  o.datasetPath = path("tiny.h5");
  try {
    evaluateVae(o, std::cerr);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), path("none.pt") + ": no such file");
  }
  o.modelPath = path("model.pt");
  o.split = "all";
  EXPECT_THROW(evaluateVae(o, std::cerr), std::invalid_argument);
}

}  // namespace
}  // namespace wae::vae

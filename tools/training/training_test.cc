#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "common/errors.h"
#include "tools/training/checkpoint.h"
#include "tools/training/crop_training.h"
#include "tools/training/run.h"
#include "tools/training/training_util.h"

namespace wae::training {
namespace {

namespace fs = std::filesystem;

std::string tempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return (fs::path(dir ? dir : fs::temp_directory_path().string()) / name).string();
}

torch::jit::Module smallModule(float fill) {
  torch::jit::Module m("Small");
  m.register_parameter("w", torch::full({2, 3}, fill), false);
  m.register_parameter("b", torch::full({3}, fill + 1), false);
  m.define("def forward(self, x: Tensor) -> Tensor:\n    return x @ self.w + self.b\n");
  return m;
}

TEST(SeedStream, SameSeedAndStreamSameDraws) {
  seedStream(7, 3);
  const torch::Tensor a = torch::rand({5});
  seedStream(7, 4);
  const torch::Tensor b = torch::rand({5});
  seedStream(7, 3);
  const torch::Tensor c = torch::rand({5});
  EXPECT_TRUE(torch::equal(a, c));
  EXPECT_FALSE(torch::equal(a, b));
}

TEST(ResolveDevice, NamesTheBadValue) {
  EXPECT_EQ(resolveDevice("cpu"), torch::Device(torch::kCPU));
  try {
    resolveDevice("tpu");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"tpu\""), std::string::npos) << e.what();
  }
  if (!torch::cuda::is_available()) {
    try {
      resolveDevice("cuda");
      FAIL();
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("use --device cpu"), std::string::npos) << e.what();
    }
  }
}

TEST(CheckFinite, MessageNamesEpochTermAndCheckpoint) {
  EXPECT_NO_THROW(checkFinite(1.0, "loss", 1, "step 1", 0, "x.ckpt", "lower --lr"));
  try {
    checkFinite(std::numeric_limits<double>::quiet_NaN(), "spectral", 4, "step 2 of 9", 3,
                "run/last.ckpt", "lower --lr");
    FAIL();
  } catch (const NonFiniteLoss& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("epoch 4, step 2 of 9: the spectral term is nan"), std::string::npos) << m;
    EXPECT_NE(m.find("(epoch 3) is run/last.ckpt; lower --lr and resume"), std::string::npos) << m;
  }
}

TEST(WriteTextAtomically, WritesAndLeavesNoPartial) {
  const std::string path = tempPath("text.csv");
  writeTextAtomically(path, "a,b\n1,2\n");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "a,b\n1,2\n");
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST(Checkpoint, RoundTripsParametersOptimizerAndRows) {
  const std::string path = tempPath("round.ckpt");
  torch::jit::Module m = smallModule(0.5f);
  std::vector<torch::Tensor> params;
  for (const auto& p : m.parameters()) params.push_back(p.requires_grad_(true));
  torch::optim::Adam adam(params, torch::optim::AdamOptions(0.1));
  m.forward({torch::ones({1, 2})}).toTensor().sum().backward();
  adam.step();
  const Fingerprint config{{"lr", "0.1"}, {"seed", "3"}};
  CheckpointWriter w("test-ckpt", 2, config);
  w.writeParameters(m);
  w.writeOptimizer(adam);
  w.writeInt("epoch", 5);
  w.writeDouble("best", 0.25);
  w.writeRows("history", {{1, 2.5}, {2, 3.5}}, 2);
  w.save(path);

  torch::jit::Module fresh = smallModule(0.0f);
  std::vector<torch::Tensor> freshParams;
  for (const auto& p : fresh.parameters()) freshParams.push_back(p.requires_grad_(true));
  torch::optim::Adam freshAdam(freshParams, torch::optim::AdamOptions(0.1));
  CheckpointReader r(path, torch::kCPU, "test-ckpt", 2, config);
  r.readParameters(fresh);
  r.readOptimizer(freshAdam);
  EXPECT_EQ(r.readInt("epoch"), 5);
  EXPECT_EQ(r.readDouble("best"), 0.25);
  const auto rows = r.readRows("history", 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][1], 3.5);
  for (const auto& p : m.named_parameters())
    EXPECT_TRUE(torch::equal(p.value, fresh.attr(p.name).toTensor())) << p.name;

  // The same next step from both optimizers: the state (moments, step count) came back.
  adam.zero_grad();
  freshAdam.zero_grad();
  for (auto* mod : {&m, &fresh}) mod->forward({torch::ones({1, 2})}).toTensor().sum().backward();
  adam.step();
  freshAdam.step();
  for (const auto& p : m.named_parameters())
    EXPECT_TRUE(torch::equal(p.value, fresh.attr(p.name).toTensor())) << p.name;
}

// A key added to the fingerprint after a checkpoint was written: its absence means the value
// given in absentMeans, so the checkpoint resumes a run with that value and no other; a key
// not listed there must be in the file.
TEST(Checkpoint, AKeyAddedLaterIsAbsentAsItsGivenValue) {
  const std::string path = tempPath("older.ckpt");
  CheckpointWriter("test-ckpt", 1, {{"lr", "0.1"}}).save(path);
  const Fingerprint absentMeans{{"sc_weight", "0"}};
  EXPECT_NO_THROW(CheckpointReader(path, torch::kCPU, "test-ckpt", 1,
                                   {{"lr", "0.1"}, {"sc_weight", "0"}}, {}, absentMeans));
  try {
    CheckpointReader(path, torch::kCPU, "test-ckpt", 1, {{"lr", "0.1"}, {"sc_weight", "1"}}, {},
                     absentMeans);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("was made with sc_weight = 0, this run has 1"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CheckpointReader(path, torch::kCPU, "test-ckpt", 1, {{"lr", "0.1"}, {"crop", "32"}},
                                {}, absentMeans),
               FormatError);
  // Written with the key, the file's value counts.
  const std::string newer = tempPath("newer.ckpt");
  CheckpointWriter("test-ckpt", 1, {{"lr", "0.1"}, {"sc_weight", "1"}}).save(newer);
  EXPECT_THROW(CheckpointReader(newer, torch::kCPU, "test-ckpt", 1,
                                {{"lr", "0.1"}, {"sc_weight", "0"}}, {}, absentMeans),
               std::invalid_argument);
}

TEST(Checkpoint, RefusesAnotherConfigurationFormatOrFile) {
  const std::string path = tempPath("config.ckpt");
  CheckpointWriter w("test-ckpt", 1, {{"lr", "0.1"}, {"crop", "24"}});
  w.save(path);
  try {
    CheckpointReader(path, torch::kCPU, "test-ckpt", 1, {{"lr", "0.1"}, {"crop", "32"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("was made with crop = 24, this run has 32"),
              std::string::npos)
        << e.what();
  }
  try {
    CheckpointReader(path, torch::kCPU, "other-ckpt", 1, {});
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("format: found \"test-ckpt\", expected \"other-ckpt\""),
              std::string::npos)
        << e.what();
  }
  const std::string junk = tempPath("junk.ckpt");
  std::ofstream(junk) << "not a checkpoint";
  EXPECT_THROW(CheckpointReader(junk, torch::kCPU, "test-ckpt", 1, {}), FormatError);
}

// The crop trainers' shared option checks: the first bad option, named with its value.
TEST(CropTrainOptions, RefusalsNameTheOptionAndTheValue) {
  CropTrainOptions good;
  good.datasetPath = "d.h5";
  good.outPath = "m.pt";
  good.cropFrames = 4;
  good.batchSize = 2;
  good.epochs = 1;
  good.learningRate = 1e-3;
  EXPECT_NO_THROW(validate(good));
  auto messageOf = [&](auto change) {
    CropTrainOptions o = good;
    change(o);
    try {
      validate(o);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(messageOf([](auto& o) { o.epochs = 0; }), "--epochs must be at least 1, got 0");
  EXPECT_EQ(messageOf([](auto& o) { o.batchSize = 0; }), "--batch must be at least 1, got 0");
  EXPECT_EQ(messageOf([](auto& o) { o.learningRate = -0.5; }), "--lr must be positive, got -0.5");
  EXPECT_EQ(messageOf([](auto& o) { o.lrDecay = 1.5; }), "--lr-decay must be in (0, 1], got 1.5");
  EXPECT_EQ(messageOf([](auto& o) { o.clipGradNorm = -1; }), "--clip-grad must be >= 0, got -1");
  EXPECT_EQ(messageOf([](auto& o) { o.clipGradNorm = std::numeric_limits<double>::infinity(); }),
            "--clip-grad must be >= 0, got inf");
  EXPECT_EQ(messageOf([](auto& o) { o.maxSkippedSteps = -1; }),
            "--max-skipped-steps must be >= 0, got -1");
  EXPECT_EQ(messageOf([](auto& o) { o.threads = 0; }), "--threads must be at least 1, got 0");
  EXPECT_EQ(messageOf([](auto& o) { o.validExamples = -2; }),
            "--valid-examples must be >= 0, got -2");
  EXPECT_EQ(messageOf([](auto& o) { o.maxMinutes = -1; }), "--max-minutes must be >= 0");
  EXPECT_EQ(messageOf([](auto& o) { o.outPath.clear(); }), "--out is empty");
  EXPECT_EQ(messageOf([](auto& o) { o.datasetPath.clear(); }), "--dataset is empty");
  try {
    validateCropFrames(9, 8);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--crop-frames must be in 1..8, got 9");
  }
  EXPECT_NO_THROW(validateCropFrames(8, 8));
}

TEST(CropTraining, RateDecaysPerEpoch) {
  CropTrainOptions o;
  o.learningRate = 0.004;
  o.lrDecay = 0.5;
  EXPECT_EQ(scheduledRate(o, 1), 0.004);
  EXPECT_EQ(scheduledRate(o, 3), 0.001);
}

// Every crop is the mel frames (with context, silence beyond the ends) and the samples of one
// example at one start; an epoch visits every example once; the same seed draws the same.
TEST(CropBatches, CropsAreTheirExamplesFramesAndSamples) {
  const int64_t n = 5, mels = 2, frames = 6, hop = 4, context = 1;
  const int crop = 3;
  const torch::Tensor mel =
      torch::arange(n * mels * frames, torch::kFloat32).view({n, mels, frames});
  const torch::Tensor audio =
      torch::arange(n * frames * hop, torch::kFloat32).view({n, frames * hop});
  CropBatches crops(mel, audio, hop, context, crop, 2, torch::kCPU);
  ASSERT_EQ(crops.paddedMels().sizes(), (std::vector<int64_t>{n, mels, frames + 2 * context}));
  EXPECT_TRUE(torch::equal(crops.paddedMels().narrow(2, context, frames), mel));
  EXPECT_EQ(crops.paddedMels().select(2, 0).abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(crops.steps(), 3);
  seedStream(1, 2);
  crops.draw();
  std::vector<int64_t> seen;
  std::vector<torch::Tensor> firstDraw;
  for (int64_t step = 0; step < crops.steps(); ++step) {
    const CropBatch b = crops.batch(step);
    EXPECT_EQ(b.size, step < 2 ? 2 : 1);
    ASSERT_EQ(b.mels.sizes(), (std::vector<int64_t>{b.size, mels, crop + 2 * context}));
    ASSERT_EQ(b.audio.sizes(), (std::vector<int64_t>{b.size, crop * hop}));
    for (int64_t i = 0; i < b.size; ++i) {
      const int64_t row = b.rows[i].item<int64_t>();
      seen.push_back(row);
      // The crop's first middle frame gives its start; its samples are those frames'.
      const torch::Tensor middle = b.mels[i].narrow(1, context, crop);
      const int64_t start = (middle[0][0].item<int64_t>() - row * mels * frames);
      ASSERT_GE(start, 0);
      ASSERT_LE(start, frames - crop);
      EXPECT_TRUE(torch::equal(middle, mel[row].narrow(1, start, crop)));
      EXPECT_TRUE(torch::equal(b.audio[i], audio[row].narrow(0, start * hop, crop * hop)));
    }
    firstDraw.push_back(b.mels);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  seedStream(1, 2);
  crops.draw();
  for (int64_t step = 0; step < crops.steps(); ++step)
    EXPECT_TRUE(torch::equal(crops.batch(step).mels, firstDraw[size_t(step)]));
}

}  // namespace
}  // namespace wae::training

#include "tools/mcnn/trainer.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "tools/mcnn/inverter_training.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/test_data.h"
#include "tools/training/test_util.h"
#include "tools/training/training_util.h"

namespace wae::mcnn {
namespace {

namespace fs = std::filesystem;

std::string tempDir(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const fs::path p = fs::path(dir ? dir : fs::temp_directory_path().string()) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

const std::string& dataset() {
  static const std::string path = [] {
    const std::string p = tempDir("data") + "/tiny.h5";
    writeAudioDataset(p);
    return p;
  }();
  return path;
}

TrainOptions tinyOptions(const std::string& dir) {
  TrainOptions o;
  o.datasetPath = dataset();
  o.outPath = dir + "/mcnn.pt";
  o.model.heads = 2;
  o.model.widths = {4, 4, 4, 2, 2, 2, 2, 1};
  o.model.kernelWidth = 5;
  o.model.contextFrames = 2;
  o.loss.fftSizes = {256, 512};
  o.cropFrames = 4;
  o.batchSize = 4;
  o.epochs = 4;
  o.learningRate = 3e-3;
  o.threads = 1;
  o.quiet = true;
  return o;
}

// --valid-examples N validates on N notes spread over the valid split, not its first N (a
// split is in note_str order, so those would all be one family); 0 takes them all.
TEST(TrainMcnn, ValidationSpreadsOverTheValidSplit) {
  const std::string path = tempDir("spread") + "/nine.h5";
  AudioDatasetOptions d;
  d.valid = 9;
  writeAudioDataset(path, d);
  const InverterSplits three = loadInverterSplits(path, 3);
  EXPECT_EQ(three.nValid, 3);
  EXPECT_TRUE(torch::equal(three.validRows, torch::tensor({0, 3, 6}, torch::kInt64)))
      << three.validRows;
  const InverterSplits all = loadInverterSplits(path, 0);
  EXPECT_EQ(all.nValid, 9);
  EXPECT_TRUE(torch::equal(all.validRows, torch::arange(9, torch::kInt64)));
  EXPECT_EQ(loadInverterSplits(path, 20).nValid, 9);
}

TEST(TrainMcnn, TrainsAndWritesModelMetricsCheckpoint) {
  const std::string dir = tempDir("train");
  TrainOptions o = tinyOptions(dir);
  o.epochs = 6;
  std::ostringstream log;
  o.quiet = false;
  const TrainResult r = trainMcnn(o, log);
  ASSERT_EQ(r.history.size(), 6u);
  EXPECT_LT(r.history.back().trainLoss, r.history.front().trainLoss);
  EXPECT_GE(r.bestEpoch, 1);
  EXPECT_TRUE(r.history[r.bestEpoch - 1].best);
  EXPECT_TRUE(fs::exists(dir + "/mcnn.checkpoints/last.ckpt"));
  McnnInfo info;
  torch::jit::Module m = loadMcnn(dir + "/mcnn.pt", &info);
  EXPECT_EQ(info.epoch, r.bestEpoch);
  EXPECT_EQ(info.config.heads, 2);
  EXPECT_EQ(info.settings.sampleRate, 22050);
  torch::NoGradGuard noGrad;
  EXPECT_EQ(m.forward({torch::rand({1, 80, 3})}).toTensor().size(1), 768);

  std::ifstream csv(dir + "/mcnn.metrics.csv");
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header, metricsHeader());
  EXPECT_EQ(header,
            "epoch,lr,train_loss,train_sc,train_log_mag,train_inst_freq,train_phase,valid_loss,"
            "valid_sc,valid_lsd_db,skipped_steps,seconds,best");
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 6);
  // One line per epoch with the rate and the ETA.
  EXPECT_NE(log.str().find("epoch 6/6: train loss"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("crops/s"), std::string::npos);
  EXPECT_NE(log.str().find("ETA"), std::string::npos);
}

// Two epochs, then a resumed run to four: the same parameters, bit for bit, as four in one
// go. (resume_kill_test.sh does the same across a SIGKILL.)
TEST(TrainMcnn, ResumeReachesTheSameModel) {
  const std::string a = tempDir("resume_a"), b = tempDir("resume_b");
  TrainOptions full = tinyOptions(a);
  trainMcnn(full, std::cerr);
  const TrainResult r = training::trainInterruptedAndResumed(tinyOptions(b), 2, trainMcnn);
  EXPECT_EQ(r.resumedFromEpoch, 2);
  ASSERT_EQ(r.history.size(), 4u);
  EXPECT_TRUE(
      training::sameParameters(torch::jit::load(a + "/mcnn.pt"), torch::jit::load(b + "/mcnn.pt")));
}

TEST(TrainMcnn, ResumeWithOtherOptionsIsRefused) {
  const std::string dir = tempDir("resume_other");
  TrainOptions o = tinyOptions(dir);
  o.epochs = 1;
  trainMcnn(o, std::cerr);
  o.epochs = 2;
  o.resume = true;
  o.cropFrames = 5;
  try {
    trainMcnn(o, std::cerr);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("crop_frames = 4, this run has 5"), std::string::npos)
        << e.what();
  }
}

TEST(TrainMcnn, NanLossStopsAndKeepsTheLastCheckpoint) {
  const std::string dir = tempDir("nan");
  TrainOptions o = tinyOptions(dir);
  o.poisonLossAtEpoch = 3;
  try {
    trainMcnn(o, std::cerr);
    FAIL();
  } catch (const training::NonFiniteLoss& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("epoch 3, step 1 of 3"), std::string::npos) << m;
    EXPECT_NE(m.find("(epoch 2)"), std::string::npos) << m;
  }
  // The checkpoint is epoch 2's: resuming without the poison finishes the run.
  o.poisonLossAtEpoch = 0;
  o.resume = true;
  EXPECT_EQ(trainMcnn(o, std::cerr).resumedFromEpoch, 2);
}

// A finite loss whose gradient is NaN stops the run before the optimizer takes it: the
// checkpoint and the parameters stay those of the last good epoch.
TEST(TrainMcnn, NanGradientStopsBeforeTheStep) {
  const std::string dir = tempDir("nan_gradient");
  TrainOptions o = tinyOptions(dir);
  o.poisonGradientAtEpoch = 2;
  try {
    trainMcnn(o, std::cerr);
    FAIL();
  } catch (const training::NonFiniteLoss& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("epoch 2, step 1 of 3: the gradient norm term is"), std::string::npos) << m;
    EXPECT_NE(m.find("(epoch 1)"), std::string::npos) << m;
  }
  o.poisonGradientAtEpoch = 0;
  o.resume = true;
  EXPECT_EQ(trainMcnn(o, std::cerr).resumedFromEpoch, 1);
}

// Under --max-skipped-steps, a step with a non-finite gradient is not taken and the run goes
// on: two poisoned steps of three are skipped and counted in the metrics, the third taken;
// all three skipped leave the parameters as the epoch before left them; one more than the
// allowance in an epoch stops the run as without it.
TEST(TrainMcnn, NonFiniteGradientStepsAreSkippedUpToTheAllowance) {
  TrainOptions o = tinyOptions(tempDir("skip_one"));
  o.epochs = 2;
  o.maxSkippedSteps = 2;
  o.poisonGradientAtEpoch = 2;
  o.poisonGradientSteps = 2;
  const TrainResult skipped = trainMcnn(o, std::cerr);
  ASSERT_EQ(skipped.history.size(), 2u);
  EXPECT_EQ(skipped.history[0].skippedSteps, 0);
  EXPECT_EQ(skipped.history[1].skippedSteps, 2);
  EXPECT_TRUE(std::isfinite(skipped.history[1].validLoss));
  std::ifstream csv(skipped.metricsPath);
  std::string header, row;
  std::getline(csv, header);
  std::getline(csv, row);
  std::getline(csv, row);
  const size_t column =
      size_t(std::count(header.begin(), header.begin() + long(header.find("skipped_steps")), ','));
  std::istringstream cells(row);
  std::string cell;
  for (size_t i = 0; i <= column; ++i) std::getline(cells, cell, ',');
  EXPECT_EQ(cell, "2") << row;

  // Epoch 2 moved the parameters (its third step was taken): its validation differs from
  // epoch 1's. With all three steps poisoned and skipped it is epoch 1's, to the bit.
  EXPECT_NE(skipped.history[1].validLoss, skipped.history[0].validLoss);
  TrainOptions all = tinyOptions(tempDir("skip_all"));
  all.epochs = 2;
  all.maxSkippedSteps = 3;
  all.poisonGradientAtEpoch = 2;
  const TrainResult none = trainMcnn(all, std::cerr);
  EXPECT_EQ(none.history[1].skippedSteps, 3);
  EXPECT_EQ(none.history[1].validLoss, none.history[0].validLoss);

  TrainOptions over = tinyOptions(tempDir("skip_over"));
  over.epochs = 2;
  over.maxSkippedSteps = 2;
  over.poisonGradientAtEpoch = 2;
  try {
    trainMcnn(over, std::cerr);
    FAIL();
  } catch (const training::NonFiniteLoss& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("epoch 2, step 3 of 3 (2 skipped this epoch already, --max-skipped-steps): "
                     "the gradient norm term is"),
              std::string::npos)
        << m;
  }
}

TEST(TrainMcnn, BadOptionsAndDatasetsAreRefused) {
  const std::string dir = tempDir("bad");
  TrainOptions o = tinyOptions(dir);
  o.cropFrames = 1;  // 256 samples for a 512-point FFT
  try {
    trainMcnn(o, std::cerr);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("too short for the loss's FFT size 512"),
              std::string::npos)
        << e.what();
  }
  o = tinyOptions(dir);
  o.model.widths = {4, 2, 1};
  EXPECT_THROW(trainMcnn(o, std::cerr), std::invalid_argument);

  // A dataset made at 16 kHz: refused, naming both sample rates.
  AudioDatasetOptions other;
  other.settings.sampleRate = 16000;
  other.settings.fMaxHz = 8000;
  const std::string path = dir + "/16k.h5";
  writeAudioDataset(path, other);
  o = tinyOptions(dir);
  o.datasetPath = path;
  try {
    trainMcnn(o, std::cerr);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("16000"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("22050"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae::mcnn

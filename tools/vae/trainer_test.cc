// train_vae's library on a tiny synthetic dataset: the loss goes down, a run is
// reproducible, a resumed run equals an uninterrupted one, bad datasets and NaN losses stop
// the run with clear messages.
#include "tools/vae/trainer.h"

#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/errors.h"
#include "tools/training/test_util.h"
#include "tools/vae/test_data.h"
#include "tools/vae/vae_model.h"

namespace wae::vae {
namespace {

namespace fs = std::filesystem;

class TrainerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / "trainer";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    writeTinyDataset(dataset());
  }
  static std::string dataset() { return (dir_ / "tiny.h5").string(); }
  static std::string path(const std::string& name) { return (dir_ / name).string(); }

  // A small, fast configuration.
  static TrainOptions options(const std::string& name) {
    TrainOptions o;
    o.datasetPath = dataset();
    o.outPath = path(name + "/model.pt");
    o.model.channels = 4;
    o.model.latentDim = 4;
    o.epochs = 3;
    o.batchSize = 8;
    o.learningRate = 3e-3;
    o.warmupEpochs = 2;
    o.threads = 1;
    o.seed = 5;
    o.quiet = true;
    return o;
  }

  static inline fs::path dir_;
};

// Every parameter of two model.pt files is bit-identical.
void expectSameModel(const std::string& a, const std::string& b) {
  const torch::jit::Module ma = loadVae(a), mb = loadVae(b);
  EXPECT_TRUE(training::sameParameters(ma, mb));
  EXPECT_EQ(ma.named_parameters().size(), 24u);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The CSV without its "seconds" column (the 11th).
std::string withoutSeconds(const std::string& csv) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (cells.size() != 12) return "bad line: " + line;
    cells.erase(cells.begin() + 10);
    for (const auto& c : cells) out += c + ",";
    out += "\n";
  }
  return out;
}

TEST_F(TrainerTest, LossGoesDownAndOutputsAreWritten) {
  TrainOptions o = options("down");
  o.epochs = 6;
  o.regularizer = "mmd-rbf";
  const TrainResult r = trainVae(o, std::cerr);
  ASSERT_EQ(r.history.size(), 6u);
  EXPECT_LT(r.history.back().trainRecon, 0.7 * r.history.front().trainRecon);
  EXPECT_LT(r.history.back().validRecon, r.history.front().validRecon);
  EXPECT_TRUE(fs::exists(o.outPath));
  EXPECT_TRUE(fs::exists(path("down/model.checkpoints/last.ckpt")));
  EXPECT_FALSE(fs::exists(o.outPath + ".partial"));
  VaeInfo info;
  loadVae(o.outPath, &info);
  EXPECT_EQ(info.regularizer, "mmd-rbf");
  EXPECT_EQ(info.weight, kDefaultMmdWeight);
  EXPECT_EQ(info.epoch, r.bestEpoch);
  EXPECT_EQ(info.config.latentDim, 4);
  // The CSV: a header and one row per epoch, as the history says.
  const std::string csv = readFile(path("down/model.metrics.csv"));
  std::string expected = metricsHeader() + "\n";
  for (const auto& m : r.history) expected += metricsRow(m) + "\n";
  EXPECT_EQ(csv, expected);
  EXPECT_EQ(csv.substr(0, 24), "epoch,weight,train_loss,");
  EXPECT_EQ(metricsHeader(),
            "epoch,weight,train_loss,train_recon,train_reg,valid_loss,valid_recon,valid_reg,"
            "valid_mel_l1,valid_mel_lsd_db,valid_pitch_mae,seconds,best");
  for (const auto& m : r.history) EXPECT_EQ(m.validPitchMae, 0.0);  // no pitch axis
}

// With a pitch axis the encoder's axis 0 learns the labels' pitch (its error on the valid
// split falls well below that of a constant guess), and model.pt says so.
TEST_F(TrainerTest, PitchAxisLearnsThePitchAndIsRecorded) {
  TrainOptions o = options("pitch");
  o.model.pitchAxis = true;
  o.epochs = 30;
  const TrainResult r = trainVae(o, std::cerr);
  ASSERT_EQ(r.history.size(), 30u);
  const double first = r.history.front().validPitchMae, last = r.history.back().validPitchMae;
  std::cerr << "valid pitch error: epoch 1 " << first << ", epoch 30 " << last << " semitones\n";
  EXPECT_GT(first, 0.0);
  EXPECT_LT(last, 0.5 * first);
  VaeInfo info;
  loadVae(o.outPath, &info);
  EXPECT_TRUE(info.config.pitchAxis);
  EXPECT_EQ(info.pitchCenter, 60.0);
  EXPECT_EQ(info.pitchScale, 12.0);

  TrainOptions bad = options("pitch1");
  bad.model.pitchAxis = true;
  bad.model.latentDim = 1;
  try {
    trainVae(bad, std::cerr);
    FAIL() << "a pitch axis in a 1-D latent was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pitch axis needs a latent of at least 2"),
              std::string::npos)
        << e.what();
  }
}

// With a loudness axis too, training runs (the decoder gets the measured loudness on axis
// 1), the model says so, and a loudness axis without the pitch axis is refused.
TEST_F(TrainerTest, LoudnessAxisTrainsAndIsRecorded) {
  TrainOptions o = options("loudness");
  o.model.latentDim = 4;
  o.model.pitchAxis = true;
  o.model.loudnessAxis = true;
  o.epochs = 3;
  const TrainResult r = trainVae(o, std::cerr);
  ASSERT_EQ(r.history.size(), 3u);
  for (const auto& m : r.history) EXPECT_TRUE(std::isfinite(m.validLoss));
  EXPECT_LT(r.history.back().validRecon, r.history.front().validRecon);
  VaeInfo info;
  loadVae(o.outPath, &info);
  EXPECT_TRUE(info.config.loudnessAxis);

  TrainOptions bad = options("loudness_alone");
  bad.model.loudnessAxis = true;
  try {
    trainVae(bad, std::cerr);
    FAIL() << "a loudness axis without the pitch axis was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("loudness axis needs the pitch axis"), std::string::npos)
        << e.what();
  }
}

TEST_F(TrainerTest, KlWarmUpRaisesBetaLinearly) {
  TrainOptions o = options("warmup");
  o.weight = 0.5;
  o.warmupEpochs = 2;
  const TrainResult r = trainVae(o, std::cerr);
  ASSERT_EQ(r.history.size(), 3u);
  EXPECT_DOUBLE_EQ(r.history[0].weight, 0.25);
  EXPECT_DOUBLE_EQ(r.history[1].weight, 0.5);
  EXPECT_DOUBLE_EQ(r.history[2].weight, 0.5);
}

TEST_F(TrainerTest, MaxMinutesStopsAfterTheEpochThatEndsPastItAndResumeContinues) {
  TrainOptions o = options("budget");
  o.epochs = 3;
  o.maxMinutes = 1e-9;  // spent by the end of the first epoch, whatever the machine
  const TrainResult r = trainVae(o, std::cerr);
  EXPECT_TRUE(r.stoppedByTimeLimit);
  ASSERT_EQ(r.history.size(), 1u);
  o.maxMinutes = 0;
  o.resume = true;
  const TrainResult rest = trainVae(o, std::cerr);
  EXPECT_FALSE(rest.stoppedByTimeLimit);
  ASSERT_EQ(rest.history.size(), 3u);
  EXPECT_EQ(rest.history.back().epoch, 3);
  o.maxMinutes = -1;
  EXPECT_THROW(trainVae(o, std::cerr), std::invalid_argument);
}

TEST_F(TrainerTest, SameSeedSameModel) {
  for (const char* reg : {"kl", "mmd-imq"}) {
    TrainOptions a = options(std::string("seed_a_") + reg),
                 b = options(std::string("seed_b_") + reg);
    a.regularizer = b.regularizer = reg;
    const TrainResult ra = trainVae(a, std::cerr), rb = trainVae(b, std::cerr);
    expectSameModel(a.outPath, b.outPath);
    for (size_t i = 0; i < ra.history.size(); ++i) {
      EXPECT_EQ(ra.history[i].trainLoss, rb.history[i].trainLoss);
      EXPECT_EQ(ra.history[i].validMelLsdDb, rb.history[i].validMelLsdDb);
    }
  }
  // Another seed, another model.
  TrainOptions c = options("seed_c");
  c.seed = 6;
  trainVae(c, std::cerr);
  EXPECT_FALSE(torch::equal(loadVae(c.outPath).attr("enc0_w").toTensor(),
                            loadVae(options("seed_a_kl").outPath).attr("enc0_w").toTensor()));
}

TEST_F(TrainerTest, ResumeReachesTheSameModelAsAnUninterruptedRun) {
  for (const char* reg : {"kl", "mmd-rbf"}) {
    TrainOptions full = options(std::string("full_") + reg);
    full.regularizer = reg;
    full.epochs = 4;
    const TrainResult rf = trainVae(full, std::cerr);

    // Interrupted after 2 epochs (the checkpoint of epoch 2 is what a kill after it leaves),
    // then resumed to 4.
    TrainOptions part = options(std::string("part_") + reg);
    part.regularizer = reg;
    part.epochs = 4;
    const TrainResult rp = training::trainInterruptedAndResumed(part, 2, trainVae);
    EXPECT_EQ(rp.resumedFromEpoch, 2);
    ASSERT_EQ(rp.history.size(), 4u);
    expectSameModel(full.outPath, part.outPath);
    EXPECT_EQ(rf.bestEpoch, rp.bestEpoch);
    for (size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(rf.history[i].trainLoss, rp.history[i].trainLoss) << i;
      EXPECT_EQ(rf.history[i].validLoss, rp.history[i].validLoss) << i;
    }
    // The resumed run's CSV has all 4 epochs, equal but for the times.
    EXPECT_EQ(withoutSeconds(readFile(path(std::string("full_") + reg + "/model.metrics.csv"))),
              withoutSeconds(readFile(path(std::string("part_") + reg + "/model.metrics.csv"))));
  }
}

// An augmentation option (`on` sets it, `off` clears it) draws from the epoch's stream: a
// run with it is reproducible and resumable like any other, it trains another model than a
// run without, a resume without it is refused by its fingerprint key, and `bad` is refused
// with `message`.
void expectAugmentationRunsResumeAndChangeTheModel(
    const std::function<TrainOptions(const std::string&)>& options, const std::string& key,
    const std::function<void(TrainOptions&)>& off, const std::function<void(TrainOptions&)>& bad,
    const std::string& message) {
  const TrainOptions full = options(key + "_full");
  trainVae(full, std::cerr);
  const TrainResult rp = training::trainInterruptedAndResumed(options(key + "_part"), 1, trainVae);
  EXPECT_EQ(rp.resumedFromEpoch, 1);
  expectSameModel(full.outPath, options(key + "_part").outPath);
  TrainOptions plain = options(key + "_none");
  off(plain);
  trainVae(plain, std::cerr);
  EXPECT_FALSE(torch::equal(loadVae(full.outPath).attr("enc0_w").toTensor(),
                            loadVae(plain.outPath).attr("enc0_w").toTensor()));
  plain.outPath = full.outPath;
  plain.resume = true;
  plain.epochs = 4;
  try {
    trainVae(plain, std::cerr);
    FAIL() << "a run without " << key << " resumed one with it";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
  TrainOptions refused = options(key + "_bad");
  bad(refused);
  try {
    trainVae(refused, std::cerr);
    FAIL() << message << " was not raised";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST_F(TrainerTest, PitchShiftRunsResumeAndChangeTheModel) {
  expectAugmentationRunsResumeAndChangeTheModel(
      [&](const std::string& name) {
        TrainOptions o = options(name);
        o.model.pitchAxis = true;
        o.pitchShift = 1.0;
        o.epochs = 3;
        return o;
      },
      "pitch_shift", [](TrainOptions& o) { o.pitchShift = 0; },
      [](TrainOptions& o) { o.pitchShift = 13; },
      "--pitch-shift must be in 0..12 semitones, got 13");
}

// --gain-shift draws after --pitch-shift, so both are on here.
TEST_F(TrainerTest, GainShiftRunsResumeAndChangeTheModel) {
  expectAugmentationRunsResumeAndChangeTheModel(
      [&](const std::string& name) {
        TrainOptions o = options(name);
        o.model.pitchAxis = true;
        o.model.loudnessAxis = true;
        o.pitchShift = 1.0;
        o.gainShift = 12.0;
        o.epochs = 3;
        return o;
      },
      "gain_shift", [](TrainOptions& o) { o.gainShift = 0; },
      [](TrainOptions& o) { o.gainShift = 25; }, "--gain-shift must be in 0..24 dB, got 25");
}

// --sc-weight adds weight x bands x frames x the mels' SC to the reconstruction term (an
// untrained decoder's SC is near 1, so the term is thousands), is recorded in model.pt,
// and a run with it resumes only with it.
TEST_F(TrainerTest, ScWeightAddsTheMelsSpectralConvergence) {
  TrainOptions plain = options("sc_none");
  plain.epochs = 1;
  TrainOptions sc = options("sc_one");
  sc.epochs = 1;
  sc.scWeight = 1.0;
  const double plainRecon = trainVae(plain, std::cerr).history.back().validRecon;
  const double scRecon = trainVae(sc, std::cerr).history.back().validRecon;
  EXPECT_GT(scRecon - plainRecon, 0.25 * 80 * 128) << plainRecon << " " << scRecon;
  EXPECT_DOUBLE_EQ(loadVae(sc.outPath).attr("sc_weight").toDouble(), 1.0);
  EXPECT_DOUBLE_EQ(loadVae(plain.outPath).attr("sc_weight").toDouble(), 0.0);
  TrainOptions resumed = sc;
  resumed.scWeight = 0;
  resumed.resume = true;
  resumed.epochs = 2;
  try {
    trainVae(resumed, std::cerr);
    FAIL() << "a run without --sc-weight resumed one with it";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("sc_weight"), std::string::npos) << e.what();
  }
  TrainOptions bad = options("sc_bad");
  bad.scWeight = -1;
  try {
    trainVae(bad, std::cerr);
    FAIL() << "--sc-weight -1 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--sc-weight must be finite and >= 0, got -1");
  }
}

TEST_F(TrainerTest, ResumeRefusesOtherOptions) {
  TrainOptions o = options("other");
  o.epochs = 1;
  trainVae(o, std::cerr);
  o.resume = true;
  o.epochs = 2;
  o.batchSize = 4;
  try {
    trainVae(o, std::cerr);
    FAIL();
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("was made with batch = 8, this run has 4"), std::string::npos) << msg;
  }
}

TEST_F(TrainerTest, NanLossStopsTheRunAndKeepsTheLastCheckpoint) {
  TrainOptions o = options("nan");
  o.poisonLossAtEpoch = 3;
  const std::string ckpt = path("nan/model.checkpoints/last.ckpt");
  try {
    trainVae(o, std::cerr);
    FAIL() << "no error";
  } catch (const NonFiniteLoss& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("epoch 3, step 1 of 3: the reconstruction term is nan; training stopped."),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("The last good checkpoint (epoch 2) is " + ckpt), std::string::npos) << msg;
  }
  // The checkpoint of epoch 2 is intact: resuming (without the poison) completes epoch 3
  // as an uninterrupted run does.
  o.poisonLossAtEpoch = 0;
  o.resume = true;
  const TrainResult r = trainVae(o, std::cerr);
  EXPECT_EQ(r.resumedFromEpoch, 2);
  TrainOptions clean = options("nan_clean");
  trainVae(clean, std::cerr);
  expectSameModel(o.outPath, clean.outPath);
}

// What the NaN guard advises, a lower --lr, resumes: the epochs after the checkpoint train at
// the new rate, and the run says so.
TEST_F(TrainerTest, ResumeTakesALowerLearningRate) {
  TrainOptions o = options("lower");
  o.epochs = 1;
  trainVae(o, std::cerr);
  o.resume = true;
  o.epochs = 2;
  o.learningRate = 1e-4;
  o.quiet = false;
  std::ostringstream log;
  EXPECT_EQ(trainVae(o, log).resumedFromEpoch, 1);
  EXPECT_NE(log.str().find("train_vae: resuming with lr 0.0030000000000000001 -> 0.0001\n"),
            std::string::npos)
      << log.str();
  // The same two epochs with the first at 3e-3 and the second at 1e-4 from the start differ
  // from a run at 3e-3 throughout: the rate was taken.
  TrainOptions same = options("same_rate");
  same.epochs = 2;
  trainVae(same, std::cerr);
  EXPECT_FALSE(training::sameParameters(loadVae(o.outPath), loadVae(same.outPath)));
}

// --lr-decay: epoch e trains at lr * decay^(e - 1). Two epochs at 4e-3 decaying by half equal
// one epoch at 4e-3 resumed for a second at 2e-3 (bit for bit), differ from two at 4e-3, and
// resume like any run.
TEST_F(TrainerTest, LrDecayLowersEachEpochsRate) {
  TrainOptions decaying = options("decay");
  decaying.epochs = 2;
  decaying.learningRate = 4e-3;
  decaying.lrDecay = 0.5;
  trainVae(decaying, std::cerr);
  TrainOptions stepped = options("decay_stepped");
  stepped.epochs = 1;
  stepped.learningRate = 4e-3;
  trainVae(stepped, std::cerr);
  stepped.resume = true;
  stepped.epochs = 2;
  stepped.learningRate = 2e-3;
  trainVae(stepped, std::cerr);
  expectSameModel(decaying.outPath, stepped.outPath);
  TrainOptions constant = options("decay_constant");
  constant.epochs = 2;
  constant.learningRate = 4e-3;
  trainVae(constant, std::cerr);
  EXPECT_FALSE(training::sameParameters(loadVae(decaying.outPath), loadVae(constant.outPath)));
  TrainOptions part = options("decay_part");
  part.epochs = 3;
  part.lrDecay = 0.5;
  training::trainInterruptedAndResumed(part, 1, trainVae);
  TrainOptions whole = options("decay_whole");
  whole.epochs = 3;
  whole.lrDecay = 0.5;
  trainVae(whole, std::cerr);
  expectSameModel(part.outPath, whole.outPath);
  TrainOptions bad = options("decay_bad");
  bad.lrDecay = 1.5;
  try {
    trainVae(bad, std::cerr);
    FAIL() << "--lr-decay 1.5 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--lr-decay must be in (0, 1], got 1.5");
  }
}

// --init: the run starts from the model.pt's weights and mel statistics. At a rate too small
// to move a float32 weight, its first epoch validates the init model's weights exactly (the
// same valid loss as the epoch that wrote it) and writes them unchanged; a model of another
// architecture is refused by name, before the dataset is read.
TEST_F(TrainerTest, InitStartsFromAModelsWeights) {
  TrainOptions base = options("init_base");
  base.epochs = 2;
  const TrainResult rb = trainVae(base, std::cerr);
  TrainOptions o = options("init_run");
  o.initPath = base.outPath;
  o.epochs = 1;
  o.learningRate = 1e-30;  // the same seed: the same validation noise
  const TrainResult r = trainVae(o, std::cerr);
  EXPECT_EQ(r.history[0].validLoss, rb.history[size_t(rb.bestEpoch - 1)].validLoss);
  expectSameModel(base.outPath, o.outPath);
  EXPECT_TRUE(torch::equal(loadVae(base.outPath).attr("log_mean").toTensor(),
                           loadVae(o.outPath).attr("log_mean").toTensor()));
  // A moving rate trains on from there: another model than a seeded new run's.
  TrainOptions on = options("init_on");
  on.initPath = base.outPath;
  on.epochs = 1;
  trainVae(on, std::cerr);
  TrainOptions fresh = options("init_fresh");
  fresh.epochs = 1;
  trainVae(fresh, std::cerr);
  EXPECT_FALSE(training::sameParameters(loadVae(on.outPath), loadVae(fresh.outPath)));
  // Resuming it with another model.pt as --init is another run.
  on.resume = true;
  on.epochs = 2;
  on.initPath = o.outPath;
  try {
    trainVae(on, std::cerr);
    FAIL() << "resumed with another --init";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("init_sha256"), std::string::npos) << e.what();
  }
  TrainOptions wide = options("init_wide");
  wide.initPath = base.outPath;
  wide.model.channels = 8;
  wide.datasetPath = path("no_such.h5");  // the model.pt is checked first
  try {
    trainVae(wide, std::cerr);
    FAIL() << "a model of 4 channels initialised a run of 8";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), base.outPath +
                                         ": attribute channels: found 4, expected 8 (the options "
                                         "of this run)");
  }
  EXPECT_FALSE(fs::exists(wide.outPath));
}

TEST_F(TrainerTest, RefusesAMissingDataset) {
  TrainOptions o = options("missing");
  o.datasetPath = path("no_such.h5");
  try {
    trainVae(o, std::cerr);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(path("no_such.h5")), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(o.outPath));
}

TEST_F(TrainerTest, RefusesADatasetWithOtherAudioSettings) {
  TinyDatasetOptions d;
  d.settings.sampleRate = 16000;
  d.settings.fMaxHz = 8000;
  writeTinyDataset(path("16k.h5"), d);
  TrainOptions o = options("16k");
  o.datasetPath = path("16k.h5");
  try {
    trainVae(o, std::cerr);
    FAIL();
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("sample_rate"), std::string::npos) << msg;
    EXPECT_NE(msg.find("16000"), std::string::npos) << msg;
    EXPECT_NE(msg.find("22050"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path("16k.h5")), std::string::npos) << msg;
  }
  EXPECT_FALSE(fs::exists(o.outPath));
}

TEST_F(TrainerTest, RefusesBadOptions) {
  TrainOptions o = options("bad");
  o.regularizer = "wae";
  EXPECT_THROW(trainVae(o, std::cerr), std::invalid_argument);
  o = options("bad");
  o.device = "tpu";
  EXPECT_THROW(trainVae(o, std::cerr), std::invalid_argument);
  o = options("bad");
  o.batchSize = 1;
  EXPECT_THROW(trainVae(o, std::cerr), std::invalid_argument);
  if (!torch::cuda::is_available()) {
    o = options("bad");
    o.device = "cuda";
    try {
      trainVae(o, std::cerr);
      FAIL();
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--device cuda: CUDA is not available"),
                std::string::npos);
    }
  }
}

}  // namespace
}  // namespace wae::vae

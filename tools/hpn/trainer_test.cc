#include "tools/hpn/trainer.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <string>

#include "common/testing/temp_dir.h"
#include "tools/generative/pitch_axis_test_model.h"
#include "tools/hpn/hpn_model.h"
#include "tools/mcnn/test_data.h"

namespace wae::hpn {
namespace {

// A small hpn of the tiny dataset's settings, saved at `path`.
void writeSmallHpn(const std::string& path, const AudioSettings& settings) {
  HpnConfig c;
  c.hidden = 8;
  c.dilations = {1, 2};
  c.pitchHarmonics = 8;
  c.pitchHidden = 4;
  c.harmonics = 16;
  c.envBins = 16;
  c.contextFrames = 2;
  torch::manual_seed(3);
  makeHpnModule(c, settings, torch::zeros({settings.nMels}), torch::ones({settings.nMels}))
      .save(path);
}

TrainOptions pitchOnlyOptions(const testing::TempDir& dir) {
  TrainOptions o;
  o.datasetPath = dir.file("tiny.h5");
  mcnn::writeAudioDataset(o.datasetPath);
  o.initPath = dir.file("init.pt");
  o.pitchOnly = true;
  o.outPath = dir.file("hpn.pt");
  o.loss.fftSizes = {256, 512};
  o.cropFrames = 4;
  o.batchSize = 4;
  o.epochs = 2;
  o.threads = 1;
  o.quiet = true;
  return o;
}

// --init --pitch-only: the architecture is the init file's (not o.model's), every parameter
// of the controls network comes out bit for bit as the init file has it, and the pitch
// estimate's (the template's and the scorer's) have moved: the scorer's last layer starts at
// zero and no longer is.
TEST(TrainHpn, PitchOnlyTrainsThePitchEstimateAlone) {
  testing::TempDir dir;
  TrainOptions o = pitchOnlyOptions(dir);
  writeSmallHpn(o.initPath, AudioSettings{});
  o.model.hidden = 32;  // ignored: the init file's architecture
  trainHpn(o, std::cerr);
  HpnInfo info;
  const torch::jit::Module init = loadHpn(o.initPath);
  const torch::jit::Module trained = loadHpn(o.outPath, &info);
  EXPECT_EQ(info.config.hidden, 8);
  EXPECT_EQ(info.config.pitchHidden, 4);
  int frozen = 0, moved = 0;
  for (const auto& p : init.named_parameters(/*recurse=*/false)) {
    const torch::Tensor after = trained.attr(p.name).toTensor();
    if (p.name.rfind("pitch_", 0) == 0) {
      moved += !torch::equal(after, p.value);
    } else {
      EXPECT_TRUE(torch::equal(after, p.value)) << p.name;
      ++frozen;
    }
  }
  EXPECT_EQ(frozen, 10);
  EXPECT_EQ(moved, 8);  // pitch_weights, _gain, _prior and the scorer's five
  EXPECT_GT(trained.attr("pitch_w3").toTensor().abs().max().item<double>(), 0.0);
}

TEST(TrainHpn, PitchOnlyNeedsAnInitFileOfTheDatasetsSettings) {
  testing::TempDir dir;
  TrainOptions o = pitchOnlyOptions(dir);
  o.initPath.clear();
  try {
    trainHpn(o, std::cerr);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--pitch-only needs --init: the hpn.pt whose pitch estimate to train");
  }
  o.initPath = dir.file("other.pt");
  AudioSettings other;
  other.fMaxHz = 8000;
  writeSmallHpn(o.initPath, other);
  try {
    trainHpn(o, std::cerr);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "audio settings differ between " + o.initPath +
                                         " and the dataset " + o.datasetPath +
                                         ":\nf_max: " + o.initPath + " has 8000, the dataset " +
                                         o.datasetPath + " expects 11025");
  }
}

// --decoded-by: the synthesis is trained on the generative.pt's decoded mels, the pitch
// estimate (every pitch_* parameter) comes out bit for bit as the init file has it, and the
// run differs from one on the dataset's mels (the same seed and init): the mels did change.
TEST(TrainHpn, DecodedByTrainsTheSynthesisOnTheDecodersMels) {
  testing::TempDir dir;
  TrainOptions o = pitchOnlyOptions(dir);
  o.pitchOnly = false;
  o.epochs = 1;
  writeSmallHpn(o.initPath, AudioSettings{});
  const std::string generativePath = dir.file("generative.pt");
  generative::writePitchAxisGenerative(o.datasetPath, o.initPath, dir.file("model.pt"),
                                       generativePath);
  o.decodedBy = generativePath;
  trainHpn(o, std::cerr);
  const torch::jit::Module init = loadHpn(o.initPath);
  const torch::jit::Module trained = loadHpn(o.outPath);
  int frozen = 0, moved = 0;
  for (const auto& p : init.named_parameters(/*recurse=*/false)) {
    const torch::Tensor after = trained.attr(p.name).toTensor();
    if (p.name.rfind("pitch_", 0) == 0) {
      EXPECT_TRUE(torch::equal(after, p.value)) << p.name;
      ++frozen;
    } else if (p.name != "tw" && p.name != "tb") {  // the f0 fine tuning: off (tune_cents 0)
      EXPECT_FALSE(torch::equal(after, p.value)) << p.name;
      ++moved;
    }
  }
  EXPECT_EQ(frozen, 8);
  EXPECT_EQ(moved, 8);

  TrainOptions plain = o;
  plain.decodedBy.clear();
  plain.outPath = dir.file("plain.pt");
  trainHpn(plain, std::cerr);
  EXPECT_FALSE(torch::equal(loadHpn(plain.outPath).attr("cw_in").toTensor(),
                            trained.attr("cw_in").toTensor()));
}

TEST(TrainHpn, DecodedByNeedsAnInitFileAndNoPitchShift) {
  testing::TempDir dir;
  TrainOptions o = pitchOnlyOptions(dir);
  o.pitchOnly = false;
  o.decodedBy = dir.file("generative.pt");
  const auto refusal = [&](const TrainOptions& t) {
    try {
      trainHpn(t, std::cerr);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no refusal");
  };
  TrainOptions noInit = o;
  noInit.initPath.clear();
  EXPECT_EQ(refusal(noInit),
            "--decoded-by needs --init: the hpn.pt to train on the decoder's mels");
  TrainOptions shifted = o;
  shifted.pitchShift = 1;
  EXPECT_EQ(refusal(shifted),
            "--decoded-by needs --pitch-shift 0: a moved note's mel would be the dataset's, not "
            "the decoder's");
  TrainOptions both = o;
  both.pitchOnly = true;
  EXPECT_EQ(refusal(both),
            "--decoded-by trains the synthesis, --pitch-only the pitch estimate: not both");
}

}  // namespace
}  // namespace wae::hpn

#include "tools/inversion/inverter.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/errors.h"
#include "common/testing/temp_dir.h"
#include "tools/hpn/hpn_model.h"
#include "tools/mcnn/mcnn_model.h"

namespace wae::inversion {
namespace {

using testing::TempDir;

// A small untrained MCNN for `s`, saved as `name` in `tmp`; returns its path.
std::string writeMcnn(const TempDir& tmp, const std::string& name, AudioSettings s) {
  mcnn::McnnConfig c;
  c.heads = 2;
  c.widths = {4, 4, 2, 2, 2, 2, 2, 1};
  torch::manual_seed(1);
  torch::jit::Module m =
      mcnn::makeMcnnModule(c, s, torch::zeros({s.nMels}), torch::ones({s.nMels}));
  const std::string path = tmp.file(name);
  m.save(path);
  return path;
}

TEST(Inverter, GriffinLimSpecs) {
  InverterInfo info;
  torch::jit::Module a = makeInverter("griffin-lim:5", AudioSettings{}, "model.pt", &info);
  EXPECT_EQ(info.kind, "griffin-lim");
  EXPECT_EQ(a.attr("iterations").toInt(), 5);
  EXPECT_EQ(info.description.rfind("griffin-lim:5 (nnls", 0), 0u) << info.description;
  makeInverter("griffin-lim", AudioSettings{}, "model.pt", &info);
  EXPECT_EQ(info.description.rfind("griffin-lim:32", 0), 0u) << info.description;
  for (const char* bad : {"griffin-lim:", "griffin-lim:0", "griffin-lim:x", "griffin-lim:3x"}) {
    try {
      makeInverter(bad, AudioSettings{}, "model.pt");
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("expected griffin-lim:N"), std::string::npos)
          << e.what();
    }
  }
}

TEST(Inverter, LoadsAnMcnnOfTheSameSettingsAnyLength) {
  const TempDir tmp;
  const std::string path = writeMcnn(tmp, "same.pt", AudioSettings{});
  AudioSettings shorter;
  shorter.nFrames = 64;
  shorter.nSamples = 64 * 256;
  InverterInfo info;
  torch::jit::Module m = makeInverter(path, shorter, "model.pt", &info);
  EXPECT_EQ(info.kind, "mcnn");
  torch::NoGradGuard noGrad;
  EXPECT_EQ(m.forward({torch::rand({1, 80, 64})}).toTensor().size(1), 64 * 256);
}

TEST(Inverter, LoadsAnHpnByItsFormat) {
  const TempDir tmp;
  const AudioSettings s;
  const std::string path = tmp.file("hpn.pt");
  hpn::makeHpnModule(hpn::HpnConfig{}, s, torch::zeros({s.nMels}), torch::ones({s.nMels}))
      .save(path);
  InverterInfo info;
  torch::jit::Module m = makeInverter(path, s, "the dataset", &info);
  EXPECT_EQ(info.kind, "hpn");
  EXPECT_EQ(info.description, path + " (harmonic-plus-noise, epoch 0)");
  torch::NoGradGuard g;
  EXPECT_EQ(m.forward({torch::rand({1, s.nMels, 7})}).toTensor().size(1), 7 * s.hopLength);
  AudioSettings other = s;
  other.sampleRate = 44100;
  EXPECT_THROW(makeInverter(path, other, "the dataset", nullptr), FormatError);
}

TEST(Inverter, RefusesAnMcnnOfAnotherSampleRate) {
  const TempDir tmp;
  AudioSettings s16;
  s16.sampleRate = 16000;
  s16.fMaxHz = 8000;
  const std::string path = writeMcnn(tmp, "16k.pt", s16);
  try {
    makeInverter(path, AudioSettings{}, "out/model.pt");
    FAIL();
  } catch (const FormatError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("trained for other audio settings than out/model.pt"), std::string::npos) << m;
    EXPECT_NE(m.find("sample_rate"), std::string::npos) << m;
    EXPECT_NE(m.find("16000"), std::string::npos) << m;
    EXPECT_NE(m.find("22050"), std::string::npos) << m;
  }
}

TEST(Inverter, MissingMcnnNamesTheFile) {
  const TempDir tmp;
  try {
    makeInverter(tmp.file("nothing.pt"), AudioSettings{}, "model.pt");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("nothing.pt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae::inversion

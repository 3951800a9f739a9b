#include "tools/mcnn/mcnn_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "common/errors.h"
#include "tools/mcnn/mcnn_schema.h"
#include "tools/torchscript/attributes.h"
#include "tools/training/training_util.h"

namespace wae::mcnn {
namespace {

namespace fs = std::filesystem;

std::string tempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return (fs::path(dir ? dir : fs::temp_directory_path().string()) / name).string();
}

torch::jit::Module smallModel(McnnConfig c = {}, AudioSettings s = {}) {
  torch::manual_seed(3);
  return makeMcnnModule(c, s, torch::full({s.nMels}, -5.0), torch::full({s.nMels}, 2.0));
}

McnnConfig tinyConfig() {
  McnnConfig c;
  c.heads = 3;
  c.widths = {6, 4, 4, 3, 2, 2, 2, 1};
  c.kernelWidth = 9;
  c.contextFrames = 2;
  return c;
}

// The polyphase layer computes exactly torch's transposed convolution (stride 2, padding
// (K - 1) / 2, output padding 1), grouped or not, for every kernel width the model allows.
TEST(McnnModel, PolyphaseLayerEqualsConvTranspose1d) {
  torch::jit::Module m = smallModel();
  torch::manual_seed(11);
  for (int k : {5, 9, 13, 17}) {
    for (int groups : {1, 3}) {
      const int cin = 4, cout = 5, frames = 17;
      const torch::Tensor x = torch::randn({2, groups * cin, frames});
      const torch::Tensor w = torch::randn({groups * cin, cout, k});
      const torch::Tensor b = torch::randn({groups * cout});
      const torch::Tensor ref = torch::conv_transpose1d(x, w, b, /*stride=*/2,
                                                        /*padding=*/(k - 1) / 2,
                                                        /*output_padding=*/1, groups);
      const torch::Tensor got =
          m.run_method(method::kUpsample, x, w, b, int64_t{groups}).toTensor();
      ASSERT_EQ(got.sizes(), ref.sizes()) << "k " << k << " groups " << groups;
      EXPECT_EQ(ref.size(2), 2 * frames);
      EXPECT_LT((got - ref).abs().max().item<double>(), 1e-4) << "k " << k << " groups " << groups;
    }
  }
}

// The gradient flows through the polyphase weights to the transposed-convolution layout.
TEST(McnnModel, PolyphaseLayerGradientEqualsConvTranspose1d) {
  torch::jit::Module m = smallModel();
  torch::manual_seed(12);
  const torch::Tensor x = torch::randn({1, 6, 9});
  const torch::Tensor w1 = torch::randn({6, 2, 13}).requires_grad_(true);
  const torch::Tensor w2 = w1.detach().clone().requires_grad_(true);
  const torch::Tensor b = torch::zeros({4});
  const torch::Tensor target = torch::randn({1, 4, 18});
  (m.run_method(method::kUpsample, x, w1, b, int64_t{2}).toTensor() * target).sum().backward();
  (torch::conv_transpose1d(x, w2, b, 2, 6, 1, 2) * target).sum().backward();
  EXPECT_LT((w1.grad() - w2.grad()).abs().max().item<double>(), 1e-4);
}

TEST(McnnModel, ShapesAndAttributes) {
  const McnnConfig c = tinyConfig();
  torch::jit::Module m = smallModel(c);
  torch::NoGradGuard noGrad;
  for (int frames : {1, 5, 128}) {
    const torch::Tensor mel = torch::rand({2, 80, frames});
    const torch::Tensor wave = m.forward({mel}).toTensor();
    EXPECT_EQ(wave.sizes(), (std::vector<int64_t>{2, 256 * frames}));
    EXPECT_TRUE(torch::isfinite(wave).all().item<bool>());
    EXPECT_LE(wave.abs().max().item<double>(), 1.0 + 1e-6);  // a / |b| with a = b = 1
    EXPECT_EQ(m.run_method(method::kSynthesize, mel).toTensor().size(1), 256 * frames);
  }
  const McnnInfo info = checkMcnnModule(m, "mem");
  EXPECT_EQ(info.config.heads, 3);
  EXPECT_EQ(info.config.widths, c.widths);
  EXPECT_EQ(info.config.kernelWidth, 9);
  EXPECT_EQ(info.config.contextFrames, 2);
  EXPECT_EQ(info.settings.sampleRate, 22050);
  EXPECT_EQ(info.epoch, 0);
  EXPECT_EQ(torchscript::getString(m, "format", "mem"), kFormatName);
  // 8 layers of weights and biases, the head gains and the two softsign scalars.
  EXPECT_EQ(training::trainableParameters(m).size(), 19u);
}

// forward pads context_frames of silence and trims them: the same as synthesize on the
// padded mel, and each output sample depends only on nearby frames (fully convolutional).
TEST(McnnModel, ForwardIsSynthesizeOfPaddedMel) {
  torch::jit::Module m = smallModel(tinyConfig());
  torch::NoGradGuard noGrad;
  const torch::Tensor mel = torch::rand({1, 80, 20});
  const torch::Tensor padded = torch::constant_pad_nd(mel, {2, 2}, 0.0);
  const torch::Tensor a = m.forward({mel}).toTensor();
  const torch::Tensor b =
      m.run_method(method::kSynthesize, padded).toTensor().narrow(1, 2 * 256, 20 * 256);
  EXPECT_TRUE(torch::allclose(a, b, 1e-6, 1e-6));
  // Changing the last frame leaves the first half of the wave unchanged.
  torch::Tensor changed = mel.clone();
  changed.select(2, 19).fill_(3.0);
  const torch::Tensor c = m.forward({changed}).toTensor();
  EXPECT_TRUE(torch::equal(a.narrow(1, 0, 2560), c.narrow(1, 0, 2560)));
  EXPECT_FALSE(torch::equal(a, c));
}

// A property of the architecture (docs/INVERSION.md, "What limits the MCNN here"): every
// layer maps a shift of one input step to a shift of two output samples, so a mel that does
// not change from frame to frame gives, away from the ends, a wave that repeats every hop:
// the network alone cannot hold a pitch that is not a multiple of sample_rate / hop.
TEST(McnnModel, StationaryMelGivesHopPeriodicWave) {
  torch::jit::Module m = smallModel();  // the default size
  torch::NoGradGuard noGrad;
  const torch::Tensor column = torch::rand({1, 80, 1});
  const torch::Tensor wave = m.forward({column.expand({1, 80, 64}).contiguous()}).toTensor();
  // Frames 24..40 are more than the receptive field away from both ends.
  const torch::Tensor a = wave.narrow(1, 24 * 256, 16 * 256);
  const torch::Tensor b = wave.narrow(1, 25 * 256, 16 * 256);
  EXPECT_GT(a.abs().max().item<double>(), 1e-3);
  EXPECT_LT((a - b).abs().max().item<double>(), 1e-5 * (1 + a.abs().max().item<double>()));
}

TEST(McnnModel, RefusesMelWithWrongBandCount) {
  torch::jit::Module m = smallModel(tinyConfig());
  try {
    m.forward({torch::rand({1, 64, 10})});
    FAIL() << "a 64-band mel was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("mcnn.pt: forward expects an amplitude mel [batch, 80 "
                                         "bands, frames]"),
              std::string::npos)
        << e.what();
  }
}

TEST(McnnModel, SaveLoadRoundTrip) {
  const std::string path = tempPath("mcnn.pt");
  torch::jit::Module m = smallModel(tinyConfig());
  setEpoch(m, 7);
  m.save(path);
  McnnInfo info;
  torch::jit::Module loaded = loadMcnn(path, &info);
  EXPECT_EQ(info.epoch, 7);
  torch::NoGradGuard noGrad;
  const torch::Tensor mel = torch::rand({2, 80, 6});
  EXPECT_TRUE(torch::equal(m.forward({mel}).toTensor(), loaded.forward({mel}).toTensor()));
}

TEST(McnnModel, ValidateNamesTheBadField) {
  const AudioSettings s;
  auto message = [&](McnnConfig c) {
    try {
      validate(c, s);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  McnnConfig c;
  c.widths = {8, 4, 2, 1};
  EXPECT_NE(message(c).find("hop_length 256 needs 8 layers, got 4 widths"), std::string::npos);
  c = {};
  c.widths.back() = 2;
  EXPECT_NE(message(c).find("last MCNN width must be 1"), std::string::npos);
  c = {};
  c.kernelWidth = 11;
  EXPECT_NE(message(c).find("got 11"), std::string::npos);
  c = {};
  EXPECT_EQ(message(c), "");
}

// The TorchScript source is the same for every depth and names the parameters of
// kMaxLayers layers: a module that deep runs every layer (2^kMaxLayers samples per frame,
// the same wave as torch's transposed convolutions layer by layer), and a deeper one is
// refused.
TEST(McnnModel, RunsEveryLayerUpToTheMost) {
  AudioSettings s;
  s.hopLength = 1 << kMaxLayers;
  s.nFrames = 1;
  s.nSamples = s.hopLength;
  McnnConfig c;
  c.heads = 2;
  c.widths.assign(kMaxLayers, 1);
  c.kernelWidth = 5;
  c.contextFrames = 0;
  torch::jit::Module m = smallModel(c, s);
  torch::NoGradGuard noGrad;
  const torch::Tensor mel = torch::rand({1, 80, 2});
  const torch::Tensor wave = m.forward({mel}).toTensor();
  ASSERT_EQ(wave.sizes(), (std::vector<int64_t>{1, int64_t{2} << kMaxLayers}));

  auto param = [&](const std::string& name) { return m.attr(name).toTensor(); };
  torch::Tensor h = ((torch::log(mel + c.logEps) - param("log_mean").view({1, -1, 1})) /
                     param("log_std").view({1, -1, 1}))
                        .repeat({1, c.heads, 1});
  for (int l = 0; l < kMaxLayers; ++l) {
    h = torch::conv_transpose1d(h, param("w" + std::to_string(l)), param("b" + std::to_string(l)),
                                /*stride=*/2, /*padding=*/2, /*output_padding=*/1, c.heads);
    if (l + 1 < kMaxLayers) h = torch::elu(h);
  }
  const torch::Tensor y = (h * param("head_gain").view({1, -1, 1})).sum(1);
  const torch::Tensor ref = param("out_a") * y / (1.0 + torch::abs(param("out_b") * y));
  const double peak = ref.abs().max().item<double>();
  EXPECT_GT(peak, 0.0);
  EXPECT_LT((wave - ref).abs().max().item<double>(), 1e-4 * peak);

  s.hopLength *= 2;
  s.nSamples = s.hopLength;
  c.widths.push_back(1);
  try {
    validate(c, s);
    FAIL() << "a module of " << c.widths.size() << " layers was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "the MCNN has at most 16 layers, so hop_length must be at most 65536, got 131072");
  }
}

TEST(McnnModel, LoadRefusesAnotherFormat) {
  const std::string path = tempPath("not_mcnn.pt");
  torch::jit::Module m = smallModel(tinyConfig());
  torchscript::setFormat(m, "wae-sampler-model", 1);
  m.save(path);
  try {
    loadMcnn(path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("attribute format: found \"wae-sampler-model\", "
                                         "expected \"wae-sampler-mcnn\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace wae::mcnn

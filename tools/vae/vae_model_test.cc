// The model.pt module: shapes, the contract's methods and attributes, the save/load round
// trip, and that it trains through module.parameters().
#include "tools/vae/vae_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/errors.h"
#include "tools/torchscript/attributes.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_schema.h"

namespace wae::vae {
namespace {

std::string tmpPath(const std::string& name) { return ::testing::TempDir() + "/" + name; }

torch::jit::Module smallModel(int channels = 4, int latent = 3) {
  torch::manual_seed(7);
  const AudioSettings s;
  VaeConfig c;
  c.channels = channels;
  c.latentDim = latent;
  return makeVaeModule(c, s, torch::full({s.nMels}, -4.0), torch::full({s.nMels}, 2.0));
}

torch::Tensor randomMels(int batch) {
  torch::manual_seed(11);
  return torch::rand({batch, 80, 128}) * torch::rand({batch, 80, 1});
}

TEST(VaeModel, ShapesAndPositiveOutput) {
  torch::jit::Module m = smallModel();
  const torch::Tensor mel = randomMels(3);
  auto enc = m.run_method("encode", mel).toTuple();
  EXPECT_EQ(enc->elements()[0].toTensor().sizes(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(enc->elements()[1].toTensor().sizes(), (std::vector<int64_t>{3, 3}));
  const torch::Tensor out = m.forward({mel}).toTensor();
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{3, 80, 128}));
  EXPECT_TRUE((out > 0).all().item<bool>());
  const torch::Tensor z = torch::randn({5, 3});
  const torch::Tensor dec = m.run_method("decode", z).toTensor();
  EXPECT_TRUE(torch::equal(dec, torch::exp(m.run_method("decode_log", z).toTensor())));
  // forward is decode of the mean.
  EXPECT_TRUE(torch::equal(out, m.run_method("decode", enc->elements()[0]).toTensor()));
  // log_mel is the input compression.
  EXPECT_TRUE(torch::allclose(m.run_method("log_mel", mel).toTensor(), torch::log(mel + 1e-4)));
}

// With a loudness axis, encode's mu[:, 1] is the note's loudness, measured: the mean mel
// power of its loudest frame in dB, (dB + 35) / 6 (here computed independently, in double);
// the other axes are the encoder's. The axis survives save and load; it needs the pitch axis
// and a third dimension.
TEST(VaeModel, LoudnessAxisIsTheMelsMeasuredLoudness) {
  const AudioSettings s;
  VaeConfig c;
  c.channels = 4;
  c.latentDim = 4;
  c.pitchAxis = true;
  torch::manual_seed(7);
  torch::jit::Module plain =
      makeVaeModule(c, s, torch::full({s.nMels}, -4.0), torch::full({s.nMels}, 2.0));
  c.loudnessAxis = true;
  torch::manual_seed(7);
  torch::jit::Module m =
      makeVaeModule(c, s, torch::full({s.nMels}, -4.0), torch::full({s.nMels}, 2.0));
  torch::Tensor mel = randomMels(3);
  mel[1] = mel[0] * 0.01;  // the same note 40 dB quieter
  const torch::Tensor mu = m.run_method("encode", mel).toTuple()->elements()[0].toTensor();
  const torch::Tensor frames = mel.to(torch::kFloat64).pow(2).mean(1);  // [3, n_frames]
  for (int b = 0; b < 3; ++b) {
    const double db = 10.0 * std::log10(frames[b].max().item<double>() + 1e-10);
    EXPECT_NEAR(mu[b][1].item<double>(), (db + 35.0) / 6.0, 1e-4) << b;
  }
  EXPECT_NEAR((mu[0][1] - mu[1][1]).item<double>(), 40.0 / 6.0, 1e-3);
  EXPECT_TRUE(torch::equal(m.run_method("loudness", mel).toTensor(), mu.select(1, 1)));
  // The other axes: the same encoder's (same seed, same weights).
  const torch::Tensor muPlain = plain.run_method("encode", mel).toTuple()->elements()[0].toTensor();
  EXPECT_TRUE(torch::equal(mu.select(1, 0), muPlain.select(1, 0)));
  EXPECT_TRUE(torch::equal(mu.slice(1, 2), muPlain.slice(1, 2)));
  EXPECT_FALSE(torch::allclose(mu.select(1, 1), muPlain.select(1, 1)));

  const std::string path = tmpPath("loudness.pt");
  m.save(path);
  VaeInfo info;
  torch::jit::Module loaded = loadVae(path, &info);
  EXPECT_TRUE(info.config.loudnessAxis);
  EXPECT_EQ(info.loudnessCenter, -35.0);
  EXPECT_EQ(info.loudnessScale, 6.0);
  EXPECT_TRUE(torch::equal(
      loaded.run_method("encode", mel).toTuple()->elements()[0].toTensor().select(1, 1),
      mu.select(1, 1)));

  VaeConfig noPitch = c;
  noPitch.pitchAxis = false;
  EXPECT_THROW(validate(noPitch, s), std::invalid_argument);
  VaeConfig small = c;
  small.latentDim = 2;
  EXPECT_THROW(validate(small, s), std::invalid_argument);
}

TEST(VaeModel, WrongInputShapeIsAClearError) {
  torch::jit::Module m = smallModel();
  try {
    m.run_method("encode", torch::rand({2, 64, 128}));
    FAIL() << "no error";
  } catch (const std::exception& e) {  // torch::jit::JITException
    EXPECT_NE(std::string(e.what()).find("encode expects mel [batch, n_mels, n_frames]"),
              std::string::npos);
  }
  EXPECT_THROW(m.run_method("decode", torch::rand({2, 4})), std::exception);
}

TEST(VaeModel, SaveLoadRoundTripGivesIdenticalOutputsAndAttributes) {
  torch::jit::Module m = smallModel();
  setTrainingInfo(m, "mmd-imq", 250.0, "l2", 7);
  const std::string path = tmpPath("model.pt");
  m.save(path);
  VaeInfo info;
  torch::jit::Module loaded = loadVae(path, &info);
  const torch::Tensor mel = randomMels(4);
  EXPECT_TRUE(torch::equal(m.forward({mel}).toTensor(), loaded.forward({mel}).toTensor()));
  const torch::Tensor z = torch::randn({2, 3});
  EXPECT_TRUE(torch::equal(m.run_method("decode", z).toTensor(),
                           loaded.run_method("decode", z).toTensor()));
  EXPECT_EQ(info.config.latentDim, 3);
  EXPECT_EQ(info.config.channels, 4);
  EXPECT_EQ(info.config.logEps, 1e-4);
  EXPECT_EQ(info.regularizer, "mmd-imq");
  EXPECT_EQ(info.weight, 250.0);
  EXPECT_EQ(info.reconLoss, "l2");
  EXPECT_EQ(info.epoch, 7);
  EXPECT_EQ(describeMismatch(AudioSettings{}, "design", info.settings, "model"), "");
  EXPECT_EQ(torchscript::getString(loaded, "format", path), "wae-sampler-model");
}

// Every leaky ReLU of encode and decode takes its slope from the leaky_slope attribute
// (0.2): with the slope set to 1 both are affine (mu in the normalised log-mel, decode_log
// in z), which a single activation left at another slope would break.
TEST(VaeModel, EveryActivationReadsTheLeakySlopeAttribute) {
  torch::jit::Module m = smallModel();
  EXPECT_EQ(torchscript::getDouble(m, attr::kLeakySlope, "mem"), 0.2);
  torch::NoGradGuard noGrad;
  torch::manual_seed(5);
  const torch::Tensor z1 = torch::randn({2, 3}), z2 = torch::randn({2, 3});
  const torch::Tensor zero = torch::zeros({2, 3});
  auto decodeLog = [&](const torch::Tensor& z) { return m.run_method("decode_log", z).toTensor(); };
  // The mel whose normalised log is x (log_mean -4, log_std 2, log_eps 1e-4).
  auto mu = [&](const torch::Tensor& x) {
    const torch::Tensor mel = torch::exp(x * 2.0 - 4.0) - 1e-4;
    return m.run_method("encode", mel).toTuple()->elements()[0].toTensor();
  };
  const torch::Tensor x1 = torch::rand({2, 80, 128}), x2 = torch::rand({2, 80, 128});
  const torch::Tensor x0 = torch::zeros({2, 80, 128});
  auto nonAffinity = [](const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& ab,
                        const torch::Tensor& origin) {
    return ((a + b - ab - origin).abs().max() / ab.abs().max()).item<double>();
  };
  EXPECT_GT(nonAffinity(decodeLog(z1), decodeLog(z2), decodeLog(z1 + z2), decodeLog(zero)), 1e-3);
  EXPECT_GT(nonAffinity(mu(x1), mu(x2), mu(x1 + x2), mu(x0)), 1e-3);
  m.setattr(attr::kLeakySlope, 1.0);
  EXPECT_LT(nonAffinity(decodeLog(z1), decodeLog(z2), decodeLog(z1 + z2), decodeLog(zero)), 1e-4);
  EXPECT_LT(nonAffinity(mu(x1), mu(x2), mu(x1 + x2), mu(x0)), 1e-4);
}

// decode_log against the architecture's plain definition in LibTorch's own layers:
// torch::pixel_shuffle after each level and a 3x3 convolution (padding 1) to one channel at
// the end, which the methods compute another way (a view and permutation; nine taps).
torch::Tensor plainDecodeLog(const torch::jit::Module& m, const torch::Tensor& z) {
  auto p = [&](const std::string& name) { return m.attr(name).toTensor(); };
  const double slope = m.attr(attr::kLeakySlope).toDouble();
  torch::Tensor h = torch::leaky_relu(torch::addmm(p("dec_in_b"), z, p("dec_in_w").t()), slope);
  h = h.view({z.size(0), -1, 80 / 16, 128 / 16});
  for (int i = 0; i < kLevels; ++i) {
    const std::string level = "dec" + std::to_string(i);
    h = torch::leaky_relu(
        torch::pixel_shuffle(torch::conv2d(h, p(level + "_w"), p(level + "_b"), 1, 1), 2), slope);
  }
  const torch::Tensor y = torch::conv2d(h, p("out_w"), p("out_b"), 1, 1).squeeze(1);
  return y * p(attr::kLogStd).view({1, -1, 1}) + p(attr::kLogMean).view({1, -1, 1});
}

TEST(VaeModel, DecodeIsTheArchitecturesPlainDefinition) {
  torch::jit::Module m = smallModel(6, 3);
  torch::NoGradGuard noGrad;
  torch::manual_seed(3);
  // Random biases too, so that the last convolution's bias and borders are exercised.
  for (const auto& p : m.named_parameters(false)) p.value.uniform_(-0.3, 0.3);
  const torch::Tensor z = torch::randn({3, 3});
  const torch::Tensor mine = m.run_method("decode_log", z).toTensor();
  const torch::Tensor plain = plainDecodeLog(m, z);
  EXPECT_EQ(mine.sizes(), plain.sizes());
  EXPECT_LT((mine - plain).abs().max().item<double>(), 1e-5 * plain.abs().max().item<double>());
  // One tap of the last convolution moved: the plain definition moves with it.
  m.attr("out_w").toTensor()[0][2][0][2] += 1.0;
  EXPECT_GT((m.run_method("decode_log", z).toTensor() - mine).abs().max().item<double>(), 1e-3);
  EXPECT_LT(
      (m.run_method("decode_log", z).toTensor() - plainDecodeLog(m, z)).abs().max().item<double>(),
      1e-5 * plain.abs().max().item<double>());
}

// A model.pt saved with other code for its methods (here decode_log giving 0) loads with its
// weights and attributes under this build's methods.
TEST(VaeModel, LoadRunsThisBuildsMethodsOnTheFilesWeights) {
  torch::jit::Module m = smallModel();
  setTrainingInfo(m, "kl", 0.5, "l1", 12);
  torch::jit::Module old("WaeSamplerVae");
  for (const auto& p : m.named_parameters(false)) old.register_parameter(p.name, p.value, false);
  for (const auto& b : m.named_buffers(false)) old.register_buffer(b.name, b.value);
  for (const auto& a : m.named_attributes(false))
    if (!a.value.isTensor())
      old.register_attribute(a.name, m.type()->getAttribute(a.name), a.value);
  old.define(R"(
def encode(self, mel: Tensor) -> Tuple[Tensor, Tensor]:
    return torch.zeros(mel.size(0), 3), torch.zeros(mel.size(0), 3)
def decode_log(self, z: Tensor) -> Tensor:
    return torch.zeros(z.size(0), 80, 128)
def decode(self, z: Tensor) -> Tensor:
    return torch.exp(self.decode_log(z))
def forward(self, mel: Tensor) -> Tensor:
    return self.decode(self.encode(mel)[0])
def log_mel(self, mel: Tensor) -> Tensor:
    return mel
)");
  const std::string path = tmpPath("old_methods.pt");
  old.save(path);
  VaeInfo info;
  torch::jit::Module loaded = loadVae(path, &info);
  const torch::Tensor z = torch::randn({2, 3});
  EXPECT_TRUE(torch::equal(loaded.run_method("decode_log", z).toTensor(),
                           m.run_method("decode_log", z).toTensor()));
  EXPECT_EQ(info.epoch, 12);
  EXPECT_EQ(torchscript::getInt(loaded, attr::kEpoch, path), 12);
  EXPECT_EQ(torchscript::getString(loaded, attr::kRegularizer, path), "kl");
  EXPECT_EQ(torchscript::getDouble(loaded, attr::kWeight, path), 0.5);
}

TEST(VaeModel, LoadRefusesAModuleWithoutTheContract) {
  torch::jit::Module m = smallModel();
  torchscript::setInt(m, "format_version", 2);
  const std::string path = tmpPath("v2.pt");
  m.save(path);
  try {
    loadVae(path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": attribute format_version: found 2, expected 1");
  }
  torch::jit::Module other("Other");
  torchscript::setFormat(other, kFormatName, kFormatVersion);
  other.define("def forward(self, x: Tensor) -> Tensor:\n    return x\n");
  const std::string otherPath = tmpPath("other.pt");
  other.save(otherPath);
  try {
    loadVae(otherPath);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              otherPath + ": method encode: found nothing, expected a TorchScript method");
  }
}

TEST(VaeModel, TrainsThroughItsParameters) {
  torch::jit::Module m = smallModel();
  const auto params = training::trainableParameters(m);
  ASSERT_EQ(params.size(), 24u);  // 4 enc, 2 heads, dec_in, 4 dec, out: weight and bias
  for (const auto& p : params) EXPECT_TRUE(p.requires_grad());
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
  const torch::Tensor mel = randomMels(4);
  const torch::Tensor target = torch::log(mel + 1e-4);
  double first = 0, last = 0;
  for (int step = 0; step < 15; ++step) {
    auto enc = m.run_method("encode", mel).toTuple();
    const torch::Tensor pred = m.run_method("decode_log", enc->elements()[0]).toTensor();
    const torch::Tensor loss = (pred - target).abs().mean();
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  EXPECT_LT(last, 0.9 * first);
}

TEST(VaeModel, RefusesSettingsItCannotHalveFourTimes) {
  AudioSettings s;
  s.nMels = 72;
  try {
    makeVaeModule(VaeConfig{}, s, torch::zeros({72}), torch::ones({72}));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "the model needs n_mels and n_frames that are multiples of 16, got 72 and 128");
  }
}

TEST(VaeModel, LogMelStatisticsPerBand) {
  torch::Tensor mels = torch::ones({2, 80, 4});
  mels.select(1, 3).fill_(std::exp(1.0) - 1e-4);
  mels[1].select(0, 5).fill_(std::exp(2.0) - 1e-4);
  const auto [mean, std] = logMelStatistics(mels, 1e-4);
  EXPECT_NEAR(mean[3].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(mean[0].item<double>(), std::log(1.0 + 1e-4), 1e-6);
  EXPECT_NEAR(mean[5].item<double>(), (std::log(1.0 + 1e-4) + 2.0) / 2, 1e-6);
  EXPECT_NEAR(std[5].item<double>(), 1.0, 1e-6);  // (2 - log(1 + 1e-4)) / 2, floored
  mels[1].select(0, 6).fill_(std::exp(4.0) - 1e-4);
  EXPECT_NEAR(logMelStatistics(mels, 1e-4).second[6].item<double>(),
              (4.0 - std::log(1.0 + 1e-4)) / 2, 1e-6);
  EXPECT_NEAR(std[3].item<double>(), 1.0, 1e-9);  // the floor for a constant band
}

}  // namespace
}  // namespace wae::vae

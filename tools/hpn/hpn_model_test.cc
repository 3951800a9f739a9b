#include "tools/hpn/hpn_model.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "common/errors.h"
#include "common/testing/temp_dir.h"
#include "tools/audio/spectrogram.h"
#include "tools/hpn/hpn_schema.h"

namespace wae::hpn {
namespace {

constexpr double kTwoPi = 6.283185307179586;

struct Fixture {
  AudioSettings settings;
  HpnConfig config;
  torch::jit::Module module;
  explicit Fixture(HpnConfig c = {}) : config(c) {
    torch::manual_seed(1);
    module = makeHpnModule(config, settings, torch::zeros({settings.nMels}),
                           torch::ones({settings.nMels}));
    module.eval();
  }
  // Flat envelopes: every harmonic at amplitude `amp`, noise at exp(noiseLog).
  void setFlat(double amp, double noiseLog) {
    torch::NoGradGuard g;
    module.attr("hw").toTensor().zero_();
    module.attr("hb").toTensor().fill_(std::log(amp));
    module.attr("nw").toTensor().zero_();
    module.attr("nb").toTensor().fill_(noiseLog);
  }
  torch::Tensor synthesize(const torch::Tensor& mel, double f0) {
    torch::NoGradGuard g;
    return module.run_method(method::kSynthesize, mel, torch::full({mel.size(0)}, f0)).toTensor();
  }
};

// A flat harmonic envelope gives exactly amp * sum_k sin(2 pi k f0 n / sr) over the
// harmonics below 0.95 Nyquist, phases zero at the note's first sample (after the context
// that pad adds and trim takes off): the partials sit at multiples of f0, whatever the hop,
// and a note of f0 read at the rate f / f0 is in phase with the note of f at every sample
// (two notes a semitone apart checked).
TEST(HpnModel, HarmonicPartExactlyTheSumOfHarmonicsFromPhaseZero) {
  Fixture f;
  f.setFlat(0.01, -60.0);
  const int sr = f.settings.sampleRate;
  for (const double f0 : {311.0, 311.0 * std::pow(2.0, 1.0 / 12.0)}) {
    torch::NoGradGuard g;
    const torch::Tensor padded = f.module.run_method("pad", torch::ones({1, 80, 32})).toTensor();
    const torch::Tensor wave =
        f.module.run_method("trim", f.synthesize(padded, f0), int64_t(32)).toTensor();
    ASSERT_EQ(wave.size(1), 32 * 256);
    const int audible = int(std::ceil(0.95 * sr / 2 / f0)) - 1;
    auto w = wave.accessor<float, 2>();
    double maxErr = 0;
    for (int n = 0; n < 32 * 256; ++n) {
      double expected = 0;
      for (int k = 1; k <= audible; ++k) expected += 0.01 * std::sin(kTwoPi * k * f0 * n / sr);
      maxErr = std::max(maxErr, std::abs(expected - w[0][n]));
    }
    EXPECT_LT(maxErr, 2e-4) << f0 << " Hz, " << audible << " harmonics";
  }
}

// Only the harmonics below 0.95 Nyquist for the batch's lowest f0 are computed: a high note
// alone (10 harmonics) sounds as it does beside a low one (all 128), sample for sample.
TEST(HpnModel, HighNoteAloneSoundsAsInALowNotesBatch) {
  Fixture f;
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({2, 80, 24}) + 0.01;
  const torch::Tensor high = mel.narrow(0, 1, 1);
  const auto alone =
      f.module.run_method(method::kSynthesize, high, torch::full({1}, 1000.0)).toTensor();
  const auto both =
      f.module.run_method(method::kSynthesize, mel, torch::tensor({65.0, 1000.0})).toTensor();
  const auto count = [&](std::vector<double> f0) {
    return f.module.run_method("harmonic_numbers", torch::tensor(f0)).toTensor().size(0);
  };
  EXPECT_EQ(count({1000.0}), 10);  // 10,000 Hz < 0.95 * 11,025 <= 11,000 Hz
  EXPECT_EQ(count({65.0, 1000.0}), 128);
  EXPECT_EQ(count({0.0}), 128);
  ASSERT_GT(alone.abs().max().item<double>(), 1e-3);
  EXPECT_LT((both[1] - alone[0]).abs().max().item<double>(),
            1e-5 * alone.abs().max().item<double>());
}

// The noise part is the inverse STFT of the fixed noise's STFT times the envelope's gains,
// computed by irfft and the model's own overlap-add: it equals torch::istft on the same
// filtered spectrum.
TEST(HpnModel, NoisePartIsTheInverseStftOfTheFilteredNoise) {
  Fixture f;
  torch::NoGradGuard g;
  const int64_t frames = 40, nFft = f.settings.nFft, hop = f.settings.hopLength;
  const torch::Tensor env = torch::randn({2, f.config.envBins, frames}) - 3.0;
  const auto got = f.module.run_method("noise", env).toTensor();
  ASSERT_EQ(got.sizes(), torch::IntArrayRef({2, frames * hop}));
  const torch::Tensor window = f.module.attr("synth_window").toTensor();
  const torch::Tensor signal = f.module.attr("noise_signal").toTensor().narrow(0, 0, frames * hop);
  const auto spec =
      torch::stft(signal, nFft, hop, nFft, window, true, "reflect", false, true, true);
  torch::Tensor gain = torch::matmul(f.module.attr("noise_interp").toTensor(), torch::exp(env));
  gain = torch::cat({gain, gain.narrow(2, frames - 1, 1)}, 2);
  const auto expected = torch::istft(spec.unsqueeze(0) * gain, nFft, hop, nFft, window, true, false,
                                     true, frames * hop);
  EXPECT_LT((got - expected).abs().max().item<double>(),
            1e-5 * expected.abs().max().item<double>());
}

// The fine-tuning head moves every partial by the same ratio: with its bias at atanh(0.5) the
// note sounds tune_cents / 2 above the f0 it was given, still exactly harmonic from phase 0
// (at the sample after the context: here synthesize's output keeps the context), and pitch_hz
// reports that tuned f0. The spectral loss reaches the head through the frames' own phase
// progression: its gradient is finite and non-zero.
TEST(HpnModel, FineTuningShiftsEveryPartialAndLearns) {
  HpnConfig c;
  c.tuneCents = 50.0;
  Fixture f(c);
  f.setFlat(0.01, -60.0);
  {
    torch::NoGradGuard g;
    f.module.attr("tb").toTensor().fill_(std::atanh(0.5));
  }
  const double f0 = 311.0, tuned = f0 * std::pow(2.0, 0.5 * f.config.tuneCents / 1200.0);
  const torch::Tensor wave = f.synthesize(torch::ones({1, 80, 32}), f0);
  const int sr = f.settings.sampleRate;
  const int audible = int(std::ceil(0.95 * sr / 2 / tuned)) - 1;
  const int origin = f.config.contextFrames * f.settings.hopLength;
  auto w = wave.accessor<float, 2>();
  double maxErr = 0;
  for (int n = 0; n < 32 * 256; ++n) {
    double expected = 0;
    for (int k = 1; k <= audible; ++k)
      expected += 0.01 * std::sin(kTwoPi * k * tuned * (n - origin) / sr);
    maxErr = std::max(maxErr, std::abs(expected - w[0][n]));
  }
  EXPECT_LT(maxErr, 2e-4);
  {
    torch::NoGradGuard g;
    const torch::Tensor mel = torch::rand({1, 80, 20}) + 0.1;
    const torch::Tensor logits = f.module.run_method(method::kPitchLogits, mel).toTensor();
    const double midi = f.module.run_method("decode_pitch", logits).toTensor().item<double>();
    const double expected =
        440.0 * std::pow(2.0, (midi - 69.0) / 12.0 + 0.5 * f.config.tuneCents / 1200.0);
    f.setFlat(0.05, -30.0);
    EXPECT_NEAR(f.module.run_method(method::kPitchHz, mel).toTensor().item<double>(), expected,
                1e-3 * expected);
  }

  torch::Tensor tb = f.module.attr("tb").toTensor();
  tb.mutable_grad() = torch::Tensor();
  const torch::Tensor x =
      f.module.run_method(method::kSynthesize, torch::ones({1, 80, 8}), torch::full({1}, f0))
          .toTensor();
  const torch::Tensor n = torch::arange(x.size(1), torch::kFloat32);
  const torch::Tensor higher = torch::sin(kTwoPi * f0 * 1.02 * n / sr);
  (x * higher).sum().backward();
  ASSERT_TRUE(tb.grad().defined());
  const double grad = tb.grad().item<double>();
  EXPECT_TRUE(std::isfinite(grad));
  EXPECT_NE(grad, 0.0);
}

// pitch_hz decides silence and voicing from the envelopes, without synthesising: its
// decisions agree with the energies of the synthesised parts wherever those are not within
// 1 dB of a threshold.
TEST(HpnModel, PitchHzVoicingAgreesWithTheSynthesisedParts) {
  Fixture f;
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({1, 80, 24}) + 0.1;
  const double f0 = 220.0;
  int checked = 0;
  for (double amp : {1e-5, 1e-4, 3e-4, 1e-3, 1e-2}) {
    for (double noiseLog : {-12.0, -9.0, -7.0, -5.0, -3.0}) {
      f.setFlat(amp, noiseLog);
      {
        // The template's pitch: make it f0 exactly (no template, a prior sharply peaked there).
        f.module.attr("pitch_weights").toTensor().zero_();
        const double u0 = (69.0 + 12.0 * std::log2(f0 / 440.0) - 60.0) / 24.0;
        torch::Tensor prior = f.module.attr("pitch_prior").toTensor();
        prior[1] = -1e6;
        prior[0] = 2e6 * u0;
      }
      const auto parts =
          f.module.run_method(method::kParts, f.module.run_method("pad", mel), torch::full({1}, f0))
              .toTuple();
      const torch::Tensor h = parts->elements()[0].toTensor();
      const torch::Tensor n = parts->elements()[1].toTensor();
      const double eh = (h * h).mean().item<double>(), en = (n * n).mean().item<double>();
      const double levelDb = 10.0 * std::log10(eh + en + 1e-20);
      const double fraction = eh / (eh + en);
      const double vf = f.config.voicedFraction;
      if (std::abs(levelDb - f.config.silenceDb) < 1.0 ||
          std::abs(10.0 * std::log10(fraction / vf)) < 1.0)
        continue;
      const bool pitched = levelDb > f.config.silenceDb && fraction >= vf;
      const double got = f.module.run_method(method::kPitchHz, mel).toTensor().item<double>();
      EXPECT_EQ(got > 0, pitched) << "amp " << amp << ", noise " << noiseLog << ": level "
                                  << levelDb << " dB, harmonic fraction " << fraction;
      if (pitched) {
        EXPECT_NEAR(got, f0, 0.5);
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);
}

// Two mels of one f0 give waveforms close sample by sample (the phases do not depend on the
// mel), and the same mel twice gives the same samples (the noise is a fixed signal).
TEST(HpnModel, SameF0SharesPhaseAndNoiseIsFixed) {
  Fixture f;
  f.setFlat(0.02, -5.0);
  const torch::Tensor mel = torch::rand({1, 80, 24}) + 0.1;
  const torch::Tensor a = f.synthesize(mel, 220.0);
  EXPECT_TRUE(torch::equal(a, f.synthesize(mel, 220.0)));
  f.setFlat(0.01, -60.0);
  const torch::Tensor h1 = f.synthesize(mel, 220.0);
  f.setFlat(0.03, -60.0);
  const torch::Tensor h3 = f.synthesize(mel, 220.0);
  EXPECT_LT((h3 - 3.0 * h1).abs().max().item<double>(), 1e-5);
}

TEST(HpnModel, ForwardShapesAndPitchOfSilence) {
  Fixture f;
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({2, 80, 20});
  EXPECT_EQ(f.module.forward({mel}).toTensor().sizes(), (std::vector<int64_t>{2, 20 * 256}));
  const torch::Tensor logits = f.module.run_method(method::kPitchLogits, mel).toTensor();
  EXPECT_EQ(logits.size(1), pitchBins(f.config));
  f.setFlat(1e-6, -30.0);
  const torch::Tensor pitch =
      f.module.run_method(method::kPitchHz, torch::zeros({1, 80, 20})).toTensor();
  EXPECT_EQ(pitch.item<float>(), 0.0f);
  f.setFlat(0.05, -30.0);
  EXPECT_GT(f.module.run_method(method::kPitchHz, mel.narrow(0, 0, 1)).toTensor().item<float>(),
            8.0f);
}

// The pitch template is one model for every pitch: untrained, it already finds the pitch of
// a harmonic tone (partials 1 / k up to Nyquist) at every quarter tone (plus 1 cent, off the
// bins) of MIDI 41..96, none of which it was trained on. Below about MIDI 40 (82 Hz) the
// partials are closer than two mel bands (41 Hz apart there) and the untrained template
// fails: training has to find those (docs/INVERSION.md).
TEST(HpnModel, UntrainedPitchTemplateFindsEveryPitch) {
  Fixture f;
  torch::NoGradGuard g;
  const MelSpectrogram melOf(f.settings);
  const double sr = f.settings.sampleRate;
  const torch::Tensor n = torch::arange(8192, torch::kFloat64);
  double worst = 0;
  for (double midi = 41.0; midi <= 96.0; midi += 0.25 + 0.01) {
    const double f0 = 440.0 * std::pow(2.0, (midi - 69.0) / 12.0);
    torch::Tensor wave = torch::zeros({8192}, torch::kFloat64);
    for (int k = 1; k * f0 < sr / 2; ++k) wave += torch::sin(kTwoPi * k * f0 / sr * n) / k;
    const torch::Tensor mel = melOf((0.1 * wave).to(torch::kFloat32)).unsqueeze(0);
    const double found =
        f.module.run_method("decode_pitch", f.module.run_method(method::kPitchLogits, mel))
            .toTensor()
            .item<double>();
    worst = std::max(worst, std::abs(found - midi));
    EXPECT_NEAR(found, midi, 0.3) << "MIDI " << midi;
  }
  std::cerr << "worst error " << worst << " semitones\n";
}

TEST(HpnModel, PitchTargetsPeakAtTheNote) {
  HpnConfig c;
  const torch::Tensor t = pitchTargets(c, torch::tensor({60.0f, 60.5f}), 1.0);
  EXPECT_NEAR(t.sum(1)[0].item<float>(), 1.0f, 1e-5);
  EXPECT_EQ(t[0].argmax().item<int64_t>(), int64_t((60.0 - c.pitchMin) / c.pitchStep));
  EXPECT_EQ(t[1].argmax().item<int64_t>(), int64_t((60.5 - c.pitchMin) / c.pitchStep));
}

TEST(HpnModel, SavedAndLoadedGivesTheSameWave) {
  Fixture f;
  f.setFlat(0.02, -4.0);
  wae::testing::TempDir dir;
  const std::string path = dir.file("hpn.pt");
  f.module.save(path);
  HpnInfo info;
  torch::jit::Module loaded = loadHpn(path, &info);
  EXPECT_EQ(info.config.dilations, f.config.dilations);
  EXPECT_DOUBLE_EQ(info.config.pitchMax, f.config.pitchMax);
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({1, 80, 16});
  EXPECT_TRUE(torch::equal(loaded.forward({mel}).toTensor(), f.module.forward({mel}).toTensor()));
}

// loadHpn runs this build's methods on the file's tensors: voiced_hz is there, pitch_hz is
// voiced_hz at the template's pitch, and a tensor of another shape than the attributes give
// is refused, naming it.
TEST(HpnModel, LoadedFileRunsThisBuildsMethodsOnItsTensors) {
  Fixture f;
  f.setFlat(0.02, -4.0);
  wae::testing::TempDir dir;
  const std::string path = dir.file("hpn.pt");
  f.module.save(path);
  torch::jit::Module loaded = loadHpn(path);
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({2, 80, 16});
  const torch::Tensor f0 =
      loaded
          .run_method("midi_to_hz",
                      loaded.run_method("decode_pitch", loaded.run_method("pitch_logits", mel)))
          .toTensor();
  EXPECT_TRUE(torch::equal(loaded.run_method("pitch_hz", mel).toTensor(),
                           loaded.run_method("voiced_hz", mel, f0).toTensor()));
  f.module.setattr("tb", torch::zeros({2}));
  const std::string bad = dir.file("bad.pt");
  f.module.save(bad);
  try {
    loadHpn(bad);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              bad + ": tensor tb: found shape [2], expected [1] for its attributes");
  }
}

// A file from before the pitch scorer (no pitch_w*/pitch_b* tensors, no pitch_hidden) loads
// with a fresh scorer whose zero last layer leaves the file's template scores as they were;
// once the scorer has weights of its own they add to the template's scores.
TEST(HpnModel, AFileFromBeforeThePitchScorerLoadsWithTheTemplateAlone) {
  Fixture f;
  torch::NoGradGuard g;
  {
    // The template's own parameters away from their start, so that copying them shows.
    f.module.attr("pitch_weights").toTensor().mul_(-0.5).add_(0.1);
    f.module.attr("pitch_prior").toTensor().fill_(0.3);
  }
  torch::jit::Module old("WaeSamplerHpn");
  auto scorer = [](const std::string& name) {
    for (const char* s : {"pitch_w1", "pitch_b1", "pitch_w2", "pitch_b2", "pitch_w3"})
      if (name == s) return true;
    return name == attr::kPitchHidden;
  };
  for (const auto& p : f.module.named_parameters(/*recurse=*/false))
    if (!scorer(p.name)) old.register_parameter(p.name, p.value, /*is_buffer=*/false);
  for (const auto& b : f.module.named_buffers(/*recurse=*/false))
    old.register_buffer(b.name, b.value);
  for (const auto& a : f.module.named_attributes(/*recurse=*/false))
    if (!a.value.isTensor() && !scorer(a.name) && !old.hasattr(a.name))
      old.register_attribute(a.name, a.value.type(), a.value);
  // The old file's own methods are never run (loadHpn runs this build's): stubs suffice.
  old.define(R"(
def forward(self, mel: Tensor) -> Tensor:
    return mel
def pitch_hz(self, mel: Tensor) -> Tensor:
    return mel
def synthesize(self, mel: Tensor, f0_hz: Tensor) -> Tensor:
    return mel
def pitch_logits(self, mel: Tensor) -> Tensor:
    return mel
def parts(self, mel: Tensor, f0_hz: Tensor) -> Tuple[Tensor, Tensor]:
    return mel, mel
)");
  ASSERT_FALSE(old.hasattr("pitch_w1"));
  wae::testing::TempDir dir;
  const std::string path = dir.file("old.pt");
  old.save(path);
  HpnInfo info;
  torch::jit::Module loaded = loadHpn(path, &info);
  EXPECT_EQ(info.config.pitchHidden, HpnConfig{}.pitchHidden);
  const torch::Tensor mel = torch::rand({2, 80, 16});
  const torch::Tensor logits = f.module.run_method(method::kPitchLogits, mel).toTensor();
  EXPECT_TRUE(torch::equal(loaded.run_method(method::kPitchLogits, mel).toTensor(), logits));
  f.module.attr("pitch_w3").toTensor().fill_(0.5);
  EXPECT_GT((f.module.run_method(method::kPitchLogits, mel).toTensor() - logits)
                .abs()
                .max()
                .item<double>(),
            1e-3);
}

// synthesize_f0 gives synthesize's wave and voiced_at's f0 from one run of the controls;
// with tune false the note is at exactly the given f0, with tune true at the fine-tuned one
// (the tuning head's bias set to 1: +50 tanh(1) = +38.1 cents).
TEST(HpnModel, SynthesizeF0WithAndWithoutTheFineTuning) {
  HpnConfig c;
  c.tuneCents = 50.0;
  Fixture f(c);
  f.setFlat(0.02, -4.0);
  f.module.setattr("tb", torch::ones({1}));
  torch::NoGradGuard g;
  const torch::Tensor mel = torch::rand({2, 80, 16}) * 0.1;
  const torch::Tensor f0 = torch::tensor({220.0f, 311.0f});
  const torch::Tensor padded = f.module.run_method("pad", mel).toTensor();
  const auto tuned = f.module.run_method("synthesize_f0", padded, f0, true).toTuple();
  const auto exact = f.module.run_method("synthesize_f0", padded, f0, false).toTuple();
  EXPECT_TRUE(torch::equal(tuned->elements()[0].toTensor(),
                           f.module.run_method("synthesize", padded, f0).toTensor()));
  EXPECT_TRUE(torch::equal(tuned->elements()[1].toTensor(),
                           f.module.run_method("voiced_hz", mel, f0).toTensor()));
  EXPECT_TRUE(torch::equal(exact->elements()[1].toTensor(),
                           f.module.run_method("voiced_at", mel, f0, false).toTensor()));
  EXPECT_TRUE(torch::equal(exact->elements()[1].toTensor(), f0));  // voiced, at exactly f0
  const double cents = 50.0 * std::tanh(1.0);
  EXPECT_TRUE(torch::allclose(tuned->elements()[1].toTensor(), f0 * std::pow(2.0, cents / 1200.0),
                              1e-5, 1e-3));
  const torch::Tensor moved = tuned->elements()[0].toTensor() - exact->elements()[0].toTensor();
  EXPECT_GT(moved.abs().max().item<double>(), 1e-3);
}

TEST(HpnModel, RefusesBadConfigAndForeignFiles) {
  HpnConfig c;
  c.dilations = {};
  AudioSettings s;
  try {
    validate(c, s);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "hpn needs 1..32 residual layers (dilations), got 0");
  }
  torch::jit::Module other("Other");
  EXPECT_THROW(checkHpnModule(other, "x.pt"), FormatError);
}

}  // namespace
}  // namespace wae::hpn

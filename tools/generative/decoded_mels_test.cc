#include "tools/generative/decoded_mels.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <sstream>
#include <string>

#include "common/errors.h"
#include "common/testing/temp_dir.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"
#include "tools/generative/pitch_axis_test_model.h"
#include "tools/hpn/hpn_model.h"
#include "tools/mcnn/test_data.h"

namespace wae::generative {
namespace {

// A generative.pt of make_generative: an untrained 4-D VAE with a pitch axis and an untrained
// small hpn, over the tiny audio dataset.
std::string writePitchAxisGenerative(const testing::TempDir& dir) {
  const AudioSettings s;
  mcnn::writeAudioDataset(dir.file("tiny.h5"));
  hpn::HpnConfig h;
  h.hidden = 8;
  h.dilations = {1};
  hpn::makeHpnModule(h, s, torch::zeros({s.nMels}), torch::ones({s.nMels}))
      .save(dir.file("hpn.pt"));
  generative::writePitchAxisGenerative(dir.file("tiny.h5"), dir.file("hpn.pt"),
                                       dir.file("model.pt"), dir.file("generative.pt"));
  return dir.file("generative.pt");
}

// Each note is decoded at its projection with the pitch axis at its label's pitch: decode(lift(z))
// with z0 = (MIDI - pitch_center) / pitch_scale - pca_mean[0], computed here from the file's
// attributes; other labels give other mels. Batches do not change the values.
TEST(DecodedMels, DecodesEachNoteAtItsLabelsPitch) {
  testing::TempDir dir;
  const std::string path = writePitchAxisGenerative(dir);
  const AudioSettings s;
  torch::manual_seed(7);
  const torch::Tensor mels = torch::rand({3, s.nMels, s.nFrames}) * 0.1;
  const torch::Tensor midi = torch::tensor({40.0f, 55.0f, 70.0f});
  MelDecoder decoder(path, s, "the test's settings");
  const torch::Tensor decoded = decoder.decode(mels, midi, 2);
  EXPECT_TRUE(decoder.atAxisPitch());
  ASSERT_EQ(decoded.sizes(), mels.sizes());

  torch::jit::Module m = torch::jit::load(path);
  torch::NoGradGuard g;
  torch::jit::Module vae = m.attr("vae").toModule();
  torch::Tensor z = m.run_method("project", mels).toTensor().clone();
  z.select(1, 0).copy_((midi - vae.attr("pitch_center").toDouble()) /
                           vae.attr("pitch_scale").toDouble() -
                       m.attr("pca_mean").toTensor()[0]);
  const torch::Tensor expected =
      m.run_method("decode", m.run_method("lift", z).toTensor()).toTensor();
  EXPECT_TRUE(torch::allclose(decoded, expected, 1e-5, 1e-6));

  const torch::Tensor other = decoder.decode(mels, midi + 12.0f, 3);
  EXPECT_FALSE(torch::allclose(other, decoded, 1e-3, 1e-6));
}

TEST(DecodedMels, RefusesAFileWithoutADecoderOrOfOtherSettings) {
  testing::TempDir dir;
  AnalyticOptions a;
  a.withProject = true;
  const std::string analytic = dir.file("analytic.pt");
  writeAnalyticModel(analytic, a);
  const AudioSettings analyticSettings = GenerativeModel::load(analytic).audioSettings();
  try {
    MelDecoder(analytic, analyticSettings, "x");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              analytic +
                  ": method lift: found none, expected a generative.pt of make_generative "
                  "(project, lift and decode)");
  }
  const std::string path = writePitchAxisGenerative(dir);
  AudioSettings other;
  other.fMaxHz = 8000;
  try {
    MelDecoder(path, other, "the dataset d.h5");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "audio settings differ between " + path +
                                         " and the dataset d.h5:\nf_max: " + path +
                                         " has 11025, the dataset d.h5 expects 8000");
  }
}

}  // namespace
}  // namespace wae::generative

#include "tools/torchscript/attributes.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"

namespace wae::torchscript {
namespace {

using testing::formatErrorOf;
using testing::TempDir;

TEST(Attributes, AudioSettingsRoundTripThroughAFile) {
  AudioSettings s;
  s.sampleRate = 16000;
  s.fMaxHz = 8000;
  s.nFrames = 64;
  s.nSamples = 64 * 256;
  torch::jit::Module m("M");
  setAudioSettings(m, s);
  setFormat(m, "wae-test", 3);
  setDoubles(m, "ranges", {1.5, -2.0});
  const TempDir tmp;
  const std::string path = tmp.file("settings.pt");
  m.save(path);
  const torch::jit::Module loaded = loadModule(path);
  const AudioSettings back = audioSettings(loaded, path);
  EXPECT_EQ(describeMismatch(s, "written", back, "read"), "");
  EXPECT_EQ(back.window, "hann");
  EXPECT_EQ(back.fMaxHz, 8000.0);
  requireFormat(loaded, "wae-test", 3, path);
  EXPECT_EQ(getDoubles(loaded, "ranges", path, 2), (std::vector<double>{1.5, -2.0}));
}

TEST(Attributes, ErrorsNameFileAttributeFoundAndExpected) {
  torch::jit::Module m("M");
  setAudioSettings(m, AudioSettings{});
  setString(m, "n_fft_text", "x");
  setFormat(m, "wae-test", 1);
  EXPECT_EQ(formatErrorOf([&] { getInt(m, "missing", "f.pt"); }),
            "f.pt: attribute missing: found nothing, expected an int");
  EXPECT_EQ(formatErrorOf([&] { getInt(m, "window", "f.pt"); }),
            "f.pt: attribute window: found a string, expected an int");
  EXPECT_EQ(formatErrorOf([&] { requireFormat(m, "wae-other", 1, "f.pt"); }),
            "f.pt: attribute format: found \"wae-test\", expected \"wae-other\"");
  EXPECT_EQ(formatErrorOf([&] { requireFormat(m, "wae-test", 2, "f.pt"); }),
            "f.pt: attribute format_version: found 1, expected 2");
  EXPECT_EQ(formatErrorOf([&] { getDoubles(m, "f_max", "f.pt", 2); }),
            "f.pt: attribute f_max: found a float, expected a list of 2 floats");
  EXPECT_EQ(formatErrorOf([&] { requireMethod(m, "encode", "f.pt"); }),
            "f.pt: method encode: found nothing, expected a TorchScript method");
}

TEST(Attributes, MelStatisticsMustHaveOneValuePerBand) {
  torch::jit::Module m("M");
  m.register_buffer("log_mean", torch::zeros({80}));
  requireMelStatistics(m, {"log_mean"}, 80, "f.pt");
  m.register_buffer("log_std", torch::ones({79}));
  EXPECT_EQ(formatErrorOf([&] {
              requireMelStatistics(m, {"log_mean", "log_std"}, 80, "f.pt");
            }),
            "f.pt: attribute log_std: found 79 values, expected a float tensor of n_mels = 80 "
            "values");
  EXPECT_EQ(formatErrorOf([&] { requireMelStatistics(m, {"log_scale"}, 80, "f.pt"); }),
            "f.pt: attribute log_scale: found no tensor, expected a float tensor of n_mels = 80 "
            "values");
}

TEST(Attributes, AudioSettingsRefusedWhenMissingOrInconsistent) {
  torch::jit::Module partial("M");
  setInt(partial, "sample_rate", 22050);
  EXPECT_EQ(formatErrorOf([&] { audioSettings(partial, "p.pt"); }),
            "p.pt: attribute n_fft: found nothing, expected an int");

  AudioSettings bad;
  bad.nSamples = 1000;  // not n_frames * hop_length
  torch::jit::Module m("M");
  setAudioSettings(m, bad);
  const std::string error = formatErrorOf([&] { audioSettings(m, "b.pt"); });
  EXPECT_NE(error.find("b.pt: audio settings: n_samples must be"), std::string::npos) << error;
}

TEST(Attributes, LoadModuleRefusesMissingAndNonTorchScriptFiles) {
  const TempDir tmp;
  EXPECT_EQ(formatErrorOf([&] { loadModule(tmp.file("nothing.pt")); }),
            tmp.file("nothing.pt") + ": no such file");
  const std::string junk = tmp.file("junk.pt");
  std::ofstream(junk) << "not a zip";
  EXPECT_NE(formatErrorOf([&] { loadModule(junk); }).find(junk + ": not a TorchScript module"),
            std::string::npos);
}

}  // namespace
}  // namespace wae::torchscript

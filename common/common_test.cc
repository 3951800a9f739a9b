#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/atomic_file.h"
#include "common/audio_settings.h"
#include "common/h5_util.h"
#include "common/progress.h"

namespace wae {
namespace {

std::string tempPath(const std::string& name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

TEST(AudioSettings, DefaultsAreValidAndConsistent) {
  AudioSettings s;
  EXPECT_NO_THROW(s.validate());
  EXPECT_EQ(s.nSamples, s.nFrames * s.hopLength);
}

TEST(AudioSettings, ValidateNamesTheBadField) {
  AudioSettings s;
  s.nSamples = 1000;
  try {
    s.validate();
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "audio settings: n_samples must be n_frames * hop_length = 32768, got 1000");
  }
}

TEST(AudioSettings, MismatchNamesFieldAndBothValues) {
  AudioSettings a, b;
  EXPECT_EQ(describeMismatch(a, "model.pt", b, "data.h5"), "");
  b.sampleRate = 16000;
  b.nMels = 64;
  EXPECT_EQ(describeMismatch(a, "model.pt", b, "data.h5"),
            "sample_rate: data.h5 has 16000, model.pt expects 22050\n"
            "n_mels: data.h5 has 64, model.pt expects 80");
  EXPECT_THROW(requireSame(a, "model.pt", b, "data.h5"), std::runtime_error);
}

TEST(H5Util, AttributesRoundTrip) {
  const std::string path = tempPath("attrs.h5");
  AudioSettings s;
  s.fMaxHz = 8000.5;
  {
    H5::H5File f(path, H5F_ACC_TRUNC);
    h5::writeAttribute(f, "i", int64_t{-7});
    h5::writeAttribute(f, "d", 0.25);
    h5::writeAttribute(f, "s", std::string("héllo"));
    h5::writeAttribute(f, "iv", std::vector<int64_t>{1, 2, 3});
    h5::writeAttribute(f, "dv", std::vector<double>{-1.5, 2.5});
    h5::writeAttribute(f, "sv", std::vector<std::string>{"a", "bc"});
    h5::writeAudioSettings(f, s);
    H5::Group g = f.openGroup("/");
    h5::writeStringDataset(g, "names", {"x", "", "zz"});
  }
  H5::H5File f = h5::openReadOnly(path);
  EXPECT_EQ(h5::readInt(f, "i", path), -7);
  EXPECT_EQ(h5::readDouble(f, "d", path), 0.25);
  EXPECT_EQ(h5::readString(f, "s", path), "héllo");
  EXPECT_EQ(h5::readInts(f, "iv", path), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(h5::readDoubles(f, "dv", path), (std::vector<double>{-1.5, 2.5}));
  EXPECT_EQ(h5::readStrings(f, "sv", path), (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(describeMismatch(s, "a", h5::readAudioSettings(f, path), "b"), "");
  H5::Group g = f.openGroup("/");
  EXPECT_EQ(h5::readStringDataset(g, "names", path), (std::vector<std::string>{"x", "", "zz"}));
  EXPECT_EQ(h5::shapeString(h5::datasetShape(g, "names", path)), "[3]");
}

TEST(H5Util, ErrorsNameFileFieldFoundAndExpected) {
  const std::string path = tempPath("bad.h5");
  {
    H5::H5File f(path, H5F_ACC_TRUNC);
    h5::writeAttribute(f, "s", std::string("text"));
  }
  H5::H5File f = h5::openReadOnly(path);
  try {
    h5::readInt(f, "missing", path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": attribute missing: found nothing, expected an integer");
  }
  try {
    h5::readInt(f, "s", path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": attribute s: found a string, expected an integer");
  }
  EXPECT_THROW(h5::readAudioSettings(f, path), FormatError);
}

TEST(H5Util, OpenRefusesMissingAndNonHdf5Files) {
  const std::string missing = tempPath("nope.h5");
  EXPECT_THROW(h5::openReadOnly(missing), FormatError);
  const std::string text = tempPath("text.h5");
  std::ofstream(text) << "not hdf5";
  try {
    h5::openReadOnly(text);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), text + ": not an HDF5 file");
  }
}

TEST(AtomicFile, OnlyCommittedOutputAppears) {
  const std::string path = tempPath("out/result.txt");
  {
    AtomicFile out(path);
    std::ofstream(out.partialPath()) << "half";
  }  // not committed: partial removed, nothing at path
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  {
    AtomicFile out(path, /*keepPartial=*/true);
    std::ofstream(out.partialPath()) << "half";
  }
  EXPECT_TRUE(std::filesystem::exists(path + ".partial"));
  {
    AtomicFile out(path);
    std::ofstream(out.partialPath()) << "whole";
    out.commit();
  }
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "whole");
}

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(Progress::formatDuration(0), "0:00");
  EXPECT_EQ(Progress::formatDuration(125), "2:05");
  EXPECT_EQ(Progress::formatDuration(3723), "1:02:03");
  EXPECT_EQ(Progress::formatDuration(-1), "?");
}

}  // namespace
}  // namespace wae

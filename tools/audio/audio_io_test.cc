#include "tools/audio/audio_io.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae {
namespace {

std::string tempPath(const std::string& name) { return ::testing::TempDir() + "/" + name; }

std::vector<float> randomSignal(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(n);
  for (float& v : x) v = dist(rng);
  x[0] = 1.0f;  // the clipping edges
  x[1] = -1.0f;
  return x;
}

// Writes `channels` interleaved channels with libsndfile directly (not through writeWav).
void writeWithSndfile(const std::string& path, const std::vector<float>& interleaved, int channels,
                      int sampleRate, int format) {
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  ASSERT_EQ(sf_writef_float(f, interleaved.data(), interleaved.size() / channels),
            static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

TEST(AudioIo, Pcm16RoundTripWithinOneLsb) {
  const auto x = randomSignal(5000, 1);
  const std::string path = tempPath("pcm16.wav");
  writeWav(path, x, 22050, WavFormat::kPcm16);
  const Audio a = readAudio(path);
  EXPECT_EQ(a.sampleRate, 22050);
  ASSERT_EQ(a.samples.size(), x.size());
  float worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(a.samples[i] - x[i]));
  EXPECT_LE(worst, 1.0f / 32767.0f);
  // Values on the 16-bit grid come back exactly.
  const std::vector<float> grid = {0.0f, 0.5f, -0.5f, -1.0f, 12345.0f / 32768.0f};
  writeWav(path, grid, 16000, WavFormat::kPcm16);
  EXPECT_EQ(readAudio(path).samples, grid);
}

TEST(AudioIo, FloatRoundTripIsExact) {
  const auto x = randomSignal(3000, 2);
  const std::string path = tempPath("float.wav");
  writeWav(path, x, 44100, WavFormat::kFloat32);
  const Audio a = readAudio(path);
  EXPECT_EQ(a.sampleRate, 44100);
  EXPECT_EQ(a.samples, x);
}

TEST(AudioIo, WritingTheSameSamplesGivesTheSameBytes) {
  const auto x = randomSignal(1000, 3);
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  writeWav(tempPath("a.wav"), x, 22050);
  writeWav(tempPath("b.wav"), x, 22050);
  EXPECT_EQ(bytes(tempPath("a.wav")), bytes(tempPath("b.wav")));
}

TEST(AudioIo, StereoIsMixedDownToTheMean) {
  std::vector<float> interleaved;
  std::vector<float> expected;
  for (int i = 0; i < 100; ++i) {
    const float left = 0.5f * std::sin(0.1f * i);
    const float right = (i % 2 ? 0.25f : -0.125f);
    interleaved.push_back(left);
    interleaved.push_back(right);
    expected.push_back((left + right) / 2);
  }
  const std::string path = tempPath("stereo.wav");
  writeWithSndfile(path, interleaved, 2, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const Audio a = readAudio(path);
  EXPECT_EQ(a.sampleRate, 48000);
  ASSERT_EQ(a.samples.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_FLOAT_EQ(a.samples[i], expected[i]) << i;
}

TEST(AudioIo, ReadsFlac) {
  std::vector<float> x;
  for (int i = 0; i < 2000; ++i) x.push_back(std::round(8000 * std::sin(0.05 * i)) / 32768.0f);
  const std::string path = tempPath("tone.flac");
  writeWithSndfile(path, x, 1, 16000, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  const Audio a = readAudio(path);
  EXPECT_EQ(a.sampleRate, 16000);
  EXPECT_EQ(a.samples, x);  // lossless, on the 16-bit grid
}

void expectReadErrorNaming(const std::string& path) {
  try {
    readAudio(path);
    FAIL() << "no error for " << path;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(AudioIo, MissingFileErrorNamesIt) { expectReadErrorNaming(tempPath("no_such_file.wav")); }

TEST(AudioIo, CorruptFileErrorNamesIt) {
  const std::string path = tempPath("corrupt.wav");
  std::string bytes = "RIFF";
  bytes += std::string(4, '\0');
  bytes += "WAVEthis is not a sound file";
  std::ofstream(path, std::ios::binary) << bytes;
  expectReadErrorNaming(path);
}

TEST(AudioIo, WriteErrorNamesTheFile) {
  // A directory where the file should go: the final rename fails.
  const std::string path = tempPath("a_directory.wav");
  std::filesystem::create_directories(path + "/inside");
  try {
    writeWav(path, {0.0f}, 22050);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae

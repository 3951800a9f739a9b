#include "tools/hpn/pitch_shift.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "tools/audio/spectrogram.h"

namespace wae::hpn {
namespace {

constexpr double kTwoPi = 6.283185307179586;

// A sine of `hz` Hz over the whole example, amplitude 0.5.
torch::Tensor sine(double hz, const AudioSettings& s) {
  return 0.5 * torch::sin(torch::arange(s.nSamples, torch::kFloat64) * (kTwoPi * hz / s.sampleRate))
                   .to(torch::kFloat32);
}

// The frequency of the strongest bin of a 2^16-point spectrum of samples 4096..12287.
double peakHz(const torch::Tensor& wave, const AudioSettings& s) {
  const int64_t size = 1 << 16;
  const torch::Tensor seg = wave.narrow(0, 4096, 8192).to(torch::kFloat64) *
                            torch::hann_window(8192, torch::kFloat64);
  const torch::Tensor mag = torch::fft::rfft(seg, size).abs();
  return mag.argmax().item<int64_t>() * double(s.sampleRate) / double(size);
}

// A shift of s semitones moves a 440 Hz sine to 440 * 2^(s / 12) Hz, within a tenth of a
// cent (the converter's rate is a whole number of Hz); a higher note ends early, in silence.
TEST(PitchShift, MovesEveryFrequencyBySemitones) {
  const AudioSettings s;
  const torch::Tensor notes = torch::stack({sine(440.0, s), sine(440.0, s), sine(440.0, s)});
  const torch::Tensor shifted =
      shiftNotes(notes, torch::tensor({1.0, -0.5, 7.0}, torch::kFloat64), s.sampleRate);
  ASSERT_EQ(shifted.sizes(), notes.sizes());
  for (const auto& [b, semitones] : {std::pair{0, 1.0}, {1, -0.5}, {2, 7.0}}) {
    const double expected = 440.0 * std::pow(2.0, semitones / 12.0);
    const double cents = 1200.0 * std::log2(peakHz(shifted[b], s) / expected);
    EXPECT_LT(std::abs(cents), 1.0) << b;  // the 2^16-point bin is 0.34 Hz: under 1.3 cents
  }
  // 7 semitones up: the note lasts N / 1.498 samples, then silence.
  const int64_t end = int64_t(s.nSamples / std::pow(2.0, 7.0 / 12.0));
  EXPECT_EQ(shifted[2].narrow(0, end + 64, s.nSamples - end - 64).abs().max().item<float>(), 0.0f);
  EXPECT_GT(shifted[2].narrow(0, end - 2048, 1024).abs().max().item<float>(), 0.4f);
  // The level holds.
  EXPECT_NEAR(shifted[1].narrow(0, 1024, 16384).pow(2).mean().item<double>(), 0.125, 0.002);
}

TEST(PitchShift, ZeroCopiesAndBadShiftsAreRefused) {
  const AudioSettings s;
  const torch::Tensor notes = torch::rand({2, s.nSamples}) - 0.5;
  EXPECT_TRUE(torch::equal(shiftNotes(notes, torch::zeros({2}), s.sampleRate), notes));
  EXPECT_THROW(shiftNotes(notes, torch::tensor({0.0, 25.0}), s.sampleRate), std::invalid_argument);
  EXPECT_THROW(shiftNotes(notes, torch::zeros({3}), s.sampleRate), std::invalid_argument);
  EXPECT_THROW(shiftNotes(notes.to(torch::kFloat64), torch::zeros({2}), s.sampleRate),
               std::invalid_argument);
}

// The crops of the notes' own mels, padded with silence: frame starts[b] of the padded mel,
// the middle frames' samples; a crop at the very start reads the silence.
TEST(PitchShift, CropsAreTheNotesMelsAndSamples) {
  const AudioSettings s;
  const torch::Tensor notes = torch::stack({sine(220.0, s), sine(330.0, s)});
  const NoteCrops c = cropNotes(notes, torch::tensor({0, 40}, torch::kLong), 16, 4, s);
  const torch::Tensor mels = MelSpectrogram(s)(notes);
  EXPECT_TRUE(torch::equal(c.noteMels, mels));
  ASSERT_EQ(c.mels.sizes(), (torch::IntArrayRef{2, s.nMels, 24}));
  ASSERT_EQ(c.audio.sizes(), (torch::IntArrayRef{2, 16 * s.hopLength}));
  EXPECT_EQ(c.mels[0].narrow(1, 0, 4).abs().max().item<float>(), 0.0f);
  EXPECT_TRUE(torch::equal(c.mels[0].narrow(1, 4, 20), mels[0].narrow(1, 0, 20)));
  EXPECT_TRUE(torch::equal(c.mels[1], mels[1].narrow(1, 36, 24)));
  EXPECT_TRUE(torch::equal(c.audio[1], notes[1].narrow(0, 40 * s.hopLength, 16 * s.hopLength)));
}

}  // namespace
}  // namespace wae::hpn

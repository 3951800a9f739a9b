#include "tools/audio/pitch_shift.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "common/audio_settings.h"

namespace wae {
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

// The notes are resampled on torch's threads, each on its own: 9 notes of noise, shifted on
// 1, 2 and 4 threads, give each note's samples as shifted alone, exactly.
TEST(PitchShift, NotesShiftOnAnyNumberOfThreadsAsEachAlone) {
  const AudioSettings s;
  torch::manual_seed(3);
  const torch::Tensor notes = torch::rand({9, s.nSamples}) - 0.5;
  const torch::Tensor shifts =
      torch::tensor({0.7, -1.0, 0.0, 12.0, -0.01, 3.3, -7.5, 0.25, 1.0}, torch::kFloat64);
  const int threads = at::get_num_threads();
  for (int t : {1, 2, 4}) {
    at::set_num_threads(t);
    const torch::Tensor together = shiftNotes(notes, shifts, s.sampleRate);
    for (int64_t b = 0; b < notes.size(0); ++b) {
      const torch::Tensor alone =
          shiftNotes(notes.narrow(0, b, 1), shifts.narrow(0, b, 1), s.sampleRate);
      EXPECT_TRUE(torch::equal(together[b], alone[0])) << "note " << b << ", " << t << " threads";
    }
  }
  at::set_num_threads(threads);
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

// Half of the notes, at random, move by a shift uniform in +-range; the draw follows torch's
// seed.
TEST(PitchShift, DrawShiftsMovesHalfTheNotesWithinTheRange) {
  torch::manual_seed(3);
  const torch::Tensor a = drawShifts(4000, 1.5);
  ASSERT_EQ(a.sizes(), (torch::IntArrayRef{4000}));
  EXPECT_EQ(a.scalar_type(), torch::kFloat64);
  const int64_t moved = a.ne(0).sum().item<int64_t>();
  EXPECT_GT(moved, 1800);
  EXPECT_LT(moved, 2200);
  EXPECT_LE(a.abs().max().item<double>(), 1.5);
  EXPECT_GT(a.abs().max().item<double>(), 1.4);
  EXPECT_GT(a.gt(0).sum().item<int64_t>(), 900);  // both ways
  EXPECT_GT(a.lt(0).sum().item<int64_t>(), 900);
  torch::manual_seed(3);
  EXPECT_TRUE(torch::equal(drawShifts(4000, 1.5), a));
  EXPECT_EQ(drawShifts(8, 0.0).abs().sum().item<double>(), 0.0);
  EXPECT_THROW(drawShifts(8, -1.0), std::invalid_argument);
  EXPECT_THROW(drawShifts(8, 25.0), std::invalid_argument);
}

// A row of shift 0 keeps the mel it was given (here deliberately not its note's); a moved
// row gets the mel of its note resampled by its shift.
TEST(PitchShift, ShiftedMelsRecomputesTheMovedRowsOnly) {
  const AudioSettings s;
  const MelSpectrogram melOf(s);
  const torch::Tensor notes = torch::stack({sine(220.0, s), sine(330.0, s), sine(440.0, s)});
  const torch::Tensor given = torch::full({3, s.nMels, s.nFrames}, 7.0f);
  const torch::Tensor shifts = torch::tensor({0.0, 2.0, -1.0}, torch::kFloat64);
  const torch::Tensor out = shiftedMels(given, notes, shifts, melOf, s.sampleRate);
  ASSERT_EQ(out.sizes(), given.sizes());
  EXPECT_TRUE(torch::equal(out[0], given[0]));
  const torch::Tensor expected = melOf(shiftNotes(notes.narrow(0, 1, 2), shifts.narrow(0, 1, 2),
                                                  s.sampleRate));
  EXPECT_TRUE(torch::equal(out.narrow(0, 1, 2), expected));
  // Two semitones up puts the strongest band of the 330 Hz note above the unshifted one's.
  const auto strongest = [](const torch::Tensor& mel) {
    return mel.sum(1).argmax().item<int64_t>();
  };
  EXPECT_GT(strongest(out[1]), strongest(melOf(notes.narrow(0, 1, 1))[0]));
  EXPECT_TRUE(torch::equal(shiftedMels(given, notes, torch::zeros({3}, torch::kFloat64), melOf,
                                       s.sampleRate),
                           given));
}

// Each row scaled by its gain in dB: +20 dB ten times, -6.0206 dB a half, 0 dB untouched; the
// loudness a mel gives (its power) moves by the dB asked.
TEST(PitchShift, GainedMelsScalesEachRowByItsGain) {
  const torch::Tensor mels = torch::rand({3, 80, 128}) + 0.5;
  const torch::Tensor db = torch::tensor({20.0, 0.0, -20.0 * std::log10(2.0)}, torch::kFloat64);
  const torch::Tensor out = gainedMels(mels, db);
  ASSERT_EQ(out.sizes(), mels.sizes());
  EXPECT_EQ(out.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::allclose(out[0], mels[0] * 10.0, 1e-6, 0));
  EXPECT_TRUE(torch::equal(out[1], mels[1]));
  EXPECT_TRUE(torch::allclose(out[2], mels[2] * 0.5, 1e-6, 0));
  const double powerDb = 10.0 * std::log10((out[0] * out[0]).mean().item<double>() /
                                           (mels[0] * mels[0]).mean().item<double>());
  EXPECT_NEAR(powerDb, 20.0, 1e-4);
  EXPECT_THROW(gainedMels(mels, torch::zeros({2}, torch::kFloat64)), std::invalid_argument);
  EXPECT_THROW(gainedMels(mels[0], torch::zeros({80}, torch::kFloat64)), std::invalid_argument);
}

}  // namespace
}  // namespace wae

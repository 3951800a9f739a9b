#include "tools/hpn/note_crops.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tools/audio/spectrogram.h"

namespace wae::hpn {
namespace {

constexpr double kTwoPi = 6.283185307179586;

// A sine of `hz` Hz over the whole example, amplitude 0.5.
torch::Tensor sine(double hz, const AudioSettings& s) {
  return 0.5 * torch::sin(torch::arange(s.nSamples, torch::kFloat64) * (kTwoPi * hz / s.sampleRate))
                   .to(torch::kFloat32);
}

// The crops of the notes' own mels, padded with silence: frame starts[b] of the padded mel,
// the middle frames' samples; a crop at the very start reads the silence.
TEST(NoteCrops, CropsAreTheNotesMelsAndSamples) {
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

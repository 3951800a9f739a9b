// The project's one f0 estimator: the pitch of a whole one-shot waveform (a bank's grid
// point, a dataset note), from Debian's libaubio (YIN, "yinfast": YIN's difference function
// computed through the FFT, the same result as plain YIN). No LibTorch.
//
// How: aubio's YIN runs over frames of frameSize(sampleRate) samples (about 93 ms, so f0 down
// to about 22 Hz holds two periods), hop a quarter of that. Frames more than 40 dB below the
// loudest one are left out ("sounding" frames only: a release tail or trailing silence does
// not decide). A sounding frame is "pitched" when its YIN confidence (1 - the minimum of the
// cumulative mean normalised difference) is at least kPitchedConfidence. The waveform is
// pitched when at least half of its sounding frames are; then f0Hz is the median of the
// pitched frames' f0. Otherwise (noise, silence) f0Hz = 0.
//
// Threads: any thread, any number at once (no shared state); not for the audio thread (it
// allocates).
#pragma once

#include <cstddef>

namespace wae::audio {

// A frame's YIN confidence at or above this counts as pitched.
inline constexpr float kPitchedConfidence = 0.8f;

struct PitchEstimate {
  float f0Hz = 0.0f;        // 0 = unpitched (or silent)
  float confidence = 0.0f;  // mean YIN confidence over the sounding frames, 0..1 (0: silent)
  float midiPitch = 0.0f;   // 69 + 12 log2(f0Hz / 440), fractional; 0 when f0Hz is 0
};

// YIN's frame length at `sampleRate`: the power of two nearest to 93 ms (2048 at 22050 Hz).
size_t frameSize(int sampleRate);

// The pitch of samples[0..n) at `sampleRate` Hz. A waveform shorter than one frame is
// zero-padded to one. Throws std::invalid_argument for a sample rate outside 1000..384000 or
// a null pointer with n > 0, std::runtime_error if aubio cannot be set up.
PitchEstimate estimatePitch(const float* samples, size_t n, int sampleRate);

}  // namespace wae::audio

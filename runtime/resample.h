// Sample-rate conversion of whole waveforms with libsamplerate, the project's one wrapper:
// banks at load (SRC_SINC_BEST_QUALITY), live renders (see live.h), the offline tools'
// dataset audio and train_hpn's pitch-shifted notes. Done once per waveform, never per block.
//
// Every conversion has exactly round(inFrames * to / from) frames, frame k lying at time
// k / toRate (the first frames line up, and a tool can cut a fixed-length example from it);
// past the input's end the converter sees silence. Equal rates copy.
//
// Threads: a Resampler belongs to one thread at a time and allocates; never use it on the
// audio thread. resample() is safe on any thread but the audio thread (no shared state).
#pragma once

#include <cstdint>
#include <vector>

struct SRC_STATE_tag;

namespace wae::runtime {

// libsamplerate's sinc converters. Banks and tools use kBest; live mode may trade quality
// for latency (see live.h).
enum class ResampleQuality { kBest, kMedium, kFastest };

class Resampler {
 public:
  // Throws std::invalid_argument for a rate <= 0 or a ratio libsamplerate cannot do (outside
  // 1/256 .. 256), naming both rates; std::runtime_error with libsamplerate's message if it
  // fails.
  Resampler(int fromRateHz, int toRateHz, ResampleQuality quality = ResampleQuality::kBest);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  int fromRateHz() const { return fromRateHz_; }
  int toRateHz() const { return toRateHz_; }
  // Frames a waveform of `inFrames` frames has once converted: round(inFrames * to / from).
  int64_t outputFrames(int64_t inFrames) const;

  // Converts one whole waveform (the converter starts from rest and runs past the end on
  // silence), writing outputFrames(inFrames) frames to `out`. libsamplerate compensates its
  // filter delay, so frame i of the output is the input at time i / toRate.
  void convert(const float* in, int64_t inFrames, float* out);
  std::vector<float> convert(const std::vector<float>& in);

 private:
  int fromRateHz_;
  int toRateHz_;
  SRC_STATE_tag* state_ = nullptr;
  std::vector<float> tail_;  // the silence fed after the input (see convert)
};

// One waveform at the best quality: Resampler(fromRateHz, toRateHz).convert(in), with its
// errors.
std::vector<float> resample(const std::vector<float>& in, int fromRateHz, int toRateHz);

}  // namespace wae::runtime

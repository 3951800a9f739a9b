// Sample-rate conversion of whole waveforms with libsamplerate (SRC_SINC_BEST_QUALITY for
// banks), done once when a bank or a live waveform arrives, never per block.
//
// Threads: a Resampler belongs to one thread at a time and allocates; never use it on the
// audio thread.
#pragma once

#include <cstdint>
#include <vector>

struct SRC_STATE_tag;

namespace wae::runtime {

// libsamplerate's sinc converters. Banks use kBest (once, at load); live mode may trade
// quality for latency (see live.h).
enum class ResampleQuality { kBest, kMedium, kFastest };

class Resampler {
 public:
  // Throws std::invalid_argument for a rate <= 0, std::runtime_error if libsamplerate fails.
  Resampler(int fromRateHz, int toRateHz, ResampleQuality quality = ResampleQuality::kBest);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  int fromRateHz() const { return fromRateHz_; }
  int toRateHz() const { return toRateHz_; }
  // Frames a waveform of `inFrames` frames has once converted: round(inFrames * to / from).
  int64_t outputFrames(int64_t inFrames) const;

  // Converts one whole waveform (the converter starts from rest and is flushed at the end),
  // writing outputFrames(inFrames) frames to `out`. libsamplerate compensates its filter
  // delay, so frame i of the output is the input at time i / toRate.
  void convert(const float* in, int64_t inFrames, float* out);
  std::vector<float> convert(const std::vector<float>& in);

 private:
  int fromRateHz_;
  int toRateHz_;
  SRC_STATE_tag* state_ = nullptr;
};

}  // namespace wae::runtime

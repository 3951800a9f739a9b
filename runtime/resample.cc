#include "runtime/resample.h"

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wae::runtime {

Resampler::Resampler(int fromRateHz, int toRateHz, ResampleQuality quality)
    : fromRateHz_(fromRateHz), toRateHz_(toRateHz) {
  if (fromRateHz <= 0 || toRateHz <= 0) {
    throw std::invalid_argument("resampler: sample rates must be positive, found " +
                                std::to_string(fromRateHz) + " -> " + std::to_string(toRateHz));
  }
  int error = 0;
  const int converter = quality == ResampleQuality::kBest     ? SRC_SINC_BEST_QUALITY
                        : quality == ResampleQuality::kMedium ? SRC_SINC_MEDIUM_QUALITY
                                                              : SRC_SINC_FASTEST;
  state_ = src_new(converter, 1, &error);
  if (!state_) throw std::runtime_error(std::string("libsamplerate: ") + src_strerror(error));
}

Resampler::~Resampler() { src_delete(state_); }

int64_t Resampler::outputFrames(int64_t inFrames) const {
  return int64_t(std::llround(double(inFrames) * toRateHz_ / fromRateHz_));
}

void Resampler::convert(const float* in, int64_t inFrames, float* out) {
  const int64_t outFrames = outputFrames(inFrames);
  if (fromRateHz_ == toRateHz_) {
    std::copy(in, in + inFrames, out);
    return;
  }
  src_reset(state_);
  SRC_DATA data{};
  data.data_in = in;
  data.input_frames = long(inFrames);
  data.data_out = out;
  data.output_frames = long(outFrames);
  data.end_of_input = 1;
  data.src_ratio = double(toRateHz_) / fromRateHz_;
  int64_t written = 0;
  // One call normally does it all; loop in case the converter returns early.
  while (written < outFrames) {
    const int error = src_process(state_, &data);
    if (error) throw std::runtime_error(std::string("libsamplerate: ") + src_strerror(error));
    if (data.output_frames_gen == 0) break;
    written += data.output_frames_gen;
    data.data_in += data.input_frames_used;
    data.input_frames -= data.input_frames_used;
    data.data_out += data.output_frames_gen;
    data.output_frames -= data.output_frames_gen;
  }
  std::fill(out + written, out + outFrames, 0.0f);
}

std::vector<float> Resampler::convert(const std::vector<float>& in) {
  std::vector<float> out(size_t(outputFrames(int64_t(in.size()))));
  convert(in.data(), int64_t(in.size()), out.data());
  return out;
}

}  // namespace wae::runtime

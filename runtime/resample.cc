#include "runtime/resample.h"

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wae::runtime {

namespace {

std::string ratesOf(int fromRateHz, int toRateHz) {
  return std::to_string(fromRateHz) + " Hz -> " + std::to_string(toRateHz) + " Hz";
}

}  // namespace

Resampler::Resampler(int fromRateHz, int toRateHz, ResampleQuality quality)
    : fromRateHz_(fromRateHz), toRateHz_(toRateHz) {
  if (fromRateHz <= 0 || toRateHz <= 0) {
    throw std::invalid_argument("resample: sample rates must be positive, found " +
                                ratesOf(fromRateHz, toRateHz));
  }
  const double ratio = double(toRateHz) / fromRateHz;
  if (!src_is_valid_ratio(ratio)) {
    throw std::invalid_argument("resample: ratio " + std::to_string(ratio) + " (" +
                                ratesOf(fromRateHz, toRateHz) +
                                ") is outside libsamplerate's range 1/256 .. 256");
  }
  int error = 0;
  const int converter = quality == ResampleQuality::kBest     ? SRC_SINC_BEST_QUALITY
                        : quality == ResampleQuality::kMedium ? SRC_SINC_MEDIUM_QUALITY
                                                              : SRC_SINC_FASTEST;
  state_ = src_new(converter, 1, &error);
  if (!state_) throw std::runtime_error(std::string("libsamplerate: ") + src_strerror(error));
  // libsamplerate stops at the last output instant not past the last input frame, which can
  // leave it one frame short of round(n * ratio). A few explicit zeros after the input (the
  // silence it assumes there anyway) let it reach every instant asked for.
  tail_.assign(size_t(std::ceil(2.0 / ratio)) + 2, 0.0f);
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
  data.data_out = out;
  data.output_frames = long(outFrames);
  data.src_ratio = double(toRateHz_) / fromRateHz_;
  int64_t written = 0;
  // The input, then the silent tail marked as the end of input.
  const float* const parts[2] = {in, tail_.data()};
  const int64_t lengths[2] = {inFrames, int64_t(tail_.size())};
  for (int part = 0; part < 2 && written < outFrames; ++part) {
    data.data_in = parts[part];
    data.input_frames = long(lengths[part]);
    data.end_of_input = part;
    while (written < outFrames) {
      const int error = src_process(state_, &data);
      if (error) {
        throw std::runtime_error("resample " + ratesOf(fromRateHz_, toRateHz_) +
                                 ": libsamplerate: " + src_strerror(error));
      }
      written += data.output_frames_gen;
      data.data_out += data.output_frames_gen;
      data.output_frames -= data.output_frames_gen;
      data.data_in += data.input_frames_used;
      data.input_frames -= data.input_frames_used;
      if (data.output_frames_gen == 0 && (data.input_frames_used == 0 || data.input_frames == 0))
        break;
    }
  }
  // Never short by construction; silence if it ever were.
  std::fill(out + written, out + outFrames, 0.0f);
}

std::vector<float> Resampler::convert(const std::vector<float>& in) {
  std::vector<float> out(size_t(outputFrames(int64_t(in.size()))));
  convert(in.data(), int64_t(in.size()), out.data());
  return out;
}

std::vector<float> resample(const std::vector<float>& in, int fromRateHz, int toRateHz) {
  return Resampler(fromRateHz, toRateHz).convert(in);
}

}  // namespace wae::runtime

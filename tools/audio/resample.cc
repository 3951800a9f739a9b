#include "tools/audio/resample.h"

#include <samplerate.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace wae {

std::vector<float> resample(const std::vector<float>& in, double fromRateHz, double toRateHz) {
  if (!(fromRateHz > 0) || !(toRateHz > 0))
    throw std::invalid_argument("resample: rates must be positive, got " +
                                std::to_string(fromRateHz) + " Hz -> " + std::to_string(toRateHz) +
                                " Hz");
  if (fromRateHz == toRateHz) return in;
  const double ratio = toRateHz / fromRateHz;
  if (!src_is_valid_ratio(ratio))
    throw std::invalid_argument("resample: ratio " + std::to_string(ratio) + " (" +
                                std::to_string(fromRateHz) + " Hz -> " + std::to_string(toRateHz) +
                                " Hz) is outside libsamplerate's "
                                "range 1/256 .. 256");
  const size_t outLength = static_cast<size_t>(std::llround(in.size() * ratio));
  if (in.empty()) return {};

  // src_simple stops at the last output instant not past the last input sample, which can
  // leave it one sample short of round(n * ratio). A few explicit zeros (what the converter
  // assumes past the end anyway) let it reach the last instant we want.
  std::vector<float> padded(in);
  padded.resize(in.size() + static_cast<size_t>(std::ceil(2.0 / ratio)) + 2, 0.0f);
  std::vector<float> out(static_cast<size_t>(std::ceil(padded.size() * ratio)) + 16);

  SRC_DATA data{};
  data.data_in = padded.data();
  data.input_frames = static_cast<long>(padded.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  data.end_of_input = 1;
  const int error = src_simple(&data, SRC_SINC_BEST_QUALITY, 1);
  if (error != 0)
    throw std::runtime_error("resample " + std::to_string(fromRateHz) + " Hz -> " +
                             std::to_string(toRateHz) +
                             " Hz: libsamplerate: " + src_strerror(error));
  // Never short by construction; resize() would pad with silence if it ever were.
  out.resize(static_cast<size_t>(data.output_frames_gen));
  out.resize(outLength, 0.0f);
  return out;
}

}  // namespace wae

// Sample-rate conversion with libsamplerate (SRC_SINC_BEST_QUALITY). No LibTorch.
#pragma once

#include <vector>

namespace wae {

// Converts mono `in` from fromRateHz to toRateHz. The result has exactly
// round(in.size() * toRateHz / fromRateHz) samples, sample k lying at time k / toRateHz
// (so the first samples line up, and a tool can cut a fixed-length example from it).
// Past the input's end the converter sees silence. Equal rates return a copy.
// Throws std::invalid_argument for a non-positive rate or a ratio libsamplerate cannot do
// (outside 1/256 .. 256), std::runtime_error with libsamplerate's message if it fails.
// Thread-safe: no shared state.
std::vector<float> resample(const std::vector<float>& in, double fromRateHz, double toRateHz);

}  // namespace wae

// Live mode's plugin boundary. The external never links LibTorch: live mode lives in
// wae-sampler-live.so (pd/live/live_plugin.cc, LibTorch + generative.pt), which the external
// loads with dlopen() from its own folder only when live mode is asked for.
#pragma once

#include <cstddef>

#include "runtime/live.h"

namespace wae::pd {

inline constexpr char kLiveLibrary[] = "wae-sampler-live.so";
inline constexpr char kLiveCreateSymbol[] = "wae_live_create";

// Loads generative.pt at `path` and returns a source rendering it (normalised point -> the
// model's axis ranges -> forward), or null with a message naming the file in `error`.
using LiveCreateFn = runtime::WaveformSource* (*)(const char* path, char* error,
                                                  size_t errorSize);

}  // namespace wae::pd

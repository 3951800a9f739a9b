// Fast Griffin-Lim (Perraudin, Balazs, Sondergaard 2013) from an amplitude mel, as a
// TorchScript module built in C++ with the same interface as mcnn.pt:
//   forward(mel: [B, n_mels, T]) -> wave [B, hop_length * T]
//   magnitude(mel) -> linear magnitude [B, n_fft / 2 + 1, T + 1]
// The baseline the MCNN is measured against and the fallback inverter of make_generative
// (`--inversion griffin-lim:N`). docs/INVERSION.md gives the figures.
//
// Mel -> linear magnitude: the filterbank's pseudo-inverse, clamped at 0 ("pinv"), then
// optionally a few multiplicative non-negative least-squares updates
// X <- X * (W^T M) / (W^T W X + eps) that lower ||W X - M|| while keeping X >= 0 ("nnls",
// the default). The STFT of hop * T samples has T + 1 frames (frame convention of
// tools/audio/spectrogram.h): the last mel frame is repeated for the extra one. Then
// `iterations` rounds of fast Griffin-Lim from zero phase (deterministic), momentum 0.99 by
// default, and a last inverse STFT. LibTorch.
//
// Threads: a module may be used by one thread at a time.
#pragma once

#include <torch/script.h>

#include <string>

#include "common/audio_settings.h"

namespace wae::inversion {

inline constexpr char kGriffinLimFormat[] = "wae-sampler-griffin-lim";
inline constexpr int kGriffinLimVersion = 1;

struct GriffinLimOptions {
  int iterations = 32;
  double momentum = 0.99;
  std::string magnitude = "nnls";  // "pinv" or "nnls"
  int nnlsIterations = 10;         // "nnls" only
};

// Throws std::invalid_argument naming the bad option (iterations 0..10000, momentum in
// [0, 1), magnitude pinv or nnls, nnls iterations 1..1000) or settings (power 1 or 2).
void validate(const GriffinLimOptions& options, const AudioSettings& settings);

torch::jit::Module makeGriffinLimModule(const AudioSettings& settings,
                                        const GriffinLimOptions& options = {});

}  // namespace wae::inversion

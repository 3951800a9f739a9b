// A generative.pt with an analytic forward, written from C++ (torch::jit::Module::define), for
// tests and benchmarks that need a model with known outputs and no training. Test-only.
//
// For a reduced point z, with u_i = (z_i - axis_min_i) / (axis_max_i - axis_min_i):
//   f     = fLowHz * (fHighHz / fLowHz)^((u1 + u2) / 2)    pitch: 110..880 Hz by default
//   a     = 0.2 + 0.6 * u3                                  amplitude
//   h     = u4                                              weight of the second harmonic
//   tone[t] = a * ((1 - h/2) sin(2 pi f t / sr) + (h/2) sin(4 pi f t / sr))
//   wave[t] = tone[t] + fixedLevel * a * sin(2 pi fixedHz t / sr)
// computed in float64 and rounded to float32. forward_full takes the first 4 coordinates of
// the full latent; the optional project(mel) returns the mean over frames of mel bands 0..3.
// f0(z) returns f exactly (the same float64 formula, rounded to float32): the fundamental,
// whose weight 1 - h/2 is never below the harmonic's; f0_full(z) takes z's first 4 values.
// The optional forward_parts(z) gives (tone, fixed part, f0): a model with a "harmonic" part
// that follows the pitch and a "noise" part that does not (an hpn.pt's two parts), with
// exact references for the bank and engine tests of split banks.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace wae::generative {

struct AnalyticOptions {
  int length = 4096;  // samples per waveform; a multiple of hopLength
  int sampleRate = 22050;
  int hopLength = 256;
  int fullDim = 6;
  std::array<double, 4> axisMin{-2, -2, -2, -2};
  std::array<double, 4> axisMax{2, 2, 2, 2};
  double fLowHz = 110;
  double fHighHz = 880;
  bool withProject = false;
  bool withF0 = true;  // define f0 and f0_full
  // A part at a fixed frequency whatever the point (0: none; forward is then the tone).
  double fixedHz = 3000;
  double fixedLevel = 0;
  bool withParts = false;  // define forward_parts (needs withF0)

  // For tests of the reader's checks of f0's output: 0 the exact f0; 1 an output of shape
  // [B, 1]; 2 the negated f0; 3 NaN.
  int f0Fault = 0;

  // For tests of the reader's refusals: attributes to leave out (not those forward reads:
  // axis_min, axis_max, sample_rate, n_samples), and a reduced_dim to record instead of 4
  // (the forward still takes 4 coordinates).
  std::vector<std::string> omitAttributes;
  int recordedReducedDim = 4;
};

// Writes the module to `path` (atomically).
void writeAnalyticModel(const std::string& path, const AnalyticOptions& options = {});

// The C++ reference of forward for one point, in float64 then rounded to float32.
std::vector<float> analyticWave(const std::array<float, 4>& z, const AnalyticOptions& options = {});

// The C++ reference of forward_parts' first two outputs for one point: the tone and the
// fixed part, each in float64 then rounded to float32.
std::pair<std::vector<float>, std::vector<float>> analyticParts(
    const std::array<float, 4>& z, const AnalyticOptions& options = {});

// The C++ reference of f0 for one point: f in float64, rounded to float32.
float analyticF0(const std::array<float, 4>& z, const AnalyticOptions& options = {});

}  // namespace wae::generative

// The C++ wrapper around generative.pt that the brief names: one latent point in, a fixed
// number of samples out. LibTorch stays behind a pimpl so that code including this header
// does not compile Torch's headers.
//
// Threads: one object may be used by one thread at a time; a batch uses torch's intra-op
// threads (torch::set_num_threads / setUpModelThread below).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/audio_settings.h"

namespace wae {

class GenerativeModel {
 public:
  // torch::jit::load + eval, then checks every attribute of the contract
  // (tools/generative/generative_schema.h). A missing file, a file that is not TorchScript,
  // or a missing or bad attribute or method throws wae::FormatError naming the file and the
  // attribute.
  static GenerativeModel load(const std::string& path);

  GenerativeModel(GenerativeModel&&) noexcept;
  GenerativeModel& operator=(GenerativeModel&&) noexcept;
  ~GenerativeModel();

  const std::string& path() const;
  int reducedDim() const;  // always 4
  int fullDim() const;
  int sampleRate() const;  // Hz
  int length() const;      // samples per waveform (n_samples)
  // Per axis (min, max) of the reduced latent, in the model's own coordinates.
  std::array<std::pair<double, double>, 4> axisRanges() const;
  AudioSettings audioSettings() const;
  bool hasProject() const;    // whether the optional project() method is there
  bool hasF0() const;         // whether the optional f0() and f0_full() methods are both there
  bool hasForwardF0() const;  // whether the optional forward_f0() is there (then hasF0())
  // Whether the optional forward_parts() is there (then hasF0()): an inverter that synthesises
  // a harmonic and a noise part (an hpn.pt).
  bool hasForwardParts() const;
  // Whether the optional decode() is there: a VAE's decoder of log-mel spectrograms makes the
  // waveforms (make_generative's), so their level follows the latent point in dB.
  bool hasDecode() const;

  // One reduced point (4 floats) -> length() samples.
  std::vector<float> forward(const float* z) const;
  // z: [batch, 4] row-major -> out: [batch, length()] row-major. Under c10::InferenceMode.
  void forwardBatch(const float* z, int batch, float* out) const;
  // z: [batch, fullDim()] -> out: [batch, length()].
  void forwardFull(const float* z, int batch, float* out) const;
  // mel: [batch, n_mels, n_frames] -> out: [batch, 4]. Throws std::logic_error without
  // project().
  void project(const float* mel, int batch, float* out) const;
  // z: [batch, 4] -> each point's fundamental in Hz, 0 where unpitched. Throws
  // wae::FormatError naming the file and the method if the output is not [batch] or a value
  // is not finite and >= 0; std::logic_error without f0().
  std::vector<float> f0(const float* z, int batch) const;
  // forwardBatch and f0 in one call: with forward_f0() one run of the model, which gives
  // the same values as the two (a bake wants both of every point); else the two calls.
  // Throws as they do; std::logic_error without f0().
  std::vector<float> forwardWithF0(const float* z, int batch, float* out) const;
  // forwardWithF0's waveform in its two parts: harmonic and noise, each [batch, length()],
  // whose sum is forwardBatch's up to rounding; returns f0. Throws wae::FormatError naming
  // the output (forward_parts[0] .. [2]) when one has the wrong shape or a bad f0;
  // std::logic_error without forward_parts().
  std::vector<float> forwardParts(const float* z, int batch, float* harmonic, float* noise) const;

 private:
  struct Impl;
  explicit GenerativeModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Sets up the calling thread for model calls: torch's intra-op thread count (0: leave torch's
// default, all cores; threads that start later take the last count set), and TorchScript's
// graph executor without its profiling runs, a setting of the calling thread only, which
// re-ran and re-optimised each method on its first two calls for the same operations: a bake
// of 32 points took 1.5-1.8 s instead of 2.0-2.2 s, a bank the same bytes (docs/REPORT.md,
// "Baking"). Training sets the same.
void setUpModelThread(int threads);

}  // namespace wae

// The harmonic-plus-noise inverter of hpn.pt: an MCNN-family network (a convolutional
// network over the mel's frames, no upsampling stack) that predicts the note's pitch and,
// per frame, harmonic and noise envelopes, then synthesises harmonics whose phases start at
// zero at the note's first sample, after the context (so neighbouring notes of one f0 are
// close sample by sample, and of two f0s once read at the rate of the two) plus filtered
// noise. Defined once as a TorchScript module built in C++ (torch::jit::Module::define, the
// methods in hpn_model.torchscript): the module train_hpn trains is the one it saves.
// Contract names in hpn_schema.h; the architecture in docs/INVERSION.md.
//
// Threads: a module may be used by one thread at a time (torch's intra-op threads inside).
#pragma once

#include <torch/script.h>

#include <string>
#include <vector>

#include "common/audio_settings.h"
#include "tools/hpn/hpn_config.h"

namespace wae::hpn {

// Throws std::invalid_argument naming the bad field.
void validate(const HpnConfig& config, const AudioSettings& settings);

// Number of pitch bins: pitchMin .. pitchMax in steps of pitchStep.
int pitchBins(const HpnConfig& config);

// The pitch estimate's template, on the bins pitchMin, pitchMin + pitchStep, ...: for
// template point j (harmonic j + 1 for j < K = pitchHarmonics, then the points half-way
// below harmonics 1..K, at (j - K + 0.5) f0) and bin b, the mel band `index` [2K, bins] just
// below the point's frequency and the point's `frac` [2K, bins] of the way to the next band
// centre, linear on the mel scale; index = n_mels (a column that is dropped) where the point
// lies outside the band centres. `u` [bins] = (pitch - 60) / 24, the prior's variable.
struct PitchTemplate {
  torch::Tensor index, frac, u;
};
PitchTemplate pitchTemplate(const HpnConfig& config, const AudioSettings& settings);

// A new, untrained module. Parameters drawn from torch's global generator (seed it first)
// and requiring grad; the fixed noise signal from config.noiseSeed. logMean, logStd: float
// [n_mels], per-band statistics of log(mel + logEps) on the train split.
torch::jit::Module makeHpnModule(const HpnConfig& config, const AudioSettings& settings,
                                 const torch::Tensor& logMean, const torch::Tensor& logStd);

// Records the number of epochs trained (attribute epoch).
void setEpoch(torch::jit::Module& module, int epoch);

// Soft targets for pitch_logits: a Gaussian of `sigma` semitones around each note's MIDI
// pitch over the bins, normalised. midi: float [B] -> [B, pitchBins].
torch::Tensor pitchTargets(const HpnConfig& config, const torch::Tensor& midi, double sigma);

torch::Tensor midiToHz(const torch::Tensor& midi);

struct HpnInfo {
  HpnConfig config;
  AudioSettings settings;
  int epoch = 0;
};

// Checks format, version, methods and attributes of a loaded hpn.pt; throws
// wae::FormatError naming `file` and the attribute or method.
HpnInfo checkHpnModule(const torch::jit::Module& module, const std::string& file);

// loadModule + checkHpnModule + eval().
torch::jit::Module loadHpn(const std::string& file, HpnInfo* info = nullptr);

}  // namespace wae::hpn

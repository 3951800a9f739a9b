// The audio and analysis settings every artefact records (dataset.h5, model.pt, mcnn.pt,
// generative.pt, bank.h5) and every consumer checks. See docs/DESIGN.md, "Audio
// settings". No dependencies: usable from tools, the bank reader and the runtime.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wae {

struct AudioSettings {
  int sampleRate = 22050;
  int nFft = 1024;
  int hopLength = 256;
  int winLength = 1024;
  std::string window = "hann";
  int nMels = 80;
  double fMinHz = 0.0;
  double fMaxHz = 11025.0;
  std::string melScale = "slaney";
  std::string melNorm = "slaney";
  double power = 1.0;       // 1: magnitude, 2: power
  int nFrames = 128;        // frames per example
  int nSamples = 32768;     // samples per example = nFrames * hopLength

  // Throws std::invalid_argument naming the first inconsistent field.
  void validate() const;
};

// Calls visit(name, field) for every field, with its storage name: these names are the
// contract for HDF5 attributes and TorchScript attributes alike, defined here only.
// `field` is an int&, double& or std::string& (const for a const AudioSettings).
template <class Settings, class Visitor>
void visitFields(Settings& s, Visitor&& visit) {
  visit("sample_rate", s.sampleRate);
  visit("n_fft", s.nFft);
  visit("hop_length", s.hopLength);
  visit("win_length", s.winLength);
  visit("window", s.window);
  visit("n_mels", s.nMels);
  visit("f_min", s.fMinHz);
  visit("f_max", s.fMaxHz);
  visit("mel_scale", s.melScale);
  visit("mel_norm", s.melNorm);
  visit("power", s.power);
  visit("n_frames", s.nFrames);
  visit("n_samples", s.nSamples);
}

// "name=value" for every field, in visitFields' order.
std::vector<std::pair<std::string, std::string>> printedFields(const AudioSettings& s);

// Empty if `found` equals `expected`; otherwise one line per differing field:
// "sample_rate: <foundWhere> has 16000, <expectedWhere> expects 22050".
std::string describeMismatch(const AudioSettings& expected, const std::string& expectedWhere,
                             const AudioSettings& found, const std::string& foundWhere);

// Throws std::runtime_error with describeMismatch's text if the settings differ.
void requireSame(const AudioSettings& expected, const std::string& expectedWhere,
                 const AudioSettings& found, const std::string& foundWhere);

}  // namespace wae

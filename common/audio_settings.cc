#include "common/audio_settings.h"

#include <sstream>
#include <stdexcept>

namespace wae {
namespace {

std::string str(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

}  // namespace

void AudioSettings::validate() const {
  auto fail = [](const std::string& what) {
    throw std::invalid_argument("audio settings: " + what);
  };
  if (sampleRate <= 0) fail("sample_rate must be positive, got " + std::to_string(sampleRate));
  if (nFft <= 0) fail("n_fft must be positive, got " + std::to_string(nFft));
  if (winLength <= 0 || winLength > nFft)
    fail("win_length must be in 1..n_fft (" + std::to_string(nFft) + "), got " +
         std::to_string(winLength));
  if (hopLength <= 0) fail("hop_length must be positive, got " + std::to_string(hopLength));
  if (nMels <= 0) fail("n_mels must be positive, got " + std::to_string(nMels));
  if (!(fMinHz >= 0 && fMinHz < fMaxHz && fMaxHz <= sampleRate / 2.0))
    fail("need 0 <= f_min < f_max <= sample_rate/2, got f_min " + str(fMinHz) + ", f_max " +
         str(fMaxHz));
  if (nFrames <= 0) fail("n_frames must be positive, got " + std::to_string(nFrames));
  if (nSamples != nFrames * hopLength)
    fail("n_samples must be n_frames * hop_length = " + std::to_string(nFrames * hopLength) +
         ", got " + std::to_string(nSamples));
  if (window != "hann") fail("window must be \"hann\", got \"" + window + "\"");
  if (melScale != "slaney") fail("mel_scale must be \"slaney\", got \"" + melScale + "\"");
  if (melNorm != "slaney") fail("mel_norm must be \"slaney\", got \"" + melNorm + "\"");
  if (power != 1.0 && power != 2.0) fail("power must be 1 or 2, got " + str(power));
}

std::vector<std::pair<std::string, std::string>> printedFields(const AudioSettings& s) {
  std::vector<std::pair<std::string, std::string>> out;
  struct Printer {
    std::vector<std::pair<std::string, std::string>>& out;
    void operator()(const char* name, int v) { out.emplace_back(name, std::to_string(v)); }
    void operator()(const char* name, double v) { out.emplace_back(name, str(v)); }
    void operator()(const char* name, const std::string& v) { out.emplace_back(name, v); }
  };
  visitFields(s, Printer{out});
  return out;
}

std::string describeMismatch(const AudioSettings& expected, const std::string& expectedWhere,
                             const AudioSettings& found, const std::string& foundWhere) {
  const auto want = printedFields(expected);
  const auto got = printedFields(found);
  std::string out;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].second == got[i].second) continue;
    if (!out.empty()) out += "\n";
    out += want[i].first + ": " + foundWhere + " has " + got[i].second + ", " + expectedWhere +
           " expects " + want[i].second;
  }
  return out;
}

void requireSame(const AudioSettings& expected, const std::string& expectedWhere,
                 const AudioSettings& found, const std::string& foundWhere) {
  const std::string diff = describeMismatch(expected, expectedWhere, found, foundWhere);
  if (!diff.empty())
    throw std::runtime_error("audio settings differ between " + foundWhere + " and " +
                             expectedWhere + ":\n" + diff);
}

}  // namespace wae

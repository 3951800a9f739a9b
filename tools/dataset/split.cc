#include "tools/dataset/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

namespace wae::dataset {
namespace {

// Unbiased integer in [0, n) from mt19937_64, whose output the standard fixes; the
// standard distributions are implementation-defined, so we do not use them.
uint64_t below(std::mt19937_64& rng, uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng(); while (x >= limit);
  return x % n;
}

template <class T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(rng, i)]);
}

}  // namespace

std::string toString(SplitMode mode) {
  return mode == SplitMode::kStratifiedByFamily ? "stratified-by-family"
                                                : "hold-out-instruments";
}

SplitMode parseSplitMode(const std::string& name) {
  if (name == "stratified-by-family") return SplitMode::kStratifiedByFamily;
  if (name == "hold-out-instruments") return SplitMode::kHoldOutInstruments;
  throw std::invalid_argument("split mode: found \"" + name +
                              "\", expected stratified-by-family or hold-out-instruments");
}

std::vector<Split> assignSplits(const std::vector<NoteAnnotation>& notes,
                                const SplitOptions& options) {
  if (options.validFraction < 0 || options.testFraction < 0 ||
      options.validFraction + options.testFraction >= 1)
    throw std::invalid_argument("split fractions: valid and test must be >= 0 and sum below 1");
  std::vector<Split> splits(notes.size(), Split::kTrain);

  // Notes of each family, sorted by note_str so that the input order does not matter.
  std::map<int, std::vector<size_t>> byFamily;
  for (size_t i = 0; i < notes.size(); ++i) byFamily[notes[i].family].push_back(i);

  std::mt19937_64 rng(options.seed);
  for (auto& [family, members] : byFamily) {
    std::sort(members.begin(), members.end(),
              [&](size_t a, size_t b) { return notes[a].noteStr < notes[b].noteStr; });
    const double n = members.size();
    const size_t nTest = std::lround(n * options.testFraction);
    const size_t nValid = std::lround(n * options.validFraction);

    if (options.mode == SplitMode::kStratifiedByFamily) {
      shuffle(members, rng);
      for (size_t k = 0; k < members.size(); ++k)
        splits[members[k]] = k < nTest ? Split::kTest
                           : k < nTest + nValid ? Split::kValid : Split::kTrain;
      continue;
    }
    // Hold out whole instruments: shuffled instruments fill test, then valid, until each
    // holds at least its share of the family's notes; the rest train.
    std::map<int, std::vector<size_t>> byInstrument;
    for (size_t i : members) byInstrument[notes[i].instrument].push_back(i);
    std::vector<int> instruments;
    for (const auto& entry : byInstrument) instruments.push_back(entry.first);
    shuffle(instruments, rng);
    size_t inTest = 0, inValid = 0;
    for (int instrument : instruments) {
      const auto& its = byInstrument[instrument];
      Split s = Split::kTrain;
      if (inTest < nTest) {
        s = Split::kTest;
        inTest += its.size();
      } else if (inValid < nValid) {
        s = Split::kValid;
        inValid += its.size();
      }
      for (size_t i : its) splits[i] = s;
    }
  }
  return splits;
}

}  // namespace wae::dataset

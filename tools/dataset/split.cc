#include "tools/dataset/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
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

std::string number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

void bad(const std::string& option, const std::string& found, const std::string& expected) {
  throw std::invalid_argument(option + ": found " + found + ", expected " + expected);
}

// Shuffles each family's notes (sorted by note_str first, so that the input order does not
// matter) and cuts them into test, valid and train by the fractions.
void stratify(const std::vector<NoteAnnotation>& notes, const std::vector<size_t>& candidates,
              const SplitOptions& options, std::mt19937_64& rng, std::vector<Split>& splits) {
  std::map<int, std::vector<size_t>> byFamily;
  for (size_t i : candidates) byFamily[notes[i].family].push_back(i);
  for (auto& [family, members] : byFamily) {
    std::sort(members.begin(), members.end(),
              [&](size_t a, size_t b) { return notes[a].noteStr < notes[b].noteStr; });
    const double n = members.size();
    const size_t nTest = std::lround(n * options.testFraction);
    const size_t nValid = std::lround(n * options.validFraction);
    shuffle(members, rng);
    for (size_t k = 0; k < members.size(); ++k)
      splits[members[k]] = k < nTest ? Split::kTest
                         : k < nTest + nValid ? Split::kValid : Split::kTrain;
  }
}

std::vector<Split> honest(const std::vector<NoteAnnotation>& notes, const SplitOptions& options) {
  std::vector<Split> splits(notes.size(), Split::kTrain);
  std::vector<bool> heldOut(notes.size(), false);

  // Whole instruments: per family (ascending), its instrument ids sorted, shuffled, the first
  // n held out. The instrument generator is its own, so the choice does not depend on the
  // pitch options.
  std::map<int, std::map<int, std::vector<size_t>>> instrumentsByFamily;
  for (size_t i = 0; i < notes.size(); ++i)
    instrumentsByFamily[notes[i].family][notes[i].instrument].push_back(i);
  std::mt19937_64 instrumentRng(options.seed);
  const size_t perFamily = options.holdoutInstrumentsPerFamily;
  for (auto& [family, byInstrument] : instrumentsByFamily) {
    if (perFamily == 0 || byInstrument.size() < perFamily + 2) continue;
    std::vector<int> ids;
    for (const auto& entry : byInstrument) ids.push_back(entry.first);
    shuffle(ids, instrumentRng);
    for (size_t k = 0; k < perFamily; ++k)
      for (size_t i : byInstrument[ids[k]]) {
        splits[i] = Split::kTestInstrument;
        heldOut[i] = true;
      }
  }
  // Whole pitches, the same for every instrument.
  if (options.holdoutPitchEvery > 0)
    for (size_t i = 0; i < notes.size(); ++i)
      if (!heldOut[i] &&
          notes[i].pitch % options.holdoutPitchEvery == options.holdoutPitchOffset) {
        splits[i] = Split::kTestPitch;
        heldOut[i] = true;
      }
  std::vector<size_t> rest;
  for (size_t i = 0; i < notes.size(); ++i)
    if (!heldOut[i]) rest.push_back(i);
  // A generator of its own, so that the stratified cut of a family does not depend on how
  // many instruments other families held out.
  std::mt19937_64 stratifyRng(options.seed ^ 0x9e3779b97f4a7c15ull);
  stratify(notes, rest, options, stratifyRng, splits);
  return splits;
}

}  // namespace

std::string toString(SplitMode mode) {
  switch (mode) {
    case SplitMode::kStratifiedByFamily: return "stratified-by-family";
    case SplitMode::kHoldOutInstruments: return "hold-out-instruments";
    case SplitMode::kHonest: return "honest";
  }
  return "?";
}

SplitMode parseSplitMode(const std::string& name) {
  if (name == "stratified-by-family") return SplitMode::kStratifiedByFamily;
  if (name == "hold-out-instruments") return SplitMode::kHoldOutInstruments;
  if (name == "honest") return SplitMode::kHonest;
  throw std::invalid_argument("--split-mode: found \"" + name +
                              "\", expected honest, stratified-by-family or hold-out-instruments");
}

void SplitOptions::validate() const {
  if (!(validFraction >= 0 && validFraction < 1))
    bad("--valid-fraction", number(validFraction), "a fraction in [0, 1)");
  if (!(testFraction >= 0 && testFraction < 1))
    bad("--test-fraction", number(testFraction), "a fraction in [0, 1)");
  if (!(validFraction + testFraction < 1))
    bad("--valid-fraction + --test-fraction", number(validFraction + testFraction),
        "a sum below 1 (train keeps the rest)");
  if (holdoutPitchEvery < 0 || holdoutPitchEvery == 1)
    bad("--holdout-pitch-every", std::to_string(holdoutPitchEvery),
        "0 (no pitch held out) or 2 and more (one pitch in k held out)");
  if (holdoutPitchEvery > 0 && (holdoutPitchOffset < 0 || holdoutPitchOffset >= holdoutPitchEvery))
    bad("--holdout-pitch-offset", std::to_string(holdoutPitchOffset),
        "0.." + std::to_string(holdoutPitchEvery - 1) + " (below --holdout-pitch-every)");
  if (holdoutInstrumentsPerFamily < 0)
    bad("--holdout-instruments-per-family", std::to_string(holdoutInstrumentsPerFamily),
        "0 or more");
}

std::vector<Split> assignSplits(const std::vector<NoteAnnotation>& notes,
                                const SplitOptions& options) {
  options.validate();
  if (options.mode == SplitMode::kHonest) return honest(notes, options);

  std::vector<Split> splits(notes.size(), Split::kTrain);
  std::mt19937_64 rng(options.seed);
  if (options.mode == SplitMode::kStratifiedByFamily) {
    std::vector<size_t> all(notes.size());
    std::iota(all.begin(), all.end(), size_t{0});
    stratify(notes, all, options, rng, splits);
    return splits;
  }
  // Hold out whole instruments: within each family, shuffled instruments fill test, then
  // valid, until each holds at least its share of the family's notes; the rest train.
  std::map<int, std::vector<size_t>> byFamily;
  for (size_t i = 0; i < notes.size(); ++i) byFamily[notes[i].family].push_back(i);
  for (auto& [family, members] : byFamily) {
    std::sort(members.begin(), members.end(),
              [&](size_t a, size_t b) { return notes[a].noteStr < notes[b].noteStr; });
    const double n = members.size();
    const size_t nTest = std::lround(n * options.testFraction);
    const size_t nValid = std::lround(n * options.validFraction);
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

std::vector<int64_t> spreadRows(int64_t size, int limit) {
  const int64_t n = limit > 0 ? std::min<int64_t>(size, limit) : size;
  std::vector<int64_t> rows(n);
  for (int64_t k = 0; k < n; ++k) rows[k] = k * size / n;
  return rows;
}

}  // namespace wae::dataset

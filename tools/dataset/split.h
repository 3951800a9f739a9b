// The split of a dataset into train, valid and test sets: reproducible from a seed,
// stratified by instrument family. The default mode, "honest", also holds out whole pitches
// (test_pitch) and whole instruments (test_instrument), so that one training is measured on
// notes it has neighbours of (test), on pitches it never heard (test_pitch) and on
// instruments it never heard (test_instrument). See docs/FORMATS.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/dataset/nsynth.h"
#include "tools/dataset/schema.h"

namespace wae::dataset {

enum class SplitMode {
  kStratifiedByFamily,  // within each family, notes are shuffled and cut by fraction
  kHoldOutInstruments,  // within each family, whole instruments go to valid or test
  kHonest,              // test_instrument, then test_pitch, then stratified by family
};

std::string toString(SplitMode mode);                 // "stratified-by-family", ...
SplitMode parseSplitMode(const std::string& name);    // throws std::invalid_argument

struct SplitOptions {
  uint64_t seed = 20261124;
  double validFraction = 0.1;  // of the notes not held out (mode honest) or of all
  double testFraction = 0.1;
  SplitMode mode = SplitMode::kHonest;
  // Mode honest: every note whose pitch % holdoutPitchEvery == holdoutPitchOffset goes to
  // test_pitch (the same pitches for every instrument); 0 holds no pitch out. The default
  // offset 3 keeps the ends of the default corpus's range (36 and 84, multiples of 6) in
  // training, so that test_pitch measures interpolation between trained pitches.
  int holdoutPitchEvery = 6;
  int holdoutPitchOffset = 3;
  // Mode honest: each family with at least holdoutInstrumentsPerFamily + 2 instruments has
  // that many instruments (all their notes) in test_instrument; 0 holds none out.
  int holdoutInstrumentsPerFamily = 1;

  // Throws std::invalid_argument naming the option (as make_dataset spells it), the value
  // found and what is expected. Called before any file is read.
  void validate() const;
};

// One Split per note. Depends only on the notes' note_str, pitch, family and instrument and
// on the options (not on the notes' order, nor on the platform's standard library).
std::vector<Split> assignSplits(const std::vector<NoteAnnotation>& notes,
                                const SplitOptions& options);

// The rows an evaluation of `limit` examples uses out of a split of `size`: all of them
// (limit 0 or >= size), or `limit` spread evenly (row floor(k * size / limit) for k < limit),
// so that a subset still holds every family: a split is in note_str order, that is by
// family.
std::vector<int64_t> spreadRows(int64_t size, int limit);

}  // namespace wae::dataset

// The train/valid/test split: reproducible from a seed, stratified by instrument family,
// or holding whole instruments out (to measure generalisation to unseen instruments).
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
};

std::string toString(SplitMode mode);                 // "stratified-by-family", ...
SplitMode parseSplitMode(const std::string& name);    // throws std::invalid_argument

struct SplitOptions {
  uint64_t seed = 20261124;
  double validFraction = 0.1;
  double testFraction = 0.1;
  SplitMode mode = SplitMode::kStratifiedByFamily;
};

// One Split per note. Depends only on the notes' note_str, family and instrument and on the
// options (not on the notes' order, nor on the platform's standard library).
std::vector<Split> assignSplits(const std::vector<NoteAnnotation>& notes,
                                const SplitOptions& options);

}  // namespace wae::dataset

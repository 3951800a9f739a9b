// The split modes on annotations made here: which notes go where (exactly, for the default
// seed), reproducibly and whatever the input order, and the options' error messages.
#include "tools/dataset/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace wae::dataset {
namespace {

// Family f has f + 2 instruments (ids 10 f + k); each plays pitches 36..47 at velocities
// 50 and 100: 24 notes per instrument.
std::vector<NoteAnnotation> grid() {
  std::vector<NoteAnnotation> notes;
  for (int family = 0; family < 3; ++family)
    for (int k = 0; k < family + 2; ++k)
      for (int pitch = 36; pitch <= 47; ++pitch)
        for (int velocity : {50, 100}) {
          NoteAnnotation n;
          n.instrument = 10 * family + k;
          n.family = family;
          n.pitch = pitch;
          n.velocity = velocity;
          n.noteStr = std::to_string(n.instrument) + "-" + std::to_string(pitch) + "-" +
                      std::to_string(velocity);
          notes.push_back(n);
        }
  return notes;
}

std::set<int> instrumentsIn(const std::vector<NoteAnnotation>& notes,
                            const std::vector<Split>& splits, Split which) {
  std::set<int> ids;
  for (size_t i = 0; i < notes.size(); ++i)
    if (splits[i] == which) ids.insert(notes[i].instrument);
  return ids;
}

TEST(HonestSplit, IsTheDefault) {
  EXPECT_EQ(SplitOptions{}.mode, SplitMode::kHonest);
  EXPECT_EQ(toString(SplitMode::kHonest), "honest");
  EXPECT_EQ(parseSplitMode("honest"), SplitMode::kHonest);
  EXPECT_EQ(parseSplitMode("stratified-by-family"), SplitMode::kStratifiedByFamily);
  EXPECT_EQ(parseSplitMode("hold-out-instruments"), SplitMode::kHoldOutInstruments);
}

TEST(HonestSplit, SendsEachNoteWhereTheRulesSay) {
  const auto notes = grid();
  const SplitOptions options;  // seed 20261124, k 6, r 3, one instrument per family
  const auto splits = assignSplits(notes, options);

  // Families 1 (ids 10-12) and 2 (20-23) lose one instrument each, family 0 (0, 1) none. Which
  // one follows from the seed alone (mt19937_64 is fixed by the standard).
  EXPECT_EQ(instrumentsIn(notes, splits, Split::kTestInstrument), (std::set<int>{10, 23}));
  std::map<Split, int> count;
  std::map<std::pair<int, Split>, int> byFamily;
  for (size_t i = 0; i < notes.size(); ++i) {
    const NoteAnnotation& n = notes[i];
    const Split s = splits[i];
    ++count[s];
    ++byFamily[{n.family, s}];
    const bool heldInstrument = n.instrument == 10 || n.instrument == 23;
    const bool heldPitch = n.pitch == 39 || n.pitch == 45;
    if (heldInstrument)
      EXPECT_EQ(s, Split::kTestInstrument) << n.noteStr;  // all its notes, any pitch
    else if (heldPitch)
      EXPECT_EQ(s, Split::kTestPitch) << n.noteStr;
    else
      EXPECT_TRUE(s == Split::kTrain || s == Split::kValid || s == Split::kTest) << n.noteStr;
  }
  // 9 instruments x 24 notes = 216; 2 held out (48 notes); 7 x 4 notes at pitches 39, 45.
  EXPECT_EQ(count[Split::kTestInstrument], 48);
  EXPECT_EQ(count[Split::kTestPitch], 28);
  // The rest, per family, cut by the fractions (10 % each, rounded): family 0 has
  // 2 x 20 = 40 notes left (4 test, 4 valid), family 1 40 (4, 4), family 2 60 (6, 6).
  EXPECT_EQ((byFamily[{0, Split::kTest}]), 4);
  EXPECT_EQ((byFamily[{0, Split::kValid}]), 4);
  EXPECT_EQ((byFamily[{0, Split::kTrain}]), 32);
  EXPECT_EQ((byFamily[{1, Split::kTest}]), 4);
  EXPECT_EQ((byFamily[{1, Split::kValid}]), 4);
  EXPECT_EQ((byFamily[{1, Split::kTrain}]), 32);
  EXPECT_EQ((byFamily[{2, Split::kTest}]), 6);
  EXPECT_EQ((byFamily[{2, Split::kValid}]), 6);
  EXPECT_EQ((byFamily[{2, Split::kTrain}]), 48);
}

TEST(HonestSplit, NoHeldOutPitchOrInstrumentInTrainOrValid) {
  const auto notes = grid();
  for (uint64_t seed : {1, 2, 3, 20261124}) {
    SplitOptions options;
    options.seed = seed;
    const auto splits = assignSplits(notes, options);
    const auto held = instrumentsIn(notes, splits, Split::kTestInstrument);
    EXPECT_EQ(held.size(), 2u) << seed;
    for (size_t i = 0; i < notes.size(); ++i) {
      if (splits[i] != Split::kTrain && splits[i] != Split::kValid) continue;
      EXPECT_NE(notes[i].pitch % 6, 3) << seed << " " << notes[i].noteStr;
      EXPECT_EQ(held.count(notes[i].instrument), 0u) << seed << " " << notes[i].noteStr;
    }
  }
}

TEST(HonestSplit, SameSeedSameSplitWhateverTheOrder) {
  const auto notes = grid();
  const SplitOptions options;
  const auto splits = assignSplits(notes, options);
  // Reversed, and interleaved (odd positions first).
  std::vector<size_t> order;
  for (size_t i = 1; i < notes.size(); i += 2) order.push_back(i);
  for (size_t i = 0; i < notes.size(); i += 2) order.push_back(i);
  std::vector<NoteAnnotation> shuffled;
  for (size_t i : order) shuffled.push_back(notes[i]);
  const auto again = assignSplits(shuffled, options);
  for (size_t k = 0; k < order.size(); ++k) EXPECT_EQ(again[k], splits[order[k]]) << k;
  std::vector<NoteAnnotation> reversed(notes.rbegin(), notes.rend());
  auto back = assignSplits(reversed, options);
  std::reverse(back.begin(), back.end());
  EXPECT_EQ(back, splits);
  EXPECT_EQ(assignSplits(notes, options), splits);

  // Another seed: other instruments held out for some seed, the same held-out pitches.
  bool otherInstruments = false;
  for (uint64_t seed = 1; seed < 10 && !otherInstruments; ++seed) {
    SplitOptions other = options;
    other.seed = seed;
    const auto s = assignSplits(notes, other);
    otherInstruments = instrumentsIn(notes, s, Split::kTestInstrument) !=
                       instrumentsIn(notes, splits, Split::kTestInstrument);
  }
  EXPECT_TRUE(otherInstruments);
}

TEST(HonestSplit, OptionsChooseThePitchesAndTheInstrumentCount) {
  const auto notes = grid();
  SplitOptions options;
  options.holdoutPitchEvery = 4;
  options.holdoutPitchOffset = 0;  // pitches 36, 40, 44
  options.holdoutInstrumentsPerFamily = 2;  // only family 2 (4 instruments) has 2 + 2
  const auto splits = assignSplits(notes, options);
  const auto held = instrumentsIn(notes, splits, Split::kTestInstrument);
  EXPECT_EQ(held.size(), 2u);
  for (int id : held) EXPECT_EQ(id / 10, 2) << id;
  std::set<int> heldPitches;
  for (size_t i = 0; i < notes.size(); ++i)
    if (splits[i] == Split::kTestPitch) heldPitches.insert(notes[i].pitch);
  EXPECT_EQ(heldPitches, (std::set<int>{36, 40, 44}));

  // 0 disables either hold-out.
  options.holdoutPitchEvery = 0;
  options.holdoutInstrumentsPerFamily = 0;
  const auto none = assignSplits(notes, options);
  EXPECT_EQ(std::count(none.begin(), none.end(), Split::kTestPitch), 0);
  EXPECT_EQ(std::count(none.begin(), none.end(), Split::kTestInstrument), 0);
}

TEST(HonestSplit, OldModesNeverUseTheNewLabels) {
  const auto notes = grid();
  for (SplitMode mode : {SplitMode::kStratifiedByFamily, SplitMode::kHoldOutInstruments}) {
    SplitOptions options;
    options.mode = mode;
    const auto splits = assignSplits(notes, options);
    EXPECT_EQ(std::count(splits.begin(), splits.end(), Split::kTestPitch), 0);
    EXPECT_EQ(std::count(splits.begin(), splits.end(), Split::kTestInstrument), 0);
  }
}

std::string errorOf(const SplitOptions& options) {
  try {
    options.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(SplitOptions, BadValuesNameTheOptionAndWhatIsExpected) {
  SplitOptions o;
  EXPECT_EQ(errorOf(o), "");
  o.testFraction = 1;
  EXPECT_EQ(errorOf(o), "--test-fraction: found 1, expected a fraction in [0, 1)");
  o = {};
  o.validFraction = -0.1;
  EXPECT_EQ(errorOf(o), "--valid-fraction: found -0.1, expected a fraction in [0, 1)");
  o = {};
  o.validFraction = 0.5;
  o.testFraction = 0.5;
  EXPECT_EQ(errorOf(o), "--valid-fraction + --test-fraction: found 1, expected a sum below 1 "
                        "(train keeps the rest)");
  o = {};
  o.holdoutPitchEvery = 1;
  EXPECT_EQ(errorOf(o), "--holdout-pitch-every: found 1, expected 0 (no pitch held out) or 2 "
                        "and more (one pitch in k held out)");
  o.holdoutPitchEvery = -6;
  EXPECT_EQ(errorOf(o), "--holdout-pitch-every: found -6, expected 0 (no pitch held out) or 2 "
                        "and more (one pitch in k held out)");
  o = {};
  o.holdoutPitchOffset = 6;
  EXPECT_EQ(errorOf(o), "--holdout-pitch-offset: found 6, expected 0..5 (below "
                        "--holdout-pitch-every)");
  o = {};
  o.holdoutInstrumentsPerFamily = -1;
  EXPECT_EQ(errorOf(o), "--holdout-instruments-per-family: found -1, expected 0 or more");
  try {
    parseSplitMode("random");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--split-mode: found \"random\", expected honest, "
                                     "stratified-by-family or hold-out-instruments");
  }
  // assignSplits checks them too.
  o.holdoutInstrumentsPerFamily = -1;
  EXPECT_THROW(assignSplits(grid(), o), std::invalid_argument);
}

TEST(SplitLabels, ParseEveryLabelAndNameTheAcceptedOnes) {
  for (size_t i = 0; i < kSplitLabels.size(); ++i)
    EXPECT_EQ(parseSplit(kSplitLabels[i]), static_cast<Split>(i));
  EXPECT_EQ(std::string(splitLabel(Split::kTestPitch)), "test_pitch");
  EXPECT_EQ(std::string(splitLabel(Split::kTestInstrument)), "test_instrument");
  try {
    parseSplit("tests");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "split: found \"tests\", expected train, valid, test, "
                                     "test_pitch or test_instrument");
  }
}

// An evaluation subset is spread over the split (which is in family order), not its head.
TEST(SpreadRows, AllOrEvenlySpread) {
  EXPECT_EQ(spreadRows(5, 0), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(spreadRows(5, 9), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(spreadRows(10, 4), (std::vector<int64_t>{0, 2, 5, 7}));
  EXPECT_TRUE(spreadRows(0, 3).empty());
}

}  // namespace
}  // namespace wae::dataset

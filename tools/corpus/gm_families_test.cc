#include "tools/corpus/gm_families.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "tools/corpus/corpus_renderer.h"

namespace wae::corpus {
namespace {

TEST(GmFamilies, NamesFollowNSynthIndices) {
  const char* families[] = {"bass",  "brass", "flute",  "guitar",     "keyboard", "mallet",
                            "organ", "reed",  "string", "synth_lead", "vocal"};
  for (int i = 0; i < kNumFamilies; ++i) EXPECT_EQ(familyName(i), families[i]) << i;
  EXPECT_EQ(sourceName(0), "acoustic");
  EXPECT_EQ(sourceName(1), "electronic");
  EXPECT_EQ(sourceName(2), "synthetic");
  EXPECT_THROW(familyName(11), std::out_of_range);
}

struct Spot {
  int program;
  const char* family;
  const char* source;
};

TEST(GmFamilies, SpotPrograms) {
  const Spot spots[] = {
      {0, "keyboard", "acoustic"},     {4, "keyboard", "electronic"},
      {7, "keyboard", "electronic"},   {11, "mallet", "acoustic"},
      {15, "mallet", "acoustic"},      {16, "organ", "electronic"},
      {19, "organ", "acoustic"},       {21, "reed", "acoustic"},
      {22, "reed", "acoustic"},        {23, "reed", "acoustic"},
      {24, "guitar", "acoustic"},      {27, "guitar", "electronic"},
      {32, "bass", "acoustic"},        {33, "bass", "electronic"},
      {38, "bass", "synthetic"},       {40, "string", "acoustic"},
      {46, "string", "acoustic"},      {47, "mallet", "acoustic"},
      {48, "string", "acoustic"},      {50, "string", "synthetic"},
      {52, "vocal", "acoustic"},       {53, "vocal", "acoustic"},
      {54, "vocal", "synthetic"},      {56, "brass", "acoustic"},
      {62, "brass", "synthetic"},      {65, "reed", "acoustic"},
      {71, "reed", "acoustic"},        {73, "flute", "acoustic"},
      {79, "flute", "acoustic"},       {80, "synth_lead", "synthetic"},
      {88, "synth_lead", "synthetic"}, {103, "synth_lead", "synthetic"},
      {104, "guitar", "acoustic"},     {107, "guitar", "acoustic"},
      {108, "mallet", "acoustic"},     {109, "reed", "acoustic"},
      {110, "string", "acoustic"},     {111, "reed", "acoustic"},
      {114, "mallet", "acoustic"},     {118, "mallet", "synthetic"},
  };
  for (const Spot& s : spots) {
    const GmProgram& p = gmProgram(s.program);
    EXPECT_EQ(p.program, s.program);
    EXPECT_EQ(familyName(p.family), s.family) << "program " << s.program << " " << p.gmName;
    EXPECT_EQ(sourceName(p.source), s.source) << "program " << s.program << " " << p.gmName;
  }
}

TEST(GmFamilies, TableIsIndexedByProgram) {
  for (int program = 0; program < kNumPrograms; ++program)
    EXPECT_EQ(gmProgram(program).program, program);
  EXPECT_STREQ(gmProgram(0).gmName, "Acoustic Grand Piano");
  EXPECT_STREQ(gmProgram(127).gmName, "Gunshot");
  EXPECT_EQ(gmGroupName(47), "Strings");
  EXPECT_EQ(gmGroupName(120), "Sound effects");
  EXPECT_THROW(gmProgram(-1), std::out_of_range);
  EXPECT_THROW(gmProgram(128), std::out_of_range);
}

TEST(GmFamilies, NSynthStyleNames) {
  EXPECT_EQ(instrumentStr(0), "keyboard_acoustic_000");
  EXPECT_EQ(instrumentStr(38), "bass_synthetic_038");
  EXPECT_EQ(instrumentStr(110), "string_acoustic_110");
  EXPECT_EQ(noteStr(33, 40, 127), "bass_electronic_033-040-127");
  EXPECT_EQ(noteStr(88, 108, 5), "synth_lead_synthetic_088-108-005");
  EXPECT_EQ(noteStr(52, 60, 50), "vocal_acoustic_052-060-050");
}

TEST(GmFamilies, DefaultProgramsCoverEveryFamilyAndNoSoundEffect) {
  std::set<int> families;
  for (int program : defaultPrograms()) {
    EXPECT_FALSE(isSoundEffect(program)) << program;
    families.insert(gmProgram(program).family);
  }
  EXPECT_EQ(families.size(), static_cast<size_t>(kNumFamilies));
  const std::vector<int> all = allMusicalPrograms();
  ASSERT_EQ(all.size(), 120u);
  EXPECT_EQ(all.front(), 0);
  EXPECT_EQ(all.back(), 119);
}

TEST(GmFamilies, MarkdownTableHasEveryProgramAndMarksExceptions) {
  const std::string table = mappingMarkdown();
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2 + kNumPrograms);
  EXPECT_NE(table.find("| 52 | Choir Aahs | Ensemble | vocal * | acoustic | vocal_acoustic_052 |"),
            std::string::npos);
  EXPECT_NE(table.find("| 0 | Acoustic Grand Piano | Piano | keyboard | acoustic | "
                       "keyboard_acoustic_000 |"),
            std::string::npos);
  EXPECT_NE(table.find("| 47 | Timpani | Strings | mallet * |"), std::string::npos);
}

TEST(ProgramList, ParsesNamesAndNumbers) {
  EXPECT_EQ(parseProgramList("default"), defaultPrograms());
  EXPECT_EQ(parseProgramList("all"), allMusicalPrograms());
  EXPECT_EQ(parseProgramList("0,73,120"), (std::vector<int>{0, 73, 120}));
  try {
    parseProgramList("0,flute");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'flute'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parseProgramList(""), std::invalid_argument);
  EXPECT_THROW(parseProgramList("1,"), std::invalid_argument);
  EXPECT_THROW(parseProgramList("1.5"), std::invalid_argument);
}

}  // namespace
}  // namespace wae::corpus

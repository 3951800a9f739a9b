// General MIDI programs -> NSynth instrument families and sources, and NSynth-style names.
// The whole mapping is the one table in gm_families.cc; docs/CORPUS.md shows it as printed by
// `render_corpus --print-mapping`. Pure functions, callable from any thread.
#pragma once

#include <string>
#include <vector>

namespace wae::corpus {

// NSynth's instrument_family indices (0..10) and instrument_source indices (0..2).
constexpr int kNumFamilies = 11;
constexpr int kNumSources = 3;
enum Family {
  kBass = 0,
  kBrass = 1,
  kFlute = 2,
  kGuitar = 3,
  kKeyboard = 4,
  kMallet = 5,
  kOrgan = 6,
  kReed = 7,
  kString = 8,
  kSynthLead = 9,
  kVocal = 10,
};
enum Source { kAcoustic = 0, kElectronic = 1, kSynthetic = 2 };

// "bass", "brass", ..., "synth_lead", "vocal" (NSynth's instrument_family_str).
const std::string& familyName(int family);
// "acoustic", "electronic", "synthetic" (NSynth's instrument_source_str).
const std::string& sourceName(int source);

constexpr int kNumPrograms = 128;
// GM group 15 (programs 120..127) is sound effects: no NSynth family fits, so these are left
// out of the default and `all` program sets and rendered only when listed by number.
constexpr int kFirstSoundEffectProgram = 120;

struct GmProgram {
  int program;         // 0..127, GM numbering from 0
  const char* gmName;  // the General MIDI name (the SoundFont's preset name may differ)
  int family;          // Family
  int source;          // Source
};

// Throws std::out_of_range for a program outside 0..127.
const GmProgram& gmProgram(int program);
// The 16 GM groups of 8 programs ("Piano", "Chromatic percussion", ...).
const std::string& gmGroupName(int program);
bool isSoundEffect(int program);

// NSynth-style names: instrument_str "<family>_<source>_<program, 3 digits>", e.g.
// "keyboard_acoustic_000"; note_str "<instrument_str>-<pitch, 3 digits>-<velocity, 3 digits>",
// e.g. "keyboard_acoustic_000-060-127".
std::string instrumentStr(int program);
std::string noteStr(int program, int pitch, int velocity);

// The mapping as a Markdown table (one row per program), for docs/CORPUS.md.
std::string mappingMarkdown();

}  // namespace wae::corpus

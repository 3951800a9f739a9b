#include "tools/corpus/gm_families.h"

#include <array>
#include <cstdio>
#include <stdexcept>

namespace wae::corpus {
namespace {

const std::array<std::string, kNumFamilies> kFamilyNames = {
    "bass",  "brass", "flute",  "guitar",     "keyboard", "mallet",
    "organ", "reed",  "string", "synth_lead", "vocal"};
const std::array<std::string, kNumSources> kSourceNames = {"acoustic", "electronic", "synthetic"};
const std::array<std::string, 16> kGroupNames = {"Piano",         "Chromatic percussion",
                                                 "Organ",         "Guitar",
                                                 "Bass",          "Strings",
                                                 "Ensemble",      "Brass",
                                                 "Reed",          "Pipe",
                                                 "Synth lead",    "Synth pad",
                                                 "Synth effects", "Ethnic",
                                                 "Percussive",    "Sound effects"};

// The mapping. Rule of thumb: each GM group maps to one family (piano -> keyboard, chromatic
// percussion -> mallet, organ -> organ, guitar -> guitar, bass -> bass, strings and ensemble
// -> string, brass -> brass, reed -> reed, pipe -> flute, synth lead/pad/effects ->
// synth_lead, ethnic -> guitar, percussive -> mallet), with the exceptions marked "*" where
// the instrument is plainly of another NSynth family. Source follows NSynth's meaning:
// acoustic = a recorded acoustic instrument, electronic = a recorded electric or electronic
// instrument, synthetic = a synthesizer sound.
constexpr GmProgram kPrograms[kNumPrograms] = {
    // Piano
    {0, "Acoustic Grand Piano", kKeyboard, kAcoustic},
    {1, "Bright Acoustic Piano", kKeyboard, kAcoustic},
    {2, "Electric Grand Piano", kKeyboard, kElectronic},
    {3, "Honky-tonk Piano", kKeyboard, kAcoustic},
    {4, "Electric Piano 1", kKeyboard, kElectronic},
    {5, "Electric Piano 2", kKeyboard, kElectronic},
    {6, "Harpsichord", kKeyboard, kAcoustic},
    {7, "Clavinet", kKeyboard, kElectronic},
    // Chromatic percussion
    {8, "Celesta", kMallet, kAcoustic},
    {9, "Glockenspiel", kMallet, kAcoustic},
    {10, "Music Box", kMallet, kAcoustic},
    {11, "Vibraphone", kMallet, kAcoustic},
    {12, "Marimba", kMallet, kAcoustic},
    {13, "Xylophone", kMallet, kAcoustic},
    {14, "Tubular Bells", kMallet, kAcoustic},
    {15, "Dulcimer", kMallet, kAcoustic},
    // Organ
    {16, "Drawbar Organ", kOrgan, kElectronic},
    {17, "Percussive Organ", kOrgan, kElectronic},
    {18, "Rock Organ", kOrgan, kElectronic},
    {19, "Church Organ", kOrgan, kAcoustic},
    {20, "Reed Organ", kOrgan, kAcoustic},
    {21, "Accordion", kReed, kAcoustic},        // *
    {22, "Harmonica", kReed, kAcoustic},        // *
    {23, "Tango Accordion", kReed, kAcoustic},  // *
    // Guitar
    {24, "Acoustic Guitar (nylon)", kGuitar, kAcoustic},
    {25, "Acoustic Guitar (steel)", kGuitar, kAcoustic},
    {26, "Electric Guitar (jazz)", kGuitar, kElectronic},
    {27, "Electric Guitar (clean)", kGuitar, kElectronic},
    {28, "Electric Guitar (muted)", kGuitar, kElectronic},
    {29, "Overdriven Guitar", kGuitar, kElectronic},
    {30, "Distortion Guitar", kGuitar, kElectronic},
    {31, "Guitar Harmonics", kGuitar, kElectronic},
    // Bass
    {32, "Acoustic Bass", kBass, kAcoustic},
    {33, "Electric Bass (finger)", kBass, kElectronic},
    {34, "Electric Bass (pick)", kBass, kElectronic},
    {35, "Fretless Bass", kBass, kElectronic},
    {36, "Slap Bass 1", kBass, kElectronic},
    {37, "Slap Bass 2", kBass, kElectronic},
    {38, "Synth Bass 1", kBass, kSynthetic},
    {39, "Synth Bass 2", kBass, kSynthetic},
    // Strings
    {40, "Violin", kString, kAcoustic},
    {41, "Viola", kString, kAcoustic},
    {42, "Cello", kString, kAcoustic},
    {43, "Contrabass", kString, kAcoustic},
    {44, "Tremolo Strings", kString, kAcoustic},
    {45, "Pizzicato Strings", kString, kAcoustic},
    {46, "Orchestral Harp", kString, kAcoustic},
    {47, "Timpani", kMallet, kAcoustic},  // *
    // Ensemble
    {48, "String Ensemble 1", kString, kAcoustic},
    {49, "String Ensemble 2", kString, kAcoustic},
    {50, "Synth Strings 1", kString, kSynthetic},
    {51, "Synth Strings 2", kString, kSynthetic},
    {52, "Choir Aahs", kVocal, kAcoustic},    // *
    {53, "Voice Oohs", kVocal, kAcoustic},    // *
    {54, "Synth Voice", kVocal, kSynthetic},  // *
    {55, "Orchestra Hit", kString, kAcoustic},
    // Brass
    {56, "Trumpet", kBrass, kAcoustic},
    {57, "Trombone", kBrass, kAcoustic},
    {58, "Tuba", kBrass, kAcoustic},
    {59, "Muted Trumpet", kBrass, kAcoustic},
    {60, "French Horn", kBrass, kAcoustic},
    {61, "Brass Section", kBrass, kAcoustic},
    {62, "Synth Brass 1", kBrass, kSynthetic},
    {63, "Synth Brass 2", kBrass, kSynthetic},
    // Reed
    {64, "Soprano Sax", kReed, kAcoustic},
    {65, "Alto Sax", kReed, kAcoustic},
    {66, "Tenor Sax", kReed, kAcoustic},
    {67, "Baritone Sax", kReed, kAcoustic},
    {68, "Oboe", kReed, kAcoustic},
    {69, "English Horn", kReed, kAcoustic},
    {70, "Bassoon", kReed, kAcoustic},
    {71, "Clarinet", kReed, kAcoustic},
    // Pipe
    {72, "Piccolo", kFlute, kAcoustic},
    {73, "Flute", kFlute, kAcoustic},
    {74, "Recorder", kFlute, kAcoustic},
    {75, "Pan Flute", kFlute, kAcoustic},
    {76, "Blown Bottle", kFlute, kAcoustic},
    {77, "Shakuhachi", kFlute, kAcoustic},
    {78, "Whistle", kFlute, kAcoustic},
    {79, "Ocarina", kFlute, kAcoustic},
    // Synth lead
    {80, "Lead 1 (square)", kSynthLead, kSynthetic},
    {81, "Lead 2 (sawtooth)", kSynthLead, kSynthetic},
    {82, "Lead 3 (calliope)", kSynthLead, kSynthetic},
    {83, "Lead 4 (chiff)", kSynthLead, kSynthetic},
    {84, "Lead 5 (charang)", kSynthLead, kSynthetic},
    {85, "Lead 6 (voice)", kSynthLead, kSynthetic},
    {86, "Lead 7 (fifths)", kSynthLead, kSynthetic},
    {87, "Lead 8 (bass + lead)", kSynthLead, kSynthetic},
    // Synth pad
    {88, "Pad 1 (new age)", kSynthLead, kSynthetic},
    {89, "Pad 2 (warm)", kSynthLead, kSynthetic},
    {90, "Pad 3 (polysynth)", kSynthLead, kSynthetic},
    {91, "Pad 4 (choir)", kSynthLead, kSynthetic},
    {92, "Pad 5 (bowed)", kSynthLead, kSynthetic},
    {93, "Pad 6 (metallic)", kSynthLead, kSynthetic},
    {94, "Pad 7 (halo)", kSynthLead, kSynthetic},
    {95, "Pad 8 (sweep)", kSynthLead, kSynthetic},
    // Synth effects
    {96, "FX 1 (rain)", kSynthLead, kSynthetic},
    {97, "FX 2 (soundtrack)", kSynthLead, kSynthetic},
    {98, "FX 3 (crystal)", kSynthLead, kSynthetic},
    {99, "FX 4 (atmosphere)", kSynthLead, kSynthetic},
    {100, "FX 5 (brightness)", kSynthLead, kSynthetic},
    {101, "FX 6 (goblins)", kSynthLead, kSynthetic},
    {102, "FX 7 (echoes)", kSynthLead, kSynthetic},
    {103, "FX 8 (sci-fi)", kSynthLead, kSynthetic},
    // Ethnic
    {104, "Sitar", kGuitar, kAcoustic},
    {105, "Banjo", kGuitar, kAcoustic},
    {106, "Shamisen", kGuitar, kAcoustic},
    {107, "Koto", kGuitar, kAcoustic},
    {108, "Kalimba", kMallet, kAcoustic},  // *
    {109, "Bagpipe", kReed, kAcoustic},    // *
    {110, "Fiddle", kString, kAcoustic},   // *
    {111, "Shanai", kReed, kAcoustic},     // *
    // Percussive
    {112, "Tinkle Bell", kMallet, kAcoustic},
    {113, "Agogo", kMallet, kAcoustic},
    {114, "Steel Drums", kMallet, kAcoustic},
    {115, "Woodblock", kMallet, kAcoustic},
    {116, "Taiko Drum", kMallet, kAcoustic},
    {117, "Melodic Tom", kMallet, kAcoustic},
    {118, "Synth Drum", kMallet, kSynthetic},
    {119, "Reverse Cymbal", kMallet, kElectronic},
    // Sound effects: rendered only when asked by number; labelled by what makes the sound.
    {120, "Guitar Fret Noise", kGuitar, kAcoustic},
    {121, "Breath Noise", kFlute, kAcoustic},
    {122, "Seashore", kSynthLead, kAcoustic},
    {123, "Bird Tweet", kSynthLead, kAcoustic},
    {124, "Telephone Ring", kSynthLead, kElectronic},
    {125, "Helicopter", kSynthLead, kAcoustic},
    {126, "Applause", kSynthLead, kAcoustic},
    {127, "Gunshot", kSynthLead, kAcoustic},
};

// The family each GM group maps to, used only to mark exceptions in the printed table.
constexpr int kGroupFamily[16] = {kKeyboard,  kMallet, kOrgan,  kGuitar,   kBass,      kString,
                                  kString,    kBrass,  kReed,   kFlute,    kSynthLead, kSynthLead,
                                  kSynthLead, kGuitar, kMallet, kSynthLead};

void requireProgram(int program) {
  if (program < 0 || program >= kNumPrograms)
    throw std::out_of_range("General MIDI program " + std::to_string(program) +
                            " is outside 0..127");
}

std::string threeDigits(int value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", value);
  return buf;
}

}  // namespace

const std::string& familyName(int family) { return kFamilyNames.at(family); }
const std::string& sourceName(int source) { return kSourceNames.at(source); }

const GmProgram& gmProgram(int program) {
  requireProgram(program);
  return kPrograms[program];
}

const std::string& gmGroupName(int program) {
  requireProgram(program);
  return kGroupNames[program / 8];
}

bool isSoundEffect(int program) { return program >= kFirstSoundEffectProgram; }

std::string instrumentStr(int program) {
  const GmProgram& p = gmProgram(program);
  return familyName(p.family) + "_" + sourceName(p.source) + "_" + threeDigits(program);
}

std::string noteStr(int program, int pitch, int velocity) {
  return instrumentStr(program) + "-" + threeDigits(pitch) + "-" + threeDigits(velocity);
}

std::string mappingMarkdown() {
  std::string out =
      "| program | GM name | GM group | family | source | instrument_str |\n"
      "|---:|---|---|---|---|---|\n";
  for (const GmProgram& p : kPrograms) {
    const bool exception = p.family != kGroupFamily[p.program / 8];
    out += "| " + std::to_string(p.program) + " | " + p.gmName + " | " + gmGroupName(p.program) +
           " | " + familyName(p.family) + (exception ? " *" : "") + " | " + sourceName(p.source) +
           " | " + instrumentStr(p.program) + " |\n";
  }
  return out;
}

}  // namespace wae::corpus

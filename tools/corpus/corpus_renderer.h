// Renders one-shot notes from a SoundFont 2 file with libfluidsynth into an NSynth-style
// folder: <out>/audio/<note_str>.wav (mono PCM16) and <out>/examples.json. See
// docs/CORPUS.md.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

// libfluidsynth's types, kept out of this header so that users do not need its headers.
typedef struct _fluid_hashtable_t fluid_settings_t;
typedef struct _fluid_synth_t fluid_synth_t;
typedef struct _fluid_sfont_t fluid_sfont_t;

namespace wae::corpus {

constexpr const char* kDefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

// The default corpus's SoundFonts (Debian packages fluid-soundfont-gm, opl3-soundfont and
// csound-soundfont), in this order: instrument ids are 128 * (index in the list) + program.
std::vector<std::string> defaultSoundFonts();

// "" if the SoundFont may be rendered; else why not. TimGM6mb and MuseScore General (any
// spelling of their file names, also behind a symbolic link) are reserved for independent
// evaluation: nothing may be trained or tuned on them, so the renderer refuses them.
std::string reservedSoundFontReason(const std::string& path);

// The SoundFont's short name in instrument_str and note_str: the file name without its
// extension, lower case, letters and digits only ("FluidR3_GM.sf2" -> "fluidr3gm").
std::string soundFontTag(const std::string& path);

// True for a SoundFont of FM synthesis timbres (file name containing "OPL", as Debian's
// OPL-3_FM_128M.sf2): its notes keep the program's GM family but their source is
// "synthetic", whatever the GM program imitates (docs/CORPUS.md).
bool isFmSoundFont(const std::string& path);

// The default program set: 35 GM programs covering all 11 NSynth families (see
// docs/CORPUS.md for why these).
std::vector<int> defaultPrograms();
// Programs 0..119: every GM program except the sound effects.
std::vector<int> allMusicalPrograms();
// "default", "all" (allMusicalPrograms) or a comma list of numbers such as "0,4,73". Throws
// std::invalid_argument naming the bad item. Ranges are checked by CorpusOptions::validate.
std::vector<int> parseProgramList(const std::string& text);

struct CorpusOptions {
  // Rendered in one run, each with the same programs, pitches and velocities.
  std::vector<std::string> soundFonts = defaultSoundFonts();
  std::vector<int> programs = defaultPrograms();
  // Every semitone C2..C6 (docs/CORPUS.md: the range and the corpus size); notes a preset
  // does not play come out silent and are dropped (silenceDb).
  int pitchMin = 36;
  int pitchMax = 84;
  int pitchStep = 1;
  std::vector<int> velocities = {40, 70, 100, 127};
  double holdS = 1.0;         // note on for this long, then note off
  int lengthSamples = 32768;  // total length of each note, release included
  int sampleRate = 22050;
  // FluidSynth's master gain ("synth.gain"; FluidSynth's own default is 0.2). With 0.9 the
  // loudest note of the default corpus from FluidR3_GM peaks near -1.8 dBFS (docs/CORPUS.md).
  double gain = 0.9;
  // A note whose RMS over the whole clip is below this (dBFS) is dropped as silent. The
  // quietest playable note of the default corpus is near -71 dBFS; notes outside a preset's
  // key range are exactly 0.
  double silenceDb = -80.0;
  std::string outDir;
  int threads = 1;
  bool showProgress = true;

  // Throws std::invalid_argument naming the option and the bad value (also a reserved
  // SoundFont, or two SoundFonts with the same tag). Reads no file.
  void validate() const;
  // The notes to render, in output order: SoundFont, program, pitch, then velocity.
  int numNotes() const;
};

struct NoteResult {
  std::string noteStr;
  int soundFont = 0;  // index in CorpusOptions::soundFonts
  int instrument = 0;  // 128 * soundFont + program
  std::string instrumentStr;
  int program = 0;
  int pitch = 0;
  int velocity = 0;
  float peak = 0;        // max |sample| before PCM16 conversion
  double rmsDb = 0;      // RMS over the clip, dBFS
  bool kept = false;     // false: dropped as silent, no file written
  bool clipped = false;  // peak above 1: the WAV holds a clipped copy
};

struct CorpusSummary {
  std::vector<NoteResult> notes;  // every planned note, in output order
  int rendered = 0;               // kept and written
  int dropped = 0;
  int clipped = 0;
  std::map<std::string, int> droppedByInstrument;  // instrument_str -> notes dropped
  std::map<std::string, int> renderedByFamily;
  std::map<std::string, int> renderedBySoundFont;  // file name -> notes rendered
  float maxPeak = 0;
  std::string maxPeakNote;
  int staleFiles = 0;  // WAVs in <out>/audio not listed in this run's examples.json
  double wallS = 0;
  int threads = 0;

  // Multi-line, human-readable: counts, drops by program, clipping, time.
  std::string format() const;
};

// The SoundFont loaded once, rendering one note at a time, each with a new FluidSynth
// synthesizer, so that a note's samples do not depend on what was rendered before.
// Not thread-safe: one instance per thread (each loads its own copy of the SoundFont).
class NoteRenderer {
 public:
  // Throws std::runtime_error naming the path if the SoundFont is missing or not loadable.
  NoteRenderer(const std::string& soundFontPath, int sampleRate, double gain);
  ~NoteRenderer();
  NoteRenderer(const NoteRenderer&) = delete;
  NoteRenderer& operator=(const NoteRenderer&) = delete;

  // The SoundFont's preset name for GM bank 0, or "" if the SoundFont has no such preset.
  std::string presetName(int program) const;

  // Mono (mean of FluidSynth's left and right) samples of one note: note on at sample 0,
  // note off at holdSamples, lengthSamples in all.
  std::vector<float> render(int program, int pitch, int velocity, int holdSamples,
                            int lengthSamples);

 private:
  std::string path_;
  fluid_settings_t* settings_ = nullptr;
  fluid_synth_t* loaderSynth_ = nullptr;  // owns soundFont_
  fluid_sfont_t* soundFont_ = nullptr;
  std::vector<float> left_, right_;
};

// Renders the corpus described by `options` and writes it under options.outDir. Same options
// give byte-identical files whatever options.threads is. Throws on bad options (a reserved
// SoundFont among them), a bad SoundFont, a program without a preset in one of the
// SoundFonts, or a write failure.
CorpusSummary renderCorpus(const CorpusOptions& options);

}  // namespace wae::corpus

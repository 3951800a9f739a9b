#include "tools/corpus/corpus_renderer.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/parallel_for.h"
#include "common/progress.h"
#include "tools/audio/audio_io.h"
#include "tools/corpus/gm_families.h"

namespace fs = std::filesystem;

namespace wae::corpus {
namespace {

// NSynth has 10 quality labels (bright, dark, distortion, ...). We do not annotate them; the
// field is kept, all zeros, so that readers of NSynth's format read ours unchanged.
constexpr int kNumQualities = 10;
// FluidSynth accepts sample rates in this range only.
constexpr int kMinSampleRate = 8000;
constexpr int kMaxSampleRate = 96000;
constexpr int kMaxListedClippedNotes = 10;
constexpr int kPolyphony = 64;

// FluidSynth's log is process-wide. Errors stay on stderr; its informational chatter (and
// warnings that we turn into our own errors) is dropped so that progress lines stay readable.
void quietFluidLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    fluid_set_log_function(FLUID_WARN, nullptr, nullptr);
    fluid_set_log_function(FLUID_INFO, nullptr, nullptr);
    fluid_set_log_function(FLUID_DBG, nullptr, nullptr);
  });
}

std::vector<int> pitchesOf(const CorpusOptions& o) {
  std::vector<int> pitches;
  if (o.pitchStep < 1) return pitches;
  for (int p = o.pitchMin; p <= o.pitchMax; p += o.pitchStep) pitches.push_back(p);
  return pitches;
}

int holdSamplesOf(const CorpusOptions& o) {
  return static_cast<int>(std::lround(o.holdS * o.sampleRate));
}

double rmsDb(const std::vector<float>& x) {
  double sum = 0;
  for (float v : x) sum += static_cast<double>(v) * v;
  const double meanSquare = x.empty() ? 0.0 : sum / x.size();
  return meanSquare > 0 ? 10.0 * std::log10(meanSquare) : -999.0;
}

float peakOf(const std::vector<float>& x) {
  float peak = 0;
  for (float v : x) peak = std::max(peak, std::fabs(v));
  return peak;
}

void writeText(const std::string& path, const std::string& text) {
  AtomicFile out(path);
  {
    std::ofstream stream(out.partialPath(), std::ios::binary);
    stream << text;
    stream.close();
    if (!stream) throw std::runtime_error(out.partialPath() + ": cannot write");
  }
  out.commit();
}

// Lower case letters and digits of `text`: "MuseScore_General" -> "musescoregeneral".
std::string alphanumericLower(const std::string& text) {
  std::string out;
  for (unsigned char c : text)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

}  // namespace

std::vector<std::string> defaultSoundFonts() {
  return {kDefaultSoundFont, "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2",
          "/usr/share/sounds/sf2/sf_GMbank.sf2"};
}

std::string reservedSoundFontReason(const std::string& path) {
  std::vector<std::string> names = {fs::path(path).filename().string()};
  std::error_code ec;
  const fs::path resolved = fs::canonical(path, ec);  // behind a symbolic link, its target
  if (!ec) names.push_back(resolved.filename().string());
  for (const std::string& name : names) {
    const std::string key = alphanumericLower(name);
    for (const char* reserved : {"timgm6mb", "musescoregeneral"})
      if (key.find(reserved) != std::string::npos)
        return path + (name == names.front() ? "" : " (" + resolved.string() + ")") +
               " is " + (std::string(reserved) == "timgm6mb" ? "TimGM6mb" : "MuseScore General") +
               ", reserved for independent evaluation: no corpus for training or tuning may be "
               "rendered from it";
  }
  return "";
}

std::string soundFontTag(const std::string& path) {
  return alphanumericLower(fs::path(path).stem().string());
}

bool isFmSoundFont(const std::string& path) {
  return soundFontTag(path).find("opl") != std::string::npos;
}

std::vector<int> defaultPrograms() {
  return {0,  4,  6,  11, 12, 14, 16, 19, 21, 24, 25, 27, 29, 32, 33, 38, 40, 42,
          45, 46, 48, 52, 53, 56, 57, 60, 61, 65, 68, 71, 73, 75, 80, 81, 88};
}

std::vector<int> allMusicalPrograms() {
  std::vector<int> programs;
  for (int p = 0; p < kFirstSoundEffectProgram; ++p) programs.push_back(p);
  return programs;
}

std::vector<int> parseProgramList(const std::string& text) {
  if (text == "default") return defaultPrograms();
  if (text == "all") return allMusicalPrograms();
  std::vector<int> programs;
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    size_t used = 0;
    int value = -1;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size())
      throw std::invalid_argument("--programs: found '" + item +
                                  "', expected a program number, 'default' or 'all'");
    programs.push_back(value);
    begin = end + 1;
  }
  return programs;
}

void CorpusOptions::validate() const {
  auto bad = [](const std::string& option, const std::string& found, const std::string& expected) {
    throw std::invalid_argument(option + ": found " + found + ", expected " + expected);
  };
  if (soundFonts.empty()) bad("--soundfont", "an empty list", "at least one SoundFont");
  std::map<std::string, std::string> tags;
  for (const std::string& path : soundFonts) {
    const std::string reserved = reservedSoundFontReason(path);
    if (!reserved.empty()) throw std::invalid_argument("--soundfont: " + reserved);
    const std::string tag = soundFontTag(path);
    if (tag.empty()) bad("--soundfont", "\"" + path + "\"", "a file name with letters or digits");
    if (!tags.emplace(tag, path).second)
      bad("--soundfont", "\"" + path + "\" and \"" + tags[tag] + "\"",
          "SoundFonts of different names (both are named " + tag + " in note_str)");
  }
  if (programs.empty()) bad("--programs", "an empty list", "at least one program");
  std::set<int> seen;
  for (int p : programs) {
    if (p < 0 || p >= kNumPrograms) bad("--programs", std::to_string(p), "0..127");
    if (!seen.insert(p).second) bad("--programs", std::to_string(p) + " twice", "each once");
  }
  if (pitchMin < 0 || pitchMin > 127) bad("--pitch-min", std::to_string(pitchMin), "0..127");
  if (pitchMax < pitchMin || pitchMax > 127)
    bad("--pitch-max", std::to_string(pitchMax), std::to_string(pitchMin) + "..127");
  if (pitchStep < 1) bad("--pitch-step", std::to_string(pitchStep), "1 or more");
  if (velocities.empty()) bad("--velocities", "an empty list", "at least one velocity");
  std::set<int> seenVelocities;
  for (int v : velocities) {
    if (v < 1 || v > 127) bad("--velocities", std::to_string(v), "1..127");
    if (!seenVelocities.insert(v).second)
      bad("--velocities", std::to_string(v) + " twice", "each once");
  }
  if (sampleRate < kMinSampleRate || sampleRate > kMaxSampleRate)
    bad("--sample-rate", std::to_string(sampleRate),
        std::to_string(kMinSampleRate) + ".." + std::to_string(kMaxSampleRate));
  if (lengthSamples < 1) bad("--length-samples", std::to_string(lengthSamples), "1 or more");
  if (!(holdS >= 0) || holdSamplesOf(*this) > lengthSamples)
    bad("--hold-s", std::to_string(holdS),
        "0.." + std::to_string(static_cast<double>(lengthSamples) / sampleRate) +
            " (the note length)");
  if (!(gain > 0) || gain > 10) bad("--gain", std::to_string(gain), "above 0, at most 10");
  if (!(silenceDb <= 0)) bad("--silence-db", std::to_string(silenceDb), "0 or below (dBFS)");
  if (outDir.empty()) bad("--out", "nothing", "an output folder");
  if (threads < 1) bad("--threads", std::to_string(threads), "1 or more");
}

int CorpusOptions::numNotes() const {
  return static_cast<int>(soundFonts.size() * programs.size() * pitchesOf(*this).size() *
                          velocities.size());
}

// ---------------------------------------------------------------------------------------
// NoteRenderer

NoteRenderer::NoteRenderer(const std::string& soundFontPath, int sampleRate, double gain)
    : path_(soundFontPath) {
  quietFluidLog();
  std::error_code ec;
  if (!fs::is_regular_file(path_, ec))
    throw std::runtime_error(path_ + ": SoundFont file not found");
  if (!fluid_is_soundfont(path_.c_str()))
    throw FormatError(path_, "file type", "not a SoundFont 2 file", "a RIFF 'sfbk' file (.sf2)");
  settings_ = new_fluid_settings();
  if (!settings_) throw std::runtime_error("fluidsynth: cannot create settings");
  fluid_settings_setnum(settings_, "synth.sample-rate", sampleRate);
  fluid_settings_setnum(settings_, "synth.gain", gain);
  // Dry one-shots: effects would smear notes with the room and differ between renderers.
  fluid_settings_setint(settings_, "synth.reverb.active", 0);
  fluid_settings_setint(settings_, "synth.chorus.active", 0);
  // One note at a time, one synth per thread: no internal locking or helper threads. A
  // small voice pool keeps creating a synth per note cheap (one note of a GM preset uses a
  // handful of voices: stereo pairs and layers).
  fluid_settings_setint(settings_, "synth.threadsafe-api", 0);
  fluid_settings_setint(settings_, "synth.cpu-cores", 1);
  fluid_settings_setint(settings_, "synth.polyphony", kPolyphony);
  loaderSynth_ = new_fluid_synth(settings_);
  if (!loaderSynth_) {
    delete_fluid_settings(settings_);
    throw std::runtime_error("fluidsynth: cannot create a synthesizer");
  }
  const int id = fluid_synth_sfload(loaderSynth_, path_.c_str(), 0);
  soundFont_ = id == FLUID_FAILED ? nullptr : fluid_synth_get_sfont_by_id(loaderSynth_, id);
  if (!soundFont_) {
    delete_fluid_synth(loaderSynth_);
    delete_fluid_settings(settings_);
    throw std::runtime_error(path_ + ": FluidSynth cannot load this SoundFont");
  }
}

NoteRenderer::~NoteRenderer() {
  delete_fluid_synth(loaderSynth_);  // also frees the SoundFont
  delete_fluid_settings(settings_);
}

std::string NoteRenderer::presetName(int program) const {
  fluid_preset_t* preset = fluid_sfont_get_preset(soundFont_, 0, program);
  if (!preset) return "";
  const char* name = fluid_preset_get_name(preset);
  return name ? name : "";
}

std::vector<float> NoteRenderer::render(int program, int pitch, int velocity, int holdSamples,
                                        int lengthSamples) {
  constexpr int kChannel = 0;  // a melodic channel (9 is GM's drum channel)
  // A fresh synth per note, sharing the loaded SoundFont. With one reused synth, reset by
  // fluid_synth_system_reset or all_sounds_off, a note measurably depended on the notes
  // rendered before it (state of reused voice objects survives both; docs/CORPUS.md), and
  // so would the output on the thread count.
  struct Synth {
    fluid_synth_t* synth;
    fluid_sfont_t* sfont;
    ~Synth() {
      fluid_synth_remove_sfont(synth, sfont);  // leaves the SoundFont loaded
      delete_fluid_synth(synth);
    }
  };
  fluid_synth_t* synth = new_fluid_synth(settings_);
  if (!synth) throw std::runtime_error("fluidsynth: cannot create a synthesizer");
  Synth guard{synth, soundFont_};
  const int id = fluid_synth_add_sfont(synth, soundFont_);
  if (id == FLUID_FAILED || fluid_synth_program_select(synth, kChannel, id, 0, program) != FLUID_OK)
    throw std::runtime_error(path_ + ": cannot select bank 0 program " + std::to_string(program));
  left_.assign(lengthSamples, 0.0f);
  right_.assign(lengthSamples, 0.0f);
  const int hold = std::min(holdSamples, lengthSamples);
  fluid_synth_noteon(synth, kChannel, pitch, velocity);
  if (hold > 0) fluid_synth_write_float(synth, hold, left_.data(), 0, 1, right_.data(), 0, 1);
  fluid_synth_noteoff(synth, kChannel, pitch);
  if (lengthSamples > hold)
    fluid_synth_write_float(synth, lengthSamples - hold, left_.data(), hold, 1, right_.data(), hold,
                            1);
  std::vector<float> mono(lengthSamples);
  for (int i = 0; i < lengthSamples; ++i) mono[i] = 0.5f * (left_[i] + right_[i]);
  return mono;
}

// ---------------------------------------------------------------------------------------
// renderCorpus

std::string CorpusSummary::format() const {
  char buf[256];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "render_corpus: %d notes rendered, %d dropped as silent, %d clipped; %d "
                "threads, %s (%.1f s)\n",
                rendered, dropped, clipped, threads, Progress::formatDuration(wallS).c_str(),
                wallS);
  out += buf;
  out += "  rendered by family:";
  for (const auto& [family, count] : renderedByFamily)
    out += " " + family + " " + std::to_string(count);
  out += "\n";
  if (renderedBySoundFont.size() > 1) {
    out += "  rendered by SoundFont:";
    for (const auto& [name, count] : renderedBySoundFont)
      out += " " + name + " " + std::to_string(count);
    out += "\n";
  }
  if (!droppedByInstrument.empty()) {
    out += "  dropped by instrument:";
    for (const auto& [name, count] : droppedByInstrument)
      out += " " + name + " " + std::to_string(count);
    out += "\n";
  }
  std::snprintf(buf, sizeof buf, "  loudest note: %s, peak %.4f (%.2f dBFS)\n", maxPeakNote.c_str(),
                maxPeak, maxPeak > 0 ? 20.0 * std::log10(maxPeak) : -999.0);
  out += buf;
  if (clipped > 0) {
    out += "  WARNING: " + std::to_string(clipped) +
           " notes peak above full scale and were clipped in their WAV (lower --gain):";
    int listed = 0;
    for (const NoteResult& n : notes) {
      if (!n.clipped) continue;
      if (listed++ == kMaxListedClippedNotes) {
        out += " ...";
        break;
      }
      out += " " + n.noteStr;
    }
    out += "\n";
  }
  if (staleFiles > 0)
    out += "  WARNING: " + std::to_string(staleFiles) +
           " WAV files in audio/ are not listed in examples.json (left by an earlier run)\n";
  return out;
}

namespace {

// The steps of renderCorpus, on its calling thread; renderNote runs on the workers that
// renderNotes starts.

// The note's NSynth source: "synthetic" for every note of an FM SoundFont, else the GM
// program's own.
int sourceOf(const std::string& soundFontPath, const GmProgram& gm) {
  return isFmSoundFont(soundFontPath) ? kSynthetic : gm.source;
}

// Every SoundFont loaded once and every program's preset looked up, before any thread
// starts, so that a bad SoundFont or a missing preset is reported once and before anything
// is written. The renderers become the first worker's.
struct CheckedSoundFonts {
  std::vector<std::unique_ptr<NoteRenderer>> renderers;    // one per SoundFont
  std::map<std::pair<int, int>, std::string> presetNames;  // (SoundFont, program) -> name
};

CheckedSoundFonts checkSoundFonts(const CorpusOptions& options) {
  CheckedSoundFonts checked;
  for (int sf = 0; sf < static_cast<int>(options.soundFonts.size()); ++sf) {
    const std::string& path = options.soundFonts[sf];
    checked.renderers.push_back(
        std::make_unique<NoteRenderer>(path, options.sampleRate, options.gain));
    for (int program : options.programs) {
      const std::string name = checked.renderers.back()->presetName(program);
      if (name.empty())
        throw FormatError(path, "preset bank 0 program " + std::to_string(program), "none",
                          "a preset for every program in --programs");
      checked.presetNames[{sf, program}] = name;
    }
  }
  return checked;
}

// The notes to render, in output order (SoundFont, program, pitch, velocity), named but not
// yet rendered.
std::vector<NoteResult> planNotes(const CorpusOptions& options) {
  std::vector<NoteResult> notes;
  const std::vector<int> pitches = pitchesOf(options);
  for (int sf = 0; sf < static_cast<int>(options.soundFonts.size()); ++sf) {
    const std::string tag = soundFontTag(options.soundFonts[sf]);
    for (int program : options.programs) {
      const GmProgram& gm = gmProgram(program);
      const int source = sourceOf(options.soundFonts[sf], gm);
      // NSynth's "<family>_<source>_<number>", the number being the SoundFont's tag and
      // the GM program: "keyboard_acoustic_fluidr3gm_000".
      char number[8];
      std::snprintf(number, sizeof number, "%03d", program);
      const std::string instrument =
          familyName(gm.family) + "_" + sourceName(source) + "_" + tag + "_" + number;
      for (int pitch : pitches)
        for (int velocity : options.velocities) {
          NoteResult note;
          note.soundFont = sf;
          note.instrument = kNumPrograms * sf + program;
          note.instrumentStr = instrument;
          note.program = program;
          note.pitch = pitch;
          note.velocity = velocity;
          char suffix[16];
          std::snprintf(suffix, sizeof suffix, "-%03d-%03d", pitch, velocity);
          note.noteStr = instrument + suffix;
          notes.push_back(note);
        }
    }
  }
  return notes;
}

// Renders one note, measures it, and writes its WAV into audioDir, or skips it when it is
// silent (below options.silenceDb). Called by the workers, each note by one of them.
void renderNote(const CorpusOptions& options, NoteRenderer& renderer, const fs::path& audioDir,
                NoteResult& note) {
  const std::vector<float> samples = renderer.render(note.program, note.pitch, note.velocity,
                                                     holdSamplesOf(options), options.lengthSamples);
  note.peak = peakOf(samples);
  note.rmsDb = rmsDb(samples);
  note.kept = note.rmsDb >= options.silenceDb;
  note.clipped = note.kept && note.peak > 1.0f;
  if (note.kept)
    writeWav((audioDir / (note.noteStr + ".wav")).string(), samples, options.sampleRate,
             WavFormat::kPcm16);
}

// Renders every note on `numThreads` threads. Each thread renders a contiguous run of notes,
// each result into its own slot, so the output does not depend on which thread rendered
// which note. A thread loads each SoundFont once, when it first meets one of its notes; the
// calling thread's run starts with `firstRenderers`, which checked the presets. After a
// failure the other threads stop at their next note.
void renderNotes(const CorpusOptions& options, std::vector<NoteResult>& notes, int numThreads,
                 std::vector<std::unique_ptr<NoteRenderer>> firstRenderers,
                 const fs::path& audioDir) {
  std::unique_ptr<Progress> progress;
  if (options.showProgress)
    progress = std::make_unique<Progress>("render", static_cast<int>(notes.size()), "notes");
  std::atomic<bool> failed{false};
  parallelFor(notes.size(), numThreads, [&](size_t first, size_t last) {
    std::vector<std::unique_ptr<NoteRenderer>> renderers;
    if (first == 0) renderers = std::move(firstRenderers);
    renderers.resize(options.soundFonts.size());
    try {
      for (size_t i = first; i < last && !failed; ++i) {
        NoteResult& note = notes[i];
        std::unique_ptr<NoteRenderer>& renderer = renderers[note.soundFont];
        if (!renderer)
          renderer = std::make_unique<NoteRenderer>(options.soundFonts[note.soundFont],
                                                    options.sampleRate, options.gain);
        renderNote(options, *renderer, audioDir, note);
        if (progress) progress->advance();
      }
    } catch (...) {
      failed = true;
      throw;
    }
  });
  if (progress) progress->finish();
}

// The counts of summary (rendered, dropped, clipped, by family, SoundFont and instrument,
// the loudest note) from its rendered notes.
void summarise(const CorpusOptions& options, CorpusSummary& summary) {
  for (const NoteResult& note : summary.notes) {
    if (!note.kept) {
      ++summary.dropped;
      ++summary.droppedByInstrument[note.instrumentStr];
      continue;
    }
    ++summary.rendered;
    ++summary.renderedByFamily[familyName(gmProgram(note.program).family)];
    ++summary.renderedBySoundFont[fs::path(options.soundFonts[note.soundFont]).filename().string()];
    if (note.clipped) ++summary.clipped;
    if (note.peak > summary.maxPeak) {
      summary.maxPeak = note.peak;
      summary.maxPeakNote = note.noteStr;
    }
  }
}

// examples.json: NSynth's fields (and program, program_name, soundfont) for each kept note,
// keyed by note_str. One note per line: readable, diff-friendly, and the same bytes for the
// same options (nlohmann's objects keep their keys sorted).
std::string examplesJson(const CorpusOptions& options, const std::vector<NoteResult>& notes,
                         const std::map<std::pair<int, int>, std::string>& presetNames) {
  nlohmann::json examples = nlohmann::json::object();
  for (const NoteResult& note : notes) {
    if (!note.kept) continue;
    const std::string& path = options.soundFonts[note.soundFont];
    const GmProgram& gm = gmProgram(note.program);
    const int source = sourceOf(path, gm);
    examples[note.noteStr] = {
        {"note_str", note.noteStr},
        {"pitch", note.pitch},
        {"velocity", note.velocity},
        {"instrument", note.instrument},
        {"instrument_str", note.instrumentStr},
        {"instrument_family", gm.family},
        {"instrument_family_str", familyName(gm.family)},
        {"instrument_source", source},
        {"instrument_source_str", sourceName(source)},
        {"qualities", std::vector<int>(kNumQualities, 0)},
        {"qualities_str", std::vector<std::string>()},
        {"sample_rate", options.sampleRate},
        {"program", note.program},
        {"program_name", presetNames.at({note.soundFont, note.program})},
        {"soundfont", fs::path(path).filename().string()},
    };
  }
  std::string text = "{";
  for (auto it = examples.begin(); it != examples.end(); ++it)
    text += (it == examples.begin() ? "\n  " : ",\n  ") + nlohmann::json(it.key()).dump() + ": " +
            it.value().dump();
  text += examples.empty() ? "}\n" : "\n}\n";
  return text;
}

// WAVs in audioDir that no kept note wrote (left by an earlier run with other options).
int countStaleFiles(const fs::path& audioDir, const std::vector<NoteResult>& notes) {
  std::set<std::string> keptFiles;
  for (const NoteResult& note : notes)
    if (note.kept) keptFiles.insert(note.noteStr + ".wav");
  int stale = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(audioDir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".wav" && !keptFiles.count(name)) ++stale;
  }
  return stale;
}

}  // namespace

CorpusSummary renderCorpus(const CorpusOptions& options) {
  options.validate();
  const auto start = std::chrono::steady_clock::now();
  CheckedSoundFonts checked = checkSoundFonts(options);
  CorpusSummary summary;
  summary.notes = planNotes(options);

  const fs::path outDir(options.outDir);
  const fs::path audioDir = outDir / "audio";
  fs::create_directories(audioDir);
  summary.threads = std::min(options.threads, static_cast<int>(summary.notes.size()));
  renderNotes(options, summary.notes, summary.threads, std::move(checked.renderers), audioDir);

  summarise(options, summary);
  writeText((outDir / "examples.json").string(),
            examplesJson(options, summary.notes, checked.presetNames));
  summary.staleFiles = countStaleFiles(audioDir, summary.notes);
  summary.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace wae::corpus

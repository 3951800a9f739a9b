// Renders a tiny corpus from Debian's FluidR3_GM.sf2 (fluid-soundfont-gm). Loading that
// 141 MB SoundFont is the slow part, so the suite renders the shared corpus once per thread
// count and checks everything on it.
#include "tools/corpus/corpus_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tools/audio/audio_io.h"
#include "tools/corpus/gm_families.h"

namespace fs = std::filesystem;

namespace wae::corpus {
namespace {

constexpr int kSampleRate = 16000;  // not the default, to see the option honoured
constexpr int kLength = 8192;
constexpr double kHoldS = 0.3;

fs::path testDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return fs::path(tmp ? tmp : "/tmp") / "corpus_renderer_test";
}

constexpr const char* kCsoundSoundFont = "/usr/share/sounds/sf2/sf_GMbank.sf2";
constexpr const char* kOplSoundFont = "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2";

// Two SoundFonts (csound's is small, so quick to load) x 2 programs x 2 pitches.
CorpusOptions tinyOptions(const fs::path& out, int threads) {
  CorpusOptions o;
  o.soundFonts = {kDefaultSoundFont, kCsoundSoundFont};
  o.programs = {0, 73};  // piano (keyboard), flute
  o.pitchMin = 57;       // A3, 220 Hz
  o.pitchMax = 69;       // A4, 440 Hz
  o.pitchStep = 12;
  o.velocities = {100};
  o.holdS = kHoldS;
  o.lengthSamples = kLength;
  o.sampleRate = kSampleRate;
  o.outDir = out.string();
  o.threads = threads;
  o.showProgress = false;
  return o;
}

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Fundamental frequency by normalised autocorrelation over a steady part of the note: the
// shortest lag whose correlation is near the best one (so that 2T does not win over T).
double fundamentalHz(const std::vector<float>& x, int sampleRate, size_t begin, size_t size) {
  const int minLag = sampleRate / 2000, maxLag = sampleRate / 50;
  std::vector<double> r(maxLag + 2, 0.0);
  double best = 0;
  for (int lag = minLag; lag <= maxLag + 1; ++lag) {
    double xy = 0, xx = 0, yy = 0;
    for (size_t i = begin; i < begin + size; ++i) {
      xy += double(x[i]) * x[i + lag];
      xx += double(x[i]) * x[i];
      yy += double(x[i + lag]) * x[i + lag];
    }
    r[lag] = xy / std::sqrt(xx * yy + 1e-30);
    if (lag <= maxLag) best = std::max(best, r[lag]);
  }
  for (int lag = minLag + 1; lag <= maxLag; ++lag) {
    if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
      // Parabolic interpolation around the peak for a sub-sample lag.
      const double a = r[lag - 1], b = r[lag], c = r[lag + 1];
      const double denom = a - 2 * b + c;
      const double shift = denom != 0 ? 0.5 * (a - c) / denom : 0.0;
      return sampleRate / (lag + shift);
    }
  }
  return 0;
}

class TinyCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(testDir());
    twoThreads_ = new CorpusSummary(renderCorpus(tinyOptions(testDir() / "two", 2)));
    oneThread_ = new CorpusSummary(renderCorpus(tinyOptions(testDir() / "one", 1)));
  }
  static void TearDownTestSuite() {
    delete twoThreads_;
    delete oneThread_;
  }
  static CorpusSummary* twoThreads_;
  static CorpusSummary* oneThread_;
};
CorpusSummary* TinyCorpus::twoThreads_ = nullptr;
CorpusSummary* TinyCorpus::oneThread_ = nullptr;

const char* kNotes[] = {
    "keyboard_acoustic_fluidr3gm_000-057-100", "keyboard_acoustic_fluidr3gm_000-069-100",
    "flute_acoustic_fluidr3gm_073-057-100",    "flute_acoustic_fluidr3gm_073-069-100",
    "keyboard_acoustic_sfgmbank_000-057-100",  "keyboard_acoustic_sfgmbank_000-069-100",
    "flute_acoustic_sfgmbank_073-057-100",     "flute_acoustic_sfgmbank_073-069-100"};

TEST_F(TinyCorpus, SummaryCountsEveryNote) {
  EXPECT_EQ(twoThreads_->threads, 2);
  EXPECT_EQ(oneThread_->threads, 1);
  ASSERT_EQ(twoThreads_->notes.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(twoThreads_->notes[i].noteStr, kNotes[i]);
  EXPECT_EQ(twoThreads_->rendered, 8);
  EXPECT_EQ(twoThreads_->dropped, 0);
  EXPECT_EQ(twoThreads_->clipped, 0);
  EXPECT_EQ(twoThreads_->staleFiles, 0);
  EXPECT_EQ(twoThreads_->renderedByFamily,
            (std::map<std::string, int>{{"flute", 4}, {"keyboard", 4}}));
  EXPECT_EQ(twoThreads_->renderedBySoundFont,
            (std::map<std::string, int>{{"FluidR3_GM.sf2", 4}, {"sf_GMbank.sf2", 4}}));
  EXPECT_GT(twoThreads_->maxPeak, 0.01f);
  EXPECT_LE(twoThreads_->maxPeak, 1.0f);
  EXPECT_NE(twoThreads_->format().find("8 notes rendered, 0 dropped as silent, 0 clipped"),
            std::string::npos)
      << twoThreads_->format();
}

TEST_F(TinyCorpus, ExamplesJsonHasNSynthFieldsAndOurs) {
  const fs::path dir = testDir() / "two";
  const nlohmann::json examples = nlohmann::json::parse(readBytes(dir / "examples.json"));
  ASSERT_EQ(examples.size(), 8u);
  const std::string text = readBytes(dir / "examples.json");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10) << "one line per note expected";
  for (const char* name : kNotes) {
    ASSERT_TRUE(examples.contains(name)) << name;
    EXPECT_TRUE(fs::is_regular_file(dir / "audio" / (std::string(name) + ".wav"))) << name;
    EXPECT_EQ(examples[name].size(), 15u) << examples[name].dump();
  }
  const nlohmann::json& flute = examples["flute_acoustic_fluidr3gm_073-069-100"];
  EXPECT_EQ(flute["note_str"], "flute_acoustic_fluidr3gm_073-069-100");
  EXPECT_EQ(flute["pitch"], 69);
  EXPECT_EQ(flute["velocity"], 100);
  EXPECT_EQ(flute["instrument"], 73);
  EXPECT_EQ(flute["instrument_str"], "flute_acoustic_fluidr3gm_073");
  EXPECT_EQ(flute["instrument_family"], 2);
  EXPECT_EQ(flute["instrument_family_str"], "flute");
  EXPECT_EQ(flute["instrument_source"], 0);
  EXPECT_EQ(flute["instrument_source_str"], "acoustic");
  EXPECT_EQ(flute["qualities"], nlohmann::json(std::vector<int>(10, 0)));
  EXPECT_EQ(flute["qualities_str"], nlohmann::json::array());
  EXPECT_EQ(flute["sample_rate"], kSampleRate);
  EXPECT_EQ(flute["program"], 73);
  EXPECT_EQ(flute["program_name"], "Flute");
  EXPECT_EQ(flute["soundfont"], "FluidR3_GM.sf2");

  const nlohmann::json& piano = examples["keyboard_acoustic_fluidr3gm_000-057-100"];
  EXPECT_EQ(piano["pitch"], 57);
  EXPECT_EQ(piano["instrument"], 0);
  EXPECT_EQ(piano["instrument_family"], 4);
  EXPECT_EQ(piano["instrument_family_str"], "keyboard");
  EXPECT_EQ(piano["program_name"], "Yamaha Grand Piano");

  // The second SoundFont's instruments: ids 128 + program, its name in instrument_str.
  const nlohmann::json& piano2 = examples["keyboard_acoustic_sfgmbank_000-057-100"];
  EXPECT_EQ(piano2["instrument"], 128);
  EXPECT_EQ(piano2["instrument_str"], "keyboard_acoustic_sfgmbank_000");
  EXPECT_EQ(piano2["program"], 0);
  EXPECT_EQ(piano2["program_name"], "Piano 1");
  EXPECT_EQ(piano2["soundfont"], "sf_GMbank.sf2");
  EXPECT_EQ(examples["flute_acoustic_sfgmbank_073-069-100"]["instrument"], 128 + 73);
}

TEST_F(TinyCorpus, AudioHasRequestedFormatAndPitch) {
  for (const char* name : kNotes) {
    const Audio audio =
        readAudio((testDir() / "two" / "audio" / (std::string(name) + ".wav")).string());
    EXPECT_EQ(audio.sampleRate, kSampleRate) << name;
    ASSERT_EQ(audio.samples.size(), static_cast<size_t>(kLength)) << name;
    double sum = 0;
    for (float v : audio.samples) sum += double(v) * v;
    EXPECT_GT(10 * std::log10(sum / kLength), -40.0) << name << " is nearly silent";
  }
  // Flute notes are nearly sinusoidal: a clean fundamental. Measured while the note is held.
  const std::pair<const char*, double> flutes[] = {
      {"flute_acoustic_fluidr3gm_073-057-100", 220.0},
      {"flute_acoustic_fluidr3gm_073-069-100", 440.0},
      {"flute_acoustic_sfgmbank_073-057-100", 220.0},
      {"flute_acoustic_sfgmbank_073-069-100", 440.0}};
  for (const auto& [name, expectedHz] : flutes) {
    const Audio audio =
        readAudio((testDir() / "two" / "audio" / (std::string(name) + ".wav")).string());
    const double hz = fundamentalHz(audio.samples, kSampleRate, 1600, 2048);
    EXPECT_NEAR(12 * std::log2(hz / expectedHz), 0.0, 1.0) << name << ": measured " << hz << " Hz";
  }
}

TEST_F(TinyCorpus, SameFilesWhateverTheThreadCount) {
  for (const char* name : kNotes) {
    const std::string file = "audio/" + std::string(name) + ".wav";
    const std::string a = readBytes(testDir() / "two" / file);
    EXPECT_FALSE(a.empty());
    EXPECT_TRUE(a == readBytes(testDir() / "one" / file)) << file << " differs";
  }
  EXPECT_EQ(readBytes(testDir() / "two" / "examples.json"),
            readBytes(testDir() / "one" / "examples.json"));
}

TEST(NoteRenderer, NoteDoesNotDependOnThePreviousOne) {
  NoteRenderer renderer(kDefaultSoundFont, kSampleRate, 0.3);
  EXPECT_EQ(renderer.presetName(73), "Flute");
  const std::vector<float> fresh = renderer.render(73, 69, 100, 4800, kLength);
  // A loud low note released just before the end, so its tail would leak into the next one.
  renderer.render(32, 36, 127, kLength - 100, kLength);
  const std::vector<float> after = renderer.render(73, 69, 100, 4800, kLength);
  EXPECT_TRUE(fresh == after);
}

TEST(RenderCorpus, SilentAndClippedNotesAreCounted) {
  // A gain of 10 clips a loud note; a 0 dBFS silence threshold then drops everything.
  CorpusOptions loud = tinyOptions(testDir() / "loud", 1);
  loud.soundFonts = {kDefaultSoundFont};
  loud.programs = {81};  // sawtooth lead
  loud.pitchMin = loud.pitchMax = 60;
  loud.velocities = {127};
  loud.gain = 10;
  const CorpusSummary clipped = renderCorpus(loud);
  EXPECT_EQ(clipped.rendered, 1);
  EXPECT_EQ(clipped.clipped, 1);
  EXPECT_GT(clipped.maxPeak, 1.0f);
  EXPECT_NE(clipped.format().find("1 notes peak above full scale"), std::string::npos);
  EXPECT_NE(clipped.format().find("synth_lead_synthetic_fluidr3gm_081-060-127"),
            std::string::npos);

  // Into the same folder: the earlier WAV is no longer listed, which the summary reports
  // (the renderer never deletes files it did not write in this run).
  CorpusOptions silent = loud;
  silent.gain = 0.3;
  silent.silenceDb = 0.0;
  const CorpusSummary dropped = renderCorpus(silent);
  EXPECT_EQ(dropped.rendered, 0);
  EXPECT_EQ(dropped.dropped, 1);
  EXPECT_EQ(dropped.droppedByInstrument,
            (std::map<std::string, int>{{"synth_lead_synthetic_fluidr3gm_081", 1}}));
  EXPECT_NE(dropped.format().find("dropped by instrument: synth_lead_synthetic_fluidr3gm_081 1"),
            std::string::npos)
      << dropped.format();
  EXPECT_EQ(readBytes(testDir() / "loud" / "examples.json"), "{}\n");
  EXPECT_EQ(dropped.staleFiles, 1);
  EXPECT_NE(dropped.format().find("1 WAV files in audio/ are not listed"), std::string::npos);
}

TEST(RenderCorpus, MissingSoundFontNamesThePath) {
  CorpusOptions o = tinyOptions(testDir() / "missing", 1);
  o.soundFonts = {"/nonexistent/folder/None.sf2"};
  try {
    renderCorpus(o);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/folder/None.sf2"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(testDir() / "missing" / "examples.json"));
}

TEST(RenderCorpus, NotASoundFontNamesThePathAndWhy) {
  const fs::path bogus = testDir() / "bogus.sf2";
  fs::create_directories(testDir());
  std::ofstream(bogus) << "not a soundfont";
  CorpusOptions o = tinyOptions(testDir() / "bogus", 1);
  o.soundFonts = {kCsoundSoundFont, bogus.string()};
  try {
    renderCorpus(o);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(bogus.string()), std::string::npos) << what;
    EXPECT_NE(what.find("not a SoundFont 2 file"), std::string::npos) << what;
  }
}

TEST(CorpusOptions, BadValuesNameTheOption) {
  auto messageOf = [](const CorpusOptions& o) -> std::string {
    try {
      o.validate();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CorpusOptions o = tinyOptions("/tmp/unused", 1);
  EXPECT_EQ(messageOf(o), "");
  CorpusOptions step = o;
  step.pitchStep = 0;
  EXPECT_EQ(messageOf(step), "--pitch-step: found 0, expected 1 or more");
  CorpusOptions twice = o;
  twice.programs = {0, 73, 0};
  EXPECT_EQ(messageOf(twice), "--programs: found 0 twice, expected each once");
  CorpusOptions range = o;
  range.programs = {128};
  EXPECT_EQ(messageOf(range), "--programs: found 128, expected 0..127");
  CorpusOptions hold = o;
  hold.holdS = 1.0;  // longer than 8192 samples at 16 kHz
  EXPECT_NE(messageOf(hold).find("--hold-s: found 1.0"), std::string::npos) << messageOf(hold);
  CorpusOptions rate = o;
  rate.sampleRate = 4000;
  EXPECT_EQ(messageOf(rate), "--sample-rate: found 4000, expected 8000..96000");
  CorpusOptions noOut = o;
  noOut.outDir.clear();
  EXPECT_EQ(messageOf(noOut), "--out: found nothing, expected an output folder");
  CorpusOptions same = o;
  same.soundFonts = {kDefaultSoundFont, "/elsewhere/fluid_r3-gm.sf2"};
  EXPECT_EQ(messageOf(same),
            "--soundfont: found \"/elsewhere/fluid_r3-gm.sf2\" and \"" +
                std::string(kDefaultSoundFont) +
                "\", expected SoundFonts of different names (both are named fluidr3gm in "
                "note_str)");
  // The default corpus: 3 SoundFonts x 35 programs x 49 pitches (36..84) x 4 velocities.
  EXPECT_EQ(CorpusOptions().soundFonts,
            (std::vector<std::string>{kDefaultSoundFont, kOplSoundFont, kCsoundSoundFont}));
  EXPECT_EQ(CorpusOptions().numNotes(), 3 * 35 * 49 * 4);
}

// TimGM6mb and MuseScore General are reserved for independent evaluation: refused by file
// name, whatever its case and separators, and behind a symbolic link, before any file is
// read or written.
TEST(CorpusOptions, RefusesTheSoundFontsReservedForEvaluation) {
  const fs::path dir = testDir() / "reserved";
  fs::create_directories(dir);
  for (const char* name : {"TimGM6mb.sf2", "MuseScore_General.sf3", "musescore-general.sf2"})
    std::ofstream(dir / name) << "not read";
  fs::remove(dir / "innocent.sf2");
  fs::create_symlink(dir / "TimGM6mb.sf2", dir / "innocent.sf2");
  auto messageOf = [&](const std::string& path) -> std::string {
    CorpusOptions o = tinyOptions(dir / "out", 1);
    o.soundFonts = {kDefaultSoundFont, path};
    try {
      renderCorpus(o);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  const std::string tim = (dir / "TimGM6mb.sf2").string();
  EXPECT_EQ(messageOf(tim), "--soundfont: " + tim +
                                " is TimGM6mb, reserved for independent evaluation: no corpus "
                                "for training or tuning may be rendered from it");
  const std::string muse = (dir / "MuseScore_General.sf3").string();
  EXPECT_EQ(messageOf(muse), "--soundfont: " + muse +
                                 " is MuseScore General, reserved for independent evaluation: "
                                 "no corpus for training or tuning may be rendered from it");
  EXPECT_NE(messageOf((dir / "musescore-general.sf2").string()).find("is MuseScore General"),
            std::string::npos);
  // Also a path that does not exist (yet): the name alone decides.
  EXPECT_NE(messageOf("/usr/share/sounds/sf2/TimGM6mb.sf2").find("is TimGM6mb"),
            std::string::npos);
  const std::string link = (dir / "innocent.sf2").string();
  EXPECT_EQ(messageOf(link), "--soundfont: " + link + " (" + fs::canonical(tim).string() +
                                 ") is TimGM6mb, reserved for independent evaluation: no corpus "
                                 "for training or tuning may be rendered from it");
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_EQ(reservedSoundFontReason(kDefaultSoundFont), "");
}

// OPL-3_FM_128M.sf2's FM timbres keep the GM family of their program, with source
// "synthetic"; tags and ids follow the SoundFont's place in the list.
TEST(RenderCorpus, FmSoundFontNotesAreSyntheticInTheirGmFamily) {
  EXPECT_EQ(soundFontTag(kOplSoundFont), "opl3fm128m");
  EXPECT_EQ(soundFontTag(kCsoundSoundFont), "sfgmbank");
  EXPECT_TRUE(isFmSoundFont(kOplSoundFont));
  EXPECT_FALSE(isFmSoundFont(kDefaultSoundFont));
  CorpusOptions o = tinyOptions(testDir() / "fm", 1);
  o.soundFonts = {kCsoundSoundFont, kOplSoundFont};
  o.programs = {73};
  o.pitchMin = o.pitchMax = 69;
  const CorpusSummary summary = renderCorpus(o);
  EXPECT_EQ(summary.rendered, 2);
  const nlohmann::json examples =
      nlohmann::json::parse(readBytes(testDir() / "fm" / "examples.json"));
  const nlohmann::json& fm = examples["flute_synthetic_opl3fm128m_073-069-100"];
  EXPECT_EQ(fm["instrument"], 128 + 73);
  EXPECT_EQ(fm["instrument_family_str"], "flute");
  EXPECT_EQ(fm["instrument_source"], 2);
  EXPECT_EQ(fm["instrument_source_str"], "synthetic");
  EXPECT_EQ(fm["soundfont"], "OPL-3_FM_128M.sf2");
  EXPECT_EQ(examples["flute_acoustic_sfgmbank_073-069-100"]["instrument"], 73);
}

}  // namespace
}  // namespace wae::corpus

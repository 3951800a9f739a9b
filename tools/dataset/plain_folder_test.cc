// make_dataset on a plain folder tree written here with sox (nested folders, FLAC, AIFF,
// OGG and WAV at 32..48 kHz, mono and stereo, shorter and longer than an example, a corrupt,
// a silent, a duplicate and a hidden file): which notes are kept and skipped, the derived
// annotations (instrument, family, estimated pitch, velocity) and the cut with its fade.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/h5_util.h"
#include "tools/dataset/dataset_reader.h"
#include "tools/dataset/make_dataset.h"
#include "tools/dataset/plain_folder.h"
#include "tools/dataset/schema.h"

namespace wae::dataset {
namespace {

namespace fs = std::filesystem;

void sox(const fs::path& dir, const std::string& args) {
  const std::string cmd = "cd '" + dir.string() + "' && sox " + args;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// The notes with a pitch: relative path -> MIDI pitch of the tone sox synthesises.
const std::map<std::string, int> kPitched = {
    {"strings/violin/a3.flac", 57},       // 220 Hz, 48 kHz stereo, 1 s, at 0.1 of full scale
    {"strings/violin/e4.aiff", 64},       // 329.63 Hz, 44.1 kHz mono, 0.5 s
    {"Keyboards/Piano C5.wav", 72},       // 523.25 Hz, 48 kHz stereo, 2 s: cut
    {"reeds/sax/g3.ogg", 55},             // 196 Hz, 32 kHz stereo
    {"misc/bass_pluck.wav", 45},          // 110 Hz, 48 kHz stereo, decaying
};

class PlainFolderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::path(::testing::TempDir()) / "plain";
    fs::remove_all(root_);
    const fs::path in = root_ / "My Samples";
    for (const char* d : {"strings/violin", "Keyboards", "reeds/sax", "misc", "drums", ".git"})
      fs::create_directories(in / d);
    sox(in, "-n -r 48000 -c 2 strings/violin/a3.flac synth 1 sawtooth 220 vol 0.1");
    sox(in, "-n -r 44100 -c 1 strings/violin/e4.aiff synth 0.5 sawtooth 329.63");
    sox(in, "-n -r 48000 -c 2 'Keyboards/Piano C5.wav' synth 2 sawtooth 523.25 vol 0.5");
    sox(in, "-n -r 32000 -c 2 reeds/sax/g3.ogg synth 1.2 sawtooth 196 vol 0.5");
    sox(in, "-n -r 48000 -c 2 misc/bass_pluck.wav synth 1 sawtooth 110 fade q 0 1 0.9");
    // The same samples as a3.flac in another format: a duplicate.
    sox(in, "strings/violin/a3.flac strings/violin/a3copy.wav");
    sox(in, "-n -r 48000 -c 2 drums/snare.wav synth 0.3 whitenoise vol 0.5 fade q 0 0.3 0.25");
    sox(in, "-n -r 48000 -c 2 drums/silent.flac trim 0 0.5");
    std::ofstream(in / "drums" / "broken.wav") << "RIFF, but not a wave file";
    std::ofstream(in / ".git" / "config") << "[core]";  // hidden: not even listed
    std::ofstream(in / ".DS_Store") << "hidden";

    options_.inputDir = in.string();
    options_.outputPath = (root_ / "out" / "dataset.h5").string();
    options_.split.mode = SplitMode::kStratifiedByFamily;
    options_.split.validFraction = 0;
    options_.split.testFraction = 0;
    std::ostringstream log;
    report_ = makeDataset(options_, log);
    log_ = log.str();
    reader_ = std::make_unique<DatasetReader>(options_.outputPath);
    H5::H5File file(options_.outputPath, H5F_ACC_RDONLY);
    for (const char* name : {ds::kF0Hz, ds::kPitchConfidence}) {
      std::vector<float>& v = name == std::string(ds::kF0Hz) ? f0_ : confidence_;
      v.resize(reader_->rows());
      file.openDataSet(name).read(v.data(), H5::PredType::NATIVE_FLOAT);
    }
  }

  static size_t row(const std::string& noteStr) {
    const auto& notes = reader_->notes();
    for (size_t i = 0; i < notes.size(); ++i)
      if (notes[i].noteStr == noteStr) return i;
    ADD_FAILURE() << noteStr << " not in the dataset";
    return 0;
  }

  static std::vector<float> audio(const std::string& noteStr) {
    std::vector<float> a;
    reader_->readAudio({row(noteStr)}, a);
    return a;
  }

  static fs::path root_;
  static MakeDatasetOptions options_;
  static MakeDatasetReport report_;
  static std::string log_;
  static std::unique_ptr<DatasetReader> reader_;
  static std::vector<float> f0_, confidence_;
};

fs::path PlainFolderTest::root_;
MakeDatasetOptions PlainFolderTest::options_;
MakeDatasetReport PlainFolderTest::report_;
std::string PlainFolderTest::log_;
std::unique_ptr<DatasetReader> PlainFolderTest::reader_;
std::vector<float> PlainFolderTest::f0_, PlainFolderTest::confidence_;

TEST_F(PlainFolderTest, KeepsTheSoundsAndSkipsCorruptSilentAndDuplicateFilesWithOneLineEach) {
  EXPECT_TRUE(report_.plainFolder);
  EXPECT_EQ(report_.kept, 6u);
  EXPECT_EQ(report_.skipped.at(skip::kUnreadable), 1u);
  EXPECT_EQ(report_.skipped.at(skip::kSilent), 1u);
  EXPECT_EQ(report_.skipped.at(skip::kDuplicate), 1u);
  EXPECT_EQ(report_.skipped.size(), 3u);
  const std::string in = options_.inputDir;
  EXPECT_NE(log_.find("skip drums/broken.wav: unreadable audio: " + in + "/drums/broken.wav: "),
            std::string::npos)
      << log_;
  EXPECT_NE(log_.find("skip drums/silent.flac: silent: RMS -inf dBFS, below -80.0\n"),
            std::string::npos)
      << log_;
  EXPECT_NE(log_.find("skip strings/violin/a3copy.wav: duplicate: the same audio as "
                      "strings/violin/a3.flac\n"),
            std::string::npos)
      << log_;
  size_t skipLines = 0;
  for (size_t at = log_.find("skip "); at != std::string::npos; at = log_.find("\nskip ", at + 1))
    ++skipLines;
  EXPECT_EQ(skipLines, 3u) << log_;
  std::vector<std::string> kept;
  for (const auto& n : reader_->notes()) kept.push_back(n.noteStr);
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"Keyboards/Piano C5.wav", "drums/snare.wav",
                                            "misc/bass_pluck.wav", "reeds/sax/g3.ogg",
                                            "strings/violin/a3.flac", "strings/violin/e4.aiff"}));
  EXPECT_EQ(reader_->source(), "plain folder " + in);
  const std::string summary = formatReport(report_);
  EXPECT_NE(summary.find("skipped (duplicate): 1\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("pitched: 5, unpitched: 1 (stored as MIDI 60, f0_hz 0)\n"),
            std::string::npos)
      << summary;
}

TEST_F(PlainFolderTest, InstrumentsComeFromFoldersAndFamiliesFromTheDeepestFamilyWord) {
  struct Want {
    std::string note, instrument;
    int instrumentId;
    std::string family;
    int familyId;
  };
  // Instrument ids by the folders' sorted paths (bytewise: upper case first), over every
  // listed file.
  const std::vector<Want> want = {
      {"Keyboards/Piano C5.wav", "Keyboards", 0, "keyboard", 4},
      {"drums/snare.wav", "drums", 1, "unknown", -1},
      {"misc/bass_pluck.wav", "misc", 2, "bass", 0},
      {"reeds/sax/g3.ogg", "reeds/sax", 3, "reed", 7},
      {"strings/violin/a3.flac", "strings/violin", 4, "string", 8},
      {"strings/violin/e4.aiff", "strings/violin", 4, "string", 8},
  };
  for (const auto& w : want) {
    const NoteAnnotation& n = reader_->notes()[row(w.note)];
    EXPECT_EQ(n.instrumentStr, w.instrument) << w.note;
    EXPECT_EQ(n.instrument, w.instrumentId) << w.note;
    EXPECT_EQ(n.familyStr, w.family) << w.note;
    EXPECT_EQ(n.family, w.familyId) << w.note;
    EXPECT_EQ(n.sourceStr, "unknown") << w.note;
    EXPECT_EQ(n.source, -1) << w.note;
  }
}

TEST_F(PlainFolderTest, PitchedNotesGetTheirPitchWithinASemitoneAndNoiseIsUnpitched) {
  for (const auto& [note, midi] : kPitched) {
    const size_t i = row(note);
    const double truthHz = 440.0 * std::pow(2.0, (midi - 69) / 12.0);
    ASSERT_GT(f0_[i], 0) << note;
    EXPECT_LT(std::abs(12 * std::log2(f0_[i] / truthHz)), 1.0) << note << ": " << f0_[i] << " Hz";
    EXPECT_EQ(reader_->notes()[i].pitch, midi) << note;
    EXPECT_GE(confidence_[i], options_.minPitchConfidence) << note;
  }
  const size_t snare = row("drums/snare.wav");
  EXPECT_EQ(f0_[snare], 0.0f);
  EXPECT_EQ(reader_->notes()[snare].pitch, kUnpitchedMidi);
  // The reader hands /f0_hz back (train_hpn leaves unpitched notes out of its pitch loss).
  for (size_t i = 0; i < f0_.size(); ++i) EXPECT_EQ(reader_->notes()[i].f0Hz, f0_[i]) << i;
}

TEST_F(PlainFolderTest, VelocityFollowsTheLoudestWindow) {
  // a3.flac: a sawtooth at 0.1 of full scale, RMS 0.1 / sqrt(3) = -24.8 dBFS:
  // 1 + round(126 * 35.2 / 54) = 83.
  EXPECT_NEAR(reader_->notes()[row("strings/violin/a3.flac")].velocity, 83, 1);
  // Every note's velocity is the mapping of its stored example's loudest window.
  const int sr = options_.settings.sampleRate;
  for (const auto& n : reader_->notes())
    EXPECT_EQ(n.velocity, velocityFromDbfs(peakWindowDbfs(audio(n.noteStr), sr))) << n.noteStr;
  // e4.aiff is sox's sawtooth without `vol 0.1`: far louder than a3.flac.
  EXPECT_GT(reader_->notes()[row("strings/violin/e4.aiff")].velocity,
            reader_->notes()[row("strings/violin/a3.flac")].velocity + 30);
  EXPECT_EQ(velocityFromDbfs(-6), 127);
  EXPECT_EQ(velocityFromDbfs(0), 127);
  EXPECT_EQ(velocityFromDbfs(-60), 1);
  EXPECT_EQ(velocityFromDbfs(-INFINITY), 1);
  EXPECT_EQ(velocityFromDbfs(-33), 64);  // 1 + round(126 * 27 / 54)
}

TEST_F(PlainFolderTest, ShortNotesArePaddedAndLongOnesCutWithAFadeOut) {
  const int sr = options_.settings.sampleRate;
  const size_t fade = std::lround(kFadeSeconds * sr);  // 221 samples at 22050 Hz
  // e4.aiff: 0.5 s, 11025 samples at 22050 Hz; its last sample faded to 0, silence after.
  const std::vector<float> e4 = audio("strings/violin/e4.aiff");
  ASSERT_EQ(e4.size(), 32768u);
  EXPECT_EQ(e4[11024], 0.0f);
  for (size_t i = 11025; i < e4.size(); ++i) ASSERT_EQ(e4[i], 0.0f) << i;
  double before = 0;
  for (size_t i = 11025 - 2 * fade; i < 11025 - fade; ++i) before = std::max(before, double(std::abs(e4[i])));
  EXPECT_GT(before, 0.5);
  // Piano C5.wav: 2 s, cut at 32768 samples; the last one faded to 0.
  const std::vector<float> c5 = audio("Keyboards/Piano C5.wav");
  ASSERT_EQ(c5.size(), 32768u);
  EXPECT_EQ(c5.back(), 0.0f);
  double inFade = 0, beforeFade = 0;
  for (size_t i = 32768 - fade / 4; i < 32768; ++i) inFade = std::max(inFade, double(std::abs(c5[i])));
  for (size_t i = 32768 - 2 * fade; i < 32768 - fade; ++i) beforeFade = std::max(beforeFade, double(std::abs(c5[i])));
  EXPECT_GT(beforeFade, 0.3);
  EXPECT_LT(inFade, 0.25 * beforeFade);

  // The rule, exactly: the last F samples get (1 + cos(pi (k + 1) / F)) / 2.
  std::vector<float> ones(10, 1.0f);
  fitToLength(ones, 6, 400);  // F = round(0.01 * 400) = 4
  const double pi = 3.14159265358979323846;
  ASSERT_EQ(ones.size(), 6u);
  EXPECT_EQ(ones[0], 1.0f);
  EXPECT_EQ(ones[1], 1.0f);
  for (int k = 0; k < 4; ++k)
    EXPECT_FLOAT_EQ(ones[2 + k], float((1 + std::cos(pi * (k + 1) / 4)) / 2)) << k;
  std::vector<float> shortOnes(3, 1.0f);
  fitToLength(shortOnes, 5, 400);
  EXPECT_EQ(shortOnes, (std::vector<float>{float((1 + std::cos(pi / 3)) / 2),
                                           float((1 + std::cos(2 * pi / 3)) / 2), 0.0f, 0.0f,
                                           0.0f}));
}

TEST(PlainFolder, FamilyRuleTakesTheDeepestWordAndPlurals) {
  EXPECT_EQ(familyOfPath("Strings/violin/a3.wav"), 8);
  EXPECT_EQ(familyOfPath("brass/trumpet_mute/flute-like.wav"), 2);  // the file name wins
  EXPECT_EQ(familyOfPath("Synth_Lead/saw.flac"), 9);
  EXPECT_EQ(familyOfPath("synths/pad 3.wav"), 9);
  EXPECT_EQ(familyOfPath("basses/finger/e1.wav"), 0);
  EXPECT_EQ(familyOfPath("vocals/aah.wav"), 10);
  EXPECT_EQ(familyOfPath("bassline/c3.wav"), -1);  // whole words only
  // Synonyms: instruments and sample libraries' folder names.
  EXPECT_EQ(familyOfPath("bassoon/c3.wav"), 7);
  EXPECT_EQ(familyOfPath("Keys/Rhodes Mk1/C3.wav"), 4);
  EXPECT_EQ(familyOfPath("Vox/ooh_A3.wav"), 10);
  EXPECT_EQ(familyOfPath("one shots/Pianos/felt.wav"), 4);
  EXPECT_EQ(familyOfPath("orchestra/Cellos/pizz.wav"), 8);
  EXPECT_EQ(familyOfPath("Bells/tubular.wav"), 5);
  EXPECT_EQ(familyOfPath("Leads/supersaw.wav"), 9);
  EXPECT_EQ(familyOfPath("key of C/loop.wav"), -1);  // "key" alone names nothing
  EXPECT_EQ(familyOfPath("drums/kick.wav"), -1);
  EXPECT_EQ(familyOfPath("organ.wav"), 6);       // the file's own name
  EXPECT_EQ(familyOfPath("x/guitar.flac.wav"), 3);
  EXPECT_EQ(instrumentOf("a/b/c.wav", "root"), "a/b");
  EXPECT_EQ(instrumentOf("c.wav", "root"), "root");
}

TEST(PlainFolder, RefusesAnEmptyFolderNamingIt) {
  MakeDatasetOptions options;
  options.inputDir = (fs::path(::testing::TempDir()) / "empty_plain").string();
  fs::remove_all(options.inputDir);
  fs::create_directories(options.inputDir);
  options.outputPath = (fs::path(::testing::TempDir()) / "empty_plain.h5").string();
  std::ostringstream log;
  try {
    makeDataset(options, log);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              options.inputDir + ": no examples.json and no file in the folder tree, expected "
                                 "audio files (any format libsndfile reads) or an NSynth-style "
                                 "folder");
  }
  EXPECT_FALSE(fs::exists(options.outputPath));
}

}  // namespace
}  // namespace wae::dataset

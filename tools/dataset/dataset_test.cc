// make_dataset on a small NSynth-style folder written here: values, labels, the split,
// skipped inputs, and the LibTorch dataset and loader over the result.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/errors.h"
#include "common/h5_util.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/spectrogram.h"
#include "tools/dataset/dataset_reader.h"
#include "tools/dataset/make_dataset.h"
#include "tools/dataset/mel_dataset.h"

namespace wae::dataset {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kPi = 3.14159265358979323846;
const char* kFamilies[] = {"bass", "brass", "flute"};

json entry(const std::string& noteStr, int pitch, int velocity, int instrument, int family,
           int sampleRate) {
  return {{"note_str", noteStr},
          {"pitch", pitch},
          {"velocity", velocity},
          {"instrument", instrument},
          {"instrument_str", std::string(kFamilies[family]) + "_acoustic_" +
                                 std::to_string(instrument)},
          {"instrument_family", family},
          {"instrument_family_str", kFamilies[family]},
          {"instrument_source", 0},
          {"instrument_source_str", "acoustic"},
          {"qualities", {0, 1, 0, 0, 0, 0, 0, 0, 0, pitch % 2}},
          {"qualities_str", json::array()},
          {"sample_rate", sampleRate}};
}

std::vector<float> sine(double freqHz, double amplitude, int n, int sampleRate) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i) x[i] = amplitude * std::sin(2 * kPi * freqHz * i / sampleRate);
  return x;
}

double midiToHz(int pitch) { return 440.0 * std::pow(2.0, (pitch - 69) / 12.0); }

// 3 families x 2 instruments x 5 pitches of float WAVs at 22050 Hz (exact samples), plus
// one note at 16 kHz, one missing file, one corrupt file, one silent file and one entry
// with a bad field.
class DatasetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / "nsynth";
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "audio");
    json examples;
    for (int family = 0; family < 3; ++family)
      for (int inst = 0; inst < 2; ++inst)
        for (int p = 0; p < 5; ++p) {
          const int instrument = family * 10 + inst;
          const int pitch = 48 + 5 * p;
          const std::string key =
              "n" + std::to_string(instrument) + "-" + std::to_string(pitch) + "-100";
          examples[key] = entry(key, pitch, 100, instrument, family, 22050);
          writeWav((dir_ / "audio" / (key + ".wav")).string(),
                   sine(midiToHz(pitch), 0.5, 32768, 22050), 22050, WavFormat::kFloat32);
        }
    examples["resampled"] = entry("resampled", 69, 50, 0, 0, 16000);
    writeWav((dir_ / "audio" / "resampled.wav").string(), sine(440, 0.5, 64000, 16000), 16000,
             WavFormat::kFloat32);
    examples["missing"] = entry("missing", 60, 100, 1, 0, 22050);
    examples["corrupt"] = entry("corrupt", 60, 100, 1, 0, 22050);
    std::ofstream(dir_ / "audio" / "corrupt.wav") << "RIFF garbage, not a wave file";
    examples["silent"] = entry("silent", 60, 100, 1, 0, 22050);
    writeWav((dir_ / "audio" / "silent.wav").string(), std::vector<float>(32768, 0.0f), 22050);
    examples["badpitch"] = entry("badpitch", 60, 100, 1, 0, 22050);
    examples["badpitch"]["pitch"] = "sixty";
    std::ofstream(dir_ / "examples.json") << examples.dump(2);

    MakeDatasetOptions options;
    options.inputDir = dir_.string();
    options.outputPath = (dir_ / "dataset.h5").string();
    options.split.mode = SplitMode::kStratifiedByFamily;
    options.split.validFraction = 0.2;
    options.split.testFraction = 0.2;
    options.batchSize = 4;
    std::ostringstream log;
    report_ = makeDataset(options, log);
    log_ = log.str();
  }

  static fs::path dir_;
  static MakeDatasetReport report_;
  static std::string log_;
};

fs::path DatasetTest::dir_;
MakeDatasetReport DatasetTest::report_;
std::string DatasetTest::log_;

TEST_F(DatasetTest, SkipsBadInputsWithOneLineEachAndCountsThem) {
  EXPECT_EQ(report_.kept, 31u);
  EXPECT_EQ(report_.skipped.at(skip::kMissing), 1u);
  EXPECT_EQ(report_.skipped.at(skip::kUnreadable), 1u);
  EXPECT_EQ(report_.skipped.at(skip::kSilent), 1u);
  EXPECT_EQ(report_.skipped.at(skip::kMalformed), 1u);
  EXPECT_NE(log_.find("skip badpitch: malformed annotation: field \"pitch\": found \"sixty\" "
                      "(string), expected an integer in 0..127\n"),
            std::string::npos)
      << log_;
  EXPECT_NE(log_.find("skip missing: missing file: " + (dir_ / "audio" / "missing.wav").string()),
            std::string::npos)
      << log_;
  EXPECT_NE(log_.find("skip corrupt: unreadable audio: " + (dir_ / "audio" / "corrupt.wav").string()),
            std::string::npos);
  EXPECT_NE(log_.find("skip silent: silent: RMS -inf dBFS, below -80.0"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "dataset.h5.partial"));
}

TEST_F(DatasetTest, StoresExactAudioAndItsMel) {
  const DatasetReader reader((dir_ / "dataset.h5").string());
  ASSERT_EQ(reader.rows(), 31u);
  const auto& notes = reader.notes();
  size_t row = 0;
  while (notes[row].noteStr != "n11-53-100") ++row;
  EXPECT_EQ(notes[row].pitch, 53);
  EXPECT_EQ(notes[row].velocity, 100);
  EXPECT_EQ(notes[row].instrument, 11);
  EXPECT_EQ(notes[row].family, 1);
  EXPECT_EQ(notes[row].familyStr, "brass");
  EXPECT_EQ(notes[row].instrumentStr, "brass_acoustic_11");
  EXPECT_EQ(notes[row].qualities[1], 1);
  EXPECT_EQ(notes[row].qualities[9], 1);

  std::vector<float> audio, mel;
  reader.readAudio({row}, audio);
  reader.readMel({row}, mel);
  const auto expected = sine(midiToHz(53), 0.5, 32768, 22050);
  ASSERT_EQ(audio.size(), expected.size());
  for (size_t i = 0; i < audio.size(); ++i) ASSERT_EQ(audio[i], expected[i]) << i;
  const torch::Tensor want = melSpectrogram(torch::from_blob(audio.data(), {32768}), AudioSettings{});
  ASSERT_EQ(mel.size(), 80u * 128u);
  EXPECT_TRUE(torch::allclose(torch::from_blob(mel.data(), {80, 128}), want, 0, 1e-6));
}

TEST_F(DatasetTest, ResamplesOtherRatesAndCutsToLength) {
  const DatasetReader reader((dir_ / "dataset.h5").string());
  size_t row = 0;
  while (reader.notes()[row].noteStr != "resampled") ++row;
  std::vector<float> audio;
  reader.readAudio({row}, audio);
  ASSERT_EQ(audio.size(), 32768u);
  // 440 Hz survives resampling: count upward zero crossings over the middle second.
  int crossings = 0;
  for (int i = 5000; i < 5000 + 22050; ++i) crossings += audio[i - 1] < 0 && audio[i] >= 0;
  EXPECT_NEAR(crossings, 440, 1);
}

TEST_F(DatasetTest, SplitIsStratifiedByFamilyAndReproducible) {
  const DatasetReader reader((dir_ / "dataset.h5").string());
  std::map<std::pair<int, Split>, int> counts;
  for (size_t i = 0; i < reader.rows(); ++i)
    ++counts[{reader.notes()[i].family, reader.splits()[i]}];
  // family 0 has 11 notes (10 + resampled), families 1 and 2 have 10: 20% each to test/valid.
  EXPECT_EQ((counts[{0, Split::kTest}]), 2);
  EXPECT_EQ((counts[{0, Split::kValid}]), 2);
  EXPECT_EQ((counts[{0, Split::kTrain}]), 7);
  for (int f : {1, 2}) {
    EXPECT_EQ((counts[{f, Split::kTest}]), 2);
    EXPECT_EQ((counts[{f, Split::kValid}]), 2);
    EXPECT_EQ((counts[{f, Split::kTrain}]), 6);
  }
  // The same notes in another order get the same splits; another seed gives others.
  std::vector<NoteAnnotation> reversed(reader.notes().rbegin(), reader.notes().rend());
  SplitOptions options;
  options.mode = SplitMode::kStratifiedByFamily;
  options.validFraction = options.testFraction = 0.2;
  auto again = assignSplits(reversed, options);
  std::reverse(again.begin(), again.end());
  EXPECT_EQ(again, reader.splits());
  options.seed += 1;
  auto other = assignSplits(reader.notes(), options);
  EXPECT_NE(other, reader.splits());
}

TEST(Split, HoldOutInstrumentsKeepsEachInstrumentInOneSplit) {
  std::vector<NoteAnnotation> notes;
  for (int instrument = 0; instrument < 10; ++instrument)
    for (int p = 0; p < 4; ++p) {
      NoteAnnotation n;
      n.noteStr = std::to_string(instrument) + "-" + std::to_string(p);
      n.instrument = instrument;
      n.family = instrument % 2;
      notes.push_back(n);
    }
  SplitOptions options;
  options.mode = SplitMode::kHoldOutInstruments;
  options.validFraction = options.testFraction = 0.2;
  const auto splits = assignSplits(notes, options);
  std::map<int, std::set<Split>> splitsOf;
  std::map<Split, int> count;
  for (size_t i = 0; i < notes.size(); ++i) {
    splitsOf[notes[i].instrument].insert(splits[i]);
    ++count[splits[i]];
  }
  for (const auto& [instrument, s] : splitsOf) EXPECT_EQ(s.size(), 1u) << instrument;
  // Each family: 5 instruments of 4 notes; 20% = 4 notes = one instrument to test, one to valid.
  EXPECT_EQ(count[Split::kTest], 8);
  EXPECT_EQ(count[Split::kValid], 8);
  EXPECT_EQ(count[Split::kTrain], 24);
}

TEST_F(DatasetTest, TorchDatasetBatchesMelsAndLabels) {
  MelDataset::Options options;
  options.split = Split::kTest;
  options.loadAudio = true;
  MelDataset test((dir_ / "dataset.h5").string(), options);
  ASSERT_EQ(test.size().value(), 6u);
  const DatasetReader reader((dir_ / "dataset.h5").string());
  EXPECT_EQ(reader.rowsOf(Split::kTest).size(), 6u);

  auto loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      test.map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(4));
  std::vector<int64_t> batchSizes;
  int64_t seen = 0;
  for (auto& batch : *loader) {
    batchSizes.push_back(batch.data.size(0));
    EXPECT_EQ(batch.data.sizes(), (std::vector<int64_t>{batch.data.size(0), 80, 128}));
    for (int64_t i = 0; i < batch.data.size(0); ++i, ++seen) {
      const size_t row = test.fileRow(seen);
      const NoteAnnotation& note = reader.notes()[row];
      EXPECT_EQ(batch.target[i][kLabelPitch].item<int64_t>(), note.pitch);
      EXPECT_EQ(batch.target[i][kLabelFamily].item<int64_t>(), note.family);
      EXPECT_EQ(batch.target[i][kLabelInstrument].item<int64_t>(), note.instrument);
      std::vector<float> mel;
      reader.readMel({row}, mel);
      EXPECT_TRUE(torch::equal(batch.data[i], torch::from_blob(mel.data(), {80, 128})));
    }
  }
  EXPECT_EQ(batchSizes, (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(test.audio().sizes(), (std::vector<int64_t>{6, 32768}));
}

TEST_F(DatasetTest, RefusesOtherAudioSettingsNamingBothValues) {
  MelDataset::Options options;
  options.expected.sampleRate = 16000;
  options.expected.fMaxHz = 8000;
  options.expected.nSamples = 128 * 256;
  const std::string path = (dir_ / "dataset.h5").string();
  try {
    MelDataset d(path, options);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "audio settings differ between " + path + " and this tool:\n"
              "sample_rate: " + path + " has 22050, this tool expects 16000\n"
              "f_max: " + path + " has 11025, this tool expects 8000");
  }
}

TEST(DatasetReader, RefusesMissingFileAndOtherFormats) {
  const std::string missing = (fs::path(::testing::TempDir()) / "none.h5").string();
  try {
    DatasetReader r(missing);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": no such file");
  }
  const std::string other = (fs::path(::testing::TempDir()) / "other.h5").string();
  {
    H5::H5File f(other, H5F_ACC_TRUNC);
    h5::writeAttribute(f, "format", std::string("something-else"));
  }
  try {
    DatasetReader r(other);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              other + ": format: found \"something-else\", expected \"wae-sampler-dataset\"");
  }
}

// Every option is checked before any file is read: with a bad option, a folder whose
// examples.json is not JSON (which reading would report) gives the option's error, writes
// nothing and logs nothing.
TEST(MakeDataset, RefusesBadOptionsBeforeReadingAnyFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / "bad_options";
  fs::remove_all(dir);
  fs::create_directories(dir / "audio");
  std::ofstream(dir / "examples.json") << "not JSON at all";
  std::ofstream(dir / "audio" / "x.wav") << "RIFF garbage";
  auto errorOf = [&](const std::function<void(MakeDatasetOptions&)>& change) {
    MakeDatasetOptions options;
    options.inputDir = dir.string();
    options.outputPath = (dir / "d.h5").string();
    change(options);
    std::ostringstream log;
    std::string error;
    try {
      makeDataset(options, log);
    } catch (const std::exception& e) {
      error = e.what();
    }
    EXPECT_EQ(log.str(), "");
    EXPECT_FALSE(fs::exists(dir / "d.h5"));
    EXPECT_FALSE(fs::exists(dir / "d.h5.partial"));
    return error;
  };
  EXPECT_EQ(errorOf([](auto& o) { o.split.testFraction = 1; }),
            "--test-fraction: found 1, expected a fraction in [0, 1)");
  EXPECT_EQ(errorOf([](auto& o) { o.split.validFraction = 0.6, o.split.testFraction = 0.4; }),
            "--valid-fraction + --test-fraction: found 1, expected a sum below 1 (train keeps "
            "the rest)");
  EXPECT_EQ(errorOf([](auto& o) { o.split.holdoutPitchEvery = 1; }),
            "--holdout-pitch-every: found 1, expected 0 (no pitch held out) or 2 and more (one "
            "pitch in k held out)");
  EXPECT_EQ(errorOf([](auto& o) { o.split.holdoutPitchOffset = 7; }),
            "--holdout-pitch-offset: found 7, expected 0..5 (below --holdout-pitch-every)");
  EXPECT_EQ(errorOf([](auto& o) { o.batchSize = 0; }), "--batch: found 0, expected 1 or more");
  EXPECT_EQ(errorOf([](auto& o) { o.silenceDbfs = 3; }),
            "--silence-db: found 3.000000, expected 0 or below (dBFS)");
  EXPECT_EQ(errorOf([](auto& o) { o.minPitchConfidence = 1.5; }),
            "--min-pitch-confidence: found 1.500000, expected a confidence in [0, 1]");
  EXPECT_EQ(errorOf([&](auto& o) { o.inputDir = (dir / "nowhere").string(); }),
            "--in: found " + (dir / "nowhere").string() +
                ", which does not exist, expected a folder of sounds");
  EXPECT_EQ(errorOf([&](auto& o) { o.inputDir = (dir / "examples.json").string(); }),
            "--in: found " + (dir / "examples.json").string() +
                ", which is not a folder, expected a folder of sounds");
  EXPECT_EQ(errorOf([&](auto& o) { o.outputPath = (dir / "audio").string(); }),
            "--out: found " + (dir / "audio").string() +
                ", which is a folder, expected a dataset.h5 path");
  // A file where a folder of the output path should be.
  EXPECT_EQ(errorOf([&](auto& o) { o.outputPath = (dir / "audio" / "x.wav" / "d.h5").string(); }),
            "--out: found " + (dir / "audio" / "x.wav" / "d.h5").string() + ", but " +
                (dir / "audio" / "x.wav").string() +
                " is not a writable folder, expected a path I can write");
  // With good options the same folder is read, and its examples.json refused.
  EXPECT_NE(errorOf([](auto&) {}).find("examples.json"), std::string::npos);
}

// 2 families x 3 instruments x pitches 60..65 through make_dataset with the default split
// mode, honest: one instrument per family held out, and pitch 63 (63 % 6 == 3) for the
// others. Made once per test binary.
struct HonestFixture {
  MakeDatasetOptions options;
  MakeDatasetReport report;
};
const HonestFixture& honestDataset() {
  static const HonestFixture fixture = [] {
    HonestFixture f;
    const fs::path dir = fs::path(::testing::TempDir()) / "honest";
    fs::remove_all(dir);
    fs::create_directories(dir / "audio");
    json examples;
    for (int family = 0; family < 2; ++family)
      for (int k = 0; k < 3; ++k)
        for (int pitch = 60; pitch <= 65; ++pitch) {
          const int instrument = 10 * family + k;
          const std::string key = "n" + std::to_string(instrument) + "-" + std::to_string(pitch);
          examples[key] = entry(key, pitch, 100, instrument, family, 22050);
          writeWav((dir / "audio" / (key + ".wav")).string(),
                   sine(midiToHz(pitch), 0.5, 32768, 22050), 22050, WavFormat::kPcm16);
        }
    std::ofstream(dir / "examples.json") << examples.dump();
    f.options.inputDir = dir.string();
    f.options.outputPath = (dir / "d.h5").string();
    std::ostringstream log;
    f.report = makeDataset(f.options, log);
    return f;
  }();
  return fixture;
}

TEST(MakeDataset, HonestSplitIsRecordedAndReadBack) {
  const MakeDatasetOptions& options = honestDataset().options;
  const MakeDatasetReport& report = honestDataset().report;
  EXPECT_EQ(report.kept, 36u);
  EXPECT_EQ(report.keptBySplit.at("test_instrument"), 12u);
  EXPECT_EQ(report.keptBySplit.at("test_pitch"), 4u);
  EXPECT_EQ(report.keptByFamilyAndSplit.at("brass").at("test_instrument"), 6u);
  const std::string text = formatReport(report);
  EXPECT_NE(text.find("test_pitch"), std::string::npos) << text;

  const DatasetReader reader(options.outputPath);
  H5::H5File file(options.outputPath, H5F_ACC_RDONLY);
  EXPECT_EQ(h5::readString(file, "split_mode", options.outputPath), "honest");
  EXPECT_EQ(h5::readInt(file, "split_holdout_pitch_every", options.outputPath), 6);
  EXPECT_EQ(h5::readInt(file, "split_holdout_pitch_offset", options.outputPath), 3);
  EXPECT_EQ(h5::readInt(file, "split_holdout_instruments_per_family", options.outputPath), 1);
  EXPECT_EQ(h5::readStrings(file.openDataSet("split"), "labels", options.outputPath),
            (std::vector<std::string>{"train", "valid", "test", "test_pitch", "test_instrument"}));
  for (size_t row : reader.rowsOf(Split::kTestPitch)) EXPECT_EQ(reader.notes()[row].pitch, 63);
  MelDataset::Options which;
  which.split = Split::kTestInstrument;
  const MelDataset heldOut(options.outputPath, which);
  ASSERT_EQ(heldOut.size().value(), 12u);
  std::set<int> instruments;
  for (size_t i = 0; i < 12; ++i) instruments.insert(heldOut.annotation(i).instrument);
  EXPECT_EQ(instruments.size(), 2u);
}

// A /split code beyond the file's labels, and labels that are not ours, are refused.
TEST(DatasetReader, RefusesSplitCodesAndLabelsItDoesNotKnow) {
  const fs::path src = honestDataset().options.outputPath;
  const std::string path = (fs::path(::testing::TempDir()) / "old_labels.h5").string();
  fs::copy_file(src, path, fs::copy_options::overwrite_existing);
  {
    H5::H5File f(path, H5F_ACC_RDWR);
    H5::DataSet split = f.openDataSet("split");
    split.removeAttr("labels");
    h5::writeAttribute(split, "labels", std::vector<std::string>{"train", "valid", "test"});
  }
  try {
    DatasetReader r(path);
    FAIL();
  } catch (const FormatError& e) {
    // Row 0 (note n0-60) belongs to a held-out instrument: code 4.
    EXPECT_EQ(std::string(e.what()),
              path + ": split[0]: found 4, expected 0 (train), 1 (valid), 2 (test)");
  }
  {
    H5::H5File f(path, H5F_ACC_RDWR);
    H5::DataSet split = f.openDataSet("split");
    split.removeAttr("labels");
    h5::writeAttribute(split, "labels", std::vector<std::string>{"train", "test", "valid"});
  }
  try {
    DatasetReader r(path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": split attribute labels: found [train, test, valid], expected [train, "
                     "valid, test, test_pitch, test_instrument] or a prefix of it");
  }
}

}  // namespace
}  // namespace wae::dataset

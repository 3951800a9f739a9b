#include "tools/generative/evaluate_generative.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/errors.h"
#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"
#include "tools/audio/audio_io.h"
#include "tools/audio/metrics.h"
#include "tools/audio/pitch.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/make_generative.h"
#include "tools/mcnn/test_data.h"
#include "tools/vae/vae_model.h"

namespace wae::generative {
namespace {

namespace fs = std::filesystem;
using testing::formatErrorOf;

std::string writeVae(const std::string& path, int latent, int seed) {
  const AudioSettings s;
  vae::VaeConfig c;
  c.latentDim = latent;
  c.channels = 4;
  torch::manual_seed(seed);
  vae::makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0)).save(path);
  return path;
}

// A tiny dataset (16 train notes for the PCA; a test split of 7 notes: brass 3, flute 2,
// bass 2, starting brass, flute, bass; test_pitch 4 notes, test_instrument 2), a VAE of latent 6
// and its generative.pt with a 2-iteration Griffin-Lim, shared by the tests (only read).
struct Fixture {
  testing::TempDir dir;
  std::string dataset, vae, generative;
};

const Fixture& fixture() {
  static const Fixture* f = [] {
    auto* x = new Fixture;
    x->dataset = x->dir.file("tiny.h5");
    mcnn::AudioDatasetOptions d;
    d.train = 16;
    d.valid = 3;
    d.test = 7;
    d.testPitch = 4;       // rows 26..29: flute, bass, brass, flute
    d.testInstrument = 2;  // rows 30, 31: bass, brass
    mcnn::writeAudioDataset(x->dataset, d);
    x->vae = writeVae(x->dir.file("model.pt"), 6, 5);
    x->generative = x->dir.file("generative.pt");
    MakeGenerativeOptions o;
    o.modelPath = x->vae;
    o.datasetPath = x->dataset;
    o.inversion = "griffin-lim:2";
    o.outPath = x->generative;
    o.threads = 1;
    std::ostringstream log;
    makeGenerative(o, log);
    return x;
  }();
  return *f;
}

EvaluateGenerativeOptions optionsIn(const testing::TempDir& dir) {
  EvaluateGenerativeOptions o;
  o.modelPath = fixture().generative;
  o.vaePath = fixture().vae;
  o.datasetPath = fixture().dataset;
  o.outDir = dir.file("eval");
  o.threads = 1;
  o.batchSize = 3;  // 7 examples: the last batch is partial
  o.split = "test";
  return o;
}

std::vector<std::vector<std::string>> readCsv(const std::string& path, std::string* header) {
  std::ifstream in(path);
  std::getline(in, *header);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

TEST(EvaluateGenerative, CsvHasEachFamilyAndAnAllRowWeightedByExamples) {
  testing::TempDir dir;
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.wavExamples = 2;
  std::ostringstream log;
  const EvaluateGenerativeResult r = evaluateGenerative(o, log);
  EXPECT_EQ(r.paths, (std::vector<std::string>{"reduced", "full"}));
  EXPECT_EQ(r.examples, 7);

  std::string header;
  auto rows = readCsv(r.csvPath, &header);
  EXPECT_EQ(header, "split,path,family_id,family,examples,lsd_db,sc,mel_l1,mel_lsd_db");
  ASSERT_EQ(rows.size(), 8u);
  const std::vector<std::vector<std::string>> expected = {
      {"reduced", "0", "bass", "2"}, {"reduced", "1", "brass", "3"}, {"reduced", "2", "flute", "2"},
      {"reduced", "-1", "all", "7"}, {"full", "0", "bass", "2"},     {"full", "1", "brass", "3"},
      {"full", "2", "flute", "2"},   {"full", "-1", "all", "7"}};
  for (auto& row : rows) {  // the split column, then the columns as they were
    ASSERT_EQ(row.size(), 9u);
    EXPECT_EQ(row[0], "test");
    row.erase(row.begin());
  }
  for (size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(std::vector<std::string>(rows[i].begin(), rows[i].begin() + 4), expected[i]) << i;
  // The all row of each path is the example-weighted mean of its family rows, column by
  // column (the CSV keeps 9 significant digits).
  for (int p = 0; p < 2; ++p)
    for (int col = 4; col < 8; ++col) {
      double sum = 0;
      for (int f = 0; f < 3; ++f)
        sum += std::stod(rows[4 * p + f][3]) * std::stod(rows[4 * p + f][col]);
      const double all = std::stod(rows[4 * p + 3][col]);
      EXPECT_GT(all, 0) << p << " " << col;
      EXPECT_NEAR(all, sum / 7, 1e-7 * std::abs(all)) << p << " " << col;
    }
  // The families differ (the untrained pipeline is not equally bad on every note).
  EXPECT_NE(rows[0][4], rows[1][4]);

  auto perExample = readCsv(r.examplesCsvPath, &header);
  EXPECT_EQ(header, "split,path,index,file_row,note,family_id,family,lsd_db,sc,mel_l1,mel_lsd_db");
  ASSERT_EQ(perExample.size(), 14u);
  for (auto& row : perExample) {
    EXPECT_EQ(row[0], "test");
    row.erase(row.begin());
  }
  EXPECT_EQ(perExample[0][0], "reduced");
  EXPECT_EQ(perExample[0][2], "19");  // after 16 train and 3 valid notes
  EXPECT_EQ(perExample[0][5], "brass");
  EXPECT_EQ(perExample[13][0], "full");
  EXPECT_EQ(perExample[13][1], "6");

  // WAVs of the first note of the first two families met (brass, then flute), three each.
  ASSERT_EQ(r.wavFiles.size(), 6u);
  const std::string note0 = perExample[0][3], note1 = perExample[1][3];
  EXPECT_EQ(fs::path(r.wavFiles[0]).filename().string(), "1_" + note0 + "_original.wav");
  EXPECT_EQ(fs::path(r.wavFiles[1]).filename().string(), "1_" + note0 + "_reduced.wav");
  EXPECT_EQ(fs::path(r.wavFiles[2]).filename().string(), "1_" + note0 + "_full.wav");
  EXPECT_EQ(fs::path(r.wavFiles[3]).filename().string(), "2_" + note1 + "_original.wav");
  EXPECT_EQ(perExample[1][5], "flute");
  for (const auto& file : r.wavFiles) {
    const Audio a = readAudio(file);
    EXPECT_EQ(a.samples.size(), 32768u) << file;
    EXPECT_EQ(a.sampleRate, 22050) << file;
  }
  for (const auto& e : fs::directory_iterator(o.outDir))
    EXPECT_EQ(e.path().extension() == ".partial", false) << e.path();

  const std::string table = formatTable(r);
  EXPECT_NE(table.find("the 4 PCA axes cost (reduced - full)"), std::string::npos) << table;
  EXPECT_NE(table.find("reduced  brass"), std::string::npos) << table;
  EXPECT_NE(log.str().find("evaluate_generative: test: full: LSD"), std::string::npos) << log.str();
}

// The default: the three test sets, each evaluated as it would be alone, side by side.
TEST(EvaluateGenerative, ThreeTestSetsSideBySideEachAsAlone) {
  testing::TempDir dir;
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.split = EvaluateGenerativeOptions().split;
  EXPECT_EQ(o.split, "test,test_pitch,test_instrument");
  o.wavExamples = 0;
  std::ostringstream log;
  const EvaluateGenerativeResult r = evaluateGenerative(o, log);
  EXPECT_EQ(r.splits, (std::vector<std::string>{"test", "test_pitch", "test_instrument"}));
  EXPECT_EQ(r.examples, 7 + 4 + 2);
  std::string header;
  const auto rows = readCsv(r.csvPath, &header);
  EXPECT_EQ(header, "split,path,family_id,family,examples,lsd_db,sc,mel_l1,mel_lsd_db");
  // test: 3 families + all; test_pitch: bass 1, brass 1, flute 2 + all; test_instrument:
  // bass 1, brass 1 + all; per path.
  ASSERT_EQ(rows.size(), 2u * (4 + 4 + 3));
  std::map<std::string, int> allRows;
  for (const auto& row : rows)
    if (row[3] == "all") allRows[row[0] + "/" + row[1]] = std::stoi(row[4]);
  EXPECT_EQ(allRows, (std::map<std::string, int>{{"test/reduced", 7},
                                                 {"test/full", 7},
                                                 {"test_pitch/reduced", 4},
                                                 {"test_pitch/full", 4},
                                                 {"test_instrument/reduced", 2},
                                                 {"test_instrument/full", 2}}));
  // Each split's rows are those of a run on that split alone.
  for (const std::string split : {"test", "test_pitch", "test_instrument"}) {
    testing::TempDir alone;
    EvaluateGenerativeOptions one = optionsIn(alone);
    one.split = split;
    one.wavExamples = 0;
    std::ostringstream quiet;
    const EvaluateGenerativeResult single = evaluateGenerative(one, quiet);
    std::vector<PathFamilyScore> mine;
    for (const auto& f : r.rows)
      if (f.split == split) mine.push_back(f);
    ASSERT_EQ(mine.size(), single.rows.size()) << split;
    for (size_t i = 0; i < mine.size(); ++i) {
      EXPECT_EQ(mine[i].path, single.rows[i].path);
      EXPECT_EQ(mine[i].name, single.rows[i].name);
      EXPECT_EQ(mine[i].examples, single.rows[i].examples);
      EXPECT_DOUBLE_EQ(mine[i].melLsdDb, single.rows[i].melLsdDb) << split << " " << i;
      EXPECT_DOUBLE_EQ(mine[i].lsdDb, single.rows[i].lsdDb) << split << " " << i;
    }
  }
  // The table: the three splits as column groups, a row per family with "-" where a split
  // lacks it (test_instrument has no flute), the cost of the PCA per split, the ratios.
  const std::string table = formatTable(r);
  EXPECT_NE(table.find("| test_pitch"), std::string::npos) << table;
  EXPECT_NE(table.find("| test_instrument"), std::string::npos) << table;
  const size_t flute = table.find("reduced  flute");
  ASSERT_NE(flute, std::string::npos) << table;
  const std::string fluteLine = table.substr(flute, table.find('\n', flute) - flute);
  EXPECT_EQ(fluteLine.substr(fluteLine.size() - 4), "   -") << fluteLine;
  const size_t bass = table.find("reduced  bass");
  ASSERT_NE(bass, std::string::npos) << table;
  EXPECT_NE(table.substr(bass, table.find('\n', bass) - bass).back(), '-') << table;
  EXPECT_NE(table.find("test_instrument: the 4 PCA axes cost"), std::string::npos) << table;
  EXPECT_NE(table.find("reduced: mel LSD over test's: test_pitch "), std::string::npos) << table;
}

// A dataset without the held-out sets (made before they existed, or with them disabled):
// the missing splits are skipped with a line in the log; all missing is an error.
TEST(EvaluateGenerative, SkipsEmptySplitsAndRefusesWhenAllAreEmpty) {
  testing::TempDir dir;
  const std::string plain = dir.file("plain.h5");
  mcnn::AudioDatasetOptions d;
  d.train = 16;
  d.valid = 3;
  d.test = 4;
  mcnn::writeAudioDataset(plain, d);
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.datasetPath = plain;
  o.vaePath.clear();
  o.split = "test,test_pitch";
  o.wavExamples = 0;
  std::ostringstream log;
  const EvaluateGenerativeResult r = evaluateGenerative(o, log);
  EXPECT_EQ(r.splits, std::vector<std::string>{"test"});
  EXPECT_NE(log.str().find("evaluate_generative: test_pitch: no example in " + plain + ", skipped"),
            std::string::npos)
      << log.str();
  o.split = "test_pitch,test_instrument";
  try {
    evaluateGenerative(o, log);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), plain +
                                         ": test_pitch,test_instrument split: found 0 "
                                         "examples, expected at least 1");
  }
  o.split = "test,test";
  try {
    evaluateGenerative(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "--split: found \"test\" twice in \"test,test\", expected each once");
  }
}

// The reduced path is forward(project(mel)) and the full path forward_full(encode(mel).mu),
// computed here directly on the TorchScript modules, in one batch of all 7 examples.
TEST(EvaluateGenerative, RendersAreForwardOfProjectAndForwardFullOfTheMeans) {
  testing::TempDir dir;
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.keepWaves = true;
  o.wavExamples = 1;
  std::ostringstream log;
  const EvaluateGenerativeResult r = evaluateGenerative(o, log);

  const dataset::MelDataset test(fixture().dataset, {dataset::Split::kTest, true, {}});
  torch::jit::Module g = torch::jit::load(fixture().generative);
  torch::jit::Module vae = vae::loadVae(fixture().vae);
  // In the tool's batches of 3: convolutions round differently at other batch sizes, and
  // the untrained pipeline amplifies that.
  std::vector<torch::Tensor> reducedParts, fullParts;
  {
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < 7; begin += 3) {
      const torch::Tensor mel = test.mels().narrow(0, begin, std::min<int64_t>(3, 7 - begin));
      const torch::Tensor z = g.run_method("project", mel).toTensor();
      reducedParts.push_back(g.forward({z}).toTensor());
      const torch::Tensor mu = vae.run_method("encode", mel).toTuple()->elements()[0].toTensor();
      fullParts.push_back(g.run_method("forward_full", mu).toTensor());
    }
  }
  const torch::Tensor reduced = torch::cat(reducedParts), full = torch::cat(fullParts);
  ASSERT_EQ(reduced.sizes(), (std::vector<int64_t>{7, 32768}));
  ASSERT_EQ(r.reducedWaves.size(), 7u * 32768);
  ASSERT_EQ(r.fullWaves.size(), 7u * 32768);
  const torch::Tensor gotReduced =
      torch::from_blob(const_cast<float*>(r.reducedWaves.data()), {7, 32768}, torch::kFloat32);
  const torch::Tensor gotFull =
      torch::from_blob(const_cast<float*>(r.fullWaves.data()), {7, 32768}, torch::kFloat32);
  EXPECT_GT(reduced.abs().max().item<double>(), 1e-3);
  EXPECT_EQ((gotReduced - reduced).abs().max().item<double>(), 0.0);
  EXPECT_EQ((gotFull - full).abs().max().item<double>(), 0.0);
  // The two paths render different waves (the PCA drops 2 of the 6 dimensions).
  EXPECT_GT((gotFull - gotReduced).abs().max().item<double>(), 1e-4);

  // Per-example measures are those of the direct renders against the original audio.
  const AudioSettings s;
  ASSERT_EQ(r.perExample.size(), 14u);
  for (int i = 0; i < 7; ++i) {
    const ExampleScore& e = r.perExample[i];
    EXPECT_EQ(e.path, "reduced");
    EXPECT_EQ(e.index, i);
    EXPECT_DOUBLE_EQ(e.lsdDb, logSpectralDistanceDb(test.audio()[i], reduced[i], s)) << i;
    EXPECT_DOUBLE_EQ(e.sc, spectralConvergence(test.audio()[i], reduced[i], s)) << i;
    const ExampleScore& f = r.perExample[7 + i];
    EXPECT_EQ(f.path, "full");
    EXPECT_DOUBLE_EQ(f.lsdDb, logSpectralDistanceDb(test.audio()[i], full[i], s)) << i;
    EXPECT_DOUBLE_EQ(f.sc, spectralConvergence(test.audio()[i], full[i], s)) << i;
  }

  // The reduced WAV is the render, to 16-bit rounding; the original is the dataset's audio.
  ASSERT_EQ(r.wavFiles.size(), 3u);
  const Audio original = readAudio(r.wavFiles[0]);
  const Audio wav = readAudio(r.wavFiles[1]);
  double maxWavDiff = 0, maxOriginalDiff = 0;
  for (int t = 0; t < 32768; ++t) {
    maxWavDiff = std::max(maxWavDiff, std::abs(wav.samples[t] - reduced[0][t].item<double>()));
    maxOriginalDiff = std::max(maxOriginalDiff,
                               std::abs(original.samples[t] - test.audio()[0][t].item<double>()));
  }
  EXPECT_LE(maxWavDiff, 1.0 / 32768 + 1e-5);
  EXPECT_LE(maxOriginalDiff, 1.0 / 32768 + 1e-6);
}

// A VAE with a pitch axis: by default each note is rendered at its label's pitch on the
// axis (z0 = (MIDI - center) / scale, less the PCA's mean on the reduced axis); with --pitch
// recording at its recording's estimated pitch (the fixture's notes are in tune, so within a
// cent of the label's, but not equal); with --pitch encoder at the encoder's estimate, i.e.
// forward(project(mel)) as for any model.
TEST(EvaluateGenerative, PitchAxisRendersAtTheLabelsPitchUnlessAskedForTheEncoders) {
  testing::TempDir dir;
  const AudioSettings s;
  vae::VaeConfig c;
  c.latentDim = 4;
  c.channels = 4;
  c.pitchAxis = true;
  torch::manual_seed(3);
  const std::string vaePath = dir.file("model.pt");
  vae::makeVaeModule(c, s, torch::full({s.nMels}, -6.0), torch::full({s.nMels}, 2.0)).save(vaePath);
  MakeGenerativeOptions m;
  m.modelPath = vaePath;
  m.datasetPath = fixture().dataset;
  m.inversion = "griffin-lim:2";
  m.outPath = dir.file("generative.pt");
  m.threads = 1;
  std::ostringstream makeLog;
  makeGenerative(m, makeLog);

  EvaluateGenerativeOptions o = optionsIn(dir);
  o.modelPath = m.outPath;
  o.vaePath = vaePath;
  o.keepWaves = true;
  o.wavExamples = 0;
  std::ostringstream log;
  const EvaluateGenerativeResult label = evaluateGenerative(o, log);
  EXPECT_EQ(label.pitchFrom, "label");
  EXPECT_NE(log.str().find("notes rendered at the label's pitch"), std::string::npos) << log.str();
  EXPECT_NE(formatTable(label).find("pitch axis at the labels' pitch"), std::string::npos);
  o.pitch = "recording";
  const EvaluateGenerativeResult recording = evaluateGenerative(o, log);
  EXPECT_EQ(recording.pitchFrom, "recording");
  EXPECT_EQ(recording.pitchFallbacks, 0);
  EXPECT_GT(recording.recordingOffsetCents, 0.0);
  EXPECT_LT(recording.recordingOffsetCents, 1.0);
  EXPECT_NE(formatTable(recording).find("pitch axis at the recordings' pitch"), std::string::npos);
  EXPECT_NE(log.str().find("recordings' pitch: 7 notes a mean"), std::string::npos) << log.str();
  o.pitch = "encoder";
  const EvaluateGenerativeResult encoder = evaluateGenerative(o, log);
  EXPECT_EQ(encoder.pitchFrom, "encoder");

  const dataset::MelDataset test(fixture().dataset, {dataset::Split::kTest, true, {}});
  torch::jit::Module g = torch::jit::load(m.outPath);
  torch::jit::Module vae = vae::loadVae(vaePath);
  const double mean0 = g.attr("pca_mean").toTensor()[0].item<double>();
  std::vector<torch::Tensor> labelReduced, labelFull, encoderReduced, recordingReduced;
  {
    c10::InferenceMode guard;
    for (int64_t begin = 0; begin < 7; begin += 3) {
      const int64_t count = std::min<int64_t>(3, 7 - begin);
      const torch::Tensor mel = test.mels().narrow(0, begin, count);
      std::vector<double> midi;
      for (int64_t i = 0; i < count; ++i) midi.push_back(test.annotation(begin + i).pitch);
      const torch::Tensor coordinate =
          (torch::tensor(midi, torch::kFloat64) - vae::kPitchCenterMidi) / vae::kSemitonesPerUnit;
      const torch::Tensor z = g.run_method("project", mel).toTensor();
      encoderReduced.push_back(g.forward({z}).toTensor());
      const torch::Tensor zLabel = z.clone();
      zLabel.select(1, 0).copy_(coordinate - mean0);
      labelReduced.push_back(g.forward({zLabel}).toTensor());
      std::vector<double> heard;
      for (int64_t i = 0; i < count; ++i) {
        const torch::Tensor a = test.audio()[begin + i].contiguous();
        heard.push_back(audio::estimatePitch(a.data_ptr<float>(), 32768, 22050).midiPitch);
      }
      const torch::Tensor zHeard = z.clone();
      zHeard.select(1, 0).copy_((torch::tensor(heard, torch::kFloat64) - vae::kPitchCenterMidi) /
                                    vae::kSemitonesPerUnit -
                                mean0);
      recordingReduced.push_back(g.forward({zHeard}).toTensor());
      const torch::Tensor mu =
          vae.run_method("encode", mel).toTuple()->elements()[0].toTensor().clone();
      mu.select(1, 0).copy_(coordinate);
      labelFull.push_back(g.run_method("forward_full", mu).toTensor());
    }
  }
  auto kept = [](const std::vector<float>& w) {
    return torch::from_blob(const_cast<float*>(w.data()), {7, 32768}, torch::kFloat32);
  };
  EXPECT_EQ((kept(label.reducedWaves) - torch::cat(labelReduced)).abs().max().item<double>(), 0.0);
  EXPECT_EQ((kept(label.fullWaves) - torch::cat(labelFull)).abs().max().item<double>(), 0.0);
  EXPECT_EQ((kept(encoder.reducedWaves) - torch::cat(encoderReduced)).abs().max().item<double>(),
            0.0);
  EXPECT_EQ(
      (kept(recording.reducedWaves) - torch::cat(recordingReduced)).abs().max().item<double>(),
      0.0);
  EXPECT_GT((kept(recording.reducedWaves) - kept(label.reducedWaves)).abs().max().item<double>(),
            0.0);
  // The untrained encoder's pitch is not the label's: the two renders differ.
  EXPECT_GT((kept(label.reducedWaves) - kept(encoder.reducedWaves)).abs().max().item<double>(),
            1e-4);

  o.pitch = "midi";
  try {
    evaluateGenerative(o, log);
    FAIL() << "--pitch midi accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--pitch must be label, recording or encoder, got \"midi\"");
  }
}

// --examples 3 of the 7 test notes: examples 0, 2, 4 (file rows 19, 21, 23: brass, bass,
// flute), spread over the split rather than its first rows, so every family is in.
TEST(EvaluateGenerative, WithoutVaeOnlyTheReducedPathAndExamplesSpreadOverTheSplit) {
  testing::TempDir dir;
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.vaePath.clear();
  o.examples = 3;
  o.wavExamples = 0;
  std::ostringstream log;
  const EvaluateGenerativeResult r = evaluateGenerative(o, log);
  EXPECT_EQ(r.paths, std::vector<std::string>{"reduced"});
  std::string header;
  const auto rows = readCsv(r.csvPath, &header);
  ASSERT_EQ(rows.size(), 4u);  // bass 1, brass 1, flute 1, all 3
  EXPECT_EQ(rows[0][3], "bass");
  EXPECT_EQ(rows[1][3], "brass");
  EXPECT_EQ(rows[2][3], "flute");
  EXPECT_EQ(rows[3][3], "all");
  EXPECT_EQ(rows[3][4], "3");
  ASSERT_EQ(r.perExample.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(r.perExample[k].index, 2 * k);
    EXPECT_EQ(r.perExample[k].fileRow, 19 + 2 * k);
  }
  EXPECT_EQ(r.perExample[1].familyName, "bass");
  EXPECT_TRUE(r.wavDir.empty());
  EXPECT_FALSE(fs::exists(dir.file("eval/wav")));
  EXPECT_NE(formatTable(r).find("full skipped: no --vae"), std::string::npos);
}

TEST(EvaluateGenerative, RefusesBadInputNamingFileFieldAndBothValues) {
  testing::TempDir dir;
  std::ostringstream log;

  // A generative.pt without project().
  EvaluateGenerativeOptions o = optionsIn(dir);
  o.modelPath = dir.file("analytic.pt");
  writeAnalyticModel(o.modelPath);
  EXPECT_EQ(formatErrorOf([&] { evaluateGenerative(o, log); }),
            o.modelPath +
                ": method project: found none, expected project(mel [batch, n_mels, n_frames]) "
                "-> [batch, 4], the encoder mean then the PCA, as make_generative writes it");

  // A dataset made at 16 kHz.
  o = optionsIn(dir);
  o.datasetPath = dir.file("16k.h5");
  mcnn::AudioDatasetOptions d;
  d.train = 1;
  d.valid = 0;
  d.test = 1;
  d.settings.sampleRate = 16000;
  d.settings.fMaxHz = 8000;
  mcnn::writeAudioDataset(o.datasetPath, d);
  EXPECT_EQ(formatErrorOf([&] { evaluateGenerative(o, log); }),
            o.datasetPath + ": attributes sample_rate, f_max: found 16000, 8000, expected " +
                "22050, 11025 (the audio settings of " + fixture().generative + ")");

  // A VAE of another latent size.
  o = optionsIn(dir);
  o.vaePath = writeVae(dir.file("latent5.pt"), 5, 5);
  EXPECT_EQ(formatErrorOf([&] { evaluateGenerative(o, log); }),
            o.vaePath + ": attribute latent_dim: found 5, expected 6 (full_dim of " +
                fixture().generative + ")");

  // A VAE of the right size that is not the one inside generative.pt.
  o.vaePath = writeVae(dir.file("other.pt"), 6, 6);
  const std::string other = formatErrorOf([&] { evaluateGenerative(o, log); });
  EXPECT_EQ(other.rfind(o.vaePath +
                            ": encode(mel): found encoder means that differ from those "
                            "of the VAE inside " +
                            fixture().generative + " by up to ",
                        0),
            0u)
      << other;
  EXPECT_NE(other.find("on the first 3 examples, expected the model.pt that make_generative "
                       "used for " +
                       fixture().generative),
            std::string::npos)
      << other;

  o = optionsIn(dir);
  o.split = "validation";
  EXPECT_THROW(evaluateGenerative(o, log), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir.file("eval")));  // nothing written for refused input
}

}  // namespace
}  // namespace wae::generative

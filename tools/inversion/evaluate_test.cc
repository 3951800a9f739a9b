#include "tools/inversion/evaluate.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/test_data.h"

namespace wae::inversion {
namespace {

namespace fs = std::filesystem;

std::string tempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : fs::temp_directory_path().string();
}

std::string writeMcnn(const std::string& name, AudioSettings s) {
  mcnn::McnnConfig c;
  c.heads = 2;
  c.widths = {4, 4, 2, 2, 2, 2, 2, 1};
  torch::manual_seed(1);
  const std::string path = tempDir() + "/" + name;
  mcnn::makeMcnnModule(c, s, torch::zeros({s.nMels}), torch::ones({s.nMels})).save(path);
  return path;
}

const std::string& dataset() {
  static const std::string path = [] {
    const std::string p = tempDir() + "/tiny.h5";
    mcnn::writeAudioDataset(p);
    return p;
  }();
  return path;
}

TEST(EvaluateInversion, ScoresEveryInverterAndWritesCsvPngWavs) {
  EvaluateOptions o;
  o.datasetPath = dataset();
  o.inverters = {writeMcnn("mcnn.pt", AudioSettings{}), "griffin-lim:2", "griffin-lim:16"};
  o.outDir = tempDir() + "/eval";
  o.threads = 1;
  o.figureExamples = 2;
  std::ostringstream log;
  const EvaluateResult r = evaluateInversion(o, log);
  ASSERT_EQ(r.scores.size(), 3u);
  for (const auto& s : r.scores) {
    EXPECT_EQ(s.examples, 3);
    EXPECT_GT(s.realTimeFactor, 0);
    EXPECT_TRUE(std::isfinite(s.sc) && std::isfinite(s.lsdDb));
  }
  // More Griffin-Lim iterations, better SC; the untrained MCNN is far off.
  EXPECT_LT(r.scores[2].sc, r.scores[1].sc);
  EXPECT_GT(r.scores[0].sc, r.scores[2].sc);
  std::ifstream csv(r.csvPath);
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("inverter,description,split,examples,sc,lsd_db", 0), 0u) << header;
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 3);
  EXPECT_GT(fs::file_size(r.pngPath), 1000u);
  int wavs = 0;
  for (const auto& e : fs::directory_iterator(r.wavDir)) wavs += e.path().extension() == ".wav";
  EXPECT_EQ(wavs, 2 * 4);  // reference and 3 inverters for 2 examples
  const std::string table = formatTable(r);
  EXPECT_NE(table.find("x real time"), std::string::npos) << table;
  EXPECT_NE(table.find("1 torch thread, batch 1"), std::string::npos) << table;
}

TEST(EvaluateInversion, RefusesAnMcnnOfAnotherSampleRate) {
  AudioSettings s16;
  s16.sampleRate = 16000;
  s16.fMaxHz = 8000;
  EvaluateOptions o;
  o.datasetPath = dataset();
  o.inverters = {writeMcnn("mcnn16k.pt", s16)};
  o.outDir = tempDir() + "/eval16";
  o.plots = false;
  std::ostringstream log;
  try {
    evaluateInversion(o, log);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("sample_rate"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("16000"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wae::inversion

#include "tools/bank/evaluate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "bank/grid.h"
#include "bank/schema.h"
#include "common/testing/temp_dir.h"
#include "tools/audio/metrics.h"
#include "tools/audio/spectrogram.h"
#include "tools/bank/bake.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"
#include "tools/vae/losses.h"

namespace wae::bankbake {
namespace {

using testing::TempDir;

EvaluateOptions fewTrials() {
  EvaluateOptions o;
  o.trials = 6;
  o.seed = 7;
  return o;
}

// Bakes `model` at `path` over a 3x3x2x2 grid in `storage` and measures the baked file and
// the same grid computed from the model.
std::pair<FidelityRow, FidelityRow> bakedAndGrid(const GenerativeModel& model,
                                                 const std::string& path, const TempDir& tmp,
                                                 const std::string& name, bank::StorageType storage,
                                                 const Trials& t) {
  BakeOptions o;
  o.modelPath = path;
  o.outPath = tmp.file(name + "_" + bank::storageName(storage) + ".h5");
  o.grid = {3, 3, 2, 2};
  o.storage = storage;
  bake(o);
  return {evaluateBankFile(model, o.outPath, t),
          evaluateGrid(model, o.grid, storage, t, fewTrials())};
}

// The analytic model at a fixed pitch: its wave is bilinear in (z3, z4), constant in z1, z2.
std::string writeFlatModel(const TempDir& tmp) {
  generative::AnalyticOptions a;
  a.length = 2048;
  a.fHighHz = a.fLowHz;
  const std::string path = tmp.file("flat.pt");
  generative::writeAnalyticModel(path, a);
  return path;
}

TEST(Evaluate, InterpolationIsExactWhereTheModelIsMultilinear) {
  // With a fixed pitch the analytic wave is bilinear in (z3, z4) and constant in z1, z2, so
  // quadrilinear interpolation on the coarsest grid reproduces it; the nearest point does not.
  const TempDir tmp;
  const auto model = GenerativeModel::load(writeFlatModel(tmp));
  const Trials t = makeTrials(model, fewTrials());
  const FidelityRow r =
      evaluateGrid(model, {2, 2, 2, 2}, bank::StorageType::kFloat32, t, fewTrials());
  EXPECT_EQ(r.points, 16u);
  EXPECT_EQ(r.trials, 6);
  EXPECT_LT(r.lsdInterpDb, 0.3);  // float rounding in near-silent bins (eps 1e-5)
  EXPECT_LT(r.scInterp, 1e-5);
  EXPECT_GT(r.lsdNearestDb, 0.5);
  EXPECT_GT(r.scNearest, 0.05);
}

// The same bilinear wave on the simplex's 5 corners: piecewise linear, so z3 * z4 is no
// longer reproduced between corners (the SC is far from the cell's 1e-5); a bad name refused.
TEST(Evaluate, SimplexCornersAreAskedForByName) {
  const TempDir tmp;
  const auto model = GenerativeModel::load(writeFlatModel(tmp));
  const Trials t = makeTrials(model, fewTrials());
  EvaluateOptions o = fewTrials();
  o.corners = "simplex";
  const FidelityRow r = evaluateGrid(model, {2, 2, 2, 2}, bank::StorageType::kFloat32, t, o);
  EXPECT_TRUE(r.simplex);
  EXPECT_GT(r.scInterp, 1e-3);
  o.corners = "cube";
  try {
    evaluateGrid(model, {2, 2, 2, 2}, bank::StorageType::kFloat32, t, o);
    FAIL() << "corners 'cube' accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--corners: found 'cube', expected cell or simplex");
  }
}

TEST(Evaluate, ABakedBankMeasuresAsTheGridFromTheModel) {
  const TempDir tmp;
  generative::AnalyticOptions a;
  a.length = 2048;
  const std::string path = tmp.file("analytic.pt");
  generative::writeAnalyticModel(path, a);
  const auto model = GenerativeModel::load(path);
  const Trials t = makeTrials(model, fewTrials());
  for (const auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    const auto [file, grid] = bakedAndGrid(model, path, tmp, "eval", storage, t);
    EXPECT_EQ(file.storage, storage);
    EXPECT_EQ(file.lsdInterpDb, grid.lsdInterpDb);
    EXPECT_EQ(file.scInterp, grid.scInterp);
    EXPECT_EQ(file.lsdNearestDb, grid.lsdNearestDb);
    // The model has f0, so the bank has pitch: both measure the aligned blend alike.
    EXPECT_TRUE(file.pitched);
    EXPECT_TRUE(grid.pitched);
    EXPECT_EQ(file.lsdAlignedDb, grid.lsdAlignedDb);
    EXPECT_EQ(file.lsdAlignedSoundingDb, grid.lsdAlignedSoundingDb);
    EXPECT_EQ(file.melLsdInterpDb, grid.melLsdInterpDb);
    EXPECT_EQ(file.melLsdNearestDb, grid.melLsdNearestDb);
    EXPECT_EQ(file.melLsdAlignedDb, grid.melLsdAlignedDb);
    EXPECT_GT(file.melLsdInterpDb, 0.0);
    EXPECT_GT(file.lsdInterpDb, 0.0);
    EXPECT_DOUBLE_EQ(file.bankMiB,
                     36.0 * 2048 * (storage == bank::StorageType::kInt16 ? 2 : 4) / (1 << 20));
  }
}

TEST(Evaluate, PitchAlignedBlendIsExactWhileItSoundsWhereLogPitchIsLinear) {
  // The analytic model's log f0 is linear in z1 + z2 and its waves start in phase, so the
  // aligned blend (the corners' weighted geometric mean pitch) is the model's wave, but for the
  // 6-point Lagrange reading's small error, until the fastest corner fades out and the others carry
  // the level (mixAlignedHeld); the plain blend sounds two pitches. Untransposed, the slowest
  // corner is read at most 1x (the blend's pitch is at most the highest corner's), so the
  // voice sounds the whole length: as played is while sounding.
  const TempDir tmp;
  generative::AnalyticOptions a;
  a.length = 8192;
  const std::string path = tmp.file("analytic.pt");
  generative::writeAnalyticModel(path, a);
  const auto model = GenerativeModel::load(path);
  const Trials t = makeTrials(model, fewTrials());
  const FidelityRow r =
      evaluateGrid(model, {4, 4, 2, 2}, bank::StorageType::kFloat32, t, fewTrials());
  EXPECT_TRUE(r.pitched);
  EXPECT_LT(r.lsdAlignedSoundingDb, r.lsdInterpDb);
  EXPECT_LT(r.lsdAlignedDb, 3.0);  // 2.5 dB; 5.8 with 4-point Catmull-Rom
  EXPECT_LT(r.scAligned, r.scInterp);
  EXPECT_EQ(r.lsdAlignedDb, r.lsdAlignedSoundingDb);
  EXPECT_LT(r.lsdAlignedDb, r.lsdInterpDb);
  EXPECT_LT(r.melLsdAlignedDb, r.melLsdInterpDb);
  std::fprintf(
      stderr, "aligned %.3f dB (plain %.3f), SC %.4f (plain %.4f), mel LSD %.3f dB (plain %.3f)\n",
      r.lsdAlignedDb, r.lsdInterpDb, r.scAligned, r.scInterp, r.melLsdAlignedDb, r.melLsdInterpDb);
  // A model without f0: evaluate_bank estimates each grid point's f0 as bake_bank does, to
  // within a fraction of a cent here, so it measures about the same.
  a.withF0 = false;
  const std::string noF0 = tmp.file("nof0.pt");
  generative::writeAnalyticModel(noF0, a);
  const auto estimated = GenerativeModel::load(noF0);
  const FidelityRow e =
      evaluateGrid(estimated, {4, 4, 2, 2}, bank::StorageType::kFloat32, t, fewTrials());
  EXPECT_TRUE(e.pitched);
  EXPECT_NEAR(e.lsdAlignedSoundingDb, r.lsdAlignedSoundingDb, 0.5);
  EXPECT_EQ(e.lsdInterpDb, r.lsdInterpDb);
}

// A model with parts (the analytic tone plus a 3000 Hz part that no pitch moves): its grid
// keeps them apart, and the aligned blend, reading the fixed part plainly, is the model's
// wave but for the Lagrange reading of the tone; whole waveforms read aligned move the fixed
// part with each corner's rate. A baked bank of two parts measures as the grid does.
TEST(Evaluate, NoisePartsReadPlainlyBesideTheAlignedHarmonicParts) {
  const TempDir tmp;
  generative::AnalyticOptions a;
  a.length = 8192;
  a.fixedLevel = 0.5;
  a.withParts = true;
  const std::string path = tmp.file("parts.pt");
  generative::writeAnalyticModel(path, a);
  const auto model = GenerativeModel::load(path);
  const Trials t = makeTrials(model, fewTrials());
  const FidelityRow split =
      evaluateGrid(model, {4, 4, 2, 2}, bank::StorageType::kFloat32, t, fewTrials());
  EvaluateOptions wholeOptions = fewTrials();
  wholeOptions.whole = true;
  const FidelityRow whole =
      evaluateGrid(model, {4, 4, 2, 2}, bank::StorageType::kFloat32, t, wholeOptions);
  EXPECT_TRUE(split.noisePart);
  EXPECT_FALSE(whole.noisePart);
  EXPECT_DOUBLE_EQ(split.bankMiB, 2 * whole.bankMiB);
  // The plain blend is linear: the same, but for the parts' own rounding to float32.
  EXPECT_NEAR(split.lsdInterpDb, whole.lsdInterpDb, 0.01);
  EXPECT_LT(split.lsdAlignedDb, 3.0);
  EXPECT_LT(split.scAligned, 0.1 * whole.scAligned);
  std::fprintf(stderr, "noise parts apart: aligned %.3f dB, SC %.4f; whole: %.3f dB, SC %.4f\n",
               split.lsdAlignedDb, split.scAligned, whole.lsdAlignedDb, whole.scAligned);
  for (const auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    const auto [file, grid] = bakedAndGrid(model, path, tmp, "parts", storage, t);
    EXPECT_TRUE(file.noisePart);
    EXPECT_EQ(file.lsdInterpDb, grid.lsdInterpDb);
    EXPECT_EQ(file.lsdAlignedDb, grid.lsdAlignedDb);
    EXPECT_EQ(file.scAligned, grid.scAligned);
    EXPECT_EQ(file.bankMiB, grid.bankMiB);
  }
}

// Why evaluate_bank reports the mel LSD beside the STFT one: two white noises of the same
// level but different samples (what a pitch-aligned blend makes of the inverter's noise,
// read at other rates) are far apart bin by bin, and close once a mel band sums its bins.
TEST(Evaluate, TwoNoisesOfOneSpectrumAreFarOnStftLsdAndCloseOnMelLsd) {
  torch::manual_seed(3);
  const AudioSettings settings;
  const torch::Tensor a = 0.1 * torch::randn({32768}), b = 0.1 * torch::randn({32768});
  const double stft = logSpectralDistanceDb(a, b, settings);
  const MelSpectrogram mel(settings);
  const double melLsd = vae::melLsdDb(mel(a).unsqueeze(0), mel(b).unsqueeze(0))[0].item<double>();
  EXPECT_GT(stft, 6.0);
  EXPECT_LT(melLsd, 0.5 * stft);
  std::fprintf(stderr, "two noises: STFT LSD %.2f dB, mel LSD %.2f dB\n", stft, melLsd);
}

bank::BankInfo grid3322() {
  bank::BankInfo info;
  info.gridShape = {3, 3, 2, 2};
  info.axes[0] = bank::gridAxis(-2, 2, 3);  // -2 0 2
  info.axes[1] = {-1, 0, 3};                // not uniform
  info.axes[2] = bank::gridAxis(0, 1, 2);
  info.axes[3] = bank::gridAxis(-1, 1, 2);
  info.length = 1;
  return info;
}

TEST(Evaluate, LatentPointsLocateAsTheExternalPlaysThem) {
  const bank::BankInfo info = grid3322();
  const runtime::GridLocator locator(info);
  auto locate = [&](const std::array<double, 4>& z) {
    return locator.locate(toNormalised(info, z));
  };
  // A grid point is itself, with weight exactly 1.
  const runtime::GridCell at = locate({0.0, 3.0, 1.0, -1.0});
  uint32_t index[16];
  float weight[16];
  ASSERT_EQ(runtime::nonZeroCorners(at, index, weight), 1);
  EXPECT_EQ(weight[0], 1.0f);
  EXPECT_EQ(index[0], info.flatIndex({1, 2, 1, 0}));
  EXPECT_EQ(nearestGridPoint(info, at), info.flatIndex({1, 2, 1, 0}));
  // Far outside on every axis: clamped onto the corner, weight 1.
  const runtime::GridCell out = locate({-9.0, 99.0, -1.0, 5.0});
  ASSERT_EQ(runtime::nonZeroCorners(out, index, weight), 1);
  EXPECT_EQ(weight[0], 1.0f);
  EXPECT_EQ(index[0], info.flatIndex({0, 2, 0, 1}));
  EXPECT_EQ(nearestGridPoint(info, out), info.flatIndex({0, 2, 0, 1}));
  // Inside: the nearest grid point per axis, on the uneven axis 2 too (1.4 is nearer 0 than 3).
  EXPECT_EQ(nearestGridPoint(info, locate({0.9, 1.4, 0.6, 0.1})), info.flatIndex({1, 1, 1, 1}));
  EXPECT_EQ(nearestGridPoint(info, locate({-0.9, 1.6, 0.4, -0.1})), info.flatIndex({1, 2, 0, 0}));
  EXPECT_THROW(toNormalised(info, {0.0, NAN, 0.0, 0.0}), std::invalid_argument);
}

TEST(Evaluate, CsvAndPlot) {
  const TempDir tmp;
  FidelityRow r;
  r.source = "model";
  r.grid = {4, 4, 4, 4};
  r.points = 256;
  r.bankMiB = 32;
  r.trials = 3;
  r.lsdInterpDb = 1.5;
  std::vector<FidelityRow> rows = {r};
  r.storage = bank::StorageType::kInt16;
  rows.push_back(r);
  const std::string csv = tmp.file("f.csv"), png = tmp.file("f.png");
  writeCsv(csv, rows);
  std::ifstream in(csv);
  std::string header, line;
  std::getline(in, header);
  std::getline(in, line);
  EXPECT_EQ(header,
            "source,grid,points,storage,bank_mib,trials,lsd_interp_db,lsd_interp_p95_db,"
            "sc_interp,lsd_nearest_db,lsd_nearest_p95_db,sc_nearest,seconds,pitched,"
            "lsd_aligned_db,lsd_aligned_p95_db,sc_aligned,lsd_aligned_sounding_db,"
            "mel_lsd_interp_db,mel_lsd_nearest_db,mel_lsd_aligned_db,noise_part,level_blend,"
            "blend_exponent,corners");
  EXPECT_EQ(line,
            "model,4x4x4x4,256,float32,32.00,3,1.5000,0.0000,0.00000,0.0000,0.0000,0.00000,0.0,"
            "0,nan,nan,nan,nan,0.0000,0.0000,nan,0,linear,1,cell");
  r.pitched = true;
  r.lsdAlignedDb = 2.5, r.lsdAlignedP95Db = 3.5, r.scAligned = 0.25, r.lsdAlignedSoundingDb = 0.5;
  r.melLsdInterpDb = 1.25, r.melLsdNearestDb = 2.75, r.melLsdAlignedDb = 0.75;
  r.levelInDb = true, r.blendExponent = 1.5, r.simplex = true;
  rows.push_back(r);
  writeCsv(csv, rows);
  std::ifstream again(csv);
  for (int k = 0; k < 4; ++k) std::getline(again, line);
  EXPECT_EQ(line,
            "model,4x4x4x4,256,int16,32.00,3,1.5000,0.0000,0.00000,0.0000,0.0000,0.00000,0.0,"
            "1,2.5000,3.5000,0.25000,0.5000,1.2500,2.7500,0.7500,0,db,1.5,simplex");
  writePlot(png, rows);
  std::ifstream p(png, std::ios::binary);
  char magic[4] = {};
  p.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
}

}  // namespace
}  // namespace wae::bankbake

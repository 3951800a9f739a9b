#include "tools/bank/bake.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "bank/bank_h5.h"
#include "bank/bank_reader.h"
#include "bank/bank_writer.h"
#include "bank/schema.h"
#include "common/sha256.h"
#include "common/testing/temp_dir.h"
#include "tools/dataset/dataset_writer.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"

namespace wae::bankbake {
namespace {

using testing::TempDir;

// A tiny bake of the analytic model: 3x3x2x2 points of 2048 samples.
struct Fixture {
  TempDir tmp;  // first: the paths below lie in it
  generative::AnalyticOptions analytic;
  std::string model = tmp.file("analytic.pt");
  BakeOptions options;
  Fixture(const std::string& out, bank::StorageType storage) {
    analytic.length = 2048;
    analytic.axisMin = {-2, -1, 0, -3};
    analytic.axisMax = {2, 1, 1, 3};
    generative::writeAnalyticModel(model, analytic);
    options.modelPath = model;
    options.outPath = tmp.file(out);
    options.grid = {3, 3, 2, 2};
    options.batch = 5;  // batches that do not divide the grid
    options.storage = storage;
  }
};

TEST(Bake, Float32BankEqualsTheModelAtEveryGridPoint) {
  Fixture f("f32.h5", bank::StorageType::kFloat32);
  const BakeResult r = bake(f.options);
  EXPECT_EQ(r.path, f.options.outPath);
  EXPECT_EQ(r.pointsBaked, 36u);
  EXPECT_FALSE(std::filesystem::exists(f.options.outPath + ".partial"));
  const bank::BankData b = bank::readBank(f.options.outPath);
  const auto model = GenerativeModel::load(f.model);
  ASSERT_EQ(b.info.length, 2048);
  EXPECT_EQ(b.info.sampleRate, 22050);
  EXPECT_EQ(b.info.axes[0], (std::vector<double>{-2, 0, 2}));
  EXPECT_EQ(b.info.axes[3], (std::vector<double>{-3, 3}));
  EXPECT_EQ(b.info.modelSha256, sha256FileHex(f.model));
  EXPECT_EQ(b.info.createdBy, "wae-sampler bake_bank");
  EXPECT_EQ(b.info.createdAt.size(), 20u);
  for (size_t p = 0; p < 36; ++p) {
    const auto z = gridPoint(b.info, p);
    const std::vector<float> want = model.forward(z.data());
    const std::vector<float> ref = generative::analyticWave(z, f.analytic);
    for (int t = 0; t < 2048; ++t) {
      ASSERT_EQ(b.f32[p * 2048 + t], want[t]) << "point " << p << " sample " << t;
      ASSERT_NEAR(b.f32[p * 2048 + t], ref[t], 1e-6) << "point " << p << " sample " << t;
    }
  }
  // Each point's f0 is the analytic model's, exactly, from its f0 method.
  EXPECT_EQ(b.f0Source, "model");
  ASSERT_EQ(b.f0Hz.size(), 36u);
  for (size_t p = 0; p < 36; ++p) {
    const auto z = gridPoint(b.info, p);
    EXPECT_EQ(b.f0Hz[p], generative::analyticF0(z, f.analytic)) << "point " << p;
    EXPECT_EQ(b.f0Hz[p], model.f0(z.data(), 1)[0]) << "point " << p;
  }
  // Axes 1 and 2 at their minima: 110 Hz; at their maxima: 880 Hz.
  EXPECT_EQ(b.f0Hz[0], 110.0f);
  EXPECT_EQ(b.f0Hz[35], 880.0f);
  // Point 35 is the last corner: z = axis maxima, amplitude 0.8.
  EXPECT_EQ(gridPoint(b.info, 35), (std::array<float, 4>{2, 1, 1, 3}));
  EXPECT_EQ(gridPoint(b.info, 1), (std::array<float, 4>{-2, -1, 0, 3}));
}

// Workers take the batches in turn, each with its own copy of the model, and write them as
// they finish, in any order: the bank is the one worker's, point for point.
TEST(Bake, WorkersBakeTheSameBankAsOne) {
  Fixture one("one.h5", bank::StorageType::kFloat32);
  one.options.workers = 1;
  bake(one.options);
  Fixture three("three.h5", bank::StorageType::kFloat32);
  three.options.workers = 3;
  three.options.threads = 1;
  const BakeResult r = bake(three.options);
  EXPECT_EQ(r.pointsBaked, 36u);
  const bank::BankData a = bank::readBank(one.options.outPath);
  const bank::BankData b = bank::readBank(three.options.outPath);
  EXPECT_EQ(a.f32, b.f32);
  EXPECT_EQ(a.f0Hz, b.f0Hz);
  ASSERT_EQ(b.f32.size(), 36u * 2048);
}

// Each point at the scale of its own largest |sample| (format 4): within half of its own
// step of the model, however quiet the point.
TEST(Bake, Int16BankIsWithinHalfAStepOfTheModel) {
  Fixture f("i16.h5", bank::StorageType::kInt16);
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  ASSERT_EQ(b.info.storage, bank::StorageType::kInt16);
  ASSERT_EQ(b.info.pointScale.size(), 36u);
  const auto model = GenerativeModel::load(f.model);
  float loudest = 0, quietest = 1;
  for (size_t p = 0; p < 36; ++p) {
    const auto z = gridPoint(b.info, p);
    const std::vector<float> want = model.forward(z.data());
    float maxAbs = 0, maxErr = 0;
    const float scale = b.info.pointScale[p];
    for (int t = 0; t < 2048; ++t) {
      maxAbs = std::max(maxAbs, std::fabs(want[t]));
      maxErr = std::max(maxErr, std::fabs(b.i16[p * 2048 + t] * scale - want[t]));
    }
    EXPECT_EQ(scale, maxAbs / 32767) << "point " << p;
    EXPECT_LE(maxErr, bank::int16ErrorBound(scale, maxAbs)) << "point " << p;
    EXPECT_GE(maxErr, 0.4f * scale) << "point " << p;  // int16 does round
    loudest = std::max(loudest, maxAbs);
    quietest = std::min(quietest, maxAbs);
  }
  EXPECT_EQ(b.info.scale, loudest / 32767);
  EXPECT_LT(quietest, 0.5f * loudest);  // the points' scales do differ
}

TEST(Bake, RangeOverrideAndAudioSettings) {
  Fixture f("range.h5", bank::StorageType::kFloat32);
  f.options.ranges = parseRanges("-1:1");
  f.options.grid = {2, 2, 2, 2};
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(b.info.axes[i], (std::vector<double>{-1, 1}));
  H5::H5File file(f.options.outPath, H5F_ACC_RDONLY);
  const bank::BankMeta meta = bank::readMeta(file, f.options.outPath);
  ASSERT_TRUE(meta.audio.has_value());
  EXPECT_EQ(meta.audio->nSamples, 2048);
  EXPECT_EQ(meta.audio->nFrames, 8);
}

TEST(Bake, ProjectsTheDatasetWhenTheModelCan) {
  Fixture f("proj.h5", bank::StorageType::kFloat32);
  f.analytic.withProject = true;
  generative::writeAnalyticModel(f.model, f.analytic);
  const auto model = GenerativeModel::load(f.model);
  const AudioSettings s = model.audioSettings();
  const std::string dataset = f.tmp.file("dataset.h5");
  {
    dataset::DatasetWriter w(dataset, s);
    std::vector<dataset::NoteAnnotation> notes;
    for (int e = 0; e < 3; ++e) {
      std::vector<float> mel(s.nMels * s.nFrames, 0.0f), audio(s.nSamples, 0.0f);
      for (int band = 0; band < 4; ++band)
        for (int t = 0; t < s.nFrames; ++t) mel[band * s.nFrames + t] = 0.5f * e - 0.25f * band;
      w.append(mel.data(), audio.data());
      dataset::NoteAnnotation n;
      n.noteStr = "x-" + std::to_string(e);
      n.pitch = 60;
      n.velocity = 100;
      n.family = e == 2 ? 4 : 0;
      n.familyStr = e == 2 ? "keyboard" : "bass";
      n.sampleRate = s.sampleRate;
      notes.push_back(n);
    }
    w.finish(notes, {dataset::Split::kTrain, dataset::Split::kValid, dataset::Split::kTest}, {});
  }
  f.options.datasetPath = dataset;
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  ASSERT_EQ(b.projections.points.size(), 3u);
  EXPECT_EQ(b.projections.points[2], (std::array<float, 4>{1.0f, 0.75f, 0.5f, 0.25f}));
  EXPECT_EQ(b.projections.family, (std::vector<int>{0, 0, 4}));
  ASSERT_EQ(b.projections.familyNames.size(), 5u);
  EXPECT_EQ(b.projections.familyNames[0], "bass");
  EXPECT_EQ(b.projections.familyNames[4], "keyboard");
}

TEST(Bake, AModelWithoutF0GetsItsPitchEstimatedFromEachWaveform) {
  Fixture f("estimated.h5", bank::StorageType::kFloat32);
  f.analytic.withF0 = false;
  f.analytic.length = 8192;  // several of the estimator's 2048-sample frames
  generative::writeAnalyticModel(f.model, f.analytic);
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  EXPECT_EQ(b.f0Source, "estimated");
  ASSERT_EQ(b.f0Hz.size(), 36u);
  for (size_t p = 0; p < 36; ++p) {
    const float exact = generative::analyticF0(gridPoint(b.info, p), f.analytic);
    EXPECT_NEAR(1200.0 * std::log2(b.f0Hz[p] / exact), 0.0, 0.1) << "point " << p;
  }
  H5::H5File file(f.options.outPath, H5F_ACC_RDONLY);
  int64_t version = 0;
  file.openAttribute(bank::attr::kFormatVersion).read(H5::PredType::NATIVE_INT64, &version);
  EXPECT_EQ(version, 2);
}

// --level-blend: auto is linear for the analytic model (no decoder: its amplitudes are
// multilinear in the point, so the linear blend is exact), db when asked; the bank says which.
TEST(Bake, LevelBlendIsLinearForAModelWithoutADecoderUnlessAsked) {
  Fixture f("level.h5", bank::StorageType::kFloat32);
  const auto model = GenerativeModel::load(f.model);
  EXPECT_FALSE(model.hasDecode());
  EXPECT_FALSE(levelInDb(model, "auto"));
  EXPECT_FALSE(levelInDb(model, "linear"));
  EXPECT_TRUE(levelInDb(model, "db"));
  EXPECT_THROW(levelInDb(model, "log"), std::invalid_argument);
  bake(f.options);
  EXPECT_FALSE(bank::readBank(f.options.outPath).info.levelInDb);
  f.options.levelBlend = "db";
  f.options.outPath = f.tmp.file("level_db.h5");
  bake(f.options);
  EXPECT_TRUE(bank::readBank(f.options.outPath).info.levelInDb);
}

// --blend-exponent: auto is 1 (the grid's weights) for the analytic model and 1.5 for a model
// with a decoder; a number from 1 to 8 as given; anything else refused before any baking, by
// name. A resume with another exponent is refused (the work file says which it was baked with).
TEST(Bake, BlendExponentIsOneWithoutADecoderUnlessAsked) {
  EXPECT_EQ(blendExponent(false, "auto"), 1.0);
  EXPECT_EQ(blendExponent(true, "auto"), kDecoderBlendExponent);
  EXPECT_EQ(blendExponent(true, "2.5"), 2.5);
  EXPECT_EQ(blendExponent(false, "8"), 8.0);
  for (const char* bad : {"0.5", "9", "nine", "2x", ""}) {
    try {
      blendExponent(false, bad);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--blend-exponent must be auto or a number "
                                                   "from 1 to 8, got \"") +
                                           bad + "\"");
    }
  }
  Fixture f("exponent.h5", bank::StorageType::kFloat32);
  bake(f.options);
  EXPECT_EQ(bank::readBank(f.options.outPath).info.blendExponent, 1.0);
  f.options.blendExponent = "2";
  f.options.outPath = f.tmp.file("exponent2.h5");
  bake(f.options);
  EXPECT_EQ(bank::readBank(f.options.outPath).info.blendExponent, 2.0);
  f.options.blendExponent = "0";
  f.options.outPath = f.tmp.file("exponent0.h5");
  EXPECT_THROW(bake(f.options), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(f.options.outPath + ".partial"));
}

TEST(Bake, NoPitchGivesABankWithoutPitch) {
  Fixture f("nof0.h5", bank::StorageType::kInt16);
  f.options.noPitch = true;  // the model has f0: left out all the same
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  EXPECT_TRUE(b.f0Hz.empty());
  EXPECT_TRUE(b.f0Source.empty());
  H5::H5File file(f.options.outPath, H5F_ACC_RDONLY);
  int64_t version = 0;
  file.openAttribute(bank::attr::kFormatVersion).read(H5::PredType::NATIVE_INT64, &version);
  EXPECT_EQ(version, 4);  // int16: per-point scales, and no /f0
  EXPECT_FALSE(file.nameExists(bank::dataset::kF0));
}

// A model with forward_parts bakes a version 3 bank: each point's tone in /waveforms and its
// fixed-frequency part in /noise, both exactly the model's parts (int16, version 4: one
// scale per point for both and their sum; the harmonic part within half a step, and the
// stored sum the model's sum rounded once, so the noise part within a step); --whole bakes
// their sum, version 2.
TEST(Bake, AModelWithPartsBakesThemApart) {
  for (const auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    Fixture f(std::string("parts_") + bank::storageName(storage) + ".h5", storage);
    f.analytic.fixedLevel = 0.5;
    f.analytic.withParts = true;
    generative::writeAnalyticModel(f.model, f.analytic);
    bake(f.options);
    const bank::BankData b = bank::readBank(f.options.outPath);
    ASSERT_TRUE(b.info.noisePart);
    EXPECT_EQ(b.f0Source, "model");
    const auto model = GenerativeModel::load(f.model);
    std::vector<float> tone(2048), fixed(2048);
    int sumsOff = 0;
    for (size_t p = 0; p < 36; ++p) {
      const auto z = gridPoint(b.info, p);
      EXPECT_EQ(b.f0Hz[p], model.forwardParts(z.data(), 1, tone.data(), fixed.data())[0]);
      float maxAbs = 0, maxErr = 0, maxNoiseErr = 0;
      const float scale = b.info.scaleOf(p);
      for (int t = 0; t < 2048; ++t) {
        const size_t h = p * 2048 + t, n = (36 + p) * 2048 + t;
        if (storage == bank::StorageType::kFloat32) {
          ASSERT_EQ(b.f32[h], tone[t]) << "point " << p << " sample " << t;
          ASSERT_EQ(b.f32[n], fixed[t]) << "point " << p << " sample " << t;
        } else {
          maxErr = std::max(maxErr, std::fabs(b.i16[h] * scale - tone[t]));
          maxNoiseErr = std::max(maxNoiseErr, std::fabs(b.i16[n] * scale - fixed[t]));
          sumsOff += b.i16[h] + b.i16[n] != bank::quantizeInt16(tone[t] + fixed[t], scale);
        }
        maxAbs = std::max(
            {maxAbs, std::fabs(tone[t]), std::fabs(fixed[t]), std::fabs(tone[t] + fixed[t])});
      }
      if (storage == bank::StorageType::kInt16) {
        EXPECT_EQ(scale, maxAbs / 32767) << "point " << p;
        EXPECT_LE(maxErr, bank::int16ErrorBound(scale, maxAbs)) << "point " << p;
        EXPECT_LE(maxNoiseErr, 2 * bank::int16ErrorBound(scale, maxAbs)) << "point " << p;
      }
    }
    EXPECT_EQ(sumsOff, 0);
  }
  Fixture f("whole.h5", bank::StorageType::kFloat32);
  f.analytic.fixedLevel = 0.5;
  f.analytic.withParts = true;
  generative::writeAnalyticModel(f.model, f.analytic);
  f.options.whole = true;
  bake(f.options);
  const bank::BankData b = bank::readBank(f.options.outPath);
  EXPECT_FALSE(b.info.noisePart);
  ASSERT_EQ(b.f32.size(), 36u * 2048);
  const auto model = GenerativeModel::load(f.model);
  const auto z = gridPoint(b.info, 7);
  const std::vector<float> want = model.forward(z.data());
  for (int t = 0; t < 2048; ++t) ASSERT_EQ(b.f32[7 * 2048 + t], want[t]) << "sample " << t;
}

TEST(Bake, WithoutProjectTheBankCarriesNoProjections) {
  Fixture f("noproj.h5", bank::StorageType::kFloat32);
  f.options.datasetPath = f.tmp.file("unused.h5");  // never opened: the model cannot project
  bake(f.options);
  EXPECT_TRUE(bank::readBank(f.options.outPath).projections.points.empty());
}

}  // namespace
}  // namespace wae::bankbake

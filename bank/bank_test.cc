#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "bank/bank_h5.h"
#include "bank/bank_reader.h"
#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "bank/test_bank.h"
#include "common/h5_util.h"
#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"

namespace wae::bank {
namespace {

using testing::formatErrorOf;
using testing::TempDir;

constexpr int kLength = kTestBankLength;

BankData makeBank(StorageType storage = StorageType::kFloat32) {
  return testBank(storage, "bank_test");
}

// Writes a good bank in `tmp`, then lets `damage` change it through HDF5.
template <class F>
std::string damagedBank(const TempDir& tmp, const std::string& name, F&& damage) {
  const std::string path = tmp.file(name);
  writeBank(path, makeBank());
  H5::H5File f(path, H5F_ACC_RDWR);
  damage(f);
  f.close();
  return path;
}

TEST(Grid, AxisEndsExactlyAndShardsCoverOnce) {
  const auto a = gridAxis(-2, 2, 5);
  EXPECT_EQ(a, (std::vector<double>{-2, -1, 0, 1, 2}));
  const auto b = gridAxis(-0.3, 0.7, 7);
  EXPECT_EQ(b.front(), -0.3);
  EXPECT_EQ(b.back(), 0.7);
  size_t next = 0;
  for (int i = 0; i < 4; ++i) {
    const Slice s = shardSlice(10, i, 4);
    EXPECT_EQ(s.first, next);
    EXPECT_TRUE(s.count == 2 || s.count == 3);
    next += s.count;
  }
  EXPECT_EQ(next, 10u);
  EXPECT_EQ(shardSlice(3, 4, 5).count, 0u);
  EXPECT_THROW(shardSlice(10, 4, 4), std::invalid_argument);
}

TEST(Bank, Float32RoundTrip) {
  const TempDir tmp;
  const std::string path = tmp.file("f32.h5");
  BankData b = makeBank();
  b.projections.points = {{0.1f, 0.2f, 0.3f, 0.4f}, {-1, -2, -3, -4}};
  b.projections.family = {1, -1};
  b.projections.familyNames = {"bass", "brass"};
  writeBank(path, b);
  const BankData r = readBank(path);
  EXPECT_EQ(r.info.gridShape, b.info.gridShape);
  EXPECT_EQ(r.info.axes, b.info.axes);
  EXPECT_EQ(r.info.sampleRate, 22050);
  EXPECT_EQ(r.info.length, kLength);
  EXPECT_EQ(r.info.storage, StorageType::kFloat32);
  EXPECT_EQ(r.info.scale, 1.0f);
  EXPECT_EQ(r.info.modelSha256, b.info.modelSha256);
  EXPECT_EQ(r.info.createdBy, "bank_test");
  EXPECT_EQ(r.info.createdAt, "2024-01-01T00:00:00Z");
  EXPECT_EQ(r.f32, b.f32);
  EXPECT_TRUE(r.i16.empty());
  EXPECT_EQ(r.projections.points, b.projections.points);
  EXPECT_EQ(r.projections.family, b.projections.family);
  EXPECT_EQ(r.projections.familyNames, b.projections.familyNames);
  const BankInfo info = readInfo(path);
  EXPECT_EQ(info.gridShape, b.info.gridShape);
  EXPECT_EQ(info.pointCount(), 36u);
}

TEST(Bank, Int16RoundTripWithinHalfAStep) {
  const TempDir tmp;
  const std::string path = tmp.file("i16.h5");
  const BankData b = makeBank(StorageType::kInt16);
  writeBank(path, b);
  const BankData r = readBank(path);
  EXPECT_EQ(r.info.storage, StorageType::kInt16);
  EXPECT_EQ(r.info.scale, b.info.scale);
  EXPECT_EQ(r.i16, b.i16);
  const BankData f = makeBank();
  int atMax = 0;
  for (size_t k = 0; k < f.f32.size(); ++k) {
    EXPECT_LE(std::fabs(r.i16[k] * r.info.scale - f.f32[k]), int16ErrorBound(r.info.scale, 0.5f));
    atMax += std::abs(r.i16[k]) == kInt16Max;
  }
  EXPECT_GE(atMax, 1);  // the loudest sample uses the full range
}

TEST(Bank, QuantizationRoundsToNearestAndClamps) {
  EXPECT_EQ(quantizeInt16(0.5f, 0.25f), 2);
  EXPECT_EQ(quantizeInt16(-0.3f, 0.25f), -1);
  EXPECT_EQ(quantizeInt16(1e6f, 0.25f), 32767);
  EXPECT_EQ(quantizeInt16(-1e6f, 0.25f), -32767);
  EXPECT_FLOAT_EQ(int16Scale(0.8f), 0.8f / 32767);
  // Exactly std::nearbyint then the clamp, ties to even included (2.5 -> 2, 3.5 -> 4,
  // -0.5 -> 0), over the whole range and past it.
  EXPECT_EQ(quantizeInt16(0.625f, 0.25f), 2);
  EXPECT_EQ(quantizeInt16(0.875f, 0.25f), 4);
  for (float x = -40000.0f; x <= 40000.0f; x += 0.125f) {
    const float q = std::clamp(std::nearbyint(x), -32767.0f, 32767.0f);
    ASSERT_EQ(quantizeInt16(x, 1.0f), int16_t(q)) << x;
  }
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u(-1.2f, 1.2f);
  for (int k = 0; k < 100000; ++k) {
    const float x = u(gen), scale = 1.0f / 32767;
    ASSERT_EQ(quantizeInt16(x, scale),
              int16_t(std::clamp(std::nearbyint(x / scale), -32767.0f, 32767.0f)))
        << x;
  }
}

// The array forms (four samples at a time with SSE2) give the scalar forms' values, sample
// for sample: random samples past the range both ways, ties, and a count that leaves a tail.
TEST(Bank, QuantizationOfManySamplesIsTheSampleBySampleOne) {
  std::mt19937 gen(11);
  std::uniform_real_distribution<float> u(-1.5f, 1.5f);
  const size_t n = 1003;
  const float scale = 1.0f / 32767;
  std::vector<float> harmonic(n), noise(n);
  for (size_t k = 0; k < n; ++k) {
    harmonic[k] = u(gen);
    noise[k] = k % 7 == 0 ? -2.0f * harmonic[k] : 0.5f * u(gen);  // sums past the range
  }
  harmonic[3] = 2.5f * scale;   // a tie: to 2
  harmonic[4] = -0.5f * scale;  // a tie: to 0
  harmonic[5] = 1e6f;
  harmonic[6] = -1e6f;
  std::vector<int16_t> q(n), qn(n);
  quantizeInt16(harmonic.data(), n, scale, q.data());
  quantizeInt16Noise(harmonic.data(), noise.data(), n, scale, qn.data());
  int clamped = 0;
  for (size_t k = 0; k < n; ++k) {
    ASSERT_EQ(q[k], quantizeInt16(harmonic[k], scale)) << k;
    ASSERT_EQ(qn[k], quantizeInt16Noise(harmonic[k], noise[k], scale)) << k;
    clamped += std::abs(q[k]) == kInt16Max;
  }
  EXPECT_EQ(q[3], 2);
  EXPECT_EQ(q[4], 0);
  EXPECT_GT(clamped, 100);
}

TEST(BankReader, RefusesATruncatedFile) {
  const TempDir tmp;
  const std::string path = tmp.file("truncated.h5");
  writeBank(path, makeBank());
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size / 2);
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path + ": file size: found " + std::to_string(size / 2) + " bytes, expected at least " +
                std::to_string(size) +
                " bytes, as its HDF5 superblock records (the file is truncated)");
  std::filesystem::resize_file(path, 20);
  EXPECT_EQ(formatErrorOf([&] { readInfo(path); }),
            path +
                ": file size: found 20 bytes, expected a complete HDF5 superblock (the file "
                "is truncated)");
}

TEST(BankReader, RefusesAWrongVersion) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "version.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kFormatVersion, int64_t{5});
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path + ": attribute format_version: found 5, expected 1..4");
}

BankData pitchedBank() {
  BankData b = makeBank();
  for (size_t p = 0; p < b.info.pointCount(); ++p)
    b.f0Hz.push_back(p % 5 ? 100.0f + 7.25f * p : 0.0f);
  b.f0Source = "estimated";
  return b;
}

TEST(Bank, Version2RoundTripsF0Exactly) {
  const TempDir tmp;
  const std::string path = tmp.file("v2.h5");
  const BankData b = pitchedBank();
  writeBank(path, b);
  {
    H5::H5File f(path, H5F_ACC_RDONLY);
    EXPECT_EQ(readInt(f, attr::kFormatVersion, path), 2);
    EXPECT_EQ(readString(f, attr::kF0Source, path), "estimated");
  }
  const BankData r = readBank(path);
  EXPECT_EQ(r.f0Hz, b.f0Hz);
  EXPECT_EQ(r.f0Source, "estimated");
  EXPECT_EQ(r.f32, b.f32);
}

// A version 3 bank: each point's harmonic part in /waveforms, its noise part in /noise,
// round-tripped exactly in float32 and at one shared scale in int16.
BankData splitBank(StorageType storage) {
  BankData b = pitchedBank();
  const BankData noise = testBank(StorageType::kFloat32, "bank_test");
  b.info.noisePart = true;
  std::vector<float> all = b.f32;
  for (float v : noise.f32) all.push_back(-0.25f * v);
  if (storage == StorageType::kInt16) {
    b.info.storage = StorageType::kInt16;
    b.info.scale = int16Scale(0.5f);
    b.f32.clear();
    for (float v : all) b.i16.push_back(quantizeInt16(v, b.info.scale));
  } else {
    b.f32 = all;
  }
  return b;
}

TEST(Bank, Version3RoundTripsBothParts) {
  const TempDir tmp;
  for (const StorageType storage : {StorageType::kFloat32, StorageType::kInt16}) {
    const std::string path = tmp.file(std::string("v3_") + storageName(storage) + ".h5");
    const BankData b = splitBank(storage);
    writeBank(path, b);
    {
      H5::H5File f(path, H5F_ACC_RDONLY);
      EXPECT_EQ(readInt(f, attr::kFormatVersion, path), 3);
      EXPECT_TRUE(f.nameExists(dataset::kNoise));
    }
    const BankData r = readBank(path);
    EXPECT_TRUE(r.info.noisePart);
    EXPECT_EQ(r.info.rowCount(), 72u);
    EXPECT_EQ(r.f0Hz, b.f0Hz);
    EXPECT_EQ(r.f32, b.f32);
    EXPECT_EQ(r.i16, b.i16);
    EXPECT_EQ(r.info.scale, b.info.scale);
    EXPECT_TRUE(r.waveformChecksums);
    EXPECT_TRUE(readInfo(path).noisePart);
  }
  // A noise part needs pitch: the writer refuses it without.
  BankData unpitched = splitBank(StorageType::kFloat32);
  unpitched.f0Hz.clear();
  unpitched.f0Source.clear();
  EXPECT_THROW(writeBank(tmp.file("nopitch.h5"), unpitched), std::invalid_argument);
}

// A version 4 bank: int16 with each point's own scale, pitch and noise parts by their
// datasets. The samples are what quantizeInt16 gives at the point's scale.
BankData pointScaledBank(bool pitched, bool noise) {
  BankData b = noise ? splitBank(StorageType::kFloat32) : pitched ? pitchedBank() : makeBank();
  const size_t points = b.info.pointCount(), length = b.info.length;
  b.info.storage = StorageType::kInt16;
  for (size_t p = 0; p < points; ++p) b.info.pointScale.push_back(int16Scale(0.01f * (p + 1)));
  for (size_t r = 0; r < b.info.rowCount(); ++r)
    for (size_t t = 0; t < length; ++t)
      b.i16.push_back(quantizeInt16(0.01f * (r % points + 1) * std::sin(0.1f * t * (r + 1)),
                                    b.info.pointScale[r % points]));
  b.f32.clear();
  return b;
}

TEST(Bank, Version4RoundTripsEachPointsScale) {
  const TempDir tmp;
  for (const bool pitched : {false, true}) {
    for (const bool noise : {false, true}) {
      if (noise && !pitched) continue;
      const std::string path = tmp.file("v4_" + std::to_string(pitched) + std::to_string(noise));
      const BankData b = pointScaledBank(pitched, noise);
      writeBank(path, b);
      {
        H5::H5File f(path, H5F_ACC_RDONLY);
        EXPECT_EQ(readInt(f, attr::kFormatVersion, path), 4);
        EXPECT_EQ(f.nameExists(dataset::kF0), pitched);
        EXPECT_EQ(f.nameExists(dataset::kNoise), noise);
        // The root attribute: the largest point's scale.
        EXPECT_EQ(readDouble(f, attr::kScale, path), double(b.info.pointScale[35]));
      }
      const BankData r = readBank(path);
      EXPECT_EQ(r.info.pointScale, b.info.pointScale);
      EXPECT_EQ(r.info.scale, b.info.pointScale[35]);
      EXPECT_EQ(r.info.scaleOf(4), b.info.pointScale[4]);
      EXPECT_EQ(r.i16, b.i16);
      EXPECT_EQ(r.f0Hz, b.f0Hz);
      EXPECT_EQ(r.info.noisePart, noise);
      EXPECT_TRUE(r.waveformChecksums);
      EXPECT_EQ(readInfo(path).pointScale, b.info.pointScale);
    }
  }
  // Per-point scales are for int16, one per point.
  BankData f32 = makeBank();
  f32.info.pointScale.assign(36, 1.0f);
  EXPECT_THROW(writeBank(tmp.file("f32.h5"), f32), std::invalid_argument);
  BankData few = pointScaledBank(false, false);
  few.info.pointScale.pop_back();
  EXPECT_THROW(writeBank(tmp.file("few.h5"), few), std::invalid_argument);
}

TEST(BankReader, RefusesAVersion4BankWithBadScales) {
  const TempDir tmp;
  auto damaged = [&](const std::string& name, bool noise, auto damage) {
    const std::string path = tmp.file(name);
    writeBank(path, pointScaledBank(noise, noise));
    H5::H5File f(path, H5F_ACC_RDWR);
    damage(f);
    f.close();
    return path;
  };
  auto rewrite = [](std::vector<float> scales) {
    return [scales](H5::H5File& f) {
      f.unlink(dataset::kPointScale);
      const hsize_t n = scales.size();
      f.createDataSet(dataset::kPointScale, H5::PredType::IEEE_F32LE, H5::DataSpace(1, &n))
          .write(scales.data(), H5::PredType::NATIVE_FLOAT);
    };
  };
  const auto missing =
      damaged("missing.h5", false, [](H5::H5File& f) { f.unlink(dataset::kPointScale); });
  EXPECT_EQ(
      formatErrorOf([&] { readBank(missing); }),
      missing + ": dataset point_scale: found nothing, expected float32, one per grid point, [36]");
  const auto shape = damaged("shape.h5", false, rewrite(std::vector<float>(35, 1e-5f)));
  EXPECT_EQ(
      formatErrorOf([&] { readBank(shape); }).rfind(shape + ": dataset point_scale: found", 0), 0u);
  std::vector<float> scales(36, 1e-6f);
  scales[7] = 1.0f;  // above the root attribute
  const auto above = damaged("above.h5", false, rewrite(scales));
  EXPECT_EQ(
      formatErrorOf([&] { readBank(above); }),
      above +
          ": dataset point_scale[7]: found 1, expected a scale in 1.2e-38..1.0986663255607709e-05 "
          "(attribute scale)");
  scales[7] = 0.0f;
  const auto zero = damaged("zero.h5", false, rewrite(scales));
  EXPECT_EQ(
      formatErrorOf([&] { readBank(zero); }).rfind(zero + ": dataset point_scale[7]: found 0,", 0),
      0u);
  const auto f32 = damaged("f32.h5", false, [](H5::H5File& f) {
    f.removeAttr(attr::kStorage);
    writeString(f, attr::kStorage, "float32");
    f.removeAttr(attr::kScale);
    h5::writeAttribute(f, attr::kScale, 1.0);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(f32); }),
            f32 + ": attribute storage: found \"float32\", expected \"int16\" (format version 4)");
  const auto noF0 = damaged("nof0.h5", true, [](H5::H5File& f) { f.unlink(dataset::kF0); });
  EXPECT_EQ(formatErrorOf([&] { readBank(noF0); }),
            noF0 +
                ": dataset f0: found nothing, expected each point's f0, which a bank with "
                "/noise needs");
}

TEST(BankReader, RefusesAVersion3BankWithoutItsNoise) {
  const TempDir tmp;
  auto damaged = [&](const std::string& name, auto damage) {
    const std::string path = tmp.file(name);
    writeBank(path, splitBank(StorageType::kInt16));
    H5::H5File f(path, H5F_ACC_RDWR);
    damage(f);
    f.close();
    return path;
  };
  const auto missing = damaged("missing.h5", [](H5::H5File& f) { f.unlink(dataset::kNoise); });
  EXPECT_EQ(formatErrorOf([&] { readBank(missing); }),
            missing + ": dataset noise: found nothing, expected int16 [36, 64]");
  const auto shape = damaged("shape.h5", [](H5::H5File& f) {
    f.unlink(dataset::kNoise);
    const hsize_t dims[2] = {36, 32};
    f.createDataSet(dataset::kNoise, H5::PredType::STD_I16LE, H5::DataSpace(2, dims));
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(shape); }),
            shape +
                ": dataset noise: found shape [36, 32], expected shape [36, 64] (grid "
                "points x length)");
  const auto type = damaged("type.h5", [](H5::H5File& f) {
    f.unlink(dataset::kNoise);
    const hsize_t dims[2] = {36, 64};
    f.createDataSet(dataset::kNoise, H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims));
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(type); }),
            type +
                ": dataset noise: found floats of 4 bytes, expected int16 samples, as "
                "attribute storage says");
}

TEST(Bank, Version1LoadsWithoutF0) {
  const TempDir tmp;
  const std::string path = tmp.file("v1.h5");
  writeBank(path, makeBank());  // no f0: the writer writes version 1
  {
    H5::H5File f(path, H5F_ACC_RDONLY);
    EXPECT_EQ(readInt(f, attr::kFormatVersion, path), 1);
    EXPECT_FALSE(f.nameExists(dataset::kF0));
  }
  const BankData r = readBank(path);
  EXPECT_TRUE(r.f0Hz.empty());
  EXPECT_TRUE(r.f0Source.empty());
  EXPECT_EQ(r.f32, makeBank().f32);
}

TEST(BankReader, RefusesAMissingOrBadF0) {
  const TempDir tmp;
  auto damaged = [&](const std::string& name, auto damage) {
    const std::string path = tmp.file(name);
    writeBank(path, pitchedBank());
    H5::H5File f(path, H5F_ACC_RDWR);
    damage(f);
    f.close();
    return path;
  };
  const auto missing = damaged("missing.h5", [](H5::H5File& f) { f.unlink(dataset::kF0); });
  EXPECT_EQ(formatErrorOf([&] { readBank(missing); }),
            missing + ": dataset f0: found nothing, expected float32 Hz, one per grid point, [36]");
  const auto shape = damaged("shape.h5", [](H5::H5File& f) {
    f.unlink(dataset::kF0);
    const hsize_t n = 35;
    f.createDataSet(dataset::kF0, H5::PredType::IEEE_F32LE, H5::DataSpace(1, &n));
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(shape); }),
            shape + ": dataset f0: found shape [35], expected shape [36]");
  const auto negative = damaged("negative.h5", [](H5::H5File& f) {
    const float v = -1.0f;
    const hsize_t one = 1, at = 4;
    H5::DataSet d = f.openDataSet(dataset::kF0);
    H5::DataSpace space = d.getSpace();
    space.selectHyperslab(H5S_SELECT_SET, &one, &at);
    d.write(&v, H5::PredType::NATIVE_FLOAT, H5::DataSpace(1, &one), space);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(negative); }),
            negative +
                ": dataset f0[4]: found -1, expected a frequency in Hz from 0 (unpitched) to "
                "below 11025");
  const auto source =
      damaged("source.h5", [](H5::H5File& f) { writeString(f, attr::kF0Source, "guess"); });
  EXPECT_EQ(formatErrorOf([&] { readBank(source); }),
            source +
                ": attribute f0_source: found \"guess\", expected \"model\", \"estimated\" or "
                "\"analytic\"");
  const auto noSource =
      damaged("nosource.h5", [](H5::H5File& f) { f.removeAttr(attr::kF0Source); });
  EXPECT_EQ(formatErrorOf([&] { readBank(noSource); }),
            noSource + ": attribute f0_source: found nothing, expected a string");
  EXPECT_EQ(
      H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_ATTR),
      0);
}

// level_blend: written "db" or "linear", read back; a bank without it (written before it
// existed) blends linearly; another value is refused by name.
TEST(Bank, LevelBlendRoundTripsAndDefaultsToLinear) {
  const TempDir tmp;
  BankData b = pitchedBank();
  b.info.levelInDb = true;
  const std::string path = tmp.file("db.h5");
  writeBank(path, b);
  {
    H5::H5File f(path, H5F_ACC_RDONLY);
    EXPECT_EQ(readString(f, attr::kLevelBlend, path), "db");
  }
  EXPECT_TRUE(readBank(path).info.levelInDb);
  b.info.levelInDb = false;
  writeBank(path, b);
  EXPECT_FALSE(readBank(path).info.levelInDb);
  const auto absent = damagedBank(tmp, "absent.h5", [](H5::H5File& f) {
    writeString(f, attr::kLevelBlend, "db");
    f.removeAttr(attr::kLevelBlend);
  });
  EXPECT_FALSE(readBank(absent).info.levelInDb);
  const auto other =
      damagedBank(tmp, "other.h5", [](H5::H5File& f) { writeString(f, attr::kLevelBlend, "log"); });
  EXPECT_EQ(formatErrorOf([&] { readBank(other); }),
            other + ": attribute level_blend: found \"log\", expected \"db\" or \"linear\"");
}

// blend_exponent: written, read back; absent (a bank written before it existed): 1; a value
// outside 1..8, or not a number, refused by name on reading, and not written.
TEST(Bank, BlendExponentRoundTripsAndDefaultsToOne) {
  const TempDir tmp;
  BankData b = pitchedBank();
  b.info.blendExponent = 1.5;
  const std::string path = tmp.file("curved.h5");
  writeBank(path, b);
  {
    H5::H5File f(path, H5F_ACC_RDONLY);
    EXPECT_EQ(readDouble(f, attr::kBlendExponent, path), 1.5);
  }
  EXPECT_EQ(readBank(path).info.blendExponent, 1.5);
  const auto absent =
      damagedBank(tmp, "absent.h5", [](H5::H5File& f) { f.removeAttr(attr::kBlendExponent); });
  EXPECT_EQ(readBank(absent).info.blendExponent, 1.0);
  const auto low = damagedBank(
      tmp, "low.h5", [](H5::H5File& f) { h5::writeAttribute(f, attr::kBlendExponent, 0.5); });
  EXPECT_EQ(formatErrorOf([&] { readBank(low); }),
            low + ": attribute blend_exponent: found 0.5, expected a number from 1 to 8");
  const auto text = damagedBank(tmp, "text.h5",
                                [](H5::H5File& f) { writeString(f, attr::kBlendExponent, "1.5"); });
  EXPECT_EQ(formatErrorOf([&] { readBank(text); }),
            text + ": attribute blend_exponent: found a string, expected a number");
  b.info.blendExponent = 9.0;
  EXPECT_THROW(writeBank(tmp.file("nine.h5"), b), std::invalid_argument);
}

TEST(BankReader, RefusesAnotherFormat) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "format.h5", [](H5::H5File& f) {
    writeString(f, attr::kFormat, "wae-sampler-dataset");
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(path); }),
            path +
                ": attribute format: found \"wae-sampler-dataset\", expected "
                "\"wae-sampler-bank\"");
}

TEST(BankReader, RefusesAShapeMismatch) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "shape.h5", [](H5::H5File& f) {
    f.unlink(dataset::kWaveforms);
    const hsize_t dims[2] = {36, 32};
    f.createDataSet(dataset::kWaveforms, H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims));
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path +
                ": dataset waveforms: found shape [36, 32], expected shape [36, 64] (grid "
                "points x length)");
}

TEST(BankReader, RefusesAGridShapeThatDisagreesWithTheAxes) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "grid.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kGridShape, std::vector<int64_t>{3, 3, 2, 3});
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path + ": dataset axis4: found shape [2], expected shape [3]");
}

TEST(BankReader, RefusesAMissingAttribute) {
  const TempDir tmp;
  const auto path =
      damagedBank(tmp, "missing.h5", [](H5::H5File& f) { f.removeAttr(attr::kSampleRate); });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path + ": attribute sample_rate: found nothing, expected an integer");
}

TEST(BankReader, RefusesVariableLengthAndHugeStrings) {
  // HDF5 allocates a variable-length string's recorded length before checking it.
  const TempDir tmp;
  const auto vlen = damagedBank(tmp, "vlen.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kCreatedBy, std::string("h5py"));
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(vlen); }),
            vlen +
                ": attribute created_by: found a variable-length string, expected a "
                "fixed-length string");
  const auto huge = damagedBank(tmp, "huge.h5", [](H5::H5File& f) {
    writeString(f, attr::kCreatedBy, "x");
    f.removeAttr(attr::kCreatedBy);
    H5::StrType t(H5::PredType::C_S1, 5000);
    f.createAttribute(attr::kCreatedBy, t, H5::DataSpace(H5S_SCALAR));
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(huge); }),
            huge +
                ": attribute created_by: found elements of 5000 bytes, expected a string of "
                "at most 4096 bytes");
}

TEST(BankReader, RefusesOutOfBoundsValues) {
  const TempDir tmp;
  const auto rate = damagedBank(
      tmp, "rate.h5", [](H5::H5File& f) { h5::writeAttribute(f, attr::kSampleRate, int64_t{0}); });
  EXPECT_EQ(formatErrorOf([&] { readInfo(rate); }),
            rate + ": attribute sample_rate: found 0, expected an integer in 1000..384000");
  const auto length = damagedBank(tmp, "length.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kLength, int64_t{1} << 40);
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(length); }),
            length + ": attribute length: found 1099511627776, expected an integer in 1..4194304");
  const auto grid = damagedBank(tmp, "grid1.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kGridShape, std::vector<int64_t>{3, 1, 2, 2});
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(grid); }),
            grid + ": attribute grid_shape: found [3, 1, 2, 2], expected 4 integers in 2..1024");
  const auto count = damagedBank(tmp, "grid3.h5", [](H5::H5File& f) {
    h5::writeAttribute(f, attr::kGridShape, std::vector<int64_t>{3, 3, 2});
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(count); }),
            count + ": attribute grid_shape: found 3 values, expected 4 integers");
}

TEST(BankReader, RefusesAxesThatDoNotIncrease) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "axis.h5", [](H5::H5File& f) {
    const double v[3] = {-1, 0.5, 0.5};
    f.openDataSet("axis1").write(v, H5::PredType::NATIVE_DOUBLE);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path +
                ": dataset axis1[2]: found 0.5 after 0.5, expected finite, strictly "
                "increasing coordinates");
  const auto ends = damagedBank(tmp, "ends.h5", [](H5::H5File& f) {
    const double v[3] = {-1, 0, 0.5};
    f.openDataSet("axis1").write(v, H5::PredType::NATIVE_DOUBLE);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(ends); }),
            ends +
                ": dataset axis1: found coordinates from -1 to 0.5, expected from axis_min -1 "
                "to axis_max 1");
}

TEST(BankReader, RefusesAnUnknownStorageAndABadScale) {
  const TempDir tmp;
  const auto path = damagedBank(tmp, "storage.h5",
                                [](H5::H5File& f) { writeString(f, attr::kStorage, "float64"); });
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path + ": attribute storage: found \"float64\", expected \"float32\" or \"int16\"");
  const auto i16 = damagedBank(tmp, "storage16.h5", [](H5::H5File& f) {
    writeString(f, attr::kStorage, "int16");
    h5::writeAttribute(f, attr::kScale, 0.001);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(i16); }),
            i16 +
                ": dataset waveforms: found floats of 4 bytes, expected int16 samples, as "
                "attribute storage says");
  const auto scale =
      damagedBank(tmp, "scale.h5", [](H5::H5File& f) { h5::writeAttribute(f, attr::kScale, 2.0); });
  EXPECT_EQ(formatErrorOf([&] { readBank(scale); }),
            scale + ": attribute scale: found 2, expected 1 for float32 storage");
}

TEST(BankReader, RefusesABankOverTheMemoryCap) {
  const TempDir tmp;
  const std::string path = tmp.file("big.h5");
  writeBank(path, makeBank());
  ReadOptions o;
  o.maxBytes = 1000;
  EXPECT_EQ(formatErrorOf([&] { readBank(path, o); }),
            path +
                ": dataset waveforms: found 9216 bytes ([3, 3, 2, 2] points x 64 samples, "
                "float32), expected at most 1000 bytes");
}

TEST(BankReader, RefusesNonFiniteSamplesAndAnUnfinishedBake) {
  const TempDir tmp;
  const auto nan = damagedBank(tmp, "nan.h5", [](H5::H5File& f) {
    std::vector<float> row(kLength, 0.0f);
    row[5] = NAN;
    const hsize_t start[2] = {7, 0}, size[2] = {1, kLength};
    H5::DataSet d = f.openDataSet(dataset::kWaveforms);
    H5::DataSpace space = d.getSpace();
    space.selectHyperslab(H5S_SELECT_SET, size, start);
    d.write(row.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, size), space);
  });
  EXPECT_EQ(formatErrorOf([&] { readBank(nan); }),
            nan +
                ": dataset waveforms, point (0, 1, 1, 1), sample 5: found nan, expected a finite "
                "sample");
  const auto unfinished = damagedBank(tmp, "unfinished.h5", [](H5::H5File& f) {
    const hsize_t n = 36;
    f.createDataSet(work::kDone, H5::PredType::STD_U8LE, H5::DataSpace(1, &n));
  });
  EXPECT_EQ(formatErrorOf([&] { readInfo(unfinished); }),
            unfinished +
                ": dataset done: found an unfinished bake, expected a finished bank "
                "(continue the bake with bake_bank --resume)");
}

// Flips bytes inside one waveform's chunk in the file itself (as disk or copy damage
// would), found through HDF5's chunk index, so HDF5's own writes cannot fix the checksum.
void flipBytesInChunk(const std::string& path, hsize_t point, int at) {
  haddr_t addr = 0;
  hsize_t size = 0;
  {
    H5::H5File f(path, H5F_ACC_RDONLY);
    H5::DataSet d = f.openDataSet(dataset::kWaveforms);
    const hsize_t coord[2] = {point, 0};
    unsigned mask = 0;
    ASSERT_GE(H5Dget_chunk_info_by_coord(d.getId(), coord, &mask, &addr, &size), 0);
    ASSERT_GT(size, hsize_t(at + 2));
  }
  std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(std::streamoff(addr + at));
  char b[2];
  io.read(b, 2);
  b[0] = char(~b[0]);
  b[1] = char(b[1] ^ 0x5a);
  io.seekp(std::streamoff(addr + at));
  io.write(b, 2);
  ASSERT_TRUE(io.good());
}

TEST(BankReader, RefusesAChunkWhoseChecksumFailsNamingThePoint) {
  const TempDir tmp;
  for (StorageType storage : {StorageType::kFloat32, StorageType::kInt16}) {
    const std::string path = tmp.file(std::string(storageName(storage)) + ".h5");
    writeBank(path, makeBank(storage));
    readBank(path);  // intact: loads
    // Flat index 15 in a [3, 3, 2, 2] grid is point (1, 0, 1, 1).
    flipBytesInChunk(path, 15, 40);
    EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
              path +
                  ": dataset waveforms, point (1, 0, 1, 1): found a chunk that fails its "
                  "checksum or cannot be read, expected the waveform as written (the file is "
                  "damaged)");
    // Nothing left open by the refusal. (Datatypes are not counted: HDF5's C++ API keeps
    // its predefined types open for the life of the process.)
    EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL,
                               H5F_OBJ_FILE | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_ATTR),
              0);
  }
}

TEST(BankReader, RefusesBadProjections) {
  const TempDir tmp;
  const std::string path = tmp.file("proj.h5");
  BankData b = makeBank();
  b.projections.points = {{0, 0, 0, 0}};
  b.projections.family = {3};
  b.projections.familyNames = {"bass"};
  writeBank(path, b);
  EXPECT_EQ(formatErrorOf([&] { readBank(path); }),
            path +
                ": projections/family[0]: found 3, expected -1 or an index into "
                "family_names (1 names)");
}

TEST(BankReader, RefusesHdf5sOriginalFormatWithoutChecksums) {
  const TempDir tmp;
  const std::string path = tmp.file("v0.h5");
  H5::H5File(path, H5F_ACC_TRUNC).close();  // HDF5's default: superblock version 0
  EXPECT_EQ(formatErrorOf([&] { readInfo(path); }),
            path +
                ": HDF5 superblock version: found 0, expected 2 or 3 (the HDF5 1.8+ format, "
                "whose metadata carry checksums)");
}

TEST(BankReader, RefusesMissingAndNonHdf5Files) {
  const TempDir tmp;
  const std::string missing = tmp.file("nowhere.h5");
  EXPECT_EQ(formatErrorOf([&] { readBank(missing); }), missing + ": no such file");
  const std::string text = tmp.file("text.h5");
  std::ofstream(text) << "this is not an HDF5 file at all, but it is long enough to look";
  EXPECT_EQ(formatErrorOf([&] { readBank(text); }), text + ": not an HDF5 file");
}

}  // namespace
}  // namespace wae::bank

#include "tools/bank/bake_file.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "bank/bank_reader.h"
#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"

namespace wae::bank {
namespace {

using testing::formatErrorOf;
using testing::TempDir;

constexpr int kLength = 32;

BankMeta makeMeta(StorageType storage) {
  BankMeta m;
  BankInfo& i = m.info;
  i.gridShape = {3, 3, 2, 2};
  for (int a = 0; a < kDims; ++a) i.axes[a] = gridAxis(-2, 2, i.gridShape[a]);
  i.sampleRate = 8000;
  i.length = kLength;
  i.storage = storage;
  i.modelSha256 = std::string(64, '0');
  i.createdBy = "bake_file_test";
  AudioSettings s;
  s.sampleRate = 8000;
  s.fMaxHz = 4000;
  s.hopLength = 16;
  s.nFrames = 2;
  s.nSamples = kLength;
  m.audio = s;
  return m;
}

// The waveform of grid point p: what a model would give.
std::vector<float> wave(size_t first, size_t count) {
  std::vector<float> w(count * kLength);
  for (size_t k = 0; k < w.size(); ++k) {
    const size_t p = first + k / kLength, t = k % kLength;
    w[k] = 0.7f * std::sin(0.3f * t * (1 + p % 7)) * (p % 5 + 1) / 5;
  }
  return w;
}

// The f0 of grid point p: 55 Hz * (p + 1), unpitched (0) where p % 4 == 3.
std::vector<float> pitch(size_t first, size_t count) {
  std::vector<float> f(count);
  for (size_t k = 0; k < count; ++k) f[k] = (first + k) % 4 == 3 ? 0.0f : 55.0f * (first + k + 1);
  return f;
}

// The noise part of grid point p in a bake of two parts: another signal, quieter.
std::vector<float> noisePart(size_t first, size_t count) {
  std::vector<float> w = wave(first + 11, count);
  for (float& v : w) v *= -0.25f;
  return w;
}

void bake(BakeFile& f, size_t from, size_t to, size_t batch) {
  for (size_t p = from; p < to; p += batch) {
    const size_t n = std::min(batch, to - p);
    f.writeDone(p, n, wave(p, n).data(), f.hasF0() ? pitch(p, n).data() : nullptr,
                f.hasNoise() ? noisePart(p, n).data() : nullptr);
  }
}

BankMeta withPitch(BankMeta m) {
  m.f0Source = kF0SourceModel;
  return m;
}

BankMeta withNoise(BankMeta m) {
  m.info.noisePart = true;
  return withPitch(m);
}

TEST(BakeFile, ResumesWhereItStoppedAndFinishes) {
  const TempDir tmp;
  const BankMeta meta = makeMeta(StorageType::kFloat32);
  const Slice all = shardSlice(36, 0, 1);
  const std::string work = tmp.file("resume.h5.partial"), out = tmp.file("resume.h5");
  {
    BakeFile f = BakeFile::create(work, meta, all);
    EXPECT_EQ(f.doneCount(), 0u);
    bake(f, 0, 10, 4);
    bake(f, 20, 22, 4);
  }  // as if killed: never finished
  EXPECT_EQ(formatErrorOf([&] { readBank(work); }),
            work +
                ": dataset done: found an unfinished bake, expected a finished bank "
                "(continue the bake with bake_bank --resume)");
  {
    BakeFile f = BakeFile::resume(work, meta, all);
    EXPECT_EQ(f.doneCount(), 12u);
    EXPECT_EQ(f.done()[9], 1);
    EXPECT_EQ(f.done()[10], 0);
    EXPECT_EQ(f.done()[21], 1);
    bake(f, 10, 20, 3);
    bake(f, 22, 36, 5);
    EXPECT_EQ(f.doneCount(), 36u);
  }
  finishBank({work}, out, out + ".finishing", "2024-02-02T00:00:00Z");
  EXPECT_FALSE(std::filesystem::exists(out + ".finishing"));
  const BankData b = readBank(out);
  EXPECT_EQ(b.f32, wave(0, 36));
  EXPECT_EQ(b.info.createdAt, "2024-02-02T00:00:00Z");
  EXPECT_EQ(b.info.createdBy, "bake_file_test");
  EXPECT_EQ(b.info.storage, StorageType::kFloat32);
  EXPECT_TRUE(b.f0Hz.empty());
  EXPECT_TRUE(b.f0Source.empty());
}

TEST(BakeFile, PitchIsKeptThroughAResumeIntoAnInt16Bank) {
  const TempDir tmp;
  const BankMeta meta = withPitch(makeMeta(StorageType::kInt16));
  const Slice all = shardSlice(36, 0, 1);
  const std::string work = tmp.file("pitch.h5.partial"), out = tmp.file("pitch.h5");
  {
    BakeFile f = BakeFile::create(work, meta, all);
    EXPECT_TRUE(f.hasF0());
    bake(f, 0, 13, 4);
  }  // as if killed
  {
    BakeFile f = BakeFile::resume(work, meta, all);
    EXPECT_TRUE(f.hasF0());
    EXPECT_EQ(f.meta().f0Source, "model");
    EXPECT_EQ(f.doneCount(), 13u);
    std::vector<float> got(13);
    f.readF0(0, 13, got.data());
    EXPECT_EQ(got, pitch(0, 13));
    EXPECT_THROW(f.writeDone(13, 1, wave(13, 1).data()), std::invalid_argument);
    bake(f, 13, 36, 6);
  }
  finishBank({work}, out, out + ".finishing", "x");
  const BankData b = readBank(out);
  EXPECT_EQ(b.f0Hz, pitch(0, 36));
  EXPECT_EQ(b.f0Hz[3], 0.0f);
  EXPECT_EQ(b.f0Hz[34], 1925.0f);
  EXPECT_EQ(b.f0Source, "model");
  H5::H5File file(out, H5F_ACC_RDONLY);
  int64_t version = 0;
  file.openAttribute(attr::kFormatVersion).read(H5::PredType::NATIVE_INT64, &version);
  EXPECT_EQ(version, 4);  // int16: a scale per point, and pitch by its /f0
  EXPECT_EQ(b.info.pointScale.size(), 36u);
  EXPECT_FALSE(b.info.noisePart);
}

TEST(BakeFile, ResumeRefusesABakeWithOtherPitch) {
  const TempDir tmp;
  const BankMeta meta = makeMeta(StorageType::kFloat32);
  const std::string work = tmp.file("nopitch.h5.partial");
  BakeFile::create(work, meta, shardSlice(36, 0, 1)).close();
  EXPECT_EQ(formatErrorOf([&] { BakeFile::resume(work, withPitch(meta), shardSlice(36, 0, 1)); }),
            work +
                ": bake_f0_source: found none, expected \"model\" (another bake: delete the "
                "file or bake without --resume)");
}

TEST(BakeFile, FinishRefusesAnF0AboveNyquist) {
  const TempDir tmp;
  const BankMeta meta = withPitch(makeMeta(StorageType::kFloat32));
  const std::string work = tmp.file("high.h5.partial"), out = tmp.file("high.h5");
  {
    BakeFile f = BakeFile::create(work, meta, shardSlice(36, 0, 1));
    bake(f, 0, 36, 36);
    const float high = 4000;  // Nyquist at 8000 Hz
    f.writeDone(7, 1, wave(7, 1).data(), &high);
  }
  EXPECT_EQ(formatErrorOf([&] { finishBank({work}, out, out + ".tmp", "x"); }),
            work +
                ": dataset f0[7]: found 4000, expected a frequency in Hz from 0 (unpitched) "
                "to below 4000");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(BakeFile, ResumeRefusesAnotherBake) {
  const TempDir tmp;
  const BankMeta meta = makeMeta(StorageType::kFloat32);
  const std::string work = tmp.file("other.h5.partial");
  BakeFile::create(work, meta, shardSlice(36, 0, 1)).close();
  BankMeta other = meta;
  other.info.modelSha256 = std::string(64, 'f');
  EXPECT_EQ(formatErrorOf([&] { BakeFile::resume(work, other, shardSlice(36, 0, 1)); }),
            work + ": model_sha256: found " + std::string(64, '0') + ", expected " +
                std::string(64, 'f') + " (another bake: delete the file or bake without --resume)");
  EXPECT_EQ(formatErrorOf([&] { BakeFile::resume(work, meta, shardSlice(36, 1, 2)); }),
            work + ": slice: found shard 0/1, points 0+36, expected shard 1/2, points 18+18");
  other = meta;
  other.info.blendExponent = 1.5;
  EXPECT_EQ(formatErrorOf([&] { BakeFile::resume(work, other, shardSlice(36, 0, 1)); }),
            work +
                ": blend_exponent: found 1, expected 1.5 (another bake: delete the file or bake "
                "without --resume)");
}

// Baking in shards then merging gives the same bank as one bake.
void expectShardsEqualOneBake(StorageType storage, bool pitched = false, bool noise = false) {
  const TempDir tmp;
  const BankMeta meta = noise     ? withNoise(makeMeta(storage))
                        : pitched ? withPitch(makeMeta(storage))
                                  : makeMeta(storage);
  pitched = pitched || noise;
  const std::string tag =
      storageName(storage) + std::string(pitched ? "_f0" : "") + (noise ? "_noise" : "");
  const std::string one = tmp.file("one_" + tag + ".h5");
  {
    BakeFile f = BakeFile::create(one + ".partial", meta, shardSlice(36, 0, 1));
    bake(f, 0, 36, 7);
  }
  finishBank({one + ".partial"}, one, one + ".tmp", "A");

  std::vector<std::string> shards;
  for (int i = 3; i-- > 0;) {  // any order
    const Slice s = shardSlice(36, i, 3);
    shards.push_back(tmp.file("shard_" + tag + std::to_string(i) + ".h5"));
    BakeFile f = BakeFile::create(shards.back(), meta, s);
    bake(f, s.first, s.first + s.count, 5);
  }
  const std::string merged = tmp.file("merged_" + tag + ".h5");
  // In blocks of 3 points (36 in one block above): several blocks per work file.
  finishBank(shards, merged, merged + ".tmp", "B", 3 * kLength * sizeof(float));

  const BankData a = readBank(one), b = readBank(merged);
  EXPECT_EQ(a.f32, b.f32);
  EXPECT_EQ(a.i16, b.i16);
  EXPECT_EQ(a.info.scale, b.info.scale);
  EXPECT_EQ(a.info.storage, storage);
  EXPECT_EQ(b.info.storage, storage);
  EXPECT_EQ(a.info.axes, b.info.axes);
  EXPECT_EQ(a.info.gridShape, b.info.gridShape);
  EXPECT_EQ(a.info.modelSha256, b.info.modelSha256);
  EXPECT_EQ(a.info.createdBy, b.info.createdBy);
  EXPECT_EQ(a.info.createdAt, "A");
  EXPECT_EQ(b.info.createdAt, "B");
  EXPECT_EQ(a.f0Hz, pitched ? pitch(0, 36) : std::vector<float>{});
  EXPECT_EQ(b.f0Hz, a.f0Hz);
  EXPECT_EQ(b.f0Source, pitched ? "model" : "");
  EXPECT_EQ(b.info.noisePart, noise);
  std::vector<float> want = wave(0, 36);
  if (noise) {
    const std::vector<float> n = noisePart(0, 36);
    want.insert(want.end(), n.begin(), n.end());
  }
  if (storage == StorageType::kFloat32) {
    EXPECT_EQ(a.f32, want);
  } else {
    // Each point with the scale of its own largest |sample| over its parts and their sum
    // (format 4). A noise part carries its harmonic part's rounding (quantizeInt16Noise):
    // within a step, and the stored sum is the sum rounded once.
    ASSERT_EQ(a.i16.size(), want.size());
    ASSERT_EQ(a.info.pointScale.size(), 36u);
    EXPECT_EQ(b.info.pointScale, a.info.pointScale);
    const size_t harmonic = 36 * kLength;
    for (size_t p = 0; p < 36; ++p) {
      float peak = 0;
      for (size_t t = 0; t < kLength; ++t) {
        const size_t k = p * kLength + t;
        peak = std::max(peak, std::fabs(want[k]));
        if (noise)
          peak = std::max(
              {peak, std::fabs(want[harmonic + k]), std::fabs(want[k] + want[harmonic + k])});
      }
      const float scale = a.info.pointScale[p];
      ASSERT_EQ(scale, int16Scale(peak)) << "point " << p;
      for (size_t t = 0; t < kLength; ++t) {
        const size_t k = p * kLength + t;
        ASSERT_LE(std::fabs(a.i16[k] * scale - want[k]), int16ErrorBound(scale, peak));
        if (!noise) continue;
        ASSERT_LE(std::fabs(a.i16[harmonic + k] * scale - want[harmonic + k]),
                  2 * int16ErrorBound(scale, peak));
        ASSERT_EQ(a.i16[k] + a.i16[harmonic + k],
                  quantizeInt16(want[k] + want[harmonic + k], scale));
      }
    }
    EXPECT_EQ(a.info.scale, *std::max_element(a.info.pointScale.begin(), a.info.pointScale.end()));
  }
}

TEST(BakeFile, ShardsMergeToTheSameFloat32Bank) { expectShardsEqualOneBake(StorageType::kFloat32); }
TEST(BakeFile, ShardsMergeToTheSameInt16Bank) { expectShardsEqualOneBake(StorageType::kInt16); }
TEST(BakeFile, ShardsWithPitchMergeToTheSameBank) {
  expectShardsEqualOneBake(StorageType::kInt16, /*pitched=*/true);
}
TEST(BakeFile, ShardsOfTwoPartsMergeToTheSameBank) {
  expectShardsEqualOneBake(StorageType::kInt16, /*pitched=*/true, /*noise=*/true);
  expectShardsEqualOneBake(StorageType::kFloat32, /*pitched=*/true, /*noise=*/true);
}

// A bake of two parts needs pitch and every point's noise part; its work file resumes only
// into a bake of two parts.
TEST(BakeFile, TwoPartsResumeOnlyAsTwoParts) {
  const TempDir tmp;
  BankMeta unpitched = makeMeta(StorageType::kInt16);
  unpitched.info.noisePart = true;
  EXPECT_THROW(BakeFile::create(tmp.file("x.partial"), unpitched, shardSlice(36, 0, 1)),
               std::invalid_argument);
  const BankMeta meta = withNoise(makeMeta(StorageType::kInt16));
  const std::string work = tmp.file("parts.h5.partial");
  {
    BakeFile f = BakeFile::create(work, meta, shardSlice(36, 0, 1));
    EXPECT_TRUE(f.hasNoise());
    EXPECT_THROW(f.writeDone(0, 1, wave(0, 1).data(), pitch(0, 1).data()), std::invalid_argument);
    bake(f, 0, 10, 4);
  }
  EXPECT_EQ(formatErrorOf([&] {
              BakeFile::resume(work, withPitch(makeMeta(StorageType::kInt16)),
                               shardSlice(36, 0, 1));
            }),
            work +
                ": noise: found present, expected absent (another bake: delete the file or bake "
                "without --resume)");
  BakeFile f = BakeFile::resume(work, meta, shardSlice(36, 0, 1));
  EXPECT_EQ(f.doneCount(), 10u);
  std::vector<float> got(2 * kLength);
  f.read(5, 2, got.data(), /*noise=*/true);
  EXPECT_EQ(got, noisePart(5, 2));
}

TEST(BakeFile, MergeRefusesMissingIncompleteAndForeignShards) {
  const TempDir tmp;
  const BankMeta meta = makeMeta(StorageType::kFloat32);
  std::vector<std::string> shards;
  for (int i = 0; i < 3; ++i) {
    const Slice s = shardSlice(36, i, 3);
    shards.push_back(tmp.file("m" + std::to_string(i) + ".h5"));
    BakeFile f = BakeFile::create(shards.back(), meta, s);
    bake(f, s.first, s.first + s.count - (i == 2 ? 1 : 0), 4);
  }
  const std::string out = tmp.file("m.h5");
  EXPECT_EQ(formatErrorOf([&] {
              finishBank({shards[0], shards[2]}, out, out + ".tmp", "x");
            }),
            shards[2] +
                ": attribute bake_first_point: found 24, expected 12 (the shards must "
                "cover the grid once, in order)");
  EXPECT_EQ(formatErrorOf([&] {
              finishBank({shards[0], shards[1]}, out, out + ".tmp", "x");
            }),
            shards[1] +
                ": slices: found points 0..23, expected all 36 grid points (a shard is "
                "missing)");
  EXPECT_EQ(formatErrorOf([&] { finishBank(shards, out, out + ".tmp", "x"); }),
            shards[2] +
                ": dataset done: found 11 of 12 points baked, expected all of them "
                "(finish it with bake_bank --resume)");
  BankMeta other = meta;
  other.info.length = kLength * 2;
  other.audio->nFrames = 4;
  other.audio->nSamples = kLength * 2;
  const std::string foreign = tmp.file("foreign.h5");
  BakeFile::create(foreign, other, shardSlice(36, 1, 3)).close();
  EXPECT_EQ(
      formatErrorOf([&] {
        finishBank({shards[0], foreign}, out, out + ".tmp", "x");
      }),
      foreign + ": length: found 64, expected 32 as in " + shards[0] + " (shards of another bake)");
  EXPECT_FALSE(std::filesystem::exists(out));
}

// A sample that is not finite (a model's NaN, say) is refused before any bank is written,
// naming the work file, the dataset and the point and sample in the slice: in a float32
// bank of one part and in an int16 bank of two (there in the noise part).
TEST(BakeFile, FinishRefusesASampleThatIsNotFinite) {
  const TempDir tmp;
  const std::string work = tmp.file("nan.h5.partial"), out = tmp.file("nan.h5");
  {
    BakeFile f = BakeFile::create(work, makeMeta(StorageType::kFloat32), shardSlice(36, 0, 1));
    bake(f, 0, 36, 36);
    std::vector<float> w = wave(5, 1);
    w[3] = std::nanf("");
    f.writeDone(5, 1, w.data());
  }
  EXPECT_EQ(formatErrorOf([&] { finishBank({work}, out, out + ".tmp", "x"); }),
            work + ": dataset waveforms[5][3]: found nan, expected a finite sample");
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));  // found while writing: removed
  const std::string parts = tmp.file("inf.h5.partial");
  {
    BakeFile f =
        BakeFile::create(parts, withNoise(makeMeta(StorageType::kInt16)), shardSlice(36, 0, 1));
    bake(f, 0, 36, 36);
    std::vector<float> n = noisePart(30, 1);
    n[31] = -INFINITY;
    const float f0 = 110;
    f.writeDone(30, 1, wave(30, 1).data(), &f0, n.data());
  }
  EXPECT_EQ(formatErrorOf([&] { finishBank({parts}, out, out + ".tmp", "x"); }),
            parts + ": dataset noise[30][31]: found -inf, expected a finite sample");
  EXPECT_FALSE(std::filesystem::exists(out));
}

// Finishing takes the int16 scale from the peaks recorded with the samples. A work file from
// before them (no /peak) finishes to the same bank by reading the samples for it; peaks below
// the samples (a damaged work file) are refused, naming the file and points, and no bank is
// left.
TEST(BakeFile, FinishTakesTheScaleFromTheRecordedPeaks) {
  const TempDir tmp;
  const BankMeta meta = withNoise(makeMeta(StorageType::kInt16));
  auto bakeAll = [&](const std::string& work) {
    BakeFile f = BakeFile::create(work, meta, shardSlice(36, 0, 1));
    EXPECT_TRUE(f.hasPeaks());
    bake(f, 0, 36, 8);
    std::vector<float> peaks(36);
    f.readPeaks(0, 36, peaks.data());
    const std::vector<float> h = wave(0, 36), n = noisePart(0, 36);
    for (size_t p = 0; p < 36; ++p) {
      float want = 0;
      for (size_t t = 0; t < kLength; ++t) {
        const size_t k = p * kLength + t;
        want = std::max({want, std::fabs(h[k]), std::fabs(n[k]), std::fabs(h[k] + n[k])});
      }
      EXPECT_EQ(peaks[p], want) << "point " << p;
    }
  };
  const std::string recorded = tmp.file("recorded.h5"), older = tmp.file("older.h5");
  bakeAll(recorded + ".partial");
  finishBank({recorded + ".partial"}, recorded, recorded + ".tmp", "A");
  bakeAll(older + ".partial");
  {
    H5::H5File f(older + ".partial", H5F_ACC_RDWR);
    H5Ldelete(f.getId(), work::kPeak, H5P_DEFAULT);
  }
  EXPECT_FALSE(BakeFile::open(older + ".partial").hasPeaks());
  finishBank({older + ".partial"}, older, older + ".tmp", "A");
  const BankData a = readBank(recorded), b = readBank(older);
  EXPECT_EQ(a.info.scale, b.info.scale);
  EXPECT_EQ(a.info.pointScale, b.info.pointScale);
  EXPECT_EQ(a.i16, b.i16);

  // One point's recorded peak below its samples: refused, naming the point, in one block or
  // in blocks of 5 points.
  const std::string damaged = tmp.file("damaged.h5");
  bakeAll(damaged + ".partial");
  {
    H5::H5File f(damaged + ".partial", H5F_ACC_RDWR);
    std::vector<float> peaks(36);
    f.openDataSet(work::kPeak).read(peaks.data(), H5::PredType::NATIVE_FLOAT);
    peaks[17] = 0.01f;
    f.openDataSet(work::kPeak).write(peaks.data(), H5::PredType::NATIVE_FLOAT);
  }
  for (const size_t block : {size_t(16) << 20, 5 * kLength * sizeof(float)}) {
    const std::string error = formatErrorOf(
        [&] { finishBank({damaged + ".partial"}, damaged, damaged + ".tmp", "x", block); });
    EXPECT_EQ(error.rfind(damaged + ".partial: dataset peak[17]: found 0.0099999", 0), 0u) << error;
    EXPECT_NE(error.find("expected at least the point's largest |sample|"), std::string::npos)
        << error;
  }
  EXPECT_FALSE(std::filesystem::exists(damaged));
  EXPECT_FALSE(std::filesystem::exists(damaged + ".tmp"));
}

}  // namespace
}  // namespace wae::bank

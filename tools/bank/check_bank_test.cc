#include "tools/bank/check_bank.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "common/errors.h"
#include "common/testing/temp_dir.h"
#include "tools/bank/report_util.h"

namespace wae::bankbake {
namespace {

using testing::TempDir;

constexpr int kRate = 22050;
constexpr int kLength = 8192;
constexpr float kAmplitude = 0.5f;
// 372 whole cycles in the waveform (about 1001 Hz): the mean of sin^2 is exactly 1/2.
constexpr double kSineHz = 372.0 * kRate / kLength;
const double kSineRmsDbfs = 20 * std::log10(kAmplitude / std::sqrt(2.0));  // -9.0309

// What each point of the test bank holds, by flat index modulo 4.
enum Kind { kSine = 0, kNoise = 1, kZero = 2, kShortSine = 3 };

// The header of a test bank: axes -2..2, kRate, kLength.
bank::BankInfo testInfo(std::array<int, bank::kDims> gridShape, bank::StorageType storage,
                        char shaDigit) {
  bank::BankInfo i;
  i.gridShape = gridShape;
  for (int a = 0; a < bank::kDims; ++a) i.axes[a] = bank::gridAxis(-2, 2, i.gridShape[a]);
  i.sampleRate = kRate;
  i.length = kLength;
  i.modelSha256 = std::string(64, shaDigit);
  i.createdBy = "check_bank_test";
  i.createdAt = "2024-01-01T00:00:00Z";
  i.storage = storage;
  return i;
}

// A 2x3x2x2 bank (24 points): sines, seeded white noise, all-zero waveforms, and sines that
// sound for 2048 samples followed by noise 71 dB quieter (sigma 1e-4, -80 dBFS): the 40 dB
// frame selection's case (counted, those noise frames would raise the flatness near 0.5).
bank::BankData makeBank(bank::StorageType storage) {
  bank::BankData b;
  b.info = testInfo({2, 3, 2, 2}, storage, 'c');
  bank::BankInfo& i = b.info;
  std::mt19937 rng(20240601);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<float> x(i.pointCount() * kLength);
  for (size_t p = 0; p < i.pointCount(); ++p) {
    for (int n = 0; n < kLength; ++n) {
      const float sine = kAmplitude * float(std::sin(2 * M_PI * kSineHz * n / kRate));
      float& v = x[p * kLength + n];
      switch (Kind(p % 4)) {
        case kSine:
          v = sine;
          break;
        case kNoise:
          v = normal(rng);
          break;
        case kZero:
          v = 0;
          break;
        case kShortSine:
          v = n < 2048 ? sine : 1e-3f * normal(rng);
          break;
      }
    }
  }
  if (storage == bank::StorageType::kInt16) {
    float maxAbs = 0;
    for (float v : x) maxAbs = std::max(maxAbs, std::fabs(v));
    i.scale = bank::int16Scale(maxAbs);
    for (float v : x) b.i16.push_back(bank::quantizeInt16(v, i.scale));
  } else {
    b.f32 = x;
  }
  return b;
}

CheckOptions quiet() {
  CheckOptions o;
  o.progress = false;
  o.batch = 5;  // not a divisor of 24: the last batch is short
  return o;
}

class CheckBankTest : public ::testing::TestWithParam<bank::StorageType> {};

TEST_P(CheckBankTest, SineNoiseZeroAndShortSine) {
  const TempDir tmp;
  const std::string path = tmp.file(std::string("check_") + bank::storageName(GetParam()) + ".h5");
  bank::writeBank(path, makeBank(GetParam()));
  const CheckOptions o = quiet();
  const BankCheck c = checkBankFile(path, o);
  EXPECT_EQ(c.path, path);
  ASSERT_EQ(c.points.size(), 24u);
  for (size_t p = 0; p < c.points.size(); ++p) {
    SCOPED_TRACE("point " + std::to_string(p));
    const WaveMeasures& m = c.points[p].m;
    switch (Kind(p % 4)) {
      case kSine:
        EXPECT_NEAR(m.rmsDbfs, kSineRmsDbfs, 0.01);
        EXPECT_NEAR(m.peak, kAmplitude, 1e-3);
        EXPECT_LT(m.flatness, 0.01);
        EXPECT_NEAR(m.centroidHz, kSineHz, 5.0);
        EXPECT_FALSE(isSilent(m, o));
        EXPECT_FALSE(isNoiseLike(m, o));
        break;
      case kNoise:
        EXPECT_GT(m.flatness, 0.5);
        EXPECT_LT(m.flatness, 0.65);         // about exp(-0.5772) = 0.56 for white noise
        EXPECT_NEAR(m.rmsDbfs, -20.0, 0.3);  // sigma 0.1
        // White noise's power is spread evenly: the centroid is near half of Nyquist.
        EXPECT_NEAR(m.centroidHz, kRate / 4.0, 300.0);
        EXPECT_TRUE(isNoiseLike(m, o));
        EXPECT_FALSE(isSilent(m, o));
        break;
      case kZero:
        EXPECT_EQ(m.rmsDbfs, -std::numeric_limits<double>::infinity());
        EXPECT_EQ(m.peak, 0.0);
        EXPECT_TRUE(std::isnan(m.flatness));
        EXPECT_TRUE(std::isnan(m.centroidHz));
        EXPECT_TRUE(isSilent(m, o));
        EXPECT_FALSE(isNoiseLike(m, o));
        break;
      case kShortSine:
        // 1/4 of the waveform sounds: 10 log10(1/4) under the whole sine, and the quiet
        // frames (more than 40 dB down) are left out of the flatness.
        EXPECT_NEAR(m.rmsDbfs, kSineRmsDbfs + 10 * std::log10(0.25), 0.05);
        EXPECT_LT(m.flatness, 0.01);
        EXPECT_NEAR(m.centroidHz, kSineHz, 20.0);
        break;
    }
  }
  // Indices in flatIndex order (axis 4 fastest) and their normalised coordinates.
  EXPECT_EQ(c.points[0].index, (std::array<int, 4>{0, 0, 0, 0}));
  EXPECT_EQ(c.points[5].index, (std::array<int, 4>{0, 1, 0, 1}));
  EXPECT_EQ(c.points[5].normalised, (std::array<double, 4>{-1, 0, -1, 1}));
  EXPECT_EQ(c.points[23].index, (std::array<int, 4>{1, 2, 1, 1}));
  EXPECT_EQ(c.points[23].normalised, (std::array<double, 4>{1, 1, 1, 1}));
}

INSTANTIATE_TEST_SUITE_P(Storage, CheckBankTest,
                         ::testing::Values(bank::StorageType::kFloat32, bank::StorageType::kInt16),
                         [](const auto& info) { return bank::storageName(info.param); });

TEST(CheckBank, Int16MeasuresMatchFloat32) {
  const CheckOptions o = quiet();
  const BankCheck f = checkBank(makeBank(bank::StorageType::kFloat32), o);
  const BankCheck i = checkBank(makeBank(bank::StorageType::kInt16), o);
  ASSERT_EQ(f.points.size(), i.points.size());
  for (size_t p = 0; p < f.points.size(); ++p) {
    if (p % 4 == kZero) continue;
    EXPECT_NEAR(f.points[p].m.rmsDbfs, i.points[p].m.rmsDbfs, 0.001) << p;
    EXPECT_NEAR(f.points[p].m.peak, i.points[p].m.peak, 1e-4) << p;
  }
}

// A bank with noise parts is checked on each point's sound, the sum of its two parts: the
// test bank split into half its samples as the harmonic part and half as the noise part
// measures as the whole bank.
TEST(CheckBank, ABankWithNoisePartsMeasuresTheirSum) {
  const CheckOptions o = quiet();
  for (const auto storage : {bank::StorageType::kFloat32, bank::StorageType::kInt16}) {
    const bank::BankData whole = makeBank(bank::StorageType::kFloat32);
    bank::BankData split = whole;
    split.info.noisePart = true;
    split.info.storage = storage;
    split.f0Hz.assign(whole.info.pointCount(), 0.0f);
    split.f0Source = "estimated";
    std::vector<float> rows(whole.f32.size() * 2);
    for (size_t k = 0; k < whole.f32.size(); ++k) {
      rows[k] = 0.25f * whole.f32[k];
      rows[whole.f32.size() + k] = 0.75f * whole.f32[k];
    }
    if (storage == bank::StorageType::kInt16) {
      split.f32.clear();
      split.info.scale = bank::int16Scale(0.75f * kAmplitude * 4);
      for (float v : rows) split.i16.push_back(bank::quantizeInt16(v, split.info.scale));
    } else {
      split.f32 = rows;
    }
    const BankCheck a = checkBank(whole, o), b = checkBank(split, o);
    ASSERT_EQ(a.points.size(), b.points.size());
    for (size_t p = 0; p < a.points.size(); ++p) {
      if (p % 4 == kZero) continue;
      EXPECT_NEAR(a.points[p].m.rmsDbfs, b.points[p].m.rmsDbfs, 0.01) << p;
      EXPECT_NEAR(a.points[p].m.peak, b.points[p].m.peak, 1e-3) << p;
    }
  }
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  return out;
}

TEST(CheckBank, CsvRowsMatchTheMeasures) {
  const TempDir tmp;
  const CheckOptions o = quiet();
  const BankCheck c = checkBank(makeBank(bank::StorageType::kFloat32), o);
  const std::string csv = tmp.file("check.csv");
  writeCheckCsv(csv, c);
  std::ifstream in(csv);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "i1,i2,i3,i4,u1,u2,u3,u4,rms_dbfs,peak,flatness,centroid_hz");
  size_t rows = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(rows, c.points.size());
    const PointCheck& p = c.points[rows];
    const auto cells = split(line);
    ASSERT_EQ(cells.size(), 12u) << line;
    for (int a = 0; a < 4; ++a) {
      EXPECT_EQ(std::stoi(cells[a]), p.index[a]) << line;
      EXPECT_NEAR(std::stod(cells[4 + a]), p.normalised[a], 1e-6) << line;
    }
    if (rows % 4 == kZero) {
      EXPECT_EQ(cells[8], "-inf");
      EXPECT_EQ(cells[10], "nan");
      EXPECT_EQ(cells[11], "nan");
    } else {
      EXPECT_NEAR(std::stod(cells[8]), p.m.rmsDbfs, 1e-4) << line;
      EXPECT_NEAR(std::stod(cells[10]), p.m.flatness, 1e-6 * p.m.flatness + 1e-12) << line;
      EXPECT_NEAR(std::stod(cells[11]), p.m.centroidHz, 0.01) << line;
    }
    EXPECT_NEAR(std::stod(cells[9]), p.m.peak, 1e-6) << line;
    ++rows;
  }
  EXPECT_EQ(rows, c.points.size());
  EXPECT_FALSE(std::ifstream(csv + ".partial").good());
}

TEST(CheckBank, SummaryCountsAndListsTheFlaggedPoints) {
  CheckOptions o = quiet();
  BankCheck c = checkBank(makeBank(bank::StorageType::kFloat32), o);
  c.path = "demo.h5";
  const std::string s = formatSummary(c, o, 100);
  EXPECT_NE(s.find("check_bank: demo.h5: 24 points (grid [2, 3, 2, 2], float32, 8192 samples at "
                   "22050 Hz)"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("silent (rms below -60 dBFS): 6 of 24 points"), std::string::npos) << s;
  EXPECT_NE(s.find("noise-like (flatness above 0.5): 6 of 24 points"), std::string::npos) << s;
  EXPECT_NE(s.find("clipping (peak above 1): 0 of 24 points"), std::string::npos) << s;
  // Point 2 (0,0,1,0) is all-zero: listed with its indices and -inf.
  EXPECT_NE(s.find("  i 0 0 1 0  u -1.000 -1.000 +1.000 -1.000  rms -inf dBFS  flatness nan"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("(6 all-zero points have no flatness or centroid"), std::string::npos) << s;
  // The RMS row's minimum is -inf (the zero points), its maximum the whole sines'.
  EXPECT_NE(s.find("rms (dBFS)"), std::string::npos);
  EXPECT_NE(s.find("-inf"), std::string::npos);
  // A cap on the listing says how many were left out; other thresholds change the counts.
  o.silenceDbfs = -10;  // the quarter sines (-15 dBFS) and the noise (-20 dBFS) too
  const std::string capped = formatSummary(c, o, 2);
  EXPECT_NE(capped.find("silent (rms below -10 dBFS): 18 of 24 points"), std::string::npos)
      << capped;
  EXPECT_NE(capped.find("  ... and 16 more (see the CSV)"), std::string::npos) << capped;
}

// A 2x2x2x2 float32 bank of sines at amplitude 0.5, but for three points: flat index 5 at
// 1.5, 12 at 1.2 (both above full scale) and 9 at exactly 1.0 (full scale, not above). The
// sine's 372 cycles in 8192 samples land on its crests, so each peak is its amplitude.
bank::BankData makePeakBank() {
  bank::BankData b;
  b.info = testInfo({2, 2, 2, 2}, bank::StorageType::kFloat32, 'd');
  const bank::BankInfo& i = b.info;
  for (size_t p = 0; p < i.pointCount(); ++p) {
    const float amplitude = p == 5 ? 1.5f : p == 12 ? 1.2f : p == 9 ? 1.0f : 0.5f;
    for (int n = 0; n < kLength; ++n)
      b.f32.push_back(amplitude * float(std::sin(2 * M_PI * kSineHz * n / kRate)));
  }
  return b;
}

// The point lines listed under the summary's line that starts with `header`.
std::vector<std::string> listedUnder(const std::string& summary, const std::string& header) {
  std::vector<std::string> lines;
  std::stringstream ss(summary);
  std::string line;
  bool in = false;
  while (std::getline(ss, line)) {
    if (line.rfind(header, 0) == 0) {
      in = true;
    } else if (in) {
      if (line.rfind("  i ", 0) != 0) break;
      lines.push_back(line);
    }
  }
  return lines;
}

TEST(CheckBank, ClippingPointsAreCountedAndListed) {
  CheckOptions o = quiet();
  const BankCheck c = checkBank(makePeakBank(), o);
  ASSERT_EQ(c.points.size(), 16u);
  EXPECT_NEAR(c.points[5].m.peak, 1.5, 1e-6);
  EXPECT_NEAR(c.points[12].m.peak, 1.2, 1e-6);
  EXPECT_NEAR(c.points[9].m.peak, 1.0, 1e-6);
  EXPECT_NEAR(c.points[0].m.peak, 0.5, 1e-6);
  for (size_t p = 0; p < c.points.size(); ++p)
    EXPECT_EQ(isClipping(c.points[p].m, o), p == 5 || p == 12) << p;

  const std::string s = formatSummary(c, o, 100);
  EXPECT_NE(s.find("silent (rms below -60 dBFS): 0 of 16 points"), std::string::npos) << s;
  EXPECT_NE(s.find("noise-like (flatness above 0.5): 0 of 16 points"), std::string::npos) << s;
  EXPECT_NE(s.find("\nclipping (peak above 1): 2 of 16 points\n"), std::string::npos) << s;
  // Point 5 is (0,1,0,1), point 12 (1,1,0,0), in flat order; the 1.0 point is not listed.
  const auto listed = listedUnder(s, "clipping (peak above 1)");
  ASSERT_EQ(listed.size(), 2u) << s;
  EXPECT_EQ(listed[0].rfind("  i 0 1 0 1  u -1.000 +1.000 -1.000 +1.000  rms ", 0), 0u) << s;
  EXPECT_NE(listed[0].find("  peak 1.5000"), std::string::npos) << s;
  EXPECT_EQ(listed[1].rfind("  i 1 1 0 0  u +1.000 +1.000 -1.000 -1.000  rms ", 0), 0u) << s;
  EXPECT_NE(listed[1].find("  peak 1.2000"), std::string::npos) << s;

  // --max-listed caps the listing as for the other flags.
  const std::string capped = formatSummary(c, o, 1);
  EXPECT_EQ(listedUnder(capped, "clipping (peak above 1)").size(), 1u) << capped;
  EXPECT_NE(capped.find("clipping (peak above 1): 2 of 16 points\n  i 0 1 0 1"), std::string::npos)
      << capped;
  EXPECT_NE(capped.find("  ... and 1 more (see the CSV)"), std::string::npos) << capped;

  // Other thresholds: above 1.3 only the 1.5 point; above 0.9 the full-scale point too.
  o.clipPeak = 1.3;
  const std::string high = formatSummary(c, o, 100);
  EXPECT_NE(high.find("clipping (peak above 1.3): 1 of 16 points"), std::string::npos) << high;
  ASSERT_EQ(listedUnder(high, "clipping (peak above 1.3)").size(), 1u) << high;
  o.clipPeak = 0.9;
  const std::string low = formatSummary(c, o, 100);
  EXPECT_NE(low.find("clipping (peak above 0.9): 3 of 16 points"), std::string::npos) << low;
  const auto lowListed = listedUnder(low, "clipping (peak above 0.9)");
  ASSERT_EQ(lowListed.size(), 3u) << low;
  EXPECT_EQ(lowListed[1].rfind("  i 1 0 0 1 ", 0), 0u) << low;  // point 9
}

TEST(CheckBank, OptionsAndTheirRangeChecks) {
  auto parse = [](const std::string& args, CheckOptions& o, size_t& maxListed) {
    CLI::App app("check_bank_test");
    addCheckOptions(app, o, maxListed);
    app.parse(args, false);
  };
  CheckOptions o;
  size_t maxListed = 100;
  parse("", o, maxListed);
  EXPECT_EQ(o.clipPeak, 1.0);
  EXPECT_EQ(o.silenceDbfs, -60.0);
  EXPECT_EQ(o.noiseFlatness, 0.5);
  parse("--clip-peak 0.95 --silence-dbfs -50 --max-listed 7", o, maxListed);
  EXPECT_EQ(o.clipPeak, 0.95);
  EXPECT_EQ(o.silenceDbfs, -50.0);
  EXPECT_EQ(maxListed, 7u);
  auto errorOf = [&](const std::string& args) -> std::string {
    CheckOptions unused;
    size_t unusedListed = 100;
    try {
      parse(args, unused, unusedListed);
    } catch (const CLI::ValidationError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(errorOf("--clip-peak 0"), "--clip-peak: Value 0 not in range 0.001000 to 1000.000000");
  EXPECT_EQ(errorOf("--clip-peak 2000"),
            "--clip-peak: Value 2000 not in range 0.001000 to 1000.000000");
  EXPECT_EQ(errorOf("--noise-flatness 2"),
            "--noise-flatness: Value 2 not in range 0.000000 to 1.000000");
}

TEST(CheckBank, UnreadableBankNamesTheFile) {
  const TempDir tmp;
  const std::string missing = tmp.file("no_such_bank.h5");
  try {
    checkBankFile(missing, quiet());
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  const std::string garbage = tmp.file("garbage_bank.h5");
  std::ofstream(garbage) << "not an HDF5 file at all";
  try {
    checkBankFile(garbage, quiet());
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(garbage), std::string::npos) << e.what();
  }
}

// The float32 test bank with pitch (version 2): every point's f0 100 + 10 p Hz, but 0
// (unpitched) where p % 4 == 2.
bank::BankData pitchedBank() {
  bank::BankData b = makeBank(bank::StorageType::kFloat32);
  for (size_t p = 0; p < b.info.pointCount(); ++p)
    b.f0Hz.push_back(p % 4 == 2 ? 0.0f : 100.0f + 10.0f * float(p));
  b.f0Source = "model";
  return b;
}

TEST(CheckBank, ReportsChecksumsAndPitch) {
  const TempDir tmp;
  const std::string v2 = tmp.file("v2.h5");
  bank::writeBank(v2, pitchedBank());
  const CheckOptions o = quiet();
  const std::string s = formatSummary(checkBankFile(v2, o), o);
  EXPECT_NE(s.find("\nchecksums: Fletcher-32 verified for every waveform, 24 of 24 points\n"),
            std::string::npos)
      << s;
  // 18 pitched points from 100 to 330 Hz, median (nearest rank, the 9th) 210 Hz; 6 at 0.
  EXPECT_NE(s.find("\npitch: f0 from \"model\": 18 pitched points, 100.00 / 210.00 / 330.00 Hz "
                   "(min / median / max); 6 unpitched\n"),
            std::string::npos)
      << s;
  // Version 1 (no pitch), still checksummed by the writer.
  const std::string v1 = tmp.file("v1.h5");
  bank::writeBank(v1, makeBank(bank::StorageType::kInt16));
  const std::string s1 = formatSummary(checkBankFile(v1, o), o);
  EXPECT_NE(s1.find("\nchecksums: Fletcher-32 verified for every waveform, 24 of 24 points\n"),
            std::string::npos)
      << s1;
  EXPECT_NE(s1.find("\npitch: none (no /f0)\n"), std::string::npos) << s1;
  // Every point unpitched.
  bank::BankData silent = pitchedBank();
  silent.f0Hz.assign(silent.f0Hz.size(), 0.0f);
  silent.f0Source = "estimated";
  const std::string s0 = formatSummary(checkBank(silent, o), o);
  EXPECT_NE(s0.find("\npitch: f0 from \"estimated\": every point unpitched (24)\n"),
            std::string::npos)
      << s0;
  // A bank whose waveforms were written without the checksum filter (as before version 2's
  // checksums): the same samples, one contiguous dataset.
  const std::string plain = tmp.file("plain.h5");
  bank::writeBank(plain, pitchedBank());
  {
    H5::H5File f(plain, H5F_ACC_RDWR);
    f.unlink(bank::dataset::kWaveforms);
    const hsize_t shape[2] = {24, kLength};
    f.createDataSet(bank::dataset::kWaveforms, H5::PredType::IEEE_F32LE, H5::DataSpace(2, shape))
        .write(pitchedBank().f32.data(), H5::PredType::NATIVE_FLOAT);
  }
  const BankCheck unchecked = checkBankFile(plain, o);
  EXPECT_FALSE(unchecked.waveformChecksums);
  EXPECT_NE(formatSummary(unchecked, o)
                .find("\nchecksums: none (the waveforms carry no checksum: damaged samples "
                      "cannot be detected)\n"),
            std::string::npos);
}

TEST(CheckBank, NamesTheFirstPointWhoseChecksumFails) {
  const TempDir tmp;
  const std::string path = tmp.file("damaged.h5");
  bank::writeBank(path, pitchedBank());
  // Bytes flipped in the file inside the chunks of flat points 13 and 20, found through
  // HDF5's chunk index: 13 is point (1, 0, 0, 1) of the [2, 3, 2, 2] grid, the first.
  for (hsize_t point : {hsize_t(20), hsize_t(13)}) {
    haddr_t addr = 0;
    hsize_t size = 0;
    {
      H5::H5File f(path, H5F_ACC_RDONLY);
      const hsize_t coord[2] = {point, 0};
      unsigned mask = 0;
      ASSERT_GE(H5Dget_chunk_info_by_coord(f.openDataSet(bank::dataset::kWaveforms).getId(), coord,
                                           &mask, &addr, &size),
                0);
    }
    std::fstream io(path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(std::streamoff(addr + size / 2));
    io.put(char(0x5a));
    ASSERT_TRUE(io.good());
  }
  try {
    checkBankFile(path, quiet());
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              path +
                  ": dataset waveforms, point (1, 0, 0, 1): found a chunk that fails its "
                  "checksum or cannot be read, expected the waveform as written (the file is "
                  "damaged)");
  }
}

TEST(CheckBank, ShortWavesAreZeroPadded) {
  // Shorter than n_fft: zero-padded before the STFT; RMS and peak over the samples given.
  std::vector<float> x(300);
  for (size_t n = 0; n < x.size(); ++n) x[n] = 0.25f * float(std::sin(2 * M_PI * n / 30.0));
  const auto m = measureWaves(x.data(), 1, int(x.size()), kRate, quiet());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NEAR(m[0].rmsDbfs, 20 * std::log10(0.25 / std::sqrt(2.0)), 0.01);
  EXPECT_NEAR(m[0].centroidHz, kRate / 30.0, 50.0);
  EXPECT_LT(m[0].flatness, 0.1);
  EXPECT_THROW(measureWaves(x.data(), 1, 0, kRate, quiet()), std::invalid_argument);
}

TEST(CheckBank, PlotIsAPng) {
  const TempDir tmp;
  const BankCheck c = checkBank(makeBank(bank::StorageType::kInt16), quiet());
  const std::string png = tmp.file("check.png");
  writeCheckPlot(png, c, quiet());
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  EXPECT_FALSE(std::ifstream(png + ".partial.dat").good());
  EXPECT_FALSE(std::ifstream(png + ".partial.gp").good());
}

TEST(ReportUtil, NearestRankPercentilesAndDistribution) {
  const std::vector<double> v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  EXPECT_EQ(percentile(v, 0), 1);
  EXPECT_EQ(percentile(v, 0.05), 1);
  EXPECT_EQ(percentile(v, 0.5), 5);
  EXPECT_EQ(percentile(v, 0.95), 10);
  EXPECT_EQ(percentile(v, 1), 10);
  EXPECT_EQ(percentile({}, 0.5), 0);
  EXPECT_DOUBLE_EQ(mean(v), 5.5);
  const double inf = std::numeric_limits<double>::infinity();
  const Distribution d = distribution({std::nan(""), -inf, 2, 3, std::nan("")});
  EXPECT_EQ(d.count, 3u);
  EXPECT_EQ(d.min, -inf);
  EXPECT_EQ(d.median, 2);
  EXPECT_EQ(d.max, 3);
}

}  // namespace
}  // namespace wae::bankbake

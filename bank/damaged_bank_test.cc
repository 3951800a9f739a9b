// Damaged and malformed bank files, written as real files: every one must be refused with a
// wae::FormatError naming the file (or, for damage in bytes the reader never uses, load
// exactly as the intact bank), and no HDF5 identifier may be left behind by a refusal, on
// the calling thread or on another (the external reads on its loader thread).
#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <stdio.h>  // popen

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "bank/bank_h5.h"
#include "bank/bank_reader.h"
#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "bank/test_bank.h"
#include "common/h5_util.h"
#include "common/testing/temp_dir.h"

// Under AddressSanitizer: Debian's HDF5 1.10.8 leaks a little memory inside the library on
// some of its error paths (as bank/fuzz/lsan.supp records for the fuzzer); leaks from our
// code are still reported. Unused without the sanitizer.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5_serial.so\n"; }

namespace wae::bank {
namespace {

using testing::TempDir;

constexpr int kLength = kTestBankLength;
constexpr hsize_t kPoints = 36;  // [3, 3, 2, 2]

// A version 2 bank with everything a bank may hold: pitch, audio settings, projections.
BankData fullBank(StorageType storage) {
  BankData b = testBank(storage, "damaged_bank_test");
  for (size_t p = 0; p < b.info.pointCount(); ++p)
    b.f0Hz.push_back(p % 4 ? 110.0f + 5.5f * p : 0.0f);
  b.f0Source = "model";
  b.projections.points = {{0, 0, 0, 0}, {1, -1, 0.5f, 2}, {0.25f, 0.5f, -0.5f, 1}};
  b.projections.family = {0, 1, -1};
  b.projections.familyNames = {"bass", "brass"};
  return b;
}

AudioSettings audioFor(const BankInfo& info) {
  AudioSettings s;
  s.sampleRate = info.sampleRate;
  s.hopLength = 16;
  s.nFrames = 4;
  s.nSamples = info.length;
  s.nFft = 32;
  s.winLength = 32;
  s.nMels = 8;
  return s;
}

std::vector<char> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const char* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, std::streamsize(size));
  ASSERT_TRUE(out.good()) << path;
}

// The HDF5 objects open in the process, by kind (H5Fget_obj_count over every file):
// files, groups, datasets, attributes and datatypes. Datatypes include transient ones, among
// them the C++ API's predefined types, which live as long as the process: tests compare
// with a baseline. (HDF5 has no public count of dataspaces or property lists:
// H5Inmembers refuses the library's own identifier types.)
struct OpenIds {
  std::array<ssize_t, 5> count{};
  bool operator==(const OpenIds& o) const { return count == o.count; }
};

OpenIds openIds() {
  static const unsigned kKinds[5] = {H5F_OBJ_FILE, H5F_OBJ_GROUP, H5F_OBJ_DATASET, H5F_OBJ_ATTR,
                                     H5F_OBJ_DATATYPE};
  OpenIds ids;
  for (int k = 0; k < 5; ++k) {
    ids.count[k] = H5Fget_obj_count(H5F_OBJ_ALL, kKinds[k]);
    EXPECT_GE(ids.count[k], 0);
  }
  return ids;
}

std::string describe(const OpenIds& ids) {
  static const char* kNames[5] = {"files", "groups", "datasets", "attributes", "datatypes"};
  std::string s;
  for (int k = 0; k < 5; ++k) s += std::to_string(ids.count[k]) + " " + kNames[k] + "; ";
  return s;
}

// What reading one file gave.
struct Outcome {
  bool loaded = false;
  std::string error;  // the FormatError's message when refused
  BankData bank;
};

Outcome readBoth(const std::string& path) {
  Outcome o;
  try {
    const BankInfo info = readInfo(path);
    o.bank = readBank(path);
    EXPECT_EQ(info.pointCount(), o.bank.info.pointCount()) << path;
    o.loaded = true;
  } catch (const FormatError& e) {
    o.error = e.what();
  }
  return o;
}

Outcome readOnThread(const std::string& path) {
  Outcome o;
  std::thread t([&] { o = readBoth(path); });
  t.join();
  return o;
}

// What differs between two banks ("" when nothing does).
std::string difference(const BankData& a, const BankData& b) {
  std::string d;
  if (a.f32 != b.f32 || a.i16 != b.i16) d += "waveforms ";
  if (a.f0Hz != b.f0Hz || a.f0Source != b.f0Source) d += "f0 ";
  if (a.info.axes != b.info.axes || a.info.gridShape != b.info.gridShape) d += "axes ";
  if (a.info.scale != b.info.scale || a.info.sampleRate != b.info.sampleRate ||
      a.info.length != b.info.length || a.info.modelSha256 != b.info.modelSha256 ||
      a.info.createdBy != b.info.createdBy || a.info.createdAt != b.info.createdAt)
    d += "attributes ";
  if (a.projections.points != b.projections.points ||
      a.projections.family != b.projections.family ||
      a.projections.familyNames != b.projections.familyNames)
    d += "projections ";
  return d;
}

// The byte ranges of every waveform chunk in `path` (HDF5's chunk index), of /waveforms or
// of `name`.
std::vector<std::pair<haddr_t, hsize_t>> chunkRanges(const std::string& path,
                                                     const char* name = dataset::kWaveforms) {
  std::vector<std::pair<haddr_t, hsize_t>> ranges;
  H5::H5File f(path, H5F_ACC_RDONLY);
  H5::DataSet d = f.openDataSet(name);
  for (hsize_t p = 0; p < kPoints; ++p) {
    const hsize_t coord[2] = {p, 0};
    unsigned mask = 0;
    haddr_t addr = 0;
    hsize_t size = 0;
    EXPECT_GE(H5Dget_chunk_info_by_coord(d.getId(), coord, &mask, &addr, &size), 0);
    ranges.emplace_back(addr, size);
  }
  return ranges;
}

bool inChunk(const std::vector<std::pair<haddr_t, hsize_t>>& ranges, size_t at) {
  for (const auto& [addr, size] : ranges)
    if (at >= addr && at < addr + size) return true;
  return false;
}

// One damaged file and what the reader must do with it.
struct Case {
  std::string path;
  bool mayLoad = false;  // damage in bytes the reader may never use: loading the intact bank
                         // is then also right
  std::string error;     // when not empty: the exact message
};

// The damaged files, written into `tmp` from intact banks of both storages.
class DamagedBanks : public ::testing::Test {
 protected:
  void SetUp() override {
    for (StorageType storage : {StorageType::kFloat32, StorageType::kInt16}) {
      const std::string name = storageName(storage);
      const std::string intact = tmp_.file(name + ".h5");
      const BankData bank = fullBank(storage);
      writeBank(intact, bank, audioFor(bank.info));
      intact_[name] = readBank(intact);
      makeCases(name, intact);
    }
  }

  void add(const std::string& path, bool mayLoad = false, const std::string& error = {}) {
    cases_.push_back({path, mayLoad, error});
  }

  // A copy of `intact` changed through HDF5.
  std::string rewritten(const std::string& intact, const std::string& name,
                        const std::function<void(H5::H5File&)>& change) {
    const std::string path = tmp_.file(name);
    std::filesystem::copy_file(intact, path);
    H5::H5File f(path, H5F_ACC_RDWR);
    change(f);
    f.close();
    return path;
  }

  void makeCases(const std::string& storage, const std::string& intact) {
    const std::vector<char> bytes = readFile(intact);
    const auto chunks = chunkRanges(intact);
    std::mt19937 rng(storage == "float32" ? 1 : 2);
    const auto file = [&](const std::string& what) { return tmp_.file(storage + "-" + what); };

    // Truncated anywhere.
    for (size_t at :
         {size_t(0), size_t(1), size_t(8), size_t(40), size_t(47), size_t(48), size_t(100),
          size_t(1000), bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
      const std::string path = file("truncated" + std::to_string(at) + ".h5");
      writeFile(path, bytes.data(), at);
      add(path);
    }
    // Random bytes: alone, and after the intact file's first bytes (its superblock and
    // more), at the intact size so that HDF5 gets to parse them.
    for (int k = 0; k < 8; ++k) {
      const size_t keep = std::vector<size_t>{0, 0, 48, 48, 200, 800, 3000, bytes.size() / 2}[k];
      std::vector<char> b(k < 2 ? 5000 + 997 * k : bytes.size());
      for (char& c : b) c = char(rng());
      std::copy(bytes.begin(), bytes.begin() + std::min(keep, b.size()), b.begin());
      const std::string path = file("random" + std::to_string(k) + ".h5");
      writeFile(path, b.data(), b.size());
      add(path);
    }
    // Flipped bytes outside the waveform chunks (metadata, axes, f0, projections, and
    // space HDF5 leaves unused): one byte inverted per file.
    std::vector<size_t> header;
    for (size_t at = 0; at < bytes.size(); ++at)
      if (!inChunk(chunks, at)) header.push_back(at);
    for (int k = 0; k < 120; ++k) {
      const size_t at = k < 40 ? size_t(k) * 47 % std::min<size_t>(header.size(), 2000)
                               : header[rng() % header.size()];
      std::vector<char> b = bytes;
      b[header[std::min(at, header.size() - 1)]] ^= char(0xff);
      const std::string path = file("header" + std::to_string(k) + ".h5");
      writeFile(path, b.data(), b.size());
      add(path, /*mayLoad=*/true);
    }
    // Flipped bytes inside waveform chunks: always refused, naming the point.
    for (hsize_t p : {hsize_t(0), hsize_t(15), kPoints - 1}) {
      for (int flips : {1, 9}) {
        std::vector<char> b = bytes;
        for (int f = 0; f < flips; ++f)
          b[chunks[p].first + rng() % chunks[p].second] ^= char(1 << (rng() % 8));
        const std::string path =
            file("data" + std::to_string(p) + "x" + std::to_string(flips) + ".h5");
        writeFile(path, b.data(), b.size());
        std::string name = "point (0, 0, 0, 0)";
        if (p == 15) name = "point (1, 0, 1, 1)";
        if (p == kPoints - 1) name = "point (2, 2, 1, 1)";
        add(path, false,
            path + ": dataset waveforms, " + name +
                ": found a chunk that fails its checksum or cannot be read, expected the "
                "waveform as written (the file is damaged)");
      }
    }
    // Wrong types.
    const auto retype = [&](const std::string& what, const std::function<void(H5::H5File&)>& f,
                            const std::string& error) {
      const std::string path = rewritten(intact, storage + "-" + what + ".h5", f);
      add(path, false, path + ": " + error);
    };
    retype(
        "rate-string", [](H5::H5File& f) { writeString(f, attr::kSampleRate, "22050"); },
        "attribute sample_rate: found a string, expected an integer");
    retype(
        "shape-floats",
        [](H5::H5File& f) {
          h5::writeAttribute(f, attr::kGridShape, std::vector<double>{3, 3, 2, 2});
        },
        "attribute grid_shape: found a float, expected 4 integers");
    retype(
        "version-float", [](H5::H5File& f) { h5::writeAttribute(f, attr::kFormatVersion, 2.0); },
        "attribute format_version: found a float, expected an integer");
    retype(
        "axis-ints",
        [](H5::H5File& f) {
          f.unlink("axis2");
          const hsize_t n = 3;
          const int64_t v[3] = {-2, 0, 2};
          f.createDataSet("axis2", H5::PredType::STD_I64LE, H5::DataSpace(1, &n))
              .write(v, H5::PredType::NATIVE_INT64);
        },
        "dataset axis2: found another element type, expected numbers [3]");
    retype(
        "f0-ints",
        [](H5::H5File& f) {
          f.unlink(dataset::kF0);
          f.createDataSet(dataset::kF0, H5::PredType::STD_I32LE, H5::DataSpace(1, &kPoints));
        },
        "dataset f0: found another element type, expected float32 Hz, one per grid point, "
        "[36]");
    retype(
        "waveforms-other",
        [&](H5::H5File& f) {
          f.unlink(dataset::kWaveforms);
          const hsize_t shape[2] = {kPoints, kLength};
          f.createDataSet(dataset::kWaveforms,
                          storage == "int16" ? H5::PredType::IEEE_F32LE : H5::PredType::STD_I16LE,
                          H5::DataSpace(2, shape));
        },
        storage == "int16" ? "dataset waveforms: found floats of 4 bytes, expected int16 "
                             "samples, as attribute storage says"
                           : "dataset waveforms: found integers of 2 bytes, expected float32 "
                             "samples, as attribute storage says");
    retype(
        "settings-dataset",
        [](H5::H5File& f) {
          f.unlink(dataset::kAudioSettings);
          const hsize_t n = 1;
          f.createDataSet(dataset::kAudioSettings, H5::PredType::STD_I32LE, H5::DataSpace(1, &n));
        },
        "audio_settings: found not a group, expected a group");
    // Missing parts.
    retype(
        "no-waveforms", [](H5::H5File& f) { f.unlink(dataset::kWaveforms); },
        std::string("dataset waveforms: found nothing, expected ") + storage + " [36, 64]");
    retype(
        "no-axis3", [](H5::H5File& f) { f.unlink("axis3"); },
        "dataset axis3: found nothing, expected numbers [2]");
    retype(
        "no-f0", [](H5::H5File& f) { f.unlink(dataset::kF0); },
        "dataset f0: found nothing, expected float32 Hz, one per grid point, [36]");
    retype(
        "no-family", [](H5::H5File& f) { f.unlink("projections/family"); },
        "projections/family: found nothing, expected integers [3]");
    retype(
        "no-length", [](H5::H5File& f) { f.removeAttr(attr::kLength); },
        "attribute length: found nothing, expected an integer");
    const std::string noNfft = rewritten(intact, storage + "-no-n_fft.h5", [](H5::H5File& f) {
      f.openGroup(dataset::kAudioSettings).removeAttr("n_fft");
    });
    add(noNfft, false,
        noNfft + ": audio_settings: attribute n_fft: found nothing, expected an integer");
  }

  TempDir tmp_;
  std::map<std::string, BankData> intact_;
  std::vector<Case> cases_;
};

TEST_F(DamagedBanks, EachIsRefusedNamingTheFileAndLeavesNothingOpen) {
  const OpenIds baseline = openIds();
  int refused = 0, loaded = 0, byHdf5 = 0;
  for (bool thread : {false, true}) {
    for (const Case& c : cases_) {
      SCOPED_TRACE(c.path + (thread ? " (on another thread)" : ""));
      const Outcome o = thread ? readOnThread(c.path) : readBoth(c.path);
      if (o.loaded) {
        // Damage in bytes the reader never uses: the bank must be exactly the intact one.
        EXPECT_TRUE(c.mayLoad) << "loaded";
        const bool int16 = o.bank.info.storage == StorageType::kInt16;
        EXPECT_EQ(difference(o.bank, intact_.at(int16 ? "int16" : "float32")), "")
            << "loaded something other than the intact bank";
        ++loaded;
      } else {
        EXPECT_EQ(o.error.rfind(c.path + ": ", 0), 0u) << o.error;
        if (!c.error.empty()) {
          EXPECT_EQ(o.error, c.error);
        }
        byHdf5 += o.error.find("damaged or unreadable HDF5 structure") != std::string::npos;
        ++refused;
      }
      EXPECT_EQ(openIds(), baseline)
          << "now: " << describe(openIds()) << "before: " << describe(baseline);
      EXPECT_EQ(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL & ~H5F_OBJ_DATATYPE), 0);
      EXPECT_GT(baseline.count[4], 0);  // the predefined types: the count works
    }
  }
  // The cases reach HDF5's own error paths, not only the reader's checks.
  EXPECT_GT(byHdf5, 20);
  std::printf(
      "%zu damaged files, read on this thread and another: %d refused (%d by HDF5), "
      "%d loaded as intact\n",
      cases_.size(), refused, byHdf5, loaded);
}

// Run in a fresh process by the test below: reads the files named by WAE_DAMAGED_BANKS
// (separated by '|') on another thread, as the external's loader does, after preparing this
// thread as the external does (unless WAE_UNPREPARED is set, to see what HDF5 does without),
// then lets the process end.
// A version 3 bank: a noise part's chunk that fails its checksum is refused by its name and
// grid point, and nothing is left open.
TEST(DamagedNoisePart, IsRefusedNamingThePoint) {
  const TempDir tmp;
  BankData bank = fullBank(StorageType::kInt16);
  bank.info.noisePart = true;
  const std::vector<int16_t> harmonic = bank.i16;
  for (int16_t v : harmonic) bank.i16.push_back(int16_t(v / 4));
  const std::string intact = tmp.file("parts.h5");
  writeBank(intact, bank, audioFor(bank.info));
  EXPECT_EQ(readBank(intact).i16, bank.i16);
  const auto chunks = chunkRanges(intact, dataset::kNoise);
  std::vector<char> bytes = readFile(intact);
  bytes[chunks[15].first + chunks[15].second / 2] ^= char(0x10);
  const std::string path = tmp.file("noise15.h5");
  writeFile(path, bytes.data(), bytes.size());
  const OpenIds before = openIds();
  const Outcome o = readBoth(path);
  EXPECT_FALSE(o.loaded);
  EXPECT_EQ(o.error,
            path +
                ": dataset noise, point (1, 0, 1, 1): found a chunk that fails its checksum or "
                "cannot be read, expected the waveform as written (the file is damaged)");
  EXPECT_EQ(openIds(), before) << describe(openIds()) << describe(before);
}

TEST(DamagedBankChild, ReadOnAnotherThreadThenExit) {
  const char* paths = std::getenv("WAE_DAMAGED_BANKS");
  if (!paths) GTEST_SKIP() << "run by ExitAfterRefusalsOnAnotherThreadIsQuiet";
  if (!std::getenv("WAE_UNPREPARED")) prepareHdf5OnExitingThread();
  std::thread t([&] {
    std::string list = paths;
    for (size_t start = 0, end; start < list.size(); start = end + 1) {
      end = std::min(list.find('|', start), list.size());
      const Outcome o = readBoth(list.substr(start, end - start));
      std::printf("child: %s\n", o.loaded ? "loaded" : o.error.c_str());
    }
  });
  t.join();
}

TEST_F(DamagedBanks, ExitAfterRefusalsOnAnotherThreadIsQuiet) {
  // Every damaged file HDF5 itself refuses (inside its metadata code), read as in Pd.
  std::string paths;
  int count = 0;
  for (const Case& c : cases_) {
    if (readBoth(c.path).error.find("damaged or unreadable HDF5 structure") != std::string::npos) {
      paths += (count++ ? "|" : "") + c.path;
    }
  }
  ASSERT_GT(count, 20);
  // This test binary, run again for the child test alone (/proc/self/exe would name the
  // shell popen starts), without Bazel's test outputs, which belong to this process.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string cmd =
      "env -u TEST_PREMATURE_EXIT_FILE -u XML_OUTPUT_FILE "
      "-u TEST_SHARD_STATUS_FILE WAE_DAMAGED_BANKS='" +
      paths + "' '" + self + "' --gtest_filter=DamagedBankChild.* 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  size_t refused = 0;
  for (size_t at = 0;
       (at = out.find("damaged or unreadable HDF5 structure", at)) != std::string::npos; ++at)
    ++refused;
  EXPECT_EQ(refused, size_t(count)) << out;
  // Nothing from HDF5's shutdown ("HDF5: infinite loop closing library").
  EXPECT_EQ(out.find("HDF5:"), std::string::npos) << out;
}

}  // namespace
}  // namespace wae::bank

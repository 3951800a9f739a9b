#include "tools/bank/bake_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "bank/bank_writer.h"
#include "bank/schema.h"
#include "common/errors.h"
#include "common/h5_util.h"

namespace wae::bank {
namespace {

struct Difference {
  std::string field, a, b;
};

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::optional<Difference> firstDifference(const BankMeta& a, const BankMeta& b) {
  const BankInfo &x = a.info, &y = b.info;
  auto diff = [](std::string field, std::string u, std::string v) {
    return std::optional<Difference>(Difference{std::move(field), std::move(u), std::move(v)});
  };
  if (x.modelSha256 != y.modelSha256) return diff(attr::kModelSha256, x.modelSha256, y.modelSha256);
  if (x.sampleRate != y.sampleRate)
    return diff(attr::kSampleRate, std::to_string(x.sampleRate), std::to_string(y.sampleRate));
  if (x.length != y.length)
    return diff(attr::kLength, std::to_string(x.length), std::to_string(y.length));
  if (x.gridShape != y.gridShape)
    return diff(attr::kGridShape, formatShape(x.gridShape), formatShape(y.gridShape));
  for (int i = 0; i < kDims; ++i) {
    for (size_t k = 0; k < x.axes[i].size(); ++k)
      if (x.axes[i][k] != y.axes[i][k])
        return diff(std::string(dataset::kAxes[i]) + "[" + std::to_string(k) + "]",
                    num(x.axes[i][k]), num(y.axes[i][k]));
  }
  if (x.storage != y.storage)
    return diff("storage", storageName(x.storage), storageName(y.storage));
  if (x.levelInDb != y.levelInDb)
    return diff(attr::kLevelBlend, x.levelInDb ? kLevelBlendDb : kLevelBlendLinear,
                y.levelInDb ? kLevelBlendDb : kLevelBlendLinear);
  if (x.blendExponent != y.blendExponent)
    return diff(attr::kBlendExponent, num(x.blendExponent), num(y.blendExponent));
  if (x.noisePart != y.noisePart)
    return diff(dataset::kNoise, x.noisePart ? "present" : "absent",
                y.noisePart ? "present" : "absent");
  if (a.f0Source != b.f0Source)
    return diff(work::kF0Source, a.f0Source.empty() ? "none" : "\"" + a.f0Source + "\"",
                b.f0Source.empty() ? "none" : "\"" + b.f0Source + "\"");
  if (a.audio.has_value() != b.audio.has_value())
    return diff(dataset::kAudioSettings, a.audio ? "present" : "absent",
                b.audio ? "present" : "absent");
  if (a.audio) {
    const std::string m = describeMismatch(*b.audio, "b", *a.audio, "a");
    if (!m.empty()) return diff(dataset::kAudioSettings, m, "the same settings");
  }
  const Projections &p = a.projections, &q = b.projections;
  if (p.points.size() != q.points.size())
    return diff(dataset::kProjections, std::to_string(p.points.size()) + " points",
                std::to_string(q.points.size()) + " points");
  if (p.points != q.points || p.family != q.family || p.familyNames != q.familyNames)
    return diff(dataset::kProjections, "some values", "other values");
  return std::nullopt;
}

// The bits of +infinity: |x|'s bits read as an int32 are at least this for every x that is
// not finite, and order the finite ones as their values.
constexpr int32_t kInfinityBits = 0x7f800000;

// The bits of |x| as an int32.
inline int32_t absBitsOf(float x) {
  int32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & 0x7fffffff;
}

// max(peak, the largest |sample| as int32 bits) over n samples of one part (noise null) or of
// two parts, each part's and their sums' (what the int16 scale must cover: see
// quantizeInt16Noise), in one pass. By the bits, whose maximum needs no rule for NaN, in 16
// running maxima, which the compiler turns into vector operations (one running maximum it
// leaves one sample at a time: a reduction of int32 maxima needs more than x86-64's baseline;
// and std::max of an initializer list, a loop of its own, would stop it).
template <bool kParts>
int32_t peakBitsOf(const float* x, const float* noise, size_t n, int32_t peak) {
  auto bits = [&](size_t k) {
    if constexpr (kParts)
      return std::max(std::max(absBitsOf(x[k]), absBitsOf(noise[k])), absBitsOf(x[k] + noise[k]));
    return absBitsOf(x[k]);
  };
  constexpr size_t kLanes = 16;
  int32_t lane[kLanes];
  std::fill(lane, lane + kLanes, peak);
  size_t k = 0;
  for (; k + kLanes <= n; k += kLanes)
    for (size_t j = 0; j < kLanes; ++j) lane[j] = std::max(lane[j], bits(k + j));
  for (; k < n; ++k) peak = std::max(peak, bits(k));
  for (size_t j = 0; j < kLanes; ++j) peak = std::max(peak, lane[j]);
  return peak;
}

int32_t peakBits(const float* x, const float* noise, size_t n, int32_t peak = 0) {
  return noise ? peakBitsOf<true>(x, noise, n, peak) : peakBitsOf<false>(x, nullptr, n, peak);
}

float floatOfBits(int32_t bits) {
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

void checkH5(const std::string& path, const char* what, const H5::Exception& e) {
  throw std::runtime_error(path + ": cannot " + what + ": " + e.getDetailMsg());
}

}  // namespace

std::string bakeDifference(const BankMeta& a, const BankMeta& b) {
  const auto d = firstDifference(a, b);
  return d ? d->field + ": " + d->a + " vs " + d->b : "";
}

struct BakeFile::Impl {
  std::string path;
  BankMeta meta;
  Slice slice;
  std::vector<uint8_t> done;
  H5::H5File file;
  H5::DataSet waveforms, doneSet, f0Set;  // f0Set: a bake with pitch only
  H5::DataSet noise;                      // a bake of two parts only
  H5::DataSet peakSet;                    // absent in work files from before it
  bool hasPeak = false;

  static std::unique_ptr<Impl> open(const std::string& path, bool writable) {
    checkSuperblock(path);
    return translateH5Errors(path, [&] {
      h5::quietErrors();
      auto impl = std::make_unique<Impl>();
      impl->path = path;
      impl->file = H5::H5File(path, writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY);
      const H5::H5File& f = impl->file;
      impl->meta = readMeta(f, path);
      BankInfo& info = impl->meta.info;
      if (!f.nameExists(work::kDone))
        throw FormatError(path, std::string("dataset ") + work::kDone, "nothing",
                          "a bake in progress (this looks like a finished bank)");
      const std::string storage = readString(f, work::kStorage, path);
      const auto type = parseStorage(storage);
      if (!type)
        throw FormatError(path, std::string("attribute ") + work::kStorage, "\"" + storage + "\"",
                          "\"float32\" or \"int16\"");
      if (info.storage != StorageType::kFloat32)
        throw FormatError(path, std::string("attribute ") + attr::kStorage,
                          storageName(info.storage), "float32 in a bake in progress");
      info.storage = *type;
      const int64_t points = info.pointCount();
      const int64_t first = readInt(f, work::kFirstPoint, path);
      const int64_t count = readInt(f, work::kPointCount, path);
      if (first < 0 || count < 1 || first > points - count)
        throw FormatError(path, "attributes bake_first_point/bake_point_count",
                          std::to_string(first) + "/" + std::to_string(count),
                          "a slice of the " + std::to_string(points) + " grid points");
      impl->slice.first = first;
      impl->slice.count = count;
      const std::string shard = readString(f, work::kShard, path);
      int index = -1, n = -1;
      char tail = 0;
      if (std::sscanf(shard.c_str(), "%d/%d%c", &index, &n, &tail) != 2 || n < 1 || index < 0 ||
          index >= n)
        throw FormatError(path, std::string("attribute ") + work::kShard, "\"" + shard + "\"",
                          "\"i/n\" with 0 <= i < n");
      impl->slice.shardIndex = index;
      impl->slice.shardCount = n;
      checkWaveforms(f, path, count, info.length, StorageType::kFloat32);
      impl->waveforms = f.openDataSet(dataset::kWaveforms);
      // A work file has no f0 in its metadata (version 1); /noise marks a bake of two parts.
      info.noisePart = f.nameExists(dataset::kNoise);
      if (info.noisePart) {
        checkWaveforms(f, path, count, info.length, StorageType::kFloat32, dataset::kNoise);
        impl->noise = f.openDataSet(dataset::kNoise);
      }
      // A dataset of one value per point of the slice.
      auto openPerPoint = [&](const char* name) {
        const auto shape = h5::datasetShape(f, name, path);
        if (shape != std::vector<hsize_t>{hsize_t(count)})
          throw FormatError(path, std::string("dataset ") + name, "shape " + h5::shapeString(shape),
                            "shape [" + std::to_string(count) + "]");
        return f.openDataSet(name);
      };
      impl->doneSet = openPerPoint(work::kDone);
      if (f.attrExists(work::kF0Source)) {
        impl->meta.f0Source = readString(f, work::kF0Source, path);
        if (!isF0Source(impl->meta.f0Source))
          throw FormatError(path, std::string("attribute ") + work::kF0Source,
                            "\"" + impl->meta.f0Source + "\"",
                            "\"model\", \"estimated\" or \"analytic\"");
        impl->f0Set = openPerPoint(work::kF0);
      }
      impl->hasPeak = f.nameExists(work::kPeak);
      if (impl->hasPeak) impl->peakSet = openPerPoint(work::kPeak);
      impl->done.resize(count);
      impl->doneSet.read(impl->done.data(), H5::PredType::NATIVE_UINT8);
      return impl;
    });
  }

  // Points [first, first + count) of a float dataset of one value per point (f0, peak).
  void readPerPoint(const H5::DataSet& d, size_t first, size_t count, float* out) const {
    const hsize_t start = row(first, count), size = count;
    translateH5Errors(path, [&] {
      H5::DataSpace fileSpace = d.getSpace();
      fileSpace.selectHyperslab(H5S_SELECT_SET, &size, &start);
      d.read(out, H5::PredType::NATIVE_FLOAT, H5::DataSpace(1, &size), fileSpace);
    });
  }
  // The same, written (inside a caller's H5 error handling).
  void writePerPoint(H5::DataSet& d, hsize_t start, hsize_t size, const float* values) {
    H5::DataSpace fileSpace = d.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, &size, &start);
    d.write(values, H5::PredType::NATIVE_FLOAT, H5::DataSpace(1, &size), fileSpace);
  }

  hsize_t row(size_t first, size_t count) const {
    if (first < slice.first || first + count > slice.first + slice.count)
      throw std::out_of_range(path + ": points " + std::to_string(first) + ".." +
                              std::to_string(first + count - 1) + " outside the slice " +
                              std::to_string(slice.first) + ".." +
                              std::to_string(slice.first + slice.count - 1));
    return first - slice.first;
  }
};

BakeFile::BakeFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BakeFile::BakeFile(BakeFile&&) noexcept = default;
BakeFile& BakeFile::operator=(BakeFile&&) noexcept = default;
BakeFile::~BakeFile() = default;

BakeFile BakeFile::create(const std::string& path, const BankMeta& meta, const Slice& slice) {
  if (!meta.f0Source.empty() && !isF0Source(meta.f0Source))
    throw std::invalid_argument("f0_source \"" + meta.f0Source + "\" is not a known source");
  if (meta.info.noisePart && meta.f0Source.empty())
    throw std::invalid_argument("a bake of two parts needs pitch (an f0 source)");
  BankMeta work = meta;
  // The work file's f0 is its own dataset (a slice's, written point by point); writeMeta
  // writes none, nor the version 3 that a noise part needs pitch for: the work file's /noise
  // marks it.
  work.f0Hz.clear();
  work.f0Source.clear();
  work.info.noisePart = false;
  work.info.storage = StorageType::kFloat32;
  work.info.scale = 1.0f;
  work.info.createdAt = "";
  {
    BankWriter w(path, work,
                 BankWriter::Layout{slice.count, /*workFile=*/true, meta.info.noisePart});
    try {
      H5::H5File& f = w.file();
      h5::writeAttribute(f, work::kFirstPoint, int64_t(slice.first));
      h5::writeAttribute(f, work::kPointCount, int64_t(slice.count));
      writeString(f, work::kShard,
                  std::to_string(slice.shardIndex) + "/" + std::to_string(slice.shardCount));
      writeString(f, work::kStorage, storageName(meta.info.storage));
      // Datasets of one value per point, placed now and filled with zeros (not done, no f0,
      // no peak).
      const hsize_t n = slice.count;
      auto createPerPoint = [&](const char* name, const H5::PredType& fileType,
                                const H5::PredType& memType) {
        H5::DSetCreatPropList create;
        H5Pset_alloc_time(create.getId(), H5D_ALLOC_TIME_EARLY);
        const double zero = 0;  // read as memType: 8 bytes of zeros are a zero of either type
        create.setFillValue(memType, &zero);
        H5Pset_fill_time(create.getId(), H5D_FILL_TIME_ALLOC);
        f.createDataSet(name, fileType, H5::DataSpace(1, &n), create);
      };
      createPerPoint(work::kDone, H5::PredType::STD_U8LE, H5::PredType::NATIVE_UINT8);
      createPerPoint(work::kPeak, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT);
      if (!meta.f0Source.empty()) {
        writeString(f, work::kF0Source, meta.f0Source);
        createPerPoint(work::kF0, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT);
      }
    } catch (const H5::Exception& e) {
      checkH5(path, "create the bake's work file", e);
    }
    w.close();
  }
  return BakeFile(Impl::open(path, true));
}

BakeFile BakeFile::resume(const std::string& path, const BankMeta& meta, const Slice& slice) {
  auto impl = Impl::open(path, true);
  BankMeta want = meta;
  if (const auto d = firstDifference(impl->meta, want))
    throw FormatError(path, d->field, d->a,
                      d->b + " (another bake: delete the file or bake without --resume)");
  const Slice& s = impl->slice;
  if (s.first != slice.first || s.count != slice.count || s.shardIndex != slice.shardIndex ||
      s.shardCount != slice.shardCount)
    throw FormatError(path, "slice",
                      "shard " + std::to_string(s.shardIndex) + "/" + std::to_string(s.shardCount) +
                          ", points " + std::to_string(s.first) + "+" + std::to_string(s.count),
                      "shard " + std::to_string(slice.shardIndex) + "/" +
                          std::to_string(slice.shardCount) + ", points " +
                          std::to_string(slice.first) + "+" + std::to_string(slice.count));
  return BakeFile(std::move(impl));
}

BakeFile BakeFile::open(const std::string& path) { return BakeFile(Impl::open(path, false)); }

const std::string& BakeFile::path() const { return impl_->path; }
const BankMeta& BakeFile::meta() const { return impl_->meta; }
const Slice& BakeFile::slice() const { return impl_->slice; }
const std::vector<uint8_t>& BakeFile::done() const { return impl_->done; }
bool BakeFile::hasF0() const { return !impl_->meta.f0Source.empty(); }
bool BakeFile::hasNoise() const { return impl_->meta.info.noisePart; }
size_t BakeFile::doneCount() const {
  return std::count(impl_->done.begin(), impl_->done.end(), uint8_t{1});
}

void BakeFile::writeDone(size_t first, size_t count, const float* samples, const float* f0Hz,
                         const float* noise) {
  if (count == 0) return;
  Impl& m = *impl_;
  const hsize_t row = m.row(first, count);
  if (hasF0() && f0Hz == nullptr)
    throw std::invalid_argument(m.path + ": a bake with pitch needs each point's f0");
  if (hasNoise() && noise == nullptr)
    throw std::invalid_argument(m.path + ": a bake of two parts needs each point's noise part");
  try {
    const hsize_t start[2] = {row, 0}, size[2] = {count, hsize_t(m.meta.info.length)};
    H5::DataSpace fileSpace = m.waveforms.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, size, start);
    m.waveforms.write(samples, H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, size), fileSpace);
    if (hasNoise())
      m.noise.write(noise, H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, size), fileSpace);
    if (m.hasPeak) {
      const size_t length = m.meta.info.length;
      std::vector<float> peaks(count);
      for (size_t j = 0; j < count; ++j) {
        peaks[j] = floatOfBits(
            peakBits(samples + j * length, hasNoise() ? noise + j * length : nullptr, length));
      }
      m.writePerPoint(m.peakSet, start[0], size[0], peaks.data());
    }
    if (hasF0()) m.writePerPoint(m.f0Set, start[0], size[0], f0Hz);
    // Samples, noise, peaks and f0 reach the file before their flags: a kill in between loses only
    // the flags.
    m.file.flush(H5F_SCOPE_GLOBAL);
    const std::vector<uint8_t> ones(count, 1);
    H5::DataSpace doneSpace = m.doneSet.getSpace();
    doneSpace.selectHyperslab(H5S_SELECT_SET, &size[0], &start[0]);
    m.doneSet.write(ones.data(), H5::PredType::NATIVE_UINT8, H5::DataSpace(1, &size[0]), doneSpace);
    m.file.flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& e) {
    checkH5(m.path, "write waveforms", e);
  }
  std::fill(m.done.begin() + row, m.done.begin() + row + count, uint8_t{1});
}

void BakeFile::read(size_t first, size_t count, float* out, bool noise) const {
  const Impl& m = *impl_;
  if (noise && !hasNoise()) throw std::logic_error(m.path + ": a bake of one part has no noise");
  if (count == 0) return;
  const hsize_t row = m.row(first, count);
  translateH5Errors(m.path, [&] {
    const hsize_t start[2] = {row, 0}, size[2] = {count, hsize_t(m.meta.info.length)};
    const H5::DataSet& d = noise ? m.noise : m.waveforms;
    H5::DataSpace fileSpace = d.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, size, start);
    d.read(out, H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, size), fileSpace);
  });
}

void BakeFile::readF0(size_t first, size_t count, float* out) const {
  const Impl& m = *impl_;
  if (!hasF0()) throw std::logic_error(m.path + ": a bake without pitch has no f0");
  if (count == 0) return;
  m.readPerPoint(m.f0Set, first, count, out);
}

bool BakeFile::hasPeaks() const { return impl_->hasPeak; }

void BakeFile::readPeaks(size_t first, size_t count, float* out) const {
  const Impl& m = *impl_;
  if (!m.hasPeak) throw std::logic_error(m.path + ": a work file from before peaks has none");
  if (count == 0) return;
  m.readPerPoint(m.peakSet, first, count, out);
}

void BakeFile::close() {
  try {
    impl_->waveforms.close();
    if (hasNoise()) impl_->noise.close();
    if (impl_->hasPeak) impl_->peakSet.close();
    impl_->doneSet.close();
    if (hasF0()) impl_->f0Set.close();
    impl_->file.close();
  } catch (const H5::Exception& e) {
    checkH5(impl_->path, "close", e);
  }
}

namespace {

void requireComplete(const BakeFile& f) {
  if (f.doneCount() != f.slice().count)
    throw FormatError(
        f.path(), std::string("dataset ") + work::kDone,
        std::to_string(f.doneCount()) + " of " + std::to_string(f.slice().count) + " points baked",
        "all of them (finish it with bake_bank --resume)");
}

// Throws FormatError naming the work file, the first point of the block [p, p + n) with a
// sample (of a part, or of the parts' sum) that is not finite, and the sample.
[[noreturn]] void refuseNotFinite(const BakeFile& f, size_t p, size_t n, size_t length,
                                  const std::vector<float>& harmonic,
                                  const std::vector<float>& noise, bool parts) {
  for (size_t j = 0; j < n; ++j)
    for (size_t t = 0; t < length; ++t) {
      const size_t k = j * length + t;
      const float h = harmonic[k], x = parts ? noise[k] : 0.0f;
      if (std::isfinite(h) && std::isfinite(x) && std::isfinite(h + x)) continue;
      throw FormatError(
          f.path(),
          std::string("dataset ") + (std::isfinite(h) ? dataset::kNoise : dataset::kWaveforms) +
              "[" + std::to_string(p + j - f.slice().first) + "][" + std::to_string(t) + "]",
          num(std::isfinite(h) ? x : h), "a finite sample");
    }
  throw std::logic_error("refuseNotFinite: every sample is finite");
}

void renameOnto(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) throw std::runtime_error("cannot rename " + from + " to " + to + ": " + ec.message());
}

}  // namespace

float pointPeak(const float* harmonic, const float* noise, size_t n) {
  return floatOfBits(peakBits(harmonic, noise, n));
}

void finishBank(const std::vector<std::string>& workFiles, const std::string& outPath,
                const std::string& tempPath, const std::string& createdAt, size_t blockBytes) {
  if (workFiles.empty()) throw std::invalid_argument("finishBank: no work files");
  std::vector<BakeFile> files;
  for (const auto& p : workFiles) files.push_back(BakeFile::open(p));
  const BankMeta& base = files[0].meta();
  for (size_t k = 1; k < files.size(); ++k)
    if (const auto d = firstDifference(files[k].meta(), base))
      throw FormatError(files[k].path(), d->field, d->a,
                        d->b + " as in " + files[0].path() + " (shards of another bake)");
  std::sort(files.begin(), files.end(),
            [](const BakeFile& a, const BakeFile& b) { return a.slice().first < b.slice().first; });
  const size_t points = base.info.pointCount();
  size_t next = 0;
  for (const BakeFile& f : files) {
    if (f.slice().first != next)
      throw FormatError(f.path(), "attribute bake_first_point", std::to_string(f.slice().first),
                        std::to_string(next) + " (the shards must cover the grid once, in order)");
    next += f.slice().count;
    requireComplete(f);
  }
  if (next != points)
    throw FormatError(files.back().path(), "slices", "points 0.." + std::to_string(next - 1),
                      "all " + std::to_string(points) + " grid points (a shard is missing)");

  const size_t length = base.info.length;
  const size_t block = std::max<size_t>(1, blockBytes / (length * sizeof(float)));
  std::vector<float> buf(block * length);
  // Every block of points: visit(work file, first point, points) with their waveforms
  // (harmonic parts) in buf and, with noise parts, their noise parts in noise.
  const bool parts = base.info.noisePart;
  std::vector<float> noise(parts ? buf.size() : 0);
  auto forEachBlock = [&](auto&& visit) {
    for (const BakeFile& f : files)
      for (size_t p = f.slice().first; p < f.slice().first + f.slice().count; p += block) {
        const size_t n = std::min(block, f.slice().first + f.slice().count - p);
        f.read(p, n, buf.data());
        if (parts) f.read(p, n, noise.data(), /*noise=*/true);
        visit(f, p, n);
      }
  };
  BankMeta meta = base;
  if (!meta.f0Source.empty()) {
    meta.f0Hz.resize(points);
    const float nyquist = 0.5f * float(meta.info.sampleRate);
    for (const BakeFile& f : files) {
      const size_t first = f.slice().first;
      f.readF0(first, f.slice().count, meta.f0Hz.data() + first);
      for (size_t p = first; p < first + f.slice().count; ++p)
        if (!(meta.f0Hz[p] >= 0.0f && meta.f0Hz[p] < nyquist))
          throw FormatError(
              f.path(), std::string("dataset ") + work::kF0 + "[" + std::to_string(p - first) + "]",
              num(meta.f0Hz[p]), "a frequency in Hz from 0 (unpitched) to below " + num(nyquist));
    }
  }
  meta.info.createdAt = createdAt;
  meta.info.scale = 1.0f;
  // Each point's int16 scale (format 4): from the peaks recorded with the samples, or from
  // the samples (work files from before the peaks; a peak that is not finite, to name the
  // sample).
  const bool int16 = meta.info.storage == StorageType::kInt16;
  std::vector<int32_t> peak(int16 ? points : 0);  // each point's, as bits (peakBits)
  bool recorded = int16 && std::all_of(files.begin(), files.end(),
                                       [](const BakeFile& f) { return f.hasPeaks(); });
  if (recorded) {
    std::vector<float> peaks;
    for (const BakeFile& f : files) {
      peaks.resize(f.slice().count);
      f.readPeaks(f.slice().first, f.slice().count, peaks.data());
      for (size_t j = 0; j < peaks.size(); ++j)
        peak[f.slice().first + j] = peakBits(peaks.data() + j, nullptr, 1);
    }
    recorded = std::all_of(peak.begin(), peak.end(), [](int32_t b) { return b < kInfinityBits; });
  }
  // Point j of the block at p: its peak, refusing a sample that is not finite.
  auto pointPeak = [&](const BakeFile& f, size_t p, size_t n, size_t j) {
    const int32_t found =
        peakBits(buf.data() + j * length, parts ? noise.data() + j * length : nullptr, length);
    if (found >= kInfinityBits) refuseNotFinite(f, p, n, length, buf, noise, parts);
    return found;
  };
  if (int16 && !recorded) {
    forEachBlock([&](const BakeFile& f, size_t p, size_t n) {
      for (size_t j = 0; j < n; ++j) peak[p + j] = pointPeak(f, p, n, j);
    });
  }
  if (int16) {
    meta.info.pointScale.resize(points);
    for (size_t p = 0; p < points; ++p) meta.info.pointScale[p] = int16Scale(floatOfBits(peak[p]));
  }
  BankWriter w(tempPath, meta);
  try {
    forEachBlock([&](const BakeFile& f, size_t p, size_t n) {
      // Every sample checked once: here unless the scales' pass read them. Samples above
      // their point's recorded peak (a damaged work file) would be clipped: refused.
      if (!int16 || recorded) {
        for (size_t j = 0; j < n; ++j) {
          const int32_t found = pointPeak(f, p, n, j);
          if (recorded && found > peak[p + j])
            throw FormatError(f.path(),
                              std::string("dataset ") + work::kPeak + "[" +
                                  std::to_string(p + j - f.slice().first) + "]",
                              num(floatOfBits(peak[p + j])),
                              "at least the point's largest |sample|, " + num(floatOfBits(found)));
        }
      }
      w.write(p, n, buf.data());
      if (parts) w.writeNoise(p, n, noise.data(), buf.data());
    });
  } catch (...) {
    std::error_code ignored;  // a half-written bank is not left behind
    std::filesystem::remove(tempPath, ignored);
    throw;
  }
  w.close();
  renameOnto(tempPath, outPath);
}

}  // namespace wae::bank

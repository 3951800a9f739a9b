#include "bank/bank_h5.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <type_traits>

#include "bank/schema.h"
#include "common/errors.h"
#include "common/h5_util.h"

namespace wae::bank {
namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string inQuotes(const std::string& s) { return "\"" + s + "\""; }

std::string attrField(const char* name) { return std::string("attribute ") + name; }

// Opens attribute `name` and checks it holds `count` values of class `cls`, each at most
// `maxSize` bytes, before anything is read or allocated. `expected` describes it.
H5::Attribute openAttr(const H5::H5Object& obj, const std::string& name, const std::string& path,
                       H5T_class_t cls, hssize_t count, size_t maxSize,
                       const std::string& expected) {
  const std::string field = "attribute " + name;
  if (!obj.attrExists(name)) throw FormatError(path, field, "nothing", expected);
  H5::Attribute a = obj.openAttribute(name);
  const H5T_class_t got = a.getTypeClass();
  if (got != cls && !(cls == H5T_FLOAT && got == H5T_INTEGER))
    throw FormatError(path, field,
                      got == H5T_INTEGER  ? "an integer"
                      : got == H5T_FLOAT  ? "a float"
                      : got == H5T_STRING ? "a string"
                                          : "another type",
                      expected);
  const H5::DataSpace space = a.getSpace();
  const hssize_t n = space.getSimpleExtentNpoints();
  if (n != count) throw FormatError(path, field, std::to_string(n) + " values", expected);
  const size_t size = a.getDataType().getSize();
  if (size == 0 || size > maxSize)
    throw FormatError(path, field, "elements of " + std::to_string(size) + " bytes",
                      expected + " of at most " + std::to_string(maxSize) + " bytes");
  return a;
}

int readBoundedInt(const H5::H5Object& obj, const char* name, const std::string& path, int64_t min,
                   int64_t max) {
  const int64_t v = readInt(obj, name, path);
  if (v < min || v > max)
    throw FormatError(path, attrField(name), std::to_string(v),
                      "an integer in " + std::to_string(min) + ".." + std::to_string(max));
  return static_cast<int>(v);
}

H5::StrType fixedString(size_t size) {
  H5::StrType t(H5::PredType::C_S1, std::max<size_t>(size, 1));
  t.setCset(H5T_CSET_UTF8);
  t.setStrpad(H5T_STR_NULLPAD);
  return t;
}

// A small dataset written whole, as one chunk with HDF5's Fletcher-32 checksum (verified by
// HDF5 on every read), so that damage to an axis, the pitch or the projections is refused
// rather than read as other values: unlike the metadata, raw data carries no checksum of its
// own. Shapes are never empty here.
void writeDataset(H5::Group& g, const std::string& name, const H5::PredType& fileType,
                  const H5::PredType& memType, const std::vector<hsize_t>& shape,
                  const void* data) {
  H5::DSetCreatPropList create;
  create.setChunk(int(shape.size()), shape.data());
  create.setFletcher32();
  H5::DataSet d =
      g.createDataSet(name, fileType, H5::DataSpace(int(shape.size()), shape.data()), create);
  d.write(data, memType);
}

// Checks dataset `name` of `group` has shape `want` and type class `cls`; `what` describes it.
H5::DataSet openChecked(const H5::Group& group, const std::string& name, const std::string& field,
                        const std::string& path, const std::vector<hsize_t>& want, H5T_class_t cls,
                        const std::string& what) {
  if (!group.nameExists(name) || group.childObjType(name) != H5O_TYPE_DATASET)
    throw FormatError(path, field, "nothing", what + " " + h5::shapeString(want));
  H5::DataSet d = group.openDataSet(name);
  const H5::DataSpace space = d.getSpace();
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> shape(rank > 0 ? rank : 0);
  if (rank > 0) space.getSimpleExtentDims(shape.data());
  if (shape != want)
    throw FormatError(path, field, "shape " + h5::shapeString(shape),
                      "shape " + h5::shapeString(want));
  if (d.getTypeClass() != cls)
    throw FormatError(path, field, "another element type", what + " " + h5::shapeString(want));
  const size_t size = d.getDataType().getSize();
  if (cls != H5T_STRING && (size == 0 || size > 8))
    throw FormatError(path, field, "elements of " + std::to_string(size) + " bytes",
                      what + " of at most 8 bytes");
  return d;
}

bool isLowerHex(const std::string& s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

uint64_t littleEndian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

void writeString(H5::H5Object& obj, const std::string& name, const std::string& value) {
  if (value.size() > kMaxStringBytes)
    throw std::invalid_argument("attribute " + name + ": " + std::to_string(value.size()) +
                                " bytes, more than a bank stores");
  if (obj.attrExists(name)) obj.removeAttr(name);
  const H5::StrType type = fixedString(value.size());
  std::vector<char> buf(type.getSize(), '\0');
  std::copy(value.begin(), value.end(), buf.begin());
  obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, buf.data());
}

std::string readString(const H5::H5Object& obj, const std::string& name, const std::string& path) {
  const H5::Attribute a = openAttr(obj, name, path, H5T_STRING, 1, kMaxStringBytes, "a string");
  if (a.getStrType().isVariableStr())
    throw FormatError(path, "attribute " + name, "a variable-length string",
                      "a fixed-length string");
  const H5::StrType type = fixedString(a.getDataType().getSize());
  std::vector<char> buf(type.getSize() + 1, '\0');
  a.read(type, buf.data());
  return std::string(buf.data());
}

int64_t readInt(const H5::H5Object& obj, const std::string& name, const std::string& path) {
  int64_t v = 0;
  openAttr(obj, name, path, H5T_INTEGER, 1, 8, "an integer").read(H5::PredType::NATIVE_INT64, &v);
  return v;
}

double readDouble(const H5::H5Object& obj, const std::string& name, const std::string& path) {
  double v = 0;
  openAttr(obj, name, path, H5T_FLOAT, 1, 8, "a number").read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

std::vector<int64_t> readInts(const H5::H5Object& obj, const std::string& name,
                              const std::string& path, size_t count) {
  std::vector<int64_t> v(count);
  openAttr(obj, name, path, H5T_INTEGER, count, 8, std::to_string(count) + " integers")
      .read(H5::PredType::NATIVE_INT64, v.data());
  return v;
}

std::vector<double> readDoubles(const H5::H5Object& obj, const std::string& name,
                                const std::string& path, size_t count) {
  std::vector<double> v(count);
  openAttr(obj, name, path, H5T_FLOAT, count, 8, std::to_string(count) + " numbers")
      .read(H5::PredType::NATIVE_DOUBLE, v.data());
  return v;
}

std::string formatShape(const std::array<int, kDims>& shape) {
  std::string s = "[";
  for (int i = 0; i < kDims; ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

void writeMeta(H5::H5File& file, const BankMeta& meta) {
  const BankInfo& info = meta.info;
  writeString(file, attr::kFormat, std::string(kFormatName));
  const bool pitched = !meta.f0Hz.empty();
  if (pitched && meta.f0Hz.size() != info.pointCount())
    throw std::invalid_argument("f0: " + std::to_string(meta.f0Hz.size()) + " values for " +
                                std::to_string(info.pointCount()) + " grid points");
  if (pitched && !isF0Source(meta.f0Source))
    throw std::invalid_argument("f0_source \"" + meta.f0Source + "\" is not a known source");
  if (info.noisePart && !pitched)
    throw std::invalid_argument("a bank with a noise part needs each point's f0 (format 3)");
  const bool pointScales = !info.pointScale.empty();
  if (pointScales && info.storage != StorageType::kInt16)
    throw std::invalid_argument("per-point scales are for int16 storage only (format 4)");
  if (pointScales && info.pointScale.size() != info.pointCount())
    throw std::invalid_argument("point_scale: " + std::to_string(info.pointScale.size()) +
                                " values for " + std::to_string(info.pointCount()) +
                                " grid points");
  if (!(info.blendExponent >= kMinBlendExponent && info.blendExponent <= kMaxBlendExponent))
    throw std::invalid_argument("blend_exponent: " + num(info.blendExponent) + " is not in " +
                                num(kMinBlendExponent) + ".." + num(kMaxBlendExponent));
  float largest = 0.0f;
  for (float s : info.pointScale) {
    if (!(s >= std::numeric_limits<float>::min() && s <= 1e6f))
      throw std::invalid_argument("point_scale: " + num(s) + " is not in 1.2e-38..1e6");
    largest = std::max(largest, s);
  }
  h5::writeAttribute(file, attr::kFormatVersion,
                     int64_t{pointScales      ? 4
                             : info.noisePart ? 3
                             : pitched        ? 2
                                              : kOldestFormatVersion});
  if (pointScales)
    writeDataset(file, dataset::kPointScale, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT,
                 {info.pointScale.size()}, info.pointScale.data());
  if (pitched) {
    writeString(file, attr::kF0Source, meta.f0Source);
    writeDataset(file, dataset::kF0, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT,
                 {meta.f0Hz.size()}, meta.f0Hz.data());
  }
  h5::writeAttribute(file, attr::kSampleRate, int64_t{info.sampleRate});
  h5::writeAttribute(file, attr::kLength, int64_t{info.length});
  std::vector<int64_t> shape(info.gridShape.begin(), info.gridShape.end());
  h5::writeAttribute(file, attr::kGridShape, shape);
  std::vector<double> lo, hi;
  for (int i = 0; i < kDims; ++i) {
    lo.push_back(info.axes[i].front());
    hi.push_back(info.axes[i].back());
  }
  h5::writeAttribute(file, attr::kAxisMin, lo);
  h5::writeAttribute(file, attr::kAxisMax, hi);
  writeString(file, attr::kStorage, std::string(storageName(info.storage)));
  h5::writeAttribute(file, attr::kScale, double{pointScales ? largest : info.scale});
  writeString(file, attr::kModelSha256, info.modelSha256);
  writeString(file, attr::kCreatedBy, info.createdBy);
  writeString(file, attr::kCreatedAt, info.createdAt);
  writeString(file, attr::kLevelBlend, info.levelInDb ? kLevelBlendDb : kLevelBlendLinear);
  h5::writeAttribute(file, attr::kBlendExponent, info.blendExponent);
  for (int i = 0; i < kDims; ++i)
    writeDataset(file, dataset::kAxes[i], H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE,
                 {info.axes[i].size()}, info.axes[i].data());
  if (meta.audio) {
    H5::Group g = file.createGroup(dataset::kAudioSettings);
    visitFields(*meta.audio, [&](const char* name, const auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, int>)
        h5::writeAttribute(g, name, int64_t{v});
      else if constexpr (std::is_same_v<T, double>)
        h5::writeAttribute(g, name, v);
      else
        writeString(g, name, v);
    });
  }
  const Projections& p = meta.projections;
  if (!p.points.empty()) {
    H5::Group g = file.createGroup(dataset::kProjections);
    const hsize_t n = p.points.size();
    writeDataset(g, dataset::kProjectionPoints, H5::PredType::IEEE_F32LE,
                 H5::PredType::NATIVE_FLOAT, {n, hsize_t{kDims}}, p.points.data());
    std::vector<int32_t> family(p.family.begin(), p.family.end());
    family.resize(n, -1);
    writeDataset(g, dataset::kProjectionFamily, H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32,
                 {n}, family.data());
    size_t longest = 1;
    for (const auto& name : p.familyNames) longest = std::max(longest, name.size());
    const H5::StrType type = fixedString(longest);
    std::vector<char> names(p.familyNames.size() * longest, '\0');
    for (size_t k = 0; k < p.familyNames.size(); ++k)
      std::copy(p.familyNames[k].begin(), p.familyNames[k].end(), names.begin() + k * longest);
    const hsize_t f = p.familyNames.size();
    H5::DSetCreatPropList create;  // checksummed as writeDataset's, when not empty
    if (f > 0) {
      create.setChunk(1, &f);
      create.setFletcher32();
    }
    H5::DataSet d =
        g.createDataSet(dataset::kProjectionFamilyNames, type, H5::DataSpace(1, &f), create);
    if (f > 0) d.write(names.data(), type);
  }
}

BankMeta readMeta(const H5::H5File& file, const std::string& path) {
  BankMeta meta;
  BankInfo& info = meta.info;
  const std::string format = readString(file, attr::kFormat, path);
  if (format != kFormatName)
    throw FormatError(path, attrField(attr::kFormat), inQuotes(format), inQuotes(kFormatName));
  const int64_t version = readInt(file, attr::kFormatVersion, path);
  if (version < kOldestFormatVersion || version > kFormatVersion)
    throw FormatError(path, attrField(attr::kFormatVersion), std::to_string(version),
                      std::to_string(kOldestFormatVersion) + ".." + std::to_string(kFormatVersion));
  meta.formatVersion = static_cast<int>(version);
  // Up to version 3 the version says what the bank has; from 4 its datasets do.
  const bool pitched = version == 4 ? file.nameExists(dataset::kF0) : version >= 2;
  info.noisePart = version == 4 ? file.nameExists(dataset::kNoise) : version >= 3;
  if (info.noisePart && !pitched)
    throw FormatError(path, std::string("dataset ") + dataset::kF0, "nothing",
                      "each point's f0, which a bank with /noise needs");
  if (file.attrExists(attr::kLevelBlend)) {
    const std::string blend = readString(file, attr::kLevelBlend, path);
    if (blend != kLevelBlendDb && blend != kLevelBlendLinear)
      throw FormatError(path, attrField(attr::kLevelBlend), inQuotes(blend),
                        inQuotes(kLevelBlendDb) + " or " + inQuotes(kLevelBlendLinear));
    info.levelInDb = blend == kLevelBlendDb;
  }
  if (file.attrExists(attr::kBlendExponent)) {
    const double e = readDouble(file, attr::kBlendExponent, path);
    if (!(e >= kMinBlendExponent && e <= kMaxBlendExponent))
      throw FormatError(
          path, attrField(attr::kBlendExponent), num(e),
          "a number from " + num(kMinBlendExponent) + " to " + num(kMaxBlendExponent));
    info.blendExponent = e;
  }
  info.sampleRate = readBoundedInt(file, attr::kSampleRate, path, kMinSampleRate, kMaxSampleRate);
  info.length = readBoundedInt(file, attr::kLength, path, kMinLength, kMaxLength);

  const std::vector<int64_t> shape = readInts(file, attr::kGridShape, path, kDims);
  for (int i = 0; i < kDims; ++i) {
    if (shape[i] < kMinAxisPoints || shape[i] > kMaxAxisPoints) {
      std::string found = "[";
      for (int k = 0; k < kDims; ++k) found += (k ? ", " : "") + std::to_string(shape[k]);
      throw FormatError(path, attrField(attr::kGridShape), found + "]",
                        "4 integers in " + std::to_string(kMinAxisPoints) + ".." +
                            std::to_string(kMaxAxisPoints));
    }
    info.gridShape[i] = static_cast<int>(shape[i]);
  }
  const std::vector<double> lo = readDoubles(file, attr::kAxisMin, path, kDims);
  const std::vector<double> hi = readDoubles(file, attr::kAxisMax, path, kDims);
  for (int i = 0; i < kDims; ++i) {
    if (!std::isfinite(lo[i]) || !std::isfinite(hi[i]) || !(lo[i] < hi[i]))
      throw FormatError(path,
                        std::string("attributes axis_min/axis_max, axis ") + std::to_string(i + 1),
                        num(lo[i]) + " to " + num(hi[i]), "finite values, min < max");
  }

  for (int i = 0; i < kDims; ++i) {
    const std::string name = dataset::kAxes[i];
    const hsize_t g = info.gridShape[i];
    H5::DataSet d = openChecked(file, name, "dataset " + name, path, {g}, H5T_FLOAT, "numbers");
    std::vector<double>& axis = info.axes[i];
    axis.resize(g);
    d.read(axis.data(), H5::PredType::NATIVE_DOUBLE);
    for (hsize_t k = 0; k < g; ++k) {
      if (!std::isfinite(axis[k]) || (k > 0 && !(axis[k] > axis[k - 1])))
        throw FormatError(path, "dataset " + name + "[" + std::to_string(k) + "]",
                          num(axis[k]) + (k > 0 ? " after " + num(axis[k - 1]) : ""),
                          "finite, strictly increasing coordinates");
    }
    const double tol = 1e-9 * (hi[i] - lo[i]);
    if (std::fabs(axis.front() - lo[i]) > tol || std::fabs(axis.back() - hi[i]) > tol)
      throw FormatError(path, "dataset " + name,
                        "coordinates from " + num(axis.front()) + " to " + num(axis.back()),
                        "from axis_min " + num(lo[i]) + " to axis_max " + num(hi[i]));
  }

  const std::string storage = readString(file, attr::kStorage, path);
  const auto type = parseStorage(storage);
  if (!type)
    throw FormatError(path, attrField(attr::kStorage), inQuotes(storage),
                      inQuotes(kStorageFloat32) + " or " + inQuotes(kStorageInt16));
  info.storage = *type;
  const double scale = readDouble(file, attr::kScale, path);
  if (info.storage == StorageType::kFloat32 && scale != 1.0)
    throw FormatError(path, attrField(attr::kScale), num(scale), "1 for float32 storage");
  if (!(scale >= std::numeric_limits<float>::min() && scale <= 1e6))
    throw FormatError(path, attrField(attr::kScale), num(scale), "a number in 1.2e-38..1e6");
  info.scale = static_cast<float>(scale);
  if (version == 4) {
    const std::string field = std::string("dataset ") + dataset::kPointScale;
    if (info.storage != StorageType::kInt16)
      throw FormatError(path, attrField(attr::kStorage), inQuotes(storage),
                        inQuotes(kStorageInt16) + " (format version 4)");
    const hsize_t n = info.pointCount();
    H5::DataSet d = openChecked(file, dataset::kPointScale, field, path, {n}, H5T_FLOAT,
                                "float32, one per grid point,");
    info.pointScale.resize(n);
    d.read(info.pointScale.data(), H5::PredType::NATIVE_FLOAT);
    for (hsize_t k = 0; k < n; ++k) {
      const float s = info.pointScale[k];
      if (!(s >= std::numeric_limits<float>::min() && s <= info.scale))
        throw FormatError(path, field + "[" + std::to_string(k) + "]", num(s),
                          "a scale in 1.2e-38.." + num(info.scale) + " (attribute scale)");
    }
  }

  info.modelSha256 = readString(file, attr::kModelSha256, path);
  if (info.modelSha256.size() != kSha256HexLength || !isLowerHex(info.modelSha256))
    throw FormatError(path, attrField(attr::kModelSha256), inQuotes(info.modelSha256),
                      "64 lowercase hexadecimal digits");
  info.createdBy = readString(file, attr::kCreatedBy, path);
  info.createdAt = readString(file, attr::kCreatedAt, path);

  if (file.nameExists(dataset::kAudioSettings)) {
    if (file.childObjType(dataset::kAudioSettings) != H5O_TYPE_GROUP)
      throw FormatError(path, dataset::kAudioSettings, "not a group", "a group");
    const H5::Group g = file.openGroup(dataset::kAudioSettings);
    const std::string where = path + ": " + dataset::kAudioSettings;
    AudioSettings s;
    visitFields(s, [&](const char* name, auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, int>)
        v = readBoundedInt(g, name, where, INT32_MIN, INT32_MAX);
      else if constexpr (std::is_same_v<T, double>)
        v = readDouble(g, name, where);
      else
        v = readString(g, name, where);
    });
    try {
      s.validate();
    } catch (const std::invalid_argument& e) {
      throw FormatError(where + ": " + e.what());
    }
    if (s.sampleRate != info.sampleRate)
      throw FormatError(where, "attribute sample_rate", std::to_string(s.sampleRate),
                        std::to_string(info.sampleRate) + " (the bank's sample_rate)");
    if (s.nSamples != info.length)
      throw FormatError(where, "attribute n_samples", std::to_string(s.nSamples),
                        std::to_string(info.length) + " (the bank's length)");
    meta.audio = s;
  }

  if (file.nameExists(dataset::kProjections)) {
    if (file.childObjType(dataset::kProjections) != H5O_TYPE_GROUP)
      throw FormatError(path, dataset::kProjections, "not a group", "a group");
    const H5::Group g = file.openGroup(dataset::kProjections);
    const std::string prefix = std::string(dataset::kProjections) + "/";
    const auto pointsShape = h5::datasetShape(g, dataset::kProjectionPoints, path);
    if (pointsShape.size() != 2 || pointsShape[1] != kDims || pointsShape[0] < 1 ||
        pointsShape[0] > hsize_t(kMaxProjections))
      throw FormatError(path, prefix + dataset::kProjectionPoints,
                        "shape " + h5::shapeString(pointsShape),
                        "[N, 4] with 1 <= N <= " + std::to_string(kMaxProjections));
    const hsize_t n = pointsShape[0];
    H5::DataSet pd = openChecked(g, dataset::kProjectionPoints, prefix + dataset::kProjectionPoints,
                                 path, {n, hsize_t{kDims}}, H5T_FLOAT, "floats");
    Projections& p = meta.projections;
    p.points.resize(n);
    pd.read(p.points.data(), H5::PredType::NATIVE_FLOAT);
    for (hsize_t k = 0; k < n; ++k)
      for (float v : p.points[k])
        if (!std::isfinite(v))
          throw FormatError(path,
                            prefix + dataset::kProjectionPoints + "[" + std::to_string(k) + "]",
                            num(v), "finite coordinates");
    H5::DataSet fd = openChecked(g, dataset::kProjectionFamily, prefix + dataset::kProjectionFamily,
                                 path, {n}, H5T_INTEGER, "integers");
    std::vector<int32_t> family(n);
    fd.read(family.data(), H5::PredType::NATIVE_INT32);
    const auto namesShape = h5::datasetShape(g, dataset::kProjectionFamilyNames, path);
    const std::string namesField = prefix + dataset::kProjectionFamilyNames;
    if (namesShape.size() != 1 || namesShape[0] > hsize_t(kMaxFamilyNames))
      throw FormatError(path, namesField, "shape " + h5::shapeString(namesShape),
                        "[F] with F <= " + std::to_string(kMaxFamilyNames));
    H5::DataSet nd = openChecked(g, dataset::kProjectionFamilyNames, namesField, path, namesShape,
                                 H5T_STRING, "strings");
    if (nd.getStrType().isVariableStr())
      throw FormatError(path, namesField, "variable-length strings", "fixed-length strings");
    const size_t width = nd.getDataType().getSize();
    if (width > kMaxStringBytes)
      throw FormatError(path, namesField, "strings of " + std::to_string(width) + " bytes",
                        "at most " + std::to_string(kMaxStringBytes) + " bytes");
    std::vector<char> names(namesShape[0] * width + 1, '\0');
    if (namesShape[0] > 0) nd.read(names.data(), fixedString(width));
    for (hsize_t k = 0; k < namesShape[0]; ++k) {
      const char* b = names.data() + k * width;
      p.familyNames.emplace_back(b, std::find(b, b + width, '\0'));
    }
    for (hsize_t k = 0; k < n; ++k) {
      if (family[k] < -1 || family[k] >= int64_t(p.familyNames.size()))
        throw FormatError(path, prefix + dataset::kProjectionFamily + "[" + std::to_string(k) + "]",
                          std::to_string(family[k]),
                          "-1 or an index into family_names (" +
                              std::to_string(p.familyNames.size()) + " names)");
    }
    p.family.assign(family.begin(), family.end());
  }
  if (pitched) {
    meta.f0Source = readString(file, attr::kF0Source, path);
    if (!isF0Source(meta.f0Source))
      throw FormatError(path, attrField(attr::kF0Source), inQuotes(meta.f0Source),
                        "\"model\", \"estimated\" or \"analytic\"");
    const hsize_t n = info.pointCount();
    H5::DataSet d = openChecked(file, dataset::kF0, std::string("dataset ") + dataset::kF0, path,
                                {n}, H5T_FLOAT, "float32 Hz, one per grid point,");
    meta.f0Hz.resize(n);
    d.read(meta.f0Hz.data(), H5::PredType::NATIVE_FLOAT);
    const float nyquist = 0.5f * float(info.sampleRate);
    for (hsize_t k = 0; k < n; ++k) {
      const float f = meta.f0Hz[k];
      if (!(f >= 0.0f && f < nyquist))
        throw FormatError(path,
                          std::string("dataset ") + dataset::kF0 + "[" + std::to_string(k) + "]",
                          num(f), "a frequency in Hz from 0 (unpitched) to below " + num(nyquist));
    }
  }
  return meta;
}

void checkWaveforms(const H5::H5File& file, const std::string& path, hsize_t points, int length,
                    StorageType storage, const char* name) {
  const std::vector<hsize_t> want = {points, hsize_t(length)};
  const std::string what = storage == StorageType::kInt16 ? "int16" : "float32";
  const std::string field = std::string("dataset ") + name;
  if (!file.nameExists(name) || file.childObjType(name) != H5O_TYPE_DATASET)
    throw FormatError(path, field, "nothing", what + " " + h5::shapeString(want));
  H5::DataSet d = file.openDataSet(name);
  const H5::DataSpace space = d.getSpace();
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> shape(rank > 0 ? rank : 0);
  if (rank > 0) space.getSimpleExtentDims(shape.data());
  if (shape != want)
    throw FormatError(path, field, "shape " + h5::shapeString(shape),
                      "shape " + h5::shapeString(want) + " (grid points x length)");
  const H5T_class_t cls = d.getTypeClass();
  const size_t size = d.getDataType().getSize();
  const bool ok = storage == StorageType::kInt16 ? cls == H5T_INTEGER && size == 2
                                                 : cls == H5T_FLOAT && size == 4;
  if (!ok)
    throw FormatError(path, field,
                      std::string(cls == H5T_FLOAT     ? "floats"
                                  : cls == H5T_INTEGER ? "integers"
                                                       : "another type") +
                          " of " + std::to_string(size) + " bytes",
                      what + " samples, as attribute storage says");
}

void checkSuperblock(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw FormatError(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
  for (uint64_t at = 0; at + 8 <= size; at = at ? at * 2 : 512) {
    unsigned char buf[64] = {};
    in.clear();
    in.seekg(at);
    in.read(reinterpret_cast<char*>(buf), sizeof buf);
    const std::streamsize got = in.gcount();
    if (got < 8 || std::memcmp(buf, kSignature, 8) != 0) continue;
    const int version = buf[8];
    int offsetSize = 0, addressesAt = 0;
    if (version == 0 || version == 1) {
      offsetSize = buf[13];
      addressesAt = version == 0 ? 24 : 28;
    } else if (version == 2 || version == 3) {
      offsetSize = buf[9];
      addressesAt = 12;
    } else {
      throw FormatError(path, "HDF5 superblock version", std::to_string(version), "2 or 3");
    }
    // Versions 0 and 1 (HDF5's original format) have no metadata checksums: HDF5 then
    // decodes damaged metadata as it comes, and Debian's HDF5 1.10.8 can overrun its
    // buffers doing so (found by bank/fuzz). Banks are written in the 1.10 format.
    if (version < 2)
      throw FormatError(path, "HDF5 superblock version", std::to_string(version),
                        "2 or 3 (the HDF5 1.8+ format, whose metadata carry checksums)");
    if (offsetSize != 4 && offsetSize != 8)
      throw FormatError(path, "HDF5 superblock offset size", std::to_string(offsetSize),
                        "4 or 8 bytes");
    // Base address, then (v0/1: free-space address; v2/3: extension address), then EOF.
    const int eofAt = addressesAt + 2 * offsetSize;
    if (got < eofAt + offsetSize)
      throw FormatError(path, "file size", std::to_string(size) + " bytes",
                        "a complete HDF5 superblock (the file is truncated)");
    const uint64_t base = littleEndian(buf + addressesAt, offsetSize);
    const uint64_t eof = littleEndian(buf + eofAt, offsetSize);
    if (base > size || eof > size - base) {
      const std::string need = base > size               ? std::to_string(base)
                               : eof > UINT64_MAX - base ? "more than 2^64"
                                                         : std::to_string(base + eof);
      throw FormatError(
          path, "file size", std::to_string(size) + " bytes",
          "at least " + need + " bytes, as its HDF5 superblock records (the file is truncated)");
    }
    return;
  }
  throw FormatError(path + ": not an HDF5 file");
}

}  // namespace wae::bank

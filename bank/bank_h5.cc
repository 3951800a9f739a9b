#include "bank/bank_h5.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

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

// Number of values attribute `name` holds, checked before reading it so that a damaged
// extent cannot make us allocate without bound.
void requireAttrCount(const H5::H5Object& obj, const char* name, const std::string& path,
                      hssize_t count, const std::string& expected) {
  if (!obj.attrExists(name)) throw FormatError(path, attrField(name), "nothing", expected);
  const hssize_t n = obj.openAttribute(name).getSpace().getSimpleExtentNpoints();
  if (n != count) throw FormatError(path, attrField(name), std::to_string(n) + " values", expected);
}

int readBoundedInt(const H5::H5Object& obj, const char* name, const std::string& path,
                   int64_t min, int64_t max) {
  const int64_t v = h5::readInt(obj, name, path);
  if (v < min || v > max)
    throw FormatError(path, attrField(name), std::to_string(v),
                      "an integer in " + std::to_string(min) + ".." + std::to_string(max));
  return static_cast<int>(v);
}

void writeDataset(H5::Group& g, const std::string& name, const H5::PredType& fileType,
                  const H5::PredType& memType, const std::vector<hsize_t>& shape,
                  const void* data) {
  H5::DataSet d = g.createDataSet(name, fileType, H5::DataSpace(int(shape.size()), shape.data()));
  d.write(data, memType);
}

// Checks dataset `name` of `group` has shape `want` and type class `cls`; `what` describes it.
H5::DataSet openChecked(const H5::Group& group, const std::string& name, const std::string& field,
                        const std::string& path, const std::vector<hsize_t>& want,
                        H5T_class_t cls, const std::string& what) {
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

std::string formatShape(const std::array<int, kDims>& shape) {
  std::string s = "[";
  for (int i = 0; i < kDims; ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

void writeMeta(H5::H5File& file, const BankMeta& meta) {
  const BankInfo& info = meta.info;
  h5::writeAttribute(file, attr::kFormat, std::string(kFormatName));
  h5::writeAttribute(file, attr::kFormatVersion, int64_t{kFormatVersion});
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
  h5::writeAttribute(file, attr::kStorage, std::string(storageName(info.storage)));
  h5::writeAttribute(file, attr::kScale, double{info.scale});
  h5::writeAttribute(file, attr::kModelSha256, info.modelSha256);
  h5::writeAttribute(file, attr::kCreatedBy, info.createdBy);
  h5::writeAttribute(file, attr::kCreatedAt, info.createdAt);
  for (int i = 0; i < kDims; ++i)
    writeDataset(file, dataset::kAxes[i], H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE,
                 {info.axes[i].size()}, info.axes[i].data());
  if (meta.audio) {
    H5::Group g = file.createGroup(dataset::kAudioSettings);
    h5::writeAudioSettings(g, *meta.audio);
  }
  const Projections& p = meta.projections;
  if (!p.points.empty()) {
    H5::Group g = file.createGroup(dataset::kProjections);
    const hsize_t n = p.points.size();
    writeDataset(g, dataset::kProjectionPoints, H5::PredType::IEEE_F32LE,
                 H5::PredType::NATIVE_FLOAT, {n, hsize_t{kDims}}, p.points.data());
    std::vector<int32_t> family(p.family.begin(), p.family.end());
    family.resize(n, -1);
    writeDataset(g, dataset::kProjectionFamily, H5::PredType::STD_I32LE,
                 H5::PredType::NATIVE_INT32, {n}, family.data());
    h5::writeStringDataset(g, dataset::kProjectionFamilyNames, p.familyNames);
  }
}

BankMeta readMeta(const H5::H5File& file, const std::string& path) {
  BankMeta meta;
  BankInfo& info = meta.info;
  const std::string format = h5::readString(file, attr::kFormat, path);
  if (format != kFormatName)
    throw FormatError(path, attrField(attr::kFormat), inQuotes(format), inQuotes(kFormatName));
  const int64_t version = h5::readInt(file, attr::kFormatVersion, path);
  if (version != kFormatVersion)
    throw FormatError(path, attrField(attr::kFormatVersion), std::to_string(version),
                      std::to_string(kFormatVersion));
  info.sampleRate = readBoundedInt(file, attr::kSampleRate, path, kMinSampleRate, kMaxSampleRate);
  info.length = readBoundedInt(file, attr::kLength, path, kMinLength, kMaxLength);

  requireAttrCount(file, attr::kGridShape, path, kDims, "4 integers");
  const std::vector<int64_t> shape = h5::readInts(file, attr::kGridShape, path);
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
  requireAttrCount(file, attr::kAxisMin, path, kDims, "4 numbers");
  requireAttrCount(file, attr::kAxisMax, path, kDims, "4 numbers");
  const std::vector<double> lo = h5::readDoubles(file, attr::kAxisMin, path);
  const std::vector<double> hi = h5::readDoubles(file, attr::kAxisMax, path);
  for (int i = 0; i < kDims; ++i) {
    if (!std::isfinite(lo[i]) || !std::isfinite(hi[i]) || !(lo[i] < hi[i]))
      throw FormatError(path, std::string("attributes axis_min/axis_max, axis ") +
                                  std::to_string(i + 1),
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

  const std::string storage = h5::readString(file, attr::kStorage, path);
  const auto type = parseStorage(storage);
  if (!type)
    throw FormatError(path, attrField(attr::kStorage), inQuotes(storage),
                      inQuotes(kStorageFloat32) + " or " + inQuotes(kStorageInt16));
  info.storage = *type;
  const double scale = h5::readDouble(file, attr::kScale, path);
  if (info.storage == StorageType::kFloat32 && scale != 1.0)
    throw FormatError(path, attrField(attr::kScale), num(scale), "1 for float32 storage");
  if (!(scale >= std::numeric_limits<float>::min() && scale <= 1e6))
    throw FormatError(path, attrField(attr::kScale), num(scale), "a number in 1.2e-38..1e6");
  info.scale = static_cast<float>(scale);

  info.modelSha256 = h5::readString(file, attr::kModelSha256, path);
  if (info.modelSha256.size() != kSha256HexLength || !isLowerHex(info.modelSha256))
    throw FormatError(path, attrField(attr::kModelSha256), inQuotes(info.modelSha256),
                      "64 lowercase hexadecimal digits");
  info.createdBy = h5::readString(file, attr::kCreatedBy, path);
  info.createdAt = h5::readString(file, attr::kCreatedAt, path);

  if (file.nameExists(dataset::kAudioSettings)) {
    if (file.childObjType(dataset::kAudioSettings) != H5O_TYPE_GROUP)
      throw FormatError(path, dataset::kAudioSettings, "not a group", "a group");
    const H5::Group g = file.openGroup(dataset::kAudioSettings);
    const std::string where = path + ": " + dataset::kAudioSettings;
    AudioSettings s = h5::readAudioSettings(g, where);
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
          throw FormatError(path, prefix + dataset::kProjectionPoints + "[" + std::to_string(k) + "]",
                            num(v), "finite coordinates");
    H5::DataSet fd = openChecked(g, dataset::kProjectionFamily, prefix + dataset::kProjectionFamily,
                                 path, {n}, H5T_INTEGER, "integers");
    std::vector<int32_t> family(n);
    fd.read(family.data(), H5::PredType::NATIVE_INT32);
    const auto namesShape = h5::datasetShape(g, dataset::kProjectionFamilyNames, path);
    if (namesShape.size() != 1 || namesShape[0] > hsize_t(kMaxFamilyNames))
      throw FormatError(path, prefix + dataset::kProjectionFamilyNames,
                        "shape " + h5::shapeString(namesShape),
                        "[F] with F <= " + std::to_string(kMaxFamilyNames));
    p.familyNames = h5::readStringDataset(g, dataset::kProjectionFamilyNames, path);
    for (hsize_t k = 0; k < n; ++k) {
      if (family[k] < -1 || family[k] >= int64_t(p.familyNames.size()))
        throw FormatError(path, prefix + dataset::kProjectionFamily + "[" + std::to_string(k) + "]",
                          std::to_string(family[k]),
                          "-1 or an index into family_names (" +
                              std::to_string(p.familyNames.size()) + " names)");
    }
    p.family.assign(family.begin(), family.end());
  }
  return meta;
}

void checkWaveforms(const H5::H5File& file, const std::string& path, hsize_t points, int length,
                    StorageType storage) {
  const std::vector<hsize_t> want = {points, hsize_t(length)};
  const std::string what = storage == StorageType::kInt16 ? "int16" : "float32";
  const std::string field = std::string("dataset ") + dataset::kWaveforms;
  if (!file.nameExists(dataset::kWaveforms) ||
      file.childObjType(dataset::kWaveforms) != H5O_TYPE_DATASET)
    throw FormatError(path, field, "nothing", what + " " + h5::shapeString(want));
  H5::DataSet d = file.openDataSet(dataset::kWaveforms);
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
      throw FormatError(path, "HDF5 superblock version", std::to_string(version), "0 to 3");
    }
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
      const std::string need = base > size ? std::to_string(base)
                               : eof > UINT64_MAX - base ? "more than 2^64"
                                                          : std::to_string(base + eof);
      throw FormatError(path, "file size", std::to_string(size) + " bytes",
                        "at least " + need +
                            " bytes, as its HDF5 superblock records (the file is truncated)");
    }
    return;
  }
  throw FormatError(path + ": not an HDF5 file");
}

}  // namespace wae::bank

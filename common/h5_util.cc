#include "common/h5_util.h"

#include <filesystem>

namespace wae::h5 {
namespace {

const H5::StrType& utf8String() {
  static const H5::StrType type = [] {
    H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
    t.setCset(H5T_CSET_UTF8);
    return t;
  }();
  return type;
}

H5::Attribute create(H5::H5Object& obj, const std::string& name, const H5::DataType& type,
                     const H5::DataSpace& space) {
  if (obj.attrExists(name)) obj.removeAttr(name);
  return obj.createAttribute(name, type, space);
}

const char* className(H5T_class_t c) {
  switch (c) {
    case H5T_INTEGER: return "an integer";
    case H5T_FLOAT: return "a float";
    case H5T_STRING: return "a string";
    default: return "another type";
  }
}

// Opens attribute `name`, checking its class; `expected` describes it for the message.
H5::Attribute open(const H5::H5Object& obj, const std::string& name, const std::string& file,
                   H5T_class_t wantClass, const std::string& expected) {
  if (!obj.attrExists(name)) throw FormatError(file, "attribute " + name, "nothing", expected);
  H5::Attribute a = obj.openAttribute(name);
  const H5T_class_t got = a.getTypeClass();
  const bool ok = got == wantClass || (wantClass == H5T_FLOAT && got == H5T_INTEGER);
  if (!ok) throw FormatError(file, "attribute " + name, className(got), expected);
  return a;
}

hssize_t elementCount(const H5::Attribute& a) { return a.getSpace().getSimpleExtentNpoints(); }

void requireScalar(const H5::Attribute& a, const std::string& name, const std::string& file,
                   const std::string& expected) {
  if (elementCount(a) != 1)
    throw FormatError(file, "attribute " + name, std::to_string(elementCount(a)) + " values",
                      expected);
}

}  // namespace

void quietErrors() { H5::Exception::dontPrint(); }

bool hasAttribute(const H5::H5Object& obj, const std::string& name) {
  return obj.attrExists(name);
}

void writeAttribute(H5::H5Object& obj, const std::string& name, int64_t value) {
  create(obj, name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT64, &value);
}

void writeAttribute(H5::H5Object& obj, const std::string& name, double value) {
  create(obj, name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

void writeAttribute(H5::H5Object& obj, const std::string& name, const std::string& value) {
  create(obj, name, utf8String(), H5::DataSpace(H5S_SCALAR)).write(utf8String(), value);
}

void writeAttribute(H5::H5Object& obj, const std::string& name, const std::vector<int64_t>& v) {
  const hsize_t n = v.size();
  create(obj, name, H5::PredType::NATIVE_INT64, H5::DataSpace(1, &n))
      .write(H5::PredType::NATIVE_INT64, v.data());
}

void writeAttribute(H5::H5Object& obj, const std::string& name, const std::vector<double>& v) {
  const hsize_t n = v.size();
  create(obj, name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n))
      .write(H5::PredType::NATIVE_DOUBLE, v.data());
}

void writeAttribute(H5::H5Object& obj, const std::string& name,
                    const std::vector<std::string>& v) {
  const hsize_t n = v.size();
  std::vector<const char*> ptrs;
  for (const auto& s : v) ptrs.push_back(s.c_str());
  create(obj, name, utf8String(), H5::DataSpace(1, &n)).write(utf8String(), ptrs.data());
}

int64_t readInt(const H5::H5Object& obj, const std::string& name, const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_INTEGER, "an integer");
  requireScalar(a, name, file, "one integer");
  int64_t v = 0;
  a.read(H5::PredType::NATIVE_INT64, &v);
  return v;
}

double readDouble(const H5::H5Object& obj, const std::string& name, const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_FLOAT, "a number");
  requireScalar(a, name, file, "one number");
  double v = 0;
  a.read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

std::string readString(const H5::H5Object& obj, const std::string& name,
                       const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_STRING, "a string");
  requireScalar(a, name, file, "one string");
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

std::vector<int64_t> readInts(const H5::H5Object& obj, const std::string& name,
                              const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_INTEGER, "integers");
  std::vector<int64_t> v(elementCount(a));
  if (!v.empty()) a.read(H5::PredType::NATIVE_INT64, v.data());
  return v;
}

std::vector<double> readDoubles(const H5::H5Object& obj, const std::string& name,
                                const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_FLOAT, "numbers");
  std::vector<double> v(elementCount(a));
  if (!v.empty()) a.read(H5::PredType::NATIVE_DOUBLE, v.data());
  return v;
}

std::vector<std::string> readStrings(const H5::H5Object& obj, const std::string& name,
                                     const std::string& file) {
  const H5::Attribute a = open(obj, name, file, H5T_STRING, "strings");
  if (!a.getStrType().isVariableStr())
    throw FormatError(file, "attribute " + name, "fixed-length strings",
                      "variable-length strings");
  std::vector<char*> ptrs(elementCount(a), nullptr);
  if (!ptrs.empty()) a.read(a.getStrType(), ptrs.data());
  std::vector<std::string> v;
  for (char* p : ptrs) v.emplace_back(p ? p : "");
  if (!ptrs.empty()) {
    H5::DataSpace space = a.getSpace();
    H5Dvlen_reclaim(a.getStrType().getId(), space.getId(), H5P_DEFAULT, ptrs.data());
  }
  return v;
}

void writeAudioSettings(H5::H5Object& obj, const AudioSettings& s) {
  struct Writer {
    H5::H5Object& obj;
    void operator()(const char* name, int v) { writeAttribute(obj, name, int64_t{v}); }
    void operator()(const char* name, double v) { writeAttribute(obj, name, v); }
    void operator()(const char* name, const std::string& v) { writeAttribute(obj, name, v); }
  };
  visitFields(s, Writer{obj});
}

AudioSettings readAudioSettings(const H5::H5Object& obj, const std::string& file) {
  AudioSettings s;
  struct Reader {
    const H5::H5Object& obj;
    const std::string& file;
    void operator()(const char* name, int& v) { v = static_cast<int>(readInt(obj, name, file)); }
    void operator()(const char* name, double& v) { v = readDouble(obj, name, file); }
    void operator()(const char* name, std::string& v) { v = readString(obj, name, file); }
  };
  visitFields(s, Reader{obj, file});
  return s;
}

void writeStringDataset(H5::Group& group, const std::string& name,
                        const std::vector<std::string>& values) {
  const hsize_t n = values.size();
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  H5::DataSet d = group.createDataSet(name, utf8String(), H5::DataSpace(1, &n));
  if (n > 0) d.write(ptrs.data(), utf8String());
}

std::vector<std::string> readStringDataset(const H5::Group& group, const std::string& name,
                                           const std::string& file) {
  const auto shape = datasetShape(group, name, file);
  if (shape.size() != 1) throw FormatError(file, name, shapeString(shape), "a 1-D dataset");
  H5::DataSet d = group.openDataSet(name);
  if (d.getTypeClass() != H5T_STRING || !d.getStrType().isVariableStr())
    throw FormatError(file, name, "another type", "variable-length strings");
  std::vector<char*> ptrs(shape[0], nullptr);
  if (!ptrs.empty()) d.read(ptrs.data(), d.getStrType());
  std::vector<std::string> v;
  for (char* p : ptrs) v.emplace_back(p ? p : "");
  if (!ptrs.empty()) {
    H5::DataSpace space = d.getSpace();
    H5Dvlen_reclaim(d.getStrType().getId(), space.getId(), H5P_DEFAULT, ptrs.data());
  }
  return v;
}

std::vector<hsize_t> datasetShape(const H5::Group& group, const std::string& name,
                                  const std::string& file) {
  if (!group.nameExists(name)) throw FormatError(file, name, "nothing", "a dataset");
  const H5::DataSpace space = group.openDataSet(name).getSpace();
  std::vector<hsize_t> shape(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(shape.data());
  return shape;
}

std::string shapeString(const std::vector<hsize_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

H5::H5File openReadOnly(const std::string& path) {
  quietErrors();
  if (!std::filesystem::exists(path)) throw FormatError(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw FormatError(path + ": not an HDF5 file");
  try {
    return H5::H5File(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    throw FormatError(path + ": cannot open: " + e.getDetailMsg());
  }
}

}  // namespace wae::h5

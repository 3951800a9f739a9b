#include "tools/dataset/dataset_reader.h"

#include <algorithm>

#include "common/errors.h"
#include "common/h5_util.h"

namespace wae::dataset {
namespace {

template <class T>
std::vector<T> readColumn(const H5::H5File& file, const std::string& path, const char* name,
                          const H5::PredType& memType, size_t rows) {
  const H5::Group root = file.openGroup("/");
  const auto shape = h5::datasetShape(root, name, path);
  if (shape.size() != 1 || shape[0] != rows)
    throw FormatError(path, name, "shape " + h5::shapeString(shape),
                      "[" + std::to_string(rows) + "]");
  std::vector<T> v(rows);
  if (rows > 0) file.openDataSet(name).read(v.data(), memType);
  return v;
}

}  // namespace

DatasetReader::DatasetReader(const std::string& path, const AudioSettings& expected)
    : path_(path), file_(h5::openReadOnly(path)) {
  try {
    const std::string format = h5::readString(file_, attr::kFormat, path);
    if (format != kFormatName)
      throw FormatError(path, attr::kFormat, "\"" + format + "\"",
                        std::string("\"") + kFormatName + "\"");
    const int64_t version = h5::readInt(file_, attr::kFormatVersion, path);
    if (version != kFormatVersion)
      throw FormatError(path, attr::kFormatVersion, std::to_string(version),
                        std::to_string(kFormatVersion));
    settings_ = h5::readAudioSettings(file_, path);
    requireSame(expected, "this tool", settings_, path);

    const H5::Group root = file_.openGroup("/");
    const auto melShape = h5::datasetShape(root, ds::kMel, path);
    const size_t n = melShape.empty() ? 0 : melShape[0];
    const std::vector<hsize_t> wantMel{n, hsize_t(settings_.nMels), hsize_t(settings_.nFrames)};
    if (melShape != wantMel)
      throw FormatError(path, ds::kMel, "shape " + h5::shapeString(melShape),
                        h5::shapeString(wantMel) + " (n_mels, n_frames from its attributes)");
    const auto audioShape = h5::datasetShape(root, ds::kAudio, path);
    const std::vector<hsize_t> wantAudio{n, hsize_t(settings_.nSamples)};
    if (audioShape != wantAudio)
      throw FormatError(path, ds::kAudio, "shape " + h5::shapeString(audioShape),
                        h5::shapeString(wantAudio));

    const auto& i32 = H5::PredType::NATIVE_INT32;
    const auto pitch = readColumn<int32_t>(file_, path, ds::kPitch, i32, n);
    const auto velocity = readColumn<int32_t>(file_, path, ds::kVelocity, i32, n);
    const auto instrument = readColumn<int32_t>(file_, path, ds::kInstrument, i32, n);
    const auto family = readColumn<int32_t>(file_, path, ds::kFamily, i32, n);
    const auto source = readColumn<int32_t>(file_, path, ds::kSourceId, i32, n);
    const auto split = readColumn<uint8_t>(file_, path, ds::kSplit, H5::PredType::NATIVE_UINT8, n);
    // Optional (plain folders: make_dataset's pitch estimate, 0 = unpitched).
    const auto f0 = root.nameExists(ds::kF0Hz)
                        ? readColumn<float>(file_, path, ds::kF0Hz, H5::PredType::NATIVE_FLOAT, n)
                        : std::vector<float>();
    std::vector<std::vector<std::string>> text;
    for (const char* name : {ds::kNoteStr, ds::kInstrumentStr, ds::kFamilyStr, ds::kSourceStr}) {
      text.push_back(h5::readStringDataset(root, name, path));
      if (text.back().size() != n)
        throw FormatError(path, name, std::to_string(text.back().size()) + " rows",
                          std::to_string(n));
    }
    const auto qShape = h5::datasetShape(root, ds::kQualities, path);
    const std::vector<hsize_t> wantQ{n, kQualityLabels.size()};
    if (qShape != wantQ)
      throw FormatError(path, ds::kQualities, "shape " + h5::shapeString(qShape),
                        h5::shapeString(wantQ));
    std::vector<uint8_t> qualities(n * kQualityLabels.size());
    if (n > 0) file_.openDataSet(ds::kQualities).read(qualities.data(), H5::PredType::NATIVE_UINT8);

    // The /split labels: ours or a prefix of them (files written before test_pitch and
    // test_instrument existed have three).
    const std::vector<std::string> splitLabels =
        h5::readStrings(file_.openDataSet(ds::kSplit), attr::kLabels, path);
    std::string expectedLabels, expectedCodes;
    for (size_t k = 0; k < kSplitLabels.size(); ++k) {
      expectedLabels += std::string(k ? ", " : "") + kSplitLabels[k];
      if (k < splitLabels.size())
        expectedCodes += std::string(k ? ", " : "") + std::to_string(k) + " (" +
                         kSplitLabels[k] + ")";
    }
    bool labelsOk = !splitLabels.empty() && splitLabels.size() <= kSplitLabels.size();
    for (size_t k = 0; labelsOk && k < splitLabels.size(); ++k)
      labelsOk = splitLabels[k] == kSplitLabels[k];
    if (!labelsOk) {
      std::string found;
      for (size_t k = 0; k < splitLabels.size(); ++k)
        found += std::string(k ? ", " : "") + splitLabels[k];
      throw FormatError(path, std::string(ds::kSplit) + " attribute " + attr::kLabels,
                        "[" + found + "]", "[" + expectedLabels + "] or a prefix of it");
    }

    notes_.resize(n);
    splits_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      NoteAnnotation& a = notes_[i];
      a.pitch = pitch[i];
      a.velocity = velocity[i];
      a.instrument = instrument[i];
      a.family = family[i];
      a.source = source[i];
      a.noteStr = text[0][i];
      a.instrumentStr = text[1][i];
      a.familyStr = text[2][i];
      a.sourceStr = text[3][i];
      a.sampleRate = settings_.sampleRate;
      if (!f0.empty()) a.f0Hz = f0[i];
      std::copy_n(&qualities[i * a.qualities.size()], a.qualities.size(), a.qualities.begin());
      if (split[i] >= splitLabels.size())
        throw FormatError(path, std::string(ds::kSplit) + "[" + std::to_string(i) + "]",
                          std::to_string(split[i]), expectedCodes);
      splits_[i] = static_cast<Split>(split[i]);
    }
  } catch (const H5::Exception& e) {
    throw FormatError(path + ": unreadable: " + e.getDetailMsg());
  }
}

std::string DatasetReader::source() const { return h5::readString(file_, attr::kSource, path_); }

std::vector<size_t> DatasetReader::rowsOf(Split split) const {
  std::vector<size_t> rows;
  for (size_t i = 0; i < splits_.size(); ++i)
    if (splits_[i] == split) rows.push_back(i);
  return rows;
}

void DatasetReader::readMel(const std::vector<size_t>& rows, std::vector<float>& out) const {
  out.resize(rows.size() * settings_.nMels * settings_.nFrames);
  readMel(rows, out.data());
}

void DatasetReader::readAudio(const std::vector<size_t>& rows, std::vector<float>& out) const {
  out.resize(rows.size() * settings_.nSamples);
  readAudio(rows, out.data());
}

void DatasetReader::readMel(const std::vector<size_t>& rows, float* out) const {
  readRows(ds::kMel, hsize_t(settings_.nMels) * settings_.nFrames, rows, out);
}

void DatasetReader::readAudio(const std::vector<size_t>& rows, float* out) const {
  readRows(ds::kAudio, hsize_t(settings_.nSamples), rows, out);
}

void DatasetReader::readRows(const char* name, hsize_t rowSize, const std::vector<size_t>& rows,
                             float* out) const {
  try {
    H5::DataSet d = file_.openDataSet(name);
    H5::DataSpace space = d.getSpace();
    std::vector<hsize_t> dims(space.getSimpleExtentNdims());
    space.getSimpleExtentDims(dims.data());
    std::vector<hsize_t> start(dims.size(), 0), count = dims;
    count[0] = 1;
    H5::DataSpace memory(1, &rowSize);
    for (size_t k = 0; k < rows.size(); ++k) {
      if (rows[k] >= notes_.size())
        throw FormatError(path_, name, "row " + std::to_string(rows[k]),
                          "a row below " + std::to_string(notes_.size()));
      start[0] = rows[k];
      space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
      d.read(out + k * rowSize, H5::PredType::NATIVE_FLOAT, memory, space);
    }
  } catch (const H5::Exception& e) {
    throw FormatError(path_ + ": " + name + ": unreadable: " + e.getDetailMsg());
  }
}

}  // namespace wae::dataset

#include "tools/dataset/dataset_writer.h"

#include <ctime>
#include <stdexcept>

#include "common/h5_util.h"
#include "tools/dataset/schema.h"

namespace wae::dataset {
namespace {

// An empty [0, dims...] float dataset that grows along its first axis, one row per chunk.
H5::DataSet createRows(H5::H5File& file, const char* name, std::vector<hsize_t> rowDims) {
  std::vector<hsize_t> dims{0}, maxDims{H5S_UNLIMITED}, chunk{1};
  for (hsize_t d : rowDims) {
    dims.push_back(d);
    maxDims.push_back(d);
    chunk.push_back(d);
  }
  H5::DSetCreatPropList props;
  props.setChunk(chunk.size(), chunk.data());
  return file.createDataSet(name, H5::PredType::IEEE_F32LE,
                            H5::DataSpace(dims.size(), dims.data(), maxDims.data()), props);
}

template <class T>
void writeColumn(H5::H5File& file, const char* name, const H5::PredType& fileType,
                 const H5::PredType& memType, const std::vector<T>& values) {
  const hsize_t n = values.size();
  H5::DataSet d = file.createDataSet(name, fileType, H5::DataSpace(1, &n));
  if (n > 0) d.write(values.data(), memType);
}

template <class Get>
std::vector<int32_t> ints(const std::vector<NoteAnnotation>& notes, Get get) {
  std::vector<int32_t> v;
  for (const auto& n : notes) v.push_back(get(n));
  return v;
}

template <class Get>
std::vector<std::string> strings(const std::vector<NoteAnnotation>& notes, Get get) {
  std::vector<std::string> v;
  for (const auto& n : notes) v.push_back(get(n));
  return v;
}

template <class Array>
std::vector<std::string> labels(const Array& array) {
  return {array.begin(), array.end()};
}

}  // namespace

std::string utcTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

DatasetWriter::DatasetWriter(const std::string& path, const AudioSettings& settings)
    : path_(path), settings_(settings) {
  settings_.validate();
  h5::quietErrors();
  file_ = H5::H5File(path, H5F_ACC_TRUNC);
  mel_ = createRows(file_, ds::kMel, {hsize_t(settings.nMels), hsize_t(settings.nFrames)});
  audio_ = createRows(file_, ds::kAudio, {hsize_t(settings.nSamples)});
}

void DatasetWriter::appendRow(H5::DataSet& dataset, const float* row, hsize_t rowSize) {
  H5::DataSpace space = dataset.getSpace();
  std::vector<hsize_t> dims(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(dims.data());
  dims[0] = rows_ + 1;
  dataset.extend(dims.data());
  space = dataset.getSpace();
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  start[0] = rows_;
  count[0] = 1;
  space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
  H5::DataSpace memory(1, &rowSize);
  dataset.write(row, H5::PredType::NATIVE_FLOAT, memory, space);
}

void DatasetWriter::append(const float* mel, const float* audio) {
  appendRow(mel_, mel, hsize_t(settings_.nMels) * settings_.nFrames);
  appendRow(audio_, audio, hsize_t(settings_.nSamples));
  ++rows_;
}

void DatasetWriter::finish(const std::vector<NoteAnnotation>& notes,
                           const std::vector<Split>& splits, const DatasetMetadata& metadata) {
  if (notes.size() != rows_ || splits.size() != rows_)
    throw std::logic_error(path_ + ": " + std::to_string(rows_) + " rows but " +
                           std::to_string(notes.size()) + " annotations and " +
                           std::to_string(splits.size()) + " splits");
  const auto& i32 = H5::PredType::STD_I32LE;
  const auto& native = H5::PredType::NATIVE_INT32;
  writeColumn(file_, ds::kPitch, i32, native, ints(notes, [](auto& n) { return n.pitch; }));
  writeColumn(file_, ds::kVelocity, i32, native,
              ints(notes, [](auto& n) { return n.velocity; }));
  writeColumn(file_, ds::kInstrument, i32, native,
              ints(notes, [](auto& n) { return n.instrument; }));
  writeColumn(file_, ds::kFamily, i32, native, ints(notes, [](auto& n) { return n.family; }));
  writeColumn(file_, ds::kSourceId, i32, native, ints(notes, [](auto& n) { return n.source; }));

  // Estimated pitch (plain folders): every note was estimated or none was.
  if (!notes.empty() && notes.front().f0Hz >= 0) {
    std::vector<float> f0, confidence;
    for (const auto& n : notes) {
      f0.push_back(n.f0Hz);
      confidence.push_back(n.pitchConfidence);
    }
    const auto& f32 = H5::PredType::IEEE_F32LE;
    writeColumn(file_, ds::kF0Hz, f32, H5::PredType::NATIVE_FLOAT, f0);
    writeColumn(file_, ds::kPitchConfidence, f32, H5::PredType::NATIVE_FLOAT, confidence);
  }

  H5::Group root = file_.openGroup("/");
  h5::writeStringDataset(root, ds::kNoteStr, strings(notes, [](auto& n) { return n.noteStr; }));
  h5::writeStringDataset(root, ds::kInstrumentStr,
                         strings(notes, [](auto& n) { return n.instrumentStr; }));
  h5::writeStringDataset(root, ds::kFamilyStr,
                         strings(notes, [](auto& n) { return n.familyStr; }));
  h5::writeStringDataset(root, ds::kSourceStr,
                         strings(notes, [](auto& n) { return n.sourceStr; }));

  std::vector<uint8_t> qualities;
  for (const auto& n : notes) qualities.insert(qualities.end(), n.qualities.begin(), n.qualities.end());
  const hsize_t qDims[2] = {notes.size(), kQualityLabels.size()};
  H5::DataSet q = file_.createDataSet(ds::kQualities, H5::PredType::STD_U8LE,
                                      H5::DataSpace(2, qDims));
  if (!notes.empty()) q.write(qualities.data(), H5::PredType::NATIVE_UINT8);
  h5::writeAttribute(q, attr::kLabels, labels(kQualityLabels));

  std::vector<uint8_t> splitCodes;
  for (Split s : splits) splitCodes.push_back(static_cast<uint8_t>(s));
  writeColumn(file_, ds::kSplit, H5::PredType::STD_U8LE, H5::PredType::NATIVE_UINT8, splitCodes);
  H5::DataSet split = file_.openDataSet(ds::kSplit);
  h5::writeAttribute(split, attr::kLabels, labels(kSplitLabels));

  h5::writeAttribute(root, attr::kFormat, std::string(kFormatName));
  h5::writeAttribute(root, attr::kFormatVersion, int64_t{kFormatVersion});
  h5::writeAudioSettings(root, settings_);
  h5::writeAttribute(root, attr::kSource, metadata.source);
  h5::writeAttribute(root, attr::kSplitSeed, static_cast<int64_t>(metadata.split.seed));
  h5::writeAttribute(root, attr::kSplitMode, toString(metadata.split.mode));
  const double train = 1 - metadata.split.validFraction - metadata.split.testFraction;
  h5::writeAttribute(root, attr::kSplitFractions,
                     std::vector<double>{train, metadata.split.validFraction,
                                         metadata.split.testFraction});
  if (metadata.split.mode == SplitMode::kHonest) {
    h5::writeAttribute(root, attr::kHoldoutPitchEvery,
                       int64_t{metadata.split.holdoutPitchEvery});
    h5::writeAttribute(root, attr::kHoldoutPitchOffset,
                       int64_t{metadata.split.holdoutPitchOffset});
    h5::writeAttribute(root, attr::kHoldoutInstrumentsPerFamily,
                       int64_t{metadata.split.holdoutInstrumentsPerFamily});
  }
  h5::writeAttribute(root, attr::kCreatedBy, metadata.createdBy);
  h5::writeAttribute(root, attr::kCreatedAt, utcTimestamp());
  file_.close();
}

}  // namespace wae::dataset

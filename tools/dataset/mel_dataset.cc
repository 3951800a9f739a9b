#include "tools/dataset/mel_dataset.h"

namespace wae::dataset {
namespace {

torch::Tensor fromRows(std::vector<float>& values, std::vector<int64_t> shape) {
  return torch::from_blob(values.data(), shape, torch::kFloat32).clone();
}

}  // namespace

MelDataset::MelDataset(const std::string& path, const Options& options) {
  const DatasetReader reader(path, options.expected);
  settings_ = reader.settings();
  rows_ = reader.rowsOf(options.split);
  const int64_t n = rows_.size();

  std::vector<float> values;
  reader.readMel(rows_, values);
  mels_ = fromRows(values, {n, settings_.nMels, settings_.nFrames});
  if (options.loadAudio) {
    reader.readAudio(rows_, values);
    audio_ = fromRows(values, {n, settings_.nSamples});
  }
  targets_ = torch::empty({n, kLabelCount}, torch::kInt64);
  auto t = targets_.accessor<int64_t, 2>();
  for (int64_t i = 0; i < n; ++i) {
    const NoteAnnotation& a = reader.notes()[rows_[i]];
    notes_.push_back(a);
    t[i][kLabelPitch] = a.pitch;
    t[i][kLabelVelocity] = a.velocity;
    t[i][kLabelFamily] = a.family;
    t[i][kLabelSource] = a.source;
    t[i][kLabelInstrument] = a.instrument;
  }
}

torch::data::Example<> MelDataset::get(size_t index) {
  return {mels_[index], targets_[index]};
}

}  // namespace wae::dataset

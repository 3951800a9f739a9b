#include "tools/dataset/mel_dataset.h"

namespace wae::dataset {
MelDataset::MelDataset(const std::string& path, const Options& options) {
  const DatasetReader reader(path, options.expected);
  settings_ = reader.settings();
  rows_ = reader.rowsOf(options.split);
  const int64_t n = rows_.size();

  // Read straight into the tensors: a split of tens of thousands of notes is held once.
  mels_ = torch::empty({n, settings_.nMels, settings_.nFrames}, torch::kFloat32);
  reader.readMel(rows_, mels_.data_ptr<float>());
  if (options.loadAudio) {
    audio_ = torch::empty({n, settings_.nSamples}, torch::kFloat32);
    reader.readAudio(rows_, audio_.data_ptr<float>());
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

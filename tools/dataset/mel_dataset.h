// dataset.h5 as a LibTorch dataset (torch::data::datasets::Dataset): one split held in
// memory, examples usable with torch::data::make_data_loader (shuffle, Stack, batches).
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "common/audio_settings.h"
#include "tools/dataset/dataset_reader.h"

namespace wae::dataset {

// Columns of an example's target tensor (int64 [kLabelCount]).
enum Label : int64_t {
  kLabelPitch = 0,
  kLabelVelocity,
  kLabelFamily,
  kLabelSource,
  kLabelInstrument,
  kLabelCount
};

class MelDataset : public torch::data::datasets::Dataset<MelDataset> {
 public:
  struct Options {
    Split split = Split::kTrain;
    bool loadAudio = false;               // also hold /audio (for inverter training)
    AudioSettings expected{};             // refused with a clear message if the file differs
  };

  // Loads the split's mels (and audio if asked) into memory.
  MelDataset(const std::string& path, const Options& options);

  // data: amplitude mel [n_mels, n_frames]; target: int64 [kLabelCount] (see Label).
  torch::data::Example<> get(size_t index) override;
  torch::optional<size_t> size() const override { return rows_.size(); }

  const AudioSettings& settings() const { return settings_; }
  // The annotation of example `index` of this split, and its row in the file.
  const NoteAnnotation& annotation(size_t index) const { return notes_.at(index); }
  size_t fileRow(size_t index) const { return rows_.at(index); }
  // All mels [N, n_mels, n_frames], targets [N, kLabelCount], audio [N, n_samples] (empty
  // unless Options::loadAudio).
  const torch::Tensor& mels() const { return mels_; }
  const torch::Tensor& targets() const { return targets_; }
  const torch::Tensor& audio() const { return audio_; }

 private:
  AudioSettings settings_;
  std::vector<size_t> rows_;
  std::vector<NoteAnnotation> notes_;
  torch::Tensor mels_, targets_, audio_;
};

}  // namespace wae::dataset

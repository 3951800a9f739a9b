#include "tools/training/crop_training.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wae::training {

CropBatches::CropBatches(const torch::Tensor& mels, const torch::Tensor& audio, int64_t hop,
                         int64_t context, int cropFrames, int batchSize,
                         const torch::Device& device)
    : mels_(torch::constant_pad_nd(mels, {context, context}, 0.0).to(device)),
      audio_(audio.to(device)),
      examples_(mels.size(0)),
      frames_(mels.size(2)),
      hop_(hop),
      context_(context),
      cropFrames_(cropFrames),
      batchSize_(batchSize),
      device_(device) {}

void CropBatches::draw() {
  order_ = torch::randperm(examples_, torch::kLong);
  starts_ = torch::randint(0, frames_ - cropFrames_ + 1, {examples_}, torch::kLong);
}

CropBatch CropBatches::batch(int64_t step) const {
  const auto orderOf = order_.accessor<int64_t, 1>();
  const auto startOf = starts_.accessor<int64_t, 1>();
  const int64_t begin = step * batchSize_;
  const int64_t end = std::min(examples_, begin + batchSize_);
  const int64_t cropIn = cropFrames_ + 2 * context_;
  std::vector<torch::Tensor> mels, waves;
  std::vector<int64_t> rows, starts;
  for (int64_t i = begin; i < end; ++i) {
    const int64_t row = orderOf[i];
    rows.push_back(row);
    starts.push_back(startOf[i]);
    mels.push_back(mels_[row].narrow(1, startOf[i], cropIn));
    waves.push_back(audio_[row].narrow(0, startOf[i] * hop_, cropFrames_ * hop_));
  }
  CropBatch b;
  b.mels = torch::stack(mels);
  b.audio = torch::stack(waves);
  b.rows = torch::tensor(rows, torch::kLong).to(device_);
  b.starts = torch::tensor(starts, torch::kLong);
  b.size = end - begin;
  return b;
}

void validateCropFrames(int cropFrames, int frames) {
  if (cropFrames < 1 || cropFrames > frames)
    throw std::invalid_argument("--crop-frames must be in 1.." + std::to_string(frames) + ", got " +
                                std::to_string(cropFrames));
}

double scheduledRate(const CropTrainOptions& o, int epoch) {
  return o.learningRate * std::pow(o.lrDecay, double(epoch - 1));
}

}  // namespace wae::training

// The part of training on random crops of (mel, audio) pairs that the spectrogram inverters'
// trainers (train_mcnn, train_hpn) share: the crops of one epoch, drawn from the epoch's
// random stream, and one epoch of optimizer steps on them with a per-epoch learning rate,
// the NaN guard and gradient clipping. The trainer gives the loss of a batch. LibTorch:
// include only from tools code.
//
// Threads: the training thread (the generator it draws from is torch's global one).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tools/training/run.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"

namespace wae::training {

// One step's crops.
struct CropBatch {
  torch::Tensor mels;    // [B, n_mels, cropFrames + 2 context] from paddedMels()
  torch::Tensor audio;   // [B, cropFrames * hop]: the samples of the crop's middle frames
  torch::Tensor rows;    // [B] int64 on the device: the examples' rows in the split
  torch::Tensor starts;  // [B] int64 on the CPU: each crop's first frame in paddedMels()
  int64_t size = 0;      // B
};

// The train split on the device, cut into random crops an epoch at a time.
class CropBatches {
 public:
  // mels [N, n_mels, frames] (padded here with `context` frames of silence on each side, as
  // the models' forward() pads), audio [N, frames * hop].
  CropBatches(const torch::Tensor& mels, const torch::Tensor& audio, int64_t hop, int64_t context,
              int cropFrames, int batchSize, const torch::Device& device);

  // Draws an epoch's order and crop starts from torch's global generator (seeded by the
  // caller): a permutation of the examples, then a start frame for each.
  void draw();
  int64_t examples() const { return examples_; }
  int64_t steps() const { return (examples_ + batchSize_ - 1) / batchSize_; }
  // The crops of step `step` (0-based) of the last draw: batchSize of them, fewer at the end.
  CropBatch batch(int64_t step) const;
  // The whole examples with the context padding, [N, n_mels, frames + 2 context].
  const torch::Tensor& paddedMels() const { return mels_; }

 private:
  torch::Tensor mels_, audio_, order_, starts_;
  int64_t examples_, frames_, hop_, context_;
  int cropFrames_, batchSize_;
  torch::Device device_;
};

// Throws std::invalid_argument unless 1 <= cropFrames <= frames (the dataset's).
void validateCropFrames(int cropFrames, int frames);

// The learning rate of `epoch` (from 1): learningRate * lrDecay^(epoch - 1).
double scheduledRate(const CropTrainOptions& o, int epoch);

// What an epoch of trainCropEpoch did.
struct CropEpoch {
  double learningRate = 0;
  int skippedSteps = 0;  // steps whose non-finite gradient was not taken
};

// Trains epoch `epoch`: sets the optimizer's (Adam's) learning rate to scheduledRate, seeds
// the epoch's random stream (seedStream(o.seed, epoch)), draws the crops and takes a step
// for each batch: `loss(batch)` is the batch's scalar loss (NaN in o.poisonLossAtEpoch),
// which the run's NaN guard checks ("training loss", with `nanHint`); then the gradients of
// `params`, clipped to o.clipGradNorm if that is > 0, step the optimizer. A step whose
// gradient norm is not finite is skipped, up to o.maxSkippedSteps in the epoch; the next
// stops the run through the guard ("gradient norm"). Shows the epoch's progress in crops
// unless o.quiet.
template <typename Metrics>
CropEpoch trainCropEpoch(int epoch, const CropTrainOptions& o, CropBatches& crops,
                         torch::optim::Adam& optimizer, const std::vector<torch::Tensor>& params,
                         const RunRecord<Metrics>& run, const std::string& nanHint,
                         const std::function<torch::Tensor(const CropBatch&)>& loss) {
  CropEpoch done;
  done.learningRate = scheduledRate(o, epoch);
  for (auto& group : optimizer.param_groups())
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(done.learningRate);
  seedStream(o.seed, static_cast<uint64_t>(epoch));
  crops.draw();
  const int64_t steps = crops.steps();
  auto progress = epochProgress(o.quiet, epoch, o.epochs, crops.examples(), "crops");
  for (int64_t step = 0; step < steps; ++step) {
    const CropBatch batch = crops.batch(step);
    torch::Tensor total = loss(batch);
    if (epoch == o.poisonLossAtEpoch) total = total + std::numeric_limits<double>::quiet_NaN();
    if (epoch == o.poisonGradientAtEpoch && !params.empty() &&
        (o.poisonGradientSteps == 0 || step < o.poisonGradientSteps)) {
      // 0 in value; its gradient sqrt'(0) * 0 = inf * 0 is NaN.
      const torch::Tensor zero = params[0] - params[0].detach();
      total = total + zero.square().sum().sqrt();
    }
    const std::string where = "step " + std::to_string(step + 1) + " of " + std::to_string(steps);
    run.checkFinite(total.item<double>(), "training loss", epoch, where, nanHint);
    optimizer.zero_grad();
    total.backward();
    // A finite loss can still give a non-finite gradient, which would make every parameter
    // NaN at this step: the step is skipped (as mixed-precision training skips an overflowed
    // one), and past the allowance the guard stops there, with the parameters intact.
    double norm = 0;
    if (o.clipGradNorm > 0) {
      norm = torch::nn::utils::clip_grad_norm_(params, o.clipGradNorm);
    } else {
      for (const torch::Tensor& p : params)
        if (p.grad().defined()) norm += p.grad().square().sum().item<double>();
      norm = std::sqrt(norm);
    }
    if (!std::isfinite(norm) && done.skippedSteps < o.maxSkippedSteps) {
      ++done.skippedSteps;
    } else {
      run.checkFinite(
          norm, "gradient norm", epoch,
          where + (o.maxSkippedSteps > 0 ? " (" + std::to_string(o.maxSkippedSteps) +
                                               " skipped this epoch already, --max-skipped-steps)"
                                         : std::string()),
          nanHint);
      optimizer.step();
    }
    if (progress) progress->advance(batch.size);
  }
  return done;
}

}  // namespace wae::training

// train_mcnn's library: trains the MCNN of mcnn_model.h on a dataset.h5's (mel, audio) pairs
// and writes mcnn.pt (the best epoch on the valid split), a checkpoint per epoch and a
// metrics CSV. No LibTorch in this header.
//
// Training: each epoch visits every train example once, as one random crop of cropFrames
// mel frames (plus contextFrames of real context on each side, or silence beyond the
// example's ends, as forward() pads) and the matching hop * cropFrames samples, in batches.
// Validation runs forward() on whole valid examples.
//
// Reproducibility: everything random in epoch e (order, crop positions) comes from torch's
// generator seeded with a function of (seed, e) at the start of the epoch, and checkpoints
// are written at epoch ends; a run resumed from any checkpoint reaches the same model, bit
// for bit, as an uninterrupted one with the same seed and thread count (tested).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "tools/mcnn/mcnn_config.h"
#include "tools/mcnn/spectral_loss.h"
#include "tools/training/run.h"

namespace wae::mcnn {

// The options every crop trainer has (dataset, seed, threads, device, checkpoint, metrics,
// resume, quiet, time budget, out, crops, schedule, valid examples) come from
// training::CropTrainOptions; the defaults are train_mcnn's.
struct TrainOptions : training::CropTrainOptions {
  McnnConfig model;
  SpectralLossOptions loss;
  TrainOptions() {
    outPath = "out/mcnn/mcnn.pt";
    cropFrames = 24;
    batchSize = 16;
    epochs = 100;
    learningRate = 2e-3;
    lrDecay = 0.99;
    clipGradNorm = 0.0;
    validExamples = 128;
  }
};

struct EpochMetrics {
  int epoch = 0;
  double learningRate = 0;
  double trainLoss = 0, trainSc = 0, trainLogMag = 0, trainInstFreq = 0, trainPhase = 0;
  double validLoss = 0;
  double validSc = 0, validLsdDb = 0;  // docs/DESIGN.md's SC and LSD (tools/audio/metrics.h)
  int skippedSteps = 0;  // steps whose non-finite gradient was skipped
  double seconds = 0;
  bool best = false;  // mcnn.pt was written after this epoch
};

// bestScore is the best epoch's valid loss.
using TrainResult = training::RunResult<EpochMetrics>;

// Trains; `log` gets one line per epoch. Throws wae::FormatError for a bad or missing
// dataset, std::invalid_argument for bad options (or a checkpoint made with other options),
// training::NonFiniteLoss, std::runtime_error for I/O.
TrainResult trainMcnn(const TrainOptions& options, std::ostream& log);

// The metrics CSV's header and one row.
std::string metricsHeader();
std::string metricsRow(const EpochMetrics& m);

}  // namespace wae::mcnn

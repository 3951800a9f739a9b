// train_vae's library: trains the model of vae_model.h on a dataset.h5 and writes model.pt
// (the best epoch on the valid split), a checkpoint per epoch, and a metrics CSV. No LibTorch
// in this header.
//
// Reproducibility: everything random in epoch e (data order, reparameterisation noise,
// prior samples) comes from torch's generator seeded with a function of (seed, e) at the
// start of the epoch, and checkpoints are written at epoch ends; so a run resumed from any
// checkpoint reaches the same model, bit for bit, as an uninterrupted one with the same
// seed and thread count (tested).
#pragma once

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>

#include "tools/training/non_finite_loss.h"
#include "tools/training/run.h"
#include "tools/vae/vae_config.h"

namespace wae::vae {

// The options every trainer has (dataset, seed, threads, device, checkpoint, metrics,
// resume, quiet, time budget) come from training::RunOptions.
struct TrainOptions : training::RunOptions {
  std::string outPath = "out/model.pt";
  VaeConfig model;
  std::string regularizer = "kl";  // kl, mmd-rbf, mmd-imq
  double weight = -1;              // beta (kl) or lambda (mmd); < 0: defaultWeight()
  int warmupEpochs = 10;           // kl only: beta grows linearly from 0 over these epochs
  std::string reconLoss = "l1";    // l1 or l2, on natural-log mels
  // Adds to each example's reconstruction term scWeight x (bands x frames) x the mels'
  // spectral convergence (losses.h, melSpectralConvergence): at 1 the two terms are weighed
  // as a mean log distance and the SC, as in a multi-resolution STFT loss. 0: off.
  double scWeight = 0.0;
  // With model.pitchAxis: the weight of the encoder's pitch term, 0.5 (error in
  // semitones)^2 per example (docs/VAE.md, "A pitch axis").
  double pitchWeight = 100.0;
  // Pitch augmentation: half of each batch's notes, drawn at random, are resampled by a
  // random shift uniform in +-pitchShift semitones, their mels recomputed from the
  // resampled audio (tools/audio/pitch_shift.h) and, with a pitch axis, their pitch labels
  // moved with them. 0: off. Needs the dataset's audio in memory (the train split's).
  double pitchShift = 0.0;
  // Level augmentation: half of each batch's notes, drawn at random (independently of the
  // pitch shift's), have their mels scaled by a gain uniform in +-gainShift dB, so that the
  // loudness axis (model.loudnessAxis), measured on the mel, moves with them and the decoder
  // sees each timbre at levels the corpus has only for others. 0: off.
  double gainShift = 0.0;
  int epochs = 150;  // about 35 min on 2 idle cores (docs/VAE.md)
  int batchSize = 32;
  double learningRate = 1e-3;
  // The rate of epoch e is learningRate * lrDecay^(e - 1); 1: constant.
  double lrDecay = 1.0;
  // Starts from this model.pt's weights (and its mel statistics) instead of a seeded new
  // model; its architecture (latent, channels, log eps, pitch and loudness axes) must be
  // `model`'s. Epochs count from 1 and the optimizer starts afresh. Empty: a new model.
  std::string initPath;
};

// The default regularizer weight: 1 for kl (the ELBO with a unit-scale likelihood),
// kDefaultMmdWeight for the MMD kernels (docs/VAE.md says how it was chosen).
inline constexpr double kDefaultMmdWeight = 1000.0;
double defaultWeight(const std::string& regularizer);

struct EpochMetrics {
  int epoch = 0;
  double weight = 0;  // regularizer weight at the end of the epoch (after warm-up)
  double trainLoss = 0, trainRecon = 0, trainReg = 0;
  double validLoss = 0, validRecon = 0, validReg = 0;
  double validMelL1 = 0, validMelLsdDb = 0;
  double validPitchMae = 0;  // semitones, the encoder's pitch axis against the labels (0 without)
  double seconds = 0;
  bool best = false;  // model.pt was written after this epoch
};

// bestScore is the best epoch's valid loss: valid recon + full weight * valid regularizer.
using TrainResult = training::RunResult<EpochMetrics>;

// A NaN or infinite loss term: the run stops, the last checkpoint is left as it was.
using NonFiniteLoss = training::NonFiniteLoss;

// Trains; `log` gets one line per epoch. Throws wae::FormatError for a bad or missing
// dataset (or settings differing from docs/DESIGN.md's audio settings),
// std::invalid_argument for bad options, NonFiniteLoss, std::runtime_error for I/O.
TrainResult trainVae(const TrainOptions& options, std::ostream& log);

// The metrics CSV's header and one row (used for the file and by tests).
std::string metricsHeader();
std::string metricsRow(const EpochMetrics& m);

}  // namespace wae::vae

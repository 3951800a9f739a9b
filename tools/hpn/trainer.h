// train_hpn's library: trains the harmonic-plus-noise inverter of hpn_model.h on a
// dataset.h5's (mel, audio, pitch) triples and writes hpn.pt (the best epoch on the valid
// split), a checkpoint per epoch and a metrics CSV. No LibTorch in this header.
//
// Training: each epoch visits every train example once, as one random crop of cropFrames mel
// frames (plus contextFrames of real context on each side, or silence beyond the example's
// ends, as forward() pads) and the matching hop * cropFrames samples, in batches. The
// synthesis runs at the note's labelled pitch (teacher forcing); the pitch classifier learns
// that pitch from the whole mel, against Gaussian soft targets. With pitchShift, half of the
// crops' notes are first moved to a random pitch around their own (tools/audio/pitch_shift.h).
// Validation runs forward() (the predicted pitch) on whole valid examples. Reproducible and
// resumable as train_mcnn. From an existing hpn.pt (initPath), optionally its pitch estimate
// alone (pitchOnly), or on a generative.pt's decoded mels (decodedBy).
#pragma once

#include <ostream>
#include <string>

#include "tools/hpn/hpn_config.h"
#include "tools/mcnn/spectral_loss.h"
#include "tools/training/run.h"

namespace wae::hpn {

// The options every crop trainer has come from training::CropTrainOptions; the defaults
// are train_hpn's.
struct TrainOptions : training::CropTrainOptions {
  HpnConfig model;
  mcnn::SpectralLossOptions loss;
  double pitchWeight = 0.1;  // weight of the pitch classifier's cross-entropy
  double pitchSigma = 0.5;   // semitones: width of the soft pitch targets
  // Semitones: half of the crops, drawn at random, come from notes resampled by a random
  // shift, uniform in +-pitchShift, their mels recomputed (tools/audio/pitch_shift.h) and their
  // pitch labels moved with them; 0: every crop as the dataset has it.
  double pitchShift = 0.0;
  // An hpn.pt to start from: its weights and architecture (`model` is then ignored), with
  // a fresh pitch scorer if it has none. Its audio settings must be the dataset's.
  std::string initPath;
  // Train the pitch estimate alone (the template's and the scorer's parameters) on its
  // cross-entropy; the controls network stays as initPath has it. Validation and the best
  // epoch are as in a full run: the valid notes synthesised at the predicted pitch.
  bool pitchOnly = false;
  // A generative.pt of make_generative: train on the mels its decoder gives at each train and
  // valid note's position (generative/decoded_mels.h) instead of the dataset's, against the
  // notes' audio, so that the inverter learns to render what it is handed in a bank. Needs
  // initPath (the hpn.pt to train on), no pitchShift; the pitch estimate stays as initPath
  // has it (no pitch term), and validation renders as the generative.pt does (at the
  // labels' pitch where it synthesises at its pitch axis's f0).
  std::string decodedBy;
  TrainOptions() {
    outPath = "out/hpn/hpn.pt";
    cropFrames = 32;
    batchSize = 16;
    epochs = 100;
    learningRate = 1e-3;
    lrDecay = 0.98;
    clipGradNorm = 1.0;
    maxSkippedSteps = 8;
    validExamples = 96;
  }
};

struct EpochMetrics {
  int epoch = 0;
  double learningRate = 0;
  double trainLoss = 0, trainSpectral = 0, trainPitch = 0;
  double validLoss = 0, validSc = 0, validLsdDb = 0;
  double validPitchCents = 0;  // median |predicted - labelled| pitch
  int skippedSteps = 0;        // steps whose non-finite gradient was skipped
  double seconds = 0;
  bool best = false;
};

// bestScore is the best epoch's valid loss.
using TrainResult = training::RunResult<EpochMetrics>;

// Trains; `log` gets one line per epoch. Throws wae::FormatError for a bad or missing
// dataset, std::invalid_argument for bad options (or a checkpoint made with other options),
// training::NonFiniteLoss, std::runtime_error for I/O.
TrainResult trainHpn(const TrainOptions& options, std::ostream& log);

}  // namespace wae::hpn

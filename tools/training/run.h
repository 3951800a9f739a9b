// What every trainer's run (train_vae, train_mcnn, train_hpn) is given, writes and reports:
// the common options (and those of the crop trainers, train_mcnn and train_hpn), the model (--out),
// the checkpoint directory (--checkpoint-dir) with last.ckpt in it, the metrics CSV (--metrics),
// and the result handed back to its tool. No LibTorch, so that trainers' headers, read by their
// option parsing, can include it.
//
// Threads: stateless.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::training {

// The options every trainer has besides its model, loss and schedule (its TrainOptions
// derive from this).
struct RunOptions {
  std::string datasetPath;
  uint64_t seed = 1;
  int threads = 2;
  std::string device = "cpu";  // cpu, cuda or cuda:N
  std::string checkpointDir;   // "": defaultCheckpointDir(outPath)
  std::string metricsPath;     // "": defaultMetricsPath(outPath)
  bool resume = false;         // continue from checkpointDir/last.ckpt if it exists
  bool quiet = false;          // no per-epoch lines
  // > 0: stop after the epoch that ends past this many minutes of this run (a time budget,
  // e.g. scripts/train.sh's --minutes); --resume continues. Not part of a run's
  // fingerprint: a resumed run may have another budget.
  double maxMinutes = 0;

  // For tests: makes the loss NaN in this epoch (1-based; 0: never).
  int poisonLossAtEpoch = 0;
  // For tests: keeps the loss finite but makes its gradient NaN in this epoch (crop trainers),
  // at its first poisonGradientSteps steps (0: all of them).
  int poisonGradientAtEpoch = 0;
  int poisonGradientSteps = 0;
};

// The options of a trainer that learns from random crops of (mel, audio) pairs with a
// learning rate that decays per epoch (train_mcnn, train_hpn; tools/training/crop_training.h).
// Each trainer's TrainOptions derives from this and sets its own defaults.
struct CropTrainOptions : RunOptions {
  std::string outPath;
  int cropFrames = 0;       // mel frames per training crop
  int batchSize = 0;        // crops per step
  int epochs = 0;           // the last epoch (a resumed run counts the earlier ones)
  double learningRate = 0;  // the rate of epoch e is learningRate * lrDecay^(e - 1)
  double lrDecay = 1;
  double clipGradNorm = 0;  // > 0: clip the gradient's global norm to this
  // A step whose gradient is not finite (under a finite loss) is skipped, parameters and
  // optimizer state untouched, up to this many per epoch; one more stops the run.
  int maxSkippedSteps = 0;
  int validExamples = 0;  // N of the valid split, spread over it (0: all)
};

// Throws std::invalid_argument naming the first bad option of the block (--epochs, --batch,
// --lr, --lr-decay, --clip-grad, --max-skipped-steps, --threads, --valid-examples,
// --max-minutes, --out, --dataset), with the value it got. --crop-frames needs the dataset's
// frames: see crop_training.h.
void validate(const CropTrainOptions& options);

inline constexpr char kCheckpointFile[] = "last.ckpt";

// "out/model.pt" -> "out/model.checkpoints" and "out/model.metrics.csv".
std::string defaultCheckpointDir(const std::string& outPath);
std::string defaultMetricsPath(const std::string& outPath);

struct RunFiles {
  std::string model, checkpointDir, checkpoint, metrics;
};

// The files of a run writing `outPath`; an empty checkpointDir or metricsPath means the
// default beside outPath.
RunFiles runFiles(const std::string& outPath, const std::string& checkpointDir,
                  const std::string& metricsPath);

// Creates the folders the files go in (the model's, the checkpoint directory, the CSV's).
void createDirectories(const RunFiles& files);

// Formatting for logs, messages and checkpoints' fingerprints: all 17 significant digits, or a
// fixed precision.
std::string exactString(double v);
std::string fixedString(double v, int digits);
// "1,2,3": a list option as the command line writes it.
std::string joinInts(const std::vector<int>& v);

// A finished run, with the trainer's per-epoch metrics.
template <typename Metrics>
struct RunResult {
  std::vector<Metrics> history;  // all epochs, resumed ones included
  int bestEpoch = 0;
  double bestScore = 0;  // the best epoch's validation score (the trainer says which)
  int resumedFromEpoch = 0;
  bool stoppedByTimeLimit = false;  // --max-minutes ended the run before its last epoch
  std::string modelPath, checkpointPath, metricsPath;
};

}  // namespace wae::training

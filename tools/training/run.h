// What every trainer's run (train_vae, train_mcnn) is given, writes and reports: the common
// options, the model (--out), the checkpoint directory (--checkpoint-dir) with last.ckpt in
// it, the metrics CSV (--metrics), and the result handed back to its tool. No LibTorch, so that
// trainers' headers, read by their option parsing, can include it.
//
// Threads: stateless.
#pragma once

#include <cstdint>
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

  // For tests: makes the loss NaN in this epoch (1-based; 0: never).
  int poisonLossAtEpoch = 0;
};

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

// A finished run, with the trainer's per-epoch metrics.
template <typename Metrics>
struct RunResult {
  std::vector<Metrics> history;  // all epochs, resumed ones included
  int bestEpoch = 0;
  double bestScore = 0;  // the best epoch's validation score (the trainer says which)
  int resumedFromEpoch = 0;
  std::string modelPath, checkpointPath, metricsPath;
};

}  // namespace wae::training

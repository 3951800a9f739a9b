// The command-line pieces every trainer's tool (train_vae, train_mcnn) has: the options of
// the run (threads, device, checkpoint, resume, metrics), and the main's body that resolves
// the user's paths, trains and prints the summary line. For trainers' TrainOptions, which
// derive from RunOptions and add outPath. No LibTorch.
#pragma once

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "common/paths.h"
#include "tools/training/run.h"

namespace wae::training {

// Adds --threads, --device, --checkpoint-dir, --resume and --metrics, in that order.
inline void addRunOptions(CLI::App& app, RunOptions& o) {
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--device", o.device, "cpu, cuda or cuda:N")->capture_default_str();
  app.add_option("--checkpoint-dir", o.checkpointDir,
                 "where last.ckpt goes (default: <out stem>.checkpoints beside --out)");
  app.add_flag("--resume", o.resume, "continue from the checkpoint if there is one");
  app.add_option("--metrics", o.metricsPath,
                 "metrics CSV, rewritten every epoch (default: <out stem>.metrics.csv)");
}

// The tool's body once its options are parsed: resolves the paths against the folder the
// user typed the command in (wae::resolveUserPath), calls `train(o, std::cerr)` (a
// RunResult), and prints where the best model, the metrics and the checkpoint are on
// stdout; an error goes to stderr as "<tool>: <what>". Returns the exit status.
template <typename Options, typename Train>
int trainMain(const std::string& tool, Options& o, Train train) {
  try {
    o.datasetPath = resolveUserPath(o.datasetPath);
    o.outPath = resolveUserPath(o.outPath);
    if (!o.checkpointDir.empty()) o.checkpointDir = resolveUserPath(o.checkpointDir);
    if (!o.metricsPath.empty()) o.metricsPath = resolveUserPath(o.metricsPath);
    const auto result = train(o, std::cerr);
    std::cout << tool << ": " << result.modelPath << " is epoch " << result.bestEpoch
              << " (valid loss " << result.bestScore << "); metrics in " << result.metricsPath
              << ", checkpoint " << result.checkpointPath << "\n";
  } catch (const std::exception& e) {
    std::cerr << tool << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace wae::training

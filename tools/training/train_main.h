// The command-line pieces every trainer's tool (train_vae, train_mcnn, train_hpn) has: the
// options of the run (threads, device, checkpoint, resume, metrics, time budget), those of
// the crop trainers (train_mcnn, train_hpn: crops, schedule, validation), and the main's
// body that resolves the user's paths, trains and prints the summary line. For trainers'
// TrainOptions, which derive from RunOptions and add outPath. No LibTorch.
#pragma once

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "common/paths.h"
#include "tools/training/run.h"

namespace wae::training {

// Adds --threads, --device, --checkpoint-dir, --resume, --metrics and --max-minutes, in that
// order.
inline void addRunOptions(CLI::App& app, RunOptions& o) {
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--device", o.device, "cpu, cuda or cuda:N")->capture_default_str();
  app.add_option("--checkpoint-dir", o.checkpointDir,
                 "where last.ckpt goes (default: <out stem>.checkpoints beside --out)");
  app.add_flag("--resume", o.resume, "continue from the checkpoint if there is one");
  app.add_option("--metrics", o.metricsPath,
                 "metrics CSV, rewritten every epoch (default: <out stem>.metrics.csv)");
  app.add_option("--max-minutes", o.maxMinutes,
                 "stop after the epoch that ends past this many minutes (0: no limit)")
      ->capture_default_str();
}

// Adds --crop-frames, --batch, --epochs, --lr, --lr-decay, --clip-grad, --max-skipped-steps,
// --valid-examples,
// --seed, then the run's options (addRunOptions), in that order; the defaults shown are
// those `o` holds.
inline void addCropTrainOptions(CLI::App& app, CropTrainOptions& o) {
  app.add_option("--crop-frames", o.cropFrames, "mel frames per training crop")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "crops per step")->capture_default_str();
  app.add_option("--epochs", o.epochs, "total epochs (a resumed run counts the earlier ones)")
      ->capture_default_str();
  app.add_option("--lr", o.learningRate, "Adam learning rate")->capture_default_str();
  app.add_option("--lr-decay", o.lrDecay, "learning rate factor per epoch")->capture_default_str();
  app.add_option("--clip-grad", o.clipGradNorm, "clip the gradient norm to this (0: off)")
      ->capture_default_str();
  app.add_option("--max-skipped-steps", o.maxSkippedSteps,
                 "steps per epoch whose non-finite gradient is skipped before the run stops")
      ->capture_default_str();
  app.add_option("--valid-examples", o.validExamples,
                 "validate on N valid examples spread evenly over the split (0: all)")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the initialisation, order and crops")
      ->capture_default_str();
  addRunOptions(app, o);
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

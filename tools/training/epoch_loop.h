// The epochs of a training run, as every trainer (train_vae, train_mcnn, train_hpn) drives
// them: from the epoch after the last checkpoint to the last epoch, each trained and
// validated by the trainer's callbacks, then ended by the RunRecord (best model, checkpoint,
// metrics CSV), reported in one progress line with the rate and the ETA, and the run stopped
// after the epoch that ends past the time budget. LibTorch: include only from tools code.
//
// Threads: the training thread (the callbacks run on it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <sstream>
#include <string>

#include "common/progress.h"
#include "tools/training/run.h"
#include "tools/training/run_record.h"

namespace wae::training {

// What the loop needs to know of the run besides its RunRecord.
struct EpochLoopOptions {
  std::string tool;       // the tool's name, in the --max-minutes line ("train_mcnn")
  int epochs = 0;         // the last epoch
  double maxMinutes = 0;  // > 0: stop after the epoch that ends past this many minutes
  bool quiet = false;     // no per-epoch lines
  int64_t examples = 0;   // examples an epoch visits, for the rate
  std::string rateUnit;   // the rate's unit in the progress line ("crops/s")
};

// The trainer's part of an epoch. Metrics has the fields of RunRecord's and `int epoch`,
// which the loop sets before calling train.
template <typename Metrics>
struct EpochCallbacks {
  // Trains one epoch, filling m's training fields. Throws to end the run (NonFiniteLoss).
  std::function<void(int epoch, Metrics& m)> train;
  // Validates after the epoch's training, filling m's validation fields; returns the score
  // that picks the best epoch (lower is better).
  std::function<double(int epoch, Metrics& m)> validate;
  // Records in the module that it is epoch `epoch`'s, before the best model is saved.
  std::function<void(int epoch)> markBest;
  // The progress line's middle: "train loss ... | valid loss ...".
  std::function<std::string(const Metrics& m)> describe;
};

// Runs epochs run.lastEpoch() + 1 .. o.epochs. Unless quiet, writes to `log` after each:
//   epoch E/N: <describe> | <rate> <rateUnit>, <seconds> s, ETA <h:mm:ss>[ | best, saved]
// With o.maxMinutes > 0, stops after the first epoch that ends o.maxMinutes after
// `runStart` or later (unless it is the last), saying so on `log` unless quiet. Returns the
// run's result.
template <typename Metrics>
RunResult<Metrics> runEpochs(RunRecord<Metrics>& run, const EpochLoopOptions& o,
                             std::chrono::steady_clock::time_point runStart,
                             const EpochCallbacks<Metrics>& c, std::ostream& log) {
  using Clock = std::chrono::steady_clock;
  bool stoppedByTimeLimit = false;
  for (int epoch = run.lastEpoch() + 1; epoch <= o.epochs; ++epoch) {
    const auto start = Clock::now();
    Metrics m;
    m.epoch = epoch;
    c.train(epoch, m);
    const double score = c.validate(epoch, m);
    run.endEpoch(m, score, start, [&] { c.markBest(epoch); });
    const double elapsedMinutes =
        std::chrono::duration<double>(Clock::now() - runStart).count() / 60.0;
    const bool outOfTime = o.maxMinutes > 0 && elapsedMinutes >= o.maxMinutes && epoch < o.epochs;
    if (!o.quiet) {
      std::ostringstream line;
      line << "epoch " << epoch << "/" << o.epochs << ": " << c.describe(m) << " | "
           << fixedString(o.examples / m.seconds, 1) << " " << o.rateUnit << ", "
           << fixedString(m.seconds, 1) << " s, ETA "
           << Progress::formatDuration(run.secondsLeft(o.epochs))
           << (m.best ? " | best, saved" : "");
      log << line.str() << std::endl;
    }
    if (outOfTime) {
      stoppedByTimeLimit = true;
      if (!o.quiet)
        log << o.tool << ": --max-minutes " << o.maxMinutes << " reached after epoch " << epoch
            << "; continue with --resume\n";
      break;
    }
  }
  RunResult<Metrics> result = run.result();
  result.stoppedByTimeLimit = stoppedByTimeLimit;
  return result;
}

}  // namespace wae::training

// The part of a training run that every trainer does alike around its own epochs: resuming
// from the checkpoint, and at each epoch's end keeping the best model, writing the
// checkpoint and rewriting the metrics CSV. The trainer keeps its own metrics struct, loss,
// CSV columns and progress line. LibTorch: include only from tools code.
//
// Threads: one RunRecord per run, used from the training thread.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tools/training/checkpoint.h"
#include "tools/training/metrics_format.h"
#include "tools/training/run.h"
#include "tools/training/training_util.h"

namespace wae::training {

// Sets torch's intra-op threads and turns the TorchScript graph optimiser off: the
// optimising executor switches graphs after its profiling runs, so a resumed run (a fresh
// executor) could round differently from an uninterrupted one.
void setUpTorch(int threads);

// What a run carries from epoch to epoch (the history, the best score and epoch, the last
// checkpointed epoch) and writes at each epoch's end. Metrics has the fields `int epoch`,
// `double seconds` and `bool best`. The checkpoint holds the parameters, the optimizer's
// state, "epoch", "best_score", "best_epoch" and the "history" rows.
template <typename Metrics>
class RunRecord {
 public:
  using Clock = std::chrono::steady_clock;

  // `module` and `optimizer` (over the module's parameters) must outlive the record;
  // `config` is the run's fingerprint, which a resumed checkpoint must match.
  RunRecord(std::string checkpointFormat, int64_t checkpointVersion, Fingerprint config,
            RunFiles files, MetricsFormat<Metrics> format, torch::jit::Module& module,
            torch::optim::Optimizer& optimizer, const torch::Device& device)
      : checkpointFormat_(std::move(checkpointFormat)),
        checkpointVersion_(checkpointVersion),
        config_(std::move(config)),
        files_(std::move(files)),
        format_(format),
        module_(module),
        optimizer_(optimizer),
        device_(device) {}

  // Fingerprint keys that checkpoints written before they existed lack, with the value that
  // their absence means (CheckpointReader's absentMeans). Call before start().
  void acceptAbsent(Fingerprint keys) { absentMeans_ = std::move(keys); }

  // Before the first epoch: with `resume`, loads the checkpoint if there is one (parameters,
  // optimizer state, history) and says on `log`, as `tool` and unless `quiet`, whether it
  // did; then creates the output folders. Throws what CheckpointReader throws (a checkpoint
  // made with other options, or not a checkpoint). The learning rate may differ from the
  // checkpoint's (fingerprint key "lr": lowering it is how a run stopped by the NaN guard
  // goes on): the optimizer then takes `learningRate`, and the change is said on `log`.
  void start(bool resume, const std::string& tool, bool quiet, std::ostream& log,
             double learningRate) {
    if (resume && std::filesystem::exists(files_.checkpoint)) {
      CheckpointReader r(files_.checkpoint, device_, checkpointFormat_, checkpointVersion_, config_,
                         {"lr"}, absentMeans_);
      r.readParameters(module_);
      r.readOptimizer(optimizer_);
      for (auto& group : optimizer_.param_groups()) group.options().set_lr(learningRate);
      for (const std::string& change : r.changes())
        if (!quiet) log << tool << ": resuming with " << change << "\n";
      lastEpoch_ = static_cast<int>(r.readInt("epoch"));
      bestScore_ = r.readDouble("best_score");
      bestEpoch_ = static_cast<int>(r.readInt("best_epoch"));
      for (const auto& row : r.readRows("history", format_.columns))
        history_.push_back(format_.fromRow(row));
      resumedFromEpoch_ = lastEpoch_;
      if (!quiet)
        log << tool << ": resumed from " << files_.checkpoint << " after epoch " << lastEpoch_
            << "\n";
    } else if (resume && !quiet) {
      log << tool << ": no checkpoint at " << files_.checkpoint << ", starting afresh\n";
    }
    createDirectories(files_);
  }

  // The NaN guard (training::checkFinite), naming this run's last checkpoint.
  void checkFinite(double value, const std::string& term, int epoch, const std::string& where,
                   const std::string& hint) const {
    training::checkFinite(value, term, epoch, where, lastEpoch_, files_.checkpoint, hint);
  }

  // The last epoch with a checkpoint (0: none yet); this run's epochs follow it.
  int lastEpoch() const { return lastEpoch_; }
  const RunFiles& files() const { return files_; }

  // Ends epoch m.epoch, begun at `epochStart`, whose validation `score` (lower is better) is
  // known. If the score is the best so far: marks m.best, lets `markBest` record the epoch in
  // the module, and saves the module to files().model. Then sets m.seconds, appends m to
  // the history and writes the checkpoint, then the metrics CSV from the history, both
  // atomically: a kill between the two leaves a CSV that the resumed run rewrites.
  void endEpoch(Metrics& m, double score, Clock::time_point epochStart,
                const std::function<void()>& markBest) {
    if (score < bestScore_) {
      bestScore_ = score;
      bestEpoch_ = m.epoch;
      m.best = true;
      markBest();
      saveModuleAtomically(module_, files_.model, device_);
    }
    m.seconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
    history_.push_back(m);

    CheckpointWriter w(checkpointFormat_, checkpointVersion_, config_);
    w.writeParameters(module_);
    w.writeOptimizer(optimizer_);
    w.writeInt("epoch", m.epoch);
    w.writeDouble("best_score", bestScore_);
    w.writeInt("best_epoch", bestEpoch_);
    std::vector<std::vector<double>> rows;
    for (const Metrics& e : history_) rows.push_back(format_.toRow(e));
    w.writeRows("history", rows, format_.columns);
    w.save(files_.checkpoint);
    lastEpoch_ = m.epoch;

    std::string csv = format_.csvHeader() + "\n";
    for (const Metrics& e : history_) csv += format_.csvRow(e) + "\n";
    writeTextAtomically(files_.metrics, csv);

    secondsThisRun_ += m.seconds;
    ++epochsThisRun_;
  }

  // The mean epoch time of this run (resumed epochs not counted) times the epochs left
  // until `totalEpochs`.
  double secondsLeft(int totalEpochs) const {
    const double perEpoch = secondsThisRun_ / epochsThisRun_;
    return perEpoch * (totalEpochs - lastEpoch_);
  }

  RunResult<Metrics> result() const {
    RunResult<Metrics> r;
    r.history = history_;
    r.bestEpoch = bestEpoch_;
    r.bestScore = bestScore_;
    r.resumedFromEpoch = resumedFromEpoch_;
    r.modelPath = files_.model;
    r.checkpointPath = files_.checkpoint;
    r.metricsPath = files_.metrics;
    return r;
  }

 private:
  const std::string checkpointFormat_;
  const int64_t checkpointVersion_;
  const Fingerprint config_;
  Fingerprint absentMeans_;
  const RunFiles files_;
  const MetricsFormat<Metrics> format_;
  torch::jit::Module& module_;
  torch::optim::Optimizer& optimizer_;
  const torch::Device device_;

  std::vector<Metrics> history_;
  double bestScore_ = std::numeric_limits<double>::infinity();
  int bestEpoch_ = 0;
  int lastEpoch_ = 0;
  int resumedFromEpoch_ = 0;
  double secondsThisRun_ = 0;
  int epochsThisRun_ = 0;
};

// A run's model and what trains it: the module (moved to the device), its trainable
// parameters, Adam over them at `learningRate`, and the run's record, whose files are those
// of `outPath` and `options`. Made in place and never copied or moved: the record refers to
// the module and the optimizer.
template <typename Metrics>
struct ModelRun {
  ModelRun(torch::jit::Module m, const torch::Device& device, double learningRate,
           std::string checkpointFormat, int64_t checkpointVersion, Fingerprint config,
           const RunOptions& options, const std::string& outPath, MetricsFormat<Metrics> format)
      : module(onDevice(std::move(m), device)),
        params(trainableParameters(module)),
        optimizer(params, torch::optim::AdamOptions(learningRate)),
        run(std::move(checkpointFormat), checkpointVersion, std::move(config),
            runFiles(outPath, options.checkpointDir, options.metricsPath), std::move(format),
            module, optimizer, device) {}
  ModelRun(const ModelRun&) = delete;
  ModelRun& operator=(const ModelRun&) = delete;

  torch::jit::Module module;
  std::vector<torch::Tensor> params;
  torch::optim::Adam optimizer;
  RunRecord<Metrics> run;

 private:
  static torch::jit::Module onDevice(torch::jit::Module m, const torch::Device& device) {
    m.to(device);
    return m;
  }
};

}  // namespace wae::training

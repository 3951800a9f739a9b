#include "tools/mcnn/trainer.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "tools/mcnn/inverter_training.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/mcnn_schema.h"
#include "tools/training/checkpoint.h"
#include "tools/training/crop_training.h"
#include "tools/training/epoch_loop.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"

namespace wae::mcnn {
namespace {

using Clock = std::chrono::steady_clock;
using training::exactString;
using training::fixedString;
using training::joinInts;

constexpr char kCheckpointFormat[] = "wae-sampler-mcnn-checkpoint";
constexpr int64_t kCheckpointVersion = 2;
constexpr uint64_t kInitStream = 0;  // epochs use streams 1, 2, ...
constexpr int kHistoryColumns = 14;
constexpr char kNanHint[] = "lower --lr or set --clip-grad";

// What a checkpoint must share with the run that resumes it: everything that changes what
// an epoch computes. Epochs, threads, device, time limit and paths may differ.
training::Fingerprint fingerprint(const TrainOptions& o, int64_t nTrain, int64_t nValid) {
  const McnnConfig& m = o.model;
  const SpectralLossOptions& l = o.loss;
  return {{"train_examples", std::to_string(nTrain)},
          {"valid_examples", std::to_string(nValid)},
          {"heads", std::to_string(m.heads)},
          {"widths", joinInts(m.widths)},
          {"kernel_width", std::to_string(m.kernelWidth)},
          {"log_eps", exactString(m.logEps)},
          {"context_frames", std::to_string(m.contextFrames)},
          {"fft_sizes", joinInts(l.fftSizes)},
          {"sc_weight", exactString(l.scWeight)},
          {"log_mag_weight", exactString(l.logMagWeight)},
          {"inst_freq_weight", exactString(l.instFreqWeight)},
          {"phase_weight", exactString(l.phaseWeight)},
          {"crop_frames", std::to_string(o.cropFrames)},
          {"batch", std::to_string(o.batchSize)},
          {"lr", exactString(o.learningRate)},
          {"lr_decay", exactString(o.lrDecay)},
          {"clip_grad", exactString(o.clipGradNorm)},
          {"seed", std::to_string(o.seed)}};
}

// What train_mcnn checks beyond training::validate(CropTrainOptions), once the dataset's
// settings are known.
void validateOptions(const TrainOptions& o, const AudioSettings& s) {
  validate(o.loss);
  validate(o.model, s);
  training::validateCropFrames(o.cropFrames, s.nFrames);
  const int maxFft = *std::max_element(o.loss.fftSizes.begin(), o.loss.fftSizes.end());
  if (o.cropFrames * s.hopLength <= maxFft / 2)
    throw std::invalid_argument("--crop-frames " + std::to_string(o.cropFrames) + " gives " +
                                std::to_string(o.cropFrames * s.hopLength) +
                                " samples, too short for the loss's FFT size " +
                                std::to_string(maxFft) + " (needs more than half of it)");
}

// The metrics CSV's columns, also those of the checkpoint's history (whose 13th column is
// unused).
const training::MetricsFormat<EpochMetrics>& metricsFormat() {
  static const auto format =
      training::columnsFormat<EpochMetrics>(kHistoryColumns, [](auto& m, auto&& column) {
        column("epoch", m.epoch);
        column("lr", m.learningRate);
        column("train_loss", m.trainLoss);
        column("train_sc", m.trainSc);
        column("train_log_mag", m.trainLogMag);
        column("train_inst_freq", m.trainInstFreq);
        column("train_phase", m.trainPhase);
        column("valid_loss", m.validLoss);
        column("valid_sc", m.validSc);
        column("valid_lsd_db", m.validLsdDb);
        column("skipped_steps", m.skippedSteps);
        column("seconds", m.seconds);
        column("best", m.best);
      });
  return format;
}

// Running means of the loss terms, weighted by examples.
struct Means {
  double total = 0, sc = 0, logMag = 0, instFreq = 0, phase = 0;
  int64_t examples = 0;
  void add(const SpectralLossTerms& t, int64_t n) {
    total += t.total.item<double>() * n;
    sc += t.sc.item<double>() * n;
    logMag += t.logMag.item<double>() * n;
    instFreq += t.instFreq.item<double>() * n;
    phase += t.phase.item<double>() * n;
    examples += n;
  }
  void finish() {
    if (examples == 0) return;
    for (double* v : {&total, &sc, &logMag, &instFreq, &phase}) *v /= double(examples);
  }
};

}  // namespace

std::string metricsHeader() { return metricsFormat().csvHeader(); }

std::string metricsRow(const EpochMetrics& m) { return metricsFormat().csvRow(m); }

TrainResult trainMcnn(const TrainOptions& o, std::ostream& log) {
  const auto runStart = Clock::now();
  training::validate(o);
  const torch::Device device = training::resolveDevice(o.device);
  training::setUpTorch(o.threads);

  const InverterSplits data = loadInverterSplits(o.datasetPath, o.validExamples);
  const AudioSettings& settings = data.settings;
  validateOptions(o, settings);
  const int64_t nTrain = data.nTrain, nValid = data.nValid;

  const auto [logMean, logStd] = vae::logMelStatistics(data.train.mels(), o.model.logEps);
  training::seedStream(o.seed, kInitStream);
  training::ModelRun<EpochMetrics> model(
      makeMcnnModule(o.model, settings, logMean, logStd), device, o.learningRate, kCheckpointFormat,
      kCheckpointVersion, fingerprint(o, nTrain, nValid), o, o.outPath, metricsFormat());
  torch::jit::Module& module = model.module;
  training::RunRecord<EpochMetrics>& run = model.run;
  module.train();
  run.start(o.resume, "train_mcnn", o.quiet, log, o.learningRate);

  const int64_t hop = settings.hopLength;
  const int64_t context = o.model.contextFrames;
  training::CropBatches crops(data.train.mels(), data.train.audio(), hop, context, o.cropFrames,
                              o.batchSize, device);
  const torch::Tensor validMels = data.valid.mels().index_select(0, data.validRows).to(device);
  const torch::Tensor validAudio = data.valid.audio().index_select(0, data.validRows).to(device);

  training::EpochCallbacks<EpochMetrics> epochs;
  epochs.train = [&](int epoch, EpochMetrics& m) {
    Means means;
    const training::CropEpoch done = training::trainCropEpoch(
        epoch, o, crops, model.optimizer, model.params, run, kNanHint,
        [&](const training::CropBatch& b) {
          const torch::Tensor wave = module.run_method(method::kSynthesize, b.mels)
                                         .toTensor()
                                         .narrow(1, context * hop, o.cropFrames * hop);
          const SpectralLossTerms t = spectralLoss(wave, b.audio, o.loss);
          means.add(t, b.size);
          return t.total;
        });
    means.finish();
    m.learningRate = done.learningRate;
    m.skippedSteps = done.skippedSteps;
    m.trainLoss = means.total;
    m.trainSc = means.sc;
    m.trainLogMag = means.logMag;
    m.trainInstFreq = means.instFreq;
    m.trainPhase = means.phase;
  };
  // Validate on whole examples through forward(), as the inverter is used.
  epochs.validate = [&](int epoch, EpochMetrics& m) {
    const InverterScores v = validateInverter(module, validMels, validAudio, o.loss, settings);
    m.validLoss = v.loss;
    m.validSc = v.sc;
    m.validLsdDb = v.lsdDb;
    run.checkFinite(m.validLoss, "valid loss", epoch, "validation", kNanHint);
    return m.validLoss;
  };
  epochs.markBest = [&](int epoch) { setEpoch(module, epoch); };
  epochs.describe = [&](const EpochMetrics& m) {
    std::ostringstream line;
    line << "train loss " << fixedString(m.trainLoss, 4) << " (SC " << fixedString(m.trainSc, 4)
         << ", log-mag " << fixedString(m.trainLogMag, 4);
    if (o.loss.instFreqWeight > 0) line << ", IF " << fixedString(m.trainInstFreq, 4);
    if (o.loss.phaseWeight > 0) line << ", phase " << fixedString(m.trainPhase, 4);
    line << ") | valid loss " << fixedString(m.validLoss, 4) << ", SC " << fixedString(m.validSc, 4)
         << ", LSD " << fixedString(m.validLsdDb, 2) << " dB";
    if (m.skippedSteps > 0)
      line << " | " << m.skippedSteps << " steps skipped (gradient not finite)";
    return line.str();
  };
  return training::runEpochs(run,
                             {"train_mcnn", o.epochs, o.maxMinutes, o.quiet, nTrain, "crops/s"},
                             runStart, epochs, log);
}

}  // namespace wae::mcnn

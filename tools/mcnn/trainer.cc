#include "tools/mcnn/trainer.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "common/errors.h"
#include "common/progress.h"
#include "tools/audio/metrics.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/mcnn/mcnn_model.h"
#include "tools/mcnn/mcnn_schema.h"
#include "tools/training/checkpoint.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"

namespace wae::mcnn {
namespace {

using Clock = std::chrono::steady_clock;
using training::exactString;
using training::fixedString;

constexpr char kCheckpointFormat[] = "wae-sampler-mcnn-checkpoint";
constexpr int64_t kCheckpointVersion = 1;
constexpr uint64_t kInitStream = 0;  // epochs use streams 1, 2, ...
constexpr int kHistoryColumns = 13;
constexpr int kValidBatch = 8;
constexpr char kNanHint[] = "lower --lr or set --clip-grad";

std::string joinInts(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

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

void validateOptions(const TrainOptions& o, const AudioSettings& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (o.epochs < 1) fail("--epochs must be at least 1, got " + std::to_string(o.epochs));
  if (o.batchSize < 1) fail("--batch must be at least 1, got " + std::to_string(o.batchSize));
  if (!(o.learningRate > 0) || !std::isfinite(o.learningRate))
    fail("--lr must be positive, got " + exactString(o.learningRate));
  if (!(o.lrDecay > 0) || o.lrDecay > 1)
    fail("--lr-decay must be in (0, 1], got " + exactString(o.lrDecay));
  if (!(o.clipGradNorm >= 0) || !std::isfinite(o.clipGradNorm))
    fail("--clip-grad must be >= 0, got " + exactString(o.clipGradNorm));
  if (o.threads < 1) fail("--threads must be at least 1, got " + std::to_string(o.threads));
  if (o.validExamples < 0)
    fail("--valid-examples must be >= 0, got " + std::to_string(o.validExamples));
  if (!(o.maxMinutes >= 0)) fail("--max-minutes must be >= 0");
  if (o.outPath.empty()) fail("--out is empty");
  if (o.datasetPath.empty()) fail("--dataset is empty");
  validate(o.loss);
  validate(o.model, s);
  if (o.cropFrames < 1 || o.cropFrames > s.nFrames)
    fail("--crop-frames must be in 1.." + std::to_string(s.nFrames) + ", got " +
         std::to_string(o.cropFrames));
  const int maxFft = *std::max_element(o.loss.fftSizes.begin(), o.loss.fftSizes.end());
  if (o.cropFrames * s.hopLength <= maxFft / 2)
    fail("--crop-frames " + std::to_string(o.cropFrames) + " gives " +
         std::to_string(o.cropFrames * s.hopLength) +
         " samples, too short for the loss's FFT size " + std::to_string(maxFft) +
         " (needs more than half of it)");
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
  const torch::Device device = training::resolveDevice(o.device);
  training::setUpTorch(o.threads);

  using dataset::MelDataset;
  using dataset::Split;
  const MelDataset train(o.datasetPath, {Split::kTrain, true, AudioSettings{}});
  const MelDataset valid(o.datasetPath, {Split::kValid, true, AudioSettings{}});
  const AudioSettings settings = train.settings();
  validateOptions(o, settings);
  const int64_t nTrain = train.mels().size(0);
  int64_t nValid = valid.mels().size(0);
  if (o.validExamples > 0) nValid = std::min<int64_t>(nValid, o.validExamples);
  if (nTrain < 1) throw FormatError(o.datasetPath, "train split", "0 examples", "at least 1");
  if (nValid < 1) throw FormatError(o.datasetPath, "valid split", "0 examples", "at least 1");
  for (const auto* split : {&train, &valid}) {
    const char* name = split == &train ? "train" : "valid";
    if (!torch::isfinite(split->mels()).all().item<bool>() ||
        (split->mels() < 0).any().item<bool>())
      throw FormatError(o.datasetPath, std::string("/mel (") + name + " split)",
                        "negative or non-finite values", "finite amplitudes >= 0");
    if (!torch::isfinite(split->audio()).all().item<bool>())
      throw FormatError(o.datasetPath, std::string("/audio (") + name + " split)",
                        "non-finite samples", "finite samples");
  }

  const auto [logMean, logStd] = vae::logMelStatistics(train.mels(), o.model.logEps);
  training::seedStream(o.seed, kInitStream);
  torch::jit::Module module = makeMcnnModule(o.model, settings, logMean, logStd);
  module.to(device);
  module.train();
  std::vector<torch::Tensor> params = training::trainableParameters(module);
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(o.learningRate));
  training::RunRecord<EpochMetrics> run(
      kCheckpointFormat, kCheckpointVersion, fingerprint(o, nTrain, nValid),
      training::runFiles(o.outPath, o.checkpointDir, o.metricsPath), metricsFormat(), module,
      optimizer, device);
  run.start(o.resume, "train_mcnn", o.quiet, log);

  const int64_t hop = settings.hopLength;
  const int64_t context = o.model.contextFrames;
  const int64_t cropIn = o.cropFrames + 2 * context;
  // Silence beyond both ends of every example, as forward() pads.
  const torch::Tensor trainMels =
      torch::constant_pad_nd(train.mels(), {context, context}, 0.0).to(device);
  const torch::Tensor trainAudio = train.audio().to(device);
  const torch::Tensor validMels = valid.mels().narrow(0, 0, nValid).to(device);
  const torch::Tensor validAudio = valid.audio().narrow(0, 0, nValid).to(device);
  bool stoppedByTimeLimit = false;

  for (int epoch = run.lastEpoch() + 1; epoch <= o.epochs; ++epoch) {
    const auto start = Clock::now();
    EpochMetrics m;
    m.epoch = epoch;
    m.learningRate = o.learningRate * std::pow(o.lrDecay, double(epoch - 1));
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(m.learningRate);

    training::seedStream(o.seed, static_cast<uint64_t>(epoch));
    const torch::Tensor order = torch::randperm(nTrain, torch::kLong);
    const torch::Tensor starts =
        torch::randint(0, settings.nFrames - o.cropFrames + 1, {nTrain}, torch::kLong);
    const auto orderOf = order.accessor<int64_t, 1>();
    const auto startOf = starts.accessor<int64_t, 1>();
    const int64_t steps = (nTrain + o.batchSize - 1) / o.batchSize;
    Means trainMeans;
    auto progress = training::epochProgress(o.quiet, epoch, o.epochs, nTrain, "crops");
    for (int64_t step = 0; step < steps; ++step) {
      const int64_t begin = step * o.batchSize;
      const int64_t end = std::min(nTrain, begin + o.batchSize);
      std::vector<torch::Tensor> mels, waves;
      for (int64_t i = begin; i < end; ++i) {
        const int64_t row = orderOf[i];
        const int64_t first = startOf[i];
        mels.push_back(trainMels[row].narrow(1, first, cropIn));
        waves.push_back(trainAudio[row].narrow(0, first * hop, o.cropFrames * hop));
      }
      const torch::Tensor target = torch::stack(waves);
      const torch::Tensor wave = module.run_method(method::kSynthesize, torch::stack(mels))
                                     .toTensor()
                                     .narrow(1, context * hop, o.cropFrames * hop);
      SpectralLossTerms t = spectralLoss(wave, target, o.loss);
      if (epoch == o.poisonLossAtEpoch)
        t.total = t.total + std::numeric_limits<double>::quiet_NaN();
      const std::string where = "step " + std::to_string(step + 1) + " of " + std::to_string(steps);
      run.checkFinite(t.total.item<double>(), "training loss", epoch, where, kNanHint);
      optimizer.zero_grad();
      t.total.backward();
      if (o.clipGradNorm > 0) torch::nn::utils::clip_grad_norm_(params, o.clipGradNorm);
      optimizer.step();
      trainMeans.add(t, end - begin);
      if (progress) progress->advance(end - begin);
    }
    trainMeans.finish();
    m.trainLoss = trainMeans.total;
    m.trainSc = trainMeans.sc;
    m.trainLogMag = trainMeans.logMag;
    m.trainInstFreq = trainMeans.instFreq;
    m.trainPhase = trainMeans.phase;

    // Validate on whole examples through forward(), as the inverter is used.
    {
      torch::NoGradGuard noGrad;
      module.eval();
      Means v;
      double sc = 0, lsd = 0;
      for (int64_t begin = 0; begin < nValid; begin += kValidBatch) {
        const int64_t n = std::min<int64_t>(kValidBatch, nValid - begin);
        const torch::Tensor wave = module.forward({validMels.narrow(0, begin, n)}).toTensor();
        const torch::Tensor ref = validAudio.narrow(0, begin, n);
        v.add(spectralLoss(wave, ref, o.loss), n);
        sc += spectralConvergence(ref, wave, settings) * n;
        lsd += logSpectralDistanceDb(ref, wave, settings) * n;
      }
      module.train();
      v.finish();
      m.validLoss = v.total;
      m.validSc = sc / nValid;
      m.validLsdDb = lsd / nValid;
      run.checkFinite(m.validLoss, "valid loss", epoch, "validation", kNanHint);
    }

    run.endEpoch(m, m.validLoss, start, [&] { setEpoch(module, epoch); });
    const double elapsedMinutes =
        std::chrono::duration<double>(Clock::now() - runStart).count() / 60.0;
    const bool outOfTime = o.maxMinutes > 0 && elapsedMinutes >= o.maxMinutes && epoch < o.epochs;
    if (!o.quiet) {
      std::ostringstream line;
      line << "epoch " << epoch << "/" << o.epochs << ": train loss " << fixedString(m.trainLoss, 4)
           << " (SC " << fixedString(m.trainSc, 4) << ", log-mag " << fixedString(m.trainLogMag, 4);
      if (o.loss.instFreqWeight > 0) line << ", IF " << fixedString(m.trainInstFreq, 4);
      if (o.loss.phaseWeight > 0) line << ", phase " << fixedString(m.trainPhase, 4);
      line << ") | valid loss " << fixedString(m.validLoss, 4) << ", SC "
           << fixedString(m.validSc, 4) << ", LSD " << fixedString(m.validLsdDb, 2) << " dB | "
           << fixedString(nTrain / m.seconds, 1) << " crops/s, " << fixedString(m.seconds, 1)
           << " s, ETA " << Progress::formatDuration(run.secondsLeft(o.epochs))
           << (m.best ? " | best, saved" : "");
      log << line.str() << std::endl;
    }
    if (outOfTime) {
      stoppedByTimeLimit = true;
      if (!o.quiet)
        log << "train_mcnn: --max-minutes " << o.maxMinutes << " reached after epoch " << epoch
            << "; continue with --resume\n";
      break;
    }
  }

  TrainResult result{run.result()};
  result.stoppedByTimeLimit = stoppedByTimeLimit;
  return result;
}

}  // namespace wae::mcnn

#include "tools/hpn/trainer.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "common/errors.h"
#include "common/progress.h"
#include "tools/audio/metrics.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/hpn/hpn_model.h"
#include "tools/hpn/hpn_schema.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"

namespace wae::hpn {
namespace {

using Clock = std::chrono::steady_clock;
using training::exactString;
using training::fixedString;

constexpr char kCheckpointFormat[] = "wae-sampler-hpn-checkpoint";
constexpr int64_t kCheckpointVersion = 1;
constexpr uint64_t kInitStream = 0;
constexpr int kHistoryColumns = 11;
constexpr int kValidBatch = 8;
constexpr char kNanHint[] = "lower --lr";

std::string joinInts(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

training::Fingerprint fingerprint(const TrainOptions& o, int64_t nTrain, int64_t nValid) {
  const HpnConfig& m = o.model;
  return {{"train_examples", std::to_string(nTrain)},
          {"valid_examples", std::to_string(nValid)},
          {"hidden", std::to_string(m.hidden)},
          {"dilations", joinInts(m.dilations)},
          {"pitch_harmonics", std::to_string(m.pitchHarmonics)},
          {"pitch_floor_db", exactString(m.pitchFloorDb)},
          {"harmonics", std::to_string(m.harmonics)},
          {"env_bins", std::to_string(m.envBins)},
          {"pitch_bins", exactString(m.pitchMin) + ":" + exactString(m.pitchMax) + ":" +
                             exactString(m.pitchStep)},
          {"context_frames", std::to_string(m.contextFrames)},
          {"noise_seed", std::to_string(m.noiseSeed)},
          {"tune_cents", exactString(m.tuneCents)},
          {"fft_sizes", joinInts(o.loss.fftSizes)},
          {"sc_weight", exactString(o.loss.scWeight)},
          {"log_mag_weight", exactString(o.loss.logMagWeight)},
          {"pitch_weight", exactString(o.pitchWeight)},
          {"pitch_sigma", exactString(o.pitchSigma)},
          {"crop_frames", std::to_string(o.cropFrames)},
          {"batch", std::to_string(o.batchSize)},
          {"lr", exactString(o.learningRate)},
          {"lr_decay", exactString(o.lrDecay)},
          {"clip_grad", exactString(o.clipGradNorm)},
          {"seed", std::to_string(o.seed)}};
}

void validateOptions(const TrainOptions& o) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (o.epochs < 1) fail("--epochs must be at least 1, got " + std::to_string(o.epochs));
  if (o.batchSize < 1) fail("--batch must be at least 1, got " + std::to_string(o.batchSize));
  if (!(o.learningRate > 0) || !std::isfinite(o.learningRate))
    fail("--lr must be positive, got " + exactString(o.learningRate));
  if (!(o.lrDecay > 0) || o.lrDecay > 1)
    fail("--lr-decay must be in (0, 1], got " + exactString(o.lrDecay));
  if (!(o.clipGradNorm >= 0)) fail("--clip-grad must be >= 0");
  if (!(o.pitchWeight >= 0)) fail("--pitch-weight must be >= 0");
  if (!(o.pitchSigma > 0)) fail("--pitch-sigma must be positive");
  if (o.threads < 1) fail("--threads must be at least 1, got " + std::to_string(o.threads));
  if (o.validExamples < 0) fail("--valid-examples must be >= 0");
  if (!(o.maxMinutes >= 0)) fail("--max-minutes must be >= 0");
  if (o.outPath.empty()) fail("--out is empty");
  if (o.datasetPath.empty()) fail("--dataset is empty");
  mcnn::validate(o.loss);
}

const training::MetricsFormat<EpochMetrics>& metricsFormat() {
  static const auto format =
      training::columnsFormat<EpochMetrics>(kHistoryColumns, [](auto& m, auto&& column) {
        column("epoch", m.epoch);
        column("lr", m.learningRate);
        column("train_loss", m.trainLoss);
        column("train_spectral", m.trainSpectral);
        column("train_pitch", m.trainPitch);
        column("valid_loss", m.validLoss);
        column("valid_sc", m.validSc);
        column("valid_lsd_db", m.validLsdDb);
        column("valid_pitch_cents", m.validPitchCents);
        column("seconds", m.seconds);
        column("best", m.best);
      });
  return format;
}

}  // namespace

TrainResult trainHpn(const TrainOptions& o, std::ostream& log) {
  const auto runStart = Clock::now();
  validateOptions(o);
  const torch::Device device = training::resolveDevice(o.device);
  training::setUpTorch(o.threads);

  using dataset::MelDataset;
  using dataset::Split;
  const MelDataset train(o.datasetPath, {Split::kTrain, true, AudioSettings{}});
  const MelDataset valid(o.datasetPath, {Split::kValid, true, AudioSettings{}});
  const AudioSettings settings = train.settings();
  validate(o.model, settings);
  if (o.cropFrames < 1 || o.cropFrames > settings.nFrames)
    throw std::invalid_argument("--crop-frames must be in 1.." + std::to_string(settings.nFrames));
  const int64_t nTrain = train.mels().size(0);
  int64_t nValid = valid.mels().size(0);
  if (o.validExamples > 0) nValid = std::min<int64_t>(nValid, o.validExamples);
  if (nTrain < 1) throw FormatError(o.datasetPath, "train split", "0 examples", "at least 1");
  if (nValid < 1) throw FormatError(o.datasetPath, "valid split", "0 examples", "at least 1");

  const auto [logMean, logStd] = vae::logMelStatistics(train.mels(), o.model.logEps);
  training::seedStream(o.seed, kInitStream);
  torch::jit::Module module = makeHpnModule(o.model, settings, logMean, logStd);
  module.to(device);
  module.train();
  std::vector<torch::Tensor> params = training::trainableParameters(module);
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(o.learningRate));
  training::RunRecord<EpochMetrics> run(
      kCheckpointFormat, kCheckpointVersion, fingerprint(o, nTrain, nValid),
      training::runFiles(o.outPath, o.checkpointDir, o.metricsPath), metricsFormat(), module,
      optimizer, device);
  run.start(o.resume, "train_hpn", o.quiet, log);

  const int64_t hop = settings.hopLength;
  const int64_t context = o.model.contextFrames;
  const int64_t cropIn = o.cropFrames + 2 * context;
  const torch::Tensor trainMels =
      torch::constant_pad_nd(train.mels(), {context, context}, 0.0).to(device);
  const torch::Tensor trainAudio = train.audio().to(device);
  const torch::Tensor trainPitch =
      train.targets().select(1, dataset::kLabelPitch).to(torch::kFloat32).to(device);
  // 1 for the notes whose pitch the pitch estimate learns: all but those make_dataset found
  // unpitched in a plain folder (f0 0; their label is a placeholder).
  torch::Tensor trainPitched = torch::ones({nTrain}, torch::kFloat32);
  for (int64_t i = 0; i < nTrain; ++i)
    if (train.annotation(size_t(i)).f0Hz == 0.0f) trainPitched[i] = 0.0f;
  trainPitched = trainPitched.to(device);
  const torch::Tensor validMels = valid.mels().narrow(0, 0, nValid).to(device);
  const torch::Tensor validAudio = valid.audio().narrow(0, 0, nValid).to(device);
  const torch::Tensor validPitch = valid.targets()
                                       .select(1, dataset::kLabelPitch)
                                       .narrow(0, 0, nValid)
                                       .to(torch::kFloat32)
                                       .to(device);
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
    double sumLoss = 0, sumSpectral = 0, sumPitch = 0;
    auto progress = training::epochProgress(o.quiet, epoch, o.epochs, nTrain, "crops");
    for (int64_t step = 0; step < steps; ++step) {
      const int64_t begin = step * o.batchSize;
      const int64_t end = std::min(nTrain, begin + o.batchSize);
      std::vector<torch::Tensor> mels, waves, whole;
      std::vector<int64_t> rows;
      for (int64_t i = begin; i < end; ++i) {
        const int64_t row = orderOf[i];
        rows.push_back(row);
        mels.push_back(trainMels[row].narrow(1, startOf[i], cropIn));
        waves.push_back(trainAudio[row].narrow(0, startOf[i] * hop, o.cropFrames * hop));
      }
      const torch::Tensor index = torch::tensor(rows, torch::kLong).to(device);
      const torch::Tensor midi = trainPitch.index_select(0, index);
      const torch::Tensor f0 = midiToHz(midi);
      const torch::Tensor wave = module.run_method(method::kSynthesize, torch::stack(mels), f0)
                                     .toTensor()
                                     .narrow(1, context * hop, o.cropFrames * hop);
      const mcnn::SpectralLossTerms spectral =
          mcnn::spectralLoss(wave, torch::stack(waves), o.loss);
      const torch::Tensor logits =
          module
              .run_method(method::kPitchLogits,
                          trainMels.index_select(0, index).narrow(2, context, settings.nFrames))
              .toTensor();
      const torch::Tensor pitched = trainPitched.index_select(0, index);
      const torch::Tensor pitchLoss =
          (-(pitchTargets(o.model, midi, o.pitchSigma) * torch::log_softmax(logits, 1)).sum(1) *
           pitched)
              .sum() /
          pitched.sum().clamp_min(1.0);
      torch::Tensor total = spectral.total + o.pitchWeight * pitchLoss;
      if (epoch == o.poisonLossAtEpoch) total = total + std::numeric_limits<double>::quiet_NaN();
      const std::string where = "step " + std::to_string(step + 1) + " of " + std::to_string(steps);
      run.checkFinite(total.item<double>(), "training loss", epoch, where, kNanHint);
      optimizer.zero_grad();
      total.backward();
      if (o.clipGradNorm > 0) torch::nn::utils::clip_grad_norm_(params, o.clipGradNorm);
      optimizer.step();
      const double n = double(end - begin);
      sumLoss += total.item<double>() * n;
      sumSpectral += spectral.total.item<double>() * n;
      sumPitch += pitchLoss.item<double>() * n;
      if (progress) progress->advance(end - begin);
    }
    m.trainLoss = sumLoss / nTrain;
    m.trainSpectral = sumSpectral / nTrain;
    m.trainPitch = sumPitch / nTrain;

    {
      torch::NoGradGuard noGrad;
      module.eval();
      double loss = 0, sc = 0, lsd = 0;
      std::vector<double> cents;
      for (int64_t begin = 0; begin < nValid; begin += kValidBatch) {
        const int64_t n = std::min<int64_t>(kValidBatch, nValid - begin);
        const torch::Tensor mel = validMels.narrow(0, begin, n);
        const torch::Tensor wave = module.forward({mel}).toTensor();
        const torch::Tensor ref = validAudio.narrow(0, begin, n);
        loss += mcnn::spectralLoss(wave, ref, o.loss).total.item<double>() * n;
        sc += spectralConvergence(ref, wave, settings) * n;
        lsd += logSpectralDistanceDb(ref, wave, settings) * n;
        const torch::Tensor predicted =
            module.run_method("decode_pitch", module.run_method(method::kPitchLogits, mel))
                .toTensor();
        const torch::Tensor err = (predicted - validPitch.narrow(0, begin, n)).abs() * 100.0;
        for (int64_t i = 0; i < n; ++i) cents.push_back(err[i].item<double>());
      }
      module.train();
      std::nth_element(cents.begin(), cents.begin() + cents.size() / 2, cents.end());
      m.validPitchCents = cents[cents.size() / 2];
      m.validLoss = loss / nValid;
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
           << " (spectral " << fixedString(m.trainSpectral, 4) << ", pitch "
           << fixedString(m.trainPitch, 3) << ") | valid loss " << fixedString(m.validLoss, 4)
           << ", SC " << fixedString(m.validSc, 4) << ", LSD " << fixedString(m.validLsdDb, 2)
           << " dB, pitch error " << fixedString(m.validPitchCents, 1) << " cents (median) | "
           << fixedString(nTrain / m.seconds, 1) << " crops/s, " << fixedString(m.seconds, 1)
           << " s, ETA " << Progress::formatDuration(run.secondsLeft(o.epochs))
           << (m.best ? " | best, saved" : "");
      log << line.str() << std::endl;
    }
    if (outOfTime) {
      stoppedByTimeLimit = true;
      if (!o.quiet)
        log << "train_hpn: --max-minutes " << o.maxMinutes << " reached after epoch " << epoch
            << "; continue with --resume\n";
      break;
    }
  }

  TrainResult result{run.result()};
  result.stoppedByTimeLimit = stoppedByTimeLimit;
  return result;
}

}  // namespace wae::hpn

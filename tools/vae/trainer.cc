#include "tools/vae/trainer.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include "common/audio_settings.h"
#include "common/errors.h"
#include "common/sha256.h"
#include "tools/audio/pitch_shift.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/training/checkpoint.h"
#include "tools/training/epoch_loop.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"
#include "tools/vae/losses.h"
#include "tools/vae/vae_model.h"
#include "tools/vae/vae_schema.h"

namespace wae::vae {
namespace {

using Clock = std::chrono::steady_clock;
using training::seedStream;

std::string str(double v) { return training::exactString(v); }
std::string fixed(double v, int digits) { return training::fixedString(v, digits); }

constexpr char kCheckpointFormat[] = "wae-sampler-vae-checkpoint";
constexpr int64_t kCheckpointVersion = 2;  // 2: the pitch axis and its column
// Random streams besides the epochs' (which use 1, 2, ...).
constexpr uint64_t kInitStream = 0;
constexpr uint64_t kValidStream = 0xffffffffull;
constexpr int kHistoryColumns = 13;
constexpr char kNanHint[] = "lower --lr or change --weight";

// The options a checkpoint must share with the run that resumes it: everything that
// changes what an epoch computes. Epochs (no schedule depends on the total), threads,
// device and paths may differ.
training::Fingerprint fingerprint(const TrainOptions& o, double weight, int64_t nTrain,
                                  int64_t nValid, const std::string& initSha256) {
  return {{"train_examples", std::to_string(nTrain)},
          {"valid_examples", std::to_string(nValid)},
          {"latent", std::to_string(o.model.latentDim)},
          {"channels", std::to_string(o.model.channels)},
          {"log_eps", str(o.model.logEps)},
          {"pitch_axis", o.model.pitchAxis ? "1" : "0"},
          {"pitch_weight", o.model.pitchAxis ? str(o.pitchWeight) : "-"},
          {"loudness_axis", o.model.loudnessAxis ? "1" : "0"},
          {"pitch_shift", str(o.pitchShift)},
          {"regularizer", o.regularizer},
          {"weight", str(weight)},
          {"warmup_epochs", std::to_string(o.warmupEpochs)},
          {"recon_loss", o.reconLoss},
          {"batch", std::to_string(o.batchSize)},
          {"lr", str(o.learningRate)},
          {"seed", std::to_string(o.seed)},
          {"sc_weight", str(o.scWeight)},     // absent from older checkpoints: 0
          {"lr_decay", str(o.lrDecay)},       // 1
          {"init_sha256", initSha256},        // ""
          {"gain_shift", str(o.gainShift)}};  // 0
}

// With o.initPath: the model.pt a run starts from, its architecture checked against o.model
// (before the dataset is loaded), and its SHA-256 for the fingerprint.
struct InitModel {
  torch::jit::Module module;
  AudioSettings settings;
  std::string sha256;
};

std::optional<InitModel> loadInit(const TrainOptions& o) {
  if (o.initPath.empty()) return std::nullopt;
  VaeInfo info;
  torch::jit::Module m = loadVae(o.initPath, &info);
  const VaeConfig& a = info.config;
  const VaeConfig& b = o.model;
  auto differs = [&](const char* name, const std::string& found, const std::string& expected) {
    throw FormatError(o.initPath, std::string("attribute ") + name, found,
                      expected + " (the options of this run)");
  };
  if (a.latentDim != b.latentDim)
    differs(attr::kLatentDim, std::to_string(a.latentDim), std::to_string(b.latentDim));
  if (a.channels != b.channels)
    differs(attr::kChannels, std::to_string(a.channels), std::to_string(b.channels));
  if (a.logEps != b.logEps) differs(attr::kLogEps, str(a.logEps), str(b.logEps));
  if (a.pitchAxis != b.pitchAxis)
    differs(attr::kPitchAxis, a.pitchAxis ? "1" : "0", b.pitchAxis ? "1" : "0");
  if (a.loudnessAxis != b.loudnessAxis)
    differs(attr::kLoudnessAxis, a.loudnessAxis ? "1" : "0", b.loudnessAxis ? "1" : "0");
  return InitModel{m, info.settings, sha256FileHex(o.initPath)};
}

// The module a run starts from: `init`'s (whose audio settings must be the dataset's) or a
// new one of o.model, seeded, with the train split's mel statistics.
torch::jit::Module startingModel(const TrainOptions& o, std::optional<InitModel>& init,
                                 const AudioSettings& settings, const torch::Tensor& trainMels) {
  if (init) {
    requireSame(settings, "the dataset " + o.datasetPath, init->settings, o.initPath);
    return init->module;
  }
  const auto [logMean, logStd] = logMelStatistics(trainMels, o.model.logEps);
  seedStream(o.seed, kInitStream);
  return makeVaeModule(o.model, settings, logMean, logStd);
}

void validateOptions(const TrainOptions& o) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (o.epochs < 1) fail("--epochs must be at least 1, got " + std::to_string(o.epochs));
  if (o.batchSize < 2) fail("--batch must be at least 2, got " + std::to_string(o.batchSize));
  if (!(o.learningRate > 0) || !std::isfinite(o.learningRate))
    fail("--lr must be positive, got " + str(o.learningRate));
  if (o.threads < 1) fail("--threads must be at least 1, got " + std::to_string(o.threads));
  if (o.warmupEpochs < 0)
    fail("--warmup-epochs must be >= 0, got " + std::to_string(o.warmupEpochs));
  if (o.weight >= 0 && !std::isfinite(o.weight)) fail("--weight must be finite");
  if (!(o.pitchWeight >= 0) || !std::isfinite(o.pitchWeight))
    fail("--pitch-weight must be finite and >= 0, got " + str(o.pitchWeight));
  if (!(o.pitchShift >= 0 && o.pitchShift <= 12))
    fail("--pitch-shift must be in 0..12 semitones, got " + str(o.pitchShift));
  if (!(o.gainShift >= 0 && o.gainShift <= 24))
    fail("--gain-shift must be in 0..24 dB, got " + str(o.gainShift));
  if (o.outPath.empty()) fail("--out is empty");
  if (o.datasetPath.empty()) fail("--dataset is empty");
  if (!(o.maxMinutes >= 0)) fail("--max-minutes must be >= 0, got " + str(o.maxMinutes));
  parseRegularizer(o.regularizer);
  parseReconLoss(o.reconLoss);
  if (!(o.scWeight >= 0) || !std::isfinite(o.scWeight))
    fail("--sc-weight must be finite and >= 0, got " + str(o.scWeight));
  if (!(o.lrDecay > 0 && o.lrDecay <= 1))
    fail("--lr-decay must be in (0, 1], got " + str(o.lrDecay));
}

// The metrics CSV's columns, also those of the checkpoint's history.
const training::MetricsFormat<EpochMetrics>& metricsFormat() {
  static const auto format =
      training::columnsFormat<EpochMetrics>(kHistoryColumns, [](auto& m, auto&& column) {
        column("epoch", m.epoch);
        column("weight", m.weight);
        column("train_loss", m.trainLoss);
        column("train_recon", m.trainRecon);
        column("train_reg", m.trainReg);
        column("valid_loss", m.validLoss);
        column("valid_recon", m.validRecon);
        column("valid_reg", m.validReg);
        column("valid_mel_l1", m.validMelL1);
        column("valid_mel_lsd_db", m.validMelLsdDb);
        column("valid_pitch_mae", m.validPitchMae);
        column("seconds", m.seconds);
        column("best", m.best);
      });
  return format;
}

struct Terms {
  double recon = 0, reg = 0, loss = 0;
  int64_t examples = 0;
  void add(double r, double g, double l, int64_t n) {
    recon += r * n;
    reg += g * n;
    loss += l * n;
    examples += n;
  }
  void finish() {
    if (examples == 0) return;
    recon /= examples;
    reg /= examples;
    loss /= examples;
  }
};

// Everything one epoch's step needs.
class Session {
 public:
  Session(torch::jit::Module& module, Regularizer reg, ReconLoss recon, double scWeight,
          bool pitchAxis, bool loudnessAxis)
      : module_(module),
        reg_(reg),
        recon_(recon),
        scWeight_(scWeight),
        pitchAxis_(pitchAxis),
        loudnessAxis_(loudnessAxis) {}

  // The loss terms of one batch (amplitude mels on the device; with a pitch axis, the
  // labels' pitch coordinates [B]). Noise from torch's global generator. With a pitch axis
  // the decoder gets the label's coordinate on axis 0 and the regularizer sees the other
  // axes only; the encoder's axis 0 is fitted to the label by the pitch term,
  // 0.5 (error in semitones)^2 per example. With a loudness axis too, the decoder gets on
  // axis 1 the loudness the encoder measured (exact: nothing to fit) and the regularizer
  // sees axes 2 on.
  struct BatchTerms {
    torch::Tensor recon, reg, pitch, mu;
  };
  BatchTerms terms(const torch::Tensor& mel, const torch::Tensor& pitch) {
    auto encoded = module_.run_method(method::kEncode, mel).toTuple();
    torch::Tensor mu = encoded->elements()[0].toTensor();
    torch::Tensor logvar = encoded->elements()[1].toTensor();
    BatchTerms t;
    t.mu = mu;
    t.pitch = torch::zeros({}, mu.options());
    torch::Tensor given;  // the label's pitch coordinate [B, 1] (and loudness), or undefined
    if (pitchAxis_) {
      given = pitch.view({-1, 1}).to(mu.dtype());
      t.pitch = 0.5 * ((mu.slice(1, 0, 1) - given) * kSemitonesPerUnit).pow(2).sum(1).mean();
      const int64_t fixed = loudnessAxis_ ? 2 : 1;
      if (loudnessAxis_) given = torch::cat({given, mu.slice(1, 1, 2).detach()}, 1);
      mu = mu.slice(1, fixed);
      logvar = logvar.slice(1, fixed);
    }
    torch::Tensor z = mu + torch::exp(0.5 * logvar) * torch::randn_like(mu);
    const torch::Tensor target = module_.run_method(method::kLogMel, mel).toTensor();
    const torch::Tensor pred =
        module_.run_method(method::kDecodeLog, given.defined() ? torch::cat({given, z}, 1) : z)
            .toTensor();
    t.recon = reconstruction(pred, target, recon_);
    if (scWeight_ > 0)
      t.recon =
          t.recon + scWeight_ * double(target[0].numel()) * melSpectralConvergence(pred, target);
    if (reg_ == Regularizer::kKl) {
      t.reg = klDivergence(mu, logvar);
    } else {
      const torch::Tensor prior = torch::randn_like(z);
      t.reg = mmd(z, prior, reg_);
    }
    return t;
  }

 private:
  torch::jit::Module& module_;
  Regularizer reg_;
  ReconLoss recon_;
  double scWeight_;
  bool pitchAxis_;
  bool loudnessAxis_;
};

}  // namespace

double defaultWeight(const std::string& regularizer) {
  return parseRegularizer(regularizer) == Regularizer::kKl ? 1.0 : kDefaultMmdWeight;
}

std::string metricsHeader() { return metricsFormat().csvHeader(); }

std::string metricsRow(const EpochMetrics& m) { return metricsFormat().csvRow(m); }

TrainResult trainVae(const TrainOptions& o, std::ostream& log) {
  validateOptions(o);
  const Regularizer reg = parseRegularizer(o.regularizer);
  const ReconLoss recon = parseReconLoss(o.reconLoss);
  const double fullWeight = o.weight >= 0 ? o.weight : defaultWeight(o.regularizer);
  const torch::Device device = training::resolveDevice(o.device);
  training::setUpTorch(o.threads);
  std::optional<InitModel> init = loadInit(o);  // refused before the dataset is loaded

  // The model reads mels of the docs/DESIGN.md's settings: a dataset made otherwise is refused.
  using dataset::MelDataset;
  using dataset::Split;
  const MelDataset train(o.datasetPath, {Split::kTrain, o.pitchShift > 0, AudioSettings{}});
  const MelDataset valid(o.datasetPath, {Split::kValid, false, AudioSettings{}});
  const int64_t nTrain = train.mels().size(0), nValid = valid.mels().size(0);
  if (nTrain < 2)
    throw FormatError(o.datasetPath, "train split", std::to_string(nTrain) + " examples",
                      "at least 2");
  if (nValid < 1) throw FormatError(o.datasetPath, "valid split", "0 examples", "at least 1");
  const AudioSettings settings = train.settings();
  validate(o.model, settings);
  if (torch::isfinite(train.mels()).logical_not().any().item<bool>() ||
      (train.mels() < 0).any().item<bool>())
    throw FormatError(o.datasetPath, "/mel (train split)", "negative or non-finite values",
                      "finite amplitudes >= 0");

  training::ModelRun<EpochMetrics> model(
      startingModel(o, init, settings, train.mels()), device, o.learningRate, kCheckpointFormat,
      kCheckpointVersion, fingerprint(o, fullWeight, nTrain, nValid, init ? init->sha256 : ""), o,
      o.outPath, metricsFormat());
  torch::jit::Module& module = model.module;
  training::RunRecord<EpochMetrics>& run = model.run;
  run.acceptAbsent({{"sc_weight", str(0.0)},
                    {"lr_decay", str(1.0)},
                    {"init_sha256", ""},
                    {"gain_shift", str(0.0)}});
  run.start(o.resume, "train_vae", o.quiet, log, o.learningRate);
  // The time budget counts from here: after the dataset and the checkpoint are loaded.
  const auto runStart = Clock::now();

  Session session(module, reg, recon, o.scWeight, o.model.pitchAxis, o.model.loudnessAxis);
  const double pitchWeight = o.model.pitchAxis ? o.pitchWeight : 0.0;
  const torch::Tensor trainMels = train.mels().to(device);
  const torch::Tensor validMels = valid.mels().to(device);
  const torch::Tensor trainPitch =
      pitchCoordinate(train.targets().select(1, dataset::kLabelPitch)).to(device);
  const torch::Tensor validPitch =
      pitchCoordinate(valid.targets().select(1, dataset::kLabelPitch)).to(device);

  // The batch's mels and pitch coordinates; with --pitch-shift, half of its notes (drawn at
  // random) moved by a shift in +-pitchShift semitones, their mels recomputed; then with
  // --gain-shift, half of them (drawn again) scaled by a gain in +-gainShift dB (the mels are
  // amplitudes). Without either option nothing is drawn, so such runs stay as they were.
  const MelSpectrogram melOf(settings);
  auto batch = [&](const torch::Tensor& rows) {
    torch::Tensor mels = trainMels.index_select(0, rows), pitch = trainPitch.index_select(0, rows);
    if (o.pitchShift > 0) {
      const torch::Tensor shifts = drawShifts(rows.size(0), o.pitchShift);
      mels = shiftedMels(mels, train.audio().index_select(0, rows.cpu()), shifts, melOf,
                         settings.sampleRate);
      pitch = pitch + (shifts / kSemitonesPerUnit).to(pitch.dtype()).to(device);
    }
    if (o.gainShift > 0) mels = gainedMels(mels, drawShifts(rows.size(0), o.gainShift));
    return std::pair{mels, pitch};
  };

  training::EpochCallbacks<EpochMetrics> epochs;
  epochs.train = [&](int epoch, EpochMetrics& m) {
    seedStream(o.seed, static_cast<uint64_t>(epoch));
    const double rate = o.learningRate * std::pow(o.lrDecay, double(epoch - 1));
    for (auto& group : model.optimizer.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
    const torch::Tensor order = torch::randperm(nTrain, torch::kLong).to(device);
    const int64_t steps = (nTrain + o.batchSize - 1) / o.batchSize;
    Terms train_;
    double weight = fullWeight;
    auto progress = training::epochProgress(o.quiet, epoch, o.epochs, nTrain, "examples");
    for (int64_t step = 0; step < steps; ++step) {
      const int64_t begin = step * o.batchSize;
      const int64_t end = std::min(nTrain, begin + o.batchSize);
      if (end - begin < 2) continue;  // the MMD needs 2 codes; KL runs stay comparable
      if (reg == Regularizer::kKl && o.warmupEpochs > 0)
        weight = fullWeight * std::min(1.0, (double(epoch - 1) + double(step + 1) / double(steps)) /
                                                double(o.warmupEpochs));
      const torch::Tensor rows = order.slice(0, begin, end);
      const auto [mels, pitch] = batch(rows);
      Session::BatchTerms t = session.terms(mels, pitch);
      if (epoch == o.poisonLossAtEpoch)
        t.recon = t.recon + std::numeric_limits<double>::quiet_NaN();
      const torch::Tensor loss = t.recon + weight * t.reg + pitchWeight * t.pitch;
      const double r = t.recon.item<double>(), g = t.reg.item<double>();
      const double pl = t.pitch.item<double>();
      const std::string where = "step " + std::to_string(step + 1) + " of " + std::to_string(steps);
      run.checkFinite(r, "reconstruction", epoch, where, kNanHint);
      run.checkFinite(g, o.regularizer, epoch, where, kNanHint);
      run.checkFinite(pl, "pitch", epoch, where, kNanHint);
      model.optimizer.zero_grad();
      loss.backward();
      model.optimizer.step();
      train_.add(r, g, r + weight * g + pitchWeight * pl, end - begin);
      if (progress) progress->advance(end - begin);
    }
    train_.finish();
    m.weight = weight;
    m.trainRecon = train_.recon;
    m.trainReg = train_.reg;
    m.trainLoss = train_.loss;
  };

  // Validate: the same terms with noise of a fixed stream, at the full weight; mel measures
  // on forward (decode of the mean).
  epochs.validate = [&](int epoch, EpochMetrics& m) {
    torch::NoGradGuard noGrad;
    seedStream(o.seed, kValidStream);
    Terms v;
    double l1 = 0, lsd = 0, pitchErr = 0;
    for (int64_t begin = 0; begin < nValid; begin += o.batchSize) {
      const int64_t end = std::min(nValid, begin + o.batchSize);
      const torch::Tensor batch = validMels.slice(0, begin, end);
      const torch::Tensor pitch = validPitch.slice(0, begin, end);
      Session::BatchTerms t;
      if (end - begin >= 2 || reg == Regularizer::kKl)
        t = session.terms(batch, pitch);
      else  // one example: MMD needs two
        t = session.terms(torch::cat({batch, batch}), torch::cat({pitch, pitch}));
      const double r = t.recon.item<double>(), g = t.reg.item<double>();
      const double pl = t.pitch.item<double>();
      v.add(r, g, r + fullWeight * g + pitchWeight * pl, end - begin);
      if (o.model.pitchAxis)
        pitchErr += ((t.mu.slice(0, 0, end - begin).select(1, 0) - pitch) * kSemitonesPerUnit)
                        .abs()
                        .sum()
                        .item<double>();
      const torch::Tensor est =
          module.run_method(method::kDecode, t.mu.slice(0, 0, end - begin)).toTensor();
      l1 += melL1(batch, est).sum().item<double>();
      lsd += melLsdDb(batch, est).sum().item<double>();
    }
    v.finish();
    m.validRecon = v.recon;
    m.validReg = v.reg;
    m.validLoss = v.loss;
    m.validMelL1 = l1 / nValid;
    m.validMelLsdDb = lsd / nValid;
    m.validPitchMae = pitchErr / nValid;
    run.checkFinite(v.recon, "valid reconstruction", epoch, "validation", kNanHint);
    run.checkFinite(v.reg, "valid " + o.regularizer, epoch, "validation", kNanHint);
    return m.validLoss;
  };
  epochs.markBest = [&](int epoch) {
    setTrainingInfo(module, o.regularizer, fullWeight, o.reconLoss, epoch, o.scWeight);
  };
  epochs.describe = [&](const EpochMetrics& m) {
    std::ostringstream line;
    line << "train loss " << fixed(m.trainLoss, 1) << " (recon " << fixed(m.trainRecon, 1) << ", "
         << o.regularizer << " " << fixed(m.trainReg, 4) << " x " << fixed(m.weight, 3)
         << ") | valid loss " << fixed(m.validLoss, 1) << " (recon " << fixed(m.validRecon, 1)
         << ", " << o.regularizer << " " << fixed(m.validReg, 4) << "), mel L1 "
         << fixed(m.validMelL1, 5) << ", LSD " << fixed(m.validMelLsdDb, 2) << " dB"
         << (o.model.pitchAxis ? ", pitch error " + fixed(m.validPitchMae, 2) + " st" : "");
    return line.str();
  };
  return training::runEpochs(run, {"train_vae", o.epochs, o.maxMinutes, o.quiet, nTrain, "ex/s"},
                             runStart, epochs, log);
}

}  // namespace wae::vae

#include "tools/hpn/trainer.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "common/audio_settings.h"
#include "common/sha256.h"
#include "tools/audio/pitch_shift.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/generative/decoded_mels.h"
#include "tools/hpn/hpn_model.h"
#include "tools/hpn/hpn_schema.h"
#include "tools/hpn/note_crops.h"
#include "tools/mcnn/inverter_training.h"
#include "tools/training/crop_training.h"
#include "tools/training/epoch_loop.h"
#include "tools/training/run_record.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"

namespace wae::hpn {
namespace {

using Clock = std::chrono::steady_clock;
using training::exactString;
using training::fixedString;
using training::joinInts;

constexpr char kCheckpointFormat[] = "wae-sampler-hpn-checkpoint";
constexpr int64_t kCheckpointVersion = 2;
constexpr uint64_t kInitStream = 0;
constexpr int kHistoryColumns = 12;
constexpr char kNanHint[] = "lower --lr";

// m: the model's architecture (o.model, or initPath's); init: initPath's SHA-256 or "".
// decodedBy: the decodedBy file's SHA-256 or "".
training::Fingerprint fingerprint(const TrainOptions& o, const HpnConfig& m,
                                  const std::string& init, const std::string& decodedBy,
                                  int64_t nTrain, int64_t nValid) {
  return {{"train_examples", std::to_string(nTrain)},
          {"valid_examples", std::to_string(nValid)},
          {"hidden", std::to_string(m.hidden)},
          {"dilations", joinInts(m.dilations)},
          {"pitch_harmonics", std::to_string(m.pitchHarmonics)},
          {"pitch_floor_db", exactString(m.pitchFloorDb)},
          {"pitch_hidden", std::to_string(m.pitchHidden)},
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
          {"pitch_shift", exactString(o.pitchShift)},
          {"init_sha256", init},
          {"pitch_only", o.pitchOnly ? "1" : "0"},
          {"decoded_by_sha256", decodedBy},
          {"crop_frames", std::to_string(o.cropFrames)},
          {"batch", std::to_string(o.batchSize)},
          {"lr", exactString(o.learningRate)},
          {"lr_decay", exactString(o.lrDecay)},
          {"clip_grad", exactString(o.clipGradNorm)},
          {"seed", std::to_string(o.seed)}};
}

// What train_hpn checks beyond training::validate(CropTrainOptions).
void validateOptions(const TrainOptions& o) {
  training::validate(o);
  if (!(o.pitchWeight >= 0)) throw std::invalid_argument("--pitch-weight must be >= 0");
  if (!(o.pitchSigma > 0)) throw std::invalid_argument("--pitch-sigma must be positive");
  if (!(o.pitchShift >= 0 && o.pitchShift <= 12))
    throw std::invalid_argument("--pitch-shift must be in 0..12 semitones, got " +
                                exactString(o.pitchShift));
  if (o.pitchOnly && o.initPath.empty())
    throw std::invalid_argument(
        "--pitch-only needs --init: the hpn.pt whose pitch estimate to train");
  if (!o.decodedBy.empty()) {
    if (o.initPath.empty())
      throw std::invalid_argument(
          "--decoded-by needs --init: the hpn.pt to train on the decoder's mels");
    if (o.pitchOnly)
      throw std::invalid_argument(
          "--decoded-by trains the synthesis, --pitch-only the pitch estimate: not both");
    if (o.pitchShift != 0)
      throw std::invalid_argument(
          "--decoded-by needs --pitch-shift 0: a moved note's mel would be the dataset's, not "
          "the decoder's");
  }
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
        column("skipped_steps", m.skippedSteps);
        column("seconds", m.seconds);
        column("best", m.best);
      });
  return format;
}

// The module a run starts from: a new one of o.model's architecture, or initPath's (its
// weights, and a fresh pitch scorer if it has none). With pitchOnly, every parameter but the
// pitch estimate's (named pitch_*) is frozen: Adam and the gradient clipping see only those;
// with decodedBy, the pitch estimate's are.
struct StartingModel {
  torch::jit::Module module;
  HpnConfig config;
  std::string initSha256;
};

StartingModel startingModel(const TrainOptions& o, const torch::Tensor& trainMels,
                            const AudioSettings& settings) {
  StartingModel s;
  if (o.initPath.empty()) {
    validate(o.model, settings);
    const auto [logMean, logStd] = vae::logMelStatistics(trainMels, o.model.logEps);
    s.config = o.model;
    s.module = makeHpnModule(o.model, settings, logMean, logStd);
  } else {
    HpnInfo info;
    s.module = loadHpn(o.initPath, &info);
    requireSame(settings, "the dataset " + o.datasetPath, info.settings, o.initPath);
    s.config = info.config;
    s.initSha256 = sha256FileHex(o.initPath);
  }
  if (o.pitchOnly || !o.decodedBy.empty())
    for (const auto& p : s.module.named_parameters(/*recurse=*/false)) {
      const bool pitchEstimate = p.name.rfind("pitch_", 0) == 0;
      if (pitchEstimate != o.pitchOnly) p.value.requires_grad_(false);
    }
  return s;
}

}  // namespace

TrainResult trainHpn(const TrainOptions& o, std::ostream& log) {
  const auto runStart = Clock::now();
  validateOptions(o);
  const torch::Device device = training::resolveDevice(o.device);
  training::setUpTorch(o.threads);

  const mcnn::InverterSplits data = mcnn::loadInverterSplits(o.datasetPath, o.validExamples);
  const AudioSettings& settings = data.settings;
  training::validateCropFrames(o.cropFrames, settings.nFrames);
  const int64_t nTrain = data.nTrain, nValid = data.nValid;

  training::seedStream(o.seed, kInitStream);
  const StartingModel start = startingModel(o, data.train.mels(), settings);
  const HpnConfig& config = start.config;
  const torch::Tensor trainPitch =
      data.train.targets().select(1, dataset::kLabelPitch).to(torch::kFloat32);
  const torch::Tensor validPitch = data.valid.targets()
                                       .select(1, dataset::kLabelPitch)
                                       .index_select(0, data.validRows)
                                       .to(torch::kFloat32);
  // The mels trained and validated on: the dataset's, or those decodedBy's decoder gives.
  torch::Tensor trainMels = data.train.mels();
  torch::Tensor validMels = data.valid.mels().index_select(0, data.validRows);
  bool validAtLabelPitch = false;
  if (!o.decodedBy.empty()) {
    const std::string where = "the dataset " + o.datasetPath;
    if (!o.quiet)
      log << "train_hpn: decoding the train and valid notes with " << o.decodedBy << "\n";
    generative::MelDecoder decoder(o.decodedBy, settings, where);
    trainMels = decoder.decode(trainMels, trainPitch);
    validMels = decoder.decode(validMels, validPitch);
    validAtLabelPitch = decoder.atAxisPitch();
  }
  training::ModelRun<EpochMetrics> model(
      start.module, device, o.learningRate, kCheckpointFormat, kCheckpointVersion,
      fingerprint(o, config, start.initSha256,
                  o.decodedBy.empty() ? std::string() : sha256FileHex(o.decodedBy), nTrain, nValid),
      o, o.outPath, metricsFormat());
  torch::jit::Module& module = model.module;
  training::RunRecord<EpochMetrics>& run = model.run;
  module.train();
  // Checkpoints written before --decoded-by trained on the dataset's mels.
  run.acceptAbsent({{"decoded_by_sha256", ""}});
  run.start(o.resume, "train_hpn", o.quiet, log, o.learningRate);

  const int64_t hop = settings.hopLength;
  const int64_t context = config.contextFrames;
  training::CropBatches crops(trainMels, data.train.audio(), hop, context, o.cropFrames,
                              o.batchSize, device);
  const torch::Tensor trainAudio = data.train.audio().to(torch::kFloat32).contiguous();
  const torch::Tensor trainPitchOn = trainPitch.to(device);
  // 1 for the notes whose pitch the pitch estimate learns: all but those make_dataset found
  // unpitched in a plain folder (f0 0; their label is a placeholder).
  torch::Tensor trainPitched = torch::ones({nTrain}, torch::kFloat32);
  for (int64_t i = 0; i < nTrain; ++i)
    if (data.train.annotation(size_t(i)).f0Hz == 0.0f) trainPitched[i] = 0.0f;
  trainPitched = trainPitched.to(device);
  const torch::Tensor validMelsOn = validMels.to(device);
  const torch::Tensor validAudio = data.valid.audio().index_select(0, data.validRows).to(device);
  const torch::Tensor validPitchOn = validPitch.to(device);

  training::EpochCallbacks<EpochMetrics> epochs;
  epochs.train = [&](int epoch, EpochMetrics& m) {
    double sumLoss = 0, sumSpectral = 0, sumPitch = 0;
    int64_t step = 0;
    const training::CropEpoch done = training::trainCropEpoch(
        epoch, o, crops, model.optimizer, model.params, run, kNanHint,
        [&](const training::CropBatch& b) {
          const std::string where =
              "step " + std::to_string(++step) + " of " + std::to_string(crops.steps());
          // Synthesis at the labelled pitch (teacher forcing); the pitch classifier learns
          // that pitch from the whole mel. With --pitch-shift, of the note moved in pitch.
          torch::Tensor midi = trainPitchOn.index_select(0, b.rows);
          torch::Tensor mels = b.mels, audio = b.audio;
          torch::Tensor noteMels =
              crops.paddedMels().index_select(0, b.rows).narrow(2, context, settings.nFrames);
          if (o.pitchShift > 0) {
            // Half of the crops, drawn at random, from notes moved by a shift in
            // +-pitchShift; the others as the dataset has them.
            const torch::Tensor shift = drawShifts(b.size, o.pitchShift);
            const torch::Tensor moved = shift.nonzero().flatten();
            if (moved.numel() > 0) {
              const torch::Tensor semitones = shift.index_select(0, moved);
              const NoteCrops c = cropNotes(
                  shiftNotes(trainAudio.index_select(0, b.rows.cpu().index_select(0, moved)),
                             semitones, settings.sampleRate),
                  b.starts.index_select(0, moved), o.cropFrames, int(context), settings);
              const torch::Tensor at = moved.to(device);
              mels = mels.index_copy(0, at, c.mels.to(device));
              audio = audio.index_copy(0, at, c.audio.to(device));
              noteMels = noteMels.index_copy(0, at, c.noteMels.to(device));
              midi = midi.index_add(0, at, semitones.to(torch::kFloat32).to(device));
            }
          }
          const torch::Tensor logits = module.run_method(method::kPitchLogits, noteMels).toTensor();
          const torch::Tensor pitched = trainPitched.index_select(0, b.rows);
          const torch::Tensor pitchLoss =
              (-(pitchTargets(config, midi, o.pitchSigma) * torch::log_softmax(logits, 1)).sum(1) *
               pitched)
                  .sum() /
              pitched.sum().clamp_min(1.0);
          // The NaN guard names what went first: the pitch term (taken before the synthesis,
          // which --pitch-only skips), the synthesis, or which spectral term.
          run.checkFinite(pitchLoss.item<double>(), "pitch cross-entropy", epoch, where, kNanHint);
          const double n = double(b.size);
          sumPitch += pitchLoss.item<double>() * n;
          if (o.pitchOnly) {
            sumLoss += pitchLoss.item<double>() * n;
            return pitchLoss;
          }
          const torch::Tensor wave = module.run_method(method::kSynthesize, mels, midiToHz(midi))
                                         .toTensor()
                                         .narrow(1, context * hop, o.cropFrames * hop);
          const mcnn::SpectralLossTerms spectral = mcnn::spectralLoss(wave, audio, o.loss);
          run.checkFinite(wave.abs().max().item<double>(), "synthesised wave's peak", epoch, where,
                          kNanHint);
          run.checkFinite(spectral.sc.item<double>(), "spectral convergence", epoch, where,
                          kNanHint);
          run.checkFinite(spectral.logMag.item<double>(), "log-magnitude", epoch, where, kNanHint);
          // With decodedBy the pitch estimate is frozen: its cross-entropy is reported only.
          const double pitchWeight = o.decodedBy.empty() ? o.pitchWeight : 0.0;
          const torch::Tensor total = spectral.total + pitchWeight * pitchLoss;
          sumLoss += total.item<double>() * n;
          sumSpectral += spectral.total.item<double>() * n;
          return total;
        });
    m.learningRate = done.learningRate;
    m.skippedSteps = done.skippedSteps;
    m.trainLoss = sumLoss / nTrain;
    m.trainSpectral = sumSpectral / nTrain;
    m.trainPitch = sumPitch / nTrain;
  };
  // As generative.pt with a pitch axis renders: at exactly the labels' pitches.
  std::function<torch::Tensor(const torch::Tensor&, int64_t, int64_t)> renderAtLabelPitch;
  if (validAtLabelPitch)
    renderAtLabelPitch = [&](const torch::Tensor& mel, int64_t begin, int64_t n) {
      const torch::Tensor padded = module.run_method("pad", mel).toTensor();
      const auto wave = module.run_method("synthesize_f0", padded,
                                          midiToHz(validPitchOn.narrow(0, begin, n)), false);
      return module.run_method("trim", wave.toTuple()->elements()[0], mel.size(2)).toTensor();
    };
  epochs.validate = [&](int epoch, EpochMetrics& m) {
    std::vector<double> cents;
    const mcnn::InverterScores v = mcnn::validateInverter(
        module, validMelsOn, validAudio, o.loss, settings,
        [&](const torch::Tensor& mel, int64_t begin, int64_t n) {
          const torch::Tensor predicted =
              module.run_method("decode_pitch", module.run_method(method::kPitchLogits, mel))
                  .toTensor();
          const torch::Tensor err = (predicted - validPitchOn.narrow(0, begin, n)).abs() * 100.0;
          for (int64_t i = 0; i < n; ++i) cents.push_back(err[i].item<double>());
        },
        renderAtLabelPitch);
    std::nth_element(cents.begin(), cents.begin() + cents.size() / 2, cents.end());
    m.validPitchCents = cents[cents.size() / 2];
    m.validLoss = v.loss;
    m.validSc = v.sc;
    m.validLsdDb = v.lsdDb;
    run.checkFinite(m.validLoss, "valid loss", epoch, "validation", kNanHint);
    return m.validLoss;
  };
  epochs.markBest = [&](int epoch) { setEpoch(module, epoch); };
  epochs.describe = [&](const EpochMetrics& m) {
    std::ostringstream line;
    line << "train loss " << fixedString(m.trainLoss, 4) << " (spectral "
         << fixedString(m.trainSpectral, 4) << ", pitch " << fixedString(m.trainPitch, 3)
         << ") | valid loss " << fixedString(m.validLoss, 4) << ", SC " << fixedString(m.validSc, 4)
         << ", LSD " << fixedString(m.validLsdDb, 2) << " dB, pitch error "
         << fixedString(m.validPitchCents, 1) << " cents (median)";
    if (m.skippedSteps > 0)
      line << " | " << m.skippedSteps << " steps skipped (gradient not finite)";
    return line.str();
  };
  return training::runEpochs(run, {"train_hpn", o.epochs, o.maxMinutes, o.quiet, nTrain, "crops/s"},
                             runStart, epochs, log);
}

}  // namespace wae::hpn

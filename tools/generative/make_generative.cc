#include "tools/generative/make_generative.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "common/errors.h"
#include "common/keep_freed_memory.h"
#include "common/progress.h"
#include "tools/dataset/dataset_reader.h"
#include "tools/dataset/mel_dataset.h"
#include "tools/dataset/split.h"
#include "tools/generative/generative_schema.h"
#include "tools/generative/latent_pca.h"
#include "tools/inversion/inverter.h"
#include "tools/training/training_util.h"
#include "tools/vae/vae_model.h"
#include "tools/vae/vae_schema.h"

namespace wae::generative {
namespace {

namespace fs = std::filesystem;

// The smallest axis half-range, so that axis_min < axis_max even for a degenerate latent.
constexpr double kMinAxisStd = 1e-6;

void validateOptions(const MakeGenerativeOptions& o) {
  if (!(o.rangeSigmas > 0) || !std::isfinite(o.rangeSigmas))
    throw std::invalid_argument("--range-sigmas must be positive, got " +
                                std::to_string(o.rangeSigmas));
  if (!(o.residualBandwidth >= 0) || !std::isfinite(o.residualBandwidth))
    throw std::invalid_argument("--residual-bandwidth must be >= 0, got " +
                                std::to_string(o.residualBandwidth));
  if (!(o.peakLimit >= 0) || !std::isfinite(o.peakLimit))
    throw std::invalid_argument("--peak-limit must be >= 0, got " + std::to_string(o.peakLimit));
  if (!(o.onsetFadeMs >= 0) || !(o.onsetFadeMs <= 1000))
    throw std::invalid_argument("--onset-fade-ms must be 0..1000, got " +
                                std::to_string(o.onsetFadeMs));
  if (o.levelNotes < 0)
    throw std::invalid_argument("--level-notes must be >= 0, got " + std::to_string(o.levelNotes));
  if (o.batchSize < 1) throw std::invalid_argument("--batch must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.outPath.empty()) throw std::invalid_argument("--out is empty");
  if (o.inverterPitch != "auto" && o.inverterPitch != "axis" && o.inverterPitch != "mel")
    throw std::invalid_argument("--inverter-pitch: found '" + o.inverterPitch +
                                "', expected auto, axis or mel");
  if (o.inverterLevel != "axis" && o.inverterLevel != "mel")
    throw std::invalid_argument("--inverter-level: found '" + o.inverterLevel +
                                "', expected axis or mel");
  if (!(o.levelLimitDb > 0) || !(o.levelLimitDb <= 120))
    throw std::invalid_argument("--level-limit-db must be in (0, 120] dB, got " +
                                std::to_string(o.levelLimitDb));
  if (!(o.levelToleranceDb >= 0) || !(o.levelToleranceDb <= 120))
    throw std::invalid_argument("--level-tolerance-db must be in [0, 120] dB, got " +
                                std::to_string(o.levelToleranceDb));
  if (!(o.loudnessFloorQuantile >= 0) || !(o.loudnessFloorQuantile < 0.5))
    throw std::invalid_argument("--loudness-floor-quantile must be in [0, 0.5), got " +
                                std::to_string(o.loudnessFloorQuantile));
  if (o.levelCheckNotes < 1)
    throw std::invalid_argument("--level-check-notes must be at least 1, got " +
                                std::to_string(o.levelCheckNotes));
}

// The decoded mel's loudness minus the loudness axis's at the given train rows' own latent
// points, in dB: its 5th, 50th and 95th percentiles.
std::array<double, 3> decodedLoudnessGap(torch::jit::Module& vae, const vae::VaeInfo& info,
                                         const torch::Tensor& codes, int notes, int batchSize) {
  const std::vector<int64_t> picks = dataset::spreadRows(codes.size(0), notes);
  const torch::Tensor z = codes.index_select(0, torch::tensor(picks, torch::kLong));
  torch::Tensor gap = torch::empty({z.size(0)}, torch::kFloat64);
  c10::InferenceMode guard;
  for (int64_t begin = 0; begin < z.size(0); begin += batchSize) {
    const int64_t count = std::min<int64_t>(batchSize, z.size(0) - begin);
    const torch::Tensor batch = z.narrow(0, begin, count);
    const torch::Tensor mel = vae.run_method(vae::method::kDecode, batch).toTensor();
    const torch::Tensor decoded = vae.run_method(vae::method::kLoudness, mel).toTensor();
    gap.narrow(0, begin, count)
        .copy_((decoded - batch.select(1, 1)).to(torch::kFloat64) * info.loudnessScale);
  }
  const torch::Tensor q = torch::quantile(gap, torch::tensor({0.05, 0.5, 0.95}, torch::kFloat64));
  return {q[0].item<double>(), q[1].item<double>(), q[2].item<double>()};
}

// RMS levels below this (dBFS) are left out of the make-up gain's median: silence says
// nothing about a level ratio.
constexpr double kLevelFloorDb = -80.0;

// The make-up gain in dB: the median over the given train rows of the note's level minus
// the level g.forward_full(g.lift(z)) plays at the note's own point z (its projection), and
// how many notes it was measured over. g's level_gain must be 1.
std::pair<double, int> measureLevelGain(torch::jit::Module& g, const torch::Tensor& codes,
                                        const LatentPca& pca, const dataset::MelDataset& train,
                                        const std::string& datasetPath, int levelNotes,
                                        int batchSize) {
  const std::vector<int64_t> picks = dataset::spreadRows(codes.size(0), levelNotes);
  const int64_t k = int64_t(picks.size());
  std::vector<size_t> fileRows;
  for (int64_t p : picks) fileRows.push_back(train.fileRow(size_t(p)));
  const AudioSettings& s = train.settings();
  torch::Tensor notes = torch::empty({k, s.nSamples}, torch::kFloat32);
  dataset::DatasetReader(datasetPath, s).readAudio(fileRows, notes.data_ptr<float>());
  const torch::Tensor z =
      (codes.index_select(0, torch::tensor(picks, torch::kLong)).to(torch::kFloat64) -
       pca.mean.to(torch::kFloat64))
          .matmul(pca.components.to(torch::kFloat64).t())
          .to(torch::kFloat32);
  torch::Tensor played = torch::empty({k}, torch::kFloat64);
  auto levelDb = [](const torch::Tensor& waves) {
    return 10.0 * torch::log10(waves.to(torch::kFloat64).pow(2).mean(1).clamp_min(1e-30));
  };
  {
    c10::InferenceMode guard;
    Progress progress("make_generative: measuring the level", k, "notes");
    for (int64_t begin = 0; begin < k; begin += batchSize) {
      const int64_t count = std::min<int64_t>(batchSize, k - begin);
      const torch::Tensor full = g.run_method("lift", z.narrow(0, begin, count)).toTensor();
      played.narrow(0, begin, count).copy_(levelDb(g.run_method("forward_full", full).toTensor()));
      progress.advance(count);
    }
    progress.finish();
  }
  const torch::Tensor recorded = levelDb(notes);
  const torch::Tensor heard = (recorded > kLevelFloorDb).logical_and(played > kLevelFloorDb);
  const int used = int(heard.sum().item<int64_t>());
  if (used == 0) return {0.0, 0};
  return {(recorded - played).masked_select(heard).median().item<double>(), used};
}

}  // namespace

MakeGenerativeResult makeGenerative(const MakeGenerativeOptions& o, std::ostream& log) {
  validateOptions(o);
  keepFreedMemory();
  torch::set_num_threads(o.threads);
  vae::VaeInfo vaeInfo;
  torch::jit::Module vae = vae::loadVae(o.modelPath, &vaeInfo);
  const AudioSettings& settings = vaeInfo.settings;
  const int fullDim = vaeInfo.config.latentDim;
  if (fullDim < kReducedDim)
    throw std::invalid_argument(o.modelPath + ": latent_dim " + std::to_string(fullDim) +
                                " is smaller than the " + std::to_string(kReducedDim) +
                                " axes of generative.pt; train the VAE with --latent 4 or more");

  // The dataset must hold mels of the model's settings (refused otherwise, naming both).
  const dataset::MelDataset train(o.datasetPath, {dataset::Split::kTrain, false, settings});
  const int64_t n = train.mels().size(0);
  if (n < kReducedDim + 1)
    throw FormatError(o.datasetPath, "train split", std::to_string(n) + " examples",
                      "at least " + std::to_string(kReducedDim + 1) + " for a 4-axis PCA");

  inversion::InverterInfo inverterInfo;
  torch::jit::Module inverter =
      inversion::makeInverter(o.inversion, settings, o.modelPath, &inverterInfo);

  // Checked before the encoding: whether the inverter synthesises at the pitch axis's f0.
  const bool inverterTakesPitch = synthesisesAtGivenPitch(inverter);
  if (o.inverterPitch == "axis" && !(vaeInfo.config.pitchAxis && inverterTakesPitch))
    throw std::invalid_argument(
        "--inverter-pitch axis: needs a model.pt with a pitch axis (train_vae --pitch-axis; " +
        o.modelPath + (vaeInfo.config.pitchAxis ? " has one" : " has none") +
        ") and an hpn.pt inverter (" + inverterInfo.description + ")");
  const bool pitchFromAxis =
      o.inverterPitch != "mel" && vaeInfo.config.pitchAxis && inverterTakesPitch;
  if (o.inverterLevel == "axis" && !vaeInfo.config.loudnessAxis)
    throw std::invalid_argument(
        "--inverter-level axis: needs a model.pt with a loudness axis (train_vae "
        "--loudness-axis); " +
        o.modelPath + " has none");
  const bool levelFromAxis = o.inverterLevel == "axis";

  // Encoder means of the train split.
  torch::Tensor codes = torch::empty({n, fullDim}, torch::kFloat32);
  {
    c10::InferenceMode guard;
    Progress progress("make_generative: encoding the train split", n, "examples");
    for (int64_t begin = 0; begin < n; begin += o.batchSize) {
      const int64_t count = std::min<int64_t>(o.batchSize, n - begin);
      auto encoded =
          vae.run_method(vae::method::kEncode, train.mels().narrow(0, begin, count)).toTuple();
      codes.narrow(0, begin, count).copy_(encoded->elements()[0].toTensor());
      progress.advance(count);
    }
    progress.finish();
  }
  // A pitch axis stays axis 1 of the bank, at the labels' coordinates (those the decoder was
  // trained on) rather than the encoder's estimates.
  if (vaeInfo.config.pitchAxis)
    codes.select(1, 0).copy_(vae::pitchCoordinate(train.targets().select(1, dataset::kLabelPitch),
                                                  vaeInfo.pitchCenter, vaeInfo.pitchScale));
  GenerativeParts parts;
  // Given axes (the pitch, and the loudness: encode measures it) stay the bank's first axes.
  const int fixedAxes = vaeInfo.config.loudnessAxis ? 2 : vaeInfo.config.pitchAxis ? 1 : 0;
  parts.pca = fixedAxes > 0 ? latentPcaFixedFirst(codes, kReducedDim, fixedAxes)
                            : latentPca(codes, kReducedDim);
  parts.residual = residualRegression(codes, parts.pca, o.residualBandwidth);
  parts.peakLimit = o.peakLimit;
  parts.onsetFadeSamples = int(std::lround(o.onsetFadeMs * 1e-3 * settings.sampleRate));
  MakeGenerativeResult r;
  r.fullDim = fullDim;
  r.trainExamples = static_cast<int>(n);
  r.inverterDescription = inverterInfo.description;
  for (int i = 0; i < kReducedDim; ++i) {
    const double variance = parts.pca.variances[i].item<double>();
    r.axisStd[i] = std::max(std::sqrt(variance), kMinAxisStd);
    r.explainedVariance[i] = parts.pca.totalVariance > 0 ? variance / parts.pca.totalVariance : 0;
    // The projections have mean 0 (the PCA mean is theirs): the range is symmetric.
    r.axisMin[i] = -o.rangeSigmas * r.axisStd[i];
    r.axisMax[i] = o.rangeSigmas * r.axisStd[i];
  }
  // A pitch axis spans the train notes' pitches, no more: beyond the highest the decoder only
  // repeats its top notes' mels, whose partials lie below the pitch asked for (the demo bank's
  // top rows played noise around MIDI 84 where the axis asked up to 88.5).
  const double pitchMean = vaeInfo.config.pitchAxis ? parts.pca.mean[0].item<double>() : 0.0;
  auto midiOf = [&](double reduced) {  // the MIDI pitch at a reduced axis-1 coordinate
    const double coordinate = reduced + pitchMean;
    return training::fixedString(vaeInfo.pitchCenter + vaeInfo.pitchScale * coordinate, 1);
  };
  auto dbOf = [&](double reduced) {  // the level in dB at a reduced axis-2 coordinate
    const double coordinate = reduced + parts.pca.mean[1].item<double>();
    return training::fixedString(vaeInfo.loudnessCenter + vaeInfo.loudnessScale * coordinate, 1);
  };
  if (vaeInfo.config.pitchAxis) {
    const torch::Tensor pitch = codes.select(1, 0).to(torch::kFloat64);
    r.axisMin[0] = pitch.min().item<double>() - pitchMean;
    r.axisMax[0] = pitch.max().item<double>() - pitchMean;
    if (!(r.axisMax[0] > r.axisMin[0]))
      throw FormatError(o.datasetPath, "train split's pitches",
                        "one pitch (MIDI " + midiOf(r.axisMax[0]) + ")",
                        "at least two pitches for a pitch axis");
  }
  // A loudness axis likewise spans the train notes' loudness, from the quietest (or the
  // floor quantile's level) to the loudest: below it the decoder would be asked for levels
  // it never heard.
  if (vaeInfo.config.loudnessAxis) {
    const torch::Tensor loudness = codes.select(1, 1).to(torch::kFloat64);
    const double mean = parts.pca.mean[1].item<double>();
    r.axisMin[1] = loudness.quantile(o.loudnessFloorQuantile).item<double>() - mean;
    r.axisMax[1] = loudness.max().item<double>() - mean;
    if (!(r.axisMax[1] > r.axisMin[1]))
      throw FormatError(o.datasetPath, "train split's loudness", "one level",
                        "at least two levels for a loudness axis");
  }
  parts.vae = vae;
  parts.inverter = inverter;
  parts.axisMin = r.axisMin;
  parts.axisMax = r.axisMax;
  parts.settings = settings;
  parts.fullDim = fullDim;
  parts.inverterDescription = inverterInfo.description;
  parts.pitchFromAxis = r.pitchFromAxis = pitchFromAxis;
  parts.levelFromAxis = r.levelFromAxis = levelFromAxis;
  parts.levelLimitDb = o.levelLimitDb;
  parts.levelToleranceDb = o.levelToleranceDb;
  if (vaeInfo.config.loudnessAxis)
    r.decodedLoudnessGapDb =
        decodedLoudnessGap(vae, vaeInfo, codes, o.levelCheckNotes, o.batchSize);
  torch::jit::Module g = buildGenerativeModule(parts);
  if (o.levelNotes > 0) {
    std::tie(r.levelGainDb, r.levelNotesUsed) =
        measureLevelGain(g, codes, parts.pca, train, o.datasetPath, o.levelNotes, o.batchSize);
    g.setattr("level_gain", std::pow(10.0, r.levelGainDb / 20.0));
  }

  if (!fs::path(o.outPath).parent_path().empty())
    fs::create_directories(fs::path(o.outPath).parent_path());
  training::saveModuleAtomically(g, o.outPath, torch::kCPU);
  log << "make_generative: " << o.outPath << ": latent " << fullDim << " -> 4 "
      << (vaeInfo.config.loudnessAxis ? "axes (1: the pitch axis, 2: the loudness axis, then PCA) "
          : vaeInfo.config.pitchAxis  ? "axes (1: the pitch axis, then PCA) "
                                      : "PCA axes ")
      << "explaining";
  for (double v : r.explainedVariance) log << " " << training::fixedString(100 * v, 1) << "%";
  log << " of the variance (" << n << " train examples); ranges +-" << o.rangeSigmas << " std"
      << (vaeInfo.config.pitchAxis ? " (the pitch axis: the train notes' pitches, MIDI " +
                                         midiOf(r.axisMin[0]) + " to " + midiOf(r.axisMax[0]) + ")"
                                   : std::string())
      << (vaeInfo.config.loudnessAxis
              ? " (the loudness axis: the train notes' levels" +
                    (o.loudnessFloorQuantile > 0
                         ? " from their " + training::fixedString(o.loudnessFloorQuantile, 3) +
                               " quantile"
                         : std::string()) +
                    ", " + dbOf(r.axisMin[1]) + " to " + dbOf(r.axisMax[1]) + " dB)"
              : std::string())
      << (fullDim == kReducedDim ? std::string("; no other directions (the axes span the latent)")
          : o.residualBandwidth > 0
              ? "; the other directions by kernel regression (bandwidth " +
                    training::fixedString(o.residualBandwidth, 2) + " axis std)"
              : std::string("; the other directions at their mean"))
      << "; inverter " << r.inverterDescription
      << (r.pitchFromAxis ? ", synthesising at the pitch axis's f0" : "")
      << (vaeInfo.config.loudnessAxis
              ? std::string(!r.levelFromAxis ? ", given each mel as decoded"
                            : o.levelToleranceDb > 0
                                ? ", given each mel within " +
                                      training::fixedString(o.levelToleranceDb, 1) +
                                      " dB of the loudness axis's level"
                                : ", given each mel at the loudness axis's level") +
                    " (decoded minus asked at the train notes' points: median " +
                    training::fixedString(r.decodedLoudnessGapDb[1], 1) + " dB, 90% within " +
                    training::fixedString(r.decodedLoudnessGapDb[0], 1) + ".." +
                    training::fixedString(r.decodedLoudnessGapDb[2], 1) + ")"
              : std::string())
      << "; level gain "
      << (o.levelNotes > 0 ? training::fixedString(r.levelGainDb, 2) + " dB (the median over " +
                                 std::to_string(r.levelNotesUsed) + " train notes)"
                           : std::string("off"))
      << "\n";
  return r;
}

}  // namespace wae::generative

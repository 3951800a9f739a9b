#include "tools/vae/vae_model.h"

#include <cmath>
#include <stdexcept>

#include "common/errors.h"
#include "tools/torchscript/attributes.h"
#include "tools/vae/vae_schema.h"
#include "tools/vae/vae_source.h"

namespace wae::vae {
namespace {

namespace ts = torchscript;

// The slope of every leaky ReLU: the initialisation below and, through the leaky_slope
// attribute, the TorchScript methods.
constexpr double kLeakySlope = 0.2;
constexpr double kMinLogStd = 1.0;  // nepers (8.7 dB)

// kVaeSource: the methods of model.pt, tools/vae/vae_model.torchscript, embedded at build
// time.

// He-uniform for layers followed by a leaky ReLU: U(-b, b), b = sqrt(6 / ((1 + a^2) fanIn)).
torch::Tensor heUniform(std::vector<int64_t> shape, int64_t fanIn, double gainScale = 1.0) {
  const double bound =
      gainScale * std::sqrt(6.0 / ((1.0 + kLeakySlope * kLeakySlope) * double(fanIn)));
  return torch::empty(shape, torch::kFloat32).uniform_(-bound, bound);
}

void addParameter(torch::jit::Module& m, const std::string& name, torch::Tensor value) {
  m.register_parameter(name, value.requires_grad_(true), /*is_buffer=*/false);
}

}  // namespace

void validate(const VaeConfig& config, const AudioSettings& settings) {
  if (config.latentDim < 1 || config.latentDim > 4096)
    throw std::invalid_argument("latent size must be in 1..4096, got " +
                                std::to_string(config.latentDim));
  if (config.channels < 2 || config.channels % 2 != 0 || config.channels > 1024)
    throw std::invalid_argument("channels must be even and in 2..1024, got " +
                                std::to_string(config.channels));
  if (!(config.logEps > 0) || !std::isfinite(config.logEps))
    throw std::invalid_argument("log eps must be positive, got " + std::to_string(config.logEps));
  if (config.pitchAxis && config.latentDim < 2)
    throw std::invalid_argument("a pitch axis needs a latent of at least 2 dimensions, got " +
                                std::to_string(config.latentDim));
  if (config.loudnessAxis && !config.pitchAxis)
    throw std::invalid_argument("a loudness axis needs the pitch axis (latent axis 0)");
  if (config.loudnessAxis && config.latentDim < 3)
    throw std::invalid_argument(
        "a pitch and a loudness axis need a latent of at least 3 dimensions, got " +
        std::to_string(config.latentDim));
  const int step = 1 << kLevels;
  if (settings.nMels % step != 0 || settings.nFrames % step != 0)
    throw std::invalid_argument("the model needs n_mels and n_frames that are multiples of " +
                                std::to_string(step) + ", got " + std::to_string(settings.nMels) +
                                " and " + std::to_string(settings.nFrames));
}

torch::jit::Module makeVaeModule(const VaeConfig& config, const AudioSettings& settings,
                                 const torch::Tensor& logMean, const torch::Tensor& logStd) {
  validate(config, settings);
  if (logMean.numel() != settings.nMels || logStd.numel() != settings.nMels)
    throw std::invalid_argument("log-mel statistics must have n_mels values");
  torch::NoGradGuard noGrad;
  torch::jit::Module m("WaeSamplerVae");
  const int64_t c = config.channels;
  const int64_t d = config.latentDim;
  const int64_t bottom = 8 * c * (settings.nMels >> kLevels) * (settings.nFrames >> kLevels);

  const int64_t encWidths[] = {1, c, 2 * c, 4 * c, 8 * c};
  for (int i = 0; i < kLevels; ++i) {
    const int64_t in = encWidths[i], out = encWidths[i + 1];
    addParameter(m, "enc" + std::to_string(i) + "_w", heUniform({out, in, 4, 4}, in * 16));
    addParameter(m, "enc" + std::to_string(i) + "_b", torch::zeros({out}));
  }
  // Small heads: the first latent codes start near N(0, 1) whatever the input scale.
  addParameter(m, "mu_w", heUniform({d, bottom}, bottom, 0.1));
  addParameter(m, "mu_b", torch::zeros({d}));
  addParameter(m, "logvar_w", heUniform({d, bottom}, bottom, 0.1));
  addParameter(m, "logvar_b", torch::zeros({d}));
  addParameter(m, "dec_in_w", heUniform({bottom, d}, d));
  addParameter(m, "dec_in_b", torch::zeros({bottom}));
  const int64_t decWidths[] = {8 * c, 4 * c, 2 * c, c, c / 2};
  for (int i = 0; i < kLevels; ++i) {
    const int64_t in = decWidths[i], out = decWidths[i + 1];
    // Same weights for the 4 sub-pixel phases of each output channel (ICNR), so the first
    // steps upsample like nearest neighbour instead of drawing a checkerboard.
    torch::Tensor w = heUniform({out, in, 3, 3}, in * 9).repeat_interleave(4, 0);
    addParameter(m, "dec" + std::to_string(i) + "_w", w);
    addParameter(m, "dec" + std::to_string(i) + "_b", torch::zeros({4 * out}));
  }
  addParameter(m, "out_w", heUniform({1, c / 2, 3, 3}, c / 2 * 9, 0.5));
  addParameter(m, "out_b", torch::zeros({1}));

  m.register_buffer(attr::kLogMean, logMean.detach().to(torch::kFloat32).reshape({-1}).clone());
  m.register_buffer(attr::kLogStd, logStd.detach().to(torch::kFloat32).reshape({-1}).clone());

  ts::setFormat(m, kFormatName, kFormatVersion);
  ts::setInt(m, attr::kLatentDim, d);
  ts::setInt(m, attr::kChannels, c);
  ts::setDouble(m, attr::kLogEps, config.logEps);
  ts::setDouble(m, attr::kLeakySlope, kLeakySlope);
  ts::setInt(m, attr::kPitchAxis, config.pitchAxis ? 1 : 0);
  ts::setDouble(m, attr::kPitchCenter, kPitchCenterMidi);
  ts::setDouble(m, attr::kPitchScale, kSemitonesPerUnit);
  ts::setInt(m, attr::kLoudnessAxis, config.loudnessAxis ? 1 : 0);
  ts::setDouble(m, attr::kLoudnessCenter, kLoudnessCenterDb);
  ts::setDouble(m, attr::kLoudnessScale, kDbPerUnit);
  ts::setAudioSettings(m, settings);
  setTrainingInfo(m, "none", 0.0, "l1", 0);
  m.define(kVaeSource);
  return m;
}

torch::Tensor pitchCoordinate(const torch::Tensor& midi, double center, double scale) {
  return (midi.to(torch::kFloat32) - center) / scale;
}

void setTrainingInfo(torch::jit::Module& module, const std::string& regularizer, double weight,
                     const std::string& reconLoss, int epoch, double scWeight) {
  ts::setString(module, attr::kRegularizer, regularizer);
  ts::setDouble(module, attr::kWeight, weight);
  ts::setString(module, attr::kReconLoss, reconLoss);
  ts::setDouble(module, attr::kScWeight, scWeight);
  ts::setInt(module, attr::kEpoch, epoch);
}

std::pair<torch::Tensor, torch::Tensor> logMelStatistics(const torch::Tensor& mels, double logEps) {
  torch::NoGradGuard noGrad;
  const torch::Tensor x = torch::log(mels.to(torch::kFloat64) + logEps);  // [N, bands, frames]
  const torch::Tensor mean = x.mean(torch::IntArrayRef{0, 2});
  // Floor on the std: a band (nearly) constant over the training split, e.g. silent, must
  // not blow up an example that has energy there into thousands of standard deviations.
  const torch::Tensor std =
      x.std(torch::IntArrayRef{0, 2}, /*unbiased=*/false).clamp_min(kMinLogStd);
  return {mean.to(torch::kFloat32), std.to(torch::kFloat32)};
}

VaeInfo checkVaeModule(const torch::jit::Module& module, const std::string& file) {
  ts::requireFormat(module, kFormatName, kFormatVersion, file);
  for (const char* name :
       {method::kEncode, method::kDecode, method::kForward, method::kDecodeLog, method::kLogMel})
    ts::requireMethod(module, name, file);
  VaeInfo info;
  info.settings = ts::audioSettings(module, file);
  const int64_t d = ts::getInt(module, attr::kLatentDim, file);
  if (d < 1 || d > 4096)
    throw FormatError(file, std::string("attribute ") + attr::kLatentDim, std::to_string(d),
                      "an int in 1..4096");
  info.config.latentDim = static_cast<int>(d);
  info.config.channels = static_cast<int>(ts::getInt(module, attr::kChannels, file));
  info.config.logEps = ts::getDouble(module, attr::kLogEps, file);
  info.regularizer = ts::getString(module, attr::kRegularizer, file);
  info.weight = ts::getDouble(module, attr::kWeight, file);
  info.reconLoss = ts::getString(module, attr::kReconLoss, file);
  info.epoch = static_cast<int>(ts::getInt(module, attr::kEpoch, file));
  // Files written before --sc-weight trained without it.
  if (module.hasattr(attr::kScWeight)) info.scWeight = ts::getDouble(module, attr::kScWeight, file);
  if (module.hasattr(attr::kPitchAxis)) {
    const int64_t axis = ts::getInt(module, attr::kPitchAxis, file);
    if (axis != 0 && axis != 1)
      throw FormatError(file, std::string("attribute ") + attr::kPitchAxis, std::to_string(axis),
                        "0 or 1");
    info.config.pitchAxis = axis == 1;
    if (info.config.pitchAxis) {
      info.pitchCenter = ts::getDouble(module, attr::kPitchCenter, file);
      info.pitchScale = ts::getDouble(module, attr::kPitchScale, file);
      if (!(info.pitchScale > 0) || !std::isfinite(info.pitchScale))
        throw FormatError(file, std::string("attribute ") + attr::kPitchScale,
                          std::to_string(info.pitchScale), "a positive number of semitones");
    }
  }
  if (module.hasattr(attr::kLoudnessAxis)) {
    const int64_t axis = ts::getInt(module, attr::kLoudnessAxis, file);
    if (axis != 0 && axis != 1)
      throw FormatError(file, std::string("attribute ") + attr::kLoudnessAxis, std::to_string(axis),
                        "0 or 1");
    info.config.loudnessAxis = axis == 1;
    if (info.config.loudnessAxis) {
      if (!info.config.pitchAxis || info.config.latentDim < 3)
        throw FormatError(file, std::string("attribute ") + attr::kLoudnessAxis, "1",
                          "0 without a pitch axis and a latent of at least 3 dimensions");
      info.loudnessCenter = ts::getDouble(module, attr::kLoudnessCenter, file);
      info.loudnessScale = ts::getDouble(module, attr::kLoudnessScale, file);
      if (!(info.loudnessScale > 0) || !std::isfinite(info.loudnessScale))
        throw FormatError(file, std::string("attribute ") + attr::kLoudnessScale,
                          std::to_string(info.loudnessScale), "a positive number of dB");
    }
  }
  ts::requireMelStatistics(module, {attr::kLogMean, attr::kLogStd}, info.settings.nMels, file);
  return info;
}

torch::jit::Module loadVae(const std::string& file, VaeInfo* info) {
  const torch::jit::Module saved = ts::loadModule(file);
  const VaeInfo found = checkVaeModule(saved, file);
  if (info) *info = found;
  // The file's weights with this build's methods (vae_model.torchscript), so that a model.pt
  // trained before a method was mended or made faster runs the current code.
  torch::jit::Module m =
      makeVaeModule(found.config, found.settings, saved.attr(attr::kLogMean).toTensor(),
                    saved.attr(attr::kLogStd).toTensor());
  ts::copyTensors(saved, m, file, "makeVaeModule");
  setTrainingInfo(m, found.regularizer, found.weight, found.reconLoss, found.epoch, found.scWeight);
  if (found.config.pitchAxis) {
    ts::setDouble(m, attr::kPitchCenter, found.pitchCenter);
    ts::setDouble(m, attr::kPitchScale, found.pitchScale);
  }
  if (found.config.loudnessAxis) {
    ts::setDouble(m, attr::kLoudnessCenter, found.loudnessCenter);
    ts::setDouble(m, attr::kLoudnessScale, found.loudnessScale);
  }
  m.eval();
  return m;
}

}  // namespace wae::vae

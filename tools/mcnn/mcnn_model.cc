#include "tools/mcnn/mcnn_model.h"

#include <cmath>
#include <stdexcept>

#include "common/errors.h"
#include "tools/mcnn/mcnn_schema.h"
#include "tools/mcnn/mcnn_source.h"
#include "tools/torchscript/attributes.h"

namespace wae::mcnn {
namespace {

namespace ts = torchscript;

// kMcnnSource: the methods of mcnn.pt (upsample, layer_parameters, synthesize, forward),
// tools/mcnn/mcnn_model.torchscript, embedded at build time.

void addParameter(torch::jit::Module& m, const std::string& name, torch::Tensor value) {
  m.register_parameter(name, value.requires_grad_(true), /*is_buffer=*/false);
}

int log2Exact(int v) {
  int l = 0;
  while ((1 << l) < v) ++l;
  return (1 << l) == v ? l : -1;
}

}  // namespace

void validate(const McnnConfig& c, const AudioSettings& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (c.heads < 1 || c.heads > 64)
    fail("MCNN heads must be in 1..64, got " + std::to_string(c.heads));
  const int layers = log2Exact(s.hopLength);
  if (layers < 1)
    fail("the MCNN upsamples by 2 per layer, so hop_length must be a power of 2, got " +
         std::to_string(s.hopLength));
  if (layers > kMaxLayers)
    fail("the MCNN has at most " + std::to_string(kMaxLayers) + " layers, so hop_length must be "
         "at most " + std::to_string(1 << kMaxLayers) + ", got " + std::to_string(s.hopLength));
  if (int(c.widths.size()) != layers)
    fail("MCNN widths: hop_length " + std::to_string(s.hopLength) + " needs " +
         std::to_string(layers) + " layers, got " + std::to_string(c.widths.size()) + " widths");
  for (size_t i = 0; i < c.widths.size(); ++i)
    if (c.widths[i] < 1 || c.widths[i] > 1024)
      fail("MCNN widths must be in 1..1024, got " + std::to_string(c.widths[i]) + " for layer " +
           std::to_string(i + 1));
  if (c.widths.back() != 1)
    fail("the last MCNN width must be 1 (one waveform per head), got " +
         std::to_string(c.widths.back()));
  if (c.kernelWidth < 5 || c.kernelWidth > 65 || c.kernelWidth % 4 != 1)
    fail("MCNN kernel width must be 4 j + 1 in 5..65 (5, 9, 13, ...), got " +
         std::to_string(c.kernelWidth));
  if (!(c.logEps > 0) || !std::isfinite(c.logEps))
    fail("MCNN log eps must be positive, got " + std::to_string(c.logEps));
  if (c.contextFrames < 0 || c.contextFrames > 64)
    fail("MCNN context frames must be in 0..64, got " + std::to_string(c.contextFrames));
  s.validate();
}

torch::jit::Module makeMcnnModule(const McnnConfig& c, const AudioSettings& s,
                                  const torch::Tensor& logMean, const torch::Tensor& logStd) {
  validate(c, s);
  if (logMean.numel() != s.nMels || logStd.numel() != s.nMels)
    throw std::invalid_argument("log-mel statistics must have n_mels = " + std::to_string(s.nMels) +
                                " values");
  torch::NoGradGuard noGrad;
  torch::jit::Module m("WaeSamplerMcnn");
  const int64_t h = c.heads;
  int64_t in = s.nMels;
  for (size_t l = 0; l < c.widths.size(); ++l) {
    const int64_t out = c.widths[l];
    // Each output sample sees about K / 2 taps of each input channel: unit-variance
    // outputs for unit-variance inputs (the ELUs keep it roughly so).
    const double stdDev = std::sqrt(2.0 / (double(in) * c.kernelWidth));
    addParameter(m, "w" + std::to_string(l),
                 torch::randn({h * in, out, c.kernelWidth}, torch::kFloat32) * stdDev);
    addParameter(m, "b" + std::to_string(l), torch::zeros({h * out}, torch::kFloat32));
    in = out;
  }
  addParameter(m, "head_gain", torch::full({h}, 1.0 / double(h), torch::kFloat32));
  addParameter(m, "out_a", torch::ones({1}, torch::kFloat32));
  addParameter(m, "out_b", torch::ones({1}, torch::kFloat32));
  m.register_buffer(attr::kLogMean, logMean.detach().to(torch::kFloat32).reshape({-1}).clone());
  m.register_buffer(attr::kLogStd, logStd.detach().to(torch::kFloat32).reshape({-1}).clone());

  ts::setFormat(m, kFormatName, kFormatVersion);
  ts::setInt(m, attr::kHeads, h);
  m.register_attribute(attr::kWidths, c10::ListType::ofInts(),
                       c10::List<int64_t>(std::vector<int64_t>(c.widths.begin(), c.widths.end())));
  ts::setInt(m, attr::kKernelWidth, c.kernelWidth);
  ts::setDouble(m, attr::kLogEps, c.logEps);
  ts::setInt(m, attr::kContextFrames, c.contextFrames);
  ts::setAudioSettings(m, s);
  setEpoch(m, 0);
  m.define(kMcnnSource);
  return m;
}

void setEpoch(torch::jit::Module& module, int epoch) { ts::setInt(module, attr::kEpoch, epoch); }

McnnInfo checkMcnnModule(const torch::jit::Module& m, const std::string& file) {
  ts::requireFormat(m, kFormatName, kFormatVersion, file);
  for (const char* name : {method::kForward, method::kSynthesize, method::kUpsample})
    ts::requireMethod(m, name, file);
  McnnInfo info;
  info.settings = ts::audioSettings(m, file);
  info.config.heads = static_cast<int>(ts::getInt(m, attr::kHeads, file));
  info.config.kernelWidth = static_cast<int>(ts::getInt(m, attr::kKernelWidth, file));
  info.config.logEps = ts::getDouble(m, attr::kLogEps, file);
  info.config.contextFrames = static_cast<int>(ts::getInt(m, attr::kContextFrames, file));
  info.epoch = static_cast<int>(ts::getInt(m, attr::kEpoch, file));
  const std::string widthsLabel = std::string("attribute ") + attr::kWidths;
  if (!m.hasattr(attr::kWidths) || !m.attr(attr::kWidths).isIntList())
    throw FormatError(file, widthsLabel, m.hasattr(attr::kWidths) ? "another type" : "nothing",
                      "a list of ints");
  info.config.widths.clear();
  for (int64_t w : m.attr(attr::kWidths).toIntVector()) info.config.widths.push_back(int(w));
  try {
    validate(info.config, info.settings);
  } catch (const std::invalid_argument& e) {
    throw FormatError(file + ": " + e.what());
  }
  ts::requireMelStatistics(m, {attr::kLogMean, attr::kLogStd}, info.settings.nMels, file);
  return info;
}

torch::jit::Module loadMcnn(const std::string& file, McnnInfo* info) {
  torch::jit::Module m = ts::loadModule(file);
  const McnnInfo found = checkMcnnModule(m, file);
  if (info) *info = found;
  m.eval();
  return m;
}

}  // namespace wae::mcnn

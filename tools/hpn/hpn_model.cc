#include "tools/hpn/hpn_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/errors.h"
#include "tools/audio/mel_filterbank.h"
#include "tools/hpn/hpn_schema.h"
#include "tools/hpn/hpn_source.h"
#include "tools/torchscript/attributes.h"

namespace wae::hpn {
namespace {

namespace ts = torchscript;

constexpr double kLeakySlope = 0.2;
constexpr double kHarmonicBias = -7.0;  // initial log amplitude: quiet, not silent
constexpr double kNoiseBias = -9.0;

void addParameter(torch::jit::Module& m, const std::string& name, torch::Tensor value) {
  m.register_parameter(name, value.requires_grad_(true), /*is_buffer=*/false);
}

// He-style initialisation for leaky ReLU, fan-in = channels x taps.
torch::Tensor convWeight(int64_t out, int64_t in, int64_t taps, double gain = 1.0) {
  const double std =
      gain * std::sqrt(2.0 / ((1.0 + kLeakySlope * kLeakySlope) * double(in * taps)));
  return torch::randn({out, in, taps}, torch::kFloat32) * std;
}

double slaneyMel(double hz) {
  return hz < 1000.0 ? hz * 3.0 / 200.0 : 15.0 + std::log(hz / 1000.0) * 27.0 / std::log(6.4);
}

// [n_fft / 2 + 1, env_bins]: each STFT bin's envelope value, linear between the two
// mel-spaced envelope points around the bin's frequency.
torch::Tensor noiseInterpolation(const AudioSettings& s, int envBins) {
  const int bins = s.nFft / 2 + 1;
  const double melMax = slaneyMel(s.sampleRate / 2.0);
  torch::Tensor m = torch::zeros({bins, envBins}, torch::kFloat32);
  auto a = m.accessor<float, 2>();
  for (int b = 0; b < bins; ++b) {
    const double pos = slaneyMel(double(b) * s.sampleRate / s.nFft) / melMax * (envBins - 1);
    const int i0 = std::min(envBins - 2, int(std::floor(pos)));
    const double frac = pos - i0;
    a[b][i0] = float(1.0 - frac);
    a[b][i0 + 1] = float(frac);
  }
  return m;
}

}  // namespace

PitchTemplate pitchTemplate(const HpnConfig& c, const AudioSettings& s) {
  const std::vector<double> centres = melCentreFrequencies(s);
  const int bands = int(centres.size());
  std::vector<double> centreMel(bands);
  for (int i = 0; i < bands; ++i) centreMel[i] = hzToMel(centres[i]);
  const int bins = pitchBins(c), points = 2 * c.pitchHarmonics;
  PitchTemplate t;
  t.index = torch::full({points, bins}, int64_t(bands), torch::kLong);
  t.frac = torch::zeros({points, bins});
  t.u = torch::empty({bins});
  auto index = t.index.accessor<int64_t, 2>();
  auto frac = t.frac.accessor<float, 2>();
  for (int b = 0; b < bins; ++b) {
    const double midi = c.pitchMin + c.pitchStep * b;
    t.u[b] = (midi - 60.0) / 24.0;
    const double f0 = 440.0 * std::pow(2.0, (midi - 69.0) / 12.0);
    for (int j = 0; j < points; ++j) {
      // Harmonic k = j + 1, then the point half-way below harmonic k = j - K + 1.
      const double multiple = j < c.pitchHarmonics ? j + 1 : (j - c.pitchHarmonics) + 0.5;
      const double mel = hzToMel(multiple * f0);
      if (mel < centreMel.front() || mel >= centreMel.back()) continue;  // outside the bands
      const int i =
          int(std::upper_bound(centreMel.begin(), centreMel.end(), mel) - centreMel.begin()) - 1;
      index[j][b] = i;
      frac[j][b] = float((mel - centreMel[i]) / (centreMel[i + 1] - centreMel[i]));
    }
  }
  return t;
}

int pitchBins(const HpnConfig& c) {
  return int(std::lround((c.pitchMax - c.pitchMin) / c.pitchStep)) + 1;
}

void validate(const HpnConfig& c, const AudioSettings& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (c.hidden < 1 || c.hidden > 1024)
    fail("hpn hidden channels must be in 1..1024, got " + std::to_string(c.hidden));
  if (c.dilations.empty() || c.dilations.size() > 32)
    fail("hpn needs 1..32 residual layers (dilations), got " + std::to_string(c.dilations.size()));
  for (int d : c.dilations)
    if (d < 1 || d > 64) fail("hpn dilations must be in 1..64, got " + std::to_string(d));
  if (c.pitchHarmonics < 1 || c.pitchHarmonics > 256)
    fail("hpn pitch harmonics must be in 1..256, got " + std::to_string(c.pitchHarmonics));
  if (c.pitchHidden < 1 || c.pitchHidden > 1024)
    fail("hpn pitch hidden units must be in 1..1024, got " + std::to_string(c.pitchHidden));
  if (!(c.pitchFloorDb > 0 && c.pitchFloorDb <= 200))
    fail("hpn pitch floor must be in (0, 200] dB, got " + std::to_string(c.pitchFloorDb));
  if (c.harmonics < 1 || c.harmonics > 1024)
    fail("hpn harmonics must be in 1..1024, got " + std::to_string(c.harmonics));
  if (c.envBins < 2 || c.envBins > 1024)
    fail("hpn envelope bins must be in 2..1024, got " + std::to_string(c.envBins));
  if (!(c.pitchStep > 0) || !(c.pitchMax > c.pitchMin) || c.pitchMin < 0 || c.pitchMax > 140)
    fail("hpn pitch bins: need 0 <= pitch min < pitch max <= 140 and a positive step");
  if (!(c.pitchWindow > 0)) fail("hpn pitch window must be positive");
  if (!(c.logEps > 0) || !std::isfinite(c.logEps))
    fail("hpn log eps must be positive, got " + std::to_string(c.logEps));
  if (c.contextFrames < 0 || c.contextFrames > 64)
    fail("hpn context frames must be in 0..64, got " + std::to_string(c.contextFrames));
  if (!(c.voicedFraction >= 0 && c.voicedFraction <= 1))
    fail("hpn voiced fraction must be in 0..1");
  if (!(c.tuneCents >= 0 && c.tuneCents <= 100))
    fail("hpn tune cents must be in 0..100, got " + std::to_string(c.tuneCents));
  s.validate();
  if (s.nFft % s.hopLength != 0)
    fail("hpn overlap-adds frames of n_fft samples every hop: n_fft (" + std::to_string(s.nFft) +
         ") must be a multiple of hop_length (" + std::to_string(s.hopLength) + ")");
}

torch::jit::Module makeHpnModule(const HpnConfig& c, const AudioSettings& s,
                                 const torch::Tensor& logMean, const torch::Tensor& logStd) {
  validate(c, s);
  if (logMean.numel() != s.nMels || logStd.numel() != s.nMels)
    throw std::invalid_argument("log-mel statistics must have n_mels = " + std::to_string(s.nMels) +
                                " values");
  torch::NoGradGuard noGrad;
  torch::jit::Module m("WaeSamplerHpn");
  const int64_t h = c.hidden, e = c.envBins, layers = c.dilations.size();
  // The pitch template: a weight per harmonic (starting at 1 / k) and per point half-way
  // below it (starting at -0.5 / k), how sharp the scores are, and a smooth prior over
  // pitch (a quadratic in the pitch; no weight of its own per pitch bin, which bins never
  // seen in training would leave untrained).
  {
    torch::Tensor w = torch::zeros({2 * c.pitchHarmonics});
    for (int k = 1; k <= c.pitchHarmonics; ++k) {
      w[k - 1] = 1.0 / k;
      w[c.pitchHarmonics + k - 1] = -0.5 / k;
    }
    addParameter(m, "pitch_weights", w);
  }
  addParameter(m, "pitch_gain", torch::zeros({1}));
  addParameter(m, "pitch_prior", torch::zeros({2}));
  {
    const PitchTemplate t = pitchTemplate(c, s);
    m.register_buffer("pitch_index", t.index);
    m.register_buffer("pitch_frac", t.frac);
    m.register_buffer("pitch_u", t.u);
  }
  // The controls network: input layer, residual layers (small at first: near identity),
  // the two envelope heads.
  addParameter(m, "cw_in", convWeight(h, s.nMels + 1, 3));
  addParameter(m, "cb_in", torch::zeros({h}));
  addParameter(m, "cw", convWeight(layers * h, h, 3, 0.3).view({layers, h, h, 3}).contiguous());
  addParameter(m, "cb", torch::zeros({layers, h}));
  addParameter(m, "hw", convWeight(e, h, 1, 0.1));
  addParameter(m, "hb", torch::full({e}, kHarmonicBias));
  addParameter(m, "nw", convWeight(e, h, 1, 0.1));
  addParameter(m, "nb", torch::full({e}, kNoiseBias));
  // The fine-tuning head starts at zero: the template's pitch as it is.
  addParameter(m, "tw", torch::zeros({1, h, 1}));
  addParameter(m, "tb", torch::zeros({1}));
  // The pitch scorer, drawn after the rest (whose draws stay as they were before it): from
  // each candidate's readings of both levels (2 x 2K) and its u, two hidden layers, one
  // score. Its last layer starts at zero: the template's scores as they are, which also
  // makes a file from before the scorer load with the template alone.
  {
    const int64_t in = 4 * c.pitchHarmonics + 1, hp = c.pitchHidden;
    addParameter(m, "pitch_w1", torch::randn({hp, in}) * std::sqrt(2.0 / double(in)));
    addParameter(m, "pitch_b1", torch::zeros({hp}));
    addParameter(m, "pitch_w2", torch::randn({hp, hp}) * std::sqrt(2.0 / double(hp)));
    addParameter(m, "pitch_b2", torch::zeros({hp}));
    addParameter(m, "pitch_w3", torch::zeros({1, hp}));
  }

  m.register_buffer(attr::kLogMean, logMean.detach().to(torch::kFloat32).reshape({-1}).clone());
  m.register_buffer(attr::kLogStd, logStd.detach().to(torch::kFloat32).reshape({-1}).clone());
  m.register_buffer("synth_window", torch::hann_window(s.nFft, torch::kFloat32));
  m.register_buffer("noise_interp", noiseInterpolation(s, c.envBins));
  // Enough fixed noise for a 4x longer note than the dataset's, uniform in [-1, 1).
  {
    torch::Generator gen = at::detail::createCPUGenerator(c.noiseSeed);
    const int64_t length = int64_t(4) * (s.nSamples + s.nFft);
    m.register_buffer("noise_signal", torch::rand({length}, gen, torch::kFloat32) * 2.0 - 1.0);
  }

  ts::setFormat(m, kFormatName, kFormatVersion);
  ts::setInt(m, attr::kHidden, h);
  ts::setInt(m, attr::kLayers, layers);
  m.register_attribute(
      attr::kDilations, c10::ListType::ofInts(),
      c10::List<int64_t>(std::vector<int64_t>(c.dilations.begin(), c.dilations.end())));
  ts::setInt(m, attr::kPitchHarmonics, c.pitchHarmonics);
  ts::setDouble(m, attr::kPitchFloorDb, c.pitchFloorDb);
  ts::setInt(m, attr::kPitchHidden, c.pitchHidden);
  ts::setInt(m, attr::kNHarmonics, c.harmonics);
  ts::setInt(m, attr::kEnvBins, e);
  ts::setDouble(m, attr::kEnvMelMax, slaneyMel(s.sampleRate / 2.0));
  ts::setDouble(m, attr::kPitchMin, c.pitchMin);
  ts::setDouble(m, attr::kPitchStep, c.pitchStep);
  ts::setDouble(m, attr::kPitchWindow, c.pitchWindow);
  ts::setDouble(m, attr::kLogEps, c.logEps);
  ts::setDouble(m, attr::kLeakySlope, kLeakySlope);
  ts::setInt(m, attr::kContextFrames, c.contextFrames);
  ts::setDouble(m, attr::kSilenceDb, c.silenceDb);
  ts::setDouble(m, attr::kVoicedFraction, c.voicedFraction);
  ts::setDouble(m, attr::kTuneCents, c.tuneCents);
  ts::setAudioSettings(m, s);
  setEpoch(m, 0);
  m.define(kHpnSource);
  return m;
}

void setEpoch(torch::jit::Module& module, int epoch) { ts::setInt(module, attr::kEpoch, epoch); }

torch::Tensor pitchTargets(const HpnConfig& c, const torch::Tensor& midi, double sigma) {
  const torch::Tensor bins =
      c.pitchMin + c.pitchStep * torch::arange(pitchBins(c), midi.options().dtype(torch::kFloat32));
  const torch::Tensor d = (bins.view({1, -1}) - midi.to(torch::kFloat32).view({-1, 1})) / sigma;
  const torch::Tensor g = torch::exp(-0.5 * d * d);
  return g / g.sum(1, true);
}

torch::Tensor midiToHz(const torch::Tensor& midi) {
  return 440.0 * torch::pow(2.0, (midi.to(torch::kFloat32) - 69.0) / 12.0);
}

HpnInfo checkHpnModule(const torch::jit::Module& m, const std::string& file) {
  ts::requireFormat(m, kFormatName, kFormatVersion, file);
  for (const char* name : {method::kForward, method::kPitchHz, method::kSynthesize,
                           method::kPitchLogits, method::kParts})
    ts::requireMethod(m, name, file);
  HpnInfo info;
  info.settings = ts::audioSettings(m, file);
  HpnConfig& c = info.config;
  c.hidden = int(ts::getInt(m, attr::kHidden, file));
  c.pitchHarmonics = int(ts::getInt(m, attr::kPitchHarmonics, file));
  c.pitchFloorDb = ts::getDouble(m, attr::kPitchFloorDb, file);
  // A file from before the pitch scorer has none: loadHpn gives it a fresh scorer of the
  // default size, whose zero last layer leaves the file's template scores as they were.
  if (m.hasattr(attr::kPitchHidden)) c.pitchHidden = int(ts::getInt(m, attr::kPitchHidden, file));
  c.harmonics = int(ts::getInt(m, attr::kNHarmonics, file));
  c.envBins = int(ts::getInt(m, attr::kEnvBins, file));
  c.pitchMin = ts::getDouble(m, attr::kPitchMin, file);
  c.pitchStep = ts::getDouble(m, attr::kPitchStep, file);
  c.pitchWindow = ts::getDouble(m, attr::kPitchWindow, file);
  c.logEps = ts::getDouble(m, attr::kLogEps, file);
  c.contextFrames = int(ts::getInt(m, attr::kContextFrames, file));
  c.silenceDb = ts::getDouble(m, attr::kSilenceDb, file);
  c.voicedFraction = ts::getDouble(m, attr::kVoicedFraction, file);
  c.tuneCents = ts::getDouble(m, attr::kTuneCents, file);
  info.epoch = int(ts::getInt(m, attr::kEpoch, file));
  const std::string dilationsLabel = std::string("attribute ") + attr::kDilations;
  if (!m.hasattr(attr::kDilations) || !m.attr(attr::kDilations).isIntList())
    throw FormatError(file, dilationsLabel,
                      m.hasattr(attr::kDilations) ? "another type" : "nothing", "a list of ints");
  c.dilations.clear();
  for (int64_t d : m.attr(attr::kDilations).toIntVector()) c.dilations.push_back(int(d));
  const auto bins = m.attr("pitch_u").toTensor().numel();
  c.pitchMax = c.pitchMin + c.pitchStep * double(bins - 1);
  try {
    validate(c, info.settings);
  } catch (const std::invalid_argument& e) {
    throw FormatError(file + ": " + e.what());
  }
  ts::requireMelStatistics(m, {attr::kLogMean, attr::kLogStd}, info.settings.nMels, file);
  return info;
}

torch::jit::Module loadHpn(const std::string& file, HpnInfo* info) {
  const torch::jit::Module saved = ts::loadModule(file);
  const HpnInfo found = checkHpnModule(saved, file);
  if (info) *info = found;
  // The file's weights with this build's methods (hpn_model.torchscript), so that an hpn.pt
  // trained before a method was added or mended runs the current code.
  torch::jit::Module m =
      makeHpnModule(found.config, found.settings, saved.attr(attr::kLogMean).toTensor(),
                    saved.attr(attr::kLogStd).toTensor());
  ts::copyTensors(saved, m, file, "makeHpnModule");
  setEpoch(m, found.epoch);
  m.eval();
  return m;
}

}  // namespace wae::hpn

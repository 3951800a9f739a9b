#include "tools/inversion/griffin_lim.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

#include "tools/audio/spectrogram.h"
#include "tools/inversion/griffin_lim_source.h"
#include "tools/torchscript/attributes.h"

namespace wae::inversion {
namespace {

namespace ts = torchscript;

}  // namespace

void validate(const GriffinLimOptions& o, const AudioSettings& s) {
  s.validate();
  if (o.iterations < 0 || o.iterations > 10000)
    throw std::invalid_argument("Griffin-Lim iterations must be in 0..10000, got " +
                                std::to_string(o.iterations));
  if (!(o.momentum >= 0 && o.momentum < 1))
    throw std::invalid_argument("Griffin-Lim momentum must be in [0, 1), got " +
                                std::to_string(o.momentum));
  if (o.magnitude != "pinv" && o.magnitude != "nnls")
    throw std::invalid_argument("Griffin-Lim magnitude must be pinv or nnls, got \"" + o.magnitude +
                                "\"");
  if (o.magnitude == "nnls" && (o.nnlsIterations < 1 || o.nnlsIterations > 1000))
    throw std::invalid_argument("Griffin-Lim NNLS iterations must be in 1..1000, got " +
                                std::to_string(o.nnlsIterations));
  if (s.power != 1.0 && s.power != 2.0)
    throw std::invalid_argument("Griffin-Lim inverts magnitude or power mels (power 1 or 2), got " +
                                std::to_string(s.power));
}

torch::jit::Module makeGriffinLimModule(const AudioSettings& s, const GriffinLimOptions& o) {
  validate(o, s);
  torch::NoGradGuard noGrad;
  const torch::Tensor fb = MelSpectrogram(s).filterbank();  // [n_mels, n_fft / 2 + 1]
  torch::jit::Module m("WaeSamplerGriffinLim");
  m.register_buffer("filterbank", fb.clone());
  m.register_buffer("pinv", torch::linalg_pinv(fb.to(torch::kFloat64)).to(torch::kFloat32));
  m.register_buffer("hann_window", torch::hann_window(s.winLength, /*periodic=*/true));
  ts::setFormat(m, kGriffinLimFormat, kGriffinLimVersion);
  ts::setInt(m, "iterations", o.iterations);
  ts::setDouble(m, "momentum", o.momentum);
  ts::setString(m, "magnitude_mode", o.magnitude);
  ts::setInt(m, "nnls_iterations", o.nnlsIterations);
  ts::setAudioSettings(m, s);
  // magnitude and forward: tools/inversion/griffin_lim.torchscript, embedded at build time.
  m.define(kGriffinLimSource);
  m.eval();
  return m;
}

}  // namespace wae::inversion

#include "tools/inversion/griffin_lim.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "tools/audio/spectrogram.h"
#include "tools/torchscript/attributes.h"

namespace wae::inversion {
namespace {

namespace ts = torchscript;

// Dtype 9 is complex64 (torch.complex64 is not a value in C++-side define()).
std::string source(const AudioSettings& s) {
  std::ostringstream os;
  os << R"TS(
def magnitude(self, mel: Tensor) -> Tensor:
    m = torch.cat([mel, mel.narrow(2, mel.size(2) - 1, 1)], 2)
    x = torch.clamp(torch.matmul(self.pinv, m), 0.0)
    if self.magnitude_mode == "nnls":
        x = torch.clamp(x, 1e-8)
        wtm = torch.matmul(self.filterbank.t(), m)
        for i in range(self.nnls_iterations):
            x = x * wtm / (torch.matmul(self.filterbank.t(), torch.matmul(self.filterbank, x)) + 1e-12)
    if self.power != 1.0:
        x = torch.pow(x, 1.0 / self.power)
    return x

def forward(self, mel: Tensor) -> Tensor:
    assert mel.dim() == 3 and mel.size(1) == self.n_mels and mel.size(2) >= 1, "griffin-lim: forward expects an amplitude mel [batch, )TS"
     << s.nMels << R"TS( bands, frames]"
    mag = self.magnitude(mel).to(dtype=9)
    n = mel.size(2) * self.hop_length
    angles = torch.ones_like(mag)
    previous = torch.zeros_like(mag)
    factor = self.momentum / (1.0 + self.momentum)
    for i in range(self.iterations):
        wave = torch.istft(mag * angles, self.n_fft, self.hop_length, self.win_length, self.hann_window, True, False, True, n, False)
        rebuilt = torch.stft(wave, self.n_fft, self.hop_length, self.win_length, self.hann_window, True, "reflect", False, True, True)
        angles = rebuilt - previous * factor
        angles = angles / (torch.abs(angles) + 1e-16)
        previous = rebuilt
    return torch.istft(mag * angles, self.n_fft, self.hop_length, self.win_length, self.hann_window, True, False, True, n, False)
)TS";
  return os.str();
}

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
  m.define(source(s));
  m.eval();
  return m;
}

}  // namespace wae::inversion

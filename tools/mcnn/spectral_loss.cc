#include "tools/mcnn/spectral_loss.h"

#include <cmath>
#include <stdexcept>

namespace wae::mcnn {
namespace {

// Under this, a magnitude's gradient is not computed through sqrt(0).
constexpr double kTinyPower = 1e-12;

torch::Tensor spectrum(const torch::Tensor& wave, int fftSize, const torch::Tensor& window) {
  return torch::stft(wave, fftSize, fftSize / 4, fftSize, window, /*center=*/true,
                     /*pad_mode=*/"reflect", /*normalized=*/false, /*onesided=*/true,
                     /*return_complex=*/true);
}

// |z| with a finite gradient at z = 0.
torch::Tensor safeAbs(const torch::Tensor& z) {
  return (torch::real(z).square() + torch::imag(z).square() + kTinyPower).sqrt();
}

}  // namespace

void validate(const SpectralLossOptions& o) {
  if (o.fftSizes.empty()) throw std::invalid_argument("loss FFT sizes: none given");
  for (int n : o.fftSizes)
    if (n < 16 || n > 8192 || (n & (n - 1)) != 0)
      throw std::invalid_argument("loss FFT sizes must be powers of 2 in 16..8192, got " +
                                  std::to_string(n));
  const double weights[] = {o.scWeight, o.logMagWeight, o.instFreqWeight, o.phaseWeight};
  const char* names[] = {"spectral convergence", "log-magnitude", "instantaneous-frequency",
                         "phase"};
  bool any = false;
  for (int i = 0; i < 4; ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      throw std::invalid_argument(std::string("the ") + names[i] +
                                  " loss weight must be finite and >= 0, got " +
                                  std::to_string(weights[i]));
    any = any || weights[i] > 0;
  }
  if (!any) throw std::invalid_argument("every loss weight is 0: nothing to train on");
  if (!(o.magEps > 0)) throw std::invalid_argument("loss magnitude eps must be positive");
}

SpectralLossTerms spectralLoss(const torch::Tensor& est, const torch::Tensor& ref,
                               const SpectralLossOptions& o) {
  if (est.sizes() != ref.sizes() || est.dim() != 2)
    throw std::invalid_argument("spectralLoss: expected two waves [B, N] of the same shape");
  const auto opts = est.options();
  torch::Tensor sc = torch::zeros({}, opts), logMag = torch::zeros({}, opts);
  torch::Tensor instFreq = torch::zeros({}, opts), phase = torch::zeros({}, opts);
  const torch::Tensor target = ref.detach();
  for (int n : o.fftSizes) {
    const torch::Tensor window = torch::hann_window(n, opts.requires_grad(false));
    const torch::Tensor s = spectrum(target, n, window);
    const torch::Tensor sHat = spectrum(est, n, window);
    const torch::Tensor mag = safeAbs(s);
    const torch::Tensor magHat = safeAbs(sHat);
    sc = sc + (mag - magHat).square().sum().sqrt() / (mag.square().sum().sqrt() + 1e-8);
    logMag = logMag + (torch::log(mag + o.magEps) - torch::log(magHat + o.magEps)).abs().mean();
    if (o.instFreqWeight > 0) {
      // Phase advance from frame t - 1 to t as a complex number; cos of the difference of
      // two advances = Re(a conj(b)) / (|a| |b|).
      const int64_t frames = s.size(-1);
      const torch::Tensor adv = s.narrow(-1, 1, frames - 1) * s.narrow(-1, 0, frames - 1).conj();
      const torch::Tensor advHat =
          sHat.narrow(-1, 1, frames - 1) * sHat.narrow(-1, 0, frames - 1).conj();
      const torch::Tensor cosDiff =
          torch::real(adv * advHat.conj()) / (safeAbs(adv) * safeAbs(advHat) + 1e-12);
      const torch::Tensor weight = mag.narrow(-1, 1, frames - 1);
      instFreq = instFreq + (weight * (1.0 - cosDiff)).sum() / (weight.sum() + 1e-12);
    }
    if (o.phaseWeight > 0) {
      const torch::Tensor cross = torch::real(s * sHat.conj());
      phase = phase + (mag * magHat - cross).sum() / (mag.square().sum() + 1e-12);
    }
  }
  const double count = double(o.fftSizes.size());
  SpectralLossTerms t;
  t.sc = sc / count;
  t.logMag = logMag / count;
  t.instFreq = instFreq / count;
  t.phase = phase / count;
  t.total = o.scWeight * t.sc + o.logMagWeight * t.logMag;
  if (o.instFreqWeight > 0) t.total = t.total + o.instFreqWeight * t.instFreq;
  if (o.phaseWeight > 0) t.total = t.total + o.phaseWeight * t.phase;
  return t;
}

}  // namespace wae::mcnn

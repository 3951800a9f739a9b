#include "tools/audio/metrics.h"

#include <stdexcept>
#include <string>

#include "tools/audio/spectrogram.h"

namespace wae {
namespace {

std::string shapeString(const torch::Tensor& t) {
  std::string out = "[";
  for (int64_t i = 0; i < t.dim(); ++i) out += (i ? ", " : "") + std::to_string(t.size(i));
  return out + "]";
}

// Magnitudes of ref and est as float64 [B, F, T], after checking the shapes agree.
std::pair<torch::Tensor, torch::Tensor> magnitudes(const torch::Tensor& ref,
                                                   const torch::Tensor& est,
                                                   const AudioSettings& settings, const char* who) {
  if (ref.sizes() != est.sizes())
    throw std::invalid_argument(std::string(who) + ": reference " + shapeString(ref) +
                                " and estimate " + shapeString(est) + " differ in shape");
  if (ref.dim() != 1 && ref.dim() != 2)
    throw std::invalid_argument(std::string(who) + ": expected waves [N] or [B, N], got " +
                                shapeString(ref));
  auto mag = [&](const torch::Tensor& wave) {
    torch::Tensor w = wave.to(torch::kFloat64);
    if (w.dim() == 1) w = w.unsqueeze(0);
    return stft(w, settings).abs();
  };
  return {mag(ref), mag(est)};
}

}  // namespace

double logSpectralDistanceDb(const torch::Tensor& ref, const torch::Tensor& est,
                             const AudioSettings& settings) {
  torch::NoGradGuard noGrad;
  const auto [s, sHat] = magnitudes(ref, est, settings, "logSpectralDistanceDb");
  const torch::Tensor diffDb =
      20.0 * (torch::log10(s + kLsdEpsilon) - torch::log10(sHat + kLsdEpsilon));  // [B, F, T]
  const torch::Tensor perFrame = diffDb.square().mean(/*dim=*/1).sqrt();          // [B, T]
  return perFrame.mean().item<double>();  // equal T per example: mean over frames, then batch
}

double spectralConvergence(const torch::Tensor& ref, const torch::Tensor& est,
                           const AudioSettings& settings) {
  torch::NoGradGuard noGrad;
  const auto [s, sHat] = magnitudes(ref, est, settings, "spectralConvergence");
  const torch::Tensor num = (s - sHat).square().sum({1, 2}).sqrt();  // [B]
  const torch::Tensor den = s.square().sum({1, 2}).sqrt();
  return (num / den).mean().item<double>();
}

}  // namespace wae

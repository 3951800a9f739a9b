#include "tools/generative/decoded_mels.h"

#include <torch/torch.h>

#include <stdexcept>

#include "common/errors.h"
#include "tools/generative/generative_model.h"
#include "tools/generative/generative_schema.h"
#include "tools/vae/vae_schema.h"

namespace wae::generative {

std::optional<PitchAxis> pitchAxisOf(const torch::jit::Module& module) {
  const torch::jit::Module vae = module.attr("vae").toModule();
  if (!vae.hasattr(vae::attr::kPitchAxis) || vae.attr(vae::attr::kPitchAxis).toInt() != 1)
    return std::nullopt;
  PitchAxis a;
  a.center = vae.attr(vae::attr::kPitchCenter).toDouble();
  a.scale = vae.attr(vae::attr::kPitchScale).toDouble();
  a.reducedOffset = module.attr("pca_mean").toTensor()[0].item<double>();
  return a;
}

DecodedMels decodedMels(const std::string& path, const torch::Tensor& mels,
                        const torch::Tensor& midi, const AudioSettings& expected,
                        const std::string& expectedWhere, int batch) {
  if (batch < 1) throw std::invalid_argument("decodedMels: batch must be at least 1");
  const AudioSettings found = GenerativeModel::load(path).audioSettings();
  const std::string mismatch = describeMismatch(expected, expectedWhere, found, path);
  if (!mismatch.empty())
    throw FormatError("audio settings differ between " + path + " and " + expectedWhere + ":\n" +
                      mismatch);
  torch::jit::Module module = torch::jit::load(path);
  module.eval();
  for (const char* name : {method::kProject, "lift", "decode"})
    if (!module.find_method(name))
      throw FormatError(path, std::string("method ") + name, "none",
                        "a generative.pt of make_generative (project, lift and decode)");
  if (!module.hasattr("vae"))
    throw FormatError(path, "submodule vae", "none", "a generative.pt of make_generative");
  const std::optional<PitchAxis> axis = pitchAxisOf(module);
  torch::NoGradGuard noGrad;
  const int64_t n = mels.size(0);
  torch::Tensor out = torch::empty(mels.sizes(), torch::kFloat32);
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t count = std::min<int64_t>(batch, n - begin);
    const torch::Tensor mel = mels.narrow(0, begin, count).to(torch::kFloat32).contiguous();
    torch::Tensor z = module.run_method(method::kProject, mel).toTensor().clone();
    if (axis)
      z.select(1, 0).copy_((midi.narrow(0, begin, count).to(torch::kFloat64) - axis->center) /
                               axis->scale -
                           axis->reducedOffset);
    const torch::Tensor full = module.run_method("lift", z).toTensor();
    out.narrow(0, begin, count).copy_(module.run_method("decode", full).toTensor());
  }
  return {out, module.hasattr("pitch_from_axis")};
}

}  // namespace wae::generative

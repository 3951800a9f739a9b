#include "tools/generative/decoded_mels.h"

#include <torch/torch.h>

#include <stdexcept>

#include "common/errors.h"
#include "tools/generative/generative_schema.h"
#include "tools/torchscript/attributes.h"
#include "tools/vae/vae_schema.h"

namespace wae::generative {

namespace ts = wae::torchscript;

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

MelDecoder::MelDecoder(const std::string& path, const AudioSettings& expected,
                       const std::string& expectedWhere)
    : module_(ts::loadModule(path)) {
  ts::requireFormat(module_, kFormatName, kFormatVersion, path);
  const AudioSettings found = ts::audioSettings(module_, path);
  const std::string mismatch = describeMismatch(expected, expectedWhere, found, path);
  if (!mismatch.empty())
    throw FormatError("audio settings differ between " + path + " and " + expectedWhere + ":\n" +
                      mismatch);
  for (const char* name : {method::kProject, "lift", method::kDecode})
    if (!module_.find_method(name))
      throw FormatError(path, std::string("method ") + name, "none",
                        "a generative.pt of make_generative (project, lift and decode)");
  if (!module_.hasattr("vae"))
    throw FormatError(path, "submodule vae", "none", "a generative.pt of make_generative");
  module_.eval();
  axis_ = pitchAxisOf(module_);
  atAxisPitch_ = module_.hasattr("pitch_from_axis");
}

torch::Tensor MelDecoder::decode(const torch::Tensor& mels, const torch::Tensor& midi, int batch) {
  if (batch < 1) throw std::invalid_argument("MelDecoder: batch must be at least 1");
  torch::NoGradGuard noGrad;
  const int64_t n = mels.size(0);
  torch::Tensor out = torch::empty(mels.sizes(), torch::kFloat32);
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t count = std::min<int64_t>(batch, n - begin);
    const torch::Tensor mel = mels.narrow(0, begin, count).to(torch::kFloat32).contiguous();
    torch::Tensor z = module_.run_method(method::kProject, mel).toTensor().clone();
    if (axis_)
      z.select(1, 0).copy_((midi.narrow(0, begin, count).to(torch::kFloat64) - axis_->center) /
                               axis_->scale -
                           axis_->reducedOffset);
    const torch::Tensor full = module_.run_method("lift", z).toTensor();
    out.narrow(0, begin, count).copy_(module_.run_method(method::kDecode, full).toTensor());
  }
  return out;
}

}  // namespace wae::generative

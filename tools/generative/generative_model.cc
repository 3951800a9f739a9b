#include "tools/generative/generative_model.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "common/errors.h"
#include "tools/generative/generative_schema.h"
#include "tools/torchscript/attributes.h"

namespace wae {
namespace {

namespace gs = generative;
namespace ts = torchscript;

std::string shapeOf(const torch::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();
  return os.str();
}

}  // namespace

struct GenerativeModel::Impl {
  mutable torch::jit::Module module;
  std::string path;
  int fullDim = 0;
  AudioSettings settings;
  std::array<std::pair<double, double>, 4> ranges{};
  bool hasProject = false;
  bool hasF0 = false;
  bool hasForwardF0 = false;
  bool hasForwardParts = false;
  bool hasDecode = false;

  // Runs `method` on a [batch, inDim] float tensor over `z`, checks the output is
  // [batch, outDim] and copies it to `out`.
  void run(const char* method, const float* in, std::vector<int64_t> inShape, int64_t outDim,
           float* out) const {
    c10::InferenceMode guard;
    const int64_t batch = inShape[0];
    torch::Tensor x = torch::from_blob(const_cast<float*>(in), inShape, torch::kFloat32);
    copyOut(method, module.get_method(method)({x}).toTensor(), batch, outDim, out);
  }

  // Runs `method` on reduced points z [batch, 4]; the caller holds a c10::InferenceMode.
  c10::IValue callReduced(const char* method, const float* z, int batch) const {
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(z), {batch, gs::kReducedDim}, torch::kFloat32);
    return module.get_method(method)({x});
  }

  // Checks that y is [batch, outDim] and copies it to `out`.
  void copyOut(const std::string& field, torch::Tensor y, int64_t batch, int64_t outDim,
               float* out) const {
    if (y.dim() != 2 || y.size(0) != batch || y.size(1) != outDim)
      throw FormatError(path, "output of " + field, shapeOf(y),
                        "[" + std::to_string(batch) + ", " + std::to_string(outDim) + "]");
    y = y.to(torch::kFloat32).contiguous();
    std::memcpy(out, y.data_ptr<float>(), sizeof(float) * batch * outDim);
  }

  // Checks that y is [batch] of finite frequencies >= 0 and returns them.
  std::vector<float> frequencies(const std::string& field, torch::Tensor y, int batch) const {
    if (y.dim() != 1 || y.size(0) != batch)
      throw FormatError(path, "output of " + field, shapeOf(y), "[" + std::to_string(batch) + "]");
    y = y.to(torch::kFloat32).contiguous();
    std::vector<float> f(y.data_ptr<float>(), y.data_ptr<float>() + batch);
    for (int k = 0; k < batch; ++k)
      if (!(std::isfinite(f[k]) && f[k] >= 0.0f))
        throw FormatError(path, "output of " + field + "[" + std::to_string(k) + "]",
                          std::to_string(f[k]), "a finite frequency >= 0 Hz (0: unpitched)");
    return f;
  }
};

GenerativeModel::GenerativeModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GenerativeModel::GenerativeModel(GenerativeModel&&) noexcept = default;
GenerativeModel& GenerativeModel::operator=(GenerativeModel&&) noexcept = default;
GenerativeModel::~GenerativeModel() = default;

GenerativeModel GenerativeModel::load(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->module = ts::loadModule(path);
  impl->module.eval();
  const torch::jit::Module& m = impl->module;

  ts::requireFormat(m, gs::kFormatName, gs::kFormatVersion, path);
  const int64_t reduced = ts::getInt(m, gs::attr::kReducedDim, path);
  if (reduced != gs::kReducedDim)
    throw FormatError(path, std::string("attribute ") + gs::attr::kReducedDim,
                      std::to_string(reduced), std::to_string(gs::kReducedDim));
  const int64_t full = ts::getInt(m, gs::attr::kFullDim, path);
  if (full < gs::kReducedDim || full > gs::kMaxFullDim)
    throw FormatError(
        path, std::string("attribute ") + gs::attr::kFullDim, std::to_string(full),
        "an int in " + std::to_string(gs::kReducedDim) + ".." + std::to_string(gs::kMaxFullDim));
  impl->fullDim = static_cast<int>(full);

  const auto lo = ts::getDoubles(m, gs::attr::kAxisMin, path, gs::kReducedDim);
  const auto hi = ts::getDoubles(m, gs::attr::kAxisMax, path, gs::kReducedDim);
  for (int i = 0; i < gs::kReducedDim; ++i) {
    if (!std::isfinite(lo[i]) || !std::isfinite(hi[i]) || !(lo[i] < hi[i])) {
      std::ostringstream found;
      found << "axis " << i + 1 << " from " << lo[i] << " to " << hi[i];
      throw FormatError(path,
                        std::string("attributes ") + gs::attr::kAxisMin + "/" + gs::attr::kAxisMax,
                        found.str(), "finite values with axis_min < axis_max");
    }
    impl->ranges[i] = {lo[i], hi[i]};
  }

  impl->settings = ts::audioSettings(m, path);
  if (impl->settings.nSamples > gs::kMaxSamples)
    throw FormatError(path, "attribute n_samples", std::to_string(impl->settings.nSamples),
                      "at most " + std::to_string(gs::kMaxSamples));

  for (const char* method : {gs::method::kForward, gs::method::kForwardFull})
    ts::requireMethod(m, method, path);
  impl->hasProject = m.find_method(gs::method::kProject).has_value();
  // Both or neither: a bake asks f0 of reduced points, live mode of full ones.
  impl->hasF0 =
      m.find_method(gs::method::kF0).has_value() && m.find_method(gs::method::kF0Full).has_value();
  impl->hasForwardF0 = impl->hasF0 && m.find_method(gs::method::kForwardF0).has_value();
  impl->hasForwardParts = impl->hasF0 && m.find_method(gs::method::kForwardParts).has_value();
  impl->hasDecode = m.find_method(gs::method::kDecode).has_value();
  return GenerativeModel(std::move(impl));
}

const std::string& GenerativeModel::path() const { return impl_->path; }
int GenerativeModel::reducedDim() const { return gs::kReducedDim; }
int GenerativeModel::fullDim() const { return impl_->fullDim; }
int GenerativeModel::sampleRate() const { return impl_->settings.sampleRate; }
int GenerativeModel::length() const { return impl_->settings.nSamples; }
std::array<std::pair<double, double>, 4> GenerativeModel::axisRanges() const {
  return impl_->ranges;
}
AudioSettings GenerativeModel::audioSettings() const { return impl_->settings; }
bool GenerativeModel::hasProject() const { return impl_->hasProject; }
bool GenerativeModel::hasF0() const { return impl_->hasF0; }
bool GenerativeModel::hasForwardF0() const { return impl_->hasForwardF0; }
bool GenerativeModel::hasForwardParts() const { return impl_->hasForwardParts; }
bool GenerativeModel::hasDecode() const { return impl_->hasDecode; }

std::vector<float> GenerativeModel::forward(const float* z) const {
  std::vector<float> out(length());
  forwardBatch(z, 1, out.data());
  return out;
}

void GenerativeModel::forwardBatch(const float* z, int batch, float* out) const {
  if (batch <= 0) return;
  impl_->run(gs::method::kForward, z, {batch, gs::kReducedDim}, length(), out);
}

void GenerativeModel::forwardFull(const float* z, int batch, float* out) const {
  if (batch <= 0) return;
  impl_->run(gs::method::kForwardFull, z, {batch, impl_->fullDim}, length(), out);
}

void GenerativeModel::project(const float* mel, int batch, float* out) const {
  if (!impl_->hasProject)
    throw std::logic_error(impl_->path + ": has no " + gs::method::kProject + "() method");
  if (batch <= 0) return;
  impl_->run(gs::method::kProject, mel, {batch, impl_->settings.nMels, impl_->settings.nFrames},
             gs::kReducedDim, out);
}

std::vector<float> GenerativeModel::f0(const float* z, int batch) const {
  if (!impl_->hasF0)
    throw std::logic_error(impl_->path + ": has no " + gs::method::kF0 + "() method");
  if (batch <= 0) return {};
  c10::InferenceMode guard;
  return impl_->frequencies(gs::method::kF0,
                            impl_->callReduced(gs::method::kF0, z, batch).toTensor(), batch);
}

std::vector<float> GenerativeModel::forwardWithF0(const float* z, int batch, float* out) const {
  if (!impl_->hasF0)
    throw std::logic_error(impl_->path + ": has no " + gs::method::kF0 + "() method");
  if (batch <= 0) return {};
  if (!impl_->hasForwardF0) {
    forwardBatch(z, batch, out);
    return f0(z, batch);
  }
  c10::InferenceMode guard;
  const auto both = impl_->callReduced(gs::method::kForwardF0, z, batch).toTuple();
  const std::string wave = std::string(gs::method::kForwardF0) + "[0]";
  impl_->copyOut(wave, both->elements()[0].toTensor(), batch, length(), out);
  return impl_->frequencies(std::string(gs::method::kForwardF0) + "[1]",
                            both->elements()[1].toTensor(), batch);
}

std::vector<float> GenerativeModel::forwardParts(const float* z, int batch, float* harmonic,
                                                 float* noise) const {
  if (!impl_->hasForwardParts)
    throw std::logic_error(impl_->path + ": has no " + gs::method::kForwardParts + "() method");
  if (batch <= 0) return {};
  c10::InferenceMode guard;
  const auto parts = impl_->callReduced(gs::method::kForwardParts, z, batch).toTuple();
  const std::string name = gs::method::kForwardParts;
  if (parts->elements().size() != 3)
    throw FormatError(impl_->path, "output of " + name,
                      std::to_string(parts->elements().size()) + " values",
                      "3 (harmonic, noise, f0)");
  impl_->copyOut(name + "[0]", parts->elements()[0].toTensor(), batch, length(), harmonic);
  impl_->copyOut(name + "[1]", parts->elements()[1].toTensor(), batch, length(), noise);
  return impl_->frequencies(name + "[2]", parts->elements()[2].toTensor(), batch);
}

void setUpModelThread(int threads) {
  if (threads > 0) at::set_num_threads(threads);
  torch::jit::setGraphExecutorOptimize(false);
}

}  // namespace wae

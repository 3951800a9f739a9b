#include "tools/generative/generative_model.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "common/errors.h"
#include "tools/generative/generative_schema.h"

namespace wae {
namespace {

namespace gs = generative;

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string shapeOf(const torch::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();
  return os.str();
}

std::string kindOf(const c10::IValue& v) {
  if (v.isInt()) return "an int";
  if (v.isDouble()) return "a float";
  if (v.isString()) return "a string";
  if (v.isList()) return "a list";
  if (v.isTensor()) return "a tensor";
  if (v.isNone()) return "None";
  return "a " + v.tagKind();
}

// Reads the module's attributes, naming the file and attribute in every error.
class AttrReader {
 public:
  AttrReader(const torch::jit::Module& m, const std::string& path) : m_(m), path_(path) {}

  c10::IValue get(const std::string& name, const std::string& expected) const {
    if (!m_.hasattr(name)) throw FormatError(path_, "attribute " + name, "nothing", expected);
    return m_.attr(name);
  }
  int64_t getInt(const std::string& name) const {
    const c10::IValue v = get(name, "an int");
    if (!v.isInt()) throw FormatError(path_, "attribute " + name, kindOf(v), "an int");
    return v.toInt();
  }
  double getDouble(const std::string& name) const {
    const c10::IValue v = get(name, "a float");
    if (v.isDouble()) return v.toDouble();
    if (v.isInt()) return static_cast<double>(v.toInt());
    throw FormatError(path_, "attribute " + name, kindOf(v), "a float");
  }
  std::string getString(const std::string& name) const {
    const c10::IValue v = get(name, "a string");
    if (!v.isString()) throw FormatError(path_, "attribute " + name, kindOf(v), "a string");
    return v.toStringRef();
  }
  std::vector<double> getDoubles(const std::string& name, size_t count) const {
    const std::string expected = "a list of " + std::to_string(count) + " floats";
    const c10::IValue v = get(name, expected);
    if (!v.isList()) throw FormatError(path_, "attribute " + name, kindOf(v), expected);
    std::vector<double> out;
    for (const c10::IValue& e : v.toListRef()) {
      if (e.isDouble())
        out.push_back(e.toDouble());
      else if (e.isInt())
        out.push_back(static_cast<double>(e.toInt()));
      else
        throw FormatError(path_, "attribute " + name, "a list holding " + kindOf(e), expected);
    }
    if (out.size() != count)
      throw FormatError(path_, "attribute " + name, std::to_string(out.size()) + " values",
                        expected);
    return out;
  }

  const std::string& path() const { return path_; }

 private:
  const torch::jit::Module& m_;
  const std::string& path_;
};

}  // namespace

struct GenerativeModel::Impl {
  mutable torch::jit::Module module;
  std::string path;
  int fullDim = 0;
  AudioSettings settings;
  std::array<std::pair<double, double>, 4> ranges{};
  bool hasProject = false;

  // Runs `method` on a [batch, inDim] float tensor over `z`, checks the output is
  // [batch, outDim] and copies it to `out`.
  void run(const char* method, const float* in, std::vector<int64_t> inShape, int64_t outDim,
           float* out) const {
    c10::InferenceMode guard;
    const int64_t batch = inShape[0];
    torch::Tensor x = torch::from_blob(const_cast<float*>(in), inShape, torch::kFloat32);
    torch::Tensor y = module.get_method(method)({x}).toTensor();
    if (y.dim() != 2 || y.size(0) != batch || y.size(1) != outDim)
      throw FormatError(path, std::string("output of ") + method, shapeOf(y),
                        "[" + std::to_string(batch) + ", " + std::to_string(outDim) + "]");
    y = y.to(torch::kFloat32).contiguous();
    std::memcpy(out, y.data_ptr<float>(), sizeof(float) * batch * outDim);
  }
};

GenerativeModel::GenerativeModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GenerativeModel::GenerativeModel(GenerativeModel&&) noexcept = default;
GenerativeModel& GenerativeModel::operator=(GenerativeModel&&) noexcept = default;
GenerativeModel::~GenerativeModel() = default;

GenerativeModel GenerativeModel::load(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw FormatError(path + ": no such file");
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  try {
    impl->module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error& e) {
    throw FormatError(path + ": not a TorchScript module: " + firstLine(e.what()));
  }
  impl->module.eval();
  const AttrReader a(impl->module, path);

  const std::string format = a.getString(gs::attr::kFormat);
  if (format != gs::kFormatName)
    throw FormatError(path, std::string("attribute ") + gs::attr::kFormat, "\"" + format + "\"",
                      std::string("\"") + gs::kFormatName + "\"");
  const int64_t version = a.getInt(gs::attr::kFormatVersion);
  if (version != gs::kFormatVersion)
    throw FormatError(path, std::string("attribute ") + gs::attr::kFormatVersion,
                      std::to_string(version), std::to_string(gs::kFormatVersion));
  const int64_t reduced = a.getInt(gs::attr::kReducedDim);
  if (reduced != gs::kReducedDim)
    throw FormatError(path, std::string("attribute ") + gs::attr::kReducedDim,
                      std::to_string(reduced), std::to_string(gs::kReducedDim));
  const int64_t full = a.getInt(gs::attr::kFullDim);
  if (full < gs::kReducedDim || full > gs::kMaxFullDim)
    throw FormatError(
        path, std::string("attribute ") + gs::attr::kFullDim, std::to_string(full),
        "an int in " + std::to_string(gs::kReducedDim) + ".." + std::to_string(gs::kMaxFullDim));
  impl->fullDim = static_cast<int>(full);

  const auto lo = a.getDoubles(gs::attr::kAxisMin, gs::kReducedDim);
  const auto hi = a.getDoubles(gs::attr::kAxisMax, gs::kReducedDim);
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

  struct SettingsReader {
    const AttrReader& a;
    void operator()(const char* name, int& v) {
      const int64_t x = a.getInt(name);
      if (x < INT32_MIN || x > INT32_MAX)
        throw FormatError(a.path(), std::string("attribute ") + name, std::to_string(x),
                          "a 32-bit int");
      v = static_cast<int>(x);
    }
    void operator()(const char* name, double& v) { v = a.getDouble(name); }
    void operator()(const char* name, std::string& v) { v = a.getString(name); }
  };
  visitFields(impl->settings, SettingsReader{a});
  try {
    impl->settings.validate();
  } catch (const std::invalid_argument& e) {
    throw FormatError(path + ": " + e.what());
  }
  if (impl->settings.nSamples > gs::kMaxSamples)
    throw FormatError(path, "attribute n_samples", std::to_string(impl->settings.nSamples),
                      "at most " + std::to_string(gs::kMaxSamples));

  for (const char* m : {gs::method::kForward, gs::method::kForwardFull})
    if (!impl->module.find_method(m))
      throw FormatError(path, std::string("method ") + m, "nothing", "a TorchScript method");
  impl->hasProject = impl->module.find_method(gs::method::kProject).has_value();
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

void setTorchThreads(int threads) {
  if (threads > 0) at::set_num_threads(threads);
}

}  // namespace wae

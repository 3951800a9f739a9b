#include "tools/torchscript/attributes.h"

#include <climits>
#include <filesystem>
#include <stdexcept>
#include <type_traits>

#include "common/errors.h"

namespace wae::torchscript {
namespace {

std::string kindOf(const c10::IValue& v) {
  if (v.isInt()) return "an int";
  if (v.isDouble()) return "a float";
  if (v.isString()) return "a string";
  if (v.isList()) return "a list";
  if (v.isTensor()) return "a tensor";
  if (v.isNone()) return "None";
  return "a " + v.tagKind();
}

std::string label(const std::string& name) { return "attribute " + name; }

c10::IValue get(const torch::jit::Module& m, const std::string& name, const std::string& file,
                const std::string& expected) {
  if (!m.hasattr(name)) throw FormatError(file, label(name), "nothing", expected);
  return m.attr(name);
}

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

void setInt(torch::jit::Module& m, const std::string& name, int64_t value) {
  m.register_attribute(name, c10::IntType::get(), value);
}

void setDouble(torch::jit::Module& m, const std::string& name, double value) {
  m.register_attribute(name, c10::FloatType::get(), value);
}

void setString(torch::jit::Module& m, const std::string& name, const std::string& value) {
  m.register_attribute(name, c10::StringType::get(), value);
}

void setDoubles(torch::jit::Module& m, const std::string& name, const std::vector<double>& values) {
  m.register_attribute(name, c10::ListType::ofFloats(), c10::List<double>(values));
}

int64_t getInt(const torch::jit::Module& m, const std::string& name, const std::string& file) {
  const c10::IValue v = get(m, name, file, "an int");
  if (!v.isInt()) throw FormatError(file, label(name), kindOf(v), "an int");
  return v.toInt();
}

double getDouble(const torch::jit::Module& m, const std::string& name, const std::string& file) {
  const c10::IValue v = get(m, name, file, "a float");
  if (v.isDouble()) return v.toDouble();
  if (v.isInt()) return static_cast<double>(v.toInt());
  throw FormatError(file, label(name), kindOf(v), "a float");
}

std::string getString(const torch::jit::Module& m, const std::string& name,
                      const std::string& file) {
  const c10::IValue v = get(m, name, file, "a string");
  if (!v.isString()) throw FormatError(file, label(name), kindOf(v), "a string");
  return v.toStringRef();
}

std::vector<double> getDoubles(const torch::jit::Module& m, const std::string& name,
                               const std::string& file, int count) {
  const std::string expected =
      count < 0 ? "a list of floats" : "a list of " + std::to_string(count) + " floats";
  const c10::IValue v = get(m, name, file, expected);
  if (!v.isList()) throw FormatError(file, label(name), kindOf(v), expected);
  std::vector<double> out;
  for (const c10::IValue& e : v.toListRef()) {
    if (e.isDouble())
      out.push_back(e.toDouble());
    else if (e.isInt())
      out.push_back(static_cast<double>(e.toInt()));
    else
      throw FormatError(file, label(name), "a list holding " + kindOf(e), expected);
  }
  if (count >= 0 && out.size() != static_cast<size_t>(count))
    throw FormatError(file, label(name), std::to_string(out.size()) + " values", expected);
  return out;
}

void setFormat(torch::jit::Module& m, const std::string& name, int64_t version) {
  setString(m, "format", name);
  setInt(m, "format_version", version);
}

void requireFormat(const torch::jit::Module& m, const std::string& name, int64_t version,
                   const std::string& file) {
  const std::string found = getString(m, "format", file);
  if (found != name)
    throw FormatError(file, label("format"), "\"" + found + "\"", "\"" + name + "\"");
  const int64_t v = getInt(m, "format_version", file);
  if (v != version)
    throw FormatError(file, label("format_version"), std::to_string(v), std::to_string(version));
}

void setAudioSettings(torch::jit::Module& m, const AudioSettings& settings) {
  visitFields(settings, [&](const char* name, const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, int>)
      setInt(m, name, v);
    else if constexpr (std::is_same_v<T, double>)
      setDouble(m, name, v);
    else
      setString(m, name, v);
  });
}

AudioSettings audioSettings(const torch::jit::Module& m, const std::string& file) {
  AudioSettings s;
  visitFields(s, [&](const char* name, auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, int>) {
      const int64_t x = getInt(m, name, file);
      if (x < INT_MIN || x > INT_MAX)
        throw FormatError(file, label(name), std::to_string(x), "a 32-bit int");
      v = static_cast<int>(x);
    } else if constexpr (std::is_same_v<T, double>) {
      v = getDouble(m, name, file);
    } else {
      v = getString(m, name, file);
    }
  });
  try {
    s.validate();
  } catch (const std::invalid_argument& e) {
    throw FormatError(file + ": " + e.what());
  }
  return s;
}

void requireMethod(const torch::jit::Module& m, const std::string& name, const std::string& file) {
  if (!m.find_method(name))
    throw FormatError(file, "method " + name, "nothing", "a TorchScript method");
}

torch::jit::Module loadModule(const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) throw FormatError(file + ": no such file");
  try {
    return torch::jit::load(file, torch::kCPU);
  } catch (const c10::Error& e) {
    throw FormatError(file + ": not a TorchScript module: " + firstLine(e.what()));
  }
}

void copyTensors(const torch::jit::Module& saved, torch::jit::Module& fresh,
                 const std::string& file, const std::string& maker) {
  auto copy = [&](const std::string& name, const torch::Tensor& value) {
    if (!fresh.hasattr(name) || !fresh.attr(name).isTensor())
      throw FormatError(file, "tensor " + name, "a tensor this build's " + maker + " does not make",
                        "the tensors of " + maker);
    const torch::Tensor mine = fresh.attr(name).toTensor();
    if (mine.sizes() != value.sizes())
      throw FormatError(file, "tensor " + name, "shape " + c10::str(value.sizes()),
                        c10::str(mine.sizes()) + " for its attributes");
    fresh.setattr(name, value.detach().clone().requires_grad_(mine.requires_grad()));
  };
  for (const auto& p : saved.named_parameters(/*recurse=*/false)) copy(p.name, p.value);
  for (const auto& b : saved.named_buffers(/*recurse=*/false)) copy(b.name, b.value);
}

void requireMelStatistics(const torch::jit::Module& m, std::initializer_list<const char*> names,
                          int64_t nMels, const std::string& file) {
  for (const char* name : names) {
    const c10::IValue v = m.hasattr(name) ? m.attr(name) : c10::IValue();
    if (!v.isTensor() || v.toTensor().numel() != nMels)
      throw FormatError(
          file, std::string("attribute ") + name,
          v.isTensor() ? std::to_string(v.toTensor().numel()) + " values" : "no tensor",
          "a float tensor of n_mels = " + std::to_string(nMels) + " values");
  }
}

}  // namespace wae::torchscript

#include "tools/training/checkpoint.h"

#include <algorithm>
#include <sstream>

#include "common/atomic_file.h"
#include "common/errors.h"

namespace wae::training {
namespace {

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string describe(const c10::IValue& v) {
  if (v.isString()) return "\"" + v.toStringRef() + "\"";
  if (v.isInt()) return std::to_string(v.toInt());
  if (v.isDouble()) return std::to_string(v.toDouble());
  return "a " + v.tagKind();
}

}  // namespace

CheckpointWriter::CheckpointWriter(const std::string& format, int64_t version,
                                   const Fingerprint& config) {
  archive_.write("format", c10::IValue(format));
  archive_.write("format_version", c10::IValue(version));
  for (const auto& [key, value] : config) archive_.write("config_" + key, c10::IValue(value));
}

void CheckpointWriter::writeParameters(const torch::jit::Module& module) {
  for (const auto& p : module.named_parameters())
    archive_.write("param_" + p.name, p.value.detach());
}

void CheckpointWriter::writeOptimizer(torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive nested;
  optimizer.save(nested);
  archive_.write("optimizer", nested);
}

void CheckpointWriter::writeInt(const std::string& key, int64_t value) {
  archive_.write(key, c10::IValue(value));
}

void CheckpointWriter::writeDouble(const std::string& key, double value) {
  archive_.write(key, c10::IValue(value));
}

void CheckpointWriter::writeTensor(const std::string& key, const torch::Tensor& value) {
  archive_.write(key, value.detach(), /*is_buffer=*/true);
}

void CheckpointWriter::writeRows(const std::string& key,
                                 const std::vector<std::vector<double>>& rows, int columns) {
  torch::Tensor t = torch::zeros({int64_t(rows.size()), columns}, torch::kFloat64);
  auto a = t.accessor<double, 2>();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (int(rows[i].size()) != columns)
      throw std::logic_error("CheckpointWriter::writeRows: row " + std::to_string(i) + " has " +
                             std::to_string(rows[i].size()) + " values, expected " +
                             std::to_string(columns));
    for (int j = 0; j < columns; ++j) a[i][j] = rows[i][j];
  }
  writeTensor(key, t);
}

void CheckpointWriter::save(const std::string& path) {
  AtomicFile file(path);
  archive_.save_to(file.partialPath());
  file.commit();
}

CheckpointReader::CheckpointReader(const std::string& path, const torch::Device& device,
                                   const std::string& format, int64_t version,
                                   const Fingerprint& config,
                                   const std::vector<std::string>& mayChange,
                                   const Fingerprint& absentMeans)
    : path_(path), device_(device) {
  try {
    archive_.load_from(path, device);
  } catch (const c10::Error& e) {
    throw FormatError(path + ": not a readable checkpoint: " + firstLine(e.what()));
  }
  const c10::IValue f = readValue("format", "\"" + format + "\"");
  if (!f.isString() || f.toStringRef() != format)
    throw FormatError(path_, "format", describe(f), "\"" + format + "\"");
  const c10::IValue v = readValue("format_version", std::to_string(version));
  if (!v.isInt() || v.toInt() != version)
    throw FormatError(path_, "format_version", describe(v), std::to_string(version));
  for (const auto& [key, value] : config) {
    const auto absent = std::find_if(absentMeans.begin(), absentMeans.end(),
                                     [&](const auto& kv) { return kv.first == key; });
    c10::IValue found;
    if (absent != absentMeans.end() && !archive_.try_read("config_" + key, found))
      found = c10::IValue(absent->second);
    else
      found = readValue("config_" + key, "\"" + value + "\"");
    const std::string s = found.isString() ? found.toStringRef() : describe(found);
    if (s != value && std::find(mayChange.begin(), mayChange.end(), key) != mayChange.end()) {
      changes_.push_back(key + " " + s + " -> " + value);
    } else if (s != value) {
      throw std::invalid_argument("--resume: " + path_ + " was made with " + key + " = " + s +
                                  ", this run has " + value +
                                  "; use the same options or start without --resume");
    }
  }
}

c10::IValue CheckpointReader::readValue(const std::string& key, const std::string& expected) {
  c10::IValue v;
  if (!archive_.try_read(key, v)) throw FormatError(path_, key, "nothing", expected);
  return v;
}

void CheckpointReader::readParameters(torch::jit::Module& module) {
  torch::NoGradGuard noGrad;
  for (const auto& p : module.named_parameters()) {
    torch::Tensor saved;
    if (!archive_.try_read("param_" + p.name, saved))
      throw FormatError(path_, "param_" + p.name, "nothing", "a tensor");
    if (saved.sizes() != p.value.sizes()) {
      std::ostringstream found, expected;
      found << saved.sizes();
      expected << p.value.sizes();
      throw FormatError(path_, "param_" + p.name, found.str(), expected.str());
    }
    p.value.copy_(saved);
  }
}

void CheckpointReader::readOptimizer(torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive nested;
  if (!archive_.try_read("optimizer", nested))
    throw FormatError(path_, "optimizer", "nothing", "the optimizer's state");
  optimizer.load(nested);
}

int64_t CheckpointReader::readInt(const std::string& key) {
  const c10::IValue v = readValue(key, "an int");
  if (!v.isInt()) throw FormatError(path_, key, describe(v), "an int");
  return v.toInt();
}

double CheckpointReader::readDouble(const std::string& key) {
  const c10::IValue v = readValue(key, "a float");
  if (v.isDouble()) return v.toDouble();
  if (v.isInt()) return double(v.toInt());
  throw FormatError(path_, key, describe(v), "a float");
}

torch::Tensor CheckpointReader::readTensor(const std::string& key) {
  torch::Tensor t;
  if (!archive_.try_read(key, t)) throw FormatError(path_, key, "nothing", "a tensor");
  return t;
}

std::vector<std::vector<double>> CheckpointReader::readRows(const std::string& key, int columns) {
  torch::Tensor t = readTensor(key).to(torch::kCPU, torch::kFloat64).contiguous();
  if (t.dim() != 2 || t.size(1) != columns)
    throw FormatError(path_, key, "a tensor of " + std::to_string(t.dim()) + " dimensions",
                      "[rows, " + std::to_string(columns) + "]");
  std::vector<std::vector<double>> rows(t.size(0));
  auto a = t.accessor<double, 2>();
  for (int64_t i = 0; i < t.size(0); ++i)
    for (int j = 0; j < columns; ++j) rows[i].push_back(a[i][j]);
  return rows;
}

}  // namespace wae::training

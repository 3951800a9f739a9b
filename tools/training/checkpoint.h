// Versioned training checkpoints: a torch::serialize archive holding a format name and
// version, the run's configuration fingerprint (everything that changes what an epoch
// computes, as strings), the parameters of a TorchScript module, the optimizer's state and
// whatever else the trainer adds (epoch, best score, metrics history). A resumed run must
// present the same fingerprint, or it is refused with a message naming the first field that
// differs. LibTorch: include only from tools code.
//
// Threads: one object per thread.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace wae::training {

// (key, value) pairs; the order is kept for messages.
using Fingerprint = std::vector<std::pair<std::string, std::string>>;

class CheckpointWriter {
 public:
  CheckpointWriter(const std::string& format, int64_t version, const Fingerprint& config);

  // Every named parameter of the module, under "param_<name>".
  void writeParameters(const torch::jit::Module& module);
  void writeOptimizer(torch::optim::Optimizer& optimizer);
  void writeInt(const std::string& key, int64_t value);
  void writeDouble(const std::string& key, double value);
  void writeTensor(const std::string& key, const torch::Tensor& value);
  // Rows of doubles (e.g. per-epoch metrics) as a float64 [rows, columns] tensor; every
  // row must have `columns` values.
  void writeRows(const std::string& key, const std::vector<std::vector<double>>& rows, int columns);

  // Writes the archive to `path` through wae::AtomicFile.
  void save(const std::string& path);

 private:
  torch::serialize::OutputArchive archive_;
};

class CheckpointReader {
 public:
  // Loads `path` with tensors on `device`, checks the format and version, and that the
  // recorded fingerprint equals `config` (every key; an extra key in the file is ignored).
  // A file that is not a checkpoint, or of another format or version, throws
  // wae::FormatError naming the file; a fingerprint that differs throws
  // std::invalid_argument: "--resume: <path> was made with <key> = <a>, this run has <b>;
  // use the same options or start without --resume". Keys in `mayChange` may differ: each
  // difference is listed in changes() instead ("lr 0.001 -> 0.0007"). Keys in `absentMeans`
  // (added to a fingerprint after checkpoints were written) may be missing from the file,
  // which then means the value given there.
  CheckpointReader(const std::string& path, const torch::Device& device, const std::string& format,
                   int64_t version, const Fingerprint& config,
                   const std::vector<std::string>& mayChange = {},
                   const Fingerprint& absentMeans = {});
  const std::vector<std::string>& changes() const { return changes_; }

  // Copies "param_<name>" into every parameter of the module (same shapes required).
  void readParameters(torch::jit::Module& module);
  void readOptimizer(torch::optim::Optimizer& optimizer);
  int64_t readInt(const std::string& key);
  double readDouble(const std::string& key);
  torch::Tensor readTensor(const std::string& key);
  std::vector<std::vector<double>> readRows(const std::string& key, int columns);

 private:
  c10::IValue readValue(const std::string& key, const std::string& expected);

  std::string path_;
  std::vector<std::string> changes_;
  torch::Device device_;
  torch::serialize::InputArchive archive_;
};

}  // namespace wae::training

#include "tools/training/training_util.h"

#include <torch/torch.h>

#include <cmath>
#include <fstream>

#include "common/atomic_file.h"

namespace wae::training {

uint64_t splitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void seedStream(uint64_t seed, uint64_t stream) {
  // torch::manual_seed takes a uint64 but some generators keep 63 bits: shift it in.
  torch::manual_seed(splitMix64(splitMix64(seed) ^ stream) >> 1);
}

torch::Device resolveDevice(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw std::invalid_argument("--device " + name +
                                  ": CUDA is not available (this LibTorch build has no CUDA "
                                  "support, or no GPU is visible); use --device cpu");
    try {
      return torch::Device(name);
    } catch (const c10::Error&) {
      throw std::invalid_argument("--device: expected cpu, cuda or cuda:N, got \"" + name + "\"");
    }
  }
  throw std::invalid_argument("--device: expected cpu, cuda or cuda:N, got \"" + name + "\"");
}

void writeTextAtomically(const std::string& path, const std::string& text) {
  AtomicFile file(path);
  {
    std::ofstream out(file.partialPath(), std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error(path + ": cannot write");
  }
  file.commit();
}

void saveModuleAtomically(const torch::jit::Module& module, const std::string& path,
                          const torch::Device& device) {
  AtomicFile file(path);
  if (device.is_cpu()) {
    module.save(file.partialPath());
  } else {
    torch::jit::Module copy = module.clone();
    copy.to(torch::kCPU);
    copy.save(file.partialPath());
  }
  file.commit();
}

void checkFinite(double value, const std::string& term, int epoch, const std::string& where,
                 int lastGoodEpoch, const std::string& checkpointPath, const std::string& hint) {
  if (std::isfinite(value)) return;
  std::string msg = "epoch " + std::to_string(epoch) + ", " + where + ": the " + term +
                    " term is " + exactString(value) + "; training stopped. ";
  if (lastGoodEpoch > 0)
    msg += "The last good checkpoint (epoch " + std::to_string(lastGoodEpoch) + ") is " +
           checkpointPath + "; " + hint + " and resume with --resume.";
  else
    msg += "No epoch completed, so there is no checkpoint; " + hint + ".";
  throw NonFiniteLoss(msg);
}

std::optional<Progress> epochProgress(bool quiet, int epoch, int epochs, int64_t examples,
                                      const std::string& unit) {
  constexpr double kIntervalS = 60.0;
  if (quiet) return std::nullopt;
  return std::optional<Progress>(std::in_place,
                                 "epoch " + std::to_string(epoch) + "/" + std::to_string(epochs),
                                 examples, unit, kIntervalS);
}

std::vector<torch::Tensor> trainableParameters(const torch::jit::Module& module) {
  std::vector<torch::Tensor> out;
  for (const auto& p : module.parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

}  // namespace wae::training

// Small pieces shared by the project's trainers (tools/vae, tools/mcnn, tools/hpn): reproducible
// random streams, the --device option, atomic writes of text and of TorchScript modules, and
// the NaN guard. LibTorch: include only from tools code.
//
// Threads: seedStream touches torch's global generator (call it from the training thread);
// the rest is stateless.
#pragma once

#include <torch/script.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "tools/training/non_finite_loss.h"
#include "tools/training/run.h"  // exactString, fixedString

namespace wae::training {

// SplitMix64's output function: decorrelates nearby seeds and stream numbers.
uint64_t splitMix64(uint64_t x);

// A TorchScript module's trainable parameters (not its buffers, nor parameters frozen by
// requires_grad false), for its optimizer, in registration order: a stable order, which the
// optimizer's checkpointed state relies on.
std::vector<torch::Tensor> trainableParameters(const torch::jit::Module& module);

// Seeds torch's global generators (CPU and, if present, CUDA) for one random stream of a
// run: stream 0 for the initialisation, the epoch number for an epoch, others as the
// trainer likes. A resumed run reseeds each epoch, so it draws what an uninterrupted run
// would have drawn.
void seedStream(uint64_t seed, uint64_t stream);

// "cpu", "cuda" or "cuda:N". Throws std::invalid_argument for another name, or for cuda when
// this LibTorch has no CUDA or sees no GPU (the message says to use --device cpu).
torch::Device resolveDevice(const std::string& name);

// Writes `text` to `path` through wae::AtomicFile. Throws std::runtime_error on failure.
void writeTextAtomically(const std::string& path, const std::string& text);

// Saves a module to `path` atomically; a module on a GPU is saved from a CPU copy so that
// the file loads anywhere.
void saveModuleAtomically(const torch::jit::Module& module, const std::string& path,
                          const torch::Device& device);

// Throws NonFiniteLoss if `value` is not finite. The message names the epoch, the place
// (`where`, e.g. "step 3 of 40"), the term, the last good checkpoint (if lastGoodEpoch > 0)
// and what to try (`hint`, e.g. "lower --lr").
void checkFinite(double value, const std::string& term, int epoch, const std::string& where,
                 int lastGoodEpoch, const std::string& checkpointPath, const std::string& hint);

// The progress inside one epoch, for epochs that take minutes (a dense corpus on 2 cores):
// "epoch 3/12: 4096/12336 examples (33.2%), 20.1 examples/s, ETA 6:51" on stderr at most
// once a minute; nothing when `quiet`. Advance it by the examples of each step.
std::optional<Progress> epochProgress(bool quiet, int epoch, int epochs, int64_t examples,
                                      const std::string& unit);

}  // namespace wae::training

// Attributes of the TorchScript files we write (model.pt, mcnn.pt, generative.pt): the
// writer registers them with these helpers, the reader checks them. Every read error is a
// wae::FormatError naming the file, the attribute, what was found and what was expected.
// LibTorch: include only from tools code.
//
// Threads: the module must not be modified by another thread during a call.
#pragma once

#include <torch/script.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "common/audio_settings.h"

namespace wae::torchscript {

// Registers (or overwrites, with the same type) a plain attribute.
void setInt(torch::jit::Module& m, const std::string& name, int64_t value);
void setDouble(torch::jit::Module& m, const std::string& name, double value);
void setString(torch::jit::Module& m, const std::string& name, const std::string& value);
void setDoubles(torch::jit::Module& m, const std::string& name, const std::vector<double>& values);

// Typed reads. `file` is only for messages. An int attribute is accepted where a float is
// expected (TorchScript writes 2.0 as a float, but a hand-made module may not).
int64_t getInt(const torch::jit::Module& m, const std::string& name, const std::string& file);
double getDouble(const torch::jit::Module& m, const std::string& name, const std::string& file);
std::string getString(const torch::jit::Module& m, const std::string& name,
                      const std::string& file);
// count < 0: any length.
std::vector<double> getDoubles(const torch::jit::Module& m, const std::string& name,
                               const std::string& file, int count = -1);

// The format name and version: "format" must equal `name`, "format_version" `version`.
void setFormat(torch::jit::Module& m, const std::string& name, int64_t version);
void requireFormat(const torch::jit::Module& m, const std::string& name, int64_t version,
                   const std::string& file);

// Every AudioSettings field as an attribute under its visitFields name (int, float or
// str).
void setAudioSettings(torch::jit::Module& m, const AudioSettings& settings);
// Reads them back and validates them; a missing, mistyped or inconsistent field throws
// FormatError naming the file and the attribute.
AudioSettings audioSettings(const torch::jit::Module& m, const std::string& file);

// The per-band log-mel statistics a model normalises its input with (log_mean, log_std):
// each of `names` must be a tensor of nMels values, else FormatError naming the file and
// the attribute.
void requireMelStatistics(const torch::jit::Module& m, std::initializer_list<const char*> names,
                          int64_t nMels, const std::string& file);

// Checks that a method exists, or throws FormatError naming the file and the method.
void requireMethod(const torch::jit::Module& m, const std::string& name, const std::string& file);

// torch::jit::load that throws FormatError for a missing file or one that is not
// TorchScript, naming the file. Loads onto the CPU.
torch::jit::Module loadModule(const std::string& file);

// Copies the saved module's parameters and buffers into `fresh` (a module this build made
// for the same configuration), by name, each keeping fresh's requires_grad: the file's
// weights with this build's methods. Throws FormatError naming `file` and the tensor if
// fresh lacks it or has it in another shape; `maker` names what made fresh. Tensors fresh
// has and the file lacks keep fresh's values.
void copyTensors(const torch::jit::Module& saved, torch::jit::Module& fresh,
                 const std::string& file, const std::string& maker);

}  // namespace wae::torchscript

// bake_bank's options and their parsing, apart from the tool so that tests can check them.
// No LibTorch.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "bank/bank_data.h"

namespace wae::bankbake {

using AxisRanges = std::array<std::pair<double, double>, bank::kDims>;

// Defaults, chosen from evaluate_bank's measurements (docs/BANK.md, "Fidelity").
inline constexpr char kDefaultModel[] = "models/demo/generative.pt";  // in the workspace
inline constexpr char kDefaultOut[] = "out/bank.h5";                  // in the workspace
// 10x8x6x4 float32 = 1920 points, 240 MiB of 32768-sample waveforms: denser on the first
// axes, which PCA orders by variance. See docs/BANK.md for the measurements behind it.
inline constexpr std::array<int, bank::kDims> kDefaultGrid{10, 8, 6, 4};
inline constexpr char kDefaultGridText[] = "10,8,6,4";
inline constexpr bank::StorageType kDefaultStorage = bank::StorageType::kFloat32;
inline constexpr int kDefaultBatch = 16;

struct Shard {
  int index = 0;  // 0-based
  int count = 1;
  std::string source = "default";  // where index and count came from, for messages
};

struct BakeOptions {
  std::string modelPath;
  std::string outPath;
  std::array<int, bank::kDims> grid = kDefaultGrid;
  std::optional<AxisRanges> ranges;  // default: the model's axis_min/axis_max
  int batch = kDefaultBatch;
  // Model workers: threads, each with its own copy of the model, baking batches side by side
  // (0: one per core); and torch's threads in each (0: the cores shared among the workers).
  // generative.pt's batches use a second intra-op thread poorly, two workers well.
  int workers = 0;
  int threads = 0;
  bank::StorageType storage = kDefaultStorage;
  bool resume = false;
  Shard shard;
  std::string datasetPath;  // optional dataset.h5 whose examples the bank shows as dots
  int pauseMs = 0;          // sleep after each batch (tests of --resume)
  // Bake without pitch (a version 1 bank; 4 without /f0 in int16) even when the model has f0
  // or it could be estimated: for players that predate version 2, and for tests of banks
  // without pitch.
  bool noPitch = false;
  // Bake each point's waveform whole (version 2) even when the model gives its harmonic and
  // noise parts apart (forward_parts): half the memory, but the pitch-aligned blend then
  // reads the noise at the corners' rates too (docs/BANK.md).
  bool whole = false;
  // How the bank's blends set their level (bank/schema.h, attr::kLevelBlend): "db", "linear",
  // or "auto": db for a model with a decoder (GenerativeModel::hasDecode), linear otherwise.
  std::string levelBlend = "auto";
  // The exponent of the bank's blend weights (bank/schema.h, attr::kBlendExponent): a number
  // from 1 to 8, or "auto" (tools/bank/bake.h, blendExponent).
  std::string blendExponent = "auto";
};

// "9" -> 9,9,9,9; "9,9,7,7" -> as given. Each 2..1024. Throws std::invalid_argument.
std::array<int, bank::kDims> parseGrid(const std::string& text);
// "-2:2" -> every axis; "-2:2,-2:2,-1:1,0:3" -> per axis. min < max. Throws
// std::invalid_argument.
AxisRanges parseRanges(const std::string& text);
// "i/n" with 0 <= i < n. Throws std::invalid_argument.
Shard parseShard(const std::string& text);

// The shard to bake: --shard i/n if given; else SLURM job arrays (SLURM_ARRAY_TASK_ID minus
// SLURM_ARRAY_TASK_MIN if set, of SLURM_ARRAY_TASK_COUNT); else Kubernetes Indexed Jobs
// (JOB_COMPLETION_INDEX, of `countFlag` or WAE_SHARD_COUNT: Kubernetes does not export the
// completion count); else 0/1. `getenv` is injectable for tests.
Shard resolveShard(const std::string& shardFlag, int countFlag,
                   const std::function<const char*(const char*)>& getenv);

// A shard's own file: "out/bank.h5", shard 2 of 8 -> "out/bank.shard2of8.h5".
std::string shardPath(const std::string& outPath, const Shard& shard);

}  // namespace wae::bankbake

// bake_bank: evaluates generative.pt over a 4-D latent grid into bank.h5 (docs/BANK.md).
//   bazel run //tools:bake_bank                       the demo model, default grid
//   bazel run //tools:bake_bank -- --model m.pt --grid 9,9,7,7 --out b.h5 --storage float32
//   ... --shard 3/8   (or SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX), then merge_banks
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "bank/schema.h"
#include "common/paths.h"
#include "tools/bank/bake.h"
#include "tools/bank/bake_options.h"

int main(int argc, char** argv) {
  namespace bb = wae::bankbake;
  CLI::App app("Evaluates generative.pt over a 4-D latent grid into an HDF5 waveform bank.");
  bb::BakeOptions o;
  std::string model, out, grid, range, storage = wae::bank::storageName(bb::kDefaultStorage), shard;
  int shardCount = 0;
  app.add_option(
      "--model", model,
      std::string("generative.pt (default: ") + bb::kDefaultModel + " in the workspace)");
  app.add_option("--grid", grid,
                 std::string("points per axis: one number or four, comma separated (default ") +
                     bb::kDefaultGridText + ")");
  app.add_option("--range", range,
                 "axis ranges min:max, one for all axes or four comma separated (default: the "
                 "model's axis_min/axis_max); write --range=-2:2");
  app.add_option("--out", out,
                 std::string("bank to write (default: ") + bb::kDefaultOut + " in the workspace)");
  app.add_option("--batch", o.batch, "grid points per model call")->check(CLI::Range(1, 4096));
  app.add_option("--workers", o.workers,
                 "model workers baking batches side by side, each with its own copy of the "
                 "model (default: one per core)")
      ->check(CLI::Range(0, 256));
  app.add_option("--threads", o.threads,
                 "torch threads per worker (default: the cores divided among the workers)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--storage", storage, "float32 or int16")
      ->check(CLI::IsMember({"float32", "int16"}));
  app.add_flag("--resume", o.resume, "continue the bake in <out>.partial if there is one");
  app.add_option("--shard", shard,
                 "bake slice i of n (0-based) into its own file; default from "
                 "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX");
  app.add_option("--shard-count", shardCount,
                 "shard count with JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs; or set "
                 "WAE_SHARD_COUNT)");
  app.add_option("--dataset", o.datasetPath,
                 "dataset.h5 whose examples the bank carries as 4-D points (needs the model's "
                 "project() method)");
  app.add_flag("--no-pitch", o.noPitch,
               "bake no per-point f0 (a version 1 bank, 4 in int16); by default f0 comes from the "
               "model's f0 method, or is estimated from each baked waveform");
  app.add_flag("--whole", o.whole,
               "bake each point's waveform whole (version 2), not its harmonic and noise parts "
               "apart (version 3, the default for a model with forward_parts): half the memory");
  app.add_option("--level-blend", o.levelBlend,
                 "how a blend of grid points sets its level: db (the corners' levels "
                 "interpolated in dB), linear (their weighted sum as it is), or auto: db for a "
                 "model with a decoder (make_generative's), linear otherwise")
      ->check(CLI::IsMember({"auto", "db", "linear"}))
      ->capture_default_str();
  app.add_option("--blend-exponent", o.blendExponent,
                 "how a blend weighs its corners' sounds: each axis's position t inside the "
                 "grid cell as t^e / (t^e + (1-t)^e), e from 1 (the grid's weights) to 8; its "
                 "pitch and level keep the grid's weights. auto: 1.5 for a model with a "
                 "decoder (make_generative's), 1 otherwise")
      ->capture_default_str();
  app.add_option("--pause-ms", o.pauseMs, "sleep after each batch (for testing --resume)")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  try {
    o.modelPath = wae::userOrWorkspacePath(model, bb::kDefaultModel);
    if (model.empty() && !std::filesystem::exists(o.modelPath))
      throw std::runtime_error(o.modelPath +
                               ": no such file: the default model is the shipped demo "
                               "generative.pt; make it with the demo pipeline or pass --model "
                               "(a test model: bazel run //tools/generative:write_analytic_model "
                               "-- --out out/analytic.pt --length 32768)");
    o.outPath = wae::userOrWorkspacePath(out, bb::kDefaultOut);
    if (!o.datasetPath.empty()) o.datasetPath = wae::userOrWorkspacePath(o.datasetPath, "");
    if (!grid.empty()) o.grid = bb::parseGrid(grid);
    if (!range.empty()) o.ranges = bb::parseRanges(range);
    o.storage = *wae::bank::parseStorage(storage);
    o.shard = bb::resolveShard(shard, shardCount, [](const char* n) { return std::getenv(n); });
    bb::bake(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bake_bank: %s\n", e.what());
    return 1;
  }
  return 0;
}

// merge_banks: joins the shard files of one bake (bake_bank --shard i/n) into one bank,
// identical to a single bake but for its creation time (docs/BANK.md), per-point f0 and
// f0_source included when the bake carries pitch.
//   bazel run //tools:merge_banks -- --out out/bank.h5 out/bank.shard*of8.h5
#include <CLI/CLI.hpp>
#include <cstdio>

#include "bank/bank_writer.h"
#include "common/atomic_file.h"
#include "common/paths.h"
#include "tools/bank/bake_file.h"

int main(int argc, char** argv) {
  CLI::App app("Joins the shards of one bake_bank run into one bank.");
  std::string out;
  std::vector<std::string> shards;
  app.add_option("--out", out, "bank to write")->required();
  app.add_option("shards", shards, "shard files (bake_bank --shard i/n), in any order")->required();
  CLI11_PARSE(app, argc, argv);
  try {
    out = wae::resolveUserPath(out);
    for (auto& s : shards) s = wae::resolveUserPath(s);
    wae::AtomicFile file(out);
    wae::bank::finishBank(shards, out, file.partialPath(), wae::bank::utcNow());
    std::fprintf(stderr, "merge_banks: wrote %s from %zu shards\n", out.c_str(), shards.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merge_banks: %s\n", e.what());
    return 1;
  }
  return 0;
}

// evaluate_bank: bank fidelity against generative.pt (docs/BANK.md, "Fidelity").
//   bazel run //tools:evaluate_bank -- --model m.pt --grid 4 --grid 8 --grid 12
//   bazel run //tools:evaluate_bank -- --model m.pt --bank out/bank.h5
// Writes a CSV and a PNG (gnuplot) of LSD against grid size and bank size.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "bank/schema.h"
#include "common/keep_freed_memory.h"
#include "common/paths.h"
#include "tools/bank/bake.h"
#include "tools/bank/bake_options.h"
#include "tools/bank/evaluate.h"
#include "tools/generative/generative_model.h"

int main(int argc, char** argv) {
  namespace bb = wae::bankbake;
  CLI::App app("Measures how faithfully banks of several grid sizes reproduce generative.pt.");
  std::string model, csv, png, bankPath;
  std::vector<std::string> grids;
  std::vector<std::string> storages = {"float32", "int16"};
  bb::EvaluateOptions o;
  int threads = 0;
  app.add_option(
      "--model", model,
      std::string("generative.pt (default: ") + bb::kDefaultModel + " in the workspace)");
  app.add_option("--grid", grids, "grid to evaluate (repeatable): one number or four")
      ->allow_extra_args(false);
  app.add_option("--storage", storages, "storage types of the grids (float32, int16)")
      ->check(CLI::IsMember({"float32", "int16"}));
  app.add_option("--bank", bankPath, "also evaluate this baked bank (of the same model)");
  app.add_option("--trials", o.trials, "random off-grid points")->check(CLI::Range(1, 100000));
  app.add_option("--seed", o.seed, "seed of the random points");
  app.add_option("--batch", o.batch, "points per model call")->check(CLI::Range(1, 4096));
  app.add_option("--threads", threads, "torch threads (default: all cores)");
  app.add_flag("--whole", o.whole,
               "grids of a model with forward_parts: whole waveforms (bake_bank --whole), not the "
               "harmonic and noise parts apart");
  app.add_option("--level-blend", o.levelBlend,
                 "grids from the model: how a blend sets its level, as bake_bank --level-blend")
      ->check(CLI::IsMember({"auto", "db", "linear"}))
      ->capture_default_str();
  app.add_option("--blend-exponent", o.blendExponent,
                 "grids from the model: the exponent of a blend's weights, as bake_bank "
                 "--blend-exponent")
      ->capture_default_str();
  app.add_option("--corners", o.corners,
                 "which corners a blend reads: cell (the grid cell's 16, as the external plays) "
                 "or simplex (the at most 5 of Kuhn's simplex around the point)")
      ->check(CLI::IsMember({"cell", "simplex"}))
      ->capture_default_str();
  app.add_option("--csv", csv, "CSV to write (default: out/fidelity.csv in the workspace)");
  app.add_option("--png", png, "plot to write (default: out/fidelity.png in the workspace)");
  CLI11_PARSE(app, argc, argv);
  try {
    if (grids.empty() && bankPath.empty())
      grids = {"3", "4", "6", "8", "10", "12", bb::kDefaultGridText};
    wae::keepFreedMemory();
    wae::setUpModelThread(threads);
    const auto m = wae::GenerativeModel::load(wae::userOrWorkspacePath(model, bb::kDefaultModel));
    bb::blendExponent(m.hasDecode(), o.blendExponent);  // refused before any work
    csv = wae::userOrWorkspacePath(csv, "out/fidelity.csv");
    png = wae::userOrWorkspacePath(png, "out/fidelity.png");
    const bb::Trials trials = bb::makeTrials(m, o);
    const bb::QuantisationError q = bb::int16Alone(m, trials);
    std::fprintf(stderr,
                 "evaluate_bank: int16 storage alone, on the %d trial waveforms: LSD %.3f dB, "
                 "SC %.6f, SNR %.1f dB\n",
                 o.trials, q.lsdDb, q.sc, q.snrDb);
    std::vector<bb::FidelityRow> rows;
    auto report = [&](const bb::FidelityRow& r) {
      std::fprintf(
          stderr,
          "evaluate_bank: %s %dx%dx%dx%d %s%s (%.1f MiB; level %s, blend exponent %g%s): LSD "
          "%.3f dB (p95 %.3f), SC %.4f, mel LSD %.3f dB; nearest: LSD %.3f dB (p95 %.3f), SC "
          "%.4f, mel LSD %.3f dB  [%d points, %.1f s]\n",
          r.source.c_str(), r.grid[0], r.grid[1], r.grid[2], r.grid[3],
          wae::bank::storageName(r.storage), r.noisePart ? " with noise parts" : "", r.bankMiB,
          r.levelInDb ? "in dB" : "linear", r.blendExponent, r.simplex ? ", simplex corners" : "",
          r.lsdInterpDb, r.lsdInterpP95Db,
          r.scInterp, r.melLsdInterpDb, r.lsdNearestDb, r.lsdNearestP95Db, r.scNearest,
          r.melLsdNearestDb, r.trials, r.seconds);
      if (r.pitched)
        std::fprintf(stderr,
                     "evaluate_bank:   pitch-aligned blend (the default with pitch%s): LSD %.3f "
                     "dB (p95 %.3f), SC %.4f, mel LSD %.3f dB; over the frames the voice sounds: "
                     "LSD %.3f dB\n",
                     r.noisePart ? "; harmonic parts aligned, noise parts plain" : "",
                     r.lsdAlignedDb, r.lsdAlignedP95Db, r.scAligned, r.melLsdAlignedDb,
                     r.lsdAlignedSoundingDb);
      rows.push_back(r);
    };
    for (const auto& g : grids)
      for (const auto& s : storages)
        report(bb::evaluateGrid(m, bb::parseGrid(g), *wae::bank::parseStorage(s), trials, o));
    if (!bankPath.empty()) {
      bb::FidelityRow r =
          bb::evaluateBankFile(m, wae::userOrWorkspacePath(bankPath, ""), trials, o);
      r.source = bankPath;  // as typed, for a CSV that reads the same on any machine
      report(r);
    }
    bb::writeCsv(csv, rows);
    bb::writePlot(png, rows);
    std::fprintf(stderr, "evaluate_bank: wrote %s and %s\n", csv.c_str(), png.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evaluate_bank: %s\n", e.what());
    return 1;
  }
  return 0;
}

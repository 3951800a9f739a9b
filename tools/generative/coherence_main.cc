// bazel run //tools:coherence -- --model out/generative.pt --csv out/coherence.csv
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/errors.h"
#include "common/paths.h"
#include "tools/generative/coherence.h"

int main(int argc, char** argv) {
  wae::generative::CoherenceOptions o;
  std::string model, csv;
  CLI::App app{
      "How close the waveforms of two nearby latent points of generative.pt are, sample by "
      "sample (SNR) and in magnitude (LSD): random points, each moved a small step along "
      "each axis (docs/INVERSION.md, \"Phase coherence\")"};
  app.add_option("--model", model,
                 "generative.pt (default: models/demo/generative.pt in the workspace)");
  app.add_option("--points", o.points, "random base points")->capture_default_str();
  app.add_option("--steps", o.steps, "steps, fractions of each axis's range in (0, 0.2]")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the random points")->capture_default_str();
  app.add_option("--batch", o.batch, "points per model call")->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--csv", csv, "CSV to write (one row per axis and step)");
  CLI11_PARSE(app, argc, argv);
  try {
    o.modelPath = wae::userOrWorkspacePath(model, "models/demo/generative.pt");
    if (!csv.empty()) o.csvPath = wae::userOrWorkspacePath(csv, "");
    const auto result = wae::generative::measureCoherence(o, std::cerr);
    std::cout << wae::generative::formatCoherence(result, o.modelPath);
  } catch (const std::exception& e) {
    std::cerr << "coherence: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// bazel run //tools:evaluate_vae -- --model out/model.pt --dataset out/dataset.h5
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
#include "tools/vae/evaluator.h"

int main(int argc, char** argv) {
  wae::vae::EvaluateOptions o;
  CLI::App app{
      "Evaluates model.pt on splits of dataset.h5 (by default the three test sets side by "
      "side): mel L1 and LSD per family, "
      "latent PCA and reconstruction PNGs (docs/VAE.md)"};
  app.add_option("--model", o.modelPath, "model.pt")->capture_default_str();
  app.add_option("--dataset", o.datasetPath, "dataset.h5")->capture_default_str();
  app.add_option("--out-dir", o.outDir,
                 "where metrics.csv and the PNGs go (default: <model stem>.eval beside it)");
  app.add_option(
         "--split", o.split,
         "comma list of train, valid, test, test_pitch, test_instrument: reported side by side")
      ->capture_default_str();
  app.add_option("--pitch", o.pitch,
                 "a model with a pitch axis decodes at the label's pitch (label) or the "
                 "encoder's estimate (encoder)")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per forward")->capture_default_str();
  app.add_option("--figure-examples", o.figureExamples, "rows of reconstructions.png")
      ->capture_default_str();
  bool noPlots = false;
  app.add_flag("--no-plots", noPlots, "skip the PNGs");
  CLI11_PARSE(app, argc, argv);
  o.plots = !noPlots;
  try {
    o.modelPath = wae::resolveUserPath(o.modelPath);
    o.datasetPath = wae::resolveUserPath(o.datasetPath);
    if (!o.outDir.empty()) o.outDir = wae::resolveUserPath(o.outDir);
    const auto r = wae::vae::evaluateVae(o, std::cerr);
    std::cout << "evaluate_vae: " << o.modelPath << " on " << o.split << " of " << o.datasetPath
              << "\n"
              << wae::vae::formatTable(r) << "metrics: " << r.csvPath << "\n";
    if (!r.latentPngPath.empty()) std::cout << "latent PCA: " << r.latentPngPath << "\n";
    if (!r.reconstructionPngPath.empty())
      std::cout << "reconstructions: " << r.reconstructionPngPath << "\n";
  } catch (const std::exception& e) {
    std::cerr << "evaluate_vae: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

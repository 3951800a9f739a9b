// bazel run //tools:evaluate_generative -- --model out/generative.pt --vae out/model.pt
//     --dataset out/dataset.h5 --out-dir out/generative.eval
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
#include "tools/generative/evaluate_generative.h"

int main(int argc, char** argv) {
  wae::generative::EvaluateGenerativeOptions o;
  const wae::generative::EvaluateGenerativeOptions defaults;
  std::string model, outDir;
  CLI::App app{
      "Measures generative.pt end to end on splits of dataset.h5 (by default the three test "
      "sets side by side): each example rendered "
      "from its 4-axis position (forward(project(mel))) and, with --vae, from its full "
      "latent (forward_full), against the original audio: LSD, SC, mel L1 and mel LSD per "
      "family; CSVs and WAVs (docs/INVERSION.md)"};
  app.add_option(
      "--model", model,
      "generative.pt with project() (default: " + defaults.modelPath + " in the workspace)");
  app.add_option("--vae", o.vaePath,
                 "the model.pt make_generative used: adds the full-latent path (forward_full)");
  app.add_option("--dataset", o.datasetPath, "dataset.h5 (with /audio)")->capture_default_str();
  app.add_option(
         "--split", o.split,
         "comma list of train, valid, test, test_pitch, test_instrument: reported side by side")
      ->capture_default_str();
  app.add_option(
         "--examples", o.examples,
         "N examples of each split, spread evenly over it so that every family is in (0: all)")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per generative.pt call")->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--out-dir", outDir,
                 "where metrics.csv, examples.csv and wav/ go (default: " + defaults.outDir +
                     " in the workspace)");
  app.add_option("--pitch", o.pitch,
                 "a model with a pitch axis renders each note at its label's pitch (label: as a "
                 "player gives the bank's pitch axis), at its recording's own (recording: "
                 "estimated; the label's where unpitched or over a semitone off) or at the "
                 "encoder's (encoder)")
      ->check(CLI::IsMember({"label", "recording", "encoder"}))
      ->capture_default_str();
  app.add_option("--wav-examples", o.wavExamples,
                 "notes written as WAVs (original, reduced, full): the first of as many "
                 "families")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    o.modelPath = wae::userOrWorkspacePath(model, defaults.modelPath);
    o.outDir = wae::userOrWorkspacePath(outDir, defaults.outDir);
    if (!o.vaePath.empty()) o.vaePath = wae::resolveUserPath(o.vaePath);
    o.datasetPath = wae::resolveUserPath(o.datasetPath);
    const auto r = wae::generative::evaluateGenerative(o, std::cerr);
    std::cout << "evaluate_generative: " << o.modelPath << " on " << o.split << " of "
              << o.datasetPath << "\n"
              << wae::generative::formatTable(r) << "CSV " << r.csvPath << ", per example "
              << r.examplesCsvPath;
    if (!r.wavDir.empty()) std::cout << ", WAVs in " << r.wavDir;
    std::cout << "\n";
  } catch (const std::exception& e) {
    std::cerr << "evaluate_generative: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

// bazel run //tools:make_dataset -- --in <folder of sounds> --out dataset.h5
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
#include "tools/dataset/make_dataset.h"

int main(int argc, char** argv) {
  wae::dataset::MakeDatasetOptions options;
  std::string splitMode = wae::dataset::toString(options.split.mode);
  options.inputDir = "out/corpus";
  options.outputPath = "out/dataset.h5";
  CLI::App app{
      "A folder of sounds -> dataset.h5: an NSynth-style folder (examples.json + audio/*.wav) "
      "or, without examples.json, any folder tree of audio files (docs/FORMATS.md)"};
  app.add_option("--in", options.inputDir, "input folder")->capture_default_str();
  app.add_option("--out", options.outputPath, "output dataset.h5")->capture_default_str();
  app.add_option("--seed", options.split.seed, "split seed")->capture_default_str();
  app.add_option("--valid-fraction", options.split.validFraction)->capture_default_str();
  app.add_option("--test-fraction", options.split.testFraction)->capture_default_str();
  app.add_option("--split-mode", splitMode,
                 "honest (test, test_pitch and test_instrument), stratified-by-family or "
                 "hold-out-instruments")->capture_default_str();
  app.add_option("--holdout-pitch-every", options.split.holdoutPitchEvery,
                 "honest: pitches p with p % k == offset go to test_pitch; 0: none")
      ->capture_default_str();
  app.add_option("--holdout-pitch-offset", options.split.holdoutPitchOffset,
                 "honest: the offset r of the held-out pitches (0..k-1)")->capture_default_str();
  app.add_option("--holdout-instruments-per-family", options.split.holdoutInstrumentsPerFamily,
                 "honest: instruments per family (of at least n + 2) held out in "
                 "test_instrument")->capture_default_str();
  app.add_option("--silence-db", options.silenceDbfs,
                 "skip examples whose RMS is below this (dBFS)")->capture_default_str();
  app.add_option("--min-pitch-confidence", options.minPitchConfidence,
                 "plain folders: notes whose f0 estimate is less confident are unpitched")
      ->capture_default_str();
  app.add_option("--batch", options.batchSize, "examples per mel batch")->capture_default_str();
  app.add_option("--source", options.source, "description recorded in the file");
  CLI11_PARSE(app, argc, argv);
  try {
    options.split.mode = wae::dataset::parseSplitMode(splitMode);
    options.inputDir = wae::resolveUserPath(options.inputDir);
    options.outputPath = wae::resolveUserPath(options.outputPath);
    wae::dataset::validateOptions(options);  // before any file is read
    const auto report = wae::dataset::makeDataset(options, std::cerr);
    std::cout << "make_dataset: wrote " << options.outputPath << "\n"
              << wae::dataset::formatReport(report);
  } catch (const std::exception& e) {
    std::cerr << "make_dataset: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

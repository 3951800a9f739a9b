// bazel run //tools:evaluate_inversion -- --dataset out/dataset.h5 --mcnn out/mcnn/mcnn.pt
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
#include "tools/inversion/evaluate.h"

int main(int argc, char** argv) {
  wae::inversion::EvaluateOptions o;
  std::string mcnn = "out/mcnn/mcnn.pt";
  std::string hpn = "none";
  std::vector<int> griffinLim{32, 100};
  CLI::App app{
      "Compares spectrogram inverters (harmonic-plus-noise, MCNN, fast Griffin-Lim) on a split of "
      "dataset.h5: SC, LSD and real-time factor, CSV, PNG and WAVs "
      "(docs/INVERSION.md)"};
  app.add_option("--dataset", o.datasetPath, "dataset.h5 (with /audio)")->capture_default_str();
  app.add_option("--split", o.split, "train, valid, test, test_pitch or test_instrument")->capture_default_str();
  app.add_option("--mcnn", mcnn, "mcnn.pt to evaluate (\"none\": Griffin-Lim only)")
      ->capture_default_str();
  app.add_option("--hpn", hpn, "hpn.pt to evaluate (\"none\": no harmonic-plus-noise row)")
      ->capture_default_str();
  app.add_option("--griffin-lim", griffinLim, "fast Griffin-Lim iteration counts to evaluate")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--out-dir", o.outDir, "where inversion.csv, spectrograms.png and wav/ go")
      ->capture_default_str();
  app.add_option("--examples", o.examples, "N examples spread evenly over the split, so that every family is in (0: all)")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per inverter call")->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--figure-examples", o.figureExamples, "examples in the PNG and as WAVs")
      ->capture_default_str();
  bool noPlots = false;
  app.add_flag("--no-plots", noPlots, "skip the PNG");
  CLI11_PARSE(app, argc, argv);
  o.plots = !noPlots;
  try {
    o.datasetPath = wae::resolveUserPath(o.datasetPath);
    o.outDir = wae::resolveUserPath(o.outDir);
    o.inverters.clear();
    if (hpn != "none") o.inverters.push_back(wae::resolveUserPath(hpn));
    if (mcnn != "none") o.inverters.push_back(wae::resolveUserPath(mcnn));
    for (int n : griffinLim) o.inverters.push_back("griffin-lim:" + std::to_string(n));
    const auto r = wae::inversion::evaluateInversion(o, std::cerr);
    std::cout << wae::inversion::formatTable(r) << "CSV " << r.csvPath;
    if (o.plots && o.figureExamples > 0) std::cout << ", PNG " << r.pngPath;
    if (o.figureExamples > 0) std::cout << ", WAVs in " << r.wavDir;
    std::cout << "\n";
  } catch (const std::exception& e) {
    std::cerr << "evaluate_inversion: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

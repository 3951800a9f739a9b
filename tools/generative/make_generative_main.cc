// bazel run //tools:make_generative -- --model out/model.pt --inversion out/hpn/hpn.pt
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
#include "tools/generative/make_generative.h"

int main(int argc, char** argv) {
  wae::generative::MakeGenerativeOptions o;
  CLI::App app{
      "Turns model.pt (VAE) and an inverter into generative.pt: a 4-D PCA latent "
      "point -> waveform (docs/INVERSION.md, docs/FORMATS.md)"};
  app.add_option("--model", o.modelPath, "model.pt (train_vae)")->capture_default_str();
  app.add_option("--dataset", o.datasetPath, "dataset.h5 whose train split sets the PCA")
      ->capture_default_str();
  app.add_option("--inversion", o.inversion,
                 "an hpn.pt (train_hpn: the harmonic-plus-noise inverter), an mcnn.pt "
                 "(train_mcnn), or griffin-lim:N (fast Griffin-Lim, N iterations)")
      ->capture_default_str();
  app.add_option("--out", o.outPath, "generative.pt to write")->capture_default_str();
  app.add_option("--range-sigmas", o.rangeSigmas,
                 "each axis spans +- this many standard deviations of the projections (a pitch "
                 "axis: the train notes' pitches)")
      ->capture_default_str();
  app.add_option("--residual-bandwidth", o.residualBandwidth,
                 "the other latent directions given the 4 axes, by kernel regression over the "
                 "train codes with this bandwidth (in axis stds); 0: at their mean")
      ->capture_default_str();
  app.add_option("--peak-limit", o.peakLimit,
                 "forward() scales a waveform whose peak exceeds this down to it (1: full "
                 "scale; 0: off)")
      ->capture_default_str();
  app.add_option("--onset-fade-ms", o.onsetFadeMs,
                 "fade every note in over this long (a half cosine from 0), so that no voice "
                 "starts with a step; 0: off")
      ->capture_default_str();
  app.add_option("--inverter-pitch", o.inverterPitch,
                 "the pitch an hpn.pt synthesises each note at: axis (the VAE's pitch axis), mel "
                 "(the pitch it finds in the decoded mel), auto (axis when the VAE has one)")
      ->check(CLI::IsMember({"auto", "axis", "mel"}))
      ->capture_default_str();
  app.add_option("--inverter-level", o.inverterLevel,
                 "the level the inverter is given each decoded mel at: mel (as decoded), axis "
                 "(scaled so that its loudness is the VAE's loudness axis's)")
      ->check(CLI::IsMember({"axis", "mel"}))
      ->capture_default_str();
  app.add_option("--level-limit-db", o.levelLimitDb,
                 "with the level from the axis: a mel is scaled by at most this many dB either "
                 "way")
      ->capture_default_str();
  app.add_option("--level-tolerance-db", o.levelToleranceDb,
                 "with the level from the axis: a mel within this many dB of the axis's level "
                 "is left as decoded, one further off brought to this distance")
      ->capture_default_str();
  app.add_option("--loudness-floor-quantile", o.loudnessFloorQuantile,
                 "a loudness axis spans the train notes' levels from this quantile (0: the "
                 "quietest note) to the loudest")
      ->capture_default_str();
  app.add_option("--level-check-notes", o.levelCheckNotes,
                 "train notes whose decoded loudness the log compares with the axis's")
      ->capture_default_str();
  app.add_option("--level-notes", o.levelNotes,
                 "make-up gain: the median level difference between this many train notes and "
                 "what forward() plays at their points (0: off)")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per encode call")->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    o.modelPath = wae::resolveUserPath(o.modelPath);
    o.datasetPath = wae::resolveUserPath(o.datasetPath);
    if (o.inversion.rfind("griffin-lim", 0) != 0) o.inversion = wae::resolveUserPath(o.inversion);
    o.outPath = wae::resolveUserPath(o.outPath);
    const auto r = wae::generative::makeGenerative(o, std::cerr);
    std::cout << "make_generative: wrote " << o.outPath << " (axes";
    for (int i = 0; i < 4; ++i) std::cout << " [" << r.axisMin[i] << ", " << r.axisMax[i] << "]";
    std::cout << ")\n";
  } catch (const std::exception& e) {
    std::cerr << "make_generative: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

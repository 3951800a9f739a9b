// bazel run //tools:train_mcnn -- --dataset out/dataset.h5 --out out/mcnn.pt
#include <CLI/CLI.hpp>

#include "tools/mcnn/spectral_loss_options.h"
#include "tools/mcnn/trainer.h"
#include "tools/training/train_main.h"

int main(int argc, char** argv) {
  wae::mcnn::TrainOptions o;
  o.datasetPath = "out/dataset.h5";
  CLI::App app{
      "Trains the MCNN spectrogram inverter on dataset.h5's (mel, audio) pairs and "
      "writes mcnn.pt (docs/INVERSION.md)"};
  app.add_option("--dataset", o.datasetPath, "dataset.h5 (with /audio)")->capture_default_str();
  app.add_option("--out", o.outPath, "mcnn.pt to write (the best epoch on the valid split)")
      ->capture_default_str();
  app.add_option("--heads", o.model.heads, "parallel heads")->capture_default_str();
  app.add_option("--widths", o.model.widths,
                 "channels of each head's layers, one per factor 2 of the hop, the last 1")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--kernel", o.model.kernelWidth, "taps per transposed convolution (4j+1)")
      ->capture_default_str();
  app.add_option("--log-eps", o.model.logEps, "input compression log(mel + eps)")
      ->capture_default_str();
  app.add_option("--context-frames", o.model.contextFrames,
                 "frames of context (silence beyond the ends) around each crop and example")
      ->capture_default_str();
  wae::mcnn::addSpectralLossOptions(app, o.loss);
  app.add_option("--if-weight", o.loss.instFreqWeight, "instantaneous-frequency loss weight")
      ->capture_default_str();
  app.add_option("--phase-weight", o.loss.phaseWeight, "weighted phase loss weight")
      ->capture_default_str();
  wae::training::addCropTrainOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  return wae::training::trainMain("train_mcnn", o, wae::mcnn::trainMcnn);
}

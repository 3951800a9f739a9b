// bazel run //tools:train_hpn -- --dataset out/dataset.h5 --out out/hpn/hpn.pt
#include <CLI/CLI.hpp>

#include "tools/hpn/trainer.h"
#include "tools/mcnn/spectral_loss_options.h"
#include "tools/training/train_main.h"

int main(int argc, char** argv) {
  wae::hpn::TrainOptions o;
  o.datasetPath = "out/dataset.h5";
  CLI::App app{
      "Trains the harmonic-plus-noise inverter on dataset.h5's (mel, audio, pitch) and writes "
      "hpn.pt (docs/INVERSION.md)"};
  app.add_option("--dataset", o.datasetPath, "dataset.h5 (with /audio)")->capture_default_str();
  app.add_option("--out", o.outPath, "hpn.pt to write (the best epoch on the valid split)")
      ->capture_default_str();
  app.add_option("--hidden", o.model.hidden, "channels of the controls network")
      ->capture_default_str();
  app.add_option("--dilations", o.model.dilations, "one residual layer per dilation")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--pitch-harmonics", o.model.pitchHarmonics,
                 "harmonics of the pitch estimate's template")
      ->capture_default_str();
  app.add_option("--pitch-floor-db", o.model.pitchFloorDb,
                 "the pitch template reads each frame down to this far below its peak")
      ->capture_default_str();
  app.add_option("--pitch-hidden", o.model.pitchHidden,
                 "hidden units of each of the pitch scorer's two layers")
      ->capture_default_str();
  app.add_option("--harmonics", o.model.harmonics, "harmonics synthesised")->capture_default_str();
  app.add_option("--env-bins", o.model.envBins, "points of the envelopes (mel-spaced)")
      ->capture_default_str();
  app.add_option("--context-frames", o.model.contextFrames, "frames of context around each crop")
      ->capture_default_str();
  app.add_option("--tune-cents", o.model.tuneCents,
                 "range of the learned f0 fine tuning, +- cents (0: the template's pitch)")
      ->capture_default_str();
  wae::mcnn::addSpectralLossOptions(app, o.loss);
  app.add_option("--pitch-weight", o.pitchWeight, "pitch cross-entropy weight")
      ->capture_default_str();
  app.add_option("--pitch-sigma", o.pitchSigma, "semitones: width of the soft pitch targets")
      ->capture_default_str();
  app.add_option("--pitch-shift", o.pitchShift,
                 "semitones: train half of the crops on notes moved by a random shift within "
                 "+-this (0: off)")
      ->capture_default_str();
  app.add_option("--init", o.initPath,
                 "start from this hpn.pt (its architecture and weights; the options above that "
                 "set the architecture are then ignored)");
  app.add_flag("--pitch-only", o.pitchOnly,
               "train the pitch estimate alone (template and scorer), the rest as --init has it");
  app.add_option("--decoded-by", o.decodedBy,
                 "a generative.pt: train on the mels its decoder gives at the notes' positions "
                 "(needs --init, --pitch-shift 0; the pitch estimate stays as --init has it)");
  wae::training::addCropTrainOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  return wae::training::trainMain("train_hpn", o, wae::hpn::trainHpn);
}

// bazel run //tools:train_vae -- --dataset out/dataset.h5 --out out/model.pt
#include <CLI/CLI.hpp>

#include "tools/training/train_main.h"
#include "tools/vae/trainer.h"

int main(int argc, char** argv) {
  wae::vae::TrainOptions o;
  o.datasetPath = "out/dataset.h5";
  CLI::App app{"Trains the V(W)AE on dataset.h5's mels and writes model.pt (docs/VAE.md)"};
  app.add_option("--dataset", o.datasetPath, "dataset.h5")->capture_default_str();
  app.add_option("--out", o.outPath, "model.pt to write (the best epoch on the valid split)")
      ->capture_default_str();
  app.add_option("--latent", o.model.latentDim, "latent size D")->capture_default_str();
  app.add_option("--channels", o.model.channels, "width of the first conv level (then 2x, 4x, 8x)")
      ->capture_default_str();
  app.add_option("--log-eps", o.model.logEps, "the model's log(mel + eps)")->capture_default_str();
  app.add_flag("--pitch-axis", o.model.pitchAxis,
               "latent axis 0 is the note's pitch: the label for the decoder, estimated by the "
               "encoder; the regularizer sees the other axes");
  app.add_flag("--loudness-axis", o.model.loudnessAxis,
               "with --pitch-axis: latent axis 1 is the note's loudness, measured from its mel "
               "(its loudest frame's mean power in dB); the regularizer sees axes 2 on");
  app.add_option("--pitch-weight", o.pitchWeight,
                 "with --pitch-axis: weight of the encoder's pitch term (semitones^2 / 2)")
      ->capture_default_str();
  app.add_option("--pitch-shift", o.pitchShift,
                 "semitones: train half of each batch on notes moved by a random shift within "
                 "+-this, their mels recomputed (0: off)")
      ->capture_default_str();
  app.add_option("--gain-shift", o.gainShift,
                 "dB: train half of each batch on notes whose mels are scaled by a random gain "
                 "within +-this (0: off)")
      ->capture_default_str();
  app.add_option("--regularizer", o.regularizer, "kl, mmd-rbf or mmd-imq")->capture_default_str();
  app.add_option("--weight", o.weight,
                 "beta (kl) or lambda (mmd); default 1 for kl, " +
                     std::to_string(static_cast<int>(wae::vae::kDefaultMmdWeight)) + " for mmd");
  app.add_option("--warmup-epochs", o.warmupEpochs, "kl: beta rises linearly over these epochs")
      ->capture_default_str();
  app.add_option("--recon", o.reconLoss, "reconstruction loss on log mels: l1 or l2")
      ->capture_default_str();
  app.add_option("--sc-weight", o.scWeight,
                 "adds the mels' spectral convergence times this x bands x frames to the "
                 "reconstruction term (1: weighed as a mean log distance; 0: off)")
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "total epochs (a resumed run counts the earlier ones)")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per step")->capture_default_str();
  app.add_option("--lr", o.learningRate, "Adam learning rate")->capture_default_str();
  app.add_option("--lr-decay", o.lrDecay,
                 "learning rate factor per epoch: epoch e trains at lr * decay^(e - 1)")
      ->capture_default_str();
  app.add_option("--init", o.initPath,
                 "start from this model.pt's weights (its architecture must be this run's "
                 "options'); epochs count from 1, the optimizer starts afresh");
  app.add_option("--seed", o.seed, "seed of the initialisation, data order and noise")
      ->capture_default_str();
  wae::training::addRunOptions(app, o);
  CLI11_PARSE(app, argc, argv);
  return wae::training::trainMain("train_vae", o, wae::vae::trainVae);
}

// bazel run //tools:train_vae -- --dataset out/dataset.h5 --out out/model.pt
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/paths.h"
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
  app.add_option("--regularizer", o.regularizer, "kl, mmd-rbf or mmd-imq")->capture_default_str();
  app.add_option("--weight", o.weight,
                 "beta (kl) or lambda (mmd); default 1 for kl, " +
                     std::to_string(static_cast<int>(wae::vae::kDefaultMmdWeight)) + " for mmd");
  app.add_option("--warmup-epochs", o.warmupEpochs, "kl: beta rises linearly over these epochs")
      ->capture_default_str();
  app.add_option("--recon", o.reconLoss, "reconstruction loss on log mels: l1 or l2")
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "total epochs (a resumed run counts the earlier ones)")
      ->capture_default_str();
  app.add_option("--batch", o.batchSize, "examples per step")->capture_default_str();
  app.add_option("--lr", o.learningRate, "Adam learning rate")->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the initialisation, data order and noise")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "torch intra-op threads")->capture_default_str();
  app.add_option("--device", o.device, "cpu, cuda or cuda:N")->capture_default_str();
  app.add_option("--checkpoint-dir", o.checkpointDir,
                 "where last.ckpt goes (default: <out stem>.checkpoints beside --out)");
  app.add_flag("--resume", o.resume, "continue from the checkpoint if there is one");
  app.add_option("--metrics", o.metricsPath,
                 "metrics CSV, rewritten every epoch (default: <out stem>.metrics.csv)");
  CLI11_PARSE(app, argc, argv);
  try {
    o.datasetPath = wae::resolveUserPath(o.datasetPath);
    o.outPath = wae::resolveUserPath(o.outPath);
    if (!o.checkpointDir.empty()) o.checkpointDir = wae::resolveUserPath(o.checkpointDir);
    if (!o.metricsPath.empty()) o.metricsPath = wae::resolveUserPath(o.metricsPath);
    const auto result = wae::vae::trainVae(o, std::cerr);
    std::cout << "train_vae: " << result.modelPath << " is epoch " << result.bestEpoch
              << " (valid loss " << result.bestScore << "); metrics in " << result.metricsPath
              << ", checkpoint " << result.checkpointPath << "\n";
  } catch (const std::exception& e) {
    std::cerr << "train_vae: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

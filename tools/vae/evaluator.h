// evaluate_vae's library: a model.pt on one split of a dataset.h5 (the test split by
// default). Mel L1 and LSD (losses.h) per instrument family and overall, as a CSV and a
// table; a PNG of the examples' latent means on their first two principal components,
// coloured by family; a PNG of input mels beside their reconstructions. The PNGs are drawn
// by gnuplot (pngcairo, else png); without gnuplot they are skipped with a warning and the
// plot data stay. No LibTorch in this header.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wae::vae {

struct EvaluateOptions {
  std::string modelPath = "out/model.pt";
  std::string datasetPath = "out/dataset.h5";
  std::string outDir;          // "": defaultEvaluationDir(modelPath)
  std::string split = "test";  // train, valid or test
  int threads = 2;
  int batchSize = 64;
  int figureExamples = 6;  // rows of the reconstruction figure (one per family first)
  bool plots = true;
};

// "out/model.pt" -> "out/model.eval"
std::string defaultEvaluationDir(const std::string& modelPath);

struct FamilyMetrics {
  int family = -1;   // NSynth instrument_family; -1 for the overall row
  std::string name;  // instrument_family_str, or "all"
  int examples = 0;
  double melL1 = 0;  // mean over the family's examples
  double melLsdDb = 0;
};

struct EvaluateResult {
  std::vector<FamilyMetrics> families;  // by family id
  FamilyMetrics overall;
  std::vector<double> explainedVariance;  // of PC1 and PC2, fractions (empty if no PCA)
  // Per latent dimension, over the split: std of the means mu, and mean of the posterior
  // std exp(logvar / 2). A dimension with a tiny mu std and posterior std near 1 is unused
  // (posterior collapse); the prior N(0, I) has 1 for the aggregate.
  std::vector<double> latentMeanStd, latentPosteriorStd;
  std::string csvPath, latentPngPath, reconstructionPngPath;  // "" when not written
  std::vector<std::string> warnings;
};

// Throws wae::FormatError for a bad model or dataset (also when their audio settings
// differ), std::invalid_argument for bad options, std::runtime_error for I/O.
EvaluateResult evaluateVae(const EvaluateOptions& options, std::ostream& log);

// The printed table: one line per family, then "all".
std::string formatTable(const EvaluateResult& result);

}  // namespace wae::vae

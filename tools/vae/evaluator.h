// evaluate_vae's library: a model.pt on splits of a dataset.h5 (by default the three test
// sets: test, test_pitch, test_instrument). Mel L1 and LSD (losses.h) per instrument family
// and overall, per split, as a CSV and a table with the splits side by side; for the first
// split a PNG of the examples' latent means on their first two principal components,
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
  // Comma list of splits, evaluated one after the other and reported side by side; a split
  // the dataset lacks or leaves empty is skipped with a warning (an error if all are).
  std::string split = "test,test_pitch,test_instrument";
  int threads = 2;
  int batchSize = 64;
  int figureExamples = 6;  // rows of the reconstruction figure (one per family first)
  bool plots = true;
  // A model with a pitch axis (vae_schema.h) decodes each example with the pitch coordinate
  // of its label ("label": the pitch a player gives the bank's pitch axis) or of the
  // encoder's estimate ("encoder": the whole model, mel in, mel out).
  std::string pitch = "label";
};

// "out/model.pt" -> "out/model.eval"
std::string defaultEvaluationDir(const std::string& modelPath);

struct FamilyMetrics {
  std::string split;  // the split's label ("test", "test_pitch", ...)
  int family = -1;   // NSynth instrument_family; -1 for the overall row
  std::string name;  // instrument_family_str, or "all"
  int examples = 0;
  double melL1 = 0;  // mean over the family's examples
  double melLsdDb = 0;
};

struct SplitMetrics {
  std::string split;
  std::vector<FamilyMetrics> families;  // by family id
  FamilyMetrics overall;
  // With a pitch axis: the mean absolute error of the encoder's pitch against the labels,
  // in semitones; -1 without.
  double encoderPitchMae = -1;
};

struct EvaluateResult {
  std::vector<SplitMetrics> splits;  // the evaluated splits, in the order asked
  // The first evaluated split's rows (what the PNGs and the latent statistics show).
  std::vector<FamilyMetrics> families;  // by family id
  FamilyMetrics overall;
  std::vector<double> explainedVariance;  // of PC1 and PC2, fractions (empty if no PCA)
  // Per latent dimension, over the first split: std of the means mu, and mean of the posterior
  // std exp(logvar / 2). A dimension with a tiny mu std and posterior std near 1 is unused
  // (posterior collapse); the prior N(0, I) has 1 for the aggregate.
  std::vector<double> latentMeanStd, latentPosteriorStd;
  std::string csvPath, latentPngPath, reconstructionPngPath;  // "" when not written
  std::vector<std::string> warnings;
};

// Throws wae::FormatError for a bad model or dataset (also when their audio settings
// differ), std::invalid_argument for bad options, std::runtime_error for I/O.
EvaluateResult evaluateVae(const EvaluateOptions& options, std::ostream& log);

// The printed table: one line per family, then "all"; the splits side by side (examples,
// mel L1, mel LSD each), then each split's overall LSD as a ratio to the first's.
std::string formatTable(const EvaluateResult& result);

}  // namespace wae::vae

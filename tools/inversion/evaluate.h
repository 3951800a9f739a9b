// evaluate_inversion's library: on a split of dataset.h5 (test by default), from the
// ground-truth mels, every inverter asked for (an mcnn.pt, fast Griffin-Lim at several
// iteration counts) against the dataset's audio: docs/DESIGN.md's SC and LSD
// (tools/audio/metrics.h), and each one's real-time factor on this machine (seconds of
// audio per second of wall time, inversion only, torch intra-op threads stated), in one
// run. Writes a CSV, a PNG of a few spectrograms (gnuplot) and WAVs of those examples.
// No LibTorch in this header.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wae::inversion {

struct EvaluateOptions {
  std::string datasetPath = "out/dataset.h5";
  std::string split = "test";  // train, valid or test
  std::vector<std::string> inverters{"out/mcnn/mcnn.pt", "griffin-lim:32", "griffin-lim:100"};
  std::string outDir = "out/inversion";  // inversion.csv, spectrograms.png, wav/
  int examples = 0;  // N spread evenly over the split (dataset::spreadRows; 0: all)
  int batchSize = 1;  // examples per inverter call (the RT is measured at this batch)
  int threads = 2;
  int figureExamples = 3;  // columns of the PNG and notes written as WAVs (0: none)
  bool plots = true;
};

struct InverterScore {
  std::string spec, description;
  int examples = 0;
  double sc = 0, lsdDb = 0;   // means over the examples
  double seconds = 0;         // wall time of the inversions
  double realTimeFactor = 0;  // audio seconds / wall seconds
};

struct EvaluateResult {
  std::vector<InverterScore> scores;
  std::string csvPath, pngPath, wavDir;
  int threads = 0, batchSize = 0;
};

// Throws wae::FormatError for a bad dataset or mcnn.pt (audio settings differing: both
// values named), std::invalid_argument for bad options, std::runtime_error if gnuplot
// fails.
EvaluateResult evaluateInversion(const EvaluateOptions& options, std::ostream& log);

// The printed table (one row per inverter, with the thread count and batch).
std::string formatTable(const EvaluateResult& result);

}  // namespace wae::inversion

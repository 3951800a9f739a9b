// coherence: how close the waveforms of two nearby latent points are sample by sample, not
// only in magnitude. A bank's blend of neighbouring points adds their waveforms: it is a
// morph only if they are close as waveforms. For random points z (inside the middle 80 % of
// each axis's range) and each axis and step (a fraction of the axis's range), the pair
// forward(z), forward(z + step * range * e_axis) gives
//   SNR (dB) = 10 log10(sum w^2 / sum (w - w')^2)   (sample by sample; high: coherent)
//   LSD (dB) between the two (magnitudes only, docs/DESIGN.md's formula);
// and, for a model with f0 where both points are pitched (f0 f and f'), the pitch-aligned SNR:
// forward(z') against forward(z) read at the rate f' / f as a bank's pitch-aligned voice reads
// a corner (runtime::mixAlignedReference), over the frames that reading lasts. Along a pitch
// axis the plain SNR falls as the partials drift apart; the aligned one says whether a blend
// of neighbours of different f0, each brought to one pitch, adds in phase.
// Two inverters with close LSD and far-apart SNR differ in their phases: fast Griffin-Lim
// starts every point from the same phases and drifts, the harmonic-plus-noise inverter
// starts every harmonic at phase 0 at the note's first sample (docs/INVERSION.md). Pairs
// where either wave is silent (RMS below -90 dBFS) are left out. No LibTorch in this header.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wae::generative {

struct CoherenceOptions {
  std::string modelPath;
  int points = 64;                             // random base points
  std::vector<double> steps{0.01, 0.03, 0.1};  // fractions of each axis's range, in (0, 0.2]
  unsigned seed = 1;
  int batch = 16;       // points per model call
  int threads = 2;      // torch intra-op threads
  std::string csvPath;  // "": no CSV
};

struct CoherenceRow {
  int axis = 0;  // 1..4
  double step = 0;
  int pairs = 0;  // of `points`, those where neither wave is silent
  double snrDbMedian = 0, snrDbMean = 0, lsdDbMean = 0;
  std::vector<double> snrDb;  // per pair, in point order
  int alignedPairs = 0;       // of `pairs`, those where both points are pitched (0: no f0)
  double snrAlignedDbMedian = 0;
  std::vector<double> snrAlignedDb;  // per such pair, in point order
};

struct CoherenceResult {
  std::vector<CoherenceRow> rows;  // axis-major, then the steps in the order given
  std::vector<float> points;       // [points * 4] the base points, row-major
};

// Throws std::invalid_argument for bad options, wae::FormatError for a bad model.
CoherenceResult measureCoherence(const CoherenceOptions& options, std::ostream& log);

// The printed table: one line per axis and step.
std::string formatCoherence(const CoherenceResult& result, const std::string& modelPath);

}  // namespace wae::generative

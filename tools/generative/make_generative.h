// make_generative's library: model.pt (the VAE) + an inverter (mcnn.pt or fast
// Griffin-Lim) + the train split of dataset.h5 -> generative.pt, per the contract of
// generative_schema.h and docs/FORMATS.md:
//   forward(z [B, 4])        = inverter(decode(mean + z @ components + residual(z)))
//                              (residual: latent_pca.h, ResidualRegression; 0 with bandwidth 0),
//                              times level_gain, then scaled down to a peak of peakLimit
//                              where it exceeds it
//   forward_full(z [B, D])   = inverter(decode(z)) times level_gain (with a loudness axis,
//                              decode(z) scaled to the axis's loudness: inverterLevel)
//   project(mel [B, 80, 128]) = (encode(mel).mu - mean) @ components^T
// where mean [D] and components [4, D] (orthonormal rows, by decreasing variance) are the
// PCA of the encoder means of the train split, and each axis ranges over +-rangeSigmas
// standard deviations of the train split's projections, except a pitch axis, which spans
// the train notes' pitches. No LibTorch in this header.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <vector>

namespace wae::generative {

struct MakeGenerativeOptions {
  std::string modelPath = "out/model.pt";
  std::string datasetPath = "out/dataset.h5";
  std::string inversion = "out/hpn/hpn.pt";  // an hpn.pt, an mcnn.pt, or griffin-lim[:N]
  std::string outPath = "out/generative.pt";
  double rangeSigmas = 2.0;
  // The other latent directions given the 4 axes (latent_pca.h, ResidualRegression), in
  // axis stds; 0 puts them at their mean. 0.2 measured best on the valid split's mels
  // (docs/INVERSION.md).
  double residualBandwidth = 0.2;
  // forward() scales any waveform whose peak exceeds this down to it (latent_pca.h); 0: off.
  double peakLimit = 1.0;
  // Every note is faded in over this long (latent_pca.h, onsetFadeSamples), rounded to
  // samples; 0: off. 2 ms keeps an attack's edge (a 500 Hz ramp) and removes the step.
  double onsetFadeMs = 2.0;
  // The make-up gain: the median, over this many train notes spread over the split, of each
  // note's level (RMS, dB) minus the level forward() plays at the note's own point; applied
  // to every waveform (attribute level_gain). 0: off (gain 1), the default: on the demo it
  // matched the notes' level but made every fidelity measure worse (docs/INVERSION.md,
  // make_generative item 6b).
  int levelNotes = 0;
  int batchSize = 64;  // examples per encode call
  int threads = 2;
  // The pitch the inverter synthesises each note at: "axis" the pitch axis's (a VAE with a
  // pitch axis and an hpn.pt; latent_pca.h, pitchFromAxis), "mel" the pitch the inverter
  // finds in the decoded mel, "auto" the axis's when there is one and the inverter takes it.
  std::string inverterPitch = "auto";
  // The level the inverter is given each note's mel at: "mel" as decoded (the default),
  // "axis" the loudness axis's (a VAE with a loudness axis: the decoded mel scaled so that
  // its loudness is within levelToleranceDb of the axis's, by at most levelLimitDb either
  // way; latent_pca.h, levelFromAxis). On the loudness-axis VAE, with no tolerance, it fixed
  // the level of the bank's quietest points but blurred the morph between them (docs/VAE.md,
  // "The level from the axis").
  std::string inverterLevel = "mel";
  // A loudness axis spans the train notes' loudness from this quantile of it (0: the
  // quietest note) to the loudest: the quietest few notes, a soft timbre's softest, would
  // otherwise put the axis's lowest row far below the softest notes of every other timbre
  // (on the demo's corpus the quietest note lies 15.6 dB below the 0.05 quantile, and a
  // bank's lowest row played near silence: docs/VAE.md, "The loudness axis's floor").
  double loudnessFloorQuantile = 0.05;
  double levelLimitDb = 24.0;
  double levelToleranceDb = 0.0;
  int levelCheckNotes = 256;  // train notes whose decoded loudness the log reports
};

struct MakeGenerativeResult {
  int fullDim = 0;
  int trainExamples = 0;
  std::array<double, 4> axisStd{};            // std of the projections on each axis
  std::array<double, 4> explainedVariance{};  // each axis's share of the total variance
  std::array<double, 4> axisMin{}, axisMax{};
  std::string inverterDescription;
  bool pitchFromAxis = false;  // what "auto" chose
  double levelGainDb = 0;      // the make-up gain (0 dB with levelNotes 0)
  int levelNotesUsed = 0;      // the notes it was measured over (both sides above -80 dBFS)
  bool levelFromAxis = false;  // inverterLevel "axis"
  // With a loudness axis: the decoded mel's loudness minus the axis's at the train notes'
  // own points (levelCheckNotes of them, spread over the split), in dB: the 5th, 50th and
  // 95th percentiles, i.e. what the level from the axis corrects.
  std::array<double, 3> decodedLoudnessGapDb{};
};

// Throws wae::FormatError for a bad model.pt, dataset.h5 or mcnn.pt (also when their audio
// settings differ: the message names each field and both values), std::invalid_argument
// for bad options or a latent smaller than 4.
MakeGenerativeResult makeGenerative(const MakeGenerativeOptions& options, std::ostream& log);

}  // namespace wae::generative

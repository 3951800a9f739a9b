// evaluate_generative's library: the whole pipeline, end to end, on splits of dataset.h5
// (by default the three test sets test, test_pitch and test_instrument, reported side by
// side): how close what the sampler plays is to the original notes.
//
// For each example, from its mel:
//   reduced: forward(project(mel)), the 4-axis point of the example (encoder mean, then the
//            PCA) rendered by generative.pt: what a bank point at the example's position plays
//            before grid interpolation;
//   full:    forward_full(mu), mu = encode(mel).mu of the VAE model.pt that make_generative
//            used (only with --vae): the same without the PCA, so the difference between the
//            two rows is what the 4 axes cost.
// Each render is compared with the example's /audio: docs/DESIGN.md's LSD and SC
// (tools/audio/metrics.h), and the mel L1 / LSD of evaluate_vae (tools/vae/losses.h) between
// the example's mel and the mel of the render. Writes per-family and per-example CSVs, and
// WAVs of a few notes (original, reduced, full). No LibTorch in this header.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wae::generative {

struct EvaluateGenerativeOptions {
  std::string modelPath = "models/demo/generative.pt";
  std::string vaePath;  // "": the full path is skipped
  std::string datasetPath = "out/dataset.h5";
  // Comma list of splits, evaluated in turn and reported side by side; a split the dataset
  // lacks or leaves empty is skipped with a line in the log (an error if all are).
  std::string split = "test,test_pitch,test_instrument";
  std::string outDir = "out/generative.eval";  // metrics.csv, examples.csv, wav/
  int examples = 0;        // N examples of each split, spread evenly over it (0: all)
  int batchSize = 8;       // examples per generative.pt call
  int threads = 2;         // torch intra-op threads
  int wavExamples = 3;     // notes written as WAVs: the first of as many different families,
                           // from the first split
  bool keepWaves = false;  // tests: keep every render in the result
  // With a VAE that has a pitch axis (docs/VAE.md): each note is rendered at its label's
  // pitch on that axis ("label": the pitch a player gives the bank's pitch axis), at its
  // recording's own pitch ("recording": the project's estimator, tools/audio/pitch.h, on the
  // note's audio; the label's where the recording is unpitched or further than
  // kRecordingPitchTolerance from it), or at the encoder's estimate ("encoder": what bake_bank
  // places as the note's dot). Models without a pitch axis always go through the encoder.
  std::string pitch = "label";
};

// Means over a family's examples (or all of them, family -1 "all"), for one path.
struct PathFamilyScore {
  std::string split;  // "test", "test_pitch", ...
  std::string path;   // "reduced" or "full"
  int family = -1;
  std::string name;
  int examples = 0;
  double lsdDb = 0, sc = 0, melL1 = 0, melLsdDb = 0;
};

struct ExampleScore {
  std::string split;
  std::string path;  // "reduced" or "full"
  int index = 0;     // in the split
  int fileRow = 0;   // in dataset.h5
  std::string note;
  int family = -1;
  std::string familyName;
  double lsdDb = 0, sc = 0, melL1 = 0, melLsdDb = 0;
};

// "recording": an estimate further than this from the label (semitones) is taken for an octave
// or partial error, and the note rendered at its label's pitch.
inline constexpr double kRecordingPitchTolerance = 1.0;

struct EvaluateGenerativeResult {
  std::vector<std::string> paths;   // "reduced", then "full" with --vae
  std::vector<std::string> splits;  // the evaluated splits, in the order asked
  // Where the pitch axis was set: "label", "recording", or "encoder" (the encoder's estimate,
  // also for a model without a pitch axis).
  std::string pitchFrom = "encoder";
  // "recording": notes rendered at their label's pitch instead (unpitched recordings, or
  // further than kRecordingPitchTolerance from the label), and the notes' mean |recording -
  // label| in cents over the others.
  int pitchFallbacks = 0;
  double recordingOffsetCents = 0;
  // Per split, per path: the families by id, then "all".
  std::vector<PathFamilyScore> rows;
  std::vector<ExampleScore> perExample;          // per split, per path, in split order
  int examples = 0;                              // over all evaluated splits
  std::string csvPath, examplesCsvPath, wavDir;  // wavDir "" when no WAV was written
  std::vector<std::string> wavFiles;
  // With keepWaves: [examples * n_samples] row-major per path (full empty without --vae),
  // the splits one after the other.
  std::vector<float> reducedWaves, fullWaves;
};

// Throws wae::FormatError for bad input, naming the file, the field and both values: a
// generative.pt that breaks the contract or has no project(); a dataset made with other
// audio settings than generative.pt; a --vae model.pt whose latent_dim differs from
// generative.pt's full_dim, whose audio settings differ, or whose encoder means differ from
// those of the VAE inside generative.pt (when it holds one, as make_generative writes it).
// std::invalid_argument for bad options.
EvaluateGenerativeResult evaluateGenerative(const EvaluateGenerativeOptions& options,
                                            std::ostream& log);

// The printed table: per path, one line per family and "all", the splits side by side
// (examples, LSD, SC, mel LSD each); then per split what the PCA costs, and each split's
// overall values as ratios to the first split's.
std::string formatTable(const EvaluateGenerativeResult& result);

}  // namespace wae::generative

// Bank fidelity (docs/DESIGN.md, "Quality measures"): at random off-grid points, the bank's
// quadrilinear interpolation as the Pd external plays it (runtime/grid.h; on a bank with
// pitch both the plain blend and the pitch-aligned one, runtime/align.h; or, asked for, the
// same blends over the simplex's corners) and its nearest grid point alone, against generative.pt evaluated at the same points, as LSD and SC. The
// library behind evaluate_bank.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bank/bank_data.h"
#include "runtime/grid.h"

namespace wae {
class GenerativeModel;
}

namespace wae::bankbake {

struct FidelityRow {
  std::string source;  // "model" (grid evaluated from the model) or the bank file
  std::array<int, bank::kDims> grid{};
  size_t points = 0;
  bank::StorageType storage = bank::StorageType::kFloat32;
  double bankMiB = 0;  // waveforms (points, twice with noise parts) * length * bytes per sample
  // The grid keeps each point's harmonic and noise parts apart (bank format 3; a grid from a
  // model with forward_parts unless EvaluateOptions::whole): its aligned blend reads the
  // harmonic parts aligned and the noise parts plainly, as the engine does.
  bool noisePart = false;
  // How its blends weigh and level their corners (bank::BankInfo::levelInDb, blendExponent).
  bool levelInDb = false;
  double blendExponent = 1;
  bool simplex = false;  // EvaluateOptions::corners
  int trials = 0;
  // The plain quadrilinear blend (what the external plays after `align 0`, or on a bank
  // without pitch).
  double lsdInterpDb = 0, lsdInterpP95Db = 0, scInterp = 0;
  // With per-point pitch (a bank file's /f0; for a grid from the model, f0 as bake_bank would
  // store it: the model's f0 method, else estimated from each grid waveform), the
  // pitch-aligned blend the external plays by default (runtime/align.h, runtime::mixAligned).
  // NaN without pitch.
  bool pitched = false;
  double lsdAlignedDb = std::nan(""), lsdAlignedP95Db = std::nan(""), scAligned = std::nan("");
  // The same over the frames the aligned voice sounds only (it ends when its fastest-read
  // corner reaches its end, up to nearly a quarter of the length before the model's waveform
  // does on the analytic model's default grid):
  // what the blend itself costs, apart from the voice's shorter length.
  double lsdAlignedSoundingDb = std::nan("");
  double lsdNearestDb = 0, lsdNearestP95Db = 0, scNearest = 0;
  // Mel LSD (dB, tools/vae/losses.h, on the dataset's mel frames of each waveform) of the plain
  // blend, the nearest point and the aligned blend (NaN without pitch): the STFT LSD above
  // compares every bin's magnitude, so two noises of one spectrum but different samples lie
  // far apart there although they sound alike; a mel band sums its bins and brings them
  // closer (two white noises: 8.0 against 3.7 dB, evaluate_test).
  double melLsdInterpDb = 0, melLsdNearestDb = 0, melLsdAlignedDb = std::nan("");
  double seconds = 0;
};

struct EvaluateOptions {
  int trials = 64;  // random off-grid points
  uint64_t seed = 1;
  int batch = 16;
  // Grids from a model with forward_parts: evaluate whole waveforms (a bank baked --whole)
  // rather than the two parts apart.
  bool whole = false;
  // Grids from a model: how their blends set their level, as bake_bank --level-blend ("auto",
  // "db" or "linear"). A bank file's own attribute is used for a bank.
  std::string levelBlend = "auto";
  // Grids from a model: the exponent of their blend weights, as bake_bank --blend-exponent
  // ("auto" or a number from 1 to 8). A bank file's own attribute is used for a bank.
  std::string blendExponent = "auto";
  // Which corners a blend reads: "cell", the 16 of the point's grid cell (as the external
  // plays), or "simplex", the at most 5 of Kuhn's simplex around it (runtime::simplexCorners;
  // an evaluation of fewer corners, grids and bank files alike).
  std::string corners = "cell";
};

// Random points, uniform in the model's axis ranges (the same points for every grid of one
// run), and the model's waveforms there.
struct Trials {
  std::vector<std::array<double, bank::kDims>> z;  // axis coordinates (floats, as the model takes)
  std::vector<float> waves;                        // trials x length
};
Trials makeTrials(const GenerativeModel& model, const EvaluateOptions& options);

// The normalised point (-1..1 per axis, what the Pd external is sent) that plays the latent
// point z (axis coordinates) on the grid `info`, clamped onto the grid as the external clamps
// it. Throws std::invalid_argument if z is not finite.
runtime::Point toNormalised(const bank::BankInfo& info, const std::array<double, bank::kDims>& z);

// The grid point nearest to a located point, per axis (half way goes up): what a bank played
// without interpolation would give (runtime::nearestCorner, as the external's nearest mode).
size_t nearestGridPoint(const bank::BankInfo& info, const runtime::GridCell& cell);

// A grid evaluated from the model (nothing written): grid point waveforms are computed on
// demand; for int16, quantized with the scale a bake would use (max |x| over the whole
// grid, which costs a pass over every grid point).
FidelityRow evaluateGrid(const GenerativeModel& model, const std::array<int, bank::kDims>& grid,
                         bank::StorageType storage, const Trials& trials,
                         const EvaluateOptions& options);

// A baked bank file against the model it was baked from (the hashes must agree).
FidelityRow evaluateBankFile(const GenerativeModel& model, const std::string& bankPath,
                             const Trials& trials, const EvaluateOptions& o = {});

// What int16 storage alone does to the trial waveforms (no interpolation): each quantized
// with the scale of their own max |x|, against the original.
struct QuantisationError {
  double lsdDb = 0, sc = 0, snrDb = 0;
};
QuantisationError int16Alone(const GenerativeModel& model, const Trials& trials);

void writeCsv(const std::string& path, const std::vector<FidelityRow>& rows);
// LSD against points per axis and against bank size, with gnuplot.
void writePlot(const std::string& pngPath, const std::vector<FidelityRow>& rows);

}  // namespace wae::bankbake

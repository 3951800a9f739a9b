#include "tools/bank/evaluate.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "bank/bank_reader.h"
#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "common/atomic_file.h"
#include "common/errors.h"
#include "common/progress.h"
#include "common/sha256.h"
#include "runtime/align.h"
#include "runtime/grid.h"
#include "runtime/level.h"
#include "runtime/mix.h"
#include "tools/audio/metrics.h"
#include "tools/audio/pitch.h"
#include "tools/audio/spectrogram.h"
#include "tools/bank/bake.h"
#include "tools/bank/bake_file.h"
#include "tools/bank/report_util.h"
#include "tools/generative/generative_model.h"
#include "tools/vae/losses.h"

namespace wae::bankbake {
namespace {

using Clock = std::chrono::steady_clock;

// Waveforms of grid points by flat index, cached, with their f0 when the grid has pitch, and
// their harmonic and noise parts when it keeps them apart (a bank with a noise part).
class GridWaves {
 public:
  virtual ~GridWaves() = default;
  // Makes every point in `points` available to the accessors.
  virtual void prepare(const std::vector<size_t>& points) = 0;
  virtual bool pitched() const = 0;
  virtual float f0Hz(size_t point) const = 0;  // Hz, 0: unpitched; only when pitched()
  bool noisePart() const { return noisePart_; }
  // The point's sound; with a noise part, its harmonic part and its noise part.
  const float* wave(size_t point) const { return cache_.at(point).whole.data(); }
  const float* harmonic(size_t point) const { return cache_.at(point).harmonic.data(); }
  const float* noise(size_t point) const { return cache_.at(point).noise.data(); }
  // The levels the engine blends by (runtime/level.h): the harmonic part's (the point's,
  // without a noise part) and the noise part's.
  float level(size_t point) const { return cache_.at(point).level; }
  float noiseLevel(size_t point) const { return cache_.at(point).noiseLevel; }

 protected:
  explicit GridWaves(bool noisePart) : noisePart_(noisePart) {}
  bool cached(size_t point) const { return cache_.count(point) > 0; }
  // Stores a point from its parts (noise null without a noise part), as the runtime reads
  // them: with int16, as a bake stores them (the point's own scale over its parts and their
  // sum, the noise part carrying the harmonic part's rounding, bank::quantizeInt16Noise),
  // dequantized part by part, then summed.
  void store(size_t point, const float* harmonic, const float* noise, size_t length, bool int16) {
    Waves& w = cache_[point];
    const float scale = int16 ? bank::int16Scale(bank::pointPeak(harmonic, noise, length)) : 0;
    w.harmonic.assign(harmonic, harmonic + length);
    if (scale > 0)
      for (float& v : w.harmonic) v = float(bank::quantizeInt16(v, scale)) * scale;
    w.whole = w.harmonic;
    if (noise) {
      w.noise.assign(noise, noise + length);
      if (scale > 0)
        for (size_t t = 0; t < length; ++t)
          w.noise[t] = float(bank::quantizeInt16Noise(harmonic[t], noise[t], scale)) * scale;
      for (size_t t = 0; t < length; ++t) w.whole[t] += w.noise[t];
      w.noiseLevel = runtime::waveformLevel(w.noise.data(), int64_t(length));
    }
    w.level = runtime::waveformLevel(w.harmonic.data(), int64_t(length));
  }

 private:
  struct Waves {
    std::vector<float> whole, harmonic, noise;
    float level = 0, noiseLevel = 0;
  };
  bool noisePart_;
  std::unordered_map<size_t, Waves> cache_;
};

// Grid points computed from the model (as two parts when `noisePart`: forward_parts); int16
// values dequantized as the runtime reads them. Their f0 as bake_bank stores it: the model's
// f0 method, else estimated from the float32 waveform.
class ModelGrid : public GridWaves {
 public:
  ModelGrid(const GenerativeModel& model, const bank::BankInfo& info, bool int16, int batch,
            bool noisePart)
      : GridWaves(noisePart), model_(model), info_(info), int16_(int16), batch_(batch) {}
  bool pitched() const override { return true; }
  float f0Hz(size_t point) const override { return f0_.at(point); }

  void prepare(const std::vector<size_t>& points) override {
    std::vector<size_t> todo;
    for (size_t p : points)
      if (!cached(p) && std::find(todo.begin(), todo.end(), p) == todo.end()) todo.push_back(p);
    const size_t length = info_.length;
    std::vector<float> z, out, noise;
    for (size_t at = 0; at < todo.size(); at += batch_) {
      const size_t n = std::min<size_t>(batch_, todo.size() - at);
      z.resize(n * bank::kDims);
      out.resize(n * length);
      for (size_t b = 0; b < n; ++b) {
        const auto g = gridPoint(info_, todo[at + b]);
        std::copy(g.begin(), g.end(), z.begin() + b * bank::kDims);
      }
      std::vector<float> f0;
      if (noisePart()) {
        noise.resize(n * length);
        f0 = model_.forwardParts(z.data(), int(n), out.data(), noise.data());
      } else {
        model_.forwardBatch(z.data(), int(n), out.data());
        if (model_.hasF0()) f0 = model_.f0(z.data(), int(n));
      }
      for (size_t b = 0; b < n; ++b) {
        f0_[todo[at + b]] =
            model_.hasF0()
                ? f0[b]
                : audio::estimatePitch(out.data() + b * length, length, info_.sampleRate).f0Hz;
        store(todo[at + b], out.data() + b * length,
              noisePart() ? noise.data() + b * length : nullptr, length, int16_);
      }
    }
  }

 private:
  const GenerativeModel& model_;
  const bank::BankInfo& info_;
  bool int16_;  // stored as an int16 bake stores them
  int batch_;
  std::unordered_map<size_t, float> f0_;
};

class FileGrid : public GridWaves {
 public:
  explicit FileGrid(const bank::BankData& bank) : GridWaves(bank.info.noisePart), bank_(bank) {}
  bool pitched() const override { return !bank_.f0Hz.empty(); }
  float f0Hz(size_t point) const override { return bank_.f0Hz.at(point); }
  void prepare(const std::vector<size_t>& points) override {
    const size_t length = bank_.info.length, rows = bank_.info.pointCount();
    std::vector<float> h(length), n(length);
    for (size_t p : points) {
      if (cached(p)) continue;
      const float scale = bank_.info.scaleOf(p);
      for (size_t t = 0; t < length; ++t) {
        h[t] = sample(p * length + t, scale);
        if (noisePart()) n[t] = sample((rows + p) * length + t, scale);
      }
      store(p, h.data(), noisePart() ? n.data() : nullptr, length, false);
    }
  }

 private:
  float sample(size_t k, float scale) const {
    return bank_.info.storage == bank::StorageType::kInt16 ? float(bank_.i16[k]) * scale
                                                           : bank_.f32[k];
  }
  const bank::BankData& bank_;
};

// EvaluateOptions::corners: whether a blend reads Kuhn's simplex (true) or the whole cell.
bool cornersAreSimplex(const std::string& corners) {
  if (corners == "cell") return false;
  if (corners == "simplex") return true;
  throw std::invalid_argument("--corners: found '" + corners + "', expected cell or simplex");
}

// Fills the measures of `row` for the grid `info` whose waveforms `waves` gives. Each trial
// point is located as the Pd external locates it (runtime::GridLocator, normalised
// coordinates), so the figures are those of what the external plays.
void measure(const GenerativeModel& model, const bank::BankInfo& info, GridWaves& waves,
             const Trials& trials, FidelityRow& row) {
  const size_t length = info.length;
  const size_t n = trials.z.size();
  const runtime::GridLocator locator(info);
  struct Taps {
    int count = 0;
    std::array<uint32_t, runtime::config::kMaxTaps> index{};
    std::array<float, runtime::config::kMaxTaps> weight{};  // the grid's: pitch and level
    std::array<float, runtime::config::kMaxTaps> mix{};     // the sounds' (a blend exponent's)
  };
  std::vector<size_t> needed;
  std::vector<Taps> around(n);
  std::vector<size_t> nearest(n);
  for (size_t k = 0; k < n; ++k) {
    const runtime::GridCell cell = locator.locate(toNormalised(info, trials.z[k]));
    if (row.simplex) {
      around[k].count =
          runtime::simplexCorners(cell, info.blendExponent, around[k].index.data(),
                                  around[k].weight.data(), around[k].mix.data());
    } else {
      around[k].count =
          runtime::nonZeroCorners(cell, around[k].index.data(), around[k].weight.data());
      runtime::curvedCorners(cell, info.blendExponent, around[k].mix.data());
    }
    nearest[k] = nearestGridPoint(info, cell);
    needed.insert(needed.end(), around[k].index.begin(), around[k].index.begin() + around[k].count);
    needed.push_back(nearest[k]);
  }
  waves.prepare(needed);
  const AudioSettings settings = model.audioSettings();
  const bool pitched = waves.pitched();
  std::vector<double> lsdI, scI, lsdN, scN, lsdA, scA, lsdS, melI, melN, melA;
  const MelSpectrogram melOf(settings);
  auto melLsd = [&](const torch::Tensor& refMel, const torch::Tensor& est) {
    return vae::melLsdDb(refMel.unsqueeze(0), melOf(est).unsqueeze(0))[0].item<double>();
  };
  std::vector<float> mix(length), aligned(length), scratch(2 * length);
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  for (size_t k = 0; k < n; ++k) {
    // The engine's weights: the grid's curved by the bank's blend exponent, times each part's
    // level gain (runtime/level.h).
    const Taps& t = around[k];
    float level[runtime::config::kMaxTaps], noiseLevel[runtime::config::kMaxTaps];
    for (int j = 0; j < t.count; ++j) {
      level[j] = waves.level(t.index[j]);
      noiseLevel[j] = waves.noiseLevel(t.index[j]);
    }
    const bool db = info.levelInDb;
    const float* w = t.weight.data();
    const float harmonicGain = db ? runtime::levelGain(level, w, t.mix.data(), t.count) : 1.0f;
    const float noiseGain =
        db && waves.noisePart() ? runtime::levelGain(noiseLevel, w, t.mix.data(), t.count) : 1.0f;
    float harmonicWeight[runtime::config::kMaxTaps];
    for (int j = 0; j < t.count; ++j) harmonicWeight[j] = t.mix[j] * harmonicGain;
    std::fill(mix.begin(), mix.end(), 0.0f);
    for (int j = 0; j < t.count; ++j) {
      const float* x = waves.harmonic(t.index[j]);
      for (size_t i = 0; i < length; ++i) mix[i] += harmonicWeight[j] * x[i];
      if (!waves.noisePart()) continue;
      const float m = t.mix[j] * noiseGain;
      const float* y = waves.noise(t.index[j]);
      for (size_t i = 0; i < length; ++i) mix[i] += m * y[i];
    }
    const torch::Tensor ref = torch::from_blob(const_cast<float*>(trials.waves.data() + k * length),
                                               {long(length)}, options);
    const torch::Tensor interp = torch::from_blob(mix.data(), {long(length)}, options);
    const torch::Tensor near =
        torch::from_blob(const_cast<float*>(waves.wave(nearest[k])), {long(length)}, options);
    lsdI.push_back(logSpectralDistanceDb(ref, interp, settings));
    scI.push_back(spectralConvergence(ref, interp, settings));
    lsdN.push_back(logSpectralDistanceDb(ref, near, settings));
    scN.push_back(spectralConvergence(ref, near, settings));
    const torch::Tensor refMel = melOf(ref);
    melI.push_back(melLsd(refMel, interp));
    melN.push_back(melLsd(refMel, near));
    if (!pitched) continue;
    // The engine's pitch-aligned voice, untransposed: every tap read at its rate from frame
    // 0, each fading out before its reading ends and the level held by the others until the
    // slowest ends (as the external plays it, but for the end-of-voice taper, which the plain
    // blend above leaves out too).
    // With a noise part, the harmonic parts are read so and the noise parts are blended
    // plainly beside them (the noise part's own taper at its end left out likewise).
    float f0[runtime::config::kMaxTaps], rate[runtime::config::kMaxTaps];
    const float* src[runtime::config::kMaxTaps];
    for (int j = 0; j < t.count; ++j) {
      f0[j] = waves.f0Hz(t.index[j]);
      src[j] = waves.noisePart() ? waves.harmonic(t.index[j]) : waves.wave(t.index[j]);
    }
    double step = 1;
    int frames = int(length);
    if (runtime::alignRates(f0, t.weight.data(), t.count, 1.0, rate, step)) {
      std::fill(aligned.begin(), aligned.end(), 0.0f);
      frames = int(std::min<int64_t>(
          int64_t(length), runtime::alignedFramesLeft(rate, t.count, int64_t(length), 0.0, step)));
      runtime::mixAlignedHeld<float>(&runtime::mixAligned<float>, src, harmonicWeight, rate,
                                     t.count, int64_t(length), 0.0, step,
                                     runtime::config::fadeFramesAt(int(settings.sampleRate)),
                                     scratch.data(), aligned.data(), frames);
      if (waves.noisePart())
        for (int j = 0; j < t.count; ++j) {
          const float m = t.mix[j] * noiseGain;
          const float* x = waves.noise(t.index[j]);
          for (size_t i = 0; i < length; ++i) aligned[i] += m * x[i];
        }
    } else {
      aligned = mix;  // every tap at one rate: the plain blend
    }
    const torch::Tensor al = torch::from_blob(aligned.data(), {long(length)}, options);
    lsdA.push_back(logSpectralDistanceDb(ref, al, settings));
    scA.push_back(spectralConvergence(ref, al, settings));
    melA.push_back(melLsd(refMel, al));
    lsdS.push_back(
        logSpectralDistanceDb(ref.slice(0, 0, frames), al.slice(0, 0, frames), settings));
  }
  row.trials = int(n);
  row.lsdInterpDb = mean(lsdI);
  row.lsdInterpP95Db = percentile(lsdI, 0.95);
  row.scInterp = mean(scI);
  row.lsdNearestDb = mean(lsdN);
  row.lsdNearestP95Db = percentile(lsdN, 0.95);
  row.scNearest = mean(scN);
  row.pitched = pitched;
  row.noisePart = waves.noisePart();
  row.levelInDb = info.levelInDb;
  row.blendExponent = info.blendExponent;
  const double nan = std::nan("");
  row.lsdAlignedDb = pitched ? mean(lsdA) : nan;
  row.lsdAlignedP95Db = pitched ? percentile(lsdA, 0.95) : nan;
  row.scAligned = pitched ? mean(scA) : nan;
  row.lsdAlignedSoundingDb = pitched ? mean(lsdS) : nan;
  row.melLsdInterpDb = mean(melI);
  row.melLsdNearestDb = mean(melN);
  row.melLsdAlignedDb = pitched ? mean(melA) : nan;
}

bank::BankInfo gridInfo(const GenerativeModel& model, const std::array<int, bank::kDims>& grid) {
  bank::BankInfo info;
  info.gridShape = grid;
  const auto ranges = model.axisRanges();
  for (int i = 0; i < bank::kDims; ++i)
    info.axes[i] = bank::gridAxis(ranges[i].first, ranges[i].second, grid[i]);
  info.sampleRate = model.sampleRate();
  info.length = model.length();
  return info;
}

}  // namespace

runtime::Point toNormalised(const bank::BankInfo& info, const std::array<double, bank::kDims>& z) {
  runtime::Point u;
  for (int a = 0; a < bank::kDims; ++a) {
    // runtime::GridLocator's own mapping of grid coordinates, so that a trial on a grid
    // coordinate lands on it exactly.
    const double lo = info.axes[a].front(), span = info.axes[a].back() - lo;
    u[a] = float(2.0 * (z[a] - lo) / span - 1.0);
  }
  if (runtime::clampPoint(u) == runtime::PointCheck::kNotFinite)
    throw std::invalid_argument("evaluate_bank: latent point is not finite");
  return u;
}

size_t nearestGridPoint(const bank::BankInfo& /*info*/, const runtime::GridCell& cell) {
  // The same grid point the external plays in nearest mode.
  return cell.flatIndex[size_t(runtime::nearestCorner(cell))];
}

Trials makeTrials(const GenerativeModel& model, const EvaluateOptions& o) {
  Trials t;
  std::mt19937_64 rng(o.seed);
  const auto ranges = model.axisRanges();
  std::vector<float> z;
  for (int k = 0; k < o.trials; ++k) {
    std::array<double, bank::kDims> p;
    for (int i = 0; i < bank::kDims; ++i) {
      std::uniform_real_distribution<double> u(ranges[i].first, ranges[i].second);
      p[i] = float(u(rng));  // the model takes float coordinates
      z.push_back(float(p[i]));
    }
    t.z.push_back(p);
  }
  t.waves.resize(size_t(o.trials) * model.length());
  for (int at = 0; at < o.trials; at += o.batch) {
    const int n = std::min(o.batch, o.trials - at);
    model.forwardBatch(z.data() + size_t(at) * bank::kDims, n,
                       t.waves.data() + size_t(at) * model.length());
  }
  return t;
}

FidelityRow evaluateGrid(const GenerativeModel& model, const std::array<int, bank::kDims>& grid,
                         bank::StorageType storage, const Trials& trials,
                         const EvaluateOptions& o) {
  const auto start = Clock::now();
  bank::BankInfo info = gridInfo(model, grid);
  info.levelInDb = levelInDb(model, o.levelBlend);
  info.blendExponent = blendExponent(model.hasDecode(), o.blendExponent);
  // Two parts apart, as bake_bank bakes them, unless asked for whole waveforms.
  const bool noisePart = model.hasForwardParts() && !o.whole;
  FidelityRow row;
  row.simplex = cornersAreSimplex(o.corners);
  row.source = "model";
  row.grid = grid;
  row.points = info.pointCount();
  row.storage = storage;
  row.bankMiB = double(row.points) * (noisePart ? 2 : 1) * info.length *
                bank::bytesPerSample(storage) / (1 << 20);
  ModelGrid waves(model, info, storage == bank::StorageType::kInt16, o.batch, noisePart);
  measure(model, info, waves, trials, row);
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return row;
}

FidelityRow evaluateBankFile(const GenerativeModel& model, const std::string& bankPath,
                             const Trials& trials, const EvaluateOptions& o) {
  const auto start = Clock::now();
  const bank::BankData bank = bank::readBank(bankPath);
  const std::string sha = sha256FileHex(model.path());
  if (bank.info.modelSha256 != sha)
    throw FormatError(bankPath, "attribute model_sha256", bank.info.modelSha256,
                      sha + ", the hash of " + model.path() + " (baked from another model)");
  if (bank.info.length != model.length() || bank.info.sampleRate != model.sampleRate())
    throw FormatError(bankPath, "attributes length/sample_rate",
                      std::to_string(bank.info.length) + "/" + std::to_string(bank.info.sampleRate),
                      std::to_string(model.length()) + "/" + std::to_string(model.sampleRate()));
  FidelityRow row;
  row.simplex = cornersAreSimplex(o.corners);
  row.source = bankPath;
  row.grid = bank.info.gridShape;
  row.points = bank.info.pointCount();
  row.storage = bank.info.storage;
  row.bankMiB = double(bank.info.rowCount()) * bank.info.length *
                bank::bytesPerSample(row.storage) / (1 << 20);
  FileGrid waves(bank);
  measure(model, bank.info, waves, trials, row);
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return row;
}

QuantisationError int16Alone(const GenerativeModel& model, const Trials& trials) {
  const size_t length = model.length(), n = trials.z.size();
  std::vector<float> q(trials.waves.size());
  double signal = 0, noise = 0;
  for (size_t p = 0; p < n; ++p) {
    // Each wave with its own scale, as a bake stores a point.
    const float* x = trials.waves.data() + p * length;
    float maxAbs = 0;
    for (size_t t = 0; t < length; ++t) maxAbs = std::max(maxAbs, std::fabs(x[t]));
    const float scale = bank::int16Scale(maxAbs);
    for (size_t t = 0; t < length; ++t) {
      const size_t k = p * length + t;
      q[k] = float(bank::quantizeInt16(x[t], scale)) * scale;
      signal += double(x[t]) * x[t];
      noise += double(q[k] - x[t]) * (q[k] - x[t]);
    }
  }
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  const torch::Tensor ref =
      torch::from_blob(const_cast<float*>(trials.waves.data()), {long(n), long(length)}, options);
  const torch::Tensor est = torch::from_blob(q.data(), {long(n), long(length)}, options);
  QuantisationError e;
  const AudioSettings settings = model.audioSettings();
  e.lsdDb = logSpectralDistanceDb(ref, est, settings);
  e.sc = spectralConvergence(ref, est, settings);
  e.snrDb = 10 * std::log10(signal / std::max(noise, 1e-300));
  return e;
}

void writeCsv(const std::string& path, const std::vector<FidelityRow>& rows) {
  AtomicFile file(path);
  {
    std::ofstream os(file.partialPath());
    os << "source,grid,points,storage,bank_mib,trials,lsd_interp_db,lsd_interp_p95_db,"
          "sc_interp,lsd_nearest_db,lsd_nearest_p95_db,sc_nearest,seconds,pitched,"
          "lsd_aligned_db,lsd_aligned_p95_db,sc_aligned,lsd_aligned_sounding_db,"
          "mel_lsd_interp_db,mel_lsd_nearest_db,mel_lsd_aligned_db,noise_part,level_blend,"
          "blend_exponent,corners\n";
    char buf[640];
    for (const auto& r : rows) {
      std::snprintf(buf, sizeof buf,
                    "%s,%dx%dx%dx%d,%zu,%s,%.2f,%d,%.4f,%.4f,%.5f,%.4f,%.4f,%.5f,%.1f,%d,%.4f,%.4f,"
                    "%.5f,%.4f,%.4f,%.4f,%.4f,%d,%s,%g,%s\n",
                    r.source.c_str(), r.grid[0], r.grid[1], r.grid[2], r.grid[3], r.points,
                    bank::storageName(r.storage), r.bankMiB, r.trials, r.lsdInterpDb,
                    r.lsdInterpP95Db, r.scInterp, r.lsdNearestDb, r.lsdNearestP95Db, r.scNearest,
                    r.seconds, r.pitched ? 1 : 0, r.lsdAlignedDb, r.lsdAlignedP95Db, r.scAligned,
                    r.lsdAlignedSoundingDb, r.melLsdInterpDb, r.melLsdNearestDb, r.melLsdAlignedDb,
                    r.noisePart ? 1 : 0,
                    r.levelInDb ? bank::kLevelBlendDb : bank::kLevelBlendLinear, r.blendExponent,
                    r.simplex ? "simplex" : "cell");
      os << buf;
    }
    if (!os) throw std::runtime_error("cannot write " + file.partialPath());
  }
  file.commit();
}

void writePlot(const std::string& pngPath, const std::vector<FidelityRow>& rows) {
  if (rows.empty()) throw std::invalid_argument("writePlot: no measurements to plot");
  plotWithGnuplot(pngPath, [&](const GnuplotFiles& files) {
    const std::string& data = files.data;
    // Blocks: 0/1 uniform grids from the model (float32/int16), by points per axis; 2/3 every
    // grid (any shape, bank files too), by bank size. Empty blocks are left out of the plots.
    std::array<size_t, 4> sizes{};
    {
      std::ofstream os(data);
      int index = 0;
      for (const bool uniformOnly : {true, false}) {
        for (const char* storage : {"float32", "int16"}) {
          std::vector<FidelityRow> sel;
          for (const auto& r : rows) {
            const bool uniform = r.grid[0] == r.grid[1] && r.grid[1] == r.grid[2] &&
                                 r.grid[2] == r.grid[3] && r.source == "model";
            if (bank::storageName(r.storage) == std::string(storage) && (uniform || !uniformOnly))
              sel.push_back(r);
          }
          std::sort(sel.begin(), sel.end(), [&](const FidelityRow& x, const FidelityRow& y) {
            return uniformOnly ? x.grid[0] < y.grid[0] : x.bankMiB < y.bankMiB;
          });
          // Columns: points on axis 1, MiB, LSD plain, LSD nearest, label, LSD aligned (NaN
          // without pitch: gnuplot leaves such points out).
          for (const auto& r : sel)
            os << r.grid[0] << " " << r.bankMiB << " " << r.lsdInterpDb << " " << r.lsdNearestDb
               << " " << r.grid[0] << "," << r.grid[1] << "," << r.grid[2] << "," << r.grid[3]
               << " " << (r.pitched ? std::to_string(r.lsdAlignedDb) : std::string("NaN")) << "\n";
          // gnuplot needs a record in every block to number the blocks.
          if (sel.empty()) os << "NaN NaN NaN NaN none NaN\n";
          os << "\n\n";
          sizes[index++] = sel.size();
        }
      }
    }
    auto clauses = [&](std::vector<std::pair<int, std::string>> wanted) {
      std::string out;
      for (const auto& [block, clause] : wanted) {
        if (sizes[block] == 0) continue;
        out += (out.empty() ? "plot '" + data + "' " : ", '' ") + "index " + std::to_string(block) +
               " " + clause;
      }
      return out;
    };
    const bool anyPitched =
        std::any_of(rows.begin(), rows.end(), [](const FidelityRow& r) { return r.pitched; });
    std::vector<std::pair<int, std::string>> gridClauses = {
        {0, "using 1:3 with linespoints title 'interpolated, float32'"},
        {1, "using 1:3 with linespoints title 'interpolated, int16'"},
        {0, "using 1:4 with linespoints title 'nearest grid point, float32'"},
    };
    std::vector<std::pair<int, std::string>> sizeClauses = {
        {2, "using 2:3 with points pt 7 title 'interpolated, float32'"},
        {3, "using 2:3 with points pt 5 title 'interpolated, int16'"},
        {2, "using 2:4 with points pt 9 title 'nearest, float32'"},
        {3, "using 2:4 with points pt 11 title 'nearest, int16'"},
        {2, "using 2:3:5 with labels offset 0,0.8 font ',7' notitle"},
        {3, "using 2:3:5 with labels offset 0,0.8 font ',7' notitle"},
    };
    if (anyPitched) {
      gridClauses.push_back({0, "using 1:6 with linespoints title 'pitch-aligned, float32'"});
      gridClauses.push_back({1, "using 1:6 with linespoints title 'pitch-aligned, int16'"});
      sizeClauses.push_back({2, "using 2:6 with points pt 13 title 'pitch-aligned, float32'"});
      sizeClauses.push_back({3, "using 2:6 with points pt 15 title 'pitch-aligned, int16'"});
    }
    const std::string byGrid = clauses(gridClauses);
    const std::string bySize = clauses(sizeClauses);
    {
      std::ofstream gp(files.script);
      gp << "set terminal pngcairo size 1200,480 font 'sans,10'\n"
         << "set output '" << files.partialPng << "'\n"
         << "set multiplot layout 1," << (byGrid.empty() ? 1 : 2)
         << " title 'Bank fidelity: LSD against generative.pt at random off-grid points'\n"
         << "set grid\nset ylabel 'LSD (dB)'\nset key top right\nset yrange [0:*]\n";
      if (!byGrid.empty())
        gp << "set xlabel 'grid points per axis (uniform grids)'\n" << byGrid << "\n";
      double lo = rows[0].bankMiB, hi = rows[0].bankMiB;
      for (const auto& r : rows) {
        lo = std::min(lo, r.bankMiB);
        hi = std::max(hi, r.bankMiB);
      }
      gp << "set logscale x\nset xrange [" << lo / 2 << ":" << hi * 2 << "]\n"
         << "set xlabel 'bank size (MiB); labels: points per axis'\n"
         << bySize << "\nunset multiplot\n";
    }
  });
}

}  // namespace wae::bankbake

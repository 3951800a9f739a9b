#include "tools/generative/coherence.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "common/keep_freed_memory.h"
#include "common/progress.h"
#include "runtime/mix.h"
#include "tools/audio/metrics.h"
#include "tools/generative/generative_model.h"
#include "tools/training/run.h"

namespace wae::generative {
namespace {

using training::fixedString;

constexpr double kSilentDbfs = -90.0;

double rmsDbfs(const float* w, size_t n) {
  double e = 0;
  for (size_t i = 0; i < n; ++i) e += double(w[i]) * w[i];
  return 10.0 * std::log10(e / double(n) + 1e-30);
}

double snrDb(const float* a, const float* b, size_t n) {
  double signal = 0, error = 0;
  for (size_t i = 0; i < n; ++i) {
    signal += double(a[i]) * a[i];
    error += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  }
  return 10.0 * std::log10(signal / std::max(error, 1e-30));
}

// Median of a non-empty list.
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The SNR of `base` (f0 `from`) read at the rate to / from, against `moved` (f0 `to`), as a
// bank voice reads a pitch-aligned corner (runtime::mixAlignedReference, one tap), over the
// frames the reading lasts.
double alignedSnrDb(const float* base, float from, const float* moved, float to, size_t length) {
  const float rate = to / from;
  const float* src[1] = {base};
  const float weight[1] = {1.0f};
  const int n = int(
      std::min<int64_t>(int64_t(length), runtime::tapFramesLeft(rate, int64_t(length), 0.0, 1.0)));
  std::vector<float> read(size_t(n), 0.0f);
  runtime::mixAlignedReference<float>(src, weight, &rate, 1, int64_t(length), 0.0, 1.0, read.data(),
                                      n);
  return snrDb(read.data(), moved, size_t(n));
}

// forward() of `count` points [count * 4] in batches -> [count * length].
std::vector<float> render(const GenerativeModel& g, const std::vector<float>& z, int batch) {
  const size_t count = z.size() / 4, length = size_t(g.length());
  std::vector<float> waves(count * length);
  for (size_t b = 0; b < count; b += size_t(batch)) {
    const int n = int(std::min(size_t(batch), count - b));
    g.forwardBatch(z.data() + b * 4, n, waves.data() + b * length);
  }
  return waves;
}

}  // namespace

CoherenceResult measureCoherence(const CoherenceOptions& o, std::ostream& log) {
  if (o.points < 1) throw std::invalid_argument("--points must be at least 1");
  if (o.batch < 1) throw std::invalid_argument("--batch must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.steps.empty()) throw std::invalid_argument("--steps is empty");
  for (double s : o.steps)
    if (!(s > 0 && s <= 0.2))
      throw std::invalid_argument(
          "--steps: each step is a fraction of the axis's range in "
          "(0, 0.2], got " +
          std::to_string(s));
  keepFreedMemory();
  setUpModelThread(o.threads);
  const GenerativeModel g = GenerativeModel::load(o.modelPath);
  const auto ranges = g.axisRanges();
  const size_t length = size_t(g.length());
  const AudioSettings settings = g.audioSettings();

  CoherenceResult result;
  std::mt19937 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.1, 0.9);
  result.points.resize(size_t(o.points) * 4);
  for (int p = 0; p < o.points; ++p)
    for (int a = 0; a < 4; ++a)
      result.points[size_t(p) * 4 + a] =
          float(ranges[a].first + unit(rng) * (ranges[a].second - ranges[a].first));

  Progress progress("coherence", int64_t(o.points) * (1 + 4 * int64_t(o.steps.size())), "points");
  const std::vector<float> base = render(g, result.points, o.batch);
  const std::vector<float> baseF0 =
      g.hasF0() ? g.f0(result.points.data(), o.points) : std::vector<float>();
  progress.advance(o.points);
  for (int a = 0; a < 4; ++a) {
    for (double step : o.steps) {
      std::vector<float> z = result.points;
      const double delta = step * (ranges[a].second - ranges[a].first);
      for (int p = 0; p < o.points; ++p) z[size_t(p) * 4 + a] += float(delta);
      const std::vector<float> moved = render(g, z, o.batch);
      const std::vector<float> movedF0 =
          g.hasF0() ? g.f0(z.data(), o.points) : std::vector<float>();
      progress.advance(o.points);
      CoherenceRow row;
      row.axis = a + 1;
      row.step = step;
      double lsdSum = 0;
      for (int p = 0; p < o.points; ++p) {
        const float* w = base.data() + size_t(p) * length;
        const float* v = moved.data() + size_t(p) * length;
        if (rmsDbfs(w, length) < kSilentDbfs || rmsDbfs(v, length) < kSilentDbfs) continue;
        row.snrDb.push_back(snrDb(w, v, length));
        if (!baseF0.empty() && baseF0[size_t(p)] > 0 && movedF0[size_t(p)] > 0)
          row.snrAlignedDb.push_back(
              alignedSnrDb(w, baseF0[size_t(p)], v, movedF0[size_t(p)], length));
        const auto t = [&](const float* x) {
          return torch::from_blob(const_cast<float*>(x), {int64_t(length)}, torch::kFloat32);
        };
        lsdSum += logSpectralDistanceDb(t(w), t(v), settings);
      }
      row.pairs = int(row.snrDb.size());
      if (row.pairs > 0) {
        row.snrDbMedian = median(row.snrDb);
        double sum = 0;
        for (double s : row.snrDb) sum += s;
        row.snrDbMean = sum / double(row.pairs);
        row.lsdDbMean = lsdSum / double(row.pairs);
      }
      row.alignedPairs = int(row.snrAlignedDb.size());
      if (row.alignedPairs > 0) row.snrAlignedDbMedian = median(row.snrAlignedDb);
      result.rows.push_back(row);
    }
  }
  progress.finish();

  if (!o.csvPath.empty()) {
    const std::string partial = o.csvPath + ".partial";
    {
      std::ofstream csv(partial);
      csv << "model,axis,step,pairs,snr_db_median,snr_db_mean,lsd_db_mean,aligned_pairs,"
             "snr_aligned_db_median\n";
      for (const CoherenceRow& r : result.rows)
        csv << o.modelPath << "," << r.axis << "," << r.step << "," << r.pairs << ","
            << r.snrDbMedian << "," << r.snrDbMean << "," << r.lsdDbMean << "," << r.alignedPairs
            << "," << r.snrAlignedDbMedian << "\n";
      if (!csv) throw std::runtime_error("coherence: cannot write " + partial);
    }
    std::rename(partial.c_str(), o.csvPath.c_str());
    log << "coherence: wrote " << o.csvPath << "\n";
  }
  return result;
}

std::string formatCoherence(const CoherenceResult& r, const std::string& modelPath) {
  std::ostringstream os;
  os << modelPath << ": two points a step apart along one axis (step: fraction of the "
     << "axis's range)\n";
  os << "axis  step   pairs  SNR median (dB)  SNR mean (dB)  LSD mean (dB)  "
        "pitch-aligned pairs, SNR median (dB)\n";
  for (const CoherenceRow& row : r.rows) {
    std::string line = std::to_string(row.axis) + "     " + fixedString(row.step, 3);
    line.resize(13, ' ');
    line += std::to_string(row.pairs);
    line.resize(20, ' ');
    line += fixedString(row.snrDbMedian, 2);
    line.resize(37, ' ');
    line += fixedString(row.snrDbMean, 2);
    line.resize(52, ' ');
    line += fixedString(row.lsdDbMean, 2);
    line.resize(67, ' ');
    if (row.alignedPairs > 0)
      line += std::to_string(row.alignedPairs) + ", " + fixedString(row.snrAlignedDbMedian, 2);
    else
      line += "-";
    os << line << "\n";
  }
  return os.str();
}

}  // namespace wae::generative

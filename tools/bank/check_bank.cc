#include "tools/bank/check_bank.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "bank/bank_h5.h"
#include "bank/bank_reader.h"
#include "bank/schema.h"
#include "common/atomic_file.h"
#include "common/progress.h"
#include "tools/bank/report_util.h"

namespace wae::bankbake {
namespace {

using Clock = std::chrono::steady_clock;

// printf's own spelling of NaN depends on its sign bit ("-nan"); a CSV wants one spelling.
std::string number(double v, const char* format) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::array<int, bank::kDims> gridIndex(const bank::BankInfo& info, size_t flat) {
  std::array<int, bank::kDims> i{};
  for (int a = bank::kDims - 1; a >= 0; --a) {
    i[a] = int(flat % info.gridShape[a]);
    flat /= info.gridShape[a];
  }
  return i;
}

// Same mapping as runtime::GridLocator's (and evaluate.h's toNormalised): the axis ends are
// -1 and 1.
double normalisedCoordinate(const std::vector<double>& axis, int i) {
  const double lo = axis.front(), span = axis.back() - lo;
  return 2.0 * (axis[i] - lo) / span - 1.0;
}

std::vector<double> column(const BankCheck& check, double WaveMeasures::*field) {
  std::vector<double> v;
  v.reserve(check.points.size());
  for (const auto& p : check.points) v.push_back(p.m.*field);
  return v;
}

struct Histogram {
  double lo = 0, width = 1;
  std::vector<size_t> counts;
};

// `bins` equal bins over the finite values' range (one bin of width 1 if they are all equal).
Histogram histogram(const std::vector<double>& values, int bins) {
  Histogram h;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(lo <= hi)) return h;
  if (hi - lo < 1e-9) bins = 1, lo -= 0.5, hi += 0.5;
  h.lo = lo;
  h.width = (hi - lo) / bins;
  h.counts.assign(bins, 0);
  for (double v : values)
    if (std::isfinite(v)) ++h.counts[std::min(bins - 1, int((v - lo) / h.width))];
  return h;
}

void writeHistogram(std::ostream& os, const Histogram& h) {
  for (size_t b = 0; b < h.counts.size(); ++b)
    os << h.lo + (b + 0.5) * h.width << " " << h.counts[b] << "\n";
  if (h.counts.empty()) os << "NaN NaN\n";  // gnuplot numbers blocks only if they have a record
  os << "\n\n";
}

}  // namespace

BankCheck checkBank(const bank::BankData& bank, const CheckOptions& options) {
  const auto start = Clock::now();
  const bank::BankInfo& info = bank.info;
  BankCheck check;
  check.info = info;
  check.waveformChecksums = bank.waveformChecksums;
  check.f0Hz = bank.f0Hz;
  check.f0Source = bank.f0Source;
  const size_t points = info.pointCount(), length = size_t(info.length);
  const size_t batch = size_t(std::max(1, options.batch));
  const bool int16 = info.storage == bank::StorageType::kInt16;
  if ((int16 ? bank.i16.size() : bank.f32.size()) != info.rowCount() * length)
    throw std::invalid_argument(
        "checkBank: the bank holds " + std::to_string(int16 ? bank.i16.size() : bank.f32.size()) +
        " samples, its grid and length need " + std::to_string(info.rowCount() * length));
  // A point's sound: its waveform, or the sum of its harmonic and noise parts.
  const size_t noise = info.noisePart ? points * length : 0;
  check.points.resize(points);
  std::vector<float> buffer;
  Progress progress("check_bank", int64_t(points), "points");
  for (size_t at = 0; at < points; at += batch) {
    const size_t n = std::min(batch, points - at);
    const float* waves = nullptr;
    if (int16) {
      buffer.resize(n * length);
      const int16_t* stored = bank.i16.data() + at * length;
      for (size_t b = 0; b < n; ++b) {
        const float scale = info.scaleOf(at + b);
        for (size_t k = b * length; k < (b + 1) * length; ++k)
          buffer[k] = (float(stored[k]) + (noise ? float(stored[noise + k]) : 0.0f)) * scale;
      }
      waves = buffer.data();
    } else if (noise) {
      const float* stored = bank.f32.data() + at * length;
      buffer.assign(stored, stored + n * length);
      for (size_t k = 0; k < n * length; ++k) buffer[k] += stored[noise + k];
      waves = buffer.data();
    } else {
      waves = bank.f32.data() + at * length;
    }
    const std::vector<WaveMeasures> m =
        measureWaves(waves, n, int(length), info.sampleRate, options);
    for (size_t b = 0; b < n; ++b) {
      PointCheck& p = check.points[at + b];
      p.index = gridIndex(info, at + b);
      for (int a = 0; a < bank::kDims; ++a)
        p.normalised[a] = normalisedCoordinate(info.axes[a], p.index[a]);
      p.m = m[b];
    }
    if (options.progress) progress.advance(int64_t(n));
  }
  if (options.progress) progress.finish();
  check.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return check;
}

BankCheck checkBankFile(const std::string& path, const CheckOptions& options) {
  const auto start = Clock::now();
  const bank::BankData bank = bank::readBank(path);
  BankCheck check = checkBank(bank, options);
  check.path = path;
  check.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return check;
}

bool isSilent(const WaveMeasures& m, const CheckOptions& options) {
  return m.rmsDbfs < options.silenceDbfs;
}

bool isNoiseLike(const WaveMeasures& m, const CheckOptions& options) {
  return m.flatness > options.noiseFlatness;  // false for NaN (an all-zero wave)
}

bool isClipping(const WaveMeasures& m, const CheckOptions& options) {
  return m.peak > options.clipPeak;
}

void addCheckOptions(CLI::App& app, CheckOptions& o, size_t& maxListed) {
  app.add_option("--silence-dbfs", o.silenceDbfs,
                 "flag points whose RMS is below this (dBFS, full scale 1.0)")
      ->check(CLI::Range(-400.0, 0.0));
  app.add_option("--noise-flatness", o.noiseFlatness,
                 "flag points whose spectral flatness is above this (0..1)")
      ->check(CLI::Range(1e-12, 1.0));
  app.add_option("--clip-peak", o.clipPeak,
                 "flag points whose peak |x| is above this (linear, full scale 1.0)")
      ->check(CLI::Range(1e-3, 1e3));
  app.add_option("--batch", o.batch, "waveforms per STFT call")->check(CLI::Range(1, 4096));
  app.add_option("--max-listed", maxListed, "flagged points listed per flag (all in the CSV)");
}

Distribution distribution(const std::vector<double>& values) {
  std::vector<double> v;
  for (double x : values)
    if (!std::isnan(x)) v.push_back(x);
  Distribution d;
  d.count = v.size();
  if (v.empty()) return d;
  d.min = percentile(v, 0);
  d.p5 = percentile(v, 0.05);
  d.median = percentile(v, 0.5);
  d.p95 = percentile(v, 0.95);
  d.max = percentile(v, 1);
  return d;
}

std::string formatSummary(const BankCheck& check, const CheckOptions& options, size_t maxListed) {
  const bank::BankInfo& info = check.info;
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "check_bank: %s: %zu points (grid %s, %s, %d samples at %d Hz), %.1f s\n",
                check.path.empty() ? "(in memory)" : check.path.c_str(), check.points.size(),
                bank::formatShape(info.gridShape).c_str(), bank::storageName(info.storage),
                info.length, info.sampleRate, check.seconds);
  out += line;
  if (check.waveformChecksums)
    std::snprintf(line, sizeof line,
                  "checksums: Fletcher-32 verified for every waveform, %zu of %zu points\n",
                  check.points.size(), check.points.size());
  else
    std::snprintf(line, sizeof line,
                  "checksums: none (the waveforms carry no checksum: damaged samples cannot be "
                  "detected)\n");
  out += line;
  if (check.f0Hz.empty()) {
    out += "pitch: none (no /f0)\n";
  } else {
    std::vector<double> pitched;
    for (float f : check.f0Hz)
      if (f > 0) pitched.push_back(f);
    const Distribution d = distribution(pitched);
    std::snprintf(line, sizeof line,
                  "pitch: f0 from \"%s\": %zu pitched points, %s / %s / %s Hz (min / median / "
                  "max); %zu unpitched\n",
                  check.f0Source.c_str(), d.count, number(d.min, "%.2f").c_str(),
                  number(d.median, "%.2f").c_str(), number(d.max, "%.2f").c_str(),
                  check.f0Hz.size() - d.count);
    if (d.count == 0)
      std::snprintf(line, sizeof line, "pitch: f0 from \"%s\": every point unpitched (%zu)\n",
                    check.f0Source.c_str(), check.f0Hz.size());
    out += line;
  }
  std::snprintf(line, sizeof line, "  %-14s %6s %10s %10s %10s %10s %10s\n", "", "count", "min",
                "5%", "median", "95%", "max");
  out += line;
  auto row = [&](const char* name, double WaveMeasures::*field, const char* format) {
    const Distribution d = distribution(column(check, field));
    std::snprintf(line, sizeof line, "  %-14s %6zu %10s %10s %10s %10s %10s\n", name, d.count,
                  number(d.min, format).c_str(), number(d.p5, format).c_str(),
                  number(d.median, format).c_str(), number(d.p95, format).c_str(),
                  number(d.max, format).c_str());
    out += line;
  };
  row("rms (dBFS)", &WaveMeasures::rmsDbfs, "%.2f");
  row("peak", &WaveMeasures::peak, "%.4f");
  row("flatness", &WaveMeasures::flatness, "%.2e");
  row("centroid (Hz)", &WaveMeasures::centroidHz, "%.0f");
  size_t undefined = 0;
  for (const auto& p : check.points) undefined += std::isnan(p.m.flatness) ? 1 : 0;
  if (undefined)
    out += "  (" + std::to_string(undefined) +
           " all-zero points have no flatness or centroid: rms -inf dBFS)\n";
  auto flagged = [&](const char* what, bool (*test)(const WaveMeasures&, const CheckOptions&)) {
    std::vector<const PointCheck*> hits;
    for (const auto& p : check.points)
      if (test(p.m, options)) hits.push_back(&p);
    std::snprintf(line, sizeof line, "%s: %zu of %zu points\n", what, hits.size(),
                  check.points.size());
    out += line;
    for (size_t k = 0; k < hits.size() && k < maxListed; ++k) {
      const PointCheck& p = *hits[k];
      std::snprintf(line, sizeof line,
                    "  i %d %d %d %d  u %+.3f %+.3f %+.3f %+.3f  rms %s dBFS  flatness %s  "
                    "peak %s\n",
                    p.index[0], p.index[1], p.index[2], p.index[3], p.normalised[0],
                    p.normalised[1], p.normalised[2], p.normalised[3],
                    number(p.m.rmsDbfs, "%.2f").c_str(), number(p.m.flatness, "%.3f").c_str(),
                    number(p.m.peak, "%.4f").c_str());
      out += line;
    }
    if (hits.size() > maxListed)
      out += "  ... and " + std::to_string(hits.size() - maxListed) + " more (see the CSV)\n";
  };
  // Each label in its own buffer: `flagged` writes into `line`.
  char what[128];
  std::snprintf(what, sizeof what, "silent (rms below %g dBFS)", options.silenceDbfs);
  flagged(what, isSilent);
  std::snprintf(what, sizeof what, "noise-like (flatness above %g)", options.noiseFlatness);
  flagged(what, isNoiseLike);
  std::snprintf(what, sizeof what, "clipping (peak above %g)", options.clipPeak);
  flagged(what, isClipping);
  return out;
}

void writeCheckCsv(const std::string& path, const BankCheck& check) {
  AtomicFile file(path);
  {
    std::ofstream os(file.partialPath());
    os << "i1,i2,i3,i4,u1,u2,u3,u4,rms_dbfs,peak,flatness,centroid_hz\n";
    for (const auto& p : check.points) {
      for (int a = 0; a < bank::kDims; ++a) os << p.index[a] << ",";
      for (int a = 0; a < bank::kDims; ++a) os << number(p.normalised[a], "%.6f") << ",";
      os << number(p.m.rmsDbfs, "%.4f") << "," << number(p.m.peak, "%.6f") << ","
         << number(p.m.flatness, "%.6e") << "," << number(p.m.centroidHz, "%.2f") << "\n";
    }
    if (!os) throw std::runtime_error("cannot write " + file.partialPath());
  }
  file.commit();
}

void writeCheckPlot(const std::string& pngPath, const BankCheck& check,
                    const CheckOptions& options) {
  if (check.points.empty()) throw std::invalid_argument("writeCheckPlot: no points to plot");
  // Flatness spans decades (a tone ~1e-6, noise ~0.56): its histogram is over log10.
  std::vector<double> rms = column(check, &WaveMeasures::rmsDbfs), logFlatness;
  for (const auto& p : check.points)
    logFlatness.push_back(std::log10(std::max(p.m.flatness, 1e-12)));  // NaN stays NaN
  size_t notDrawn = 0, clipping = 0;
  for (double r : rms) notDrawn += std::isfinite(r) ? 0 : 1;
  for (const auto& p : check.points) clipping += isClipping(p.m, options) ? 1 : 0;
  const Histogram rmsHist = histogram(rms, 40), flatHist = histogram(logFlatness, 40);
  const double noiseLog = std::log10(options.noiseFlatness);
  // Ranges that always show the thresholds, so a bank far from them still shows where they
  // are.
  const double rmsLo = std::min(rmsHist.lo, options.silenceDbfs) - 3;
  const double rmsHi =
      std::max(rmsHist.lo + rmsHist.width * rmsHist.counts.size(), options.silenceDbfs) + 3;
  const int decadeLo = int(std::floor(std::min(flatHist.lo, noiseLog))) - 1;
  const double flatHi =
      std::max({flatHist.lo + flatHist.width * flatHist.counts.size(), noiseLog, 0.0}) + 0.2;
  std::string decadeTics;
  for (int d = decadeLo; d <= 0; ++d)
    decadeTics += (decadeTics.empty() ? "" : ", ") + std::string("'") +
                  (d == 0 ? "1" : "1e" + std::to_string(d)) + "' " + std::to_string(d);
  plotWithGnuplot(pngPath, [&](const GnuplotFiles& files) {
    {
      std::ofstream os(files.data);
      writeHistogram(os, rmsHist);
      writeHistogram(os, flatHist);
      size_t drawn = 0;
      for (const auto& p : check.points)
        if (std::isfinite(p.m.rmsDbfs) && std::isfinite(p.m.flatness)) {
          os << p.m.rmsDbfs << " " << p.m.flatness << "\n";
          ++drawn;
        }
      if (!drawn) os << "NaN NaN\n";
    }
    std::ofstream gp(files.script);
    char clip[96];
    std::snprintf(clip, sizeof clip, ", %zu clipping (peak above %g)", clipping, options.clipPeak);
    const std::string t =
        "check_bank: " + (check.path.empty() ? std::string("bank") : check.path) + ", " +
        std::to_string(check.points.size()) + " points" +
        (notDrawn ? ", " + std::to_string(notDrawn) + " all-zero (-inf dBFS) not drawn" : "") +
        (clipping ? clip : "");
    // gnuplot strings in single quotes: a quote in a path is doubled.
    std::string quoted;
    for (char c : t) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    gp << "set terminal pngcairo size 1500,460 font 'sans,10' noenhanced\n"
       << "set output '" << files.partialPng << "'\n"
       << "set multiplot layout 1,3 title '" << quoted << "'\n"
       << "set grid\nset style fill solid 0.6 border -1\nset key off\n"
       << "set ylabel 'points'\nset yrange [0:*]\n"
       << "set arrow 1 from " << options.silenceDbfs << ", graph 0 to " << options.silenceDbfs
       << ", graph 1 nohead dt 2 lw 2 lc rgb 'red'\n"
       << "set xlabel 'RMS (dBFS); dashed: --silence-dbfs'\n"
       << "set xrange [" << rmsLo << ":" << rmsHi << "]\n"
       << "set boxwidth " << rmsHist.width << "\n"
       << "plot '" << files.data << "' index 0 using 1:2 with boxes lc rgb '#4477aa'\n"
       << "set arrow 1 from " << noiseLog << ", graph 0 to " << noiseLog
       << ", graph 1 nohead dt 2 lw 2 lc rgb 'red'\n"
       << "set xlabel 'spectral flatness (log scale); dashed: --noise-flatness'\n"
       << "set xrange [" << decadeLo << ":" << flatHi << "]\n"
       << "set xtics (" << decadeTics << ")\n"
       << "set boxwidth " << flatHist.width << "\n"
       << "plot '" << files.data << "' index 1 using 1:2 with boxes lc rgb '#228833'\n"
       << "unset arrow 1\nset xtics autofreq\nset xrange [" << rmsLo << ":" << rmsHi << "]\n"
       << "set yrange [" << std::pow(10.0, decadeLo) << ":" << std::pow(10.0, flatHi) << "]\n"
       << "set logscale y\nset format y '%g'\n"
       << "set xlabel 'RMS (dBFS)'\nset ylabel 'spectral flatness'\n"
       << "set arrow 2 from graph 0, first " << options.noiseFlatness << " to graph 1, first "
       << options.noiseFlatness << " nohead dt 2 lw 2 lc rgb 'red'\n"
       << "set arrow 3 from " << options.silenceDbfs << ", graph 0 to " << options.silenceDbfs
       << ", graph 1 nohead dt 2 lw 2 lc rgb 'red'\n"
       << "plot '" << files.data
       << "' index 2 using 1:2 with points pt 7 ps 0.5 lc rgb "
          "'#4477aa'\n"
       << "unset multiplot\n";
  });
}

}  // namespace wae::bankbake

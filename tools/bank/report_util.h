// Small pieces shared by the bank reports (evaluate_bank, check_bank): summary statistics
// and a PNG drawn by gnuplot, written atomically. No LibTorch, no HDF5.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace wae::bankbake {

// Arithmetic mean; 0 for an empty vector.
double mean(const std::vector<double>& v);

// Nearest-rank percentile, q in [0, 1]: the sorted values' element ceil(q * n) (1-based,
// at least the first), so every result is one of the values (q = 0: the minimum, 0.5: the
// lower median for an even count, 1: the maximum). 0 for an empty vector. -inf and +inf
// sort as numbers; NaN must be left out by the caller.
double percentile(std::vector<double> v, double q);

// The files of one gnuplot run: the script must set its output to partialPng; data and
// script are temporary paths beside it, removed after the run whatever happens.
struct GnuplotFiles {
  std::string partialPng;
  std::string data;
  std::string script;
};

// Draws pngPath with gnuplot, atomically (wae::AtomicFile): `write` writes the data and the
// script; gnuplot runs; the PNG is renamed into place only if gnuplot succeeded. Throws
// std::runtime_error naming the command if gnuplot fails (not installed, script error).
void plotWithGnuplot(const std::string& pngPath,
                     const std::function<void(const GnuplotFiles&)>& write);

}  // namespace wae::bankbake

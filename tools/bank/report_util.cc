#include "tools/bank/report_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "common/atomic_file.h"

namespace wae::bankbake {

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / v.size();
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = std::ceil(q * v.size());
  return v[std::min(v.size(), size_t(std::max(1.0, rank))) - 1];
}

void plotWithGnuplot(const std::string& pngPath,
                     const std::function<void(const GnuplotFiles&)>& write) {
  AtomicFile png(pngPath);
  const GnuplotFiles files{png.partialPath(), png.partialPath() + ".dat",
                           png.partialPath() + ".gp"};
  struct Cleanup {
    const GnuplotFiles& f;
    ~Cleanup() {
      std::remove(f.data.c_str());
      std::remove(f.script.c_str());
    }
  } cleanup{files};
  write(files);
  const std::string cmd = "gnuplot '" + files.script + "'";
  const int rc = std::system(cmd.c_str());
  if (rc != 0) throw std::runtime_error("gnuplot failed (" + std::to_string(rc) + "): " + cmd);
  png.commit();
}

}  // namespace wae::bankbake

// The grid's coordinates and its division into shards. Plain functions, no HDF5.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::bank {

// n evenly spaced coordinates from min to max; the ends are exactly min and max.
inline std::vector<double> gridAxis(double min, double max, int n) {
  if (n < 2 || !(min < max))
    throw std::invalid_argument("grid axis needs n >= 2 and min < max, got n " + std::to_string(n) +
                                ", min " + std::to_string(min) + ", max " + std::to_string(max));
  std::vector<double> axis(n);
  for (int k = 0; k < n; ++k) axis[k] = min + (max - min) * (double(k) / double(n - 1));
  axis[n - 1] = max;
  return axis;
}

// A contiguous run of flat grid indices: what one shard (or a whole bake) computes.
struct Slice {
  size_t first = 0;
  size_t count = 0;
  int shardIndex = 0;  // 0-based
  int shardCount = 1;
};

// Shard `index` of `count` over `points` points: contiguous, sizes differ by at most one,
// shards in index order cover 0..points-1 once.
inline Slice shardSlice(size_t points, int index, int count) {
  if (count < 1 || index < 0 || index >= count)
    throw std::invalid_argument("shard " + std::to_string(index) + "/" + std::to_string(count) +
                                ": need 0 <= index < count");
  const size_t base = points / count, extra = points % count;
  Slice s;
  s.shardIndex = index;
  s.shardCount = count;
  s.first = index * base + std::min<size_t>(index, extra);
  s.count = base + (size_t(index) < extra ? 1 : 0);
  return s;
}

}  // namespace wae::bank

#include "runtime/grid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wae::runtime {

PointCheck clampPoint(Point& point) noexcept {
  for (float x : point) {
    if (!std::isfinite(x)) return PointCheck::kNotFinite;
  }
  PointCheck result = PointCheck::kInside;
  for (float& x : point) {
    if (x < -1.0f || x > 1.0f) {
      x = std::min(1.0f, std::max(-1.0f, x));
      result = PointCheck::kClamped;
    }
  }
  return result;
}

GridLocator::GridLocator(const bank::BankInfo& info) : shape_(info.gridShape) {
  for (int a = 0; a < config::kDims; ++a) {
    const std::vector<double>& axis = info.axes[a];
    const std::string name = "axis " + std::to_string(a + 1);
    if (shape_[a] < 2) {
      throw std::invalid_argument("bank grid: " + name + ": found " + std::to_string(shape_[a]) +
                                  " points, expected at least 2");
    }
    if (int(axis.size()) != shape_[a]) {
      throw std::invalid_argument("bank grid: " + name + ": found " + std::to_string(axis.size()) +
                                  " coordinates, expected " + std::to_string(shape_[a]) +
                                  " (grid shape)");
    }
    for (size_t i = 0; i < axis.size(); ++i) {
      if (!std::isfinite(axis[i]) || (i > 0 && !(axis[i] > axis[i - 1]))) {
        throw std::invalid_argument("bank grid: " + name + ": coordinate " + std::to_string(i) +
                                    " is " + std::to_string(axis[i]) +
                                    ", expected finite and strictly increasing");
      }
    }
    const double lo = axis.front();
    const double span = axis.back() - lo;
    std::vector<float>& out = normalised_[a];
    out.resize(axis.size());
    for (size_t i = 0; i < axis.size(); ++i) out[i] = float(2.0 * (axis[i] - lo) / span - 1.0);
    out.front() = -1.0f;
    out.back() = 1.0f;
    for (size_t i = 1; i < out.size(); ++i) {
      if (!(out[i] > out[i - 1])) {
        throw std::invalid_argument("bank grid: " + name + ": coordinates " +
                                    std::to_string(i - 1) + " and " + std::to_string(i) +
                                    " coincide once normalised to float, expected distinct");
      }
    }
  }
}

GridCell GridLocator::locate(const Point& point) const noexcept {
  GridCell cell;
  std::array<double, config::kDims> lowWeight{}, highWeight{};
  for (int a = 0; a < config::kDims; ++a) {
    const std::vector<float>& g = normalised_[a];
    // Largest j with g[j] <= x, kept inside the last cell so that x == 1 gives fraction 1.
    const float x = point[a];
    int j = int(std::upper_bound(g.begin(), g.end(), x) - g.begin()) - 1;
    j = std::min(std::max(j, 0), int(g.size()) - 2);
    // Exact for a point on a grid coordinate: the numerator is then 0 (or equal to the
    // denominator at the last coordinate), so the fraction is exactly 0 (or 1).
    const double t = (double(x) - double(g[j])) / (double(g[j + 1]) - double(g[j]));
    cell.lower[a] = j;
    cell.fraction[a] = t;
    lowWeight[a] = 1.0 - t;
    highWeight[a] = t;
  }
  for (int c = 0; c < config::kMaxTaps; ++c) {
    std::array<int, config::kDims> index{};
    double w = 1.0;
    for (int a = 0; a < config::kDims; ++a) {
      const bool high = (c >> (config::kDims - 1 - a)) & 1;
      index[a] = cell.lower[a] + (high ? 1 : 0);
      w *= high ? highWeight[a] : lowWeight[a];
    }
    cell.flatIndex[c] = uint32_t(
        ((size_t(index[0]) * shape_[1] + index[1]) * shape_[2] + index[2]) * shape_[3] + index[3]);
    cell.weight[c] = float(w);
  }
  return cell;
}

int nonZeroCorners(const GridCell& cell, uint32_t* flatIndex, float* weight) noexcept {
  int n = 0;
  for (int c = 0; c < config::kMaxTaps; ++c) {
    if (cell.weight[c] != 0.0f) {
      flatIndex[n] = cell.flatIndex[c];
      weight[n] = cell.weight[c];
      ++n;
    }
  }
  return n;
}

namespace {

// A fraction t in 0..1 curved to t^e / (t^e + (1 - t)^e): exactly t for e == 1, as locate()
// weighs it, to the bit.
double curvedFraction(double t, double exponent) noexcept {
  if (exponent == 1.0) return t;
  const double up = std::pow(t, exponent), down = std::pow(1.0 - t, exponent);
  return up / (up + down);  // up + down > 0 for t in 0..1
}

}  // namespace

int curvedCorners(const GridCell& cell, double exponent, float* weight) noexcept {
  std::array<double, config::kDims> high{};
  for (int a = 0; a < config::kDims; ++a) high[a] = curvedFraction(cell.fraction[a], exponent);
  int n = 0;
  for (int c = 0; c < config::kMaxTaps; ++c) {
    if (cell.weight[c] == 0.0f) continue;
    double w = 1.0;
    for (int a = 0; a < config::kDims; ++a)
      w *= (c >> (config::kDims - 1 - a)) & 1 ? high[a] : 1.0 - high[a];
    weight[n++] = float(w);
  }
  return n;
}

int simplexCorners(const GridCell& cell, double exponent, uint32_t* flatIndex, float* weight,
                   float* curved) noexcept {
  // The axes by decreasing fraction (insertion sort: stable, so ties keep axis order).
  std::array<int, config::kDims> order{};
  for (int a = 0; a < config::kDims; ++a) {
    int k = a;
    for (; k > 0 && cell.fraction[size_t(order[size_t(k - 1)])] < cell.fraction[size_t(a)]; --k)
      order[size_t(k)] = order[size_t(k - 1)];
    order[size_t(k)] = a;
  }
  // Vertex v is the lower corner with the bits of the first v axes set; its weight is the
  // v-th largest fraction less the next (1 before the first, 0 after the last).
  int corner = 0, n = 0;
  double t = 1.0, c = 1.0;
  for (int v = 0; v <= config::kDims; ++v) {
    const int axis = v < config::kDims ? order[size_t(v)] : -1;
    const double next = axis >= 0 ? cell.fraction[size_t(axis)] : 0.0;
    const double nextCurved = axis >= 0 ? curvedFraction(next, exponent) : 0.0;
    if (t - next > 0.0) {
      flatIndex[n] = cell.flatIndex[size_t(corner)];
      weight[n] = float(t - next);
      curved[n] = float(c - nextCurved);
      ++n;
    }
    if (axis >= 0) corner |= 1 << (config::kDims - 1 - axis);
    t = next;
    c = nextCurved;
  }
  return n;
}

int nearestCorner(const GridCell& cell) noexcept {
  int corner = 0;
  for (int a = 0; a < config::kDims; ++a) {
    if (cell.fraction[a] >= 0.5) corner |= 1 << (config::kDims - 1 - a);
  }
  return corner;
}

}  // namespace wae::runtime

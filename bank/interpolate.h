// Quadrilinear interpolation on a bank's grid: which 16 grid points surround a latent point
// and with which weights. Plain functions over BankInfo: no allocation, no locks, no I/O, so
// the runtime may call them on the audio thread; evaluate_bank uses the same ones.
//
// Points outside the grid are clamped per axis: a coordinate below the first grid value
// plays as the first value, one above the last as the last value (and NaN as the first), so
// the result is always a convex mix of banked waveforms. The runtime sends such points to
// live mode instead when it is on.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "bank/bank_data.h"

namespace wae::bank {

inline constexpr int kNeighbours = 1 << kDims;  // 16

struct AxisCell {
  int lower = 0;    // grid index of the cell's lower end, 0..n-2
  double frac = 0;  // position in the cell, 0..1 (1: at the upper end)
};

// Locates x on a strictly increasing axis of n >= 2 values (binary search; clamped).
inline AxisCell locate(const double* axis, int n, double x) {
  if (!(x > axis[0])) return {0, 0.0};                                // below, at the start, or NaN
  if (!(x < axis[n - 1])) return {n - 2, 1.0};                        // above or at the end
  const int upper = int(std::upper_bound(axis, axis + n, x) - axis);  // 1..n-1
  const int lower = upper - 1;
  return {lower, (x - axis[lower]) / (axis[upper] - axis[lower])};
}

struct Neighbours {
  // Neighbour k takes, on axis i, the cell's upper end if bit (3 - i) of k is set: k = 0
  // is the lower corner, k = 15 the upper one. Flat indices follow BankInfo::flatIndex.
  std::array<size_t, kNeighbours> index{};
  std::array<float, kNeighbours> weight{};  // >= 0, sum to 1 (to float rounding)
};

// The 16 grid neighbours of z (axis coordinates) and their quadrilinear weights.
inline Neighbours neighbours(const BankInfo& info, const std::array<double, kDims>& z) {
  std::array<AxisCell, kDims> cell;
  for (int i = 0; i < kDims; ++i) cell[i] = locate(info.axes[i].data(), info.gridShape[i], z[i]);
  Neighbours n;
  for (int k = 0; k < kNeighbours; ++k) {
    std::array<int, kDims> at;
    double w = 1.0;
    for (int i = 0; i < kDims; ++i) {
      const bool upper = (k >> (kDims - 1 - i)) & 1;
      at[i] = cell[i].lower + (upper ? 1 : 0);
      w *= upper ? cell[i].frac : 1.0 - cell[i].frac;
    }
    n.index[k] = info.flatIndex(at);
    n.weight[k] = static_cast<float>(w);
  }
  return n;
}

// The grid point nearest to z (per axis; clamped like neighbours()).
inline size_t nearestPoint(const BankInfo& info, const std::array<double, kDims>& z) {
  std::array<int, kDims> at;
  for (int i = 0; i < kDims; ++i) {
    const AxisCell c = locate(info.axes[i].data(), info.gridShape[i], z[i]);
    at[i] = c.lower + (c.frac >= 0.5 ? 1 : 0);
  }
  return info.flatIndex(at);
}

// Normalised coordinates (-1..1 per axis, the Pd external's) to axis coordinates:
// -1 is the first grid value, 1 the last.
inline std::array<double, kDims> fromNormalised(const BankInfo& info,
                                                const std::array<float, kDims>& u) {
  std::array<double, kDims> z;
  for (int i = 0; i < kDims; ++i) {
    const double lo = info.axes[i].front(), hi = info.axes[i].back();
    z[i] = lo + (double(u[i]) + 1.0) * 0.5 * (hi - lo);
  }
  return z;
}

// Reference mix of a bank's waveforms with these weights: out[t] = sum_k w_k x_k[t], as
// float. The runtime's fast version is tested against this one.
inline void mixNeighbours(const BankData& bank, const Neighbours& n, float* out) {
  const size_t length = bank.info.length;
  std::fill(out, out + length, 0.0f);
  for (int k = 0; k < kNeighbours; ++k) {
    const float w = n.weight[k];
    if (w == 0.0f) continue;
    if (bank.info.storage == StorageType::kInt16) {
      const int16_t* x = bank.i16.data() + n.index[k] * length;
      const float ws = w * bank.info.scale;
      for (size_t t = 0; t < length; ++t) out[t] += ws * float(x[t]);
    } else {
      const float* x = bank.f32.data() + n.index[k] * length;
      for (size_t t = 0; t < length; ++t) out[t] += w * x[t];
    }
  }
}

}  // namespace wae::bank

#include "bank/interpolate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bank/grid.h"

namespace wae::bank {
namespace {

BankInfo grid3322() {
  BankInfo info;
  info.gridShape = {3, 3, 2, 2};
  info.axes[0] = gridAxis(-2, 2, 3);  // -2 0 2
  info.axes[1] = {-1, 0, 3};          // not uniform
  info.axes[2] = gridAxis(0, 1, 2);
  info.axes[3] = gridAxis(-1, 1, 2);
  info.length = 1;
  return info;
}

TEST(Interpolate, LocateClampsAndHandlesNaN) {
  const double axis[4] = {-1, 0, 1, 3};
  EXPECT_EQ(locate(axis, 4, -5).lower, 0);
  EXPECT_EQ(locate(axis, 4, -5).frac, 0.0);
  EXPECT_EQ(locate(axis, 4, 7).lower, 2);
  EXPECT_EQ(locate(axis, 4, 7).frac, 1.0);
  EXPECT_EQ(locate(axis, 4, NAN).lower, 0);
  EXPECT_EQ(locate(axis, 4, NAN).frac, 0.0);
  EXPECT_EQ(locate(axis, 4, 0).lower, 1);  // a grid value starts its cell
  EXPECT_EQ(locate(axis, 4, 0).frac, 0.0);
  EXPECT_EQ(locate(axis, 4, 2).lower, 2);
  EXPECT_DOUBLE_EQ(locate(axis, 4, 2).frac, 0.5);
  EXPECT_EQ(locate(axis, 4, 3).lower, 2);
  EXPECT_EQ(locate(axis, 4, 3).frac, 1.0);
}

TEST(Interpolate, WeightsAreQuadrilinear) {
  const BankInfo info = grid3322();
  const Neighbours n = neighbours(info, {1.0, 1.5, 0.25, 0.0});
  // Axis 1: cell 1 (0..2), frac 0.5; axis 2: cell 1 (0..3), frac 0.5; axis 3: frac 0.25;
  // axis 4: frac 0.5.
  double sum = 0;
  for (int k = 0; k < kNeighbours; ++k) {
    const int b1 = (k >> 3) & 1, b2 = (k >> 2) & 1, b3 = (k >> 1) & 1, b4 = k & 1;
    const double want = 0.5 * 0.5 * (b3 ? 0.25 : 0.75) * 0.5;
    EXPECT_FLOAT_EQ(n.weight[k], float(want)) << k;
    EXPECT_EQ(n.index[k], info.flatIndex({1 + b1, 1 + b2, b3, b4})) << k;
    sum += n.weight[k];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
}

TEST(Interpolate, AGridPointIsItselfAndOutsideIsClamped) {
  const BankInfo info = grid3322();
  const Neighbours at = neighbours(info, {0.0, 3.0, 1.0, -1.0});
  float total = 0;
  for (int k = 0; k < kNeighbours; ++k) {
    if (at.weight[k] == 1.0f) EXPECT_EQ(at.index[k], info.flatIndex({1, 2, 1, 0}));
    total += at.weight[k];
  }
  EXPECT_EQ(total, 1.0f);
  EXPECT_EQ(nearestPoint(info, {0.0, 3.0, 1.0, -1.0}), info.flatIndex({1, 2, 1, 0}));
  // Far outside on every axis: the corner, weight 1.
  const Neighbours out = neighbours(info, {-9.0, 99.0, -1.0, 5.0});
  for (int k = 0; k < kNeighbours; ++k)
    if (out.weight[k] != 0.0f) {
      EXPECT_EQ(out.weight[k], 1.0f);
      EXPECT_EQ(out.index[k], info.flatIndex({0, 2, 0, 1}));
    }
  EXPECT_EQ(nearestPoint(info, {-9.0, 99.0, -1.0, 5.0}), info.flatIndex({0, 2, 0, 1}));
  EXPECT_EQ(nearestPoint(info, {0.9, 1.4, 0.6, 0.1}), info.flatIndex({1, 1, 1, 1}));
}

TEST(Interpolate, MixOfALinearFieldIsExact) {
  // Waveform value = a linear function of the grid coordinates: quadrilinear interpolation
  // reproduces it exactly (to float rounding) anywhere inside the grid.
  BankData bank;
  bank.info = grid3322();
  const BankInfo& info = bank.info;
  for (size_t p = 0; p < info.pointCount(); ++p) {
    size_t q = p;
    std::array<double, 4> z;
    for (int i = 3; i >= 0; --i) {
      z[i] = info.axes[i][q % info.gridShape[i]];
      q /= info.gridShape[i];
    }
    bank.f32.push_back(float(1 + 2 * z[0] - z[1] + 0.5 * z[2] + 3 * z[3]));
  }
  float out = 0;
  mixNeighbours(bank, neighbours(info, {0.3, 2.2, 0.7, -0.4}), &out);
  EXPECT_NEAR(out, 1 + 0.6 - 2.2 + 0.35 - 1.2, 1e-5);
  // int16 storage mixes stored values times the scale.
  BankData q = bank;
  q.info.storage = StorageType::kInt16;
  q.info.scale = 0.5f;
  for (float v : bank.f32) q.i16.push_back(int16_t(std::lround(v * 2)));
  mixNeighbours(q, neighbours(info, {0.0, 0.0, 0.0, -1.0}), &out);
  EXPECT_EQ(out, 0.5f * q.i16[info.flatIndex({1, 1, 0, 0})]);
}

TEST(Interpolate, FromNormalised) {
  const BankInfo info = grid3322();
  const auto z = fromNormalised(info, {-1.0f, 1.0f, 0.0f, 0.5f});
  EXPECT_EQ(z[0], -2.0);
  EXPECT_EQ(z[1], 3.0);
  EXPECT_EQ(z[2], 0.5);
  EXPECT_EQ(z[3], 0.5);
}

}  // namespace
}  // namespace wae::bank

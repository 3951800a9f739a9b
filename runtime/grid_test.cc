#include "runtime/grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "runtime/test_banks.h"

namespace wae::runtime {
namespace {

bank::BankInfo unevenInfo() {
  testing::SineBankSpec spec;
  spec.shape = {3, 4, 2, 5};
  spec.length = 4;
  spec.unevenAxes = true;
  return testing::sineBank(spec).info;
}

TEST(Grid, GridPointsGetWeightExactlyOne) {
  const bank::BankInfo info = unevenInfo();
  const GridLocator grid(info);
  for (int i0 = 0; i0 < 3; ++i0)
    for (int i1 = 0; i1 < 4; ++i1)
      for (int i2 = 0; i2 < 2; ++i2)
        for (int i3 = 0; i3 < 5; ++i3) {
          const Point p{grid.normalisedCoordinate(0, i0), grid.normalisedCoordinate(1, i1),
                        grid.normalisedCoordinate(2, i2), grid.normalisedCoordinate(3, i3)};
          const GridCell cell = grid.locate(p);
          uint32_t index[16];
          float weight[16];
          ASSERT_EQ(nonZeroCorners(cell, index, weight), 1);
          EXPECT_EQ(weight[0], 1.0f);
          EXPECT_EQ(index[0], info.flatIndex({i0, i1, i2, i3}));
        }
}

TEST(Grid, EndsAreMinusOneAndOne) {
  const GridLocator grid(unevenInfo());
  EXPECT_EQ(grid.normalisedCoordinate(1, 0), -1.0f);
  EXPECT_EQ(grid.normalisedCoordinate(1, 3), 1.0f);
  const GridCell cell = grid.locate({1, 1, 1, 1});
  EXPECT_EQ(cell.weight[15], 1.0f);
  EXPECT_EQ(cell.flatIndex[15], 3u * 4 * 2 * 5 - 1);
}

TEST(Grid, OffGridWeightsFollowAxisCoordinates) {
  const bank::BankInfo info = unevenInfo();
  const GridLocator grid(info);
  const Point p{0.1f, -0.77f, 0.3f, 0.9f};
  const GridCell cell = grid.locate(p);
  // Independent computation in axis coordinates: x = lo + (u + 1) / 2 * (hi - lo).
  std::array<int, 4> lower{};
  std::array<double, 4> t{};
  for (int a = 0; a < 4; ++a) {
    const auto& axis = info.axes[a];
    const double x = axis.front() + (p[a] + 1.0) / 2.0 * (axis.back() - axis.front());
    int j = 0;
    while (j + 2 < int(axis.size()) && axis[j + 1] <= x) ++j;
    lower[a] = j;
    t[a] = (x - axis[j]) / (axis[j + 1] - axis[j]);
  }
  double sum = 0;
  for (int c = 0; c < 16; ++c) {
    std::array<int, 4> idx{};
    double w = 1;
    for (int a = 0; a < 4; ++a) {
      const bool hi = (c >> (3 - a)) & 1;
      idx[a] = lower[a] + hi;
      w *= hi ? t[a] : 1 - t[a];
    }
    EXPECT_EQ(cell.flatIndex[c], info.flatIndex(idx)) << "corner " << c;
    EXPECT_NEAR(cell.weight[c], w, 1e-6) << "corner " << c;
    sum += cell.weight[c];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
}

// Curved weights: the same corners as nonZeroCorners; exponent 1 gives its weights to the bit;
// exponent 2 at t = 0.25 on one axis (the others on grid points) weighs the corners 0.9 and
// 0.1 (0.0625 / (0.0625 + 0.5625)); half way stays half; on every axis at once the weights
// are the products of the axes' curved positions and sum to 1.
TEST(Grid, CurvedCornersDrawTowardsTheNearerGridPoint) {
  const bank::BankInfo info = unevenInfo();
  const GridLocator grid(info);
  const auto between = [&](int axis, int index, double t) {
    const float lo = grid.normalisedCoordinate(axis, index);
    const float hi = grid.normalisedCoordinate(axis, index + 1);
    return float(lo + t * (double(hi) - lo));
  };
  uint32_t index[16];
  float weight[16], curved[16];
  Point p{grid.normalisedCoordinate(0, 1), between(1, 2, 0.25), grid.normalisedCoordinate(2, 0),
          grid.normalisedCoordinate(3, 3)};
  GridCell cell = grid.locate(p);
  ASSERT_EQ(nonZeroCorners(cell, index, weight), 2);
  ASSERT_EQ(curvedCorners(cell, 1.0, curved), 2);
  EXPECT_EQ(curved[0], weight[0]);
  EXPECT_EQ(curved[1], weight[1]);
  const double t = cell.fraction[1];
  const double up = t * t, down = (1 - t) * (1 - t);
  ASSERT_EQ(curvedCorners(cell, 2.0, curved), 2);
  EXPECT_NEAR(curved[1], up / (up + down), 1e-7);
  EXPECT_NEAR(curved[1], 0.1, 1e-5);  // t is 0.25 to float rounding
  EXPECT_NEAR(curved[0] + curved[1], 1.0, 1e-7);
  p[1] = between(1, 2, 0.5);
  cell = grid.locate(p);
  ASSERT_EQ(curvedCorners(cell, 3.0, curved), 2);
  EXPECT_NEAR(curved[0], 0.5, 1e-6);
  EXPECT_NEAR(curved[1], 0.5, 1e-6);

  const Point q{0.1f, -0.77f, 0.3f, 0.9f};
  cell = grid.locate(q);
  ASSERT_EQ(nonZeroCorners(cell, index, weight), 16);
  ASSERT_EQ(curvedCorners(cell, 1.5, curved), 16);
  double sum = 0;
  for (int c = 0; c < 16; ++c) {
    double want = 1;
    for (int a = 0; a < 4; ++a) {
      const double u = std::pow(cell.fraction[a], 1.5), d = std::pow(1 - cell.fraction[a], 1.5);
      want *= (c >> (3 - a)) & 1 ? u / (u + d) : d / (u + d);
    }
    EXPECT_NEAR(curved[c], want, 1e-7) << "corner " << c;
    sum += curved[c];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
}

// Kuhn's simplex: a chain of corners from the lower one, each setting one more axis's bit,
// whose weights reproduce the point's fraction on every axis, as the 16 corners' do.
TEST(Grid, SimplexCornersReproduceThePointWithFive) {
  const bank::BankInfo info = unevenInfo();
  const GridLocator grid(info);
  const auto cornerOf = [](const GridCell& cell, uint32_t flat) {
    for (int c = 0; c < 16; ++c)
      if (cell.flatIndex[size_t(c)] == flat) return c;
    return -1;
  };
  uint32_t index[16];
  float weight[16], curved[16];
  GridCell cell = grid.locate({0.1f, -0.77f, 0.3f, 0.9f});
  ASSERT_EQ(simplexCorners(cell, 1.5, index, weight, curved), 5);
  std::array<double, 4> at{}, atCurved{};
  double sum = 0, sumCurved = 0;
  int previous = -1;
  for (int v = 0; v < 5; ++v) {
    const int c = cornerOf(cell, index[v]);
    ASSERT_GE(c, 0) << "vertex " << v;
    // Each vertex adds exactly one bit to the one before it.
    if (previous >= 0) {
      EXPECT_EQ(c & previous, previous) << "vertex " << v;
      EXPECT_EQ(__builtin_popcount(unsigned(c ^ previous)), 1) << "vertex " << v;
    } else {
      EXPECT_EQ(c, 0);
    }
    previous = c;
    EXPECT_GT(weight[v], 0.0f);
    for (int a = 0; a < 4; ++a) {
      if ((c >> (3 - a)) & 1) {
        at[size_t(a)] += weight[v];
        atCurved[size_t(a)] += curved[v];
      }
    }
    sum += weight[v];
    sumCurved += curved[v];
  }
  EXPECT_EQ(previous, 15);
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_NEAR(sumCurved, 1.0, 1e-6);
  for (int a = 0; a < 4; ++a) {
    const double t = cell.fraction[size_t(a)];
    const double u = std::pow(t, 1.5), d = std::pow(1 - t, 1.5);
    EXPECT_NEAR(at[size_t(a)], t, 1e-6) << "axis " << a;
    EXPECT_NEAR(atCurved[size_t(a)], u / (u + d), 1e-6) << "axis " << a;
  }
  // With exponent 1 the curved weights are the weights.
  float again[16];
  ASSERT_EQ(simplexCorners(cell, 1.0, index, weight, again), 5);
  for (int v = 0; v < 5; ++v) EXPECT_EQ(again[v], weight[v]);

  // On a grid point: that point alone.
  cell = grid.locate({grid.normalisedCoordinate(0, 1), grid.normalisedCoordinate(1, 2),
                      grid.normalisedCoordinate(2, 0), grid.normalisedCoordinate(3, 3)});
  ASSERT_EQ(simplexCorners(cell, 1.5, index, weight, curved), 1);
  EXPECT_EQ(index[0], info.flatIndex({1, 2, 0, 3}));
  EXPECT_EQ(weight[0], 1.0f);
  EXPECT_EQ(curved[0], 1.0f);

  // Two axes at one fraction: their two steps make one, so four corners.
  const auto between = [&](int axis, int i, double t) {
    const float lo = grid.normalisedCoordinate(axis, i);
    const float hi = grid.normalisedCoordinate(axis, i + 1);
    return float(lo + t * (double(hi) - lo));
  };
  cell = grid.locate({between(0, 0, 0.5), between(1, 1, 0.25), between(2, 0, 0.75),
                      between(3, 2, 0.75)});
  ASSERT_EQ(cell.fraction[2], cell.fraction[3]);
  ASSERT_EQ(simplexCorners(cell, 1.0, index, weight, curved), 4);
  // Axes 2 and 3 first (0.75), then 0 (0.5), then 1 (0.25).
  EXPECT_EQ(cornerOf(cell, index[1]), 0b0010 | 0b0001);
  EXPECT_EQ(cornerOf(cell, index[2]), 0b1011);
  EXPECT_EQ(cornerOf(cell, index[3]), 0b1111);
}

TEST(Grid, NearestCornerGoesUpFromHalfway) {
  const bank::BankInfo info = unevenInfo();
  const GridLocator grid(info);
  // Each axis on its own, in the middle cell of axis 2 (4 points): just below, at and above
  // half way between grid indices 1 and 2.
  const float lo = grid.normalisedCoordinate(1, 1), hi = grid.normalisedCoordinate(1, 2);
  const float a0 = grid.normalisedCoordinate(0, 0), a2 = grid.normalisedCoordinate(2, 0);
  const float a3 = grid.normalisedCoordinate(3, 4);
  auto at = [&](double t) { return Point{a0, float(lo + t * (hi - lo)), a2, a3}; };
  GridCell cell = grid.locate(at(0.4));
  EXPECT_EQ(cell.flatIndex[nearestCorner(cell)], info.flatIndex({0, 1, 0, 4}));
  cell = grid.locate(at(0.6));
  EXPECT_EQ(cell.flatIndex[nearestCorner(cell)], info.flatIndex({0, 2, 0, 4}));
  // Exactly half way goes up, as documented.
  cell.fraction = {0.0, 0.5, 0.0, 1.0};
  EXPECT_EQ(nearestCorner(cell), 0b0101);
  // Every axis at once: corner bit (3 - a) means upper on axis a.
  cell.fraction = {0.7, 0.2, 0.5, 0.49};
  EXPECT_EQ(nearestCorner(cell), 0b1010);
  cell.fraction = {0.0, 0.0, 0.0, 0.0};
  EXPECT_EQ(nearestCorner(cell), 0);
  cell.fraction = {1.0, 1.0, 1.0, 1.0};
  EXPECT_EQ(nearestCorner(cell), 15);
  // A grid point's nearest corner is the one corner with weight 1.
  const Point g{grid.normalisedCoordinate(0, 2), grid.normalisedCoordinate(1, 3),
                grid.normalisedCoordinate(2, 1), grid.normalisedCoordinate(3, 2)};
  cell = grid.locate(g);
  EXPECT_EQ(cell.weight[nearestCorner(cell)], 1.0f);
  EXPECT_EQ(cell.flatIndex[nearestCorner(cell)], info.flatIndex({2, 3, 1, 2}));
}

TEST(Grid, ClampPoint) {
  Point inside{0, -1, 1, 0.5f};
  EXPECT_EQ(clampPoint(inside), PointCheck::kInside);
  Point outside{1.5f, -3, 0, 0};
  EXPECT_EQ(clampPoint(outside), PointCheck::kClamped);
  EXPECT_EQ(outside[0], 1.0f);
  EXPECT_EQ(outside[1], -1.0f);
  Point nan{0, std::numeric_limits<float>::quiet_NaN(), 0, 0};
  EXPECT_EQ(clampPoint(nan), PointCheck::kNotFinite);
  Point inf{0, 0, 0, -std::numeric_limits<float>::infinity()};
  EXPECT_EQ(clampPoint(inf), PointCheck::kNotFinite);
}

TEST(Grid, RefusesBadAxes) {
  bank::BankInfo info = unevenInfo();
  info.axes[2] = {0.0, 0.0};
  try {
    GridLocator g(info);
    FAIL() << "accepted a constant axis";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("axis 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("strictly increasing"), std::string::npos) << e.what();
  }
  info = unevenInfo();
  info.axes[0].pop_back();
  EXPECT_THROW(GridLocator{info}, std::invalid_argument);
}

}  // namespace
}  // namespace wae::runtime

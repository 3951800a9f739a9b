// Where a latent point falls in a bank's 4-D grid: the 16 surrounding grid points and their
// quadrilinear weights.
//
// Coordinates: a point is given in normalised coordinates, -1..1 per axis, -1 meaning the
// axis's first grid coordinate and 1 its last (docs/DESIGN.md, "The external"). The grid's own
// coordinates may be unevenly spaced; they are mapped to normalised coordinates once, in
// float, with the ends pinned to exactly -1 and 1. A point equal to a grid point's
// normalised coordinate (as a float) therefore gets weight exactly 1 on that grid point and
// exactly 0 on every other: the engine then plays that waveform sample for sample.
//
// Threads: build a GridLocator off the audio thread (it allocates); locate() and clampPoint()
// are noexcept, allocate nothing and may run on the audio thread.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "bank/bank_data.h"
#include "runtime/config.h"

namespace wae::runtime {

using Point = std::array<float, config::kDims>;

enum class PointCheck {
  kInside,     // finite and within -1..1 on every axis
  kClamped,    // finite, but outside -1..1 on some axis: clamped onto the grid's boundary
  kNotFinite,  // NaN or infinite on some axis: unusable, left as is
};

// Checks a point and clamps it to -1..1 in place (unless it is not finite).
PointCheck clampPoint(Point& point) noexcept;

// The 16 corners of the grid cell around a point. Corner c (0..15) takes the upper grid
// point on axis a when bit (3 - a) of c is set, so corner 0 is the lower corner on every
// axis and axis 4 varies fastest, as in BankInfo::flatIndex.
struct GridCell {
  std::array<uint32_t, config::kMaxTaps> flatIndex{};  // BankInfo::flatIndex of each corner
  std::array<float, config::kMaxTaps> weight{};        // sum to 1 (within float rounding)
  std::array<int, config::kDims> lower{};              // lower grid index per axis
  std::array<double, config::kDims> fraction{};        // 0..1 position inside the cell
};

class GridLocator {
 public:
  GridLocator() = default;
  // Throws std::invalid_argument if an axis has fewer than 2 points, is not strictly
  // increasing or does not match gridShape.
  explicit GridLocator(const bank::BankInfo& info);

  // `point` must be finite and within -1..1 (see clampPoint).
  GridCell locate(const Point& point) const noexcept;

  // The normalised coordinate of grid index `index` on `axis` (exactly -1 for the first,
  // exactly 1 for the last): the float a caller passes to hit that grid point.
  float normalisedCoordinate(int axis, int index) const { return normalised_[axis].at(index); }
  const std::array<int, config::kDims>& shape() const noexcept { return shape_; }

 private:
  std::array<int, config::kDims> shape_{};
  std::array<std::vector<float>, config::kDims> normalised_;
};

// Keeps the corners whose weight is not zero, in corner order; returns how many (1, 2, 4, 8
// or 16 for a cell from locate()).
int nonZeroCorners(const GridCell& cell, uint32_t* flatIndex, float* weight) noexcept;

// The weights of the corners nonZeroCorners keeps (the same corners, in the same order), with
// each axis's position t inside the cell curved to t^e / (t^e + (1 - t)^e), e = `exponent`
// (>= 1; a bank's blend exponent, bank::BankInfo::blendExponent): the point's weight drawn
// towards its nearer grid point on each axis, all the more as e grows, still 0 and 1 at the
// cell's ends and 1/2 half way, and summing to 1. e = 1 gives nonZeroCorners' weights. Writes
// `weight`, returns how many.
int curvedCorners(const GridCell& cell, double exponent, float* weight) noexcept;

// The corners of the simplex around the point in Kuhn's triangulation of its cell (the axes
// taken in decreasing order of the point's fraction on them, ties in axis order: from the
// lower corner, each step sets the next axis's bit), with their barycentric weights, which
// reproduce the point exactly as the 16 corners' do: at most 5 corners instead of 16, in
// the order of that walk. `weight` gets the weights from the fractions themselves, `curved`
// those from each fraction curved as curvedCorners curves it (the same corners: the curve
// keeps the order and the ties). Corners of weight zero are left out; returns how many
// (1 to 5). An evaluation's alternative to the cell's 16 corners (evaluate_bank
// --corners simplex; docs/BANK.md, "Fewer corners"), not what the engine plays.
int simplexCorners(const GridCell& cell, double exponent, uint32_t* flatIndex, float* weight,
                   float* curved) noexcept;

// The corner whose grid point is nearest the point, per axis: the upper end when
// fraction >= 0.5 (a point halfway goes up). For nearest-grid-point playback, where
// blending waveforms with unrelated phases would comb-filter.
int nearestCorner(const GridCell& cell) noexcept;

}  // namespace wae::runtime

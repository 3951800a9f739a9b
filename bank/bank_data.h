// A waveform bank in memory: what bank/'s reader returns and the runtime plays. The file
// format (bank.h5) is defined by bank/schema.h; this header has no HDF5 and no LibTorch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wae::bank {

inline constexpr int kDims = 4;  // the latent grid is always 4-D

enum class StorageType { kFloat32, kInt16 };

struct BankInfo {
  std::array<int, kDims> gridShape{};           // G1..G4, each >= 2
  std::array<std::vector<double>, kDims> axes;  // coordinates per axis, strictly increasing
  int sampleRate = 0;                           // Hz
  int length = 0;                               // samples per waveform
  StorageType storage = StorageType::kFloat32;
  // int16: sample = stored * scale (with pointScale: the largest point's scale).
  float scale = 1.0f;
  std::string modelSha256;  // of the generative.pt it was baked from
  std::string createdBy;
  std::string createdAt;  // ISO 8601, UTC
  // Format version 3: each point's sound is kept in two parts, harmonic and noise (an hpn
  // inverter's), stored as two rows per point (rowCount()); false: one waveform per point.
  bool noisePart = false;
  // Format version 4 (int16 only): each point's own scale, pointCount() values in flatIndex
  // order, for its part or parts: sample = stored * pointScale[p]. A quiet point keeps all
  // 16 bits instead of the loudest point's steps. Empty: `scale` for every point.
  std::vector<float> pointScale;
  // attr::kLevelBlend "db": a blend of corners plays at the weights' mean of their levels in
  // dB (runtime/level.h); false ("linear", or absent): at the weighted sum's own level.
  bool levelInDb = false;
  // attr::kBlendExponent: a blend mixes its corners with each axis's position t inside the cell
  // curved to t^e / (t^e + (1 - t)^e) (runtime::curvedCorners), drawn towards the nearer grid
  // point; its pitch and its level keep the straight weights. 1: the grid's weights as they are.
  double blendExponent = 1.0;

  float scaleOf(size_t point) const { return pointScale.empty() ? scale : pointScale[point]; }
  size_t pointCount() const {
    return size_t(gridShape[0]) * gridShape[1] * gridShape[2] * gridShape[3];
  }
  // Waveform rows: pointCount(), and as many again for the noise parts of a bank that has
  // them (the noise part of point p is row pointCount() + p).
  size_t rowCount() const { return pointCount() * (noisePart ? 2 : 1); }
  // Row-major grid index: axis 1 varies slowest, axis 4 fastest.
  size_t flatIndex(const std::array<int, kDims>& i) const {
    return ((size_t(i[0]) * gridShape[1] + i[1]) * gridShape[2] + i[2]) * gridShape[3] + i[3];
  }
};

// The dataset's sounds projected on the bank's 4 axes, for the patch to draw (optional).
struct Projections {
  std::vector<std::array<float, kDims>> points;  // in axis coordinates (not normalised)
  std::vector<int> family;                       // NSynth instrument family per point
  std::vector<std::string> familyNames;          // index -> name
};

struct BankData {
  BankInfo info;
  // Waveforms, info.rowCount() x length, point-major in flatIndex order: every point's
  // waveform (its harmonic part in a bank with a noise part), then, in such a bank, every
  // point's noise part. Exactly one of the two is filled, by info.storage; an int16 bank's
  // two parts of a point share its scale (info.scaleOf).
  std::vector<float> f32;
  std::vector<int16_t> i16;
  Projections projections;  // empty when the bank carries none
  // Each grid point's fundamental in Hz (0: unpitched), pointCount() values in flatIndex
  // order; empty for a bank without pitch (format version 1).
  std::vector<float> f0Hz;
  std::string f0Source;  // where f0Hz came from ("model", "estimated", "analytic"); empty if none
  // Set by bank::readBank: every waveform chunk carried HDF5's Fletcher-32 checksum, which
  // HDF5 verified as it read it (a bank written before version 2's checksums has none).
  bool waveformChecksums = false;
};

}  // namespace wae::bank

// Writing bank.h5 (bank/schema.h). No LibTorch. Thread: one thread per writer.
#pragma once

#include <H5Cpp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bank/bank_data.h"
#include "bank/bank_h5.h"
#include "bank/schema.h"

namespace wae::bank {

// The int16 scale for a bank whose largest |sample| is maxAbs: maxAbs / 32767 (1 / 32767
// for a silent bank), so the loudest sample maps to ±32767.
float int16Scale(float maxAbs);
// round-to-nearest-even(x / scale), clamped to ±32767. Clamped before it is rounded (the
// same result, the bounds being integers), so that adding and taking off 1.5 * 2^23 rounds
// exactly as std::nearbyint does: inline and without a library call (std::nearbyint per
// sample was a third of finishing a bank). Over many samples: the array forms below.
inline int16_t quantizeInt16(float x, float scale) {
  const float v = std::clamp(x / scale, -float(kInt16Max), float(kInt16Max));
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: from 2^23 to 2^24 floats are integers
  return static_cast<int16_t>((v + kRound) - kRound);
}
// The stored noise part of a sample of a bank with noise parts, whose harmonic part is stored
// as quantizeInt16(harmonic, scale): it carries the harmonic part's rounding, so that the two
// stored parts sum to quantizeInt16(harmonic + noise, scale), the whole sample as an int16
// bank of whole waveforms stores it (clamped to ±32767, which the sum's scale, over the
// parts and their sum, leaves only at the ends of the range).
inline int16_t quantizeInt16Noise(float harmonic, float noise, float scale) {
  const int q = quantizeInt16(harmonic + noise, scale) - quantizeInt16(harmonic, scale);
  return static_cast<int16_t>(std::clamp(q, -kInt16Max, kInt16Max));
}
// out[k] = quantizeInt16(x[k], scale) and quantizeInt16Noise(harmonic[k], noise[k], scale),
// k < n, the same values four samples at a time where SSE2 is there (x86-64's baseline: the
// compiler leaves the scalar loops one sample at a time, for the clamps' rule on NaN). Finite
// samples only (a bake's finish refuses others first).
void quantizeInt16(const float* x, size_t n, float scale, int16_t* out);
void quantizeInt16Noise(const float* harmonic, const float* noise, size_t n, float scale,
                        int16_t* out);
// The most |x - stored * scale| can be for |x| <= maxAbs: half a step, plus float rounding
// of the division and of the product (an ulp of maxAbs).
inline float int16ErrorBound(float scale, float maxAbs) {
  return 0.5f * scale + maxAbs * 1.1920929e-7f;
}

// "2024-05-01T12:34:56Z"
std::string utcNow();

class BankWriter {
 public:
  struct Layout {
    size_t rows = 0;  // waveform rows; 0: one per grid point
    // A bake's work file: every chunk placed at creation and never filled, so that later
    // writes change only raw data and a killed process cannot leave the file's structure
    // half written; and HDF5's 1.8 file format (superblock 2), which a reopen after a kill
    // accepts. A finished bank uses the 1.10 format (superblock 3), whose metadata,
    // chunk index included, all carry checksums, and whose waveform chunks carry HDF5's
    // Fletcher-32 checksum filter.
    bool workFile = false;
    // Also a /noise dataset of the same rows: a work file's for a bake with a noise part (a
    // finished bank has one when meta.info.noisePart says so).
    bool noise = false;
  };

  // Creates `path`, replacing any file there, with `meta` and an unwritten /waveforms
  // [rows, length] of meta.info.storage, chunked one waveform per chunk (and /noise alike for
  // a bank with a noise part). Callers make it
  // atomic (write to a temporary path, rename when complete).
  BankWriter(const std::string& path, const BankMeta& meta);
  BankWriter(const std::string& path, const BankMeta& meta, const Layout& layout);

  // Writes rows [firstRow, firstRow + count): count * length samples, row-major. For int16
  // storage each row is quantized with its point's scale, meta.info.scaleOf(row).
  void write(size_t firstRow, size_t count, const float* samples);
  // The same for /noise (a bank with a noise part only). With `harmonic` (the same rows'
  // harmonic parts, as written by write()), an int16 noise part is stored by
  // quantizeInt16Noise, so that each stored sum is the whole sample rounded once.
  void writeNoise(size_t firstRow, size_t count, const float* samples,
                  const float* harmonic = nullptr);
  void flush();
  void close();

  H5::H5File& file() { return file_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  BankInfo info_;
  size_t rows_;
  H5::H5File file_;
  H5::DataSet waveforms_;
  H5::DataSet noise_;  // open when the bank has a noise part
  bool hasNoise_ = false;
  std::vector<int16_t> quantized_;  // writeRows' int16 samples

  void writeRows(H5::DataSet& d, const char* name, size_t firstRow, size_t count,
                 const float* samples, const float* harmonic);
};

// A whole bank from memory, written atomically (tests and small tools).
void writeBank(const std::string& path, const BankData& bank,
               const std::optional<AudioSettings>& audio = std::nullopt);

}  // namespace wae::bank

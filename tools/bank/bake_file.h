// A bake in progress, and turning finished bakes into a bank.
//
// bake_bank writes `<out>.partial` (or, for a shard, its own file): the bank's layout for a
// contiguous slice of the grid, float32 samples, a done flag per point and the work-file
// attributes of bank/schema.h. Killed at any moment, the file stays readable and every
// point marked done has its samples in it, so a bake resumes where it stopped. Finishing
// turns one such file, or the shards of one bake, into the bank; the result does not depend
// on how the grid was split or how often the bake was interrupted.
//
// Thread: one thread per object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bank/bank_h5.h"
#include "bank/grid.h"

namespace wae::bank {

class BakeFile {
 public:
  // Creates a work file for `slice` of meta's grid at `path`, replacing any file there.
  // meta.info.storage is the finished bank's storage; the work file holds float32. A
  // non-empty meta.f0Source makes a bake with pitch: every point's f0 is written with its
  // samples and the finished bank is version 2 with that f0_source (meta.f0Hz is ignored).
  // meta.info.noisePart (which needs pitch) makes a bake of two parts: every point's noise
  // part is written with its harmonic part, and the finished bank is version 3.
  static BakeFile create(const std::string& path, const BankMeta& meta, const Slice& slice);
  // Reopens a work file to continue it. Throws wae::FormatError if it is not a work file of
  // the same bake (model hash, grid, axes, length, sample rate, storage, slice), naming the
  // field and both values.
  static BakeFile resume(const std::string& path, const BankMeta& meta, const Slice& slice);
  // Opens a work file read-only (merging, finishing).
  static BakeFile open(const std::string& path);

  BakeFile(BakeFile&&) noexcept;
  BakeFile& operator=(BakeFile&&) noexcept;
  ~BakeFile();

  const std::string& path() const;
  const BankMeta& meta() const;  // the finished bank's metadata
  const Slice& slice() const;
  const std::vector<uint8_t>& done() const;  // per point of the slice
  size_t doneCount() const;

  bool hasF0() const;     // a bake with pitch (meta().f0Source not empty)
  bool hasNoise() const;  // a bake of two parts (meta().info.noisePart)

  // Writes the samples of grid points [first, first + count) (flat indices inside the
  // slice), in a bake with pitch their f0 (count floats, Hz), in a bake of two parts their
  // noise parts (`samples` then being the harmonic parts) (each required then, ignored
  // otherwise), and their peaks (readPeaks), flushes, then marks them done and flushes again.
  void writeDone(size_t first, size_t count, const float* samples, const float* f0Hz = nullptr,
                 const float* noise = nullptr);
  // Reads grid points [first, first + count) into out (count * length floats): their
  // waveforms, or with `noise` their noise parts (a bake of two parts only).
  void read(size_t first, size_t count, float* out, bool noise = false) const;
  // Reads their f0 (count floats). Throws std::logic_error in a bake without pitch.
  void readF0(size_t first, size_t count, float* out) const;
  // Whether the file records each point's peak (work::kPeak; every file this build
  // creates), and the peaks of grid points [first, first + count): the largest |sample| over
  // the part(s) and, in a bake of two parts, their sum. Throws std::logic_error without.
  bool hasPeaks() const;
  void readPeaks(size_t first, size_t count, float* out) const;
  void close();

 private:
  struct Impl;
  explicit BakeFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Empty if a and b describe the same bake; otherwise "<field>: <a's> vs <b's>" for the
// first difference (creation time and tool are not compared).
std::string bakeDifference(const BankMeta& a, const BankMeta& b);

// A point's largest |sample| over its part (noise null) or its two parts and their sum: what
// its int16 scale must cover (quantizeInt16Noise); NaN if a sample is not finite. The
// finish's own measure, vectorised, for tools that round points as a bake does.
float pointPeak(const float* harmonic, const float* noise, size_t n);

// Writes the finished bank `outPath` from complete work files: one bake's, or all shards of
// one bake in any order. Checks that they belong to one bake and cover every grid point
// once; an int16 bank gets each point's own scale (format 4), over both parts of a bake of
// two parts, from the recorded peaks, checking every sample against them while writing; a
// float32 bake with pitch gives a version 2 bank (3 with a noise part); /f0 is the work files' f0
// (refused, naming the file and point, outside 0..Nyquist). Writes `tempPath` and renames it onto
// `outPath`. createdAt: the finished bank's creation time. The work files are read in blocks
// of about blockBytes of float samples per part (tests pass small blocks).
void finishBank(const std::vector<std::string>& workFiles, const std::string& outPath,
                const std::string& tempPath, const std::string& createdAt,
                size_t blockBytes = size_t(16) << 20);

}  // namespace wae::bank

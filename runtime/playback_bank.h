// A bank ready for playback: every waveform at the host's sample rate, in one contiguous
// block, with the grid locator the engine needs to place a point.
//
// Storage: the bank's own sample type is kept (float32, or int16 with a scale). The engine's
// mix is templated on the sample type, so no conversion is needed at load; int16 halves the
// memory and the memory traffic of the mix, which is what bounds it with many voices
// (runtime/README.md has the measurements). When the bank is resampled, an int16 bank is
// quantised again after conversion, with its scale (each point's, in a bank of format 4)
// widened if the filter's overshoot needs it.
//
// Threads: make() runs on a loader thread (it allocates, resamples and may throw); the
// finished object is read-only, so the audio thread reads it without synchronisation once it
// has been handed over (Engine::installBank). It is freed off the audio thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bank/bank_data.h"
#include "runtime/grid.h"
#include "runtime/huge_array.h"

namespace wae::runtime {

class PlaybackBank {
 public:
  struct Options {
    int hostSampleRate = 48000;  // Hz; the bank is resampled if its rate differs
    // Threads for resampling, the calling thread among them (each runs its own converter).
    int threads = 1;
  };

  // Checks `data` (grid, axes, sizes, rate, storage) and resamples it if needed. Throws
  // std::invalid_argument naming the field, what was found and what was expected, or
  // std::runtime_error if libsamplerate fails.
  static std::unique_ptr<PlaybackBank> make(bank::BankData data, const Options& options);

  ~PlaybackBank();
  PlaybackBank(const PlaybackBank&) = delete;
  PlaybackBank& operator=(const PlaybackBank&) = delete;

  // As played: sampleRate is the host's and length the resampled one.
  const bank::BankInfo& info() const noexcept { return info_; }
  int sourceSampleRate() const noexcept { return sourceSampleRate_; }
  bool resampled() const noexcept { return sourceSampleRate_ != info_.sampleRate; }
  bank::StorageType storage() const noexcept { return info_.storage; }
  // int16: a point's samples (both parts) = stored * scale(flatIndex): its own scale in a
  // bank of format 4, the bank's otherwise.
  float scale(size_t flatIndex) const noexcept { return info_.scaleOf(flatIndex); }
  int64_t length() const noexcept { return info_.length; }
  size_t pointCount() const noexcept { return pointCount_; }
  const GridLocator& grid() const noexcept { return grid_; }
  const bank::Projections& projections() const noexcept { return projections_; }
  // Per-point pitch (bank format version 2). Resampling to the host rate keeps pitch, so
  // these are the bank's own values. f0Hz() is valid only when hasPitch().
  bool hasPitch() const noexcept { return !f0Hz_.empty(); }
  float f0Hz(size_t flatIndex) const noexcept { return f0Hz_[flatIndex]; }
  const std::string& f0Source() const noexcept { return f0Source_; }
  // A bank with a noise part (format version 3): f32()/i16() of a point give its harmonic
  // part, and its noise part lies noiseOffset() samples further on (at the row
  // pointCount() + flatIndex); the point's sound is their sum. noiseOffset() is 0 without one.
  bool hasNoise() const noexcept { return info_.noisePart; }
  size_t noiseOffset() const noexcept {
    return info_.noisePart ? pointCount_ * size_t(info_.length) : 0;
  }

  // First sample of waveform row `flatIndex` (a point's, or pointCount() + a point's for its
  // noise part); only the accessor of the bank's storage type is valid (the other returns
  // null).
  const float* f32(size_t flatIndex) const noexcept {
    return f32_.empty() ? nullptr : f32_.data() + flatIndex * size_t(info_.length);
  }
  const int16_t* i16(size_t flatIndex) const noexcept {
    return i16_.empty() ? nullptr : i16_.data() + flatIndex * size_t(info_.length);
  }
  // Whether blends set their level in dB (bank::BankInfo::levelInDb), and then the level of
  // waveform row `row` as played (runtime/level.h, waveformLevel): a point's (its harmonic
  // part's, with a noise part), or at pointCount() + a point its noise part's.
  bool levelInDb() const noexcept { return !level_.empty(); }
  // The exponent of a blend's mix weights (bank::BankInfo::blendExponent; runtime::curvedCorners).
  double blendExponent() const noexcept { return info_.blendExponent; }
  float level(size_t row) const noexcept { return level_[row]; }
  // Waveform `flatIndex` as float, or with `noise` its noise part (a copy, for tests and
  // tools).
  std::vector<float> waveform(size_t flatIndex, bool noise = false) const;

  // Bytes held: samples (as allocated, rounded up to 2 MiB), axes and projections.
  size_t memoryBytes() const noexcept;
  // Whether the samples sit in memory advised for transparent huge pages (see huge_array.h).
  bool hugePages() const noexcept { return f32_.empty() ? i16_.hugePages() : f32_.hugePages(); }

  // Banks alive in this process (to check that retired banks are freed).
  static int liveInstances() noexcept { return liveInstances_.load(); }

 private:
  PlaybackBank() { liveInstances_.fetch_add(1); }
  void measureLevels(int threads);

  bank::BankInfo info_;
  int sourceSampleRate_ = 0;
  size_t pointCount_ = 0;
  HugeArray<float> f32_;
  HugeArray<int16_t> i16_;
  GridLocator grid_;
  bank::Projections projections_;
  std::vector<float> f0Hz_;
  std::vector<float> level_;  // per waveform row
  std::string f0Source_;
  static std::atomic<int> liveInstances_;
};

}  // namespace wae::runtime

#include "runtime/playback_bank.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "common/parallel_for.h"
#include "runtime/level.h"
#include "runtime/resample.h"

namespace wae::runtime {

std::atomic<int> PlaybackBank::liveInstances_{0};

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& found,
                      const std::string& expected) {
  throw std::invalid_argument("bank: " + field + ": found " + found + ", expected " + expected);
}

void check(const bank::BankData& data) {
  const bank::BankInfo& info = data.info;
  for (int a = 0; a < bank::kDims; ++a) {
    if (info.gridShape[a] < 2) {
      bad("grid_shape[" + std::to_string(a) + "]", std::to_string(info.gridShape[a]), ">= 2");
    }
  }
  // The engine addresses samples with 32-bit offsets (4 Gi samples: 8 GiB as int16), the
  // noise parts' included.
  if (info.length > 0 && info.rowCount() > size_t(UINT32_MAX) / size_t(info.length)) {
    bad("samples (waveforms x length)",
        std::to_string(info.rowCount()) + " x " + std::to_string(info.length), "< 2^32");
  }
  if (info.sampleRate <= 0) bad("sample_rate", std::to_string(info.sampleRate), "> 0");
  if (info.length <= 0) bad("length", std::to_string(info.length), "> 0");
  const size_t expected = info.rowCount() * size_t(info.length);
  const bool isF32 = info.storage == bank::StorageType::kFloat32;
  const size_t found = isF32 ? data.f32.size() : data.i16.size();
  const size_t other = isF32 ? data.i16.size() : data.f32.size();
  const std::string kind = isF32 ? "float32" : "int16";
  if (found != expected) {
    bad(kind + " samples", std::to_string(found),
        std::to_string(expected) + (info.noisePart
                                        ? " (points x length, twice: harmonic and noise parts)"
                                        : " (points x length)"));
  }
  if (other != 0) {
    bad(std::string(isF32 ? "int16" : "float32") + " samples", std::to_string(other),
        "0 for a " + kind + " bank");
  }
  if (info.noisePart && data.f0Hz.empty()) {
    bad("f0", "none", "one per grid point in a bank with a noise part");
  }
  if (!data.f0Hz.empty()) {
    if (data.f0Hz.size() != info.pointCount()) {
      bad("f0", std::to_string(data.f0Hz.size()) + " values",
          std::to_string(info.pointCount()) + " (one per grid point)");
    }
    for (size_t i = 0; i < data.f0Hz.size(); ++i) {
      const float f = data.f0Hz[i];
      if (!(std::isfinite(f) && f >= 0 && f < 0.5f * float(info.sampleRate))) {
        bad("f0 of point " + std::to_string(i), std::to_string(f),
            "0 (unpitched) or a frequency below Nyquist (" + std::to_string(info.sampleRate / 2) +
                " Hz)");
      }
    }
  }
  if (!isF32 && !(std::isfinite(info.scale) && info.scale > 0)) {
    bad("scale", std::to_string(info.scale), "finite and > 0 for an int16 bank");
  }
  if (!info.pointScale.empty()) {
    if (isF32 || info.pointScale.size() != info.pointCount()) {
      bad("point scales", std::to_string(info.pointScale.size()) + " values",
          isF32 ? "none for a float32 bank"
                : std::to_string(info.pointCount()) + " (one per grid point)");
    }
    for (size_t i = 0; i < info.pointScale.size(); ++i) {
      const float s = info.pointScale[i];
      if (!(std::isfinite(s) && s > 0)) {
        bad("scale of point " + std::to_string(i), std::to_string(s), "finite and > 0");
      }
    }
  }
  if (isF32) {
    const auto it =
        std::find_if(data.f32.begin(), data.f32.end(), [](float x) { return !std::isfinite(x); });
    if (it != data.f32.end()) {
      const size_t i = size_t(it - data.f32.begin());
      const size_t row = i / size_t(info.length);
      bad("sample " + std::to_string(i % size_t(info.length)) +
              (row < info.pointCount() ? " of point " : " of the noise part of point ") +
              std::to_string(row % info.pointCount()),
          std::to_string(*it), "finite");
    }
  }
}

}  // namespace

PlaybackBank::~PlaybackBank() { liveInstances_.fetch_sub(1); }

std::unique_ptr<PlaybackBank> PlaybackBank::make(bank::BankData data, const Options& options) {
  check(data);
  if (options.hostSampleRate <= 0) {
    bad("host sample rate", std::to_string(options.hostSampleRate), "> 0");
  }
  std::unique_ptr<PlaybackBank> bank(new PlaybackBank);
  bank->grid_ = GridLocator(data.info);
  bank->info_ = std::move(data.info);
  bank->projections_ = std::move(data.projections);
  bank->f0Hz_ = std::move(data.f0Hz);
  bank->f0Source_ = std::move(data.f0Source);
  bank->sourceSampleRate_ = bank->info_.sampleRate;
  bank->pointCount_ = bank->info_.pointCount();
  const size_t rows = bank->info_.rowCount();
  const int64_t inLength = bank->info_.length;
  const bool isF32 = bank->info_.storage == bank::StorageType::kFloat32;

  if (bank->info_.sampleRate == options.hostSampleRate) {
    // Copied (once, at load) into huge-page memory; see huge_array.h.
    bank->f32_ = HugeArray<float>(data.f32.data(), data.f32.size());
    bank->i16_ = HugeArray<int16_t>(data.i16.data(), data.i16.size());
    bank->measureLevels(options.threads);
    return bank;
  }

  const int64_t outLength =
      Resampler(bank->info_.sampleRate, options.hostSampleRate).outputFrames(inLength);
  if (outLength <= 0 || outLength > int64_t(INT32_MAX) ||
      rows > size_t(UINT32_MAX) / size_t(outLength)) {
    bad("resampled samples (waveforms x length)",
        std::to_string(rows) + " x " + std::to_string(outLength), "< 2^32");
  }
  HugeArray<float> out(rows * size_t(outLength));
  const bank::BankInfo& in = bank->info_;
  const size_t points = bank->pointCount_;
  parallelFor(rows, options.threads, [&](size_t first, size_t last) {
    Resampler resampler(in.sampleRate, options.hostSampleRate);
    std::vector<float> row(isF32 ? 0 : size_t(inLength));
    for (size_t p = first; p < last; ++p) {
      const float* src;
      if (isF32) {
        src = data.f32.data() + p * size_t(inLength);
      } else {
        const int16_t* s = data.i16.data() + p * size_t(inLength);
        const float scale = in.scaleOf(p % points);
        for (int64_t i = 0; i < inLength; ++i) row[size_t(i)] = float(s[i]) * scale;
        src = row.data();
      }
      resampler.convert(src, inLength, out.data() + p * size_t(outLength));
    }
  });
  data.f32 = {};
  data.i16 = {};  // the source is no longer needed: free it before the int16 copy

  if (isF32) {
    bank->f32_ = std::move(out);
  } else {
    // Requantized with each scale raised where resampling's overshoot needs it: one per
    // point (both parts) in a bank of per-point scales, the bank's otherwise.
    const bool perPoint = !in.pointScale.empty();
    const size_t length = size_t(outLength);
    std::vector<float> scale(perPoint ? in.pointScale : std::vector<float>{in.scale});
    auto scaleOfRow = [&](size_t r) -> float& { return scale[perPoint ? r % points : 0]; };
    for (size_t r = 0; r < rows; ++r) {
      float& s = scaleOfRow(r);
      for (size_t i = r * length; i < (r + 1) * length; ++i)
        s = std::max(s, std::fabs(out[i]) / 32767.0f);
    }
    bank->i16_ = HugeArray<int16_t>(out.size());
    for (size_t r = 0; r < rows; ++r) {
      const float s = scaleOfRow(r);
      for (size_t i = r * length; i < (r + 1) * length; ++i) {
        const float q = std::round(out[i] / s);
        bank->i16_[i] = int16_t(std::min(32767.0f, std::max(-32767.0f, q)));
      }
    }
    bank->info_.scale = *std::max_element(scale.begin(), scale.end());
    if (perPoint) bank->info_.pointScale = std::move(scale);
  }
  bank->info_.sampleRate = options.hostSampleRate;
  bank->info_.length = int(outLength);
  bank->measureLevels(options.threads);
  return bank;
}

void PlaybackBank::measureLevels(int threads) {
  if (!info_.levelInDb) return;
  const size_t rows = info_.rowCount();
  level_.assign(rows, 0.0f);
  parallelFor(rows, threads, [&](size_t first, size_t last) {
    for (size_t r = first; r < last; ++r) {
      const float s = scale(r % pointCount_);
      level_[r] = f32_.empty() ? waveformLevel(i16(r), info_.length, s)
                               : waveformLevel(f32(r), info_.length);
    }
  });
}

std::vector<float> PlaybackBank::waveform(size_t flatIndex, bool noise) const {
  std::vector<float> w(size_t(info_.length));
  const size_t row = flatIndex + (noise ? pointCount_ : 0);
  if (const float* s = f32(row)) {
    std::copy(s, s + info_.length, w.begin());
  } else {
    const int16_t* q = i16(row);
    const float step = scale(flatIndex);
    for (size_t i = 0; i < w.size(); ++i) w[i] = float(q[i]) * step;
  }
  return w;
}

size_t PlaybackBank::memoryBytes() const noexcept {
  size_t bytes = sizeof(*this) + f32_.allocatedBytes() + i16_.allocatedBytes();
  for (const auto& axis : info_.axes) bytes += axis.capacity() * sizeof(double);
  bytes += projections_.points.capacity() * sizeof(projections_.points[0]);
  bytes += projections_.family.capacity() * sizeof(int);
  for (const auto& name : projections_.familyNames) bytes += sizeof(name) + name.capacity();
  return bytes;
}

}  // namespace wae::runtime

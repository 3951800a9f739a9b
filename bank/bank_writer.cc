#include "bank/bank_writer.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "bank/schema.h"
#include "common/atomic_file.h"
#include "common/h5_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace wae::bank {

float int16Scale(float maxAbs) {
  return maxAbs > 0 ? maxAbs / float(kInt16Max) : 1.0f / float(kInt16Max);
}

#ifdef __SSE2__
namespace {

// quantizeInt16 on four lanes: the division, the clamp (maxps / minps equal std::clamp on
// finite values), the rounding by 1.5 * 2^23 and the conversion of the integral floats.
inline __m128i quantize4(__m128 x, __m128 scale) {
  const __m128 bound = _mm_set1_ps(float(kInt16Max)), round = _mm_set1_ps(12582912.0f);
  const __m128 v =
      _mm_min_ps(_mm_max_ps(_mm_div_ps(x, scale), _mm_sub_ps(_mm_setzero_ps(), bound)), bound);
  return _mm_cvttps_epi32(_mm_sub_ps(_mm_add_ps(v, round), round));
}

}  // namespace
#endif

void quantizeInt16(const float* x, size_t n, float scale, int16_t* out) {
  size_t k = 0;
#ifdef __SSE2__
  const __m128 s = _mm_set1_ps(scale);
  for (; k + 8 <= n; k += 8) {
    // Both halves lie within ±32767: the saturating pack changes nothing.
    const __m128i lo = quantize4(_mm_loadu_ps(x + k), s),
                  hi = quantize4(_mm_loadu_ps(x + k + 4), s);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), _mm_packs_epi32(lo, hi));
  }
#endif
  for (; k < n; ++k) out[k] = quantizeInt16(x[k], scale);
}

void quantizeInt16Noise(const float* harmonic, const float* noise, size_t n, float scale,
                        int16_t* out) {
  size_t k = 0;
#ifdef __SSE2__
  const __m128 s = _mm_set1_ps(scale);
  const __m128i lowest = _mm_set1_epi16(-kInt16Max);
  auto four = [&](size_t at) {
    const __m128 h = _mm_loadu_ps(harmonic + at);
    return _mm_sub_epi32(quantize4(_mm_add_ps(h, _mm_loadu_ps(noise + at)), s), quantize4(h, s));
  };
  for (; k + 8 <= n; k += 8) {
    // The differences lie within ±65534: the saturating pack clamps them to -32768..32767,
    // and the maximum with -32767 finishes the clamp to ±32767.
    const __m128i q = _mm_max_epi16(_mm_packs_epi32(four(k), four(k + 4)), lowest);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), q);
  }
#endif
  for (; k < n; ++k) out[k] = quantizeInt16Noise(harmonic[k], noise[k], scale);
}

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

BankWriter::BankWriter(const std::string& path, const BankMeta& meta)
    : BankWriter(path, meta, Layout{}) {}

BankWriter::BankWriter(const std::string& path, const BankMeta& meta, const Layout& layout)
    : path_(path),
      info_(meta.info),
      rows_(layout.rows ? layout.rows : meta.info.pointCount()),
      hasNoise_(layout.noise || meta.info.noisePart) {
  h5::quietErrors();
  try {
    H5::FileAccPropList access;
    if (layout.workFile)
      access.setLibverBounds(H5F_LIBVER_V18, H5F_LIBVER_V18);
    else
      access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
    file_ = H5::H5File(path, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
    writeMeta(file_, meta);
    const hsize_t dims[2] = {rows_, hsize_t(info_.length)};
    const hsize_t chunk[2] = {1, hsize_t(info_.length)};
    H5::DSetCreatPropList create;
    create.setChunk(2, chunk);
    if (layout.workFile) {
      H5Pset_alloc_time(create.getId(), H5D_ALLOC_TIME_EARLY);
      H5Pset_fill_time(create.getId(), H5D_FILL_TIME_NEVER);
    } else {
      // A finished bank: each waveform's chunk carries a Fletcher-32 checksum, which HDF5
      // verifies on every read, so damaged sample bytes are refused instead of played. Not
      // in a work file: its chunks are placed unwritten, and an unwritten chunk has no
      // valid checksum.
      create.setFletcher32();
    }
    const bool i16 = info_.storage == StorageType::kInt16;
    const H5::PredType& type = i16 ? H5::PredType::STD_I16LE : H5::PredType::IEEE_F32LE;
    waveforms_ = file_.createDataSet(dataset::kWaveforms, type, H5::DataSpace(2, dims), create);
    if (hasNoise_)
      noise_ = file_.createDataSet(dataset::kNoise, type, H5::DataSpace(2, dims), create);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": cannot create bank: " + e.getDetailMsg());
  }
}

void BankWriter::write(size_t firstRow, size_t count, const float* samples) {
  writeRows(waveforms_, dataset::kWaveforms, firstRow, count, samples, nullptr);
}

void BankWriter::writeNoise(size_t firstRow, size_t count, const float* samples,
                            const float* harmonic) {
  if (!hasNoise_) throw std::logic_error(path_ + ": a bank without a noise part has no /noise");
  writeRows(noise_, dataset::kNoise, firstRow, count, samples, harmonic);
}

void BankWriter::writeRows(H5::DataSet& d, const char* name, size_t firstRow, size_t count,
                           const float* samples, const float* harmonic) {
  if (count == 0) return;
  if (firstRow + count > rows_)
    throw std::out_of_range(path_ + ": rows " + std::to_string(firstRow) + ".." +
                            std::to_string(firstRow + count - 1) + " past the " +
                            std::to_string(rows_) + " rows");
  try {
    const hsize_t start[2] = {firstRow, 0};
    const hsize_t size[2] = {count, hsize_t(info_.length)};
    H5::DataSpace fileSpace = d.getSpace();
    fileSpace.selectHyperslab(H5S_SELECT_SET, size, start);
    H5::DataSpace memSpace(2, size);
    if (info_.storage == StorageType::kInt16) {
      // Kept between calls (a finish writes block after block): not zeroed again each time.
      const size_t n = count * info_.length;
      if (quantized_.size() < n) quantized_.resize(n);
      // Row by row: each point with its own scale (format 4), or the bank's.
      const size_t length = size_t(info_.length);
      for (size_t r = 0; r < count; ++r) {
        const float scale = info_.scaleOf(firstRow + r);
        const size_t at = r * length;
        if (harmonic) {
          quantizeInt16Noise(harmonic + at, samples + at, length, scale, quantized_.data() + at);
        } else {
          quantizeInt16(samples + at, length, scale, quantized_.data() + at);
        }
      }
      int16_t* q = quantized_.data();
      d.write(q, H5::PredType::NATIVE_INT16, memSpace, fileSpace);
    } else {
      d.write(samples, H5::PredType::NATIVE_FLOAT, memSpace, fileSpace);
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path_ + ": cannot write " + name + ": " + e.getDetailMsg());
  }
}

void BankWriter::flush() {
  try {
    file_.flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path_ + ": cannot flush: " + e.getDetailMsg());
  }
}

void BankWriter::close() {
  try {
    waveforms_.close();
    if (hasNoise_) noise_.close();
    file_.close();
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path_ + ": cannot close: " + e.getDetailMsg());
  }
}

void writeBank(const std::string& path, const BankData& bank,
               const std::optional<AudioSettings>& audio) {
  AtomicFile out(path);
  BankMeta meta{bank.info, audio, bank.projections, bank.f0Hz, bank.f0Source};
  BankWriter w(out.partialPath(), meta);
  const size_t points = bank.info.pointCount(), length = bank.info.length;
  for (size_t r = 0; r < bank.info.rowCount(); ++r) {
    const size_t p = r % points;
    auto put = [&](const float* samples) {
      if (r < points)
        w.write(p, 1, samples);
      else
        w.writeNoise(p, 1, samples);
    };
    if (bank.info.storage == StorageType::kInt16) {
      // Stored values as they are: convert to float and back exactly (|v| <= 32767).
      std::vector<float> row(length);
      const float scale = bank.info.scaleOf(p);
      for (size_t t = 0; t < length; ++t) row[t] = bank.i16[r * length + t] * scale;
      put(row.data());
    } else {
      put(bank.f32.data() + r * length);
    }
  }
  w.close();
  out.commit();
}

}  // namespace wae::bank

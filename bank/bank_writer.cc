#include "bank/bank_writer.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "bank/schema.h"
#include "common/atomic_file.h"
#include "common/h5_util.h"

namespace wae::bank {

float int16Scale(float maxAbs) {
  return maxAbs > 0 ? maxAbs / float(kInt16Max) : 1.0f / float(kInt16Max);
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
      int16_t* q = quantized_.data();
      const float scale = info_.scale;
      if (harmonic) {
        for (size_t k = 0; k < n; ++k) q[k] = quantizeInt16Noise(harmonic[k], samples[k], scale);
      } else {
        for (size_t k = 0; k < n; ++k) q[k] = quantizeInt16(samples[k], scale);
      }
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
      for (size_t t = 0; t < length; ++t) row[t] = bank.i16[r * length + t] * bank.info.scale;
      put(row.data());
    } else {
      put(bank.f32.data() + r * length);
    }
  }
  w.close();
  out.commit();
}

}  // namespace wae::bank

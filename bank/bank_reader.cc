#include "bank/bank_reader.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "bank/bank_h5.h"
#include "common/errors.h"
#include "common/h5_util.h"

namespace wae::bank {
namespace {

// Validates everything but the samples.
BankMeta checkOpened(const std::string& path, const H5::H5File& file) {
  if (file.nameExists(work::kDone))
    throw FormatError(path, std::string("dataset ") + work::kDone, "an unfinished bake",
                      "a finished bank (continue the bake with bake_bank --resume)");
  BankMeta meta = readMeta(file, path);
  checkWaveforms(file, path, meta.info.pointCount(), meta.info.length, meta.info.storage);
  if (meta.info.noisePart)
    checkWaveforms(file, path, meta.info.pointCount(), meta.info.length, meta.info.storage,
                   dataset::kNoise);
  return meta;
}

// Whether the dataset's chunks carry HDF5's Fletcher-32 checksum filter.
bool hasFletcher32(const H5::DataSet& d) {
  const H5::DSetCreatPropList create = d.getCreatePlist();
  const int filters = create.getNfilters();
  for (int k = 0; k < filters; ++k) {
    unsigned flags = 0, config = 0;
    size_t values = 0;
    char name[64];
    if (create.getFilter(k, flags, values, nullptr, sizeof name, name, config) ==
        H5Z_FILTER_FLETCHER32)
      return true;
  }
  return false;
}

// "point (3, 0, 2, 1)": the grid indices of flat index `p`, axis 1 first.
std::string pointName(const BankInfo& info, size_t p) {
  std::array<size_t, kDims> i{};
  for (int a = kDims - 1; a >= 0; --a) {
    i[a] = p % size_t(info.gridShape[a]);
    p /= size_t(info.gridShape[a]);
  }
  return "point (" + std::to_string(i[0]) + ", " + std::to_string(i[1]) + ", " +
         std::to_string(i[2]) + ", " + std::to_string(i[3]) + ")";
}

}  // namespace

BankInfo readInfo(const std::string& path) {
  return translateH5Errors(path, [&] {
    checkSuperblock(path);
    const H5::H5File file = h5::openReadOnly(path);
    return checkOpened(path, file).info;
  });
}

BankData readBank(const std::string& path, const ReadOptions& options) {
  return translateH5Errors(path, [&] {
    checkSuperblock(path);
    const H5::H5File file = h5::openReadOnly(path);
    BankMeta meta = checkOpened(path, file);
    BankData bank;
    bank.info = std::move(meta.info);
    bank.projections = std::move(meta.projections);
    bank.f0Hz = std::move(meta.f0Hz);
    bank.f0Source = std::move(meta.f0Source);
    const BankInfo& info = bank.info;
    // Up to 2 * kMaxAxisPoints^4 rows of kMaxLength samples of 4 bytes, 2^65 bytes: past
    // int64, so compared in double (exact below 2^53) before any product is taken in int64.
    const double bytes =
        double(info.rowCount()) * double(info.length) * double(bytesPerSample(info.storage));
    if (bytes > double(options.maxBytes)) {
      char found[32];
      std::snprintf(found, sizeof found, "%.0f", bytes);
      throw FormatError(path, std::string("dataset ") + dataset::kWaveforms,
                        std::string(found) + " bytes (" + formatShape(info.gridShape) +
                            " points x " + std::to_string(info.length) + " samples, " +
                            storageName(info.storage) + (info.noisePart ? ", with noise" : "") +
                            ")",
                        "at most " + std::to_string(options.maxBytes) + " bytes");
    }
    const int64_t samples = int64_t(info.rowCount()) * info.length;  // within maxBytes
    if (info.storage == StorageType::kInt16)
      bank.i16.resize(samples);
    else
      bank.f32.resize(samples);
    const size_t points = info.pointCount();
    bank.waveformChecksums = true;
    for (const char* name : {dataset::kWaveforms, dataset::kNoise}) {
      const size_t firstRow = name == dataset::kWaveforms ? 0 : points;
      if (firstRow >= info.rowCount()) break;
      H5::DataSet d = file.openDataSet(name);
      bank.waveformChecksums = bank.waveformChecksums && hasFletcher32(d);
      // One chunk (one waveform) per read, so that a chunk HDF5 refuses (its Fletcher-32
      // checksum does not match, or it cannot be read) is reported with its grid point.
      H5::DataSpace fileSpace = d.getSpace();
      const hsize_t size[2] = {1, hsize_t(info.length)};
      H5::DataSpace memSpace(2, size);
      for (size_t p = 0; p < points; ++p) {
        const hsize_t start[2] = {p, 0};
        fileSpace.selectHyperslab(H5S_SELECT_SET, size, start);
        const size_t at = (firstRow + p) * info.length;
        try {
          if (info.storage == StorageType::kInt16)
            d.read(bank.i16.data() + at, H5::PredType::NATIVE_INT16, memSpace, fileSpace);
          else
            d.read(bank.f32.data() + at, H5::PredType::NATIVE_FLOAT, memSpace, fileSpace);
        } catch (const H5::Exception&) {
          throw FormatError(path, std::string("dataset ") + name + ", " + pointName(info, p),
                            "a chunk that fails its checksum or cannot be read",
                            "the waveform as written (the file is damaged)");
        }
      }
    }
    if (info.storage == StorageType::kFloat32) {
      for (int64_t k = 0; k < samples; ++k) {
        if (!std::isfinite(bank.f32[k])) {
          const int64_t row = k / info.length;
          throw FormatError(path,
                            std::string("dataset ") +
                                (size_t(row) < points ? dataset::kWaveforms : dataset::kNoise) +
                                ", " + pointName(info, size_t(row) % points) + ", sample " +
                                std::to_string(k % info.length),
                            std::to_string(bank.f32[k]), "a finite sample");
        }
      }
    }
    return bank;
  });
}

void prepareHdf5OnExitingThread() { h5::quietErrors(); }

}  // namespace wae::bank

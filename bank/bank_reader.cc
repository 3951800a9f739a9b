#include "bank/bank_reader.h"

#include <cmath>

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
  return meta;
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
    const BankInfo& info = bank.info;
    // Bounded by kMaxAxisPoints^4 * kMaxLength * 4 < 2^63: no overflow.
    const int64_t samples = int64_t(info.pointCount()) * info.length;
    const int64_t bytes = samples * bytesPerSample(info.storage);
    if (bytes > options.maxBytes)
      throw FormatError(path, std::string("dataset ") + dataset::kWaveforms,
                        std::to_string(bytes) + " bytes (" + formatShape(info.gridShape) +
                            " points x " + std::to_string(info.length) + " samples, " +
                            storageName(info.storage) + ")",
                        "at most " + std::to_string(options.maxBytes) + " bytes");
    H5::DataSet d = file.openDataSet(dataset::kWaveforms);
    if (info.storage == StorageType::kInt16) {
      bank.i16.resize(samples);
      d.read(bank.i16.data(), H5::PredType::NATIVE_INT16);
    } else {
      bank.f32.resize(samples);
      d.read(bank.f32.data(), H5::PredType::NATIVE_FLOAT);
      for (int64_t k = 0; k < samples; ++k) {
        if (!std::isfinite(bank.f32[k]))
          throw FormatError(path,
                            std::string("dataset ") + dataset::kWaveforms + ", point " +
                                std::to_string(k / info.length) + ", sample " +
                                std::to_string(k % info.length),
                            std::to_string(bank.f32[k]), "a finite sample");
      }
    }
    return bank;
  });
}

}  // namespace wae::bank

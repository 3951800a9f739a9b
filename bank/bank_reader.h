// Reading bank.h5 (bank/schema.h). No LibTorch and no HDF5 in this header: the runtime
// includes it. Thread: any thread but the audio thread (file I/O, allocation).
#pragma once

#include <cstdint>
#include <string>

#include "bank/bank_data.h"
#include "bank/schema.h"

namespace wae::bank {

struct ReadOptions {
  // The most waveform bytes readBank will load; a larger bank is refused before any
  // allocation.
  int64_t maxBytes = kDefaultMaxBankBytes;
};

// Metadata only (cheap: no waveform is read), validated as readBank validates it, including
// the waveform dataset's shape and type. Throws wae::FormatError naming the file, the field,
// what was found and what was expected.
BankInfo readInfo(const std::string& path);

// The whole bank, validated before it is trusted: the superblock's recorded size against
// the file's, format name and version, sample rate and length within bounds, grid shape
// against the waveform dataset's shape, axes strictly increasing with the right count,
// storage type known, scale, the model hash, total size under options.maxBytes, every
// float32 sample finite, projections consistent. Throws wae::FormatError.
BankData readBank(const std::string& path, const ReadOptions& options = {});

}  // namespace wae::bank

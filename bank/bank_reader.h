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

// Call once on the thread that will end the process (Pd's main thread) before banks are read
// on other threads. Thread: that one; idempotent, cheap, no file access.
// Why: Debian's HDF5 1.10 is built thread-safe and keeps an error state per thread, made on
// the thread's first HDF5 call. When a reader thread has refused a damaged file (an error
// from inside HDF5's metadata code) and the exiting thread has never called HDF5, HDF5's
// shutdown at exit never finishes and prints "HDF5: infinite loop closing library"; it
// does not happen once the exiting thread has made its error state, which this does (it
// also silences HDF5's own error printing there, as every reader does on its thread).
// Nothing is left open by the reader itself: bank/damaged_bank_test.cc counts every HDF5
// identifier after each refusal.
void prepareHdf5OnExitingThread();

}  // namespace wae::bank

// bank.h5 at the HDF5 level, shared by the reader, the writer and the bake's work files:
// writing and validating the metadata (everything but the waveforms). Tools and tests use
// this; the runtime uses bank_reader.h, which keeps HDF5 out of its includes.
#pragma once

#include <H5Cpp.h>

#include <optional>
#include <string>
#include <vector>

#include "bank/bank_data.h"
#include "bank/schema.h"
#include "common/audio_settings.h"

namespace wae::bank {

// Everything a bank records besides its waveforms.
struct BankMeta {
  BankInfo info;
  std::optional<AudioSettings> audio;  // the generative model's; written by every bake
  Projections projections;             // may be empty
  // Each point's f0 (Hz, 0 = unpitched) and its source; empty: no pitch (version 1).
  std::vector<float> f0Hz;
  std::string f0Source;
  int formatVersion = 0;  // as read; the writer derives it from f0Hz and info.noisePart
};

// Writes the root attributes, the axes, the audio settings group and the projections.
void writeMeta(H5::H5File& file, const BankMeta& meta);

// Reads and validates every metadata field (not /waveforms): format and version, bounds,
// axes (count, strictly increasing, ends at axis_min/axis_max), storage and scale, hash,
// audio settings and projections when present. Throws wae::FormatError naming `path`, the
// field, what was found and what was expected.
BankMeta readMeta(const H5::H5File& file, const std::string& path);

// Attributes as banks store them. Strings are fixed-length UTF-8: their size is in the
// type, which the reader bounds before allocating (a variable-length string's recorded
// length is not checked by HDF5 before it allocates). Every reader checks the attribute's
// class, element count and element size first; errors are wae::FormatError naming `path`.
inline constexpr size_t kMaxStringBytes = 4096;
void writeString(H5::H5Object& obj, const std::string& name, const std::string& value);
std::string readString(const H5::H5Object& obj, const std::string& name, const std::string& path);
int64_t readInt(const H5::H5Object& obj, const std::string& name, const std::string& path);
double readDouble(const H5::H5Object& obj, const std::string& name, const std::string& path);
std::vector<int64_t> readInts(const H5::H5Object& obj, const std::string& name,
                              const std::string& path, size_t count);
std::vector<double> readDoubles(const H5::H5Object& obj, const std::string& name,
                                const std::string& path, size_t count);

// Checks that /waveforms (or `name`: /noise) is a 2-D [points, length] dataset of the type
// `storage` implies.
void checkWaveforms(const H5::H5File& file, const std::string& path, hsize_t points, int length,
                    StorageType storage, const char* name = dataset::kWaveforms);

// Before HDF5 parses a file: finds the superblock and checks that the file is as long as
// the end-of-file address it records, so a truncated bank gets a clear message (and HDF5
// never reads past the end). Throws wae::FormatError.
void checkSuperblock(const std::string& path);

// Reading a damaged file can make HDF5 throw its own exceptions from deep inside; this runs
// `f` and turns them into wae::FormatError naming the file.
template <class F>
auto translateH5Errors(const std::string& path, F&& f) -> decltype(f());

// "[3, 3, 2, 2]"
std::string formatShape(const std::array<int, kDims>& shape);

}  // namespace wae::bank

#include "bank/bank_h5_inl.h"

// Small helpers over HDF5's C++ API shared by the dataset and bank formats: typed
// attributes, string datasets, the audio settings, and errors that name the file.
// HDF5's own exceptions do not derive from std::exception; everything here throws
// wae::FormatError (or std::runtime_error for I/O) instead.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/audio_settings.h"
#include "common/errors.h"

namespace wae::h5 {

// Silences HDF5's automatic error printing (we report errors ourselves). Idempotent.
void quietErrors();

bool hasAttribute(const H5::H5Object& obj, const std::string& name);

void writeAttribute(H5::H5Object& obj, const std::string& name, int64_t value);
void writeAttribute(H5::H5Object& obj, const std::string& name, double value);
void writeAttribute(H5::H5Object& obj, const std::string& name, const std::string& value);
void writeAttribute(H5::H5Object& obj, const std::string& name, const std::vector<int64_t>& v);
void writeAttribute(H5::H5Object& obj, const std::string& name, const std::vector<double>& v);
void writeAttribute(H5::H5Object& obj, const std::string& name,
                    const std::vector<std::string>& v);

// Readers: `file` is only for messages. A missing attribute or one of the wrong class or
// size throws FormatError naming file, attribute, what was found and what was expected.
int64_t readInt(const H5::H5Object& obj, const std::string& name, const std::string& file);
double readDouble(const H5::H5Object& obj, const std::string& name, const std::string& file);
std::string readString(const H5::H5Object& obj, const std::string& name,
                       const std::string& file);
std::vector<int64_t> readInts(const H5::H5Object& obj, const std::string& name,
                              const std::string& file);
std::vector<double> readDoubles(const H5::H5Object& obj, const std::string& name,
                                const std::string& file);
std::vector<std::string> readStrings(const H5::H5Object& obj, const std::string& name,
                                     const std::string& file);

// The audio settings as one attribute per field (names from visitFields).
void writeAudioSettings(H5::H5Object& obj, const AudioSettings& s);
AudioSettings readAudioSettings(const H5::H5Object& obj, const std::string& file);

// A 1-D dataset of variable-length UTF-8 strings.
void writeStringDataset(H5::Group& group, const std::string& name,
                        const std::vector<std::string>& values);
std::vector<std::string> readStringDataset(const H5::Group& group, const std::string& name,
                                           const std::string& file);

// The dimensions of dataset `name`, or FormatError naming the file if it is missing.
std::vector<hsize_t> datasetShape(const H5::Group& group, const std::string& name,
                                  const std::string& file);

// "[2, 80, 128]"
std::string shapeString(const std::vector<hsize_t>& shape);

// Opens a file read-only; a missing or non-HDF5 file throws FormatError naming it.
H5::H5File openReadOnly(const std::string& path);

}  // namespace wae::h5

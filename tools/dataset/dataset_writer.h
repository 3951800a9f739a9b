// Writes dataset.h5 (schema.h) one example at a time, so a dataset of any size streams
// through bounded memory. No LibTorch. The caller gives a path to write (normally an
// AtomicFile's partial path) and renames it when finish() has returned.
#pragma once

#include <H5Cpp.h>

#include <string>
#include <vector>

#include "common/audio_settings.h"
#include "tools/dataset/nsynth.h"
#include "tools/dataset/split.h"

namespace wae::dataset {

struct DatasetMetadata {
  std::string source;  // e.g. "render_corpus FluidR3_GM.sf2" or the input folder
  SplitOptions split;
  std::string createdBy = "make_dataset";
};

class DatasetWriter {
 public:
  DatasetWriter(const std::string& path, const AudioSettings& settings);

  // One example: mel [n_mels * n_frames] row-major, audio [n_samples].
  void append(const float* mel, const float* audio);
  size_t rows() const { return rows_; }

  // Writes the annotations of the appended examples (same order) and the root attributes.
  void finish(const std::vector<NoteAnnotation>& notes, const std::vector<Split>& splits,
              const DatasetMetadata& metadata);

 private:
  void appendRow(H5::DataSet& dataset, const float* row, hsize_t rowSize);

  std::string path_;
  AudioSettings settings_;
  H5::H5File file_;
  H5::DataSet mel_;
  H5::DataSet audio_;
  size_t rows_ = 0;
};

// "2026-11-24T10:15:00Z"
std::string utcTimestamp();

}  // namespace wae::dataset

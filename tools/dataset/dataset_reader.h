// Reads dataset.h5 (schema.h) without LibTorch: validates the header, reads annotations and
// selected rows of /mel or /audio. The LibTorch and Python datasets stand on the same checks.
#pragma once

#include <H5Cpp.h>

#include <string>
#include <vector>

#include "common/audio_settings.h"
#include "tools/dataset/nsynth.h"
#include "tools/dataset/schema.h"

namespace wae::dataset {

class DatasetReader {
 public:
  // Opens the file and checks format name, version, audio settings (against `expected`) and
  // that every dataset has the same number of rows. Errors are wae::FormatError naming the
  // file, the field, what was found and what was expected.
  DatasetReader(const std::string& path, const AudioSettings& expected = AudioSettings{});

  const std::string& path() const { return path_; }
  const AudioSettings& settings() const { return settings_; }
  size_t rows() const { return notes_.size(); }
  const std::vector<NoteAnnotation>& notes() const { return notes_; }
  const std::vector<Split>& splits() const { return splits_; }
  std::string source() const;

  // Row indices of one split, ascending.
  std::vector<size_t> rowsOf(Split split) const;

  // Copies the given rows of /mel ([rows, n_mels * n_frames]) or /audio ([rows, n_samples])
  // into `out`, which is resized.
  void readMel(const std::vector<size_t>& rows, std::vector<float>& out) const;
  void readAudio(const std::vector<size_t>& rows, std::vector<float>& out) const;
  // The same into memory the caller owns (rows.size() * row size floats), so that a large
  // split is not held twice (e.g. read straight into a tensor).
  void readMel(const std::vector<size_t>& rows, float* out) const;
  void readAudio(const std::vector<size_t>& rows, float* out) const;

 private:
  void readRows(const char* name, hsize_t rowSize, const std::vector<size_t>& rows,
                float* out) const;

  std::string path_;
  H5::H5File file_;
  AudioSettings settings_;
  std::vector<NoteAnnotation> notes_;
  std::vector<Split> splits_;
};

}  // namespace wae::dataset

// Writing outputs atomically: a tool writes to `<path>.partial` and renames it onto `<path>`
// only when the output is complete, so a crash or a kill never leaves a file at `<path>`
// that loads but is incomplete.
#pragma once

#include <string>

namespace wae {

class AtomicFile {
 public:
  // keepPartial: leave the partial file behind on failure (for tools that resume from it).
  explicit AtomicFile(std::string finalPath, bool keepPartial = false);
  ~AtomicFile();  // removes the partial file unless committed or keepPartial
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& partialPath() const { return partialPath_; }
  const std::string& finalPath() const { return finalPath_; }

  // Renames the partial file onto the final path (atomic on one filesystem).
  void commit();

 private:
  std::string finalPath_;
  std::string partialPath_;
  bool keepPartial_;
  bool committed_ = false;
};

}  // namespace wae

#include "common/atomic_file.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace wae {

AtomicFile::AtomicFile(std::string finalPath, bool keepPartial)
    : finalPath_(std::move(finalPath)), partialPath_(finalPath_ + ".partial"),
      keepPartial_(keepPartial) {
  const auto parent = std::filesystem::path(finalPath_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
}

AtomicFile::~AtomicFile() {
  if (committed_ || keepPartial_) return;
  std::error_code ignored;
  std::filesystem::remove(partialPath_, ignored);
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(partialPath_, finalPath_, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + partialPath_ + " to " + finalPath_ + ": " +
                             ec.message());
  committed_ = true;
}

}  // namespace wae

#include "common/paths.h"

#include <cstdlib>
#include <filesystem>

namespace wae {

std::string resolveUserPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || !cwd || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(cwd) / path).lexically_normal().string();
}

}  // namespace wae

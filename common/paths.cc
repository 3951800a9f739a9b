#include "common/paths.h"

#include <cstdlib>
#include <filesystem>

namespace wae {

std::string resolveUserPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || !cwd || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(cwd) / path).lexically_normal().string();
}

std::string userOrWorkspacePath(const std::string& given, const std::string& fallback) {
  if (!given.empty()) return resolveUserPath(given);
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (!workspace) return fallback;
  return (std::filesystem::path(workspace) / fallback).lexically_normal().string();
}

}  // namespace wae

// Paths given on a tool's command line. Under `bazel run` a tool runs in its runfiles
// folder; BUILD_WORKING_DIRECTORY holds the folder the user typed the command in, and a
// relative path means relative to that.
#pragma once

#include <string>

namespace wae {

std::string resolveUserPath(const std::string& path);

// A path the user typed (resolveUserPath), or `fallback` relative to the workspace
// (BUILD_WORKSPACE_DIRECTORY under bazel run; else the current folder).
std::string userOrWorkspacePath(const std::string& given, const std::string& fallback);

}  // namespace wae

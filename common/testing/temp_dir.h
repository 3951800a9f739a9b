// Test-only: a folder of its own for one test's files.
#pragma once

#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace wae::testing {

// Makes a fresh folder under $TEST_TMPDIR (the system temp folder outside Bazel) and removes it
// with everything in it when the object goes, so that no test sees another test's files.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern =
        ((base && *base) ? std::filesystem::path(base) : std::filesystem::temp_directory_path()) /
        "wae_XXXXXX";
    if (!mkdtemp(pattern.data())) {
      throw std::runtime_error(pattern + ": cannot make a temporary folder");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;  // a destructor must not throw; Bazel clears TEST_TMPDIR anyway
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // path()/name as a string, the form the file APIs under test take.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace wae::testing

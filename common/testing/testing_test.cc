#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/testing/format_error_of.h"
#include "common/testing/temp_dir.h"

namespace wae::testing {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, IsAFreshFolderUnderTestTmpdirRemovedWithItsFiles) {
  fs::path kept;
  {
    const TempDir a, b;
    EXPECT_NE(a.path(), b.path());
    EXPECT_EQ(a.path().parent_path(), fs::path(std::getenv("TEST_TMPDIR")));
    EXPECT_TRUE(fs::is_directory(a.path()));
    EXPECT_TRUE(fs::is_empty(a.path()));
    EXPECT_EQ(a.file("x.h5"), (a.path() / "x.h5").string());
    fs::create_directories(a.path() / "sub");
    std::ofstream(a.path() / "sub" / "f.txt") << "data";
    kept = a.path();
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(FormatErrorOf, ReturnsTheMessageOrSaysNothingWasThrown) {
  EXPECT_EQ(formatErrorOf([] { throw FormatError("f.h5", "rate", "0", "a positive rate"); }),
            "f.h5: rate: found 0, expected a positive rate");
  EXPECT_EQ(formatErrorOf([] {}), "(no FormatError)");
  EXPECT_THROW(formatErrorOf([] { throw std::invalid_argument("other"); }), std::invalid_argument);
}

}  // namespace
}  // namespace wae::testing

// Test-only: the message of a wae::FormatError, for exact comparisons in EXPECT_EQ.
#pragma once

#include <string>

#include "common/errors.h"

namespace wae::testing {

// The message of the FormatError that `f` throws, or "(no FormatError)" when it throws none
// (other exceptions pass through and fail the test).
template <class F>
std::string formatErrorOf(F&& f) {
  try {
    f();
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(no FormatError)";
}

}  // namespace wae::testing

// Errors for files that are not what they claim to be. Every message names the file, the
// field, what was found and what was expected, so a user can fix the input without a
// debugger.
#pragma once

#include <stdexcept>
#include <string>

namespace wae {

class FormatError : public std::runtime_error {
 public:
  // "<file>: <field>: found <found>, expected <expected>"
  FormatError(const std::string& file, const std::string& field, const std::string& found,
              const std::string& expected)
      : std::runtime_error(file + ": " + field + ": found " + found + ", expected " + expected) {}
  explicit FormatError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace wae

// Template definitions for bank_h5.h.
#pragma once

#include "common/errors.h"

namespace wae::bank {

template <class F>
auto translateH5Errors(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const H5::Exception& e) {
    std::string what = e.getDetailMsg();
    if (!e.getFuncName().empty()) what = e.getFuncName() + ": " + what;
    throw FormatError(path + ": damaged or unreadable HDF5 structure (" + what + ")");
  }
}

}  // namespace wae::bank

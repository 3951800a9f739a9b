#include "runtime/huge_array.h"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace wae::runtime::detail {

void* allocateHuge(size_t bytes, size_t* allocated, bool* advised) {
  constexpr size_t kHugePage = size_t(2) << 20;
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
  *allocated = rounded;
  *advised = false;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  *advised = madvise(p, rounded, MADV_HUGEPAGE) == 0;
#endif
  std::memset(p, 0, rounded);  // faults the pages in now, on the loader thread
  return p;
}

void freeHuge(void* p) noexcept { std::free(p); }

}  // namespace wae::runtime::detail

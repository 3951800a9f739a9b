#include "common/keep_freed_memory.h"

#include <malloc.h>

#include <climits>

namespace wae {

bool keepFreedMemory() {
  // Setting either value also turns off glibc's dynamic threshold, which would otherwise
  // move them back after the first large free.
  const bool mmap = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
  const bool trim = mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
  // Blocks above the largest threshold glibc takes would still be mapped: none is.
  const bool noMaps = mallopt(M_MMAP_MAX, 0) == 1;
  // Threads that have not allocated yet share the main arena, which the two above keep.
  const bool arenas = mallopt(M_ARENA_MAX, 1) == 1;
  return mmap && trim && noMaps && arenas;
}

}  // namespace wae

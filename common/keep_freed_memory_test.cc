#include "common/keep_freed_memory.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace wae {
namespace {

constexpr size_t kBlock = 16 << 20;  // a bake batch's largest tensors are about this size

void* touched(size_t bytes) {
  void* p = std::malloc(bytes);
  std::memset(p, 1, bytes);
  return p;
}

// Without the setting a fresh process maps a 16 MiB block on its own and unmaps it at free
// (the first half shows the test can tell); with it, the block comes from the heap and stays
// there after free, ready for the next call.
TEST(KeepFreedMemory, LargeBlocksStayInTheHeapAfterFree) {
  const size_t mappedBefore = mallinfo2().hblkhd;
  void* mapped = touched(kBlock);
  EXPECT_GE(mallinfo2().hblkhd, mappedBefore + kBlock);
  std::free(mapped);

  ASSERT_TRUE(keepFreedMemory());
  const size_t mapped0 = mallinfo2().hblkhd;
  void* a = touched(kBlock);
  void* b = touched(kBlock);
  EXPECT_EQ(mallinfo2().hblkhd, mapped0);
  const size_t heap = mallinfo2().arena;
  EXPECT_GE(heap, 2 * kBlock);
  std::free(b);
  std::free(a);
  EXPECT_EQ(mallinfo2().arena, heap) << "the heap was trimmed";
  EXPECT_GE(mallinfo2().fordblks, 2 * kBlock);
}

}  // namespace
}  // namespace wae

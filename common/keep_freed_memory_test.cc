#include "common/keep_freed_memory.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <thread>

namespace wae {
namespace {

constexpr size_t kBlock = 16 << 20;  // a bake batch's largest tensors are about this size

void* touched(size_t bytes) {
  void* p = std::malloc(bytes);
  std::memset(p, 1, bytes);
  return p;
}

// Without the setting a fresh process maps a 16 MiB block on its own and unmaps it at free,
// and a 48 MiB one, above the largest threshold glibc takes, whatever the threshold (the
// first half shows the test can tell); with it, the blocks come from the heap and stay there
// after free, ready for the next call. (The first test: the setting holds for the process.)
TEST(KeepFreedMemory, LargeBlocksStayInTheHeapAfterFree) {
  constexpr size_t kHuge = 3 * kBlock;
  for (size_t bytes : {kBlock, kHuge}) {
    const size_t mappedBefore = mallinfo2().hblkhd;
    void* mapped = touched(bytes);
    EXPECT_GE(mallinfo2().hblkhd, mappedBefore + bytes) << bytes;
    std::free(mapped);
  }

  ASSERT_TRUE(keepFreedMemory());
  const size_t mapped0 = mallinfo2().hblkhd;
  void* a = touched(kBlock);
  void* b = touched(kBlock);
  void* c = touched(kHuge);
  EXPECT_EQ(mallinfo2().hblkhd, mapped0);
  const size_t heap = mallinfo2().arena;
  EXPECT_GE(heap, 2 * kBlock + kHuge);
  std::free(c);
  std::free(b);
  std::free(a);
  EXPECT_EQ(mallinfo2().arena, heap) << "the heap was trimmed";
  EXPECT_GE(mallinfo2().fordblks, 2 * kBlock + kHuge);
}

// A thread of its own (a bake's second worker) allocates more than one 64 MiB heap of a
// thread's arena holds; with the setting its blocks come from the main heap and stay after
// free. (Without it the thread's arena unmaps its emptied second heap: tried.)
TEST(KeepFreedMemory, AWorkerThreadsBlocksStayInTheHeapAfterFree) {
  ASSERT_TRUE(keepFreedMemory());
  size_t held = 0, afterFree = 0;
  std::thread([&] {
    void* blocks[3];
    for (void*& p : blocks) p = touched(3 * kBlock / 2);
    held = mallinfo2().arena;
    for (void* p : blocks) std::free(p);
    afterFree = mallinfo2().arena;
  }).join();
  EXPECT_GE(held, 3 * (3 * kBlock / 2));
  EXPECT_EQ(afterFree, held) << "the worker's heap was given back";
}

}  // namespace
}  // namespace wae

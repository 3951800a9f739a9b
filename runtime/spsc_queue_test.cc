#include "runtime/spsc_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace wae::runtime {
namespace {

TEST(SpscQueue, FifoAndCapacity) {
  SpscQueue<int> q(5);
  EXPECT_GE(q.capacity(), 5u);
  int x = 0;
  EXPECT_FALSE(q.pop(x));
  size_t pushed = 0;
  while (q.push(int(pushed))) ++pushed;
  EXPECT_EQ(pushed, q.capacity());
  EXPECT_TRUE(q.peek(x));
  EXPECT_EQ(x, 0);
  for (size_t i = 0; i < pushed; ++i) {
    ASSERT_TRUE(q.pop(x));
    EXPECT_EQ(x, int(i));
  }
  EXPECT_FALSE(q.pop(x));
  EXPECT_TRUE(q.emptyApprox());
}

TEST(SpscQueue, TwoThreadsKeepOrder) {
  SpscQueue<long> q(16);
  const long n = 200000;
  std::thread producer([&] {
    for (long i = 0; i < n; ++i) {
      while (!q.push(i)) std::this_thread::yield();
    }
  });
  long expected = 0, x = 0;
  while (expected < n) {
    if (q.pop(x)) {
      ASSERT_EQ(x, expected);
      ++expected;
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
}

}  // namespace
}  // namespace wae::runtime

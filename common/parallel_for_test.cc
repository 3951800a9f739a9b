#include "common/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace wae {
namespace {

// Every index exactly once, in contiguous ranges that tile [0, count), for counts smaller,
// equal and larger than the thread count.
TEST(ParallelFor, CoversEveryIndexOnce) {
  for (size_t count : {0, 1, 2, 3, 7, 100, 1001}) {
    for (int threads : {-1, 0, 1, 2, 3, 8}) {
      std::vector<std::atomic<int>> hits(count);
      std::mutex m;
      std::set<std::pair<size_t, size_t>> ranges;
      parallelFor(count, threads, [&](size_t first, size_t last) {
        for (size_t i = first; i < last; ++i) ++hits[i];
        std::lock_guard<std::mutex> lock(m);
        ranges.insert({first, last});
      });
      for (size_t i = 0; i < count; ++i)
        ASSERT_EQ(hits[i].load(), 1) << "index " << i << " of " << count << ", " << threads;
      const size_t expected = std::max<size_t>(1, std::min<size_t>(size_t(std::max(threads, 1)), count));
      EXPECT_EQ(ranges.size(), expected) << count << " items, " << threads << " threads";
      size_t next = 0;
      for (const auto& [first, last] : ranges) {
        EXPECT_EQ(first, next);
        next = last;
      }
      EXPECT_EQ(next, count);
    }
  }
}

// The first range runs on the calling thread, the others on as many other threads.
TEST(ParallelFor, FirstRangeOnCallingThread) {
  std::mutex m;
  std::vector<std::pair<size_t, std::thread::id>> seen;
  parallelFor(4, 4, [&](size_t first, size_t) {
    std::lock_guard<std::mutex> lock(m);
    seen.push_back({first, std::this_thread::get_id()});
  });
  ASSERT_EQ(seen.size(), 4u);
  std::set<std::thread::id> ids;
  for (const auto& [first, id] : seen) {
    ids.insert(id);
    if (first == 0) {
      EXPECT_EQ(id, std::this_thread::get_id());
    }
  }
  EXPECT_EQ(ids.size(), 4u);
}

// Every range finishes; the error rethrown is the lowest range's.
TEST(ParallelFor, RethrowsTheFirstRangesErrorAfterAllFinish) {
  std::atomic<int> finished{0};
  try {
    parallelFor(6, 3, [&](size_t first, size_t) {
      ++finished;
      if (first >= 2) throw std::runtime_error("range " + std::to_string(first));
    });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "range 2");
  }
  EXPECT_EQ(finished.load(), 3);
}

}  // namespace
}  // namespace wae

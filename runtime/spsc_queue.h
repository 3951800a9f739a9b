// A fixed-capacity single-producer single-consumer queue of trivially copyable items (pointers
// and small structs), for handing things between the audio thread and another thread.
//
// Why not moodycamel::ReaderWriterQueue (Debian's libreaderwriterqueue-dev): it orders its
// slots with standalone std::atomic_thread_fence, which ThreadSanitizer does not model, and
// its TSan annotations are only switched on through clang's __has_feature; under GCC's TSan
// every hand-over is reported as a race. This queue orders everything with acquire/release
// on its two indices, which TSan understands, and is small enough to read at a glance.
//
// Threads: push() from one producer thread, pop() from one consumer thread (each may change
// over time if the change itself is ordered, e.g. by a thread join). Both are wait-free and
// never allocate; the storage is allocated in the constructor.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <type_traits>

namespace wae::runtime {

template <class T>
class SpscQueue {
  static_assert(std::is_trivially_copyable<T>::value, "items are copied as plain bytes");

 public:
  // Holds at least `capacity` items (rounded up to a power of two).
  explicit SpscQueue(size_t capacity) {
    size_t size = 2;
    while (size < capacity + 1) size *= 2;
    mask_ = size - 1;
    slots_ = std::make_unique<T[]>(size);
  }
  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  size_t capacity() const noexcept { return mask_; }

  // Producer. False (and nothing queued) when full.
  bool push(const T& item) noexcept {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    const size_t next = (tail + 1) & mask_;
    if (next == head_.load(std::memory_order_acquire)) return false;
    slots_[tail] = item;
    tail_.store(next, std::memory_order_release);
    return true;
  }

  // Consumer. False when empty.
  bool pop(T& item) noexcept {
    const size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return false;
    item = slots_[head];
    head_.store((head + 1) & mask_, std::memory_order_release);
    return true;
  }

  // Consumer. Copies the oldest item without removing it; false when empty.
  bool peek(T& item) const noexcept {
    const size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return false;
    item = slots_[head];
    return true;
  }

  // Either side; a snapshot that may be stale by the time it is read.
  bool emptyApprox() const noexcept {
    return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
  }

 private:
  size_t mask_ = 0;
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<size_t> head_{0};  // next slot to read; written by the consumer
  alignas(64) std::atomic<size_t> tail_{0};  // next slot to write; written by the producer
};

}  // namespace wae::runtime

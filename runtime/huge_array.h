// An array for a bank's samples: aligned to 2 MiB and, on Linux, marked for transparent huge
// pages before it is first written. With thousands of voices each reading 16 waveforms, every
// read of a 4 KiB-paged bank falls on a different page and misses the TLB; 2 MiB pages cut
// that cost (runtime/README.md has the measurements). Where the kernel refuses (THP "never")
// it is an ordinary aligned array.
//
// Threads: allocate and free off the audio thread; reading is free-threaded.
#pragma once

#include <cstddef>
#include <cstring>
#include <utility>

namespace wae::runtime {

namespace detail {
// Returns zeroed memory of at least `bytes`, aligned to 2 MiB; *advised tells whether the
// huge-page advice was accepted. Throws std::bad_alloc.
void* allocateHuge(size_t bytes, size_t* allocated, bool* advised);
void freeHuge(void* p) noexcept;
}  // namespace detail

template <class T>
class HugeArray {
 public:
  HugeArray() = default;
  explicit HugeArray(size_t n) : size_(n) {
    if (n) data_ = static_cast<T*>(detail::allocateHuge(n * sizeof(T), &allocated_, &advised_));
  }
  HugeArray(const T* first, size_t n) : HugeArray(n) {
    if (n) std::memcpy(data_, first, n * sizeof(T));
  }
  ~HugeArray() { detail::freeHuge(data_); }
  HugeArray(HugeArray&& o) noexcept { swap(o); }
  HugeArray& operator=(HugeArray&& o) noexcept {
    HugeArray tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;

  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](size_t i) noexcept { return data_[i]; }
  const T& operator[](size_t i) const noexcept { return data_[i]; }
  size_t allocatedBytes() const noexcept { return allocated_; }
  bool hugePages() const noexcept { return advised_; }

 private:
  void swap(HugeArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(allocated_, o.allocated_);
    std::swap(advised_, o.advised_);
  }
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t allocated_ = 0;
  bool advised_ = false;
};

}  // namespace wae::runtime

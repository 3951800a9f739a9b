// The project's one parallel loop: the bank loader's resampling (runtime/playback_bank.cc),
// the corpus renderer (tools/corpus) and the trainers' pitch shift (tools/audio/pitch_shift.cc)
// split their work with it.
//
// Threads: call from any thread but the audio thread (it starts threads and waits for
// them); body runs on the calling thread and on threads - 1 new ones at once, so whatever it
// shares must be safe to use from several threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace wae {

// Splits [0, count) into min(threads, count) contiguous ranges of nearly equal size and runs
// body(first, last) once for each, the first range on the calling thread, each other on its
// own thread. Returns when every range is done; then rethrows the error of the first range
// (in index order) that threw. threads < 1 counts as 1. A body that keeps state per thread
// (a converter, a synthesiser) makes it at the top of its call.
template <class Body>
void parallelFor(size_t count, int threads, Body body) {
  const size_t n = std::max<size_t>(1, std::min<size_t>(size_t(std::max(threads, 1)), count));
  if (n == 1) {
    body(size_t(0), count);
    return;
  }
  std::vector<std::exception_ptr> errors(n);
  auto run = [&](size_t t) {
    try {
      body(count * t / n, count * (t + 1) / n);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (size_t t = 1; t < n; ++t) pool.emplace_back(run, t);
  run(0);
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace wae

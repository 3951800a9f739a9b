// Progress of a long run on stderr: count, percentage, rate and ETA, at most once per
// `interval` seconds and once at the end. Thread-safe `advance` so workers can report.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace wae {

class Progress {
 public:
  Progress(std::string label, int64_t total, std::string unit = "items",
           double intervalS = 1.0);
  void advance(int64_t n = 1);
  void finish();  // prints the final line (count, elapsed, mean rate)

  int64_t done() const;
  double elapsedS() const;

  // "1:02:03" or "2:03"
  static std::string formatDuration(double seconds);

 private:
  void print(bool final);

  std::string label_;
  int64_t total_;
  std::string unit_;
  double intervalS_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastPrint_;
  int64_t done_ = 0;
  bool finished_ = false;
  mutable std::mutex mutex_;
};

}  // namespace wae

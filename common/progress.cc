#include "common/progress.h"

#include <cstdio>

namespace wae {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string label, int64_t total, std::string unit, double intervalS)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)), intervalS_(intervalS),
      start_(Clock::now()), lastPrint_(start_) {}

void Progress::advance(int64_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += n;
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - lastPrint_).count() >= intervalS_) {
    lastPrint_ = now;
    print(false);
  }
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  print(true);
}

int64_t Progress::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

double Progress::elapsedS() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string Progress::formatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

void Progress::print(bool final) {
  const double elapsed = elapsedS();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  const double pct = total_ > 0 ? 100.0 * done_ / total_ : 100.0;
  if (final) {
    std::fprintf(stderr, "%s: %lld/%lld %s in %s (%.1f %s/s)\n", label_.c_str(),
                 static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(),
                 formatDuration(elapsed).c_str(), rate, unit_.c_str());
  } else {
    const double eta = rate > 0 ? (total_ - done_) / rate : -1;
    std::fprintf(stderr, "%s: %lld/%lld %s (%.1f%%), %.1f %s/s, ETA %s\n", label_.c_str(),
                 static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(),
                 pct, rate, unit_.c_str(), formatDuration(eta).c_str());
  }
}

}  // namespace wae

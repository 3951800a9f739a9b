#include "runtime/live.h"

#include <chrono>
#include <exception>
#include <stdexcept>

namespace wae::runtime {

LiveWorker::LiveWorker(Engine& engine, std::unique_ptr<WaveformSource> source,
                       ResampleQuality quality, ErrorSink onError)
    : engine_(engine), source_(std::move(source)), quality_(quality), onError_(std::move(onError)) {
  if (!source_) throw std::invalid_argument("live worker: no waveform source");
  if (source_->sampleRate() <= 0) {
    throw std::invalid_argument("live worker: source sample rate: found " +
                                std::to_string(source_->sampleRate()) + ", expected > 0");
  }
  if (!engine_.attachLiveWorker()) {
    throw std::logic_error("live worker: the engine already has a live worker");
  }
  thread_ = std::thread([this] { run(); });
}

LiveWorker::~LiveWorker() {
  stop_.store(true, std::memory_order_release);
  thread_.join();
  engine_.detachLiveWorker();
}

std::vector<std::string> LiveWorker::takeErrors() {
  std::lock_guard<std::mutex> lock(errorsMutex_);
  std::vector<std::string> out;
  out.swap(errors_);
  return out;
}

void LiveWorker::run() {
  std::unique_ptr<Resampler> resampler;
  if (source_->sampleRate() != engine_.sampleRate()) {
    resampler = std::make_unique<Resampler>(source_->sampleRate(), engine_.sampleRate(), quality_);
  }
  LiveRequest request;
  while (!stop_.load(std::memory_order_acquire)) {
    if (!engine_.popLiveRequest(request)) {
      std::this_thread::sleep_for(std::chrono::microseconds(config::kLivePollIntervalUs));
      continue;
    }
    auto waveform = std::make_unique<LiveWaveform>();
    try {
      waveform->samples = source_->render(request.point);
      if (resampler) waveform->samples = resampler->convert(waveform->samples);
    } catch (const std::exception& e) {
      std::string message = std::string("live: rendering point failed: ") + e.what();
      if (onError_) {
        onError_(std::move(message));
      } else {
        std::lock_guard<std::mutex> lock(errorsMutex_);
        errors_.push_back(std::move(message));
      }
      continue;
    }
    waveform->gain = request.gain;
    waveform->transposeSemitones = request.transposeSemitones;
    waveform->id = request.id;
    // The audio side drains the queue every block; wait for room rather than drop.
    while (!engine_.pushLiveWaveform(waveform.get())) {
      if (stop_.load(std::memory_order_acquire)) return;
      std::this_thread::sleep_for(std::chrono::microseconds(config::kLivePollIntervalUs));
    }
    waveform.release();
    delivered_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace wae::runtime

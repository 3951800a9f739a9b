// Live mode's hook: a worker thread that renders waveforms for points the bank does not
// cover (or for every point, see LiveMode) and hands them to the engine without locks.
//
// The renderer is behind WaveformSource so that the engine and this worker need neither
// LibTorch nor a model: the LibTorch implementation (generative.pt) lives in its own library,
// loaded only when live mode is asked for; tests use a fake source.
//
// Flow: Engine::trigger() (audio thread) queues a LiveRequest; the worker polls the request
// queue every config::kLivePollIntervalUs, calls WaveformSource::render(), resamples the
// result to the engine's rate if the source's differs, and pushes it to the engine's result
// queue; process() starts it as a voice at the start of the next block. When the voice ends,
// the waveform goes back through the engine's garbage queue (Engine::collectGarbage()).
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/engine.h"
#include "runtime/resample.h"

namespace wae::runtime {

class WaveformSource {
 public:
  virtual ~WaveformSource() = default;
  // Hz of the waveforms render() returns.
  virtual int sampleRate() const = 0;
  // Worker thread. `point` is in normalised coordinates (-1..1 spans the bank's axes) and is
  // not clamped: points outside are what live mode is for. May throw; the message is kept
  // for the control thread (LiveWorker::takeErrors) and the trigger plays nothing.
  virtual std::vector<float> render(const Point& point) = 0;
};

class LiveWorker {
 public:
  // Control thread. Attaches to `engine` (which must outlive this object) and starts the
  // thread. Throws std::logic_error if another worker is attached to the engine.
  // `quality`: the converter used when the source's rate differs from the engine's. Medium by
  // default: per 32768-sample waveform from 22050 to 48000 Hz it costs about 8 ms of CPU
  // against 26 ms for the best (engine_benchmark, BM_ResampleWaveform), latency added to
  // every live trigger.
  // `onError`: if set, called on the worker thread with each render failure instead of
  // keeping it for takeErrors(), so that a host can hand errors over without a lock.
  using ErrorSink = std::function<void(std::string message)>;
  LiveWorker(Engine& engine, std::unique_ptr<WaveformSource> source,
             ResampleQuality quality = ResampleQuality::kMedium, ErrorSink onError = {});
  // Control thread. Detaches and joins; requests still queued stay for the next worker.
  ~LiveWorker();
  LiveWorker(const LiveWorker&) = delete;
  LiveWorker& operator=(const LiveWorker&) = delete;

  // Control thread: error messages since the last call (render failures; none when an
  // ErrorSink takes them).
  std::vector<std::string> takeErrors();
  // Any thread: waveforms rendered and delivered so far.
  uint64_t delivered() const noexcept { return delivered_.load(std::memory_order_relaxed); }

 private:
  void run();

  Engine& engine_;
  std::unique_ptr<WaveformSource> source_;
  ResampleQuality quality_;
  ErrorSink onError_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> delivered_{0};
  std::mutex errorsMutex_;  // worker <-> control thread only; never the audio thread
  std::vector<std::string> errors_;
  std::thread thread_;
};

}  // namespace wae::runtime

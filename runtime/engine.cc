#include "runtime/engine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace wae::runtime {
namespace {

// Flushes denormals to zero for the scope (x86 MXCSR FTZ and DAZ), restoring the caller's
// mode after: a fading voice or a quiet tail must not fall onto the slow denormal path.
class DenormalGuard {
 public:
#if defined(__SSE__)
  DenormalGuard() noexcept : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040u); }
  ~DenormalGuard() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#endif
};

constexpr size_t kNoSlot = size_t(-1);

}  // namespace

struct Engine::Voice {
  enum class State : uint8_t {
    kFree,
    kPlaying,
    kFading,
    kRetiring,  // finished; its live waveform waits for room in the garbage queue
  };
  State state = State::kFree;
  bool isF32 = true;
  bool unitStep = true;  // transposition 0: read sample for sample
  int taps = 0;
  int bankSlot = -1;  // -1: a live waveform
  LiveWaveform* live = nullptr;
  const void* base[config::kMaxTaps] = {};  // first sample of each tap's waveform
  float weight[config::kMaxTaps] = {};      // grid weight * gain * int16 scale
  int64_t length = 0;                       // frames
  double position = 0;                      // next frame to read (fractional if transposed)
  double step = 1;
  int startFrame = 0;      // frames of the current chunk before the voice begins
  int fadeStartFrame = 0;  // frame of the current chunk where a fade begins
  int fadeDone = 0;        // fade frames already played
  uint64_t serial = 0;     // start order, to find the oldest
};

struct Engine::Event {
  enum class Kind : uint8_t { kTrigger, kStopAll };
  Kind kind = Kind::kTrigger;
  int offset = 0;
  Point point{};
  float gain = 1.0f;
  float transposeSemitones = 0.0f;
};

bool accepted(TriggerStatus status) noexcept {
  return status == TriggerStatus::kQueued || status == TriggerStatus::kQueuedClamped ||
         status == TriggerStatus::kSentToLive;
}

const char* describe(TriggerStatus status) noexcept {
  switch (status) {
    case TriggerStatus::kQueued:
      return "queued";
    case TriggerStatus::kQueuedClamped:
      return "queued, with values clamped to their range (point -1..1, gain 0..1, "
             "transposition -36..36 semitones)";
    case TriggerStatus::kSentToLive:
      return "sent to the live worker";
    case TriggerStatus::kNotFinite:
      return "refused: the point, gain or transposition has a NaN or infinite value";
    case TriggerStatus::kNoBank:
      return "refused: no bank is loaded";
    case TriggerStatus::kEventQueueFull:
      return "refused: too many triggers before the next DSP block";
    case TriggerStatus::kLiveUnavailable:
      return "refused: live mode is on but no live model is running";
    case TriggerStatus::kLiveQueueFull:
      return "refused: the live model is too far behind";
  }
  return "unknown status";
}

Engine::Engine(const EngineSettings& settings)
    : settings_(settings),
      kernels_(mixKernels(settings.isa)),
      garbage_(config::kGarbageQueueCapacity),
      liveRequests_(config::kLiveQueueCapacity),
      liveResults_(config::kLiveQueueCapacity) {
  if (settings.sampleRate <= 0) {
    throw std::invalid_argument("engine: sample rate: found " +
                                std::to_string(settings.sampleRate) + ", expected > 0");
  }
  if (settings.maxVoices < 1 || settings.maxVoices > config::kMaxVoices) {
    throw std::invalid_argument("engine: voices: found " + std::to_string(settings.maxVoices) +
                                ", expected 1.." + std::to_string(config::kMaxVoices));
  }
  fadeFrames_ = std::max(1, int(std::lround(double(config::kFadeFramesAtReference) *
                                            settings.sampleRate / config::kFadeReferenceRateHz)));
  voiceLimit_ = settings.maxVoices;
  voices_.resize(size_t(settings.maxVoices) * config::kSlotsPerVoice);
  activeList_.resize(voices_.size());
  events_.reset(new Event[config::kMaxPendingEvents]);
  blend_.reset(new float[config::kBlendScratchFrames]());
  voiceOut_.reset(new float[config::kChunkFrames]());
  ramp_.reset(new float[config::kChunkFrames]());
}

Engine::~Engine() {
  delete pendingBank_.exchange(nullptr);
  for (Voice& v : voices_) delete v.live;
  for (BankSlot& s : banks_) delete s.bank;
  collectGarbage();
  LiveWaveform* w = nullptr;
  while (liveResults_.pop(w)) delete w;
}

// ---- Loader and control threads ----

void Engine::installBank(std::unique_ptr<PlaybackBank> bank) {
  if (!bank) throw std::invalid_argument("engine: installBank: null bank");
  if (bank->info().sampleRate != settings_.sampleRate) {
    throw std::invalid_argument("engine: bank sample rate: found " +
                                std::to_string(bank->info().sampleRate) + " Hz, expected " +
                                std::to_string(settings_.sampleRate) + " Hz (the engine's)");
  }
  // Whoever takes a pointer out of the exchange owns it: a bank replaced before the audio side
  // took it was never seen there, so it is freed here.
  delete pendingBank_.exchange(bank.release(), std::memory_order_acq_rel);
}

int Engine::collectGarbage() {
  int n = 0;
  Garbage g;
  while (garbage_.pop(g)) {
    delete g.bank;
    delete g.live;
    ++n;
  }
  return n;
}

bool Engine::attachLiveWorker() noexcept {
  bool expected = false;
  return liveAttached_.compare_exchange_strong(expected, true, std::memory_order_acq_rel);
}

void Engine::detachLiveWorker() noexcept { liveAttached_.store(false, std::memory_order_release); }

bool Engine::popLiveRequest(LiveRequest& request) noexcept { return liveRequests_.pop(request); }

bool Engine::pushLiveWaveform(LiveWaveform* waveform) noexcept {
  return liveResults_.push(waveform);
}

// ---- Audio thread ----

TriggerStatus Engine::trigger(const Point& point, float gain, float transposeSemitones,
                              int offsetInBlock) noexcept {
  if (!std::isfinite(gain) || !std::isfinite(transposeSemitones)) {
    return TriggerStatus::kNotFinite;
  }
  Point p = point;
  const PointCheck check = clampPoint(p);
  if (check == PointCheck::kNotFinite) return TriggerStatus::kNotFinite;
  bool clamped = false;
  auto clampTo = [&clamped](float x, float lo, float hi) {
    if (x < lo || x > hi) clamped = true;
    return std::min(hi, std::max(lo, x));
  };
  gain = clampTo(gain, config::kMinGain, config::kMaxGain);
  transposeSemitones =
      clampTo(transposeSemitones, -config::kMaxTransposeSemitones, config::kMaxTransposeSemitones);
  if (offsetInBlock < 0 || offsetInBlock > config::kMaxOffsetFrames) {
    clamped = true;
    offsetInBlock = std::min(config::kMaxOffsetFrames, std::max(0, offsetInBlock));
  }

  if (liveMode_ == LiveMode::kAlways ||
      (liveMode_ == LiveMode::kOutsideGrid && check == PointCheck::kClamped)) {
    if (!liveAttached_.load(std::memory_order_acquire)) return TriggerStatus::kLiveUnavailable;
    LiveRequest request;
    request.point = point;  // unclamped: the model is asked for the point itself
    request.gain = gain;
    request.transposeSemitones = transposeSemitones;
    request.id = ++liveSerial_;
    if (!liveRequests_.push(request)) return TriggerStatus::kLiveQueueFull;
    ++counters_.liveRequests;
    return TriggerStatus::kSentToLive;
  }

  adoptPendingBank();
  if (current_ < 0) return TriggerStatus::kNoBank;
  Event e;
  e.kind = Event::Kind::kTrigger;
  e.offset = offsetInBlock;
  e.point = p;
  e.gain = gain;
  e.transposeSemitones = transposeSemitones;
  if (!queueEvent(e)) return TriggerStatus::kEventQueueFull;
  return (clamped || check == PointCheck::kClamped) ? TriggerStatus::kQueuedClamped
                                                     : TriggerStatus::kQueued;
}

bool Engine::stopAll(int offsetInBlock) noexcept {
  Event e;
  e.kind = Event::Kind::kStopAll;
  e.offset = std::min(config::kMaxOffsetFrames, std::max(0, offsetInBlock));
  return queueEvent(e);
}

bool Engine::queueEvent(const Event& event) noexcept {
  if (eventCount_ == config::kMaxPendingEvents) return false;
  // Insertion keeps events sorted by offset, and in call order for equal offsets.
  int i = eventCount_;
  while (i > 0 && events_[i - 1].offset > event.offset) {
    events_[i] = events_[i - 1];
    --i;
  }
  events_[i] = event;
  ++eventCount_;
  return true;
}

void Engine::setVoiceLimit(int voices) noexcept {
  voiceLimit_ = std::min(settings_.maxVoices, std::max(1, voices));
  while (playing_ > voiceLimit_) {
    Voice* oldest = nullptr;
    for (Voice& v : voices_) {
      if (v.state == Voice::State::kPlaying && (!oldest || v.serial < oldest->serial)) {
        oldest = &v;
      }
    }
    beginFade(*oldest, 0);
    ++counters_.voicesStolen;
  }
}

EngineStats Engine::stats() const noexcept {
  EngineStats s = counters_;
  s.playingVoices = playing_;
  s.fadingVoices = fading_;
  s.voiceLimit = voiceLimit_;
  s.maxVoices = settings_.maxVoices;
  s.banksHeld = 0;
  for (const BankSlot& b : banks_) s.banksHeld += b.bank ? 1 : 0;
  return s;
}

const PlaybackBank* Engine::currentBank() const noexcept {
  return current_ < 0 ? nullptr : banks_[size_t(current_)].bank;
}

size_t Engine::memoryBytes() const noexcept {
  size_t bytes = sizeof(*this) + voices_.capacity() * sizeof(Voice) +
                 activeList_.capacity() * sizeof(int) +
                 config::kMaxPendingEvents * sizeof(Event) +
                 (config::kBlendScratchFrames + 2 * config::kChunkFrames) * sizeof(float);
  for (const BankSlot& b : banks_) bytes += b.bank ? b.bank->memoryBytes() : 0;
  return bytes;
}

void Engine::adoptPendingBank() noexcept {
  if (!pendingBank_.load(std::memory_order_relaxed)) return;
  size_t free = kNoSlot;
  for (size_t s = 0; s < banks_.size(); ++s) {
    if (!banks_[s].bank) {
      free = s;
      break;
    }
  }
  if (free == kNoSlot) return;  // older banks still play: try again next block
  PlaybackBank* bank = pendingBank_.exchange(nullptr, std::memory_order_acq_rel);
  if (!bank) return;
  banks_[free].bank = bank;
  banks_[free].users = 0;
  current_ = int(free);
}

void Engine::releaseUnusedBanks() noexcept {
  for (size_t s = 0; s < banks_.size(); ++s) {
    BankSlot& slot = banks_[s];
    if (slot.bank && int(s) != current_ && slot.users == 0) {
      Garbage g;
      g.bank = slot.bank;
      if (garbage_.push(g)) slot.bank = nullptr;  // else: retried next block
    }
  }
}

void Engine::takeLiveResults() noexcept {
  LiveWaveform* w = nullptr;
  // A waveform waits in the queue (and plays late) while every voice slot is busy.
  while (liveResults_.peek(w)) {
    if (w->samples.empty()) {
      Garbage g;
      g.live = w;
      if (!garbage_.push(g)) return;
      liveResults_.pop(w);
      continue;
    }
    const int slot = allocateSlot(0);
    if (slot < 0) return;
    liveResults_.pop(w);
    Voice& v = voices_[size_t(slot)];
    v = Voice();
    v.state = Voice::State::kPlaying;
    v.isF32 = true;
    v.taps = 1;
    v.bankSlot = -1;
    v.live = w;
    v.base[0] = w->samples.data();
    v.weight[0] = w->gain;
    v.length = int64_t(w->samples.size());
    v.step = std::min(double(config::kMaxReadStep),
                      std::exp2(double(w->transposeSemitones) / 12.0));
    v.unitStep = v.step == 1.0;
    v.serial = ++serial_;
    ++playing_;
    ++counters_.voicesStarted;
    ++counters_.liveStarted;
  }
}

void Engine::process(float* out, int nFrames) noexcept {
  if (nFrames <= 0) return;
  DenormalGuard denormals;
  std::fill(out, out + nFrames, 0.0f);
  adoptPendingBank();
  takeLiveResults();
  int e = 0;
  for (int c = 0; c < nFrames; c += config::kChunkFrames) {
    const int m = std::min(config::kChunkFrames, nFrames - c);
    while (e < eventCount_ && events_[e].offset < c + m) {
      applyEvent(events_[e], events_[e].offset - c);
      ++e;
    }
    renderChunk(out + c, m);
  }
  // Events for later blocks move to the front, their offsets now counted from the next one.
  int kept = 0;
  for (int i = e; i < eventCount_; ++i) {
    events_[kept] = events_[i];
    events_[kept].offset -= nFrames;
    ++kept;
  }
  eventCount_ = kept;
  releaseUnusedBanks();
}

void Engine::applyEvent(const Event& event, int frame) noexcept {
  if (event.kind == Event::Kind::kStopAll) {
    for (Voice& v : voices_) {
      if (v.state == Voice::State::kPlaying) beginFade(v, frame);
    }
    return;
  }
  if (current_ < 0) {
    ++counters_.droppedTriggers;
    return;
  }
  const int slot = allocateSlot(frame);
  if (slot < 0) {
    ++counters_.droppedTriggers;
    return;
  }
  BankSlot& bankSlot = banks_[size_t(current_)];
  const PlaybackBank& bank = *bankSlot.bank;
  const GridCell cell = bank.grid().locate(event.point);
  uint32_t index[config::kMaxTaps];
  float weight[config::kMaxTaps];
  const int taps = nonZeroCorners(cell, index, weight);

  Voice& v = voices_[size_t(slot)];
  v = Voice();
  v.state = Voice::State::kPlaying;
  v.isF32 = bank.storage() == bank::StorageType::kFloat32;
  v.taps = taps;
  v.bankSlot = current_;
  const float scale = v.isF32 ? 1.0f : bank.scale();
  for (int k = 0; k < taps; ++k) {
    v.base[k] = v.isF32 ? static_cast<const void*>(bank.f32(index[k]))
                        : static_cast<const void*>(bank.i16(index[k]));
    v.weight[k] = weight[k] * event.gain * scale;
  }
  v.length = bank.length();
  v.step = std::min(double(config::kMaxReadStep),
                    std::exp2(double(event.transposeSemitones) / 12.0));
  v.unitStep = v.step == 1.0;
  v.startFrame = frame;
  v.serial = ++serial_;
  ++bankSlot.users;
  ++playing_;
  ++counters_.voicesStarted;
}

int Engine::allocateSlot(int frame) noexcept {
  int free = -1;
  for (size_t i = 0; i < voices_.size(); ++i) {
    if (voices_[i].state == Voice::State::kFree) {
      free = int(i);
      break;
    }
  }
  if (free < 0) return -1;
  if (playing_ >= voiceLimit_) {
    Voice* oldest = nullptr;
    for (Voice& v : voices_) {
      if (v.state == Voice::State::kPlaying && (!oldest || v.serial < oldest->serial)) {
        oldest = &v;
      }
    }
    if (oldest) {
      beginFade(*oldest, frame);
      ++counters_.voicesStolen;
    }
  }
  return free;
}

void Engine::beginFade(Voice& voice, int frame) noexcept {
  voice.state = Voice::State::kFading;
  voice.fadeStartFrame = frame;
  voice.fadeDone = 0;
  --playing_;
  ++fading_;
}

void Engine::endVoice(Voice& voice) noexcept {
  if (voice.state == Voice::State::kPlaying) --playing_;
  if (voice.state == Voice::State::kFading) --fading_;
  if (voice.bankSlot >= 0) --banks_[size_t(voice.bankSlot)].users;
  voice.bankSlot = -1;
  if (voice.live) {
    Garbage g;
    g.live = voice.live;
    if (!garbage_.push(g)) {
      voice.state = Voice::State::kRetiring;  // retried next chunk
      return;
    }
    voice.live = nullptr;
  }
  voice.state = Voice::State::kFree;
}

void Engine::renderChunk(float* out, int nFrames) noexcept {
  int n = 0;
  for (size_t i = 0; i < voices_.size(); ++i) {
    if (voices_[i].state != Voice::State::kFree) activeList_[size_t(n++)] = int(i);
  }
  const int ahead = settings_.prefetch ? config::kPrefetchVoicesAhead : 0;
  if (ahead > 0) {
    for (int j = 0; j < std::min(ahead, n); ++j) prefetch(voices_[size_t(activeList_[j])], nFrames);
  }
  for (int j = 0; j < n; ++j) {
    if (ahead > 0 && j + ahead < n) {
      prefetch(voices_[size_t(activeList_[size_t(j + ahead)])], nFrames);
    }
    renderVoice(voices_[size_t(activeList_[size_t(j)])], out, nFrames);
  }
}

void Engine::prefetch(const Voice& voice, int nFrames) const noexcept {
  if (voice.state != Voice::State::kPlaying && voice.state != Voice::State::kFading) return;
  const int bytesPerSample = voice.isF32 ? 4 : 2;
  const int64_t first = std::max<int64_t>(0, int64_t(voice.position) - 1);
  const int64_t frames =
      voice.unitStep ? nFrames : int64_t(std::ceil(nFrames * voice.step)) + 3;
  const int64_t bytes = std::min<int64_t>(frames, voice.length - first) * bytesPerSample;
  if (bytes <= 0) return;
  for (int k = 0; k < voice.taps; ++k) {
    const char* p = static_cast<const char*>(voice.base[k]) + first * bytesPerSample;
    for (int64_t b = 0; b < bytes; b += config::kCacheLineBytes) __builtin_prefetch(p + b, 0, 3);
    __builtin_prefetch(p + bytes - 1, 0, 3);
  }
}

void Engine::mixDirect(const Voice& v, int64_t position, float* out, int nFrames) noexcept {
  if (v.isF32) {
    const float* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = static_cast<const float*>(v.base[k]) + position;
    kernels_.f32(src, v.weight, v.taps, out, nFrames);
  } else {
    const int16_t* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = static_cast<const int16_t*>(v.base[k]) + position;
    kernels_.i16(src, v.weight, v.taps, out, nFrames);
  }
}

void Engine::mixTransposed(const Voice& v, const float* gain, float* out, int nFrames) noexcept {
  // Blend once over every frame the Hermite reader touches, zero outside the waveform.
  const double last = v.position + double(nFrames - 1) * v.step;
  const int64_t first = int64_t(std::floor(v.position)) - 1;
  const int64_t end = int64_t(std::floor(last)) + 3;  // exclusive
  const int count = int(end - first);
  float* blend = blend_.get();
  std::fill(blend, blend + count, 0.0f);
  const int64_t lo = std::max<int64_t>(first, 0);
  const int64_t hi = std::min<int64_t>(end, v.length);
  if (hi > lo) mixDirect(v, lo, blend + (lo - first), int(hi - lo));
  readHermite(blend, first, v.position, v.step, gain, out, nFrames);
}

void Engine::renderVoice(Voice& v, float* out, int nFrames) noexcept {
  if (v.state == Voice::State::kRetiring) {
    Garbage g;
    g.live = v.live;
    if (garbage_.push(g)) {
      v.live = nullptr;
      v.state = Voice::State::kFree;
    }
    return;
  }
  const int begin = v.startFrame;
  if (begin >= nFrames) {
    v.startFrame -= nFrames;
    return;
  }
  v.startFrame = 0;
  // Output frames left before the natural end: positions p + k * step < length.
  const int64_t left =
      v.unitStep ? v.length - int64_t(v.position)
                 : int64_t(std::ceil((double(v.length) - v.position) / v.step));
  int end = begin + int(std::min<int64_t>(nFrames - begin, std::max<int64_t>(left, 0)));
  int fadeFrom = nFrames;
  const bool fading = v.state == Voice::State::kFading;
  if (fading) {
    fadeFrom = std::max(begin, v.fadeStartFrame);
    end = std::min(end, fadeFrom + (fadeFrames_ - v.fadeDone));
    v.fadeStartFrame = 0;  // a fade that goes on continues from the next chunk's start
  }
  const int n = std::max(0, end - begin);
  if (n > 0) {
    const bool envelope = fadeFrom < end;
    float* ramp = nullptr;
    if (envelope) {
      // Linear to zero: fade frame k has gain (F - 1 - k) / F, so the largest step the fade
      // itself adds is 1/F of the voice's amplitude.
      ramp = ramp_.get();
      const float inv = 1.0f / float(fadeFrames_);
      for (int i = 0; i < n; ++i) {
        const int k = begin + i - fadeFrom + v.fadeDone;
        ramp[i] = k < v.fadeDone ? 1.0f : float(fadeFrames_ - 1 - k) * inv;
      }
      v.fadeDone += end - std::max(fadeFrom, begin);
    }
    if (!v.unitStep) {
      mixTransposed(v, ramp, out + begin, n);
    } else if (!envelope) {
      mixDirect(v, int64_t(v.position), out + begin, n);
    } else {
      float* tmp = voiceOut_.get();
      std::fill(tmp, tmp + n, 0.0f);
      mixDirect(v, int64_t(v.position), tmp, n);
      for (int i = 0; i < n; ++i) out[begin + i] += ramp[i] * tmp[i];
    }
    v.position += v.unitStep ? double(n) : double(n) * v.step;
  }
  const bool ended = (v.unitStep ? int64_t(v.position) >= v.length : v.position >= double(v.length)) ||
                     (fading && v.fadeDone >= fadeFrames_) || left <= 0;
  if (ended) endVoice(v);
}

}  // namespace wae::runtime

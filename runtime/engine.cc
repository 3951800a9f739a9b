#include "runtime/engine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "runtime/align.h"
#include "runtime/level.h"

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace wae::runtime {
namespace {

// Flushes denormals to zero for the scope, restoring the caller's mode after: a fading voice
// or a quiet tail must not fall onto the slow denormal path (on x86 a denormal operand or
// result costs about a hundred cycles; some ARM cores trap to a slow path too). Compiled per
// architecture: x86 sets MXCSR's FTZ and DAZ bits, AArch64 the FPCR's FZ bit (bit 24, which
// flushes both inputs and results for single and double precision); elsewhere nothing is
// changed and denormals are only slow, never wrong.
class DenormalGuard {
 public:
#if defined(__SSE__)
  DenormalGuard() noexcept : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040u); }
  ~DenormalGuard() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#elif defined(__aarch64__)
  DenormalGuard() noexcept {
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(saved_));
    const uint64_t flushed = saved_ | (uint64_t(1) << 24);
    __asm__ __volatile__("msr fpcr, %0" : : "r"(flushed));
  }
  ~DenormalGuard() { __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_)); }

 private:
  uint64_t saved_;
#endif
};

constexpr size_t kNoSlot = size_t(-1);
constexpr uint64_t kNotPlaying = UINT64_MAX;

// floor and ceil for x >= 0 without libm calls (the baseline x86-64 target has no roundsd).
inline int64_t floorPositive(double x) noexcept { return int64_t(x); }
inline int64_t ceilPositive(double x) noexcept {
  const int64_t i = int64_t(x);
  return double(i) < x ? i + 1 : i;
}

}  // namespace

// One voice slot, laid out in four cache lines: the control fields every block reads, the
// tap offsets, the tap weights, the tap read rates (pitch-aligned voices only). The mix prefetches
// them a few voices ahead.
struct alignas(64) Engine::Voice {
  enum class State : uint8_t {
    kFree,
    kPlaying,
    kFading,
    kRetiring,  // finished; its live waveform waits for room in the garbage queue
  };
  double position = 0;  // next frame to read (fractional if transposed)
  double step = 1;
  const void* base = nullptr;  // the bank's samples, or the live waveform's
  // A bank with a noise part: the noise parts lie noiseOffset samples past base (0: none).
  // The noise taps have the harmonic taps' offsets and weights; an unaligned voice reads them
  // as it reads those, an aligned one at its own frames per output frame, noiseStep (the
  // transposition's), from frame elapsed * noiseStep.
  uint32_t noiseOffset = 0;
  float noiseStep = 1;
  int length = 0;          // frames
  int startFrame = 0;      // frames of the current chunk before the voice begins
  int fadeStartFrame = 0;  // frame of the current chunk where a fade begins
  int fadeDone = 0;        // fade frames already played
  int elapsed = 0;         // output frames played
  // A bank with a noise part: the noise taps' weights are weight[k] * noiseGain (the two
  // parts' levels are held apart: runtime/level.h).
  float noiseGain = 1;
  State state = State::kFree;
  bool isF32 = true;
  bool unitStep = true;  // transposition 0 and not aligned: read sample for sample
  bool aligned = false;  // taps read at their own rates, rate[k] * step (pitch alignment)
  uint8_t taps = 0;
  int8_t bankSlot = -1;  // -1: a live waveform (its owner is in live_)
  alignas(64) uint32_t offset[config::kMaxTaps] = {};  // first sample of each tap, from base
  alignas(64) float weight[config::kMaxTaps] = {};     // grid weight * gain * int16 scale
  // Aligned voices: tap k reads at position * rate[k], advancing step * rate[k] per output
  // frame; rate[k] <= 1, so `position` and `step` are those of the fastest tap, which
  // reaches the waveform's end first and so sets the voice's length.
  alignas(64) float rate[config::kMaxTaps] = {};
};
constexpr int kVoiceLines = 4;
static_assert(config::kMaxBanks <= 127, "Voice::bankSlot is an int8_t");
struct Engine::Event {
  enum class Kind : uint8_t { kTrigger, kStopAll };
  Kind kind = Kind::kTrigger;
  int offset = 0;
  Point point{};
  float gain = 1.0f;
  float transposeSemitones = 0.0f;
  Interpolation interpolation = Interpolation::kBlend;  // as set when trigger() was called
  bool align = true;                                    // likewise
  bool note = false;   // transposeSemitones is an absolute MIDI pitch (triggerNote())
  uint16_t scale = 0;  // as set when trigger() was called
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
  fadeFrames_ = config::fadeFramesAt(settings.sampleRate);
  static_assert(sizeof(Voice) == kVoiceLines * config::kCacheLineBytes,
                "a voice is four cache lines");
  voiceLimit_ = settings.maxVoices;
  const size_t slots = size_t(settings.maxVoices) * config::kSlotsPerVoice;
  voices_.resize(slots);
  activeList_.resize(slots);
  freeSlots_.resize(slots);
  // Slot 0 on top of the stack, so a quiet engine reuses the same few slots.
  for (size_t i = 0; i < slots; ++i) freeSlots_[i] = int(slots - 1 - i);
  freeCount_ = int(slots);
  playingSerial_.assign(slots, kNotPlaying);
  live_.assign(slots, nullptr);
  events_.reset(new Event[config::kMaxPendingEvents]);
  blend_.reset(new float[config::kBlendScratchFrames]());
  voiceOut_.reset(new float[config::kChunkFrames]());
  ramp_.reset(new float[config::kChunkFrames]());
  noiseGain_.reset(new float[config::kChunkFrames]());
}

Engine::~Engine() {
  delete pendingBank_.exchange(nullptr);
  for (LiveWaveform* w : live_) delete w;
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
  return queueTrigger(point, gain, transposeSemitones, false, offsetInBlock);
}

TriggerStatus Engine::triggerNote(const Point& point, float gain, float midiPitch,
                                  int offsetInBlock) noexcept {
  return queueTrigger(point, gain, midiPitch, true, offsetInBlock);
}

TriggerStatus Engine::queueTrigger(const Point& point, float gain, float transposeSemitones,
                                   bool note, int offsetInBlock) noexcept {
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
  // A note's pitch is clamped to MIDI 0..127; the transposition it gives is clamped to the
  // transposition range when the voice starts (it depends on the bank then current).
  transposeSemitones = note ? clampTo(transposeSemitones, 0.0f, 127.0f)
                            : clampTo(transposeSemitones, -config::kMaxTransposeSemitones,
                                      config::kMaxTransposeSemitones);
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
    // The live worker's waveform has no known pitch: a note transposes from MIDI 60.
    request.transposeSemitones =
        note ? std::min(config::kMaxTransposeSemitones,
                        std::max(-config::kMaxTransposeSemitones, transposeSemitones - 60.0f))
             : transposeSemitones;
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
  e.interpolation = interpolation_;
  e.align = pitchAlignment_;
  e.note = note;
  e.scale = scale_;
  if (!queueEvent(e)) return TriggerStatus::kEventQueueFull;
  return (clamped || check == PointCheck::kClamped) ? TriggerStatus::kQueuedClamped
                                                    : TriggerStatus::kQueued;
}

bool Engine::stopAll(int offsetInBlock) noexcept {
  Event e;
  e.kind = Event::Kind::kStopAll;
  e.offset = std::min(config::kMaxOffsetFrames, std::max(0, offsetInBlock));
  if (!queueEvent(e)) return false;
  liveCancelledUpTo_ = liveSerial_;
  return true;
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
    beginFade(oldestPlaying(), 0);
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
                 (activeList_.capacity() + freeSlots_.capacity()) * sizeof(int) +
                 playingSerial_.capacity() * sizeof(uint64_t) +
                 config::kMaxPendingEvents * sizeof(Event) +
                 (config::kBlendScratchFrames + 3 * config::kChunkFrames) * sizeof(float);
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
    if (w->samples.empty() || w->id <= liveCancelledUpTo_) {
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
    v.isF32 = true;
    v.taps = 1;
    v.bankSlot = -1;
    live_[size_t(slot)] = w;
    v.base = w->samples.data();
    v.offset[0] = 0;
    v.weight[0] = w->gain;
    v.length = int(std::min<size_t>(w->samples.size(), size_t(INT32_MAX)));
    v.step =
        std::min(double(config::kMaxReadStep), std::exp2(double(w->transposeSemitones) / 12.0));
    v.unitStep = v.step == 1.0;
    startVoice(slot);
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
    for (int j = 0; j < activeCount_; ++j) {
      const int slot = activeList_[size_t(j)];
      if (voices_[size_t(slot)].state == Voice::State::kPlaying) beginFade(slot, frame);
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
  int taps = 1;
  if (event.interpolation == Interpolation::kNearest) {
    index[0] = cell.flatIndex[size_t(nearestCorner(cell))];
    weight[0] = 1.0f;
  } else {
    taps = nonZeroCorners(cell, index, weight);
  }
  // The corners are mixed with `mix`: the grid's weights, or on a bank with a blend exponent
  // their curved form; the pitch and the level follow the grid's weights.
  float curved[config::kMaxTaps];
  const float* mix = weight;
  if (taps > 1 && bank.blendExponent() != 1.0) {
    curvedCorners(cell, bank.blendExponent(), curved);
    mix = curved;
  }

  // A bank that blends levels in dB: the weights' mean of the corners' levels, each part's on
  // its own (runtime/level.h).
  float harmonicGain = 1.0f, noiseGain = 1.0f;
  if (bank.levelInDb() && taps > 1) {
    float level[config::kMaxTaps];
    for (int k = 0; k < taps; ++k) level[k] = bank.level(index[k]);
    harmonicGain = levelGain(level, weight, mix, taps);
    if (bank.hasNoise()) {
      for (int k = 0; k < taps; ++k) level[k] = bank.level(bank.pointCount() + index[k]);
      noiseGain = levelGain(level, weight, mix, taps) / harmonicGain;
    }
  }

  Voice& v = voices_[size_t(slot)];
  v = Voice();
  v.isF32 = bank.storage() == bank::StorageType::kFloat32;
  v.taps = uint8_t(taps);
  v.bankSlot = int8_t(current_);
  v.base = v.isF32 ? static_cast<const void*>(bank.f32(0)) : static_cast<const void*>(bank.i16(0));
  // PlaybackBank guarantees that every row, the noise parts' included, is within 2^32 samples.
  v.noiseOffset = uint32_t(bank.noiseOffset());
  for (int k = 0; k < taps; ++k) {
    // PlaybackBank guarantees points * length < 2^32.
    v.offset[k] = uint32_t(size_t(index[k]) * size_t(bank.length()));
    // int16: each corner's own scale (format 4), in the weight at no cost per sample.
    v.weight[k] = mix[k] * harmonicGain * event.gain * (v.isF32 ? 1.0f : bank.scale(index[k]));
  }
  v.noiseGain = noiseGain;
  v.length = int(bank.length());
  double transpose = std::exp2(double(event.transposeSemitones) / 12.0);
  if (event.note) {
    // From the point's own pitch (unpitched: from MIDI 60) to the asked MIDI pitch.
    const double asked = 440.0 * std::exp2((double(event.transposeSemitones) - 69.0) / 12.0);
    double f = 0;
    transpose = bank.hasPitch() && pitchOf(bank, index, weight, taps, f)
                    ? asked / f
                    : std::exp2((double(event.transposeSemitones) - 60.0) / 12.0);
    const double widest = std::exp2(double(config::kMaxTransposeSemitones) / 12.0);
    transpose = std::min(widest, std::max(1.0 / widest, transpose));
  } else if (event.scale != 0 && bank.hasPitch()) {
    // To the scale's pitch nearest the point's pitch as transposed.
    double f = 0;
    if (pitchOf(bank, index, weight, taps, f)) {
      const double played = 69.0 + 12.0 * std::log2(f * transpose / 440.0);
      transpose *= std::exp2((quantiseToScale(played, event.scale) - played) / 12.0);
    }
  }
  v.step = std::min(double(config::kMaxReadStep), transpose);
  if (event.align && taps > 1 && bank.hasPitch()) alignTaps(bank, index, weight, transpose, v);
  v.unitStep = !v.aligned && v.step == 1.0;
  if (v.aligned) ++counters_.alignedVoices;
  v.startFrame = frame;
  ++bankSlot.users;
  startVoice(slot);
}

// The pitch of a point from its taps (runtime::blendPitch). False when no tap is pitched. The
// bank must have pitch.
bool Engine::pitchOf(const PlaybackBank& bank, const uint32_t* index, const float* weight, int taps,
                     double& f) noexcept {
  float f0[config::kMaxTaps];
  for (int k = 0; k < taps; ++k) f0[k] = bank.f0Hz(index[k]);
  return blendPitch(f0, weight, taps, f);
}

// Pitch alignment (runtime::alignRates): leaves the voice unaligned when every tap would read
// at the same rate (at most one distinct f0, or no pitched corner).
void Engine::alignTaps(const PlaybackBank& bank, const uint32_t* index, const float* weight,
                       double transpose, Voice& v) noexcept {
  float f0[config::kMaxTaps];
  for (int k = 0; k < v.taps; ++k) f0[k] = bank.f0Hz(index[k]);
  double step = 0, noiseStep = 0;
  if (!alignRates(f0, weight, v.taps, transpose, v.rate, step, &noiseStep)) return;
  v.step = step;
  v.noiseStep = float(noiseStep);
  v.aligned = true;
}

void Engine::startVoice(int slot) noexcept {
  Voice& v = voices_[size_t(slot)];
  v.state = Voice::State::kPlaying;
  playingSerial_[size_t(slot)] = ++serial_;
  activeList_[size_t(activeCount_++)] = slot;
  ++playing_;
  ++counters_.voicesStarted;
}

int Engine::oldestPlaying() const noexcept {
  // A scan of one word per slot: steals are rare beside samples, and this stays in cache.
  uint64_t best = kNotPlaying;
  int slot = -1;
  for (size_t i = 0; i < playingSerial_.size(); ++i) {
    if (playingSerial_[i] < best) {
      best = playingSerial_[i];
      slot = int(i);
    }
  }
  return slot;
}

int Engine::allocateSlot(int frame) noexcept {
  if (freeCount_ == 0) return -1;
  if (playing_ >= voiceLimit_) {
    const int oldest = oldestPlaying();
    if (oldest >= 0) {
      beginFade(oldest, frame);
      ++counters_.voicesStolen;
    }
  }
  return freeSlots_[size_t(--freeCount_)];
}

void Engine::beginFade(int slot, int frame) noexcept {
  Voice& voice = voices_[size_t(slot)];
  voice.state = Voice::State::kFading;
  voice.fadeStartFrame = frame;
  voice.fadeDone = 0;
  playingSerial_[size_t(slot)] = kNotPlaying;
  --playing_;
  ++fading_;
}

void Engine::endVoice(int slot) noexcept {
  Voice& voice = voices_[size_t(slot)];
  if (voice.state == Voice::State::kPlaying) --playing_;
  if (voice.state == Voice::State::kFading) --fading_;
  playingSerial_[size_t(slot)] = kNotPlaying;
  if (voice.bankSlot >= 0) --banks_[size_t(voice.bankSlot)].users;
  voice.bankSlot = -1;
  if (LiveWaveform*& live = live_[size_t(slot)]) {
    Garbage g;
    g.live = live;
    if (!garbage_.push(g)) {
      voice.state = Voice::State::kRetiring;  // retried next chunk
      return;
    }
    live = nullptr;
  }
  voice.state = Voice::State::kFree;
  freeSlots_[size_t(freeCount_++)] = slot;
}

void Engine::renderChunk(float* out, int nFrames) noexcept {
  switch (settings_.prefetchLocality) {
    case 0:
      renderVoices<0>(out, nFrames);
      break;
    case 1:
      renderVoices<1>(out, nFrames);
      break;
    case 2:
      renderVoices<2>(out, nFrames);
      break;
    default:
      renderVoices<3>(out, nFrames);
      break;
  }
}

// Mixes every active voice, keeping in the list those that go on. With thousands of voices
// their samples are not in cache: the samples of the voice `ahead` places on, and the slot of
// the one 2 * `ahead` places on, are prefetched while this one is mixed.
template <int kLocality>
void Engine::renderVoices(float* out, int nFrames) noexcept {
  const int count = activeCount_;
  const int ahead = settings_.prefetchVoicesAhead;
  const int* list = activeList_.data();
  if (ahead > 0) {
    for (int j = 0; j < std::min(2 * ahead, count); ++j) {
      const char* slot = reinterpret_cast<const char*>(&voices_[size_t(list[j])]);
      for (int line = 0; line < kVoiceLines; ++line)
        __builtin_prefetch(slot + line * config::kCacheLineBytes);
    }
    for (int j = 0; j < std::min(ahead, count); ++j) {
      prefetch<kLocality>(voices_[size_t(list[j])], nFrames);
    }
  }
  int kept = 0;
  for (int j = 0; j < count; ++j) {
    if (ahead > 0) {
      if (j + 2 * ahead < count) {
        const char* slot = reinterpret_cast<const char*>(&voices_[size_t(list[j + 2 * ahead])]);
        for (int line = 0; line < kVoiceLines; ++line) {
          __builtin_prefetch(slot + line * config::kCacheLineBytes);
        }
      }
      if (j + ahead < count) prefetch<kLocality>(voices_[size_t(list[j + ahead])], nFrames);
    }
    const int slot = list[j];
    renderVoice(slot, out, nFrames);
    // Writes never pass reads: kept <= j.
    if (voices_[size_t(slot)].state != Voice::State::kFree) activeList_[size_t(kept++)] = slot;
  }
  activeCount_ = kept;
}

// Always inlined: GCC 12 finds an out-of-line function that only prefetches free of side
// effects and deletes the calls to it.
template <int kLocality>
inline __attribute__((always_inline)) void Engine::prefetch(const Voice& voice,
                                                            int nFrames) const noexcept {
  if (voice.state != Voice::State::kPlaying && voice.state != Voice::State::kFading) return;
  const int bytesPerSample = voice.isF32 ? 4 : 2;
  // The taps of one part (`part` samples past base), tap k read from position * rate(k) at
  // step * rate(k), `unit` when sample for sample.
  auto taps = [&](uint32_t part, double position, double step, bool unit, auto rate) {
    for (int k = 0; k < voice.taps; ++k) {
      // A fractional reading takes six samples around each position (from two before it);
      // an aligned group's sum runs up to 7 frames on (mix.cc, sumGroup).
      const double r = rate(k);
      const int64_t first = std::max<int64_t>(0, int64_t(position * r) - 2);
      const int64_t frames = unit ? nFrames : ceilPositive(nFrames * step * r) + 6 + 7;
      const int64_t bytes = std::min<int64_t>(frames, voice.length - first) * bytesPerSample;
      if (bytes <= 0) continue;
      const char* p = static_cast<const char*>(voice.base) +
                      (size_t(voice.offset[k]) + part + size_t(first)) * bytesPerSample;
      for (int64_t b = 0; b < bytes; b += config::kCacheLineBytes) {
        __builtin_prefetch(p + b, 0, kLocality);
      }
      __builtin_prefetch(p + bytes - 1, 0, kLocality);
    }
  };
  auto one = [](int) { return 1.0; };
  if (voice.aligned) {
    // Each tap from its own position at its own step.
    taps(0, voice.position, voice.step, false, [&](int k) { return double(voice.rate[k]); });
    if (voice.noiseOffset)
      taps(voice.noiseOffset, double(voice.elapsed) * voice.noiseStep, voice.noiseStep,
           voice.noiseStep == 1.0f, one);
  } else {
    taps(0, voice.position, voice.step, voice.unitStep, one);
    if (voice.noiseOffset) taps(voice.noiseOffset, voice.position, voice.step, voice.unitStep, one);
  }
}

// The taps of one part of the voice (`part`: 0, or its noiseOffset), read sample for sample
// from `position`.
void Engine::mixDirect(const Voice& v, uint32_t part, int64_t position, float* out,
                       int nFrames) noexcept {
  position += int64_t(part);
  const float* weight = v.weight;
  float noiseWeight[config::kMaxTaps];
  if (part != 0 && v.noiseGain != 1.0f) {
    for (int k = 0; k < v.taps; ++k) noiseWeight[k] = v.weight[k] * v.noiseGain;
    weight = noiseWeight;
  }
  if (v.isF32) {
    const float* base = static_cast<const float*>(v.base) + position;
    const float* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = base + v.offset[k];
    kernels_.f32(src, weight, v.taps, out, nFrames);
  } else {
    const int16_t* base = static_cast<const int16_t*>(v.base) + position;
    const int16_t* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = base + v.offset[k];
    kernels_.i16(src, weight, v.taps, out, nFrames);
  }
}

// The taps of one part, read from `position` at `step` frames per output frame.
void Engine::mixTransposed(const Voice& v, uint32_t part, double position, double step,
                           const float* gain, float* out, int nFrames) noexcept {
  // Blend once over every frame the fractional reader touches, zero outside the waveform.
  const double last = position + double(nFrames - 1) * step;
  const int64_t first = floorPositive(position) - 2;
  const int64_t end = floorPositive(last) + 4;  // exclusive
  const int count = int(end - first);
  float* blend = blend_.get();
  std::fill(blend, blend + count, 0.0f);
  const int64_t lo = std::max<int64_t>(first, 0);
  const int64_t hi = std::min<int64_t>(end, v.length);
  if (hi > lo) mixDirect(v, part, lo, blend + (lo - first), int(hi - lo));
  readInterpolated(blend, first, position, step, gain, out, nFrames);
}

// The noise part of a voice on a bank with one: read as the harmonic part is (unaligned
// voices), or, aligned, at the transposition alone (noiseStep), unresampled when that is 1:
// the noise of every grid point is the same fixed signal filtered by its own envelope, so the
// plain blend of the corners' noise parts is the noise of the point between them.
//
// An aligned voice lasts until its slowest-read corner ends, which is after its noise part
// ends whenever a corner is read slower than the transposition: the noise part then tapers
// on its own over the fade's length before its end, as a voice does (frame k of the fade at
// (F - 1 - k) / F), so it never stops with a step.
void Engine::mixNoise(const Voice& v, const float* gain, float* out, int nFrames) noexcept {
  const bool unit = v.aligned ? v.noiseStep == 1.0f : v.unitStep;
  const double position = v.aligned ? double(v.elapsed) * v.noiseStep : v.position;
  const double step = v.aligned ? double(v.noiseStep) : v.step;
  if (!(position < double(v.length))) return;
  if (v.aligned) {
    const int64_t left =
        unit ? v.length - int64_t(position) : ceilPositive((double(v.length) - position) / step);
    if (left - nFrames < fadeFrames_) {
      float* taper = noiseGain_.get();
      const float inv = 1.0f / float(fadeFrames_);
      for (int i = 0; i < nFrames; ++i) {
        const int64_t k = fadeFrames_ - (left - i);  // frame of the taper, < 0 before it
        const float g = k < 0 ? 1.0f : k >= fadeFrames_ ? 0.0f : float(fadeFrames_ - 1 - k) * inv;
        taper[i] = gain ? gain[i] * g : g;
      }
      gain = taper;
    }
  }
  if (!unit) {
    mixTransposed(v, v.noiseOffset, position, step, gain, out, nFrames);
    return;
  }
  const int n = int(std::min<int64_t>(nFrames, v.length - int64_t(position)));
  if (!gain) {
    mixDirect(v, v.noiseOffset, int64_t(position), out, n);
    return;
  }
  float* tmp = voiceOut_.get();
  std::fill(tmp, tmp + n, 0.0f);
  mixDirect(v, v.noiseOffset, int64_t(position), tmp, n);
  for (int i = 0; i < n; ++i) out[i] += gain[i] * tmp[i];
}

static_assert(config::kBlendScratchFrames >= 2 * config::kChunkFrames,
              "mixAlignedHeld's scratch is the blend buffer");

void Engine::mixAlignedVoice(const Voice& v, const float* gain, float* out, int nFrames) noexcept {
  // Without an envelope the kernel adds to the output itself.
  float* tmp = gain ? voiceOut_.get() : out;
  if (gain) std::fill(tmp, tmp + nFrames, 0.0f);
  if (v.isF32) {
    const float* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = static_cast<const float*>(v.base) + v.offset[k];
    mixAlignedHeld(kernels_.alignedF32, src, v.weight, v.rate, v.taps, v.length, v.position, v.step,
                   fadeFrames_, blend_.get(), tmp, nFrames);
  } else {
    const int16_t* src[config::kMaxTaps];
    for (int k = 0; k < v.taps; ++k) src[k] = static_cast<const int16_t*>(v.base) + v.offset[k];
    if (alignedTapsSteady(v.rate, v.taps, v.length, v.position, v.step, fadeFrames_, nFrames)) {
      // Nearly always: no corner fades, and mixAlignedHeld would be the kernel alone.
      kernels_.alignedI16(src, v.weight, v.rate, v.taps, v.length, v.position, v.step, tmp,
                          nFrames);
    } else {
      // Corners at their own scales (format 4): the held level leaves the scales out, as a
      // float32 bank of the same samples would hold it.
      float scale[config::kMaxTaps];
      const float* tapScale = nullptr;
      const PlaybackBank* bank = v.bankSlot >= 0 ? banks_[size_t(v.bankSlot)].bank : nullptr;
      if (bank && !bank->info().pointScale.empty()) {
        for (int k = 0; k < v.taps; ++k) scale[k] = bank->scale(v.offset[k] / uint32_t(v.length));
        tapScale = scale;
      }
      mixAlignedHeld(kernels_.alignedI16, src, v.weight, v.rate, v.taps, v.length, v.position,
                     v.step, fadeFrames_, blend_.get(), tmp, nFrames, tapScale);
    }
  }
  if (gain)
    for (int i = 0; i < nFrames; ++i) out[i] += gain[i] * tmp[i];
}

void Engine::renderVoice(int slot, float* out, int nFrames) noexcept {
  Voice& v = voices_[size_t(slot)];
  if (v.state == Voice::State::kRetiring) {
    endVoice(slot);
    return;
  }
  const int begin = v.startFrame;
  if (begin >= nFrames) {
    v.startFrame -= nFrames;
    return;
  }
  v.startFrame = 0;
  // Output frames left before the natural end: positions p + k * step < length; for an
  // aligned voice, until its slowest-read tap ends (the others fade out on the way).
  // (alignedFramesLeft's, with the slowest rate found once for the block.)
  const float slowestRate = v.aligned ? *std::min_element(v.rate, v.rate + v.taps) : 1.0f;
  const int64_t left = v.aligned ? tapFramesLeft(slowestRate, v.length, v.position, v.step)
                       : v.unitStep
                           ? v.length - int64_t(v.position)
                           : ceilPositive(std::max(0.0, double(v.length) - v.position) / v.step);
  // End-of-voice taper: a playing voice starts the stealing fade kFadeFrames before its
  // natural end, so a waveform whose tail is not silent never ends with a step. A voice
  // shorter than the fade plays the fade's tail only (the same slope, ending at zero).
  if (v.state == Voice::State::kPlaying) {
    const int64_t fadeAt = left - fadeFrames_;  // frames after `begin`
    if (fadeAt < int64_t(nFrames - begin)) {
      beginFade(slot, begin + int(std::max<int64_t>(fadeAt, 0)));
      if (fadeAt < 0) v.fadeDone = int(std::min<int64_t>(-fadeAt, fadeFrames_));
    }
  }
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
    if (v.aligned) {
      mixAlignedVoice(v, ramp, out + begin, n);
    } else if (!v.unitStep) {
      mixTransposed(v, 0, v.position, v.step, ramp, out + begin, n);
    } else if (!envelope) {
      mixDirect(v, 0, int64_t(v.position), out + begin, n);
    } else {
      float* tmp = voiceOut_.get();
      std::fill(tmp, tmp + n, 0.0f);
      mixDirect(v, 0, int64_t(v.position), tmp, n);
      for (int i = 0; i < n; ++i) out[begin + i] += ramp[i] * tmp[i];
    }
    if (v.noiseOffset) mixNoise(v, ramp, out + begin, n);
    v.position += v.unitStep ? double(n) : double(n) * v.step;
    v.elapsed += n;
  }
  const bool ended = (v.aligned    ? tapFramesLeft(slowestRate, v.length, v.position, v.step) <= 0
                      : v.unitStep ? int64_t(v.position) >= v.length
                                   : v.position >= double(v.length)) ||
                     (fading && v.fadeDone >= fadeFrames_) || left <= 0;
  if (ended) endVoice(slot);
}

}  // namespace wae::runtime

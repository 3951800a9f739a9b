// Capacities and units of the real-time engine, in one place. Everything sized here is
// allocated when an Engine is built; nothing on the audio path grows past these numbers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wae::runtime::config {

// ---- Voices ----
// Ceiling on the polyphony an Engine may be built with (EngineSettings::maxVoices).
inline constexpr int kMaxVoices = 8192;
inline constexpr int kDefaultVoices = 32;
// Voice slots per unit of polyphony: a stolen voice fades out in a slot of its own while the
// new one starts in another, so the pool holds this many slots per playable voice. When
// every slot is busy (more than maxVoices steals within one fade), a new trigger is dropped
// and counted (EngineStats::droppedTriggers) rather than cutting a voice with a click.
inline constexpr int kSlotsPerVoice = 2;

// ---- Fades ----
// Length of the linear fade of a stolen or stopped voice: this many frames at the
// reference rate, scaled to the engine's rate (64 frames = 1.33 ms at 48 kHz).
inline constexpr int kFadeFramesAtReference = 64;
inline constexpr int kFadeReferenceRateHz = 48000;
// The fade's length at `sampleRate`, at least 1 frame.
constexpr int fadeFramesAt(int sampleRate) {
  const long frames =
      (long(kFadeFramesAtReference) * sampleRate + kFadeReferenceRateHz / 2) / kFadeReferenceRateHz;
  return frames < 1 ? 1 : int(frames);
}

// ---- Blocks and events ----
// The engine renders in sub-blocks of at most this many frames; process() takes any size.
inline constexpr int kChunkFrames = 64;
// Triggers and stops waiting for the next process() call (the rest are refused).
inline constexpr int kMaxPendingEvents = 256;
// Largest trigger offset accepted, in frames after the start of the next process() call;
// offsets beyond the block are carried to later blocks.
inline constexpr int kMaxOffsetFrames = 1 << 20;

// ---- Interpolation ----
// 4-D grid: 2^4 neighbours around a point.
inline constexpr int kDims = 4;
inline constexpr int kMaxTaps = 16;
// Transposition range in semitones (clamped). 36 semitones = a read step of 8.
inline constexpr float kMaxTransposeSemitones = 36.0f;
inline constexpr int kMaxReadStep = 8;  // 2^(kMaxTransposeSemitones / 12)
// A transposed voice reads 2 frames before and 3 after the span it interpolates (6-point
// Lagrange, runtime/mix.h); the blend scratch holds the widest span one sub-block can read.
inline constexpr int kReadGuardFrames = 6;
inline constexpr int kBlendScratchFrames = kChunkFrames * kMaxReadStep + kReadGuardFrames;
// Gain (velocity) range; values outside are clamped.
inline constexpr float kMinGain = 0.0f;
inline constexpr float kMaxGain = 1.0f;

// ---- Banks ----
// Banks the audio side holds at once: the current one plus older ones that voices still
// play to their end. A new bank waits (the previous one keeps playing) until a slot frees.
inline constexpr int kMaxBanks = 4;

// ---- Cross-thread queues (capacities, in items) ----
// Objects the audio side has finished with, waiting for the control side to free them.
inline constexpr size_t kGarbageQueueCapacity = 256;
// Live mode: requests (audio -> worker) and rendered waveforms (worker -> audio).
inline constexpr size_t kLiveQueueCapacity = 64;
// How often an idle live worker looks for requests. Polling keeps the audio side free of
// system calls (no semaphore post); 1 ms is small beside a model's inference time.
inline constexpr int kLivePollIntervalUs = 1000;

// ---- Memory access ----
// While mixing one voice, the engine prefetches the current reads of the voice this many
// places ahead in the active list (the data of thousands of voices does not fit in cache).
inline constexpr int kPrefetchVoicesAhead = 4;
// __builtin_prefetch's locality: 1 emits prefetcht2, measured a third faster than 3
// (prefetcht0) here (runtime/README.md).
inline constexpr int kPrefetchLocality = 1;
inline constexpr int kCacheLineBytes = 64;

}  // namespace wae::runtime::config

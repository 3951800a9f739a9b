// The real-time sampler: a fixed pool of voices, each playing the quadrilinear blend of the
// 16 bank waveforms around a latent point (or the nearest one's alone, see Interpolation),
// summed into one output.
//
// Threads (which thread may call what):
//  * Audio thread: process(), and the control calls that Pd issues on the same thread as its
//    DSP (messages are handled by Pd's scheduler between DSP ticks): trigger(), triggerNote(),
//    stopAll(),
//    setVoiceLimit(), setLiveMode(), setInterpolation(), setPitchAlignment(), stats(),
//    currentBank(). They are noexcept, allocate nothing, take no lock, make no system call
//    and do no I/O. They must not run concurrently with each other (one audio thread).
//  * Loader thread (any thread other than the audio thread, one at a time): installBank().
//  * Control thread (any thread other than the audio thread, one at a time; in Pd a clock):
//    collectGarbage(), which frees what the audio side has finished with.
//  * Live worker thread (one at a time, see live.h): popLiveRequest(), pushLiveWaveform();
//    attachLiveWorker()/detachLiveWorker() from the thread that starts and stops it.
//  * Construction and destruction: no other call may be running.
//
// Per-block contract: trigger() and stopAll() queue an event at a frame offset counted from
// the first frame of the next process() call; process() applies each event at exactly that
// frame (a voice triggered at offset k contributes nothing before frame k and its first
// sample at frame k). Offsets past the block are carried into later blocks. Live waveforms
// start at frame 0 of the block in which they arrive.
//
// Voices: at most `voice limit` voices play at once; a trigger beyond it steals the oldest
// playing voice, which fades out linearly over config::kFadeFramesAtReference frames (scaled
// to the rate) while the new one starts in a slot of its own. stopAll() fades every voice the
// same way and cancels the live notes requested before it. Every voice also starts that fade
// fadeFrames() frames before its natural end (a shorter voice plays the fade's tail), so a
// waveform whose tail is not silent never ends with a step. A trigger takes its 16 weights from the
// bank current when process() applies it, and keeps them (and that bank) until the voice ends.
// On an int16 bank each weight carries its corner's scale (its own in a bank of format 4), so
// that a quiet point's 16 bits cost nothing per sample.
//
// Interpolation: kBlend (the default) plays the quadrilinear blend of the 16 grid waveforms
// around a point; kNearest plays the nearest grid point's waveform alone (nearestCorner()),
// one tap of weight 1. Banks baked with Griffin-Lim carry unrelated phases from one grid
// point to the next, so their blend comb-filters; nearest mode trades smooth movement for an
// unfiltered sound. A trigger keeps the mode set when trigger() was called.
//
// Pitch alignment (the default on a bank with pitch, i.e. per-point f0; see
// setPitchAlignment): a blended voice between grid points of different pitch would otherwise
// sound both pitches at once. Instead it plays at f = exp(sum_k w_k log f0_k) over its pitched
// corners (the weights renormalised over them), reading each pitched corner k at rate
// f / f0_k times the voice's transposition ratio, with the 6-point Lagrange reading
// (mixAligned(): up to 16 fractional taps, corners of equal f0 summed first and read once,
// so 2 readings between two rows of a pitch axis); unpitched corners are read at the
// transposition rate alone. A corner read faster than another reaches its waveform's end
// first: it fades out over the fade's length and the corners still sounding are raised to
// hold the level (at most 12 dB; mixAlignedHeld(), whose weights are the voice's, an int16
// corner's scale included: corners count by their level); the voice ends (with the taper) when its
// slowest-read corner does. A voice whose corners would all read at one rate (a grid point, one
// distinct f0, no pitched corner) and every voice on a bank without pitch play exactly as
// without alignment. kNearest voices are never aligned (one tap). The fastest corner's rate
// is capped at the transposition ceiling (config::kMaxReadStep), the others keeping their
// ratios to it.
//
// Noise parts (a bank of format version 3, PlaybackBank::hasNoise()): each grid point is a
// harmonic part and a noise part, and a voice plays both, with the same taps and weights.
// The harmonic parts are read as above (pitch-aligned when the voice is); the noise parts
// as a plain blend at the transposition alone, sample for sample when untransposed: the
// noise of every point of an hpn inverter is the same fixed signal filtered by the point's
// envelope, so the plain blend of the corners' noise is the noise of the point between them,
// where reading each corner at its own rate would make another noise (docs/BANK.md). An
// aligned voice can outlast its noise part (its slowest-read corner ends later); the noise
// part then tapers over the fade's length before its own end. Unaligned voices (nearest,
// alignment off, a grid point) read both parts alike.
//
// The level between corners (a bank that blends levels in dB, PlaybackBank::levelInDb()): a
// blended voice's weights are scaled when it starts so that it plays at the weights' mean of
// its corners' levels in dB rather than of their amplitudes (runtime/level.h), the noise
// parts by their own gain (with the same taps, their weights times the voice's noiseGain).
// A grid point, corners of one level and banks that blend linearly play the weighted sum.
//
// Curved weights (a bank with a blend exponent above 1, PlaybackBank::blendExponent()): a
// blended voice mixes its corners with runtime::curvedCorners' weights, drawn towards the
// nearer grid point on each axis, while its pitch (pitch alignment, notes) and its level (in
// dB, above) follow the grid's weights, so the pitch still moves evenly between grid points.
// A decoder interpolates its corners' spectra in dB, the sum of waveforms in amplitude, which
// lifts the quieter corner's partials; the curve takes some of that back (docs/BANK.md).
//
// Bank swap: installBank() hands a new bank over with one atomic exchange; process() makes it
// current at the start of a block. Voices already playing finish on the bank they started
// with, which is kept alive (up to config::kMaxBanks banks at once; a newer bank waits while
// all slots are taken). A bank no voice uses any more is passed back through a queue and freed
// by collectGarbage() on the control thread, never on the audio thread. So a swap neither
// clicks nor frees memory a voice still reads; the cost is that old and new banks briefly
// coexist in memory.
//
// Transposition: a voice reads its blend at a fractional position advancing by
// 2^(semitones/12) frames per output frame, with 6-point Lagrange interpolation of the
// blended signal (blending first and interpolating once costs 1/16th of interpolating every
// tap, and gives the same result since both are linear). It does not band-limit: large upward
// transpositions alias. Untransposed voices are read sample for sample.
//
// Numbers: gain is clamped to 0..1, transposition to +-36 semitones, point coordinates to
// -1..1 (or sent to live mode, see LiveMode); non-finite values are refused. Denormals are
// flushed to zero inside process().
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/config.h"
#include "runtime/grid.h"
#include "runtime/mix.h"
#include "runtime/playback_bank.h"
#include "runtime/spsc_queue.h"

namespace wae::runtime {

// What happened to a trigger. The first three are accepted; the rest refused (nothing plays).
enum class TriggerStatus {
  kQueued,           // will play at its offset
  kQueuedClamped,    // will play; point, gain, transposition or offset were clamped
  kSentToLive,       // handed to the live worker; plays when its waveform arrives
  kNotFinite,        // a NaN or infinite coordinate, gain or transposition
  kNoBank,           // no bank installed yet
  kEventQueueFull,   // more than config::kMaxPendingEvents events before the next block
  kLiveUnavailable,  // live mode asked for this point but no live worker is running
  kLiveQueueFull,    // the live worker is config::kLiveQueueCapacity requests behind
};
bool accepted(TriggerStatus status) noexcept;
// A short English sentence for the Pd console, e.g. "point has a NaN or infinite value".
const char* describe(TriggerStatus status) noexcept;

// When points go to the live worker instead of the bank.
enum class LiveMode {
  kOff,          // always the bank; out-of-range points are clamped
  kOutsideGrid,  // points outside -1..1 on some axis go to the live worker
  kAlways,       // every point goes to the live worker
};

// How a point between grid points is played (see the header comment).
enum class Interpolation {
  kBlend,    // the quadrilinear blend of the 16 grid waveforms around it
  kNearest,  // the nearest grid point's waveform alone
};

struct EngineSettings {
  int sampleRate = 48000;                  // Hz; banks must be made for this rate
  int maxVoices = config::kDefaultVoices;  // polyphony ceiling, 1..config::kMaxVoices
  KernelIsa isa = KernelIsa::kBest;        // mix kernel; kScalar is the reference
  // Prefetch the reads of the voice this many places ahead in the mix order (0: none), with
  // this locality (__builtin_prefetch's 0..3).
  int prefetchVoicesAhead = config::kPrefetchVoicesAhead;
  int prefetchLocality = config::kPrefetchLocality;
};

struct EngineStats {
  int playingVoices = 0;  // counted against the voice limit
  int fadingVoices = 0;   // stolen or stopped, fading out
  int voiceLimit = 0;
  int maxVoices = 0;
  int banksHeld = 0;  // current + older banks still played
  uint64_t voicesStarted = 0;
  uint64_t voicesStolen = 0;
  uint64_t alignedVoices = 0;    // started pitch-aligned (see "Pitch alignment")
  uint64_t droppedTriggers = 0;  // no free slot (see config::kSlotsPerVoice) or no bank
  uint64_t liveRequests = 0;
  uint64_t liveStarted = 0;
};

// A request for the live worker: an unclamped point in normalised coordinates.
struct LiveRequest {
  Point point{};
  float gain = 1.0f;
  float transposeSemitones = 0.0f;
  uint64_t id = 0;
};

// A waveform rendered by the live worker at the engine's rate, played by one voice.
struct LiveWaveform {
  std::vector<float> samples;
  float gain = 1.0f;
  float transposeSemitones = 0.0f;
  uint64_t id = 0;
};

class Engine {
 public:
  // Allocates every voice slot and queue. Throws std::invalid_argument for a bad setting or
  // an instruction set this CPU lacks.
  explicit Engine(const EngineSettings& settings);
  // Frees the banks and live waveforms still held. No other call may be running.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  int sampleRate() const noexcept { return settings_.sampleRate; }
  int maxVoices() const noexcept { return settings_.maxVoices; }
  KernelIsa isa() const noexcept { return kernels_.isa; }
  int fadeFrames() const noexcept { return fadeFrames_; }

  // ---- Audio thread ----

  // Queues a voice at `point` (normalised, -1..1 per axis) with `gain` (0..1) and a
  // transposition in semitones, starting `offsetInBlock` frames into the next process() call.
  TriggerStatus trigger(const Point& point, float gain, float transposeSemitones,
                        int offsetInBlock) noexcept;
  // Queues a note: the point's timbre at an absolute MIDI pitch (69 = 440 Hz, fractional
  // allowed, clamped to 0..127), transposed from the point's own pitch (the weights' geometric
  // mean of its pitched corners' f0, or the nearest corner's f0 in nearest mode), or from
  // MIDI 60 when the point has no pitch (no pitched corner, a bank without pitch, or a live
  // voice). The transposition is then clamped to +-36 semitones.
  TriggerStatus triggerNote(const Point& point, float gain, float midiPitch,
                            int offsetInBlock) noexcept;
  // Fades every voice out, starting `offsetInBlock` frames into the next process() call, and
  // cancels the live notes asked for before it: their waveforms, when they arrive, are
  // returned unplayed (a stop must not be followed by notes from before it). False when the
  // event queue is full.
  bool stopAll(int offsetInBlock = 0) noexcept;
  // Sets the polyphony (clamped to 1..maxVoices()); voices beyond it fade out.
  void setVoiceLimit(int voices) noexcept;
  void setLiveMode(LiveMode mode) noexcept { liveMode_ = mode; }
  LiveMode liveMode() const noexcept { return liveMode_; }
  int voiceLimit() const noexcept { return voiceLimit_; }
  // Applies to triggers made from now on; voices already playing keep their taps.
  void setInterpolation(Interpolation mode) noexcept { interpolation_ = mode; }
  Interpolation interpolation() const noexcept { return interpolation_; }
  // Pitch alignment of blended voices on banks with pitch (see "Pitch alignment"); on by
  // default, off for A/B comparison. Applies to triggers made from now on.
  void setPitchAlignment(bool on) noexcept { pitchAlignment_ = on; }
  bool pitchAlignment() const noexcept { return pitchAlignment_; }
  // A scale for trigger(): a voice at a point with pitch (a bank with pitch, a pitched
  // corner) plays at the pitch of the scale (runtime::quantiseToScale: bit c for pitch class
  // c, C = 0) nearest to the point's pitch transposed by the trigger's semitones, so that a
  // walk across the pitch axis plays in the scale. 0 (the default): no scale. Notes
  // (triggerNote) ask for their pitch and are left as asked. Applies to triggers made from
  // now on.
  void setScale(uint16_t pitchClasses) noexcept { scale_ = uint16_t(pitchClasses & 0xfffu); }
  uint16_t scale() const noexcept { return scale_; }
  // Writes nFrames frames of the sum of all voices to `out`.
  void process(float* out, int nFrames) noexcept;
  EngineStats stats() const noexcept;
  // The bank new triggers play (null before the first one arrives).
  const PlaybackBank* currentBank() const noexcept;
  // Makes a bank handed over by installBank() current now rather than at the next block's
  // start, for hosts whose control messages run on the audio thread (Pd): a report made
  // right after a load then describes the new bank.
  void adoptInstalledBank() noexcept { adoptPendingBank(); }
  // Voice slots, scratch and the banks held, in bytes.
  size_t memoryBytes() const noexcept;

  // ---- Loader thread ----

  // Hands `bank` to the audio side, which makes it current at its next block. A bank handed
  // over earlier and not yet taken is replaced (and freed here). Throws std::invalid_argument
  // if the bank's rate is not the engine's.
  void installBank(std::unique_ptr<PlaybackBank> bank);

  // ---- Control thread ----

  // Frees the banks and live waveforms the audio side has finished with; returns how many.
  int collectGarbage();

  // ---- Live worker (see live.h) ----

  // False if a worker is already attached.
  bool attachLiveWorker() noexcept;
  void detachLiveWorker() noexcept;
  bool popLiveRequest(LiveRequest& request) noexcept;
  // Takes ownership on success; false (caller keeps it) when the queue is full.
  bool pushLiveWaveform(LiveWaveform* waveform) noexcept;

 private:
  struct Voice;
  struct Event;
  struct BankSlot {
    PlaybackBank* bank = nullptr;
    int users = 0;  // voices reading it
  };
  struct Garbage {
    PlaybackBank* bank = nullptr;
    LiveWaveform* live = nullptr;
  };

  void adoptPendingBank() noexcept;
  void releaseUnusedBanks() noexcept;
  void takeLiveResults() noexcept;
  bool queueEvent(const Event& event) noexcept;
  TriggerStatus queueTrigger(const Point& point, float gain, float transposeSemitones, bool note,
                             int offsetInBlock) noexcept;
  static bool pitchOf(const PlaybackBank& bank, const uint32_t* index, const float* weight,
                      int taps, double& f) noexcept;
  void applyEvent(const Event& event, int frame) noexcept;
  int allocateSlot(int frame) noexcept;
  void startVoice(int slot) noexcept;
  int oldestPlaying() const noexcept;
  void beginFade(int slot, int frame) noexcept;
  void endVoice(int slot) noexcept;
  void renderChunk(float* out, int nFrames) noexcept;
  void renderVoice(int slot, float* out, int nFrames) noexcept;
  void mixDirect(const Voice& voice, uint32_t part, int64_t position, float* out,
                 int nFrames) noexcept;
  void mixTransposed(const Voice& voice, uint32_t part, double position, double step,
                     const float* gain, float* out, int nFrames) noexcept;
  void mixNoise(const Voice& voice, const float* gain, float* out, int nFrames) noexcept;
  void mixAlignedVoice(const Voice& voice, const float* gain, float* out, int nFrames) noexcept;
  void alignTaps(const PlaybackBank& bank, const uint32_t* index, const float* weight,
                 double transpose, Voice& voice) noexcept;
  template <int kLocality>
  void prefetch(const Voice& voice, int nFrames) const noexcept;
  template <int kLocality>
  void renderVoices(float* out, int nFrames) noexcept;

  EngineSettings settings_;
  MixKernels kernels_;
  int fadeFrames_ = 1;
  int voiceLimit_ = 1;
  LiveMode liveMode_ = LiveMode::kOff;
  Interpolation interpolation_ = Interpolation::kBlend;
  bool pitchAlignment_ = true;
  uint16_t scale_ = 0;

  std::vector<Voice> voices_;    // config::kSlotsPerVoice * maxVoices slots
  std::vector<int> activeList_;  // slots not free, in mix order
  int activeCount_ = 0;
  std::vector<int> freeSlots_;  // a stack of free slots
  int freeCount_ = 0;
  std::vector<uint64_t> playingSerial_;  // start order of playing slots, UINT64_MAX otherwise
  std::vector<LiveWaveform*> live_;      // per slot: the waveform a live voice plays (owned)
  int playing_ = 0;
  int fading_ = 0;
  uint64_t serial_ = 0;
  EngineStats counters_;

  std::unique_ptr<Event[]> events_;  // sorted by offset
  int eventCount_ = 0;

  std::array<BankSlot, config::kMaxBanks> banks_{};
  int current_ = -1;
  std::atomic<PlaybackBank*> pendingBank_{nullptr};
  SpscQueue<Garbage> garbage_;

  SpscQueue<LiveRequest> liveRequests_;
  SpscQueue<LiveWaveform*> liveResults_;
  std::atomic<bool> liveAttached_{false};
  uint64_t liveSerial_ = 0;
  uint64_t liveCancelledUpTo_ = 0;  // live waveforms with an id up to this are not played

  std::unique_ptr<float[]> blend_;      // config::kBlendScratchFrames
  std::unique_ptr<float[]> voiceOut_;   // config::kChunkFrames
  std::unique_ptr<float[]> ramp_;       // config::kChunkFrames
  std::unique_ptr<float[]> noiseGain_;  // config::kChunkFrames: mixNoise's taper
};

}  // namespace wae::runtime

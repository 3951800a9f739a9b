// The inner loop of the engine: one voice's weighted sum of up to 16 bank waveforms added to
// an output run, out[i] += sum_k weight[k] * src[k][i] for i in [0, n).
//
// mixReference() is the plain scalar definition, kept for tests. The fast kernels are the
// same loop written so that GCC vectorises it across output samples (taps unrolled at compile
// time in passes of 8, one load per tap and sample, the pass's sum kept in registers; 8 rather
// than 16 because 16 pointers and weights spill registers: measured 0.64 -> 0.56 ns per
// voice-sample with AVX2), compiled once per instruction set and chosen at run time from what
// the CPU supports, so that one binary (the Pd external) runs everywhere and still uses AVX2
// or AVX-512 where present. With 16 taps the fast kernels add two partial sums where the
// reference adds one, and fused multiply-adds (AVX2 and up) round once where it rounds twice:
// results differ by a few ulps of the sum of |weight * sample|. With one tap of weight 1 they
// are exact.
//
// Threads: every function here is noexcept, allocates nothing and may run on the audio
// thread, except mixKernels() (it may throw), to be called at construction.
#pragma once

#include <cstdint>

namespace wae::runtime {

template <class T>
using MixFn = void (*)(const T* const* src, const float* weight, int taps, float* out,
                       int n) noexcept;

// The scalar definition. `taps` is 1..16.
template <class T>
void mixReference(const T* const* src, const float* weight, int taps, float* out, int n) noexcept {
  for (int i = 0; i < n; ++i) {
    float acc = 0.0f;
    for (int k = 0; k < taps; ++k) acc += weight[k] * float(src[k][i]);
    out[i] += acc;
  }
}

enum class KernelIsa {
  kScalar,    // mixReference
  kBaseline,  // vectorised for the compiler's baseline (SSE2 on x86-64)
  kAvx2,      // x86-64-v3: AVX2 + FMA
  kAvx512,    // AVX-512 (F, BW, VL), 512-bit vectors
  kBest,      // the fastest one this CPU supports
};

const char* isaName(KernelIsa isa) noexcept;
bool isaSupported(KernelIsa isa) noexcept;
// The fastest supported instruction set (never kBest).
KernelIsa bestIsa() noexcept;

// Pitch-aligned readers (mixAligned's signature, below).
template <class T>
using AlignedFn = void (*)(const T* const* src, const float* weight, const float* rate, int taps,
                           int64_t length, double pos, double step, float* out, int n) noexcept;

struct MixKernels {
  KernelIsa isa = KernelIsa::kScalar;
  MixFn<float> f32 = nullptr;
  MixFn<int16_t> i16 = nullptr;
  // kScalar: mixAlignedReference; kBaseline: mixAligned; kAvx2 and kAvx512: mixAligned with
  // eight frames at a time (AVX2 loads and permutes, or gathers), the same arithmetic lane by
  // lane, without fused multiply-adds, so every one agrees with mixAlignedReference sample
  // for sample.
  AlignedFn<float> alignedF32 = nullptr;
  AlignedFn<int16_t> alignedI16 = nullptr;
};

// Throws std::invalid_argument if this CPU lacks `isa`.
MixKernels mixKernels(KernelIsa isa);

// 6-point Lagrange (degree 5) reading of a blended run, for transposed voices:
// out[i] += gain[i] * y(pos + i * step), where y(p) interpolates x[floor(p) - 2 .. floor(p) + 3]
// and `x` is indexed from the frame `first` (x[0] is frame `first`, and first + 2 <= pos).
// Exact at integer positions. `gain` may be null (all 1).
void readInterpolated(const float* x, int64_t first, double pos, double step, const float* gain,
                      float* out, int n) noexcept;

// Pitch-aligned blending (see engine.h, "Pitch alignment"): every tap is read at its own
// rate, each with the 6-point Lagrange reading above, and the weighted readings summed:
//   out[i] += sum_k weight[k] * y_k(pos * rate[k] + i * (step * rate[k]))
// where y_k reads src[k][0 .. length) and takes samples outside it as zero. Positions must be
// >= 0. Taps of the same rate (bitwise) read the same positions and fractions, and the reading
// is linear, so they form one group: their weighted sum, sample by sample (mixReference's sum,
// in passes of 8 taps), is read once. A voice between two rows of a pitch axis, whose corners
// have 2 f0s, reads 2 fractional taps rather than 16. Groups in the order of their first tap,
// each group's reading added to out before the next; a group of one tap adds
// weight * reading. The result equals the tap-by-tap sum up to rounding (mix_test). The
// vector kernels read a voice whose taps all have rates of their own (16 groups of one: a
// bank whose every point has its own f0) and lie inside their waveforms all taps together,
// eight or sixteen frames at a time, the readings added in tap order in registers: each
// frame gets the same additions in the same order, so the same result.
// mixAlignedReference() is the plain definition (single taps read through a bounds check);
// mixAligned() is the same arithmetic in the same order, reading the waveform's interior
// without checks, so the two agree sample for sample.
template <class T>
void mixAlignedReference(const T* const* src, const float* weight, const float* rate, int taps,
                         int64_t length, double pos, double step, float* out, int n) noexcept;
template <class T>
void mixAligned(const T* const* src, const float* weight, const float* rate, int taps,
                int64_t length, double pos, double step, float* out, int n) noexcept;

// Output frames from `pos` (the fastest tap's position, read `step` frames per output frame)
// until tap k's reading leaves the waveform: ceil((length - pos rate[k]) / (step rate[k])),
// at least 0. alignedFramesLeft is the largest over the taps: how long the voice sounds.
int64_t tapFramesLeft(float rate, int64_t length, double pos, double step) noexcept;
int64_t alignedFramesLeft(const float* rate, int taps, int64_t length, double pos,
                          double step) noexcept;

// The most the held level may raise the taps still sounding (12 dB).
inline constexpr float kMaxHoldGain = 4.0f;

// A pitch-aligned voice whose corners end one by one: a corner read faster than another
// reaches its waveform's end first. Frames i = 0 .. n - 1 of the voice from `pos`:
//   out[i] += g(i) * sum_k r_k(i) weight[k] y_k(i)      (y_k as in mixAligned)
// where r_k falls linearly to zero over the fadeFrames frames before tap k's end
// (tapFramesLeft; frame j of the fade has (fadeFrames - 1 - j) / fadeFrames), except for the
// taps that end last, whose end is the voice's own (its caller tapers it); and
// g(i) = min(kMaxHoldGain, W / A(i)) with W = sum_k weight[k], A(i) = sum_k r_k(i) weight[k]
// holds the level as corners drop out. While no tap fades or has ended this is exactly
// `kernel` over all taps (alignedTapsSteady). `kernel` is mixAligned's (or an equivalent);
// scratch holds 2 n floats; weights >= 0. tapScale (null: all 1): the factor of each weight
// that is its samples' scale (an int16 bank's per-point scale, folded into the weights), left
// out of W and A, so that the level is held as it is for the same samples in float32.
template <class T>
void mixAlignedHeld(AlignedFn<T> kernel, const T* const* src, const float* weight,
                    const float* rate, int taps, int64_t length, double pos, double step,
                    int fadeFrames, float* scratch, float* out, int n,
                    const float* tapScale = nullptr) noexcept;
// True when over frames 0 .. n - 1 from `pos` no tap fades or has ended (the fastest-read
// tap, which ends first, is still more than a fade from its end): mixAlignedHeld is then
// `kernel` alone, whatever tapScale.
bool alignedTapsSteady(const float* rate, int taps, int64_t length, double pos, double step,
                       int fadeFrames, int n) noexcept;

}  // namespace wae::runtime

#include "runtime/mix.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "runtime/config.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace wae::runtime {
namespace {

#define WAE_ALWAYS_INLINE inline __attribute__((always_inline))

// One pass over NT taps. With NT a compile-time constant the tap loop is unrolled and the
// sample loop is what the compiler vectorises; ivdep tells it that `out` aliases no source.
// kStore: out[i] = sum instead of out[i] += sum.
template <class T, int NT, bool kStore = false>
WAE_ALWAYS_INLINE void mixTaps(const T* const* src, const float* weight, float* out, int n) {
  const T* s[NT];
  float w[NT];
  for (int k = 0; k < NT; ++k) {
    s[k] = src[k];
    w[k] = weight[k];
  }
#pragma GCC ivdep
  for (int i = 0; i < n; ++i) {
    float acc = w[0] * float(s[0][i]);
    for (int k = 1; k < NT; ++k) acc += w[k] * float(s[k][i]);
    if constexpr (kStore) {
      out[i] = acc;
    } else {
      out[i] += acc;
    }
  }
}

// Grid cells give 1, 2, 4, 8 or 16 taps (one factor 2 per axis off the grid); any other
// count is split into such passes. kStore: the first pass stores (out's values are ignored),
// the others add, which gives what adding to zeros gives.
template <class T, bool kStore = false>
WAE_ALWAYS_INLINE void mixAny(const T* const* src, const float* weight, int taps, float* out,
                              int n) {
  bool store = kStore;
  while (taps > 0) {
    const int pass = taps >= 8 ? 8 : taps >= 4 ? 4 : taps >= 2 ? 2 : 1;
    if (pass == 8) {
      store ? mixTaps<T, 8, true>(src, weight, out, n) : mixTaps<T, 8>(src, weight, out, n);
    } else if (pass == 4) {
      store ? mixTaps<T, 4, true>(src, weight, out, n) : mixTaps<T, 4>(src, weight, out, n);
    } else if (pass == 2) {
      store ? mixTaps<T, 2, true>(src, weight, out, n) : mixTaps<T, 2>(src, weight, out, n);
    } else {
      store ? mixTaps<T, 1, true>(src, weight, out, n) : mixTaps<T, 1>(src, weight, out, n);
    }
    src += pass, weight += pass, taps -= pass;
    store = false;
  }
}

// One copy of the kernels per instruction set: the always-inline body is compiled again
// under each function's target attribute.
#define WAE_DEFINE_KERNELS(suffix, attributes)                                             \
  attributes void mixF32##suffix(const float* const* src, const float* weight, int taps,   \
                                 float* out, int n) noexcept {                             \
    mixAny<float>(src, weight, taps, out, n);                                              \
  }                                                                                        \
  attributes void mixI16##suffix(const int16_t* const* src, const float* weight, int taps, \
                                 float* out, int n) noexcept {                             \
    mixAny<int16_t>(src, weight, taps, out, n);                                            \
  }

WAE_DEFINE_KERNELS(Baseline, )
#if defined(__x86_64__)
#define WAE_HAVE_X86_VARIANTS 1
// GCC 12's AVX-512 intrinsics leave their pass-through operands uninitialised on purpose
// (`__Y = __Y`), which -Wmaybe-uninitialized reports wherever they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
WAE_DEFINE_KERNELS(Avx2, __attribute__((target("avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt"))))
WAE_DEFINE_KERNELS(Avx512, __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,"
                                                 "prefer-vector-width=512"))))

// Defined below, with the aligned readers.
template <class T>
__attribute__((target("avx2"))) void mixAlignedAvx2(const T* const* src, const float* weight,
                                                    const float* rate, int taps, int64_t length,
                                                    double pos, double step, float* out,
                                                    int n) noexcept;
template <class T>
__attribute__((target("avx2"))) void readInteriorAvx2(const T* x, int64_t first, int64_t span,
                                                      double q0, double s, float w, float* out,
                                                      int i, int end) noexcept;
template <class T>
__attribute__((target("avx2"))) bool readDistinctRatesAvx2(const T* const* src, const float* weight,
                                                           const float* rate, int taps,
                                                           int64_t length, double pos, double step,
                                                           float* out, int n) noexcept;
// The AVX-512 aligned kernels, sixteen frames at a time. AVX-512F carries fused
// multiply-adds, which the compiler would form from separate multiplies and adds: contraction
// is off in these functions and in what is inlined into them (the group sums, the scalar
// readings), so that they round as the reference does.
#define WAE_AVX512_EXACT                                                                    \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,prefer-vector-width=512"), \
                 optimize("fp-contract=off")))
template <class T>
WAE_AVX512_EXACT void mixAlignedAvx512(const T* const* src, const float* weight, const float* rate,
                                       int taps, int64_t length, double pos, double step,
                                       float* out, int n) noexcept;
template <class T>
WAE_AVX512_EXACT void readInteriorAvx512(const T* x, int64_t first, int64_t span, double q0,
                                         double s, float w, float* out, int i, int end) noexcept;
template <class T>
WAE_AVX512_EXACT bool readDistinctRatesAvx512(const T* const* src, const float* weight,
                                              const float* rate, int taps, int64_t length,
                                              double pos, double step, float* out, int n) noexcept;
#endif

}  // namespace

// The fractional reader of every voice: 6-point Lagrange interpolation (degree 5) through
// x[-2..3] at fraction f of [x0, x1]. It reproduces polynomials up to degree 5 and is flat at
// low frequencies, where a bank's partials are: a 660 Hz partial at 22.05 kHz read a semitone
// up is off by at most -133 dB of its amplitude, against -79 dB with 4-point Catmull-Rom
// (mix_test; docs/BANK.md, "With pitch alignment"). The weights are products of the
// distances (f - m) to the six points, in one fixed order that every reader repeats (no
// fused multiply-adds), so every reader rounds alike; at f == 0 the weight of x0 is exactly
// 1 and the others exactly 0, so a reading at an integer position returns x0.
//
// One definition for every reader: V is float, or a vector of lanes (__m256, __m512: GCC
// vector types, whose arithmetic operators act lane by lane) that a vector reader fills with
// eight or sixteen positions' samples x[0..5] (x[j - 2] .. x[j + 3]) and fractions f; by
// reference, as a vector passed by value outside AVX code changes the ABI. Inlined into each
// reader, so compiled for its instruction set.
template <class V>
WAE_ALWAYS_INLINE void lagrange6Lanes(const V x[6], const V& f, V& y) noexcept {
  const V t0 = f + 2.0f, t1 = f + 1.0f, t3 = f - 1.0f, t4 = f - 2.0f, t5 = f - 3.0f;
  const V p01 = t0 * t1, p012 = p01 * f, p0123 = p012 * t3;
  const V s45 = t4 * t5, s345 = t3 * s45, s2345 = f * s345;
  const V w0 = (t1 * s2345) * (-1.0f / 120.0f), w1 = (t0 * s2345) * (1.0f / 24.0f);
  const V w2 = (p01 * s345) * (-1.0f / 12.0f), w3 = (p012 * s45) * (1.0f / 12.0f);
  const V w4 = (p0123 * t5) * (-1.0f / 24.0f), w5 = (p0123 * t4) * (1.0f / 120.0f);
  y = ((((w0 * x[0] + w1 * x[1]) + w2 * x[2]) + w3 * x[3]) + w4 * x[4]) + w5 * x[5];
}
static inline float lagrange6(float xm2, float xm1, float x0, float x1, float x2, float x3,
                              float f) noexcept {
  const float x[6] = {xm2, xm1, x0, x1, x2, x3};
  float y;
  lagrange6Lanes(x, f, y);
  return y;
}

const char* isaName(KernelIsa isa) noexcept {
  switch (isa) {
    case KernelIsa::kScalar:
      return "scalar";
    case KernelIsa::kBaseline:
      return "baseline";
    case KernelIsa::kAvx2:
      return "avx2";
    case KernelIsa::kAvx512:
      return "avx512";
    case KernelIsa::kBest:
      return "best";
  }
  return "?";
}

bool isaSupported(KernelIsa isa) noexcept {
  switch (isa) {
    case KernelIsa::kScalar:
    case KernelIsa::kBaseline:
    case KernelIsa::kBest:
      return true;
#ifdef WAE_HAVE_X86_VARIANTS
    case KernelIsa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KernelIsa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
#endif
    default:
      return false;
  }
}

#ifdef WAE_HAVE_X86_VARIANTS
namespace {
// AMD's parts from family 0x1A (Zen 5) on, whose vector units are 512 bits wide.
bool fullWidthAvx512() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__builtin_cpu_is("amd") || !__get_cpuid(1, &a, &b, &c, &d)) return false;
  const unsigned base = (a >> 8) & 0xF;
  return base + (base == 0xF ? (a >> 20) & 0xFF : 0) >= 0x1A;
}
}  // namespace
#endif

KernelIsa bestIsa() noexcept {
  // AVX-512 where its vector units are full width (AMD's Zen 5 on): there every blend of
  // engine_benchmark, plain and aligned, int16 and float32, ran faster with it than with
  // AVX2 (runtime/README.md, "The AVX-512 reader"). Elsewhere AVX2: narrower units run
  // 512-bit operations in two halves (an earlier machine's plain blend ran no faster with
  // them), on many Intel parts 512-bit code lowers the clock, and the plain mix is bound by
  // memory, not arithmetic.
#ifdef WAE_HAVE_X86_VARIANTS
  if (isaSupported(KernelIsa::kAvx512) && fullWidthAvx512()) return KernelIsa::kAvx512;
#endif
  if (isaSupported(KernelIsa::kAvx2)) return KernelIsa::kAvx2;
  return KernelIsa::kBaseline;
}

MixKernels mixKernels(KernelIsa isa) {
  if (isa == KernelIsa::kBest) isa = bestIsa();
  if (!isaSupported(isa)) {
    throw std::invalid_argument(std::string("mix kernels: instruction set ") + isaName(isa) +
                                " is not supported by this CPU");
  }
  MixKernels k;
  k.isa = isa;
  switch (isa) {
    case KernelIsa::kScalar:
      k.f32 = &mixReference<float>;
      k.i16 = &mixReference<int16_t>;
      k.alignedF32 = &mixAlignedReference<float>;
      k.alignedI16 = &mixAlignedReference<int16_t>;
      break;
#ifdef WAE_HAVE_X86_VARIANTS
    case KernelIsa::kAvx2:
      k.f32 = &mixF32Avx2;
      k.i16 = &mixI16Avx2;
      k.alignedF32 = &mixAlignedAvx2<float>;
      k.alignedI16 = &mixAlignedAvx2<int16_t>;
      break;
    case KernelIsa::kAvx512:
      k.f32 = &mixF32Avx512;
      k.i16 = &mixI16Avx512;
      k.alignedF32 = &mixAlignedAvx512<float>;
      k.alignedI16 = &mixAlignedAvx512<int16_t>;
      break;
#endif
    default:
      k.f32 = &mixF32Baseline;
      k.i16 = &mixI16Baseline;
      k.alignedF32 = &mixAligned<float>;
      k.alignedI16 = &mixAligned<int16_t>;
      break;
  }
  return k;
}

void readInterpolated(const float* x, int64_t first, double pos, double step, const float* gain,
                      float* out, int n) noexcept {
  // Positions relative to x[0] are >= 2 (x holds the two frames before the first one read),
  // so truncation is floor; std::floor would be a libm call without SSE4.1.
  const double base = pos - double(first);
  for (int i = 0; i < n; ++i) {
    const double p = base + double(i) * step;
    const int64_t j = int64_t(p);
    const float f = float(p - double(j));
    const float* q = x + j;
    const float y = lagrange6(q[-2], q[-1], q[0], q[1], q[2], q[3], f);
    out[i] += gain ? gain[i] * y : y;
  }
}

namespace {

// Sample `j` of a waveform `length` frames long, zero outside it.
template <class T>
inline float sampleOrZero(const T* x, int64_t length, int64_t j) noexcept {
  return j >= 0 && j < length ? float(x[j]) : 0.0f;
}

// The interior of a tap's reading: the frames [i, end) whose six samples all lie inside the
// waveform (2 <= p < length - 3), found on the very positions computed so that the split never
// reads out of bounds, whatever the rounding of the estimate. Positions only grow, so the
// interior is one run. The frames before it and after it are read with checks.
struct Interior {
  int begin = 0, end = 0;
  int audible = 0;  // frames from here on read past the waveform's end: zero, skipped
};
inline Interior interiorOf(double q0, double s, int64_t length, int n) noexcept {
  auto at = [&](int i) { return q0 + double(i) * s; };
  auto inside = [&](int i) { return at(i) >= 2.0 && at(i) < double(length - 3); };
  Interior r;
  // Frames near the start (p < 2), then the interior from the first frame past them.
  while (r.begin < n && at(r.begin) < 2.0) ++r.begin;
  r.end = r.begin;
  if (r.begin < n && inside(r.begin)) {
    if (s > 0) {
      const double last = (double(length - 3) - q0) / s;
      r.end = int(std::min<double>(n, std::max<double>(r.begin, last)));
      while (r.end > r.begin && !inside(r.end - 1)) --r.end;
      while (r.end < n && inside(r.end)) ++r.end;
    } else {
      r.end = n;
    }
  }
  // Then frames near the end, read with checks, until the six samples all lie past it
  // (p >= length + 2): those add w * 0 and are skipped.
  r.audible = r.end;
  while (r.audible < n && at(r.audible) < double(length + 2)) ++r.audible;
  return r;
}

// One frame of tap x, read with checks (outside the waveform: zero).
template <class T>
inline void readChecked(const T* x, int64_t length, double q0, double s, float w, float* out,
                        int i) noexcept {
  const double p = q0 + double(i) * s;
  const int64_t j = int64_t(p);
  const float f = float(p - double(j));
  const float y = lagrange6(sampleOrZero(x, length, j - 2), sampleOrZero(x, length, j - 1),
                            sampleOrZero(x, length, j), sampleOrZero(x, length, j + 1),
                            sampleOrZero(x, length, j + 2), sampleOrZero(x, length, j + 3), f);
  out[i] += w * y;
}

// Frames [i, end) without checks; x[0] is source frame `first`.
template <class T>
WAE_ALWAYS_INLINE void readInterior(const T* x, int64_t first, double q0, double s, float w,
                                    float* out, int i, int end) noexcept {
  for (; i < end; ++i) {
    const double p = q0 + double(i) * s;
    const int64_t j = int64_t(p);
    const float f = float(p - double(j));
    const T* q = x + (j - first);
    out[i] += w * lagrange6(float(q[-2]), float(q[-1]), float(q[0]), float(q[1]), float(q[2]),
                            float(q[3]), f);
  }
}

// Taps of one rate read the same positions with the same fractions, and the reading is linear
// in the samples, so they are summed first (weighted, sample by sample) and the sum is read
// once: a voice between the rows of a pitch axis (every point of a row at one f0, as
// make_generative bakes) reads 2 fractional taps, not 16. Groups are the taps of bitwise equal
// rate, in the order of their first tap; order[begin[g] .. begin[g + 1]) are group g's taps.
struct RateGroups {
  int count = 0;
  int order[config::kMaxTaps];
  int begin[config::kMaxTaps + 1];
};
inline RateGroups groupByRate(const float* rate, int taps) noexcept {
  RateGroups g;
  bool taken[config::kMaxTaps] = {};
  int at = 0;
  for (int k = 0; k < taps; ++k) {
    if (taken[k]) continue;
    g.begin[g.count++] = at;
    for (int m = k; m < taps; ++m) {
      if (taken[m] || rate[m] != rate[k]) continue;
      taken[m] = true;
      g.order[at++] = m;
    }
  }
  g.begin[g.count] = at;
  return g;
}

// A group's sum is made part by part in a buffer on the stack: output frames [i0, i1) read
// the source frames [first, first + span), zero outside the waveform, span <= kGroupSpan.
// The span runs kReadAhead frames past the six samples of the last position, as zeros: the
// vector readers load up to 16 (AVX2) or 26 (AVX-512) frames past a position's six (and use
// none of them), and where those lie inside the span they take the positions' samples from
// loads rather than gathers, also for the last ones. The sum itself may run up to 7 frames
// on (below): the margin makes room for both.
inline constexpr int kGroupSpan = 1024;
inline constexpr int kReadAhead = 32;
inline constexpr int kGroupMargin = 48;
struct GroupPart {
  int i1 = 0;
  int64_t first = 0, span = 0;
};

// Sums a group's `count` taps over the source frames that output frames [i0, ..) read, as
// many as fit in `sum`. False when those frames all lie past the waveform's end (then so do
// the later ones: positions only grow).
template <class T>
WAE_ALWAYS_INLINE bool sumGroup(const T* const* src, const float* weight, int count, int64_t length,
                                double q0, double s, int i0, int n, float* sum,
                                GroupPart& part) noexcept {
  const int64_t first = int64_t(q0 + double(i0) * s) - 2;
  if (first >= length) return false;
  const double fit = s > 0 ? double(kGroupSpan - kGroupMargin) / s : double(n);
  part.i1 = int(std::min<double>(double(n), double(i0) + 1.0 + fit));
  const int64_t last = int64_t(q0 + double(part.i1 - 1) * s) + 3;  // the last frame read
  part.first = first;
  part.span = last + 1 + kReadAhead - first;
  // Zeros outside the waveform and past the last frame read, the sum inside.
  const int64_t lo = std::min(std::max<int64_t>(first, 0), last + 1);
  const int64_t hi = std::max(std::min<int64_t>(last + 1, length), lo);
  std::fill(sum, sum + (lo - first), 0.0f);
  std::fill(sum + (hi - first), sum + part.span, 0.0f);
  if (hi > lo) {
    const T* from[config::kMaxTaps];
    for (int m = 0; m < count; ++m) from[m] = src[m] + lo;
    // The vectorised sum goes 8 frames at a time, and the frames left over, each with every
    // tap, one at a time: where the waveform goes on, the sum is taken over a multiple of 8
    // frames instead (those past the last frame read are never read; engine.cc prefetches
    // them).
    int64_t frames = hi - lo;
    const int64_t whole = (frames + 7) & ~int64_t(7);
    if (lo + whole <= length) frames = whole;
    mixAny<T, true>(from, weight, count, sum + (lo - first), int(frames));
  }
  return true;
}

// The taps of group g, gathered in order.
template <class T>
inline int groupTaps(const RateGroups& groups, int g, const T* const* src, const float* weight,
                     const T** gsrc, float* gweight) noexcept {
  int count = 0;
  for (int at = groups.begin[g]; at < groups.begin[g + 1]; ++at) {
    gsrc[count] = src[groups.order[at]];
    gweight[count++] = weight[groups.order[at]];
  }
  return count;
}

// Every tap's samples for the run (from two frames before its first position to ten past its
// last: the six samples of a reading, and a group sum's frames to a multiple of 8), all
// prefetched before any is read, so that the lines of all taps are in flight together. The
// engine's prefetch of the voice a few places ahead leaves the vector readers waiting on
// their first loads: with this and the all-taps loop below, a voice of 16 rates plays 2.6x
// faster from memory, and with this alone one of a pitch-axis bank 15-26 % faster
// (runtime/README.md, "Every corner its own f0: all taps together"). The plain blend, tried
// the same way, did not move.
template <class T>
WAE_ALWAYS_INLINE void prefetchRun(const T* const* src, const float* rate, int taps, int64_t length,
                                   double pos, double step, int n) noexcept {
  for (int k = 0; k < taps; ++k) {
    const double q = pos * double(rate[k]);
    const int64_t first = std::max<int64_t>(0, int64_t(q) - 2);
    const int64_t last =
        std::min<int64_t>(length - 1, int64_t(q + double(n) * step * double(rate[k])) + 10);
    if (last < first) continue;
    const char* from = reinterpret_cast<const char*>(src[k] + first);
    const char* to = reinterpret_cast<const char*>(src[k] + last);
    for (; from < to; from += config::kCacheLineBytes) __builtin_prefetch(from, 0, 3);
    __builtin_prefetch(to, 0, 3);
  }
}

// How a kernel reads: kChecked every frame of a single tap through bounds checks (the
// reference); kInterior the interior of a tap without checks, one frame at a time; kAvx2
// the same eight frames at a time, kAvx512 sixteen.
enum class Reader { kChecked, kInterior, kAvx2, kAvx512 };

// Frames [i, end) of x (x[0] is source frame `first`, `span` frames readable from there), w
// times the reading added to out, as `R` reads an interior.
template <Reader R, class T>
WAE_ALWAYS_INLINE void readRun(const T* x, int64_t first, int64_t span, double q0, double s,
                               float w, float* out, int i, int end) noexcept {
#ifdef WAE_HAVE_X86_VARIANTS
  if constexpr (R == Reader::kAvx2) {
    readInteriorAvx2(x, first, span, q0, s, w, out, i, end);
    return;
  }
  if constexpr (R == Reader::kAvx512) {
    readInteriorAvx512(x, first, span, q0, s, w, out, i, end);
    return;
  }
#endif
  (void)span;
  readInterior(x, first, q0, s, w, out, i, end);
}

// The aligned blend (mix.h), group by group: a single tap read from the waveform, a group of
// several summed part by part and each part read as one tap. Inlined into each kernel, so
// that the sums are compiled for its instruction set.
template <Reader R, class T>
WAE_ALWAYS_INLINE void mixGroups(const T* const* src, const float* weight, const float* rate,
                                 int taps, int64_t length, double pos, double step, float* out,
                                 int n) noexcept {
  const RateGroups groups = groupByRate(rate, taps);
#ifdef WAE_HAVE_X86_VARIANTS
  if constexpr (R == Reader::kAvx2 || R == Reader::kAvx512)
    prefetchRun(src, rate, taps, length, pos, step, n);
  // Every tap at a rate of its own (a bank whose every point has its own f0), all inside
  // their waveforms: all taps read together, frame run by frame run (the same sums).
  if constexpr (R == Reader::kAvx2) {
    if (groups.count == taps &&
        readDistinctRatesAvx2(src, weight, rate, taps, length, pos, step, out, n))
      return;
  }
  if constexpr (R == Reader::kAvx512) {
    if (groups.count == taps &&
        readDistinctRatesAvx512(src, weight, rate, taps, length, pos, step, out, n))
      return;
  }
#endif
  for (int g = 0; g < groups.count; ++g) {
    const T* gsrc[config::kMaxTaps];
    float gweight[config::kMaxTaps];
    const int count = groupTaps(groups, g, src, weight, gsrc, gweight);
    const double q0 = pos * double(rate[groups.order[groups.begin[g]]]);
    const double s = step * double(rate[groups.order[groups.begin[g]]]);
    if (count == 1) {
      const T* x = gsrc[0];
      const float w = gweight[0];
      if constexpr (R == Reader::kChecked) {
        for (int i = 0; i < n; ++i) readChecked(x, length, q0, s, w, out, i);
      } else {
        const Interior in = interiorOf(q0, s, length, n);
        for (int i = 0; i < in.begin; ++i) readChecked(x, length, q0, s, w, out, i);
        readRun<R>(x, 0, length, q0, s, w, out, in.begin, in.end);
        for (int i = in.end; i < in.audible; ++i) readChecked(x, length, q0, s, w, out, i);
      }
      continue;
    }
    alignas(32) float sum[kGroupSpan];
    GroupPart part;
    for (int i = 0; i < n && sumGroup(gsrc, gweight, count, length, q0, s, i, n, sum, part);
         i = part.i1) {
      readRun<R == Reader::kChecked ? Reader::kInterior : R>(sum, part.first, part.span, q0, s,
                                                             1.0f, out, i, part.i1);
    }
  }
}

}  // namespace

template <class T>
void mixAlignedReference(const T* const* src, const float* weight, const float* rate, int taps,
                         int64_t length, double pos, double step, float* out, int n) noexcept {
  mixGroups<Reader::kChecked>(src, weight, rate, taps, length, pos, step, out, n);
}

template <class T>
void mixAligned(const T* const* src, const float* weight, const float* rate, int taps,
                int64_t length, double pos, double step, float* out, int n) noexcept {
  mixGroups<Reader::kInterior>(src, weight, rate, taps, length, pos, step, out, n);
}

#ifdef WAE_HAVE_X86_VARIANTS
namespace {

// Eight frames at once: positions in double (two vectors of 4 lanes), the six samples around
// each position fetched (below), the Lagrange reading in float (8 lanes). Every operation is
// the scalar one, lane by lane, in the same order and with the same rounding (AVX2 without
// FMA, so nothing is fused), so the result is the reference's sample for sample.

// The six samples x[j - 2] .. x[j + 3] of each lane, gathered: any positions.
template <class T>
__attribute__((target("avx2"))) inline void gather6(const T* x, __m256i j, __m256 v[6]) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    for (int m = 0; m < 6; ++m) v[m] = _mm256_i32gather_ps(x + (m - 2), j, 4);
  } else {
    // 32-bit gathers of sample pairs (x[j + m], x[j + m + 1]), little-endian, split and
    // sign-extended.
    for (int m = 0; m < 6; m += 2) {
      const __m256i pair = _mm256_i32gather_epi32(reinterpret_cast<const int*>(x + (m - 2)), j, 2);
      v[m] = _mm256_cvtepi32_ps(_mm256_srai_epi32(_mm256_slli_epi32(pair, 16), 16));
      v[m + 1] = _mm256_cvtepi32_ps(_mm256_srai_epi32(pair, 16));
    }
  }
}

// The same samples from int16 taps when the eight positions lie close together (a read step
// up to about 1.4): the 16 samples x[j0 - 2 .. j0 + 13] loaded as one vector, converted to
// two float vectors, and each lane's six picked out by permutes, d = j - j0 in 0..10. Gathers
// cost several times more than loads and permutes; the caller checks d and that the 16
// samples lie inside the waveform. (Float samples: windowLoads6, below.)
__attribute__((target("avx2"))) inline void window6(const int16_t* x, int64_t j0, __m256i d,
                                                    __m256 v[6]) noexcept {
  const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + j0 - 2));
  // x[j0 - 2 .. j0 + 5], x[j0 + 6 .. j0 + 13]
  const __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(w)));
  const __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(w, 1)));
  for (int m = 0; m < 6; ++m) {
    const __m256i idx = _mm256_add_epi32(d, _mm256_set1_epi32(m));  // 0..15
    // permutevar8x32 reads the index's low 3 bits; bit 3 (moved to the sign) picks hi.
    v[m] = _mm256_blendv_ps(_mm256_permutevar8x32_ps(lo, idx), _mm256_permutevar8x32_ps(hi, idx),
                            _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28)));
  }
}

// The six samples of float taps, each lane's picked by one permute per sample from loads at
// six offsets, so that the lane's index d = j - j0 is one for all six: d in 0..7 (a read step up
// to 1) needs the six loads x[j0 - 2 + m ..], d in 0..15 (a step up to about 2) six more at
// x[j0 + 6 + m ..] and a blend on d's bit 3. Loads are cheaper than the index arithmetic
// window6 needs per sample, and far cheaper than gathers. The caller checks d and that the
// loads (up to x[j0 + 10], wide x[j0 + 18]) lie inside the waveform.
template <bool kWide>
__attribute__((target("avx2"))) inline void windowLoads6(const float* x, int64_t j0, __m256i d,
                                                         __m256 v[6]) noexcept {
  const __m256 upper = _mm256_castsi256_ps(_mm256_slli_epi32(d, 28));
  for (int m = 0; m < 6; ++m) {
    v[m] = _mm256_permutevar8x32_ps(_mm256_loadu_ps(x + j0 - 2 + m), d);
    if constexpr (kWide) {
      v[m] = _mm256_blendv_ps(v[m], _mm256_permutevar8x32_ps(_mm256_loadu_ps(x + j0 + 6 + m), d),
                              upper);
    }
  }
}

// Positions q0 + i * s of 4 frames (i exact in double), their integer parts and fractions.
__attribute__((target("avx2"))) inline void positions4(__m256d q0, __m256d s, __m256d i, __m128i& j,
                                                       __m128& f) noexcept {
  const __m256d p = _mm256_add_pd(q0, _mm256_mul_pd(i, s));
  j = _mm256_cvttpd_epi32(p);  // p >= 2 and < 2^31: truncation is floor
  f = _mm256_cvtpd_ps(_mm256_sub_pd(p, _mm256_cvtepi32_pd(j)));
}

// The readings of the eight frames numbered `lo` (4 lanes) and `hi` (4 more) at positions
// q0 + i * s of x (x[0] is source frame `first`, `span` frames readable from there): the six
// samples around each position loaded (or gathered), then the Lagrange reading.
template <class T>
__attribute__((target("avx2"))) WAE_ALWAYS_INLINE __m256 readEight(const T* x, int64_t first,
                                                                   int64_t span, __m256d q0,
                                                                   __m256d s, __m256d lo,
                                                                   __m256d hi) noexcept {
  __m128i jl, jh;
  __m128 fl, fh;
  positions4(q0, s, lo, jl, fl);
  positions4(q0, s, hi, jh, fh);
  const __m256i j = _mm256_sub_epi32(_mm256_set_m128i(jh, jl), _mm256_set1_epi32(int(first)));
  const int64_t j0 = _mm256_extract_epi32(j, 0), j7 = _mm256_extract_epi32(j, 7);
  const __m256i d = _mm256_sub_epi32(j, _mm256_set1_epi32(int(j0)));
  __m256 v[6];
  if constexpr (std::is_same<T, float>::value) {
    if (j7 - j0 <= 7 && j0 + 11 <= span) {
      windowLoads6<false>(x, j0, d, v);
    } else if (j7 - j0 <= 15 && j0 + 19 <= span) {
      windowLoads6<true>(x, j0, d, v);
    } else {
      gather6(x, j, v);
    }
  } else if (j7 - j0 <= 10 && j0 + 14 <= span) {
    window6(x, j0, d, v);
  } else {
    gather6(x, j, v);
  }
  __m256 y;
  lagrange6Lanes(v, _mm256_set_m128(fh, fl), y);
  return y;
}

// Frames [i, end) of x (readEight's x, first and span), eight at a time, w times the reading
// added to out; the frames left over (fewer than 8) are read by readInterior.
template <class T>
__attribute__((target("avx2"))) void readInteriorAvx2(const T* x, int64_t first, int64_t span,
                                                      double q0, double s, float w, float* out,
                                                      int i, int end) noexcept {
  const __m256d vq0 = _mm256_set1_pd(q0), vs = _mm256_set1_pd(s), eight = _mm256_set1_pd(8.0);
  const __m256 vw = _mm256_set1_ps(w);
  // Frame numbers as doubles, advanced by adding 8: exact, as double(i) is.
  __m256d lo = _mm256_set_pd(double(i + 3), double(i + 2), double(i + 1), double(i));
  __m256d hi = _mm256_add_pd(lo, _mm256_set1_pd(4.0));
  for (; i + 8 <= end; i += 8) {
    const __m256 y = readEight(x, first, span, vq0, vs, lo, hi);
    _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(out + i), _mm256_mul_ps(vw, y)));
    lo = _mm256_add_pd(lo, eight);
    hi = _mm256_add_pd(hi, eight);
  }
  readInterior(x, first, q0, s, w, out, i, end);
}

// Taps that all have rates of their own (no two summed first), each read inside its waveform
// over all n frames: its q0 and s (mixGroups') set, true. False when a tap's reading leaves
// the interior.
inline bool distinctRatesInside(const float* rate, int taps, int64_t length, double pos,
                                double step, int n, double* q0, double* s) noexcept {
  for (int k = 0; k < taps; ++k) {
    q0[k] = pos * double(rate[k]);
    s[k] = step * double(rate[k]);
    // Positions grow with the frame (s > 0): the first and the last bound them.
    if (!(s[k] > 0) || q0[k] < 2.0 || q0[k] + double(n - 1) * s[k] >= double(length - 3))
      return false;
  }
  return true;
}

// Every tap at its own rate (no two share one, so each is a group of one), all inside their
// waveforms (distinctRatesInside): the taps are read eight frames at a time, all of them for
// one run of eight frames before the next, their weighted readings added to the run in tap
// order in registers and the run stored once. That is the order in which mixGroups adds them
// to each frame, so the result is the same sample for sample, without a load and a store of
// the run per tap. False (nothing done) when a tap's reading leaves the interior.
template <class T>
__attribute__((target("avx2"))) bool readDistinctRatesAvx2(const T* const* src, const float* weight,
                                                           const float* rate, int taps,
                                                           int64_t length, double pos, double step,
                                                           float* out, int n) noexcept {
  double q0[config::kMaxTaps], s[config::kMaxTaps];
  if (!distinctRatesInside(rate, taps, length, pos, step, n, q0, s)) return false;
  __m256d lo = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
  __m256d hi = _mm256_add_pd(lo, _mm256_set1_pd(4.0));
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 acc = _mm256_loadu_ps(out + i);
    for (int k = 0; k < taps; ++k) {
      const __m256 y =
          readEight(src[k], 0, length, _mm256_set1_pd(q0[k]), _mm256_set1_pd(s[k]), lo, hi);
      acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(weight[k]), y));
    }
    _mm256_storeu_ps(out + i, acc);
    lo = _mm256_add_pd(lo, _mm256_set1_pd(8.0));
    hi = _mm256_add_pd(hi, _mm256_set1_pd(8.0));
  }
  for (int k = 0; k < taps && i < n; ++k)
    readInterior(src[k], 0, q0[k], s[k], weight[k], out, i, n);
  return true;
}

template <class T>
__attribute__((target("avx2"))) void mixAlignedAvx2(const T* const* src, const float* weight,
                                                    const float* rate, int taps, int64_t length,
                                                    double pos, double step, float* out,
                                                    int n) noexcept {
  mixGroups<Reader::kAvx2>(src, weight, rate, taps, length, pos, step, out, n);
}

// Sixteen frames at once, as the AVX2 reader's eight: positions in double (two vectors of 8
// lanes), each lane's six samples, the Lagrange reading in float, every operation the scalar
// one lane by lane in the same order (WAE_AVX512_EXACT: nothing fused).

// Samples x[j0 - 2 .. j0 + 29] as two float vectors.
WAE_AVX512_EXACT inline void window32(const float* x, int64_t j0, __m512& lo, __m512& hi) noexcept {
  lo = _mm512_loadu_ps(x + j0 - 2);
  hi = _mm512_loadu_ps(x + j0 + 14);
}
WAE_AVX512_EXACT inline void window32(const int16_t* x, int64_t j0, __m512& lo,
                                      __m512& hi) noexcept {
  const __m512i w = _mm512_loadu_si512(x + j0 - 2);
  lo = _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(_mm512_castsi512_si256(w)));
  hi = _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(w, 1)));
}

// The six samples x[j - 2] .. x[j + 3] of each of 16 lanes, j = j0 + d with d in 0..26: from
// the 32 samples from x[j0 - 2], one two-source permute per sample (lane index d + m).
WAE_AVX512_EXACT inline void pick6(__m512 lo, __m512 hi, __m512i d, __m512 v[6]) noexcept {
  for (int m = 0; m < 6; ++m)
    v[m] = _mm512_permutex2var_ps(lo, _mm512_add_epi32(d, _mm512_set1_epi32(m)), hi);
}

// The same samples gathered: any positions.
template <class T>
WAE_AVX512_EXACT inline void gather6x16(const T* x, __m512i j, __m512 v[6]) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    for (int m = 0; m < 6; ++m) v[m] = _mm512_i32gather_ps(j, x + (m - 2), 4);
  } else {
    // 32-bit gathers of sample pairs, split and sign-extended (as gather6).
    for (int m = 0; m < 6; m += 2) {
      const __m512i pair = _mm512_i32gather_epi32(j, reinterpret_cast<const int*>(x + (m - 2)), 2);
      v[m] = _mm512_cvtepi32_ps(_mm512_srai_epi32(_mm512_slli_epi32(pair, 16), 16));
      v[m + 1] = _mm512_cvtepi32_ps(_mm512_srai_epi32(pair, 16));
    }
  }
}

// Positions q0 + i * s of 8 frames, their integer parts and fractions (positions4's).
WAE_AVX512_EXACT inline void positions8(__m512d q0, __m512d s, __m512d i, __m256i& j,
                                        __m256& f) noexcept {
  const __m512d p = _mm512_add_pd(q0, _mm512_mul_pd(i, s));
  j = _mm512_cvttpd_epi32(p);  // p >= 2 and < 2^31: truncation is floor
  f = _mm512_cvtpd_ps(_mm512_sub_pd(p, _mm512_cvtepi32_pd(j)));
}

// The readings of the sixteen frames numbered `lo` (8 lanes) and `hi` (8 more), as readEight
// reads eight.
template <class T>
WAE_AVX512_EXACT WAE_ALWAYS_INLINE __m512 readSixteen(const T* x, int64_t first, int64_t span,
                                                      __m512d q0, __m512d s, __m512d lo,
                                                      __m512d hi) noexcept {
  __m256i jl, jh;
  __m256 fl, fh;
  positions8(q0, s, lo, jl, fl);
  positions8(q0, s, hi, jh, fh);
  const __m512i j = _mm512_sub_epi32(_mm512_inserti64x4(_mm512_castsi256_si512(jl), jh, 1),
                                     _mm512_set1_epi32(int(first)));
  const int64_t j0 = _mm_cvtsi128_si32(_mm512_castsi512_si128(j));
  const int64_t j15 =
      _mm_cvtsi128_si32(_mm512_castsi512_si128(_mm512_permutexvar_epi32(_mm512_set1_epi32(15), j)));
  __m512 v[6];
  if (j15 - j0 <= 26 && j0 + 30 <= span) {
    __m512 a, b;
    window32(x, j0, a, b);
    pick6(a, b, _mm512_sub_epi32(j, _mm512_set1_epi32(int(j0))), v);
  } else {
    gather6x16(x, j, v);
  }
  __m512 y;
  lagrange6Lanes(v, _mm512_insertf32x8(_mm512_castps256_ps512(fl), fh, 1), y);
  return y;
}

// Frames [i, end) of x (readEight's x, first and span), sixteen at a time; the frames left
// over go to the AVX2 reader (eight at a time, then one by one).
template <class T>
WAE_AVX512_EXACT void readInteriorAvx512(const T* x, int64_t first, int64_t span, double q0,
                                         double s, float w, float* out, int i, int end) noexcept {
  const __m512d vq0 = _mm512_set1_pd(q0), vs = _mm512_set1_pd(s), sixteen = _mm512_set1_pd(16.0);
  const __m512 vw = _mm512_set1_ps(w);
  // Frame numbers as doubles, advanced by adding 16: exact, as double(i) is.
  __m512d lo = _mm512_add_pd(_mm512_set1_pd(double(i)),
                             _mm512_set_pd(7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0));
  __m512d hi = _mm512_add_pd(lo, _mm512_set1_pd(8.0));
  for (; i + 16 <= end; i += 16) {
    const __m512 y = readSixteen(x, first, span, vq0, vs, lo, hi);
    _mm512_storeu_ps(out + i, _mm512_add_ps(_mm512_loadu_ps(out + i), _mm512_mul_ps(vw, y)));
    lo = _mm512_add_pd(lo, sixteen);
    hi = _mm512_add_pd(hi, sixteen);
  }
  readInteriorAvx2(x, first, span, q0, s, w, out, i, end);
}

// readDistinctRatesAvx2, sixteen frames at a time.
template <class T>
WAE_AVX512_EXACT bool readDistinctRatesAvx512(const T* const* src, const float* weight,
                                              const float* rate, int taps, int64_t length,
                                              double pos, double step, float* out, int n) noexcept {
  double q0[config::kMaxTaps], s[config::kMaxTaps];
  if (!distinctRatesInside(rate, taps, length, pos, step, n, q0, s)) return false;
  __m512d lo = _mm512_set_pd(7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0);
  __m512d hi = _mm512_add_pd(lo, _mm512_set1_pd(8.0));
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 acc = _mm512_loadu_ps(out + i);
    for (int k = 0; k < taps; ++k) {
      const __m512 y =
          readSixteen(src[k], 0, length, _mm512_set1_pd(q0[k]), _mm512_set1_pd(s[k]), lo, hi);
      acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_set1_ps(weight[k]), y));
    }
    _mm512_storeu_ps(out + i, acc);
    lo = _mm512_add_pd(lo, _mm512_set1_pd(16.0));
    hi = _mm512_add_pd(hi, _mm512_set1_pd(16.0));
  }
  for (int k = 0; k < taps && i < n; ++k)
    readInteriorAvx2(src[k], 0, length, q0[k], s[k], weight[k], out, i, n);
  return true;
}

template <class T>
WAE_AVX512_EXACT void mixAlignedAvx512(const T* const* src, const float* weight, const float* rate,
                                       int taps, int64_t length, double pos, double step,
                                       float* out, int n) noexcept {
  mixGroups<Reader::kAvx512>(src, weight, rate, taps, length, pos, step, out, n);
}

}  // namespace
#endif

int64_t tapFramesLeft(float rate, int64_t length, double pos, double step) noexcept {
  const double left = (double(length) - pos * double(rate)) / (step * double(rate));
  if (!(left > 0)) return 0;
  // ceil by hand: std::ceil is a library call without SSE4.1, and this runs per sub-block.
  const int64_t whole = int64_t(left);
  return double(whole) < left ? whole + 1 : whole;
}

// tapFramesLeft falls as the rate grows, so the slowest tap's is the largest: one division
// instead of one per tap (the engine asks twice per sub-block and voice).
int64_t alignedFramesLeft(const float* rate, int taps, int64_t length, double pos,
                          double step) noexcept {
  if (taps <= 0) return 0;
  float slowest = rate[0];
  for (int k = 1; k < taps; ++k) slowest = std::min(slowest, rate[k]);
  return tapFramesLeft(slowest, length, pos, step);
}

bool alignedTapsSteady(const float* rate, int taps, int64_t length, double pos, double step,
                       int fadeFrames, int n) noexcept {
  float fastest = 0.0f;
  for (int k = 0; k < taps; ++k) fastest = std::max(fastest, rate[k]);
  return taps > 0 && tapFramesLeft(fastest, length, pos, step) - fadeFrames >= int64_t(n);
}

template <class T>
void mixAlignedHeld(AlignedFn<T> kernel, const T* const* src, const float* weight,
                    const float* rate, int taps, int64_t length, double pos, double step,
                    int fadeFrames, float* scratch, float* out, int n,
                    const float* tapScale) noexcept {
  // Nearly always no tap ends nor fades in this run.
  if (alignedTapsSteady(rate, taps, length, pos, step, fadeFrames, n)) {
    kernel(src, weight, rate, taps, length, pos, step, out, n);
    return;
  }
  // What each tap counts for in the level: its weight without its samples' scale.
  float level[config::kMaxTaps];
  for (int k = 0; k < taps; ++k) level[k] = tapScale ? weight[k] / tapScale[k] : weight[k];
  int64_t ends[config::kMaxTaps];
  int64_t last = 0;
  double total = 0;
  for (int k = 0; k < taps; ++k) {
    // Corners of one pitch row share a rate: one division per rate.
    int same = 0;
    while (same < k && rate[same] != rate[k]) ++same;
    ends[k] = same < k ? ends[same] : tapFramesLeft(rate[k], length, pos, step);
    last = std::max(last, ends[k]);
    total += double(level[k]);
  }
  // Taps at full weight through the whole run (`steady`), and those that fade or have ended
  // in it (weight 0 there, read one by one below).
  float steady[config::kMaxTaps];
  double steadyWeight = 0;
  bool anyChange = false;
  for (int k = 0; k < taps; ++k) {
    const bool changes = ends[k] < last && ends[k] - fadeFrames < int64_t(n);
    steady[k] = changes ? 0.0f : weight[k];
    steadyWeight += changes ? 0.0 : double(level[k]);
    anyChange = anyChange || changes;
  }
  if (!anyChange) {
    kernel(src, weight, rate, taps, length, pos, step, out, n);
    return;
  }
  // Taps that ended before this run (r_k = 0 throughout) and none that ends or fades in it:
  // g is one constant, carried by the weights, and the steady taps are the whole voice.
  bool fadesHere = false;
  for (int k = 0; k < taps; ++k) fadesHere = fadesHere || (steady[k] == 0.0f && ends[k] > 0);
  if (!fadesHere && !(steadyWeight > 0)) return;
  const float gain = fadesHere ? 1.0f : float(std::min(double(kMaxHoldGain), total / steadyWeight));
  // The steady taps alone: a tap that has ended would otherwise still be read, as zeros.
  const T* steadySrc[config::kMaxTaps];
  float steadyW[config::kMaxTaps], steadyRate[config::kMaxTaps];
  int steadyTaps = 0;
  for (int k = 0; k < taps; ++k) {
    if (steady[k] == 0.0f) continue;
    steadySrc[steadyTaps] = src[k];
    steadyW[steadyTaps] = gain * steady[k];
    steadyRate[steadyTaps++] = rate[k];
  }
  if (!fadesHere) {
    kernel(steadySrc, steadyW, steadyRate, steadyTaps, length, pos, step, out, n);
    return;
  }
  float* sum = scratch;
  float* one = scratch + n;
  std::fill(sum, sum + n, 0.0f);
  kernel(steadySrc, steadyW, steadyRate, steadyTaps, length, pos, step, sum, n);
  // The other taps part by part (A(i) needs every tap's r_k(i)), each read alone.
  double alive[config::kChunkFrames];
  for (int from = 0; from < n; from += config::kChunkFrames) {
    const int m = std::min(config::kChunkFrames, n - from);
    std::fill(alive, alive + m, steadyWeight);
    for (int k = 0; k < taps; ++k) {
      if (steady[k] != 0.0f || weight[k] == 0.0f || ends[k] <= from) continue;
      const int64_t fadeStart = ends[k] - fadeFrames;
      std::fill(one, one + m, 0.0f);
      kernel(src + k, weight + k, rate + k, 1, length, pos + double(from) * step, step, one, m);
      for (int i = 0; i < m; ++i) {
        const int64_t f = from + i;
        const float r = f < fadeStart  ? 1.0f
                        : f >= ends[k] ? 0.0f
                                       : float(ends[k] - 1 - f) / float(fadeFrames);
        sum[f] += r * one[i];
        alive[i] += double(r) * double(level[k]);
      }
    }
    for (int i = 0; i < m; ++i) {
      const double gain = alive[i] > 0 ? std::min(double(kMaxHoldGain), total / alive[i]) : 0.0;
      out[from + i] += float(gain) * sum[from + i];
    }
  }
}

template void mixAlignedReference<float>(const float* const*, const float*, const float*, int,
                                         int64_t, double, double, float*, int) noexcept;
template void mixAlignedReference<int16_t>(const int16_t* const*, const float*, const float*, int,
                                           int64_t, double, double, float*, int) noexcept;
template void mixAligned<float>(const float* const*, const float*, const float*, int, int64_t,
                                double, double, float*, int) noexcept;
template void mixAligned<int16_t>(const int16_t* const*, const float*, const float*, int, int64_t,
                                  double, double, float*, int) noexcept;
template void mixAlignedHeld<float>(AlignedFn<float>, const float* const*, const float*,
                                    const float*, int, int64_t, double, double, int, float*, float*,
                                    int, const float*) noexcept;
template void mixAlignedHeld<int16_t>(AlignedFn<int16_t>, const int16_t* const*, const float*,
                                      const float*, int, int64_t, double, double, int, float*,
                                      float*, int, const float*) noexcept;

}  // namespace wae::runtime

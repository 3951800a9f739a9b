#include "runtime/mix.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wae::runtime {
namespace {

#define WAE_ALWAYS_INLINE inline __attribute__((always_inline))

// One pass over NT taps. With NT a compile-time constant the tap loop is unrolled and the
// sample loop is what the compiler vectorises; ivdep tells it that `out` aliases no source.
template <class T, int NT>
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
    out[i] += acc;
  }
}

// Grid cells give 1, 2, 4, 8 or 16 taps (one factor 2 per axis off the grid); any other
// count is split into such passes.
template <class T>
WAE_ALWAYS_INLINE void mixAny(const T* const* src, const float* weight, int taps, float* out,
                              int n) {
  while (taps > 0) {
    if (taps >= 8) {
      mixTaps<T, 8>(src, weight, out, n);
      src += 8, weight += 8, taps -= 8;
    } else if (taps >= 4) {
      mixTaps<T, 4>(src, weight, out, n);
      src += 4, weight += 4, taps -= 4;
    } else if (taps >= 2) {
      mixTaps<T, 2>(src, weight, out, n);
      src += 2, weight += 2, taps -= 2;
    } else {
      mixTaps<T, 1>(src, weight, out, n);
      src += 1, weight += 1, taps -= 1;
    }
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
WAE_DEFINE_KERNELS(Avx2, __attribute__((target("avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt"))))
WAE_DEFINE_KERNELS(Avx512, __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,"
                                                 "prefer-vector-width=512"))))
#endif

}  // namespace

// Catmull-Rom through x[-1..2] at fraction f of [x0, x1], in Horner form; at f == 0 it
// returns x0 exactly. Shared by every Hermite reader so they round alike.
static inline float hermite(float xm1, float x0, float x1, float x2, float f) noexcept {
  const float c1 = 0.5f * (x1 - xm1);
  const float c2 = xm1 - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
  const float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
  return ((c3 * f + c2) * f + c1) * f + x0;
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

KernelIsa bestIsa() noexcept {
  // AVX-512 is not preferred over AVX2 by default: on many Intel parts 512-bit code lowers
  // the clock, and the mix is bound by memory, not arithmetic (see engine_benchmark).
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
      break;
#ifdef WAE_HAVE_X86_VARIANTS
    case KernelIsa::kAvx2:
      k.f32 = &mixF32Avx2;
      k.i16 = &mixI16Avx2;
      break;
    case KernelIsa::kAvx512:
      k.f32 = &mixF32Avx512;
      k.i16 = &mixI16Avx512;
      break;
#endif
    default:
      k.f32 = &mixF32Baseline;
      k.i16 = &mixI16Baseline;
      break;
  }
  return k;
}

void readHermite(const float* x, int64_t first, double pos, double step, const float* gain,
                 float* out, int n) noexcept {
  // Positions relative to x[0] are >= 1 (x holds the frame before the first one read), so
  // truncation is floor; std::floor would be a libm call without SSE4.1.
  const double base = pos - double(first);
  for (int i = 0; i < n; ++i) {
    const double p = base + double(i) * step;
    const int64_t j = int64_t(p);
    const float f = float(p - double(j));
    const float* q = x + j;
    const float y = hermite(q[-1], q[0], q[1], q[2], f);
    out[i] += gain ? gain[i] * y : y;
  }
}

namespace {

// Sample `j` of a waveform `length` frames long, zero outside it.
template <class T>
inline float sampleOrZero(const T* x, int64_t length, int64_t j) noexcept {
  return j >= 0 && j < length ? float(x[j]) : 0.0f;
}

}  // namespace

template <class T>
void mixAlignedReference(const T* const* src, const float* weight, const float* rate, int taps,
                         int64_t length, double pos, double step, float* out, int n) noexcept {
  for (int k = 0; k < taps; ++k) {
    const double q0 = pos * double(rate[k]);
    const double s = step * double(rate[k]);
    for (int i = 0; i < n; ++i) {
      const double p = q0 + double(i) * s;
      const int64_t j = int64_t(p);
      const float f = float(p - double(j));
      const T* x = src[k];
      const float y = hermite(sampleOrZero(x, length, j - 1), sampleOrZero(x, length, j),
                              sampleOrZero(x, length, j + 1), sampleOrZero(x, length, j + 2), f);
      out[i] += weight[k] * y;
    }
  }
}

template <class T>
void mixAligned(const T* const* src, const float* weight, const float* rate, int taps,
                int64_t length, double pos, double step, float* out, int n) noexcept {
  for (int k = 0; k < taps; ++k) {
    const double q0 = pos * double(rate[k]);
    const double s = step * double(rate[k]);
    const T* x = src[k];
    const float w = weight[k];
    auto checked = [&](int i) {
      const double p = q0 + double(i) * s;
      const int64_t j = int64_t(p);
      const float f = float(p - double(j));
      const float y = hermite(sampleOrZero(x, length, j - 1), sampleOrZero(x, length, j),
                              sampleOrZero(x, length, j + 1), sampleOrZero(x, length, j + 2), f);
      out[i] += w * y;
    };
    // Frames whose four samples all lie inside the waveform (1 <= p < length - 2) are read
    // without checks; the condition is tested on the very position computed, so the split
    // never reads out of bounds, whatever the rounding of the estimate.
    auto inside = [&](int i) {
      const double p = q0 + double(i) * s;
      return p >= 1.0 && p < double(length - 2);
    };
    int i = 0;
    while (i < n && !inside(i)) checked(i++);
    // The interior is one run: positions only grow.
    int end = i;
    if (s > 0) {
      const double last = (double(length - 2) - q0) / s;
      end = int(std::min<double>(n, std::max<double>(i, last)));
      while (end > i && !inside(end - 1)) --end;
      while (end < n && inside(end)) ++end;
    } else if (i < n) {
      end = n;
    }
    for (; i < end; ++i) {
      const double p = q0 + double(i) * s;
      const int64_t j = int64_t(p);
      const float f = float(p - double(j));
      const T* q = x + j;
      out[i] += w * hermite(float(q[-1]), float(q[0]), float(q[1]), float(q[2]), f);
    }
    for (; i < n; ++i) checked(i);
  }
}

template void mixAlignedReference<float>(const float* const*, const float*, const float*, int,
                                         int64_t, double, double, float*, int) noexcept;
template void mixAlignedReference<int16_t>(const int16_t* const*, const float*, const float*,
                                           int, int64_t, double, double, float*, int) noexcept;
template void mixAligned<float>(const float* const*, const float*, const float*, int, int64_t,
                                double, double, float*, int) noexcept;
template void mixAligned<int16_t>(const int16_t* const*, const float*, const float*, int,
                                  int64_t, double, double, float*, int) noexcept;

}  // namespace wae::runtime

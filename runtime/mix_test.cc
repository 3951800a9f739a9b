#include "runtime/mix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace wae::runtime {
namespace {

std::vector<KernelIsa> supportedFast() {
  std::vector<KernelIsa> out;
  for (KernelIsa isa : {KernelIsa::kBaseline, KernelIsa::kAvx2, KernelIsa::kAvx512}) {
    if (isaSupported(isa)) out.push_back(isa);
  }
  return out;
}

template <class T>
void compareWithReference(KernelIsa isa, MixFn<T> fast) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uni(-1, 1);
  const int maxN = 203;
  for (int taps = 1; taps <= 16; ++taps) {
    for (int n : {1, 3, 8, 15, 16, 17, 64, 100, maxN}) {
      std::vector<std::vector<T>> data(taps, std::vector<T>(maxN + 5));
      for (auto& d : data)
        for (T& x : d) x = std::is_same<T, float>::value ? T(uni(rng)) : T(uni(rng) * 32767);
      std::vector<const T*> src(taps);
      std::vector<float> w(taps);
      for (int k = 0; k < taps; ++k) {
        src[k] = data[k].data() + (k % 3);  // unaligned starts
        w[k] = uni(rng) * (std::is_same<T, float>::value ? 1.0f : 1.0f / 32767);
      }
      std::vector<float> ref(n), got(n);
      for (int i = 0; i < n; ++i) ref[i] = got[i] = uni(rng);
      mixReference<T>(src.data(), w.data(), taps, ref.data(), n);
      fast(src.data(), w.data(), taps, got.data(), n);
      for (int i = 0; i < n; ++i) {
        double bound = 0;
        for (int k = 0; k < taps; ++k) bound += std::fabs(w[k] * float(src[k][i]));
        ASSERT_NEAR(got[i], ref[i], 1e-6 * (bound + 1))
            << isaName(isa) << " taps " << taps << " n " << n << " i " << i;
      }
    }
  }
}

TEST(Mix, FastKernelsMatchReference) {
  for (KernelIsa isa : supportedFast()) {
    const MixKernels k = mixKernels(isa);
    EXPECT_EQ(k.isa, isa);
    compareWithReference<float>(isa, k.f32);
    compareWithReference<int16_t>(isa, k.i16);
  }
}

TEST(Mix, SingleTapWithUnitWeightIsExact) {
  for (KernelIsa isa : supportedFast()) {
    const MixKernels k = mixKernels(isa);
    std::vector<float> x(77);
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37f * i) * 0.71f;
    const float* src[1] = {x.data()};
    const float w[1] = {1.0f};
    std::vector<float> out(x.size(), 0.0f);
    k.f32(src, w, 1, out.data(), int(out.size()));
    for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(out[i], x[i]) << isaName(isa);
  }
}

TEST(Mix, BestIsSupported) {
  EXPECT_TRUE(isaSupported(bestIsa()));
  EXPECT_EQ(mixKernels(KernelIsa::kBest).isa, bestIsa());
  EXPECT_EQ(mixKernels(KernelIsa::kScalar).f32, &mixReference<float>);
}

TEST(Mix, ReaderIsExactAtIntegersAndOnQuinticsAndBeatsCatmullRom) {
  std::vector<float> x(40);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::cos(0.5 * i);
  // x[0] is frame 10; read frames 12, 13, ... (integer steps).
  std::vector<float> out(20, 0.0f);
  readInterpolated(x.data(), 10, 12.0, 1.0, nullptr, out.data(), 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(out[i], x[2 + i]);
  // Six points reproduce any polynomial of degree 5 (Catmull-Rom only lines).
  auto quintic = [](double t) { return 0.5 + 0.1 * t - 0.02 * t * t + 1e-4 * std::pow(t, 5) / 4; };
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(quintic(double(i) / 8));
  std::fill(out.begin(), out.end(), 0.0f);
  readInterpolated(x.data(), 0, 2.3, 0.77, nullptr, out.data(), 20);
  for (int i = 0; i < 20; ++i) EXPECT_NEAR(out[i], quintic((2.3 + 0.77 * i) / 8), 2e-6) << i;
  // Gains apply per output frame and the result is added.
  std::vector<float> gain(20, 0.5f), acc(20, 1.0f);
  readInterpolated(x.data(), 0, 2.0, 1.0, gain.data(), acc.data(), 20);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(acc[i], 1.0f + 0.5f * x[2 + i]);
  // What the six points are for: a partial read at a fractional rate. A 660 Hz sine at
  // 22.05 kHz, read at 1.0595 (a semitone up) against the exact sine there: the error is
  // below -100 dB of the amplitude (-133 dB in double; 4-point Catmull-Rom leaves -79 dB).
  std::vector<float> sine(2000);
  const double w = 2 * M_PI * 660 / 22050;
  for (size_t i = 0; i < sine.size(); ++i) sine[i] = float(std::sin(w * double(i)));
  std::vector<float> read(1500, 0.0f);
  readInterpolated(sine.data(), 0, 2.0, 1.0595, nullptr, read.data(), 1500);
  double worst = 0;
  for (int i = 0; i < 1500; ++i)
    worst = std::max(worst, std::fabs(read[i] - std::sin(w * (2.0 + 1.0595 * i))));
  EXPECT_LT(20 * std::log10(worst), -100.0);
}

// Tap rates for the tests: every tap its own (`distinct`), or a few rates shared by several
// taps in an interleaved order (as the corners of a cell between two rows of a pitch axis,
// which the readers sum before reading), tap 0 at rate 1 either way.
std::vector<float> tapRates(int taps, bool distinct, std::mt19937& rng) {
  std::uniform_real_distribution<float> uni(0.4f, 1.0f);
  const std::vector<float> shared{1.0f, uni(rng), uni(rng)};
  std::vector<float> rate(static_cast<size_t>(taps));
  for (int k = 0; k < taps; ++k)
    rate[size_t(k)] = k == 0 ? 1.0f : distinct ? uni(rng) : shared[size_t(k % 3)];
  return rate;
}

// The fast aligned reader against the checked reference, sample for sample (same arithmetic,
// same order), over reads that start before the waveform, cross its interior and run past
// its end, at rates above and below 1, with taps of distinct rates and taps sharing rates;
// runs of 1,500 frames make the shared-rate sums in several parts.
template <class T>
void alignedAgreesWithReference(AlignedFn<T> fast) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> uni(-1, 1);
  const int64_t length = 1300;
  for (int taps : {1, 2, 5, 16}) {
    for (bool distinct : {true, false}) {
      std::vector<std::vector<T>> data(taps, std::vector<T>(size_t(length)));
      for (auto& d : data)
        for (T& x : d) x = std::is_same<T, float>::value ? T(uni(rng)) : T(uni(rng) * 32767);
      std::vector<const T*> src(taps);
      std::vector<float> w(taps);
      const std::vector<float> rate = tapRates(taps, distinct, rng);
      for (int k = 0; k < taps; ++k) {
        src[k] = data[k].data();
        w[k] = uni(rng);
      }
      for (double pos : {0.0, 0.3, 1.0, 57.25, 1250.7, 1296.5, 1299.9, 1310.0}) {
        for (double step : {0.61, 1.0, 1.6818, 3.3}) {
          for (int n : {1, 7, 64, 1500}) {
            std::vector<float> ref(n), got(n);
            for (int i = 0; i < n; ++i) ref[i] = got[i] = uni(rng);
            mixAlignedReference<T>(src.data(), w.data(), rate.data(), taps, length, pos, step,
                                   ref.data(), n);
            fast(src.data(), w.data(), rate.data(), taps, length, pos, step, got.data(), n);
            for (int i = 0; i < n; ++i) {
              ASSERT_EQ(got[i], ref[i]) << "taps " << taps << " distinct " << distinct << " pos "
                                        << pos << " step " << step << " n " << n << " i " << i;
            }
          }
        }
      }
    }
  }
}

TEST(Mix, AlignedMatchesReferenceSampleForSample) {
  alignedAgreesWithReference<float>(&mixAligned<float>);
  alignedAgreesWithReference<int16_t>(&mixAligned<int16_t>);
}

TEST(Mix, EveryAlignedKernelMatchesReferenceSampleForSample) {
  for (KernelIsa isa :
       {KernelIsa::kScalar, KernelIsa::kBaseline, KernelIsa::kAvx2, KernelIsa::kAvx512}) {
    if (!isaSupported(isa)) continue;
    SCOPED_TRACE(isaName(isa));
    const MixKernels k = mixKernels(isa);
    alignedAgreesWithReference<float>(k.alignedF32);
    alignedAgreesWithReference<int16_t>(k.alignedI16);
  }
}

// Taps of one rate are summed and then read once; by linearity that is the sum of their
// readings one by one (each tap alone is a group of one), up to rounding. Long runs, so that
// the sum is made in several parts (the buffer holds about 1,000 source frames), at steps
// that read slower and faster than the source, starting before the waveform and ending past
// it; and a reading that starts past the end adds nothing.
TEST(Mix, AlignedTapsOfOneRateReadAsTheSumOfTheirReadings) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uni(-1, 1);
  const int64_t length = 9000;
  const int taps = 16;
  std::vector<std::vector<float>> data(taps, std::vector<float>(size_t(length)));
  for (auto& d : data)
    for (float& x : d) x = uni(rng);
  std::vector<const float*> src(taps);
  std::vector<float> w(taps);
  const std::vector<float> rate = tapRates(taps, false, rng);
  for (int k = 0; k < taps; ++k) src[size_t(k)] = data[size_t(k)].data(), w[size_t(k)] = uni(rng);
  for (KernelIsa isa :
       {KernelIsa::kScalar, KernelIsa::kBaseline, KernelIsa::kAvx2, KernelIsa::kAvx512}) {
    if (!isaSupported(isa)) continue;
    const MixKernels kernels = mixKernels(isa);
    for (double step : {0.37, 1.0, 2.9, 7.9}) {
      const int n = int(double(length) / step) + 40;
      std::vector<float> grouped(size_t(n), 0.0f), apart(size_t(n), 0.0f);
      kernels.alignedF32(src.data(), w.data(), rate.data(), taps, length, 0.0, step, grouped.data(),
                         n);
      for (int k = 0; k < taps; ++k)
        kernels.alignedF32(&src[size_t(k)], &w[size_t(k)], &rate[size_t(k)], 1, length, 0.0, step,
                           apart.data(), n);
      double worst = 0, level = 0;
      for (int i = 0; i < n; ++i) {
        worst = std::max(worst, double(std::fabs(grouped[size_t(i)] - apart[size_t(i)])));
        level = std::max(level, double(std::fabs(apart[size_t(i)])));
      }
      EXPECT_GT(level, 1.0) << isaName(isa) << " step " << step;
      EXPECT_LT(worst, 2e-5 * level) << isaName(isa) << " step " << step;
    }
    std::vector<float> past(8, 0.0f);
    const double pastEnd = double(length + 4) / *std::min_element(rate.begin(), rate.end());
    kernels.alignedF32(src.data(), w.data(), rate.data(), taps, length, pastEnd, 1.0, past.data(),
                       8);
    for (float x : past) EXPECT_EQ(x, 0.0f) << isaName(isa);
  }
}

TEST(Mix, AlignedReadsEachTapAtItsRateAndZeroOutside) {
  // Tap 0 is a ramp x[j] = j read at rate 1, tap 1 the same ramp at rate 0.5, weights 1 and
  // 2: the reader reproduces lines, so inside the waveform y = p0 + 2 * p1 exactly enough.
  std::vector<float> ramp(100);
  for (size_t j = 0; j < ramp.size(); ++j) ramp[j] = float(j);
  const float* src[2] = {ramp.data(), ramp.data()};
  const float w[2] = {1.0f, 2.0f};
  const float rate[2] = {1.0f, 0.5f};
  std::vector<float> out(20, 0.0f);
  mixAlignedReference<float>(src, w, rate, 2, 100, 10.0, 1.5, out.data(), 20);
  for (int i = 0; i < 20; ++i) {
    const double p = 10.0 + 1.5 * i;
    EXPECT_NEAR(out[size_t(i)], p + 2 * (0.5 * p), 1e-4) << i;
  }
  // Past the end everything reads zero.
  std::vector<float> past(5, 0.0f);
  mixAligned<float>(src, w, rate, 2, 100, 250.0, 1.0, past.data(), 5);
  for (float x : past) EXPECT_EQ(x, 0.0f);
}

}  // namespace
}  // namespace wae::runtime

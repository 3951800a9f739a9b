#include "tools/audio/pitch.h"

#include <aubio/aubio.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace wae::audio {
namespace {

// Frames quieter than the loudest by more than this are not "sounding" (see pitch.h).
constexpr double kSoundingRangeDb = 40.0;
// Below this RMS (about -140 dBFS) the loudest frame is silence: nothing is estimated.
constexpr double kSilentRms = 1e-7;

struct PitchDeleter {
  void operator()(aubio_pitch_t* p) const { del_aubio_pitch(p); }
};
struct FvecDeleter {
  void operator()(fvec_t* v) const { del_fvec(v); }
};

// Refines a YIN estimate f0 over samples [a, b): YIN's parabolic interpolation of its
// difference function at a one-period lag is biased by up to a few tens of cents for periods of
// a few samples (measured 22 cents at 3520 Hz and 22050 Hz). The difference function
// d(tau) = sum_t (x[t] - x[t + tau])^2 has a minimum at every multiple of the period, and a
// parabola fitted at m periods has 1/m of the error in the period. So the period is refined at
// m = 1, 2, 4, ... periods, up to `maxLag` samples, each fit accurate enough that the next
// multiple is found in the right minimum. Returns f0 unchanged when the span is too short or
// no minimum is found.
double refine(const float* x, size_t a, size_t b, int sampleRate, double f0, size_t maxLag) {
  auto d = [&](int64_t tau) {
    double sum = 0;
    for (size_t t = a; t + size_t(tau) < b; ++t) {
      const double e = double(x[t]) - double(x[t + size_t(tau)]);
      sum += e * e;
    }
    // Per overlapping sample, so that lags of different overlap compare.
    return sum / double(b - a - size_t(tau));
  };
  double period = double(sampleRate) / f0;
  for (double m = 1; m * period + 3 <= double(maxLag); m *= 2) {
    int64_t best = std::lround(m * period);
    if (best < 2 || int64_t(b - a) < 2 * (best + 3)) return f0;
    double dBest = d(best), lo = d(best - 1), hi = d(best + 1);
    // Downhill to the local minimum (the rounded lag may be a sample off).
    for (int step = 0; step < 3 && (lo < dBest || hi < dBest); ++step) {
      if (lo < hi) {
        hi = dBest, dBest = lo, --best, lo = d(best - 1);
      } else {
        lo = dBest, dBest = hi, ++best, hi = d(best + 1);
      }
    }
    const double curvature = lo - 2 * dBest + hi;
    if (!(curvature > 0) || lo < dBest || hi < dBest) return f0;
    period = (double(best) + 0.5 * (lo - hi) / curvature) / m;
  }
  return double(sampleRate) / period;
}

}  // namespace

size_t frameSize(int sampleRate) {
  const double target = 0.093 * sampleRate;
  size_t size = 256;
  while (size * 2 <= target * std::sqrt(2.0)) size *= 2;
  return size;
}

PitchEstimate estimatePitch(const float* samples, size_t n, int sampleRate) {
  if (sampleRate < 1000 || sampleRate > 384000) {
    throw std::invalid_argument("estimatePitch: sample rate: found " + std::to_string(sampleRate) +
                                ", expected 1000..384000 Hz");
  }
  if (samples == nullptr && n > 0)
    throw std::invalid_argument("estimatePitch: samples: found null, expected " +
                                std::to_string(n) + " samples");
  // A waveform shorter than the frame gets a shorter frame (at least 256 samples), not one
  // padded with zeros, which YIN would compare with the waveform.
  size_t frame = frameSize(sampleRate);
  while (frame > 256 && frame > n) frame /= 2;
  const size_t hop = frame / 4;
  std::unique_ptr<aubio_pitch_t, PitchDeleter> yin(
      new_aubio_pitch("yinfast", uint_t(frame), uint_t(hop), uint_t(sampleRate)));
  std::unique_ptr<fvec_t, FvecDeleter> in(new_fvec(uint_t(hop))), out(new_fvec(1));
  if (!yin || !in || !out) throw std::runtime_error("estimatePitch: aubio could not set up YIN");
  aubio_pitch_set_unit(yin.get(), "Hz");
  aubio_pitch_set_silence(yin.get(), -200.0f);  // the energy gate below decides instead

  // aubio keeps the last `frame` samples and analyses them after each hop; frame t covers
  // samples [(t + 1) * hop - frame, (t + 1) * hop). Only frames lying wholly inside the
  // (padded) waveform are kept.
  const size_t padded = std::max(n, frame);
  const size_t hops = (padded + hop - 1) / hop;
  struct Frame {
    size_t end;  // one past its last sample
    double rms;
    float f0, confidence;
  };
  std::vector<Frame> frames;
  std::vector<double> energy(hops + 1, 0.0);  // prefix sums of each hop's energy
  for (size_t t = 0; t < hops; ++t) {
    double e = 0;
    for (size_t i = 0; i < hop; ++i) {
      const size_t j = t * hop + i;
      const float x = j < n ? samples[j] : 0.0f;
      in->data[i] = x;
      e += double(x) * double(x);
    }
    energy[t + 1] = energy[t] + e;
    aubio_pitch_do(yin.get(), in.get(), out.get());
    const size_t end = (t + 1) * hop;
    if (end < frame) continue;
    const size_t first = t + 1 - frame / hop;
    const double rms = std::sqrt((energy[t + 1] - energy[first]) / double(frame));
    frames.push_back({end, rms, out->data[0], aubio_pitch_get_confidence(yin.get())});
  }

  PitchEstimate est;
  double loudest = 0;
  for (const Frame& f : frames) loudest = std::max(loudest, f.rms);
  if (loudest < kSilentRms) return est;
  const double floor = loudest * std::pow(10.0, -kSoundingRangeDb / 20.0);
  std::vector<float> pitched;
  double confidence = 0;
  size_t sounding = 0, first = padded, last = 0;  // the sounding span, in samples
  for (const Frame& f : frames) {
    if (f.rms < floor) continue;
    ++sounding;
    first = std::min(first, f.end - frame);
    last = std::max(last, std::min(f.end, n));
    const float c = std::isfinite(f.confidence) ? std::clamp(f.confidence, 0.0f, 1.0f) : 0.0f;
    confidence += c;
    if (c >= kPitchedConfidence && f.f0 > 0 && std::isfinite(f.f0)) pitched.push_back(f.f0);
  }
  est.confidence = float(confidence / double(sounding));
  if (2 * pitched.size() < sounding) return est;
  const size_t mid = pitched.size() / 2;
  std::nth_element(pitched.begin(), pitched.begin() + mid, pitched.end());
  float f0 = pitched[mid];
  if (pitched.size() % 2 == 0) {
    const float below = *std::max_element(pitched.begin(), pitched.begin() + mid);
    f0 = 0.5f * (f0 + below);
  }
  const double refined = refine(samples, first, last, sampleRate, double(f0), frame / 2);
  // The refinement only moves the estimate within a semitone (else it found another minimum).
  if (std::abs(std::log2(refined / double(f0))) < 1.0 / 12.0) f0 = float(refined);
  est.f0Hz = f0;
  est.midiPitch = float(69.0 + 12.0 * std::log2(double(f0) / 440.0));
  return est;
}

}  // namespace wae::audio

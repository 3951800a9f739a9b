// Pitch alignment's arithmetic (engine.h, "Pitch alignment"), shared by the engine and by
// evaluate_bank so that the fidelity figures are those of what the external plays: a blend's
// pitch from its taps' f0, and the rate each tap is read at.
//
// Threads: noexcept, no allocation, no lock: the audio thread may call both.
#pragma once

#include <cstdint>

#include "runtime/config.h"

namespace wae::runtime {

// The pitch of a blend of `taps` taps with grid weights `weight` and f0 `f0Hz` (0: unpitched):
// the weights' geometric mean of the pitched taps' f0 (weights renormalised over them),
// exactly that f0 when only one distinct f0 is present. False (f untouched) when no tap with
// a positive weight is pitched.
bool blendPitch(const float* f0Hz, const float* weight, int taps, double& f) noexcept;

// The read rates of a pitch-aligned blend played with transposition ratio `transpose`:
// pitched tap k is read at transpose * f / f0_k (f from blendPitch), an unpitched one at
// `transpose`. Writes rate[k] relative to the fastest tap (so every rate[k] <= 1) and `step`,
// the fastest tap's frames per output frame, capped at config::kMaxReadStep (every tap then
// slowing by the same factor, so the pitch stays aligned). Returns false (rate and step
// untouched) when every tap would read at the same rate: at most one distinct f0, or no
// pitched tap; the blend is then the plain one. `unpitchedStep`, when given, gets the frames
// per output frame of a reading at `transpose` (an unpitched tap's, or a bank's noise part's),
// with the same cap: exactly `transpose` unless the fastest tap was capped.
bool alignRates(const float* f0Hz, const float* weight, int taps, double transpose, float* rate,
                double& step, double* unpitchedStep = nullptr) noexcept;

// The MIDI pitch (an integer) nearest to `midi` whose pitch class (midi mod 12, C = 0) is in
// `pitchClasses` (bit c for class c); of two equally near, the lower. `midi` itself when
// no bit of the low 12 is set (no scale).
double quantiseToScale(double midi, uint16_t pitchClasses) noexcept;

}  // namespace wae::runtime

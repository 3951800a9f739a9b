// The level of a blend (engine.h, "The level between corners"), shared by the engine, the
// playable bank and evaluate_bank so that the fidelity figures are those of what the external
// plays. Corners of one shape at different levels, summed with grid weights, play at the
// weights' mean of their amplitudes; the model at a point between them plays at (nearly) the
// mean of their levels in dB, which is quieter: half way between two corners 12 dB apart, the
// weighted sum is 1.9 dB too loud. A blend is scaled by levelGain() to the weights' mean of
// the corners' levels in dB instead.
//
// Threads: noexcept, no allocation, no lock: the audio thread calls levelGain().
#pragma once

#include <cstdint>

namespace wae::runtime {

// waveformLevel() averages over frames of this many samples.
inline constexpr int kLevelFrameSamples = 1024;
// Each frame's mean square is floored here (-120 dBFS), so that silence has a level.
inline constexpr double kLevelFloor = 1e-12;
// levelGain() is at least this (-12 dB), so that a corner near silence does not mute a blend,
// and at most its inverse. (With the level's weights for the mix's, the gain is at most 1:
// the mean of levels in dB is at most that of amplitudes.)
inline constexpr float kMinLevelGain = 0.25f;

// The level of `length` samples x[i] * scale: the mean over frames of kLevelFrameSamples (the
// last, shorter frame included) of ln(frame RMS), each frame's mean square floored at
// kLevelFloor. Natural log of an amplitude (dBFS / 20 * ln 10).
float waveformLevel(const float* x, int64_t length, float scale = 1.0f) noexcept;
float waveformLevel(const int16_t* x, int64_t length, float scale) noexcept;

// The gain that brings a sum of `taps` corners of levels `level` (waveformLevel), mixed with
// weights `mixWeight`, to the mean of those levels with weights `weight` (the grid's; the mix's
// differ on a bank with a blend exponent, runtime::curvedCorners), as if the corners had one
// shape: exp(sum w_k L_k / W) / (sum m_k exp(L_k) / M), W = sum w_k, M = sum m_k, clamped to
// [kMinLevelGain, 1 / kMinLevelGain]. Exactly 1 with one tap, or when every tap has the same
// level; 1 when W or M is not positive.
float levelGain(const float* level, const float* weight, const float* mixWeight, int taps) noexcept;

}  // namespace wae::runtime

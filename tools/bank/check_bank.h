// check_bank: a look at every waveform of a bank, so that no silent, noise-only or clipping
// grid point goes unnoticed (docs/BANK.md, "Checking a whole bank"). The library behind
// //tools:check_bank. LibTorch only in the .cc files (the STFT of tools/audio/spectrogram.h).
//
// Per grid point, on the waveform x[0..N) as the runtime plays it (int16: stored * scale):
//   rms_dbfs    20 log10( sqrt( mean_n x[n]^2 ) ), full scale = 1.0 (a sinusoid of
//               amplitude A reads 20 log10(A / sqrt 2)); an all-zero waveform is -inf, kept
//               as -inf (no floor) in the CSV and the summary;
//   peak        max_n |x[n]|, linear;
//   flatness    spectral flatness of the power spectrum, 0 (a pure tone) .. 1 (flat):
//               STFT with n_fft 1024, hop 256, periodic Hann window of 1024, centred frames
//               with reflect padding (all 1 + N / 256 frames; a waveform shorter than 1024
//               samples is zero-padded to 1024 first), at the bank's sample rate.
//               P[f,t] = |X[f,t]|^2 / 512^2 (512 = the window's sum, so a sinusoid of
//               amplitude A has A^2 / 4 in its peak bin), bins f = 0..512.
//               Frame energy E[t] = sum_f P[f,t]. The frames kept are those with
//               E[t] >= E_max * 10^(-40 / 10) (within 40 dB of the loudest frame), so that
//               a silent tail does not decide the figure.
//               Per kept frame, with Q = max(P, 1e-10) (a floor 100 dB under 1):
//                 flat[t] = exp( mean_f ln Q[f,t] ) / mean_f Q[f,t];
//               flatness = mean of flat[t] over the kept frames. White noise gives about
//               exp(-0.5772) = 0.56 (the geometric / arithmetic mean of an exponential
//               distribution), a sinusoid about 0.
//               NaN for an all-zero waveform (no frame has energy): written "nan".
//   centroid_hz sum_f freq[f] S[f] / sum_f S[f], S[f] = sum over the kept frames of P[f,t],
//               freq[f] = f * sampleRate / 1024: the power-weighted mean frequency of the
//               sounding part. NaN for an all-zero waveform.
// A point is flagged silent if rms_dbfs < silenceDbfs, noise-like if flatness >
// noiseFlatness, clipping if peak > clipPeak (1.0 by default: Pd's DAC clips beyond full scale
// when the point is played at gain 1). Flags are information: the tool exits 0 whatever it
// flags.
//
// Thread: any thread; functions are stateless (torch's intra-op threads do the STFT).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "bank/bank_data.h"

namespace CLI {
class App;
}

namespace wae::bankbake {

inline constexpr int kCheckNFft = 1024;
inline constexpr int kCheckHop = 256;
inline constexpr double kCheckFrameRangeDb = 40;   // frames kept: within this of the loudest
inline constexpr double kCheckPowerFloor = 1e-10;  // on P, before the logs
inline constexpr double kDefaultSilenceDbfs = -60;
inline constexpr double kDefaultNoiseFlatness = 0.5;
inline constexpr double kDefaultClipPeak = 1.0;  // full scale

struct CheckOptions {
  double silenceDbfs = kDefaultSilenceDbfs;
  double noiseFlatness = kDefaultNoiseFlatness;
  double clipPeak = kDefaultClipPeak;
  int batch = 16;        // waveforms per STFT call (memory: batch x 513 x frames x 16 bytes)
  bool progress = true;  // wae::Progress on stderr
};

// The measures of one waveform (definitions above).
struct WaveMeasures {
  double rmsDbfs = 0;
  double peak = 0;
  double flatness = 0;
  double centroidHz = 0;
};

struct PointCheck {
  std::array<int, bank::kDims> index{};          // grid indices, 0-based
  std::array<double, bank::kDims> normalised{};  // -1..1 per axis, what the Pd external is sent
  WaveMeasures m;
};

struct BankCheck {
  std::string path;
  bank::BankInfo info;
  // From the bank as read: its waveform checksums all verified (bank::BankData), its pitch.
  bool waveformChecksums = false;
  std::vector<float> f0Hz;  // empty: no pitch (format version 1)
  std::string f0Source;
  std::vector<PointCheck> points;  // in flatIndex order
  double seconds = 0;              // reading and measuring
};

// Measures `count` waveforms of `length` samples, stored one after the other, in batches of
// options.batch. Throws std::invalid_argument for a sample rate or a length <= 0.
std::vector<WaveMeasures> measureWaves(const float* waves, size_t count, int length, int sampleRate,
                                       const CheckOptions& options);

// Every point of a bank in memory.
BankCheck checkBank(const bank::BankData& bank, const CheckOptions& options);
// Reads the bank with bank::readBank (its wae::FormatError, naming the file, passes through:
// for a waveform chunk that fails its checksum it names the first such point by its 4 grid
// indices) and checks every point.
BankCheck checkBankFile(const std::string& path, const CheckOptions& options);

bool isSilent(const WaveMeasures& m, const CheckOptions& options);
bool isNoiseLike(const WaveMeasures& m, const CheckOptions& options);
bool isClipping(const WaveMeasures& m, const CheckOptions& options);

// check_bank's measuring options with their range checks (--silence-dbfs, --noise-flatness,
// --clip-peak, --batch, --max-listed), apart from the main so that tests can parse them.
void addCheckOptions(CLI::App& app, CheckOptions& options, size_t& maxListed);

// min / 5% / median / 95% / max (nearest rank, tools/bank/report_util.h) of the values
// that are not NaN; count says how many those were.
struct Distribution {
  size_t count = 0;
  double min = 0, p5 = 0, median = 0, p95 = 0, max = 0;
};
Distribution distribution(const std::vector<double>& values);

// The text check_bank prints: the bank, its checksums ("checksums: Fletcher-32 verified for
// every waveform, N of N points", or that it has none), its pitch ("pitch: f0 from "model":
// P pitched points, min / median / max Hz; U unpitched", or that it has none), the
// distributions of RMS, peak, flatness and centroid, the flagged points (silent, noise-like,
// clipping) with their counts (at most maxListed listed per flag).
std::string formatSummary(const BankCheck& check, const CheckOptions& options,
                          size_t maxListed = 100);

// One row per point: i1,i2,i3,i4,u1,u2,u3,u4,rms_dbfs,peak,flatness,centroid_hz (u: the
// normalised coordinates). Written atomically.
void writeCheckCsv(const std::string& path, const BankCheck& check);

// Histograms of RMS (dBFS) and flatness, and RMS against flatness, with the silence and noise
// thresholds drawn; the title counts the clipping points (the peak is not plotted). gnuplot,
// written atomically.
void writeCheckPlot(const std::string& pngPath, const BankCheck& check,
                    const CheckOptions& options);

}  // namespace wae::bankbake

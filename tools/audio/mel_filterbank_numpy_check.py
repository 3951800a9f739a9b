"""Compares mel_filterbank_dump's output with librosa's algorithm written out in NumPy.

librosa is not installed here; this follows librosa.filters.mel (htk=False,
norm='slaney') step by step: Slaney mel scale, mel points by numpy.linspace, FFT bin
frequencies, triangles from the ramp differences, area normalisation, float32 result.
Usage: mel_filterbank_numpy_check.py DUMP_BINARY
"""
import subprocess
import sys

import numpy as np

F_SP = 200.0 / 3
MIN_LOG_HZ = 1000.0
MIN_LOG_MEL = MIN_LOG_HZ / F_SP
LOGSTEP = np.log(6.4) / 27.0


def hz_to_mel(hz):
    hz = np.asanyarray(hz, dtype=np.float64)
    mel = hz / F_SP
    log_part = hz >= MIN_LOG_HZ
    with np.errstate(divide='ignore'):
        log_mel = MIN_LOG_MEL + np.log(hz / MIN_LOG_HZ) / LOGSTEP
    mel = np.where(log_part, log_mel, mel)
    return mel


def mel_to_hz(mel):
    mel = np.asanyarray(mel, dtype=np.float64)
    hz = F_SP * mel
    return np.where(mel >= MIN_LOG_MEL, MIN_LOG_HZ * np.exp(LOGSTEP * (mel - MIN_LOG_MEL)), hz)


def filterbank(sr, n_fft, n_mels, fmin, fmax):
    fft_hz = np.linspace(0, sr / 2.0, 1 + n_fft // 2)
    mel_hz = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    widths = np.diff(mel_hz)
    ramps = mel_hz[:, None] - fft_hz[None, :]
    w = np.zeros((n_mels, 1 + n_fft // 2))
    for m in range(n_mels):
        rising = -ramps[m] / widths[m]
        falling = ramps[m + 2] / widths[m + 1]
        w[m] = np.maximum(0, np.minimum(rising, falling))
    w *= (2.0 / (mel_hz[2:] - mel_hz[:-2]))[:, None]
    return w.astype(np.float32)


def main():
    dump = sys.argv[1]
    cases = [(22050, 1024, 80, 0.0, 11025.0), (22050, 2048, 128, 0.0, 11025.0),
             (16000, 512, 40, 50.0, 7600.0), (44100, 2048, 128, 30.0, 16000.0)]
    for sr, n_fft, n_mels, fmin, fmax in cases:
        text = subprocess.run([dump, str(sr), str(n_fft), str(n_mels), str(fmin), str(fmax)],
                              check=True, capture_output=True, text=True).stdout
        ours = np.array([[float(v) for v in line.split()] for line in text.splitlines()])
        ref = filterbank(sr, n_fft, n_mels, fmin, fmax)
        if ours.shape != ref.shape:
            sys.exit(f"{sr, n_fft, n_mels, fmin, fmax}: shape {ours.shape}, expected {ref.shape}")
        diff = np.abs(ours - ref)
        print(f"sr {sr} n_fft {n_fft} n_mels {n_mels} fmin {fmin} fmax {fmax}: "
              f"max difference {diff.max():.3g} (largest weight {ref.max():.3g})")
        if np.any(diff > 1e-6 * np.abs(ref) + 1e-9):
            sys.exit("mismatch with the NumPy transcription of librosa's mel filterbank")
    # The librosa documentation's example value, melfb[0, 1] of mel(sr=22050, n_fft=2048).
    assert round(float(filterbank(22050, 2048, 128, 0.0, 11025.0)[0, 1]), 3) == 0.016
    print("OK")


if __name__ == "__main__":
    main()

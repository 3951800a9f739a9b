#!/usr/bin/python3
"""How far a dataset's notes sit from their MIDI pitch labels, in cents.

For N random notes (seeded): the strongest peak near harmonic 1, 2 or 3 of the labelled
pitch (within 3 %) in a 2^18-point FFT of a Hann-windowed 8,192-sample stretch starting at
sample 2,048 (after the attack), divided by its harmonic number. Prints one line per note and
the median and 90th percentile of |cents|. docs/INVERSION.md quotes it for the dense corpus:

    /usr/bin/python3 scripts/label_tuning.py out/dataset.h5 60   (the default corpus, docs/CORPUS.md)
"""
import sys

import h5py
import numpy as np


def measured_f0(audio, label_hz, sr):
    """The note's f0 in Hz near label_hz, as the module's docstring says; None when even its
    fundamental lies above Nyquist."""
    size = 1 << 18
    seg = np.asarray(audio[2048:2048 + 8192], dtype=np.float64) * np.hanning(8192)
    spectrum = np.abs(np.fft.rfft(seg, size))
    peaks = []
    for k in (1, 2, 3):
        lo = int(k * label_hz * 0.97 / sr * size)
        hi = int(k * label_hz * 1.03 / sr * size) + 1
        if hi < len(spectrum):
            p = lo + int(np.argmax(spectrum[lo:hi]))
            peaks.append((spectrum[p], p * sr / size / k))
    return max(peaks)[1] if peaks else None


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: label_tuning.py DATASET.h5 [NOTES=60]")
    path, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 60
    with h5py.File(path, "r") as f:
        for field in ("audio", "pitch", "note_str"):
            if field not in f:
                sys.exit(f"{path}: no dataset /{field} (make_dataset writes it)")
        sr = int(f.attrs["sample_rate"]) if "sample_rate" in f.attrs else 22050
        pitch = f["pitch"][:]
        idx = np.sort(np.random.default_rng(0).choice(len(pitch), count, replace=False))
        cents = []
        for i in idx:
            label = 440.0 * 2.0 ** ((pitch[i] - 69) / 12.0)
            f0 = measured_f0(f["audio"][i], label, sr)
            if f0 is None:
                continue
            c = 1200.0 * np.log2(f0 / label)
            cents.append(c)
            print(f"{f['note_str'][i].decode()} {int(pitch[i])} {c:+.1f}")
    a = np.abs(np.array(cents))
    print(f"{len(a)} notes: median |cents| {np.median(a):.1f}, 90th percentile {np.percentile(a, 90):.1f}")


if __name__ == "__main__":
    main()

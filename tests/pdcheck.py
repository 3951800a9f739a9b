"""What the Pd tests share: a bank's waveforms with an independent quadrilinear blend, a
frequency measure, and the errors in a Pd console."""
import h5py
import numpy as np


class Bank:
    """The bank's waveforms and the quadrilinear blend, written independently of runtime/."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.shape = tuple(int(g) for g in f.attrs["grid_shape"])
            self.axes = [f[f"axis{d + 1}"][()] for d in range(4)]
            self.waves = f["waveforms"][()].reshape(self.shape + (-1,))

    def blend(self, point):
        """The waveform a normalised point (-1..1 per axis) plays."""
        weights = []
        for d, p in enumerate(point):
            axis = self.axes[d]
            a = axis[0] + (min(max(p, -1), 1) + 1) / 2 * (axis[-1] - axis[0])
            i = min(max(np.searchsorted(axis, a, side="right") - 1, 0), len(axis) - 2)
            t = (a - axis[i]) / (axis[i + 1] - axis[i])
            weights.append(((i, 1 - t), (i + 1, t)))
        out = np.zeros(self.waves.shape[-1])
        for (i0, w0) in weights[0]:
            for (i1, w1) in weights[1]:
                for (i2, w2) in weights[2]:
                    for (i3, w3) in weights[3]:
                        out += w0 * w1 * w2 * w3 * self.waves[i0, i1, i2, i3].astype(np.float64)
        return out


def frequency(x, sr):
    """Peak frequency, from a 16x zero-padded FFT with parabolic interpolation."""
    n = len(x) * 16
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n))
    k = int(np.argmax(spectrum[1:])) + 1
    a, b, c = np.log(spectrum[k - 1:k + 2] + 1e-20)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sr / n


def errors(console):
    """Pd's error lines, failed creations and their follow-up hints."""
    return [line for line in console.splitlines()
            if line.startswith("error:") or "couldn't create" in line or "... you might" in line]

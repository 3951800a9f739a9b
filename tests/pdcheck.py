"""What the Pd tests share: running a patch in Pd, a bank's waveforms with an independent
quadrilinear blend, a frequency measure, and the errors in a Pd console."""
import os
import subprocess
import tempfile

import h5py
import numpy as np
import soundfile


def pd_command(path, sr, paths, realtime=False, timeout_s=60, flags=()):
    """The command that opens patch file `path` in Pd at rate `sr`, without GUI, sound or
    preferences, with `paths` on its search path and its console on stdout; killed after
    `timeout_s`. Batch mode runs logical time as fast as the CPU allows; realtime=True paces
    it with the clock, for tests that wait on another thread's real work (live mode,
    writesf~'s disk thread, OSC). `flags`: more of Pd's flags (e.g. -nostdpath)."""
    cmd = ["timeout", str(timeout_s), "pd", "-nogui", "-nosound"]
    cmd += ([] if realtime else ["-batch"]) + ["-nrt", "-noprefs", "-stderr", "-r", str(sr)]
    cmd += list(flags)
    for p in paths:
        cmd += ["-path", p]
    return cmd + ["-open", path]


def run_pd(patch, work, name, sr, paths, realtime=False):
    """Writes `patch` (anything with write(path)) as NAME.pd in a fresh folder under `work`,
    runs it (see pd_command) there until it quits, and returns (console, {array: samples})
    with every NAME.wav the patch wrote there, which must be at `sr`. A Pd that fails or does
    not quit within 60 s fails the test."""
    folder = tempfile.mkdtemp(dir=work, prefix=name + "-")
    path = os.path.join(folder, name + ".pd")
    patch.write(path)
    proc = subprocess.run(pd_command(path, sr, paths, realtime), cwd=folder,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"pd exited with {proc.returncode}:\n{proc.stdout}")
    arrays = {}
    for f in os.listdir(folder):
        if f.endswith(".wav"):
            data, rate = soundfile.read(os.path.join(folder, f), dtype="float32")
            assert rate == sr, (f, rate)
            arrays[f[:-4]] = data
    return proc.stdout, arrays


class Bank:
    """The bank's waveforms and the quadrilinear blend, written independently of runtime/."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.shape = tuple(int(g) for g in f.attrs["grid_shape"])
            self.axes = [f[f"axis{d + 1}"][()] for d in range(4)]
            self.stored = f["waveforms"][()].reshape(self.shape + (-1,))
            # A bank with noise parts (format 3): a point sounds its two parts' sum.
            noise = f["noise"][()].reshape(self.shape + (-1,)) if "noise" in f else None
            rate = int(f.attrs["sample_rate"])
            # int16: sample = stored * scale, each point's own in a bank of format 4.
            scale = (f["point_scale"][()].astype(np.float64).reshape(self.shape + (1,))
                     if "point_scale" in f else float(f.attrs["scale"]))
        # What a voice plays at the bank's own rate: the stored waveform with the engine's
        # end-of-voice taper (the stealing fade, 64 frames at 48 kHz scaled to the rate, gain
        # (F - 1 - k) / F over the last F frames), in float32 as the engine computes it.
        self.fade = max(1, int(np.floor(64 * rate / 48000 + 0.5)))
        n = self.stored.shape[-1]
        k = np.arange(n) - (n - self.fade)
        self.taper = np.where(k < 0, np.float32(1),
                              (self.fade - 1 - k).astype(np.float32) * np.float32(1 / self.fade))
        self.taper = self.taper.astype(np.float32)
        if self.stored.dtype != np.float32:
            self.stored = (self.stored.astype(np.float64)
                           + (0 if noise is None else noise.astype(np.float64))) * scale
            self.waves = self.stored * self.taper
        elif noise is None:
            self.waves = self.stored * self.taper
        else:
            # The engine adds the harmonic part, then the noise part, each times the taper.
            self.waves = self.stored * self.taper + noise * self.taper
            self.stored = self.stored + noise

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
                        out += w0 * w1 * w2 * w3 * self.stored[i0, i1, i2, i3].astype(np.float64)
        return out * self.taper


def frequency(x, sr, max_hz=None):
    """Peak frequency, from a 16x zero-padded FFT with parabolic interpolation; with max_hz,
    the peak below it (a fundamental whose second harmonic is as loud)."""
    n = len(x) * 16
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n))
    top = len(spectrum) - 1 if max_hz is None else int(max_hz * n / sr)
    k = int(np.argmax(spectrum[1:top])) + 1
    a, b, c = np.log(spectrum[k - 1:k + 2] + 1e-20)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sr / n


def errors(console):
    """Pd's error lines, failed creations and their follow-up hints."""
    return [line for line in console.splitlines()
            if line.startswith("error:") or "couldn't create" in line or "... you might" in line]

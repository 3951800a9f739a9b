#!/usr/bin/python3
"""What a bank plays when it keeps each point's harmonic and noise parts apart (format 3):
the harmonic parts blended pitch-aligned and the noise parts blended plainly (unresampled),
against the plain, the aligned and the nearest blends of whole waveforms, all measured
against the model's note at the same random off-grid points; and where the split blend's
error lies: its harmonic blend beside the model's own noise part, and the model's own
harmonic part beside its noise blend; and, as a bound on what the reading rates cost, the
corners' harmonic parts synthesised at the blend's f0 (each corner's mel, controls and
envelopes at that f0, so no corner is read at another rate) and blended plainly, beside the
model's own noise part. docs/BANK.md quotes it.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/split_blend.py GENERATIVE.pt BANK.h5 \
        [--trials 32] [--grid 48,5,4,4] [--wav-dir DIR]

GENERATIVE.pt is a generative.pt with an hpn inverter and a pitch axis (the demo's);
BANK.h5 a bank baked from it, whose axes (or, with --grid, that many points over the bank's
axis ranges) give the grid. Every waveform is recomputed from the model: the
point's in float, its 16 corners' rounded to int16 as an int16 bank stores them, each corner
at its own scale over its parts and their sum (bank format 4; the split blend's two parts
each so): the harmonic and noise parts
(`inverter.controls`, `harmonic`, `noise`, with the onset fade and level gain of
`forward_full`). The aligned readings are the engine's: rates f / f0_k to the weights'
geometric mean f of the corners' f0 (generative.pt's `f0`; unpitched corners at rate 1),
6-point Lagrange interpolation. All blends are compared over the frames every corner
sounds (the first length / the fastest rate), with the STFT LSD (1024-point frames, hop 256,
floor 1e-5, as tools/audio/metrics.h; hpn_tuning.py's sc_lsd) and the spectral convergence. Trial points are drawn
uniformly over the grid's box (seed 1). --wav-dir writes the first point's model note and its
aligned and split blends as 16-bit WAVs (model.wav, aligned.wav, split.wav) and their sox
spectrograms beside them, to listen to and look at.
"""
import argparse
import os
import subprocess
import sys
import wave

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpn_tuning import sc_lsd  # noqa: E402


def lagrange_read(x, rate, frames):
    """x read at positions t * rate, t < frames: 6-point Lagrange through x[j - 2 .. j + 3]
    (runtime/mix.cc's lagrange6Weights), zero outside x."""
    p = np.arange(frames) * rate
    j = np.floor(p).astype(np.int64)
    f = p - j
    w = [-(f + 1) * f * (f - 1) * (f - 2) * (f - 3) / 120, (f + 2) * f * (f - 1) * (f - 2) * (f - 3) / 24,
         -(f + 2) * (f + 1) * (f - 1) * (f - 2) * (f - 3) / 12, (f + 2) * (f + 1) * f * (f - 2) * (f - 3) / 12,
         -(f + 2) * (f + 1) * f * (f - 1) * (f - 3) / 24, (f + 2) * (f + 1) * f * (f - 1) * (f - 2) / 120]
    padded = np.concatenate([np.zeros(2), x, np.zeros(8)])
    return sum(w[m] * padded[np.clip(j + m, 0, len(padded) - 1)] for m in range(6))


def int16_scale(*parts):
    """Each row's int16 scale as a bank of format 4 stores it: max |x| / 32767 over the
    row's parts and their sum (1 / 32767 for a silent row)."""
    peak = np.max([np.abs(p).max(-1) for p in parts + (sum(parts),)], 0)
    return np.where(peak > 0, peak, 1.0)[..., None] / 32767.0


def int16(x, scale):
    """x rounded to int16 at `scale` (sample = stored * scale), as the bank stores it."""
    return np.clip(np.round(x / scale), -32767, 32767) * scale


def write_wav(path, x, rate):
    data = (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    subprocess.run(["sox", path, "-n", "spectrogram", "-x", "800", "-y", "257", "-z", "90",
                    "-t", os.path.basename(path), "-o", path[:-4] + ".png"], check=True)


def main():
    parser = argparse.ArgumentParser(description="harmonic aligned, noise plain: a split bank's blend")
    parser.add_argument("model")
    parser.add_argument("bank")
    parser.add_argument("--trials", type=int, default=32)
    parser.add_argument("--grid", help="points per axis over the bank's ranges, e.g. 48,5,4,4")
    parser.add_argument("--wav-dir", help="write the first point's notes and spectrograms here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    g = torch.jit.load(args.model)
    inv = g.inverter
    trials = args.trials
    with h5py.File(args.bank, "r") as bank:
        axes = [bank[f"axis{i}"][:] for i in range(1, 5)]
    if args.grid:
        counts = [int(v) for v in args.grid.split(",")]
        if len(counts) != 4 or min(counts) < 2:
            parser.error(f"--grid: four counts of at least 2, got {args.grid}")
        axes = [np.linspace(a[0], a[-1], c) for a, c in zip(axes, counts)]
    print(f"grid {'x'.join(str(len(a)) for a in axes)}, {trials} points")

    def harmonic_at(z, f):
        """The harmonic parts of points z all synthesised at f Hz (no reading rate needed)."""
        with torch.no_grad():
            mel = g.vae.decode(g.lift(z))
            f0 = torch.full((z.size(0),), float(f))
            harm, _, _ = inv.controls(inv.pad(mel), f0)
            h = inv.trim(inv.harmonic(harm, f0), mel.size(2))
            return (g.onset(h) * float(g.level_gain)).double().numpy()

    def parts(z):
        with torch.no_grad():
            full = g.lift(z)
            mel = g.vae.decode(full)
            f0 = g.axis_hz(full)
            harm, noise, _ = inv.controls(inv.pad(mel), f0)
            frames = mel.size(2)
            h = inv.trim(inv.harmonic(harm, f0), frames)
            n = inv.trim(inv.noise(noise), frames)
            gain = float(g.level_gain)
            return ((g.onset(h) * gain).double().numpy(), (g.onset(n) * gain).double().numpy(),
                    g.f0(z).double().numpy())

    rng = np.random.default_rng(1)
    names = ["plain", "aligned", "split", "harmonic", "noise", "at_f", "nearest"]
    scores = {k: [] for k in names}
    for _ in range(trials):
        z = np.array([rng.uniform(a[0], a[-1]) for a in axes])
        cell, frac = [], []
        for a, v in zip(axes, z):
            i = min(int(np.searchsorted(a, v, side="right")) - 1, len(a) - 2)
            cell.append(i)
            frac.append((v - a[i]) / (a[i + 1] - a[i]))
        corners, weights = [], []
        for c in range(16):
            bits = [(c >> d) & 1 for d in range(4)]
            corners.append([axes[d][cell[d] + bits[d]] for d in range(4)])
            weights.append(np.prod([frac[d] if bits[d] else 1 - frac[d] for d in range(4)]))
        h, n, f0 = parts(torch.tensor(np.vstack([z[None], np.array(corners)]), dtype=torch.float32))
        ref, own_h, own_n = h[0] + n[0], h[0], n[0]
        scale = int16_scale(h[1:], n[1:])
        whole = int16(h[1:] + n[1:], scale)
        h, n, f0, w = int16(h[1:], scale), int16(n[1:], scale), f0[1:], np.array(weights)
        pitched = f0 > 0
        f = np.exp((w[pitched] * np.log(f0[pitched])).sum() / w[pitched].sum()) if pitched.any() else 1.0
        rate = np.where(pitched, f / np.where(pitched, f0, 1.0), 1.0)
        frames = int(len(ref) / rate.max()) // 256 * 256
        harmonic = sum(w[k] * lagrange_read(h[k], rate[k], frames) for k in range(16))
        noise = (w[:, None] * n).sum(0)[:frames]
        at_f = harmonic_at(torch.tensor(np.array(corners), dtype=torch.float32), f)
        at_f = int16(at_f, int16_scale(at_f))
        blends = {
            "plain": (w[:, None] * whole).sum(0)[:frames],
            "aligned": sum(w[k] * lagrange_read(whole[k], rate[k], frames) for k in range(16)),
            "split": harmonic + noise,
            # Where the split blend's error lies: one part blended, the other the model's own.
            "harmonic": harmonic + own_n[:frames],
            "noise": own_h[:frames] + noise,
            "at_f": (w[:, None] * at_f).sum(0)[:frames] + own_n[:frames],
            "nearest": whole[int(np.argmax(w))][:frames],
        }
        for k in names:
            sc, lsd = sc_lsd(ref[:frames], blends[k])
            scores[k].append((lsd, sc))
        if args.wav_dir and len(scores["split"]) == 1:
            os.makedirs(args.wav_dir, exist_ok=True)
            for name, x in (("model", ref[:frames]), ("aligned", blends["aligned"]),
                            ("split", blends["split"])):
                write_wav(os.path.join(args.wav_dir, name + ".wav"), x, int(g.sample_rate))
            print(f"  point {np.round(z, 3).tolist()}: f0 {f:.1f} Hz; wrote {args.wav_dir}/"
                  "model, aligned, split .wav and .png")
    for k, label in zip(names, ["plain blend", "aligned blend", "harmonic aligned, noise plain",
                                "  its harmonic blend alone", "  its noise blend alone",
                                "  harmonic corners made at f0", "nearest point"]):
        s = np.array(scores[k])
        print(f"  {label:30s} STFT LSD {s[:, 0].mean():.2f} dB (p95 {np.percentile(s[:, 0], 95):.2f}), "
              f"SC {s[:, 1].mean():.3f}")


if __name__ == "__main__":
    main()

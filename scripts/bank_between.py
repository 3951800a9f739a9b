#!/usr/bin/python3
"""What a bank plays between its training notes: docs/REPORT.md's check of a baked bank.

    /usr/bin/python3 scripts/bank_between.py BANK.h5 DATASET.h5 [OUT_PREFIX]

BANK.h5 was baked from a generative.pt made on DATASET.h5: its /projections/points are the
dataset's notes in the bank's 4 axes (docs/BANK.md). Prints and writes OUT_PREFIX.txt:

- each axis's correlation over the dataset's notes with MIDI pitch, loudness (the note's RMS
  in dBFS), brightness (spectral centroid, Hz) and, for the family, the correlation ratio
  (eta: the share of the axis's spread that the family means explain, square-rooted);
- the level inside the data's region: every grid point whose nearest dataset note is within
  one grid step on each axis; their RMS in dBFS over the whole waveform and the RMS of their
  loudest 50 ms (the attack's level, by which the plain-folder import gives a sound its
  velocity), how many are quieter than -60 dBFS by each, and each quiet one (by the RMS) with
  the (up to three) notes that put it there and the axes on which it lies beyond all the
  notes beside it (rather than between them); how far the quiet points lie below the
  loudest of those notes, by both measures, how many lie below even the softest note within
  one step, and how far each plays from the level the loudness-bearing axis asks there (its
  nearest note's level moved by its offset on that axis, at the notes' dB per unit); and
  how many points lie between notes on every axis (tests/scripts/bank_between_test.py
  checks these on a bank of known points);
- pitch along the pitch-bearing axis (the axis most correlated with pitch), the other axes at
  the grid points nearest the dataset's median: per grid point, the f0 measured on the baked
  waveform (a YIN-style estimate, below) and the bank's /f0 where the bank has one; the
  largest step between neighbouring points in semitones, and whether the measured pitch
  moves one way. OUT_PREFIX.csv has the rows, OUT_PREFIX.png plots them (gnuplot).

The f0 measure: the cumulative-mean-normalised difference function of YIN (de Cheveigne and
Kawahara 2002) on a 4,096-sample stretch starting 0.1 s in, threshold 0.15, parabolic
interpolation; unpitched (0) when no dip goes below the threshold.
"""
import os
import subprocess
import sys

import h5py
import numpy as np

QUIET_DBFS = -60.0


def rms_dbfs(x):
    x = np.asarray(x, dtype=np.float64)
    return 10.0 * np.log10(np.mean(x * x, axis=-1) + 1e-20)


def peak_window_dbfs(x, sr):
    """The RMS in dBFS of the loudest 50 ms window, windows every 25 ms: the level a note's
    attack plays at, as make_dataset's plain-folder import measures it to give a sound its
    velocity (tools/dataset/plain_folder.h: -60 dBFS is velocity 1)."""
    x = np.asarray(x, dtype=np.float64)
    window = max(1, int(np.floor(0.050 * sr + 0.5)))  # lround, as there
    hop = max(1, window // 2)
    starts = range(0, max(len(x) - window, 0) + 1, hop)
    return max(10.0 * np.log10(np.mean(x[s:s + window] ** 2) + 1e-20) for s in starts)


def centroid_hz(x, sr):
    spectrum = np.abs(np.fft.rfft(np.asarray(x, dtype=np.float64)[: 1 << 14]))
    freqs = np.fft.rfftfreq(min(len(x), 1 << 14), 1.0 / sr)
    return float((spectrum * freqs).sum() / max(spectrum.sum(), 1e-20))


def yin_f0(x, sr, fmin=30.0, fmax=2000.0, threshold=0.15):
    start = int(0.1 * sr)
    w = 4096
    seg = np.asarray(x[start:start + 2 * w], dtype=np.float64)
    if len(seg) < 2 * w or rms_dbfs(seg) < -70.0:
        return 0.0
    max_lag = min(int(sr / fmin), w - 1)
    min_lag = max(2, int(sr / fmax))
    # Difference function d(tau) = sum (x[j] - x[j + tau])^2 over j < w, via FFTs.
    a = seg[:w]
    energy_a = np.sum(a * a)
    cumsq = np.concatenate([[0.0], np.cumsum(seg * seg)])
    energy_b = cumsq[np.arange(max_lag + 1) + w] - cumsq[np.arange(max_lag + 1)]
    size = 1 << int(np.ceil(np.log2(3 * w)))
    corr = np.fft.irfft(np.conj(np.fft.rfft(a, size)) * np.fft.rfft(seg, size), size)[: max_lag + 1]
    d = energy_a + energy_b - 2.0 * corr
    d[0] = 0.0
    cmnd = np.ones_like(d)
    running = np.cumsum(d[1:])
    cmnd[1:] = d[1:] * np.arange(1, len(d)) / np.maximum(running, 1e-20)
    below = np.where(cmnd[min_lag:] < threshold)[0]
    if len(below) == 0:
        return 0.0
    tau = min_lag + int(below[0])
    while tau + 1 <= max_lag and cmnd[tau + 1] < cmnd[tau]:
        tau += 1
    if 1 <= tau < max_lag:
        l, c, r = cmnd[tau - 1], cmnd[tau], cmnd[tau + 1]
        denom = l - 2 * c + r
        shift = 0.5 * (l - r) / denom if abs(denom) > 1e-12 else 0.0
    else:
        shift = 0.0
    return sr / (tau + shift)


def midi(hz):
    return 69.0 + 12.0 * np.log2(hz / 440.0) if hz > 0 else float("nan")


def name_of(dataset, i):
    """A dataset note's name (note_str), or its index where the dataset has none."""
    if "note_str" not in dataset:
        return f"note {i}"
    name = dataset["note_str"][i]
    return name.decode() if isinstance(name, bytes) else str(name)


def correlation_ratio(values, groups):
    mean = values.mean()
    total = ((values - mean) ** 2).sum()
    between = sum(
        (groups == g).sum() * (values[groups == g].mean() - mean) ** 2 for g in np.unique(groups))
    return float(np.sqrt(between / total)) if total > 0 else 0.0


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: bank_between.py BANK.h5 DATASET.h5 [OUT_PREFIX]")
    bank_path, dataset_path = sys.argv[1], sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) == 4 else os.path.splitext(bank_path)[0] + ".between"
    lines = []

    def say(text):
        print(text)
        lines.append(text)

    with h5py.File(bank_path, "r") as b, h5py.File(dataset_path, "r") as d:
        for field in ("projections/points", "waveforms", "axis1"):
            if field not in b:
                sys.exit(f"{bank_path}: no /{field} (bake_bank writes it)")
        points = b["projections/points"][()]
        if points.shape[0] != d["pitch"].shape[0]:
            sys.exit(f"{bank_path}: /projections/points has {points.shape[0]} notes, "
                     f"{dataset_path} has {d['pitch'].shape[0]}: not the bank's dataset")
        axes = [b[f"axis{i}"][()] for i in range(1, 5)]
        shape = [len(a) for a in axes]
        scale = float(b.attrs["scale"])
        sr = int(b.attrs["sample_rate"])
        bank_f0 = b["f0"][()] if "f0" in b else None
        f0_source = b.attrs.get("f0_source", b"").decode() if bank_f0 is not None else "none"

        pitch = d["pitch"][()].astype(np.float64)
        family = d["instrument_family"][()] if "instrument_family" in d else np.zeros(len(pitch))
        loud = np.empty(len(pitch))
        note_attack = np.empty(len(pitch))
        bright = np.empty(len(pitch))
        for i in range(len(pitch)):
            x = d["audio"][i]
            loud[i] = rms_dbfs(x)
            note_attack[i] = peak_window_dbfs(x, sr)
            bright[i] = centroid_hz(x, sr)

        say(f"{bank_path}: grid {'x'.join(map(str, shape))}, {len(pitch)} dataset notes, "
            f"f0 source {f0_source}")
        for k in range(4):
            p = points[:, k]
            say(f"axis {k + 1}: pitch {np.corrcoef(p, pitch)[0, 1]:+.2f}, loudness "
                f"{np.corrcoef(p, loud)[0, 1]:+.2f}, brightness {np.corrcoef(p, bright)[0, 1]:+.2f}, "
                f"family (eta) {correlation_ratio(p, family):.2f}")

        # The data's region: grid points with a dataset note within one step on every axis.
        steps = np.array([(a[-1] - a[0]) / max(len(a) - 1, 1) for a in axes])
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 4)
        inside = np.zeros(len(grid), dtype=bool)
        for start in range(0, len(grid), 256):
            g = grid[start:start + 256]
            near = np.all(np.abs(g[:, None, :] - points[None, :, :]) <= steps, axis=2)
            inside[start:start + 256] = near.any(1)
        idx = np.where(inside)[0]

        # A point's sound: its waveform, plus its noise part in a bank that keeps one.
        def sound(i):
            x = b["waveforms"][i].astype(np.float64)
            # int16: each point's own scale in a bank of format 4.
            s = float(b["point_scale"][i]) if "point_scale" in b else scale
            return (x + b["noise"][i]) * s if "noise" in b else x * s
        sounds = (sound(int(i)) for i in idx)
        levels, attacks = np.array([(rms_dbfs(x), peak_window_dbfs(x, sr)) for x in sounds]).T
        say(f"inside the data's region: {len(idx)} of {len(grid)} grid points; RMS min "
            f"{levels.min():.1f}, median {np.median(levels):.1f} dBFS; "
            f"{int((levels < QUIET_DBFS).sum())} quieter than {QUIET_DBFS:.0f} dBFS")
        say(f"  their loudest 50 ms (a note's level as the plain-folder import measures it): min "
            f"{attacks.min():.1f}, median {np.median(attacks):.1f} dBFS; "
            f"{int((attacks < QUIET_DBFS).sum())} quieter than {QUIET_DBFS:.0f} dBFS")
        # The data's own notes by both measures: the check holds the bank to a level its data
        # meets, and a short note's RMS over the whole waveform counts its length as well.
        say(f"  the dataset's own notes: {int((loud < QUIET_DBFS).sum())} of {len(loud)} quieter "
            f"than {QUIET_DBFS:.0f} dBFS by their RMS (min {loud.min():.1f}), "
            f"{int((note_attack < QUIET_DBFS).sum())} by their loudest 50 ms (min "
            f"{note_attack.min():.1f})")
        # A point between notes on axis k: of the notes within one step on every axis, one
        # lies at or below its coordinate on k and one at or above.
        def bracketed(near, g, k):
            return bool((points[near, k] <= g[k]).any() and (points[near, k] >= g[k]).any())

        between = []  # in-region points between notes on every axis
        for i in idx:
            near = np.where(np.all(np.abs(points - grid[i]) <= steps, axis=1))[0]
            if all(bracketed(near, grid[i], k) for k in range(4)):
                between.append(i)
        quiet_between = int(sum(levels[np.searchsorted(idx, i)] < QUIET_DBFS for i in between))
        say(f"  between notes on every axis (a note beside it at or below its coordinate and one "
            f"at or above, on each): {len(between)} of the {len(idx)}, {quiet_between} of them "
            f"quieter than {QUIET_DBFS:.0f} dBFS")
        # The level a point is asked for along the loudness-bearing axis (the axis most
        # correlated with the notes' RMS): its nearest note's, moved by the point's offset
        # from that note on the axis at the notes' own dB per unit (least squares).
        loud_axis = int(np.argmax([abs(np.corrcoef(points[:, k], loud)[0, 1]) for k in range(4)]))
        db_per_unit = float(np.polyfit(points[:, loud_axis], loud, 1)[0])
        below = []  # each quiet point's levels under the loudest note listed beside it
        asked = []  # each quiet point's level asked (from its nearest note) and played
        for i, level, attack in zip(idx, levels, attacks):
            if level < QUIET_DBFS:
                at = list(map(int, np.unravel_index(int(i), shape)))
                f0 = f", bank f0 {bank_f0[i]:.1f} Hz" if bank_f0 is not None else ""
                # The notes that put it inside the region: distance in grid steps, level.
                near = np.where(np.all(np.abs(points - grid[i]) <= steps, axis=1))[0]
                dist = np.linalg.norm((points[near] - grid[i]) / steps, axis=1)
                listed = sorted(zip(dist, near))[:3]
                beside = ", ".join(f"{name_of(d, int(n))} ({r:.1f} steps, {loud[n]:.1f} dBFS, "
                                   f"loudest 50 ms {note_attack[n]:.1f})" for r, n in listed)
                # The axes on which every note beside it lies on one side: there the point is
                # beyond the notes, not between them.
                beyond = [k + 1 for k in range(4) if not bracketed(near, grid[i], k)]
                where = (f"; beyond the notes beside it on axis {', '.join(map(str, beyond))}"
                         if beyond else "; between notes on every axis")
                say(f"  quiet: grid indices {at}{f0}, {level:.1f} dBFS (loudest 50 ms "
                    f"{attack:.1f}); beside {beside}{where}")
                below.append((max(loud[n] for _, n in listed) - level,
                              max(note_attack[n] for _, n in listed) - attack,
                              loud[near].min() - level, note_attack[near].min() - attack))
                nearest = listed[0][1]
                offset = db_per_unit * (grid[i][loud_axis] - points[nearest, loud_axis])
                asked.append((offset, level - (loud[nearest] + offset)))
        if below:
            rms_gap, attack_gap, rms_soft, attack_soft = np.array(below).T
            say(f"  the quiet points lie a median {np.median(rms_gap):.1f} dB ({rms_gap.min():.1f} "
                f"to {rms_gap.max():.1f}) below the loudest note listed beside each; by their "
                f"loudest 50 ms, {np.median(attack_gap):.1f} dB ({attack_gap.min():.1f} to "
                f"{attack_gap.max():.1f})")
            # Below even the softest note within one step on every axis: quieter than any
            # sound of the data around it, not a soft one among them.
            under = rms_soft[rms_soft > 0]
            say(f"  {len(under)} of the {len(below)} quiet points play below the softest note "
                f"within one step of them on every axis"
                + (f", a median {np.median(under):.1f} dB under it" if len(under) else "")
                + f"; by their loudest 50 ms, {int((attack_soft > 0).sum())}")
            offset, shortfall = np.array(asked).T
            say(f"  along the loudness-bearing axis (axis {loud_axis + 1}: the notes' RMS "
                f"{db_per_unit * steps[loud_axis]:+.1f} dB a grid step) the quiet points are asked "
                f"for a median {np.median(offset):+.1f} dB from their nearest note, and play a "
                f"median {np.median(shortfall):+.1f} dB ({shortfall.min():+.1f} to "
                f"{shortfall.max():+.1f}) from the level so asked")

        # Pitch along the pitch-bearing axis.
        corr = [abs(np.corrcoef(points[:, k], pitch)[0, 1]) for k in range(4)]
        axis = int(np.argmax(corr))
        median = np.median(points, axis=0)
        fixed = [int(np.abs(axes[k] - median[k]).argmin()) for k in range(4)]
        rows = []
        for j, value in enumerate(axes[axis]):
            index = list(fixed)
            index[axis] = j
            flat = int(np.ravel_multi_index(index, shape))
            wave = sound(flat)
            measured = yin_f0(wave, sr)
            stored = float(bank_f0[flat]) if bank_f0 is not None else float("nan")
            rows.append((j, float(value), measured, midi(measured), stored, midi(stored),
                         rms_dbfs(wave)))
    measured_midi = np.array([r[3] for r in rows])
    pitched = ~np.isnan(measured_midi)
    jumps = np.abs(np.diff(measured_midi[pitched])) if pitched.sum() > 1 else np.array([0.0])
    signs = np.sign(np.diff(measured_midi[pitched]))
    monotone = bool(np.all(signs >= 0) or np.all(signs <= 0))
    say(f"pitch along axis {axis + 1} (correlation {corr[axis]:.2f}; other axes at grid "
        f"indices {[fixed[k] for k in range(4) if k != axis]}): {int(pitched.sum())} of "
        f"{len(rows)} points pitched, MIDI {np.nanmin(measured_midi):.1f} to "
        f"{np.nanmax(measured_midi):.1f}, largest step {jumps.max():.2f} semitones, "
        f"{'one way' if monotone else 'not one way'}")
    for j, value, hz, m, stored, sm, level in rows:
        say(f"  point {j:2d} axis {value:+.3f}: measured {hz:7.1f} Hz (MIDI {m:5.1f}), "
            f"bank f0 {stored:7.1f} Hz, {level:6.1f} dBFS")

    with open(prefix + ".txt", "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(prefix + ".csv", "w") as f:
        f.write("index,axis_value,measured_hz,measured_midi,bank_f0_hz,bank_f0_midi,rms_dbfs\n")
        for r in rows:
            f.write(",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in r) + "\n")
    script = f"""set terminal pngcairo size 800,480 noenhanced
set output '{prefix}.png'
set datafile separator ','
set key top left
set xlabel 'axis {axis + 1} (the pitch-bearing axis)'
set ylabel 'MIDI pitch'
set title 'Pitch along axis {axis + 1} of {os.path.basename(bank_path)}'
plot '{prefix}.csv' every ::1 using 2:4 with linespoints title 'measured on the baked waveform', \\
     '' every ::1 using 2:6 with points pt 6 title 'the bank''s /f0 ({f0_source})'
"""
    subprocess.run(["gnuplot"], input=script.encode(), check=True)
    print(f"wrote {prefix}.txt, {prefix}.csv, {prefix}.png")


if __name__ == "__main__":
    main()

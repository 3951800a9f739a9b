"""The figures of docs/REPORT.md that relate a bank to its dataset: what each axis follows
(correlation of the dataset notes' positions, the bank's /projections, with their MIDI pitch
and velocity), the dataset notes' level (and how many lie below -60 dBFS), the level the
bank plays at each note's position (its nearest grid point) against the note itself, and
along each axis how many of the grid's lines get louder at every step.

    /usr/bin/python3 scripts/bank_levels.py BANK.h5 DATASET.h5
"""
import sys

import h5py
import numpy as np


def rms_dbfs(x):
    x = x.astype(np.float64)
    return 10 * np.log10(np.mean(x * x, axis=-1) + 1e-20)


def correlation(x, y):
    """Pearson's r as text, or why there is none (a constant has no correlation)."""
    if np.ptp(y) == 0:
        return f"none (every note at {y[0]:g})"
    return f"{np.corrcoef(x, y)[0, 1]:+.2f}"


def main():
    bank_path, dataset_path = sys.argv[1], sys.argv[2]
    with h5py.File(bank_path, "r") as b, h5py.File(dataset_path, "r") as d:
        points = b["projections/points"][()]
        axes = [b[f"axis{i}"][()] for i in range(1, 5)]
        scale = float(b.attrs["scale"])  # 1 for float32 banks
        nearest = np.stack(
            [np.abs(axes[k][None, :] - points[:, k:k + 1]).argmin(1) for k in range(4)], 1)
        shape = [len(a) for a in axes]
        flat = np.ravel_multi_index(nearest.T, shape)  # axis 1 slowest, as the bank stores
        # A point's sound: its waveform, plus its noise part in a bank that keeps one.
        def sound(i):
            x = b["waveforms"][i].astype(np.float64)
            # int16: each point's own scale in a bank of format 4.
            s = float(b["point_scale"][i]) if "point_scale" in b else scale
            return (x + b["noise"][i]) * s if "noise" in b else x * s
        pitch = d["pitch"][()].astype(float)
        velocity = d["velocity"][()].astype(float)
        note_db = np.array([rms_dbfs(d["audio"][i]) for i in range(len(pitch))])
        grid_db = np.array([rms_dbfs(sound(i)) for i in range(int(np.prod(shape)))])
        bank_db = grid_db[flat]
        grid_db = grid_db.reshape(shape)
    for k in range(4):
        print(f"axis {k + 1}: correlation with pitch {correlation(points[:, k], pitch)}, "
              f"with velocity {correlation(points[:, k], velocity)}")
    print(f"dataset notes: median RMS {np.median(note_db):.1f} dBFS ({len(note_db)} notes, "
          f"{int((note_db < -60).sum())} below -60 dBFS)")
    print(f"bank at each note's nearest grid point: median RMS {np.median(bank_db):.1f} dBFS, "
          f"median difference from the note {np.median(bank_db - note_db):+.1f} dB")
    for k in range(4):
        steps = np.moveaxis(np.diff(grid_db, axis=k), k, -1).reshape(-1, shape[k] - 1)
        rising = int((steps > 0).all(axis=1).sum())
        print(f"along axis {k + 1}: louder at every step on {rising} of {len(steps)} lines, "
              f"a median {np.median(steps):+.1f} dB a step")


if __name__ == "__main__":
    main()

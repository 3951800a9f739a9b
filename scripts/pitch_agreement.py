"""How well make_dataset's estimated pitch (a plain folder's dataset.h5, with /f0_hz) agrees
with annotated pitch (a dataset.h5 of the same sounds made from their examples.json, e.g. a
render_corpus folder). Rows are matched by their audio's first 16384 samples (identical when
the plain folder holds copies of the same WAVs at the dataset's rate: only the last 10 ms
differ, by the plain folder's fade).

usage: /usr/bin/python3 scripts/pitch_agreement.py ANNOTATED.h5 ESTIMATED.h5
Prints, per family of the annotated file and overall: notes matched, notes estimated
unpitched, the median and 95th percentile of |estimated - annotated| in semitones over the
pitched ones, and how many are within half a semitone, within one, and an octave off.
"""
import hashlib
import sys

import h5py
import numpy as np

PREFIX = 16384


def keys(f):
    audio = f["audio"]
    return [hashlib.sha256(audio[i, :PREFIX].tobytes()).hexdigest() for i in range(audio.shape[0])]


def main(annotated_path, estimated_path):
    with h5py.File(annotated_path, "r") as a, h5py.File(estimated_path, "r") as e:
        if "f0_hz" not in e:
            sys.exit(f"{estimated_path}: no /f0_hz (not a plain folder's dataset)")
        truth = dict(zip(keys(a), zip(a["pitch"][()], a["instrument_family_str"][()])))
        f0 = e["f0_hz"][()]
        rows = {}
        for k, hz in zip(keys(e), f0):
            if k in truth:
                pitch, family = truth[k]
                rows.setdefault(family.decode(), []).append((int(pitch), float(hz)))
    print(f"{'family':12} {'notes':>6} {'unpitched':>9} {'median':>7} {'95%':>7} "
          f"{'<0.5 st':>8} {'<1 st':>6} {'octave':>6}")
    everything = []

    def line(name, pairs):
        pitched = [(p, hz) for p, hz in pairs if hz > 0]
        err = np.array([69 + 12 * np.log2(hz / 440) - p for p, hz in pitched])
        a = np.abs(err)
        octave = int(np.sum(np.abs(np.abs(err) - 12) < 1)) if len(err) else 0
        med = f"{np.median(a):7.2f}" if len(a) else "      -"
        p95 = f"{np.percentile(a, 95):7.2f}" if len(a) else "      -"
        print(f"{name:12} {len(pairs):6d} {len(pairs) - len(pitched):9d} {med} {p95} "
              f"{int(np.sum(a < 0.5)):8d} {int(np.sum(a < 1)):6d} {octave:6d}")

    for family in sorted(rows):
        line(family, rows[family])
        everything += rows[family]
    line("all", everything)


if __name__ == "__main__":
    main(*sys.argv[1:3])

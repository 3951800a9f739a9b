"""Adds made-up dataset points to a bank, as `bake_bank --dataset` stores them
(docs/BANK.md, /projections): a cluster per instrument family, some points without a family,
some outside the axes' range. For the patch tests and the screenshot (patches/screenshot.sh),
which need a bank with points and have no trained model; write_projections stores given
points (tests/patches/gem_test.py).

usage: projections.py BANK.h5 COUNT
"""
import sys

import h5py
import numpy as np

FAMILIES = ["bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed",
            "string", "synth_lead", "vocal"]


def add_projections(path, n, seed=1):
    rng = np.random.default_rng(seed)
    family = rng.integers(-1, len(FAMILIES), n).astype(np.int32)
    centre = np.stack([np.cos(family), np.sin(family), np.cos(2 * family), np.sin(3 * family)], 1)
    points = (1.2 * centre + rng.normal(0, 0.4, (n, 4))).astype(np.float32)
    write_projections(path, points, family)


def write_projections(path, points, family):
    """Stores `points` [n, 4] (the bank's axis units) and `family` [n] (index into FAMILIES,
    -1 for none) as the bank's /projections group."""
    names = [f.encode() for f in FAMILIES]
    with h5py.File(path, "r+") as f:
        g = f.create_group("projections")
        g["points"] = np.asarray(points, dtype=np.float32)
        g["family"] = np.asarray(family, dtype=np.int32)
        # Fixed-length, null-padded UTF-8 strings, as the bank writer makes them.
        string = h5py.h5t.C_S1.copy()
        string.set_size(max(len(x) for x in names))
        string.set_cset(h5py.h5t.CSET_UTF8)
        string.set_strpad(h5py.h5t.STR_NULLPAD)
        d = h5py.h5d.create(g.id, b"family_names", string, h5py.h5s.create_simple((len(names),)))
        d.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array(names, dtype=f"S{string.get_size()}"),
                mtype=string)


if __name__ == "__main__":
    add_projections(sys.argv[1], int(sys.argv[2]))

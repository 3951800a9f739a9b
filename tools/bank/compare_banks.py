"""compare_banks.py A B: exits 0 if two bank.h5 files hold the same waveforms, axes,
projections and attributes (creation time aside), else prints the first difference."""
import sys

import h5py
import numpy as np

IGNORED = {"created_at"}


def attrs(obj):
    return {k: v for k, v in obj.attrs.items() if k not in IGNORED}


def same(x, y):
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return np.array_equal(np.asarray(x), np.asarray(y))
    return x == y


def main(a_path, b_path):
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        if sorted(a.keys()) != sorted(b.keys()):
            return f"objects differ: {sorted(a.keys())} vs {sorted(b.keys())}"
        for name, (x, y) in {"/": (a, b), **{k: (a[k], b[k]) for k in a.keys()}}.items():
            ax, bx = attrs(x), attrs(y)
            if sorted(ax) != sorted(bx):
                return f"{name}: attribute names differ: {sorted(ax)} vs {sorted(bx)}"
            for k in ax:
                if not same(ax[k], bx[k]):
                    return f"{name}: attribute {k}: {ax[k]!r} vs {bx[k]!r}"
        def datasets(f):
            out = {}
            f.visititems(lambda n, o: out.setdefault(n, o) if isinstance(o, h5py.Dataset) else None)
            return out
        da, db = datasets(a), datasets(b)
        if sorted(da) != sorted(db):
            return f"datasets differ: {sorted(da)} vs {sorted(db)}"
        for n in da:
            if da[n].dtype != db[n].dtype or not np.array_equal(da[n][()], db[n][()]):
                return f"dataset {n} differs"
        w = a["waveforms"]
        print(f"compare_banks: identical: waveforms {w.shape} {w.dtype}, "
              f"{len(attrs(a))} root attributes (created_at aside)")
    return None


if __name__ == "__main__":
    problem = main(sys.argv[1], sys.argv[2])
    if problem:
        sys.exit(f"compare_banks: {sys.argv[1]} vs {sys.argv[2]}: {problem}")

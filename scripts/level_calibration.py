#!/usr/bin/python3
"""Whether the reduced path's spectral convergence is a matter of level, and whether a level
learned over the 4 axes would fix it: for notes of the test, test_pitch and test_instrument
splits, the reduced path (the note's mel projected to the 4 axes, the pitch axis at the
label's pitch, as evaluate_generative --pitch label renders it) against the note's audio,
as it is, at the note's true level (an oracle: the waveform scaled so its RMS is the
audio's), and with two levels a generative.pt could learn from the train split by kernel
regression over the axes (each axis divided by its std, Gaussian kernel of bandwidth h):
"corr" adds the train notes' level error (their audio's RMS less their own reduced path's,
in dB), "abs" sets the level to the train notes' audio RMS. docs/VAE.md quotes it.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/level_calibration.py \
        GENERATIVE.pt DATASET.h5 [NOTES=200] [TRAIN=3000]

NOTES per split and TRAIN train notes are drawn at random (seed 0); SC and the STFT LSD as
hpn_tuning.py's sc_lsd (1024-point frames, hop 256). Takes about 3 minutes on 2 cores.
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpn_tuning import sc_lsd  # noqa: E402

BANDWIDTHS = (0.1, 0.2, 0.4)


def level_db(x):
    return 10 * np.log10(np.mean(np.square(x), axis=-1) + 1e-20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("generative", help="generative.pt with a pitch axis (the demo's)")
    parser.add_argument("dataset", help="its dataset.h5")
    parser.add_argument("notes", nargs="?", type=int, default=200, help="notes per test set")
    parser.add_argument("train_notes", nargs="?", type=int, default=3000, help="train notes")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model = torch.jit.load(args.generative)
    notes, train_notes = args.notes, args.train_notes
    vae = model.vae
    offset = float(model.pca_mean[0])
    std = model.axis_std.numpy()
    rng = np.random.default_rng(0)
    with h5py.File(args.dataset, "r") as f:
        split, pitch = f["split"][:], f["pitch"][:]

        def axes(rows):  # the reduced path's points, the pitch axis at the labels' pitch
            with torch.no_grad():
                z = torch.cat([model.project(torch.from_numpy(f["mel"][rows[s:s + 256]]))
                               for s in range(0, len(rows), 256)])
            z[:, 0] = torch.from_numpy((pitch[rows] - vae.pitch_center) / vae.pitch_scale - offset)
            return z

        def render(z):
            with torch.no_grad():
                return torch.cat([model.forward(z[s:s + 32]) for s in range(0, len(z), 32)]).numpy()

        def pick(s, count):
            rows = np.flatnonzero(split == s)
            return np.sort(rng.choice(rows, min(count, len(rows)), replace=False))

        train = pick(0, train_notes)
        z_train = axes(train)
        true_train = level_db(f["audio"][train])
        error_train = true_train - level_db(render(z_train))
        print(f"{args.generative}: train ({len(train)} notes): the reduced path's level less the "
              f"audio's {-error_train.mean():+.1f} dB on average, sd {error_train.std():.1f}")
        q_train = z_train.numpy() / std
        for s, name in ((2, "test"), (3, "test_pitch"), (4, "test_instrument")):
            rows = pick(s, notes)
            z = axes(rows)
            audio = f["audio"][rows]
            wave = render(z)
            true, played = level_db(audio), level_db(wave)

            def measured(gain_db):
                scaled = wave * np.power(10.0, gain_db / 20)[:, None]
                pairs = [sc_lsd(torch.from_numpy(a).double(), torch.from_numpy(w).double())
                         for a, w in zip(audio, scaled)]
                return np.mean([p[0] for p in pairs]), np.mean([p[1] for p in pairs])

            row = [f"{name} ({len(rows)} notes, level off by {np.abs(true - played).mean():.1f} dB"
                   " on average):"]
            row.append("as it is SC %.3f LSD %.2f" % measured(np.zeros(len(rows))))
            row.append("true level SC %.3f LSD %.2f" % measured(true - played))
            d2 = np.square((z.numpy() / std)[:, None, :] - q_train[None]).sum(-1)
            for h in BANDWIDTHS:
                k = np.exp(d2 / (-2 * h * h))
                k /= k.sum(1, keepdims=True) + 1e-30
                row.append(f"h {h}: corr SC %.3f LSD %.2f" % measured(k @ error_train))
                row.append(f"h {h}: abs SC %.3f LSD %.2f" % measured(k @ true_train - played))
            print("\n  ".join(row))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Whether the models keep a note's level, velocity by velocity: for NOTES notes of each
velocity of the test split (drawn at random, seed 1), the RMS in dB over the note's length
of two renderings against the recording's, both through the inverter (hpn.pt):

- the inverter alone, on the note's true mel;
- the VAE's reconstruction (model.pt: encoded, its mean decoded, the encoder's own pitch and
  loudness on the axes), then the inverter.

Prints, per velocity, the recordings' median RMS and each rendering's median difference
from the recording (10th to 90th percentile). docs/REPORT.md ("Every point checked") quotes
it for the demo models:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/level_by_velocity.py \
        models/demo/model.pt models/demo/hpn.pt out/demo/dataset.h5 [NOTES=40]
"""
import sys

import h5py
import numpy as np
import torch

TEST_SPLIT = 2  # dataset.h5's /split: 0 train, 1 valid, 2 test (docs/FORMATS.md)


def rms_db(x):
    x = np.asarray(x, dtype=np.float64)
    return 10 * np.log10(np.mean(x * x) + 1e-20)


def spread(values):
    return (f"{np.median(values):+.1f} dB ({np.percentile(values, 10):+.1f} to "
            f"{np.percentile(values, 90):+.1f})")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: level_by_velocity.py MODEL.pt HPN.pt DATASET.h5 [NOTES]")
    model_path, hpn_path, dataset_path = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) == 5 else 40
    torch.set_num_threads(2)
    vae, hpn = torch.jit.load(model_path), torch.jit.load(hpn_path)
    rng = np.random.default_rng(1)
    with h5py.File(dataset_path, "r") as d, torch.no_grad():
        velocity, split = d["velocity"][()], d["split"][()]
        for v in np.unique(velocity):
            rows = np.flatnonzero((velocity == v) & (split == TEST_SPLIT))
            rows = np.sort(rng.choice(rows, min(count, len(rows)), replace=False))
            mel = torch.from_numpy(d["mel"][rows]).float()
            audio = d["audio"][rows]
            mu = vae.encode(mel)[0]
            renderings = {"the inverter on the true mel": hpn(mel).numpy(),
                          "the VAE, then the inverter": hpn(vae.decode(mu)).numpy()}
            line = [f"velocity {v}: {len(rows)} test notes, recordings a median "
                    f"{np.median([rms_db(a) for a in audio]):.1f} dBFS"]
            for name, y in renderings.items():
                n = min(y.shape[1], audio.shape[1])
                diff = [rms_db(y[k, :n]) - rms_db(audio[k, :n]) for k in range(len(rows))]
                line.append(f"{name} {spread(diff)}")
            print("; ".join(line))


if __name__ == "__main__":
    main()

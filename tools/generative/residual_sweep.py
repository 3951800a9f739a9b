"""Chooses make_generative's --residual-bandwidth: for a VAE model.pt and dataset.h5, the
valid split's notes are taken to their 4 PCA coordinates (PCA of the train split's encoder
means, as make_generative does), the other latent directions are filled in either at their
mean ("plain PCA") or by the kernel regression of docs/INVERSION.md with each bandwidth,
and decoded; prints the mel LSD against the notes (evaluate_vae's measure: -80 dB floor)
and the median mel energy against the notes, in dB. Decoder only (no inversion): seconds.

    /usr/bin/python3 tools/generative/residual_sweep.py MODEL.pt DATASET.h5 [H ...]
"""
import sys

import h5py
import numpy as np
import torch


def mel_lsd_db(ref, est, eps=1e-4):
    d = 20 * torch.log10(ref + eps) - 20 * torch.log10(est + eps)
    return d.pow(2).mean(1).sqrt().mean(1)  # mean over frames of the RMS over bands


def main():
    model_path, dataset_path = sys.argv[1], sys.argv[2]
    bandwidths = [float(h) for h in sys.argv[3:]] or [0.05, 0.1, 0.2, 0.3, 0.5, 1.0]
    torch.set_num_threads(2)
    vae = torch.jit.load(model_path)
    with h5py.File(dataset_path, "r") as f:
        split = f["split"][()]
        mel = torch.from_numpy(f["mel"][()])
    train, valid = np.where(split == 0)[0], np.where(split == 1)[0]

    def batches(fn, x):
        with torch.no_grad():
            return torch.cat([fn(x[i:i + 128]) for i in range(0, len(x), 128)])

    mu = batches(lambda m: vae.encode(m)[0], mel).double()
    mean = mu[train].mean(0)
    centred = mu - mean
    values, vectors = torch.linalg.eigh(centred[train].T @ centred[train] / (len(train) - 1))
    comps = vectors.flip(1)[:, :4].T  # [4, D], by decreasing variance
    share = values.flip(0)[:4] / values.sum()
    z4 = centred @ comps.T
    residual = centred - z4 @ comps
    std = z4[train].std(0)
    ref = mel[valid]

    def report(name, codes):
        est = batches(lambda z: vae.decode(z.float()), codes)
        energy = 10 * torch.log10(est.pow(2).mean((1, 2)) / ref.pow(2).mean((1, 2)))
        print(f"{name:>12}  mel LSD {mel_lsd_db(ref, est).mean():5.2f} dB  "
              f"energy {energy.median():6.1f} dB")

    print(f"{model_path}: the 4 axes hold "
          + ", ".join(f"{100 * s:.1f} %" for s in share.tolist())
          + f" of the latent variance; valid split, {len(valid)} notes")
    report("full", mu[valid])
    report("plain PCA", mean + z4[valid] @ comps)
    points = z4[train] / std
    for h in bandwidths:
        d2 = torch.cdist(z4[valid] / std, points).pow(2)
        w = torch.softmax(-d2 / (2 * h * h), 1)
        report(f"h = {h:g}", mean + z4[valid] @ comps + w @ residual[train])


if __name__ == "__main__":
    main()

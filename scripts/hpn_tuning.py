#!/usr/bin/python3
"""What an hpn.pt's f0 costs it: the same controls synthesised at five f0s, per test split.

    /usr/bin/python3 scripts/hpn_tuning.py HPN.pt DATASET.h5 [NOTES=32]

For NOTES notes spread evenly over each of test and test_pitch, the hpn's controls network is
run on the true mel and its harmonic part synthesised at:
  own, tuned     the f0 forward() uses: the pitch template's, moved by the fine-tuning head
  own, exact     the template's f0 alone
  label, tuned   the dataset's MIDI label, moved by the fine-tuning head
  label, exact   the label alone
  measured       the note's f0 measured on its audio (scripts/label_tuning.py)
and the mean spectral convergence and LSD (1024-point STFT, hop 256, per note as
evaluate_inversion computes them) against the recording are printed for each, with where the
fine-tuning head puts the notes (cents from the f0 it was given) and, at the label, the
noise part's share of the energy and the level against the recording. docs/INVERSION.md
quotes it.
"""
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from label_tuning import measured_f0  # noqa: E402

SPLITS = [(2, "test"), (3, "test_pitch")]
CASES = ["own, tuned", "own, exact", "label, tuned", "label, exact", "measured"]


def magnitude(x):
    x = torch.as_tensor(np.asarray(x), dtype=torch.float64)
    return torch.stft(x, 1024, 256, window=torch.hann_window(1024, dtype=torch.float64),
                      center=True, return_complex=True).abs()


def sc_lsd(ref, est):
    s, e = magnitude(ref), magnitude(est)
    sc = float((s - e).norm() / s.norm())
    d = 20 * torch.log10(s + 1e-5) - 20 * torch.log10(e + 1e-5)
    return sc, float(d.pow(2).mean(0).sqrt().mean())


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: hpn_tuning.py HPN.pt DATASET.h5 [NOTES=32]")
    torch.set_num_threads(1)
    model = torch.jit.load(sys.argv[1])
    notes = int(sys.argv[3]) if len(sys.argv) == 4 else 32
    with h5py.File(sys.argv[2], "r") as f:
        sr = int(f.attrs["sample_rate"])
        split, pitch = f["split"][:], f["pitch"][:]
        for code, name in SPLITS:
            rows = np.where(split == code)[0]
            rows = rows[np.linspace(0, len(rows) - 1, min(notes, len(rows))).astype(int)]
            scores, tune, noise_share, level = [], [], [], []
            for i in rows:
                audio = f["audio"][i]
                mel = torch.from_numpy(f["mel"][i]).unsqueeze(0)
                frames = mel.size(2)
                label = 440.0 * 2.0 ** ((pitch[i] - 69) / 12.0)
                measured = measured_f0(audio, label, sr) or label
                with torch.no_grad():
                    own = model.midi_to_hz(model.decode_pitch(model.pitch_logits(mel)))
                    padded = model.pad(mel)
                    labelled, exact = torch.tensor([label]), torch.tensor([measured])
                    f0s = {"own, tuned": (own, True), "own, exact": (own, False),
                           "label, tuned": (labelled, True), "label, exact": (labelled, False),
                           "measured": (exact, False)}
                    row = []
                    for case in CASES:
                        given, tuned = f0s[case]
                        harm, noise, f0 = model.controls(padded, given.float())
                        if case == "label, tuned":
                            tune.append(1200.0 * np.log2(float(f0[0]) / label))
                        h = model.trim(model.harmonic(harm, f0 if tuned else given.float()), frames)[0]
                        n = model.trim(model.noise(noise), frames)[0]
                        wave = h + n
                        if case == "label, exact":
                            noise_share.append(float(n.pow(2).sum() / wave.pow(2).sum()))
                            level.append(10 * np.log10(float(wave.pow(2).mean()) /
                                                       float(np.mean(np.square(audio)))))
                        row.append(sc_lsd(audio, wave.numpy()[:len(audio)]))
                scores.append(row)
            s = np.array(scores)  # [notes, case, (sc, lsd)]
            t = np.array(tune)
            bound = float(model.tune_cents)
            saturated = np.mean(np.abs(t) > bound - 1.0) if bound > 0 else 0.0
            print(f"{name}: {len(rows)} notes; the fine-tuning head (within +-{bound:g} cents) "
                  f"at the label: median {np.median(t):+.1f} cents, {100 * saturated:.0f}% of the "
                  f"notes within a cent of its bound")
            print(f"  at the label: the noise part holds a median {100 * np.median(noise_share):.0f}% "
                  f"of the energy (more than half in {100 * np.mean(np.array(noise_share) > 0.5):.0f}% "
                  f"of the notes); level against the recording: median {np.median(level):+.1f} dB")
            for c, case in enumerate(CASES):
                print(f"  {case:13s} SC {s[:, c, 0].mean():.3f}  LSD {s[:, c, 1].mean():.2f} dB")


if __name__ == "__main__":
    main()

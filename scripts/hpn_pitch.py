#!/usr/bin/python3
"""How well an hpn.pt's pitch estimate finds the labelled pitch, per test split.

    /usr/bin/python3 scripts/hpn_pitch.py HPN.pt DATASET.h5 [NOTES=96]

For NOTES notes spread evenly over each of test, test_pitch and test_instrument: the
decoded pitch (pitch_logits then decode_pitch, before the fine tuning) against the dataset's
MIDI label: the median error in cents, the share within 50 cents, and octave errors; then
the share within 50, 20 and 10 cents below MIDI 48 and from it (the labels are equal-tempered;
the notes themselves sit a few cents off them, docs/INVERSION.md).
"""
import sys

import h5py
import numpy as np
import torch

SPLITS = [(2, "test"), (3, "test_pitch"), (4, "test_instrument")]
LOW_MIDI = 48


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: hpn_pitch.py HPN.pt DATASET.h5 [NOTES=96]")
    torch.set_num_threads(1)
    model = torch.jit.load(sys.argv[1])
    notes = int(sys.argv[3]) if len(sys.argv) == 4 else 96
    with h5py.File(sys.argv[2], "r") as f:
        split, pitch = f["split"][:], f["pitch"][:]
        for code, name in SPLITS:
            rows = np.where(split == code)[0]
            if len(rows) == 0:
                print(f"{name}: no notes")
                continue
            rows = rows[np.linspace(0, len(rows) - 1, min(notes, len(rows))).astype(int)]
            mel = torch.from_numpy(np.stack([f["mel"][i] for i in rows]))
            with torch.no_grad():
                decoded = model.decode_pitch(model.pitch_logits(mel)).numpy()
            err = np.abs(decoded - pitch[rows])
            print(f"{name}: {len(rows)} notes, median error {100 * np.median(err):.1f} cents, "
                  f"{100 * np.mean(err < 0.5):.0f}% within 50 cents, "
                  f"{int(np.sum(np.abs(err - 12) < 0.5))} octave errors")
            # Below MIDI 48 (131 Hz) the partials lie a few mel bands apart or closer.
            low = pitch[rows] < LOW_MIDI
            for label, sel in (("below", low), ("from", ~low)):
                if sel.any():
                    print(f"  {label} MIDI {LOW_MIDI}: {int(sel.sum())} notes, "
                          f"{100 * np.mean(err[sel] < 0.5):.0f}% within 50 cents, "
                          f"{100 * np.mean(err[sel] < 0.2):.0f}% within 20, "
                          f"{100 * np.mean(err[sel] < 0.1):.0f}% within 10")


if __name__ == "__main__":
    main()

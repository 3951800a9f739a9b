#!/usr/bin/python3
"""Whether an hpn.pt's own synthesis can correct its pitch estimate on low notes: an
experiment, not part of the model.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/pitch_by_synthesis.py HPN.pt DATASET.h5 \
        [NOTES=60] [SPLIT=test]

For NOTES notes below MIDI 48 spread evenly over SPLIT (test, test_pitch or
test_instrument): the template's estimate (pitch_logits, decode_pitch), then every
candidate from 24 semitones below it to 36 above in semitone steps (keeping the estimate's
fraction), each synthesised by the hpn from the note's true mel (synthesize at the
candidate's f0, as forward does at its own), its mel computed (the dataset's STFT and
Slaney filterbank: tools/audio/mel_filterbank_numpy_check.py) and compared with the note's
(mean absolute log difference, floor 1e-4): the candidate closest is the choice. Prints
the share within 50 cents of the label for the template and for the choice, and the
choice's errors in semitones, and how often the label is among the template's 5 highest
local score peaks (whether they could narrow the candidates). Costs 61 syntheses a note: a bound on what choosing among
candidates by resynthesis could give, not a method to ship as is (docs/INVERSION.md).
"""
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "audio"))
from mel_filterbank_numpy_check import filterbank  # noqa: E402

SPLITS = {"test": 2, "test_pitch": 3, "test_instrument": 4}
LOW_MIDI = 48
SHIFTS = range(-24, 37)


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit("usage: pitch_by_synthesis.py HPN.pt DATASET.h5 [NOTES=60] [SPLIT=test]")
    torch.set_num_threads(1)
    model = torch.jit.load(sys.argv[1])
    notes = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    split_name = sys.argv[4] if len(sys.argv) > 4 else "test"
    if split_name not in SPLITS:
        sys.exit(f"SPLIT: one of {', '.join(SPLITS)}, got {split_name}")
    with h5py.File(sys.argv[2], "r") as f:
        a = f.attrs
        sr, n_fft, hop = int(a["sample_rate"]), int(a["n_fft"]), int(a["hop_length"])
        n_mels, frames = int(a["n_mels"]), int(a["n_frames"])
        bank = torch.from_numpy(filterbank(sr, n_fft, n_mels, float(a["f_min"]), float(a["f_max"])))
        split, pitch = f["split"][:], f["pitch"][:]
        rows = np.where((split == SPLITS[split_name]) & (pitch < LOW_MIDI))[0]
        rows = rows[np.linspace(0, len(rows) - 1, min(notes, len(rows))).astype(int)]
        mel = torch.from_numpy(np.stack([f["mel"][i] for i in rows]))
    window = torch.hann_window(n_fft)

    def mel_of(wave):
        s = torch.stft(wave, n_fft, hop, n_fft, window, center=True, pad_mode="reflect",
                       return_complex=True).abs()
        return torch.matmul(bank, s)[..., :frames]

    label = torch.from_numpy(pitch[rows].astype(np.float32))
    with torch.no_grad():
        logits = model.pitch_logits(mel)
        estimate = model.decode_pitch(logits)
        padded = model.pad(mel)
        chosen = []
        for i in range(len(rows)):
            cands = torch.tensor([float(estimate[i]) + d for d in SHIFTS])
            cands = cands[(cands >= 12) & (cands <= 120)]
            wave = model.trim(model.synthesize(padded[i:i + 1].expand(len(cands), -1, -1),
                                               model.midi_to_hz(cands)), frames)
            err = (torch.log(mel_of(wave) + 1e-4) - torch.log(mel[i:i + 1] + 1e-4)).abs().mean((1, 2))
            chosen.append(float(cands[int(torch.argmin(err))]))
    chosen = torch.tensor(chosen)
    within = lambda p: 100.0 * float(((p - label).abs() < 0.5).float().mean())  # noqa: E731
    print(f"{split_name}: {len(rows)} notes below MIDI {LOW_MIDI}: within 50 cents of the label: "
          f"template {within(estimate):.0f}%, chosen by resynthesis {within(chosen):.0f}%")
    bins = float(model.pitch_min) + float(model.pitch_step) * np.arange(logits.size(1))
    in_peaks = 0
    for i, score in enumerate(logits.numpy()):
        peaks = [j for j in range(1, len(score) - 1) if score[j] >= score[j - 1] and score[j] >= score[j + 1]]
        peaks = sorted(peaks, key=lambda j: -score[j])[:5]
        in_peaks += any(abs(bins[j] - float(label[i])) < 0.5 for j in peaks)
    print(f"  the label within 50 cents of one of the template's 5 highest peaks: "
          f"{100.0 * in_peaks / len(rows):.0f}%")
    steps, counts = np.unique(np.round((chosen - label).numpy()).astype(int), return_counts=True)
    print("  chosen - label (semitones: notes): " +
          ", ".join(f"{s:+d}: {c}" for s, c in zip(steps, counts)))


if __name__ == "__main__":
    main()

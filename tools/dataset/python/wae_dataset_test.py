"""Checks a dataset.h5 written by the C++ make_dataset from make_test_corpus.py's folder:
the Python dataset's values and labels against the corpus, and the C++ mel against an
independent numpy STFT + Slaney mel filterbank written from the formulas.

usage: wae_dataset_test.py CORPUS_DIR DATASET_H5
"""
import json
import os
import sys
import unittest

import pyunit

import numpy as np
import torch

import make_test_corpus
from wae_dataset import SPLITS, DatasetFormatError, MelDataset

CORPUS, DATASET = sys.argv[1], sys.argv[2]


def slaney_hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp, min_log_hz, min_log_mel, logstep = 200.0 / 3, 1000.0, 15.0, np.log(6.4) / 27.0
    return np.where(f < min_log_hz, f / f_sp, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep)


def slaney_mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp, min_log_hz, min_log_mel, logstep = 200.0 / 3, 1000.0, 15.0, np.log(6.4) / 27.0
    return np.where(m < min_log_mel, m * f_sp, min_log_hz * np.exp(logstep * (m - min_log_mel)))


def mel_filterbank(sr=22050, n_fft=1024, n_mels=80, fmin=0.0, fmax=11025.0):
    fft_freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = slaney_mel_to_hz(np.linspace(slaney_hz_to_mel(fmin), slaney_hz_to_mel(fmax), n_mels + 2))
    weights = np.zeros((n_mels, len(fft_freqs)))
    for i in range(n_mels):
        lower = (fft_freqs - mel_f[i]) / (mel_f[i + 1] - mel_f[i])
        upper = (mel_f[i + 2] - fft_freqs) / (mel_f[i + 2] - mel_f[i + 1])
        weights[i] = np.maximum(0, np.minimum(lower, upper)) * 2.0 / (mel_f[i + 2] - mel_f[i])
    return weights


def mel_spectrogram(x, n_fft=1024, hop=256, n_frames=128):
    padded = np.pad(x.astype(np.float64), n_fft // 2, mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    frames = np.stack([padded[t * hop:t * hop + n_fft] * window for t in range(n_frames)])
    magnitude = np.abs(np.fft.rfft(frames, axis=1)).T  # [bins, frames]
    return mel_filterbank() @ magnitude


class PythonDatasetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(CORPUS, "examples.json")) as f:
            cls.examples = json.load(f)
        cls.splits = {s: MelDataset(DATASET, split=s, with_audio=True) for s in SPLITS}

    def test_splits_partition_the_corpus(self):
        keys = sorted(k for d in self.splits.values() for k in d.strings["note_str"])
        self.assertEqual(keys, sorted(self.examples))
        self.assertGreater(len(self.splits["test"]), 0)
        self.assertGreater(len(self.splits["valid"]), 0)

    def test_held_out_pitches_are_in_test_pitch_only(self):
        # make_dataset's default split mode "honest": pitches p % 6 == 3 go to test_pitch;
        # no family has the 3 instruments it takes to hold one out.
        self.assertGreater(len(self.splits["test_pitch"]), 0)
        self.assertEqual(len(self.splits["test_instrument"]), 0)
        for name, d in self.splits.items():
            held = [int(p) % 6 == 3 for p in d.ints["pitch"]]
            self.assertEqual(all(held) if name == "test_pitch" else not any(held), True, name)
        self.assertEqual(tuple(self.splits["test_instrument"].mel.shape), (0, 80, 128))

    def test_labels_and_audio_match_what_was_written(self):
        for d in self.splits.values():
            for i in range(len(d)):
                item = d[i]
                e = self.examples[item["note_str"]]
                for k in ("pitch", "velocity", "instrument", "instrument_family", "instrument_source"):
                    self.assertEqual(int(item[k]), e[k], (item["note_str"], k))
                self.assertEqual(item["instrument_family_str"], e["instrument_family_str"])
                self.assertEqual(item["qualities"].tolist(), e["qualities"])
                expected = make_test_corpus.note_samples(e["pitch"], e["velocity"]) / 32768.0
                np.testing.assert_array_equal(item["audio"].numpy(), expected.astype(np.float32))

    def test_mel_matches_independent_numpy_slaney_mel(self):
        d = self.splits["test"]
        for i in range(min(len(d), 4)):
            item = d[i]
            want = mel_spectrogram(item["audio"].numpy())
            got = item["mel"].numpy().astype(np.float64)
            self.assertEqual(got.shape, (80, 128))
            np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4 * want.max())

    def test_data_loader_batches(self):
        loader = torch.utils.data.DataLoader(self.splits["train"], batch_size=8, shuffle=True,
                                             generator=torch.Generator().manual_seed(0))
        batch = next(iter(loader))
        self.assertEqual(tuple(batch["mel"].shape), (8, 80, 128))
        self.assertEqual(batch["pitch"].dtype, torch.int64)
        self.assertEqual(len(batch["note_str"]), 8)

    def test_refuses_other_settings_naming_both_values(self):
        expected = dict(sample_rate=16000)
        from wae_dataset import DEFAULT_AUDIO_SETTINGS
        expected = {**DEFAULT_AUDIO_SETTINGS, **expected}
        with self.assertRaises(DatasetFormatError) as ctx:
            MelDataset(DATASET, expected_settings=expected)
        self.assertIn(f"sample_rate: {DATASET} has 22050, this code expects 16000", str(ctx.exception))


if __name__ == "__main__":
    pyunit.main()

"""scripts/train.sh end to end: a tiny folder of sounds made here with sox (nested folders,
FLAC/WAV/OGG/AIFF, 48 kHz stereo, a noise and a corrupt file), tiny models (1 epoch each,
a 2x2x2x2 grid), the printed bank and how to play it, every step skipped on a second run,
argument errors before any work, and the bank played in real Pd (pd -nogui -nosound -batch):
a grid point sample for sample.

usage: train_sh_test.py EXTERNAL_DIR TRAIN_SH MAKE_DATASET TRAIN_VAE TRAIN_HPN
       MAKE_GENERATIVE BAKE_BANK CHECK_BANK
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import unittest

import pyunit

import numpy as np

from pdcheck import Bank, errors, run_pd
from pdpatch import sampler_case

EXTERNAL_DIR, TRAIN_SH = (os.path.abspath(a) for a in sys.argv[1:3])
TOOLS = [os.path.realpath(a) for a in sys.argv[3:9]]
WORK = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
SR = 22050
LENGTH = 32768

# Folder -> [(file, sox synth arguments)]: 48 kHz stereo, 0.8 s.
SOUNDS = {
    "strings/violin": [("a3.flac", "sawtooth 220"), ("c4.wav", "sawtooth 261.63"),
                       ("e4.ogg", "sawtooth 329.63"), ("g4.aiff", "sawtooth 392")],
    "keys/piano": [("a2.wav", "square 110"), ("c3.flac", "square 130.81"),
                   ("e3.wav", "square 164.81"), ("g3.ogg", "square 196")],
    "drums": [("noise.wav", "whitenoise")],
}
TINY = [
    "--minutes", "0", "--vae-epochs", "1", "--hpn-epochs", "1", "--grid", "2,2,2,2",
    "--storage", "float32", "--threads", "1",
    "--dataset-args", "--valid-fraction 0.25 --test-fraction 0",
    "--vae-args", "--channels 4 --batch 4 --latent 4 --pitch-axis",
    "--hpn-args", "--hidden 8 --dilations 1,2 --pitch-harmonics 8 --harmonics 16 --env-bins 16 "
                  "--context-frames 2 --fft-sizes 256,512 --crop-frames 4 --batch 4 "
                  "--valid-examples 2",
]


def train_sh(*args):
    """Runs train.sh with the tools of this test; returns the finished process."""
    env = dict(os.environ, WAE_TOOLS=os.path.join(WORK, "tools"))
    return subprocess.run([TRAIN_SH, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class TrainShTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(os.path.join(WORK, "tools"))
        for path in TOOLS:
            os.symlink(path, os.path.join(WORK, "tools", os.path.basename(path)))
        cls.folder = os.path.join(WORK, "My Sounds")
        for sub, files in SOUNDS.items():
            os.makedirs(os.path.join(cls.folder, sub))
            for name, synth in files:
                subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", os.path.join(sub, name),
                                "synth", "0.8", *synth.split(), "vol", "0.5", "fade", "q",
                                "0.005", "0.8", "0.3"], cwd=cls.folder, check=True)
        with open(os.path.join(cls.folder, "drums", "broken.wav"), "w") as f:
            f.write("RIFF, but no wave")
        cls.out = os.path.join(WORK, "out")
        cls.first = train_sh(cls.folder, "--out", cls.out, *TINY)
        if cls.first.returncode != 0:
            raise AssertionError(f"train.sh failed:\n{cls.first.stdout}\n{cls.first.stderr}")
        cls.bank_path = os.path.join(cls.out, "bank.h5")

    def test_runs_every_step_and_prints_the_bank_its_check_and_how_to_play_it(self):
        out = self.first.stdout
        for k, name in enumerate(["make_dataset", "train_vae", "train_hpn", "make_generative",
                                  "bake_bank", "check_bank"]):
            self.assertIn(f"train: step {k + 1}/6: {name}", out)
        self.assertIn("kept 9 examples, skipped 1", out)
        self.assertIn("skip drums/broken.wav: unreadable audio", self.first.stderr)
        self.assertIn(f"check_bank: {self.bank_path}: 16 points (grid [2, 2, 2, 2], float32, "
                      f"{LENGTH} samples at {SR} Hz)", out)
        self.assertIn(f"  bank:  {self.bank_path}\n", out)
        self.assertIn(f'pd -open patches/wae-explorer.pd -send "wae bank {self.bank_path}"', out)
        for f in ["dataset.h5", "vae/model.pt", "hpn/hpn.pt", "generative.pt", "bank.h5",
                  "bank_check.csv", "bank_check.txt", "times.txt"]:
            self.assertTrue(os.path.exists(os.path.join(self.out, f)), f)

    def test_a_second_run_skips_every_step_and_leaves_the_bank_as_it_was(self):
        before = sha(self.bank_path)
        again = train_sh(self.folder, "--out", self.out, *TINY)
        self.assertEqual(again.returncode, 0, again.stderr)
        for name, output in [("make_dataset", "dataset.h5"), ("train_vae", "vae/model.pt.done"),
                             ("train_hpn", "hpn/hpn.pt.done"),
                             ("make_generative", "generative.pt"), ("bake_bank", "bank.h5")]:
            self.assertIn(f"train: {name}: {os.path.join(self.out, output)} exists, skipped",
                          again.stdout)
        self.assertEqual(sha(self.bank_path), before)

    def test_argument_errors_come_before_any_work(self):
        missing = os.path.join(WORK, "nowhere")
        r = train_sh(missing)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, f"train: {missing}: not a folder (expected a folder of sounds)\n")
        r = train_sh(self.folder, "--minutes", "soon")
        self.assertEqual(r.returncode, 2)
        self.assertIn("train: --minutes: found 'soon', expected minutes >= 0", r.stderr)
        bad = os.path.join(WORK, "bad")
        r = train_sh(self.folder, "--out", bad, "--dataset-args", "--test-fraction 1")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("make_dataset: --test-fraction: found 1, expected a fraction in [0, 1)",
                      r.stderr)
        self.assertNotIn("skip ", r.stderr)  # no file was read
        self.assertFalse(os.path.exists(os.path.join(bad, "dataset.h5")))

    def test_pd_plays_the_bank(self):
        bank = Bank(self.bank_path)
        want = bank.waves[0, 0, 0, 0]
        self.assertGreater(np.abs(want).max(), 1e-4)
        console, a = run_pd(sampler_case(self.bank_path, LENGTH + 2048, [(None, "-1 -1 -1 -1")]),
                            WORK, "play", SR, [EXTERNAL_DIR, WORK])
        self.assertEqual(errors(console), [])
        self.assertIn("wae-sampler~: loaded", console)
        np.testing.assert_array_equal(a["rec"][:LENGTH], want)
        np.testing.assert_array_equal(a["rec"][LENGTH:], 0)


if __name__ == "__main__":
    pyunit.main()

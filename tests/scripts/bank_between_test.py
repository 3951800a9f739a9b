"""scripts/bank_between.py on a small bank and dataset written here, whose quiet points are
known: the region, the two level measures (the RMS over the whole waveform and that of the
loudest 50 ms) and which axes a quiet point lies beyond.

The bank's grid is 5^4 (every axis -2..2, a step of 1); its dataset has three notes:
A (0, 0, 0, 0), B (1, 0.5, 0.5, 0.5) and C (0.5, -0.5, 0.5, -0.5). A's region is the 3^4
points of -1..1; B's adds the 8 at axis 1 = 2 (axes 2 to 4 at 0 or 1); C's lies inside A's:
89 points. Between notes on every axis are (0, 0, 0, 0) and (1, 0, 0, 0) only. A and B play
at -10 dBFS, C at -75 by its RMS: a 50 ms burst at -58.7 dBFS, then silence (quiet by its
RMS, not by its loudest 50 ms). Every point plays a sine at -10 dBFS, except:
- (0, 0, 0, 0), grid indices [2, 2, 2, 2]: a 50 ms burst at -55 dBFS, then silence: quiet by
  its RMS, not by its loudest 50 ms; louder than C, beside it, by both;
- (-1, -1, -1, -1), [1, 1, 1, 1]: a sine at -70 dBFS throughout: quiet by both, beyond A
  (its only note) on every axis, below it by both;
- (-2, -2, -2, -2), [0, 0, 0, 0]: silence, outside the region: not counted.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

import pyunit

SCRIPT = "scripts/bank_between.py"
SR = 4000
LENGTH = 8600  # YIN reads 2 x 4,096 samples from 0.1 s on
AXIS = np.arange(-2.0, 3.0)
C_BURST_DBFS = -75.0 - 10.0 * np.log10(200.0 / LENGTH)  # 200 samples of it: -75 dBFS in all


def sine(dbfs, hz=500.0, frames=LENGTH):
    # 500 Hz at 4 kHz: 8 samples a period, so 50 ms (200 samples) holds whole periods.
    amplitude = np.sqrt(2.0) * 10.0 ** (dbfs / 20.0)
    return (amplitude * np.sin(2 * np.pi * hz * np.arange(frames) / SR)).astype(np.float32)


def index(*values):
    return int(np.ravel_multi_index([int(v + 2) for v in values], (5, 5, 5, 5)))


def write_files(folder):
    notes = np.array([[0, 0, 0, 0], [1, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5]])
    dataset = os.path.join(folder, "dataset.h5")
    with h5py.File(dataset, "w") as d:
        d["pitch"] = np.array([60, 64, 62], dtype=np.int32)
        d["instrument_family"] = np.array([0, 1, 0], dtype=np.int32)
        d["note_str"] = np.array([b"note_a", b"note_b", b"note_c"])
        quiet = np.zeros(LENGTH, dtype=np.float32)
        quiet[:200] = sine(C_BURST_DBFS, frames=200)
        d["audio"] = np.stack([sine(-10.0, 262.0), sine(-10.0, 330.0), quiet])
    waves = np.empty((625, LENGTH), dtype=np.float32)
    for i in range(625):
        pitch_index = np.unravel_index(i, (5, 5, 5, 5))[0]
        waves[i] = sine(-10.0, 220.0 * 2.0 ** (pitch_index / 12.0))
    burst = np.zeros(LENGTH, dtype=np.float32)
    burst[:200] = sine(-55.0, frames=200)
    waves[index(0, 0, 0, 0)] = burst
    waves[index(-1, -1, -1, -1)] = sine(-70.0)
    waves[index(-2, -2, -2, -2)] = 0.0
    bank = os.path.join(folder, "bank.h5")
    with h5py.File(bank, "w") as b:
        b.attrs["scale"] = 1.0
        b.attrs["sample_rate"] = SR
        b["waveforms"] = waves
        for k in range(4):
            b[f"axis{k + 1}"] = AXIS
        b["projections/points"] = notes
    return bank, dataset


class BankBetween(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp()
        bank, dataset = write_files(cls.folder)
        prefix = os.path.join(cls.folder, "between")
        run = subprocess.run([sys.executable, SCRIPT, bank, dataset, prefix],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise AssertionError(f"{SCRIPT} failed:\n{run.stdout}\n{run.stderr}")
        with open(prefix + ".txt") as f:
            cls.report = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder)

    def line(self, start):
        found = [l for l in self.report.splitlines() if l.strip().startswith(start)]
        self.assertEqual(len(found), 1, f"one line starting {start!r} in:\n{self.report}")
        return found[0]

    def test_the_region_and_its_quiet_points_by_the_rms(self):
        self.assertIn("inside the data's region: 89 of 625 grid points", self.report)
        self.assertTrue(self.line("inside the data's region").endswith(
            "; 2 quieter than -60 dBFS"), self.report)

    def test_the_loudest_50_ms_counts_the_burst_as_heard(self):
        line = self.line("their loudest 50 ms")
        self.assertIn("min -70.0,", line)
        self.assertTrue(line.endswith("; 1 quieter than -60 dBFS"), line)

    def test_the_datasets_own_notes_by_both_measures(self):
        # C is quiet by its RMS over the whole waveform, not by its loudest 50 ms.
        self.assertEqual(self.line("the dataset's own notes").strip(),
                         "the dataset's own notes: 1 of 3 quieter than -60 dBFS by their RMS "
                         f"(min -75.0), 0 by their loudest 50 ms (min {C_BURST_DBFS:.1f})")

    def test_points_between_notes_on_every_axis(self):
        self.assertIn("between notes on every axis (a note beside it at or below its coordinate "
                      "and one at or above, on each): 2 of the 89, 1 of them quieter than -60 dBFS",
                      self.report)

    def test_each_quiet_point_its_levels_and_where_it_lies(self):
        burst = self.line("quiet: grid indices [2, 2, 2, 2]")
        rms = -55.0 + 10.0 * np.log10(200.0 / LENGTH)  # 50 ms of -55 dBFS in the whole
        self.assertIn(f", {rms:.1f} dBFS (loudest 50 ms -55.0); beside ", burst)
        self.assertTrue(burst.endswith("; between notes on every axis"), burst)
        faint = self.line("quiet: grid indices [1, 1, 1, 1]")
        self.assertIn(", -70.0 dBFS (loudest 50 ms -70.0); beside note_a (2.0 steps, -10.0 dBFS, "
                      "loudest 50 ms -10.0)", faint)
        self.assertTrue(faint.endswith("; beyond the notes beside it on axis 1, 2, 3, 4"), faint)
        self.assertNotIn("grid indices [0, 0, 0, 0]", self.report)
        # Under the loudest note beside each: 45 and 60 dB by the loudest 50 ms.
        self.assertTrue(re.search(r"by their loudest 50 ms, 52\.5 dB \(45\.0 to 60\.0\)",
                                  self.report), self.report)

    def test_quiet_points_under_the_softest_note_beside_them(self):
        # The burst (-70.3 dBFS by its RMS) lies above C (-75), beside it; the faint point
        # 60 dB under A, its only note.
        self.assertEqual(self.line("1 of the").strip(),
                         "1 of the 2 quiet points play below the softest note within one step of "
                         "them on every axis, a median 60.0 dB under it; by their loudest 50 ms, 1")

    def test_quiet_points_against_the_level_the_loudness_axis_asks(self):
        # Axis 2 (as axis 4) follows the notes' RMS: A and B at -10 dBFS at 0 and 0.5, C at
        # -75 at -0.5, so +65 dB a unit (a grid step). The burst sits on A: asked -10 dBFS,
        # it plays -70.3; the faint point one unit below A: asked -75, it plays -70.
        burst = -55.0 + 10.0 * np.log10(200.0 / LENGTH) + 10.0
        self.assertEqual(
            self.line("along the loudness-bearing axis").strip(),
            "along the loudness-bearing axis (axis 2: the notes' RMS +65.0 dB a grid step) the "
            f"quiet points are asked for a median -32.5 dB from their nearest note, and play a "
            f"median {(burst + 5.0) / 2:+.1f} dB ({burst:+.1f} to +5.0) from the level so asked")


if __name__ == "__main__":
    pyunit.main()

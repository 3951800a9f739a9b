"""wae-sampler~ inside real Pd (pd -nogui -nosound -batch -nrt): exact samples at grid
points, quadrilinear blends, sums, sample-accurate onsets against vline~, voice stealing,
resampled banks, transposition, bad input and reloads under load.

usage: external_test.py EXTERNAL_DIR WRITE_ANALYTIC_MODEL BAKE_BANK
Banks come from the analytic test model (tools/generative/analytic_model.h), so every
expected sample is known: the bank's own waveforms, read here with h5py.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import pyunit

import h5py
import numpy as np

from pdcheck import Bank, errors, frequency, run_pd
from pdpatch import Patch, sampler_case

EXTERNAL_DIR, WRITE_MODEL, BAKE_BANK = (os.path.abspath(a) for a in sys.argv[1:4])
WORK = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
SR = 22050
LENGTH = 4096


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def model_path(sample_rate=SR, length=LENGTH, pitch=False, parts=0):
    """The analytic model a bank was baked from (see make_bank)."""
    suffix = "" if length == LENGTH and not pitch else f"-{length}{'-f0' if pitch else ''}"
    suffix += f"-parts{parts}" if parts else ""
    return os.path.join(WORK, f"model-{sample_rate}{suffix}.pt")


def make_bank(name, grid=3, sample_rate=SR, storage="float32", pitch=False, length=LENGTH,
              parts=0, whole=False):
    """A bank of the analytic model. pitch=False: a version 1 bank, without pitch (bake_bank
    --no-pitch); pitch=True: version 2, each point's exact f0 from the model (--f0); with
    parts (a level) too, the model has a fixed 3000 Hz part apart from its tone
    (write_analytic_model --parts) and the bank is version 3, that part its noise part, or
    version 2 of whole waveforms with whole=True (bake_bank --whole). storage="int16" gives
    version 4 whatever the rest (each point's own scale)."""
    model = model_path(sample_rate, length, pitch, parts)
    if not os.path.exists(model):
        run([WRITE_MODEL, "--out", model, "--length", str(length), "--sample-rate", str(sample_rate)]
            + (["--f0"] if pitch else []) + (["--parts", str(parts)] if parts else []))
    out = os.path.join(WORK, name)
    run([BAKE_BANK, "--model", model, "--grid", str(grid), "--out", out, "--storage", storage]
        + ([] if pitch else ["--no-pitch"]) + (["--whole"] if whole else []))
    return out


def damaged_inside_hdf5(bank, out):
    """Writes to `out` a copy of `bank` with one byte inverted where HDF5 itself refuses the
    file after opening it, because a piece of metadata fails its checksum (as disk damage
    would make it), found by trying each byte after the superblock in turn with h5py."""
    data = open(bank, "rb").read()
    for at in range(48, 8192):
        damaged = bytearray(data)
        damaged[at] ^= 0xFF
        with open(out, "wb") as f:
            f.write(damaged)
        try:
            f = h5py.File(out, "r")
        except OSError:
            continue
        try:
            with f:
                for name in ("done", "waveforms", "f0", "axis1"):
                    name in f
                dict(f.attrs)
        except (OSError, KeyError, RuntimeError) as e:
            if "checksum" in str(e):
                return out
    raise AssertionError(f"no byte of {bank} damages it inside HDF5")


def pd(patch, sr=SR, name="case", realtime=False):
    """Runs a patch beside the banks (see run_pd); realtime=True for live mode."""
    return run_pd(patch, WORK, name, sr, [EXTERNAL_DIR, WORK], realtime)


class ExternalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bank_path = make_bank("bank.h5")
        cls.bank = Bank(cls.bank_path)

    def test_grid_point_plays_its_waveform_sample_for_sample(self):
        console, a = pd(sampler_case("bank.h5", 6000, [(None, "0 -1 1 0")]), name="grid")
        self.assertEqual(errors(console), [])
        self.assertIn("wae-sampler~: loaded", console)
        want = self.bank.waves[1, 0, 2, 1]
        np.testing.assert_array_equal(a["rec"][:LENGTH], want)
        np.testing.assert_array_equal(a["rec"][LENGTH:], 0)

    def test_info_right_after_loaded_describes_the_new_bank(self):
        p = Patch()
        sampler = p.sampler("bank.h5", receive=None)
        p.connect(sampler, p.obj("print info"), outlet=1)
        route = p.route_info(sampler)
        info = p.send_on(route, "info", sampler)
        quit_msg = p.msg("; pd quit")
        p.connect(info, quit_msg)
        p.connect(route, quit_msg, outlet=1)
        console, _ = pd(p, name="info")
        self.assertEqual(errors(console), [])
        after = console[console.index("info: loaded"):]
        self.assertIn("info: grid 3 3 3 3", after)
        self.assertIn(f"info: samplerate {SR} {SR}", after)
        self.assertIn(f"info: length {LENGTH}", after)

    def test_trigger_sent_while_dsp_is_off_plays_when_it_starts(self):
        # Triggered after the bank loads with DSP off; 100 ms later DSP starts with the
        # recording: the voice starts at the first block, not at a stale offset.
        p = Patch()
        sampler = p.sampler("bank.h5", receive=None)
        rec = p.record(sampler, 6000)
        route = p.route_info(sampler)
        p.send_on(route, "0 -1 1 0", sampler)
        later = p.obj("delay 100")
        loaded = p.obj("t b")  # route passes the path on
        p.connect(route, loaded)
        p.connect(loaded, later)
        start = p.obj("t b b")
        p.connect(later, start)
        p.connect(start, p.msg("; pd dsp 1"), outlet=1)
        p.connect(start, rec, outlet=1)
        quit_msg = p.finish(start, 400)
        p.connect(route, quit_msg, outlet=1)
        console, a = pd(p, name="dspoff")
        self.assertEqual(errors(console), [])
        np.testing.assert_array_equal(a["rec"][:LENGTH], self.bank.waves[1, 0, 2, 1])

    def test_off_grid_point_plays_the_quadrilinear_blend(self):
        point = (0.3, -0.55, 0.8, 0.1)
        console, a = pd(sampler_case("bank.h5", LENGTH, [(None, "0.3 -0.55 0.8 0.1 0.5")]), name="blend")
        self.assertEqual(errors(console), [])
        np.testing.assert_allclose(a["rec"], 0.5 * self.bank.blend(point), rtol=0, atol=1e-6)

    def nearest_wave(self, point):
        """The waveform of the grid point nearest `point` (normalised), per axis in the
        bank's own axis coordinates."""
        index = []
        for d, p in enumerate(point):
            axis = self.bank.axes[d]
            a = axis[0] + (p + 1) / 2 * (axis[-1] - axis[0])
            index.append(int(np.argmin(np.abs(axis - a))))
        return self.bank.waves[tuple(index)]

    def test_nearest_plays_the_nearest_grid_point_and_nearest_0_the_blend_again(self):
        point = (0.3, -0.8, 0.8, 0.1)  # about 0.3, 0.2, 0.8, 0.1 of the way through its cells
        text = " ".join(str(x) for x in point)
        later_ms = 200  # after the first voice ends (4096 samples)
        onset = int(later_ms * SR / 1000)
        actions = [(None, f"nearest 1, {text}"), (later_ms, f"nearest 0, {text}")]
        console, a = pd(sampler_case("bank.h5", onset + LENGTH + 200, actions), name="nearest")
        self.assertEqual(errors(console), [])
        near = self.nearest_wave(point)
        blend = self.bank.blend(point)
        self.assertGreater(np.abs(blend - near).max(), 0.05, "the point must tell the modes apart")
        x = a["rec"]
        np.testing.assert_array_equal(x[:LENGTH], near)
        np.testing.assert_array_equal(x[LENGTH:onset], 0)
        np.testing.assert_allclose(x[onset:onset + LENGTH], blend, rtol=0, atol=1e-6)

    def test_nearest_flag_info_and_bad_arguments(self):
        point = "-0.2 0.9 -0.7 0.4"
        actions = [(None, "info"), (None, point), (None, "nearest 2"), (None, "nearest"),
                   (None, "nearest blend"), (None, "nearest 1 2")]
        console, a = pd(sampler_case("bank.h5 -nearest", LENGTH, actions), name="nearestflag")
        self.assertIn("info: interpolation nearest", console)
        self.assertRegex(console, r"wae-sampler~: bank .*; interpolation nearest")
        errs = errors(console)
        self.assertEqual(len(errs), 4, errs)
        for e in errs:
            self.assertRegex(e, r"wae-sampler~: nearest: expected 1 .* or 0 ")
        # The bad messages left the mode as it was.
        np.testing.assert_array_equal(a["rec"], self.nearest_wave((-0.2, 0.9, -0.7, 0.4)))

    def test_align_reports_and_refuses_bad_arguments(self):
        # The test bank has no pitch, so `align 0` and `align 1` play the same plain blend;
        # the engine tests cover what alignment does on a bank with pitch.
        point = "-0.2 0.9 -0.7 0.4"
        actions = [(None, "info"), (None, "align 0"), (None, "info"), (None, "align 2"),
                   (None, "align"), (None, "align on"), (None, "align 1 0"), (None, point)]
        console, a = pd(sampler_case("bank.h5", LENGTH, actions), name="align")
        self.assertIn("info: align 1", console)
        self.assertIn("info: align 0", console)
        self.assertRegex(console, r"wae-sampler~: bank .*; interpolation blend; align 1")
        self.assertRegex(console, r"wae-sampler~: bank .*; interpolation blend; align 0")
        errs = errors(console)
        self.assertEqual(len(errs), 4, errs)
        for e in errs:
            self.assertRegex(e, r"wae-sampler~: align: expected 1 .* or 0 ")
        blend = self.bank.blend((-0.2, 0.9, -0.7, 0.4))
        np.testing.assert_allclose(a["rec"][:LENGTH], blend, rtol=0, atol=1e-6)

    def test_two_triggers_sum_and_a_delayed_one_starts_at_its_exact_sample(self):
        delay_ms = 3.3  # 72.765 samples at 22050 Hz: not a block multiple

        def reference(p, begin):
            # vline~ jumps to 1 at the same logical time: where Pd places the event.
            v = p.obj("vline~")
            d = p.obj(f"delay {delay_ms}")
            p.send_on(d, "1", v)
            p.connect(begin, d, outlet=1)
            t = p.record(v, 8192, "ref")
            p.connect(begin, t, outlet=1)

        console, a = pd(sampler_case("bank.h5", 8192, [(None, "-1 -1 -1 -1"), (delay_ms, "1 1 1 1 0.5")],
                                     extra=reference, arrays=("rec", "ref")), name="sum")
        self.assertEqual(errors(console), [])
        onset = int(delay_ms * SR / 1000)  # the sample whose span holds the event's time
        self.assertEqual(onset, 72)
        want = np.zeros(8192)
        want[:LENGTH] += self.bank.waves[0, 0, 0, 0]
        want[onset:onset + LENGTH] += 0.5 * self.bank.waves[2, 2, 2, 2]
        np.testing.assert_allclose(a["rec"], want, rtol=0, atol=1e-6)
        # vline~ jumps to 1 in the same sample.
        self.assertEqual(int(np.argmax(a["ref"] >= 1.0)), onset)

    def test_stolen_voice_fades_without_a_click(self):
        # One voice: the second trigger steals the first mid-waveform.
        console, a = pd(sampler_case("bank.h5 -voices 1", 6000,
                                     [(None, "1 1 1 -1"), (20, "-1 -1 -1 -1")]), name="steal")
        self.assertEqual(errors(console), [])
        x = a["rec"]
        onset = int(20 * SR / 1000)
        # The old voice (880 Hz, amplitude 0.8) fades over 64 frames at 48 kHz = 29 at 22.05 kHz.
        steps = np.abs(np.diff(x[onset - 5:onset + 60]))
        natural = 2 * np.pi * 880 / SR * 0.8  # the largest step of the old voice itself
        self.assertLess(steps.max(), natural * 1.05, "a step larger than the signals' own")
        fade_out = x[onset:onset + 29] - self.bank.waves[0, 0, 0, 0][:29]
        self.assertGreater(np.abs(fade_out).max(), 0.05, "the old voice was cut, not faded")
        np.testing.assert_allclose(x[onset + 40:onset + 400], self.bank.waves[0, 0, 0, 0][40:400], atol=1e-6)

    def test_bank_at_another_rate_keeps_its_pitch_and_transposition_doubles_it(self):
        sr = 48000
        console, a = pd(sampler_case("bank.h5", 16000, [(None, "0 0 -1 -1"), (200, "0 0 -1 -1 1 12")], sr=sr,
                                     wait_ms=400), sr=sr, name="resampled")
        self.assertEqual(errors(console), [])
        self.assertIn("resampled from 22050 Hz", console)
        bank_f = frequency(self.bank.waves[1, 1, 0, 0].astype(np.float64), SR)
        played = a["rec"]
        n = round(LENGTH * sr / SR)  # the resampled waveform's length
        f0 = frequency(played[200:n - 200], sr)
        start = round(0.2 * sr)
        f12 = frequency(played[start + 200:start + n // 2 - 200], sr)
        self.assertAlmostEqual(f0 / bank_f, 1.0, delta=0.005)
        self.assertAlmostEqual(f12 / bank_f, 2.0, delta=0.01)

    def test_note_on_a_bank_without_pitch_transposes_from_midi_60(self):
        # The test bank has no pitch: note 60 plays the grid point as it is, note 72 an
        # octave up (the engine tests cover notes on a bank with pitch).
        console, a = pd(sampler_case("bank.h5", 16000, [(None, "note 60 0 0 -1 -1"),
                                                        (200, "note 72 0 0 -1 -1 0.5"),
                                                        (None, "note 60 0 0 -1"),
                                                        (None, "note 60 0 0 -1 -1 1 3"),
                                                        (None, "note high 0 0 -1 -1")]),
                        name="note")
        errs = errors(console)
        self.assertEqual(len(errs), 3, errs)
        self.assertRegex(errs[0], r"wae-sampler~: note: expected a MIDI pitch, 4 coordinates .* got 4")
        self.assertRegex(errs[1], r"got 7")
        self.assertRegex(errs[2], r"wae-sampler~: note: element 1 is not a float")
        bank_f = frequency(self.bank.waves[1, 1, 0, 0].astype(np.float64), SR)
        played = a["rec"]
        start = round(0.2 * SR)
        f60 = frequency(played[100:LENGTH - 100], SR)
        f72 = frequency(played[start + 100:start + LENGTH // 2 - 100], SR)
        self.assertAlmostEqual(f60 / bank_f, 1.0, delta=0.005)
        self.assertAlmostEqual(f72 / bank_f, 2.0, delta=0.01)

    def test_bad_files_get_a_message_and_the_previous_bank_keeps_playing(self):
        corrupt = os.path.join(WORK, "corrupt.h5")
        with open(corrupt, "wb") as f:
            f.write(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 8)
        wrong_version = os.path.join(WORK, "v99.h5")
        shutil.copy(self.bank_path, wrong_version)
        with h5py.File(wrong_version, "r+") as f:
            f.attrs["format_version"] = 99
        damaged = damaged_inside_hdf5(self.bank_path, os.path.join(WORK, "damaged.h5"))
        # Each failure (reported on the info outlet) asks for the next bad file; after the
        # fourth, a trigger must still play the first bank.
        p = Patch()
        p.dsp_on_load()
        sampler = p.sampler("bank.h5")
        p.connect(sampler, p.obj("print info"), outlet=1)
        route = p.route_info(sampler)
        p.send_on(route, "open missing.h5", sampler)
        failures = p.counter(route, outlet=1)  # route passes the path on: counted as a bang
        select = p.obj("sel 1 2 3 4")
        p.connect(failures, select)
        p.send_each(select, ((0, "open corrupt.h5"), (1, "open v99.h5"),
                             (2, "open damaged.h5")), sampler)
        rec = p.record(sampler, 8192)
        go = p.obj("t b b")
        p.connect(select, go, outlet=3)
        p.connect(go, rec, outlet=1)
        p.send_on(go, "0 -1 1 0", sampler, outlet=1)
        p.finish(go, 400)
        console, a = pd(p, name="badfiles")
        errs = "\n".join(errors(console))
        self.assertRegex(errs, r"wae-sampler~: .*missing\.h5: no such file")
        self.assertRegex(errs, r"wae-sampler~: .*corrupt\.h5: ")
        self.assertRegex(errs, r"wae-sampler~: .*v99\.h5: attribute format_version: found 99, expected 1\.\.4")
        self.assertRegex(errs, r"wae-sampler~: .*damaged\.h5: damaged or unreadable HDF5 structure")
        self.assertEqual(console.count("info: failed"), 4)
        # Pd's exit after HDF5 refused a file on the loader thread is quiet (HDF5 printed
        # "HDF5: infinite loop closing library" when Pd's thread had never used it).
        self.assertNotIn("HDF5:", console)
        # The trigger came at a failure's logical time, anywhere in a block: find its start.
        want = self.bank.waves[1, 0, 2, 1]
        start = int(np.argmax(a["rec"] != 0)) - int(np.argmax(want != 0))
        np.testing.assert_array_equal(a["rec"][start:start + LENGTH], want)

    def test_bad_messages_get_a_message_and_pd_keeps_playing(self):
        def nan(p, begin):
            e = p.obj("expr sqrt(-1)")
            m = p.obj("pack 0 0 0 0")
            p.connect(begin, e, outlet=1)
            p.connect(e, m)
            p.connect(m, p.obj("s sampler"))

        actions = [(None, "1 2 3"), (None, "1 2 3 4 5 6 7"), (None, "1 2 three 4"), (None, "5 0 0 0 0"),
                   (None, "live"), (None, "live nothing.pt"), (None, "voices 0"), (None, "0.5"),
                   (None, "open"), (30, "0 -1 1 0")]
        console, a = pd(sampler_case("bank.h5", 6000, actions, extra=nan), name="badmessages")
        errs = "\n".join(errors(console))
        for expected in [
            r"a trigger is 4 coordinates.*got 3",
            r"a trigger is 4 coordinates.*got 7",
            r"trigger: element 3 is not a float",
            r"trigger -?nan 0 0 0: refused: .*NaN",
            r"live: .*",
            r"voices: 0 is outside 1\.\.\d+",
            r"a trigger is a list of 4 to 6 floats, not a single float",
            r"open: expected a bank file name",
        ]:
            self.assertRegex(errs, "wae-sampler~: " + expected)
        self.assertRegex(console, r"wae-sampler~: trigger 5 0 0 0 0 0 clamped .*warned once")
        onset = int(30 * SR / 1000)
        np.testing.assert_array_equal(a["rec"][onset:onset + LENGTH], self.bank.waves[1, 0, 2, 1])

    def test_open_and_reload_while_voices_play(self):
        other = make_bank("other.h5", grid=4, storage="int16")
        # Every load plays three voices and, 5 ms later, asks for the next bank (alternately
        # the other bank, this one again, a reload); after 8 loads, record a little more and quit.
        p = Patch()
        p.dsp_on_load()
        sampler = p.sampler("bank.h5 -voices 8")
        rec = p.record(sampler, 441000)
        route = p.route_info(sampler)
        p.connect(route, p.msg("; pd quit"), outlet=1)
        loads = p.counter(route)  # route passes the path on: counted as a bang
        start = p.obj("sel 1")
        p.connect(loads, start)
        p.connect(start, rec)
        moved = p.obj("moses 9")
        p.connect(loads, moved)
        each = p.obj("t f b")
        p.connect(moved, each)
        for point in ("-1 0.3 0 0.7 0.3", "0.5 -0.2 0.9 -0.4 0.3", "0 0 0 0 0.3"):
            p.send_on(each, point, sampler, outlet=1)
        delay = p.obj("delay 5")
        p.connect(each, delay, outlet=1)
        which = p.obj("f")
        p.connect(each, which, inlet=1)
        p.connect(delay, which)
        mod = p.obj("mod 3")
        p.connect(which, mod)
        pick = p.obj("sel 0 1 2")
        p.connect(mod, pick)
        p.send_each(pick, ((0, "open other.h5"), (1, "open bank.h5"), (2, "reload")), sampler)
        p.finish(moved, 300, outlet=1)
        console, a = pd(p, name="reload")
        self.assertEqual(errors(console), [])
        self.assertEqual(console.count("wae-sampler~: loaded"), 9)
        self.assertIn("other.h5 (grid 4x4x4x4", console)
        self.assertGreater(np.abs(a["rec"]).max(), 0.05)
        self.assertTrue(np.all(np.isfinite(a["rec"])))

    def test_live_mode_renders_points_outside_the_grid(self):
        import torch
        model = os.path.join(WORK, f"model-{SR}.pt")
        wrong = os.path.join(WORK, "wrong-dims.pt")
        m = torch.jit.load(model)
        m.reduced_dim = 3
        torch.jit.save(m, wrong)
        # Each refusal asks for the next model; the good one then plays a point outside the grid.
        p = Patch()
        p.dsp_on_load()
        sampler = p.sampler("bank.h5")
        rec = p.record(sampler, 44100)
        route = p.route_info(sampler, "loaded livefailed liveloaded")
        p.send_on(route, "live outside, live missing.pt", sampler)
        failures = p.counter(route, outlet=1)
        select = p.obj("sel 1 2")
        p.connect(failures, select)
        p.send_each(select, ((0, "live wrong-dims.pt"), (1, f"live {os.path.basename(model)}")),
                    sampler)
        go = p.obj("t b b b")
        p.connect(route, go, outlet=2)
        p.connect(go, rec, outlet=1)
        p.send_on(go, "1.5 0 0 0", sampler, outlet=2)
        p.connect(go, p.msg("info"), outlet=2)
        p.finish(go, 1500)
        p.connect(route, p.msg("; pd quit"), outlet=3)  # the bank failed: stop
        console, a = pd(p, name="live", realtime=True)
        errs = "\n".join(errors(console))
        self.assertRegex(errs, r"wae-sampler~: live outside: no live model loaded")
        self.assertRegex(errs, r"wae-sampler~: live: .*missing\.pt")
        self.assertRegex(errs, r"wae-sampler~: live: .*wrong-dims\.pt: .*reduced_dim")
        self.assertRegex(console, r"wae-sampler~: live mode \(outside\) with .*model-22050\.pt")
        # The point 1.5 0 0 0 lies outside the grid: z = (3, 0, 0, 0) in the model's ranges.
        want = m.forward(torch.tensor([[3.0, 0.0, 0.0, 0.0]]))[0].numpy() * self.bank.taper
        x = a["rec"]
        onset = int(np.argmax(x != 0)) - int(np.argmax(want != 0))
        self.assertGreaterEqual(onset, 0, "live voice never played")
        np.testing.assert_allclose(x[onset:onset + LENGTH], want, rtol=0, atol=1e-6)




def cents(f, ref):
    return 1200 * np.log2(f / ref)


def energy_near(x, sr, hz, cents_wide=50):
    """The fraction of x's energy (Hann-windowed power spectrum) within +-cents_wide of hz."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / sr)
    near = np.abs(1200 * np.log2(np.maximum(freqs, 1e-9) / hz)) <= cents_wide
    return spectrum[near].sum() / spectrum.sum()


class PitchedBankTest(unittest.TestCase):
    """A version 2 bank with each point's exact f0 (write_analytic_model --f0): 3 points per
    axis, 1.5 s waveforms. Along axis 1 (axes 2-4 at -1: a pure sine of amplitude 0.2) the
    grid points are 110, 185 and 311 Hz."""
    N = 32768

    @classmethod
    def setUpClass(cls):
        cls.bank_path = make_bank("pitched.h5", length=cls.N, pitch=True)
        cls.bank = Bank(cls.bank_path)
        with h5py.File(cls.bank_path, "r") as f:
            cls.f0 = f["f0"][()].reshape(cls.bank.shape)
            cls.version = int(f.attrs["format_version"])

    def test_the_bank_is_version_2_with_pitch(self):
        self.assertEqual(self.version, 2)
        self.assertAlmostEqual(float(self.f0[0, 0, 0, 0]), 110.0, places=3)
        self.assertAlmostEqual(float(self.f0[1, 0, 0, 0]), 110 * 8 ** 0.25, places=2)
        self.assertAlmostEqual(float(self.f0[2, 0, 0, 0]), 110 * 8 ** 0.5, places=2)

    def test_half_way_between_two_pitches_plays_one_pitch_at_their_geometric_mean(self):
        # Half way between the 185 and 311 Hz grid points; then, 2 s later, the same point
        # after `align 0`: the plain crossfade of both pitches, for contrast.
        actions = [(None, "0.5 -1 -1 -1"), (1900, "align 0"), (2000, "0.5 -1 -1 -1")]
        frames = int(3.6 * SR)
        console, a = pd(sampler_case("pitched.h5", frames, actions), name="halfway")
        self.assertEqual(errors(console), [])
        lo, hi = float(self.f0[1, 0, 0, 0]), float(self.f0[2, 0, 0, 0])
        mean = np.sqrt(lo * hi)
        rec = a["rec"].astype(np.float64)
        # The aligned voice reads its 185 Hz corner fastest (at mean / 185), so it lasts
        # N * 185 / mean frames; measured well inside them.
        aligned = rec[500:int(self.N * lo / mean) - 500]
        f = frequency(aligned, SR)
        print(f"half way: played {f:.3f} Hz, geometric mean {mean:.3f} Hz ({cents(f, mean):+.3f} "
              f"cents), {100 * energy_near(aligned, SR, mean):.2f}% of the energy within 50 cents; "
              f"align 0: {100 * energy_near(rec[round(2.0 * SR) + 500:], SR, mean):.2f}%",
              file=sys.stderr)
        self.assertLess(abs(cents(f, mean)), 20, f"played {f:.2f} Hz, geometric mean {mean:.2f} Hz")
        self.assertGreaterEqual(energy_near(aligned, SR, f), 0.90)
        self.assertGreaterEqual(energy_near(aligned, SR, mean), 0.90)
        # The plain blend: half of the energy at each corner's pitch, little in between.
        start = round(2.0 * SR)
        plain = rec[start + 500:start + self.N - 500]
        self.assertLess(energy_near(plain, SR, mean), 0.1)
        self.assertGreater(energy_near(plain, SR, lo), 0.4)
        self.assertGreater(energy_near(plain, SR, hi), 0.4)

    def test_align_0_plays_the_plain_quadrilinear_blend(self):
        point = (-0.3, -0.6, 0.2, 0.4)
        console, a = pd(sampler_case("pitched.h5", self.N, [(None, "align 0"),
                                                            (None, " ".join(map(str, point)))]),
                        name="align0")
        self.assertEqual(errors(console), [])
        np.testing.assert_allclose(a["rec"], self.bank.blend(point), rtol=0, atol=1e-6)

    def test_note_plays_the_asked_midi_pitch_within_5_cents(self):
        # A grid point (185 Hz), a point half way between pitches and a point in a cell
        # whose corners span four pitches and carry the second harmonic, each asked for a
        # MIDI pitch, 1.5 s apart.
        cases = [("0 -1 -1 -1", 60), ("-0.5 -1 -1 -1", 64.5), ("0.3 0.45 -0.2 0.5", 69)]
        actions = [(None if k == 0 else 1500 * k, f"note {midi} {point}")
                   for k, (point, midi) in enumerate(cases)]
        frames = int(4.4 * SR)
        console, a = pd(sampler_case("pitched.h5", frames, actions), name="notes")
        self.assertEqual(errors(console), [])
        rec = a["rec"].astype(np.float64)
        for k, (point, midi) in enumerate(cases):
            start = round(1.5 * k * SR)
            # No corner is read faster than 2x here, so every voice lasts beyond 8000 frames.
            x = rec[start + 300:start + 8000]
            want = 440 * 2 ** ((midi - 69) / 12)
            f = frequency(x, SR)
            print(f"note {midi} at {point}: {f:.3f} Hz, asked {want:.3f} Hz "
                  f"({cents(f, want):+.3f} cents)", file=sys.stderr)
            self.assertLess(abs(cents(f, want)), 5, f"note {midi} at {point}: {f:.3f} Hz, want {want:.3f}")

    def test_scale_plays_each_trigger_at_the_nearest_pitch_of_the_scale(self):
        # Half way between 185 and 311 Hz (239.9 Hz, MIDI 58.49): C major gives B3, an
        # octave up B4; chromatic the nearest semitone A#3; `scale` alone the point's own
        # pitch again. Then the messages `info` reports and bad arguments.
        cases = [("scale 0 2 4 5 7 9 11", "0.5 -1 -1 -1", 59), (None, "0.5 -1 -1 -1 1 12", 71),
                 ("scale 0 1 2 3 4 5 6 7 8 9 10 11", "0.5 -1 -1 -1", 58),
                 ("scale", "0.5 -1 -1 -1", None)]
        # 2.5 s apart: an aligned voice lasts until its slowest corner ends (up to 1.93 s).
        actions = []
        for k, (scale, trigger, _) in enumerate(cases):
            if scale:
                actions.append((None if k == 0 else 2500 * k - 10, scale))
            actions.append((None if k == 0 else 2500 * k, trigger))
        actions += [(10100, "scale 0 4 7"), (10100, "info"), (10100, "scale 12"),
                    (10100, "scale 1.5"), (10100, "scale major")]
        frames = int(10.2 * SR)
        console, a = pd(sampler_case("pitched.h5", frames, actions), name="scale")
        errs = errors(console)
        self.assertEqual(len(errs), 3, errs)
        for e in errs:
            self.assertRegex(e, r"wae-sampler~: scale: expected pitch classes 0..11")
        self.assertIn("info: scale 0 4 7", console)
        lo, hi = float(self.f0[1, 0, 0, 0]), float(self.f0[2, 0, 0, 0])
        rec = a["rec"].astype(np.float64)
        for k, (scale, trigger, midi) in enumerate(cases):
            want = 440 * 2 ** ((midi - 69) / 12) if midi is not None else np.sqrt(lo * hi)
            start = round(2.5 * k * SR)
            x = rec[start + 300:start + 8000]
            f = frequency(x, SR)
            print(f"{scale or 'same scale'}, {trigger}: {f:.3f} Hz, want {want:.3f} Hz "
                  f"({cents(f, want):+.3f} cents)", file=sys.stderr)
            self.assertLess(abs(cents(f, want)), 5, f"{trigger}: {f:.3f} Hz, want {want:.3f}")
            self.assertGreaterEqual(energy_near(x, SR, want), 0.90)


class NoisePartBankTest(unittest.TestCase):
    """Version 3: the analytic model's tone (110, 185, 311 Hz along axis 1, as PitchedBankTest)
    with a 3000 Hz part of half its amplitude that no point moves, kept apart as the noise
    part, against a version 2 bank of the same model's whole waveforms (--whole)."""
    N = 32768

    @classmethod
    def setUpClass(cls):
        make_bank("parts.h5", length=cls.N, pitch=True, parts=0.5, storage="int16")
        make_bank("parts_whole.h5", length=cls.N, pitch=True, parts=0.5, storage="int16",
                  whole=True)
        with h5py.File(os.path.join(WORK, "parts.h5"), "r") as f:
            cls.version = int(f.attrs["format_version"])
            cls.f0 = f["f0"][()].reshape(tuple(int(g) for g in f.attrs["grid_shape"]))

    def test_half_way_the_tone_aligns_and_the_noise_part_stays_where_it_is(self):
        self.assertEqual(self.version, 4)  # int16: noise parts, pitch and per-point scales
        lo, hi = float(self.f0[1, 0, 0, 0]), float(self.f0[2, 0, 0, 0])
        mean = np.sqrt(lo * hi)
        shares = {}
        for bank in ("parts.h5", "parts_whole.h5"):
            console, a = pd(sampler_case(bank, int(1.6 * SR), [(None, "0.5 -1 -1 -1")]),
                            name=bank[:-3])
            self.assertEqual(errors(console), [])
            self.assertEqual("harmonic and noise parts" in console, bank == "parts.h5", console)
            rec = a["rec"].astype(np.float64)[500:int(self.N * lo / mean) - 500]
            shares[bank] = (energy_near(rec, SR, mean), energy_near(rec, SR, 3000, 5))
            print(f"{bank}: {100 * shares[bank][0]:.2f}% of the energy within 50 cents of "
                  f"{mean:.2f} Hz, {100 * shares[bank][1]:.2f}% within 5 cents of 3000 Hz",
                  file=sys.stderr)
        # Amplitudes 0.2 (the tone at the bottom of axis 3) and 0.1: 80% and 20% of the energy.
        self.assertGreaterEqual(shares["parts.h5"][0], 0.75)
        self.assertGreaterEqual(shares["parts.h5"][1], 0.18)
        # Whole waveforms read aligned move the 3000 Hz part with each corner's rate.
        self.assertGreaterEqual(shares["parts_whole.h5"][0], 0.75)
        self.assertLess(shares["parts_whole.h5"][1], 0.01)


class Version1BankTest(unittest.TestCase):
    """A bank without pitch (bake_bank --no-pitch) loads and plays the plain blend as before
    version 2: the other tests here use such a bank throughout."""

    def test_version_1_bank_has_no_pitch_and_plays_the_plain_blend(self):
        path = make_bank("v1.h5")
        with h5py.File(path, "r") as f:
            self.assertEqual(int(f.attrs["format_version"]), 1)
            self.assertNotIn("f0", f)
            self.assertNotIn("f0_source", f.attrs)
        bank = Bank(path)
        point = (-0.5, -1, -1, -1)  # half way between two pitches: both sound
        console, a = pd(sampler_case("v1.h5", LENGTH, [(None, "info"), (None, "-0.5 -1 -1 -1")]),
                        name="v1")
        self.assertEqual(errors(console), [])
        np.testing.assert_allclose(a["rec"], bank.blend(point), rtol=0, atol=1e-6)

if __name__ == "__main__":
    pyunit.main()

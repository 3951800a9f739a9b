"""The control patches (patches/) inside real Pd: the walk against its formula (regular
polygons, polyrhythms, jitter on the circle, seeds), a rendered walk driving wae-sampler~
with one onset per tick at the exact sample, MIDI-style notes, the WAV recorder, presets
saved and recalled, parameter clipping, and the whole explorer run headless.

usage: patch_test.py EXTERNAL_DIR PATCHES_DIR WRITE_ANALYTIC_MODEL BAKE_BANK
Banks come from the analytic test model, so every expected sample is known (the bank's
own waveforms, blended here with h5py and numpy).
"""
import math
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np
import soundfile

EXTERNAL_DIR, PATCHES, WRITE_MODEL, BAKE_BANK = (os.path.abspath(a) for a in sys.argv[1:5])
sys.path.insert(0, PATCHES)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_patches  # noqa: E402
import pyunit  # noqa: E402
from pdcheck import Bank, errors, frequency, pd_command, run_pd  # noqa: E402
from pdfile import Canvas  # noqa: E402
from projections import add_projections  # noqa: E402

WORK = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
SR = 22050
LENGTH = 4096
RANDOM_RANGE = make_patches.RANDOM_RANGE


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_bank(name, grid=3, projections=0, pitch=False):
    """A bank of the analytic model: by default version 1 (--no-pitch), whose blends are the
    plain quadrilinear ones computed here; pitch=True: version 2 with the model's exact f0."""
    model = os.path.join(WORK, "model-f0.pt" if pitch else "model.pt")
    if not os.path.exists(model):
        run([WRITE_MODEL, "--out", model, "--length", str(LENGTH)] + (["--f0"] if pitch else []))
    out = os.path.join(WORK, name)
    run([BAKE_BANK, "--model", model, "--grid", str(grid), "--out", out]
        + ([] if pitch else ["--no-pitch"]))
    if projections:
        add_projections(out, projections)
    return out


def pd(canvas, name, realtime=False):
    """Runs a harness patch (see run_pd); realtime=True for writesf~'s disk thread."""
    return run_pd(canvas, WORK, name, SR, [EXTERNAL_DIR, PATCHES], realtime)


def messages(settings):
    """'; wae x1 0.3; wae start 1' from [("x1", 0.3), ("start", 1)] (or strings)."""
    parts = [s if isinstance(s, str) else f"{s[0]} {s[1]:g}" for s in settings]
    return "; " + "; ".join("wae " + p for p in parts)


def printed_points(console, label="point"):
    return [tuple(float(v) for v in m.group(1).split())
            for m in re.finditer(rf"^{label}: (.*)$", console, re.M)]


def printed_state(console, after=None):
    """The parameters dumped by [s wae-dump] (printed as 'state: ...') after the marker."""
    if after is not None:
        console = console[console.index(after):]
    state = {}
    for m in re.finditer(r"^state: (?:list )?(\w+) (\S+)$", console, re.M):
        state[m.group(1)] = float(m.group(2))
    return state


class PdRandom:
    """Pd vanilla's [random N] with `seed`, as wae-circle.pd documents it."""

    def __init__(self, seed):
        self.state = int(seed) % 2**32

    def next(self, n):
        self.state = (self.state * 472940017 + 832416023) % 2**32
        return min(int(n * self.state / 2**32), n - 1)


def expected_walk(p, ticks):
    """The walk's formula (patches/wae-circle.pd, docs/PATCH.md), in float64."""
    gens = [PdRandom(2 * p["seed"]), PdRandom(2 * p["seed"] + 1)]
    out = []
    for k in range(ticks):
        point = []
        for c in (1, 2):
            s = int(p[f"s{c}"])
            j = k % s
            u = gens[c - 1].next(RANDOM_RANGE) / (RANDOM_RANGE / 2) - 1
            theta = 2 * math.pi * j / s + p[f"r{c}"] * math.pi * u
            point += [p[f"x{c}"] + p[f"d{c}"] / 2 * math.cos(theta),
                      p[f"y{c}"] + p[f"d{c}"] / 2 * math.sin(theta)]
        out.append(tuple(point))
    return out


def walk_harness(params, ticks, restart=False):
    """[wae-walk] with `params`, started; prints each tick's point and quits after `ticks`
    (with restart: stops after `ticks`, starts again and quits after 2 x ticks)."""
    c = Canvas()
    c.obj(10, 10, "wae-walk")
    lb = c.obj(10, 40, "loadbang")
    setup = c.msg(10, 70, messages(list(params.items()) + ["start 1"]))
    c.connect(lb, setup)
    point = c.obj(10, 100, "r wae-point")
    c.connect(point, c.obj(10, 130, "print point"))
    tick = c.obj(200, 100, "t b")
    c.connect(point, tick)
    count = c.obj(200, 130, "f")
    inc = c.obj(240, 130, "+ 1")
    c.connect(tick, count)
    c.connect(count, inc)
    c.connect(inc, count, 0, 1)
    done = c.obj(200, 160, f"sel {ticks} {2 * ticks}")
    c.connect(inc, done)
    stop = c.msg(200, 190, "; wae start 0")
    quit_ = c.msg(350, 190, "; pd quit")
    c.connect(done, quit_, 1)
    if restart:
        halfway = c.obj(200, 220, "t b b")
        c.connect(done, halfway, 0)
        c.connect(halfway, stop, 1)
        again = c.obj(200, 250, "delay 1")  # out of the tick's own message chain
        c.connect(halfway, again, 0)
        c.connect(again, c.msg(200, 280, "; wae start 1"))
    else:
        c.connect(done, quit_, 0)
    return c


def timed_harness(bank, settings, events, frames, print_points=True):
    """[wae-walk] loading `bank` with `settings`; once loaded (+50 ms, so the gain ramp is
    over), at a DSP block boundary, starts recording its output into array `rec` and sends
    each (delay_ms, message) of `events`; writes rec.wav after `frames` frames and quits.
    Both sit in [pd engine], cleared before quitting: freeing [writesf~] waits for its
    thread to finish the file, which a quit would not."""
    c = Canvas()
    c.connect(c.obj(10, 10, "loadbang"), c.msg(10, 40, "; pd dsp 1"))
    _, engine = c.subpatch(10, 70, "engine")
    walk = engine.obj(10, 10, "wae-walk")
    rec = engine.obj(10, 40, "tabwrite~ rec")
    engine.connect(walk, rec)
    engine.connect(engine.obj(100, 10, "r harness-rec"), rec)
    c.obj(10, 100, f"table rec {frames}")
    rec = c.obj(10, 130, "s harness-rec")
    lb = c.obj(200, 10, "loadbang")
    c.connect(lb, c.msg(200, 40, messages([f"bank {bank}"] + list(settings))))
    if print_points:
        c.connect(c.obj(400, 10, "r wae-point"), c.obj(400, 40, "print point"))
    info = c.obj(10, 160, "r wae-info")
    route = c.obj(10, 190, "route loaded failed")
    c.connect(info, route)
    c.connect(route, c.msg(200, 190, "; pd quit"), 1)
    once = c.obj(10, 220, "spigot 1")
    c.connect(route, once, 0)
    t = c.obj(10, 250, "t b b")
    c.connect(once, t)
    close_once = c.msg(100, 280, "0")
    c.connect(t, close_once, 1)
    c.connect(close_once, once, 0, 1)
    settle = c.obj(10, 280, "delay 50")
    c.connect(t, settle, 0)
    arm = c.msg(10, 310, "1")
    c.connect(settle, arm)
    gate = c.obj(10, 370, "spigot 0")
    c.connect(c.obj(10, 340, "bang~"), gate)
    c.connect(arm, gate, 0, 1)
    begin = c.obj(10, 400, "t b b")
    c.connect(gate, begin)
    disarm = c.msg(100, 430, "0")
    c.connect(begin, disarm, 1)
    c.connect(disarm, gate, 0, 1)
    c.connect(begin, rec, 1)
    for delay_ms, message in events:
        m = c.msg(300, 430, "; wae " + message)
        if delay_ms == 0:
            c.connect(begin, m, 1)
        else:
            d = c.obj(300, 400, f"delay {delay_ms}")
            c.connect(begin, d, 1)
            c.connect(d, m)
    done = c.obj(10, 460, f"delay {1000.0 * frames / SR + 20:g}")
    c.connect(begin, done, 0)
    finish = c.obj(10, 490, "t b b b")
    c.connect(done, finish)
    c.connect(finish, c.msg(200, 520, "; pd-engine clear"), 2)
    write = c.msg(100, 520, "write -wave -bytes 4 rec.wav rec")
    c.connect(finish, write, 1)
    c.connect(write, c.obj(100, 550, "soundfiler"))
    c.connect(finish, c.msg(10, 550, "; pd quit"), 0)
    return c


def onset_sample(time_ms):
    """The sample whose span holds an event at time_ms after a block boundary (as vline~
    and wae-sampler~ place it)."""
    return int(math.floor(time_ms * SR / 1000 + 1e-6))


REGULAR = dict(x1=0.1, y1=-0.2, x2=-0.35, y2=0.25, d1=0.8, d2=1.6, r1=0, r2=0, s1=5, s2=7,
               bpm=600, div=4, seed=9)


class WalkTest(unittest.TestCase):
    def test_regular_walk_follows_the_formula_and_the_polyrhythm(self):
        ticks = 80
        console, _ = pd(walk_harness(REGULAR, ticks), "regular")
        self.assertEqual(errors(console), [])
        got = printed_points(console)
        self.assertEqual(len(got), ticks)
        want = expected_walk(REGULAR, ticks)
        np.testing.assert_allclose(got, want, rtol=0, atol=2e-5)
        # Step 0 is angle 0 on both circles: (x + d/2, y).
        np.testing.assert_allclose(got[0], (0.5, -0.2, 0.45, 0.25), atol=1e-6)
        # s1 = 5 against s2 = 7: circle 1 repeats every 5 ticks, circle 2 every 7, the pair
        # every 35 and never sooner.
        for k in range(ticks - 35):
            self.assertEqual(got[k][:2], got[k + 5][:2])
            self.assertEqual(got[k][2:], got[k + 7][2:])
            self.assertEqual(got[k], got[k + 35])
        for period in range(1, 35):
            self.assertNotEqual(got[:10], got[period:period + 10], period)
        # A point outside -1..1 is sent as it is (wae-sampler~ clamps it).
        self.assertLess(min(p[2] for p in got), -1.05)

    def test_jittered_walk_stays_on_its_circles_and_follows_the_seed(self):
        params = dict(REGULAR, r1=0.3, r2=1, s1=6, s2=4, seed=5)
        ticks = 300
        console, _ = pd(walk_harness(params, ticks, restart=True), "jitter")
        self.assertEqual(errors(console), [])
        got = printed_points(console)
        self.assertEqual(len(got), 2 * ticks)
        first, second = got[:ticks], got[ticks:]
        # start resets and reseeds: the same walk again.
        self.assertEqual(first, second)
        np.testing.assert_allclose(first, expected_walk(params, ticks), rtol=0, atol=2e-5)
        for c in (1, 2):
            s, r = params[f"s{c}"], params[f"r{c}"]
            x, y = params[f"x{c}"], params[f"y{c}"]
            for k, p in enumerate(first):
                px, py = p[2 * c - 2], p[2 * c - 1]
                self.assertAlmostEqual(math.hypot(px - x, py - y), params[f"d{c}"] / 2,
                                       delta=1e-4)
                base = 2 * math.pi * (k % s) / s
                off = (math.atan2(py - y, px - x) - base + math.pi) % (2 * math.pi) - math.pi
                self.assertLessEqual(abs(off), r * math.pi + 1e-4)
        # r1 = 0.3: jittered, not the polygon; r2 = 1: anywhere, about evenly.
        offsets = [abs((math.atan2(p[1] - params["y1"], p[0] - params["x1"])
                        - 2 * math.pi * (k % 6) / 6 + math.pi) % (2 * math.pi) - math.pi)
                   for k, p in enumerate(first)]
        self.assertGreater(max(offsets), 0.2 * math.pi)
        quadrants = np.bincount([int(((math.atan2(p[3] - params["y2"], p[2] - params["x2"])
                                       + 2 * math.pi) % (2 * math.pi)) // (math.pi / 2))
                                 for p in first], minlength=4)
        self.assertTrue(all(45 <= q <= 105 for q in quadrants), quadrants)

        console6, _ = pd(walk_harness(dict(params, seed=6), ticks), "seed6")
        other = printed_points(console6)
        self.assertEqual(len(other), ticks)
        differ = sum(a != b for a, b in zip(first, other))
        self.assertGreater(differ, 0.9 * ticks)
        np.testing.assert_allclose(other, expected_walk(dict(params, seed=6), ticks), atol=2e-5)

        console5, _ = pd(walk_harness(params, ticks), "seed5again")
        self.assertEqual(printed_points(console5), first)


class RenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bank_path = make_bank("bank.h5")
        cls.bank = Bank(cls.bank_path)

    def test_rendered_walk_has_one_onset_per_tick_at_the_exact_sample_and_notes_play(self):
        # bpm 97, 2 ticks per beat: a tick every 309.278 ms = 6819.6 samples, longer than a
        # waveform (4096 samples): every onset stands alone.
        params = dict(REGULAR, bpm=97, div=2, gain=0.5, root=60)
        period_ms = float(np.float32(60000 / (97 * 2)))
        frames = int(3.8 * SR)
        events = [(0, "start 1"), (3000, "start 0"), (3101, "note 60 64"), (3401, "note 67 127")]
        console, a = pd(timed_harness(self.bank_path, params.items(), events, frames), "render")
        self.assertEqual(errors(console), [])
        rec = a["rec"].astype(np.float64)
        self.assertEqual(len(rec), frames)
        self.assertGreater(np.abs(rec).max(), 0.05)
        ticks = [k for k in range(20) if k * period_ms < 3000]
        self.assertEqual(len(ticks), 10)
        points = printed_points(console)
        self.assertEqual(len(points), len(ticks))
        want_points = expected_walk(params, len(ticks))
        np.testing.assert_allclose(points, want_points, atol=2e-5)

        want = np.zeros(frames)
        onsets = []
        for k in ticks:
            exact = k * period_ms * SR / 1000
            if k:
                self.assertGreater(abs(exact - round(exact)), 0.01, "onset on a sample boundary")
            o = onset_sample(k * period_ms)
            onsets.append(o)
            want[o:o + LENGTH] += 0.5 * self.bank.blend(want_points[k])
        # note 60 64: the last point played, gain 64/127, no transposition.
        o60 = onset_sample(3101)
        want[o60:o60 + LENGTH] += 0.5 * 64 / 127 * self.bank.blend(want_points[-1])
        o67 = onset_sample(3401)
        np.testing.assert_allclose(rec[:o67], want[:o67], rtol=0, atol=2e-5)
        # One onset per tick, at its sample: silence before, sin(0) = 0 at it, sound after.
        for o in onsets + [o60]:
            self.assertEqual(rec[o], 0.0)
            self.assertNotEqual(rec[o + 1], 0.0)
            if o > 0:
                self.assertEqual(rec[o - 1], 0.0)
        starts = np.flatnonzero((rec[1:] != 0) & (rec[:-1] == 0)) + 1
        self.assertEqual(list(starts), [o + 1 for o in onsets] + [o60 + 1, o67 + 1])
        # note 67 127: 7 semitones above the root, full velocity.
        played = rec[o67:o67 + LENGTH]
        self.assertGreater(np.abs(played).max(), 0.1)
        ratio = frequency(played[50:2500], SR) / frequency(self.bank.blend(want_points[-1]), SR)
        self.assertAlmostEqual(ratio, 2 ** (7 / 12), delta=0.01)

    def test_midi_notes_play_the_current_point_in_tune_on_a_bank_with_pitch(self):
        # The walk plays a few ticks and stops; then MIDI-style notes (the `note` message the
        # patch's [notein] path shares) play the last point at their own pitch: note 67 at
        # 392 Hz, note 55 at 196 Hz, whatever the point's pitch, within 5 cents. Root 62 plays
        # everything two semitones down.
        pitched = make_bank("pitched.h5", pitch=True)
        params = dict(REGULAR, bpm=97, div=2, gain=0.5, root=60)
        events = [(0, "start 1"), (700, "start 0"), (1000, "note 67 100"), (1400, "note 55 127"),
                  (1700, "root 62"), (1800, "note 67 127")]
        frames = int(2.2 * SR)
        console, a = pd(timed_harness(pitched, params.items(), events, frames), "midi_in_tune")
        self.assertEqual(errors(console), [])
        rec = a["rec"].astype(np.float64)
        for at_ms, midi in [(1000, 67), (1400, 55), (1800, 65)]:
            o = onset_sample(at_ms)
            played = rec[o + 50:o + 2500]
            self.assertGreater(np.abs(played).max(), 0.05)
            want = 440 * 2 ** ((midi - 69) / 12)
            # Below 1.5x: the points' second harmonic may be as loud as their fundamental.
            f = frequency(played, SR, max_hz=1.5 * want)
            print(f"patch note {midi}: {f:.3f} Hz, asked {want:.3f} Hz "
                  f"({1200 * np.log2(f / want):+.3f} cents)", file=sys.stderr)
            self.assertLess(abs(1200 * np.log2(f / want)), 5, f"note {midi}: {f:.3f} Hz, want {want:.3f}")

    def test_scale_keeps_the_walk_in_the_scale_on_a_bank_with_pitch(self):
        # The same walk twice: as it is, some ticks fall between the pitches of C major;
        # after `scale 0 2 4 5 7 9 11` every tick plays a pitch of C major (within 5 cents).
        pitched = make_bank("pitched.h5", pitch=True)
        params = dict(REGULAR, bpm=97, div=2, gain=0.5, root=60)
        c_major = np.array([m for m in range(24, 109) if m % 12 in (0, 2, 4, 5, 7, 9, 11)])
        frames = int(1.6 * SR)
        worst = {}
        for scale in [None, "scale 0 2 4 5 7 9 11"]:
            events = ([(0, scale)] if scale else []) + [(0, "start 1"), (1500, "start 0")]
            console, a = pd(timed_harness(pitched, params.items(), events, frames),
                            "scale" if scale else "no_scale")
            self.assertEqual(errors(console), [])
            rec = a["rec"].astype(np.float64)
            period_ms = 60000 / (97 * 2)
            off = []
            for k in range(5):
                o = onset_sample(k * period_ms)
                f = frequency(rec[o + 50:o + 2500], SR)
                midi = 69 + 12 * np.log2(f / 440)
                off.append(100 * np.min(np.abs(c_major - midi)))
            print(f"{scale or 'no scale'}: cents from C major per tick "
                  + " ".join(f"{c:.1f}" for c in off), file=sys.stderr)
            worst[scale] = max(off)
        self.assertGreater(worst[None], 10)
        self.assertLess(worst["scale 0 2 4 5 7 9 11"], 5)

    def test_recorder_writes_what_the_patch_plays(self):
        wav = os.path.join(WORK, "recorded.wav")
        params = list(dict(REGULAR, bpm=97, div=2, gain=0.5).items()) + [f"recfile {wav}"]
        events = [(0, "start 1"), (0, "record 1"), (1000, "record 0")]
        # In real time, so that writesf~'s disk thread has the 0.5 s between the stop and the
        # end to write the file out (in batch mode that is no real time at all).
        console, a = pd(timed_harness(self.bank_path, params, events, int(1.5 * SR),
                                      print_points=False), "record", realtime=True)
        self.assertEqual(errors(console), [])
        recorded, rate = soundfile.read(wav, dtype="float32")
        info = soundfile.info(wav)
        self.assertEqual((rate, info.subtype), (SR, "FLOAT"))
        # Whole blocks, from the start to the last block computed before the stop.
        self.assertEqual(len(recorded) % 64, 0)
        self.assertEqual(len(recorded), SR // 64 * 64)  # the stop comes within block 345
        np.testing.assert_array_equal(recorded, a["rec"][:len(recorded)])
        self.assertGreater(np.abs(recorded).max(), 0.05)


A = dict(x1=0.25, y1=-0.5, x2=0.75, y2=-0.125, d1=1.5, d2=0.25, r1=0.5, r2=0.75, s1=3,
         s2=11, bpm=133, div=3, seed=4242)
B = dict(x1=-0.9, y1=0.9, x2=0, y2=0, d1=0.1, d2=3, r1=0, r2=0.1, s1=17, s2=2, bpm=60,
         div=1, seed=7)


def state_harness(actions):
    """[wae-walk]; at load sends `actions`, then dumps the parameters after a marker."""
    c = Canvas()
    c.obj(10, 10, "wae-walk")
    c.connect(c.obj(10, 40, "r wae-collect"), c.obj(10, 70, "print state"))
    c.connect(c.obj(200, 40, "r wae-mark"), c.obj(200, 70, "print mark"))
    lb = c.obj(10, 100, "loadbang")
    t = c.obj(10, 130, "t b b")
    c.connect(lb, t)
    c.connect(t, c.msg(100, 160, messages(actions)), 1)
    c.connect(t, c.msg(10, 190, "; wae-mark bang; wae-dump bang; pd quit"), 0)
    return c


class PresetTest(unittest.TestCase):
    def test_a_saved_preset_restores_every_parameter_and_survives_a_file(self):
        self.assertEqual(sorted(A), sorted(make_patches.PRESET_PARAMS))
        path = os.path.join(WORK, "presets.txt")
        console, _ = pd(state_harness(list(A.items()) + ["preset save 3", f"preset write {path}"]
                                      + list(B.items()) + ["preset recall 3"]), "preset")
        self.assertEqual(errors(console), [])
        self.assertEqual(printed_state(console, after="mark:"), A)
        with open(path) as f:
            lines = f.read().splitlines()
        slots = [int(line.split()[0]) for line in lines]
        self.assertIn(3, slots)
        self.assertEqual(len(slots), len(set(slots)))
        # Saving into a slot again replaces it.
        console, _ = pd(state_harness([f"preset read {path}"] + list(B.items())
                                      + ["preset save 3"] + list(A.items())
                                      + ["preset recall 3"]), "resave")
        self.assertEqual(printed_state(console, after="mark:"), B)
        # Another Pd: read the file, recall.
        console, _ = pd(state_harness([f"preset read {path}", "preset recall 3"]), "reload")
        self.assertEqual(errors(console), [])
        self.assertEqual(printed_state(console, after="mark:"), A)

    def test_shipped_presets_load_with_the_patch(self):
        slot, values = make_patches.PRESETS[5]
        console, _ = pd(state_harness([f"preset recall {slot}", "preset recall 99"]), "shipped")
        self.assertEqual(printed_state(console, after="mark:"),
                         {k: float(v) for k, v in values.items()})
        self.assertIn("wae: no preset numbered: 99", console)

    def test_parameters_are_clipped_rounded_and_bad_messages_reported(self):
        console, _ = pd(state_harness(["x1 5", "r1 -2", "s1 3.6", "div 0", "bpm 97.5",
                                       "seed 12.2", "bogus 1", "x2 foo"]), "clip")
        state = printed_state(console, after="mark:")
        self.assertEqual((state["x1"], state["r1"], state["s1"], state["div"], state["bpm"],
                          state["seed"]), (1, 0, 4, 1, 97.5, 12))
        self.assertIn("wae: unknown message: bogus 1", console)
        self.assertRegex(console, r"wae: x2 expects a number - got: (symbol )?foo")


class ExplorerTest(unittest.TestCase):
    def explore(self, bank, name):
        """The whole wae-explorer (GUI objects, planes, legend) headless, walking a second."""
        c = Canvas()
        c.obj(10, 10, "wae-explorer")
        lb = c.obj(10, 40, "loadbang")
        c.connect(lb, c.msg(10, 70, messages([f"bank {bank}", "bpm 600", "div 4"])))
        route = c.obj(10, 100, "route loaded failed")
        c.connect(c.obj(10, 130, "r wae-info"), route)
        c.connect(c.obj(200, 130, "r wae-info"), c.obj(200, 160, "print info"))
        c.connect(route, c.msg(200, 100, "; pd quit"), 1)
        loaded = c.obj(100, 160, "t b")  # route passes the path on
        c.connect(route, loaded, 0)
        go = c.obj(10, 160, "delay 50")
        c.connect(loaded, go)
        c.connect(go, c.msg(10, 190, "; wae start 1"))
        done = c.obj(100, 190, "delay 1000")
        c.connect(go, done)
        c.connect(done, c.msg(100, 220, "; wae start 0; wae-plane-dump bang; pd quit"))
        c.connect(c.obj(300, 10, "r wae-point"), c.obj(300, 40, "print point"))
        c.connect(c.obj(500, 10, "r wae-plane-state"), c.obj(500, 40, "print shown"))
        return pd(c, name)

    def test_explorer_runs_headless_and_draws_the_walk_and_the_dataset(self):
        for name, n in (("plain", 0), ("projected", 3000)):
            bank = make_bank(f"explore-{name}.h5", projections=n)
            console, _ = self.explore(bank, name)
            self.assertEqual(errors(console), [], name)
            self.assertIn(f"info: loaded {bank}", console)
            self.assertNotIn(make_patches.DEFAULT_BANK, console)  # the harness named a bank
            self.assertIn(f"info: points {n}", console)
            points = printed_points(console)
            self.assertGreaterEqual(len(points), 30)
            shown = [line.split()[1:] for line in console.splitlines()
                     if line.startswith("shown: ")]
            dots = {p: [tuple(float(v) for v in s[2:]) for s in shown if s[:2] == ["dot", p]]
                    for p in ("1", "2")}
            curs = {s[1]: tuple(float(v) for v in s[2:]) for s in shown if s[0] == "cur"}
            # The current point of each plane is the last point played, in its two axes.
            np.testing.assert_allclose(curs["1"], points[-1][:2], atol=1e-6)
            np.testing.assert_allclose(curs["2"], points[-1][2:], atol=1e-6)
            if not n:
                self.assertEqual(dots, {"1": [], "2": []})
                continue
            # Every k-th sound (k = 2 for 3000 > 2500), in the bank's normalised coordinates,
            # on the plane's edge when outside, coloured by family.
            with h5py.File(bank, "r") as f:
                lo = np.array([f[f"axis{d + 1}"][0] for d in range(4)])
                hi = np.array([f[f"axis{d + 1}"][-1] for d in range(4)])
                where = f["projections/points"][()].astype(np.float64)
                family = f["projections/family"][()]
            normalised = np.clip(2 * (where - lo) / (hi - lo) - 1, -1, 1)[::2]
            colours = np.array([make_patches.PALETTE[c if c >= 0 else -1] for c in family[::2]])
            self.assertGreater(np.sum(np.abs(2 * (where - lo) / (hi - lo) - 1) > 1), 10)
            for plane, axes in (("1", [0, 1]), ("2", [2, 3])):
                got = np.array(dots[plane])
                self.assertEqual(got.shape, (1500, 3))
                np.testing.assert_allclose(got[:, :2], normalised[:, axes], atol=2e-6)
                np.testing.assert_array_equal(got[:, 2], colours)


def osc_message(address, value):
    """An OSC 1.0 message with one float32 argument."""
    def padded(b):
        b += b"\0"
        return b + b"\0" * (-len(b) % 4)
    return padded(address.encode()) + padded(b",f") + struct.pack(">f", value)


class OscTest(unittest.TestCase):
    def test_osc_messages_drive_the_parameters(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        c = Canvas()
        c.obj(10, 10, "wae-explorer")
        c.connect(c.obj(10, 40, "r wae-collect"), c.obj(10, 70, "print state"))
        lb = c.obj(10, 100, "loadbang")
        t = c.obj(10, 130, "t b b")
        c.connect(lb, t)
        c.connect(t, c.msg(10, 160, f"; wae-osc-port {port}; wae-osc-on 1"), 1)
        # Real time: once "ready" is printed, the test sends datagrams for 0.5 s; Pd listens
        # for 2 s.
        c.connect(t, c.obj(10, 190, "print ready"), 0)
        done = c.obj(200, 160, "delay 2000")
        c.connect(t, done, 0)
        c.connect(done, c.msg(200, 190, "; wae-mark bang; wae-dump bang; pd quit"))
        c.connect(c.obj(400, 10, "r wae-mark"), c.obj(400, 40, "print mark"))
        folder = tempfile.mkdtemp(dir=WORK, prefix="osc-")
        path = os.path.join(folder, "osc.pd")
        c.write(path)
        proc = subprocess.Popen(
            pd_command(path, SR, [EXTERNAL_DIR, PATCHES], realtime=True, timeout_s=30),
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        console = ""
        for line in proc.stdout:
            console += line
            if line.startswith("ready:"):
                break
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
            for _ in range(5):
                for name, value in (("x1", 0.375), ("s2", 5), ("bpm", 77)):
                    out.sendto(osc_message(f"/wae/{name}", value), ("127.0.0.1", port))
                out.sendto(osc_message("/other/x1", -1), ("127.0.0.1", port))
                time.sleep(0.1)
        rest, _ = proc.communicate(timeout=40)
        console += rest
        self.assertEqual(proc.returncode, 0, console)
        # No bank named: the explorer tried its default one (absent here).
        missing = f"error: wae-sampler~: {make_patches.DEFAULT_BANK}: no such file"
        self.assertEqual([e for e in errors(console) if "priority" not in e and e != missing],
                         [])
        state = printed_state(console, after="mark:")
        self.assertEqual((state["x1"], state["s2"], state["bpm"]), (0.375, 5, 77))


class GeneratedTest(unittest.TestCase):
    def test_patch_files_match_make_patches(self):
        for name, text in make_patches.outputs().items():
            with open(os.path.join(PATCHES, name)) as f:
                self.assertEqual(f.read(), text, f"{name}: run patches/make_patches.py")

    def test_make_patches_command_writes_every_file(self):
        """The generator's command line: `make_patches.py FOLDER` writes exactly the files
        outputs() gives, and nothing else, into FOLDER."""
        folder = tempfile.mkdtemp(dir=WORK)
        subprocess.run(["/usr/bin/python3", os.path.join(PATCHES, "make_patches.py"), folder],
                       check=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        expected = make_patches.outputs()
        self.assertEqual(sorted(os.listdir(folder)), sorted(expected))
        for name, text in expected.items():
            with open(os.path.join(folder, name)) as f:
                self.assertEqual(f.read(), text, name)


if __name__ == "__main__":
    pyunit.main()

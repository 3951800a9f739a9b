#!/usr/bin/python3
"""Writes the control patches of wae-sampler (docs/PATCH.md):

    wae-explorer.pd  the patch a musician opens: controls, the two planes, dac~
    wae-walk.pd      the engine, no GUI: parameters, clock, two circles, MIDI, presets,
                     wae-sampler~, gain, recorder (what tests and other patches drive)
    wae-circle.pd    one circle of the walk (the formula is written in it)
    wae-param.pd     one parameter: clip, round, broadcast, GUI sync, preset dump
    wae-plane.pd     one plane of the visualisation (data structures, graph on parent)
    wae-legend.pd    the instrument families' colours
    wae-presets.txt  the shipped presets

The .pd files are generated: edit this script and run it (`/usr/bin/python3
patches/make_patches.py`); tests/patches checks that the files match it.

Every name the patches share is global and starts with `wae` (one engine per Pd process).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfile import Canvas  # noqa: E402

# -- the parameters ------------------------------------------------------------------------
# name, low, high, default, integer, in presets, what it is
PARAMS = [
    ("x1", -1, 1, 0, 0, 1, "centre of circle 1 on axis 1"),
    ("y1", -1, 1, 0, 0, 1, "centre of circle 1 on axis 2"),
    ("x2", -1, 1, 0, 0, 1, "centre of circle 2 on axis 3"),
    ("y2", -1, 1, 0, 0, 1, "centre of circle 2 on axis 4"),
    ("d1", 0, 4, 1.2, 0, 1, "diameter of circle 1"),
    ("d2", 0, 4, 0.8, 0, 1, "diameter of circle 2"),
    ("r1", 0, 1, 0, 0, 1, "randomness of circle 1 (0: regular polygon, 1: anywhere)"),
    ("r2", 0, 1, 0, 0, 1, "randomness of circle 2"),
    ("s1", 1, 64, 8, 1, 1, "steps once around circle 1"),
    ("s2", 1, 64, 6, 1, 1, "steps once around circle 2"),
    ("bpm", 1, 1000, 120, 0, 1, "tempo in beats per minute"),
    ("div", 1, 16, 2, 1, 1, "ticks per beat"),
    ("seed", 0, 1000000, 1, 1, 1, "seed of the random generators"),
    ("gain", 0, 1, 0.5, 0, 0, "output gain (linear)"),
    ("root", 0, 127, 60, 1, 0, "MIDI note that plays untransposed"),
    ("start", 0, 1, 0, 1, 0, "1 starts the walk from step 0, 0 stops it"),
    ("record", 0, 1, 0, 1, 0, "1 starts recording to the record file, 0 stops"),
]
PARAM = {p[0]: p for p in PARAMS}
PRESET_PARAMS = [p[0] for p in PARAMS if p[5]]

# Other messages to [s wae] (not parameters).
MESSAGES = ["reset", "step", "bank", "reload", "info", "recfile", "preset", "note"]

DEFAULT_BANK = "../out/bank.h5"  # where bake_bank writes by default, from patches/
DEFAULT_RECORDING = "wae-recording.wav"
PRESET_FILE = "wae-presets.txt"
RANDOM_RANGE = 1000000  # [random] range; u = n / (RANDOM_RANGE / 2) - 1
PLANE_PIXELS = 300
MAX_DOTS = 2500  # dataset sounds drawn per plane at most (every k-th sound beyond)
RING_SEGMENTS = 64

# NSynth's instrument families, in NSynth's order, and their colours (Pd's 3-digit RGB, each
# digit 0..9); index 11 is for sounds without a family.
FAMILIES = ["bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed", "string",
            "synth_lead", "vocal"]
PALETTE = [944, 963, 883, 595, 579, 959, 599, 753, 769, 777, 396, 555]
PLANE_COLOURS = {1: 118, 2: 161}  # the polygon of circle 1 (blue), circle 2 (green)

# The shipped presets: slot, then the preset parameters.
PRESETS = [
    (0, dict(x1=0, y1=0, x2=0, y2=0, d1=1.2, d2=0.8, r1=0, r2=0, s1=8, s2=6, bpm=120, div=2,
             seed=1)),
    (1, dict(x1=-0.3, y1=0.2, x2=0.4, y2=-0.1, d1=1, d2=1.4, r1=0, r2=0, s1=3, s2=4, bpm=100,
             div=4, seed=1)),
    (2, dict(x1=0, y1=0, x2=0, y2=0, d1=1.6, d2=1.6, r1=0.15, r2=0.15, s1=5, s2=7, bpm=90,
             div=4, seed=7)),
    (3, dict(x1=0.2, y1=-0.2, x2=-0.3, y2=0.3, d1=0.6, d2=0.5, r1=1, r2=1, s1=16, s2=16,
             bpm=140, div=4, seed=42)),
    (4, dict(x1=0, y1=0, x2=0, y2=0, d1=2.8, d2=2.8, r1=0, r2=0, s1=12, s2=9, bpm=80, div=3,
             seed=1)),
    (5, dict(x1=-0.5, y1=-0.5, x2=0.5, y2=0.5, d1=0.3, d2=0.3, r1=0.5, r2=0.05, s1=2, s2=3,
             bpm=60, div=2, seed=3)),
]


def fmt(v):
    return f"{v:g}"


class Col:
    """Places boxes down a column (for logic whose layout only needs to be readable)."""

    def __init__(self, canvas, x, y, step=28):
        self.c, self.x, self.y, self.step = canvas, x, y, step

    def _next(self, dy=None):
        y = self.y
        self.y += dy if dy is not None else self.step
        return y

    def obj(self, text, dx=0, dy=None):
        return self.c.obj(self.x + dx, self._next(dy), text)

    def msg(self, text, dx=0, dy=None):
        return self.c.msg(self.x + dx, self._next(dy), text)

    def text(self, text, width=None, dy=None):
        return self.c.text(self.x, self._next(dy), text, width=width)


# -- wae-circle ----------------------------------------------------------------------------
CIRCLE_FORMULA = [
    "wae-circle: one circle of the walk. Arguments and messages: x y d r s seed.",
    "Each bang plays one step. With k the number of bangs since the last reset, the step "
    "index is j = k mod s (when s changes, j goes on from j mod s), and",
    "theta = 2 pi j / s + r pi u, point = (x + (d/2) cos theta, y + (d/2) sin theta),",
    f"where u = n / {RANDOM_RANGE // 2} - 1 (uniform in [-1, 1)) and n is the next output of "
    f"[random {RANDOM_RANGE}], seeded by seed. Pd's [random] is the LCG state = state * "
    "472940017 + 832416023 mod 2^32, n = floor(range * state / 2^32), and seed sets the state.",
    "r = 0: the regular s-gon starting at angle 0 (j = 0 plays (x + d/2, y)); r = 1: theta "
    "uniform over the whole circle; between the two, theta is jittered by up to r pi either "
    "side of the polygon's vertex.",
    "A number is drawn at every step whatever r is, so changing r does not shift the sequence; "
    "reset sets j to 0 and reseeds, so a walk started from the same parameters is the same "
    "walk. Points outside -1..1 are sent as they are: wae-sampler~ clamps each coordinate to "
    "the bank's edge.",
    "Outlets: the point (x y), and the step index j (right, before the point).",
]


def make_circle():
    c = Canvas(920, 660)
    y = 10
    for line in CIRCLE_FORMULA:
        c.text(10, y, line, width=110)
        y += 16 * (1 + len(line) // 105) + 6
    top = y + 10
    inlet = c.obj(10, top, "inlet")
    route = c.obj(10, top + 40, "route bang x y d r s seed reset")
    c.connect(inlet, route)

    # Creation arguments are the defaults (for use on its own).
    lb = c.obj(560, top, "loadbang")
    init = c.msg(560, top + 30, "x $1, y $2, d $3, r $4, s $5, seed $6, reset")
    args = c.obj(560, top + 60, "list $1 $2 $3 $4 $5 $6")
    # [list] with missing creation arguments gets 0s: s = 0 becomes 1 below.
    c.connect(lb, args)
    c.connect(args, init)
    c.connect(init, route)

    step = c.obj(10, top + 100, "t b b")
    c.connect(route, step, 0)
    rnd = c.obj(10, top + 330, f"random {RANDOM_RANGE}")
    c.connect(step, rnd, 0)
    expr = c.obj(10, top + 380,
                 "expr $f2+$f4/2*cos(6.283185307*$f6/$f7+$f5*3.141592654*($f1/500000-1)); "
                 "$f3+$f4/2*sin(6.283185307*$f6/$f7+$f5*3.141592654*($f1/500000-1))")
    c.connect(rnd, expr)
    pack = c.obj(10, top + 420, "pack f f")
    c.connect(expr, pack, 0, 0)
    c.connect(expr, pack, 1, 1)
    out = c.obj(10, top + 450, "outlet")
    c.connect(pack, out)
    for i, name in enumerate(["x", "y", "d", "r"]):
        c.connect(route, expr, 1 + i, 1 + i)

    # The step index: j played now, then (j + 1) mod s for the next step.
    j = c.obj(130, top + 160, "f")
    c.connect(step, j, 1)
    jmod = c.obj(130, top + 190, "mod 1")
    c.connect(j, jmod)
    jt = c.obj(130, top + 220, "t f f")
    c.connect(jmod, jt)
    inc = c.obj(230, top + 250, "+ 1")
    c.connect(jt, inc, 1)
    nextj = c.obj(230, top + 280, "mod 1")
    c.connect(inc, nextj)
    c.connect(nextj, j, 0, 1)
    c.connect(jt, expr, 0, 5)
    jout = c.obj(400, top + 450, "outlet")
    c.connect(jt, jout, 0)

    s = c.obj(330, top + 100, "expr max(1, int($f1+0.5))")
    c.connect(route, s, 5)
    st = c.obj(330, top + 130, "t f f f")
    c.connect(s, st)
    c.connect(st, expr, 0, 6)
    c.connect(st, jmod, 1, 1)
    c.connect(st, nextj, 2, 1)

    seed = c.obj(560, top + 100, "t f f")
    c.connect(route, seed, 6)
    seedf = c.obj(560, top + 160, "f")
    c.connect(seed, seedf, 1, 1)
    seedmsg = c.msg(560, top + 280, "seed $1")
    c.connect(seed, seedmsg, 0)
    c.connect(seedf, seedmsg)
    c.connect(seedmsg, rnd)

    reset = c.obj(680, top + 100, "t b b")
    c.connect(route, reset, 7)
    zero = c.msg(730, top + 130, "0")
    c.connect(reset, zero, 1)
    c.connect(zero, j, 0, 1)
    c.connect(reset, seedf, 0)
    return c


# -- wae-param -----------------------------------------------------------------------------
def make_param():
    c = Canvas(720, 520)
    c.text(10, 10, "wae-param NAME LOW HIGH DEFAULT INTEGER PRESET: one parameter of the walk. "
           "Input: [s wae-NAME-in] (the GUI and [s wae] send there); a bang re-sends the value. "
           "The value is clipped to LOW..HIGH, rounded if INTEGER, then sent to [s wae-NAME] "
           "and, as 'set', to [s wae-NAME-set] (the GUI controls, which do not send it back). "
           "If PRESET, a bang on [s wae-dump] sends 'NAME value' to [s wae-collect] "
           "(how presets are saved).", width=95)
    col = Col(c, 10, 120)
    r = col.obj("r wae-$1-in")
    route = col.obj("route bang float")
    c.connect(r, route)
    lb = c.obj(200, 120, "loadbang")
    default = c.obj(200, 148, "f $4")
    c.connect(lb, default)
    clip = c.obj(10, 200, "clip $2 $3")
    c.connect(route, clip, 1)
    c.connect(default, clip)
    rnd = c.obj(10, 230, "expr if($5, floor($f1+0.5), $f1)")
    c.connect(clip, rnd)
    t = c.obj(10, 260, "t f f f")
    c.connect(rnd, t)
    store = c.obj(200, 300, "f")
    c.connect(t, store, 2, 1)
    setmsg = c.msg(100, 300, "set $1")
    c.connect(t, setmsg, 1)
    c.connect(setmsg, c.obj(100, 330, "s wae-$1-set"))
    c.connect(t, c.obj(10, 330, "s wae-$1"), 0)
    again = c.obj(330, 200, "f")
    c.connect(route, again, 0)
    c.connect(t, again, 2, 1)
    c.connect(again, c.obj(330, 230, "s wae-$1"))
    bad = c.obj(420, 148, "print wae: $1 expects a number - got")
    c.connect(route, bad, 2)

    dump = c.obj(200, 360, "r wae-dump")
    gate = c.obj(200, 390, "spigot $6")
    c.connect(dump, gate)
    c.connect(gate, store)
    named = c.obj(200, 420, "list prepend $1")
    c.connect(store, named)
    c.connect(named, c.obj(200, 450, "s wae-collect"))
    return c


# -- wae-walk ------------------------------------------------------------------------------
def make_walk():
    c = Canvas(1180, 860)
    c.text(10, 10, "wae-walk: the engine of wae-explorer, with no GUI. Everything is driven by "
           "messages to [s wae] (see [pd messages] and docs/PATCH.md). Left outlet: the sound "
           "(after gain); right outlet: the 4 floats played at each tick (also sent to "
           "[s wae-point]). The sampler's answers go to [s wae-info].", width=150)

    # Finds wae-sampler~ in the workspace's Bazel output when opened from patches/.
    c.declare("-path ../bazel-bin/pd")
    c.obj(900, 10, "declare -path ../bazel-bin/pd")

    # Circles first: their loadbang (creation-argument defaults) runs before the parameters'.
    circle1 = c.obj(20, 430, "wae-circle 0 0 1.2 0 8 2")
    circle2 = c.obj(260, 430, "wae-circle 0 0 0.8 0 6 3")

    _, params = c.subpatch(20, 60, "params", 560, 620)
    params.text(10, 10, "name low high default integer in-presets", width=60)
    for i, (name, lo, hi, default, integer, preset, _) in enumerate(PARAMS):
        params.obj(10, 40 + 30 * i,
                   f"wae-param {name} {fmt(lo)} {fmt(hi)} {fmt(default)} {integer} {preset}")

    _, msgs = c.subpatch(20, 90, "messages", 760, 700)
    y = 10
    msgs.text(10, y, "Messages to [s wae] (one receiver: [r wae]; unknown messages are "
              "reported on the console):", width=100)
    y += 30
    for name, lo, hi, default, integer, preset, what in PARAMS:
        kind = "integer" if integer else "number"
        msgs.text(10, y, f"{name} <{kind} {fmt(lo)}..{fmt(hi)}, default {fmt(default)}>: "
                  f"{what}{' (in presets)' if preset else ''}", width=100)
        y += 22
    for text in [
        "reset: back to step 0 and reseed (start does it too)",
        "step: one step now (as a tick)",
        "bank <file>: load a bank (relative to patches/ or absolute)",
        "reload: load the same bank file again",
        "info: the sampler prints its bank and voices",
        f"recfile <file.wav>: where record writes (default {DEFAULT_RECORDING} in patches/)",
        "preset save <n> / recall <n> / write [file] / read [file]",
        "note <pitch> <velocity>: play the current point (as a MIDI note)",
        "Broadcast: [r wae-NAME] each parameter's value, [r wae-point] each tick's 4 floats, "
        "[r wae-info] the sampler's answers, [r wae-j1] [r wae-j2] the step indices, "
        "[r wae-tick-ms] the tick period, [r wae-bank-set] [r wae-status-set] "
        "[r wae-recfile-set] for GUI atoms.",
    ]:
        msgs.text(10, y, text, width=100)
        y += 22 if len(text) < 100 else 44

    # -- the router --
    col = Col(c, 620, 60)
    r = col.obj("r wae")
    names = [p[0] for p in PARAMS]
    route1 = c.obj(620, 90, "route " + " ".join(names))
    c.connect(r, route1)
    for i, name in enumerate(names):
        c.connect(route1, c.obj(620 + (i % 6) * 90, 120 + 26 * (i // 6), f"s wae-{name}-in"), i)
    route2 = c.obj(620, 210, "route " + " ".join(MESSAGES))
    c.connect(route1, route2, len(names))
    unknown = c.obj(620, 800, "print wae: unknown message")
    c.connect(route2, unknown, len(MESSAGES))
    out = {m: i for i, m in enumerate(MESSAGES)}

    # -- circles' parameters --
    for circle, index in ((circle1, 1), (circle2, 2)):
        x0 = 20 + 240 * (index - 1)
        for k, p in enumerate(["x", "y", "d", "r", "s"]):
            rr = c.obj(x0 + (k % 3) * 70, 250 + 26 * (k // 3), f"r wae-{p}{index}")
            m = c.msg(x0 + (k % 3) * 70, 310 + 26 * (k // 3), f"{p} $1")
            c.connect(rr, m)
            c.connect(m, circle)
    rseed = c.obj(20, 370, "r wae-seed")
    seeds = c.obj(20, 396, "expr 2*$f1; 2*$f1+1")
    c.connect(rseed, seeds)
    s1msg = c.msg(180, 370, "seed $1")
    s2msg = c.msg(260, 370, "seed $1")
    c.connect(seeds, s1msg, 0)
    c.connect(seeds, s2msg, 1)
    c.connect(s1msg, circle1)
    c.connect(s2msg, circle2)

    # -- clock --
    rbpm = c.obj(500, 250, "r wae-bpm")
    rdiv = c.obj(580, 250, "r wae-div")
    tdiv = c.obj(580, 276, "t b f")
    c.connect(rdiv, tdiv)
    tempo = c.obj(500, 302, "pack 120 2")
    c.connect(rbpm, tempo)
    c.connect(tdiv, tempo, 1, 1)
    c.connect(tdiv, tempo, 0, 0)
    period = c.obj(500, 328, "expr 60000/($f1*$f2)")
    c.connect(tempo, period)
    c.connect(period, c.obj(640, 354, "s wae-tick-ms"))
    metro = c.obj(500, 380, "metro 250")
    c.connect(period, metro, 0, 1)
    rstart = c.obj(400, 250, "r wae-start")
    sel = c.obj(400, 276, "sel 0")
    c.connect(rstart, sel)
    stop = c.msg(400, 302, "stop")
    c.connect(sel, stop, 0)
    c.connect(stop, metro)
    go = c.obj(440, 328, "t b b")
    c.connect(sel, go, 1)
    c.connect(go, metro, 0)
    resetmsg = c.msg(440, 354, "reset")
    c.connect(go, resetmsg, 1)
    c.connect(route2, resetmsg, out["reset"])
    c.connect(resetmsg, circle1)
    c.connect(resetmsg, circle2)

    tick = c.obj(20, 460 + 20, "t b b")
    c.connect(metro, tick)
    c.connect(route2, tick, out["step"])
    # Circle 2 first: its coordinates go to the cold inlets of the pack.
    c.connect(tick, circle2, 1)
    c.connect(tick, circle1, 0)
    u1 = c.obj(20, 520, "unpack f f")
    u2 = c.obj(260, 520, "unpack f f")
    c.connect(circle1, u1)
    c.connect(circle2, u2)
    c.connect(circle1, c.obj(120, 520, "s wae-j1"), 1)
    c.connect(circle2, c.obj(360, 520, "s wae-j2"), 1)
    point = c.obj(20, 550, "pack f f f f")
    c.connect(u1, point, 0, 0)
    c.connect(u1, point, 1, 1)
    c.connect(u2, point, 0, 2)
    c.connect(u2, point, 1, 3)
    tp = c.obj(20, 580, "t l l l")
    c.connect(point, tp)
    current = c.obj(260, 640, "list store 0 0 0 0")
    c.connect(tp, current, 2, 1)
    c.connect(tp, c.obj(140, 610, "s wae-point"), 1)
    c.connect(tp, c.obj(360, 820, "outlet"), 1)
    gate = c.obj(20, 700, "spigot")
    c.connect(tp, gate, 0)

    # -- MIDI and note messages: the current point, velocity as gain, note - root as
    # transposition --
    notein = c.obj(120, 640, "notein")
    strip = c.obj(120, 666, "stripnote")
    c.connect(notein, strip, 0, 0)
    c.connect(notein, strip, 1, 1)
    notemsg = c.obj(200, 640, "unpack f f")
    c.connect(route2, notemsg, out["note"])
    c.connect(notemsg, strip, 0, 0)
    c.connect(notemsg, strip, 1, 1)
    notepack = c.obj(120, 692, "pack f f")
    c.connect(strip, notepack, 0, 0)
    c.connect(strip, notepack, 1, 1)
    c.connect(notepack, c.obj(330, 692, "s wae-note"))
    rroot = c.obj(400, 640, "r wae-root")
    noteexpr = c.obj(120, 718, "expr $f2/127; $f1-$f3")
    c.connect(notepack, noteexpr)
    c.connect(rroot, noteexpr, 0, 2)
    gt = c.obj(120, 744, "pack f f")
    c.connect(noteexpr, gt, 0, 0)
    c.connect(noteexpr, gt, 1, 1)
    tn = c.obj(120, 770, "t l b")
    c.connect(gt, tn)
    c.connect(tn, current, 1, 0)
    withpoint = c.obj(260, 770, "list prepend")
    c.connect(current, withpoint, 0, 1)
    c.connect(tn, withpoint, 0, 0)
    c.connect(withpoint, gate)

    # -- the sampler --
    sampler = c.obj(20, 800, "wae-sampler~")
    c.connect(gate, sampler)
    gain = c.obj(160, 800, "r wae-gain")
    ramp = c.obj(160, 826, "pack f 10")
    c.connect(gain, ramp)
    line = c.obj(160, 852, "line~")
    c.connect(ramp, line)
    amp = c.obj(20, 880, "*~")
    c.connect(sampler, amp)
    c.connect(line, amp, 0, 1)
    c.connect(amp, c.obj(20, 910, "outlet~"))
    c.connect(sampler, c.obj(260, 830, "s wae-info"), 1)

    # Bank: open, remember, show.
    openb = c.obj(800, 250, "list prepend open")
    c.connect(route2, openb, out["bank"])
    tb = c.obj(800, 276, "list trim")
    c.connect(openb, tb)
    c.connect(tb, sampler)
    bankname = c.obj(960, 250, "list split 1")  # the path alone, for the GUI
    c.connect(route2, bankname, out["bank"])
    banksym = c.msg(960, 276, "set $1")
    c.connect(bankname, banksym)
    c.connect(banksym, c.obj(960, 302, "s wae-bank-set"))
    loadingmsg = c.msg(1060, 276, "set loading")
    c.connect(route2, loadingmsg, out["bank"])
    c.connect(route2, loadingmsg, out["reload"])
    status = c.obj(1060, 330, "s wae-status-set")
    c.connect(loadingmsg, status)
    reload_ = c.msg(800, 302, "reload")
    c.connect(route2, reload_, out["reload"])
    c.connect(reload_, sampler)
    info = c.msg(880, 302, "info")
    c.connect(route2, info, out["info"])
    c.connect(info, sampler)
    answers = c.obj(800, 360, "route loaded failed")
    c.connect(sampler, answers, 1)
    loaded = c.obj(800, 386, "t b b")
    c.connect(answers, loaded, 0)
    okmsg = c.msg(940, 412, "set loaded")
    c.connect(loaded, okmsg, 1)
    c.connect(okmsg, status)
    # The engine makes a loaded bank current at its next DSP block: after that block, open
    # the trigger gate and ask for the dataset's sounds (every load redraws them).
    arm = c.msg(800, 412, "1")
    c.connect(loaded, arm, 0)
    block = c.obj(700, 412, "bang~")
    after = c.obj(700, 440, "spigot")
    c.connect(block, after)
    c.connect(arm, after, 0, 1)
    ta = c.obj(700, 466, "t b b b")
    c.connect(after, ta)
    disarm = c.msg(840, 492, "0")
    c.connect(ta, disarm, 2)
    c.connect(disarm, after, 0, 1)
    one = c.msg(770, 492, "1")
    c.connect(ta, one, 1)
    c.connect(one, gate, 0, 1)
    points = c.msg(700, 492, "points")
    c.connect(ta, points, 0)
    c.connect(points, sampler)
    failmsg = c.msg(1040, 412, "set failed")
    c.connect(answers, failmsg, 1)
    c.connect(failmsg, status)

    # -- recorder --
    rrec = c.obj(620, 500, "r wae-record")
    recsel = c.obj(620, 526, "sel 0 1")
    c.connect(rrec, recsel)
    recstop = c.msg(620, 552, "stop")
    c.connect(recsel, recstop, 0)
    recfile = c.obj(800, 500, "symbol " + DEFAULT_RECORDING)
    c.connect(route2, recfile, out["recfile"])
    recfile_t = c.obj(800, 526, "t s s")
    c.connect(recfile, recfile_t)
    recfile_f = c.obj(800, 578, "symbol")
    c.connect(recfile_t, recfile_f, 1, 1)
    recset = c.msg(900, 552, "set $1")
    c.connect(recfile_t, recset, 0)
    c.connect(recset, c.obj(900, 578, "s wae-recfile-set"))
    c.connect(recsel, recfile_f, 1)
    recopen = c.msg(740, 604, "open -bytes 4 $1, start")
    c.connect(recfile_f, recopen)
    writer = c.obj(620, 640, "writesf~ 1 1048576")
    c.connect(recstop, writer)
    c.connect(recopen, writer)
    c.connect(amp, writer)
    lbrec = c.obj(980, 500, "loadbang")
    c.connect(lbrec, recfile)

    # -- presets --
    text = c.obj(860, 680, "text define wae-presets")
    lbp = c.obj(860, 650, "loadbang")
    readdef = c.msg(960, 650, "read " + PRESET_FILE)
    c.connect(lbp, readdef)
    c.connect(readdef, text)
    pr = c.obj(620, 680, "route save recall write read")
    c.connect(route2, pr, out["preset"])
    # save n: drop slot n's line if there is one, collect the parameters, append the line.
    save = c.obj(620, 710, "t b b f")
    c.connect(pr, save, 0)
    find = c.obj(760, 736, "text search wae-presets 0")
    c.connect(save, find, 2)
    found = c.obj(760, 762, "moses 0")
    c.connect(find, found)
    c.connect(found, c.obj(820, 788, "text delete wae-presets"), 1)
    slot = c.obj(620, 840, "list prepend")
    c.connect(save, slot, 2, 1)
    collect = c.obj(700, 762, "t b b")
    c.connect(save, collect, 1)
    store = c.obj(620, 814, "list store")
    empty = c.msg(740, 788, "list")
    c.connect(collect, empty, 1)
    c.connect(empty, store, 0, 1)
    dump = c.obj(700, 788, "s wae-dump")
    c.connect(collect, dump, 0)
    rcoll = c.obj(940, 736, "r wae-collect")
    app = c.obj(940, 762, "list prepend append")
    c.connect(rcoll, app)
    appt = c.obj(940, 788, "list trim")
    c.connect(app, appt)
    c.connect(appt, store)
    c.connect(save, store, 0)
    c.connect(store, slot)
    c.connect(slot, c.obj(620, 866, f"text insert wae-presets {10**6:g}"))
    # recall n: the line's pairs, each sent to [s wae].
    asked = c.obj(1000, 684, "t f f")
    c.connect(pr, asked, 1)
    slotf = c.obj(1120, 710, "f")
    c.connect(asked, slotf, 1, 1)
    recall = c.obj(1000, 710, "text search wae-presets 0")
    c.connect(asked, recall, 0)
    rfound = c.obj(1000, 736, "moses 0")
    c.connect(recall, rfound)
    missing = c.obj(1120, 736, "t b")
    c.connect(rfound, missing, 0)
    c.connect(missing, slotf)
    c.connect(slotf, c.obj(1120, 762, "print wae: no preset numbered"))
    get = c.obj(1060, 762, "text get wae-presets")
    c.connect(rfound, get, 1)
    drop = c.obj(1060, 788, "list split 1")
    c.connect(get, drop)
    pairs = c.obj(1060, 814, "list split 2")
    c.connect(drop, pairs, 1)
    again = c.obj(1160, 814, "t a")  # the rest goes round again
    c.connect(pairs, again, 1)
    c.connect(again, pairs)
    pt = c.obj(1060, 840, "list trim")
    c.connect(pairs, pt, 0)
    c.connect(pt, c.obj(1060, 866, "s wae"))
    # write/read, with the shipped file when no file is named.
    for k, verb, x in ((2, "write", 760), (3, "read", 900)):
        nofile = c.obj(x, 900, "route bang")
        c.connect(pr, nofile, k)
        default_file = c.obj(x, 926, "symbol " + PRESET_FILE)
        c.connect(nofile, default_file, 0)
        verbed = c.obj(x, 952, "list prepend " + verb)
        c.connect(default_file, verbed)
        c.connect(nofile, verbed, 1)
        trimmed = c.obj(x, 978, "list trim")
        c.connect(verbed, trimmed)
        c.connect(trimmed, text)
    return c


# -- the visualisation ---------------------------------------------------------------------
# Data structures (drawn by Pd itself): templates live in wae-explorer's [pd templates].
DOT = 0.012  # half-sides, in plane units (a plane is 2 units wide)
STEP = 0.02
CUR = 0.04


def square(h):
    return f"{-h:g} {-h:g} {h:g} {-h:g} {h:g} {h:g} {-h:g} {h:g}"


TEMPLATES = [
    ("wae-axes", "float x float y",
     ["drawpolygon -x 777 1 -1 0 1 0", "drawpolygon -x 777 1 0 -1 0 1"]),
    ("wae-dot", "float x float y float c float v",
     [f"filledpolygon -x -v v c c 0 {square(DOT)}"]),
    ("wae-xy", "float x float y", []),
    ("wae-step", "float x float y", [f"filledpolygon -x 0 0 1 {square(STEP)}"]),
    ("wae-ring", "float x float y float c array ring wae-xy array gon wae-step",
     ["plot -e 0 ring 666 1 0 0 1", "plot -e 0 gon c 2 0 0 1"]),
    ("wae-cur", "float x float y", [f"filledpolygon -x 900 0 2 {square(CUR)}"]),
    ("wae-label", "float x float y float c float v symbol name",
     ["filledpolygon -x -v v c c 0 0 0 10 0 10 10 0 10", "drawsymbol -v v name 16 -2 0"]),
]


def palette_table(c, x, y):
    """A per-instance table of the family colours: [tabread $0-pal] after this."""
    table = c.obj(x, y, f"table $0-pal {len(PALETTE)}")
    lb = c.obj(x, y + 26, "loadbang")
    values = c.msg(x, y + 52, "0 " + " ".join(str(v) for v in PALETTE))
    c.connect(lb, values)
    c.connect(values, c.obj(x, y + 78, "s $0-pal"))
    family = c.obj(x, y + 104, f"expr if($f1<0, {len(PALETTE) - 1}, $f1%{len(FAMILIES)})")
    read = c.obj(x, y + 130, "tabread $0-pal")
    c.connect(family, read)
    return table, family, read


def make_plane():
    """wae-plane INDEX OFFSET: plane INDEX (1 or 2) of the walk, drawing coordinates OFFSET+1
    and OFFSET+2 of the 4-D points. Graph on parent, x and y from -1 to 1."""
    c = Canvas(1200, 900)
    _, notes = c.subpatch(20, 320, "notes", 620, 260)
    notes.text(10, 10, "wae-plane INDEX OFFSET: one plane of wae-explorer (graph on parent: "
               "x from -1 to 1 rightwards, y from -1 to 1 upwards). Draws, as scalars of the "
               "templates in wae-explorer's [pd templates], in this order: the axes, the "
               f"dataset's sounds (a pool of {MAX_DOTS} dots made once, shown and hidden; "
               "every k-th sound when the bank has more), circle INDEX (grey) with its s-gon "
               "(the step positions: black squares), and the current point (red). Reads "
               "[r wae-xINDEX] [r wae-yINDEX] [r wae-dINDEX] [r wae-sINDEX], [r wae-point] "
               "(coordinates OFFSET+1 and OFFSET+2) and [r wae-info] (the points / point "
               "answers of wae-sampler~). No comments on this canvas: a graph on parent "
               "would show them.", width=85)
    c.obj(20, 360, "namecanvas $0-plane")

    # -- creation, in drawing order: axes, the pool of dots, the ring, the current point --
    lb = c.obj(20, 400, "loadbang")
    init = c.obj(20, 426, "t b b b b")
    c.connect(lb, init)
    name = c.obj(20, 460, "symbol $0-plane")
    c.connect(init, name, 3)
    head = c.msg(20, 486, "traverse $1, bang")
    c.connect(name, head)
    ptr = c.obj(20, 512, "pointer")
    c.connect(head, ptr)
    create = c.obj(160, 460, "t b b b b")
    c.connect(init, create, 2)
    axes = c.obj(160, 540, "append wae-axes x y")
    c.connect(ptr, axes, 0, 2)
    m = c.msg(160, 512, "0 0")
    c.connect(create, m, 3)
    c.connect(m, axes)
    pool = c.msg(300, 486, str(MAX_DOTS))
    c.connect(create, pool, 2)
    until = c.obj(300, 512, "until")
    c.connect(pool, until)
    m = c.msg(300, 538, "0 0 0 0")
    c.connect(until, m)
    dots = c.obj(300, 570, "append wae-dot x y c v")
    c.connect(m, dots)
    c.connect(axes, dots, 0, 4)
    colour = c.obj(460, 486, "f $1")
    c.connect(create, colour, 1)
    ringc = c.obj(460, 512, "expr if($f1==1, %d, %d)" % (PLANE_COLOURS[1], PLANE_COLOURS[2]))
    c.connect(colour, ringc)
    m = c.msg(460, 538, "0 0 $1")
    c.connect(ringc, m)
    ring = c.obj(460, 600, "append wae-ring x y c")
    c.connect(m, ring)
    c.connect(dots, ring, 0, 3)
    ringp = c.obj(460, 630, "pointer")
    c.connect(ring, ringp, 0, 1)
    m = c.msg(640, 600, "0 0")
    c.connect(create, m, 0)
    cur = c.obj(640, 630, "append wae-cur x y")
    c.connect(m, cur)
    c.connect(ring, cur, 0, 2)
    curp = c.obj(640, 660, "pointer")
    c.connect(cur, curp, 0, 1)
    ready = c.msg(160, 600, "1")  # opens the gates below
    c.connect(init, ready, 1)

    # -- the ring and the s-gon, redrawn when x, y, d or s change --
    values = {}
    for k, p in enumerate(["x", "y", "d", "s"]):
        r = c.obj(700 + 80 * k, 20, f"r wae-{p}$1")
        t = c.obj(700 + 80 * k, 46, "t b f")
        c.connect(r, t)
        values[p] = t
    s_int = c.obj(940, 72, "expr max(1, int($f1+0.5))")
    c.connect(values["s"], s_int, 1)
    changed = c.obj(700, 100, "spigot")
    c.connect(ready, changed, 0, 1)
    for t in values.values():
        c.connect(t, changed, 0)
    redraw = c.obj(700, 130, "t b b b")
    c.connect(changed, redraw)
    c.connect(init, redraw, 0)
    c.connect(redraw, ringp, 2)
    setsize_ring = c.obj(700, 190, "setsize wae-ring ring")
    setsize_gon = c.obj(940, 190, "setsize wae-ring gon")
    elem_ring = c.obj(700, 300, "element wae-ring ring")
    elem_gon = c.obj(940, 300, "element wae-ring gon")
    for o in (setsize_ring, setsize_gon, elem_ring, elem_gon):
        c.connect(ringp, o, 0, 1)
    sizes = c.obj(700, 160, "t b b")
    c.connect(redraw, sizes, 1)
    n_ring = c.msg(700, 190 - 26, str(RING_SEGMENTS + 1))
    c.connect(sizes, n_ring, 1)
    c.connect(n_ring, setsize_ring)
    s_f = c.obj(940, 130, "f 1")
    c.connect(s_int, s_f, 0, 1)
    n_gon = c.obj(940, 160, "+ 1")
    c.connect(sizes, s_f, 0)
    c.connect(s_f, n_gon)
    c.connect(n_gon, setsize_gon)
    fills = c.obj(700, 220, "t b b")
    c.connect(redraw, fills, 0)

    def loop(x, start, count, element, expr_text, set_text):
        """On a bang from start: for i in 0..count-1, element i gets the expression's x y."""
        t = c.obj(x, 246, "t b b")
        c.connect(start, t)
        zero = c.msg(x + 60, 272, "0")
        c.connect(t, zero, 1)
        c.connect(t, count, 0)
        u = c.obj(x, 300 + 26, "until")
        c.connect(count, u)
        i = c.obj(x, 352, "f")
        inc = c.obj(x + 40, 352, "+ 1")
        c.connect(u, i)
        c.connect(i, inc)
        c.connect(inc, i, 0, 1)
        c.connect(zero, i, 0, 1)
        ti = c.obj(x, 378, "t f f")
        c.connect(i, ti)
        c.connect(ti, element, 1)
        e = c.obj(x, 420, expr_text)
        c.connect(ti, e, 0)
        st = c.obj(x, 450, set_text)
        c.connect(element, st, 0, 2)
        c.connect(e, st, 0, 0)
        c.connect(e, st, 1, 1)
        return e

    ring_count = c.obj(760, 272, f"f {RING_SEGMENTS + 1}")
    gon_count = c.obj(1000, 272, "f 2")
    c.connect(n_gon, gon_count, 0, 1)
    ring_expr = loop(700, fills, ring_count, elem_ring,
                     f"expr $f2+$f4/2*cos(6.283185307*$f1/{RING_SEGMENTS}); "
                     f"$f3+$f4/2*sin(6.283185307*$f1/{RING_SEGMENTS})", "set wae-xy x y")
    # (fills' left outlet drives the ring, its right outlet the s-gon)
    gon_fill = c.obj(940, 220, "t b")
    c.connect(fills, gon_fill, 1)
    gon_expr = loop(940, gon_fill, gon_count, elem_gon,
                    "expr $f2+$f4/2*cos(6.283185307*$f1/max(1, $f5)); "
                    "$f3+$f4/2*sin(6.283185307*$f1/max(1, $f5))", "set wae-step x y")
    for e in (ring_expr, gon_expr):
        c.connect(values["x"], e, 1, 1)
        c.connect(values["y"], e, 1, 2)
        c.connect(values["d"], e, 1, 3)
    c.connect(s_int, gon_expr, 0, 4)

    # -- the current point --
    rp = c.obj(20, 700, "r wae-point")
    pg = c.obj(20, 726, "spigot")
    c.connect(rp, pg)
    c.connect(ready, pg, 0, 1)
    sp = c.obj(20, 752, "list split $2")
    c.connect(pg, sp)
    s2 = c.obj(20, 778, "list split 2")
    c.connect(sp, s2, 1)
    tl = c.obj(20, 804, "t l l")
    c.connect(s2, tl, 0)
    last = c.obj(120, 830, "list store 0 0")  # for redrawing the point on top
    c.connect(tl, last, 1, 1)
    move = c.obj(20, 856, "t l b")
    c.connect(tl, move, 0)
    up = c.obj(20, 882, "unpack f f")
    setcur = c.obj(20, 908, "set wae-cur x y")
    c.connect(move, curp, 1)
    c.connect(move, up, 0)
    c.connect(curp, setcur, 0, 2)
    c.connect(up, setcur, 0, 0)
    c.connect(up, setcur, 1, 1)
    c.connect(last, move)
    # Touching the ring and the point after the dots are redrawn keeps them on top.
    touch = c.obj(200, 830, "t b b")
    c.connect(touch, redraw, 0)
    c.connect(touch, last, 1)

    # -- the dataset's sounds: `points N`, then N times `point a1 a2 a3 a4 family` --
    info = c.obj(300, 700, "r wae-info")
    route = c.obj(300, 726, "route points point")
    c.connect(info, route)
    tpts = c.obj(300, 752, "t f f b b")
    c.connect(route, tpts, 0)
    fill_name = c.obj(300, 960, "symbol $0-plane")
    c.connect(tpts, fill_name, 3)
    fill_head = c.msg(300, 986, "traverse $1, next")  # at the axes: the pool follows
    c.connect(fill_name, fill_head)
    fill = c.obj(300, 1012, "pointer")
    c.connect(fill_head, fill)
    zero_counts = c.msg(420, 780, "0")
    c.connect(tpts, zero_counts, 2)
    stride = c.obj(620, 780, f"expr max(1, ceil($f1/{MAX_DOTS}))")
    c.connect(tpts, stride, 1)
    empty = c.obj(300, 780, "sel 0")
    c.connect(tpts, empty, 0)

    # Counters: index (of the sound), kept (dots shown). kept is mirrored where it is read.
    index = c.obj(420, 830, "f")
    index_inc = c.obj(460, 830, "+ 1")
    c.connect(zero_counts, index, 0, 1)
    c.connect(index_inc, index, 0, 1)
    kept = c.obj(520, 1040, "f")
    kept_inc = c.obj(560, 1040, "+ 1")
    c.connect(kept, kept_inc)
    c.connect(kept_inc, kept, 0, 1)
    c.connect(zero_counts, kept, 0, 1)
    keep = c.obj(420, 900, f"expr ($f1%$f2==0)&&($f3<{MAX_DOTS})")
    c.connect(stride, keep, 0, 1)
    c.connect(kept_inc, keep, 0, 2)
    c.connect(zero_counts, keep, 0, 2)
    kept_now = c.obj(300, 1100, "f")
    c.connect(kept_inc, kept_now, 0, 1)
    c.connect(zero_counts, kept_now, 0, 1)
    total = c.obj(760, 900, "f")
    c.connect(tpts, total, 1, 1)
    islast = c.obj(620, 900, "expr $f1==$f2-1")
    c.connect(total, islast, 0, 1)

    tpt = c.obj(420, 726, "t b l b")
    c.connect(route, tpt, 1)
    c.connect(tpt, index, 2)
    ti = c.obj(420, 856, "t f f f")
    c.connect(index, ti)
    c.connect(ti, index_inc, 2)
    c.connect(ti, islast, 1)
    c.connect(ti, keep, 0)
    lastf = c.obj(620, 926, "f")
    c.connect(islast, lastf, 0, 1)
    kgate = c.obj(420, 952, "spigot")
    c.connect(keep, kgate, 0, 1)
    c.connect(tpt, kgate, 1)
    tk = c.obj(420, 978, "t l b")
    c.connect(kgate, tk)
    # One dot: the next scalar of the pool, then its colour and coordinates (v is 1).
    nextmsg = c.msg(560, 1004, "next")
    c.connect(tk, nextmsg, 1)
    c.connect(tk, kept, 1)
    c.connect(nextmsg, fill)
    setdot = c.obj(420, 1160, "set wae-dot x y c v")
    c.connect(fill, setdot, 0, 4)
    c.connect(ready, setdot, 0, 3)
    byfamily = c.obj(420, 1004, "list split 4")
    c.connect(tk, byfamily, 0)
    _, family, colour_of = palette_table(c, 760, 960)
    c.connect(byfamily, family, 1)
    c.connect(colour_of, setdot, 0, 2)
    axes_of_plane = c.obj(420, 1030, "list split $2")
    c.connect(byfamily, axes_of_plane, 0)
    xy = c.obj(420, 1056, "list split 2")
    c.connect(axes_of_plane, xy, 1)
    uxy = c.obj(420, 1082, "unpack f f")
    c.connect(xy, uxy, 0)
    c.connect(uxy, setdot, 0, 0)
    c.connect(uxy, setdot, 1, 1)
    c.connect(tpt, lastf, 0)
    lastsel = c.obj(620, 952, "sel 1")
    c.connect(lastf, lastsel)

    # Finish: hide the rest of the pool, then put the ring and the point back on top.
    finish = c.obj(300, 1074, "t b b")
    c.connect(lastsel, finish)
    c.connect(empty, finish, 0)
    c.connect(finish, kept_now, 1)
    rest = c.obj(300, 1126, f"expr {MAX_DOTS}-$f1")
    c.connect(kept_now, rest)
    hide = c.obj(300, 1152, "until")
    c.connect(rest, hide)
    c.connect(fill, hide, 1, 1)  # the end of the list stops the loop
    ht = c.obj(300, 1178, "t b b")
    c.connect(hide, ht)
    hide_next = c.msg(340, 1204, "next")
    c.connect(ht, hide_next, 1)
    c.connect(hide_next, fill)
    zero = c.msg(300, 1230, "0")
    c.connect(ht, zero, 0)
    sethide = c.obj(300, 1256, "set wae-dot v")
    c.connect(fill, sethide, 0, 1)
    c.connect(zero, sethide)
    c.connect(finish, touch, 0)
    c.graph_on_parent(-1, 1, 1, -1, PLANE_PIXELS, PLANE_PIXELS)
    return c


LEGEND_SLOTS = 12
LEGEND_ROW = 18
LEGEND_SIZE = (180, LEGEND_SLOTS * LEGEND_ROW + 6)


def make_legend():
    """wae-legend: the instrument families of the bank's dataset sounds and their colours
    (graph on parent, pixel units). Reads [r wae-info]."""
    c = Canvas(900, 700)
    _, notes = c.subpatch(20, 260, "notes", 560, 160)
    notes.text(10, 10, "wae-legend: the bank's instrument families (`family i name` answers "
               "of wae-sampler~'s points message) with the colours wae-plane gives their "
               f"sounds. A pool of {LEGEND_SLOTS} labels (template wae-label), shown and "
               "hidden. No comments on this canvas: a graph on parent would show them.",
               width=75)
    c.obj(20, 300, "namecanvas $0-legend")
    lb = c.obj(20, 330, "loadbang")
    init = c.obj(20, 356, "t b b b")
    c.connect(lb, init)
    name = c.obj(20, 390, "symbol $0-legend")
    c.connect(init, name, 2)
    head = c.msg(20, 416, "traverse $1, bang")
    c.connect(name, head)
    ptr = c.obj(20, 442, "pointer")
    c.connect(head, ptr)
    n = c.msg(160, 390, str(LEGEND_SLOTS))
    c.connect(init, n, 1)
    u = c.obj(160, 416, "until")
    c.connect(n, u)
    z = c.msg(160, 442, "0 0 0 0")
    c.connect(u, z)
    app = c.obj(160, 470, "append wae-label x y c v")
    c.connect(z, app)
    c.connect(ptr, app, 0, 4)
    ready = c.msg(320, 390, "1")
    c.connect(init, ready, 0)

    info = c.obj(320, 300, "r wae-info")
    route = c.obj(320, 326, "route points family")
    c.connect(info, route)
    tp = c.obj(320, 352, "t f b")
    c.connect(route, tp, 0)
    # points N: hide every label, then start again from the first.
    hide = c.obj(420, 390, "t b b b")
    c.connect(tp, hide, 1)
    name2 = c.obj(420, 530, "symbol $0-legend")
    c.connect(hide, name2, 2)  # from the first label: hide them all
    c.connect(hide, name2, 0)  # then from the first again, to fill
    trav = c.msg(420, 556, "traverse $1")
    c.connect(name2, trav)
    fillp = c.obj(420, 582, "pointer")
    c.connect(trav, fillp)
    nh = c.msg(540, 416, str(LEGEND_SLOTS))
    c.connect(hide, nh, 1)
    uh = c.obj(540, 442, "until")
    c.connect(nh, uh)
    th = c.obj(540, 468, "t b b")
    c.connect(uh, th)
    nxt = c.msg(600, 494, "next")
    c.connect(th, nxt, 1)
    zero = c.msg(540, 494, "0")
    c.connect(th, zero, 0)
    c.connect(nxt, fillp)
    c.connect(fillp, uh, 1, 1)
    setv = c.obj(540, 520, "set wae-label v")
    c.connect(fillp, setv, 0, 1)
    c.connect(zero, setv)
    zk = c.msg(780, 416, "0")
    c.connect(hide, zk, 1)

    # family i name: the next label, if the name is not empty and a label is left.
    tf = c.obj(320, 640, "t l l")
    c.connect(route, tf, 1)
    nm = c.obj(460, 666, "unpack f s")
    c.connect(tf, nm, 1)
    chars = c.obj(460, 692, "list fromsymbol")
    c.connect(nm, chars, 1)
    length = c.obj(460, 718, "list length")
    c.connect(chars, length)
    ok = c.obj(460, 744, f"expr ($f1>0)&&($f2>0)&&($f3<{LEGEND_SLOTS})")
    c.connect(length, ok)
    c.connect(tp, ok, 0, 1)
    c.connect(zk, ok, 0, 2)
    gate = c.obj(320, 770, "spigot")
    c.connect(ok, gate, 0, 1)
    c.connect(tf, gate, 0)
    tl = c.obj(320, 796, "t l b")
    c.connect(gate, tl)
    tb = c.obj(420, 822, "t b b")
    c.connect(tl, tb, 1)
    nxt2 = c.msg(480, 848, "next")
    c.connect(tb, nxt2, 1)
    c.connect(nxt2, fillp)
    k = c.obj(420, 874, "f")
    kinc = c.obj(460, 874, "+ 1")
    c.connect(tb, k, 0)
    c.connect(k, kinc)
    c.connect(kinc, k, 0, 1)
    c.connect(zk, k, 0, 1)
    c.connect(kinc, ok, 0, 2)
    ypos = c.obj(420, 900, f"expr 4+{LEGEND_ROW}*$f1")
    c.connect(k, ypos)
    setl = c.obj(320, 1000, "set wae-label x y c v")
    sets = c.obj(600, 1000, "set -symbol wae-label name")
    c.connect(fillp, setl, 0, 4)
    c.connect(fillp, sets, 0, 1)
    c.connect(ready, setl, 0, 3)
    c.connect(ypos, setl, 0, 1)
    un = c.obj(320, 848, "unpack f s")
    c.connect(tl, un, 0)
    c.connect(un, sets, 1, 0)
    tfam = c.obj(320, 900, "t b f")
    c.connect(un, tfam, 0)
    _, family, colour = palette_table(c, 700, 700)
    c.connect(tfam, family, 1)
    c.connect(colour, setl, 0, 2)
    four = c.msg(320, 960, "4")
    c.connect(tfam, four, 0)
    c.connect(four, setl)
    c.graph_on_parent(0, 0, LEGEND_SIZE[0], LEGEND_SIZE[1], LEGEND_SIZE[0], LEGEND_SIZE[1])
    return c


# -- wae-explorer --------------------------------------------------------------------------
SECTION_BG = 0xeeeeee
CHAR_PX = 7  # DejaVu Sans Mono at Pd's font size 12 (10-point IEM labels are smaller)


def make_explorer():
    c = Canvas(1320, 680, font=12)
    # Backgrounds first: later boxes are drawn over them.
    sections = [(10, 56, 305, 150), (10, 216, 305, 92), (10, 318, 305, 82), (10, 410, 305, 60),
                (10, 480, 305, 92), (10, 582, 305, 56), (330, 56, 345, 200),
                (330, 266, 345, 200)]
    for x, y, w, h in sections:
        c.cnv(x, y, w, h, bg=SECTION_BG)
    c.text(10, 8, "wae-explorer: a walk through the latent space of wae-sampler~")
    c.text(10, 28, "circle 1 steps through axes 1-2 and circle 2 through axes 3-4 - each tick "
           "plays the 4 coordinates")

    def label_left(text, fs=12):
        return -(len(text) * CHAR_PX + 6)

    # -- transport --
    c.text(16, 58, "transport")
    c.tgl(20, 84, 18, send="wae-start-in", receive="wae-start-set", label="start", lx=22, ly=9,
          fs=12)
    c.bng(100, 84, 18, send="wae-reset-ui", label="reset", lx=22, ly=9, fs=12)
    c.bng(180, 84, 18, send="wae-step-ui", label="step", lx=22, ly=9, fs=12)
    c.tgl(250, 84, 18, send="wae-dsp", receive="wae-dsp-set", label="DSP", lx=22, ly=9, fs=12)
    c.floatatom(20, 114, 5, 1, 1000, "bpm", "wae-bpm-set", "wae-bpm-in", label_pos=1)
    c.floatatom(100, 114, 3, 1, 16, "ticks/beat", "wae-div-set", "wae-div-in", label_pos=1)
    c.floatatom(230, 114, 5, 0, 0, "ms", "wae-tick-ms", "", label_pos=1)
    c.hsl(60, 148, 120, 15, 0, 1, send="wae-gain-in", receive="wae-gain-set", label="gain",
          lx=label_left("gain"), ly=8, fs=12)
    c.floatatom(190, 146, 5, 0, 1, "", "wae-gain-set", "wae-gain-in")
    c.floatatom(20, 178, 7, 0, 1000000, "seed", "wae-seed-set", "wae-seed-in", label_pos=1)
    c.floatatom(140, 178, 3, 0, 0, "step1", "wae-j1", "", label_pos=1)
    c.floatatom(220, 178, 3, 0, 0, "step2", "wae-j2", "", label_pos=1)

    # -- bank --
    c.text(16, 218, "bank (made by bake_bank)")
    c.bng(20, 242, 18, send="wae-open-ui", label="open...", lx=22, ly=9, fs=12)
    c.bng(120, 242, 18, send="wae-reload-ui", label="reload", lx=22, ly=9, fs=12)
    c.symbolatom(220, 242, 9, "", "wae-status-set", "")
    c.symbolatom(20, 274, 40, "", "wae-bank-set", "")

    # -- record --
    c.text(16, 320, "record (32-bit float WAV)")
    c.tgl(20, 344, 18, send="wae-record-in", receive="wae-record-set", label="record", lx=22,
          ly=9, fs=12)
    c.bng(120, 344, 18, send="wae-recfile-ui", label="file...", lx=22, ly=9, fs=12)
    c.symbolatom(20, 372, 40, "", "wae-recfile-set", "")

    # -- MIDI --
    c.text(16, 412, "MIDI notes play the current point")
    c.floatatom(20, 438, 4, 0, 127, "root", "wae-root-set", "wae-root-in", label_pos=1)
    c.floatatom(110, 438, 4, 0, 0, "note", "wae-note-pitch", "", label_pos=1)
    c.floatatom(200, 438, 4, 0, 0, "velocity", "wae-note-vel", "", label_pos=1)

    # -- presets --
    c.text(16, 482, "presets (" + PRESET_FILE + ")")
    c.hradio(20, 508, 20, 8, send="wae-preset-slot", receive="wae-preset-slot-set")
    c.text(190, 508, "click: recall")
    c.bng(20, 542, 18, send="wae-preset-save", label="save", lx=22, ly=9, fs=12)
    c.bng(110, 542, 18, send="wae-preset-write", label="write", lx=22, ly=9, fs=12)
    c.bng(200, 542, 18, send="wae-preset-read", label="read", lx=22, ly=9, fs=12)

    # -- OSC --
    c.text(16, 584, "OSC: /wae/<message> over UDP")
    c.tgl(20, 610, 18, send="wae-osc-on", label="listen", lx=22, ly=9, fs=12)
    c.floatatom(120, 610, 6, 1, 65535, "port", "wae-osc-port-set", "wae-osc-port",
                label_pos=1)

    # -- the circles --
    describe = {"x": "centre, x", "y": "centre, y", "d": "diameter", "r": "randomness",
                "s": "steps"}
    for index, top in ((1, 56), (2, 266)):
        axes = (1, 2) if index == 1 else (3, 4)
        c.text(336, top + 2, f"circle {index} - plane {index} (axis {axes[0]}, axis {axes[1]})")
        for k, p in enumerate(["x", "y", "d", "r", "s"]):
            name = f"{p}{index}"
            _, lo, hi, _, _, _, _ = PARAM[name]
            y = top + 34 + 32 * k
            c.hsl(366, y, 130, 15, lo, hi, send=f"wae-{name}-in", receive=f"wae-{name}-set",
                  label=name, lx=label_left(name), ly=8, fs=12)
            c.floatatom(506, y - 2, 6, lo, hi, "", f"wae-{name}-set", f"wae-{name}-in")
            c.text(568, y - 2, describe[p])
    c.text(330, 476, "each tick, on each circle: theta = 2 pi j / s + r pi u, with j the step "
           "index and u uniform in -1..1 from the seed - the point is the centre + d/2 (cos "
           "theta, sin theta). Exact formula: wae-circle.pd and docs/PATCH.md.", width=48)

    # -- the planes and the legend --
    c.text(690, 36, "plane 1: axis 1 (right), axis 2 (up)")
    c.text(1005, 36, "plane 2: axis 3 (right), axis 4 (up)")
    c.obj(690, 56, "wae-plane 1 0")
    c.obj(1005, 56, "wae-plane 2 2")
    c.text(690, 364, "dataset sounds by family")
    c.obj(690, 386, "wae-legend")
    c.text(890, 370, "grey: the circle - blue/green line and black squares: its s steps "
           "- red: the point just played - dots: the bank's dataset sounds (if it carries "
           "them), every k-th one beyond " + str(MAX_DOTS) + ". Each plane spans -1..1: "
           "wae-sampler~ clamps points outside to the bank's edge.", width=58)
    c.text(890, 470, "Messages: [s wae] takes x1 0.3, start 1, bank file.h5, preset recall 2, "
           "note 64 100 ... (list in wae-walk's [pd messages]) - OSC /wae/x1 0.3 does the "
           "same.", width=58)

    # -- the engine --
    walk = c.obj(330, 600, "wae-walk")
    dac = c.obj(330, 640, "dac~ 1 2")
    c.connect(walk, dac, 0, 0)
    c.connect(walk, dac, 0, 1)
    _, logic = c.subpatch(430, 600, "logic", 900, 620)
    _, templates = c.subpatch(430, 640, "templates", 500, 300)
    make_explorer_logic(logic)
    for i, (tname, fields, draws) in enumerate(TEMPLATES):
        _, t = templates.subpatch(10 + 160 * (i % 3), 10 + 30 * (i // 3), tname, 700, 200)
        t.obj(10, 10, f"struct {tname} {fields}")
        for k, d in enumerate(draws):
            t.obj(10, 50 + 30 * k, d)
    return c


def make_explorer_logic(c):
    """The GUI's glue: buttons to messages, panels, DSP, the default bank, OSC."""
    def send_wae(box):
        c.connect(box, c.obj(c_x(box), c_y(box) + 26, "s wae"))

    positions = {}

    def obj(x, y, text):
        b = c.obj(x, y, text)
        positions[b.index] = (x, y)
        return b

    def msg(x, y, text):
        b = c.msg(x, y, text)
        positions[b.index] = (x, y)
        return b

    def c_x(b):
        return positions[b.index][0]

    def c_y(b):
        return positions[b.index][1]

    # DSP on at load; the default bank unless a bank was asked for by then (a patch that
    # uses wae-explorer as an abstraction names its bank in its own loadbang).
    lb = obj(10, 10, "loadbang")
    t = obj(10, 36, "t b b")
    c.connect(lb, t)
    dsp = msg(10, 62, "; pd dsp 1; wae-dsp-set set 1")
    c.connect(t, dsp, 1)
    later = obj(180, 62, "delay 0")
    c.connect(t, later, 0)
    still = obj(180, 88, "spigot 1")
    c.connect(later, still)
    default = msg(180, 114, "bank " + DEFAULT_BANK)
    c.connect(still, default)
    send_wae(default)
    asked = obj(340, 10, "r wae")
    bank = obj(340, 36, "route bank")
    c.connect(asked, bank)
    closed = msg(340, 62, "0")
    c.connect(bank, closed, 0)
    c.connect(closed, still, 0, 1)
    rdsp = obj(480, 10, "r wae-dsp")
    dspm = msg(480, 36, "; pd dsp $1")
    c.connect(rdsp, dspm)

    # Buttons.
    y = 170
    for receive, message in (("wae-reset-ui", "reset"), ("wae-step-ui", "step"),
                             ("wae-reload-ui", "reload"), ("wae-preset-write", "preset write"),
                             ("wae-preset-read", "preset read")):
        r = obj(10, y, "r " + receive)
        m = msg(10, y + 26, message)
        c.connect(r, m)
        send_wae(m)
        y += 90
    for x, receive, panel, verb in ((200, "wae-open-ui", "openpanel", "bank"),
                                    (360, "wae-recfile-ui", "savepanel", "recfile")):
        r = obj(x, 170, "r " + receive)
        p = obj(x, 196, panel)
        c.connect(r, p)
        pre = obj(x, 222, "list prepend " + verb)
        c.connect(p, pre)
        tr = obj(x, 248, "list trim")
        c.connect(pre, tr)
        send_wae(tr)

    # MIDI display.
    rn = obj(200, 320, "r wae-note")
    un = obj(200, 346, "unpack f f")
    c.connect(rn, un)
    c.connect(un, obj(200, 372, "s wae-note-pitch"), 0)
    c.connect(un, obj(330, 372, "s wae-note-vel"), 1)

    # Presets: the radio recalls, save stores into the selected slot.
    rs = obj(200, 420, "r wae-preset-slot")
    ts = obj(200, 446, "t f f")
    c.connect(rs, ts)
    slot = obj(330, 498, "f")
    c.connect(ts, slot, 1, 1)
    recall = msg(200, 472, "preset recall $1")
    c.connect(ts, recall, 0)
    send_wae(recall)
    rsave = obj(330, 446, "r wae-preset-save")
    c.connect(rsave, slot)
    save = msg(330, 524, "preset save $1")
    c.connect(slot, save)
    send_wae(save)

    # OSC: /wae/x1 0.3 -> [s wae] x1 0.3
    rport = obj(560, 170, "r wae-osc-port")
    port = obj(560, 222, "f 9000")
    c.connect(rport, port, 0, 1)
    lbp = obj(680, 170, "loadbang")
    setport = msg(680, 196, "; wae-osc-port-set set 9000")
    c.connect(lbp, setport)
    ron = obj(560, 120, "r wae-osc-on")
    on = obj(560, 146, "sel 0")
    c.connect(ron, on)
    off = msg(640, 248, "listen 0")
    c.connect(on, off, 0)
    c.connect(on, port, 1)
    listen = msg(560, 248, "listen $1")
    c.connect(port, listen)
    net = obj(560, 280, "netreceive -u -b")
    c.connect(listen, net)
    c.connect(off, net)
    parse = obj(560, 306, "oscparse")
    c.connect(net, parse)
    trim = obj(560, 332, "list trim")
    c.connect(parse, trim)
    only = obj(560, 358, "route wae")
    c.connect(trim, only)
    c.connect(only, obj(560, 384, "s wae"))


# -- files ---------------------------------------------------------------------------------
def presets_text():
    lines = []
    for slot, values in PRESETS:
        assert sorted(values) == sorted(PRESET_PARAMS), slot
        pairs = " ".join(f"{name} {fmt(values[name])}" for name in PRESET_PARAMS)
        lines.append(f"{slot} {pairs};")
    return "\n".join(lines) + "\n"


def outputs():
    """{file name: text} for every generated file."""
    files = {
        "wae-circle.pd": make_circle(),
        "wae-param.pd": make_param(),
        "wae-walk.pd": make_walk(),
        "wae-plane.pd": make_plane(),
        "wae-legend.pd": make_legend(),
        "wae-explorer.pd": make_explorer(),
    }
    text = {name: "\n".join(c.lines()) + "\n" for name, c in files.items()}
    text[PRESET_FILE] = presets_text()
    return text


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, content in outputs().items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(content)


if __name__ == "__main__":
    main()

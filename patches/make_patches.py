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
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfile import CHAR_PX, Canvas, comment_height  # noqa: E402

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
    ("root", 0, 127, 60, 1, 0, "MIDI note that plays MIDI pitch 60 (60: in tune)"),
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


class Auto:
    """Shorthands for boxes that Canvas.layout() places: o(text), m(text), and connections
    written as wire(a, b, outlet, inlet)."""

    def __init__(self, canvas):
        self.c = canvas

    def o(self, text, width=None):
        return self.c.obj(None, None, text, width)

    def m(self, text, width=None):
        return self.c.msg(None, None, text, width)

    def wire(self, a, b, outlet=0, inlet=0):
        self.c.connect(a, b, outlet, inlet)
        return b

    def chain(self, *boxes):
        self.c.chain(*boxes)
        return boxes[-1]


def comments(c, paragraphs, x=10, y=10, width=100):
    """Comment paragraphs down the top of a canvas; returns the y below them."""
    for text in paragraphs:
        c.text(x, y, text, width=width)
        y += comment_height(text, width) + 8
    return y


# -- wae-circle ----------------------------------------------------------------------------
# Numbers are glued to symbols in comments: a lone number is a float to Pd (6 digits).
CIRCLE_FORMULA = [
    "wae-circle X Y D R S SEED: one circle of the walk. Messages: x y d r s seed (set them), "
    "reset, bang (one step). The creation arguments are the defaults.",
    "With k the number of bangs since the last reset, the step index is j = k mod s (when s "
    "changes, j goes on from j mod s), and each bang outputs",
    "theta = 2 pi j / s + r pi u",
    "point = (x + (d/2) cos theta, y + (d/2) sin theta)",
    f"where u = n/{RANDOM_RANGE // 2} - 1 is uniform in [-1, 1) and n the next output of "
    f"[random {RANDOM_RANGE}] seeded by seed. Pd's [random] is the generator "
    "state = (472940017*state + 832416023) mod 2^32, n = floor(range*state / 2^32), and "
    "seed sets the state.",
    "r = 0: the regular s-gon starting at angle 0 (j = 0 plays (x + d/2, y)) - r = 1: theta "
    "uniform over the whole circle - between the two, theta is jittered by up to r pi either "
    "side of the polygon's vertex.",
    "A number is drawn at every step whatever r is, so changing r does not shift the sequence. "
    "reset sets j to 0 and reseeds: a walk started again with the same parameters is the same "
    "walk. Points outside -1..1 are sent as they are: wae-sampler~ clamps each coordinate to "
    "the bank's edge.",
    "Outlets: left the point (x y), right the step index j (before the point).",
]


def make_circle():
    c = Canvas(760, 700)
    a = Auto(c)
    comments(c, CIRCLE_FORMULA, width=100)
    inlet = a.o("inlet")
    lb = a.o("loadbang")
    c.first_row = [inlet, lb]
    route = a.wire(inlet, a.o("route bang x y d r s seed reset"))
    # Creation arguments are the defaults (missing ones are 0: s = 0 becomes 1 below).
    args = a.wire(lb, a.o("list $1 $2 $3 $4 $5 $6"))
    init = a.wire(args, a.m("x $1, y $2, d $3, r $4, s $5, seed $6, reset"))
    a.wire(init, route)

    step = a.wire(route, a.o("t b b"), 0)
    # The step index: j played now, then (j + 1) mod s for the next step.
    j = a.wire(step, a.o("f"), 1)
    jmod = a.wire(j, a.o("mod 1"))
    jt = a.wire(jmod, a.o("t f f"))
    nextj = a.chain(a.wire(jt, a.o("+ 1"), 1), a.o("mod 1"))
    a.wire(nextj, j, 0, 1)
    rnd = a.wire(step, a.o(f"random {RANDOM_RANGE}"), 0)
    expr = a.wire(rnd, a.o(
        "expr $f2+$f4/2*cos(6.283185307*$f6/$f7+$f5*3.141592654*($f1/500000-1)); "
        "$f3+$f4/2*sin(6.283185307*$f6/$f7+$f5*3.141592654*($f1/500000-1))", width=70))
    for i in range(4):  # x y d r
        a.wire(route, expr, 1 + i, 1 + i)
    a.wire(jt, expr, 0, 5)
    s = a.wire(route, a.o("expr max(1, int($f1+0.5))"), 5)
    st = a.wire(s, a.o("t f f f"))
    a.wire(st, expr, 0, 6)
    a.wire(st, jmod, 1, 1)
    a.wire(st, nextj, 2, 1)
    pack = a.o("pack f f")
    a.wire(expr, pack, 0, 0)
    a.wire(expr, pack, 1, 1)
    out = a.wire(pack, a.o("outlet"))
    jout = a.wire(jt, a.o("outlet"), 0)
    c.last_row = [out, jout]

    seed = a.wire(route, a.o("t f f"), 6)
    seedf = a.wire(seed, a.o("f"), 1, 1)
    seedmsg = a.wire(seed, a.m("seed $1"), 0)
    a.wire(seedf, seedmsg)
    a.wire(seedmsg, rnd)
    reset = a.wire(route, a.o("t b b"), 7)
    a.wire(a.wire(reset, a.m("0"), 1), j, 0, 1)
    a.wire(reset, seedf, 0)
    return c


# -- wae-param -----------------------------------------------------------------------------
def make_param():
    c = Canvas(700, 500)
    a = Auto(c)
    comments(c, [
        "wae-param NAME LOW HIGH DEFAULT INTEGER PRESET: one parameter of the walk.",
        "Input: [s wae-NAME-in] (the GUI and [s wae] send there), a bang sends the value "
        "again. The value is clipped to LOW..HIGH, rounded if INTEGER, then sent to "
        "[s wae-NAME] and, as 'set', to [s wae-NAME-set] (the GUI controls, which do not "
        "send it back).",
        "If PRESET, a bang on [s wae-dump] sends 'NAME value' to [s wae-collect] (how "
        "presets are saved).",
    ], width=90)
    r = a.o("r wae-$1-in")
    route = a.wire(r, a.o("route bang float"))
    default = a.wire(a.o("loadbang"), a.o("f $4"))
    clip = a.wire(route, a.o("clip $2 $3"), 1)
    a.wire(default, clip)
    t = a.chain(clip, a.o("expr if($5, floor($f1+0.5), $f1)"), a.o("t f f f"))
    a.wire(t, a.o("s wae-$1"), 0)
    a.wire(a.wire(t, a.m("set $1"), 1), a.o("s wae-$1-set"))
    store = a.wire(t, a.o("f"), 2, 1)
    again = a.wire(route, a.o("f"), 0)
    a.wire(t, again, 2, 1)
    a.wire(again, a.o("s wae-$1"))
    a.wire(route, a.o("print wae: $1 expects a number - got"), 2)
    gate = a.wire(a.o("r wae-dump"), a.o("spigot $6"))
    a.wire(gate, store)
    a.chain(store, a.o("list prepend $1"), a.o("s wae-collect"))
    return c


# -- wae-walk ------------------------------------------------------------------------------
def make_walk():
    c = Canvas(900, 560)
    y = comments(c, [
        "wae-walk: the engine of wae-explorer, with no GUI. Everything is driven by messages "
        "to [s wae] (see [pd messages] and docs/PATCH.md). Left outlet: the sound (after "
        "gain); right outlet: the 4 floats played at each tick (also sent to [s wae-point]). "
        "The sampler's answers go to [s wae-info]. Every name is global (wae...): one "
        "wae-walk per Pd.",
    ], width=110)
    # Finds wae-sampler~ in the workspace's Bazel output when opened from patches/.
    c.declare("-path ../bazel-bin/pd")
    c.obj(10, y, "declare -path ../bazel-bin/pd")
    # The walk first: its circles' loadbangs (creation-argument defaults) run before the
    # parameters' (Pd sends loadbang to abstractions in the order they were created).
    walk_box, walk = c.subpatch(10, y + 60, "walk")
    params_box, params = c.subpatch(300, y + 60, "params")
    router_box, router = c.subpatch(400, y + 60, "router")
    play_box, play = c.subpatch(10, y + 120, "play")
    bank_box, bank = c.subpatch(300, y + 120, "bank")
    presets_box, presets = c.subpatch(400, y + 120, "presets")
    rec_box, recorder = c.subpatch(120, y + 180, "recorder")
    msgs_box, msgs = c.subpatch(600, y + 60, "messages", 800, 720)
    out_audio = c.obj(10, y + 240, "outlet~")
    out_points = c.obj(200, y + 240, "outlet")
    c.connect(walk_box, play_box)
    c.connect(walk_box, out_points)
    c.connect(play_box, out_audio)
    c.connect(play_box, rec_box)
    make_walk_walk(walk)
    make_walk_params(params)
    make_walk_router(router)
    make_walk_play(play)
    make_walk_bank(bank)
    make_walk_presets(presets)
    make_walk_recorder(recorder)
    make_walk_messages(msgs)
    return c


def make_walk_params(c):
    c.text(10, 10, "wae-param NAME LOW HIGH DEFAULT INTEGER IN-PRESETS", width=70)
    for i, (name, lo, hi, default, integer, preset, _) in enumerate(PARAMS):
        c.obj(10, 40 + 26 * i,
              f"wae-param {name} {fmt(lo)} {fmt(hi)} {fmt(default)} {integer} {preset}")


def make_walk_messages(c):
    lines = ["Messages to [s wae] (one receiver, [r wae]: unknown messages are reported on "
             "the console):"]
    for name, lo, hi, default, integer, preset, what in PARAMS:
        kind = "integer" if integer else "number"
        lines.append(f"{name} <{kind} {fmt(lo)}..{fmt(hi)}, default {fmt(default)}>: "
                     f"{what}{' (in presets)' if preset else ''}")
    lines += [
        "reset: back to step 0 and reseed (start 1 does it too)",
        "step: one step now (as a tick)",
        "bank <file>: load a bank (relative to patches/, or absolute)",
        "reload: load the same bank file again",
        "info: wae-sampler~ prints its bank and voices",
        f"recfile <file.wav>: where record writes (default {DEFAULT_RECORDING} in patches/)",
        "preset save <n> / recall <n> / write [file] / read [file] (default file "
        f"{PRESET_FILE} in patches/, read at load)",
        "note <pitch> <velocity>: play the current point (as a MIDI note on)",
        "Sent out: [r wae-NAME] each parameter's value, [r wae-point] each tick's 4 floats, "
        "[r wae-info] wae-sampler~'s answers, [r wae-j1] [r wae-j2] the step indices, "
        "[r wae-tick-ms] the tick period, [r wae-note] notes played, [r wae-NAME-set] "
        "[r wae-bank-set] [r wae-status-set] [r wae-recfile-set] [r wae-preset-slot-set] "
        "'set' messages for GUI boxes.",
    ]
    comments(c, lines, width=100)


def make_walk_router(c):
    """[r wae] to the parameters' inputs and to the engine's parts."""
    a = Auto(c)
    names = [p[0] for p in PARAMS]
    route1 = a.wire(a.o("r wae"), a.o("route " + " ".join(names)))
    for i, n in enumerate(names):
        a.wire(route1, a.o(f"s wae-{n}-in"), i)
    route2 = a.wire(route1, a.o("route " + " ".join(MESSAGES)), len(names))
    for i, m in enumerate(MESSAGES):
        a.wire(route2, a.o(f"s $0-{m}"), i)
    a.wire(route2, a.o("print wae: unknown message"), len(MESSAGES))


def make_walk_walk(c):
    """The clock and the two circles; outputs each tick's 4 floats."""
    a = Auto(c)
    circles = {1: a.o("wae-circle 0 0 1.2 0 8 2"), 2: a.o("wae-circle 0 0 0.8 0 6 3")}
    for index, circle in circles.items():
        for p in ["x", "y", "d", "r", "s"]:
            a.chain(a.o(f"r wae-{p}{index}"), a.m(f"{p} $1"), circle)
    seeds = a.wire(a.o("r wae-seed"), a.o("expr 2*$f1; 2*$f1+1"))
    a.wire(a.wire(seeds, a.m("seed $1"), 0), circles[1])
    a.wire(a.wire(seeds, a.m("seed $1"), 1), circles[2])

    # Clock: a tick every 60000 / (bpm x div) ms; start 1 resets the circles and ticks now.
    tdiv = a.wire(a.o("r wae-div"), a.o("t b f"))
    tempo = a.wire(a.o("r wae-bpm"), a.o("pack 120 2"))
    a.wire(tdiv, tempo, 1, 1)
    a.wire(tdiv, tempo, 0, 0)
    period = a.wire(tempo, a.o("expr 60000/($f1*$f2)"))
    a.wire(period, a.o("s wae-tick-ms"))
    metro = a.o("metro 250")
    a.wire(period, metro, 0, 1)
    sel = a.wire(a.o("r wae-start"), a.o("sel 0"))
    a.wire(a.wire(sel, a.m("stop"), 0), metro)
    go = a.wire(sel, a.o("t b b"), 1)
    a.wire(go, metro, 0)
    reset = a.wire(go, a.m("reset"), 1)
    a.wire(a.o("r $0-reset"), reset)
    for circle in circles.values():
        a.wire(reset, circle)

    tick = a.wire(metro, a.o("t b b"))
    a.wire(a.o("r $0-step"), tick)
    # Circle 2 first: its coordinates go to the pack's cold inlets.
    a.wire(tick, circles[2], 1)
    a.wire(tick, circles[1], 0)
    point = a.o("pack f f f f")
    for index, circle in circles.items():
        u = a.wire(circle, a.o("unpack f f"), 0)
        a.wire(u, point, 0, 2 * index - 2)
        a.wire(u, point, 1, 2 * index - 1)
        a.wire(circle, a.o(f"s wae-j{index}"), 1)
    tp = a.wire(point, a.o("t l l"))
    a.wire(tp, a.o("s wae-point"), 1)
    out = a.wire(tp, a.o("outlet"), 0)
    c.last_row = [out]


def make_walk_play(c):
    """Each point to wae-sampler~ (once a bank is in), and notes: the current point as
    wae-sampler~'s `note <pitch> x1 x2 x3 x4 <gain>`, at MIDI pitch note - root + 60 (in tune
    at the default root 60: on a bank with pitch the point's timbre at that pitch, on one
    without it transposed from MIDI 60) with velocity / 127 as gain."""
    a = Auto(c)
    inlet = a.o("inlet")
    c.first_row = [inlet]
    tp = a.wire(inlet, a.o("t l l"))
    current = a.o("list store 0 0 0 0")
    a.wire(tp, current, 1, 1)
    gate = a.wire(tp, a.o("spigot"), 0)
    a.wire(a.o("r $0-gate"), gate, 0, 1)
    notein = a.o("notein")
    strip = a.o("stripnote")
    a.wire(notein, strip, 0, 0)
    a.wire(notein, strip, 1, 1)
    notemsg = a.wire(a.o("r $0-note"), a.o("unpack f f"))
    a.wire(notemsg, strip, 0, 0)
    a.wire(notemsg, strip, 1, 1)
    note = a.o("pack f f")
    a.wire(strip, note, 0, 0)
    a.wire(strip, note, 1, 1)
    a.wire(note, a.o("s wae-note"))
    # expr's outlets fire right to left: the gain into the pack's cold inlet, then the pitch.
    gp = a.wire(note, a.o("expr $f1-$f3+60; $f2/127"))
    a.wire(a.o("r wae-root"), gp, 0, 2)
    pair = a.o("pack f f")
    a.wire(gp, pair, 0, 0)
    a.wire(gp, pair, 1, 1)
    # (pitch, gain): the current point into [list append] first, then the gain, then the
    # pitch, giving "note pitch x1 x2 x3 x4 gain".
    tn = a.wire(pair, a.o("t l b"))
    a.wire(tn, current, 1, 0)
    withpoint = a.o("list append")
    a.wire(current, withpoint, 0, 1)
    split = a.wire(tn, a.o("unpack f f"), 0, 0)
    withgain = a.o("list append")
    a.wire(split, withgain, 1, 1)
    a.wire(split, withpoint, 0, 0)
    a.wire(withpoint, withgain, 0, 0)
    trimmed = a.chain(withgain, a.o("list prepend note"), a.o("list trim"))
    a.wire(trimmed, gate)
    sampler = a.wire(gate, a.o("wae-sampler~"))
    a.wire(a.o("r $0-sampler"), sampler)
    a.wire(sampler, a.o("s wae-info"), 1)
    line = a.chain(a.o("r wae-gain"), a.o("pack f 10"), a.o("line~"))
    amp = a.wire(sampler, a.o("*~"))
    a.wire(line, amp, 0, 1)
    out = a.wire(amp, a.o("outlet~"))
    c.last_row = [out]


def make_walk_bank(c):
    """Bank messages to the sampler; status for the GUI; after a load, the trigger gate."""
    a = Auto(c)
    r = a.o("r $0-bank")
    to_sampler = a.o("s $0-sampler")
    a.chain(r, a.o("list prepend open"), a.o("list trim"), to_sampler)
    a.chain(r, a.o("list split 1"), a.m("set $1"), a.o("s wae-bank-set"))
    status = a.o("s wae-status-set")
    loading = a.wire(r, a.m("set loading"))
    reload_ = a.o("r $0-reload")
    a.wire(reload_, loading)
    a.wire(loading, status)
    a.chain(reload_, a.m("reload"), to_sampler)
    a.chain(a.o("r $0-info"), a.m("info"), to_sampler)
    answers = a.wire(a.o("r wae-info"), a.o("route loaded failed"))
    a.wire(a.wire(answers, a.m("set failed"), 1), status)
    loaded = a.wire(answers, a.o("t b b"), 0)
    a.wire(a.wire(loaded, a.m("set loaded"), 1), status)
    # The engine makes a loaded bank current at its next DSP block: after that block, open
    # the trigger gate and ask for the dataset's sounds (every load redraws them).
    arm = a.wire(loaded, a.m("1"), 0)
    after = a.wire(a.o("bang~"), a.o("spigot"))
    a.wire(arm, after, 0, 1)
    ta = a.wire(after, a.o("t b b b"))
    a.wire(a.wire(ta, a.m("0"), 2), after, 0, 1)
    a.chain(a.wire(ta, a.m("1"), 1), a.o("s $0-gate"))
    a.wire(a.wire(ta, a.m("points"), 0), to_sampler)


def make_walk_recorder(c):
    """record 1 opens the record file and starts writing; record 0 stops."""
    a = Auto(c)
    inlet = a.o("inlet~")
    c.first_row = [inlet]
    writer = a.wire(inlet, a.o("writesf~ 1 1e+06"))
    sel = a.wire(a.o("r wae-record"), a.o("sel 0 1"))
    a.wire(a.wire(sel, a.m("stop"), 0), writer)
    name = a.o("symbol " + DEFAULT_RECORDING)
    a.wire(a.o("loadbang"), name)
    a.wire(a.o("r $0-recfile"), name)
    tn = a.wire(name, a.o("t s s"))
    current = a.wire(tn, a.o("symbol"), 1, 1)
    a.chain(a.wire(tn, a.m("set $1"), 0), a.o("s wae-recfile-set"))
    a.wire(sel, current, 1)
    a.chain(current, a.m("open -bytes 4 $1, start"), writer)


def make_walk_presets(c):
    """Presets in [text define wae-presets], one line per slot: n name value name value..."""
    a = Auto(c)
    text = a.o("text define wae-presets")
    a.chain(a.o("loadbang"), a.m("read " + PRESET_FILE), text)
    pr = a.wire(a.o("r $0-preset"), a.o("route save recall write read"))
    # save n: drop slot n's line if there is one, collect the parameters, append the line.
    save = a.wire(pr, a.o("t b b f"), 0)
    found = a.chain(a.wire(save, a.o("text search wae-presets 0"), 2), a.o("moses 0"))
    a.wire(found, a.o("text delete wae-presets"), 1)
    slot = a.o("list prepend")
    a.wire(save, slot, 2, 1)
    collect = a.wire(save, a.o("t b b"), 1)
    store = a.o("list store")
    a.wire(a.wire(collect, a.m("list"), 1), store, 0, 1)
    a.wire(collect, a.o("s wae-dump"), 0)
    a.chain(a.o("r wae-collect"), a.o("list prepend append"), a.o("list trim"), store)
    a.wire(save, store, 0)
    a.chain(store, slot, a.o(f"text insert wae-presets {10**6:g}"))
    # recall n: each name value pair of the line to [s wae].
    asked = a.wire(pr, a.o("t f f"), 1)
    slotf = a.wire(asked, a.o("f"), 1, 1)
    a.chain(a.wire(asked, a.m("set $1"), 0), a.o("s wae-preset-slot-set"))
    rfound = a.chain(a.wire(asked, a.o("text search wae-presets 0"), 0), a.o("moses 0"))
    a.chain(a.wire(rfound, a.o("t b"), 0), slotf, a.o("print wae: no preset numbered"))
    drop = a.chain(a.wire(rfound, a.o("text get wae-presets"), 1), a.o("list split 1"))
    pairs = a.wire(drop, a.o("list split 2"), 1)
    a.wire(a.wire(pairs, a.o("t a"), 1), pairs)  # the rest goes round again
    a.chain(pairs, a.o("list trim"), a.o("s wae"))
    # write/read, with the shipped file when no file is named.
    for k, verb in ((2, "write"), (3, "read")):
        nofile = a.wire(pr, a.o("route bang"), k)
        verbed = a.o("list prepend " + verb)
        a.chain(a.wire(nofile, a.o("symbol " + PRESET_FILE), 0), verbed)
        a.wire(nofile, verbed, 1)
        a.chain(verbed, a.o("list trim"), text)


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


def palette(a):
    """A per-instance table of the family colours; returns (family in, colour out)."""
    a.o(f"table $0-pal {len(PALETTE)}")
    a.chain(a.o("loadbang"), a.m("0 " + " ".join(str(v) for v in PALETTE)), a.o("s $0-pal"))
    family = a.o(f"expr if($f1<0, {len(PALETTE) - 1}, $f1%{len(FAMILIES)})")
    return family, a.wire(family, a.o("tabread $0-pal"))


def make_plane():
    """wae-plane INDEX OFFSET: plane INDEX (1 or 2) of the walk, drawing coordinates OFFSET+1
    and OFFSET+2 of the 4-D points. Graph on parent, x and y from -1 to 1."""
    c = Canvas(900, 700)
    a = Auto(c)
    _, notes = c.subpatch(10, 10, "notes", 700, 300)
    comments(notes, [
        "wae-plane INDEX OFFSET: one plane of wae-explorer (graph on parent: x from -1 to 1 "
        "rightwards, y from -1 to 1 upwards). It draws, as scalars of the templates in "
        "wae-explorer's [pd templates], in this order: the axes, the dataset's sounds (a "
        f"pool of {MAX_DOTS} dots made once, then shown or hidden - every k-th sound when the "
        "bank has more), circle INDEX (grey) with its s-gon (the step positions: black "
        "squares), and the current point (red).",
        "It reads [r wae-xINDEX] [r wae-yINDEX] [r wae-dINDEX] [r wae-sINDEX], [r wae-point] "
        "(coordinates OFFSET+1 and OFFSET+2) and [r wae-info] (the points and point answers "
        "of wae-sampler~).",
        "No comments on the plane's own canvas: a graph on parent would show them.",
    ], width=90)
    c.origin = (10, 50)
    c.obj(10, 40, "namecanvas $0-plane")

    # -- creation, in drawing order: axes, the pool of dots, the ring, the current point --
    init = a.wire(a.o("loadbang"), a.o("t b b b b"))
    ptr = a.chain(a.wire(init, a.o("symbol $0-plane"), 3), a.m("traverse $1, bang"),
                  a.o("pointer"))
    create = a.wire(init, a.o("t b b b b"), 2)
    axes = a.wire(a.wire(create, a.m("0 0"), 3), a.o("append wae-axes x y"))
    a.wire(ptr, axes, 0, 2)
    dots = a.chain(a.wire(create, a.m(str(MAX_DOTS)), 2), a.o("until"), a.m("0 0 0 0"),
                   a.o("append wae-dot x y c v"))
    a.wire(axes, dots, 0, 4)
    ring = a.chain(a.wire(create, a.o("f $1"), 1),
                   a.o("expr if($f1==1, %d, %d)" % (PLANE_COLOURS[1], PLANE_COLOURS[2])),
                   a.m("0 0 $1"), a.o("append wae-ring x y c"))
    a.wire(dots, ring, 0, 3)
    ringp = a.wire(ring, a.o("pointer"), 0, 1)
    cur = a.wire(a.wire(create, a.m("0 0"), 0), a.o("append wae-cur x y"))
    a.wire(ring, cur, 0, 2)
    curp = a.wire(cur, a.o("pointer"), 0, 1)
    ready = a.wire(init, a.m("1"), 1)  # opens the gates below

    # -- the ring and the s-gon, redrawn when x, y, d or s change --
    values = {p: a.wire(a.o(f"r wae-{p}$1"), a.o("t b f")) for p in ["x", "y", "d", "s"]}
    s_int = a.wire(values["s"], a.o("expr max(1, int($f1+0.5))"), 1)
    changed = a.o("spigot")
    a.wire(ready, changed, 0, 1)
    for t in values.values():
        a.wire(t, changed, 0)
    redraw = a.wire(changed, a.o("t b b b"))
    a.wire(init, redraw, 0)
    a.wire(redraw, ringp, 2)
    setsize_ring = a.o("setsize wae-ring ring")
    setsize_gon = a.o("setsize wae-ring gon")
    elem_ring = a.o("element wae-ring ring")
    elem_gon = a.o("element wae-ring gon")
    for o in (setsize_ring, setsize_gon, elem_ring, elem_gon):
        a.wire(ringp, o, 0, 1)
    sizes = a.wire(redraw, a.o("t b b"), 1)
    a.chain(a.wire(sizes, a.m(str(RING_SEGMENTS + 1)), 1), setsize_ring)
    s_f = a.wire(sizes, a.o("f 1"), 0)
    a.wire(s_int, s_f, 0, 1)
    fills = a.wire(redraw, a.o("t b b"), 0)

    def loop(start, start_outlet, count, element, expr_text, set_text):
        """On a bang: for i in 0..count-1, element i gets the expression's x y."""
        t = a.wire(start, a.o("t b b"), start_outlet)
        zero = a.wire(t, a.m("0"), 1)
        a.wire(t, count, 0)
        i = a.wire(a.wire(count, a.o("until")), a.o("f"))
        a.wire(a.wire(i, a.o("+ 1")), i, 0, 1)
        a.wire(zero, i, 0, 1)
        ti = a.wire(i, a.o("t f f"))
        a.wire(ti, element, 1)
        e = a.wire(ti, a.o(expr_text), 0)
        st = a.o(set_text)
        a.wire(element, st, 0, 2)
        a.wire(e, st, 0, 0)
        a.wire(e, st, 1, 1)
        return e

    ring_count = a.o(f"f {RING_SEGMENTS + 1}")
    gon_count = a.o("f 2")
    plus = a.wire(s_f, a.o("+ 1"))
    a.wire(plus, setsize_gon)
    a.wire(plus, gon_count, 0, 1)
    ring_expr = loop(fills, 0, ring_count, elem_ring,
                     f"expr $f2+$f4/2*cos(6.283185307*$f1/{RING_SEGMENTS}); "
                     f"$f3+$f4/2*sin(6.283185307*$f1/{RING_SEGMENTS})", "set wae-xy x y")
    gon_expr = loop(fills, 1, gon_count, elem_gon,
                    "expr $f2+$f4/2*cos(6.283185307*$f1/max(1, $f5)); "
                    "$f3+$f4/2*sin(6.283185307*$f1/max(1, $f5))", "set wae-step x y")
    for e in (ring_expr, gon_expr):
        a.wire(values["x"], e, 1, 1)
        a.wire(values["y"], e, 1, 2)
        a.wire(values["d"], e, 1, 3)
    a.wire(s_int, gon_expr, 0, 4)

    # -- the current point --
    pg = a.wire(a.o("r wae-point"), a.o("spigot"))
    a.wire(ready, pg, 0, 1)
    sp = a.wire(pg, a.o("list split $2"))
    s2 = a.wire(sp, a.o("list split 2"), 1)
    tl = a.wire(s2, a.o("t l l"), 0)
    last = a.wire(tl, a.o("list store 0 0"), 1, 1)  # to draw the point again on top
    move = a.wire(tl, a.o("t l b"), 0)
    a.wire(last, move)
    setcur = a.o("set wae-cur x y")
    a.wire(move, curp, 1)
    a.wire(curp, setcur, 0, 2)
    up = a.wire(move, a.o("unpack f f"), 0)
    a.wire(up, setcur, 0, 0)
    a.wire(up, setcur, 1, 1)
    # Touching the ring and the point after the dots are redrawn keeps them on top.
    touch = a.o("t b b")
    a.wire(touch, redraw, 0)
    a.wire(touch, last, 1)

    # -- the dataset's sounds: `points N`, then N times `point a1 a2 a3 a4 family` --
    route = a.wire(a.o("r wae-info"), a.o("route points point"))
    tpts = a.wire(route, a.o("t f f b b"), 0)
    # At the axes: the pool follows.
    fill = a.chain(a.wire(tpts, a.o("symbol $0-plane"), 3), a.m("traverse $1, next"),
                   a.o("pointer"))
    zero = a.wire(tpts, a.m("0"), 2)
    stride = a.wire(tpts, a.o(f"expr max(1, ceil($f1/{MAX_DOTS}))"), 1)
    total = a.wire(tpts, a.o("f"), 1, 1)
    empty = a.wire(tpts, a.o("sel 0"), 0)
    # Counters: index (of the sound) and kept (dots shown), mirrored where they are read.
    index = a.o("f")
    a.wire(zero, index, 0, 1)
    kept = a.o("f")
    kept_inc = a.wire(kept, a.o("+ 1"))
    a.wire(kept_inc, kept, 0, 1)
    a.wire(zero, kept, 0, 1)
    keep = a.o(f"expr ($f1%$f2==0)&&($f3<{MAX_DOTS})")
    a.wire(stride, keep, 0, 1)
    a.wire(kept_inc, keep, 0, 2)
    a.wire(zero, keep, 0, 2)
    kept_now = a.o("f")
    a.wire(kept_inc, kept_now, 0, 1)
    a.wire(zero, kept_now, 0, 1)
    islast = a.o("expr $f1==$f2-1")
    a.wire(total, islast, 0, 1)
    tpt = a.wire(route, a.o("t b l b"), 1)
    ti = a.wire(a.wire(tpt, index, 2), a.o("t f f f"))
    a.wire(a.wire(ti, a.o("+ 1"), 2), index, 0, 1)
    a.wire(ti, islast, 1)
    a.wire(ti, keep, 0)
    lastf = a.wire(islast, a.o("f"), 0, 1)
    kgate = a.wire(tpt, a.o("spigot"), 1)
    a.wire(keep, kgate, 0, 1)
    tk = a.wire(kgate, a.o("t l b"))
    # One dot: the next scalar of the pool, then its colour and coordinates (v is 1).
    a.wire(a.wire(tk, a.m("next"), 1), fill)
    a.wire(tk, kept, 1)
    setdot = a.o("set wae-dot x y c v")
    a.wire(fill, setdot, 0, 4)
    a.wire(ready, setdot, 0, 3)
    byfamily = a.wire(tk, a.o("list split 4"), 0)
    family, colour = palette(a)
    a.wire(byfamily, family, 1)
    a.wire(colour, setdot, 0, 2)
    plane_axes = a.wire(byfamily, a.o("list split $2"), 0)
    uxy = a.wire(a.wire(plane_axes, a.o("list split 2"), 1), a.o("unpack f f"), 0)
    # Sounds outside the bank's range are drawn on the plane's edge.
    for k in (1, 0):
        a.wire(a.wire(uxy, a.o("clip -1 1"), k), setdot, 0, k)
    a.wire(tpt, lastf, 0)
    lastsel = a.wire(lastf, a.o("sel 1"))

    # Finish: hide the rest of the pool, then put the ring and the point back on top.
    finish = a.o("t b b")
    a.wire(lastsel, finish)
    a.wire(empty, finish, 0)
    hide = a.chain(a.wire(finish, kept_now, 1), a.o(f"expr {MAX_DOTS}-$f1"), a.o("until"))
    a.wire(fill, hide, 1, 1)  # the end of the list stops the loop
    ht = a.wire(hide, a.o("t b b"))
    a.wire(a.wire(ht, a.m("next"), 1), fill)
    sethide = a.o("set wae-dot v")
    a.wire(fill, sethide, 0, 1)
    a.wire(a.wire(ht, a.m("0"), 0), sethide)
    # [s wae-plane-dump] bang: what the plane shows, to [s wae-plane-state] as `dot INDEX x
    # y colour` for each visible dot and `cur INDEX x y` (for tests and other patches).
    dump = a.wire(a.o("r wae-plane-dump"), a.o("t b b"))
    walker = a.o("pointer wae-dot wae-cur")
    a.chain(a.wire(dump, a.o("symbol $0-plane"), 1), a.m("traverse $1"), walker)
    each = a.chain(a.wire(dump, a.m(str(MAX_DOTS + 10)), 0), a.o("until"))
    a.wire(walker, each, 3, 1)
    a.chain(each, a.m("next"), walker)
    state = a.o("s wae-plane-state")
    got = a.wire(walker, a.o("get wae-dot x y c v"), 0)
    xyc = a.o("pack f f f")
    for k in range(3):
        a.wire(got, xyc, k, k)
    visible = a.wire(xyc, a.o("spigot"))
    a.wire(got, visible, 3, 1)  # v comes first (right to left)
    a.chain(visible, a.o("list prepend dot $1"), a.o("list trim"), state)
    cur_at = a.wire(walker, a.o("get wae-cur x y"), 1)
    cur_pair = a.o("pack f f")
    a.wire(cur_at, cur_pair, 0, 0)
    a.wire(cur_at, cur_pair, 1, 1)
    a.chain(cur_pair, a.o("list prepend cur $1"), a.o("list trim"), state)

    # Pd redraws changed scalars later, in the order they were first queued (a ring queued
    # before the dots would be drawn under them): touch once the dots are drawn.
    a.chain(a.wire(finish, a.o("delay 100"), 0), touch)
    c.graph_on_parent(-1, 1, 1, -1, PLANE_PIXELS, PLANE_PIXELS)
    return c


LEGEND_SLOTS = 12
LEGEND_ROW = 18
LEGEND_SIZE = (180, LEGEND_SLOTS * LEGEND_ROW + 6)


def make_legend():
    """wae-legend: the instrument families of the bank's dataset sounds and their colours
    (graph on parent, pixel units). Reads [r wae-info]."""
    c = Canvas(900, 700)
    a = Auto(c)
    _, notes = c.subpatch(10, 10, "notes", 600, 200)
    comments(notes, [
        "wae-legend: the bank's instrument families (the `family i name` answers to "
        "wae-sampler~'s points message) with the colours wae-plane gives their sounds. A "
        f"pool of {LEGEND_SLOTS} labels (template wae-label), shown or hidden. No comments "
        "on the legend's own canvas: a graph on parent would show them."], width=80)
    c.origin = (10, 50)
    c.obj(10, 40, "namecanvas $0-legend")
    init = a.wire(a.o("loadbang"), a.o("t b b b"))
    ptr = a.chain(a.wire(init, a.o("symbol $0-legend"), 2), a.m("traverse $1, bang"),
                  a.o("pointer"))
    app = a.chain(a.wire(init, a.m(str(LEGEND_SLOTS)), 1), a.o("until"), a.m("0 0 0 0"),
                  a.o("append wae-label x y c v"))
    a.wire(ptr, app, 0, 4)
    ready = a.wire(init, a.m("1"), 0)

    route = a.wire(a.o("r wae-info"), a.o("route points family"))
    tp = a.wire(route, a.o("t f b"), 0)
    # points N: hide every label, then start again from the first.
    hide = a.wire(tp, a.o("t b b b"), 1)
    name = a.o("symbol $0-legend")
    a.wire(hide, name, 2)  # from the first label: hide them all
    a.wire(hide, name, 0)  # then from the first again, to fill
    fillp = a.chain(name, a.m("traverse $1"), a.o("pointer"))
    until = a.wire(a.wire(hide, a.m(str(LEGEND_SLOTS)), 1), a.o("until"))
    th = a.wire(until, a.o("t b b"))
    a.wire(fillp, until, 1, 1)  # the end of the list stops the loop
    a.wire(a.wire(th, a.m("next"), 1), fillp)
    setv = a.o("set wae-label v")
    a.wire(fillp, setv, 0, 1)
    a.wire(a.wire(th, a.m("0"), 0), setv)
    zk = a.wire(hide, a.m("0"), 1)

    # family i name: the next label, if the name is not empty and a label is left.
    tf = a.wire(route, a.o("t l l"), 1)
    nm = a.wire(tf, a.o("unpack f s"), 1)
    length = a.chain(a.wire(nm, a.o("list fromsymbol"), 1), a.o("list length"))
    ok = a.wire(length, a.o(f"expr ($f1>0)&&($f2>0)&&($f3<{LEGEND_SLOTS})"))
    a.wire(tp, ok, 0, 1)
    a.wire(zk, ok, 0, 2)
    gate = a.wire(tf, a.o("spigot"), 0)
    a.wire(ok, gate, 0, 1)
    tl = a.wire(gate, a.o("t l b"))
    tb = a.wire(tl, a.o("t b b"), 1)
    a.wire(a.wire(tb, a.m("next"), 1), fillp)
    k = a.wire(tb, a.o("f"), 0)
    kinc = a.wire(k, a.o("+ 1"))
    a.wire(kinc, k, 0, 1)
    a.wire(zk, k, 0, 1)
    a.wire(kinc, ok, 0, 2)
    setl = a.o("set wae-label x y c v")
    sets = a.o("set -symbol wae-label name")
    a.wire(fillp, setl, 0, 4)
    a.wire(fillp, sets, 0, 1)
    a.wire(ready, setl, 0, 3)
    a.wire(a.wire(k, a.o(f"expr 4+{LEGEND_ROW}*$f1")), setl, 0, 1)
    un = a.wire(tl, a.o("unpack f s"), 0)
    a.wire(un, sets, 1, 0)
    tfam = a.wire(un, a.o("t b f"), 0)
    family, colour = palette(a)
    a.wire(tfam, family, 1)
    a.wire(colour, setl, 0, 2)
    a.chain(a.wire(tfam, a.m("4"), 0), setl)
    c.graph_on_parent(0, 0, LEGEND_SIZE[0], LEGEND_SIZE[1], LEGEND_SIZE[0], LEGEND_SIZE[1])
    return c


# -- wae-explorer --------------------------------------------------------------------------
SECTION_BG = 0xeeeeee


def make_explorer():
    c = Canvas(1320, 680, font=12)
    # Backgrounds first: later boxes are drawn over them.
    sections = [(10, 56, 305, 150), (10, 216, 305, 92), (10, 318, 305, 82), (10, 410, 305, 60),
                (10, 480, 305, 92), (10, 582, 305, 56), (330, 56, 345, 200),
                (330, 266, 345, 200)]
    for x, y, w, h in sections:
        c.cnv(x, y, w, h, bg=SECTION_BG)
    c.text(10, 8, "wae-explorer: a walk through the latent space of wae-sampler~", width=100)
    c.text(10, 28, "circle 1 walks axes 1-2, circle 2 axes 3-4: each tick plays the 4 "
           "coordinates", width=90)

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
    c.floatatom(222, 114, 6, 0, 0, "ms", "wae-tick-ms", "", label_pos=1)
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
           "them), every k-th one beyond " + str(MAX_DOTS) + " - each plane spans -1..1: "
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
    """The GUI's glue: buttons to messages, file panels, DSP, the default bank, OSC."""
    a = Auto(c)
    to_wae = a.o("s wae")
    # DSP on at load; the default bank unless a bank was asked for by then (a patch that
    # uses wae-explorer as an abstraction names its bank in its own loadbang).
    t = a.wire(a.o("loadbang"), a.o("t b b"))
    a.wire(t, a.m("; pd dsp 1; wae-dsp-set set 1"), 1)
    still = a.chain(a.wire(t, a.o("delay 0"), 0), a.o("spigot 1"))
    a.chain(still, a.m("bank " + DEFAULT_BANK), to_wae)
    a.wire(a.chain(a.o("r wae"), a.o("route bank"), a.m("0")), still, 0, 1)
    a.chain(a.o("r wae-dsp"), a.m("; pd dsp $1"))
    # Buttons.
    for receive, message in (("wae-reset-ui", "reset"), ("wae-step-ui", "step"),
                             ("wae-reload-ui", "reload"), ("wae-preset-write", "preset write"),
                             ("wae-preset-read", "preset read")):
        a.chain(a.o("r " + receive), a.m(message), to_wae)
    for receive, panel, verb in (("wae-open-ui", "openpanel", "bank"),
                                 ("wae-recfile-ui", "savepanel", "recfile")):
        a.chain(a.o("r " + receive), a.o(panel), a.o("list prepend " + verb), a.o("list trim"),
                to_wae)
    # MIDI display.
    un = a.wire(a.o("r wae-note"), a.o("unpack f f"))
    a.wire(un, a.o("s wae-note-pitch"), 0)
    a.wire(un, a.o("s wae-note-vel"), 1)
    # Presets: the radio recalls, save stores into the selected slot.
    ts = a.wire(a.o("r wae-preset-slot"), a.o("t f f"))
    slot = a.wire(ts, a.o("f"), 1, 1)
    a.chain(a.wire(ts, a.m("preset recall $1"), 0), to_wae)
    a.wire(a.o("r wae-preset-save"), slot)
    a.chain(slot, a.m("preset save $1"), to_wae)
    # OSC: /wae/x1 0.3 -> [s wae] x1 0.3
    port = a.wire(a.o("r wae-osc-port"), a.o("f 9000"), 0, 1)
    a.chain(a.o("loadbang"), a.m("; wae-osc-port-set set 9000"))
    on = a.wire(a.o("r wae-osc-on"), a.o("sel 0"))
    a.chain(a.wire(on, a.o("t b"), 1), port)
    net = a.o("netreceive -u -b")
    a.wire(a.wire(on, a.m("listen 0"), 0), net)
    a.chain(port, a.m("listen $1"), net)
    a.chain(net, a.o("oscparse"), a.o("list trim"), a.o("route wae"), to_wae)


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

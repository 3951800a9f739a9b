#!/usr/bin/python3
"""Writes the control patches of wae-sampler (docs/PATCH.md):

    wae-explorer.pd  the patch a musician opens: controls, the two planes, dac~
    wae-walk.pd      the engine, no GUI: parameters, clock, two circles, MIDI, presets,
                     wae-sampler~, gain, recorder (what tests and other patches drive)
    wae-circle.pd    one circle of the walk (the formula is written in it)
    wae-param.pd     one parameter: clip, round, broadcast, GUI sync, preset dump
    wae-plane.pd     one plane of the visualisation (data structures, graph on parent)
    wae-legend.pd    the instrument families' colours
    wae-gem.pd       the optional 3-D view (needs the Gem library; `gem 1` opens it)
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
MESSAGES = ["reset", "step", "bank", "reload", "info", "recfile", "preset", "note", "points",
            "gem", "scale"]

DEFAULT_BANK = "../out/bank.h5"  # where bake_bank writes by default, from patches/
DEFAULT_RECORDING = "wae-recording.wav"
PRESET_FILE = "wae-presets.txt"
GEM_HOLDER = "wae-gemview"  # the subpatch of wae-walk where `gem 1` creates [wae-gem]
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
    _, gem = c.subpatch(300, y + 180, "gem")
    # The GEM view, when asked for, is created in here (a global name: one wae-walk per Pd).
    c.subpatch(400, y + 180, GEM_HOLDER, 300, 200)
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
    make_walk_gem(gem)
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
        "scale <pitch classes 0..11, C = 0> / scale: the walk's notes at the nearest pitch of "
        "the scale (e.g. scale 0 2 4 5 7 9 11, C major; on banks with pitch), or as they are",
        "points: wae-sampler~ sends the bank's dataset sounds again to [r wae-info] (once a "
        "bank is in)",
        "gem 1 / gem 0: open / close the 3-D view (wae-gem.pd, needs the Gem library) - gem "
        "orbit <azimuth> <elevation>, gem distance <d>, gem spin <degrees/s>, gem home, gem "
        "frame <fps>, gem fps <0/1>: see wae-gem.pd",
        "Sent out: [r wae-NAME] each parameter's value, [r wae-point] each tick's 4 floats, "
        "[r wae-info] wae-sampler~'s answers, [r wae-j1] [r wae-j2] the step indices, "
        "[r wae-tick-ms] the tick period, [r wae-note] notes played, [r wae-NAME-set] "
        "[r wae-bank-set] [r wae-status-set] [r wae-recfile-set] [r wae-preset-slot-set] "
        "[r wae-gem-set] 'set' messages for GUI boxes, [r~ wae-out] the sampler's output "
        "(before gain).",
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
    # The voices before gain, for views that follow the loudness (wae-gem's flash).
    a.wire(sampler, a.o("s~ wae-out"))
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
    a.chain(a.o("r $0-scale"), a.o("list prepend scale"), a.o("list trim"), to_sampler)
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
    asked = a.wire(ta, a.m("points"), 0)
    a.wire(asked, to_sampler)
    # `points` from [s wae] (a view opened later asks for them): only once a bank is in,
    # when wae-sampler~ has them (before, it would report an error).
    loaded_gate = a.wire(a.o("r $0-points"), a.o("spigot"))
    a.wire(a.o("r $0-gate"), loaded_gate, 0, 1)
    a.wire(loaded_gate, asked)


def make_walk_gem(c):
    """gem 1 creates [wae-gem] in [pd wae-gemview], gem 0 deletes it (and its window). The
    view's other messages (gem orbit ...) go to wae-gem's own [r wae]."""
    a = Auto(c)
    route = a.wire(a.o("r $0-gem"), a.o("route float"))
    # Only changes count (gem 1 when open, gem 0 when closed: nothing). gem 0 makes wae-gem
    # close its window at once (its own [r wae]); deleting it waits 100 ms, since deleting
    # Gem objects while their window draws crashed Pd. gem 1 deletes a closed view still
    # waiting (safe: no window) and creates the new one at once, so that gem messages right
    # after gem 1 reach it.
    sel = a.chain(route, a.o("!= 0"), a.o("change"), a.o("sel 0"))
    holder = "pd-" + GEM_HOLDER
    later = a.wire(sel, a.o("delay 100"), 0)
    a.wire(later, a.m(f"; {holder} clear; {holder} dirty 0; wae-gem-set set 0"))
    opening = a.wire(sel, a.o("t b b"), 1)
    a.wire(a.wire(opening, a.m("stop"), 1), later)
    # A created abstraction gets no loadbang of its own: send it; `dirty 0` keeps the patch
    # from asking to save the change when it closes.
    a.wire(opening, a.m(f"; {holder} clear; wae-gem-set set 1; {holder} obj 10 10 wae-gem; "
                        f"{holder} loadbang; {holder} dirty 0"), 0)
    a.o("r wae-gem-set")  # so that the set messages have a receiver without the GUI


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
    # IEM GUI labels are one symbol: the words go in a comment beside it.
    c.tgl(890, 562, 18, send="wae-gem-ui", receive="wae-gem-set", label="3-D", lx=22, ly=9,
          fs=12)
    c.text(940, 562, "view, with the Gem library (wae-gem.pd)")
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
    a.chain(a.o("r wae-gem-ui"), a.m("gem $1"), to_wae)
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


# -- wae-gem: the 3-D view (needs the Gem library) -----------------------------------------
# Space: x = axis 1 (right), y = axis 3 (up), z = -axis 2 (away from the default camera), so
# that seen from above (elevation 90) axis 1 runs right and axis 2 up, as on plane 1. Axis 4
# is brightness: a colour times 0.35 at -1 up to 1 at +1.
GEM_SIZE = (800, 600)
GEM_FRAME = 60  # the window's frame rate cap (Gem's default is 20)
GEM_HOME = (-40, 18, 5.5)  # azimuth and elevation (degrees), distance of the camera
GEM_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
GEM_DOT_PX = 4  # the dataset's sounds, in pixels
GEM_STEP_PX = 10  # the circles' steps
GEM_CUR = 0.06  # radius of the point just played, silent; up to 3 times that when loud
GEM_MAX_STEPS = 64
GEM_CIRCLE_COLOURS = {1: (0.35, 0.45, 1.0), 2: (0.3, 0.9, 0.3)}  # as the planes' polygons
# Drawing order ([gemhead] priorities, lower first): the circles and the point come last with
# the depth test off (GL state: the first chains of the next frame turn it on again), so
# that the dataset's dots never hide them. ([depth 0] left the test on, in Gem 0.94.)
GEM_ORDER = {"dataset": 10, "box": 20, "circles": 60, "point": 70}
GEM_MESSAGES = ["orbit", "distance", "turn", "zoom", "spin", "home", "frame", "fps"]


def brightness(v):
    """expr text: the brightness of axis-4 value `v` (clipped to -1..1)."""
    return f"(0.35+0.325*(max(-1, min(1, {v}))+1))"


GEM_NOTES = [
    "wae-gem: the walk in 3-D (Gem). Opened by `gem 1` to [s wae] (the explorer's 3-D view "
    "toggle), which creates it in wae-walk's [pd wae-gemview] - or open this file in the Pd "
    "that runs the walk. It reads what the planes read: [r wae-info] (the bank's dataset "
    "sounds), [r wae-point], [r wae-x1] ... [r wae-s2], and [r~ wae-out] (the voices).",
    "Space: x = axis 1 (right), y = axis 3 (up), z = axis 2 (into the screen) - the box is "
    "-1..1 on each axis. Axis 4 is brightness: 35 % at -1, full at +1. Dataset sounds: dots "
    "in their family's colour (the planes' colours), on the box's faces when outside it. "
    "Circle 1 (blue) lies in the plane of axes 1-2 at the height (axis 3) of the point just "
    "played, its steps as squares. Circle 2 (green) spans axes 3-4: seen in 3-D it is the "
    "vertical segment through the point just played, its steps as squares whose brightness "
    "is their axis-4 coordinate. Red: the point just played, growing with the voices' "
    "loudness (env~).",
    "Camera: drag with the left button to orbit, with the right button to zoom. Messages "
    "([s wae] gem ... or [s wae-gem]): orbit <azimuth> <elevation> (degrees), distance <d>, "
    "turn <d-azimuth> <d-elevation>, zoom <factor>, spin <degrees per second> (0 stops), "
    "home, frame <fps> (the frame rate cap, default %d), fps 1 (prints the frames drawn in "
    "each 10 s of Pd's time and the rate over the real time they took, 0 stops). gem 0 to "
    "[s wae] closes the view." % GEM_FRAME,
]


def make_gem():
    c = Canvas(760, 520)
    c.declare("-lib Gem")
    y = comments(c, GEM_NOTES, width=100)
    c.obj(10, y, "declare -lib Gem")
    boxes = {}
    for k, title in enumerate(["window", "camera", "dataset", "circles", "point", "frames"]):
        boxes[title] = c.subpatch(10 + 100 * k, y + 40, title, 800, 600)[1]
    make_gem_window(boxes["window"])
    make_gem_camera(boxes["camera"])
    make_gem_dataset(boxes["dataset"])
    make_gem_circles(boxes["circles"])
    make_gem_point(boxes["point"])
    make_gem_frames(boxes["frames"])
    return c


def make_gem_window(c):
    """The window, the box, the axes' labels; [r wae] gem ... and [r wae-gem] to the parts.
    Opening asks the walk (if there is one) for the dataset and the circles' parameters."""
    a = Auto(c)
    win = a.o("gemwin")
    a.wire(a.o("r $0-win"), win)
    init = a.wire(a.o("loadbang"), a.o("t b b b"))
    w, h = GEM_SIZE
    a.wire(a.wire(init, a.m(f"dimen {w} {h}, offset 0 0, title wae-gem, color 0 0 0, "
                            f"perspec -0.4 0.4 -0.4 0.4 1 40, frame {GEM_FRAME}, "
                            "create, 1"), 2), win)
    a.chain(a.wire(init, a.m("home"), 1), a.o("s $0-cam"))
    params = " ".join(f"wae {p}{i};" for i in (1, 2) for p in "xyds")
    # After every part's loadbang (the circles' segment needs its vertex count first).
    a.chain(a.wire(init, a.o("delay 0"), 0), a.m(f"; {params} wae points"))
    # Messages: from [s wae] (gem ...) and [s wae-gem]; [r wae] also gives the sends above a
    # receiver when no walk runs.
    gem = a.wire(a.o("r wae"), a.o("route gem"))
    close = a.wire(gem, a.o("route float"))
    a.chain(a.wire(close, a.o("sel 0")), a.m("0, destroy"), win)
    route = a.o("route " + " ".join(GEM_MESSAGES))
    a.wire(close, route, 1)
    a.wire(a.o("r wae-gem"), route)
    for i, m in enumerate(GEM_MESSAGES):
        if m in ("orbit", "distance", "turn", "zoom", "home"):
            a.chain(a.wire(route, a.o("list prepend " + m), i), a.o("list trim"),
                    a.o("s $0-cam"))
        elif m == "frame":
            a.chain(a.wire(route, a.m("frame $1"), i), win)
        else:
            a.wire(route, a.o(f"s $0-{m}"), i)
    # The box (-1..1 on each axis) and the axes' names at the +1 ends of edges that the
    # default camera sees on the outline.
    box = a.chain(a.o(f"gemhead {GEM_ORDER['box']}"), a.o("GEMglEnable GL_DEPTH_TEST"),
                  a.o("GEMglLineWidth 1"), a.o("colorRGB 0.4 0.4 0.4"),
                  a.o("cube 1"))
    a.wire(a.wire(init, a.m("draw line"), 2), box)
    labels = [("axis 1", (1.08, -1, 1)), ("axis 2", (-1, -1, -1.12)),
              ("axis 3", (1, 1.08, 1))]
    for text, (x, y, z) in labels:
        t = a.chain(a.o(f"gemhead {GEM_ORDER['box']}"), a.o("colorRGB 0.85 0.85 0.85"),
                    a.o(f"translateXYZ {x:g} {y:g} {z:g}"), a.o("text2d"))
        a.wire(a.wire(init, a.m(f"font {GEM_FONT}, text {text}"), 2), t)


def make_gem_camera(c):
    """The camera orbits the origin: state (azimuth, elevation, distance). Each message
    becomes (ma, me, md, aa, ae, ad): new = (azimuth ma + aa, elevation me + ae, distance
    md + ad), elevation kept within -89..89 and distance within 1.5..30."""
    a = Auto(c)
    route = a.wire(a.o("r $0-cam"), a.o("route orbit distance turn zoom home"))
    change = a.o("t b l")
    az, el, dist = GEM_HOME
    for i, text in enumerate(["0 0 1 $1 $2 0", "1 1 0 0 0 $1", "1 1 1 $1 $2 0",
                              "1 1 $1 0 0 0", f"0 0 0 {az} {el} {dist}"]):
        a.wire(a.wire(route, a.m(text), i), change)
    state = a.o(f"list store {az} {el} {dist}")
    both = a.o("list append")
    a.wire(change, both, 1, 1)
    a.wire(change, state, 0)
    a.wire(state, both)
    new = a.wire(both, a.o("expr $f1*$f4+$f7; max(-89, min(89, $f2*$f5+$f8)); "
                           "max(1.5, min(30, $f3*$f6+$f9))"))
    pack = a.o("pack f f f")
    for k in range(3):
        a.wire(new, pack, k, k)
    tn = a.wire(pack, a.o("t l l"))
    a.wire(tn, state, 1, 1)
    deg = "0.01745329"
    eye = a.wire(tn, a.o(f"expr $f3*cos($f2*{deg})*sin($f1*{deg}); $f3*sin($f2*{deg}); "
                         f"$f3*cos($f2*{deg})*cos($f1*{deg})"), 0)
    view = a.o("pack f f f")
    for k in range(3):
        a.wire(eye, view, k, k)
    a.chain(view, a.m("view $1 $2 $3 0 0 0 0 1 0"), a.o("s $0-win"))
    # spin: a turn every 40 ms while not 0.
    spin = a.wire(a.o("r $0-spin"), a.o("t f f"))
    metro = a.wire(a.wire(spin, a.o("!= 0"), 0), a.o("metro 40"))
    step = a.wire(a.wire(spin, a.o("* 0.04"), 1), a.o("f"), 0, 1)
    a.wire(metro, step)
    a.chain(step, a.m("turn $1 0"), a.o("s $0-cam"))
    # The mouse: left button drag orbits, right button drag zooms. [gemmouse] sends y then x
    # of the last motion; each motion's step from the one before is clipped to 20 pixels, so
    # that the first motion of a drag cannot jump from wherever the pointer was last seen.
    mouse = a.o("gemmouse")
    xy = a.o("pack f f")
    a.wire(mouse, xy, 0, 0)
    a.wire(mouse, xy, 1, 1)
    both = a.wire(xy, a.o("list append"))
    tp = a.wire(both, a.o("t l l"))
    a.wire(a.wire(tp, a.o("list split 2"), 1), both, 0, 1)  # this position, for the next
    delta = a.wire(tp, a.o("expr max(-20, min(20, $f1-$f3)); max(-20, min(20, $f2-$f4))"),
                   0)
    dpair = a.o("pack f f")
    a.wire(delta, dpair, 0, 0)
    a.wire(delta, dpair, 1, 1)
    left = a.wire(dpair, a.o("spigot"))
    a.wire(mouse, left, 2, 1)
    turn = a.wire(left, a.o("expr -0.4*$f1; 0.4*$f2"))
    tpair = a.o("pack f f")
    a.wire(turn, tpair, 0, 0)
    a.wire(turn, tpair, 1, 1)
    a.chain(tpair, a.m("turn $1 $2"), a.o("s $0-cam"))
    right = a.wire(dpair, a.o("spigot"))
    a.wire(mouse, right, 4, 1)
    a.chain(a.wire(a.wire(right, a.o("unpack f f")), a.o("expr exp(0.01*$f1)"), 1),
            a.m("zoom $1"), a.o("s $0-cam"))


def vertex_loop(a, start, n_in, n_outlet, expr_text, tables, buffer_msg, buffer):
    """A bang to `start`: for j in 0..n-1 (n: the last float from outlet `n_outlet` of
    `n_in`, at most GEM_MAX_STEPS), writes the outputs of expr_text ($f1 = j; its other
    inlets are the caller's parameters) to [table $0-NAME] for each of `tables`, then
    sends buffer_msg ($1 = $0, $2 = n) to the [gemvertexbuffer] `buffer`. Returns the
    expr."""
    for name in tables:
        a.o(f"table $0-{name} {GEM_MAX_STEPS}")
    t = a.wire(start, a.o("t b b b"))
    loop_n = a.wire(n_in, a.o("f"), n_outlet, 1)
    msg_n = a.wire(n_in, a.o("f"), n_outlet, 1)
    counter = a.o("f")
    a.wire(a.wire(t, a.m("0"), 2), counter, 0, 1)
    a.chain(a.wire(t, loop_n, 1), a.o("until"), counter)
    a.wire(a.wire(counter, a.o("+ 1")), counter, 0, 1)
    tj = a.wire(counter, a.o("t f f"))
    e = a.wire(tj, a.o(expr_text), 0)
    for k, name in enumerate(tables):
        w = a.o(f"tabwrite $0-{name}")
        a.wire(tj, w, 1, 1)
        a.wire(e, w, k)
    a.chain(a.wire(t, msg_n, 0), a.o("list prepend $0"), a.m(buffer_msg), buffer)
    return e


def make_gem_dataset(c):
    """The bank's dataset sounds: `points N` then N times `point a1 a2 a3 a4 family` (on
    [r wae-info]) fill seven tables; after the last, one [gemvertexbuffer] draws them all as
    points (hidden while they load)."""
    a = Auto(c)
    tables = ["px", "py", "pz", "cr", "cg", "cb", "ca"]
    for n in tables:
        a.o(f"table $0-{n} 1")
    head = a.o(f"gemhead {GEM_ORDER['dataset']}")
    a.chain(a.o("loadbang"), a.m("0"), head)
    buffer = a.chain(head, a.o("GEMglEnable GL_DEPTH_TEST"), a.o(f"GEMglPointSize {GEM_DOT_PX}"),
                     a.o("gemvertexbuffer 1"))
    route = a.wire(a.o("r wae-info"), a.o("route points point"))
    tp = a.wire(route, a.o("t b f f b"), 0)
    a.wire(a.wire(tp, a.m("0"), 3), head)
    total = a.wire(tp, a.o("f"), 2, 1)
    resize = "; ".join(f"$1-{n} resize $2" for n in tables)
    a.chain(a.wire(tp, a.o("max 1"), 1), a.o("list prepend $0"),
            a.m(f"; {resize}; $1-ca const 1"))
    index = a.o("f")
    a.wire(a.wire(tp, a.m("0"), 0), index, 0, 1)
    tpt = a.wire(route, a.o("t b l b"), 1)
    ti = a.wire(a.wire(tpt, index, 2), a.o("t f f"))
    a.wire(a.wire(ti, a.o("+ 1"), 0), index, 0, 1)
    current = a.wire(ti, a.o("f"), 1, 1)
    b = brightness("$f4")
    e = a.o("expr max(-1, min(1, $f1)); max(-1, min(1, $f3)); -max(-1, min(1, $f2)); "
            f"int($f5/100)/9.0*{b}; (int($f5/10)%10)/9.0*{b}; ($f5%10)/9.0*{b}", width=80)
    for k, name in enumerate(tables[:6]):
        w = a.o(f"tabwrite $0-{name}")
        a.wire(ti, w, 1, 1)
        a.wire(e, w, k)
    tl = a.wire(tpt, a.o("t l l"), 1)
    family, colour = palette(a)
    a.wire(a.wire(tl, a.o("list split 4"), 1), family, 1)
    a.wire(colour, e, 0, 4)
    a.wire(a.wire(tl, a.o("list split 4"), 0), e, 0)
    last = a.chain(a.wire(tpt, current, 0), a.o("expr $f1==$f2-1"))
    a.wire(tp, last, 2, 1)
    done = a.wire(a.wire(last, a.o("sel 1")), a.o("t b b"))
    ask = a.chain(a.wire(done, total, 1), a.o("list prepend $0"), a.o("t l l"))
    a.chain(a.wire(ask, a.m("resize $2, position $1-px $1-py $1-pz, "
                               "color $1-cr $1-cg $1-cb $1-ca"), 1), buffer)
    a.chain(a.wire(ask, a.m("points $2"), 0), a.o("print wae-gem"))
    a.wire(a.wire(done, a.m("1"), 0), head)


def make_gem_circles(c):
    """Circle 1: a ring in the plane of axes 1-2, centre (x1, y1), at the height (axis 3) of
    the point just played, and its s1 steps. Circle 2: the segment x2 - d2/2 .. x2 + d2/2
    of axis 3 through the point just played, and its s2 steps, bright by their axis-4
    coordinate y2 + d2/2 sin(theta)."""
    a = Auto(c)
    got = {}
    for p in ["x1", "y1", "d1", "s1", "x2", "y2", "d2", "s2"]:
        got[p] = a.wire(a.o(f"r wae-{p}"), a.o("t b f"))
    point = a.wire(a.o("r wae-point"), a.o("unpack f f f f"))
    minus_a2 = a.wire(point, a.o("* -1"), 1)
    minus_y1 = a.wire(got["y1"], a.o("* -1"), 1)
    init = a.wire(a.o("loadbang"), a.o("t b b b"))
    two_pi = "6.283185307"
    r1, g1, b1 = GEM_CIRCLE_COLOURS[1]
    r2, g2, b2 = GEM_CIRCLE_COLOURS[2]

    def placed(index):
        """A gemhead moved to circle 1's centre at the current height (index 1), or to the
        current point's axes 1 and 2 (index 2), in the circle's colour."""
        t = a.chain(a.o(f"gemhead {GEM_ORDER['circles']}"), a.o("GEMglDisable GL_DEPTH_TEST"),
                    a.o("translateXYZ"))
        if index == 1:
            a.wire(got["x1"], t, 1, 1)
            a.wire(point, t, 2, 2)
            a.wire(minus_y1, t, 0, 3)
            return a.wire(t, a.o(f"colorRGB {r1:g} {g1:g} {b1:g}"))
        a.wire(point, t, 0, 1)
        a.wire(minus_a2, t, 0, 3)
        return a.wire(t, a.o(f"colorRGB {r2:g} {g2:g} {b2:g}"))

    # The ring: Gem's circle (in x-y) turned into the x-z plane, radius d1/2.
    scale = a.o("scale 0")
    ring = a.chain(placed(1), a.o("GEMglLineWidth 3"), a.o("rotateXYZ 90 0 0"), scale,
                   a.o("circle 1"))
    a.wire(a.wire(got["d1"], a.o("/ 2"), 1), scale, 0, 1)
    a.wire(a.wire(init, a.m("draw line"), 2), ring)

    # Circle 1's steps.
    steps1 = a.chain(placed(1), a.o(f"GEMglPointSize {GEM_STEP_PX}"), a.o("gemvertexbuffer 1"))
    start1 = a.o("t b")
    e1 = vertex_loop(a, start1, got["s1"], 1,
                     f"expr $f2/2*cos({two_pi}*$f1/$f3); 0; -$f2/2*sin({two_pi}*$f1/$f3)",
                     ["s1x", "s1y", "s1z"], "resize $2, position $1-s1x $1-s1y $1-s1z",
                     steps1)
    for k, p in ((1, "d1"), (2, "s1")):
        a.wire(got[p], e1, 1, k)
        a.wire(got[p], start1, 0)

    # Circle 2's segment along axis 3.
    seg = a.chain(placed(2), a.o("GEMglLineWidth 3"), a.o("gemvertexbuffer 2"))
    a.wire(a.wire(init, a.m("draw line"), 1), seg)
    start2 = a.o("t b")
    two = a.wire(init, a.m("2"), 0)
    e2 = vertex_loop(a, start2, two, 0, "expr 0; $f2+(2*$f1-1)*$f3/2; 0",
                     ["gx", "gy", "gz"], "resize $2, position $1-gx $1-gy $1-gz", seg)
    for k, p in ((1, "x2"), (2, "d2")):
        a.wire(got[p], e2, 1, k)
        a.wire(got[p], start2, 0)

    # Circle 2's steps: along axis 3, bright by axis 4.
    steps2 = a.chain(placed(2), a.o(f"GEMglPointSize {GEM_STEP_PX}"), a.o("gemvertexbuffer 1"))
    start3 = a.o("t b")
    bright = brightness(f"$f3+$f4/2*sin({two_pi}*$f1/$f5)")
    e3 = vertex_loop(a, start3, got["s2"], 1,
                     f"expr 0; $f2+$f4/2*cos({two_pi}*$f1/$f5); 0; {r2:g}*{bright}; "
                     f"{g2:g}*{bright}; {b2:g}*{bright}; 1",
                     ["s2x", "s2y", "s2z", "s2r", "s2g", "s2b", "s2a"],
                     "resize $2, position $1-s2x $1-s2y $1-s2z, color $1-s2r $1-s2g $1-s2b "
                     "$1-s2a", steps2)
    for k, p in ((1, "x2"), (2, "y2"), (3, "d2"), (4, "s2")):
        a.wire(got[p], e3, 1, k)
        a.wire(got[p], start3, 0)


def make_gem_point(c):
    """The point just played (red), its size following the voices' loudness: [env~] of
    [r~ wae-out], from GEM_CUR when silent to 3 GEM_CUR at 80 dB (amplitude 0.1) and above."""
    a = Auto(c)
    point = a.wire(a.o("r wae-point"), a.o("unpack f f f f"))
    move = a.chain(a.o(f"gemhead {GEM_ORDER['point']}"), a.o("GEMglDisable GL_DEPTH_TEST"),
                   a.o("translateXYZ"))
    a.wire(point, move, 0, 1)
    a.wire(point, move, 2, 2)
    a.wire(a.wire(point, a.o("* -1"), 1), move, 0, 3)
    size = a.o(f"scale {GEM_CUR:g}")
    a.chain(move, a.o("colorRGB 1 0 0"), size, a.o("sphere 1 12"))
    level = a.chain(a.o("r~ wae-out"), a.o("env~ 1024 256"),
                    a.o(f"expr {GEM_CUR:g}*(1+2*max(0, min(1, ($f1-40)/40)))"))
    a.wire(level, size, 0, 1)


def make_gem_frames(c):
    """fps 1: every 10 s of Pd's logical time, prints the frames drawn ([gemhead] renders),
    the real time they took ([realtime]: logical time falls behind it when Pd is
    overloaded) and their rate; fps 0 stops. How docs/PATCH.md's frame rate was measured."""
    a = Auto(c)
    count = a.o("f")
    increment = a.wire(count, a.o("+ 1"))
    a.wire(increment, count, 0, 1)
    a.chain(a.o("gemhead"), a.o("t b"), count)
    on = a.wire(a.o("r $0-fps"), a.o("t f f"))
    gate = a.o("spigot")
    a.wire(on, gate, 1, 1)
    clock = a.o("delay 10000")
    start = a.wire(on, a.o("sel 0"), 0)
    a.wire(a.wire(start, a.m("stop"), 0), clock)
    since = a.o("realtime")
    report = a.o("t b b b")
    a.wire(clock, gate)
    a.wire(gate, report)
    frames = a.o("f")
    a.wire(increment, frames, 0, 1)
    ms = a.wire(report, since, 2, 1)
    rate = a.o("expr $f1; $f2; $f1*1000/$f2")
    a.wire(ms, rate, 0, 1)
    a.wire(a.wire(report, frames, 1), rate)
    out = a.o("pack f f f")
    for k in range(3):
        a.wire(rate, out, k, k)
    a.chain(out, a.m("frames $1 in $2 ms: $3 fps"), a.o("print wae-gem"))
    restart = a.o("t b b b")
    a.wire(report, restart, 0)
    a.wire(start, restart, 1)
    zero = a.wire(restart, a.m("0"), 2)
    a.wire(zero, count, 0, 1)
    a.wire(zero, frames, 0, 1)
    a.wire(restart, since, 1, 0)
    a.wire(restart, clock, 0)


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
        "wae-gem.pd": make_gem(),
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

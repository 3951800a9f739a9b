"""wae-walk (the engine, no GUI) and the abstractions it is made of: wae-circle (one circle
of the walk, its formula written in it) and wae-param (one parameter)."""
from pdfile import Auto, Canvas, comments

from .settings import DEFAULT_RECORDING, MESSAGES, PARAMS, PRESET_FILE, fmt

GEM_HOLDER = "wae-gemview"  # the subpatch of wae-walk where `gem 1` creates [wae-gem]
RANDOM_RANGE = 1000000  # [random] range; u = n / (RANDOM_RANGE / 2) - 1

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
    a.parallel(expr, pack)
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
    a.parallel(notein, strip)
    notemsg = a.wire(a.o("r $0-note"), a.o("unpack f f"))
    a.parallel(notemsg, strip)
    note = a.o("pack f f")
    a.parallel(strip, note)
    a.wire(note, a.o("s wae-note"))
    # expr's outlets fire right to left: the gain into the pack's cold inlet, then the pitch.
    gp = a.wire(note, a.o("expr $f1-$f3+60; $f2/127"))
    a.wire(a.o("r wae-root"), gp, 0, 2)
    pair = a.o("pack f f")
    a.parallel(gp, pair)
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


"""wae-explorer: the patch a musician opens (controls, the two planes, the legend, dac~),
its GUI glue in [pd logic] and the data-structure templates in [pd templates]."""
from pdfile import CHAR_PX, Auto, Canvas

from .settings import DEFAULT_BANK, MAX_DOTS, PARAM, PRESET_FILE
from .views import TEMPLATES

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

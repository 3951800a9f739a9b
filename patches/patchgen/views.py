"""The visualisation: wae-plane (one plane of the walk, drawn with data structures) and
wae-legend (the instrument families' colours), with the templates they draw and the
family palette (also used by the GEM view)."""
from pdfile import Auto, Canvas, comments

from .settings import FAMILIES, MAX_DOTS, PALETTE

PLANE_PIXELS = 300
RING_SEGMENTS = 64
PLANE_COLOURS = {1: 118, 2: 161}  # the polygon of circle 1 (blue), circle 2 (green)

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


def scalar_canvas(name, notes_size, notes_width, notes):
    """The top of an abstraction that draws scalars on its parent (graph on parent): its
    comments in a [pd notes] subpatch of notes_size (the parent would show them), and
    [namecanvas $0-NAME] for the pointers; the laid-out boxes start below. Returns (the
    canvas, its Auto)."""
    c = Canvas(900, 700)
    _, sub = c.subpatch(10, 10, "notes", *notes_size)
    comments(sub, notes, width=notes_width)
    c.origin = (10, 50)
    c.obj(10, 40, f"namecanvas $0-{name}")
    return c, Auto(c)


def make_plane():
    """wae-plane INDEX OFFSET: plane INDEX (1 or 2) of the walk, drawing coordinates OFFSET+1
    and OFFSET+2 of the 4-D points. Graph on parent, x and y from -1 to 1."""
    c, a = scalar_canvas("plane", (700, 300), 90, [
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
    ])

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
        a.parallel(e, st)
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
    a.parallel(up, setcur)
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
    a.parallel(got, xyc, 3)
    visible = a.wire(xyc, a.o("spigot"))
    a.wire(got, visible, 3, 1)  # v comes first (right to left)
    a.chain(visible, a.o("list prepend dot $1"), a.o("list trim"), state)
    cur_at = a.wire(walker, a.o("get wae-cur x y"), 1)
    cur_pair = a.o("pack f f")
    a.parallel(cur_at, cur_pair)
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
    c, a = scalar_canvas("legend", (600, 200), 80, [
        "wae-legend: the bank's instrument families (the `family i name` answers to "
        "wae-sampler~'s points message) with the colours wae-plane gives their sounds. A "
        f"pool of {LEGEND_SLOTS} labels (template wae-label), shown or hidden. No comments "
        "on the legend's own canvas: a graph on parent would show them."])
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


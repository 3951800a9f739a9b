"""wae-gem: the optional 3-D view of the walk (needs the Gem library; `gem 1` to [s wae]
opens it in wae-walk)."""
from pdfile import Auto, Canvas, comments

from .views import palette

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
    a.parallel(new, pack, 3)
    tn = a.wire(pack, a.o("t l l"))
    a.wire(tn, state, 1, 1)
    deg = "0.01745329"
    eye = a.wire(tn, a.o(f"expr $f3*cos($f2*{deg})*sin($f1*{deg}); $f3*sin($f2*{deg}); "
                         f"$f3*cos($f2*{deg})*cos($f1*{deg})"), 0)
    view = a.o("pack f f f")
    a.parallel(eye, view, 3)
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
    a.parallel(mouse, xy)
    both = a.wire(xy, a.o("list append"))
    tp = a.wire(both, a.o("t l l"))
    a.wire(a.wire(tp, a.o("list split 2"), 1), both, 0, 1)  # this position, for the next
    delta = a.wire(tp, a.o("expr max(-20, min(20, $f1-$f3)); max(-20, min(20, $f2-$f4))"),
                   0)
    dpair = a.o("pack f f")
    a.parallel(delta, dpair)
    left = a.wire(dpair, a.o("spigot"))
    a.wire(mouse, left, 2, 1)
    turn = a.wire(left, a.o("expr -0.4*$f1; 0.4*$f2"))
    tpair = a.o("pack f f")
    a.parallel(turn, tpair)
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
    a.parallel(rate, out, 3)
    a.chain(out, a.m("frames $1 in $2 ms: $3 fps"), a.o("print wae-gem"))
    restart = a.o("t b b b")
    a.wire(report, restart, 0)
    a.wire(start, restart, 1)
    zero = a.wire(restart, a.m("0"), 2)
    a.wire(zero, count, 0, 1)
    a.wire(zero, frames, 0, 1)
    a.wire(restart, since, 1, 0)
    a.wire(restart, clock, 0)

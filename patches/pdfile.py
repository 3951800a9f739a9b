"""Writes Pd patch files (Pd 0.53 vanilla format) from Python: boxes placed by coordinates
or laid out automatically, subpatches nested, connections by the boxes' handles, so a
patch with a hundred objects stays readable and nobody counts object indices by hand.

    c = Canvas(width=400, height=300)
    lb = c.obj(10, 10, "loadbang")        # placed at (10, 10)
    m = c.msg(None, None, "; pd dsp 1")   # placed by layout(), below the placed boxes
    c.connect(lb, m)
    c.write("case.pd")

Auto(c) shortens the boxes that layout() places and their wires (a.o, a.m, a.wire,
a.chain, a.parallel); comments(c, paragraphs) stacks comment paragraphs at the top of a
canvas.

Box text is written as typed in Pd: ';' ',' and '$' are escaped here. A number standing
alone in a comment is a float to Pd, which saves it with 6 significant digits: glue long
numbers to a symbol character (`472940017*state`). Used by make_patches.py and patchgen/
(the shipped patches) and by the patch tests' harnesses.
"""
import math
import textwrap

CHAR_PX = 7  # Pd's font size 12: 7 x 16 pixel characters
LINE_PX = 16
AUTO_WRAP = 60  # characters: longer auto-placed boxes wrap


def escape(text):
    """Pd's file escapes for the text of a box: ';', ',' and '$'."""
    return text.replace("$", "\\$").replace(";", " \\;").replace(",", " \\,")


def name(symbol):
    """A send/receive/label name for an IEM GUI: 'empty' for none. One symbol: Pd would
    read the words of a name with spaces as the GUI's next arguments."""
    assert " " not in symbol, f"IEM GUI names and labels are one word: {symbol!r}"
    return escape(symbol) if symbol else "empty"


def atom_name(symbol):
    """The same for atom boxes: '-' for none."""
    return escape(symbol) if symbol else "-"


def color(rgb):
    return "#%06x" % rgb


class Box:
    """A handle on one box of a canvas: its index in that canvas."""

    def __init__(self, canvas, index):
        self.canvas = canvas
        self.index = index


class _Item:
    def __init__(self, kind, x, y, body, text="", width=None, child=None):
        self.kind, self.x, self.y, self.body = kind, x, y, body
        self.text, self.width, self.child = text, width, child

    def size(self):
        """Pixel width and height of the box as Pd draws it (near enough to lay out)."""
        wrap = self.width or 60  # Pd wraps boxes and comments at 60 characters by default
        lines = textwrap.wrap(self.text, wrap) or [""]
        chars = self.width or max(max(len(line) for line in lines), 3)
        lines = len(lines)
        extra = 10 if self.kind == "msg" else 6
        return chars * CHAR_PX + extra, max(1, lines) * LINE_PX + 4

    def line(self):
        if self.kind == "restore":
            return f"#X restore {self.x} {self.y} {self.body};"
        return f"#X {self.kind} {self.x} {self.y} {self.body};"


class Canvas:
    """A Pd canvas: the top level of a file, or a subpatch inside another canvas."""

    def __init__(self, width=800, height=600, x=0, y=0, font=12, title=None, open_=0):
        self.width, self.height, self.x, self.y = width, height, x, y
        self.font = font
        self.title = title  # subpatch name; None for the file's top level
        self.open = open_
        self.items = []
        self.edges = []  # (source index, outlet, sink index, inlet)
        self.coords = None
        self.declares = []
        self.first_row = []  # auto-placed boxes to put first, left to right (inlets)
        self.last_row = []  # and last (outlets)
        self.origin = None  # top-left of the laid-out boxes; default: below the placed ones

    # -- boxes -------------------------------------------------------------------------
    def _add(self, item):
        self.items.append(item)
        return Box(self, len(self.items) - 1)

    def _text_box(self, kind, x, y, text, width):
        if width is None and x is None and len(text) > AUTO_WRAP:
            width = AUTO_WRAP
        suffix = f", f {width}" if width else ""
        return self._add(_Item(kind, x, y, escape(text) + suffix, text, width))

    def obj(self, x, y, text, width=None):
        """An object box at (x, y), or laid out when x is None."""
        return self._text_box("obj", x, y, text, width)

    def msg(self, x, y, text, width=None):
        return self._text_box("msg", x, y, text, width)

    def text(self, x, y, text, width=None):
        """A comment."""
        return self._text_box("text", x, y, text, width)

    def floatatom(self, x, y, width=5, lo=0, hi=0, label="", receive="", send="", label_pos=0):
        """label_pos: 0 left, 1 right, 2 top, 3 bottom."""
        return self._add(_Item("floatatom", x, y,
                               f"{width} {lo:g} {hi:g} {label_pos} {atom_name(label)} "
                               f"{atom_name(receive)} {atom_name(send)} 0"))

    def symbolatom(self, x, y, width=10, label="", receive="", send="", label_pos=0):
        return self._add(_Item("symbolatom", x, y,
                               f"{width} 0 0 {label_pos} {atom_name(label)} "
                               f"{atom_name(receive)} {atom_name(send)} 0"))

    def _gui(self, x, y, body):
        return self._add(_Item("obj", x, y, body))

    def tgl(self, x, y, size=15, send="", receive="", label="", lx=19, ly=8, fs=10,
            init=0, bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._gui(x, y, f"tgl {size} {init} {name(send)} {name(receive)} {name(label)} "
                               f"{lx} {ly} 0 {fs} {color(bg)} {color(fg)} {color(lbl)} 0 1")

    def bng(self, x, y, size=15, send="", receive="", label="", lx=19, ly=8, fs=10,
            bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._gui(x, y, f"bng {size} 250 50 0 {name(send)} {name(receive)} "
                               f"{name(label)} {lx} {ly} 0 {fs} {color(bg)} {color(fg)} "
                               f"{color(lbl)}")

    def hsl(self, x, y, width, height, lo, hi, send="", receive="", label="", lx=-2, ly=-8,
            fs=10, bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._gui(x, y, f"hsl {width} {height} {lo:g} {hi:g} 0 0 {name(send)} "
                               f"{name(receive)} {name(label)} {lx} {ly} 0 {fs} {color(bg)} "
                               f"{color(fg)} {color(lbl)} 0 1")

    def hradio(self, x, y, size, number, send="", receive="", label="", lx=0, ly=-8, fs=10,
               bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._gui(x, y, f"hradio {size} 1 0 {number} {name(send)} {name(receive)} "
                               f"{name(label)} {lx} {ly} 0 {fs} {color(bg)} {color(fg)} "
                               f"{color(lbl)} 0")

    def cnv(self, x, y, width, height, bg=0xe0e0e0, label="", lx=5, ly=10, fs=12,
            lbl=0x000000):
        return self._gui(x, y, f"cnv 1 {width} {height} empty empty {name(label)} {lx} {ly} 0 "
                               f"{fs} {color(bg)} {color(lbl)} 0")

    def subpatch(self, x, y, title, width=700, height=500, font=12, open_=0):
        """A [pd title] subpatch box (laid out when x is None); returns (box, its Canvas)."""
        child = Canvas(width, height, x=60, y=60, font=font, title=title, open_=open_)
        box = self._add(_Item("restore", x, y, f"pd {escape(title)}", f"pd {title}",
                              child=child))
        return box, child

    def graph_on_parent(self, x1, y1, x2, y2, width, height, hide_name=True, margin=(0, 0)):
        """Shows this canvas on its parent: a width x height box mapping x1..x2, y1..y2."""
        flag = 3 if hide_name else 1
        self.coords = (f"#X coords {x1:g} {y1:g} {x2:g} {y2:g} {width} {height} {flag} "
                       f"{margin[0]} {margin[1]};")

    def declare(self, text):
        """A '#X declare' line (Pd reads it before creating the boxes)."""
        self.declares.append(text)

    # -- connections -------------------------------------------------------------------
    def connect(self, source, sink, outlet=0, inlet=0):
        assert source.canvas is self and sink.canvas is self, "connect inside one canvas"
        self.edges.append((source.index, outlet, sink.index, inlet))

    def chain(self, *boxes):
        """Connects outlet 0 of each box to inlet 0 of the next."""
        for a, b in zip(boxes, boxes[1:]):
            self.connect(a, b)

    # -- layout ------------------------------------------------------------------------
    def layout(self):
        """Places the boxes created without coordinates: layered top to bottom along the
        connections (cycles broken), ordered within a layer by their neighbours' positions,
        packed without overlaps."""
        auto = [i for i, it in enumerate(self.items) if it.x is None]
        if not auto:
            return
        if self.origin:
            x0, y0 = self.origin
        else:
            fixed = [it for it in self.items if it.x is not None]
            x0 = 10
            y0 = max([it.y + it.size()[1] for it in fixed] + [0]) + 20
        keep, pred = _acyclic(auto, self.edges)
        first = [b.index for b in self.first_row]
        last = [b.index for b in self.last_row]
        layer = _layers(auto, keep, pred, first, last)
        rows = _ordered_rows(auto, layer, keep, pred, bool(first), bool(last))
        self._place(rows, pred, x0, y0)

    def _place(self, rows, pred, x0, y0):
        """Pixel positions, row by row from (x0, y0): each box as near as it can be to its
        parents, no overlaps; the canvas grows to hold them (up to 1600 x 1000)."""
        px = {}
        y = y0
        for k in sorted(rows):
            right = x0
            height = 0
            for n in rows[k]:
                it = self.items[n]
                w, h = it.size()
                parents = [px[p] for p in pred[n] if p in px]
                want = int(sum(parents) / len(parents)) if parents else x0
                x = max(right, want)
                px[n] = x
                it.x, it.y = x, y
                right = x + w + 14
                height = max(height, h)
            y += height + 18
        self.height = max(self.height, min(y + 20, 1000))
        self.width = max(self.width, min(max(it.x + it.size()[0] for it in self.items) + 30,
                                         1600))

    # -- output ------------------------------------------------------------------------
    def lines(self):
        self.layout()
        if self.title is None:
            out = [f"#N canvas {self.x} {self.y} {self.width} {self.height} {self.font};"]
        else:
            out = [f"#N canvas {self.x} {self.y} {self.width} {self.height} "
                   f"{escape(self.title)} {self.open};"]
        out += [f"#X declare {d};" for d in self.declares]
        for item in self.items:
            if item.child is not None:
                out += item.child.lines()
            out.append(item.line())
        out += [f"#X connect {s} {o} {t} {i};" for s, o, t, i in self.edges]
        if self.coords:
            out.append(self.coords)
        return out

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines()) + "\n")


# -- layout steps (Canvas.layout) ----------------------------------------------------------
def _acyclic(auto, edges):
    """The connections between the boxes `auto` with cycles broken (edges found going back
    to a box on the depth-first stack are dropped): (keep, pred), each box's children and
    parents."""
    aset = set(auto)
    succ = {i: [] for i in auto}
    pred = {i: [] for i in auto}
    for s, _, t, _ in edges:
        if s in aset and t in aset and s != t:
            succ[s].append(t)
    state = {}
    keep = {i: [] for i in auto}

    def visit(n):
        state[n] = 1
        for m in succ[n]:
            if state.get(m) == 1:
                continue
            keep[n].append(m)
            if m not in state:
                visit(m)
        state[n] = 2

    for n in auto:
        if n not in state:
            visit(n)
    for n in auto:
        for m in keep[n]:
            pred[m].append(n)
    return keep, pred


def _layers(auto, keep, pred, first, last):
    """Each box's layer (row): longest path from the sources, then sources pulled down next
    to their first child; the boxes `first` alone on the top row, `last` on the bottom."""
    order = []
    seen = set()

    def topo(n):
        seen.add(n)
        for m in keep[n]:
            if m not in seen:
                topo(m)
        order.append(n)

    for n in auto:
        if n not in seen:
            topo(n)
    order.reverse()
    layer = {}
    for n in order:
        layer[n] = max([layer[p] + 1 for p in pred[n]] + [0])
    for n in reversed(order):
        if not pred[n] and keep[n]:
            layer[n] = max(layer[n], min(layer[m] for m in keep[n]) - 1)
    if first:
        for n in auto:
            layer[n] += 1
        for n in first:
            layer[n] = 0
    if last:
        bottom = max(layer[n] for n in auto if n not in last) + 1
        for n in last:
            layer[n] = bottom
    return layer


def _ordered_rows(auto, layer, keep, pred, fixed_first, fixed_last):
    """{layer: boxes left to right}: by creation, then a few barycentre sweeps (down by the
    parents' places, up by the children's); a fixed first or last row keeps its order."""
    rows = {}
    for n in auto:
        rows.setdefault(layer[n], []).append(n)
    xs = {}
    for k in sorted(rows):
        for pos, n in enumerate(rows[k]):
            xs[n] = pos
    for sweep in range(6):
        down = sweep % 2 == 0
        for k in (sorted(rows) if down else sorted(rows, reverse=True)):
            if (k == 0 and fixed_first) or (k == max(rows) and fixed_last):
                continue
            nbrs = pred if down else keep

            def key(n):
                ns = [xs[m] for m in nbrs[n] if m in xs]
                return sum(ns) / len(ns) if ns else xs[n]

            rows[k].sort(key=key)
            for pos, n in enumerate(rows[k]):
                xs[n] = pos
    return rows


def comment_height(text, width):
    """Pixel height of a comment wrapped at `width` characters."""
    return len(textwrap.wrap(text, width)) * LINE_PX + 4


def wrap_width(pixels):
    return max(10, math.floor(pixels / CHAR_PX))


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

    def parallel(self, a, b, n=2):
        """Outlet k of a to inlet k of b for k = 0..n-1 (an [unpack] or [expr] into a [pack]
        or a [set]); returns b."""
        for k in range(n):
            self.c.connect(a, b, k, k)
        return b


def comments(c, paragraphs, x=10, y=10, width=100):
    """Comment paragraphs down the top of a canvas; returns the y below them."""
    for text in paragraphs:
        c.text(x, y, text, width=width)
        y += comment_height(text, width) + 8
    return y

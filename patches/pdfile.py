"""Writes Pd patch files (Pd 0.53 vanilla format) from Python: boxes placed by coordinates,
subpatches nested, connections by the boxes' handles, so a patch with a hundred objects
stays readable and its layout is computed rather than hand-counted.

    c = Canvas(width=400, height=300)
    lb = c.obj(10, 10, "loadbang")
    m = c.msg(10, 40, "; pd dsp 1")
    c.connect(lb, m)
    c.write("case.pd")

Box text is written as typed in Pd: ';' ',' and '$' are escaped here. Used by
make_patches.py (the shipped patches) and by the patch tests' harnesses.
"""


def escape(text):
    """Pd's file escapes for the text of a box: ';', ',' and '$'."""
    return text.replace("$", "\\$").replace(";", " \\;").replace(",", " \\,")


def name(symbol):
    """A send/receive/label name for an IEM GUI or atom box: 'empty' or '-' for none."""
    return escape(symbol) if symbol else "empty"


def atom_name(symbol):
    return escape(symbol) if symbol else "-"


def color(rgb):
    return "#%06x" % rgb


class Box:
    """A handle on one box of a canvas: its index in that canvas."""

    def __init__(self, canvas, index):
        self.canvas = canvas
        self.index = index


class Canvas:
    """A Pd canvas: the top level of a file, or a subpatch inside another canvas."""

    def __init__(self, width=800, height=600, x=0, y=0, font=12, title=None, open_=0):
        self.width, self.height, self.x, self.y = width, height, x, y
        self.font = font
        self.title = title  # subpatch name; None for the file's top level
        self.open = open_
        self.items = []  # lines, or (Canvas, restore line) for subpatches
        self.count = 0
        self.connections = []
        self.coords = None
        self.declares = []

    # -- boxes -------------------------------------------------------------------------
    def _add(self, line):
        self.items.append(line)
        self.count += 1
        return Box(self, self.count - 1)

    @staticmethod
    def _width(width):
        return f", f {width}" if width else ""

    def obj(self, x, y, text, width=None):
        return self._add(f"#X obj {x} {y} {escape(text)}{self._width(width)};")

    def msg(self, x, y, text, width=None):
        return self._add(f"#X msg {x} {y} {escape(text)}{self._width(width)};")

    def text(self, x, y, text, width=None):
        """A comment."""
        return self._add(f"#X text {x} {y} {escape(text)}{self._width(width)};")

    def floatatom(self, x, y, width=5, lo=0, hi=0, label="", receive="", send="", label_pos=0):
        """label_pos: 0 left, 1 right, 2 top, 3 bottom."""
        return self._add(f"#X floatatom {x} {y} {width} {lo:g} {hi:g} {label_pos} "
                         f"{atom_name(label)} {atom_name(receive)} {atom_name(send)} 0;")

    def symbolatom(self, x, y, width=10, label="", receive="", send="", label_pos=0):
        return self._add(f"#X symbolatom {x} {y} {width} 0 0 {label_pos} {atom_name(label)} "
                         f"{atom_name(receive)} {atom_name(send)} 0;")

    def tgl(self, x, y, size=15, send="", receive="", label="", lx=19, ly=8, fs=10,
            init=0, bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._add(f"#X obj {x} {y} tgl {size} {init} {name(send)} {name(receive)} "
                         f"{name(label)} {lx} {ly} 0 {fs} {color(bg)} {color(fg)} {color(lbl)} "
                         f"0 1;")

    def bng(self, x, y, size=15, send="", receive="", label="", lx=19, ly=8, fs=10,
            bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._add(f"#X obj {x} {y} bng {size} 250 50 0 {name(send)} {name(receive)} "
                         f"{name(label)} {lx} {ly} 0 {fs} {color(bg)} {color(fg)} {color(lbl)};")

    def hsl(self, x, y, width, height, lo, hi, send="", receive="", label="", lx=-2, ly=-8,
            fs=10, bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._add(f"#X obj {x} {y} hsl {width} {height} {lo:g} {hi:g} 0 0 {name(send)} "
                         f"{name(receive)} {name(label)} {lx} {ly} 0 {fs} {color(bg)} "
                         f"{color(fg)} {color(lbl)} 0 1;")

    def hradio(self, x, y, size, number, send="", receive="", label="", lx=0, ly=-8, fs=10,
               bg=0xfcfcfc, fg=0x000000, lbl=0x000000):
        return self._add(f"#X obj {x} {y} hradio {size} 1 0 {number} {name(send)} "
                         f"{name(receive)} {name(label)} {lx} {ly} 0 {fs} {color(bg)} "
                         f"{color(fg)} {color(lbl)} 0;")

    def cnv(self, x, y, width, height, bg=0xe0e0e0, label="", lx=5, ly=10, fs=12,
            lbl=0x000000):
        return self._add(f"#X obj {x} {y} cnv 1 {width} {height} empty empty {name(label)} "
                         f"{lx} {ly} 0 {fs} {color(bg)} {color(lbl)} 0;")

    def subpatch(self, x, y, title, width=500, height=400, font=12, open_=0):
        """A [pd title] subpatch box; returns (its box, its Canvas)."""
        child = Canvas(width, height, x=60, y=60, font=font, title=title, open_=open_)
        self.items.append((child, f"#X restore {x} {y} pd {escape(title)};"))
        self.count += 1
        return Box(self, self.count - 1), child

    def graph_on_parent(self, x1, y1, x2, y2, width, height, hide_name=True, margin=(0, 0)):
        """Shows this canvas on its parent: a width x height box mapping x1..x2, y1..y2."""
        flag = 3 if hide_name else 1
        self.coords = (f"#X coords {x1:g} {y1:g} {x2:g} {y2:g} {width} {height} {flag} "
                       f"{margin[0]} {margin[1]};")

    def declare(self, text):
        """A [declare] (written first, as Pd does)."""
        self.declares.append(text)

    # -- connections -------------------------------------------------------------------
    def connect(self, source, sink, outlet=0, inlet=0):
        assert source.canvas is self and sink.canvas is self, "connect inside one canvas"
        self.connections.append(f"#X connect {source.index} {outlet} {sink.index} {inlet};")

    def chain(self, *boxes):
        """Connects outlet 0 of each box to inlet 0 of the next."""
        for a, b in zip(boxes, boxes[1:]):
            self.connect(a, b)

    # -- output ------------------------------------------------------------------------
    def lines(self):
        if self.title is None:
            out = [f"#N canvas {self.x} {self.y} {self.width} {self.height} {self.font};"]
        else:
            out = [f"#N canvas {self.x} {self.y} {self.width} {self.height} "
                   f"{escape(self.title)} {self.open};"]
        out += [f"#X declare {d};" for d in self.declares]
        for item in self.items:
            if isinstance(item, tuple):
                child, restore = item
                out += child.lines()
                out.append(restore)
            else:
                out.append(item)
        out += self.connections
        if self.coords:
            out.append(self.coords)
        return out

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines()) + "\n")

"""Writes Pd patches for the batch tests: objects and messages by index, connections by
index, so each test states its patch in a few readable lines. The building blocks the tests
share (a sampler, its recorder, its info route, counters, message boxes) add their boxes and
connections in a fixed order: a fan-out fires in the order its connections were made.

    p = Patch()
    lb = p.obj("loadbang")
    m = p.msg("; pd dsp 1")
    p.connect(lb, m)
    p.write("case.pd")
"""


def escape(text):
    """Pd's file escapes: ';' and ',' inside a box, '$' for dollar signs."""
    return text.replace(";", r" \;").replace(",", r" \,").replace("$", r"\$")


class Patch:
    def __init__(self, width=800, height=600):
        self.lines = [f"#N canvas 0 0 {width} {height} 12;"]
        self.count = 0

    def _box(self, kind, text):
        y = 10 + 30 * self.count
        self.lines.append(f"#X {kind} 10 {y} {text};")
        self.count += 1
        return self.count - 1

    def obj(self, text):
        return self._box("obj", escape(text))

    def msg(self, text):
        return self._box("msg", escape(text))

    def connect(self, source, sink, outlet=0, inlet=0):
        self.lines.append(f"#X connect {source} {outlet} {sink} {inlet};")

    def dsp_on_load(self):
        """Turns DSP on when the patch opens."""
        self.connect(self.obj("loadbang"), self.msg("; pd dsp 1"))

    def sampler(self, args, receive="sampler"):
        """[wae-sampler~ ARGS], also fed by [r RECEIVE] (none for None), so that message
        boxes anywhere can [s] to it; returns its index."""
        sampler = self.obj("wae-sampler~ " + args)
        if receive:
            self.connect(self.obj(f"r {receive}"), sampler)
        return sampler

    def record(self, source, frames, array="rec"):
        """[tabwrite~ ARRAY] of `source`'s signal, with its [table ARRAY FRAMES]; returns the
        tabwrite~ (bang it to start)."""
        rec = self.obj(f"tabwrite~ {array}")
        self.obj(f"table {array} {frames}")
        self.connect(source, rec)
        return rec

    def route_info(self, sampler, selectors="loaded failed"):
        """A [route SELECTORS] on the sampler's info outlet; returns it."""
        route = self.obj("route " + selectors)
        self.connect(sampler, route, outlet=1)
        return route

    def counter(self, source, outlet=0):
        """Counts the messages from `source`'s `outlet` (any message counts as a bang);
        returns the [+ 1] that sends the count: 1, 2, 3..."""
        count = self.obj("f")
        plus = self.obj("+ 1")
        bang = self.obj("t b")
        self.connect(source, bang, outlet=outlet)
        self.connect(bang, count)
        self.connect(count, plus)
        self.connect(plus, count, inlet=1)
        return plus

    def send_on(self, source, text, sink, outlet=0):
        """A message box TEXT that `source`'s `outlet` fires into `sink`; returns the box."""
        m = self.msg(text)
        self.connect(source, m, outlet=outlet)
        self.connect(m, sink)
        return m

    def send_each(self, select, messages, sink):
        """For each (outlet, text) of `messages`: a message box TEXT that `select`'s outlet
        fires into `sink`."""
        for outlet, text in messages:
            self.send_on(select, text, sink, outlet)

    def finish(self, trigger, delay_ms, arrays=("rec",), outlet=0):
        """`delay_ms` after `trigger` fires, writes each array to <name>.wav and quits Pd;
        returns the quit message box (for other ways to stop)."""
        done = self.obj(f"delay {delay_ms}")
        self.connect(trigger, done, outlet=outlet)
        then = self.obj("t b b")
        self.connect(done, then)
        writes = self.msg(", ".join(f"write -wave -bytes 4 {a}.wav {a}" for a in arrays))
        self.connect(then, writes, outlet=1)
        self.connect(writes, self.obj("soundfiler"))
        quit_msg = self.msg("; pd quit")
        self.connect(then, quit_msg)
        return quit_msg

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines) + "\n")


def sampler_case(args, frames, actions, extra=None, arrays=("rec",), wait_ms=None, sr=22050):
    """A patch that creates [wae-sampler~ ARGS], waits for its bank to load, then at one
    logical time starts recording its output into array `rec` (and whatever `extra` records)
    and sends `actions` (a list of (delay_ms, message) sent to the sampler, delay_ms None for
    'now'), waits long enough for `frames` frames, writes every array to <name>.wav and quits.
    If loading fails the patch quits at once; later loads (open, reload) start nothing. `extra(patch, start)` may add objects fed by the
    start bang `start` (an object index)."""
    p = Patch()
    p.dsp_on_load()
    sampler = p.sampler(args)
    rec = p.record(sampler, frames)
    p.connect(sampler, p.obj("print info"), outlet=1)
    route = p.route_info(sampler)
    p.connect(route, p.msg("; pd quit"), outlet=1)
    # Start on the first DSP tick after the first load: a [bang~] fires right after a
    # tick, so the start is at a block boundary (offset 0) and the recording, which starts
    # at the next block, begins at the same sample as the actions sent "now".
    gate = p.obj("spigot 0")
    p.connect(p.obj("bang~"), gate)
    first = p.obj("spigot 1")
    p.connect(route, first)
    arm = p.msg("1")
    p.connect(first, arm)
    p.connect(arm, gate, inlet=1)
    start = p.obj("t b b")
    p.connect(gate, start)
    close = p.msg("0")
    p.connect(start, close, outlet=1)
    p.connect(close, gate, inlet=1)
    p.connect(close, first, inlet=1)
    begin = p.obj("t b b")
    p.connect(start, begin)
    p.connect(begin, rec, outlet=1)
    for delay_ms, message in actions:
        m = p.msg(message)
        p.connect(m, p.obj("s sampler"))
        if delay_ms is None:
            p.connect(begin, m, outlet=1)
        else:
            d = p.obj(f"delay {delay_ms}")
            p.connect(begin, d, outlet=1)
            p.connect(d, m)
    if extra:
        extra(p, begin)
    p.finish(begin, wait_ms if wait_ms else 1000.0 * frames / sr + 50, arrays)
    return p

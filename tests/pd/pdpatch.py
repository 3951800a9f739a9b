"""Writes Pd patches for the batch tests: objects and messages by index, connections by
index, so each test states its patch in a few readable lines.

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
    p.connect(p.obj("loadbang"), p.msg("; pd dsp 1"))
    sampler = p.obj("wae-sampler~ " + args)
    p.connect(p.obj("r sampler"), sampler)
    rec = p.obj("tabwrite~ rec")
    p.obj(f"table rec {frames}")
    p.connect(sampler, rec)
    p.connect(sampler, p.obj("print info"), outlet=1)
    route = p.obj("route loaded failed")
    p.connect(sampler, route, outlet=1)
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

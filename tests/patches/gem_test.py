"""The GEM view (patches/wae-gem.pd) drawn for real: Pd in real time opens it through the
walk (`gem 1`) on a small bank under Xvfb with Mesa's software renderer, and the screen is
grabbed (xwd, ImageMagick) at set moments: the picture is not black, shows the dataset's
families in their colours (and not the colours of families the bank lacks), the point just
played (red) moves between two grabs, and `gem 0` closes the window. Skips, saying why, when
Gem, Xvfb, xwd or ImageMagick is missing.

Also, without Gem on Pd's path (-nostdpath): wae-explorer opens, loads and walks with no
error, since nothing but the GEM view needs Gem.

usage: gem_test.py EXTERNAL_DIR PATCHES_DIR WRITE_ANALYTIC_MODEL BAKE_BANK
"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

EXTERNAL_DIR, PATCHES, WRITE_MODEL, BAKE_BANK = (os.path.abspath(a) for a in sys.argv[1:5])
sys.path.insert(0, PATCHES)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_patches  # noqa: E402
import pyunit  # noqa: E402
from pdcheck import errors, pd_command  # noqa: E402
from pdfile import Canvas  # noqa: E402
from projections import FAMILIES, write_projections  # noqa: E402

WORK = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
SR = 22050
SCREEN = (1024, 768)
WINDOW = make_patches.GEM_SIZE  # the Gem window, at the screen's top left corner
# Families given to the test bank (colours far apart), and some it does not have.
PRESENT = ["bass", "flute", "guitar", "keyboard", "mallet"]
ABSENT = ["organ", "vocal"]
PER_FAMILY = 120


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_bank(name, with_points):
    """A 3^4 bank of the analytic model; with_points: PER_FAMILY dataset sounds in each
    family of PRESENT, a cluster each, axis 4 spread over -1..1 (so over the brightness)."""
    model = os.path.join(WORK, "model.pt")
    if not os.path.exists(model):
        run([WRITE_MODEL, "--out", model, "--length", "4096"])
    out = os.path.join(WORK, name)
    run([BAKE_BANK, "--model", model, "--grid", "3", "--out", out])
    if with_points:
        rng = np.random.default_rng(3)
        with h5py.File(out, "r") as f:
            lo = np.array([f[f"axis{d + 1}"][0] for d in range(4)])
            hi = np.array([f[f"axis{d + 1}"][-1] for d in range(4)])
        normalised, family = [], []
        for k, name_ in enumerate(PRESENT):
            angle = 2 * np.pi * k / len(PRESENT)
            centre = [0.6 * np.cos(angle), 0.6 * np.sin(angle), 0.5 * np.cos(2 * angle)]
            xyz = np.array(centre) + rng.normal(0, 0.15, (PER_FAMILY, 3))
            normalised.append(np.column_stack([xyz, rng.uniform(-1, 1, PER_FAMILY)]))
            family += [FAMILIES.index(name_)] * PER_FAMILY
        normalised = np.concatenate(normalised)
        write_projections(out, lo + (normalised + 1) / 2 * (hi - lo), family)
    return out


def family_rgb(name):
    """The colour the planes and the GEM view give a family, 0..1 per channel."""
    code = make_patches.PALETTE[FAMILIES.index(name)]
    return np.array([code // 100, code // 10 % 10, code % 10]) / 9


def matching(pixels, rgb):
    """How many pixels have the hue of `rgb` (a colour times a brightness, as axis 4 makes
    it): the direction of the RGB vector within 1.5 degrees, and not dark."""
    p = pixels.reshape(-1, 3).astype(np.float64)
    norm = np.linalg.norm(p, axis=1)
    lit = norm > 60
    cos = p[lit] @ (rgb / np.linalg.norm(rgb)) / norm[lit]
    return int(np.sum(cos > np.cos(np.radians(1.5))))


def red(pixels):
    """The point just played: pure red (no family colour is)."""
    return (pixels[..., 0] > 200) & (pixels[..., 1] < 40) & (pixels[..., 2] < 40)


def missing_tools():
    """Why the test cannot run here, or None."""
    for tool in ("Xvfb", "xwd", "convert", "pd"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    probe = Canvas()
    probe.declare("-lib Gem")
    probe.obj(10, 10, "gemhead")
    path = os.path.join(WORK, "probe.pd")
    probe.write(path)
    out = subprocess.run(["timeout", "30", "pd", "-nogui", "-nosound", "-batch", "-noprefs",
                          "-stderr", "-send", "pd quit", "-open", path], cwd=WORK,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    if "couldn't create" in out:
        return "Pd cannot load the Gem library (Debian package gem)"
    return None


def displays_in_use():
    """X displays with a listening socket on this machine (the abstract ones are shared
    with Bazel's sandbox, whose /tmp is its own)."""
    with open("/proc/net/unix") as f:
        return {int(m) for m in re.findall(r"/tmp/\.X11-unix/X(\d+)", f.read())}


class Xvfb:
    """An X server with GLX on a display nobody uses, stopped on exit."""

    def __enter__(self):
        rng = random.Random(os.getpid())
        for number in rng.sample(range(100, 1000), 20):
            if number in displays_in_use():
                continue
            read, write = os.pipe()
            self.proc = subprocess.Popen(
                ["Xvfb", f":{number}", "-displayfd", str(write), "-screen", "0",
                 f"{SCREEN[0]}x{SCREEN[1]}x24", "+extension", "GLX", "-br", "-noreset",
                 "-nolisten", "tcp"],
                pass_fds=[write], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            os.close(write)
            with os.fdopen(read) as f:
                ready = f.readline().strip()  # the number once it listens; empty if it died
            if ready:
                self.display = ":" + ready
                return self
            self.proc.wait()
        raise AssertionError("Xvfb did not start: " + self.proc.stderr.read().decode())

    def grab(self):
        """The whole screen, [height, width, 3] uint8."""
        xwd = subprocess.run(["xwd", "-root", "-silent", "-display", self.display],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if xwd.returncode != 0:
            raise AssertionError(f"xwd on {self.display}: {xwd.stderr.decode()}")
        xwd = xwd.stdout
        rgb = subprocess.run(["convert", "xwd:-", "-depth", "8", "rgb:-"], input=xwd,
                             check=True, stdout=subprocess.PIPE).stdout
        return np.frombuffer(rgb, np.uint8).reshape(SCREEN[1], SCREEN[0], 3)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def view_harness(bank):
    """[wae-walk] loading `bank`, its GEM view opened with `gem 1`; once the view has the
    dataset (the sampler's `points` answer, + 1 s): a step, `grab: 1` 2 s later, another
    step and `gem 1` again (open already: nothing happens) 1 s after that, `grab: 2` 2 s
    later, the camera to the top (`gem orbit 0 89`) 1 s after, `grab: 3` 2 s later, a mouse
    drag (Gem's window events, as [gemmouse] reads them: left button down, 10 motions of
    +10 pixels 50 ms apart, button up) 1 s after, `grab: 4` 2 s later, `gem 0` 1 s after,
    `grab: 5` 2 s later, quit. The test grabs the screen when it reads each `grab` line."""
    c = Canvas()
    c.obj(10, 10, "wae-walk")
    lb = c.obj(10, 40, "loadbang")
    c.connect(lb, c.msg(10, 70, "; pd dsp 1; wae bank " + bank + "; wae d1 1.2; wae d2 1.2; "
                        "wae s1 5; wae s2 7; wae gem 1"))
    # wae-gem prints its dataset as `points N` to [print wae-gem]: the harness waits for the
    # sampler's answer (the same message the view reads) and gives the view a second.
    route = c.obj(10, 100, "route points loaded failed")
    c.connect(c.obj(10, 130, "r wae-info"), route)
    c.connect(route, c.msg(300, 130, "; pd quit"), 2)
    ready = c.obj(10, 160, "delay 1000")
    c.connect(route, ready, 0)
    printer = c.obj(200, 220, "print grab")
    previous = ready
    # Each grab waits for the window to be quiet a while: nothing changes right after it.
    steps = [("; wae step", 0), ("1", 2000), ("; wae step; wae gem 1", 1000), ("2", 2000),
             ("; wae gem orbit 0 89", 1000), ("3", 2000)]
    drag = ([("; __gem mouse 0 motion 300 300", 1000), ("; __gem mouse 0 button 0 1", 50)]
            + [(f"; __gem mouse 0 motion {300 + 10 * k} 300", 50) for k in range(1, 11)]
            + [("; __gem mouse 0 button 0 0", 50)])
    for text, wait in steps + drag + [("4", 2000), ("; wae gem 0", 1000), ("5", 2000),
                                      ("; pd quit", 1000)]:
        d = c.obj(10, 190, f"delay {wait}")
        c.connect(previous, d)
        m = c.msg(200, 190, text)
        c.connect(d, m)
        if not text.startswith(";"):
            c.connect(m, printer)
        previous = d
    return c


class GemViewTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.why = missing_tools()
        if cls.why:
            print(f"SKIPPED: the GEM view test: {cls.why}", flush=True)

    def test_the_view_draws_the_families_and_the_moving_point_and_closes(self):
        if self.why:
            self.skipTest(self.why)
        bank = make_bank("gem.h5", with_points=True)
        folder = tempfile.mkdtemp(dir=WORK, prefix="gem-")
        path = os.path.join(folder, "gem.pd")
        view_harness(bank).write(path)
        grabs, console = {}, ""
        with Xvfb() as x:
            env = dict(os.environ, DISPLAY=x.display, LIBGL_ALWAYS_SOFTWARE="1")
            proc = subprocess.Popen(
                pd_command(path, SR, [EXTERNAL_DIR, PATCHES], realtime=True, timeout_s=60),
                cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True)
            for line in proc.stdout:
                console += line
                if line.startswith("grab: "):
                    grabs[int(line.split()[1])] = x.grab()
            proc.wait(timeout=30)
        self.assertEqual(proc.returncode, 0, console)
        self.assertEqual(errors(console), [])
        self.assertIn(f"wae-gem: points {PER_FAMILY * len(PRESENT)}", console)
        self.assertEqual(console.count("wae-gem: points"), 1)  # the second gem 1: no new view
        self.assertEqual(sorted(grabs), [1, 2, 3, 4, 5], console)
        w, h = WINDOW
        views = [grabs[k][:h, :w] for k in (1, 2)]
        for k, view in enumerate(views, 1):
            lit = np.mean(view.max(axis=2) > 40)
            self.assertGreater(lit, 0.01, f"grab {k}: the window is black")
            for name in PRESENT:
                self.assertGreaterEqual(matching(view, family_rgb(name)), 100,
                                        f"grab {k}: no {name} dots")
            for name in ABSENT:
                self.assertLess(matching(view, family_rgb(name)), 20,
                                f"grab {k}: {name} coloured pixels, with no {name} sound")
        # The point just played: a red disc, somewhere else after the second step.
        where = []
        for k, view in enumerate(views, 1):
            mask = red(view)
            self.assertGreaterEqual(mask.sum(), 20, f"grab {k}: no red point")
            ys, xs = np.nonzero(mask)
            where.append(np.array([xs.mean(), ys.mean()]))
        self.assertGreater(np.linalg.norm(where[1] - where[0]), 10, where)
        # Seen from above (gem orbit 0 89), axis 1 runs right and axis 2 up: the last point
        # played, step 1 of both circles (d = 1.2, s1 = 5), is at axis 1 = 0.6 cos(72 deg)
        # = 0.19 and axis 2 = 0.6 sin(72 deg) = 0.57: right of the window's centre, above it.
        angles = []
        for k in (3, 4):
            mask = red(grabs[k][:h, :w])
            self.assertGreaterEqual(mask.sum(), 20, f"grab {k}, seen from above: no red point")
            ys, xs = np.nonzero(mask)
            if k == 3:
                self.assertGreater(xs.mean(), w / 2 + 5)
                self.assertLess(ys.mean(), h / 2 - 20)
            angles.append(np.degrees(np.arctan2(h / 2 - ys.mean(), xs.mean() - w / 2)))
        # The drag (100 pixels right, 0.4 degree of azimuth each) turned the camera 40
        # degrees about the vertical: seen from above, the picture turns 40 degrees about
        # the window's centre.
        turned = (angles[1] - angles[0] + 180) % 360 - 180
        self.assertAlmostEqual(abs(turned), 40, delta=6, msg=angles)
        # gem 0: the window is gone.
        self.assertEqual(int(grabs[5].max()), 0)


class WithoutGemTest(unittest.TestCase):
    def test_the_explorer_needs_no_gem(self):
        """wae-explorer with Pd's standard paths off (-nostdpath: no Gem to find) loads a
        bank with dataset sounds and walks with no error."""
        bank = make_bank("plain.h5", with_points=True)
        folder = tempfile.mkdtemp(dir=WORK, prefix="nogem-")
        probe = Canvas()
        probe.declare("-lib Gem")
        probe.obj(10, 10, "gemhead")
        probe.write(os.path.join(folder, "probe.pd"))
        out = subprocess.run(
            pd_command(os.path.join(folder, "probe.pd"), SR, [], flags=["-nostdpath",
                                                                         "-send", "pd quit"]),
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        self.assertIn("couldn't create", out)  # Gem is out of reach
        c = Canvas()
        c.obj(10, 10, "wae-explorer")
        lb = c.obj(10, 40, "loadbang")
        c.connect(lb, c.msg(10, 70, f"; wae bank {bank}; wae bpm 600; wae div 4"))
        route = c.obj(10, 100, "route loaded failed")
        c.connect(c.obj(10, 130, "r wae-info"), route)
        c.connect(route, c.msg(200, 130, "; pd quit"), 1)
        go = c.obj(10, 160, "t b")
        c.connect(route, go, 0)
        c.connect(go, c.msg(10, 190, "; wae start 1"))
        done = c.obj(100, 190, "delay 1000")
        c.connect(go, done)
        c.connect(done, c.msg(100, 220, "; wae start 0; pd quit"))
        c.connect(c.obj(300, 10, "r wae-point"), c.obj(300, 40, "print point"))
        path = os.path.join(folder, "explore.pd")
        c.write(path)
        proc = subprocess.run(pd_command(path, SR, [EXTERNAL_DIR, PATCHES],
                                         flags=["-nostdpath"]),
                              cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(errors(proc.stdout), [])
        self.assertIn(f"loaded {bank}", proc.stdout)
        self.assertGreaterEqual(proc.stdout.count("point: "), 30)


if __name__ == "__main__":
    pyunit.main()

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

usage: make_patches.py [FOLDER]   (default: this script's folder, patches/)

The .pd files are generated: edit the generator and run this script (`/usr/bin/python3
patches/make_patches.py`); tests/patches checks that the files match it. The generator is
pdfile.py (the Pd file writer and automatic layout) and patchgen/, one module per patch or
group of patches (patchgen/__init__.py lists them); this file only writes their outputs.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from patchgen.explorer import make_explorer  # noqa: E402
from patchgen.gem import GEM_SIZE, make_gem  # noqa: E402
from patchgen.settings import (DEFAULT_BANK, FAMILIES, PALETTE, PRESET_FILE,  # noqa: E402
                               PRESET_PARAMS, PRESETS, presets_text)
from patchgen.views import make_legend, make_plane  # noqa: E402
from patchgen.walk import RANDOM_RANGE, make_circle, make_param, make_walk  # noqa: E402

# Read by tests/patches and patches/gem_screenshot.sh.
__all__ = ["DEFAULT_BANK", "FAMILIES", "GEM_SIZE", "PALETTE", "PRESETS", "PRESET_PARAMS",
           "RANDOM_RANGE", "outputs"]


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

"""What the generated patches share: the walk's parameters and messages, the files they
name, the instrument families' colours, and the shipped presets (wae-presets.txt). Every
name the patches share is global and starts with `wae` (one engine per Pd process)."""

# -- the parameters ------------------------------------------------------------------------
# name, low, high, default, integer, in presets, what it is
PARAMS = [
    ("x1", -1, 1, 0, 0, 1, "centre of circle 1 on axis 1"),
    ("y1", -1, 1, 0, 0, 1, "centre of circle 1 on axis 2"),
    ("x2", -1, 1, 0, 0, 1, "centre of circle 2 on axis 3"),
    ("y2", -1, 1, 0, 0, 1, "centre of circle 2 on axis 4"),
    ("d1", 0, 4, 1.2, 0, 1, "diameter of circle 1"),
    ("d2", 0, 4, 0.8, 0, 1, "diameter of circle 2"),
    ("r1", 0, 1, 0, 0, 1, "randomness of circle 1 (0: regular polygon, 1: anywhere)"),
    ("r2", 0, 1, 0, 0, 1, "randomness of circle 2"),
    ("s1", 1, 64, 8, 1, 1, "steps once around circle 1"),
    ("s2", 1, 64, 6, 1, 1, "steps once around circle 2"),
    ("bpm", 1, 1000, 120, 0, 1, "tempo in beats per minute"),
    ("div", 1, 16, 2, 1, 1, "ticks per beat"),
    ("seed", 0, 1000000, 1, 1, 1, "seed of the random generators"),
    ("gain", 0, 1, 0.5, 0, 0, "output gain (linear)"),
    ("root", 0, 127, 60, 1, 0, "MIDI note that plays MIDI pitch 60 (60: in tune)"),
    ("start", 0, 1, 0, 1, 0, "1 starts the walk from step 0, 0 stops it"),
    ("record", 0, 1, 0, 1, 0, "1 starts recording to the record file, 0 stops"),
]
PARAM = {p[0]: p for p in PARAMS}
PRESET_PARAMS = [p[0] for p in PARAMS if p[5]]

# Other messages to [s wae] (not parameters).
MESSAGES = ["reset", "step", "bank", "reload", "info", "recfile", "preset", "note", "points",
            "gem", "scale"]

DEFAULT_BANK = "../out/bank.h5"  # where bake_bank writes by default, from patches/
DEFAULT_RECORDING = "wae-recording.wav"
PRESET_FILE = "wae-presets.txt"
MAX_DOTS = 2500  # dataset sounds drawn per plane at most (every k-th sound beyond)

# NSynth's instrument families, in NSynth's order, and their colours (Pd's 3-digit RGB, each
# digit 0..9); index 11 is for sounds without a family.
FAMILIES = ["bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed", "string",
            "synth_lead", "vocal"]
PALETTE = [944, 963, 883, 595, 579, 959, 599, 753, 769, 777, 396, 555]

# The shipped presets: slot, then the preset parameters.
PRESETS = [
    (0, dict(x1=0, y1=0, x2=0, y2=0, d1=1.2, d2=0.8, r1=0, r2=0, s1=8, s2=6, bpm=120, div=2,
             seed=1)),
    (1, dict(x1=-0.3, y1=0.2, x2=0.4, y2=-0.1, d1=1, d2=1.4, r1=0, r2=0, s1=3, s2=4, bpm=100,
             div=4, seed=1)),
    (2, dict(x1=0, y1=0, x2=0, y2=0, d1=1.6, d2=1.6, r1=0.15, r2=0.15, s1=5, s2=7, bpm=90,
             div=4, seed=7)),
    (3, dict(x1=0.2, y1=-0.2, x2=-0.3, y2=0.3, d1=0.6, d2=0.5, r1=1, r2=1, s1=16, s2=16,
             bpm=140, div=4, seed=42)),
    (4, dict(x1=0, y1=0, x2=0, y2=0, d1=2.8, d2=2.8, r1=0, r2=0, s1=12, s2=9, bpm=80, div=3,
             seed=1)),
    (5, dict(x1=-0.5, y1=-0.5, x2=0.5, y2=0.5, d1=0.3, d2=0.3, r1=0.5, r2=0.05, s1=2, s2=3,
             bpm=60, div=2, seed=3)),
]


def fmt(v):
    return f"{v:g}"


def presets_text():
    """The text of wae-presets.txt: one line per slot, `slot name value name value ...;`."""
    lines = []
    for slot, values in PRESETS:
        assert sorted(values) == sorted(PRESET_PARAMS), slot
        pairs = " ".join(f"{name} {fmt(values[name])}" for name in PRESET_PARAMS)
        lines.append(f"{slot} {pairs};")
    return "\n".join(lines) + "\n"

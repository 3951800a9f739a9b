"""Writes a small NSynth-style folder of PCM16 sines for the dataset tests.

usage: make_test_corpus.py OUT_DIR N_NOTES
Notes cycle over 3 families, 2 instruments each, and pitches 40..79.
"""
import json
import os
import sys
import wave

import numpy as np

FAMILIES = ["bass", "brass", "flute"]
SAMPLE_RATE = 22050
N_SAMPLES = 32768


def note_samples(pitch, velocity):
    """The int16 samples of a note (also used by the test to know exact values)."""
    t = np.arange(N_SAMPLES) / SAMPLE_RATE
    f = 440.0 * 2 ** ((pitch - 69) / 12)
    x = (velocity / 127) * 0.6 * np.sin(2 * np.pi * f * t) * np.exp(-2 * t)
    return np.round(x * 32767).astype(np.int16)


def notes(n):
    for i in range(n):
        family = i % 3
        instrument = family * 10 + (i // 3) % 2
        pitch = 40 + (i * 7) % 40
        velocity = (50, 90, 127)[i % 3]
        key = f"{FAMILIES[family]}_acoustic_{instrument:03d}-{pitch:03d}-{velocity:03d}-{i}"
        yield key, pitch, velocity, instrument, family


def main(out, n):
    os.makedirs(os.path.join(out, "audio"), exist_ok=True)
    examples = {}
    for key, pitch, velocity, instrument, family in notes(n):
        examples[key] = {
            "note_str": key, "pitch": pitch, "velocity": velocity, "instrument": instrument,
            "instrument_str": f"{FAMILIES[family]}_acoustic_{instrument:03d}",
            "instrument_family": family, "instrument_family_str": FAMILIES[family],
            "instrument_source": 0, "instrument_source_str": "acoustic",
            "qualities": [int(pitch % 2 == 0)] + [0] * 9, "qualities_str": [],
            "sample_rate": SAMPLE_RATE,
        }
        with wave.open(os.path.join(out, "audio", key + ".wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(note_samples(pitch, velocity).tobytes())
    with open(os.path.join(out, "examples.json"), "w") as f:
        json.dump(examples, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

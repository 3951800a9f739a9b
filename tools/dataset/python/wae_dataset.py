"""dataset.h5 as a PyTorch dataset, for people who train in Python.

The format is defined in tools/dataset/schema.h (C++) and docs/FORMATS.md; the names here
follow them. Needs torch, h5py and numpy (Debian: python3-torch python3-h5py).

    from wae_dataset import MelDataset
    train = MelDataset("dataset.h5", split="train")
    loader = torch.utils.data.DataLoader(train, batch_size=32, shuffle=True)
    for batch in loader:
        batch["mel"]                 # float32 [B, 80, 128], amplitude mel
        batch["instrument_family"]   # int64 [B]
"""

import h5py
import numpy as np
import torch

FORMAT_NAME = "wae-sampler-dataset"
FORMAT_VERSION = 1
# The /split labels (schema.h's kSplitLabels): test_pitch holds the notes at held-out pitches,
# test_instrument every note of held-out instruments (split mode "honest"). Files written
# before those two existed carry the first three labels only.
SPLITS = ("train", "valid", "test", "test_pitch", "test_instrument")

# docs/DESIGN.md's audio settings, under the attribute names of common/audio_settings.h.
DEFAULT_AUDIO_SETTINGS = {
    "sample_rate": 22050, "n_fft": 1024, "hop_length": 256, "win_length": 1024,
    "window": "hann", "n_mels": 80, "f_min": 0.0, "f_max": 11025.0,
    "mel_scale": "slaney", "mel_norm": "slaney", "power": 1.0,
    "n_frames": 128, "n_samples": 32768,
}

INT_FIELDS = ("pitch", "velocity", "instrument", "instrument_family", "instrument_source")
STR_FIELDS = ("note_str", "instrument_str", "instrument_family_str", "instrument_source_str")


class DatasetFormatError(ValueError):
    """The file is not a dataset.h5 this code can read; the message names file and field."""


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def read_audio_settings(path, attrs):
    """The audio settings recorded in a dataset.h5's root attributes."""
    settings = {}
    for name, default in DEFAULT_AUDIO_SETTINGS.items():
        if name not in attrs:
            raise DatasetFormatError(f"{path}: attribute {name}: found nothing, expected {default!r}")
        value = attrs[name]
        settings[name] = _text(value) if isinstance(default, str) else type(default)(value)
    return settings


class MelDataset(torch.utils.data.Dataset):
    """One split of a dataset.h5, held in memory.

    Each item is a dict: "mel" (float32 tensor [n_mels, n_frames]), the int fields of
    INT_FIELDS (int64 tensors), "qualities" (uint8 [10]), the strings of STR_FIELDS, "row"
    (the example's row in the file) and, with with_audio=True, "audio" (float32 [n_samples]).
    """

    def __init__(self, path, split="train", with_audio=False, expected_settings=None):
        if split not in SPLITS:
            raise ValueError(f"split: found {split!r}, expected one of {SPLITS}")
        expected = dict(DEFAULT_AUDIO_SETTINGS if expected_settings is None else expected_settings)
        with h5py.File(path, "r") as f:
            fmt = _text(f.attrs.get("format", b""))
            if fmt != FORMAT_NAME:
                raise DatasetFormatError(f'{path}: format: found "{fmt}", expected "{FORMAT_NAME}"')
            version = int(f.attrs.get("format_version", -1))
            if version != FORMAT_VERSION:
                raise DatasetFormatError(
                    f"{path}: format_version: found {version}, expected {FORMAT_VERSION}")
            self.settings = read_audio_settings(path, f.attrs)
            diffs = [f"{k}: {path} has {self.settings[k]}, this code expects {v}"
                     for k, v in expected.items() if self.settings[k] != v]
            if diffs:
                raise DatasetFormatError("audio settings differ:\n" + "\n".join(diffs))
            labels = [_text(x) for x in f["split"].attrs["labels"]]
            if labels != list(SPLITS[:len(labels)]) or not labels:
                raise DatasetFormatError(
                    f"{path}: split attribute labels: found {labels}, expected {list(SPLITS)} "
                    "or a prefix of it")
            codes = f["split"][()]
            if codes.size and int(codes.max()) >= len(labels):
                raise DatasetFormatError(
                    f"{path}: split: found code {int(codes.max())}, expected below {len(labels)}")
            if split not in labels:
                # An older file without the held-out test sets: the split is empty there.
                codes = np.full(codes.shape, 255, dtype=codes.dtype)
                labels = labels + [split]
            self.rows = np.flatnonzero(codes == labels.index(split))
            # h5py wants increasing indices (rows are ascending already) and not an empty list.
            def take(name):
                d = f[name]
                if len(self.rows) == 0:
                    return np.zeros((0,) + d.shape[1:], dtype=d.dtype)
                return d[self.rows]
            self.mel = torch.from_numpy(take("mel"))
            self.audio = torch.from_numpy(take("audio")) if with_audio else None
            self.ints = {k: torch.from_numpy(take(k).astype(np.int64)) for k in INT_FIELDS}
            self.qualities = torch.from_numpy(take("qualities"))
            self.strings = {k: [_text(s) for s in take(k)] for k in STR_FIELDS}
            n_mels, n_frames = self.settings["n_mels"], self.settings["n_frames"]
            if tuple(self.mel.shape[1:]) != (n_mels, n_frames):
                raise DatasetFormatError(
                    f"{path}: mel: found shape {tuple(f['mel'].shape)}, expected [N, {n_mels}, {n_frames}]")

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        item = {"mel": self.mel[i], "qualities": self.qualities[i], "row": int(self.rows[i])}
        item.update({k: v[i] for k, v in self.ints.items()})
        item.update({k: v[i] for k, v in self.strings.items()})
        if self.audio is not None:
            item["audio"] = self.audio[i]
        return item

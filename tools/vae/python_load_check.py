"""Loads a C++-written model.pt with Python's torch.jit.load and checks the contract and
that encode, decode and forward give the outputs the C++ side recorded (write_test_vae),
bit for bit.

usage: python_load_check.py DIR
"""
import sys

import numpy as np
import torch

d = sys.argv[1]
torch.set_num_threads(1)
m = torch.jit.load(f"{d}/model.pt")
m.eval()
assert m.format == "wae-sampler-model", m.format
assert m.format_version == 1, m.format_version
assert m.latent_dim == 5 and m.channels == 8, (m.latent_dim, m.channels)
assert m.regularizer == "mmd-imq" and m.regularizer_weight == 100.0, m.regularizer
assert (m.sample_rate, m.n_fft, m.hop_length, m.n_mels, m.n_frames) == (22050, 1024, 256, 80, 128)
assert m.window == "hann" and m.mel_scale == "slaney" and m.mel_norm == "slaney"


def raw(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(shape))


mel = raw("input", (3, 80, 128))
z = raw("z", (2, 5))
with torch.no_grad():
    mu, logvar = m.encode(mel)
    checks = {
        "mu": (mu, raw("mu", (3, 5))),
        "logvar": (logvar, raw("logvar", (3, 5))),
        "forward": (m.forward(mel), raw("forward", (3, 80, 128))),
        "decode": (m.decode(z), raw("decode", (2, 80, 128))),
    }
for name, (got, want) in checks.items():
    if got.shape != want.shape:
        sys.exit(f"{name}: shape {tuple(got.shape)}, C++ had {tuple(want.shape)}")
    diff = (got - want).abs().max().item()
    if diff != 0.0:
        sys.exit(f"{name}: Python differs from C++ by up to {diff}")
assert (checks["forward"][0] > 0).all()
print("python_load_check: encode, decode and forward identical in Python and C++")

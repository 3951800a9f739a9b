"""Loads a make_generative-written generative.pt with Python's torch.jit.load and compares
forward, forward_full, project and, with an hpn inverter, f0 and forward_f0 with the C++
outputs (write_test_generative)."""
import sys

import numpy as np
import torch

d = sys.argv[1]
torch.set_num_threads(1)
m = torch.jit.load(f"{d}/generative.pt")
assert m.format == "wae-sampler-generative", m.format
assert m.format_version == 1 and m.reduced_dim == 4, (m.format_version, m.reduced_dim)
assert m.sample_rate == 22050 and m.n_samples == 32768, (m.sample_rate, m.n_samples)
assert len(m.axis_min) == 4 and all(lo < hi for lo, hi in zip(m.axis_min, m.axis_max))


def raw(name, shape):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(shape))


z = raw("z", (2, 4))
full = raw("full", (2, m.full_dim))
mel = raw("mel", (2, 80, 128))
checks = [
    ("forward", m.forward(z), raw("forward", (2, 32768))),
    ("forward_full", m.forward_full(full), raw("forward_full", (2, 32768))),
    ("project", m.project(mel), raw("project", (2, 4))),
]
if hasattr(m, "f0"):  # an hpn inverter: f0 and forward_f0 (wave and f0 in one run)
    wave, f0 = m.forward_f0(z)
    checks += [
        ("f0", m.f0(z), raw("f0", (2,))),
        ("forward_f0[0]", wave, raw("forward", (2, 32768))),
        ("forward_f0[1]", f0, raw("f0", (2,))),
    ]
for name, got, want in checks:
    assert got.shape == want.shape, (name, got.shape, want.shape)
    diff = (got - want).abs().max().item()
    if diff > 1e-5:
        sys.exit(f"{d}: {name}: Python differs from C++ by {diff}")
    print(f"{name}: {tuple(got.shape)}, max |Python - C++| = {diff:.3g}")
# forward(z) is forward_full(mean + z @ components + the kernel regression's residual).
q = z / m.axis_std
w = torch.softmax(-((q[:, None, :] - m.residual_points[None]) ** 2).sum(2)
                  / (2 * m.residual_bandwidth ** 2), dim=1)
lifted = m.pca_mean + z @ m.pca_components + w @ m.residual_values
assert (lifted - m.lift(z)).abs().max().item() <= 1e-5
via_full = m.forward_full(m.lift(z))
if m.peak_limit > 0:  # a wave louder than the limit is scaled down to it
    via_full = via_full * torch.clamp(m.peak_limit / via_full.abs().amax(1, keepdim=True), max=1.0)
assert (via_full - m.forward(z)).abs().max().item() <= 1e-5
print("python_generative_check: Python and C++ agree")

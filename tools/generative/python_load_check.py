"""Loads a C++-written generative.pt with Python's torch.jit.load and compares its forward
with the outputs the C++ side recorded (write_analytic_model --expected)."""
import sys

import torch

model_path, expected_path = sys.argv[1], sys.argv[2]
m = torch.jit.load(model_path)
assert m.format == "wae-sampler-generative", m.format
assert m.format_version == 1 and m.reduced_dim == 4, (m.format_version, m.reduced_dim)
assert len(m.axis_min) == 4 and len(m.axis_max) == 4
n = 0
with open(expected_path) as f:
    for line in f:
        zs, ws = line.split("|")
        z = torch.tensor([[float(v) for v in zs.split()]], dtype=torch.float32)
        want = torch.tensor([float(v) for v in ws.split()], dtype=torch.float32)
        got = m.forward(z)[0]
        assert got.shape == (m.n_samples,), (got.shape, m.n_samples)
        diff = (got - want).abs().max().item()
        if diff != 0.0:
            sys.exit(f"{expected_path}: point {z.tolist()}: Python differs from C++ by {diff}")
        full = torch.zeros(1, m.full_dim)
        full[0, :4] = z[0]
        assert torch.equal(m.forward_full(full)[0], got)
        n += 1
assert n == 4, n
print(f"python_load_check: {n} points identical in Python and C++")

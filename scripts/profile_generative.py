"""Where generative.pt spends its time: the wall time per note, then LibTorch's profiler
table (self CPU time per operator) over a few calls, on one thread. docs/INVERSION.md
quotes it (the im2col + GEMM convolutions at batch 1, the decoder's convolutions at batch 16).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/profile_generative.py [MODEL] [BATCH] [CALLS] [AXIS1]

MODEL defaults to models/demo/generative.pt, BATCH to 1, CALLS to 5. With BATCH > 1 the
points are random (seed 1) and the model runs forward_f0, as bake_bank does when it has one;
AXIS1 puts them all at that first coordinate, as a bake's batch of one pitch row is.
LibTorch frees and re-allocates large tensors on every call; the C++ tools keep that memory
in the heap (common/keep_freed_memory.h), which Python gets with
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647
in the environment: without it the figures carry the page faults.
"""
import sys
import time

import torch


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "models/demo/generative.pt"
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    calls = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = torch.jit.load(path)
    z = torch.zeros(batch, 4) if batch == 1 else 0.5 * torch.randn(batch, 4)
    if len(sys.argv) > 4:
        z[:, 0] = float(sys.argv[4])
    run = model.forward_f0 if batch > 1 and hasattr(model, "forward_f0") else model.forward
    with torch.no_grad():
        for _ in range(2):
            run(z)
        start = time.perf_counter()
        for _ in range(calls):
            run(z)
        per_note = (time.perf_counter() - start) / calls / batch
        print(f"{path}: batch {batch}, {per_note * 1e3:.1f} ms per note, 1 thread")
        with torch.autograd.profiler.profile() as prof:
            for _ in range(calls):
                run(z)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))


if __name__ == "__main__":
    main()

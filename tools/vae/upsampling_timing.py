"""Times one training step (forward, L1 loss, backward) of the model's shape with three
ways of upsampling in the decoder, to choose the decoder (docs/VAE.md, "Speed"):
ConvTranspose2d 4x4 stride 2; nearest-neighbour x2 then Conv2d 3x3; Conv2d 3x3 to 4x the
channels then pixel shuffle (sub-pixel convolution, what model.pt uses).

usage: /usr/bin/python3 tools/vae/upsampling_timing.py [CHANNELS,...] [THREADS]
"""
import sys
import time

import torch

F = torch.nn.functional
BATCH = 32
TRAIN_EXAMPLES = 2077  # the demo dataset's train split


def make(c, up):
    widths = [1, c, 2 * c, 4 * c, 8 * c]
    enc = [(torch.randn(widths[i + 1], widths[i], 4, 4, requires_grad=True),
            torch.zeros(widths[i + 1], requires_grad=True)) for i in range(4)]
    head = torch.randn(32, 8 * c * 40, requires_grad=True)
    dec_in = torch.randn(8 * c * 40, 16, requires_grad=True)
    dw = [8 * c, 4 * c, 2 * c, c, 1]
    if up == "transpose":
        dec = [(torch.randn(dw[i], dw[i + 1], 4, 4, requires_grad=True),
                torch.zeros(dw[i + 1], requires_grad=True)) for i in range(4)]
    else:
        k = 4 if up == "shuffle" else 1
        dec = [(torch.randn(k * dw[i + 1], dw[i], 3, 3, requires_grad=True),
                torch.zeros(k * dw[i + 1], requires_grad=True)) for i in range(4)]

    def step(x):
        h = x.unsqueeze(1)
        for w, b in enc:
            h = F.leaky_relu(F.conv2d(h, w, b, stride=2, padding=1), 0.2)
        z = (h.flatten(1) @ head.t())[:, :16]
        h = (z @ dec_in.t()).view(-1, 8 * c, 5, 8)
        for i, (w, b) in enumerate(dec):
            if up == "transpose":
                h = F.conv_transpose2d(h, w, b, stride=2, padding=1)
            elif up == "nearest":
                h = F.conv2d(F.interpolate(h, scale_factor=2, mode="nearest"), w, b, padding=1)
            else:
                h = F.pixel_shuffle(F.conv2d(h, w, b, padding=1), 2)
            if i < 3:
                h = F.leaky_relu(h, 0.2)
        (h.squeeze(1) - x).abs().mean().backward()

    return step


def main():
    widths = [int(v) for v in (sys.argv[1] if len(sys.argv) > 1 else "16,32").split(",")]
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    x = torch.rand(BATCH, 80, 128)
    for c in widths:
        for up in ["transpose", "nearest", "shuffle"]:
            step = make(c, up)
            step(x)  # warm-up
            start = time.time()
            for _ in range(3):
                step(x)
            dt = (time.time() - start) / 3
            print(f"channels {c:3d} {up:9s}: {dt * 1000:7.0f} ms per step of {BATCH}, "
                  f"{dt * TRAIN_EXAMPLES / BATCH:6.1f} s per epoch of {TRAIN_EXAMPLES}",
                  flush=True)


if __name__ == "__main__":
    main()

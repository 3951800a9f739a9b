#!/usr/bin/env bash
# train_mcnn killed with SIGKILL in the middle of a run, then run again with --resume,
# reaches the same mcnn.pt (every parameter bit-identical, checked in Python) and the same
# metrics (but for the times) as an uninterrupted run with the same seed.
set -euo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}/mcnn_resume_kill"
rm -rf "$tmp" && mkdir -p "$tmp"
tools/mcnn/write_audio_dataset --out "$tmp/tiny.h5" --train 16 --valid 2 --test 2
args=(--dataset "$tmp/tiny.h5" --epochs 30 --heads 2 --widths 4,4,4,2,2,2,2,1 --kernel 5
      --context-frames 2 --fft-sizes 256,512 --crop-frames 4 --batch 4 --threads 1 --seed 5
      --lr 0.003)
tools/mcnn/train_mcnn "${args[@]}" --out "$tmp/full/mcnn.pt" 2>"$tmp/full.log"

tools/mcnn/train_mcnn "${args[@]}" --out "$tmp/part/mcnn.pt" 2>"$tmp/part.log" &
pid=$!
# Kill once a few epochs are checkpointed (header + 3 rows in the metrics CSV).
for _ in $(seq 1 6000); do
  [ -f "$tmp/part/mcnn.metrics.csv" ] && [ "$(wc -l <"$tmp/part/mcnn.metrics.csv")" -ge 4 ] && break
  sleep 0.01
done
if ! kill -9 "$pid" 2>/dev/null; then
  echo "FAIL: train_mcnn finished before it could be killed; give it more epochs"; exit 1
fi
wait "$pid" || true
rows=$(($(wc -l <"$tmp/part/mcnn.metrics.csv") - 1))
[ "$rows" -lt 30 ] || { echo "FAIL: the killed run completed all epochs"; exit 1; }
echo "killed after $rows epochs"

tools/mcnn/train_mcnn "${args[@]}" --out "$tmp/part/mcnn.pt" --resume 2>"$tmp/resume.log"
grep -q "resumed from .*last.ckpt after epoch" "$tmp/resume.log" || { cat "$tmp/resume.log"; echo "FAIL: did not resume"; exit 1; }

/usr/bin/python3 - "$tmp/full/mcnn.pt" "$tmp/part/mcnn.pt" <<'PY'
import sys
import torch
a, b = torch.jit.load(sys.argv[1]), torch.jit.load(sys.argv[2])
pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
assert pa.keys() == pb.keys() and len(pa) == 19, (len(pa), len(pb))
for k in pa:
    if not torch.equal(pa[k], pb[k]):
        sys.exit(f"FAIL: parameter {k} differs after resume")
assert a.epoch == b.epoch, (a.epoch, b.epoch)
mel = torch.rand(1, 80, 5)
assert torch.equal(a(mel), b(mel))
print(f"same mcnn.pt (best epoch {a.epoch}) with and without the kill")
PY
strip() { cut -d, -f1-10,12 "$1"; }
if ! diff <(strip "$tmp/full/mcnn.metrics.csv") <(strip "$tmp/part/mcnn.metrics.csv"); then
  echo "FAIL: metrics differ"; exit 1
fi
echo PASS

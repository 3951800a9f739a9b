#!/usr/bin/env bash
# train_vae killed with SIGKILL in the middle of a run, then run again with --resume,
# reaches the same model.pt (every parameter bit-identical, checked in Python) and the same
# metrics (but for the times) as an uninterrupted run with the same seed.
set -euo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}/resume_kill"
rm -rf "$tmp" && mkdir -p "$tmp"
tools/vae/write_tiny_dataset --out "$tmp/tiny.h5" --train 40 --valid 8 --test 4
args=(--dataset "$tmp/tiny.h5" --epochs 40 --channels 4 --latent 4 --batch 8 --threads 1
      --seed 9 --regularizer mmd-imq --lr 0.003)
tools/vae/train_vae "${args[@]}" --out "$tmp/full/model.pt" 2>"$tmp/full.log"

tools/vae/train_vae "${args[@]}" --out "$tmp/part/model.pt" 2>"$tmp/part.log" &
pid=$!
# Kill once a few epochs are checkpointed (header + 3 rows in the metrics CSV).
for _ in $(seq 1 3000); do
  [ -f "$tmp/part/model.metrics.csv" ] && [ "$(wc -l <"$tmp/part/model.metrics.csv")" -ge 4 ] && break
  sleep 0.01
done
if ! kill -9 "$pid" 2>/dev/null; then
  echo "FAIL: train_vae finished before it could be killed; give it more epochs"; exit 1
fi
wait "$pid" || true
rows=$(($(wc -l <"$tmp/part/model.metrics.csv") - 1))
[ "$rows" -lt 40 ] || { echo "FAIL: the killed run completed all epochs"; exit 1; }
echo "killed after $rows epochs"

tools/vae/train_vae "${args[@]}" --out "$tmp/part/model.pt" --resume 2>"$tmp/resume.log"
grep -q "resumed from .*last.ckpt after epoch" "$tmp/resume.log" || { cat "$tmp/resume.log"; echo "FAIL: did not resume"; exit 1; }

/usr/bin/python3 - "$tmp/full/model.pt" "$tmp/part/model.pt" <<'PY'
import sys
import torch
a, b = torch.jit.load(sys.argv[1]), torch.jit.load(sys.argv[2])
pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
assert pa.keys() == pb.keys() and len(pa) == 24, (len(pa), len(pb))
for k in pa:
    if not torch.equal(pa[k], pb[k]):
        sys.exit(f"FAIL: parameter {k} differs after resume")
assert a.epoch == b.epoch, (a.epoch, b.epoch)
print(f"same model.pt (best epoch {a.epoch}) with and without the kill")
PY
strip() { cut -d, -f1-10,12 "$1"; }
if ! diff <(strip "$tmp/full/model.metrics.csv") <(strip "$tmp/part/model.metrics.csv"); then
  echo "FAIL: metrics differ"; exit 1
fi
echo PASS

#!/usr/bin/env bash
# A trainer (train_vae, train_mcnn) killed with SIGKILL in the middle of a run, then run
# again with --resume, reaches the same model (every parameter bit-identical, checked in
# Python) and the same metrics (but for the times) as an uninterrupted run with the same
# seed. Each tool's sh_test passes its own dataset writer, trainer and options:
#
#   resume_kill_test.sh --model=NAME.pt --parameters=N --epochs=N [--forward-shape=B,C,T]
#       -- WRITER [WRITER_ARGS...] -- TRAINER [TRAINER_ARGS...]
#
# WRITER gets --out <dataset>; TRAINER gets --dataset, --epochs and --out. --parameters is
# how many the model must have; --forward-shape also compares the two models' forward() on
# one random input of that shape.
set -euo pipefail

model="" parameters="" epochs="" forward_shape=""
while [ "$1" != "--" ]; do
  case "$1" in
    --model=*) model=${1#*=} ;;
    --parameters=*) parameters=${1#*=} ;;
    --epochs=*) epochs=${1#*=} ;;
    --forward-shape=*) forward_shape=${1#*=} ;;
    *) echo "resume_kill_test.sh: unknown option $1"; exit 2 ;;
  esac
  shift
done
shift
writer=()
while [ "$1" != "--" ]; do writer+=("$1"); shift; done
shift
trainer=("$@")
tool=$(basename "${trainer[0]}")
metrics="${model%.pt}.metrics.csv"

tmp="${TEST_TMPDIR:-$(mktemp -d)}/resume_kill"
rm -rf "$tmp" && mkdir -p "$tmp"
"${writer[@]}" --out "$tmp/data.h5"
args=("${trainer[@]:1}" --dataset "$tmp/data.h5" --epochs "$epochs")
"${trainer[0]}" "${args[@]}" --out "$tmp/full/$model" 2>"$tmp/full.log"

"${trainer[0]}" "${args[@]}" --out "$tmp/part/$model" 2>"$tmp/part.log" &
pid=$!
# Kill once a few epochs are checkpointed (header + 3 rows in the metrics CSV).
for _ in $(seq 1 6000); do
  [ -f "$tmp/part/$metrics" ] && [ "$(wc -l <"$tmp/part/$metrics")" -ge 4 ] && break
  sleep 0.01
done
if ! kill -9 "$pid" 2>/dev/null; then
  echo "FAIL: $tool finished before it could be killed; give it more epochs"; exit 1
fi
wait "$pid" || true
rows=$(($(wc -l <"$tmp/part/$metrics") - 1))
[ "$rows" -lt "$epochs" ] || { echo "FAIL: the killed run completed all epochs"; exit 1; }
echo "killed after $rows epochs"

"${trainer[0]}" "${args[@]}" --out "$tmp/part/$model" --resume 2>"$tmp/resume.log"
grep -q "resumed from .*last.ckpt after epoch" "$tmp/resume.log" || { cat "$tmp/resume.log"; echo "FAIL: did not resume"; exit 1; }

/usr/bin/python3 - "$tmp/full/$model" "$tmp/part/$model" "$parameters" "$forward_shape" <<'PY'
import sys
import torch
a, b = torch.jit.load(sys.argv[1]), torch.jit.load(sys.argv[2])
pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
assert pa.keys() == pb.keys() and len(pa) == int(sys.argv[3]), (len(pa), len(pb))
for k in pa:
    if not torch.equal(pa[k], pb[k]):
        sys.exit(f"FAIL: parameter {k} differs after resume")
assert a.epoch == b.epoch, (a.epoch, b.epoch)
if sys.argv[4]:
    x = torch.rand([int(n) for n in sys.argv[4].split(",")])
    assert torch.equal(a(x), b(x))
print(f"same {sys.argv[1].split('/')[-1]} (best epoch {a.epoch}) with and without the kill")
PY
# The CSVs but for their "seconds" column.
seconds=$(head -1 "$tmp/full/$metrics" | tr , '\n' | grep -n '^seconds$' | cut -d: -f1)
strip() { cut --complement -d, -f"$seconds" "$1"; }
if ! diff <(strip "$tmp/full/$metrics") <(strip "$tmp/part/$metrics"); then
  echo "FAIL: metrics differ"; exit 1
fi
echo PASS

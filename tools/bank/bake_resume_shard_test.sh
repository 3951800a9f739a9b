#!/usr/bin/env bash
# bake_bank killed with SIGKILL and resumed (3 model workers writing batches as they finish,
# in any order), and baked in 3 shards (--shard, SLURM job array variables, Kubernetes
# Indexed Job variables) then merged, gives the same bank as an uninterrupted bake with one
# worker, per-point f0 included (the model has an f0 method: version 2 banks in float32,
# version 4 in int16, with each point's scale).
set -euo pipefail
T="${TEST_TMPDIR:-$(mktemp -d)}"
bake=tools/bank/bake_bank
merge=tools/bank/merge_banks
compare() { /usr/bin/python3 tools/bank/compare_banks.py "$1" "$2"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

tools/generative/write_analytic_model --out "$T/gen.pt" --length 2048 --f0
i16=(--model "$T/gen.pt" --grid 4,4,3,3 --batch 2 --storage int16 --threads 1)
f32=(--model "$T/gen.pt" --grid 4,4,3,3 --batch 3 --storage float32 --threads 1)

echo "== uninterrupted bakes, one worker"
$bake "${i16[@]}" --workers 1 --out "$T/ref16.h5" 2>"$T/ref16.log"
$bake "${f32[@]}" --workers 1 --out "$T/ref32.h5" 2>"$T/ref32.log"
grep -q "batch 2, 1 worker of 1 thread" "$T/ref16.log" || { cat "$T/ref16.log"; fail "workers line"; }
# The references carry pitch: f0 from the model, 110 Hz at the first corner and 880 Hz at
# the last (the analytic model's exact f0); int16 with a scale per point.
for ref in ref16 ref32; do
  /usr/bin/python3 - "$T/$ref.h5" <<'PY' || fail "$ref.h5 has no model f0"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    f0 = f["f0"][()]
    int16 = f.attrs["storage"] in ("int16", b"int16")
    assert f.attrs["format_version"] == (4 if int16 else 2), f.attrs["format_version"]
    assert ("point_scale" in f) == int16 and (not int16 or f["point_scale"].shape == (144,))
    assert f.attrs["f0_source"] in ("model", b"model"), f.attrs["f0_source"]
    assert f0.shape == (144,) and f0[0] == 110.0 and f0[-1] == 880.0, (f0.shape, f0[0], f0[-1])
PY
done

echo "== kill -9 mid-way, then --resume"
$bake "${i16[@]}" --workers 3 --out "$T/k.h5" --pause-ms 120 2>"$T/k.log" &
pid=$!
for _ in $(seq 600); do  # up to 60 s: wait for the first progress line (>= 1 s of baking)
  grep -q "points (" "$T/k.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || fail "the bake ended before it could be killed"
wait "$pid" && fail "the killed bake exited 0"
[ -f "$T/k.h5.partial" ] || fail "no k.h5.partial after the kill"
[ ! -e "$T/k.h5" ] || fail "k.h5 exists after the kill"
$bake "${i16[@]}" --workers 3 --out "$T/k.h5" --resume 2>"$T/resume.log"
cat "$T/resume.log" >&2
resumed=$(sed -n 's/.*resuming: \([0-9]*\) of 144 points already baked.*/\1/p' "$T/resume.log")
[ -n "$resumed" ] && [ "$resumed" -gt 0 ] && [ "$resumed" -lt 144 ] ||
  fail "expected a partial bake to resume, got '$resumed' points"
[ ! -e "$T/k.h5.partial" ] || fail "k.h5.partial left after finishing"
compare "$T/ref16.h5" "$T/k.h5"

echo "== three shards, from the flag, SLURM and Kubernetes, merged in another order"
$bake "${f32[@]}" --out "$T/s.h5" --shard 0/3 2>"$T/s0.log"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 $bake "${f32[@]}" --out "$T/s.h5" 2>"$T/s1.log"
JOB_COMPLETION_INDEX=2 $bake "${f32[@]}" --out "$T/s.h5" --shard-count 3 2>"$T/s2.log"
grep -q "shard 1/3 from SLURM_ARRAY_TASK_ID: points 48..95" "$T/s1.log" || fail "SLURM shard"
grep -q "shard 2/3 from JOB_COMPLETION_INDEX: points 96..143" "$T/s2.log" || fail "k8s shard"
# A requeued array task finds its shard done and bakes nothing.
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 $bake "${f32[@]}" --out "$T/s.h5" --resume \
  2>"$T/s1again.log"
grep -q "resuming: 48 of 48 points already baked" "$T/s1again.log" || fail "requeued shard"
if $merge --out "$T/bad.h5" "$T/s.shard0of3.h5" "$T/s.shard2of3.h5" 2>"$T/bad.log"; then
  fail "merge without shard 1 succeeded"
fi
grep -q "expected 48 (the shards must cover the grid once, in order)" "$T/bad.log" ||
  { cat "$T/bad.log"; fail "merge message"; }
$merge --out "$T/s.h5" "$T/s.shard2of3.h5" "$T/s.shard0of3.h5" "$T/s.shard1of3.h5"
compare "$T/ref32.h5" "$T/s.h5"
echo "PASS"

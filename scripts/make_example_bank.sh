#!/usr/bin/env bash
# Rebakes pd/wae-sampler~-example.h5, the small bank beside the help patch: the analytic test
# model (sines whose pitch, 110..880 Hz along axes 1+2, level and brightness follow the point)
# with its exact per-point pitch (--f0: the help patch shows the pitch-aligned morph), 3
# points per axis, 16384 samples at 22050 Hz, int16 (each point at its own scale: a version 4
# bank) with Fletcher-32 checksums (bake_bank writes them).
# Usage: scripts/make_example_bank.sh (from the workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //tools/generative:write_analytic_model //tools/bank:bake_bank
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
OMP_WAIT_POLICY=PASSIVE bazel-bin/tools/generative/write_analytic_model --out "$tmp/analytic.pt" \
  --length 16384 --f0
OMP_WAIT_POLICY=PASSIVE bazel-bin/tools/bank/bake_bank --model "$tmp/analytic.pt" --grid 3 \
  --storage int16 --out "$tmp/example.h5"
cp "$tmp/example.h5" "pd/wae-sampler~-example.h5"
echo "make_example_bank: wrote pd/wae-sampler~-example.h5"

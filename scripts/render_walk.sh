#!/usr/bin/env bash
# Plays the wae-explorer walk (patches/wae-walk.pd, its default parameters) headless on a
# bank and writes what it plays to a 32-bit float WAV.
# Usage: scripts/render_walk.sh [BANK (out/bank.h5)] [OUT (out/walk.wav)] [SECONDS (8)]
# Pd runs at the bank's own sample rate, so the bank is played as baked (no resampling).
set -euo pipefail
cd "$(dirname "$0")/.."
bank=$(readlink -f "${1:-out/bank.h5}")
out=$(readlink -f "${2:-out/walk.wav}")
seconds=${3:-8}
[ -e bazel-bin/pd/wae-sampler~.pd_linux ] || bazel build //pd:external
rate=$(/usr/bin/python3 -c "import h5py, sys; print(int(h5py.File(sys.argv[1], 'r').attrs['sample_rate']))" "$bank")
rm -f "$out"
timeout 600 pd -nogui -nosound -batch -nrt -noprefs -stderr -r "$rate" \
  -open scripts/render_walk.pd -send "wae bank $bank" -send "wae-render go $seconds $out" \
  2> "$out.log" || true
if [ ! -s "$out" ] || grep -E "^error:|couldn't create" "$out.log"; then
  echo "render_walk: failed; Pd's console is in $out.log" >&2
  exit 1
fi
echo "render_walk: $seconds s of the walk on $bank -> $out (Pd at $rate Hz; console in $out.log)"

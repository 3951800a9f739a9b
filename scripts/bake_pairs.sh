#!/usr/bin/env bash
# How much faster one generative.pt bakes than another, in pairs back to back so that both
# see the machine's load alike: each pair bakes MODEL_A then MODEL_B over GRID (int16), and
# the script prints each bake's wall and CPU time (/usr/bin/time) and, per pair and summed,
# B's time over A's. Banks go to a temporary folder and are deleted.
#
#   scripts/bake_pairs.sh MODEL_A MODEL_B [PAIRS] [GRID]
#
# PAIRS defaults to 3, GRID to the main job's 24,3,5,5. The demo's figure (docs/REPORT.md; on
# 24,4,5,4): A the shipped models/demo/generative.pt, B the same VAE with fast Griffin-Lim 32,
# made as scripts/report_demo.sh makes it (out/demo/report/generative_gl32.pt).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,12p "$0" >&2; exit 2; }
a=$1 b=$2 pairs=${3:-3} grid=${4:-24,3,5,5}
for m in "$a" "$b"; do [ -f "$m" ] || { echo "bake_pairs: $m: no such file" >&2; exit 1; }; done
export OMP_WAIT_POLICY=PASSIVE
bazel build //tools:bake_bank >/dev/null 2>&1 || bazel build //tools:bake_bank
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bake() {  # bake MODEL -> "wall cpu" in seconds
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" bazel-bin/tools/bank/bake_bank --model "$1" \
    --grid "$grid" --storage int16 --out "$tmp/bank.h5" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; exit 1; }
  awk '{ printf "%s %.2f", $1, $2 + $3 }' "$tmp/time"
}
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2fx", y / x }'; }
echo "bake_pairs: A = $a, B = $b, grid $grid, int16, $pairs pairs"
for i in $(seq 1 "$pairs"); do
  read -r aw ac <<<"$(bake "$a")"
  read -r bw bc <<<"$(bake "$b")"
  echo "$aw $ac $bw $bc" >>"$tmp/pairs"
  echo "pair $i: A ${aw} s wall ${ac} s CPU, B ${bw} s wall ${bc} s CPU:" \
    "B/A $(ratio "$aw" "$bw") wall, $(ratio "$ac" "$bc") CPU"
done
read -r aw ac bw bc <<<"$(awk '{ for (k = 1; k <= 4; ++k) s[k] += $k }
  END { print s[1], s[2], s[3], s[4] }' "$tmp/pairs")"
echo "summed: A ${aw} s wall ${ac} s CPU, B ${bw} s wall ${bc} s CPU:" \
  "B/A $(ratio "$aw" "$bw") wall, $(ratio "$ac" "$bc") CPU"

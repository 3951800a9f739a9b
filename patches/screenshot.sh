#!/usr/bin/env bash
# Remakes docs/wae-explorer.png: wae-explorer in Pd's GUI under Xvfb, walking preset 2 over
# the analytic test bank with made-up dataset points (no trained model needed).
# Needs xvfb, imagemagick and puredata-gui (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //pd:external //tools/bank:bake_bank //tools/generative:write_analytic_model
tmp=$(mktemp -d /tmp/wae-explorer.XXXXXX)
bank="$tmp/analytic-with-points.h5"
bazel-bin/tools/generative/write_analytic_model --out "$tmp/analytic.pt" --length 32768
bazel-bin/tools/bank/bake_bank --model "$tmp/analytic.pt" --grid 3 --out "$bank"
/usr/bin/python3 tests/patches/projections.py "$bank" 2601
xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
  pd -nosound -noprefs -open patches/wae-explorer.pd \
    -send "wae bank $1; wae preset recall 2; wae start 1" &
  pid=$!
  sleep 15  # the bank loads and the planes draw (slower on a busy machine)
  import -window root "$2"
  kill $pid' _ "$bank" "$tmp/screen.png"
convert "$tmp/screen.png" -trim +repage docs/wae-explorer.png
rm -r "$tmp"
echo "wrote docs/wae-explorer.png"

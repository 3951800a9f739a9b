#!/usr/bin/env bash
# Remakes docs/wae-gem.png, the GEM view (wae-gem.pd) walking preset 2 over a bank (default:
# the demo bank out/bank.h5, with its 2,601 dataset sounds), and measures the view's frame
# rate: Pd in real time under Xvfb with Mesa's software renderer, the view printing the
# frames drawn in each 10 s of real time (`gem fps 1`). The PNG gets a legend beside the Gem
# window (the families, the circles, axis 4).
# Usage: patches/gem_screenshot.sh [BANK.h5]   (FRAME=n: the frame rate cap, default 60)
# Needs gem, xvfb, x11-apps and imagemagick (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bank=$(readlink -f "${1:-out/bank.h5}")
frame=${FRAME:-60}
[ -e "$bank" ] || { echo "gem_screenshot: $bank is missing (bazel run //tools:bake_bank)" >&2; exit 1; }
bazel build //pd:external
tmp=$(mktemp -d /tmp/wae-gem.XXXXXX)
trap 'rm -r "$tmp"' EXIT
read -r width height < <(/usr/bin/python3 -c \
  "import sys; sys.path.insert(0, 'patches'); import make_patches as m; print(*m.GEM_SIZE)")
export LIBGL_ALWAYS_SOFTWARE=1
# Pd as usual, with real-time priority where it may take it (root): without it, on this
# busy machine and at the session's nice 10, the demo bank took minutes to load. Uncapped
# (FRAME=1000) it then takes a core while it measures.
xvfb-run -a -s "-screen 0 1024x768x24 +extension GLX -noreset" bash -c '
  log=$1/pd.log
  pd -nogui -nosound -noprefs -stderr -open patches/wae-walk.pd -send "pd dsp 1; \
    wae bank $2; wae preset recall 2; wae gem 1; wae gem frame $3; wae gem fps 1; \
    wae start 1" > "$log" 2>&1 &
  pid=$!
  # The bank loads (the demo bank: about 40 s), the view gets the dataset; then three
  # counts (10 s of Pd time each: longer in real time when Pd falls behind), of which the
  # last two are printed: the first one holds the arrival of the dataset (a stall).
  for _ in $(seq 300); do grep -q "^wae-gem: points" "$log" && break; sleep 1; done
  grep "^wae-gem: points" "$log" || { cat "$log"; kill $pid; exit 1; }
  before=$(grep -c "^wae-gem: frames" "$log" || true)
  for _ in $(seq 300); do
    [ "$(grep -c "^wae-gem: frames" "$log")" -ge $((before + 3)) ] && break; sleep 1
  done
  grep "^wae-gem: frames" "$log" | tail -n 2
  xwd -root -silent | convert xwd:- "$1/screen.png"
  kill $pid' _ "$tmp" "$bank" "$frame"
/usr/bin/python3 - "$bank" "$tmp/legend.txt" <<'EOF'
# The legend: the families the bank's dataset has, in the view's colours (make_patches).
import sys
import h5py
import numpy as np
sys.path.insert(0, "patches")
import make_patches as m

with h5py.File(sys.argv[1], "r") as f:
    family = f["projections/family"][()] if "projections" in f else np.array([], int)
lines = []
for k in sorted(set(int(v) for v in family)):
    code = m.PALETTE[k if 0 <= k < len(m.FAMILIES) else -1]
    rgb = [round(255 * d / 9) for d in (code // 100, code // 10 % 10, code % 10)]
    lines.append("#%02x%02x%02x %s" % (*rgb, m.FAMILIES[k] if k >= 0 else "no family"))
with open(sys.argv[2], "w") as f:
    f.write("\n".join(lines) + "\n")
EOF
draw=()
y=30
while read -r colour name; do
  draw+=(-fill "$colour" -draw "rectangle 16,$((y - 10)) 28,$((y + 2))"
         -fill white -annotate "+38+$((y + 2))" "$name")
  y=$((y + 22))
done < "$tmp/legend.txt"
for item in "#5973ff:circle 1 (axes 1-2)" "#4de64d:circle 2 (axes 3-4)" "#ff0000:point played"; do
  draw+=(-fill "${item%%:*}" -draw "rectangle 16,$((y - 10)) 28,$((y + 2))"
         -fill white -annotate "+38+$((y + 2))" "${item#*:}")
  y=$((y + 22))
done
draw+=(-fill white -annotate "+16+$((y + 12))" "axis 4: brightness"
       -annotate "+16+$((y + 32))" "(dim -1, full +1)")
convert "$tmp/screen.png" -crop "${width}x${height}+0+0" +repage \
  \( -size "200x${height}" xc:black -font DejaVu-Sans -pointsize 15 "${draw[@]}" \) \
  +append docs/wae-gem.png
echo "wrote docs/wae-gem.png"

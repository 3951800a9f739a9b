#!/usr/bin/env bash
# Copies the demo models that scripts/train_demo.sh trained (out/demo/) into models/demo/,
# the files the repository ships: generative.pt (what bake_bank reads by default), model.pt
# (the VAE, its decaying-rate epochs last), hpn.pt (the inverter, its pitch estimate trained last), their per-epoch
# metrics (model.metrics.csv the VAE's first run, model_decay.metrics.csv its epochs at a
# decaying rate, hpn.metrics.csv the inverter's training, hpn_pitch.metrics.csv its pitch
# estimate's), the step times, and
# MANIFEST.txt with each file's SHA-256 and the dataset's. Refuses to ship an unfinished
# training.
set -euo pipefail
cd "$(dirname "$0")/.."
src=out/demo
dst=models/demo
for done in "$src/vae/model.pt.done" "$src/vae_decay/model.pt.done" "$src/hpn/hpn.pt.done" "$src/hpn_pitch/hpn.pt.done" \
  "$src/generative.pt"; do
  [ -e "$done" ] || { echo "ship_demo: $done is missing: run scripts/train_demo.sh first" >&2; exit 1; }
done
mkdir -p "$dst"
rm -f "$dst"/*.pt "$dst"/*.metrics.csv  # the files of an earlier demo
install -m 644 "$src/generative.pt" "$dst/generative.pt"
install -m 644 "$src/vae_decay/model.pt" "$dst/model.pt"
install -m 644 "$src/vae/model.metrics.csv" "$dst/model.metrics.csv"
install -m 644 "$src/vae_decay/model.metrics.csv" "$dst/model_decay.metrics.csv"
install -m 644 "$src/hpn_pitch/hpn.pt" "$dst/hpn.pt"
install -m 644 "$src/hpn/hpn.metrics.csv" "$dst/hpn.metrics.csv"
install -m 644 "$src/hpn_pitch/hpn.metrics.csv" "$dst/hpn_pitch.metrics.csv"
install -m 644 "$src/times.txt" "$dst/times.txt"
{
  echo "# The demo models (scripts/train_demo.sh), shipped by scripts/ship_demo.sh at commit $(git rev-parse --short HEAD)"
  echo "# sha256 file"
  (cd "$dst" && sha256sum generative.pt model.pt hpn.pt)
  echo "$(sha256sum "$src/dataset.h5" | cut -d' ' -f1)  dataset.h5 (make_dataset; differs between runs only in its created_at attribute)"
} > "$dst/MANIFEST.txt.partial"
mv "$dst/MANIFEST.txt.partial" "$dst/MANIFEST.txt"
du -ch "$dst"/*.pt | tail -1 | sed 's/^/ship_demo: models total /'

#!/usr/bin/env bash
# Copies the demo models that scripts/train_demo.sh trained (out/demo/) into models/demo/,
# the files the repository ships: generative.pt (what bake_bank reads by default), model.pt
# (the VAE), mcnn.pt, their per-epoch metrics, the step times, and MANIFEST.txt with each
# file's SHA-256 and the dataset's. Refuses to ship an unfinished training.
set -euo pipefail
cd "$(dirname "$0")/.."
src=out/demo
dst=models/demo
for done in "$src/vae-kl/model.pt.done" "$src/vae-mmd-rbf/model.pt.done" "$src/mcnn/mcnn.pt.done" "$src/generative.pt"; do
  [ -e "$done" ] || { echo "ship_demo: $done is missing: run scripts/train_demo.sh first" >&2; exit 1; }
done
mkdir -p "$dst"
install -m 644 "$src/generative.pt" "$dst/generative.pt"
install -m 644 "$src/vae-kl/model.pt" "$dst/model.pt"
install -m 644 "$src/vae-kl/model.metrics.csv" "$dst/model.metrics.csv"
install -m 644 "$src/vae-mmd-rbf/model.metrics.csv" "$dst/model-mmd-rbf.metrics.csv"  # the comparison VAE (not shipped)
install -m 644 "$src/mcnn/mcnn.pt" "$dst/mcnn.pt"
install -m 644 "$src/mcnn/mcnn.metrics.csv" "$dst/mcnn.metrics.csv"
install -m 644 "$src/times.txt" "$dst/times.txt"
{
  echo "# The demo models (scripts/train_demo.sh), shipped by scripts/ship_demo.sh at commit $(git rev-parse --short HEAD)"
  echo "# sha256 file"
  (cd "$dst" && sha256sum generative.pt model.pt mcnn.pt)
  echo "$(sha256sum "$src/dataset.h5" | cut -d' ' -f1)  dataset.h5 (make_dataset; differs between runs only in its created_at attribute)"
} > "$dst/MANIFEST.txt.partial"
mv "$dst/MANIFEST.txt.partial" "$dst/MANIFEST.txt"
du -ch "$dst"/*.pt | tail -1 | sed 's/^/ship_demo: models total /'

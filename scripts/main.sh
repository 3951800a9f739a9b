#!/usr/bin/env bash
# The main job on a fresh Debian machine, on the shipped demo model (models/demo/):
# setup; the dataset from the default corpus (render_corpus from three Debian SoundFonts,
# about 1 minute, then make_dataset, 4 to 5 minutes on 2 cores), so that the bank carries
# where the dataset's sounds lie;
# bake_bank over the default 10x8x6x4 grid, int16 (docs/REPORT.md: on the demo model it
# measures as float32 in half the memory) -> out/bank.h5; the explorer's walk played
# headless by Pd -> out/walk.wav. Leaves no Bazel server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
bazel build //tools:render_corpus //tools:make_dataset //tools:bake_bank //pd:external
start=$(date +%s)
if [ ! -e out/dataset.h5 ]; then
  bazel run //tools:render_corpus -- --out out/corpus
  bazel run //tools:make_dataset -- --in out/corpus --out out/dataset.h5
fi
bazel run //tools:bake_bank -- --model models/demo/generative.pt --dataset out/dataset.h5 \
  --storage int16 --out out/bank.h5
scripts/render_walk.sh out/bank.h5 out/walk.wav "${WALK_SECONDS:-20}"
cat <<DONE
main: done in $(( $(date +%s) - start )) s after the build.
  bank: $PWD/out/bank.h5 (demo model, 10x8x6x4 grid)
  walk: $PWD/out/walk.wav (${WALK_SECONDS:-20} s of patches/wae-explorer.pd's walk, played by Pd headless)
  play it live: pd patches/wae-explorer.pd   (it opens ../out/bank.h5; press start)
DONE

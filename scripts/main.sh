#!/usr/bin/env bash
# The main job on a fresh Debian machine, on the shipped demo model (models/demo/):
# setup; the dataset of the corpus the demo model was trained on (FluidR3_GM.sf2 alone, every
# third semitone, 3 velocities, stratified split: seconds; the default corpus is now larger,
# docs/CORPUS.md), so that the bank carries where the dataset's sounds lie;
# bake_bank over the default 10x8x6x4 grid, int16 (docs/REPORT.md: on the demo model it
# measures as float32 in half the memory) -> out/bank.h5, without pitch (--no-pitch: on the
# demo model the pitch-aligned blend measures worse than the plain one, docs/REPORT.md,
# "Morphing"); the explorer's walk played headless by Pd -> out/walk.wav. Leaves no Bazel
# server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
bazel build //tools:render_corpus //tools:make_dataset //tools:bake_bank //pd:external
start=$(date +%s)
if [ ! -e out/dataset.h5 ]; then
  bazel run //tools:render_corpus -- --out out/corpus --soundfont /usr/share/sounds/sf2/FluidR3_GM.sf2 \
    --pitch-min 24 --pitch-max 96 --pitch-step 3 --velocities 50,100,127
  bazel run //tools:make_dataset -- --in out/corpus --out out/dataset.h5 --split-mode stratified-by-family
fi
bazel run //tools:bake_bank -- --model models/demo/generative.pt --dataset out/dataset.h5 \
  --storage int16 --no-pitch --out out/bank.h5
scripts/render_walk.sh out/bank.h5 out/walk.wav "${WALK_SECONDS:-20}"
cat <<DONE
main: done in $(( $(date +%s) - start )) s after the build.
  bank: $PWD/out/bank.h5 (demo model, 10x8x6x4 grid)
  walk: $PWD/out/walk.wav (${WALK_SECONDS:-20} s of patches/wae-explorer.pd's walk, played by Pd headless)
  play it live: pd patches/wae-explorer.pd   (it opens ../out/bank.h5; press start)
DONE

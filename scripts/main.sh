#!/usr/bin/env bash
# The main job on a fresh Debian machine, on the shipped demo model (models/demo/):
# setup; a small dataset of the demo's corpus (the three SoundFonts, every fourth semitone
# 36..84, velocity 100: 1,365 notes, seconds; the demo was trained on every semitone and 4
# velocities, docs/CORPUS.md), so that the bank carries where those sounds lie (the
# explorer's dots); bake_bank over a 24x3x5x5 grid (1,800 points: 24 pitch rows, 3 levels
# along the loudness axis, the rest for the timbre; of the grids of up to 1,920 points, as
# many as the default 10x8x6x4, it measured closest to the model between points: docs/BANK.md,
# "The level between corners"), int16 -> out/bank.h5, with
# each point's f0 from the model and its harmonic and noise parts apart (225 MiB: the external
# reads the harmonic parts pitch-aligned, the noise as it is); the explorer's walk played
# headless by Pd -> out/walk.wav. Leaves no Bazel server.
# BANK_GRID=P,A,B,C bakes another grid (docs/BANK.md, "With pitch alignment", measures grids
# of as many points against the model); WALK_SECONDS sets the walk's length.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
bazel build //tools:render_corpus //tools:make_dataset //tools:bake_bank //pd:external
start=$(date +%s)
dots=out/main
if [ ! -e $dots/dataset.h5 ]; then
  bazel run //tools:render_corpus -- --out $dots/corpus --pitch-step 4 --velocities 100
  bazel run //tools:make_dataset -- --in $dots/corpus --out $dots/dataset.h5
fi
grid=${BANK_GRID:-24,3,5,5}
bazel run //tools:bake_bank -- --model models/demo/generative.pt --dataset $dots/dataset.h5 \
  --grid "$grid" --storage int16 --out out/bank.h5
scripts/render_walk.sh out/bank.h5 out/walk.wav "${WALK_SECONDS:-20}"
cat <<DONE
main: done in $(( $(date +%s) - start )) s after the build.
  bank: $PWD/out/bank.h5 (demo model, $grid grid, axis 1 the pitch, axis 2 the loudness)
  walk: $PWD/out/walk.wav (${WALK_SECONDS:-20} s of patches/wae-explorer.pd's walk, played by Pd headless)
  play it live: pd patches/wae-explorer.pd   (it opens ../out/bank.h5; press start)
DONE

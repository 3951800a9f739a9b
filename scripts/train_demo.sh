#!/usr/bin/env bash
# Reproduces the demo models from Debian's FluidR3_GM.sf2 with the project's own tools:
# render_corpus -> make_dataset -> train_vae -> train_mcnn -> make_generative.
# Every step is skipped when its output exists, and the trainings resume from their
# checkpoints, so the script can be run again after an interruption (or across sessions).
# Prints the wall time of each step. Outputs under out/demo/; scripts/ship_demo.sh copies
# the models to models/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
# LibTorch's OpenMP threads spin while they wait for each other; on a machine whose cores
# are shared, that made epochs up to 10x slower (docs/INVERSION.md). Results do not change.
export OMP_WAIT_POLICY=PASSIVE
out=out/demo
mkdir -p "$out"
step() {  # step NAME OUTPUT COMMAND...
  local name=$1 output=$2; shift 2
  if [ -e "$output" ] && [ -z "${FORCE:-}" ]; then echo "train_demo: $name: $output exists, skipped"; return; fi
  local start=$(date +%s)
  "$@"
  echo "train_demo: $name took $(( $(date +%s) - start )) s" | tee -a "$out/times.txt"
}
bazel build //tools:render_corpus //tools:make_dataset //tools:train_vae
bin=bazel-bin/tools
step render_corpus "$out/corpus/examples.json" $bin/corpus/render_corpus --out "$out/corpus"
step make_dataset "$out/dataset.h5" $bin/dataset/make_dataset --in "$out/corpus" --out "$out/dataset.h5" --seed 20261124
step train_vae "$out/vae/model.pt.done" bash -c "$bin/vae/train_vae --dataset $out/dataset.h5 --out $out/vae/model.pt \
  --regularizer mmd-rbf --epochs ${VAE_EPOCHS:-150} --seed 1 --threads 2 --resume && touch $out/vae/model.pt.done"

#!/usr/bin/env bash
# The main job on a fresh Debian machine: setup, then the annotated dataset from the
# default corpus (render_corpus from Debian's FluidR3_GM.sf2, then make_dataset).
# Outputs under out/. Leaves no Bazel server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
bazel build //tools:render_corpus //tools:make_dataset
start=$(date +%s)
bazel run //tools:render_corpus -- --out out/corpus
bazel run //tools:make_dataset -- --in out/corpus --out out/dataset.h5
echo "main: corpus in out/corpus, dataset in out/dataset.h5 ($(( $(date +%s) - start )) s)"

#!/usr/bin/env bash
# Runs every test: setup (Debian packages), the direction of dependencies
# (scripts/check_deps.sh), the pipeline scripts' copies of the tools (copy_tools in
# scripts/steps.sh), then `bazel test //...`. Leaves no Bazel server.
# Usage: scripts/test.sh [extra bazel test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
deps=0
scripts/check_deps.sh || deps=1
# The pipeline scripts run copies of the tools their //tools aliases name.
tag=test
source scripts/steps.sh
tools=$(mktemp -d)
if copy_tools "$tools" make_dataset train_vae train_hpn make_generative bake_bank check_bank \
    render_corpus train_mcnn && for t in "$tools"/*; do "$t" --help > /dev/null; done; then
  echo "test: ok: scripts/steps.sh copies the tools (copy_tools)"
else
  echo "test: FAILED: scripts/steps.sh could not copy and run the tools (copy_tools)"
  deps=1
fi
rm -rf "$tools"
bazel test --nocache_test_results //... "$@"
exit "$deps"

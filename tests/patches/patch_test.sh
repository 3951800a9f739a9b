#!/usr/bin/env bash
# Runs the control patch tests inside real Pd (see patch_test.py).
set -euo pipefail
ext_dir=$(dirname "$(readlink -f pd/wae-sampler~.pd_linux)")
PYTHONPATH=patches:tests /usr/bin/python3 tests/patches/patch_test.py "$ext_dir" patches \
  tools/generative/write_analytic_model tools/bank/bake_bank

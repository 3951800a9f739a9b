#!/usr/bin/env bash
# Runs the GEM view test (see gem_test.py): skips, and says so, without Gem or Xvfb.
set -euo pipefail
ext_dir=$(dirname "$(readlink -f pd/wae-sampler~.pd_linux)")
PYTHONPATH=patches:tests /usr/bin/python3 tests/patches/gem_test.py "$ext_dir" patches \
  tools/generative/write_analytic_model tools/bank/bake_bank

#!/usr/bin/env bash
# Runs the wae-sampler~ tests inside real Pd (see external_test.py).
set -euo pipefail
ext_dir=$(dirname "$(readlink -f pd/wae-sampler~.pd_linux)")
PYTHONPATH=tests/pd:tests /usr/bin/python3 tests/pd/external_test.py "$ext_dir" \
  tools/generative/write_analytic_model tools/bank/bake_bank

#!/usr/bin/env bash
# The C++-written analytic generative.pt loads in Python and gives bit-identical outputs.
set -euo pipefail
dir="${TEST_TMPDIR:-$(mktemp -d)}"
tools/generative/write_analytic_model --out "$dir/generative.pt" --expected "$dir/expected.txt"
/usr/bin/python3 tools/generative/python_load_check.py "$dir/generative.pt" "$dir/expected.txt"

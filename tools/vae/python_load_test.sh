#!/usr/bin/env bash
# A C++-written model.pt loads with Python's torch.jit.load and gives bit-identical outputs.
set -euo pipefail
dir="${TEST_TMPDIR:-$(mktemp -d)}/python_load"
rm -rf "$dir" && mkdir -p "$dir"
tools/vae/write_test_vae --dir "$dir"
/usr/bin/python3 tools/vae/python_load_check.py "$dir"

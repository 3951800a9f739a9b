#!/usr/bin/env bash
# A make_generative-written generative.pt (MCNN inverter; harmonic-plus-noise with a
# pitch-axis VAE, as the demo; fast Griffin-Lim) loads in Debian's Python and gives the C++
# outputs.
set -euo pipefail
for inversion in mcnn hpn griffin-lim:3; do
  dir="${TEST_TMPDIR:-$(mktemp -d)}/${inversion%%:*}"
  rm -rf "$dir" && mkdir -p "$dir"
  tools/generative/write_test_generative --dir "$dir" --inversion "$inversion" 2>"$dir/log"
  /usr/bin/python3 tools/generative/python_generative_check.py "$dir"
done

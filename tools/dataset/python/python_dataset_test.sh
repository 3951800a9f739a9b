#!/usr/bin/env bash
# The C++ make_dataset writes a dataset from a corpus made in Python; Debian's Python
# (torch, h5py, numpy) reads it back and checks values, labels and the mel.
set -euo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}/python_dataset"
rm -rf "$tmp"
py=tools/dataset/python
/usr/bin/python3 "$py/make_test_corpus.py" "$tmp/corpus" 60
tools/dataset/make_dataset --in "$tmp/corpus" --out "$tmp/dataset.h5" --valid-fraction 0.2 --test-fraction 0.2
PYTHONPATH="$py:tests" /usr/bin/python3 "$py/wae_dataset_test.py" "$tmp/corpus" "$tmp/dataset.h5"

#!/usr/bin/env bash
# Runs scripts/bank_between.py on a bank whose quiet points are known (see bank_between_test.py).
set -euo pipefail
PYTHONPATH=tests /usr/bin/python3 tests/scripts/bank_between_test.py

#!/usr/bin/env bash
# A short libFuzzer run of the bank reader: 2000 mutated inputs from the seed corpus.
# Any crash, sanitizer report, HDF5 handle leak or timeout fails the test.
set -euo pipefail
work="${TEST_TMPDIR:-$(mktemp -d)}"
mkdir -p "$work/new"
export ASAN_OPTIONS="allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=bank/fuzz/lsan.supp"
bank/fuzz/bank_reader_fuzz -runs=2000 -seed=1 -timeout=10 -rss_limit_mb=1024 \
  -artifact_prefix="$work/" "$work/new" bank/fuzz/corpus 2>"$work/log" || {
  tail -40 "$work/log"
  exit 1
}
tail -3 "$work/log"

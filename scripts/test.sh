#!/usr/bin/env bash
# Runs every test: setup (Debian packages), the direction of dependencies
# (scripts/check_deps.sh), then `bazel test //...`. Leaves no Bazel server.
# Usage: scripts/test.sh [extra bazel test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
deps=0
scripts/check_deps.sh || deps=1
bazel test --nocache_test_results //... "$@"
exit "$deps"

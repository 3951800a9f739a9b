#!/usr/bin/env bash
# Runs every test: setup (Debian packages), then `bazel test //...`. Leaves no Bazel server.
# Usage: scripts/test.sh [extra bazel test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
bazel test --nocache_test_results //... "$@"

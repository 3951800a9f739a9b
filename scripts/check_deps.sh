#!/usr/bin/env bash
# The direction of dependencies (docs/DESIGN.md, "Folders and the direction of
# dependencies"), checked with bazel query: the external, the runtime and the bank format
# reach neither the offline tools nor LibTorch, the external does not link live mode's
# plugin, and tools/generative does not reach tools/bank. Prints each
# rule and any path that breaks it; exits 1 if one does. Run by scripts/test.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
rule() {  # rule FROM TO
  local path
  if ! path=$(bazel query --noshow_progress "somepath($1, $2)" 2>/dev/null); then
    echo "check_deps: bazel query failed for somepath($1, $2)"; failed=1; return
  fi
  if [ -n "$path" ]; then
    echo "check_deps: FAILED: $1 reaches $2:"; echo "$path" | sed 's/^/  /'; failed=1
  else
    echo "check_deps: ok: $1 does not reach $2"
  fi
}
rule //pd:external //tools/...
rule //pd:external @torch//:torch
rule //runtime/... //tools/...
rule //runtime/... @torch//:torch
# The fuzzer's seed corpus includes an unfinished bake, written by the tools' work files.
rule "//bank/... except //bank/fuzz:make_corpus" //tools/...
# The external reaches live mode's plugin only by dlopen(), never by linking it.
rule //pd:external //pd/live:wae-sampler-live.so
rule //pd/live:live_plugin_api @torch//:torch
rule //tools/generative/... //tools/bank/...
exit "$failed"

# Shared by the pipeline scripts (train_demo.sh, train.sh): resumable steps. Source it after
# setting `tag` (the prefix of its lines) and `out` (the run's folder; step times are
# appended to $out/times.txt).
#
#   step NAME OUTPUT COMMAND...   runs COMMAND unless OUTPUT exists (FORCE=1: always)
#   train MARKER COMMAND...       runs COMMAND, then touches MARKER: a training is done when
#                                 its marker exists (model.pt alone is written after every
#                                 best epoch, so it does not say the run ended)
#   copy_tools DIR NAME...        builds //tools:NAME and copies each binary to DIR/NAME, so
#                                 that a rebuild during a long run cannot touch the tools it
#                                 runs (scripts/test.sh checks it)

step() {
  local name=$1 output=$2; shift 2
  if [ -e "$output" ] && [ -z "${FORCE:-}" ]; then echo "$tag: $name: $output exists, skipped"; return; fi
  local start=$(date +%s)
  "$@"
  echo "$tag: $name took $(( $(date +%s) - start )) s" | tee -a "$out/times.txt"
}

train() {
  local marker=$1; shift
  "$@" && touch "$marker"
}

copy_tools() {
  local dir=$1 t path
  shift
  local targets=()
  for t in "$@"; do targets+=("//tools:$t"); done
  bazel build "${targets[@]}" || return 1
  rm -rf "$dir" && mkdir -p "$dir"
  for t in "$@"; do
    # //tools:NAME is an alias (bazel-bin/tools/NAME does not exist): ask Bazel for the file.
    path=$(bazel cquery --output=starlark --starlark:expr='target.files.to_list()[0].path' \
      "//tools:$t" 2>/dev/null)
    if [ -z "$path" ] || ! cp "$path" "$dir/$t"; then
      echo "$tag: //tools:$t: no binary found" >&2
      return 1
    fi
  done
}

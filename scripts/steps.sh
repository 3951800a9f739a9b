# Shared by the pipeline scripts (train_demo.sh, train.sh): resumable steps. Source it after
# setting `tag` (the prefix of its lines) and `out` (the run's folder; step times are
# appended to $out/times.txt).
#
#   step NAME OUTPUT COMMAND...   runs COMMAND unless OUTPUT exists (FORCE=1: always)
#   train MARKER COMMAND...       runs COMMAND, then touches MARKER: a training is done when
#                                 its marker exists (model.pt alone is written after every
#                                 best epoch, so it does not say the run ended)

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

#!/usr/bin/env bash
# From a folder of your own sounds to a playable bank, in one command:
#   make_dataset -> train_vae -> train_hpn -> make_generative -> bake_bank -> check_bank
# with the demo's settings (scripts/train_demo.sh) and the harmonic-plus-noise inverter.
#
#   scripts/train.sh DIR [options]          outputs in out/<DIR's name>/
#
# DIR: any folder tree of audio files libsndfile reads (WAV, FLAC, AIFF, OGG, ...), or an
# NSynth-style folder (docs/FORMATS.md). Every step is skipped when its output exists, and
# the trainings resume from their checkpoints, so after an interruption the same command
# continues (FORCE=1 reruns every step). --minutes M is a time budget for the two
# trainings: the VAE gets 35% of it, the inverter what is left of 90% when the VAE ends (the
# rest is for make_generative and the bake); each stops after the epoch that ends past its
# share (--max-minutes) and counts as done, its best epoch kept. A resumed training gets its
# share again. The bake is outside the budget: its time grows with the grid and the
# inverter's speed (bake_bank prints its ETA). The tools print progress lines with an ETA.
#
# Options (defaults in brackets):
#   --name NAME          output folder out/NAME [DIR's name]
#   --out PATH           output folder [out/NAME]
#   --minutes M          training budget in minutes, 0: none (epochs only) [45]
#   --vae-epochs N       [150, as the demo]      --hpn-epochs N   [100]
#   --grid G             bake grid [10,8,6,4]    --storage S      float32|int16 [int16]
#   --threads N          torch threads (the bake: model workers of 1 thread) [2]
#   --split-mode MODE    make_dataset's [stratified-by-family: every instrument in training]
#   --dataset-args ARGS, --vae-args ARGS, --hpn-args ARGS, --generative-args ARGS,
#   --bake-args ARGS     more options for that tool (one string, split at spaces)
# Environment: WAE_TOOLS=DIR runs the tools from DIR (make_dataset, train_vae, train_hpn,
# make_generative, bake_bank, check_bank) instead of building them with Bazel.
set -euo pipefail
# The whole script is one block, read before it runs: bash reads a script as it goes, so
# editing or updating train.sh during a long run would otherwise change the steps to come.
{
usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
fail() { echo "train: $*" >&2; exit 2; }

[ $# -ge 1 ] || usage 2
case $1 in -h|--help) usage 0 ;; esac
in=$1; shift
name="" out="" minutes=45 vae_epochs=150 hpn_epochs=100 grid=10,8,6,4 storage=int16 threads=2
split_mode=stratified-by-family dataset_args="" vae_args="" hpn_args="" generative_args="" bake_args=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || fail "$1: expected a value after it"
  case $1 in
    --name) name=$2 ;;
    --out) out=$2 ;;
    --minutes) minutes=$2 ;;
    --vae-epochs) vae_epochs=$2 ;;
    --hpn-epochs) hpn_epochs=$2 ;;
    --grid) grid=$2 ;;
    --storage) storage=$2 ;;
    --threads) threads=$2 ;;
    --split-mode) split_mode=$2 ;;
    --dataset-args) dataset_args=$2 ;;
    --vae-args) vae_args=$2 ;;
    --hpn-args) hpn_args=$2 ;;
    --generative-args) generative_args=$2 ;;
    --bake-args) bake_args=$2 ;;
    *) fail "$1: unknown option (see scripts/train.sh --help)" ;;
  esac
  shift 2
done
# Checked here, before any step: the tools check the rest of their options themselves, and
# make_dataset checks all of its own before it reads a file.
[ -d "$in" ] || fail "$in: not a folder (expected a folder of sounds)"
[[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]] || fail "--minutes: found '$minutes', expected minutes >= 0"
[[ $vae_epochs =~ ^[1-9][0-9]*$ ]] || fail "--vae-epochs: found '$vae_epochs', expected an integer >= 1"
[[ $hpn_epochs =~ ^[1-9][0-9]*$ ]] || fail "--hpn-epochs: found '$hpn_epochs', expected an integer >= 1"
[[ $threads =~ ^[1-9][0-9]*$ ]] || fail "--threads: found '$threads', expected an integer >= 1"
in=$(readlink -f "$in")
[ -n "$name" ] || name=$(basename "$in")
[ -n "$out" ] || out=out/$name
mkdir -p "$out"
out=$(readlink -f "$out")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
# LibTorch's OpenMP threads spin while they wait for each other (docs/INVERSION.md).
export OMP_WAIT_POLICY=PASSIVE
tag=train
source "$here/steps.sh"  # step NAME OUTPUT COMMAND..., train MARKER COMMAND...

tools="make_dataset train_vae train_hpn make_generative bake_bank check_bank"
if [ -n "${WAE_TOOLS:-}" ]; then
  bin=$WAE_TOOLS
else
  bin=$out/bin
  copy_tools "$bin" $tools || fail "the tools could not be built"
fi
for t in $tools; do [ -x "$bin/$t" ] || fail "$bin/$t: no such tool"; done

start=$(date +%s)
minutes_spent() { awk -v s="$start" -v now="$(date +%s)" 'BEGIN { printf "%.1f", (now - s) / 60 }'; }
share() {  # share FRACTION [MINUS]: budget * FRACTION - MINUS minutes, at least 0.5 (0: no budget)
  awk -v m="$minutes" -v f="$1" -v minus="${2:-0}" \
    'BEGIN { x = m * f - minus; if (m == 0) x = 0; else if (x < 0.5) x = 0.5; printf "%.2f", x }'
}
header() { echo "train: step $1/6: $2 ($(minutes_spent) min spent${3:+; $3})"; }

header 1 "make_dataset: $in"
step make_dataset "$out/dataset.h5" "$bin/make_dataset" --in "$in" --out "$out/dataset.h5" \
  --split-mode "$split_mode" $dataset_args

vae_minutes=$(share 0.35)
header 2 "train_vae, $vae_epochs epochs" "budget $vae_minutes min"
step train_vae "$out/vae/model.pt.done" train "$out/vae/model.pt.done" \
  "$bin/train_vae" --dataset "$out/dataset.h5" --out "$out/vae/model.pt" --regularizer kl \
  --epochs "$vae_epochs" --seed 1 --threads "$threads" --resume --max-minutes "$vae_minutes" \
  $vae_args

hpn_minutes=$(share 0.9 "$(minutes_spent)")
header 3 "train_hpn, $hpn_epochs epochs" "budget $hpn_minutes min"
step train_hpn "$out/hpn/hpn.pt.done" train "$out/hpn/hpn.pt.done" \
  "$bin/train_hpn" --dataset "$out/dataset.h5" --out "$out/hpn/hpn.pt" --epochs "$hpn_epochs" \
  --seed 1 --threads "$threads" --resume --max-minutes "$hpn_minutes" $hpn_args

# As the demo's generative.pt: the other latent directions by kernel regression, no
# waveform above full scale; the inverter is the one just trained.
header 4 make_generative
step make_generative "$out/generative.pt" "$bin/make_generative" --model "$out/vae/model.pt" \
  --dataset "$out/dataset.h5" --inversion "$out/hpn/hpn.pt" --residual-bandwidth 0.2 \
  --peak-limit 1 --threads "$threads" --out "$out/generative.pt" $generative_args

header 5 "bake_bank, grid $grid"
step bake_bank "$out/bank.h5" "$bin/bake_bank" --model "$out/generative.pt" \
  --dataset "$out/dataset.h5" --grid "$grid" --storage "$storage" --workers "$threads" \
  --threads 1 --resume --out "$out/bank.h5" $bake_args

header 6 check_bank
"$bin/check_bank" --bank "$out/bank.h5" --csv "$out/bank_check.csv" --png "$out/bank_check.png" \
  | tee "$out/bank_check.txt"

cat <<DONE
train: done in $(minutes_spent) min (steps skipped when done; times in $out/times.txt).
  bank:  $out/bank.h5
  check: $out/bank_check.txt (above), $out/bank_check.csv, $out/bank_check.png
  play it in Pd, from $PWD (bazel build //pd:external first):
    pd -open patches/wae-explorer.pd -send "wae bank $out/bank.h5"     (press start)
  or in your own patch: [wae-sampler~ $out/bank.h5] (pd/wae-sampler~-help.pd)
DONE
exit 0
}

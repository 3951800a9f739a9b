#!/bin/bash
# Bakes a bank on a SLURM cluster: one shard per job-array task, then one merge job.
#
#   jid=$(sbatch --parsable docs/jobs/slurm_bake.sh)
#   sbatch --dependency=afterok:$jid --wrap \
#     "bazel-bin/tools/bank/merge_banks --out out/bank.h5 out/bank.shard*of8.h5"
#
# bake_bank reads its shard from SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) and the
# count from SLURM_ARRAY_TASK_COUNT, so the array size is the only place the shard count is
# set; keep the merge's "of8" in step with it. --resume makes a requeued or restarted task
# continue its shard's partial file, and a task whose shard is already complete bake
# nothing. The workspace (built tools, model, out/) must be on a filesystem every node sees.
#SBATCH --job-name=wae-bake
#SBATCH --array=0-7
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=out/logs/bake-%A_%a.log
set -euo pipefail

MODEL="${MODEL:-models/demo/generative.pt}"
OUT="${OUT:-out/bank.h5}"
GRID="${GRID:-10,8,6,4}"
STORAGE="${STORAGE:-float32}"
BAKE="${BAKE:-bazel-bin/tools/bank/bake_bank}"  # bazel build //tools:bake_bank first

mkdir -p "$(dirname "$OUT")" out/logs
exec "$BAKE" --model "$MODEL" --grid "$GRID" --storage "$STORAGE" --out "$OUT" \
  --threads "${SLURM_CPUS_PER_TASK:-0}" --resume

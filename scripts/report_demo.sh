#!/usr/bin/env bash
# Re-measures every figure of docs/REPORT.md on the demo models that scripts/train_demo.sh
# trained (out/demo/) and the bank that scripts/main.sh baked (out/bank.h5): the VAEs' test
# LSD per family (mmd-rbf and kl), the inverters, the whole pipeline end to end, the bank's
# fidelity against grid size, the check over every bank point, and the short audio
# examples. Small outputs (CSV, PNG, WAV) go to docs/report/, the rest to out/demo/report/.
# Each step prints its wall time. About 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY=PASSIVE
demo=out/demo
rep=docs/report
work=$demo/report
mkdir -p "$rep/audio" "$work"
for f in "$demo/dataset.h5" "$demo/vae-mmd-rbf/model.pt" "$demo/vae-kl/model.pt" "$demo/mcnn/mcnn.pt" \
  models/demo/generative.pt out/bank.h5; do
  [ -e "$f" ] || { echo "report_demo: $f is missing (scripts/train_demo.sh, ship_demo.sh, main.sh)" >&2; exit 1; }
done
timed() {  # timed NAME COMMAND...
  local name=$1 start=$(date +%s); shift
  "$@"
  echo "report_demo: $name took $(( $(date +%s) - start )) s" | tee -a "$work/times.txt"
}
bazel build //tools:evaluate_vae //tools:evaluate_inversion //tools:make_generative //tools:evaluate_generative \
  //tools:evaluate_bank //tools:check_bank //pd:external
bin=bazel-bin/tools
for reg in mmd-rbf kl; do
  model=$demo/vae-$reg/model.pt
  timed "evaluate_vae $reg" $bin/vae/evaluate_vae --model "$model" --dataset "$demo/dataset.h5" \
    --out-dir "$work/vae-$reg"
  cp "$work/vae-$reg/metrics.csv" "$rep/vae-$reg.csv"
  cp "$work/vae-$reg/latent_pca.png" "$rep/vae-$reg-latent_pca.png"
  cp "$work/vae-$reg/reconstructions.png" "$rep/vae-$reg-reconstructions.png"
done
timed evaluate_inversion $bin/inversion/evaluate_inversion --dataset "$demo/dataset.h5" \
  --mcnn "$demo/mcnn/mcnn.pt" --out-dir "$work/inversion"
cp "$work/inversion/inversion.csv" "$rep/inversion.csv"
cp "$work/inversion/spectrograms.png" "$rep/inversion_spectrograms.png"
# End to end: the shipped generative.pt (kl VAE), and the same made from the mmd-rbf VAE.
timed evaluate_generative $bin/generative/evaluate_generative --model models/demo/generative.pt \
  --vae "$demo/vae-kl/model.pt" --dataset "$demo/dataset.h5" --out-dir "$work/generative"
cp "$work/generative/metrics.csv" "$rep/generative.csv"
$bin/generative/make_generative --model "$demo/vae-mmd-rbf/model.pt" --dataset "$demo/dataset.h5" \
  --inversion griffin-lim:32 --residual-bandwidth 0.2 --peak-limit 1 --out "$work/generative-mmd-rbf.pt"
timed "evaluate_generative mmd-rbf" $bin/generative/evaluate_generative \
  --model "$work/generative-mmd-rbf.pt" --vae "$demo/vae-mmd-rbf/model.pt" \
  --dataset "$demo/dataset.h5" --out-dir "$work/generative-mmd-rbf" --wav-examples 0
cp "$work/generative-mmd-rbf/metrics.csv" "$rep/generative-mmd-rbf.csv"
timed check_bank $bin/bank/check_bank --bank out/bank.h5 --csv "$rep/bank_check.csv" \
  --png "$rep/bank_check.png"
timed evaluate_bank $bin/bank/evaluate_bank --model models/demo/generative.pt --grid 2 --grid 3 \
  --grid 4 --grid 6 --bank out/bank.h5 --trials 64 --seed 1 --csv "$rep/bank_fidelity.csv" \
  --png "$rep/bank_fidelity.png"
/usr/bin/python3 scripts/bank_levels.py out/bank.h5 out/dataset.h5 | tee "$rep/bank_levels.txt"
for reg in kl mmd-rbf; do
  /usr/bin/python3 tools/generative/residual_sweep.py "$demo/vae-$reg/model.pt" "$demo/dataset.h5"
done | tee "$rep/residual_sweep.txt"
# Audio: the walk as Pd plays it, and the pipeline's renders of test notes beside the originals.
timed render_walk scripts/render_walk.sh out/bank.h5 "$work/walk.wav" 12
sox "$work/walk.wav" -b 16 "$rep/audio/walk.wav"
cp "$work/generative/wav/"*.wav "$rep/audio/"
du -sh "$rep"

#!/usr/bin/env bash
# Re-measures the figures of docs/REPORT.md on the demo models that scripts/train_demo.sh
# trained (out/demo/) and the bank that scripts/main.sh baked (out/bank.h5): the VAE on the
# three test sets (held-out notes, pitches, instruments) per family, the inverters on true
# mels (the hpn, fast Griffin-Lim 32 and the MCNN baseline of models/baseline/), the whole
# pipeline end to end, the bank's fidelity against grid size, the check over every bank point
# and what the bank plays between the dataset's notes, and the audio examples. Small outputs
# (CSV, PNG, WAV, TXT) go to docs/report/demo/, the rest to out/demo/report/. Each step
# prints its wall time. About 8 minutes on 2 idle cores, half of them the bakes against
# Griffin-Lim 32 (out/demo/report/times.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY=PASSIVE
demo=out/demo
rep=docs/report/demo
work=$demo/report
dots=out/main/dataset.h5  # the dataset main.sh placed in the bank (its /projections)
mkdir -p "$rep/audio" "$work"
for f in "$demo/dataset.h5" models/demo/model.pt "$demo/hpn_pitch/hpn.pt" models/demo/generative.pt \
  models/baseline/mcnn.pt out/bank.h5 "$dots"; do
  [ -e "$f" ] || { echo "report_demo: $f is missing (scripts/train_demo.sh, ship_demo.sh, main.sh)" >&2; exit 1; }
done
timed() {  # timed NAME COMMAND...
  local name=$1 start=$(date +%s); shift
  "$@"
  echo "report_demo: $name took $(( $(date +%s) - start )) s" | tee -a "$work/times.txt"
}
bazel build //tools:evaluate_vae //tools:evaluate_inversion //tools:evaluate_generative \
  //tools:evaluate_bank //tools:check_bank //tools:make_generative //tools:coherence \
  //tools:bake_bank //pd:external
bin=bazel-bin/tools
# The VAE, decoded at the label's pitch (as a player gives the bank's pitch axis), then at
# the encoder's estimate of it.
for pitch in label encoder; do
  timed "evaluate_vae $pitch" $bin/vae/evaluate_vae --model models/demo/model.pt \
    --dataset "$demo/dataset.h5" --pitch $pitch --out-dir "$work/vae-$pitch"
  cp "$work/vae-$pitch/metrics.csv" "$rep/vae_${pitch}_pitch.csv"
done
cp "$work/vae-label/latent_pca.png" "$rep/vae_latent.png"
cp "$work/vae-label/reconstructions.png" "$rep/vae_reconstructions.png"
# The inverters on true mels, 64 notes of each test set.
for split in test test_pitch test_instrument; do
  timed "evaluate_inversion $split" $bin/inversion/evaluate_inversion --dataset "$demo/dataset.h5" \
    --split $split --hpn "$demo/hpn_pitch/hpn.pt" --mcnn models/baseline/mcnn.pt --griffin-lim 32 \
    --examples 64 --out-dir "$work/inversion-$split"
  cp "$work/inversion-$split/inversion.csv" "$rep/inversion_$split.csv"
  cp "$work/inversion-$split/spectrograms.png" "$rep/inversion_${split}_spectrograms.png"
done
# To listen: the held-out pitches' three notes of the spectrograms, as recorded, by the hpn
# and by Griffin-Lim 32.
for f in "$work"/inversion-test_pitch/wav/*_{reference,hpn,gl32}.wav; do
  cp "$f" "$rep/audio/inversion_test_pitch_$(basename "$f")"
done
# End to end, 64 notes of each test set, at the label's pitch and at the encoder's.
timed evaluate_generative $bin/generative/evaluate_generative --model models/demo/generative.pt \
  --vae models/demo/model.pt --dataset "$demo/dataset.h5" --examples 64 --out-dir "$work/generative"
cp "$work/generative/metrics.csv" "$rep/generative_label_pitch.csv"
timed "evaluate_generative encoder" $bin/generative/evaluate_generative \
  --model models/demo/generative.pt --vae models/demo/model.pt --dataset "$demo/dataset.h5" \
  --examples 64 --pitch encoder --wav-examples 0 --out-dir "$work/generative-encoder"
cp "$work/generative-encoder/metrics.csv" "$rep/generative_encoder_pitch.csv"
timed "evaluate_generative recording" $bin/generative/evaluate_generative \
  --model models/demo/generative.pt --vae models/demo/model.pt --dataset "$demo/dataset.h5" \
  --examples 64 --pitch recording --wav-examples 0 --out-dir "$work/generative-recording"
cp "$work/generative-recording/metrics.csv" "$rep/generative_recording_pitch.csv"
# Phase coherence: two points a small step apart, the demo's generative.pt against the same
# VAE with fast Griffin-Lim 32.
$bin/generative/make_generative --model models/demo/model.pt --dataset "$demo/dataset.h5" \
  --inversion griffin-lim:32 --residual-bandwidth 0.2 --peak-limit 1 --out "$work/generative_gl32.pt"
for m in models/demo/generative.pt "$work/generative_gl32.pt"; do
  timed "coherence $m" $bin/generative/coherence --model "$m" --points 32 --steps 0.01,0.03 \
    --csv "$work/coherence_$(basename "$m" .pt).csv"
done | tee "$rep/coherence.txt"
# The bake in the same run: the demo's generative.pt against the same VAE with Griffin-Lim 32,
# three pairs back to back (docs/REPORT.md, "Baking").
timed bake_pairs scripts/bake_pairs.sh models/demo/generative.pt "$work/generative_gl32.pt" 3 |
  tee "$rep/bake_pairs.txt"
# The bank.
timed check_bank $bin/bank/check_bank --bank out/bank.h5 --csv "$rep/bank_check.csv" \
  --png "$rep/bank_check.png"
timed evaluate_bank $bin/bank/evaluate_bank --model models/demo/generative.pt --grid 2 --grid 3 \
  --grid 4 --grid 6 --bank out/bank.h5 --trials 64 --seed 1 --csv "$rep/bank_fidelity.csv" \
  --png "$rep/bank_fidelity.png"
timed bank_between /usr/bin/python3 scripts/bank_between.py out/bank.h5 "$dots" "$rep/bank_between"
/usr/bin/python3 scripts/bank_levels.py out/bank.h5 "$dots" | tee "$rep/bank_levels.txt"
# Audio: the walk as Pd plays it, and the pipeline's renders of test notes beside the originals.
timed render_walk scripts/render_walk.sh out/bank.h5 "$work/walk.wav" 12
sox "$work/walk.wav" -b 16 "$rep/audio/walk.wav"
sox "$rep/audio/walk.wav" -n spectrogram -x 1200 -y 513 -z 90 -t "the demo bank's walk in Pd" \
  -o "$rep/walk_spectrogram.png"
cp "$work/generative/wav/"*.wav "$rep/audio/"
du -sh "$rep"

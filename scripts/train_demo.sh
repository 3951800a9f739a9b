#!/usr/bin/env bash
# Reproduces the demo models with the project's own tools, from the default corpus (three
# SoundFonts of Debian's packages, every semitone 36..84, 4 velocities: docs/CORPUS.md):
#   render_corpus -> make_dataset (the honest split: held-out pitches and instruments)
#   -> train_vae (4-D latent whose first axis is the notes' pitch, the second their loudness:
#      docs/VAE.md, "A pitch axis", "A loudness axis"; the mels' spectral convergence in the
#      loss: "The mels' spectral convergence in the loss"), then 12 epochs more from it at a
#      decaying learning rate (train_vae --init --lr-decay: "A decaying learning rate")
#   -> train_hpn (the harmonic-plus-noise inverter: docs/INVERSION.md), then its pitch
#      estimate trained alone (train_hpn --init --pitch-only); these two learn from the
#      dataset's notes alone, not from the VAE, so they run beside the VAE's steps, on one
#      thread (their lines in $out/hpn.log), the VAE on two
#   -> make_generative (the VAE's decoder, then the inverter at the pitch axis's f0).
# Every step is skipped when its output exists, and the trainings resume from their
# checkpoints, so the script can be run again after an interruption (or across sessions).
# Prints the wall time of each step and of the whole run (appended to $out/times.txt; a step
# resumed across sessions logs each part). Outputs under out/demo/ (DEMO_OUT=DIR: under DIR);
# scripts/ship_demo.sh copies the shipped models to models/demo/.
set -euo pipefail
# One block, read before it runs (as train.sh): bash reads a script as it goes, so editing
# this file during a run would otherwise change the steps to come.
{
cd "$(dirname "$0")/.."
# LibTorch's OpenMP threads spin while they wait for each other; on a machine whose cores
# are shared, that made epochs up to 10x slower (docs/INVERSION.md). Results do not change.
export OMP_WAIT_POLICY=PASSIVE
out=${DEMO_OUT:-out/demo}
mkdir -p "$out"
tag=train_demo
source scripts/steps.sh  # step NAME OUTPUT COMMAND..., train MARKER COMMAND...
bin=$out/bin
copy_tools "$bin" render_corpus make_dataset train_vae train_hpn make_generative
start=$(date +%s)
step render_corpus "$out/corpus/examples.json" $bin/render_corpus --out "$out/corpus"
step make_dataset "$out/dataset.h5" $bin/make_dataset --in "$out/corpus" --out "$out/dataset.h5"
# The inverter's two steps, beside the VAE's (below): measured on an idle machine, one epoch
# of each alone took 108.7 s (train_vae, 2 threads) and 107.5 s (train_hpn, 1 thread), and
# together 175 s and 116 s (docs/REPORT.md, "The pipeline and its wall times").
hpn_steps() {
  # 32 epochs, the learning rate falling 4.5 % an epoch (about 60 minutes on one core, 70
  # beside the VAE): the shipped hpn.pt is its best valid epoch (models/demo/hpn.metrics.csv).
  # A step whose gradient is not finite is skipped (up to 8 an epoch, the skipped_steps
  # column; docs/INVERSION.md).
  # Half of the crops come from notes moved by up to a semitone (--pitch-shift), so that the
  # held-out pitches play at the recordings' level (docs/INVERSION.md, "Retrained").
  step train_hpn "$out/hpn/hpn.pt.done" train "$out/hpn/hpn.pt.done" \
    $bin/train_hpn --dataset "$out/dataset.h5" --out "$out/hpn/hpn.pt" \
    --epochs "${HPN_EPOCHS:-32}" --lr-decay 0.955 --pitch-shift 1 --valid-examples 64 --threads 1 --resume
  # Then the pitch estimate alone (the template's weights and the pitch scorer; the controls
  # network as above), 24 epochs against soft targets a quarter semitone wide, about 11
  # minutes on one core: the shipped hpn.pt (models/demo/hpn_pitch.metrics.csv;
  # docs/INVERSION.md, "The pitch scorer").
  # (The shipped hpn.pt's first step ran before the scorer existed; run now, that step trains
  # the scorer with the rest, which changes its course: docs/INVERSION.md, "The pitch scorer".)
  step train_hpn_pitch "$out/hpn_pitch/hpn.pt.done" train "$out/hpn_pitch/hpn.pt.done" \
    $bin/train_hpn --dataset "$out/dataset.h5" --init "$out/hpn/hpn.pt" --pitch-only \
    --out "$out/hpn_pitch/hpn.pt" --epochs 24 --lr-decay 0.9 --pitch-sigma 0.25 --pitch-shift 1 \
    --valid-examples 64 --threads 1 --resume
}
hpn_steps > "$out/hpn.log" 2>&1 &
hpn_pid=$!
echo "$tag: train_hpn and train_hpn_pitch run beside the VAE: their lines in $out/hpn.log"
# An interrupted or failed run stops the inverter's steps too (they resume next time): the
# tool the subshell runs, then the subshell.
trap 'pkill -P "$hpn_pid" 2>/dev/null || true; kill "$hpn_pid" 2>/dev/null || true' EXIT
# The learning rate and the KL weight depend on the epoch only, so a run resumed with more
# epochs is the run trained with that many from the start. Half of each batch's notes are
# moved by up to a semitone (--pitch-shift), so that the pitch axis is learned between the
# rendered semitones too (docs/VAE.md, "Pitch augmentation"). 48 epochs, about 90 minutes
# on 2 threads alone (an epoch takes 175 to 200 s while the inverter trains beside it): its
# best valid epoch, the last (models/demo/model.metrics.csv), is where the next step starts.
step train_vae "$out/vae/model.pt.done" train "$out/vae/model.pt.done" \
  $bin/train_vae --dataset "$out/dataset.h5" --out "$out/vae/model.pt" --latent 4 --pitch-axis \
  --loudness-axis --pitch-shift 1 --regularizer kl --warmup-epochs 3 --sc-weight 1 \
  --epochs "${VAE_EPOCHS:-48}" --seed 1 --threads 2 --resume
# Then 12 epochs more from its weights, the mels' SC weighed twice, at a learning rate
# falling from 3e-4 by a fifth an epoch (about 23 minutes): the shipped model.pt is their best
# valid epoch, the last (models/demo/model_decay.metrics.csv; docs/VAE.md, "A decaying
# learning rate").
step train_vae_decay "$out/vae_decay/model.pt.done" train "$out/vae_decay/model.pt.done" \
  $bin/train_vae --dataset "$out/dataset.h5" --init "$out/vae/model.pt" \
  --out "$out/vae_decay/model.pt" --latent 4 --pitch-axis --loudness-axis --pitch-shift 1 \
  --regularizer kl --warmup-epochs 0 --sc-weight 2 --epochs 12 --lr 3e-4 --lr-decay 0.8 \
  --seed 2 --threads 2 --resume
wait "$hpn_pid" || { echo "$tag: the inverter's steps failed: $out/hpn.log" >&2; exit 1; }
# The shipped generative.pt: the decoder, the hpn at the pitch axis's f0 (make_generative's
# default for a pitch-axis VAE), the loudness axis from the 0.05 quantile of the notes' levels
# (its default --loudness-floor-quantile), no waveform above full scale. (The 4 axes span the 4-D
# latent: no other directions to regress; --residual-bandwidth matters for larger latents.)
step make_generative "$out/generative.pt" $bin/make_generative \
  --model "$out/vae_decay/model.pt" --dataset "$out/dataset.h5" --inversion "$out/hpn_pitch/hpn.pt" \
  --residual-bandwidth 0.2 --peak-limit 1 --out "$out/generative.pt"
echo "$tag: all steps took $(( $(date +%s) - start )) s of wall time" | tee -a "$out/times.txt"
exit
}

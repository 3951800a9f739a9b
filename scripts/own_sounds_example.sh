#!/usr/bin/env bash
# Makes a folder of sounds the way a sample library looks, for trying scripts/train.sh:
# 294 FluidR3 notes (6 GM programs, every semitone 36..84, velocity 100) rendered with
# render_corpus and copied as plain files without JSON, in nested folders named by
# instrument, in mixed formats: 44.1 kHz stereo 24-bit WAV (Keys, Strings), 48 kHz stereo
# FLAC (Brass), 22.05 kHz mono WAV (the others). FluidR3 is a training SoundFont.
#
#   scripts/own_sounds_example.sh OUT_DIR
#   scripts/train.sh OUT_DIR --minutes 40       # the run in README.md, "Your own sounds"
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
out=$1
[ ! -e "$out" ] || { echo "own_sounds_example: $out exists (expected a new folder)" >&2; exit 2; }
cd "$(dirname "$0")/.."
bazel build //tools:render_corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bazel run //tools:render_corpus -- --soundfont /usr/share/sounds/sf2/FluidR3_GM.sf2 \
  --programs 0,12,24,48,61,73 --velocities 100 --out "$tmp/corpus"
mkdir -p "$out"
copy() {  # copy PROGRAM FOLDER SOX_OPTIONS... : the program's notes, numbered by pitch
  local program=$1 folder=$2
  shift 2
  mkdir -p "$out/$folder"
  local ext=wav
  case " $* " in *" -t flac "*) ext=flac ;; esac
  for f in "$tmp"/corpus/audio/*_"$(printf %03d "$program")"-*-100.wav; do
    local pitch=${f%-100.wav}
    pitch=${pitch##*-}
    sox -D "$f" "$@" "$out/$folder/note$pitch.$ext"  # -D: no dither, the same files every time
  done
}
copy 0 "Keys/Grand Piano" -r 44100 -c 2 -b 24
copy 48 "Strings/Ensemble" -r 44100 -c 2 -b 24
copy 61 "Brass/Section" -r 48000 -c 2 -t flac
copy 24 "Guitar/Nylon"
copy 12 "Mallets/Marimba"
copy 73 "Flute"
echo "own_sounds_example: $(find "$out" -type f | wc -l) files in $out"

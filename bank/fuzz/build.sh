#!/usr/bin/env bash
# Builds the bank reader's libFuzzer target with clang (ASan + UBSan).
# Usage, from the workspace root: bank/fuzz/build.sh [OUTPUT]   (default out/bank_reader_fuzz)
# Needs clang and libclang-rt-14-dev (scripts/setup.sh installs both).
set -euo pipefail
out="${1:-out/bank_reader_fuzz}"
mkdir -p "$(dirname "$out")"
srcs=(bank/fuzz/bank_reader_fuzz.cc bank/bank_reader.cc bank/bank_h5.cc common/h5_util.cc
      common/audio_settings.cc)
clang++ -std=c++17 -O1 -g -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I. -isystem /usr/include/hdf5/serial "${srcs[@]}" \
  -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5_cpp -lhdf5 -o "$out"

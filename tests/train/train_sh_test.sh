#!/usr/bin/env bash
# Runs scripts/train.sh end to end (see train_sh_test.py).
set -euo pipefail
ext_dir=$(dirname "$(readlink -f pd/wae-sampler~.pd_linux)")
PYTHONPATH=tests/pd:tests /usr/bin/python3 tests/train/train_sh_test.py "$ext_dir" scripts/train.sh \
  tools/dataset/make_dataset tools/vae/train_vae tools/hpn/train_hpn \
  tools/generative/make_generative tools/bank/bake_bank tools/bank/check_bank

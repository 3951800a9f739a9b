#!/usr/bin/env bash
# Installs every Debian package wae-sampler needs. Idempotent: does nothing when all is there.
# Usage: scripts/setup.sh        (as root, or with sudo available)
set -euo pipefail

packages=(
  # build (clang and libclang-rt-14-dev: libFuzzer and the sanitizers for bank/fuzz)
  bazel-bootstrap g++ clang libclang-rt-14-dev
  # libraries
  # (zlib1g-dev, libaec-dev: the static zlib and szip the Pd external links with HDF5's)
  libtorch-dev libhdf5-dev zlib1g-dev libaec-dev libsndfile1-dev libsamplerate0-dev libaubio-dev libfluidsynth-dev
  nlohmann-json3-dev libcli11-dev libeigen3-dev
  # OpenBLAS for libblas.so.3, which Debian's LibTorch and NumPy call for matrix products and
  # for the convolutions oneDNN does not take (small batches): the reference BLAS that
  # libblas3 alone provides made generative.pt 3.9x slower (docs/INVERSION.md)
  libopenblas0-openmp
  libgtest-dev libbenchmark-dev
  # Pure Data
  puredata-core puredata-dev puredata-gui pd-deken
  # only for the optional GEM view (patches/wae-gem.pd) and its test; the axis labels' font
  gem fonts-dejavu-core
  # data and Python interop
  fluid-soundfont-gm opl3-soundfont csound-soundfont python3-torch python3-h5py python3-numpy python3-soundfile
  # reports, screenshots, listening
  gnuplot-nox sox xvfb x11-apps imagemagick
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"

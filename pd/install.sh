#!/usr/bin/env bash
# bazel run //pd:install -- DIR
# Lays the external, the libsamplerate.so.0 it loads from beside itself, its help patch, the
# example bank, a README and the libraries' licences into DIR/wae-sampler, a folder Pd can be
# pointed at (-path DIR/wae-sampler, or Preferences > Path).
set -euo pipefail
dest="${1:?usage: bazel run //pd:install -- DIR}"
case "$dest" in /*) ;; *) dest="${BUILD_WORKING_DIRECTORY:-$PWD}/$dest" ;; esac
here=$(dirname "$(readlink -f "$0")")
[ -e "$here/wae-sampler~.pd_linux" ] || here="${RUNFILES_DIR:-$0.runfiles}/wae_sampler/pd"
pkg="$dest/wae-sampler"
mkdir -p "$pkg"
install -m 0755 "$here/wae-sampler~.pd_linux" "$here/wae-sampler-live.so" "$pkg/"
install -m 0644 "$here/libsamplerate.so.0" "$here/wae-sampler~-help.pd" "$here/wae-sampler~-example.h5" \
  "$here/README.txt" "$here/LICENSES-third-party.txt" "$pkg/"
echo "install: wae-sampler~ is in $pkg"
echo "install: run Pd with -path $pkg (or add it in Preferences > Path) and open wae-sampler~-help.pd"

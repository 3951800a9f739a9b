#!/usr/bin/env bash
# bazel run //pd:deken -- OUTDIR
# Makes the deken package Pd's package manager installs (Help > Find externals, or by
# opening the file): wae-sampler[v<VERSION>](Linux-amd64-32).dek, a zip of the folder
# wae-sampler/ that //pd:install lays out, with its SHA-256 beside it. Deken's own upload
# tool needs PyPI, which these machines cannot reach, so the archive is made here following
# deken's naming: <library>[v<version>](<os>-<cpu>-<float bits>).dek.
set -euo pipefail
out="${1:?usage: bazel run //pd:deken -- OUTDIR}"
case "$out" in /*) ;; *) out="${BUILD_WORKING_DIRECTORY:-$PWD}/$out" ;; esac
# The package's files are in the runfiles (bazel run and bazel test); install.sh finds them
# through RUNFILES_DIR.
export RUNFILES_DIR="${RUNFILES_DIR:-$0.runfiles}"
here="$RUNFILES_DIR/wae_sampler/pd"
version=$(cat "$here/VERSION")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
"$here/install.sh" "$stage" >/dev/null
mkdir -p "$out"
dek="$out/wae-sampler[v$version](Linux-amd64-32).dek"
/usr/bin/python3 - "$stage" "$dek" <<'PY'
import os, sys, zipfile
stage, dek = sys.argv[1:3]
partial = dek + ".partial"
with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in sorted(os.walk(stage)):
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(os.path.relpath(path, stage), date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (os.stat(path).st_mode & 0o777) << 16
            with open(path, "rb") as f:
                z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
os.replace(partial, dek)
PY
(cd "$out" && sha256sum "$(basename "$dek")" > "$(basename "$dek").sha256")
echo "deken: $dek"

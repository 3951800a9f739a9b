#!/bin/sh
# Runs the NumPy cross-check with Debian's Python (the one that has NumPy).
set -eu
exec /usr/bin/python3 "$2" "$1"

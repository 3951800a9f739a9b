#!/usr/bin/env bash
# The deken archive travels: it unpacks into a folder whose external needs nothing outside
# it but the C and C++ runtime (ldd), exports only Pd's setup function, and from which Pd,
# with only that folder on its path, loads the external, opens the help patch without an
# error, and plays the example bank (non-silent output recorded in Pd).
set -euo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}/package"
rm -rf "$tmp"; mkdir -p "$tmp"
pd/deken "$tmp/dist"
dek=$(ls "$tmp"/dist/*.dek)
case "$(basename "$dek")" in "wae-sampler[v"*"](Linux-amd64-32).dek") ;; *) echo "FAIL: name $dek"; exit 1 ;; esac
(cd "$tmp/dist" && sha256sum -c ./*.sha256)
/usr/bin/python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$dek" "$tmp/pd"
pkg="$tmp/pd/wae-sampler"
chmod +x "$pkg/wae-sampler~.pd_linux"
for f in wae-sampler~.pd_linux wae-sampler~-help.pd wae-sampler~-example.h5 README.txt; do
  [ -s "$pkg/$f" ] || { echo "FAIL: $f missing from the package"; exit 1; }
done

# Every library the unpacked external loads is the C or C++ runtime or lies in the package.
libs=$(ldd "$pkg/wae-sampler~.pd_linux")
echo "$libs"
outside=$(echo "$libs" | while read -r name arrow path _; do
  case "$name" in linux-vdso.so.*|libc.so.6|libm.so.6|libstdc++.so.6|libgcc_s.so.1|/lib64/ld-linux-x86-64.so.2) continue ;; esac
  [ "$arrow" = "=>" ] && case "$path" in "$pkg"/*) continue ;; esac
  echo "$name $arrow $path"
done)
[ -z "$outside" ] || { echo "FAIL: the external needs libraries outside the package:"; echo "$outside"; exit 1; }
# Pd finds the class by its setup function; nothing else (HDF5, the engine) is exported, so
# the static copies inside cannot clash with another external's.
exported=$(nm -D --defined-only "$pkg/wae-sampler~.pd_linux" | awk '{print $3}')
[ "$exported" = "setup_wae0x2dsampler_tilde" ] || { echo "FAIL: exports other symbols:"; echo "$exported" | head; exit 1; }

# On `loaded`: a voice at the grid's centre, recorded for 0.5 s into an array; its peak is
# printed, then Pd quits (also on `failed`).
cat > "$tmp/play.pd" <<'PD'
#N canvas 0 0 400 300 12;
#X obj 10 10 wae-sampler~ wae-sampler~-example.h5;
#X obj 10 40 route loaded failed;
#X obj 10 70 t b b b;
#X msg 200 70 0 0 0 0;
#X obj 10 200 tabwrite~ rec;
#X obj 200 200 table rec 22050;
#X obj 10 100 delay 500;
#X obj 10 130 t b b;
#X obj 100 160 array max rec;
#X obj 100 190 print peak;
#X msg 10 250 \; pd quit;
#X obj 200 10 loadbang;
#X msg 200 40 \; pd dsp 1;
#X connect 0 0 4 0;
#X connect 0 1 1 0;
#X connect 1 0 2 0;
#X connect 1 1 10 0;
#X connect 2 2 3 0;
#X connect 2 1 4 0;
#X connect 2 0 6 0;
#X connect 3 0 0 0;
#X connect 6 0 7 0;
#X connect 7 1 8 0;
#X connect 7 0 10 0;
#X connect 8 0 9 0;
#X connect 11 0 12 0;
PD
# Only the unpacked folder on Pd's path (-nostdpath: not even Pd's own externals folders).
console=$(timeout 240 pd -nogui -nosound -batch -nrt -noprefs -nostdpath -stderr -r 44100 -path "$pkg" \
  -open "$pkg/wae-sampler~-help.pd" -open "$tmp/play.pd" 2>&1)
echo "$console"
if echo "$console" | grep -E "^error:|couldn't create|connection failed"; then echo "FAIL: errors above"; exit 1; fi
echo "$console" | grep -q "wae-sampler~: loaded .*wae-sampler~-example.h5 (grid 3x3x3x3" || { echo "FAIL: example bank not loaded"; exit 1; }
# Pd runs at 44100 Hz: the 22050 Hz bank went through the package's libsamplerate.so.0.
echo "$console" | grep -q "wae-sampler~: loaded .*(resampled from 22050 Hz)" || { echo "FAIL: example bank not resampled"; exit 1; }
peak=$(echo "$console" | sed -n 's/^peak: \([0-9.e+-]*\).*/\1/p' | head -1)
[ -n "$peak" ] || { echo "FAIL: nothing recorded"; exit 1; }
/usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.01 else 1)" "$peak" \
  || { echo "FAIL: the example bank played silence (peak $peak)"; exit 1; }
echo "PASS (peak $peak)"

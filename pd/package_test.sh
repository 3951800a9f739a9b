#!/usr/bin/env bash
# The deken archive unpacks into a folder from which Pd loads the external, opens the help
# patch without an error, and plays the example bank.
set -euo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}/package"
rm -rf "$tmp"; mkdir -p "$tmp"
pd/deken "$tmp/dist"
dek=$(ls "$tmp"/dist/*.dek)
case "$(basename "$dek")" in "wae-sampler[v"*"](Linux-amd64-32).dek") ;; *) echo "FAIL: name $dek"; exit 1 ;; esac
(cd "$tmp/dist" && sha256sum -c ./*.sha256)
/usr/bin/python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$dek" "$tmp/pd"
chmod +x "$tmp/pd/wae-sampler/wae-sampler~.pd_linux"
for f in wae-sampler~.pd_linux wae-sampler~-help.pd wae-sampler~-example.h5 README.txt; do
  [ -s "$tmp/pd/wae-sampler/$f" ] || { echo "FAIL: $f missing from the package"; exit 1; }
done
cat > "$tmp/play.pd" <<'PD'
#N canvas 0 0 400 300 12;
#X obj 10 10 wae-sampler~ wae-sampler~-example.h5;
#X obj 10 40 route loaded failed;
#X msg 10 70 \; pd quit;
#X obj 10 100 print result;
#X connect 0 1 1 0;
#X connect 1 0 3 0;
#X connect 1 0 2 0;
#X connect 1 1 3 0;
#X connect 1 1 2 0;
PD
console=$(timeout 60 pd -nogui -nosound -batch -nrt -noprefs -stderr -path "$tmp/pd/wae-sampler" \
  -open "$tmp/pd/wae-sampler/wae-sampler~-help.pd" -open "$tmp/play.pd" 2>&1)
echo "$console"
if echo "$console" | grep -E "^error:|couldn't create|connection failed"; then echo "FAIL: errors above"; exit 1; fi
echo "$console" | grep -q "wae-sampler~: loaded .*wae-sampler~-example.h5 (grid 3x3x3x3" || { echo "FAIL: example bank not loaded"; exit 1; }
echo PASS

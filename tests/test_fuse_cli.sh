#!/usr/bin/env bash
# test_fuse_cli.sh — pins gatecv-fuse: on an observation log (written here by hand, in the
# format gatecvd --observations writes) it prints the crossing the fusion decides and writes
# it to OUT/events.jsonl; a malformed line is reported with its number and skipped (exit 1);
# missing options exit 2.
set -u
fuse=$1
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
touch "$dir/side.mkv" # the configuration checks that recordings exist; gatecv-fuse never opens them
cat > "$dir/lane.conf" <<CONF
[gate]
name=test-gate
lane=lane-1
positive_direction=VN_TO_CN
[camera side]
role=side-left
uri=file://$dir/side.mkv
tripwire=640,720,640,0
CONF
# a 200-wide box sliding left to right over x = 640 in 4 s, a plate read in 5 frames
for k in $(seq 0 100); do
    t=$(awk -v k=$k 'BEGIN { printf "%.3f", k * 0.04 }')
    x=$((100 + 10 * k))
    if [ $k -ge 40 ] && [ $k -lt 45 ]; then
        printf '0\t%s\t1\t%d\t310\t200\t100\t0\t1\tplate\t1\t0.95\tVN\tone_line\t51F44614\t51F-446.14\t-\t%d\t340\t60\t20\n' "$t" $x $((x + 70))
    else
        printf '0\t%s\t1\t%d\t310\t200\t100\t0\t0\n' "$t" $x
    fi
done > "$dir/obs.tsv"
printf 'done\t0\t4.100\n' >> "$dir/obs.tsv"

out=$("$fuse" --config "$dir/lane.conf" --observations "$dir/obs.tsv" --out "$dir/out" 2>&1); rc=$?
[ $rc -eq 0 ]; check "a clean log exits 0" $? "rc=$rc $out"
echo "$out" | grep -q "crossing 1: unknown VN_TO_CN .*: verified"; check "the crossing is printed" $? "$out"
echo "$out" | grep -q "plate      51F44614 .* 5 frames"; check "with its voted plate" $? "$out"
echo "$out" | grep -q "crossing 1: .*, decided at 4.10 s)"; check "decided when the camera ended" $? "$out"
grep -q '"text":"51F44614"' "$dir/out/events.jsonl"; check "and written to events.jsonl" $? "$(cat "$dir/out/events.jsonl")"

sed -i '3s/.*/0\t0.080\tone\t0\t0/' "$dir/obs.tsv"
out=$("$fuse" --config "$dir/lane.conf" --observations "$dir/obs.tsv" --out "$dir/out2" 2>&1); rc=$?
[ $rc -eq 1 ]; check "a malformed line exits 1" $? "rc=$rc"
echo "$out" | grep -q "obs.tsv:3: "; check "and names the line" $? "$out"
echo "$out" | grep -q "crossing 1:"; check "the other lines are still fused" $? "$out"

out=$("$fuse" --config "$dir/lane.conf" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "observations"; check "missing --observations exits 2" $? "rc=$rc $out"
out=$("$fuse" --config "$dir/lane.conf" --observations "$dir/none.tsv" --out "$dir/out3" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "cannot read"; check "an unreadable log exits 2" $? "rc=$rc $out"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

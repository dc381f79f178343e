#!/usr/bin/env bash
# test_fuse_cli.sh — pins gatecv-fuse: on an observation log (written here by hand, in the
# format gatecvd --observations writes) it prints the crossing the fusion decides and writes
# it to OUT/events.jsonl; a malformed line is reported with its number and skipped (exit 1);
# missing options exit 2. On a two-camera lane where the side camera passes a truck before the
# front camera has, it prints and writes a provisional revision, then the final one of the same
# event_id ([fusion] provisional is on by default; off, only the final). --triggers adds a
# presence sensor's reports; a bad line of it exits 2 naming it.
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
# side camera (0) and front camera (1): the front is quiet until the side camera has passed a
# truck reading its code in 8 frames, then passes it reading its plate in 5
touch "$dir/front.mkv"
cat > "$dir/two.conf" <<CONF
[gate]
name=test-gate
lane=lane-1
positive_direction=VN_TO_CN
[camera side]
role=side-left
uri=file://$dir/side.mkv
tripwire=640,720,640,0
[camera front]
role=front
uri=file://$dir/front.mkv
tripwire=640,720,640,0
CONF
box() { # box CAMERA T0 T1 X0 X1 KIND TEXT DISPLAY R0 R1 (a box sliding over x = 640, read in [R0, R1))
    awk -v c=$1 -v t0=$2 -v t1=$3 -v x0=$4 -v x1=$5 -v kind=$6 -v text=$7 -v disp=$8 -v r0=$9 -v r1=${10} 'BEGIN {
        for (t = t0; t <= t1 + 1e-9; t += 0.04) {
            x = x0 + (x1 - x0) * (t - t0) / (t1 - t0) - 100
            if (t >= r0 && t < r1)
                printf "%d\t%.3f\t1\t%d\t310\t200\t100\t0\t1\t%s\t1\t0.9\t%s\tone_line\t%s\t%s\t-\t%d\t310\t200\t100\n", c, t, x, kind, kind == "plate" ? "VN" : "-", text, disp, x
            else
                printf "%d\t%.3f\t1\t%d\t310\t200\t100\t0\t0\n", c, t, x
        }
        for (q = t1 + 0.04; q <= t1 + 0.84 + 1e-9; q += 0.04) printf "%d\t%.3f\t0\t0\t0\t0\t0\t0\t0\n", c, q
    }'
}
{
    awk 'BEGIN { for (t = 0; t <= 1.0 + 1e-9; t += 0.04) printf "1\t%.3f\t0\t0\t0\t0\t0\t0\t0\n", t }'
    box 0 1.5 5.0 100 1200 container MSKU1234565 MSKU1234565 3.0 3.3
    box 1 1.04 4.0 200 1000 plate 51F44614 51F-446.14 1.5 1.7
    printf 'done\t0\t6.000\ndone\t1\t6.000\n'
} > "$dir/two.tsv"
out=$("$fuse" --config "$dir/two.conf" --observations "$dir/two.tsv" --out "$dir/two" 2>&1); rc=$?
[ $rc -eq 0 ]; check "a two-camera log exits 0" $? "rc=$rc $out"
echo "$out" | grep -q "^crossing 1: .*vehicle 1 provisional revision 1: needs_review (.*camera_saw_no_passage:front"
check "a provisional revision first, not verified while the front camera has not passed" $? "$out"
echo "$out" | grep "^crossing" | tail -n 1 | grep -q "vehicle 1 final revision [2-9]: verified"
check "then the final revision of the same vehicle" $? "$out"
/usr/bin/python3 - "$dir/two/events.jsonl" <<'PY'; check "one event_id, revisions in order, the last final, texts only added" $? "$(cat "$dir/two/events.jsonl")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
texts = lambda e: {p["text"] for p in e["vehicle"]["plates"]} | {c["code"] for c in e["containers"]}
ok = len(ev) >= 2 and len({e["event_id"] for e in ev}) == 1
ok = ok and [e["revision"] for e in ev] == list(range(1, len(ev) + 1))
ok = ok and [e["final"] for e in ev] == [False] * (len(ev) - 1) + [True]
ok = ok and all(texts(a) <= texts(b) for a, b in zip(ev, ev[1:]))
sys.exit(0 if ok else 1)
PY
printf '[fusion]\nprovisional=false\n' >> "$dir/two.conf"
out=$("$fuse" --config "$dir/two.conf" --observations "$dir/two.tsv" --out "$dir/two-off" 2>&1)
[ "$(echo "$out" | grep -c "^crossing")" = 1 ] && echo "$out" | grep -q "vehicle 1 final revision 1: verified"
check "without provisional revisions, the final alone, revision 1" $? "$out"

# --triggers: a presence sensor that felt the truck on the line and another vehicle at 10-11 s,
# which no camera passed: the truck as before, and that vehicle a crossing of its own, for review
sed -i '3d' "$dir/obs.tsv" # the malformed line of above
printf 'trigger\t1.300\tpresent\ntrigger\t3.500\tgone\ntrigger\t10.000\tpresent\ntrigger\t11.000\tgone\n' \
    > "$dir/triggers.tsv"
out=$("$fuse" --config "$dir/lane.conf" --observations "$dir/obs.tsv" --triggers "$dir/triggers.tsv" \
    --out "$dir/trig" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "crossing 1: unknown VN_TO_CN at 1.36 s .*: verified" &&
    echo "$out" | grep -q "crossing 2: unknown VN_TO_CN at 10.00 s .*final revision 1: needs_review"
check "--triggers: the vehicle only the sensor felt is a crossing of its own" $? "rc=$rc $out"
printf 'trigger\t12.000\toccupied\n' >> "$dir/triggers.tsv"
out=$("$fuse" --config "$dir/lane.conf" --observations "$dir/obs.tsv" --triggers "$dir/triggers.tsv" \
    --out "$dir/trig2" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-triggers: .*triggers.tsv:5: trigger line: expected a time and present or gone"
check "a bad --triggers line exits 2 naming it" $? "rc=$rc $out"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

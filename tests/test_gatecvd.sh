#!/usr/bin/env bash
# test_gatecvd.sh — pins how the daemon treats bad input: a config error stops start-up
# with file, line and key named and exit 2; a camera whose recording is garbage, or
# truncated, is reported and ends while the other camera goes on to its end; the daemon
# then exits 0 with its output folder written. A replay's observations reach the fusion in
# stream-time order, each camera's decoder on the one thread [decoding] gives it.
set -u
daemon=$1
. "$(dirname "$0")/harness.sh" # check, $dir, lane_video, two_camera_lane
lane_video
head -c 6000 "$dir/good.mkv" > "$dir/truncated.mkv"
echo "not a video" > "$dir/garbage.mkv"

conf() { # conf FILE URI_OF_SECOND_CAMERA [extra line]
    two_camera_lane "$1" "uri=$2" "tripwire=0,90,320,90" "${3:-}"
}

conf "$dir/bad-roi.conf" "file://$dir/good.mkv" "roi=1,2,three,4"
out=$("$daemon" --config "$dir/bad-roi.conf" --out "$dir/out0" 2>&1); rc=$?
[ $rc -eq 2 ]; check "a config error exits 2" $? "rc=$rc"
echo "$out" | grep -q "bad-roi.conf:15: \[camera bad\] roi: expected x,y,w,h"; check "file, line, group and key named" $? "$out"

conf "$dir/bad-uri.conf" "ftp://camera/stream"
out=$("$daemon" --config "$dir/bad-uri.conf" --out "$dir/out1" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\[camera bad\] uri: unsupported scheme"
check "an unsupported camera URI is a config error" $? "rc=$rc $out"

for kind in garbage truncated; do
    conf "$dir/$kind.conf" "file://$dir/$kind.mkv"
    out=$(timeout 120 "$daemon" --config "$dir/$kind.conf" --out "$dir/out-$kind" 2>&1); rc=$?
    [ $rc -eq 0 ]; check "$kind recording: exit 0" $? "rc=$rc $out"
    echo "$out" | grep -q "camera good: end of stream at 1.96 s"
    check "$kind recording: the other camera reaches its end" $? "$out"
    [ -f "$dir/out-$kind/events.jsonl" ]; check "$kind recording: events.jsonl written" $? "$(ls "$dir/out-$kind")"
done
echo "$out" | grep -Eq "camera bad: (end of stream|recording unusable)"; check "truncated recording ends that camera" $? "$out"

# A replay hands the fusion the cameras' observations in stream-time order (camera by
# camera at equal times), whatever pace each camera's thread ran at: the log shows it.
conf "$dir/two.conf" "file://$dir/good.mkv"
out=$(G_MESSAGES_DEBUG=gatecvd timeout 120 "$daemon" --config "$dir/two.conf" --out "$dir/out-two" \
    --observations "$dir/two.tsv" 2>&1); rc=$?
[ $rc -eq 0 ]; check "two cameras: exit 0" $? "rc=$rc $out"
n=$(echo "$out" | grep -Ec "camera (good|bad): decoder [a-z0-9_-]+, max-threads=1$")
[ "$n" = 2 ]; check "each camera's decoder decodes on one thread ([decoding] threads default)" $? "$n: $out"
order=$(awk -F'\t' '$1 == "done" { cam = $2; t = $3 } $1 != "done" { cam = $1; t = $2 }
    { n[cam]++; if (NR > 1 && (t + 0 < last_t || (t + 0 == last_t && cam + 0 < last_cam))) bad++
      last_t = t + 0; last_cam = cam + 0 }
    END { printf "%d %d %d", n[0], n[1], bad }' "$dir/two.tsv")
[ "$order" = "51 51 0" ]; check "two cameras: both observed in time order (50 frames and an end each)" $? "$order"

[ ! -e "$dir/out-two/clock.json" ]; check "as fast as possible: no clock.json" $? "$(ls "$dir/out-two")"

# At the recording's rate the daemon says when (monotonic, as Python's time.monotonic) its
# cameras played stream time 0: after it was started, and the 2 s recording's length before
# it ended. gatecv-eval counts the event lags from there.
mono() { python3 -c 'import time; print(int(time.monotonic() * 1e6))'; }
before=$(mono)
out=$(timeout 120 "$daemon" --config "$dir/two.conf" --out "$dir/out-rt" --realtime 2>&1); rc=$?
after=$(mono)
zero=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["stream_zero_monotonic_us"])' \
    "$dir/out-rt/clock.json" 2>&1)
[ $rc -eq 0 ] && [ "$zero" -gt "$before" ] 2>/dev/null && [ $((after - zero)) -ge 1900000 ]
check "--realtime: clock.json's stream start lies after the start, the recording's length before the end" \
    $? "rc=$rc before=$before zero=$zero after=$after $out"

out=$("$daemon" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-config FILE is required"; check "no --config exits 2" $? "rc=$rc $out"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

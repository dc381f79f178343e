#!/usr/bin/env bash
# test_cameras.sh — pins how gatecvd lives with network cameras that drop and come back, with
# real processes on loopback: a generated lane (two cameras, two trucks) served live by
# rtsp_serve, a real gatecvd, and a real gatecv-sub on its bus.
#   1. A camera URI that cannot work is named at start (exit 2): an unknown scheme, a v4l2
#      device that is not there or is no device.
#   2. RTSP, H.264 over TCP (rtspt://): side-left's server goes away during the second truck
#      and comes back. The health topic says at once (not at the end of its interval)
#      side-left down (with why, and the alarm camera_down:side-left), then up again
#      (reconnects 1), front up all along; /metrics' gatecv_camera_up and
#      gatecv_camera_reconnects_total say the same; the log shows the retries with the
#      backoff doubling; the second truck's event, from front alone, is published while
#      side-left is still down, and names it (camera_down:side-left). The cameras share one time base:
#      they start within a second of each other, and side-left's times after the reconnect
#      go on from where they were (a gap as long as the outage, never back to 0). The
#      --observations log holds the outage, and gatecv-fuse on it names side-left too.
#   3. H.265 over UDP (rtspu://) and MJPEG over HTTP both deliver frames; the HTTP camera goes
#      away and comes back the same way; the RTSP server gone silent (stopped, its connection
#      open) is found by the no-frame watchdog and reconnected once it sends again.
#
#   test_cameras.sh GATECVD GATECV_SUB GATECV_SCENEGEN RTSP_SERVE GATECV_FUSE
set -u
daemon=$1; sub=$2; scenegen=$3; serve=$4; fuse=$5
py=/usr/bin/python3
. "$(dirname "$0")/harness.sh" # check, $dir, pids, wait_for

read -r p_front p_side p_pub p_req p_metrics p_front2 p_side2 p_pub2 p_req2 < <($py -c '
import socket
held = [socket.socket() for _ in range(9)]
for s in held: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in held])')

out=$("$scenegen" --out "$dir/lane" --seed 7 --vehicles 2 --size 640x360 --conditions day \
    --cameras front,side-left 2>&1)
check "the lane is generated" $? "$out"

# conf NAME FRONT_URI SIDE_URI PUB REQ [extra]: the generated lane with network cameras and a bus.
conf() {
    sed -e "s|^uri=file://.*/front.mkv|uri=$2|" -e "s|^uri=file://.*/side-left.mkv|uri=$3|" \
        "$dir/lane/lane.conf" > "$dir/$1.conf"
    # one reader thread: the other core keeps the cameras' decoding and motion in real time
    # (reads are not what is tested here; an ASan build reads slowly)
    printf '[readers]\nthreads=1\n[bus]\npublish=tcp://127.0.0.1:%s\nrequest=tcp://127.0.0.1:%s\ninsecure=true\nhealth_interval=%s\n%b' \
        "$4" "$5" "${health_interval:-1}" "${6:-}" >> "$dir/$1.conf"
}

# --- 1. a camera that cannot work is named at start ------------------------------------------
for uri in "v4l2:///dev/video-gatecv-none|no such device: /dev/video-gatecv-none" \
           "v4l2:///dev/shm|not a video device" "rtmp://127.0.0.1:1935/live|unsupported scheme"; do
    conf bad "rtspt://127.0.0.1:$p_front/cam" "${uri%%|*}" "$p_pub" "$p_req"
    msg=$("$daemon" --config "$dir/bad.conf" --out "$dir/out-bad" 2>&1); rc=$?
    [ $rc -eq 2 ] && echo "$msg" | grep -q "\[camera side-left\] uri: ${uri#*|}"
    check "start refused naming the camera: ${uri%%|*}" $? "rc=$rc $msg"
done

# --- 2. RTSP H.264 over TCP, side-left cut during the second truck --------------------------
# Each server plays its recording from its first client on; side-left's goes away 10.5 s in
# (the first truck has left both views, the second is coming) for 10 s: the daemon's retries
# after 1, 2 and 4 s find it gone, the one after 8 more finds it back.
"$serve" --file "$dir/lane/front.mkv" --port "$p_front" > "$dir/serve-front.txt" 2>&1 &
pids+=("$!")
"$serve" --file "$dir/lane/side-left.mkv" --port "$p_side" --cut 10.5:10 > "$dir/serve-side.txt" 2>&1 &
pids+=("$!")
wait_for 10 grep -q serving "$dir/serve-front.txt" && wait_for 10 grep -q serving "$dir/serve-side.txt"
check "the RTSP servers run" $? "$(cat "$dir"/serve-*.txt)"
# health every 60 s: the messages that say side-left went down and came up are the ones sent
# when it did
health_interval=60 conf tcp "rtspt://127.0.0.1:$p_front/cam" "rtspt://127.0.0.1:$p_side/cam" "$p_pub" "$p_req" \
    "[metrics]\nlisten=127.0.0.1:$p_metrics\n"
"$sub" --connect "tcp://127.0.0.1:$p_pub" --json --health > "$dir/bus.txt" 2>&1 &
pids+=("$!")
"$daemon" --config "$dir/tcp.conf" --out "$dir/out-tcp" --observations "$dir/tcp.tsv" \
    --print summary > "$dir/tcp.log" 2>&1 &
daemon_pid=$!; pids+=("$daemon_pid")

# health_says CAMERA FIELD VALUE: the latest health message says so of the camera (FIELD
# alarm: VALUE is among the alarms).
health_says() {
    $py - "$dir/bus.txt" "$@" <<'PY'
import json, sys
last = None
for line in open(sys.argv[1]):
    kind, _, doc = line.partition("\t")
    if kind == "health":
        last = json.loads(doc)
if sys.argv[3] == "alarm":
    sys.exit(0 if sys.argv[4] in last["alarms"] else 1)
cam = next(c for c in last["cameras"] if c["name"] == sys.argv[2])
sys.exit(0 if str(cam[sys.argv[3]]).lower() == sys.argv[4] else 1)
PY
}
camera_up_metric() { # camera_up_metric CAMERA: gatecv_camera_up of the camera, as /metrics says
    curl -s "http://127.0.0.1:$p_metrics/metrics" | sed -n "s/^gatecv_camera_up{camera=\"$1\",.*} //p"
}
wait_for 60 health_says side-left alarm camera_down:side-left && health_says side-left state down
check "health: side-left down after the cut, with the alarm" $? "$(tail -c 2000 "$dir/bus.txt"; cat "$dir/tcp.log")"
m_side=$(camera_up_metric side-left); m_front=$(camera_up_metric front)
[ "$m_side" = 0 ] && [ "$m_front" = 1 ]
check "/metrics while side-left is down: side-left 0, front 1" $? "side-left=$m_side front=$m_front"
wait_for 60 health_says side-left reconnects 1
check "health: side-left up again, one reconnect" $? "$(tail -c 2000 "$dir/bus.txt"; cat "$dir/tcp.log")"
wait_for 10 health_says side-left state up
m_side=$(camera_up_metric side-left)
m_reconnects=$(curl -s "http://127.0.0.1:$p_metrics/metrics" |
    sed -n 's/^gatecv_camera_reconnects_total{camera="side-left"} //p')
[ "$m_side" = 1 ] && [ "$m_reconnects" = 1 ]
check "/metrics after the reconnect: side-left up, reconnected once" $? "side-left=$m_side reconnects=$m_reconnects"
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?
[ $rc -eq 0 ]; check "gatecvd stops cleanly on SIGTERM" $? "rc=$rc $(tail -5 "$dir/tcp.log")"
sleep 0.5 # the subscriber prints what the box sent last

verdict=$($py - "$dir/bus.txt" <<'PY'
import json, sys
seen, down, up, events = [], False, False, []
for line in open(sys.argv[1]):
    kind, _, doc = line.partition("\t")
    d = json.loads(doc)
    if kind == "health":
        cams = {c["name"]: c for c in d["cameras"]}
        side = cams["side-left"]
        if side["state"] == "down" and seen:  # after it had been up
            if not down:
                if not side["error"] or "camera_down:side-left" not in d["alarms"]:
                    print("down without error or alarm:", doc.strip()); sys.exit(1)
                if cams["front"]["state"] != "up":
                    print("front not up while side-left down:", doc.strip()); sys.exit(1)
            down = True
        if side["state"] == "up":
            seen.append(1)
            if down:
                up = True
    elif kind == "crossing":
        reasons = d["verification"]["reasons"]
        named = "camera_down:side-left" in reasons
        # only front is up: a final event then is front's (its plate read or not, the CPU
        # being shared, the crossing goes out)
        if named and d["final"] and down and not up:
            events.append(d["seq"])
print("down" if down else "-", "up" if up else "-", "published-while-down" if events else "-")
PY
)
[ "$verdict" = "down up published-while-down" ]
check "bus: side-left down then up; the truck front passed meanwhile, published while side-left was down, names it" \
    $? "$verdict; events: $($py -c '
import json, sys
for line in open(sys.argv[1]):
    kind, _, doc = line.partition("\t")
    if kind == "crossing":
        d = json.loads(doc)
        print(d["seq"], d["final"], d["ts_enter"], d["ts_exit"], d["verification"]["reasons"])
' "$dir/bus.txt"); log: $(grep -E 'side-left: (down|up)' "$dir/tcp.log")"
grep -q "camera side-left: down from .*: end of stream" "$dir/tcp.log"
check "log: the drop (the server closed: end of stream) as a warning" $? "$(grep side-left "$dir/tcp.log")"
grep -q "retrying in 1 s" "$dir/tcp.log" && grep -q "retrying in 2 s" "$dir/tcp.log" &&
    grep -q "retrying in 4 s" "$dir/tcp.log" && grep -q "camera side-left: up again at .*, reconnected after" "$dir/tcp.log"
check "log: retried with the backoff doubling, then reconnected" $? "$(grep side-left "$dir/tcp.log")"
times=$(awk -F'\t' '$1 ~ /^[0-9]+$/ { cam = $1; t = $2 + 0
        if (cam in last && t < last[cam]) back++
        if (cam in last && t - last[cam] > gap[cam]) gap[cam] = t - last[cam]
        if (!(cam in first)) first[cam] = t
        last[cam] = t }
    END { d = first[0] - first[1]; if (d < 0) d = -d
          printf "%d %d %d", back + 0, (d < 1), (gap[1] >= 5) }' "$dir/tcp.tsv")
[ "$times" = "0 1 1" ]
check "one time base: never back in time, the cameras start together, the outage a gap (back/together/gap)" \
    $? "$times"

# gatecv-fuse on the observations the daemon logged: the outage is in the log ("down", "up"),
# and the fusion run again names side-left where the daemon did.
grep -qP "^down\t1\t" "$dir/tcp.tsv" && grep -qP "^up\t1\t" "$dir/tcp.tsv"
check "the observation log has side-left's down and up" $? "$(grep -v '^[0-9]' "$dir/tcp.tsv")"
"$fuse" --config "$dir/tcp.conf" --observations "$dir/tcp.tsv" --out "$dir/fuse-tcp" > /dev/null 2>&1
daemon_named=$(grep -c 'camera_down:side-left' "$dir/out-tcp/events.jsonl")
fuse_named=$(grep -c 'camera_down:side-left' "$dir/fuse-tcp/events.jsonl")
[ "$daemon_named" -gt 0 ] && [ "$fuse_named" -gt 0 ]
check "gatecv-fuse on the log names side-left too" $? "daemon $daemon_named fuse $fuse_named"

# --- 3. H.265 over UDP that goes silent, and MJPEG over HTTP that goes away -----------------
# The H.265 server is stopped (SIGSTOP: its connection stays open, nothing comes) until the
# daemon's watchdog gives up on it, then let go on; the MJPEG server goes away 4 s in for 2 s.
"$serve" --file "$dir/lane/front.mkv" --port "$p_front2" --codec h265 > "$dir/serve-h265.txt" 2>&1 &
h265_pid=$!; pids+=("$h265_pid")
"$serve" --file "$dir/lane/side-left.mkv" --port "$p_side2" --codec mjpeg --cut 4:2 > "$dir/serve-mjpeg.txt" 2>&1 &
pids+=("$!")
wait_for 10 grep -q serving "$dir/serve-h265.txt" && wait_for 10 grep -q serving "$dir/serve-mjpeg.txt"
check "the H.265 and MJPEG servers run" $? "$(cat "$dir"/serve-h265.txt "$dir"/serve-mjpeg.txt)"
conf more "rtspu://127.0.0.1:$p_front2/cam" "http://127.0.0.1:$p_side2/cam" "$p_pub2" "$p_req2"
"$daemon" --config "$dir/more.conf" --out "$dir/out-more" --print summary > "$dir/more.log" 2>&1 &
daemon_pid=$!; pids+=("$daemon_pid")
wait_for 60 grep -q "camera side-left: up again" "$dir/more.log"
check "MJPEG over HTTP: down when the server goes away, up again" $? "$(cat "$dir/more.log")"
grep -q "camera front: up at" "$dir/more.log"
check "H.265 over UDP: up" $? "$(grep front "$dir/more.log")"
kill -STOP "$h265_pid"
wait_for 30 grep -q "camera front: down from .*: no frame for 5 s" "$dir/more.log"
check "H.265 over UDP gone silent: down by the watchdog" $? "$(grep front "$dir/more.log")"
kill -CONT "$h265_pid"
wait_for 60 grep -q "camera front: up again" "$dir/more.log"
check "H.265 over UDP: up again once the server sends" $? "$(grep front "$dir/more.log")"
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?
[ $rc -eq 0 ]; check "gatecvd stops cleanly on SIGTERM (H.265, MJPEG)" $? "rc=$rc $(tail -5 "$dir/more.log")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

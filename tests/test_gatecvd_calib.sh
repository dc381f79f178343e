#!/usr/bin/env bash
# test_gatecvd_calib.sh — pins what gatecvd does with a camera's calibration file (a real
# process): a file that does not fit (singular camera matrix, tripwire outside its image) stops
# start-up with exit 2 naming lane.conf, the camera, the file and the field; a file made for
# another frame size stops that camera at its first frame with the file and the field named,
# while the other camera goes on to its end; and a calibrated camera whose distortion is zero
# gives the same events as without its file on a small generated lane (the reads go through
# the undistortion maps, an identity here).
#
#   test_gatecvd_calib.sh GATECVD GATECV_SCENEGEN
set -u
daemon=$1; scenegen=$2
py=/usr/bin/python3
. "$(dirname "$0")/harness.sh" # check, $dir, lane_video, two_camera_lane
lane_video

calib() { # calib FILE WIDTH HEIGHT FX [extra YAML]
    printf '%%YAML:1.0\n---\nimage_width: %s\nimage_height: %s\ncamera_matrix: !!opencv-matrix\n   rows: 3\n   cols: 3\n   dt: d\n   data: [ %s, 0., %s, 0., %s, %s, 0., 0., 1. ]\ndistortion_coefficients: !!opencv-matrix\n   rows: 1\n   cols: 5\n   dt: d\n   data: [ 0., 0., 0., 0., 0. ]\n%s' \
        "$2" "$3" "$4" $(($2 / 2)) "$4" $(($3 / 2)) "${5:-}" > "$1"
}
conf() { # conf FILE CALIBRATION_OF_SECOND_CAMERA [its tripwire line]
    two_camera_lane "$1" "uri=file://$dir/good.mkv" "calibration=$2" "${3:-}"
}

calib "$dir/singular.yml" 320 180 0.
conf "$dir/singular.conf" "$dir/singular.yml" "tripwire=0,90,320,90"
out=$("$daemon" --config "$dir/singular.conf" --out "$dir/out0" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "singular.conf: \[camera bad\] calibration: $dir/singular.yml: field camera_matrix: focal lengths" <<<"$out"
check "a singular camera matrix stops start-up, file and field named" $? "rc=$rc $out"

calib "$dir/wire.yml" 320 180 300 "tripwire: [ [ 0, 90 ], [ 330, 90 ] ]"
conf "$dir/wire.conf" "$dir/wire.yml"
out=$("$daemon" --config "$dir/wire.conf" --out "$dir/out1" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "wire.yml: field tripwire: point 1 (330, 90) outside the 320x180 image" <<<"$out"
check "a tripwire outside the image stops start-up, file and field named" $? "rc=$rc $out"

calib "$dir/other.yml" 640 360 300
conf "$dir/other.conf" "$dir/other.yml" "tripwire=0,90,320,90"
out=$(timeout 120 "$daemon" --config "$dir/other.conf" --out "$dir/out2" 2>&1); rc=$?
[ $rc -eq 0 ]; check "a calibration of another frame size: exit 0" $? "rc=$rc $out"
grep -q "camera bad .*other.yml: field image_width: 640, but the camera's frames are 320x180" <<<"$out"
check "a calibration of another frame size stops that camera, file and field named" $? "$out"
grep -q "camera good: end of stream at 1.96 s" <<<"$out"; check "the other camera reaches its end" $? "$out"

# The same small lane with and without an identity calibration of its camera: the same events.
"$scenegen" --out "$dir/lane" --seed 3 --vehicles 1 --cameras front --size 640x360 \
    --fps 10 --conditions day >"$dir/gen.log" 2>&1
check "the lane is generated" $? "$(tail -n 2 "$dir/gen.log")"
calib "$dir/identity.yml" 640 360 500
sed "/^\[camera front\]/a calibration=$dir/identity.yml" "$dir/lane/lane.conf" > "$dir/calibrated.conf"
for run in plain calibrated; do
    config=$dir/lane/lane.conf; [ $run = calibrated ] && config=$dir/calibrated.conf
    "$daemon" --config "$config" --out "$dir/out-$run" --start-time 2000-01-01T00:00:00Z \
        >/dev/null 2>"$dir/$run.log"
    check "gatecvd replays the lane ($run)" $? "$(tail -n 3 "$dir/$run.log")"
done
same=$(cat <<'PY'
import json, sys
def events(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            e = json.loads(line)
            e.pop("event_id", None)
            for ev in e.get("evidence", []):
                ev.pop("file", None)  # named after the event_id
            out.append(json.dumps(e, sort_keys=True))
    return out
a, b = events(sys.argv[1]), events(sys.argv[2])
print(f"{len(a)} events" if a == b and a else f"differ: {len(a)} vs {len(b)}\n{a}\n{b}")
PY
)
res=$($py -c "$same" "$dir/out-plain/events.jsonl" "$dir/out-calibrated/events.jsonl" 2>&1)
[[ $res != differ* && $res != "0 events"* && $res == *events ]]
check "an identity calibration gives the same events ($res)" $? "$res"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

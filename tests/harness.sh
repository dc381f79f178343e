# harness.sh — what the shell tests of real processes share (sourced, not run):
#   check NAME RC DETAIL   counts a check passed (RC 0) or failed, saying why it failed;
#   $dir                   a scratch folder, removed at exit;
#   pids+=(PID)            processes killed at exit;
#   wait_for SECONDS CMD   runs CMD until it succeeds (1 when SECONDS have passed first);
#   lane_video             makes $dir/good.mkv: 2 s of a moving ball, 320x180 H.264;
#   two_camera_lane FILE LINES...
#                          a gatecvd config of two cameras: "good", a side camera watching
#                          $dir/good.mkv, and "bad", a front camera given LINES (its uri and
#                          the rest; the first is on line 13 of FILE).
# The test ends with: echo "$passed passed, $failed failed"; [ "$failed" = 0 ]
passed=0; failed=0
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
wait_for() {
    local until=$((SECONDS + $1)); shift
    while ! "$@" 2>/dev/null; do [ $SECONDS -ge $until ] && return 1; sleep 0.2; done
}
lane_video() {
    gst-launch-1.0 -q videotestsrc num-buffers=50 pattern=ball \
        ! video/x-raw,width=320,height=180,framerate=25/1 ! x264enc speed-preset=ultrafast \
        ! matroskamux ! filesink location="$dir/good.mkv"
}
two_camera_lane() {
    local file=$1; shift
    { cat <<CONF
[gate]
name=test-gate
lane=lane-1
positive_direction=VN_TO_CN
[fusion]
read_interval=25
[camera good]
role=side-left
uri=file://$dir/good.mkv
tripwire=160,180,160,0
[camera bad]
role=front
CONF
      printf '%s\n' "$@"; } > "$file"
}

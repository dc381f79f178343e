#!/usr/bin/env bash
# test_scenegen.sh — pins gatecv-scenegen's contract: the same seed gives a byte-identical
# truth.json; every camera file is H.264 in Matroska that decodes (matroskademux ! h264parse
# ! avdec_h264, and decodebin) to exactly duration_s × fps frames; truth.json parses and
# every vehicle has the documented fields with valid values (normalised plates, ISO 6346
# codes with a right check digit, views inside the video and open at tripwire_s where the
# vehicle is on that camera's tripwire); lane.conf has [gate] and one
# [camera ROLE] group per camera with an absolute file URI, an ROI and a tripwire inside
# the image (side cameras also their metres_per_pixel); the same seed gives the same frames;
# rendering fewer cameras changes no
# time in the truth; gate traffic and the peak hold every vehicle, one on the line at a time
# (the peak's close behind each other, the gate's 20-90 s apart), for the duration asked,
# the same for the same seed; bad arguments are one line and exit 2; installed alone (cmake --install
# BUILD_DIR --component scenegen) it still makes a lane.
#
#   test_scenegen.sh PATH/TO/gatecv-scenegen [BUILD_DIR]
set -u
bin=$1
build_dir=${2:-}
py=/usr/bin/python3
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--seed 3 --vehicles 2 --size 640x360 --fps 10)

"$bin" --out "$work/a" "${args[@]}" >"$work/a.out" 2>&1; rc=$?
check "first run exits 0" $rc "$(tail -n 3 "$work/a.out")"
"$bin" --out "$work/b" "${args[@]}" >"$work/b.out" 2>&1; rc=$?
check "second run exits 0" $rc "$(tail -n 3 "$work/b.out")"
cmp -s "$work/a/truth.json" "$work/b/truth.json"; check "truth.json is byte-identical" $? ""
# the videos too, frame for frame (the Matroska files differ in their segment UID and date)
for run in a b; do
    gst-launch-1.0 -q filesrc location="$work/$run/side-left.mkv" ! decodebin ! video/x-raw ! \
        filesink location="$work/$run.raw" >/dev/null 2>&1
done
[ -s "$work/a.raw" ] && cmp -s "$work/a.raw" "$work/b.raw"
check "the same seed decodes to the same frames" $? "$(ls -l "$work"/*.raw 2>&1)"
grep -q "wrote 4 camera(s) x 200 frames" "$work/a.out"
check "summary line" $? "$(tail -n 1 "$work/a.out")"
grep -q "front .*200/200 frames" "$work/a.out"; check "per-camera progress" $? "$(head -n 3 "$work/a.out")"

# --- truth.json ---------------------------------------------------------------------------
truth_check=$(cat <<'EOF'
import json, re, sys
path, = sys.argv[1:]
t = json.load(open(path, encoding="utf-8"))
errors = []
def need(cond, what):
    if not cond:
        errors.append(what)
ROLES = ["front", "rear", "side-left", "side-right"]
need(t.get("schema") == "gatecv.truth/1", "schema")
need(t.get("seed") == 3 and t.get("fps") == 10, "seed/fps")
need(t.get("width") == 640 and t.get("height") == 360, "size")
dur = t.get("duration_s")
need(isinstance(dur, (int, float)) and dur > 0 and float(dur).is_integer(), "duration_s")
need([c.get("role") for c in t.get("cameras", [])] == ROLES, "cameras roles")
need(all(c.get("file") == c.get("role") + ".mkv" for c in t.get("cameras", [])), "camera files")
vs = t.get("vehicles", [])
need(len(vs) == 2, "2 vehicles")
KEYS = ["id", "kind", "direction", "condition", "plates", "containers", "fleet_number",
        "tripwire_s", "tripwire_clear_s", "stops_and_reverses", "views"]
def iso6346_ok(code):
    if not re.fullmatch(r"[A-Z]{3}[UJZ][0-9]{7}", code):
        return False
    vals, v = {}, 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v % 11 == 0:
            v += 1
        vals[ch] = v
        v += 1
    total = sum((vals[ch] if ch.isalpha() else int(ch)) << i for i, ch in enumerate(code[:10]))
    return total % 11 % 10 == int(code[10])
verticals = []
for v in vs:
    vid = v.get("id")
    need(list(v.keys()) == KEYS, f"vehicle {vid} keys {list(v.keys())}")
    need(v.get("kind") in ("truck", "agv", "car"), f"vehicle {vid} kind")
    need(v.get("direction") in ("VN_TO_CN", "CN_TO_VN"), f"vehicle {vid} direction")
    need(v.get("condition") in ("day", "dusk", "night", "rain"), f"vehicle {vid} condition")
    need(isinstance(v.get("stops_and_reverses"), bool), f"vehicle {vid} stops_and_reverses")
    trip = v.get("tripwire_s")
    need(isinstance(trip, (int, float)) and 0 < trip < dur, f"vehicle {vid} tripwire_s")
    clear = v.get("tripwire_clear_s")
    need(isinstance(clear, (int, float)) and trip < clear < dur,
         f"vehicle {vid} tripwire_clear_s after tripwire_s")
    plates = v.get("plates", [])
    need(len(plates) >= 1, f"vehicle {vid} has a plate")
    for p in plates:
        need(set(p) == {"text", "country", "layout", "position"}, f"vehicle {vid} plate keys")
        need(p.get("country") in ("VN", "CN"), f"vehicle {vid} plate country")
        need(p.get("layout") in ("one_line", "two_line"), f"vehicle {vid} plate layout")
        need(p.get("position") in ("front", "rear", "trailer_rear"), f"vehicle {vid} plate position")
        text = p.get("text", "")
        if p.get("country") == "VN":
            need(re.fullmatch(r"[1-9][0-9][A-Z][0-9A-Z]?[0-9]{4,5}", text), f"VN plate text {text}")
        else:
            need(re.fullmatch(r"[^\x00-\x7f][A-Z][0-9A-Z]{5,6}", text), f"CN plate text {text}")
    for c in v.get("containers", []):
        need(set(c) == {"code", "size_type", "layouts", "vertical"}, f"vehicle {vid} container keys")
        need(iso6346_ok(c.get("code", "")), f"container code {c.get('code')}")
        need(re.fullmatch(r"[24L][25]G1|[24L][25]R1", c.get("size_type", "")), f"size type {c.get('size_type')}")
        need(c.get("layouts") and set(c["layouts"]) <= {"horizontal", "vertical"}, "layouts")
        vert = c.get("vertical")  # the door's vertical layout, null without one
        need((vert is not None) == ("vertical" in c.get("layouts", [])), "vertical iff in layouts")
        if vert is not None:
            need(set(vert) == {"split", "serial_lower", "size_type"}, "vertical keys")
            need(isinstance(vert["split"], bool) and isinstance(vert["serial_lower"], bool),
                 "vertical split, serial_lower")
            need(vert["split"] or not vert["serial_lower"], "serial_lower only when split")
            need(vert["size_type"] in ("none", "below", "beside"), "vertical size_type")
            verticals.append(vert)
    fleet = v.get("fleet_number")
    need(fleet is None or re.fullmatch(r"AGV-[0-9]{2}", fleet), f"vehicle {vid} fleet_number")
    views = v.get("views", {})
    need(list(views) == ROLES, f"vehicle {vid} views {list(views)}")
    seen = 0
    for role, w in views.items():
        if w is None:
            continue
        seen += 1
        need(set(w) == {"enter_s", "exit_s"}, f"vehicle {vid} {role} keys")
        need(0 <= w["enter_s"] <= w["exit_s"] < dur, f"vehicle {vid} {role} times {w}")
    need(seen >= 3, f"vehicle {vid} is seen by at least 3 cameras")
    # the front crosses the middle of the side views, and the front camera's line for
    # VN_TO_CN traffic, at tripwire_s: those views are open then
    inside = lambda w: w is not None and w["enter_s"] <= trip <= w["exit_s"]
    need(inside(views.get("side-left")) and inside(views.get("side-right")),
         f"vehicle {vid}: side views hold tripwire_s")
    if v.get("direction") == "VN_TO_CN":
        need(inside(views.get("front")), f"vehicle {vid}: the front view holds tripwire_s")
# seed 3's trailer doors carry a split vertical code: the truth must say so
need(any(x["split"] for x in verticals), f"a split vertical door code in seed 3 ({verticals})")
print("\n".join(errors))
EOF
)
errs=$($py -c "$truth_check" "$work/a/truth.json" 2>&1)
check "truth.json parses and has the documented fields" $? "$errs"
[ -z "$errs" ]; check "truth.json values" $? "$errs"
grep -Eq '"tripwire_s": [0-9]+\.[0-9]{3},' "$work/a/truth.json"
check "times have 3 decimals" $? ""

# triggers.tsv: a presence sensor at the line, present when a front first reaches it, gone when
# the last vehicle on it has cleared it (vehicles on it at once are one presence)
errs=$($py - "$work/a/truth.json" "$work/a/triggers.tsv" <<'PY' 2>&1
import json, sys
on = sorted((v["tripwire_s"], v["tripwire_clear_s"]) for v in json.load(open(sys.argv[1]))["vehicles"])
want = []
for a, b in on:
    if want and a <= want[-1][1]:
        want[-1][1] = max(want[-1][1], b)
    else:
        want.append([a, b])
lines = [l.split("\t") for l in open(sys.argv[2]).read().splitlines()]
got = [[float(lines[i][1]), float(lines[i + 1][1])] for i in range(0, len(lines), 2)
       if lines[i][0] == "trigger" and lines[i][2] == "present" and lines[i + 1][2] == "gone"]
if len(got) != len(want) or len(lines) != 2 * len(want) or any(abs(g[0] - w[0]) > 1e-3 or abs(g[1] - w[1]) > 1e-3 for g, w in zip(got, want)):
    print("triggers.tsv", got, "expected", want)
PY
)
[ -z "$errs" ] && cmp -s "$work/a/triggers.tsv" "$work/b/triggers.tsv"
check "triggers.tsv: present/gone at the truth's times on the line, the same for the same seed" $? "$errs"

# --- videos ------------------------------------------------------------------------------
dur=$($py -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["duration_s"]))' "$work/a/truth.json")
want=$((dur * 10))
for role in front rear side-left side-right; do
    f="$work/a/$role.mkv"
    [ -s "$f" ]; check "$role.mkv exists" $? ""
    gst-launch-1.0 -q filesrc location="$f" ! matroskademux ! h264parse ! avdec_h264 ! fakesink \
        >"$work/dec.out" 2>&1
    check "$role.mkv decodes (matroskademux ! h264parse ! avdec_h264)" $? "$(head -n 3 "$work/dec.out")"
    gst-launch-1.0 -q filesrc location="$f" ! decodebin ! fakesink >"$work/dec.out" 2>&1
    check "$role.mkv decodes (decodebin)" $? "$(head -n 3 "$work/dec.out")"
    n=$(gst-launch-1.0 -v filesrc location="$f" ! matroskademux ! h264parse ! avdec_h264 ! \
        fakesink silent=false sync=false 2>&1 | grep -c "last-message = chain")
    [ "$n" -eq "$want" ]; check "$role.mkv has duration x fps = $want frames" $? "got $n"
done

# --- lane.conf ---------------------------------------------------------------------------
lane_check=$(cat <<'EOF'
import configparser, os, sys, urllib.parse
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cp = configparser.ConfigParser(interpolation=None)
cp.read(path, encoding="utf-8")
errors = []
gate = cp["gate"] if cp.has_section("gate") else {}
if gate.get("positive_direction") != "VN_TO_CN" or not gate.get("name") or not gate.get("lane"):
    errors.append("[gate] needs name, lane, positive_direction=VN_TO_CN")
roles = ["front", "rear", "side-left", "side-right"]
if [s for s in cp.sections() if s != "gate"] != ["camera " + r for r in roles]:
    errors.append("groups: %s" % cp.sections())
for r in roles:
    g = "camera " + r
    if not cp.has_section(g):
        continue
    s = cp[g]
    if s.get("role") != r:
        errors.append(g + " role")
    uri = s.get("uri", "")
    p = urllib.parse.urlparse(uri)
    local = urllib.parse.unquote(p.path)
    if p.scheme != "file" or not os.path.isabs(local) or not os.path.isfile(local):
        errors.append(g + " uri " + uri)
    roi = [int(x) for x in s.get("roi", "").split(",")]
    if len(roi) != 4 or roi[0] < 0 or roi[1] < 0 or roi[2] <= 0 or roi[3] <= 0 or \
       roi[0] + roi[2] > width or roi[1] + roi[3] > height:
        errors.append(g + " roi %s" % roi)
    tw = [int(x) for x in s.get("tripwire", "").split(",")]
    if len(tw) != 4 or not all(0 <= tw[i] < (width, height)[i % 2] for i in range(4)) or tw[:2] == tw[2:]:
        errors.append(g + " tripwire %s" % tw)
    # side cameras give the fusion their scale: the width of the view at a truck's side,
    # in metres, is a few metres to a few tens; front and rear have none (perspective)
    mpp = s.get("metres_per_pixel")
    if r.startswith("side"):
        if mpp is None or not 2 < float(mpp) * width < 30:
            errors.append(g + " metres_per_pixel %s" % mpp)
    elif mpp is not None:
        errors.append(g + " has metres_per_pixel")
print("\n".join(errors))
EOF
)
errs=$($py -c "$lane_check" "$work/a/lane.conf" 640 360 2>&1)
check "lane.conf parses" $? "$errs"
[ -z "$errs" ]; check "lane.conf has [gate] and a group per camera" $? "$errs"

# --- fewer cameras: same world, same times -------------------------------------------------
"$bin" --out "$work/c" "${args[@]}" --cameras side-right,front >"$work/c.out" 2>&1; rc=$?
check "--cameras front,side-right exits 0" $rc "$(tail -n 3 "$work/c.out")"
[ -s "$work/c/front.mkv" ] && [ -s "$work/c/side-right.mkv" ] && [ ! -e "$work/c/rear.mkv" ]
check "--cameras writes only the chosen cameras" $? "$(ls "$work/c")"
same=$($py -c '
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:])
ok = [v["tripwire_s"] for v in a["vehicles"]] == [v["tripwire_s"] for v in c["vehicles"]]
ok = ok and [r["role"] for r in c["cameras"]] == ["front", "side-right"]
ok = ok and all(va["views"]["front"] == vc["views"]["front"] and list(vc["views"]) == ["front", "side-right"]
                for va, vc in zip(a["vehicles"], c["vehicles"]))
print("same" if ok else "different")' "$work/a/truth.json" "$work/c/truth.json" 2>&1)
[ "$same" = same ]; check "a subset of cameras keeps the truth's times" $? "$same"
"$bin" --out "$work/d" --seed 4 --vehicles 2 --size 640x360 --fps 10 --cameras front >/dev/null 2>&1
! cmp -s "$work/a/truth.json" "$work/d/truth.json"; check "another seed, another truth" $? ""

# --- gate traffic and the peak: short runs -------------------------------------------------
"$bin" --out "$work/gate" --seed 1 --scenario gate --duration 100 --size 320x180 --fps 5 \
    >"$work/gate.out" 2>&1
check "--scenario gate --duration 100 exits 0" $? "$(tail -n 3 "$work/gate.out")"
"$bin" --out "$work/peak" --seed 1 --scenario peak --duration 40 --size 320x180 --fps 5 \
    >"$work/peak.out" 2>&1
check "--scenario peak --duration 40 exits 0" $? "$(tail -n 3 "$work/peak.out")"
traffic_check=$(cat <<'EOF'
import json, sys
path, scenario, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
t = json.load(open(path, encoding="utf-8"))
errors = []
def need(cond, what):
    if not cond:
        errors.append(what)
dur = t["duration_s"]
need(duration <= dur <= duration + 60, f"duration_s {dur} for --duration {duration}")
vs = t["vehicles"]
need(len(vs) >= 2, f"{len(vs)} vehicles")
for v in vs:
    vid, trip, clear = v["id"], v["tripwire_s"], v["tripwire_clear_s"]
    need(0 < trip < clear < dur, f"vehicle {vid} times {trip} {clear}")
    need(v["plates"] and all(p["text"] for p in v["plates"]), f"vehicle {vid} plates")
    need(not v["stops_and_reverses"], f"vehicle {vid} stops_and_reverses")
    views = v["views"]
    need(all(views[r] is not None for r in views), f"vehicle {vid} seen by every camera")
    for r in ("side-left", "side-right"):
        need(views[r] is not None and views[r]["enter_s"] <= trip <= views[r]["exit_s"],
             f"vehicle {vid} {r} holds tripwire_s")
    if scenario == "peak":
        need(v["kind"] == "truck" and v["condition"] == "day", f"vehicle {vid} a truck by day")
for a, b in zip(vs, vs[1:]):  # one on the line at a time, in order
    need(a["tripwire_clear_s"] < b["tripwire_s"], f"vehicles {a['id']} and {b['id']} on the line at once")
    gap = b["tripwire_s"] - a["tripwire_s"]
    if scenario == "peak":  # queued close behind: the next one crosses soon after
        need(gap < 20, f"peak: {gap:.1f} s from vehicle {a['id']} to {b['id']}")
    else:  # seed 1's first two come one at a time
        need(20 <= gap <= 90, f"gate: {gap:.1f} s from vehicle {a['id']} to {b['id']}")
print("\n".join(errors))
EOF
)
for run in gate:100 peak:40; do
    name=${run%%:*}
    errs=$($py -c "$traffic_check" "$work/$name/truth.json" "$name" "${run#*:}" 2>&1)
    check "$name: truth.json parses" $? "$errs"
    [ -z "$errs" ]; check "$name: every vehicle, one on the line at a time" $? "$errs"
done
n=$(gst-launch-1.0 -v filesrc location="$work/gate/side-right.mkv" ! matroskademux ! h264parse ! \
    avdec_h264 ! fakesink silent=false sync=false 2>&1 | grep -c "last-message = chain")
want=$(($($py -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["duration_s"]))' \
    "$work/gate/truth.json") * 5))
[ "$n" -eq "$want" ]; check "gate: side-right.mkv has duration x fps = $want frames" $? "got $n"
"$bin" --out "$work/gate2" --seed 1 --scenario gate --duration 100 --size 320x180 --fps 5 \
    --cameras front >/dev/null 2>&1
same=$($py -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
key = lambda t: [(v["tripwire_s"], v["kind"], [p["text"] for p in v["plates"]]) for v in t["vehicles"]]
print("same" if key(a) == key(b) and a["duration_s"] == b["duration_s"] else "different")
' "$work/gate/truth.json" "$work/gate2/truth.json" 2>&1)
[ "$same" = same ]; check "gate: the same seed, the same traffic" $? "$same"
help=$("$bin" --help 2>&1)
echo "$help" | grep -q -- "--duration" && echo "$help" | grep -q "^  gate " &&
    echo "$help" | grep -q "^  peak "
check "--help documents gate, peak and --duration" $? ""

# --- bad arguments ------------------------------------------------------------------------
for bad in "" "--seed 3" "--out $work/e" "--out $work/e --seed x" \
           "--out $work/e --seed 3 --size 100x100" "--out $work/e --seed 3 --size 641x360" \
           "--out $work/e --seed 3 --fps 0" "--out $work/e --seed 3 --fps ten" \
           "--out $work/e --seed 3 --vehicles 0" "--out $work/e --seed 3 --conditions day,foggy" \
           "--out $work/e --seed 3 --cameras front,top" "--out $work/e --seed 3 --scenario busy" \
           "--out $work/e --seed 3 --scenario demo --vehicles 3" "--out $work/e --seed 3 extra" \
           "--out $work/e --seed 3 --duration 60" "--out $work/e --seed 3 --scenario gate --duration 5" \
           "--out $work/e --seed 3 --scenario peak --duration 900" \
           "--out $work/e --seed 3 --scenario gate --duration -5" \
           "--out $work/e --seed 3 --scenario gate --duration 60 --vehicles 2" \
           "--no-such-option"; do
    out=$("$bin" $bad 2>&1); rc=$?
    [ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ]
    check "bad arguments ($bad): one line, exit 2" $? "rc=$rc $out"
done
[ ! -e "$work/e" ]; check "bad arguments write nothing" $? "$(ls "$work/e" 2>&1)"

# installed on its own, for users who make their own test lanes
if [ -n "$build_dir" ]; then
    cmake --install "$build_dir" --prefix "$work/prefix" --component scenegen >"$work/inst.out" 2>&1
    check "cmake --install --component scenegen exits 0" $? "$(tail -n 3 "$work/inst.out")"
    inst=$work/prefix/bin/gatecv-scenegen
    [ -x "$inst" ] && [ "$(ls "$work/prefix")" = bin ]
    check "the component installs only bin/gatecv-scenegen" $? "$(cd "$work/prefix" && find .)"
    "$inst" --out "$work/inst" --seed 3 --vehicles 1 --size 320x180 --fps 5 >"$work/inst.log" 2>&1 &&
        [ -s "$work/inst/truth.json" ] && [ -s "$work/inst/lane.conf" ]
    check "the installed gatecv-scenegen makes a lane" $? "$(tail -n 3 "$work/inst.log")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

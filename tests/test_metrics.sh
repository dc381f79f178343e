#!/usr/bin/env bash
# test_metrics.sh — pins gatecvd's HTTP /metrics and /healthz with a real daemon on a free
# loopback port, replaying a short generated lane (two cameras, two trucks) with a bus that
# a real gatecv-sub listens to:
#   1. --metrics overrides [metrics] listen= (the config's port is held by another socket);
#   2. /healthz answers 200 while the cameras deliver frames, and 503 naming each camera
#      "ended" once the recordings are over (--keep-serving);
#   3. /metrics is well-formed Prometheus text 0.0.4 (a parser below: HELP and TYPE before
#      the samples, counters named _total, label values escaped, histogram buckets
#      cumulative with +Inf equal to _count), served as text/plain; version=0.0.4;
#   4. its numbers agree with the replay: every frame of each camera counted, events by status
#      and revision equal to what the subscriber received and events.jsonl holds, the
#      verified ratio of the final revisions, reads equal to the read-latency observations,
#      journal bytes equal to the segment files' size, cameras down after the end;
#   5. a port in use, a host name, or a bad listen= stops start-up (exit 2) naming what is
#      wrong; other paths are 404 and other methods 405.
#
#   test_metrics.sh GATECVD GATECV_SUB GATECV_SCENEGEN
set -u
daemon=$1; sub=$2; scenegen=$3
py=/usr/bin/python3
. "$(dirname "$0")/harness.sh" # check, $dir, pids, wait_for

# Free loopback ports, and one held busy by a listening socket for as long as the test runs.
$py - >"$dir/ports" <<'PY' &
import socket, time
held = []
for _ in range(4):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
ports = [s.getsockname()[1] for s in held]
for s in held[:3]:
    s.close()          # free again: the daemon takes them
held[3].listen()       # busy until this process ends
print(*ports, flush=True)
time.sleep(900)
PY
pids+=("$!")
wait_for 10 test -s "$dir/ports"
read -r port pub req busy < "$dir/ports"
[ -n "${busy:-}" ]; check "free ports found" $? "port=$port busy=${busy:-}"
base="http://127.0.0.1:$port"

out=$("$scenegen" --out "$dir/lane" --seed 5 --vehicles 2 --size 640x360 --cameras front,side-left 2>&1)
check "the lane is generated" $? "$out"
frames=$(echo "$out" | sed -n 's/.* x \([0-9]*\) frames.*/\1/p')
cat "$dir/lane/lane.conf" > "$dir/lane-metrics.conf"
printf '[bus]\npublish=tcp://127.0.0.1:%s\nrequest=tcp://127.0.0.1:%s\ninsecure=true\nhealth_interval=1\n[metrics]\nlisten=127.0.0.1:%s\n' \
    "$pub" "$req" "$busy" >> "$dir/lane-metrics.conf"

# --- 5. start-up errors -----------------------------------------------------------------
msg=$("$daemon" --config "$dir/lane-metrics.conf" --out "$dir/out-busy" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "metrics: cannot listen on 127.0.0.1:$busy: .*in use"
check "the config's port in use: exit 2 naming it" $? "rc=$rc $msg"
msg=$("$daemon" --config "$dir/lane-metrics.conf" --out "$dir/out-name" --metrics localhost:9464 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "\-\-metrics: the host must be an IP address.*'localhost:9464'"
check "--metrics with a host name: exit 2 saying why" $? "rc=$rc $msg"
{ cat "$dir/lane/lane.conf"; printf '[metrics]\nlisten=127.0.0.1:99999\n'; } > "$dir/bad.conf"
msg=$("$daemon" --config "$dir/bad.conf" --out "$dir/out-bad" 2>&1); rc=$?
line=$(grep -n '^listen=' "$dir/bad.conf" | cut -d: -f1)
[ $rc -eq 2 ] && echo "$msg" | grep -q "bad.conf:$line: \[metrics\] listen: the port must be 1..65535"
check "a bad listen=: exit 2 with file, line, group and key" $? "rc=$rc $msg"

# --- 1-2. the replay, watched ------------------------------------------------------------
"$sub" --connect "tcp://127.0.0.1:$pub" --request "tcp://127.0.0.1:$req" --from-seq 1 --json \
    >"$dir/sub.out" 2>"$dir/sub.err" &
pids+=("$!")
"$daemon" --config "$dir/lane-metrics.conf" --out "$dir/out" --keep-serving --metrics "127.0.0.1:$port" \
    >/dev/null 2>"$dir/daemon.log" &
daemon_pid=$!; pids+=("$daemon_pid")
# /healthz while the replay runs: 200 whenever both cameras delivered a frame within 3 s (a
# replay as fast as possible may hold one camera back for the other, or for the readers).
codes=""
until grep -q "every camera has ended" "$dir/daemon.log" || ! kill -0 "$daemon_pid" 2>/dev/null; do
    codes+="$(curl -s -o "$dir/health-run.json" -w '%{http_code}' "$base/healthz") "
    case "$codes" in *200*) [ -f "$dir/health-ok.json" ] || cp "$dir/health-run.json" "$dir/health-ok.json" ;; esac
    [ $SECONDS -gt 600 ] && break
    sleep 0.2
done
grep -q "every camera has ended" "$dir/daemon.log"; check "the replay ends and the daemon keeps serving" $? "$(tail -n 3 "$dir/daemon.log")"
case "$codes" in *200*) true ;; *) false ;; esac; check "/healthz is 200 while the cameras run" $? "codes: $codes"
grep -q '"status":"ok"' "$dir/health-ok.json" 2>/dev/null && grep -q '"state":"up"' "$dir/health-ok.json"
check "its body says ok, cameras up" $? "$(cat "$dir/health-ok.json" 2>/dev/null)"
code=$(curl -s -o "$dir/health-end.json" -w '%{http_code}' "$base/healthz")
[ "$code" = 503 ] && [ "$(grep -o '"state":"ended"' "$dir/health-end.json" | wc -l)" = 2 ]
check "/healthz is 503 once the recordings ended, naming both cameras ended" $? "$code $(cat "$dir/health-end.json")"

# The subscriber has every journaled event.
last_seq() { curl -s "$base/metrics" | sed -n 's/^gatecv_journal_last_seq \([0-9]*\)$/\1/p'; }
n_sub() { grep -c "^crossing" "$dir/sub.out"; }
wait_for 30 bash -c "[ \"\$(grep -c '^crossing' '$dir/sub.out')\" -ge \"$(last_seq)\" ]"
check "the subscriber received every event" $? "sub $(n_sub), last seq $(last_seq)"

# --- 3-4. /metrics -----------------------------------------------------------------------
curl -s -D "$dir/headers" -o "$dir/metrics.txt" "$base/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$dir/headers"; check "/metrics is text/plain; version=0.0.4" $? "$(cat "$dir/headers")"
result=$($py - "$dir/metrics.txt" "$dir/out/events.jsonl" "$dir/sub.out" "$dir/out/journal" "$frames" front side-left <<'PY'
import glob, json, math, os, re, sys
text_path, events_path, sub_path, journal_dir, frames = sys.argv[1:6]
cameras = sys.argv[6:]
errors = []

# A parser of the text format 0.0.4: each sample belongs to a family TYPE'd before it.
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"'
SAMPLE = re.compile(r"^(%s)(?:\{((?:%s)(?:,%s)*)\})? (\S+)$" % (NAME, LABEL, LABEL))
def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)
number = float  # takes "+Inf", "-Inf" and "NaN" as the format spells them
types, helps, samples = {}, {}, []
for n, line in enumerate(open(text_path, encoding="utf-8").read().split("\n"), 1):
    if line == "":
        continue
    if line.startswith("# HELP "):
        name = line.split(" ")[2]
        if name in helps: errors.append(f"line {n}: second HELP for {name}")
        helps[name] = True
    elif line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ")
        if kind not in ("counter", "gauge", "histogram"): errors.append(f"line {n}: type {kind}")
        if kind == "counter" and not name.endswith("_total"): errors.append(f"line {n}: counter {name} not _total")
        if name in types: errors.append(f"line {n}: second TYPE for {name}")
        types[name] = kind
    else:
        m = SAMPLE.match(line)
        if not m:
            errors.append(f"line {n}: not a sample: {line!r}"); continue
        name = m.group(1)
        labels = {k: unescape(v) for k, v in re.findall(LABEL, m.group(2) or "")}
        family = name if name in types else re.sub(r"_(bucket|sum|count)$", "", name)
        if types.get(family) is None: errors.append(f"line {n}: {name} before its TYPE")
        elif types[family] == "histogram" and family == name: errors.append(f"line {n}: bare histogram sample")
        samples.append((name, labels, number(m.group(len(m.groups())))))
def get(name, **labels):
    found = [v for s, l, v in samples if s == name and l == labels]
    return found[0] if len(found) == 1 else None
# Histograms: buckets cumulative, +Inf equal to _count.
for family in [f for f, k in types.items() if k == "histogram"]:
    series = {}
    for s, l, v in samples:
        if s == family + "_bucket":
            key = tuple(sorted((k, x) for k, x in l.items() if k != "le"))
            series.setdefault(key, []).append((number(l["le"]), v))
    for key, buckets in series.items():
        counts = [v for _, v in buckets]
        if [b for b, _ in buckets] != sorted(b for b, _ in buckets) or buckets[-1][0] != math.inf:
            errors.append(f"{family}{key}: bounds not increasing to +Inf")
        if counts != sorted(counts): errors.append(f"{family}{key}: buckets not cumulative {counts}")
        if get(family + "_count", **dict(key)) != counts[-1]:
            errors.append(f"{family}{key}: +Inf {counts[-1]} != count {get(family + '_count', **dict(key))}")

# The numbers against the replay.
for cam in cameras:
    f, mv = get("gatecv_frames_total", camera=cam), get("gatecv_moving_frames_total", camera=cam)
    if f != int(frames): errors.append(f"camera {cam}: {f} frames counted, the recording has {frames}")
    if not mv or mv > f: errors.append(f"camera {cam}: {mv} moving frames of {f}")
    role = cam
    if get("gatecv_camera_up", camera=cam, role=role) != 0: errors.append(f"camera {cam}: still up after its end")
events = [json.loads(l) for l in open(events_path, encoding="utf-8") if l.strip()]
received = [l for l in open(sub_path, encoding="utf-8") if l.startswith("crossing")]
total = sum(v for s, l, v in samples if s == "gatecv_events_total")
if not events: errors.append("no event: nothing to compare")
if total != len(events) or total != len(received):
    errors.append(f"events counted {total}, events.jsonl {len(events)}, subscriber {len(received)}")
for status in ("verified", "needs_review", "mismatch"):
    for rev, final in (("provisional", False), ("final", True)):
        want = sum(1 for e in events if e["verification"]["status"] == status and e["final"] == final)
        if get("gatecv_events_total", status=status, revision=rev) != want:
            errors.append(f"events {status}/{rev}: {get('gatecv_events_total', status=status, revision=rev)} counted, {want} written")
finals = [e for e in events if e["final"]]
ratio = get("gatecv_verified_ratio")
if finals and (ratio is None or abs(ratio - sum(e["verification"]["status"] == "verified" for e in finals) / len(finals)) > 1e-9):
    errors.append(f"verified ratio {ratio}")
if get("gatecv_event_publish_seconds_count", revision="final") != len(finals):
    errors.append("a publish time per final revision")
reads = get("gatecv_reads_total")
observed = sum(v for s, l, v in samples if s == "gatecv_read_latency_seconds_count")
if not reads or reads != observed: errors.append(f"reads {reads}, read latencies observed {observed}")
if get("gatecv_frames_selected_total") != reads + get("gatecv_frames_dropped_total"):
    errors.append("selected != read + dropped")
size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(journal_dir, "seg-*.gcj")))
if get("gatecv_journal_bytes") != size: errors.append(f"journal bytes {get('gatecv_journal_bytes')}, segments {size}")
if get("gatecv_journal_last_seq") != len(events): errors.append("journal last seq")
if get("gatecv_backlog_frames") != 0: errors.append("backlog not empty after the end")
print("; ".join(errors) if errors else "ok")
PY
)
[ "$result" = ok ]; check "/metrics parses and agrees with the replay" $? "$result"

code=$(curl -s -o /dev/null -w '%{http_code}' "$base/nothing"); [ "$code" = 404 ]; check "another path is 404" $? "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/metrics/more"); [ "$code" = 404 ]; check "a path below /metrics is 404" $? "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/metrics"); [ "$code" = 405 ]; check "POST is 405" $? "$code"

kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?
[ $rc -eq 0 ]; check "the daemon stops on SIGTERM, exit 0" $? "rc=$rc $(tail -n 3 "$dir/daemon.log")"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

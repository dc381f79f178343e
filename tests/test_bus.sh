#!/usr/bin/env bash
# test_bus.sh — the event bus end to end, with real processes and real sockets on loopback
# (docs/bus.md): gatecvd replays a generated lane with CurveZMQ keys; gatecv-sub receives.
#   1. kill -9 of gatecvd during a replay, then a restart: a subscriber that stayed up holds
#      every seq exactly once, 1..last, with every evidence JPEG's SHA-256 right;
#   2. a subscriber started late catches up from seq 1 over the request endpoint, each
#      revision of an event (provisional, then final) its own seq: the revisions of one
#      event_id come in order, nothing after its final, each carrying all the one before did;
#   3. a client whose key is not allowed, or with no key, receives nothing;
#   4. malformed, unknown and oversized requests get error replies naming what is wrong,
#      and the box goes on answering and publishing; a second box on endpoints in use, or
#      one given a public certificate as its own, stops at start (exit 2) saying why;
#   5. a torn journal tail (the last record cut by a few bytes) is cut at the next start,
#      reported, never served, and the next event takes its seq;
#   6. a journal over its size cap keeps what a registered consumer has not acknowledged and
#      raises journal_over_cap; an acknowledgement lets retention go on.
# Every event, health message and reply seen is validated against the JSON Schemas.
#
#   test_bus.sh GATECVD GATECV_SUB GATECV_KEYGEN GATECV_SCENEGEN BUS_PROBE SOURCE_DIR
set -u
daemon=$1; sub=$2; keygen=$3; scenegen=$4; probe=$5; src=$6
. "$(dirname "$0")/harness.sh" # check, $dir, pids, wait_for

# A free pair of loopback ports for this run (tests may run side by side).
port=$((20000 + RANDOM % 20000))
pub="tcp://127.0.0.1:$port"; req="tcp://127.0.0.1:$((port + 1))"

# The lane: 3 trucks, two cameras, small frames (events within a minute on two cores).
"$scenegen" --out "$dir/lane" --seed 5 --vehicles 3 --size 640x360 --cameras front,side-left >/dev/null 2>&1
[ -f "$dir/lane/lane.conf" ]; check "the lane is generated" $? "$(ls "$dir/lane")"

mkdir -p "$dir/keys/allowed"
"$keygen" --dir "$dir/keys" box >/dev/null && "$keygen" --dir "$dir/keys" ops >/dev/null &&
    "$keygen" --dir "$dir/keys" stranger >/dev/null
check "gatecv-keygen writes key pairs" $? "$(ls "$dir/keys")"
cp "$dir/keys/ops.key" "$dir/keys/allowed/"
curve=(--server-key "$dir/keys/box.key" --key "$dir/keys/ops.key_secret")

conf() { # conf FILE [extra lines for [bus] and [journal]]
    cat "$dir/lane/lane.conf" > "$1"
    printf '[fusion]\nread_interval=10\n[bus]\npublish=%s\nrequest=%s\nserver_key=%s\nallowed_keys=%s\nhealth_interval=1\nmax_request_bytes=4096\n%s\n' \
        "$pub" "$req" "$dir/keys/box.key_secret" "$dir/keys/allowed" "${2:-}" >> "$1"
}
conf "$dir/lane.conf" "consumers=clearance"
out="$dir/out"

start_daemon() { # start_daemon LOG [options]: runs gatecvd in the background
    local log=$1; shift
    "$daemon" --config "$dir/lane.conf" --out "$out" --start-time 2026-11-23T18:30:00Z "$@" \
        >/dev/null 2>"$log" &
    daemon_pid=$!; pids+=("$daemon_pid")
}
events_in() { [ -f "$out/events.jsonl" ] && [ "$(wc -l < "$out/events.jsonl")" -ge "$1" ]; }
status() { # status: the status reply's JSON
    printf '{"request":"status"}' > "$dir/status.json"
    "$probe" "$req" "$dir/status.json" "$dir/keys/box.key" "$dir/keys/ops.key_secret" | cut -f2
}
field() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# --- 1. kill -9 mid-replay, restart; one subscriber all along ------------------------
"$sub" --connect "$pub" --request "$req" "${curve[@]}" --from-seq 1 --json --health \
    --save "$dir/saved" --cursor "$dir/cursor" --consumer clearance >"$dir/sub.out" 2>"$dir/sub.err" &
sub_pid=$!; pids+=("$sub_pid")
"$sub" --connect "$pub" --request "$req" --server-key "$dir/keys/box.key" \
    --key "$dir/keys/stranger.key_secret" --json --health >"$dir/stranger.out" 2>&1 &
stranger_pid=$!; pids+=("$stranger_pid")
"$sub" --connect "$pub" --json --health >"$dir/nokey.out" 2>&1 &
nokey_pid=$!; pids+=("$nokey_pid")

start_daemon "$dir/run1.log"
wait_for 300 events_in 1; check "the first event is written" $? "$(tail -3 "$dir/run1.log")"
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null
first_run=$(wc -l < "$out/events.jsonl")
start_daemon "$dir/run2.log" --keep-serving
wait_for 300 grep -q "every camera has ended" "$dir/run2.log"
check "the restarted daemon replays to the end" $? "$(tail -3 "$dir/run2.log")"
last=$(status | field '["journal"]["last_seq"]')
[ "${last:-0}" -gt "$first_run" ]; check "the second run adds events after the first run's ($first_run)" $? "last=$last"
wait_for 30 bash -c "[ \"\$(cat '$dir/cursor' 2>/dev/null)\" = '$last' ]"
check "the subscriber reaches the last seq" $? "cursor=$(cat "$dir/cursor" 2>/dev/null) last=$last"
# The cursor is written before the acknowledgement goes out: wait for the box to have it.
acked_seq() { status | /usr/bin/python3 -c 'import json,sys; print([c["acked_seq"] for c in json.load(sys.stdin)["consumers"] if c["name"]=="clearance"][0])'; }
until=$((SECONDS + 30))
while [ "$(acked_seq 2>/dev/null)" != "$last" ] && [ $SECONDS -lt $until ]; do sleep 0.3; done
kill -TERM "$sub_pid"; wait "$sub_pid"; rc=$?
[ $rc -eq 0 ]; check "the subscriber saw every evidence checksum right and exits 0" $? "rc=$rc $(cat "$dir/sub.err")"
seqs=$(grep -P '^crossing\t' "$dir/sub.out" | cut -f2 | /usr/bin/python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["seq"]) for l in sys.stdin))')
[ "$seqs" = "$(seq -s ' ' 1 "$last")" ]; check "every seq exactly once, in order" $? "got '$seqs', want 1..$last"
n_saved=$(ls "$dir/saved"/*.json 2>/dev/null | wc -l)
[ "$n_saved" -eq "$last" ]; check "each event saved once" $? "$n_saved of $last"
sha_ok=$(/usr/bin/python3 - "$dir/saved" <<'PY'
import glob, hashlib, json, os, sys
bad = 0
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    ev = json.load(open(f))
    for i, e in enumerate(ev["evidence"], 1):
        jpgs = glob.glob(os.path.join(sys.argv[1], f'{ev["seq"]}-{i}-*.jpg'))
        if len(jpgs) != 1 or hashlib.sha256(open(jpgs[0], "rb").read()).hexdigest() != e["sha256"]:
            bad += 1
print(bad)
PY
)
[ "$sha_ok" = 0 ]; check "every saved evidence JPEG matches its sha256" $? "$sha_ok bad"
grep -q "crossing" "$dir/stranger.out" "$dir/nokey.out"; [ $? -ne 0 ]
check "clients without an allowed key receive no event" $? "$(head -c 300 "$dir/stranger.out" "$dir/nokey.out")"
grep -q "health" "$dir/stranger.out" "$dir/nokey.out"; [ $? -ne 0 ]
check "nor any health message" $? ""
printf '{"request":"status"}' > "$dir/status.json"
"$probe" "$req" "$dir/status.json" "$dir/keys/box.key" "$dir/keys/stranger.key_secret" >/dev/null; rc=$?
[ $rc -eq 1 ]; check "a stranger's request gets no answer" $? "rc=$rc"
grep -q "clearance" <(status); check "the consumer's acknowledgements are in the status" $? "$(status)"
acked=$(acked_seq)
[ "$acked" = "$last" ]; check "the consumer acknowledged up to the last seq" $? "acked=$acked last=$last"

# --- 2. a late subscriber catches up -------------------------------------------------
timeout 60 "$sub" --connect "$pub" --request "$req" "${curve[@]}" --from-seq 1 --json --count "$last" \
    >"$dir/late.out" 2>"$dir/late.err"; rc=$?
[ $rc -eq 0 ]; check "a late subscriber exits 0 after $last events" $? "rc=$rc $(cat "$dir/late.err")"
late=$(grep -cP '^crossing\t' "$dir/late.out")
[ "$late" -eq "$last" ]; check "it caught up every event" $? "$late of $last"
revisions=$(grep -P '^crossing\t' "$dir/late.out" | cut -f2 | /usr/bin/python3 -c '
import json, sys
def texts(e):
    return {("p", p["camera"], p["text"]) for p in e["vehicle"]["plates"]} | \
           {("c", c["code"]) for c in e["containers"]}
seen, bad = {}, []
for e in map(json.loads, sys.stdin):
    before = seen.get(e["event_id"])
    seq, rev = e["seq"], e["revision"]
    if before and (before["final"] or rev <= before["revision"]):
        bad.append("seq %d: revision %d after %d" % (seq, rev, before["revision"]))
    elif before and not texts(before) <= texts(e):
        bad.append("seq %d: lacks %s" % (seq, sorted(texts(before) - texts(e))))
    seen[e["event_id"]] = e
print("; ".join(bad))')
[ -z "$revisions" ]; check "revisions of one event in order, only adding texts" $? "$revisions"

# --- 4. bad requests -----------------------------------------------------------------
probe_reply() { # probe_reply FILE: the reply line's JSON
    "$probe" "$req" "$1" "$dir/keys/box.key" "$dir/keys/ops.key_secret" | grep -P '^reply\t' | cut -f2
}
printf 'this is not json' > "$dir/bad1"
printf '{"request":"teleport"}' > "$dir/bad2"
printf '{"request":"fetch","from_seq":"one"}' > "$dir/bad3"
printf '[1,2,3]' > "$dir/bad4"
head -c 6000 /dev/zero | tr '\0' ' ' > "$dir/bad5"; printf '{"request":"status"}' >> "$dir/bad5"
printf '{"request":"ack","consumer":"no spaces","seq":1}' > "$dir/bad6"
for f in bad1:"not JSON" bad2:"unknown request 'teleport'" bad3:'from_seq\" must be a whole number' \
         bad4:"a request is a JSON object" bad5:"request too large: 6020 bytes" bad6:"a consumer name is 1-64"; do
    reply=$(probe_reply "$dir/${f%%:*}")
    echo "$reply" | grep -q '"reply":"error"' && echo "$reply" | grep -qF "${f#*:}"
    check "error reply for ${f%%:*}: ${f#*:}" $? "$reply"
    echo -e "reply\t$reply" >> "$dir/docs.tsv"
done
printf '{"request":"fetch","from_seq":2,"max":1,"id":7}' > "$dir/fetch.json"
"$probe" "$req" "$dir/fetch.json" "$dir/keys/box.key" "$dir/keys/ops.key_secret" > "$dir/fetch.out"
grep -cP '^crossing\t.*"seq":2,' "$dir/fetch.out" | grep -qx 1 && grep -q '"count":1' "$dir/fetch.out" && grep -q '"id":7' "$dir/fetch.out"
check "after the bad requests a fetch still answers (one event, its id echoed)" $? "$(cut -c1-200 "$dir/fetch.out")"
sed 's/ +[0-9]*$//' "$dir/fetch.out" >> "$dir/docs.tsv"
status > "$dir/s1"; sleep 1.5; status > "$dir/s2"
[ "$(field '["ts"]' < "$dir/s1")" != "$(field '["ts"]' < "$dir/s2")" ]; check "the box keeps answering" $? ""

# A second box on the same endpoints, and a box given its public certificate for its secret
# one, stop at start with exit 2 and say why.
err=$("$daemon" --config "$dir/lane.conf" --out "$dir/out-second" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "cannot bind the publish endpoint $pub"
check "endpoints in use: exit 2, named" $? "rc=$rc $err"
mkdir -p "$dir/public-only"; cp "$dir/keys/box.key" "$dir/public-only/" # no box.key_secret beside it
sed "s|^server_key=.*|server_key=$dir/public-only/box.key|" "$dir/lane.conf" > "$dir/public.conf"
err=$("$daemon" --config "$dir/public.conf" --out "$dir/out-public" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "public-only/box.key holds no secret key"
check "a public certificate as the box's key: exit 2, named" $? "rc=$rc $err"

# --- 5. a torn tail ------------------------------------------------------------------
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?
[ $rc -eq 0 ]; check "SIGTERM stops the daemon, exit 0" $? "rc=$rc $(tail -3 "$dir/run2.log")"
segment=$(ls "$out"/journal/seg-*.gcj | tail -n 1)
truncate -s -5 "$segment"
start_daemon "$dir/run3.log" --keep-serving
wait_for 60 grep -q "cut" "$dir/run3.log"; check "the torn tail is reported at start" $? "$(head -5 "$dir/run3.log")"
wait_for 30 bash -c "'$probe' '$req' '$dir/status.json' '$dir/keys/box.key' '$dir/keys/ops.key_secret' >/dev/null"
s=$(status)
[ "$(echo "$s" | field '["journal"]["last_seq"]')" = $((last - 1)) ]; check "the torn record is gone" $? "$s"
echo "$s" | field '["journal"]["recovered"]' | grep -q "cut"; check "status says what was cut" $? "$s"
printf '{"request":"fetch","from_seq":%d}' "$last" > "$dir/torn.json"
"$probe" "$req" "$dir/torn.json" "$dir/keys/box.key" "$dir/keys/ops.key_secret" > "$dir/torn.out"
grep -q '"count":0' "$dir/torn.out"; check "the torn record is never served" $? "$(cut -c1-200 "$dir/torn.out")"
wait_for 300 bash -c "grep -q '\"seq\":$last,' '$out/events.jsonl' && [ \$(grep -c '\"seq\":$last,' '$out/events.jsonl') -ge 2 ]"
check "the box goes on: the next event takes the cut seq $last" $? "$(tail -3 "$dir/run3.log")"
wait_for 300 grep -q "every camera has ended" "$dir/run3.log"
kill -TERM "$daemon_pid"; wait "$daemon_pid"

# --- 6. a journal over its cap keeps what is not acknowledged --------------------------
rm -rf "$out"
conf "$dir/lane.conf" "consumers=audit
[journal]
max_mb=0.1
segment_mb=0.01"
start_daemon "$dir/run4.log" --keep-serving
# The clearance system expects the first truck with another container than it carries.
printf '{"vehicles":[{"id":"T-35G","plate":"35G4347","containers":["MSKU1234565"]}]}' > "$dir/manifest.json"
wait_for 30 "$sub" --request "$req" "${curve[@]}" --manifest "$dir/manifest.json" >"$dir/manifest.out"
check "a manifest is pushed over the request endpoint" $? "$(cat "$dir/manifest.out")"
wait_for 300 grep -q "every camera has ended" "$dir/run4.log"; check "capped run ends" $? "$(tail -3 "$dir/run4.log")"
# the first truck's final revision (a first notice of it, with nothing read, may come before)
first_id=$(head -n 1 "$out/events.jsonl" | field '["event_id"]')
first=$(grep "\"event_id\":\"$first_id\"" "$out/events.jsonl" | grep '"final":true' | head -n 1)
echo "$first" | grep -q '"status":"mismatch"' && echo "$first" | grep -q '"vehicle_id":"T-35G"' &&
    echo "$first" | grep -q 'manifest_container_differs:GYQU0563110'
check "the expected plate with another verified container is a mismatch" $? "$(echo "$first" | cut -c1-400)"
sed 's/^/crossing\t/' "$out/events.jsonl" >> "$dir/docs.tsv"
s=$(status)
echo "$s" | grep -q '"journal_over_cap"'; check "over the cap with nothing acknowledged: the alarm" $? "$s"
[ "$(echo "$s" | field '["journal"]["first_seq"]')" = 1 ]; check "and every event kept" $? "$s"
echo -e "reply\t$s" >> "$dir/docs.tsv"
n=$(echo "$s" | field '["journal"]["last_seq"]')
printf '{"request":"ack","consumer":"audit","seq":%d}' "$n" > "$dir/ack.json"
probe_reply "$dir/ack.json" | grep -q '"reply":"ack"'; check "the consumer acknowledges" $? ""
s=$(status)
echo "$s" | grep -q '"journal_over_cap"'; [ $? -ne 0 ]; check "then retention makes room and the alarm goes" $? "$s"
[ "$(echo "$s" | field '["journal"]["first_seq"]')" -gt 1 ]; check "acknowledged segments went first" $? "$s"
kill -TERM "$daemon_pid"; wait "$daemon_pid"

# --- the documents seen, against the schemas ------------------------------------------
grep -P '^(crossing|health)\t' "$dir/sub.out" >> "$dir/docs.tsv"
grep -P '^reply\t' "$dir/torn.out" >> "$dir/docs.tsv"
/usr/bin/python3 "$src/tests/validate_json.py" "$src/schema" < "$dir/docs.tsv" > "$dir/valid.out"; rc=$?
[ $rc -eq 0 ]; check "every event, health message and reply validates ($(tail -n 1 "$dir/valid.out"))" $? "$(head -5 "$dir/valid.out")"
grep -qP '^health\t' "$dir/docs.tsv"; check "health messages were seen" $? ""

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

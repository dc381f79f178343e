#!/usr/bin/env bash
# test_queue_lane.sh — pins what a camera looking along the lane must make of a queue at the
# barrier (issue 14): vehicles queued before the line, each stopping at the barrier, then
# driving on over the line while the next waits close behind, seen by the front camera alone
# (gatecv-scenegen --scenario queue --cameras front). gatecvd must publish each vehicle once
# (one final revision; a provisional one before it shares its event_id and the final carries
# all it said), with its own plate, verified, at the time it was on the line; none may go out
# as no_passage_seen (about a minute on two cores).
#
#   test_queue_lane.sh GATECV_SCENEGEN GATECVD
set -u
scenegen=$1; daemon=$2
py=/usr/bin/python3
passed=0; failed=0
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT

"$scenegen" --out "$dir/lane" --seed 5 --scenario queue --cameras front --size 1280x720 \
    >"$dir/gen.log" 2>&1
check "the queue lane is generated" $? "$(tail -n 2 "$dir/gen.log")"

# A fixed start time, as gatecv-eval --replay uses: event times are stream times.
"$daemon" --config "$dir/lane/lane.conf" --out "$dir/out" --start-time 2000-01-01T00:00:00Z \
    >/dev/null 2>"$dir/daemon.log"
check "gatecvd replays the lane" $? "$(tail -n 3 "$dir/daemon.log")"

score=$(cat <<'EOF'
import datetime, json, sys
truth_path, events_path = sys.argv[1:]
truth = json.load(open(truth_path, encoding="utf-8"))
revisions = [json.loads(l) for l in open(events_path, encoding="utf-8") if l.strip()]
events = [e for e in revisions if e["final"]]
errors = []
def texts(e):
    return {("p", p["camera"], p["text"]) for p in e["vehicle"]["plates"]} | \
           {("c", c["code"]) for c in e["containers"]}
finals = {e["event_id"]: e for e in events}
for e in revisions:
    final = finals.get(e["event_id"])
    if e["final"]:
        continue
    if final is None or final["seq"] < e["seq"] or final["revision"] <= e["revision"]:
        errors.append(f"provisional event {e['seq']}: no later final revision of its event")
    elif not texts(e) <= texts(final):
        errors.append(f"provisional event {e['seq']}: its final {final['seq']} lacks "
                      f"{sorted(texts(e) - texts(final))}")
epoch = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
def stream_s(ts):
    return (datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")) - epoch).total_seconds()
vehicles = truth["vehicles"]
if len(events) != len(vehicles):
    errors.append(f"{len(events)} events for {len(vehicles)} vehicles")
for e in events:
    if "no_passage_seen" in e["verification"]["reasons"]:
        plates = [p["text"] for p in e["vehicle"]["plates"]]
        errors.append(f"event {e['seq']} {plates}: no_passage_seen")
for v in vehicles:
    plate = next(p["text"] for p in v["plates"] if p["position"] == "front")
    mine = [e for e in events if plate in [p["text"] for p in e["vehicle"]["plates"]]]
    if len(mine) != 1:
        errors.append(f"vehicle {v['id']} ({plate}): {len(mine)} events carry its plate")
        continue
    e = mine[0]
    others = [p["text"] for p in e["vehicle"]["plates"]
              if p["text"] != plate and not p["superseded"]]
    if others:
        errors.append(f"vehicle {v['id']} ({plate}): its event also has {others}")
    if e["verification"]["status"] != "verified":
        errors.append(f"vehicle {v['id']} ({plate}): {e['verification']['status']} "
                      f"{e['verification']['reasons']}")
    # on the line while its event says it was (a second's slack for the frames read)
    if not stream_s(e["ts_enter"]) - 1.0 <= v["tripwire_s"] <= stream_s(e["ts_exit"]) + 1.0:
        errors.append(f"vehicle {v['id']} ({plate}): on the line at {v['tripwire_s']} s, "
                      f"its event {e['ts_enter']}..{e['ts_exit']}")
print("\n".join(errors))
EOF
)
errs=$($py -c "$score" "$dir/lane/truth.json" "$dir/out/events.jsonl" 2>&1)
check "the events can be scored" $? "$errs"
[ -z "$errs" ]; check "each queued vehicle published once, with its own plate, verified, on time" $? "
$errs"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

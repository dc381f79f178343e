#!/usr/bin/env bash
# test_event_schema.sh — the events the writer produces validate against the published
# JSON Schema (schema/gatecv.crossing-1.schema.json): a plain one, and a provisional and a
# final revision of one vehicle (the same event_id); an event missing a field, with a
# malformed code or a revision below 1 does not.
set -u
test_bin=$1; schema=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
EVENT_TEST_DIR=$dir "$test_bin" >/dev/null 2>&1 || { echo "FAIL: test_crossing_event did not run"; exit 1; }
/usr/bin/python3 - "$schema" "$dir/event.json" "$dir/provisional.json" "$dir/final.json" <<'PY'
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
event = json.load(open(sys.argv[2]))
provisional = json.load(open(sys.argv[3]))
final = json.load(open(sys.argv[4]))
validator = jsonschema.Draft202012Validator(schema)
errors = list(validator.iter_errors(event))
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1; print(f"FAIL: {name}: {detail}")
check("the writer's event validates", not errors, "; ".join(e.message for e in errors))
for name, e in (("provisional", provisional), ("final", final)):
    errs = list(validator.iter_errors(e))
    check(f"the writer's {name} revision validates", not errs, "; ".join(x.message for x in errs))
check("both revisions share one event_id", provisional["event_id"] == final["event_id"],
      f'{provisional["event_id"]} {final["event_id"]}')
check("provisional then final", (provisional["final"], final["final"]) == (False, True) and
      provisional["revision"] < final["revision"], f'{provisional["revision"]} {final["revision"]}')
broken = copy.deepcopy(provisional); broken["revision"] = 0
check("a revision 0 is refused", not validator.is_valid(broken))
broken = copy.deepcopy(final); del broken["final"]
check("an event without final is refused", not validator.is_valid(broken))
broken = copy.deepcopy(event); del broken["verification"]
check("an event without verification is refused", not validator.is_valid(broken))
broken = copy.deepcopy(event); broken["containers"][0]["code"] = "MSKU123456"
check("a 10-character container code is refused", not validator.is_valid(broken))
broken = copy.deepcopy(event); broken["direction"] = "NORTH"
check("an unknown direction is refused", not validator.is_valid(broken))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY

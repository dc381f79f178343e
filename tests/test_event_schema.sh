#!/usr/bin/env bash
# test_event_schema.sh — the event the writer produces validates against the published
# JSON Schema (schema/gatecv.crossing-1.schema.json), and an event missing a field or
# with a malformed code does not.
set -u
test_bin=$1; schema=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
EVENT_TEST_DIR=$dir "$test_bin" >/dev/null 2>&1 || { echo "FAIL: test_crossing_event did not run"; exit 1; }
/usr/bin/python3 - "$schema" "$dir/event.json" <<'PY'
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
event = json.load(open(sys.argv[2]))
validator = jsonschema.Draft202012Validator(schema)
errors = list(validator.iter_errors(event))
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1; print(f"FAIL: {name}: {detail}")
check("the writer's event validates", not errors, "; ".join(e.message for e in errors))
broken = copy.deepcopy(event); del broken["verification"]
check("an event without verification is refused", not validator.is_valid(broken))
broken = copy.deepcopy(event); broken["containers"][0]["code"] = "MSKU123456"
check("a 10-character container code is refused", not validator.is_valid(broken))
broken = copy.deepcopy(event); broken["direction"] = "NORTH"
check("an unknown direction is refused", not validator.is_valid(broken))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY

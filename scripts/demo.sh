#!/usr/bin/env bash
# demo.sh BUILD_DIR — what `make demo` runs after the build: the model self-check, the
# still-image reader on a few generated images, then a generated recorded lane (three
# trucks by day, an AGV at night) replayed through gatecvd, printing each crossing.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
echo "== gatecv demo =="
"$build/pipeline/gatecvd" --version
echo
"$build/tools/gatecv-read" --self-check
echo
echo "== 1. reading generated still images (gatecv-stillgen --seed 42) =="
"$build/tools/gatecv-stillgen" --out "$build/demo-stills" --seed 42 --count 6 >/dev/null
cut -f1,3 "$build/demo-stills/labels.tsv" | tail -n +2 | sed 's/^/  truth: /'
echo
(cd "$build/demo-stills" && "$build/tools/gatecv-read" */*.jpg)

lane="$build/demo-lane"
echo
echo "== 2. a recorded lane: gatecv-scenegen --scenario demo (front and side-left cameras) =="
"$build/tools/scenegen/gatecv-scenegen" --out "$lane" --seed 1 --scenario demo \
    --cameras front,side-left 2>&1 | tail -n 1
# The demo reads one gated frame in ten to finish in a minute or two on two cores.
printf '\n[fusion]\nread_interval=10\n' >> "$lane/lane.conf"
/usr/bin/python3 - "$lane/truth.json" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1]))["vehicles"]:
    plates = ", ".join(p["text"] for p in v["plates"])
    codes = ", ".join(c["code"] for c in v["containers"]) or "-"
    print(f'  truth: {v["kind"]:5} {v["direction"]} {v["condition"]:5} at {v["tripwire_s"]:5.1f} s  '
          f'plates {plates}  containers {codes}')
PY
echo
echo "replaying it through gatecvd (events also in $lane/events/events.jsonl):"
rm -rf "$lane/events"
"$build/pipeline/gatecvd" --config "$lane/lane.conf" --out "$lane/events" --print summary \
    --start-time 2026-11-23T18:30:00Z 2>/dev/null

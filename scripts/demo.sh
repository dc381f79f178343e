#!/usr/bin/env bash
# demo.sh BUILD_DIR — what `make demo` runs after the build: the model self-check, the
# still-image reader on a few generated images, then a generated recorded lane (three
# trucks by day, an AGV at night) replayed through gatecvd, which journals each crossing
# and publishes it over CurveZMQ; gatecv-sub, an allowed client, prints each one as it
# arrives and checks its evidence pictures.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
echo "== gatecv demo =="
"$build/pipeline/gatecvd" --version
echo
"$build/tools/gatecv-read" --self-check
echo
echo "== 1. reading generated still images (gatecv-stillgen --seed 42) =="
"$build/fixtures/stillgen/gatecv-stillgen" --out "$build/demo-stills" --seed 42 --count 6 >/dev/null
cut -f1,3 "$build/demo-stills/labels.tsv" | tail -n +2 | sed 's/^/  truth: /'
echo
(cd "$build/demo-stills" && "$build/tools/gatecv-read" */*.jpg)

lane="$build/demo-lane"
echo
echo "== 2. a recorded lane: gatecv-scenegen --scenario demo (front and side-left cameras) =="
"$build/fixtures/scenegen/gatecv-scenegen" --out "$lane" --seed 1 --scenario demo \
    --cameras front,side-left 2>&1 | tail -n 1
/usr/bin/python3 - "$lane/truth.json" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1]))["vehicles"]:
    plates = ", ".join(p["text"] for p in v["plates"])
    codes = ", ".join(c["code"] for c in v["containers"]) or "-"
    print(f'  truth: {v["kind"]:5} {v["direction"]} {v["condition"]:5} at {v["tripwire_s"]:5.1f} s  '
          f'plates {plates}  containers {codes}')
PY

# The event bus, locked down as on a gate: a key pair for the box and one for the client,
# whose public key alone is in the allowed folder.
keys="$lane/keys"
rm -rf "$keys" "$lane/events" "$lane/received"
mkdir -p "$keys/allowed"
"$build/client/gatecv-keygen" --dir "$keys" box >/dev/null
"$build/client/gatecv-keygen" --dir "$keys" operator >/dev/null
cp "$keys/operator.key" "$keys/allowed/"
port=$((20000 + RANDOM % 20000))
cat >> "$lane/lane.conf" <<CONF
[bus]
publish=tcp://127.0.0.1:$port
request=tcp://127.0.0.1:$((port + 1))
server_key=$keys/box.key_secret
allowed_keys=$keys/allowed
consumers=operator
CONF
echo
echo "replaying it through gatecvd; gatecv-sub receives each crossing over CurveZMQ"
echo "(evidence JPEGs saved to $lane/received, events journaled in $lane/events/journal):"
"$build/client/gatecv-sub" --connect "tcp://127.0.0.1:$port" --request "tcp://127.0.0.1:$((port + 1))" \
    --server-key "$keys/box.key" --key "$keys/operator.key_secret" --from-seq 1 \
    --consumer operator --save "$lane/received" &
sub=$!
trap 'kill $sub 2>/dev/null || true' EXIT
"$build/pipeline/gatecvd" --config "$lane/lane.conf" --out "$lane/events" --print summary \
    --start-time 2026-11-23T18:30:00Z >/dev/null 2>&1
sleep 1
kill -TERM $sub
wait $sub || true

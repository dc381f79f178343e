#!/usr/bin/env bash
# fusion_oracle.sh — the lane fusion's oracle for refactoring: runs a gatecv-fuse on every
# recorded observation log in a folder and compares its events, byte for byte, with the
# events a reference build gave on the same logs.
#
#   tests/fusion_oracle.sh [--record] GATECV_FUSE ORACLE_DIR
#
# ORACLE_DIR/lanes/NAME/ holds one recorded lane each: lane.conf and replay-out/
# observations.tsv (what `gatecv-eval --replay DIR` leaves; record the logs once with the
# base build: they are inputs, a refactor of the fusion does not change them). The events
# are kept in ORACLE_DIR/baseline/NAME.events.jsonl and NAME.stdout (the readable lines, with
# the stream time each crossing was decided at). --record writes the baseline with the given
# gatecv-fuse (run it with the base commit's); without it the events are compared with it.
#
# The only thing not compared is each event's event_id: a random UUID per run. Exit 0 when
# every log gives the same events, 1 when one differs (its diff is printed), 2 on bad use.
# Heavy work on a shared machine: run it as `taskset -c 1 nice -n 5 tests/fusion_oracle.sh ...`.
set -euo pipefail
record=0
if [ "${1:-}" = "--record" ]; then
    record=1
    shift
fi
if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -d "$2/lanes" ]; then
    echo "usage: $0 [--record] GATECV_FUSE ORACLE_DIR (with ORACLE_DIR/lanes/*/)" >&2
    exit 2
fi
fuse=$1
oracle=$2
baseline=$oracle/baseline
mkdir -p "$baseline"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Events with their random event_id blanked: everything else must match.
normalise() {
    sed -E 's/"event_id":[[:space:]]*"[0-9a-f-]{36}"/"event_id":"-"/g' "$1"
}

logs=0 events=0 differ=0
for lane in "$oracle"/lanes/*/; do
    name=$(basename "$lane")
    obs=$lane/replay-out/observations.tsv
    if [ ! -s "$obs" ]; then
        echo "$name: no observation log ($obs): skipped" >&2
        continue
    fi
    out=$work/$name
    # gatecv-fuse exits 1 when it skipped a line it could not parse: that is compared too
    rc=0
    "$fuse" --config "$lane/lane.conf" --observations "$obs" --out "$out" \
        >"$out.stdout" 2>"$out.stderr" || rc=$?
    echo "exit $rc" >>"$out.stdout"
    normalise "$out/events.jsonl" >"$out.events"
    logs=$((logs + 1))
    n=$(wc -l <"$out.events")
    events=$((events + n))
    if [ $record = 1 ]; then
        cp "$out.events" "$baseline/$name.events.jsonl"
        cp "$out.stdout" "$baseline/$name.stdout"
        echo "$name: $n events recorded"
    elif [ ! -f "$baseline/$name.events.jsonl" ] || [ ! -f "$baseline/$name.stdout" ]; then
        differ=$((differ + 1))
        echo "$name: no baseline in $baseline (record one with --record)"
    elif cmp -s "$out.events" "$baseline/$name.events.jsonl" &&
        cmp -s "$out.stdout" "$baseline/$name.stdout"; then
        echo "$name: $n events, identical"
    else
        differ=$((differ + 1))
        echo "$name: DIFFERENT from the baseline"
        diff "$baseline/$name.events.jsonl" "$out.events" | head -n 20 || true
        diff "$baseline/$name.stdout" "$out.stdout" | head -n 20 || true
    fi
done
if [ $logs = 0 ]; then
    echo "no observation logs under $oracle/lanes" >&2
    exit 2
fi
echo "$logs logs, $events events: $([ $record = 1 ] && echo recorded ||
    { [ $differ = 0 ] && echo identical || echo "$differ logs differ"; })"
[ $differ = 0 ]

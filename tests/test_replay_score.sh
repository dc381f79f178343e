#!/usr/bin/env bash
# test_replay_score.sh — pins how gatecv-eval --replay scores events against a recording's
# ground truth (here a truth.json and an events.jsonl written by hand, --events, so no
# daemon runs): a vehicle is matched by an event of its direction around its line time;
# plates and codes count when the matched event holds them; an event matching no vehicle is
# a duplicate when another vehicle's time lies in it, else a phantom; a verified event with
# a text not its vehicle's is wrong-but-verified; --verbose names each of these.
set -u
eval_bin=$1
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
vehicle() { # vehicle ID DIRECTION CONDITION LINE-S PLATE CODE
    printf '{"id":%d,"kind":"truck","direction":"%s","condition":"%s","tripwire_s":%s,"tripwire_clear_s":%s,' \
        "$1" "$2" "$3" "$4" "$4"
    printf '"plates":[{"text":"%s","position":"front"}],"containers":[{"code":"%s"}]}' "$5" "$6"
}
{
    printf '{"vehicles":['
    vehicle 1 VN_TO_CN day 10.0 51F44614 MSKU1234565; printf ','
    vehicle 2 VN_TO_CN night 30.0 29C12345 TGHU7654321; printf ','
    vehicle 3 CN_TO_VN day 50.0 桂F12345 CSQU3054383
    printf ']}\n'
} > "$dir/truth.json"
event() { # event SEQ DIRECTION ENTER-S EXIT-S STATUS PLATE CODE
    printf '{"seq":%d,"direction":"%s","ts_enter":"2000-01-01T00:00:%02d.000Z","ts_exit":"2000-01-01T00:00:%02d.000Z",' \
        "$1" "$2" "$3" "$4"
    printf '"vehicle":{"plates":[{"text":"%s"}]},"containers":[{"code":"%s"}],"verification":{"status":"%s","reasons":[]}}\n' \
        "$6" "$7" "$5"
}
{
    event 1 VN_TO_CN 8 12 verified 51F44614 MSKU1234565      # vehicle 1, all right
    event 2 VN_TO_CN 29 31 verified 29C12345 MSKU1234565     # vehicle 2, another's code: wrong
    event 3 VN_TO_CN 28 33 needs_review 29C12345 TGHU7654321 # vehicle 2 again: a duplicate
    event 4 VN_TO_CN 40 42 needs_review 99X99999 TGHU7654321 # no vehicle there: a phantom
    # vehicle 3 (CN_TO_VN at 50 s) has no event: missed
} > "$dir/events.jsonl"

out=$("$eval_bin" --replay "$dir" --events "$dir/events.jsonl" --verbose --report "$dir/report.json" 2>&1); rc=$?
[ $rc -eq 0 ]; check "scoring exits 0" $? "rc=$rc $out"
echo "$out" | grep -Eq "vehicles detected +2/3 "; check "two of three vehicles detected" $? "$out"
echo "$out" | grep -Eq "duplicate crossings +1$"; check "one duplicate" $? "$out"
echo "$out" | grep -Eq "phantom crossings +1$"; check "one phantom" $? "$out"
echo "$out" | grep -Eq "plates exact, day +1/2 "; check "day plates: vehicle 1's, not missed vehicle 3's" $? "$out"
echo "$out" | grep -Eq "plates exact, night +1/1 "; check "night plate" $? "$out"
echo "$out" | grep -Eq "container codes exact +1/3 "; check "codes: only vehicle 1's" $? "$out"
echo "$out" | grep -Eq "wrong-but-verified +1$"; check "the verified event with another's code" $? "$out"
echo "$out" | grep -q "vehicle 2 .*VERIFIED WITH A TEXT NOT ITS OWN; lacks TGHU7654321"; check "verbose: the wrong one" $? "$out"
echo "$out" | grep -q "vehicle 3 .*missed (no event; its texts: 桂F12345 CSQU3054383)"; check "verbose: the missed one" $? "$out"
echo "$out" | grep -q "event 3 .*a duplicate"; check "verbose: the duplicate" $? "$out"
echo "$out" | grep -q "event 4 .*a phantom; 99X99999 TGHU7654321"; check "verbose: the phantom" $? "$out"
echo "$out" | grep -q "vehicle 1 "; [ $? -ne 0 ]; check "verbose: nothing about a vehicle read right" $? "$out"
grep -q '"wrong_verified" : 1' "$dir/report.json"; check "the report has it" $? "$(cat "$dir/report.json")"

out=$("$eval_bin" --replay "$dir/none" --events "$dir/events.jsonl" --report "$dir/r2.json" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "truth.json"; check "a missing truth.json names it, exit 1" $? "rc=$rc $out"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

#!/usr/bin/env bash
# test_triggers.sh — pins the lane's presence sensor over the request endpoint with a real
# gatecvd replaying a short generated lane (two cameras, two trucks) at its own rate:
#   1. gatecv-sub --trigger present|gone [--at TIME] is answered; the reports reach the
#      fusion on the stream's time line (the observation log has them at at - start-time);
#   2. the sensor, told of the first truck only, makes the second one's event say
#      trigger_saw_no_vehicle (not dropped: its plate was read), and the first's not;
#   3. a bad state is a usage error, a bad "at" an error reply naming it, and a lane without
#      [trigger] source=request answers a trigger with an error naming the setting;
#   4. [trigger] source=request without [bus], or source=gpio on a missing chip, stops
#      start-up (exit 2) naming the key; a path that is no GPIO chip is named at start;
#   5. source=gpio: the line's level at start and each edge reach the fusion, on the live
#      cameras' clock, as lines of --observations (the GPIO chip is GPIOD_SHIM, a test double
#      preloaded in front of libgpiod: no machine here has a GPIO chip).
#
#   test_triggers.sh GATECVD GATECV_SUB GATECV_SCENEGEN BUS_PROBE GPIOD_SHIM
set -u
daemon=$1; sub=$2; scenegen=$3; probe=$4; shim=$5
py=/usr/bin/python3
. "$(dirname "$0")/harness.sh" # check, $dir, pids, wait_for

read -r pub req < <($py -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
out=$("$scenegen" --out "$dir/lane" --seed 5 --vehicles 2 --size 640x360 --cameras front,side-left 2>&1)
check "the lane is generated" $? "$out"
start=2026-12-03T18:00:00Z
bus=$(printf '[bus]\npublish=tcp://127.0.0.1:%s\nrequest=tcp://127.0.0.1:%s\ninsecure=true\n' "$pub" "$req")
{ cat "$dir/lane/lane.conf"; echo "$bus"; printf '[trigger]\nsource=request\n'; } > "$dir/trig.conf"

# --- 4. start-up errors -------------------------------------------------------------------
{ cat "$dir/lane/lane.conf"; printf '[trigger]\nsource=request\n'; } > "$dir/nobus.conf"
msg=$("$daemon" --config "$dir/nobus.conf" --out "$dir/o1" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "\[trigger\] source: source=request .*add a \[bus\] group"
check "source=request without [bus]: exit 2 naming it" $? "rc=$rc $msg"
{ cat "$dir/lane/lane.conf"; printf '[trigger]\nsource=gpio\ngpio_chip=/dev/gpiochip-none\ngpio_line=3\n'; } > "$dir/nochip.conf"
msg=$("$daemon" --config "$dir/nochip.conf" --out "$dir/o2" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "\[trigger\] gpio_chip: no such device: /dev/gpiochip-none"
check "a missing GPIO chip: exit 2 naming it" $? "rc=$rc $msg"
{ cat "$dir/lane/lane.conf"; printf '[trigger]\nsource=gpio\ngpio_chip=/dev/null\ngpio_line=3\n'; } > "$dir/notchip.conf"
msg=$(timeout 60 "$daemon" --config "$dir/notchip.conf" --out "$dir/o3" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "gpio_chip=/dev/null gpio_line=3: cannot open it as a GPIO chip"
check "a path that is no GPIO chip: exit 2 naming it" $? "rc=$rc $msg"

# --- 1-3. a running lane ---------------------------------------------------------------
"$daemon" --config "$dir/trig.conf" --out "$dir/out" --realtime --start-time "$start" \
    --observations "$dir/obs.tsv" --keep-serving >"$dir/daemon.out" 2>"$dir/daemon.err" &
pids+=("$!")
wait_for 60 "$sub" --request "tcp://127.0.0.1:$req" --status >/dev/null
check "the daemon answers" $? "$(tail -5 "$dir/daemon.err")"

# the first truck's time on the line, as the generator knows it, in wall-clock time
read -r on off < <($py -c '
import json, sys
v = json.load(open(sys.argv[1]))["vehicles"][0]
print(v["tripwire_s"], v["tripwire_clear_s"])' "$dir/lane/truth.json")
at() { $py -c 'import datetime, sys; t = datetime.datetime(2026, 12, 3, 18, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=float(sys.argv[1])); print(t.isoformat(timespec="milliseconds").replace("+00:00", "Z"))' "$1"; }
r1=$("$sub" --request "tcp://127.0.0.1:$req" --trigger present --at "$(at "$on")" --json 2>&1)
r1rc=$?
r2=$("$sub" --request "tcp://127.0.0.1:$req" --trigger gone --at "$(at "$off")" --json 2>&1)
[ $r1rc -eq 0 ] && [ $? -eq 0 ] && echo "$r1$r2" | grep -q '"state":"present"' && echo "$r2" | grep -q '"state":"gone"'
check "trigger requests are answered with their state" $? "$r1 / $r2"

msg=$("$sub" --request "tcp://127.0.0.1:$req" --trigger parked 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$msg" | grep -q "\-\-trigger: expected present or gone"
check "a bad state is a usage error" $? "rc=$rc $msg"
printf '{"request":"trigger","state":"present","at":"yesterday"}' > "$dir/bad-at.json"
reply=$("$probe" "tcp://127.0.0.1:$req" "$dir/bad-at.json")
echo "$reply" | grep -q 'trigger: \\"at\\" must be an RFC 3339 time'
check "a bad \"at\" gets an error reply naming it" $? "$reply"

wait_for 180 grep -q "every camera has ended" "$dir/daemon.err"
check "the replay ends" $? "$(tail -5 "$dir/daemon.err")"
kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null

expect=$($py -c 'import sys; print("%.2f %.2f" % (float(sys.argv[1]), float(sys.argv[2])))' "$on" "$off")
got=$(awk -F'\t' '$1 == "trigger" { printf "%s%.2f", sep, $2; sep = " " }' "$dir/obs.tsv")
[ "$got" = "$expect" ]
check "the reports are in the observation log at their stream times" $? "got '$got', expected '$expect'"

$py - "$dir/out/events.jsonl" > "$dir/finals" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["final"]:
        print(e["verification"]["status"], ",".join(e["verification"]["reasons"]) or "-")
PY
n=$(wc -l < "$dir/finals")
[ "$n" = 2 ] && ! sed -n 1p "$dir/finals" | grep -q trigger_saw_no_vehicle &&
    sed -n 2p "$dir/finals" | grep -q "needs_review .*trigger_saw_no_vehicle"
check "the truck the sensor did not report says so; the one it did does not" $? "$(cat "$dir/finals")"

# --- 3. a lane that takes no triggers ----------------------------------------------------
{ cat "$dir/lane/lane.conf"; echo "$bus"; } > "$dir/plain.conf"
"$daemon" --config "$dir/plain.conf" --out "$dir/out-plain" --keep-serving >/dev/null 2>&1 &
pids+=("$!")
wait_for 60 "$sub" --request "tcp://127.0.0.1:$req" --status >/dev/null
msg=$("$sub" --request "tcp://127.0.0.1:$req" --trigger present 2>&1); rc=$?
[ $rc -eq 4 ] && echo "$msg" | grep -q "takes no trigger requests .*\[trigger\] source=request"
check "a lane without [trigger] refuses a trigger, naming the setting" $? "rc=$rc $msg"

# --- 5. a GPIO line -----------------------------------------------------------------------
# the shim's edges: each "1" or "0" written to the FIFO (held open here, read and write, so
# that the daemon never sees its end)
mkfifo "$dir/gpio.fifo"; exec 3<>"$dir/gpio.fifo"
touch "$dir/gpiochip0"
{ cat "$dir/lane/lane.conf"; printf '[trigger]\nsource=gpio\ngpio_chip=%s\ngpio_line=3\nactive_low=true\n' \
    "$dir/gpiochip0"; } > "$dir/gpio.conf"
LD_PRELOAD="$shim" GPIOD_SHIM_FIFO="$dir/gpio.fifo" GPIOD_SHIM_LEVEL=0 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    "$daemon" --config "$dir/gpio.conf" --out "$dir/out-gpio" --realtime \
    --observations "$dir/obs-gpio.tsv" >/dev/null 2>"$dir/gpio.err" &
gpio_pid=$!; pids+=("$gpio_pid")
wait_for 120 grep -q "lane trigger: GPIO .* line 3 (active low), a vehicle not present now" "$dir/gpio.err"
check "the GPIO line is opened and its level said" $? "$(tail -5 "$dir/gpio.err")"
# the edges once frames flow (the main loop, which reads them, runs by then): the shim stamps
# an edge when it is read, as the kernel does when it happens
wait_for 60 grep -q '^[0-9]' "$dir/obs-gpio.tsv"
printf 1 >&3; sleep 1.5; printf 0 >&3
wait "$gpio_pid"; rc=$?
exec 3>&-
got=$(awk -F'\t' '$1 == "trigger" { printf "%s%s", sep, $3; sep = " " }' "$dir/obs-gpio.tsv")
gap=$(awk -F'\t' '$1 == "trigger" && $3 == "present" { p = $2 } $1 == "trigger" && $3 == "gone" && p { printf "%.1f", $2 - p; exit }' "$dir/obs-gpio.tsv")
[ $rc -eq 0 ] && [ "$got" = "gone present gone" ] && awk -v g="$gap" 'BEGIN { exit !(g >= 1.0 && g <= 3.0) }'
check "the level at start and each edge reach the observation log, 1.5 s apart" $? "rc=$rc got '$got' gap '$gap' $(tail -3 "$dir/gpio.err")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

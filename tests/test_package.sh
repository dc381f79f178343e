#!/usr/bin/env bash
# test_package.sh — pins the Debian package (make package, packaging/): it is built by CPack
# from a packaging build of this tree, unpacked with dpkg-deb -x into a scratch root (no root
# rights, nothing installed on the machine), and what it installs works from there:
#   1. its control data: Depends names the GStreamer plugin packages and the libraries
#      dpkg-shlibdeps found, the default config is a conffile, postinst adds the system user;
#   2. its files: the programs, the plugin in GStreamer's plugin folder, the models, the
#      config, the unit, the copyright file with the models' Apache-2.0 notice; no test or
#      benchmark program;
#   3. the unit verifies cleanly (systemd-analyze, when there is one) and asks for the
#      watchdog, restart on failure and the hardening, with write access to the journal only;
#   4. the installed gatecvd, started on the installed default config (its paths moved into
#      the scratch folder), says READY=1 and then WATCHDOG=1 over NOTIFY_SOCKET as under
#      systemd, and stops on SIGTERM with exit 0;
#   5. the installed gatecvd replays a generated lane with the installed plugin and models,
#      and the installed gatecv-sub receives every event over CurveZMQ.
#
#   test_package.sh SOURCE_DIR PACKAGE_BUILD_DIR MODEL_DIR GATECV_SCENEGEN CMAKE
set -u
src=$1; pkg_build=$2; models=$3; scenegen=$4; cmake=$5
. "$(dirname "$0")/harness.sh" # check, $dir, pids, wait_for

# --- the package, as make package builds it ----------------------------------------------
"$cmake" -S "$src" -B "$pkg_build" -DGATECV_PACKAGE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGATECV_MODEL_DIR="$models" >"$dir/build.log" 2>&1 &&
    rm -f "$pkg_build"/gatecv_*.deb &&
    "$cmake" --build "$pkg_build" -j 2 --target package >>"$dir/build.log" 2>&1
check "the package builds" $? "$(tail -n 20 "$dir/build.log")"
debs=("$pkg_build"/gatecv_*_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]; check "one gatecv_VERSION_ARCH.deb" $? "${debs[*]}"
deb=${debs[0]}
[ -f "$deb" ] || { echo "$passed passed, $failed failed"; exit 1; }

# --- 1. control data -----------------------------------------------------------------------
depends=$(dpkg-deb -f "$deb" Depends)
for p in gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
         gstreamer1.0-libav tesseract-ocr-eng adduser; do
    echo "$depends" | grep -q "\b$p\b"; check "Depends names $p" $? "$depends"
done
if command -v dpkg-shlibdeps >/dev/null; then
    for p in libzmq5 libczmq4 libopencv-dnn406 libgstreamer1.0-0 libtesseract5 libsystemd0; do
        echo "$depends" | grep -q "\b$p\b"; check "Depends names $p (dpkg-shlibdeps)" $? "$depends"
    done
fi
dpkg-deb -e "$deb" "$dir/control"
grep -qx /etc/gatecv/lane.conf "$dir/control/conffiles"; check "the default config is a conffile" $? "$(cat "$dir/control/conffiles" 2>&1)"
grep -q "adduser --system .*gatecv" "$dir/control/postinst"; check "postinst adds the gatecv system user" $? ""
for s in postinst prerm postrm; do
    [ -x "$dir/control/$s" ] && sh -n "$dir/control/$s"; check "$s is an executable shell script" $? ""
done

# --- 2. files --------------------------------------------------------------------------------
plugins_dir=$(pkg-config --variable=pluginsdir gstreamer-1.0)
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$dir/files"
for f in /usr/bin/gatecvd /usr/bin/gatecv-sub /usr/bin/gatecv-keygen /usr/bin/gatecv-read \
         /usr/bin/gatecv-eval /usr/bin/gatecv-fuse "$plugins_dir/libgstgatecv.so" \
         /usr/share/gatecv/models/det.onnx /usr/share/gatecv/models/rec.onnx \
         /usr/share/gatecv/models/rec-96.onnx /usr/share/gatecv/models/keys.txt \
         /etc/gatecv/lane.conf /lib/systemd/system/gatecvd.service /usr/share/doc/gatecv/copyright; do
    grep -qx "$f" "$dir/files"; check "the package holds $f" $? ""
done
extra=$(grep -E '/(test_[a-z_]*|bus_probe|gatecv-(bench|lanebench|busbench|stillgen|scenegen))$' "$dir/files")
[ -z "$extra" ]; check "no test or benchmark program" $? "$extra"

root=$dir/root
dpkg-deb -x "$deb" "$root"; check "dpkg-deb -x unpacks it" $? ""
copyright=$root/usr/share/doc/gatecv/copyright
grep -q "^Format: .*copyright-format/1.0" "$copyright" && grep -q "^License: LGPL-2.1+$" "$copyright" &&
    grep -q "^Files: build/models/\*" "$copyright" && grep -q "^License: Apache-2.0$" "$copyright" &&
    grep -q "/usr/share/common-licenses/Apache-2.0" "$copyright" && grep -q "PaddlePaddle" "$copyright"
check "the copyright file: LGPL-2.1+, and the models' Apache-2.0 notice" $? "$(head -n 20 "$copyright")"

# --- 3. the unit -----------------------------------------------------------------------------
unit=$root/lib/systemd/system/gatecvd.service
for line in Type=notify Restart=on-failure "WatchdogSec=[1-9][0-9]*" ProtectSystem=strict \
            NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes User=gatecv \
            "ReadWritePaths=/var/lib/gatecv" "ExecStart=/usr/bin/gatecvd .*--out /var/lib/gatecv\b.*"; do
    grep -qx "$line" "$unit"; check "the unit says $line" $? "$(grep -v '^#' "$unit")"
done
n_rw=$(grep -c "^ReadWritePaths=" "$unit")
[ "$n_rw" -eq 1 ]; check "one ReadWritePaths line" $? "$n_rw"
grep -qx "dir=/var/lib/gatecv/journal" "$root/etc/gatecv/lane.conf"
check "the default config journals under /var/lib/gatecv" $? ""
if command -v systemd-analyze >/dev/null; then
    # The unit as installed, but starting the unpacked gatecvd (verify checks it runs).
    mkdir -p "$dir/unit"
    sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" "$unit" > "$dir/unit/gatecvd.service"
    out=$(systemd-analyze verify --man=no "$dir/unit/gatecvd.service" 2>&1); rc=$?
    [ $rc -eq 0 ] && [ -z "$out" ]; check "systemd-analyze verify: no complaint" $? "rc=$rc $out"
else
    echo "note: no systemd-analyze: the unit is not verified"
fi

# --- the installed programs, from the scratch root ----------------------------------------
export GST_PLUGIN_PATH=$root$plugins_dir
export GST_REGISTRY=$dir/registry.bin
export GATECV_MODEL_DIR=$root/usr/share/gatecv/models
bin=$root/usr/bin
out=$(ldd "$bin/gatecvd" 2>&1)
echo "$out" | grep -q "libgatecvgstmeta.so => $root/usr/bin/../lib/.*/gatecv/libgatecvgstmeta.so" &&
    ! echo "$out" | grep -q "not found"
check "gatecvd finds the package's own library in the package" $? "$out"
out=$("$bin/gatecvd" --help 2>&1)
echo "$out" | grep -q "else /usr/share/gatecv/models)"; check "gatecvd's own default model folder is the package's" $? "$out"
out=$(gst-inspect-1.0 gatecv 2>&1)
echo "$out" | grep -Eq "Filename +$root$plugins_dir/libgstgatecv.so"; check "GStreamer loads the package's plugin" $? "$out"

# A NOTIFY_SOCKET as systemd gives a Type=notify service: every datagram, one a line.
notify_listen() { # notify_listen SOCKET LOG
    /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")' "$1" "$2" &
    pids+=($!)
    wait_for 10 test -S "$1"
}
port=$((20000 + RANDOM % 20000))
"$bin/gatecv-keygen" --dir "$dir/keys" box >/dev/null && "$bin/gatecv-keygen" --dir "$dir/keys" ops >/dev/null
check "the installed gatecv-keygen makes key pairs" $? "$(ls "$dir/keys" 2>&1)"
mkdir -p "$dir/keys/allowed"; cp "$dir/keys/ops.key" "$dir/keys/allowed/"

# --- 4. the default config, under a systemd-like NOTIFY_SOCKET ----------------------------
# Its cameras point at a closed port on loopback: live cameras that are down and retried.
sed -e "s|/etc/gatecv/keys|$dir/keys|; s|/var/lib/gatecv|$dir/state|" \
    -e "s|^uri=rtsp://[^/]*/|uri=rtsp://127.0.0.1:1/|" \
    -e "s|^publish=.*|publish=tcp://127.0.0.1:$port|; s|^request=.*|request=tcp://127.0.0.1:$((port + 1))|" \
    -e "s|^listen=.*|listen=127.0.0.1:$((port + 4))|" \
    "$root/etc/gatecv/lane.conf" > "$dir/default.conf"
notify_listen "$dir/notify-default.sock" "$dir/notify-default.log"
NOTIFY_SOCKET=$dir/notify-default.sock WATCHDOG_USEC=400000 \
    "$bin/gatecvd" --config "$dir/default.conf" --out "$dir/state" --print summary 2>"$dir/default.log" >/dev/null &
daemon=$!; pids+=("$daemon")
ready_or_gone() { grep -q "READY=1" "$dir/notify-default.log" || ! kill -0 "$daemon"; }
wait_for 120 ready_or_gone
grep -q "READY=1" "$dir/notify-default.log"
check "on the default config: READY=1" $? "$(tail -n 5 "$dir/default.log")"
wait_for 10 bash -c "[ \$(grep -c '^WATCHDOG=1' '$dir/notify-default.log') -ge 3 ]"
check "then WATCHDOG=1, every 0.2 s of a 0.4 s watchdog" $? "$(cat "$dir/notify-default.log")"
out=$(curl -s "http://127.0.0.1:$((port + 4))/metrics")
echo "$out" | grep -q '^gatecv_camera_up{'; check "the default config serves /metrics" $? "$(echo "$out" | head -3)"
kill -TERM "$daemon"; wait "$daemon"; rc=$?
[ $rc -eq 0 ]; check "SIGTERM: exit 0" $? "rc=$rc $(tail -n 5 "$dir/default.log")"
grep -q "STOPPING=1" "$dir/notify-default.log"; check "STOPPING=1 on SIGTERM" $? "$(tail -n 3 "$dir/notify-default.log")"
[ -d "$dir/state/journal" ]; check "the journal is in the config's journal folder" $? "$(ls "$dir/state" 2>&1)"

# --- 5. a recorded lane through the installed gatecvd to the installed gatecv-sub -----------
"$scenegen" --out "$dir/lane" --seed 5 --vehicles 2 --size 640x360 --cameras front,side-left >/dev/null 2>&1
check "the lane is generated" $? "$(ls "$dir/lane" 2>&1)"
pub=tcp://127.0.0.1:$((port + 2)); req=tcp://127.0.0.1:$((port + 3))
{ cat "$dir/lane/lane.conf"
  printf '[fusion]\nread_interval=10\n[bus]\npublish=%s\nrequest=%s\nserver_key=%s\nallowed_keys=%s\n' \
      "$pub" "$req" "$dir/keys/box.key_secret" "$dir/keys/allowed"; } > "$dir/lane.conf"
"$bin/gatecv-sub" --connect "$pub" --request "$req" --server-key "$dir/keys/box.key" \
    --key "$dir/keys/ops.key_secret" --from-seq 1 --json >"$dir/sub.out" 2>"$dir/sub.err" &
sub=$!; pids+=("$sub")
notify_listen "$dir/notify-lane.sock" "$dir/notify-lane.log"
NOTIFY_SOCKET=$dir/notify-lane.sock timeout 600 "$bin/gatecvd" --config "$dir/lane.conf" \
    --out "$dir/out" --start-time 2026-11-23T18:30:00Z >/dev/null 2>"$dir/lane.log"
rc=$?
[ $rc -eq 0 ]; check "the installed gatecvd replays the lane, exit 0" $? "rc=$rc $(tail -n 5 "$dir/lane.log")"
grep -q "READY=1" "$dir/notify-lane.log"; check "a replay says READY=1 too" $? "$(cat "$dir/notify-lane.log")"
n=$(wc -l < "$dir/out/events.jsonl" 2>/dev/null || echo 0)
[ "$n" -ge 2 ]; check "events were journaled" $? "n=$n"
received() { [ "$(grep -cP '^crossing\t' "$dir/sub.out")" -ge "$n" ]; }
wait_for 30 received
kill -TERM "$sub"; wait "$sub"; rc=$?
seqs=$(grep -P '^crossing\t' "$dir/sub.out" | cut -f2 | /usr/bin/python3 -c '
import json, sys
print(" ".join(str(json.loads(l)["seq"]) for l in sys.stdin))')
[ "$n" -ge 1 ] && [ "$seqs" = "$(seq -s ' ' 1 "$n")" ]; check "the installed gatecv-sub received every event, in order" $? "got '$seqs', want 1..$n; $(cat "$dir/sub.err")"
[ $rc -eq 0 ]; check "gatecv-sub checked every evidence checksum and exits 0" $? "rc=$rc $(cat "$dir/sub.err")"
plates=$(grep -P '^crossing\t' "$dir/sub.out" | cut -f2 | /usr/bin/python3 -c '
import json, sys
print(sum(len(json.loads(l)["vehicle"]["plates"]) for l in sys.stdin))')
[ "${plates:-0}" -ge 1 ]; check "the events carry plates read with the installed models" $? "plates=$plates"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

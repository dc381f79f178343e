#!/usr/bin/env bash
# test_gst_inspect.sh — pins what an engineer sees of the gatecv GStreamer plugin from the
# command line: gst-inspect-1.0 finds it through GST_PLUGIN_PATH with its three elements,
# its licence (LGPL, as GStreamer's own plugins) and every documented property, and the
# README's gst-launch-1.0 line runs to the end on a small H.264 file made here.
#
# usage: test_gst_inspect.sh PLUGIN_DIR MODEL_DIR
set -u
plugin_dir=$1; model_dir=$2
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GST_PLUGIN_PATH=$plugin_dir
export GST_REGISTRY=$tmp/registry.bin   # a private registry: the user's cache is not touched
export GATECV_MODEL_DIR=$model_dir
# A plugin built with AddressSanitizer needs the ASan runtime loaded first in the (not
# instrumented) GStreamer tools; their own one-time allocations are not ours to report.
asan=$(ldd "$plugin_dir/libgstgatecv.so" 2>/dev/null | awk '/libasan/ { print $3 }')
if [ -n "$asan" ]; then
    export LD_PRELOAD=$asan ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi

out=$(gst-inspect-1.0 gatecv 2>&1); rc=$?
check "gst-inspect-1.0 finds the plugin" $rc "$out"
for e in gatemotion gateplate gatecontainer; do
    echo "$out" | grep -q "^  $e: "; check "the plugin lists $e" $? "$out"
done
echo "$out" | grep -Eq "^  License +LGPL$"; check "the plugin declares the LGPL (LICENSE)" $? "$out"

props() { # props ELEMENT: its own property names, one a line
    gst-inspect-1.0 "$1" 2>&1 | sed -n '/^Element Properties:/,$p' |
        sed -n 's/^  \([a-z][a-z-]*\) *: .*/\1/p'
}
expect() { # expect ELEMENT PROPERTY...
    local element=$1; shift
    local have; have=$(props "$element")
    for p in "$@"; do
        echo "$have" | grep -qx "$p"; check "$element has property $p" $? "$have"
    done
}
expect gatemotion roi threshold min-fraction learning-rate hold-frames
expect gateplate model-dir interval gate roi det-size plates ocr threads
expect gatecontainer model-dir interval gate roi det-size ocr threads
props gatecontainer | grep -qx plates; [ $? -ne 0 ]
check "gatecontainer has no plates property" $? ""

out=$(gst-inspect-1.0 gateplate 2>&1)
echo "$out" | grep -q 'Range: 1 - 1000 Default: 5'
check "interval shows range and default" $? "$out"
echo "$out" | grep -q 'Default: "vn,cn,generic"'; check "plates shows its default" $? "$out"
echo "$out" | grep -q '(1): tesseract'; check "ocr lists its values" $? "$out"

# The README's line, over a small file.
out=$(gst-launch-1.0 -q videotestsrc num-buffers=50 ! x264enc ! matroskamux ! \
      filesink location="$tmp/lane.mkv" 2>&1); rc=$?
check "make a small H.264 file" $rc "$out"
out=$(gst-launch-1.0 filesrc location="$tmp/lane.mkv" ! decodebin ! videoconvert ! \
      video/x-raw,format=BGR ! gatemotion roi=0,200,1280,520 ! gateplate interval=5 ! \
      fakesink 2>&1); rc=$?
check "the README pipeline runs" $rc "$out"
echo "$out" | grep -q "Got EOS"; check "the README pipeline reaches the end" $? "$out"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

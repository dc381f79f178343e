#!/usr/bin/env bash
# test_calib_cli.sh — pins gatecv-calib: from chessboard views of a known camera
# (gatecv-chessgen), as images or as a video, `intrinsics` recovers fx, fy, cx, cy within 2 %
# with an RMS reprojection error under 1 px, and refuses too few views; `lane` adds the lane's
# geometry and refuses a tripwire outside the image naming the field; `draw` writes a PNG of
# the frame's size;
# --help documents every option; bad options exit 2.
set -u
calib=$1; chessgen=$2
. "$(dirname "$0")/harness.sh" # check, $dir

truth=$("$chessgen" --out "$dir/views"); rc=$?
check "chessgen writes views" $rc "$truth"
out=$("$calib" intrinsics --board 9x6 --square-mm 25 -o "$dir/cam.yml" "$dir"/views/*.png 2>&1); rc=$?
check "intrinsics from 12 views" $rc "$out"
within() { # within NAME TRUE TEXT PERCENT
    awk -v name="$1" -v want="$2" -v pct="$4" '{ for (i = 1; i <= NF; i++) { split($i, kv, "=");
        if (kv[1] == name) { d = kv[2] - want; if (d < 0) d = -d; exit !(d <= want * pct / 100) } } exit 1 }' <<<"$3"
}
for k in fx fy cx cy; do
    want=$(tr ' ' '\n' <<<"$truth" | awk -F= -v k=$k '$1 == k { print $2 }')
    within $k "$want" "$out" 2; check "intrinsics: $k within 2 % of $want" $? "$out"
done
rms=$(grep -o 'rms=[0-9.]*' <<<"$out" | cut -d= -f2)
awk -v r="$rms" 'BEGIN { exit !(r > 0 && r < 1) }'; check "intrinsics: RMS under 1 px" $? "$out"
grep -q "image_width: 640" "$dir/cam.yml" && grep -q "camera_matrix: !!opencv-matrix" "$dir/cam.yml"
check "intrinsics: the file holds size and matrix" $? "$(cat "$dir/cam.yml")"

gst-launch-1.0 -q multifilesrc location="$dir/views/view-%02d.png" index=0 stop-index=11 caps="image/png,framerate=2/1" \
    ! pngdec ! videoconvert ! video/x-raw,format=I420 ! x264enc speed-preset=ultrafast ! matroskamux \
    ! filesink location="$dir/board.mkv"
out=$("$calib" intrinsics --board 9x6 --square-mm 25 --video "$dir/board.mkv" --every 1 -o "$dir/video.yml" 2>&1); rc=$?
[ $rc = 0 ] && grep -q "views=12 of 12" <<<"$out" && within fx 600 "$out" 2 && within cy 240 "$out" 2
check "intrinsics from a video of the views" $? "rc=$rc $out"

out=$("$calib" intrinsics --board 9x6 --square-mm 25 -o "$dir/few.yml" "$dir"/views/view-0[0-2].png 2>&1); rc=$?
[ $rc = 1 ] && grep -q "found in 3 of 3 views; at least 5 are needed" <<<"$out" && [ ! -e "$dir/few.yml" ]
check "intrinsics: too few views refused" $? "rc=$rc $out"
out=$("$calib" intrinsics --board 9x6 --square-mm 25 -o "$dir/x.yml" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "give chessboard IMAGE files or --video FILE" <<<"$out"; check "intrinsics: no views is a usage error" $? "rc=$rc $out"
out=$("$calib" intrinsics --board 9 --square-mm 25 -o "$dir/x.yml" a.png 2>&1); rc=$?
[ $rc = 2 ] && grep -q "\-\-board COLSxROWS" <<<"$out"; check "intrinsics: a bad --board is a usage error" $? "rc=$rc $out"

out=$("$calib" lane --calib "$dir/cam.yml" --roi "20,100 620,100 620,460 20,460" --tripwire 320,480,320,0 \
      --metres-per-pixel 0.005 --plate-height 30 -o "$dir/lane.yml" 2>&1); rc=$?
check "lane: written" $rc "$out"
grep -q "roi_polygon:" "$dir/lane.yml" && grep -q "tripwire:" "$dir/lane.yml" && grep -q "camera_matrix" "$dir/lane.yml" \
    && grep -q "plate_height_px: 30" "$dir/lane.yml"
check "lane: the file keeps the intrinsics and adds the lane" $? "$(cat "$dir/lane.yml")"
out=$("$calib" lane --calib "$dir/cam.yml" --tripwire 320,481,320,0 -o "$dir/bad.yml" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "bad.yml: field tripwire: point 0 (320, 481) outside the 640x480 image" <<<"$out" && [ ! -e "$dir/bad.yml" ]
check "lane: a tripwire outside the image is refused, file and field named" $? "rc=$rc $out"
out=$("$calib" lane --image-size 640x480 --roi "1,1 2,2 3,3" -o "$dir/bad.yml" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "field roi_polygon: degenerate" <<<"$out"; check "lane: a degenerate ROI is refused" $? "rc=$rc $out"

out=$("$calib" draw --calib "$dir/lane.yml" --frame "$dir/views/view-00.png" -o "$dir/check.png" 2>&1); rc=$?
size=$(od -An -tu1 -j16 -N8 "$dir/check.png" 2>/dev/null | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 "x" $5*16777216 + $6*65536 + $7*256 + $8 }')
[ $rc = 0 ] && [ "$size" = "640x480" ]; check "draw: a PNG of the frame's size" $? "rc=$rc size=$size $out"
out=$("$calib" draw --calib "$dir/lane.yml" --frame "$dir/views/view-00.png" --undistorted -o "$dir/check-u.png" 2>&1); rc=$?
[ $rc = 0 ] && [ -s "$dir/check-u.png" ] && ! cmp -s "$dir/check.png" "$dir/check-u.png"
check "draw --undistorted: another picture" $? "rc=$rc $out"
gst-launch-1.0 -q videotestsrc num-buffers=2 ! video/x-raw,width=320,height=240 ! pngenc ! multifilesink location="$dir/small-%d.png"
out=$("$calib" draw --calib "$dir/lane.yml" --frame "$dir/small-0.png" -o "$dir/c2.png" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "lane.yml: field image_width: 640, but the camera's frames are 320x240" <<<"$out"
check "draw: a frame of another size is refused, file and field named" $? "rc=$rc $out"

help=$("$calib" lane --help 2>&1)
for opt in --calib --image-size --roi --tripwire --metres-per-pixel --plate-height --output; do
    grep -q -- "$opt" <<<"$help"; check "lane --help documents $opt" $? "$help"
done
help=$("$calib" intrinsics --help 2>&1)
for opt in --board --square-mm --video --every --min-views --output; do
    grep -q -- "$opt" <<<"$help"; check "intrinsics --help documents $opt" $? "$help"
done
out=$("$calib" frobnicate 2>&1); rc=$?
[ $rc = 2 ] && grep -q "unknown command 'frobnicate'" <<<"$out"; check "an unknown command exits 2" $? "rc=$rc $out"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

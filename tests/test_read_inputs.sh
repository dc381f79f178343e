#!/usr/bin/env bash
# test_read_inputs.sh — pins how gatecv-read treats bad input: an empty, truncated,
# non-image, missing or oversized file each gives one error line naming the file, the
# good images around them are still read, and the exit code is 1 at the end.
set -u
read_bin=$1; stillgen_bin=$2; model_dir=$3
passed=0; failed=0
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT

"$stillgen_bin" --out "$dir/set" --seed 3 --count 2 >/dev/null 2>&1
good=$(ls "$dir"/set/*/*.jpg | head -n 1)
: > "$dir/empty.jpg"
head -c 3000 "$good" > "$dir/truncated.jpg"
echo "this is not a picture" > "$dir/text.jpg"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x7f\xff\0\0\x7f\xff\x08\x02\0\0\0' > "$dir/huge.png"

out=$("$read_bin" --model-dir "$model_dir" "$dir/empty.jpg" "$good" "$dir/truncated.jpg" \
      "$dir/text.jpg" "$dir/missing.jpg" "$dir/huge.png" 2>"$dir/err"); rc=$?
err=$(cat "$dir/err")
[ $rc -eq 1 ]; check "exit code 1 when some files fail" $? "rc=$rc"
echo "$out" | grep -q "^$good "; check "the good image is still read" $? "$out"
[ "$(wc -l < "$dir/err")" -eq 5 ]; check "one error line per bad file" $? "$err"
echo "$err" | grep -q "empty.jpg: empty file"; check "empty file named" $? "$err"
echo "$err" | grep -q "truncated.jpg: truncated JPEG"; check "truncated file named" $? "$err"
echo "$err" | grep -q "text.jpg: not an image"; check "non-image named" $? "$err"
echo "$err" | grep -q "missing.jpg: cannot read"; check "missing file named" $? "$err"
echo "$err" | grep -q "huge.png: image is 32767x32767, over the limit"; check "oversized header refused before decoding" $? "$err"

out=$("$read_bin" --model-dir "$model_dir" --max-pixels 1000 "$good" 2>&1); rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "over the limit of 1000 pixels"
check "--max-pixels is honoured" $? "rc=$rc $out"

out=$("$read_bin" --model-dir "$model_dir" --json "$good" 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); assert d["file"] and isinstance(d["reads"], list)'
check "--json prints one parseable object per image" $? "rc=$rc $out"

"$read_bin" --ocr bogus "$good" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; check "a bad --ocr value exits 2" $? "rc=$rc"
"$read_bin" --plates vn,xx "$good" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; check "a bad --plates value exits 2" $? "rc=$rc"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

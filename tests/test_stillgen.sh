#!/usr/bin/env bash
# test_stillgen.sh — pins gatecv-stillgen's contract: the same seed gives byte-identical
# labels.tsv, meta.tsv and images; labels.tsv has the exact header and one line per image
# in the three kinds, every listed image exists; a longer run extends a shorter one; bad
# arguments are one line and exit 2. --kind and --layout make a set of only that kind and
# layout (a vertical-container set in one command), deterministically; bad values of
# either are rejected with exit 2 and a message naming the option and the allowed values.
set -u
bin=$1
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" --out "$work/a" --seed 7 --count 12 >"$work/a.out" 2>&1; rc=$?
check "first run exits 0" $rc "$(cat "$work/a.out")"
"$bin" --out "$work/b" --seed 7 --count 12 >"$work/b.out" 2>&1; rc=$?
check "second run exits 0" $rc "$(cat "$work/b.out")"

cmp -s "$work/a/labels.tsv" "$work/b/labels.tsv"; check "labels.tsv is byte-identical" $? ""
cmp -s "$work/a/meta.tsv" "$work/b/meta.tsv"; check "meta.tsv is byte-identical" $? ""
diff -r -q "$work/a" "$work/b" >/dev/null; check "images are identical" $? "$(diff -r -q "$work/a" "$work/b")"

header=$(head -n 1 "$work/a/labels.tsv")
[ "$header" = "$(printf 'relative_image_path\tkind\ttext_ground_truth')" ]
check "labels.tsv header" $? "$header"
lines=$(tail -n +2 "$work/a/labels.tsv" | wc -l)
[ "$lines" -eq 12 ]; check "12 data lines" $? "got $lines"
bad=$(tail -n +2 "$work/a/labels.tsv" |
      grep -Ev $'^(plate_vn|plate_cn|container)/[0-9]{6}\\.jpg\t(plate_vn|plate_cn|container)\t[^\t]+$')
bad+=$(tail -n +2 "$work/a/labels.tsv" | awk -F'\t' 'index($1, $2 "/") != 1')
[ -z "$bad" ]; check "every line is path, kind, text" $? "$bad"
for kind in plate_vn plate_cn container; do
    n=$(cut -f2 "$work/a/labels.tsv" | grep -c "^$kind\$")
    [ "$n" -eq 4 ]; check "4 images of $kind" $? "got $n"
done
missing=$(tail -n +2 "$work/a/labels.tsv" | cut -f1 | while read -r p; do [ -s "$work/a/$p" ] || echo "$p"; done)
[ -z "$missing" ]; check "every listed image exists" $? "$missing"
bad=$(grep -P '\tcontainer\t' "$work/a/labels.tsv" | grep -Ev $'\t[A-Z][A-Z][A-Z]U[0-9]{7}$')
[ -z "$bad" ]; check "container labels are 11-character codes" $? "$bad"
[ "$(head -n 1 "$work/a/meta.tsv")" = "$(printf 'relative_image_path\tsplit\tgroup\tnotes')" ]
check "meta.tsv header" $? "$(head -n 1 "$work/a/meta.tsv")"
[ "$(cut -f1 "$work/a/meta.tsv")" = "$(cut -f1 "$work/a/labels.tsv")" ]
check "meta.tsv lists the same images" $? ""
bad=$(tail -n +2 "$work/a/meta.tsv" | awk -F'\t' 'NF != 4 || $4 !~ /^(scene|crop_only);/')
[ -z "$bad" ]; check "meta notes start with scene or crop_only" $? "$bad"
tail -n 1 "$work/a.out" | grep -q "wrote 12 images"; check "final summary line" $? "$(cat "$work/a.out")"

"$bin" --out "$work/c" --seed 7 --count 15 >/dev/null 2>&1
[ "$(head -n 13 "$work/c/labels.tsv")" = "$(cat "$work/a/labels.tsv")" ]
check "a longer run extends a shorter one" $? ""
"$bin" --out "$work/d" --seed 8 --count 12 >/dev/null 2>&1
! cmp -s "$work/a/labels.tsv" "$work/d/labels.tsv"; check "another seed, other labels" $? ""

for args in "--seed 7 --count 3" "--out $work/e --count 3" "--out $work/e --seed 7" \
            "--out $work/e --seed x --count 3" "--out $work/e --seed 7 --count 0" \
            "--out $work/e --seed 7 --count 3 --size 12x" "--no-such-option"; do
    out=$("$bin" $args 2>&1); rc=$?
    [ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ]
    check "bad arguments ($args): one line, exit 2" $? "rc=$rc $out"
done
[ ! -e "$work/e" ]; check "bad arguments write nothing" $? ""

# --- one kind, one layout ---------------------------------------------------------------
"$bin" --out "$work/v1" --seed 5 --count 9 --kind container --layout vertical >"$work/v1.out" 2>&1
check "vertical set exits 0" $? "$(cat "$work/v1.out")"
"$bin" --out "$work/v2" --seed 5 --count 9 --layout vertical >/dev/null 2>&1
check "--layout vertical alone exits 0" $? ""
diff -r -q "$work/v1" "$work/v2" >/dev/null
check "--layout vertical implies --kind container, same files" $? "$(diff -r -q "$work/v1" "$work/v2")"
n=$(tail -n +2 "$work/v1/labels.tsv" | grep -c $'^container/[0-9]\{6\}\.jpg\tcontainer\t[A-Z]\{3\}U[0-9]\{7\}$')
[ "$n" -eq 9 ]; check "vertical set: 9 container images" $? "got $n: $(cat "$work/v1/labels.tsv")"
bad=$(tail -n +2 "$work/v1/meta.tsv" | cut -f4 |
      grep -Ev '^(scene|crop_only);(cluttered;)?vertical;(split;(serial_lower;)?)?(size_type=[0-9A-Z]{4};size_type_(below|beside);)?(post|door);yaw=-?[0-9]+;roll=-?[0-9]+;.*quad=(-?[0-9]+,){7}-?[0-9]+$')
[ -z "$bad" ]; check "vertical set: every note says vertical, its layout and a quad" $? "$bad"
grep -q ';split' "$work/v1/meta.tsv"; check "vertical set has split columns" $? ""
grep -v -q ';split' <(tail -n +2 "$work/v1/meta.tsv"); check "vertical set has single columns" $? ""
"$bin" --out "$work/v3" --seed 5 --count 9 --kind container --layout vertical >/dev/null 2>&1
diff -r -q "$work/v1" "$work/v3" >/dev/null; check "vertical set: same seed, same files" $? ""
"$bin" --out "$work/p" --seed 5 --count 6 --kind plate_cn --layout two_line >/dev/null 2>&1
check "plate_cn two_line set exits 0" $? ""
n=$(tail -n +2 "$work/p/labels.tsv" | cut -f2 | grep -c '^plate_cn$')
[ "$n" -eq 6 ]; check "--kind plate_cn: 6 plate_cn images" $? "got $n"
bad=$(tail -n +2 "$work/p/meta.tsv" | cut -f4 | grep -v ';two_line;')
[ -z "$bad" ]; check "--layout two_line: every plate is two-line" $? "$bad"
"$bin" --out "$work/h" --seed 5 --count 6 --kind container --layout one_line >/dev/null 2>&1
bad=$(tail -n +2 "$work/h/meta.tsv" | cut -f4 | grep -v ';horizontal;one_line')
[ -z "$bad" ]; check "--kind container --layout one_line: only one-line codes" $? "$bad"

for args in "--kind truck:--kind 'truck' is not one of plate_vn, plate_cn, container" \
            "--layout diagonal:--layout 'diagonal' is not one of one_line, two_line, vertical" \
            "--kind plate_vn --layout vertical:--layout vertical needs --kind container" \
            "--kind:Missing argument for --kind"; do
    opts=${args%%:*}; want=${args#*:}
    out=$("$bin" --out "$work/f" --seed 1 --count 2 $opts 2>&1); rc=$?
    [ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && [[ "$out" == *"$want"* ]]
    check "bad value ($opts): exit 2 naming the option" $? "rc=$rc $out"
done
[ ! -e "$work/f" ]; check "bad values write nothing" $? ""

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

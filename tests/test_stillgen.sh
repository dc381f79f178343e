#!/usr/bin/env bash
# test_stillgen.sh — pins gatecv-stillgen's contract: the same seed gives byte-identical
# labels.tsv, meta.tsv and images; labels.tsv has the exact header and one line per image
# in the three kinds, every listed image exists; a longer run extends a shorter one; bad
# arguments are one line and exit 2.
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

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

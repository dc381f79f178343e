#!/usr/bin/env bash
# test_tools_cli.sh — pins the command-line contract of the binaries:
# gatecv-read --self-check reports every model's input shape and load time; a missing
# model folder is one error line and exit 2; a reader option out of range is refused;
# gatecvd --version prints the version.
set -u
read_bin=$1; daemon_bin=$2; model_dir=$3
passed=0; failed=0
check() { # check NAME CONDITION-RESULT DETAIL
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}

out=$("$read_bin" --self-check --model-dir "$model_dir" 2>&1); rc=$?
check "self-check exits 0" $rc "$out"
echo "$out" | grep -q "det.onnx  input 1x3xHxW"; check "self-check names the detector input" $? "$out"
echo "$out" | grep -q "rec.onnx  input 1x3x48x320"; check "self-check names the recogniser input" $? "$out"
echo "$out" | grep -q "rec-96.onnx  input 1x3x48x96  output 1x12x"; check "self-check names the narrow recognisers" $? "$out"
echo "$out" | grep -Eq "loaded in [0-9]+ ms"; check "self-check prints load times" $? "$out"

empty=$(mktemp -d)
out=$("$read_bin" --self-check --model-dir "$empty" 2>&1); rc=$?
[ $rc -eq 2 ]; check "missing models exit 2" $? "rc=$rc $out"
[ "$(echo "$out" | wc -l)" -eq 1 ]; check "missing models give one line" $? "$out"
echo "$out" | grep -q "$empty/keys.txt is missing.*fetch-models.sh"; check "the line names file and fix" $? "$out"
out=$(GATECV_MODEL_DIR="$empty" "$read_bin" --self-check 2>&1); rc=$?
[ $rc -eq 2 ]; check "GATECV_MODEL_DIR is honoured" $? "rc=$rc $out"
rmdir "$empty"

out=$("$read_bin" --coarse-size 100 --model-dir "$model_dir" /dev/null 2>&1); rc=$?
[ $rc -eq 2 ]; check "a coarse size under 160 is refused with exit 2" $? "rc=$rc $out"
echo "$out" | grep -q -- "--coarse-size must be 0 or 160..2048, not 100"; check "the refusal names the option" $? "$out"

"$read_bin" --no-such-option >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; check "gatecv-read refuses unknown options with exit 2" $? "rc=$rc"

out=$("$daemon_bin" --version 2>&1); rc=$?
check "gatecvd --version exits 0" $rc "$out"
echo "$out" | grep -Eq "^gatecvd [0-9]+\.[0-9]+\.[0-9]+$"; check "gatecvd --version prints the version" $? "$out"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

#!/usr/bin/env bash
# test_install_script.sh — pins the install script's idempotence: on a machine it has
# prepared (the test suite runs after it), --dry-run lists nothing to install and exits
# 0, and a second real run installs nothing and says so. Bad options are refused.
set -u
script=$1
fail() { echo "FAIL: $*"; exit 1; }

out=$("$script" --dry-run 2>&1) || fail "--dry-run on a prepared machine exited $?: $out"
echo "$out" | grep -q "would install nothing" || fail "--dry-run did not say 'would install nothing': $out"
echo "$out" | grep -q "present and current" || fail "--dry-run did not find the models current: $out"

out=$("$script" 2>&1) || fail "second run exited $?: $out"
echo "$out" | grep -q "nothing to install" || fail "second run did not say 'nothing to install': $out"
echo "$out" | grep -q "apt-get" && fail "second run called apt-get: $out"

"$script" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown option did not exit 2"
echo "1 passed, 0 failed"

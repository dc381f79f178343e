# harness.sh — what the shell tests of real processes share (sourced, not run):
#   check NAME RC DETAIL   counts a check passed (RC 0) or failed, saying why it failed;
#   $dir                   a scratch folder, removed at exit;
#   pids+=(PID)            processes killed at exit;
#   wait_for SECONDS CMD   runs CMD until it succeeds (1 when SECONDS have passed first).
# The test ends with: echo "$passed passed, $failed failed"; [ "$failed" = 0 ]
passed=0; failed=0
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
wait_for() {
    local until=$((SECONDS + $1)); shift
    while ! "$@" 2>/dev/null; do [ $SECONDS -ge $until ] && return 1; sleep 0.2; done
}

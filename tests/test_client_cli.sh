#!/usr/bin/env bash
# test_client_cli.sh — pins what the event-bus clients do without a box: gatecv-keygen writes
# a czmq certificate pair (public file, secret file of mode 0600), never replaces a key unless
# told to (--force), and rejects a bad name; gatecv-sub stops at a usage or configuration
# error with exit 2 and a message naming the option or file, reports a --status nobody answers
# with exit 4 naming the endpoint, keeps asking when its catch-up is not answered (a box
# restarting), and ends cleanly on SIGTERM or --idle-exit.
# (Subscribing, catching up and acknowledging against a running gatecvd are pinned by the
# bus end-to-end tests.)
set -u
keygen=$1
sub=$2
passed=0; failed=0
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1: $3"; fi
}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# A port nothing is expected to answer ZeroMQ on (anything else there fails the handshake).
port=$((20000 + RANDOM % 20000))
nobody=tcp://127.0.0.1:$port

# --- gatecv-keygen ---------------------------------------------------------------------
out=$("$keygen" --dir "$dir/keys" lane1-box 2>&1); rc=$?
[ $rc -eq 0 ] && [ -f "$dir/keys/lane1-box.key" ] && [ -f "$dir/keys/lane1-box.key_secret" ]
check "keygen writes NAME.key and NAME.key_secret (making the folder)" $? "rc=$rc $out $(ls "$dir/keys" 2>&1)"
[ "$(stat -c %a "$dir/keys/lane1-box.key_secret")" = 600 ]
check "the secret certificate has mode 0600" $? "$(stat -c %a "$dir/keys/lane1-box.key_secret")"
public=$(sed -n 's/^ *public-key = "\(.\{40\}\)"$/\1/p' "$dir/keys/lane1-box.key")
[ ${#public} -eq 40 ] && grep -q '^curve$' "$dir/keys/lane1-box.key" && grep -q '^metadata$' "$dir/keys/lane1-box.key" \
    && grep -q '^    name = "lane1-box"$' "$dir/keys/lane1-box.key" && grep -q '^    created = "' "$dir/keys/lane1-box.key"
check "the public certificate is czmq's format (metadata name/created, curve public-key)" $? "$(cat "$dir/keys/lane1-box.key")"
! grep -q secret-key "$dir/keys/lane1-box.key"
check "the public certificate holds no secret key" $? "$(cat "$dir/keys/lane1-box.key")"
grep -qxF "    public-key = \"$public\"" "$dir/keys/lane1-box.key_secret" \
    && grep -Eq '^    secret-key = ".{40}"$' "$dir/keys/lane1-box.key_secret"
check "the secret certificate holds the same public key and a secret key" $? "$(cat "$dir/keys/lane1-box.key_secret")"
echo "$out" | grep -qF "$public" && echo "$out" | grep -qF "$dir/keys/lane1-box.key" \
    && echo "$out" | grep -qF "$dir/keys/lane1-box.key_secret"
check "keygen prints the public key and both paths" $? "$out"

before=$(cat "$dir/keys/lane1-box.key_secret")
out=$("$keygen" --dir "$dir/keys" lane1-box 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "exists: not replacing a key (use --force)" \
    && [ "$(cat "$dir/keys/lane1-box.key_secret")" = "$before" ]
check "keygen refuses to replace a key without --force" $? "rc=$rc $out"
chmod 644 "$dir/keys/lane1-box.key_secret"
out=$("$keygen" --dir "$dir/keys" --force lane1-box 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$(cat "$dir/keys/lane1-box.key_secret")" != "$before" ] \
    && [ "$(stat -c %a "$dir/keys/lane1-box.key_secret")" = 600 ]
check "--force replaces the pair, and the new secret is 0600 again" $? "rc=$rc $out $(stat -c %a "$dir/keys/lane1-box.key_secret")"
out=$("$keygen" --dir "$dir/keys" "../escape" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q 'name "../escape": expected'
check "keygen rejects a name that is not a plain file name" $? "rc=$rc $out"
out=$("$keygen" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "expected one NAME"
check "keygen without NAME exits 2" $? "rc=$rc $out"
"$keygen" --dir "$dir/keys" client >/dev/null

# --- gatecv-sub: usage and configuration errors ------------------------------------------
out=$("$sub" --json 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-connect ENDPOINT is required"
check "gatecv-sub without --connect exits 2 saying so" $? "rc=$rc $out"
out=$("$sub" --status 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "need --request ENDPOINT"
check "--status without --request exits 2 saying so" $? "rc=$rc $out"
out=$("$sub" --connect tcp://127.0.0.1:1 --consumer 'bad name' --request "$nobody" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-consumer: expected 1-64 of"
check "a consumer name outside A-Za-z0-9._- exits 2" $? "rc=$rc $out"
out=$("$sub" --connect tcp://127.0.0.1:1 --from-seq 5 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "through --request ENDPOINT"
check "--from-seq without --request exits 2 saying why" $? "rc=$rc $out"
out=$("$sub" --connect tcp://127.0.0.1:1 --no-such-option 2>&1); rc=$?
[ $rc -eq 2 ]; check "an unknown option exits 2" $? "rc=$rc $out"
out=$("$sub" --connect not-an-endpoint 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-connect not-an-endpoint: cannot connect"
check "an endpoint ZeroMQ cannot parse exits 2 naming it" $? "rc=$rc $out"

echo "not a seq" > "$dir/garbage.cursor"
out=$("$sub" --connect "$nobody" --request "$nobody" --cursor "$dir/garbage.cursor" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF "cursor $dir/garbage.cursor: expected the last seq handled (one number), found \"not a seq\""
check "a cursor file holding garbage exits 2 naming the file and what it holds" $? "rc=$rc $out"
echo "-3" > "$dir/negative.cursor"
out=$("$sub" --connect "$nobody" --request "$nobody" --cursor "$dir/negative.cursor" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF "cursor $dir/negative.cursor: expected"
check "a negative cursor exits 2" $? "rc=$rc $out"

out=$("$sub" --connect "$nobody" --server-key "$dir/keys/missing.key" --key "$dir/keys/client.key_secret" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF -- "--server-key $dir/keys/missing.key: no such file"
check "--server-key naming a missing file exits 2 naming it" $? "rc=$rc $out"
out=$("$sub" --connect "$nobody" --server-key "$dir/keys/lane1-box.key" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "\-\-server-key and --key go together"
check "--server-key without --key exits 2" $? "rc=$rc $out"
mkdir "$dir/public-only" && cp "$dir/keys/client.key" "$dir/public-only/"
out=$("$sub" --connect "$nobody" --server-key "$dir/keys/lane1-box.key" --key "$dir/public-only/client.key" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF -- "--key $dir/public-only/client.key: no secret key in it"
check "--key given a public certificate only exits 2 naming it" $? "rc=$rc $out"
echo "not a certificate" > "$dir/junk.key"
out=$("$sub" --connect "$nobody" --server-key "$dir/junk.key" --key "$dir/keys/client.key_secret" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF -- "--server-key $dir/junk.key: not a czmq certificate"
check "--server-key naming a file that is no certificate exits 2 naming it" $? "rc=$rc $out"

echo '{"vehicles": 3}' > "$dir/bad-manifest.json"
out=$("$sub" --request "$nobody" --manifest "$dir/bad-manifest.json" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF -- "--manifest $dir/bad-manifest.json: expected"
check "a manifest file without a vehicles list exits 2 naming it, before asking the box" $? "rc=$rc $out"

# --- gatecv-sub: a box that does not answer ----------------------------------------------
start=$(date +%s%N)
out=$(timeout 10 "$sub" --request "$nobody" --status --timeout-ms 300 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc -eq 4 ] && echo "$out" | grep -qF "no reply from $nobody to the status request within 300 ms"
check "--status nobody answers: exit 4 naming the endpoint" $? "rc=$rc $out"
[ $ms -ge 300 ] && [ $ms -lt 3000 ]; check "--timeout-ms 300 is kept (took $ms ms)" $? "$ms ms"
# A subscriber outlives a box that is down or restarting: its fetch is asked again (the
# warning names the endpoint, once), and SIGTERM still ends it cleanly, cursor untouched.
echo 41 > "$dir/lane.cursor"
"$sub" --connect "$nobody" --request "$nobody" --cursor "$dir/lane.cursor" --timeout-ms 200 \
    > "$dir/retry.out" 2> "$dir/retry.err" &
pid=$!
sleep 1.2
kill -0 $pid 2>/dev/null; check "catch-up nobody answers: the subscriber keeps asking" $? "$(cat "$dir/retry.err")"
kill -TERM $pid
for _ in $(seq 30); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill -KILL $pid; fi
wait $pid; rc=$?
grep -qF "no reply from $nobody to the fetch request within 200 ms" "$dir/retry.err" \
    && [ "$(grep -c . "$dir/retry.err")" -eq 1 ]
check "... saying so once, naming the endpoint and the request" $? "$(cat "$dir/retry.err")"
[ $rc -eq 0 ] && [ "$(cat "$dir/lane.cursor")" = 41 ]
check "... and ends on SIGTERM with exit 0, the cursor as it was" $? "rc=$rc $(cat "$dir/lane.cursor")"

# --- gatecv-sub: ending a quiet run ------------------------------------------------------
out=$(timeout 10 "$sub" --connect "$nobody" --idle-exit 0.3 2>&1); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ]; check "--idle-exit with nothing published exits 0 quietly" $? "rc=$rc $out"
"$sub" --connect "$nobody" > "$dir/term.out" 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
for _ in $(seq 30); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill -KILL $pid; fi
wait $pid; rc=$?
[ $rc -eq 0 ]; check "SIGTERM ends gatecv-sub cleanly (exit 0)" $? "rc=$rc $(cat "$dir/term.out")"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]

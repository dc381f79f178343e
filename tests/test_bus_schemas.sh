#!/usr/bin/env bash
# test_bus_schemas.sh — pins the bus's JSON Schemas (schema/gatecv.{crossing-1,health-1,
# request-1,reply-1}.schema.json) through tests/validate_json.py: every valid example below
# passes, and every invalid one fails — each breaks one rule of docs/bus.md.
#
# Usage: test_bus_schemas.sh VALIDATE_JSON_PY SCHEMA_DIR
set -u
validate=$1; schemas=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
: >"$dir/valid"; : >"$dir/invalid"; : >"$dir/why"

ok() { printf '%s\t%s\n' "$1" "$2" >>"$dir/valid"; }                 # ok KIND JSON
bad() { printf '%s\t%s\n' "$1" "$3" >>"$dir/invalid"; echo "$2" >>"$dir/why"; } # bad KIND WHY JSON

# ---- crossing: the manifest_match object (and null) ---------------------------------
sha=$(printf 'e%.0s' {1..64})
event() { # event MANIFEST_MATCH_JSON
    printf '%s' '{"schema":"gatecv.crossing/1","event_id":"0f8c2a4e-1b2c-4d5e-8f90-123456789abc",'\
'"seq":12,"revision":2,"final":true,"gate":"HN1090","lane":"1","direction":"VN_TO_CN","ts_enter":"2026-11-23T11:45:01.250Z",'\
'"ts_exit":"2026-11-23T11:45:09.120Z","vehicle":{"kind":"truck","plates":[{"text":"12C34567",'\
'"display":"12C-345.67","country":"VN","layout":"one_line","camera":"front","confidence":0.97,'\
'"frames":9}]},"containers":[{"code":"MSKU1234565","check_digit_ok":true,"size_type":"45G1",'\
'"camera":"side","confidence":0.95,"frames":7}],"verification":{"status":"verified","reasons":[]},'\
'"manifest_match":'"$1"',"evidence":[{"camera":"front","kind":"plate",'\
'"ts":"2026-11-23T11:45:03.000Z","sha256":"'"$sha"'"}]}'
}
exact='{"expected":"12C34567","read":"12C34567","match":"exact"}'
box='{"expected":"MSKU1234565","read":"MSKU1234565","match":"exact"}'
ok crossing "$(event null)"
ok crossing "$(event '{"vehicle_id":"VN-1","result":"match","plates":['"$exact"'],"containers":['"$box"']}')"
ok crossing "$(event '{"vehicle_id":"CN-1","result":"partial","plates":[{"expected":"桂F12345","read":"贵F12345","match":"one_edit"},{"expected":"桂F1234挂","read":null,"match":"missing"}],"containers":[{"expected":"CSQU3054383","read":null,"match":"missing"}]}')"
ok crossing "$(event '{"vehicle_id":"VN-1","result":"mismatch","plates":['"$exact"'],"containers":[{"expected":"TGHU7654321","read":null,"match":"missing"},{"expected":null,"read":"MSKU1234565","match":"unexpected"}]}')"
ok crossing "$(event '{"vehicle_id":null,"result":"not_expected","plates":[],"containers":[{"expected":null,"read":"MSKU1234565","match":"unexpected"}]}')"
bad crossing "unknown result" "$(event '{"vehicle_id":"VN-1","result":"maybe","plates":[],"containers":[]}')"
bad crossing "unknown plate match" "$(event '{"vehicle_id":"VN-1","result":"partial","plates":[{"expected":"12C34567","read":"12C34568","match":"close"}],"containers":[]}')"
bad crossing "plates cannot be unexpected" "$(event '{"vehicle_id":"VN-1","result":"partial","plates":[{"expected":"12C34567","read":"12C34568","match":"unexpected"}],"containers":[]}')"
bad crossing "not_expected names a vehicle" "$(event '{"vehicle_id":"VN-1","result":"not_expected","plates":[],"containers":[]}')"
bad crossing "not_expected lists plates" "$(event '{"vehicle_id":null,"result":"not_expected","plates":['"$exact"'],"containers":[]}')"
bad crossing "match without a vehicle" "$(event '{"vehicle_id":null,"result":"match","plates":[],"containers":[]}')"
bad crossing "a missing plate with a read" "$(event '{"vehicle_id":"VN-1","result":"partial","plates":[{"expected":"12C34567","read":"12C34567","match":"missing"}],"containers":[]}')"
bad crossing "an unexpected container with an expected code" "$(event '{"vehicle_id":"VN-1","result":"partial","plates":[],"containers":[{"expected":"MSKU1234565","read":"MSKU1234566","match":"unexpected"}]}')"
bad crossing "an exact container without an expected code" "$(event '{"vehicle_id":"VN-1","result":"partial","plates":[],"containers":[{"expected":null,"read":"MSKU1234566","match":"exact"}]}')"
bad crossing "manifest_match without containers" "$(event '{"vehicle_id":"VN-1","result":"match","plates":[]}')"
bad crossing "manifest_match a string" "$(event '"VN-1"')"
bad crossing "manifest_match absent" "$(event null | sed 's/"manifest_match":null,//')"

# ---- crossing: revisions -------------------------------------------------------------
ok crossing "$(event null | sed 's/"revision":2,"final":true/"revision":1,"final":false/')"
ok crossing "$(event null | sed 's/"frames":7}/"frames":7,"superseded":true}/')"
bad crossing "revision 0" "$(event null | sed 's/"revision":2/"revision":0/')"
bad crossing "revision absent" "$(event null | sed 's/"revision":2,//')"
bad crossing "final absent" "$(event null | sed 's/"final":true,//')"
bad crossing "final a string" "$(event null | sed 's/"final":true/"final":"yes"/')"
bad crossing "superseded not a boolean" "$(event null | sed 's/"frames":9}/"frames":9,"superseded":1}/')"

# ---- health --------------------------------------------------------------------------
fields='"gate":"HN1090","lane":"1","ts":"2026-11-23T11:45:10.000Z","cameras":[{"name":"front","role":"plate","up":true,"fps":25,"state":"up","since":null,"error":null,"reconnects":0},{"name":"side","role":"container","up":false,"fps":0,"state":"down","since":"2026-11-23T11:44:58.120Z","error":"Could not open resource for reading.","reconnects":2}],"journal":{"first_seq":1,"last_seq":12,"bytes":1048576,"segments":2,"disk_free_bytes":53687091200,"recovered":null},"backlog":3,"consumers":[{"name":"customs-1","acked_seq":9}],"alarms":["journal_over_cap","camera_down:side"]'
health='{"schema":"gatecv.health/1",'"$fields"'}'
ok health "$health"
ok health "${health/\"recovered\":null/\"recovered\":\"cut 37 bytes of a torn record after seq 12 in seg-00000000000000000001.gcj\"}"
ok health '{"schema":"gatecv.health/1","gate":"g","lane":"1","ts":"2026-11-23T11:45:10.000Z","cameras":[],"journal":{"first_seq":0,"last_seq":0,"bytes":8,"segments":1,"disk_free_bytes":1,"recovered":null},"backlog":0,"consumers":[],"alarms":[]}'
bad health "another schema" "${health/gatecv.health\/1/gatecv.health/2}"
bad health "no schema" "{$fields}"
bad health "ts without milliseconds" "${health/11:45:10.000Z/11:45:10Z}"
bad health "up not a boolean" "${health/\"up\":true/\"up\":\"yes\"}"
bad health "fps negative" "${health/\"fps\":25/\"fps\":-1}"
bad health "camera without role" "${health/\"role\":\"plate\",/}"
bad health "journal without recovered" "${health/,\"recovered\":null/}"
bad health "recovered a number" "${health/\"recovered\":null/\"recovered\":37}"
bad health "backlog negative" "${health/\"backlog\":3/\"backlog\":-3}"
bad health "backlog missing" "${health/\"backlog\":3,/}"
bad health "consumer name with a space" "${health/customs-1/customs 1}"
bad health "acked_seq a string" "${health/\"acked_seq\":9/\"acked_seq\":\"9\"}"
bad health "camera state unknown" "${health/\"state\":\"up\"/\"state\":\"lost\"}"
bad health "camera without state" "${health/,\"state\":\"up\"/}"
bad health "since without milliseconds" "${health/11:44:58.120Z/11:44:58Z}"
bad health "reconnects negative" "${health/\"reconnects\":2/\"reconnects\":-1}"
bad health "error a number" "${health/\"error\":null/\"error\":5}"
alarms='["journal_over_cap","camera_down:side"]' # a pattern in a quoted variable is matched literally
bad health "alarms not strings" "${health/"$alarms"/[1]}"

# ---- requests ------------------------------------------------------------------------
vehicle='{"id":"VN-1","plate":"12C34567","trailer_plate":"12R01234","containers":["MSKU1234565","TGHU7654321"],"valid_from":"2026-11-23T18:30:00+07:00","valid_until":"2026-11-23T20:00:00.5+07:00"}'
manifest() { printf '{"request":"manifest","id":"m-1","vehicles":[%s]}' "$1"; }
ok request '{"request":"fetch","from_seq":13,"max":100,"id":"catch-up-1"}'
ok request '{"request":"fetch","from_seq":1,"id":7}'
ok request '{"request":"ack","consumer":"customs-1.a_b","seq":12}'
ok request '{"request":"ack","consumer":"c","seq":0}'
ok request '{"request":"status"}'
ok request "$(manifest "$vehicle")"
ok request "$(manifest '{"id":"CN-1","plate":"桂F12345","containers":[]},{"id":"CN-2","plate":"桂A1234挂","trailer_plate":null,"containers":["CSQU3054383"],"valid_from":null,"valid_until":"2026-11-24T00:00:00Z"}')"
ok request '{"request":"manifest","vehicles":[]}'
ok request '{"request":"trigger","state":"present","at":"2026-12-03T18:30:00.250Z"}'
ok request '{"request":"trigger","state":"gone","id":3}'
bad request "a trigger's state is present or gone" '{"request":"trigger","state":"parked"}'
bad request "a trigger needs its state" '{"request":"trigger"}'
bad request "no request" '{"from_seq":1}'
bad request "unknown request" '{"request":"teleport"}'
bad request "request a number" '{"request":1}'
bad request "not an object" '["fetch"]'
bad request "fetch from_seq 0" '{"request":"fetch","from_seq":0}'
bad request "fetch from_seq a string" '{"request":"fetch","from_seq":"1"}'
bad request "fetch from_seq fractional" '{"request":"fetch","from_seq":1.5}'
bad request "fetch without from_seq" '{"request":"fetch","max":10}'
bad request "fetch max 0" '{"request":"fetch","from_seq":1,"max":0}'
bad request "fetch misspelt max" '{"request":"fetch","from_seq":1,"maxx":10}'
bad request "id a boolean" '{"request":"status","id":true}'
bad request "id an object" '{"request":"status","id":{"n":1}}'
bad request "ack consumer with a space" '{"request":"ack","consumer":"customs 1","seq":1}'
bad request "ack consumer empty" '{"request":"ack","consumer":"","seq":1}'
bad request "ack consumer 65 characters" '{"request":"ack","consumer":"'"$(printf 'c%.0s' {1..65})"'","seq":1}'
bad request "ack seq negative" '{"request":"ack","consumer":"c","seq":-1}'
bad request "ack without seq" '{"request":"ack","consumer":"c"}'
bad request "manifest without vehicles" '{"request":"manifest"}'
bad request "manifest vehicles an object" '{"request":"manifest","vehicles":{}}'
bad request "vehicle without id" "$(manifest "${vehicle/\"id\":\"VN-1\",/}")"
bad request "vehicle id empty" "$(manifest "${vehicle/\"VN-1\"/\"\"}")"
bad request "vehicle id 65 characters" "$(manifest "${vehicle/VN-1/$(printf 'v%.0s' {1..65})}")"
bad request "vehicle without plate" "$(manifest "${vehicle/\"plate\":\"12C34567\",/}")"
bad request "plate with separators" "$(manifest "${vehicle/12C34567/12C-345.67}")"
bad request "plate in lower case" "$(manifest "${vehicle/12C34567/12c34567}")"
bad request "trailer plate a number" "$(manifest "${vehicle/\"12R01234\"/5}")"
bad request "vehicle without containers" "$(manifest '{"id":"A","plate":"12C34567"}')"
bad request "container code too short" "$(manifest "${vehicle/MSKU1234565/MSKU123}")"
bad request "container category letter" "$(manifest "${vehicle/MSKU1234565/MSKA1234565}")"
bad request "container listed twice" "$(manifest "${vehicle/TGHU7654321/MSKU1234565}")"
bad request "17 containers" "$(manifest '{"id":"A","plate":"1A","containers":["MSKU0000001","MSKU0000002","MSKU0000003","MSKU0000004","MSKU0000005","MSKU0000006","MSKU0000007","MSKU0000008","MSKU0000009","MSKU0000010","MSKU0000011","MSKU0000012","MSKU0000013","MSKU0000014","MSKU0000015","MSKU0000016","MSKU0000017"]}')"
bad request "valid_from without an offset" "$(manifest "${vehicle/18:30:00+07:00/18:30:00}")"
bad request "valid_until with a space" "$(manifest "${vehicle/2026-11-23T20/2026-11-23 20}")"
bad request "vehicle with an unknown field" "$(manifest "${vehicle/\"id\"/\"colour\":\"red\",\"id\"}")"

# ---- replies -------------------------------------------------------------------------
ok reply '{"reply":"fetch","from_seq":5,"count":2,"first_seq":7,"last_seq":8,"journal_first_seq":7,"journal_last_seq":12,"id":"catch-up-1"}'
ok reply '{"reply":"fetch","from_seq":13,"count":0,"first_seq":null,"last_seq":null,"journal_first_seq":1,"journal_last_seq":12}'
ok reply '{"reply":"fetch","from_seq":1,"count":0,"first_seq":null,"last_seq":null,"journal_first_seq":0,"journal_last_seq":0}'
ok reply '{"reply":"trigger","state":"gone","id":3}'
bad reply "a trigger reply names its state" '{"reply":"trigger"}'
ok reply '{"reply":"ack","consumer":"customs-1","seq":12,"id":7}'
ok reply '{"reply":"status",'"$fields"',"id":"s"}'
ok reply '{"reply":"manifest","vehicles":2,"id":"m-1"}'
ok reply '{"reply":"error","error":"fetch: \"from_seq\" must be a whole number >= 1"}'
bad reply "unknown reply" '{"reply":"teleport"}'
bad reply "no reply" '{"count":0}'
bad reply "fetch count 0 with a first_seq" '{"reply":"fetch","from_seq":5,"count":0,"first_seq":5,"last_seq":null,"journal_first_seq":1,"journal_last_seq":4}'
bad reply "fetch count 2 without first_seq" '{"reply":"fetch","from_seq":5,"count":2,"first_seq":null,"last_seq":6,"journal_first_seq":1,"journal_last_seq":6}'
bad reply "fetch without journal_last_seq" '{"reply":"fetch","from_seq":5,"count":0,"first_seq":null,"last_seq":null,"journal_first_seq":1}'
bad reply "fetch count negative" '{"reply":"fetch","from_seq":5,"count":-1,"first_seq":5,"last_seq":5,"journal_first_seq":1,"journal_last_seq":4}'
bad reply "ack seq a string" '{"reply":"ack","consumer":"c","seq":"3"}'
bad reply "ack without consumer" '{"reply":"ack","seq":3}'
bad reply "status without journal" '{"reply":"status","gate":"g","lane":"1","ts":"2026-11-23T11:45:10.000Z","cameras":[],"backlog":0,"consumers":[],"alarms":[]}'
bad reply "status camera up a string" '{"reply":"status",'"${fields/\"up\":true/\"up\":\"true\"}"'}'
bad reply "status without health fields" '{"reply":"status"}'
bad reply "manifest vehicles negative" '{"reply":"manifest","vehicles":-1}'
bad reply "manifest vehicles over the limit" '{"reply":"manifest","vehicles":10001}'
bad reply "error without error" '{"reply":"error"}'
bad reply "error empty" '{"reply":"error","error":""}'
bad reply "id a boolean" '{"reply":"manifest","vehicles":2,"id":false}'

# ---- run -----------------------------------------------------------------------------
fail=0
n_valid=$(wc -l <"$dir/valid"); n_invalid=$(wc -l <"$dir/invalid")
out=$(/usr/bin/python3 "$validate" "$schemas" <"$dir/valid"); rc=$?
if [ $rc -ne 0 ] || [ "$(tail -n1 <<<"$out")" != "$n_valid passed, 0 failed" ]; then
    echo "FAIL: valid examples refused:"; echo "$out"; fail=1
fi
out=$(/usr/bin/python3 "$validate" "$schemas" <"$dir/invalid"); rc=$?
if [ $rc -ne 1 ] || [ "$(tail -n1 <<<"$out")" != "0 passed, $n_invalid failed" ]; then
    echo "FAIL: invalid examples accepted (validator said: $(tail -n1 <<<"$out")):"
    for i in $(seq 1 "$n_invalid"); do
        grep -q "^line $i " <<<"$out" || echo "  accepted: $(sed -n "${i}p" "$dir/why")"
    done
    fail=1
fi
if grep -q "not JSON" <<<"$out"; then
    echo "FAIL: an invalid example is not even JSON (this script is wrong):"; grep "not JSON" <<<"$out"
    fail=1
fi
# validate_json.py itself: a bad line is named, the summary and exit code say so
out=$(printf 'request\t{"request":"status"}\nnope\t{}\n' | /usr/bin/python3 "$validate" "$schemas"); rc=$?
if [ $rc -ne 1 ] || ! grep -q "^line 2 (nope): unknown kind" <<<"$out" || [ "$(tail -n1 <<<"$out")" != "1 passed, 1 failed" ]; then
    echo "FAIL: validate_json.py on a bad kind said (rc $rc): $out"; fail=1
fi
[ $fail -eq 0 ] && echo "$n_valid valid and $n_invalid invalid examples: each judged as expected"
exit $fail

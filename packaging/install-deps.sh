#!/usr/bin/env bash
# install-deps.sh — installs everything gatecv needs to build, test and run on Debian 12,
# then fetches and converts the OCR models. Idempotent: a second run installs nothing and
# says so.
#
#   packaging/install-deps.sh            install what is missing, then the models
#   packaging/install-deps.sh --dry-run  list what would be installed; change nothing
#   packaging/install-deps.sh --no-models  packages only
#
# Exit codes: 0 done (or nothing to do), 1 --dry-run found something missing,
#             2 cannot install (not root and no sudo, apt failed, model step failed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

# One package per line: what it is for after the '#'.
read_package_list() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$here/debian-packages.txt"
}

missing_packages() {
    local entry pkg cmd status
    for entry in $(read_package_list); do
        pkg=${entry%@*}
        if [ "$pkg" != "$entry" ]; then
            cmd=${entry#*@}
            command -v "$cmd" >/dev/null 2>&1 && continue
        fi
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || echo "$pkg"
    done
}

dry_run=0
with_models=1
for arg in "$@"; do
    case "$arg" in
        --dry-run) dry_run=1 ;;
        --no-models) with_models=0 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-deps.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps.sh: dpkg-query not found: this script supports Debian 12 only" >&2
    exit 2
fi

missing=$(missing_packages | tr '\n' ' ' | sed 's/ $//')
total=$(read_package_list | wc -l)

if [ "$dry_run" = 1 ]; then
    status=0
    if [ -z "$missing" ]; then
        echo "install-deps: all $total packages present; would install nothing"
    else
        echo "install-deps: would install: $missing"
        status=1
    fi
    if [ "$with_models" = 1 ]; then
        "$top/models/fetch-models.sh" --check || status=1
    fi
    exit $status
fi

if [ -z "$missing" ]; then
    echo "install-deps: all $total packages present; nothing to install"
else
    echo "install-deps: installing $(echo "$missing" | wc -w) missing package(s): $missing"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "install-deps.sh: not root and no sudo: install these packages as root: $missing" >&2
            exit 2
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when they are missing or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
        $sudo apt-get update -q || { echo "install-deps.sh: apt-get update failed" >&2; exit 2; }
    fi
    # shellcheck disable=SC2086
    if ! $sudo apt-get install -y -q --no-install-recommends $missing; then
        echo "install-deps.sh: apt-get install failed for: $missing" >&2
        exit 2
    fi
    still=$(missing_packages | tr '\n' ' ' | sed 's/ $//')
    if [ -n "$still" ]; then
        echo "install-deps.sh: still missing after install: $still" >&2
        exit 2
    fi
fi

if [ "$with_models" = 1 ]; then
    "$top/models/fetch-models.sh" || exit 2
fi

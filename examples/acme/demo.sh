#!/usr/bin/env bash
# The main job on the example, with no network: in a scratch copy of this folder, show the
# incident, render and check its latest update, publish it to the local `archive` target
# (a folder of files), and print the exact requests every other target would get.
#
# Usage: examples/acme/demo.sh        builds the release binary first
#        INCIDENT_BIN=path/to/incident examples/acme/demo.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ -z "${INCIDENT_BIN:-}" ]]; then
    manifest=$here/../../Cargo.toml
    # Cargo shows its progress: a first release build takes minutes on a small machine.
    echo "Building the release binary (cargo build --release)…" >&2
    cargo build --release --manifest-path "$manifest"
    # Wherever cargo puts it: CARGO_TARGET_DIR and build.target-dir are honoured.
    target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$manifest" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    INCIDENT_BIN=$target_dir/release/incident
fi
INCIDENT_BIN=$(realpath "$INCIDENT_BIN")
work=$(mktemp -d "${TMPDIR:-/tmp}/incident-demo.XXXXXX")
cp -r "$here/incident.toml" "$here/incidents" "$work/"
cd "$work"
export INCIDENT_AUTHOR="Marcus Bell"

run() {
    printf '\n$ incident %s\n' "$*"
    "$INCIDENT_BIN" "$@"
}

run show k7m2
run render k7m2 --channel status
run lint k7m2
run publish k7m2 --target archive --yes
run publish k7m2 --dry-run
printf '\nThe scratch copy, with the published files under published/, is %s\n' "$work"

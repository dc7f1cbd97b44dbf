#!/usr/bin/env bash
# Records the example incident with the tool itself, as the on-call engineer and the comms
# lead walked through it: acknowledge, explain, apologize, promise, resolve.
#
# Usage: examples/acme/record.sh [BINARY] [DIR]
#   BINARY  the incident binary (default: target/release/incident)
#   DIR     a folder holding this incident.toml (default: this folder)
# The incident `k7m2q9p` must not exist yet in DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../target/release/incident}
dir=${2:-$here}
cd "$dir"

id=k7m2q9p
step() { # step TIME AUTHOR ARGS...
    local at=$1 author=$2
    shift 2
    INCIDENT_NOW=$at INCIDENT_AUTHOR=$author "$bin" --no-input --quiet "$@"
}

step 2026-11-19T07:58:00Z "Priya Raman" open --id "$id" \
    --title "Some people were shown other people's photos" \
    --severity sev1 --component photos --component web \
    --started-at "2026-11-19 02:47" \
    --impact "Some signed-in people saw photo previews from other people's private albums." \
    --summary "We know that some people are seeing photos that are not theirs. We have turned off photo previews while we find out why. Your own photos are safe." \
    --next-update 30m >/dev/null

step 2026-11-19T08:25:00Z "Priya Raman" update "$id" --stage explain \
    --message "A change to our image cache at 02:41 EST stored previews of private photos under keys shared between accounts, so for 33 minutes some people were shown previews from other accounts. We undid the change at 03:14 EST and emptied the cache. No photos were changed or deleted." \
    --field cause="image cache keys did not include the account" \
    --field detected_by="customer reports" \
    --field affected="1,812 accounts had a private preview shown to someone else" \
    --next-update 30m

step 2026-11-19T08:50:00Z "Marcus Bell" update "$id" --stage apologize \
    --message "We are sorry. You trusted us with private photos and we showed some of them to the wrong people. This was our mistake, in a change we made, and no one else's. Everyone whose photos were shown will get an email from us today saying which previews were seen." \
    --next-update 1h

step 2026-11-19T09:40:00Z "Marcus Bell" update "$id" --stage promise \
    --message "Here is what we are changing. Cache keys for private content will always include the account, checked by tests that fail the build. Cache changes will roll out to 1% of traffic first, with an automatic check for mixed-up previews. And we will publish the full postmortem by Friday, November 21." \
    --next-update 2h

step 2026-11-19T11:10:00Z "Priya Raman" resolve "$id" --resolved-at "2026-11-19 03:14" --field data_loss=none \
    --message "Resolved. Previews have been served correctly since 03:14 EST and have stayed correct for eight hours of monitoring. No photos were lost, changed or deleted."

echo "$id"

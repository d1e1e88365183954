# With three monitors, killing the one siphon talks to makes it hunt to
# another and carry on: session, statfs, map subscriptions.
source "$(dirname "$0")/lib.sh"
HUNT=${MONC_HUNT:-$(dirname "$SIPHON")/../../tests/monc_hunt}

cluster_start hunt --mons 3 --osds 1 --mds 1
conf=$CONF
dir=$(dirname "$conf")
"$SIPHON" -c "$conf" status --format json >/dev/null || fail "status on 3 monitors"
ok "status with 3 monitors"
"$HUNT" "$conf" "$top/scripts/cluster" "$dir" || fail "hunting"
ok "hunted to another monitor"

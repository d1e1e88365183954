# The OSD client against three OSDs (pools of size 2): every object op on
# its own, then a large copy that must survive placement changes under it
# (a PG split, an OSD marked out and in again), checked byte for byte.
source "$(dirname "$0")/lib.sh"
OSD_OPS=${OSD_OPS:-$(dirname "$SIPHON")/../../tests/osd_ops}

cluster_start osdc --mons 1 --osds 3 --mds 2 --pool-size 2 --memstore-bytes 2147483648
data_pool=$(ceph_json "$CONF" osd pool ls detail |
	python3 -c 'import json,sys; print([p["pool_id"] for p in json.load(sys.stdin) if p["pool_name"]=="cephfs_data"][0])')
"$OSD_OPS" "$CONF" "$data_pool" || fail "object operations"
ok "read, sparse-read, write, writefull, zero, truncate, create, delete, stat, 64 in flight"

dir=$(dirname "$CONF")
s() { "$SIPHON" -c "$CONF" "$@"; }
head -c 600000000 /dev/urandom >"$dir/big"
want=$(sha256sum <"$dir/big" | cut -d' ' -f1)

# placement moves while the copy runs (the map changes are sent at once,
# in the background, so they land while ops are in flight)
(ceph -c "$CONF" osd pool set cephfs_data pg_num 32 >/dev/null 2>&1
 ceph -c "$CONF" osd out 0 >/dev/null 2>&1
 ceph -c "$CONF" osd in 0 >/dev/null 2>&1) &
changer=$!
s put "$dir/big" /moving >"$dir/put.log" 2>&1 ||
	{ cat "$dir/put.log"; fail "put while placement changed"; }
wait "$changer"
got=$(s get /moving - | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "content after placement changes: $got, want $want"
ok "a 600 MB copy survives a PG split and an OSD out/in"

# An OSD that stops answering (SIGSTOP) and is then marked down: the ops
# it held go to the PGs' new primaries (osd_ops stops it, marks it down
# and lets it go again).
osd0=$(tr -dc 0-9 <"$dir/run/osd.0.pid")
"$OSD_OPS" "$CONF" "$data_pool" stuck 0 "$osd0" || { kill -CONT "$osd0"; fail "ops held by a stopped OSD"; }
ok "ops held by a stopped OSD go to the new primaries once it is marked down"
"$top/scripts/cluster" wait --dir "$dir" --timeout 90 >/dev/null 2>&1 || fail "cluster healthy again"

# pause: writes wait for unpause, then complete
ceph -c "$CONF" osd pause >/dev/null 2>&1 || fail "osd pause"
head -c 5000000 /dev/urandom >"$dir/small"
s put "$dir/small" /paused >"$dir/pause.log" 2>&1 &
putter=$!
sleep 3
kill -0 "$putter" 2>/dev/null || fail "a write went through a paused cluster"
ceph -c "$CONF" osd unpause >/dev/null 2>&1 || fail "osd unpause"
wait "$putter" || { cat "$dir/pause.log"; fail "put after unpause"; }
[ "$(s get /paused - | sha256sum)" = "$(sha256sum <"$dir/small")" ] || fail "content after unpause"
ok "writes wait while the cluster is paused and complete after"

# reads while placement moves back
ceph -c "$CONF" osd out 1 >/dev/null 2>&1 || fail "osd out 1"
got=$(s get /moving - | sha256sum | cut -d' ' -f1)
ceph -c "$CONF" osd in 1 >/dev/null 2>&1 || true
[ "$got" = "$want" ] || fail "content read while osd.1 went out"
ok "reads follow an OSD going out"
s rm /moving /paused

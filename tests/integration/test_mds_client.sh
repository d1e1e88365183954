# The MDS client through the library: unsafe and safe replies with a sync
# that waits for safety, and with max_mds 2 a directory pinned to rank 1.
source "$(dirname "$0")/lib.sh"
PROG=${MDS_CLIENT:-$(dirname "$SIPHON")/../../tests/mds_client}

cluster_start mds2 --mons 1 --osds 1 --mds 3 --max-mds 2
"$PROG" "$CONF" safe || fail "unsafe/safe replies and sync"
ok "unsafe replies, then safe ones; sync waits for them"
"$PROG" "$CONF" coherent || fail "two clients, cached metadata"
ok "cached metadata follows another client's changes"
LL_API=${LL_API:-$(dirname "$SIPHON")/../../tests/ll_api}
"$LL_API" "$CONF" lltest || fail "the inode-handle API"
ok "every siphon_ll_* call by inode, with its errors"
"$PROG" "$CONF" pinned || fail "pinned directory on rank 1"
ok "requests reach rank 1 through forwards"
# Eviction: the evicted client gets errors at once, not a hang.
fifo="$(dirname "$CONF")/evict.fifo"
rm -f "$fifo"; mkfifo "$fifo"
"$PROG" "$CONF" evict <"$fifo" >"$fifo.out" 2>&1 &
evictee=$!
exec 9>"$fifo"
for _ in $(seq 100); do [ -s "$fifo.out" ] && break; sleep 0.1; done
gid=$(head -n 1 "$fifo.out")
[ -n "$gid" ] || fail "the evict client did not start: $(cat "$fifo.out")"
ceph -c "$CONF" tell mds.0 client evict id="$gid" >/dev/null 2>&1 || fail "ceph tell client evict"
echo go >&9
exec 9>&-
wait "$evictee" || { cat "$fifo.out"; fail "an evicted client did not get clean errors"; }
cat "$fifo.out"
ok "an evicted client gets errors at once"
BIGDIR=${BIGDIR:-$(dirname "$SIPHON")/../../tests/bigdir}
"$BIGDIR" "$CONF" /big 100000 8 || fail "a directory of 100000 entries"
ok "100000 entries listed once each across fragments"

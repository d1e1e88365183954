# The asynchronous API and read-ahead against a real cluster: many data
# and metadata operations in flight from one thread driven by poll() on
# siphon_event_fd (every byte checked), callbacks on siphon's own thread,
# read-ahead cutting the OSD round trips of a sequential read (counted by
# siphon_get_io_stats), and read-ahead dropped when another client (a
# ceph-fuse mount, then the siphon command) rewrites the file between two
# reads.
source "$(dirname "$0")/lib.sh"
AIO=${AIO:-$(dirname "$SIPHON")/../../tests/aio}

cluster_start aio --mons 1 --osds 1 --mds 2 --memstore-bytes $((3 << 30))
conf=$CONF
dir=$(dirname "$conf")
mnt="$dir/mnt"
loc="$dir/local"
mkdir -p "$mnt" "$loc"
ceph-fuse -c "$conf" "$mnt" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"
unmount() { fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true; }
trap 'unmount; rm -rf "$loc"; cleanup_clusters' EXIT
s() { "$SIPHON" -c "$conf" "$@"; }
aio() { "$AIO" "$conf" "$@"; }
stat_of() {	# FIELD "LINE": the number after FIELD
	awk -v f="$1" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' <<<"$2"
}

s mkdir -p /aio || fail "mkdir /aio"
s xattr set /aio ceph.quota.max_bytes $((2 << 30)) || fail "quota"

# ---- operations in flight from one thread, completions from poll() ----
aio inflight aio >"$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "aio inflight"; }
cat "$dir/out"
grep -q "every byte checked" "$dir/out" || fail "inflight: no data check"
grep -q "metadata: 64 each" "$dir/out" || fail "inflight: no metadata"
grep -q "aio_close: after 80 writes in flight" "$dir/out" || fail "inflight: no aio_close check"
# the operations really were under way together, not one after another
# (writes may all be done at once: write-behind only copies them)
started=$(awk '/reads started/ { print $(NF - 3) }' "$dir/out")
[ "${started:-0}" -ge 64 ] || fail "only $started operations under way after 320 reads were started"
[ "$(s ls /aio)" = data ] || fail "/aio holds $(s ls /aio | tr '\n' ' ')"
# what the asynchronous writes wrote is what another client reads
aio gen $((256 * 65536)) 1 >"$loc/want"
cmp -s "$loc/want" "$mnt/aio/data" || fail "ceph-fuse reads other bytes than the asynchronous writes wrote"
ok "256 writes and 322 reads in flight at once from one thread (poll on the event fd), metadata calls 64 at a time, every byte checked, ceph-fuse agrees"

aio loopmode aio >"$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "aio loopmode"; }
cmp -s "$loc/want" "$mnt/aio/loopdata" || fail "ceph-fuse reads other bytes in loopdata"
ok "the same with callbacks on siphon's thread"

# without write-behind every write is under way until the OSDs answer:
# a close started among them must end, and call back, after all of them
aio -o client_oc=false inflight aio >"$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "aio inflight, client_oc=false"; }
grep -q "aio_close: after 80 writes in flight" "$dir/out" || fail "client_oc=false: no aio_close check"
cmp -s "$loc/want" "$mnt/aio/data" || fail "client_oc=false: ceph-fuse reads other bytes"
ok "the same without write-behind and read-ahead (client_oc=false): aio_close after writes to the OSDs in flight"

# ---- the write-behind bound ----
bound=$((4 << 20))
aio -o client_oc_max_dirty=$bound wbbound aio $bound >"$dir/out" 2>&1 || { cat "$dir/out" >&2; fail "aio wbbound"; }
line=$(grep ^wbbound: "$dir/out")
echo "info: $line"
peak=$(stat_of dirty_peak "$line")
[ -n "$peak" ] && [ "$peak" -gt 0 ] && [ "$peak" -le $bound ] || fail "write-behind peak '$peak' not within (0, $bound]"
[ "$(stat_of write_waits "$line")" -gt 0 ] || fail "no write waited for room under a $bound-byte bound"
aio gen $((64 << 20)) 21 | cmp -s - "$mnt/aio/bound0" || fail "ceph-fuse reads other bytes in bound0"
aio gen $((16 << 20)) 23 | cmp -s - "$mnt/aio/bound2" || fail "ceph-fuse reads other bytes in bound2"
ok "write-behind under client_oc_max_dirty=$bound: 1024 writes in flight and two writing threads, peak $peak bytes, every byte read back"

# ---- read-ahead: fewer OSD round trips for a sequential read ----
size=$((64 << 20))
aio gen $size 7 >"$loc/seq"
s put "$loc/seq" /aio/seq || fail "put /aio/seq"
line=$(aio seqread /aio/seq 65536 7) || fail "seqread with read-ahead: $line"
echo "info: with read-ahead:    $line"
calls=$(stat_of read_calls "$line")
osd=$(stat_of osd_reads "$line")
ra=$(stat_of readahead_ops "$line")
hit=$(stat_of hit_bytes "$line")
[ "$calls" -ge 1024 ] || fail "seqread made $calls read calls"
# every read but the first few finds its bytes already in memory
[ "$osd" -le 8 ] || fail "with read-ahead, $osd of $calls reads waited for an OSD op of their own"
[ $((osd + ra)) -le $((calls / 8)) ] || fail "with read-ahead, $osd + $ra OSD reads for $calls calls"
[ "$hit" -ge $((size * 9 / 10)) ] || fail "only $hit bytes of $size came from read-ahead"
line=$(aio -o client_oc=false seqread /aio/seq 65536 7) || fail "seqread without read-ahead: $line"
echo "info: without read-ahead: $line"
osd0=$(stat_of osd_reads "$line")
[ "$(stat_of readahead_ops "$line")" = 0 ] || fail "client_oc=false still reads ahead"
[ "$osd0" -ge $((calls - 1)) ] || fail "without read-ahead only $osd0 OSD reads for $calls calls (one at the end of the file)"
line=$(aio -o client_readahead_max_bytes=1M seqread /aio/seq 1048576 7) ||
	fail "seqread with 1 MiB of read-ahead: $line"
echo "info: 1 MiB read-ahead:   $line"
ok "sequential read of 64 MiB in 64 KiB calls: $osd OSD round trips waited for (+ $ra read ahead) instead of $osd0"

# ---- read-ahead and another client's writes ----
coherence() {	# WRITER-COMMAND...: run while the reader is paused
	local line cache
	coproc READER { "$AIO" "$conf" coherence /aio/coh 11 12 2>&1; }
	exec {r_in}<&"${READER[0]}" {r_out}>&"${READER[1]}"
	while read -r -t 120 line <&$r_in; do
		case $line in paused*) break ;; FAIL*) fail "reader: $line" ;; esac
	done
	cache=${line#paused }
	[ "${cache:-0}" -gt 0 ] || fail "the reader held nothing read ahead when paused ('$line')"
	"$@" || fail "the other client's write failed"
	echo go >&$r_out
	local out
	out=$(cat <&$r_in)
	wait "$READER_PID" || fail "the reader saw old bytes after the other client's write: $out"
	echo "info: $out" | tr '\n' ' '; echo
	dropped=$(stat_of dropped_bytes "$(grep ^after <<<"$out")")
	[ "${dropped:-0}" -gt 0 ] || fail "nothing read ahead was dropped: $out"
	held=$cache
}
aio gen $((48 << 20)) 11 >"$loc/c11"
aio gen $((48 << 20)) 12 >"$loc/c12"
s put "$loc/c11" /aio/coh || fail "put /aio/coh"
fuse_write() { dd if="$loc/c12" of="$mnt/aio/coh" bs=4M conv=notrunc,fsync status=none; }
coherence fuse_write
ok "ceph-fuse rewrote the file while $held bytes were read ahead: the reader got the new bytes"
s put -f "$loc/c11" /aio/coh || fail "put -f /aio/coh"
cli_write() { s put -f "$loc/c12" /aio/coh; }
coherence cli_write
ok "siphon put -f rewrote the file while $held bytes were read ahead: the reader got the new bytes"
cmp -s "$loc/c12" "$mnt/aio/coh" || fail "ceph-fuse reads other bytes in /aio/coh"
rm -f "$mnt"/aio/*

# siphon-fuse stops on SIGTERM whatever the cluster does (issue 13, item 4).
#   1. A healthy cluster, 24 MiB just written (much of it still buffered):
#      SIGTERM ends the daemon, the mount is gone, and a new mount reads
#      every byte (the grace period lets write-behind finish).
#   2. The cluster killed while a lookup and a write wait on it: SIGTERM
#      ends the daemon within 10 s, the waiting callers get errors and the
#      mount point is free again. Before, the daemon waited for its calls'
#      own timeouts (minutes) and ignored the signal.
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"

cluster_start shutdown --mons 1 --osds 1 --mds 1
conf=$CONF
dir=$(dirname "$conf")
mnt="$RUNDIR/shutdown-mnt"	# not under $dir, which stopping the cluster removes
mkdir -p "$mnt"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"
trap 'set +e; pkill -KILL -f "siphon-fuse -c $conf" 2>/dev/null; umount -l "$mnt" 2>/dev/null; cleanup_clusters' EXIT

mount_sf() {
	"$SIPHON_FUSE" -c "$conf" "$mnt" --log_file "$dir/siphon-fuse.log" || fail "siphon-fuse did not mount"
	pid=$(pgrep -f "siphon-fuse -c $conf" | head -1)
	[ -n "$pid" ] || fail "no siphon-fuse process"
}

# Seconds (one decimal) until pid is gone, at most $2.
wait_gone() {
	local pid=$1 limit=$2 t0=$SECONDS n=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
		[ $n -lt $((limit * 10)) ] || { echo "$limit+"; return 1; }
	done
	echo "$((n / 10)).$((n % 10))"
}

# 1. healthy cluster: nothing buffered is lost
mount_sf
head -c $((24 << 20)) /dev/urandom >"$dir/data"
cp "$dir/data" "$mnt/data"
kill -TERM "$pid"
t=$(wait_gone "$pid" 60) || fail "siphon-fuse still runs 60 s after SIGTERM (healthy cluster)"
mountpoint -q "$mnt" && fail "the mount outlived the daemon"
mount_sf
cmp -s "$dir/data" "$mnt/data" || fail "bytes written before SIGTERM are not all there"
ok "SIGTERM with a healthy cluster: gone after ${t} s, all 24 MiB there after a remount"

# 2. the cluster gone with calls in flight
mkdir "$mnt/d"
echo x >"$mnt/d/f"
for d in mds.a osd.0 mon.a mgr.x; do
	"$top/scripts/cluster" kill --dir "$dir" "$d" >/dev/null 2>&1 || true
done
( rc=0; ls "$mnt/d/none" >/dev/null 2>&1 || rc=$?; echo "ls $rc" >"$dir/ls.rc" ) &
( rc=0; dd if=/dev/zero of="$mnt/d/g" bs=1M count=8 conv=fsync >/dev/null 2>&1 || rc=$?
  echo "dd $rc" >"$dir/dd.rc" ) &
sleep 3
[ -f "$dir/ls.rc" ] && [ -f "$dir/dd.rc" ] && echo "note: both calls ended before SIGTERM"
kill -TERM "$pid"
t=$(wait_gone "$pid" 10) || {
	grep -i "abort\|signal\|stopping" "$dir/siphon-fuse.log" | tail -5 || true
	fail "siphon-fuse still runs 10 s after SIGTERM with its cluster gone"
}
wait
mountpoint -q "$mnt" && fail "the mount outlived the daemon"
[ -f "$dir/ls.rc" ] && [ -f "$dir/dd.rc" ] || fail "a caller did not end with the daemon"
grep -q "ls 0" "$dir/ls.rc" 2>/dev/null && fail "a lookup with the cluster gone succeeded"
grep -q "dd 0" "$dir/dd.rc" 2>/dev/null && fail "an fsync'd write with the cluster gone succeeded"
ok "SIGTERM with the cluster gone and calls in flight: gone after ${t} s; the calls failed ($(cat "$dir/ls.rc"), $(cat "$dir/dd.rc"))"

# Every wait has a bound (issue 13, item 3): with the only OSD stopped
# (SIGSTOP: its sockets stay open, nothing answers), calls on siphon-fuse
# fail within rados_osd_op_timeout instead of waiting for ever, and the
# mount works again once the OSD does:
#   - an fsync of buffered writes (write-behind had no timeout at all: it
#     waited for ever, and so did the fsync, close and unmount behind it);
#   - a read of data not cached;
#   - an O_SYNC write.
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"

cluster_start bounded --mons 1 --osds 1 --mds 1
conf=$CONF
dir=$(dirname "$conf")
mnt="$RUNDIR/bounded-mnt"
mkdir -p "$mnt"
osd=$(cat "$dir/run/osd.0.pid")
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"
cleanup() {
	kill -CONT "$osd" 2>/dev/null
	fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	# a daemon stuck in a call (the failure this test looks for) goes too
	pkill -KILL -f "siphon-fuse -c $conf" 2>/dev/null
	cleanup_clusters
}
trap 'set +e; cleanup' EXIT

"$SIPHON_FUSE" -c "$conf" "$mnt" --log_file "$RUNDIR/bounded-siphon-fuse.log" ${SF_DEBUG:-} \
	--rados_osd_op_timeout 8 --client_request_timeout 30 || fail "siphon-fuse did not mount"
head -c $((8 << 20)) /dev/urandom >"$dir/old"
cp "$dir/old" "$mnt/old"
sync
echo 3 >/proc/sys/vm/drop_caches

# The files are opened first (opening asks the MDS, which itself waits for
# the stopped OSD: that wait is bounded by client_request_timeout), then
# the OSD is stopped and each call is timed. Prints "<what> <errno name or
# ok> <seconds>" per call.
timeout -k 5 120 python3 - "$mnt" "$osd" >"$dir/calls.txt" <<'EOF2' || true
import errno, os, signal, sys, time
mnt, osd = sys.argv[1], int(sys.argv[2])
new = os.open(os.path.join(mnt, "new"), os.O_WRONLY | os.O_CREAT, 0o644)
old = os.open(os.path.join(mnt, "old"), os.O_RDONLY)
syn = os.open(os.path.join(mnt, "syn"), os.O_WRONLY | os.O_CREAT | os.O_SYNC, 0o644)
os.kill(osd, signal.SIGSTOP)
def timed(what, fn):
    t0 = time.monotonic()
    try:
        fn()
        r = "ok"
    except OSError as e:
        r = errno.errorcode.get(e.errno, str(e.errno))
    print(what, r, round(time.monotonic() - t0, 1), flush=True)
def fsync():
    os.write(new, b"x" * 65536)   # buffered under Fb
    os.fsync(new)
timed("fsync", fsync)
timed("read", lambda: os.pread(old, 1 << 20, 0))
timed("osync", lambda: os.write(syn, b"y" * 65536))
EOF2
kill -CONT "$osd"
for what in fsync read osync; do
	set -- $(grep "^$what " "$dir/calls.txt" || echo "$what hung 120")
	[ "$2" != hung ] || fail "$what did not end with the OSD stopped"
	[ "$2" != ok ] || fail "$what succeeded with the OSD stopped"
	# the bound: the op timeout (8 s) and a little; not the 360 s default
	[ "${3%.*}" -le 30 ] || fail "$what took $3 s with the OSD stopped"
	ok "$what with the OSD stopped: $2 after $3 s"
done

# and the mount works again
for i in $(seq 1 30); do
	cmp -s "$dir/old" "$mnt/old" 2>/dev/null && break
	sleep 1
done
cmp -s "$dir/old" "$mnt/old" || fail "the mount does not read its file again after the OSD resumed"
echo again >"$mnt/again"
[ "$(cat "$mnt/again")" = again ] || fail "the mount does not write again after the OSD resumed"
ok "the mount reads and writes again once the OSD answers"

# sfsx (tests/stress/sfsx.c), siphon's model-checked random file tester,
# against one cluster: siphon-fuse alone (one file; several files), siphon's
# library, siphon-fuse with ceph-fuse as a second client of the same files,
# and ceph-fuse alone as the reference. Shapes: files up to 16 MiB with ops
# up to 1 MiB, and 256 KiB files with 64 KiB ops in a directory whose
# layout (64 KiB stripe units over 3 objects of 1 MiB) makes ops cross
# objects all the time. The test directory has a quota, so that a runaway
# cannot fill the memstore OSD.
#
# About 3 minutes (debug build, 2 cores; each run's time is printed). A run
# is stopped after 150 s; sfsx itself reports an op stuck for 60 s (HANG),
# but a process stuck in a FUSE request may only end with the timeout. A
# run that leaves the cluster without a daemon (an OSD crash) makes the
# remaining runs be skipped. Environment:
#   SFSX_LONG=1       every shape runs SFSX_OPS ops (default 1,000,000)
#   SFSX_OPS=N        ops per shape (default: the short counts below)
#   SFSX_SEED=N       first seed (default 1000; each run adds its number)
#   SFSX_NO_PUNCH=1   no hole punching (-P) on siphon
#   SFSX_SHAPES="..." only the runs named (fuse-1file, lib-small, ...)
# Every run's op log (replayable with sfsx -R) and output stay in
# $RUNDIR/sfsx-runs/; a failure prints the mismatch, the seed and the last
# ops.
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
SFSX=${SFSX:-$(dirname "$SIPHON")/../../tests/stress/sfsx}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"
[ -x "$SFSX" ] || fail "no sfsx at $SFSX"

LONG=${SFSX_LONG:-0}
SEED=${SFSX_SEED:-1000}
HANG=60				# an op stuck this long is a hang (sfsx -T)
if [ "$LONG" = 1 ]; then
	OPS=${SFSX_OPS:-1000000}
	RUN_TIMEOUT=$((7 * 24 * 3600))	# sfsx -T still catches hangs
else
	RUN_TIMEOUT=150
fi
ops() { echo "${SFSX_OPS:-${OPS:-$1}}"; }	# short count unless overridden
PUNCH=()
[ "${SFSX_NO_PUNCH:-0}" = 1 ] && PUNCH=(-P)

cluster_start sfsx --mons 1 --osds 1 --mds 2 --memstore-bytes $((3 << 30))
dir=$(dirname "$CONF")
smnt="$dir/smnt" cmnt="$dir/cmnt" out="$RUNDIR/sfsx-runs"
rm -rf "$out"
mkdir -p "$smnt" "$cmnt" "$out"
sf_pid=
unmount() {
	fusermount3 -u "$smnt" 2>/dev/null || {
		[ -n "$sf_pid" ] && kill "$sf_pid" 2>/dev/null
		sleep 1
		umount -l "$smnt" 2>/dev/null
	} || true
	fusermount3 -u "$cmnt" 2>/dev/null || {
		[ -f "$dir/ceph-fuse.pid" ] && kill "$(cat "$dir/ceph-fuse.pid")" 2>/dev/null
		sleep 1
		umount -l "$cmnt" 2>/dev/null
	} || true
}
failures=()
# The cluster's directory goes with it: keep its logs (daemons, siphon-fuse,
# ceph-fuse) next to the op logs when something failed.
save_logs() {
	[ ${#failures[@]} -gt 0 ] || return 0
	mkdir -p "$out/logs"
	cp -r "$dir"/log/. "$dir"/*.log "$out/logs/" 2>/dev/null || true
}
trap 'unmount; save_logs; cleanup_clusters' EXIT
"$SIPHON_FUSE" -c "$CONF" "$smnt" --log_file "$dir/siphon-fuse.log" ||
	fail "siphon-fuse did not mount"
sf_pid=$(pgrep -nf "siphon-fuse -c $CONF" || true)
ceph-fuse -c "$CONF" "$cmnt" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"

# /sfsx: 1 GiB quota (sfsx needs at most 4 x 16 MiB per run).
# /sfsx/small: 64 KiB stripe units over 3 objects of 1 MiB.
# (setfattr through python3: the attr package is not among our dependencies)
setx() { python3 -c 'import os, sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())' "$@"; }
mkdir "$cmnt/sfsx" "$cmnt/sfsx/small"
setx "$cmnt/sfsx" ceph.quota.max_bytes $((1 << 30)) || fail "cannot set the quota"
setx "$cmnt/sfsx/small" ceph.dir.layout.stripe_unit 65536 &&
	setx "$cmnt/sfsx/small" ceph.dir.layout.stripe_count 3 &&
	setx "$cmnt/sfsx/small" ceph.dir.layout.object_size 1048576 ||
	fail "cannot set the small layout"

nrun=0 nfail=0 cluster_down=0
# Runs sfsx once; a failure is recorded (the other runs still go) and its
# report printed. NAME names the op log and output in $out.
run() {	# NAME SFSX-ARGS...
	local name=$1; shift
	local seed=$((SEED + nrun)) t0=$SECONDS rc=0
	nrun=$((nrun + 1))
	# SFSX_SHAPES="a b": only those runs (each keeps its seed)
	if [ -n "${SFSX_SHAPES:-}" ] && [[ " $SFSX_SHAPES " != *" $name "* ]]; then
		return 0
	fi
	if [ "$cluster_down" = 1 ]; then
		echo "skipped: $name (the cluster lost a daemon)"
		failures+=("$name (skipped)")
		return
	fi
	timeout -k 10 "$RUN_TIMEOUT" "$SFSX" -q -S "$seed" -T "$HANG" \
		-L "$out/$name.log" "$@" >"$out/$name.out" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		ok "$name: sfsx -S $seed $* ($((SECONDS - t0)) s)"
		# a million-op log is ~100 MB: kept only when the run fails
		if [ "$LONG" = 1 ]; then rm -f "$out/$name.log"; fi
		return 0
	fi
	nfail=$((nfail + 1))
	failures+=("$name")
	echo "FAIL: $name: sfsx -S $seed $* exited $rc after $((SECONDS - t0)) s" \
		"(log $out/$name.log)" >&2
	[ "$rc" = 124 ] && echo "  (killed by timeout after $RUN_TIMEOUT s)" >&2
	sed -n '1,60p' "$out/$name.out" | sed 's/^/  /' >&2
	if ! "$top/scripts/cluster" status --dir "$dir" >/dev/null 2>&1; then
		echo "  the cluster lost a daemon: the remaining runs are skipped" >&2
		cluster_down=1
	fi
}

mkdir -p "$smnt/sfsx/fuse1" "$smnt/sfsx/fuse4" "$smnt/sfsx/small/fuse" \
	"$smnt/sfsx/small/fuse4m" "$smnt/sfsx/two" "$smnt/sfsx/small/two" \
	"$cmnt/sfsx/ref" "$cmnt/sfsx/small/ref"

# siphon-fuse alone.
run fuse-1file "${PUNCH[@]}" -N "$(ops 10000)" -l 16M -o 1M -f 1 -d "$smnt/sfsx/fuse1"
run fuse-4files "${PUNCH[@]}" -N "$(ops 10000)" -l 16M -o 1M -f 4 -V 4000 -d "$smnt/sfsx/fuse4"
run fuse-small "${PUNCH[@]}" -N "$(ops 20000)" -l 256K -o 64K -f 2 -V 5000 \
	-d "$smnt/sfsx/small/fuse"
run fuse-small-4m "${PUNCH[@]}" -N "$(ops 8000)" -l 4M -o 1M -f 2 -d "$smnt/sfsx/small/fuse4m"
# siphon's library (no mmap, no copy_file_range there).
run lib-3files "${PUNCH[@]}" -N "$(ops 10000)" -l 16M -o 1M -f 3 -c "$CONF" -r /sfsx/lib
run lib-small "${PUNCH[@]}" -N "$(ops 15000)" -l 256K -o 64K -f 2 -c "$CONF" -r /sfsx/small/lib
# siphon-fuse and ceph-fuse on the same files, each op by one at random.
# -D: the client taking a file over drops its kernel page cache for it,
# as ceph-fuse needs even against another ceph-fuse (see sfsx.c, use_file).
run two-clients "${PUNCH[@]}" -D -N "$(ops 5000)" -l 16M -o 1M -f 2 \
	-d "$smnt/sfsx/two" -2 "$cmnt/sfsx/two"
run two-clients-small "${PUNCH[@]}" -D -N "$(ops 6000)" -l 256K -o 64K -f 2 \
	-d "$smnt/sfsx/small/two" -2 "$cmnt/sfsx/small/two"
# ceph-fuse alone: the reference (a failure here is the tester's or Ceph's).
run ceph-fuse-ref -N "$(ops 8000)" -l 16M -o 1M -f 2 -d "$cmnt/sfsx/ref"
run ceph-fuse-ref-small -N "$(ops 10000)" -l 256K -o 64K -f 2 -d "$cmnt/sfsx/small/ref"

[ "$nfail" = 0 ] && [ ${#failures[@]} = 0 ] ||
	fail "sfsx: ${#failures[@]} of $nrun runs failed: ${failures[*]}"
ok "sfsx: $nrun runs clean"

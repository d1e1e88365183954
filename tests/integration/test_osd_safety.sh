# Every kind of OSD op siphon-fuse produces for file data, sent to a real
# cluster: writes, reads, zeroing and punching at, across and past object
# ends, truncations down and up with writes after them, mmap writes before
# a truncation, under three layouts (Ceph's default, 1 MiB objects, and
# 64 KiB units striped over 4 objects). After each sequence:
#   - the OSD process still runs and is up in the map (a ZERO sent with
#     truncate fields once made the OSD abort: issue 13);
#   - the file's bytes read through siphon-fuse (caches dropped) and
#     through ceph-fuse equal those of the same xfs_io commands run on a
#     local file (the OSDs hold what POSIX says, not what was truncated);
# and at the end the OSD's log of every op it got from a client says the
# ops are the ones Ceph's clients send: ZERO without truncate fields, and
# each op's truncate_size the object's share of the file's (at most the
# object size), not the file's size (which left bytes of a truncated file
# on the OSDs, to come back when the file grew again).
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"
command -v xfs_io >/dev/null || fail "xfs_io (xfsprogs) is missing"

cluster_start osdsafe --mons 1 --osds 1 --mds 1 --memstore-bytes $((2 << 30)) \
	--set 'debug osd = 10'
conf=$CONF
dir=$(dirname "$conf")
sfm="$dir/mnt-sf" cfm="$dir/mnt-cf" loc="$dir/local"
mkdir -p "$sfm" "$cfm" "$loc"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"
unmount() {
	for m in "$sfm" "$cfm"; do
		mountpoint -q "$m" && { fusermount3 -u "$m" 2>/dev/null || umount -l "$m"; }
	done
	return 0
}
trap 'set +e; unmount; cleanup_clusters' EXIT

"$SIPHON_FUSE" -c "$conf" "$sfm" --log_file "$dir/siphon-fuse.log" || fail "siphon-fuse did not mount"
ceph-fuse -c "$conf" "$cfm" --pid_file "$dir/ceph-fuse.pid" --admin_socket "$dir/ceph-fuse.asok" \
	--log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 || fail "ceph-fuse did not mount"

osd_pid=$(cat "$dir"/run/osd.0.pid 2>/dev/null || pgrep -f "ceph-osd -c $conf -i 0" | head -1)
[ -n "$osd_pid" ] || fail "no OSD pid"
osd_alive() {
	kill -0 "$osd_pid" 2>/dev/null || return 1
	[ "$(ceph_json "$conf" osd stat | python3 -c 'import json,sys; print(json.load(sys.stdin)["num_up_osds"])')" = 1 ]
}

# Layouts: the default (4 MiB objects), 1 MiB objects, and 64 KiB units
# over 4 objects of 1 MiB (file offsets and object offsets differ there).
mkdir "$cfm/def" "$cfm/small" "$cfm/striped"
setfattr -n ceph.dir.layout.stripe_unit -v 1048576 "$cfm/small"
setfattr -n ceph.dir.layout.object_size -v 1048576 "$cfm/small"
setfattr -n ceph.dir.layout.stripe_unit -v 65536 "$cfm/striped"
setfattr -n ceph.dir.layout.stripe_count -v 4 "$cfm/striped"
setfattr -n ceph.dir.layout.object_size -v 1048576 "$cfm/striped"
setfattr -n ceph.quota.max_bytes -v $((1 << 30)) "$cfm"

# The sequences, one per line: xfs_io commands separated by ';'.
seqs=(
	# the issue's reproducer: a punch reaching the end of object 0
	"pwrite -S 0x61 0 256k; truncate 150k; pwrite -S 0x62 140k 60k; fsync; fpunch 160k 40k"
	# punches ending on an object end, at the file's end, past it
	"pwrite -S 0x61 0 9m; fsync; fpunch 3m 1m; fpunch 7m 2m; fpunch 8704k 4m; fpunch 20m 1m"
	# punches across objects, a whole object, a tiny one
	"pwrite -S 0x61 0 10m; fpunch 1m 6m; fpunch 9m 100k; fpunch 4m 4m; fpunch 5000 1"
	# truncations down and up with writes after each
	"pwrite -S 0x61 0 12m; fsync; truncate 5m; pwrite -S 0x62 9m 64k; fsync; truncate 11m; pwrite -S 0x63 4m 8k; truncate 4100k; truncate 13m"
	# the same without syncs between, so write-behind meets the truncations
	"pwrite -S 0x61 0 12m; truncate 5m; pwrite -S 0x62 9m 64k; truncate 11m; pwrite -S 0x63 4m 8k; truncate 4100k; truncate 13m"
	# mmap writes reaching the OSDs before a truncation down, then growth
	"truncate 8m; mmap -w 0 8m; mwrite -S 0x63 3m 2m; msync -s 0 8m; munmap; truncate 2m; truncate 8m; pwrite -S 0x64 6m 4k"
	"pwrite -S 0x61 0 6m; mmap -w 0 6m; mwrite -S 0x65 5m 1m; msync -s 0 6m; munmap; truncate 1m; pwrite -S 0x66 5m 1m; truncate 3m; truncate 7m"
	# punch then truncate then punch, and keep-size fallocate
	"pwrite -S 0x61 0 6m; fpunch 0 64k; truncate 2m; falloc -k 0 1m; pwrite -S 0x67 3m 4k; fpunch 1m 3m; truncate 6m"
	# writes past the end after a truncation to zero
	"pwrite -S 0x61 0 5m; truncate 0; pwrite -S 0x68 4194000 1000; fsync; truncate 4194100; pwrite -S 0x69 9m 1"
)

n=0
for layout in def small striped; do
	for s in "${seqs[@]}"; do
		n=$((n + 1))
		args=()
		IFS=';' read -ra cmds <<<"$s"
		for c in "${cmds[@]}"; do args+=(-c "${c# }"); done
		args+=(-c fsync)
		f="$layout/f$n"
		rm -f "$loc/ref"
		xfs_io -f "${args[@]}" "$loc/ref" >/dev/null || fail "xfs_io on a local file: $s"
		# bounded: an op the OSD never answers (it died) must fail here
		timeout 120 xfs_io -f "${args[@]}" "$sfm/$f" >"$dir/xfs_io.out" 2>&1 ||
			{ cat "$dir/xfs_io.out"; fail "xfs_io on siphon-fuse ($layout): $s"; }
		grep -qi "error\|failed" "$dir/xfs_io.out" && { cat "$dir/xfs_io.out"; fail "xfs_io on siphon-fuse ($layout): $s"; }
		osd_alive || fail "the OSD died or went down after ($layout) $s"
		want=$(sha256sum <"$loc/ref")
		sync; echo 3 >/proc/sys/vm/drop_caches
		[ "$(stat -c %s "$sfm/$f")" = "$(stat -c %s "$loc/ref")" ] ||
			fail "size on siphon-fuse $(stat -c %s "$sfm/$f"), want $(stat -c %s "$loc/ref") after ($layout) $s"
		[ "$(timeout 120 sha256sum <"$sfm/$f")" = "$want" ] || fail "bytes on siphon-fuse differ after ($layout) $s"
		[ "$(timeout 120 sha256sum <"$cfm/$f")" = "$want" ] || {
			cmp "$loc/ref" "$cfm/$f" | head -3
			fail "bytes read by ceph-fuse differ after ($layout) $s"
		}
	done
	ok "$layout layout: ${#seqs[@]} sequences, bytes right on both clients, OSD alive"
done

# What the OSD was sent: "do_op osd_op(client.N.0:T PG OID [op off~len [seq@size] ...])".
# Object sizes by inode, from the layouts (an inode number is the OID's first part).
objsz="$dir/objsize"
: >"$objsz"
for layout in def small striped; do
	for f in "$cfm/$layout"/*; do
		printf '%x %s\n' "$(stat -c %i "$f")" \
			"$(getfattr --absolute-names --only-values -n ceph.file.layout.object_size "$f")" >>"$objsz"
	done
done
python3 - "$dir/log/osd.0.log" "$objsz" <<'EOF' || fail "the OSD's log shows ops Ceph's clients would not send"
import re, sys
log, objsz = sys.argv[1], sys.argv[2]
size = dict(l.split() for l in open(objsz))
op_re = re.compile(r"do_op osd_op\((client\.\d+)\.\d+:\d+ \S+ \S+:::([0-9a-f]+)\.([0-9a-f]{8}):head \[(.*?)\] snapc")
seen = bad = 0
for line in open(log, errors="replace"):
    m = op_re.search(line)
    if not m or m.group(2) not in size:
        continue
    limit = int(size[m.group(2)])
    for op in m.group(4).split(","):
        op = op.strip()
        seen += 1
        t = re.search(r"\[(\d+)@(-?\d+)\]", op)
        if op.startswith("zero") and t:
            bad += 1; print("ZERO with truncate fields:", m.group(1), m.group(2), m.group(3), op)
        elif t and int(t.group(2)) != -1 and int(t.group(2)) > limit:
            bad += 1; print("truncate_size past the object:", m.group(1), m.group(2), m.group(3), op)
print(f"{seen} ops on the test files checked, {bad} wrong")
sys.exit(1 if bad or seen == 0 else 0)
EOF
ok "every op on the OSD carried truncate fields as Ceph's clients send them"

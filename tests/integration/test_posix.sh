# POSIX semantics through siphon-fuse, compared with ceph-fuse on the same
# cluster: permissions and ownership, sticky directories, hard links and
# link counts, rename corner cases, O_EXCL, truncate/extend, timestamps,
# xattr flags, unlink of open files (tests/integration/posix_semantics.py
# prints one line per step; the two transcripts must be equal).
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE"

cluster_start posix --mons 1 --osds 1 --mds 2
dir=$(dirname "$CONF")
smnt="$dir/smnt" cmnt="$dir/cmnt"
mkdir -p "$smnt" "$cmnt"
unmount() {
	fusermount3 -u "$smnt" 2>/dev/null || umount -l "$smnt" 2>/dev/null || true
	fusermount3 -u "$cmnt" 2>/dev/null || umount -l "$cmnt" 2>/dev/null || true
}
trap 'unmount; cleanup_clusters' EXIT
"$SIPHON_FUSE" -c "$CONF" "$smnt" --log_file "$dir/siphon-fuse.log" ||
	fail "siphon-fuse did not mount"
ceph-fuse -c "$CONF" "$cmnt" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"

mkdir "$cmnt/c" "$smnt/s"
py=$(dirname "$0")/posix_semantics.py
python3 "$py" "$cmnt/c" >"$dir/ceph.txt" 2>&1 || { tail -5 "$dir/ceph.txt"; fail "the steps on ceph-fuse"; }
python3 "$py" "$smnt/s" >"$dir/siphon.txt" 2>&1 || { tail -5 "$dir/siphon.txt"; fail "the steps on siphon-fuse"; }
diff -u "$dir/ceph.txt" "$dir/siphon.txt" || fail "siphon-fuse and ceph-fuse disagree"
ok "$(wc -l <"$dir/siphon.txt") POSIX steps give the same results on siphon-fuse and ceph-fuse"

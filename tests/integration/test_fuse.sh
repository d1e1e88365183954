# siphon-fuse against ceph-fuse on one cluster: ordinary tools (cp -a, tar c
# and x, rsync, git clone, find, du, sha256sum, mmap, dd) run on a
# siphon-fuse mount and on a ceph-fuse mount give the same results, and
# each mount reads what the other wrote; changes made on one are seen on
# the other at once; POSIX odds and ends (links, xattrs, rename flags,
# ownership of what a user creates); mount failures are reported before
# the daemon detaches; fusermount3 -u and SIGTERM/SIGINT unmount and leave
# no process behind. Throughput and FUSE request sizes are printed for
# information only.
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE (is libfuse3-dev installed?)"
PY=/usr/bin/python3

cluster_start fuse --mons 1 --osds 1 --mds 2 --memstore-bytes $((3 << 30))
conf=$CONF
dir=$(dirname "$conf")
sfm="$dir/mnt-sf"	# siphon-fuse
cfm="$dir/mnt-cf"	# ceph-fuse
loc="$dir/local"
mkdir -p "$sfm" "$cfm" "$loc"
# ASan reports of a daemon would go to /dev/null: to files instead
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"

umount_all() {
	local p
	p=$(daemon_pid "$sfm")
	for m in "$sfm" "$cfm"; do
		if mountpoint -q "$m"; then
			fusermount3 -u "$m" 2>/dev/null || umount -l "$m" || echo "cannot unmount $m" >&2
		fi
	done
	# what would not go (a client stuck on a dead cluster) is killed
	[ -z "$p" ] || gone "$p" 20 || kill -KILL "$p" 2>/dev/null
	p=$(cat "$dir/ceph-fuse.pid" 2>/dev/null || true)
	[ -z "$p" ] || gone "$p" 10 || kill -KILL "$p" 2>/dev/null
	return 0
}
trap 'set +e; umount_all; rm -rf "$loc"; cleanup_clusters' EXIT
trap 'exit 1' INT TERM

s() { "$SIPHON" -c "$conf" "$@"; }
now() { date +%s.%N; }
rate() {	# BYTES START END
	awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { t = e - s; if (t <= 0) t = 1e-3;
		printf "%.1f MB/s (%.2f s)", b / t / 1e6, t }'
}
# The pid of the siphon-fuse daemon serving mount point $1 ("" if none).
daemon_pid() {
	local p
	for p in $(pgrep -x siphon-fuse 2>/dev/null); do
		tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | grep -q -- " $1\( \|$\)" &&
			[ "$(ps -o stat= -p "$p" | cut -c1)" != Z ] && { echo "$p"; return; }
	done
	echo ""
}
# Waits up to $2 s for process $1 to be gone (a zombie counts as gone).
gone() {
	local i st
	for ((i = 0; i < $2 * 10; i++)); do
		st=$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.1
	done
	return 1
}
sf_mount() {	# [siphon-fuse options...]
	"$SIPHON_FUSE" -c "$conf" --log_file "$dir/siphon-fuse.log" "$sfm" "$@" ||
		fail "siphon-fuse did not mount (exit $?)"
	mountpoint -q "$sfm" || fail "siphon-fuse exited 0 but $sfm is not a mount point"
}

# ---- mount failures: a message and a non-zero exit, before detaching ----
t0=$(now)
if out=$("$SIPHON_FUSE" -m 127.0.0.1:1 --client_mount_timeout 3 "$sfm" 2>&1); then
	fail "siphon-fuse with a bad monitor address exited 0"
fi
grep -qi "monitor" <<<"$out" || fail "bad monitor: unclear message: $out"
mountpoint -q "$sfm" && fail "bad monitor: something is mounted at $sfm"
[ -z "$(daemon_pid "$sfm")" ] || fail "bad monitor: a daemon is left behind"
ok "bad monitor address: exit non-zero in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s: $out"
if out=$("$SIPHON_FUSE" -c "$conf" -r /no/such/dir "$sfm" 2>&1); then
	fail "siphon-fuse with a missing root exited 0"
fi
grep -qi "no such file" <<<"$out" || fail "missing root: unclear message: $out"
mountpoint -q "$sfm" && fail "missing root: something is mounted"
[ -z "$(daemon_pid "$sfm")" ] || fail "missing root: a daemon is left behind"
ok "no such root: exit non-zero: $out"
if out=$("$SIPHON_FUSE" -c "$conf" --client_fs nosuchfs "$sfm" 2>&1); then
	fail "siphon-fuse with a missing file system exited 0"
fi
ok "no such file system: exit non-zero: $out"
if out=$("$SIPHON_FUSE" -c "$conf" "$dir/no-such-mountpoint" 2>&1); then
	fail "siphon-fuse with a missing mount point exited 0"
fi
ok "no such mount point: exit non-zero: $out"

# ---- both mounts ----
ceph-fuse -c "$conf" "$cfm" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"
sf_mount
pid=$(daemon_pid "$sfm")
[ -n "$pid" ] || fail "no siphon-fuse daemon for $sfm"
[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ] || fail "the daemon did not start its own session"
ok "siphon-fuse mounted as daemon $pid; $(grep " $sfm " /proc/self/mountinfo | awk '{print $NF}')"

S="$sfm/sf"; C="$cfm/cf"
mkdir "$S" "$C" || fail "mkdir of the test directories"
s xattr set /sf ceph.quota.max_bytes $((1 << 30)) && s xattr set /cf ceph.quota.max_bytes $((1 << 30)) ||
	fail "quota"

# ---- cp -a of a source tree ----
src="$loc/src"
cp -a "$top/src" "$src"
# a few things a source tree may hold beyond plain files
ln -s ../include "$src/inc-link"; ln "$src/client/api.c" "$src/api-hardlink.c"
mkdir -p "$src/empty/dir"; chmod 0750 "$src/empty"; : >"$src/empty-file"
touch -d '2001-02-03 04:05:06.123456789' "$src/client/fs.c"
listing() {	# DIR: what find sees, comparable across file systems
	(cd "$1" && find . -printf '%p %y %m %n/%Y %s %l %T@\n' |
		awk '$2 == "d" { $4 = "-"; $5 = "-" } { print }' | sort)
}
t0=$(now); cp -a "$src" "$S/src" || fail "cp -a to siphon-fuse"; t1=$(now)
cp -a "$src" "$C/src" || fail "cp -a to ceph-fuse"; t2=$(now)
echo "info: cp -a of $(find "$src" | wc -l) entries: siphon-fuse $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, ceph-fuse $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", b-a}') s"
diff -r --no-dereference "$src" "$S/src" || fail "cp -a: siphon-fuse's copy differs from the source"
diff -r --no-dereference "$src" "$C/src" || fail "cp -a: ceph-fuse's copy differs from the source"
# Across mounts, a few files only: the other client's first access to each
# file one client wrote waits for the MDS (several seconds each, see below)
cross="client/api.c tools/siphon.c mds/mdsc.c empty-file"
for f in $cross; do
	cmp -s "$src/$f" "$cfm/sf/src/$f" || fail "cp -a: ceph-fuse reads siphon-fuse's $f differently"
	cmp -s "$src/$f" "$sfm/cf/src/$f" || fail "cp -a: siphon-fuse reads ceph-fuse's $f differently"
done
listing "$S/src" >"$loc/l.sf"; listing "$C/src" >"$loc/l.cf"; listing "$src" >"$loc/l.local"
diff "$loc/l.cf" "$loc/l.sf" >"$loc/l.diff" || fail "find listings differ (ceph-fuse < > siphon-fuse): $(head -20 "$loc/l.diff")"
diff "$loc/l.local" "$loc/l.sf" >"$loc/l.diff" || fail "find listing differs from local (local < > siphon-fuse): $(head -20 "$loc/l.diff")"
[ "$(stat -c %h "$S/src/api-hardlink.c")" = 2 ] || fail "hard link count $(stat -c %h "$S/src/api-hardlink.c")"
a=$(stat -c %h "$S/src"); b=$(stat -c %h "$C/src")
[ "$a" = "$b" ] || echo "info: a directory's link count: siphon-fuse $a, ceph-fuse $b (not compared)"
ok "cp -a: identical contents, modes, link counts, sizes, symlinks and mtimes (ns) on both mounts; $(wc -w <<<"$cross") files read across"

# ---- find, du, sha256sum ----
(cd "$S/src" && find . | sort) >"$loc/f.sf"; (cd "$C/src" && find . | sort) >"$loc/f.cf"
cmp -s "$loc/f.sf" "$loc/f.cf" || fail "find: different names"
du_files() { (cd "$1" && find . -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1); }
a=$(du_files "$S/src"); b=$(du_files "$C/src")
[ "$a" = "$b" ] || fail "du -b of files: siphon-fuse $a, ceph-fuse $b"
a=$(du -s "$S/src" | cut -f1); b=$(du -s "$C/src" | cut -f1)
[ "$a" = "$b" ] || echo "info: du -s (blocks, directories included): siphon-fuse $a, ceph-fuse $b"
(cd "$S/src" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$loc/sha.sf"
(cd "$C/src" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$loc/sha.cf"
cmp -s "$loc/sha.sf" "$loc/sha.cf" || fail "sha256sum: the two copies differ"
ok "find, du ($(du_files "$S/src") bytes in files: same), sha256sum of $(wc -l <"$loc/sha.sf") files: same on both"

# ---- tar c and tar x ----
tar -C "$S" --sort=name --numeric-owner -cf "$loc/sf.tar" src || fail "tar c on siphon-fuse"
tar -C "$C" --sort=name --numeric-owner -cf "$loc/cf.tar" src || fail "tar c on ceph-fuse"
if ! cmp -s "$loc/sf.tar" "$loc/cf.tar"; then
	diff <(tar -tvf "$loc/cf.tar") <(tar -tvf "$loc/sf.tar") | head -20
	fail "tar c: the archives differ"
fi
mkdir "$S/tx" "$C/tx"
tar -C "$S/tx" -xf "$loc/sf.tar" || fail "tar x on siphon-fuse"
tar -C "$C/tx" -xf "$loc/sf.tar" || fail "tar x on ceph-fuse"
diff -r --no-dereference "$src" "$S/tx/src" || fail "tar x: siphon-fuse's tree differs"
listing "$S/tx/src" | diff - <(listing "$C/tx/src") >/dev/null || fail "tar x: listings differ"
# tar sets each file's mode and times right after writing it; siphon-fuse
# does that under the caps it holds exclusively and tells the MDS later:
# the other client must see them at once all the same
listing "$cfm/sf/tx/src" | diff - <(listing "$C/tx/src") ||
	fail "tar x: siphon-fuse's tree seen through ceph-fuse differs"
ok "tar c: byte-identical archives from both mounts; tar x: same trees"

# ---- rsync ----
rsync -a "$src/" "$S/rs/" || fail "rsync -a to siphon-fuse"
rsync -a "$src/" "$C/rs/" || fail "rsync -a to ceph-fuse"
ch=$(rsync -ani --checksum "$src/" "$S/rs/") || fail "rsync -n to siphon-fuse"
[ -z "$ch" ] || fail "rsync finds differences after rsync -a: $ch"
echo changed >>"$src/client/api.c"
ch=$(rsync -ai "$src/" "$S/rs/" | tr '\n' ' ')
grep -q "client/api.c" <<<"$ch" || fail "rsync -a of a changed file: $ch"
ch=$(rsync -ani --checksum "$src/" "$S/rs/")
[ -z "$ch" ] || fail "rsync finds differences after an update: $ch"
listing "$S/rs" | diff - <(listing "$C/rs") | grep -v api.c | grep -q . && fail "rsync: the trees differ"
ok "rsync -a: nothing left to copy after it, an update copies only what changed"

# ---- git clone of a local repository ----
git clone -q --bare "$top" "$loc/origin.git" || fail "git clone --bare of the repository"
git clone -q --no-hardlinks "$loc/origin.git" "$S/repo" || fail "git clone on siphon-fuse"
git clone -q --no-hardlinks "$loc/origin.git" "$C/repo" || fail "git clone on ceph-fuse"
git -C "$S/repo" fsck --full >/dev/null 2>&1 || fail "git fsck on siphon-fuse"
st=$(git -C "$S/repo" status --porcelain)
if [ -n "$st" ]; then
	# git compares the index's sizes and mtimes with stat's: a file it
	# sees as changed at first but not later had stale attributes
	echo "info: STALE: git status on siphon-fuse first said: $(head -5 <<<"$st" | tr '\n' ' ')"
	st=$(git -C "$S/repo" status --porcelain)
	[ -z "$st" ] || fail "git status on siphon-fuse: $(head <<<"$st")"
fi
[ "$(git -C "$S/repo" rev-parse HEAD)" = "$(git -C "$C/repo" rev-parse HEAD)" ] || fail "git: HEADs differ"
diff <(cd "$S/repo" && git ls-files -s | sha256sum) <(cd "$C/repo" && git ls-files -s | sha256sum) >/dev/null ||
	fail "git ls-files -s differs"
(cd "$S/repo" && git checkout -q -b t && echo x >>README.md && git -c user.name=t -c user.email=t@t commit -qam t) ||
	fail "git commit on siphon-fuse"
ok "git clone, fsck, status, a commit: same on both mounts ($(git -C "$S/repo" ls-files | wc -l) files)"

# ---- mmap ----
head -c 5000000 /dev/urandom >"$loc/mm"
cp "$loc/mm" "$S/mm"
$PY - "$S/mm" "$loc/mm" <<'EOF' || fail "mmap read on siphon-fuse"
import mmap, sys, hashlib
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "rb") as g:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    want = g.read()
    assert m[:] == want, "whole-file mmap differs"
    assert m[4096 * 300:4096 * 300 + 10] == want[4096 * 300:4096 * 300 + 10]
    m.close()
EOF
$PY - "$S/mm" <<'EOF' || fail "mmap write on siphon-fuse"
import mmap, sys
with open(sys.argv[1], "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
    m[10:20] = b"0123456789"
    m.flush()
    m.close()
EOF
printf 0123456789 | dd of="$loc/mm" bs=1 seek=10 conv=notrunc status=none
cmp "$loc/mm" "$cfm/sf/mm" || fail "ceph-fuse does not see the mmap write"
ok "mmap: read of 5 MB, a shared write seen by ceph-fuse"

# ---- coherence: each mount sees the other's changes at once ----
tc0=$(now)
# `seen WHAT CMD...`: CMD must hold at once; if it holds only later (within
# 2 s: the kernel's entry and attribute timeouts, 1 s at most), say so.
seen() {
	local what=$1 t0 i; shift
	"$@" && return 0
	t0=$(now)
	for ((i = 0; i < 20; i++)); do
		sleep 0.1
		if "$@"; then
			echo "info: STALE: $what seen only after $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}') s"
			stale=$((stale + 1))
			return 0
		fi
	done
	fail "$what: not seen after 2 s"
}
stale=0
echo one >"$S/co"
seen "ceph-fuse: siphon-fuse's new file" test "$(cat "$cfm/sf/co")" = one
echo two >"$cfm/sf/co2"
seen "siphon-fuse: ceph-fuse's new file" test "$(cat "$S/co2" 2>/dev/null)" = two
mv "$cfm/sf/co2" "$cfm/sf/co3"
seen "siphon-fuse: ceph-fuse's rename (old name gone)" test ! -e "$S/co2"
seen "siphon-fuse: ceph-fuse's rename (new name)" test "$(cat "$S/co3" 2>/dev/null)" = two
chmod 640 "$cfm/sf/co"
seen "siphon-fuse: ceph-fuse's chmod" test "$(stat -c %a "$S/co")" = 640
chmod 604 "$S/co"
seen "ceph-fuse: siphon-fuse's chmod" test "$(stat -c %a "$cfm/sf/co")" = 604
echo more >>"$cfm/sf/co"
seen "siphon-fuse: ceph-fuse's append" test "$(stat -c %s "$S/co")" = 9
[ "$(tail -1 "$S/co")" = more ] || fail "siphon-fuse reads $(tail -1 "$S/co") after ceph-fuse's append"
echo again >>"$S/co"
seen "ceph-fuse: siphon-fuse's append" test "$(stat -c %s "$cfm/sf/co")" = 15
mkdir "$S/cod"; touch "$S/cod/x"
seen "ceph-fuse: siphon-fuse's new entry in a listing" test "$(ls "$cfm/sf/cod")" = x
rm "$cfm/sf/cod/x"
seen "siphon-fuse: ceph-fuse's rm in a listing" test -z "$(ls "$S/cod")"
seen "siphon-fuse: ceph-fuse's rm" test ! -e "$S/cod/x"
rmdir "$S/cod"; rm "$S/co" "$S/co3"
seen "ceph-fuse: siphon-fuse's rmdir and rm" test ! -e "$cfm/sf/cod" -a ! -e "$cfm/sf/co"
ok "create, rename, chmod, append, readdir, rm on one mount: seen on the other, both ways, $stale of 14 checks late ($(awk -v a="$tc0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s)"

# ---- POSIX odds and ends ----
$PY - "$S" <<'EOF' || fail "POSIX checks on siphon-fuse"
import ctypes, errno, os, sys
d = sys.argv[1] + "/px"
os.mkdir(d)
a, b = d + "/a", d + "/b"
open(a, "w").write("a"); open(b, "w").write("b")
libc = ctypes.CDLL(None, use_errno=True)
def renameat2(x, y, flags):
    r = libc.renameat2(-100, x.encode(), -100, y.encode(), flags)
    return 0 if r == 0 else ctypes.get_errno()
assert renameat2(a, b, 1) == errno.EEXIST, "RENAME_NOREPLACE onto an existing name"
assert renameat2(a, b, 2) == errno.EINVAL, "RENAME_EXCHANGE"
assert renameat2(a, d + "/c", 1) == 0 and open(d + "/c").read() == "a"
os.rename(d + "/c", b)                      # replaces
assert open(b).read() == "a" and not os.path.exists(a)
try:
    os.open(b, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    raise AssertionError("O_EXCL on an existing file")
except FileExistsError:
    pass
os.setxattr(b, "user.k", b"v1")
assert os.getxattr(b, "user.k") == b"v1"
assert "user.k" in os.listxattr(b)
try:
    os.setxattr(b, "user.k", b"v2", os.XATTR_CREATE); raise AssertionError("XATTR_CREATE")
except FileExistsError:
    pass
try:
    os.setxattr(b, "user.n", b"v2", os.XATTR_REPLACE); raise AssertionError("XATTR_REPLACE")
except OSError as e:
    assert e.errno == errno.ENODATA, e
os.removexattr(b, "user.k")
assert "user.k" not in os.listxattr(b)
assert os.getxattr(d, "ceph.dir.entries") == b"1"
fd = os.open(b, os.O_RDWR)
os.ftruncate(fd, 10000); assert os.fstat(fd).st_size == 10000
os.ftruncate(fd, 3); assert os.pread(fd, 100, 0) == b"a\0\0"
os.utime(b, ns=(1_000_000_123, 2_000_000_456))
st = os.stat(b); assert st.st_mtime_ns == 2_000_000_456, st
os.unlink(b)                                # unlink of an open file
os.pwrite(fd, b"still", 0); assert os.pread(fd, 5, 0) == b"still"
os.close(fd)
assert os.listdir(d) == []
os.symlink("target/x", d + "/sl"); assert os.readlink(d + "/sl") == "target/x"
os.link(d + "/sl", d + "/sl2", follow_symlinks=False)
assert os.lstat(d + "/sl").st_nlink == 2
os.mknod(d + "/fifo", 0o600 | 0o010000)
import stat as S; assert S.S_ISFIFO(os.lstat(d + "/fifo").st_mode)
sv = os.statvfs(d); assert sv.f_bsize == 4 << 20 and sv.f_blocks > 0, sv
EOF
# what a user creates is theirs; the kernel checks permissions
chmod 1777 "$S/px"
su nobody -s /bin/sh -c "touch '$S/px/byuser' && mkdir '$S/px/userdir'" || fail "nobody cannot create in a 1777 directory"
[ "$(stat -c %U "$S/px/byuser")" = nobody ] || fail "a file nobody created belongs to $(stat -c %U "$S/px/byuser")"
[ "$(stat -c %U "$cfm/sf/px/userdir")" = nobody ] || fail "ceph-fuse sees nobody's directory as $(stat -c %U "$cfm/sf/px/userdir")'s"
touch "$S/px/rootfile"
su nobody -s /bin/sh -c "rm -f '$S/px/rootfile'" 2>/dev/null && fail "sticky bit: nobody removed root's file"
su nobody -s /bin/sh -c "echo x >>'$S/px/rootfile'" 2>/dev/null && fail "nobody wrote to root's 0644 file"
ok "rename NOREPLACE/EXCHANGE, O_EXCL, xattrs and flags, ceph.* vxattrs, truncate, utimes, unlink while open, symlink, link, mknod, statfs, ownership, permissions, sticky bit"

# ---- dd of 100 MiB ----
n=$((100 << 20))
for m in sf cf; do
	case $m in sf) d=$S ;; cf) d=$C ;; esac
	t0=$(now); dd if=/dev/zero of="$d/dd" bs=4M count=25 conv=fsync status=none || fail "dd write on $m"; t1=$(now)
	t2=$(now); dd if="$d/dd" of=/dev/null bs=4M status=none || fail "dd read on $m"; t3=$(now)
	echo "info: dd bs=4M 100 MiB on $m: write $(rate $n "$t0" "$t1"), read $(rate $n "$t2" "$t3")"
done
[ "$(stat -c %s "$cfm/sf/dd")" = $n ] || fail "ceph-fuse sees $(stat -c %s "$cfm/sf/dd") bytes of siphon-fuse's dd"
cmp -s "$cfm/sf/dd" "$S/../cf/dd" || fail "the two dd files differ"
head -c $n /dev/urandom >"$loc/rnd"
t0=$(now); dd if="$loc/rnd" of="$S/rnd" bs=4M status=none; t1=$(now)
echo "info: dd bs=4M of 100 MiB of random data to siphon-fuse: $(rate $n "$t0" "$t1")"
cmp -s "$loc/rnd" "$cfm/sf/rnd" || fail "ceph-fuse reads other bytes in siphon-fuse's 100 MiB file"
cmp -s "$loc/rnd" "$S/rnd" || fail "siphon-fuse reads other bytes in its 100 MiB file"
rm -f "$S/dd" "$C/dd" "$S/rnd" "$loc/rnd"
ok "dd of 100 MiB: same bytes through both mounts"

# ---- unmount: fusermount3 -u, then SIGTERM, then SIGINT in the foreground ----
rm -rf "$S" "$C" || fail "rm -rf of the test trees"
fusermount3 -u "$sfm" || fail "fusermount3 -u"
gone "$pid" 30 || fail "siphon-fuse $pid still runs 30 s after fusermount3 -u"
mountpoint -q "$sfm" && fail "still mounted after fusermount3 -u"
grep -q "unmounted" "$dir/siphon-fuse.log" || fail "the log does not say the daemon unmounted"
echo "info: $(grep 'requests:' "$dir/siphon-fuse.log" | tail -1 | sed 's/.*requests: /FUSE requests: /')"
ok "fusermount3 -u: unmounted, daemon gone"

sf_mount
pid=$(daemon_pid "$sfm")
echo data >"$sfm/t"
kill -TERM "$pid"
gone "$pid" 30 || fail "siphon-fuse $pid still runs 30 s after SIGTERM"
mountpoint -q "$sfm" && fail "still mounted after SIGTERM"
[ "$(cat "$cfm/t")" = data ] || fail "ceph-fuse does not see the file written before SIGTERM"
ok "SIGTERM: unmounted, daemon gone, data kept"

# a background job of a script starts with SIGINT ignored: restore it
env --default-signal=INT "$SIPHON_FUSE" -c "$conf" -f "$sfm" 2>"$dir/fg.err" &
fpid=$!
for ((i = 0; i < 100; i++)); do mountpoint -q "$sfm" && break; sleep 0.1; done
mountpoint -q "$sfm" || fail "siphon-fuse -f did not mount: $(cat "$dir/fg.err")"
[ "$(cat "$sfm/t")" = data ] || fail "siphon-fuse -f does not read t"
kill -INT "$fpid"
wait "$fpid" || fail "siphon-fuse -f exited $? after SIGINT: $(cat "$dir/fg.err") $(cat "$dir"/asan* "$dir"/ubsan* 2>/dev/null | head -60)"
mountpoint -q "$sfm" && fail "still mounted after SIGINT"
rm -f "$cfm/t"
ok "-f and SIGINT: clean exit 0"

ls "$dir"/asan* "$dir"/ubsan* >/dev/null 2>&1 && fail "ASan/UBSan reports: $(cat "$dir"/asan* "$dir"/ubsan* 2>/dev/null | head -40)"
umount_all
ok "no sanitizer reports"

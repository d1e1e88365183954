# siphon-fuse against ceph-fuse on one cluster: advisory locks taken on one
# mount hold against the other (flock and POSIX byte ranges, both ways),
# waiting locks are granted when the holder goes and can be interrupted
# (SIGALRM of flock -w, SIGINT) at once, without the MDS granting the
# abandoned lock later; closing a descriptor drops its locks; fallocate
# (punch hole, extend, keep size, the modes Ceph lacks) and RENAME_EXCHANGE
# give the same results on both mounts; the mount's kernel read-ahead is
# 1 MiB.
source "$(dirname "$0")/lib.sh"
SIPHON_FUSE=${SIPHON_FUSE:-$(dirname "$SIPHON")/../fuse/siphon-fuse}
[ -x "$SIPHON_FUSE" ] || fail "no siphon-fuse at $SIPHON_FUSE (is libfuse3-dev installed?)"
PY=/usr/bin/python3
H="$top/tests/integration/fuse_locks.py"

cluster_start fuselocks --mons 1 --osds 1 --mds 1 --memstore-bytes $((1 << 30))
conf=$CONF
dir=$(dirname "$conf")
sfm="$dir/mnt-sf"	# siphon-fuse
cfm="$dir/mnt-cf"	# ceph-fuse
loc="$dir/local"
mkdir -p "$sfm" "$cfm" "$loc"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"

HOLDERS=()	# background processes this script started
sf_pid=""
umount_all() {
	local p
	for p in "${HOLDERS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	for m in "$sfm" "$cfm"; do
		if mountpoint -q "$m"; then
			fusermount3 -u "$m" 2>/dev/null || umount -l "$m" || echo "cannot unmount $m" >&2
		fi
	done
	[ -z "$sf_pid" ] || gone "$sf_pid" 20 || kill -KILL "$sf_pid" 2>/dev/null
	p=$(cat "$dir/ceph-fuse.pid" 2>/dev/null || true)
	[ -z "$p" ] || gone "$p" 10 || kill -KILL "$p" 2>/dev/null
	return 0
}
trap 'set +e; umount_all; cleanup_clusters' EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# is $1 (seconds) within [$2, $3]?
within() { awk -v t="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(t >= lo && t <= hi) }'; }
gone() {	# PID SECONDS: gone (or a zombie) within that time?
	local i st
	for ((i = 0; i < $2 * 10; i++)); do
		st=$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.1
	done
	return 1
}
h() { "$PY" "$H" "$@"; }
# Starts `h ARGS...` in the background and waits for it to write READY.
hold() {	# READY ARGS...
	local rdy=$1 i; shift
	rm -f "$rdy"
	"$PY" "$H" "$@" &	# not through h(): $! must be python itself
	holder=$!
	HOLDERS+=("$holder")
	for ((i = 0; i < 100; i++)); do
		[ -e "$rdy" ] && return 0
		kill -0 "$holder" 2>/dev/null || fail "holder $* exited before holding"
		sleep 0.1
	done
	fail "holder $* did not take its lock in 10 s"
}
release() { kill "$holder"; wait "$holder" 2>/dev/null || true; }

ceph-fuse -c "$conf" "$cfm" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"
"$SIPHON_FUSE" -c "$conf" --log_file "$dir/siphon-fuse.log" --debug_fuse 10 "$sfm" ||
	fail "siphon-fuse did not mount"
for p in $(pgrep -x siphon-fuse); do
	tr '\0' ' ' </proc/$p/cmdline | grep -q -- " $sfm\( \|$\)" && sf_pid=$p
done
[ -n "$sf_pid" ] || fail "no siphon-fuse daemon for $sfm"
mkdir "$sfm/t" || fail "mkdir"
"$SIPHON" -c "$conf" xattr set /t ceph.quota.max_bytes $((256 << 20)) || fail "quota"
declare -A M=([sf]="$sfm/t" [cf]="$cfm/t")
declare -A NAME=([sf]=siphon-fuse [cf]=ceph-fuse)

# ---- flock(2): one mount holds, the other is refused, waits, is interrupted ----
touch "${M[sf]}/flk"
for pair in "sf cf" "cf sf"; do
	set -- $pair
	a=${M[$1]}/flk b=${M[$2]}/flk what="${NAME[$1]} holds, ${NAME[$2]} asks"
	hold "$loc/rdy" flock-hold "$a" "$loc/rdy"
	flock -n "$b" true && fail "flock: $what: flock -n got the lock"
	flock -s -n "$b" true && fail "flock: $what: flock -s -n got a shared lock"
	t0=$(now)
	flock -w 1 "$b" true && fail "flock: $what: flock -w 1 got the lock"
	t_alrm=$(since "$t0")
	within "$t_alrm" 0.9 2.5 || fail "flock: $what: flock -w 1 returned after $t_alrm s"
	t0=$(now)
	rc=0
	timeout -s INT 1 flock "$b" true || rc=$?
	t_int=$(since "$t0")
	[ "$rc" = 124 ] || fail "flock: $what: a waiting flock ended with $rc before SIGINT"
	within "$t_int" 0.9 2.5 || fail "flock: $what: SIGINT ended a waiting flock after $t_int s"
	# a waiter that is there when the holder goes gets the lock
	flock -w 20 "$b" -c "echo got >'$loc/got'" &
	w=$!
	sleep 0.5
	t0=$(now)
	release
	wait "$w" || fail "flock: $what: the waiter did not get the lock when the holder went"
	t=$(since "$t0")
	within "$t" 0 1.5 || fail "flock: $what: the waiter got the lock $t s after the holder went"
	# the interrupted waiters left nothing behind at the MDS (a waiting
	# lock left there would be granted now and never given back); the
	# waiter's own lock goes with its release, which the kernel sends
	# after close(2) returns, on both mounts: hence not flock -n
	t0=$(now)
	flock -w 5 "$a" true || fail "flock: $what: the lock is still taken 5 s after everyone went"
	t_free=$(since "$t0")
	hold "$loc/rdy" flock-hold "$a" "$loc/rdy" sh
	flock -s -n "$b" true || fail "flock: $what: two shared locks conflict"
	flock -n "$b" true && fail "flock: $what: an exclusive lock beside a shared one"
	release
	ok "flock: $what: refused (-n, -s -n), flock -w 1 gives up after $t_alrm s, SIGINT ends a waiting flock after $t_int s, a waiter gets the lock $t s after the holder exits and after that waiter exits the lock is free again within $t_free s, shared locks share"
done

# ---- POSIX byte-range locks (fcntl) ----
touch "${M[sf]}/plk"
for pair in "sf cf" "cf sf"; do
	set -- $pair
	a=${M[$1]}/plk b=${M[$2]}/plk what="${NAME[$1]} holds [0,100), ${NAME[$2]} asks"
	hold "$loc/rdy" posix-hold "$a" 0 100 "$loc/rdy"
	[ "$(h posix-try "$b" 50 10)" = EAGAIN ] || fail "fcntl: $what: F_SETLK of [50,60) not refused"
	[ "$(h posix-try "$b" 200 100)" = locked ] || fail "fcntl: $what: F_SETLK of [200,300) refused"
	r=$(h posix-getlk "$b" 10 5)
	[ "$r" = "write 0 100" ] || fail "fcntl: $what: F_GETLK says '$r'"
	r=$(h posix-wait "$b" 0 10 1)
	[[ "$r" == interrupted* ]] || fail "fcntl: $what: F_SETLKW with a 1 s alarm: $r"
	t_alrm=${r#* }
	within "$t_alrm" 0.9 2.5 || fail "fcntl: $what: the alarm ended F_SETLKW after $t_alrm s"
	t0=$(now)
	timeout -s INT 1 "$PY" "$H" posix-wait "$b" 0 10 0 >/dev/null 2>&1 || true
	t_int=$(since "$t0")
	within "$t_int" 0.9 2.5 || fail "fcntl: $what: SIGINT ended F_SETLKW after $t_int s"
	h posix-wait "$b" 0 10 20 >"$loc/w.out" &
	w=$!
	sleep 0.5
	t0=$(now)
	release
	wait "$w" || true
	r=$(cat "$loc/w.out")
	[[ "$r" == locked* ]] || fail "fcntl: $what: the waiter: $r"
	t=$(since "$t0")
	within "$t" 0 1.5 || fail "fcntl: $what: the waiter got the lock $t s after the holder went"
	[ "$(h posix-try "$a" 0 100)" = locked ] ||
		fail "fcntl: $what: the range is still locked after everyone went"
	ok "fcntl: $what: F_SETLK refused or granted by range, F_GETLK names the holder's range, F_SETLKW ended by SIGALRM after $t_alrm s and by SIGINT after $t_int s, granted $t s after the holder exits"
done

# ---- closing a descriptor drops the process's POSIX locks ----
for m in sf cf; do
	o=$([ $m = sf ] && echo cf || echo sf)
	hold "$loc/rdy" posix-hold "${M[$m]}/plk" 0 100 "$loc/rdy" close
	r=$(h posix-try "${M[$o]}/plk" 0 10)
	release
	[ "$r" = locked ] || fail "fcntl: ${NAME[$m]}: a closed descriptor's lock still holds (${NAME[$o]}: $r)"
	hold "$loc/rdy" posix-hold "${M[$m]}/plk" 0 100 "$loc/rdy" close-other
	r=$(h posix-try "${M[$o]}/plk" 0 10)
	release
	if [ $m = sf ]; then
		[ "$r" = locked ] || fail "fcntl: siphon-fuse: closing another descriptor of the file kept the process's lock ($r)"
	elif [ "$r" != locked ]; then
		echo "info: ceph-fuse keeps a process's POSIX lock when it closes another descriptor of the file (POSIX drops it; siphon-fuse does)"
	fi
done
ok "fcntl: close(2) drops the locks on both mounts; closing any descriptor of the file drops them on siphon-fuse"

# ---- fallocate ----
MiB=$((1 << 20))
head -c $((10 * MiB)) /dev/urandom >"$loc/orig"
"$PY" - "$loc/orig" "$loc/want" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
M = 1 << 20
d[3 * M:9 * M] = bytes(6 * M)                       # a punch over 3 objects
d[19 * M // 2:] = bytes(len(d) - 19 * M // 2)       # a punch past the end
d += bytes(2 * M)                                   # mode 0 to 12 MiB
open(sys.argv[2], "wb").write(d)
EOF
falloc_run() {	# MOUNT: the same steps on a file of that mount; prints a transcript
	local f=${M[$1]}/fa.$1
	cp "$loc/orig" "$f"
	echo "punch 3M+6M: $(h falloc "$f" 3 $((3 * MiB)) $((6 * MiB))) size $(stat -c %s "$f")"
	echo "punch past the end: $(h falloc "$f" 3 $((19 * MiB / 2)) $((10 * MiB))) size $(stat -c %s "$f")"
	echo "extend to 12M: $(h falloc "$f" 0 0 $((12 * MiB))) size $(stat -c %s "$f")"
	echo "within the size: $(h falloc "$f" 0 0 $MiB) size $(stat -c %s "$f")"
	echo "keep size: $(h falloc "$f" 1 0 $((20 * MiB))) size $(stat -c %s "$f")"
	echo "punch alone: $(h falloc "$f" 2 0 4096)"
	echo "zero range: $(h falloc "$f" 0x10 0 4096)"
	echo "collapse range: $(h falloc "$f" 0x8 0 $((4 * MiB)))"
	echo "insert range: $(h falloc "$f" 0x20 0 $((4 * MiB)))"
	echo "length 0: $(h falloc "$f" 0 0 0)"
	echo "write then punch on one descriptor: $(h write-punch "${M[$1]}/wp.$1")"
}
falloc_run sf >"$loc/fa.sf"
falloc_run cf >"$loc/fa.cf"
diff "$loc/fa.cf" "$loc/fa.sf" >"$loc/fa.diff" ||
	fail "fallocate: ceph-fuse < > siphon-fuse: $(cat "$loc/fa.diff")"
grep -q "punch 3M+6M: 0 size $((10 * MiB))" "$loc/fa.sf" || fail "fallocate: $(cat "$loc/fa.sf")"
grep -q "extend to 12M: 0 size $((12 * MiB))" "$loc/fa.sf" || fail "fallocate: $(cat "$loc/fa.sf")"
grep -q "zero range: EOPNOTSUPP" "$loc/fa.sf" || fail "fallocate: $(cat "$loc/fa.sf")"
grep -q "write then punch on one descriptor: zeros" "$loc/fa.sf" || fail "fallocate: $(cat "$loc/fa.sf")"
for m in sf cf; do
	for via in sf cf; do
		cmp -s "$loc/want" "${M[$via]}/fa.$m" ||
			fail "fallocate: ${NAME[$via]} reads ${NAME[$m]}'s punched and extended file wrongly: $(cmp "$loc/want" "${M[$via]}/fa.$m" 2>&1 | head -1)"
	done
done
# what the punch did to the RADOS objects: the one wholly inside is gone,
# the first object (it holds the backtrace) stays
ino=$(stat -c %i "${M[sf]}/fa.sf")
obj() { rados -c "$conf" -p cephfs_data stat "$(printf '%x.%08x' "$ino" "$1")" >/dev/null 2>&1; }
obj 0 || fail "fallocate: the punch removed the file's first object"
obj 1 && fail "fallocate: the object wholly inside the hole is still there"
obj 2 || fail "fallocate: the third object is gone (only part of it was punched)"
ok "fallocate: punch hole (3 objects, past the end, after a buffered write), extend, keep size, ENOTSUP modes: $(wc -l <"$loc/fa.sf") steps as on ceph-fuse, same bytes read through both mounts"

# ---- renameat2 flags ----
ren_run() {	# MOUNT
	local d=${M[$1]}/ren.$1
	mkdir "$d" && echo a >"$d/a" && echo b >"$d/b" && mkdir "$d/dir"
	echo "exchange two files: $(h rename2 "$d/a" "$d/b" 2) a=$(cat "$d/a") b=$(cat "$d/b")"
	echo "exchange file and directory: $(h rename2 "$d/a" "$d/dir" 2) a=$(cat "$d/a")"
	echo "exchange with a missing name: $(h rename2 "$d/a" "$d/none" 2)"
	echo "noreplace onto a name: $(h rename2 "$d/a" "$d/b" 1) a=$(cat "$d/a") b=$(cat "$d/b")"
	echo "whiteout: $(h rename2 "$d/a" "$d/w" 4)"
}
ren_run sf >"$loc/ren.sf"
ren_run cf >"$loc/ren.cf"
diff "$loc/ren.cf" "$loc/ren.sf" >"$loc/ren.diff" ||
	fail "renameat2: ceph-fuse < > siphon-fuse: $(cat "$loc/ren.diff")"
grep -q "exchange two files: EINVAL a=a b=b" "$loc/ren.sf" || fail "renameat2: $(cat "$loc/ren.sf")"
r=$(h rename2 "${M[sf]}/ren.sf/a" "${M[sf]}/ren.sf/c" 1)
[ "$r" = 0 ] && [ "$(cat "${M[cf]}/ren.sf/c")" = a ] || fail "RENAME_NOREPLACE to a free name on siphon-fuse: $r"
echo "info: RENAME_NOREPLACE to a free name: siphon-fuse 0, ceph-fuse $(h rename2 "${M[cf]}/ren.cf/a" "${M[cf]}/ren.cf/c" 1)"
ok "renameat2: RENAME_EXCHANGE fails with EINVAL and changes nothing, as on ceph-fuse ($(wc -l <"$loc/ren.sf") cases)"

# ---- read-ahead ----
if [ "$(id -u)" = 0 ]; then
	ra=$(cat "/sys/class/bdi/$(mountpoint -d "$sfm")/read_ahead_kb")
	[ "$ra" = 1024 ] || fail "read-ahead of the siphon-fuse mount: $ra KiB"
	head -c $((32 * MiB)) /dev/urandom >"${M[sf]}/ra"
	cat "${M[sf]}/ra" >/dev/null
	echo "info: read-ahead of the ceph-fuse mount: $(cat "/sys/class/bdi/$(mountpoint -d "$cfm")/read_ahead_kb") KiB"
fi

rm -rf "${M[sf]}" || fail "rm -rf of the test tree"
fusermount3 -u "$sfm" || fail "fusermount3 -u"
gone "$sf_pid" 30 || fail "siphon-fuse still runs 30 s after fusermount3 -u"
if [ "$(id -u)" = 0 ]; then
	max=$(grep 'requests:' "$dir/siphon-fuse.log" | tail -1 | sed -n 's/.*reads of [0-9]* bytes (largest \([0-9]*\)).*/\1/p')
	[ -n "$max" ] && [ "$max" -ge $((512 << 10)) ] ||
		fail "read-ahead: the largest FUSE read was ${max:-?} bytes"
	ok "read-ahead: 1024 KiB for the siphon-fuse mount; reads of up to $max bytes"
fi
ls "$dir"/asan* "$dir"/ubsan* >/dev/null 2>&1 && fail "ASan/UBSan reports: $(cat "$dir"/asan* "$dir"/ubsan* 2>/dev/null | head -40)"
umount_all
ok "no sanitizer reports"

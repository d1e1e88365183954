# File data through siphon (put, get, cat, truncate and the library's
# open/read/write/lseek/fsync/truncate), checked byte for byte against a
# ceph-fuse mount of the same file system, in both directions: sizes around
# page and object boundaries, a file of more than 4 GiB, a striped layout,
# sparse files, truncation, O_APPEND and overwrites, sizes seen by the
# other client, errors, stdin/stdout, and an OSD restarted under a write.
# Throughput figures are printed for information only.
source "$(dirname "$0")/lib.sh"
FILE_IO=${FILE_IO:-$(dirname "$SIPHON")/../../tests/file_io}
BIG=${FILE_IO_BIG_BYTES:-$(( (4 << 30) + 4097 ))}	# crosses 4 GiB

cluster_start fileio --mons 1 --osds 1 --mds 2 --memstore-bytes $((10 << 30))
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
fio() { "$FILE_IO" "$conf" "$@"; }
sha() { sha256sum <"$1" | cut -c1-64; }
now() { date +%s.%N; }
rate() {	# BYTES START END -> "N.N MB/s in T s"
	awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { t = e - s; if (t <= 0) t = 1e-3;
		printf "%.1f MB/s (%.2f s)", b / t / 1e6, t }'
}
# Deterministic pseudo-random bytes, fast (AES-CTR of zeros).
gen() {	# BYTES SEED
	{ openssl enc -aes-128-ctr -nosalt -pass "pass:$2" -pbkdf2 </dev/zero 2>/dev/null ||
		true; } | head -c "$1"
}
# Both clients read REMOTE (a path under the mount) as LOCAL holds it.
same_both() {	# LOCAL REMOTE LABEL
	local want got
	want=$(sha "$1")
	got=$(sha "$mnt$2") || fail "$3: ceph-fuse cannot read $2"
	[ "$got" = "$want" ] || fail "$3: ceph-fuse reads other bytes in $2 ($(stat -c %s "$mnt$2") bytes, want $(stat -c %s "$1"))"
	got=$(s cat "$2" | sha256sum | cut -c1-64) || fail "$3: siphon cat $2"
	[ "$got" = "$want" ] || fail "$3: siphon cat reads other bytes in $2"
}

s mkdir -p /io || fail "mkdir /io"
# A quota keeps a runaway test from filling the memstore OSD.
s xattr set /io ceph.quota.max_bytes $((9 << 30)) || fail "quota"

# ---- sizes around page and object boundaries, both directions ----
sizes="0 1 4095 4194304 4194305 9000000 104857607"
for n in $sizes; do
	gen "$n" "s$n" >"$loc/s$n"
	s put "$loc/s$n" "/io/s2f.$n" 2>"$dir/err" || fail "put of $n bytes: $(cat "$dir/err")"
	[ ! -s "$dir/err" ] || fail "put wrote to a non-terminal stderr: $(cat "$dir/err")"
	[ "$(stat -c %s "$mnt/io/s2f.$n")" = "$n" ] || fail "ceph-fuse sees size $(stat -c %s "$mnt/io/s2f.$n") for $n"
	same_both "$loc/s$n" "/io/s2f.$n" "siphon->ceph-fuse $n bytes"
	s get "/io/s2f.$n" "$loc/back.$n" || fail "get of $n bytes"
	cmp -s "$loc/s$n" "$loc/back.$n" || fail "get of $n bytes differs"
	cp "$loc/s$n" "$mnt/io/f2s.$n"
	got=$(s stat "/io/f2s.$n" | awk '/Size:/ {print $2}')
	[ "$got" = "$n" ] || fail "siphon stat sees size $got for ceph-fuse's $n bytes"
	same_both "$loc/s$n" "/io/f2s.$n" "ceph-fuse->siphon $n bytes"
	rm -f "$loc/back.$n"
	s get "/io/f2s.$n" "$loc/back.$n" || fail "get of ceph-fuse's $n bytes"
	cmp -s "$loc/s$n" "$loc/back.$n" || fail "get of ceph-fuse's $n bytes differs"
	rm -f "$loc/back.$n"
done
ok "sizes $sizes: siphon -> ceph-fuse and ceph-fuse -> siphon"
n=104857607
t0=$(now); s put -f "$loc/s$n" /io/s2f.$n; t1=$(now)
echo "info: put of 100 MiB: $(rate $n "$t0" "$t1")"
t0=$(now); s get -f /io/s2f.$n "$loc/back"; t1=$(now)
echo "info: get of 100 MiB: $(rate $n "$t0" "$t1")"
cmp -s "$loc/s$n" "$loc/back" || fail "get -f of 100 MiB differs"
rm -f "$mnt"/io/s2f.* "$mnt"/io/f2s.* "$loc/back"

# ---- put/get behaviour: -f, directories, stdin/stdout, errors ----
gen 5000 a >"$loc/a"
gen 7000 b >"$loc/b"
s put "$loc/a" /io/x || fail "put"
if s put "$loc/b" /io/x 2>"$dir/err"; then fail "put over an existing file without -f succeeded"; fi
grep -q "^siphon: /io/x: File exists" "$dir/err" || fail "put over a file: $(cat "$dir/err")"
cmp -s "$loc/a" "$mnt/io/x" || fail "a refused put changed the file"
s put -f "$loc/b" /io/x || fail "put -f"
cmp -s "$loc/b" "$mnt/io/x" || fail "put -f did not replace the whole file"
s mkdir /io/d || fail mkdir
s put "$loc/a" /io/d || fail "put into a directory"
cmp -s "$loc/a" "$mnt/io/d/a" || fail "put into a directory: wrong file"
if s put "$loc/nope" /io/y 2>"$dir/err"; then fail "put of a missing local file succeeded"; fi
grep -qx "siphon: $loc/nope: No such file or directory" "$dir/err" || fail "put error: $(cat "$dir/err")"
[ -e "$mnt/io/y" ] && fail "a failed put left /io/y behind"
if s put "$loc/a" /io/nodir/y 2>"$dir/err"; then fail "put into a missing directory succeeded"; fi
grep -qx "siphon: /io/nodir/y: No such file or directory" "$dir/err" || fail "put error: $(cat "$dir/err")"
s get /io/x "$loc/got" || fail get
if s get /io/d/a "$loc/got" 2>"$dir/err"; then fail "get over an existing local file without -f succeeded"; fi
grep -q "^siphon: $loc/got: File exists" "$dir/err" || fail "get over a file: $(cat "$dir/err")"
cmp -s "$loc/b" "$loc/got" || fail "a refused get changed the local file"
s get -f /io/d/a "$loc/got" && cmp -s "$loc/a" "$loc/got" || fail "get -f"
mkdir "$loc/into"
s get /io/x "$loc/into" && cmp -s "$loc/b" "$loc/into/x" || fail "get into a directory"
if s get /io/missing "$loc/m" 2>"$dir/err"; then fail "get of a missing file succeeded"; fi
grep -qx "siphon: /io/missing: No such file or directory" "$dir/err" || fail "get error: $(cat "$dir/err")"
[ -e "$loc/m" ] && fail "a failed get left a local file"
set +e
s cat /io/missing >"$dir/out" 2>"$dir/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "cat of a missing file exits $rc"
[ "$(cat "$dir/err")" = "siphon: /io/missing: No such file or directory" ] || fail "cat error: $(cat "$dir/err")"
[ -s "$dir/out" ] && fail "cat of a missing file printed something"
set +e
s cat /io/x /io/missing /io/d/a >"$dir/out" 2>"$dir/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "cat with one missing file exits $rc"
cat "$loc/b" "$loc/a" | cmp -s - "$dir/out" || fail "cat of several files"
if s cat /io/d 2>"$dir/err"; then fail "cat of a directory succeeded"; fi
grep -qx "siphon: /io/d: Is a directory" "$dir/err" || fail "cat of a directory: $(cat "$dir/err")"
set +e
s put 2>/dev/null; rc=$?
set -e
[ "$rc" = 2 ] || fail "put without operands exits $rc"
gen 20000003 stdin >"$loc/stdin"
s put - /io/stdin <"$loc/stdin" || fail "put from stdin"
cat "$loc/stdin" | s put -f - /io/stdin || fail "put -f from a pipe"
same_both "$loc/stdin" /io/stdin "put from stdin"
s get /io/stdin - | cmp -s - "$loc/stdin" || fail "get to stdout"
if command -v script >/dev/null; then
	# a terminal on stderr gets a progress bar for a large copy
	script -qec "$SIPHON -c $conf get /io/stdin - >/dev/null" /dev/null >"$dir/tty" </dev/null ||
		fail "get on a terminal"
	grep -q "MB/s" "$dir/tty" || fail "no progress bar on a terminal: $(head -c 300 "$dir/tty")"
fi
ok "put/get: -f, directories, stdin and stdout, errors; cat of several files"

# ---- a file larger than 4 GiB ----
gen "$BIG" big >"$loc/big"
want=$(sha "$loc/big")
t0=$(now); s put "$loc/big" /io/big || fail "put of the big file"; t1=$(now)
put_rate=$(rate "$BIG" "$t0" "$t1")
[ "$(stat -c %s "$mnt/io/big")" = "$BIG" ] || fail "ceph-fuse sees size $(stat -c %s "$mnt/io/big") for the big file"
[ "$(sha "$mnt/io/big")" = "$want" ] || fail "ceph-fuse reads other bytes in the big file"
t0=$(now); s get /io/big "$loc/big.back" || fail "get of the big file"; t1=$(now)
get_rate=$(rate "$BIG" "$t0" "$t1")
[ "$(sha "$loc/big.back")" = "$want" ] || fail "get of the big file differs"
rm -f "$loc/big.back" "$mnt/io/big"
t0=$(now); cp "$loc/big" "$mnt/io/big2"; t1=$(now)
fuse_rate=$(rate "$BIG" "$t0" "$t1")
t0=$(now); got=$(s cat /io/big2 | sha256sum | cut -c1-64); t1=$(now)
[ "$got" = "$want" ] || fail "siphon reads other bytes in ceph-fuse's big file"
cat_rate=$(rate "$BIG" "$t0" "$t1")
rm -f "$loc/big" "$mnt/io/big2"
echo "info: $BIG bytes: siphon put $put_rate, get to a file $get_rate, cat to sha256sum $cat_rate; ceph-fuse cp in $fuse_rate"
ok "a file of $BIG bytes both ways"

# ---- a striped layout: 4 objects of 1 MiB in 256 KiB units ----
s mkdir /io/lay || fail mkdir
s xattr set /io/lay ceph.dir.layout.stripe_unit 262144 || fail "stripe_unit"
s xattr set /io/lay ceph.dir.layout.stripe_count 4 || fail "stripe_count"
s xattr set /io/lay ceph.dir.layout.object_size 1048576 || fail "object_size"
layout() {
	python3 -c "import os,sys; print(os.getxattr(sys.argv[1],'ceph.file.layout').decode())" "$1"
}
for n in 1 262145 1048576 4194305 9000000 33554439; do
	gen "$n" "lay$n" >"$loc/l$n"
	s put "$loc/l$n" "/io/lay/s.$n" || fail "put into the striped directory"
	l=$(layout "$mnt/io/lay/s.$n")
	case $l in *"stripe_unit=262144 stripe_count=4 object_size=1048576"*) ;;
		*) fail "siphon's file has layout '$l'" ;; esac
	same_both "$loc/l$n" "/io/lay/s.$n" "striped siphon->ceph-fuse $n"
	cp "$loc/l$n" "$mnt/io/lay/f.$n"
	same_both "$loc/l$n" "/io/lay/f.$n" "striped ceph-fuse->siphon $n"
done
# an overwrite across stripe units and objects
n=9000000
gen 3000000 over >"$loc/over"
fio pwrite /io/lay/s.$n 1000000 <"$loc/over" || fail "pwrite into a striped file"
dd if="$loc/over" of="$loc/l$n" bs=1M seek=1000000 oflag=seek_bytes conv=notrunc status=none
same_both "$loc/l$n" /io/lay/s.$n "overwrite in a striped file"
s xattr get /io/lay/s.$n ceph.file.layout | grep -q "stripe_count=4" || fail "siphon's ceph.file.layout"
rm -rf "$mnt/io/lay" "$loc"/l*
ok "striped layout (su 256 KiB, 4 objects of 1 MiB) both ways"

# ---- sparse files ----
truncate -s 0 "$loc/sp"
put_at() {	# REMOTE OFFSET BYTES SEED: via siphon, mirrored in $loc/sp
	gen "$3" "$4" >"$loc/piece"
	fio pwrite "$1" "$2" <"$loc/piece" || fail "pwrite at $2"
	dd if="$loc/piece" of="$loc/sp" bs=1M seek="$2" oflag=seek_bytes conv=notrunc status=none
}
put_at /io/sp 0 100 p1
put_at /io/sp $((50 << 20 | 3)) 5000 p2
put_at /io/sp $(( (300 << 20) + 7 )) 100000 p3
same_both "$loc/sp" /io/sp "sparse file written by siphon"
fio pread /io/sp $((20 << 20)) 4096 | cmp -s - <(head -c 4096 /dev/zero) || fail "a hole does not read as zeros"
s truncate -s 400M /io/sp || fail "truncate to extend"
truncate -s 400M "$loc/sp"
same_both "$loc/sp" /io/sp "sparse file extended by siphon truncate"
python3 -c "
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)
os.pwrite(fd, b'tail', 700 << 20)
os.close(fd)" "$mnt/io/fsp"
python3 -c "
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)
os.pwrite(fd, b'tail', 700 << 20)
os.close(fd)" "$loc/fsp"
same_both "$loc/fsp" /io/fsp "sparse file written by ceph-fuse"
rm -f "$mnt/io/sp" "$mnt/io/fsp" "$loc/sp" "$loc/fsp"
ok "sparse files and holes both ways"

# ---- truncation: shrink and grow, no stale bytes ----
gen 9000000 t >"$loc/t"
s put "$loc/t" /io/t || fail put
s truncate -s 5000000 /io/t || fail "truncate shrink"
truncate -s 5000000 "$loc/t"
same_both "$loc/t" /io/t "shrunk by siphon"
s truncate -s 12M /io/t || fail "truncate grow"
truncate -s 12M "$loc/t"
same_both "$loc/t" /io/t "shrunk then grown by siphon"
# shrink, then write past the old end: the bytes between stay zero
s truncate -s 1000 /io/t || fail "truncate"
truncate -s 1000 "$loc/t"
gen 10 w >"$loc/piece"
fio pwrite /io/t 6000000 <"$loc/piece" || fail pwrite
dd if="$loc/piece" of="$loc/t" bs=1M seek=6000000 oflag=seek_bytes conv=notrunc status=none
same_both "$loc/t" /io/t "shrunk, then written beyond"
truncate -s 3000 "$mnt/io/t"
truncate -s 3000 "$loc/t"
same_both "$loc/t" /io/t "shrunk by ceph-fuse"
truncate -s 9000000 "$mnt/io/t"
truncate -s 9000000 "$loc/t"
same_both "$loc/t" /io/t "shrunk and grown by ceph-fuse"
s truncate -s +1K /io/t && truncate -s +1K "$loc/t" || fail "truncate +1K"
s truncate -s -24 /io/t && truncate -s -24 "$loc/t" || fail "truncate -24"
[ "$(stat -c %s "$mnt/io/t")" = "$(stat -c %s "$loc/t")" ] || fail "relative truncate: size $(stat -c %s "$mnt/io/t")"
same_both "$loc/t" /io/t "relative sizes"
s truncate -s 0 /io/t && truncate -s 0 "$loc/t" || fail "truncate to 0"
same_both "$loc/t" /io/t "truncated to 0"
s truncate -c -s 10 /io/nocreate || fail "truncate -c of a missing file"
[ -e "$mnt/io/nocreate" ] && fail "truncate -c created a file"
s truncate -s 4K /io/created || fail "truncate of a missing file"
[ "$(stat -c %s "$mnt/io/created")" = 4096 ] || fail "truncate did not create a 4 KiB file"
if s truncate -s 1 /io/nodir/x 2>"$dir/err"; then fail "truncate in a missing directory succeeded"; fi
grep -qx "siphon: /io/nodir/x: No such file or directory" "$dir/err" || fail "truncate error: $(cat "$dir/err")"
if s truncate -s 1Q /io/t 2>/dev/null; then fail "truncate took size 1Q"; fi
ok "truncation: shrink, grow, write past a shrink, via both clients, relative sizes, -c"

# ---- O_APPEND, overwrites, the API's semantics ----
gen 3000 a0 >"$loc/ap"
cp "$loc/ap" "$mnt/io/ap"
gen 20000000 a1 >"$loc/piece"
fio append /io/ap <"$loc/piece" || fail "append"
cat "$loc/piece" >>"$loc/ap"
same_both "$loc/ap" /io/ap "O_APPEND onto ceph-fuse's file"
echo "more from ceph-fuse" >>"$mnt/io/ap"
echo "more from ceph-fuse" >>"$loc/ap"
gen 5000 a2 >"$loc/piece"
fio append /io/ap <"$loc/piece" || fail "append"
cat "$loc/piece" >>"$loc/ap"
same_both "$loc/ap" /io/ap "O_APPEND after ceph-fuse appended"
gen 9000000 ov >"$loc/ov"
cp "$loc/ov" "$mnt/io/ov"
gen 5000 mid >"$loc/piece"
fio pwrite /io/ov $(( (4 << 20) - 1000 )) <"$loc/piece" || fail "overwrite"
dd if="$loc/piece" of="$loc/ov" bs=1M seek=$(( (4 << 20) - 1000 )) oflag=seek_bytes conv=notrunc status=none
same_both "$loc/ov" /io/ov "overwrite across an object boundary"
fio pread /io/ov 4190000 9000 | cmp -s - <(tail -c +4190001 "$loc/ov" | head -c 9000) ||
	fail "pread across an object boundary"
fio semantics /io || fail "open/read/write/lseek/truncate semantics"
rm -f "$mnt/io/ap" "$mnt/io/ov"
ok "O_APPEND, overwrite in the middle, positions and errors"

# ---- sizes ceph-fuse sees while siphon has the file open ----
n=10485763
coproc HOLD { "$FILE_IO" "$conf" hold /io/held $n; }
exec {hold_in}<&"${HOLD[0]}" {hold_out}>&"${HOLD[1]}"
read -r -t 60 line <&$hold_in && [ "$line" = written ] || fail "file_io hold: '$line'"
[ "$(stat -c %s "$mnt/io/held")" = $n ] || fail "ceph-fuse sees size $(stat -c %s "$mnt/io/held") while siphon writes"
echo >&$hold_out
read -r -t 60 line <&$hold_in && [ "$line" = fsynced ] || fail "file_io hold: '$line'"
[ "$(stat -c %s "$mnt/io/held")" = $n ] || fail "ceph-fuse sees size $(stat -c %s "$mnt/io/held") after fsync"
echo >&$hold_out
read -r -t 60 line <&$hold_in && [ "$line" = closed ] || fail "file_io hold: '$line'"
[ "$(stat -c %s "$mnt/io/held")" = $n ] || fail "ceph-fuse sees size $(stat -c %s "$mnt/io/held") after close"
[ "$(head -c $n /dev/zero | tr '\0' h | sha256sum | cut -c1-64)" = "$(sha "$mnt/io/held")" ] ||
	fail "ceph-fuse reads other bytes in the held file"
echo >&$hold_out
wait "$HOLD_PID" || fail "file_io hold failed"
rm -f "$mnt/io/held"
ok "ceph-fuse sees the size while siphon writes, after fsync and after close"

# ---- an OSD restarted in the middle of a large write ----
rm -rf "${mnt:?}/io"/*
n=$((1 << 30))
gen $n osd >"$loc/osd"
want=$(sha "$loc/osd")
# fed at about 100 MB/s, so that the put is still running when the OSD stops
python3 -c "
import sys, time
with open(sys.argv[1], 'rb') as f:
    while True:
        b = f.read(8 << 20)
        if not b: break
        sys.stdout.buffer.write(b); sys.stdout.buffer.flush()
        time.sleep(0.08)" "$loc/osd" | s put - /io/osd 2>"$dir/osd.err" &
put_pid=$!
sleep 3
kill -0 $put_pid 2>/dev/null || fail "the put ended before the OSD was stopped"
"$top/scripts/cluster" kill --dir "$dir" --signal TERM osd.0 >/dev/null 2>&1 || fail "stopping osd.0"
"$top/scripts/cluster" restart --dir "$dir" osd.0 >/dev/null 2>&1 || fail "restarting osd.0"
kill -0 $put_pid 2>/dev/null || echo "info: the put ended while the OSD was being restarted"
wait $put_pid || fail "put across an OSD restart failed: $(cat "$dir/osd.err")"
same_both "$loc/osd" /io/osd "a put across an OSD restart"
rm -f "$loc/osd" "$mnt/io/osd"
ok "an OSD restarted in the middle of a 1 GiB put loses nothing"

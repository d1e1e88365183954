# The libcephfs-compatible library: compat_prog, one program written only
# against the libcephfs C API, is built against Ceph's own header and
# libcephfs (libcephfs-dev) and against siphon's header and
# libsiphon-cephfs. Both run against one cluster, each in its own
# directory, and must print the same transcript. The binary linked against
# Ceph's libcephfs.so.2 then runs again, unchanged, with LD_LIBRARY_PATH
# pointing at siphon's libcephfs.so.2, and must print it too. Also: the
# shared libraries export only their own API.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$SIPHON")/../.." && pwd)
COMPAT_PROG=${COMPAT_PROG:-$build/tests/compat_prog}
libdir=$build/src/compat

[ -x "$COMPAT_PROG" ] || fail "no $COMPAT_PROG: build siphon first"
[ -e "$libdir/libcephfs.so.2" ] || fail "no $libdir/libcephfs.so.2"

# ---- exported symbols ----
extra=$(nm -D --defined-only "$libdir/libsiphon-cephfs.so" | awk '{print $3}' | grep -v '^ceph_' || true)
[ -z "$extra" ] || fail "libsiphon-cephfs.so exports more than ceph_*: $(echo $extra | head -c 300)"
extra=$(nm -D --defined-only "$libdir/libsiphon.so" | awk '{print $3}' | grep -v '^siphon_' || true)
[ -z "$extra" ] || fail "libsiphon.so exports more than siphon_*: $(echo $extra | head -c 300)"
n=$(nm -D --defined-only "$libdir/libsiphon-cephfs.so" | grep -c ' T ceph_')
ok "libsiphon-cephfs.so exports $n ceph_* functions and nothing else; libsiphon.so only siphon_*"

# ---- the reference build, against Ceph's libcephfs ----
if [ ! -f /usr/include/cephfs/libcephfs.h ]; then
	"$top/scripts/install-deps" >&2 || true
fi
if [ ! -f /usr/include/cephfs/libcephfs.h ]; then
	echo "SKIP: SKIPPING THE libcephfs COMPARISON: libcephfs-dev is not installed and" \
		"scripts/install-deps could not install it (no apt network?)" >&2
	exit 0
fi

cluster_start compat --memstore-bytes $((1 << 30))
dir=$(dirname "$CONF")
ref="$dir/compat_prog.libcephfs"
cc -O1 -g -Wall -o "$ref" "$top/tests/integration/compat_prog.c" -lcephfs 2>"$dir/cc.err" ||
	fail "compat_prog does not build against Ceph's libcephfs: $(cat "$dir/cc.err")"
readelf -d "$ref" | grep -q 'NEEDED.*\[libcephfs.so.2\]' || fail "$ref does not need libcephfs.so.2"

run() {	# NAME DIR CMD...
	local name=$1 d=$2; shift 2
	timeout 300 "$@" "$CONF" "$d" >"$dir/$name.out" 2>"$dir/$name.err" ||
		fail "$name: exit $? ($(tail -5 "$dir/$name.err"))"
	grep -q '^release  *-> 0$' "$dir/$name.out" || fail "$name: the transcript is cut short"
}
same() {	# NAME
	diff -u "$dir/libcephfs.out" "$dir/$1.out" >"$dir/$1.diff" ||
		fail "$1 differs from libcephfs:"$'\n'"$(cat "$dir/$1.diff")"
}

run libcephfs /compat-libcephfs "$ref"
ok "libcephfs: $(wc -l <"$dir/libcephfs.out") lines of transcript"

run siphon /compat-siphon "$COMPAT_PROG"
same siphon
ok "compat_prog built against siphon's header and library: the same transcript"

# The same binary, on siphon's library. A sanitized build of the library
# needs its runtimes loaded first into the unsanitized program.
# (ldd's output is kept first: `ldd | grep -q` under pipefail fails at
# random when grep exits before ldd has written everything)
preload=""
deps=$(ldd "$libdir/libsiphon-cephfs.so")
for rt in asan ubsan; do
	if grep -q "lib$rt" <<<"$deps"; then
		preload="$preload $(gcc -print-file-name=lib$rt.so)"
	fi
done
deps=$(LD_LIBRARY_PATH=$libdir ldd "$ref")
grep -q "libcephfs.so.2 => $libdir/" <<<"$deps" ||
	fail "LD_LIBRARY_PATH does not put siphon's libcephfs.so.2 in front"
LD_PRELOAD=${preload# } LD_LIBRARY_PATH=$libdir run swap /compat-swap "$ref"
same swap
ok "the libcephfs-linked binary on siphon's libcephfs.so.2 (LD_LIBRARY_PATH): the same transcript"

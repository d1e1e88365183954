# The namespace commands against a real MDS, checked through a ceph-fuse
# mount of the same file system at the same time, both ways.
source "$(dirname "$0")/lib.sh"

cluster_start namespace --mons 1 --osds 1 --mds 2
conf=$CONF
dir=$(dirname "$conf")
mnt="$dir/mnt"
mkdir -p "$mnt"
ceph-fuse -c "$conf" "$mnt" --pid_file "$dir/ceph-fuse.pid" \
	--admin_socket "$dir/ceph-fuse.asok" --log_file "$dir/ceph-fuse.log" >/dev/null 2>&1 ||
	fail "ceph-fuse did not mount"
unmount() { fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true; }
trap 'unmount; cleanup_clusters' EXIT
s() { "$SIPHON" -c "$conf" "$@"; }

# siphon -> ceph-fuse
s mkdir -p /t/a/b || fail "mkdir -p"
[ -d "$mnt/t/a/b" ] || fail "ceph-fuse does not see siphon's mkdir"
s touch /t/f || fail touch
[ -f "$mnt/t/f" ] || fail "ceph-fuse does not see siphon's file"
s chmod 640 /t/f || fail chmod
[ "$(stat -c %a "$mnt/t/f")" = 640 ] || fail "ceph-fuse sees mode $(stat -c %a "$mnt/t/f")"
s chown 1234:5678 /t/f || fail chown
[ "$(stat -c %u:%g "$mnt/t/f")" = 1234:5678 ] || fail "ceph-fuse sees owner $(stat -c %u:%g "$mnt/t/f")"
s mv /t/f /t/g || fail mv
[ -e "$mnt/t/f" ] && fail "old name still there for ceph-fuse"
[ -f "$mnt/t/g" ] || fail "ceph-fuse does not see the rename"
s mv /t/g /t/a || fail "mv into a directory"
[ -f "$mnt/t/a/g" ] || fail "mv into a directory not seen"
s ln /t/a/g /t/hard || fail "ln"
[ "$(stat -c %h "$mnt/t/a/g")" = 2 ] || fail "link count $(stat -c %h "$mnt/t/a/g")"
s ln -s a/g /t/sym || fail "ln -s"
[ "$(readlink "$mnt/t/sym")" = a/g ] || fail "symlink target via ceph-fuse"
s xattr set /t/a user.color blue || fail "xattr set"
python3 -c "import os,sys; sys.exit(0 if os.getxattr('$mnt/t/a','user.color')==b'blue' else 1)" ||
	fail "ceph-fuse does not see the xattr"
s xattr set /t/a ceph.dir.layout.stripe_count 2 || fail "set ceph.dir.layout"
python3 -c "import os,sys; v=os.getxattr('$mnt/t/a','ceph.dir.layout').decode(); sys.exit(0 if 'stripe_count=2' in v else v)" ||
	fail "ceph-fuse does not see the layout"
ok "siphon's changes are seen by ceph-fuse"

# ceph-fuse -> siphon
mkdir "$mnt/t/fromfuse"
echo hi >"$mnt/t/fromfuse/file"
chmod 600 "$mnt/t/fromfuse/file"
s ls /t/fromfuse | grep -qx file || fail "siphon does not see ceph-fuse's file"
s stat /t/fromfuse/file | grep -q "Access: (0600" || fail "siphon does not see ceph-fuse's chmod"
s stat /t/fromfuse/file | grep -q "Size: 3 " || fail "siphon does not see the size"
mv "$mnt/t/fromfuse/file" "$mnt/t/fromfuse/renamed"
s ls /t/fromfuse | grep -qx renamed || fail "siphon does not see ceph-fuse's rename"
setfattr_py="import os; os.setxattr('$mnt/t/fromfuse/renamed','user.k',b'v')"
python3 -c "$setfattr_py"
[ "$(s xattr get /t/fromfuse/renamed user.k)" = v ] || fail "siphon does not see ceph-fuse's xattr"
[ "$(s readlink /t/sym)" = a/g ] || fail "readlink"
s xattr get /t/a ceph.dir.layout | grep -q "stripe_count=2" || fail "siphon's ceph.dir.layout"
rm "$mnt/t/fromfuse/renamed"
s ls /t/fromfuse | grep -q . && fail "siphon still lists a removed file"
ok "ceph-fuse's changes are seen by siphon"

# ls -l and stat agree with ceph-fuse's view
want=$(stat -c '%i %h %a %u %g' "$mnt/t/a/g")
got=$(s stat /t/a/g | awk '/Inode:/ {i=$2; l=$4} /Access: \(/ {gsub(/[()\/]/," "); m=$2; u=$5; g=$8} END {print i, l, m, u, g}')
m=$(printf %o "0$(echo "$got" | awk '{print $3}')" 2>/dev/null || true)
[ "$(echo "$got" | awk '{print $1, $2}')" = "$(echo "$want" | awk '{print $1, $2}')" ] ||
	fail "stat: siphon '$got', ceph-fuse '$want'"
ok "stat agrees on inode and links"

# a directory larger than one readdir reply
python3 - "$mnt/t/big" <<'PY'
import os, sys
d = sys.argv[1]
os.mkdir(d)
for i in range(3000):
    os.mknod(os.path.join(d, "f%05d" % i))
PY
n=$(s ls /t/big | wc -l)
[ "$n" = 3000 ] || fail "ls of 3000 entries gave $n"
ok "readdir of 3000 entries"

# errors look like coreutils', with a non-zero exit
if s ls /t/nope 2>"$dir/err"; then fail "ls of a missing path succeeded"; fi
grep -qx "siphon: /t/nope: No such file or directory" "$dir/err" || fail "error text: $(cat "$dir/err")"
if s rmdir /t 2>"$dir/err"; then fail "rmdir of a non-empty directory succeeded"; fi
grep -q "Directory not empty" "$dir/err" || fail "rmdir error: $(cat "$dir/err")"
if s rm /t/a 2>"$dir/err"; then fail "rm of a directory without -r succeeded"; fi
if s mkdir /t/a 2>"$dir/err"; then fail "mkdir of an existing directory succeeded"; fi
grep -q "File exists" "$dir/err" || fail "mkdir error: $(cat "$dir/err")"
ok "errors"

# rm -r removes everything, ceph-fuse agrees
s rm -r /t || fail "rm -r"
[ -e "$mnt/t" ] && fail "ceph-fuse still sees /t"
ok "rm -r"

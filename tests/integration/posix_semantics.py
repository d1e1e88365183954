#!/usr/bin/env python3
"""POSIX semantics on a mounted file system, as a transcript.

    posix_semantics.py DIR

Runs the same sequence of operations under DIR and prints one line per
step: what was done and what came of it (a value, or the errno name).
Run on a siphon-fuse mount and on a ceph-fuse mount of the same cluster,
the two transcripts must be equal. Nothing printed depends on inode
numbers, times of day or the client.

    posix_semantics.py --siphon-only DIR

runs the steps whose results ceph-fuse 16.2.15 cannot match (each says
why); test_posix.sh compares them with what POSIX and NFS want.

    posix_semantics.py save-handle PATH FILE
    posix_semantics.py open-handle MOUNTDIR FILE

keep a file handle (name_to_handle_at) in FILE, and open it later
(open_by_handle_at), from another mount of the file system: what a file
is, or a directory holds, or the errno name. Handles need
CAP_DAC_READ_SEARCH (the tests run as root).
"""
import ctypes
import errno
import os
import stat
import sys
import time


def out(what, val):
    print(f"{what}: {val}")


def run(what, fn, *args):
    try:
        val = fn(*args)
    except OSError as e:
        val = errno.errorcode.get(e.errno, str(e.errno))
    out(what, val)
    return val


def mode_of(path):
    return oct(stat.S_IMODE(os.lstat(path).st_mode))


def nlink(path):
    return os.lstat(path).st_nlink


def as_user(uid, gid, fn, *args):
    """Runs fn with the given effective ids (the test runs as root)."""
    os.setegid(gid)
    os.seteuid(uid)
    try:
        return fn(*args)
    finally:
        os.seteuid(0)
        os.setegid(0)


def write(path, data, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode=0o644):
    fd = os.open(path, flags, mode)
    try:
        return os.write(fd, data)
    finally:
        os.close(fd)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- directory streams and file handles, through libc ----

libc = ctypes.CDLL(None, use_errno=True)
libc.opendir.restype = ctypes.c_void_p
libc.opendir.argtypes = [ctypes.c_char_p]
libc.readdir.restype = ctypes.c_void_p
libc.readdir.argtypes = [ctypes.c_void_p]
libc.rewinddir.argtypes = [ctypes.c_void_p]
libc.closedir.argtypes = [ctypes.c_void_p]
libc.telldir.restype = ctypes.c_long
libc.telldir.argtypes = [ctypes.c_void_p]
libc.seekdir.argtypes = [ctypes.c_void_p, ctypes.c_long]


class Dirent(ctypes.Structure):     # glibc's struct dirent on Linux, 64-bit
    _fields_ = [("d_ino", ctypes.c_uint64), ("d_off", ctypes.c_int64),
                ("d_reclen", ctypes.c_ushort), ("d_type", ctypes.c_ubyte),
                ("d_name", ctypes.c_char * 256)]


def opendir(path):
    dp = libc.opendir(os.fsencode(path))
    if not dp:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return dp


def readdir_names(dp, limit=None):
    """The next names of the stream (all, or up to limit), . and .. left out."""
    names = []
    while limit is None or len(names) < limit:
        p = libc.readdir(dp)
        if not p:
            break
        name = ctypes.cast(p, ctypes.POINTER(Dirent)).contents.d_name.decode()
        if name not in (".", ".."):
            names.append(name)
    return names


class FileHandle(ctypes.Structure):
    _fields_ = [("handle_bytes", ctypes.c_uint), ("handle_type", ctypes.c_int),
                ("f_handle", ctypes.c_ubyte * 128)]


def name_to_handle(path):
    fh = FileHandle()
    fh.handle_bytes = 128
    mount_id = ctypes.c_int()
    if libc.name_to_handle_at(-100, os.fsencode(path), ctypes.byref(fh),
                              ctypes.byref(mount_id), 0):
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return bytes(fh)[:8 + fh.handle_bytes]


def open_by_handle(mountdir, handle):
    """What the handle opens: a file's bytes or a directory's sorted names."""
    fh = FileHandle.from_buffer_copy(handle + bytes(ctypes.sizeof(FileHandle) -
                                                    len(handle)))
    mfd = os.open(mountdir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fd = libc.open_by_handle_at(mfd, ctypes.byref(fh), os.O_RDONLY)
        if fd < 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
    finally:
        os.close(mfd)
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            return sorted(os.listdir(fd))
        return os.pread(fd, 100, 0)
    finally:
        os.close(fd)


def drop_caches():
    """The kernel forgets every unused dentry and inode (both mounts')."""
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3")


def dir_streams(d):
    """POSIX: after rewinddir a stream shows the directory as it is then;
    telldir/seekdir positions hold within a pass."""
    sd = os.path.join(d, "stream")
    q = lambda *names: os.path.join(sd, *names)
    os.mkdir(sd)
    for n in ("a", "b"):
        write(q(n), b"")
    dp = opendir(sd)
    write(q("c"), b"")
    os.unlink(q("a"))
    out("stream: first read after changes since opendir",
        sorted(readdir_names(dp)))
    write(q("d"), b"")
    os.unlink(q("b"))
    libc.rewinddir(dp)
    out("stream: after a pass, changes, rewinddir", sorted(readdir_names(dp)))
    libc.closedir(dp)
    dp = opendir(sd)
    write(q("e"), b"")
    libc.rewinddir(dp)
    out("stream: rewinddir before any read", sorted(readdir_names(dp)))
    libc.closedir(dp)
    # long names, so that a pass takes several READDIR requests
    for i in range(300):
        write(q("n%03d-%s" % (i, "x" * 40)), b"")
    dp = opendir(sd)
    first = readdir_names(dp, 100)
    pos = libc.telldir(dp)
    rest = readdir_names(dp)
    libc.seekdir(dp, pos)
    again = readdir_names(dp)
    out("stream: names in one pass", len(set(first + rest)))
    out("stream: seekdir(telldir) reads the same rest", again == rest)
    libc.seekdir(dp, pos)
    one = readdir_names(dp, 1)
    libc.seekdir(dp, 0)
    out("stream: seekdir back and forth", one == rest[:1] and
        sorted(readdir_names(dp)) == sorted(first + rest))
    libc.closedir(dp)


def handles(d):
    """A file handle opens its file as long as the file exists: with the
    kernel's caches dropped, after its name changed, through another link."""
    hd = os.path.join(d, "handles")
    q = lambda *names: os.path.join(hd, *names)
    os.mkdir(hd)
    os.mkdir(q("sub"))
    write(q("sub", "x"), b"")
    write(q("f"), b"by handle")
    run("name_to_handle_at file", lambda: len(name_to_handle(q("f"))) > 8)
    fh = name_to_handle(q("f"))
    dh = name_to_handle(q("sub"))
    run("open_by_handle_at", open_by_handle, d, fh)
    drop_caches()
    run("open_by_handle_at after drop_caches", open_by_handle, d, fh)
    run("directory by handle after drop_caches", open_by_handle, d, dh)
    os.link(q("f"), q("f2"))
    os.unlink(q("f"))
    drop_caches()
    run("by handle, first name removed, another link left",
        open_by_handle, d, fh)
    os.rename(q("f2"), q("sub", "moved"))
    drop_caches()
    run("by handle after a rename into a subdirectory", open_by_handle, d, fh)
    os.rename(q("sub"), q("sub2"))
    drop_caches()
    run("directory by handle after its rename", open_by_handle, d, dh)


def siphon_only(top):
    """Steps ceph-fuse 16.2.15 does not pass."""
    d = os.path.join(top, "siphon-only")
    os.makedirs(d)
    f = os.path.join(d, "gone")
    write(f, b"x")
    fh = name_to_handle(f)
    os.unlink(f)
    drop_caches()
    # ceph-fuse answers the kernel's lookup of the handle's node from its
    # own cache, which keeps an unlinked inode for seconds after the
    # unlink: it opens the removed file (ESTALE only later)
    run("handle of a removed file, caches dropped", open_by_handle, d, fh)
    os.rmdir(d)


def main(top):
    os.umask(0o022)
    d = os.path.join(top, "posix")
    os.makedirs(d)
    os.chmod(d, 0o777)
    p = lambda *names: os.path.join(d, *names)

    # O_EXCL and O_CREAT
    run("create", write, p("f"), b"hello")
    run("O_EXCL on existing", write, p("f"), b"x",
        os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    run("O_EXCL on new", write, p("g"), b"x",
        os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    run("open missing without O_CREAT", os.open, p("missing"), os.O_RDONLY)
    run("mode after umask 022", mode_of, p("f"))

    # truncate / extend / O_TRUNC / O_APPEND
    run("truncate to 2", os.truncate, p("f"), 2)
    run("content", read, p("f"))
    run("extend to 6", os.truncate, p("f"), 6)
    run("content after extend", read, p("f"))
    run("append", write, p("f"), b"!", os.O_WRONLY | os.O_APPEND)
    run("content after append", read, p("f"))
    run("O_TRUNC", write, p("f"), b"new", os.O_WRONLY | os.O_TRUNC)
    run("content after O_TRUNC", read, p("f"))
    run("size", lambda: os.stat(p("f")).st_size)

    # hard links and link counts
    run("link", os.link, p("f"), p("f2"))
    run("nlink after link", nlink, p("f"))
    run("link over existing", os.link, p("f"), p("g"))
    run("unlink one name", os.unlink, p("f2"))
    run("nlink after unlink", nlink, p("f"))
    run("mkdir", os.mkdir, p("dir"))
    run("dir nlink", nlink, p("dir"))
    run("link a directory", os.link, p("dir"), p("dir2"))

    # rename corner cases
    run("rename over a file", os.rename, p("g"), p("f"))
    run("content of the replaced name", read, p("f"))
    run("old name gone", os.path.exists, p("g"))
    run("rename onto itself", os.rename, p("f"), p("f"))
    run("mkdir d2", os.mkdir, p("d2"))
    run("rename dir over empty dir", os.rename, p("d2"), p("dir"))
    run("mkdir d3", os.mkdir, p("d3"))
    write(p("d3", "x"), b"x")
    run("rename dir over non-empty dir", os.rename, p("dir"), p("d3"))
    run("rename file over dir", os.rename, p("f"), p("d3"))
    run("rename dir over file", os.rename, p("dir"), p("f"))
    run("rename dir into itself", os.rename, p("d3"), p("d3", "sub"))
    run("rename missing", os.rename, p("nope"), p("x"))
    run("rmdir non-empty", os.rmdir, p("d3"))
    run("unlink a dir", os.unlink, p("d3"))
    run("rmdir a file", os.rmdir, p("f"))

    # symlinks
    run("symlink", os.symlink, "f", p("sl"))
    run("readlink", os.readlink, p("sl"))
    run("read through symlink", read, p("sl"))
    run("lstat is link", lambda: stat.S_ISLNK(os.lstat(p("sl")).st_mode))
    run("dangling symlink", os.symlink, "nowhere", p("dangling"))
    run("open dangling", os.open, p("dangling"), os.O_RDONLY)
    run("O_NOFOLLOW on symlink", os.open, p("sl"), os.O_RDONLY | os.O_NOFOLLOW)

    # permissions and ownership (as an unprivileged user)
    write(p("private"), b"secret", mode=0o600)
    run("other user reads 0600 file", as_user, 1000, 1000, read, p("private"))
    run("chmod 644", os.chmod, p("private"), 0o644)
    run("other user reads 0644 file", as_user, 1000, 1000, read, p("private"))
    run("other user writes 0644 file", as_user, 1000, 1000, write,
        p("private"), b"x", os.O_WRONLY)
    run("chown to 1000", os.chown, p("private"), 1000, 1000)
    run("owner now", lambda: (os.stat(p("private")).st_uid,
                              os.stat(p("private")).st_gid))
    run("owner chmods", as_user, 1000, 1000, os.chmod, p("private"), 0o640)
    run("non-owner chmods", as_user, 1001, 1001, os.chmod, p("private"), 0o777)
    run("mode", mode_of, p("private"))

    # sticky directory
    run("mkdir sticky", os.mkdir, p("tmp"))
    run("chmod 1777", os.chmod, p("tmp"), 0o1777)
    run("sticky mode", mode_of, p("tmp"))
    as_user(1000, 1000, write, p("tmp", "mine"), b"x")
    run("other user removes it in sticky dir", as_user, 1001, 1001,
        os.unlink, p("tmp", "mine"))
    run("owner removes it", as_user, 1000, 1000, os.unlink, p("tmp", "mine"))

    # timestamps
    run("utime", os.utime, p("f"), (1000000000, 1100000000))
    st = os.stat(p("f"))
    out("atime, mtime", (int(st.st_atime), int(st.st_mtime)))
    before = os.stat(p("f")).st_mtime
    time.sleep(1.1)
    write(p("f"), b"later", os.O_WRONLY)
    out("write moves mtime", os.stat(p("f")).st_mtime > before)
    before_c = os.stat(p("f")).st_ctime
    time.sleep(1.1)
    os.chmod(p("f"), 0o640)
    out("chmod moves ctime", os.stat(p("f")).st_ctime > before_c)

    # xattr flags
    run("setxattr", os.setxattr, p("f"), "user.a", b"1")
    run("XATTR_CREATE existing", os.setxattr, p("f"), "user.a", b"2",
        os.XATTR_CREATE)
    run("XATTR_REPLACE missing", os.setxattr, p("f"), "user.b", b"2",
        os.XATTR_REPLACE)
    run("XATTR_REPLACE existing", os.setxattr, p("f"), "user.a", b"3",
        os.XATTR_REPLACE)
    run("getxattr", os.getxattr, p("f"), "user.a")
    run("listxattr user.*", lambda: sorted(
        n for n in os.listxattr(p("f")) if n.startswith("user.")))
    run("removexattr", os.removexattr, p("f"), "user.a")
    run("getxattr removed", os.getxattr, p("f"), "user.a")

    # unlink of an open file
    write(p("open"), b"still here")
    fd = os.open(p("open"), os.O_RDWR)
    run("unlink open file", os.unlink, p("open"))
    run("name gone", os.path.exists, p("open"))
    run("read via open fd", os.pread, fd, 100, 0)
    run("write via open fd", os.pwrite, fd, b"!", 10)
    run("read again", os.pread, fd, 100, 0)
    os.close(fd)

    # directory streams and file handles
    dir_streams(d)
    handles(d)

    # directory listing
    out("listing", sorted(os.listdir(d)))

    # clean up
    for root, dirs, files in os.walk(d, topdown=False):
        for n in files:
            os.unlink(os.path.join(root, n))
        for n in dirs:
            path = os.path.join(root, n)
            if os.path.islink(path):
                os.unlink(path)
            else:
                os.rmdir(path)
    run("rmdir top", os.rmdir, d)


if __name__ == "__main__":
    if sys.argv[1] == "--siphon-only":
        siphon_only(sys.argv[2])
    elif sys.argv[1] == "save-handle":
        with open(sys.argv[3], "wb") as hf:
            hf.write(name_to_handle(sys.argv[2]))
    elif sys.argv[1] == "open-handle":
        with open(sys.argv[3], "rb") as hf:
            run("open_by_handle_at " + os.path.basename(sys.argv[3]),
                open_by_handle, sys.argv[2], hf.read())
    else:
        main(sys.argv[1])

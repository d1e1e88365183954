"""Lock, fallocate and rename probes for test_fuse_locks.sh, one action per
run, each printing one word (or a few) for the script to compare:

  flock-hold FILE READY [sh|ex]      flock(2) and hold it until killed
  posix-hold FILE START LEN READY [sleep|close|close-other]
                                     F_SETLK a write lock and hold it (close:
                                     close the fd and stay; close-other: open
                                     and close a second fd and stay)
  posix-try FILE START LEN           F_SETLK a write lock: locked or EAGAIN
  posix-getlk FILE START LEN         F_GETLK: unlocked, or write/read START LEN
  posix-wait FILE START LEN SECS     F_SETLKW, interrupted by SIGALRM after
                                     SECS (0: never): locked/interrupted TIME
  falloc FILE MODE OFF LEN           fallocate(2): 0 or the errno's name
  write-punch FILE                   a buffered write and a punch over it on
                                     one descriptor, then a read: zeros/data
  rename2 FROM TO FLAGS              renameat2(2): 0 or the errno's name
"""
import ctypes
import errno
import fcntl
import os
import signal
import struct
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]


def lock_struct(kind, start, length):
    return struct.pack("hhqqi", kind, os.SEEK_SET, start, length, 0)


def err_name(e):
    if e == errno.EOPNOTSUPP:       # also ENOTSUP, its other name
        return "EOPNOTSUPP"
    return errno.errorcode.get(e, str(e))


def ready(path):
    with open(path + ".tmp", "w") as f:
        f.write("held")
    os.rename(path + ".tmp", path)


def main(argv):
    cmd = argv[1]
    if cmd == "flock-hold":
        fd = os.open(argv[2], os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_SH if argv[4:] == ["sh"] else fcntl.LOCK_EX)
        ready(argv[3])
        time.sleep(120)
    elif cmd == "posix-hold":
        path, start, length, rdy = argv[2], int(argv[3]), int(argv[4]), argv[5]
        mode = argv[6] if len(argv) > 6 else "sleep"
        fd = os.open(path, os.O_RDWR)
        fcntl.fcntl(fd, fcntl.F_SETLK, lock_struct(fcntl.F_WRLCK, start, length))
        if mode == "close":
            os.close(fd)
        elif mode == "close-other":
            os.close(os.open(path, os.O_RDONLY))
        ready(rdy)
        time.sleep(120)
    elif cmd == "posix-try":
        fd = os.open(argv[2], os.O_RDWR)
        try:
            fcntl.fcntl(fd, fcntl.F_SETLK,
                        lock_struct(fcntl.F_WRLCK, int(argv[3]), int(argv[4])))
            print("locked")
        except OSError as e:
            print(err_name(e.errno))
    elif cmd == "posix-getlk":
        fd = os.open(argv[2], os.O_RDWR)
        r = fcntl.fcntl(fd, fcntl.F_GETLK,
                        lock_struct(fcntl.F_WRLCK, int(argv[3]), int(argv[4])))
        kind, _, start, length, _ = struct.unpack("hhqqi", r)
        if kind == fcntl.F_UNLCK:
            print("unlocked")
        else:
            print("%s %d %d" % ("write" if kind == fcntl.F_WRLCK else "read",
                                start, length))
    elif cmd == "posix-wait":
        fd = os.open(argv[2], os.O_RDWR)

        def alarm(sig, frame):
            raise TimeoutError()
        signal.signal(signal.SIGALRM, alarm)
        if float(argv[5]) > 0:
            signal.setitimer(signal.ITIMER_REAL, float(argv[5]))
        t0 = time.time()
        try:
            fcntl.fcntl(fd, fcntl.F_SETLKW,
                        lock_struct(fcntl.F_WRLCK, int(argv[3]), int(argv[4])))
            print("locked %.2f" % (time.time() - t0))
        except TimeoutError:
            print("interrupted %.2f" % (time.time() - t0))
        sys.stdout.flush()
    elif cmd == "falloc":
        fd = os.open(argv[2], os.O_RDWR)
        r = libc.fallocate(fd, int(argv[3], 0), int(argv[4]), int(argv[5]))
        print(0 if r == 0 else err_name(ctypes.get_errno()))
    elif cmd == "write-punch":
        fd = os.open(argv[2], os.O_RDWR | os.O_CREAT, 0o644)
        os.pwrite(fd, b"a" * (1 << 20), 0)
        r = libc.fallocate(fd, 3, 4096, (1 << 20) - 8192)
        if r:
            print(err_name(ctypes.get_errno()))
            return
        got = os.pread(fd, 1 << 20, 0)
        want = b"a" * 4096 + b"\0" * ((1 << 20) - 8192) + b"a" * 4096
        print("zeros" if got == want else "data")
    elif cmd == "rename2":
        r = libc.renameat2(-100, argv[2].encode(), -100, argv[3].encode(),
                           int(argv[4], 0))
        print(0 if r == 0 else err_name(ctypes.get_errno()))
    else:
        sys.exit("unknown command " + cmd)


main(sys.argv)

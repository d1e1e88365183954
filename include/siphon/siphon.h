/* siphon: a CephFS client library that speaks Ceph's wire protocol.
 *
 * One opaque handle per client. Every call returns 0 (or a count) on
 * success and a negative errno on failure; siphon_errstr() says more in
 * words about the calling thread's last failed call on that handle (as
 * errno, one per thread; an asynchronous operation's failure is its
 * result). Handles are thread-safe.
 *
 * The sequence is: siphon_create(), configure (siphon_conf_read_file,
 * siphon_conf_set, siphon_conf_parse_argv), siphon_connect() for the
 * monitor session and cluster maps, ..., siphon_release(). */
#ifndef SIPHON_SIPHON_H
#define SIPHON_SIPHON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIPHON_API __attribute__((visibility("default")))

struct siphon_client;

/* Creates a client for entity client.ID (ID NULL: "admin", or what the
 * configuration names later). */
SIPHON_API int siphon_create(struct siphon_client **out, const char *id);
SIPHON_API void siphon_release(struct siphon_client *c);
SIPHON_API const char *siphon_errstr(const struct siphon_client *c);

/* path NULL: $CEPH_CONF, then the standard places, like every Ceph tool. */
SIPHON_API int siphon_conf_read_file(struct siphon_client *c, const char *path);
SIPHON_API int siphon_conf_set(struct siphon_client *c, const char *option,
			       const char *value);
/* Consumes Ceph's common options (-c, -m, -n/--name, --id, --keyring,
 * --OPTION=VALUE) from argv and compacts it; *argc is updated. */
SIPHON_API int siphon_conf_parse_argv(struct siphon_client *c, int *argc,
				      char **argv);

/* Opens the monitor session and waits for the monitor, OSD and FS maps;
 * gives up after the client_mount_timeout option (seconds, default 10). */
SIPHON_API int siphon_connect(struct siphon_client *c);

struct siphon_cluster_stat {
	uint64_t kb;
	uint64_t kb_used;
	uint64_t kb_avail;
	uint64_t num_objects;
};

/* Cluster-wide usage as the monitors report it (what `ceph df` shows). */
SIPHON_API int siphon_cluster_stat(struct siphon_client *c,
				   struct siphon_cluster_stat *st);

/* This client's global id, assigned by the monitor (0 before connect). */
SIPHON_API uint64_t siphon_global_id(struct siphon_client *c);

/* ---- the file system ----
 * Paths are relative to the mounted root; a leading '/' is allowed,
 * "." and ".." are resolved by name (not through symlinks). */

/* Connects if needed, picks the file system (the client_fs option, or
 * the cluster's default one), opens a session with its MDS and checks
 * that root exists. root NULL means "/". */
SIPHON_API int siphon_mount(struct siphon_client *c, const char *root);
/* Waits for changes to be safe, closes the MDS sessions. */
SIPHON_API int siphon_unmount(struct siphon_client *c);
/* For a program that must stop now whatever the cluster does (siphon-fuse
 * on SIGTERM with its cluster gone): every call in flight on c fails with
 * -ESHUTDOWN within a fraction of a second, and so does every later one;
 * buffered writes not yet on the OSDs are lost. siphon_unmount() then
 * neither writes back nor waits. Safe from any thread, at any time
 * before siphon_release(), any number of times (not from a callback). */
SIPHON_API void siphon_abort(struct siphon_client *c);

/* An inode's attributes. A directory is presented as ceph-fuse and
 * libcephfs present it: nlink 2 + its subdirectories, size its recursive
 * bytes (rbytes), one block. */
struct siphon_stat {
	uint64_t ino;
	uint32_t mode;		/* S_IFMT type bits and permissions */
	uint32_t nlink, uid, gid, rdev;
	uint64_t size;
	uint64_t blocks;	/* 512-byte blocks */
	uint32_t blksize;
	struct timespec atime, mtime, ctime, btime;
	/* directories: entries below, and recursive statistics */
	uint64_t files, subdirs, rbytes, rfiles, rsubdirs;
};

SIPHON_API int siphon_stat(struct siphon_client *c, const char *path,
			   struct siphon_stat *st);	/* follows symlinks */
SIPHON_API int siphon_lstat(struct siphon_client *c, const char *path,
			    struct siphon_stat *st);
SIPHON_API int siphon_mkdir(struct siphon_client *c, const char *path,
			    uint32_t mode);
/* mkdir -p: creates missing parents; an existing directory is fine. */
SIPHON_API int siphon_mkdirs(struct siphon_client *c, const char *path,
			     uint32_t mode);
SIPHON_API int siphon_rmdir(struct siphon_client *c, const char *path);
SIPHON_API int siphon_unlink(struct siphon_client *c, const char *path);
SIPHON_API int siphon_rename(struct siphon_client *c, const char *from,
			     const char *to);
SIPHON_API int siphon_link(struct siphon_client *c, const char *existing,
			   const char *newpath);
SIPHON_API int siphon_symlink(struct siphon_client *c, const char *target,
			      const char *linkpath);
/* The link's target, NUL-terminated if it fits; returns its length. */
SIPHON_API int siphon_readlink(struct siphon_client *c, const char *path,
			       char *buf, size_t size);
SIPHON_API int siphon_mknod(struct siphon_client *c, const char *path,
			    uint32_t mode, uint32_t rdev);
SIPHON_API int siphon_chmod(struct siphon_client *c, const char *path,
			    uint32_t mode);
/* uid or gid (uint32_t)-1 leaves it as it is. */
SIPHON_API int siphon_chown(struct siphon_client *c, const char *path,
			    uint32_t uid, uint32_t gid);
/* times NULL: now. */
SIPHON_API int siphon_utimes(struct siphon_client *c, const char *path,
			     const struct timespec *atime,
			     const struct timespec *mtime);

struct siphon_dirent {
	const char *name;
	struct siphon_stat st;
};

/* Calls fn for each entry of the directory ("." and ".." not included),
 * in the MDS's order; fn returning non-zero stops the walk with that
 * value. Large and fragmented directories are read in several rounds. */
SIPHON_API int siphon_readdir(struct siphon_client *c, const char *path,
			      int (*fn)(void *arg, const struct siphon_dirent *d),
			      void *arg);

/* Extended attributes, including Ceph's virtual ceph.* ones. getxattr
 * and listxattr return the size (and copy if size > 0); listxattr gives
 * NUL-separated names. flags: XATTR_CREATE / XATTR_REPLACE. */
SIPHON_API int siphon_getxattr(struct siphon_client *c, const char *path,
			       const char *name, void *value, size_t size);
SIPHON_API int siphon_listxattr(struct siphon_client *c, const char *path,
				char *list, size_t size);
SIPHON_API int siphon_setxattr(struct siphon_client *c, const char *path,
			       const char *name, const void *value,
			       size_t size, int flags);
SIPHON_API int siphon_removexattr(struct siphon_client *c, const char *path,
				  const char *name);

/* ---- Files ----
 * An open file. Reads and writes go straight to the OSDs (striped by the
 * file's layout, many objects in flight), under the caps the MDS grants:
 * a file another client writes is read as it is now. A write's new size
 * and mtime reach the MDS at fsync, close, or within seconds. */
struct siphon_file;

/* flags: O_RDONLY, O_WRONLY or O_RDWR, with O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND; mode is used when the file is created. Regular files only
 * (-EISDIR for a directory). */
SIPHON_API int siphon_open(struct siphon_client *c, const char *path,
			   int flags, uint32_t mode, struct siphon_file **out);
/* Frees the handle once its asynchronous operations still under way
 * (siphon_aio_*: their callbacks may not have run yet) and its buffered
 * writes are over: an error of a buffered write is reported here at the
 * latest. The file's size and mtime go to the MDS (not waited for: fsync
 * waits for that). siphon_aio_close does the same without blocking. */
SIPHON_API int siphon_close(struct siphon_file *f);
/* Reads up to len bytes at off (-1: at the file position, which then
 * moves); returns the bytes read, 0 at the end of the file. Holes read
 * as zeros. */
SIPHON_API int64_t siphon_read(struct siphon_file *f, void *buf, size_t len,
			       int64_t off);
/* Writes len bytes at off (-1: at the file position, or at the end with
 * O_APPEND); returns len or a negative errno. */
SIPHON_API int64_t siphon_write(struct siphon_file *f, const void *buf,
				size_t len, int64_t off);
/* Sends the file's buffered writes to the OSDs and waits for them (what
 * close(2) needs: a background write's error is reported here); fsync
 * also makes the metadata safe. */
SIPHON_API int siphon_flush(struct siphon_file *f);
/* Returns, and clears, the error of an earlier buffered write, if any;
 * sends nothing and waits for nothing: what ceph-fuse's close(2) does
 * (its buffered writes go when their time comes, or when another client
 * needs them: the caps it needs are taken back only once they are on the
 * OSDs). Later errors come at fsync, siphon_flush or siphon_close. */
SIPHON_API int siphon_file_error(struct siphon_file *f);
/* SEEK_SET, SEEK_CUR, SEEK_END; returns the new position. */
SIPHON_API int64_t siphon_lseek(struct siphon_file *f, int64_t off,
				int whence);
/* Makes the data (written synchronously already) and the metadata safe:
 * the size/mtime flush acknowledged and the file's MDS changes (its
 * creation) on disk. */
SIPHON_API int siphon_fsync(struct siphon_file *f);
SIPHON_API int siphon_fstat(struct siphon_file *f, struct siphon_stat *st);
SIPHON_API int siphon_ftruncate(struct siphon_file *f, uint64_t size);
SIPHON_API int siphon_truncate(struct siphon_client *c, const char *path,
			       uint64_t size);

/* ---- Inode handles ----
 * The calls below name files by inode instead of by path, as libcephfs's
 * ceph_ll_* calls do (and as a FUSE file system must). A handle is a
 * counted reference to an inode: every call that returns one (lookup,
 * create, mkdir...) takes a reference the caller gives back with
 * siphon_ll_put(). While referenced, the inode stays known to the MDS (the
 * client keeps a cap on it), so calls by inode work. Names are single
 * components ("a", not "a/b"). */
struct siphon_inode;

SIPHON_API int siphon_ll_root(struct siphon_client *c, struct siphon_inode **out);
/* Another reference to a handle (the same pointer comes back). */
SIPHON_API struct siphon_inode *siphon_ll_get(struct siphon_client *c,
					      struct siphon_inode *in);
/* Drops n references (FUSE's forget may drop many at once). */
SIPHON_API void siphon_ll_put(struct siphon_client *c, struct siphon_inode *in,
			      uint64_t n);
SIPHON_API uint64_t siphon_ll_ino(const struct siphon_inode *in);
/* The handle of an inode this client holds a reference to, by number
 * (a FUSE node id), with a new reference; -ESTALE if none is held (it
 * never asks the MDS: siphon_ll_lookup_ino does). */
SIPHON_API int siphon_ll_by_ino(struct siphon_client *c, uint64_t ino,
				struct siphon_inode **out);

/* How long the attributes and the name just returned may be cached
 * without asking again: while the caps or lease that vouch for them last
 * (0 when nothing vouches). Filled by the calls that take a `cache`. */
struct siphon_cache_hint {
	uint32_t attr_ms;
	uint32_t entry_ms;
};

/* A handle of the inode numbered ino, with a new reference, whether this
 * client knows the inode or not: from the cache while caps vouch for it,
 * else from the MDS (which finds even an inode it has not loaded). What a
 * file handle kept across remounts (NFS export, open_by_handle_at) needs.
 * -ESTALE if no such inode exists or it has no links left (removed, even
 * if some client still has it open). st and cache may be NULL. */
SIPHON_API int siphon_ll_lookup_ino(struct siphon_client *c, uint64_t ino,
				    struct siphon_inode **out,
				    struct siphon_stat *st,
				    struct siphon_cache_hint *cache);

SIPHON_API int siphon_ll_lookup(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, struct siphon_inode **out,
				struct siphon_stat *st,
				struct siphon_cache_hint *cache);
SIPHON_API int siphon_ll_getattr(struct siphon_client *c, struct siphon_inode *in,
				 struct siphon_stat *st,
				 struct siphon_cache_hint *cache);

#define SIPHON_SET_MODE      (1u << 0)
#define SIPHON_SET_UID       (1u << 1)
#define SIPHON_SET_GID       (1u << 2)
#define SIPHON_SET_SIZE      (1u << 3)
#define SIPHON_SET_ATIME     (1u << 4)
#define SIPHON_SET_MTIME     (1u << 5)
#define SIPHON_SET_ATIME_NOW (1u << 6)
#define SIPHON_SET_MTIME_NOW (1u << 7)
#define SIPHON_SET_CTIME     (1u << 8)

struct siphon_setattr {
	uint32_t mask;			/* SIPHON_SET_* */
	uint32_t mode, uid, gid;
	uint64_t size;
	struct timespec atime, mtime, ctime;
};

/* Changes what mask says; *st (may be NULL) gets the result. */
SIPHON_API int siphon_ll_setattr(struct siphon_client *c, struct siphon_inode *in,
				 const struct siphon_setattr *a,
				 struct siphon_stat *st);
SIPHON_API int siphon_ll_readlink(struct siphon_client *c, struct siphon_inode *in,
				  char *buf, size_t size);
SIPHON_API int siphon_ll_mknod(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name, uint32_t mode, uint32_t rdev,
			       struct siphon_inode **out, struct siphon_stat *st);
SIPHON_API int siphon_ll_mkdir(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name, uint32_t mode,
			       struct siphon_inode **out, struct siphon_stat *st);
SIPHON_API int siphon_ll_symlink(struct siphon_client *c, struct siphon_inode *dir,
				 const char *name, const char *target,
				 struct siphon_inode **out, struct siphon_stat *st);
/* A new name for in: the inode's reference is not changed; *st (may be
 * NULL) gets its attributes, link count included. */
SIPHON_API int siphon_ll_link(struct siphon_client *c, struct siphon_inode *in,
			      struct siphon_inode *dir, const char *name,
			      struct siphon_stat *st);
SIPHON_API int siphon_ll_unlink(struct siphon_client *c, struct siphon_inode *dir,
				const char *name);
SIPHON_API int siphon_ll_rmdir(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name);
/* flags: 0 or SIPHON_RENAME_NOREPLACE (-EEXIST if newname exists);
 * exchanging two names is not something CephFS does (-EINVAL). */
#define SIPHON_RENAME_NOREPLACE (1u << 0)
#define SIPHON_RENAME_EXCHANGE  (1u << 1)
SIPHON_API int siphon_ll_rename(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, struct siphon_inode *newdir,
				const char *newname, unsigned flags);

/* Opens a regular file by inode (flags as siphon_open, without O_CREAT). */
SIPHON_API int siphon_ll_open(struct siphon_client *c, struct siphon_inode *in,
			      int flags, struct siphon_file **out);
/* Creates (or with no O_EXCL opens) name in dir and opens it. */
SIPHON_API int siphon_ll_create(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, uint32_t mode, int flags,
				struct siphon_inode **out, struct siphon_file **fh,
				struct siphon_stat *st);
/* fallocate(2) on a file this client has open for writing, as Ceph
 * allows it: mode 0 grows the size to off + len (no space is reserved:
 * RADOS objects are sparse), FALLOC_FL_KEEP_SIZE alone does nothing, and
 * FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE makes [off, off + len) read
 * as zeros (objects wholly inside are deleted, the rest zeroed). Other
 * modes: -EOPNOTSUPP; len <= 0 or off < 0: -EINVAL; not open for
 * writing: -EBADF. */
SIPHON_API int siphon_ll_fallocate(struct siphon_client *c, struct siphon_inode *in,
				   int mode, int64_t off, int64_t len);

/* A directory's entries as of opendir, with their attributes, to be read
 * by position (FUSE's readdir offsets): siphon_ll_readdir() gives entry
 * pos, or -ENOENT past the end. */
struct siphon_dir;
SIPHON_API int siphon_ll_opendir(struct siphon_client *c, struct siphon_inode *in,
				 struct siphon_dir **out);
SIPHON_API int siphon_ll_readdir(struct siphon_dir *d, uint64_t pos,
				 struct siphon_dirent *out);
SIPHON_API uint64_t siphon_ll_dir_count(const struct siphon_dir *d);
SIPHON_API void siphon_ll_releasedir(struct siphon_dir *d);

SIPHON_API int siphon_ll_getxattr(struct siphon_client *c, struct siphon_inode *in,
				  const char *name, void *value, size_t size);
SIPHON_API int siphon_ll_listxattr(struct siphon_client *c, struct siphon_inode *in,
				   char *list, size_t size);
SIPHON_API int siphon_ll_setxattr(struct siphon_client *c, struct siphon_inode *in,
				  const char *name, const void *value,
				  size_t size, int flags);
SIPHON_API int siphon_ll_removexattr(struct siphon_client *c,
				     struct siphon_inode *in, const char *name);

/* Advisory locks, held through the MDS so that they hold across every
 * client of the file system: POSIX byte-range locks (fcntl) and whole
 * file flock locks. type: F_RDLCK, F_WRLCK or F_UNLCK; len 0 means to the
 * end of the file; owner tells lock holders of one client apart (FUSE's
 * lock_owner); pid is reported to getlk callers. */
#define SIPHON_LOCK_POSIX 1
#define SIPHON_LOCK_FLOCK 2
struct siphon_lock {
	int type;
	uint64_t start, len;
	uint64_t owner;
	int64_t pid;
};
/* Takes or drops a lock; with wait, sleeps until it is granted, else
 * -EAGAIN when another holds a conflicting one. */
SIPHON_API int siphon_ll_setlk(struct siphon_client *c, struct siphon_inode *in,
			       int kind, const struct siphon_lock *lk, int wait);
/* The first lock that conflicts with *lk (written over it), or type
 * F_UNLCK when none does. */
SIPHON_API int siphon_ll_getlk(struct siphon_client *c, struct siphon_inode *in,
			       struct siphon_lock *lk);

/* A waiting lock another thread may give up (a FUSE request the kernel
 * interrupts): siphon_ll_setlk_cancellable() waits like siphon_ll_setlk()
 * with wait set, until siphon_cancel() is called on its token. The MDS is
 * then told to drop the waiting lock (an unlock with Ceph's *_INTR rule)
 * and the wait ends with -EINTR, or with 0 if the MDS granted the lock
 * first. siphon_cancel() may come before the wait starts (the wait then
 * returns -EINTR at once) and blocks for about one MDS round trip; a token
 * serves one wait. */
struct siphon_cancel;
SIPHON_API struct siphon_cancel *siphon_cancel_new(void);
SIPHON_API void siphon_cancel(struct siphon_cancel *t);
SIPHON_API void siphon_cancel_free(struct siphon_cancel *t);
SIPHON_API int siphon_ll_setlk_cancellable(struct siphon_client *c,
					   struct siphon_inode *in, int kind,
					   const struct siphon_lock *lk,
					   struct siphon_cancel *t);

/* Cache invalidation, for front ends that cache what siphon returns (a
 * FUSE kernel's attributes, names and pages): siphon reports when the MDS
 * takes back the caps or leases that vouched for it. The callbacks run on
 * siphon's network thread and must neither block nor call siphon: queue
 * the work. dir_ino and name: an entry of that directory. */
struct siphon_callbacks {
	void (*inval_inode)(void *arg, uint64_t ino);
	void (*inval_entry)(void *arg, uint64_t dir_ino, const char *name,
			    size_t len);
	void (*trim)(void *arg);	/* the MDS wants fewer inodes held */
	void *arg;
};
SIPHON_API void siphon_set_callbacks(struct siphon_client *c,
				     const struct siphon_callbacks *cb);

/* ---- Asynchronous calls ----
 * Each call below starts an operation and returns at once: 0 when it is
 * under way, and then cb runs exactly once with its result, or a negative
 * errno when it could not start, and then cb never runs. The result is
 * what the blocking call returns: bytes for reads and writes, 0 or a
 * negative errno for the rest. Buffers and the places results go (out,
 * st, fh) must stay valid until cb runs. Any number of operations may be
 * in flight at once, from one thread or many; operations in flight
 * together are not ordered with respect to each other. The blocking calls
 * are these operations plus a wait.
 *
 * By default callbacks run on siphon's network thread: they must be
 * short and must not call blocking siphon functions (starting more
 * asynchronous ones is fine). A program with an event loop of its own
 * calls siphon_event_fd() once instead: from then on callbacks run only
 * inside siphon_service(), on the program's thread, where they may do
 * anything. A callback never runs inside the call that started its
 * operation. Errors (a failed OSD or MDS request, a timeout, -EBADF for
 * a handle not open for it) come as a negative result to cb.
 * siphon_unmount() waits for operations in flight (and, without an event
 * fd, for their callbacks); callbacks still queued for siphon_service()
 * when the client is released are dropped without running. */
typedef void (*siphon_cb)(struct siphon_client *c, int64_t result, void *arg);

/* siphon_read / siphon_write / siphon_fsync, at an explicit offset
 * (off >= 0; the file position is not used). */
SIPHON_API int siphon_aio_read(struct siphon_file *f, void *buf, size_t len,
			       int64_t off, siphon_cb cb, void *arg);
SIPHON_API int siphon_aio_write(struct siphon_file *f, const void *buf,
				size_t len, int64_t off, siphon_cb cb, void *arg);
SIPHON_API int siphon_aio_fsync(struct siphon_file *f, siphon_cb cb, void *arg);
/* siphon_close: f is the operation's from this call on (not to be used
 * again); cb may be NULL when nobody wants the result. It completes after
 * every operation started on f, its callback after theirs. */
SIPHON_API int siphon_aio_close(struct siphon_file *f, siphon_cb cb, void *arg);

/* The inode-handle calls of the same names; each is one MDS request
 * (or none, when the cache still vouches for the answer). */
SIPHON_API int siphon_aio_ll_lookup(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    struct siphon_inode **out,
				    struct siphon_stat *st, siphon_cb cb,
				    void *arg);
SIPHON_API int siphon_aio_ll_getattr(struct siphon_client *c,
				     struct siphon_inode *in,
				     struct siphon_stat *st, siphon_cb cb,
				     void *arg);
SIPHON_API int siphon_aio_ll_setattr(struct siphon_client *c,
				     struct siphon_inode *in,
				     const struct siphon_setattr *a,
				     struct siphon_stat *st, siphon_cb cb,
				     void *arg);
SIPHON_API int siphon_aio_ll_mkdir(struct siphon_client *c,
				   struct siphon_inode *dir, const char *name,
				   uint32_t mode, struct siphon_inode **out,
				   struct siphon_stat *st, siphon_cb cb,
				   void *arg);
SIPHON_API int siphon_aio_ll_create(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    uint32_t mode, int flags,
				    struct siphon_inode **out,
				    struct siphon_file **fh,
				    struct siphon_stat *st, siphon_cb cb,
				    void *arg);
SIPHON_API int siphon_aio_ll_unlink(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    siphon_cb cb, void *arg);
SIPHON_API int siphon_aio_ll_rmdir(struct siphon_client *c,
				   struct siphon_inode *dir, const char *name,
				   siphon_cb cb, void *arg);
SIPHON_API int siphon_aio_ll_rename(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    struct siphon_inode *newdir,
				    const char *newname, unsigned flags,
				    siphon_cb cb, void *arg);

/* Completions on the program's own thread: returns a file descriptor
 * (an eventfd; do not read or close it) that polls readable while
 * callbacks wait to run; siphon_service() runs them and returns how many
 * ran (it never blocks). */
SIPHON_API int siphon_event_fd(struct siphon_client *c);
SIPHON_API int siphon_service(struct siphon_client *c);

/* What the data path did since the client was created, and holds now. */
struct siphon_io_stats {
	uint64_t read_calls, write_calls;	/* reads and writes asked for */
	uint64_t osd_reads, osd_writes;		/* OSD ops sent for file data */
	uint64_t readahead_ops;			/* OSD reads of read-ahead */
	uint64_t readahead_bytes;		/* bytes read ahead */
	uint64_t readahead_hit_bytes;		/* of them, served to reads */
	uint64_t readahead_dropped_bytes;	/* dropped unread (revoke,
						   write, truncation, close) */
	uint64_t write_waits;			/* writes that waited for room
						   in the write-behind bound */
	uint64_t cache_bytes;			/* read-ahead held now */
	uint64_t dirty_bytes;			/* write-behind held now */
	uint64_t dirty_peak_bytes;		/* the most it ever held (never
						   above client_oc_max_dirty) */
	uint64_t in_flight;			/* operations under way */
};
SIPHON_API void siphon_get_io_stats(struct siphon_client *c,
				    struct siphon_io_stats *st);

/* The file system's usage, as statfs(2) reports it for a CephFS mount. */
struct siphon_statvfs {
	uint64_t bsize, frsize;		/* 4 MiB, as Ceph's clients report */
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
	uint64_t namemax;
};
SIPHON_API int siphon_statfs(struct siphon_client *c, struct siphon_statvfs *st);

/* Waits until every metadata change made so far is safe on the MDS. */
SIPHON_API int siphon_sync_fs(struct siphon_client *c);
/* Waits until the metadata changes to path's inode, and for a directory
 * the changes of its entries, are safe (fsync of a file or directory). */
SIPHON_API int siphon_fsync_path(struct siphon_client *c, const char *path);

#ifdef __cplusplus
}
#endif

#endif

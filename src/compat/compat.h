/* Internals of siphon's libcephfs-compatible library: the mount, its file
 * descriptor table and path handling, shared by the files of src/compat. */
#ifndef SIPHON_COMPAT_H
#define SIPHON_COMPAT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <cephfs/libcephfs.h>
#include <siphon/siphon.h>

#define COMPAT_PATH_MAX 4096
#define COMPAT_FD_BASE 10	/* libcephfs hands out descriptors from 10 up */
#define COMPAT_MAX_LINKS 40

struct sp_config;

struct UserPerm {
	uid_t uid;
	gid_t gid;
	int ngids;
	gid_t *gids;
};

/* The advisory locks taken through one open file (a descriptor or an
 * Fh), by kind and owner: closing the file drops them, as libcephfs does. */
struct compat_locks {
	struct compat_lock_owner {
		int kind;	/* SIPHON_LOCK_POSIX or SIPHON_LOCK_FLOCK */
		uint64_t owner;
	} *v;
	int n, cap;
	pthread_mutex_t lock;
};

void compat_locks_init(struct compat_locks *s);
/* Remembers that owner took a lock of kind (once per pair). */
int compat_locks_note(struct compat_locks *s, int kind, uint64_t owner);
/* Drops every lock noted, whole-file, and forgets them. */
void compat_locks_release(struct siphon_client *c, struct siphon_inode *in,
			  struct compat_locks *s);
void compat_locks_destroy(struct compat_locks *s);

/* One open descriptor. A directory opened with ceph_open has no siphon
 * file; calls on it go by its path. Path-based f* calls (fchmod, fgetxattr,
 * ...) use the path the file was opened by. */
struct cfd {
	struct siphon_file *f;	/* NULL for a directory */
	char *path;		/* absolute within the mount */
	int flags;		/* open flags */
	int refs;		/* the table's, plus one per call in progress */
	struct siphon_inode *in;	/* its inode's handle, once needed */
	struct compat_locks locks;
};

/* An open file of the low-level interface: a file handle (NULL for a
 * directory, which opens read-only) and a reference to its inode. */
struct Fh {
	struct siphon_file *f;
	struct siphon_inode *in;
	int flags;
	struct compat_locks locks;
};

struct ceph_mount_info {
	struct siphon_client *c;
	struct sp_config *shadow;	/* the same settings, for ceph_conf_get */
	pthread_mutex_t lock;		/* guards what follows */
	bool connected, mounted;
	char cwd[COMPAT_PATH_MAX];
	mode_t umask;
	struct UserPerm perm;
	struct cfd **fds;		/* index fd - COMPAT_FD_BASE */
	int nfds;
};

/* path made absolute from cwd into out (COMPAT_PATH_MAX bytes). */
int compat_path(struct ceph_mount_info *cm, const char *path, char *out);
/* Like compat_path, after resolving path's last component while it is a
 * symlink (ELOOP after COMPAT_MAX_LINKS). */
int compat_follow(struct ceph_mount_info *cm, const char *path, char *out);
/* path (absolute) with every symlink among its directories resolved, and
 * its last component too when follow. */
int compat_resolve(struct ceph_mount_info *cm, const char *path, char *out, bool follow);
/* An absolute path with "." and ".." and repeated '/' removed. */
void compat_normalize(char *path);

/* The descriptor fd with a reference taken, or NULL (-EBADF). */
struct cfd *compat_fd_get(struct ceph_mount_info *cm, int fd);
void compat_fd_put(struct ceph_mount_info *cm, struct cfd *d);
/* Closes every descriptor (at unmount). */
void compat_fd_close_all(struct ceph_mount_info *cm);

/* The inode handle of what d is open on (a reference the descriptor
 * keeps until it is closed), or -ESTALE if its path now names another. */
int compat_fd_inode(struct ceph_mount_info *cm, struct cfd *d, struct siphon_inode **out);
/* A new reference to the inode at path (absolute within the mount), looked
 * up name by name from the root (symlinks are not followed). */
int compat_path_inode(struct ceph_mount_info *cm, const char *path,
		      struct siphon_inode **out);
/* What libcephfs checks before a fallocate of an open file (f NULL: a
 * directory; acc its O_ACCMODE), in its order. */
int compat_fallocate_check(struct siphon_file *f, int acc, int mode, int64_t offset,
			   int64_t length);

void compat_fill_statx(struct ceph_statx *stx, const struct siphon_stat *st,
		       unsigned want, unsigned flags);

#define CHECK_MOUNTED(cm)			\
	do {					\
		if (!(cm) || !(cm)->mounted)	\
			return -ENOTCONN;	\
	} while (0)

#endif

/* siphon's libcephfs-compatible interface.
 *
 * The C functions of libcephfs (Ceph 16, Pacific) that programs use most,
 * with the same names, signatures, structures and flag values, so that a
 * program written for libcephfs builds against this header and runs on
 * siphon's library (libsiphon-cephfs) unchanged. The declarations state
 * the interface; the text and the implementation are siphon's own (MIT).
 *
 * Conventions, as in libcephfs: calls return 0 or a count on success and
 * a negative errno on failure; paths are absolute from the mounted root,
 * or relative to the mount's current directory (ceph_chdir); file
 * descriptors are small integers private to one mount. A few functions
 * that siphon cannot honour are declared and return -EOPNOTSUPP. Of the
 * low-level interface (inode handles and Fh file handles), the calls
 * siphon backs are declared below; the rest is absent.
 */
#ifndef CEPH_LIB_H
#define CEPH_LIB_H

#if defined(__linux__)
#include <features.h>
#endif
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <utime.h>

#include "ceph_ll_client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libcephfs interface version these declarations follow. */
#define LIBCEPHFS_VER_MAJOR 10
#define LIBCEPHFS_VER_MINOR 0
#define LIBCEPHFS_VER_EXTRA 2
#define LIBCEPHFS_VERSION(maj, min, extra) ((maj << 16) + (min << 8) + extra)
#define LIBCEPHFS_VERSION_CODE \
	LIBCEPHFS_VERSION(LIBCEPHFS_VER_MAJOR, LIBCEPHFS_VER_MINOR, LIBCEPHFS_VER_EXTRA)

#if defined(__GNUC__) && __GNUC__ >= 4
#define LIBCEPHFS_DEPRECATED __attribute__((deprecated))
#else
#define LIBCEPHFS_DEPRECATED
#endif

/* struct dirent must have 64-bit d_ino and d_off: on 32-bit glibc, build
 * with -D_FILE_OFFSET_BITS=64 as libcephfs requires. */
#if defined(__GLIBC__) && !defined(__USE_FILE_OFFSET64) && !defined(__LP64__)
#error "<cephfs/libcephfs.h> needs _FILE_OFFSET_BITS=64"
#endif

#ifndef __cplusplus
#define CEPH_INO_ROOT 1
#define CEPH_NOSNAP ((uint64_t)(-2))

struct ceph_file_layout {
	uint32_t fl_stripe_unit;
	uint32_t fl_stripe_count;
	uint32_t fl_object_size;
	uint32_t fl_cas_hash;
	uint32_t fl_object_stripe_unit;
	uint32_t fl_pg_preferred;
	uint32_t fl_pg_pool;
} __attribute__((packed));
#endif

struct CephContext;
struct UserPerm;
typedef struct UserPerm UserPerm;
struct Inode;
typedef struct Inode Inode;

struct ceph_mount_info;
struct ceph_dir_result;

struct snap_metadata {
	const char *key;
	const char *value;
};

struct snap_info {
	uint64_t id;
	size_t nr_snap_metadata;
	struct snap_metadata *snap_metadata;
};

/* Attribute bits for ceph_setattrx() and ceph_fsetattrx(). */
#ifndef CEPH_SETATTR_MODE
#define CEPH_SETATTR_MODE		(1 << 0)
#define CEPH_SETATTR_UID		(1 << 1)
#define CEPH_SETATTR_GID		(1 << 2)
#define CEPH_SETATTR_MTIME		(1 << 3)
#define CEPH_SETATTR_ATIME		(1 << 4)
#define CEPH_SETATTR_SIZE		(1 << 5)
#define CEPH_SETATTR_CTIME		(1 << 6)
#define CEPH_SETATTR_MTIME_NOW		(1 << 7)
#define CEPH_SETATTR_ATIME_NOW		(1 << 8)
#define CEPH_SETATTR_BTIME		(1 << 9)
#define CEPH_SETATTR_KILL_SGUID		(1 << 10)
#define CEPH_SETATTR_FSCRYPT_AUTH	(1 << 11)
#define CEPH_SETATTR_FSCRYPT_FILE	(1 << 12)
#define CEPH_SETATTR_KILL_SUID		(1 << 13)
#define CEPH_SETATTR_KILL_SGID		(1 << 14)
#endif

#define CEPHFS_ERROR_MON_MAP_BUILD	1000
#define CEPHFS_ERROR_NEW_CLIENT		1002
#define CEPHFS_ERROR_MESSENGER_START	1003

#ifndef VOIDPTR_RADOS_T
#define VOIDPTR_RADOS_T
typedef void *rados_t;
#endif

#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ---- credentials ---- */
UserPerm *ceph_userperm_new(uid_t uid, gid_t gid, int ngids, gid_t *gidlist);
void ceph_userperm_destroy(UserPerm *perm);
struct UserPerm *ceph_mount_perms(struct ceph_mount_info *cmount);
int ceph_mount_perms_set(struct ceph_mount_info *cmount, UserPerm *perm);

/* ---- the mount's life ---- */
const char *ceph_version(int *major, int *minor, int *patch);
int ceph_create(struct ceph_mount_info **cmount, const char * const id);
int ceph_create_with_context(struct ceph_mount_info **cmount, struct CephContext *conf);
int ceph_create_from_rados(struct ceph_mount_info **cmount, rados_t cluster);
int ceph_init(struct ceph_mount_info *cmount);
int ceph_select_filesystem(struct ceph_mount_info *cmount, const char *fs_name);
int ceph_mount(struct ceph_mount_info *cmount, const char *root);
int64_t ceph_get_fs_cid(struct ceph_mount_info *cmount);
int ceph_mds_command(struct ceph_mount_info *cmount, const char *mds_spec,
		     const char **cmd, size_t cmdlen, const char *inbuf, size_t inbuflen,
		     char **outbuf, size_t *outbuflen, char **outs, size_t *outslen);
void ceph_buffer_free(char *buf);
int ceph_unmount(struct ceph_mount_info *cmount);
int ceph_abort_conn(struct ceph_mount_info *cmount);
int ceph_release(struct ceph_mount_info *cmount);
void ceph_shutdown(struct ceph_mount_info *cmount);
int ceph_getaddrs(struct ceph_mount_info *cmount, char **addrs);
uint64_t ceph_get_instance_id(struct ceph_mount_info *cmount);
struct CephContext *ceph_get_mount_context(struct ceph_mount_info *cmount);
int ceph_is_mounted(struct ceph_mount_info *cmount);

/* ---- configuration ---- */
int ceph_conf_read_file(struct ceph_mount_info *cmount, const char *path_list);
int ceph_conf_parse_argv(struct ceph_mount_info *cmount, int argc, const char **argv);
int ceph_conf_parse_env(struct ceph_mount_info *cmount, const char *var);
int ceph_conf_set(struct ceph_mount_info *cmount, const char *option, const char *value);
int ceph_set_mount_timeout(struct ceph_mount_info *cmount, uint32_t timeout);
int ceph_conf_get(struct ceph_mount_info *cmount, const char *option, char *buf, size_t len);
mode_t ceph_umask(struct ceph_mount_info *cmount, mode_t mode);

/* ---- the file system ---- */
int ceph_statfs(struct ceph_mount_info *cmount, const char *path, struct statvfs *stbuf);
int ceph_sync_fs(struct ceph_mount_info *cmount);
const char *ceph_getcwd(struct ceph_mount_info *cmount);
int ceph_chdir(struct ceph_mount_info *cmount, const char *path);

/* ---- directories ---- */
int ceph_opendir(struct ceph_mount_info *cmount, const char *name, struct ceph_dir_result **dirpp);
int ceph_fdopendir(struct ceph_mount_info *cmount, int dirfd, struct ceph_dir_result **dirpp);
int ceph_closedir(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp);
struct dirent *ceph_readdir(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp);
int ceph_readdir_r(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp, struct dirent *de);
int ceph_readdirplus_r(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp,
		       struct dirent *de, struct ceph_statx *stx, unsigned want,
		       unsigned flags, struct Inode **out);
int ceph_getdents(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp, char *name, int buflen);
int ceph_getdnames(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp, char *name, int buflen);
void ceph_rewinddir(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp);
int64_t ceph_telldir(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp);
void ceph_seekdir(struct ceph_mount_info *cmount, struct ceph_dir_result *dirp, int64_t offset);

/* ---- names ---- */
int ceph_mkdir(struct ceph_mount_info *cmount, const char *path, mode_t mode);
int ceph_mkdirat(struct ceph_mount_info *cmount, int dirfd, const char *relpath, mode_t mode);
int ceph_mksnap(struct ceph_mount_info *cmount, const char *path, const char *name,
		mode_t mode, struct snap_metadata *snap_metadata, size_t nr_snap_metadata);
int ceph_rmsnap(struct ceph_mount_info *cmount, const char *path, const char *name);
int ceph_mkdirs(struct ceph_mount_info *cmount, const char *path, mode_t mode);
int ceph_rmdir(struct ceph_mount_info *cmount, const char *path);
int ceph_link(struct ceph_mount_info *cmount, const char *existing, const char *newname);
int ceph_readlink(struct ceph_mount_info *cmount, const char *path, char *buf, int64_t size);
int ceph_readlinkat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		    char *buf, int64_t size);
int ceph_symlink(struct ceph_mount_info *cmount, const char *existing, const char *newname);
int ceph_symlinkat(struct ceph_mount_info *cmount, const char *existing, int dirfd,
		   const char *newname);
int ceph_may_delete(struct ceph_mount_info *cmount, const char *path);
int ceph_unlink(struct ceph_mount_info *cmount, const char *path);
int ceph_unlinkat(struct ceph_mount_info *cmount, int dirfd, const char *relpath, int flags);
int ceph_rename(struct ceph_mount_info *cmount, const char *from, const char *to);
int ceph_mknod(struct ceph_mount_info *cmount, const char *path, mode_t mode, dev_t rdev);

/* ---- attributes ---- */
int ceph_fstatx(struct ceph_mount_info *cmount, int fd, struct ceph_statx *stx,
		unsigned int want, unsigned int flags);
int ceph_statxat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		 struct ceph_statx *stx, unsigned int want, unsigned int flags);
int ceph_statx(struct ceph_mount_info *cmount, const char *path, struct ceph_statx *stx,
	       unsigned int want, unsigned int flags);
int ceph_stat(struct ceph_mount_info *cmount, const char *path, struct stat *stbuf)
	LIBCEPHFS_DEPRECATED;
int ceph_lstat(struct ceph_mount_info *cmount, const char *path, struct stat *stbuf)
	LIBCEPHFS_DEPRECATED;
int ceph_fstat(struct ceph_mount_info *cmount, int fd, struct stat *stbuf)
	LIBCEPHFS_DEPRECATED;
int ceph_setattrx(struct ceph_mount_info *cmount, const char *relpath,
		  struct ceph_statx *stx, int mask, int flags);
int ceph_fsetattrx(struct ceph_mount_info *cmount, int fd, struct ceph_statx *stx, int mask);
int ceph_chmod(struct ceph_mount_info *cmount, const char *path, mode_t mode);
int ceph_lchmod(struct ceph_mount_info *cmount, const char *path, mode_t mode);
int ceph_fchmod(struct ceph_mount_info *cmount, int fd, mode_t mode);
int ceph_chmodat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		 mode_t mode, int flags);
int ceph_chown(struct ceph_mount_info *cmount, const char *path, int uid, int gid);
int ceph_fchown(struct ceph_mount_info *cmount, int fd, int uid, int gid);
int ceph_lchown(struct ceph_mount_info *cmount, const char *path, int uid, int gid);
int ceph_chownat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		 uid_t uid, gid_t gid, int flags);
int ceph_utime(struct ceph_mount_info *cmount, const char *path, struct utimbuf *buf);
int ceph_futime(struct ceph_mount_info *cmount, int fd, struct utimbuf *buf);
int ceph_utimes(struct ceph_mount_info *cmount, const char *path, struct timeval times[2]);
int ceph_lutimes(struct ceph_mount_info *cmount, const char *path, struct timeval times[2]);
int ceph_futimes(struct ceph_mount_info *cmount, int fd, struct timeval times[2]);
int ceph_futimens(struct ceph_mount_info *cmount, int fd, struct timespec times[2]);
int ceph_utimensat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		   struct timespec times[2], int flags);
int ceph_flock(struct ceph_mount_info *cmount, int fd, int operation, uint64_t owner);
int ceph_truncate(struct ceph_mount_info *cmount, const char *path, int64_t size);

/* ---- open files ---- */
int ceph_open(struct ceph_mount_info *cmount, const char *path, int flags, mode_t mode);
int ceph_openat(struct ceph_mount_info *cmount, int dirfd, const char *relpath,
		int flags, mode_t mode);
int ceph_open_layout(struct ceph_mount_info *cmount, const char *path, int flags,
		     mode_t mode, int stripe_unit, int stripe_count, int object_size,
		     const char *data_pool);
int ceph_close(struct ceph_mount_info *cmount, int fd);
int64_t ceph_lseek(struct ceph_mount_info *cmount, int fd, int64_t offset, int whence);
int ceph_read(struct ceph_mount_info *cmount, int fd, char *buf, int64_t size, int64_t offset);
int ceph_preadv(struct ceph_mount_info *cmount, int fd, const struct iovec *iov, int iovcnt,
		int64_t offset);
int ceph_write(struct ceph_mount_info *cmount, int fd, const char *buf, int64_t size,
	       int64_t offset);
int ceph_pwritev(struct ceph_mount_info *cmount, int fd, const struct iovec *iov, int iovcnt,
		 int64_t offset);
int ceph_ftruncate(struct ceph_mount_info *cmount, int fd, int64_t size);
int ceph_fsync(struct ceph_mount_info *cmount, int fd, int syncdataonly);
int ceph_fallocate(struct ceph_mount_info *cmount, int fd, int mode,
		   int64_t offset, int64_t length);
int ceph_lazyio(struct ceph_mount_info *cmount, int fd, int enable);
int ceph_lazyio_propagate(struct ceph_mount_info *cmount, int fd, int64_t offset, size_t count);
int ceph_lazyio_synchronize(struct ceph_mount_info *cmount, int fd, int64_t offset, size_t count);

/* ---- extended attributes (Ceph's ceph.* virtual ones included) ---- */
int ceph_getxattr(struct ceph_mount_info *cmount, const char *path, const char *name,
		  void *value, size_t size);
int ceph_fgetxattr(struct ceph_mount_info *cmount, int fd, const char *name,
		   void *value, size_t size);
int ceph_lgetxattr(struct ceph_mount_info *cmount, const char *path, const char *name,
		   void *value, size_t size);
int ceph_listxattr(struct ceph_mount_info *cmount, const char *path, char *list, size_t size);
int ceph_flistxattr(struct ceph_mount_info *cmount, int fd, char *list, size_t size);
int ceph_llistxattr(struct ceph_mount_info *cmount, const char *path, char *list, size_t size);
int ceph_removexattr(struct ceph_mount_info *cmount, const char *path, const char *name);
int ceph_fremovexattr(struct ceph_mount_info *cmount, int fd, const char *name);
int ceph_lremovexattr(struct ceph_mount_info *cmount, const char *path, const char *name);
int ceph_setxattr(struct ceph_mount_info *cmount, const char *path, const char *name,
		  const void *value, size_t size, int flags);
int ceph_fsetxattr(struct ceph_mount_info *cmount, int fd, const char *name,
		   const void *value, size_t size, int flags);
int ceph_lsetxattr(struct ceph_mount_info *cmount, const char *path, const char *name,
		   const void *value, size_t size, int flags);

/* ---- file layouts and pools ---- */
int ceph_get_file_stripe_unit(struct ceph_mount_info *cmount, int fh);
int ceph_get_path_stripe_unit(struct ceph_mount_info *cmount, const char *path);
int ceph_get_file_stripe_count(struct ceph_mount_info *cmount, int fh);
int ceph_get_path_stripe_count(struct ceph_mount_info *cmount, const char *path);
int ceph_get_file_object_size(struct ceph_mount_info *cmount, int fh);
int ceph_get_path_object_size(struct ceph_mount_info *cmount, const char *path);
int ceph_get_file_pool(struct ceph_mount_info *cmount, int fh);
int ceph_get_path_pool(struct ceph_mount_info *cmount, const char *path);
int ceph_get_file_pool_name(struct ceph_mount_info *cmount, int fh, char *buf, size_t buflen);
int ceph_get_pool_name(struct ceph_mount_info *cmount, int pool, char *buf, size_t buflen);
int ceph_get_path_pool_name(struct ceph_mount_info *cmount, const char *path, char *buf,
			    size_t buflen);
int ceph_get_default_data_pool_name(struct ceph_mount_info *cmount, char *buf, size_t buflen);
int ceph_get_file_layout(struct ceph_mount_info *cmount, int fh, int *stripe_unit,
			 int *stripe_count, int *object_size, int *pg_pool);
int ceph_get_path_layout(struct ceph_mount_info *cmount, const char *path, int *stripe_unit,
			 int *stripe_count, int *object_size, int *pg_pool);
int ceph_get_file_replication(struct ceph_mount_info *cmount, int fh);
int ceph_get_path_replication(struct ceph_mount_info *cmount, const char *path);
int ceph_get_pool_id(struct ceph_mount_info *cmount, const char *pool_name);
int ceph_get_pool_replication(struct ceph_mount_info *cmount, int pool_id);
int ceph_get_stripe_unit_granularity(struct ceph_mount_info *cmount);
int ceph_localize_reads(struct ceph_mount_info *cmount, int val);
int ceph_get_local_osd(struct ceph_mount_info *cmount);
int ceph_get_file_stripe_address(struct ceph_mount_info *cmount, int fd, int64_t offset,
				 struct sockaddr_storage *addr, int naddr);
int ceph_get_file_extent_osds(struct ceph_mount_info *cmount, int fd, int64_t offset,
			      int64_t *length, int *osds, int nosds);
int ceph_get_osd_crush_location(struct ceph_mount_info *cmount, int osd, char *path,
				size_t len);
int ceph_get_osd_addr(struct ceph_mount_info *cmount, int osd, struct sockaddr_storage *addr);
int ceph_set_default_file_stripe_unit(struct ceph_mount_info *cmount, int stripe);
int ceph_set_default_file_stripe_count(struct ceph_mount_info *cmount, int count);
int ceph_set_default_object_size(struct ceph_mount_info *cmount, int size);
int ceph_set_default_preferred_pg(struct ceph_mount_info *cmount, int osd);
int ceph_set_default_file_replication(struct ceph_mount_info *cmount, int replication);
int ceph_debug_get_fd_caps(struct ceph_mount_info *cmount, int fd);
int ceph_debug_get_file_caps(struct ceph_mount_info *cmount, const char *path);

/* ---- sessions and snapshots ---- */
#define CEPH_RECLAIM_RESET 1
uint32_t ceph_get_cap_return_timeout(struct ceph_mount_info *cmount);
int ceph_set_deleg_timeout(struct ceph_mount_info *cmount, uint32_t timeout);
void ceph_set_uuid(struct ceph_mount_info *cmount, const char *uuid);
void ceph_set_session_timeout(struct ceph_mount_info *cmount, unsigned timeout);
int ceph_start_reclaim(struct ceph_mount_info *cmount, const char *uuid, unsigned flags);
void ceph_finish_reclaim(struct ceph_mount_info *cmount);
int ceph_get_snap_info(struct ceph_mount_info *cmount, const char *path,
		       struct snap_info *snap_info);
void ceph_free_snap_info_buffer(struct snap_info *snap_info);

/* ---- the low-level interface: inodes and open-file handles ----
 * Every call that returns an Inode takes a reference, given back with
 * ceph_ll_put() (one) or ceph_ll_forget() (count). The UserPerm arguments
 * must be the mount's identity (ceph_mount_perms() or an equal one):
 * siphon acts as one user and refuses another with -EOPNOTSUPP. Locks
 * taken through an Fh (ceph_ll_setlk) are dropped by ceph_ll_close(). */
int ceph_ll_lookup_root(struct ceph_mount_info *cmount, Inode **parent);
int ceph_ll_lookup(struct ceph_mount_info *cmount, Inode *parent, const char *name,
		   Inode **out, struct ceph_statx *stx, unsigned want, unsigned flags,
		   const UserPerm *perms);
/* Inodes by number: ceph_ll_get_inode only if this client holds the inode
 * already (else NULL); the lookups ask the MDS if need be (-ESTALE: no
 * such inode, or removed). Only CEPH_NOSNAP (no snapshots). */
struct Inode *ceph_ll_get_inode(struct ceph_mount_info *cmount, vinodeno_t vino);
int ceph_ll_lookup_vino(struct ceph_mount_info *cmount, vinodeno_t vino, Inode **inode);
int ceph_ll_lookup_inode(struct ceph_mount_info *cmount, struct inodeno_t ino,
			 Inode **inode);
int ceph_ll_put(struct ceph_mount_info *cmount, struct Inode *in);
int ceph_ll_forget(struct ceph_mount_info *cmount, struct Inode *in, int count);
int ceph_ll_walk(struct ceph_mount_info *cmount, const char *name, Inode **i,
		 struct ceph_statx *stx, unsigned int want, unsigned int flags,
		 const UserPerm *perms);
int ceph_ll_getattr(struct ceph_mount_info *cmount, struct Inode *in,
		    struct ceph_statx *stx, unsigned int want, unsigned int flags,
		    const UserPerm *perms);
int ceph_ll_setattr(struct ceph_mount_info *cmount, struct Inode *in,
		    struct ceph_statx *stx, int mask, const UserPerm *perms);
int ceph_ll_open(struct ceph_mount_info *cmount, struct Inode *in, int flags,
		 struct Fh **fh, const UserPerm *perms);
off_t ceph_ll_lseek(struct ceph_mount_info *cmount, struct Fh *filehandle,
		    off_t offset, int whence);
int ceph_ll_read(struct ceph_mount_info *cmount, struct Fh *filehandle,
		 int64_t off, uint64_t len, char *buf);
int ceph_ll_fsync(struct ceph_mount_info *cmount, struct Fh *fh, int syncdataonly);
int ceph_ll_fallocate(struct ceph_mount_info *cmount, struct Fh *fh,
		      int mode, int64_t offset, int64_t length);
int ceph_ll_write(struct ceph_mount_info *cmount, struct Fh *filehandle,
		  int64_t off, uint64_t len, const char *data);
int64_t ceph_ll_readv(struct ceph_mount_info *cmount, struct Fh *fh,
		      const struct iovec *iov, int iovcnt, int64_t off);
int64_t ceph_ll_writev(struct ceph_mount_info *cmount, struct Fh *fh,
		       const struct iovec *iov, int iovcnt, int64_t off);
int ceph_ll_close(struct ceph_mount_info *cmount, struct Fh *filehandle);
int ceph_ll_getxattr(struct ceph_mount_info *cmount, struct Inode *in,
		     const char *name, void *value, size_t size, const UserPerm *perms);
int ceph_ll_setxattr(struct ceph_mount_info *cmount, struct Inode *in,
		     const char *name, const void *value, size_t size,
		     int flags, const UserPerm *perms);
int ceph_ll_listxattr(struct ceph_mount_info *cmount, struct Inode *in,
		      char *list, size_t buf_size, size_t *list_size,
		      const UserPerm *perms);
int ceph_ll_removexattr(struct ceph_mount_info *cmount, struct Inode *in,
			const char *name, const UserPerm *perms);
int ceph_ll_create(struct ceph_mount_info *cmount, Inode *parent, const char *name,
		   mode_t mode, int oflags, Inode **outp, Fh **fhp,
		   struct ceph_statx *stx, unsigned want, unsigned lflags,
		   const UserPerm *perms);
int ceph_ll_mknod(struct ceph_mount_info *cmount, Inode *parent, const char *name,
		  mode_t mode, dev_t rdev, Inode **out, struct ceph_statx *stx,
		  unsigned want, unsigned flags, const UserPerm *perms);
int ceph_ll_mkdir(struct ceph_mount_info *cmount, Inode *parent, const char *name,
		  mode_t mode, Inode **out, struct ceph_statx *stx, unsigned want,
		  unsigned flags, const UserPerm *perms);
int ceph_ll_link(struct ceph_mount_info *cmount, struct Inode *in,
		 struct Inode *newparent, const char *name, const UserPerm *perms);
int ceph_ll_opendir(struct ceph_mount_info *cmount, struct Inode *in,
		    struct ceph_dir_result **dirpp, const UserPerm *perms);
int ceph_ll_releasedir(struct ceph_mount_info *cmount, struct ceph_dir_result *dir);
int ceph_ll_rename(struct ceph_mount_info *cmount, struct Inode *parent,
		   const char *name, struct Inode *newparent, const char *newname,
		   const UserPerm *perms);
int ceph_ll_unlink(struct ceph_mount_info *cmount, struct Inode *in,
		   const char *name, const UserPerm *perms);
int ceph_ll_statfs(struct ceph_mount_info *cmount, struct Inode *in, struct statvfs *stbuf);
int ceph_ll_readlink(struct ceph_mount_info *cmount, struct Inode *in,
		     char *buf, size_t bufsize, const UserPerm *perms);
int ceph_ll_symlink(struct ceph_mount_info *cmount, Inode *in, const char *name,
		    const char *value, Inode **out, struct ceph_statx *stx,
		    unsigned want, unsigned flags, const UserPerm *perms);
int ceph_ll_rmdir(struct ceph_mount_info *cmount, struct Inode *in,
		  const char *name, const UserPerm *perms);
/* POSIX byte-range locks through an Fh, under owner (fl->l_whence is
 * taken as SEEK_SET); sleep waits for a conflicting lock to go. */
int ceph_ll_getlk(struct ceph_mount_info *cmount, Fh *fh, struct flock *fl, uint64_t owner);
int ceph_ll_setlk(struct ceph_mount_info *cmount, Fh *fh, struct flock *fl, uint64_t owner,
		  int sleep);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif

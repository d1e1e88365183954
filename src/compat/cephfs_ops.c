/* libcephfs compatibility: path-based metadata calls, attributes,
 * extended attributes and layouts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "compat.h"

/* Capability groups, as libcephfs maps statx wants to them. */
#define WANT_AUTH	(CEPH_STATX_MODE | CEPH_STATX_UID | CEPH_STATX_GID | \
			 CEPH_STATX_BTIME | CEPH_STATX_CTIME | CEPH_STATX_VERSION)
#define WANT_LINK	(CEPH_STATX_NLINK | CEPH_STATX_CTIME | CEPH_STATX_VERSION)
#define WANT_FILE	(CEPH_STATX_NLINK | CEPH_STATX_ATIME | CEPH_STATX_MTIME | \
			 CEPH_STATX_CTIME | CEPH_STATX_SIZE | CEPH_STATX_BLOCKS | \
			 CEPH_STATX_VERSION)

/* libcephfs: the layout's stripe unit, at least 4096. siphon says 4 MiB
 * for an inode without a layout, which only a directory can be (unless one
 * was set on it: a directory whose layout has a 4 MiB stripe unit is
 * reported with 4096 here). */
static uint32_t blksize(const struct siphon_stat *st)
{
	if (S_ISDIR(st->mode) && st->blksize == 4194304)
		return 4096;
	return st->blksize > 4096 ? st->blksize : 4096;
}

void compat_fill_statx(struct ceph_statx *stx, const struct siphon_stat *st,
		       unsigned want, unsigned flags)
{
	bool all = (flags & AT_STATX_DONT_SYNC) != 0;
	bool auth = all || (want & WANT_AUTH), link = all || (want & WANT_LINK);
	bool file = all || (want & WANT_FILE);

	memset(stx, 0, sizeof(*stx));
	/* always there: the type bits, inode, device numbers, block size */
	stx->stx_dev = (dev_t)CEPH_NOSNAP;
	stx->stx_blksize = blksize(st);
	stx->stx_mode = (uint16_t)(st->mode & S_IFMT);
	stx->stx_ino = st->ino;
	stx->stx_rdev = st->rdev;
	stx->stx_mask = CEPH_STATX_INO | CEPH_STATX_RDEV;
	if (auth) {
		stx->stx_mode = (uint16_t)st->mode;
		stx->stx_uid = st->uid;
		stx->stx_gid = st->gid;
		stx->stx_ctime = st->ctime;
		stx->stx_btime = st->btime;
		stx->stx_mask |= CEPH_STATX_MODE | CEPH_STATX_UID | CEPH_STATX_GID |
				 CEPH_STATX_BTIME;
	}
	if (link) {
		stx->stx_nlink = st->nlink;
		stx->stx_mask |= CEPH_STATX_NLINK;
	}
	if (file) {
		stx->stx_atime = st->atime;
		stx->stx_mtime = st->mtime;
		stx->stx_size = st->size;
		stx->stx_blocks = st->blocks;
		stx->stx_mask |= CEPH_STATX_ATIME | CEPH_STATX_MTIME |
				 CEPH_STATX_SIZE | CEPH_STATX_BLOCKS;
	}
	if (auth && link && file) {
		/* siphon does not keep the inode's change attribute, so
		 * CEPH_STATX_VERSION is never reported */
		stx->stx_ctime = st->ctime;
		if (st->mtime.tv_sec > st->ctime.tv_sec ||
		    (st->mtime.tv_sec == st->ctime.tv_sec &&
		     st->mtime.tv_nsec > st->ctime.tv_nsec))
			stx->stx_ctime = st->mtime;
		stx->stx_mask |= CEPH_STATX_CTIME;
	}
}

static void fill_stat(struct stat *sb, const struct siphon_stat *st)
{
	memset(sb, 0, sizeof(*sb));
	sb->st_dev = (dev_t)CEPH_NOSNAP;
	sb->st_ino = st->ino;
	sb->st_mode = st->mode;
	sb->st_nlink = st->nlink;
	sb->st_uid = st->uid;
	sb->st_gid = st->gid;
	sb->st_rdev = st->rdev;
	sb->st_size = (off_t)st->size;
	sb->st_blksize = blksize(st);
	sb->st_blocks = (blkcnt_t)st->blocks;
	sb->st_atim = st->atime;
	sb->st_mtim = st->mtime;
	sb->st_ctim = st->ctime;
}

/* ---- names ---- */

int ceph_mkdir(struct ceph_mount_info *cm, const char *path, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : siphon_mkdir(cm->c, full, mode & ~cm->umask & 07777);
}

int ceph_mkdirs(struct ceph_mount_info *cm, const char *path, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : siphon_mkdirs(cm->c, full, mode & ~cm->umask & 07777);
}

int ceph_rmdir(struct ceph_mount_info *cm, const char *path)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : siphon_rmdir(cm->c, full);
}

int ceph_unlink(struct ceph_mount_info *cm, const char *path)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : siphon_unlink(cm->c, full);
}

int ceph_rename(struct ceph_mount_info *cm, const char *from, const char *to)
{
	char a[COMPAT_PATH_MAX], b[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, from, a);
	if (!r)
		r = compat_path(cm, to, b);
	return r ? r : siphon_rename(cm->c, a, b);
}

int ceph_link(struct ceph_mount_info *cm, const char *existing, const char *newname)
{
	char a[COMPAT_PATH_MAX], b[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, existing, a);
	if (!r)
		r = compat_path(cm, newname, b);
	return r ? r : siphon_link(cm->c, a, b);
}

int ceph_symlink(struct ceph_mount_info *cm, const char *existing, const char *newname)
{
	char b[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	if (!existing)
		return -EINVAL;
	r = compat_path(cm, newname, b);
	return r ? r : siphon_symlink(cm->c, existing, b);
}

int ceph_readlink(struct ceph_mount_info *cm, const char *path, char *buf, int64_t size)
{
	char full[COMPAT_PATH_MAX], target[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	if (size < 0)
		return -EINVAL;
	r = compat_path(cm, path, full);
	if (r)
		return r;
	r = siphon_readlink(cm->c, full, target, sizeof(target));
	if (r < 0)
		return r;
	/* like readlink(2): no terminating NUL, at most size bytes */
	if ((int64_t)r > size)
		r = (int)size;
	memcpy(buf, target, (size_t)r);
	return r;
}

int ceph_mknod(struct ceph_mount_info *cm, const char *path, mode_t mode, dev_t rdev)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	if (r)
		return r;
	return siphon_mknod(cm->c, full, (mode & S_IFMT) | (mode & ~cm->umask & 07777),
			    (uint32_t)rdev);
}

/* Snapshots (mkdir in .snap, CEPH_MDS_OP_MKSNAP) are not in siphon's
 * public API. */
int ceph_mksnap(struct ceph_mount_info *cm, const char *path, const char *name,
		mode_t mode, struct snap_metadata *snap_metadata, size_t nr_snap_metadata)
{
	return -EOPNOTSUPP;
}

int ceph_rmsnap(struct ceph_mount_info *cm, const char *path, const char *name)
{
	return -EOPNOTSUPP;
}

/* The permission check libcephfs makes needs the caller's credentials and
 * the parent's ACLs, which siphon does not evaluate. */
int ceph_may_delete(struct ceph_mount_info *cm, const char *path)
{
	return -EOPNOTSUPP;
}

/* ---- attributes ---- */

static int stat_path(struct ceph_mount_info *cm, const char *path, bool follow,
		     struct siphon_stat *st)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	if (r)
		return r;
	r = follow ? siphon_stat(cm->c, full, st) : siphon_lstat(cm->c, full, st);
	if (r == -ENOTDIR) {
		r = compat_resolve(cm, full, full, follow);
		if (!r)
			r = follow ? siphon_stat(cm->c, full, st) : siphon_lstat(cm->c, full, st);
	}
	return r;
}

int ceph_statx(struct ceph_mount_info *cm, const char *path, struct ceph_statx *stx,
	       unsigned int want, unsigned int flags)
{
	struct siphon_stat st;
	int r;

	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = stat_path(cm, path, !(flags & AT_SYMLINK_NOFOLLOW), &st);
	if (!r)
		compat_fill_statx(stx, &st, want, flags);
	return r;
}

int ceph_stat(struct ceph_mount_info *cm, const char *path, struct stat *stbuf)
{
	struct siphon_stat st;
	int r = stat_path(cm, path, true, &st);

	if (!r)
		fill_stat(stbuf, &st);
	return r;
}

int ceph_lstat(struct ceph_mount_info *cm, const char *path, struct stat *stbuf)
{
	struct siphon_stat st;
	int r = stat_path(cm, path, false, &st);

	if (!r)
		fill_stat(stbuf, &st);
	return r;
}

/* Stats an open descriptor: the file handle, or a directory by path. */
static int stat_fd(struct ceph_mount_info *cm, int fd, struct siphon_stat *st)
{
	struct cfd *d;
	int r;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	r = d->f ? siphon_fstat(d->f, st) : siphon_stat(cm->c, d->path, st);
	compat_fd_put(cm, d);
	return r;
}

int ceph_fstatx(struct ceph_mount_info *cm, int fd, struct ceph_statx *stx,
		unsigned int want, unsigned int flags)
{
	struct siphon_stat st;
	int r;

	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = stat_fd(cm, fd, &st);
	if (!r)
		compat_fill_statx(stx, &st, want, flags);
	return r;
}

int ceph_fstat(struct ceph_mount_info *cm, int fd, struct stat *stbuf)
{
	struct siphon_stat st;
	int r = stat_fd(cm, fd, &st);

	if (!r)
		fill_stat(stbuf, &st);
	return r;
}

/* The path an f* call acts on: the one the descriptor was opened by. */
static int fd_path(struct ceph_mount_info *cm, int fd, char *out)
{
	struct cfd *d;

	if (!cm || !cm->mounted)
		return -ENOTCONN;
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	snprintf(out, COMPAT_PATH_MAX, "%s", d->path);
	compat_fd_put(cm, d);
	return 0;
}

/* The path a *at call names: relpath from dirfd (CEPHFS_AT_FDCWD, i.e.
 * AT_FDCWD, for the current directory), or relpath if absolute. */
static int at_path(struct ceph_mount_info *cm, int dirfd, const char *relpath, char *out)
{
	char dir[COMPAT_PATH_MAX];
	int r, n;

	if (!relpath)
		return -EINVAL;
	if (relpath[0] == '/' || dirfd == AT_FDCWD)
		return compat_path(cm, relpath, out);
	r = fd_path(cm, dirfd, dir);
	if (r)
		return r;
	n = snprintf(out, COMPAT_PATH_MAX, "%s/%s", dir, relpath);
	return n < 0 || n >= COMPAT_PATH_MAX ? -ENAMETOOLONG : 0;
}

static int set_times(struct ceph_mount_info *cm, const char *full, bool follow,
		     const struct timespec *atime, const struct timespec *mtime,
		     bool keep_atime, bool keep_mtime)
{
	struct siphon_stat st;
	struct timespec a, m, now;
	char path[COMPAT_PATH_MAX];
	int r;

	if (follow) {
		r = compat_follow(cm, full, path);
		if (r)
			return r;
	} else {
		snprintf(path, sizeof(path), "%s", full);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	a = atime ? *atime : now;
	m = mtime ? *mtime : now;
	if (keep_atime || keep_mtime) {
		r = siphon_lstat(cm->c, path, &st);
		if (r)
			return r;
		if (keep_atime)
			a = st.atime;
		if (keep_mtime)
			m = st.mtime;
	}
	return siphon_utimes(cm->c, path, &a, &m);
}

/* Applies the CEPH_SETATTR_* bits of mask from stx to the inode at full. */
static int setattr_path(struct ceph_mount_info *cm, const char *full,
			const struct ceph_statx *stx, int mask, bool follow)
{
	char path[COMPAT_PATH_MAX];
	int r = 0;

	if (mask & (CEPH_SETATTR_BTIME | CEPH_SETATTR_FSCRYPT_AUTH |
		    CEPH_SETATTR_FSCRYPT_FILE))
		return -EOPNOTSUPP;	/* not settable through siphon's API */
	if (follow) {
		r = compat_follow(cm, full, path);
		if (r)
			return r;
	} else {
		snprintf(path, sizeof(path), "%s", full);
	}
	if (mask & CEPH_SETATTR_MODE)
		r = siphon_chmod(cm->c, path, stx->stx_mode & 07777);
	if (!r && (mask & (CEPH_SETATTR_UID | CEPH_SETATTR_GID)))
		r = siphon_chown(cm->c, path,
				 (mask & CEPH_SETATTR_UID) ? stx->stx_uid : (uint32_t)-1,
				 (mask & CEPH_SETATTR_GID) ? stx->stx_gid : (uint32_t)-1);
	if (!r && (mask & (CEPH_SETATTR_ATIME | CEPH_SETATTR_MTIME |
			   CEPH_SETATTR_ATIME_NOW | CEPH_SETATTR_MTIME_NOW))) {
		bool seta = mask & (CEPH_SETATTR_ATIME | CEPH_SETATTR_ATIME_NOW);
		bool setm = mask & (CEPH_SETATTR_MTIME | CEPH_SETATTR_MTIME_NOW);

		r = set_times(cm, path, false,
			      (mask & CEPH_SETATTR_ATIME) ? &stx->stx_atime : NULL,
			      (mask & CEPH_SETATTR_MTIME) ? &stx->stx_mtime : NULL,
			      !seta, !setm);
	}
	/* the size last, as the MDS applies one request: a size change
	 * makes the mtime now */
	if (!r && (mask & CEPH_SETATTR_SIZE))
		r = siphon_truncate(cm->c, path, stx->stx_size);
	return r;
}

int ceph_setattrx(struct ceph_mount_info *cm, const char *relpath,
		  struct ceph_statx *stx, int mask, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = compat_path(cm, relpath, full);
	return r ? r : setattr_path(cm, full, stx, mask, !(flags & AT_SYMLINK_NOFOLLOW));
}

int ceph_fsetattrx(struct ceph_mount_info *cm, int fd, struct ceph_statx *stx, int mask)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : setattr_path(cm, full, stx, mask, false);
}

static int chmod_full(struct ceph_mount_info *cm, const char *full, mode_t mode, bool follow)
{
	char path[COMPAT_PATH_MAX];
	int r = 0;

	if (follow)
		r = compat_follow(cm, full, path);
	else
		snprintf(path, sizeof(path), "%s", full);
	return r ? r : siphon_chmod(cm->c, path, mode & 07777);
}

static int chown_full(struct ceph_mount_info *cm, const char *full, int uid, int gid,
		      bool follow)
{
	char path[COMPAT_PATH_MAX];
	int r = 0;

	if (follow)
		r = compat_follow(cm, full, path);
	else
		snprintf(path, sizeof(path), "%s", full);
	return r ? r : siphon_chown(cm->c, path, (uint32_t)uid, (uint32_t)gid);
}

int ceph_chmod(struct ceph_mount_info *cm, const char *path, mode_t mode)
{
	CHECK_MOUNTED(cm);
	return chmod_full(cm, path, mode, true);
}

int ceph_lchmod(struct ceph_mount_info *cm, const char *path, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : chmod_full(cm, full, mode, false);
}

int ceph_fchmod(struct ceph_mount_info *cm, int fd, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : chmod_full(cm, full, mode, false);
}

int ceph_chmodat(struct ceph_mount_info *cm, int dirfd, const char *relpath,
		 mode_t mode, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : chmod_full(cm, full, mode, !(flags & AT_SYMLINK_NOFOLLOW));
}

int ceph_chown(struct ceph_mount_info *cm, const char *path, int uid, int gid)
{
	CHECK_MOUNTED(cm);
	return chown_full(cm, path, uid, gid, true);
}

int ceph_lchown(struct ceph_mount_info *cm, const char *path, int uid, int gid)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : chown_full(cm, full, uid, gid, false);
}

int ceph_fchown(struct ceph_mount_info *cm, int fd, int uid, int gid)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : chown_full(cm, full, uid, gid, false);
}

int ceph_chownat(struct ceph_mount_info *cm, int dirfd, const char *relpath,
		 uid_t uid, gid_t gid, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : chown_full(cm, full, (int)uid, (int)gid, !(flags & AT_SYMLINK_NOFOLLOW));
}

static int utimes_tv(struct ceph_mount_info *cm, const char *full, bool follow,
		     const struct timeval *tv)
{
	struct timespec ts[2];

	if (!tv)
		return set_times(cm, full, follow, NULL, NULL, false, false);
	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return set_times(cm, full, follow, &ts[0], &ts[1], false, false);
}

int ceph_utime(struct ceph_mount_info *cm, const char *path, struct utimbuf *buf)
{
	char full[COMPAT_PATH_MAX];
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	if (r)
		return r;
	if (!buf)
		return set_times(cm, full, true, NULL, NULL, false, false);
	ts[0].tv_sec = buf->actime;
	ts[1].tv_sec = buf->modtime;
	return set_times(cm, full, true, &ts[0], &ts[1], false, false);
}

int ceph_futime(struct ceph_mount_info *cm, int fd, struct utimbuf *buf)
{
	char full[COMPAT_PATH_MAX];
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	int r = fd_path(cm, fd, full);

	if (r)
		return r;
	if (!buf)
		return set_times(cm, full, false, NULL, NULL, false, false);
	ts[0].tv_sec = buf->actime;
	ts[1].tv_sec = buf->modtime;
	return set_times(cm, full, false, &ts[0], &ts[1], false, false);
}

int ceph_utimes(struct ceph_mount_info *cm, const char *path, struct timeval times[2])
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : utimes_tv(cm, full, true, times);
}

int ceph_lutimes(struct ceph_mount_info *cm, const char *path, struct timeval times[2])
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : utimes_tv(cm, full, false, times);
}

int ceph_futimes(struct ceph_mount_info *cm, int fd, struct timeval times[2])
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : utimes_tv(cm, full, false, times);
}

/* utimensat's conventions: NULL is now for both; UTIME_NOW and UTIME_OMIT
 * in tv_nsec. */
static int utimens_full(struct ceph_mount_info *cm, const char *full, bool follow,
			const struct timespec *ts)
{
	bool keep[2] = { false, false };
	const struct timespec *t[2] = { NULL, NULL };

	if (ts) {
		for (int i = 0; i < 2; i++) {
			if (ts[i].tv_nsec == UTIME_OMIT)
				keep[i] = true;
			else if (ts[i].tv_nsec != UTIME_NOW)
				t[i] = &ts[i];
		}
		if (keep[0] && keep[1])
			return 0;
	}
	return set_times(cm, full, follow, t[0], t[1], keep[0], keep[1]);
}

int ceph_futimens(struct ceph_mount_info *cm, int fd, struct timespec times[2])
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : utimens_full(cm, full, false, times);
}

int ceph_utimensat(struct ceph_mount_info *cm, int dirfd, const char *relpath,
		   struct timespec times[2], int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : utimens_full(cm, full, !(flags & AT_SYMLINK_NOFOLLOW), times);
}

int ceph_truncate(struct ceph_mount_info *cm, const char *path, int64_t size)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	if (size < 0)
		return -EINVAL;
	r = compat_follow(cm, path, full);
	return r ? r : siphon_truncate(cm->c, full, (uint64_t)size);
}

/* ---- *at variants of the names ---- */

int ceph_mkdirat(struct ceph_mount_info *cm, int dirfd, const char *relpath, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : ceph_mkdir(cm, full, mode);
}

int ceph_readlinkat(struct ceph_mount_info *cm, int dirfd, const char *relpath,
		    char *buf, int64_t size)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : ceph_readlink(cm, full, buf, size);
}

int ceph_symlinkat(struct ceph_mount_info *cm, const char *existing, int dirfd,
		   const char *newname)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, newname, full);
	return r ? r : ceph_symlink(cm, existing, full);
}

int ceph_unlinkat(struct ceph_mount_info *cm, int dirfd, const char *relpath, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	if (r)
		return r;
	return (flags & AT_REMOVEDIR) ? ceph_rmdir(cm, full) : ceph_unlink(cm, full);
}

int ceph_statxat(struct ceph_mount_info *cm, int dirfd, const char *relpath,
		 struct ceph_statx *stx, unsigned int want, unsigned int flags)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = at_path(cm, dirfd, relpath, full);
	return r ? r : ceph_statx(cm, full, stx, want, flags);
}

/* ---- extended attributes ---- */

static int xattr_path(struct ceph_mount_info *cm, const char *path, bool follow, char *out)
{
	CHECK_MOUNTED(cm);
	return follow ? compat_follow(cm, path, out) : compat_path(cm, path, out);
}

static int do_getxattr(struct ceph_mount_info *cm, const char *full, const char *name,
		       void *value, size_t size)
{
	if (!name)
		return -EINVAL;
	return siphon_getxattr(cm->c, full, name, value, size);
}

int ceph_getxattr(struct ceph_mount_info *cm, const char *path, const char *name,
		  void *value, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, true, full);

	return r ? r : do_getxattr(cm, full, name, value, size);
}

int ceph_lgetxattr(struct ceph_mount_info *cm, const char *path, const char *name,
		   void *value, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, false, full);

	return r ? r : do_getxattr(cm, full, name, value, size);
}

int ceph_fgetxattr(struct ceph_mount_info *cm, int fd, const char *name,
		   void *value, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : do_getxattr(cm, full, name, value, size);
}

int ceph_listxattr(struct ceph_mount_info *cm, const char *path, char *list, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, true, full);

	return r ? r : siphon_listxattr(cm->c, full, list, size);
}

int ceph_llistxattr(struct ceph_mount_info *cm, const char *path, char *list, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, false, full);

	return r ? r : siphon_listxattr(cm->c, full, list, size);
}

int ceph_flistxattr(struct ceph_mount_info *cm, int fd, char *list, size_t size)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : siphon_listxattr(cm->c, full, list, size);
}

static int do_setxattr(struct ceph_mount_info *cm, const char *full, const char *name,
		       const void *value, size_t size, int flags)
{
	if (!name || (flags & ~(XATTR_CREATE | XATTR_REPLACE)))
		return -EINVAL;
	return siphon_setxattr(cm->c, full, name, value, size, flags);
}

int ceph_setxattr(struct ceph_mount_info *cm, const char *path, const char *name,
		  const void *value, size_t size, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, true, full);

	return r ? r : do_setxattr(cm, full, name, value, size, flags);
}

int ceph_lsetxattr(struct ceph_mount_info *cm, const char *path, const char *name,
		   const void *value, size_t size, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, false, full);

	return r ? r : do_setxattr(cm, full, name, value, size, flags);
}

int ceph_fsetxattr(struct ceph_mount_info *cm, int fd, const char *name,
		   const void *value, size_t size, int flags)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : do_setxattr(cm, full, name, value, size, flags);
}

int ceph_removexattr(struct ceph_mount_info *cm, const char *path, const char *name)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, true, full);

	return r ? r : siphon_removexattr(cm->c, full, name);
}

int ceph_lremovexattr(struct ceph_mount_info *cm, const char *path, const char *name)
{
	char full[COMPAT_PATH_MAX];
	int r = xattr_path(cm, path, false, full);

	return r ? r : siphon_removexattr(cm->c, full, name);
}

int ceph_fremovexattr(struct ceph_mount_info *cm, int fd, const char *name)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fd, full);

	return r ? r : siphon_removexattr(cm->c, full, name);
}

/* ---- layouts, through the ceph.file.layout.* virtual attributes ---- */

static int layout_field(struct ceph_mount_info *cm, const char *full, const char *field,
			char *buf, size_t len)
{
	char name[64];
	int r;

	snprintf(name, sizeof(name), "ceph.file.layout.%s", field);
	r = siphon_getxattr(cm->c, full, name, buf, len - 1);
	if (r == -ENODATA) {
		/* a directory: its layout, if one was set on it */
		snprintf(name, sizeof(name), "ceph.dir.layout.%s", field);
		r = siphon_getxattr(cm->c, full, name, buf, len - 1);
	}
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static int layout_int(struct ceph_mount_info *cm, const char *full, const char *field)
{
	char buf[32];
	int r = layout_field(cm, full, field, buf, sizeof(buf));

	return r < 0 ? r : (int)strtol(buf, NULL, 10);
}

static int path_full(struct ceph_mount_info *cm, const char *path, char *full)
{
	CHECK_MOUNTED(cm);
	return compat_follow(cm, path, full);
}

#define LAYOUT_GETTERS(field)								\
int ceph_get_file_##field(struct ceph_mount_info *cm, int fh)				\
{											\
	char full[COMPAT_PATH_MAX];							\
	int r = fd_path(cm, fh, full);							\
											\
	return r ? r : layout_int(cm, full, #field);					\
}											\
int ceph_get_path_##field(struct ceph_mount_info *cm, const char *path)		\
{											\
	char full[COMPAT_PATH_MAX];							\
	int r = path_full(cm, path, full);						\
											\
	return r ? r : layout_int(cm, full, #field);					\
}

LAYOUT_GETTERS(stripe_unit)
LAYOUT_GETTERS(stripe_count)
LAYOUT_GETTERS(object_size)

static int pool_name(struct ceph_mount_info *cm, const char *full, char *buf, size_t buflen)
{
	char name[256];
	int r = layout_field(cm, full, "pool", name, sizeof(name));

	if (r < 0)
		return r;
	/* the name's length; the NUL is copied when there is room for it */
	if (buflen == 0)
		return r;
	if ((size_t)r > buflen)
		return -ERANGE;
	memcpy(buf, name, (size_t)r + 1 <= buflen ? (size_t)r + 1 : (size_t)r);
	return r;
}

int ceph_get_file_pool_name(struct ceph_mount_info *cm, int fh, char *buf, size_t buflen)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fh, full);

	return r ? r : pool_name(cm, full, buf, buflen);
}

int ceph_get_path_pool_name(struct ceph_mount_info *cm, const char *path, char *buf,
			    size_t buflen)
{
	char full[COMPAT_PATH_MAX];
	int r = path_full(cm, path, full);

	return r ? r : pool_name(cm, full, buf, buflen);
}

static int get_layout(struct ceph_mount_info *cm, const char *full, int *stripe_unit,
		      int *stripe_count, int *object_size, int *pg_pool)
{
	int su, sc, os;

	/* pool ids: siphon's public API names pools, it does not number them */
	if (pg_pool)
		return -EOPNOTSUPP;
	su = layout_int(cm, full, "stripe_unit");
	if (su < 0)
		return su;
	sc = layout_int(cm, full, "stripe_count");
	if (sc < 0)
		return sc;
	os = layout_int(cm, full, "object_size");
	if (os < 0)
		return os;
	if (stripe_unit)
		*stripe_unit = su;
	if (stripe_count)
		*stripe_count = sc;
	if (object_size)
		*object_size = os;
	return 0;
}

int ceph_get_file_layout(struct ceph_mount_info *cm, int fh, int *stripe_unit,
			 int *stripe_count, int *object_size, int *pg_pool)
{
	char full[COMPAT_PATH_MAX];
	int r = fd_path(cm, fh, full);

	return r ? r : get_layout(cm, full, stripe_unit, stripe_count, object_size, pg_pool);
}

int ceph_get_path_layout(struct ceph_mount_info *cm, const char *path, int *stripe_unit,
			 int *stripe_count, int *object_size, int *pg_pool)
{
	char full[COMPAT_PATH_MAX];
	int r = path_full(cm, path, full);

	return r ? r : get_layout(cm, full, stripe_unit, stripe_count, object_size, pg_pool);
}

/* Pool ids, replication sizes and OSD locality come from the OSDMap, which
 * siphon's public API does not expose. */
int ceph_get_file_pool(struct ceph_mount_info *cm, int fh)
{
	return -EOPNOTSUPP;
}

int ceph_get_path_pool(struct ceph_mount_info *cm, const char *path)
{
	return -EOPNOTSUPP;
}

int ceph_get_pool_name(struct ceph_mount_info *cm, int pool, char *buf, size_t buflen)
{
	return -EOPNOTSUPP;
}

int ceph_get_default_data_pool_name(struct ceph_mount_info *cm, char *buf, size_t buflen)
{
	return -EOPNOTSUPP;
}

int ceph_get_file_replication(struct ceph_mount_info *cm, int fh)
{
	return -EOPNOTSUPP;
}

int ceph_get_path_replication(struct ceph_mount_info *cm, const char *path)
{
	return -EOPNOTSUPP;
}

int ceph_get_pool_id(struct ceph_mount_info *cm, const char *pool_name)
{
	return -EOPNOTSUPP;
}

int ceph_get_pool_replication(struct ceph_mount_info *cm, int pool_id)
{
	return -EOPNOTSUPP;
}

int ceph_get_local_osd(struct ceph_mount_info *cm)
{
	return -EOPNOTSUPP;
}

int ceph_localize_reads(struct ceph_mount_info *cm, int val)
{
	return -EOPNOTSUPP;
}

int ceph_get_stripe_unit_granularity(struct ceph_mount_info *cm)
{
	CHECK_MOUNTED(cm);
	return 65536;	/* CEPH_MIN_STRIPE_UNIT: layouts are multiples of it */
}

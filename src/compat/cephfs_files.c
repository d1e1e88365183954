/* libcephfs compatibility: the descriptor table and open files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/uio.h>

#include "compat.h"

/* ---- the descriptor table ---- */

static int fd_install(struct ceph_mount_info *cm, struct cfd *d)
{
	int i;

	pthread_mutex_lock(&cm->lock);
	for (i = 0; i < cm->nfds && cm->fds[i]; i++)
		;
	if (i == cm->nfds) {
		int n = cm->nfds ? cm->nfds * 2 : 16;
		struct cfd **fds = realloc(cm->fds, (size_t)n * sizeof(*fds));

		if (!fds) {
			pthread_mutex_unlock(&cm->lock);
			return -ENOMEM;
		}
		memset(fds + cm->nfds, 0, (size_t)(n - cm->nfds) * sizeof(*fds));
		cm->fds = fds;
		cm->nfds = n;
	}
	cm->fds[i] = d;
	pthread_mutex_unlock(&cm->lock);
	return i + COMPAT_FD_BASE;
}

struct cfd *compat_fd_get(struct ceph_mount_info *cm, int fd)
{
	struct cfd *d = NULL;
	int i = fd - COMPAT_FD_BASE;

	pthread_mutex_lock(&cm->lock);
	if (i >= 0 && i < cm->nfds && cm->fds[i]) {
		d = cm->fds[i];
		d->refs++;
	}
	pthread_mutex_unlock(&cm->lock);
	return d;
}

/* Drops a reference; the last one closes the file and returns what
 * closing said. */
static int fd_release(struct ceph_mount_info *cm, struct cfd *d)
{
	int r = 0, left;

	pthread_mutex_lock(&cm->lock);
	left = --d->refs;
	pthread_mutex_unlock(&cm->lock);
	if (left)
		return 0;
	/* the locks taken through this descriptor go with it */
	if (d->in) {
		compat_locks_release(cm->c, d->in, &d->locks);
		siphon_ll_put(cm->c, d->in, 1);
	}
	compat_locks_destroy(&d->locks);
	if (d->f)
		r = siphon_close(d->f);
	free(d->path);
	free(d);
	return r;
}

void compat_fd_put(struct ceph_mount_info *cm, struct cfd *d)
{
	(void)fd_release(cm, d);
}

/* Takes fd out of the table; the caller holds the table's reference. */
static struct cfd *fd_remove(struct ceph_mount_info *cm, int fd)
{
	struct cfd *d = NULL;
	int i = fd - COMPAT_FD_BASE;

	pthread_mutex_lock(&cm->lock);
	if (i >= 0 && i < cm->nfds && cm->fds[i]) {
		d = cm->fds[i];
		cm->fds[i] = NULL;
	}
	pthread_mutex_unlock(&cm->lock);
	return d;
}

void compat_fd_close_all(struct ceph_mount_info *cm)
{
	for (int i = 0; i < cm->nfds; i++) {
		struct cfd *d = fd_remove(cm, i + COMPAT_FD_BASE);

		if (d)
			(void)fd_release(cm, d);
	}
}

/* ---- open and close ---- */

static int new_fd(struct ceph_mount_info *cm, struct siphon_file *f, const char *path,
		  int flags)
{
	struct cfd *d = calloc(1, sizeof(*d));
	int r;

	if (d)
		d->path = strdup(path);
	if (!d || !d->path) {
		if (d)
			free(d);
		if (f)
			siphon_close(f);
		return -ENOMEM;
	}
	d->f = f;
	d->flags = flags;
	d->refs = 1;
	compat_locks_init(&d->locks);
	r = fd_install(cm, d);
	if (r < 0)
		(void)fd_release(cm, d);
	return r;
}

static int open_full(struct ceph_mount_info *cm, const char *full, int flags, mode_t mode)
{
	char target[COMPAT_PATH_MAX];
	struct siphon_file *f;
	struct siphon_stat st;
	int acc = flags & O_ACCMODE, r;

	/* the path the descriptor keeps: the file itself, past symlinks */
	if (flags & O_NOFOLLOW)
		snprintf(target, sizeof(target), "%s", full);
	else if ((r = compat_follow(cm, full, target)))
		return r;
	/* O_DIRECTORY: as with libcephfs, a directory opens (read-only) and
	 * anything else opens as it would without the flag */
	if (flags & O_DIRECTORY) {
		r = (flags & O_NOFOLLOW) ? siphon_lstat(cm->c, target, &st) :
					   siphon_stat(cm->c, target, &st);
		if (r)
			return r;
		if (S_ISDIR(st.mode))
			return acc == O_RDONLY ? new_fd(cm, NULL, target, flags) : -EISDIR;
	}
	r = siphon_open(cm->c, target, flags & ~O_DIRECTORY, (mode & ~cm->umask) & 07777, &f);
	if (r == -EISDIR && acc == O_RDONLY && !(flags & (O_CREAT | O_TRUNC)))
		return new_fd(cm, NULL, target, flags);	/* a directory, read-only */
	if (r)
		return r;
	return new_fd(cm, f, target, flags);
}

int ceph_open(struct ceph_mount_info *cm, const char *path, int flags, mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, path, full);
	return r ? r : open_full(cm, full, flags, mode);
}

int ceph_openat(struct ceph_mount_info *cm, int dirfd, const char *relpath, int flags,
		mode_t mode)
{
	char full[COMPAT_PATH_MAX];
	struct cfd *d;
	int n;

	CHECK_MOUNTED(cm);
	if (!relpath)
		return -EINVAL;
	if (relpath[0] == '/' || dirfd == AT_FDCWD)
		return ceph_open(cm, relpath, flags, mode);
	d = compat_fd_get(cm, dirfd);
	if (!d)
		return -EBADF;
	n = snprintf(full, sizeof(full), "%s/%s", d->path, relpath);
	compat_fd_put(cm, d);
	if (n < 0 || n >= (int)sizeof(full))
		return -ENAMETOOLONG;
	return open_full(cm, full, flags, mode);
}

int ceph_open_layout(struct ceph_mount_info *cm, const char *path, int flags,
		     mode_t mode, int stripe_unit, int stripe_count, int object_size,
		     const char *data_pool)
{
	char full[COMPAT_PATH_MAX], layout[512];
	int fd, len = 0, r;

	CHECK_MOUNTED(cm);
	if (!stripe_unit && !stripe_count && !object_size && !data_pool)
		return ceph_open(cm, path, flags, mode);
	if (!(flags & O_CREAT))
		return ceph_open(cm, path, flags, mode);
	r = compat_path(cm, path, full);
	if (r)
		return r;
	/* The layout applies to a file this call creates, as libcephfs
	 * sends it in the create request; here it is set on the new, empty
	 * file through the ceph.file.layout virtual attribute. */
	fd = open_full(cm, full, flags | O_EXCL, mode);
	if (fd == -EEXIST && !(flags & O_EXCL))
		return open_full(cm, full, flags, mode);
	if (fd < 0)
		return fd;
	if (stripe_unit > 0)
		len += snprintf(layout + len, sizeof(layout) - (size_t)len,
				"stripe_unit=%d ", stripe_unit);
	if (stripe_count > 0)
		len += snprintf(layout + len, sizeof(layout) - (size_t)len,
				"stripe_count=%d ", stripe_count);
	if (object_size > 0)
		len += snprintf(layout + len, sizeof(layout) - (size_t)len,
				"object_size=%d ", object_size);
	if (data_pool)
		len += snprintf(layout + len, sizeof(layout) - (size_t)len,
				"pool=%s ", data_pool);
	if (len > 0 && len < (int)sizeof(layout)) {
		layout[len - 1] = '\0';
		r = ceph_fsetxattr(cm, fd, "ceph.file.layout", layout, (size_t)len - 1, 0);
	} else {
		r = len > 0 ? -EINVAL : 0;
	}
	if (r) {
		(void)ceph_close(cm, fd);
		(void)ceph_unlink(cm, full);
		return r;
	}
	return fd;
}

int ceph_close(struct ceph_mount_info *cm, int fd)
{
	struct cfd *d;

	CHECK_MOUNTED(cm);
	d = fd_remove(cm, fd);
	if (!d)
		return -EBADF;
	return fd_release(cm, d);
}

/* ---- I/O ---- */

/* The open file behind fd for a read (want_write false) or a write. */
static int io_get(struct ceph_mount_info *cm, int fd, bool want_write, struct cfd **out)
{
	struct cfd *d;
	int acc;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	acc = d->flags & O_ACCMODE;
	if ((want_write && acc == O_RDONLY) || (!want_write && acc == O_WRONLY)) {
		compat_fd_put(cm, d);
		return -EBADF;
	}
	if (!d->f) {
		compat_fd_put(cm, d);
		return -EISDIR;
	}
	*out = d;
	return 0;
}

int ceph_read(struct ceph_mount_info *cm, int fd, char *buf, int64_t size, int64_t offset)
{
	struct cfd *d;
	int64_t n;
	int r;

	if (size < 0)
		return -EINVAL;
	r = io_get(cm, fd, false, &d);
	if (r)
		return r;
	if (size > INT_MAX)
		size = INT_MAX;
	n = siphon_read(d->f, buf, (size_t)size, offset < 0 ? -1 : offset);
	compat_fd_put(cm, d);
	return (int)n;
}

int ceph_write(struct ceph_mount_info *cm, int fd, const char *buf, int64_t size,
	       int64_t offset)
{
	struct cfd *d;
	int64_t n;
	int r;

	if (size < 0)
		return -EINVAL;
	r = io_get(cm, fd, true, &d);
	if (r)
		return r;
	if (size > INT_MAX)
		size = INT_MAX;
	n = siphon_write(d->f, buf, (size_t)size, offset < 0 ? -1 : offset);
	compat_fd_put(cm, d);
	return (int)n;
}

/* Vectors go one buffer after another; a short read ends the call. */
static int64_t vec_io(struct siphon_file *f, const struct iovec *iov, int iovcnt,
		      int64_t offset, bool write)
{
	int64_t total = 0;

	for (int i = 0; i < iovcnt; i++) {
		int64_t off = offset < 0 ? -1 : offset + total, n;

		if (iov[i].iov_len == 0)
			continue;
		n = write ? siphon_write(f, iov[i].iov_base, iov[i].iov_len, off) :
			    siphon_read(f, iov[i].iov_base, iov[i].iov_len, off);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
		if (total > INT_MAX)
			break;
	}
	return total > INT_MAX ? INT_MAX : total;
}

int ceph_preadv(struct ceph_mount_info *cm, int fd, const struct iovec *iov, int iovcnt,
		int64_t offset)
{
	struct cfd *d;
	int64_t n;
	int r;

	if (iovcnt < 0)
		return -EINVAL;
	r = io_get(cm, fd, false, &d);
	if (r)
		return r;
	n = vec_io(d->f, iov, iovcnt, offset, false);
	compat_fd_put(cm, d);
	return (int)n;
}

int ceph_pwritev(struct ceph_mount_info *cm, int fd, const struct iovec *iov, int iovcnt,
		 int64_t offset)
{
	struct cfd *d;
	int64_t n;
	int r;

	if (iovcnt < 0)
		return -EINVAL;
	r = io_get(cm, fd, true, &d);
	if (r)
		return r;
	n = vec_io(d->f, iov, iovcnt, offset, true);
	compat_fd_put(cm, d);
	return (int)n;
}

int64_t ceph_lseek(struct ceph_mount_info *cm, int fd, int64_t offset, int whence)
{
	struct cfd *d;
	int64_t r;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	r = d->f ? siphon_lseek(d->f, offset, whence) : -EISDIR;
	compat_fd_put(cm, d);
	return r;
}

int ceph_fsync(struct ceph_mount_info *cm, int fd, int syncdataonly)
{
	struct cfd *d;
	int r;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	/* both flavours write buffered data out and wait for the metadata */
	r = d->f ? siphon_fsync(d->f) : siphon_fsync_path(cm->c, d->path);
	compat_fd_put(cm, d);
	return r;
}

int ceph_ftruncate(struct ceph_mount_info *cm, int fd, int64_t size)
{
	struct cfd *d;
	int r;

	if (size < 0)
		return -EINVAL;
	r = io_get(cm, fd, true, &d);
	if (r)
		return r;
	r = siphon_ftruncate(d->f, (uint64_t)size);
	compat_fd_put(cm, d);
	return r;
}

int compat_fallocate_check(struct siphon_file *f, int acc, int mode, int64_t offset,
			   int64_t length)
{
	/* the checks in libcephfs's order: the range, the mode, the file */
	if (offset < 0 || length <= 0)
		return -EINVAL;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (acc == O_RDONLY)
		return -EBADF;
	return f ? 0 : -EISDIR;
}

int ceph_fallocate(struct ceph_mount_info *cm, int fd, int mode,
		   int64_t offset, int64_t length)
{
	struct siphon_inode *in;
	struct cfd *d;
	int r;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	/* Nothing is reserved (RADOS objects are sparse): mode 0 grows the
	 * size, KEEP_SIZE alone does nothing, a punched hole reads as zeros.
	 * The size change goes to the MDS like a write's. */
	r = compat_fallocate_check(d->f, d->flags & O_ACCMODE, mode, offset, length);
	if (!r)
		r = compat_fd_inode(cm, d, &in);
	if (!r)
		r = siphon_ll_fallocate(cm->c, in, mode, offset, length);
	compat_fd_put(cm, d);
	return r;
}

/* Lazy I/O lets a client relax CephFS's cache coherence; siphon keeps
 * the coherent behaviour, which lazy I/O permits, so enabling it changes
 * nothing. Propagating pushes this client's buffered writes out (fsync);
 * synchronizing does the same, and then reads ask the OSDs as usual. */
int ceph_lazyio(struct ceph_mount_info *cm, int fd, int enable)
{
	struct cfd *d;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	compat_fd_put(cm, d);
	return 0;
}

static int lazyio_flush(struct ceph_mount_info *cm, int fd)
{
	struct cfd *d;
	int r;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	r = d->f ? siphon_fsync(d->f) : 0;
	compat_fd_put(cm, d);
	return r;
}

int ceph_lazyio_propagate(struct ceph_mount_info *cm, int fd, int64_t offset, size_t count)
{
	return lazyio_flush(cm, fd);
}

int ceph_lazyio_synchronize(struct ceph_mount_info *cm, int fd, int64_t offset, size_t count)
{
	return lazyio_flush(cm, fd);
}

/* flock(2) locks, held at the MDS for the descriptor's inode under the
 * caller's owner; closing the descriptor drops those it took. */
int ceph_flock(struct ceph_mount_info *cm, int fd, int operation, uint64_t owner)
{
	struct siphon_lock lk = { .owner = owner };
	struct siphon_inode *in;
	struct cfd *d;
	int wait = !(operation & LOCK_NB), r;

	CHECK_MOUNTED(cm);
	switch (operation & ~LOCK_NB) {
	case LOCK_SH:
		lk.type = F_RDLCK;
		break;
	case LOCK_EX:
		lk.type = F_WRLCK;
		break;
	case LOCK_UN:
		lk.type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	d = compat_fd_get(cm, fd);
	if (!d)
		return -EBADF;
	r = compat_fd_inode(cm, d, &in);
	if (!r && lk.type != F_UNLCK)
		r = compat_locks_note(&d->locks, SIPHON_LOCK_FLOCK, owner);
	if (!r)
		r = siphon_ll_setlk(cm->c, in, SIPHON_LOCK_FLOCK, &lk, wait);
	compat_fd_put(cm, d);
	return r == -EAGAIN ? -EWOULDBLOCK : r;
}

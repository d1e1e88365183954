/* libcephfs compatibility: the low-level interface (ceph_ll_*), by inode
 * handle and open-file handle (Fh), on siphon's siphon_ll_* calls; and the
 * inode handles and lock records the descriptor calls need.
 *
 * An Inode is a siphon inode handle: each call that returns one takes a
 * reference that ceph_ll_put (one) or ceph_ll_forget (several) gives
 * back. siphon acts with one identity, the mount's: a UserPerm naming
 * another user or group is refused (EOPNOTSUPP) rather than ignored. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "compat.h"

#define SI(x) ((struct siphon_inode *)(x))
#define CI(x) ((struct Inode *)(x))

/* ---- lock records ---- */

void compat_locks_init(struct compat_locks *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
}

void compat_locks_destroy(struct compat_locks *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	pthread_mutex_destroy(&s->lock);
}

int compat_locks_note(struct compat_locks *s, int kind, uint64_t owner)
{
	int r = 0;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->n; i++)
		if (s->v[i].kind == kind && s->v[i].owner == owner)
			goto out;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 4;
		struct compat_lock_owner *v = realloc(s->v, (size_t)cap * sizeof(*v));

		if (!v) {
			r = -ENOMEM;
			goto out;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].kind = kind;
	s->v[s->n].owner = owner;
	s->n++;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

void compat_locks_release(struct siphon_client *c, struct siphon_inode *in,
			  struct compat_locks *s)
{
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->n; i++) {
		struct siphon_lock lk = { .type = F_UNLCK, .owner = s->v[i].owner };

		/* the whole file: what this owner holds of it, nothing else */
		(void)siphon_ll_setlk(c, in, s->v[i].kind, &lk, 0);
	}
	s->n = 0;
	pthread_mutex_unlock(&s->lock);
}

/* ---- inode handles for paths and descriptors ---- */

int compat_path_inode(struct ceph_mount_info *cm, const char *path,
		      struct siphon_inode **out)
{
	char work[COMPAT_PATH_MAX];
	struct siphon_inode *in, *next;
	char *save = NULL;
	int r;

	if (snprintf(work, sizeof(work), "%s", path) >= (int)sizeof(work))
		return -ENAMETOOLONG;
	compat_normalize(work);
	r = siphon_ll_root(cm->c, &in);
	if (r)
		return r;
	for (char *p = strtok_r(work, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		r = siphon_ll_lookup(cm->c, in, p, &next, NULL, NULL);
		siphon_ll_put(cm->c, in, 1);
		if (r)
			return r;
		in = next;
	}
	*out = in;
	return 0;
}

int compat_fd_inode(struct ceph_mount_info *cm, struct cfd *d, struct siphon_inode **out)
{
	struct siphon_inode *in;
	struct siphon_stat st;
	int r;

	pthread_mutex_lock(&cm->lock);
	in = d->in;
	pthread_mutex_unlock(&cm->lock);
	if (in) {
		*out = in;
		return 0;
	}
	/* The descriptor knows its file by handle and path; the inode's
	 * handle comes from the number if this client holds it already,
	 * else from the path, which must still name the same inode. */
	r = d->f ? siphon_fstat(d->f, &st) : siphon_stat(cm->c, d->path, &st);
	if (r)
		return r;
	if (siphon_ll_by_ino(cm->c, st.ino, &in)) {
		r = compat_path_inode(cm, d->path, &in);
		if (r)
			return r == -ENOENT ? -ESTALE : r;
		if (siphon_ll_ino(in) != st.ino) {
			siphon_ll_put(cm->c, in, 1);
			return -ESTALE;
		}
	}
	pthread_mutex_lock(&cm->lock);
	if (d->in) {		/* another thread was first */
		pthread_mutex_unlock(&cm->lock);
		siphon_ll_put(cm->c, in, 1);
		pthread_mutex_lock(&cm->lock);
	} else {
		d->in = in;
	}
	*out = d->in;
	pthread_mutex_unlock(&cm->lock);
	return 0;
}

/* ---- the low-level interface ---- */

static int check_perms(struct ceph_mount_info *cm, const UserPerm *perms)
{
	if (!cm || !cm->mounted)
		return -ENOTCONN;
	if (!perms || perms == &cm->perm)
		return 0;
	/* siphon cannot act as someone else */
	return perms->uid == cm->perm.uid && perms->gid == cm->perm.gid ? 0 : -EOPNOTSUPP;
}

int ceph_ll_lookup_root(struct ceph_mount_info *cm, Inode **parent)
{
	struct siphon_inode *in;
	int r;

	CHECK_MOUNTED(cm);
	r = siphon_ll_root(cm->c, &in);
	if (!r)
		*parent = CI(in);
	return r;
}

int ceph_ll_lookup(struct ceph_mount_info *cm, Inode *parent, const char *name,
		   Inode **out, struct ceph_statx *stx, unsigned want, unsigned flags,
		   const UserPerm *perms)
{
	struct siphon_inode *in;
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_lookup(cm->c, SI(parent), name, &in, &st, NULL);
	if (r)
		return r;
	if (stx)
		compat_fill_statx(stx, &st, want, flags);
	*out = CI(in);
	return 0;
}

/* ---- inodes by number ----
 * ceph_ll_get_inode answers only for an inode this client holds already
 * (NULL else), as libcephfs's answers from its cache; the lookups ask the
 * MDS when need be (siphon_ll_lookup_ino), so a number kept from an
 * earlier mount still finds its inode while it exists. A removed inode is
 * -ESTALE. No snapshots: any snapid but CEPH_NOSNAP is -EOPNOTSUPP. */

struct Inode *ceph_ll_get_inode(struct ceph_mount_info *cm, vinodeno_t vino)
{
	struct siphon_inode *in;

	if (!cm || !cm->mounted || vino.snapid.val != CEPH_NOSNAP)
		return NULL;
	return siphon_ll_by_ino(cm->c, vino.ino.val, &in) ? NULL : CI(in);
}

int ceph_ll_lookup_vino(struct ceph_mount_info *cm, vinodeno_t vino, Inode **inode)
{
	struct siphon_inode *in;
	int r;

	CHECK_MOUNTED(cm);
	if (vino.snapid.val != CEPH_NOSNAP)
		return -EOPNOTSUPP;
	r = siphon_ll_lookup_ino(cm->c, vino.ino.val, &in, NULL, NULL);
	if (!r)
		*inode = CI(in);
	return r;
}

int ceph_ll_lookup_inode(struct ceph_mount_info *cm, struct inodeno_t ino, Inode **inode)
{
	vinodeno_t vino = { .ino = ino, .snapid = { CEPH_NOSNAP } };

	return ceph_ll_lookup_vino(cm, vino, inode);
}

int ceph_ll_walk(struct ceph_mount_info *cm, const char *name, Inode **i,
		 struct ceph_statx *stx, unsigned int want, unsigned int flags,
		 const UserPerm *perms)
{
	char full[COMPAT_PATH_MAX], path[COMPAT_PATH_MAX];
	struct siphon_inode *in;
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = compat_path(cm, name, full);
	if (!r)
		r = compat_resolve(cm, full, path, !(flags & AT_SYMLINK_NOFOLLOW));
	if (!r)
		r = compat_path_inode(cm, path, &in);
	if (r)
		return r;
	if (stx) {
		r = siphon_ll_getattr(cm->c, in, &st, NULL);
		if (r) {
			siphon_ll_put(cm->c, in, 1);
			return r;
		}
		compat_fill_statx(stx, &st, want, flags);
	}
	*i = CI(in);
	return 0;
}

/* Drops count references; 1 if that was the last one held (by the
 * program, or by this library for an open file or directory stream of
 * the inode), else 0, as libcephfs answers. */
static int put_refs(struct ceph_mount_info *cm, struct siphon_inode *in, uint64_t count)
{
	uint64_t ino = siphon_ll_ino(in);
	struct siphon_inode *again;

	siphon_ll_put(cm->c, in, count);
	if (siphon_ll_by_ino(cm->c, ino, &again))
		return 1;
	siphon_ll_put(cm->c, again, 1);
	return 0;
}

int ceph_ll_put(struct ceph_mount_info *cm, struct Inode *in)
{
	if (!cm || !in)
		return -EINVAL;
	return put_refs(cm, SI(in), 1);
}

int ceph_ll_forget(struct ceph_mount_info *cm, struct Inode *in, int count)
{
	if (!cm || !in || count < 0)
		return -EINVAL;
	return put_refs(cm, SI(in), (uint64_t)count);
}

int ceph_ll_getattr(struct ceph_mount_info *cm, struct Inode *in, struct ceph_statx *stx,
		    unsigned int want, unsigned int flags, const UserPerm *perms)
{
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_getattr(cm->c, SI(in), &st, NULL);
	if (!r)
		compat_fill_statx(stx, &st, want, flags);
	return r;
}

int ceph_ll_setattr(struct ceph_mount_info *cm, struct Inode *in, struct ceph_statx *stx,
		    int mask, const UserPerm *perms)
{
	struct siphon_setattr a = { 0 };
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (mask & (CEPH_SETATTR_BTIME | CEPH_SETATTR_FSCRYPT_AUTH |
		    CEPH_SETATTR_FSCRYPT_FILE))
		return -EOPNOTSUPP;	/* not settable through siphon's API */
	if (mask & CEPH_SETATTR_MODE) {
		a.mask |= SIPHON_SET_MODE;
		a.mode = stx->stx_mode;
	}
	if (mask & CEPH_SETATTR_UID) {
		a.mask |= SIPHON_SET_UID;
		a.uid = stx->stx_uid;
	}
	if (mask & CEPH_SETATTR_GID) {
		a.mask |= SIPHON_SET_GID;
		a.gid = stx->stx_gid;
	}
	if (mask & CEPH_SETATTR_SIZE) {
		a.mask |= SIPHON_SET_SIZE;
		a.size = stx->stx_size;
	}
	if (mask & CEPH_SETATTR_ATIME) {
		a.mask |= SIPHON_SET_ATIME;
		a.atime = stx->stx_atime;
	}
	if (mask & CEPH_SETATTR_MTIME) {
		a.mask |= SIPHON_SET_MTIME;
		a.mtime = stx->stx_mtime;
	}
	if (mask & CEPH_SETATTR_ATIME_NOW)
		a.mask |= SIPHON_SET_ATIME_NOW;
	if (mask & CEPH_SETATTR_MTIME_NOW)
		a.mask |= SIPHON_SET_MTIME_NOW;
	if (mask & CEPH_SETATTR_CTIME) {
		a.mask |= SIPHON_SET_CTIME;
		a.ctime = stx->stx_ctime;
	}
	/* as libcephfs, the result goes back into *stx */
	r = siphon_ll_setattr(cm->c, SI(in), &a, &st);
	if (!r)
		compat_fill_statx(stx, &st, CEPH_STATX_ALL_STATS, 0);
	return r;
}

/* ---- open files ---- */

static struct Fh *fh_new(struct ceph_mount_info *cm, struct siphon_file *f,
			 struct siphon_inode *in, int flags)
{
	struct Fh *fh = calloc(1, sizeof(*fh));

	if (!fh)
		return NULL;
	fh->f = f;
	fh->in = siphon_ll_get(cm->c, in);
	fh->flags = flags;
	compat_locks_init(&fh->locks);
	return fh;
}

int ceph_ll_open(struct ceph_mount_info *cm, struct Inode *in, int flags, struct Fh **fhp,
		 const UserPerm *perms)
{
	struct siphon_file *f = NULL;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	r = siphon_ll_open(cm->c, SI(in), flags, &f);
	/* a directory opens read-only, with no file handle behind it */
	if (r == -EISDIR && (flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
		r = 0;
	if (r)
		return r;
	*fhp = fh_new(cm, f, SI(in), flags);
	if (!*fhp) {
		if (f)
			siphon_close(f);
		return -ENOMEM;
	}
	return 0;
}

int ceph_ll_create(struct ceph_mount_info *cm, Inode *parent, const char *name, mode_t mode,
		   int oflags, Inode **outp, Fh **fhp, struct ceph_statx *stx, unsigned want,
		   unsigned lflags, const UserPerm *perms)
{
	struct siphon_inode *in;
	struct siphon_file *f;
	struct siphon_stat st;
	struct Fh *fh = NULL;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (lflags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_create(cm->c, SI(parent), name, mode & 07777, oflags, &in, &f, &st);
	if (r)
		return r;
	if (fhp) {
		fh = fh_new(cm, f, in, oflags);
		if (!fh) {
			siphon_close(f);
			siphon_ll_put(cm->c, in, 1);
			return -ENOMEM;
		}
		*fhp = fh;
	} else {
		siphon_close(f);
	}
	if (stx)
		compat_fill_statx(stx, &st, want, lflags);
	if (outp)
		*outp = CI(in);
	else
		siphon_ll_put(cm->c, in, 1);
	return 0;
}

int ceph_ll_close(struct ceph_mount_info *cm, struct Fh *fh)
{
	int r = 0;

	if (!cm || !fh)
		return -EBADF;
	compat_locks_release(cm->c, fh->in, &fh->locks);
	compat_locks_destroy(&fh->locks);
	if (fh->f)
		r = siphon_close(fh->f);
	siphon_ll_put(cm->c, fh->in, 1);
	free(fh);
	return r;
}

/* The file behind fh for a read (want_write false) or a write. */
static int fh_io(struct ceph_mount_info *cm, struct Fh *fh, bool want_write)
{
	int acc;

	CHECK_MOUNTED(cm);
	if (!fh)
		return -EBADF;
	acc = fh->flags & O_ACCMODE;
	if ((want_write && acc == O_RDONLY) || (!want_write && acc == O_WRONLY))
		return -EBADF;
	return fh->f ? 0 : -EISDIR;
}

off_t ceph_ll_lseek(struct ceph_mount_info *cm, struct Fh *fh, off_t offset, int whence)
{
	CHECK_MOUNTED(cm);
	if (!fh)
		return -EBADF;
	return fh->f ? (off_t)siphon_lseek(fh->f, offset, whence) : -EISDIR;
}

int ceph_ll_read(struct ceph_mount_info *cm, struct Fh *fh, int64_t off, uint64_t len,
		 char *buf)
{
	int r = fh_io(cm, fh, false);

	if (r)
		return r;
	if (len > INT_MAX)
		len = INT_MAX;
	return (int)siphon_read(fh->f, buf, (size_t)len, off < 0 ? -1 : off);
}

int ceph_ll_write(struct ceph_mount_info *cm, struct Fh *fh, int64_t off, uint64_t len,
		  const char *data)
{
	int r = fh_io(cm, fh, true);

	if (r)
		return r;
	if (len > INT_MAX)
		len = INT_MAX;
	return (int)siphon_write(fh->f, data, (size_t)len, off < 0 ? -1 : off);
}

/* Vectors one buffer after another; a short transfer ends the call. */
static int64_t ll_vec(struct Fh *fh, const struct iovec *iov, int iovcnt, int64_t off,
		      bool write)
{
	int64_t total = 0;

	if (iovcnt < 0)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		int64_t at = off < 0 ? -1 : off + total, n;

		if (!iov[i].iov_len)
			continue;
		n = write ? siphon_write(fh->f, iov[i].iov_base, iov[i].iov_len, at) :
			    siphon_read(fh->f, iov[i].iov_base, iov[i].iov_len, at);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

int64_t ceph_ll_readv(struct ceph_mount_info *cm, struct Fh *fh, const struct iovec *iov,
		      int iovcnt, int64_t off)
{
	int r = fh_io(cm, fh, false);

	return r ? r : ll_vec(fh, iov, iovcnt, off, false);
}

int64_t ceph_ll_writev(struct ceph_mount_info *cm, struct Fh *fh, const struct iovec *iov,
		       int iovcnt, int64_t off)
{
	int r = fh_io(cm, fh, true);

	return r ? r : ll_vec(fh, iov, iovcnt, off, true);
}

int ceph_ll_fsync(struct ceph_mount_info *cm, struct Fh *fh, int syncdataonly)
{
	CHECK_MOUNTED(cm);
	if (!fh)
		return -EBADF;
	/* a directory: every metadata change made so far, its own included */
	return fh->f ? siphon_fsync(fh->f) : siphon_sync_fs(cm->c);
}

int ceph_ll_fallocate(struct ceph_mount_info *cm, struct Fh *fh, int mode, int64_t offset,
		      int64_t length)
{
	int r;

	CHECK_MOUNTED(cm);
	if (!fh)
		return -EBADF;
	r = compat_fallocate_check(fh->f, fh->flags & O_ACCMODE, mode, offset, length);
	return r ? r : siphon_ll_fallocate(cm->c, fh->in, mode, offset, length);
}

/* POSIX (fcntl) locks through an Fh, l_start and l_len taken as from the
 * start of the file; closing the Fh drops those it took. */
static int flock_to_lock(const struct flock *fl, uint64_t owner, struct siphon_lock *lk)
{
	/* an unknown type is EIO, as libcephfs says */
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EIO;
	if (fl->l_start < 0 || fl->l_len < 0)
		return -EINVAL;
	lk->type = fl->l_type;
	lk->start = (uint64_t)fl->l_start;
	lk->len = (uint64_t)fl->l_len;
	lk->owner = owner;
	lk->pid = fl->l_pid;
	return 0;
}

int ceph_ll_getlk(struct ceph_mount_info *cm, Fh *fh, struct flock *fl, uint64_t owner)
{
	struct siphon_lock lk;
	int r;

	CHECK_MOUNTED(cm);
	if (!fh || !fl)
		return -EINVAL;
	r = flock_to_lock(fl, owner, &lk);
	if (!r)
		r = siphon_ll_getlk(cm->c, fh->in, &lk);
	if (r)
		return r;
	fl->l_type = (short)lk.type;
	fl->l_whence = SEEK_SET;
	if (lk.type != F_UNLCK) {
		fl->l_start = (off_t)lk.start;
		fl->l_len = (off_t)lk.len;
		fl->l_pid = (pid_t)lk.pid;
	}
	return 0;
}

int ceph_ll_setlk(struct ceph_mount_info *cm, Fh *fh, struct flock *fl, uint64_t owner,
		  int sleep)
{
	struct siphon_lock lk;
	int r;

	CHECK_MOUNTED(cm);
	if (!fh || !fl)
		return -EINVAL;
	r = flock_to_lock(fl, owner, &lk);
	if (!r && lk.type != F_UNLCK)
		r = compat_locks_note(&fh->locks, SIPHON_LOCK_POSIX, owner);
	if (!r)
		r = siphon_ll_setlk(cm->c, fh->in, SIPHON_LOCK_POSIX, &lk, sleep);
	return r;
}

/* ---- names ---- */

static int made(struct ceph_mount_info *cm, int r, struct siphon_inode *in,
		const struct siphon_stat *st, Inode **out, struct ceph_statx *stx,
		unsigned want, unsigned flags)
{
	if (r)
		return r;
	if (stx)
		compat_fill_statx(stx, st, want, flags);
	if (out)
		*out = CI(in);
	else
		siphon_ll_put(cm->c, in, 1);
	return 0;
}

int ceph_ll_mkdir(struct ceph_mount_info *cm, Inode *parent, const char *name, mode_t mode,
		  Inode **out, struct ceph_statx *stx, unsigned want, unsigned flags,
		  const UserPerm *perms)
{
	struct siphon_inode *in;
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_mkdir(cm->c, SI(parent), name, mode, &in, &st);
	return made(cm, r, in, &st, out, stx, want, flags);
}

int ceph_ll_mknod(struct ceph_mount_info *cm, Inode *parent, const char *name, mode_t mode,
		  dev_t rdev, Inode **out, struct ceph_statx *stx, unsigned want,
		  unsigned flags, const UserPerm *perms)
{
	struct siphon_inode *in;
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_mknod(cm->c, SI(parent), name, mode, (uint32_t)rdev, &in, &st);
	return made(cm, r, in, &st, out, stx, want, flags);
}

int ceph_ll_symlink(struct ceph_mount_info *cm, Inode *in, const char *name,
		    const char *value, Inode **out, struct ceph_statx *stx, unsigned want,
		    unsigned flags, const UserPerm *perms)
{
	struct siphon_inode *link;
	struct siphon_stat st;
	int r = check_perms(cm, perms);

	if (r)
		return r;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = siphon_ll_symlink(cm->c, SI(in), name, value, &link, &st);
	return made(cm, r, link, &st, out, stx, want, flags);
}

int ceph_ll_readlink(struct ceph_mount_info *cm, struct Inode *in, char *buf, size_t bufsize,
		     const UserPerm *perms)
{
	char target[COMPAT_PATH_MAX];
	int r = check_perms(cm, perms);

	if (r)
		return r;
	/* the target's bytes, as many as fit, with no NUL added */
	r = siphon_ll_readlink(cm->c, SI(in), target, sizeof(target));
	if (r < 0)
		return r;
	if ((size_t)r > sizeof(target))
		return -ENAMETOOLONG;
	if ((size_t)r > bufsize)
		r = (int)bufsize;
	memcpy(buf, target, (size_t)r);
	return r;
}

int ceph_ll_link(struct ceph_mount_info *cm, struct Inode *in, struct Inode *newparent,
		 const char *name, const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_link(cm->c, SI(in), SI(newparent), name, NULL);
}

int ceph_ll_unlink(struct ceph_mount_info *cm, struct Inode *in, const char *name,
		   const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_unlink(cm->c, SI(in), name);
}

int ceph_ll_rmdir(struct ceph_mount_info *cm, struct Inode *in, const char *name,
		  const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_rmdir(cm->c, SI(in), name);
}

int ceph_ll_rename(struct ceph_mount_info *cm, struct Inode *parent, const char *name,
		   struct Inode *newparent, const char *newname, const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_rename(cm->c, SI(parent), name, SI(newparent), newname, 0);
}

/* ---- extended attributes ---- */

int ceph_ll_getxattr(struct ceph_mount_info *cm, struct Inode *in, const char *name,
		     void *value, size_t size, const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_getxattr(cm->c, SI(in), name, value, size);
}

int ceph_ll_setxattr(struct ceph_mount_info *cm, struct Inode *in, const char *name,
		     const void *value, size_t size, int flags, const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_setxattr(cm->c, SI(in), name, value, size, flags);
}

int ceph_ll_listxattr(struct ceph_mount_info *cm, struct Inode *in, char *list,
		      size_t buf_size, size_t *list_size, const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	if (r)
		return r;
	/* the length goes to *list_size; the call itself says 0 */
	r = siphon_ll_listxattr(cm->c, SI(in), list, buf_size);
	if (r < 0)
		return r;
	*list_size = (size_t)r;
	return 0;
}

int ceph_ll_removexattr(struct ceph_mount_info *cm, struct Inode *in, const char *name,
			const UserPerm *perms)
{
	int r = check_perms(cm, perms);

	return r ? r : siphon_ll_removexattr(cm->c, SI(in), name);
}

int ceph_ll_statfs(struct ceph_mount_info *cm, struct Inode *in, struct statvfs *stbuf)
{
	CHECK_MOUNTED(cm);
	return ceph_statfs(cm, "/", stbuf);
}

/* The FUSE low-level operations, each a thin layer over a siphon_ll_* or
 * file call. Every handler resolves its node ids to siphon references for
 * the length of the call (sf_node_get) and gives them back before it
 * returns; an entry the kernel is told about keeps the reference the ll
 * call took (sf_node_lookup), until forget.
 *
 * Permissions are the kernel's (default_permissions): it checks mode bits
 * against the caller with the attributes we gave it. Objects a caller
 * creates are given the caller's uid and gid (the MDS makes them with the
 * daemon's own), keeping a set-group-ID directory's group. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/log.h"
#include "sfuse.h"

#define S(req) ((struct sf *)fuse_req_userdata(req))

static void to_stat(const struct siphon_stat *st, struct stat *out)
{
	memset(out, 0, sizeof(*out));
	out->st_ino = st->ino;
	out->st_mode = st->mode;
	out->st_nlink = st->nlink;
	out->st_uid = st->uid;
	out->st_gid = st->gid;
	out->st_rdev = st->rdev;
	out->st_size = (off_t)st->size;
	out->st_blocks = (blkcnt_t)st->blocks;
	out->st_blksize = st->blksize;
	out->st_atim = st->atime;
	out->st_mtim = st->mtime;
	out->st_ctim = st->ctime;
}

static void fill_entry(struct sf *s, struct fuse_entry_param *e,
		       struct siphon_inode *in, const struct siphon_stat *st,
		       const struct siphon_cache_hint *h, fuse_ino_t parent,
		       const char *name)
{
	memset(e, 0, sizeof(*e));
	to_stat(st, &e->attr);
	e->attr_timeout = h ? h->attr_ms / 1000.0 : 0;
	e->entry_timeout = h ? h->entry_ms / 1000.0 : 0;
	e->ino = sf_node_lookup(s, in, parent, name, S_ISDIR(st->mode));
}

static void trace(fuse_req_t req, const char *op, fuse_ino_t ino,
		  const char *name, int r)
{
	if (r < 0 && r != -ENOENT && r != -ENODATA && r != -EEXIST &&
	    r != -EOPNOTSUPP && r != -ENOTEMPTY && r != -ESTALE)
		dout(LOG_FUSE, 1, "%s %#llx %s: %s (%s)", op, (unsigned long long)ino,
		     name ? name : "", strerror(-r), siphon_errstr(S(req)->c));
	else
		dout(LOG_FUSE, 15, "%s %#llx %s: %d", op, (unsigned long long)ino,
		     name ? name : "", r);
}

static void reply_err(fuse_req_t req, int r)
{
	fuse_reply_err(req, r < 0 ? -r : r);
}

#define GET_NODE(s, req, id, var)                    \
	struct siphon_inode *var = sf_node_get(s, id); \
	if (!var) {                                    \
		fuse_reply_err(req, ESTALE);           \
		return;                                \
	}

/* ---- ownership of what a caller creates ---- */

static void give_to_caller(fuse_req_t req, struct siphon_inode *dir,
			   struct siphon_inode *in, struct siphon_stat *st)
{
	struct sf *s = S(req);
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct siphon_setattr a = { 0 };
	struct siphon_stat dst;

	if (ctx->uid != s->euid) {
		a.mask |= SIPHON_SET_UID;
		a.uid = ctx->uid;
	}
	if (ctx->gid != s->egid && st->gid != ctx->gid) {
		/* a set-group-ID directory gives its group: keep it */
		if (siphon_ll_getattr(s->c, dir, &dst, NULL) ||
		    !(dst.mode & S_ISGID)) {
			a.mask |= SIPHON_SET_GID;
			a.gid = ctx->gid;
		}
	}
	if (!a.mask)
		return;
	/* best effort: the object exists; a failure only leaves it ours */
	if (siphon_ll_setattr(s->c, in, &a, st))
		dout(LOG_FUSE, 1, "chown of new %#llx to %u:%u failed: %s",
		     (unsigned long long)siphon_ll_ino(in), ctx->uid, ctx->gid,
		     siphon_errstr(s->c));
}

/* ---- the operations ---- */

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	struct sf *s = userdata;

	/* large requests: libfuse clamps max_write to its buffer (1 MiB +
	 * header with max_pages), the kernel to fs.fuse.max_pages_limit.
	 * Read-ahead: INIT can only lower what the kernel offers (its
	 * default, 128 KiB); sf_raise_readahead() raises it to 1 MiB at the
	 * first open, once the kernel has our reply */
	conn->max_write = 1u << 20;
	conn->max_read = 1u << 20;
	if (conn->max_readahead > 1u << 20)
		conn->max_readahead = 1u << 20;
	conn->max_background = 64;
	conn->congestion_threshold = 48;
	if (conn->capable & FUSE_CAP_ASYNC_READ)
		conn->want |= FUSE_CAP_ASYNC_READ;
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO;
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	if (conn->capable & FUSE_CAP_AUTO_INVAL_DATA)
		conn->want |= FUSE_CAP_AUTO_INVAL_DATA;
	/* never the kernel's write-back cache: other clients would not see
	 * our writes, nor we theirs, while pages sit dirty in the kernel */
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	/* file handles (open_by_handle_at, NFS export): the kernel may
	 * then look up "." and ".." of a node it forgot (op_lookup) */
	if (conn->capable & FUSE_CAP_EXPORT_SUPPORT)
		conn->want |= FUSE_CAP_EXPORT_SUPPORT;
	/* locks go to the MDS (locks.c), so that they hold across clients */
	if (conn->capable & FUSE_CAP_POSIX_LOCKS)
		conn->want |= FUSE_CAP_POSIX_LOCKS;
	if (conn->capable & FUSE_CAP_FLOCK_LOCKS)
		conn->want |= FUSE_CAP_FLOCK_LOCKS;
	if (s->conn_opts)
		fuse_apply_conn_info_opts(s->conn_opts, conn);
	dout(LOG_FUSE, 1, "init: protocol %u.%u, max_write %u, max_read %u, "
	     "max_readahead %u, want %#x of %#x", conn->proto_major,
	     conn->proto_minor, conn->max_write, conn->max_read,
	     conn->max_readahead, conn->want, conn->capable);
}

/* A file handle names its inode by node id and generation (0, always), so
 * it must keep working after the kernel and this daemon forgot the node,
 * and after a remount: node ids are inode numbers. Decoding a handle whose
 * inode it does not cache, the kernel looks up "." in the node; to connect
 * a directory's handle to the tree, ".." of it. Neither needs the node to
 * be known here: the inode is found by number (at the MDS if need be),
 * and a removed one is stale. What the kernel learns this way has no
 * name, so the node records no place in the tree (trims skip it). */
static void lookup_dot(fuse_req_t req, fuse_ino_t nodeid, bool dotdot)
{
	struct sf *s = S(req);
	struct siphon_inode *self, *in = NULL;
	struct siphon_stat st;
	struct siphon_cache_hint h;
	struct fuse_entry_param e;
	int r = siphon_ll_lookup_ino(s->c, sf_node_ino(s, nodeid), &self, &st, &h);

	if (!r && dotdot) {
		r = siphon_ll_lookup(s->c, self, "..", &in, &st, &h);
		siphon_ll_put(s->c, self, 1);
	} else if (!r) {
		in = self;
	}
	trace(req, "lookup", nodeid, dotdot ? ".." : ".", r);
	if (r) {
		reply_err(req, r == -ENOENT ? -ESTALE : r);
		return;
	}
	fill_entry(s, &e, in, &st, &h, 0, NULL);
	e.entry_timeout = 0;
	fuse_reply_entry(req, &e);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct sf *s = S(req);
	struct siphon_inode *in;
	struct siphon_stat st;
	struct siphon_cache_hint h;
	struct fuse_entry_param e;

	if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) {
		lookup_dot(req, parent, name[1] != '\0');
		return;
	}
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_lookup(s->c, dir, name, &in, &st, &h);

	trace(req, "lookup", parent, name, r);
	if (!r) {
		fill_entry(s, &e, in, &st, &h, parent, name);
		fuse_reply_entry(req, &e);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, dir, 1);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	sf_node_forget(S(req), ino, nlookup);
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count,
			    struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		sf_node_forget(S(req), forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	struct siphon_stat st;
	struct siphon_cache_hint h;
	struct stat out;
	GET_NODE(s, req, ino, in);
	int r = siphon_ll_getattr(s->c, in, &st, &h);

	trace(req, "getattr", ino, NULL, r);
	if (!r) {
		dout(LOG_FUSE, 20, "getattr %#llx: size %llu, valid %u ms",
		     (unsigned long long)ino, (unsigned long long)st.size,
		     h.attr_ms);
		to_stat(&st, &out);
		fuse_reply_attr(req, &out, h.attr_ms / 1000.0);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, in, 1);
}

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
		       int to_set, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	struct siphon_setattr a = { 0 };
	struct siphon_stat st;
	struct stat out;
	GET_NODE(s, req, ino, in);
	int r;

	if (to_set & FUSE_SET_ATTR_MODE) {
		a.mask |= SIPHON_SET_MODE;
		a.mode = attr->st_mode;
	}
	if (to_set & FUSE_SET_ATTR_UID) {
		a.mask |= SIPHON_SET_UID;
		a.uid = attr->st_uid;
	}
	if (to_set & FUSE_SET_ATTR_GID) {
		a.mask |= SIPHON_SET_GID;
		a.gid = attr->st_gid;
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		a.mask |= SIPHON_SET_SIZE;
		a.size = (uint64_t)attr->st_size;
	}
	if (to_set & FUSE_SET_ATTR_ATIME_NOW) {
		a.mask |= SIPHON_SET_ATIME_NOW;
	} else if (to_set & FUSE_SET_ATTR_ATIME) {
		a.mask |= SIPHON_SET_ATIME;
		a.atime = attr->st_atim;
	}
	if (to_set & FUSE_SET_ATTR_MTIME_NOW) {
		a.mask |= SIPHON_SET_MTIME_NOW;
	} else if (to_set & FUSE_SET_ATTR_MTIME) {
		a.mask |= SIPHON_SET_MTIME;
		a.mtime = attr->st_mtim;
	}
	if (to_set & FUSE_SET_ATTR_CTIME) {
		a.mask |= SIPHON_SET_CTIME;
		a.ctime = attr->st_ctim;
	}
	/* an ftruncate (fi set) goes the same way: the truncation flushes
	 * the size this client's open files wrote first */
	r = siphon_ll_setattr(s->c, in, &a, &st);
	trace(req, "setattr", ino, NULL, r);
	if (!r) {
		to_stat(&st, &out);
		fuse_reply_attr(req, &out, 0);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, in, 1);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct sf *s = S(req);
	char buf[4097];
	GET_NODE(s, req, ino, in);
	int r = siphon_ll_readlink(s->c, in, buf, sizeof(buf) - 1);

	trace(req, "readlink", ino, NULL, r);
	if (r >= 0) {
		buf[r < (int)sizeof(buf) - 1 ? r : (int)sizeof(buf) - 1] = '\0';
		fuse_reply_readlink(req, buf);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, in, 1);
}

/* mknod, mkdir, symlink: an entry made in parent */
static void reply_made(fuse_req_t req, const char *op, fuse_ino_t parent,
		       struct siphon_inode *dir, const char *name, int r,
		       struct siphon_inode *in, struct siphon_stat *st)
{
	struct sf *s = S(req);
	struct fuse_entry_param e;

	trace(req, op, parent, name, r);
	if (!r) {
		give_to_caller(req, dir, in, st);
		fill_entry(s, &e, in, st, NULL, parent, name);
		fuse_reply_entry(req, &e);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, dir, 1);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode, dev_t rdev)
{
	struct sf *s = S(req);
	struct siphon_inode *in;
	struct siphon_stat st;
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_mknod(s->c, dir, name, mode, (uint32_t)rdev, &in, &st);

	reply_made(req, "mknod", parent, dir, name, r, in, &st);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		     mode_t mode)
{
	struct sf *s = S(req);
	struct siphon_inode *in;
	struct siphon_stat st;
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_mkdir(s->c, dir, name, mode, &in, &st);

	reply_made(req, "mkdir", parent, dir, name, r, in, &st);
}

static void op_symlink(fuse_req_t req, const char *target, fuse_ino_t parent,
		       const char *name)
{
	struct sf *s = S(req);
	struct siphon_inode *in;
	struct siphon_stat st;
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_symlink(s->c, dir, name, target, &in, &st);

	reply_made(req, "symlink", parent, dir, name, r, in, &st);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		    const char *newname)
{
	struct sf *s = S(req);
	struct siphon_stat st;
	struct fuse_entry_param e;
	GET_NODE(s, req, ino, in);
	struct siphon_inode *dir = sf_node_get(s, newparent);
	int r = dir ? siphon_ll_link(s->c, in, dir, newname, &st) : -ESTALE;

	trace(req, "link", newparent, newname, r);
	if (!r) {
		/* the entry is one more kernel lookup of the inode */
		fill_entry(s, &e, siphon_ll_get(s->c, in), &st, NULL, newparent,
			   newname);
		fuse_reply_entry(req, &e);
	} else {
		reply_err(req, r);
	}
	siphon_ll_put(s->c, dir, 1);
	siphon_ll_put(s->c, in, 1);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct sf *s = S(req);
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_unlink(s->c, dir, name);

	trace(req, "unlink", parent, name, r);
	reply_err(req, r);
	siphon_ll_put(s->c, dir, 1);
}

static void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct sf *s = S(req);
	GET_NODE(s, req, parent, dir);
	int r = siphon_ll_rmdir(s->c, dir, name);

	trace(req, "rmdir", parent, name, r);
	reply_err(req, r);
	siphon_ll_put(s->c, dir, 1);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname,
		      unsigned int flags)
{
	struct sf *s = S(req);
	unsigned sf = 0;
	int r;

	if (flags & RENAME_EXCHANGE) {
		/* The MDS has no exchange: its RENAME always replaces the
		 * target, and a swap made of three renames would show other
		 * clients the steps between and could stop half done. So
		 * EINVAL, the answer for a file system without it, as Ceph's
		 * kernel client and ceph-fuse 16.2 give (ceph-fuse rejects
		 * RENAME_NOREPLACE too; we do that one with a lookup first). */
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (flags & ~RENAME_NOREPLACE) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (flags & RENAME_NOREPLACE)
		sf |= SIPHON_RENAME_NOREPLACE;
	GET_NODE(s, req, parent, dir);
	struct siphon_inode *ndir = sf_node_get(s, newparent);

	r = ndir ? siphon_ll_rename(s->c, dir, name, ndir, newname, sf) : -ESTALE;
	trace(req, "rename", parent, name, r);
	reply_err(req, r);
	siphon_ll_put(s->c, ndir, 1);
	siphon_ll_put(s->c, dir, 1);
}

/* ---- handles the kernel holds ---- */

static void handle_add(struct sf *s, struct sf_handle *h, bool dir)
{
	h->dir = dir;
	h->prev = NULL;
	pthread_mutex_lock(&s->hlock);
	h->next = s->handles;
	if (s->handles)
		s->handles->prev = h;
	s->handles = h;
	pthread_mutex_unlock(&s->hlock);
}

static void handle_del(struct sf *s, struct sf_handle *h)
{
	pthread_mutex_lock(&s->hlock);
	if (h->prev)
		h->prev->next = h->next;
	else
		s->handles = h->next;
	if (h->next)
		h->next->prev = h->prev;
	pthread_mutex_unlock(&s->hlock);
}

/* ---- files ---- */

struct sf_fh {
	struct sf_handle h;		/* first: a handle is its own link */
	struct siphon_file *f;
	bool append;
};

/* What siphon's open takes of the kernel's flags. */
static int open_flags(int flags)
{
	return flags & (O_ACCMODE | O_APPEND | O_TRUNC | O_EXCL);
}

static void fill_fi(struct fuse_file_info *fi, struct sf_fh *fh)
{
	fi->fh = (uint64_t)(uintptr_t)fh;
	/* the page cache is dropped at each open (close-to-open coherence
	 * with other clients); invalidations cover the time between */
	fi->keep_cache = 0;
	fi->direct_io = 0;
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	struct sf_fh *fh = calloc(1, sizeof(*fh));
	int r;

	if (!fh) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	struct siphon_inode *in = sf_node_get(s, ino);

	sf_raise_readahead(s);
	r = in ? siphon_ll_open(s->c, in, open_flags(fi->flags), &fh->f) : -ESTALE;
	trace(req, "open", ino, NULL, r);
	if (!r) {
		fh->append = (fi->flags & O_APPEND) != 0;
		fill_fi(fi, fh);
		handle_add(s, &fh->h, false);
		if (fuse_reply_open(req, fi) == -ENOENT) {
			/* the opener was interrupted: nobody will release it */
			handle_del(s, &fh->h);
			siphon_close(fh->f);
			free(fh);
		}
	} else {
		free(fh);
		reply_err(req, r);
	}
	siphon_ll_put(s->c, in, 1);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	struct sf_fh *fh = calloc(1, sizeof(*fh));
	struct siphon_inode *in;
	struct siphon_stat st;
	struct fuse_entry_param e;
	int r;

	if (!fh) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	struct siphon_inode *dir = sf_node_get(s, parent);

	r = dir ? siphon_ll_create(s->c, dir, name, mode, open_flags(fi->flags),
				   &in, &fh->f, &st) : -ESTALE;
	trace(req, "create", parent, name, r);
	if (!r) {
		give_to_caller(req, dir, in, &st);
		fh->append = (fi->flags & O_APPEND) != 0;
		fill_fi(fi, fh);
		fill_entry(s, &e, in, &st, NULL, parent, name);
		handle_add(s, &fh->h, false);
		if (fuse_reply_create(req, &e, fi) == -ENOENT) {
			handle_del(s, &fh->h);
			siphon_close(fh->f);
			free(fh);
		}
	} else {
		free(fh);
		reply_err(req, r);
	}
	siphon_ll_put(s->c, dir, 1);
}

static void count_io(struct sf *s, bool write, size_t n)
{
	pthread_mutex_lock(&s->slock);
	if (write) {
		s->stats.writes++;
		s->stats.write_bytes += n;
		if (n > s->stats.write_max)
			s->stats.write_max = n;
	} else {
		s->stats.reads++;
		s->stats.read_bytes += n;
		if (n > s->stats.read_max)
			s->stats.read_max = n;
	}
	pthread_mutex_unlock(&s->slock);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct sf_fh *fh = (struct sf_fh *)(uintptr_t)fi->fh;
	char *buf = malloc(size ? size : 1);
	int64_t n;

	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	count_io(S(req), false, size);
	n = siphon_read(fh->f, buf, size, off);
	if (n >= 0)
		fuse_reply_buf(req, buf, (size_t)n);
	else {
		trace(req, "read", ino, NULL, (int)n);
		reply_err(req, (int)n);
	}
	free(buf);
}

static void op_write_buf(fuse_req_t req, fuse_ino_t ino, struct fuse_bufvec *bufv,
			 off_t off, struct fuse_file_info *fi)
{
	struct sf_fh *fh = (struct sf_fh *)(uintptr_t)fi->fh;
	size_t len = fuse_buf_size(bufv);
	/* O_APPEND: at siphon's idea of the end (it asks the MDS), not the
	 * kernel's, which may not know of another client's appends */
	int64_t at = fh->append ? -1 : off, n;
	void *copy = NULL;
	const void *data;

	count_io(S(req), true, len);
	if (bufv->count == 1 && !(bufv->buf[0].flags & FUSE_BUF_IS_FD)) {
		data = (const char *)bufv->buf[0].mem + bufv->off;
	} else {
		struct fuse_bufvec dst = FUSE_BUFVEC_INIT(len);
		ssize_t got;

		copy = malloc(len ? len : 1);
		if (!copy) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		dst.buf[0].mem = copy;
		got = fuse_buf_copy(&dst, bufv, 0);
		if (got < 0) {
			free(copy);
			reply_err(req, (int)got);
			return;
		}
		len = (size_t)got;
		data = copy;
	}
	n = siphon_write(fh->f, data, len, at);
	if (n >= 0) {
		fuse_reply_write(req, (size_t)n);
	} else {
		trace(req, "write", ino, NULL, (int)n);
		reply_err(req, (int)n);
	}
	free(copy);
}

static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sf_fh *fh = (struct sf_fh *)(uintptr_t)fi->fh;
	/* close(2), as ceph-fuse's: an earlier background write's error
	 * reaches the caller; buffered writes are neither sent nor waited
	 * for. Every process that inherited the descriptor (each command a
	 * shell script runs) flushes it as it exits: a send for each would
	 * cut a log file appended to into one tiny OSD write per process.
	 * They go at release, on a revoke or when a second old. */
	int r = siphon_file_error(fh->f);

	trace(req, "flush", ino, NULL, r);
	/* and the closing process's POSIX locks on the file go */
	sf_locks_flush(S(req), ino, fi);
	fuse_reply_err(req, r < 0 ? -r : 0);
}

static void release_done(struct siphon_client *c, int64_t r, void *arg)
{
	if (r < 0)
		dout(LOG_FUSE, 1, "release of %#llx: %s",
		     (unsigned long long)(uintptr_t)arg, strerror((int)-r));
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sf_fh *fh = (struct sf_fh *)(uintptr_t)fi->fh;
	int r;

	sf_locks_release(S(req), ino, fi);
	handle_del(S(req), &fh->h);
	/* nobody waits for a release (close(2) returned at FLUSH): the
	 * handle goes once its buffered writes are on the OSDs, without
	 * holding a FUSE thread meanwhile (with an OSD down, every thread
	 * would soon be waiting here, and every operation behind them) */
	r = siphon_aio_close(fh->f, release_done, (void *)(uintptr_t)ino);
	trace(req, "release", ino, NULL, r);
	free(fh);
	fuse_reply_err(req, 0);
}

static void op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
		     struct fuse_file_info *fi)
{
	struct sf_fh *fh = (struct sf_fh *)(uintptr_t)fi->fh;
	int r = siphon_fsync(fh->f);

	trace(req, "fsync", ino, NULL, r);
	reply_err(req, r);
}

/* What Ceph allows (siphon_ll_fallocate): mode 0 grows the size,
 * PUNCH_HOLE|KEEP_SIZE zeroes a range, KEEP_SIZE alone does nothing;
 * other modes fail with EOPNOTSUPP, as on ceph-fuse. The kernel drops
 * its cached pages of a punched range and updates the size itself. */
static void op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off,
			 off_t len, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	GET_NODE(s, req, ino, in);
	int r = siphon_ll_fallocate(s->c, in, mode, off, len);

	trace(req, "fallocate", ino, NULL, r);
	reply_err(req, r);
	siphon_ll_put(s->c, in, 1);
}

/* ---- directories ----
 * A pass over a directory reads a snapshot of its entries; offsets are
 * positions + 1: position 0 is ".", 1 "..", 2 + i the snapshot's entry i,
 * so telldir/seekdir within a pass land where they should. Every read at
 * offset 0 starts a pass and takes a new snapshot: that is what
 * rewinddir(3) (an lseek to 0 the kernel does not pass on) looks like
 * here, and POSIX wants the stream to show the directory as it is then.
 * opendir takes none: a rewinddir before the first read looks the same as
 * that first read, so a snapshot taken at opendir would hide from it the
 * names made since (ceph-fuse shows them). */

struct sf_dirh {
	struct sf_handle h;		/* first: a handle is its own link */
	pthread_mutex_t lock;
	struct siphon_inode *in;	/* our reference */
	struct siphon_dir *d;		/* this pass's snapshot, NULL before */
};

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sf *s = S(req);
	struct sf_dirh *dh = calloc(1, sizeof(*dh));
	int r;

	if (!dh) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	dh->in = sf_node_get(s, ino);
	r = dh->in ? 0 : -ESTALE;
	trace(req, "opendir", ino, NULL, r);
	if (r) {
		siphon_ll_put(s->c, dh->in, 1);
		free(dh);
		reply_err(req, r);
		return;
	}
	pthread_mutex_init(&dh->lock, NULL);
	fi->fh = (uint64_t)(uintptr_t)dh;
	fi->cache_readdir = 0;
	handle_add(s, &dh->h, true);
	if (fuse_reply_open(req, fi) == -ENOENT) {
		handle_del(s, &dh->h);
		siphon_ll_releasedir(dh->d);
		siphon_ll_put(s->c, dh->in, 1);
		pthread_mutex_destroy(&dh->lock);
		free(dh);
	}
}

static void dir_release(struct sf *s, struct sf_dirh *dh)
{
	handle_del(s, &dh->h);
	siphon_ll_releasedir(dh->d);
	siphon_ll_put(s->c, dh->in, 1);
	pthread_mutex_destroy(&dh->lock);
	free(dh);
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi, bool plus)
{
	struct sf *s = S(req);
	struct sf_dirh *dh = (struct sf_dirh *)(uintptr_t)fi->fh;
	char *buf = malloc(size);
	size_t used = 0;
	uint64_t pos;
	int r = 0;

	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&dh->lock);
	if (off == 0 || !dh->d) {
		/* a pass starts (or a seek before any): a fresh snapshot */
		struct siphon_dir *nd;

		r = siphon_ll_opendir(s->c, dh->in, &nd);
		if (r) {
			pthread_mutex_unlock(&dh->lock);
			free(buf);
			trace(req, "readdir", ino, NULL, r);
			reply_err(req, r);
			return;
		}
		siphon_ll_releasedir(dh->d);
		dh->d = nd;
	}
	for (pos = (uint64_t)off; ; pos++) {
		struct siphon_dirent de;
		const char *name;
		struct stat st;
		size_t need;

		memset(&st, 0, sizeof(st));
		if (pos < 2) {
			name = pos ? ".." : ".";
			st.st_ino = siphon_ll_ino(dh->in);
			st.st_mode = S_IFDIR;
		} else if (siphon_ll_readdir(dh->d, pos - 2, &de) == 0) {
			name = de.name;
			to_stat(&de.st, &st);
		} else {
			break;
		}
		if (!plus) {
			need = fuse_add_direntry(req, buf + used, size - used, name,
						 &st, (off_t)pos + 1);
			if (need > size - used)
				break;
			used += need;
			continue;
		}
		/* readdirplus: each entry but . and .. is a lookup the
		 * kernel counts, so it must hold a reference */
		need = fuse_add_direntry_plus(req, NULL, 0, name, NULL, 0);
		if (need > size - used)
			break;
		struct fuse_entry_param e;

		memset(&e, 0, sizeof(e));
		e.attr = st;
		if (pos >= 2) {
			struct siphon_inode *in;
			struct siphon_stat sst;
			struct siphon_cache_hint h;

			/* mostly from the cache the READDIR just filled */
			if (!siphon_ll_lookup(s->c, dh->in, name, &in, &sst, &h))
				fill_entry(s, &e, in, &sst, &h, ino, name);
			/* else gone since the snapshot: a name only (ino 0) */
		}
		used += fuse_add_direntry_plus(req, buf + used, size - used, name,
					       &e, (off_t)pos + 1);
	}
	pthread_mutex_unlock(&dh->lock);
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, false);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, true);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino,
			  struct fuse_file_info *fi)
{
	dir_release(S(req), (struct sf_dirh *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
			struct fuse_file_info *fi)
{
	/* no per-directory sync by inode yet: everything made safe */
	int r = siphon_sync_fs(S(req)->c);

	trace(req, "fsyncdir", ino, NULL, r);
	reply_err(req, r);
}

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct siphon_statvfs sv;
	struct statvfs out;
	int r = siphon_statfs(S(req)->c, &sv);

	trace(req, "statfs", ino, NULL, r);
	if (r) {
		reply_err(req, r);
		return;
	}
	memset(&out, 0, sizeof(out));
	out.f_bsize = sv.bsize;
	out.f_frsize = sv.frsize;
	out.f_blocks = sv.blocks;
	out.f_bfree = sv.bfree;
	out.f_bavail = sv.bavail;
	out.f_files = sv.files;
	out.f_ffree = sv.ffree;
	out.f_favail = sv.ffree;
	out.f_namemax = sv.namemax;
	fuse_reply_statfs(req, &out);
}

/* ---- extended attributes (POSIX ACLs: EOPNOTSUPP from the core) ---- */

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
			const char *value, size_t size, int flags)
{
	struct sf *s = S(req);
	GET_NODE(s, req, ino, in);
	int r = siphon_ll_setxattr(s->c, in, name, value, size, flags);

	trace(req, "setxattr", ino, name, r);
	reply_err(req, r);
	siphon_ll_put(s->c, in, 1);
}

/* getxattr and listxattr: size 0 asks for the size only */
static void reply_xattr(fuse_req_t req, int r, size_t size, const char *buf)
{
	if (r < 0)
		reply_err(req, r);
	else if (!size)
		fuse_reply_xattr(req, (size_t)r);
	else if ((size_t)r > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, buf, (size_t)r);
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
			size_t size)
{
	struct sf *s = S(req);
	GET_NODE(s, req, ino, in);
	char *buf = size ? malloc(size) : NULL;
	int r = size && !buf ? -ENOMEM :
		siphon_ll_getxattr(s->c, in, name, buf, size);

	trace(req, "getxattr", ino, name, r);
	reply_xattr(req, r, size, buf);
	free(buf);
	siphon_ll_put(s->c, in, 1);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct sf *s = S(req);
	GET_NODE(s, req, ino, in);
	char *buf = size ? malloc(size) : NULL;
	int r = size && !buf ? -ENOMEM : siphon_ll_listxattr(s->c, in, buf, size);

	trace(req, "listxattr", ino, NULL, r);
	reply_xattr(req, r, size, buf);
	free(buf);
	siphon_ll_put(s->c, in, 1);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	struct sf *s = S(req);
	GET_NODE(s, req, ino, in);
	int r = siphon_ll_removexattr(s->c, in, name);

	trace(req, "removexattr", ino, name, r);
	reply_err(req, r);
	siphon_ll_put(s->c, in, 1);
}

const struct fuse_lowlevel_ops sf_ops = {
	.init = op_init,
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.symlink = op_symlink,
	.rename = op_rename,
	.link = op_link,
	.open = op_open,
	.create = op_create,
	.read = op_read,
	.write_buf = op_write_buf,
	.flush = op_flush,
	.release = op_release,
	.fsync = op_fsync,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.readdirplus = op_readdirplus,
	.releasedir = op_releasedir,
	.fsyncdir = op_fsyncdir,
	.statfs = op_statfs,
	.setxattr = op_setxattr,
	.getxattr = op_getxattr,
	.listxattr = op_listxattr,
	.removexattr = op_removexattr,
	.fallocate = op_fallocate,
	.getlk = sf_op_getlk,
	.setlk = sf_op_setlk,
	.flock = sf_op_flock,
};

void sf_handles_close(struct sf *s)
{
	size_t files = 0, dirs = 0;

	for (;;) {
		struct sf_handle *h;

		pthread_mutex_lock(&s->hlock);
		h = s->handles;
		pthread_mutex_unlock(&s->hlock);
		if (!h)
			break;
		if (h->dir) {
			dir_release(s, (struct sf_dirh *)h);
			dirs++;
		} else {
			struct sf_fh *fh = (struct sf_fh *)h;

			handle_del(s, h);
			siphon_close(fh->f);
			free(fh);
			files++;
		}
	}
	if (files || dirs)
		dout(LOG_FUSE, 1, "closed %zu files and %zu directories the "
		     "kernel left open", files, dirs);
}

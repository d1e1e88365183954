/* Metadata calls on inode handles without a waiting thread: lookup,
 * getattr, setattr, mkdir, create, unlink, rmdir and rename, each one MDS
 * request (mdsc_submit) whose reply callback finishes the operation, or
 * none when the metadata cache still vouches for the answer. The blocking
 * siphon_ll_* calls of the same names are these plus a wait (ll.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aio.h"
#include "aio_ll.h"
#include "client.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "readahead.h"
#include "writeback.h"

enum ll_state {
	LL_START,
	LL_FLUSH,		/* setattr of the size: our writes first */
	LL_CAPFLUSH,		/* ... and our size at the MDS */
	LL_SEND,		/* build and send the request */
	LL_CHECKED,		/* rename NOREPLACE: the lookup of newname */
	LL_REPLY,
};

struct llop {
	struct aio_op op;		/* first: the op is the llop */
	enum ll_kind kind;
	enum ll_state state;
	uint64_t ino;			/* the inode, or the directory */
	uint64_t newdir;
	char name[256], newname[256];
	uint32_t mode;
	int flags;
	unsigned rflags;
	struct siphon_setattr sa;
	struct siphon_inode **out;
	struct siphon_stat *st;
	struct siphon_file **fh;
	struct mds_request *req;
	struct wb *wbref;
};

static const char *const what_of[] = {
	[LL_LOOKUP] = "lookup", [LL_GETATTR] = "stat",
	[LL_SETATTR] = "setattr", [LL_MKDIR] = "mkdir",
	[LL_CREATE] = "create", [LL_UNLINK] = "unlink",
	[LL_RMDIR] = "rmdir", [LL_RENAME] = "rename",
};

static void llop_release(struct aio_op *op)
{
	pthread_mutex_destroy(&op->lock);
	free(op);
}

static void llop_end(struct llop *o, int64_t r)
{
	struct siphon_client *c = o->op.c;

	if (o->req) {
		mdsc_request_put(o->req);
		o->req = NULL;
	}
	if (o->wbref) {
		wb_put(c, o->wbref);
		o->wbref = NULL;
	}
	if (r < 0)
		client_fail(c, (int)r, "%s %s: %s", what_of[o->kind], o->name,
			    strerror((int)-r));
	aio_finish(&o->op, r);
}

static void llop_reply(struct mds_request *req, void *arg)
{
	aio_kick(arg);
}

/* Sends req; the operation goes on in LL_REPLY (or `next`). */
static void llop_send(struct llop *o, struct mds_request *req,
		      enum ll_state next)
{
	struct siphon_client *c = o->op.c;
	int r;

	if (!req) {
		llop_end(o, -ENOMEM);
		return;
	}
	req->msg.caller_uid = (uint32_t)geteuid();
	req->msg.caller_gid = (uint32_t)getegid();
	o->req = req;
	o->state = next;
	r = mdsc_submit(c->mdsc, req, c->aio->request_ms, llop_reply,
			&o->op);
	if (r)
		llop_end(o, r);
}

static const uint32_t attr_caps = CEPH_CAP_AUTH_SHARED |
				  CEPH_CAP_LINK_SHARED | CEPH_CAP_FILE_SHARED;

/* The answer of an inode the cache still vouches for. */
static bool cached_inode(struct llop *o, uint64_t ino)
{
	struct siphon_client *c = o->op.c;
	struct mds_inode_stat in;

	if (mdsc_cached_getattr(c->mdsc, ino, attr_caps, &in))
		return false;
	if (o->st)
		fs_fill_stat(c, o->st, &in);
	if (o->out) {
		*o->out = ll_hold(c, ino);
		if (!*o->out) {
			llop_end(o, -ENOMEM);
			return true;
		}
	}
	llop_end(o, 0);
	return true;
}

static int try_cap_flush(struct aio_op *op, void *arg)
{
	return mdsc_file_flush(op->c->mdsc, ((struct llop *)op)->ino, 0);
}

static struct mds_request *build_setattr(struct llop *o)
{
	struct siphon_client *c = o->op.c;
	const struct siphon_setattr *a = &o->sa;
	struct mds_request *req = fs_req(c, CEPH_MDS_OP_SETATTR, o->ino, "");
	struct timespec now;
	uint32_t mask = 0;

	if (!req)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &now);
	if (a->mask & SIPHON_SET_MODE) {
		mask |= CEPH_SETATTR_MODE;
		req->msg.args.setattr.mode = a->mode & 07777;
	}
	if (a->mask & SIPHON_SET_UID) {
		mask |= CEPH_SETATTR_UID;
		req->msg.args.setattr.uid = a->uid;
	}
	if (a->mask & SIPHON_SET_GID) {
		mask |= CEPH_SETATTR_GID;
		req->msg.args.setattr.gid = a->gid;
	}
	if (a->mask & SIPHON_SET_SIZE) {
		mask |= CEPH_SETATTR_SIZE;
		req->msg.args.setattr.size = a->size;
		req->msg.args.setattr.old_size = mdsc_file_size(c->mdsc,
								o->ino);
	}
	if (a->mask & (SIPHON_SET_ATIME | SIPHON_SET_ATIME_NOW)) {
		const struct timespec *t = (a->mask & SIPHON_SET_ATIME_NOW) ?
					   &now : &a->atime;

		mask |= CEPH_SETATTR_ATIME;
		req->msg.args.setattr.atime.sec = (uint32_t)t->tv_sec;
		req->msg.args.setattr.atime.nsec = (uint32_t)t->tv_nsec;
	}
	if (a->mask & (SIPHON_SET_MTIME | SIPHON_SET_MTIME_NOW)) {
		const struct timespec *t = (a->mask & SIPHON_SET_MTIME_NOW) ?
					   &now : &a->mtime;

		mask |= CEPH_SETATTR_MTIME;
		req->msg.args.setattr.mtime.sec = (uint32_t)t->tv_sec;
		req->msg.args.setattr.mtime.nsec = (uint32_t)t->tv_nsec;
	}
	if (a->mask & SIPHON_SET_CTIME)
		mask |= CEPH_SETATTR_CTIME;
	req->msg.args.setattr.mask = mask;
	return req;
}

/* Builds the request of the operation (NULL: out of memory). */
static struct mds_request *build(struct llop *o)
{
	struct siphon_client *c = o->op.c;
	struct mds_request *req = NULL;

	switch (o->kind) {
	case LL_LOOKUP:
		if (!strcmp(o->name, "..")) {
			req = fs_req(c, CEPH_MDS_OP_LOOKUPPARENT, o->ino, "");
		} else {
			req = fs_req(c, CEPH_MDS_OP_LOOKUP, o->ino, o->name);
			if (req)
				req->msg.args.getattr.mask =
					CEPH_STAT_CAP_INODE_ALL;
		}
		break;
	case LL_GETATTR:
		req = fs_req(c, CEPH_MDS_OP_GETATTR, o->ino, "");
		if (req)
			req->msg.args.getattr.mask = CEPH_STAT_CAP_INODE_ALL;
		break;
	case LL_SETATTR:
		req = build_setattr(o);
		break;
	case LL_MKDIR:
		req = fs_req(c, CEPH_MDS_OP_MKDIR, o->ino, o->name);
		if (req)
			req->msg.args.mkdir.mode = S_IFDIR | (o->mode & 07777);
		break;
	case LL_CREATE:
		req = fs_req(c, CEPH_MDS_OP_CREATE, o->ino, o->name);
		if (req) {
			req->msg.args.open.flags =
				fs_wire_open_flags(o->flags | O_CREAT);
			req->msg.args.open.mode = S_IFREG | (o->mode & 07777);
			/* the directory's layout */
			req->msg.args.open.pool = (uint32_t)-1;
		}
		break;
	case LL_UNLINK:
	case LL_RMDIR:
		req = fs_req(c, o->kind == LL_UNLINK ? CEPH_MDS_OP_UNLINK :
			     CEPH_MDS_OP_RMDIR, o->ino, o->name);
		break;
	case LL_RENAME:
		req = fs_req(c, CEPH_MDS_OP_RENAME, o->newdir, o->newname);
		if (req && mdsc_request_set_path2(req, o->ino, o->name)) {
			mdsc_request_put(req);
			req = NULL;
		}
		break;
	}
	return req;
}

/* What the reply of the operation's request gives the caller. */
static void reply(struct llop *o)
{
	struct siphon_client *c = o->op.c;
	struct mds_request *req = o->req;
	const struct mds_inode_stat *t = &req->reply.targeti;
	uint64_t ino;
	int r = req->result;

	if (o->kind == LL_SETATTR && (o->sa.mask & SIPHON_SET_SIZE))
		ra_invalidate_ino(c, o->ino);
	if (r || o->kind == LL_UNLINK || o->kind == LL_RMDIR ||
	    o->kind == LL_RENAME) {
		llop_end(o, r);
		return;
	}
	if (!(req->have_reply && req->reply.is_target)) {
		if (o->kind == LL_SETATTR && !o->st) {
			llop_end(o, 0);
			return;
		}
		llop_end(o, -EIO);
		return;
	}
	ino = t->ino;
	if (o->st)
		fs_fill_stat(c, o->st, t);
	if (o->kind == LL_CREATE) {
		/* the open file takes the request */
		o->req = NULL;
		r = fs_file_from_reply(c, req, o->flags, o->name, o->fh);
		if (r) {
			llop_end(o, r);
			return;
		}
	}
	if (o->out) {
		*o->out = ll_hold(c, ino);
		if (!*o->out) {
			if (o->fh && *o->fh) {
				siphon_aio_close(*o->fh, NULL, NULL);
				*o->fh = NULL;
			}
			llop_end(o, -ENOMEM);
			return;
		}
	}
	llop_end(o, 0);
}

static void llop_step(struct aio_op *op)
{
	struct llop *o = (struct llop *)op;
	struct siphon_client *c = op->c;
	struct mds_request *req;
	uint64_t ino;
	int r;

	for (;;) {
		switch (o->state) {
		case LL_START:
			if (o->kind == LL_GETATTR ||
			    (o->kind == LL_LOOKUP && strcmp(o->name, ".."))) {
				/* the cache first */
				if (o->kind == LL_GETATTR) {
					if (cached_inode(o, o->ino))
						return;
				} else {
					r = mdsc_cached_lookup(c->mdsc, o->ino,
							       o->name,
							       strlen(o->name),
							       &ino);
					if (r == MDSC_LOOKUP_ABSENT) {
						llop_end(o, -ENOENT);
						return;
					}
					if (!r && cached_inode(o, ino))
						return;
				}
			}
			if (o->kind == LL_SETATTR &&
			    (o->sa.mask & SIPHON_SET_SIZE)) {
				/* the MDS must know our own size before it
				 * cuts the file */
				o->wbref = wb_find(c, o->ino);
				o->state = LL_FLUSH;
				continue;
			}
			if (o->kind == LL_RENAME &&
			    (o->rflags & SIPHON_RENAME_NOREPLACE)) {
				/* CephFS has no "don't replace" rename: look
				 * first (a race with another client remains,
				 * as in ceph-fuse) */
				r = mdsc_cached_lookup(c->mdsc, o->newdir,
						       o->newname,
						       strlen(o->newname), &ino);
				if (!r) {
					llop_end(o, -EEXIST);
					return;
				}
				if (r == MDSC_LOOKUP_ABSENT) {
					o->state = LL_SEND;
					continue;
				}
				llop_send(o, fs_req(c, CEPH_MDS_OP_LOOKUP,
						    o->newdir, o->newname),
					  LL_CHECKED);
				return;
			}
			o->state = LL_SEND;
			continue;
		case LL_FLUSH:
			if (wb_idle_or_park(c, o->wbref, op) == -EINPROGRESS)
				return;
			r = wb_take_error(o->wbref);
			if (r) {
				llop_end(o, r);
				return;
			}
			o->state = LL_CAPFLUSH;
			continue;
		case LL_CAPFLUSH:
			r = aio_try_or_park(op, o->ino, try_cap_flush, NULL);
			if (r == -EINPROGRESS)
				return;
			if (r) {
				llop_end(o, r);
				return;
			}
			ra_invalidate_ino(c, o->ino);
			o->state = LL_SEND;
			continue;
		case LL_SEND:
			if (o->kind == LL_SETATTR && !o->sa.mask) {
				/* nothing to change: the attributes */
				o->kind = LL_GETATTR;
				o->state = LL_START;
				continue;
			}
			req = build(o);
			if (o->kind == LL_SETATTR && req &&
			    !mdsc_file_setattr_local(c->mdsc, o->ino,
						     (uint32_t)geteuid(),
						     &req->msg.args)) {
				/* done here, under caps held exclusively:
				 * the attributes */
				mdsc_request_put(req);
				o->kind = LL_GETATTR;
				o->state = LL_START;
				continue;
			}
			llop_send(o, req, LL_REPLY);
			return;
		case LL_CHECKED:
			r = o->req->result;
			mdsc_request_put(o->req);
			o->req = NULL;
			if (!r) {
				llop_end(o, -EEXIST);
				return;
			}
			if (r != -ENOENT) {
				llop_end(o, r);
				return;
			}
			o->state = LL_SEND;
			continue;
		case LL_REPLY:
			reply(o);
			return;
		}
	}
}

struct llop *llop_new(struct siphon_client *c, enum ll_kind kind,
		      struct siphon_inode *in, const char *name)
{
	struct llop *o;
	size_t n = name ? strlen(name) : 0;
	int r = 0;

	if (!c->mounted)
		r = client_fail(c, -ENOTCONN, "not mounted");
	else if (name && (!n || strchr(name, '/')))
		r = client_fail(c, -EINVAL, "%s: bad name '%s'", what_of[kind],
				name);
	else if (n > 255)
		r = client_fail(c, -ENAMETOOLONG, "%s %s: %s", what_of[kind],
				name, strerror(ENAMETOOLONG));
	if (r) {
		errno = -r;
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		client_fail(c, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	aio_op_init(&o->op, c, llop_step, llop_release);
	o->kind = kind;
	o->ino = siphon_ll_ino(in);
	if (name)
		memcpy(o->name, name, n + 1);
	return o;
}

int64_t llop_run(struct llop *o)
{
	int64_t r = aio_op_run(&o->op);

	llop_release(&o->op);
	return r;
}

static int llop_go(struct llop *o, siphon_cb cb, void *arg)
{
	if (!cb) {
		llop_release(&o->op);
		return -EINVAL;
	}
	aio_op_start(&o->op, cb, arg);
	return 0;
}

void llop_set_out(struct llop *o, struct siphon_inode **out,
		  struct siphon_stat *st, struct siphon_file **fh)
{
	o->out = out;
	o->st = st;
	o->fh = fh;
	if (out)
		*out = NULL;
	if (fh)
		*fh = NULL;
}

void llop_set_args(struct llop *o, uint32_t mode, int flags,
		   const struct siphon_setattr *sa)
{
	o->mode = mode;
	o->flags = flags;
	if (sa)
		o->sa = *sa;
}

int llop_set_rename(struct llop *o, struct siphon_inode *newdir,
		    const char *newname, unsigned flags)
{
	struct siphon_client *c = o->op.c;
	size_t n = newname ? strlen(newname) : 0;

	if (!n || strchr(newname, '/') || n > 255 ||
	    (flags & ~SIPHON_RENAME_NOREPLACE)) {
		int r = n > 255 ? -ENAMETOOLONG : -EINVAL;

		llop_release(&o->op);
		return client_fail(c, r, "rename %s: %s", newname ? newname : "",
				   strerror(-r));
	}
	o->newdir = siphon_ll_ino(newdir);
	memcpy(o->newname, newname, n + 1);
	o->rflags = flags;
	return 0;
}

/* ---- the public calls ---- */

/* "." and ".." of the root name the directory itself: its getattr. */
static bool names_dir_itself(struct siphon_client *c, struct siphon_inode *dir,
			     const char *name)
{
	return name && (!strcmp(name, ".") ||
			(!strcmp(name, "..") && siphon_ll_ino(dir) == c->root_ino));
}

struct llop *llop_lookup(struct siphon_client *c, struct siphon_inode *dir,
			 const char *name, struct siphon_inode **out,
			 struct siphon_stat *st)
{
	struct llop *o;

	if (names_dir_itself(c, dir, name)) {
		o = llop_new(c, LL_GETATTR, dir, NULL);
		if (o)
			llop_set_out(o, out, st, NULL);
		return o;
	}
	o = llop_new(c, LL_LOOKUP, dir, name);
	if (o)
		llop_set_out(o, out, st, NULL);
	return o;
}

SIPHON_API int siphon_aio_ll_lookup(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    struct siphon_inode **out,
				    struct siphon_stat *st, siphon_cb cb,
				    void *arg)
{
	struct llop *o = llop_lookup(c, dir, name, out, st);

	return o ? llop_go(o, cb, arg) : -errno;
}

SIPHON_API int siphon_aio_ll_getattr(struct siphon_client *c,
				     struct siphon_inode *in,
				     struct siphon_stat *st, siphon_cb cb,
				     void *arg)
{
	struct llop *o = llop_new(c, LL_GETATTR, in, NULL);

	if (!o)
		return -errno;
	llop_set_out(o, NULL, st, NULL);
	return llop_go(o, cb, arg);
}

SIPHON_API int siphon_aio_ll_setattr(struct siphon_client *c,
				     struct siphon_inode *in,
				     const struct siphon_setattr *a,
				     struct siphon_stat *st, siphon_cb cb,
				     void *arg)
{
	struct llop *o = llop_new(c, LL_SETATTR, in, NULL);

	if (!o)
		return -errno;
	llop_set_out(o, NULL, st, NULL);
	llop_set_args(o, 0, 0, a);
	return llop_go(o, cb, arg);
}

SIPHON_API int siphon_aio_ll_mkdir(struct siphon_client *c,
				   struct siphon_inode *dir, const char *name,
				   uint32_t mode, struct siphon_inode **out,
				   struct siphon_stat *st, siphon_cb cb,
				   void *arg)
{
	struct llop *o = llop_new(c, LL_MKDIR, dir, name);

	if (!o)
		return -errno;
	llop_set_out(o, out, st, NULL);
	llop_set_args(o, mode, 0, NULL);
	return llop_go(o, cb, arg);
}

SIPHON_API int siphon_aio_ll_create(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    uint32_t mode, int flags,
				    struct siphon_inode **out,
				    struct siphon_file **fh,
				    struct siphon_stat *st, siphon_cb cb,
				    void *arg)
{
	struct llop *o;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return client_fail(c, -EINVAL, "create %s: %s", name,
				   strerror(EINVAL));
	o = llop_new(c, LL_CREATE, dir, name);
	if (!o)
		return -errno;
	llop_set_out(o, out, st, fh);
	llop_set_args(o, mode, flags, NULL);
	return llop_go(o, cb, arg);
}

SIPHON_API int siphon_aio_ll_unlink(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    siphon_cb cb, void *arg)
{
	struct llop *o = llop_new(c, LL_UNLINK, dir, name);

	return o ? llop_go(o, cb, arg) : -errno;
}

SIPHON_API int siphon_aio_ll_rmdir(struct siphon_client *c,
				   struct siphon_inode *dir, const char *name,
				   siphon_cb cb, void *arg)
{
	struct llop *o = llop_new(c, LL_RMDIR, dir, name);

	return o ? llop_go(o, cb, arg) : -errno;
}

SIPHON_API int siphon_aio_ll_rename(struct siphon_client *c,
				    struct siphon_inode *dir, const char *name,
				    struct siphon_inode *newdir,
				    const char *newname, unsigned flags,
				    siphon_cb cb, void *arg)
{
	struct llop *o = llop_new(c, LL_RENAME, dir, name);
	int r;

	if (!o)
		return -errno;
	r = llop_set_rename(o, newdir, newname, flags);
	return r ? r : llop_go(o, cb, arg);
}

/* The inode-handle calls (siphon_ll_*): the namespace and files named by
 * inode and single names instead of paths, for FUSE and for programs
 * written against libcephfs's ceph_ll_* calls.
 *
 * A handle is a counted reference to an inode number, kept in a hash
 * under the client's ilock (a leaf lock). The MDS client keeps the caps
 * of referenced inodes when the MDS recalls state, so requests naming
 * them by number keep working. Every request names (inode, name) or the
 * inode itself (name ""), which is how the MDS addresses them anyway. */
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
#include "common/log.h"
#include "encoding/dec.h"
#include "mds/ceph_fs.h"
#include "mds/fsmap.h"
#include "mds/mdsc.h"
#include "readahead.h"
#include "siphon/siphon.h"
#include "writeback.h"

struct siphon_inode {
	uint64_t ino;
	uint64_t refs;
	struct siphon_inode *next;
};

/* ---- the handle table ---- */

static size_t ibucket(const struct siphon_client *c, uint64_t ino)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 32) & (c->inb - 1);
}

bool client_keep_held(void *arg, uint64_t ino)
{
	return client_inode_held(arg, ino);
}

void client_inodes_init(struct siphon_client *c)
{
	pthread_mutex_init(&c->ilock, NULL);
	c->inb = 1024;
	c->itab = calloc(c->inb, sizeof(*c->itab));
	if (!c->itab)
		c->inb = 0;
}

void client_inodes_free(struct siphon_client *c)
{
	for (size_t b = 0; b < c->inb; b++)
		while (c->itab[b]) {
			struct siphon_inode *in = c->itab[b];

			c->itab[b] = in->next;
			free(in);
		}
	free(c->itab);
	c->itab = NULL;
	c->inb = c->icount = 0;
	pthread_mutex_destroy(&c->ilock);
}

static struct siphon_inode *ifind_locked(struct siphon_client *c, uint64_t ino)
{
	if (!c->inb)
		return NULL;
	for (struct siphon_inode *in = c->itab[ibucket(c, ino)]; in; in = in->next)
		if (in->ino == ino)
			return in;
	return NULL;
}

static void igrow_locked(struct siphon_client *c)
{
	size_t n = c->inb * 2;
	struct siphon_inode **t = calloc(n, sizeof(*t));
	size_t old = c->inb;
	struct siphon_inode **ot = c->itab;

	if (!t)
		return;		/* longer chains, still correct */
	c->itab = t;
	c->inb = n;
	for (size_t b = 0; b < old; b++)
		while (ot[b]) {
			struct siphon_inode *in = ot[b];

			ot[b] = in->next;
			in->next = t[ibucket(c, in->ino)];
			t[ibucket(c, in->ino)] = in;
		}
	free(ot);
}

bool client_inode_held(struct siphon_client *c, uint64_t ino)
{
	bool held;

	pthread_mutex_lock(&c->ilock);
	held = ifind_locked(c, ino) != NULL;
	pthread_mutex_unlock(&c->ilock);
	return held;
}

/* A new reference to ino's handle, made if needed; NULL if out of memory. */
struct siphon_inode *ll_hold(struct siphon_client *c, uint64_t ino)
{
	struct siphon_inode *in;

	pthread_mutex_lock(&c->ilock);
	in = ifind_locked(c, ino);
	if (!in && c->inb) {
		if (c->icount >= c->inb)
			igrow_locked(c);
		in = calloc(1, sizeof(*in));
		if (in) {
			in->ino = ino;
			in->next = c->itab[ibucket(c, ino)];
			c->itab[ibucket(c, ino)] = in;
			c->icount++;
		}
	}
	if (in)
		in->refs++;
	pthread_mutex_unlock(&c->ilock);
	return in;
}

SIPHON_API uint64_t siphon_ll_ino(const struct siphon_inode *in)
{
	return in ? in->ino : 0;
}

SIPHON_API struct siphon_inode *siphon_ll_get(struct siphon_client *c,
					      struct siphon_inode *in)
{
	pthread_mutex_lock(&c->ilock);
	in->refs++;
	pthread_mutex_unlock(&c->ilock);
	return in;
}

SIPHON_API void siphon_ll_put(struct siphon_client *c, struct siphon_inode *in,
			      uint64_t n)
{
	struct siphon_inode **pp;

	if (!in)
		return;
	pthread_mutex_lock(&c->ilock);
	in->refs = n >= in->refs ? 0 : in->refs - n;
	if (!in->refs) {
		for (pp = &c->itab[ibucket(c, in->ino)]; *pp; pp = &(*pp)->next)
			if (*pp == in) {
				*pp = in->next;
				c->icount--;
				free(in);
				break;
			}
	}
	pthread_mutex_unlock(&c->ilock);
}

SIPHON_API int siphon_ll_by_ino(struct siphon_client *c, uint64_t ino,
				struct siphon_inode **out)
{
	struct siphon_inode *in;

	pthread_mutex_lock(&c->ilock);
	in = ifind_locked(c, ino);
	if (in)
		in->refs++;
	pthread_mutex_unlock(&c->ilock);
	*out = in;
	return in ? 0 : -ESTALE;
}

SIPHON_API int siphon_ll_root(struct siphon_client *c, struct siphon_inode **out)
{
	*out = NULL;
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	*out = ll_hold(c, c->root_ino);
	return *out ? 0 : client_fail(c, -ENOMEM, "out of memory");
}

/* ---- requests ---- */

static int check_name(struct siphon_client *c, const char *what,
		      const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	if (!n || strchr(name, '/'))
		return client_fail(c, -EINVAL, "%s: bad name '%s'", what,
				   name ? name : "");
	if (n > 255)
		return client_fail(c, -ENAMETOOLONG, "%s %s: %s", what, name,
				   strerror(ENAMETOOLONG));
	return 0;
}

/* How long what a reply said may be trusted: the attributes while the
 * inode's caps are those it came with, the name while its lease runs or
 * the directory's Fs holds. The MDS tells the client when either goes,
 * but a FUSE kernel cache cannot be told everything, so a short bound. */
#define CACHE_HINT_MS 1000

static void fill_hint(struct siphon_client *c, uint64_t dir, const char *name,
		      uint64_t ino, struct siphon_cache_hint *h)
{
	struct mds_inode_stat st;
	uint64_t child;

	if (!h)
		return;
	h->attr_ms = !mdsc_cached_getattr(c->mdsc, ino, CEPH_CAP_AUTH_SHARED |
					  CEPH_CAP_LINK_SHARED |
					  CEPH_CAP_FILE_SHARED, &st) ?
		     CACHE_HINT_MS : 0;
	/* a name may be cached by the front end only under a lease: when
	 * it is vouched for by the directory's Fs cap alone, a rename by
	 * another client revokes that cap, which names no entry */
	h->entry_ms = 0;
	if (name && !mdsc_cached_lookup(c->mdsc, dir, name, strlen(name),
					&child) && child == ino) {
		uint32_t left = mdsc_dentry_lease_left(c->mdsc, dir, name,
						       strlen(name));

		h->entry_ms = left < CACHE_HINT_MS ? left : CACHE_HINT_MS;
	}
}

/* Runs a request whose reply's target is the inode the caller wants a
 * handle (and attributes) of. Consumes req. */
static int run_for_inode(struct siphon_client *c, struct mds_request *req,
			 const char *what, const char *shown,
			 struct siphon_inode **out, struct siphon_stat *st)
{
	int r = fs_run(c, req, what, shown);

	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "%s %s: no inode in the reply", what,
				shown);
	if (!r) {
		if (st)
			fs_fill_stat(c, st, &req->reply.targeti);
		if (out) {
			*out = ll_hold(c, req->reply.targeti.ino);
			if (!*out)
				r = client_fail(c, -ENOMEM, "out of memory");
		}
	}
	mdsc_request_put(req);
	return r;
}

SIPHON_API int siphon_ll_lookup(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, struct siphon_inode **out,
				struct siphon_stat *st,
				struct siphon_cache_hint *cache)
{
	bool itself = name && (!strcmp(name, ".") || !strcmp(name, ".."));
	struct llop *o;
	int r;

	*out = NULL;
	o = llop_lookup(c, dir, name, out, st);
	if (!o)
		return -errno;
	r = (int)llop_run(o);
	if (!r)
		fill_hint(c, itself ? 0 : dir->ino, itself ? NULL : name,
			  (*out)->ino, cache);
	return r;
}

/* By inode number, for handles that outlive the client's memory of the
 * inode (NFS file handles, FUSE's lookup of "." in a node it forgot): the
 * cache while caps vouch for the inode, else LOOKUPINO, which the MDS
 * answers even for an inode it must first load (it finds it through the
 * backtrace stored with the file's data). An inode the MDS does not know
 * of, or one with no link left (removed, waiting to be purged), is stale:
 * a handle must not bring a removed file back.
 *
 * LOOKUPINO takes no lock on the link count: while another client's
 * unlink is not yet journaled, the MDS still shows the old count. Unless
 * its reply came with the caps that vouch for the count (the MDS grants Ls
 * only when no change is in flight), a GETATTR follows, which waits for
 * the change and shows the count it left. */
static int lookup_ino_req(struct siphon_client *c, uint32_t op, uint64_t ino,
			  struct mds_request **out)
{
	struct mds_request *req = fs_req(c, op, ino, "");
	int r;

	*out = NULL;
	if (!req)
		return -ENOMEM;
	req->msg.args.getattr.mask = CEPH_STAT_CAP_INODE_ALL;
	if (op == CEPH_MDS_OP_LOOKUPINO)
		req->msg.args.lookupino.mask = CEPH_STAT_CAP_INODE_ALL;
	r = fs_run(c, req, "lookup inode", "");
	if (!r && !(req->have_reply && req->reply.is_target &&
		    req->reply.targeti.ino == ino))
		r = client_fail(c, -EIO, "lookup of inode %#llx: not in the "
				"reply", (unsigned long long)ino);
	if (r) {
		mdsc_request_put(req);
		/* the MDS says ENOENT when no backtrace leads to it */
		return r == -ENOENT ? -ESTALE : r;
	}
	*out = req;
	return 0;
}

SIPHON_API int siphon_ll_lookup_ino(struct siphon_client *c, uint64_t ino,
				    struct siphon_inode **out,
				    struct siphon_stat *st,
				    struct siphon_cache_hint *cache)
{
	const uint32_t need = CEPH_CAP_AUTH_SHARED | CEPH_CAP_LINK_SHARED |
			      CEPH_CAP_FILE_SHARED;
	struct mds_inode_stat cached;
	const struct mds_inode_stat *t = &cached;
	struct mds_request *req = NULL;
	int r;

	*out = NULL;
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	if (!ino)
		return client_fail(c, -ESTALE, "lookup of inode 0");
	if (mdsc_cached_getattr(c->mdsc, ino, need, &cached)) {
		r = lookup_ino_req(c, CEPH_MDS_OP_LOOKUPINO, ino, &req);
		if (r)
			return r;
		if (!mdsc_cached_getattr(c->mdsc, ino, need, &cached)) {
			mdsc_request_put(req);
			req = NULL;
		} else {
			mdsc_request_put(req);
			r = lookup_ino_req(c, CEPH_MDS_OP_GETATTR, ino, &req);
			if (r)
				return r;
			t = &req->reply.targeti;
		}
	}
	if (!t->nlink) {
		mdsc_request_put(req);
		return client_fail(c, -ESTALE, "inode %#llx: removed",
				   (unsigned long long)ino);
	}
	if (st)
		fs_fill_stat(c, st, t);
	mdsc_request_put(req);
	*out = ll_hold(c, ino);
	if (!*out)
		return client_fail(c, -ENOMEM, "out of memory");
	fill_hint(c, 0, NULL, ino, cache);
	return 0;
}

SIPHON_API int siphon_ll_getattr(struct siphon_client *c, struct siphon_inode *in,
				 struct siphon_stat *st,
				 struct siphon_cache_hint *cache)
{
	struct llop *o = llop_new(c, LL_GETATTR, in, NULL);
	int r;

	if (!o)
		return -errno;
	llop_set_out(o, NULL, st, NULL);
	r = (int)llop_run(o);
	if (!r)
		fill_hint(c, 0, NULL, in->ino, cache);
	return r;
}

SIPHON_API int siphon_ll_setattr(struct siphon_client *c, struct siphon_inode *in,
				 const struct siphon_setattr *a,
				 struct siphon_stat *st)
{
	struct llop *o = llop_new(c, LL_SETATTR, in, NULL);

	if (!o)
		return -errno;
	llop_set_out(o, NULL, st, NULL);
	llop_set_args(o, 0, 0, a);
	return (int)llop_run(o);
}

SIPHON_API int siphon_ll_readlink(struct siphon_client *c, struct siphon_inode *in,
				  char *buf, size_t size)
{
	const struct mds_inode_stat *st;
	struct mds_request *req;
	int r;

	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	r = fs_getattr_req(c, in->ino, "", "readlink", CEPH_STAT_CAP_INODE_ALL,
			   &req);
	if (r)
		return r;
	st = &req->reply.targeti;
	if (!S_ISLNK(st->mode)) {
		mdsc_request_put(req);
		return client_fail(c, -EINVAL, "readlink: %s", strerror(EINVAL));
	}
	r = (int)st->symlink_len;
	if (size) {
		size_t n = st->symlink_len < size ? st->symlink_len : size;

		memcpy(buf, st->symlink, n);
		if (n < size)
			buf[n] = '\0';
	}
	mdsc_request_put(req);
	return r;
}

SIPHON_API int siphon_ll_mknod(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name, uint32_t mode, uint32_t rdev,
			       struct siphon_inode **out, struct siphon_stat *st)
{
	struct mds_request *req;
	int r = check_name(c, "mknod", name);

	*out = NULL;
	if (r)
		return r;
	req = fs_req(c, CEPH_MDS_OP_MKNOD, dir->ino, name);
	if (!req)
		return -ENOMEM;
	req->msg.args.mknod.mode = (mode & S_IFMT) ? mode : (mode | S_IFREG);
	req->msg.args.mknod.rdev = rdev;
	return run_for_inode(c, req, "mknod", name, out, st);
}

SIPHON_API int siphon_ll_mkdir(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name, uint32_t mode,
			       struct siphon_inode **out, struct siphon_stat *st)
{
	struct llop *o;

	*out = NULL;
	o = llop_new(c, LL_MKDIR, dir, name);
	if (!o)
		return -errno;
	llop_set_out(o, out, st, NULL);
	llop_set_args(o, mode, 0, NULL);
	return (int)llop_run(o);
}

SIPHON_API int siphon_ll_symlink(struct siphon_client *c, struct siphon_inode *dir,
				 const char *name, const char *target,
				 struct siphon_inode **out, struct siphon_stat *st)
{
	struct mds_request *req;
	int r = check_name(c, "symlink", name);

	*out = NULL;
	if (r)
		return r;
	req = fs_req(c, CEPH_MDS_OP_SYMLINK, dir->ino, name);
	if (!req)
		return -ENOMEM;
	if (mdsc_request_set_path2(req, 0, target)) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	return run_for_inode(c, req, "symlink", name, out, st);
}

SIPHON_API int siphon_ll_link(struct siphon_client *c, struct siphon_inode *in,
			      struct siphon_inode *dir, const char *name,
			      struct siphon_stat *st)
{
	struct mds_request *req;
	int r = check_name(c, "link", name);

	if (r)
		return r;
	req = fs_req(c, CEPH_MDS_OP_LINK, dir->ino, name);
	if (!req)
		return -ENOMEM;
	/* the existing inode, by number */
	if (mdsc_request_set_path2(req, in->ino, "")) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	return run_for_inode(c, req, "link", name, NULL, st);
}

static int remove_op(struct siphon_client *c, enum ll_kind kind,
		     struct siphon_inode *dir, const char *name)
{
	struct llop *o = llop_new(c, kind, dir, name);

	return o ? (int)llop_run(o) : -errno;
}

SIPHON_API int siphon_ll_unlink(struct siphon_client *c, struct siphon_inode *dir,
				const char *name)
{
	return remove_op(c, LL_UNLINK, dir, name);
}

SIPHON_API int siphon_ll_rmdir(struct siphon_client *c, struct siphon_inode *dir,
			       const char *name)
{
	return remove_op(c, LL_RMDIR, dir, name);
}

SIPHON_API int siphon_ll_rename(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, struct siphon_inode *newdir,
				const char *newname, unsigned flags)
{
	struct llop *o = llop_new(c, LL_RENAME, dir, name);
	int r;

	if (!o)
		return -errno;
	r = llop_set_rename(o, newdir, newname, flags);
	return r ? r : (int)llop_run(o);
}

/* ---- files ---- */

SIPHON_API int siphon_ll_open(struct siphon_client *c, struct siphon_inode *in,
			      int flags, struct siphon_file **out)
{
	struct mds_request *req;
	int r;

	*out = NULL;
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	if ((flags & O_ACCMODE) == O_ACCMODE || (flags & O_CREAT))
		return client_fail(c, -EINVAL, "open: %s", strerror(EINVAL));
	if (flags & O_TRUNC) {
		/* as a truncating setattr: our buffered writes first, and
		 * the size we know as old_size, so that the MDS cuts every
		 * byte of ours and none lands after the cut */
		r = wb_sync_ino(c, in->ino);
		if (r)
			return client_fail(c, r, "open: %s", strerror(-r));
	}
	req = fs_req(c, CEPH_MDS_OP_OPEN, in->ino, "");
	if (!req)
		return -ENOMEM;
	req->msg.args.open.flags = fs_wire_open_flags(flags);
	req->msg.args.open.pool = (uint32_t)-1;
	if (flags & O_TRUNC)
		req->msg.args.open.old_size = mdsc_file_size(c->mdsc, in->ino);
	r = fs_run(c, req, "open", "");
	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "open: no inode in the reply");
	if (r) {
		mdsc_request_put(req);
		return r;
	}
	return fs_file_from_reply(c, req, flags, "", out);
}

SIPHON_API int siphon_ll_create(struct siphon_client *c, struct siphon_inode *dir,
				const char *name, uint32_t mode, int flags,
				struct siphon_inode **out, struct siphon_file **fh,
				struct siphon_stat *st)
{
	struct llop *o;

	*out = NULL;
	*fh = NULL;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return client_fail(c, -EINVAL, "create %s: %s", name,
				   strerror(EINVAL));
	o = llop_new(c, LL_CREATE, dir, name);
	if (!o)
		return -errno;
	llop_set_out(o, out, st, fh);
	llop_set_args(o, mode, flags, NULL);
	return (int)llop_run(o);
}

/* ---- directories ---- */

struct siphon_dir {
	struct siphon_dirent *v;	/* names owned */
	uint64_t n, cap;
	bool failed;
};

static int dir_add(void *arg, const struct siphon_dirent *d)
{
	struct siphon_dir *dl = arg;

	if (dl->n == dl->cap) {
		uint64_t cap = dl->cap ? dl->cap * 2 : 64;
		struct siphon_dirent *v = realloc(dl->v, cap * sizeof(*v));

		if (!v) {
			dl->failed = true;
			return -ENOMEM;
		}
		dl->v = v;
		dl->cap = cap;
	}
	dl->v[dl->n].name = strdup(d->name);
	if (!dl->v[dl->n].name) {
		dl->failed = true;
		return -ENOMEM;
	}
	dl->v[dl->n].st = d->st;
	dl->n++;
	return 0;
}

SIPHON_API int siphon_ll_opendir(struct siphon_client *c, struct siphon_inode *in,
				 struct siphon_dir **out)
{
	struct siphon_dir *dl = calloc(1, sizeof(*dl));
	int r;

	*out = NULL;
	if (!dl)
		return client_fail(c, -ENOMEM, "out of memory");
	if (!c->mounted) {
		free(dl);
		return client_fail(c, -ENOTCONN, "not mounted");
	}
	r = fs_readdir_ino(c, in->ino, "", in->ino, "", dir_add, dl);
	if (r) {
		siphon_ll_releasedir(dl);
		return dl->failed ? client_fail(c, -ENOMEM, "out of memory") : r;
	}
	*out = dl;
	return 0;
}

SIPHON_API int siphon_ll_readdir(struct siphon_dir *d, uint64_t pos,
				 struct siphon_dirent *out)
{
	if (!d || pos >= d->n)
		return -ENOENT;
	*out = d->v[pos];
	return 0;
}

SIPHON_API uint64_t siphon_ll_dir_count(const struct siphon_dir *d)
{
	return d ? d->n : 0;
}

SIPHON_API void siphon_ll_releasedir(struct siphon_dir *d)
{
	if (!d)
		return;
	for (uint64_t i = 0; i < d->n; i++)
		free((char *)d->v[i].name);
	free(d->v);
	free(d);
}

/* ---- xattrs ---- */

SIPHON_API int siphon_ll_getxattr(struct siphon_client *c, struct siphon_inode *in,
				  const char *name, void *value, size_t size)
{
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	return fs_getxattr_ino(c, in->ino, "", name, name, value, size);
}

SIPHON_API int siphon_ll_listxattr(struct siphon_client *c, struct siphon_inode *in,
				   char *list, size_t size)
{
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	return fs_listxattr_ino(c, in->ino, "", "", list, size);
}

SIPHON_API int siphon_ll_setxattr(struct siphon_client *c, struct siphon_inode *in,
				  const char *name, const void *value,
				  size_t size, int flags)
{
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	return fs_setxattr_ino(c, in->ino, name, name, value, size, flags);
}

SIPHON_API int siphon_ll_removexattr(struct siphon_client *c,
				     struct siphon_inode *in, const char *name)
{
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	return fs_removexattr_ino(c, in->ino, name, name);
}

/* ---- advisory locks ----
 *
 * Locks are the MDS's: SETFILELOCK takes or drops one (waiting, when
 * asked, until it can be granted: the MDS answers the request then),
 * GETFILELOCK asks who holds a conflicting one. Owners get bit 63 set, as
 * Ceph's clients set it: it tells the MDS that the owner alone names the
 * holder (without it the MDS also compares pids, as for old clients).
 *
 * A waiting lock is cancelled as Ceph's clients cancel it: an unlock with
 * the *_INTR rule and the waiting lock's owner and range makes the MDS
 * drop it from its wait list and answer the waiting request with EINTR.
 * A lock already granted is left alone by that unlock, so a cancel that
 * comes too late leaves the caller with the lock and a 0, which is what
 * it asked for. The cancel is sent by the cancelling thread while the
 * waiter keeps waiting for the MDS's answer; it is sent again after a
 * second if the waiter still waits (the waiting request may have reached
 * the MDS after the first cancel). */

#define LOCK_OWNER_BIT       (1ULL << 63)

/* How often, and how far apart, a cancel is sent while the waiter still
 * waits; how long each may wait for the MDS. */
#define CANCEL_TRIES    5
#define CANCEL_RETRY_MS 1000
#define CANCEL_REQ_MS   5000

struct siphon_cancel {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool cancelled;
	bool waiting;			/* a waiting SETFILELOCK is out */
	/* what the waiting request asked, for the cancel */
	struct siphon_client *c;
	uint64_t ino;
	uint8_t rule;
	struct siphon_lock lk;
};

static uint8_t lock_rule(int kind)
{
	return kind == SIPHON_LOCK_POSIX ? CEPH_LOCK_FCNTL : CEPH_LOCK_FLOCK;
}

/* One SETFILELOCK or GETFILELOCK of ino; the reply stays in *out. */
static int lock_req(struct siphon_client *c, uint32_t op, uint64_t ino,
		    uint8_t rule, uint8_t type, const struct siphon_lock *lk,
		    int wait, unsigned timeout_ms, struct mds_request **out)
{
	struct mds_request *req;
	int r;

	*out = NULL;
	req = fs_req(c, op, ino, "");
	if (!req)
		return -ENOMEM;
	req->msg.args.filelock_change.rule = rule;
	req->msg.args.filelock_change.type = type;
	req->msg.args.filelock_change.owner = lk->owner | LOCK_OWNER_BIT;
	req->msg.args.filelock_change.pid = (uint64_t)lk->pid;
	req->msg.args.filelock_change.start = lk->start;
	req->msg.args.filelock_change.length = lk->len;
	req->msg.args.filelock_change.wait = wait ? 1 : 0;
	req->msg.caller_uid = (uint32_t)geteuid();
	req->msg.caller_gid = (uint32_t)getegid();
	r = mdsc_do_request(c->mdsc, req, timeout_ms);
	if (r == -EWOULDBLOCK)
		r = -EAGAIN;
	if (r) {
		mdsc_request_put(req);
		/* the MDS's answers (EAGAIN, EDEADLK, EINTR) need no words */
		return r == -EAGAIN || r == -EDEADLK || r == -EINTR ? r :
		       client_fail(c, r, "lock: %s", strerror(-r));
	}
	*out = req;
	return 0;
}

static int lock_check(struct siphon_client *c, int kind,
		      const struct siphon_lock *lk)
{
	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	if (kind != SIPHON_LOCK_POSIX && kind != SIPHON_LOCK_FLOCK)
		return client_fail(c, -EINVAL, "lock: bad kind %d", kind);
	if (lk->type != F_RDLCK && lk->type != F_WRLCK && lk->type != F_UNLCK)
		return client_fail(c, -EINVAL, "lock: bad type %d", lk->type);
	return 0;
}

static uint8_t lock_type(const struct siphon_lock *lk)
{
	return lk->type == F_RDLCK ? CEPH_LOCK_SHARED :
	       lk->type == F_WRLCK ? CEPH_LOCK_EXCL : CEPH_LOCK_UNLOCK;
}

static int setlk(struct siphon_client *c, struct siphon_inode *in, int kind,
		 const struct siphon_lock *lk, int wait,
		 struct siphon_cancel *cancel)
{
	struct mds_request *req;
	int r = lock_check(c, kind, lk);

	if (r)
		return r;
	if (lk->type == F_UNLCK)
		wait = 0;	/* an unlock never waits */
	if (wait && cancel) {
		pthread_mutex_lock(&cancel->lock);
		if (cancel->cancelled) {
			pthread_mutex_unlock(&cancel->lock);
			return -EINTR;
		}
		cancel->waiting = true;
		cancel->c = c;
		cancel->ino = in->ino;
		cancel->rule = lock_rule(kind);
		cancel->lk = *lk;
		pthread_mutex_unlock(&cancel->lock);
	}
	/* a waiting lock is answered when it is granted, however long */
	r = lock_req(c, CEPH_MDS_OP_SETFILELOCK, in->ino, lock_rule(kind),
		     lock_type(lk), lk, wait, wait ? UINT32_MAX :
		     fs_request_timeout_ms(c), &req);
	mdsc_request_put(req);
	if (wait && cancel) {
		pthread_mutex_lock(&cancel->lock);
		cancel->waiting = false;
		pthread_cond_broadcast(&cancel->cond);
		pthread_mutex_unlock(&cancel->lock);
	}
	return r;
}

SIPHON_API int siphon_ll_setlk(struct siphon_client *c, struct siphon_inode *in,
			       int kind, const struct siphon_lock *lk, int wait)
{
	return setlk(c, in, kind, lk, wait, NULL);
}

SIPHON_API int siphon_ll_setlk_cancellable(struct siphon_client *c,
					   struct siphon_inode *in, int kind,
					   const struct siphon_lock *lk,
					   struct siphon_cancel *cancel)
{
	return setlk(c, in, kind, lk, 1, cancel);
}

SIPHON_API struct siphon_cancel *siphon_cancel_new(void)
{
	struct siphon_cancel *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	return t;
}

SIPHON_API void siphon_cancel_free(struct siphon_cancel *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	free(t);
}

SIPHON_API void siphon_cancel(struct siphon_cancel *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->cancelled = true;
	for (int i = 0; i < CANCEL_TRIES && t->waiting; i++) {
		struct siphon_client *c = t->c;
		struct siphon_lock lk = t->lk;
		uint64_t ino = t->ino;
		uint8_t rule = t->rule == CEPH_LOCK_FCNTL ? CEPH_LOCK_FCNTL_INTR :
			       CEPH_LOCK_FLOCK_INTR;
		struct mds_request *req;
		struct timespec dl;
		int r;

		pthread_mutex_unlock(&t->lock);
		dout(LOG_CLIENT, 5, "cancel: waiting lock of %#llx owner %#llx",
		     (unsigned long long)ino, (unsigned long long)lk.owner);
		r = lock_req(c, CEPH_MDS_OP_SETFILELOCK, ino, rule,
			     CEPH_LOCK_UNLOCK, &lk, 0, CANCEL_REQ_MS, &req);
		mdsc_request_put(req);
		if (r)
			dout(LOG_CLIENT, 1, "cancel of a waiting lock of %#llx: %s",
			     (unsigned long long)ino, strerror(-r));
		pthread_mutex_lock(&t->lock);
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += CANCEL_RETRY_MS / 1000;
		dl.tv_nsec += (CANCEL_RETRY_MS % 1000) * 1000000L;
		if (dl.tv_nsec >= 1000000000L) {
			dl.tv_sec++;
			dl.tv_nsec -= 1000000000L;
		}
		while (t->waiting)
			if (pthread_cond_timedwait(&t->cond, &t->lock, &dl) ==
			    ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&t->lock);
}

SIPHON_API int siphon_ll_getlk(struct siphon_client *c, struct siphon_inode *in,
			       struct siphon_lock *lk)
{
	struct mds_request *req;
	uint64_t start, len, client, owner, pid;
	uint8_t type;
	struct dec d;
	int r = lock_check(c, SIPHON_LOCK_POSIX, lk);

	if (r)
		return r;
	r = lock_req(c, CEPH_MDS_OP_GETFILELOCK, in->ino, CEPH_LOCK_FCNTL,
		     lock_type(lk), lk, 0, fs_request_timeout_ms(c), &req);
	if (r)
		return r;
	dec_init(&d, req->reply.extra, req->reply.extra_len);
	if (!req->have_reply || dec_u64(&d, &start) || dec_u64(&d, &len) ||
	    dec_u64(&d, &client) || dec_u64(&d, &owner) ||
	    dec_u64(&d, &pid) || dec_u8(&d, &type)) {
		mdsc_request_put(req);
		return client_fail(c, -EIO, "getlk: bad reply from the MDS");
	}
	mdsc_request_put(req);
	lk->type = type == CEPH_LOCK_SHARED ? F_RDLCK :
		   type == CEPH_LOCK_EXCL ? F_WRLCK : F_UNLCK;
	if (lk->type != F_UNLCK) {
		lk->start = start;
		lk->len = len;
		lk->owner = owner & ~LOCK_OWNER_BIT;
		lk->pid = (int64_t)pid;
	}
	return 0;
}

/* ---- what the MDS client reports ---- */

static void on_inval_inode(void *arg, uint64_t ino)
{
	struct siphon_client *c = arg;
	struct siphon_callbacks *cb = __atomic_load_n(&c->user_cb, __ATOMIC_ACQUIRE);

	/* what was read ahead under the caps that went may be stale */
	ra_invalidate_ino(c, ino);
	if (cb && cb->inval_inode)
		cb->inval_inode(cb->arg, ino);
}

static void on_inval_entry(void *arg, uint64_t dir, const char *name,
			   size_t len)
{
	struct siphon_client *c = arg;
	struct siphon_callbacks *cb = __atomic_load_n(&c->user_cb, __ATOMIC_ACQUIRE);

	if (cb && cb->inval_entry)
		cb->inval_entry(cb->arg, dir, name, len);
}

static void on_trim(void *arg)
{
	struct siphon_client *c = arg;
	struct siphon_callbacks *cb = __atomic_load_n(&c->user_cb, __ATOMIC_ACQUIRE);

	if (cb && cb->trim)
		cb->trim(cb->arg);
}

static void on_flush(void *arg, uint64_t ino)
{
	wb_kick(arg, ino);
}

static void on_ready(void *arg, uint64_t ino)
{
	aio_wake_ino(arg, ino);
}

void client_notify_init(struct siphon_client *c)
{
	struct mdsc_notify n = {
		.inval_inode = on_inval_inode,
		.inval_entry = on_inval_entry,
		.trim = on_trim,
		.flush = on_flush,
		.ready = on_ready,
		.arg = c,
	};

	mdsc_set_notify(c->mdsc, &n);
}

SIPHON_API void siphon_set_callbacks(struct siphon_client *c,
				     const struct siphon_callbacks *cb)
{
	struct siphon_callbacks *copy = NULL, *old;

	if (cb) {
		copy = malloc(sizeof(*copy));
		if (!copy)
			return;
		*copy = *cb;
	}
	old = __atomic_exchange_n(&c->user_cb, copy, __ATOMIC_ACQ_REL);
	/* a callback running now may still read the old copy: it is freed
	 * only with the client (kept on a short list would do too) */
	if (old) {
		pthread_mutex_lock(&c->lock);
		old->arg = c->old_cbs;
		c->old_cbs = old;
		pthread_mutex_unlock(&c->lock);
	}
}

/* ---- statfs ---- */

#define STATFS_BLOCK (4u << 20)		/* as Ceph's clients report */

SIPHON_API int siphon_statfs(struct siphon_client *c, struct siphon_statvfs *st)
{
	struct siphon_cluster_stat cs;
	int r;

	r = siphon_cluster_stat(c, &cs);
	if (r)
		return r;
	memset(st, 0, sizeof(*st));
	st->bsize = st->frsize = STATFS_BLOCK;
	st->blocks = cs.kb / (STATFS_BLOCK / 1024);
	st->bfree = cs.kb_avail / (STATFS_BLOCK / 1024);
	st->bavail = st->bfree;
	st->files = cs.num_objects;
	st->ffree = UINT64_MAX;
	st->namemax = 255;
	return 0;
}

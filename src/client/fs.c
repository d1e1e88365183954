/* The file-system calls of the public API: mount, then path-based
 * metadata operations, each a request to the MDS. Paths are sent to the
 * MDS relative to the root inode, which walks them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "aio.h"
#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/fsmap.h"
#include "mds/mdsc.h"
#include "mon/monc.h"
#include "msg/messenger.h"
#include "osd/osdc.h"
#include "osd/osdmap.h"
#include "siphon/siphon.h"
#include "writeback.h"

/* How long a metadata request may wait for the MDS. Longer than the
 * default session_autoclose (300 s): a request blocked by caps that a
 * dead client held completes once the MDS evicts that client. Set with
 * the client_request_timeout option (seconds). */

/* "a//b/./c/../d/" under root "r" -> "r/a/b/d". ".." stops at the
 * mounted root. */
static int norm_path(const struct siphon_client *c, const char *path,
		     char *out, size_t cap)
{
	size_t len = 0, rootlen = strlen(c->root);
	const char *p = path;

	if (!path || !*path)
		return -ENOENT;
	if (rootlen >= cap)
		return -ENAMETOOLONG;
	memcpy(out, c->root, rootlen);
	len = rootlen;
	out[len] = '\0';
	while (*p) {
		const char *e;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (len > rootlen) {
				out[len] = '\0';
				slash = strrchr(out + rootlen, '/');
				len = slash ? (size_t)(slash - out) : rootlen;
			}
		} else {
			if (n > 255)
				return -ENAMETOOLONG;
			if (len + 1 + n + 1 > cap)
				return -ENAMETOOLONG;
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		out[len] = '\0';
		p += n;
	}
	return 0;
}

static int not_mounted(struct siphon_client *c)
{
	return client_fail(c, -ENOTCONN, "not mounted");
}

int fs_resolve(struct siphon_client *c, const char *what, const char *path,
	       char norm[PATH_MAX_LEN])
{
	int r;

	if (!c->mounted)
		return not_mounted(c);
	r = norm_path(c, path, norm, PATH_MAX_LEN);
	if (r)
		return client_fail(c, r, "%s %s: %s", what, path, strerror(-r));
	return 0;
}

void client_blocklist_changed(struct siphon_client *c, bool listed)
{
	char a[128] = "";
	struct entity_addr me;

	messenger_my_addr(c->msgr, &me);
	entity_addr_format(&me, a, sizeof(a));
	dout(LOG_CLIENT, 0, "the OSD map %s our address %s", listed ?
	     "blocklists" : "no longer blocklists", a);
	if (c->mdsc)
		mdsc_set_blocklisted(c->mdsc, listed);
}

/* We were evicted: the OSD map blocklists our address, or an MDS
 * refused us as blocklisted. With
 * client_recover_session = clean (the kernel client's recover_session),
 * start over from a new address: the monitor session, the OSD
 * connections and fresh MDS sessions; what was open fails with EIO. By
 * default, as the kernel and ceph-fuse, stay refused until remounted.
 * Runs on the network thread. */
static void client_evicted(void *arg)
{
	struct siphon_client *c = arg;
	const char *how = config_get(c->cfg, "client_recover_session");

	if (!how || strcmp(how, "clean")) {
		dout(LOG_CLIENT, 0, "evicted: calls fail with EIO until remounted or "
		     "taken off the blocklist (client_recover_session = clean "
		     "would recover)");
		return;
	}
	dout(LOG_CLIENT, 0, "evicted: recovering with a new address");
	messenger_new_nonce(c->msgr);
	pthread_mutex_lock(&c->lock);
	c->blocklisted = false;		/* the new address is not listed */
	pthread_mutex_unlock(&c->lock);
	monc_reopen(c->monc);
	if (c->osdc)
		osdc_reopen(c->osdc, -EIO);
	mdsc_recover_clean(c->mdsc);
}

unsigned fs_request_timeout_ms(struct siphon_client *c)
{
	double t;

	if (!config_get_seconds(c->cfg, "client_request_timeout", &t) && t > 0 &&
	    t < 86400 * 7)
		return (unsigned)(t * 1000);
	return REQUEST_TIMEOUT_MS;
}

int fs_run(struct siphon_client *c, struct mds_request *req,
	   const char *what, const char *path)
{
	int r;

	req->msg.caller_uid = (uint32_t)geteuid();
	req->msg.caller_gid = (uint32_t)getegid();
	r = mdsc_do_request(c->mdsc, req, fs_request_timeout_ms(c));
	if (r)
		client_fail(c, r, "%s %s: %s", what, path, strerror(-r));
	return r;
}

struct mds_request *fs_req(struct siphon_client *c, uint32_t op, uint64_t ino,
			   const char *path)
{
	struct mds_request *req = mdsc_request_new(op);

	if (!req || mdsc_request_set_path(req, ino, path)) {
		mdsc_request_put(req);
		client_fail(c, -ENOMEM, "out of memory");
		return NULL;
	}
	return req;
}

void fs_fill_stat(struct siphon_client *c, struct siphon_stat *st,
		  const struct mds_inode_stat *reply_in)
{
	struct mds_inode_stat ours = *reply_in;
	const struct mds_inode_stat *in = &ours;

	/* what this client changed and has not yet flushed wins over the
	 * MDS's: attributes set under caps, a written file's size, mtime */
	if (c->mdsc)
		mdsc_file_overlay(c->mdsc, &ours);
	memset(st, 0, sizeof(*st));
	st->ino = in->ino;
	st->mode = in->mode;
	st->nlink = in->nlink;
	st->uid = in->uid;
	st->gid = in->gid;
	st->rdev = in->rdev;
	st->size = in->size;
	st->blksize = in->layout.stripe_unit ? in->layout.stripe_unit : 4194304;
	st->blocks = (in->size + 511) / 512;
	st->atime.tv_sec = in->atime.sec;
	st->atime.tv_nsec = in->atime.nsec;
	st->mtime.tv_sec = in->mtime.sec;
	st->mtime.tv_nsec = in->mtime.nsec;
	st->ctime.tv_sec = in->ctime.sec;
	st->ctime.tv_nsec = in->ctime.nsec;
	st->btime.tv_sec = in->btime.sec;
	st->btime.tv_nsec = in->btime.nsec;
	st->files = in->files;
	st->subdirs = in->subdirs;
	st->rbytes = in->rbytes;
	st->rfiles = in->rfiles;
	st->rsubdirs = in->rsubdirs;
	if (S_ISDIR(in->mode)) {
		/* as ceph-fuse and libcephfs present a directory: its size
		 * is its recursive bytes, one block (du must not count the
		 * bytes twice), and links as Unix counts them: the entry in
		 * the parent, ".", and each subdirectory's ".." (0: removed) */
		st->size = in->rbytes;
		st->blocks = 1;
		st->nlink = in->nlink ? 2 + (uint32_t)in->subdirs : 0;
	}
}

/* GETATTR on a normalised path; the reply is left in *out (put it). */
int fs_getattr_req(struct siphon_client *c, uint64_t ino, const char *rel,
		   const char *shown, uint32_t mask, struct mds_request **out)
{
	struct mds_request *req = fs_req(c, CEPH_MDS_OP_GETATTR, ino, rel);
	int r;

	if (!req)
		return -ENOMEM;
	req->msg.args.getattr.mask = mask;
	r = fs_run(c, req, "stat", shown);
	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "stat %s: no inode in the reply", shown);
	if (r) {
		mdsc_request_put(req);
		return r;
	}
	*out = req;
	return 0;
}

/* The length of the parent part of a normalised path ("a/b" of "a/b/c"). */
static size_t dir_len_of(const char *norm)
{
	const char *slash = strrchr(norm, '/');

	return slash ? (size_t)(slash - norm) : 0;
}

/* The parent of a normalised path ("" for a top-level name). */
static void parent_of(const char *norm, char *out, size_t cap)
{
	const char *slash = strrchr(norm, '/');
	size_t n = slash ? (size_t)(slash - norm) : 0;

	if (n >= cap)
		n = cap - 1;
	memcpy(out, norm, n);
	out[n] = '\0';
}

/* The scalar attributes of a stat from a reply, without its views into
 * a reply that is about to go. */
static void copy_stat(struct mds_inode_stat *out, const struct mds_inode_stat *in)
{
	*out = *in;
	out->frags = NULL;
	out->num_frags = 0;
	out->symlink = NULL;
	out->symlink_len = 0;
	out->xattrs = NULL;
	out->xattrs_len = 0;
	out->inline_data = NULL;
	out->inline_len = 0;
	out->layout.pool_ns = NULL;
	out->layout.pool_ns_len = 0;
}

/* One request about an inode, by number or as (directory, name). */
static int inode_req(struct siphon_client *c, uint32_t op, uint64_t ino,
		     const char *name, size_t n, const char *shown,
		     struct mds_inode_stat *out)
{
	struct mds_request *req;
	char nm[256];
	int r;

	if (n >= sizeof(nm))
		return client_fail(c, -ENAMETOOLONG, "stat %s: %s", shown,
				   strerror(ENAMETOOLONG));
	memcpy(nm, name, n);
	nm[n] = '\0';
	req = fs_req(c, op, ino, nm);
	if (!req)
		return -ENOMEM;
	req->msg.args.getattr.mask = CEPH_STAT_CAP_INODE_ALL;
	r = fs_run(c, req, "stat", shown);
	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "stat %s: no inode in the reply", shown);
	if (!r)
		copy_stat(out, &req->reply.targeti);
	mdsc_request_put(req);
	return r;
}

/* Walks a normalised path as libcephfs does: each component from a
 * dentry the MDS still vouches for (a lease, or the directory's Fs cap),
 * else by a LOOKUP whose reply teaches the cache; then the inode's
 * attributes while the caps covering them (As, Ls, Fs) are held
 * unchanged, else a GETATTR. -EAGAIN: a symlink on the way, which the
 * caller resolves with a path GETATTR. */
int fs_walk(struct siphon_client *c, const char *norm, const char *shown,
	    struct mds_inode_stat *in, bool ino_only)
{
	uint64_t ino = CEPH_INO_ROOT, child;
	const char *p = norm;
	int r;

	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (mdsc_cached_lookup(c->mdsc, ino, p, n, &child)) {
			r = inode_req(c, CEPH_MDS_OP_LOOKUP, ino, p, n, shown, in);
			if (r)
				return r;
			if (e && S_ISLNK(in->mode))
				return -EAGAIN;
			child = in->ino;
		}
		ino = child;
		p += n;
		if (*p == '/')
			p++;
	}
	if (ino_only) {
		memset(in, 0, sizeof(*in));
		in->ino = ino;
		return 0;
	}
	if (!mdsc_cached_getattr(c->mdsc, ino, CEPH_CAP_AUTH_SHARED |
				 CEPH_CAP_LINK_SHARED | CEPH_CAP_FILE_SHARED, in))
		return 0;
	return inode_req(c, CEPH_MDS_OP_GETATTR, ino, "", 0, shown, in);
}

static int walk_stat(struct siphon_client *c, const char *norm,
		     const char *shown, struct mds_inode_stat *in)
{
	return fs_walk(c, norm, shown, in, false);
}

/* The normalised path a symlink at norm leads to: an absolute target from
 * the mounted root, a relative one from the link's directory. */
static int link_resolve(struct siphon_client *c, const char *norm,
			const char *target, size_t len, char out[PATH_MAX_LEN])
{
	char next[PATH_MAX_LEN];

	if (len && target[0] == '/') {
		snprintf(next, sizeof(next), "%.*s", (int)len, target);
	} else {
		char dir[PATH_MAX_LEN];

		parent_of(norm, dir, sizeof(dir));
		/* relative to the mount: strip the root again */
		snprintf(next, sizeof(next), "%s/%.*s", dir + strlen(c->root),
			 (int)len, target);
	}
	return norm_path(c, next, out, PATH_MAX_LEN);
}

static int do_stat(struct siphon_client *c, const char *path,
		   struct siphon_stat *st, bool follow)
{
	char norm[PATH_MAX_LEN], next[PATH_MAX_LEN];
	struct mds_request *req;
	int r;

	r = fs_resolve(c, "stat", path, norm);
	if (r)
		return r;
	for (int depth = 0;; depth++) {
		const struct mds_inode_stat *in;
		struct mds_inode_stat walked;

		r = walk_stat(c, norm, path, &walked);
		if (!r && (!follow || !S_ISLNK(walked.mode))) {
			fs_fill_stat(c, st, &walked);
			return 0;
		}
		if (r && r != -EAGAIN)
			return r;
		/* a symlink to follow: the MDS gives its target */
		r = fs_getattr_req(c, CEPH_INO_ROOT, norm, path, CEPH_STAT_CAP_INODE_ALL, &req);
		if (r)
			return r;
		in = &req->reply.targeti;
		if (!follow || !S_ISLNK(in->mode)) {
			fs_fill_stat(c, st, in);
			mdsc_request_put(req);
			return 0;
		}
		if (depth == MAX_SYMLINK_DEPTH) {
			mdsc_request_put(req);
			return client_fail(c, -ELOOP, "stat %s: %s", path,
					   strerror(ELOOP));
		}
		r = link_resolve(c, norm, in->symlink, in->symlink_len, next);
		mdsc_request_put(req);
		if (r)
			return client_fail(c, r, "%s: %s", path, strerror(-r));
		memcpy(norm, next, sizeof(norm));
	}
}

int fs_link_target(struct siphon_client *c, const char *norm,
		   const char *shown, char next[PATH_MAX_LEN])
{
	struct mds_request *req;
	const struct mds_inode_stat *in;
	int r;

	r = fs_getattr_req(c, CEPH_INO_ROOT, norm, shown, CEPH_STAT_CAP_INODE_ALL, &req);
	if (r)
		return r;
	in = &req->reply.targeti;
	r = S_ISLNK(in->mode) ?
	    link_resolve(c, norm, in->symlink, in->symlink_len, next) : -EINVAL;
	mdsc_request_put(req);
	if (r)
		return client_fail(c, r, "%s: %s", shown, strerror(-r));
	return 0;
}

SIPHON_API int siphon_stat(struct siphon_client *c, const char *path,
			   struct siphon_stat *st)
{
	return do_stat(c, path, st, true);
}

SIPHON_API int siphon_lstat(struct siphon_client *c, const char *path,
			    struct siphon_stat *st)
{
	return do_stat(c, path, st, false);
}

/* A request on one path with no reply data the caller needs. */
static int simple_op(struct siphon_client *c, uint32_t op, const char *what,
		     const char *path, struct mds_request **keep,
		     void (*setup)(struct mds_request *, const void *),
		     const void *arg)
{
	char norm[PATH_MAX_LEN];
	struct mds_request *req;
	int r;

	r = fs_resolve(c, what, path, norm);
	if (r)
		return r;
	if (!strcmp(norm, c->root) && op != CEPH_MDS_OP_SETATTR &&
	    op != CEPH_MDS_OP_SETXATTR && op != CEPH_MDS_OP_RMXATTR)
		return client_fail(c, -EBUSY, "%s %s: %s", what, path,
				   strerror(EBUSY));
	req = fs_req(c, op, CEPH_INO_ROOT, norm);
	if (!req)
		return -ENOMEM;
	if (setup)
		setup(req, arg);
	r = fs_run(c, req, what, path);
	if (keep && !r)
		*keep = req;
	else
		mdsc_request_put(req);
	return r;
}

static void setup_mkdir(struct mds_request *req, const void *arg)
{
	req->msg.args.mkdir.mode = S_IFDIR | (*(const uint32_t *)arg & 07777);
}

SIPHON_API int siphon_mkdir(struct siphon_client *c, const char *path,
			    uint32_t mode)
{
	return simple_op(c, CEPH_MDS_OP_MKDIR, "mkdir", path, NULL, setup_mkdir,
			 &mode);
}

SIPHON_API int siphon_mkdirs(struct siphon_client *c, const char *path,
			     uint32_t mode)
{
	char norm[PATH_MAX_LEN], part[PATH_MAX_LEN];
	struct siphon_stat st;
	size_t rootlen = strlen(c->root);
	int r;

	r = fs_resolve(c, "mkdir", path, norm);
	if (r)
		return r;
	/* walk down from the root, creating what is missing */
	for (size_t i = rootlen; ; i++) {
		if (norm[i] != '/' && norm[i] != '\0')
			continue;
		if (i > rootlen) {
			memcpy(part, norm + rootlen, i - rootlen);
			part[i - rootlen] = '\0';
			r = siphon_mkdir(c, part, mode);
			if (r == -EEXIST) {
				r = siphon_stat(c, part, &st);
				if (!r && !S_ISDIR(st.mode))
					r = client_fail(c, -ENOTDIR, "mkdir %s: %s",
							part, strerror(ENOTDIR));
			}
			if (r)
				return r;
		}
		if (!norm[i])
			break;
	}
	return 0;
}

SIPHON_API int siphon_rmdir(struct siphon_client *c, const char *path)
{
	return simple_op(c, CEPH_MDS_OP_RMDIR, "rmdir", path, NULL, NULL, NULL);
}

SIPHON_API int siphon_unlink(struct siphon_client *c, const char *path)
{
	return simple_op(c, CEPH_MDS_OP_UNLINK, "unlink", path, NULL, NULL, NULL);
}

struct mknod_args {
	uint32_t mode, rdev;
};

static void setup_mknod(struct mds_request *req, const void *arg)
{
	const struct mknod_args *a = arg;

	req->msg.args.mknod.mode = a->mode;
	req->msg.args.mknod.rdev = a->rdev;
}

SIPHON_API int siphon_mknod(struct siphon_client *c, const char *path,
			    uint32_t mode, uint32_t rdev)
{
	struct mknod_args a = { mode, rdev };

	if (!(mode & S_IFMT))
		a.mode |= S_IFREG;
	return simple_op(c, CEPH_MDS_OP_MKNOD, "mknod", path, NULL, setup_mknod,
			 &a);
}

/* Splits a normalised path into its parent's inode and its last name:
 * the MDS wants both paths of a rename or link as (directory, name). */
int fs_parent_and_name(struct siphon_client *c, const char *norm,
		       const char *shown, uint64_t *dir_ino, const char **name)
{
	char parent[PATH_MAX_LEN];
	struct mds_inode_stat in;
	int r;

	parent_of(norm, parent, sizeof(parent));
	*name = strrchr(norm, '/') ? strrchr(norm, '/') + 1 : norm;
	if (!parent[0]) {
		*dir_ino = CEPH_INO_ROOT;
		return 0;
	}
	/* only the directory's number is needed: the MDS checks the rest */
	r = fs_walk(c, parent, shown, &in, true);
	if (r == -EAGAIN)
		r = client_fail(c, -ENOTDIR, "%s: %s", shown, strerror(ENOTDIR));
	if (r)
		return r;
	*dir_ino = in.ino;
	return 0;
}

/* Two-path ops: the request's path is `to`, path2 is `from`; both are
 * sent as (parent inode, name). */
static int two_path_op(struct siphon_client *c, uint32_t op, const char *what,
		       const char *from, const char *to)
{
	char nfrom[PATH_MAX_LEN], nto[PATH_MAX_LEN];
	const char *from_name, *to_name;
	uint64_t from_dir, to_dir;
	struct mds_request *req;
	int r;

	if (!c->mounted)
		return not_mounted(c);
	r = norm_path(c, to, nto, sizeof(nto));
	if (!r)
		r = norm_path(c, from, nfrom, sizeof(nfrom));
	if (r)
		return client_fail(c, r, "%s %s: %s", what, to, strerror(-r));
	if (!strcmp(nto, c->root) || !strcmp(nfrom, c->root))
		return client_fail(c, -EBUSY, "%s %s: %s", what, from,
				   strerror(EBUSY));
	r = fs_parent_and_name(c, nto, to, &to_dir, &to_name);
	if (r)
		return r;
	if (dir_len_of(nto) == dir_len_of(nfrom) &&
	    !strncmp(nto, nfrom, dir_len_of(nto))) {
		/* same directory: one lookup serves both */
		from_dir = to_dir;
		from_name = nfrom + (nfrom[dir_len_of(nfrom)] == '/' ?
				     dir_len_of(nfrom) + 1 : 0);
	} else {
		r = fs_parent_and_name(c, nfrom, from, &from_dir, &from_name);
		if (r)
			return r;
	}
	req = fs_req(c, op, to_dir, to_name);
	if (!req)
		return -ENOMEM;
	if (mdsc_request_set_path2(req, from_dir, from_name)) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	r = fs_run(c, req, what, from);
	mdsc_request_put(req);
	return r;
}

SIPHON_API int siphon_rename(struct siphon_client *c, const char *from,
			     const char *to)
{
	return two_path_op(c, CEPH_MDS_OP_RENAME, "rename", from, to);
}

SIPHON_API int siphon_link(struct siphon_client *c, const char *existing,
			   const char *newpath)
{
	return two_path_op(c, CEPH_MDS_OP_LINK, "link", existing, newpath);
}

SIPHON_API int siphon_symlink(struct siphon_client *c, const char *target,
			      const char *linkpath)
{
	char norm[PATH_MAX_LEN];
	struct mds_request *req;
	int r;

	r = fs_resolve(c, "symlink", linkpath, norm);
	if (r)
		return r;
	req = fs_req(c, CEPH_MDS_OP_SYMLINK, CEPH_INO_ROOT, norm);
	if (!req)
		return -ENOMEM;
	/* the target is a plain string, sent as the second path */
	if (mdsc_request_set_path2(req, 0, target)) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	r = fs_run(c, req, "symlink", linkpath);
	mdsc_request_put(req);
	return r;
}

SIPHON_API int siphon_readlink(struct siphon_client *c, const char *path,
			       char *buf, size_t size)
{
	char norm[PATH_MAX_LEN];
	struct mds_request *req;
	const struct mds_inode_stat *in;
	int r;

	r = fs_resolve(c, "readlink", path, norm);
	if (r)
		return r;
	r = fs_getattr_req(c, CEPH_INO_ROOT, norm, path, CEPH_STAT_CAP_INODE_ALL, &req);
	if (r)
		return r;
	in = &req->reply.targeti;
	if (!S_ISLNK(in->mode)) {
		mdsc_request_put(req);
		return client_fail(c, -EINVAL, "readlink %s: %s", path,
				   strerror(EINVAL));
	}
	r = (int)in->symlink_len;
	if (size) {
		size_t n = in->symlink_len < size ? in->symlink_len : size;

		memcpy(buf, in->symlink, n);
		if (n < size)
			buf[n] = '\0';
	}
	mdsc_request_put(req);
	return r;
}

struct setattr_args {
	uint32_t mask, mode, uid, gid;
	struct timespec atime, mtime;
};

static void setup_setattr(struct mds_request *req, const void *arg)
{
	const struct setattr_args *a = arg;

	req->msg.args.setattr.mask = a->mask;
	req->msg.args.setattr.mode = a->mode;
	req->msg.args.setattr.uid = a->uid;
	req->msg.args.setattr.gid = a->gid;
	req->msg.args.setattr.atime.sec = (uint32_t)a->atime.tv_sec;
	req->msg.args.setattr.atime.nsec = (uint32_t)a->atime.tv_nsec;
	req->msg.args.setattr.mtime.sec = (uint32_t)a->mtime.tv_sec;
	req->msg.args.setattr.mtime.nsec = (uint32_t)a->mtime.tv_nsec;
}

SIPHON_API int siphon_chmod(struct siphon_client *c, const char *path,
			    uint32_t mode)
{
	struct setattr_args a = { .mask = CEPH_SETATTR_MODE, .mode = mode & 07777 };

	return simple_op(c, CEPH_MDS_OP_SETATTR, "chmod", path, NULL,
			 setup_setattr, &a);
}

SIPHON_API int siphon_chown(struct siphon_client *c, const char *path,
			    uint32_t uid, uint32_t gid)
{
	struct setattr_args a = { .uid = uid, .gid = gid };

	if (uid != (uint32_t)-1)
		a.mask |= CEPH_SETATTR_UID;
	if (gid != (uint32_t)-1)
		a.mask |= CEPH_SETATTR_GID;
	if (!a.mask)
		return 0;
	return simple_op(c, CEPH_MDS_OP_SETATTR, "chown", path, NULL,
			 setup_setattr, &a);
}

SIPHON_API int siphon_utimes(struct siphon_client *c, const char *path,
			     const struct timespec *atime,
			     const struct timespec *mtime)
{
	struct setattr_args a = { .mask = CEPH_SETATTR_ATIME | CEPH_SETATTR_MTIME };
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	a.atime = atime ? *atime : now;
	a.mtime = mtime ? *mtime : now;
	return simple_op(c, CEPH_MDS_OP_SETATTR, "utimes", path, NULL,
			 setup_setattr, &a);
}

/* ---- readdir ---- */

/* frag_t: 24 bits of value under a count of significant bits in the top
 * byte. The next fragment to the right, or 0 after the rightmost. */
static bool frag_next(uint32_t frag, uint32_t *next)
{
	uint32_t bits = frag >> 24, value = frag & 0xffffff;
	uint32_t step, mask;

	if (bits == 0)
		return false;
	step = 1u << (24 - bits);
	mask = (0xffffffu << (24 - bits)) & 0xffffff;
	if ((value & mask) == mask)
		return false;	/* rightmost */
	*next = (bits << 24) | ((value + step) & mask);
	return true;
}

/* A listing being collected to be cached. */
struct names {
	char **v;
	uint64_t *inos;
	uint32_t n, cap;
	bool failed;
};

static void names_add(struct names *l, const char *name, uint64_t ino)
{
	if (l->failed)
		return;
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 256;
		char **v = realloc(l->v, cap * sizeof(*v));
		uint64_t *inos = v ? realloc(l->inos, cap * sizeof(*inos)) : NULL;

		if (v)
			l->v = v;
		if (!v || !inos) {
			l->failed = true;
			return;
		}
		l->inos = inos;
		l->cap = cap;
	}
	l->v[l->n] = strdup(name);
	if (!l->v[l->n]) {
		l->failed = true;
		return;
	}
	l->inos[l->n++] = ino;
}

static void names_free(struct names *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->inos);
}

/* Serves a directory from its cached complete listing; -ENOENT if the
 * cache cannot vouch for it. */
static int readdir_cached(struct siphon_client *c, uint64_t dir,
			  int (*fn)(void *arg, const struct siphon_dirent *d),
			  void *arg)
{
	struct mdsc_cached_entry *e;
	uint32_t n;
	int r = 0;

	if (mdsc_cached_listing(c->mdsc, dir, &e, &n))
		return -ENOENT;
	for (uint32_t i = 0; i < n && !r; i++) {
		struct siphon_dirent d;

		d.name = e[i].name;
		fs_fill_stat(c, &d.st, &e[i].st);
		r = fn(arg, &d);
	}
	mdsc_free_entries(e, n);
	return r;
}

/* Lists a directory named by (ino, rel): rel "" for the inode itself,
 * else a path below it (the MDS walks it). With the directory's number
 * known (dir_ino), a cached complete listing serves and a new one is
 * kept. */
int fs_readdir_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		   uint64_t dir_ino, const char *path,
		   int (*fn)(void *arg, const struct siphon_dirent *d), void *arg)
{
	char last[256] = "";
	struct mdsc_listing_token tok;
	struct names keep = { 0 };
	bool cacheable = false;
	uint32_t frag = 0;
	int r;

	if (dir_ino) {
		r = readdir_cached(c, dir_ino, fn, arg);
		if (r != -ENOENT)
			return r;
		cacheable = true;	/* if the first reply says so */
	}
	for (;;) {
		struct mds_request *req = fs_req(c, CEPH_MDS_OP_READDIR, ino, rel);
		const struct mds_reply *rep;
		bool end;

		if (!req) {
			names_free(&keep);
			return -ENOMEM;
		}
		req->msg.args.readdir.frag = frag;
		req->msg.args.readdir.flags = CEPH_READDIR_REPLY_BITFLAGS;
		if (last[0] && mdsc_request_set_path2(req, 0, last)) {
			mdsc_request_put(req);
			names_free(&keep);
			return client_fail(c, -ENOMEM, "out of memory");
		}
		r = fs_run(c, req, "readdir", path);
		if (r) {
			mdsc_request_put(req);
			names_free(&keep);
			return r;
		}
		rep = &req->reply;
		if (!req->have_reply || !rep->has_readdir) {
			mdsc_request_put(req);
			names_free(&keep);
			return client_fail(c, -EIO, "readdir %s: no entries in reply",
					   path);
		}
		if (cacheable && !keep.n && !last[0] && !frag) {
			/* the first reply: what vouched for the directory then */
			cacheable = req->listing_ok && rep->targeti.ino == dir_ino;
			tok = req->listing;
		}
		for (uint32_t i = 0; i < rep->num_entries; i++) {
			const struct mds_readdir_entry *e = &rep->entries[i];
			char name[256];
			struct siphon_dirent d;

			snprintf(name, sizeof(name), "%.*s", (int)e->name_len, e->name);
			d.name = name;
			fs_fill_stat(c, &d.st, &e->inode);
			if (cacheable)
				names_add(&keep, name, e->inode.ino);
			r = fn(arg, &d);
			if (r) {
				mdsc_request_put(req);
				names_free(&keep);
				return r;
			}
		}
		end = rep->readdir_flags & CEPH_READDIR_FRAG_END;
		frag = rep->readdir_dir.frag;
		if (!end && rep->num_entries) {
			const struct mds_readdir_entry *e =
				&rep->entries[rep->num_entries - 1];

			snprintf(last, sizeof(last), "%.*s", (int)e->name_len,
				 e->name);
		} else {
			last[0] = '\0';
			if (!end || !frag_next(frag, &frag)) {
				mdsc_request_put(req);
				/* the whole directory went by: keep it */
				if (cacheable && end && !keep.failed)
					mdsc_cache_listing(c->mdsc, dir_ino, &tok,
							   keep.v, keep.inos, keep.n);
				names_free(&keep);
				return 0;
			}
		}
		mdsc_request_put(req);
	}
}

SIPHON_API int siphon_readdir(struct siphon_client *c, const char *path,
			      int (*fn)(void *arg, const struct siphon_dirent *d),
			      void *arg)
{
	char norm[PATH_MAX_LEN];
	struct mds_inode_stat dir;
	int r;

	r = fs_resolve(c, "readdir", path, norm);
	if (r)
		return r;
	if (fs_walk(c, norm, path, &dir, true))
		dir.ino = 0;	/* a symlink on the way: the MDS walks it */
	return fs_readdir_ino(c, CEPH_INO_ROOT, norm, dir.ino, path, fn, arg);
}

/* ---- xattrs ---- */

struct xattr_args {
	const char *name;
	const void *value;
	size_t size;
	int flags;
};

static void setup_setxattr(struct mds_request *req, const void *arg)
{
	const struct xattr_args *a = arg;

	req->msg.args.setxattr.flags = (uint32_t)a->flags;
	if (mdsc_request_set_path2(req, 0, a->name) ||
	    (a->value && mdsc_request_set_data(req, a->value, a->size)))
		req->aborted = true;
}

/* POSIX ACLs and the other system.* attributes are not supported, as in
 * ceph-fuse and libcephfs without client_acl_type: they fail with
 * EOPNOTSUPP, so that cp -a, tar and rsync fall back to chmod rather
 * than store an ACL that nothing would enforce. */
static int refuse_system_xattr(struct siphon_client *c, const char *what,
			       const char *shown, const char *name)
{
	if (strncmp(name, "system.", 7))
		return 0;
	return client_fail(c, -EOPNOTSUPP, "%s %s %s: %s", what, shown, name,
			   strerror(EOPNOTSUPP));
}

/* SETXATTR / RMXATTR name the inode by number: given a path, a Pacific
 * MDS applies ceph.* virtual attributes to the path's parent. */
static int xattr_op_ino(struct siphon_client *c, uint32_t op, const char *what,
			uint64_t ino, const char *shown,
			const struct xattr_args *a)
{
	struct mds_request *req;
	int r = refuse_system_xattr(c, what, shown, a->name);

	if (r)
		return r;
	req = fs_req(c, op, ino, "");
	if (!req)
		return -ENOMEM;
	setup_setxattr(req, a);
	if (req->aborted) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	r = fs_run(c, req, what, shown);
	mdsc_request_put(req);
	return r;
}

static int xattr_op(struct siphon_client *c, uint32_t op, const char *what,
		    const char *path, const struct xattr_args *a)
{
	char norm[PATH_MAX_LEN];
	struct mds_request *req;
	uint64_t ino;
	int r;

	r = fs_resolve(c, what, path, norm);
	if (r)
		return r;
	r = fs_getattr_req(c, CEPH_INO_ROOT, norm, path, CEPH_STAT_CAP_INODE, &req);
	if (r)
		return r;
	ino = req->reply.targeti.ino;
	mdsc_request_put(req);
	return xattr_op_ino(c, op, what, ino, path, a);
}

int fs_setxattr_ino(struct siphon_client *c, uint64_t ino, const char *shown,
		    const char *name, const void *value, size_t size, int flags)
{
	struct xattr_args a = { name, value, size, 0 };

	if (flags & XATTR_CREATE)
		a.flags |= CEPH_XATTR_CREATE;
	if (flags & XATTR_REPLACE)
		a.flags |= CEPH_XATTR_REPLACE;
	return xattr_op_ino(c, CEPH_MDS_OP_SETXATTR, "setxattr", ino, shown, &a);
}

int fs_removexattr_ino(struct siphon_client *c, uint64_t ino,
		       const char *shown, const char *name)
{
	struct xattr_args a = { name, NULL, 0, 0 };

	return xattr_op_ino(c, CEPH_MDS_OP_RMXATTR, "removexattr", ino, shown, &a);
}

SIPHON_API int siphon_setxattr(struct siphon_client *c, const char *path,
			       const char *name, const void *value,
			       size_t size, int flags)
{
	struct xattr_args a = { name, value, size, 0 };

	if (flags & XATTR_CREATE)
		a.flags |= CEPH_XATTR_CREATE;
	if (flags & XATTR_REPLACE)
		a.flags |= CEPH_XATTR_REPLACE;
	return xattr_op(c, CEPH_MDS_OP_SETXATTR, "setxattr", path, &a);
}

SIPHON_API int siphon_removexattr(struct siphon_client *c, const char *path,
				  const char *name)
{
	struct xattr_args a = { name, NULL, 0, 0 };

	return xattr_op(c, CEPH_MDS_OP_RMXATTR, "removexattr", path, &a);
}

/* An inode's xattrs: from the copy the MDS client keeps under an Xs cap
 * (an inode named by number, when its stat is not needed), else from a
 * GETATTR, whose reply (req) holds the stat. */
struct xattrs {
	struct mds_request *req;
	uint8_t *blob;			/* the cached copy v points into */
	struct mds_xattr *v;
	uint32_t n;
};

static void put_xattrs(struct xattrs *x)
{
	free(x->v);
	free(x->blob);
	mdsc_request_put(x->req);
}

static int get_xattrs(struct siphon_client *c, uint64_t ino, const char *rel,
		      const char *shown, bool need_stat, struct xattrs *x)
{
	const uint8_t *p;
	uint32_t len = 0;
	int r;

	memset(x, 0, sizeof(*x));
	if (!need_stat && !*rel &&
	    !mdsc_cached_xattrs(c->mdsc, ino, &x->blob, &len)) {
		p = x->blob;
	} else {
		r = fs_getattr_req(c, ino, rel, shown, CEPH_STAT_CAP_INODE_ALL |
				   CEPH_CAP_XATTR_SHARED, &x->req);
		if (r)
			return r;
		p = x->req->reply.targeti.xattrs;
		len = x->req->reply.targeti.xattrs_len;
	}
	r = mds_xattrs_decode(p, len, &x->v, &x->n);
	if (r) {
		put_xattrs(x);
		return client_fail(c, r, "%s: bad xattrs from the MDS", shown);
	}
	return 0;
}

/* Ceph's virtual attributes, computed from the inode as libcephfs
 * does: layouts, recursive statistics, quotas, pins. */
static int vxattr(struct siphon_client *c, const struct mds_inode_stat *in,
		  const char *name, char *out, size_t cap)
{
	bool dir = S_ISDIR(in->mode);
	const char *pool = NULL;
	char poolbuf[128];

	if (!strncmp(name, "ceph.dir.", 9) && !dir)
		return -ENODATA;
	if (!strncmp(name, "ceph.file.", 10) && dir)
		return -ENODATA;
	if (strstr(name, ".layout")) {
		/* a directory has a layout only once one was set on it */
		if (dir && !in->layout.stripe_unit)
			return -ENODATA;
		pthread_mutex_lock(&c->lock);
		if (c->osdmap) {
			const struct pg_pool *p = osdmap_pool(c->osdmap, in->layout.pool_id);

			if (p) {
				snprintf(poolbuf, sizeof(poolbuf), "%s", p->name);
				pool = poolbuf;
			}
		}
		pthread_mutex_unlock(&c->lock);
		if (!pool) {
			snprintf(poolbuf, sizeof(poolbuf), "%lld",
				 (long long)in->layout.pool_id);
			pool = poolbuf;
		}
	}
	if (!strcmp(name, "ceph.dir.layout") || !strcmp(name, "ceph.file.layout"))
		return snprintf(out, cap,
				"stripe_unit=%u stripe_count=%u object_size=%u pool=%s%s%.*s",
				in->layout.stripe_unit, in->layout.stripe_count,
				in->layout.object_size, pool,
				in->layout.pool_ns_len ? " pool_namespace=" : "",
				(int)in->layout.pool_ns_len,
				in->layout.pool_ns ? in->layout.pool_ns : "");
	if (strstr(name, "layout.stripe_unit"))
		return snprintf(out, cap, "%u", in->layout.stripe_unit);
	if (strstr(name, "layout.stripe_count"))
		return snprintf(out, cap, "%u", in->layout.stripe_count);
	if (strstr(name, "layout.object_size"))
		return snprintf(out, cap, "%u", in->layout.object_size);
	if (strstr(name, "layout.pool_namespace"))
		return snprintf(out, cap, "%.*s", (int)in->layout.pool_ns_len,
				in->layout.pool_ns ? in->layout.pool_ns : "");
	if (strstr(name, "layout.pool"))
		return snprintf(out, cap, "%s", pool);
	if (!strcmp(name, "ceph.dir.entries"))
		return snprintf(out, cap, "%llu", (unsigned long long)(in->files + in->subdirs));
	if (!strcmp(name, "ceph.dir.files"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->files);
	if (!strcmp(name, "ceph.dir.subdirs"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->subdirs);
	if (!strcmp(name, "ceph.dir.rentries"))
		return snprintf(out, cap, "%llu", (unsigned long long)(in->rfiles + in->rsubdirs));
	if (!strcmp(name, "ceph.dir.rfiles"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->rfiles);
	if (!strcmp(name, "ceph.dir.rsubdirs"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->rsubdirs);
	if (!strcmp(name, "ceph.dir.rbytes"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->rbytes);
	if (!strcmp(name, "ceph.dir.rctime"))
		return snprintf(out, cap, "%u.%09u", in->rctime.sec, in->rctime.nsec);
	if (!strcmp(name, "ceph.dir.pin"))
		return snprintf(out, cap, "%d", in->dir_pin == -ENODATA ? -1 : in->dir_pin);
	if (!strcmp(name, "ceph.quota.max_bytes"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->quota_max_bytes);
	if (!strcmp(name, "ceph.quota.max_files"))
		return snprintf(out, cap, "%llu", (unsigned long long)in->quota_max_files);
	if (!strcmp(name, "ceph.quota") && (in->quota_max_bytes || in->quota_max_files))
		return snprintf(out, cap, "max_bytes=%llu max_files=%llu",
				(unsigned long long)in->quota_max_bytes,
				(unsigned long long)in->quota_max_files);
	return -ENODATA;
}

int fs_getxattr_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		    const char *path, const char *name, void *value,
		    size_t size)
{
	bool virt = !strncmp(name, "ceph.", 5);
	struct mds_xattr *xs;
	struct xattrs x;
	int r = refuse_system_xattr(c, "getxattr", path, name);

	if (!r)
		r = get_xattrs(c, ino, rel, path, virt, &x);
	if (r)
		return r;
	xs = x.v;
	r = -ENODATA;
	if (virt) {
		char buf[512];
		int len = vxattr(c, &x.req->reply.targeti, name, buf, sizeof(buf));

		if (len >= 0) {
			r = len;
			if (size && (size_t)len > size)
				r = -ERANGE;
			else if (size)
				memcpy(value, buf, (size_t)len);
		}
	} else {
		for (uint32_t i = 0; i < x.n; i++) {
			if (xs[i].name_len != strlen(name) ||
			    memcmp(xs[i].name, name, xs[i].name_len))
				continue;
			r = (int)xs[i].value_len;
			if (size && xs[i].value_len > size)
				r = -ERANGE;
			else if (size)
				memcpy(value, xs[i].value, xs[i].value_len);
			break;
		}
	}
	put_xattrs(&x);
	if (r < 0)
		client_fail(c, r, "getxattr %s %s: %s", path, name, strerror(-r));
	return r;
}

int fs_listxattr_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		     const char *path, char *list, size_t size)
{
	struct mds_xattr *xs;
	struct xattrs x;
	uint32_t n;
	size_t need = 0;
	int r;

	r = get_xattrs(c, ino, rel, path, false, &x);
	if (r)
		return r;
	xs = x.v;
	n = x.n;
	for (uint32_t i = 0; i < n; i++)
		need += xs[i].name_len + 1;
	if (size && need > size) {
		r = client_fail(c, -ERANGE, "listxattr %s: %s", path, strerror(ERANGE));
	} else {
		if (size) {
			size_t off = 0;

			for (uint32_t i = 0; i < n; i++) {
				memcpy(list + off, xs[i].name, xs[i].name_len);
				off += xs[i].name_len;
				list[off++] = '\0';
			}
		}
		r = (int)need;
	}
	put_xattrs(&x);
	return r;
}

SIPHON_API int siphon_getxattr(struct siphon_client *c, const char *path,
			       const char *name, void *value, size_t size)
{
	char norm[PATH_MAX_LEN];
	int r = fs_resolve(c, "getxattr", path, norm);

	return r ? r : fs_getxattr_ino(c, CEPH_INO_ROOT, norm, path, name,
				       value, size);
}

SIPHON_API int siphon_listxattr(struct siphon_client *c, const char *path,
				char *list, size_t size)
{
	char norm[PATH_MAX_LEN];
	int r = fs_resolve(c, "listxattr", path, norm);

	return r ? r : fs_listxattr_ino(c, CEPH_INO_ROOT, norm, path, list, size);
}

SIPHON_API int siphon_sync_fs(struct siphon_client *c)
{
	int r;

	if (!c->mounted)
		return not_mounted(c);
	r = mdsc_sync(c->mdsc, REQUEST_TIMEOUT_MS);
	if (r)
		return client_fail(c, r, "sync: %s", strerror(-r));
	return 0;
}

SIPHON_API int siphon_fsync_path(struct siphon_client *c, const char *path)
{
	char norm[PATH_MAX_LEN];
	struct mds_request *req;
	uint64_t ino;
	int r;

	r = fs_resolve(c, "fsync", path, norm);
	if (r)
		return r;
	r = fs_getattr_req(c, CEPH_INO_ROOT, norm, path, CEPH_STAT_CAP_INODE, &req);
	if (r)
		return r;
	ino = req->reply.targeti.ino;
	mdsc_request_put(req);
	r = mdsc_sync_ino(c->mdsc, ino, REQUEST_TIMEOUT_MS);
	if (r)
		return client_fail(c, r, "fsync %s: %s", path, strerror(-r));
	return 0;
}

/* ---- mount ---- */

/* Picks the file system: client_fs (or the older client_mds_namespace),
 * else the cluster's default, else the only one. */
static int choose_fs_locked(struct siphon_client *c, int32_t *fscid)
{
	const char *name = config_get(c->cfg, "client_fs");
	const struct fsmap_fs *fs = NULL;

	if (!name || !*name)
		name = config_get(c->cfg, "client_mds_namespace");
	if (name && *name) {
		fs = fsmap_fs_by_name(c->fsmap, name);
		if (!fs)
			return client_fail(c, -ENOENT, "no file system named '%s'",
					   name);
	} else if (c->fsmap->legacy_client_fscid >= 0) {
		fs = fsmap_fs_by_id(c->fsmap, c->fsmap->legacy_client_fscid);
	} else if (c->fsmap->num_fs == 1) {
		fs = &c->fsmap->fs[0];
	}
	if (!fs)
		return client_fail(c, -ENOENT, c->fsmap->num_fs ?
				   "several file systems and no default: set client_fs" :
				   "the cluster has no file system");
	*fscid = fs->fscid;
	return 0;
}

SIPHON_API int siphon_mount(struct siphon_client *c, const char *root)
{
	struct mdsc_config mcfg = { 0 };
	struct siphon_stat st;
	char host[64] = "", rootbuf[PATH_MAX_LEN];
	int32_t fscid = -1;
	int r;

	if (c->mounted)
		return 0;
	r = siphon_connect(c);
	if (r)
		return r;
	if (!root)
		root = config_get(c->cfg, "client_mountpoint");
	if (!root || !*root)
		root = "/";
	pthread_mutex_lock(&c->lock);
	r = choose_fs_locked(c, &fscid);
	pthread_mutex_unlock(&c->lock);
	if (r)
		return r;

	gethostname(host, sizeof(host) - 1);
	mcfg.hostname = host;
	mcfg.entity_id = config_id(c->cfg);
	mcfg.root = root;
	c->mdsc = mdsc_create(c->msgr, c->auth, &mcfg);
	if (!c->mdsc)
		return client_fail(c, -ENOMEM, "out of memory");
	mdsc_set_evicted_hook(c->mdsc, client_evicted, c);
	pthread_mutex_lock(&c->lock);
	c->fscid = fscid;
	client_feed_mdsmap_locked(c);
	pthread_mutex_unlock(&c->lock);
	r = mdsc_wait_available(c->mdsc, 30000);
	if (r) {
		mdsc_destroy(c->mdsc, 0);
		c->mdsc = NULL;
		return client_fail(c, r, "no active MDS for the file system within 30 s");
	}
	/* the root is relative to the file system's root inode */
	c->root[0] = '\0';
	c->mounted = true;
	r = norm_path(c, root, rootbuf, sizeof(rootbuf));
	if (!r && rootbuf[0]) {
		r = siphon_stat(c, rootbuf, &st);
		if (!r && !S_ISDIR(st.mode))
			r = client_fail(c, -ENOTDIR, "mount root %s: %s", root,
					strerror(ENOTDIR));
	} else if (!r) {
		r = siphon_stat(c, "/", &st);
	}
	if (r) {
		c->mounted = false;
		mdsc_destroy(c->mdsc, 5000);
		c->mdsc = NULL;
		return r;
	}
	if (strlen(rootbuf) >= sizeof(c->root)) {
		c->mounted = false;
		mdsc_destroy(c->mdsc, 5000);
		c->mdsc = NULL;
		return client_fail(c, -ENAMETOOLONG, "mount root %s: %s", root,
				   strerror(ENAMETOOLONG));
	}
	memcpy(c->root, rootbuf, strlen(rootbuf) + 1);
	c->root_ino = st.ino;
	mdsc_set_keep(c->mdsc, client_keep_held, c);
	aio_configure(c);
	client_notify_init(c);
	if (!c->wb_started) {
		wb_start(c);
		c->wb_started = true;
	}
	return 0;
}

SIPHON_API int siphon_unmount(struct siphon_client *c)
{
	struct mdsc *mc;

	if (!c->mounted)
		return 0;
	/* asynchronous operations still under way finish first, then the
	 * buffered writes of files left open go out */
	aio_drain(c);
	wb_flush_all(c);
	aio_stop(c);
	c->mounted = false;
	if (c->wb_started) {
		wb_stop(c);
		c->wb_started = false;
	}
	/* after siphon_abort() nothing is written back or waited for */
	mdsc_close(c->mdsc,
		   __atomic_load_n(&c->aborted, __ATOMIC_ACQUIRE) ? 0 : 10000);
	pthread_mutex_lock(&c->teardown_lock);
	pthread_mutex_lock(&c->lock);
	mc = c->mdsc;
	c->mdsc = NULL;
	c->fscid = -1;
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_unlock(&c->teardown_lock);
	mdsc_free(mc);
	return 0;
}

SIPHON_API void siphon_abort(struct siphon_client *c)
{
	struct mdsc *mc;
	struct osdc *oc;

	if (!c)
		return;
	pthread_mutex_lock(&c->teardown_lock);
	__atomic_store_n(&c->aborted, true, __ATOMIC_RELEASE);
	pthread_mutex_lock(&c->lock);
	mc = c->mdsc;
	oc = c->osdc;
	pthread_mutex_unlock(&c->lock);
	dout(LOG_CLIENT, 0, "aborted: what is in flight fails");
	/* the OSD ops first: write-behind waiting on them frees its caps */
	osdc_abort(oc);
	mdsc_abort(mc);
	pthread_mutex_unlock(&c->teardown_lock);
}

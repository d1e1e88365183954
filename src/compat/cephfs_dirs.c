/* libcephfs compatibility: directory streams. A stream holds a snapshot of
 * the directory's entries ("." and ".." first, as libcephfs gives them),
 * taken by the first read after opendir or rewinddir (as libcephfs reads
 * the directory then, so a name made in between shows); positions are
 * indexes into it. opendir only checks that the path is a directory.
 * A stream is opened by path (ceph_opendir) or by inode (ceph_ll_opendir);
 * ceph_readdirplus_r hands out an Inode reference per entry from the
 * directory's inode handle. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"

struct dent {
	char *name;
	struct siphon_stat st;
};

struct ceph_dir_result {
	char *path;		/* NULL: opened by inode */
	struct siphon_inode *din;	/* the directory's handle, once needed */
	struct dent *ents;
	size_t n, cap, pos;
	bool loaded;		/* ents is this pass's snapshot */
	struct dirent de;	/* what ceph_readdir returns */
};

static int add_entry(struct ceph_dir_result *d, const char *name,
		     const struct siphon_stat *st)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct dent *e = realloc(d->ents, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		d->ents = e;
		d->cap = cap;
	}
	d->ents[d->n].name = strdup(name);
	if (!d->ents[d->n].name)
		return -ENOMEM;
	d->ents[d->n].st = *st;
	d->n++;
	return 0;
}

static int collect(void *arg, const struct siphon_dirent *e)
{
	return add_entry(arg, e->name, &e->st);
}

static void free_entries(struct ceph_dir_result *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->ents[i].name);
	free(d->ents);
	d->ents = NULL;
	d->n = d->cap = 0;
}

/* The entries of a directory opened by inode. */
static int read_by_inode(struct ceph_mount_info *cm, struct ceph_dir_result *s)
{
	struct siphon_inode *up;
	struct siphon_dir *sd;
	struct siphon_dirent e;
	struct siphon_stat st;
	int r;

	r = siphon_ll_getattr(cm->c, s->din, &st, NULL);
	if (r)
		return r;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	r = add_entry(s, ".", &st);
	if (r)
		return r;
	r = siphon_ll_lookup(cm->c, s->din, "..", &up, &st, NULL);
	if (r)
		return r;
	siphon_ll_put(cm->c, up, 1);
	r = add_entry(s, "..", &st);
	if (r)
		return r;
	r = siphon_ll_opendir(cm->c, s->din, &sd);
	if (r)
		return r;
	for (uint64_t i = 0; !r && !siphon_ll_readdir(sd, i, &e); i++)
		r = add_entry(s, e.name, &e.st);
	siphon_ll_releasedir(sd);
	return r;
}

/* Reads the directory into a fresh snapshot. */
static int snapshot(struct ceph_mount_info *cm, struct ceph_dir_result *d)
{
	struct ceph_dir_result s = { .path = d->path, .din = d->din };
	char parent[COMPAT_PATH_MAX];
	struct siphon_stat st;
	int r;

	if (!d->path) {
		r = read_by_inode(cm, &s);
		if (r)
			goto fail;
		goto done;
	}
	r = siphon_stat(cm->c, d->path, &st);
	if (r)
		return r;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	r = add_entry(&s, ".", &st);
	if (r)
		goto fail;
	snprintf(parent, sizeof(parent), "%s/..", d->path);
	compat_normalize(parent);
	r = siphon_stat(cm->c, parent, &st);
	if (!r)
		r = add_entry(&s, "..", &st);
	if (!r)
		r = siphon_readdir(cm->c, d->path, collect, &s);
	if (r)
		goto fail;
done:
	free_entries(d);
	d->ents = s.ents;
	d->n = s.n;
	d->cap = s.cap;
	d->loaded = true;
	return 0;
fail:
	free_entries(&s);
	return r;
}

/* The pass's snapshot, taken at its first read. */
static int ensure(struct ceph_mount_info *cm, struct ceph_dir_result *d)
{
	if (d->loaded)
		return 0;
	if (!cm || !cm->mounted)
		return -ENOTCONN;
	return snapshot(cm, d);
}

/* What opendir checks: the directory is one. */
static int check_dir(struct ceph_mount_info *cm, struct ceph_dir_result *d)
{
	struct siphon_stat st;
	int r = d->path ? siphon_stat(cm->c, d->path, &st) :
		siphon_ll_getattr(cm->c, d->din, &st, NULL);

	return r ? r : S_ISDIR(st.mode) ? 0 : -ENOTDIR;
}

static int open_full(struct ceph_mount_info *cm, const char *full,
		     struct ceph_dir_result **dirpp)
{
	struct ceph_dir_result *d = calloc(1, sizeof(*d));
	int r;

	if (!d)
		return -ENOMEM;
	d->path = malloc(COMPAT_PATH_MAX);
	if (!d->path) {
		free(d);
		return -ENOMEM;
	}
	r = compat_follow(cm, full, d->path);
	if (!r) {
		compat_normalize(d->path);
		r = check_dir(cm, d);
	}
	if (r) {
		free(d->path);
		free(d);
		return r;
	}
	*dirpp = d;
	return 0;
}

int ceph_opendir(struct ceph_mount_info *cm, const char *name, struct ceph_dir_result **dirpp)
{
	char full[COMPAT_PATH_MAX];
	int r;

	CHECK_MOUNTED(cm);
	r = compat_path(cm, name, full);
	return r ? r : open_full(cm, full, dirpp);
}

int ceph_fdopendir(struct ceph_mount_info *cm, int dirfd, struct ceph_dir_result **dirpp)
{
	char full[COMPAT_PATH_MAX];
	struct cfd *d;
	bool dir;

	CHECK_MOUNTED(cm);
	d = compat_fd_get(cm, dirfd);
	if (!d)
		return -EBADF;
	dir = d->f == NULL;
	snprintf(full, sizeof(full), "%s", d->path);
	compat_fd_put(cm, d);
	if (!dir)
		return -ENOTDIR;
	return open_full(cm, full, dirpp);
}

int ceph_closedir(struct ceph_mount_info *cm, struct ceph_dir_result *dirp)
{
	if (!dirp)
		return -EINVAL;
	if (dirp->din && cm)
		siphon_ll_put(cm->c, dirp->din, 1);
	free_entries(dirp);
	free(dirp->path);
	free(dirp);
	return 0;
}

static void fill_dirent(struct dirent *de, const struct dent *e, size_t pos)
{
	memset(de, 0, sizeof(*de));
	de->d_ino = e->st.ino;
	de->d_off = (off_t)(pos + 1);	/* where the next entry is */
	de->d_reclen = sizeof(*de);
	de->d_type = (unsigned char)((e->st.mode & S_IFMT) >> 12);
	snprintf(de->d_name, sizeof(de->d_name), "%s", e->name);
}

struct dirent *ceph_readdir(struct ceph_mount_info *cm, struct ceph_dir_result *dirp)
{
	if (!dirp || ensure(cm, dirp) || dirp->pos >= dirp->n)
		return NULL;
	fill_dirent(&dirp->de, &dirp->ents[dirp->pos], dirp->pos);
	dirp->pos++;
	return &dirp->de;
}

int ceph_readdir_r(struct ceph_mount_info *cm, struct ceph_dir_result *dirp, struct dirent *de)
{
	int r;

	if (!dirp || !de)
		return -EINVAL;
	r = ensure(cm, dirp);
	if (r)
		return r;
	if (dirp->pos >= dirp->n)
		return 0;
	fill_dirent(de, &dirp->ents[dirp->pos], dirp->pos);
	dirp->pos++;
	return 1;
}

int ceph_readdirplus_r(struct ceph_mount_info *cm, struct ceph_dir_result *dirp,
		       struct dirent *de, struct ceph_statx *stx, unsigned want,
		       unsigned flags, struct Inode **out)
{
	const struct dent *e;
	int r;

	if (!dirp || !de)
		return -EINVAL;
	if (flags & ~CEPH_REQ_FLAG_MASK)
		return -EINVAL;
	r = ensure(cm, dirp);
	if (r)
		return r;
	if (dirp->pos >= dirp->n)
		return 0;
	e = &dirp->ents[dirp->pos];
	if (out) {
		/* a reference to the entry's inode, by name from the
		 * directory's own handle */
		struct siphon_inode *in;

		CHECK_MOUNTED(cm);
		if (!dirp->din) {
			r = compat_path_inode(cm, dirp->path, &in);
			if (r)
				return r;
			dirp->din = in;
		}
		if (!strcmp(e->name, ".")) {
			in = siphon_ll_get(cm->c, dirp->din);
		} else {
			r = siphon_ll_lookup(cm->c, dirp->din, e->name, &in, NULL, NULL);
			if (r)
				return r;
		}
		*out = (struct Inode *)in;
	}
	fill_dirent(de, e, dirp->pos);
	if (stx)
		compat_fill_statx(stx, &e->st, want, flags);
	dirp->pos++;
	return 1;
}

int ceph_getdents(struct ceph_mount_info *cm, struct ceph_dir_result *dirp, char *name,
		  int buflen)
{
	int used = 0, r;

	if (!dirp || !name || buflen < 0)
		return -EINVAL;
	r = ensure(cm, dirp);
	if (r)
		return r;
	while (dirp->pos < dirp->n && used + (int)sizeof(struct dirent) <= buflen) {
		struct dirent de;

		fill_dirent(&de, &dirp->ents[dirp->pos], dirp->pos);
		memcpy(name + used, &de, sizeof(de));
		used += (int)sizeof(de);
		dirp->pos++;
	}
	if (!used && dirp->pos < dirp->n)
		return -ERANGE;
	return used;
}

int ceph_getdnames(struct ceph_mount_info *cm, struct ceph_dir_result *dirp, char *name,
		   int buflen)
{
	int used = 0, r;

	if (!dirp || !name || buflen < 0)
		return -EINVAL;
	r = ensure(cm, dirp);
	if (r)
		return r;
	while (dirp->pos < dirp->n) {
		size_t len = strlen(dirp->ents[dirp->pos].name) + 1;

		if (used + (int)len > buflen)
			break;
		memcpy(name + used, dirp->ents[dirp->pos].name, len);
		used += (int)len;
		dirp->pos++;
	}
	if (!used && dirp->pos < dirp->n)
		return -ERANGE;
	return used;
}

void ceph_rewinddir(struct ceph_mount_info *cm, struct ceph_dir_result *dirp)
{
	if (!dirp)
		return;
	/* the next read takes a fresh look at the directory */
	dirp->loaded = false;
	dirp->pos = 0;
}

int64_t ceph_telldir(struct ceph_mount_info *cm, struct ceph_dir_result *dirp)
{
	return dirp ? (int64_t)dirp->pos : -EINVAL;
}

void ceph_seekdir(struct ceph_mount_info *cm, struct ceph_dir_result *dirp, int64_t offset)
{
	if (!dirp)
		return;
	if (offset < 0)
		offset = 0;
	/* before the pass's first read, a position in the snapshot to come
	 * (reads stop at its end) */
	dirp->pos = dirp->loaded && (size_t)offset > dirp->n ? dirp->n :
		    (size_t)offset;
}

int ceph_ll_opendir(struct ceph_mount_info *cm, struct Inode *in,
		    struct ceph_dir_result **dirpp, const UserPerm *perms)
{
	struct ceph_dir_result *d;
	int r;

	CHECK_MOUNTED(cm);
	if (perms && perms != &cm->perm &&
	    (perms->uid != cm->perm.uid || perms->gid != cm->perm.gid))
		return -EOPNOTSUPP;	/* siphon cannot act as someone else */
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->din = siphon_ll_get(cm->c, (struct siphon_inode *)in);
	r = check_dir(cm, d);
	if (r) {
		(void)ceph_closedir(cm, d);
		return r;
	}
	*dirpp = d;
	return 0;
}

int ceph_ll_releasedir(struct ceph_mount_info *cm, struct ceph_dir_result *dir)
{
	return ceph_closedir(cm, dir);
}

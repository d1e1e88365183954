/* libcephfs compatibility: the mount's life, configuration, paths and the
 * file-system-wide calls, on top of siphon's public API. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "common/config.h"

/* ---- paths ---- */

void compat_normalize(char *path)
{
	char *out = path, *in = path;

	/* out always ends without a trailing '/' except for the root */
	*out++ = '/';
	while (*in) {
		char *seg;
		size_t len;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		len = (size_t)(in - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			/* drop the last component; ".." of the root is the root */
			while (out > path + 1 && out[-1] != '/')
				out--;
			if (out > path + 1)
				out--;
			continue;
		}
		if (out > path + 1)
			*out++ = '/';
		memmove(out, seg, len);
		out += len;
	}
	*out = '\0';
}

int compat_path(struct ceph_mount_info *cm, const char *path, char *out)
{
	int n;

	if (!path)
		return -EINVAL;
	if (path[0] == '/') {
		n = snprintf(out, COMPAT_PATH_MAX, "%s", path);
	} else {
		pthread_mutex_lock(&cm->lock);
		n = snprintf(out, COMPAT_PATH_MAX, "%s%s%s", cm->cwd,
			     strcmp(cm->cwd, "/") ? "/" : "", path);
		pthread_mutex_unlock(&cm->lock);
	}
	if (n < 0 || n >= COMPAT_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* siphon resolves a symlink that ends a path, not one among its
 * directories; a call that met one (ENOTDIR) tries again on the path this
 * gives: each component looked at in turn, links replaced by their
 * targets (absolute from the mounted root, or relative to the link's
 * directory), the last component too when follow. */
int compat_resolve(struct ceph_mount_info *cm, const char *path, char *out, bool follow)
{
	char work[COMPAT_PATH_MAX], done[COMPAT_PATH_MAX], target[COMPAT_PATH_MAX];
	struct siphon_stat st;
	int links = 0, r, n;

	if (snprintf(work, sizeof(work), "%s", path) >= (int)sizeof(work))
		return -ENAMETOOLONG;
	compat_normalize(work);
restart:
	done[0] = '\0';
	for (const char *rest = work + 1; *rest;) {
		const char *comp = rest;
		size_t len = strcspn(comp, "/");
		size_t dl = strlen(done);
		bool last;

		rest = comp + len;
		while (*rest == '/')
			rest++;
		last = !*rest;
		if (dl + 1 + len >= sizeof(done))
			return -ENAMETOOLONG;
		done[dl] = '/';
		memcpy(done + dl + 1, comp, len);
		done[dl + 1 + len] = '\0';
		if (last && !follow)
			break;
		r = siphon_lstat(cm->c, done, &st);
		if (r == -ENOENT && last)
			break;
		if (r)
			return r;
		if (!S_ISLNK(st.mode)) {
			if (!last && !S_ISDIR(st.mode))
				return -ENOTDIR;
			continue;
		}
		if (++links > COMPAT_MAX_LINKS)
			return -ELOOP;
		r = siphon_readlink(cm->c, done, target, sizeof(target));
		if (r < 0)
			return r;
		if ((size_t)r >= sizeof(target))
			return -ENAMETOOLONG;
		target[r] = '\0';
		done[dl] = '\0';	/* the link's directory */
		if (target[0] == '/')
			n = snprintf(out, COMPAT_PATH_MAX, "%s/%s", target, rest);
		else
			n = snprintf(out, COMPAT_PATH_MAX, "%s/%s/%s", done, target, rest);
		if (n < 0 || n >= COMPAT_PATH_MAX)
			return -ENAMETOOLONG;
		memcpy(work, out, (size_t)n + 1);
		compat_normalize(work);
		goto restart;
	}
	snprintf(out, COMPAT_PATH_MAX, "%s", done[0] ? done : "/");
	return 0;
}

int compat_follow(struct ceph_mount_info *cm, const char *path, char *out)
{
	char target[COMPAT_PATH_MAX], next[COMPAT_PATH_MAX];
	struct siphon_stat st;
	int r, n;

	r = compat_path(cm, path, out);
	if (r)
		return r;
	for (int depth = 0;; depth++) {
		r = siphon_lstat(cm->c, out, &st);
		if (r == -ENOTDIR && depth == 0)
			return compat_resolve(cm, out, out, true);
		if (r == -ENOENT)
			return 0;	/* the caller's call says so, or creates it */
		if (r)
			return r;
		if (!S_ISLNK(st.mode))
			return 0;
		if (depth == COMPAT_MAX_LINKS)
			return -ELOOP;
		r = siphon_readlink(cm->c, out, target, sizeof(target));
		if (r < 0)
			return r;
		if ((size_t)r >= sizeof(target))
			return -ENAMETOOLONG;
		target[r] = '\0';
		if (target[0] == '/') {
			n = snprintf(next, sizeof(next), "%s", target);
		} else {
			char *slash = strrchr(out, '/');

			*slash = '\0';
			n = snprintf(next, sizeof(next), "%s/%s", out, target);
		}
		if (n < 0 || n >= (int)sizeof(next))
			return -ENAMETOOLONG;
		compat_normalize(next);
		memcpy(out, next, strlen(next) + 1);
	}
}

/* ---- creation and configuration ---- */

const char *ceph_version(int *major, int *minor, int *patch)
{
	/* libcephfs reports the Ceph release; this library implements the
	 * interface of Ceph 16.2.15 (Pacific), and the string says by whom. */
	if (major)
		*major = 16;
	if (minor)
		*minor = 2;
	if (patch)
		*patch = 15;
	return "16.2.15 (siphon " SIPHON_COMPAT_VERSION ")";
}

int ceph_create(struct ceph_mount_info **cmount, const char * const id)
{
	struct ceph_mount_info *cm = calloc(1, sizeof(*cm));
	int r;

	if (!cm)
		return -ENOMEM;
	r = siphon_create(&cm->c, id);
	if (r) {
		free(cm);
		return r;
	}
	cm->shadow = config_create();
	if (!cm->shadow || (id && config_set_id(cm->shadow, id))) {
		if (cm->shadow)
			config_destroy(cm->shadow);
		siphon_release(cm->c);
		free(cm);
		return -ENOMEM;
	}
	pthread_mutex_init(&cm->lock, NULL);
	strcpy(cm->cwd, "/");
	cm->umask = 0;	/* libcephfs applies none until ceph_umask() */
	cm->perm.uid = geteuid();
	cm->perm.gid = getegid();
	*cmount = cm;
	return 0;
}

/* No CephContext or librados handle exists here to share. */
int ceph_create_with_context(struct ceph_mount_info **cmount, struct CephContext *conf)
{
	return -EOPNOTSUPP;
}

int ceph_create_from_rados(struct ceph_mount_info **cmount, rados_t cluster)
{
	return -EOPNOTSUPP;
}

struct CephContext *ceph_get_mount_context(struct ceph_mount_info *cmount)
{
	return NULL;
}

int ceph_conf_read_file(struct ceph_mount_info *cm, const char *path_list)
{
	char *list, *save = NULL;
	int r = -ENOENT;

	if (!path_list) {
		r = siphon_conf_read_file(cm->c, NULL);
		if (!r)
			(void)config_read_files(cm->shadow);
		return r;
	}
	/* A list separated by commas, semicolons or blanks: the first file
	 * that exists is read. */
	list = strdup(path_list);
	if (!list)
		return -ENOMEM;
	for (char *p = strtok_r(list, ",; \t", &save); p; p = strtok_r(NULL, ",; \t", &save)) {
		if (access(p, F_OK))
			continue;
		r = siphon_conf_read_file(cm->c, p);
		if (!r)
			(void)config_read_file(cm->shadow, p);
		break;
	}
	free(list);
	return r;
}

/* Applies argv to the client and the shadow configuration, each consuming
 * its own copy. */
static int parse_args(struct ceph_mount_info *cm, int argc, const char **argv)
{
	char **a = calloc((size_t)argc + 2, sizeof(*a));
	char **b = calloc((size_t)argc + 2, sizeof(*b));
	int na, nb, r = -ENOMEM;

	if (!a || !b)
		goto out;
	/* slot 0 is the program name, which parsing leaves alone */
	a[0] = b[0] = "libcephfs";
	for (int i = 0; i < argc; i++)
		a[i + 1] = b[i + 1] = (char *)argv[i];
	na = nb = argc + 1;
	r = siphon_conf_parse_argv(cm->c, &na, a);
	if (!r)
		(void)config_parse_argv(cm->shadow, &nb, b, NULL, 0);
out:
	free(a);
	free(b);
	return r;
}

int ceph_conf_parse_argv(struct ceph_mount_info *cm, int argc, const char **argv)
{
	if (argc <= 0 || !argv)
		return 0;
	/* argv[0] is the program's name, as libcephfs takes it */
	return parse_args(cm, argc - 1, argv + 1);
}

int ceph_conf_parse_env(struct ceph_mount_info *cm, const char *var)
{
	const char *val = getenv(var ? var : "CEPH_ARGS");
	const char **argv = NULL;
	char *copy, *save = NULL;
	int argc = 0, r;

	if (!val || !*val)
		return 0;
	copy = strdup(val);
	argv = calloc(strlen(val) / 2 + 2, sizeof(*argv));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return -ENOMEM;
	}
	for (char *p = strtok_r(copy, " \t\n", &save); p; p = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = p;
	r = parse_args(cm, argc, argv);
	free(argv);
	free(copy);
	return r;
}

int ceph_conf_set(struct ceph_mount_info *cm, const char *option, const char *value)
{
	int r;

	if (!option || !value)
		return -EINVAL;
	r = siphon_conf_set(cm->c, option, value);
	if (!r)
		(void)config_set(cm->shadow, option, value);
	return r;
}

int ceph_conf_get(struct ceph_mount_info *cm, const char *option, char *buf, size_t len)
{
	const char *v;

	if (!option || !buf)
		return -EINVAL;
	/* Only options that were set (file, argv, environment, API) are
	 * known here: siphon has no table of Ceph's defaults. */
	pthread_mutex_lock(&cm->lock);
	v = config_get(cm->shadow, option);
	if (v && strlen(v) >= len) {
		pthread_mutex_unlock(&cm->lock);
		return -ENAMETOOLONG;
	}
	if (v)
		memcpy(buf, v, strlen(v) + 1);
	pthread_mutex_unlock(&cm->lock);
	return v ? 0 : -ENOENT;
}

int ceph_set_mount_timeout(struct ceph_mount_info *cm, uint32_t timeout)
{
	char v[16];

	if (cm->mounted)
		return -EINVAL;
	snprintf(v, sizeof(v), "%u", timeout);
	return ceph_conf_set(cm, "client_mount_timeout", v);
}

int ceph_select_filesystem(struct ceph_mount_info *cm, const char *fs_name)
{
	if (cm->mounted)
		return -EISCONN;
	return ceph_conf_set(cm, "client_fs", fs_name);
}

mode_t ceph_umask(struct ceph_mount_info *cm, mode_t mode)
{
	mode_t old;

	pthread_mutex_lock(&cm->lock);
	old = cm->umask;
	cm->umask = mode & 0777;
	pthread_mutex_unlock(&cm->lock);
	return old;
}

/* ---- credentials ---- */

UserPerm *ceph_userperm_new(uid_t uid, gid_t gid, int ngids, gid_t *gidlist)
{
	UserPerm *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->uid = uid;
	p->gid = gid;
	if (ngids > 0 && gidlist) {
		p->gids = calloc((size_t)ngids, sizeof(gid_t));
		if (!p->gids) {
			free(p);
			return NULL;
		}
		memcpy(p->gids, gidlist, (size_t)ngids * sizeof(gid_t));
		p->ngids = ngids;
	}
	return p;
}

void ceph_userperm_destroy(UserPerm *perm)
{
	if (perm) {
		free(perm->gids);
		free(perm);
	}
}

struct UserPerm *ceph_mount_perms(struct ceph_mount_info *cm)
{
	return &cm->perm;
}

/* siphon sends its requests with one identity for the whole client; it
 * cannot act as another user. */
int ceph_mount_perms_set(struct ceph_mount_info *cm, UserPerm *perm)
{
	return -EOPNOTSUPP;
}

/* ---- mount and unmount ---- */

int ceph_init(struct ceph_mount_info *cm)
{
	int r;

	if (cm->connected)
		return 0;
	r = siphon_connect(cm->c);
	if (!r)
		cm->connected = true;
	return r;
}

int ceph_mount(struct ceph_mount_info *cm, const char *root)
{
	int r;

	if (cm->mounted)
		return -EISCONN;
	r = siphon_mount(cm->c, root);
	if (r)
		return r;
	pthread_mutex_lock(&cm->lock);
	cm->connected = cm->mounted = true;
	strcpy(cm->cwd, "/");
	pthread_mutex_unlock(&cm->lock);
	return 0;
}

int ceph_is_mounted(struct ceph_mount_info *cm)
{
	return cm && cm->mounted;
}

int ceph_unmount(struct ceph_mount_info *cm)
{
	int r;

	CHECK_MOUNTED(cm);
	compat_fd_close_all(cm);
	r = siphon_unmount(cm->c);
	cm->mounted = false;
	return r;
}

/* As libcephfs's: what is in flight fails, nothing is written back or
 * waited for, and the mount ends. */
int ceph_abort_conn(struct ceph_mount_info *cm)
{
	CHECK_MOUNTED(cm);
	siphon_abort(cm->c);
	return ceph_unmount(cm);
}

int ceph_release(struct ceph_mount_info *cm)
{
	if (!cm)
		return 0;
	if (cm->mounted)
		return -EISCONN;
	compat_fd_close_all(cm);
	siphon_release(cm->c);
	config_destroy(cm->shadow);
	pthread_mutex_destroy(&cm->lock);
	free(cm->fds);
	free(cm->perm.gids);
	free(cm);
	return 0;
}

void ceph_shutdown(struct ceph_mount_info *cm)
{
	if (!cm)
		return;
	if (cm->mounted)
		(void)ceph_unmount(cm);
	(void)ceph_release(cm);
}

uint64_t ceph_get_instance_id(struct ceph_mount_info *cm)
{
	return cm->connected ? siphon_global_id(cm->c) : 0;
}

/* The MDS command channel (MCommand to an MDS) is not implemented. */
int ceph_mds_command(struct ceph_mount_info *cm, const char *mds_spec,
		     const char **cmd, size_t cmdlen, const char *inbuf, size_t inbuflen,
		     char **outbuf, size_t *outbuflen, char **outs, size_t *outslen)
{
	return -EOPNOTSUPP;
}

void ceph_buffer_free(char *buf)
{
	free(buf);
}

/* siphon's public API does not expose its own addresses or the FSMap's
 * fscid. */
int ceph_getaddrs(struct ceph_mount_info *cm, char **addrs)
{
	return -EOPNOTSUPP;
}

int64_t ceph_get_fs_cid(struct ceph_mount_info *cm)
{
	return -EOPNOTSUPP;
}

/* ---- the file system ---- */

int ceph_statfs(struct ceph_mount_info *cm, const char *path, struct statvfs *stbuf)
{
	const unsigned shift = 22;	/* CephFS reports 4 MiB blocks */
	struct siphon_cluster_stat cs;
	struct siphon_stat root;
	char quota[32];
	uint64_t max_bytes = 0;
	int r;

	CHECK_MOUNTED(cm);
	r = siphon_cluster_stat(cm->c, &cs);
	if (r)
		return r;
	r = siphon_stat(cm->c, "/", &root);
	if (r)
		return r;
	r = siphon_getxattr(cm->c, "/", "ceph.quota.max_bytes", quota, sizeof(quota) - 1);
	if (r > 0) {
		quota[r] = '\0';
		max_bytes = strtoull(quota, NULL, 10);
	}
	memset(stbuf, 0, sizeof(*stbuf));
	stbuf->f_bsize = 1UL << shift;
	stbuf->f_frsize = 1UL << shift;
	if (max_bytes) {
		/* a quota on the mounted root is the size of the file system */
		uint64_t total = max_bytes >> shift, used = root.rbytes >> shift;

		stbuf->f_blocks = total;
		stbuf->f_bfree = stbuf->f_bavail = total > used ? total - used : 0;
	} else {
		stbuf->f_blocks = cs.kb >> (shift - 10);
		stbuf->f_bfree = cs.kb_avail >> (shift - 10);
		stbuf->f_bavail = cs.kb_avail >> (shift - 10);
	}
	stbuf->f_files = root.rfiles + root.rsubdirs;
	stbuf->f_ffree = (fsfilcnt_t)-1;
	stbuf->f_favail = (fsfilcnt_t)-1;
	stbuf->f_fsid = (unsigned long)-1;
	stbuf->f_flag = 0;
	stbuf->f_namemax = NAME_MAX;
	return 0;
}

int ceph_sync_fs(struct ceph_mount_info *cm)
{
	CHECK_MOUNTED(cm);
	return siphon_sync_fs(cm->c);
}

const char *ceph_getcwd(struct ceph_mount_info *cm)
{
	/* The buffer belongs to the mount, as libcephfs's does; a chdir in
	 * another thread may change it. */
	return cm->cwd;
}

int ceph_chdir(struct ceph_mount_info *cm, const char *path)
{
	char full[COMPAT_PATH_MAX];
	struct siphon_stat st;
	int r;

	CHECK_MOUNTED(cm);
	r = compat_follow(cm, path, full);
	if (r)
		return r;
	compat_normalize(full);
	r = siphon_stat(cm->c, full, &st);
	if (r)
		return r;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	pthread_mutex_lock(&cm->lock);
	memcpy(cm->cwd, full, strlen(full) + 1);
	pthread_mutex_unlock(&cm->lock);
	return 0;
}

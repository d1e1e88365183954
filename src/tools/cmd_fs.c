/* The namespace commands of `siphon`: ls, stat, mkdir, rmdir, rm, mv,
 * ln, touch, readlink, chmod, chown, xattr, tree, behaving and printing
 * the way coreutils users expect. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>

#include "cli_util.h"
#include "commands.h"
#include "siphon/siphon.h"

int mount_or_complain(struct siphon_client *c)
{
	int r = siphon_mount(c, NULL);

	if (r)
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
	return r;
}

/* ---- ls ---- */

struct ls_opts {
	bool all, longfmt, dir_only;
};

static int ls_take(int o, const char *arg, void *ctx)
{
	struct ls_opts *lo = ctx;

	(void)arg;
	if (o == 'l')
		lo->longfmt = true;
	else if (o == 'a')
		lo->all = true;
	else if (o == 'd')
		lo->dir_only = true;
	else
		return -1;
	return 0;
}

static void mode_string(uint32_t mode, char out[11])
{
	const char *rwx = "rwxrwxrwx";

	out[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISCHR(mode) ? 'c' :
		 S_ISBLK(mode) ? 'b' : S_ISFIFO(mode) ? 'p' : S_ISSOCK(mode) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (1u << (8 - i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = mode & S_IXUSR ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = mode & S_IXGRP ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = mode & S_IXOTH ? 't' : 'T';
	out[10] = '\0';
}

static const char *user_name(uint32_t uid, char *buf, size_t n)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, n, "%u", uid);
	return buf;
}

static const char *group_name(uint32_t gid, char *buf, size_t n)
{
	struct group *gr = getgrgid(gid);

	if (gr)
		return gr->gr_name;
	snprintf(buf, n, "%u", gid);
	return buf;
}

struct ls_entry {
	char *name;
	struct siphon_stat st;
};

struct ls_list {
	struct ls_entry *v;
	size_t n, cap;
	bool oom;
};

static int ls_collect(void *arg, const struct siphon_dirent *d)
{
	struct ls_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct ls_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->oom = true;
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = strdup(d->name);
	if (!l->v[l->n].name) {
		l->oom = true;
		return -ENOMEM;
	}
	l->v[l->n].st = d->st;
	l->n++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ls_entry *)a)->name,
		      ((const struct ls_entry *)b)->name);
}

static void ls_print_long(struct siphon_client *c, const char *dir,
			  const char *name, const struct siphon_stat *st)
{
	char mode[11], ub[16], gb[16], when[32], target[4096];
	struct tm tm;
	time_t t = st->mtime.tv_sec, now = time(NULL);

	mode_string(st->mode, mode);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when),
		 (now - t > 15552000 || t > now + 3600) ? "%b %e  %Y" : "%b %e %H:%M",
		 &tm);
	printf("%s %u %s %s %llu %s %s", mode, st->nlink,
	       user_name(st->uid, ub, sizeof(ub)),
	       group_name(st->gid, gb, sizeof(gb)),
	       (unsigned long long)st->size, when, name);
	if (S_ISLNK(st->mode)) {
		char path[4096];
		int n;

		if (dir)
			snprintf(path, sizeof(path), "%s/%s", dir, name);
		else
			snprintf(path, sizeof(path), "%s", name);
		n = siphon_readlink(c, path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n < (int)sizeof(target) - 1 ? n : (int)sizeof(target) - 1] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

static int ls_one(struct siphon_client *c, const char *path,
		  const struct ls_opts *lo, bool header)
{
	struct ls_list l = { 0 };
	struct siphon_stat st;
	int r;

	r = siphon_stat(c, path, &st);
	if (r)
		return complain(path, r);
	if (!S_ISDIR(st.mode) || lo->dir_only) {
		if (lo->longfmt)
			ls_print_long(c, NULL, path, &st);
		else
			printf("%s\n", path);
		return 0;
	}
	r = siphon_readdir(c, path, ls_collect, &l);
	if (r) {
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i].name);
		free(l.v);
		return complain(path, r);
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	if (header)
		printf("%s:\n", path);
	if (lo->longfmt) {
		uint64_t blocks = 0;

		for (size_t i = 0; i < l.n; i++)
			blocks += l.v[i].st.blocks;
		printf("total %llu\n", (unsigned long long)(blocks / 2));
	}
	if (lo->all) {
		if (lo->longfmt) {
			ls_print_long(c, NULL, ".", &st);
			ls_print_long(c, NULL, "..", &st);
		} else {
			printf(".\n..\n");
		}
	}
	for (size_t i = 0; i < l.n; i++) {
		if (!lo->all && l.v[i].name[0] == '.')
			continue;
		if (lo->longfmt)
			ls_print_long(c, path, l.v[i].name, &l.v[i].st);
		else
			printf("%s\n", l.v[i].name);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].name);
	free(l.v);
	return 0;
}

int cmd_ls(struct siphon_client *c, int argc, char **argv)
{
	struct ls_opts lo = { 0 };
	int first = opts(argc, argv, "lad", "[-l] [-a] [-d] [PATH...]", ls_take, &lo);
	int rc = 0;

	if (first < 0)
		return 2;
	if (mount_or_complain(c))
		return 1;
	if (first == argc)
		return ls_one(c, "/", &lo, false);
	for (int i = first; i < argc; i++) {
		if (i > first)
			putchar('\n');
		rc |= ls_one(c, argv[i], &lo, argc - first > 1);
	}
	return rc;
}

/* ---- stat ---- */

static void print_time(const char *label, const struct timespec *ts)
{
	char buf[64], zone[8];
	struct tm tm;
	time_t t = ts->tv_sec;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	printf("%s: %s.%09ld %s\n", label, buf, ts->tv_nsec, zone);
}

static const char *type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "directory";
	case S_IFREG: return "regular file";
	case S_IFLNK: return "symbolic link";
	case S_IFCHR: return "character special file";
	case S_IFBLK: return "block special file";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	}
	return "unknown";
}

static int no_opts(int o, const char *arg, void *ctx)
{
	(void)o;
	(void)arg;
	(void)ctx;
	return -1;
}

int cmd_stat(struct siphon_client *c, int argc, char **argv)
{
	int first = opts(argc, argv, "", "PATH...", no_opts, NULL), rc = 0;

	if (first < 0)
		return 2;
	if (first == argc) {
		fprintf(stderr, "usage: siphon stat PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		struct siphon_stat st;
		char mode[11], ub[16], gb[16];
		int r = siphon_lstat(c, argv[i], &st);

		if (r) {
			rc |= complain(argv[i], r);
			continue;
		}
		mode_string(st.mode, mode);
		printf("  File: %s\n", argv[i]);
		printf("  Size: %-15llu Blocks: %-10llu IO Block: %-6u %s\n",
		       (unsigned long long)st.size, (unsigned long long)st.blocks,
		       st.blksize, type_name(st.mode));
		printf("Inode: %-15llu Links: %u\n", (unsigned long long)st.ino,
		       st.nlink);
		printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n",
		       st.mode & 07777, mode, st.uid,
		       user_name(st.uid, ub, sizeof(ub)), st.gid,
		       group_name(st.gid, gb, sizeof(gb)));
		print_time("Access", &st.atime);
		print_time("Modify", &st.mtime);
		print_time("Change", &st.ctime);
		print_time(" Birth", &st.btime);
	}
	return rc;
}

/* ---- mkdir, rmdir, rm ---- */

struct mkdir_opts {
	bool parents;
	uint32_t mode;
};

static int parse_mode(const char *s, uint32_t *mode)
{
	char *e;
	unsigned long v = strtoul(s, &e, 8);

	if (!*s || *e || v > 07777)
		return -1;
	*mode = (uint32_t)v;
	return 0;
}

static int mkdir_take(int o, const char *arg, void *ctx)
{
	struct mkdir_opts *mo = ctx;

	if (o == 'p')
		mo->parents = true;
	else if (o == 'm')
		return parse_mode(arg, &mo->mode);
	else
		return -1;
	return 0;
}

int cmd_mkdir(struct siphon_client *c, int argc, char **argv)
{
	struct mkdir_opts mo = { false, 0755 };
	int first = opts(argc, argv, "pm:", "[-p] [-m MODE] PATH...", mkdir_take, &mo);
	int rc = 0;

	if (first < 0)
		return 2;
	if (first == argc) {
		fprintf(stderr, "usage: siphon mkdir [-p] [-m MODE] PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		int r = mo.parents ? siphon_mkdirs(c, argv[i], mo.mode)
				   : siphon_mkdir(c, argv[i], mo.mode);

		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

int cmd_rmdir(struct siphon_client *c, int argc, char **argv)
{
	int first = opts(argc, argv, "", "PATH...", no_opts, NULL), rc = 0;

	if (first < 0 || first == argc) {
		fprintf(stderr, "usage: siphon rmdir PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		int r = siphon_rmdir(c, argv[i]);

		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

struct rm_opts {
	bool recursive, force;
};

static int rm_take(int o, const char *arg, void *ctx)
{
	struct rm_opts *ro = ctx;

	(void)arg;
	if (o == 'r' || o == 'R')
		ro->recursive = true;
	else if (o == 'f')
		ro->force = true;
	else
		return -1;
	return 0;
}

static int rm_tree(struct siphon_client *c, const char *path);

static int rm_child(void *arg, const struct siphon_dirent *d)
{
	const char *dir = ((const char **)arg)[0];
	struct siphon_client *c = ((struct siphon_client **)arg)[1];
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, d->name);
	r = S_ISDIR(d->st.mode) ? rm_tree(c, path) : siphon_unlink(c, path);
	return r;
}

static int rm_tree(struct siphon_client *c, const char *path)
{
	void *arg[2] = { (void *)path, c };
	int r;

	/* delete in rounds: the listing restarts after each removal pass */
	r = siphon_readdir(c, path, rm_child, arg);
	if (r)
		return r;
	return siphon_rmdir(c, path);
}

int cmd_rm(struct siphon_client *c, int argc, char **argv)
{
	struct rm_opts ro = { 0 };
	int first = opts(argc, argv, "rRf", "[-r] [-f] PATH...", rm_take, &ro);
	int rc = 0;

	if (first < 0)
		return 2;
	if (first == argc) {
		if (ro.force)
			return 0;
		fprintf(stderr, "usage: siphon rm [-r] [-f] PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		struct siphon_stat st;
		int r = siphon_lstat(c, argv[i], &st);

		if (!r && S_ISDIR(st.mode)) {
			if (!ro.recursive) {
				fprintf(stderr, "siphon: cannot remove '%s': Is a directory\n",
					argv[i]);
				rc = 1;
				continue;
			}
			r = rm_tree(c, argv[i]);
		} else if (!r) {
			r = siphon_unlink(c, argv[i]);
		}
		if (r && !(ro.force && r == -ENOENT))
			rc |= complain(argv[i], r);
	}
	return rc;
}

/* ---- mv, ln ---- */

int cmd_mv(struct siphon_client *c, int argc, char **argv)
{
	struct siphon_stat st;
	char dst[4096];
	const char *base;
	int first = opts(argc, argv, "", "SOURCE DEST", no_opts, NULL), r;

	if (first < 0 || argc - first != 2) {
		fprintf(stderr, "usage: siphon mv SOURCE DEST\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	snprintf(dst, sizeof(dst), "%s", argv[first + 1]);
	/* into an existing directory: keep the source's name */
	if (!siphon_stat(c, dst, &st) && S_ISDIR(st.mode)) {
		base = strrchr(argv[first], '/');
		base = base ? base + 1 : argv[first];
		snprintf(dst, sizeof(dst), "%s/%s", argv[first + 1], base);
	}
	r = siphon_rename(c, argv[first], dst);
	if (r) {
		fprintf(stderr, "siphon: cannot move '%s' to '%s': %s\n",
			argv[first], dst, strerror(-r));
		return 1;
	}
	return 0;
}

static int ln_take(int o, const char *arg, void *ctx)
{
	(void)arg;
	if (o != 's')
		return -1;
	*(bool *)ctx = true;
	return 0;
}

int cmd_ln(struct siphon_client *c, int argc, char **argv)
{
	bool sym = false;
	int first = opts(argc, argv, "s", "[-s] TARGET LINK", ln_take, &sym), r;

	if (first < 0 || argc - first != 2) {
		fprintf(stderr, "usage: siphon ln [-s] TARGET LINK\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	r = sym ? siphon_symlink(c, argv[first], argv[first + 1])
		: siphon_link(c, argv[first], argv[first + 1]);
	if (r) {
		fprintf(stderr, "siphon: failed to create %slink '%s': %s\n",
			sym ? "symbolic " : "hard ", argv[first + 1], strerror(-r));
		return 1;
	}
	return 0;
}

/* ---- touch, readlink, chmod, chown ---- */

int cmd_touch(struct siphon_client *c, int argc, char **argv)
{
	int first = opts(argc, argv, "", "PATH...", no_opts, NULL), rc = 0;

	if (first < 0 || first == argc) {
		fprintf(stderr, "usage: siphon touch PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		int r = siphon_mknod(c, argv[i], S_IFREG | 0644, 0);

		if (r == -EEXIST)
			r = siphon_utimes(c, argv[i], NULL, NULL);
		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

int cmd_readlink(struct siphon_client *c, int argc, char **argv)
{
	char buf[4096];
	int first = opts(argc, argv, "", "PATH", no_opts, NULL), n;

	if (first < 0 || argc - first != 1) {
		fprintf(stderr, "usage: siphon readlink PATH\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	n = siphon_readlink(c, argv[first], buf, sizeof(buf) - 1);
	if (n < 0)
		return complain(argv[first], n);
	buf[n < (int)sizeof(buf) - 1 ? n : (int)sizeof(buf) - 1] = '\0';
	printf("%s\n", buf);
	return 0;
}

int cmd_chmod(struct siphon_client *c, int argc, char **argv)
{
	uint32_t mode;
	int first = opts(argc, argv, "", "MODE PATH...", no_opts, NULL), rc = 0;

	if (first < 0 || argc - first < 2 || parse_mode(argv[first], &mode)) {
		fprintf(stderr, "usage: siphon chmod OCTAL-MODE PATH...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first + 1; i < argc; i++) {
		int r = siphon_chmod(c, argv[i], mode);

		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

static int parse_id(const char *s, bool group, uint32_t *id)
{
	char *e;
	unsigned long v;

	if (!*s) {
		*id = (uint32_t)-1;
		return 0;
	}
	v = strtoul(s, &e, 10);
	if (!*e && v < UINT32_MAX) {
		*id = (uint32_t)v;
		return 0;
	}
	if (group) {
		struct group *g = getgrnam(s);

		if (!g)
			return -1;
		*id = g->gr_gid;
	} else {
		struct passwd *p = getpwnam(s);

		if (!p)
			return -1;
		*id = p->pw_uid;
	}
	return 0;
}

int cmd_chown(struct siphon_client *c, int argc, char **argv)
{
	uint32_t uid, gid = (uint32_t)-1;
	char spec[256], *colon;
	int first = opts(argc, argv, "", "OWNER[:GROUP] PATH...", no_opts, NULL), rc = 0;

	if (first < 0 || argc - first < 2) {
		fprintf(stderr, "usage: siphon chown OWNER[:GROUP] PATH...\n");
		return 2;
	}
	snprintf(spec, sizeof(spec), "%s", argv[first]);
	colon = strchr(spec, ':');
	if (colon)
		*colon = '\0';
	if (parse_id(spec, false, &uid) || (colon && parse_id(colon + 1, true, &gid))) {
		fprintf(stderr, "siphon: invalid owner '%s'\n", argv[first]);
		return 1;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first + 1; i < argc; i++) {
		int r = siphon_chown(c, argv[i], uid, gid);

		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

/* ---- xattr ---- */

int cmd_xattr(struct siphon_client *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	char buf[65536];
	int r;

	if (argc < 3 || (!strcmp(sub, "get") && argc != 4) ||
	    (!strcmp(sub, "set") && argc != 5) || (!strcmp(sub, "rm") && argc != 4) ||
	    (!strcmp(sub, "ls") && argc != 3) ||
	    (strcmp(sub, "get") && strcmp(sub, "set") && strcmp(sub, "rm") &&
	     strcmp(sub, "ls"))) {
		fprintf(stderr, "usage: siphon xattr get PATH NAME | set PATH NAME VALUE |"
			" ls PATH | rm PATH NAME\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	if (!strcmp(sub, "get")) {
		r = siphon_getxattr(c, argv[2], argv[3], buf, sizeof(buf));
		if (r < 0)
			return complain(argv[2], r);
		fwrite(buf, 1, (size_t)r, stdout);
		putchar('\n');
	} else if (!strcmp(sub, "set")) {
		r = siphon_setxattr(c, argv[2], argv[3], argv[4], strlen(argv[4]), 0);
		if (r)
			return complain(argv[2], r);
	} else if (!strcmp(sub, "rm")) {
		r = siphon_removexattr(c, argv[2], argv[3]);
		if (r)
			return complain(argv[2], r);
	} else {
		r = siphon_listxattr(c, argv[2], buf, sizeof(buf));
		if (r < 0)
			return complain(argv[2], r);
		for (int off = 0; off < r; off += (int)strlen(buf + off) + 1)
			printf("%s\n", buf + off);
	}
	return 0;
}

/* ---- tree ---- */

struct tree_ctx {
	struct siphon_client *c;
	unsigned dirs, files;
};

static int tree_walk(struct tree_ctx *t, const char *dir, const char *prefix)
{
	struct ls_list l = { 0 };
	int r = siphon_readdir(t->c, dir, ls_collect, &l);

	if (r)
		goto out;
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	for (size_t i = 0; i < l.n; i++) {
		bool last = i + 1 == l.n;
		char sub[4096], pre[1024];

		printf("%s%s %s\n", prefix, last ? "└──" : "├──", l.v[i].name);
		if (S_ISDIR(l.v[i].st.mode)) {
			t->dirs++;
			snprintf(sub, sizeof(sub), "%s/%s", dir, l.v[i].name);
			snprintf(pre, sizeof(pre), "%s%s", prefix, last ? "    " : "│   ");
			r = tree_walk(t, sub, pre);
			if (r)
				goto out;
		} else {
			t->files++;
		}
	}
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].name);
	free(l.v);
	return r;
}

int cmd_tree(struct siphon_client *c, int argc, char **argv)
{
	struct tree_ctx t = { .c = c };
	const char *root;
	int first = opts(argc, argv, "", "[PATH]", no_opts, NULL), r;

	if (first < 0 || argc - first > 1) {
		fprintf(stderr, "usage: siphon tree [PATH]\n");
		return 2;
	}
	root = first < argc ? argv[first] : "/";
	if (mount_or_complain(c))
		return 1;
	printf("%s\n", root);
	r = tree_walk(&t, root, "");
	if (r)
		return complain(root, r);
	printf("\n%u director%s, %u file%s\n", t.dirs, t.dirs == 1 ? "y" : "ies",
	       t.files, t.files == 1 ? "" : "s");
	return 0;
}

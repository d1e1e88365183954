/* One program written only against the libcephfs C interface. It is built
 * twice by test_libcephfs_compat.sh, against Ceph's own libcephfs and
 * against siphon's compatibility library, and both builds run against the
 * same cluster in different directories; their transcripts must match.
 *
 * The transcript leaves out what differs between any two runs (inode
 * numbers, times that are not set explicitly, descriptor numbers, space
 * figures) and says instead how such values relate to each other.
 *
 * usage: compat_prog CONF DIR   (DIR, absolute, must not exist yet) */
#define _FILE_OFFSET_BITS 64
#include <cephfs/libcephfs.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <sys/xattr.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif

static struct ceph_mount_info *cm;

static const char *err(int r)
{
	static char buf[32];

	if (r >= 0) {
		snprintf(buf, sizeof(buf), "%d", r);
		return buf;
	}
	switch (-r) {
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENODATA: return "ENODATA";
	case ERANGE: return "ERANGE";
	case ENOTCONN: return "ENOTCONN";
	case EISCONN: return "EISCONN";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ELOOP: return "ELOOP";
	case EXDEV: return "EXDEV";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EAGAIN: return "EAGAIN";	/* EWOULDBLOCK */
	case ESTALE: return "ESTALE";
	case EDEADLK: return "EDEADLK";
	case EFBIG: return "EFBIG";
	}
	snprintf(buf, sizeof(buf), "errno %d", -r);
	return buf;
}

/* Prints "what -> result". */
#define SAY(what, expr) do {						\
		int r_ = (expr);					\
		printf("%-44s -> %s\n", what, err(r_));			\
	} while (0)

static void show_bytes(const char *what, const char *buf, int n)
{
	printf("%-44s -> %d \"", what, n);
	for (int i = 0; i < n; i++) {
		if (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' && buf[i] != '\\')
			putchar(buf[i]);
		else
			printf("\\x%02x", (unsigned char)buf[i]);
	}
	printf("\"\n");
}

static int ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	if (a.tv_nsec != b.tv_nsec)
		return a.tv_nsec < b.tv_nsec ? -1 : 1;
	return 0;
}

/* The fields of a statx that stay the same from run to run, as far as
 * stx_mask says they are valid. */
static void show_statx(const char *what, const struct ceph_statx *x)
{
	/* Known difference: siphon does not keep the inode's change attribute
	 * and never sets CEPH_STATX_VERSION (libcephfs does when the want
	 * needs every shared cap); the bit is left out of the transcript. */
	printf("%-44s -> mask=%#x type=%o", what, x->stx_mask & ~CEPH_STATX_VERSION,
	       x->stx_mode & S_IFMT);
	if (x->stx_mask & CEPH_STATX_MODE)
		printf(" mode=%o", x->stx_mode & 07777);
	if (x->stx_mask & CEPH_STATX_NLINK)
		printf(" nlink=%u", x->stx_nlink);
	if (x->stx_mask & CEPH_STATX_UID)
		printf(" uid=%u gid=%u", x->stx_uid, x->stx_gid);
	if (x->stx_mask & CEPH_STATX_SIZE)
		printf(" size=%llu blocks=%llu", (unsigned long long)x->stx_size,
		       (unsigned long long)x->stx_blocks);
	printf(" blksize=%u dev=%llx rdev=%llx ino=%s", x->stx_blksize,
	       (unsigned long long)x->stx_dev, (unsigned long long)x->stx_rdev,
	       x->stx_ino ? "set" : "0");
	if ((x->stx_mask & CEPH_STATX_BTIME) && (x->stx_mask & CEPH_STATX_CTIME))
		printf(" btime<=ctime=%s", ts_cmp(x->stx_btime, x->stx_ctime) <= 0 ? "yes" : "no");
	printf("\n");
}

static void statx_path(const char *path, unsigned want, unsigned flags)
{
	struct ceph_statx x;
	char what[128];
	int r;

	snprintf(what, sizeof(what), "statx %s want=%#x flags=%#x", path, want, flags);
	r = ceph_statx(cm, path, &x, want, flags);
	if (r)
		SAY(what, r);
	else
		show_statx(what, &x);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a directory: names and types in sorted order (the MDS's order is
 * not part of the interface), "." and ".." included. */
static void list_dir(const char *path)
{
	struct ceph_dir_result *d;
	struct dirent *de;
	char *names[64], what[128];
	int n = 0, r;

	snprintf(what, sizeof(what), "opendir %s", path);
	r = ceph_opendir(cm, path, &d);
	SAY(what, r);
	if (r)
		return;
	while ((de = ceph_readdir(cm, d)) && n < 64) {
		char *s = malloc(strlen(de->d_name) + 8);

		sprintf(s, "%s:%u", de->d_name, de->d_type);
		names[n++] = s;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	printf("  entries:");
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	SAY("closedir", ceph_closedir(cm, d));
}

/* telldir/seekdir, rewinddir, readdir_r and the inode numbers of "." and
 * "..", on a directory of several entries. */
static void dir_positions(const char *path, const char *parent)
{
	struct ceph_dir_result *d;
	struct dirent *de, ent;
	struct ceph_statx self, up;
	char again[256], first[256];
	int64_t pos;
	int n = 0, r;

	SAY("opendir for positions", ceph_opendir(cm, path, &d));
	ceph_statx(cm, path, &self, CEPH_STATX_INO, 0);
	ceph_statx(cm, parent, &up, CEPH_STATX_INO, 0);
	de = ceph_readdir(cm, d);
	printf("%-44s -> %s ino-matches=%s\n", "first entry", de ? de->d_name : "(none)",
	       de && de->d_ino == self.stx_ino ? "yes" : "no");
	de = ceph_readdir(cm, d);
	printf("%-44s -> %s ino-matches=%s\n", "second entry", de ? de->d_name : "(none)",
	       de && de->d_ino == up.stx_ino ? "yes" : "no");
	pos = ceph_telldir(cm, d);
	printf("%-44s -> %s\n", "telldir", pos >= 0 ? "ok" : err((int)pos));
	de = ceph_readdir(cm, d);
	snprintf(first, sizeof(first), "%s", de ? de->d_name : "(none)");
	ceph_readdir(cm, d);
	ceph_seekdir(cm, d, pos);
	de = ceph_readdir(cm, d);
	snprintf(again, sizeof(again), "%s", de ? de->d_name : "(none)");
	printf("%-44s -> %s\n", "seekdir back reads the same entry",
	       strcmp(first, again) ? "no" : "yes");
	ceph_rewinddir(cm, d);
	while ((r = ceph_readdir_r(cm, d, &ent)) == 1)
		n++;
	printf("%-44s -> %d entries, last r=%s\n", "rewinddir + readdir_r", n, err(r));
	ceph_rewinddir(cm, d);
	n = 0;
	{
		struct ceph_statx x;
		int files = 0;

		while ((r = ceph_readdirplus_r(cm, d, &ent, &x, CEPH_STATX_MODE, 0, NULL)) == 1) {
			n++;
			if (S_ISREG(x.stx_mode))
				files++;
		}
		printf("%-44s -> %d entries, %d files, last r=%s\n", "readdirplus_r", n,
		       files, err(r));
	}
	SAY("closedir", ceph_closedir(cm, d));
}


static int cmp_str(const void *a, const void *b);

static void show_size(const char *what, int fd)
{
	struct ceph_statx x;
	int r = ceph_fstatx(cm, fd, &x, CEPH_STATX_SIZE, 0);

	printf("%-44s -> %s size=%llu\n", what, err(r),
	       r ? 0ULL : (unsigned long long)x.stx_size);
}

/* flock(2) locks by descriptor and owner, and their release at close. */
static void flock_section(void)
{
	int fd, fd2;

	fd = ceph_open(cm, "lk", O_CREAT | O_RDWR, 0644);
	SAY("open lk", fd < 0 ? fd : 0);
	fd2 = ceph_open(cm, "lk", O_RDWR, 0);
	SAY("open lk again", fd2 < 0 ? fd2 : 0);
	SAY("flock fd LOCK_EX owner 1", ceph_flock(cm, fd, LOCK_EX, 1));
	SAY("flock fd LOCK_EX owner 1 again", ceph_flock(cm, fd, LOCK_EX, 1));
	SAY("flock fd2 LOCK_EX|LOCK_NB owner 2", ceph_flock(cm, fd2, LOCK_EX | LOCK_NB, 2));
	SAY("flock fd2 LOCK_SH|LOCK_NB owner 2", ceph_flock(cm, fd2, LOCK_SH | LOCK_NB, 2));
	SAY("flock fd LOCK_SH owner 1 (downgrade)", ceph_flock(cm, fd, LOCK_SH, 1));
	SAY("flock fd2 LOCK_SH|LOCK_NB owner 2", ceph_flock(cm, fd2, LOCK_SH | LOCK_NB, 2));
	SAY("flock fd2 LOCK_UN owner 2", ceph_flock(cm, fd2, LOCK_UN, 2));
	SAY("flock fd LOCK_UN owner 1", ceph_flock(cm, fd, LOCK_UN, 1));
	SAY("flock fd2 LOCK_EX|LOCK_NB owner 2", ceph_flock(cm, fd2, LOCK_EX | LOCK_NB, 2));
	SAY("flock fd LOCK_SH|LOCK_NB owner 1", ceph_flock(cm, fd, LOCK_SH | LOCK_NB, 1));
	SAY("close fd2 (holding LOCK_EX)", ceph_close(cm, fd2));
	SAY("flock fd LOCK_EX|LOCK_NB owner 1", ceph_flock(cm, fd, LOCK_EX | LOCK_NB, 1));
	SAY("flock operation 0", ceph_flock(cm, fd, 0, 1));
	SAY("flock LOCK_SH|LOCK_EX", ceph_flock(cm, fd, LOCK_SH | LOCK_EX, 1));
	SAY("flock LOCK_UN owner 3 (holds none)", ceph_flock(cm, fd, LOCK_UN, 3));
	SAY("flock on a closed fd", ceph_flock(cm, fd2, LOCK_EX, 2));
	SAY("close fd (holding LOCK_EX)", ceph_close(cm, fd));
	fd = ceph_open(cm, "lk", O_RDONLY, 0);
	SAY("flock LOCK_EX|LOCK_NB on a new O_RDONLY fd", ceph_flock(cm, fd, LOCK_EX | LOCK_NB, 5));
	SAY("close", ceph_close(cm, fd));
	fd = ceph_open(cm, ".", O_RDONLY | O_DIRECTORY, 0);
	SAY("flock LOCK_SH|LOCK_NB on a directory fd", ceph_flock(cm, fd, LOCK_SH | LOCK_NB, 6));
	SAY("close", ceph_close(cm, fd));
	SAY("unlink lk", ceph_unlink(cm, "lk"));
}

/* fallocate as Ceph allows it: extend, keep size, punch a hole. */
static void fallocate_section(void)
{
	char buf[128];
	int fd, r;

	fd = ceph_open(cm, "fa", O_CREAT | O_RDWR, 0644);
	SAY("open fa", fd < 0 ? fd : 0);
	SAY("write 40 bytes", ceph_write(cm, fd, "0123456789abcdefghijABCDEFGHIJklmnopqrst", 40, 0));
	SAY("fallocate 0 at 0 len 100 (extends)", ceph_fallocate(cm, fd, 0, 0, 100));
	show_size("  fstatx fa", fd);
	SAY("fallocate 0 at 0 len 50 (inside)", ceph_fallocate(cm, fd, 0, 0, 50));
	show_size("  fstatx fa", fd);
	SAY("fallocate KEEP_SIZE at 0 len 1000", ceph_fallocate(cm, fd, FALLOC_FL_KEEP_SIZE, 0, 1000));
	show_size("  fstatx fa", fd);
	SAY("fallocate PUNCH|KEEP at 5 len 10",
	    ceph_fallocate(cm, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 5, 10));
	show_size("  fstatx fa", fd);
	r = ceph_read(cm, fd, buf, 45, 0);
	show_bytes("  read 45 at 0", buf, r > 0 ? r : 0);
	SAY("fallocate PUNCH|KEEP past the end",
	    ceph_fallocate(cm, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 90, 100));
	show_size("  fstatx fa", fd);
	r = ceph_read(cm, fd, buf, 10, 85);
	show_bytes("  read 10 at 85", buf, r > 0 ? r : 0);
	SAY("fallocate PUNCH alone", ceph_fallocate(cm, fd, FALLOC_FL_PUNCH_HOLE, 0, 10));
	SAY("fallocate ZERO_RANGE", ceph_fallocate(cm, fd, FALLOC_FL_ZERO_RANGE, 0, 10));
	SAY("fallocate len 0", ceph_fallocate(cm, fd, 0, 0, 0));
	SAY("fallocate offset -1", ceph_fallocate(cm, fd, 0, -1, 10));
	SAY("fallocate on a closed fd", ceph_fallocate(cm, 12345, 0, 0, 10));
	SAY("close fa", ceph_close(cm, fd));
	statx_path("fa", CEPH_STATX_SIZE, 0);
	fd = ceph_open(cm, "fa", O_RDONLY, 0);
	SAY("fallocate on O_RDONLY", ceph_fallocate(cm, fd, 0, 0, 10));
	SAY("close", ceph_close(cm, fd));
	SAY("unlink fa", ceph_unlink(cm, "fa"));
}

static void show_flock(const char *what, int r, const struct flock *fl)
{
	if (r) {
		SAY(what, r);
		return;
	}
	printf("%-44s -> type=%s", what, fl->l_type == F_UNLCK ? "F_UNLCK" :
	       fl->l_type == F_RDLCK ? "F_RDLCK" : fl->l_type == F_WRLCK ? "F_WRLCK" : "?");
	if (fl->l_type != F_UNLCK)
		printf(" start=%lld len=%lld pid-is-mine=%s", (long long)fl->l_start,
		       (long long)fl->l_len, fl->l_pid == getpid() ? "yes" : "no");
	printf("\n");
}

static struct flock lock_of(short type, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	fl.l_pid = getpid();
	return fl;
}

/* The names of a stream from where it is, sorted, on one line. */
static void show_stream(const char *what, struct ceph_dir_result *d)
{
	struct dirent *de;
	char *names[64];
	int n = 0;

	while ((de = ceph_readdir(cm, d)) && n < 64)
		names[n++] = strdup(de->d_name);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	printf("%-44s ->", what);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void touch(const char *path)
{
	int fd = ceph_open(cm, path, O_CREAT | O_WRONLY, 0644);

	if (fd >= 0)
		ceph_close(cm, fd);
}

/* A stream shows the directory as it is at its first read and after each
 * rewinddir, names made or removed since opendir included. */
static void dir_changes(void)
{
	struct ceph_dir_result *d;

	SAY("mkdir rw", ceph_mkdir(cm, "rw", 0755));
	touch("rw/a");
	touch("rw/b");
	SAY("opendir rw", ceph_opendir(cm, "rw", &d));
	touch("rw/c");
	SAY("unlink rw/a before the first read", ceph_unlink(cm, "rw/a"));
	show_stream("first pass", d);
	touch("rw/d");
	SAY("unlink rw/b after a pass", ceph_unlink(cm, "rw/b"));
	ceph_rewinddir(cm, d);
	show_stream("after rewinddir", d);
	SAY("closedir", ceph_closedir(cm, d));
	SAY("opendir rw", ceph_opendir(cm, "rw", &d));
	touch("rw/e");
	ceph_rewinddir(cm, d);
	show_stream("rewinddir before any read", d);
	SAY("closedir", ceph_closedir(cm, d));
	SAY("unlink rw/c", ceph_unlink(cm, "rw/c"));
	SAY("unlink rw/d", ceph_unlink(cm, "rw/d"));
	SAY("unlink rw/e", ceph_unlink(cm, "rw/e"));
	SAY("rmdir rw", ceph_rmdir(cm, "rw"));
}

/* Inodes by number, from a second mount that has never seen them. */
static void ino_section(const char *conf)
{
	struct ceph_mount_info *cm2;
	struct ceph_statx x, y;
	struct Inode *in;
	inodeno_t fino, dino, gino;
	vinodeno_t v;
	int fd, r;

	fd = ceph_open(cm, "byino", O_CREAT | O_WRONLY, 0644);
	SAY("write byino", ceph_write(cm, fd, "12345", 5, 0));
	ceph_close(cm, fd);
	SAY("mkdir byino.d", ceph_mkdir(cm, "byino.d", 0755));
	touch("gone");
	ceph_statx(cm, "byino", &x, CEPH_STATX_INO, 0);
	fino.val = x.stx_ino;
	ceph_statx(cm, "byino.d", &x, CEPH_STATX_INO, 0);
	dino.val = x.stx_ino;
	ceph_statx(cm, "gone", &x, CEPH_STATX_INO, 0);
	gino.val = x.stx_ino;
	SAY("unlink gone", ceph_unlink(cm, "gone"));
	SAY("sync_fs", ceph_sync_fs(cm));

	SAY("second mount: create", ceph_create(&cm2, NULL));
	ceph_conf_read_file(cm2, conf);
	SAY("second mount: mount", ceph_mount(cm2, NULL));
	v.ino = fino;
	v.snapid.val = CEPH_NOSNAP;
	in = ceph_ll_get_inode(cm2, v);
	printf("%-44s -> %s\n", "ll_get_inode byino (not cached)", in ? "an inode" : "NULL");
	r = ceph_ll_lookup_inode(cm2, fino, &in);
	SAY("ll_lookup_inode byino", r);
	if (!r) {
		r = ceph_ll_getattr(cm2, in, &y, CEPH_STATX_INO | CEPH_STATX_SIZE, 0,
				    ceph_mount_perms(cm2));
		printf("%-44s -> %s same-ino=%s size=%llu\n", "  ll_getattr", err(r),
		       y.stx_ino == fino.val ? "yes" : "no", (unsigned long long)y.stx_size);
		SAY("  ll_put", ceph_ll_put(cm2, in));
	}
	v.ino = dino;
	r = ceph_ll_lookup_vino(cm2, v, &in);
	SAY("ll_lookup_vino byino.d", r);
	if (!r) {
		struct Inode *again;

		r = ceph_ll_getattr(cm2, in, &y, CEPH_STATX_MODE, 0, ceph_mount_perms(cm2));
		printf("%-44s -> %s dir=%s\n", "  ll_getattr", err(r),
		       S_ISDIR(y.stx_mode) ? "yes" : "no");
		again = ceph_ll_get_inode(cm2, v);
		printf("%-44s -> %s\n", "  ll_get_inode now", again ? (again == in ? "the same inode" : "another inode") : "NULL");
		if (again)
			ceph_ll_put(cm2, again);
		SAY("  ll_put", ceph_ll_put(cm2, in));
	}
	fino.val = 0x7fffffffffULL;
	SAY("ll_lookup_inode of no inode", ceph_ll_lookup_inode(cm2, fino, &in));
	/* libcephfs 16.2.15 hands out the removed inode while the MDS still
	 * has it (nlink 0); siphon says ESTALE, as the kernel client does */
	r = ceph_ll_lookup_inode(cm2, gino, &in);
	if (!r) {
		if (!ceph_ll_getattr(cm2, in, &y, CEPH_STATX_NLINK, 0, ceph_mount_perms(cm2)) &&
		    y.stx_nlink == 0)
			r = -ESTALE;
		ceph_ll_put(cm2, in);
	}
	printf("%-44s -> %s\n", "ll_lookup_inode of a removed file",
	       r == -ESTALE ? "no linked inode" : err(r));
	SAY("second mount: unmount", ceph_unmount(cm2));
	SAY("second mount: release", ceph_release(cm2));
	SAY("unlink byino", ceph_unlink(cm, "byino"));
	SAY("rmdir byino.d", ceph_rmdir(cm, "byino.d"));
}

/* The low-level interface: inodes, Fh handles, names, attributes, locks,
 * directory streams with Inode references. dir is DIR's last component. */
static void ll_section(const char *dirname)
{
	UserPerm *perms = ceph_mount_perms(cm);
	struct Inode *root, *dir, *sub, *f, *ln, *e;
	struct Fh *fh, *fh2;
	struct ceph_statx x;
	struct flock fl;
	char buf[256];
	int r;

	SAY("ll_lookup_root", ceph_ll_lookup_root(cm, &root));
	r = ceph_ll_lookup(cm, root, dirname, &dir, &x, CEPH_STATX_MODE, 0, perms);
	if (r) {
		SAY("ll_lookup DIR", r);
		return;
	}
	show_statx("ll_lookup DIR", &x);
	SAY("ll_lookup missing", ceph_ll_lookup(cm, dir, "missing", &e, &x, 0, 0, perms));
	SAY("ll_lookup bad flags", ceph_ll_lookup(cm, dir, ".", &e, &x, 0, 0x1, perms));
	r = ceph_ll_lookup(cm, dir, ".", &e, &x, CEPH_STATX_INO, 0, perms);
	SAY("ll_lookup .", r);
	if (!r) {
		struct ceph_statx y;

		ceph_ll_getattr(cm, dir, &y, CEPH_STATX_INO, 0, perms);
		printf("%-44s -> %s\n", "  same inode as DIR", x.stx_ino == y.stx_ino ? "yes" : "no");
		SAY("  ll_put", ceph_ll_put(cm, e));
	}

	/* names */
	r = ceph_ll_mkdir(cm, dir, "lld", 0750, &sub, &x, CEPH_STATX_BASIC_STATS, 0, perms);
	if (r) {
		SAY("ll_mkdir lld 0750", r);
		return;
	}
	show_statx("ll_mkdir lld 0750", &x);
	SAY("ll_mkdir lld again", ceph_ll_mkdir(cm, dir, "lld", 0750, &e, &x, 0, 0, perms));
	r = ceph_ll_create(cm, sub, "llf", 0640, O_RDWR | O_CREAT, &f, &fh, &x,
			   CEPH_STATX_BASIC_STATS, 0, perms);
	if (r) {
		SAY("ll_create lld/llf 0640", r);
		return;
	}
	show_statx("ll_create lld/llf 0640", &x);
	SAY("ll_create llf O_EXCL", ceph_ll_create(cm, sub, "llf", 0640, O_RDWR | O_CREAT | O_EXCL,
						   &e, &fh2, &x, 0, 0, perms));

	/* I/O through the Fh */
	SAY("ll_write 'hello low level' at 0", ceph_ll_write(cm, fh, 0, 15, "hello low level"));
	r = ceph_ll_read(cm, fh, 6, 100, buf);
	show_bytes("ll_read 100 at 6", buf, r > 0 ? r : 0);
	{
		char a[3] = "XY", b[4] = "Zzz", c[2], d[3];
		struct iovec w[2] = { { a, 2 }, { b, 3 } }, rd[2] = { { c, 2 }, { d, 3 } };

		SAY("ll_writev 2+3 at 20", (int)ceph_ll_writev(cm, fh, w, 2, 20));
		SAY("ll_readv 2+3 at 20", (int)ceph_ll_readv(cm, fh, rd, 2, 20));
		show_bytes("  first vector", c, 2);
		show_bytes("  second vector", d, 3);
	}
	SAY("ll_lseek 0 SEEK_END", (int)ceph_ll_lseek(cm, fh, 0, SEEK_END));
	SAY("ll_fsync", ceph_ll_fsync(cm, fh, 0));
	SAY("ll_fsync dataonly", ceph_ll_fsync(cm, fh, 1));
	r = ceph_ll_getattr(cm, f, &x, CEPH_STATX_SIZE | CEPH_STATX_MODE, 0, perms);
	if (r)
		SAY("ll_getattr llf", r);
	else
		show_statx("ll_getattr llf", &x);
	SAY("ll_getattr bad flags", ceph_ll_getattr(cm, f, &x, 0, 0x1, perms));
	SAY("ll_fallocate PUNCH|KEEP at 0 len 6",
	    ceph_ll_fallocate(cm, fh, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 6));
	SAY("ll_fallocate 0 at 0 len 30", ceph_ll_fallocate(cm, fh, 0, 0, 30));
	SAY("ll_fallocate PUNCH alone", ceph_ll_fallocate(cm, fh, FALLOC_FL_PUNCH_HOLE, 0, 6));
	r = ceph_ll_read(cm, fh, 0, 100, buf);
	show_bytes("ll_read 100 at 0", buf, r > 0 ? r : 0);

	/* POSIX locks through Fh handles */
	fl = lock_of(F_WRLCK, 0, 10);
	SAY("ll_setlk fh F_WRLCK 0+10 owner 10", ceph_ll_setlk(cm, fh, &fl, 10, 0));
	SAY("ll_open llf O_RDWR (fh2)", ceph_ll_open(cm, f, O_RDWR, &fh2, perms));
	fl = lock_of(F_WRLCK, 0, 5);
	r = ceph_ll_getlk(cm, fh2, &fl, 11);
	show_flock("ll_getlk fh2 F_WRLCK 0+5 owner 11", r, &fl);
	fl = lock_of(F_RDLCK, 5, 1);
	SAY("ll_setlk fh2 F_RDLCK 5+1 owner 11", ceph_ll_setlk(cm, fh2, &fl, 11, 0));
	fl = lock_of(F_RDLCK, 20, 5);
	SAY("ll_setlk fh2 F_RDLCK 20+5 owner 11", ceph_ll_setlk(cm, fh2, &fl, 11, 0));
	fl = lock_of(F_WRLCK, 0, 10);
	r = ceph_ll_getlk(cm, fh, &fl, 10);
	show_flock("ll_getlk fh F_WRLCK 0+10 owner 10 (own)", r, &fl);
	fl = lock_of(F_WRLCK, 0, 0);
	r = ceph_ll_getlk(cm, fh, &fl, 10);
	show_flock("ll_getlk fh F_WRLCK 0+0 owner 10", r, &fl);
	fl = lock_of(7, 0, 1);
	SAY("ll_setlk bad type", ceph_ll_setlk(cm, fh, &fl, 10, 0));
	SAY("ll_close fh (holding 0+10)", ceph_ll_close(cm, fh));
	fl = lock_of(F_WRLCK, 0, 10);
	r = ceph_ll_getlk(cm, fh2, &fl, 12);
	show_flock("ll_getlk fh2 F_WRLCK 0+10 owner 12", r, &fl);
	fl = lock_of(F_WRLCK, 0, 10);
	SAY("ll_setlk fh2 F_WRLCK 0+10 owner 12", ceph_ll_setlk(cm, fh2, &fl, 12, 0));
	fl = lock_of(F_UNLCK, 0, 0);
	SAY("ll_setlk fh2 F_UNLCK owner 12", ceph_ll_setlk(cm, fh2, &fl, 12, 0));
	SAY("ll_close fh2 (holding 20+5 read)", ceph_ll_close(cm, fh2));

	/* opens */
	r = ceph_ll_open(cm, f, O_RDONLY, &fh, perms);
	SAY("ll_open llf O_RDONLY", r);
	if (!r) {
		SAY("  ll_write on it", ceph_ll_write(cm, fh, 0, 1, "x"));
		fl = lock_of(F_WRLCK, 0, 0);
		r = ceph_ll_getlk(cm, fh, &fl, 13);
		show_flock("  ll_getlk F_WRLCK 0+0 owner 13", r, &fl);
		SAY("  ll_close", ceph_ll_close(cm, fh));
	}
	r = ceph_ll_open(cm, f, O_WRONLY | O_TRUNC, &fh, perms);
	SAY("ll_open llf O_WRONLY|O_TRUNC", r);
	if (!r) {
		SAY("  ll_read on it", ceph_ll_read(cm, fh, 0, 1, buf));
		SAY("  ll_write 'abcdef'", ceph_ll_write(cm, fh, -1, 6, "abcdef"));
		SAY("  ll_close", ceph_ll_close(cm, fh));
	}
	r = ceph_ll_open(cm, sub, O_RDONLY, &fh, perms);
	SAY("ll_open lld O_RDONLY (a directory)", r);
	if (!r)
		SAY("  ll_close", ceph_ll_close(cm, fh));
	/* Left out: ll_open of a directory O_WRONLY, which is EISDIR on
	 * both, but after which libcephfs 16.2.15 crashes in ceph_unmount. */

	/* attributes */
	/* ll_setattr writes the inode's attributes back into the statx (what
	 * it fills depends on the caps held: not printed) */
	memset(&x, 0, sizeof(x));
	x.stx_mode = 0604;
	x.stx_size = 3;
	x.stx_atime.tv_sec = 1250000000;
	SAY("ll_setattr mode+size+atime", ceph_ll_setattr(cm, f, &x, CEPH_SETATTR_MODE |
						  CEPH_SETATTR_SIZE | CEPH_SETATTR_ATIME, perms));
	memset(&x, 0, sizeof(x));
	x.stx_mtime.tv_sec = 1300000000;
	SAY("ll_setattr mtime", ceph_ll_setattr(cm, f, &x, CEPH_SETATTR_MTIME, perms));
	r = ceph_ll_getattr(cm, f, &x, CEPH_STATX_BASIC_STATS, 0, perms);
	if (r)
		SAY("ll_getattr llf", r);
	else
		show_statx("ll_getattr llf", &x);
	printf("%-44s -> atime=%lld mtime=%lld\n", "  times", (long long)x.stx_atime.tv_sec,
	       (long long)x.stx_mtime.tv_sec);
	memset(&x, 0, sizeof(x));
	x.stx_uid = 4242;
	x.stx_gid = 4343;
	SAY("ll_setattr uid+gid", ceph_ll_setattr(cm, f, &x, CEPH_SETATTR_UID | CEPH_SETATTR_GID,
						  perms));
	r = ceph_ll_getattr(cm, f, &x, CEPH_STATX_UID | CEPH_STATX_GID, 0, perms);
	if (r)
		SAY("ll_getattr llf", r);
	else
		show_statx("ll_getattr llf", &x);
	statx_path("lld/llf", CEPH_STATX_BASIC_STATS, 0);

	/* links */
	SAY("ll_link llf lld/llf2", ceph_ll_link(cm, f, sub, "llf2", perms));
	SAY("ll_link llf lld/llf2 again", ceph_ll_link(cm, f, sub, "llf2", perms));
	r = ceph_ll_getattr(cm, f, &x, CEPH_STATX_NLINK, 0, perms);
	printf("%-44s -> %s nlink=%u\n", "ll_getattr llf nlink", err(r), r ? 0 : x.stx_nlink);
	r = ceph_ll_symlink(cm, sub, "lls", "llf", &ln, &x, CEPH_STATX_MODE | CEPH_STATX_SIZE,
			    0, perms);
	if (r)
		SAY("ll_symlink lld/lls -> llf", r);
	else
		show_statx("ll_symlink lld/lls -> llf", &x);
	SAY("ll_symlink lld/lls again", ceph_ll_symlink(cm, sub, "lls", "x", &e, &x, 0, 0, perms));
	if (!r) {
		memset(buf, '#', sizeof(buf));
		r = ceph_ll_readlink(cm, ln, buf, sizeof(buf), perms);
		show_bytes("ll_readlink lls", buf, r > 0 ? r + 1 : 0);
		r = ceph_ll_readlink(cm, ln, buf, 2, perms);
		show_bytes("ll_readlink lls size 2", buf, r > 0 ? r : 0);
		SAY("ll_readlink llf (not a link)", ceph_ll_readlink(cm, f, buf, sizeof(buf), perms));
	}
	SAY("ll_rename lld/llf2 lld/llf3", ceph_ll_rename(cm, sub, "llf2", sub, "llf3", perms));
	SAY("ll_lookup llf2 after rename", ceph_ll_lookup(cm, sub, "llf2", &e, &x, 0, 0, perms));
	SAY("ll_rename missing", ceph_ll_rename(cm, sub, "missing", sub, "z", perms));
	SAY("ll_rename llf3 to DIR/llf4", ceph_ll_rename(cm, sub, "llf3", dir, "llf4", perms));
	statx_path("llf4", CEPH_STATX_SIZE, 0);
	SAY("ll_unlink DIR/llf4", ceph_ll_unlink(cm, dir, "llf4", perms));

	/* extended attributes */
	SAY("ll_setxattr user.ll", ceph_ll_setxattr(cm, f, "user.ll", "v1", 2, 0, perms));
	SAY("ll_setxattr user.ll XATTR_CREATE", ceph_ll_setxattr(cm, f, "user.ll", "v2", 2,
								  XATTR_CREATE, perms));
	SAY("ll_setxattr user.ll2", ceph_ll_setxattr(cm, f, "user.ll2", "value2", 6, 0, perms));
	SAY("ll_getxattr user.ll size 0", ceph_ll_getxattr(cm, f, "user.ll", NULL, 0, perms));
	r = ceph_ll_getxattr(cm, f, "user.ll", buf, sizeof(buf), perms);
	show_bytes("ll_getxattr user.ll", buf, r > 0 ? r : 0);
	SAY("ll_getxattr user.ll size 1", ceph_ll_getxattr(cm, f, "user.ll", buf, 1, perms));
	SAY("ll_getxattr user.none", ceph_ll_getxattr(cm, f, "user.none", buf, sizeof(buf), perms));
	{
		char list[512], *names[32];
		size_t len = 12345;
		int n = 0;

		r = ceph_ll_listxattr(cm, f, list, sizeof(list), &len, perms);
		printf("%-44s -> %s len=%zu\n", "ll_listxattr llf", err(r), len);
		for (size_t i = 0; !r && i < len && n < 32; i += strlen(list + i) + 1)
			names[n++] = list + i;
		qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
		printf("  names:");
		for (int i = 0; i < n; i++)
			printf(" %s", names[i]);
		printf("\n");
		len = 12345;
		r = ceph_ll_listxattr(cm, f, NULL, 0, &len, perms);
		printf("%-44s -> %s len=%zu\n", "ll_listxattr llf size 0", err(r), len);
		len = 12345;
		r = ceph_ll_listxattr(cm, f, list, 3, &len, perms);
		printf("%-44s -> %s\n", "ll_listxattr llf size 3", err(r));
	}
	SAY("ll_removexattr user.ll", ceph_ll_removexattr(cm, f, "user.ll", perms));
	SAY("ll_removexattr user.ll again", ceph_ll_removexattr(cm, f, "user.ll", perms));
	r = ceph_ll_getxattr(cm, sub, "ceph.dir.entries", buf, sizeof(buf), perms);
	show_bytes("ll_getxattr lld ceph.dir.entries", buf, r > 0 ? r : 0);

	/* directory streams with Inode references */
	SAY("ll_mknod lld/fifo", ceph_ll_mknod(cm, sub, "fifo", S_IFIFO | 0600, 0, &e, &x,
					       CEPH_STATX_MODE, 0, perms));
	SAY("  ll_put", ceph_ll_put(cm, e));
	for (int pass = 0; pass < 2; pass++) {
		struct ceph_dir_result *d;
		struct dirent de;
		char *names[64];
		int n = 0, same = 0;

		if (pass == 0) {
			r = ceph_ll_opendir(cm, sub, &d, perms);
			SAY("ll_opendir lld", r);
		} else {
			r = ceph_opendir(cm, "lld", &d);
			SAY("opendir lld (by path) for readdirplus", r);
		}
		if (r)
			continue;
		while ((r = ceph_readdirplus_r(cm, d, &de, &x, CEPH_STATX_MODE | CEPH_STATX_INO,
					      0, &e)) == 1 && n < 64) {
			struct ceph_statx y;
			char *s = malloc(strlen(de.d_name) + 16);

			if (!ceph_ll_getattr(cm, e, &y, CEPH_STATX_INO | CEPH_STATX_MODE, 0, perms) &&
			    y.stx_ino == x.stx_ino && y.stx_ino == de.d_ino &&
			    y.stx_mode == x.stx_mode)
				same++;
			sprintf(s, "%s:%o", de.d_name, x.stx_mode);
			names[n++] = s;
			ceph_ll_put(cm, e);
		}
		qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
		printf("  readdirplus_r (last r=%s):", err(r));
		for (int i = 0; i < n; i++) {
			printf(" %s", names[i]);
			free(names[i]);
		}
		printf("\n  inodes that match their entries: %d of %d\n", same, n);
		if (pass == 0) {
			struct dirent *p;

			ceph_rewinddir(cm, d);
			n = 0;
			while ((p = ceph_readdir(cm, d)))
				n++;
			printf("%-44s -> %d\n", "  rewinddir + readdir count", n);
			SAY("ll_releasedir", ceph_ll_releasedir(cm, d));
		} else {
			SAY("closedir", ceph_closedir(cm, d));
		}
	}
	{
		struct ceph_dir_result *d;

		SAY("ll_opendir llf (a file)", ceph_ll_opendir(cm, f, &d, perms));
	}

	/* walk */
	r = ceph_ll_walk(cm, "lld/lls", &e, &x, CEPH_STATX_MODE | CEPH_STATX_SIZE, 0, perms);
	if (r)
		SAY("ll_walk lld/lls (follows)", r);
	else {
		show_statx("ll_walk lld/lls (follows)", &x);
		ceph_ll_put(cm, e);
	}
	/* An absolute path, from "/": libcephfs 16.2.15 walks even those
	 * from the current directory. */
	SAY("chdir /", ceph_chdir(cm, "/"));
	snprintf(buf, sizeof(buf), "/%s/lld/llf", dirname);
	r = ceph_ll_walk(cm, buf, &e, &x, CEPH_STATX_MODE | CEPH_STATX_SIZE, 0, perms);
	if (r)
		SAY("ll_walk /DIR/lld/llf", r);
	else {
		show_statx("ll_walk /DIR/lld/llf", &x);
		ceph_ll_put(cm, e);
	}
	snprintf(buf, sizeof(buf), "/%s", dirname);
	SAY("chdir DIR", ceph_chdir(cm, buf));
	r = ceph_ll_walk(cm, "lld/lls", &e, &x, CEPH_STATX_MODE | CEPH_STATX_SIZE,
			 AT_SYMLINK_NOFOLLOW, perms);
	if (r)
		SAY("ll_walk lld/lls NOFOLLOW", r);
	else {
		show_statx("ll_walk lld/lls NOFOLLOW", &x);
		ceph_ll_put(cm, e);
	}
	SAY("ll_walk lld/missing", ceph_ll_walk(cm, "lld/missing", &e, &x, 0, 0, perms));

	{
		struct statvfs sv;

		r = ceph_ll_statfs(cm, sub, &sv);
		printf("%-44s -> %s bsize=%lu namemax=%lu blocks>0=%s\n", "ll_statfs lld", err(r),
		       sv.f_bsize, sv.f_namemax, sv.f_blocks > 0 ? "yes" : "no");
	}

	/* removal */
	SAY("ll_rmdir DIR/lld (not empty)", ceph_ll_rmdir(cm, dir, "lld", perms));
	SAY("ll_unlink lld (a dir)", ceph_ll_unlink(cm, dir, "lld", perms));
	SAY("ll_rmdir lld/llf (a file)", ceph_ll_rmdir(cm, sub, "llf", perms));
	SAY("ll_unlink lld/llf", ceph_ll_unlink(cm, sub, "llf", perms));
	SAY("ll_unlink lld/lls", ceph_ll_unlink(cm, sub, "lls", perms));
	SAY("ll_unlink lld/fifo", ceph_ll_unlink(cm, sub, "fifo", perms));
	SAY("ll_unlink lld/missing", ceph_ll_unlink(cm, sub, "missing", perms));
	SAY("ll_rmdir DIR/lld", ceph_ll_rmdir(cm, dir, "lld", perms));
	SAY("ll_lookup lld after rmdir", ceph_ll_lookup(cm, dir, "lld", &e, &x, 0, 0, perms));
	SAY("ll_put lls", ceph_ll_put(cm, ln));
	SAY("ll_put llf", ceph_ll_put(cm, f));
	SAY("ll_forget lld 1", ceph_ll_forget(cm, sub, 1));
	SAY("ll_put DIR", ceph_ll_put(cm, dir));
	SAY("ll_put root", ceph_ll_put(cm, root));
}

int main(int argc, char **argv)
{
	char buf[256], what[256];
	struct ceph_statx x;
	struct stat st;
	struct statvfs sv;
	int fd, fd2, r;

	if (argc != 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: compat_prog CONF /DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		int major, minor, patch;

		ceph_version(&major, &minor, &patch);
		printf("%-44s -> %d.%d.%d\n", "ceph_version", major, minor, patch);
	}
	SAY("create", ceph_create(&cm, NULL));
	SAY("conf_read_file", ceph_conf_read_file(cm, argv[1]));
	SAY("conf_get of an unknown option", ceph_conf_get(cm, "no_such_option_at_all", buf, sizeof(buf)));
	SAY("is_mounted before mount", ceph_is_mounted(cm));
	SAY("statx before mount", ceph_statx(cm, "/", &x, CEPH_STATX_BASIC_STATS, 0));
	SAY("mount", ceph_mount(cm, NULL));
	SAY("is_mounted", ceph_is_mounted(cm));
	SAY("mount again", ceph_mount(cm, NULL));
	printf("%-44s -> %s\n", "getcwd", ceph_getcwd(cm));

	/* ---- directories ---- */
	snprintf(what, sizeof(what), "%s/a/b/c", argv[2]);
	SAY("mkdirs DIR/a/b/c", ceph_mkdirs(cm, what, 0755));
	SAY("mkdirs DIR/a/b/c again", ceph_mkdirs(cm, what, 0755));
	snprintf(what, sizeof(what), "%s/a", argv[2]);
	SAY("mkdir DIR/a (exists)", ceph_mkdir(cm, what, 0755));
	snprintf(what, sizeof(what), "%s/nope/x", argv[2]);
	SAY("mkdir DIR/nope/x", ceph_mkdir(cm, what, 0755));
	SAY("chdir DIR", ceph_chdir(cm, argv[2]));
	printf("%-44s -> %s\n", "getcwd is DIR", strcmp(ceph_getcwd(cm), argv[2]) ? "no" : "yes");
	SAY("mkdir d777 0777", ceph_mkdir(cm, "d777", 0777));
	statx_path("d777", CEPH_STATX_MODE, 0);

	/* ---- file I/O ---- */
	fd = ceph_open(cm, "f", O_CREAT | O_RDWR, 0644);
	SAY("open f O_CREAT|O_RDWR 0644", fd < 0 ? fd : 0);
	SAY("write 'hello world' at -1", ceph_write(cm, fd, "hello world", 11, -1));
	SAY("lseek 0 SEEK_CUR", (int)ceph_lseek(cm, fd, 0, SEEK_CUR));
	SAY("lseek 0 SEEK_SET", (int)ceph_lseek(cm, fd, 0, SEEK_SET));
	r = ceph_read(cm, fd, buf, 5, -1);
	show_bytes("read 5 at -1", buf, r);
	r = ceph_read(cm, fd, buf, 100, -1);
	show_bytes("read 100 at -1 (the rest)", buf, r);
	r = ceph_read(cm, fd, buf, 5, 6);
	show_bytes("read 5 at 6", buf, r);
	SAY("lseek 0 SEEK_END", (int)ceph_lseek(cm, fd, 0, SEEK_END));
	SAY("lseek -1 SEEK_SET", (int)ceph_lseek(cm, fd, -1, SEEK_SET));
	SAY("write 'X' at 20", ceph_write(cm, fd, "X", 1, 20));
	r = ceph_read(cm, fd, buf, 100, 0);
	show_bytes("read 100 at 0", buf, r);
	r = ceph_read(cm, fd, buf, 100, 50);
	show_bytes("read past the end", buf, r);
	r = ceph_fstatx(cm, fd, &x, CEPH_STATX_BASIC_STATS, 0);
	if (r)
		SAY("fstatx f", r);
	else
		show_statx("fstatx f", &x);
	SAY("fsync f", ceph_fsync(cm, fd, 0));
	SAY("fsync f dataonly", ceph_fsync(cm, fd, 1));
	{
		char a[4] = "abc", b[5] = "defg", c[4], e[5];
		struct iovec w[2] = { { a, 3 }, { b, 4 } }, rd[2] = { { c, 3 }, { e, 4 } };

		SAY("pwritev 3+4 at 30", ceph_pwritev(cm, fd, w, 2, 30));
		r = ceph_preadv(cm, fd, rd, 2, 30);
		SAY("preadv 3+4 at 30", r);
		show_bytes("  first vector", c, 3);
		show_bytes("  second vector", e, 4);
	}
	SAY("ftruncate f 37 -> 25", ceph_ftruncate(cm, fd, 25));
	SAY("close f", ceph_close(cm, fd));
	SAY("close f again", ceph_close(cm, fd));
	SAY("read on a closed fd", ceph_read(cm, fd, buf, 1, 0));
	statx_path("f", CEPH_STATX_SIZE, 0);

	fd = ceph_open(cm, "f", O_RDONLY, 0);
	SAY("open f O_RDONLY", fd < 0 ? fd : 0);
	SAY("write on O_RDONLY", ceph_write(cm, fd, "x", 1, 0));
	SAY("ftruncate on O_RDONLY", ceph_ftruncate(cm, fd, 0));
	r = ceph_read(cm, fd, buf, 11, 0);
	show_bytes("read 11 at 0", buf, r);
	SAY("close", ceph_close(cm, fd));
	fd = ceph_open(cm, "f", O_WRONLY | O_APPEND, 0);
	SAY("open f O_WRONLY|O_APPEND", fd < 0 ? fd : 0);
	SAY("read on O_WRONLY", ceph_read(cm, fd, buf, 1, 0));
	SAY("append 'Z'", ceph_write(cm, fd, "Z", 1, -1));
	SAY("close", ceph_close(cm, fd));
	statx_path("f", CEPH_STATX_SIZE, 0);
	fd = ceph_open(cm, "f", O_WRONLY | O_TRUNC, 0);
	SAY("open f O_TRUNC", fd < 0 ? fd : 0);
	SAY("close", ceph_close(cm, fd));
	statx_path("f", CEPH_STATX_SIZE, 0);
	SAY("open missing O_RDONLY", ceph_open(cm, "missing", O_RDONLY, 0));
	SAY("open f O_CREAT|O_EXCL", ceph_open(cm, "f", O_CREAT | O_EXCL | O_WRONLY, 0644));
	SAY("open dir a O_WRONLY", ceph_open(cm, "a", O_WRONLY, 0));
	/* libcephfs opens a file despite O_DIRECTORY */
	fd = ceph_open(cm, "f", O_RDONLY | O_DIRECTORY, 0);
	SAY("open f O_DIRECTORY", fd < 0 ? fd : 0);
	if (fd >= 0)
		SAY("close", ceph_close(cm, fd));
	fd = ceph_open(cm, "a", O_RDONLY | O_DIRECTORY, 0);
	SAY("open dir a O_RDONLY|O_DIRECTORY", fd < 0 ? fd : 0);
	r = ceph_fstatx(cm, fd, &x, CEPH_STATX_MODE, 0);
	if (r)
		SAY("fstatx dir fd", r);
	else
		show_statx("fstatx dir fd", &x);
	SAY("close dir fd", ceph_close(cm, fd));
	fd = ceph_open(cm, "new", O_CREAT | O_WRONLY, 0666);
	SAY("open new O_CREAT 0666", fd < 0 ? fd : 0);
	SAY("close", ceph_close(cm, fd));
	statx_path("new", CEPH_STATX_MODE, 0);

	/* ---- statx masks ---- */
	fd = ceph_open(cm, "g", O_CREAT | O_RDWR, 0640);
	SAY("write 10000 bytes to g", ceph_write(cm, fd, memset(buf, 'g', 100), 100, 9900));
	SAY("close g", ceph_close(cm, fd));
	statx_path("g", CEPH_STATX_BASIC_STATS, 0);
	statx_path("g", CEPH_STATX_MODE, 0);
	statx_path("g", CEPH_STATX_UID | CEPH_STATX_GID, 0);
	statx_path("g", CEPH_STATX_SIZE, 0);
	statx_path("g", CEPH_STATX_NLINK, 0);
	statx_path("g", CEPH_STATX_INO, 0);
	statx_path("g", CEPH_STATX_BTIME, 0);
	statx_path("g", CEPH_STATX_MTIME | CEPH_STATX_ATIME, 0);
	statx_path("g", 0, 0);
	statx_path("a", CEPH_STATX_BASIC_STATS, 0);
	statx_path("a/b/c", CEPH_STATX_BASIC_STATS, 0);
	statx_path("missing", CEPH_STATX_BASIC_STATS, 0);
	SAY("statx with bad flags", ceph_statx(cm, "g", &x, CEPH_STATX_MODE, 0x1));
	r = ceph_stat(cm, "g", &st);
	printf("%-44s -> %s mode=%o nlink=%lu size=%lld blocks=%lld blksize=%ld\n", "stat g",
	       err(r), st.st_mode, (unsigned long)st.st_nlink, (long long)st.st_size,
	       (long long)st.st_blocks, (long)st.st_blksize);

	/* ---- links ---- */
	SAY("link g h", ceph_link(cm, "g", "h"));
	statx_path("g", CEPH_STATX_NLINK, 0);
	SAY("link g h again", ceph_link(cm, "g", "h"));
	SAY("link missing m", ceph_link(cm, "missing", "m"));
	SAY("unlink h", ceph_unlink(cm, "h"));
	statx_path("g", CEPH_STATX_NLINK, 0);
	SAY("symlink g s", ceph_symlink(cm, "g", "s"));
	SAY("symlink x s (exists)", ceph_symlink(cm, "x", "s"));
	r = ceph_readlink(cm, "s", buf, sizeof(buf));
	show_bytes("readlink s", buf, r > 0 ? r : 0);
	SAY("readlink s size 0", ceph_readlink(cm, "s", buf, 0));
	SAY("readlink g (not a link)", ceph_readlink(cm, "g", buf, sizeof(buf)));
	SAY("readlink missing", ceph_readlink(cm, "missing", buf, sizeof(buf)));
	statx_path("s", CEPH_STATX_MODE | CEPH_STATX_SIZE, 0);
	statx_path("s", CEPH_STATX_MODE | CEPH_STATX_SIZE, AT_SYMLINK_NOFOLLOW);
	r = ceph_lstat(cm, "s", &st);
	printf("%-44s -> %s type=%o size=%lld\n", "lstat s", err(r), st.st_mode & S_IFMT,
	       (long long)st.st_size);
	SAY("symlink /DIR-abs s2 (absolute)", ceph_symlink(cm, argv[2], "s2"));
	statx_path("s2/g", CEPH_STATX_SIZE, 0);
	fd = ceph_open(cm, "s", O_RDONLY, 0);
	SAY("open through the symlink", fd < 0 ? fd : 0);
	r = ceph_read(cm, fd, buf, 3, 9998);
	show_bytes("read 3 at 9998 through it", buf, r);
	SAY("close", ceph_close(cm, fd));
	SAY("open s O_NOFOLLOW", ceph_open(cm, "s", O_RDONLY | O_NOFOLLOW, 0));

	/* ---- attributes ---- */
	SAY("chmod g 0600", ceph_chmod(cm, "g", 0600));
	statx_path("g", CEPH_STATX_MODE, 0);
	SAY("chmod through symlink s 0604", ceph_chmod(cm, "s", 0604));
	statx_path("g", CEPH_STATX_MODE, 0);
	fd = ceph_open(cm, "g", O_RDWR, 0);
	SAY("fchmod g 0611", ceph_fchmod(cm, fd, 0611));
	SAY("fchown g 42 43", ceph_fchown(cm, fd, 42, 43));
	statx_path("g", CEPH_STATX_MODE | CEPH_STATX_UID, 0);
	{
		struct timespec t[2] = { { 1500000000, 0 }, { 1600000000, 0 } };

		SAY("futimens g", ceph_futimens(cm, fd, t));
		ceph_fstatx(cm, fd, &x, CEPH_STATX_ATIME | CEPH_STATX_MTIME, 0);
		printf("%-44s -> atime=%lld.%09ld mtime=%lld.%09ld\n", "  times",
		       (long long)x.stx_atime.tv_sec, x.stx_atime.tv_nsec,
		       (long long)x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec);
	}
	SAY("close", ceph_close(cm, fd));
	SAY("chown g 1234 5678", ceph_chown(cm, "g", 1234, 5678));
	statx_path("g", CEPH_STATX_UID, 0);
	SAY("chown g -1 -1", ceph_chown(cm, "g", -1, -1));
	SAY("chown g -1 99", ceph_chown(cm, "g", -1, 99));
	statx_path("g", CEPH_STATX_UID, 0);
	SAY("lchown s 7 8", ceph_lchown(cm, "s", 7, 8));
	statx_path("s", CEPH_STATX_UID, AT_SYMLINK_NOFOLLOW);
	statx_path("g", CEPH_STATX_UID, 0);
	SAY("chmod missing", ceph_chmod(cm, "missing", 0600));
	{
		struct timeval tv[2] = { { 1000000000, 5 }, { 1100000000, 7 } };

		SAY("utimes g", ceph_utimes(cm, "g", tv));
		ceph_statx(cm, "g", &x, CEPH_STATX_ATIME | CEPH_STATX_MTIME, 0);
		printf("%-44s -> atime=%lld.%09ld mtime=%lld.%09ld\n", "  times",
		       (long long)x.stx_atime.tv_sec, x.stx_atime.tv_nsec,
		       (long long)x.stx_mtime.tv_sec, x.stx_mtime.tv_nsec);
	}
	{
		struct ceph_statx in;

		memset(&in, 0, sizeof(in));
		in.stx_mode = 0640;
		in.stx_size = 7;
		in.stx_mtime.tv_sec = 1200000000;
		SAY("setattrx g mode+size+mtime",
		    ceph_setattrx(cm, "g", &in, CEPH_SETATTR_MODE | CEPH_SETATTR_SIZE |
				  CEPH_SETATTR_MTIME, 0));
		ceph_statx(cm, "g", &x, CEPH_STATX_BASIC_STATS, 0);
		/* the size change makes the mtime the MDS's now */
		printf("%-44s -> mode=%o size=%llu atime=%lld mtime-as-set=%s\n", "  after",
		       x.stx_mode & 07777, (unsigned long long)x.stx_size,
		       (long long)x.stx_atime.tv_sec,
		       x.stx_mtime.tv_sec == 1200000000 ? "yes" : "no");
	}
	SAY("truncate g 3", ceph_truncate(cm, "g", 3));
	statx_path("g", CEPH_STATX_SIZE, 0);
	SAY("truncate g 5000000", ceph_truncate(cm, "g", 5000000));
	statx_path("g", CEPH_STATX_SIZE, 0);
	fd = ceph_open(cm, "g", O_RDONLY, 0);
	r = ceph_read(cm, fd, buf, 6, 0);
	show_bytes("read 6 at 0 after truncates", buf, r);
	SAY("close", ceph_close(cm, fd));
	SAY("truncate missing", ceph_truncate(cm, "missing", 3));
	SAY("mknod fifo p 0644", ceph_mknod(cm, "p", S_IFIFO | 0644, 0));
	statx_path("p", CEPH_STATX_MODE, 0);

	/* ---- extended attributes ---- */
	SAY("setxattr user.a", ceph_setxattr(cm, "g", "user.a", "1", 1, 0));
	SAY("setxattr user.b", ceph_setxattr(cm, "g", "user.b", "two", 3, 0));
	SAY("setxattr user.a XATTR_CREATE", ceph_setxattr(cm, "g", "user.a", "1", 1, XATTR_CREATE));
	SAY("setxattr user.c XATTR_REPLACE", ceph_setxattr(cm, "g", "user.c", "1", 1, XATTR_REPLACE));
	SAY("setxattr user.b XATTR_REPLACE", ceph_setxattr(cm, "g", "user.b", "zwei", 4, XATTR_REPLACE));
	SAY("getxattr user.b size 0", ceph_getxattr(cm, "g", "user.b", NULL, 0));
	r = ceph_getxattr(cm, "g", "user.b", buf, sizeof(buf));
	show_bytes("getxattr user.b", buf, r > 0 ? r : 0);
	SAY("getxattr user.b size 2", ceph_getxattr(cm, "g", "user.b", buf, 2));
	SAY("getxattr user.none", ceph_getxattr(cm, "g", "user.none", buf, sizeof(buf)));
	SAY("getxattr on missing", ceph_getxattr(cm, "missing", "user.a", buf, sizeof(buf)));
	r = ceph_getxattr(cm, "s", "user.a", buf, sizeof(buf));
	show_bytes("getxattr through symlink", buf, r > 0 ? r : 0);
	SAY("lgetxattr on the symlink", ceph_lgetxattr(cm, "s", "user.a", buf, sizeof(buf)));
	{
		char list[512], *names[32];
		int n = 0;

		r = ceph_listxattr(cm, "g", list, sizeof(list));
		SAY("listxattr g", r);
		for (int i = 0; i < r && n < 32; i += (int)strlen(list + i) + 1)
			names[n++] = list + i;
		qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
		printf("  names:");
		for (int i = 0; i < n; i++)
			printf(" %s", names[i]);
		printf("\n");
		SAY("listxattr g size 0", ceph_listxattr(cm, "g", NULL, 0));
		SAY("listxattr g size 1", ceph_listxattr(cm, "g", list, 1));
	}
	SAY("removexattr user.a", ceph_removexattr(cm, "g", "user.a"));
	SAY("removexattr user.a again", ceph_removexattr(cm, "g", "user.a"));
	fd = ceph_open(cm, "g", O_RDONLY, 0);
	SAY("fsetxattr user.f", ceph_fsetxattr(cm, fd, "user.f", "ff", 2, 0));
	r = ceph_fgetxattr(cm, fd, "user.f", buf, sizeof(buf));
	show_bytes("fgetxattr user.f", buf, r > 0 ? r : 0);
	SAY("flistxattr size 0", ceph_flistxattr(cm, fd, NULL, 0));
	SAY("fremovexattr user.f", ceph_fremovexattr(cm, fd, "user.f"));
	r = ceph_getxattr(cm, "g", "ceph.file.layout.stripe_unit", buf, sizeof(buf));
	show_bytes("getxattr ceph.file.layout.stripe_unit", buf, r > 0 ? r : 0);
	r = ceph_getxattr(cm, "g", "ceph.file.layout.pool", buf, sizeof(buf));
	show_bytes("getxattr ceph.file.layout.pool", buf, r > 0 ? r : 0);
	SAY("get_file_stripe_unit", ceph_get_file_stripe_unit(cm, fd));
	SAY("get_file_stripe_count", ceph_get_file_stripe_count(cm, fd));
	SAY("get_file_object_size", ceph_get_file_object_size(cm, fd));
	SAY("get_path_object_size g", ceph_get_path_object_size(cm, "g"));
	SAY("get_path_stripe_unit missing", ceph_get_path_stripe_unit(cm, "missing"));
	r = ceph_get_file_pool_name(cm, fd, buf, sizeof(buf));
	SAY("get_file_pool_name", r);
	printf("  name: %s\n", r > 0 ? buf : "");
	SAY("get_file_pool_name size 0", ceph_get_file_pool_name(cm, fd, NULL, 0));
	SAY("get_file_pool_name size 2", ceph_get_file_pool_name(cm, fd, buf, 2));
	{
		int su = 0, sc = 0, os = 0;

		r = ceph_get_path_layout(cm, "g", &su, &sc, &os, NULL);
		printf("%-44s -> %s su=%d sc=%d os=%d\n", "get_path_layout g", err(r), su, sc, os);
	}
	SAY("close", ceph_close(cm, fd));

	/* ---- directory listing ---- */
	list_dir(".");
	list_dir("a");
	dir_positions(".", "..");
	dir_changes();
	{
		struct ceph_dir_result *d;

		SAY("opendir g (a file)", ceph_opendir(cm, "g", &d));
		SAY("opendir missing", ceph_opendir(cm, "missing", &d));
	}

	/* ---- rename and errors ---- */
	SAY("rename g r", ceph_rename(cm, "g", "r"));
	statx_path("g", CEPH_STATX_MODE, 0);
	statx_path("r", CEPH_STATX_SIZE, 0);
	SAY("rename new r (replaces a file)", ceph_rename(cm, "new", "r"));
	statx_path("r", CEPH_STATX_SIZE, 0);
	SAY("rename missing z", ceph_rename(cm, "missing", "z"));
	SAY("rename d777 a (non-empty dir)", ceph_rename(cm, "d777", "a"));
	SAY("rename a/b a2", ceph_rename(cm, "a/b", "a2"));
	list_dir("a2");
	SAY("rmdir a2 (not empty)", ceph_rmdir(cm, "a2"));
	SAY("rmdir r (a file)", ceph_rmdir(cm, "r"));
	SAY("rmdir missing", ceph_rmdir(cm, "missing"));
	SAY("unlink a2 (a dir)", ceph_unlink(cm, "a2"));
	SAY("unlink missing", ceph_unlink(cm, "missing"));
	SAY("chdir r (a file)", ceph_chdir(cm, "r"));
	SAY("chdir missing", ceph_chdir(cm, "missing"));
	SAY("chdir a2/c", ceph_chdir(cm, "a2/c"));
	SAY("  statx ../../r", ceph_statx(cm, "../../r", &x, CEPH_STATX_SIZE, 0));
	SAY("chdir ../..", ceph_chdir(cm, "../.."));
	printf("%-44s -> %s\n", "getcwd is DIR again", strcmp(ceph_getcwd(cm), argv[2]) ? "no" : "yes");

	/* ---- statfs ---- */
	r = ceph_statfs(cm, "/", &sv);
	printf("%-44s -> %s bsize=%lu frsize=%lu namemax=%lu blocks>0=%s bavail<=blocks=%s ffree=%s\n",
	       "statfs", err(r), sv.f_bsize, sv.f_frsize, sv.f_namemax,
	       sv.f_blocks > 0 ? "yes" : "no", sv.f_bavail <= sv.f_blocks ? "yes" : "no",
	       sv.f_ffree == (fsfilcnt_t)-1 ? "-1" : "other");

	/* ---- locks, fallocate, the low-level interface ---- */
	flock_section();
	fallocate_section();
	ll_section(argv[2] + 1);
	ino_section(argv[1]);

	/* ---- cleanup ---- */
	fd2 = ceph_open(cm, "r", O_RDONLY, 0);
	SAY("open r (left open over unmount)", fd2 < 0 ? fd2 : 0);
	SAY("unlink r", ceph_unlink(cm, "r"));
	SAY("unlink s", ceph_unlink(cm, "s"));
	SAY("unlink s2", ceph_unlink(cm, "s2"));
	SAY("unlink f", ceph_unlink(cm, "f"));
	SAY("unlink p", ceph_unlink(cm, "p"));
	SAY("rmdir a2/c", ceph_rmdir(cm, "a2/c"));
	SAY("rmdir a2", ceph_rmdir(cm, "a2"));
	SAY("rmdir a", ceph_rmdir(cm, "a"));
	SAY("rmdir d777", ceph_rmdir(cm, "d777"));
	list_dir(".");
	SAY("chdir /", ceph_chdir(cm, "/"));
	SAY("rmdir DIR", ceph_rmdir(cm, argv[2]));
	SAY("sync_fs", ceph_sync_fs(cm));
	SAY("release while mounted", ceph_release(cm));
	SAY("unmount", ceph_unmount(cm));
	SAY("unmount again", ceph_unmount(cm));
	SAY("statx after unmount", ceph_statx(cm, "/", &x, CEPH_STATX_BASIC_STATS, 0));
	SAY("release", ceph_release(cm));
	return 0;
}

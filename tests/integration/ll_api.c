/* The inode-handle API (siphon_ll_*) against a real cluster:
 *   ll_api CONF DIR
 * builds a small tree under DIR by inode, checks every call's result and
 * the errors, cross-checks with the path calls, and removes it again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include "siphon/siphon.h"

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                     \
			fprintf(stderr, " (%s)\n", siphon_errstr(c));     \
			exit(1);                                          \
		}                                                         \
	} while (0)

static struct siphon_client *c;

static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t ev_inode, ev_entries;

static void on_inval_inode(void *arg, uint64_t ino)
{
	(void)arg;
	pthread_mutex_lock(&ev_lock);
	ev_inode = ino;
	pthread_mutex_unlock(&ev_lock);
}

static void on_inval_entry(void *arg, uint64_t dir, const char *name,
			   size_t len)
{
	(void)arg;
	(void)dir;
	(void)name;
	(void)len;
	pthread_mutex_lock(&ev_lock);
	ev_entries++;
	pthread_mutex_unlock(&ev_lock);
}

static bool saw_inode(uint64_t ino)
{
	bool yes;

	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&ev_lock);
		yes = ev_inode == ino;
		pthread_mutex_unlock(&ev_lock);
		if (yes)
			return true;
		usleep(50000);
	}
	return false;
}

struct waiter_arg {
	struct siphon_client *c;
	struct siphon_inode *in;
	struct siphon_lock lk;
	int kind, r;
};

static void *wait_lock(void *p)
{
	struct waiter_arg *w = p;

	w->r = siphon_ll_setlk(w->c, w->in, w->kind, &w->lk, 1);
	return NULL;
}

static int count_entry(void *arg, const struct siphon_dirent *d)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct siphon_inode *root, *top, *sub, *f, *l, *x, *again;
	struct siphon_stat st, st2;
	struct siphon_cache_hint hint;
	struct siphon_setattr sa;
	struct siphon_file *fh;
	struct siphon_dir *d;
	struct siphon_dirent de;
	struct siphon_statvfs vfs;
	char buf[256], path[512];
	int n, r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CONF DIR\n", argv[0]);
		return 2;
	}
	CHECK(siphon_create(&c, NULL) == 0, "create");
	CHECK(siphon_conf_read_file(c, argv[1]) == 0, "conf");
	CHECK(siphon_mount(c, NULL) == 0, "mount");
	CHECK(siphon_ll_root(c, &root) == 0, "root");
	{
		struct siphon_callbacks cb = {
			.inval_inode = on_inval_inode,
			.inval_entry = on_inval_entry,
		};

		siphon_set_callbacks(c, &cb);
	}
	CHECK(siphon_ll_ino(root) == 1, "root ino %llu",
	      (unsigned long long)siphon_ll_ino(root));

	/* mkdir, lookup, getattr */
	CHECK(siphon_ll_mkdir(c, root, argv[2], 0750, &top, &st) == 0, "mkdir");
	CHECK(S_ISDIR(st.mode) && (st.mode & 07777) == 0750, "mode %o", st.mode);
	CHECK(siphon_ll_lookup(c, root, argv[2], &again, &st2, &hint) == 0 &&
	      again == top && st2.ino == st.ino, "lookup");
	siphon_ll_put(c, again, 1);
	CHECK(siphon_ll_mkdir(c, root, argv[2], 0750, &x, NULL) == -EEXIST,
	      "mkdir twice");
	CHECK(siphon_ll_lookup(c, top, "nope", &x, NULL, NULL) == -ENOENT,
	      "lookup of a missing name");
	CHECK(siphon_ll_lookup(c, top, "a/b", &x, NULL, NULL) == -EINVAL,
	      "a name with a slash");
	CHECK(siphon_ll_mkdir(c, top, "sub", 0755, &sub, NULL) == 0, "mkdir sub");
	CHECK(siphon_ll_lookup(c, sub, "..", &again, &st2, NULL) == 0 &&
	      again == top, "lookup ..");
	siphon_ll_put(c, again, 1);
	printf("ok: mkdir, lookup (., .., missing, bad names)\n");

	/* create, write, read, by handle */
	CHECK(siphon_ll_create(c, top, "file", 0640, O_RDWR | O_EXCL, &f, &fh,
			       &st) == 0, "create");
	CHECK(S_ISREG(st.mode) && st.size == 0, "new file");
	CHECK(siphon_write(fh, "hello, inode", 12, 0) == 12, "write");
	CHECK(siphon_close(fh) == 0, "close");
	CHECK(siphon_ll_create(c, top, "file", 0640, O_RDWR | O_EXCL, &x, &fh,
			       NULL) == -EEXIST, "exclusive create twice");
	CHECK(siphon_ll_open(c, f, O_RDONLY, &fh) == 0, "open by inode");
	memset(buf, 0, sizeof(buf));
	CHECK(siphon_read(fh, buf, sizeof(buf), 0) == 12 &&
	      !strcmp(buf, "hello, inode"), "read back '%s'", buf);
	CHECK(siphon_close(fh) == 0, "close");
	CHECK(siphon_ll_open(c, top, O_RDONLY, &fh) == -EISDIR, "open a dir");
	CHECK(siphon_ll_getattr(c, f, &st, NULL) == 0 && st.size == 12,
	      "size %llu", (unsigned long long)st.size);
	printf("ok: create, open, read and write by inode\n");

	/* setattr */
	memset(&sa, 0, sizeof(sa));
	sa.mask = SIPHON_SET_SIZE;	/* a truncation also sets the mtime */
	sa.size = 5;
	CHECK(siphon_ll_setattr(c, f, &sa, &st) == 0, "truncate");
	sa.mask = SIPHON_SET_MODE | SIPHON_SET_MTIME;
	sa.mode = 0600;
	sa.mtime.tv_sec = 1000000000;
	CHECK(siphon_ll_setattr(c, f, &sa, &st) == 0, "setattr");
	CHECK((st.mode & 07777) == 0600 && st.size == 5 &&
	      st.mtime.tv_sec == 1000000000, "after setattr: %o %llu %ld",
	      st.mode & 07777, (unsigned long long)st.size,
	      (long)st.mtime.tv_sec);
	snprintf(path, sizeof(path), "/%s/file", argv[2]);
	CHECK(siphon_stat(c, path, &st2) == 0 && st2.size == 5 &&
	      (st2.mode & 07777) == 0600, "path stat agrees");
	printf("ok: setattr (mode, size, mtime)\n");

	/* links, symlinks, rename */
	CHECK(siphon_ll_link(c, f, sub, "hard", &st) == 0 && st.nlink == 2,
	      "link: nlink %u", st.nlink);
	CHECK(siphon_ll_symlink(c, top, "sym", "file", &l, &st) == 0 &&
	      S_ISLNK(st.mode), "symlink");
	CHECK(siphon_ll_readlink(c, l, buf, sizeof(buf)) == 4 &&
	      !strcmp(buf, "file"), "readlink '%s'", buf);
	CHECK(siphon_ll_readlink(c, f, buf, sizeof(buf)) == -EINVAL,
	      "readlink of a file");
	CHECK(siphon_ll_rename(c, top, "sym", sub, "sym2", 0) == 0, "rename");
	CHECK(siphon_ll_lookup(c, sub, "sym2", &again, NULL, NULL) == 0 &&
	      again == l, "renamed");
	siphon_ll_put(c, again, 1);
	CHECK(siphon_ll_rename(c, sub, "hard", sub, "sym2",
			       SIPHON_RENAME_NOREPLACE) == -EEXIST, "NOREPLACE");
	CHECK(siphon_ll_rename(c, sub, "hard", sub, "sym2",
			       SIPHON_RENAME_EXCHANGE) == -EINVAL, "EXCHANGE");
	CHECK(siphon_ll_mknod(c, top, "fifo", S_IFIFO | 0644, 0, &x, &st) == 0 &&
	      S_ISFIFO(st.mode), "mknod fifo");
	siphon_ll_put(c, x, 1);
	printf("ok: link, symlink, readlink, rename (NOREPLACE, EXCHANGE), mknod\n");

	/* readdir by position */
	CHECK(siphon_ll_opendir(c, top, &d) == 0, "opendir");
	CHECK(siphon_ll_dir_count(d) == 3, "3 entries, got %llu",
	      (unsigned long long)siphon_ll_dir_count(d));
	n = 0;
	for (uint64_t i = 0; !siphon_ll_readdir(d, i, &de); i++)
		if (!strcmp(de.name, "file") && de.st.size == 5)
			n++;
	CHECK(n == 1, "file with its size in the listing");
	siphon_ll_releasedir(d);
	n = 0;
	snprintf(path, sizeof(path), "/%s/sub", argv[2]);
	CHECK(siphon_readdir(c, path, count_entry, &n) == 0 && n == 2,
	      "path readdir sees %d", n);
	printf("ok: opendir/readdir by position\n");

	/* xattrs */
	CHECK(siphon_ll_setxattr(c, f, "user.k", "v1", 2, XATTR_CREATE) == 0,
	      "setxattr");
	CHECK(siphon_ll_setxattr(c, f, "user.k", "v1", 2, XATTR_CREATE) == -EEXIST,
	      "setxattr create twice");
	CHECK(siphon_ll_getxattr(c, f, "user.k", NULL, 0) == 2, "size probe");
	CHECK(siphon_ll_getxattr(c, f, "user.k", buf, sizeof(buf)) == 2 &&
	      !memcmp(buf, "v1", 2), "getxattr");
	r = siphon_ll_listxattr(c, f, buf, sizeof(buf));
	CHECK(r > 0 && memmem(buf, (size_t)r, "user.k", 7), "listxattr");
	CHECK(siphon_ll_getxattr(c, f, "ceph.file.layout.object_size", buf,
				 sizeof(buf)) > 0, "ceph.file.layout");
	CHECK(siphon_ll_removexattr(c, f, "user.k") == 0, "removexattr");
	CHECK(siphon_ll_getxattr(c, f, "user.k", NULL, 0) == -ENODATA,
	      "removed xattr");
	printf("ok: xattrs by inode\n");

	{
		/* another client's chmod takes back our caps: we hear it */
		struct siphon_client *c2;

		CHECK(siphon_ll_getattr(c, f, &st, NULL) == 0, "getattr");
		CHECK(siphon_create(&c2, NULL) == 0 &&
		      siphon_conf_read_file(c2, argv[1]) == 0 &&
		      siphon_mount(c2, NULL) == 0, "second client");
		snprintf(path, sizeof(path), "/%s/file", argv[2]);
		CHECK(siphon_chmod(c2, path, 0604) == 0, "chmod by the other");
		CHECK(saw_inode(siphon_ll_ino(f)), "no invalidation for the file");
		CHECK(siphon_ll_getattr(c, f, &st, NULL) == 0 &&
		      (st.mode & 07777) == 0604, "mode after the other's chmod");
		printf("ok: another client's change invalidates the inode\n");

		/* locks hold across clients */
		struct siphon_inode *f2;
		struct siphon_lock lk = { F_WRLCK, 0, 100, 1, 4242 }, q;
		struct waiter_arg w;
		pthread_t t;
		int kinds[2] = { SIPHON_LOCK_POSIX, SIPHON_LOCK_FLOCK };

		CHECK(siphon_ll_root(c2, &x) == 0 &&
		      siphon_ll_lookup(c2, x, argv[2], &again, NULL, NULL) == 0 &&
		      siphon_ll_lookup(c2, again, "file", &f2, NULL, NULL) == 0,
		      "other client's handle");
		siphon_ll_put(c2, again, 1);
		siphon_ll_put(c2, x, 1);
		for (int k = 0; k < 2; k++) {
			lk.type = F_WRLCK;
			if (kinds[k] == SIPHON_LOCK_FLOCK)
				lk.start = lk.len = 0;
			CHECK(siphon_ll_setlk(c, f, kinds[k], &lk, 0) == 0, "lock");
			q = (struct siphon_lock){ F_RDLCK, 10, 1, 7, 1 };
			if (kinds[k] == SIPHON_LOCK_POSIX) {
				CHECK(siphon_ll_getlk(c2, f2, &q) == 0 &&
				      q.type == F_WRLCK && q.pid == 4242,
				      "getlk sees the other's lock: %d %lld",
				      q.type, (long long)q.pid);
			}
			q = lk;
			q.owner = 9;
			CHECK(siphon_ll_setlk(c2, f2, kinds[k], &q, 0) == -EAGAIN,
			      "a conflicting lock without waiting");
			w = (struct waiter_arg){ c2, f2, q, kinds[k], 1 };
			CHECK(pthread_create(&t, NULL, wait_lock, &w) == 0, "thread");
			usleep(300000);
			CHECK(w.r == 1, "the waiting lock went through early");
			lk.type = F_UNLCK;
			CHECK(siphon_ll_setlk(c, f, kinds[k], &lk, 0) == 0, "unlock");
			pthread_join(t, NULL);
			CHECK(w.r == 0, "the waiter got the lock: %d", w.r);
			q.type = F_UNLCK;
			CHECK(siphon_ll_setlk(c2, f2, kinds[k], &q, 0) == 0,
			      "the waiter unlocks");
		}
		siphon_ll_put(c2, f2, 1);
		siphon_unmount(c2);
		siphon_release(c2);
		printf("ok: POSIX and flock locks hold across clients (getlk, EAGAIN, waiting)\n");
	}
	CHECK(siphon_statfs(c, &vfs) == 0 && vfs.bsize == 4u << 20 &&
	      vfs.blocks > 0 && vfs.namemax == 255, "statfs");
	printf("ok: statfs %llu blocks of 4 MiB\n",
	       (unsigned long long)vfs.blocks);

	/* handles by number, removal */
	CHECK(siphon_ll_by_ino(c, siphon_ll_ino(f), &again) == 0 && again == f,
	      "by ino");
	siphon_ll_put(c, again, 1);
	CHECK(siphon_ll_by_ino(c, 0x7fffffffffffull, &x) == -ESTALE,
	      "unknown ino");
	/* by number, from the MDS when not known: another client that never
	 * saw the inodes, a number no inode has, removed files */
	{
		struct siphon_client *c3;
		struct siphon_inode *g, *y;
		struct siphon_stat st3;
		uint64_t gino;

		CHECK(siphon_ll_getattr(c, f, &st, NULL) == 0, "getattr");
		CHECK(siphon_ll_lookup_ino(c, siphon_ll_ino(f), &again, &st2,
					   &hint) == 0 && again == f &&
		      st2.ino == st.ino && st2.size == st.size,
		      "lookup_ino of a known inode");
		siphon_ll_put(c, again, 1);
		CHECK(siphon_create(&c3, NULL) == 0 &&
		      siphon_conf_read_file(c3, argv[1]) == 0 &&
		      siphon_mount(c3, NULL) == 0, "third client");
		CHECK(siphon_ll_by_ino(c3, siphon_ll_ino(f), &y) == -ESTALE,
		      "the third client does not hold the file");
		CHECK(siphon_ll_lookup_ino(c3, siphon_ll_ino(f), &y, &st3,
					   NULL) == 0 &&
		      siphon_ll_ino(y) == st.ino && st3.ino == st.ino &&
		      S_ISREG(st3.mode) && st3.size == st.size &&
		      st3.nlink == st.nlink, "lookup_ino from the MDS");
		CHECK(siphon_ll_readlink(c3, y, buf, sizeof(buf)) == -EINVAL,
		      "a call by the handle the MDS gave");
		siphon_ll_put(c3, y, 1);
		CHECK(siphon_ll_lookup_ino(c3, siphon_ll_ino(sub), &y, &st3,
					   NULL) == 0 && S_ISDIR(st3.mode),
		      "lookup_ino of a directory");
		CHECK(siphon_ll_lookup(c3, y, "..", &again, &st3, NULL) == 0 &&
		      siphon_ll_ino(again) == siphon_ll_ino(top),
		      "its parent from there");
		siphon_ll_put(c3, again, 1);
		siphon_ll_put(c3, y, 1);
		CHECK(siphon_ll_lookup_ino(c3, 0x7fffffffffull, &y, NULL,
					   NULL) == -ESTALE, "no such inode");
		CHECK(siphon_ll_lookup_ino(c3, 0, &y, NULL, NULL) == -ESTALE,
		      "inode 0");
		/* removed by this client */
		CHECK(siphon_ll_mknod(c, top, "gone", S_IFREG | 0644, 0, &g,
				      NULL) == 0, "mknod gone");
		gino = siphon_ll_ino(g);
		siphon_ll_put(c, g, 1);
		CHECK(siphon_ll_unlink(c, top, "gone") == 0, "unlink gone");
		CHECK(siphon_ll_lookup_ino(c, gino, &y, NULL, NULL) == -ESTALE,
		      "lookup_ino of a removed file");
		CHECK(siphon_ll_lookup_ino(c3, gino, &y, NULL, NULL) == -ESTALE,
		      "lookup_ino of a removed file, another client");
		/* removed by another client while this one holds it: the
		 * count the MDS gives once the unlink is journaled */
		CHECK(siphon_ll_mknod(c, top, "gone2", S_IFREG | 0644, 0, &g,
				      NULL) == 0, "mknod gone2");
		gino = siphon_ll_ino(g);
		siphon_ll_put(c, g, 1);
		CHECK(siphon_ll_lookup_ino(c3, gino, &y, NULL, NULL) == 0,
		      "lookup_ino of gone2");
		CHECK(siphon_ll_unlink(c, top, "gone2") == 0, "unlink gone2");
		CHECK(siphon_ll_lookup_ino(c3, gino, &g, NULL, NULL) == -ESTALE,
		      "lookup_ino of a file another client removed");
		siphon_ll_put(c3, y, 1);
		siphon_unmount(c3);
		siphon_release(c3);
		printf("ok: lookup by inode number (cached, from the MDS, "
		       "unknown, removed)\n");
	}
	CHECK(siphon_ll_rmdir(c, top, "sub") == -ENOTEMPTY, "rmdir non-empty");
	CHECK(siphon_ll_unlink(c, sub, "hard") == 0, "unlink");
	CHECK(siphon_ll_unlink(c, sub, "sym2") == 0, "unlink");
	CHECK(siphon_ll_rmdir(c, top, "sub") == 0, "rmdir");
	CHECK(siphon_ll_unlink(c, top, "file") == 0 &&
	      siphon_ll_unlink(c, top, "fifo") == 0, "unlink");
	CHECK(siphon_ll_unlink(c, top, "file") == -ENOENT, "unlink twice");
	siphon_ll_put(c, f, 1);
	siphon_ll_put(c, l, 1);
	siphon_ll_put(c, sub, 1);
	CHECK(siphon_ll_rmdir(c, root, argv[2]) == 0, "rmdir top");
	siphon_ll_put(c, top, 1);
	siphon_ll_put(c, root, 1);
	printf("ok: unlink, rmdir, handles by number\n");
	CHECK(siphon_unmount(c) == 0, "unmount");
	siphon_release(c);
	return 0;
}

/* Integration checks of the MDS client through the library API.
 *   mds_client CONF safe    unsafe then safe replies; sync waits for safe
 *   mds_client CONF pinned  a directory pinned to rank 1: requests reach
 *                           it (by forward), two sessions open
 *   mds_client CONF coherent  two clients: cached metadata follows the
 *                           other's changes
 *   mds_client CONF evict   prints its global id, waits for a line on
 *                           stdin (the script evicts it meanwhile), then
 *                           checks that metadata calls and I/O on an open
 *                           file fail with an error at once, not hang */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/client.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "siphon/siphon.h"

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                     \
			fprintf(stderr, "\n");                            \
			exit(1);                                          \
		}                                                         \
	} while (0)

static void stats(struct siphon_client *c, struct mdsc_stats *st)
{
	mdsc_get_stats(c->mdsc, st);
	printf("requests %llu unsafe %llu safe %llu forwards %llu sessions %d caps %llu\n",
	       (unsigned long long)st->requests,
	       (unsigned long long)st->unsafe_replies,
	       (unsigned long long)st->safe_replies,
	       (unsigned long long)st->forwards, st->sessions_open,
	       (unsigned long long)st->caps_held);
}

static int safe_mode(struct siphon_client *c)
{
	struct mdsc_stats st;
	char p[64];
	int r;

	r = siphon_mkdir(c, "/safe", 0755);
	CHECK(r == 0 || r == -EEXIST, "mkdir /safe: %d", r);
	for (int i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "/safe/d%d", i);
		CHECK(siphon_mkdir(c, p, 0755) == 0, "%s", siphon_errstr(c));
	}
	stats(c, &st);
	/* the MDS answers mkdir early (unsafe), then once journaled (safe) */
	CHECK(st.unsafe_replies >= 1, "no unsafe reply among 50 mkdirs");
	/* fsync of the directory waits for the changes of its entries */
	{
		struct mds_request *q = mdsc_request_new(CEPH_MDS_OP_MKDIR);
		struct siphon_stat dst;
		uint64_t safe_before;

		CHECK(siphon_stat(c, "/safe", &dst) == 0, "%s", siphon_errstr(c));
		mdsc_request_set_path(q, CEPH_INO_ROOT, "safe/fsynced");
		q->msg.args.mkdir.mode = S_IFDIR | 0755;
		CHECK(mdsc_do_request(c->mdsc, q, 30000) == 0, "mkdir");
		CHECK(q->dir_ino == dst.ino, "request not linked to its directory");
		safe_before = q->got_safe;
		CHECK(siphon_fsync_path(c, "/safe") == 0, "%s", siphon_errstr(c));
		CHECK(q->got_safe, "fsync of the directory returned before safe");
		printf("mkdir was %s before the directory's fsync\n",
		       safe_before ? "already safe" : "unsafe");
		mdsc_request_put(q);
		CHECK(siphon_rmdir(c, "/safe/fsynced") == 0, "%s", siphon_errstr(c));
	}
	CHECK(siphon_sync_fs(c) == 0, "sync: %s", siphon_errstr(c));
	stats(c, &st);
	CHECK(st.safe_replies >= 51, "after sync only %llu safe replies",
	      (unsigned long long)st.safe_replies);
	for (int i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "/safe/d%d", i);
		CHECK(siphon_rmdir(c, p) == 0, "%s", siphon_errstr(c));
	}
	CHECK(siphon_rmdir(c, "/safe") == 0, "%s", siphon_errstr(c));
	CHECK(siphon_sync_fs(c) == 0, "sync: %s", siphon_errstr(c));
	return 0;
}

static int pinned_mode(struct siphon_client *c)
{
	struct mdsc_stats st;
	struct siphon_stat sst;
	char p[64], v[16];
	int r, i;

	r = siphon_mkdir(c, "/pinned", 0755);
	CHECK(r == 0 || r == -EEXIST, "mkdir /pinned: %d", r);
	/* files whose caps come from rank 0 before the subtree moves */
	for (i = 0; i < 10; i++) {
		snprintf(p, sizeof(p), "/pinned/early%d", i);
		CHECK(siphon_mknod(c, p, S_IFREG | 0644, 0) == 0, "%s",
		      siphon_errstr(c));
		CHECK(siphon_stat(c, p, &sst) == 0, "%s", siphon_errstr(c));
	}
	CHECK(mdsc_caps_on_rank(c->mdsc, 0) >= 10, "caps from rank 0: %zu",
	      mdsc_caps_on_rank(c->mdsc, 0));
	CHECK(mdsc_caps_on_rank(c->mdsc, 1) == 0, "caps from rank 1 early");
	CHECK(siphon_setxattr(c, "/pinned", "ceph.dir.pin", "1", 1, 0) == 0,
	      "pin: %s", siphon_errstr(c));
	r = siphon_getxattr(c, "/pinned", "ceph.dir.pin", v, sizeof(v) - 1);
	CHECK(r > 0, "getxattr ceph.dir.pin: %d", r);
	v[r] = '\0';
	CHECK(!strcmp(v, "1"), "ceph.dir.pin is %s", v);
	/* the export to rank 1 takes a moment: work inside until a request
	 * has been forwarded there */
	for (i = 0; i < 60; i++) {
		snprintf(p, sizeof(p), "/pinned/d%d", i);
		CHECK(siphon_mkdir(c, p, 0755) == 0, "%s", siphon_errstr(c));
		CHECK(siphon_stat(c, p, &sst) == 0, "%s", siphon_errstr(c));
		mdsc_get_stats(c->mdsc, &st);
		if (st.forwards > 0 && st.sessions_open >= 2)
			break;
		sleep(1);
	}
	stats(c, &st);
	CHECK(st.forwards > 0, "no request was forwarded to rank 1");
	CHECK(st.sessions_open >= 2, "only %d MDS sessions", st.sessions_open);
	printf("pinned directory served through rank 1 after %d rounds\n", i + 1);
	/* the caps went with the subtree: exported by rank 0, imported by 1 */
	for (i = 0; i < 100 && mdsc_caps_on_rank(c->mdsc, 1) < 10; i++)
		usleep(100000);
	printf("caps: %zu from rank 0, %zu from rank 1\n",
	       mdsc_caps_on_rank(c->mdsc, 0), mdsc_caps_on_rank(c->mdsc, 1));
	CHECK(mdsc_caps_on_rank(c->mdsc, 1) >= 10, "caps did not move to rank 1");

	/* now that the client knows where the subtree lives, requests go
	 * straight to rank 1: no more forwards */
	{
		uint64_t fwd = st.forwards;

		for (int k = 0; k < 20; k++) {
			snprintf(p, sizeof(p), "/pinned/e%d", k);
			CHECK(siphon_mkdir(c, p, 0755) == 0, "%s", siphon_errstr(c));
			CHECK(siphon_stat(c, p, &sst) == 0, "%s", siphon_errstr(c));
		}
		stats(c, &st);
		CHECK(st.forwards == fwd, "%llu more forwards for a known subtree",
		      (unsigned long long)(st.forwards - fwd));
	}
	return 0;
}

/* Two clients in one process: what one caches must follow what the
 * other changes (the MDS revokes caps and leases first). */
static int count_entry(void *arg, const struct siphon_dirent *d)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

static int listed(struct siphon_client *c, const char *dir)
{
	int n = 0;

	CHECK(siphon_readdir(c, dir, count_entry, &n) == 0, "readdir %s: %s",
	      dir, siphon_errstr(c));
	return n;
}

static int coherent_mode(struct siphon_client *a, const char *conf)
{
	struct siphon_client *b;
	struct siphon_stat st;
	struct mdsc_stats s0, s1;
	int r;

	CHECK(siphon_create(&b, NULL) == 0, "create b");
	CHECK(siphon_conf_read_file(b, conf) == 0, "%s", siphon_errstr(b));
	CHECK(siphon_mount(b, NULL) == 0, "mount b: %s", siphon_errstr(b));
	r = siphon_mkdir(a, "/coh", 0755);
	CHECK(r == 0 || r == -EEXIST, "mkdir /coh: %d", r);
	CHECK(siphon_mknod(a, "/coh/f", S_IFREG | 0644, 0) == 0, "%s", siphon_errstr(a));

	/* a's second stat is served from its cache */
	CHECK(siphon_stat(a, "/coh/f", &st) == 0, "%s", siphon_errstr(a));
	mdsc_get_stats(a->mdsc, &s0);
	CHECK(siphon_stat(a, "/coh/f", &st) == 0, "%s", siphon_errstr(a));
	mdsc_get_stats(a->mdsc, &s1);
	printf("cached stat: %llu requests -> %llu, cache hits %llu -> %llu\n",
	       (unsigned long long)s0.requests, (unsigned long long)s1.requests,
	       (unsigned long long)s0.cache_hits, (unsigned long long)s1.cache_hits);
	CHECK(s1.requests == s0.requests, "a cached stat went to the MDS");
	CHECK((st.mode & 07777) == 0644, "mode %o", st.mode & 07777);

	/* b changes the file; a sees it at once */
	CHECK(siphon_chmod(b, "/coh/f", 0600) == 0, "%s", siphon_errstr(b));
	CHECK(siphon_stat(a, "/coh/f", &st) == 0, "%s", siphon_errstr(a));
	CHECK((st.mode & 07777) == 0600, "a still sees mode %o after b's chmod",
	      st.mode & 07777);
	CHECK(siphon_rename(b, "/coh/f", "/coh/g") == 0, "%s", siphon_errstr(b));
	r = siphon_stat(a, "/coh/f", &st);
	CHECK(r == -ENOENT, "a still finds the renamed name (%d)", r);
	CHECK(siphon_stat(a, "/coh/g", &st) == 0, "a does not find the new name");
	CHECK(siphon_unlink(b, "/coh/g") == 0, "%s", siphon_errstr(b));
	r = siphon_stat(a, "/coh/g", &st);
	CHECK(r == -ENOENT, "a still finds the unlinked file (%d)", r);
	CHECK(siphon_mkdir(b, "/coh/d", 0700) == 0, "%s", siphon_errstr(b));
	CHECK(siphon_stat(a, "/coh/d", &st) == 0 && S_ISDIR(st.mode),
	      "a does not see b's mkdir");
	CHECK(siphon_rmdir(a, "/coh/d") == 0, "%s", siphon_errstr(a));
	r = siphon_stat(b, "/coh/d", &st);
	CHECK(r == -ENOENT, "b still finds a's removed directory (%d)", r);
	/* a's own changes keep a's cache right too */
	CHECK(siphon_mknod(a, "/coh/h1", S_IFREG | 0644, 0) == 0, "%s", siphon_errstr(a));
	CHECK(siphon_link(a, "/coh/h1", "/coh/h2") == 0, "%s", siphon_errstr(a));
	CHECK(siphon_stat(a, "/coh/h2", &st) == 0 && st.nlink == 2, "nlink %u", st.nlink);
	CHECK(siphon_stat(a, "/coh/h1", &st) == 0 && st.nlink == 2, "nlink %u", st.nlink);
	CHECK(siphon_unlink(a, "/coh/h1") == 0, "%s", siphon_errstr(a));
	CHECK(siphon_stat(a, "/coh/h2", &st) == 0 && st.nlink == 1,
	      "after unlinking the other link a sees nlink %u", st.nlink);
	CHECK(siphon_stat(a, "/coh/h1", &st) == -ENOENT, "unlinked name still found");
	CHECK(siphon_mknod(a, "/coh/victim", S_IFREG | 0600, 0) == 0, "%s", siphon_errstr(a));
	CHECK(siphon_stat(a, "/coh/victim", &st) == 0, "%s", siphon_errstr(a));
	CHECK(siphon_rename(a, "/coh/h2", "/coh/victim") == 0, "%s", siphon_errstr(a));
	CHECK(siphon_stat(a, "/coh/victim", &st) == 0 && (st.mode & 07777) == 0644,
	      "rename over a cached name: a sees mode %o", st.mode & 07777);
	CHECK(siphon_stat(a, "/coh/h2", &st) == -ENOENT, "renamed name still found");
	CHECK(siphon_stat(b, "/coh/victim", &st) == 0 && (st.mode & 07777) == 0644,
	      "b sees mode %o", st.mode & 07777);
	CHECK(siphon_unlink(b, "/coh/victim") == 0, "%s", siphon_errstr(b));

	/* listings: the second one comes from a's cache, and changes by
	 * either client show up in the next one */
	CHECK(siphon_mknod(a, "/coh/l1", S_IFREG | 0644, 0) == 0, "%s", siphon_errstr(a));
	CHECK(listed(a, "/coh") == 1, "listing 1");
	mdsc_get_stats(a->mdsc, &s0);
	CHECK(listed(a, "/coh") == 1, "listing 1 again");
	mdsc_get_stats(a->mdsc, &s1);
	CHECK(s1.requests == s0.requests, "a repeated listing went to the MDS");
	CHECK(siphon_mknod(b, "/coh/l2", S_IFREG | 0644, 0) == 0, "%s", siphon_errstr(b));
	CHECK(listed(a, "/coh") == 2, "a does not list b's new file");
	CHECK(siphon_unlink(a, "/coh/l1") == 0, "%s", siphon_errstr(a));
	CHECK(listed(a, "/coh") == 1, "a still lists its own unlinked file");
	CHECK(siphon_rename(b, "/coh/l2", "/l2-moved") == 0, "%s", siphon_errstr(b));
	CHECK(listed(a, "/coh") == 0, "a still lists a file b moved away");
	CHECK(siphon_unlink(b, "/l2-moved") == 0, "%s", siphon_errstr(b));
	CHECK(siphon_rmdir(b, "/coh") == 0, "%s", siphon_errstr(b));
	siphon_unmount(b);
	siphon_release(b);
	printf("two clients stay coherent\n");
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int evict_mode(struct siphon_client *c)
{
	struct siphon_file *f;
	char line[64], buf[16] = "0123456789abcde";
	struct siphon_stat st;
	double t0;
	int r;

	CHECK(siphon_mkdirs(c, "/ev", 0755) == 0, "mkdir: %s", siphon_errstr(c));
	CHECK(siphon_open(c, "/ev/file", O_CREAT | O_RDWR, 0644, &f) == 0,
	      "open: %s", siphon_errstr(c));
	CHECK(siphon_write(f, buf, sizeof(buf), 0) == sizeof(buf), "write: %s",
	      siphon_errstr(c));
	CHECK(siphon_fsync(f) == 0, "fsync: %s", siphon_errstr(c));
	printf("%llu\n", (unsigned long long)siphon_global_id(c));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	/* evicted now: every call must come back with an error, quickly */
	t0 = now_s();
	r = siphon_mkdir(c, "/ev/after", 0755);
	printf("mkdir after eviction: %d (%s) in %.2f s\n", r, siphon_errstr(c),
	       now_s() - t0);
	CHECK(r < 0, "mkdir succeeded after eviction");
	t0 = now_s();
	r = (int)siphon_write(f, buf, sizeof(buf), 100);
	printf("write after eviction: %d (%s) in %.2f s\n", r, siphon_errstr(c),
	       now_s() - t0);
	CHECK(r < 0, "write succeeded after eviction");
	t0 = now_s();
	r = siphon_stat(c, "/ev/file", &st);
	printf("stat after eviction: %d in %.2f s\n", r, now_s() - t0);
	CHECK(r < 0, "stat succeeded after eviction");
	siphon_close(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct siphon_client *c;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CONF safe|pinned|coherent|evict\n", argv[0]);
		return 2;
	}
	CHECK(siphon_create(&c, NULL) == 0, "create");
	CHECK(siphon_conf_read_file(c, argv[1]) == 0, "%s", siphon_errstr(c));
	CHECK(siphon_mount(c, NULL) == 0, "mount: %s", siphon_errstr(c));
	if (!strcmp(argv[2], "safe"))
		r = safe_mode(c);
	else if (!strcmp(argv[2], "coherent"))
		r = coherent_mode(c, argv[1]);
	else if (!strcmp(argv[2], "evict"))
		r = evict_mode(c);
	else
		r = pinned_mode(c);
	if (strcmp(argv[2], "evict"))
		CHECK(siphon_unmount(c) == 0, "unmount");
	else
		siphon_unmount(c);	/* evicted: nothing to flush to */
	siphon_release(c);
	return r;
}

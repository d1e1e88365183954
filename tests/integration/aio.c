/* The asynchronous API and read-ahead, for test_aio.sh.
 *   aio CONF [-o OPT=VAL]... gen SIZE SEED    prints SIZE bytes of the
 *                                             test pattern for SEED
 *   aio CONF ... inflight NAME                in directory NAME of the
 *       root, from one thread driving completions with poll() on
 *       siphon_event_fd(): 256 writes then 256 reads (and reads across
 *       objects and past the end) all in flight at once, every byte
 *       checked; writes then siphon_aio_close in flight together;
 *       then metadata calls 64 at a time (mkdir, create,
 *       lookup, getattr, setattr, rename, unlink, rmdir) and errors
 *   aio CONF ... loopmode NAME                writes and reads in flight
 *       with callbacks on siphon's thread (no event fd)
 *   aio CONF ... seqread PATH CHUNK SEED      reads PATH in CHUNK-byte
 *       calls, checks the pattern, prints the I/O counters
 *   aio CONF ... coherence PATH SEED1 SEED2   reads the first half of
 *       PATH (pattern SEED1) in 1 MiB calls, prints "paused CACHE" with
 *       the bytes read ahead, waits for a line on stdin (another client
 *       rewrites the file with SEED2 meanwhile), then reads all of it
 *       again from where it stopped and from the start: SEED2 everywhere
 *   aio CONF ... wbbound NAME BOUND           with client_oc_max_dirty
 *       BOUND: 64 MiB of 64 KiB writes all in flight at once (event fd),
 *       then two threads writing two files with blocking calls; the
 *       write-behind bytes sampled all along and their peak never pass
 *       BOUND, writes did wait for room, every byte read back
 * Exit 0 on success; failures say what and where on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

#define NIO 256			/* data operations in flight at once */
#define NMETA 64		/* metadata operations in flight at once */
#define BLOCK (64u << 10)

/* ---- the pattern: every byte a function of its offset and a seed ---- */

static uint64_t word(uint64_t i, uint64_t seed)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ULL + seed * 0xbf58476d1ce4e5b9ULL;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

static void pattern(uint8_t *p, uint64_t off, size_t len, uint64_t seed)
{
	for (size_t k = 0; k < len; k++) {
		uint64_t at = off + k;

		p[k] = (uint8_t)(word(at / 8, seed) >> (8 * (at % 8)));
	}
}

/* The first offset where p differs from the pattern, or -1. */
static int64_t mismatch(const uint8_t *p, uint64_t off, size_t len,
			uint64_t seed)
{
	for (size_t k = 0; k < len; k++) {
		uint64_t at = off + k;

		if (p[k] != (uint8_t)(word(at / 8, seed) >> (8 * (at % 8))))
			return (int64_t)at;
	}
	return -1;
}

/* ---- completions ---- */

struct slot {
	int64_t result;
	int done;
	int order;		/* when it completed */
};

static int completed, submitting;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_t main_thread;
static int efd = -1;		/* -1: callbacks on siphon's thread */
static int cb_on_main, cb_elsewhere, cb_while_submitting;

static void on_done(struct siphon_client *c, int64_t result, void *arg)
{
	struct slot *s = arg;

	pthread_mutex_lock(&lock);
	CHECK(!s->done, "a callback ran twice");
	s->result = result;
	s->done = 1;
	s->order = completed++;
	if (pthread_equal(pthread_self(), main_thread))
		cb_on_main++;
	else
		cb_elsewhere++;
	if (submitting)
		cb_while_submitting++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* Waits until n slots are done: poll() on the event fd and
 * siphon_service(), or (loop mode) the callbacks' condition variable. */
static void wait_all(struct siphon_client *c, struct slot *s, int n)
{
	for (;;) {
		int left = 0;

		pthread_mutex_lock(&lock);
		for (int i = 0; i < n; i++)
			left += !s[i].done;
		if (!left) {
			pthread_mutex_unlock(&lock);
			return;
		}
		if (efd < 0) {
			struct timespec dl;

			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += 120;
			CHECK(pthread_cond_timedwait(&cond, &lock, &dl) == 0,
			      "%d operations did not complete in 120 s", left);
			pthread_mutex_unlock(&lock);
			continue;
		}
		pthread_mutex_unlock(&lock);
		struct pollfd p = { .fd = efd, .events = POLLIN };
		int r = poll(&p, 1, 120000);

		CHECK(r == 1, "%d operations: no completion within 120 s", left);
		CHECK(siphon_service(c) >= 0, "service: %s", siphon_errstr(c));
	}
}

static void reset(struct slot *s, int n)
{
	memset(s, 0, sizeof(*s) * (size_t)n);
}

static void shuffle(int *v, int n, unsigned seed)
{
	for (int i = 0; i < n; i++)
		v[i] = i;
	srand(seed);
	for (int i = n - 1; i > 0; i--) {
		int j = rand() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* ---- data in flight ---- */

static void data_in_flight(struct siphon_client *c, struct siphon_file *f,
			   const char *what)
{
	static struct slot s[NIO + 64];
	uint8_t *wbuf = malloc((size_t)NIO * BLOCK);
	uint8_t *rbuf = malloc((size_t)NIO * BLOCK);
	uint8_t *xbuf = malloc((size_t)64 * 100000);
	int order[NIO];
	struct siphon_io_stats st;
	uint64_t size = (uint64_t)NIO * BLOCK;

	CHECK(wbuf && rbuf && xbuf, "out of memory");
	/* 256 writes of 64 KiB in a shuffled order, all started before any
	 * completion is looked at */
	shuffle(order, NIO, 1);
	reset(s, NIO);
	pthread_mutex_lock(&lock);
	submitting = 1;
	pthread_mutex_unlock(&lock);
	for (int k = 0; k < NIO; k++) {
		int i = order[k];
		uint64_t off = (uint64_t)i * BLOCK;

		pattern(wbuf + off, off, BLOCK, 1);
		CHECK(!siphon_aio_write(f, wbuf + off, BLOCK, (int64_t)off,
					on_done, &s[i]),
		      "aio_write %d: %s", i, siphon_errstr(c));
	}
	pthread_mutex_lock(&lock);
	submitting = 0;
	pthread_mutex_unlock(&lock);
	siphon_get_io_stats(c, &st);
	printf("%s: %d writes started, %llu operations under way\n", what, NIO,
	       (unsigned long long)st.in_flight);
	wait_all(c, s, NIO);
	for (int i = 0; i < NIO; i++)
		CHECK(s[i].result == BLOCK, "write %d: %lld", i,
		      (long long)s[i].result);
	{
		struct slot fs = { 0 };

		CHECK(!siphon_aio_fsync(f, on_done, &fs), "aio_fsync: %s",
		      siphon_errstr(c));
		wait_all(c, &fs, 1);
		CHECK(fs.result == 0, "fsync: %lld", (long long)fs.result);
	}

	/* 256 reads of 64 KiB in another order, and 64 reads of 100000
	 * bytes at odd offsets (across 4 MiB objects), all in flight */
	shuffle(order, NIO, 2);
	reset(s, NIO + 64);
	memset(rbuf, 0xa5, size);
	pthread_mutex_lock(&lock);
	submitting = 1;
	pthread_mutex_unlock(&lock);
	for (int k = 0; k < NIO; k++) {
		int i = order[k];
		uint64_t off = (uint64_t)i * BLOCK;

		CHECK(!siphon_aio_read(f, rbuf + off, BLOCK, (int64_t)off,
				       on_done, &s[i]),
		      "aio_read %d: %s", i, siphon_errstr(c));
	}
	for (int i = 0; i < 64; i++) {
		uint64_t off = ((uint64_t)(i % 4) + 1) * (4u << 20) - 50000 +
			       (uint64_t)i * 7;

		if (off + 100000 > size)
			off = size - 100000 - (uint64_t)i;
		CHECK(!siphon_aio_read(f, xbuf + (size_t)i * 100000, 100000,
				       (int64_t)off, on_done, &s[NIO + i]),
		      "aio_read across objects: %s", siphon_errstr(c));
	}
	pthread_mutex_lock(&lock);
	submitting = 0;
	pthread_mutex_unlock(&lock);
	siphon_get_io_stats(c, &st);
	printf("%s: %d reads started, %llu operations under way\n", what,
	       NIO + 64, (unsigned long long)st.in_flight);
	wait_all(c, s, NIO + 64);
	for (int i = 0; i < NIO; i++) {
		uint64_t off = (uint64_t)i * BLOCK;
		int64_t bad;

		CHECK(s[i].result == BLOCK, "read %d: %lld", i,
		      (long long)s[i].result);
		bad = mismatch(rbuf + off, off, BLOCK, 1);
		CHECK(bad < 0, "read %d: wrong byte at %lld", i, (long long)bad);
	}
	for (int i = 0; i < 64; i++) {
		uint64_t off = ((uint64_t)(i % 4) + 1) * (4u << 20) - 50000 +
			       (uint64_t)i * 7;
		int64_t bad;

		if (off + 100000 > size)
			off = size - 100000 - (uint64_t)i;
		CHECK(s[NIO + i].result == 100000, "read across objects %d: %lld",
		      i, (long long)s[NIO + i].result);
		bad = mismatch(xbuf + (size_t)i * 100000, off, 100000, 1);
		CHECK(bad < 0, "read across objects %d: wrong byte at %lld", i,
		      (long long)bad);
	}
	/* at and past the end */
	{
		struct slot e[2] = { { 0 } };

		CHECK(!siphon_aio_read(f, rbuf, BLOCK, (int64_t)size - 1000,
				       on_done, &e[0]), "aio_read at the end");
		CHECK(!siphon_aio_read(f, rbuf + BLOCK, BLOCK, (int64_t)size + 5,
				       on_done, &e[1]), "aio_read past the end");
		wait_all(c, e, 2);
		CHECK(e[0].result == 1000, "read at the end: %lld",
		      (long long)e[0].result);
		CHECK(e[1].result == 0, "read past the end: %lld",
		      (long long)e[1].result);
		CHECK(mismatch(rbuf, size - 1000, 1000, 1) < 0,
		      "read at the end: wrong bytes");
	}
	pthread_mutex_lock(&lock);
	if (efd >= 0) {
		/* only siphon_service runs them, never a submitting call */
		CHECK(!cb_while_submitting, "%d callbacks ran inside the calls "
		      "that started them", cb_while_submitting);
		CHECK(!cb_elsewhere, "%d callbacks ran off the servicing thread",
		      cb_elsewhere);
	} else {
		/* on siphon's thread, even those done before their call
		 * returned */
		CHECK(!cb_on_main, "%d callbacks ran on the caller's thread "
		      "without an event fd", cb_on_main);
	}
	pthread_mutex_unlock(&lock);
	printf("%s: %d writes, %d reads: every byte checked\n", what, NIO,
	       NIO + 66);
	free(wbuf);
	free(rbuf);
	free(xbuf);
}

/* ---- closing without waiting ---- */

/* 16 writes that cross an object boundary (never buffered: they go to
 * two OSD objects at once), then siphon_aio_close at once with them
 * under way: the close completes after all of them, with 0, its callback
 * last. The same with 64 buffered writes on another handle (the close
 * waits for the write-behind). Another handle then reads every byte, and
 * a handle reading ahead is closed the same way, its read-ahead likely
 * in flight. */
#define CROSS(k) ((int64_t)((k) + 1) * (4 << 20) - LEN / 2)
static void close_in_flight(struct siphon_client *c, struct siphon_inode *top)
{
	enum { N = 64, X = 16, LEN = 4096 };
	static struct slot s[N + X + 2];
	static uint8_t buf[N * LEN], back[N * LEN], xbuf[X][LEN];
	struct siphon_inode *in;
	struct siphon_file *f;
	int64_t bad;

	CHECK(!siphon_ll_create(c, top, "closing", 0644,
				O_RDWR | O_CREAT | O_TRUNC, &in, &f, NULL),
	      "create: %s", siphon_errstr(c));
	reset(s, N + X + 2);
	for (int k = 0; k < X; k++) {
		pattern(xbuf[k], (uint64_t)CROSS(k), LEN, 7);
		CHECK(!siphon_aio_write(f, xbuf[k], LEN, CROSS(k), on_done,
					&s[N + k]),
		      "aio_write across objects %d: %s", k, siphon_errstr(c));
	}
	CHECK(!siphon_aio_close(f, on_done, &s[N + X]), "aio_close: %s",
	      siphon_errstr(c));
	wait_all(c, s + N, X + 1);
	CHECK(!siphon_ll_open(c, in, O_RDWR, &f), "open: %s", siphon_errstr(c));
	for (int i = 0; i < N; i++) {
		pattern(buf + i * LEN, (uint64_t)i * LEN, LEN, 7);
		CHECK(!siphon_aio_write(f, buf + i * LEN, LEN, (int64_t)i * LEN,
					on_done, &s[i]),
		      "aio_write %d: %s", i, siphon_errstr(c));
	}
	CHECK(!siphon_aio_close(f, on_done, &s[N + X + 1]), "aio_close: %s",
	      siphon_errstr(c));
	wait_all(c, s, N);
	wait_all(c, s + N + X + 1, 1);
	for (int i = 0; i < N + X; i++) {
		int closer = i < N ? N + X + 1 : N + X;

		CHECK(s[i].result == LEN, "write %d: %lld", i,
		      (long long)s[i].result);
		CHECK(s[i].order < s[closer].order,
		      "the close's callback came before write %d's", i);
	}
	CHECK(s[N + X].result == 0 && s[N + X + 1].result == 0,
	      "aio_close: %lld, %lld", (long long)s[N + X].result,
	      (long long)s[N + X + 1].result);

	CHECK(!siphon_ll_open(c, in, O_RDONLY, &f), "open: %s",
	      siphon_errstr(c));
	/* small sequential reads: the second starts read-ahead */
	for (int i = 0; i < N; i++)
		CHECK(siphon_read(f, back + i * LEN, LEN, (int64_t)i * LEN) == LEN,
		      "read %d: %s", i, siphon_errstr(c));
	bad = mismatch(back, 0, sizeof(back), 7);
	CHECK(bad < 0, "wrong byte at %lld after aio_close", (long long)bad);
	for (int k = 0; k < X; k++) {
		CHECK(siphon_read(f, back, LEN, CROSS(k)) == LEN, "read: %s",
		      siphon_errstr(c));
		bad = mismatch(back, (uint64_t)CROSS(k), LEN, 7);
		CHECK(bad < 0, "wrong byte at %lld after aio_close",
		      (long long)bad);
	}
	reset(s, 1);
	CHECK(siphon_read(f, back, 100, 0) == 100, "read: %s", siphon_errstr(c));
	CHECK(siphon_read(f, back, 100, 100) == 100, "read: %s", siphon_errstr(c));
	CHECK(!siphon_aio_close(f, on_done, &s[0]), "aio_close: %s",
	      siphon_errstr(c));
	wait_all(c, s, 1);
	CHECK(s[0].result == 0, "aio_close of a reader: %lld",
	      (long long)s[0].result);
	siphon_ll_put(c, in, 1);
	CHECK(!siphon_ll_unlink(c, top, "closing"), "unlink: %s",
	      siphon_errstr(c));
	printf("aio_close: after %d writes in flight, every byte there\n", N + X);
}
#undef CROSS

/* ---- metadata ---- */

static void metadata_in_flight(struct siphon_client *c,
			       struct siphon_inode *top)
{
	static struct slot s[NMETA];
	static struct siphon_inode *dirs[NMETA], *files[NMETA], *found[NMETA];
	static struct siphon_file *fhs[NMETA];
	static struct siphon_stat st[NMETA];
	struct siphon_setattr sa = { 0 };
	char name[NMETA][32], name2[NMETA][32];
	int r;

	for (int i = 0; i < NMETA; i++) {
		snprintf(name[i], sizeof(name[i]), "d%03d", i);
		snprintf(name2[i], sizeof(name2[i]), "g%03d", i);
	}
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_mkdir(c, top, name[i], 0755, &dirs[i],
					   &st[i], on_done, &s[i]),
		      "aio mkdir: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!s[i].result && dirs[i] && S_ISDIR(st[i].mode),
		      "mkdir %s: %lld", name[i], (long long)s[i].result);

	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_create(c, dirs[i], "f", 0644,
					    O_RDWR | O_CREAT | O_EXCL,
					    &files[i], &fhs[i], &st[i],
					    on_done, &s[i]),
		      "aio create: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!s[i].result && files[i] && fhs[i] &&
		      S_ISREG(st[i].mode) && st[i].size == 0,
		      "create %s/f: %lld", name[i], (long long)s[i].result);
	/* a little data in each, through the new handles, all at once */
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_write(fhs[i], name[i], 4, 0, on_done, &s[i]),
		      "aio_write: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++) {
		CHECK(s[i].result == 4, "write %s/f: %lld", name[i],
		      (long long)s[i].result);
		CHECK(!siphon_close(fhs[i]), "close: %s", siphon_errstr(c));
	}

	/* lookups and getattrs */
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_lookup(c, dirs[i], "f", &found[i], &st[i],
					    on_done, &s[i]),
		      "aio lookup: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++) {
		CHECK(!s[i].result && found[i] == files[i] && st[i].size == 4,
		      "lookup %s/f: %lld size %llu", name[i],
		      (long long)s[i].result, (unsigned long long)st[i].size);
		siphon_ll_put(c, found[i], 1);
	}
	/* chmod and truncate in one setattr each, then getattr */
	sa.mask = SIPHON_SET_MODE | SIPHON_SET_SIZE;
	sa.mode = 0600;
	sa.size = 12345;
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_setattr(c, files[i], &sa, NULL, on_done,
					     &s[i]),
		      "aio setattr: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_getattr(c, files[i], &st[i], on_done, &s[i]),
		      "aio getattr: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!s[i].result && (st[i].mode & 07777) == 0600 &&
		      st[i].size == 12345,
		      "after setattr %s/f: %lld mode %o size %llu", name[i],
		      (long long)s[i].result, st[i].mode,
		      (unsigned long long)st[i].size);

	/* renames into the top directory, then the old names are gone */
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_rename(c, dirs[i], "f", top, name2[i], 0,
					    on_done, &s[i]),
		      "aio rename: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!s[i].result, "rename %s/f: %lld", name[i],
		      (long long)s[i].result);
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_lookup(c, dirs[i], "f", &found[i], NULL,
					    on_done, &s[i]),
		      "aio lookup: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(s[i].result == -ENOENT && !found[i],
		      "lookup of renamed %s/f: %lld", name[i],
		      (long long)s[i].result);
	/* a rename that must not replace */
	{
		struct slot e = { 0 };

		CHECK(!siphon_aio_ll_rename(c, top, name2[0], top, name2[1],
					    SIPHON_RENAME_NOREPLACE, on_done, &e),
		      "aio rename noreplace: %s", siphon_errstr(c));
		wait_all(c, &e, 1);
		CHECK(e.result == -EEXIST, "rename over an existing name with "
		      "NOREPLACE: %lld", (long long)e.result);
	}

	/* unlink and rmdir, then nothing is left */
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_unlink(c, top, name2[i], on_done, &s[i]),
		      "aio unlink: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!s[i].result, "unlink %s: %lld", name2[i],
		      (long long)s[i].result);
	reset(s, NMETA);
	for (int i = 0; i < NMETA; i++)
		CHECK(!siphon_aio_ll_rmdir(c, top, name[i], on_done, &s[i]),
		      "aio rmdir: %s", siphon_errstr(c));
	wait_all(c, s, NMETA);
	for (int i = 0; i < NMETA; i++) {
		CHECK(!s[i].result, "rmdir %s: %lld", name[i],
		      (long long)s[i].result);
		siphon_ll_put(c, dirs[i], 1);
		siphon_ll_put(c, files[i], 1);
	}
	{
		struct slot e = { 0 };
		struct siphon_inode *x = NULL;

		CHECK(!siphon_aio_ll_lookup(c, top, name[3], &x, NULL, on_done,
					    &e), "aio lookup");
		wait_all(c, &e, 1);
		CHECK(e.result == -ENOENT, "lookup after rmdir: %lld",
		      (long long)e.result);
	}
	/* calls that cannot start say so, and their callback never runs */
	r = siphon_aio_ll_lookup(c, top, "a/b", &found[0], NULL, on_done, &s[0]);
	CHECK(r == -EINVAL, "lookup of a/b: %d", r);
	r = siphon_aio_ll_mkdir(c, top, "", 0755, &dirs[0], NULL, on_done, &s[0]);
	CHECK(r == -EINVAL, "mkdir of \"\": %d", r);
	printf("metadata: %d each of mkdir, create, lookup, setattr, getattr, "
	       "rename, unlink, rmdir in flight at once\n", NMETA);
}

static void errors(struct siphon_client *c, struct siphon_inode *top)
{
	struct siphon_inode *in;
	struct siphon_file *f, *ro;
	struct slot s = { 0 };
	char b[16];
	int r;

	CHECK(!siphon_ll_create(c, top, "ro", 0644, O_RDWR | O_CREAT, &in, &f,
				NULL), "create ro: %s", siphon_errstr(c));
	CHECK(siphon_write(f, "x", 1, 0) == 1, "write");
	CHECK(!siphon_ll_open(c, in, O_RDONLY, &ro), "open ro: %s",
	      siphon_errstr(c));
	r = siphon_aio_read(ro, b, sizeof(b), -1, on_done, &s);
	CHECK(r == -EINVAL, "aio_read at -1: %d", r);
	CHECK(!siphon_aio_write(ro, "y", 1, 0, on_done, &s), "aio_write");
	wait_all(c, &s, 1);
	CHECK(s.result == -EBADF, "aio_write on a read-only handle: %lld",
	      (long long)s.result);
	CHECK(!siphon_close(ro) && !siphon_close(f), "close");
	CHECK(!siphon_ll_unlink(c, top, "ro"), "unlink ro");
	siphon_ll_put(c, in, 1);
	printf("errors: bad offset, read-only handle\n");
}

/* ---- read-ahead ---- */

static struct siphon_file *open_path(struct siphon_client *c, const char *p,
				     int flags)
{
	struct siphon_file *f;

	CHECK(!siphon_open(c, p, flags, 0644, &f), "open %s: %s", p,
	      siphon_errstr(c));
	return f;
}

static void print_stats(struct siphon_client *c, const char *what)
{
	struct siphon_io_stats st;

	siphon_get_io_stats(c, &st);
	printf("%s: read_calls %llu osd_reads %llu readahead_ops %llu "
	       "readahead_bytes %llu hit_bytes %llu dropped_bytes %llu "
	       "cache_bytes %llu\n", what,
	       (unsigned long long)st.read_calls,
	       (unsigned long long)st.osd_reads,
	       (unsigned long long)st.readahead_ops,
	       (unsigned long long)st.readahead_bytes,
	       (unsigned long long)st.readahead_hit_bytes,
	       (unsigned long long)st.readahead_dropped_bytes,
	       (unsigned long long)st.cache_bytes);
}

static void read_check(struct siphon_client *c, struct siphon_file *f,
		       uint8_t *b, uint64_t off, uint64_t len, size_t chunk,
		       uint64_t seed)
{
	for (uint64_t at = off; at < off + len; at += chunk) {
		size_t n = off + len - at < chunk ? (size_t)(off + len - at) : chunk;
		int64_t got = siphon_read(f, b, n, (int64_t)at);
		int64_t bad;

		CHECK(got == (int64_t)n, "read %zu at %llu: %lld (%s)", n,
		      (unsigned long long)at, (long long)got, siphon_errstr(c));
		bad = mismatch(b, at, n, seed);
		CHECK(bad < 0, "read at %llu: byte %lld is not pattern %llu",
		      (unsigned long long)at, (long long)bad,
		      (unsigned long long)seed);
	}
}

static void seqread(struct siphon_client *c, const char *path, size_t chunk,
		    uint64_t seed)
{
	struct siphon_file *f = open_path(c, path, O_RDONLY);
	struct siphon_stat st;
	uint8_t *b = malloc(chunk);

	CHECK(b, "out of memory");
	CHECK(!siphon_fstat(f, &st), "fstat");
	read_check(c, f, b, 0, st.size, chunk, seed);
	CHECK(siphon_read(f, b, chunk, (int64_t)st.size) == 0, "read at EOF");
	print_stats(c, "seqread");
	CHECK(!siphon_close(f), "close");
	free(b);
}

static void coherence(struct siphon_client *c, const char *path,
		      uint64_t seed1, uint64_t seed2)
{
	struct siphon_file *f = open_path(c, path, O_RDONLY);
	struct siphon_io_stats io;
	struct siphon_stat st;
	size_t chunk = 1u << 20;
	uint8_t *b = malloc(chunk);
	char line[64];
	uint64_t half;

	CHECK(b, "out of memory");
	CHECK(!siphon_fstat(f, &st), "fstat");
	half = st.size / 2 / chunk * chunk;
	read_check(c, f, b, 0, half, chunk, seed1);
	siphon_get_io_stats(c, &io);
	print_stats(c, "before");
	printf("paused %llu\n", (unsigned long long)io.cache_bytes);
	fflush(stdout);
	CHECK(fgets(line, sizeof(line), stdin), "no line on stdin");
	/* the other client rewrote the whole file: nothing read ahead
	 * before may come back */
	read_check(c, f, b, half, st.size - half, chunk, seed2);
	read_check(c, f, b, 0, st.size, chunk, seed2);
	print_stats(c, "after");
	CHECK(!siphon_close(f), "close");
	free(b);
}

/* ---- the write-behind bound ---- */

struct bound_writer {
	struct siphon_client *c;
	struct siphon_file *f;
	uint64_t size, seed;
};

static volatile int writers_left;

static void *blocking_writer(void *arg)
{
	struct bound_writer *w = arg;
	uint8_t *b = malloc(BLOCK);

	CHECK(b, "out of memory");
	for (uint64_t off = 0; off < w->size; off += BLOCK) {
		pattern(b, off, BLOCK, w->seed);
		CHECK(siphon_write(w->f, b, BLOCK, (int64_t)off) == BLOCK,
		      "blocking write at %llu: %s", (unsigned long long)off,
		      siphon_errstr(w->c));
	}
	free(b);
	__atomic_sub_fetch(&writers_left, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* The most write-behind held at any sample, checked against bound. */
static uint64_t sample_dirty(struct siphon_client *c, uint64_t bound,
			     uint64_t seen)
{
	struct siphon_io_stats st;

	siphon_get_io_stats(c, &st);
	CHECK(st.dirty_bytes <= bound, "write-behind holds %llu bytes, over "
	      "the bound of %llu", (unsigned long long)st.dirty_bytes,
	      (unsigned long long)bound);
	return st.dirty_bytes > seen ? st.dirty_bytes : seen;
}

static void wbbound(struct siphon_client *c, struct siphon_inode *top,
		    uint64_t bound)
{
	enum { N = 1024 };	/* 64 MiB */
	static struct slot s[N];
	struct siphon_io_stats st;
	struct siphon_inode *in[3];
	struct siphon_file *f[3];
	struct bound_writer w[2];
	pthread_t th[2];
	uint64_t seen = 0;
	uint8_t *buf = malloc((size_t)N * BLOCK);
	const char *names[3] = { "bound0", "bound1", "bound2" };

	CHECK(buf, "out of memory");
	efd = siphon_event_fd(c);
	CHECK(efd >= 0, "event fd: %s", siphon_errstr(c));
	for (int i = 0; i < 3; i++)
		CHECK(!siphon_ll_create(c, top, names[i], 0644,
					O_RDWR | O_CREAT | O_TRUNC, &in[i], &f[i],
					NULL), "create %s: %s", names[i],
		      siphon_errstr(c));
	/* 1: every write in flight at once from this thread */
	pattern(buf, 0, (size_t)N * BLOCK, 21);
	reset(s, N);
	for (int i = 0; i < N; i++)
		CHECK(!siphon_aio_write(f[0], buf + (size_t)i * BLOCK, BLOCK,
					(int64_t)i * BLOCK, on_done, &s[i]),
		      "aio_write %d: %s", i, siphon_errstr(c));
	for (;;) {
		int left = 0;

		seen = sample_dirty(c, bound, seen);
		pthread_mutex_lock(&lock);
		for (int i = 0; i < N; i++)
			left += !s[i].done;
		pthread_mutex_unlock(&lock);
		if (!left)
			break;
		struct pollfd p = { .fd = efd, .events = POLLIN };

		CHECK(poll(&p, 1, 120000) == 1, "%d writes: no completion "
		      "within 120 s", left);
		CHECK(siphon_service(c) >= 0, "service: %s", siphon_errstr(c));
	}
	for (int i = 0; i < N; i++)
		CHECK(s[i].result == BLOCK, "write %d: %lld", i,
		      (long long)s[i].result);
	/* 2: two files written by blocking calls from two threads */
	writers_left = 2;
	for (int i = 0; i < 2; i++) {
		w[i] = (struct bound_writer){ c, f[i + 1], 16u << 20, 22 + i };
		CHECK(!pthread_create(&th[i], NULL, blocking_writer, &w[i]),
		      "thread");
	}
	while (__atomic_load_n(&writers_left, __ATOMIC_SEQ_CST)) {
		seen = sample_dirty(c, bound, seen);
		usleep(200);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 3; i++)
		CHECK(!siphon_fsync(f[i]), "fsync: %s", siphon_errstr(c));
	siphon_get_io_stats(c, &st);
	printf("wbbound: bound %llu dirty_peak %llu sampled_max %llu "
	       "write_waits %llu osd_writes %llu dirty_now %llu\n",
	       (unsigned long long)bound,
	       (unsigned long long)st.dirty_peak_bytes,
	       (unsigned long long)seen,
	       (unsigned long long)st.write_waits,
	       (unsigned long long)st.osd_writes,
	       (unsigned long long)st.dirty_bytes);
	CHECK(st.dirty_peak_bytes <= bound, "write-behind peaked at %llu "
	      "bytes, over the bound of %llu",
	      (unsigned long long)st.dirty_peak_bytes,
	      (unsigned long long)bound);
	CHECK(st.dirty_peak_bytes > 0, "nothing was ever buffered");
	CHECK(st.write_waits > 0, "no write waited for room: the bound was "
	      "never reached");
	CHECK(st.dirty_bytes == 0, "%llu bytes still buffered after fsync",
	      (unsigned long long)st.dirty_bytes);
	/* every byte, read back through fresh handles */
	for (int i = 0; i < 3; i++) {
		struct siphon_file *r;
		uint64_t size = i ? 16u << 20 : (uint64_t)N * BLOCK;

		CHECK(!siphon_close(f[i]), "close: %s", siphon_errstr(c));
		CHECK(!siphon_ll_open(c, in[i], O_RDONLY, &r), "open: %s",
		      siphon_errstr(c));
		read_check(c, r, buf, 0, size, 1u << 20, i ? 22 + (uint64_t)i - 1 : 21);
		CHECK(siphon_read(r, buf, 1, (int64_t)size) == 0,
		      "%s is longer than %llu", names[i],
		      (unsigned long long)size);
		CHECK(!siphon_close(r), "close: %s", siphon_errstr(c));
		siphon_ll_put(c, in[i], 1);
	}
	free(buf);
}

/* ---- main ---- */

static void gen(uint64_t size, uint64_t seed)
{
	uint8_t *b = malloc(1u << 20);

	CHECK(b, "out of memory");
	for (uint64_t off = 0; off < size; off += 1u << 20) {
		size_t n = size - off < (1u << 20) ? (size_t)(size - off) : 1u << 20;

		pattern(b, off, n, seed);
		CHECK(fwrite(b, 1, n, stdout) == n, "stdout: %s", strerror(errno));
	}
	free(b);
}

static struct siphon_inode *top_dir(struct siphon_client *c, const char *name)
{
	struct siphon_inode *root, *top;
	int r;

	CHECK(!siphon_ll_root(c, &root), "root: %s", siphon_errstr(c));
	r = siphon_ll_mkdir(c, root, name, 0755, &top, NULL);
	if (r == -EEXIST)
		r = siphon_ll_lookup(c, root, name, &top, NULL, NULL);
	CHECK(!r, "%s: %s", name, siphon_errstr(c));
	siphon_ll_put(c, root, 1);
	return top;
}

int main(int argc, char **argv)
{
	struct siphon_client *c;
	int i = 2;

	main_thread = pthread_self();
	if (argc < 4) {
		fprintf(stderr, "usage: aio CONF [-o OPT=VAL]... "
			"gen|inflight|loopmode|seqread|coherence|wbbound ...\n");
		return 2;
	}
	CHECK(!siphon_create(&c, NULL), "create");
	CHECK(!siphon_conf_read_file(c, argv[1]), "conf: %s", siphon_errstr(c));
	while (i + 1 < argc && !strcmp(argv[i], "-o")) {
		char *eq = strchr(argv[i + 1], '=');

		CHECK(eq, "-o %s: OPT=VAL", argv[i + 1]);
		*eq = '\0';
		CHECK(!siphon_conf_set(c, argv[i + 1], eq + 1), "%s: %s",
		      argv[i + 1], siphon_errstr(c));
		i += 2;
	}
	argv += i;
	argc -= i;
	if (!strcmp(argv[0], "gen") && argc == 3) {
		gen(strtoull(argv[1], NULL, 0), strtoull(argv[2], NULL, 0));
		siphon_release(c);
		return 0;
	}
	CHECK(!siphon_mount(c, NULL), "mount: %s", siphon_errstr(c));
	if ((!strcmp(argv[0], "inflight") || !strcmp(argv[0], "loopmode")) &&
	    argc == 2) {
		struct siphon_inode *top = top_dir(c, argv[1]), *in;
		struct siphon_file *f;
		bool loop = !strcmp(argv[0], "loopmode");

		if (!loop) {
			efd = siphon_event_fd(c);
			CHECK(efd >= 0, "event fd: %s", siphon_errstr(c));
			CHECK(siphon_event_fd(c) == efd, "a second event fd");
		}
		CHECK(!siphon_ll_create(c, top, loop ? "loopdata" : "data", 0644,
					O_RDWR | O_CREAT | O_TRUNC, &in, &f,
					NULL), "create: %s", siphon_errstr(c));
		data_in_flight(c, f, argv[0]);
		CHECK(!siphon_close(f), "close: %s", siphon_errstr(c));
		siphon_ll_put(c, in, 1);
		close_in_flight(c, top);
		if (!loop) {
			metadata_in_flight(c, top);
			errors(c, top);
		}
		siphon_ll_put(c, top, 1);
	} else if (!strcmp(argv[0], "wbbound") && argc == 3) {
		struct siphon_inode *top = top_dir(c, argv[1]);

		wbbound(c, top, strtoull(argv[2], NULL, 0));
		siphon_ll_put(c, top, 1);
	} else if (!strcmp(argv[0], "seqread") && argc == 4) {
		seqread(c, argv[1], strtoull(argv[2], NULL, 0),
			strtoull(argv[3], NULL, 0));
	} else if (!strcmp(argv[0], "coherence") && argc == 4) {
		coherence(c, argv[1], strtoull(argv[2], NULL, 0),
			  strtoull(argv[3], NULL, 0));
	} else {
		fprintf(stderr, "aio: bad command\n");
		return 2;
	}
	CHECK(!siphon_unmount(c), "unmount: %s", siphon_errstr(c));
	siphon_release(c);
	return 0;
}

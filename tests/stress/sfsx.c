/* sfsx: siphon's seeded random file tester.
 *
 * A sequence of random operations (reads, writes, mmap reads and writes,
 * truncations, fallocate, hole punching, copy_file_range, fsync,
 * close/reopen) runs on a few files, and every result is checked against
 * an in-memory model of each file's bytes and size: a read must return
 * the model's bytes, fstat the model's size. The bytes a write puts at
 * file offset o are a function of the op's index and o only, so a wrong
 * byte often tells which op it came from (stale data), and a log of the
 * ops (-L) replays exactly (-R).
 *
 * Backends: POSIX calls on a directory (-d DIR: a siphon-fuse or ceph-fuse
 * mount, or a local directory), optionally with a second mount of the
 * same file system (-2 DIR2) as a second client; or siphon's library
 * (-c CEPH_CONF -r DIR), where mmap and copy_file_range do not exist and
 * are not chosen.
 *
 * Exit status: 0 clean, 1 a mismatch (data or size), 2 usage, I/O error
 * or an op that hangs past -T seconds.
 *
 * Showing that it catches corruption (done by hand, see the commit that
 * added this file): run it on a local directory with a large -N and, while
 * it runs, overwrite a byte of one of its files from outside, e.g.
 *   printf 'Z' | dd of=DIR/sfsx.0 bs=1 seek=4096 conv=notrunc
 * or grow one (truncate -s +1 DIR/sfsx.1): the next read of that range or
 * the next size check reports a mismatch, naming the offset, the expected
 * and the actual bytes, and the op that last wrote there. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/falloc.h>

#include "siphon/siphon.h"

#define MAX_FILES 16
#define MAX_FILE_LEN ((uint64_t)16 << 20)
#define MAX_OP_LEN ((uint64_t)1 << 20)
#define HISTORY 20	/* ops printed with a failure */

enum op_type {
	OP_READ, OP_WRITE, OP_MAPREAD, OP_MAPWRITE, OP_TRUNCATE, OP_FALLOC,
	OP_PUNCH, OP_COPY, OP_FSYNC, OP_REOPEN, OP_NTYPES
};
static const char *const op_names[OP_NTYPES] = {
	"read", "write", "mapread", "mapwrite", "truncate", "falloc",
	"punch", "copy", "fsync", "reopen"
};
/* Default op mix (relative weights), in enum order. */
static unsigned weights[OP_NTYPES] = { 20, 24, 6, 6, 8, 3, 6, 9, 4, 4 };

/* One operation. file/off/len is the range it acts on (a copy's source);
 * a copy's destination is file2/off2; a truncate's new size is off. */
struct op {
	uint64_t idx;		/* its number: the log's, and the data's seed */
	uint64_t off, len, off2;
	uint8_t type, file, file2, client;
};

/* ---- options and state ---- */
static uint64_t seed, nops = 10000, max_len = 256 << 10, max_op = 64 << 10;
static unsigned nfiles = 1, verify_every, hang_secs = 300;
static int quiet, keep_files, drop_cache;
static int last_client[MAX_FILES];
static const char *dirs[2], *conf_path, *lib_root, *log_path, *replay_path;
static int nclients = 1;
static int use_lib;
static FILE *log_fp;

/* The model: each file's bytes (always zero beyond size) and size. */
static struct mfile {
	uint8_t *data;
	uint64_t size;
} model[MAX_FILES];

/* Every op done so far, for the history and for "who wrote this byte". */
static struct op *ops;
static uint64_t ops_done, ops_cap;
static uint64_t nfallback, counts[OP_NTYPES];

/* POSIX descriptors: fd[client][file], -1 when closed. */
static int fds[2][MAX_FILES];
/* Library handles. */
static struct siphon_client *sc;
static struct siphon_inode *s_dir, *s_ino[MAX_FILES];
static struct siphon_file *s_fh[MAX_FILES];

static uint8_t *buf;	/* an op's bytes */
static long page_size;

/* Watchdog: the op under way and when it started. */
static atomic_uint_fast64_t wd_op, wd_start;
static char wd_desc[256];

static uint64_t now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* ---- random numbers and data patterns ---- */
static uint64_t rng_state;

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t rnd(void)
{
	rng_state += 0x9e3779b97f4a7c15ull;
	return mix64(rng_state);
}

/* Uniform in [0, n), n > 0. */
static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* The word a write of op idx puts at the 8-byte-aligned offset w * 8. */
static uint64_t pattern_word(uint64_t idx, uint64_t w)
{
	return mix64(idx * 0x2545f4914f6cdd1dull + w + 0x5851f42d4c957f2dull);
}

static uint8_t pattern_byte(uint64_t idx, uint64_t o)
{
	uint64_t v = pattern_word(idx, o >> 3);

	return ((const uint8_t *)&v)[o & 7];
}

/* dst gets op idx's bytes for file offsets [off, off + len). */
static void fill_pattern(uint8_t *dst, uint64_t idx, uint64_t off, uint64_t len)
{
	uint64_t i = 0;

	while (i < len && ((off + i) & 7))
		dst[i] = pattern_byte(idx, off + i), i++;
	for (; i + 8 <= len; i += 8) {
		uint64_t v = pattern_word(idx, (off + i) >> 3);

		memcpy(dst + i, &v, 8);
	}
	for (; i < len; i++)
		dst[i] = pattern_byte(idx, off + i);
}

/* ---- reporting ---- */
static void op_describe(const struct op *o, char *s, size_t n)
{
	switch (o->type) {
	case OP_TRUNCATE:
		snprintf(s, n, "%" PRIu64 " truncate f%u c%u to 0x%" PRIx64,
			 o->idx, o->file, o->client, o->off);
		break;
	case OP_COPY:
		snprintf(s, n, "%" PRIu64 " copy c%u f%u [0x%" PRIx64 ", 0x%" PRIx64
			 ") -> f%u [0x%" PRIx64 ", 0x%" PRIx64 ") len 0x%" PRIx64,
			 o->idx, o->client, o->file, o->off, o->off + o->len,
			 o->file2, o->off2, o->off2 + o->len, o->len);
		break;
	case OP_FSYNC:
	case OP_REOPEN:
		snprintf(s, n, "%" PRIu64 " %s f%u c%u", o->idx, op_names[o->type],
			 o->file, o->client);
		break;
	default:
		snprintf(s, n, "%" PRIu64 " %s f%u c%u [0x%" PRIx64 ", 0x%" PRIx64
			 ") len 0x%" PRIx64, o->idx, op_names[o->type], o->file,
			 o->client, o->off, o->off + o->len, o->len);
	}
}

static void print_history(void)
{
	uint64_t from = ops_done > HISTORY ? ops_done - HISTORY : 0;
	char s[256];

	if (replay_path)
		fprintf(stderr, "(replay of %s)\n", replay_path);
	else
		fprintf(stderr, "(seed %" PRIu64 ": sfsx -S %" PRIu64 " with the same options "
			"repeats this run)\n", seed, seed);
	fprintf(stderr, "last %" PRIu64 " ops (of %" PRIu64 "):\n", ops_done - from, ops_done);
	for (uint64_t i = from; i < ops_done; i++) {
		op_describe(&ops[i], s, sizeof(s));
		fprintf(stderr, "  %s\n", s);
	}
}

static void finish_log(void)
{
	if (log_fp)
		fflush(log_fp);
}

/* An error from the file system or the library: exit 2. */
static void io_fail(const struct op *o, int err, const char *fmt, ...)
{
	char s[256] = "setup/verification";
	va_list ap;

	if (o)
		op_describe(o, s, sizeof(s));
	fprintf(stderr, "sfsx: I/O ERROR in op %s: ", s);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s (errno %d)%s\n", strerror(err), err,
		err == EDQUOT ? " -- QUOTA EXCEEDED (ceph.quota.max_bytes?)" :
		err == ENOSPC ? " -- NO SPACE LEFT (OSD full?)" : "");
	print_history();
	finish_log();
	exit(2);
}

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sfsx: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

/* The op (up to op limit) that last changed byte o of file f: a write,
 * truncate, punch or copy into it. */
static const struct op *last_writer(unsigned f, uint64_t o, uint64_t limit)
{
	for (uint64_t i = limit; i-- > 0;) {
		const struct op *p = &ops[i];

		switch (p->type) {
		case OP_WRITE:
		case OP_MAPWRITE:
		case OP_PUNCH:
			if (p->file == f && o >= p->off && o < p->off + p->len)
				return p;
			break;
		case OP_COPY:
			if (p->file2 == f && o >= p->off2 && o < p->off2 + p->len)
				return p;
			break;
		case OP_TRUNCATE:
			/* Cut off below o or extended over it: both zero it. */
			if (p->file == f && p->off <= o)
				return p;
			break;
		}
	}
	return NULL;
}

/* A write earlier than the last writer whose bytes match what was read
 * at o (8 bytes or to the end of the range): the read saw stale data. */
static const struct op *stale_source(unsigned f, uint64_t o, const uint8_t *got,
				     uint64_t n)
{
	if (n > 8)
		n = 8;
	for (uint64_t i = ops_done; i-- > 0;) {
		const struct op *p = &ops[i];
		uint64_t k;

		if ((p->type != OP_WRITE && p->type != OP_MAPWRITE) || p->file != f ||
		    o < p->off || o + n > p->off + p->len)
			continue;
		for (k = 0; k < n && got[k] == pattern_byte(p->idx, o + k); k++)
			;
		if (k == n)
			return p;
	}
	return NULL;
}

static void hex_line(const char *label, const uint8_t *p, uint64_t n)
{
	fprintf(stderr, "  %-9s", label);
	for (uint64_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
}

/* The bytes read (got) for [off, off + len) of file f differ from the
 * model: say where and how, exit 1. */
static void data_mismatch(const struct op *o, const char *how, unsigned f,
			  uint64_t off, const uint8_t *got, uint64_t len)
{
	const uint8_t *want = model[f].data + off;
	uint64_t first = 0, last = 0, ndiff = 0, n;
	const struct op *w, *st;
	char s[256];

	for (uint64_t i = 0; i < len; i++)
		if (got[i] != want[i]) {
			if (!ndiff)
				first = i;
			last = i;
			ndiff++;
		}
	if (o)
		op_describe(o, s, sizeof(s));
	else
		snprintf(s, sizeof(s), "(after op %" PRIu64 ")", ops_done);
	fprintf(stderr, "sfsx: DATA MISMATCH in %s %s: file f%u (sfsx.%u), model size 0x%"
		PRIx64 "\n", how, s, f, f, model[f].size);
	fprintf(stderr, "  range [0x%" PRIx64 ", 0x%" PRIx64 "): %" PRIu64
		" bytes differ, first at offset 0x%" PRIx64 " (%" PRIu64 "), last at 0x%"
		PRIx64 "\n", off, off + len, ndiff, off + first, off + first, off + last);
	n = len - first < 16 ? len - first : 16;
	fprintf(stderr, "  at 0x%" PRIx64 ":\n", off + first);
	hex_line("expected", want + first, n);
	hex_line("got", got + first, n);
	w = last_writer(f, off + first, ops_done);
	if (w) {
		op_describe(w, s, sizeof(s));
		fprintf(stderr, "  offset 0x%" PRIx64 " last changed by op %s\n", off + first, s);
	} else {
		fprintf(stderr, "  offset 0x%" PRIx64 " never written (expected zeros)\n",
			off + first);
	}
	st = stale_source(f, off + first, got + first, len - first);
	if (st && st != w) {
		op_describe(st, s, sizeof(s));
		fprintf(stderr, "  the bytes read are what an earlier op wrote: STALE DATA, from op %s\n", s);
	} else if (!got[first]) {
		uint64_t z = first;

		while (z < len && !got[z] && want[z])
			z++;
		fprintf(stderr, "  read zeros where data was expected (0x%" PRIx64
			" bytes from 0x%" PRIx64 "): a lost write?\n", z - first, off + first);
	}
	print_history();
	finish_log();
	exit(1);
}

static void size_mismatch(const struct op *o, unsigned c, unsigned f, uint64_t got)
{
	char s[256] = "(verification)";

	if (o)
		op_describe(o, s, sizeof(s));
	fprintf(stderr, "sfsx: SIZE MISMATCH after op %s: file f%u through client %u: "
		"fstat says 0x%" PRIx64 " (%" PRIu64 "), model 0x%" PRIx64 " (%" PRIu64 ")\n",
		s, f, c, got, got, model[f].size, model[f].size);
	print_history();
	finish_log();
	exit(1);
}

/* ---- backends: POSIX descriptors or siphon's library ---- */
static void file_path(char *p, size_t n, unsigned c, unsigned f)
{
	snprintf(p, n, "%s/sfsx.%u", dirs[c], f);
}

static void be_open(const struct op *o, unsigned c, unsigned f, int create)
{
	int flags = O_RDWR | (create ? O_CREAT | O_TRUNC : 0);
	char p[PATH_MAX];
	int r;

	if (use_lib) {
		if (create) {
			char name[32];

			snprintf(name, sizeof(name), "sfsx.%u", f);
			r = siphon_ll_create(sc, s_dir, name, 0644, flags, &s_ino[f],
					     &s_fh[f], NULL);
			if (!r)
				r = siphon_ftruncate(s_fh[f], 0);
		} else {
			r = siphon_ll_open(sc, s_ino[f], flags, &s_fh[f]);
		}
		if (r)
			io_fail(o, -r, "open sfsx.%u (%s)", f, siphon_errstr(sc));
		return;
	}
	file_path(p, sizeof(p), c, f);
	fds[c][f] = open(p, flags, 0644);
	if (fds[c][f] < 0)
		io_fail(o, errno, "open %s", p);
}

static void be_close(const struct op *o, unsigned c, unsigned f)
{
	int r;

	if (use_lib) {
		r = siphon_close(s_fh[f]);
		s_fh[f] = NULL;
		if (r)
			io_fail(o, -r, "close sfsx.%u", f);
		return;
	}
	r = close(fds[c][f]);
	fds[c][f] = -1;
	if (r)
		io_fail(o, errno, "close f%u through client %u", f, c);
}

/* Reads until len bytes or the end of the file; returns the count. */
static uint64_t be_pread(const struct op *o, unsigned c, unsigned f, uint8_t *p,
			 uint64_t len, uint64_t off)
{
	uint64_t got = 0;

	while (got < len) {
		int64_t n;

		if (use_lib)
			n = siphon_read(s_fh[f], p + got, len - got, (int64_t)(off + got));
		else if ((n = pread(fds[c][f], p + got, len - got, (off_t)(off + got))) < 0)
			n = -errno;
		if (n < 0)
			io_fail(o, (int)-n, "read f%u [0x%" PRIx64 ", +0x%" PRIx64 ")",
				f, off + got, len - got);
		if (!n)
			break;
		got += (uint64_t)n;
	}
	return got;
}

static void be_pwrite(const struct op *o, unsigned c, unsigned f, const uint8_t *p,
		      uint64_t len, uint64_t off)
{
	uint64_t done = 0;

	while (done < len) {
		int64_t n;

		if (use_lib)
			n = siphon_write(s_fh[f], p + done, len - done, (int64_t)(off + done));
		else if ((n = pwrite(fds[c][f], p + done, len - done, (off_t)(off + done))) < 0)
			n = -errno;
		if (n < 0)
			io_fail(o, (int)-n, "write f%u [0x%" PRIx64 ", +0x%" PRIx64 ")",
				f, off + done, len - done);
		if (!n)
			io_fail(o, EIO, "write f%u returned 0", f);
		done += (uint64_t)n;
	}
}

static void be_truncate(const struct op *o, unsigned c, unsigned f, uint64_t size)
{
	int r = use_lib ? siphon_ftruncate(s_fh[f], size)
			: ftruncate(fds[c][f], (off_t)size) ? -errno : 0;

	if (r)
		io_fail(o, -r, "ftruncate f%u to 0x%" PRIx64, f, size);
}

static void be_fsync(const struct op *o, unsigned c, unsigned f)
{
	int r = use_lib ? siphon_fsync(s_fh[f]) : fsync(fds[c][f]) ? -errno : 0;

	if (r)
		io_fail(o, -r, "fsync f%u", f);
}

static void be_fallocate(const struct op *o, unsigned c, unsigned f, int mode,
			 uint64_t off, uint64_t len)
{
	int r = use_lib ? siphon_ll_fallocate(sc, s_ino[f], mode, (int64_t)off, (int64_t)len)
			: fallocate(fds[c][f], mode, (off_t)off, (off_t)len) ? -errno : 0;

	if (r)
		io_fail(o, -r, "fallocate f%u mode 0x%x [0x%" PRIx64 ", +0x%" PRIx64 ")",
			f, mode, off, len);
}

static uint64_t be_size(const struct op *o, unsigned c, unsigned f)
{
	if (use_lib) {
		struct siphon_stat st;
		int r = siphon_fstat(s_fh[f], &st);

		if (r)
			io_fail(o, -r, "fstat f%u", f);
		return st.size;
	}
	struct stat st;

	if (fstat(fds[c][f], &st))
		io_fail(o, errno, "fstat f%u through client %u", f, c);
	return (uint64_t)st.st_size;
}

/* A whole-file POSIX lock (F_WRLCK, F_UNLCK) through client c, waiting. */
static void be_lock(const struct op *o, unsigned c, unsigned f, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };

	while (fcntl(fds[c][f], F_SETLKW, &fl)) {
		if (errno != EINTR)
			io_fail(o, errno, "fcntl(F_SETLKW, %s) f%u through client %u",
				type == F_UNLCK ? "unlock" : "lock", f, c);
	}
}

/* Makes file f usable by client c. With two clients, this is where
 * coherence comes from:
 *
 * COHERENCE ASSUMPTION. The tester is one process doing one op at a time,
 * so the model is exact if each op sees the effect of every earlier op,
 * whichever client did it. We rely on close-to-open consistency plus
 * CephFS's caps: before client c touches a file, the other client's
 * descriptor for it is closed (its FUSE flush/release; its dirty data may
 * still be buffered there under Fb caps), then c opens it (if not open)
 * and takes a whole-file fcntl write lock through its own mount. Opening
 * and locking make c ask the MDS for caps; the MDS revokes the other
 * client's conflicting caps (Fw/Fb/Fc...), which makes it write back its
 * buffered data and size before it lets them go, and drop its cached
 * pages (the FUSE kernel cache included, by the clients' invalidate
 * callbacks). So after open + lock, c reads what the other client wrote.
 * A client that keeps stale pages or returns caps before its data is on
 * the OSDs breaks this, and that is a bug sfsx is meant to find. Ops done
 * by the same client back to back keep their descriptor open.
 *
 * Measured (Ceph 16.2.15): two ceph-fuse mounts do NOT keep this promise
 * for data: a client reads back pages of its own earlier write that the
 * other client has since overwritten (within ~100-1000 ops), because
 * ceph-fuse invalidates the kernel's page cache asynchronously, after it
 * has answered the revoke. -D narrows the assumption to what CephFS FUSE
 * clients give: the client taking a file over from the other one drops
 * its kernel page cache for it first (posix_fadvise DONTNEED, under the
 * lock; sizes and the FUSE daemon's own caches are still checked). Two
 * ceph-fuse mounts run clean with -D. */
static void use_file(const struct op *o, unsigned c, unsigned f)
{
	if (use_lib) {
		if (!s_fh[f])
			be_open(o, 0, f, 0);
		return;
	}
	if (nclients == 2 && fds[!c][f] >= 0)
		be_close(o, !c, f);
	if (fds[c][f] < 0)
		be_open(o, c, f, 0);
}

/* Called with the lock held: a file another client changed last may have
 * pages of this client's kernel cache still to be invalidated; -D drops
 * them. */
static void handover(const struct op *o, unsigned c, unsigned f)
{
	int r;

	if (last_client[f] != (int)c && drop_cache &&
	    (r = posix_fadvise(fds[c][f], 0, 0, POSIX_FADV_DONTNEED)))
		io_fail(o, r, "posix_fadvise(DONTNEED) f%u through client %u", f, c);
	last_client[f] = (int)c;
}

static void check_size(const struct op *o, unsigned c, unsigned f)
{
	uint64_t s = be_size(o, c, f);

	if (s != model[f].size)
		size_mismatch(o, c, f, s);
}

/* ---- the ops ---- */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	(void)sig;
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	_exit(2);
}

static void *map_range(const struct op *o, unsigned c, unsigned f, uint64_t off,
		       uint64_t len, int prot, uint64_t *base, size_t *mlen)
{
	void *p;

	*base = off & ~(uint64_t)(page_size - 1);
	*mlen = (size_t)(off + len - *base);
	p = mmap(NULL, *mlen, prot, MAP_SHARED, fds[c][f], (off_t)*base);
	if (p == MAP_FAILED)
		io_fail(o, errno, "mmap f%u [0x%" PRIx64 ", +0x%zx)", f, *base, *mlen);
	return p;
}

static void sigbus_fail(const struct op *o, unsigned c, unsigned f)
{
	char s[256];

	op_describe(o, s, sizeof(s));
	fprintf(stderr, "sfsx: SIGBUS in op %s: the mapping of f%u through client %u "
		"reaches past the file's end as the client sees it (model size 0x%" PRIx64
		", fstat 0x%" PRIx64 ")\n", s, f, c, model[f].size, be_size(o, c, f));
	print_history();
	finish_log();
	exit(1);
}

static void do_mapread(const struct op *o, unsigned c, unsigned f)
{
	uint64_t base;
	size_t mlen;
	uint8_t *p = map_range(o, c, f, o->off, o->len, PROT_READ, &base, &mlen);

	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		sigbus_fail(o, c, f);
	}
	bus_armed = 1;
	memcpy(buf, p + (o->off - base), o->len);
	bus_armed = 0;
	if (munmap(p, mlen))
		io_fail(o, errno, "munmap");
	if (memcmp(buf, model[f].data + o->off, o->len))
		data_mismatch(o, "mmap read", f, o->off, buf, o->len);
}

static void do_mapwrite(const struct op *o, unsigned c, unsigned f)
{
	uint64_t base;
	size_t mlen;
	uint8_t *p;

	if (o->off + o->len > model[f].size) {
		/* A mapping cannot grow a file: extend it first (the op's
		 * own truncate, part of the op in the log). */
		be_truncate(o, c, f, o->off + o->len);
		model[f].size = o->off + o->len;
	}
	p = map_range(o, c, f, o->off, o->len, PROT_READ | PROT_WRITE, &base, &mlen);
	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		sigbus_fail(o, c, f);
	}
	bus_armed = 1;
	fill_pattern(p + (o->off - base), o->idx, o->off, o->len);
	bus_armed = 0;
	if (msync(p, mlen, MS_SYNC))
		io_fail(o, errno, "msync(MS_SYNC) f%u", f);
	if (munmap(p, mlen))
		io_fail(o, errno, "munmap");
	fill_pattern(model[f].data + o->off, o->idx, o->off, o->len);
}

/* Returns 1 when the copy had to be done with read + write. */
static int do_copy(const struct op *o, unsigned c)
{
	unsigned f = o->file, g = o->file2;
	loff_t in = (loff_t)o->off, out = (loff_t)o->off2;
	uint64_t done = 0;
	int fallback = 0;

	while (done < o->len) {
		ssize_t n = copy_file_range(fds[c][f], &in, fds[c][g], &out,
					    o->len - done, 0);

		if (n < 0 && done == 0 &&
		    (errno == EXDEV || errno == EOPNOTSUPP || errno == ENOSYS)) {
			fallback = errno;
			break;
		}
		if (n < 0)
			io_fail(o, errno, "copy_file_range after 0x%" PRIx64 " bytes", done);
		if (n == 0) {
			char s[256];

			op_describe(o, s, sizeof(s));
			fprintf(stderr, "sfsx: SHORT COPY in op %s: copy_file_range stopped "
				"after 0x%" PRIx64 " of 0x%" PRIx64 " bytes (source f%u has "
				"model size 0x%" PRIx64 ", fstat 0x%" PRIx64 ")\n", s, done,
				o->len, f, model[f].size, be_size(o, c, f));
			/* Does a plain read of the source see its end there too? */
			uint64_t got = be_pread(o, c, f, buf, o->len, o->off);

			fprintf(stderr, "  a pread of the source range now returns 0x%" PRIx64
				" bytes%s\n", got, got == o->len && !memcmp(buf, model[f].data +
				o->off, o->len) ? ", as the model says" : "");
			print_history();
			finish_log();
			exit(1);
		}
		done += (uint64_t)n;
	}
	if (fallback) {
		uint64_t got = be_pread(o, c, f, buf, o->len, o->off);

		if (got != o->len || memcmp(buf, model[f].data + o->off, o->len))
			data_mismatch(o, "copy's read", f, o->off, buf, got);
		be_pwrite(o, c, g, buf, o->len, o->off2);
		if (log_fp)
			fprintf(log_fp, "# %" PRIu64 " copy_file_range: %s: done with "
				"read + write\n", o->idx, strerror(fallback));
		nfallback++;
	}
	memmove(model[g].data + o->off2, model[f].data + o->off, o->len);
	if (o->off2 + o->len > model[g].size)
		model[g].size = o->off2 + o->len;
	return fallback != 0;
}

static void do_op(const struct op *o)
{
	unsigned c = o->client, f = o->file, g = o->file2;
	struct mfile *m = &model[f];
	uint64_t got, expect;

	use_file(o, c, f);
	if (o->type == OP_COPY && g != f)
		use_file(o, c, g);
	if (nclients == 2) {
		be_lock(o, c, f, F_WRLCK);
		handover(o, c, f);
		if (o->type == OP_COPY && g != f) {
			be_lock(o, c, g, F_WRLCK);
			handover(o, c, g);
		}
	}
	switch (o->type) {
	case OP_READ:
		got = be_pread(o, c, f, buf, o->len, o->off);
		expect = o->off >= m->size ? 0 :
			 o->len < m->size - o->off ? o->len : m->size - o->off;
		if (got != expect) {
			char s[256];

			op_describe(o, s, sizeof(s));
			fprintf(stderr, "sfsx: SHORT/LONG READ in op %s: read 0x%" PRIx64
				" bytes, model size 0x%" PRIx64 " says 0x%" PRIx64 " (fstat "
				"now says 0x%" PRIx64 ")\n", s, got, m->size, expect,
				be_size(o, c, f));
			if (got > expect)
				got = expect;
			if (memcmp(buf, m->data + o->off, got))
				data_mismatch(o, "read", f, o->off, buf, got);
			print_history();
			finish_log();
			exit(1);
		}
		if (memcmp(buf, m->data + o->off, got))
			data_mismatch(o, "read", f, o->off, buf, got);
		break;
	case OP_WRITE:
		fill_pattern(buf, o->idx, o->off, o->len);
		be_pwrite(o, c, f, buf, o->len, o->off);
		memcpy(m->data + o->off, buf, o->len);
		if (o->off + o->len > m->size)
			m->size = o->off + o->len;
		break;
	case OP_MAPREAD:
		do_mapread(o, c, f);
		break;
	case OP_MAPWRITE:
		do_mapwrite(o, c, f);
		break;
	case OP_TRUNCATE:
		be_truncate(o, c, f, o->off);
		if (o->off < m->size)
			memset(m->data + o->off, 0, m->size - o->off);
		m->size = o->off;
		break;
	case OP_FALLOC:
		be_fallocate(o, c, f, FALLOC_FL_KEEP_SIZE, o->off, o->len);
		break;
	case OP_PUNCH:
		be_fallocate(o, c, f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     o->off, o->len);
		if (o->off < m->size)
			memset(m->data + o->off, 0,
			       (o->off + o->len < m->size ? o->off + o->len : m->size) - o->off);
		break;
	case OP_COPY:
		do_copy(o, c);
		break;
	case OP_FSYNC:
		be_fsync(o, c, f);
		break;
	case OP_REOPEN:
		be_close(o, c, f);
		be_open(o, c, f, 0);
		break;
	}
	check_size(o, c, f);
	if (o->type == OP_COPY && g != f)
		check_size(o, c, g);
	if (nclients == 2) {
		be_lock(o, c, f, F_UNLCK);
		if (o->type == OP_COPY && g != f)
			be_lock(o, c, g, F_UNLCK);
	}
	counts[o->type]++;
}

/* Reads every file whole (through each client) and checks it. */
static void verify_all(const char *when)
{
	for (unsigned c = 0; c < (unsigned)nclients; c++) {
		for (unsigned f = 0; f < nfiles; f++) {
			uint64_t off = 0;

			snprintf(wd_desc, sizeof(wd_desc), "%s verification of f%u through "
				 "client %u", when, f, c);
			atomic_store(&wd_start, now_sec());
			atomic_fetch_add(&wd_op, 1);
			use_file(NULL, c, f);
			if (nclients == 2) {
				be_lock(NULL, c, f, F_WRLCK);
				handover(NULL, c, f);
			}
			check_size(NULL, c, f);
			while (off < model[f].size + 1) {
				uint64_t n = MAX_OP_LEN, got;

				got = be_pread(NULL, c, f, buf, n, off);
				if (off + got != model[f].size && got != n) {
					fprintf(stderr, "sfsx: SHORT READ in %s verification of "
						"f%u through client %u: 0x%" PRIx64 " bytes at 0x%"
						PRIx64 ", model size 0x%" PRIx64 "\n", when, f, c,
						got, off, model[f].size);
					print_history();
					exit(1);
				}
				if (off + got > model[f].size) {
					fprintf(stderr, "sfsx: LONG READ in %s verification of "
						"f%u through client %u: data past model size 0x%"
						PRIx64 "\n", when, f, c, model[f].size);
					print_history();
					exit(1);
				}
				if (memcmp(buf, model[f].data + off, got))
					data_mismatch(NULL, when, f, off, buf, got);
				if (got < n)
					break;
				off += got;
			}
			if (nclients == 2)
				be_lock(NULL, c, f, F_UNLCK);
		}
	}
}

/* ---- choosing ops ---- */

/* An offset below limit (> 0), often on or near a page, stripe or
 * object boundary or near the end of file f. */
static uint64_t rnd_off(uint64_t limit, const struct mfile *m)
{
	static const uint64_t units[] = { 4096, 65536, 1 << 20, 4 << 20 };
	uint64_t o;

	switch (rnd_below(8)) {
	case 0:
	case 1: {
		uint64_t u = units[rnd_below(4)];

		o = rnd_below(limit / u + 1) * u;
		o += rnd_below(3) == 0 ? rnd_below(8) : 0;
		o -= rnd_below(3) == 0 && o >= 8 ? rnd_below(8) : 0;
		break;
	}
	case 2:
		o = m->size + rnd_below(8192) - (m->size >= 4096 ? 4096 : m->size);
		break;
	default:
		o = rnd_below(limit);
	}
	return o < limit ? o : limit - 1;
}

/* A length in [1, max], max > 0: small and large ones. */
static uint64_t rnd_len(uint64_t max)
{
	uint64_t l;

	switch (rnd_below(8)) {
	case 0:
	case 1:
		l = 1 + rnd_below(512);
		break;
	case 2:
		l = 1 + rnd_below(16384);
		break;
	case 3:
		l = 4096 * (1 + rnd_below(64));
		break;
	default:
		l = 1 + rnd_below(max);
	}
	return l < max ? l : max;
}

static void gen_op(struct op *o, uint64_t idx)
{
	uint64_t total = 0, r;
	struct mfile *m;
	unsigned t;

	for (t = 0; t < OP_NTYPES; t++)
		total += weights[t];
	memset(o, 0, sizeof(*o));
	o->idx = idx;
	o->file = (uint8_t)rnd_below(nfiles);
	o->client = (uint8_t)rnd_below((uint64_t)nclients);
	m = &model[o->file];
	r = rnd_below(total);
	for (t = 0; r >= weights[t]; t++)
		r -= weights[t];
	/* Ops that need data fall back to a write on an empty file. */
	if ((t == OP_MAPREAD || t == OP_COPY) && m->size == 0)
		t = OP_WRITE;
	o->type = (uint8_t)t;
	switch (t) {
	case OP_READ:
		if (m->size == 0 || rnd_below(16) == 0)
			o->off = rnd_off(max_len, m);	/* maybe past the end */
		else
			o->off = rnd_off(m->size, m);
		o->len = rnd_len(max_op);
		break;
	case OP_MAPREAD:
		o->off = rnd_off(m->size, m);
		o->len = rnd_len(m->size - o->off < max_op ? m->size - o->off : max_op);
		break;
	case OP_WRITE:
	case OP_MAPWRITE:
	case OP_FALLOC:
		o->off = rnd_off(max_len, m);
		o->len = rnd_len(max_len - o->off < max_op ? max_len - o->off : max_op);
		break;
	case OP_PUNCH:
		o->off = rnd_off(m->size && rnd_below(8) ? m->size : max_len, m);
		o->len = rnd_len(max_len - o->off < max_op ? max_len - o->off : max_op);
		break;
	case OP_TRUNCATE:
		if (m->size && rnd_below(2))
			o->off = rnd_off(m->size, m);		/* down */
		else
			o->off = m->size + rnd_below(max_len - m->size + 1);	/* up */
		if (rnd_below(8) == 0)
			o->off = o->off & ~(uint64_t)4095;
		break;
	case OP_COPY: {
		uint64_t a = 0, b = 0, len;
		int tries;

		o->file2 = (uint8_t)rnd_below(nfiles);
		len = rnd_len(m->size < max_op ? m->size : max_op);
		for (tries = 0; tries < 16; tries++, len = (len + 1) / 2) {
			a = rnd_below(m->size - len + 1);
			b = rnd_off(max_len - len + 1, &model[o->file2]);
			/* copy_file_range refuses overlapping ranges in one file */
			if (o->file2 != o->file || b + len <= a || a + len <= b)
				break;
		}
		if (tries == 16) {
			o->type = OP_FSYNC;
			break;
		}
		o->off = a, o->len = len, o->off2 = b;
		break;
	}
	default:
		break;
	}
}

/* ---- the log ---- */
static void log_op(const struct op *o)
{
	char s[256];

	if (!log_fp)
		return;
	op_describe(o, s, sizeof(s));
	fprintf(log_fp, "%" PRIu64 " %s %u %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %u\t# %s\n",
		o->idx, op_names[o->type], o->file, o->client, o->off, o->len, o->off2,
		o->file2, s);
}

/* Parses a log line; 1 for an op, 0 for a comment or empty line. */
static int parse_op(const char *line, struct op *o, unsigned lineno)
{
	char name[16];
	unsigned f, c, f2, t;
	unsigned long long idx, off, len, off2;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\n' || !*line)
		return 0;
	if (sscanf(line, "%llu %15s %u %u %llu %llu %llu %u", &idx, name, &f, &c, &off,
		   &len, &off2, &f2) != 8)
		die_usage("replay line %u: cannot parse: %s", lineno, line);
	for (t = 0; t < OP_NTYPES && strcmp(name, op_names[t]); t++)
		;
	if (t == OP_NTYPES)
		die_usage("replay line %u: unknown op %s", lineno, name);
	if (f >= nfiles || f2 >= nfiles || c >= (unsigned)nclients)
		die_usage("replay line %u: file or client out of range (-f %u, %d clients)",
			  lineno, nfiles, nclients);
	/* Reads may reach past the end of the file; nothing else goes past
	 * the model's buffers. */
	if (len > MAX_OP_LEN || off2 + len > max_len ||
	    (t == OP_TRUNCATE ? off : t == OP_READ ? off + 1 : off + len) > max_len)
		die_usage("replay line %u: range beyond -l 0x%" PRIx64 " or -o", lineno, max_len);
	*o = (struct op){ .idx = idx, .type = (uint8_t)t, .file = (uint8_t)f,
			  .client = (uint8_t)c, .off = off, .len = len, .off2 = off2,
			  .file2 = (uint8_t)f2 };
	return 1;
}

/* Ops the backend cannot do are refused in replay and never chosen. */
static int op_supported(unsigned t)
{
	return !(use_lib && (t == OP_MAPREAD || t == OP_MAPWRITE || t == OP_COPY));
}

/* ---- watchdog ---- */
static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t op = atomic_load(&wd_op), start = atomic_load(&wd_start);

		sleep(1);
		if (op == atomic_load(&wd_op) && start && now_sec() - start >= hang_secs) {
			dprintf(2, "sfsx: HANG: op %s has not finished after %u s\n",
				wd_desc, hang_secs);
			if (log_fp)
				fflush(log_fp);
			_exit(2);
		}
	}
	return NULL;
}

/* ---- setup ---- */
static uint64_t parse_size(const char *s, const char *opt)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s)
		die_usage("%s: not a number: %s", opt, s);
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	else if (*end == 'g' || *end == 'G')
		v <<= 30, end++;
	if (*end)
		die_usage("%s: bad number: %s", opt, s);
	return v;
}

static void usage(void)
{
	fprintf(stderr,
"usage: sfsx [options] -d DIR [-2 DIR2]      POSIX calls on DIR (and DIR2)\n"
"       sfsx [options] -c CEPH_CONF -r DIR   siphon's library, DIR in CephFS\n"
"  -S seed       random seed (default: from the clock; printed)\n"
"  -N ops        number of ops (default 10000)\n"
"  -l maxlen     largest file size (default 256K, at most 16M)\n"
"  -o maxop      largest op length (default 64K, at most 1M)\n"
"  -f nfiles     files sfsx.0 .. (default 1, at most %d)\n"
"  -P            no hole punching          -M  no mmap reads/writes\n"
"  -F            no fallocate at all       -C  no copy_file_range\n"
"  -W w,w,...    op weights in the order %s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n"
"  -V K          verify every file whole every K ops (and always at the end)\n"
"  -T secs       an op taking longer is a hang: exit 2 (default 300, 0: never)\n"
"  -L logfile    write every op, one line each (replayable)\n"
"  -R logfile    replay the ops of a log instead of random ones\n"
"  -D            with -2: the client taking a file over from the other drops\n"
"                its kernel page cache for it (see the coherence comment)\n"
"  -k            keep the files at the end (removed after a clean run)\n"
"  -q            quiet\n"
"exit: 0 clean, 1 mismatch, 2 usage or I/O error or hang\n",
		MAX_FILES, op_names[0], op_names[1], op_names[2], op_names[3], op_names[4],
		op_names[5], op_names[6], op_names[7], op_names[8], op_names[9]);
	exit(2);
}

/* Reads the replay log's header (the shape it ran with). */
static void read_replay_header(FILE *fp)
{
	char line[512];

	while (fgets(line, sizeof(line), fp)) {
		const char *p = strstr(line, "# sfsx ");
		unsigned long long v;

		if (!p)
			continue;
		if ((p = strstr(line, " maxlen=")) && sscanf(p, " maxlen=%llu", &v) == 1)
			max_len = v;
		if ((p = strstr(line, " maxop=")) && sscanf(p, " maxop=%llu", &v) == 1)
			max_op = v;
		if ((p = strstr(line, " nfiles=")) && sscanf(p, " nfiles=%llu", &v) == 1)
			nfiles = (unsigned)v;
		break;
	}
	rewind(fp);
}

static void lib_setup(void)
{
	struct siphon_inode *in, *next;
	char *path = strdup(lib_root), *save = NULL, *comp;
	int r;

	if ((r = siphon_create(&sc, NULL)) || (r = siphon_conf_read_file(sc, conf_path)))
		io_fail(NULL, -r, "siphon config %s", conf_path);
	if ((r = siphon_mount(sc, "/")))
		io_fail(NULL, -r, "siphon_mount (%s)", siphon_errstr(sc));
	if ((r = siphon_mkdirs(sc, lib_root, 0755)))
		io_fail(NULL, -r, "mkdir -p %s", lib_root);
	if ((r = siphon_ll_root(sc, &in)))
		io_fail(NULL, -r, "siphon_ll_root");
	for (comp = strtok_r(path, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if ((r = siphon_ll_lookup(sc, in, comp, &next, NULL, NULL)))
			io_fail(NULL, -r, "lookup %s in %s", comp, lib_root);
		siphon_ll_put(sc, in, 1);
		in = next;
	}
	free(path);
	s_dir = in;
}

static void lib_teardown(int remove)
{
	int r;

	for (unsigned f = 0; f < nfiles; f++) {
		char name[32];

		if (s_fh[f] && (r = siphon_close(s_fh[f])))
			io_fail(NULL, -r, "close sfsx.%u", f);
		snprintf(name, sizeof(name), "sfsx.%u", f);
		if (remove && (r = siphon_ll_unlink(sc, s_dir, name)))
			io_fail(NULL, -r, "unlink %s", name);
		siphon_ll_put(sc, s_ino[f], 1);
	}
	siphon_ll_put(sc, s_dir, 1);
	if ((r = siphon_unmount(sc)))
		io_fail(NULL, -r, "siphon_unmount");
	siphon_release(sc);
}

int main(int argc, char **argv)
{
	int opt, seeded = 0, no_punch = 0, no_mmap = 0, no_falloc = 0, no_copy = 0;
	FILE *replay_fp = NULL;
	pthread_t wd;
	uint64_t t0 = now_sec();

	while ((opt = getopt(argc, argv, "S:N:l:o:f:PMFCW:V:T:L:R:d:2:Dc:r:kqh")) != -1) {
		switch (opt) {
		case 'S': seed = parse_size(optarg, "-S"), seeded = 1; break;
		case 'N': nops = parse_size(optarg, "-N"); break;
		case 'l': max_len = parse_size(optarg, "-l"); break;
		case 'o': max_op = parse_size(optarg, "-o"); break;
		case 'f': nfiles = (unsigned)parse_size(optarg, "-f"); break;
		case 'P': no_punch = 1; break;
		case 'M': no_mmap = 1; break;
		case 'F': no_falloc = 1; break;
		case 'C': no_copy = 1; break;
		case 'W': {
			char *p = optarg;

			for (unsigned t = 0; t < OP_NTYPES; t++) {
				char *end;

				weights[t] = (unsigned)strtoul(p, &end, 10);
				if (end == p || (t + 1 < OP_NTYPES && *end != ','))
					die_usage("-W wants %d comma-separated weights", OP_NTYPES);
				p = end + 1;
			}
			break;
		}
		case 'V': verify_every = (unsigned)parse_size(optarg, "-V"); break;
		case 'T': hang_secs = (unsigned)parse_size(optarg, "-T"); break;
		case 'L': log_path = optarg; break;
		case 'R': replay_path = optarg; break;
		case 'd': dirs[0] = optarg; break;
		case '2': dirs[1] = optarg, nclients = 2; break;
		case 'D': drop_cache = 1; break;
		case 'c': conf_path = optarg; break;
		case 'r': lib_root = optarg; break;
		case 'k': keep_files = 1; break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	use_lib = conf_path || lib_root;
	if (use_lib && (!conf_path || !lib_root || dirs[0] || dirs[1]))
		die_usage("the library backend wants -c CONF and -r DIR (and no -d/-2)");
	if (!use_lib && !dirs[0])
		die_usage("no -d DIR (or -c CONF -r DIR)");
	if (replay_path) {
		if (!(replay_fp = fopen(replay_path, "r")))
			die_usage("cannot open %s: %s", replay_path, strerror(errno));
		read_replay_header(replay_fp);
	}
	if (max_len < 1 || max_len > MAX_FILE_LEN)
		die_usage("-l must be 1..16M");
	if (max_op < 1 || max_op > MAX_OP_LEN)
		die_usage("-o must be 1..1M");
	if (nfiles < 1 || nfiles > MAX_FILES)
		die_usage("-f must be 1..%d", MAX_FILES);
	if (!seeded)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	rng_state = seed;
	if (no_punch)
		weights[OP_PUNCH] = 0;
	if (no_falloc)
		weights[OP_PUNCH] = weights[OP_FALLOC] = 0;
	if (no_mmap)
		weights[OP_MAPREAD] = weights[OP_MAPWRITE] = 0;
	if (no_copy)
		weights[OP_COPY] = 0;
	{
		unsigned total = 0;

		for (unsigned t = 0; t < OP_NTYPES; t++) {
			if (!op_supported(t))
				weights[t] = 0;
			total += weights[t];
		}
		if (!total)
			die_usage("every op has weight 0");
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	buf = malloc(MAX_OP_LEN);
	for (unsigned f = 0; f < nfiles; f++)
		if (!(model[f].data = calloc(1, max_len)))
			die_usage("out of memory for the model");
	if (!buf)
		die_usage("out of memory");
	memset(fds, -1, sizeof(fds));
	{
		struct sigaction sa = { .sa_handler = on_sigbus };

		sigaction(SIGBUS, &sa, NULL);
	}
	if (log_path) {
		if (!(log_fp = fopen(log_path, "w")))
			die_usage("cannot write %s: %s", log_path, strerror(errno));
		setvbuf(log_fp, NULL, _IOLBF, 0);
		fprintf(log_fp, "# sfsx seed=%" PRIu64 " ops=%" PRIu64 " maxlen=%" PRIu64
			" maxop=%" PRIu64 " nfiles=%u clients=%d backend=%s%s\n", seed, nops,
			max_len, max_op, nfiles, nclients, use_lib ? "library" : "posix",
			replay_path ? " (replay)" : "");
		fprintf(log_fp, "# idx op file client off len off2 file2 (truncate: off is "
			"the new size; copy: file/off -> file2/off2)\n");
	}
	if (!quiet && replay_path)
		printf("sfsx: replaying %s, files %u x up to 0x%" PRIx64 ", %s backend%s\n",
		       replay_path, nfiles, max_len, use_lib ? "library" : "POSIX",
		       nclients == 2 ? ", two clients" : "");
	else if (!quiet)
		printf("sfsx: seed %" PRIu64 ", %" PRIu64 " ops, files %u x up to 0x%" PRIx64
		       ", ops up to 0x%" PRIx64 ", %s backend%s\n", seed, nops, nfiles,
		       max_len, max_op, use_lib ? "library" : "POSIX",
		       nclients == 2 ? ", two clients" : "");

	/* Create (or empty) the files. */
	if (use_lib) {
		lib_setup();
		for (unsigned f = 0; f < nfiles; f++)
			be_open(NULL, 0, f, 1);
	} else {
		if (mkdir(dirs[0], 0755) && errno != EEXIST)
			io_fail(NULL, errno, "mkdir %s", dirs[0]);
		for (unsigned f = 0; f < nfiles; f++)
			be_open(NULL, 0, f, 1);
	}

	if (hang_secs && pthread_create(&wd, NULL, watchdog, NULL) == 0)
		pthread_detach(wd);

	unsigned lineno = 0;

	for (uint64_t i = 0;; i++) {
		struct op o;

		if (replay_fp) {
			char line[512];
			int have = 0;

			while (!have && fgets(line, sizeof(line), replay_fp))
				have = parse_op(line, &o, ++lineno);
			if (!have)
				break;
			if (!op_supported(o.type))
				die_usage("replay: op %" PRIu64 " (%s) is not possible with this backend",
					  o.idx, op_names[o.type]);
		} else {
			if (i >= nops)
				break;
			gen_op(&o, i + 1);
		}
		if (ops_done == ops_cap) {
			ops_cap = ops_cap ? 2 * ops_cap : 65536;
			if (!(ops = realloc(ops, ops_cap * sizeof(*ops))))
				die_usage("out of memory for the op history");
		}
		ops[ops_done] = o;
		log_op(&o);
		op_describe(&o, wd_desc, sizeof(wd_desc));
		atomic_store(&wd_start, now_sec());
		atomic_store(&wd_op, o.idx);
		ops_done++;
		do_op(&o);
		if (verify_every && ops_done % verify_every == 0)
			verify_all("periodic");
		if (!quiet && ops_done % 100000 == 0)
			printf("sfsx: %" PRIu64 " ops done (%" PRIu64 " s)\n", ops_done,
			       now_sec() - t0);
	}
	verify_all("final");
	atomic_store(&wd_start, 0);

	/* Close (and remove) the files. */
	if (use_lib) {
		lib_teardown(!keep_files);
	} else {
		for (unsigned c = 0; c < (unsigned)nclients; c++)
			for (unsigned f = 0; f < nfiles; f++)
				if (fds[c][f] >= 0)
					be_close(NULL, c, f);
		for (unsigned f = 0; !keep_files && f < nfiles; f++) {
			char p[PATH_MAX];

			file_path(p, sizeof(p), 0, f);
			if (unlink(p))
				io_fail(NULL, errno, "unlink %s", p);
		}
	}
	if (!quiet) {
		if (replay_path)
			printf("sfsx: %" PRIu64 " ops clean in %" PRIu64 " s (replay):", ops_done,
			       now_sec() - t0);
		else
			printf("sfsx: %" PRIu64 " ops clean in %" PRIu64 " s (seed %" PRIu64 "):",
			       ops_done, now_sec() - t0, seed);
		for (unsigned t = 0; t < OP_NTYPES; t++)
			if (counts[t])
				printf(" %s %" PRIu64, op_names[t], counts[t]);
		printf("\n");
		if (nfallback)
			printf("sfsx: %" PRIu64 " copies done with read + write "
			       "(copy_file_range refused)\n", nfallback);
	}
	if (log_fp)
		fclose(log_fp);
	free(ops);
	free(buf);
	for (unsigned f = 0; f < nfiles; f++)
		free(model[f].data);
	return 0;
}

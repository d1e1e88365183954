/* bench/io.c: a file I/O benchmark for one CephFS client library.
 *
 * Built twice, like bench/metadata.c: with -DBENCH_SIPHON against siphon's
 * C API (program io_siphon) and with -DBENCH_LIBCEPHFS against libcephfs's
 * path/fd API (program io_libcephfs: ceph_open, ceph_write, ceph_read,
 * ceph_fsync, ceph_close; no ll_ calls). bench/compare-io runs both
 * alternately, with `rados bench` on the same cluster, and prints the table.
 *
 * One run, in a fresh directory BENCHROOT/CLIENT.HOST.PID.TIME:
 *
 *   for each block size B given with -B (default 4 MiB):
 *     seqwrite-B   create file seqB, write S MiB in B-sized calls from
 *                  offset 0, then fsync and close (all three timed)
 *     seqread-B    a fresh client session (new mount, so nothing of the
 *                  file is cached in the client), open, read the S MiB in
 *                  B-sized calls (timed), check every 4 KiB block
 *     the file is removed, except the last one
 *   randwrite-4K   N writes of 4 KiB at random 4 KiB-aligned offsets of the
 *                  last file, then fsync and close (all timed)
 *   randread-4K    a fresh session again; N reads of 4 KiB at random
 *                  aligned offsets (another sequence), each checked
 *
 * Every 4 KiB block written starts with a 64-bit tag derived from its file
 * offset, so any read that returns the wrong block, a hole or short data
 * stops the run with "FAILED: ..." and exit status 1.
 *
 * What each client caches (nothing is configured here; Ceph options after
 * -- reach the client, e.g. --client_oc=false for libcephfs):
 *   siphon: no data cache; each siphon_write/siphon_read returns when the
 *     OSDs have answered (up to 16 objects in flight within one call).
 *   libcephfs: its ObjectCacher (client_oc, default on, 200 MiB, 100 MiB of
 *     it dirty at most) buffers writes and flushes them in the background,
 *     so the write phases include fsync; reads read ahead (up to
 *     client_readahead_max_periods = 4 file-layout periods). The fresh
 *     mount before each read phase empties that cache.
 *
 * Output, tab-separated, one line per phase (the first seven columns as in
 * metadata.c):
 *   result CLIENT PHASE OPS SECONDS OPS_PER_S SYNC_SECONDS BYTES MIB_PER_S
 * OPS are the read/write calls, SECONDS the timed span, SYNC_SECONDS the
 * part of it spent in fsync+close (0 for reads), MIB_PER_S = BYTES / 2^20 /
 * SECONDS (MiB/s, which is what `rados bench` prints as "MB/sec").
 * Plus "info" lines (mount time, directory, sizes, and at the end the
 * process's peak RSS, maxrss_kib); errors go to stderr. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#if defined(BENCH_SIPHON) == defined(BENCH_LIBCEPHFS)
#error "define exactly one of BENCH_SIPHON and BENCH_LIBCEPHFS"
#endif

#ifdef BENCH_SIPHON
#include "siphon/siphon.h"
#define CLIENT_NAME "siphon"
#else
#include <cephfs/libcephfs.h>
#define CLIENT_NAME "libcephfs"
#endif

#define PATH_LEN 1024
#define BLK 4096u		/* the unit of tags and of random I/O */
#define MAX_BLOCK_SIZES 8
#define TAG_MAGIC 0x5349504f4e494f21ull	/* "SIPONIO!" */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "io_%s: FAILED: ", CLIENT_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the two back ends: one session, one open file at a time ---- */

#ifdef BENCH_SIPHON

static struct siphon_client *cl;
static struct siphon_file *fh;

static const char *be_err(void)
{
	return cl ? siphon_errstr(cl) : "";
}

static int be_init(const char *conf, int argc, char **argv)
{
	int r = siphon_create(&cl, NULL);

	if (r)
		return r;
	if (conf) {
		r = siphon_conf_read_file(cl, conf);
		if (r)
			return r;
	}
	r = siphon_conf_parse_argv(cl, &argc, argv);
	if (r)
		return r;
	if (argc > 1)
		die("unknown argument %s", argv[1]);
	return siphon_mount(cl, NULL);
}

static void be_fini(void)
{
	int r = siphon_unmount(cl);

	if (r)
		die("siphon_unmount: %s (%s)", strerror(-r), siphon_errstr(cl));
	siphon_release(cl);
	cl = NULL;
}

static int be_mkdirs(const char *p)
{
	return siphon_mkdirs(cl, p, 0755);
}

static int be_rmdir(const char *p)
{
	return siphon_rmdir(cl, p);
}

static int be_unlink(const char *p)
{
	return siphon_unlink(cl, p);
}

static int be_open(const char *p, int flags)
{
	return siphon_open(cl, p, flags, 0644, &fh);
}

static int be_close(void)
{
	int r = siphon_close(fh);

	fh = NULL;
	return r;
}

static int64_t be_write(const void *buf, size_t len, uint64_t off)
{
	return siphon_write(fh, buf, len, (int64_t)off);
}

static int64_t be_read(void *buf, size_t len, uint64_t off)
{
	return siphon_read(fh, buf, len, (int64_t)off);
}

static int be_fsync(void)
{
	return siphon_fsync(fh);
}

static int be_fsize(uint64_t *size)
{
	struct siphon_stat st;
	int r = siphon_fstat(fh, &st);

	if (!r)
		*size = st.size;
	return r;
}

#else /* BENCH_LIBCEPHFS */

static struct ceph_mount_info *cm;
static int fd = -1;

static const char *be_err(void)
{
	return "";
}

static int be_init(const char *conf, int argc, char **argv)
{
	int r = ceph_create(&cm, NULL);

	if (r)
		return r;
	if (conf) {
		r = ceph_conf_read_file(cm, conf);
		if (r)
			return r;
	}
	if (argc > 1) {
		r = ceph_conf_parse_argv(cm, argc, (const char **)argv);
		if (r)
			return r;
	}
	return ceph_mount(cm, NULL);
}

static void be_fini(void)
{
	int r = ceph_unmount(cm);

	if (r)
		die("ceph_unmount: %s", strerror(-r));
	ceph_release(cm);
	cm = NULL;
}

static int be_mkdirs(const char *p)
{
	return ceph_mkdirs(cm, p, 0755);
}

static int be_rmdir(const char *p)
{
	return ceph_rmdir(cm, p);
}

static int be_unlink(const char *p)
{
	return ceph_unlink(cm, p);
}

static int be_open(const char *p, int flags)
{
	int r = ceph_open(cm, p, flags, 0644);

	if (r < 0)
		return r;
	fd = r;
	return 0;
}

static int be_close(void)
{
	int r = ceph_close(cm, fd);

	fd = -1;
	return r;
}

static int64_t be_write(const void *buf, size_t len, uint64_t off)
{
	return ceph_write(cm, fd, buf, (int64_t)len, (int64_t)off);
}

static int64_t be_read(void *buf, size_t len, uint64_t off)
{
	return ceph_read(cm, fd, buf, (int64_t)len, (int64_t)off);
}

static int be_fsync(void)
{
	return ceph_fsync(cm, fd, 0);
}

static int be_fsize(uint64_t *size)
{
	struct ceph_statx stx;
	int r = ceph_fstatx(cm, fd, &stx, CEPH_STATX_SIZE, 0);

	if (!r)
		*size = stx.stx_size;
	return r;
}

#endif

/* ---- sessions ---- */

static const char *conf_path;
static int ceph_argc;
static char **ceph_argv;	/* argv[0] and the Ceph options after -- */

/* A new session; the option parsers may rearrange argv, so each gets a copy. */
static double session_open(void)
{
	char **v = calloc((size_t)ceph_argc + 1, sizeof(*v));
	double t0 = now();
	int r;

	if (!v)
		die("out of memory");
	memcpy(v, ceph_argv, (size_t)ceph_argc * sizeof(*v));
	r = be_init(conf_path, ceph_argc, v);
	if (r < 0)
		die("create/configure/mount: %s (%d) %s", strerror(-r), r, be_err());
	free(v);
	return now() - t0;
}

/* ---- data: every 4 KiB block starts with a tag of its offset ---- */

static uint64_t tag_of(uint64_t off)
{
	return (off / BLK) ^ TAG_MAGIC;
}

/* buf is about to be written at file offset off: tag each block */
static void tag_blocks(uint8_t *buf, size_t len, uint64_t off)
{
	for (size_t i = 0; i + BLK <= len; i += BLK) {
		uint64_t t = tag_of(off + i);

		memcpy(buf + i, &t, sizeof(t));
	}
}

static void check_blocks(const uint8_t *buf, size_t len, uint64_t off,
			 const char *what)
{
	for (size_t i = 0; i + BLK <= len; i += BLK) {
		uint64_t t;

		memcpy(&t, buf + i, sizeof(t));
		if (t != tag_of(off + i))
			die("%s: the block at offset %llu holds tag %#llx, expected "
			    "%#llx (wrong data or a hole)", what,
			    (unsigned long long)(off + i), (unsigned long long)t,
			    (unsigned long long)tag_of(off + i));
	}
}

/* xorshift64*: the same offsets for both clients */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* ---- the phases ---- */

static char base[PATH_LEN];
static uint64_t file_bytes = 1024ull << 20;
static size_t block_sizes[MAX_BLOCK_SIZES] = { 4u << 20 };
static int num_block_sizes = 1;
static long rand_ops = 2000;

static void check(int64_t r, const char *call, const char *path)
{
	if (r < 0)
		die("%s %s: %s (%lld) %s", call, path, strerror((int)-r),
		    (long long)r, be_err());
}

static void report(const char *phase, long ops, double secs, double sync_secs,
		   uint64_t bytes)
{
	printf("result\t%s\t%s\t%ld\t%.6f\t%.1f\t%.6f\t%llu\t%.2f\n", CLIENT_NAME,
	       phase, ops, secs, secs > 0 ? (double)ops / secs : 0.0, sync_secs,
	       (unsigned long long)bytes,
	       secs > 0 ? (double)bytes / 1048576.0 / secs : 0.0);
	fflush(stdout);
}

/* "4M", "64K", "4096" */
static const char *size_name(size_t b, char *out, size_t n)
{
	if (b % (1u << 20) == 0)
		snprintf(out, n, "%zuM", b >> 20);
	else if (b % 1024 == 0)
		snprintf(out, n, "%zuK", b >> 10);
	else
		snprintf(out, n, "%zu", b);
	return out;
}

static void seq_write(const char *path, uint8_t *buf, size_t bs,
		      const char *phase)
{
	uint64_t off = 0, size = 0;
	long calls = 0;
	double t0, ts;

	check(be_open(path, O_WRONLY | O_CREAT | O_EXCL), "open", path);
	t0 = now();
	while (off < file_bytes) {
		size_t n = file_bytes - off < bs ? (size_t)(file_bytes - off) : bs;
		int64_t w;

		tag_blocks(buf, n, off);
		w = be_write(buf, n, off);
		check(w, "write", path);
		if ((size_t)w != n)
			die("write %s at %llu: %lld of %zu bytes", path,
			    (unsigned long long)off, (long long)w, n);
		off += n;
		calls++;
	}
	ts = now();
	check(be_fsync(), "fsync", path);
	check(be_close(), "close", path);
	t0 = now() - t0;
	ts = now() - ts;
	report(phase, calls, t0, ts, file_bytes);

	/* untimed: the size is right */
	check(be_open(path, O_RDONLY), "open", path);
	check(be_fsize(&size), "fstat", path);
	check(be_close(), "close", path);
	if (size != file_bytes)
		die("after %s: %s has %llu bytes, expected %llu", phase, path,
		    (unsigned long long)size, (unsigned long long)file_bytes);
}

static void seq_read(const char *path, uint8_t *buf, size_t bs,
		     const char *phase)
{
	uint64_t off = 0;
	long calls = 0;
	double t0;

	check(be_open(path, O_RDONLY), "open", path);
	t0 = now();
	while (off < file_bytes) {
		size_t n = file_bytes - off < bs ? (size_t)(file_bytes - off) : bs;
		int64_t got = be_read(buf, n, off);

		check(got, "read", path);
		if ((size_t)got != n)
			die("read %s at %llu: %lld of %zu bytes", path,
			    (unsigned long long)off, (long long)got, n);
		check_blocks(buf, n, off, phase);
		off += n;
		calls++;
	}
	t0 = now() - t0;
	check(be_close(), "close", path);
	report(phase, calls, t0, 0, file_bytes);
}

static void rand_io(const char *path, bool write, uint64_t seed)
{
	const char *phase = write ? "randwrite-4K" : "randread-4K";
	uint64_t blocks = file_bytes / BLK, s = seed;
	uint8_t buf[BLK];
	double t0, ts = 0;

	memset(buf, 0xa5, sizeof(buf));
	check(be_open(path, write ? O_WRONLY : O_RDONLY), "open", path);
	t0 = now();
	for (long i = 0; i < rand_ops; i++) {
		uint64_t off = rng_next(&s) % blocks * BLK;
		int64_t r;

		if (write) {
			tag_blocks(buf, BLK, off);
			r = be_write(buf, BLK, off);
		} else {
			r = be_read(buf, BLK, off);
		}
		check(r, write ? "write" : "read", path);
		if (r != BLK)
			die("%s %s at %llu: %lld of %u bytes", phase, path,
			    (unsigned long long)off, (long long)r, BLK);
		if (!write)
			check_blocks(buf, BLK, off, phase);
	}
	if (write) {
		ts = now();
		check(be_fsync(), "fsync", path);
	}
	check(be_close(), "close", path);
	t0 = now() - t0;
	if (write)
		ts = now() - ts;
	report(phase, rand_ops, t0, ts, (uint64_t)rand_ops * BLK);
}

static void run_phases(void)
{
	char path[PATH_LEN + 64], prev[PATH_LEN + 64] = "", name[32], phase[48];
	uint8_t *buf;
	size_t max_bs = 0;

	for (int i = 0; i < num_block_sizes; i++)
		if (block_sizes[i] > max_bs)
			max_bs = block_sizes[i];
	buf = malloc(max_bs);
	if (!buf)
		die("out of memory for a %zu-byte buffer", max_bs);
	memset(buf, 0x5a, max_bs);

	for (int i = 0; i < num_block_sizes; i++) {
		size_t bs = block_sizes[i];

		size_name(bs, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/seq%s", base, name);
		if (prev[0]) {
			check(be_unlink(prev), "unlink", prev);
			prev[0] = '\0';
		}
		snprintf(phase, sizeof(phase), "seqwrite-%s", name);
		seq_write(path, buf, bs, phase);
		be_fini();	/* a cold client for the read */
		session_open();
		memset(buf, 0, max_bs);
		snprintf(phase, sizeof(phase), "seqread-%s", name);
		seq_read(path, buf, bs, phase);
		snprintf(prev, sizeof(prev), "%s", path);
	}
	free(buf);

	if (rand_ops > 0) {
		rand_io(prev, true, 0x9e3779b97f4a7c15ull);
		be_fini();
		session_open();
		rand_io(prev, false, 0xd1b54a32d192ed03ull);
	}
	check(be_unlink(prev), "unlink", prev);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-c CONF] [-s MIB] [-B SIZE[,SIZE...]] [-n N] [-b BENCHROOT] [-- CEPH_OPTIONS...]\n"
		"  -c CONF       ceph.conf for the client (default: the client's own search)\n"
		"  -s MIB        file size in MiB (default 1024)\n"
		"  -B SIZES      sequential call sizes, e.g. 4M,64M (K/M suffixes; multiples\n"
		"                of 4 KiB; default 4M); one write+read pass per size\n"
		"  -n N          random 4 KiB writes, then reads (default 2000; 0: none)\n"
		"  -b BENCHROOT  directory holding each run's fresh directory (default /bench)\n"
		"  after --      Ceph options for the client (--id ID, --client_oc=false, ...)\n",
		prog);
	exit(2);
}

static long parse_num(const char *s, long min, long max, const char *prog)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		usage(prog);
	return v;
}

static void parse_sizes(char *s, const char *prog)
{
	num_block_sizes = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		char *end;
		unsigned long long v = strtoull(tok, &end, 10);

		if (*end == 'K' || *end == 'k')
			v <<= 10, end++;
		else if (*end == 'M' || *end == 'm')
			v <<= 20, end++;
		if (end == tok || *end || !v || v % BLK || v > (1ull << 30) ||
		    num_block_sizes == MAX_BLOCK_SIZES)
			usage(prog);
		block_sizes[num_block_sizes++] = (size_t)v;
	}
	if (!num_block_sizes)
		usage(prog);
}

/* the process's peak resident set (the kernel's VmHWM), for the tables */
static void print_maxrss(void)
{
	struct rusage ru;

	if (!getrusage(RUSAGE_SELF, &ru))
		printf("info\t%s\tmaxrss_kib\t%ld\n", CLIENT_NAME, ru.ru_maxrss);
}

int main(int argc, char **argv)
{
	const char *root = "/bench";
	char host[64] = "host", *dot;
	double mount_secs;
	int opt;

	while ((opt = getopt(argc, argv, "c:s:B:n:b:h")) != -1) {
		switch (opt) {
		case 'c': conf_path = optarg; break;
		case 's':
			file_bytes = (uint64_t)parse_num(optarg, 1, 1 << 20, argv[0]) << 20;
			break;
		case 'B': parse_sizes(optarg, argv[0]); break;
		case 'n': rand_ops = parse_num(optarg, 0, 100000000, argv[0]); break;
		case 'b': root = optarg; break;
		default: usage(argv[0]);
		}
	}
	argv[optind - 1] = argv[0];
	ceph_argc = argc - (optind - 1);
	ceph_argv = argv + optind - 1;

	mount_secs = session_open();
	printf("info\t%s\tmount_seconds\t%.6f\n", CLIENT_NAME, mount_secs);

	gethostname(host, sizeof(host) - 1);
	dot = strchr(host, '.');
	if (dot)
		*dot = '\0';
	if (strlen(root) > 512)
		die("bench root too long: %s", root);
	snprintf(base, sizeof(base), "%s/%s.%.63s.%ld.%ld", root, CLIENT_NAME,
		 host, (long)getpid(), (long)time(NULL));
	check(be_mkdirs(base), "mkdirs", base);
	printf("info\t%s\tdir\t%s\tfile_mib\t%llu\trand_ops\t%ld\n", CLIENT_NAME,
	       base, (unsigned long long)(file_bytes >> 20), rand_ops);
	fflush(stdout);

	run_phases();

	check(be_rmdir(base), "rmdir", base);
	be_fini();
	print_maxrss();
	return 0;
}

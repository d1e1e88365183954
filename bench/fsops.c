/* bench/fsops.c: file system operations through a mounted file system, for
 * bench/compare-fuse (siphon-fuse against ceph-fuse). Plain POSIX calls, no
 * Ceph library: the same program measures whatever is mounted at DIR.
 *
 *   fsops meta      [-l LABEL] [-n N] [-r R] [-D] DIR
 *       in DIR (which must exist and be empty), timed phase by phase:
 *         mkdir    N directories dirs/d000000...            mkdir()
 *         create   N empty files files/f000000...           open(O_CREAT|O_EXCL) + close()
 *         stat     the N files, each a regular file of size 0  stat()
 *         readdir  R passes of `ls -l` over files/: opendir, readdir, fstatat() of each
 *                  entry; each pass must count N regular f* files
 *         rename   files/fNNNNNN -> files/rNNNNNN           rename()
 *         unlink   the N renamed files                       unlink()
 *         rmdir    the N directories                         rmdir()
 *       -D: before stat and before readdir, drop the kernel's clean caches
 *       (echo 3 > /proc/sys/vm/drop_caches; root only), so that the FUSE
 *       daemon, not the kernel's dentry and attribute caches, answers.
 *       After each phase, untimed, a readdir checks the result.
 *
 *   fsops gen       [-n FILES] [-m MINBYTES] [-M MAXBYTES] [-p PERDIR] DIR
 *       creates DIR/dNNN/fNNNNNN: FILES files of pseudo-random sizes in
 *       [MIN, MAX] with pseudo-random contents, PERDIR files a directory
 *       (default 2000 files, 4096..65536 bytes, 100 a directory). Used on a
 *       local file system to make the tree bench/compare-fuse untars.
 *
 *   fsops randwrite [-l LABEL] [-n OPS] [-s MIB] FILE
 *       OPS pwrite()s of 4 KiB at pseudo-random 4 KiB-aligned offsets within
 *       the first MIB MiB of FILE (which must exist and be at least that
 *       long), then fsync() and close(), all timed. Each block written
 *       starts with a tag made from its offset.
 *   fsops randread  [-l LABEL] [-n OPS] [-s MIB] FILE
 *       OPS pread()s of 4 KiB at the same offsets as randwrite (same -n and
 *       -s), in another (shuffled) order; each must return its tag.
 *
 * Output, tab-separated, one line per phase, the columns of bench/io.c:
 *   result LABEL PHASE OPS SECONDS OPS_PER_S SYNC_SECONDS BYTES MIB_PER_S
 * (readdir: OPS = passes; randwrite: SYNC_SECONDS = the fsync+close part).
 * A failed call or a wrong result: "fsops: FAILED: ..." on stderr, exit 1. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define BLK 4096u
#define TAG_MAGIC 0x4653555345544147ull	/* "GATESUSF" */
#define PATH_LEN 4096

static const char *label = "client";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsops: FAILED: ");
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

static long parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s: %s (%ld..%ld)", what, s, min, max);
	return v;
}

static void result(const char *phase, long ops, double secs, double sync_secs,
		   uint64_t bytes)
{
	if (secs <= 0)
		secs = 1e-9;
	printf("result\t%s\t%s\t%ld\t%.6f\t%.1f\t%.6f\t%llu\t%.1f\n", label, phase, ops,
	       secs, (double)ops / secs, sync_secs, (unsigned long long)bytes,
	       (double)bytes / 1048576.0 / secs);
	fflush(stdout);
}

/* xorshift64*: the same sequence on every machine */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd < 0 || write(fd, "3\n", 2) != 2)
		die("drop_caches: %s (-D needs root)", strerror(errno));
	close(fd);
}

/* ---- meta ---- */

static char base[PATH_LEN];

static void pathf(char *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pathf(char *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p, PATH_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_LEN)
		die("path too long");
}

/* entries of DIR whose name starts with PREFIX and are of type TYPE (S_IFREG,
 * S_IFDIR), and how many entries there are besides . and .. */
static long count_entries(const char *dir, char prefix, mode_t type, long *all)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long n = 0, a = 0;

	if (!d)
		die("opendir %s: %s", dir, strerror(errno));
	errno = 0;
	while ((e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		a++;
		if (e->d_name[0] != prefix)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			die("stat %s/%s: %s", dir, e->d_name, strerror(errno));
		if ((st.st_mode & S_IFMT) == type)
			n++;
		errno = 0;
	}
	if (errno)
		die("readdir %s: %s", dir, strerror(errno));
	closedir(d);
	if (all)
		*all = a;
	return n;
}

static void expect(const char *sub, char prefix, mode_t type, long want, long want_all,
		   const char *after)
{
	char p[PATH_LEN];
	long all, n;

	pathf(p, "%s/%s", base, sub);
	n = count_entries(p, prefix, type, &all);
	if (n != want || all != want_all)
		die("after %s: %s has %ld %c* entries of the right type and %ld in all, "
		    "expected %ld and %ld", after, p, n, prefix, all, want, want_all);
}

static void meta(long n, int passes, int drop)
{
	char p[PATH_LEN], q[PATH_LEN];
	double t0;
	long i;

	pathf(p, "%s/dirs", base);
	if (mkdir(p, 0755))
		die("mkdir %s: %s", p, strerror(errno));
	pathf(p, "%s/files", base);
	if (mkdir(p, 0755))
		die("mkdir %s: %s", p, strerror(errno));

	t0 = now();
	for (i = 0; i < n; i++) {
		pathf(p, "%s/dirs/d%06ld", base, i);
		if (mkdir(p, 0755))
			die("mkdir %s: %s", p, strerror(errno));
	}
	result("mkdir", n, now() - t0, 0, 0);
	expect("dirs", 'd', S_IFDIR, n, n, "mkdir");

	t0 = now();
	for (i = 0; i < n; i++) {
		int fd;

		pathf(p, "%s/files/f%06ld", base, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create %s: %s", p, strerror(errno));
		if (close(fd))
			die("close %s: %s", p, strerror(errno));
	}
	result("create", n, now() - t0, 0, 0);
	expect("files", 'f', S_IFREG, n, n, "create");

	if (drop)
		drop_caches();
	t0 = now();
	for (i = 0; i < n; i++) {
		struct stat st;

		pathf(p, "%s/files/f%06ld", base, i);
		if (stat(p, &st))
			die("stat %s: %s", p, strerror(errno));
		if (!S_ISREG(st.st_mode) || st.st_size != 0)
			die("stat %s: mode %o size %lld", p, st.st_mode, (long long)st.st_size);
	}
	result("stat", n, now() - t0, 0, 0);

	if (drop)
		drop_caches();
	pathf(p, "%s/files", base);
	t0 = now();
	for (int k = 0; k < passes; k++) {
		long all, c = count_entries(p, 'f', S_IFREG, &all);

		if (c != n || all != n)
			die("readdir pass %d of %s: %ld f* files, %ld entries, expected %ld",
			    k + 1, p, c, all, n);
	}
	result("readdir", passes, now() - t0, 0, 0);

	t0 = now();
	for (i = 0; i < n; i++) {
		pathf(p, "%s/files/f%06ld", base, i);
		pathf(q, "%s/files/r%06ld", base, i);
		if (rename(p, q))
			die("rename %s %s: %s", p, q, strerror(errno));
	}
	result("rename", n, now() - t0, 0, 0);
	expect("files", 'r', S_IFREG, n, n, "rename");

	t0 = now();
	for (i = 0; i < n; i++) {
		pathf(p, "%s/files/r%06ld", base, i);
		if (unlink(p))
			die("unlink %s: %s", p, strerror(errno));
	}
	result("unlink", n, now() - t0, 0, 0);
	expect("files", 'r', S_IFREG, 0, 0, "unlink");

	t0 = now();
	for (i = 0; i < n; i++) {
		pathf(p, "%s/dirs/d%06ld", base, i);
		if (rmdir(p))
			die("rmdir %s: %s", p, strerror(errno));
	}
	result("rmdir", n, now() - t0, 0, 0);
	expect("dirs", 'd', S_IFDIR, 0, 0, "rmdir");

	pathf(p, "%s/dirs", base);
	if (rmdir(p))
		die("rmdir %s: %s", p, strerror(errno));
	pathf(p, "%s/files", base);
	if (rmdir(p))
		die("rmdir %s: %s", p, strerror(errno));
}

/* ---- gen ---- */

static void write_all(int fd, const void *buf, size_t len, const char *p)
{
	const uint8_t *b = buf;

	while (len) {
		ssize_t w = write(fd, b, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write %s: %s", p, w ? strerror(errno) : "wrote nothing");
		b += w;
		len -= (size_t)w;
	}
}

static void gen(long files, long min, long max, long perdir)
{
	uint64_t s = 0x9E3779B97F4A7C15ull;
	uint64_t *buf = malloc((size_t)max + 8);
	char p[PATH_LEN];

	if (!buf)
		die("out of memory");
	if (min > max)
		die("-m %ld is more than -M %ld", min, max);
	if (mkdir(base, 0755) && errno != EEXIST)
		die("mkdir %s: %s", base, strerror(errno));
	for (long i = 0; i < files; i++) {
		long size = min + (long)(rnd(&s) % (uint64_t)(max - min + 1));
		int fd;

		if (i % perdir == 0) {
			pathf(p, "%s/d%03ld", base, i / perdir);
			if (mkdir(p, 0755))
				die("mkdir %s: %s", p, strerror(errno));
		}
		for (long k = 0; k < (size + 7) / 8; k++)
			buf[k] = rnd(&s);
		pathf(p, "%s/d%03ld/f%06ld", base, i / perdir, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create %s: %s", p, strerror(errno));
		write_all(fd, buf, (size_t)size, p);
		if (close(fd))
			die("close %s: %s", p, strerror(errno));
	}
	free(buf);
}

/* ---- randwrite, randread ---- */

static uint64_t *offsets(long ops, long mib)
{
	uint64_t blocks = ((uint64_t)mib << 20) / BLK, s = 0x2545F4914F6CDD1Dull;
	uint64_t *o = malloc((size_t)ops * sizeof(*o));

	if (!o)
		die("out of memory");
	for (long i = 0; i < ops; i++)
		o[i] = (rnd(&s) % blocks) * BLK;
	return o;
}

static void fill(uint8_t *b, uint64_t off)
{
	uint64_t t = (off / BLK) ^ TAG_MAGIC;

	memset(b, (int)(off / BLK & 0xff) | 1, BLK);
	memcpy(b, &t, sizeof(t));
	memcpy(b + BLK - sizeof(t), &t, sizeof(t));
}

static void randio(const char *file, long ops, long mib, int writing)
{
	uint64_t *o = offsets(ops, mib);
	uint8_t *b = aligned_alloc(BLK, BLK), *want = aligned_alloc(BLK, BLK);
	struct stat st;
	double t0, t1, t2;
	int fd;

	if (!b || !want)
		die("out of memory");
	fd = open(file, writing ? O_RDWR : O_RDONLY);
	if (fd < 0)
		die("open %s: %s", file, strerror(errno));
	if (fstat(fd, &st))
		die("fstat %s: %s", file, strerror(errno));
	if ((uint64_t)st.st_size < (uint64_t)mib << 20)
		die("%s has %lld bytes, fewer than %ld MiB", file, (long long)st.st_size, mib);
	if (!writing) {	/* the same blocks, in another order */
		uint64_t s = 0xD1B54A32D192ED03ull;

		for (long i = ops - 1; i > 0; i--) {
			long j = (long)(rnd(&s) % (uint64_t)(i + 1));
			uint64_t x = o[i];

			o[i] = o[j];
			o[j] = x;
		}
	}
	t0 = now();
	for (long i = 0; i < ops; i++) {
		ssize_t n;

		if (writing) {
			fill(b, o[i]);
			n = pwrite(fd, b, BLK, (off_t)o[i]);
		} else {
			n = pread(fd, b, BLK, (off_t)o[i]);
		}
		if (n != (ssize_t)BLK)
			die("%s of 4 KiB at %llu in %s: %s", writing ? "pwrite" : "pread",
			    (unsigned long long)o[i], file, n < 0 ? strerror(errno) : "short");
		if (!writing) {
			fill(want, o[i]);
			if (memcmp(b, want, BLK))
				die("pread at %llu in %s: not the block randwrite wrote there",
				    (unsigned long long)o[i], file);
		}
	}
	t1 = now();
	if (writing && fsync(fd))
		die("fsync %s: %s", file, strerror(errno));
	if (close(fd))
		die("close %s: %s", file, strerror(errno));
	t2 = now();
	result(writing ? "randwrite-4K" : "randread-4K", ops, t2 - t0,
	       writing ? t2 - t1 : 0, (uint64_t)ops * BLK);
	free(o);
	free(b);
	free(want);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fsops meta [-l LABEL] [-n N] [-r R] [-D] DIR\n"
		"       fsops gen [-n FILES] [-m MINBYTES] [-M MAXBYTES] [-p PERDIR] DIR\n"
		"       fsops randwrite|randread [-l LABEL] [-n OPS] [-s MIB] FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = -1, r = 10, min = 4096, max = 65536, perdir = 100, mib = 256;
	int drop = 0, opt;
	const char *mode;

	if (argc < 2)
		usage();
	mode = argv[1];
	argv++;
	argc--;
	while ((opt = getopt(argc, argv, "l:n:r:Dm:M:p:s:")) != -1) {
		switch (opt) {
		case 'l': label = optarg; break;
		case 'n': n = parse_long(optarg, 0, 100000000, "-n"); break;
		case 'r': r = parse_long(optarg, 1, 1000000, "-r"); break;
		case 'D': drop = 1; break;
		case 'm': min = parse_long(optarg, 0, 1 << 30, "-m"); break;
		case 'M': max = parse_long(optarg, 1, 1 << 30, "-M"); break;
		case 'p': perdir = parse_long(optarg, 1, 1000000, "-p"); break;
		case 's': mib = parse_long(optarg, 1, 1 << 24, "-s"); break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (strlen(argv[optind]) >= PATH_LEN - 64)
		die("path too long");
	strcpy(base, argv[optind]);

	if (!strcmp(mode, "meta")) {
		meta(n < 0 ? 1000 : n, (int)r, drop);
	} else if (!strcmp(mode, "gen")) {
		gen(n < 0 ? 2000 : n, min, max, perdir);
	} else if (!strcmp(mode, "randwrite") || !strcmp(mode, "randread")) {
		randio(base, n < 0 ? 2000 : n, mib, mode[4] == 'w');
	} else {
		usage();
	}
	return 0;
}

/* bench/metadata.c: a metadata benchmark for one CephFS client library.
 *
 * Built twice: with -DBENCH_SIPHON against siphon's C API (program
 * metadata_siphon) and with -DBENCH_LIBCEPHFS against libcephfs (program
 * metadata_libcephfs). Two programs rather than one because the two
 * libraries define symbols of the same name (see bench/README.md); the
 * driver bench/compare runs both alternately and prints the table.
 *
 * One run = one client session: create, read the configuration, mount,
 * then in a fresh directory BENCHROOT/CLIENT.HOST.PID.TIME:
 *
 *   mkdir    N directories            dirs/d000000 ...
 *   create   N regular files          files/f000000 ...  (mknod S_IFREG|0644)
 *   stat     the N files
 *   readdir  files/, R times          (each pass must see exactly N entries)
 *   rename   the N files              files/f... -> files/r...
 *   unlink   the N renamed files
 *   rmdir    the N directories
 *
 * Each phase is timed with CLOCK_MONOTONIC around its N calls (readdir:
 * its R passes; ops = R). After each phase, untimed, the client syncs
 * (every change safe on the MDS) and the result is checked with a
 * readdir; any failure or wrong result ends the run with exit status 1.
 *
 * Output, one line per phase, tab-separated and machine-readable:
 *   result CLIENT PHASE OPS SECONDS OPS_PER_S SYNC_SECONDS
 * plus "info" lines (mount time, directory, N, R, and at the end the
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
#include <dirent.h>
#include <cephfs/libcephfs.h>
#define CLIENT_NAME "libcephfs"
#endif

#define PATH_LEN 1024

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "metadata_%s: FAILED: ", CLIENT_NAME);
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

/* ---- the two back ends: the same operations, each one library call ---- */

/* What a readdir pass saw: entries, and how many matched expectations. */
struct scan {
	const char *prefix;	/* names expected to start with this */
	uint32_t want_type;	/* S_IFREG or S_IFDIR */
	long entries;
	long good;
	char bad[256];		/* the first unexpected name */
};

static void scan_entry(struct scan *s, const char *name, uint32_t mode)
{
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return;
	s->entries++;
	if (!strncmp(name, s->prefix, strlen(s->prefix)) &&
	    (mode & S_IFMT) == s->want_type)
		s->good++;
	else if (!s->bad[0])
		snprintf(s->bad, sizeof(s->bad), "%.200s (mode 0%o)", name, mode);
}

#ifdef BENCH_SIPHON

static struct siphon_client *cl;

static const char *be_err(void)
{
	return siphon_errstr(cl);
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
}

static int be_mkdirs(const char *p)
{
	return siphon_mkdirs(cl, p, 0755);
}

static int be_mkdir(const char *p)
{
	return siphon_mkdir(cl, p, 0755);
}

static int be_create(const char *p)
{
	return siphon_mknod(cl, p, S_IFREG | 0644, 0);
}

static int be_stat(const char *p, uint32_t *mode, uint64_t *size)
{
	struct siphon_stat st;
	int r = siphon_stat(cl, p, &st);

	if (!r) {
		*mode = st.mode;
		*size = st.size;
	}
	return r;
}

static int scan_cb(void *arg, const struct siphon_dirent *d)
{
	scan_entry(arg, d->name, d->st.mode);
	return 0;
}

static int be_readdir(const char *p, struct scan *s)
{
	return siphon_readdir(cl, p, scan_cb, s);
}

static int be_rename(const char *from, const char *to)
{
	return siphon_rename(cl, from, to);
}

static int be_unlink(const char *p)
{
	return siphon_unlink(cl, p);
}

static int be_rmdir(const char *p)
{
	return siphon_rmdir(cl, p);
}

static int be_sync(void)
{
	return siphon_sync_fs(cl);
}

#else /* BENCH_LIBCEPHFS */

static struct ceph_mount_info *cm;

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
}

static int be_mkdirs(const char *p)
{
	return ceph_mkdirs(cm, p, 0755);
}

static int be_mkdir(const char *p)
{
	return ceph_mkdir(cm, p, 0755);
}

static int be_create(const char *p)
{
	return ceph_mknod(cm, p, S_IFREG | 0644, 0);
}

static int be_stat(const char *p, uint32_t *mode, uint64_t *size)
{
	struct ceph_statx stx;
	int r = ceph_statx(cm, p, &stx, CEPH_STATX_BASIC_STATS, 0);

	if (!r) {
		*mode = stx.stx_mode;
		*size = stx.stx_size;
	}
	return r;
}

/* readdirplus: like siphon_readdir, every entry comes with its inode. */
static int be_readdir(const char *p, struct scan *s)
{
	struct ceph_dir_result *d;
	struct dirent de;
	struct ceph_statx stx;
	int r = ceph_opendir(cm, p, &d);

	if (r)
		return r;
	while ((r = ceph_readdirplus_r(cm, d, &de, &stx, CEPH_STATX_BASIC_STATS,
				       0, NULL)) == 1)
		scan_entry(s, de.d_name, stx.stx_mode);
	ceph_closedir(cm, d);
	return r;
}

static int be_rename(const char *from, const char *to)
{
	return ceph_rename(cm, from, to);
}

static int be_unlink(const char *p)
{
	return ceph_unlink(cm, p);
}

static int be_rmdir(const char *p)
{
	return ceph_rmdir(cm, p);
}

static int be_sync(void)
{
	return ceph_sync_fs(cm);
}

#endif

/* ---- the phases ---- */

static char base[PATH_LEN];
static long n_ops = 1000;
static int repeats = 10;

/* out = a/b; a path that does not fit ends the run */
static void join(char *out, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + 1 + lb + 1 > PATH_LEN)
		die("path too long: %s/%s", a, b);
	memcpy(out, a, la);
	out[la] = '/';
	memcpy(out + la + 1, b, lb + 1);
}

static void path_of(char *out, const char *sub, char kind, long i)
{
	int len = snprintf(out, PATH_LEN, "%s/%s/%c%06ld", base, sub, kind, i);

	if (len < 0 || len >= PATH_LEN)
		die("path too long under %s", base);
}

static void check(int r, const char *call, const char *path)
{
	if (r < 0)
		die("%s %s: %s (%d) %s", call, path, strerror(-r), r, be_err());
}

static void report(const char *phase, long ops, double secs, double sync_secs)
{
	printf("result\t%s\t%s\t%ld\t%.6f\t%.1f\t%.6f\n", CLIENT_NAME, phase,
	       ops, secs, secs > 0 ? (double)ops / secs : 0.0, sync_secs);
	fflush(stdout);
}

/* Untimed: sync, then readdir `sub` and insist on `want` entries, all
 * named prefix... and of type type. Returns the sync time. */
static double settle_and_verify(const char *phase, const char *sub,
				const char *prefix, uint32_t type, long want)
{
	char dir[PATH_LEN];
	struct scan s = { .prefix = prefix, .want_type = type };
	double t0 = now();
	int r = be_sync();

	if (r < 0)
		die("after %s: sync: %s (%d) %s", phase, strerror(-r), r, be_err());
	t0 = now() - t0;
	join(dir, base, sub);
	check(be_readdir(dir, &s), "readdir", dir);
	if (s.entries != want || s.good != want)
		die("after %s: %s has %ld entries, %ld of them %s* of type 0%o; "
		    "expected %ld%s%s", phase, dir, s.entries, s.good, prefix, type,
		    want, s.bad[0] ? "; unexpected: " : "", s.bad);
	return t0;
}

typedef int (*path_op)(const char *);

/* The N single-path calls of a phase, timed. */
static double timed_loop(path_op op, const char *call, const char *sub,
			 char kind)
{
	char p[PATH_LEN];
	double t0 = now();

	for (long i = 0; i < n_ops; i++) {
		path_of(p, sub, kind, i);
		check(op(p), call, p);
	}
	return now() - t0;
}

static void run_phases(void)
{
	char p[PATH_LEN], q[PATH_LEN];
	double t, t0, ts;

	/* mkdir */
	t = timed_loop(be_mkdir, "mkdir", "dirs", 'd');
	ts = settle_and_verify("mkdir", "dirs", "d", S_IFDIR, n_ops);
	report("mkdir", n_ops, t, ts);

	/* create */
	t = timed_loop(be_create, "mknod", "files", 'f');
	ts = settle_and_verify("create", "files", "f", S_IFREG, n_ops);
	report("create", n_ops, t, ts);

	/* stat: every one succeeds and sees an empty regular file */
	t0 = now();
	for (long i = 0; i < n_ops; i++) {
		uint32_t mode = 0;
		uint64_t size = 1;

		path_of(p, "files", 'f', i);
		check(be_stat(p, &mode, &size), "stat", p);
		if (!S_ISREG(mode) || size != 0)
			die("stat %s: mode 0%o size %llu, expected a regular "
			    "empty file", p, mode, (unsigned long long)size);
	}
	t = now() - t0;
	report("stat", n_ops, t, 0);

	/* readdir: R passes, each must count exactly N files */
	join(p, base, "files");
	t0 = now();
	for (int k = 0; k < repeats; k++) {
		struct scan s = { .prefix = "f", .want_type = S_IFREG };

		check(be_readdir(p, &s), "readdir", p);
		if (s.entries != n_ops || s.good != n_ops)
			die("readdir %s pass %d: %ld entries (%ld f* files), "
			    "expected %ld%s%s", p, k + 1, s.entries, s.good, n_ops,
			    s.bad[0] ? "; unexpected: " : "", s.bad);
	}
	t = now() - t0;
	report("readdir", repeats, t, 0);

	/* rename, within the directory */
	t0 = now();
	for (long i = 0; i < n_ops; i++) {
		path_of(p, "files", 'f', i);
		path_of(q, "files", 'r', i);
		check(be_rename(p, q), "rename", p);
	}
	t = now() - t0;
	ts = settle_and_verify("rename", "files", "r", S_IFREG, n_ops);
	report("rename", n_ops, t, ts);

	/* unlink */
	t = timed_loop(be_unlink, "unlink", "files", 'r');
	ts = settle_and_verify("unlink", "files", "", S_IFREG, 0);
	report("unlink", n_ops, t, ts);

	/* rmdir */
	t = timed_loop(be_rmdir, "rmdir", "dirs", 'd');
	ts = settle_and_verify("rmdir", "dirs", "", S_IFDIR, 0);
	report("rmdir", n_ops, t, ts);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-c CONF] [-n N] [-r R] [-b BENCHROOT] [-- CEPH_OPTIONS...]\n"
		"  -c CONF       ceph.conf for the client (default: the client's own search)\n"
		"  -n N          entries per phase (default 1000)\n"
		"  -r R          readdir passes over the N files (default 10)\n"
		"  -b BENCHROOT  directory holding each run's fresh directory (default /bench)\n"
		"  after --      Ceph options for the client (--id ID, --debug_ms 1, ...)\n",
		prog);
	exit(2);
}

static long parse_count(const char *s, const char *prog)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > 999999)
		usage(prog);
	return v;
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
	const char *conf = NULL, *root = "/bench";
	char host[64] = "host", *dot;
	char p[PATH_LEN];
	double t0;
	int opt, r;

	while ((opt = getopt(argc, argv, "c:n:r:b:h")) != -1) {
		switch (opt) {
		case 'c': conf = optarg; break;
		case 'n': n_ops = parse_count(optarg, argv[0]); break;
		case 'r': repeats = (int)parse_count(optarg, argv[0]); break;
		case 'b': root = optarg; break;
		default: usage(argv[0]);
		}
	}
	/* what is left (after "--") goes to the client's option parser, with
	 * argv[0] in front as the parsers expect */
	argv[optind - 1] = argv[0];
	argc -= optind - 1;
	argv += optind - 1;

	t0 = now();
	r = be_init(conf, argc, argv);
	if (r < 0)
		die("create/configure/mount: %s (%d) %s", strerror(-r), r, be_err());
	printf("info\t%s\tmount_seconds\t%.6f\n", CLIENT_NAME, now() - t0);

	gethostname(host, sizeof(host) - 1);
	dot = strchr(host, '.');
	if (dot)
		*dot = '\0';
	if (strlen(root) > 512)
		die("bench root too long: %s", root);
	snprintf(base, sizeof(base), "%s/%s.%.63s.%ld.%ld", root, CLIENT_NAME,
		 host, (long)getpid(), (long)time(NULL));
	check(be_mkdirs(root), "mkdirs", root);
	check(be_mkdir(base), "mkdir", base);
	join(p, base, "dirs");
	check(be_mkdir(p), "mkdir", p);
	join(p, base, "files");
	check(be_mkdir(p), "mkdir", p);
	r = be_sync();
	check(r, "sync", base);
	printf("info\t%s\tdir\t%s\tn\t%ld\treaddir_passes\t%d\n", CLIENT_NAME,
	       base, n_ops, repeats);

	run_phases();

	join(p, base, "dirs");
	check(be_rmdir(p), "rmdir", p);
	join(p, base, "files");
	check(be_rmdir(p), "rmdir", p);
	check(be_rmdir(base), "rmdir", base);
	be_fini();
	print_maxrss();
	return 0;
}

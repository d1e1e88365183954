/* The data commands of `siphon`: put, get, cat, truncate.
 *
 * A copy runs as a small pipeline: a reader thread fills one large
 * buffer while the main thread writes the other, so the local side (a
 * disk, a pipe, a checksum program) and the cluster side work at the same
 * time, and each remote call covers many objects, which the file layer
 * keeps in flight together. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"
#include "commands.h"
#include "siphon/siphon.h"

/* 64 MiB: 16 objects of the default layout per remote call. */
#define COPY_CHUNK ((size_t)64 << 20)
/* Copies at least this large (or of unknown size, once they get this
 * far) show a progress bar when stderr is a terminal. */
#define PROGRESS_MIN ((uint64_t)16 << 20)

/* ---- progress on stderr ---- */

struct progress {
	bool tty;		/* stderr is a terminal */
	bool shown;		/* a line is on the screen */
	bool known;		/* total is the size to copy */
	uint64_t total, done;
	double t0, last;
	const char *label;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_init(struct progress *p, const char *label,
			  uint64_t total, bool known)
{
	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO);
	p->known = known;
	p->total = total;
	p->label = label;
	p->t0 = now_s();
}

static void human(uint64_t n, char *out, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(out, size, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void progress_draw(struct progress *p, bool final)
{
	double t = now_s(), el = t - p->t0;
	double rate = el > 0 ? (double)p->done / el : 0;
	char done[32], total[32], eta[32] = "", bar[26];
	int width = (int)sizeof(bar) - 1;

	human(p->done, done, sizeof(done));
	if (p->known && p->total) {
		int fill = (int)((double)p->done / (double)p->total * width);
		uint64_t left = p->total - (p->done < p->total ? p->done : p->total);

		for (int i = 0; i < width; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[width] = '\0';
		human(p->total, total, sizeof(total));
		if (final) {
			unsigned s = (unsigned)(el + 0.5);

			snprintf(eta, sizeof(eta), "in %u:%02u", s / 60, s % 60);
		} else if (rate > 0) {
			unsigned s = (unsigned)((double)left / rate + 0.5);

			snprintf(eta, sizeof(eta), "ETA %u:%02u", s / 60, s % 60);
		}
		fprintf(stderr, "\r%.24s %3d%% [%s] %s / %s  %.1f MB/s  %s\033[K",
			p->label, (int)((double)p->done * 100 / (double)p->total),
			bar, done, total, rate / 1e6, eta);
	} else {
		fprintf(stderr, "\r%.24s %s  %.1f MB/s\033[K", p->label, done,
			rate / 1e6);
	}
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
	p->shown = true;
	p->last = t;
}

static void progress_add(struct progress *p, uint64_t n)
{
	p->done += n;
	if (!p->tty)
		return;
	if (p->known ? p->total < PROGRESS_MIN : p->done < PROGRESS_MIN)
		return;
	if (p->shown && now_s() - p->last < 0.25)
		return;
	progress_draw(p, false);
}

/* The last line (left on the screen) after a complete copy; a failed
 * copy just ends the line before its error message. */
static void progress_end(struct progress *p, bool ok)
{
	if (!p->shown)
		return;
	if (ok)
		progress_draw(p, true);
	else
		fputc('\n', stderr);
}

/* ---- the two ends of a copy ---- */

struct end {
	int fd;				/* a local file or stdin/stdout, or -1 */
	struct siphon_file *f;		/* else a remote file */
	uint64_t off;			/* next remote offset */
	const char *name;		/* for messages */
};

/* Fills buf as far as the source goes; returns the bytes read (less than
 * len only at the end) or a negative errno. */
static int64_t end_read(struct end *e, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		int64_t n;

		if (e->fd >= 0) {
			n = read(e->fd, buf + got, len - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
		} else {
			n = siphon_read(e->f, buf + got, len - got,
					(int64_t)e->off);
			if (n < 0)
				return n;
			e->off += (uint64_t)n;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (int64_t)got;
}

static int end_write(struct end *e, const uint8_t *buf, size_t len)
{
	size_t put = 0;

	while (put < len) {
		int64_t n;

		if (e->fd >= 0) {
			n = write(e->fd, buf + put, len - put);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
		} else {
			n = siphon_write(e->f, buf + put, len - put,
					 (int64_t)e->off);
			if (n < 0)
				return (int)n;
			e->off += (uint64_t)n;
		}
		if (n == 0)
			return -EIO;
		put += (size_t)n;
	}
	return 0;
}

/* ---- the copy pipeline ---- */

struct slot {
	uint8_t *data;
	size_t len;
	bool full, eof;
	int err;		/* the read's error */
};

struct copy {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct slot s[2];
	bool stop;		/* the writer gave up */
	struct end *src;
};

static void *copy_reader(void *arg)
{
	struct copy *cp = arg;

	for (unsigned i = 0;; i ^= 1) {
		struct slot *s = &cp->s[i];
		int64_t n;

		pthread_mutex_lock(&cp->lock);
		while (s->full && !cp->stop)
			pthread_cond_wait(&cp->cond, &cp->lock);
		pthread_mutex_unlock(&cp->lock);
		if (cp->stop)
			break;
		n = end_read(cp->src, s->data, COPY_CHUNK);
		pthread_mutex_lock(&cp->lock);
		s->err = n < 0 ? (int)n : 0;
		s->len = n < 0 ? 0 : (size_t)n;
		s->eof = n < (int64_t)COPY_CHUNK;
		s->full = true;
		pthread_cond_broadcast(&cp->cond);
		pthread_mutex_unlock(&cp->lock);
		if (s->eof)
			break;
	}
	return NULL;
}

/* Copies src to its end into dst. On failure prints the error, naming
 * the side that failed, and returns 1. */
static int copy_all(struct end *src, struct end *dst, struct progress *pg)
{
	struct copy cp = { .src = src };
	pthread_t th;
	int r = 0, rc = 0;
	bool failed_read = false;

	for (int i = 0; i < 2; i++) {
		cp.s[i].data = malloc(COPY_CHUNK);
		if (!cp.s[i].data) {
			free(cp.s[0].data);
			fprintf(stderr, "siphon: out of memory\n");
			return 1;
		}
	}
	pthread_mutex_init(&cp.lock, NULL);
	pthread_cond_init(&cp.cond, NULL);
	if (pthread_create(&th, NULL, copy_reader, &cp)) {
		r = -EAGAIN;
		goto out;
	}
	for (unsigned i = 0;; i ^= 1) {
		struct slot *s = &cp.s[i];
		bool eof;

		pthread_mutex_lock(&cp.lock);
		while (!s->full)
			pthread_cond_wait(&cp.cond, &cp.lock);
		pthread_mutex_unlock(&cp.lock);
		if (s->err) {
			r = s->err;
			failed_read = true;
		} else if (s->len) {
			r = end_write(dst, s->data, s->len);
			if (!r)
				progress_add(pg, s->len);
		}
		eof = s->eof;
		pthread_mutex_lock(&cp.lock);
		s->full = false;
		if (r)
			cp.stop = true;
		pthread_cond_broadcast(&cp.cond);
		pthread_mutex_unlock(&cp.lock);
		if (r || eof)
			break;
	}
	pthread_join(th, NULL);
out:
	progress_end(pg, !r);
	if (r)
		rc = complain(failed_read ? src->name : dst->name, r);
	pthread_cond_destroy(&cp.cond);
	pthread_mutex_destroy(&cp.lock);
	free(cp.s[0].data);
	free(cp.s[1].data);
	return rc;
}

/* ---- helpers for names ---- */

static const char *base_name(const char *path)
{
	const char *end = path + strlen(path), *b;

	while (end > path && end[-1] == '/')
		end--;
	for (b = end; b > path && b[-1] != '/'; b--)
		;
	/* "dir/" names "dir": return a pointer that stops at end */
	return b;
}

/* DIR/NAME where NAME is path's last component (trailing slashes
 * dropped). Returns -1 when it does not fit. */
static int join_base(char *out, size_t size, const char *dir, const char *path)
{
	const char *b = base_name(path);
	size_t blen = strlen(b);
	int n;

	while (blen && b[blen - 1] == '/')
		blen--;
	if (!blen)
		return -1;
	n = snprintf(out, size, "%s%s%.*s", dir,
		     dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
		     (int)blen, b);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

/* ---- put ---- */

static int force_take(int o, const char *arg, void *ctx)
{
	(void)arg;
	if (o != 'f')
		return -1;
	*(bool *)ctx = true;
	return 0;
}

#define PUT_USAGE "[-f] LOCAL REMOTE   (LOCAL - is stdin; REMOTE a directory: " \
		  "into it; an existing file only with -f)"
#define GET_USAGE "[-f] REMOTE LOCAL   (LOCAL - is stdout; LOCAL a directory: " \
		  "into it; an existing file only with -f)"

int cmd_put(struct siphon_client *c, int argc, char **argv)
{
	bool force = false;
	int first = opts(argc, argv, "f", PUT_USAGE, force_take, &force);
	const char *local, *remote;
	char joined[4096];
	struct end src = { .fd = -1 }, dst = { .fd = -1 };
	struct progress pg;
	struct siphon_stat rst;
	struct stat lst;
	uint32_t mode = 0666;
	int r, rc;

	if (first < 0)
		return 2;
	if (argc - first != 2) {
		fprintf(stderr, "usage: siphon put " PUT_USAGE "\n");
		return 2;
	}
	local = argv[first];
	remote = argv[first + 1];
	if (!strcmp(local, "-")) {
		src.fd = STDIN_FILENO;
		src.name = "-";
	} else {
		src.fd = open(local, O_RDONLY | O_CLOEXEC);
		if (src.fd < 0)
			return complain(local, -errno);
		src.name = local;
	}
	if (fstat(src.fd, &lst) == 0 && S_ISDIR(lst.st_mode)) {
		rc = complain(local, -EISDIR);
		goto close_src;
	}
	if (S_ISREG(lst.st_mode))
		mode = lst.st_mode & 0777;
	mode &= ~current_umask();
	if (mount_or_complain(c)) {
		rc = 1;
		goto close_src;
	}
	/* into an existing directory, under the local name */
	if (!siphon_stat(c, remote, &rst) && S_ISDIR(rst.mode)) {
		if (src.fd == STDIN_FILENO ||
		    join_base(joined, sizeof(joined), remote, local)) {
			rc = complain(remote, -EISDIR);
			goto close_src;
		}
		remote = joined;
	}
	dst.name = remote;
	r = siphon_open(c, remote, O_WRONLY | O_CREAT |
			(force ? O_TRUNC : O_EXCL), mode, &dst.f);
	if (r == -EEXIST) {
		fprintf(stderr, "siphon: %s: File exists (-f overwrites it)\n",
			remote);
		rc = 1;
		goto close_src;
	}
	if (r) {
		rc = complain(remote, r);
		goto close_src;
	}
	progress_init(&pg, base_name(remote), S_ISREG(lst.st_mode) ?
		      (uint64_t)lst.st_size : 0, S_ISREG(lst.st_mode));
	rc = copy_all(&src, &dst, &pg);
	r = siphon_close(dst.f);
	if (r && !rc)
		rc = complain(remote, r);
close_src:
	if (src.fd != STDIN_FILENO)
		close(src.fd);
	return rc;
}

/* ---- get, cat ---- */

int cmd_get(struct siphon_client *c, int argc, char **argv)
{
	bool force = false;
	int first = opts(argc, argv, "f", GET_USAGE, force_take, &force);
	const char *local, *remote;
	char joined[4096];
	struct end src = { .fd = -1 }, dst = { .fd = -1 };
	struct progress pg;
	struct siphon_stat rst;
	struct stat lst;
	int r, rc;

	if (first < 0)
		return 2;
	if (argc - first != 2) {
		fprintf(stderr, "usage: siphon get " GET_USAGE "\n");
		return 2;
	}
	remote = argv[first];
	local = argv[first + 1];
	if (mount_or_complain(c))
		return 1;
	r = siphon_open(c, remote, O_RDONLY, 0, &src.f);
	if (r)
		return complain(remote, r);
	src.name = remote;
	if (!strcmp(local, "-")) {
		dst.fd = STDOUT_FILENO;
		dst.name = "standard output";
	} else {
		if (!stat(local, &lst) && S_ISDIR(lst.st_mode)) {
			if (join_base(joined, sizeof(joined), local, remote)) {
				rc = complain(local, -EISDIR);
				goto close_src;
			}
			local = joined;
		}
		dst.fd = open(local, O_WRONLY | O_CREAT | O_CLOEXEC |
			      (force ? O_TRUNC : O_EXCL), 0666);
		if (dst.fd < 0 && errno == EEXIST) {
			fprintf(stderr, "siphon: %s: File exists (-f overwrites it)\n",
				local);
			rc = 1;
			goto close_src;
		}
		if (dst.fd < 0) {
			rc = complain(local, -errno);
			goto close_src;
		}
		dst.name = local;
	}
	r = siphon_fstat(src.f, &rst);
	progress_init(&pg, base_name(remote), r ? 0 : rst.size, !r);
	rc = copy_all(&src, &dst, &pg);
	if (dst.fd != STDOUT_FILENO && close(dst.fd) && !rc)
		rc = complain(local, -errno);
close_src:
	r = siphon_close(src.f);
	if (r && !rc)
		rc = complain(remote, r);
	return rc;
}

static int no_opts(int o, const char *arg, void *ctx)
{
	(void)o;
	(void)arg;
	(void)ctx;
	return -1;
}

int cmd_cat(struct siphon_client *c, int argc, char **argv)
{
	int first = opts(argc, argv, "", "REMOTE...", no_opts, NULL), rc = 0;

	if (first < 0)
		return 2;
	if (first == argc) {
		fprintf(stderr, "usage: siphon cat REMOTE...\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++) {
		struct end src = { .fd = -1, .name = argv[i] };
		struct end dst = { .fd = STDOUT_FILENO, .name = "standard output" };
		struct progress pg;
		int r = siphon_open(c, argv[i], O_RDONLY, 0, &src.f);

		if (r) {
			rc |= complain(argv[i], r);
			continue;
		}
		progress_init(&pg, argv[i], 0, false);
		pg.tty = false;		/* stdout is the data: stay quiet */
		rc |= copy_all(&src, &dst, &pg);
		r = siphon_close(src.f);
		if (r)
			rc |= complain(argv[i], r);
	}
	return rc;
}

/* ---- truncate ---- */

/* SIZE as coreutils' truncate reads it: a number with an optional
 * suffix (K, M, G, T, P, E: powers of 1024, also as KiB...; KB, MB...:
 * powers of 1000) and an optional + or - for a relative size. */
struct trunc_opts {
	bool no_create, have_size;
	int rel;		/* 0 absolute, 1 grow by, -1 shrink by */
	uint64_t size;
};

static int parse_size(const char *s, struct trunc_opts *to)
{
	static const char units[] = "KMGTPE";
	unsigned long long v;
	const char *u;
	char *e;
	int power = 0;
	uint64_t base = 1024, mult = 1;

	to->rel = 0;
	if (*s == '+' || *s == '-')
		to->rel = *s++ == '+' ? 1 : -1;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno)
		return -1;
	if (*e) {
		u = strchr(units, e[0] >= 'a' ? e[0] - 32 : e[0]);
		if (!u)
			return -1;
		power = (int)(u - units) + 1;
		if (!strcmp(e + 1, "B"))
			base = 1000;
		else if (e[1] && strcmp(e + 1, "iB"))
			return -1;
	}
	for (int i = 0; i < power; i++) {
		if (mult > UINT64_MAX / base)
			return -1;
		mult *= base;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	to->size = v * mult;
	to->have_size = true;
	return 0;
}

static int trunc_take(int o, const char *arg, void *ctx)
{
	struct trunc_opts *to = ctx;

	if (o == 'c') {
		to->no_create = true;
		return 0;
	}
	if (o == 's') {
		if (parse_size(arg, to)) {
			fprintf(stderr, "siphon: invalid size '%s'\n", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

#define TRUNC_USAGE "[-c] -s [+|-]SIZE[K|M|G|T|KB|MB|...] REMOTE..."

static int truncate_one(struct siphon_client *c, const char *path,
			const struct trunc_opts *to)
{
	uint64_t size = to->size;
	int r;

	if (to->rel) {
		struct siphon_stat st;

		r = siphon_stat(c, path, &st);
		if (r == -ENOENT && to->no_create)
			return 0;
		if (r == -ENOENT)
			st.size = 0;
		else if (r)
			return complain(path, r);
		if (to->rel > 0)
			size = st.size + to->size < st.size ? UINT64_MAX :
			       st.size + to->size;
		else
			size = st.size > to->size ? st.size - to->size : 0;
	}
	r = siphon_truncate(c, path, size);
	if (r == -ENOENT && !to->no_create) {
		struct siphon_file *f;

		/* like coreutils: a missing file is created (not with -c) */
		r = siphon_open(c, path, O_WRONLY | O_CREAT,
				0666 & ~current_umask(), &f);
		if (!r) {
			r = siphon_ftruncate(f, size);
			int r2 = siphon_close(f);

			if (!r)
				r = r2;
		}
	} else if (r == -ENOENT) {
		return 0;
	}
	return r ? complain(path, r) : 0;
}

int cmd_truncate(struct siphon_client *c, int argc, char **argv)
{
	struct trunc_opts to = { 0 };
	int first = opts(argc, argv, "cs:", TRUNC_USAGE, trunc_take, &to), rc = 0;

	if (first < 0)
		return 2;
	if (!to.have_size || first == argc) {
		fprintf(stderr, "usage: siphon truncate " TRUNC_USAGE "\n");
		return 2;
	}
	if (mount_or_complain(c))
		return 1;
	for (int i = first; i < argc; i++)
		rc |= truncate_one(c, argv[i], &to);
	return rc;
}

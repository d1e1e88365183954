/* A directory of N entries (default 100000) made with several threads at
 * once through the library, then listed: every name must come back once,
 * across the MDS's directory fragments.
 *   bigdir CONF DIR [N] [THREADS] */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "siphon/siphon.h"

static struct siphon_client *c;
static const char *dir;
static int n, nthreads;
static int failed;

static void *maker(void *arg)
{
	int t = (int)(long)arg;
	char p[256];

	for (int i = t; i < n && !failed; i += nthreads) {
		int r;

		snprintf(p, sizeof(p), "%s/f%06d", dir, i);
		r = siphon_mknod(c, p, S_IFREG | 0644, 0);
		if (r && r != -EEXIST) {
			fprintf(stderr, "mknod %s: %s\n", p, strerror(-r));
			failed = 1;
		}
	}
	return NULL;
}

static int count(void *arg, const struct siphon_dirent *d)
{
	unsigned char *seen = arg;
	int i;

	if (sscanf(d->name, "f%d", &i) != 1 || i < 0 || i >= n) {
		fprintf(stderr, "unexpected entry %s\n", d->name);
		return -EIO;
	}
	if (seen[i]++) {
		fprintf(stderr, "entry %s listed twice\n", d->name);
		return -EIO;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	unsigned char *seen;
	double t0, t1, t2;
	int r, missing = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s CONF DIR [N] [THREADS]\n", argv[0]);
		return 2;
	}
	dir = argv[2];
	n = argc > 3 ? atoi(argv[3]) : 100000;
	nthreads = argc > 4 ? atoi(argv[4]) : 8;
	if (n <= 0 || nthreads <= 0 || nthreads > 64)
		return 2;
	if (siphon_create(&c, NULL) || siphon_conf_read_file(c, argv[1]) ||
	    siphon_mount(c, NULL)) {
		fprintf(stderr, "mount: %s\n", siphon_errstr(c));
		return 1;
	}
	r = siphon_mkdir(c, dir, 0755);
	if (r && r != -EEXIST) {
		fprintf(stderr, "mkdir: %s\n", siphon_errstr(c));
		return 1;
	}
	t0 = now();
	for (int t = 0; t < nthreads; t++)
		pthread_create(&th[t], NULL, maker, (void *)(long)t);
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	t1 = now();
	if (failed)
		return 1;
	seen = calloc((size_t)n, 1);
	r = siphon_readdir(c, dir, count, seen);
	t2 = now();
	if (r) {
		fprintf(stderr, "readdir: %s\n", siphon_errstr(c));
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (!seen[i]) {
			if (missing++ < 5)
				fprintf(stderr, "f%06d not listed\n", i);
		}
	printf("%d entries: created in %.1f s (%.0f/s, %d threads), listed in %.1f s\n",
	       n, t1 - t0, n / (t1 - t0), nthreads, t2 - t1);
	free(seen);
	siphon_unmount(c);
	siphon_release(c);
	if (missing) {
		fprintf(stderr, "%d entries missing from the listing\n", missing);
		return 1;
	}
	return 0;
}

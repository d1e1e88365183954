/* File I/O through the library API, for test_file_io.sh.
 *   file_io CONF pwrite PATH OFFSET     writes stdin at OFFSET (creating
 *                                       PATH, never truncating it)
 *   file_io CONF append PATH            appends stdin with O_APPEND, in
 *                                       pieces of varied sizes
 *   file_io CONF pread PATH OFFSET LEN  prints LEN bytes (fewer at the
 *                                       end) read at OFFSET
 *   file_io CONF hold PATH SIZE         creates PATH, writes SIZE bytes,
 *                                       prints "written", waits for a
 *                                       line on stdin, fsyncs, prints
 *                                       "fsynced", waits for a line,
 *                                       closes, prints "closed", waits for
 *                                       a line and exits
 *   file_io CONF semantics DIR          open flags, positions, EOF,
 *                                       errors, checked in C
 * Exit 0 on success; failures say what and where on stderr. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#define BUF_SIZE ((size_t)8 << 20)

static uint8_t *buf;

static size_t read_full(int fd, uint8_t *p, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		CHECK(n >= 0, "read stdin: %s", strerror(errno));
		if (!n)
			break;
		got += (size_t)n;
	}
	return got;
}

static void wait_line(void)
{
	char line[64];

	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(0);
}

static int do_pwrite(struct siphon_client *c, const char *path, int64_t off)
{
	struct siphon_file *f;
	size_t n;
	int r = siphon_open(c, path, O_WRONLY | O_CREAT, 0644, &f);

	CHECK(!r, "open %s: %s", path, siphon_errstr(c));
	while ((n = read_full(0, buf, BUF_SIZE)) > 0) {
		int64_t w = siphon_write(f, buf, n, off);

		CHECK(w == (int64_t)n, "write %zu at %lld: %lld (%s)", n,
		      (long long)off, (long long)w, siphon_errstr(c));
		off += (int64_t)n;
	}
	CHECK(!siphon_close(f), "close: %s", siphon_errstr(c));
	return 0;
}

static int do_append(struct siphon_client *c, const char *path)
{
	static const size_t pieces[] = { 1, 4095, 4 << 20, 7, (4 << 20) + 1,
					 123456 };
	struct siphon_file *f;
	size_t n, k = 0;
	int r = siphon_open(c, path, O_WRONLY | O_CREAT | O_APPEND, 0644, &f);

	CHECK(!r, "open %s: %s", path, siphon_errstr(c));
	/* the position says nothing to O_APPEND: writes go to the end */
	CHECK(siphon_lseek(f, 0, SEEK_SET) == 0, "lseek");
	while ((n = read_full(0, buf, pieces[k % 6])) > 0) {
		int64_t w = siphon_write(f, buf, n, -1);

		CHECK(w == (int64_t)n, "append %zu: %lld (%s)", n,
		      (long long)w, siphon_errstr(c));
		k++;
	}
	CHECK(!siphon_close(f), "close: %s", siphon_errstr(c));
	return 0;
}

static int do_pread(struct siphon_client *c, const char *path, int64_t off,
		    uint64_t len)
{
	struct siphon_file *f;
	int r = siphon_open(c, path, O_RDONLY, 0, &f);

	CHECK(!r, "open %s: %s", path, siphon_errstr(c));
	while (len) {
		size_t want = len > BUF_SIZE ? BUF_SIZE : len;
		int64_t n = siphon_read(f, buf, want, off);

		CHECK(n >= 0, "read at %lld: %s", (long long)off,
		      siphon_errstr(c));
		if (!n)
			break;
		CHECK(fwrite(buf, 1, (size_t)n, stdout) == (size_t)n, "stdout");
		off += n;
		len -= (uint64_t)n;
	}
	CHECK(!siphon_close(f), "close: %s", siphon_errstr(c));
	return 0;
}

static int do_hold(struct siphon_client *c, const char *path, uint64_t size)
{
	struct siphon_file *f;
	uint64_t done = 0;
	int r = siphon_open(c, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);

	CHECK(!r, "open %s: %s", path, siphon_errstr(c));
	memset(buf, 'h', BUF_SIZE);
	while (done < size) {
		size_t n = size - done > BUF_SIZE ? BUF_SIZE : size - done;

		CHECK(siphon_write(f, buf, n, -1) == (int64_t)n, "write: %s",
		      siphon_errstr(c));
		done += n;
	}
	printf("written\n");
	wait_line();
	CHECK(!siphon_fsync(f), "fsync: %s", siphon_errstr(c));
	printf("fsynced\n");
	wait_line();
	CHECK(!siphon_close(f), "close: %s", siphon_errstr(c));
	printf("closed\n");
	wait_line();
	return 0;
}

/* Open flags, the file position, EOF and errors. */
static int do_semantics(struct siphon_client *c, const char *dir)
{
	struct siphon_file *f, *g;
	struct siphon_stat st;
	char p[512], q[512];
	uint8_t small[64];
	int64_t n;
	int r;

	snprintf(p, sizeof(p), "%s/sem", dir);
	snprintf(q, sizeof(q), "%s/absent", dir);
	r = siphon_open(c, q, O_RDONLY, 0, &f);
	CHECK(r == -ENOENT, "open of a missing file: %d", r);
	r = siphon_open(c, dir, O_RDONLY, 0, &f);
	CHECK(r == -EISDIR, "open of a directory: %d", r);

	r = siphon_open(c, p, O_RDWR | O_CREAT | O_EXCL, 0600, &f);
	CHECK(!r, "create %s: %s", p, siphon_errstr(c));
	r = siphon_open(c, p, O_RDWR | O_CREAT | O_EXCL, 0600, &g);
	CHECK(r == -EEXIST, "O_EXCL on an existing file: %d", r);

	/* an empty file: EOF at once */
	n = siphon_read(f, small, sizeof(small), -1);
	CHECK(n == 0, "read of an empty file: %lld", (long long)n);
	/* sequential writes move the position */
	CHECK(siphon_write(f, "hello ", 6, -1) == 6, "write 1");
	CHECK(siphon_write(f, "world", 5, -1) == 5, "write 2");
	CHECK(siphon_lseek(f, 0, SEEK_CUR) == 11, "position after writes");
	CHECK(siphon_lseek(f, 0, SEEK_END) == 11, "SEEK_END: %lld",
	      (long long)siphon_lseek(f, 0, SEEK_END));
	CHECK(siphon_lseek(f, -5, SEEK_END) == 6, "SEEK_END -5");
	n = siphon_read(f, small, sizeof(small), -1);
	CHECK(n == 5 && !memcmp(small, "world", 5), "read at position: %lld",
	      (long long)n);
	CHECK(siphon_read(f, small, sizeof(small), -1) == 0, "read at EOF");
	CHECK(siphon_lseek(f, -1, SEEK_SET) == -EINVAL, "negative seek");
	/* an explicit offset leaves the position alone */
	CHECK(siphon_lseek(f, 2, SEEK_SET) == 2, "SEEK_SET");
	n = siphon_read(f, small, 4, 6);
	CHECK(n == 4 && !memcmp(small, "worl", 4), "pread: %lld", (long long)n);
	CHECK(siphon_lseek(f, 0, SEEK_CUR) == 2, "pread moved the position");
	/* a read past the end returns 0, one across it the part inside */
	CHECK(siphon_read(f, small, 10, 100) == 0, "read past EOF");
	CHECK(siphon_read(f, small, 10, 8) == 3, "read across EOF");
	/* overwrite in the middle keeps the rest */
	CHECK(siphon_write(f, "WO", 2, 6) == 2, "overwrite");
	n = siphon_read(f, small, sizeof(small), 0);
	CHECK(n == 11 && !memcmp(small, "hello WOrld", 11), "after overwrite");
	CHECK(!siphon_fstat(f, &st) && st.size == 11, "fstat size %llu",
	      (unsigned long long)st.size);
	CHECK(!siphon_close(f), "close");

	/* read-only handles do not write, write-only ones do not read */
	CHECK(!siphon_open(c, p, O_RDONLY, 0, &f), "open ro");
	CHECK(siphon_write(f, "x", 1, 0) == -EBADF, "write on O_RDONLY");
	CHECK(siphon_ftruncate(f, 0) == -EBADF, "ftruncate on O_RDONLY");
	CHECK(!siphon_close(f), "close");
	CHECK(!siphon_open(c, p, O_WRONLY, 0, &f), "open wo");
	CHECK(siphon_read(f, small, 1, 0) == -EBADF, "read on O_WRONLY");
	CHECK(!siphon_close(f), "close");

	/* O_TRUNC empties the file */
	CHECK(!siphon_open(c, p, O_RDWR | O_TRUNC, 0, &f), "open O_TRUNC");
	CHECK(!siphon_fstat(f, &st) && st.size == 0, "size after O_TRUNC %llu",
	      (unsigned long long)st.size);
	CHECK(siphon_read(f, small, sizeof(small), 0) == 0, "read after O_TRUNC");
	/* ftruncate grows with zeros, shrinks, and old bytes stay gone */
	CHECK(siphon_write(f, "abcdef", 6, 0) == 6, "write");
	CHECK(!siphon_ftruncate(f, 3), "ftruncate 3: %s", siphon_errstr(c));
	CHECK(!siphon_ftruncate(f, 8), "ftruncate 8: %s", siphon_errstr(c));
	n = siphon_read(f, small, sizeof(small), 0);
	CHECK(n == 8 && !memcmp(small, "abc\0\0\0\0\0", 8),
	      "after shrink+grow: %lld bytes '%.8s'", (long long)n, small);
	CHECK(!siphon_close(f), "close");

	/* two handles on one file see each other's writes */
	CHECK(!siphon_open(c, p, O_RDWR, 0, &f), "open 1");
	CHECK(!siphon_open(c, p, O_RDONLY, 0, &g), "open 2");
	CHECK(siphon_write(f, "xyz", 3, 8) == 3, "write via 1");
	n = siphon_read(g, small, sizeof(small), 0);
	CHECK(n == 11 && !memcmp(small + 8, "xyz", 3), "read via 2: %lld",
	      (long long)n);
	CHECK(!siphon_close(g) && !siphon_close(f), "close both");
	CHECK(!siphon_unlink(c, p), "unlink");
	return 0;
}

int main(int argc, char **argv)
{
	struct siphon_client *c;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: file_io CONF pwrite|append|pread|hold|semantics PATH ...\n");
		return 2;
	}
	buf = malloc(BUF_SIZE);
	CHECK(buf, "out of memory");
	CHECK(!siphon_create(&c, NULL), "create");
	CHECK(!siphon_conf_read_file(c, argv[1]), "conf: %s", siphon_errstr(c));
	CHECK(!siphon_mount(c, NULL), "mount: %s", siphon_errstr(c));
	if (!strcmp(argv[2], "pwrite") && argc == 5)
		r = do_pwrite(c, argv[3], strtoll(argv[4], NULL, 0));
	else if (!strcmp(argv[2], "append") && argc == 4)
		r = do_append(c, argv[3]);
	else if (!strcmp(argv[2], "pread") && argc == 6)
		r = do_pread(c, argv[3], strtoll(argv[4], NULL, 0),
			     strtoull(argv[5], NULL, 0));
	else if (!strcmp(argv[2], "hold") && argc == 5)
		r = do_hold(c, argv[3], strtoull(argv[4], NULL, 0));
	else if (!strcmp(argv[2], "semantics") && argc == 4)
		r = do_semantics(c, argv[3]);
	else
		r = 2;
	fflush(stdout);
	siphon_unmount(c);
	siphon_release(c);
	free(buf);
	return r;
}

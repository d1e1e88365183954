/* The OSD client's object operations against a real OSD, one by one:
 *   osd_ops CONF POOL_ID
 * and ops held by an OSD that stops answering:
 *   osd_ops CONF POOL_ID stuck OSD_ID OSD_PID
 * write, stat, read, sparse-read, writefull, zero, truncate, exclusive
 * create, delete, many ops in flight at once, and the errors (a missing
 * object, a missing pool). Prints one line per check; exits non-zero on
 * the first failure. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "encoding/dec.h"
#include "osd/osdc.h"
#include "osd/placement.h"
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

static struct osdc *oc;
static int64_t pool;

/* Runs one request of up to two ops on oid and waits for it. */
static int run(struct osdc_req *q, const char *oid, bool write)
{
	struct osdc_waiter w;

	q->pool = pool;
	snprintf(q->oid, sizeof(q->oid), "%s", oid);
	q->write = write;
	q->timeout_ms = 30000;
	osdc_waiter_init(&w);
	q->cb = osdc_waiter_cb;
	q->cb_arg = &w;
	osdc_waiter_add(&w);
	osdc_submit(oc, q);
	osdc_waiter_wait(&w);
	osdc_waiter_destroy(&w);
	return q->result;
}

static int op_extent(const char *oid, uint16_t op, uint64_t off, uint64_t len,
		     const void *data, void *rbuf, uint64_t *got)
{
	struct osdc_req q = { 0 };
	bool write = data || op == CEPH_OSD_OP_ZERO ||
		     op == CEPH_OSD_OP_TRUNCATE;
	int r;

	q.ops[0].op = op;
	q.ops[0].offset = off;
	q.ops[0].length = len;
	if (data) {
		q.ops[0].indata = data;
		q.ops[0].indata_len = (uint32_t)len;
	}
	q.num_ops = 1;
	q.rbuf = rbuf;
	q.rbuf_len = rbuf ? len : 0;
	r = run(&q, oid, write);
	if (got)
		*got = q.read_len;
	return r;
}

static int op_simple(const char *oid, uint16_t op, uint32_t flags,
		     uint64_t *size)
{
	struct osdc_req q = { 0 };
	int r;

	q.ops[0].op = op;
	q.ops[0].flags = flags;
	q.num_ops = 1;
	r = run(&q, oid, op != CEPH_OSD_OP_STAT);
	if (size)
		*size = q.stat_size;
	return r;
}

/* A SPARSE_READ's output: map<u64 offset, u64 length> of extents with
 * data, then the data of those extents back to back. */
static void check_sparse(const char *oid)
{
	struct osdc_req q = { 0 };
	static uint8_t out[1 << 20];
	uint64_t off, len, total = 0;
	uint32_t n, dlen;
	struct dec d;

	q.ops[0].op = CEPH_OSD_OP_SPARSE_READ;
	q.ops[0].offset = 0;
	q.ops[0].length = 1 << 20;
	q.num_ops = 1;
	q.rbuf = out;
	q.rbuf_len = sizeof(out);
	CHECK(run(&q, oid, false) == 0, "sparse-read: %d", q.result);
	CHECK(q.read_len > 4, "sparse-read gave %llu bytes",
	      (unsigned long long)q.read_len);
	dec_init(&d, out, q.read_len);
	CHECK(!dec_u32(&d, &n) && n >= 1 && n <= 16, "extent count %u", n);
	for (uint32_t i = 0; i < n; i++) {
		CHECK(!dec_u64(&d, &off) && !dec_u64(&d, &len), "extent %u", i);
		printf("  extent %llu+%llu\n", (unsigned long long)off,
		       (unsigned long long)len);
		total += len;
	}
	CHECK(!dec_u32(&d, &dlen) && dlen == total, "data %u for %llu", dlen,
	      (unsigned long long)total);
}

/* Writes to objects whose primary is osd `osd` while that OSD is stopped
 * (SIGSTOP: the connection stays up, nothing answers); marks it down
 * with the ceph tool; the writes must go to the new primaries and
 * complete, and read back. */
static int stuck_mode(struct siphon_client *c, int osd, pid_t pid,
		      const char *conf)
{
	enum { N = 8 };
	static struct osdc_req q[N];
	static uint8_t data[N][65536], back[65536];
	struct osdc_waiter w;
	char name[64], cmd[512];
	int found = 0;
	uint64_t got;

	/* objects that the current map places on osd first */
	pthread_mutex_lock(&c->lock);
	for (int i = 0; found < N && i < 10000; i++) {
		struct placement_target t;

		snprintf(name, sizeof(name), "stuck.%d", i);
		if (placement_object_target(c->osdmap, pool, "", 0, name,
					    strlen(name), &t) == 0 &&
		    t.acting.primary == osd) {
			memset(&q[found], 0, sizeof(q[found]));
			snprintf(q[found].oid, sizeof(q[found].oid), "%s", name);
			found++;
		}
	}
	pthread_mutex_unlock(&c->lock);
	CHECK(found == N, "only %d objects on osd.%d", found, osd);
	CHECK(kill(pid, SIGSTOP) == 0, "SIGSTOP osd.%d", osd);
	osdc_waiter_init(&w);
	for (int i = 0; i < N; i++) {
		memset(data[i], 'a' + i, sizeof(data[i]));
		q[i].pool = pool;
		q[i].ops[0].op = CEPH_OSD_OP_WRITEFULL;
		q[i].ops[0].length = sizeof(data[i]);
		q[i].ops[0].indata = data[i];
		q[i].ops[0].indata_len = sizeof(data[i]);
		q[i].num_ops = 1;
		q[i].write = true;
		q[i].timeout_ms = 120000;
		q[i].cb = osdc_waiter_cb;
		q[i].cb_arg = &w;
		osdc_waiter_add(&w);
		osdc_submit(oc, &q[i]);
	}
	sleep(2);
	pthread_mutex_lock(&w.lock);
	found = (int)w.pending;
	pthread_mutex_unlock(&w.lock);
	if (found != N) {
		kill(pid, SIGCONT);
		CHECK(0, "%d of %d writes completed with osd.%d stopped",
		      N - found, N, osd);
	}
	snprintf(cmd, sizeof(cmd), "ceph -c '%s' osd down %d >/dev/null 2>&1",
		 conf, osd);
	if (system(cmd) != 0) {
		kill(pid, SIGCONT);
		CHECK(0, "%s", cmd);
	}
	CHECK(osdc_waiter_wait(&w) == 0 || (kill(pid, SIGCONT), 0),
	      "writes after osd.%d went down", osd);
	kill(pid, SIGCONT);
	osdc_waiter_destroy(&w);
	for (int i = 0; i < N; i++) {
		CHECK(q[i].attempts >= 2, "%s was sent %u times", q[i].oid,
		      q[i].attempts);
		CHECK(op_extent(q[i].oid, CEPH_OSD_OP_READ, 0, sizeof(back),
				NULL, back, &got) == 0 && got == sizeof(back) &&
		      !memcmp(back, data[i], sizeof(back)), "%s reads back",
		      q[i].oid);
		op_simple(q[i].oid, CEPH_OSD_OP_DELETE, 0, NULL);
	}
	printf("ok: %d writes held by a stopped osd.%d went to the new primaries\n",
	       N, osd);
	return 0;
}

int main(int argc, char **argv)
{
	struct siphon_client *c;
	static uint8_t a[3 << 20], b[3 << 20];
	uint64_t got, size;
	int r;

	if (argc != 3 && !(argc == 6 && !strcmp(argv[3], "stuck"))) {
		fprintf(stderr, "usage: %s CONF POOL_ID [stuck OSD_ID OSD_PID]\n",
			argv[0]);
		return 2;
	}
	pool = strtoll(argv[2], NULL, 10);
	CHECK(siphon_create(&c, NULL) == 0, "create");
	CHECK(siphon_conf_read_file(c, argv[1]) == 0, "%s", siphon_errstr(c));
	CHECK(siphon_connect(c) == 0, "connect: %s", siphon_errstr(c));
	oc = c->osdc;
	if (argc == 6) {
		r = stuck_mode(c, atoi(argv[4]), (pid_t)atoi(argv[5]), argv[1]);
		siphon_release(c);
		return r;
	}
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 31 + (i >> 12));

	op_simple("ops.obj", CEPH_OSD_OP_DELETE, 0, NULL);	/* leftovers */
	CHECK(op_extent("ops.obj", CEPH_OSD_OP_READ, 0, 10, NULL, b, &got) == -ENOENT,
	      "read of a missing object");
	printf("ok: a missing object reads ENOENT\n");

	CHECK(op_extent("ops.obj", CEPH_OSD_OP_WRITE, 4096, 1 << 20, a, NULL, NULL) == 0,
	      "write");
	CHECK(op_simple("ops.obj", CEPH_OSD_OP_STAT, 0, &size) == 0 &&
	      size == 4096 + (1 << 20), "stat size %llu", (unsigned long long)size);
	CHECK(op_extent("ops.obj", CEPH_OSD_OP_READ, 0, 4096 + (1 << 20), NULL, b,
			&got) == 0 && got == 4096 + (1 << 20), "read got %llu",
	      (unsigned long long)got);
	for (int i = 0; i < 4096; i++)
		CHECK(b[i] == 0, "the hole before the write reads %u", b[i]);
	CHECK(!memcmp(b + 4096, a, 1 << 20), "read back differs");
	printf("ok: write at an offset, stat, read (hole as zeros)\n");

	check_sparse("ops.obj");
	printf("ok: sparse-read lists the written extent\n");

	CHECK(op_extent("ops.obj", CEPH_OSD_OP_WRITEFULL, 0, 1000, a + 7, NULL, NULL) == 0,
	      "writefull");
	CHECK(op_simple("ops.obj", CEPH_OSD_OP_STAT, 0, &size) == 0 && size == 1000,
	      "size after writefull %llu", (unsigned long long)size);
	CHECK(op_extent("ops.obj", CEPH_OSD_OP_ZERO, 100, 50, NULL, NULL, NULL) == 0,
	      "zero");
	CHECK(op_extent("ops.obj", CEPH_OSD_OP_READ, 0, 1000, NULL, b, &got) == 0 &&
	      got == 1000, "read after zero");
	for (int i = 0; i < 1000; i++)
		CHECK(b[i] == ((i >= 100 && i < 150) ? 0 : a[7 + i]),
		      "byte %d after writefull+zero", i);
	printf("ok: writefull replaces, zero punches\n");

	CHECK(op_extent("ops.obj", CEPH_OSD_OP_TRUNCATE, 300, 0, NULL, NULL, NULL) == 0,
	      "truncate");
	CHECK(op_simple("ops.obj", CEPH_OSD_OP_STAT, 0, &size) == 0 && size == 300,
	      "size after truncate %llu", (unsigned long long)size);
	printf("ok: truncate\n");

	CHECK(op_simple("ops.new", CEPH_OSD_OP_DELETE, 0, NULL) <= 0, "clean");
	CHECK(op_simple("ops.new", CEPH_OSD_OP_CREATE, CEPH_OSD_OP_FLAG_EXCL, NULL) == 0,
	      "exclusive create");
	r = op_simple("ops.new", CEPH_OSD_OP_CREATE, CEPH_OSD_OP_FLAG_EXCL, NULL);
	CHECK(r == -EEXIST, "second exclusive create: %d", r);
	CHECK(op_simple("ops.new", CEPH_OSD_OP_DELETE, 0, NULL) == 0, "delete");
	CHECK(op_simple("ops.new", CEPH_OSD_OP_STAT, 0, NULL) == -ENOENT,
	      "stat after delete");
	CHECK(op_simple("ops.obj", CEPH_OSD_OP_DELETE, 0, NULL) == 0, "delete");
	printf("ok: exclusive create, delete\n");

	{
		/* many in flight: 64 objects written at once, then read */
		enum { N = 64 };
		static struct osdc_req q[N];
		struct osdc_waiter w;
		char name[32];

		osdc_waiter_init(&w);
		for (int i = 0; i < N; i++) {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].pool = pool;
			snprintf(name, sizeof(name), "ops.many.%d", i);
			snprintf(q[i].oid, sizeof(q[i].oid), "%s", name);
			q[i].ops[0].op = CEPH_OSD_OP_WRITEFULL;
			q[i].ops[0].length = 40000;
			q[i].ops[0].indata = a + i;
			q[i].ops[0].indata_len = 40000;
			q[i].num_ops = 1;
			q[i].write = true;
			q[i].cb = osdc_waiter_cb;
			q[i].cb_arg = &w;
			osdc_waiter_add(&w);
			osdc_submit(oc, &q[i]);
		}
		CHECK(osdc_waiter_wait(&w) == 0, "64 writes in flight");
		osdc_waiter_destroy(&w);
		for (int i = 0; i < N; i++) {
			snprintf(name, sizeof(name), "ops.many.%d", i);
			CHECK(op_extent(name, CEPH_OSD_OP_READ, 0, 40000, NULL, b,
					&got) == 0 && got == 40000 &&
			      !memcmp(b, a + i, 40000), "object %d", i);
			op_simple(name, CEPH_OSD_OP_DELETE, 0, NULL);
		}
		printf("ok: 64 objects in flight at once\n");
	}

	pool = 987654;
	CHECK(op_simple("x", CEPH_OSD_OP_STAT, 0, NULL) == -ENOENT,
	      "a missing pool");
	printf("ok: a missing pool is ENOENT at once\n");
	siphon_release(c);
	return 0;
}

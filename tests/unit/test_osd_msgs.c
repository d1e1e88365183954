/* OSD op messages, checked byte for byte against what ceph-fuse 16.2.15
 * and a 16.2.15 OSD exchanged over messenger v1 and v2
 * (tests/data/osd-msg-*.bin, listed in osd-msg-index.txt; see
 * README-osd-msgs.md), plus MOSDBackoff and the reply fields the captures
 * do not exercise (redirects, older versions, hostile counts). */
#include "test.h"

#include <stdlib.h>

#include "encoding/crc32c.h"
#include "osd/osd_msgs.h"
#include "msg/msgr1_wire.h"

/* ceph-fuse 16.2.15's features, as its MOSDOps carry them */
#define FUSE_FEATURES 0x3f01cfbdfffdffffull

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* One line of osd-msg-index.txt. */
struct entry {
	const char *file, *capture, *side, *kind;
	int type, version, compat, priority, data_off;
	uint64_t tid;
	uint32_t front_len, data_len;
	bool data_kept;
};

static void parse_entry(char **w, int n, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	if (n < 13)
		return;
	e->file = w[0];
	e->capture = w[1];
	e->side = w[2];
	e->type = (int)test_num(w[3]);
	e->version = (int)test_num(w[4]);
	e->compat = (int)test_num(w[5]);
	e->tid = (uint64_t)test_num(w[6]);
	e->priority = (int)test_num(w[7]);
	e->data_off = (int)test_num(w[8]);
	e->front_len = (uint32_t)test_num(w[9]);
	e->data_len = (uint32_t)test_num(w[10]);
	e->data_kept = !strcmp(w[11], "kept");
	e->kind = w[12];
}

/* A message of a messenger v1 file: the whole frame goes through
 * msgr1_parse_msg (header and section CRCs) when its data was kept; a
 * frame whose data was cut is read field by field. */
static struct msg *load_v1(const struct entry *e, const uint8_t *p, size_t n)
{
	const uint8_t *h = p + 1;
	uint32_t fl, ml;
	struct msg *m;

	if (n < 54 || p[0] != CEPH_MSGR_TAG_MSG)
		return NULL;
	m = msg_new(le16(h + 16), le16(h + 20), le16(h + 45));
	m->tid = le64(h + 8);
	m->priority = le16(h + 18);
	m->data_off = le16(h + 34);
	fl = le32(h + 22);
	ml = le32(h + 26);
	if (e->data_kept) {
		struct msgr1_frame f;

		if (msgr1_parse_msg(p + 1, n - 1, true, &f) != (ssize_t)(n - 1)) {
			msg_free(m);
			return NULL;
		}
		buf_put(&m->front, f.front, f.front_len);
		buf_put(&m->middle, f.middle, f.middle_len);
		buf_put(&m->data, f.data, f.data_len);
		return m;
	}
	if (n != 54 + (size_t)fl + ml) {
		msg_free(m);
		return NULL;
	}
	buf_put(&m->front, h + 53, fl);
	buf_put(&m->middle, h + 53 + fl, ml);
	return m;
}

/* A message of a messenger v2 (crc mode) file: preamble, header segment
 * and its crc, front, middle, data, epilogue (the data and the epilogue
 * are missing when the data was cut). CRCs are checked. */
static struct msg *load_v2(const struct entry *e, const uint8_t *p, size_t n)
{
	uint32_t len[4] = { 0, 0, 0, 0 };
	const uint8_t *h, *s, *epi;
	struct msg *m;
	size_t want;
	int nseg;

	if (n < 32 || p[0] != 17 || p[1] < 1 || p[1] > 4 ||
	    crc32c(0, p, 28) != le32(p + 28))
		return NULL;
	nseg = p[1];
	for (int i = 0; i < nseg; i++)
		len[i] = le32(p + 2 + 6 * i);
	want = 32 + (size_t)len[0] + 4 + len[1] + len[2];
	if (e->data_kept)
		want += (size_t)len[3] + (nseg > 1 ? 13 : 0);
	if (len[0] != 41 || n != want)
		return NULL;
	h = p + 32;
	if (crc32c(0xffffffff, h, 41) != le32(h + 41))
		return NULL;
	s = h + 45;
	/* the epilogue: late flags, then the crcs of front, middle, data */
	epi = s + len[1] + len[2] + len[3];
	if (e->data_kept && nseg > 1 &&
	    crc32c(0xffffffff, s, len[1]) != le32(epi + 1))
		return NULL;
	if (e->data_kept && nseg > 3 &&
	    crc32c(0xffffffff, s + len[1] + len[2], len[3]) != le32(epi + 9))
		return NULL;
	m = msg_new(le16(h + 16), le16(h + 20), le16(h + 37));
	m->tid = le64(h + 8);
	m->priority = le16(h + 18);
	m->data_off = le16(h + 26);
	buf_put(&m->front, s, len[1]);
	buf_put(&m->middle, s + len[1], len[2]);
	if (e->data_kept)
		buf_put(&m->data, s + len[1] + len[2], len[3]);
	return m;
}

/* Loads an index entry as a struct msg; a cut data section is replaced by
 * as many zero bytes, so that the ops' payload lengths still add up. */
static struct msg *load_entry(const struct entry *e)
{
	struct msg *m = NULL;
	size_t n;
	uint8_t *p = test_read_data(e->file, &n);

	if (!p)
		return NULL;
	if (strcmp(e->capture, "v2"))		/* v1 and rados: messenger v1 */
		m = load_v1(e, p, n);
	else
		m = load_v2(e, p, n);
	free(p);
	if (!m) {
		fprintf(stderr, "%s: not one whole message\n", e->file);
		test_failures++;
		return NULL;
	}
	CHECK_EQ(m->type, e->type);
	CHECK_EQ(m->version, e->version);
	CHECK_EQ(m->compat_version, e->compat);
	CHECK_EQ(m->tid, e->tid);
	CHECK_EQ(m->front.len, e->front_len);
	if (!e->data_kept) {
		buf_put_zero(&m->data, e->data_len);
		CHECK(!buf_error(&m->data));
	}
	CHECK_EQ(m->data.len, e->data_len);
	return m;
}

static bool same_buf(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

static void check_same_front(const char *what, const struct buf *got,
			     const struct buf *want)
{
	size_t i = 0;

	if (same_buf(got, want))
		return;
	while (i < got->len && i < want->len && got->data[i] == want->data[i])
		i++;
	fprintf(stderr, "%s: differs at byte %zu (len %zu vs %zu)\n", what, i,
		got->len, want->len);
	test_failures++;
}

/* ---- MOSDOp: decode each captured request, encode it again ---- */

struct walk {
	int requests, replies;
};

static int op_prefix_wrong(void *arg, const uint8_t *cut, size_t len)
{
	const struct msg *m = arg;
	struct msg c = *m;
	struct osd_request_msg r;
	struct osd_op ops[4];
	uint64_t snaps[4];

	c.front.data = (uint8_t *)cut;
	c.front.len = len;
	return osd_op_decode(&c, &r, ops, 4, snaps, 4) != -EBADMSG;
}

static int reply_prefix_wrong(void *arg, const uint8_t *cut, size_t len)
{
	const struct msg *m = arg;
	struct msg c = *m;
	static struct osd_reply r;

	c.front.data = (uint8_t *)cut;
	c.front.len = len;
	return osd_reply_decode(&c, &r) != -EBADMSG;
}

static void check_request(const struct entry *e, struct msg *m)
{
	struct osd_request_msg r;
	struct osd_op ops[OSD_MAX_OPS];
	uint64_t snaps[16];
	struct msg *again;
	int rc = osd_op_decode(m, &r, ops, OSD_MAX_OPS, snaps, 16);

	CHECK_EQ(rc, 0);
	if (rc) {
		fprintf(stderr, "%s: decode %d\n", e->file, rc);
		return;
	}
	/* what every op in the captures has in common: ceph-fuse wrote to
	   pool 2, the rados tool to pool 1 */
	CHECK_EQ(r.pgid.pool, strcmp(e->capture, "rados") ? 2 : 1);
	CHECK_EQ(r.pool, (int64_t)r.pgid.pool);
	CHECK_EQ(r.shard, OSD_NO_SHARD);
	CHECK_EQ(r.reqid.name.type, 0);
	CHECK_EQ(r.reqid.tid, 0);
	CHECK_EQ(r.client_inc, 0);
	CHECK_EQ(r.key_len, 0);
	CHECK_EQ(r.nspace_len, 0);
	CHECK_EQ(r.locator_hash, -1);
	if (strcmp(e->capture, "rados"))
		CHECK_EQ(r.oid_len, 20);		/* 10000000001.00000000 */
	CHECK(r.snapid == CEPH_NOSNAP);
	CHECK_EQ(r.num_snaps, 0);
	CHECK_EQ(r.attempts, 0);
	CHECK(r.features == FUSE_FEATURES);
	CHECK_EQ(r.num_ops, 1);
	CHECK_STR(osd_op_name(ops[0].op), e->kind);
	CHECK_EQ(m->priority, OSD_CLIENT_OP_PRIORITY);
	CHECK_EQ(r.data_off, e->data_off);
	/* the PG is the hash's low bits: ceph-fuse's data pools had 32 PGs,
	   the rados tool's pool 8 */
	CHECK_EQ(r.hash & (strcmp(e->capture, "rados") ? 31 : 7), r.pgid.seed);

	again = osd_msg_op(&r);
	CHECK(again != NULL);
	if (again) {
		CHECK_EQ(again->type, CEPH_MSG_OSD_OP);
		CHECK_EQ(again->version, e->version);
		CHECK_EQ(again->compat_version, e->compat);
		CHECK_EQ(again->tid, e->tid);
		CHECK_EQ(again->priority, e->priority);
		CHECK_EQ(again->data_off, e->data_off);
		check_same_front(e->file, &again->front, &m->front);
		CHECK(same_buf(&again->data, &m->data));
		CHECK_EQ(again->middle.len, 0);
		msg_free(again);
	}
	CHECK_EQ(test_check_truncations(m->front.data, m->front.len,
					op_prefix_wrong, m), 0);
}

static void check_reply(const struct entry *e, struct msg *m)
{
	static struct osd_reply r;
	int rc = osd_reply_decode(m, &r);

	CHECK_EQ(rc, 0);
	if (rc) {
		fprintf(stderr, "%s: decode %d\n", e->file, rc);
		return;
	}
	CHECK_EQ(r.tid, e->tid);
	CHECK_EQ(r.pgid.pool, strcmp(e->capture, "rados") ? 2 : 1);
	CHECK(r.flags & CEPH_OSD_FLAG_ONDISK);
	CHECK_EQ(r.num_ops, 1);
	CHECK_STR(osd_op_name(r.ops[0].op), e->kind + strlen("reply-"));
	CHECK_EQ(r.retry_attempt, 0);
	CHECK(!r.redirect);
	/* an op that failed on its own says so in its rval; a request
	   refused as a whole (ENOENT before any op ran) leaves them 0 */
	CHECK(r.ops[0].rval == r.result || r.ops[0].rval == 0);
	CHECK_EQ(r.ops[0].outdata_len, e->data_len);
	CHECK_EQ(test_check_truncations(m->front.data, m->front.len,
					reply_prefix_wrong, m), 0);
}

static void walk_entry(void *arg, char **w, int n)
{
	struct walk *wk = arg;
	struct entry e;
	struct msg *m;

	if (w[0][0] == '#')
		return;
	parse_entry(w, n, &e);
	CHECK(e.file != NULL);
	if (!e.file)
		return;
	m = load_entry(&e);
	if (!m)
		return;
	if (e.type == CEPH_MSG_OSD_OP) {
		check_request(&e, m);
		wk->requests++;
	} else if (e.type == CEPH_MSG_OSD_OPREPLY) {
		check_reply(&e, m);
		wk->replies++;
	}
	msg_free(m);
}

TEST(captured_osd_messages_decode_and_reencode)
{
	struct walk wk = { 0, 0 };

	test_for_each_line("osd-msg-index.txt", walk_entry, &wk);
	CHECK_EQ(wk.requests, 22);
	CHECK_EQ(wk.replies, 22);
}

/* ---- MOSDOp from fields alone ---- */

static struct msg *load_named(const char *file, const char *capture,
			      bool kept, uint32_t data_len)
{
	struct entry e = { .file = file, .capture = capture,
			   .data_kept = kept, .data_len = data_len };
	struct msg *m;
	size_t n;
	uint8_t *p = test_read_data(file, &n);

	/* the header checks of load_entry() are done by the walk above */
	if (!p)
		return NULL;
	m = strcmp(capture, "v2") ? load_v1(&e, p, n) : load_v2(&e, p, n);
	free(p);
	CHECK(m != NULL);
	return m;
}

/* What ceph-fuse put in its first MOSDOps (the pool permission check on
 * the first file: a STAT and an exclusive CREATE of 10000000001.00000000,
 * then the write of "hello\n"), as an OSD client would fill them in. */
static struct osd_request_msg fuse_request(uint64_t tid, uint32_t mtime_nsec,
					   const struct osd_op *op)
{
	struct osd_request_msg r = {
		.tid = tid,
		.pgid = { .pool = 2, .seed = 7 },
		.shard = OSD_NO_SHARD,
		.hash = 0x0c9e0747,
		.epoch = 8,
		.flags = CEPH_OSD_FLAG_ONDISK | CEPH_OSD_FLAG_WRITE |
			 CEPH_OSD_FLAG_KNOWN_REDIR,
		.mtime = { 0x6b05404e, mtime_nsec },
		.pool = 2,
		.locator_hash = -1,
		.oid = "10000000001.00000000",
		.snapid = CEPH_NOSNAP,
		.features = FUSE_FEATURES,
		.ops = op,
		.num_ops = 1,
	};

	return r;
}

static void check_built(const char *file, const struct osd_request_msg *r)
{
	struct msg *want = load_named(file, "v1", true, 0);
	struct msg *got = osd_msg_op(r);

	CHECK(got != NULL);
	if (got && want) {
		check_same_front(file, &got->front, &want->front);
		CHECK(same_buf(&got->data, &want->data));
		CHECK_EQ(got->tid, want->tid);
		CHECK_EQ(got->version, want->version);
		CHECK_EQ(got->compat_version, want->compat_version);
		CHECK_EQ(got->priority, want->priority);
		CHECK_EQ(got->data_off, want->data_off);
	}
	msg_free(got);
	msg_free(want);
}

TEST(mosdop_built_from_fields_matches_ceph_fuse)
{
	struct osd_op stat = { .op = CEPH_OSD_OP_STAT };
	struct osd_op create = { .op = CEPH_OSD_OP_CREATE,
				 .flags = CEPH_OSD_OP_FLAG_EXCL };
	struct osd_op write = { .op = CEPH_OSD_OP_WRITE, .offset = 0,
				.length = 6, .indata = "hello\n",
				.indata_len = 6 };
	struct osd_request_msg r;

	r = fuse_request(1, 0x32a3207e, &stat);
	check_built("osd-msg-v1-c-000-stat.bin", &r);
	r = fuse_request(2, 0x32a3dbb8, &create);
	check_built("osd-msg-v1-c-001-create.bin", &r);
	r = fuse_request(3, 0x32af0e96, &write);
	r.snap_seq = 1;				/* the root snap realm's seq */
	check_built("osd-msg-v1-c-002-write.bin", &r);
}

TEST(mosdop_several_ops_share_the_data_section)
{
	struct osd_op ops[3] = {
		{ .op = CEPH_OSD_OP_WRITE, .offset = 4096, .length = 3,
		  .truncate_size = 10, .truncate_seq = 2, .indata = "abc",
		  .indata_len = 3 },
		{ .op = CEPH_OSD_OP_SETXATTR, .xattr = { 6, 2, 0, 0 },
		  .indata = "parentxy", .indata_len = 8 },
		{ .op = CEPH_OSD_OP_CALL, .cls = { 3, 4, 0, 1 },
		  .indata = "rbdsizeZ", .indata_len = 8 },
	};
	uint64_t snaps_in[2] = { 9, 4 };
	struct osd_request_msg r = {
		.tid = 77, .data_off = 4096, .pgid = { 5, 0x1f }, .shard = 2,
		.hash = 0xdeadbeef, .epoch = 40, .flags = CEPH_OSD_FLAG_WRITE,
		.reqid = { { CEPH_ENTITY_TYPE_CLIENT, 4242 }, 77, 1 },
		.mtime = { 1, 2 }, .pool = 5, .nspace = "ns", .key = "k",
		.locator_hash = -1, .oid = "obj", .snapid = CEPH_NOSNAP,
		.snap_seq = 9, .snaps = snaps_in, .num_snaps = 2, .attempts = 3,
		.features = 1, .ops = ops, .num_ops = 3,
	};
	struct osd_request_msg d;
	struct osd_op dops[3];
	uint64_t snaps[2];
	struct msg *m = osd_msg_op(&r);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->data.len, 19);
	CHECK(!memcmp(m->data.data, "abcparentxyrbdsizeZ", 19));
	CHECK_EQ(m->data_off, 4096);
	CHECK_EQ(osd_op_decode(m, &d, dops, 3, snaps, 2), 0);
	CHECK_EQ(d.shard, 2);
	CHECK_EQ(d.reqid.name.num, 4242);
	CHECK_EQ(d.reqid.inc, 1);
	CHECK_EQ(d.nspace_len, 2);
	CHECK_EQ(d.key_len, 1);
	CHECK_EQ(d.num_snaps, 2);
	CHECK_EQ(snaps[0], 9);
	CHECK_EQ(snaps[1], 4);
	CHECK_EQ(d.attempts, 3);
	CHECK_EQ(dops[0].offset, 4096);
	CHECK_EQ(dops[0].truncate_size, 10);
	CHECK_EQ(dops[0].truncate_seq, 2);
	CHECK_EQ(dops[1].xattr.name_len, 6);
	CHECK_EQ(dops[1].xattr.value_len, 2);
	CHECK_EQ(dops[2].cls.method_len, 4);
	CHECK_EQ(dops[2].cls.indata_len, 1);
	CHECK_EQ(dops[1].indata_len, 8);
	CHECK(!memcmp(dops[1].indata, "parentxy", 8));
	/* too little room for what is there */
	CHECK_EQ(osd_op_decode(m, &d, dops, 2, snaps, 2), -EBADMSG);
	CHECK_EQ(osd_op_decode(m, &d, dops, 3, snaps, 1), -EBADMSG);
	/* the payloads must cover the data section exactly */
	buf_put_u8(&m->data, 0);
	CHECK_EQ(osd_op_decode(m, &d, dops, 3, snaps, 2), -EBADMSG);
	m->data.len -= 2;
	CHECK_EQ(osd_op_decode(m, &d, dops, 3, snaps, 2), -EBADMSG);
	msg_free(m);

	/* nothing to send, or a payload with no bytes */
	r.num_ops = 0;
	CHECK(osd_msg_op(&r) == NULL);
	r.num_ops = OSD_MAX_OPS + 1;
	CHECK(osd_msg_op(&r) == NULL);
	r.num_ops = 1;
	ops[0].indata = NULL;
	CHECK(osd_msg_op(&r) == NULL);
}

TEST(mosdop_locator_with_a_hash_needs_compat_6)
{
	struct osd_op stat = { .op = CEPH_OSD_OP_STAT };
	struct osd_request_msg r = {
		.pgid = { 1, 0 }, .shard = OSD_NO_SHARD, .pool = 1,
		.locator_hash = 0x1234, .oid = "", .snapid = CEPH_NOSNAP,
		.ops = &stat, .num_ops = 1,
	};
	struct msg *m = osd_msg_op(&r);
	/* spg 24, hash, epoch, flags, reqid 27, trace 24, inc, mtime 8 */
	size_t oloc = 24 + 12 + 27 + 24 + 4 + 8;

	CHECK(m != NULL);
	if (m) {
		CHECK_EQ(m->front.data[oloc], 6);
		CHECK_EQ(m->front.data[oloc + 1], 6);
		msg_free(m);
	}
}

/* ---- MOSDOpReply ---- */

TEST(captured_replies_carry_results_and_stat_output)
{
	static struct osd_reply r;
	struct msg *m;

	/* the pool check's STAT of a file that does not exist yet */
	m = load_named("osd-msg-v1-s-000-reply-stat.bin", "v1", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.result, -ENOENT);
		CHECK_EQ(r.ops[0].rval, 0);	/* no op ran */
		CHECK_EQ(r.epoch, 8);
		CHECK_EQ(r.pgid.seed, 7);
		CHECK(r.flags == (CEPH_OSD_FLAG_ONDISK | CEPH_OSD_FLAG_WRITE |
				  CEPH_OSD_FLAG_KNOWN_REDIR));
		CHECK(r.ops[0].outdata == NULL);
		CHECK(!memcmp(r.oid, "10000000001.00000000", 20));
		msg_free(m);
	}
	/* the write of "hello\n" */
	m = load_named("osd-msg-v1-s-002-reply-write.bin", "v1", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.result, 0);
		CHECK_EQ(r.ops[0].op, CEPH_OSD_OP_WRITE);
		CHECK_EQ(r.ops[0].length, 6);
		CHECK_EQ(r.user_version, 2);
		CHECK_EQ(r.replay_version.version, 2);
		CHECK_EQ(r.replay_version.epoch, 8);
		msg_free(m);
	}
	/* over msgr2, the file existed: STAT returns size and mtime */
	m = load_named("osd-msg-v2-s-000-reply-stat.bin", "v2", true, 16);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.result, 0);
		CHECK_EQ(r.ops[0].outdata_len, 16);
		CHECK(r.ops[0].outdata == m->data.data);
		if (r.ops[0].outdata) {
			CHECK_EQ(le64(r.ops[0].outdata), 0);		/* size */
			CHECK_EQ(le32(r.ops[0].outdata + 8), 0x6b054034); /* mtime */
		}
		/* the output must account for the data section exactly */
		m->data.len--;
		CHECK_EQ(osd_reply_decode(m, &r), -EBADMSG);
		m->data.len++;
		buf_put_u8(&m->data, 0);
		CHECK_EQ(osd_reply_decode(m, &r), -EBADMSG);
		msg_free(m);
	}
}

/* What the rados tool (librados, the same Objecter as ceph-fuse) sent
 * and got back: `put obj` (10 bytes "hello osd\n"), `put --offset 8192
 * obj`, `stat`, `get`, `setxattr obj user.k vv`, `getxattr`, `truncate obj
 * 3`, a 100000-byte `put big` and `get big`, `rm obj`, `rm nosuch`,
 * `rmxattr big user.x`; one client, so one connection, per command. */
TEST(librados_ops_and_their_replies)
{
	static struct osd_reply r;
	struct osd_request_msg q;
	struct osd_op ops[2];
	uint64_t snaps[2];
	struct msg *m;

	/* a write at 8192: the offset is in the op, the header's data_off
	   stays 0 (the Objecter never sets it) */
	m = load_named("osd-msg-rados-c-001-write.bin", "rados", true, 10);
	if (m) {
		CHECK_EQ(osd_op_decode(m, &q, ops, 2, snaps, 2), 0);
		CHECK_EQ(ops[0].op, CEPH_OSD_OP_WRITE);
		CHECK_EQ(ops[0].offset, 8192);
		CHECK_EQ(ops[0].length, 10);
		CHECK_EQ(q.data_off, 0);
		CHECK(q.flags & CEPH_OSD_FLAG_WRITE);
		CHECK(q.oid_len == 3 && !memcmp(q.oid, "obj", 3));
		msg_free(m);
	}
	m = load_named("osd-msg-rados-s-003-reply-read.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.result, 0);
		CHECK_EQ(r.ops[0].op, CEPH_OSD_OP_READ);
		CHECK_EQ(r.ops[0].outdata_len, 8202);
		if (r.ops[0].outdata_len == 8202) {
			CHECK(!memcmp(r.ops[0].outdata, "hello osd\n", 10));
			CHECK_EQ(r.ops[0].outdata[100], 0);	/* the hole */
			CHECK(!memcmp(r.ops[0].outdata + 8192, "hello osd\n", 10));
		}
		msg_free(m);
	}
	m = load_named("osd-msg-rados-s-002-reply-stat.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.ops[0].outdata_len, 16);
		if (r.ops[0].outdata_len == 16)
			CHECK_EQ(le64(r.ops[0].outdata), 8202);	/* size */
		msg_free(m);
	}
	m = load_named("osd-msg-rados-c-004-setxattr.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_op_decode(m, &q, ops, 2, snaps, 2), 0);
		CHECK_EQ(ops[0].xattr.name_len, 6);
		CHECK_EQ(ops[0].xattr.value_len, 2);
		CHECK(ops[0].indata_len == 8 &&
		      !memcmp(ops[0].indata, "user.kvv", 8));
		msg_free(m);
	}
	m = load_named("osd-msg-rados-s-005-reply-getxattr.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK(r.ops[0].outdata_len == 2 &&
		      !memcmp(r.ops[0].outdata, "vv", 2));
		msg_free(m);
	}
	m = load_named("osd-msg-rados-c-006-truncate.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_op_decode(m, &q, ops, 2, snaps, 2), 0);
		CHECK_EQ(ops[0].op, CEPH_OSD_OP_TRUNCATE);
		CHECK_EQ(ops[0].offset, 3);
		msg_free(m);
	}
	m = load_named("osd-msg-rados-s-010-reply-delete.bin", "rados", true, 0);
	if (m) {
		CHECK_EQ(osd_reply_decode(m, &r), 0);
		CHECK_EQ(r.result, -ENOENT);
		CHECK(r.oid_len == 6 && !memcmp(r.oid, "nosuch", 6));
		msg_free(m);
	}
}

/* A reply front by hand: oid "o", pg 3.5, one op, then the tail given. */
static struct msg *reply_with(uint16_t version, uint32_t num_ops,
			      void (*tail)(struct buf *))
{
	struct msg *m = msg_new(CEPH_MSG_OSD_OPREPLY, version, 2);
	struct buf *f = &m->front;

	buf_put_str(f, "o");
	buf_put_u8(f, 1);
	buf_put_u64(f, 3);
	buf_put_u32(f, 5);
	buf_put_u32(f, (uint32_t)-1);
	buf_put_u64(f, CEPH_OSD_FLAG_ONDISK);
	buf_put_u32(f, 0);				/* result */
	buf_put_zero(f, 12);				/* bad_replay_version */
	buf_put_u32(f, 30);				/* epoch */
	buf_put_u32(f, num_ops);
	for (uint32_t i = 0; i < num_ops && i < 2; i++) {
		buf_put_u16(f, CEPH_OSD_OP_READ);
		buf_put_u32(f, 0);
		buf_put_zero(f, 28);
		buf_put_u32(f, 0);			/* payload_len */
	}
	if (tail)
		tail(f);
	return m;
}

static void put_redirect(struct buf *f)
{
	size_t s = buf_struct_begin(f, 1, 1);
	size_t l = buf_struct_begin(f, 6, 3);

	buf_put_u64(f, 9);				/* pool */
	buf_put_u32(f, (uint32_t)-1);
	buf_put_str(f, "");
	buf_put_str(f, "cold");
	buf_put_u64(f, (uint64_t)-1);
	buf_struct_end(f, l);
	buf_put_str(f, "elsewhere");
	buf_put_u32(f, 3);				/* retired osd_instructions */
	buf_put(f, "xyz", 3);
	buf_struct_end(f, s);
}

static void tail_v8_redirect(struct buf *f)
{
	buf_put_u32(f, 4);				/* retry_attempt */
	buf_put_u32(f, 0);				/* rval */
	buf_put_zero(f, 12);
	buf_put_u64(f, 0);
	buf_put_u8(f, 1);				/* do_redirect */
	put_redirect(f);
	buf_put_zero(f, 24);				/* trace */
}

static void tail_v6(struct buf *f)
{
	buf_put_u32(f, 0);
	buf_put_u32(f, 0);
	buf_put_zero(f, 12);
	buf_put_u64(f, 0);
	put_redirect(f);
}

static void tail_v3(struct buf *f)
{
	buf_put_u32(f, 1);				/* retry_attempt only */
}

TEST(reply_redirects_and_older_versions)
{
	static struct osd_reply r;
	struct msg *m;

	m = reply_with(8, 1, tail_v8_redirect);
	CHECK_EQ(osd_reply_decode(m, &r), 0);
	CHECK(r.redirect);
	CHECK_EQ(r.retry_attempt, 4);
	CHECK_EQ(r.redirect_oloc.pool, 9);
	CHECK_EQ(r.redirect_oloc.nspace_len, 4);
	CHECK(!memcmp(r.redirect_oloc.nspace, "cold", 4));
	CHECK_EQ(r.redirect_oid_len, 9);
	CHECK(!memcmp(r.redirect_oid, "elsewhere", 9));
	CHECK_EQ(test_check_truncations(m->front.data, m->front.len,
					reply_prefix_wrong, m), 0);
	/* a newer version: what follows the redirect is not needed */
	m->version = 10;
	CHECK_EQ(osd_reply_decode(m, &r), 0);
	CHECK(r.redirect);
	m->compat_version = 11;
	m->version = 11;
	CHECK_EQ(osd_reply_decode(m, &r), -ENOTSUP);
	m->version = 1;
	CHECK_EQ(osd_reply_decode(m, &r), -ENOTSUP);
	msg_free(m);

	m = reply_with(6, 1, tail_v6);
	CHECK_EQ(osd_reply_decode(m, &r), 0);
	CHECK(r.redirect);
	CHECK_EQ(r.redirect_oloc.pool, 9);
	msg_free(m);

	m = reply_with(3, 1, tail_v3);
	CHECK_EQ(osd_reply_decode(m, &r), 0);
	CHECK_EQ(r.retry_attempt, 1);
	CHECK(!r.redirect);
	msg_free(m);
}

TEST(reply_hostile_counts)
{
	static struct osd_reply r;
	struct msg *m;

	/* more ops than the front could hold, and more than we keep */
	m = reply_with(8, 0x7fffffff, NULL);
	CHECK_EQ(osd_reply_decode(m, &r), -EBADMSG);
	msg_free(m);
	m = reply_with(8, OSD_MAX_OPS + 1, NULL);
	buf_put_zero(&m->front, 38 * (OSD_MAX_OPS + 1) + 4096);
	CHECK_EQ(osd_reply_decode(m, &r), -EBADMSG);
	msg_free(m);
}

/* ---- MOSDBackoff ---- */

static struct osd_backoff sample_backoff(void)
{
	struct osd_backoff b = {
		.pgid = { 2, 7 }, .shard = OSD_NO_SHARD, .map_epoch = 12,
		.op = CEPH_OSD_BACKOFF_OP_BLOCK, .id = 3,
		.begin = { .oid = "10000000001.00000000", .snapid = CEPH_NOSNAP,
			   .hash = 0x0c9e0747, .pool = 2 },
		.end = { .oid = "10000000001.00000000", .snapid = CEPH_NOSNAP,
			 .hash = 0x0c9e0747, .pool = 2 },
	};

	return b;
}

static int backoff_prefix_wrong(void *arg, const uint8_t *cut, size_t len)
{
	struct osd_backoff b;

	(void)arg;
	return osd_backoff_decode(cut, len, &b) != -EBADMSG;
}

TEST(backoff_encode_decode_round_trip)
{
	struct osd_backoff b = sample_backoff(), d, d2;
	struct msg *m = osd_msg_backoff(&b), *ack, *again;
	/* spg_t, epoch 12, BLOCK, id 3, then the two hobjects */
	static const char head[] =
		"01 01 12 00 00 00 01 02 00 00 00 00 00 00 00 07 00 00 00"
		" ff ff ff ff ff 0c 00 00 00 01 03 00 00 00 00 00 00 00"
		" 04 03 35 00 00 00 00 00 00 00 14 00 00 00";
	uint8_t want[64];
	size_t nh = test_hex(head, want, sizeof(want));

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->type, CEPH_MSG_OSD_BACKOFF);
	CHECK_EQ(m->version, 1);
	CHECK_EQ(m->compat_version, 1);
	CHECK_EQ(m->front.len, 24 + 4 + 1 + 8 + 2 * (6 + 53));
	CHECK(m->front.len >= nh && !memcmp(m->front.data, want, nh));
	CHECK_EQ(osd_backoff_decode(m->front.data, m->front.len, &d), 0);
	CHECK_EQ(d.pgid.pool, 2);
	CHECK_EQ(d.pgid.seed, 7);
	CHECK_EQ(d.shard, OSD_NO_SHARD);
	CHECK_EQ(d.map_epoch, 12);
	CHECK_EQ(d.op, CEPH_OSD_BACKOFF_OP_BLOCK);
	CHECK_EQ(d.id, 3);
	CHECK_EQ(d.begin.oid_len, 20);
	CHECK(d.begin.snapid == CEPH_NOSNAP);
	CHECK_EQ(d.begin.hash, 0x0c9e0747);
	CHECK_EQ(d.end.pool, 2);
	CHECK_EQ(osd_hobject_compare(&d.begin, &d.end), 0);
	CHECK_EQ(test_check_truncations(m->front.data, m->front.len,
					backoff_prefix_wrong, NULL), 0);

	/* decoding then encoding again gives the same bytes */
	again = osd_msg_backoff(&d);
	CHECK(again && same_buf(&again->front, &m->front));
	msg_free(again);

	/* the ack: same PG, id and range, ACK_BLOCK, the epoch given */
	ack = osd_msg_backoff_ack(&d, d.map_epoch);
	CHECK(ack != NULL);
	if (ack) {
		CHECK_EQ(osd_backoff_decode(ack->front.data, ack->front.len,
					    &d2), 0);
		CHECK_EQ(d2.op, CEPH_OSD_BACKOFF_OP_ACK_BLOCK);
		CHECK_EQ(d2.id, 3);
		CHECK_EQ(d2.map_epoch, 12);
		CHECK_EQ(osd_hobject_compare(&d2.begin, &d.begin), 0);
		CHECK_EQ(osd_hobject_compare(&d2.end, &d.end), 0);
		/* only the op byte differs */
		CHECK_EQ(ack->front.len, m->front.len);
		CHECK_EQ(ack->front.data[28], CEPH_OSD_BACKOFF_OP_ACK_BLOCK);
		ack->front.data[28] = CEPH_OSD_BACKOFF_OP_BLOCK;
		CHECK(same_buf(&ack->front, &m->front));
		msg_free(ack);
	}

	/* an hobject from before v4, or an envelope from the future */
	m->front.data[37] = 3;
	CHECK_EQ(osd_backoff_decode(m->front.data, m->front.len, &d), -ENOTSUP);
	m->front.data[37] = 4;
	m->front.data[38] = 5;
	CHECK_EQ(osd_backoff_decode(m->front.data, m->front.len, &d), -ENOTSUP);
	msg_free(m);
}

TEST(hobject_order_is_the_osds)
{
	struct osd_hobject a = { .oid = "a", .pool = 1, .hash = 1 };
	struct osd_hobject b = a;

	CHECK_EQ(osd_hobject_compare(&a, &b), 0);
	/* the hash counts bit-reversed: 1 (0x80000000) after 2 (0x40000000) */
	b.hash = 2;
	CHECK_EQ(osd_hobject_compare(&a, &b), 1);
	CHECK_EQ(osd_hobject_compare(&b, &a), -1);
	b = a;
	b.pool = 0;
	CHECK_EQ(osd_hobject_compare(&a, &b), 1);
	b = a;
	b.is_max = true;
	b.pool = -5;
	CHECK_EQ(osd_hobject_compare(&a, &b), -1);
	b = a;
	b.nspace = "n";
	CHECK_EQ(osd_hobject_compare(&a, &b), -1);
	b = a;
	b.oid = "ab";
	b.oid_len = 2;
	CHECK_EQ(osd_hobject_compare(&a, &b), -1);
	b = a;
	b.key = "0";				/* the key sorts before the name */
	b.key_len = 1;
	CHECK_EQ(osd_hobject_compare(&a, &b), 1);
	b = a;
	b.snapid = 4;
	a.snapid = CEPH_NOSNAP;
	CHECK_EQ(osd_hobject_compare(&a, &b), 1);
}

TEST(op_names_and_kinds)
{
	CHECK_STR(osd_op_name(CEPH_OSD_OP_READ), "read");
	CHECK_STR(osd_op_name(CEPH_OSD_OP_SPARSE_READ), "sparse-read");
	CHECK_STR(osd_op_name(CEPH_OSD_OP_WRITEFULL), "writefull");
	CHECK_STR(osd_op_name(CEPH_OSD_OP_CREATE), "create");
	CHECK_STR(osd_op_name(0x7777), "???");
	CHECK_EQ(osd_op_kind(CEPH_OSD_OP_TRUNCATE), OSD_OP_KIND_EXTENT);
	CHECK_EQ(osd_op_kind(CEPH_OSD_OP_SETXATTR), OSD_OP_KIND_XATTR);
	CHECK_EQ(osd_op_kind(CEPH_OSD_OP_CALL), OSD_OP_KIND_CLS);
	CHECK_EQ(osd_op_kind(CEPH_OSD_OP_DELETE), OSD_OP_KIND_RAW);
}

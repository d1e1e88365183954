/* MDS client messages, checked byte for byte against what ceph-fuse
 * 16.2.15 and a 16.2.15 MDS exchanged (tests/data/mds-msg-*.bin, listed
 * in mds-msg-index.txt; see README-mds-msgs.md). */
#include "test.h"

#include <stdlib.h>

#include "mds/mds_msgs.h"
#include "msg/msgr1_wire.h"

/* the MDS's session features in the capture: bits 0..18 */
static const uint64_t mds_feat[1] = { 0x7ffff };

/* Loads a framed captured message into a struct msg (sections copied). */
static struct msg *load_msg(const char *name)
{
	struct msgr1_frame f;
	struct msg *m;
	size_t n;
	uint8_t *p = test_read_data(name, &n);

	if (!p)
		return NULL;
	if (n < 1 || p[0] != CEPH_MSGR_TAG_MSG ||
	    msgr1_parse_msg(p + 1, n - 1, true, &f) != (ssize_t)(n - 1)) {
		fprintf(stderr, "%s: not one framed message\n", name);
		test_failures++;
		free(p);
		return NULL;
	}
	m = msg_new(f.hdr.type, f.hdr.version, f.hdr.compat_version);
	m->tid = f.hdr.tid;
	m->priority = f.hdr.priority;
	buf_put(&m->front, f.front, f.front_len);
	buf_put(&m->middle, f.middle, f.middle_len);
	buf_put(&m->data, f.data, f.data_len);
	free(p);
	return m;
}

static bool same_buf(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* Reports the first differing byte, to make a mismatch readable. */
static void check_same_msg(const char *name, const struct msg *got,
			   const struct msg *want)
{
	const struct buf *g[3] = { &got->front, &got->middle, &got->data };
	const struct buf *w[3] = { &want->front, &want->middle, &want->data };

	CHECK_EQ(got->type, want->type);
	CHECK_EQ(got->version, want->version);
	CHECK_EQ(got->compat_version, want->compat_version);
	CHECK_EQ(got->tid, want->tid);
	CHECK_EQ(got->priority, want->priority);
	for (int s = 0; s < 3; s++) {
		if (same_buf(g[s], w[s]))
			continue;
		size_t i = 0;

		while (i < g[s]->len && i < w[s]->len &&
		       g[s]->data[i] == w[s]->data[i])
			i++;
		fprintf(stderr, "%s: section %d differs at byte %zu (len %zu vs %zu)\n",
			name, s, i, g[s]->len, w[s]->len);
		test_failures++;
	}
}

/* A copy of m with its front cut to k bytes. */
static struct msg *cut_front(const struct msg *m, size_t k)
{
	struct msg *c = msg_new(m->type, m->version, m->compat_version);

	c->tid = m->tid;
	buf_put(&c->front, m->front.data, k);
	buf_put(&c->middle, m->middle.data, m->middle.len);
	buf_put(&c->data, m->data.data, m->data.len);
	return c;
}

/* Calls fn(name, kind, msg) for every indexed message of `side` whose
 * kind starts with `prefix`; returns how many. */
static int for_each(const char *side, const char *prefix,
		    void (*fn)(const char *, const char *, struct msg *))
{
	size_t len;
	char *text = (char *)test_read_data("mds-msg-index.txt", &len);
	char *line, *save = NULL;
	int count = 0;

	if (!text)
		return 0;
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], sd[4], kind[64];
		unsigned type, ver;
		unsigned long long tid;
		struct msg *m;

		if (line[0] == '#' ||
		    sscanf(line, "%127s %3s %x %u %llu %63s", name, sd, &type,
			   &ver, &tid, kind) != 6)
			continue;
		if (strcmp(sd, side) || strncmp(kind, prefix, strlen(prefix)))
			continue;
		m = load_msg(name);
		if (!m)
			continue;
		CHECK_EQ(m->type, type);
		CHECK_EQ(m->version, ver);
		CHECK_EQ(m->tid, tid);
		fn(name, kind, m);
		msg_free(m);
		count++;
	}
	free(text);
	return count;
}

/* ---- sessions ---- */

static void client_session(const char *name, const char *kind, struct msg *m)
{
	struct mds_session_msg s;
	struct msg *got;

	(void)kind;
	CHECK_EQ(mds_session_decode(m->front.data, m->front.len, m->version, &s), 0);
	if (s.op == CEPH_SESSION_REQUEST_OPEN) {
		/* ceph-fuse's metadata, given out of order: the encoder sorts */
		static const char *const keys[] = {
			"root", "pid", "mount_point", "hostname", "entity_id",
			"ceph_version", "ceph_sha1",
		};
		static const char *const vals[] = {
			"/", "20820", "/tmp/capmnt", "vm", "admin",
			"ceph version 16.2.15 (618f440892089921c3e944a991122ddc44e60516) pacific (stable)",
			"618f440892089921c3e944a991122ddc44e60516",
		};
		static const uint64_t feat[1] = { 0x7ffff };
		static const uint64_t metric[1] = { 0xffff };
		struct mds_session_open o = {
			.meta_keys = keys, .meta_vals = vals, .num_meta = 7,
			.features = feat, .features_words = 1,
			.metric_spec = metric, .metric_words = 1,
		};
		uint32_t vl;
		const char *v;

		CHECK_EQ(s.num_meta, 7);
		v = mds_session_meta_get(&s, "hostname", &vl);
		CHECK(v && vl == 2 && !memcmp(v, "vm", 2));
		CHECK_EQ(s.features_words, 1);
		CHECK_EQ(s.features[0], 0x7ffff);
		CHECK_EQ(s.metric_words, 1);
		CHECK_EQ(s.metric_spec[0], 0xffff);
		got = mds_msg_session(s.op, s.seq, &o);
	} else {
		got = mds_msg_session(s.op, s.seq, NULL);
	}
	CHECK(got != NULL);
	if (got)
		check_same_msg(name, got, m);
	msg_free(got);
	mds_session_msg_free(&s);
	for (size_t k = 0; k < m->front.len; k++)
		CHECK_EQ(mds_session_decode(m->front.data, k, m->version, &s),
			 -EBADMSG);
}

TEST(session_client_messages_match_capture)
{
	CHECK_EQ(for_each("c", "session-", client_session), 4);
}

static void server_session(const char *name, const char *kind, struct msg *m)
{
	struct mds_session_msg s;

	(void)name;
	CHECK_EQ(mds_session_decode(m->front.data, m->front.len, m->version, &s), 0);
	if (!strcmp(kind, "session-open")) {
		CHECK_EQ(s.op, CEPH_SESSION_OPEN);
		CHECK_EQ(m->version, 5);
		CHECK_EQ(s.num_meta, 0);
		CHECK_EQ(s.features_words, 1);
		CHECK(mds_feature_test(s.features, s.features_words,
				       CEPHFS_FEATURE_32BITS_RETRY_FWD));
		CHECK(mds_feature_test(s.features, s.features_words,
				       CEPHFS_FEATURE_DELEG_INO));
		CHECK(!mds_feature_test(s.features, s.features_words, 19));
		CHECK(!mds_feature_test(s.features, s.features_words, 200));
		CHECK_EQ(s.metric_spec[0], 0xffff);
		CHECK_EQ(s.flags, 0);
	} else if (!strcmp(kind, "session-renewcaps")) {
		CHECK_EQ(s.op, CEPH_SESSION_RENEWCAPS);
		CHECK_EQ(s.seq, 1);
	} else {
		CHECK_EQ(s.op, CEPH_SESSION_CLOSE);
	}
	mds_session_msg_free(&s);
	for (size_t k = 0; k < m->front.len; k++)
		CHECK_EQ(mds_session_decode(m->front.data, k, m->version, &s),
			 -EBADMSG);
	if (m->version >= 4) {
		/* the metric spec's compat byte: 28 head + 4 map + 12 bitset + 1 */
		uint8_t *p = malloc(m->front.len);

		memcpy(p, m->front.data, m->front.len);
		p[28 + 4 + 12 + 1] = 2;
		CHECK_EQ(mds_session_decode(p, m->front.len, m->version, &s),
			 -ENOTSUP);
		free(p);
	}
}

TEST(session_server_messages_decode)
{
	CHECK_EQ(for_each("s", "session-", server_session), 3);
}

TEST(session_metadata_and_reject)
{
	/* a v2 REJECT with an error string in the metadata */
	struct buf b = BUF_INIT;
	struct mds_session_msg s;
	uint32_t vl;
	const char *v;

	buf_put_u32(&b, CEPH_SESSION_REJECT);
	buf_put_zero(&b, 24);
	buf_put_u32(&b, 1);
	buf_put_str(&b, "error_string");
	buf_put_str(&b, "blocklisted");
	CHECK_EQ(mds_session_decode(b.data, b.len, 2, &s), 0);
	CHECK_EQ(s.op, CEPH_SESSION_REJECT);
	v = mds_session_meta_get(&s, "error_string", &vl);
	CHECK(v && vl == 11 && !memcmp(v, "blocklisted", 11));
	CHECK(mds_session_meta_get(&s, "nope", &vl) == NULL);
	mds_session_msg_free(&s);
	/* a huge count fails before allocating */
	buf_patch_u32(&b, 28, 0x7fffffff);
	CHECK_EQ(mds_session_decode(b.data, b.len, 2, &s), -EBADMSG);
	buf_free(&b);
}

/* ---- requests ---- */

static int nreq_kinds[32];

static void client_request(const char *name, const char *kind, struct msg *m)
{
	struct mds_request_msg r;
	struct mds_request_release rel[8];
	uint64_t gids[8];
	uint32_t g32[8];
	char path[256], path2[256], alt[64];
	struct msg *got;

	(void)kind;
	CHECK_EQ(mds_request_decode(m, &r), 0);
	CHECK_EQ(r.head_version, 2);
	CHECK(r.num_releases <= 8 && r.num_gids <= 8);
	CHECK(r.path_len < sizeof(path) && r.path2_len < sizeof(path2) &&
	      r.alternate_name_len < sizeof(alt));
	if (r.num_releases > 8 || r.num_gids > 8 || r.path_len >= sizeof(path) ||
	    r.path2_len >= sizeof(path2) || r.alternate_name_len >= sizeof(alt))
		return;
	/* rebuild the request from the decoded values, strings as C strings */
	memcpy(path, r.path.path, r.path_len);
	path[r.path_len] = '\0';
	memcpy(path2, r.path2.path, r.path2_len);
	path2[r.path2_len] = '\0';
	memcpy(alt, r.alternate_name, r.alternate_name_len);
	alt[r.alternate_name_len] = '\0';
	r.path.path = path;
	r.path2.path = path2;
	r.alternate_name = alt;
	for (uint32_t i = 0; i < r.num_releases; i++)
		CHECK_EQ(mds_request_decoded_release(&r, i, &rel[i]), 0);
	CHECK_EQ(mds_request_decoded_release(&r, r.num_releases, &rel[0]), -EINVAL);
	for (uint32_t i = 0; i < r.num_gids; i++) {
		gids[i] = mds_u64_at(r.gids_raw, i);
		g32[i] = (uint32_t)gids[i];
	}
	r.releases = rel;
	r.gids = g32;
	CHECK(r.args_raw == NULL);	/* encoded from the args fields */
	got = mds_msg_request(&r, mds_feat, 1);
	CHECK(got != NULL);
	if (got)
		check_same_msg(name, got, m);
	msg_free(got);

	/* the same request to an MDS without feature 18: head v1, 8 bytes less */
	got = mds_msg_request(&r, NULL, 0);
	if (got) {
		CHECK_EQ(got->front.len, m->front.len - 8);
		CHECK_EQ(got->front.data[0], 1);
		CHECK_EQ(got->version, 5);
		msg_free(got);
	}

	for (size_t k = 0; k < m->front.len; k++) {
		struct msg *c = cut_front(m, k);

		CHECK_EQ(mds_request_decode(c, &r), -EBADMSG);
		msg_free(c);
	}
	m->compat_version = 2;
	CHECK_EQ(mds_request_decode(m, &r), -ENOTSUP);
	nreq_kinds[0]++;
}

TEST(request_messages_match_capture)
{
	CHECK_EQ(for_each("c", "request-", client_request), 25);
}

/* Requests built by hand from known values, as the MDS client will. */
TEST(request_mkdir_by_hand)
{
	struct msg *want = load_msg("mds-msg-c-003-request-mkdir.bin");
	struct mds_request_msg r;
	struct mds_request_release rel;
	struct msg *got;

	if (!want)
		return;
	CHECK_EQ(mds_request_decode(want, &r), 0);
	CHECK_EQ(r.op, CEPH_MDS_OP_MKDIR);
	CHECK_EQ(r.args.mkdir.mode, 040755);
	CHECK_EQ(r.path.ino, 1);
	CHECK(r.path_len == 6 && !memcmp(r.path.path, "capdir", 6));
	CHECK_EQ(r.num_releases, 1);
	CHECK_EQ(mds_request_decoded_release(&r, 0, &rel), 0);
	CHECK_EQ(rel.ino, 1);

	struct mds_request_msg h = {
		.tid = 2, .oldest_client_tid = r.oldest_client_tid,
		.mdsmap_epoch = r.mdsmap_epoch, .flags = CEPH_MDS_FLAG_WANT_DENTRY,
		.op = CEPH_MDS_OP_MKDIR, .caller_uid = r.caller_uid,
		.caller_gid = r.caller_gid,
		.args.mkdir.mode = 040755,
		.path = { 1, "capdir" },
		.releases = &rel, .num_releases = 1,
		.stamp = r.stamp,
	};
	CHECK_EQ(r.flags, CEPH_MDS_FLAG_WANT_DENTRY);
	rel.dname_len = 0;	/* NUL-terminated from here on */
	char dn[64];
	if (rel.dname) {
		memcpy(dn, rel.dname, 6);
		dn[6] = 0;
		rel.dname = dn;
	}
	got = mds_msg_request(&h, mds_feat, 1);
	if (got)
		check_same_msg("mkdir by hand", got, want);
	msg_free(got);
	msg_free(want);
}

TEST(request_setxattr_data_section)
{
	struct msg *want = load_msg("mds-msg-c-016-request-setxattr.bin");
	struct mds_request_msg r;

	if (!want)
		return;
	CHECK_EQ(mds_request_decode(want, &r), 0);
	CHECK_EQ(r.op, CEPH_MDS_OP_SETXATTR);
	CHECK(r.path2_len == 6 && !memcmp(r.path2.path, "user.k", 6));
	CHECK(r.data_len == 1 && !memcmp(r.data, "v", 1));
	msg_free(want);
}

TEST(request_all_arg_kinds_roundtrip)
{
	static const uint32_t ops[] = {
		CEPH_MDS_OP_LOOKUPINO, CEPH_MDS_OP_MKNOD, CEPH_MDS_OP_SETLAYOUT,
		CEPH_MDS_OP_SETFILELOCK, CEPH_MDS_OP_OPEN, CEPH_MDS_OP_SETATTR,
		CEPH_MDS_OP_READDIR, CEPH_MDS_OP_RMXATTR,
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct mds_request_msg r, d;
		uint32_t gids[2] = { 10, 20 };
		struct mds_request_release rel = {
			.ino = 5, .cap_id = 6, .caps = 7, .dname = "xy",
		};

		memset(&r, 0, sizeof(r));
		r.tid = 99;
		r.op = ops[i];
		r.num_retry = 300;
		r.num_fwd = 2;
		r.gids = gids;
		r.num_gids = 2;
		r.releases = &rel;
		r.num_releases = 1;
		r.alternate_name = "alt";
		memset(&r.args, 0x5a, sizeof(r.args));
		r.args.filelock_change.rule = 1;
		struct msg *m = mds_msg_request(&r, mds_feat, 1);

		CHECK(m != NULL);
		if (!m)
			continue;
		CHECK_EQ(m->front.data[18], 300 & 0xff);	/* legacy u8 retry */
		CHECK_EQ(mds_request_decode(m, &d), 0);
		CHECK_EQ(d.num_retry, 300);
		CHECK_EQ(d.num_fwd, 2);
		CHECK_EQ(d.num_gids, 2);
		CHECK_EQ(mds_u64_at(d.gids_raw, 1), 20);
		CHECK(d.alternate_name_len == 3);
		CHECK(!memcmp(&d.args, &r.args, sizeof(d.args)) ||
		      mds_request_args_kind(ops[i]) != MDS_ARGS_NONE);
		/* re-encode from decoded args: same bytes */
		d.releases = &rel;
		d.gids = gids;
		d.alternate_name = "alt";
		d.path.path = "";
		d.path2.path = "";
		struct msg *m2 = mds_msg_request(&d, mds_feat, 1);

		if (m2)
			check_same_msg("args roundtrip", m2, m);
		/* args_raw is sent verbatim */
		uint8_t raw[MDS_REQUEST_ARGS_LEN];
		memcpy(raw, m->front.data + 42, sizeof(raw));
		d.args_raw = raw;
		memset(&d.args, 0, sizeof(d.args));
		struct msg *m3 = mds_msg_request(&d, mds_feat, 1);

		if (m3)
			check_same_msg("args raw", m3, m);
		msg_free(m);
		msg_free(m2);
		msg_free(m3);
	}
}

/* ---- forward, lease, cap release (not in the capture: from the layouts) ---- */

TEST(forward_decode)
{
	uint8_t p[9] = { 1, 0, 0, 0, 3, 0, 0, 0, 1 };
	int32_t dest, fwd;
	bool resend;

	CHECK_EQ(mds_forward_decode(p, 9, &dest, &fwd, &resend), 0);
	CHECK_EQ(dest, 1);
	CHECK_EQ(fwd, 3);
	CHECK(resend);
	for (size_t k = 0; k < 9; k++)
		CHECK_EQ(mds_forward_decode(p, k, &dest, &fwd, &resend), -EBADMSG);
}

TEST(lease_encode_decode)
{
	uint8_t want[48];
	size_t n = test_hex("04 0100"
			    "0000000000010000 0200000000000000 feffffffffffffff"
			    "07000000 30750000 03000000 616263", want, sizeof(want));
	struct mds_lease_msg l = {
		.action = CEPH_MDS_LEASE_REVOKE_ACK, .mask = 1,
		.ino = 0x10000000000ull, .first = 2, .last = (uint64_t)-2,
		.seq = 7, .duration_ms = 30000, .dname = "abc", .dname_len = 3,
	}, d;
	struct msg *m = mds_msg_lease(&l);

	CHECK(m && m->front.len == n && !memcmp(m->front.data, want, n));
	CHECK_EQ(m->type, CEPH_MSG_CLIENT_LEASE);
	CHECK_EQ(mds_lease_decode(want, n, &d), 0);
	CHECK_EQ(d.action, CEPH_MDS_LEASE_REVOKE_ACK);
	CHECK_EQ(d.ino, 0x10000000000ull);
	CHECK_EQ(d.last, (uint64_t)-2);
	CHECK_EQ(d.duration_ms, 30000);
	CHECK(d.dname_len == 3 && !memcmp(d.dname, "abc", 3));
	for (size_t k = 0; k < n; k++)
		CHECK_EQ(mds_lease_decode(want, k, &d), -EBADMSG);
	msg_free(m);
}

TEST(cap_release_encode)
{
	struct mds_cap_release_item it[2] = {
		{ 0x10000000001ull, 1, 0, 0x14 }, { 0x100000001f6ull, 1, 2, 9 },
	}, o;
	uint8_t want[64];
	size_t n = test_hex("02000000"
			    "0100000000010000 0100000000000000 00000000 14000000"
			    "f601000000010000 0100000000000000 02000000 09000000"
			    "08000000", want, sizeof(want));
	struct msg *m = mds_msg_cap_release(it, 2, 8);
	uint32_t num, barrier;
	const uint8_t *items;

	CHECK(m && m->front.len == n && !memcmp(m->front.data, want, n));
	CHECK_EQ(m->version, 2);
	CHECK_EQ(m->type, CEPH_MSG_CLIENT_CAPRELEASE);
	CHECK_EQ(mds_cap_release_decode(want, n, 2, &num, &items, &barrier), 0);
	CHECK_EQ(num, 2);
	CHECK_EQ(barrier, 8);
	mds_cap_release_item_at(items, 1, &o);
	CHECK_EQ(o.ino, 0x100000001f6ull);
	CHECK_EQ(o.migrate_seq, 2);
	CHECK_EQ(o.seq, 9);
	for (size_t k = 0; k < n; k++)
		CHECK_EQ(mds_cap_release_decode(want, k, 2, &num, &items, &barrier),
			 -EBADMSG);
	msg_free(m);
}

/* ---- caps ---- */

static void client_caps(const char *name, const char *kind, struct msg *m)
{
	struct mds_caps_msg c;
	struct msg *got;

	(void)kind;
	CHECK_EQ(mds_caps_decode(m, &c), 0);
	CHECK_EQ(c.op, CEPH_CAP_OP_UPDATE);
	got = mds_msg_caps(&c);
	CHECK(got != NULL);
	if (got)
		check_same_msg(name, got, m);
	msg_free(got);
	for (size_t k = 0; k < m->front.len; k++) {
		struct msg *t = cut_front(m, k);

		CHECK_EQ(mds_caps_decode(t, &c), -EBADMSG);
		msg_free(t);
	}
	m->compat_version = 2;
	CHECK_EQ(mds_caps_decode(m, &c), -ENOTSUP);
}

TEST(caps_client_messages_match_capture)
{
	CHECK_EQ(for_each("c", "caps-", client_caps), 16);
}

/* A dirty flush by hand: fields from `file`'s first flush (tid 2). */
TEST(caps_flush_by_hand)
{
	struct msg *want = load_msg("mds-msg-c-007-caps-update.bin");
	struct mds_caps_msg c;
	struct msg *got;

	if (!want)
		return;
	memset(&c, 0, sizeof(c));
	c.op = CEPH_CAP_OP_UPDATE;
	c.flush_tid = 2;
	c.ino = 0x100000001f6ull;
	c.cap_id = 1;
	c.seq = 1;
	c.issue_seq = 1;
	c.caps = 0x3fdd;
	c.wanted = 0x36cd;
	c.dirty = 0x1000;		/* Fw */
	c.snap_follows = 1;
	c.mode = 0100644;
	c.nlink = 1;
	c.size = 2097152;
	c.max_size = 8192;
	c.truncate_size = (uint64_t)-1;
	c.truncate_seq = 1;
	/* ceph-fuse leaves the layout zero in what it sends */
	c.caller_uid = (uint32_t)-1;
	c.caller_gid = (uint32_t)-1;
	c.inline_version = CEPH_INLINE_NONE;
	c.osd_epoch_barrier = 8;
	c.oldest_flush_tid = 2;
	c.nfiles = -1;
	c.nsubdirs = -1;
	/* the times are whatever the client's clock said: take them */
	struct mds_caps_msg d;
	CHECK_EQ(mds_caps_decode(want, &d), 0);
	CHECK_EQ(d.layout.stripe_unit, 0);
	CHECK_EQ(d.caller_uid, (uint32_t)-1);
	CHECK_EQ(d.max_size, 8192);
	c.mtime = d.mtime;
	c.atime = d.atime;
	c.ctime = d.ctime;
	c.btime = d.btime;
	c.change_attr = d.change_attr;
	c.time_warp_seq = d.time_warp_seq;
	got = mds_msg_caps(&c);
	if (got)
		check_same_msg("flush by hand", got, want);
	msg_free(got);
	msg_free(want);
}

static int seen_ops[16];

static void server_caps(const char *name, const char *kind, struct msg *m)
{
	struct mds_caps_msg c;

	(void)name;
	(void)kind;
	CHECK_EQ(mds_caps_decode(m, &c), 0);
	if (c.op < 16)
		seen_ops[c.op]++;
	CHECK_EQ(c.version, 11);
	CHECK(c.ino >= 0x10000000000ull);
	CHECK_EQ(c.cap_id, 1);
	if (c.op == CEPH_CAP_OP_FLUSH_ACK) {
		CHECK(c.flush_tid >= 2);
		CHECK(c.dirty != 0);
		CHECK_EQ(c.realm, 0);
	} else {
		CHECK(c.realm == 1 || c.realm == 0x10000000001ull);
		CHECK_EQ(c.osd_epoch_barrier, 8);
	}
	for (size_t k = 0; k < m->front.len; k++) {
		struct msg *t = cut_front(m, k);

		CHECK_EQ(mds_caps_decode(t, &c), -EBADMSG);
		msg_free(t);
	}
}

TEST(caps_server_messages_decode)
{
	struct msg *m;
	struct mds_caps_msg c;

	CHECK_EQ(for_each("s", "caps-", server_caps), 10);
	CHECK_EQ(seen_ops[CEPH_CAP_OP_GRANT], 3);
	CHECK_EQ(seen_ops[CEPH_CAP_OP_REVOKE], 3);
	CHECK_EQ(seen_ops[CEPH_CAP_OP_FLUSH_ACK], 3);
	CHECK_EQ(seen_ops[CEPH_CAP_OP_TRUNC], 1);

	m = load_msg("mds-msg-s-004-caps-revoke.bin");
	if (m && mds_caps_decode(m, &c) == 0) {
		CHECK_EQ(c.op, CEPH_CAP_OP_REVOKE);
		CHECK_EQ(c.ino, 0x10000000000ull);
		CHECK_EQ(c.realm, 1);
		CHECK_EQ(c.seq, 2);
		CHECK_EQ(c.caps, 0x355);
		CHECK_EQ(c.mode, 040755);
		CHECK_EQ(c.nfiles, 0);
	}
	msg_free(m);
	m = load_msg("mds-msg-s-007-caps-grant.bin");
	if (m && mds_caps_decode(m, &c) == 0) {
		CHECK_EQ(c.op, CEPH_CAP_OP_GRANT);
		CHECK_EQ(c.ino, 0x10000000001ull);
		CHECK_EQ(c.caps, 0x3fdd);
		CHECK_EQ(c.wanted, 0x32cd);
		CHECK_EQ(c.max_size, 4194304);
		CHECK_EQ(c.mode, 0100644);
		CHECK_EQ(c.layout.stripe_unit, 4194304);
		CHECK_EQ(c.layout.stripe_count, 1);
		CHECK_EQ(c.layout.object_size, 4194304);
		CHECK_EQ(c.layout.pool, 2);
		CHECK_EQ(c.inline_version, CEPH_INLINE_NONE);
		CHECK_EQ(c.nfiles, 0);
	}
	msg_free(m);
	m = load_msg("mds-msg-s-011-caps-flush_ack.bin");
	if (m && mds_caps_decode(m, &c) == 0) {
		CHECK_EQ(c.op, CEPH_CAP_OP_FLUSH_ACK);
		CHECK_EQ(c.flush_tid, 2);
		CHECK_EQ(c.ino, 0x100000001f6ull);
		CHECK_EQ(c.seq, 1);
		CHECK_EQ(c.dirty, 0x1000);
	}
	msg_free(m);
	m = load_msg("mds-msg-s-043-caps-trunc.bin");
	if (m && mds_caps_decode(m, &c) == 0) {
		CHECK_EQ(c.op, CEPH_CAP_OP_TRUNC);
		CHECK_EQ(c.size, 3);
		CHECK_EQ(c.truncate_size, 3);
		CHECK_EQ(c.truncate_seq, 2);
		CHECK_EQ(c.seq, 15);
	}
	msg_free(m);
}

/* IMPORT and EXPORT (not in the capture): the peer's two places. */
TEST(caps_import_export_roundtrip)
{
	static const uint8_t xattrs[] = { 1, 0, 0, 0, 1, 0, 0, 0, 'k', 1, 0, 0, 0, 'v' };
	static const uint8_t flock[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	for (uint32_t op = CEPH_CAP_OP_EXPORT; op <= CEPH_CAP_OP_IMPORT; op++) {
		struct mds_caps_msg c = {
			.op = op, .ino = 0x10000000005ull, .cap_id = 9, .seq = 3,
			.size = 77, .layout = { 4096, 1, 4096, -1 },
			.peer = { 11, 4, 5, 1, CEPH_CAP_FLAG_AUTH },
			.xattrs = xattrs, .xattrs_len = sizeof(xattrs),
			.xattr_version = 3, .flock = flock, .flock_len = 8,
			.pool_ns = "ns", .pool_ns_len = 2,
			.inline_version = CEPH_INLINE_NONE, .nfiles = 1,
			.nsubdirs = 2, .flags = CEPH_CLIENT_CAPS_SYNC,
		}, d;
		struct msg *m = mds_msg_caps(&c);

		CHECK(m != NULL);
		if (!m)
			continue;
		CHECK_EQ(m->front.len, 92 + 84 + 8 + 76 + 2 +
				       (op == CEPH_CAP_OP_IMPORT ? 21 : 0));
		CHECK_EQ(m->middle.len, sizeof(xattrs));
		CHECK_EQ(mds_caps_decode(m, &d), 0);
		CHECK_EQ(d.peer.cap_id, 11);
		CHECK_EQ(d.peer.mds, 1);
		CHECK_EQ(d.peer.flags, CEPH_CAP_FLAG_AUTH);
		CHECK_EQ(d.size, op == CEPH_CAP_OP_EXPORT ? 0 : 77);
		CHECK_EQ(d.layout.pool, op == CEPH_CAP_OP_EXPORT ? 0 : -1);
		CHECK(d.xattrs_len == sizeof(xattrs) &&
		      !memcmp(d.xattrs, xattrs, sizeof(xattrs)));
		CHECK(d.pool_ns_len == 2 && !memcmp(d.pool_ns, "ns", 2));
		CHECK_EQ(d.flock_len, 8);
		CHECK_EQ(d.flags, CEPH_CLIENT_CAPS_SYNC);
		/* middle shorter than the head says */
		m->middle.len--;
		CHECK_EQ(mds_caps_decode(m, &d), -EBADMSG);
		m->middle.len++;
		/* an older version stops early and is still fine */
		m->version = 4;
		CHECK_EQ(mds_caps_decode(m, &d), 0);
		CHECK_EQ(d.nfiles, -1);
		CHECK_EQ(d.peer.cap_id, 11);
		msg_free(m);
	}
}

/* ---- snap ---- */

TEST(snap_split_decode)
{
	struct msg *m = load_msg("mds-msg-s-037-snap-split.bin");
	struct mds_snap_msg s;

	if (!m)
		return;
	CHECK_EQ(mds_snap_decode(m->front.data, m->front.len, &s), 0);
	CHECK_EQ(s.op, CEPH_SNAP_OP_SPLIT);
	CHECK_EQ(s.split, 0x10000000001ull);
	CHECK_EQ(s.num_split_inos, 1);
	CHECK_EQ(mds_snap_split_ino(&s, 0), 0x10000000001ull);
	CHECK_EQ(mds_snap_split_ino(&s, 1), 0);
	CHECK_EQ(s.num_split_realms, 0);
	CHECK_EQ(s.trace_len, 96);
	/* two SnapRealmInfo heads (48 bytes each, no snaps): the hard-linked
	 * file's new realm, whose parent is the global snaprealm (ino 3),
	 * then that realm */
	CHECK_EQ(mds_u64_at(s.trace, 0), 0x10000000001ull);	/* ino */
	CHECK_EQ(mds_u64_at(s.trace, 2), 3);			/* parent */
	CHECK_EQ(mds_u64_at(s.trace, 6), 3);			/* ino */
	for (size_t k = 0; k < m->front.len; k++)
		CHECK_EQ(mds_snap_decode(m->front.data, k, &s), -EBADMSG);
	msg_free(m);
}

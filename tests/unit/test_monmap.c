/* MonMap and MMonMap decoding against maps from 16.2.15 clusters (checked
 * against `ceph mon dump -f json` / `monmaptool --print`), hand-built older
 * encodings, truncations and corruptions. */
#include "test.h"

#include <stdlib.h>

#include "encoding/buf.h"
#include "encoding/entity.h"
#include "mon/monmap.h"

static const uint8_t fsid_1mon[16] = {
	0x88, 0xea, 0x9e, 0x8e, 0xd8, 0xad, 0x4a, 0x2c,
	0x97, 0xec, 0x59, 0xd5, 0x1d, 0x5e, 0x74, 0x8f,
};
static const uint8_t fsid_3mon[16] = {
	0x84, 0x06, 0x9d, 0xd6, 0x67, 0x1d, 0x4e, 0x75,
	0x83, 0xfe, 0x09, 0x25, 0x1a, 0x97, 0x28, 0x9e,
};

/* tests/data/wire-cluster-mon-dump.json */
TEST(mmonmap_one_mon_from_siphon_messenger)
{
	struct monmap *m;
	size_t n;
	uint8_t *p = test_read_data("wire-mmonmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mmonmap_decode(p, n, &m), 0);
	if (m) {
		CHECK(!memcmp(m->fsid, fsid_1mon, 16));
		CHECK_EQ(m->epoch, 1);
		CHECK_EQ(m->struct_v, 9);
		CHECK_EQ(m->num_mons, 1);
		CHECK_STR(m->mons[0].name, "a");
		CHECK_EQ(m->mons[0].addrs.n, 2);
		CHECK(test_addr_is(&m->mons[0].addrs, 0,
				   "v2:127.0.0.1:17300/0"));
		CHECK(test_addr_is(&m->mons[0].addrs, 1,
				   "v1:127.0.0.1:17301/0"));
		CHECK_EQ(m->mons[0].priority, 0);
		CHECK_EQ(m->mons[0].weight, 0);
		CHECK_EQ(m->min_mon_release, 16);
		CHECK_EQ(m->persistent_features, 0xff);
		CHECK_EQ(m->optional_features, 0);
		CHECK_EQ(m->election_strategy, 1);
		CHECK_EQ(m->stretch_mode, 0);
		CHECK_EQ(m->created.sec, 1795509556u);	/* 08:39:16.176004Z */
		CHECK_EQ(m->created.nsec / 1000, 176004);
		CHECK_EQ(m->last_changed.sec, m->created.sec);
		CHECK_EQ(monmap_rank_by_name(m, "a"), 0);
		CHECK_EQ(monmap_rank_by_name(m, "b"), -ENOENT);
	}
	monmap_free(m);
	free(p);
}

static void check_3mons(const struct monmap *m)
{
	static const char *names[] = { "a", "b", "c" };
	char v2[40], v1[40];

	CHECK(!memcmp(m->fsid, fsid_3mon, 16));
	CHECK_EQ(m->epoch, 1);
	CHECK_EQ(m->num_mons, 3);
	CHECK_EQ(m->min_mon_release, 16);
	CHECK_EQ(m->created.sec, 1795509868u);	/* 08:44:28.281522Z */
	CHECK_EQ(m->created.nsec / 1000, 281522);
	for (int i = 0; i < 3 && i < (int)m->num_mons; i++) {
		snprintf(v2, sizeof(v2), "v2:127.0.0.1:%d/0", 18610 + 2 * i);
		snprintf(v1, sizeof(v1), "v1:127.0.0.1:%d/0", 18611 + 2 * i);
		CHECK_STR(m->mons[i].name, names[i]);
		CHECK(test_addr_is(monmap_mon_addrs(m, i), 0, v2));
		CHECK(test_addr_is(monmap_mon_addrs(m, i), 1, v1));
	}
}

/* tests/data/mon-3mons-mon-dump.json; the front is what ceph-fuse got */
TEST(monmap_three_mons)
{
	struct monmap *m;
	size_t n, fn;
	uint8_t *p = test_read_data("mon-3mons-monmap.bin", &n);
	uint8_t *f = test_read_data("mon-3mons-mmonmap-front.bin", &fn);

	if (!p || !f)
		goto out;
	CHECK_EQ(monmap_decode(p, n, &m), 0);
	if (m)
		check_3mons(m);
	monmap_free(m);
	CHECK_EQ(mmonmap_decode(f, fn, &m), 0);
	if (m)
		check_3mons(m);
	monmap_free(m);
out:
	free(p);
	free(f);
}

/* The MMonMap ceph-fuse received in shared/captures/ceph-fuse-msgr1.pcap:
 * one monitor on port 3501, messenger v1 only. */
TEST(mmonmap_from_ceph_fuse_capture)
{
	struct monmap *m;
	size_t n;
	uint8_t *p = test_read_data("msgr1-mmonmap.bin", &n);

	if (!p)
		return;
	/* tag, 53-byte header, 170-byte front, footer */
	CHECK_EQ(n, 1 + 53 + 170 + 21);
	CHECK_EQ(mmonmap_decode(p + 54, 170, &m), 0);
	if (m) {
		CHECK_EQ(m->num_mons, 1);
		CHECK_STR(m->mons[0].name, "a");
		CHECK_EQ(m->mons[0].addrs.n, 1);
		CHECK(test_addr_is(&m->mons[0].addrs, 0,
				   "v1:127.0.0.1:3501/0"));
	}
	monmap_free(m);
	free(p);
}

typedef int (*decode_fn)(const uint8_t *p, size_t n, struct monmap **out);

/* A proper prefix fails and leaves no map behind. */
static int monmap_prefix(void *arg, const uint8_t *cut, size_t len)
{
	decode_fn *fn = arg;
	struct monmap *m;
	int bad = (*fn)(cut, len, &m) >= 0 || m;

	monmap_free(m);
	return bad;
}

/* Every proper prefix of the file from byte `skip` on fails. */
static void check_truncations(const char *file, size_t skip, decode_fn fn)
{
	size_t n;
	uint8_t *p = test_read_data(file, &n);

	if (!p)
		return;
	CHECK_EQ(test_check_truncations(p + skip, n - skip, monmap_prefix,
					&fn), 0);
	free(p);
}

TEST(monmap_every_truncation_fails)
{
	check_truncations("mon-3mons-monmap.bin", 0, monmap_decode);
	check_truncations("wire-mmonmap-front.bin", 4, monmap_decode);
	check_truncations("mon-3mons-mmonmap-front.bin", 0, mmonmap_decode);
	check_truncations("wire-mmonmap-front.bin", 0, mmonmap_decode);
}

/* Every single-byte change decodes or fails cleanly (ASan/UBSan judge). */
TEST(monmap_byte_flips)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct monmap *m;
	size_t n;
	uint8_t *p = test_read_data("mon-3mons-monmap.bin", &n), *c;

	if (!p)
		return;
	c = malloc(n);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			memcpy(c, p, n);
			c[i] = vals[k];
			if (monmap_decode(c, n, &m) == 0)
				CHECK(m && m->num_mons <= MONMAP_MAX_MONS);
			monmap_free(m);
		}
	}
	free(c);
	free(p);
}

/* Offsets into mon-3mons-monmap.bin (v9): envelope 6, fsid 16, epoch 4,
 * two times 16, two mon_feature_t 28: the mon_info map count is at 70. */
#define MON3_COUNT_OFF 70

TEST(monmap_corrupt)
{
	struct monmap *m;
	size_t n;
	uint8_t *p = test_read_data("mon-3mons-monmap.bin", &n), *c;

	if (!p)
		return;
	c = malloc(n);
	CHECK_EQ(p[MON3_COUNT_OFF], 3);
	/* a compat version from the future */
	memcpy(c, p, n);
	c[1] = 10;
	CHECK_EQ(monmap_decode(c, n, &m), -ENOTSUP);
	CHECK(m == NULL);
	/* a hostile monitor count */
	memcpy(c, p, n);
	c[MON3_COUNT_OFF + 3] = 0x7f;
	CHECK_EQ(monmap_decode(c, n, &m), -EBADMSG);
	/* fewer monitors than ranks */
	memcpy(c, p, n);
	c[MON3_COUNT_OFF] = 2;
	CHECK_EQ(monmap_decode(c, n, &m), -EBADMSG);
	/* an envelope length past the end */
	memcpy(c, p, n);
	c[2] = (uint8_t)(c[2] + 1);
	CHECK_EQ(monmap_decode(c, n, &m), -EBADMSG);
	/* a rank naming a monitor that is not in the map */
	memcpy(c, p, n);
	for (size_t i = n - 40; i + 5 < n; i++) {
		if (!memcmp(c + i, "\x01\x00\x00\x00" "c", 5)) {
			c[i + 4] = 'z';
			break;
		}
	}
	CHECK_EQ(monmap_decode(c, n, &m), -EBADMSG);
	CHECK(m == NULL);
	free(c);
	free(p);
}

/* Older encodings, built by hand after MonMap::encode. */
static void put_legacy_addr(struct buf *b, const char *s)
{
	struct entity_addr a;

	entity_addr_parse(s, &a);
	entity_addr_encode_legacy(b, &a);
}

static void put_mon_features(struct buf *b, uint64_t f)
{
	size_t st = buf_struct_begin(b, 1, 1);

	buf_put_u64(b, f);
	buf_struct_end(b, st);
}

static void put_head(struct buf *b, uint16_t v)
{
	uint8_t fsid[16] = { 1 };

	buf_put_u16(b, v);
	buf_put(b, fsid, 16);
	buf_put_u32(b, 7);
}

static void put_times(struct buf *b)
{
	buf_put_time(b, (struct sp_time){ 1000, 0 });
	buf_put_time(b, (struct sp_time){ 2000, 0 });
}

/* map<string, entity_addr_t> with "b" on the lower port */
static void put_addr_map(struct buf *b)
{
	buf_put_u32(b, 2);
	buf_put_str(b, "a");
	put_legacy_addr(b, "10.0.0.1:6790");
	buf_put_str(b, "b");
	put_legacy_addr(b, "10.0.0.1:6789");
}

static void check_legacy_ranks(struct buf *b, uint8_t v)
{
	struct monmap *m;

	CHECK_EQ(buf_error(b), 0);
	CHECK_EQ(monmap_decode(b->data, b->len, &m), 0);
	if (!m)
		return;
	CHECK_EQ(m->struct_v, v);
	CHECK_EQ(m->epoch, 7);
	CHECK_EQ(m->num_mons, 2);
	if (m->num_mons == 2) {
		/* ranks are sorted by address: b (6789) before a (6790) */
		CHECK_STR(m->mons[0].name, "b");
		CHECK_STR(m->mons[1].name, "a");
		CHECK(test_addr_is(&m->mons[0].addrs, 0,
				   "v1:10.0.0.1:6789/0"));
		CHECK(test_addr_is(&m->mons[1].addrs, 0,
				   "v1:10.0.0.1:6790/0"));
	}
	CHECK_EQ(m->created.sec, 2000);
	monmap_free(m);
}

TEST(monmap_v2_bare_u16_version)
{
	struct buf b = BUF_INIT;

	put_head(&b, 2);
	put_addr_map(&b);
	put_times(&b);
	check_legacy_ranks(&b, 2);
	buf_free(&b);
}

TEST(monmap_v1_mon_insts)
{
	struct buf b = BUF_INIT;
	struct monmap *m;

	put_head(&b, 1);
	buf_put_u32(&b, 2);
	for (int i = 0; i < 2; i++) {
		buf_put_u8(&b, CEPH_ENTITY_TYPE_MON);
		buf_put_u64(&b, (uint64_t)i);
		put_legacy_addr(&b, i ? "10.0.0.2:6789" : "10.0.0.3:6789");
	}
	put_times(&b);
	CHECK_EQ(monmap_decode(b.data, b.len, &m), 0);
	CHECK(m && m->num_mons == 2);
	if (m && m->num_mons == 2) {
		/* names by position; ranks by address */
		CHECK_STR(m->mons[0].name, "1");
		CHECK_STR(m->mons[1].name, "0");
		CHECK_EQ(m->min_mon_release, 0);
	}
	monmap_free(m);
	buf_free(&b);
}

static void put_mon_info_v2(struct buf *b, const char *name,
			    const char *addr, uint16_t prio)
{
	size_t st;

	buf_put_str(b, name);
	st = buf_struct_begin(b, 2, 1);
	buf_put_str(b, name);
	put_legacy_addr(b, addr);
	buf_put_u16(b, prio);
	buf_struct_end(b, st);
}

/* v5: what a pre-Nautilus peer gets (legacy map + mon_info v2) */
TEST(monmap_v5_pre_nautilus)
{
	struct buf b = BUF_INIT;
	uint8_t fsid[16] = { 1 };
	struct monmap *m;
	size_t st;

	st = buf_struct_begin(&b, 5, 3);
	buf_put(&b, fsid, 16);
	buf_put_u32(&b, 7);
	put_addr_map(&b);
	put_times(&b);
	put_mon_features(&b, 0x3f);	/* up to octopus */
	put_mon_features(&b, 0);
	buf_put_u32(&b, 2);
	put_mon_info_v2(&b, "a", "10.0.0.1:6790", 5);
	put_mon_info_v2(&b, "b", "10.0.0.1:6789", 0);
	buf_struct_end(&b, st);
	check_legacy_ranks(&b, 5);
	CHECK_EQ(monmap_decode(b.data, b.len, &m), 0);
	if (m && m->num_mons == 2) {
		CHECK_EQ(m->min_mon_release, 15);	/* inferred */
		CHECK_EQ(m->mons[1].priority, 5);
		CHECK_EQ(m->persistent_features, 0x3f);
	}
	monmap_free(m);
	buf_free(&b);
}

TEST(monmap_duplicate_names_refused)
{
	struct buf b = BUF_INIT;
	struct monmap *m;

	put_head(&b, 2);
	buf_put_u32(&b, 2);
	buf_put_str(&b, "a");
	put_legacy_addr(&b, "10.0.0.1:6790");
	buf_put_str(&b, "a");
	put_legacy_addr(&b, "10.0.0.1:6789");
	put_times(&b);
	CHECK_EQ(monmap_decode(b.data, b.len, &m), -EBADMSG);
	CHECK(m == NULL);
	buf_free(&b);
}

/* FSMap, MDSMap, FSMapUser and their message fronts, decoded from what
 * 16.2.15 clusters sent or stored and checked against `ceph fs dump -f
 * json` of the same epoch; truncations, corruptions, state names. */
#include "test.h"

#include <stdlib.h>

#include "encoding/buf.h"
#include "encoding/entity.h"
#include "mds/fsmap.h"
#include "mds/mdsmap.h"

#define FEATURES_16_2_15 4540138314316775423ULL	/* as fs dump prints */
#define INCOMPAT_DEFAULT 0x77eULL	/* 1-6, 8-10 */
#define INCOMPAT_ALL	 0x7feULL	/* 1-10 */

static void check_info(const struct mds_info *i, uint64_t gid,
		       const char *name, int32_t rank, int32_t inc,
		       int32_t state, uint64_t seq, unsigned port,
		       uint32_t nonce)
{
	char v2[64], v1[64];

	if (!i) {
		CHECK(i != NULL);
		return;
	}
	snprintf(v2, sizeof(v2), "v2:127.0.0.1:%u/%u", port, nonce);
	snprintf(v1, sizeof(v1), "v1:127.0.0.1:%u/%u", port + 1, nonce);
	CHECK_EQ(i->gid, gid);
	CHECK_STR(i->name, name);
	CHECK_EQ(i->rank, rank);
	CHECK_EQ(i->inc, inc);
	CHECK_EQ(i->state, state);
	CHECK_EQ(i->state_seq, seq);
	CHECK_EQ(i->addrs.n, 2);
	CHECK(test_addr_is(&i->addrs, 0, v2));
	CHECK(test_addr_is(&i->addrs, 1, v1));
	CHECK_EQ(i->join_fscid, -1);
	CHECK_EQ(i->num_export_targets, 0);
	CHECK_EQ(i->features, FEATURES_16_2_15);
	CHECK_EQ(i->flags, 0);
	CHECK_EQ(i->laggy_since.sec, 0);
	CHECK_EQ(i->compat.incompat, INCOMPAT_ALL);
}

/* The single file system of tests/data/wire-cluster-fs-dump.json */
static void check_wire_mdsmap(const struct mdsmap *m)
{
	CHECK_EQ(m->struct_v, 5);
	CHECK_EQ(m->ev, 16);
	CHECK_EQ(m->epoch, 4);
	CHECK_EQ(m->flags, 18);
	CHECK_STR(m->fs_name, "cephfs");
	CHECK(m->enabled);
	CHECK_EQ(m->max_mds, 1);
	CHECK_EQ(m->root, 0);
	CHECK_EQ(m->tableserver, 0);
	CHECK_EQ(m->session_timeout, 60);
	CHECK_EQ(m->session_autoclose, 300);
	CHECK_EQ(m->max_file_size, 1099511627776ULL);
	CHECK_EQ(m->last_failure, 0);
	CHECK_EQ(m->last_failure_osd_epoch, 0);
	CHECK_EQ(m->num_data_pools, 1);
	CHECK_EQ(m->num_data_pools ? m->data_pools[0] : -1, 2);
	CHECK_EQ(m->metadata_pool, 1);
	CHECK_EQ(m->standby_count_wanted, 1);
	CHECK_STR(m->balancer, "");
	CHECK_EQ(m->created.sec, 1795509560u);	/* 08:39:20.463961 */
	CHECK_EQ(m->created.nsec / 1000, 463961);
	CHECK_EQ(m->compat.incompat, INCOMPAT_ALL);
	CHECK_EQ(m->compat.compat, 0);
	CHECK_EQ(m->compat.ro_compat, 0);
	CHECK_EQ(m->num_in, 1);
	CHECK_EQ(m->num_up, 1);
	CHECK_EQ(m->num_failed + m->num_stopped + m->num_damaged, 0);
	CHECK_EQ(m->num_up ? m->up_gid[0] : 0, 4111);
	CHECK_EQ(m->num_infos, 1);
	CHECK_EQ(m->num_required_words, 0);
	check_info(mdsmap_rank_info(m, 0), 4111, "b", 0, 3,
		   CEPH_MDS_STATE_ACTIVE, 2, 6834, 1285761641);
	CHECK_EQ(mdsmap_rank_state(m, 0), CEPH_MDS_STATE_ACTIVE);
	CHECK_EQ(mdsmap_rank_state(m, 1), CEPH_MDS_STATE_NULL);
	CHECK(mdsmap_rank_info(m, 1) == NULL);
	CHECK(mdsmap_is_up(m, 0));
	CHECK(!mdsmap_is_failed(m, 0));
	CHECK_EQ(mdsmap_count_state(m, CEPH_MDS_STATE_ACTIVE), 1);
	CHECK_EQ(mdsmap_availability(m), MDSMAP_AVAILABLE);
}

TEST(mfsmap_one_fs_from_siphon_messenger)
{
	struct fsmap *m;
	size_t n;
	uint8_t *p = test_read_data("wire-mfsmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mfsmap_decode(p, n, &m), 0);
	if (m) {
		CHECK_EQ(m->struct_v, 7);
		CHECK_EQ(m->epoch, 5);
		CHECK_EQ(m->legacy_client_fscid, 1);
		CHECK_EQ(m->next_filesystem_id, 2);
		CHECK(m->enable_multiple);
		CHECK(m->ever_enabled_multiple);
		CHECK_EQ(m->compat.incompat, INCOMPAT_DEFAULT);
		CHECK_EQ(m->num_fs, 1);
		CHECK_EQ(m->num_standbys, 1);
		if (m->num_standbys) {
			check_info(&m->standbys[0], 4109, "a", -1, 0,
				   CEPH_MDS_STATE_STANDBY, 1, 6832, 980817823);
			CHECK_EQ(m->standby_epochs[0], 3);
		}
		CHECK(fsmap_fs_by_name(m, "cephfs") == fsmap_fs_by_id(m, 1));
		CHECK(fsmap_fs_by_name(m, "nope") == NULL);
		if (m->num_fs) {
			CHECK_EQ(m->fs[0].fscid, 1);
			check_wire_mdsmap(m->fs[0].map);
		}
	}
	fsmap_free(m);
	free(p);
}

TEST(mmdsmap_from_siphon_messenger)
{
	static const uint8_t fsid[16] = {
		0x88, 0xea, 0x9e, 0x8e, 0xd8, 0xad, 0x4a, 0x2c,
		0x97, 0xec, 0x59, 0xd5, 0x1d, 0x5e, 0x74, 0x8f,
	};
	struct mmdsmap mm;
	size_t n;
	uint8_t *p = test_read_data("wire-mmdsmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mmdsmap_decode(p, n, &mm), 0);
	CHECK(!memcmp(mm.fsid, fsid, 16));
	CHECK_EQ(mm.epoch, 4);
	CHECK(mm.map_fs_name != NULL);
	if (mm.map)
		check_wire_mdsmap(mm.map);
	mmdsmap_clear(&mm);
	free(p);
}

/* The MMDSMap ceph-fuse got in shared/captures/ceph-fuse-msgr1.pcap:
 * active MDS on 6841, messenger v1 only. */
TEST(mmdsmap_from_ceph_fuse_capture)
{
	const struct mds_info *i;
	struct mmdsmap mm;
	size_t n;
	uint8_t *p = test_read_data("mds-msgr1-mmdsmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mmdsmap_decode(p, n, &mm), 0);
	if (mm.map) {
		CHECK_EQ(mm.map->epoch, mm.epoch);
		CHECK_STR(mm.map->fs_name, "cephfs");
		i = mdsmap_rank_info(mm.map, 0);
		CHECK(i != NULL);
		if (i) {
			CHECK_EQ(i->state, CEPH_MDS_STATE_ACTIVE);
			CHECK_EQ(i->addrs.n, 1);
			CHECK_EQ(i->addrs.v[0].type, CEPH_ENTITY_ADDR_TYPE_LEGACY);
			CHECK_EQ(entity_addr_port(&i->addrs.v[0]), 6841);
		}
	}
	mmdsmap_clear(&mm);
	free(p);
}

TEST(mfsmapuser_from_siphon_messenger)
{
	struct fsmap_user *u;
	int32_t id = 0;
	size_t n;
	uint8_t *p = test_read_data("wire-mfsmapuser-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mfsmapuser_decode(p, n, &u), 0);
	if (u) {
		CHECK_EQ(u->epoch, 5);
		CHECK_EQ(u->legacy_client_fscid, 1);
		CHECK_EQ(u->num_fs, 1);
		CHECK_EQ(fsmap_user_fscid(u, "cephfs", &id), 0);
		CHECK_EQ(id, 1);
		CHECK_EQ(fsmap_user_fscid(u, "x", &id), -ENOENT);
	}
	fsmap_user_free(u);
	free(p);
}

/* tests/data/fsmap-multifs-fs-dump.json: two file systems, two active ranks
 * with standby-replay followers, a standby, required client features. */
TEST(fsmap_two_filesystems_from_mon_store)
{
	const struct mdsmap *a, *b;
	struct fsmap *m;
	size_t n;
	uint8_t *p = test_read_data("fsmap-multifs.bin", &n);

	if (!p)
		return;
	CHECK_EQ(fsmap_decode(p, n, &m), 0);
	if (!m || m->num_fs != 2)
		goto out;
	CHECK_EQ(m->epoch, 17);
	CHECK_EQ(m->legacy_client_fscid, 1);
	CHECK_EQ(m->next_filesystem_id, 3);
	CHECK(m->enable_multiple && m->ever_enabled_multiple);
	CHECK_EQ(m->compat.incompat, INCOMPAT_DEFAULT);
	a = fsmap_fs_by_name(m, "cephfs")->map;
	b = fsmap_fs_by_id(m, 2)->map;
	CHECK_STR(b->fs_name, "second");

	CHECK_EQ(a->epoch, 12);
	CHECK_EQ(a->flags, 50);
	CHECK(a->flags & CEPH_MDSMAP_ALLOW_STANDBY_REPLAY);
	CHECK_EQ(a->max_mds, 2);
	CHECK_EQ(a->num_in, 2);
	CHECK_EQ(a->num_data_pools, 2);
	CHECK_EQ(a->data_pools[0], 2);
	CHECK_EQ(a->data_pools[1], 3);
	CHECK_EQ(a->metadata_pool, 1);
	CHECK_EQ(a->num_infos, 4);
	check_info(mdsmap_rank_info(a, 0), 4187, "e", 0, 7,
		   CEPH_MDS_STATE_ACTIVE, 2, 18638, 421105455);
	check_info(mdsmap_rank_info(a, 1), 4179, "b", 1, 10,
		   CEPH_MDS_STATE_ACTIVE, 4, 18632, 1960210021);
	check_info(mdsmap_info_by_gid(a, 4172), 4172, "a", 0, 0,
		   CEPH_MDS_STATE_STANDBY_REPLAY, 1, 18630, 3712045354u);
	check_info(mdsmap_info_by_gid(a, 4168), 4168, "c", 1, 0,
		   CEPH_MDS_STATE_STANDBY_REPLAY, 1, 18634, 1097141936);
	CHECK_EQ(mdsmap_count_state(a, CEPH_MDS_STATE_STANDBY_REPLAY), 2);
	CHECK_EQ(mdsmap_count_state(a, CEPH_MDS_STATE_ACTIVE), 2);
	CHECK_EQ(a->num_required_words, 0);
	CHECK_EQ(a->session_timeout, 60);

	CHECK_EQ(b->epoch, 16);
	CHECK_EQ(b->flags, 18);
	CHECK_EQ(b->session_timeout, 45);
	CHECK_EQ(b->session_autoclose, 300);
	CHECK_EQ(b->max_file_size, 2199023255552ULL);
	CHECK(mdsmap_requires_feature(b, 9));	/* reply_encoding */
	CHECK(mdsmap_requires_feature(b, 14));	/* metric_collect */
	CHECK(!mdsmap_requires_feature(b, 10));
	CHECK(!mdsmap_requires_feature(b, 1000));
	CHECK_EQ(b->num_data_pools, 1);
	CHECK_EQ(b->data_pools[0], 6);
	CHECK_EQ(b->metadata_pool, 5);
	CHECK_EQ(b->created.sec, 1795509886u);	/* 08:44:46.582235 */
	CHECK_EQ(b->created.nsec / 1000, 582235);
	check_info(mdsmap_rank_info(b, 0), 4181, "d", 0, 7,
		   CEPH_MDS_STATE_ACTIVE, 2, 18636, 4158362105u);

	CHECK_EQ(m->num_standbys, 1);
	check_info(&m->standbys[0], 4230, "f", -1, 0,
		   CEPH_MDS_STATE_STANDBY, 1, 18640, 288247379);
	CHECK_EQ(m->standby_epochs[0], 17);
out:
	fsmap_free(m);
	free(p);
}

typedef int (*decode_fn)(const uint8_t *p, size_t n);

static int try_fsmap(const uint8_t *p, size_t n)
{
	struct fsmap *m;
	int r = fsmap_decode(p, n, &m);

	if (r && m)
		r = 0;	/* an error must leave nothing behind */
	fsmap_free(m);
	return r;
}

static int try_mfsmap(const uint8_t *p, size_t n)
{
	struct fsmap *m;
	int r = mfsmap_decode(p, n, &m);

	if (r && m)
		r = 0;
	fsmap_free(m);
	return r;
}

static int try_mmdsmap(const uint8_t *p, size_t n)
{
	struct mmdsmap mm;
	int r = mmdsmap_decode(p, n, &mm);

	if (r && mm.map)
		r = 0;
	mmdsmap_clear(&mm);
	return r;
}

static int try_mfsmapuser(const uint8_t *p, size_t n)
{
	struct fsmap_user *u;
	int r = mfsmapuser_decode(p, n, &u);

	if (r && u)
		r = 0;
	fsmap_user_free(u);
	return r;
}

struct truncation {
	decode_fn fn;
	size_t ok_len;
};

/* A proper prefix fails, except `ok_len`, where an MMDSMap front without
 * its trailing map_fs_name is a valid v1 message. */
static int truncated_prefix(void *arg, const uint8_t *cut, size_t len)
{
	const struct truncation *t = arg;
	int r = t->fn(cut, len);

	return len == t->ok_len ? r != 0 : r >= 0;
}

/* The whole file decodes; every proper prefix (in exact-size copies, so
 * ASan sees any read past the end) fails but for ok_len. */
static void check_truncations(const char *file, decode_fn fn, size_t ok_len)
{
	struct truncation t = { fn, ok_len };
	size_t n;
	uint8_t *p = test_read_data(file, &n);

	if (!p)
		return;
	CHECK_EQ(fn(p, n), 0);
	CHECK_EQ(test_check_truncations(p, n, truncated_prefix, &t), 0);
	free(p);
}

TEST(every_truncation_fails)
{
	check_truncations("fsmap-multifs.bin", try_fsmap, SIZE_MAX);
	check_truncations("wire-mfsmap-front.bin", try_mfsmap, SIZE_MAX);
	check_truncations("wire-mfsmapuser-front.bin", try_mfsmapuser,
			  SIZE_MAX);
	/* fsid, epoch, map, then the name: 4 + 6 bytes of "cephfs" */
	check_truncations("mds-msgr1-mmdsmap-front.bin", try_mmdsmap,
			  1057 - 10);
	check_truncations("wire-mmdsmap-front.bin", try_mmdsmap, 1092 - 10);
}

TEST(mmdsmap_without_fs_name_is_v1)
{
	struct mmdsmap mm;
	size_t n;
	uint8_t *p = test_read_data("wire-mmdsmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mmdsmap_decode(p, n - 10, &mm), 0);
	CHECK(mm.map_fs_name == NULL);
	CHECK(mm.map != NULL);
	mmdsmap_clear(&mm);
	free(p);
}

static void byte_flips(const char *file, decode_fn fn)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t n;
	uint8_t *p = test_read_data(file, &n), *c;

	if (!p)
		return;
	c = malloc(n);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			memcpy(c, p, n);
			c[i] = vals[k];
			fn(c, n);	/* decodes or fails; sanitizers judge */
		}
	}
	free(c);
	free(p);
}

TEST(byte_flips_decode_or_fail_cleanly)
{
	byte_flips("fsmap-multifs.bin", try_fsmap);
	byte_flips("wire-mmdsmap-front.bin", try_mmdsmap);
	byte_flips("wire-mfsmapuser-front.bin", try_mfsmapuser);
}

TEST(fsmap_corrupt)
{
	size_t n;
	uint8_t *p = test_read_data("fsmap-multifs.bin", &n), *c;

	if (!p)
		return;
	c = malloc(n);
	/* FSMap compat from the future */
	memcpy(c, p, n);
	c[1] = 8;
	CHECK_EQ(try_fsmap(c, n), -ENOTSUP);
	/* an FSMap version before 6 (a legacy MDSMap in the mon store) */
	memcpy(c, p, n);
	c[0] = 5;
	c[1] = 4;
	CHECK_EQ(try_fsmap(c, n), -ENOTSUP);
	/* default_compat: huge feature-name count (envelope, epoch, u64
	 * next id, legacy fscid, compat mask, count) */
	memcpy(c, p, n);
	c[6 + 4 + 8 + 4 + 8 + 3] = 0x40;
	CHECK_EQ(try_fsmap(c, n), -EBADMSG);
	/* legacy mask (bit 0) with a feature id 0 is refused: build one */
	{
		struct buf b = BUF_INIT;
		struct compat_set cs;
		struct dec d;

		buf_put_u64(&b, 1);
		buf_put_u32(&b, 1);
		buf_put_u64(&b, 0);
		buf_put_str(&b, "zero");
		dec_init(&d, b.data, b.len);
		CHECK_EQ(compat_set_decode(&d, &cs), -EBADMSG);
		buf_reset(&b);
		for (int i = 0; i < 3; i++) {	/* old buggy mask: rebuilt */
			buf_put_u64(&b, 1 | 2 | 8);
			buf_put_u32(&b, 1);
			buf_put_u64(&b, 5);
			buf_put_str(&b, "five");
		}
		dec_init(&d, b.data, b.len);
		CHECK_EQ(compat_set_decode(&d, &cs), 0);
		CHECK_EQ(cs.incompat, 1ULL << 5);
		buf_free(&b);
	}
	free(c);
	free(p);
}

TEST(mmdsmap_corrupt)
{
	struct mmdsmap mm;
	size_t n;
	uint8_t *p = test_read_data("wire-mmdsmap-front.bin", &n), *c;

	if (!p)
		return;
	c = malloc(n);
	/* MDSMap compat from the future (v at 24, compat at 25) */
	memcpy(c, p, n);
	CHECK_EQ(c[24], 5);
	c[25] = 6;
	CHECK_EQ(mmdsmap_decode(c, n, &mm), -ENOTSUP);
	CHECK(mm.map == NULL);
	/* the mds_info count (after 8 u32s/i32s and a u64: 24+6+36) */
	memcpy(c, p, n);
	CHECK_EQ(c[24 + 6 + 36], 1);
	c[24 + 6 + 36 + 3] = 0xff;
	CHECK_EQ(mmdsmap_decode(c, n, &mm), -EBADMSG);
	/* mds_info_t compat from the future */
	memcpy(c, p, n);
	c[24 + 6 + 40 + 8 + 1] = 11;
	CHECK_EQ(mmdsmap_decode(c, n, &mm), -ENOTSUP);
	free(c);
	free(p);
}

/* An MDSMap as Ceph encodes it for a peer without MDSENC: a bare u16
 * version 3, ev 5, unversioned (v3) mds_info_t with a legacy address. */
TEST(mdsmap_v3_unversioned)
{
	struct buf b = BUF_INIT;
	struct entity_addr a;
	struct mdsmap *m;
	struct dec d;

	buf_put_u16(&b, 3);
	buf_put_u32(&b, 9);		/* epoch */
	buf_put_u32(&b, 0);		/* flags */
	buf_put_u32(&b, 0);		/* last_failure */
	buf_put_u32(&b, 0);		/* root */
	buf_put_u32(&b, 60);
	buf_put_u32(&b, 300);
	buf_put_u64(&b, 1ULL << 40);
	buf_put_u32(&b, 1);		/* max_mds */
	buf_put_u32(&b, 1);		/* one mds_info */
	buf_put_u64(&b, 4100);
	buf_put_u8(&b, 3);
	buf_put_u64(&b, 4100);
	buf_put_str(&b, "x");
	buf_put_u32(&b, 0);		/* rank */
	buf_put_u32(&b, 5);		/* inc */
	buf_put_u32(&b, (uint32_t)CEPH_MDS_STATE_ACTIVE);
	buf_put_u64(&b, 3);
	entity_addr_parse("10.1.2.3:6800", &a);
	a.nonce = 77;
	entity_addr_encode_legacy(&b, &a);
	buf_put_time(&b, (struct sp_time){ 0, 0 });
	buf_put_u32(&b, (uint32_t)-1);
	buf_put_str(&b, "");
	buf_put_u32(&b, 0);		/* export_targets */
	buf_put_u32(&b, 1);		/* data_pools */
	buf_put_u64(&b, 4);
	buf_put_u64(&b, (uint64_t)-1);	/* cas_pool */
	buf_put_u16(&b, 5);		/* ev */
	for (int i = 0; i < 3; i++) {	/* compat: incompat base only */
		buf_put_u64(&b, i == 2 ? 2 : 0);
		buf_put_u32(&b, 0);
	}
	buf_put_u64(&b, 3);		/* metadata_pool */
	buf_put_time(&b, (struct sp_time){ 10, 0 });
	buf_put_time(&b, (struct sp_time){ 20, 0 });
	buf_put_u32(&b, 0);		/* tableserver */
	buf_put_u32(&b, 1);		/* in */
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 1);		/* inc */
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 9);
	buf_put_u32(&b, 1);		/* up */
	buf_put_u32(&b, 0);
	buf_put_u64(&b, 4100);
	buf_put_u32(&b, 0);		/* failed */
	buf_put_u32(&b, 0);		/* stopped */
	buf_put_u32(&b, 0);		/* last_failure_osd_epoch */
	buf_put_u32(&b, 0xabcdef);	/* trailing: not part of the map */
	CHECK_EQ(buf_error(&b), 0);
	dec_init(&d, b.data, b.len);
	CHECK_EQ(mdsmap_decode(&d, &m), 0);
	CHECK_EQ(dec_left(&d), 4);	/* stopped right after the map */
	if (m) {
		const struct mds_info *i = mdsmap_rank_info(m, 0);

		CHECK_EQ(m->struct_v, 3);
		CHECK_EQ(m->ev, 5);
		CHECK_EQ(m->epoch, 9);
		CHECK(m->enabled);		/* epoch > 1 */
		CHECK_STR(m->fs_name, "cephfs");
		CHECK_EQ(m->metadata_pool, 3);
		CHECK_EQ(m->standby_count_wanted, -1);
		CHECK_EQ(m->compat.incompat, 2 | 1 << 7);	/* + inline */
		CHECK(i != NULL);
		if (i) {
			CHECK_STR(i->name, "x");
			CHECK_EQ(i->inc, 5);
			CHECK(test_addr_is(&i->addrs, 0,
					   "v1:10.1.2.3:6800/77"));
			CHECK_EQ(i->compat.incompat, INCOMPAT_ALL);
			CHECK_EQ(i->join_fscid, -1);
		}
	}
	mdsmap_free(m);
	buf_free(&b);
}

TEST(mds_state_names)
{
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_DNE), "down:dne");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_STOPPED), "down:stopped");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_DAMAGED), "down:damaged");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_BOOT), "up:boot");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_STANDBY), "up:standby");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_STANDBY_REPLAY),
		  "up:standby-replay");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_REPLAYONCE),
		  "up:oneshot-replay");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_CREATING), "up:creating");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_STARTING), "up:starting");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_REPLAY), "up:replay");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_RESOLVE), "up:resolve");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_RECONNECT), "up:reconnect");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_REJOIN), "up:rejoin");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_CLIENTREPLAY),
		  "up:clientreplay");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_ACTIVE), "up:active");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_STOPPING), "up:stopping");
	CHECK_STR(mds_state_name(CEPH_MDS_STATE_NULL), "null");
	CHECK_STR(mds_state_name(7), "???");
}

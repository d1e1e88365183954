/* OSDMap, incremental and MOSDMap decoding against maps captured from a
 * 16.2.15 cluster and `ceph osd dump -f json` (tests/data/osd-*.expect). */
#include <stdlib.h>

#include "osd/osdmap.h"
#include "test.h"

static struct osdmap *load(const char *name)
{
	struct osdmap *m = NULL;
	size_t n;
	uint8_t *p = test_read_data(name, &n);

	if (p)
		CHECK_EQ(osdmap_decode(p, n, &m), 0);
	free(p);
	return m;
}

static void format_uuid(const uint8_t u[16], char *out)
{
	static const int dash[16] = { [4] = 1, [6] = 1, [8] = 1, [10] = 1 };

	for (int i = 0; i < 16; i++)
		out += sprintf(out, "%s%02x", dash[i] ? "-" : "", u[i]);
}

static void check_pool(const struct osdmap *m, char **w)
{
	const struct pg_pool *p = osdmap_pool(m, test_num(w[1]));

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(osdmap_pool_by_name(m, w[2]) == p);
	CHECK_EQ(p->type, test_num(w[3]));
	CHECK_EQ(p->size, test_num(w[4]));
	CHECK_EQ(p->min_size, test_num(w[5]));
	CHECK_EQ(p->crush_rule, test_num(w[6]));
	CHECK_EQ(p->object_hash, test_num(w[7]));
	CHECK_EQ(p->pg_num, test_num(w[8]));
	CHECK_EQ(p->pgp_num, test_num(w[9]));
	CHECK_EQ(p->flags, test_num(w[10]));
	CHECK_EQ(p->quota_max_bytes, test_num(w[11]));
	CHECK_EQ(p->quota_max_objects, test_num(w[12]));
	CHECK_EQ(p->tier_of, test_num(w[13]));
	CHECK_EQ(p->read_tier, test_num(w[14]));
	CHECK_EQ(p->write_tier, test_num(w[15]));
	CHECK_EQ(p->stripe_width, test_num(w[16]));
	CHECK_EQ(p->last_force_op_resend, test_num(w[17]));
	CHECK_EQ(p->last_force_op_resend_prenautilus, test_num(w[18]));
	CHECK_EQ(p->last_force_op_resend_preluminous, test_num(w[19]));
	CHECK_EQ(p->last_change, test_num(w[20]));
	CHECK_STR(p->erasure_code_profile && *p->erasure_code_profile ?
		  p->erasure_code_profile : "-", w[21]);
	CHECK(p->pg_num_mask + 1 >= p->pg_num &&
	      (p->pg_num_mask + 1) / 2 < p->pg_num);
}

static void check_osd(const struct osdmap *m, char **w)
{
	struct entity_addrvec av;
	char text[512] = "", *t = text;
	int osd = test_num(w[1]);

	CHECK(osdmap_exists(m, osd));
	CHECK_EQ(m->osd_state[osd], test_num(w[2]));
	CHECK_EQ(m->osd_weight[osd], test_num(w[3]));
	CHECK_EQ(m->osd_primary_affinity[osd], test_num(w[4]));
	CHECK_EQ(osdmap_is_up(m, osd), test_num(w[5]));
	if (osdmap_osd_addrvec(m, osd, &av) == 0) {
		for (uint32_t i = 0; i < av.n; i++) {
			if (i)
				*t++ = ',';
			entity_addr_format(&av.v[i], t, text + sizeof(text) - t);
			t += strlen(t);
		}
	} else {
		strcpy(text, "-");
	}
	CHECK_STR(text, w[6]);
}

struct osd_check {
	const struct osdmap *m;
	uint32_t pg_temp, primary_temp, upmap, upmap_items;
};

static struct pg_id pgid_of(char **w)
{
	struct pg_id pg = { (uint64_t)test_num(w[1]),
			    (uint32_t)test_num(w[2]) };

	return pg;
}

static void check_mapping(const struct pg_mapping *e, char **w, int n,
			  int width)
{
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_EQ(e->n * width, n - 3);
	for (uint32_t i = 0; i < e->n * width && i + 3 < (uint32_t)n; i++)
		CHECK_EQ(e->osds[i], test_num(w[3 + i]));
}

static void check_line(void *arg, char **w, int n)
{
	struct osd_check *k = arg;
	const struct osdmap *m = k->m;
	char fsid[40];

	if (!strcmp(w[0], "epoch")) {
		CHECK_EQ(m->epoch, test_num(w[1]));
	} else if (!strcmp(w[0], "fsid")) {
		format_uuid(m->fsid, fsid);
		CHECK_STR(fsid, w[1]);
	} else if (!strcmp(w[0], "flags")) {
		CHECK_EQ(m->flags, test_num(w[1]));
	} else if (!strcmp(w[0], "pool_max")) {
		CHECK_EQ(m->pool_max, test_num(w[1]));
	} else if (!strcmp(w[0], "max_osd")) {
		CHECK_EQ(m->max_osd, test_num(w[1]));
	} else if (!strcmp(w[0], "crush_version")) {
		CHECK_EQ(m->crush_version, test_num(w[1]));
	} else if (!strcmp(w[0], "num_pools")) {
		CHECK_EQ(m->num_pools, test_num(w[1]));
	} else if (!strcmp(w[0], "num_up")) {
		CHECK_EQ(osdmap_num_up(m), test_num(w[1]));
	} else if (!strcmp(w[0], "num_in")) {
		CHECK_EQ(osdmap_num_in(m), test_num(w[1]));
	} else if (!strcmp(w[0], "pool") && n == 22) {
		check_pool(m, w);
	} else if (!strcmp(w[0], "osd") && n == 7) {
		check_osd(m, w);
	} else if (!strcmp(w[0], "pg_temp")) {
		k->pg_temp++;
		check_mapping(osdmap_pg_temp(m, pgid_of(w)), w, n, 1);
	} else if (!strcmp(w[0], "primary_temp") && n == 4) {
		k->primary_temp++;
		CHECK_EQ(osdmap_primary_temp(m, pgid_of(w)), test_num(w[3]));
	} else if (!strcmp(w[0], "pg_upmap")) {
		k->upmap++;
		check_mapping(osdmap_pg_upmap(m, pgid_of(w)), w, n, 1);
	} else if (!strcmp(w[0], "pg_upmap_items")) {
		k->upmap_items++;
		check_mapping(osdmap_pg_upmap_items(m, pgid_of(w)), w, n, 2);
	} else {
		CHECK(!"bad expect line");
	}
}

static void check_map(const struct osdmap *m, const char *expect)
{
	struct osd_check k = { .m = m };

	if (!m)
		return;
	test_for_each_line(expect, check_line, &k);
	CHECK_EQ(m->pg_temp.n, k.pg_temp);
	CHECK_EQ(m->primary_temp.n, k.primary_temp);
	CHECK_EQ(m->pg_upmap.n, k.upmap);
	CHECK_EQ(m->pg_upmap_items.n, k.upmap_items);
	CHECK(m->crush != NULL);
}

TEST(osdmap_full_against_osd_dump)
{
	static const int epochs[] = { 26, 41, 45, 59 };

	for (size_t i = 0; i < sizeof(epochs) / sizeof(epochs[0]); i++) {
		char bin[64], expect[64];
		struct osdmap *m;

		snprintf(bin, sizeof(bin), "osd-seq/full-%d.bin", epochs[i]);
		snprintf(expect, sizeof(expect), "osd-seq-e%d.expect",
			 epochs[i]);
		m = load(bin);
		check_map(m, expect);
		CHECK(m && m->client_v == 9);
		osdmap_free(m);
	}
}

TEST(osdmap_details)
{
	struct osdmap *m = load("osd-seq/full-59.bin");
	const struct pg_pool *p;

	if (!m)
		return;
	CHECK(m->flags & CEPH_OSDMAP_NOOUT);
	p = osdmap_pool_by_name(m, "rbdpool");
	CHECK(p && (p->flags & CEPH_POOL_FLAG_HASHPSPOOL) &&
	      (p->flags & CEPH_POOL_FLAG_POOL_SNAPS) && p->snap_seq == 1);
	p = osdmap_pool_by_name(m, "fast");
	CHECK(p && p->pg_num == 8 && p->pg_num_target == 16);
	CHECK(osdmap_pool(m, 6) == NULL);	/* "doomed" was deleted */
	CHECK(osdmap_pool_by_name(m, "doomed") == NULL);
	CHECK_STR(crush_rule_name(m->crush, 2), "ssdrule");
	CHECK(!osdmap_exists(m, 3) && !osdmap_is_up(m, -1) &&
	      !osdmap_is_in(m, 99));
	osdmap_free(m);
}

TEST(osdmap_other_engineers_capture)
{
	struct osdmap *m = load("osdmap-1osd-e11.bin");

	check_map(m, "osd-1osd-e11.expect");
	osdmap_free(m);
}

static void check_same_crush(const struct crush_map *a,
			     const struct crush_map *b)
{
	CHECK_EQ(a->max_buckets, b->max_buckets);
	CHECK_EQ(a->max_rules, b->max_rules);
	CHECK_EQ(a->num_item_names, b->num_item_names);
	CHECK_EQ(a->num_choose_args, b->num_choose_args);
	for (int32_t i = 0; i < a->max_buckets && i < b->max_buckets; i++) {
		const struct crush_bucket *x = a->buckets[i], *y = b->buckets[i];

		CHECK(!x == !y);
		if (x && y) {
			CHECK_EQ(x->weight, y->weight);
			CHECK_EQ(x->size, y->size);
		}
	}
}

static void check_same_table(const struct pg_mapping_table *a,
			     const struct pg_mapping_table *b, int width)
{
	CHECK_EQ(a->n, b->n);
	for (uint32_t i = 0; i < a->n && i < b->n; i++) {
		CHECK_EQ(pg_id_compare(a->v[i].pgid, b->v[i].pgid), 0);
		CHECK_EQ(a->v[i].n, b->v[i].n);
		if (a->v[i].n == b->v[i].n)
			CHECK(!memcmp(a->v[i].osds, b->v[i].osds,
				      a->v[i].n * width * 4));
	}
}

/* What a client relies on must agree between a map built from
 * incrementals and the full map of the same epoch. */
static void check_same(const struct osdmap *a, const struct osdmap *b)
{
	CHECK_EQ(a->epoch, b->epoch);
	CHECK(!memcmp(a->fsid, b->fsid, 16));
	CHECK_EQ(a->modified.sec, b->modified.sec);
	CHECK_EQ(a->flags, b->flags);
	CHECK_EQ(a->pool_max, b->pool_max);
	CHECK_EQ(a->max_osd, b->max_osd);
	CHECK_EQ(a->crush_version, b->crush_version);
	CHECK_EQ(a->num_up, b->num_up);
	CHECK_EQ(a->num_in, b->num_in);
	for (int32_t i = 0; i < a->max_osd && i < b->max_osd; i++) {
		CHECK_EQ(a->osd_state[i], b->osd_state[i]);
		CHECK_EQ(a->osd_weight[i], b->osd_weight[i]);
		CHECK_EQ(a->osd_primary_affinity[i],
			 b->osd_primary_affinity[i]);
		CHECK(!a->osd_addrs[i] == !b->osd_addrs[i]);
		if (a->osd_addrs[i] && b->osd_addrs[i])
			CHECK(a->osd_addrs[i]->n == b->osd_addrs[i]->n &&
			      entity_addr_equal(&a->osd_addrs[i]->v[0],
						&b->osd_addrs[i]->v[0]));
	}
	CHECK_EQ(a->num_pools, b->num_pools);
	for (uint32_t i = 0; i < a->num_pools && i < b->num_pools; i++) {
		const struct pg_pool *x = &a->pools[i], *y = &b->pools[i];

		CHECK_EQ(x->id, y->id);
		CHECK_STR(x->name, y->name);
		CHECK_EQ(x->size, y->size);
		CHECK_EQ(x->pg_num, y->pg_num);
		CHECK_EQ(x->pgp_num, y->pgp_num);
		CHECK_EQ(x->flags, y->flags);
		CHECK_EQ(x->last_change, y->last_change);
		CHECK_EQ(x->last_force_op_resend, y->last_force_op_resend);
		CHECK_EQ(x->read_tier, y->read_tier);
	}
	check_same_table(&a->pg_temp, &b->pg_temp, 1);
	check_same_table(&a->primary_temp, &b->primary_temp, 1);
	check_same_table(&a->pg_upmap, &b->pg_upmap, 1);
	check_same_table(&a->pg_upmap_items, &b->pg_upmap_items, 2);
	check_same_crush(a->crush, b->crush);
}

static uint8_t *read_optional(const char *name, size_t *n)
{
	const char *dir = getenv("SIPHON_TEST_DATA");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fclose(f);
	return test_read_data(name, n);
}

/* Starting from the first full map, applies every incremental and
 * compares with each full map captured on the way. */
static void chain(const char *fmt_full, const char *fmt_inc, int first,
		  int last, int *compared)
{
	char name[128];
	struct osdmap *m;

	snprintf(name, sizeof(name), fmt_full, first);
	m = load(name);
	for (int e = first + 1; m && e <= last; e++) {
		struct osdmap *next = NULL, *full;
		size_t n;
		uint8_t *p;

		snprintf(name, sizeof(name), fmt_inc, e);
		p = test_read_data(name, &n);
		if (!p)
			break;
		CHECK_EQ(osdmap_apply_incremental(m, p, n, &next), 0);
		free(p);
		if (!next)
			break;
		CHECK_EQ(m->epoch, e - 1);	/* the old map is untouched */
		osdmap_free(m);
		m = next;
		snprintf(name, sizeof(name), fmt_full, e);
		p = read_optional(name, &n);
		if (p) {
			CHECK_EQ(osdmap_decode(p, n, &full), 0);
			if (full) {
				check_same(m, full);
				(*compared)++;
			}
			osdmap_free(full);
			free(p);
		}
	}
	CHECK(m && m->epoch == (uint32_t)last);
	osdmap_free(m);
}

TEST(osdmap_incremental_chain)
{
	int compared = 0;

	chain("osd-seq/full-%d.bin", "osd-seq/inc-%d.bin", 1, 59, &compared);
	CHECK_EQ(compared, 16);
	compared = 0;
	chain("osdmap-1osd-e%d.bin", "osdmap-1osd-inc-e%d.bin", 1, 11,
	      &compared);
	CHECK_EQ(compared, 10);
}

TEST(osdmap_incremental_checks)
{
	struct osdmap *m = load("osd-seq/full-44.bin"), *next;
	size_t n;
	uint8_t *p = test_read_data("osd-seq/inc-44.bin", &n);

	if (!m || !p)
		goto out;
	/* e44 applied to e44: wrong epoch */
	CHECK_EQ(osdmap_apply_incremental(m, p, n, &next), -EINVAL);
	CHECK(next == NULL);
	free(p);
	p = test_read_data("osd-seq/inc-45.bin", &n);
	if (!p)
		goto out;
	m->fsid[0] ^= 1;	/* another cluster's map */
	CHECK_EQ(osdmap_apply_incremental(m, p, n, &next), -EINVAL);
	m->fsid[0] ^= 1;
	CHECK_EQ(osdmap_apply_incremental(m, p, n, &next), 0);
	if (next) {
		/* osd.2, already down, was marked out at e45 */
		CHECK(osdmap_is_in(m, 2) && !osdmap_is_in(next, 2));
		CHECK(!osdmap_is_up(next, 2) && osdmap_exists(next, 2));
		CHECK_EQ(next->num_in, 2);
		CHECK(next->crush == m->crush);	/* shared, not copied */
		CHECK_EQ(m->crush->refs, 2);
	}
	osdmap_free(next);
out:
	osdmap_free(m);
	free(p);
}

/* A proper prefix of a map (or of an incremental onto *base) fails with
 * -EBADMSG and no map. */
static int osdmap_prefix(void *base, const uint8_t *cut, size_t len)
{
	struct osdmap *m;
	int r;

	if (base)
		r = osdmap_apply_incremental(base, cut, len, &m);
	else
		r = osdmap_decode(cut, len, &m);
	if (m) {
		osdmap_free(m);
		return 1;
	}
	return r != -EBADMSG;
}

static void truncations(const char *name, const struct osdmap *base)
{
	size_t n;
	uint8_t *p = test_read_data(name, &n);

	if (!p)
		return;
	CHECK_EQ(test_check_truncations(p, n, osdmap_prefix, (void *)base), 0);
	free(p);
}

TEST(osdmap_truncations)
{
	struct osdmap *m = load("osd-seq/full-40.bin");

	truncations("osd-seq/full-59.bin", NULL);
	truncations("osd-seq/full-1.bin", NULL);
	if (m) {
		truncations("osd-seq/inc-41.bin", m);	/* new pool, crush */
		osdmap_free(m);
	}
}

/* Any flipped byte is caught by the crc; without the crc check the
 * decoders still never misbehave (ASan/UBSan watch). */
static void corruptions(const char *name, const struct osdmap *base)
{
	size_t n;
	uint8_t *p = test_read_data(name, &n);

	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		struct osdmap *m;
		int r;

		p[i] ^= 0x5a;
		if (base)
			r = osdmap_apply_incremental(base, p, n, &m);
		else
			r = osdmap_decode(p, n, &m);
		CHECK(r < 0 && m == NULL);
		if (base)
			r = osdmap_apply_incremental_flags(base, p, n,
					OSDMAP_DECODE_NO_CRC, &m);
		else
			r = osdmap_decode_flags(p, n, OSDMAP_DECODE_NO_CRC, &m);
		CHECK(r <= 0);
		CHECK((r == 0) == (m != NULL));
		osdmap_free(m);
		p[i] ^= 0x5a;
	}
	free(p);
}

TEST(osdmap_corruptions)
{
	struct osdmap *m = load("osd-seq/full-44.bin");

	corruptions("osd-seq/full-45.bin", NULL);
	if (m) {
		corruptions("osd-seq/inc-45.bin", m);
		osdmap_free(m);
	}
}

/* The classic (pre-2014) encoding starts with a u16 version < 7. */
TEST(osdmap_classic_refused)
{
	static const uint8_t classic[] = { 6, 0, 0, 0 };
	struct osdmap *m;

	CHECK_EQ(osdmap_decode(classic, sizeof(classic), &m), -ENOTSUP);
	CHECK_EQ(osdmap_decode(classic, 0, &m), -EBADMSG);
}

/* A prefix of an MOSDMap front fails with -EBADMSG, except where an
 * older or leaner message could end: stopping right after the maps is a
 * v1 message; past oldest/newest come fields a client ignores. */
static int mosdmap_prefix(void *arg, const uint8_t *cut, size_t len)
{
	size_t maps_end = *(const size_t *)arg;
	struct mosdmap mm;
	int r = mosdmap_decode(cut, len, &mm);

	if (!r)
		mosdmap_release(&mm);
	return !(r == -EBADMSG || len == maps_end || len >= maps_end + 8);
}

TEST(mosdmap_front)
{
	struct mosdmap mm;
	struct osdmap *m = NULL;
	const uint8_t *fulls_end = NULL;
	size_t n, maps_end;
	uint8_t *p = test_read_data("wire-mosdmap-front.bin", &n);

	if (!p)
		return;
	CHECK_EQ(mosdmap_decode(p, n, &mm), 0);
	CHECK_EQ(mm.num_incs, 0);
	CHECK_EQ(mm.num_fulls, 1);
	if (mm.num_fulls == 1) {
		fulls_end = mm.fulls[0].p + mm.fulls[0].len;
		CHECK_EQ(mm.fulls[0].epoch, mm.newest);
		CHECK(mm.fulls[0].p > p && mm.fulls[0].p < p + n);
		CHECK_EQ(osdmap_decode(mm.fulls[0].p, mm.fulls[0].len, &m), 0);
		check_map(m, "osd-wire.expect");
		CHECK(m && !memcmp(m->fsid, mm.fsid, 16));
		osdmap_free(m);
	}
	CHECK(mm.oldest >= 1 && mm.oldest <= mm.newest);
	mosdmap_release(&mm);
	/* the maps end where oldest/newest begin */
	maps_end = fulls_end ? (size_t)(fulls_end - p) : 0;
	CHECK_EQ(test_check_truncations(p, n, mosdmap_prefix, &maps_end), 0);
	free(p);
}

/* ---- the blocklist (OSD-only section) ---- */

static struct entity_addr addr(const char *s)
{
	struct entity_addr a;

	CHECK_EQ(entity_addr_parse(s, &a), 0);
	return a;
}

/* what `ceph osd dump 15` lists: 127.0.0.1:0/1234, 10.1.2.3 (whole host),
 * [2001:db8::5]:0/77; 127.0.0.1:0/999 came and went */
static bool listed(const struct osdmap *m, const char *s)
{
	struct entity_addr a = addr(s);

	return osdmap_is_blocklisted(m, &a);
}

/* what `ceph osd dump 15` lists: 127.0.0.1:0/1234, 10.1.2.3 (whole host),
 * [2001:db8::5]:0/77; 127.0.0.1:0/999 came and went */
static void check_blocklist_e15(const struct osdmap *m)
{
	struct entity_addr a = addr("127.0.0.1:0/1234");

	CHECK_EQ(m->epoch, 15);
	CHECK_EQ(m->blocklist.n, 3);
	CHECK(listed(m, "127.0.0.1:0/1234"));
	a.type = CEPH_ENTITY_ADDR_TYPE_MSGR2;	/* the type does not matter */
	CHECK(osdmap_is_blocklisted(m, &a));
	CHECK(!listed(m, "127.0.0.1:0/1235"));
	CHECK(!listed(m, "127.0.0.1:0/999"));
	CHECK(!listed(m, "127.0.0.2:0/1234"));
	/* every client of the blocklisted host */
	CHECK(listed(m, "10.1.2.3:0/5555"));
	CHECK(listed(m, "10.1.2.3:6789/1"));
	CHECK(!listed(m, "10.1.2.4:0/5555"));
	CHECK(listed(m, "[2001:db8::5]:0/77"));
	CHECK(!listed(m, "[2001:db8::5]:0/78"));
}

TEST(osdmap_blocklist)
{
	struct osdmap *m = load("osd-blocklist/full-10.bin");
	struct osdmap *full = load("osd-blocklist/full-15.bin");
	char name[64];

	if (!m || !full)
		goto out;
	CHECK_EQ(m->blocklist.n, 0);
	check_blocklist_e15(full);
	for (int e = 11; e <= 15; e++) {
		struct osdmap *next = NULL;
		size_t n;
		uint8_t *p;

		snprintf(name, sizeof(name), "osd-blocklist/inc-%d.bin", e);
		p = test_read_data(name, &n);
		if (!p)
			break;
		CHECK_EQ(osdmap_apply_incremental(m, p, n, &next), 0);
		free(p);
		if (!next)
			break;
		CHECK_EQ(next->blocklist.n, (uint32_t)(e < 14 ? e - 10 : e == 14 ? 4 : 3));
		CHECK_EQ(listed(next, "127.0.0.1:0/999"), e == 14);
		osdmap_free(m);
		m = next;
	}
	check_blocklist_e15(m);
	truncations("osd-blocklist/full-15.bin", NULL);
out:
	osdmap_free(m);
	osdmap_free(full);
}

/* Object and PG placement against osdmaptool's answers on real maps
 * (tests/data/placement-*: upmaps, pg_temp, primary_temp, affinity, a
 * down OSD, a reweighted OSD, an EC pool, choose_args with ids and
 * positions) and the string hashes against values from a live cluster
 * (`ceph osd map`, which prints an object's full hash). */
#include <errno.h>
#include <stdlib.h>

#include "osd/osdmap.h"
#include "osd/placement.h"
#include "test.h"

static struct osdmap *load(const char *name)
{
	struct osdmap *m = NULL;
	size_t len;
	uint8_t *p = test_read_data(name, &len);

	if (!p)
		return NULL;
	CHECK_EQ(osdmap_decode(p, len, &m), 0);
	free(p);
	return m;
}

static size_t fmt_vec(char *s, size_t cap, const struct osd_set *v)
{
	size_t k = (size_t)snprintf(s, cap, "[");

	for (int i = 0; i < v->n && k < cap; i++)
		k += (size_t)snprintf(s + k, cap - k, i ? ",%d" : "%d", v->osds[i]);
	if (k < cap)
		k += (size_t)snprintf(s + k, cap - k, "]");
	return k;
}

struct pgs_check {
	const struct osdmap *m;
	int lines, bad;
};

/* "P.S raw ([..], pN) up ([..], pN) acting ([..], pN)" as osdmaptool
 * --test-map-pgs-dump-all prints it; "pool ..." lines are skipped */
static void check_pg_line(void *arg, char **w, int n)
{
	struct pgs_check *k = arg;
	struct osd_set raw, up, acting;
	char want[1024], got[1024];
	size_t len = 0;
	struct pg_id pg;
	char *dot;

	if (n < 2 || !strcmp(w[0], "pool"))
		return;
	k->lines++;
	pg.pool = strtoull(w[0], &dot, 10);
	pg.seed = (uint32_t)strtoul(dot + 1, NULL, 16);
	want[0] = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
					i ? " " : "", w[i]);
	CHECK_EQ(placement_pg_to_raw(k->m, pg, &raw), 0);
	CHECK_EQ(placement_pg_to_up_acting(k->m, pg, &up, &acting), 0);
	len = (size_t)snprintf(got, sizeof(got), "%s raw (", w[0]);
	len += fmt_vec(got + len, sizeof(got) - len, &raw);
	len += (size_t)snprintf(got + len, sizeof(got) - len, ", p%d) up (",
				raw.primary);
	len += fmt_vec(got + len, sizeof(got) - len, &up);
	len += (size_t)snprintf(got + len, sizeof(got) - len,
				", p%d) acting (", up.primary);
	len += fmt_vec(got + len, sizeof(got) - len, &acting);
	snprintf(got + len, sizeof(got) - len, ", p%d)", acting.primary);
	if (strcmp(got, want) && k->bad++ < 5)
		fprintf(stderr, "siphon:     %s\nosdmaptool: %s\n", got, want);
}

static void check_pgs(const char *map, const char *expect, int lines)
{
	struct pgs_check k = { 0 };

	k.m = load(map);
	if (!k.m)
		return;
	test_for_each_line(expect, check_pg_line, &k);
	CHECK_EQ(k.lines, lines);
	CHECK_EQ(k.bad, 0);
	osdmap_free((struct osdmap *)k.m);
}

TEST(osdmaptool_pgs_e15) { check_pgs("osd-seq/full-15.bin", "placement-osd-seq-e15.pgs.txt", 48); }
TEST(osdmaptool_pgs_e26) { check_pgs("osd-seq/full-26.bin", "placement-osd-seq-e26.pgs.txt", 64); }
/* upmap items, affinity 0.5, reweight 0.8 */
TEST(osdmaptool_pgs_e41) { check_pgs("osd-seq/full-41.bin", "placement-osd-seq-e41.pgs.txt", 72); }
/* osd.2 down and out */
TEST(osdmaptool_pgs_e45) { check_pgs("osd-seq/full-45.bin", "placement-osd-seq-e45.pgs.txt", 72); }
TEST(osdmaptool_pgs_e49) { check_pgs("osd-seq/full-49.bin", "placement-osd-seq-e49.pgs.txt", 72); }
/* pg_upmap, pg_upmap_items, pg_temp, primary_temp */
TEST(osdmaptool_pgs_e59) { check_pgs("osd-seq/full-59.bin", "placement-osd-seq-e59.pgs.txt", 72); }
/* crush-allalgs.bin in an OSDMap: pool 1 uses choose_args 1 (ids,
 * two weight-set positions), osd.3 out */
TEST(osdmaptool_pgs_synthetic)
{
	check_pgs("placement-synth-allalgs.bin", "placement-synth-allalgs.pgs.txt", 240);
}

struct obj_check {
	const struct osdmap *m;
	int lines, bad;
};

/* "POOL object 'NAME' -> P.S -> [..]" */
static void check_obj_line(void *arg, char **w, int n)
{
	struct obj_check *k = arg;
	struct placement_target t;
	char name[256], got[512], vec[256];
	size_t len;

	if (n != 7)
		return;
	k->lines++;
	len = strlen(w[2]);
	if (len < 2 || len - 2 >= sizeof(name))
		return;
	memcpy(name, w[2] + 1, len - 2);	/* strip the quotes */
	name[len - 2] = 0;
	CHECK_EQ(placement_object_target(k->m, test_num(w[0]), NULL, 0, name,
					 strlen(name), &t), 0);
	fmt_vec(vec, sizeof(vec), &t.acting);
	snprintf(got, sizeof(got), "%llu.%x %s", (unsigned long long)t.pg.pool,
		 t.pg.seed, vec);
	snprintf(name, sizeof(name), "%s %s", w[4], w[6]);
	if (strcmp(got, name) && k->bad++ < 5)
		fprintf(stderr, "object %s: siphon %s, osdmaptool %s\n", w[2],
			got, name);
	/* the folded seed is the raw hash folded */
	CHECK_EQ(t.pg.seed, placement_stable_mod(t.raw_pg.seed, t.pg_num,
						 osdmap_pool(k->m, test_num(w[0]))->pg_num_mask));
}

TEST(osdmaptool_objects_e59)
{
	struct obj_check k = { 0 };

	k.m = load("osd-seq/full-59.bin");
	if (!k.m)
		return;
	test_for_each_line("placement-osd-seq-e59.objects.txt", check_obj_line, &k);
	CHECK_EQ(k.lines, 600);
	CHECK_EQ(k.bad, 0);
	osdmap_free((struct osdmap *)k.m);
}

struct hash_check {
	int lines, bad;
};

/* "HASH NSPACE|- NAME": full object hashes from `ceph osd map` */
static void check_hash_line(void *arg, char **w, int n)
{
	struct hash_check *k = arg;
	uint32_t want, got;
	struct osdmap m;
	struct pg_pool pool;
	struct pg_id raw;
	const char *ns;

	if (n != 3 || w[0][0] == '#')
		return;
	k->lines++;
	want = (uint32_t)strtoul(w[0], NULL, 16);
	ns = strcmp(w[1], "-") ? w[1] : "";
	memset(&m, 0, sizeof(m));
	memset(&pool, 0, sizeof(pool));
	pool.id = 7;
	pool.object_hash = CEPH_STR_HASH_RJENKINS;
	pool.pg_num = 1;
	m.pools = &pool;
	m.num_pools = 1;
	CHECK_EQ(placement_object_to_pg(&m, 7, ns, strlen(ns), w[2],
					strlen(w[2]), &raw), 0);
	got = raw.seed;
	if (!*ns)
		CHECK_EQ(placement_str_hash(CEPH_STR_HASH_RJENKINS, w[2],
					    strlen(w[2])), want);
	if (got != want && k->bad++ < 5)
		fprintf(stderr, "hash of %s/%s: %08x, ceph %08x\n", ns, w[2],
			got, want);
}

TEST(object_hashes_live)
{
	struct hash_check k = { 0 };

	test_for_each_line("placement-hashes.txt", check_hash_line, &k);
	CHECK(k.lines >= 10);
	CHECK_EQ(k.bad, 0);
}

/* The Linux dcache hash, worked by hand: h = (h + (c << 4) + (c >> 4)) * 11 */
TEST(linux_hash)
{
	uint32_t h = 0;
	const char *s = "rbd_data.1234";

	CHECK_EQ(placement_str_hash(CEPH_STR_HASH_LINUX, "", 0), 0);
	/* 'a' = 0x61: (0x610 + 6) * 11 */
	CHECK_EQ(placement_str_hash(CEPH_STR_HASH_LINUX, "a", 1), (0x610 + 6) * 11);
	for (const char *p = s; *p; p++)
		h = (h + ((uint32_t)(uint8_t)*p << 4) + ((uint8_t)*p >> 4)) * 11;
	CHECK_EQ(placement_str_hash(CEPH_STR_HASH_LINUX, s, strlen(s)), h);
	CHECK_EQ(placement_str_hash(99, "a", 1), 0xffffffffu);
}

TEST(stable_mod)
{
	/* pg_num 12 (mask 15): 0..11 stay, 12..15 fold onto 4..7 */
	CHECK_EQ(placement_stable_mod(5, 12, 15), 5);
	CHECK_EQ(placement_stable_mod(11, 12, 15), 11);
	CHECK_EQ(placement_stable_mod(12, 12, 15), 4);
	CHECK_EQ(placement_stable_mod(15, 12, 15), 7);
	CHECK_EQ(placement_stable_mod(0x1234567c, 12, 15), 4);
	CHECK_EQ(placement_stable_mod(77, 1, 0), 0);
}

TEST(missing_pool_and_null_sets)
{
	struct osdmap *m = load("osd-seq/full-59.bin");
	struct osd_set up, acting;
	struct pg_id pg = { 99, 0 }, raw;
	struct placement_target t;

	if (!m)
		return;
	CHECK_EQ(placement_pg_to_up_acting(m, pg, &up, &acting), -ENOENT);
	CHECK_EQ(up.n, 0);
	CHECK_EQ(acting.primary, -1);
	CHECK_EQ(placement_object_to_pg(m, 99, NULL, 0, "x", 1, &raw), -ENOENT);
	CHECK_EQ(placement_object_target(m, 99, NULL, 0, "x", 1, &t), -ENOENT);
	CHECK_EQ(placement_pg_to_raw(m, pg, &up), -ENOENT);
	/* one side only; a raw (unfolded) seed maps as its folded PG */
	pg.pool = 2;
	pg.seed = 0xfffffff3;
	CHECK_EQ(placement_pg_to_up_acting(m, pg, NULL, &acting), 0);
	CHECK(acting.n > 0);
	CHECK_EQ(placement_pg_to_up_acting(m, pg, &up, NULL), 0);
	{
		struct osd_set a2;
		struct pg_id folded = placement_raw_to_pg(osdmap_pool(m, 2), pg);

		CHECK_EQ(folded.seed, 0x13);
		CHECK_EQ(placement_pg_to_up_acting(m, folded, NULL, &a2), 0);
		CHECK_EQ(a2.n, acting.n);
		CHECK_EQ(a2.primary, acting.primary);
	}
	/* an empty name and namespace hash like Ceph's (no crash) */
	CHECK_EQ(placement_object_to_pg(m, 2, "", 0, "", 0, &raw), 0);
	CHECK_EQ(raw.seed, placement_str_hash(CEPH_STR_HASH_RJENKINS, "", 0));
	osdmap_free(m);
}

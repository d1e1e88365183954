/* The CRUSH mapper: Ceph's own mappings (crushtool --test on
 * crush-allalgs.bin, tests/data/placement-crush-allalgs.txt), the log
 * tables regenerated from their formulas, and hostile maps built in
 * memory (loops, missing buckets, absurd tunables) that must end. */
#include <errno.h>
#include <stdlib.h>

#include "osd/crush.h"
#include "osd/crush_mapper.h"
#include "test.h"

static struct crush_map *load_map(const char *name)
{
	struct crush_map *c = NULL;
	size_t len;
	uint8_t *p = test_read_data(name, &len);

	if (!p)
		return NULL;
	CHECK_EQ(crush_decode(p, len, &c), 0);
	free(p);
	return c;
}

/* crushtool's weights: 1.0 for devices some bucket holds, else 0 */
static uint32_t *present_weights(const struct crush_map *c)
{
	uint32_t *w = calloc((size_t)c->max_devices + 1, sizeof(*w));

	for (int32_t b = 0; w && b < c->max_buckets; b++)
		for (uint32_t i = 0; c->buckets[b] && i < c->buckets[b]->size; i++)
			if (c->buckets[b]->items[i] >= 0)
				w[c->buckets[b]->items[i]] = 0x10000;
	return w;
}

static void format_vec(char *s, size_t cap, const int32_t *v, int n)
{
	size_t k = 0;

	k += (size_t)snprintf(s + k, cap - k, "[");
	for (int i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(s + k, cap - k, i ? ",%d" : "%d", v[i]);
	if (k < cap)
		snprintf(s + k, cap - k, "]");
}

struct tool_check {
	const struct crush_map *c;
	const uint32_t *w;
	int lines, bad;
};

/* "N CRUSH rule R x X [a,b,...]" */
static void check_tool_line(void *arg, char **words, int n)
{
	struct tool_check *k = arg;
	int32_t out[SCRUSH_MAX_RESULT];
	char got[512];
	int r;

	if (n != 7)
		return;
	k->lines++;
	r = scrush_do_rule(k->c, (int)test_num(words[3]),
			   (int32_t)test_num(words[5]), out,
			   (int)test_num(words[0]), k->w, k->c->max_devices,
			   scrush_choose_args_for(k->c, 0));
	CHECK(r >= 0);
	format_vec(got, sizeof(got), out, r < 0 ? 0 : r);
	if (strcmp(got, words[6])) {
		if (k->bad++ < 5)
			fprintf(stderr, "rule %s x %s num_rep %s: %s, crushtool %s\n",
				words[3], words[5], words[0], got, words[6]);
	}
}

TEST(crushtool_all_algorithms)
{
	struct crush_map *c = load_map("crush-allalgs.bin");
	struct tool_check k = { 0 };

	if (!c)
		return;
	k.c = c;
	k.w = present_weights(c);
	test_for_each_line("placement-crush-allalgs.txt", check_tool_line, &k);
	CHECK_EQ(k.lines, 2000);
	CHECK_EQ(k.bad, 0);
	free((void *)k.w);
	crush_free(c);
}

/* log2 for y in [1, 2] without libm: ln y = 2 atanh((y-1)/(y+1)) */
static long double ln_small(long double y)
{
	long double z = (y - 1) / (y + 1), z2 = z * z, term = z, sum = 0;

	for (int n = 0; n < 60; n++) {
		sum += term / (2 * n + 1);
		term *= z2;
	}
	return 2 * sum;
}

static long double log2_small(long double y)
{
	return ln_small(y) / ln_small(2.0L);
}

static int64_t round_ld(long double v)
{
	return (int64_t)(v + 0.5L);
}

/* The log tables against the formulas they come from (see crush_hash.c). */
TEST(ln_tables)
{
	for (int k = 0; k <= 128; k++) {
		/* ceil(2^55 / (128 + k)) */
		uint64_t num = 1ull << 55, d = 128 + (uint64_t)k;
		long double lh = log2_small(1.0L + k / 128.0L) * 281474976710656.0L;
		int64_t diff;

		CHECK_EQ(scrush_rh_lh_table[2 * k], (num + d - 1) / d);
		diff = (int64_t)scrush_rh_lh_table[2 * k + 1] - round_ld(lh);
		if (k < 128)
			CHECK(diff >= -1 && diff <= 1);
	}
	CHECK_EQ(scrush_rh_lh_table[257], 0xffff00000000ull);
	/* ll: 2^48 log2(1 + k/2^15) plus a constant offset, up to its few
	 * irregular entries */
	{
		int near = 0;

		for (int k = 0; k < 256; k++) {
			long double v = log2_small(1.0L + k / 32768.0L) * 281474976710656.0L;
			int64_t diff = (int64_t)scrush_ll_table[k] - round_ld(v);

			if (k < 2)
				CHECK(diff == 0 || diff == -1 || diff == 1);
			else if (diff >= 0x147700000ll - 2 && diff <= 0x147700000ll + 2)
				near++;
		}
		CHECK(near > 200);
	}
}

TEST(ln_values)
{
	uint64_t prev = 0;

	CHECK_EQ(scrush_ln(0), 0);
	/* 2^44 * log2(2) */
	CHECK_EQ(scrush_ln(1), 1ull << 44);
	CHECK_EQ(scrush_ln(3), 2ull << 44);
	CHECK_EQ(scrush_ln(0x7fff), 15ull << 44);
	for (uint32_t x = 0; x <= 0xffff; x++) {
		uint64_t v = scrush_ln(x);
		long double y = (long double)x + 1, want, err;
		int e = 0;

		while (y >= 2) {
			y /= 2;
			e++;
		}
		want = (e + log2_small(y)) * 17592186044416.0L;	/* 2^44 */
		err = (long double)v - want;
		/* Ceph's table ends on 0xffff00000000, not 2^48: its log of
		 * 2^16 falls just below its log of 2^16 - 1 */
		if (x < 0xffff)
			CHECK(v >= prev);
		prev = v;
		/* within a part in 2^12 of the true log (table resolution) */
		if (x > 16 && (err < 0 ? -err : err) > want / 4096) {
			CHECK(!"scrush_ln far from log2");
			break;
		}
	}
	CHECK_EQ(scrush_ln(0x10000), 0);	/* only the low 16 bits count */
}

TEST(hash_types)
{
	/* only rjenkins1 exists; other types hash to 0 as in Ceph */
	CHECK(scrush_hash32_2(CRUSH_HASH_RJENKINS1, 1, 2) != 0);
	CHECK_EQ(scrush_hash32_2(1, 1, 2), 0);
	CHECK_EQ(scrush_hash32(7, 1), 0);
	CHECK(scrush_hash32_3(0, 1, 2, 3) != scrush_hash32_3(0, 1, 2, 4));
	CHECK(scrush_hash32_4(0, 1, 2, 3, 4) != scrush_hash32_5(0, 1, 2, 3, 4, 0));
}

/* ---- hand-built maps ---- */

static struct crush_bucket *mk_bucket(int32_t id, uint16_t type, uint8_t alg,
				      uint32_t size, const int32_t *items)
{
	struct crush_bucket *b = calloc(1, sizeof(*b));

	b->id = id;
	b->type = type;
	b->alg = alg;
	b->size = size;
	b->items = calloc(size + 1, sizeof(int32_t));
	memcpy(b->items, items, size * sizeof(int32_t));
	b->item_weight = 0x10000;
	b->item_weights = calloc(size + 1, 4);
	b->sum_weights = calloc(size + 1, 4);
	b->straws = calloc(size + 1, 4);
	for (uint32_t i = 0; i < size; i++) {
		b->item_weights[i] = 0x10000;
		b->sum_weights[i] = 0x10000 * (i + 1);
		b->straws[i] = 0x10000;
	}
	b->weight = 0x10000 * size;
	return b;
}

static struct crush_map *mk_map(int max_buckets, int max_rules)
{
	struct crush_map *c = calloc(1, sizeof(*c));

	c->refs = 1;
	c->max_buckets = max_buckets;
	c->buckets = calloc((size_t)max_buckets, sizeof(*c->buckets));
	c->max_rules = (uint32_t)max_rules;
	c->rules = calloc((size_t)max_rules, sizeof(*c->rules));
	c->choose_total_tries = 50;
	c->chooseleaf_descend_once = 1;
	c->chooseleaf_vary_r = 1;
	c->chooseleaf_stable = 1;
	return c;
}

static void set_rule(struct crush_map *c, uint32_t no,
		     const struct crush_rule_step *steps, uint32_t n)
{
	struct crush_rule *r = calloc(1, sizeof(*r) + n * sizeof(*steps));

	r->ruleset = (uint8_t)no;
	r->type = 1;
	r->min_size = 1;
	r->max_size = 10;
	r->len = n;
	memcpy(r->steps, steps, n * sizeof(*steps));
	c->rules[no] = r;
}

static void place(struct crush_map *c, struct crush_bucket *b)
{
	c->buckets[-1 - b->id] = b;
	for (uint32_t i = 0; i < b->size; i++)
		if (b->items[i] >= c->max_devices)
			c->max_devices = b->items[i] + 1;
}

/* Every result is a device the map has, or NONE; firstn results are
 * distinct. */
static void check_sane(const struct crush_map *c, const int32_t *out, int n,
		       int result_max)
{
	CHECK(n >= 0 && n <= result_max);
	for (int i = 0; i < n; i++)
		CHECK(out[i] == CRUSH_ITEM_NONE ||
		      (out[i] >= -c->max_buckets && out[i] < c->max_devices));
}

TEST(hostile_loops_and_missing_buckets)
{
	struct crush_map *c = mk_map(4, 4);
	static const int32_t i1[] = { -2, 0, -50 }, i2[] = { -1, 1, -3 };
	static const int32_t i4[] = { -4 };
	uint32_t w[2] = { 0x10000, 0x10000 };
	int32_t out[SCRUSH_MAX_RESULT];
	const struct crush_rule_step leaf[] = {
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSELEAF_FIRSTN, 0, 1 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};
	const struct crush_rule_step never[] = {
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSE_INDEP, 0, 9 },
		{ CRUSH_RULE_EMIT, 0, 0 },
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSE_FIRSTN, 0, 9 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};
	const struct crush_rule_step self[] = {
		{ CRUSH_RULE_TAKE, -4, 0 },
		{ CRUSH_RULE_CHOOSELEAF_INDEP, 3, 1 },
		{ CRUSH_RULE_EMIT, 0, 0 },
		{ CRUSH_RULE_TAKE, -77, 0 },	/* no such bucket */
		{ CRUSH_RULE_CHOOSE_FIRSTN, 1, 0 },
		{ CRUSH_RULE_EMIT, 0, 0 },
		{ 99, 1, 2 },			/* unknown op */
	};

	/* -1 (type 2) holds -2 (type 1) which holds -1 again; -50 and -3
	 * name no bucket; -4 holds itself */
	place(c, mk_bucket(-1, 2, CRUSH_BUCKET_STRAW2, 3, i1));
	place(c, mk_bucket(-2, 1, CRUSH_BUCKET_UNIFORM, 3, i2));
	place(c, mk_bucket(-4, 1, CRUSH_BUCKET_LIST, 1, i4));
	set_rule(c, 0, leaf, 3);
	set_rule(c, 1, never, 6);
	set_rule(c, 2, self, 7);
	for (int32_t x = 0; x < 200; x++) {
		for (int rule = 0; rule < 3; rule++) {
			for (int nr = 1; nr <= 6; nr++) {
				int n = scrush_do_rule(c, rule, x, out, nr, w, 2,
						       NULL);

				if (n == -ELOOP)
					continue;
				check_sane(c, out, n, nr);
			}
		}
	}
	crush_free(c);
}

TEST(hostile_tunables_and_trees)
{
	struct crush_map *c = mk_map(3, 3);
	static const int32_t devs[] = { 0, 1, 2, 3, 4 };
	static const int32_t top[] = { -2, -3 };
	uint32_t out_w[5] = { 0, 0, 0, 0, 0 };
	uint32_t half_w[5] = { 0x8000, 0x8000, 0x8000, 0x8000, 0x8000 };
	int32_t out[SCRUSH_MAX_RESULT];
	struct crush_bucket *tree;
	const struct crush_rule_step r0[] = {
		{ CRUSH_RULE_SET_CHOOSELEAF_VARY_R, 200, 0 },
		{ CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES, 1000000, 0 },
		{ CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES, 1000000, 0 },
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSELEAF_FIRSTN, 0x7fffffff, 1 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};
	const struct crush_rule_step r1[] = {
		{ CRUSH_RULE_SET_CHOOSE_TRIES, 0x7fffffff, 0 },
		{ CRUSH_RULE_SET_CHOOSELEAF_TRIES, 0x7fffffff, 0 },
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSELEAF_INDEP, 0x7fffffff, 1 },
		{ CRUSH_RULE_EMIT, 0, 0 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};
	const struct crush_rule_step r2[] = {
		{ CRUSH_RULE_TAKE, 3, 0 },	/* a device */
		{ CRUSH_RULE_CHOOSE_FIRSTN, 0, 0 },
		{ CRUSH_RULE_EMIT, 0, 0 },
		{ CRUSH_RULE_CHOOSE_FIRSTN, -100, 0 },
		{ CRUSH_RULE_TAKE, -3, 0 },
		{ CRUSH_RULE_CHOOSE_INDEP, -1, 0 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};

	place(c, mk_bucket(-1, 2, CRUSH_BUCKET_STRAW, 2, top));
	place(c, mk_bucket(-2, 1, CRUSH_BUCKET_UNIFORM, 5, devs));
	/* a tree whose node table is too small for its items */
	tree = mk_bucket(-3, 1, CRUSH_BUCKET_TREE, 5, devs);
	tree->num_nodes = 4;
	tree->node_weights = calloc(4, 4);
	tree->node_weights[2] = 0x20000;
	tree->node_weights[1] = 0x10000;
	place(c, tree);
	c->choose_total_tries = 0xffffffffu - 1;
	c->chooseleaf_descend_once = 0;
	set_rule(c, 0, r0, 6);
	set_rule(c, 1, r1, 6);
	set_rule(c, 2, r2, 7);

	for (int rule = 0; rule < 3; rule++) {
		for (int32_t x = 0; x < 1; x++) {
			/* every device out: only the budget stops the tries
			 * (slow under the sanitizers: rules 0 and 1 only) */
			int n = rule < 2 ?
				scrush_do_rule(c, rule, x, out, 4, out_w, 5, NULL) :
				0;

			CHECK(rule == 2 || n == -ELOOP);
			/* two of the two hosts: found without the budget */
			n = scrush_do_rule(c, rule, x, out, 2, half_w, 5, NULL);
			check_sane(c, out, n, 2);
		}
	}
	/* the tree itself, alone */
	c->choose_total_tries = 50;
	for (int32_t x = 0; x < 100; x++) {
		int n = scrush_do_rule(c, 2, x, out, 3, half_w, 5, NULL);

		if (n != -ELOOP)
			check_sane(c, out, n, 3);
	}
	/* num_nodes 0 would spin forever on its root */
	tree->num_nodes = 0;
	for (int32_t x = 0; x < 20; x++)
		check_sane(c, out, scrush_do_rule(c, 2, x, out, 3, half_w, 5, NULL), 3);
	crush_free(c);
}

TEST(bad_arguments)
{
	struct crush_map *c = load_map("crush-allalgs.bin");
	int32_t out[SCRUSH_MAX_RESULT + 1];
	uint32_t w[16];

	if (!c)
		return;
	for (int i = 0; i < 16; i++)
		w[i] = 0x10000;
	CHECK_EQ(scrush_do_rule(c, -1, 0, out, 3, w, 16, NULL), -EINVAL);
	CHECK_EQ(scrush_do_rule(c, 2, 0, out, 3, w, 16, NULL), -EINVAL);
	CHECK_EQ(scrush_do_rule(c, 1000, 0, out, 3, w, 16, NULL), -EINVAL);
	CHECK_EQ(scrush_do_rule(c, 0, 0, out, 0, w, 16, NULL), -EINVAL);
	CHECK_EQ(scrush_do_rule(c, 0, 0, out, SCRUSH_MAX_RESULT + 1, w, 16, NULL),
		 -EINVAL);
	CHECK_EQ(scrush_do_rule(NULL, 0, 0, out, 3, w, 16, NULL), -EINVAL);
	/* the largest result: firstn stops at the devices there are */
	CHECK_EQ(scrush_do_rule(c, 4, 7, out, SCRUSH_MAX_RESULT, w, 16, NULL), 5);
	/* no weights: every device is out */
	CHECK_EQ(scrush_do_rule(c, 0, 7, out, 3, NULL, 0, NULL), 0);
	/* choose_args fall back to the compat set (-1) */
	CHECK(scrush_choose_args_for(c, 12345) == crush_choose_args_find(c, -1));
	CHECK(scrush_choose_args_for(c, 1) == crush_choose_args_find(c, 1));
	CHECK(scrush_choose_args_for(NULL, 1) == NULL);
	crush_free(c);
}

/* A uniform bucket far larger than any r: the permutation walk must
 * agree with itself whatever the order of the r values asked. */
TEST(uniform_large_bucket)
{
	struct crush_map *c = mk_map(1, 1);
	int32_t items[300], out[8];
	uint32_t w[300];
	const struct crush_rule_step r[] = {
		{ CRUSH_RULE_TAKE, -1, 0 },
		{ CRUSH_RULE_CHOOSE_FIRSTN, 0, 0 },
		{ CRUSH_RULE_EMIT, 0, 0 },
	};

	for (int i = 0; i < 300; i++) {
		items[i] = i;
		w[i] = i % 3 ? 0x10000 : 0;	/* a third out: retries */
	}
	place(c, mk_bucket(-1, 1, CRUSH_BUCKET_UNIFORM, 300, items));
	set_rule(c, 0, r, 3);
	for (int32_t x = 0; x < 500; x++) {
		int n = scrush_do_rule(c, 0, x, out, 8, w, 300, NULL);

		CHECK_EQ(n, 8);
		for (int i = 0; i < n; i++) {
			CHECK(out[i] % 3 != 0);
			for (int j = 0; j < i; j++)
				CHECK(out[i] != out[j]);
		}
	}
	crush_free(c);
}

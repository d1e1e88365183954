/* CRUSH map decoding against Ceph's own view of real and synthetic maps
 * (tests/data/crush-*.expect, made by osd-mkexpect.py from crushtool). */
#include <stdlib.h>

#include "encoding/buf.h"
#include "osd/crush.h"
#include "test.h"

static uint32_t item_weight(const struct crush_bucket *b, uint32_t i)
{
	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		return b->item_weight;
	case CRUSH_BUCKET_TREE:
		/* leaves are the odd nodes of the weight tree */
		return b->node_weights[((i + 1) << 1) - 1];
	default:
		return b->item_weights[i];
	}
}

struct crush_check {
	const struct crush_map *c;
	uint32_t buckets, rules, choose_args;
};

static void check_tunable(const struct crush_map *c, const char *k, long long v)
{
	if (!strcmp(k, "choose_local_tries"))
		CHECK_EQ(c->choose_local_tries, v);
	else if (!strcmp(k, "choose_local_fallback_tries"))
		CHECK_EQ(c->choose_local_fallback_tries, v);
	else if (!strcmp(k, "choose_total_tries"))
		CHECK_EQ(c->choose_total_tries, v);
	else if (!strcmp(k, "chooseleaf_descend_once"))
		CHECK_EQ(c->chooseleaf_descend_once, v);
	else if (!strcmp(k, "chooseleaf_vary_r"))
		CHECK_EQ(c->chooseleaf_vary_r, v);
	else if (!strcmp(k, "chooseleaf_stable"))
		CHECK_EQ(c->chooseleaf_stable, v);
	else if (!strcmp(k, "straw_calc_version"))
		CHECK_EQ(c->straw_calc_version, v);
	else if (!strcmp(k, "allowed_bucket_algs"))
		CHECK_EQ(c->allowed_bucket_algs, v);
	else
		CHECK(!"unknown tunable");
}

static void check_bucket(struct crush_check *k, char **w, int n)
{
	const struct crush_bucket *b = crush_bucket_by_id(k->c, test_num(w[1]));

	k->buckets++;
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK_STR(crush_item_name(k->c, b->id), w[2]);
	CHECK_EQ(b->type, test_num(w[3]));
	CHECK_EQ(b->alg, test_num(w[4]));
	CHECK_EQ(b->hash, test_num(w[5]));
	CHECK_EQ(b->weight, test_num(w[6]));
	CHECK_EQ(b->size, (n - 7) / 2);
	for (uint32_t i = 0; i < b->size && 7 + 2 * i + 1 < (uint32_t)n; i++) {
		CHECK_EQ(b->items[i], test_num(w[7 + 2 * i]));
		CHECK_EQ(item_weight(b, i), test_num(w[8 + 2 * i]));
	}
	if (b->alg == CRUSH_BUCKET_LIST) {
		uint32_t sum = 0;

		for (uint32_t i = 0; i < b->size; i++) {
			sum += b->item_weights[i];
			CHECK_EQ(b->sum_weights[i], sum);
		}
	}
	if (b->alg == CRUSH_BUCKET_STRAW)
		CHECK(b->straws != NULL);
}

static void check_rule(struct crush_check *k, char **w, int n)
{
	const struct crush_rule *r = crush_rule_by_id(k->c, test_num(w[1]));

	k->rules++;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STR(crush_rule_name(k->c, test_num(w[1])), w[2]);
	CHECK_EQ(r->ruleset, test_num(w[3]));
	CHECK_EQ(r->type, test_num(w[4]));
	CHECK_EQ(r->min_size, test_num(w[5]));
	CHECK_EQ(r->max_size, test_num(w[6]));
	CHECK_EQ(r->len, (n - 7) / 3);
	for (uint32_t i = 0; i < r->len && 9 + 3 * i < (uint32_t)n; i++) {
		CHECK_EQ(r->steps[i].op, test_num(w[7 + 3 * i]));
		CHECK_EQ(r->steps[i].arg1, test_num(w[8 + 3 * i]));
		CHECK_EQ(r->steps[i].arg2, test_num(w[9 + 3 * i]));
	}
	CHECK_EQ(crushmap_find_rule(k->c, r->ruleset, r->type, r->min_size),
		 test_num(w[1]));
}

static void check_choose_arg(struct crush_check *k, char **w)
{
	const struct crush_choose_arg_map *m;
	const struct crush_choose_arg *a;
	char *pos, *s1 = NULL;
	uint32_t p = 0;

	k->choose_args++;
	m = crush_choose_args_find(k->c, test_num(w[1]));
	CHECK(m != NULL);
	a = m ? crush_choose_arg_for(m, test_num(w[2])) : NULL;
	CHECK(a != NULL);
	if (!a)
		return;
	if (strcmp(w[3], "-")) {
		for (pos = strtok_r(w[3], ";", &s1); pos;
		     pos = strtok_r(NULL, ";", &s1), p++) {
			char *x, *s2 = NULL;
			uint32_t i = 0;

			CHECK(p < a->weight_set_positions);
			if (p >= a->weight_set_positions)
				return;
			for (x = strtok_r(pos, ",", &s2); x;
			     x = strtok_r(NULL, ",", &s2), i++)
				CHECK_EQ(a->weight_set[p].weights[i],
					 test_num(x));
			CHECK_EQ(a->weight_set[p].size, i);
		}
	}
	CHECK_EQ(a->weight_set_positions, p);
	if (strcmp(w[4], "-")) {
		char *x, *s2 = NULL;
		uint32_t i = 0;

		for (x = strtok_r(w[4], ",", &s2); x;
		     x = strtok_r(NULL, ",", &s2), i++)
			CHECK_EQ(a->ids[i], test_num(x));
		CHECK_EQ(a->ids_size, i);
	} else {
		CHECK_EQ(a->ids_size, 0);
	}
}

static void check_class_bucket(struct crush_check *k, char **w)
{
	int32_t bucket, class_id = -1;

	CHECK_EQ(crush_item_by_name(k->c, w[1], &bucket), 0);
	for (uint32_t i = 0; i < k->c->num_class_names; i++)
		if (!strcmp(k->c->class_names[i].name, w[2]))
			class_id = k->c->class_names[i].id;
	CHECK(class_id >= 0);
	CHECK_EQ(crush_class_shadow(k->c, bucket, class_id), test_num(w[3]));
}

static void check_line(void *arg, char **w, int n)
{
	struct crush_check *k = arg;
	int cls;

	if (!strcmp(w[0], "tunable") && n == 3) {
		check_tunable(k->c, w[1], test_num(w[2]));
	} else if (!strcmp(w[0], "device") && n == 4) {
		char hole[32];

		/* the dump invents "deviceN" for ids without a name */
		snprintf(hole, sizeof(hole), "device%lld", test_num(w[1]));
		if (strcmp(w[2], hole))
			CHECK_STR(crush_item_name(k->c, test_num(w[1])), w[2]);
		else
			CHECK(crush_item_name(k->c, test_num(w[1])) == NULL);
		cls = crush_item_class(k->c, test_num(w[1]));
		if (!strcmp(w[3], "-"))
			CHECK(cls < 0);
		else
			CHECK_STR(crush_class_name(k->c, cls), w[3]);
		CHECK(test_num(w[1]) < k->c->max_devices);
	} else if (!strcmp(w[0], "type") && n == 3) {
		CHECK_STR(crush_type_name(k->c, test_num(w[1])), w[2]);
	} else if (!strcmp(w[0], "bucket") && n >= 7) {
		check_bucket(k, w, n);
	} else if (!strcmp(w[0], "rule") && n >= 7) {
		check_rule(k, w, n);
	} else if (!strcmp(w[0], "choose_arg") && n == 5) {
		check_choose_arg(k, w);
	} else if (!strcmp(w[0], "class_bucket") && n == 4) {
		check_class_bucket(k, w);
	} else {
		CHECK(!"bad expect line");
	}
}

static void check_against(const char *bin, const char *expect)
{
	struct crush_check k = { 0 };
	struct crush_map *c;
	uint32_t buckets = 0, rules = 0, args = 0;
	size_t n;
	uint8_t *p = test_read_data(bin, &n);

	if (!p)
		return;
	CHECK_EQ(crush_decode(p, n, &c), 0);
	if (c) {
		k.c = c;
		test_for_each_line(expect, check_line, &k);
		for (int32_t i = 0; i < c->max_buckets; i++)
			buckets += c->buckets[i] != NULL;
		for (uint32_t i = 0; i < c->max_rules; i++)
			rules += c->rules[i] != NULL;
		for (uint32_t i = 0; i < c->num_choose_args; i++)
			args += c->choose_args[i].num_args;
		CHECK_EQ(buckets, k.buckets);
		CHECK_EQ(rules, k.rules);
		CHECK_EQ(args, k.choose_args);
		crush_free(c);
	}
	free(p);
}

TEST(crush_cluster_map)
{
	check_against("crush-seq-e59.bin", "crush-seq-e59.expect");
}

TEST(crush_all_bucket_algorithms)
{
	struct crush_map *c;
	size_t n;
	uint8_t *p;

	check_against("crush-allalgs.bin", "crush-allalgs.expect");
	/* every algorithm is there */
	p = test_read_data("crush-allalgs.bin", &n);
	if (!p || crush_decode(p, n, &c)) {
		CHECK(!"decode");
		free(p);
		return;
	}
	for (int alg = CRUSH_BUCKET_UNIFORM; alg <= CRUSH_BUCKET_STRAW2; alg++) {
		int found = 0;

		for (int32_t i = 0; i < c->max_buckets; i++)
			found |= c->buckets[i] && c->buckets[i]->alg == alg;
		CHECK(found);
	}
	CHECK_EQ(c->max_devices, 15);
	CHECK(crush_item_name(c, 12) == NULL);	/* a hole in the ids */
	CHECK(crush_bucket_by_id(c, -1000) == NULL);
	CHECK(crush_bucket_by_id(c, 0) == NULL);
	CHECK(crush_rule_by_id(c, 2) == NULL);
	CHECK_EQ(crushmap_find_rule(c, 9, 1, 1), -ENOENT);
	crush_free(c);
	free(p);
}

TEST(crush_the_other_engineers_capture)
{
	struct crush_map *c;
	size_t n;
	uint8_t *p = test_read_data("crushmap-1osd.bin", &n);

	if (!p)
		return;
	CHECK_EQ(crush_decode(p, n, &c), 0);
	if (c) {
		CHECK_STR(crush_rule_name(c, 0), "replicated_rule");
		CHECK_EQ(c->choose_total_tries, 50);
		crush_free(c);
	}
	free(p);
}

/* A prefix decodes or fails with -EBADMSG and no map; *arg counts the
 * prefixes that decode. */
static int crush_prefix(void *arg, const uint8_t *cut, size_t len)
{
	struct crush_map *c;
	int r = crush_decode(cut, len, &c);

	*(size_t *)arg += r == 0;
	crush_free(c);
	return !(r == 0 || r == -EBADMSG) || (r != 0 && c != NULL);
}

/* Cutting the map anywhere fails cleanly, except at the boundaries where
 * an older encoder would have stopped (the optional tail). */
static void truncations(const char *name)
{
	size_t n, ok = 0;
	uint8_t *p = test_read_data(name, &n);

	if (!p)
		return;
	CHECK_EQ(test_check_truncations(p, n, crush_prefix, &ok), 0);
	/* at most: after the name maps, each tunable, classes */
	CHECK(ok <= 8);
	free(p);
}

TEST(crush_truncations)
{
	truncations("crush-seq-e59.bin");
	truncations("crush-allalgs.bin");
}

/* A hand-built map that ends after the name maps: legacy tunables. */
static void put_minimal(struct buf *b)
{
	buf_put_u32(b, CRUSH_MAGIC);
	buf_put_u32(b, 1);	/* max_buckets */
	buf_put_u32(b, 1);	/* max_rules */
	buf_put_u32(b, 2);	/* max_devices */
	buf_put_u32(b, CRUSH_BUCKET_STRAW2);
	buf_put_u32(b, (uint32_t)-1);	/* id */
	buf_put_u16(b, 1);
	buf_put_u8(b, CRUSH_BUCKET_STRAW2);
	buf_put_u8(b, 0);
	buf_put_u32(b, 0x20000);
	buf_put_u32(b, 2);
	buf_put_u32(b, 0);
	buf_put_u32(b, 1);
	buf_put_u32(b, 0x10000);
	buf_put_u32(b, 0x10000);
	buf_put_u32(b, 0);	/* no rule 0 */
	buf_put_u32(b, 1);	/* type_map: one entry */
	buf_put_u32(b, 1);
	buf_put_str(b, "host");
	buf_put_u32(b, 1);	/* name_map: a 64-bit key (old bug) */
	buf_put_u32(b, (uint32_t)-1);
	buf_put_u32(b, 0);
	buf_put_str(b, "h");
	buf_put_u32(b, 0);	/* rule_name_map */
}

TEST(crush_legacy_defaults)
{
	struct buf b = BUF_INIT;
	struct crush_map *c;

	put_minimal(&b);
	CHECK_EQ(crush_decode(b.data, b.len, &c), 0);
	if (c) {
		CHECK_EQ(c->choose_local_tries, 2);
		CHECK_EQ(c->choose_local_fallback_tries, 5);
		CHECK_EQ(c->choose_total_tries, 19);
		CHECK_EQ(c->chooseleaf_descend_once, 0);
		CHECK_EQ(c->chooseleaf_vary_r, 0);
		CHECK_EQ(c->chooseleaf_stable, 0);
		CHECK_EQ(c->straw_calc_version, 0);
		CHECK_EQ(c->allowed_bucket_algs,
			 CRUSH_LEGACY_ALLOWED_BUCKET_ALGS);
		CHECK_STR(crush_item_name(c, -1), "h");
		CHECK_STR(crush_type_name(c, 1), "host");
		CHECK_EQ(c->max_devices, 2);
		crush_free(c);
	}
	/* the first three tunables only */
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 50);
	CHECK_EQ(crush_decode(b.data, b.len, &c), 0);
	if (c) {
		CHECK_EQ(c->choose_total_tries, 50);
		CHECK_EQ(c->chooseleaf_descend_once, 0);
		crush_free(c);
	}
	buf_free(&b);
}

static int decode_patched(struct buf *b, size_t off, uint32_t v)
{
	struct crush_map *c;
	uint8_t *p = malloc(b->len);
	int r;

	memcpy(p, b->data, b->len);
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
	p[off + 2] = (uint8_t)(v >> 16);
	p[off + 3] = (uint8_t)(v >> 24);
	r = crush_decode(p, b->len, &c);
	crush_free(c);
	free(p);
	return r;
}

TEST(crush_corrupt)
{
	struct buf b = BUF_INIT;

	put_minimal(&b);
	CHECK_EQ(decode_patched(&b, 0, 0x12345678), -ENOTSUP);	/* magic */
	CHECK_EQ(decode_patched(&b, 4, 0x7fffffff), -EBADMSG);	/* buckets */
	CHECK_EQ(decode_patched(&b, 4, 0xffffffff), -EBADMSG);
	CHECK_EQ(decode_patched(&b, 8, 0x40000000), -EBADMSG);	/* rules */
	CHECK_EQ(decode_patched(&b, 16, 9), -EBADMSG);		/* alg */
	CHECK_EQ(decode_patched(&b, 20, -2), -EBADMSG);		/* id */
	CHECK_EQ(decode_patched(&b, 32, 0x10000000), -EBADMSG);	/* size */
	CHECK_EQ(decode_patched(&b, 56, 0x7fffffff), -EBADMSG);	/* type_map */
	buf_free(&b);
}

/* choose_args must describe an existing bucket with matching sizes. */
TEST(crush_choose_args_checked)
{
	struct buf b = BUF_INIT;
	struct crush_map *c;
	size_t base;

	put_minimal(&b);
	buf_put_zero(&b, 4 * 4 + 1 + 1 + 4 + 1);	/* the tunables */
	buf_put_u32(&b, 0);	/* class_map, class_name, class_bucket */
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 0);
	buf_put_u32(&b, 1);	/* one choose_args map */
	buf_put_u64(&b, 5);
	buf_put_u32(&b, 1);
	base = b.len;
	buf_put_u32(&b, 0);	/* bucket index 0 */
	buf_put_u32(&b, 1);	/* one position */
	buf_put_u32(&b, 2);
	buf_put_u32(&b, 7);
	buf_put_u32(&b, 8);
	buf_put_u32(&b, 0);	/* no ids */
	CHECK_EQ(crush_decode(b.data, b.len, &c), 0);
	if (c) {
		const struct crush_choose_arg_map *m =
			crush_choose_args_find(c, 5);
		const struct crush_choose_arg *a =
			m ? crush_choose_arg_for(m, -1) : NULL;

		CHECK(a && a->weight_set[0].weights[1] == 8);
		crush_free(c);
	}
	CHECK_EQ(decode_patched(&b, base, 1), -EBADMSG);	/* index */
	CHECK_EQ(decode_patched(&b, base + 8, 3), -EBADMSG);	/* size */
	CHECK_EQ(decode_patched(&b, base + 20, 1), -EBADMSG);	/* ids */
	buf_free(&b);
}

TEST(crush_refcount)
{
	struct crush_map *c;
	size_t n;
	uint8_t *p = test_read_data("crush-seq-e59.bin", &n);

	if (!p || crush_decode(p, n, &c)) {
		free(p);
		CHECK(!"decode");
		return;
	}
	CHECK(crush_get(c) == c);
	CHECK_EQ(c->refs, 2);
	crush_put(c);
	CHECK_EQ(c->refs, 1);
	crush_free(c);
	free(p);
}

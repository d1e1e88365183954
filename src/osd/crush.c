/* Decoding of the CRUSH map as CrushWrapper encodes it (Pacific), into
 * the structures of crush.h, plus lookups and reference counting. */
#include "crush.h"

#include <stdlib.h>
#include <string.h>

#include "encoding/dec.h"

static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

/* n little-endian u32s into a new array; the bytes are checked first so
 * a hostile count fails before anything is allocated. */
static int dec_u32_array(struct dec *d, uint32_t n, uint32_t **out)
{
	uint32_t *a;

	if (n > dec_left(d) / 4)
		return -EBADMSG;
	a = zalloc(n, sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		dec_u32(d, &a[i]);
	*out = a;
	return 0;
}

static void bucket_free(struct crush_bucket *b)
{
	if (!b)
		return;
	free(b->items);
	free(b->item_weights);
	free(b->sum_weights);
	free(b->straws);
	free(b->node_weights);
	free(b);
}

/* The per-algorithm tail of a bucket. */
static int bucket_decode_alg(struct dec *d, struct crush_bucket *b)
{
	uint8_t nodes;
	int r;

	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		return dec_u32(d, &b->item_weight);
	case CRUSH_BUCKET_LIST:
	case CRUSH_BUCKET_STRAW:
		/* item weight, then sum_weight or straw, interleaved */
		if (b->size > dec_left(d) / 8)
			return -EBADMSG;
		b->item_weights = zalloc(b->size, 4);
		if (b->alg == CRUSH_BUCKET_LIST)
			b->sum_weights = zalloc(b->size, 4);
		else
			b->straws = zalloc(b->size, 4);
		if (!b->item_weights || (!b->sum_weights && !b->straws))
			return -ENOMEM;
		for (uint32_t i = 0; i < b->size; i++) {
			dec_u32(d, &b->item_weights[i]);
			dec_u32(d, b->sum_weights ? &b->sum_weights[i] :
						    &b->straws[i]);
		}
		return 0;
	case CRUSH_BUCKET_TREE:
		r = dec_u8(d, &nodes);
		if (r)
			return r;
		b->num_nodes = nodes;
		return dec_u32_array(d, nodes, &b->node_weights);
	case CRUSH_BUCKET_STRAW2:
		return dec_u32_array(d, b->size, &b->item_weights);
	}
	return -EBADMSG;
}

/* One bucket slot: u32 alg (0 = empty slot), then the bucket. */
static int bucket_decode(struct dec *d, int32_t index,
			 struct crush_bucket **out)
{
	struct crush_bucket *b = NULL;
	uint32_t alg, *items;
	int r;

	*out = NULL;
	r = dec_u32(d, &alg);
	if (r || alg == 0)
		return r;
	r = -EBADMSG;
	if (alg < CRUSH_BUCKET_UNIFORM || alg > CRUSH_BUCKET_STRAW2)
		goto fail;
	b = calloc(1, sizeof(*b));
	if (!b) {
		r = -ENOMEM;
		goto fail;
	}
	if (dec_s32(d, &b->id) || dec_u16(d, &b->type) ||
	    dec_u8(d, &b->alg) || dec_u8(d, &b->hash) ||
	    dec_u32(d, &b->weight) || dec_u32(d, &b->size))
		goto fail;
	/* the slot and the bucket must agree: the mapper finds a bucket
	 * by id alone */
	if (b->alg != alg || b->id != -1 - index)
		goto fail;
	r = dec_u32_array(d, b->size, &items);
	if (r)
		goto fail;
	b->items = (int32_t *)items;
	/* the mapper's "no result" markers cannot be devices */
	for (uint32_t i = 0; i < b->size; i++)
		if (b->items[i] >= CRUSH_ITEM_UNDEF)
			goto fail;
	r = bucket_decode_alg(d, b);
	if (r)
		goto fail;
	*out = b;
	return 0;
fail:
	bucket_free(b);
	return r;
}

static int rule_decode(struct dec *d, struct crush_rule **out)
{
	struct crush_rule *rule;
	uint32_t yes, len;

	*out = NULL;
	if (dec_u32(d, &yes))
		return -EBADMSG;
	if (!yes)
		return 0;
	if (dec_u32(d, &len) || dec_need(d, 4) ||
	    len > (dec_left(d) - 4) / 12)
		return -EBADMSG;
	rule = malloc(sizeof(*rule) + (size_t)len * sizeof(rule->steps[0]));
	if (!rule)
		return -ENOMEM;
	rule->len = len;
	dec_u8(d, &rule->ruleset);
	dec_u8(d, &rule->type);
	dec_u8(d, &rule->min_size);
	dec_u8(d, &rule->max_size);
	for (uint32_t i = 0; i < len; i++) {
		dec_u32(d, &rule->steps[i].op);
		dec_s32(d, &rule->steps[i].arg1);
		dec_s32(d, &rule->steps[i].arg2);
	}
	*out = rule;
	return 0;
}

static void names_free(struct crush_name *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* map<int32, string>. An old encoder wrote some keys as 64 bits; names
 * are never empty, so a zero "length" means the real length follows,
 * as CrushWrapper itself assumes. Keys must be strictly increasing (as
 * std::map writes them) so lookups can bisect. */
static int names_decode(struct dec *d, struct crush_name **out,
			uint32_t *nout)
{
	struct crush_name *v;
	uint32_t n, i, len;
	const uint8_t *s;
	int r = -EBADMSG;

	if (dec_count(d, 8, &n))
		return -EBADMSG;
	v = zalloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (dec_s32(d, &v[i].id) || dec_u32(d, &len))
			goto fail;
		if (len == 0 && dec_u32(d, &len))
			goto fail;
		if (dec_view(d, len, &s))
			goto fail;
		if (i && v[i].id <= v[i - 1].id)
			goto fail;
		v[i].name = malloc((size_t)len + 1);
		if (!v[i].name) {
			r = -ENOMEM;
			goto fail;
		}
		memcpy(v[i].name, s, len);
		v[i].name[len] = '\0';
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	names_free(v, n);
	return r;
}

/* The legacy ("argonaut") tunables, which apply to every field an old
 * encoding stops short of. */
static void tunables_legacy(struct crush_map *c)
{
	c->choose_local_tries = 2;
	c->choose_local_fallback_tries = 5;
	c->choose_total_tries = 19;
	c->chooseleaf_descend_once = 0;
	c->chooseleaf_vary_r = 0;
	c->chooseleaf_stable = 0;
	c->straw_calc_version = 0;
	c->allowed_bucket_algs = CRUSH_LEGACY_ALLOWED_BUCKET_ALGS;
}

/* Each tunable was appended in a later release: stop at the end. */
static int tunables_decode(struct dec *d, struct crush_map *c)
{
	if (!dec_left(d))
		return 0;
	if (dec_u32(d, &c->choose_local_tries) ||
	    dec_u32(d, &c->choose_local_fallback_tries) ||
	    dec_u32(d, &c->choose_total_tries))
		return -EBADMSG;
	if (!dec_left(d))
		return 0;
	if (dec_u32(d, &c->chooseleaf_descend_once))
		return -EBADMSG;
	if (!dec_left(d))
		return 0;
	if (dec_u8(d, &c->chooseleaf_vary_r))
		return -EBADMSG;
	if (!dec_left(d))
		return 0;
	if (dec_u8(d, &c->straw_calc_version))
		return -EBADMSG;
	if (!dec_left(d))
		return 0;
	if (dec_u32(d, &c->allowed_bucket_algs))
		return -EBADMSG;
	if (!dec_left(d))
		return 0;
	return dec_u8(d, &c->chooseleaf_stable);
}

/* class_map (item -> class) and class_bucket (bucket -> class ->
 * shadow bucket), flattened into sorted arrays. */
static int class_map_decode(struct dec *d, struct crush_map *c)
{
	uint32_t n;

	if (dec_count(d, 8, &n))
		return -EBADMSG;
	c->class_map = zalloc(n, sizeof(*c->class_map));
	if (!c->class_map)
		return -ENOMEM;
	c->num_class_map = n;
	for (uint32_t i = 0; i < n; i++) {
		struct crush_class_item *e = &c->class_map[i];

		dec_s32(d, &e->item);
		dec_s32(d, &e->class_id);
		if (i && e->item <= e[-1].item)
			return -EBADMSG;
	}
	return 0;
}

static int class_bucket_decode(struct dec *d, struct crush_map *c)
{
	struct crush_class_bucket *v;
	uint32_t n, m, cap = 0, used = 0;
	int32_t bucket;

	if (dec_count(d, 8, &n))
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		if (dec_s32(d, &bucket) || dec_count(d, 8, &m))
			return -EBADMSG;
		if (used + (uint64_t)m > cap) {
			/* m entries are known to follow: growth is bounded
			 * by the input */
			uint32_t ncap = cap * 2 > used + m ? cap * 2 : used + m;

			v = realloc(c->class_buckets, (size_t)ncap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			c->class_buckets = v;
			cap = ncap;
		}
		for (uint32_t j = 0; j < m; j++) {
			struct crush_class_bucket *e = &c->class_buckets[used];

			e->bucket = bucket;
			dec_s32(d, &e->class_id);
			dec_s32(d, &e->shadow);
			if (used && (e->bucket < e[-1].bucket ||
				     (e->bucket == e[-1].bucket &&
				      e->class_id <= e[-1].class_id)))
				return -EBADMSG;
			c->num_class_buckets = ++used;
		}
	}
	return 0;
}

static int classes_decode(struct dec *d, struct crush_map *c)
{
	int r;

	if (!dec_left(d))
		return 0;
	r = class_map_decode(d, c);
	if (!r)
		r = names_decode(d, &c->class_names, &c->num_class_names);
	if (!r)
		r = class_bucket_decode(d, c);
	return r;
}

static void choose_arg_map_release(struct crush_choose_arg_map *m)
{
	for (uint32_t i = 0; i < m->num_args; i++) {
		struct crush_choose_arg *a = &m->args[i];

		for (uint32_t j = 0; j < a->weight_set_positions; j++)
			free(a->weight_set[j].weights);
		free(a->weight_set);
		free(a->ids);
	}
	free(m->args);
}

/* One bucket's choose_arg. Its arrays must match the bucket's size so the
 * mapper can use them in place of the bucket's own. */
static int choose_arg_decode(struct dec *d, const struct crush_map *c,
			     struct crush_choose_arg *a)
{
	const struct crush_bucket *b;
	uint32_t n;
	int r;

	if (dec_u32(d, &a->bucket_index) ||
	    a->bucket_index >= (uint32_t)c->max_buckets)
		return -EBADMSG;
	b = c->buckets[a->bucket_index];
	if (!b || dec_count(d, 4, &n))
		return -EBADMSG;
	a->weight_set = zalloc(n, sizeof(*a->weight_set));
	if (!a->weight_set)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct crush_weight_set *w = &a->weight_set[i];

		if (dec_u32(d, &w->size) || w->size != b->size)
			return -EBADMSG;
		r = dec_u32_array(d, w->size, &w->weights);
		if (r)
			return r;
		a->weight_set_positions = i + 1;
	}
	if (dec_u32(d, &n) || (n && n != b->size))
		return -EBADMSG;
	if (n) {
		uint32_t *ids;

		r = dec_u32_array(d, n, &ids);
		if (r)
			return r;
		a->ids = (int32_t *)ids;
		a->ids_size = n;
	}
	return 0;
}

static int choose_arg_map_decode(struct dec *d, const struct crush_map *c,
				 struct crush_choose_arg_map *m)
{
	uint32_t n;
	int r;

	if (dec_s64(d, &m->index) || dec_count(d, 12, &n))
		return -EBADMSG;
	m->args = zalloc(n, sizeof(*m->args));
	if (!m->args)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		/* counted first, so a partly decoded arg is freed too */
		m->num_args = i + 1;
		r = choose_arg_decode(d, c, &m->args[i]);
		if (r)
			return r;
		if (i && m->args[i].bucket_index <= m->args[i - 1].bucket_index)
			return -EBADMSG;
	}
	return 0;
}

static int choose_args_decode(struct dec *d, struct crush_map *c)
{
	uint32_t n;
	int r;

	if (!dec_left(d))
		return 0;
	if (dec_count(d, 12, &n))
		return -EBADMSG;
	c->choose_args = zalloc(n, sizeof(*c->choose_args));
	if (!c->choose_args)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct crush_choose_arg_map *m = &c->choose_args[i];

		c->num_choose_args = i + 1;
		r = choose_arg_map_decode(d, c, m);
		if (r)
			return r;
		if (i && m->index <= m[-1].index)
			return -EBADMSG;
	}
	return 0;
}

/* As Ceph's crush_finalize(): max_devices is one past the largest device
 * any bucket holds, whatever the header said. */
static void crush_finalize(struct crush_map *c)
{
	c->max_devices = 0;
	for (int32_t i = 0; i < c->max_buckets; i++) {
		const struct crush_bucket *b = c->buckets[i];

		for (uint32_t j = 0; b && j < b->size; j++)
			if (b->items[j] >= c->max_devices)
				c->max_devices = b->items[j] + 1;
	}
}

static int buckets_rules_decode(struct dec *d, struct crush_map *c)
{
	int r;

	/* each slot takes at least 4 bytes: refuse counts the input
	 * cannot hold before allocating the slot arrays */
	if (c->max_buckets < 0 ||
	    (uint64_t)c->max_buckets * 4 + (uint64_t)c->max_rules * 4 >
	    dec_left(d))
		return -EBADMSG;
	c->buckets = zalloc((size_t)c->max_buckets, sizeof(*c->buckets));
	c->rules = zalloc(c->max_rules, sizeof(*c->rules));
	if (!c->buckets || !c->rules)
		return -ENOMEM;
	for (int32_t i = 0; i < c->max_buckets; i++) {
		r = bucket_decode(d, i, &c->buckets[i]);
		if (r)
			return r;
	}
	for (uint32_t i = 0; i < c->max_rules; i++) {
		r = rule_decode(d, &c->rules[i]);
		if (r)
			return r;
	}
	return 0;
}

static int crush_decode_body(struct dec *d, struct crush_map *c)
{
	uint32_t magic;
	int r;

	if (dec_u32(d, &magic) || dec_s32(d, &c->max_buckets) ||
	    dec_u32(d, &c->max_rules) || dec_s32(d, &c->max_devices))
		return -EBADMSG;
	if (magic != CRUSH_MAGIC)
		return -ENOTSUP;
	tunables_legacy(c);
	r = buckets_rules_decode(d, c);
	if (!r)
		r = names_decode(d, &c->type_names, &c->num_type_names);
	if (!r)
		r = names_decode(d, &c->item_names, &c->num_item_names);
	if (!r)
		r = names_decode(d, &c->rule_names, &c->num_rule_names);
	if (!r)
		r = tunables_decode(d, c);
	if (!r)
		r = classes_decode(d, c);
	if (!r)
		r = choose_args_decode(d, c);
	/* anything after choose_args (newer releases' tunables) is not
	 * ours to interpret and is ignored, as the kernel does */
	return r;
}

int crush_decode(const uint8_t *p, size_t n, struct crush_map **out)
{
	struct crush_map *c;
	struct dec d;
	int r;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->refs = 1;
	dec_init(&d, p, n);
	r = crush_decode_body(&d, c);
	if (r) {
		crush_put(c);
		return r;
	}
	crush_finalize(c);
	*out = c;
	return 0;
}

struct crush_map *crush_get(struct crush_map *c)
{
	if (c)
		__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	return c;
}

static void crush_destroy(struct crush_map *c)
{
	if (c->buckets)
		for (int32_t i = 0; i < c->max_buckets; i++)
			bucket_free(c->buckets[i]);
	if (c->rules)
		for (uint32_t i = 0; i < c->max_rules; i++)
			free(c->rules[i]);
	free(c->buckets);
	free(c->rules);
	names_free(c->type_names, c->num_type_names);
	names_free(c->item_names, c->num_item_names);
	names_free(c->rule_names, c->num_rule_names);
	names_free(c->class_names, c->num_class_names);
	free(c->class_map);
	free(c->class_buckets);
	for (uint32_t i = 0; i < c->num_choose_args; i++)
		choose_arg_map_release(&c->choose_args[i]);
	free(c->choose_args);
	free(c);
}

void crush_put(struct crush_map *c)
{
	if (c && __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0)
		crush_destroy(c);
}

void crush_free(struct crush_map *c)
{
	crush_put(c);
}

const struct crush_bucket *crush_bucket_by_id(const struct crush_map *c,
					      int32_t id)
{
	int64_t i = -1 - (int64_t)id;

	if (id >= 0 || i >= c->max_buckets)
		return NULL;
	return c->buckets[i];
}

const struct crush_rule *crush_rule_by_id(const struct crush_map *c,
					  uint32_t ruleno)
{
	return ruleno < c->max_rules ? c->rules[ruleno] : NULL;
}

int crushmap_find_rule(const struct crush_map *c, int ruleset, int type,
		    int size)
{
	for (uint32_t i = 0; i < c->max_rules; i++) {
		const struct crush_rule *r = c->rules[i];

		if (r && r->ruleset == ruleset && r->type == type &&
		    r->min_size <= size && r->max_size >= size)
			return (int)i;
	}
	return -ENOENT;
}

static const char *names_find(const struct crush_name *v, uint32_t n,
			      int32_t id)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v[mid].id == id)
			return v[mid].name;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *crush_type_name(const struct crush_map *c, int32_t type)
{
	return names_find(c->type_names, c->num_type_names, type);
}

const char *crush_item_name(const struct crush_map *c, int32_t id)
{
	return names_find(c->item_names, c->num_item_names, id);
}

const char *crush_rule_name(const struct crush_map *c, int32_t ruleno)
{
	return names_find(c->rule_names, c->num_rule_names, ruleno);
}

const char *crush_class_name(const struct crush_map *c, int32_t class_id)
{
	return names_find(c->class_names, c->num_class_names, class_id);
}

int crush_item_class(const struct crush_map *c, int32_t item)
{
	uint32_t lo = 0, hi = c->num_class_map;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->class_map[mid].item == item)
			return c->class_map[mid].class_id;
		if (c->class_map[mid].item < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

int32_t crush_class_shadow(const struct crush_map *c, int32_t bucket,
			   int32_t class_id)
{
	for (uint32_t i = 0; i < c->num_class_buckets; i++) {
		const struct crush_class_bucket *e = &c->class_buckets[i];

		if (e->bucket == bucket && e->class_id == class_id)
			return e->shadow;
	}
	return 0;
}

int crush_item_by_name(const struct crush_map *c, const char *name,
		       int32_t *id)
{
	for (uint32_t i = 0; i < c->num_item_names; i++) {
		if (!strcmp(c->item_names[i].name, name)) {
			*id = c->item_names[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

const struct crush_choose_arg_map *
crush_choose_args_find(const struct crush_map *c, int64_t index)
{
	for (uint32_t i = 0; i < c->num_choose_args; i++)
		if (c->choose_args[i].index == index)
			return &c->choose_args[i];
	return NULL;
}

const struct crush_choose_arg *
crush_choose_arg_for(const struct crush_choose_arg_map *m, int32_t bucket_id)
{
	int64_t want = -1 - (int64_t)bucket_id;
	uint32_t lo = 0, hi = m->num_args;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->args[mid].bucket_index == want)
			return &m->args[mid];
		if (m->args[mid].bucket_index < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

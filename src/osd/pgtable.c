/* Per-PG override tables of the OSDMap (pg_temp, primary_temp, pg_upmap,
 * pg_upmap_items): sorted arrays keyed by pg_t, their decoding and edits. */
#include <stdlib.h>
#include <string.h>

#include "osd/osdmap_int.h"

int pg_id_compare(struct pg_id a, struct pg_id b)
{
	if (a.pool != b.pool)
		return a.pool < b.pool ? -1 : 1;
	if (a.seed != b.seed)
		return a.seed < b.seed ? -1 : 1;
	return 0;
}

/* pg_t: u8 version (1), u64 pool, u32 seed, i32 "preferred" (unused) */
int pgid_decode(struct dec *d, struct pg_id *pgid)
{
	uint8_t v;

	if (dec_u8(d, &v) || v != 1 || dec_u64(d, &pgid->pool) ||
	    dec_u32(d, &pgid->seed) || dec_skip(d, 4))
		return -EBADMSG;
	return 0;
}

void pg_table_release(struct pg_mapping_table *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->v[i].osds);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* The keys of an encoded std::map come strictly increasing; anything
 * else is corrupt (and would break the bisection below). */
static int pg_table_check_order(const struct pg_mapping_table *t)
{
	if (t->n > 1 &&
	    pg_id_compare(t->v[t->n - 2].pgid, t->v[t->n - 1].pgid) >= 0)
		return -EBADMSG;
	return 0;
}

/* vector<int32> or vector<pair<int32, int32>>: the osds of one entry */
static int pg_osds_decode(struct dec *d, int pairs, struct pg_mapping *e)
{
	uint32_t n, width = pairs ? 2 : 1;

	if (dec_count(d, 4 * width, &n))
		return -EBADMSG;
	e->n = n;
	e->osds = malloc(((size_t)n * width + 1) * 4);
	if (!e->osds)
		return -ENOMEM;
	for (uint32_t i = 0; i < n * width; i++)
		dec_s32(d, &e->osds[i]);
	return 0;
}

/* int32: primary_temp's value, kept as an entry of one osd */
static int pg_primary_decode(struct dec *d, int unused, struct pg_mapping *e)
{
	e->n = 1;
	e->osds = malloc(sizeof(*e->osds));
	if (!e->osds)
		return -ENOMEM;
	return dec_s32(d, &e->osds[0]);
}

/* map<pg_t, V>, each value read by decode_value(d, arg, entry). */
static int pg_table_decode_map(struct dec *d, struct pg_mapping_table *t,
			       int (*decode_value)(struct dec *, int,
						   struct pg_mapping *),
			       int arg)
{
	uint32_t n;
	int r;

	if (dec_count(d, PGID_WIRE_LEN + 4, &n))
		return -EBADMSG;
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct pg_mapping *e = &t->v[i];

		t->n = i + 1;
		r = pgid_decode(d, &e->pgid);
		if (!r)
			r = decode_value(d, arg, e);
		if (!r)
			r = pg_table_check_order(t);
		if (r)
			return r;
	}
	return 0;
}

int pg_table_decode(struct dec *d, int pairs, struct pg_mapping_table *t)
{
	return pg_table_decode_map(d, t, pg_osds_decode, pairs);
}

int pg_primary_table_decode(struct dec *d, struct pg_mapping_table *t)
{
	return pg_table_decode_map(d, t, pg_primary_decode, 0);
}

int pgid_set_decode(struct dec *d, struct pg_id **v, uint32_t *n)
{
	uint32_t count;

	if (dec_count(d, PGID_WIRE_LEN, &count))
		return -EBADMSG;
	*v = calloc(count ? count : 1, sizeof(**v));
	if (!*v)
		return -ENOMEM;
	*n = count;
	for (uint32_t i = 0; i < count; i++)
		if (pgid_decode(d, &(*v)[i]))
			return -EBADMSG;
	return 0;
}

int pg_table_copy(struct pg_mapping_table *dst,
		  const struct pg_mapping_table *src, int pairs)
{
	dst->n = 0;
	dst->v = calloc(src->n ? src->n : 1, sizeof(*dst->v));
	if (!dst->v)
		return -ENOMEM;
	for (uint32_t i = 0; i < src->n; i++) {
		const struct pg_mapping *s = &src->v[i];
		size_t bytes = (size_t)s->n * 4 * (pairs ? 2 : 1);
		struct pg_mapping *e = &dst->v[i];

		e->pgid = s->pgid;
		e->n = s->n;
		e->osds = malloc(bytes ? bytes : 1);
		if (!e->osds)
			return -ENOMEM;
		dst->n = i + 1;
		memcpy(e->osds, s->osds, bytes);
	}
	return 0;
}

/* Index of pgid, or of where it would go (with *found = 0). */
static uint32_t pg_table_search(const struct pg_mapping_table *t,
				struct pg_id pgid, int *found)
{
	uint32_t lo = 0, hi = t->n;

	*found = 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = pg_id_compare(t->v[mid].pgid, pgid);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct pg_mapping *pg_table_find(const struct pg_mapping_table *t,
				       struct pg_id pgid)
{
	int found;
	uint32_t i = pg_table_search(t, pgid, &found);

	return found ? &t->v[i] : NULL;
}

int pg_table_set(struct pg_mapping_table *t, struct pg_mapping *e)
{
	struct pg_mapping *v;
	int found;
	uint32_t i = pg_table_search(t, e->pgid, &found);

	if (found) {
		free(t->v[i].osds);
		t->v[i] = *e;
		e->osds = NULL;
		return 0;
	}
	v = realloc(t->v, ((size_t)t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	memmove(&v[i + 1], &v[i], (size_t)(t->n - i) * sizeof(*v));
	v[i] = *e;
	e->osds = NULL;
	t->n++;
	return 0;
}

void pg_table_remove(struct pg_mapping_table *t, struct pg_id pgid)
{
	int found;
	uint32_t i = pg_table_search(t, pgid, &found);

	if (!found)
		return;
	free(t->v[i].osds);
	memmove(&t->v[i], &t->v[i + 1], (size_t)(t->n - i - 1) * sizeof(t->v[0]));
	t->n--;
}

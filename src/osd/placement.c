/*
 * Object and PG placement over a decoded OSDMap.
 *
 * An object's name (or locator key) hashes to a 32-bit "raw" seed; the
 * PG is that seed folded into [0, pg_num) by ceph_stable_mod. CRUSH is
 * fed not the seed but the placement seed (pps): the seed folded by
 * pgp_num and mixed with the pool id, so that pools do not overlap.
 *
 * From the CRUSH result ("raw"), the up set is: raw with nonexistent OSDs
 * removed, then the explicit overrides pg_upmap (a whole new list) and
 * pg_upmap_items (from -> to swaps), then down OSDs removed (replicated)
 * or replaced by holes (EC, whose shard order matters), and a primary
 * chosen with primary affinity. The acting set is pg_temp when the map
 * has one for the PG (peering's choice while data moves), else the up
 * set; primary_temp overrides the acting primary.
 */
#include "placement.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "osd/crush_mapper.h"
#include "osd/jenkins_mix.h"

/* A byte string made of up to three pieces (namespace, separator, key),
 * read in order, so that hashing "ns\037key" needs no copy. */
struct pieces {
	const uint8_t *p[3];
	size_t n[3];
	int cur;
	size_t off;
	size_t total;
};

static void pieces_init(struct pieces *s)
{
	memset(s, 0, sizeof(*s));
}

static void pieces_add(struct pieces *s, const void *p, size_t n)
{
	for (int i = 0; i < 3; i++) {
		if (!s->p[i] && !s->n[i]) {
			s->p[i] = p;
			s->n[i] = n;
			s->total += n;
			return;
		}
	}
}

/* Copies up to `want` next bytes into buf; returns how many. */
static size_t pieces_take(struct pieces *s, uint8_t *buf, size_t want)
{
	size_t got = 0;

	while (got < want && s->cur < 3) {
		size_t avail = s->n[s->cur] - s->off;
		size_t k = want - got < avail ? want - got : avail;

		if (k) {
			memcpy(buf + got, s->p[s->cur] + s->off, k);
			got += k;
			s->off += k;
		}
		if (s->off == s->n[s->cur]) {
			s->cur++;
			s->off = 0;
		}
	}
	return got;
}


static uint32_t le32(const uint8_t *k)
{
	return k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
	       (uint32_t)k[3] << 24;
}

/* lookup2 with initval 0: 12-byte blocks, then the tail with the
 * length in c's low byte. */
static uint32_t hash_rjenkins(struct pieces *s)
{
	uint32_t a = 0x9e3779b9u, b = a, c = 0;
	size_t left = s->total;
	uint8_t k[12];

	while (left >= 12) {
		pieces_take(s, k, 12);
		a += le32(k);
		b += le32(k + 4);
		c += le32(k + 8);
		JMIX(a, b, c);
		left -= 12;
	}
	memset(k, 0, sizeof(k));
	pieces_take(s, k, left);
	c += (uint32_t)s->total;
	a += le32(k);
	b += le32(k + 4);
	/* the tail's bytes 8..10 go above c's low byte */
	c += (uint32_t)k[8] << 8 | (uint32_t)k[9] << 16 | (uint32_t)k[10] << 24;
	JMIX(a, b, c);
	return c;
}

/* The Linux dcache name hash. */
static uint32_t hash_linux(struct pieces *s)
{
	uint32_t h = 0;
	uint8_t ch;

	while (pieces_take(s, &ch, 1) == 1)
		h = (h + ((uint32_t)ch << 4) + (ch >> 4)) * 11;
	return h;
}

static uint32_t hash_pieces(int type, struct pieces *s)
{
	switch (type) {
	case CEPH_STR_HASH_LINUX:
		return hash_linux(s);
	case CEPH_STR_HASH_RJENKINS:
		return hash_rjenkins(s);
	default:
		return 0xffffffffu;
	}
}

uint32_t placement_str_hash(int type, const void *str, size_t len)
{
	struct pieces s;

	pieces_init(&s);
	pieces_add(&s, str ? str : "", str ? len : 0);
	return hash_pieces(type, &s);
}

int placement_object_to_pg(const struct osdmap *m, int64_t pool,
			   const char *nspace, size_t nspace_len,
			   const char *key, size_t key_len, struct pg_id *raw)
{
	const struct pg_pool *p = m ? osdmap_pool(m, pool) : NULL;
	struct pieces s;

	if (!p)
		return -ENOENT;
	pieces_init(&s);
	if (nspace && nspace_len) {
		pieces_add(&s, nspace, nspace_len);
		pieces_add(&s, "\037", 1);
	}
	pieces_add(&s, key ? key : "", key ? key_len : 0);
	raw->pool = (uint64_t)pool;
	raw->seed = hash_pieces(p->object_hash, &s);
	return 0;
}

struct pg_id placement_raw_to_pg(const struct pg_pool *p, struct pg_id raw)
{
	raw.seed = placement_stable_mod(raw.seed, p->pg_num, p->pg_num_mask);
	return raw;
}

uint32_t placement_pg_pps(const struct pg_pool *p, struct pg_id pg)
{
	uint32_t ps = placement_stable_mod(pg.seed, p->pgp_num,
					   p->pgp_num_mask);

	if (p->flags & CEPH_POOL_FLAG_HASHPSPOOL)
		return scrush_hash32_2(CRUSH_HASH_RJENKINS1, ps,
				       (uint32_t)pg.pool);
	return ps + (uint32_t)pg.pool;
}

static void set_clear(struct osd_set *s)
{
	if (s) {
		s->n = 0;
		s->primary = -1;
	}
}

/* Replicated pools shift OSDs left over gaps; EC pools keep slots. */
static bool can_shift(const struct pg_pool *p)
{
	return p->type != CEPH_POOL_TYPE_ERASURE;
}

static int32_t first_osd(const struct osd_set *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->osds[i] != CRUSH_ITEM_NONE)
			return s->osds[i];
	return -1;
}

/* CrushWrapper::find_rule: maps whose rules all sit at their ruleset's
 * index (every map since luminous) take the pool's rule id as is;
 * legacy maps search by ruleset, type and size. */
static int find_rule(const struct crush_map *c, const struct pg_pool *p)
{
	bool uniform = true;

	for (uint32_t i = 0; i < c->max_rules; i++)
		if (c->rules[i] && c->rules[i]->ruleset != i)
			uniform = false;
	if (uniform)
		return p->crush_rule < c->max_rules &&
		       c->rules[p->crush_rule] ? p->crush_rule : -1;
	for (uint32_t i = 0; i < c->max_rules; i++) {
		const struct crush_rule *r = c->rules[i];

		if (r && r->ruleset == p->crush_rule && r->type == p->type &&
		    r->min_size <= p->size && r->max_size >= p->size)
			return (int)i;
	}
	return -1;
}

/* _pg_to_raw_osds + _remove_nonexistent_osds; *pps gets CRUSH's input. */
static void raw_osds(const struct osdmap *m, const struct pg_pool *p,
		     struct pg_id pg, struct osd_set *raw, uint32_t *pps)
{
	int32_t out[PLACEMENT_MAX_SIZE];
	int rule, n = 0, k = 0;

	*pps = placement_pg_pps(p, pg);
	raw->n = 0;
	raw->primary = -1;
	if (!m->crush || p->size == 0 || p->size > PLACEMENT_MAX_SIZE)
		return;
	rule = find_rule(m->crush, p);
	if (rule >= 0)
		n = scrush_do_rule(m->crush, rule, (int32_t)*pps, out, p->size,
				   m->osd_weight, m->max_osd,
				   scrush_choose_args_for(m->crush,
							  (int64_t)pg.pool));
	for (int i = 0; i < n; i++) {
		if (osdmap_exists(m, out[i]))
			raw->osds[k++] = out[i];
		else if (!can_shift(p))
			raw->osds[k++] = CRUSH_ITEM_NONE;
	}
	raw->n = k;
}

static bool marked_out(const struct osdmap *m, int32_t osd)
{
	return osd != CRUSH_ITEM_NONE && osd >= 0 && osd < m->max_osd &&
	       m->osd_weight[osd] == 0;
}

/* _apply_upmap: pg_upmap replaces the list unless it names an OSD that
 * is out; pg_upmap_items then swaps single OSDs (not into one already
 * there, not to an out OSD). */
static void apply_upmap(const struct osdmap *m, struct pg_id pgid,
			struct osd_set *raw)
{
	const struct pg_mapping *e = osdmap_pg_upmap(m, pgid);

	if (e) {
		for (uint32_t i = 0; i < e->n; i++)
			if (marked_out(m, e->osds[i]))
				return;
		raw->n = 0;
		for (uint32_t i = 0; i < e->n && i < PLACEMENT_MAX_SIZE; i++)
			raw->osds[raw->n++] = e->osds[i];
	}
	e = osdmap_pg_upmap_items(m, pgid);
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n; i++) {
		int32_t from = e->osds[2 * i], to = e->osds[2 * i + 1];
		int pos = -1;
		bool present = false;

		for (int j = 0; j < raw->n; j++) {
			if (raw->osds[j] == to) {
				present = true;
				break;
			}
			if (raw->osds[j] == from && pos < 0 && !marked_out(m, to))
				pos = j;
		}
		if (!present && pos >= 0)
			raw->osds[pos] = to;
	}
}

/* _raw_to_up_osds */
static void raw_to_up(const struct osdmap *m, const struct pg_pool *p,
		      const struct osd_set *raw, struct osd_set *up)
{
	int k = 0;

	for (int i = 0; i < raw->n; i++) {
		if (osdmap_is_up(m, raw->osds[i]))
			up->osds[k++] = raw->osds[i];
		else if (!can_shift(p))
			up->osds[k++] = CRUSH_ITEM_NONE;
	}
	up->n = k;
	up->primary = first_osd(up);
}

/* _apply_primary_affinity: an OSD with affinity a < 1 turns down being
 * primary for the fraction 1 - a of PGs (by a hash of pps and the OSD);
 * the first OSD that accepts becomes primary, else the first that
 * declined. Replicated pools move the primary to the front. */
static void apply_affinity(const struct osdmap *m, const struct pg_pool *p,
			   uint32_t pps, struct osd_set *up)
{
	const uint32_t *aff = m->osd_primary_affinity;
	bool any = false;
	int pos = -1;

	if (!aff)
		return;
	for (int i = 0; i < up->n; i++) {
		int32_t o = up->osds[i];

		if (o != CRUSH_ITEM_NONE && o >= 0 && o < m->max_osd &&
		    aff[o] != CEPH_OSD_DEFAULT_PRIMARY_AFFINITY) {
			any = true;
			break;
		}
	}
	if (!any)
		return;
	for (int i = 0; i < up->n; i++) {
		int32_t o = up->osds[i];
		uint32_t a;

		if (o == CRUSH_ITEM_NONE || o < 0 || o >= m->max_osd)
			continue;
		a = aff[o];
		if (a < CEPH_OSD_MAX_PRIMARY_AFFINITY &&
		    (scrush_hash32_2(CRUSH_HASH_RJENKINS1, pps,
				     (uint32_t)o) >> 16) >= a) {
			if (pos < 0)
				pos = i;	/* declined; a fallback */
			continue;
		}
		pos = i;
		break;
	}
	if (pos < 0)
		return;
	up->primary = up->osds[pos];
	if (can_shift(p) && pos > 0) {
		memmove(&up->osds[1], &up->osds[0], (size_t)pos * sizeof(int32_t));
		up->osds[0] = up->primary;
	}
}

/* _get_temp_osds: pg_temp without its down OSDs, and primary_temp (or
 * pg_temp's first OSD). */
static void temp_osds(const struct osdmap *m, const struct pg_pool *p,
		      struct pg_id pgid, struct osd_set *temp)
{
	const struct pg_mapping *e = osdmap_pg_temp(m, pgid);
	int32_t pt;

	temp->n = 0;
	temp->primary = -1;
	for (uint32_t i = 0; e && i < e->n; i++) {
		if (temp->n == PLACEMENT_MAX_SIZE)
			break;
		if (osdmap_is_up(m, e->osds[i]))
			temp->osds[temp->n++] = e->osds[i];
		else if (!can_shift(p))
			temp->osds[temp->n++] = CRUSH_ITEM_NONE;
	}
	pt = osdmap_primary_temp(m, pgid);
	temp->primary = pt != -1 ? pt : first_osd(temp);
}

int placement_pg_to_raw(const struct osdmap *m, struct pg_id pg,
			struct osd_set *raw)
{
	const struct pg_pool *p = m ? osdmap_pool(m, (int64_t)pg.pool) : NULL;
	uint32_t pps;

	set_clear(raw);
	if (!p)
		return -ENOENT;
	if (p->size > PLACEMENT_MAX_SIZE)
		return -E2BIG;
	raw_osds(m, p, pg, raw, &pps);
	raw->primary = first_osd(raw);
	return 0;
}

int placement_pg_to_up_acting(const struct osdmap *m, struct pg_id pg,
			      struct osd_set *up, struct osd_set *acting)
{
	const struct pg_pool *p = m ? osdmap_pool(m, (int64_t)pg.pool) : NULL;
	struct osd_set raw, u, temp;
	struct pg_id pgid;
	uint32_t pps;

	set_clear(up);
	set_clear(acting);
	if (!p)
		return -ENOENT;
	if (p->size > PLACEMENT_MAX_SIZE)
		return -E2BIG;
	pgid = placement_raw_to_pg(p, pg);

	raw_osds(m, p, pg, &raw, &pps);
	apply_upmap(m, pgid, &raw);
	raw_to_up(m, p, &raw, &u);
	apply_affinity(m, p, pps, &u);

	temp_osds(m, p, pgid, &temp);
	if (up)
		*up = u;
	if (acting) {
		if (temp.n) {
			*acting = temp;
		} else {
			*acting = u;
			if (temp.primary != -1)
				acting->primary = temp.primary;
		}
	}
	return 0;
}

int placement_object_target(const struct osdmap *m, int64_t pool,
			    const char *nspace, size_t nspace_len,
			    const char *key, size_t key_len,
			    struct placement_target *t)
{
	const struct pg_pool *p;
	int r;

	memset(t, 0, sizeof(*t));
	set_clear(&t->up);
	set_clear(&t->acting);
	r = placement_object_to_pg(m, pool, nspace, nspace_len, key, key_len,
				   &t->raw_pg);
	if (r)
		return r;
	p = osdmap_pool(m, pool);
	t->pg = placement_raw_to_pg(p, t->raw_pg);
	t->pg_num = p->pg_num;
	return placement_pg_to_up_acting(m, t->raw_pg, &t->up, &t->acting);
}

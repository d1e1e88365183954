/* OSDMap incrementals: decoding one (client-usable part) and applying it
 * to a copy of the previous epoch's map, as OSDMap::apply_incremental()
 * does. The old map is never touched: readers may hold it meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "osd/osdmap_int.h"

struct inc_pool {
	int64_t id;
	struct pg_pool pool;
};

struct inc_name {
	int64_t id;
	const char *s;
	uint32_t len;
};

struct inc_osd_u32 {
	int32_t osd;
	uint32_t v;
};

struct inc_osd_addrs {
	int32_t osd;
	struct osd_addrs *addrs;
};

struct osdmap_inc {
	uint8_t fsid[16];
	uint32_t epoch;
	struct sp_time modified;
	int64_t new_pool_max;
	int32_t new_flags;
	struct dec fullmap, crush;
	int32_t new_max_osd;
	struct inc_pool *new_pools;
	uint32_t num_new_pools;
	struct inc_name *new_pool_names;
	uint32_t num_new_pool_names;
	int64_t *old_pools;
	uint32_t num_old_pools;
	struct inc_osd_addrs *new_up_client;
	uint32_t num_new_up_client;
	struct inc_osd_u32 *new_state, *new_weight, *new_primary_affinity;
	uint32_t num_new_state, num_new_weight, num_new_primary_affinity;
	struct pg_mapping_table new_pg_temp, new_primary_temp;
	struct pg_mapping_table new_pg_upmap, new_pg_upmap_items;
	struct pg_id *old_pg_upmap, *old_pg_upmap_items;
	uint32_t num_old_pg_upmap, num_old_pg_upmap_items;
	/* from the OSD-only section */
	struct blocklist new_blocklist, old_blocklist;
};

static void inc_release(struct osdmap_inc *inc)
{
	for (uint32_t i = 0; i < inc->num_new_pools; i++)
		pg_pool_release(&inc->new_pools[i].pool);
	free(inc->new_pools);
	free(inc->new_pool_names);
	free(inc->old_pools);
	for (uint32_t i = 0; i < inc->num_new_up_client; i++)
		free(inc->new_up_client[i].addrs);
	free(inc->new_up_client);
	free(inc->new_state);
	free(inc->new_weight);
	free(inc->new_primary_affinity);
	pg_table_release(&inc->new_pg_temp);
	pg_table_release(&inc->new_primary_temp);
	pg_table_release(&inc->new_pg_upmap);
	pg_table_release(&inc->new_pg_upmap_items);
	free(inc->old_pg_upmap);
	free(inc->old_pg_upmap_items);
	blocklist_release(&inc->new_blocklist);
	blocklist_release(&inc->old_blocklist);
}

static void *inc_array(uint32_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int inc_pools_decode(struct dec *d, struct osdmap_inc *inc)
{
	uint32_t n;
	int r;

	if (dec_count(d, 8 + 6, &n))
		return -EBADMSG;
	if (!(inc->new_pools = inc_array(n, sizeof(*inc->new_pools))))
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		inc->num_new_pools = i + 1;
		if (dec_s64(d, &inc->new_pools[i].id))
			return -EBADMSG;
		r = pg_pool_decode(d, &inc->new_pools[i].pool);
		if (r)
			return r;
	}
	return 0;
}

static int inc_names_decode(struct dec *d, struct osdmap_inc *inc)
{
	uint32_t n;

	if (dec_count(d, 8 + STRING_MIN_LEN, &n))
		return -EBADMSG;
	if (!(inc->new_pool_names = inc_array(n, sizeof(struct inc_name))))
		return -ENOMEM;
	inc->num_new_pool_names = n;
	for (uint32_t i = 0; i < n; i++) {
		struct inc_name *e = &inc->new_pool_names[i];

		if (dec_s64(d, &e->id) || dec_str_view(d, &e->s, &e->len))
			return -EBADMSG;
	}
	return 0;
}

static int inc_old_pools_decode(struct dec *d, struct osdmap_inc *inc)
{
	uint32_t n;

	if (dec_count(d, 8, &n))
		return -EBADMSG;
	if (!(inc->old_pools = inc_array(n, 8)))
		return -ENOMEM;
	inc->num_old_pools = n;
	for (uint32_t i = 0; i < n; i++)
		dec_s64(d, &inc->old_pools[i]);
	return 0;
}

static int inc_up_client_decode(struct dec *d, struct osdmap_inc *inc)
{
	uint32_t n;
	int r;

	if (dec_count(d, 4 + 1, &n))
		return -EBADMSG;
	if (!(inc->new_up_client = inc_array(n, sizeof(*inc->new_up_client))))
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct inc_osd_addrs *e = &inc->new_up_client[i];

		inc->num_new_up_client = i + 1;
		if (dec_s32(d, &e->osd))
			return -EBADMSG;
		r = osd_addrs_decode(d, &e->addrs);
		if (r)
			return r;
	}
	return 0;
}

/* map<int32, u32>, or map<int32, u8> when narrow */
static int inc_osd_u32_decode(struct dec *d, int narrow,
			      struct inc_osd_u32 **out, uint32_t *nout)
{
	uint32_t n;
	uint8_t v8;

	if (dec_count(d, narrow ? 5 : 8, &n))
		return -EBADMSG;
	if (!(*out = inc_array(n, sizeof(**out))))
		return -ENOMEM;
	*nout = n;
	for (uint32_t i = 0; i < n; i++) {
		dec_s32(d, &(*out)[i].osd);
		if (!narrow)
			dec_u32(d, &(*out)[i].v);
		else if (!dec_u8(d, &v8))
			(*out)[i].v = v8;
	}
	return 0;
}

/* fsid .. old_pools */
static int inc_decode_head(struct dec *d, struct osdmap_inc *inc)
{
	int r;

	if (dec_uuid(d, inc->fsid) || dec_u32(d, &inc->epoch) ||
	    dec_time(d, &inc->modified) || dec_s64(d, &inc->new_pool_max) ||
	    dec_s32(d, &inc->new_flags) || dec_blob(d, &inc->fullmap) ||
	    dec_blob(d, &inc->crush) || dec_s32(d, &inc->new_max_osd))
		return -EBADMSG;
	r = inc_pools_decode(d, inc);
	if (!r)
		r = inc_names_decode(d, inc);
	if (!r)
		r = inc_old_pools_decode(d, inc);
	return r;
}

/* The client-usable block, struct v1 .. v9. */
static int inc_client_decode(struct dec *d, struct osdmap_inc *inc)
{
	struct dec b;
	uint8_t v;
	int r;

	r = dec_struct(d, 9, &v, &b);
	if (!r)
		r = inc_decode_head(&b, inc);
	if (!r)
		r = inc_up_client_decode(&b, inc);
	if (!r)
		r = inc_osd_u32_decode(&b, v < 5, &inc->new_state,
				       &inc->num_new_state);
	if (!r)
		r = inc_osd_u32_decode(&b, 0, &inc->new_weight,
				       &inc->num_new_weight);
	if (!r)
		r = pg_table_decode(&b, 0, &inc->new_pg_temp);
	if (!r)
		r = pg_primary_table_decode(&b, &inc->new_primary_temp);
	if (!r && v >= 2)
		r = inc_osd_u32_decode(&b, 0, &inc->new_primary_affinity,
				       &inc->num_new_primary_affinity);
	if (!r && v >= 3) {
		uint32_t n;

		/* new profiles, then the names of removed ones */
		r = skip_ec_profiles(&b);
		if (!r && dec_count(&b, STRING_MIN_LEN, &n))
			r = -EBADMSG;
		while (!r && n--)
			r = dec_skip_str(&b);
	}
	if (!r && v >= 4)
		r = pg_table_decode(&b, 0, &inc->new_pg_upmap);
	if (!r && v >= 4)
		r = pgid_set_decode(&b, &inc->old_pg_upmap,
				    &inc->num_old_pg_upmap);
	if (!r && v >= 4)
		r = pg_table_decode(&b, 1, &inc->new_pg_upmap_items);
	if (!r && v >= 4)
		r = pgid_set_decode(&b, &inc->old_pg_upmap_items,
				    &inc->num_old_pg_upmap_items);
	/* v6+: removed/purged snaps, last up/in change, upmap primaries */
	return r;
}

static int inc_decode(struct dec *d, unsigned flags, struct osdmap_inc *inc)
{
	const uint8_t *start = d->p, *crc;
	struct dec body, osd_only;
	uint8_t v, osd_v;
	int r;

	r = osdmap_wrapper_decode(d, &v, &body);
	if (!r)
		r = inc_client_decode(&body, inc);
	if (!r)
		r = dec_struct(&body, 255, &osd_v, &osd_only);
	if (!r)
		r = blocklist_decode_inc_osd_only(&osd_only, osd_v,
						  &inc->new_blocklist,
						  &inc->old_blocklist);
	if (r || v < 8)
		return r;
	/* inc_crc covers everything around it, full_crc included */
	crc = body.p;
	if (dec_skip(&body, 4 + 4))
		return -EBADMSG;
	if (flags & OSDMAP_DECODE_NO_CRC)
		return 0;
	return osdmap_check_crc(start, crc, body.end);
}

/* ---- copying the old map ---- */

static int copy_u32s(uint32_t **dst, const uint32_t *src, int32_t n)
{
	size_t bytes = (size_t)(n > 0 ? n : 1) * 4;

	*dst = malloc(bytes);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, bytes);
	return 0;
}

static int copy_osds(struct osdmap *m, const struct osdmap *old)
{
	size_t n = (size_t)(old->max_osd > 0 ? old->max_osd : 1);

	m->max_osd = old->max_osd;
	if (copy_u32s(&m->osd_state, old->osd_state, old->max_osd) ||
	    copy_u32s(&m->osd_weight, old->osd_weight, old->max_osd) ||
	    copy_u32s(&m->osd_primary_affinity, old->osd_primary_affinity,
		      old->max_osd))
		return -ENOMEM;
	m->osd_addrs = calloc(n, sizeof(*m->osd_addrs));
	if (!m->osd_addrs)
		return -ENOMEM;
	for (int32_t i = 0; i < old->max_osd; i++)
		if (old->osd_addrs[i] &&
		    !(m->osd_addrs[i] = osd_addrs_dup(old->osd_addrs[i])))
			return -ENOMEM;
	return 0;
}

static int copy_pools(struct osdmap *m, const struct osdmap *old)
{
	m->pools = calloc(old->num_pools ? old->num_pools : 1,
			  sizeof(*m->pools));
	if (!m->pools)
		return -ENOMEM;
	for (uint32_t i = 0; i < old->num_pools; i++) {
		if (pg_pool_copy(&m->pools[i], &old->pools[i]))
			return -ENOMEM;
		m->num_pools = i + 1;
	}
	return 0;
}

/* A deep copy, except the CRUSH map, which is immutable and shared. */
static int osdmap_copy(const struct osdmap *old, struct osdmap **out)
{
	struct osdmap *m = osdmap_alloc();
	int r = -ENOMEM;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	memcpy(m->fsid, old->fsid, 16);
	m->epoch = old->epoch;
	m->created = old->created;
	m->modified = old->modified;
	m->flags = old->flags;
	m->pool_max = old->pool_max;
	m->crush_version = old->crush_version;
	m->client_v = old->client_v;
	m->crush = crush_get(old->crush);
	if (copy_osds(m, old) || copy_pools(m, old) ||
	    pg_table_copy(&m->pg_temp, &old->pg_temp, 0) ||
	    pg_table_copy(&m->primary_temp, &old->primary_temp, 0) ||
	    pg_table_copy(&m->pg_upmap, &old->pg_upmap, 0) ||
	    pg_table_copy(&m->pg_upmap_items, &old->pg_upmap_items, 1) ||
	    blocklist_copy(&m->blocklist, &old->blocklist))
		goto fail;
	*out = m;
	return 0;
fail:
	osdmap_free(m);
	return r;
}

/* ---- applying ---- */

static int pool_insert(struct osdmap *m, int64_t id, struct pg_pool *src)
{
	struct pg_pool *pool = osdmap_pool_mut(m, id), *v;
	uint32_t i;
	char *name = NULL;

	if (pool) {
		name = pool->name;	/* a pool keeps its name */
		pool->name = NULL;
		pg_pool_release(pool);
	} else {
		v = realloc(m->pools, ((size_t)m->num_pools + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->pools = v;
		for (i = 0; i < m->num_pools && v[i].id < id; i++)
			;
		memmove(&v[i + 1], &v[i], (m->num_pools - i) * sizeof(*v));
		m->num_pools++;
		pool = &v[i];
	}
	*pool = *src;		/* takes ownership of src's strings */
	memset(src, 0, sizeof(*src));
	pool->id = id;
	pool->name = name;
	return 0;
}

static void pool_remove(struct osdmap *m, int64_t id)
{
	struct pg_pool *pool = osdmap_pool_mut(m, id);
	uint32_t i;

	if (!pool)
		return;
	i = (uint32_t)(pool - m->pools);
	pg_pool_release(pool);
	memmove(pool, pool + 1, (m->num_pools - i - 1) * sizeof(*pool));
	m->num_pools--;
}

static int apply_pools(struct osdmap *m, struct osdmap_inc *inc)
{
	int r;

	for (uint32_t i = 0; i < inc->num_new_pools; i++) {
		struct inc_pool *e = &inc->new_pools[i];

		e->pool.last_change = inc->epoch;
		r = pool_insert(m, e->id, &e->pool);
		if (r)
			return r;
	}
	for (uint32_t i = 0; i < inc->num_new_pool_names; i++) {
		struct inc_name *e = &inc->new_pool_names[i];
		struct pg_pool *pool = osdmap_pool_mut(m, e->id);
		char *name;

		if (!pool)
			continue;
		name = strndup(e->s, e->len);
		if (!name)
			return -ENOMEM;
		free(pool->name);
		pool->name = name;
	}
	for (uint32_t i = 0; i < inc->num_old_pools; i++)
		pool_remove(m, inc->old_pools[i]);
	for (uint32_t i = 0; i < m->num_pools; i++)
		if (!m->pools[i].name && !(m->pools[i].name = strdup("")))
			return -ENOMEM;
	return 0;
}

static int osd_in_range(const struct osdmap *m, int32_t osd)
{
	return osd >= 0 && osd < m->max_osd;
}

/* weights, primary affinity, state (XOR) and newly up OSDs, in Ceph's
 * order */
static int apply_osds(struct osdmap *m, struct osdmap_inc *inc)
{
	for (uint32_t i = 0; i < inc->num_new_weight; i++) {
		struct inc_osd_u32 *e = &inc->new_weight[i];

		if (!osd_in_range(m, e->osd))
			return -EBADMSG;
		/* as Ceph's set_weight(): a weight implies existence;
		 * marking in clears AUTOOUT and NEW */
		m->osd_weight[e->osd] = e->v;
		if (e->v) {
			m->osd_state[e->osd] |= CEPH_OSD_EXISTS;
			m->osd_state[e->osd] &= ~(CEPH_OSD_AUTOOUT |
						  CEPH_OSD_NEW);
		}
	}
	for (uint32_t i = 0; i < inc->num_new_primary_affinity; i++) {
		struct inc_osd_u32 *e = &inc->new_primary_affinity[i];

		if (!osd_in_range(m, e->osd))
			return -EBADMSG;
		m->osd_primary_affinity[e->osd] = e->v;
	}
	for (uint32_t i = 0; i < inc->num_new_state; i++) {
		struct inc_osd_u32 *e = &inc->new_state[i];
		/* 0 meant "toggle up" in old encodings */
		uint32_t s = e->v ? e->v : CEPH_OSD_UP;

		if (!osd_in_range(m, e->osd))
			return -EBADMSG;
		if ((m->osd_state[e->osd] & CEPH_OSD_EXISTS) &&
		    (s & CEPH_OSD_EXISTS)) {
			/* the OSD was destroyed: forget it */
			m->osd_state[e->osd] = 0;
			m->osd_primary_affinity[e->osd] =
				CEPH_OSD_DEFAULT_PRIMARY_AFFINITY;
			free(m->osd_addrs[e->osd]);
			m->osd_addrs[e->osd] = NULL;
		} else {
			m->osd_state[e->osd] ^= s;
		}
	}
	for (uint32_t i = 0; i < inc->num_new_up_client; i++) {
		struct inc_osd_addrs *e = &inc->new_up_client[i];

		if (!osd_in_range(m, e->osd))
			return -EBADMSG;
		m->osd_state[e->osd] |= CEPH_OSD_EXISTS | CEPH_OSD_UP;
		m->osd_state[e->osd] &= ~CEPH_OSD_STOP;
		free(m->osd_addrs[e->osd]);
		m->osd_addrs[e->osd] = e->addrs;
		e->addrs = NULL;
	}
	return 0;
}

/* pg_temp and pg_upmap*: an entry replaces; an empty pg_temp or a
 * primary_temp of -1 removes; old_* sets remove. */
static int apply_pg_table(struct pg_mapping_table *t,
			  struct pg_mapping_table *changes, int is_primary)
{
	for (uint32_t i = 0; i < changes->n; i++) {
		struct pg_mapping *e = &changes->v[i];
		int r;

		if (is_primary ? e->osds[0] == -1 : e->n == 0) {
			pg_table_remove(t, e->pgid);
			continue;
		}
		r = pg_table_set(t, e);
		if (r)
			return r;
	}
	return 0;
}

static int apply_pgs(struct osdmap *m, struct osdmap_inc *inc)
{
	int r;

	r = apply_pg_table(&m->pg_temp, &inc->new_pg_temp, 0);
	if (!r)
		r = apply_pg_table(&m->primary_temp, &inc->new_primary_temp, 1);
	if (r)
		return r;
	for (uint32_t i = 0; i < inc->new_pg_upmap.n; i++) {
		r = pg_table_set(&m->pg_upmap, &inc->new_pg_upmap.v[i]);
		if (r)
			return r;
	}
	for (uint32_t i = 0; i < inc->num_old_pg_upmap; i++)
		pg_table_remove(&m->pg_upmap, inc->old_pg_upmap[i]);
	for (uint32_t i = 0; i < inc->new_pg_upmap_items.n; i++) {
		r = pg_table_set(&m->pg_upmap_items,
				 &inc->new_pg_upmap_items.v[i]);
		if (r)
			return r;
	}
	for (uint32_t i = 0; i < inc->num_old_pg_upmap_items; i++)
		pg_table_remove(&m->pg_upmap_items, inc->old_pg_upmap_items[i]);
	return 0;
}

static int apply_crush(struct osdmap *m, struct osdmap_inc *inc)
{
	struct crush_map *c;
	int r;

	if (!dec_left(&inc->crush))
		return 0;
	r = crush_decode(inc->crush.p, dec_left(&inc->crush), &c);
	if (r)
		return r;
	crush_put(m->crush);
	m->crush = c;
	m->crush_version++;
	return 0;
}

static int apply(struct osdmap *m, struct osdmap_inc *inc)
{
	int r;

	if (inc->epoch == 1)
		memcpy(m->fsid, inc->fsid, 16);
	m->epoch = inc->epoch;
	m->modified = inc->modified;
	if (inc->new_flags >= 0)
		m->flags = (uint32_t)inc->new_flags;
	if (inc->new_max_osd >= 0) {
		r = osdmap_set_max_osd(m, inc->new_max_osd);
		if (r)
			return r;
	}
	if (inc->new_pool_max != -1)
		m->pool_max = inc->new_pool_max;
	r = apply_pools(m, inc);
	if (!r)
		r = apply_osds(m, inc);
	if (!r)
		r = apply_pgs(m, inc);
	if (!r)
		r = blocklist_apply(&m->blocklist, &inc->new_blocklist,
				    &inc->old_blocklist);
	/* a new CRUSH map comes last, as in Ceph */
	if (!r)
		r = apply_crush(m, inc);
	return r;
}

int osdmap_apply_incremental_flags(const struct osdmap *old,
				   const uint8_t *p, size_t n, unsigned flags,
				   struct osdmap **out)
{
	struct osdmap_inc inc;
	struct osdmap *m = NULL;
	struct dec d;
	int r;

	*out = NULL;
	memset(&inc, 0, sizeof(inc));
	dec_init(&d, p, n);
	r = inc_decode(&d, flags, &inc);
	if (r)
		goto out;
	r = -EINVAL;
	if (inc.epoch != old->epoch + 1 ||
	    (inc.epoch != 1 && memcmp(inc.fsid, old->fsid, 16)))
		goto out;
	if (dec_left(&inc.fullmap)) {
		r = osdmap_decode_flags(inc.fullmap.p, dec_left(&inc.fullmap),
					flags, &m);
		goto out;
	}
	r = osdmap_copy(old, &m);
	if (!r)
		r = apply(m, &inc);
	if (!r)
		osdmap_calc_counts(m);
out:
	inc_release(&inc);
	if (r) {
		osdmap_free(m);
		m = NULL;
	}
	*out = m;
	return r;
}

int osdmap_apply_incremental(const struct osdmap *old, const uint8_t *p,
			     size_t n, struct osdmap **out)
{
	return osdmap_apply_incremental_flags(old, p, n, 0, out);
}

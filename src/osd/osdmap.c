/* Full OSDMap decoding (the client-usable part of Ceph's encoding), the
 * map's memory management and its lookups. */
#include <stdlib.h>
#include <string.h>

#include "encoding/crc32c.h"
#include "osd/osdmap_int.h"

struct osdmap *osdmap_alloc(void)
{
	struct osdmap *m = calloc(1, sizeof(*m));

	if (m) {
		m->pool_max = -1;
		m->refs = 1;
	}
	return m;
}

struct osdmap *osdmap_get(struct osdmap *m)
{
	if (m)
		__atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
	return m;
}

void osdmap_free(struct osdmap *m)
{
	if (!m || __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (int32_t i = 0; m->osd_addrs && i < m->max_osd; i++)
		free(m->osd_addrs[i]);
	free(m->osd_addrs);
	free(m->osd_state);
	free(m->osd_weight);
	free(m->osd_primary_affinity);
	for (uint32_t i = 0; i < m->num_pools; i++)
		pg_pool_release(&m->pools[i]);
	free(m->pools);
	pg_table_release(&m->pg_temp);
	pg_table_release(&m->primary_temp);
	pg_table_release(&m->pg_upmap);
	pg_table_release(&m->pg_upmap_items);
	blocklist_release(&m->blocklist);
	crush_put(m->crush);
	free(m);
}

/* Grows or shrinks the per-OSD arrays. New OSDs do not exist, are out
 * and have the default primary affinity, as in Ceph's set_max_osd(). */
int osdmap_set_max_osd(struct osdmap *m, int32_t max_osd)
{
	size_t n = max_osd > 0 ? (size_t)max_osd : 0;
	size_t alloc = n ? n : 1;
	void *p;

	if (max_osd < 0 || max_osd > OSDMAP_MAX_OSD)
		return -EBADMSG;
	for (int32_t i = max_osd; m->osd_addrs && i < m->max_osd; i++) {
		free(m->osd_addrs[i]);
		m->osd_addrs[i] = NULL;
	}
	if (!(p = realloc(m->osd_state, alloc * 4)))
		return -ENOMEM;
	m->osd_state = p;
	if (!(p = realloc(m->osd_weight, alloc * 4)))
		return -ENOMEM;
	m->osd_weight = p;
	if (!(p = realloc(m->osd_primary_affinity, alloc * 4)))
		return -ENOMEM;
	m->osd_primary_affinity = p;
	if (!(p = realloc(m->osd_addrs, alloc * sizeof(*m->osd_addrs))))
		return -ENOMEM;
	m->osd_addrs = p;
	for (int32_t i = m->max_osd; i < max_osd; i++) {
		m->osd_state[i] = 0;
		m->osd_weight[i] = CEPH_OSD_OUT;
		m->osd_primary_affinity[i] = CEPH_OSD_DEFAULT_PRIMARY_AFFINITY;
		m->osd_addrs[i] = NULL;
	}
	m->max_osd = max_osd;
	return 0;
}

void osdmap_calc_counts(struct osdmap *m)
{
	m->num_up = m->num_in = m->num_exists = 0;
	for (int32_t i = 0; i < m->max_osd; i++) {
		if (!(m->osd_state[i] & CEPH_OSD_EXISTS))
			continue;
		m->num_exists++;
		if (m->osd_state[i] & CEPH_OSD_UP)
			m->num_up++;
		if (m->osd_weight[i] != CEPH_OSD_OUT)
			m->num_in++;
	}
}

int osdmap_check_crc(const uint8_t *start, const uint8_t *crc,
		     const uint8_t *end)
{
	uint32_t want = (uint32_t)crc[0] | (uint32_t)crc[1] << 8 |
			(uint32_t)crc[2] << 16 | (uint32_t)crc[3] << 24;
	uint32_t got = crc32c(0xffffffffu, start, (size_t)(crc - start));

	got = crc32c(got, crc + 4, (size_t)(end - crc - 4));
	return got == want ? 0 : -EBADMSG;
}

/* Full and incremental maps share a wrapper: v7+ is a versioned struct;
 * before that a u16 version led a "classic" layout we do not support. */
int osdmap_wrapper_decode(struct dec *d, uint8_t *v, struct dec *body)
{
	if (dec_need(d, 1))
		return -EBADMSG;
	if (d->p[0] < 7)
		return -ENOTSUP;
	return dec_struct(d, 8, v, body);
}

int osd_addrs_decode(struct dec *d, struct osd_addrs **out)
{
	struct entity_addrvec av;
	struct osd_addrs *a;
	int r;

	*out = NULL;
	r = entity_addrvec_decode(d, &av);
	if (r)
		return r;
	/* a blank address (an OSD that never booted) is "none" */
	if (av.n == 0 || (av.n == 1 && av.v[0].type == 0 &&
			  av.v[0].ss.ss_family == AF_UNSPEC))
		return 0;
	a = malloc(sizeof(*a) + av.n * sizeof(a->v[0]));
	if (!a)
		return -ENOMEM;
	a->n = av.n;
	memcpy(a->v, av.v, av.n * sizeof(a->v[0]));
	*out = a;
	return 0;
}

struct osd_addrs *osd_addrs_dup(const struct osd_addrs *a)
{
	size_t bytes = sizeof(*a) + a->n * sizeof(a->v[0]);
	struct osd_addrs *c = malloc(bytes);

	if (c)
		memcpy(c, a, bytes);
	return c;
}

/* map<int64, pg_pool_t> */
static int pools_decode(struct dec *d, struct osdmap *m)
{
	uint32_t n;
	int r;

	/* key + the smallest pool envelope */
	if (dec_count(d, 8 + 6, &n))
		return -EBADMSG;
	m->pools = calloc(n ? n : 1, sizeof(*m->pools));
	if (!m->pools)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct pg_pool *pool = &m->pools[i];

		m->num_pools = i + 1;
		if (dec_s64(d, &pool->id) ||
		    (i && pool->id <= pool[-1].id))
			return -EBADMSG;
		r = pg_pool_decode(d, pool);
		if (r)
			return r;
	}
	return 0;
}

/* map<int64, string>: names of pools we know; others are ignored. */
static int pool_names_decode(struct dec *d, struct osdmap *m)
{
	uint32_t n;
	int64_t id;

	if (dec_count(d, 8 + STRING_MIN_LEN, &n))
		return -EBADMSG;
	while (n--) {
		struct pg_pool *pool;
		char *name;
		int r;

		if (dec_s64(d, &id))
			return -EBADMSG;
		r = dec_str_dup(d, &name);
		if (r)
			return r;
		pool = osdmap_pool_mut(m, id);
		if (!pool) {
			free(name);
			continue;
		}
		free(pool->name);
		pool->name = name;
	}
	return 0;
}

/* Every pool has a name string, if only "". */
static int pools_name_fill(struct osdmap *m)
{
	for (uint32_t i = 0; i < m->num_pools; i++)
		if (!m->pools[i].name && !(m->pools[i].name = strdup("")))
			return -ENOMEM;
	return 0;
}

/* osd_state (u8s before v5), osd_weight and client addresses: vectors
 * whose length must be max_osd. */
static int osds_decode(struct dec *d, uint8_t v, struct osdmap *m)
{
	int32_t max_osd;
	uint32_t n;
	int r;

	if (dec_s32(d, &max_osd) || max_osd < 0)
		return -EBADMSG;
	/* the vector's length proves max_osd elements can follow */
	if (dec_count(d, v >= 5 ? 4 : 1, &n) || n != (uint32_t)max_osd)
		return -EBADMSG;
	r = osdmap_set_max_osd(m, max_osd);
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t s8;

		if (v >= 5)
			dec_u32(d, &m->osd_state[i]);
		else if (!dec_u8(d, &s8))
			m->osd_state[i] = s8;
	}
	if (dec_count(d, 4, &n) || n != (uint32_t)max_osd)
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++)
		dec_u32(d, &m->osd_weight[i]);
	if (dec_count(d, 1, &n) || n != (uint32_t)max_osd)
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		r = osd_addrs_decode(d, &m->osd_addrs[i]);
		if (r)
			return r;
	}
	return 0;
}

/* vector<u32>: empty means every OSD has the default affinity */
static int primary_affinity_decode(struct dec *d, struct osdmap *m)
{
	uint32_t n;

	if (dec_count(d, 4, &n) || (n && n != (uint32_t)m->max_osd))
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++)
		dec_u32(d, &m->osd_primary_affinity[i]);
	return 0;
}

static int crush_blob_decode(struct dec *d, struct crush_map **out)
{
	struct dec blob;

	if (dec_blob(d, &blob))
		return -EBADMSG;
	return crush_decode(blob.p, dec_left(&blob), out);
}

/* The client-usable block, struct v1 .. v10. */
static int client_decode(struct dec *d, struct osdmap *m)
{
	int32_t pool_max;
	uint8_t v;
	struct dec b;
	int r;

	r = dec_struct(d, 10, &v, &b);
	if (r)
		return r;
	m->client_v = v;
	if (dec_uuid(&b, m->fsid) || dec_u32(&b, &m->epoch) ||
	    dec_time(&b, &m->created) || dec_time(&b, &m->modified))
		return -EBADMSG;
	r = pools_decode(&b, m);
	if (!r)
		r = pool_names_decode(&b, m);
	if (!r)
		r = pools_name_fill(m);
	if (r)
		return r;
	if (dec_s32(&b, &pool_max) || dec_u32(&b, &m->flags))
		return -EBADMSG;
	m->pool_max = pool_max;
	r = osds_decode(&b, v, m);
	if (!r)
		r = pg_table_decode(&b, 0, &m->pg_temp);
	if (!r)
		r = pg_primary_table_decode(&b, &m->primary_temp);
	if (!r && v >= 2)
		r = primary_affinity_decode(&b, m);
	if (!r)
		r = crush_blob_decode(&b, &m->crush);
	if (!r && v >= 3)
		r = skip_ec_profiles(&b);
	if (!r && v >= 4)
		r = pg_table_decode(&b, 0, &m->pg_upmap);
	if (!r && v >= 4)
		r = pg_table_decode(&b, 1, &m->pg_upmap_items);
	if (!r && v >= 6)
		r = dec_u32(&b, &m->crush_version);
	/* v7+: removed/purged snaps, last up/in change, upmap primaries:
	 * nothing a client places ops with */
	return r;
}

static int full_decode(struct dec *d, unsigned flags, struct osdmap *m)
{
	const uint8_t *start = d->p, *crc;
	struct dec body, osd_only;
	uint8_t v, osd_v;
	int r;

	r = osdmap_wrapper_decode(d, &v, &body);
	if (r)
		return r;
	r = client_decode(&body, m);
	if (r)
		return r;
	/* of the OSD-only block, a client needs only the blocklist */
	r = dec_struct(&body, 255, &osd_v, &osd_only);
	if (!r)
		r = blocklist_decode_full_osd_only(&osd_only, osd_v,
						   &m->blocklist);
	if (r)
		return r;
	if (v >= 8) {
		crc = body.p;
		if (dec_skip(&body, 4))
			return -EBADMSG;
		if (!(flags & OSDMAP_DECODE_NO_CRC))
			return osdmap_check_crc(start, crc, body.end);
	}
	return 0;
}

int osdmap_decode_flags(const uint8_t *p, size_t n, unsigned flags,
			struct osdmap **out)
{
	struct osdmap *m;
	struct dec d;
	int r;

	*out = NULL;
	m = osdmap_alloc();
	if (!m)
		return -ENOMEM;
	dec_init(&d, p, n);
	r = full_decode(&d, flags, m);
	if (r) {
		osdmap_free(m);
		return r;
	}
	osdmap_calc_counts(m);
	*out = m;
	return 0;
}

int osdmap_decode(const uint8_t *p, size_t n, struct osdmap **out)
{
	return osdmap_decode_flags(p, n, 0, out);
}

struct pg_pool *osdmap_pool_mut(struct osdmap *m, int64_t id)
{
	uint32_t lo = 0, hi = m->num_pools;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->pools[mid].id == id)
			return &m->pools[mid];
		if (m->pools[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct pg_pool *osdmap_pool(const struct osdmap *m, int64_t id)
{
	return osdmap_pool_mut((struct osdmap *)m, id);
}

const struct pg_pool *osdmap_pool_by_name(const struct osdmap *m,
					  const char *name)
{
	for (uint32_t i = 0; i < m->num_pools; i++)
		if (!strcmp(m->pools[i].name, name))
			return &m->pools[i];
	return NULL;
}

int osdmap_osd_addrvec(const struct osdmap *m, int osd,
		       struct entity_addrvec *av)
{
	const struct osd_addrs *a;

	memset(av, 0, sizeof(*av));
	if (osd < 0 || osd >= m->max_osd || !(a = m->osd_addrs[osd]))
		return -ENOENT;
	av->n = a->n < ENTITY_ADDRVEC_MAX ? a->n : ENTITY_ADDRVEC_MAX;
	memcpy(av->v, a->v, av->n * sizeof(av->v[0]));
	return 0;
}

const struct pg_mapping *osdmap_pg_temp(const struct osdmap *m,
					struct pg_id pgid)
{
	return pg_table_find(&m->pg_temp, pgid);
}

const struct pg_mapping *osdmap_pg_upmap(const struct osdmap *m,
					 struct pg_id pgid)
{
	return pg_table_find(&m->pg_upmap, pgid);
}

const struct pg_mapping *osdmap_pg_upmap_items(const struct osdmap *m,
					       struct pg_id pgid)
{
	return pg_table_find(&m->pg_upmap_items, pgid);
}

bool osdmap_is_blocklisted(const struct osdmap *m, const struct entity_addr *a)
{
	return blocklist_contains(&m->blocklist, a);
}

int osdmap_primary_temp(const struct osdmap *m, struct pg_id pgid)
{
	const struct pg_mapping *e = pg_table_find(&m->primary_temp, pgid);

	return e ? e->osds[0] : -1;
}

/* Decoding of Ceph's monitor map (MonMap, every encoding from v1 to
 * Pacific's v9) and of the MMonMap message front that carries it. */
#include "monmap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MONMAP_V_MAX		9	/* Pacific's encoding */
#define MON_INFO_V_MAX		5
#define MON_FEATURE_V_MAX	1

/* Smallest wire sizes of one element, for dec_count(). */
#define MON_INST_MIN	(9 + 1)		/* entity_name_t + an address */
#define MON_ADDR_MIN	(4 + 1)		/* name + an address */
#define MON_INFO_MIN	(4 + 6)		/* name + envelope */

void monmap_free(struct monmap *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->num_mons; i++)
		free(m->mons[i].name);
	free(m->mons);
	free(m);
}

int monmap_rank_by_name(const struct monmap *m, const char *name)
{
	for (uint32_t i = 0; i < m->num_mons; i++)
		if (!strcmp(m->mons[i].name, name))
			return (int)i;
	return -ENOENT;
}

/* mon_feature_t: a versioned u64 */
static int mon_feature_decode(struct dec *d, uint64_t *f)
{
	struct dec body;
	int r;

	r = dec_struct(d, MON_FEATURE_V_MAX, NULL, &body);
	if (r)
		return r;
	return dec_u64(&body, f);
}

static int mon_name_unique(const struct monmap *m, const char *name)
{
	for (uint32_t i = 0; i < m->num_mons; i++)
		if (!strcmp(m->mons[i].name, name))
			return -EBADMSG;
	return 0;
}

/* Makes room for n monitors (none decoded yet). */
static int monmap_alloc_mons(struct monmap *m, uint32_t n)
{
	if (n > MONMAP_MAX_MONS)
		return -EBADMSG;
	m->mons = calloc(n ? n : 1, sizeof(*m->mons));
	return m->mons ? 0 : -ENOMEM;
}

static void monmap_drop_mons(struct monmap *m)
{
	for (uint32_t i = 0; i < m->num_mons; i++)
		free(m->mons[i].name);
	free(m->mons);
	m->mons = NULL;
	m->num_mons = 0;
}

/* v1: vector<entity_inst_t>, named "0", "1", ... by position. */
static int monmap_decode_insts(struct dec *d, struct monmap *m)
{
	struct mon_info *mi;
	uint32_t n;
	int r;

	if (dec_count(d, MON_INST_MIN, &n) || n > 10)
		return -EBADMSG;
	r = monmap_alloc_mons(m, n);
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		mi = &m->mons[i];
		if (dec_skip(d, 9))
			return -EBADMSG;
		r = entity_addrvec_decode(d, &mi->addrs);
		if (r)
			return r;
		mi->name = malloc(2);
		if (!mi->name)
			return -ENOMEM;
		mi->name[0] = (char)('0' + i);
		mi->name[1] = '\0';
		m->num_mons++;
	}
	return 0;
}

/* map<string name, V>: names unique, each value read by decode_value. */
static int monmap_decode_named(struct dec *d, struct monmap *m,
			       size_t min_elem,
			       int (*decode_value)(struct dec *,
						   struct mon_info *))
{
	struct mon_info *mi;
	uint32_t n;
	int r;

	if (dec_count(d, min_elem, &n))
		return -EBADMSG;
	r = monmap_alloc_mons(m, n);
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		mi = &m->mons[i];
		r = dec_str_dup(d, &mi->name);
		if (r)
			return r;
		r = mon_name_unique(m, mi->name);
		m->num_mons++;	/* from here monmap_free owns the name */
		if (!r)
			r = decode_value(d, mi);
		if (r)
			return r;
	}
	return 0;
}

/* An entity_addr_t (or addrvec) value, as v2-v5 maps carry. */
static int mon_addr_decode(struct dec *d, struct mon_info *mi)
{
	return entity_addrvec_decode(d, &mi->addrs);
}

/* One mon_info_t; the name it carries is the map key's twin and ignored. */
static int mon_info_decode(struct dec *d, struct mon_info *mi)
{
	struct dec body;
	uint8_t v;
	int r;

	r = dec_struct(d, MON_INFO_V_MAX, &v, &body);
	if (r)
		return r;
	if (dec_skip_str(&body))
		return -EBADMSG;
	r = entity_addrvec_decode(&body, &mi->addrs);
	if (r)
		return r;
	if (v >= 2 && dec_u16(&body, &mi->priority))
		return -EBADMSG;
	if (v >= 4 && dec_u16(&body, &mi->weight))
		return -EBADMSG;
	return 0;		/* crush_loc (v5) is not kept */
}

/* v6+: vector<string> ranks, each naming one monitor exactly once. */
static int monmap_apply_ranks(struct dec *d, struct monmap *m)
{
	struct mon_info *ranked;
	const char *s;
	uint32_t n, len, k;
	int r = -EBADMSG;

	if (dec_count(d, 4, &n) || n != m->num_mons)
		return -EBADMSG;
	ranked = calloc(n ? n : 1, sizeof(*ranked));
	if (!ranked)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (dec_str_view(d, &s, &len))
			goto out;
		for (k = 0; k < m->num_mons; k++) {
			const char *name = m->mons[k].name;

			if (name && strlen(name) == len && !memcmp(name, s, len))
				break;
		}
		if (k == m->num_mons)
			goto out;	/* unknown or repeated name */
		ranked[i] = m->mons[k];
		m->mons[k].name = NULL;
	}
	free(m->mons);
	m->mons = ranked;
	return 0;
out:
	for (uint32_t i = 0; i < n; i++)
		free(ranked[i].name);	/* the names moved out of m->mons */
	free(ranked);
	return r;
}

/*
 * Before v6 the rank order was computed, not sent: monitors sorted by
 * their legacy (or else first) address, then by name. Ceph compares
 * addresses with memcmp over its in-memory entity_addr_t (u32 type,
 * u32 nonce, a 28-byte sockaddr union with a host-order family) on
 * little-endian hosts; the key below lays those bytes out the same way.
 */
static void mon_rank_key(const struct mon_info *mi, uint8_t key[36])
{
	const struct entity_addr *a;
	size_t n;

	memset(key, 0, 36);
	a = entity_addrvec_find(&mi->addrs, CEPH_ENTITY_ADDR_TYPE_LEGACY);
	if (!a && mi->addrs.n)
		a = &mi->addrs.v[0];
	if (!a)
		return;
	for (int i = 0; i < 4; i++) {
		key[i] = (uint8_t)(a->type >> (8 * i));
		key[4 + i] = (uint8_t)(a->nonce >> (8 * i));
	}
	n = a->ss.ss_family == AF_INET6 ? 28 :
	    a->ss.ss_family == AF_INET ? 16 : 0;
	if (!n)
		return;
	memcpy(key + 8, &a->ss, n);
	key[8] = (uint8_t)a->ss.ss_family;
	key[9] = (uint8_t)(a->ss.ss_family >> 8);
}

static int mon_rank_cmp(const void *x, const void *y)
{
	const struct mon_info *a = x, *b = y;
	uint8_t ka[36], kb[36];
	int c;

	mon_rank_key(a, ka);
	mon_rank_key(b, kb);
	c = memcmp(ka, kb, sizeof(ka));
	return c ? c : strcmp(a->name, b->name);
}

static uint8_t mon_release_from_features(uint64_t f)
{
	static const struct { uint64_t bit; uint8_t release; } t[] = {
		{ CEPH_MON_FEATURE_PACIFIC, 16 },
		{ CEPH_MON_FEATURE_OCTOPUS, 15 },
		{ CEPH_MON_FEATURE_NAUTILUS, 14 },
		{ CEPH_MON_FEATURE_MIMIC, 13 },
		{ CEPH_MON_FEATURE_LUMINOUS, 12 },
		{ CEPH_MON_FEATURE_KRAKEN, 11 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (f & t[i].bit)
			return t[i].release;
	return 0;
}

static int monmap_decode_mons(struct dec *b, uint8_t v, struct monmap *m)
{
	int r;

	if (v < 6) {
		/* v1: vector<entity_inst_t>; v2-v5: map<name, addr> */
		r = v == 1 ? monmap_decode_insts(b, m) :
			     monmap_decode_named(b, m, MON_ADDR_MIN,
						 mon_addr_decode);
		if (r)
			return r;
	}
	if (dec_time(b, &m->last_changed) || dec_time(b, &m->created))
		return -EBADMSG;
	if (v >= 4) {
		r = mon_feature_decode(b, &m->persistent_features);
		if (!r)
			r = mon_feature_decode(b, &m->optional_features);
		if (r)
			return r;
	}
	if (v >= 5) {
		monmap_drop_mons(m);	/* v5 sends both; mon_info wins */
		r = monmap_decode_named(b, m, MON_INFO_MIN,
					mon_info_decode);
		if (r)
			return r;
	}
	if (v < 6) {
		qsort(m->mons, m->num_mons, sizeof(*m->mons), mon_rank_cmp);
		return 0;
	}
	return monmap_apply_ranks(b, m);
}

/* Fields after the ranks: v7 min_mon_release, v8 election, v9 stretch. */
static int monmap_decode_tail(struct dec *b, uint8_t v, struct monmap *m)
{
	uint32_t n;

	m->min_mon_release = mon_release_from_features(m->persistent_features);
	m->election_strategy = 1;
	if (v >= 7 && dec_u8(b, &m->min_mon_release))
		return -EBADMSG;
	if (v >= 8) {
		if (dec_count(b, 4, &n) || dec_skip(b, (size_t)n * 4) ||
		    dec_u8(b, &m->election_strategy) || dec_count(b, 4, &n))
			return -EBADMSG;
		for (uint32_t i = 0; i < n; i++)
			if (dec_skip_str(b))
				return -EBADMSG;
	}
	if (v >= 9 && dec_u8(b, &m->stretch_mode))
		return -EBADMSG;
	return 0;
}

static int monmap_decode_body(struct dec *b, uint8_t v, struct monmap *m)
{
	int r;

	if (dec_uuid(b, m->fsid) || dec_u32(b, &m->epoch))
		return -EBADMSG;
	r = monmap_decode_mons(b, v, m);
	if (r)
		return r;
	return monmap_decode_tail(b, v, m);
}

int monmap_decode_dec(struct dec *d, struct monmap **out)
{
	struct monmap *m;
	struct dec body;
	bool wrapped;
	uint8_t v;
	int r;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	/* v1 and v2 were a bare u16 version before the fields */
	r = dec_struct_legacy(d, 3, true, MONMAP_V_MAX, &v, &body, &wrapped);
	if (r)
		goto err;
	m->struct_v = v;
	r = monmap_decode_body(&body, v, m);
	if (r)
		goto err;
	if (!wrapped)
		d->p = body.p;
	*out = m;
	return 0;
err:
	monmap_free(m);
	return r;
}

int monmap_decode(const uint8_t *p, size_t n, struct monmap **out)
{
	struct dec d;

	dec_init(&d, p, n);
	return monmap_decode_dec(&d, out);
}

int mmonmap_decode(const uint8_t *front, size_t n, struct monmap **out)
{
	struct dec d, bl;

	*out = NULL;
	dec_init(&d, front, n);
	if (dec_blob(&d, &bl))
		return -EBADMSG;
	return monmap_decode_dec(&bl, out);
}

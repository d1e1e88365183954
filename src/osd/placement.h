/* Where an object lives: object name -> placement group -> OSDs, as
 * Ceph's OSDMap computes it (object_locator_to_pg, raw_pg_to_pg,
 * pg_to_up_acting_osds). Pure functions over a decoded OSDMap. */
#ifndef SIPHON_OSD_PLACEMENT_H
#define SIPHON_OSD_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "osd/osdmap.h"

/* Most OSDs a PG maps to (Ceph's CEPH_PG_MAX_SIZE). */
#define PLACEMENT_MAX_SIZE 32

/* An ordered OSD set. Replicated pools give a compact list; erasure-coded
 * pools keep one slot per shard with CRUSH_ITEM_NONE where no OSD serves
 * it. primary is an OSD id or -1. */
struct osd_set {
	int n;
	int32_t osds[PLACEMENT_MAX_SIZE];
	int32_t primary;
};

/* Ceph's string hashes (ceph_str_hash): CEPH_STR_HASH_LINUX (the Linux
 * dcache hash) or CEPH_STR_HASH_RJENKINS (Jenkins' lookup2); any other
 * type gives 0xffffffff, as in Ceph. */
uint32_t placement_str_hash(int type, const void *s, size_t len);

/* Ceph's ceph_stable_mod: x folded into [0, b) so that growing b by one
 * moves as few values as possible; bmask is 2^k - 1 >= b - 1. */
static inline uint32_t placement_stable_mod(uint32_t x, uint32_t b,
					    uint32_t bmask)
{
	return (x & bmask) < b ? (x & bmask) : (x & (bmask >> 1));
}

/* The raw PG of an object: seed = the pool's hash of the locator key
 * (or of the object name when the key is empty), prefixed by
 * "namespace\037" when the namespace is not empty. The raw seed is the
 * full 32-bit hash MOSDOp carries. -ENOENT if the pool does not exist. */
int placement_object_to_pg(const struct osdmap *m, int64_t pool,
			   const char *nspace, size_t nspace_len,
			   const char *key, size_t key_len, struct pg_id *raw);

/* The actual PG of a raw PG: its seed folded by pg_num (raw_pg_to_pg). */
struct pg_id placement_raw_to_pg(const struct pg_pool *p, struct pg_id raw);

/* The placement seed CRUSH is fed for a PG (raw_pg_to_pps): the seed
 * folded by pgp_num, hashed with the pool id (HASHPSPOOL pools) or added
 * to it (legacy pools). */
uint32_t placement_pg_pps(const struct pg_pool *p, struct pg_id pg);

/* The CRUSH result for a PG with nonexistent OSDs removed (replicated)
 * or replaced by CRUSH_ITEM_NONE (erasure-coded), before upmaps and
 * without regard to up/down: Ceph's pg_to_raw_osds. */
int placement_pg_to_raw(const struct osdmap *m, struct pg_id pg,
			struct osd_set *raw);

/* The up and acting sets of a PG, raw or actual (the seed is folded
 * here): CRUSH through the pool's rule and choose_args, pg_upmap and
 * pg_upmap_items, down OSDs dropped (replicated) or holed (EC), primary
 * affinity, then pg_temp and primary_temp for the acting set. up or
 * acting may be NULL. Returns 0, -ENOENT (no such pool: both sets empty
 * with primary -1) or -E2BIG (pool size > PLACEMENT_MAX_SIZE). */
int placement_pg_to_up_acting(const struct osdmap *m, struct pg_id pg,
			      struct osd_set *up, struct osd_set *acting);

/* Everything the OSD client needs to send an op on an object and to see
 * later whether a new map moves it. */
struct placement_target {
	struct pg_id raw_pg;	/* seed: the object's full hash */
	struct pg_id pg;	/* seed folded by pg_num */
	uint32_t pg_num;
	struct osd_set up, acting;	/* acting.primary gets the op */
};

/* placement_object_to_pg + placement_pg_to_up_acting in one call. */
int placement_object_target(const struct osdmap *m, int64_t pool,
			    const char *nspace, size_t nspace_len,
			    const char *key, size_t key_len,
			    struct placement_target *t);

#endif

/* Helpers shared by the OSDMap decoders in src/osd (not a public API). */
#ifndef SIPHON_OSD_OSDMAP_INT_H
#define SIPHON_OSD_OSDMAP_INT_H

#include "osd/osdmap.h"

/* Wire sizes of the smallest possible elements, for dec_count(). */
#define PGID_WIRE_LEN 17	/* u8 v, u64 pool, u32 seed, i32 preferred */
#define STRING_MIN_LEN 4

int pg_pool_decode(struct dec *d, struct pg_pool *pool);
void pg_pool_release(struct pg_pool *pool);
int pg_pool_copy(struct pg_pool *dst, const struct pg_pool *src);

int pgid_decode(struct dec *d, struct pg_id *pgid);

/* map<pg_t, vector<int32>> (pairs = 0) or map<pg_t, vector<pair<int32,
 * int32>>> (pairs = 1), into a table sorted by pgid. */
int pg_table_decode(struct dec *d, int pairs, struct pg_mapping_table *t);
/* map<pg_t, int32> (primary_temp) */
int pg_primary_table_decode(struct dec *d, struct pg_mapping_table *t);
/* set<pg_t> */
int pgid_set_decode(struct dec *d, struct pg_id **v, uint32_t *n);
void pg_table_release(struct pg_mapping_table *t);
int pg_table_copy(struct pg_mapping_table *dst,
		  const struct pg_mapping_table *src, int pairs);
const struct pg_mapping *pg_table_find(const struct pg_mapping_table *t,
				       struct pg_id pgid);
/* Inserts or replaces (taking ownership of e->osds), or removes. */
int pg_table_set(struct pg_mapping_table *t, struct pg_mapping *e);
void pg_table_remove(struct pg_mapping_table *t, struct pg_id pgid);

int osd_addrs_decode(struct dec *d, struct osd_addrs **out);
struct osd_addrs *osd_addrs_dup(const struct osd_addrs *a);

int skip_string_map(struct dec *d);
int skip_ec_profiles(struct dec *d);

/* Checks a map's crc32c: covers [start, crc) and (crc + 4, end). */
int osdmap_check_crc(const uint8_t *start, const uint8_t *crc,
		     const uint8_t *end);

struct osdmap *osdmap_alloc(void);
int osdmap_set_max_osd(struct osdmap *m, int32_t max_osd);
void osdmap_calc_counts(struct osdmap *m);
struct pg_pool *osdmap_pool_mut(struct osdmap *m, int64_t id);

/* Reads the Ceph wrapper of a full or incremental map: -ENOTSUP for the
 * classic (pre-v7) encoding. */
int osdmap_wrapper_decode(struct dec *d, uint8_t *v, struct dec *body);

#endif

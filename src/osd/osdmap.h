/* The OSDMap as a client needs it (pools, OSD states, weights and
 * addresses, PG overrides, CRUSH), decoded from full and incremental
 * encodings, and the MOSDMap message that carries them. */
#ifndef SIPHON_OSD_OSDMAP_H
#define SIPHON_OSD_OSDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding/dec.h"
#include "encoding/entity.h"
#include "osd/blocklist.h"
#include "osd/crush.h"

#define CEPH_MSG_OSD_MAP 41

/* osd_state bits */
#define CEPH_OSD_EXISTS       (1u << 0)
#define CEPH_OSD_UP           (1u << 1)
#define CEPH_OSD_AUTOOUT      (1u << 2)
#define CEPH_OSD_NEW          (1u << 3)
#define CEPH_OSD_FULL         (1u << 4)
#define CEPH_OSD_NEARFULL     (1u << 5)
#define CEPH_OSD_BACKFILLFULL (1u << 6)
#define CEPH_OSD_DESTROYED    (1u << 7)
#define CEPH_OSD_NOUP         (1u << 8)
#define CEPH_OSD_NODOWN       (1u << 9)
#define CEPH_OSD_NOIN         (1u << 10)
#define CEPH_OSD_NOOUT        (1u << 11)
#define CEPH_OSD_STOP         (1u << 12)

/* osd_weight: 16.16 fixed point */
#define CEPH_OSD_IN  0x10000u
#define CEPH_OSD_OUT 0u
#define CEPH_OSD_DEFAULT_PRIMARY_AFFINITY 0x10000u
#define CEPH_OSD_MAX_PRIMARY_AFFINITY     0x10000u

/* OSDMap flags */
#define CEPH_OSDMAP_NEARFULL         (1u << 0)
#define CEPH_OSDMAP_FULL             (1u << 1)
#define CEPH_OSDMAP_PAUSERD          (1u << 2)
#define CEPH_OSDMAP_PAUSEWR          (1u << 3)
#define CEPH_OSDMAP_PAUSEREC         (1u << 4)
#define CEPH_OSDMAP_NOUP             (1u << 5)
#define CEPH_OSDMAP_NODOWN           (1u << 6)
#define CEPH_OSDMAP_NOOUT            (1u << 7)
#define CEPH_OSDMAP_NOIN             (1u << 8)
#define CEPH_OSDMAP_NOBACKFILL       (1u << 9)
#define CEPH_OSDMAP_NORECOVER        (1u << 10)
#define CEPH_OSDMAP_NOSCRUB          (1u << 11)
#define CEPH_OSDMAP_NODEEP_SCRUB     (1u << 12)
#define CEPH_OSDMAP_NOTIERAGENT      (1u << 13)
#define CEPH_OSDMAP_NOREBALANCE      (1u << 14)
#define CEPH_OSDMAP_SORTBITWISE      (1u << 15)
#define CEPH_OSDMAP_REQUIRE_JEWEL    (1u << 16)
#define CEPH_OSDMAP_REQUIRE_KRAKEN   (1u << 17)
#define CEPH_OSDMAP_REQUIRE_LUMINOUS (1u << 18)
#define CEPH_OSDMAP_RECOVERY_DELETES (1u << 19)
#define CEPH_OSDMAP_PURGED_SNAPDIRS  (1u << 20)
#define CEPH_OSDMAP_NOSNAPTRIM       (1u << 21)
#define CEPH_OSDMAP_PGLOG_HARDLIMIT  (1u << 22)

/* pg_pool_t types and flags */
#define CEPH_POOL_TYPE_REP     1
#define CEPH_POOL_TYPE_ERASURE 3

#define CEPH_STR_HASH_LINUX    1
#define CEPH_STR_HASH_RJENKINS 2

#define CEPH_POOL_FLAG_HASHPSPOOL            (1ull << 0)
#define CEPH_POOL_FLAG_FULL                  (1ull << 1)
#define CEPH_POOL_FLAG_EC_OVERWRITES         (1ull << 2)
#define CEPH_POOL_FLAG_INCOMPLETE_CLONES     (1ull << 3)
#define CEPH_POOL_FLAG_NODELETE              (1ull << 4)
#define CEPH_POOL_FLAG_NOPGCHANGE            (1ull << 5)
#define CEPH_POOL_FLAG_NOSIZECHANGE          (1ull << 6)
#define CEPH_POOL_FLAG_WRITE_FADVISE_DONTNEED (1ull << 7)
#define CEPH_POOL_FLAG_NOSCRUB               (1ull << 8)
#define CEPH_POOL_FLAG_NODEEP_SCRUB          (1ull << 9)
#define CEPH_POOL_FLAG_FULL_QUOTA            (1ull << 10)
#define CEPH_POOL_FLAG_NEARFULL              (1ull << 11)
#define CEPH_POOL_FLAG_BACKFILLFULL          (1ull << 12)
#define CEPH_POOL_FLAG_SELFMANAGED_SNAPS     (1ull << 13)
#define CEPH_POOL_FLAG_POOL_SNAPS            (1ull << 14)
#define CEPH_POOL_FLAG_CREATING              (1ull << 15)

/* An OSD's address vector, sized to what the map holds. */
struct osd_addrs {
	uint32_t n;
	struct entity_addr v[];
};

/* The largest max_osd an incremental may set: it costs memory before
 * any OSD is described (Ceph's own mon_max_osd default is 10000). */
#define OSDMAP_MAX_OSD (1 << 18)

/* pg_t: a placement group of a pool */
struct pg_id {
	uint64_t pool;
	uint32_t seed;
};

struct pg_pool {
	int64_t id;
	char *name;			/* "" if the map names no such pool */
	uint8_t type;			/* CEPH_POOL_TYPE_* */
	uint8_t size;
	uint8_t min_size;
	uint8_t crush_rule;
	uint8_t object_hash;		/* CEPH_STR_HASH_* */
	uint8_t cache_mode;
	uint8_t pg_autoscale_mode;
	uint32_t pg_num, pgp_num;
	uint32_t pg_num_mask, pgp_num_mask;	/* 2^k - 1 >= num - 1 */
	uint32_t pg_num_target, pgp_num_target, pg_num_pending;
	uint32_t last_change;
	uint64_t snap_seq;
	uint32_t snap_epoch;
	uint64_t auid;
	uint64_t flags;			/* CEPH_POOL_FLAG_* */
	uint64_t quota_max_bytes, quota_max_objects;
	int64_t tier_of, read_tier, write_tier;	/* -1 if none */
	uint32_t stripe_width;
	/* a client resends ops in flight when its map crosses these */
	uint32_t last_force_op_resend;
	uint32_t last_force_op_resend_prenautilus;
	uint32_t last_force_op_resend_preluminous;
	char *erasure_code_profile;
};

/* A PG override: pg_temp and pg_upmap (n OSDs), pg_upmap_items (n
 * from/to pairs stored as 2n ints), primary_temp (n = 1). */
struct pg_mapping {
	struct pg_id pgid;
	uint32_t n;
	int32_t *osds;
};

struct pg_mapping_table {
	struct pg_mapping *v;		/* sorted by pgid */
	uint32_t n;
};

struct osdmap {
	int refs;			/* osdmap_get()/osdmap_free() */
	uint8_t fsid[16];
	uint32_t epoch;
	struct sp_time created, modified;
	uint32_t flags;			/* CEPH_OSDMAP_* */
	int64_t pool_max;

	int32_t max_osd;
	uint32_t *osd_state;		/* max_osd entries each */
	uint32_t *osd_weight;
	uint32_t *osd_primary_affinity;
	/* client (public) addresses; NULL where an OSD has none. Kept as
	 * exact-size blocks: a full entity_addrvec per OSD would let a few
	 * wire bytes claim a kilobyte each. */
	struct osd_addrs **osd_addrs;
	uint32_t num_up, num_in, num_exists;

	struct pg_pool *pools;		/* sorted by id */
	uint32_t num_pools;

	struct pg_mapping_table pg_temp;
	struct pg_mapping_table primary_temp;
	struct pg_mapping_table pg_upmap;
	struct pg_mapping_table pg_upmap_items;

	struct crush_map *crush;	/* shared between epochs: read only */
	uint32_t crush_version;
	uint8_t client_v;		/* client-data struct_v decoded */

	/* from the OSD-only section: the addresses refused (evicted) */
	struct blocklist blocklist;
};

/* Don't check the maps' crc32c (for fuzzing, which cannot forge them). */
#define OSDMAP_DECODE_NO_CRC 0x1

/* A full map. Accepts the current encoding (wrapper v7+, client data
 * v1..v10; Pacific sends v9 with addrvecs to clients with all features,
 * older forms to older peers) and checks its crc when present. Returns
 * 0, -EBADMSG, -ENOTSUP (classic pre-v7 encoding, or a newer compat) or
 * -ENOMEM. */
int osdmap_decode(const uint8_t *p, size_t n, struct osdmap **out);
int osdmap_decode_flags(const uint8_t *p, size_t n, unsigned flags,
			struct osdmap **out);

/* Applies an incremental to `old` and returns a NEW map in *out; `old` is
 * not modified, so readers may go on using it. The incremental's epoch
 * must be old->epoch + 1 (else -EINVAL), its fsid old's (else -EINVAL).
 * An embedded full map replaces everything. */
int osdmap_apply_incremental(const struct osdmap *old, const uint8_t *p,
			     size_t n, struct osdmap **out);
int osdmap_apply_incremental_flags(const struct osdmap *old,
				   const uint8_t *p, size_t n, unsigned flags,
				   struct osdmap **out);

/* Maps are reference counted so that the OSD client can keep using one
 * epoch while a newer one is published; a decoded map has one reference
 * and osdmap_free() drops one. */
struct osdmap *osdmap_get(struct osdmap *m);
void osdmap_free(struct osdmap *m);

const struct pg_pool *osdmap_pool(const struct osdmap *m, int64_t id);
const struct pg_pool *osdmap_pool_by_name(const struct osdmap *m,
					  const char *name);

static inline bool osdmap_exists(const struct osdmap *m, int osd)
{
	return osd >= 0 && osd < m->max_osd &&
	       (m->osd_state[osd] & CEPH_OSD_EXISTS);
}

static inline bool osdmap_is_up(const struct osdmap *m, int osd)
{
	return osdmap_exists(m, osd) && (m->osd_state[osd] & CEPH_OSD_UP);
}

static inline bool osdmap_is_in(const struct osdmap *m, int osd)
{
	return osdmap_exists(m, osd) && m->osd_weight[osd] != CEPH_OSD_OUT;
}

static inline uint32_t osdmap_num_up(const struct osdmap *m)
{
	return m->num_up;
}

static inline uint32_t osdmap_num_in(const struct osdmap *m)
{
	return m->num_in;
}

/* Copies an OSD's client addresses into *av (up to ENTITY_ADDRVEC_MAX);
 * -ENOENT if it has none. */
int osdmap_osd_addrvec(const struct osdmap *m, int osd,
		       struct entity_addrvec *av);

/* PG overrides; NULL if the PG has none. */
const struct pg_mapping *osdmap_pg_temp(const struct osdmap *m,
					struct pg_id pgid);
const struct pg_mapping *osdmap_pg_upmap(const struct osdmap *m,
					 struct pg_id pgid);
const struct pg_mapping *osdmap_pg_upmap_items(const struct osdmap *m,
					       struct pg_id pgid);
/* The primary_temp OSD of a PG, or -1. */
/* Whether the cluster refuses address a (blocklisted: evicted). */
bool osdmap_is_blocklisted(const struct osdmap *m, const struct entity_addr *a);
int osdmap_primary_temp(const struct osdmap *m, struct pg_id pgid);

int pg_id_compare(struct pg_id a, struct pg_id b);

/* One encoded map inside an MOSDMap: a view into the message. */
struct mosdmap_entry {
	uint32_t epoch;
	const uint8_t *p;
	uint32_t len;
};

struct mosdmap {
	uint8_t fsid[16];
	struct mosdmap_entry *incs;	/* ascending epochs */
	uint32_t num_incs;
	struct mosdmap_entry *fulls;
	uint32_t num_fulls;
	uint32_t oldest, newest;	/* 0 if the sender did not say */
};

/* Decodes the front of an MOSDMap (type 41). The entries point into p,
 * which must outlive *out; only the entry arrays are allocated. */
int mosdmap_decode(const uint8_t *p, size_t n, struct mosdmap *out);
void mosdmap_release(struct mosdmap *m);

#endif

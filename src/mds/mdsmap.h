/* The MDS map of one file system (MDSMap, with its mds_info_t entries)
 * and the MMDSMap message front: decoding and the lookups a client needs. */
#ifndef SIPHON_MDS_MDSMAP_H
#define SIPHON_MDS_MDSMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "encoding/dec.h"
#include "encoding/entity.h"

/* MDS daemon and rank states (ceph_fs.h) */
#define CEPH_MDS_STATE_DNE		0
#define CEPH_MDS_STATE_STOPPED		(-1)
#define CEPH_MDS_STATE_BOOT		(-4)
#define CEPH_MDS_STATE_STANDBY		(-5)
#define CEPH_MDS_STATE_CREATING		(-6)
#define CEPH_MDS_STATE_STARTING		(-7)
#define CEPH_MDS_STATE_STANDBY_REPLAY	(-8)
#define CEPH_MDS_STATE_REPLAYONCE	(-9)
#define CEPH_MDS_STATE_NULL		(-10)
#define CEPH_MDS_STATE_REPLAY		8
#define CEPH_MDS_STATE_RESOLVE		9
#define CEPH_MDS_STATE_RECONNECT	10
#define CEPH_MDS_STATE_REJOIN		11
#define CEPH_MDS_STATE_CLIENTREPLAY	12
#define CEPH_MDS_STATE_ACTIVE		13
#define CEPH_MDS_STATE_STOPPING		14
#define CEPH_MDS_STATE_DAMAGED		15

/* MDSMap flags */
#define CEPH_MDSMAP_NOT_JOINABLE		(1 << 0)
#define CEPH_MDSMAP_ALLOW_SNAPS			(1 << 1)
#define CEPH_MDSMAP_ALLOW_MULTIMDS_SNAPS	(1 << 4)
#define CEPH_MDSMAP_ALLOW_STANDBY_REPLAY	(1 << 5)

/* mds_info_t flags */
#define CEPH_MDS_INFO_FROZEN		(1ULL << 0)

#define MDS_RANK_NONE		(-1)
#define FS_CLUSTER_ID_NONE	(-1)

/* MDS_FEATURE_INCOMPAT_* ids (bit numbers in compat_set.incompat) */
#define MDS_FEATURE_INCOMPAT_BASE		1
#define MDS_FEATURE_INCOMPAT_CLIENTRANGES	2
#define MDS_FEATURE_INCOMPAT_FILELAYOUT		3
#define MDS_FEATURE_INCOMPAT_DIRINODE		4
#define MDS_FEATURE_INCOMPAT_ENCODING		5
#define MDS_FEATURE_INCOMPAT_OMAPDIRFRAG	6
#define MDS_FEATURE_INCOMPAT_INLINE		7
#define MDS_FEATURE_INCOMPAT_NOANCHOR		8
#define MDS_FEATURE_INCOMPAT_FILE_LAYOUT_V2	9
#define MDS_FEATURE_INCOMPAT_SNAPREALM_V2	10

/* A CompatSet, as the feature-id bitmasks only (bit n = feature id n;
 * the names that travel with them are not kept). */
struct compat_set {
	uint64_t compat;
	uint64_t ro_compat;
	uint64_t incompat;
};

struct mds_info {
	uint64_t gid;
	char *name;			/* "a", without the "mds." */
	int32_t rank;			/* MDS_RANK_NONE when it holds none */
	int32_t inc;			/* incarnation */
	int32_t state;			/* CEPH_MDS_STATE_* */
	uint64_t state_seq;
	struct entity_addrvec addrs;
	struct sp_time laggy_since;	/* 0 when not laggy */
	int32_t standby_for_rank;	/* legacy, always MDS_RANK_NONE now */
	int32_t join_fscid;		/* formerly standby_for_fscid */
	uint32_t num_export_targets;
	int32_t *export_targets;
	uint64_t features;		/* the daemon's CEPH_FEATURE_* bits */
	uint64_t flags;			/* CEPH_MDS_INFO_* */
	bool standby_replay;		/* legacy flag (v7..) */
	struct compat_set compat;
};

struct mdsmap {
	uint8_t struct_v;		/* encoding version ... */
	uint16_t ev;			/* ... and the extended version inside */
	uint32_t epoch;
	uint32_t flags;			/* CEPH_MDSMAP_* */
	uint32_t last_failure;
	uint32_t last_failure_osd_epoch;
	int32_t root;
	int32_t tableserver;
	uint32_t session_timeout;	/* seconds */
	uint32_t session_autoclose;	/* seconds */
	uint64_t max_file_size;
	int32_t max_mds;
	int32_t old_max_mds;
	int32_t standby_count_wanted;
	char *fs_name;
	char *balancer;
	bool enabled;
	bool inline_data_enabled;
	uint8_t ever_allowed_features;
	uint8_t explicitly_allowed_features;
	uint8_t min_compat_client;	/* ceph_release_t; 0 = unknown */
	struct sp_time created;
	struct sp_time modified;
	int64_t metadata_pool;
	int64_t cas_pool;
	uint32_t num_data_pools;
	int64_t *data_pools;		/* the first is the default */
	struct compat_set compat;

	uint32_t num_infos;
	struct mds_info *infos;		/* by gid, ascending */

	/* Rank sets, each ascending. up[i] holds rank up_rank[i]. */
	uint32_t num_in, num_up, num_failed, num_stopped, num_damaged;
	int32_t *in, *failed, *stopped, *damaged;
	int32_t *up_rank;
	uint64_t *up_gid;

	/* CephFS client features the file system requires (feature_bitset_t):
	 * bit n of word n / 64. */
	uint32_t num_required_words;
	uint64_t *required_client_features;
};

/* Decodes an MDSMap (every encoding Ceph's MDSMap::decode accepts; Pacific
 * sends v5 with ev 16) from the cursor, which ends up after it. */
int mdsmap_decode(struct dec *d, struct mdsmap **out);
void mdsmap_free(struct mdsmap *m);

/* The front of an MMDSMap message (CEPH_MSG_MDS_MAP, type 21). */
struct mmdsmap {
	uint8_t fsid[16];
	uint32_t epoch;
	char *map_fs_name;		/* NULL when absent (header v1) */
	struct mdsmap *map;
};

int mmdsmap_decode(const uint8_t *front, size_t n, struct mmdsmap *out);
void mmdsmap_clear(struct mmdsmap *m);

/* Ceph's spelling of a state, as `ceph fs dump` prints it ("up:active"),
 * "???" for an unknown value. */
const char *mds_state_name(int32_t state);

const struct mds_info *mdsmap_info_by_gid(const struct mdsmap *m,
					  uint64_t gid);
/* The daemon holding an up rank, or NULL if the rank is not up. */
const struct mds_info *mdsmap_rank_info(const struct mdsmap *m, int32_t rank);
/* The state of the daemon holding the rank, CEPH_MDS_STATE_NULL if the
 * rank is not up (as MDSMap::get_state). */
int32_t mdsmap_rank_state(const struct mdsmap *m, int32_t rank);
bool mdsmap_is_up(const struct mdsmap *m, int32_t rank);
bool mdsmap_is_failed(const struct mdsmap *m, int32_t rank);
bool mdsmap_is_damaged(const struct mdsmap *m, int32_t rank);
/* How many daemons are in a state (MDSMap::get_num_mds). */
unsigned mdsmap_count_state(const struct mdsmap *m, int32_t state);
/* Whether the map requires a CephFS client feature bit. */
bool mdsmap_requires_feature(const struct mdsmap *m, unsigned bit);

/* MDSMap::is_cluster_available: may a client go ahead and mount? */
enum mdsmap_availability {
	MDSMAP_AVAILABLE = 0,
	MDSMAP_TRANSIENT_UNAVAILABLE = 1,
	MDSMAP_STUCK_UNAVAILABLE = 2,
};
enum mdsmap_availability mdsmap_availability(const struct mdsmap *m);

/* Pieces shared with the FSMap decoder. */
int mds_info_decode(struct dec *d, struct mds_info *info);
/* map<u64 gid, mds_info_t>, gids strictly ascending (MDSMap's mds_info,
 * FSMap's standby_daemons). *infos gets an array (freed by the caller
 * even on failure) and *num, which starts at 0, counts the entries
 * decoded, which mds_info_clear() releases. */
int mds_info_map_decode(struct dec *d, struct mds_info **infos,
			uint32_t *num);
void mds_info_clear(struct mds_info *info);
int compat_set_decode(struct dec *d, struct compat_set *cs);

#endif

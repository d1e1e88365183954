/* The file system map (FSMap: every file system's MDSMap plus the standby
 * daemons), FSMapUser (the client's fs name -> fscid list) and the
 * MFSMap / MFSMapUser message fronts that carry them. */
#ifndef SIPHON_MDS_FSMAP_H
#define SIPHON_MDS_FSMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mdsmap.h"

struct fsmap_fs {
	int32_t fscid;
	struct mdsmap *map;
};

struct fsmap {
	uint8_t struct_v;
	uint32_t epoch;
	uint64_t next_filesystem_id;
	int32_t legacy_client_fscid;	/* the default fs; FS_CLUSTER_ID_NONE */
	struct compat_set compat;	/* default_compat */
	bool enable_multiple;
	bool ever_enabled_multiple;
	uint32_t num_fs;
	struct fsmap_fs *fs;		/* in encoded (fscid) order */
	uint32_t num_standbys;
	struct mds_info *standbys;	/* ascending by gid */
	uint32_t *standby_epochs;	/* parallel to standbys; 0 if unknown */
};

/* Decodes an encoded FSMap (what the monitor stores under "mdsmap"):
 * Pacific's v7 and v6 before it. */
int fsmap_decode(const uint8_t *p, size_t n, struct fsmap **out);
int fsmap_decode_dec(struct dec *d, struct fsmap **out);
/* The front of an MFSMap message (CEPH_MSG_FS_MAP, type 45): u32 epoch,
 * then the FSMap. */
int mfsmap_decode(const uint8_t *front, size_t n, struct fsmap **out);
void fsmap_free(struct fsmap *m);

const struct fsmap_fs *fsmap_fs_by_name(const struct fsmap *m,
					const char *name);
const struct fsmap_fs *fsmap_fs_by_id(const struct fsmap *m, int32_t fscid);

/* FSMapUser: what a client subscribed to "fsmap.user" gets. */
struct fsmap_user_fs {
	int32_t fscid;
	char *name;
};

struct fsmap_user {
	uint32_t epoch;
	int32_t legacy_client_fscid;
	uint32_t num_fs;
	struct fsmap_user_fs *fs;
};

int fsmap_user_decode(struct dec *d, struct fsmap_user **out);
/* The front of an MFSMapUser message (CEPH_MSG_FS_MAP_USER, type 103). */
int mfsmapuser_decode(const uint8_t *front, size_t n, struct fsmap_user **out);
void fsmap_user_free(struct fsmap_user *m);
/* The fscid of a named file system, or -ENOENT. */
int fsmap_user_fscid(const struct fsmap_user *m, const char *name,
		     int32_t *fscid);

#endif

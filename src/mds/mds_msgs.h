/* Encoders and decoders of the MDS client's messages: MClientSession,
 * MClientRequest, MClientRequestForward, MClientCaps, MClientCapRelease,
 * MClientLease and MClientSnap, byte-exact with what ceph-fuse 16.2.15
 * sends. Pure functions: encoders return a new struct msg (NULL when out
 * of memory), decoders fill a struct with values and with views into the
 * bytes they were given (valid while those bytes are) and return 0,
 * -EBADMSG for short or malformed input, -ENOTSUP for a compat version
 * newer than we understand. */
#ifndef SIPHON_MDS_MDS_MSGS_H
#define SIPHON_MDS_MDS_MSGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mds/mds_proto.h"
#include "msg/msg.h"

/* Largest feature / metric bitset kept, in 64-bit words (256 bits); a
 * longer one is accepted and its higher bits dropped. */
#define MDS_FEATURE_WORDS 4

/* True when bit `bit` is set in a bitset of nwords words. */
static inline bool mds_feature_test(const uint64_t *words, uint32_t nwords,
				    unsigned bit)
{
	return words && bit / 64 < nwords &&
	       (words[bit / 64] >> (bit % 64) & 1);
}

/* ---- MClientSession (22) ---- */

struct mds_session_meta {
	const char *k, *v;		/* views, not NUL-terminated */
	uint32_t klen, vlen;
};

struct mds_session_msg {
	uint32_t op;			/* CEPH_SESSION_* */
	uint64_t seq;
	struct sp_time stamp;
	uint32_t max_caps, max_leases;	/* RECALL_STATE */
	/* decoded from the MDS (views into the front / malloc'd array): */
	uint32_t num_meta;		/* v2: REJECT carries "error_string" */
	struct mds_session_meta *meta;
	uint64_t features[MDS_FEATURE_WORDS];	/* v3: CEPHFS_FEATURE_* bits */
	uint32_t features_words;
	uint64_t metric_spec[MDS_FEATURE_WORDS]; /* v4: metrics it wants */
	uint32_t metric_words;
	uint32_t flags;			/* v5: CEPH_SESSION_BLOCKLISTED */
};

/* What REQUEST_OPEN carries: our metadata (ceph-fuse sends ceph_sha1,
 * ceph_version, entity_id, hostname, mount_point, pid, root; they are
 * encoded as a map, sorted by key, whatever order they come in), the
 * CephFS feature bits we implement and the metrics we can report. */
struct mds_session_open {
	const char *const *meta_keys;
	const char *const *meta_vals;
	int num_meta;
	const uint64_t *features;
	uint32_t features_words;
	const uint64_t *metric_spec;
	uint32_t metric_words;
};

/* REQUEST_OPEN (v5, `open` required) or any other op (v1, head only,
 * stamp zero as ceph-fuse sends it; `open` ignored, may be NULL). */
struct msg *mds_msg_session(uint32_t op, uint64_t seq,
			    const struct mds_session_open *open);
/* Decodes a session front of header version `version`. On success the
 * caller frees with mds_session_msg_free(); on failure nothing is held. */
int mds_session_decode(const uint8_t *front, size_t n, uint16_t version,
		       struct mds_session_msg *out);
void mds_session_msg_free(struct mds_session_msg *m);
/* The value of metadata key `key` as a view, or NULL (len in *vlen). */
const char *mds_session_meta_get(const struct mds_session_msg *m,
				 const char *key, uint32_t *vlen);

/* ---- MClientRequest (24) ---- */

struct mds_filepath {
	uint64_t ino;			/* base inode */
	const char *path;		/* relative to ino; NULL or "" for none */
};

/* A cap or dentry-lease release piggybacked on a request. */
struct mds_request_release {
	uint64_t ino, cap_id;
	uint32_t caps, wanted, seq, issue_seq, mseq, dname_seq;
	const char *dname;		/* NULL: no dentry */
	uint32_t dname_len;		/* used when dname is not NUL-terminated;
					   0 with dname set: strlen(dname) */
};

/* ceph_file_layout in its legacy 28-byte form (setlayout args). */
struct mds_legacy_layout {
	uint32_t stripe_unit, stripe_count, object_size;
	uint32_t cas_hash, object_stripe_unit, unused;
	uint32_t pool;			/* pg_pool, -1 as u32 for none */
};

/* The op-dependent args of the head. The op picks the member that is
 * encoded (mds_request_args_kind()); the others are ignored. */
union mds_request_args {
	struct { uint32_t mask; } getattr;		/* GETATTR, LOOKUP*, GETVXATTR */
	struct {
		uint32_t mode, uid, gid;
		struct sp_time mtime, atime;
		uint64_t size, old_size;
		uint32_t mask;				/* CEPH_SETATTR_* */
		struct sp_time btime;
	} setattr;
	struct {
		uint32_t frag, max_entries, max_bytes;
		uint16_t flags;				/* CEPH_READDIR_* */
		uint32_t offset_hash;
	} readdir;					/* READDIR, LSSNAP */
	struct { uint32_t mode, rdev; } mknod;
	struct { uint32_t mode; } mkdir;		/* MKDIR, MKSNAP */
	struct {
		uint32_t flags, mode;			/* wire open flags */
		uint32_t stripe_unit, stripe_count, object_size, pool;
		uint32_t mask;
		uint64_t old_size;
	} open;						/* OPEN, CREATE */
	struct { uint32_t flags, osdmap_epoch; } setxattr; /* SETXATTR, RMXATTR */
	struct { struct mds_legacy_layout layout; } setlayout; /* SETLAYOUT, SETDIRLAYOUT */
	struct {
		uint8_t rule, type;
		uint64_t owner, pid, start, length;
		uint8_t wait;
	} filelock_change;				/* SETFILELOCK, GETFILELOCK */
	struct { uint32_t mask; uint64_t snapid, parent; uint32_t hash; } lookupino;
};

enum mds_args_kind {
	MDS_ARGS_NONE,		/* all zero (LINK, UNLINK, RENAME, RMDIR, SYMLINK...) */
	MDS_ARGS_GETATTR,
	MDS_ARGS_SETATTR,
	MDS_ARGS_READDIR,
	MDS_ARGS_MKNOD,
	MDS_ARGS_MKDIR,
	MDS_ARGS_OPEN,
	MDS_ARGS_SETXATTR,
	MDS_ARGS_SETLAYOUT,
	MDS_ARGS_FILELOCK,
	MDS_ARGS_LOOKUPINO,
};

/* Which args member an op uses. */
enum mds_args_kind mds_request_args_kind(uint32_t op);

/* Size of the args union on the wire. */
#define MDS_REQUEST_ARGS_LEN 56

struct mds_request_msg {
	uint64_t tid, oldest_client_tid;
	uint32_t mdsmap_epoch, flags, op, caller_uid, caller_gid;
	/* Counts of retries / forwards. On the wire: u8 in the legacy part
	 * (truncated, as Ceph does) and u32 in head v2, which is sent when
	 * the MDS has CEPHFS_FEATURE_32BITS_RETRY_FWD. */
	uint32_t num_retry, num_fwd;
	uint64_t ino;			/* replay: the created ino; async: a delegated ino */
	union mds_request_args args;
	/* When set, these 56 bytes are sent as the args verbatim instead of
	 * encoding `args` (replaying a request decoded earlier). */
	const uint8_t *args_raw;
	struct mds_filepath path, path2;
	const struct mds_request_release *releases;
	uint32_t num_releases;
	struct sp_time stamp;
	const uint32_t *gids;		/* supplementary groups */
	uint32_t num_gids;
	const char *alternate_name;	/* NULL or "" for none */
	const void *data;		/* data section, e.g. a setxattr value */
	size_t data_len;
	/* filled in by mds_request_decode() only: */
	uint16_t head_version;
	uint32_t path_len, path2_len, alternate_name_len; /* the views' lengths */
	const uint8_t *releases_raw;	/* num_releases encoded releases */
	size_t releases_raw_len;
	const uint8_t *gids_raw;	/* num_gids u64 values */
};

/* Builds the request as ceph-fuse 16.2.15 does: message v5; head v2
 * (with 32-bit retry/fwd) when `mds_features` has bit 18, else head v1.
 * `mds_features` is the MDS's session feature bitset (may be NULL). */
struct msg *mds_msg_request(const struct mds_request_msg *r,
			    const uint64_t *mds_features, uint32_t nwords);

/* Decodes a request (message v1..v6, head v1..v3), for tests and tools.
 * Strings are views into m and NOT NUL-terminated: their lengths are in
 * path_len, path2_len, alternate_name_len; `releases` and `gids` are
 * left NULL (see releases_raw / gids_raw and the helpers below). */
int mds_request_decode(const struct msg *m, struct mds_request_msg *out);
/* Release i of a decoded request (i < num_releases), dname a view. */
int mds_request_decoded_release(const struct mds_request_msg *r, uint32_t i,
				struct mds_request_release *out);

/* ---- MClientRequestForward (25) ---- */

int mds_forward_decode(const uint8_t *front, size_t n, int32_t *dest_mds,
		       int32_t *num_fwd, bool *must_resend);

/* ---- MClientCaps (0x310) ---- */

struct mds_caps_msg {
	uint32_t op;			/* CEPH_CAP_OP_* */
	uint64_t ino, realm, cap_id;
	uint32_t seq, issue_seq, caps, wanted, dirty, migrate_seq;
	uint64_t snap_follows;
	uint32_t uid, gid, mode, nlink;
	uint64_t xattr_version;
	const uint8_t *xattrs;		/* the middle section */
	uint32_t xattrs_len;
	uint64_t size, max_size, truncate_size;
	uint32_t truncate_seq;
	struct sp_time mtime, atime, ctime, btime;
	uint32_t time_warp_seq;
	struct {
		uint32_t stripe_unit, stripe_count, object_size;
		int64_t pool;		/* -1 (u32 on the wire) for none */
	} layout;
	const char *pool_ns;
	uint32_t pool_ns_len;
	struct {
		uint64_t cap_id;
		uint32_t seq, mseq;
		int32_t mds;
		uint8_t flags;		/* CEPH_CAP_FLAG_* */
	} peer;				/* EXPORT (in the body) / IMPORT (after flock) */
	const uint8_t *snap_trace;
	uint32_t snap_trace_len;
	const uint8_t *flock;
	uint32_t flock_len;
	uint64_t inline_version;	/* CEPH_INLINE_NONE when none */
	const uint8_t *inline_data;
	uint32_t inline_len;
	uint32_t osd_epoch_barrier;
	uint64_t oldest_flush_tid;
	uint32_t caller_uid, caller_gid;
	uint64_t change_attr;
	uint32_t flags;			/* CEPH_CLIENT_CAPS_* */
	int64_t nfiles, nsubdirs;	/* -1 when unknown */
	uint64_t flush_tid;		/* header tid of FLUSH / FLUSH_ACK / dirty UPDATE */
	uint16_t version;		/* decode only: the header version */
};

/* Decodes caps from the MDS (any version 1..11+, newer fields skipped).
 * Views into m. */
int mds_caps_decode(const struct msg *m, struct mds_caps_msg *out);
/* Client -> MDS (UPDATE, FLUSH, RELEASE, FLUSHSNAP...): message v11 as
 * ceph-fuse 16.2.15 sends it; header tid = flush_tid, xattrs in middle. */
struct msg *mds_msg_caps(const struct mds_caps_msg *c);

/* ---- MClientCapRelease (0x313) ---- */

struct mds_cap_release_item {
	uint64_t ino, cap_id;
	uint32_t migrate_seq, seq;
};

/* Message v2. */
struct msg *mds_msg_cap_release(const struct mds_cap_release_item *items,
				uint32_t n, uint32_t osd_epoch_barrier);
/* For tests and tools: *n items, *items a view of n * 24 encoded bytes
 * (read one with mds_cap_release_item_at()). */
int mds_cap_release_decode(const uint8_t *front, size_t n, uint16_t version,
			   uint32_t *num, const uint8_t **items,
			   uint32_t *osd_epoch_barrier);
void mds_cap_release_item_at(const uint8_t *items, uint32_t i,
			     struct mds_cap_release_item *out);

/* ---- MClientLease (0x311) ---- */

struct mds_lease_msg {
	uint8_t action;			/* CEPH_MDS_LEASE_* */
	uint16_t mask;
	uint64_t ino, first, last;	/* first/last: the snapid range */
	uint32_t seq, duration_ms;
	const char *dname;		/* view on decode */
	uint32_t dname_len;
};

int mds_lease_decode(const uint8_t *front, size_t n, struct mds_lease_msg *out);
struct msg *mds_msg_lease(const struct mds_lease_msg *l);

/* ---- MClientSnap (0x312) ---- */

struct mds_snap_msg {
	uint32_t op;			/* CEPH_SNAP_OP_* */
	uint64_t split;			/* SPLIT: the new realm */
	uint32_t num_split_inos, num_split_realms;
	const uint8_t *split_inos;	/* num_split_inos u64s */
	const uint8_t *split_realms;	/* num_split_realms u64s */
	const uint8_t *trace;		/* SnapRealmInfo records: decode with
					   mds_snap_trace_decode() (mds/reply.h) */
	uint32_t trace_len;
};

int mds_snap_decode(const uint8_t *front, size_t n, struct mds_snap_msg *out);
uint64_t mds_snap_split_ino(const struct mds_snap_msg *s, uint32_t i);
uint64_t mds_snap_split_realm(const struct mds_snap_msg *s, uint32_t i);

/* ---- MClientReconnect (23) ---- */

/* A cap restated to a restarted MDS. */
struct mds_reconnect_cap {
	uint64_t ino, cap_id;
	uint32_t wanted, issued;
	uint64_t realm;			/* the snap realm the cap is in */
	uint64_t pathbase;		/* path is relative to this ino */
	const char *path;		/* path_len bytes (NULL: none) */
	uint32_t path_len;
	const uint8_t *locks;		/* held locks (filelocks_encode()) */
	uint32_t locks_len;
};

struct mds_reconnect_realm {
	uint64_t ino, seq, parent;
};

/* Message v5 (compat 4) as a Pacific MDS decodes it, everything in the
 * data section: map<ino, cap_reconnect_t v2>, vector<snaprealm_reconnect_t>,
 * bool more (another message follows). */
struct msg *mds_msg_reconnect(const struct mds_reconnect_cap *caps,
			      uint32_t ncaps,
			      const struct mds_reconnect_realm *realms,
			      uint32_t nrealms, bool more);
/* For tests: the fields of the reconnect's data section, in order;
 * returns 0 or -EBADMSG. `cap` gets called for each cap (locks and path
 * are views into data). */
int mds_reconnect_decode(const uint8_t *data, size_t n,
			 void (*cap)(void *arg, const struct mds_reconnect_cap *c),
			 void (*realm)(void *arg, const struct mds_reconnect_realm *r),
			 void *arg, bool *more);

/* Element i of a u64 array view (little-endian). */
uint64_t mds_u64_at(const uint8_t *p, uint32_t i);

#endif

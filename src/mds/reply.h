/* Decoding of MClientReply (message type 26), the MDS's answer to a
 * metadata request: the head, the trace (parent directory inode, dirfrag,
 * dentry name and lease, target inode), the op-specific "extra" part
 * (readdir entries, the created inode), and the snap realm blob.
 *
 * The decoder is pure: it reads a byte range and fills a struct. Strings
 * and blobs are views into the caller's buffer, which must outlive the
 * struct; the few variable-length arrays are malloc'd and released by
 * mds_reply_free(). Errors: -EBADMSG for short or malformed input,
 * -ENOTSUP for a versioned struct with a compat version we don't know,
 * -ENOMEM. */
#ifndef SIPHON_MDS_REPLY_H
#define SIPHON_MDS_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding/dec.h"
#include "mds/ceph_fs.h"

/* The cap the MDS issues with an inode (ceph_mds_reply_cap). */
struct mds_reply_cap {
	uint32_t caps, wanted;
	uint64_t cap_id;
	uint32_t seq, mseq;
	uint64_t realm;			/* snap realm the inode lives in */
	uint8_t flags;			/* CEPH_CAP_FLAG_* */
};

/* file_layout_t, from the legacy 28-byte layout plus the pool namespace */
struct mds_file_layout {
	uint32_t stripe_unit, stripe_count, object_size;
	int64_t pool_id;		/* -1 when the layout is all zero */
	const char *pool_ns;		/* view; pool_ns_len 0: none */
	uint32_t pool_ns_len;
};

struct mds_frag {
	uint32_t frag, by;
};

/* One InodeStat. */
struct mds_inode_stat {
	uint8_t struct_v;		/* 0: legacy (unversioned) encoding */
	uint64_t ino, snapid;
	uint32_t rdev;
	uint64_t version, xattr_version;
	struct mds_reply_cap cap;
	struct mds_file_layout layout;
	struct sp_time ctime, mtime, atime, btime, snap_btime, rctime;
	uint32_t time_warp_seq;
	uint64_t size, max_size, truncate_size;
	uint32_t truncate_seq;
	uint32_t mode, uid, gid, nlink;
	uint64_t files, subdirs, rbytes, rfiles, rsubdirs, rsnaps;
	uint64_t change_attr;
	uint32_t num_frags;
	struct mds_frag *frags;		/* malloc'd fragtree splits */
	const char *symlink;		/* view */
	uint32_t symlink_len;
	/* The encoded xattr map (u32 count, then name/value pairs), a view.
	 * xattrs_len 0 means the MDS did not send xattrs (the client's copy
	 * at xattr_version is current); an empty map is 4 zero bytes. See
	 * mds_xattrs_decode(). */
	const uint8_t *xattrs;
	uint32_t xattrs_len;
	uint64_t inline_version;	/* CEPH_INLINE_NONE: no inline data */
	const uint8_t *inline_data;	/* view */
	uint32_t inline_len;
	uint64_t quota_max_bytes, quota_max_files;
	int32_t dir_pin;		/* -ENODATA when not sent (v < 2) */
	struct {
		uint8_t dir_hash;	/* CEPH_STR_HASH_* for dentry hashes */
	} dir_layout;
	uint32_t num_snap_metadata;	/* v5: map<string,string>, skipped */
	bool fscrypt;			/* v6 */
};

/* DirStat: the dirfrag a dentry lives in and its MDS distribution. */
struct mds_dir_stat {
	uint32_t frag;
	int32_t auth;
	uint32_t num_dist;
	int32_t *dist;			/* malloc'd */
};

/* LeaseStat: a dentry lease. */
struct mds_lease {
	uint16_t mask;			/* CEPH_LEASE_VALID bits */
	uint32_t duration_ms;
	uint32_t seq;
	const char *alt_name;		/* view (v2, ALTERNATE_NAME) */
	uint32_t alt_name_len;
};

struct mds_readdir_entry {
	const char *name;		/* view */
	uint32_t name_len;
	struct mds_lease lease;
	struct mds_inode_stat inode;
};

struct mds_deleg_range {
	uint64_t start, len;
};

struct mds_reply {
	uint32_t op;			/* CEPH_MDS_OP_* */
	int32_t result;			/* 0 or a negative (Linux) errno */
	uint32_t mdsmap_epoch;
	/* safe: the change is journaled. is_dentry / is_target say what the
	 * trace holds; both are cleared when the trace is empty (a safe
	 * reply that follows an unsafe one carries none). */
	bool safe, is_dentry, is_target;

	/* trace */
	struct mds_inode_stat diri;	/* the parent directory (is_dentry) */
	struct mds_dir_stat dirstat;
	const char *dname;		/* view */
	uint32_t dname_len;
	struct mds_lease dlease;
	struct mds_inode_stat targeti;	/* is_target */

	/* extra, by op */
	const uint8_t *extra;		/* view of the whole extra blob */
	uint32_t extra_len;
	/* READDIR / LSSNAP */
	bool has_readdir;
	struct mds_dir_stat readdir_dir;
	uint32_t num_entries;
	uint16_t readdir_flags;		/* CEPH_READDIR_FRAG_END ... */
	struct mds_readdir_entry *entries;	/* malloc'd */
	/* CREATE: the new inode and, with DELEG_INO, inode ranges the
	 * client may use for async creates */
	bool has_created_ino;
	uint64_t created_ino;
	uint32_t num_deleg;
	struct mds_deleg_range *deleg;	/* malloc'd */

	/* snap realm trace (mds_snap_trace_decode), a view */
	const uint8_t *snapbl;
	uint32_t snapbl_len;
};

/* Feature words for mds_reply_decode(): bit i of the CephFS feature set
 * is bit i%64 of word i/64. Pacific MDSs and clients have all of 0..18. */
#define MDS_REPLY_FEATURES_PACIFIC	0x7ffffULL

/* Decodes an MClientReply front. mds_features are the CephFS feature bits
 * of the session (NULL or nwords 0: none): REPLY_ENCODING selects the
 * versioned stat encodings, DELEG_INO the openc_response_t extra of a
 * CREATE. Without REPLY_ENCODING the legacy encodings are read as a
 * Pacific MDS writes them to a peer with every older feature (inline
 * data, quotas, pool namespaces, btime). On success *out holds the reply
 * (free with mds_reply_free()); on failure nothing needs freeing. */
int mds_reply_decode(const uint8_t *front, size_t n,
		     const uint64_t *mds_features, uint32_t nwords,
		     struct mds_reply *out);

/* Frees the malloc'd arrays; views stay in the caller's buffer. Safe on
 * a zeroed struct and twice. */
void mds_reply_free(struct mds_reply *r);

/* One snap realm of a snap trace (SnapRealmInfo). snaps and prior point
 * at num_snaps / num_prior little-endian u64s in the caller's buffer;
 * read them with mds_snap_at(). */
struct mds_snap_realm {
	uint64_t ino, created, parent, parent_since, seq;
	uint32_t num_snaps, num_prior;
	const uint8_t *snaps, *prior;
};

/* Decodes a snap trace (the snapbl of a reply, or the trace of an
 * MClientSnap / MClientCaps): realms back to back until the end. *out is
 * malloc'd (NULL when *num is 0); the caller frees it. */
int mds_snap_trace_decode(const uint8_t *p, size_t n,
			  struct mds_snap_realm **out, uint32_t *num);

static inline uint64_t mds_snap_at(const uint8_t *snaps, uint32_t i)
{
	uint64_t v = 0;

	for (int b = 7; b >= 0; b--)
		v = v << 8 | snaps[(size_t)i * 8 + (size_t)b];
	return v;
}

/* One extended attribute of an inode's xattr blob. */
struct mds_xattr {
	const char *name;		/* view, not NUL-terminated */
	uint32_t name_len;
	const uint8_t *value;		/* view */
	uint32_t value_len;
};

/* Decodes the xattr map of an InodeStat (xattrs/xattrs_len). *out is
 * malloc'd (NULL when *num is 0); the caller frees it. An empty blob
 * (not sent) decodes as no xattrs. */
int mds_xattrs_decode(const uint8_t *p, size_t n, struct mds_xattr **out,
		      uint32_t *num);

#endif

/* Fuzz target: MClientReply fronts, read with Pacific's features, without
 * DELEG_INO and in the legacy encodings; then the snap trace and the
 * xattr maps of whatever decoded, with every view read through. */
#include <stdint.h>
#include <stdlib.h>

#include "mds/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	unsigned s = 0;

	for (size_t i = 0; i < n; i++)
		s += b[i];
	sink += s;
}

static void poke_inode(const struct mds_inode_stat *st)
{
	struct mds_xattr *x;
	uint32_t n;

	for (uint32_t i = 0; i < st->num_frags; i++)
		sink += st->frags[i].frag + st->frags[i].by;
	touch(st->symlink, st->symlink_len);
	touch(st->inline_data, st->inline_len);
	touch(st->layout.pool_ns, st->layout.pool_ns_len);
	if (mds_xattrs_decode(st->xattrs, st->xattrs_len, &x, &n) == 0) {
		for (uint32_t i = 0; i < n; i++) {
			touch(x[i].name, x[i].name_len);
			touch(x[i].value, x[i].value_len);
		}
		free(x);
	}
}

static void poke(const struct mds_reply *r)
{
	struct mds_snap_realm *sr;
	uint32_t n;

	if (r->is_dentry) {
		poke_inode(&r->diri);
		for (uint32_t i = 0; i < r->dirstat.num_dist; i++)
			sink += (unsigned)r->dirstat.dist[i];
		touch(r->dname, r->dname_len);
		touch(r->dlease.alt_name, r->dlease.alt_name_len);
	}
	if (r->is_target)
		poke_inode(&r->targeti);
	for (uint32_t i = 0; i < r->readdir_dir.num_dist; i++)
		sink += (unsigned)r->readdir_dir.dist[i];
	for (uint32_t i = 0; i < r->num_entries; i++) {
		touch(r->entries[i].name, r->entries[i].name_len);
		touch(r->entries[i].lease.alt_name,
		      r->entries[i].lease.alt_name_len);
		poke_inode(&r->entries[i].inode);
	}
	for (uint32_t i = 0; i < r->num_deleg; i++)
		sink += (unsigned)(r->deleg[i].start + r->deleg[i].len);
	touch(r->extra, r->extra_len);
	if (mds_snap_trace_decode(r->snapbl, r->snapbl_len, &sr, &n) == 0) {
		for (uint32_t i = 0; i < n; i++) {
			for (uint32_t j = 0; j < sr[i].num_snaps; j++)
				sink += (unsigned)mds_snap_at(sr[i].snaps, j);
			for (uint32_t j = 0; j < sr[i].num_prior; j++)
				sink += (unsigned)mds_snap_at(sr[i].prior, j);
		}
		free(sr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t pacific = MDS_REPLY_FEATURES_PACIFIC;
	static const uint64_t no_deleg = MDS_REPLY_FEATURES_PACIFIC &
					 ~(1ULL << CEPHFS_FEATURE_DELEG_INO);
	const uint64_t *feats[] = { &pacific, &no_deleg, NULL };
	struct mds_snap_realm *sr;
	struct mds_reply r;
	uint32_t n;

	for (int i = 0; i < 3; i++) {
		if (mds_reply_decode(data, size, feats[i], feats[i] ? 1 : 0,
				     &r) == 0) {
			poke(&r);
			mds_reply_free(&r);
		}
	}
	/* the same bytes as a bare snap trace */
	if (mds_snap_trace_decode(data, size, &sr, &n) == 0)
		free(sr);
	return 0;
}

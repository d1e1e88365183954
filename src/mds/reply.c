/* MClientReply decoding: see reply.h for the shape of the result.
 *
 * The front is a 15-byte head followed by three length-prefixed blobs:
 * the trace, the op-specific extra part and the snap realm trace.
 *
 * Every InodeStat, DirStat and LeaseStat in the trace and in readdir
 * entries is written in one of two forms, chosen by the MDS per session:
 * with the REPLY_ENCODING feature each is wrapped in Ceph's versioned
 * envelope (u8 version, u8 compat, u32 length), so fields newer than we
 * know are skipped by the length; without it the fields follow each other
 * bare, and which optional fields are present depends on the connection
 * features (all present for any MDS a Pacific client can talk to). The
 * field order inside is the same in both forms. */
#include "reply.h"

#include <stdlib.h>
#include <string.h>

/* Bytes an InodeStat takes at least, in either form: the fixed fields up
 * to and including the length words of the fragtree, symlink, dir layout
 * and xattr blob. Used to refuse readdir counts that can't be real. */
#define INODE_STAT_MIN	241u
#define LEASE_STAT_MIN	10u
#define READDIR_ENTRY_MIN (4u + LEASE_STAT_MIN + INODE_STAT_MIN)

static bool has_feature(const uint64_t *f, uint32_t nwords, unsigned bit)
{
	if (!f || bit / 64 >= nwords)
		return false;
	return (f[bit / 64] >> (bit % 64)) & 1;
}

/* The envelope of a reply stat: like dec_struct(), but version 0 is
 * malformed (the kernel client refuses it too). */
static int stat_start(struct dec *d, uint8_t *v, struct dec *body)
{
	int r = dec_struct(d, 1, v, body);

	if (r)
		return r;
	return *v ? 0 : -EBADMSG;
}

static int skip_str(struct dec *d)
{
	uint32_t n;

	if (dec_u32(d, &n) || dec_skip(d, n))
		return -EBADMSG;
	return 0;
}

static int blob_view(struct dec *d, const uint8_t **p, uint32_t *len)
{
	if (dec_u32(d, len) || dec_view(d, *len, p))
		return -EBADMSG;
	return 0;
}

static int cap_decode(struct dec *d, struct mds_reply_cap *c)
{
	if (dec_need(d, 37))
		return -EBADMSG;
	dec_u32(d, &c->caps);
	dec_u32(d, &c->wanted);
	dec_u64(d, &c->cap_id);
	dec_u32(d, &c->seq);
	dec_u32(d, &c->mseq);
	dec_u64(d, &c->realm);
	dec_u8(d, &c->flags);
	return 0;
}

/* The 28-byte ceph_file_layout: stripe unit, stripe count, object size,
 * then three unused words (cas hash, object stripe unit, the old
 * preferred PG) and the pool as a u32. */
static int legacy_layout_decode(struct dec *d, struct mds_file_layout *l)
{
	uint32_t pool = 0;

	if (dec_need(d, 28))
		return -EBADMSG;
	dec_u32(d, &l->stripe_unit);
	dec_u32(d, &l->stripe_count);
	dec_u32(d, &l->object_size);
	dec_skip(d, 12);
	dec_u32(d, &pool);
	l->pool_id = (int32_t)pool;
	/* an all-zero legacy layout stands for "no layout": pool -1 */
	if (!l->stripe_unit && !l->stripe_count && !l->object_size &&
	    !l->pool_id)
		l->pool_id = -1;
	return 0;
}

static int quota_decode(struct dec *d, struct mds_inode_stat *st)
{
	struct dec q;
	uint8_t v;
	int r = stat_start(d, &v, &q);

	if (r)
		return r;
	if (dec_u64(&q, &st->quota_max_bytes) ||
	    dec_u64(&q, &st->quota_max_files))
		return -EBADMSG;
	return 0;
}

/* The fields of an InodeStat; v is the struct version, 0 for the legacy
 * form (which carries what a v1 carries). */
static int inode_fields(struct dec *b, uint8_t v, struct mds_inode_stat *st)
{
	uint32_t nfrags;
	int r;

	if (dec_u64(b, &st->ino) || dec_u64(b, &st->snapid) ||
	    dec_u32(b, &st->rdev) || dec_u64(b, &st->version) ||
	    dec_u64(b, &st->xattr_version))
		return -EBADMSG;
	if (cap_decode(b, &st->cap) || legacy_layout_decode(b, &st->layout))
		return -EBADMSG;
	if (dec_time(b, &st->ctime) || dec_time(b, &st->mtime) ||
	    dec_time(b, &st->atime) || dec_u32(b, &st->time_warp_seq) ||
	    dec_u64(b, &st->size) || dec_u64(b, &st->max_size) ||
	    dec_u64(b, &st->truncate_size) || dec_u32(b, &st->truncate_seq))
		return -EBADMSG;
	if (dec_u32(b, &st->mode) || dec_u32(b, &st->uid) ||
	    dec_u32(b, &st->gid) || dec_u32(b, &st->nlink))
		return -EBADMSG;
	if (dec_u64(b, &st->files) || dec_u64(b, &st->subdirs) ||
	    dec_u64(b, &st->rbytes) || dec_u64(b, &st->rfiles) ||
	    dec_u64(b, &st->rsubdirs) || dec_time(b, &st->rctime))
		return -EBADMSG;

	/* fragtree: map<frag_t, int32> of the splits */
	if (dec_count(b, 8, &nfrags))
		return -EBADMSG;
	if (nfrags) {
		st->frags = calloc(nfrags, sizeof(*st->frags));
		if (!st->frags)
			return -ENOMEM;
		st->num_frags = nfrags;
		for (uint32_t i = 0; i < nfrags; i++) {
			dec_u32(b, &st->frags[i].frag);
			dec_u32(b, &st->frags[i].by);
		}
	}

	if (dec_str_view(b, &st->symlink, &st->symlink_len))
		return -EBADMSG;
	/* ceph_dir_layout: the hash id, then 7 unused bytes */
	if (dec_u8(b, &st->dir_layout.dir_hash) || dec_skip(b, 7))
		return -EBADMSG;
	if (blob_view(b, &st->xattrs, &st->xattrs_len))
		return -EBADMSG;

	if (dec_u64(b, &st->inline_version) ||
	    blob_view(b, &st->inline_data, &st->inline_len))
		return -EBADMSG;
	r = quota_decode(b, st);
	if (r)
		return r;
	if (dec_str_view(b, &st->layout.pool_ns, &st->layout.pool_ns_len))
		return -EBADMSG;
	if (dec_time(b, &st->btime) || dec_u64(b, &st->change_attr))
		return -EBADMSG;

	st->dir_pin = -ENODATA;
	if (v >= 2 && dec_s32(b, &st->dir_pin))
		return -EBADMSG;
	if (v >= 3 && dec_time(b, &st->snap_btime))
		return -EBADMSG;
	if (v >= 4 && dec_u64(b, &st->rsnaps))
		return -EBADMSG;
	if (v >= 5) {
		uint32_t n;

		if (dec_count(b, 8, &n))
			return -EBADMSG;
		for (uint32_t i = 0; i < n; i++)
			if (skip_str(b) || skip_str(b))
				return -EBADMSG;
		st->num_snap_metadata = n;
	}
	if (v >= 6) {
		int f;

		if (dec_bool(b, &f))
			return -EBADMSG;
		st->fscrypt = f;
	}
	/* v7+ (fscrypt blobs) and anything newer stay in the body, which
	 * the caller drops. */
	return 0;
}

static void inode_stat_free(struct mds_inode_stat *st)
{
	free(st->frags);
	st->frags = NULL;
	st->num_frags = 0;
}

static int inode_stat_decode(struct dec *d, bool versioned,
			     struct mds_inode_stat *st)
{
	struct dec body;
	uint8_t v = 0;
	int r;

	memset(st, 0, sizeof(*st));
	if (!versioned) {
		r = inode_fields(d, 0, st);
	} else {
		r = stat_start(d, &v, &body);
		if (!r)
			r = inode_fields(&body, v, st);
		st->struct_v = v;
	}
	if (r)
		inode_stat_free(st);
	return r;
}

static int dir_fields(struct dec *b, struct mds_dir_stat *ds)
{
	uint32_t n;

	if (dec_u32(b, &ds->frag) || dec_s32(b, &ds->auth) ||
	    dec_count(b, 4, &n))
		return -EBADMSG;
	if (!n)
		return 0;
	ds->dist = calloc(n, sizeof(*ds->dist));
	if (!ds->dist)
		return -ENOMEM;
	ds->num_dist = n;
	for (uint32_t i = 0; i < n; i++)
		dec_s32(b, &ds->dist[i]);
	return 0;
}

static void dir_stat_free(struct mds_dir_stat *ds)
{
	free(ds->dist);
	ds->dist = NULL;
	ds->num_dist = 0;
}

static int dir_stat_decode(struct dec *d, bool versioned,
			   struct mds_dir_stat *ds)
{
	struct dec body;
	uint8_t v;
	int r;

	memset(ds, 0, sizeof(*ds));
	if (!versioned)
		return dir_fields(d, ds);
	r = stat_start(d, &v, &body);
	if (!r)
		r = dir_fields(&body, ds);
	if (r)
		dir_stat_free(ds);
	return r;
}

static int lease_decode(struct dec *d, bool versioned, struct mds_lease *l)
{
	struct dec body, *b = d;
	uint8_t v = 1;
	int r;

	memset(l, 0, sizeof(*l));
	if (versioned) {
		r = stat_start(d, &v, &body);
		if (r)
			return r;
		b = &body;
	}
	if (dec_u16(b, &l->mask) || dec_u32(b, &l->duration_ms) ||
	    dec_u32(b, &l->seq))
		return -EBADMSG;
	if (versioned && v >= 2 &&
	    dec_str_view(b, &l->alt_name, &l->alt_name_len))
		return -EBADMSG;
	return 0;
}

static int trace_decode(struct dec *d, bool versioned, struct mds_reply *r)
{
	int err;

	if (r->is_dentry) {
		err = inode_stat_decode(d, versioned, &r->diri);
		if (err)
			return err;
		err = dir_stat_decode(d, versioned, &r->dirstat);
		if (err)
			return err;
		if (dec_str_view(d, &r->dname, &r->dname_len))
			return -EBADMSG;
		err = lease_decode(d, versioned, &r->dlease);
		if (err)
			return err;
	}
	if (r->is_target) {
		err = inode_stat_decode(d, versioned, &r->targeti);
		if (err)
			return err;
	}
	/* the trace holds exactly these records */
	return dec_left(d) ? -EBADMSG : 0;
}

/* READDIR and LSSNAP: the dirfrag, a count and flags, then per entry a
 * name, its lease and its inode. */
static int readdir_decode(struct dec *d, bool versioned, struct mds_reply *r)
{
	uint32_t num;
	int err;

	err = dir_stat_decode(d, versioned, &r->readdir_dir);
	if (err)
		return err;
	r->has_readdir = true;
	if (dec_count(d, READDIR_ENTRY_MIN, &num) ||
	    dec_u16(d, &r->readdir_flags))
		return -EBADMSG;
	if (!num)
		return 0;
	r->entries = calloc(num, sizeof(*r->entries));
	if (!r->entries)
		return -ENOMEM;
	for (uint32_t i = 0; i < num; i++) {
		struct mds_readdir_entry *e = &r->entries[i];

		if (dec_str_view(d, &e->name, &e->name_len))
			return -EBADMSG;
		err = lease_decode(d, versioned, &e->lease);
		if (err)
			return err;
		err = inode_stat_decode(d, versioned, &e->inode);
		if (err)
			return err;
		/* counted only once whole, so free() sees only real ones */
		r->num_entries = i + 1;
	}
	/* newer MDSs may append fields: ignore the rest */
	return 0;
}

/* CREATE (or OPEN with O_CREAT): with DELEG_INO an openc_response_t
 * (versioned: the new ino, then an interval set of delegated inos),
 * otherwise the bare ino. */
static int create_decode(struct dec *d, bool deleg, struct mds_reply *r)
{
	struct dec body;
	uint8_t v;
	uint32_t n;
	int err;

	if (!deleg) {
		if (dec_u64(d, &r->created_ino))
			return -EBADMSG;
		r->has_created_ino = true;
		return 0;
	}
	err = dec_struct(d, 1, &v, &body);
	if (err)
		return err;
	if (dec_u64(&body, &r->created_ino) || dec_count(&body, 16, &n))
		return -EBADMSG;
	r->has_created_ino = true;
	if (!n)
		return 0;
	r->deleg = calloc(n, sizeof(*r->deleg));
	if (!r->deleg)
		return -ENOMEM;
	r->num_deleg = n;
	for (uint32_t i = 0; i < n; i++) {
		dec_u64(&body, &r->deleg[i].start);
		dec_u64(&body, &r->deleg[i].len);
	}
	return 0;
}

static int extra_decode(struct dec *d, const uint64_t *feat, uint32_t nwords,
			struct mds_reply *r)
{
	bool versioned = has_feature(feat, nwords,
				     CEPHFS_FEATURE_REPLY_ENCODING);

	switch (r->op) {
	case CEPH_MDS_OP_READDIR:
	case CEPH_MDS_OP_LSSNAP:
		return readdir_decode(d, versioned, r);
	case CEPH_MDS_OP_CREATE:
	case CEPH_MDS_OP_OPEN:
		return create_decode(d, has_feature(feat, nwords,
					CEPHFS_FEATURE_DELEG_INO), r);
	default:
		/* other ops' extras (GETFILELOCK, GETVXATTR) stay a view */
		return 0;
	}
}

void mds_reply_free(struct mds_reply *r)
{
	inode_stat_free(&r->diri);
	inode_stat_free(&r->targeti);
	dir_stat_free(&r->dirstat);
	dir_stat_free(&r->readdir_dir);
	if (r->entries) {
		for (uint32_t i = 0; i < r->num_entries; i++)
			inode_stat_free(&r->entries[i].inode);
		free(r->entries);
	}
	r->entries = NULL;
	r->num_entries = 0;
	free(r->deleg);
	r->deleg = NULL;
	r->num_deleg = 0;
}

int mds_reply_decode(const uint8_t *front, size_t n,
		     const uint64_t *mds_features, uint32_t nwords,
		     struct mds_reply *out)
{
	struct dec d, trace, extra;
	uint8_t safe, is_dentry, is_target;
	bool versioned = has_feature(mds_features, nwords,
				     CEPHFS_FEATURE_REPLY_ENCODING);
	int err = -EBADMSG;

	memset(out, 0, sizeof(*out));
	dec_init(&d, front, n);
	if (dec_u32(&d, &out->op) || dec_s32(&d, &out->result) ||
	    dec_u32(&d, &out->mdsmap_epoch) || dec_u8(&d, &safe) ||
	    dec_u8(&d, &is_dentry) || dec_u8(&d, &is_target))
		goto bad;
	out->safe = safe != 0;

	if (dec_blob(&d, &trace))
		goto bad;
	if (dec_left(&trace)) {
		out->is_dentry = is_dentry != 0;
		out->is_target = is_target != 0;
		err = trace_decode(&trace, versioned, out);
		if (err)
			goto bad;
	}

	err = -EBADMSG;
	if (dec_blob(&d, &extra))
		goto bad;
	out->extra = extra.p;
	out->extra_len = (uint32_t)dec_left(&extra);
	if (out->extra_len) {
		err = extra_decode(&extra, mds_features, nwords, out);
		if (err)
			goto bad;
	}

	err = -EBADMSG;
	if (blob_view(&d, &out->snapbl, &out->snapbl_len) || dec_left(&d))
		goto bad;
	return 0;

bad:
	mds_reply_free(out);
	return err;
}

/* ceph_mds_snap_realm: five u64s and two u32 counts */
#define SNAP_REALM_HEAD_LEN 48

/* One realm; with out NULL it is only checked and skipped. */
static int snap_realm_decode(struct dec *d, struct mds_snap_realm *out)
{
	struct mds_snap_realm sr = { 0 };

	if (dec_need(d, SNAP_REALM_HEAD_LEN))
		return -EBADMSG;
	dec_u64(d, &sr.ino);
	dec_u64(d, &sr.created);
	dec_u64(d, &sr.parent);
	dec_u64(d, &sr.parent_since);
	dec_u64(d, &sr.seq);
	dec_u32(d, &sr.num_snaps);
	dec_u32(d, &sr.num_prior);
	if (dec_view(d, (size_t)sr.num_snaps * 8, &sr.snaps) ||
	    dec_view(d, (size_t)sr.num_prior * 8, &sr.prior))
		return -EBADMSG;
	if (out)
		*out = sr;
	return 0;
}

int mds_snap_trace_decode(const uint8_t *p, size_t n,
			  struct mds_snap_realm **out, uint32_t *num)
{
	struct dec d;
	struct mds_snap_realm *a;
	uint32_t cnt = 0;

	*out = NULL;
	*num = 0;
	/* first pass: validate and count, so the array is sized once */
	dec_init(&d, p, n);
	while (dec_left(&d)) {
		if (snap_realm_decode(&d, NULL))
			return -EBADMSG;
		cnt++;
	}
	if (!cnt)
		return 0;
	a = calloc(cnt, sizeof(*a));
	if (!a)
		return -ENOMEM;
	dec_init(&d, p, n);
	for (uint32_t i = 0; i < cnt; i++)
		snap_realm_decode(&d, &a[i]);
	*out = a;
	*num = cnt;
	return 0;
}

int mds_xattrs_decode(const uint8_t *p, size_t n, struct mds_xattr **out,
		      uint32_t *num)
{
	struct dec d;
	struct mds_xattr *a;
	uint32_t cnt;

	*out = NULL;
	*num = 0;
	if (!n)
		return 0;
	dec_init(&d, p, n);
	if (dec_count(&d, 8, &cnt))
		return -EBADMSG;
	if (!cnt)
		return dec_left(&d) ? -EBADMSG : 0;
	a = calloc(cnt, sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (uint32_t i = 0; i < cnt; i++) {
		if (dec_str_view(&d, &a[i].name, &a[i].name_len) ||
		    blob_view(&d, &a[i].value, &a[i].value_len)) {
			free(a);
			return -EBADMSG;
		}
	}
	if (dec_left(&d)) {
		free(a);
		return -EBADMSG;
	}
	*out = a;
	*num = cnt;
	return 0;
}

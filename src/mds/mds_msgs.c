/* MDS client messages: encoders for what the client sends, decoders for
 * what the MDS sends.
 *
 * Layouts, as a 16.2.15 MDS and ceph-fuse use them (all little-endian):
 *
 * MClientSession: a 28-byte head (op, seq, stamp, max_caps, max_leases);
 * from v2 a string map of metadata, v3 the supported-feature bitset, v4
 * the metric spec (a versioned struct around a bitset), v5 a u32 of
 * flags. A bitset is a u32 byte count followed by 64-bit words. Clients
 * send REQUEST_OPEN at v5 and everything else at v1.
 *
 * MClientRequest: a head whose first u16 is its own version (head v1:
 * the legacy fields; v2 appends u32 retry and forward counts that
 * replace the legacy u8 ones), the 56-byte op-dependent args inside it,
 * two filepaths (u8 1, u64 ino, string), the releases (44 bytes each,
 * then the dentry name without a length), the stamp, a u64 list of
 * supplementary gids and the alternate name. The count of releases is a
 * u16 in the head.
 *
 * MClientCaps: a 92-byte head, an 84-byte body (the inode's size, times,
 * layout; for EXPORT the peer instead), the snap trace (length in the
 * head, no prefix), then per version: flock blob (v2), peer for IMPORT
 * (v3), inline data (v4), OSD epoch barrier (v5), oldest flush tid (v6),
 * caller uid/gid (v7), pool namespace (v8), btime and change_attr (v9),
 * flags (v10), nfiles and nsubdirs (v11). The xattr blob is the middle
 * section and the head carries its length. */
#include "mds_msgs.h"

#include <stdlib.h>
#include <string.h>

#include "encoding/dec.h"

/* sizes of fixed wire structures */
#define SESSION_HEAD_LEN   28
#define CAPS_HEAD_LEN      92
#define CAPS_BODY_LEN      84
#define CAP_PEER_LEN       21
#define RELEASE_LEN        44
#define CAP_ITEM_LEN       24
#define SNAP_HEAD_LEN      24

static struct msg *finish(struct msg *m)
{
	if (m && (buf_error(&m->front) || buf_error(&m->middle) ||
		  buf_error(&m->data))) {
		msg_free(m);
		return NULL;
	}
	return m;
}

uint64_t mds_u64_at(const uint8_t *p, uint32_t i)
{
	struct dec d;
	uint64_t v = 0;

	dec_init(&d, p + (size_t)i * 8, 8);
	dec_u64(&d, &v);
	return v;
}

/* ---- bitsets ---- */

static void put_bitset(struct buf *b, const uint64_t *w, uint32_t n)
{
	if (!w)
		n = 0;
	buf_put_u32(b, n * 8);
	for (uint32_t i = 0; i < n; i++)
		buf_put_u64(b, w[i]);
}

/* A bitset of any byte length; words past `cap` are dropped, a partial
 * last word is read as its low bytes. */
static int dec_bitset(struct dec *d, uint64_t *w, uint32_t cap,
		      uint32_t *nwords)
{
	uint32_t len;
	const uint8_t *p;

	if (dec_u32(d, &len) || dec_view(d, len, &p))
		return -EBADMSG;
	memset(w, 0, cap * sizeof(*w));
	*nwords = 0;
	for (uint32_t i = 0; i < len; i++) {
		if (i / 8 >= cap)
			break;
		w[i / 8] |= (uint64_t)p[i] << (8 * (i % 8));
		*nwords = i / 8 + 1;
	}
	return 0;
}

/* ---- MClientSession ---- */

static void put_session_head(struct buf *b, uint32_t op, uint64_t seq)
{
	buf_put_u32(b, op);
	buf_put_u64(b, seq);
	buf_put_zero(b, 8);		/* stamp */
	buf_put_u32(b, 0);		/* max_caps */
	buf_put_u32(b, 0);		/* max_leases */
}

struct msg *mds_msg_session(uint32_t op, uint64_t seq,
			    const struct mds_session_open *open)
{
	bool full = op == CEPH_SESSION_REQUEST_OPEN && open;
	struct msg *m = msg_new(CEPH_MSG_CLIENT_SESSION,
				full ? MDS_SESSION_OPEN_VERSION :
				       MDS_SESSION_PLAIN_VERSION, 1);
	struct buf *b;
	int order[64];
	int n;

	if (!m)
		return NULL;
	b = &m->front;
	put_session_head(b, op, seq);
	if (!full)
		return finish(m);

	/* the metadata is a std::map: sorted by key, keys unique */
	n = open->num_meta;
	if (n < 0 || n > (int)(sizeof(order) / sizeof(order[0]))) {
		msg_free(m);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		int j = i;

		while (j > 0 && strcmp(open->meta_keys[order[j - 1]],
				       open->meta_keys[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	buf_put_u32(b, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		buf_put_str(b, open->meta_keys[order[i]]);
		buf_put_str(b, open->meta_vals[order[i]] ?
				       open->meta_vals[order[i]] : "");
	}
	put_bitset(b, open->features, open->features_words);
	size_t st = buf_struct_begin(b, 1, 1);
	put_bitset(b, open->metric_spec, open->metric_words);
	buf_struct_end(b, st);
	buf_put_u32(b, 0);		/* flags */
	return finish(m);
}

int mds_session_decode(const uint8_t *front, size_t n, uint16_t version,
		       struct mds_session_msg *out)
{
	struct dec d, body;
	uint8_t sv;
	int r = -EBADMSG;

	memset(out, 0, sizeof(*out));
	dec_init(&d, front, n);
	if (dec_u32(&d, &out->op) || dec_u64(&d, &out->seq) ||
	    dec_time(&d, &out->stamp) || dec_u32(&d, &out->max_caps) ||
	    dec_u32(&d, &out->max_leases))
		return -EBADMSG;
	if (version >= 2) {
		uint32_t cnt;

		if (dec_count(&d, 8, &cnt))
			goto fail;
		if (cnt) {
			out->meta = calloc(cnt, sizeof(*out->meta));
			if (!out->meta) {
				r = -ENOMEM;
				goto fail;
			}
		}
		for (uint32_t i = 0; i < cnt; i++) {
			struct mds_session_meta *e = &out->meta[i];

			if (dec_str_view(&d, &e->k, &e->klen) ||
			    dec_str_view(&d, &e->v, &e->vlen))
				goto fail;
			out->num_meta = i + 1;
		}
	}
	if (version >= 3 &&
	    dec_bitset(&d, out->features, MDS_FEATURE_WORDS,
		       &out->features_words))
		goto fail;
	if (version >= 4) {
		r = dec_struct(&d, 1, &sv, &body);
		if (r)
			goto fail;
		r = -EBADMSG;
		if (dec_bitset(&body, out->metric_spec, MDS_FEATURE_WORDS,
			       &out->metric_words))
			goto fail;
	}
	if (version >= 5 && dec_u32(&d, &out->flags))
		goto fail;
	return 0;
fail:
	mds_session_msg_free(out);
	return r;
}

void mds_session_msg_free(struct mds_session_msg *m)
{
	free(m->meta);
	m->meta = NULL;
	m->num_meta = 0;
}

const char *mds_session_meta_get(const struct mds_session_msg *m,
				 const char *key, uint32_t *vlen)
{
	size_t kl = strlen(key);

	for (uint32_t i = 0; i < m->num_meta; i++) {
		if (m->meta[i].klen == kl && !memcmp(m->meta[i].k, key, kl)) {
			*vlen = m->meta[i].vlen;
			return m->meta[i].v;
		}
	}
	return NULL;
}

/* ---- MClientRequest ---- */

enum mds_args_kind mds_request_args_kind(uint32_t op)
{
	switch (op) {
	case CEPH_MDS_OP_LOOKUP:
	case CEPH_MDS_OP_GETATTR:
	case CEPH_MDS_OP_LOOKUPHASH:
	case CEPH_MDS_OP_LOOKUPPARENT:
	case CEPH_MDS_OP_LOOKUPNAME:
	case CEPH_MDS_OP_GETVXATTR:
	case CEPH_MDS_OP_LOOKUPSNAP:
		return MDS_ARGS_GETATTR;
	case CEPH_MDS_OP_LOOKUPINO:
		return MDS_ARGS_LOOKUPINO;
	case CEPH_MDS_OP_SETATTR:
		return MDS_ARGS_SETATTR;
	case CEPH_MDS_OP_READDIR:
	case CEPH_MDS_OP_LSSNAP:
		return MDS_ARGS_READDIR;
	case CEPH_MDS_OP_MKNOD:
		return MDS_ARGS_MKNOD;
	case CEPH_MDS_OP_MKDIR:
	case CEPH_MDS_OP_MKSNAP:
		return MDS_ARGS_MKDIR;
	case CEPH_MDS_OP_OPEN:
	case CEPH_MDS_OP_CREATE:
		return MDS_ARGS_OPEN;
	case CEPH_MDS_OP_SETXATTR:
	case CEPH_MDS_OP_RMXATTR:
		return MDS_ARGS_SETXATTR;
	case CEPH_MDS_OP_SETLAYOUT:
	case CEPH_MDS_OP_SETDIRLAYOUT:
		return MDS_ARGS_SETLAYOUT;
	case CEPH_MDS_OP_SETFILELOCK:
	case CEPH_MDS_OP_GETFILELOCK:
		return MDS_ARGS_FILELOCK;
	default:
		return MDS_ARGS_NONE;
	}
}

static void put_legacy_layout(struct buf *b, const struct mds_legacy_layout *l)
{
	buf_put_u32(b, l->stripe_unit);
	buf_put_u32(b, l->stripe_count);
	buf_put_u32(b, l->object_size);
	buf_put_u32(b, l->cas_hash);
	buf_put_u32(b, l->object_stripe_unit);
	buf_put_u32(b, l->unused);
	buf_put_u32(b, l->pool);
}

/* The 56-byte args: the member for the op, zero-padded. */
static void put_request_args(struct buf *b, const struct mds_request_msg *r)
{
	const union mds_request_args *a = &r->args;
	size_t start = b->len;

	if (r->args_raw) {
		buf_put(b, r->args_raw, MDS_REQUEST_ARGS_LEN);
		return;
	}
	switch (mds_request_args_kind(r->op)) {
	case MDS_ARGS_GETATTR:
		buf_put_u32(b, a->getattr.mask);
		break;
	case MDS_ARGS_SETATTR:
		buf_put_u32(b, a->setattr.mode);
		buf_put_u32(b, a->setattr.uid);
		buf_put_u32(b, a->setattr.gid);
		buf_put_time(b, a->setattr.mtime);
		buf_put_time(b, a->setattr.atime);
		buf_put_u64(b, a->setattr.size);
		buf_put_u64(b, a->setattr.old_size);
		buf_put_u32(b, a->setattr.mask);
		buf_put_time(b, a->setattr.btime);
		break;
	case MDS_ARGS_READDIR:
		buf_put_u32(b, a->readdir.frag);
		buf_put_u32(b, a->readdir.max_entries);
		buf_put_u32(b, a->readdir.max_bytes);
		buf_put_u16(b, a->readdir.flags);
		buf_put_u32(b, a->readdir.offset_hash);
		break;
	case MDS_ARGS_MKNOD:
		buf_put_u32(b, a->mknod.mode);
		buf_put_u32(b, a->mknod.rdev);
		break;
	case MDS_ARGS_MKDIR:
		buf_put_u32(b, a->mkdir.mode);
		break;
	case MDS_ARGS_OPEN:
		buf_put_u32(b, a->open.flags);
		buf_put_u32(b, a->open.mode);
		buf_put_u32(b, a->open.stripe_unit);
		buf_put_u32(b, a->open.stripe_count);
		buf_put_u32(b, a->open.object_size);
		buf_put_u32(b, a->open.pool);
		buf_put_u32(b, a->open.mask);
		buf_put_u64(b, a->open.old_size);
		break;
	case MDS_ARGS_SETXATTR:
		buf_put_u32(b, a->setxattr.flags);
		buf_put_u32(b, a->setxattr.osdmap_epoch);
		break;
	case MDS_ARGS_SETLAYOUT:
		put_legacy_layout(b, &a->setlayout.layout);
		break;
	case MDS_ARGS_FILELOCK:
		buf_put_u8(b, a->filelock_change.rule);
		buf_put_u8(b, a->filelock_change.type);
		buf_put_u64(b, a->filelock_change.owner);
		buf_put_u64(b, a->filelock_change.pid);
		buf_put_u64(b, a->filelock_change.start);
		buf_put_u64(b, a->filelock_change.length);
		buf_put_u8(b, a->filelock_change.wait);
		break;
	case MDS_ARGS_LOOKUPINO:
		buf_put_u32(b, a->lookupino.mask);
		buf_put_u64(b, a->lookupino.snapid);
		buf_put_u64(b, a->lookupino.parent);
		buf_put_u32(b, a->lookupino.hash);
		break;
	case MDS_ARGS_NONE:
		break;
	}
	if (!b->oom)
		buf_put_zero(b, MDS_REQUEST_ARGS_LEN - (b->len - start));
}

static void put_filepath(struct buf *b, const struct mds_filepath *fp)
{
	buf_put_u8(b, 1);
	buf_put_u64(b, fp->ino);
	buf_put_str(b, fp->path ? fp->path : "");
}

struct msg *mds_msg_request(const struct mds_request_msg *r,
			    const uint64_t *mds_features, uint32_t nwords)
{
	bool ext = mds_feature_test(mds_features, nwords,
				    CEPHFS_FEATURE_32BITS_RETRY_FWD);
	struct msg *m;
	struct buf *b;

	if (r->num_releases > 0xffff)
		return NULL;
	m = msg_new(CEPH_MSG_CLIENT_REQUEST, MDS_REQUEST_VERSION, 1);
	if (!m)
		return NULL;
	m->tid = r->tid;
	b = &m->front;
	buf_put_u16(b, ext ? CEPH_MDS_REQUEST_HEAD_VERSION_EXT :
			     CEPH_MDS_REQUEST_HEAD_VERSION_LEGACY);
	buf_put_u64(b, r->oldest_client_tid);
	buf_put_u32(b, r->mdsmap_epoch);
	buf_put_u32(b, r->flags);
	buf_put_u8(b, (uint8_t)r->num_retry);	/* truncated, as Ceph does */
	buf_put_u8(b, (uint8_t)r->num_fwd);
	buf_put_u16(b, (uint16_t)r->num_releases);
	buf_put_u32(b, r->op);
	buf_put_u32(b, r->caller_uid);
	buf_put_u32(b, r->caller_gid);
	buf_put_u64(b, r->ino);
	put_request_args(b, r);
	if (ext) {
		buf_put_u32(b, r->num_retry);
		buf_put_u32(b, r->num_fwd);
	}
	put_filepath(b, &r->path);
	put_filepath(b, &r->path2);
	for (uint32_t i = 0; i < r->num_releases; i++) {
		const struct mds_request_release *rel = &r->releases[i];
		uint32_t dl = rel->dname ? (rel->dname_len ? rel->dname_len :
					    (uint32_t)strlen(rel->dname)) : 0;

		buf_put_u64(b, rel->ino);
		buf_put_u64(b, rel->cap_id);
		buf_put_u32(b, rel->caps);
		buf_put_u32(b, rel->wanted);
		buf_put_u32(b, rel->seq);
		buf_put_u32(b, rel->issue_seq);
		buf_put_u32(b, rel->mseq);
		buf_put_u32(b, rel->dname_seq);
		buf_put_u32(b, dl);
		if (dl)
			buf_put(b, rel->dname, dl);
	}
	buf_put_time(b, r->stamp);
	buf_put_u32(b, r->num_gids);
	for (uint32_t i = 0; i < r->num_gids; i++)
		buf_put_u64(b, r->gids[i]);
	buf_put_str(b, r->alternate_name ? r->alternate_name : "");
	if (r->data_len)
		buf_put(&m->data, r->data, r->data_len);
	return finish(m);
}

static int dec_time_raw(struct dec *d, struct sp_time *t)
{
	return dec_time(d, t);
}

static int dec_request_args(struct dec *d, struct mds_request_msg *r)
{
	union mds_request_args *a = &r->args;
	struct dec ad;
	const uint8_t *p;

	if (dec_view(d, MDS_REQUEST_ARGS_LEN, &p))
		return -EBADMSG;
	dec_init(&ad, p, MDS_REQUEST_ARGS_LEN);
	memset(a, 0, sizeof(*a));
	/* every member fits in 56 bytes: these reads cannot fail */
	switch (mds_request_args_kind(r->op)) {
	case MDS_ARGS_GETATTR:
		dec_u32(&ad, &a->getattr.mask);
		break;
	case MDS_ARGS_SETATTR:
		dec_u32(&ad, &a->setattr.mode);
		dec_u32(&ad, &a->setattr.uid);
		dec_u32(&ad, &a->setattr.gid);
		dec_time_raw(&ad, &a->setattr.mtime);
		dec_time_raw(&ad, &a->setattr.atime);
		dec_u64(&ad, &a->setattr.size);
		dec_u64(&ad, &a->setattr.old_size);
		dec_u32(&ad, &a->setattr.mask);
		dec_time_raw(&ad, &a->setattr.btime);
		break;
	case MDS_ARGS_READDIR:
		dec_u32(&ad, &a->readdir.frag);
		dec_u32(&ad, &a->readdir.max_entries);
		dec_u32(&ad, &a->readdir.max_bytes);
		dec_u16(&ad, &a->readdir.flags);
		dec_u32(&ad, &a->readdir.offset_hash);
		break;
	case MDS_ARGS_MKNOD:
		dec_u32(&ad, &a->mknod.mode);
		dec_u32(&ad, &a->mknod.rdev);
		break;
	case MDS_ARGS_MKDIR:
		dec_u32(&ad, &a->mkdir.mode);
		break;
	case MDS_ARGS_OPEN:
		dec_u32(&ad, &a->open.flags);
		dec_u32(&ad, &a->open.mode);
		dec_u32(&ad, &a->open.stripe_unit);
		dec_u32(&ad, &a->open.stripe_count);
		dec_u32(&ad, &a->open.object_size);
		dec_u32(&ad, &a->open.pool);
		dec_u32(&ad, &a->open.mask);
		dec_u64(&ad, &a->open.old_size);
		break;
	case MDS_ARGS_SETXATTR:
		dec_u32(&ad, &a->setxattr.flags);
		dec_u32(&ad, &a->setxattr.osdmap_epoch);
		break;
	case MDS_ARGS_SETLAYOUT: {
		struct mds_legacy_layout *l = &a->setlayout.layout;

		dec_u32(&ad, &l->stripe_unit);
		dec_u32(&ad, &l->stripe_count);
		dec_u32(&ad, &l->object_size);
		dec_u32(&ad, &l->cas_hash);
		dec_u32(&ad, &l->object_stripe_unit);
		dec_u32(&ad, &l->unused);
		dec_u32(&ad, &l->pool);
		break;
	}
	case MDS_ARGS_FILELOCK:
		dec_u8(&ad, &a->filelock_change.rule);
		dec_u8(&ad, &a->filelock_change.type);
		dec_u64(&ad, &a->filelock_change.owner);
		dec_u64(&ad, &a->filelock_change.pid);
		dec_u64(&ad, &a->filelock_change.start);
		dec_u64(&ad, &a->filelock_change.length);
		dec_u8(&ad, &a->filelock_change.wait);
		break;
	case MDS_ARGS_LOOKUPINO:
		dec_u32(&ad, &a->lookupino.mask);
		dec_u64(&ad, &a->lookupino.snapid);
		dec_u64(&ad, &a->lookupino.parent);
		dec_u32(&ad, &a->lookupino.hash);
		break;
	case MDS_ARGS_NONE:
		break;
	}
	return 0;
}

static int dec_filepath(struct dec *d, struct mds_filepath *fp, uint32_t *len)
{
	uint8_t v;

	if (dec_u8(d, &v) || dec_u64(d, &fp->ino) ||
	    dec_str_view(d, &fp->path, len))
		return -EBADMSG;
	return 0;
}

int mds_request_decode(const struct msg *m, struct mds_request_msg *out)
{
	struct dec d;
	uint8_t retry8, fwd8;
	uint16_t nrel;
	const uint8_t *p;

	memset(out, 0, sizeof(*out));
	if (m->compat_version > 1)
		return -ENOTSUP;
	out->tid = m->tid;
	dec_init(&d, m->front.data, m->front.len);
	if (m->version >= 4) {
		if (dec_u16(&d, &out->head_version))
			return -EBADMSG;
	}
	if (dec_u64(&d, &out->oldest_client_tid) ||
	    dec_u32(&d, &out->mdsmap_epoch) || dec_u32(&d, &out->flags) ||
	    dec_u8(&d, &retry8) || dec_u8(&d, &fwd8) || dec_u16(&d, &nrel) ||
	    dec_u32(&d, &out->op) || dec_u32(&d, &out->caller_uid) ||
	    dec_u32(&d, &out->caller_gid) || dec_u64(&d, &out->ino) ||
	    dec_request_args(&d, out))
		return -EBADMSG;
	out->num_retry = retry8;
	out->num_fwd = fwd8;
	if (out->head_version >= 2 &&
	    (dec_u32(&d, &out->num_retry) || dec_u32(&d, &out->num_fwd)))
		return -EBADMSG;
	if (out->head_version >= 3) {
		/* struct_len, owner uid and gid (Reef+): not kept */
		if (dec_skip(&d, 12))
			return -EBADMSG;
	}
	if (dec_filepath(&d, &out->path, &out->path_len) ||
	    dec_filepath(&d, &out->path2, &out->path2_len))
		return -EBADMSG;
	out->num_releases = nrel;
	out->releases_raw = d.p;
	for (uint32_t i = 0; i < nrel; i++) {
		uint32_t dl;

		if (dec_skip(&d, RELEASE_LEN - 4) || dec_u32(&d, &dl) ||
		    dec_skip(&d, dl))
			return -EBADMSG;
	}
	out->releases_raw_len = (size_t)(d.p - out->releases_raw);
	if (m->version >= 2 && dec_time(&d, &out->stamp))
		return -EBADMSG;
	if (m->version >= 4) {
		if (dec_count(&d, 8, &out->num_gids) ||
		    dec_view(&d, (size_t)out->num_gids * 8, &p))
			return -EBADMSG;
		out->gids_raw = p;
	}
	if (m->version >= 5 &&
	    dec_str_view(&d, &out->alternate_name, &out->alternate_name_len))
		return -EBADMSG;
	out->data = m->data.data;
	out->data_len = m->data.len;
	return 0;
}

int mds_request_decoded_release(const struct mds_request_msg *r, uint32_t i,
				struct mds_request_release *out)
{
	struct dec d;
	const uint8_t *name;

	if (i >= r->num_releases)
		return -EINVAL;
	dec_init(&d, r->releases_raw, r->releases_raw_len);
	for (uint32_t k = 0;; k++) {
		if (dec_u64(&d, &out->ino) || dec_u64(&d, &out->cap_id) ||
		    dec_u32(&d, &out->caps) || dec_u32(&d, &out->wanted) ||
		    dec_u32(&d, &out->seq) || dec_u32(&d, &out->issue_seq) ||
		    dec_u32(&d, &out->mseq) || dec_u32(&d, &out->dname_seq) ||
		    dec_u32(&d, &out->dname_len) ||
		    dec_view(&d, out->dname_len, &name))
			return -EBADMSG;
		if (k == i)
			break;
	}
	out->dname = out->dname_len ? (const char *)name : NULL;
	return 0;
}

/* ---- MClientRequestForward ---- */

int mds_forward_decode(const uint8_t *front, size_t n, int32_t *dest_mds,
		       int32_t *num_fwd, bool *must_resend)
{
	struct dec d;
	int b;

	dec_init(&d, front, n);
	if (dec_s32(&d, dest_mds) || dec_s32(&d, num_fwd) || dec_bool(&d, &b))
		return -EBADMSG;
	*must_resend = b;
	return 0;
}

/* ---- MClientCaps ---- */

static int dec_cap_peer(struct dec *d, struct mds_caps_msg *c)
{
	if (dec_u64(d, &c->peer.cap_id) || dec_u32(d, &c->peer.seq) ||
	    dec_u32(d, &c->peer.mseq) || dec_s32(d, &c->peer.mds) ||
	    dec_u8(d, &c->peer.flags))
		return -EBADMSG;
	return 0;
}

static void put_cap_peer(struct buf *b, const struct mds_caps_msg *c)
{
	buf_put_u64(b, c->peer.cap_id);
	buf_put_u32(b, c->peer.seq);
	buf_put_u32(b, c->peer.mseq);
	buf_put_u32(b, (uint32_t)c->peer.mds);
	buf_put_u8(b, c->peer.flags);
}

int mds_caps_decode(const struct msg *m, struct mds_caps_msg *c)
{
	struct dec d, body;
	const uint8_t *bp;
	uint32_t xlen, pool = 0;
	uint16_t v = m->version;

	memset(c, 0, sizeof(*c));
	if (m->compat_version > 1)
		return -ENOTSUP;
	c->version = v;
	c->flush_tid = m->tid;
	c->inline_version = CEPH_INLINE_NONE;
	c->nfiles = -1;
	c->nsubdirs = -1;
	dec_init(&d, m->front.data, m->front.len);
	if (dec_u32(&d, &c->op) || dec_u64(&d, &c->ino) ||
	    dec_u64(&d, &c->realm) || dec_u64(&d, &c->cap_id) ||
	    dec_u32(&d, &c->seq) || dec_u32(&d, &c->issue_seq) ||
	    dec_u32(&d, &c->caps) || dec_u32(&d, &c->wanted) ||
	    dec_u32(&d, &c->dirty) || dec_u32(&d, &c->migrate_seq) ||
	    dec_u64(&d, &c->snap_follows) || dec_u32(&d, &c->snap_trace_len) ||
	    dec_u32(&d, &c->uid) || dec_u32(&d, &c->gid) ||
	    dec_u32(&d, &c->mode) || dec_u32(&d, &c->nlink) ||
	    dec_u32(&d, &xlen) || dec_u64(&d, &c->xattr_version) ||
	    dec_view(&d, CAPS_BODY_LEN, &bp))
		return -EBADMSG;
	dec_init(&body, bp, CAPS_BODY_LEN);
	/* the body is exactly 84 bytes: these reads cannot fail */
	if (c->op == CEPH_CAP_OP_EXPORT) {
		dec_cap_peer(&body, c);
	} else {
		dec_u64(&body, &c->size);
		dec_u64(&body, &c->max_size);
		dec_u64(&body, &c->truncate_size);
		dec_u32(&body, &c->truncate_seq);
		dec_time(&body, &c->mtime);
		dec_time(&body, &c->atime);
		dec_time(&body, &c->ctime);
		dec_u32(&body, &c->layout.stripe_unit);
		dec_u32(&body, &c->layout.stripe_count);
		dec_u32(&body, &c->layout.object_size);
		dec_skip(&body, 12);	/* cas_hash, object_stripe_unit, unused */
		dec_u32(&body, &pool);
		c->layout.pool = pool == UINT32_MAX ? -1 : (int64_t)pool;
		dec_u32(&body, &c->time_warp_seq);
	}
	if (dec_view(&d, c->snap_trace_len, &c->snap_trace))
		return -EBADMSG;
	/* xattrs travel in the middle section */
	if (m->middle.len != xlen)
		return -EBADMSG;
	c->xattrs_len = xlen;
	c->xattrs = xlen ? m->middle.data : NULL;

	if (v >= 2 && (dec_u32(&d, &c->flock_len) ||
		       dec_view(&d, c->flock_len, &c->flock)))
		return -EBADMSG;
	if (v >= 3 && c->op == CEPH_CAP_OP_IMPORT && dec_cap_peer(&d, c))
		return -EBADMSG;
	if (v >= 4 && (dec_u64(&d, &c->inline_version) ||
		       dec_u32(&d, &c->inline_len) ||
		       dec_view(&d, c->inline_len, &c->inline_data)))
		return -EBADMSG;
	if (v >= 5 && dec_u32(&d, &c->osd_epoch_barrier))
		return -EBADMSG;
	if (v >= 6 && dec_u64(&d, &c->oldest_flush_tid))
		return -EBADMSG;
	if (v >= 7 && (dec_u32(&d, &c->caller_uid) ||
		       dec_u32(&d, &c->caller_gid)))
		return -EBADMSG;
	if (v >= 8 && dec_str_view(&d, &c->pool_ns, &c->pool_ns_len))
		return -EBADMSG;
	if (v >= 9 && (dec_time(&d, &c->btime) ||
		       dec_u64(&d, &c->change_attr)))
		return -EBADMSG;
	if (v >= 10 && dec_u32(&d, &c->flags))
		return -EBADMSG;
	if (v >= 11 && (dec_s64(&d, &c->nfiles) || dec_s64(&d, &c->nsubdirs)))
		return -EBADMSG;
	return 0;
}

struct msg *mds_msg_caps(const struct mds_caps_msg *c)
{
	struct msg *m = msg_new(CEPH_MSG_CLIENT_CAPS, MDS_CAPS_VERSION, 1);
	struct buf *b;

	if (!m)
		return NULL;
	m->tid = c->flush_tid;
	b = &m->front;
	buf_put_u32(b, c->op);
	buf_put_u64(b, c->ino);
	buf_put_u64(b, c->realm);
	buf_put_u64(b, c->cap_id);
	buf_put_u32(b, c->seq);
	buf_put_u32(b, c->issue_seq);
	buf_put_u32(b, c->caps);
	buf_put_u32(b, c->wanted);
	buf_put_u32(b, c->dirty);
	buf_put_u32(b, c->migrate_seq);
	buf_put_u64(b, c->snap_follows);
	buf_put_u32(b, c->snap_trace ? c->snap_trace_len : 0);
	buf_put_u32(b, c->uid);
	buf_put_u32(b, c->gid);
	buf_put_u32(b, c->mode);
	buf_put_u32(b, c->nlink);
	buf_put_u32(b, c->xattrs ? c->xattrs_len : 0);
	buf_put_u64(b, c->xattr_version);
	if (c->op == CEPH_CAP_OP_EXPORT) {
		put_cap_peer(b, c);
		buf_put_zero(b, CAPS_BODY_LEN - CAP_PEER_LEN);
	} else {
		buf_put_u64(b, c->size);
		buf_put_u64(b, c->max_size);
		buf_put_u64(b, c->truncate_size);
		buf_put_u32(b, c->truncate_seq);
		buf_put_time(b, c->mtime);
		buf_put_time(b, c->atime);
		buf_put_time(b, c->ctime);
		buf_put_u32(b, c->layout.stripe_unit);
		buf_put_u32(b, c->layout.stripe_count);
		buf_put_u32(b, c->layout.object_size);
		buf_put_zero(b, 12);
		buf_put_u32(b, (uint32_t)c->layout.pool);
		buf_put_u32(b, c->time_warp_seq);
	}
	if (c->snap_trace)
		buf_put(b, c->snap_trace, c->snap_trace_len);
	buf_put_u32(b, c->flock ? c->flock_len : 0);
	if (c->flock)
		buf_put(b, c->flock, c->flock_len);
	if (c->op == CEPH_CAP_OP_IMPORT)
		put_cap_peer(b, c);
	buf_put_u64(b, c->inline_version);
	buf_put_u32(b, c->inline_data ? c->inline_len : 0);
	if (c->inline_data)
		buf_put(b, c->inline_data, c->inline_len);
	buf_put_u32(b, c->osd_epoch_barrier);
	buf_put_u64(b, c->oldest_flush_tid);
	buf_put_u32(b, c->caller_uid);
	buf_put_u32(b, c->caller_gid);
	buf_put_strn(b, c->pool_ns ? c->pool_ns : "",
		     c->pool_ns ? c->pool_ns_len : 0);
	buf_put_time(b, c->btime);
	buf_put_u64(b, c->change_attr);
	buf_put_u32(b, c->flags);
	buf_put_u64(b, (uint64_t)c->nfiles);
	buf_put_u64(b, (uint64_t)c->nsubdirs);
	if (c->xattrs && c->xattrs_len)
		buf_put(&m->middle, c->xattrs, c->xattrs_len);
	return finish(m);
}

/* ---- MClientCapRelease ---- */

struct msg *mds_msg_cap_release(const struct mds_cap_release_item *items,
				uint32_t n, uint32_t osd_epoch_barrier)
{
	struct msg *m = msg_new(CEPH_MSG_CLIENT_CAPRELEASE,
				MDS_CAP_RELEASE_VERSION, 1);
	struct buf *b;

	if (!m)
		return NULL;
	b = &m->front;
	buf_put_u32(b, n);
	for (uint32_t i = 0; i < n; i++) {
		buf_put_u64(b, items[i].ino);
		buf_put_u64(b, items[i].cap_id);
		buf_put_u32(b, items[i].migrate_seq);
		buf_put_u32(b, items[i].seq);
	}
	buf_put_u32(b, osd_epoch_barrier);
	return finish(m);
}

int mds_cap_release_decode(const uint8_t *front, size_t n, uint16_t version,
			   uint32_t *num, const uint8_t **items,
			   uint32_t *osd_epoch_barrier)
{
	struct dec d;

	dec_init(&d, front, n);
	*osd_epoch_barrier = 0;
	if (dec_count(&d, CAP_ITEM_LEN, num) ||
	    dec_view(&d, (size_t)*num * CAP_ITEM_LEN, items))
		return -EBADMSG;
	if (version >= 2 && dec_u32(&d, osd_epoch_barrier))
		return -EBADMSG;
	return 0;
}

void mds_cap_release_item_at(const uint8_t *items, uint32_t i,
			     struct mds_cap_release_item *out)
{
	struct dec d;

	dec_init(&d, items + (size_t)i * CAP_ITEM_LEN, CAP_ITEM_LEN);
	dec_u64(&d, &out->ino);
	dec_u64(&d, &out->cap_id);
	dec_u32(&d, &out->migrate_seq);
	dec_u32(&d, &out->seq);
}

/* ---- MClientLease ---- */

int mds_lease_decode(const uint8_t *front, size_t n, struct mds_lease_msg *l)
{
	struct dec d;

	dec_init(&d, front, n);
	if (dec_u8(&d, &l->action) || dec_u16(&d, &l->mask) ||
	    dec_u64(&d, &l->ino) || dec_u64(&d, &l->first) ||
	    dec_u64(&d, &l->last) || dec_u32(&d, &l->seq) ||
	    dec_u32(&d, &l->duration_ms) ||
	    dec_str_view(&d, &l->dname, &l->dname_len))
		return -EBADMSG;
	return 0;
}

struct msg *mds_msg_lease(const struct mds_lease_msg *l)
{
	struct msg *m = msg_new(CEPH_MSG_CLIENT_LEASE, MDS_LEASE_VERSION, 1);
	struct buf *b;

	if (!m)
		return NULL;
	b = &m->front;
	buf_put_u8(b, l->action);
	buf_put_u16(b, l->mask);
	buf_put_u64(b, l->ino);
	buf_put_u64(b, l->first);
	buf_put_u64(b, l->last);
	buf_put_u32(b, l->seq);
	buf_put_u32(b, l->duration_ms);
	buf_put_strn(b, l->dname ? l->dname : "", l->dname ? l->dname_len : 0);
	return finish(m);
}

/* ---- MClientSnap ---- */

int mds_snap_decode(const uint8_t *front, size_t n, struct mds_snap_msg *s)
{
	struct dec d;

	memset(s, 0, sizeof(*s));
	dec_init(&d, front, n);
	if (dec_u32(&d, &s->op) || dec_u64(&d, &s->split) ||
	    dec_u32(&d, &s->num_split_inos) ||
	    dec_u32(&d, &s->num_split_realms) || dec_u32(&d, &s->trace_len) ||
	    dec_view(&d, (size_t)s->num_split_inos * 8, &s->split_inos) ||
	    dec_view(&d, (size_t)s->num_split_realms * 8, &s->split_realms) ||
	    dec_view(&d, s->trace_len, &s->trace))
		return -EBADMSG;
	return 0;
}

uint64_t mds_snap_split_ino(const struct mds_snap_msg *s, uint32_t i)
{
	return i < s->num_split_inos ? mds_u64_at(s->split_inos, i) : 0;
}

uint64_t mds_snap_split_realm(const struct mds_snap_msg *s, uint32_t i)
{
	return i < s->num_split_realms ? mds_u64_at(s->split_realms, i) : 0;
}

/* ---- MClientReconnect ---- */

struct msg *mds_msg_reconnect(const struct mds_reconnect_cap *caps,
			      uint32_t ncaps,
			      const struct mds_reconnect_realm *realms,
			      uint32_t nrealms, bool more)
{
	struct msg *m = msg_new(CEPH_MSG_CLIENT_RECONNECT, MDS_RECONNECT_VERSION,
				MDS_RECONNECT_COMPAT);
	struct buf *b;

	if (!m)
		return NULL;
	b = &m->data;
	buf_put_u32(b, ncaps);
	for (uint32_t i = 0; i < ncaps; i++) {
		const struct mds_reconnect_cap *c = &caps[i];
		size_t st;

		buf_put_u64(b, c->ino);
		st = buf_struct_begin(b, 2, 1);
		buf_put_strn(b, c->path ? c->path : "", c->path ? c->path_len : 0);
		/* ceph_mds_cap_reconnect, packed */
		buf_put_u64(b, c->cap_id);
		buf_put_u32(b, c->wanted);
		buf_put_u32(b, c->issued);
		buf_put_u64(b, c->realm);
		buf_put_u64(b, c->pathbase);
		buf_put_u32(b, c->locks_len);
		if (c->locks_len)
			buf_put(b, c->locks, c->locks_len);
		buf_put_u64(b, 0);	/* snap_follows: head inodes only */
		buf_struct_end(b, st);
	}
	buf_put_u32(b, nrealms);
	for (uint32_t i = 0; i < nrealms; i++) {
		size_t st = buf_struct_begin(b, 1, 1);

		buf_put_u64(b, realms[i].ino);
		buf_put_u64(b, realms[i].seq);
		buf_put_u64(b, realms[i].parent);
		buf_struct_end(b, st);
	}
	buf_put_u8(b, more ? 1 : 0);
	return finish(m);
}

int mds_reconnect_decode(const uint8_t *data, size_t n,
			 void (*cap)(void *arg, const struct mds_reconnect_cap *c),
			 void (*realm)(void *arg, const struct mds_reconnect_realm *r),
			 void *arg, bool *more)
{
	struct dec d, body;
	uint32_t count, len;
	uint8_t v;
	int b;

	dec_init(&d, data, n);
	if (dec_count(&d, 8 + 6 + 4 + 36, &count))
		return -EBADMSG;
	for (uint32_t i = 0; i < count; i++) {
		struct mds_reconnect_cap c = { 0 };
		const char *path;

		if (dec_u64(&d, &c.ino) || dec_struct(&d, 2, &v, &body) ||
		    dec_str_view(&body, &path, &len) ||
		    dec_u64(&body, &c.cap_id) || dec_u32(&body, &c.wanted) ||
		    dec_u32(&body, &c.issued) || dec_u64(&body, &c.realm) ||
		    dec_u64(&body, &c.pathbase) ||
		    dec_u32(&body, &c.locks_len) ||
		    dec_view(&body, c.locks_len, &c.locks))
			return -EBADMSG;
		c.path = path;
		c.path_len = len;
		if (cap)
			cap(arg, &c);
	}
	if (dec_count(&d, 6 + 24, &count))
		return -EBADMSG;
	for (uint32_t i = 0; i < count; i++) {
		struct mds_reconnect_realm r;

		if (dec_struct(&d, 1, &v, &body) || dec_u64(&body, &r.ino) ||
		    dec_u64(&body, &r.seq) || dec_u64(&body, &r.parent))
			return -EBADMSG;
		if (realm)
			realm(arg, &r);
	}
	if (dec_bool(&d, &b))
		return -EBADMSG;
	*more = b;
	return 0;
}

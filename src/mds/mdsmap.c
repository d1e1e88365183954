/* Decoding of Ceph's MDSMap (src/mds/MDSMap.cc), its mds_info_t entries,
 * CompatSet and feature_bitset_t, and of the MMDSMap message front. */
#include "mdsmap.h"

#include <stdlib.h>
#include <string.h>

#define MDSMAP_V_MAX		5
#define MDS_INFO_V_MAX		10
#define MDS_FS_NAME_DEFAULT	"cephfs"

/* The smallest mds_info_t on the wire with its u64 map key: the
 * unversioned form with an empty addrvec and no export_targets. */
#define MDS_INFO_WIRE_MIN	(8 + 1 + 8 + 4 + 4 + 4 + 4 + 8 + 5 + 8 + 4 + 4)

/* CompatSets implied by old encodings */
#define MDS_COMPAT_BASE_INCOMPAT	(1ULL << MDS_FEATURE_INCOMPAT_BASE)
#define MDS_COMPAT_V16_2_4_INCOMPAT	0x7feULL	/* features 1..10 */

/* set<int32_t> / vector<int32_t>, kept; `sorted` demands a strictly
 * ascending set, as std::set encodes it. */
static int dec_i32_array(struct dec *d, bool sorted, uint32_t *n,
			 int32_t **out)
{
	int32_t *a;
	uint32_t cnt;

	*n = 0;
	*out = NULL;
	if (dec_count(d, 4, &cnt))
		return -EBADMSG;
	a = calloc(cnt ? cnt : 1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (uint32_t i = 0; i < cnt; i++) {
		dec_s32(d, &a[i]);	/* dec_count proved the bytes are there */
		if (sorted && i && a[i] <= a[i - 1]) {
			free(a);
			return -EBADMSG;
		}
	}
	*n = cnt;
	*out = a;
	return 0;
}

/* One CompatSet::FeatureSet. A set bit 0 marks an old buggy encoder whose
 * mask must be rebuilt from the feature ids (which must be 1..63). */
static int feature_set_decode(struct dec *d, uint64_t *mask)
{
	uint64_t m, id, rebuilt = 0;
	uint32_t n;

	if (dec_u64(d, &m) || dec_count(d, 12, &n))
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		if (dec_u64(d, &id) || dec_skip_str(d))
			return -EBADMSG;
		if (id == 0 || id >= 64)
			return -EBADMSG;
		rebuilt |= 1ULL << id;
	}
	*mask = (m & 1) ? rebuilt : m;
	return 0;
}

int compat_set_decode(struct dec *d, struct compat_set *cs)
{
	if (feature_set_decode(d, &cs->compat) ||
	    feature_set_decode(d, &cs->ro_compat) ||
	    feature_set_decode(d, &cs->incompat))
		return -EBADMSG;
	return 0;
}

void mds_info_clear(struct mds_info *info)
{
	free(info->name);
	free(info->export_targets);
	memset(info, 0, sizeof(*info));
}

/* The fields of mds_info_t up to the addresses. */
static int mds_info_decode_head(struct dec *b, struct mds_info *info)
{
	int r;

	if (dec_u64(b, &info->gid))
		return -EBADMSG;
	r = dec_str_dup(b, &info->name);
	if (r)
		return r;
	if (dec_s32(b, &info->rank) || dec_s32(b, &info->inc) ||
	    dec_s32(b, &info->state) || dec_u64(b, &info->state_seq))
		return -EBADMSG;
	r = entity_addrvec_decode(b, &info->addrs);
	if (r)
		return r;
	if (dec_time(b, &info->laggy_since) ||
	    dec_s32(b, &info->standby_for_rank) || dec_skip_str(b))
		return -EBADMSG;
	return 0;
}

static int mds_info_decode_body(struct dec *b, uint8_t v,
				struct mds_info *info)
{
	int r;

	info->join_fscid = FS_CLUSTER_ID_NONE;
	info->compat.incompat = MDS_COMPAT_V16_2_4_INCOMPAT;
	r = mds_info_decode_head(b, info);
	if (r)
		return r;
	if (v >= 2) {
		r = dec_i32_array(b, true, &info->num_export_targets,
				  &info->export_targets);
		if (r)
			return r;
	}
	if (v >= 5 && dec_u64(b, &info->features))
		return -EBADMSG;
	if (v >= 6 && dec_s32(b, &info->join_fscid))
		return -EBADMSG;
	if (v >= 7) {
		int sr;

		if (dec_bool(b, &sr))
			return -EBADMSG;
		info->standby_replay = sr;
	}
	if (v >= 9 && dec_u64(b, &info->flags))
		return -EBADMSG;
	if (v >= 10)
		return compat_set_decode(b, &info->compat);
	return 0;
}

int mds_info_decode(struct dec *d, struct mds_info *info)
{
	struct dec body;
	bool wrapped;
	uint8_t v;
	int r;

	memset(info, 0, sizeof(*info));
	r = dec_struct_legacy(d, 4, false, MDS_INFO_V_MAX, &v, &body, &wrapped);
	if (!r)
		r = mds_info_decode_body(&body, v, info);
	if (r) {
		mds_info_clear(info);
		return r;
	}
	if (!wrapped)
		d->p = body.p;
	return 0;
}

void mdsmap_free(struct mdsmap *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->num_infos; i++)
		mds_info_clear(&m->infos[i]);
	free(m->infos);
	free(m->fs_name);
	free(m->balancer);
	free(m->data_pools);
	free(m->in);
	free(m->failed);
	free(m->stopped);
	free(m->damaged);
	free(m->up_rank);
	free(m->up_gid);
	free(m->required_client_features);
	free(m);
}

int mds_info_map_decode(struct dec *d, struct mds_info **infos,
			uint32_t *num)
{
	uint64_t gid, prev = 0;
	uint32_t n;
	int r;

	if (dec_count(d, MDS_INFO_WIRE_MIN, &n))
		return -EBADMSG;
	*infos = calloc(n ? n : 1, sizeof(**infos));
	if (!*infos)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (dec_u64(d, &gid) || (i && gid <= prev))
			return -EBADMSG;
		prev = gid;
		r = mds_info_decode(d, &(*infos)[i]);
		if (r)
			return r;
		(*num)++;
	}
	return 0;
}

static int mdsmap_decode_pools(struct dec *b, uint8_t v, struct mdsmap *m)
{
	uint32_t n, p32;
	int32_t cas;

	if (dec_count(b, v < 3 ? 4 : 8, &n))
		return -EBADMSG;
	m->data_pools = calloc(n ? n : 1, sizeof(*m->data_pools));
	if (!m->data_pools)
		return -ENOMEM;
	m->num_data_pools = n;
	for (uint32_t i = 0; i < n; i++) {
		/* dec_count proved the bytes are there; the checks let the
		 * compiler see p32 set */
		if (v < 3) {
			if (dec_u32(b, &p32))
				return -EBADMSG;
			m->data_pools[i] = p32;
		} else if (dec_s64(b, &m->data_pools[i])) {
			return -EBADMSG;
		}
	}
	if (v >= 3)
		return dec_s64(b, &m->cas_pool);
	if (dec_s32(b, &cas))
		return -EBADMSG;
	m->cas_pool = cas;
	return 0;
}

/* map<i32 rank, u64 gid> up, ranks strictly ascending. */
static int mdsmap_decode_up(struct dec *b, struct mdsmap *m)
{
	uint32_t n;

	if (dec_count(b, 12, &n))
		return -EBADMSG;
	m->up_rank = calloc(n ? n : 1, sizeof(*m->up_rank));
	m->up_gid = calloc(n ? n : 1, sizeof(*m->up_gid));
	if (!m->up_rank || !m->up_gid)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		dec_s32(b, &m->up_rank[i]);
		dec_u64(b, &m->up_gid[i]);
		if (i && m->up_rank[i] <= m->up_rank[i - 1])
			return -EBADMSG;
	}
	m->num_up = n;
	return 0;
}

/* feature_bitset_t: a byte length, then u64 words (a short tail too). */
static int feature_bitset_decode(struct dec *b, struct mdsmap *m)
{
	const uint8_t *p;
	uint32_t len, words;

	if (dec_u32(b, &len) || dec_view(b, len, &p))
		return -EBADMSG;
	words = len / 8 + (len % 8 != 0);
	m->required_client_features = calloc(words ? words : 1, 8);
	if (!m->required_client_features)
		return -ENOMEM;
	for (uint32_t i = 0; i < len; i++)
		m->required_client_features[i / 8] |= (uint64_t)p[i] << (8 * (i % 8));
	m->num_required_words = words;
	return 0;
}

/* From the epoch through cas_pool: all any MDSMap version has. */
static int mdsmap_decode_base(struct dec *b, uint8_t v, struct mdsmap *m)
{
	int r;

	if (dec_u32(b, &m->epoch) || dec_u32(b, &m->flags) ||
	    dec_u32(b, &m->last_failure) || dec_s32(b, &m->root) ||
	    dec_u32(b, &m->session_timeout) ||
	    dec_u32(b, &m->session_autoclose) ||
	    dec_u64(b, &m->max_file_size) || dec_s32(b, &m->max_mds))
		return -EBADMSG;
	r = mds_info_map_decode(b, &m->infos, &m->num_infos);
	if (!r)
		r = mdsmap_decode_pools(b, v, m);
	return r;
}

/* compat through stopped ("ev" 1 and up). */
static int mdsmap_decode_ranks(struct dec *b, struct mdsmap *m)
{
	uint32_t n, pool32;
	int r;

	m->compat.incompat = MDS_COMPAT_BASE_INCOMPAT;
	if (m->ev >= 3 && compat_set_decode(b, &m->compat))
		return -EBADMSG;
	if (m->ev < 5) {
		if (dec_u32(b, &pool32))
			return -EBADMSG;
		m->metadata_pool = pool32;
	} else if (dec_s64(b, &m->metadata_pool)) {
		return -EBADMSG;
	}
	if (dec_time(b, &m->created) || dec_time(b, &m->modified) ||
	    dec_s32(b, &m->tableserver))
		return -EBADMSG;
	r = dec_i32_array(b, true, &m->num_in, &m->in);
	if (r)
		return r;
	if (dec_count(b, 8, &n) || dec_skip(b, (size_t)n * 8))	/* inc */
		return -EBADMSG;
	r = mdsmap_decode_up(b, m);
	if (!r)
		r = dec_i32_array(b, true, &m->num_failed, &m->failed);
	if (!r)
		r = dec_i32_array(b, true, &m->num_stopped, &m->stopped);
	return r;
}

static int mdsmap_decode_allowed(struct dec *b, struct mdsmap *m)
{
	int ever, expl;

	if (m->ev >= 10)
		return dec_u8(b, &m->ever_allowed_features) ||
		       dec_u8(b, &m->explicitly_allowed_features) ?
		       -EBADMSG : 0;
	if (dec_bool(b, &ever) || dec_bool(b, &expl))
		return -EBADMSG;
	m->ever_allowed_features = ever ? CEPH_MDSMAP_ALLOW_SNAPS : 0;
	m->explicitly_allowed_features = expl ? CEPH_MDSMAP_ALLOW_SNAPS : 0;
	return 0;
}

static int mdsmap_decode_name(struct dec *b, struct mdsmap *m)
{
	int en;

	if (m->ev < 8) {
		m->enabled = m->epoch > 1;
		m->fs_name = strdup(MDS_FS_NAME_DEFAULT);
		return m->fs_name ? 0 : -ENOMEM;
	}
	if (m->struct_v < 5 || dec_bool(b, &en))
		return -EBADMSG;
	m->enabled = en;
	return dec_str_dup(b, &m->fs_name);
}

/* last_failure_osd_epoch to the end ("ev" 4 to 16). */
static int mdsmap_decode_ext(struct dec *b, struct mdsmap *m)
{
	int8_t rel;
	int inl, r;

	if (m->ev >= 4 && dec_u32(b, &m->last_failure_osd_epoch))
		return -EBADMSG;
	if (m->ev >= 6 && mdsmap_decode_allowed(b, m))
		return -EBADMSG;
	if (m->ev >= 7) {
		if (dec_bool(b, &inl))
			return -EBADMSG;
		m->inline_data_enabled = inl;
	}
	r = mdsmap_decode_name(b, m);
	if (!r && m->ev >= 9)
		r = dec_i32_array(b, true, &m->num_damaged, &m->damaged);
	if (!r && m->ev >= 11)
		r = dec_str_dup(b, &m->balancer);
	if (r)
		return r;
	if (m->ev >= 12 && dec_s32(b, &m->standby_count_wanted))
		return -EBADMSG;
	if (m->ev >= 13 && dec_s32(b, &m->old_max_mds))
		return -EBADMSG;
	if (m->ev >= 14) {
		if (dec_u8(b, (uint8_t *)&rel))
			return -EBADMSG;
		m->min_compat_client = (m->ev == 14 && rel < 0) ? 0 : (uint8_t)rel;
	}
	if (m->ev >= 16)
		return feature_bitset_decode(b, m);
	return 0;
}

/*
 * What Ceph does to every map it decodes: all MDS daemons since 14.x
 * understand inline data, and a daemon that announced no CompatSet
 * (v16.2.4 and older) inherits the map's.
 */
static void mdsmap_fixup_compat(struct mdsmap *m)
{
	const uint64_t inl = 1ULL << MDS_FEATURE_INCOMPAT_INLINE;

	m->compat.incompat |= inl;
	for (uint32_t i = 0; i < m->num_infos; i++) {
		struct compat_set *c = &m->infos[i].compat;

		if (!c->compat && !c->ro_compat && !c->incompat)
			*c = m->compat;
		c->incompat |= inl;
	}
}

static int mdsmap_decode_body(struct dec *b, struct mdsmap *m)
{
	int r;

	r = mdsmap_decode_base(b, m->struct_v, m);
	if (r)
		return r;
	m->ev = 1;
	if (m->struct_v >= 2 && dec_u16(b, &m->ev))
		return -EBADMSG;
	r = mdsmap_decode_ranks(b, m);
	if (!r)
		r = mdsmap_decode_ext(b, m);
	if (!r && !m->balancer) {
		m->balancer = strdup("");
		r = m->balancer ? 0 : -ENOMEM;
	}
	if (!r)
		mdsmap_fixup_compat(m);
	return r;
}

int mdsmap_decode(struct dec *d, struct mdsmap **out)
{
	struct mdsmap *m;
	struct dec body;
	bool wrapped;
	int r;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->cas_pool = -1;
	m->metadata_pool = -1;
	m->standby_count_wanted = -1;
	r = dec_struct_legacy(d, 4, true, MDSMAP_V_MAX, &m->struct_v, &body,
			      &wrapped);
	if (!r)
		r = mdsmap_decode_body(&body, m);
	if (r) {
		mdsmap_free(m);
		return r;
	}
	if (!wrapped)
		d->p = body.p;
	*out = m;
	return 0;
}

void mmdsmap_clear(struct mmdsmap *m)
{
	mdsmap_free(m->map);
	free(m->map_fs_name);
	memset(m, 0, sizeof(*m));
}

/* fsid, u32 epoch, bufferlist encoded map, then (header v2) map_fs_name. */
int mmdsmap_decode(const uint8_t *front, size_t n, struct mmdsmap *out)
{
	struct dec d, bl;
	int r = -EBADMSG;

	memset(out, 0, sizeof(*out));
	dec_init(&d, front, n);
	if (dec_uuid(&d, out->fsid) || dec_u32(&d, &out->epoch) ||
	    dec_blob(&d, &bl))
		goto err;
	r = mdsmap_decode(&bl, &out->map);
	if (r)
		goto err;
	if (dec_left(&d)) {
		r = dec_str_dup(&d, &out->map_fs_name);
		if (r)
			goto err;
	}
	return 0;
err:
	mmdsmap_clear(out);
	return r;
}

const char *mds_state_name(int32_t state)
{
	switch (state) {
	case CEPH_MDS_STATE_DNE:		return "down:dne";
	case CEPH_MDS_STATE_STOPPED:		return "down:stopped";
	case CEPH_MDS_STATE_DAMAGED:		return "down:damaged";
	case CEPH_MDS_STATE_BOOT:		return "up:boot";
	case CEPH_MDS_STATE_STANDBY:		return "up:standby";
	case CEPH_MDS_STATE_STANDBY_REPLAY:	return "up:standby-replay";
	case CEPH_MDS_STATE_REPLAYONCE:		return "up:oneshot-replay";
	case CEPH_MDS_STATE_CREATING:		return "up:creating";
	case CEPH_MDS_STATE_STARTING:		return "up:starting";
	case CEPH_MDS_STATE_REPLAY:		return "up:replay";
	case CEPH_MDS_STATE_RESOLVE:		return "up:resolve";
	case CEPH_MDS_STATE_RECONNECT:		return "up:reconnect";
	case CEPH_MDS_STATE_REJOIN:		return "up:rejoin";
	case CEPH_MDS_STATE_CLIENTREPLAY:	return "up:clientreplay";
	case CEPH_MDS_STATE_ACTIVE:		return "up:active";
	case CEPH_MDS_STATE_STOPPING:		return "up:stopping";
	case CEPH_MDS_STATE_NULL:		return "null";
	}
	return "???";
}

const struct mds_info *mdsmap_info_by_gid(const struct mdsmap *m,
					  uint64_t gid)
{
	uint32_t lo = 0, hi = m->num_infos;

	while (lo < hi) {	/* infos are ascending by gid */
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->infos[mid].gid == gid)
			return &m->infos[mid];
		if (m->infos[mid].gid < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a map whose keys and info gids disagree: look at every entry */
	for (uint32_t i = 0; i < m->num_infos; i++)
		if (m->infos[i].gid == gid)
			return &m->infos[i];
	return NULL;
}

static bool rank_in(const int32_t *set, uint32_t n, int32_t rank)
{
	for (uint32_t i = 0; i < n; i++)
		if (set[i] == rank)
			return true;
	return false;
}

static int up_index(const struct mdsmap *m, int32_t rank)
{
	for (uint32_t i = 0; i < m->num_up; i++)
		if (m->up_rank[i] == rank)
			return (int)i;
	return -1;
}

const struct mds_info *mdsmap_rank_info(const struct mdsmap *m, int32_t rank)
{
	int i = up_index(m, rank);

	return i < 0 ? NULL : mdsmap_info_by_gid(m, m->up_gid[i]);
}

int32_t mdsmap_rank_state(const struct mdsmap *m, int32_t rank)
{
	const struct mds_info *info = mdsmap_rank_info(m, rank);

	return info ? info->state : CEPH_MDS_STATE_NULL;
}

bool mdsmap_is_up(const struct mdsmap *m, int32_t rank)
{
	return up_index(m, rank) >= 0;
}

bool mdsmap_is_failed(const struct mdsmap *m, int32_t rank)
{
	return rank_in(m->failed, m->num_failed, rank);
}

bool mdsmap_is_damaged(const struct mdsmap *m, int32_t rank)
{
	return rank_in(m->damaged, m->num_damaged, rank);
}

unsigned mdsmap_count_state(const struct mdsmap *m, int32_t state)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < m->num_infos; i++)
		n += m->infos[i].state == state;
	return n;
}

bool mdsmap_requires_feature(const struct mdsmap *m, unsigned bit)
{
	if (bit / 64 >= m->num_required_words)
		return false;
	return m->required_client_features[bit / 64] >> (bit % 64) & 1;
}

enum mdsmap_availability mdsmap_availability(const struct mdsmap *m)
{
	if (m->epoch == 0)
		return MDSMAP_TRANSIENT_UNAVAILABLE;	/* never initialised */
	if (m->num_damaged || !m->num_in)
		return MDSMAP_STUCK_UNAVAILABLE;
	for (uint32_t i = 0; i < m->num_in; i++) {
		const struct mds_info *info = mdsmap_rank_info(m, m->in[i]);

		if (info && (info->laggy_since.sec || info->laggy_since.nsec))
			return MDSMAP_STUCK_UNAVAILABLE;
	}
	/* standbys are not in this map, so "nobody active" counts as stuck */
	if (mdsmap_count_state(m, CEPH_MDS_STATE_ACTIVE))
		return MDSMAP_AVAILABLE;
	return MDSMAP_STUCK_UNAVAILABLE;
}

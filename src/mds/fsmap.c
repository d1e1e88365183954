/* Decoding of Ceph's FSMap (src/mds/FSMap.cc) with its Filesystem entries,
 * of FSMapUser (src/mds/FSMapUser.cc), and of the MFSMap and MFSMapUser
 * message fronts. */
#include "fsmap.h"

#include <stdlib.h>
#include <string.h>

#define FSMAP_V_MAX		7	/* Pacific */
#define FSMAP_V_MIN		6	/* older ones are MDSMaps in disguise */
#define FILESYSTEM_V_MAX	2
#define FSMAP_USER_V_MAX	1
#define FS_INFO_V_MAX		1

/* Smallest wire sizes of one element, for dec_count(). */
#define FILESYSTEM_WIRE_MIN	(6 + 4 + 4)	/* envelope, fscid, blob */
#define FS_INFO_WIRE_MIN	(6 + 4 + 4)	/* envelope, cid, name */

void fsmap_free(struct fsmap *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->num_fs; i++)
		mdsmap_free(m->fs[i].map);
	free(m->fs);
	for (uint32_t i = 0; i < m->num_standbys; i++)
		mds_info_clear(&m->standbys[i]);
	free(m->standbys);
	free(m->standby_epochs);
	free(m);
}

/* One Filesystem: fscid, the MDSMap in a bufferlist, mirror info (v2). */
static int filesystem_decode(struct dec *d, struct fsmap_fs *fs)
{
	struct dec body, bl;
	int r;

	r = dec_struct(d, FILESYSTEM_V_MAX, NULL, &body);
	if (r)
		return r;
	if (dec_s32(&body, &fs->fscid) || dec_blob(&body, &bl))
		return -EBADMSG;
	return mdsmap_decode(&bl, &fs->map);	/* mirror info: not kept */
}

static int fsmap_decode_filesystems(struct dec *b, struct fsmap *m)
{
	struct fsmap_fs *fs;
	uint32_t n;
	int r;

	if (dec_count(b, FILESYSTEM_WIRE_MIN, &n))
		return -EBADMSG;
	m->fs = calloc(n ? n : 1, sizeof(*m->fs));
	if (!m->fs)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		fs = &m->fs[i];
		r = filesystem_decode(b, fs);
		if (r)
			return r;
		m->num_fs++;
		if (fsmap_fs_by_id(m, fs->fscid) != fs)
			return -EBADMSG;	/* the same fscid twice */
	}
	return 0;
}

/* standby_daemons: map<u64 gid, mds_info_t>, with a slot each for its
 * epoch from the map that follows. */
static int fsmap_decode_standbys(struct dec *b, struct fsmap *m)
{
	int r;

	r = mds_info_map_decode(b, &m->standbys, &m->num_standbys);
	if (r)
		return r;
	m->standby_epochs = calloc(m->num_standbys ? m->num_standbys : 1,
				   sizeof(*m->standby_epochs));
	return m->standby_epochs ? 0 : -ENOMEM;
}

/* map<u64 gid, u32 epoch>, matched to the standbys by gid. */
static int fsmap_decode_standby_epochs(struct dec *b, struct fsmap *m)
{
	uint64_t gid;
	uint32_t n, epoch;

	if (dec_count(b, 12, &n))
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		/* dec_count proved the bytes are there; the checks let the
		 * compiler see gid and epoch set */
		if (dec_u64(b, &gid) || dec_u32(b, &epoch))
			return -EBADMSG;
		for (uint32_t k = 0; k < m->num_standbys; k++)
			if (m->standbys[k].gid == gid)
				m->standby_epochs[k] = epoch;
	}
	return 0;
}

static int fsmap_decode_body(struct dec *b, struct fsmap *m)
{
	uint32_t n;
	int flag, r;

	if (dec_u32(b, &m->epoch) || dec_u64(b, &m->next_filesystem_id) ||
	    dec_s32(b, &m->legacy_client_fscid) ||
	    compat_set_decode(b, &m->compat) || dec_bool(b, &flag))
		return -EBADMSG;
	m->enable_multiple = flag;
	r = fsmap_decode_filesystems(b, m);
	if (r)
		return r;
	/* mds_roles (gid -> fscid) repeats what the maps say: skipped */
	if (dec_count(b, 12, &n) || dec_skip(b, (size_t)n * 12))
		return -EBADMSG;
	r = fsmap_decode_standbys(b, m);
	if (!r)
		r = fsmap_decode_standby_epochs(b, m);
	if (r)
		return r;
	if (m->struct_v >= 7) {
		if (dec_bool(b, &flag))
			return -EBADMSG;
		m->ever_enabled_multiple = flag;
	}
	return 0;
}

int fsmap_decode_dec(struct dec *d, struct fsmap **out)
{
	struct fsmap *m;
	struct dec body;
	int r;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = dec_struct(d, FSMAP_V_MAX, &m->struct_v, &body);
	if (!r && m->struct_v < FSMAP_V_MIN)
		r = -ENOTSUP;
	if (!r)
		r = fsmap_decode_body(&body, m);
	if (r) {
		fsmap_free(m);
		return r;
	}
	*out = m;
	return 0;
}

int fsmap_decode(const uint8_t *p, size_t n, struct fsmap **out)
{
	struct dec d;

	dec_init(&d, p, n);
	return fsmap_decode_dec(&d, out);
}

int mfsmap_decode(const uint8_t *front, size_t n, struct fsmap **out)
{
	struct dec d;
	uint32_t epoch;

	*out = NULL;
	dec_init(&d, front, n);
	if (dec_u32(&d, &epoch))
		return -EBADMSG;
	return fsmap_decode_dec(&d, out);
}

const struct fsmap_fs *fsmap_fs_by_name(const struct fsmap *m,
					const char *name)
{
	for (uint32_t i = 0; i < m->num_fs; i++)
		if (!strcmp(m->fs[i].map->fs_name, name))
			return &m->fs[i];
	return NULL;
}

const struct fsmap_fs *fsmap_fs_by_id(const struct fsmap *m, int32_t fscid)
{
	for (uint32_t i = 0; i < m->num_fs; i++)
		if (m->fs[i].fscid == fscid)
			return &m->fs[i];
	return NULL;
}

void fsmap_user_free(struct fsmap_user *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->num_fs; i++)
		free(m->fs[i].name);
	free(m->fs);
	free(m);
}

static int fs_info_decode(struct dec *d, struct fsmap_user_fs *fs)
{
	struct dec body;
	int r;

	r = dec_struct(d, FS_INFO_V_MAX, NULL, &body);
	if (r)
		return r;
	if (dec_s32(&body, &fs->fscid))
		return -EBADMSG;
	return dec_str_dup(&body, &fs->name);
}

static int fsmap_user_decode_body(struct dec *b, struct fsmap_user *m)
{
	uint32_t n;
	int r;

	if (dec_u32(b, &m->epoch) || dec_s32(b, &m->legacy_client_fscid) ||
	    dec_count(b, FS_INFO_WIRE_MIN, &n))
		return -EBADMSG;
	m->fs = calloc(n ? n : 1, sizeof(*m->fs));
	if (!m->fs)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		r = fs_info_decode(b, &m->fs[i]);
		if (r) {
			free(m->fs[i].name);
			return r;
		}
		m->num_fs++;
		for (uint32_t k = 0; k < i; k++)
			if (m->fs[k].fscid == m->fs[i].fscid)
				return -EBADMSG;
	}
	return 0;
}

int fsmap_user_decode(struct dec *d, struct fsmap_user **out)
{
	struct fsmap_user *m;
	struct dec body;
	int r;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = dec_struct(d, FSMAP_USER_V_MAX, NULL, &body);
	if (!r)
		r = fsmap_user_decode_body(&body, m);
	if (r) {
		fsmap_user_free(m);
		return r;
	}
	*out = m;
	return 0;
}

int mfsmapuser_decode(const uint8_t *front, size_t n, struct fsmap_user **out)
{
	struct dec d;
	uint32_t epoch;

	*out = NULL;
	dec_init(&d, front, n);
	if (dec_u32(&d, &epoch))
		return -EBADMSG;
	return fsmap_user_decode(&d, out);
}

int fsmap_user_fscid(const struct fsmap_user *m, const char *name,
		     int32_t *fscid)
{
	for (uint32_t i = 0; i < m->num_fs; i++) {
		if (!strcmp(m->fs[i].name, name)) {
			*fscid = m->fs[i].fscid;
			return 0;
		}
	}
	return -ENOENT;
}

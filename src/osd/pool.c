/* Decoding of pg_pool_t (a pool's placement parameters) as Pacific
 * encodes it, up to struct v29; later fields are skipped. */
#include <stdlib.h>
#include <string.h>

#include "osd/osdmap_int.h"

/* map<string, string> */
int skip_string_map(struct dec *d)
{
	uint32_t n;

	if (dec_count(d, 2 * STRING_MIN_LEN, &n))
		return -EBADMSG;
	while (n--)
		if (dec_skip_str(d) || dec_skip_str(d))
			return -EBADMSG;
	return 0;
}

/* map<string, map<string, string>>: erasure code profiles and
 * application metadata */
int skip_ec_profiles(struct dec *d)
{
	uint32_t n;

	if (dec_count(d, 2 * STRING_MIN_LEN, &n))
		return -EBADMSG;
	while (n--)
		if (dec_skip_str(d) || skip_string_map(d))
			return -EBADMSG;
	return 0;
}

/* A versioned struct we do not interpret (pool_snap_info_t, HitSet
 * params, pool_opts_t, pg_merge_meta_t). */
static int skip_struct(struct dec *d)
{
	struct dec body;

	return dec_struct(d, 255, NULL, &body);
}

/* 2^k - 1 for the smallest k with 2^k >= n (0 for n <= 1). */
static uint32_t pg_mask(uint32_t n)
{
	uint64_t m = 1;

	while (n > 1 && m < n)
		m <<= 1;
	return (uint32_t)(m - 1);
}

/* type .. snap_epoch, snaps, removed_snaps, auid */
static int pool_decode_base(struct dec *d, struct pg_pool *pool,
			    uint32_t *num_removed_snaps)
{
	uint32_t lpg, n;

	if (dec_u8(d, &pool->type) || dec_u8(d, &pool->size) ||
	    dec_u8(d, &pool->crush_rule) || dec_u8(d, &pool->object_hash) ||
	    dec_u32(d, &pool->pg_num) || dec_u32(d, &pool->pgp_num) ||
	    dec_u32(d, &lpg) || dec_u32(d, &lpg) ||
	    dec_u32(d, &pool->last_change) || dec_u64(d, &pool->snap_seq) ||
	    dec_u32(d, &pool->snap_epoch))
		return -EBADMSG;
	/* snaps: map<snapid_t, pool_snap_info_t> */
	if (dec_count(d, 8 + 6, &n))
		return -EBADMSG;
	while (n--)
		if (dec_skip(d, 8) || skip_struct(d))
			return -EBADMSG;
	/* removed_snaps: interval_set<snapid_t>, (start, len) pairs */
	if (dec_count(d, 16, num_removed_snaps) ||
	    dec_skip(d, (size_t)*num_removed_snaps * 16))
		return -EBADMSG;
	return dec_u64(d, &pool->auid);
}

/* v9: tiering */
static int pool_decode_tiers(struct dec *d, struct pg_pool *pool)
{
	uint32_t n;

	if (dec_count(d, 8, &n) || dec_skip(d, (size_t)n * 8) ||
	    dec_s64(d, &pool->tier_of) || dec_u8(d, &pool->cache_mode) ||
	    dec_s64(d, &pool->read_tier) || dec_s64(d, &pool->write_tier))
		return -EBADMSG;
	return 0;
}

/* v10 .. v14: properties, hit sets, stripe width, cache tuning, EC
 * profile name */
static int pool_decode_v10_14(struct dec *d, uint8_t v, struct pg_pool *pool)
{
	if (v >= 10 && skip_string_map(d))
		return -EBADMSG;
	/* hit_set_params, hit_set_period, hit_set_count */
	if (v >= 11 && (skip_struct(d) || dec_skip(d, 8)))
		return -EBADMSG;
	if (v >= 12 && dec_u32(d, &pool->stripe_width))
		return -EBADMSG;
	/* target_max_bytes/objects, four cache ratios and ages */
	if (v >= 13 && dec_skip(d, 8 + 8 + 4 * 4))
		return -EBADMSG;
	if (v >= 14) {
		free(pool->erasure_code_profile);
		pool->erasure_code_profile = NULL;
		return dec_str_dup(d, &pool->erasure_code_profile);
	}
	return 0;
}

/* v15 .. v29 */
static int pool_decode_v15_29(struct dec *d, uint8_t v, struct pg_pool *pool)
{
	pool->last_force_op_resend_preluminous = 0;
	if (v >= 15 && dec_u32(d, &pool->last_force_op_resend_preluminous))
		return -EBADMSG;
	/* min_read_recency_for_promote, expected_num_objects,
	 * cache_target_dirty_high_ratio_micro (v19; there is no v18 field),
	 * min_write_recency_for_promote, use_gmt_hitset, fast_read,
	 * hit_set_grade_decay_rate and hit_set_search_last_n */
	if ((v >= 16 && dec_skip(d, 4)) || (v >= 17 && dec_skip(d, 8)) ||
	    (v >= 19 && dec_skip(d, 4)) || (v >= 20 && dec_skip(d, 4)) ||
	    (v >= 21 && dec_skip(d, 1)) || (v >= 22 && dec_skip(d, 1)) ||
	    (v >= 23 && dec_skip(d, 8)))
		return -EBADMSG;
	if (v >= 24 && skip_struct(d))			/* opts */
		return -EBADMSG;
	pool->last_force_op_resend_prenautilus =
		pool->last_force_op_resend_preluminous;
	if (v >= 25 && dec_u32(d, &pool->last_force_op_resend_prenautilus))
		return -EBADMSG;
	if (v >= 26 && skip_ec_profiles(d))		/* application_metadata */
		return -EBADMSG;
	if (v >= 27 && dec_skip(d, 8))			/* create_time */
		return -EBADMSG;
	pool->pg_num_target = pool->pg_num;
	pool->pgp_num_target = pool->pgp_num;
	pool->pg_num_pending = pool->pg_num;
	pool->last_force_op_resend = pool->last_force_op_resend_prenautilus;
	if (v >= 28 && (dec_u32(d, &pool->pg_num_target) ||
			dec_u32(d, &pool->pgp_num_target) ||
			dec_u32(d, &pool->pg_num_pending) ||
			dec_skip(d, 8) ||	/* two merge epochs of 14.1 */
			dec_u32(d, &pool->last_force_op_resend) ||
			dec_u8(d, &pool->pg_autoscale_mode)))
		return -EBADMSG;
	/* v29 last_pg_merge_meta and anything newer: skipped with the body */
	return 0;
}

static void pool_defaults(struct pg_pool *pool)
{
	pool->tier_of = -1;
	pool->read_tier = -1;
	pool->write_tier = -1;
}

/* One pg_pool_t. Versions before 5 (pre-2012, no length) are refused as
 * the kernel does. Fills *pool (whose name is left alone); on failure the
 * caller still releases it. */
int pg_pool_decode(struct dec *d, struct pg_pool *pool)
{
	struct dec body;
	uint32_t removed;
	uint8_t v;
	int r;

	if (dec_need(d, 1))
		return -EBADMSG;
	if (d->p[0] < 5)
		return -ENOTSUP;
	r = dec_struct(d, 29, &v, &body);
	if (r)
		return r;
	pool_defaults(pool);
	r = pool_decode_base(&body, pool, &removed);
	if (r)
		return r;
	if (dec_u64(&body, &pool->flags) || dec_skip(&body, 4))
		return -EBADMSG;
	/* pools from before the snap-mode flags existed: infer the mode */
	if (pool->snap_seq > 0 &&
	    !(pool->flags & (CEPH_POOL_FLAG_SELFMANAGED_SNAPS |
			     CEPH_POOL_FLAG_POOL_SNAPS)))
		pool->flags |= removed ? CEPH_POOL_FLAG_SELFMANAGED_SNAPS :
					 CEPH_POOL_FLAG_POOL_SNAPS;
	pool->min_size = pool->size - pool->size / 2;
	if (v >= 7 && dec_u8(&body, &pool->min_size))
		return -EBADMSG;
	if (v >= 8 && (dec_u64(&body, &pool->quota_max_bytes) ||
		       dec_u64(&body, &pool->quota_max_objects)))
		return -EBADMSG;
	if (v >= 9 && pool_decode_tiers(&body, pool))
		return -EBADMSG;
	r = pool_decode_v10_14(&body, v, pool);
	if (!r)
		r = pool_decode_v15_29(&body, v, pool);
	pool->pg_num_mask = pg_mask(pool->pg_num);
	pool->pgp_num_mask = pg_mask(pool->pgp_num);
	return r;
}

void pg_pool_release(struct pg_pool *pool)
{
	free(pool->name);
	free(pool->erasure_code_profile);
	pool->name = NULL;
	pool->erasure_code_profile = NULL;
}

int pg_pool_copy(struct pg_pool *dst, const struct pg_pool *src)
{
	*dst = *src;
	dst->name = src->name ? strdup(src->name) : NULL;
	dst->erasure_code_profile = src->erasure_code_profile ?
		strdup(src->erasure_code_profile) : NULL;
	if ((src->name && !dst->name) ||
	    (src->erasure_code_profile && !dst->erasure_code_profile)) {
		pg_pool_release(dst);
		return -ENOMEM;
	}
	return 0;
}

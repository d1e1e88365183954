/* The OSD map's blocklist (see blocklist.h). Entries are kept sorted so
 * that the question a client asks on every map, "am I in it?", is two
 * binary searches however many clients were ever evicted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osd/blocklist.h"

/* smallest wire forms: a versioned address (marker, struct header, type,
 * nonce, sockaddr length) and a utime_t */
#define ADDR_MIN_LEN 19
#define UTIME_LEN 8
#define OSD_INFO_LEN 25		/* u8 struct_v, six epochs */

void blocklist_addr_from(struct blocklist_addr *k, const struct entity_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->nonce = a->nonce;
	k->port = entity_addr_port(a);
	if (a->ss.ss_family == AF_INET) {
		k->family = AF_INET;
		memcpy(k->ip, &((const struct sockaddr_in *)&a->ss)->sin_addr, 4);
	} else if (a->ss.ss_family == AF_INET6) {
		k->family = AF_INET6;
		memcpy(k->ip, &((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
		       16);
	}
}

static int addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct blocklist_addr));
}

/* sorts and drops duplicates */
static void normalize(struct blocklist *bl)
{
	uint32_t out = 0;

	if (bl->n < 2)
		return;
	qsort(bl->v, bl->n, sizeof(*bl->v), addr_cmp);
	for (uint32_t i = 0; i < bl->n; i++)
		if (!out || addr_cmp(&bl->v[out - 1], &bl->v[i]))
			bl->v[out++] = bl->v[i];
	bl->n = out;
}

static int reserve(struct blocklist *bl, uint32_t more)
{
	struct blocklist_addr *v;

	v = realloc(bl->v, ((size_t)bl->n + more + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	bl->v = v;
	return 0;
}

static int decode_entries(struct dec *d, struct blocklist *bl, bool stamped)
{
	uint32_t n;
	int r;

	if (dec_count(d, ADDR_MIN_LEN + (stamped ? UTIME_LEN : 0), &n))
		return -EBADMSG;
	r = reserve(bl, n);
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		struct entity_addr a;

		r = entity_addr_decode(d, &a);
		if (r)
			return r;
		if (stamped && dec_skip(d, UTIME_LEN))	/* until when */
			return -EBADMSG;
		blocklist_addr_from(&bl->v[bl->n++], &a);
	}
	normalize(bl);
	return 0;
}

int blocklist_decode_map(struct dec *d, struct blocklist *bl)
{
	return decode_entries(d, bl, true);
}

int blocklist_decode_vec(struct dec *d, struct blocklist *bl)
{
	return decode_entries(d, bl, false);
}

/* vector<addrvec> (v7+) or vector<addr>: entity_addrvec_decode() reads
 * either form */
static int skip_addrs(struct dec *d)
{
	struct entity_addrvec av;
	uint32_t n;
	int r;

	if (dec_count(d, 5, &n))
		return -EBADMSG;
	while (n--)
		if ((r = entity_addrvec_decode(d, &av)))
			return r;
	return 0;
}

/* map<int32, T> with T a fixed size */
static int skip_osd_map(struct dec *d, size_t value_len)
{
	uint32_t n;

	if (dec_count(d, 4 + value_len, &n) ||
	    dec_skip(d, (size_t)n * (4 + value_len)))
		return -EBADMSG;
	return 0;
}

int blocklist_decode_full_osd_only(struct dec *d, uint8_t v,
				   struct blocklist *bl)
{
	uint32_t n;
	int r;

	(void)v;		/* the fields before the blocklist never changed */
	r = skip_addrs(d);	/* heartbeat back addresses */
	if (r)
		return r;
	if (dec_count(d, OSD_INFO_LEN, &n) ||
	    dec_skip(d, (size_t)n * OSD_INFO_LEN))
		return -EBADMSG;
	return blocklist_decode_map(d, bl);
}

int blocklist_decode_inc_osd_only(struct dec *d, uint8_t v,
				  struct blocklist *added,
				  struct blocklist *removed)
{
	uint32_t n;
	int r;

	(void)v;
	/* new heartbeat back addresses: map<int32, addrvec or addr> */
	if (dec_count(d, 4 + 5, &n))
		return -EBADMSG;
	while (n--) {
		struct entity_addrvec av;

		if (dec_skip(d, 4))
			return -EBADMSG;
		if ((r = entity_addrvec_decode(d, &av)))
			return r;
	}
	r = skip_osd_map(d, 4);			/* new_up_thru */
	if (!r)
		r = skip_osd_map(d, 8);		/* new_last_clean_interval */
	if (!r)
		r = skip_osd_map(d, 4);		/* new_lost */
	if (!r)
		r = blocklist_decode_map(d, added);
	if (!r)
		r = blocklist_decode_vec(d, removed);
	return r;
}

int blocklist_copy(struct blocklist *dst, const struct blocklist *src)
{
	memset(dst, 0, sizeof(*dst));
	if (reserve(dst, src->n))
		return -ENOMEM;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
	return 0;
}

static const struct blocklist_addr *find(const struct blocklist *bl,
					 const struct blocklist_addr *k)
{
	if (!bl->n)
		return NULL;
	return bsearch(k, bl->v, bl->n, sizeof(*bl->v), addr_cmp);
}

int blocklist_apply(struct blocklist *bl, const struct blocklist *added,
		    const struct blocklist *removed)
{
	uint32_t out = 0;

	if (added->n) {
		if (reserve(bl, added->n))
			return -ENOMEM;
		memcpy(bl->v + bl->n, added->v, added->n * sizeof(*added->v));
		bl->n += added->n;
		normalize(bl);
	}
	if (!removed->n)
		return 0;
	for (uint32_t i = 0; i < bl->n; i++)
		if (!find(removed, &bl->v[i]))
			bl->v[out++] = bl->v[i];
	bl->n = out;
	return 0;
}

void blocklist_release(struct blocklist *bl)
{
	free(bl->v);
	bl->v = NULL;
	bl->n = 0;
}

bool blocklist_contains(const struct blocklist *bl,
			const struct entity_addr *a)
{
	struct blocklist_addr k;

	blocklist_addr_from(&k, a);
	if (!k.family)
		return false;
	if (find(bl, &k))
		return true;
	k.port = 0;
	k.nonce = 0;
	return find(bl, &k) != NULL;
}

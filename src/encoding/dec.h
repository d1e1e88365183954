/* Bounds-checked decoding of Ceph's little-endian wire encoding.
 *
 * A `struct dec` is a cursor over a byte range it does not own. Every
 * helper returns 0 on success or a negative errno and never reads past
 * `end`: -EBADMSG when the input is short or malformed, -ENOTSUP when a
 * versioned struct declares a compat version newer than we understand.
 * On failure the cursor position is unspecified; callers bail out.
 *
 * Decoders built on these are pure functions over a byte range: no
 * sockets, no globals, so tests and fuzzers can feed them bytes. */
#ifndef SIPHON_ENCODING_DEC_H
#define SIPHON_ENCODING_DEC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct dec {
	const uint8_t *p;
	const uint8_t *end;
};

struct sp_time {
	uint32_t sec;
	uint32_t nsec;
};

static inline void dec_init(struct dec *d, const void *p, size_t n)
{
	d->p = p;
	d->end = p ? d->p + n : d->p;	/* an empty buffer may have no data */
}

static inline size_t dec_left(const struct dec *d)
{
	return (size_t)(d->end - d->p);
}

static inline int dec_need(const struct dec *d, size_t n)
{
	return dec_left(d) >= n ? 0 : -EBADMSG;
}

static inline int dec_skip(struct dec *d, size_t n)
{
	if (dec_need(d, n))
		return -EBADMSG;
	d->p += n;
	return 0;
}

static inline int dec_bytes(struct dec *d, void *out, size_t n)
{
	if (dec_need(d, n))
		return -EBADMSG;
	memcpy(out, d->p, n);
	d->p += n;
	return 0;
}

/* Points *out at the next n bytes (no copy) and advances past them. */
static inline int dec_view(struct dec *d, size_t n, const uint8_t **out)
{
	if (dec_need(d, n))
		return -EBADMSG;
	*out = d->p;
	d->p += n;
	return 0;
}

static inline int dec_u8(struct dec *d, uint8_t *v)
{
	if (dec_need(d, 1))
		return -EBADMSG;
	*v = *d->p++;
	return 0;
}

static inline int dec_u16(struct dec *d, uint16_t *v)
{
	if (dec_need(d, 2))
		return -EBADMSG;
	*v = (uint16_t)(d->p[0] | d->p[1] << 8);
	d->p += 2;
	return 0;
}

static inline int dec_u32(struct dec *d, uint32_t *v)
{
	if (dec_need(d, 4))
		return -EBADMSG;
	*v = (uint32_t)d->p[0] | (uint32_t)d->p[1] << 8 |
	     (uint32_t)d->p[2] << 16 | (uint32_t)d->p[3] << 24;
	d->p += 4;
	return 0;
}

static inline int dec_u64(struct dec *d, uint64_t *v)
{
	uint64_t x = 0;

	if (dec_need(d, 8))
		return -EBADMSG;
	for (int i = 7; i >= 0; i--)
		x = x << 8 | d->p[i];
	d->p += 8;
	*v = x;
	return 0;
}

static inline int dec_s32(struct dec *d, int32_t *v)
{
	return dec_u32(d, (uint32_t *)v);
}

static inline int dec_s64(struct dec *d, int64_t *v)
{
	return dec_u64(d, (uint64_t *)v);
}

static inline int dec_bool(struct dec *d, int *v)
{
	uint8_t b;
	int r = dec_u8(d, &b);

	if (!r)
		*v = b != 0;
	return r;
}

static inline int dec_time(struct dec *d, struct sp_time *t)
{
	if (dec_need(d, 8))
		return -EBADMSG;
	dec_u32(d, &t->sec);
	dec_u32(d, &t->nsec);
	return 0;
}

static inline int dec_uuid(struct dec *d, uint8_t uuid[16])
{
	return dec_bytes(d, uuid, 16);
}

/* A u32 element count, refused when `n * min_elem_size` bytes cannot
 * possibly follow: a hostile count never drives a huge allocation. */
int dec_count(struct dec *d, size_t min_elem_size, uint32_t *n);

/* A u32-length-prefixed byte string, viewed in place (not NUL-terminated). */
int dec_str_view(struct dec *d, const char **s, uint32_t *len);

/* The same, copied into malloc'd, NUL-terminated storage (-ENOMEM). */
int dec_str_dup(struct dec *d, char **out);

/* The same, copied into a caller buffer; -ENAMETOOLONG if it won't fit. */
int dec_str_copy(struct dec *d, char *out, size_t cap);

/* Skips a u32-length-prefixed string. */
int dec_skip_str(struct dec *d);

/* A u32-length-prefixed blob (bufferlist): `inner` covers its bytes and
 * `d` moves past them. */
int dec_blob(struct dec *d, struct dec *inner);

/* Ceph's versioned envelope: u8 struct_v, u8 struct_compat, u32 len.
 * Fails with -ENOTSUP if struct_compat > max_compat. `body` covers the
 * len bytes and `d` moves past them, so unknown newer fields at the end
 * of body are skipped by simply dropping `body`. */
int dec_struct(struct dec *d, uint8_t max_compat, uint8_t *struct_v,
	       struct dec *body);

/*
 * A struct that only got the versioned envelope at some version (Ceph's
 * DECODE_START_LEGACY_COMPAT_LEN and its _16 variant): a u8 struct_v
 * comes first; from `wrapped_from_v` on, compat and len follow as in
 * dec_struct() (compat > max_compat: -ENOTSUP). Below it the fields
 * follow bare; `legacy_u16` says the old encoder wrote the version as a
 * u16, whose high byte is skipped.
 *
 * `body` covers the fields. When *wrapped, d has already moved past them,
 * as with dec_struct(); otherwise body is the rest of d and the caller,
 * once it has read the fields, moves d on with `d->p = body.p`.
 */
int dec_struct_legacy(struct dec *d, uint8_t wrapped_from_v, bool legacy_u16,
		      uint8_t max_compat, uint8_t *struct_v, struct dec *body,
		      bool *wrapped);

#endif

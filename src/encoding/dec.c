/* Out-of-line decode helpers: counts, strings, blobs, versioned structs
 * (with and without the legacy unwrapped form). */
#include "dec.h"

#include <stdlib.h>

int dec_count(struct dec *d, size_t min_elem_size, uint32_t *n)
{
	uint32_t v;

	if (dec_u32(d, &v))
		return -EBADMSG;
	if (min_elem_size && (uint64_t)v * min_elem_size > dec_left(d))
		return -EBADMSG;
	*n = v;
	return 0;
}

int dec_str_view(struct dec *d, const char **s, uint32_t *len)
{
	uint32_t n;
	const uint8_t *p;

	if (dec_u32(d, &n) || dec_view(d, n, &p))
		return -EBADMSG;
	*s = (const char *)p;
	*len = n;
	return 0;
}

int dec_str_dup(struct dec *d, char **out)
{
	const char *s;
	uint32_t n;
	char *c;

	if (dec_str_view(d, &s, &n))
		return -EBADMSG;
	c = malloc((size_t)n + 1);
	if (!c)
		return -ENOMEM;
	memcpy(c, s, n);
	c[n] = '\0';
	*out = c;
	return 0;
}

int dec_str_copy(struct dec *d, char *out, size_t cap)
{
	const char *s;
	uint32_t n;

	if (dec_str_view(d, &s, &n))
		return -EBADMSG;
	if ((size_t)n + 1 > cap)
		return -ENAMETOOLONG;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

int dec_blob(struct dec *d, struct dec *inner)
{
	uint32_t n;
	const uint8_t *p;

	if (dec_u32(d, &n) || dec_view(d, n, &p))
		return -EBADMSG;
	dec_init(inner, p, n);
	return 0;
}

int dec_skip_str(struct dec *d)
{
	uint32_t n;

	return dec_u32(d, &n) || dec_skip(d, n) ? -EBADMSG : 0;
}

/* compat and len after a struct_v already read; the rest as dec_struct */
static int dec_struct_envelope(struct dec *d, uint8_t max_compat,
			       struct dec *body)
{
	uint8_t compat;
	uint32_t len;
	const uint8_t *p;

	if (dec_u8(d, &compat) || dec_u32(d, &len))
		return -EBADMSG;
	if (compat > max_compat)
		return -ENOTSUP;
	if (dec_view(d, len, &p))
		return -EBADMSG;
	dec_init(body, p, len);
	return 0;
}

int dec_struct(struct dec *d, uint8_t max_compat, uint8_t *struct_v,
	       struct dec *body)
{
	uint8_t v;
	int r;

	if (dec_u8(d, &v))
		return -EBADMSG;
	r = dec_struct_envelope(d, max_compat, body);
	if (r)
		return r;
	if (struct_v)
		*struct_v = v;
	return 0;
}

int dec_struct_legacy(struct dec *d, uint8_t wrapped_from_v, bool legacy_u16,
		      uint8_t max_compat, uint8_t *struct_v, struct dec *body,
		      bool *wrapped)
{
	uint8_t v;
	int r;

	if (dec_u8(d, &v))
		return -EBADMSG;
	if (v < wrapped_from_v) {
		if (legacy_u16 && dec_skip(d, 1))
			return -EBADMSG;
		*body = *d;
		*wrapped = false;
	} else {
		r = dec_struct_envelope(d, max_compat, body);
		if (r)
			return r;
		*wrapped = true;
	}
	if (struct_v)
		*struct_v = v;
	return 0;
}

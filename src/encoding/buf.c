/* Growable buffer storage and the out-of-line encoders. */
#include "buf.h"

#include <stdlib.h>

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = false;
}

int buf_reserve(struct buf *b, size_t extra)
{
	size_t want, cap;
	uint8_t *p;

	if (b->oom)
		return -ENOMEM;
	if (extra > SIZE_MAX - b->len) {
		b->oom = true;
		return -ENOMEM;
	}
	want = b->len + extra;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->oom = true;
		return -ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

uint8_t *buf_steal(struct buf *b, size_t *len)
{
	uint8_t *p = b->data;

	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	if (!n || buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_put_zero(struct buf *b, size_t n)
{
	if (!n || buf_reserve(b, n))
		return;
	memset(b->data + b->len, 0, n);
	b->len += n;
}

void buf_put_strn(struct buf *b, const char *s, size_t n)
{
	buf_put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
}

size_t buf_struct_begin(struct buf *b, uint8_t v, uint8_t compat)
{
	size_t start;

	buf_put_u8(b, v);
	buf_put_u8(b, compat);
	start = b->len;
	buf_put_u32(b, 0);
	return start;
}

void buf_patch_u32(struct buf *b, size_t off, uint32_t v)
{
	if (b->oom || off + 4 > b->len)
		return;
	b->data[off] = (uint8_t)v;
	b->data[off + 1] = (uint8_t)(v >> 8);
	b->data[off + 2] = (uint8_t)(v >> 16);
	b->data[off + 3] = (uint8_t)(v >> 24);
}

void buf_struct_end(struct buf *b, size_t start)
{
	buf_patch_u32(b, start, (uint32_t)(b->len - start - 4));
}

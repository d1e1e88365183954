/* A growable byte buffer with Ceph's little-endian encoders.
 *
 * Encoders never fail one by one: an allocation failure sets a sticky
 * `oom` flag and later puts do nothing, so a message is built with a run
 * of puts and checked once at the end (buf_error()). */
#ifndef SIPHON_ENCODING_BUF_H
#define SIPHON_ENCODING_BUF_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dec.h"

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool oom;
};

#define BUF_INIT { NULL, 0, 0, false }

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);		/* len = 0, keeps storage */
int buf_reserve(struct buf *b, size_t extra);
/* Moves the contents out: returns data (caller frees) and empties b. */
uint8_t *buf_steal(struct buf *b, size_t *len);
/* Drops the first n bytes (for consumed input). */
void buf_consume(struct buf *b, size_t n);

static inline int buf_error(const struct buf *b)
{
	return b->oom ? -ENOMEM : 0;
}

void buf_put(struct buf *b, const void *p, size_t n);
void buf_put_zero(struct buf *b, size_t n);

static inline void buf_put_u8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

static inline void buf_put_u16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	buf_put(b, x, 2);
}

static inline void buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	buf_put(b, x, 4);
}

static inline void buf_put_u64(struct buf *b, uint64_t v)
{
	buf_put_u32(b, (uint32_t)v);
	buf_put_u32(b, (uint32_t)(v >> 32));
}

static inline void buf_put_time(struct buf *b, struct sp_time t)
{
	buf_put_u32(b, t.sec);
	buf_put_u32(b, t.nsec);
}

/* u32 length + bytes */
void buf_put_strn(struct buf *b, const char *s, size_t n);
static inline void buf_put_str(struct buf *b, const char *s)
{
	buf_put_strn(b, s, strlen(s));
}

/* Opens a versioned envelope (struct_v, compat, u32 len placeholder) and
 * returns the offset to hand to buf_struct_end(), which fills in len. */
size_t buf_struct_begin(struct buf *b, uint8_t v, uint8_t compat);
void buf_struct_end(struct buf *b, size_t start);

/* Overwrites 4 bytes at off (for lengths known only later). */
void buf_patch_u32(struct buf *b, size_t off, uint32_t v);

#endif

/* Read-ahead for sequential reads of an open file (see readahead.c). */
#ifndef SIPHON_CLIENT_READAHEAD_H
#define SIPHON_CLIENT_READAHEAD_H

#include <stdbool.h>
#include <stdint.h>

struct siphon_client;
struct mdsc_io_state;
struct aio_op;
struct ra_file;

/* The read-ahead state of one open handle (NULL when out of memory). */
struct ra_file *ra_open(struct siphon_client *c, uint64_t ino);
/* Drops what it holds and frees it: true once done. While reads of its
 * are still in flight it parks op instead, to be kicked when the last
 * one ends, and says false: call again then. */
bool ra_close_or_park(struct ra_file *ra, struct aio_op *op);

/* The generation a read takes before its caps: a later invalidation
 * makes what it saw under those caps unusable for the cache. */
unsigned ra_gen(struct ra_file *ra);

/* A read of [off, off + len) (within the file's size) under the Fr use
 * io, which saw generation gen: notes the position and, for a
 * sequential reader under Fc, starts reading ahead of it. */
void ra_advance(struct ra_file *ra, const struct mdsc_io_state *io,
		unsigned gen, uint64_t off, uint64_t len);
/* Copies into buf what the read-ahead holds of [off + *got, off + len),
 * advancing *got. Returns 0 when it holds no more (the caller reads the
 * rest), or -EINPROGRESS when the next bytes are still on their way: op
 * is parked and kicked when they arrive (call again then). */
int ra_serve(struct ra_file *ra, struct aio_op *op,
	     const struct mdsc_io_state *io, unsigned gen, uint8_t *buf,
	     uint64_t off, uint64_t len, uint64_t *got);

/* What was read ahead of ino may be stale (a revoke, a truncation, a
 * write of ours): every handle drops it. Safe on the loop thread. */
void ra_invalidate_ino(struct siphon_client *c, uint64_t ino);

#endif

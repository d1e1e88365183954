/* Write-behind under the Fb cap (see writeback.c). */
#ifndef SIPHON_CLIENT_WRITEBACK_H
#define SIPHON_CLIENT_WRITEBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct siphon_client;
struct mdsc_io_state;
struct aio_op;
struct wb;

/* The shared write-behind state of an inode, one reference per handle. */
struct wb *wb_get(struct siphon_client *c, uint64_t ino);
/* Another reference to ino's state if it has one (a reader flushing the
 * writes of another handle), else NULL. */
struct wb *wb_find(struct siphon_client *c, uint64_t ino);
/* Drops a reference; the last waits for what is still in flight. */
void wb_put(struct siphon_client *c, struct wb *wb);

/* The calls of asynchronous writes (file.c); none of them blocks.
 *
 * wb_append: buffers data if it continues the pending extent (and the
 * memory bound allows): 1 when buffered, 0 when not, or the error of an
 * earlier background write (reported once).
 *
 * wb_begin: starts a new pending extent with data, under the Fw use the
 * caller took (io): 1 when buffered (the use now belongs to the extent),
 * 0 when the MDS does not let us buffer (no Fb) or data crosses a stripe
 * unit (the caller keeps its use and writes synchronously), or
 * -EINPROGRESS when there is no room (too many extents in flight, or the
 * client_oc_max_dirty bound reached): op is parked and kicked once room
 * frees, the caller keeps its use and calls again. Whatever was pending
 * is sent first.
 *
 * wb_idle_or_park: sends the pending extent; 0 once nothing of the inode
 * is in flight, else -EINPROGRESS with op parked until then.
 * wb_take_error: the first background error since the last report. */
int wb_append(struct siphon_client *c, struct wb *wb, const void *data,
	      size_t len, uint64_t off);
int wb_begin(struct siphon_client *c, struct wb *wb,
	     const struct mdsc_io_state *io, const void *data, size_t len,
	     uint64_t off, struct aio_op *op);
int wb_idle_or_park(struct siphon_client *c, struct wb *wb, struct aio_op *op);
int wb_take_error(struct wb *wb);
/* Puts an error taken by wb_take_error() back for the next call to report
 * (the call that took it could not: it returns a short count). */
void wb_keep_error(struct wb *wb, int err);

/* Blocking: sends what is pending and waits for all in flight; returns
 * the first background error since the last report. */
int wb_flush(struct siphon_client *c, struct wb *wb);
/* wb_flush of ino's state if it has one (a read-only handle, a
 * truncation by path). */
int wb_sync_ino(struct siphon_client *c, uint64_t ino);
/* wb_flush of every inode (unmount). */
int wb_flush_all(struct siphon_client *c);
/* Nothing pending or in flight? */
bool wb_idle(struct wb *wb);
/* Sends ino's pending extent now, without waiting (the MDS is waiting for
 * it: a revoke). Safe on the loop thread. */
void wb_kick(struct siphon_client *c, uint64_t ino);
/* The timer that sends extents left idle. */
void wb_start(struct siphon_client *c);
void wb_stop(struct siphon_client *c);

#endif

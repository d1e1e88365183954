/* Write-behind under the Fb cap (see writeback.c). */
#ifndef SIPHON_CLIENT_WRITEBACK_H
#define SIPHON_CLIENT_WRITEBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct siphon_client;
struct wb;

/* The shared write-behind state of an inode, one reference per handle. */
struct wb *wb_get(struct siphon_client *c, uint64_t ino);
/* Drops a reference; the last waits for what is still in flight. */
void wb_put(struct siphon_client *c, struct wb *wb);
/* Buffers a write if the MDS allows it: 1 when buffered, 0 when the
 * caller must write synchronously (after wb_flush), or a negative errno
 * (a background write of this inode failed earlier). */
int wb_write(struct siphon_client *c, struct wb *wb, const void *data,
	     size_t len, uint64_t off);
/* Sends what is pending and waits for all in flight; returns the first
 * background error since the last report. */
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

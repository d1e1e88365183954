/* The asynchronous core of the client: operations that wait for the MDS,
 * the OSDs or write-behind without a thread waiting, the queue that hands
 * their results to callers, and how blocking calls wait for their own
 * operations (see aio.c). */
#ifndef SIPHON_CLIENT_AIO_H
#define SIPHON_CLIENT_AIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "msg/loop.h"

struct siphon_client;
struct mdsc_io_state;
struct aio_sync;
struct ra_file;

/* One operation. Its step function moves it on from one state to the
 * next until it has to wait (for a reply, a cap, an OSD op...) and
 * returns; whatever it waited for calls aio_kick() and the step runs
 * again. A step never blocks. aio_finish() ends the operation. The
 * running/again flags make a kick that comes while the step still runs
 * (a completion on another thread, or on this one from inside a submit)
 * run the step once more instead of running it twice at once. */
struct aio_op {
	struct siphon_client *c;
	void (*step)(struct aio_op *op);
	void (*release)(struct aio_op *op);	/* frees the op */
	/* where the result goes: a caller's callback (a siphon_cb), or a
	 * blocking caller waiting on `sync` */
	void (*cb)(struct siphon_client *c, int64_t result, void *arg);
	void *cb_arg;
	struct aio_sync *sync;
	int64_t result;
	uint64_t deadline_ms;		/* the wait in progress fails then (0:
					   none yet: client_request_timeout
					   from its first try) */

	pthread_mutex_t lock;
	bool running, again, finished;
	/* parked until the MDS client reports a change of wait_ino */
	uint64_t wait_ino;
	/* parked for room in the write-behind bound: the bytes wanted */
	uint64_t want;
	struct aio_op *next;		/* completion queue or park list */
	/* kicked once this one is delivered (its callback then comes
	 * before any of the other's) */
	struct aio_op *then;
};

/* Counters of the data path, for siphon_get_io_stats() (atomics). */
struct aio_counters {
	uint64_t osd_reads, osd_writes;
	uint64_t read_calls, write_calls;
	uint64_t ra_ops, ra_bytes, ra_hit_bytes, ra_dropped_bytes;
	uint64_t wb_waits;
};

/* The client's asynchronous state (c->aio). lock is a leaf lock. */
struct aio_ctx {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* inflight drops to 0 */
	uint64_t inflight;		/* operations not yet delivered */
	/* completions waiting for their callback */
	struct aio_op *done_head, *done_tail;
	int efd;			/* >= 0: callbacks run in siphon_service */
	struct loop_work run_work;	/* else: they run on the loop */
	/* operations parked until the MDS client reports a change */
	struct aio_op *parked;
	unsigned wake_seq;
	struct loop_timer retry;
	bool retry_armed, stopping;

	/* timeouts (client_request_timeout, rados_osd_op_timeout), read
	 * once: the configuration is not for every thread at any time */
	unsigned request_ms, osd_op_ms;
	/* the data cache's bounds (from the configuration at mount) */
	uint64_t ra_min, ra_max_bytes, ra_max_periods;
	uint64_t oc_size, oc_max_dirty;
	bool oc;			/* client_oc: read-ahead and write-behind */
	/* bytes held now, by read-ahead and by write-behind (atomics) */
	uint64_t ra_held, wb_dirty;
	uint64_t wb_dirty_peak;		/* the most wb_dirty has been */
	/* writes waiting for the write-behind bound to leave room, in the
	 * order they came (aio_op.want: the bytes each waits for) */
	struct aio_op *wb_room, *wb_room_tail;
	/* read-ahead state of open files, for invalidation by ino; the
	 * list's own lock, taken before a file's */
	pthread_mutex_t ra_lock;
	struct ra_file *ra_files;

	struct aio_counters n;
};

int aio_ctx_init(struct siphon_client *c);
void aio_ctx_free(struct siphon_client *c);
/* Reads the cache options (client_oc, client_oc_size, ...). */
void aio_configure(struct siphon_client *c);
/* Waits until every operation has been delivered (unmount). */
void aio_drain(struct siphon_client *c);
void aio_stop(struct siphon_client *c);

void aio_op_init(struct aio_op *op, struct siphon_client *c,
		 void (*step)(struct aio_op *op),
		 void (*release)(struct aio_op *op));
/* Starts op; its result goes to cb on the client's completion queue. */
void aio_op_start(struct aio_op *op,
		  void (*cb)(struct siphon_client *c, int64_t result, void *arg),
		  void *arg);
/* Starts op and waits for it (a blocking call); returns its result. The
 * caller releases op. */
int64_t aio_op_run(struct aio_op *op);
/* Runs op's step (now, or once more after the running one). */
void aio_kick(struct aio_op *op);
/* Called by a step: the operation is over. */
void aio_finish(struct aio_op *op, int64_t result);

/* For a step: calls try(op, arg) until it returns anything but
 * -ETIMEDOUT ("not yet": what the MDS client's calls with no timeout
 * say); between tries the op is parked until the MDS client reports a
 * change to ino (or a retry timer fires). Returns try's result, or
 * -EINPROGRESS when parked (the step returns; it runs again later), or
 * -ETIMEDOUT once the op's deadline has passed. */
int aio_try_or_park(struct aio_op *op, uint64_t ino,
		    int (*try)(struct aio_op *op, void *arg), void *arg);
/* A use of the caps `need` of an open file (mdsc_file_get_caps without
 * waiting), parking the op as aio_try_or_park() does. */
int aio_get_caps(struct aio_op *op, uint64_t ino, uint32_t need,
		 uint64_t endoff, struct mdsc_io_state *io);
/* The MDS client reports a change for ino: parked operations retry. */
void aio_wake_ino(struct siphon_client *c, uint64_t ino);

#define aio_count(c, field, v) \
	__atomic_add_fetch(&(c)->aio->n.field, (v), __ATOMIC_RELAXED)

#endif

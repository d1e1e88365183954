/* The OSD client: operations on RADOS objects, each sent to the primary
 * OSD of the object's placement group, with many in flight at once.
 *
 * Requests. A request names an object (pool, namespace, name) and carries
 * one or a few ops (read, write, truncate, delete...). The client finds
 * its PG and acting primary from the current OSD map (CRUSH and the PG
 * overrides), gives it a tid and sends it on that OSD's session. The
 * reply completes it: the callback runs once, on the loop thread or, for
 * a request that fails before it is sent, on the submitter's thread.
 *
 * Write payloads are not copied: each message lends the caller's buffer
 * to the messenger (its crc computed by the submitting thread), and the
 * callback waits until no message holds the buffer any more, so the
 * caller may free it as soon as the callback has run.
 *
 * Resends. OSD sessions are lossy: when one that was open faults, its
 * requests are sent again at once on a new connection (connections that
 * fail before they open are retried with backoff). Every new OSD map is checked against each
 * request in flight: when its target moved (another primary, another PG
 * after a split, the pool's last_force_op_resend crossed) it is sent to
 * the new target. A request with no usable target (no primary up, the
 * cluster paused or full for writes) waits for a map that gives it one.
 * A request still unanswered when its timeout passes fails -ETIMEDOUT.
 *
 * Locking: osdc->lock guards the map, the sessions and the request
 * table. Callbacks are called without it. Nothing here takes a lock of a
 * layer above; map messages that OSDs push are handed to the handler the
 * client registered. */
#ifndef SIPHON_OSD_OSDC_H
#define SIPHON_OSD_OSDC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "msg/messenger.h"
#include "osd/osd_msgs.h"
#include "osd/osdmap.h"
#include "osd/placement.h"

struct osdc;
struct osdmap;
struct monc;
struct osdc_req;

typedef void (*osdc_cb)(struct osdc_req *req, void *arg);

#define OSDC_MAX_OPS 4
#define OSDC_NAME_MAX 256

struct osdc_req {
	/* filled by the caller */
	int64_t pool;
	char nspace[128];
	char oid[OSDC_NAME_MAX];
	struct osd_op ops[OSDC_MAX_OPS];
	uint32_t num_ops;
	bool write;			/* any op modifies the object */
	void *rbuf;			/* the first read op's output lands here
					   (SPARSE_READ: the extent map, then
					   the data, as the OSD encodes them) */
	uint64_t rbuf_len;
	struct sp_time mtime;		/* writes: the modification time */
	unsigned timeout_ms;		/* 0: wait as long as it takes */
	osdc_cb cb;
	void *cb_arg;

	/* results */
	int result;			/* 0 or a negative errno */
	uint64_t read_len;		/* bytes copied to rbuf */
	int32_t rvals[OSDC_MAX_OPS];
	uint64_t stat_size;		/* a STAT op's object size */

	/* private to the OSD client */
	int holds;			/* finishing + messages lending data */
	uint32_t data_crc;		/* of the lent write payload */
	uint64_t tid;
	int osd;			/* -1: waiting for a usable map */
	struct pg_id pgid;		/* the PG it went to */
	/* the PG's interval when it was sent: a map that changes any of
	 * these makes the OSD drop the op, so it goes out again */
	struct osd_set up, acting;
	uint32_t pg_num;
	uint8_t size, min_size;
	uint32_t hash;
	uint32_t attempts;
	uint32_t sent_epoch;
	uint64_t deadline_ms;
	bool paused;
	struct osdc_req *next;		/* in its session's or the wait list */
};

struct osdc *osdc_create(struct messenger *msgr, struct auth_client *auth,
			 struct monc *monc);
/* Fails what is in flight with -ESHUTDOWN and frees everything. */
void osdc_destroy(struct osdc *oc);

/* A newer OSD map (the client keeps its reference; osdc takes its own). */
void osdc_update_map(struct osdc *oc, struct osdmap *map);
/* Closes every OSD connection (after a change of our address:
 * messenger_new_nonce()). What was in flight goes out again on new ones,
 * or, with fail_inflight (a negative errno), completes with it: writes
 * from before an eviction must not land after it. */
void osdc_reopen(struct osdc *oc, int fail_inflight);
/* The client is going away whatever the OSDs do: what is in flight
 * completes with -ESHUTDOWN, and so does every later request. */
void osdc_abort(struct osdc *oc);
/* OSDs push MOSDMap messages on their sessions: who gets them. */
void osdc_set_map_handler(struct osdc *oc, void (*fn)(void *arg, struct msg *m),
			  void *arg);

/* Starts a request; req must stay valid until its callback has run. */
void osdc_submit(struct osdc *oc, struct osdc_req *req);

/* Counts requests to completion, so one thread can start many and wait
 * for all: set each request's cb to osdc_waiter_cb and cb_arg to the
 * waiter, osdc_waiter_add() before each submit. */
struct osdc_waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned pending;
	int first_error;
};
void osdc_waiter_init(struct osdc_waiter *w);
void osdc_waiter_destroy(struct osdc_waiter *w);
void osdc_waiter_add(struct osdc_waiter *w);
void osdc_waiter_cb(struct osdc_req *req, void *arg);
/* Waits until no request is pending; returns the first error, or 0. */
int osdc_waiter_wait(struct osdc_waiter *w);
/* Waits until fewer than n are pending (a window of n in flight);
 * returns the first error so far, or 0. */
int osdc_waiter_wait_below(struct osdc_waiter *w, unsigned n);

/* Synchronous helpers on one object. */
int osdc_object_read(struct osdc *oc, int64_t pool, const char *nspace,
		     const char *oid, uint64_t off, uint64_t len, void *buf,
		     uint32_t truncate_seq, uint64_t truncate_size,
		     unsigned timeout_ms, uint64_t *got);

struct osdc_stats {
	uint64_t ops_sent, ops_resent, replies, timeouts;
	uint32_t map_epoch;
	int sessions;
	int in_flight;
};
void osdc_get_stats(struct osdc *oc, struct osdc_stats *st);

#endif

/* The asynchronous core: operations as small state machines driven by
 * completions, and the delivery of their results.
 *
 * An operation (struct aio_op) is started by a caller's thread and then
 * moved on by whatever it waits for: an OSD reply or an MDS reply (on
 * the loop thread), write-behind draining, a cap the MDS grants. Nothing
 * here ever waits on a condition variable except a blocking caller
 * waiting for its own operation (aio_op_run), so one thread can keep any
 * number of operations in flight.
 *
 * Waiting for caps. The MDS client's calls take a timeout; with 0 they
 * do not wait but say "not yet" (-ETIMEDOUT) after asking the MDS for
 * what is missing. An operation told so is parked on c->aio->parked, and
 * the MDS client's `ready` notification for that inode (a caps message,
 * a flush acknowledged, a change made safe) kicks it to try again. A
 * sequence number bumped by every notification closes the gap between a
 * failed try and the parking; a timer retries parked operations every
 * RETRY_MS for the changes no notification reports (a session renewed, a
 * revoke answered when the last use ended).
 *
 * Delivery. A blocking caller's operation wakes it directly. Any other
 * goes to the completion queue, whose callbacks run on the loop thread
 * (a queued work item), or, once the program asked for siphon_event_fd(),
 * only inside siphon_service() on the program's thread: the eventfd is
 * written when the queue gains an entry. A callback never runs inside the
 * call that started its operation.
 *
 * Locks: c->aio->lock guards the queue, the park list and the counters
 * of operations; it is taken before the loop's lock (arming the retry
 * timer, queueing the work) and never around a step or a callback. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "aio.h"
#include "client.h"
#include "common/log.h"
#include "mds/mdsc.h"
#include "siphon/siphon.h"

#define RETRY_MS 100

/* Client defaults, as ceph-fuse's (Ceph 16 src/common/options.cc) */
#define DEFAULT_OC_SIZE (200ull << 20)		/* client_oc_size */
#define DEFAULT_OC_MAX_DIRTY (100ull << 20)	/* client_oc_max_dirty */
#define DEFAULT_RA_MIN (128ull << 10)		/* client_readahead_min */
#define DEFAULT_RA_MAX_BYTES 0			/* client_readahead_max_bytes */
#define DEFAULT_RA_MAX_PERIODS 4		/* client_readahead_max_periods */

/* A blocking caller waiting for its operation. Its thread runs every
 * step: a kick from elsewhere only wakes it, so the work of the call
 * (copies into write-behind, payload checksums, copies out of read-ahead)
 * stays on the caller's thread rather than on the loop thread. */
struct aio_sync {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool kicked, done;
};

static void run_queue_on_loop(void *arg);
static void retry_parked(void *arg);

int aio_ctx_init(struct siphon_client *c)
{
	struct aio_ctx *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	pthread_mutex_init(&a->ra_lock, NULL);
	a->efd = -1;
	loop_work_init(&a->run_work, run_queue_on_loop, c);
	loop_timer_init(&a->retry, retry_parked, c);
	a->request_ms = a->osd_op_ms = REQUEST_TIMEOUT_MS;
	a->oc = true;
	a->oc_size = DEFAULT_OC_SIZE;
	a->oc_max_dirty = DEFAULT_OC_MAX_DIRTY;
	a->ra_min = DEFAULT_RA_MIN;
	a->ra_max_bytes = DEFAULT_RA_MAX_BYTES;
	a->ra_max_periods = DEFAULT_RA_MAX_PERIODS;
	c->aio = a;
	return 0;
}

void aio_ctx_free(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;

	if (!a)
		return;
	/* completions nobody serviced are dropped with the client */
	while (a->done_head) {
		struct aio_op *op = a->done_head;

		a->done_head = op->next;
		op->release(op);
	}
	if (a->efd >= 0)
		close(a->efd);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->ra_lock);
	free(a);
	c->aio = NULL;
}

static uint64_t size_option(struct siphon_client *c, const char *key,
			    uint64_t def)
{
	uint64_t v;

	return config_get_size(c->cfg, key, &v) ? def : v;
}

void aio_configure(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;
	int64_t periods;
	double t;
	bool oc;

	a->request_ms = fs_request_timeout_ms(c);
	if (!config_get_seconds(c->cfg, "rados_osd_op_timeout", &t) && t > 0 &&
	    t < 86400 * 7)
		a->osd_op_ms = (unsigned)(t * 1000);
	else
		a->osd_op_ms = a->request_ms;
	if (!config_get_bool(c->cfg, "client_oc", &oc))
		a->oc = oc;
	a->oc_size = size_option(c, "client_oc_size", DEFAULT_OC_SIZE);
	a->oc_max_dirty = size_option(c, "client_oc_max_dirty",
				      DEFAULT_OC_MAX_DIRTY);
	if (a->oc_max_dirty > a->oc_size)
		a->oc_max_dirty = a->oc_size;
	a->ra_min = size_option(c, "client_readahead_min", DEFAULT_RA_MIN);
	a->ra_max_bytes = size_option(c, "client_readahead_max_bytes",
				      DEFAULT_RA_MAX_BYTES);
	if (!config_get_int(c->cfg, "client_readahead_max_periods", &periods) &&
	    periods >= 0)
		a->ra_max_periods = (uint64_t)periods;
	else
		a->ra_max_periods = DEFAULT_RA_MAX_PERIODS;
	pthread_mutex_lock(&a->lock);
	a->stopping = false;
	pthread_mutex_unlock(&a->lock);
}

/* ---- operations ---- */

void aio_op_init(struct aio_op *op, struct siphon_client *c,
		 void (*step)(struct aio_op *op),
		 void (*release)(struct aio_op *op))
{
	op->c = c;
	op->step = step;
	op->release = release;
	op->cb = NULL;
	op->cb_arg = NULL;
	op->sync = NULL;
	op->result = 0;
	op->deadline_ms = 0;
	pthread_mutex_init(&op->lock, NULL);
	op->running = op->again = op->finished = false;
	op->wait_ino = 0;
	op->want = 0;
	op->next = NULL;
	op->then = NULL;
}

static void count_in(struct aio_ctx *a)
{
	pthread_mutex_lock(&a->lock);
	a->inflight++;
	pthread_mutex_unlock(&a->lock);
}

/* A finished operation leaves the count (under a->lock). */
static void count_out_locked(struct aio_ctx *a)
{
	if (!--a->inflight)
		pthread_cond_broadcast(&a->cond);
}

void aio_op_start(struct aio_op *op,
		  void (*cb)(struct siphon_client *c, int64_t result, void *arg),
		  void *arg)
{
	op->cb = cb;
	op->cb_arg = arg;
	count_in(op->c->aio);
	aio_kick(op);
}

int64_t aio_op_run(struct aio_op *op)
{
	struct aio_sync s = { .thread = pthread_self() };
	int64_t r;

	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	op->sync = &s;
	count_in(op->c->aio);
	aio_kick(op);
	pthread_mutex_lock(&s.lock);
	while (!s.done) {
		if (s.kicked) {
			/* what it waited for came: go on, here */
			s.kicked = false;
			pthread_mutex_unlock(&s.lock);
			aio_kick(op);
			pthread_mutex_lock(&s.lock);
			continue;
		}
		pthread_cond_wait(&s.cond, &s.lock);
	}
	pthread_mutex_unlock(&s.lock);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.cond);
	r = op->result;
	return r;
}

static void deliver(struct aio_op *op)
{
	struct siphon_client *c = op->c;
	struct aio_ctx *a = c->aio;
	int efd;

	if (op->sync) {
		struct aio_sync *s = op->sync;

		pthread_mutex_lock(&a->lock);
		count_out_locked(a);
		pthread_mutex_unlock(&a->lock);
		/* the waiter owns op from here on */
		pthread_mutex_lock(&s->lock);
		s->done = true;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	pthread_mutex_lock(&a->lock);
	op->next = NULL;
	if (a->done_tail)
		a->done_tail->next = op;
	else
		a->done_head = op;
	a->done_tail = op;
	count_out_locked(a);
	efd = a->efd;
	if (efd < 0)
		loop_queue_work(messenger_loop(c->msgr), &a->run_work);
	pthread_mutex_unlock(&a->lock);
	if (efd >= 0) {
		uint64_t one = 1;

		if (write(efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			dout(LOG_CLIENT, 0, "aio: eventfd write: %s",
			     strerror(errno));
	}
}

void aio_kick(struct aio_op *op)
{
	struct aio_op *then;
	bool finished;

	pthread_mutex_lock(&op->lock);
	if (op->finished && !op->running) {
		/* a late kick of an operation already over: nothing to do
		 * (it is being delivered; it must not step again) */
		pthread_mutex_unlock(&op->lock);
		return;
	}
	if (op->running) {
		op->again = true;
		pthread_mutex_unlock(&op->lock);
		return;
	}
	if (op->sync && !pthread_equal(op->sync->thread, pthread_self())) {
		/* its blocking caller runs the step */
		struct aio_sync *s = op->sync;

		pthread_mutex_unlock(&op->lock);
		pthread_mutex_lock(&s->lock);
		s->kicked = true;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	op->running = true;
	do {
		op->again = false;
		pthread_mutex_unlock(&op->lock);
		op->step(op);
		pthread_mutex_lock(&op->lock);
	} while (op->again && !op->finished);
	op->running = false;
	finished = op->finished;
	then = finished ? op->then : NULL;
	pthread_mutex_unlock(&op->lock);
	if (finished) {
		deliver(op);	/* op may be gone from here on */
		if (then)
			aio_kick(then);
	}
}

void aio_finish(struct aio_op *op, int64_t result)
{
	pthread_mutex_lock(&op->lock);
	op->result = result;
	op->finished = true;
	pthread_mutex_unlock(&op->lock);
}

/* ---- the completion queue ---- */

/* Runs the queued callbacks on this thread; returns how many ran. */
static int run_queue(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;
	struct aio_op *list;
	int n = 0;

	pthread_mutex_lock(&a->lock);
	list = a->done_head;
	a->done_head = a->done_tail = NULL;
	pthread_mutex_unlock(&a->lock);
	while (list) {
		struct aio_op *op = list;

		list = op->next;
		if (op->cb)
			op->cb(c, op->result, op->cb_arg);
		op->release(op);
		n++;
	}
	return n;
}

static void run_queue_on_loop(void *arg)
{
	struct siphon_client *c = arg;
	struct aio_ctx *a = c->aio;
	int efd;

	pthread_mutex_lock(&a->lock);
	efd = a->efd;
	pthread_mutex_unlock(&a->lock);
	if (efd < 0) {
		run_queue(c);
	} else {
		/* the program took over while this was queued */
		uint64_t one = 1;

		if (write(efd, &one, sizeof(one)) < 0)
			dout(LOG_CLIENT, 1, "aio: eventfd write: %s",
			     strerror(errno));
	}
}

SIPHON_API int siphon_event_fd(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;
	int fd;

	pthread_mutex_lock(&a->lock);
	if (a->efd < 0) {
		a->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (a->efd < 0) {
			int r = -errno;

			pthread_mutex_unlock(&a->lock);
			return client_fail(c, r, "eventfd: %s", strerror(-r));
		}
		if (a->done_head) {
			uint64_t one = 1;

			if (write(a->efd, &one, sizeof(one)) < 0)
				dout(LOG_CLIENT, 1, "aio: eventfd write: %s",
				     strerror(errno));
		}
	}
	fd = a->efd;
	pthread_mutex_unlock(&a->lock);
	return fd;
}

SIPHON_API int siphon_service(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;
	uint64_t v;
	int efd;

	pthread_mutex_lock(&a->lock);
	efd = a->efd;
	pthread_mutex_unlock(&a->lock);
	if (efd < 0)
		return client_fail(c, -EINVAL,
				   "siphon_service: no siphon_event_fd()");
	/* reset first: a completion after this makes it readable again */
	if (read(efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return client_fail(c, -errno, "eventfd read: %s", strerror(errno));
	return run_queue(c);
}

void aio_drain(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;

	pthread_mutex_lock(&a->lock);
	while (a->inflight)
		pthread_cond_wait(&a->cond, &a->lock);
	pthread_mutex_unlock(&a->lock);
	/* callbacks on the loop: those queued so far have run after this */
	if (a->efd < 0)
		loop_run_sync(messenger_loop(c->msgr), run_queue_on_loop, c);
}

static void stop_on_loop(void *arg)
{
	struct siphon_client *c = arg;
	struct aio_ctx *a = c->aio;

	pthread_mutex_lock(&a->lock);
	a->stopping = true;
	a->retry_armed = false;
	loop_timer_cancel(messenger_loop(c->msgr), &a->retry);
	pthread_mutex_unlock(&a->lock);
}

void aio_stop(struct siphon_client *c)
{
	loop_run_sync(messenger_loop(c->msgr), stop_on_loop, c);
}

/* ---- parking ---- */

static void kick_list(struct aio_op *list)
{
	while (list) {
		struct aio_op *op = list;

		list = op->next;
		op->next = NULL;
		aio_kick(op);
	}
}

int aio_try_or_park(struct aio_op *op, uint64_t ino,
		    int (*try)(struct aio_op *op, void *arg), void *arg)
{
	struct aio_ctx *a = op->c->aio;

	for (;;) {
		unsigned seq = __atomic_load_n(&a->wake_seq, __ATOMIC_ACQUIRE);
		int r = try(op, arg);

		if (r != -ETIMEDOUT) {
			op->deadline_ms = 0;	/* the next wait has its own */
			return r;
		}
		if (!op->deadline_ms) {
			op->deadline_ms = loop_now_ms() + a->request_ms;
		} else if (loop_now_ms() >= op->deadline_ms) {
			dout(LOG_CLIENT, 1, "ino %llx: gave up waiting after %u ms",
			     (unsigned long long)ino, a->request_ms);
			return -ETIMEDOUT;
		}
		pthread_mutex_lock(&a->lock);
		if (a->wake_seq != seq) {
			/* something changed since the try: try again */
			pthread_mutex_unlock(&a->lock);
			continue;
		}
		if (a->stopping) {
			pthread_mutex_unlock(&a->lock);
			return -ESHUTDOWN;
		}
		op->wait_ino = ino;
		op->next = a->parked;
		a->parked = op;
		if (!a->retry_armed) {
			a->retry_armed = true;
			loop_timer_arm(messenger_loop(op->c->msgr), &a->retry,
				       RETRY_MS);
		}
		pthread_mutex_unlock(&a->lock);
		return -EINPROGRESS;
	}
}

struct caps_want {
	uint64_t ino, endoff;
	uint32_t need;
	struct mdsc_io_state *io;
};

static int try_caps(struct aio_op *op, void *arg)
{
	struct caps_want *w = arg;

	return mdsc_file_get_caps(op->c->mdsc, w->ino, w->need, w->endoff, 0,
				  w->io);
}

int aio_get_caps(struct aio_op *op, uint64_t ino, uint32_t need,
		 uint64_t endoff, struct mdsc_io_state *io)
{
	struct caps_want w = { ino, endoff, need, io };

	return aio_try_or_park(op, ino, try_caps, &w);
}

/* Takes the parked operations of ino (all with ino 0). */
static struct aio_op *unpark_locked(struct aio_ctx *a, uint64_t ino)
{
	struct aio_op *out = NULL;

	a->wake_seq++;
	for (struct aio_op **pp = &a->parked; *pp;) {
		struct aio_op *op = *pp;

		if (ino && op->wait_ino != ino) {
			pp = &op->next;
			continue;
		}
		*pp = op->next;
		op->next = out;
		out = op;
	}
	return out;
}

void aio_wake_ino(struct siphon_client *c, uint64_t ino)
{
	struct aio_ctx *a = c->aio;
	struct aio_op *list;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	list = unpark_locked(a, ino);
	pthread_mutex_unlock(&a->lock);
	kick_list(list);
}

static void retry_parked(void *arg)
{
	struct siphon_client *c = arg;
	struct aio_ctx *a = c->aio;
	struct aio_op *list;

	pthread_mutex_lock(&a->lock);
	a->retry_armed = false;
	list = unpark_locked(a, 0);
	pthread_mutex_unlock(&a->lock);
	kick_list(list);
}

/* ---- statistics ---- */

#define LOAD(f) __atomic_load_n(&a->n.f, __ATOMIC_RELAXED)

SIPHON_API void siphon_get_io_stats(struct siphon_client *c,
				    struct siphon_io_stats *st)
{
	struct aio_ctx *a = c->aio;

	memset(st, 0, sizeof(*st));
	st->osd_reads = LOAD(osd_reads);
	st->osd_writes = LOAD(osd_writes);
	st->read_calls = LOAD(read_calls);
	st->write_calls = LOAD(write_calls);
	st->readahead_ops = LOAD(ra_ops);
	st->readahead_bytes = LOAD(ra_bytes);
	st->readahead_hit_bytes = LOAD(ra_hit_bytes);
	st->readahead_dropped_bytes = LOAD(ra_dropped_bytes);
	st->write_waits = LOAD(wb_waits);
	pthread_mutex_lock(&a->lock);
	st->cache_bytes = __atomic_load_n(&a->ra_held, __ATOMIC_RELAXED);
	st->dirty_bytes = __atomic_load_n(&a->wb_dirty, __ATOMIC_RELAXED);
	st->dirty_peak_bytes = __atomic_load_n(&a->wb_dirty_peak,
					       __ATOMIC_RELAXED);
	st->in_flight = a->inflight;
	pthread_mutex_unlock(&a->lock);
}

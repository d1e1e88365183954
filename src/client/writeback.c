/* Write-behind: small and sequential writes return once their bytes are
 * copied, while the OSD writes run in the background, as long as the MDS
 * lets this client buffer (the Fb cap).
 *
 * One `wb` per inode open for writing, shared by its handles. It keeps
 * one pending extent (contiguous bytes not yet sent, never crossing a
 * stripe unit, so one OSD op each) and counts the extents in flight. The
 * pending extent holds a use of the Fw cap from the MDS client, which
 * passes to its OSD write when it is sent and ends when that completes:
 * so a revoke of Fw/Fb is answered only after the data is on the OSDs.
 * The MDS client asks for the pending extent to be sent at once when such
 * a revoke waits (wb_kick), and a timer sends extents idle for a second.
 *
 * Memory: the bytes buffered by all inodes (pending and in flight) stay
 * under client_oc_max_dirty. A write that would go past it sends every
 * pending extent and waits, parked, until completions make room; at most
 * WB_MAX_INFLIGHT extents per inode are in flight.
 *
 * Reads, synchronous writes, truncation, fsync and close first send what
 * is pending and wait for what is in flight; an error of a background
 * write is reported by the next call on the file. Writers do not block
 * here: the asynchronous write (file.c) parks its operation on the wb (or
 * on the client's room list) and is kicked when an extent completes.
 *
 * Locks: wb->lock is a leaf lock: never held while waiting for the MDS,
 * submitting to the OSD client (a submission can complete at once, on
 * this thread) or kicking an operation. c->wblock (the list of wbs) is
 * taken before a wb's lock; c->aio->lock (the room list) alone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aio.h"
#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "osd/osdc.h"
#include "osd/striper.h"
#include "readahead.h"
#include "writeback.h"

#define WB_MAX_INFLIGHT 16		/* extents in flight per inode */
#define WB_IDLE_MS 1000			/* a pending extent this old goes */
#define WB_TICK_MS 250

struct wb {
	uint64_t ino;
	unsigned refs;			/* handles (under c->wblock) */
	struct wb *next;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint8_t *buf;			/* the pending extent, or NULL */
	uint64_t off, len, cap;
	struct mdsc_io_state io;	/* caps state it was started under */
	uint64_t started_ms;
	unsigned inflight;
	int err;			/* first background failure */
	struct aio_op *waiters;		/* kicked when an extent completes */
};

/* One extent on its way: its OSD requests share the buffer. */
struct flight {
	struct siphon_client *c;
	struct wb *wb;
	uint8_t *buf;
	uint64_t len;
	pthread_mutex_t lock;
	unsigned pending;
	int err;
	uint32_t n;
	struct osdc_req reqs[];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void dirty_sub(struct siphon_client *c, uint64_t n)
{
	__atomic_sub_fetch(&c->aio->wb_dirty, n, __ATOMIC_RELAXED);
}

/* Kicks every operation of a list taken out of its owner. */
static void kick_all(struct aio_op *list)
{
	while (list) {
		struct aio_op *op = list;

		list = op->next;
		op->next = NULL;
		aio_kick(op);
	}
}

/* Room may have freed: the writes waiting for it look again, oldest
 * first, as many as the room left would take (not every waiter for
 * every completion: with many writes parked that is a storm of retries).
 * The first always goes, so a waiter is never left behind with room
 * free. */
static void wake_room(struct siphon_client *c)
{
	struct aio_ctx *a = c->aio;
	uint64_t d = __atomic_load_n(&a->wb_dirty, __ATOMIC_RELAXED);
	uint64_t room = d < a->oc_max_dirty ? a->oc_max_dirty - d : 0;
	struct aio_op *list = NULL, **tail = &list;

	pthread_mutex_lock(&a->lock);
	while (a->wb_room) {
		struct aio_op *op = a->wb_room;

		if (list && op->want > room)
			break;
		room = op->want < room ? room - op->want : 0;
		a->wb_room = op->next;
		op->next = NULL;
		*tail = op;
		tail = &op->next;
	}
	if (!a->wb_room)
		a->wb_room_tail = NULL;
	pthread_mutex_unlock(&a->lock);
	kick_all(list);
}

/* An extent ended (sent, or failed to start): wb->lock held. Returns the
 * waiters to kick once the lock is dropped. */
static struct aio_op *extent_done_locked(struct wb *wb, int err)
{
	struct aio_op *list = wb->waiters;

	if (err && !wb->err)
		wb->err = err;
	wb->inflight--;
	wb->waiters = NULL;
	pthread_cond_broadcast(&wb->cond);
	return list;
}

/* ---- sending ---- */

/* Runs on the loop thread (or the submitter's, for an immediate
 * failure): the last request of an extent ends its cap use. */
static void flight_done(struct osdc_req *q, void *arg)
{
	struct flight *fl = arg;
	struct siphon_client *c = fl->c;
	struct wb *wb = fl->wb;
	struct aio_op *list;
	bool last;

	pthread_mutex_lock(&fl->lock);
	if (q->result && !fl->err)
		fl->err = q->result;
	last = --fl->pending == 0;
	pthread_mutex_unlock(&fl->lock);
	if (!last)
		return;
	if (fl->err)
		dout(LOG_CLIENT, 0, "background write of %llx: %s",
		     (unsigned long long)wb->ino, strerror(-fl->err));
	/* not "wrote": mdsc_file_extend() counted the bytes (size, mtime)
	 * when they were buffered; stamping the mtime again now would undo
	 * a utimes that came in between (tar sets times after writing) */
	mdsc_file_put_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
	/* a read-ahead that raced the write would hold old bytes */
	ra_invalidate_ino(c, wb->ino);
	dirty_sub(c, fl->len);
	pthread_mutex_lock(&wb->lock);
	list = extent_done_locked(wb, fl->err);
	pthread_mutex_unlock(&wb->lock);
	pthread_mutex_destroy(&fl->lock);
	free(fl->buf);
	free(fl);
	kick_all(list);
	wake_room(c);
}

/* A pending extent taken out of its wb (inflight already counted). */
struct detached {
	uint8_t *buf;
	uint64_t off, len;
	struct mdsc_io_state io;
};

static void detach_locked(struct wb *wb, struct detached *d)
{
	d->buf = wb->buf;
	d->off = wb->off;
	d->len = wb->len;
	d->io = wb->io;
	wb->buf = NULL;
	wb->len = 0;
	if (d->buf)
		wb->inflight++;
}

/* Sends a detached extent; on a failure to even start, the cap use ends
 * and the error waits for the next call. Never with wb->lock held. */
static void submit(struct siphon_client *c, struct wb *wb, struct detached *d)
{
	struct stripe_layout l = { d->io.stripe_unit, d->io.stripe_count,
				   d->io.object_size };
	struct stripe_map m;
	struct flight *fl = NULL;
	struct timespec now;
	struct aio_op *list;
	uint64_t covered;
	int r;

	if (!d->buf)
		return;
	r = stripe_map_range(&l, d->off, d->len, UINT32_MAX, &m, &covered);
	if (!r && (m.num_pieces != m.num_ext || covered != d->len)) {
		stripe_map_release(&m);
		r = -EINVAL;	/* extents never span stripe units */
	}
	if (!r && !(fl = calloc(1, sizeof(*fl) + m.num_ext * sizeof(fl->reqs[0])))) {
		stripe_map_release(&m);
		r = -ENOMEM;
	}
	if (r) {
		/* it could not even start: the use ends, the error waits */
		free(d->buf);
		mdsc_file_put_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
		dirty_sub(c, d->len);
		pthread_mutex_lock(&wb->lock);
		list = extent_done_locked(wb, r);
		pthread_mutex_unlock(&wb->lock);
		kick_all(list);
		wake_room(c);
		return;
	}
	fl->c = c;
	fl->wb = wb;
	fl->buf = d->buf;
	fl->len = d->len;
	fl->n = m.num_ext;
	fl->pending = m.num_ext;
	pthread_mutex_init(&fl->lock, NULL);
	clock_gettime(CLOCK_REALTIME, &now);
	for (uint32_t i = 0; i < m.num_ext; i++) {
		const struct stripe_extent *e = &m.ext[i];
		struct osdc_req *q = &fl->reqs[i];

		q->pool = d->io.pool;
		snprintf(q->nspace, sizeof(q->nspace), "%s", d->io.pool_ns);
		stripe_object_name(wb->ino, e->objno, q->oid, sizeof(q->oid));
		q->ops[0].op = CEPH_OSD_OP_WRITE;
		q->ops[0].offset = e->off;
		q->ops[0].length = e->len;
		q->ops[0].truncate_seq = d->io.truncate_seq;
		q->ops[0].truncate_size = stripe_object_truncate_size(
			&l, e->objno, d->io.truncate_size);
		q->ops[0].indata = d->buf + m.pieces[e->first_piece].buf_off;
		q->ops[0].indata_len = (uint32_t)e->len;
		q->num_ops = 1;
		q->write = true;
		q->mtime.sec = (uint32_t)now.tv_sec;
		q->mtime.nsec = (uint32_t)now.tv_nsec;
		/* bounded as every OSD op of ours: a write that never
		 * completes fails, and the next call on the file says so */
		q->timeout_ms = c->aio->osd_op_ms;
		q->cb = flight_done;
		q->cb_arg = fl;
	}
	stripe_map_release(&m);
	aio_count(c, osd_writes, fl->n);
	/* fl may be gone once the last request completes: count first */
	for (uint32_t i = 0, n = fl->n; i < n; i++)
		osdc_submit(c->osdc, &fl->reqs[i]);
}

/* ---- the table of wbs ---- */

struct wb *wb_get(struct siphon_client *c, uint64_t ino)
{
	struct wb *wb;

	pthread_mutex_lock(&c->wblock);
	for (wb = c->wbs; wb; wb = wb->next)
		if (wb->ino == ino)
			break;
	if (!wb && (wb = calloc(1, sizeof(*wb)))) {
		wb->ino = ino;
		pthread_mutex_init(&wb->lock, NULL);
		pthread_cond_init(&wb->cond, NULL);
		wb->next = c->wbs;
		c->wbs = wb;
	}
	if (wb)
		wb->refs++;
	pthread_mutex_unlock(&c->wblock);
	return wb;
}

struct wb *wb_find(struct siphon_client *c, uint64_t ino)
{
	struct wb *wb;

	pthread_mutex_lock(&c->wblock);
	for (wb = c->wbs; wb && wb->ino != ino; wb = wb->next)
		;
	if (wb)
		wb->refs++;
	pthread_mutex_unlock(&c->wblock);
	return wb;
}

void wb_put(struct siphon_client *c, struct wb *wb)
{
	struct wb **pp;

	if (!wb)
		return;
	pthread_mutex_lock(&c->wblock);
	if (--wb->refs) {
		pthread_mutex_unlock(&c->wblock);
		return;
	}
	for (pp = &c->wbs; *pp && *pp != wb; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = wb->next;
	pthread_mutex_unlock(&c->wblock);
	/* the last handle flushed it; anything still flying is waited for */
	pthread_mutex_lock(&wb->lock);
	while (wb->inflight)
		pthread_cond_wait(&wb->cond, &wb->lock);
	pthread_mutex_unlock(&wb->lock);
	if (wb->buf) {
		/* a pending extent nobody flushed (a failed close): its use */
		mdsc_file_put_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
		dirty_sub(c, wb->len);
	}
	free(wb->buf);
	pthread_mutex_destroy(&wb->lock);
	pthread_cond_destroy(&wb->cond);
	free(wb);
}

/* ---- the calls of asynchronous writes ---- */

void wb_keep_error(struct wb *wb, int err)
{
	pthread_mutex_lock(&wb->lock);
	if (!wb->err)
		wb->err = err;
	pthread_mutex_unlock(&wb->lock);
}

int wb_take_error(struct wb *wb)
{
	int r;

	if (!wb)
		return 0;
	pthread_mutex_lock(&wb->lock);
	r = wb->err;
	wb->err = 0;
	pthread_mutex_unlock(&wb->lock);
	return r;
}

/* Might len more bytes be buffered now? (A hint for parking; the
 * reservation below is what keeps the bound.) */
static bool dirty_room(struct siphon_client *c, uint64_t len)
{
	uint64_t d = __atomic_load_n(&c->aio->wb_dirty, __ATOMIC_RELAXED);

	return d + len <= c->aio->oc_max_dirty;
}

/* Counts len more bytes buffered if that keeps the total within
 * client_oc_max_dirty; false when it would not. Atomic, so writers of
 * different inodes never pass the bound together. */
static bool dirty_reserve(struct siphon_client *c, uint64_t len)
{
	struct aio_ctx *a = c->aio;
	uint64_t d = __atomic_load_n(&a->wb_dirty, __ATOMIC_RELAXED);
	uint64_t peak;

	do {
		if (d + len > a->oc_max_dirty)
			return false;
	} while (!__atomic_compare_exchange_n(&a->wb_dirty, &d, d + len, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	peak = __atomic_load_n(&a->wb_dirty_peak, __ATOMIC_RELAXED);
	while (d + len > peak &&
	       !__atomic_compare_exchange_n(&a->wb_dirty_peak, &peak, d + len,
					    true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	return true;
}

int wb_append(struct siphon_client *c, struct wb *wb, const void *data,
	      size_t len, uint64_t off)
{
	struct detached d = { 0 };
	int r;

	if (!wb || !len)
		return 0;
	pthread_mutex_lock(&wb->lock);
	if (wb->err) {
		r = wb->err;
		wb->err = 0;
		pthread_mutex_unlock(&wb->lock);
		return r;
	}
	if (!wb->buf || off != wb->off + wb->len || len > wb->cap - wb->len ||
	    off + len > wb->io.max_size || !dirty_reserve(c, len)) {
		pthread_mutex_unlock(&wb->lock);
		return 0;
	}
	memcpy(wb->buf + wb->len, data, len);
	wb->len += len;
	if (wb->len == wb->cap)
		detach_locked(wb, &d);	/* a full stripe unit: go */
	pthread_mutex_unlock(&wb->lock);
	mdsc_file_extend(c->mdsc, wb->ino, off + len);
	submit(c, wb, &d);
	return 1;
}

/* Sends the pending extent of every inode (the bound is reached). */
static void wb_kick_all(struct siphon_client *c);

int wb_begin(struct siphon_client *c, struct wb *wb,
	     const struct mdsc_io_state *io, const void *data, size_t len,
	     uint64_t off, struct aio_op *op)
{
	struct aio_ctx *a = c->aio;
	struct detached old = { 0 }, full = { 0 };
	uint64_t room;

	room = io->stripe_unit ? io->stripe_unit - off % io->stripe_unit : 0;
	if (!(io->issued & CEPH_CAP_FILE_BUFFER) || len > room || !a->oc)
		return 0;	/* the MDS wants our writes on the OSDs now */
	if (len > a->oc_max_dirty)
		return 0;	/* larger than the bound: straight to the OSDs */
	pthread_mutex_lock(&wb->lock);
	detach_locked(wb, &old);	/* what was pending goes first */
	if (wb->inflight >= WB_MAX_INFLIGHT) {
		/* wait for one of this inode's extents to complete (parked
		 * before the submit, which may complete at once) */
		op->next = wb->waiters;
		wb->waiters = op;
		pthread_mutex_unlock(&wb->lock);
		aio_count(c, wb_waits, 1);
		submit(c, wb, &old);
		return -EINPROGRESS;
	}
	if (!dirty_reserve(c, len)) {
		/* memory pressure: wait for any extent to complete, and
		 * send everything pending so that some do */
		pthread_mutex_unlock(&wb->lock);
		pthread_mutex_lock(&a->lock);
		op->want = len;
		op->next = NULL;
		if (a->wb_room_tail)
			a->wb_room_tail->next = op;
		else
			a->wb_room = op;
		a->wb_room_tail = op;
		pthread_mutex_unlock(&a->lock);
		aio_count(c, wb_waits, 1);
		submit(c, wb, &old);
		wb_kick_all(c);
		if (dirty_room(c, len))
			wake_room(c);	/* room came before we parked */
		return -EINPROGRESS;
	}
	wb->buf = malloc(room);
	if (!wb->buf) {
		pthread_mutex_unlock(&wb->lock);
		dirty_sub(c, len);
		submit(c, wb, &old);
		return 0;
	}
	memcpy(wb->buf, data, len);
	wb->off = off;
	wb->len = len;
	wb->cap = room;
	wb->io = *io;
	wb->started_ms = now_ms();
	if (wb->len == wb->cap)
		detach_locked(wb, &full);	/* a whole stripe unit: go */
	pthread_mutex_unlock(&wb->lock);
	mdsc_file_extend(c->mdsc, wb->ino, off + len);
	submit(c, wb, &old);
	submit(c, wb, &full);
	return 1;
}

int wb_idle_or_park(struct siphon_client *c, struct wb *wb, struct aio_op *op)
{
	struct detached d;

	if (!wb)
		return 0;
	pthread_mutex_lock(&wb->lock);
	detach_locked(wb, &d);
	if (!wb->inflight) {
		pthread_mutex_unlock(&wb->lock);
		return 0;
	}
	op->next = wb->waiters;
	wb->waiters = op;
	pthread_mutex_unlock(&wb->lock);
	/* it may complete at once and kick op: op is parked already */
	submit(c, wb, &d);
	return -EINPROGRESS;
}

/* ---- blocking calls ---- */

int wb_flush(struct siphon_client *c, struct wb *wb)
{
	struct detached d;
	int r;

	if (!wb)
		return 0;
	pthread_mutex_lock(&wb->lock);
	detach_locked(wb, &d);
	pthread_mutex_unlock(&wb->lock);
	submit(c, wb, &d);
	pthread_mutex_lock(&wb->lock);
	while (wb->inflight)
		pthread_cond_wait(&wb->cond, &wb->lock);
	r = wb->err;
	wb->err = 0;
	pthread_mutex_unlock(&wb->lock);
	return r;
}

bool wb_idle(struct wb *wb)
{
	bool idle;

	if (!wb)
		return true;
	pthread_mutex_lock(&wb->lock);
	idle = !wb->buf && !wb->inflight;
	pthread_mutex_unlock(&wb->lock);
	return idle;
}

/* Sends the pending extent of ino (0: of every inode; with older, only
 * extents at least that old). From the loop thread: must not block.
 * c->wblock keeps each wb from being freed while its extent is
 * detached; once detached, the extent counts as in flight, which keeps
 * the wb (wb_put waits for it), so the sends happen after c->wblock is
 * dropped: a send can complete at once on this thread and kick
 * operations whose steps take c->wblock. */
static void wb_kick_ino(struct siphon_client *c, uint64_t ino, uint64_t older)
{
	struct kicked {
		struct wb *wb;
		struct detached d;
	} *v = NULL;
	size_t n = 0, cap = 0;

	pthread_mutex_lock(&c->wblock);
	for (struct wb *wb = c->wbs; wb; wb = wb->next) {
		struct detached d = { 0 };

		if (ino && wb->ino != ino)
			continue;
		pthread_mutex_lock(&wb->lock);
		if (wb->buf && (!older || now_ms() - wb->started_ms >= older)) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct kicked *nv = realloc(v, ncap * sizeof(*v));

				if (!nv) {	/* left for the next tick */
					pthread_mutex_unlock(&wb->lock);
					break;
				}
				v = nv;
				cap = ncap;
			}
			detach_locked(wb, &d);
			v[n].wb = wb;
			v[n].d = d;
			n++;
		}
		pthread_mutex_unlock(&wb->lock);
	}
	pthread_mutex_unlock(&c->wblock);
	for (size_t i = 0; i < n; i++)
		submit(c, v[i].wb, &v[i].d);
	free(v);
}

static void wb_kick_all(struct siphon_client *c)
{
	wb_kick_ino(c, 0, 0);
}

int wb_sync_ino(struct siphon_client *c, uint64_t ino)
{
	struct wb *wb = wb_find(c, ino);
	int r;

	if (!wb)
		return 0;
	r = wb_flush(c, wb);
	wb_put(c, wb);
	return r;
}

int wb_flush_all(struct siphon_client *c)
{
	struct wb *wb;
	int r = 0;

	for (;;) {
		/* one inode at a time: each flush may block */
		pthread_mutex_lock(&c->wblock);
		for (wb = c->wbs; wb && wb_idle(wb); wb = wb->next)
			;
		if (wb)
			wb->refs++;
		pthread_mutex_unlock(&c->wblock);
		if (!wb)
			return r;
		if (!r)
			r = wb_flush(c, wb);
		else
			wb_flush(c, wb);
		wb_put(c, wb);
	}
}

void wb_kick(struct siphon_client *c, uint64_t ino)
{
	wb_kick_ino(c, ino, 0);
}

static void wb_tick(void *arg)
{
	struct siphon_client *c = arg;

	wb_kick_ino(c, 0, WB_IDLE_MS);
	if (!c->wb_stopping)
		loop_timer_arm(messenger_loop(c->msgr), &c->wb_timer, WB_TICK_MS);
}

void wb_start(struct siphon_client *c)
{
	c->wb_stopping = false;
	loop_timer_init(&c->wb_timer, wb_tick, c);
	loop_timer_arm(messenger_loop(c->msgr), &c->wb_timer, WB_TICK_MS);
}

static void wb_stop_on_loop(void *arg)
{
	struct siphon_client *c = arg;

	c->wb_stopping = true;
	loop_timer_cancel(messenger_loop(c->msgr), &c->wb_timer);
}

void wb_stop(struct siphon_client *c)
{
	loop_run_sync(messenger_loop(c->msgr), wb_stop_on_loop, c);
}

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
 * Reads, synchronous writes, truncation, fsync and close first send what
 * is pending and wait for what is in flight; an error of a background
 * write is reported by the next call on the file. wb->lock is a leaf
 * lock: it is never held while waiting for the MDS or submitting to the
 * OSD client (a submission can complete at once, on this thread). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "osd/osdc.h"
#include "osd/striper.h"
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
};

/* One extent on its way: its OSD requests share the buffer. */
struct flight {
	struct siphon_client *c;
	struct wb *wb;
	uint8_t *buf;
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

/* ---- sending ---- */

/* Runs on the loop thread (or the submitter's, for an immediate
 * failure): the last request of an extent ends its cap use. */
static void flight_done(struct osdc_req *q, void *arg)
{
	struct flight *fl = arg;
	struct wb *wb = fl->wb;
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
	mdsc_file_put_caps(fl->c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
	pthread_mutex_lock(&wb->lock);
	if (fl->err && !wb->err)
		wb->err = fl->err;
	wb->inflight--;
	pthread_cond_broadcast(&wb->cond);
	pthread_mutex_unlock(&wb->lock);
	pthread_mutex_destroy(&fl->lock);
	free(fl->buf);
	free(fl);
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
		pthread_mutex_lock(&wb->lock);
		if (!wb->err)
			wb->err = r;
		wb->inflight--;
		pthread_cond_broadcast(&wb->cond);
		pthread_mutex_unlock(&wb->lock);
		return;
	}
	fl->c = c;
	fl->wb = wb;
	fl->buf = d->buf;
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
		q->ops[0].truncate_size = d->io.truncate_size;
		q->ops[0].indata = d->buf + m.pieces[e->first_piece].buf_off;
		q->ops[0].indata_len = (uint32_t)e->len;
		q->num_ops = 1;
		q->write = true;
		q->mtime.sec = (uint32_t)now.tv_sec;
		q->mtime.nsec = (uint32_t)now.tv_nsec;
		q->cb = flight_done;
		q->cb_arg = fl;
	}
	stripe_map_release(&m);
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
	free(wb->buf);
	pthread_mutex_destroy(&wb->lock);
	pthread_cond_destroy(&wb->cond);
	free(wb);
}

/* ---- the calls ---- */

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

int wb_write(struct siphon_client *c, struct wb *wb, const void *data,
	     size_t len, uint64_t off)
{
	struct mdsc_io_state io;
	struct detached d = { 0 };
	uint64_t room;
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
	if (wb->buf && off == wb->off + wb->len &&
	    len <= wb->cap - wb->len && off + len <= wb->io.max_size) {
		memcpy(wb->buf + wb->len, data, len);
		wb->len += len;
		if (wb->len == wb->cap)
			detach_locked(wb, &d);	/* a full stripe unit: go */
		pthread_mutex_unlock(&wb->lock);
		mdsc_file_extend(c->mdsc, wb->ino, off + len);
		submit(c, wb, &d);
		return 1;
	}
	detach_locked(wb, &d);
	pthread_mutex_unlock(&wb->lock);
	submit(c, wb, &d);

	/* a new extent: the caps first, with no lock held */
	r = mdsc_file_get_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, off + len,
			       fs_request_timeout_ms(c), &io);
	if (r)
		return r;
	room = io.stripe_unit ? io.stripe_unit - off % io.stripe_unit : 0;
	if (!(io.issued & CEPH_CAP_FILE_BUFFER) || len > room) {
		/* the MDS wants our writes on the OSDs now, or this write
		 * crosses a stripe unit: the synchronous path takes it */
		mdsc_file_put_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
		return 0;
	}
	pthread_mutex_lock(&wb->lock);
	while (wb->inflight >= WB_MAX_INFLIGHT)
		pthread_cond_wait(&wb->cond, &wb->lock);
	if (wb->buf || !(wb->buf = malloc(room))) {
		/* another writer started one meanwhile, or no memory */
		pthread_mutex_unlock(&wb->lock);
		mdsc_file_put_caps(c->mdsc, wb->ino, CEPH_CAP_FILE_WR, false, 0);
		return 0;
	}
	memcpy(wb->buf, data, len);
	wb->off = off;
	wb->len = len;
	wb->cap = room;
	wb->io = io;
	wb->started_ms = now_ms();
	d = (struct detached){ 0 };
	if (wb->len == wb->cap)
		detach_locked(wb, &d);
	pthread_mutex_unlock(&wb->lock);
	mdsc_file_extend(c->mdsc, wb->ino, off + len);
	submit(c, wb, &d);
	return 1;
}

/* Sends the pending extent of ino (0: of every inode; with older, only
 * extents at least that old). From the loop thread: must not block.
 * c->wblock keeps each wb from being freed meanwhile. */
static void wb_kick_ino(struct siphon_client *c, uint64_t ino, uint64_t older)
{
	pthread_mutex_lock(&c->wblock);
	for (struct wb *wb = c->wbs; wb; wb = wb->next) {
		struct detached d = { 0 };

		if (ino && wb->ino != ino)
			continue;
		pthread_mutex_lock(&wb->lock);
		if (wb->buf && (!older || now_ms() - wb->started_ms >= older))
			detach_locked(wb, &d);
		pthread_mutex_unlock(&wb->lock);
		submit(c, wb, &d);
	}
	pthread_mutex_unlock(&c->wblock);
}

int wb_sync_ino(struct siphon_client *c, uint64_t ino)
{
	struct wb *wb;
	int r;

	pthread_mutex_lock(&c->wblock);
	for (wb = c->wbs; wb && wb->ino != ino; wb = wb->next)
		;
	if (wb)
		wb->refs++;
	pthread_mutex_unlock(&c->wblock);
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

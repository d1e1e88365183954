/* Read-ahead: a handle read sequentially gets the next bytes read before
 * it asks, so its reads find them in memory instead of waiting for an OSD
 * round trip each.
 *
 * Each open handle that reads has a ra_file: the end of its last read,
 * a window, and segments: ranges of the file being read, or read, ahead
 * of it, sorted by offset. A read at (or near) where the last one ended
 * is sequential: the window grows (from client_readahead_min, doubling,
 * up to client_readahead_max_periods layout periods and, if set,
 * client_readahead_max_bytes), and when less than half a window is left
 * ahead of the reader, segments are started up to a window past it, cut
 * at period boundaries (so a segment is a few whole objects, read by one
 * striped I/O). A non-sequential read closes the window. Segments the
 * reader has passed are freed.
 *
 * When the cache may be used. Cached bytes are only as good as the Fc
 * cap: the MDS revokes it before another client may write. A segment is
 * started only by a read that holds Fr and saw Fc issued, and its OSD
 * reads hold a use of Fr of their own. The MDS client reports every
 * revoke and truncation (ra_invalidate_ino, as do our own writes): each
 * handle of the inode drops its segments, those still in flight
 * included, and bumps its generation. A read takes the generation before
 * its caps; if an invalidation came since, it neither starts nor uses
 * segments, so nothing read under caps that were revoked meanwhile is
 * kept or served.
 *
 * Memory: the bytes of all segments stay under client_oc_size minus what
 * write-behind holds; a read that finds no room reads without going
 * ahead. client_oc=false turns read-ahead off.
 *
 * Locks: c->aio->ra_lock guards the list of ra_files and is taken before
 * a ra_file's lock; both are leaves below the MDS client's (caps are
 * taken and put with neither held) and never held across a copy of data
 * or a submission. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aio.h"
#include "aio_stripe.h"
#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "readahead.h"

/* Segments are cut at multiples of a layout period, but at most this
 * long (a huge object size would otherwise make one segment huge). */
#define SEG_MAX (8ull << 20)

struct ra_seg {
	struct siphon_client *c;
	struct ra_file *ra;
	uint64_t off, len;
	uint8_t *buf;
	bool ready;			/* the bytes are in */
	bool linked;			/* in ra->segs */
	int err;
	unsigned refs;			/* the list's, the I/O's, copiers' */
	struct aio_op *waiters;		/* reads waiting for the bytes */
	struct ra_seg *next;
	struct ra_seg *to_send;		/* ra_advance's list */
	struct sio sio;
};

struct ra_file {
	struct siphon_client *c;
	uint64_t ino;
	struct ra_file *next;		/* in c->aio->ra_files */

	pthread_mutex_t lock;
	unsigned gen;
	uint64_t next_off;		/* end of the last read */
	uint64_t window;		/* 0: not sequential */
	struct ra_seg *segs;
	unsigned inflight;		/* segments being read */
	struct aio_op *closer;		/* a close waiting for them */
};

struct ra_file *ra_open(struct siphon_client *c, uint64_t ino)
{
	struct aio_ctx *a = c->aio;
	struct ra_file *ra = calloc(1, sizeof(*ra));

	if (!ra)
		return NULL;
	ra->c = c;
	ra->ino = ino;
	pthread_mutex_init(&ra->lock, NULL);
	pthread_mutex_lock(&a->ra_lock);
	ra->next = a->ra_files;
	a->ra_files = ra;
	pthread_mutex_unlock(&a->ra_lock);
	return ra;
}

/* The last reference frees g (ra may be gone by then: close waits for
 * the I/O, not for its final put). */
static void seg_put(struct ra_seg *g)
{
	struct siphon_client *c = g->c;

	if (__atomic_sub_fetch(&g->refs, 1, __ATOMIC_ACQ_REL))
		return;
	__atomic_sub_fetch(&c->aio->ra_held, g->len, __ATOMIC_RELAXED);
	free(g->buf);
	free(g);
}

/* Takes g out of the list (ra->lock held); what it held counts as
 * dropped unless it was read. Returns its waiters, to kick once the lock
 * is dropped. */
static struct aio_op *seg_unlink_locked(struct ra_file *ra, struct ra_seg *g,
					bool consumed)
{
	struct aio_op *w = g->waiters;

	for (struct ra_seg **pp = &ra->segs; *pp; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	g->next = NULL;
	g->linked = false;
	g->waiters = NULL;
	if (!consumed)
		aio_count(ra->c, ra_dropped_bytes, g->len);
	return w;
}

static void kick_list(struct aio_op *w)
{
	while (w) {
		struct aio_op *op = w;

		w = op->next;
		op->next = NULL;
		aio_kick(op);
	}
}

/* Drops every segment (ra->lock held); the waiters come back appended
 * to *kick, the segments to *put. */
static void drop_all_locked(struct ra_file *ra, struct aio_op **kick,
			    struct ra_seg **put)
{
	while (ra->segs) {
		struct ra_seg *g = ra->segs;
		struct aio_op *w = seg_unlink_locked(ra, g, false);

		while (w) {
			struct aio_op *op = w;

			w = op->next;
			op->next = *kick;
			*kick = op;
		}
		g->next = *put;
		*put = g;
	}
}

/* A segment's read ended (ra->lock held): the last one hands a waiting
 * close to *kick, to be kicked once the lock is dropped. */
static void read_ended_locked(struct ra_file *ra, struct aio_op **kick)
{
	if (!--ra->inflight && ra->closer) {
		ra->closer->next = *kick;
		*kick = ra->closer;
		ra->closer = NULL;
	}
}

static void put_list(struct ra_seg *g)
{
	while (g) {
		struct ra_seg *n = g->next;

		g->next = NULL;
		seg_put(g);
		g = n;
	}
}

bool ra_close_or_park(struct ra_file *ra, struct aio_op *op)
{
	struct aio_ctx *a;
	struct aio_op *kick = NULL;
	struct ra_seg *put = NULL;
	bool busy;

	if (!ra)
		return true;
	a = ra->c->aio;
	pthread_mutex_lock(&a->ra_lock);
	for (struct ra_file **pp = &a->ra_files; *pp; pp = &(*pp)->next)
		if (*pp == ra) {
			*pp = ra->next;
			break;
		}
	pthread_mutex_unlock(&a->ra_lock);
	pthread_mutex_lock(&ra->lock);
	drop_all_locked(ra, &kick, &put);
	busy = ra->inflight > 0;
	if (busy)
		ra->closer = op;	/* the last read to end kicks it */
	pthread_mutex_unlock(&ra->lock);
	kick_list(kick);
	put_list(put);
	if (busy)
		return false;
	pthread_mutex_destroy(&ra->lock);
	free(ra);
	return true;
}

unsigned ra_gen(struct ra_file *ra)
{
	unsigned g;

	pthread_mutex_lock(&ra->lock);
	g = ra->gen;
	pthread_mutex_unlock(&ra->lock);
	return g;
}

void ra_invalidate_ino(struct siphon_client *c, uint64_t ino)
{
	struct aio_ctx *a = c->aio;
	struct aio_op *kick = NULL;
	struct ra_seg *put = NULL;

	if (!a)
		return;
	pthread_mutex_lock(&a->ra_lock);
	for (struct ra_file *ra = a->ra_files; ra; ra = ra->next) {
		if (ra->ino != ino)
			continue;
		pthread_mutex_lock(&ra->lock);
		ra->gen++;
		ra->window = 0;
		drop_all_locked(ra, &kick, &put);
		pthread_mutex_unlock(&ra->lock);
	}
	pthread_mutex_unlock(&a->ra_lock);
	kick_list(kick);
	put_list(put);
}

/* ---- reading ahead ---- */

static void seg_done(struct sio *s)
{
	struct ra_seg *g = s->arg;
	struct ra_file *ra = g->ra;
	struct siphon_client *c = ra->c;
	struct aio_op *kick;
	bool unlinked = false;

	mdsc_file_put_caps(c->mdsc, ra->ino, CEPH_CAP_FILE_RD, false, 0);
	pthread_mutex_lock(&ra->lock);
	g->err = s->err;
	g->ready = true;
	kick = g->waiters;
	g->waiters = NULL;
	if (g->err && g->linked) {
		/* readers read it themselves */
		seg_unlink_locked(ra, g, false);
		unlinked = true;
	}
	read_ended_locked(ra, &kick);
	pthread_mutex_unlock(&ra->lock);
	/* ra may be closed from here on */
	kick_list(kick);
	if (unlinked)
		seg_put(g);	/* the list's */
	seg_put(g);		/* the I/O's */
}

/* The largest window for this file's layout, 0 when read-ahead is off. */
static uint64_t window_max(const struct aio_ctx *a,
			   const struct mdsc_io_state *io)
{
	uint64_t period = (uint64_t)io->object_size * io->stripe_count;
	uint64_t m = a->ra_max_periods ? a->ra_max_periods * period : 0;

	if (a->ra_max_bytes && (!m || a->ra_max_bytes < m))
		m = a->ra_max_bytes;
	return a->oc ? m : 0;
}

/* Where a segment starting at off may end at the latest. */
static uint64_t seg_boundary(const struct mdsc_io_state *io, uint64_t off)
{
	uint64_t period = (uint64_t)io->object_size * io->stripe_count;
	uint64_t unit = period;

	while (unit > SEG_MAX && unit % 2 == 0 && unit / 2 >= io->stripe_unit)
		unit /= 2;
	if (!unit)
		unit = SEG_MAX;
	return (off / unit + 1) * unit;
}

/* Reserves len bytes of the cache's bound. */
static bool reserve(struct aio_ctx *a, uint64_t len)
{
	uint64_t held = __atomic_add_fetch(&a->ra_held, len, __ATOMIC_RELAXED);
	uint64_t dirty = __atomic_load_n(&a->wb_dirty, __ATOMIC_RELAXED);

	if (held + dirty <= a->oc_size)
		return true;
	__atomic_sub_fetch(&a->ra_held, len, __ATOMIC_RELAXED);
	return false;
}

void ra_advance(struct ra_file *ra, const struct mdsc_io_state *io,
		unsigned gen, uint64_t off, uint64_t len)
{
	struct siphon_client *c;
	struct aio_ctx *a;
	struct ra_seg *start = NULL, **tail = &start;
	struct aio_op *kick = NULL;
	struct ra_seg *put = NULL;
	uint64_t max, end = off + len, ahead, target, from;
	bool seq;

	if (!ra)
		return;
	c = ra->c;
	a = c->aio;
	max = window_max(a, io);
	pthread_mutex_lock(&ra->lock);
	/* sequential: where the last read ended, or a little before or
	 * after it (readers with several reads in flight) */
	seq = off <= ra->next_off + (ra->window ? ra->window : a->ra_min) &&
	      off + (ra->window ? ra->window : a->ra_min) >= ra->next_off;
	/* A read of a whole layout period or more already keeps every
	 * object of it in flight, straight into the caller's buffer:
	 * reading ahead of it would only add a copy and compete with it
	 * (measured: 4 MiB sequential reads ran at about half the speed). */
	if (!(io->issued & CEPH_CAP_FILE_CACHE) || gen != ra->gen || !max ||
	    !seq || len >= (uint64_t)io->object_size * io->stripe_count) {
		ra->window = 0;
		if (end > ra->next_off || !seq)
			ra->next_off = end;
		pthread_mutex_unlock(&ra->lock);
		return;
	}
	if (end > ra->next_off)
		ra->next_off = end;
	if (!ra->window)
		ra->window = len > a->ra_min ? len : a->ra_min;
	else if (ra->window < max)
		ra->window *= 2;
	if (ra->window > max)
		ra->window = max;
	/* what the reader has passed goes */
	while (ra->segs && ra->segs->ready &&
	       ra->segs->off + ra->segs->len <= off) {
		struct ra_seg *g = ra->segs;
		struct aio_op *w = seg_unlink_locked(ra, g, true);

		(void)w;	/* ready: nobody waits */
		g->next = put;
		put = g;
	}
	/* start reading past what is there once less than half a window
	 * is left ahead */
	from = ra->next_off;
	for (struct ra_seg *g = ra->segs; g; g = g->next)
		if (g->off <= from && g->off + g->len > from)
			from = g->off + g->len;
	ahead = from - ra->next_off;
	target = ra->next_off + ra->window;
	if (target > io->size)
		target = io->size;
	if (ahead * 2 >= ra->window || from >= target) {
		pthread_mutex_unlock(&ra->lock);
		put_list(put);
		return;
	}
	while (from < target) {
		uint64_t stop = seg_boundary(io, from);
		struct ra_seg *g;

		if (stop > target)
			stop = target;
		if (!reserve(a, stop - from))
			break;
		g = calloc(1, sizeof(*g));
		if (g)
			g->buf = malloc(stop - from);
		if (!g || !g->buf) {
			__atomic_sub_fetch(&a->ra_held, stop - from,
					   __ATOMIC_RELAXED);
			free(g);
			break;
		}
		g->c = c;
		g->ra = ra;
		g->off = from;
		g->len = stop - from;
		g->refs = 2;		/* the list's and the I/O's */
		g->linked = true;
		/* sorted: after every segment before it */
		{
			struct ra_seg **pp = &ra->segs;

			while (*pp && (*pp)->off < g->off)
				pp = &(*pp)->next;
			g->next = *pp;
			*pp = g;
		}
		ra->inflight++;
		*tail = g;
		tail = &g->to_send;
		from = stop;
	}
	pthread_mutex_unlock(&ra->lock);
	put_list(put);
	/* each segment's reads hold a use of Fr of their own */
	while (start) {
		struct ra_seg *g = start;
		struct mdsc_io_state sio_io;
		int r;

		start = g->to_send;
		r = mdsc_file_get_caps(c->mdsc, ra->ino, CEPH_CAP_FILE_RD, 0, 0,
				       &sio_io);
		if (r) {
			bool unlinked = false;

			pthread_mutex_lock(&ra->lock);
			g->ready = true;
			g->err = r;
			if (g->linked) {
				struct aio_op *w = seg_unlink_locked(ra, g, false);

				unlinked = true;
				while (w) {
					struct aio_op *op = w;

					w = op->next;
					op->next = kick;
					kick = op;
				}
			}
			read_ended_locked(ra, &kick);
			pthread_mutex_unlock(&ra->lock);
			if (unlinked)
				seg_put(g);	/* the list's */
			seg_put(g);	/* the I/O's */
			continue;
		}
		aio_count(c, ra_bytes, g->len);
		g->sio.c = c;
		g->sio.io = sio_io;
		g->sio.buf = g->buf;
		g->sio.off = g->off;
		g->sio.len = g->len;
		g->sio.write = false;
		g->sio.readahead = true;
		g->sio.done = seg_done;
		g->sio.arg = g;
		sio_start(&g->sio);
	}
	kick_list(kick);
}

int ra_serve(struct ra_file *ra, struct aio_op *op,
	     const struct mdsc_io_state *io, unsigned gen, uint8_t *buf,
	     uint64_t off, uint64_t len, uint64_t *got)
{
	struct siphon_client *c;

	if (!ra || !(io->issued & CEPH_CAP_FILE_CACHE))
		return 0;
	c = ra->c;
	while (*got < len) {
		uint64_t pos = off + *got, n;
		struct ra_seg *g;

		pthread_mutex_lock(&ra->lock);
		if (gen != ra->gen) {
			pthread_mutex_unlock(&ra->lock);
			return 0;
		}
		for (g = ra->segs; g && g->off + g->len <= pos; g = g->next)
			;
		if (!g || g->off > pos || (g->ready && g->err)) {
			pthread_mutex_unlock(&ra->lock);
			return 0;
		}
		if (!g->ready) {
			op->next = g->waiters;
			g->waiters = op;
			pthread_mutex_unlock(&ra->lock);
			return -EINPROGRESS;
		}
		__atomic_add_fetch(&g->refs, 1, __ATOMIC_ACQ_REL);
		pthread_mutex_unlock(&ra->lock);
		n = g->off + g->len - pos;
		if (n > len - *got)
			n = len - *got;
		memcpy(buf + *got, g->buf + (pos - g->off), n);
		*got += n;
		aio_count(c, ra_hit_bytes, n);
		if (pos + n == g->off + g->len) {
			/* read to its end: the reader is past it */
			pthread_mutex_lock(&ra->lock);
			if (g->linked) {
				seg_unlink_locked(ra, g, true);
				pthread_mutex_unlock(&ra->lock);
				seg_put(g);	/* the list's */
			} else {
				pthread_mutex_unlock(&ra->lock);
			}
		}
		seg_put(g);	/* ours */
	}
	return 0;
}

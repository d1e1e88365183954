/* Striped file I/O driven by OSD completions.
 *
 * A range is cut into object extents by the file's layout, a round of at
 * most ROUND_OBJECTS objects at a time (striper.c merges the pieces one
 * object takes into one op). Up to SIO_WINDOW_OBJECTS ops are in flight;
 * each completion sends the next, and the last one ends the range. A read
 * lands in the caller's buffer directly when the object takes one piece
 * of it, else in a bounce buffer dealt out to the pieces on completion.
 *
 * sio_pump() is the only place that sends. A completion that comes while
 * another thread (or this one, inside osdc_submit) is pumping only asks
 * it to look again (`repump`), so ops go out from one place at a time and
 * done() runs once, from whoever pumps last. s->lock is a leaf lock,
 * never held across osdc_submit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aio.h"
#include "aio_stripe.h"
#include "client.h"
#include "common/log.h"
#include "osd/osdc.h"
#include "osd/striper.h"

/* Objects cut (and their ops allocated) per round. */
#define ROUND_OBJECTS 64

struct sio_obj {
	struct osdc_req req;
	struct sio *s;
	struct sio_obj *next;
	uint8_t *bounce;		/* several pieces: the op's buffer */
	uint64_t len;			/* the extent's length */
	uint32_t npieces;
	struct stripe_piece pieces[];	/* buf_off from s->buf */
};

static void obj_done(struct osdc_req *q, void *arg);
static void sio_pump_locked(struct sio *s);

/* Cuts the next round of the range into ops (s->lock held). */
static int map_round_locked(struct sio *s)
{
	struct stripe_layout l = { s->io.stripe_unit, s->io.stripe_count,
				   s->io.object_size };
	unsigned timeout = s->c->aio->osd_op_ms;
	struct stripe_map m;
	uint64_t covered;
	int r;

	r = stripe_map_range(&l, s->off + s->mapped, s->len - s->mapped,
			     ROUND_OBJECTS, &m, &covered);
	if (r)
		return r;
	for (uint32_t i = 0; i < m.num_ext; i++) {
		const struct stripe_extent *e = &m.ext[i];
		struct sio_obj *o = calloc(1, sizeof(*o) +
					   e->num_pieces * sizeof(o->pieces[0]));
		struct osdc_req *q;
		uint8_t *data;

		if (!o) {
			r = -ENOMEM;
			break;
		}
		o->s = s;
		o->len = e->len;
		o->npieces = e->num_pieces;
		for (uint32_t k = 0; k < e->num_pieces; k++) {
			o->pieces[k] = m.pieces[e->first_piece + k];
			o->pieces[k].buf_off += s->mapped;
		}
		data = s->buf + o->pieces[0].buf_off;
		if (e->num_pieces > 1) {
			o->bounce = malloc(e->len);
			if (!o->bounce) {
				free(o);
				r = -ENOMEM;
				break;
			}
			data = o->bounce;
			for (uint32_t k = 0, at = 0; s->write && k < o->npieces; k++) {
				memcpy(data + at, s->buf + o->pieces[k].buf_off,
				       o->pieces[k].len);
				at += (uint32_t)o->pieces[k].len;
			}
		}
		q = &o->req;
		q->pool = s->io.pool;
		snprintf(q->nspace, sizeof(q->nspace), "%s", s->io.pool_ns);
		stripe_object_name(s->io.ino, e->objno, q->oid, sizeof(q->oid));
		q->ops[0].op = s->write ? CEPH_OSD_OP_WRITE : CEPH_OSD_OP_READ;
		q->ops[0].offset = e->off;
		q->ops[0].length = e->len;
		q->ops[0].truncate_seq = s->io.truncate_seq;
		q->ops[0].truncate_size = stripe_object_truncate_size(
			&l, e->objno, s->io.truncate_size);
		q->num_ops = 1;
		q->write = s->write;
		if (s->write) {
			q->ops[0].indata = data;
			q->ops[0].indata_len = (uint32_t)e->len;
			q->mtime.sec = s->mtime_sec;
			q->mtime.nsec = s->mtime_nsec;
		} else {
			q->rbuf = data;
			q->rbuf_len = e->len;
		}
		q->timeout_ms = timeout;
		q->cb = obj_done;
		q->cb_arg = o;
		*s->queue_tail = o;
		s->queue_tail = &o->next;
	}
	if (!r)
		s->mapped += covered;
	stripe_map_release(&m);
	return r;
}

static void obj_free(struct sio_obj *o)
{
	free(o->bounce);
	free(o);
}

/* On the loop thread (or inside osdc_submit for an op that failed at
 * once): what the object did not hold reads as zeros. */
static void obj_done(struct osdc_req *q, void *arg)
{
	struct sio_obj *o = arg;
	struct sio *s = o->s;
	int r = q->result;

	if (r == -ENOENT && !s->write)
		r = 0;		/* no object: a hole */
	if (!r && !s->write) {
		uint64_t got = q->result ? 0 : q->read_len;

		if (o->bounce) {
			memset(o->bounce + got, 0, o->len - got);
			for (uint32_t k = 0, at = 0; k < o->npieces; k++) {
				memcpy(s->buf + o->pieces[k].buf_off,
				       o->bounce + at, o->pieces[k].len);
				at += (uint32_t)o->pieces[k].len;
			}
		} else if (got < o->len) {
			memset(s->buf + o->pieces[0].buf_off + got, 0,
			       o->len - got);
		}
	}
	if (r)
		dout(LOG_CLIENT, 0, "%s %s: %s", s->write ? "write" : "read",
		     q->oid, strerror(-r));
	obj_free(o);
	/* once the count drops, s may end under another pumping thread:
	 * nothing touches s after its lock is dropped here */
	pthread_mutex_lock(&s->lock);
	if (r && !s->err)
		s->err = r;
	s->inflight--;
	sio_pump_locked(s);
}

/* Sends what the window allows; called with s->lock held, returns with
 * it dropped. */
static void sio_pump_locked(struct sio *s)
{
	bool finished = false;

	if (s->pumping) {
		s->repump = true;
		pthread_mutex_unlock(&s->lock);
		return;
	}
	s->pumping = true;
	do {
		s->repump = false;
		while (!s->err && s->inflight < SIO_WINDOW_OBJECTS) {
			struct sio_obj *o;
			int r;

			if (!s->queue && s->mapped < s->len) {
				r = map_round_locked(s);
				if (r && !s->err)
					s->err = r;
			}
			o = s->queue;
			if (!o)
				break;
			s->queue = o->next;
			if (!s->queue)
				s->queue_tail = &s->queue;
			s->inflight++;
			pthread_mutex_unlock(&s->lock);
			if (s->write)
				aio_count(s->c, osd_writes, 1);
			else if (s->readahead)
				aio_count(s->c, ra_ops, 1);
			else
				aio_count(s->c, osd_reads, 1);
			osdc_submit(s->c->osdc, &o->req);
			pthread_mutex_lock(&s->lock);
		}
	} while (s->repump);
	s->pumping = false;
	if (!s->inflight && !s->ended &&
	    (s->err || (!s->queue && s->mapped >= s->len))) {
		s->ended = true;
		finished = true;
		/* ops cut but never sent (after a failure) */
		while (s->queue) {
			struct sio_obj *o = s->queue;

			s->queue = o->next;
			obj_free(o);
		}
		s->queue_tail = &s->queue;
	}
	pthread_mutex_unlock(&s->lock);
	if (finished) {
		pthread_mutex_destroy(&s->lock);
		s->done(s);
	}
}

void sio_start(struct sio *s)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	s->mtime_sec = (uint32_t)now.tv_sec;
	s->mtime_nsec = (uint32_t)now.tv_nsec;
	s->err = 0;
	s->mapped = 0;
	s->queue = NULL;
	s->queue_tail = &s->queue;
	s->inflight = 0;
	s->pumping = s->repump = s->ended = false;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_lock(&s->lock);
	sio_pump_locked(s);
}

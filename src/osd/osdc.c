/* The OSD client (see osdc.h for the rules). */
#include "osdc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "encoding/crc32c.h"
#include "mon/monc.h"
#include "msg/backoff.h"
#include "osd/placement.h"

#define TICK_MS 200
/* Connect attempts that fail (an OSD down but not yet marked down) are
 * retried by the tick after this, doubling; a session that was open
 * reconnects at once. */
#define RECONNECT_MIN_MS 50
#define RECONNECT_MAX_MS 2000
/* Ask an OSD for a keepalive round trip when a request waited this long:
 * a dead peer then shows as a fault rather than silence. */
#define KEEPALIVE_AFTER_MS 5000
#define MAX_BACKOFFS 16

struct osd_backoff_hold {
	struct pg_id pgid;
	uint64_t id;
};

struct osd_session {
	struct osdc *oc;
	int osd;
	struct conn *conn;
	struct entity_addr addr;
	struct osdc_req *reqs;		/* sent on this session, in tid order */
	bool opened;			/* conn reached the open state */
	uint64_t reconnect_at_ms;	/* after a failed attempt */
	struct backoff backoff;
	uint64_t last_keepalive_ms;
	struct osd_backoff_hold holds[MAX_BACKOFFS];	/* PGs the OSD blocked */
	unsigned num_holds;
};

struct osdc {
	struct messenger *msgr;
	struct loop *loop;
	struct auth_client *auth;
	struct monc *monc;

	pthread_mutex_t lock;
	struct osdmap *map;
	struct osd_session **sessions;	/* by OSD id */
	int num_sessions;
	struct osdc_req *waiting;	/* no usable target yet */
	uint64_t last_tid;
	struct osdc_stats stats;
	bool stopping;
	void (*map_fn)(void *arg, struct msg *m);
	void *map_arg;
	struct loop_timer tick;

	/* Requests whose last lent message went away after they finished:
	 * their callbacks run from late_work on the loop thread. late_lock
	 * is a leaf lock (taken while osdc->lock may be held). */
	pthread_mutex_t late_lock;
	struct osdc_req *late;
	struct loop_work late_work;
};

static void osd_dispatch(struct conn *c, struct msg *m, void *arg);
static void osd_connected(struct conn *c, void *arg);
static void osd_fault(struct conn *c, int err, void *arg);
static int osd_authorizer(struct conn *c, void *arg, uint32_t *proto,
			  struct buf *out);

static const struct conn_ops osd_conn_ops = {
	.dispatch = osd_dispatch,
	.connected = osd_connected,
	.fault = osd_fault,
	.get_authorizer = osd_authorizer,
};

/* ---- request lists ---- */

static void list_append(struct osdc_req **head, struct osdc_req *req)
{
	req->next = NULL;
	while (*head)
		head = &(*head)->next;
	*head = req;
}

static bool list_remove(struct osdc_req **head, struct osdc_req *req)
{
	for (; *head; head = &(*head)->next)
		if (*head == req) {
			*head = req->next;
			req->next = NULL;
			return true;
		}
	return false;
}

/* Finished requests are collected under the lock and their callbacks run
 * after it is dropped. */
struct done_list {
	struct osdc_req *head;
};

static void done_add(struct done_list *d, struct osdc_req *req, int result)
{
	req->result = result;
	req->next = d->head;
	d->head = req;
}

/* Drops one hold on req; the last one runs its callback. */
static bool req_unhold(struct osdc_req *req)
{
	return __atomic_sub_fetch(&req->holds, 1, __ATOMIC_ACQ_REL) == 0;
}

static void done_run(struct done_list *d)
{
	while (d->head) {
		struct osdc_req *req = d->head;

		d->head = req->next;
		req->next = NULL;
		/* a message may still lend its buffer: then it calls back */
		if (req_unhold(req) && req->cb)
			req->cb(req, req->cb_arg);
	}
}

/* A message that lent req's payload is gone (sent or dropped). May run
 * under osdc->lock (a send that fails at once frees the message), so a
 * callback due now is deferred to the loop. */
struct lend {
	struct osdc *oc;
	struct osdc_req *req;
};

static void lent_data_done(void *arg)
{
	struct lend *l = arg;
	struct osdc *oc = l->oc;
	struct osdc_req *req = l->req;

	free(l);
	if (!req_unhold(req))
		return;
	pthread_mutex_lock(&oc->late_lock);
	req->next = oc->late;
	oc->late = req;
	pthread_mutex_unlock(&oc->late_lock);
	loop_queue_work(oc->loop, &oc->late_work);
}

static void run_late(void *arg)
{
	struct osdc *oc = arg;
	struct osdc_req *list;

	pthread_mutex_lock(&oc->late_lock);
	list = oc->late;
	oc->late = NULL;
	pthread_mutex_unlock(&oc->late_lock);
	while (list) {
		struct osdc_req *req = list;

		list = req->next;
		req->next = NULL;
		if (req->cb)
			req->cb(req, req->cb_arg);
	}
}

/* ---- sessions ---- */

static int osd_authorizer(struct conn *c, void *arg, uint32_t *proto,
			  struct buf *out)
{
	struct osd_session *s = arg;

	return auth_build_authorizer(s->oc->auth, CEPH_ENTITY_TYPE_OSD, proto,
				     out);
}

static struct osd_session *session_get_locked(struct osdc *oc, int osd)
{
	struct osd_session *s;

	if (osd < 0 || osd >= OSDMAP_MAX_OSD)
		return NULL;
	if (osd >= oc->num_sessions) {
		int n = osd + 16;
		struct osd_session **v = realloc(oc->sessions, n * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + oc->num_sessions, 0,
		       (n - oc->num_sessions) * sizeof(*v));
		oc->sessions = v;
		oc->num_sessions = n;
	}
	s = oc->sessions[osd];
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		s->oc = oc;
		s->osd = osd;
		backoff_init(&s->backoff, RECONNECT_MIN_MS, RECONNECT_MAX_MS);
		oc->sessions[osd] = s;
	}
	return s;
}

static void session_close_conn_locked(struct osd_session *s)
{
	struct conn *c = s->conn;

	if (!c)
		return;
	s->conn = NULL;
	s->num_holds = 0;
	conn_close(c);
	conn_put(c);
}

/* Opens the session's connection to the OSD's current address. */
static int session_connect_locked(struct osdc *oc, struct osd_session *s)
{
	struct entity_addrvec av;
	const struct entity_addr *a;
	char label[32];

	if (s->conn)
		return 0;
	if (!oc->map || osdmap_osd_addrvec(oc->map, s->osd, &av))
		return -ENOENT;
	a = entity_addrvec_find(&av, CEPH_ENTITY_ADDR_TYPE_LEGACY);
	if (!a)
		a = entity_addrvec_find(&av, CEPH_ENTITY_ADDR_TYPE_ANY);
	if (!a)
		return -EAFNOSUPPORT;
	s->addr = *a;
	s->addr.type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	s->conn = messenger_connect(oc->msgr, &s->addr, CEPH_ENTITY_TYPE_OSD,
				    CONN_LOSSY, &osd_conn_ops, s);
	if (!s->conn)
		return -ENOMEM;
	s->opened = false;
	snprintf(label, sizeof(label), "osd.%d", s->osd);
	conn_set_peer_label(s->conn, label);
	s->last_keepalive_ms = loop_now_ms();
	return 0;
}

/* ---- targets ---- */

/* Where req should go under the current map: its PG, the object hash and
 * the acting primary. -ENOENT when the pool is gone; 0 with *osd = -1
 * when no OSD can take it now. */
/* Where req should go under the current map: its PG, the object hash,
 * the PG's up and acting sets (t) and the acting primary. -ENOENT when
 * the pool is gone; 0 with *osd = -1 when no OSD can take it now. */
static int calc_target_locked(struct osdc *oc, const struct osdc_req *req,
			      int *osd, struct placement_target *t,
			      bool *paused)
{
	const struct osdmap *m = oc->map;
	const struct pg_pool *pool;
	int r;

	*osd = -1;
	*paused = false;
	if (!m)
		return 0;
	pool = osdmap_pool(m, req->pool);
	if (!pool)
		return -ENOENT;
	r = placement_object_target(m, req->pool, req->nspace,
				    strlen(req->nspace), req->oid,
				    strlen(req->oid), t);
	if (r)
		return r;
	/* a full cluster or pool fails writes, as libcephfs does, rather
	 * than letting them hang */
	if (req->write && ((m->flags & CEPH_OSDMAP_FULL) ||
			   (pool->flags & (CEPH_POOL_FLAG_FULL |
					   CEPH_POOL_FLAG_FULL_QUOTA))))
		return (pool->flags & CEPH_POOL_FLAG_FULL_QUOTA) ? -EDQUOT
								  : -ENOSPC;
	if (req->write ? (m->flags & CEPH_OSDMAP_PAUSEWR)
		       : (m->flags & CEPH_OSDMAP_PAUSERD)) {
		*paused = true;
		return 0;
	}
	if (t->acting.primary >= 0 && osdmap_is_up(m, t->acting.primary))
		*osd = t->acting.primary;
	return 0;
}

static bool osd_set_equal(const struct osd_set *a, const struct osd_set *b)
{
	return a->n == b->n && a->primary == b->primary &&
	       !memcmp(a->osds, b->osds, (size_t)a->n * sizeof(a->osds[0]));
}

static bool held_by_backoff(const struct osd_session *s,
			    const struct osdc_req *req)
{
	for (unsigned i = 0; i < s->num_holds; i++)
		if (!pg_id_compare(s->holds[i].pgid, req->pgid))
			return true;
	return false;
}

static void send_locked(struct osdc *oc, struct osd_session *s,
			struct osdc_req *req)
{
	struct osd_request_msg r = {
		.tid = req->tid,
		.pgid = req->pgid,
		.shard = OSD_NO_SHARD,
		.hash = req->hash,
		.epoch = oc->map->epoch,
		.flags = req->write ? CEPH_OSD_FLAG_WRITE | CEPH_OSD_FLAG_ONDISK
				    : CEPH_OSD_FLAG_READ,
		.mtime = req->write ? req->mtime : (struct sp_time){ 0, 0 },
		.pool = req->pool,
		.nspace = req->nspace,
		.locator_hash = -1,
		.oid = req->oid,
		.snapid = CEPH_NOSNAP,
		.attempts = (int32_t)req->attempts,
		.features = messenger_features(oc->msgr),
		.ops = req->ops,
		.num_ops = req->num_ops,
		.lend_data = true,
	};
	struct msg *m;

	if (req->attempts)
		r.flags |= CEPH_OSD_FLAG_RETRY;
	req->sent_epoch = oc->map->epoch;
	if (!s->conn || held_by_backoff(s, req))
		return;		/* sent on reconnect or unblock */
	m = osd_msg_op(&r);
	if (!m)
		return;		/* retried by the tick's resend */
	if (m->ext_data) {
		struct lend *l = malloc(sizeof(*l));

		if (!l) {
			msg_free(m);
			return;
		}
		l->oc = oc;
		l->req = req;
		__atomic_add_fetch(&req->holds, 1, __ATOMIC_ACQ_REL);
		m->data_done = lent_data_done;
		m->data_arg = l;
		m->data_crc = req->data_crc;
		m->data_crc_set = true;
	}
	if (req->attempts)
		oc->stats.ops_resent++;
	oc->stats.ops_sent++;
	req->attempts++;
	dout(LOG_OSDC, 5, "tid %llu %s %s %llu~%llu [%u@%lld] to osd.%d "
	     "pg %lld.%x (attempt %u)",
	     (unsigned long long)req->tid, osd_op_name(req->ops[0].op),
	     req->oid, (unsigned long long)req->ops[0].offset,
	     (unsigned long long)req->ops[0].length, req->ops[0].truncate_seq,
	     (long long)req->ops[0].truncate_size, s->osd,
	     (long long)req->pgid.pool, req->pgid.seed, req->attempts);
	conn_send(s->conn, m);
}

/* Finds req's target and sends it there, or parks it on the wait list;
 * a request that can never be sent goes to `done`. */
static void route_locked(struct osdc *oc, struct osdc_req *req,
			 struct done_list *done)
{
	struct placement_target t;
	const struct pg_pool *pool;
	struct osd_session *s;
	bool paused;
	int osd, r;

	r = calc_target_locked(oc, req, &osd, &t, &paused);
	if (r) {
		done_add(done, req, r);
		return;
	}
	pool = osdmap_pool(oc->map, req->pool);
	req->pgid = t.pg;
	req->hash = t.raw_pg.seed;
	req->up = t.up;
	req->acting = t.acting;
	req->pg_num = t.pg_num;
	req->size = pool ? pool->size : 0;
	req->min_size = pool ? pool->min_size : 0;
	req->paused = paused;
	if (osd < 0 || !(s = session_get_locked(oc, osd))) {
		req->osd = -1;
		list_append(&oc->waiting, req);
		return;
	}
	req->osd = osd;
	list_append(&s->reqs, req);
	if (!s->conn && s->reconnect_at_ms <= loop_now_ms() &&
	    session_connect_locked(oc, s)) {
		list_remove(&s->reqs, req);
		req->osd = -1;
		list_append(&oc->waiting, req);
		return;
	}
	send_locked(oc, s, req);
}

void osdc_submit(struct osdc *oc, struct osdc_req *req)
{
	struct done_list done = { NULL };

	req->result = 0;
	req->read_len = 0;
	req->attempts = 0;
	req->osd = -1;
	req->holds = 1;		/* until it finishes */
	memset(req->rvals, 0, sizeof(req->rvals));
	/* the payload's crc, once, here rather than on the loop thread */
	req->data_crc = 0;
	for (uint32_t i = 0; i < req->num_ops && i < OSDC_MAX_OPS; i++)
		if (req->ops[i].indata_len)
			req->data_crc = crc32c(0, req->ops[i].indata,
					       req->ops[i].indata_len);
	if (!req->num_ops || req->num_ops > OSDC_MAX_OPS) {
		done_add(&done, req, -EINVAL);
		done_run(&done);
		return;
	}
	pthread_mutex_lock(&oc->lock);
	if (oc->stopping) {
		done_add(&done, req, -ESHUTDOWN);
	} else {
		req->tid = ++oc->last_tid;
		req->deadline_ms = req->timeout_ms ?
				   loop_now_ms() + req->timeout_ms : 0;
		route_locked(oc, req, &done);
	}
	pthread_mutex_unlock(&oc->lock);
	done_run(&done);
}

/* ---- replies ---- */

static void take_reply_locked(struct osdc_req *req, const struct osd_reply *rep)
{
	req->result = rep->result;
	for (uint32_t i = 0; i < req->num_ops && i < rep->num_ops; i++) {
		const struct osd_op *op = &rep->ops[i];

		req->rvals[i] = op->rval;
		if (req->ops[i].op == CEPH_OSD_OP_STAT && op->outdata_len >= 8) {
			struct dec d;

			dec_init(&d, op->outdata, op->outdata_len);
			dec_u64(&d, &req->stat_size);
		}
		if ((req->ops[i].op == CEPH_OSD_OP_READ ||
		     req->ops[i].op == CEPH_OSD_OP_SYNC_READ ||
		     req->ops[i].op == CEPH_OSD_OP_SPARSE_READ) &&
		    req->rbuf && !req->read_len) {
			uint64_t n = op->outdata_len;

			if (n > req->rbuf_len)
				n = req->rbuf_len;
			if (n)
				memcpy(req->rbuf, op->outdata, n);
			req->read_len = n;
		}
	}
}

static struct osdc_req *session_find_locked(struct osd_session *s,
					    uint64_t tid)
{
	for (struct osdc_req *r = s->reqs; r; r = r->next)
		if (r->tid == tid)
			return r;
	return NULL;
}

static void handle_reply_locked(struct osd_session *s, struct msg *m,
				struct done_list *done)
{
	struct osdc *oc = s->oc;
	struct osd_reply *rep = malloc(sizeof(*rep));
	struct osdc_req *req;
	int r;

	if (!rep)
		return;
	r = osd_reply_decode(m, rep);
	req = session_find_locked(s, m->tid);
	if (!req) {
		free(rep);
		return;
	}
	if (r) {
		dout(LOG_OSDC, 0, "osd.%d: bad reply to tid %llu: %s", s->osd,
		     (unsigned long long)m->tid, strerror(-r));
		list_remove(&s->reqs, req);
		done_add(done, req, -EIO);
		free(rep);
		return;
	}
	/* a reply to an earlier send of a request we sent again */
	if (rep->retry_attempt >= 0 &&
	    (uint32_t)rep->retry_attempt + 1 != req->attempts) {
		free(rep);
		return;
	}
	oc->stats.replies++;
	list_remove(&s->reqs, req);
	if (rep->redirect) {
		/* the object lives elsewhere (a cache tier): follow */
		req->pool = rep->redirect_oloc.pool;
		snprintf(req->nspace, sizeof(req->nspace), "%.*s",
			 (int)rep->redirect_oloc.nspace_len,
			 rep->redirect_oloc.nspace);
		if (rep->redirect_oid_len)
			snprintf(req->oid, sizeof(req->oid), "%.*s",
				 (int)rep->redirect_oid_len, rep->redirect_oid);
		route_locked(oc, req, done);
	} else if (rep->result == -EAGAIN) {
		route_locked(oc, req, done);	/* the OSD asks us to retry */
	} else {
		take_reply_locked(req, rep);
		done_add(done, req, req->result);
	}
	free(rep);
}

/* Requests of a session go out again on its (new) connection. */
static void resend_session_locked(struct osdc *oc, struct osd_session *s,
				  struct done_list *done)
{
	struct osdc_req *list = s->reqs;

	s->reqs = NULL;
	while (list) {
		struct osdc_req *req = list;

		list = req->next;
		route_locked(oc, req, done);
	}
}

static void handle_backoff_locked(struct osd_session *s, struct msg *m,
				  struct done_list *done)
{
	struct osd_backoff b;

	if (osd_backoff_decode(m->front.data, m->front.len, &b))
		return;
	if (b.op == CEPH_OSD_BACKOFF_OP_BLOCK) {
		if (s->num_holds < MAX_BACKOFFS) {
			s->holds[s->num_holds].pgid = b.pgid;
			s->holds[s->num_holds].id = b.id;
			s->num_holds++;
		}
		if (s->conn)
			conn_send(s->conn, osd_msg_backoff_ack(&b, b.map_epoch));
	} else if (b.op == CEPH_OSD_BACKOFF_OP_UNBLOCK) {
		for (unsigned i = 0; i < s->num_holds; i++)
			if (s->holds[i].id == b.id) {
				s->holds[i] = s->holds[--s->num_holds];
				break;
			}
		/* what waited for the PG goes now */
		resend_session_locked(s->oc, s, done);
	}
}

static void osd_dispatch(struct conn *c, struct msg *m, void *arg)
{
	struct osd_session *s = arg;
	struct osdc *oc = s->oc;
	struct done_list done = { NULL };

	if (m->type == CEPH_MSG_OSD_MAP) {
		/* an OSD shares a newer map: the client applies it */
		if (oc->map_fn)
			oc->map_fn(oc->map_arg, m);
		else
			msg_free(m);
		return;
	}
	pthread_mutex_lock(&oc->lock);
	if (s->conn == c) {
		if (m->type == CEPH_MSG_OSD_OPREPLY)
			handle_reply_locked(s, m, &done);
		else if (m->type == CEPH_MSG_OSD_BACKOFF)
			handle_backoff_locked(s, m, &done);
		else
			dout(LOG_OSDC, 1, "osd.%d: message %s ignored", s->osd,
			     msg_type_name(m->type));
	}
	pthread_mutex_unlock(&oc->lock);
	msg_free(m);
	done_run(&done);
}

static void osd_connected(struct conn *c, void *arg)
{
	struct osd_session *s = arg;
	struct osdc *oc = s->oc;

	pthread_mutex_lock(&oc->lock);
	if (s->conn == c) {
		s->opened = true;
		backoff_reset(&s->backoff);
	}
	pthread_mutex_unlock(&oc->lock);
}

/* A lossy session's connection is gone, and with it whatever it had not
 * answered. As Ceph's Objecter does on a reset, a session that was open
 * reconnects now and resends its requests (each placed again by the
 * current map); a connection that never opened is retried from the tick
 * with backoff, until it opens or a map moves the requests elsewhere. */
static void osd_fault(struct conn *c, int err, void *arg)
{
	struct osd_session *s = arg;
	struct osdc *oc = s->oc;
	struct done_list done = { NULL };

	pthread_mutex_lock(&oc->lock);
	if (s->conn == c) {
		unsigned wait = backoff_after_fault(&s->backoff, s->opened);

		dout(LOG_OSDC, 1, "osd.%d: connection fault (%s), %s%s", s->osd,
		     strerror(err > 0 ? err : -err),
		     s->reqs ? "resending" : "idle",
		     wait ? " after backoff" : "");
		session_close_conn_locked(s);
		s->reconnect_at_ms = loop_now_ms() + wait;
		if (!wait && !oc->stopping)
			resend_session_locked(oc, s, &done);
		else if (wait < TICK_MS && s->reqs && !oc->stopping)
			/* the retry is due before the next tick: bring it on */
			loop_timer_arm(oc->loop, &oc->tick, wait);
	}
	pthread_mutex_unlock(&oc->lock);
	done_run(&done);
}

/* ---- maps ---- */

struct reopen_arg {
	struct osdc *oc;
	int fail;
};

static void reopen_on_loop(void *arg)
{
	struct reopen_arg *ra = arg;
	struct osdc *oc = ra->oc;
	struct done_list done = { 0 };

	pthread_mutex_lock(&oc->lock);
	for (int i = 0; i < oc->num_sessions; i++) {
		struct osd_session *s = oc->sessions[i];

		if (!s)
			continue;
		while (ra->fail && s->reqs) {
			struct osdc_req *req = s->reqs;

			s->reqs = req->next;
			done_add(&done, req, ra->fail);
		}
		if (!s->conn)
			continue;
		session_close_conn_locked(s);
		/* the tick connects again and resends */
		s->reconnect_at_ms = 0;
		backoff_reset(&s->backoff);
	}
	while (ra->fail && oc->waiting) {
		struct osdc_req *req = oc->waiting;

		oc->waiting = req->next;
		done_add(&done, req, ra->fail);
	}
	pthread_mutex_unlock(&oc->lock);
	done_run(&done);
}

static void abort_on_loop(void *arg)
{
	struct osdc *oc = arg;
	struct reopen_arg ra = { oc, -ESHUTDOWN };

	pthread_mutex_lock(&oc->lock);
	oc->stopping = true;	/* what comes later fails in osdc_submit */
	pthread_mutex_unlock(&oc->lock);
	reopen_on_loop(&ra);
}

void osdc_abort(struct osdc *oc)
{
	if (oc)
		loop_run_sync(oc->loop, abort_on_loop, oc);
}

void osdc_reopen(struct osdc *oc, int fail_inflight)
{
	struct reopen_arg ra = { oc, fail_inflight };

	loop_run_sync(oc->loop, reopen_on_loop, &ra);
}

void osdc_set_map_handler(struct osdc *oc, void (*fn)(void *arg, struct msg *m),
			  void *arg)
{
	pthread_mutex_lock(&oc->lock);
	oc->map_fn = fn;
	oc->map_arg = arg;
	pthread_mutex_unlock(&oc->lock);
}

/* Does req need to go out again under the new map? When its PG enters a
 * new interval (another primary, up or acting set, size, min_size or
 * pg_num), the OSD drops ops sent under the old one and waits for the
 * client to resend, as Ceph's Objecter does. */
static bool target_changed_locked(struct osdc *oc, struct osdc_req *req,
				  int *new_osd)
{
	const struct pg_pool *pool = osdmap_pool(oc->map, req->pool);
	struct placement_target t;
	bool paused;

	if (calc_target_locked(oc, req, new_osd, &t, &paused) || !pool)
		return true;	/* route_locked() fails it */
	if (paused || *new_osd != req->osd || pg_id_compare(t.pg, req->pgid) ||
	    !osd_set_equal(&t.up, &req->up) ||
	    !osd_set_equal(&t.acting, &req->acting) ||
	    t.pg_num != req->pg_num || pool->size != req->size ||
	    pool->min_size != req->min_size)
		return true;
	return pool->last_force_op_resend > req->sent_epoch;
}

void osdc_update_map(struct osdc *oc, struct osdmap *map)
{
	struct done_list done = { NULL };
	struct osdc_req *moved = NULL;
	struct osdmap *old;

	pthread_mutex_lock(&oc->lock);
	old = oc->map;
	if (old && map->epoch <= old->epoch) {
		pthread_mutex_unlock(&oc->lock);
		return;
	}
	oc->map = osdmap_get(map);
	oc->stats.map_epoch = map->epoch;
	for (int i = 0; i < oc->num_sessions; i++) {
		struct osd_session *s = oc->sessions[i];
		struct entity_addrvec av;
		const struct entity_addr *a = NULL;

		if (!s)
			continue;
		if (osdmap_is_up(map, i) && !osdmap_osd_addrvec(map, i, &av))
			a = entity_addrvec_find(&av, CEPH_ENTITY_ADDR_TYPE_LEGACY);
		if (!a || !entity_addr_equal(a, &s->addr)) {
			/* down, or back at a new address: the failures of the
			 * old one do not count (a request for the new one
			 * connects at once) */
			s->reconnect_at_ms = 0;
			backoff_reset(&s->backoff);
		}
		if (s->conn && (!a || !entity_addr_equal(a, &s->addr))) {
			/* start afresh */
			session_close_conn_locked(s);
			while (s->reqs) {
				struct osdc_req *req = s->reqs;

				s->reqs = req->next;
				req->next = moved;
				moved = req;
			}
			continue;
		}
		for (struct osdc_req **pp = &s->reqs; *pp;) {
			struct osdc_req *req = *pp;
			int osd;

			if (target_changed_locked(oc, req, &osd)) {
				*pp = req->next;
				req->next = moved;
				moved = req;
			} else {
				pp = &req->next;
			}
		}
	}
	while (oc->waiting) {
		struct osdc_req *req = oc->waiting;

		oc->waiting = req->next;
		req->next = moved;
		moved = req;
	}
	/* oldest first, as they were sent */
	{
		struct osdc_req *rev = NULL;

		while (moved) {
			struct osdc_req *req = moved;

			moved = req->next;
			req->next = rev;
			rev = req;
		}
		moved = rev;
	}
	while (moved) {
		struct osdc_req *req = moved;

		moved = req->next;
		route_locked(oc, req, &done);
	}
	pthread_mutex_unlock(&oc->lock);
	osdmap_free(old);
	done_run(&done);
}

/* ---- the tick: reconnects, keepalives, timeouts ---- */

/* Fails what waited past its deadline; returns how many. */
static int expire_list_locked(struct osdc *oc, struct osdc_req **head,
			      uint64_t now, struct done_list *done)
{
	int n = 0;

	for (struct osdc_req **pp = head; *pp;) {
		struct osdc_req *req = *pp;

		if (req->deadline_ms && now >= req->deadline_ms) {
			*pp = req->next;
			oc->stats.timeouts++;
			dout(LOG_OSDC, 0, "tid %llu on %s timed out",
			     (unsigned long long)req->tid, req->oid);
			done_add(done, req, -ETIMEDOUT);
			n++;
		} else {
			pp = &req->next;
		}
	}
	return n;
}

static void osdc_tick(void *arg)
{
	struct osdc *oc = arg;
	struct done_list done = { NULL };
	uint64_t now = loop_now_ms();

	pthread_mutex_lock(&oc->lock);
	for (int i = 0; i < oc->num_sessions; i++) {
		struct osd_session *s = oc->sessions[i];

		if (!s)
			continue;
		if (expire_list_locked(oc, &s->reqs, now, &done) && s->conn) {
			/* An OSD that let an op time out is stuck, and the
			 * connection may still be sending the op's data from
			 * the caller's buffer: drop it (the others go out
			 * again on a new one). */
			session_close_conn_locked(s);
			s->reconnect_at_ms = now;
		}
		if (!s->reqs)
			continue;
		if (!s->conn && now >= s->reconnect_at_ms) {
			if (!session_connect_locked(oc, s))
				resend_session_locked(oc, s, &done);
		} else if (s->conn &&
			   now - s->last_keepalive_ms >= KEEPALIVE_AFTER_MS) {
			s->last_keepalive_ms = now;
			conn_send_keepalive(s->conn);
		}
	}
	expire_list_locked(oc, &oc->waiting, now, &done);
	if (!oc->stopping)
		loop_timer_arm(oc->loop, &oc->tick, TICK_MS);
	pthread_mutex_unlock(&oc->lock);
	done_run(&done);
}

/* ---- setup ---- */

struct osdc *osdc_create(struct messenger *msgr, struct auth_client *auth,
			 struct monc *monc)
{
	struct osdc *oc = calloc(1, sizeof(*oc));

	if (!oc)
		return NULL;
	oc->msgr = msgr;
	oc->loop = messenger_loop(msgr);
	oc->auth = auth;
	oc->monc = monc;
	pthread_mutex_init(&oc->lock, NULL);
	pthread_mutex_init(&oc->late_lock, NULL);
	loop_work_init(&oc->late_work, run_late, oc);
	loop_timer_init(&oc->tick, osdc_tick, oc);
	loop_timer_arm(oc->loop, &oc->tick, TICK_MS);
	return oc;
}

static void shutdown_on_loop(void *arg)
{
	struct osdc *oc = arg;

	pthread_mutex_lock(&oc->lock);
	oc->stopping = true;
	loop_timer_cancel(oc->loop, &oc->tick);
	for (int i = 0; i < oc->num_sessions; i++)
		if (oc->sessions[i])
			session_close_conn_locked(oc->sessions[i]);
	pthread_mutex_unlock(&oc->lock);
}

void osdc_destroy(struct osdc *oc)
{
	struct done_list done = { NULL };

	if (!oc)
		return;
	loop_run_sync(oc->loop, shutdown_on_loop, oc);
	pthread_mutex_lock(&oc->lock);
	for (int i = 0; i < oc->num_sessions; i++) {
		struct osd_session *s = oc->sessions[i];

		while (s && s->reqs) {
			struct osdc_req *req = s->reqs;

			s->reqs = req->next;
			done_add(&done, req, -ESHUTDOWN);
		}
		free(s);
	}
	while (oc->waiting) {
		struct osdc_req *req = oc->waiting;

		oc->waiting = req->next;
		done_add(&done, req, -ESHUTDOWN);
	}
	free(oc->sessions);
	oc->sessions = NULL;
	oc->num_sessions = 0;
	pthread_mutex_unlock(&oc->lock);
	done_run(&done);
	/* callbacks deferred by lent messages dropped with the sessions */
	loop_cancel_work(oc->loop, &oc->late_work);
	run_late(oc);
	osdmap_free(oc->map);
	pthread_mutex_destroy(&oc->lock);
	pthread_mutex_destroy(&oc->late_lock);
	free(oc);
}

void osdc_get_stats(struct osdc *oc, struct osdc_stats *st)
{
	pthread_mutex_lock(&oc->lock);
	*st = oc->stats;
	st->sessions = 0;
	st->in_flight = 0;
	for (int i = 0; i < oc->num_sessions; i++) {
		struct osd_session *s = oc->sessions[i];

		if (!s)
			continue;
		if (s->conn)
			st->sessions++;
		for (struct osdc_req *r = s->reqs; r; r = r->next)
			st->in_flight++;
	}
	for (struct osdc_req *r = oc->waiting; r; r = r->next)
		st->in_flight++;
	pthread_mutex_unlock(&oc->lock);
}

/* ---- waiting for many ---- */

void osdc_waiter_init(struct osdc_waiter *w)
{
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->pending = 0;
	w->first_error = 0;
}

void osdc_waiter_destroy(struct osdc_waiter *w)
{
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
}

void osdc_waiter_add(struct osdc_waiter *w)
{
	pthread_mutex_lock(&w->lock);
	w->pending++;
	pthread_mutex_unlock(&w->lock);
}

void osdc_waiter_cb(struct osdc_req *req, void *arg)
{
	struct osdc_waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	if (req->result < 0 && !w->first_error)
		w->first_error = req->result;
	w->pending--;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int osdc_waiter_wait_below(struct osdc_waiter *w, unsigned n)
{
	int r;

	pthread_mutex_lock(&w->lock);
	while (w->pending >= n && w->pending)
		pthread_cond_wait(&w->cond, &w->lock);
	r = w->first_error;
	pthread_mutex_unlock(&w->lock);
	return r;
}

int osdc_waiter_wait(struct osdc_waiter *w)
{
	return osdc_waiter_wait_below(w, 1);
}

int osdc_object_read(struct osdc *oc, int64_t pool, const char *nspace,
		     const char *oid, uint64_t off, uint64_t len, void *buf,
		     uint32_t truncate_seq, uint64_t truncate_size,
		     unsigned timeout_ms, uint64_t *got)
{
	struct osdc_req *req = calloc(1, sizeof(*req));
	struct osdc_waiter w;
	int r;

	if (!req)
		return -ENOMEM;
	req->pool = pool;
	snprintf(req->nspace, sizeof(req->nspace), "%s", nspace ? nspace : "");
	snprintf(req->oid, sizeof(req->oid), "%s", oid);
	req->ops[0].op = CEPH_OSD_OP_READ;
	req->ops[0].offset = off;
	req->ops[0].length = len;
	req->ops[0].truncate_seq = truncate_seq;
	req->ops[0].truncate_size = truncate_size;
	req->num_ops = 1;
	req->rbuf = buf;
	req->rbuf_len = len;
	req->timeout_ms = timeout_ms;
	osdc_waiter_init(&w);
	req->cb = osdc_waiter_cb;
	req->cb_arg = &w;
	osdc_waiter_add(&w);
	osdc_submit(oc, req);
	osdc_waiter_wait(&w);
	osdc_waiter_destroy(&w);
	r = req->result;
	*got = req->read_len;
	free(req);
	return r;
}

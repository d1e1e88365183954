/* Monitor client: hunting, the MAuth exchange, subscriptions, keepalives
 * and statfs. State is guarded by monc->lock; message handling runs on
 * the loop thread, waiters sleep on monc->cond. */
#include "monc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/deadline.h"
#include "common/log.h"
#include "encoding/dec.h"
#include "mon_msgs.h"
#include "monmap.h"
#include "msg/features.h"

#define MONC_MAX_SUBS     16
#define MONC_MAX_HANDLERS 8

struct monc_sub {
	char what[64];
	uint64_t start;
	uint8_t flags;
};

/* A statfs waiting for its reply; resent on a new session. */
struct monc_req {
	uint64_t tid;
	int64_t data_pool;
	bool done;
	int result;
	struct ceph_statfs st;
	struct monc_req *next;
};

enum monc_state {
	MC_IDLE,
	MC_HUNTING,
	MC_SESSION,
	MC_FAILED,	/* authentication refused: stop */
	MC_CLOSED,
};

struct monc {
	struct messenger *msgr;
	struct loop *loop;
	struct auth_client *auth;
	char hostname[64];
	unsigned hunt_interval_ms, ping_interval_ms, ping_timeout_ms;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum monc_state state;
	int auth_err;

	struct entity_addrvec *mons;	/* whom to hunt across */
	int num_mons;
	int cur;			/* index being tried or in session */
	struct conn *conn;
	unsigned hunt_count;
	unsigned tried_in_round;

	uint8_t *monmap_raw;		/* the monmap as the monitor sent it */
	size_t monmap_len;
	uint32_t monmap_epoch;
	uint8_t fsid[16];

	struct monc_sub subs[MONC_MAX_SUBS];
	int num_subs;
	struct {
		uint16_t type;
		monc_map_handler fn;
		void *arg;
	} handlers[MONC_MAX_HANDLERS];
	int num_handlers;

	struct monc_req *reqs;
	uint64_t last_tid;

	struct loop_timer hunt_timer;
	struct loop_timer tick_timer;
	struct loop_work open_work;
};

static void monc_hunt_locked(struct monc *mc);

/* ---- message builders ---- */

static struct msg *build_auth(struct monc *mc, uint32_t protocol,
			      const struct buf *payload)
{
	return mon_msg_auth(protocol, payload->data, payload->len,
			    mc->monmap_epoch);
}

static struct msg *build_subscribe_locked(struct monc *mc)
{
	struct mon_sub_item items[MONC_MAX_SUBS];

	for (int i = 0; i < mc->num_subs; i++) {
		items[i].what = mc->subs[i].what;
		items[i].start = mc->subs[i].start;
		items[i].flags = mc->subs[i].flags;
	}
	return mon_msg_subscribe(items, mc->num_subs, mc->hostname);
}

static struct msg *build_statfs(struct monc *mc, const struct monc_req *r)
{
	return mon_msg_statfs(r->tid, mc->fsid, r->data_pool);
}

static void monc_send_locked(struct monc *mc, struct msg *m)
{
	if (!m)
		return;
	if (!mc->conn) {
		msg_free(m);
		return;
	}
	conn_send(mc->conn, m);
}

/* ---- session establishment ---- */

static void monc_session_up_locked(struct monc *mc, uint64_t global_id)
{
	mc->state = MC_SESSION;
	mc->auth_err = 0;
	mc->tried_in_round = 0;
	messenger_set_global_id(mc->msgr, global_id);
	loop_timer_cancel(mc->loop, &mc->hunt_timer);
	dout(LOG_MONC, 1, "session established with %s, global_id %llu",
	     conn_peer_label(mc->conn), (unsigned long long)global_id);
	monc_send_locked(mc, build_subscribe_locked(mc));
	for (struct monc_req *r = mc->reqs; r; r = r->next)
		if (!r->done)
			monc_send_locked(mc, build_statfs(mc, r));
	loop_timer_arm(mc->loop, &mc->tick_timer, mc->ping_interval_ms);
	pthread_cond_broadcast(&mc->cond);
}

static void handle_auth_reply_locked(struct monc *mc, struct msg *m)
{
	struct mauth_reply ar;
	struct buf more = BUF_INIT;
	int r;

	if (mon_decode_auth_reply(m->front.data, m->front.len, &ar)) {
		dout(LOG_MONC, 0, "malformed auth reply");
		return;
	}
	r = auth_handle_reply(mc->auth, ar.protocol, ar.result, ar.global_id,
			      ar.payload, ar.payload_len, &more);
	if (r == 0) {
		monc_session_up_locked(mc, ar.global_id);
	} else if (r == 1) {
		monc_send_locked(mc, build_auth(mc, ar.protocol, &more));
	} else {
		mc->auth_err = r;
		mc->state = MC_FAILED;
		loop_timer_cancel(mc->loop, &mc->hunt_timer);
		pthread_cond_broadcast(&mc->cond);
	}
	buf_free(&more);
}

/* Replaces the hunting list with the monitors of a new monitor map. */
static void monc_adopt_monmap_locked(struct monc *mc, const struct monmap *map)
{
	struct entity_addrvec *v;
	int n = monmap_num_mons(map);

	if (n <= 0)
		return;
	v = calloc((size_t)n, sizeof(*v));
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		v[i] = *monmap_mon_addrs(map, i);
	free(mc->mons);
	mc->mons = v;
	/* keep talking to the same monitor: find it in the new list */
	if (mc->conn) {
		const struct entity_addr *cur = conn_peer_addr(mc->conn);

		for (int i = 0; i < n; i++)
			for (uint32_t k = 0; k < v[i].n; k++)
				if (entity_addr_port(&v[i].v[k]) ==
				    entity_addr_port(cur))
					mc->cur = i;
	}
	if (mc->cur >= n)
		mc->cur = 0;
	mc->num_mons = n;
}

static void handle_monmap_locked(struct monc *mc, struct msg *m)
{
	struct monmap *map;
	uint8_t *raw;
	int r;

	r = mmonmap_decode(m->front.data, m->front.len, &map);
	if (r) {
		dout(LOG_MONC, 0, "bad monitor map: %s", strerror(-r));
		return;
	}
	raw = malloc(m->front.len);
	if (raw) {
		memcpy(raw, m->front.data, m->front.len);
		free(mc->monmap_raw);
		mc->monmap_raw = raw;
		mc->monmap_len = m->front.len;
	}
	mc->monmap_epoch = monmap_epoch(map);
	memcpy(mc->fsid, map->fsid, sizeof(mc->fsid));
	dout(LOG_MONC, 1, "monmap epoch %u with %d monitors", mc->monmap_epoch,
	     monmap_num_mons(map));
	monc_adopt_monmap_locked(mc, map);
	monmap_free(map);
	for (int i = 0; i < mc->num_subs; i++)
		if (!strcmp(mc->subs[i].what, "monmap"))
			mc->subs[i].start = mc->monmap_epoch + 1;
	pthread_cond_broadcast(&mc->cond);
}

static void handle_statfs_reply_locked(struct monc *mc, struct msg *m)
{
	uint8_t fsid[16];

	for (struct monc_req *r = mc->reqs; r; r = r->next) {
		if (r->tid != m->tid || r->done)
			continue;
		if (mon_decode_statfs_reply(m->front.data, m->front.len, fsid,
					    &r->st))
			r->result = -EBADMSG;
		r->done = true;
		pthread_cond_broadcast(&mc->cond);
		return;
	}
}

static void monc_dispatch(struct conn *c, struct msg *m, void *arg)
{
	struct monc *mc = arg;
	monc_map_handler fn = NULL;
	void *fn_arg = NULL;

	pthread_mutex_lock(&mc->lock);
	if (c != mc->conn) {
		pthread_mutex_unlock(&mc->lock);
		msg_free(m);
		return;
	}
	switch (m->type) {
	case CEPH_MSG_AUTH_REPLY:
		handle_auth_reply_locked(mc, m);
		break;
	case CEPH_MSG_MON_MAP:
		handle_monmap_locked(mc, m);
		break;
	case CEPH_MSG_STATFS_REPLY:
		handle_statfs_reply_locked(mc, m);
		break;
	case CEPH_MSG_MON_SUBSCRIBE_ACK:
	case CEPH_MSG_CONFIG:
		break;
	default:
		for (int i = 0; i < mc->num_handlers; i++)
			if (mc->handlers[i].type == m->type) {
				fn = mc->handlers[i].fn;
				fn_arg = mc->handlers[i].arg;
			}
		if (!fn)
			dout(LOG_MONC, 1, "ignoring %s from monitor",
			     msg_type_name(m->type));
	}
	pthread_mutex_unlock(&mc->lock);
	if (fn)
		fn(fn_arg, m);
	else
		msg_free(m);
}

static void monc_fault(struct conn *c, int err, void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (c == mc->conn && (mc->state == MC_SESSION || mc->state == MC_HUNTING)) {
		dout(LOG_MONC, 1, "lost monitor %s: %s", conn_peer_label(c),
		     strerror(-err));
		monc_hunt_locked(mc);
	}
	pthread_mutex_unlock(&mc->lock);
}

static const struct conn_ops monc_conn_ops = {
	.dispatch = monc_dispatch,
	.fault = monc_fault,
};

/* Picks the v1 address of a monitor: LEGACY, or ANY as given by a
 * config without a type. */
static const struct entity_addr *mon_v1_addr(const struct entity_addrvec *av)
{
	const struct entity_addr *a = entity_addrvec_find(av,
					CEPH_ENTITY_ADDR_TYPE_LEGACY);

	if (!a)
		a = entity_addrvec_find(av, CEPH_ENTITY_ADDR_TYPE_ANY);
	return a;
}

static void monc_drop_conn_locked(struct monc *mc)
{
	struct conn *c = mc->conn;

	if (!c)
		return;
	mc->conn = NULL;
	/* conn_close runs synchronously on the loop; callbacks check
	 * mc->conn, so holding our lock here is safe on the loop thread */
	conn_close(c);
	conn_put(c);
}

/* Tries the next monitor. */
static void monc_hunt_locked(struct monc *mc)
{
	struct buf hello = BUF_INIT;
	const struct entity_addr *a = NULL;
	struct entity_addr target;
	int tries;

	if (mc->state == MC_CLOSED || mc->state == MC_FAILED)
		return;
	monc_drop_conn_locked(mc);
	if (mc->state == MC_SESSION)
		mc->hunt_count++;
	mc->state = MC_HUNTING;
	auth_reset(mc->auth);
	for (tries = 0; tries < mc->num_mons && !a; tries++) {
		mc->cur = (mc->cur + 1) % mc->num_mons;
		a = mon_v1_addr(&mc->mons[mc->cur]);
	}
	if (!a) {
		dout(LOG_MONC, 0, "no monitor has a messenger v1 address");
		mc->auth_err = -EAFNOSUPPORT;
		pthread_cond_broadcast(&mc->cond);
		return;
	}
	target = *a;
	target.type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	if (!entity_addr_port(&target))
		entity_addr_set_port(&target, 6789);
	mc->conn = messenger_connect(mc->msgr, &target, CEPH_ENTITY_TYPE_MON,
				     CONN_LOSSY, &monc_conn_ops, mc);
	if (!mc->conn)
		return;
	auth_build_hello(mc->auth, &hello);
	monc_send_locked(mc, build_auth(mc, 0, &hello));
	buf_free(&hello);
	/* Going around every monitor without luck: wait a little longer
	 * each round instead of spinning. */
	mc->tried_in_round++;
	loop_timer_arm(mc->loop, &mc->hunt_timer,
		       mc->tried_in_round > (unsigned)mc->num_mons
			       ? mc->hunt_interval_ms * 2 : mc->hunt_interval_ms);
}

static void monc_hunt_timeout(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_HUNTING) {
		dout(LOG_MONC, 1, "no answer from monitor, hunting on");
		monc_hunt_locked(mc);
	}
	pthread_mutex_unlock(&mc->lock);
}

static void monc_tick(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_SESSION && mc->conn) {
		uint64_t idle = loop_now_ms() - conn_last_rx_ms(mc->conn);

		if (idle > mc->ping_timeout_ms) {
			dout(LOG_MONC, 0, "monitor silent for %llu ms, hunting",
			     (unsigned long long)idle);
			monc_hunt_locked(mc);
		} else {
			conn_send_keepalive(mc->conn);
		}
	}
	if (mc->state == MC_SESSION || mc->state == MC_HUNTING)
		loop_timer_arm(mc->loop, &mc->tick_timer, mc->ping_interval_ms);
	pthread_mutex_unlock(&mc->lock);
}

/* ---- public API ---- */

struct monc *monc_create(struct messenger *msgr, const struct monc_config *cfg)
{
	struct monc *mc;

	if (cfg->num_mons <= 0)
		return NULL;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return NULL;
	mc->mons = calloc((size_t)cfg->num_mons, sizeof(*mc->mons));
	if (!mc->mons) {
		free(mc);
		return NULL;
	}
	memcpy(mc->mons, cfg->mons, (size_t)cfg->num_mons * sizeof(*mc->mons));
	mc->num_mons = cfg->num_mons;
	mc->msgr = msgr;
	mc->loop = messenger_loop(msgr);
	mc->auth = cfg->auth;
	mc->hunt_interval_ms = cfg->hunt_interval_ms ? cfg->hunt_interval_ms : 3000;
	mc->ping_interval_ms = cfg->ping_interval_ms ? cfg->ping_interval_ms : 10000;
	mc->ping_timeout_ms = cfg->ping_timeout_ms ? cfg->ping_timeout_ms : 30000;
	snprintf(mc->hostname, sizeof(mc->hostname), "%s",
		 cfg->hostname ? cfg->hostname : "");
	pthread_mutex_init(&mc->lock, NULL);
	pthread_cond_init(&mc->cond, NULL);
	loop_timer_init(&mc->hunt_timer, monc_hunt_timeout, mc);
	loop_timer_init(&mc->tick_timer, monc_tick, mc);
	/* start somewhere random so clients spread over the monitors */
	mc->cur = (int)((unsigned)loop_now_ms() % (unsigned)mc->num_mons) - 1;
	if (mc->cur < 0)
		mc->cur = mc->num_mons - 1;
	monc_want(mc, "monmap", 0, false);
	return mc;
}

static void monc_shutdown_on_loop(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	mc->state = MC_CLOSED;
	loop_timer_cancel(mc->loop, &mc->hunt_timer);
	loop_timer_cancel(mc->loop, &mc->tick_timer);
	loop_cancel_work(mc->loop, &mc->open_work);
	monc_drop_conn_locked(mc);
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

void monc_destroy(struct monc *mc)
{
	if (!mc)
		return;
	loop_run_sync(mc->loop, monc_shutdown_on_loop, mc);
	while (mc->reqs) {
		struct monc_req *r = mc->reqs;

		mc->reqs = r->next;
		free(r);
	}
	free(mc->mons);
	free(mc->monmap_raw);
	pthread_mutex_destroy(&mc->lock);
	pthread_cond_destroy(&mc->cond);
	free(mc);
}

void monc_set_handler(struct monc *mc, uint16_t msg_type,
		      monc_map_handler fn, void *arg)
{
	pthread_mutex_lock(&mc->lock);
	if (mc->num_handlers < MONC_MAX_HANDLERS) {
		mc->handlers[mc->num_handlers].type = msg_type;
		mc->handlers[mc->num_handlers].fn = fn;
		mc->handlers[mc->num_handlers].arg = arg;
		mc->num_handlers++;
	}
	pthread_mutex_unlock(&mc->lock);
}

static void monc_open_on_loop(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_IDLE) {
		monc_hunt_locked(mc);
		loop_timer_arm(mc->loop, &mc->tick_timer, mc->ping_interval_ms);
	}
	pthread_mutex_unlock(&mc->lock);
}

int monc_open(struct monc *mc)
{
	loop_work_init(&mc->open_work, monc_open_on_loop, mc);
	loop_queue_work(mc->loop, &mc->open_work);
	return 0;
}

static void monc_reopen_on_loop(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_SESSION || mc->state == MC_HUNTING)
		monc_hunt_locked(mc);
	pthread_mutex_unlock(&mc->lock);
}

void monc_reopen(struct monc *mc)
{
	loop_run_sync(mc->loop, monc_reopen_on_loop, mc);
}

int monc_wait_session(struct monc *mc, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	pthread_mutex_lock(&mc->lock);
	while (!(mc->state == MC_SESSION && mc->monmap_raw)) {
		if (mc->auth_err) {
			r = mc->auth_err;
			break;
		}
		if (mc->state == MC_CLOSED) {
			r = -ESHUTDOWN;
			break;
		}
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT) {
			r = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

static void monc_resubscribe_on_loop(void *arg)
{
	struct monc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_SESSION)
		monc_send_locked(mc, build_subscribe_locked(mc));
	pthread_mutex_unlock(&mc->lock);
}

void monc_want(struct monc *mc, const char *what, uint64_t start, bool onetime)
{
	struct monc_sub *s = NULL;
	bool send;

	pthread_mutex_lock(&mc->lock);
	for (int i = 0; i < mc->num_subs; i++)
		if (!strcmp(mc->subs[i].what, what))
			s = &mc->subs[i];
	if (!s && mc->num_subs < MONC_MAX_SUBS) {
		s = &mc->subs[mc->num_subs++];
		snprintf(s->what, sizeof(s->what), "%s", what);
	}
	if (s) {
		s->start = start;
		s->flags = onetime ? CEPH_SUBSCRIBE_ONETIME : 0;
	}
	send = mc->state == MC_SESSION;
	pthread_mutex_unlock(&mc->lock);
	if (send)
		loop_run_sync(mc->loop, monc_resubscribe_on_loop, mc);
}

void monc_got(struct monc *mc, const char *what, uint64_t epoch)
{
	pthread_mutex_lock(&mc->lock);
	for (int i = 0; i < mc->num_subs; i++) {
		struct monc_sub *s = &mc->subs[i];

		if (strcmp(s->what, what))
			continue;
		if (s->flags & CEPH_SUBSCRIBE_ONETIME) {
			*s = mc->subs[--mc->num_subs];
		} else if (epoch + 1 > s->start) {
			s->start = epoch + 1;
		}
		break;
	}
	pthread_mutex_unlock(&mc->lock);
}

struct statfs_send {
	struct monc *mc;
	struct monc_req *req;
};

static void monc_statfs_on_loop(void *arg)
{
	struct statfs_send *ss = arg;
	struct monc *mc = ss->mc;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_SESSION)
		monc_send_locked(mc, build_statfs(mc, ss->req));
	pthread_mutex_unlock(&mc->lock);
}

int monc_statfs(struct monc *mc, int64_t data_pool, unsigned timeout_ms,
		struct ceph_statfs *out)
{
	struct monc_req *r = calloc(1, sizeof(*r)), **pp;
	struct statfs_send ss = { mc, r };
	struct timespec dl = deadline_after(timeout_ms);
	int ret = 0;

	if (!r)
		return -ENOMEM;
	r->data_pool = data_pool;
	pthread_mutex_lock(&mc->lock);
	r->tid = ++mc->last_tid;
	r->next = mc->reqs;
	mc->reqs = r;
	pthread_mutex_unlock(&mc->lock);
	loop_run_sync(mc->loop, monc_statfs_on_loop, &ss);

	pthread_mutex_lock(&mc->lock);
	while (!r->done && mc->state != MC_CLOSED) {
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT)
			break;
	}
	if (!r->done)
		ret = mc->state == MC_CLOSED ? -ESHUTDOWN : -ETIMEDOUT;
	else if (r->result)
		ret = r->result;
	else
		*out = r->st;
	for (pp = &mc->reqs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	pthread_mutex_unlock(&mc->lock);
	free(r);
	return ret;
}

uint64_t monc_global_id(struct monc *mc)
{
	return auth_global_id(mc->auth);
}

struct monmap *monc_copy_monmap(struct monc *mc)
{
	struct monmap *map = NULL;

	pthread_mutex_lock(&mc->lock);
	if (mc->monmap_raw &&
	    mmonmap_decode(mc->monmap_raw, mc->monmap_len, &map))
		map = NULL;
	pthread_mutex_unlock(&mc->lock);
	return map;
}

int monc_current_mon(struct monc *mc, struct entity_addr *addr)
{
	int r = -ENOTCONN;

	pthread_mutex_lock(&mc->lock);
	if (mc->state == MC_SESSION && mc->conn) {
		*addr = *conn_peer_addr(mc->conn);
		r = 0;
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

unsigned monc_hunt_count(struct monc *mc)
{
	unsigned n;

	pthread_mutex_lock(&mc->lock);
	n = mc->hunt_count;
	pthread_mutex_unlock(&mc->lock);
	return n;
}

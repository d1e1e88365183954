/* MDS client: sessions, requests and caps (see mdsc.h for the rules). */
#include "mdsc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/deadline.h"
#include "common/log.h"
#include "mds/mdsc_internal.h"
#include "mds/ceph_fs.h"
#include "mds/mds_proto.h"
#include "mds/mdsmap.h"

/* The CephFS features siphon implements (feature_bitset_t). Bit 9,
 * REPLY_ENCODING, makes the MDS send versioned inode/dir/lease stats. */
static const uint64_t siphon_cephfs_features[1] = {
	(1ULL << (CEPHFS_FEATURE_REPLY_ENCODING + 1)) - 1,
};

static void flush_mdlog_on_loop(void *arg);

/* ---- time ---- */

struct sp_time mdsc_now_realtime(void)
{
	struct timespec ts;
	struct sp_time t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t.sec = (uint32_t)ts.tv_sec;
	t.nsec = (uint32_t)ts.tv_nsec;
	return t;
}

/* ---- requests ---- */

struct mds_request *mdsc_request_new(uint32_t op)
{
	struct mds_request *req = calloc(1, sizeof(*req));

	if (!req)
		return NULL;
	req->refs = 1;
	req->rank_hint = -1;
	req->rank = -1;
	req->sent_rank = -1;
	req->msg.op = op;
	req->msg.path.ino = CEPH_INO_ROOT;
	return req;
}

static int set_path(char **slot, struct mds_filepath *fp, uint64_t ino,
		    const char *path)
{
	char *p = strdup(path ? path : "");

	if (!p)
		return -ENOMEM;
	free(*slot);
	*slot = p;
	fp->ino = ino;
	fp->path = p;
	return 0;
}

int mdsc_request_set_path(struct mds_request *req, uint64_t ino,
			  const char *path)
{
	return set_path(&req->path, &req->msg.path, ino, path);
}

int mdsc_request_set_path2(struct mds_request *req, uint64_t ino,
			   const char *path)
{
	return set_path(&req->path2, &req->msg.path2, ino, path);
}

int mdsc_request_set_data(struct mds_request *req, const void *p, size_t n)
{
	void *d = malloc(n ? n : 1);

	if (!d)
		return -ENOMEM;
	memcpy(d, p, n);
	free(req->xattr_data);
	req->xattr_data = d;
	req->msg.data = d;
	req->msg.data_len = n;
	return 0;
}

static void request_free(struct mds_request *req)
{
	if (req->have_reply)
		mds_reply_free(&req->reply);
	msg_free(req->reply_msg);
	free(req->path);
	free(req->path2);
	free(req->alt_name);
	free(req->xattr_data);
	free(req);
}

/* The caller holds one reference and the request table another while
 * the request is in flight; whoever drops the last one frees it. */
void mdsc_request_put(struct mds_request *req)
{
	if (req && __atomic_sub_fetch(&req->refs, 1, __ATOMIC_ACQ_REL) == 0)
		request_free(req);
}

void mdsc_table_remove_locked(struct mdsc *mc, struct mds_request *req)
{
	for (struct mds_request **pp = &mc->reqs; *pp; pp = &(*pp)->next)
		if (*pp == req) {
			*pp = req->next;
			req->next = NULL;
			mdsc_request_put(req);
			return;
		}
}

static struct mds_request *table_find_locked(struct mdsc *mc, uint64_t tid)
{
	for (struct mds_request *r = mc->reqs; r; r = r->next)
		if (r->msg.tid == tid)
			return r;
	return NULL;
}

/* A request is complete (its first reply, or a failure): waiters wake,
 * and a callback given to mdsc_submit() runs from the loop. */
void mdsc_request_complete_locked(struct mdsc *mc, struct mds_request *req)
{
	req->done = true;
	if (req->cb && !req->cb_queued) {
		req->cb_queued = true;
		__atomic_add_fetch(&req->refs, 1, __ATOMIC_ACQ_REL);	/* the work's */
		loop_queue_work(mc->loop, &req->cb_work);
	}
	pthread_cond_broadcast(&mc->cond);
}

static uint64_t oldest_tid_locked(struct mdsc *mc)
{
	return mc->reqs ? mc->reqs->msg.tid : 0;
}

/* The length of the directory part of a path from the root ("a/b" of
 * "a/b/c"), 0 for a top-level name. */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

/* The rank of the deepest hinted directory above (or at) dir, or -1. */
static int hint_lookup_locked(struct mdsc *mc, const char *path, size_t len)
{
	size_t best = 0;
	int rank = -1;

	for (int i = 0; i < MDS_MAX_HINTS; i++) {
		const char *d = mc->hints[i].dir;
		size_t n;

		if (!d)
			continue;
		n = strlen(d);
		if (n > len || (n && strncmp(d, path, n)) ||
		    (n && n < len && path[n] != '/'))
			continue;
		if (n >= best) {
			best = n;
			rank = mc->hints[i].rank;
		}
	}
	return rank;
}

static void hint_note_locked(struct mdsc *mc, const char *path, size_t len,
			     int rank)
{
	struct subtree_hint *h = NULL;
	char *d;

	for (int i = 0; i < MDS_MAX_HINTS; i++)
		if (mc->hints[i].dir && strlen(mc->hints[i].dir) == len &&
		    !strncmp(mc->hints[i].dir, path, len))
			h = &mc->hints[i];
	if (h) {
		h->rank = rank;
		return;
	}
	d = strndup(path, len);
	if (!d)
		return;
	h = &mc->hints[mc->next_hint++ % MDS_MAX_HINTS];
	free(h->dir);
	h->dir = d;
	h->rank = rank;
}

static bool rank_usable_locked(struct mdsc *mc, int rank)
{
	return rank >= 0 && rank < MDS_MAX_RANKS && rank < mc->max_mds &&
	       mc->ranks[rank].up;
}

static size_t dirauth_slot(uint64_t ino)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 54) % MDS_DIRAUTH_SLOTS;
}

static void dirauth_note_locked(struct mdsc *mc, uint64_t dir, int rank)
{
	size_t i = dirauth_slot(dir);

	if (!dir || rank < 0 || rank >= MDS_MAX_RANKS)
		return;
	mc->dirauth[i].ino = dir;
	mc->dirauth[i].rank = rank;
}

static int dirauth_lookup_locked(const struct mdsc *mc, uint64_t dir)
{
	size_t i = dirauth_slot(dir);

	return mc->dirauth[i].ino == dir ? mc->dirauth[i].rank : -1;
}

/* The rank whose cap on ino is the auth one, else any rank with a cap,
 * else -1. */
static int cap_rank_locked(const struct mdsc *mc, uint64_t ino)
{
	int any, n = mc->max_mds < MDS_MAX_RANKS ? mc->max_mds : MDS_MAX_RANKS;
	int auth = cap_table_auth_rank(&mc->caps, ino, n, &any);

	return auth >= 0 ? auth : any;
}

/* Where a request goes, as Ceph clients choose: a dentry (a directory
 * and a name, or a directory's listing) to the rank that is auth for the
 * directory's entries; an inode to the rank of its auth cap; a path
 * from the root by the deepest subtree seen; else rank 0. A wrong guess
 * costs a forward. */
static int choose_rank_locked(struct mdsc *mc, const struct mds_request *req)
{
	uint64_t ino = req->msg.path.ino;
	bool named = req->msg.path.path && req->msg.path.path[0];
	int rank = -1;

	if (req->rank >= 0 && req->num_fwd > 0)
		return req->rank;	/* where a forward sent it */
	if (rank_usable_locked(mc, req->rank_hint))
		return req->rank_hint;
	if (ino && ino != CEPH_INO_ROOT) {
		if (named || req->msg.op == CEPH_MDS_OP_READDIR)
			rank = dirauth_lookup_locked(mc, ino);
		if (!rank_usable_locked(mc, rank))
			rank = cap_rank_locked(mc, ino);
		if (rank_usable_locked(mc, rank))
			return rank;
	}
	if (ino == CEPH_INO_ROOT && req->msg.path.path) {
		rank = hint_lookup_locked(mc, req->msg.path.path,
					  dir_len(req->msg.path.path));
		if (rank_usable_locked(mc, rank))
			return rank;
	}
	return 0;
}

/* ---- sessions ---- */

static void session_dispatch(struct conn *c, struct msg *m, void *arg);
static void session_fault(struct conn *c, int err, void *arg);
static void session_peer_reset(struct conn *c, void *arg);
static int session_authorizer(struct conn *c, void *arg, uint32_t *proto,
			      struct buf *out);

static const struct conn_ops session_ops = {
	.dispatch = session_dispatch,
	.fault = session_fault,
	.peer_reset = session_peer_reset,
	.get_authorizer = session_authorizer,
};

static int session_authorizer(struct conn *c, void *arg, uint32_t *proto,
			      struct buf *out)
{
	struct mds_session *s = arg;

	return auth_build_authorizer(s->mc->auth, CEPH_ENTITY_TYPE_MDS, proto,
				     out);
}

void mdsc_session_send_locked(struct mds_session *s, struct msg *m)
{
	if (!m)
		return;
	if (!s->conn) {
		msg_free(m);
		return;
	}
	conn_send(s->conn, m);
}

static struct msg *build_open(struct mdsc *mc)
{
	const char *keys[] = { "entity_id", "hostname", "root",
			       "ceph_version", "client_name" };
	const char *vals[] = { mc->entity_id, mc->hostname, mc->root,
			       "siphon 0.1.0", "siphon" };
	struct mds_session_open o = {
		.meta_keys = keys,
		.meta_vals = vals,
		.num_meta = 5,
		.features = siphon_cephfs_features,
		.features_words = 1,
	};

	return mds_msg_session(CEPH_SESSION_REQUEST_OPEN, 0, &o);
}

/* Connects the session to the rank's current daemon (a new connection,
 * whose messages are counted from scratch). */
int mdsc_session_connect_locked(struct mdsc *mc, struct mds_session *s)
{
	struct rank_info *ri = &mc->ranks[s->rank];
	const struct entity_addr *a;
	struct entity_addr target;
	char label[32];

	a = entity_addrvec_find(&ri->addrs, CEPH_ENTITY_ADDR_TYPE_LEGACY);
	if (!a)
		a = entity_addrvec_find(&ri->addrs, CEPH_ENTITY_ADDR_TYPE_ANY);
	if (!a) {
		dout(LOG_MDSC, 0, "mds.%d has no messenger v1 address", s->rank);
		return -EADDRNOTAVAIL;
	}
	target = *a;
	target.type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	s->gid = ri->gid;
	s->inc = ri->inc;
	s->seq = 0;
	s->conn = messenger_connect(mc->msgr, &target, CEPH_ENTITY_TYPE_MDS,
				    CONN_LOSSLESS, &session_ops, s);
	if (!s->conn)
		return -ENOMEM;
	s->conn_gen++;
	snprintf(label, sizeof(label), "mds.%d", s->rank);
	conn_set_peer_label(s->conn, label);
	return 0;
}

/* Opens (or reopens) the session with rank. */
static struct mds_session *session_open_locked(struct mdsc *mc, int rank)
{
	struct mds_session *s = mc->sessions[rank];

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		s->mc = mc;
		s->rank = rank;
		mc->sessions[rank] = s;
	}
	s->state = SESSION_OPENING;
	if (mdsc_session_connect_locked(mc, s)) {
		s->state = SESSION_CLOSED;
		return NULL;
	}
	dout(LOG_MDSC, 1, "opening session with mds.%d", rank);
	mdsc_session_send_locked(s, build_open(mc));
	return s;
}

void mdsc_session_drop_conn_locked(struct mds_session *s)
{
	struct conn *c = s->conn;

	if (!c)
		return;
	s->conn = NULL;
	conn_close(c);
	conn_put(c);
}

static void send_renew_locked(struct mds_session *s)
{
	s->renew_seq++;
	s->renew_sent_ms = loop_now_ms();
	mdsc_session_send_locked(s, mds_msg_session(CEPH_SESSION_REQUEST_RENEWCAPS,
					       s->renew_seq, NULL));
}

/* The session is gone for good (rejected, e.g. after an eviction):
 * requests waiting on it fail rather than wait out their timeout. */
static void fail_session_requests_locked(struct mdsc *mc, int rank, int err)
{
	for (struct mds_request *r = mc->reqs; r; r = r->next)
		if (!r->done && !r->aborted && choose_rank_locked(mc, r) == rank) {
			r->result = err;
			mdsc_request_complete_locked(mc, r);
		}
	pthread_cond_broadcast(&mc->cond);
}

/* ---- notifications to the layer above ---- */

void mdsc_set_notify(struct mdsc *mc, const struct mdsc_notify *n)
{
	pthread_mutex_lock(&mc->lock);
	if (n)
		mc->notify = *n;
	else
		memset(&mc->notify, 0, sizeof(mc->notify));
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_queue_event_locked(struct mdsc *mc, enum mdsc_event_kind kind,
			     uint64_t ino, const char *name, size_t len)
{
	struct mdsc_event *e;

	if (!mc->notify.inval_inode && !mc->notify.inval_entry &&
	    !mc->notify.trim && !mc->notify.flush && !mc->notify.ready)
		return;
	if (mc->nevents == mc->cap_events) {
		size_t cap = mc->cap_events ? mc->cap_events * 2 : 16;
		void *p = realloc(mc->events, cap * sizeof(*mc->events));

		if (!p)
			return;		/* the caches' timeouts still bound it */
		mc->events = p;
		mc->cap_events = cap;
	}
	e = &mc->events[mc->nevents];
	e->kind = kind;
	e->ino = ino;
	e->name = NULL;
	e->len = 0;
	if (name) {
		e->name = strndup(name, len);
		if (!e->name)
			return;
		e->len = len;
	}
	mc->nevents++;
}

/* Takes the queued events (mc->lock held) and delivers them after the
 * lock is dropped. */
static void deliver_events(struct mdsc_event *ev, size_t n,
			   const struct mdsc_notify *nt)
{
	for (size_t i = 0; i < n; i++) {
		switch (ev[i].kind) {
		case MDSC_EV_INODE:
			if (nt->inval_inode)
				nt->inval_inode(nt->arg, ev[i].ino);
			break;
		case MDSC_EV_ENTRY:
			if (nt->inval_entry)
				nt->inval_entry(nt->arg, ev[i].ino, ev[i].name,
						ev[i].len);
			break;
		case MDSC_EV_TRIM:
			if (nt->trim)
				nt->trim(nt->arg);
			break;
		case MDSC_EV_FLUSH:
			if (nt->flush)
				nt->flush(nt->arg, ev[i].ino);
			break;
		case MDSC_EV_READY:
			if (nt->ready)
				nt->ready(nt->arg, ev[i].ino);
			break;
		}
		free(ev[i].name);
	}
	free(ev);
}

static bool keep_open_cap(void *arg, uint64_t ino)
{
	struct mdsc *mc = arg;

	return mdsc_file_busy_locked(mc, ino) ||
	       (mc->keep_held && mc->keep_held(mc->keep_arg, ino));
}

void mdsc_set_keep(struct mdsc *mc, bool (*held)(void *arg, uint64_t ino),
		   void *arg)
{
	pthread_mutex_lock(&mc->lock);
	mc->keep_held = held;
	mc->keep_arg = arg;
	pthread_mutex_unlock(&mc->lock);
}

static void handle_session_locked(struct mds_session *s, struct msg *m)
{
	struct mdsc *mc = s->mc;
	struct mds_session_msg sm;
	int r;

	r = mds_session_decode(m->front.data, m->front.len, m->version, &sm);
	if (r) {
		dout(LOG_MDSC, 0, "mds.%d: bad session message: %s", s->rank,
		     strerror(-r));
		return;
	}
	switch (sm.op) {
	case CEPH_SESSION_OPEN:
		if (s->state == SESSION_RECONNECTING) {
			dout(LOG_MDSC, 0, "mds.%d took our reconnect", s->rank);
			s->reconnected = true;
		}
		s->state = SESSION_OPEN;
		s->stale = false;
		/* The MDS encodes for the features we announced: what
		 * both sides have decides every encoding on the session. */
		memset(s->features, 0, sizeof(s->features));
		s->features[0] = sm.features_words ?
				 sm.features[0] & siphon_cephfs_features[0] : 0;
		s->features_words = 1;
		s->cap_ttl_ms = loop_now_ms() + mc->session_timeout_s * 1000ULL;
		mc->stats.sessions_open++;
		dout(LOG_MDSC, 1, "session with mds.%d open", s->rank);
		mdsc_kick_rank_locked(mc, s->rank);
		break;
	case CEPH_SESSION_RENEWCAPS:
		if (sm.seq == s->renew_seq) {
			uint64_t ttl = s->renew_sent_ms +
				       mc->session_timeout_s * 1000ULL;

			if (s->stale)
				dout(LOG_MDSC, 1, "mds.%d caps fresh again",
				     s->rank);
			s->stale = false;
			s->cap_ttl_ms = ttl;
			s->reset_renew_ms = 0;
		}
		break;
	case CEPH_SESSION_STALE:
		/* the MDS thinks we went quiet: caps are stale until renewed */
		if (!s->stale)
			s->cap_gen++;
		s->stale = true;
		send_renew_locked(s);
		break;
	case CEPH_SESSION_CLOSE:
		if (s->state == SESSION_RECONNECTING) {
			/* too late, or the daemon had no session of ours */
			mdsc_session_lost_locked(mc, s, "reconnect refused");
			break;
		}
		if (s->state == SESSION_OPEN &&
		    cap_table_count_rank_auth(&mc->caps, s->rank)) {
			/* not asked for, with caps of inodes it is auth
			 * for: the MDS evicted us; they are all gone */
			s->recon_gen++;
			mdsc_session_lost_locked(mc, s, "closed by the MDS");
			break;
		}
		/* asked for, or holding only replica caps (a rank stopping
		 * as max_mds went down hands its auth caps to another
		 * first): the session's caps go with it */
		cap_table_drop_session(&mc->caps, s->rank);
		mdcache_drop_mds(&mc->cache, s->rank);
		mdsc_session_drop_conn_locked(s);
		s->state = SESSION_CLOSED;
		dout(LOG_MDSC, 1, "session with mds.%d closed", s->rank);
		mdsc_kick_rank_locked(mc, s->rank);
		break;
	case CEPH_SESSION_RECALL_STATE:
		/* give back every cap of this session no open file uses */
		mc->stats.caps_released +=
			cap_table_release_session_except(&mc->caps, s->rank,
							 keep_open_cap, mc);
		mdcache_drop_mds(&mc->cache, s->rank);
		cap_table_flush_releases(&mc->caps, s->rank, s->conn);
		mdsc_queue_event_locked(mc, MDSC_EV_TRIM, 0, NULL, 0);
		break;
	case CEPH_SESSION_FLUSHMSG:
		mdsc_session_send_locked(s, mds_msg_session(CEPH_SESSION_FLUSHMSG_ACK,
						       sm.seq, NULL));
		break;
	case CEPH_SESSION_FORCE_RO:
		dout(LOG_MDSC, 0, "mds.%d forces the file system read-only",
		     s->rank);
		break;
	case CEPH_SESSION_REJECT:
		s->state = SESSION_REJECTED;
		snprintf(s->reject_reason, sizeof(s->reject_reason), "%s",
			 "rejected by the MDS");
		for (uint32_t i = 0; i < sm.num_meta; i++)
			if (sm.meta[i].klen == 12 &&
			    !memcmp(sm.meta[i].k, "error_string", 12))
				snprintf(s->reject_reason,
					 sizeof(s->reject_reason), "%.*s",
					 (int)sm.meta[i].vlen, sm.meta[i].v);
		dout(LOG_MDSC, 0, "mds.%d rejected the session: %s", s->rank,
		     s->reject_reason);
		fail_session_requests_locked(mc, s->rank, -EIO);
		if (strstr(s->reject_reason, "blocklist") ||
		    strstr(s->reject_reason, "blacklist")) {
			mdsc_evicted_locked(mc);
		} else if (strstr(s->reject_reason, "sessionless")) {
			/* our renewal after a reset reached a daemon that
			 * dropped the session (evicted, or closed it): lose
			 * the caps and try a fresh one, which says whether
			 * we are blocklisted */
			s->state = SESSION_OPEN;
			mdsc_session_lost_locked(mc, s, "the MDS has no session of ours");
		}
		break;
	default:
		dout(LOG_MDSC, 1, "mds.%d: session op %u ignored", s->rank,
		     sm.op);
	}
	mds_session_msg_free(&sm);
	pthread_cond_broadcast(&mc->cond);
}

/* ---- sending requests ---- */

void mdsc_send_request_locked(struct mdsc *mc, struct mds_request *req,
				struct mds_session *s)
{
	struct msg *m;

	req->msg.oldest_client_tid = oldest_tid_locked(mc);
	req->msg.mdsmap_epoch = mc->mdsmap_epoch;
	req->msg.num_fwd = (uint32_t)req->num_fwd;
	req->msg.stamp = mdsc_now_realtime();
	req->rank = s->rank;
	req->sent_rank = s->rank;
	req->sent_conn_gen = s->conn_gen;
	m = mds_msg_request(&req->msg, s->features, s->features_words);
	if (!m) {
		req->result = -ENOMEM;
		mdsc_request_complete_locked(mc, req);
		return;
	}
	dout(LOG_MDSC, 5, "send tid %llu op %#x to mds.%d",
	     (unsigned long long)req->msg.tid, req->msg.op, s->rank);
	req->msg.num_retry++;
	mdsc_session_send_locked(s, m);
}

/* Sends a request, or leaves it waiting for its rank's session. */
static void route_request_locked(struct mdsc *mc, struct mds_request *req)
{
	int rank = choose_rank_locked(mc, req);
	struct mds_session *s;

	if (req->done && req->got_unsafe)
		return;		/* only waiting to be safe */
	if (rank >= MDS_MAX_RANKS || !mc->ranks[rank].up ||
	    mc->ranks[rank].state != CEPH_MDS_STATE_ACTIVE)
		return;		/* wait for a map where it is active */
	s = mc->sessions[rank];
	if (mc->blocklisted || (s && s->state == SESSION_REJECTED)) {
		req->result = -EIO;
		mdsc_request_complete_locked(mc, req);
		return;
	}
	if (!s || s->state == SESSION_CLOSED || s->state == SESSION_NEW) {
		session_open_locked(mc, rank);
		return;		/* sent when the session opens */
	}
	if (s->state != SESSION_OPEN)
		return;
	mdsc_send_request_locked(mc, req, s);
}

/* A session opened or a rank came up: send what waits for it. */
void mdsc_kick_rank_locked(struct mdsc *mc, int rank)
{
	const struct mds_session *s = mc->sessions[rank];

	for (struct mds_request *r = mc->reqs; r; r = r->next) {
		if (r->got_unsafe || r->got_safe || r->aborted || r->done ||
		    choose_rank_locked(mc, r) != rank)
			continue;
		/* sent on this very connection already (resent in the
		 * reconnect: the MDS has it queued) */
		if (s && r->sent_rank == rank && r->sent_conn_gen == s->conn_gen)
			continue;
		route_request_locked(mc, r);
	}
}

/* ---- the metadata cache ---- */

static bool session_fresh_locked(struct mdsc *mc, int rank)
{
	struct mds_session *s = rank >= 0 && rank < MDS_MAX_RANKS ?
				mc->sessions[rank] : NULL;

	return s && s->state == SESSION_OPEN && !s->stale;
}

/* Remembers an inode's attributes with the gen of the cap that covers
 * them; without a cap there is nothing to vouch for them later. */
static void cache_inode_locked(struct mdsc *mc, int rank,
			       const struct mds_inode_stat *st)
{
	const struct cap_entry *cap = cap_table_find(&mc->caps, rank, st->ino);
	struct mdcache_inode *i;

	if (!cap) {
		mdcache_drop_inode(&mc->cache, st->ino);
		return;
	}
	mdcache_put_inode(&mc->cache, rank, cap->gen, st);
	if ((i = mdcache_get_inode(&mc->cache, st->ino)))
		mdsc_file_overlay_locked(mc, &i->st);
}

static void cache_dentry_locked(struct mds_session *s, uint64_t dir,
				const char *name, uint32_t len, uint64_t ino,
				const struct mds_lease *lease)
{
	struct mdsc *mc = s->mc;
	const struct cap_entry *dcap = cap_table_find(&mc->caps, s->rank, dir);
	uint64_t until = 0;

	if ((lease->mask & CEPH_LEASE_VALID) && lease->duration_ms)
		until = loop_now_ms() + lease->duration_ms;
	if (!until && !(dcap && (dcap->issued & CEPH_CAP_FILE_SHARED))) {
		mdcache_drop_dentry(&mc->cache, dir, name, len);
		return;
	}
	mdcache_put_dentry(&mc->cache, dir, name, len, ino, s->rank, until,
			   s->cap_gen, dcap ? dcap->shared_gen : 0);
	if (until) {
		struct mdcache_dentry *d = mdcache_get_dentry(&mc->cache, dir,
							      name, len);

		if (d) {
			d->lease_ms = lease->duration_ms;
			d->lease_seq = lease->seq;
			d->renewing = false;
		}
	}
}

/* A dentry in use whose lease is past half its life: ask the MDS to
 * extend it (as the kernel client does) instead of letting the next use
 * after expiry cost a LOOKUP. */
static void renew_lease_locked(struct mdsc *mc, struct mdcache_dentry *d)
{
	struct mds_session *s = mc->sessions[d->mds];
	uint64_t now = loop_now_ms();
	struct mds_lease_msg lm;

	if (d->renewing || !d->lease_ms ||
	    d->lease_until_ms - now > d->lease_ms / 2)
		return;
	lm = (struct mds_lease_msg){
		.action = CEPH_MDS_LEASE_RENEW,
		.mask = CEPH_LOCK_DN,
		.ino = d->dir,
		.first = CEPH_NOSNAP,
		.last = CEPH_NOSNAP,
		.seq = d->lease_seq,
		.dname = d->name,
		.dname_len = (uint32_t)strlen(d->name),
	};
	d->renewing = true;
	mdsc_session_send_locked(s, mds_msg_lease(&lm));
}

static void forget_listing_locked(struct mdsc *mc, uint64_t dir)
{
	for (int i = 0; i < MDS_MAX_LISTINGS; i++)
		if (mc->listings[i].used && mc->listings[i].dir == dir)
			listing_clear(&mc->listings[i]);
}

static struct listing *find_listing_locked(struct mdsc *mc, uint64_t dir)
{
	for (int i = 0; i < MDS_MAX_LISTINGS; i++)
		if (mc->listings[i].used && mc->listings[i].dir == dir)
			return &mc->listings[i];
	return NULL;
}

/* Our own successful change of one entry, named by (directory, name):
 * keeps the directory's listing complete instead of forgetting it. A
 * directory we just made is complete and empty while we hold its Fs.
 * False if the listing (if any) must be forgotten. */
static bool listing_note_change_locked(struct mdsc *mc, int rank,
				       const struct mds_request *req,
				       const struct mds_reply *rep)
{
	uint32_t op = req->msg.op;
	uint64_t ino = rep->is_target ? rep->targeti.ino : 0;
	struct listing *l;

	if (rep->result || !rep->is_dentry ||
	    req->msg.path.ino != rep->diri.ino)
		return false;
	switch (op) {
	case CEPH_MDS_OP_UNLINK:
	case CEPH_MDS_OP_RMDIR:
		ino = 0;
		break;
	case CEPH_MDS_OP_CREATE:
	case CEPH_MDS_OP_MKDIR:
	case CEPH_MDS_OP_MKNOD:
	case CEPH_MDS_OP_SYMLINK:
	case CEPH_MDS_OP_LINK:
		if (!ino)
			return false;
		break;
	default:
		return false;
	}
	l = find_listing_locked(mc, rep->diri.ino);
	if (l && !ino)
		listing_remove(l, rep->dname, rep->dname_len);
	else if (l && listing_set(l, rep->dname, rep->dname_len, ino))
		return false;
	if (op == CEPH_MDS_OP_MKDIR) {
		const struct cap_entry *cap = cap_table_find(&mc->caps, rank, ino);

		if (cap && (cap->issued & CEPH_CAP_FILE_SHARED)) {
			struct listing nl;

			listing_init(&nl, ino, rank, cap->shared_gen);
			forget_listing_locked(mc, ino);
			listing_clear(&mc->listings[mc->next_listing %
						    MDS_MAX_LISTINGS]);
			mc->listings[mc->next_listing++ % MDS_MAX_LISTINGS] = nl;
		}
	}
	return true;
}

/* Forgets a directory entry and the inode it named: a change of ours
 * went through it (the inode's links or ctime changed with it). */
static void forget_dentry_locked(struct mdsc *mc, uint64_t dir,
				 const char *name, size_t len)
{
	struct mdcache_dentry *d = mdcache_get_dentry(&mc->cache, dir, name, len);

	if (!d)
		return;
	mdcache_drop_inode(&mc->cache, d->ino);
	mdcache_drop_dentry(&mc->cache, dir, name, len);
}

/* A request path given as (directory inode, name). */
/* An UNLINK or RMDIR succeeded: if it removed the inode's last link (as
 * far as the cache knows the inode), remember to give its caps back. */
static uint64_t name_hash(const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (size_t k = 0; k < len; k++)
		h = (h ^ (uint8_t)name[k]) * 0x100000001b3ULL;
	return h;
}

static struct recent_name *recent_slot(struct mdsc *mc, uint64_t dir,
				       uint64_t h)
{
	return &mc->recent[(h ^ (dir * 0x9e3779b97f4a7c15ULL)) &
			   (MDS_RECENT_NAMES - 1)];
}

static void note_name_locked(struct mdsc *mc, uint64_t dir, const char *name,
			     size_t len, uint64_t ino, uint32_t nlink)
{
	uint64_t h = name_hash(name, len);
	struct recent_name *r = recent_slot(mc, dir, h);

	r->dir = dir;
	r->name_hash = h;
	r->ino = ino;
	r->nlink = nlink;
}

static void note_unlinked_locked(struct mdsc *mc, const struct mds_request *req)
{
	const struct mds_filepath *fp = &req->msg.path;
	const struct recent_name *r;
	uint64_t h;

	if (!fp->ino || !fp->path || !*fp->path || strchr(fp->path, '/'))
		return;
	h = name_hash(fp->path, strlen(fp->path));
	r = recent_slot(mc, fp->ino, h);
	if (r->dir != fp->ino || r->name_hash != h || !r->ino)
		return;
	if (r->nlink > 1 && req->msg.op == CEPH_MDS_OP_UNLINK)
		return;		/* other links remain */
	if (mc->nunlinked == mc->cap_unlinked) {
		size_t cap = mc->cap_unlinked ? mc->cap_unlinked * 2 : 64;
		void *p;

		if (cap > 65536)
			return;	/* the caps go when the cache trims them */
		p = realloc(mc->unlinked, cap * sizeof(*mc->unlinked));
		if (!p)
			return;
		mc->unlinked = p;
		mc->cap_unlinked = cap;
	}
	mc->unlinked[mc->nunlinked++] = r->ino;
}

/* Gives back the caps of unlinked inodes nothing uses any more. */
static void release_unlinked_locked(struct mdsc *mc)
{
	for (size_t k = 0; k < mc->nunlinked;) {
		uint64_t ino = mc->unlinked[k];

		if (keep_open_cap(mc, ino)) {
			k++;
			continue;
		}
		dout(LOG_MDSC, 5, "ino %llx unlinked and unused: caps back",
		     (unsigned long long)ino);
		mc->stats.caps_released += cap_table_release_ino(&mc->caps, ino);
		mdcache_drop_inode(&mc->cache, ino);
		filelocks_forget(&mc->locks, ino);
		mc->unlinked[k] = mc->unlinked[--mc->nunlinked];
	}
}

static void forget_request_path_locked(struct mdsc *mc,
				       const struct mds_filepath *fp)
{
	if (fp->ino && fp->ino != CEPH_INO_ROOT && fp->path && *fp->path &&
	    !strchr(fp->path, '/'))
		forget_dentry_locked(mc, fp->ino, fp->path, strlen(fp->path));
}

/* What a reply teaches the cache, and what a change of ours unteaches:
 * the dentries it went through (from the trace and from the request)
 * and the inodes they named, before the trace fills in the new state. */
static void cache_reply_locked(struct mds_session *s,
			       const struct mds_request *req,
			       const struct mds_reply *rep)
{
	struct mdsc *mc = s->mc;
	uint32_t op = req->msg.op;

	if ((op == CEPH_MDS_OP_UNLINK || op == CEPH_MDS_OP_RMDIR) &&
	    !rep->result)
		note_unlinked_locked(mc, req);
	if (op & CEPH_MDS_OP_WRITE) {
		/* the directory whose listing this change keeps complete */
		uint64_t kept = listing_note_change_locked(mc, s->rank, req, rep) ?
				rep->diri.ino : 0;

		mc->mut_seq++;
		if (rep->is_dentry) {
			forget_dentry_locked(mc, rep->diri.ino, rep->dname,
					     rep->dname_len);
			if (rep->diri.ino != kept)
				forget_listing_locked(mc, rep->diri.ino);
		}
		if (req->msg.path.ino != CEPH_INO_ROOT &&
		    req->msg.path.ino != kept)
			forget_listing_locked(mc, req->msg.path.ino);
		if (req->msg.path2.ino && req->msg.path2.ino != kept)
			forget_listing_locked(mc, req->msg.path2.ino);
		if (req->msg.path.ino == CEPH_INO_ROOT &&
		    kept != CEPH_INO_ROOT)
			forget_listing_locked(mc, CEPH_INO_ROOT);
		forget_request_path_locked(mc, &req->msg.path);
		if (op == CEPH_MDS_OP_RENAME || op == CEPH_MDS_OP_LINK)
			forget_request_path_locked(mc, &req->msg.path2);
		if (rep->is_target)
			mdcache_drop_inode(&mc->cache, rep->targeti.ino);
	}
	if (rep->result)
		return;
	if (rep->is_target)
		cache_inode_locked(mc, s->rank, &rep->targeti);
	if (rep->is_dentry) {
		cache_inode_locked(mc, s->rank, &rep->diri);
		if (rep->is_target) {
			cache_dentry_locked(s, rep->diri.ino, rep->dname,
					    rep->dname_len, rep->targeti.ino,
					    &rep->dlease);
			note_name_locked(mc, rep->diri.ino, rep->dname,
					 rep->dname_len, rep->targeti.ino,
					 rep->targeti.nlink);
		}
	}
	if (rep->has_readdir && rep->is_target)
		for (uint32_t i = 0; i < rep->num_entries; i++) {
			const struct mds_readdir_entry *e = &rep->entries[i];

			cache_inode_locked(mc, s->rank, &e->inode);
			cache_dentry_locked(s, rep->targeti.ino, e->name,
					    e->name_len, e->inode.ino, &e->lease);
			note_name_locked(mc, rep->targeti.ino, e->name,
					 e->name_len, e->inode.ino,
					 e->inode.nlink);
		}
}

uint32_t mdsc_dentry_lease_left(struct mdsc *mc, uint64_t dir, const char *name,
				size_t len)
{
	struct mdcache_dentry *d;
	uint64_t now = loop_now_ms();
	uint32_t left = 0;

	pthread_mutex_lock(&mc->lock);
	d = mdcache_get_dentry(&mc->cache, dir, name, len);
	if (d && session_fresh_locked(mc, d->mds) &&
	    d->session_gen == mc->sessions[d->mds]->cap_gen &&
	    d->lease_until_ms > now)
		left = d->lease_until_ms - now > UINT32_MAX ?
		       UINT32_MAX : (uint32_t)(d->lease_until_ms - now);
	pthread_mutex_unlock(&mc->lock);
	return left;
}

static bool dir_shared_locked(struct mdsc *mc, int mds, uint64_t dir,
			      unsigned shared_gen)
{
	const struct cap_entry *cap = cap_table_find(&mc->caps, mds, dir);

	return cap && (cap->issued & CEPH_CAP_FILE_SHARED) &&
	       cap->shared_gen == shared_gen && session_fresh_locked(mc, mds);
}

int mdsc_cached_lookup(struct mdsc *mc, uint64_t dir, const char *name,
		       size_t len, uint64_t *ino)
{
	struct mdcache_dentry *d;
	int r = -ENOENT;

	pthread_mutex_lock(&mc->lock);
	d = mdcache_get_dentry(&mc->cache, dir, name, len);
	if (d && session_fresh_locked(mc, d->mds)) {
		const struct cap_entry *dcap = cap_table_find(&mc->caps, d->mds, dir);
		bool leased = d->lease_until_ms > loop_now_ms() &&
			      d->session_gen == mc->sessions[d->mds]->cap_gen;
		bool shared = dcap && (dcap->issued & CEPH_CAP_FILE_SHARED) &&
			      dcap->shared_gen == d->dir_cap_gen;

		if (leased || shared) {
			*ino = d->ino;
			r = 0;
		}
		if (leased)
			renew_lease_locked(mc, d);
	}
	if (r && d)
		mdcache_drop_dentry(&mc->cache, dir, name, len);
	if (r) {
		/* a complete listing, under the Fs it was taken with, knows
		 * every name of the directory: this one, or that it is not */
		const struct listing *l = find_listing_locked(mc, dir);

		if (l && dir_shared_locked(mc, l->mds, dir, l->shared_gen)) {
			int64_t k = listing_find(l, name, len);

			if (k >= 0)
				*ino = l->inos[k];
			r = k >= 0 ? 0 : MDSC_LOOKUP_ABSENT;
		}
	}
	if (r != -ENOENT)
		mc->stats.cache_hits++;
	pthread_mutex_unlock(&mc->lock);
	return r;
}

int mdsc_cached_getattr(struct mdsc *mc, uint64_t ino, uint32_t need,
			struct mds_inode_stat *out)
{
	struct mdcache_inode *i;
	int r = -ENOENT;

	pthread_mutex_lock(&mc->lock);
	i = mdcache_get_inode(&mc->cache, ino);
	if (i && session_fresh_locked(mc, i->mds)) {
		const struct cap_entry *cap = cap_table_find(&mc->caps, i->mds, ino);

		if (cap && cap->gen == i->cap_gen &&
		    (cap->issued & need) == need) {
			*out = i->st;
			r = 0;
		}
	}
	if (r && i)
		mdcache_drop_inode(&mc->cache, ino);
	if (!r)
		mc->stats.cache_hits++;
	pthread_mutex_unlock(&mc->lock);
	return r;
}

int mdsc_cached_xattrs(struct mdsc *mc, uint64_t ino, uint8_t **blob,
		       uint32_t *len)
{
	struct mdcache_inode *i;
	int r = -ENOENT;

	*blob = NULL;
	*len = 0;
	pthread_mutex_lock(&mc->lock);
	i = mdcache_get_inode(&mc->cache, ino);
	if (i && i->xattrs && session_fresh_locked(mc, i->mds)) {
		const struct cap_entry *cap = cap_table_find(&mc->caps, i->mds, ino);

		if (cap && cap->gen == i->cap_gen &&
		    (cap->issued & CEPH_CAP_XATTR_SHARED)) {
			*blob = malloc(i->xattrs_len);
			r = *blob ? 0 : -ENOMEM;
			if (*blob) {
				memcpy(*blob, i->xattrs, i->xattrs_len);
				*len = i->xattrs_len;
			}
		}
	}
	if (!r)
		mc->stats.cache_hits++;
	pthread_mutex_unlock(&mc->lock);
	return r;
}


void mdsc_cache_listing(struct mdsc *mc, uint64_t dir,
			const struct mdsc_listing_token *tok,
			char *const *names, const uint64_t *inos, uint32_t n)
{
	struct listing l;

	/* built (and indexed) before the lock is taken */
	listing_init(&l, dir, tok->mds, tok->shared_gen);
	for (uint32_t i = 0; i < n; i++)
		if (listing_set(&l, names[i], strlen(names[i]), inos[i])) {
			listing_clear(&l);
			return;
		}
	pthread_mutex_lock(&mc->lock);
	if (tok->mut_seq == mc->mut_seq &&
	    dir_shared_locked(mc, tok->mds, dir, tok->shared_gen)) {
		forget_listing_locked(mc, dir);
		listing_clear(&mc->listings[mc->next_listing % MDS_MAX_LISTINGS]);
		mc->listings[mc->next_listing++ % MDS_MAX_LISTINGS] = l;
		l.used = false;
	}
	pthread_mutex_unlock(&mc->lock);
	if (l.used)
		listing_clear(&l);
}

void mdsc_free_entries(struct mdsc_cached_entry *e, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

int mdsc_cached_listing(struct mdsc *mc, uint64_t dir,
			struct mdsc_cached_entry **out, uint32_t *n)
{
	struct mdsc_cached_entry *e = NULL;
	struct listing *l = NULL;
	uint32_t k = 0;
	int r = -ENOENT;

	pthread_mutex_lock(&mc->lock);
	l = find_listing_locked(mc, dir);
	if (!l || !dir_shared_locked(mc, l->mds, dir, l->shared_gen))
		goto out;
	e = calloc(l->n ? l->n : 1, sizeof(*e));
	if (!e)
		goto out;
	for (k = 0; k < l->n; k++) {
		struct mdcache_inode *in = mdcache_get_inode(&mc->cache, l->inos[k]);
		const struct cap_entry *cap = in ? cap_table_find(&mc->caps, in->mds,
								 l->inos[k]) : NULL;

		if (!cap || cap->gen != in->cap_gen ||
		    !session_fresh_locked(mc, in->mds) ||
		    (cap->issued & (CEPH_CAP_AUTH_SHARED | CEPH_CAP_LINK_SHARED |
				    CEPH_CAP_FILE_SHARED)) !=
		    (CEPH_CAP_AUTH_SHARED | CEPH_CAP_LINK_SHARED |
		     CEPH_CAP_FILE_SHARED))
			goto out;
		e[k].name = strdup(l->names[k]);
		if (!e[k].name)
			goto out;
		e[k].st = in->st;
	}
	*out = e;
	*n = l->n;
	e = NULL;
	r = 0;
	mc->stats.cache_hits++;
out:
	pthread_mutex_unlock(&mc->lock);
	if (e)
		mdsc_free_entries(e, l->n);	/* calloc'd: unset names are NULL */
	return r;
}

/* ---- replies, forwards ---- */

static void note_reply_caps_locked(struct mdsc *mc, int rank,
				   const struct mds_inode_stat *st)
{
	if (!st->ino)
		return;
	if (st->cap.cap_id) {
		struct cap_entry *e = cap_table_update(&mc->caps, rank, st->ino,
						       st->cap.cap_id,
						       st->cap.caps, st->cap.seq,
						       st->cap.seq, st->cap.mseq,
						       st->cap.realm);

		if (e && mc->sessions[rank])
			e->recon_gen = mc->sessions[rank]->recon_gen;
		if (e)
			e->auth = st->cap.flags & CEPH_CAP_FLAG_AUTH;
	}
	mdsc_file_note_stat_locked(mc, rank, st);
}

static void handle_reply_locked(struct mds_session *s, struct msg *m)
{
	struct mdsc *mc = s->mc;
	struct mds_request *req = table_find_locked(mc, m->tid);
	struct mds_reply rep;
	int r;

	if (!req) {
		dout(LOG_MDSC, 1, "mds.%d: reply to unknown tid %llu", s->rank,
		     (unsigned long long)m->tid);
		return;
	}
	r = mds_reply_decode(m->front.data, m->front.len, s->features,
			     s->features_words, &rep);
	if (r) {
		dout(LOG_MDSC, 0, "mds.%d: bad reply to tid %llu: %s", s->rank,
		     (unsigned long long)m->tid, strerror(-r));
		if (!req->done) {
			req->result = -EIO;
			mdsc_request_complete_locked(mc, req);
		}
		mdsc_table_remove_locked(mc, req);
		pthread_cond_broadcast(&mc->cond);
		return;
	}
	if (req->msg.path.ino == CEPH_INO_ROOT && req->msg.path.path &&
	    !req->have_reply) {
		/* the dentry's directory is served by dirstat.auth, or at
		 * least by the rank that answered */
		int auth = rep.is_dentry && rep.dirstat.auth >= 0 ?
			   rep.dirstat.auth : s->rank;

		hint_note_locked(mc, req->msg.path.path,
				 dir_len(req->msg.path.path), auth);
	}
	if (rep.is_dentry && rep.dirstat.auth >= 0)
		dirauth_note_locked(mc, rep.diri.ino, rep.dirstat.auth);
	if (rep.has_readdir && rep.is_target && rep.readdir_dir.auth >= 0)
		dirauth_note_locked(mc, rep.targeti.ino, rep.readdir_dir.auth);
	if (rep.is_dentry && !req->dir_ino)
		req->dir_ino = rep.diri.ino;
	if (rep.is_target && !req->target_ino)
		req->target_ino = rep.targeti.ino;
	if (rep.is_dentry)
		note_reply_caps_locked(mc, s->rank, &rep.diri);
	if (rep.is_target)
		note_reply_caps_locked(mc, s->rank, &rep.targeti);
	for (uint32_t i = 0; i < rep.num_entries; i++)
		note_reply_caps_locked(mc, s->rank, &rep.entries[i].inode);

	if (!req->have_reply)
		cache_reply_locked(s, req, &rep);
	if (!req->have_reply && rep.has_readdir && rep.is_target) {
		const struct cap_entry *dcap = cap_table_find(&mc->caps, s->rank,
							      rep.targeti.ino);

		if (dcap && (dcap->issued & CEPH_CAP_FILE_SHARED)) {
			req->listing_ok = true;
			req->listing.mds = s->rank;
			req->listing.shared_gen = dcap->shared_gen;
			req->listing.mut_seq = mc->mut_seq;
		}
	}
	if (rep.safe) {
		mc->stats.safe_replies++;
		req->got_safe = true;
		/* an fsync without a thread waits for this */
		if (req->target_ino)
			mdsc_queue_event_locked(mc, MDSC_EV_READY,
						req->target_ino, NULL, 0);
		if (req->dir_ino && req->dir_ino != req->target_ino)
			mdsc_queue_event_locked(mc, MDSC_EV_READY, req->dir_ino,
						NULL, 0);
	} else {
		mc->stats.unsafe_replies++;
		req->got_unsafe = true;
	}
	/* The first reply carries the trace; a safe one after an unsafe
	 * one usually has none and only says "on disk". */
	if (!req->have_reply) {
		req->reply_msg = msg_new(0, 0, 0);
		if (req->reply_msg) {
			/* keep the front: the reply's views point into it */
			struct buf tmp = m->front;

			m->front = req->reply_msg->front;
			req->reply_msg->front = tmp;
			req->reply = rep;
			req->have_reply = true;
			req->result = rep.result;
		} else {
			req->result = -ENOMEM;
			mds_reply_free(&rep);
		}
	} else {
		mds_reply_free(&rep);
	}
	if (!req->done)
		mdsc_note_filelock_locked(mc, req);
	mdsc_request_complete_locked(mc, req);
	dout(LOG_MDSC, 5, "tid %llu %s reply: %d", (unsigned long long)req->msg.tid,
	     req->got_safe ? "safe" : "unsafe", req->result);
	if (req->got_safe)
		mdsc_table_remove_locked(mc, req);
	pthread_cond_broadcast(&mc->cond);
}

static void handle_forward_locked(struct mds_session *s, struct msg *m)
{
	struct mdsc *mc = s->mc;
	struct mds_request *req = table_find_locked(mc, m->tid);
	int32_t dest, num_fwd;
	bool must_resend;

	if (!req || mds_forward_decode(m->front.data, m->front.len, &dest,
				       &num_fwd, &must_resend))
		return;
	if (dest < 0 || dest >= MDS_MAX_RANKS) {
		req->result = -EIO;
		mdsc_request_complete_locked(mc, req);
		mdsc_table_remove_locked(mc, req);
		pthread_cond_broadcast(&mc->cond);
		return;
	}
	dout(LOG_MDSC, 1, "tid %llu forwarded from mds.%d to mds.%d (fwd %d)",
	     (unsigned long long)req->msg.tid, s->rank, dest, num_fwd);
	mc->stats.forwards++;
	req->num_fwd = num_fwd;
	req->rank = dest;
	route_request_locked(mc, req);
}

/* ---- caps and leases from the MDS ---- */

/* A caps message carries the inode's current attributes: bring the
 * cached copy up to date and under the cap's new gen. */
static void refresh_cached_inode_locked(struct mdsc *mc, int rank,
					const struct mds_caps_msg *cm)
{
	struct mdcache_inode *i = mdcache_get_inode(&mc->cache, cm->ino);
	const struct cap_entry *cap = cap_table_find(&mc->caps, rank, cm->ino);

	if (!i || !cap || i->mds != rank)
		return;
	dout(LOG_MDSC, 10, "ino %llx: caps op %d from mds.%d, size %llu "
	     "(cached %llu), seq %u", (unsigned long long)cm->ino, cm->op,
	     rank, (unsigned long long)cm->size,
	     (unsigned long long)i->st.size, cm->truncate_seq);
	i->st.mode = cm->mode;
	i->st.uid = cm->uid;
	i->st.gid = cm->gid;
	i->st.nlink = cm->nlink;
	if (S_ISREG(i->st.mode)) {
		mds_size_take(&i->st.size, &i->st.truncate_size,
			      &i->st.truncate_seq, cm->size, cm->truncate_size,
			      cm->truncate_seq);
	} else {
		i->st.size = cm->size;
		i->st.truncate_size = cm->truncate_size;
		i->st.truncate_seq = cm->truncate_seq;
	}
	i->st.max_size = cm->max_size;
	i->st.mtime = cm->mtime;
	i->st.atime = cm->atime;
	i->st.ctime = cm->ctime;
	i->st.btime = cm->btime;
	i->st.time_warp_seq = cm->time_warp_seq;
	i->st.change_attr = cm->change_attr;
	if (cm->nfiles >= 0)
		i->st.files = (uint64_t)cm->nfiles;
	if (cm->nsubdirs >= 0)
		i->st.subdirs = (uint64_t)cm->nsubdirs;
	mdcache_set_xattrs(i, cm->xattr_version, cm->xattrs, cm->xattrs_len);
	mdsc_file_overlay_locked(mc, &i->st);
	i->cap_gen = cap->gen;
}

static void handle_caps_locked(struct mds_session *s, struct msg *m)
{
	struct mdsc *mc = s->mc;
	struct mds_caps_msg cm;
	struct msg *ack;

	if (mds_caps_decode(m, &cm)) {
		dout(LOG_MDSC, 0, "mds.%d: bad caps message", s->rank);
		return;
	}
	s->seq++;
	if (cm.osd_epoch_barrier > mc->osd_epoch_barrier)
		mc->osd_epoch_barrier = cm.osd_epoch_barrier;
	switch (cm.op) {
	case CEPH_CAP_OP_GRANT:
	case CEPH_CAP_OP_REVOKE:
	case CEPH_CAP_OP_IMPORT: {
		uint32_t had = cap_table_issued(&mc->caps, s->rank, cm.ino);

		/* The MDS counts a cap's last issue as the seq of the last
		 * message that granted something (a revoke does not count;
		 * the head's issue_seq field stays 0) and drops a release
		 * that names another. */
		const struct cap_entry *old = cap_table_find(&mc->caps, s->rank,
							     cm.ino);
		uint32_t issue_seq = cm.issue_seq ? cm.issue_seq : cm.seq;

		if (cm.op == CEPH_CAP_OP_REVOKE && old && old->cap_id == cm.cap_id)
			issue_seq = old->issue_seq;
		struct cap_entry *e = cap_table_update(&mc->caps, s->rank,
						       cm.ino, cm.cap_id,
						       cm.caps, cm.seq,
						       issue_seq,
						       cm.migrate_seq, cm.realm);

		if (e)
			e->recon_gen = s->recon_gen;
		if (e && cm.op == CEPH_CAP_OP_IMPORT)
			e->auth = true;	/* the importer is the new auth */
		refresh_cached_inode_locked(mc, s->rank, &cm);
		if (cm.op == CEPH_CAP_OP_IMPORT && cm.peer.cap_id)
			cap_table_remove(&mc->caps, cm.peer.mds, cm.ino);
		if (cm.op == CEPH_CAP_OP_REVOKE || (had & ~cm.caps))
			mc->stats.caps_revoked++;
		if (had & ~cm.caps & (CEPH_CAP_FILE_CACHE | CEPH_CAP_FILE_SHARED |
				      CEPH_CAP_AUTH_SHARED | CEPH_CAP_LINK_SHARED |
				      CEPH_CAP_XATTR_SHARED)) {
			/* what those caps vouched for (cached data, the
			 * attributes a front end was told to keep) may change
			 * now; the others vouch for nothing cached (data read
			 * under Fr alone is only kept by a kernel that checks
			 * the mtime each time). A FUSE kernel drops every
			 * attribute reply under way when told, so telling it
			 * for nothing made it keep an old size while two
			 * clients traded caps */
			mdsc_queue_event_locked(mc, MDSC_EV_INODE, cm.ino, NULL, 0);
		}
		/* an open file's caps may be in use or cover dirty state */
		if (mdsc_file_handle_caps_locked(s, &cm, had))
			break;
		if (cm.op != CEPH_CAP_OP_REVOKE && !(had & ~cm.caps))
			break;
		/* Something was taken away from an inode no file uses: the
		 * revocation is complete at once, say so. */
		struct mds_caps_msg up = {
			.op = CEPH_CAP_OP_UPDATE,
			.ino = cm.ino,
			.realm = cm.realm,
			.cap_id = cm.cap_id,
			.seq = cm.seq,
			/* the MDS takes a smaller `wanted` only with it */
			.issue_seq = e ? e->issue_seq : issue_seq,
			.caps = cm.caps,
			.wanted = 0,
			.migrate_seq = cm.migrate_seq,
			.uid = cm.uid, .gid = cm.gid, .mode = cm.mode,
			.size = cm.size, .max_size = cm.max_size,
			.truncate_size = cm.truncate_size,
			.truncate_seq = cm.truncate_seq,
			.mtime = cm.mtime, .atime = cm.atime, .ctime = cm.ctime,
			.btime = cm.btime, .time_warp_seq = cm.time_warp_seq,
			.layout = cm.layout,
			.xattr_version = 0,
			/* giving up write caps makes the MDS journal our
			 * writable range away, and another client waits */
			.flags = (had & ~cm.caps & (CEPH_CAP_FILE_WR |
						    CEPH_CAP_FILE_BUFFER)) ?
				 CEPH_CLIENT_CAPS_SYNC : 0,
		};
		ack = mds_msg_caps(&up);
		mdsc_session_send_locked(s, ack);
		break;
	}
	case CEPH_CAP_OP_EXPORT:
		cap_table_remove(&mc->caps, s->rank, cm.ino);
		mdsc_file_handle_caps_locked(s, &cm, 0);
		break;
	case CEPH_CAP_OP_TRUNC:
		mdcache_drop_inode(&mc->cache, cm.ino);
		mdsc_queue_event_locked(mc, MDSC_EV_INODE, cm.ino, NULL, 0);
		mdsc_file_handle_caps_locked(s, &cm, 0);
		break;
	case CEPH_CAP_OP_FLUSH_ACK:
		mdsc_file_handle_caps_locked(s, &cm, 0);
		break;
	case CEPH_CAP_OP_FLUSHSNAP_ACK:
		break;
	default:
		dout(LOG_MDSC, 1, "mds.%d: caps op %u ignored", s->rank, cm.op);
	}
}

static void handle_lease_locked(struct mds_session *s, struct msg *m)
{
	struct mds_lease_msg lm;

	if (mds_lease_decode(m->front.data, m->front.len, &lm))
		return;
	s->seq++;
	if (lm.action == CEPH_MDS_LEASE_RENEW) {
		/* our renewal granted: the lease runs on */
		struct mdcache_dentry *d = mdcache_get_dentry(&s->mc->cache,
							      lm.ino, lm.dname,
							      lm.dname_len);

		if (d && d->mds == s->rank && d->session_gen == s->cap_gen) {
			d->lease_until_ms = loop_now_ms() + lm.duration_ms;
			d->lease_ms = lm.duration_ms;
			d->lease_seq = lm.seq;
			d->renewing = false;
			s->mc->stats.lease_renewals++;
		}
		return;
	}
	mdcache_drop_dentry(&s->mc->cache, lm.ino, lm.dname, lm.dname_len);
	mdsc_queue_event_locked(s->mc, MDSC_EV_ENTRY, lm.ino, lm.dname,
				lm.dname_len);
	if (lm.action == CEPH_MDS_LEASE_REVOKE) {
		/* we keep no leases: acknowledge at once */
		lm.action = CEPH_MDS_LEASE_REVOKE_ACK;
		mdsc_session_send_locked(s, mds_msg_lease(&lm));
	}
}

static void session_dispatch(struct conn *c, struct msg *m, void *arg)
{
	struct mds_session *s = arg;
	struct mdsc *mc = s->mc;
	uint64_t seq_before;

	pthread_mutex_lock(&mc->lock);
	if (s->conn != c) {
		pthread_mutex_unlock(&mc->lock);
		msg_free(m);
		return;
	}
	seq_before = s->seq;
	switch (m->type) {
	case CEPH_MSG_CLIENT_SESSION:
		handle_session_locked(s, m);
		break;
	case CEPH_MSG_CLIENT_REPLY:
		handle_reply_locked(s, m);
		break;
	case CEPH_MSG_CLIENT_REQUEST_FORWARD:
		handle_forward_locked(s, m);
		break;
	case CEPH_MSG_CLIENT_CAPS:
		handle_caps_locked(s, m);
		break;
	case CEPH_MSG_CLIENT_LEASE:
		handle_lease_locked(s, m);
		break;
	case CEPH_MSG_CLIENT_SNAP:
	case CEPH_MSG_CLIENT_QUOTA:
		s->seq++;
		break;
	default:
		dout(LOG_MDSC, 1, "mds.%d: %s ignored", s->rank,
		     msg_type_name(m->type));
	}
	/* The MDS drops a close request whose seq is older than the
	 * messages it has sent since ("old push seq"): ask again. */
	if (s->state == SESSION_CLOSING && s->seq != seq_before && s->conn)
		mdsc_session_send_locked(s, mds_msg_session(
			CEPH_SESSION_REQUEST_CLOSE, s->seq, NULL));
	if (mc->nevents) {
		struct mdsc_event *ev = mc->events;
		size_t n = mc->nevents;
		struct mdsc_notify nt = mc->notify;

		mc->events = NULL;
		mc->nevents = mc->cap_events = 0;
		pthread_mutex_unlock(&mc->lock);
		deliver_events(ev, n, &nt);
	} else {
		pthread_mutex_unlock(&mc->lock);
	}
	msg_free(m);
}

static void session_fault(struct conn *c, int err, void *arg)
{
	struct mds_session *s = arg;

	dout(LOG_MDSC, 1, "mds.%d connection fault: %s (reconnecting)",
	     s->rank, strerror(-err));
}

static void session_peer_reset(struct conn *c, void *arg)
{
	struct mds_session *s = arg;
	struct mdsc *mc = s->mc;

	pthread_mutex_lock(&mc->lock);
	if (s->conn != c) {
		pthread_mutex_unlock(&mc->lock);
		return;
	}
	if (s->state == SESSION_RECONNECTING ||
	    (s->state == SESSION_OPEN &&
	     mc->ranks[s->rank].state == CEPH_MDS_STATE_RECONNECT)) {
		/* a daemon taking reconnects: restate our caps on the
		 * connection, which starts over (we are inside its
		 * callback: it stays) */
		dout(LOG_MDSC, 0, "mds.%d reset our connection; reconnecting",
		     s->rank);
		s->recon_gen++;
		mdcache_drop_mds(&mc->cache, s->rank);
		mdsc_send_reconnect_locked(mc, s);
	} else if (s->state == SESSION_OPEN) {
		/* The messenger forgot us, maybe not the MDS: as ceph-fuse
		 * does, hold the caps as stale and renew. A renewal brings
		 * them back; a daemon with no session of ours answers
		 * REJECT or CLOSE, and a replaced one shows in the map.
		 * What was sent and unanswered goes again. */
		dout(LOG_MDSC, 0, "mds.%d reset our connection; renewing the "
		     "session", s->rank);
		if (!s->stale)
			s->cap_gen++;
		s->stale = true;
		s->conn_gen++;
		s->seq = 0;
		send_renew_locked(s);
		s->reset_renew_ms = loop_now_ms();
		mdsc_kick_rank_locked(mc, s->rank);
	} else if (s->state == SESSION_OPENING) {
		mdsc_session_send_locked(s, build_open(mc));
	}
	pthread_mutex_unlock(&mc->lock);
}

/* ---- the tick: renewals and cap releases ---- */

/* Requests given to mdsc_submit() that waited past their deadline fail
 * as mdsc_do_request() would. */
static void expire_submitted_locked(struct mdsc *mc, uint64_t now)
{
	for (struct mds_request *r = mc->reqs, *next; r; r = next) {
		int rank;
		struct mds_session *s;

		next = r->next;
		if (!r->cb || r->done || !r->deadline_ms || now < r->deadline_ms)
			continue;
		rank = choose_rank_locked(mc, r);
		s = rank < MDS_MAX_RANKS ? mc->sessions[rank] : NULL;
		r->result = mc->blocklisted ||
			    (s && s->state == SESSION_REJECTED) ? -EIO :
							       -ETIMEDOUT;
		r->aborted = true;
		mdsc_request_complete_locked(mc, r);
		mdsc_table_remove_locked(mc, r);
	}
}

static void mdsc_tick(void *arg)
{
	struct mdsc *mc = arg;
	uint64_t now = loop_now_ms();
	unsigned interval;

	pthread_mutex_lock(&mc->lock);
	interval = mc->session_timeout_s ? mc->session_timeout_s * 250 : 15000;
	release_unlinked_locked(mc);	/* sent by the loop below */
	for (int i = 0; i < MDS_MAX_RANKS; i++) {
		struct mds_session *s = mc->sessions[i];

		if (s && s->state == SESSION_RESTARTING &&
		    mc->ranks[i].gid == s->gid &&
		    mc->ranks[i].state == CEPH_MDS_STATE_ACTIVE &&
		    now - s->restart_ms > MDS_FORGOT_US_MS)
			/* a reconnect to a daemon that turned out not to be
			 * reconnecting: it will not answer */
			mdsc_session_lost_locked(mc, s,
						 "the MDS forgot our session");
		if (s && s->state == SESSION_OPEN && s->reset_renew_ms &&
		    mc->ranks[i].gid == s->gid &&
		    mc->ranks[i].state == CEPH_MDS_STATE_ACTIVE &&
		    now - s->reset_renew_ms > MDS_RENEW_UNANSWERED_MS) {
			/* the same daemon, active, ignores our renewal: it
			 * closed the session (an eviction). A fresh one says
			 * whether we are blocklisted. */
			s->reset_renew_ms = 0;
			mdsc_session_lost_locked(mc, s,
						 "no answer to our renewal");
		}
		if (!s || s->state != SESSION_OPEN)
			continue;
		if (now - s->renew_sent_ms >= interval)
			send_renew_locked(s);
		if (s->cap_ttl_ms && now > s->cap_ttl_ms && !s->stale) {
			/* stale until a renewal comes back */
			s->stale = true;
			s->cap_gen++;
			dout(LOG_MDSC, 1, "mds.%d caps stale", s->rank);
		}
		cap_table_flush_releases(&mc->caps, s->rank, s->conn);
	}
	mdsc_files_tick_locked(mc, now);
	expire_submitted_locked(mc, now);
	if (!mc->stopping)
		loop_timer_arm(mc->loop, &mc->tick, interval < 1000 ? interval : 1000);
	pthread_mutex_unlock(&mc->lock);
}

/* ---- MDS map ---- */

void mdsc_update_mdsmap(struct mdsc *mc, const struct mdsmap *map)
{
	pthread_mutex_lock(&mc->lock);
	if (map->epoch <= mc->mdsmap_epoch) {
		pthread_mutex_unlock(&mc->lock);
		return;
	}
	mc->mdsmap_epoch = map->epoch;
	mc->session_timeout_s = map->session_timeout ? map->session_timeout : 60;
	mc->max_mds = map->max_mds;
	for (int rank = 0; rank < MDS_MAX_RANKS; rank++) {
		const struct mds_info *info = mdsmap_rank_info(map, rank);
		struct rank_info *ri = &mc->ranks[rank];
		struct mds_session *s = mc->sessions[rank];
		bool was_active = ri->up && ri->state == CEPH_MDS_STATE_ACTIVE;

		if (!info) {
			ri->up = false;
			continue;
		}
		if (s && s->state != SESSION_NEW && s->gid &&
		    (info->gid != s->gid || info->inc != s->inc))
			mdsc_session_restart_locked(mc, s);
		ri->up = true;
		ri->state = info->state;
		ri->gid = info->gid;
		ri->inc = info->inc;
		ri->addrs = info->addrs;
		if (s && s->state == SESSION_RESTARTING) {
			if (info->state == CEPH_MDS_STATE_RECONNECT)
				mdsc_send_reconnect_locked(mc, s);
			else if (info->state > CEPH_MDS_STATE_RECONNECT &&
				 info->gid != s->gid)
				mdsc_session_lost_locked(mc, s,
					"the rank recovered without our reconnect");
		}
		if (!was_active && info->state == CEPH_MDS_STATE_ACTIVE) {
			if (s && s->reconnected && s->state == SESSION_OPEN) {
				dout(LOG_MDSC, 0, "mds.%d active again", rank);
				s->reconnected = false;
				mdsc_files_rank_recovered_locked(mc, rank, false);
			}
			mdsc_kick_rank_locked(mc, rank);
		}
	}
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

int mdsc_wait_available(struct mdsc *mc, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	pthread_mutex_lock(&mc->lock);
	while (!(mc->ranks[0].up && mc->ranks[0].state == CEPH_MDS_STATE_ACTIVE))
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT) {
			r = -ETIMEDOUT;
			break;
		}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

/* ---- public calls ---- */

struct mdsc *mdsc_create(struct messenger *msgr, struct auth_client *auth,
			 const struct mdsc_config *cfg)
{
	struct mdsc *mc = calloc(1, sizeof(*mc));

	if (!mc)
		return NULL;
	mc->msgr = msgr;
	mc->loop = messenger_loop(msgr);
	mc->auth = auth;
	snprintf(mc->hostname, sizeof(mc->hostname), "%s",
		 cfg->hostname ? cfg->hostname : "");
	snprintf(mc->entity_id, sizeof(mc->entity_id), "%s",
		 cfg->entity_id ? cfg->entity_id : "admin");
	snprintf(mc->root, sizeof(mc->root), "%s", cfg->root ? cfg->root : "/");
	pthread_mutex_init(&mc->lock, NULL);
	pthread_cond_init(&mc->cond, NULL);
	cap_table_init(&mc->caps);
	filelocks_init(&mc->locks);
	mdcache_init(&mc->cache, MDS_CACHE_MAX);
	mdsc_files_init(mc);
	mc->session_timeout_s = 60;
	loop_timer_init(&mc->tick, mdsc_tick, mc);
	loop_work_init(&mc->evicted_work, mdsc_evicted_work, mc);
	loop_timer_arm(mc->loop, &mc->tick, 1000);
	return mc;
}

struct submit_arg {
	struct mdsc *mc;
	struct mds_request *req;
};

static void submit_on_loop(void *arg)
{
	struct submit_arg *sa = arg;

	pthread_mutex_lock(&sa->mc->lock);
	route_request_locked(sa->mc, sa->req);
	pthread_mutex_unlock(&sa->mc->lock);
}

static void submitted_send(void *arg)
{
	struct mds_request *req = arg;
	struct mdsc *mc = req->mc;

	pthread_mutex_lock(&mc->lock);
	if (!req->aborted && !req->done && !mc->stopping)
		route_request_locked(mc, req);
	pthread_mutex_unlock(&mc->lock);
	mdsc_request_put(req);		/* the send work's */
}

static void submitted_done(void *arg)
{
	struct mds_request *req = arg;

	req->cb(req, req->cb_arg);
	mdsc_request_put(req);		/* the callback work's */
}

int mdsc_submit(struct mdsc *mc, struct mds_request *req, unsigned timeout_ms,
		void (*cb)(struct mds_request *req, void *arg), void *arg)
{
	req->cb = cb;
	req->cb_arg = arg;
	req->mc = mc;
	loop_work_init(&req->send_work, submitted_send, req);
	loop_work_init(&req->cb_work, submitted_done, req);
	pthread_mutex_lock(&mc->lock);
	if (mc->stopping) {
		pthread_mutex_unlock(&mc->lock);
		return -ESHUTDOWN;
	}
	req->msg.tid = ++mc->last_tid;
	req->deadline_ms = timeout_ms ? loop_now_ms() + timeout_ms : 0;
	/* the table's reference and the send work's */
	__atomic_add_fetch(&req->refs, 2, __ATOMIC_ACQ_REL);
	req->next = NULL;
	{
		struct mds_request **pp = &mc->reqs;

		while (*pp)
			pp = &(*pp)->next;
		*pp = req;
	}
	mc->stats.requests++;
	/* queued under the lock: mdsc_destroy() knows none comes later */
	loop_queue_work(mc->loop, &req->send_work);
	pthread_mutex_unlock(&mc->lock);
	return 0;
}

int mdsc_do_request(struct mdsc *mc, struct mds_request *req,
		    unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	struct submit_arg sa = { mc, req };
	int r = 0;

	pthread_mutex_lock(&mc->lock);
	if (mc->stopping) {
		pthread_mutex_unlock(&mc->lock);
		return -ESHUTDOWN;
	}
	req->msg.tid = ++mc->last_tid;
	__atomic_add_fetch(&req->refs, 1, __ATOMIC_ACQ_REL);	/* the table's */
	req->next = NULL;
	{
		struct mds_request **pp = &mc->reqs;

		while (*pp)
			pp = &(*pp)->next;
		*pp = req;
	}
	mc->stats.requests++;
	pthread_mutex_unlock(&mc->lock);

	/* sessions and sockets are the loop's business */
	loop_run_sync(mc->loop, submit_on_loop, &sa);

	pthread_mutex_lock(&mc->lock);
	while (!req->done && !mc->stopping)
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT)
			break;
	if (!req->done) {
		int rank = choose_rank_locked(mc, req);
		struct mds_session *s = rank < MDS_MAX_RANKS ? mc->sessions[rank] : NULL;

		r = mc->blocklisted || (s && s->state == SESSION_REJECTED) ? -EIO :
		    mc->stopping ? -ESHUTDOWN : -ETIMEDOUT;
		req->aborted = true;
		mdsc_table_remove_locked(mc, req);
	} else {
		r = req->result;
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

int mdsc_wait_safe(struct mdsc *mc, struct mds_request *req,
		   unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	loop_run_sync(mc->loop, flush_mdlog_on_loop, mc);
	pthread_mutex_lock(&mc->lock);
	while (!req->got_safe && !req->aborted && !mc->stopping &&
	       table_find_locked(mc, req->msg.tid) == req)
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT) {
			r = -ETIMEDOUT;
			break;
		}
	if (!r && !req->got_safe && req->got_unsafe)
		r = mc->stopping ? -ESHUTDOWN : -EIO;
	pthread_mutex_unlock(&mc->lock);
	return r;
}

/* Asks every MDS that owes us a safe reply to flush its journal now
 * rather than at its next tick, as a sync waits for those replies. */
static void flush_mdlog_on_loop(void *arg)
{
	struct mdsc *mc = arg;
	bool owes[MDS_MAX_RANKS] = { false };

	pthread_mutex_lock(&mc->lock);
	for (struct mds_request *q = mc->reqs; q; q = q->next)
		if (q->got_unsafe && !q->got_safe && q->rank >= 0 &&
		    q->rank < MDS_MAX_RANKS)
			owes[q->rank] = true;
	for (int i = 0; i < MDS_MAX_RANKS; i++) {
		struct mds_session *s = mc->sessions[i];

		if (owes[i] && s && s->state == SESSION_OPEN)
			mdsc_session_send_locked(s, mds_msg_session(
				CEPH_SESSION_REQUEST_FLUSH_MDLOG, s->seq, NULL));
	}
	pthread_mutex_unlock(&mc->lock);
}

/* Waits for the unsafe requests up to the current tid that touch ino
 * (any, when ino is 0) to become safe. */
static int sync_some(struct mdsc *mc, uint64_t ino, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	uint64_t upto;
	int r = 0;

	loop_run_sync(mc->loop, flush_mdlog_on_loop, mc);
	pthread_mutex_lock(&mc->lock);
	upto = mc->last_tid;
	for (;;) {
		bool pending = false;

		for (struct mds_request *q = mc->reqs; q; q = q->next)
			if (q->msg.tid <= upto && q->got_unsafe && !q->got_safe &&
			    (!ino || q->dir_ino == ino || q->target_ino == ino))
				pending = true;
		if (!pending || mc->stopping)
			break;
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) == ETIMEDOUT) {
			r = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

int mdsc_sync(struct mdsc *mc, unsigned timeout_ms)
{
	return sync_some(mc, 0, timeout_ms);
}

int mdsc_sync_ino(struct mdsc *mc, uint64_t ino, unsigned timeout_ms)
{
	return sync_some(mc, ino ? ino : (uint64_t)-1, timeout_ms);
}

void mdsc_get_stats(struct mdsc *mc, struct mdsc_stats *st)
{
	pthread_mutex_lock(&mc->lock);
	*st = mc->stats;
	st->caps_held = cap_table_count(&mc->caps);
	st->sessions_open = 0;
	for (int i = 0; i < MDS_MAX_RANKS; i++)
		if (mc->sessions[i] && mc->sessions[i]->state == SESSION_OPEN)
			st->sessions_open++;
	pthread_mutex_unlock(&mc->lock);
}

size_t mdsc_caps_on_rank(struct mdsc *mc, int rank)
{
	size_t n;

	pthread_mutex_lock(&mc->lock);
	n = cap_table_count_rank(&mc->caps, rank);
	pthread_mutex_unlock(&mc->lock);
	return n;
}

static void close_sessions_on_loop(void *arg)
{
	struct mdsc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	for (int i = 0; i < MDS_MAX_RANKS; i++) {
		struct mds_session *s = mc->sessions[i];

		if (!s || s->state != SESSION_OPEN)
			continue;
		cap_table_flush_releases(&mc->caps, s->rank, s->conn);
		s->state = SESSION_CLOSING;
		mdsc_session_send_locked(s, mds_msg_session(CEPH_SESSION_REQUEST_CLOSE,
						       s->seq, NULL));
	}
	pthread_mutex_unlock(&mc->lock);
}

static void shutdown_on_loop(void *arg)
{
	struct mdsc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	mc->stopping = true;
	loop_timer_cancel(mc->loop, &mc->tick);
	loop_cancel_work(mc->loop, &mc->evicted_work);
	for (int i = 0; i < MDS_MAX_RANKS; i++)
		if (mc->sessions[i])
			mdsc_session_drop_conn_locked(mc->sessions[i]);
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

static void loop_barrier(void *arg)
{
}

/* Fails every request not yet answered and stops every wait: the
 * client is going away whatever the MDSs do (mdsc_abort). */
static void abort_on_loop(void *arg)
{
	struct mdsc *mc = arg;

	pthread_mutex_lock(&mc->lock);
	if (!mc->stopping)
		dout(LOG_MDSC, 0, "aborted: requests in flight fail, none is sent");
	mc->stopping = true;
	for (struct mds_request *r = mc->reqs, *next; r; r = next) {
		next = r->next;
		if (!r->done) {
			r->result = -ESHUTDOWN;
			r->aborted = true;
			mdsc_request_complete_locked(mc, r);
			mdsc_table_remove_locked(mc, r);
		}
	}
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_abort(struct mdsc *mc)
{
	if (mc)
		loop_run_sync(mc->loop, abort_on_loop, mc);
}

void mdsc_destroy(struct mdsc *mc, unsigned timeout_ms)
{
	mdsc_close(mc, timeout_ms);
	mdsc_free(mc);
}

void mdsc_close(struct mdsc *mc, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);

	if (!mc)
		return;
	/* write back what files left dirty, wait for in-flight changes to
	 * be safe, then close politely */
	mdsc_file_flush_all(mc, timeout_ms);
	mdsc_sync(mc, timeout_ms);
	loop_run_sync(mc->loop, close_sessions_on_loop, mc);
	pthread_mutex_lock(&mc->lock);
	for (;;) {
		bool closing = false;

		for (int i = 0; i < MDS_MAX_RANKS; i++)
			if (mc->sessions[i] &&
			    mc->sessions[i]->state == SESSION_CLOSING)
				closing = true;
		if (!closing || mc->stopping ||
		    pthread_cond_timedwait(&mc->cond, &mc->lock, &dl) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&mc->lock);
	loop_run_sync(mc->loop, shutdown_on_loop, mc);
	/* sends of mdsc_submit() queued before it stopped have run */
	loop_run_sync(mc->loop, loop_barrier, NULL);
	pthread_mutex_lock(&mc->lock);
	while (mc->reqs) {
		struct mds_request *r = mc->reqs;

		mc->reqs = r->next;
		if (!r->done) {
			r->result = -ESHUTDOWN;
			r->aborted = true;
			mdsc_request_complete_locked(mc, r);
		}
		mdsc_request_put(r);
	}
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_free(struct mdsc *mc)
{
	if (!mc)
		return;
	for (int i = 0; i < MDS_MAX_RANKS; i++)
		free(mc->sessions[i]);
	for (int i = 0; i < MDS_MAX_HINTS; i++)
		free(mc->hints[i].dir);
	for (int i = 0; i < MDS_MAX_LISTINGS; i++)
		listing_clear(&mc->listings[i]);
	mdsc_files_destroy(mc);
	for (size_t i = 0; i < mc->nevents; i++)
		free(mc->events[i].name);
	free(mc->events);
	cap_table_destroy(&mc->caps);
	filelocks_destroy(&mc->locks);
	free(mc->unlinked);
	mdcache_destroy(&mc->cache);
	pthread_mutex_destroy(&mc->lock);
	pthread_cond_destroy(&mc->cond);
	free(mc);
}

/* MDS failover, from the client's side.
 *
 * When a rank's daemon changes (it was failed over to a standby, killed
 * and replaced, or restarted), the new daemon rebuilds its state from the
 * journal and then waits, in its reconnect state, for the clients that
 * had sessions to say what they hold. So a session goes:
 *
 *   OPEN --(new daemon in the MDS map, or it forgot our session)--> RESTARTING
 *   RESTARTING --(the rank reaches RECONNECT)--> RECONNECTING: on a new
 *       connection, the requests that had only an unsafe reply are replayed
 *       (flagged so, with the inode they created), those sent without any
 *       reply are sent again, then one reconnect message restates every cap
 *       of the rank with the locks held under it;
 *   RECONNECTING --(OPEN)--> OPEN: caps live again; once the rank is
 *       active, unsent requests go out and cap flushes are redone;
 *   RECONNECTING --(CLOSE) or RESTARTING --(rank past RECONNECT)--> lost:
 *       the caps are dead, files of the rank fail until reopened, unsafe
 *       requests fail, and a fresh session opens for what comes next.
 *
 * recon_gen counts a session's restarts; a cap carries the value it was
 * last vouched for under, so caps not restated are told apart from the
 * ones the reconnect carried (cap_table_drop_dead). cap_gen is another
 * matter: it marks caps stale after a missed renewal, which a renewal
 * cures. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc_internal.h"
#include "msg/loop.h"

void mdsc_session_restart_locked(struct mdsc *mc, struct mds_session *s)
{
	switch (s->state) {
	case SESSION_OPEN:
	case SESSION_RECONNECTING:
		s->recon_gen++;
		dout(LOG_MDSC, 0, "mds.%d restarted: our %zu caps wait for the "
		     "new daemon's reconnect", s->rank,
		     cap_table_count_rank(&mc->caps, s->rank));
		/* fall through */
	case SESSION_RESTARTING:
		mdsc_session_drop_conn_locked(s);
		s->state = SESSION_RESTARTING;
		s->restart_ms = loop_now_ms();
		s->stale = false;
		/* leases and attributes the old daemon gave are void */
		mdcache_drop_mds(&mc->cache, s->rank);
		mdsc_queue_event_locked(mc, MDSC_EV_TRIM, 0, NULL, 0);
		break;
	case SESSION_REJECTED:
		mdsc_session_drop_conn_locked(s);	/* stays rejected */
		break;
	default:
		/* never opened, or closing: start over with the new one */
		mdsc_session_drop_conn_locked(s);
		s->state = SESSION_CLOSED;
		break;
	}
}

/* Builds the reconnect's cap list. */
struct recon_build {
	struct mdsc *mc;
	struct mds_reconnect_cap *caps;
	size_t *lock_off;		/* into locks, per cap */
	uint32_t n, cap;
	struct buf locks;
	uint64_t *realms;
	uint32_t nrealms;
	bool oom;
};

static void add_cap(void *arg, const struct cap_entry *e)
{
	struct recon_build *rb = arg;
	struct mds_reconnect_cap *c;
	uint64_t realm = e->realm ? e->realm : CEPH_INO_ROOT;

	if (rb->oom || rb->n == rb->cap)
		return;
	c = &rb->caps[rb->n];
	memset(c, 0, sizeof(*c));
	c->ino = e->ino;
	c->cap_id = e->cap_id;
	c->issued = e->issued;
	c->wanted = mdsc_file_wanted_locked(rb->mc, e->ino);
	c->realm = realm;
	/* no path: the MDS finds the inode by number (as ceph-fuse does
	 * for an inode it knows no name of) */
	c->pathbase = e->ino;
	rb->lock_off[rb->n] = rb->locks.len;
	c->locks_len = (uint32_t)filelocks_encode(&rb->mc->locks, e->ino,
						  &rb->locks);
	rb->n++;
	for (uint32_t i = 0; i < rb->nrealms; i++)
		if (rb->realms[i] == realm)
			return;
	rb->realms[rb->nrealms++] = realm;
}

static struct msg *build_reconnect_locked(struct mdsc *mc,
					  struct mds_session *s, size_t *ncaps)
{
	size_t n = cap_table_count_rank(&mc->caps, s->rank);
	struct recon_build rb = { .mc = mc };
	struct mds_reconnect_realm *realms = NULL;
	struct msg *m = NULL;

	buf_init(&rb.locks);
	rb.cap = (uint32_t)n;
	rb.caps = calloc(n ? n : 1, sizeof(*rb.caps));
	rb.lock_off = calloc(n ? n : 1, sizeof(*rb.lock_off));
	rb.realms = calloc(n ? n : 1, sizeof(*rb.realms));
	if (!rb.caps || !rb.lock_off || !rb.realms)
		goto out;
	cap_table_reconnect(&mc->caps, s->rank, s->recon_gen, add_cap, &rb);
	if (buf_error(&rb.locks))
		goto out;
	for (uint32_t i = 0; i < rb.n; i++)
		rb.caps[i].locks = rb.locks.data + rb.lock_off[i];
	realms = calloc(rb.nrealms ? rb.nrealms : 1, sizeof(*realms));
	if (!realms)
		goto out;
	for (uint32_t i = 0; i < rb.nrealms; i++)
		realms[i].ino = rb.realms[i];	/* seq 0: tell us what changed */
	m = mds_msg_reconnect(rb.caps, rb.n, realms, rb.nrealms, false);
	*ncaps = rb.n;
out:
	free(realms);
	free(rb.caps);
	free(rb.lock_off);
	free(rb.realms);
	buf_free(&rb.locks);
	return m;
}

void mdsc_send_reconnect_locked(struct mdsc *mc, struct mds_session *s)
{
	size_t ncaps = 0, replayed = 0;
	struct msg *m;

	if (s->conn) {
		/* the daemon forgot our session on this connection, which
		 * starts over: what was sent on it is gone */
		s->conn_gen++;
		s->seq = 0;
	} else if (mdsc_session_connect_locked(mc, s)) {
		return;		/* tried again with the next map */
	}
	s->state = SESSION_RECONNECTING;
	s->stale = false;

	/* Replays first: the MDS must have them before the caps they may
	 * have created are restated. Then what got no reply at all, which
	 * the MDS queues until it is active (answering at once the ones
	 * the old daemon completed). Cap releases they carried went to a
	 * daemon that is gone. */
	for (struct mds_request *r = mc->reqs; r; r = r->next) {
		if (r->aborted || r->sent_rank != s->rank)
			continue;
		if (r->got_unsafe && !r->got_safe) {
			r->msg.flags |= CEPH_MDS_FLAG_REPLAY;
			if (r->target_ino)
				r->msg.ino = r->target_ino;
		} else if (r->done || !r->msg.num_retry) {
			continue;
		}
		r->msg.releases = NULL;
		r->msg.num_releases = 0;
		mdsc_send_request_locked(mc, r, s);
		replayed++;
	}

	m = build_reconnect_locked(mc, s, &ncaps);
	if (!m) {
		dout(LOG_MDSC, 0, "mds.%d: cannot build the reconnect", s->rank);
		mdsc_session_lost_locked(mc, s, "out of memory");
		return;
	}
	mdsc_session_send_locked(s, m);
	mc->stats.reconnects++;
	mc->stats.replayed += replayed;
	dout(LOG_MDSC, 0, "mds.%d: reconnecting with %zu caps, %zu requests "
	     "resent", s->rank, ncaps, replayed);
}

/* Forgets the locks held on the caps of a rank (they died with them). */
static void forget_rank_locks_locked(struct mdsc *mc, int rank)
{
	for (size_t b = 0; b < mc->caps.nbuckets; b++)
		for (const struct cap_entry *e = mc->caps.buckets[b]; e;
		     e = e->next)
			if (e->mds == rank && e->recon_gen != mc->sessions[rank]->recon_gen)
				filelocks_forget(&mc->locks, e->ino);
}

void mdsc_session_lost_locked(struct mdsc *mc, struct mds_session *s,
			      const char *why)
{
	size_t dead;
	struct mds_request *r, *next;

	/* what the reconnect did not carry is dead now, and if the MDS
	 * refused it, that is everything */
	if (s->state == SESSION_RECONNECTING)
		s->recon_gen++;
	forget_rank_locks_locked(mc, s->rank);
	dead = cap_table_drop_dead(&mc->caps, s->rank, s->recon_gen);
	mc->stats.dead_caps += dead;
	mc->stats.sessions_lost++;
	dout(LOG_MDSC, 0, "mds.%d: session lost (%s): %zu caps dropped; "
	     "open files of this rank fail until reopened", s->rank, why, dead);
	mdsc_files_rank_recovered_locked(mc, s->rank, true);
	mdcache_drop_mds(&mc->cache, s->rank);
	mdsc_queue_event_locked(mc, MDSC_EV_TRIM, 0, NULL, 0);

	/* changes that were only unsafe are gone with the old daemon's
	 * memory, unless its journal had them: we cannot tell, so their
	 * waiters (fsync) hear of it */
	for (r = mc->reqs; r; r = next) {
		next = r->next;
		if (r->sent_rank == s->rank && r->got_unsafe && !r->got_safe) {
			r->aborted = true;
			mdsc_table_remove_locked(mc, r);
		}
	}
	mdsc_session_drop_conn_locked(s);
	s->state = SESSION_CLOSED;
	s->stale = false;
	s->reset_renew_ms = 0;
	pthread_cond_broadcast(&mc->cond);
	/* requests that got no reply go to a fresh session */
	mdsc_kick_rank_locked(mc, s->rank);
}

void mdsc_note_filelock_locked(struct mdsc *mc, const struct mds_request *req)
{
	if (req->msg.op != CEPH_MDS_OP_SETFILELOCK || req->result)
		return;
	if (filelocks_apply(&mc->locks, req->msg.path.ino,
			    req->msg.args.filelock_change.rule,
			    req->msg.args.filelock_change.type,
			    req->msg.args.filelock_change.owner,
			    req->msg.args.filelock_change.pid,
			    req->msg.args.filelock_change.start,
			    req->msg.args.filelock_change.length))
		dout(LOG_MDSC, 0, "ino %llx: out of memory noting a lock; a "
		     "reconnect would not restate it",
		     (unsigned long long)req->msg.path.ino);
}

/* ---- eviction ---- */

#define EVICTED_HOOK_INTERVAL_MS 5000

void mdsc_set_evicted_hook(struct mdsc *mc, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&mc->lock);
	mc->evicted_fn = fn;
	mc->evicted_arg = arg;
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_evicted_locked(struct mdsc *mc)
{
	if (!mc->evicted_fn || mc->evicted_queued || mc->stopping)
		return;
	mc->evicted_queued = true;
	loop_queue_work(mc->loop, &mc->evicted_work);
}

void mdsc_evicted_work(void *arg)
{
	struct mdsc *mc = arg;
	void (*fn)(void *arg);
	void *fn_arg;
	uint64_t now = loop_now_ms();

	pthread_mutex_lock(&mc->lock);
	fn = mc->stopping ? NULL : mc->evicted_fn;
	fn_arg = mc->evicted_arg;
	if (mc->evicted_ms && now - mc->evicted_ms < EVICTED_HOOK_INTERVAL_MS) {
		/* refused again right after starting over: do not spin */
		dout(LOG_MDSC, 0, "refused as blocklisted again; not retrying "
		     "before %d s", EVICTED_HOOK_INTERVAL_MS / 1000);
		fn = NULL;
	}
	mc->evicted_queued = false;
	if (fn)
		mc->evicted_ms = now;
	pthread_mutex_unlock(&mc->lock);
	if (fn)
		fn(fn_arg);
}

struct blocklisted_arg {
	struct mdsc *mc;
	bool on;
};

static void set_blocklisted_on_loop(void *arg)
{
	struct blocklisted_arg *a = arg;
	struct mdsc *mc = a->mc;
	struct mds_request *r, *next;

	pthread_mutex_lock(&mc->lock);
	if (mc->blocklisted == a->on || mc->stopping) {
		pthread_mutex_unlock(&mc->lock);
		return;
	}
	mc->blocklisted = a->on;
	if (!a->on) {
		dout(LOG_MDSC, 0, "no longer blocklisted: requests go to the MDSs again");
		pthread_mutex_unlock(&mc->lock);
		return;
	}
	dout(LOG_MDSC, 0, "our address is blocklisted (evicted): requests fail with EIO");
	/* nothing we sent will be answered: whether the MDS did it before
	 * the eviction cannot be told, so say so rather than wait */
	for (r = mc->reqs; r; r = next) {
		next = r->next;
		if (!r->done && !r->aborted) {
			r->result = -EIO;
			mdsc_request_complete_locked(mc, r);
			mdsc_table_remove_locked(mc, r);
		}
	}
	for (int i = 0; i < MDS_MAX_RANKS; i++) {
		struct mds_session *s = mc->sessions[i];

		if (!s || s->state == SESSION_NEW || s->state == SESSION_CLOSED ||
		    s->state == SESSION_REJECTED)
			continue;
		s->recon_gen++;		/* every cap of it is dead */
		s->state = SESSION_RESTARTING;
		mdsc_session_lost_locked(mc, s, "blocklisted");
	}
	mdsc_evicted_locked(mc);
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_set_blocklisted(struct mdsc *mc, bool on)
{
	struct blocklisted_arg a = { mc, on };

	loop_run_sync(mc->loop, set_blocklisted_on_loop, &a);
}

static void recover_clean_on_loop(void *arg)
{
	struct mdsc *mc = arg;
	struct mds_request *r, *next;

	pthread_mutex_lock(&mc->lock);
	dout(LOG_MDSC, 0, "evicted: starting over with fresh sessions");
	mc->blocklisted = false;	/* from a new address */
	/* what was sent under the old sessions may or may not have been
	 * done: say so rather than do it twice */
	for (r = mc->reqs; r; r = next) {
		next = r->next;
		if (!r->done && !r->aborted && r->msg.num_retry) {
			r->result = -EIO;
			mdsc_request_complete_locked(mc, r);
			mdsc_table_remove_locked(mc, r);
		}
	}
	for (int i = 0; i < MDS_MAX_RANKS; i++) {
		struct mds_session *s = mc->sessions[i];

		if (!s || s->state == SESSION_NEW)
			continue;
		s->recon_gen++;		/* every cap of it is dead */
		s->state = SESSION_RESTARTING;
		mdsc_session_lost_locked(mc, s, "evicted");
	}
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_recover_clean(struct mdsc *mc)
{
	loop_run_sync(mc->loop, recover_clean_on_loop, mc);
}

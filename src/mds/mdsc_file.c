/* Open files and the caps their I/O runs under (see mdsc.h).
 *
 * One mdsc_file per open inode, guarded by mdsc->lock like the rest of
 * the MDS client. It counts the opens by mode (which decides the caps we
 * want), the reads and writes in flight (which decide when a revoke can
 * be answered), and the attributes this client changed that the MDS has
 * not yet taken: the size and mtime of writes (dirty Fw), and, as
 * ceph-fuse does, a setattr made under caps held exclusively (mode, owner
 * under Ax; times under Fx), all carried by a cap flush. An inode with
 * such dirty state but no open stays in the table until its flush is
 * acknowledged.
 *
 * The cap itself stays in the cap table; a file uses the one issued by
 * its authoritative rank (`auth`), which follows EXPORT/IMPORT. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/deadline.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc_internal.h"

/* Dirty size/mtime go back to the MDS at the latest this long after the
 * write that made them (as the kernel client's delayed cap flush). */
#define DIRTY_FLUSH_DELAY_MS 5000
/* A read or write still waiting for caps asks the MDS again this often. */
#define CAPS_ASK_AGAIN_MS 5000

struct mdsc_file {
	uint64_t ino;
	int auth;			/* the rank whose cap we use */
	int readers, writers;		/* opens by mode */
	int used_rd, used_wr;		/* reads and writes in flight */
	uint32_t wanted_sent;		/* what the MDS last heard we want */
	uint32_t dirty;			/* caps whose changes are not yet
					   flushed: Fw, Fx, Ax */
	uint32_t flushing;		/* ... flushed, not yet acknowledged */
	uint64_t dirty_since_ms;
	uint64_t flushing_tid;		/* newest flush not acknowledged */
	uint64_t requested_max;		/* max_size we asked for */
	uint64_t asked_ms;		/* when a wait for caps last asked */
	bool revoke_pending;		/* answer once the uses drain */
	/* our caps died with a restarted MDS that did not take them back:
	 * I/O fails (EIO) until the file is opened again */
	bool lost;
	struct mdsc_io_state io;
	struct sp_time mtime, atime, ctime, btime;
	uint32_t mode, uid, gid, time_warp_seq;
	struct mdsc_file *next;
};

static size_t file_bucket(const struct mdsc *mc, uint64_t ino)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 40) &
	       (mc->nfile_buckets - 1);
}

void mdsc_files_init(struct mdsc *mc)
{
	mc->nfile_buckets = 256;
	mc->files = calloc(mc->nfile_buckets, sizeof(*mc->files));
	if (!mc->files)
		mc->nfile_buckets = 0;
}

void mdsc_files_destroy(struct mdsc *mc)
{
	for (size_t i = 0; i < mc->nfile_buckets; i++)
		while (mc->files[i]) {
			struct mdsc_file *f = mc->files[i];

			mc->files[i] = f->next;
			free(f);
		}
	free(mc->files);
	mc->files = NULL;
	mc->nfile_buckets = 0;
}

static struct mdsc_file *file_find(struct mdsc *mc, uint64_t ino)
{
	if (!mc->nfile_buckets)
		return NULL;
	for (struct mdsc_file *f = mc->files[file_bucket(mc, ino)]; f;
	     f = f->next)
		if (f->ino == ino)
			return f;
	return NULL;
}

static void file_remove(struct mdsc *mc, struct mdsc_file *f)
{
	struct mdsc_file **pp = &mc->files[file_bucket(mc, f->ino)];

	struct mdcache_inode *i = mdcache_get_inode(&mc->cache, f->ino);

	/* Our size and mtime stop overriding the cached inode's now; that
	 * copy may predate our last writes (our own flush revokes nothing,
	 * so no cap message refreshed it), so it learns them: a reply the
	 * MDS built before it took our flush, handled after its ack, must
	 * not bring the old size back (a file reopened at once read short) */
	if (i) {
		mds_size_take(&i->st.size, &i->st.truncate_size,
			      &i->st.truncate_seq, f->io.size,
			      f->io.truncate_size, f->io.truncate_seq);
		if (sp_time_cmp(f->mtime, i->st.mtime) > 0)
			i->st.mtime = f->mtime;
	}

	while (*pp && *pp != f)
		pp = &(*pp)->next;
	if (*pp)
		*pp = f->next;
	free(f);
}

/* The caps Ceph's clients want for a mode: reading wants Fr and may cache
 * (Fc) and see the size (Fs); writing wants Fw, may buffer (Fb) and be the
 * only writer (Fx). */
static uint32_t file_wanted(const struct mdsc_file *f)
{
	uint32_t w = 0;

	if (f->readers)
		w |= CEPH_CAP_FILE_RD | CEPH_CAP_FILE_CACHE |
		     CEPH_CAP_FILE_SHARED;
	if (f->writers)
		w |= CEPH_CAP_FILE_WR | CEPH_CAP_FILE_BUFFER |
		     CEPH_CAP_FILE_EXCL | CEPH_CAP_FILE_SHARED;
	return w ? w | CEPH_CAP_PIN : 0;
}

uint32_t mdsc_file_wanted_locked(struct mdsc *mc, uint64_t ino)
{
	struct mdsc_file *f = file_find(mc, ino);

	return f ? file_wanted(f) : 0;
}

bool mdsc_file_busy_locked(struct mdsc *mc, uint64_t ino)
{
	struct mdsc_file *f = file_find(mc, ino);

	return f && (f->readers || f->writers || f->dirty || f->flushing_tid);
}

static bool session_usable(const struct mdsc *mc, int rank)
{
	const struct mds_session *s = rank >= 0 && rank < MDS_MAX_RANKS ?
				      mc->sessions[rank] : NULL;

	return s && s->state == SESSION_OPEN && s->conn;
}

/* Tells the auth MDS what we hold and want; with `flush`, also hands it
 * the dirty size and mtime under a new flush tid, and with `sync` asks it
 * to journal at once what the message changes (someone waits: a fsync, or
 * another client's stat behind a revoke, which also journals our
 * writable range going away). Returns the flush tid (0 when nothing was
 * flushed) or a negative errno. */
static int64_t send_update_locked(struct mdsc *mc, struct mdsc_file *f,
				  bool flush, bool sync)
{
	const struct cap_entry *cap = cap_table_find(&mc->caps, f->auth, f->ino);
	struct mds_session *s;
	uint64_t tid = 0;
	struct msg *m;

	if (!cap || !session_usable(mc, f->auth))
		return -ENOTCONN;
	s = mc->sessions[f->auth];
	if (flush && f->dirty) {
		tid = ++mc->last_flush_tid;
		mc->stats.cap_flushes++;
	}
	struct mds_caps_msg up = {
		.op = CEPH_CAP_OP_UPDATE,
		.ino = f->ino,
		.realm = cap->realm,
		.cap_id = cap->cap_id,
		.seq = cap->seq,
		.issue_seq = cap->issue_seq,
		.caps = cap->issued,
		.wanted = file_wanted(f),
		.dirty = tid ? f->dirty : 0,
		.migrate_seq = cap->mseq,
		.uid = f->uid, .gid = f->gid, .mode = f->mode,
		.size = f->io.size,
		.max_size = f->requested_max,
		.truncate_size = f->io.truncate_size,
		.truncate_seq = f->io.truncate_seq,
		.mtime = f->mtime, .atime = f->atime, .ctime = f->ctime,
		.btime = f->btime,
		.time_warp_seq = f->time_warp_seq,
		.layout = {
			.stripe_unit = f->io.stripe_unit,
			.stripe_count = f->io.stripe_count,
			.object_size = f->io.object_size,
			.pool = f->io.pool,
		},
		.caller_uid = (uint32_t)-1,
		.caller_gid = (uint32_t)-1,
		.flush_tid = tid,
		.oldest_flush_tid = f->flushing_tid ? f->flushing_tid : tid,
		.nfiles = -1,
		.nsubdirs = -1,
		.flags = sync ? CEPH_CLIENT_CAPS_SYNC : 0,
	};
	m = mds_msg_caps(&up);
	if (!m)
		return -ENOMEM;
	mdsc_session_send_locked(s, m);
	f->wanted_sent = up.wanted;
	if (tid) {
		f->flushing |= f->dirty;
		f->dirty = 0;
		f->flushing_tid = tid;
	}
	dout(LOG_MDSC, 5, "ino %llx: caps update to mds.%d wanted %#x%s",
	     (unsigned long long)f->ino, f->auth, up.wanted,
	     tid ? " (flush)" : "");
	return (int64_t)tid;
}

/* Takes the attributes of an inode stat or caps message into the file,
 * keeping our own size and mtime while they are newer than the MDS's. */
static void file_take_attrs(struct mdsc_file *f, uint64_t size,
			    uint64_t max_size, uint64_t truncate_size,
			    uint32_t truncate_seq, struct sp_time mtime,
			    struct sp_time atime, struct sp_time ctime)
{
	bool ours = ((f->dirty | f->flushing) &
		     (CEPH_CAP_FILE_WR | CEPH_CAP_FILE_EXCL)) || f->used_wr;

	mds_size_take(&f->io.size, &f->io.truncate_size, &f->io.truncate_seq,
		      size, truncate_size, truncate_seq);
	f->io.max_size = max_size;
	if (!ours) {
		f->mtime = mtime;
		f->ctime = ctime;
		f->atime = atime;
	}
}

void mdsc_file_note_stat_locked(struct mdsc *mc, int rank,
				const struct mds_inode_stat *st)
{
	struct mdsc_file *f = file_find(mc, st->ino);

	if (!f || rank != f->auth)
		return;
	file_take_attrs(f, st->size, st->max_size, st->truncate_size,
			st->truncate_seq, st->mtime, st->atime, st->ctime);
	if (!((f->dirty | f->flushing) & CEPH_CAP_AUTH_EXCL)) {
		f->mode = st->mode;
		f->uid = st->uid;
		f->gid = st->gid;
		f->btime = st->btime;
	}
	if (!((f->dirty | f->flushing) & CEPH_CAP_FILE_EXCL))
		f->time_warp_seq = st->time_warp_seq;
}

static void set_layout(struct mdsc_file *f, uint32_t su, uint32_t sc,
		       uint32_t os, int64_t pool, const char *ns, uint32_t nslen)
{
	if (pool < 0 || !su)
		return;
	f->io.stripe_unit = su;
	f->io.stripe_count = sc;
	f->io.object_size = os;
	f->io.pool = pool;
	if (nslen >= sizeof(f->io.pool_ns))
		nslen = sizeof(f->io.pool_ns) - 1;
	memcpy(f->io.pool_ns, ns ? ns : "", ns ? nslen : 0);
	f->io.pool_ns[ns ? nslen : 0] = '\0';
}

static void file_maybe_forget(struct mdsc *mc, struct mdsc_file *f);

/* A revoke can be answered once no read or write uses a cap it took. */
static bool revoke_can_complete(struct mdsc *mc, const struct mdsc_file *f)
{
	uint32_t issued = cap_table_issued(&mc->caps, f->auth, f->ino);

	return !(f->used_rd && !(issued & CEPH_CAP_FILE_RD)) &&
	       !(f->used_wr && !(issued & CEPH_CAP_FILE_WR));
}

bool mdsc_file_handle_caps_locked(struct mds_session *s,
				  const struct mds_caps_msg *cm, uint32_t had)
{
	struct mdsc *mc = s->mc;
	struct mdsc_file *f = file_find(mc, cm->ino);

	if (!f)
		return false;
	switch (cm->op) {
	case CEPH_CAP_OP_FLUSH_ACK:
		if (f->flushing_tid && cm->flush_tid >= f->flushing_tid) {
			f->flushing_tid = 0;
			f->flushing = 0;
		}
		mdsc_queue_event_locked(mc, MDSC_EV_READY, f->ino, NULL, 0);
		pthread_cond_broadcast(&mc->cond);
		file_maybe_forget(mc, f);	/* f may be gone now */
		return true;
	case CEPH_CAP_OP_EXPORT:
		if (s->rank == f->auth && cm->peer.mds >= 0 &&
		    cm->peer.mds < MDS_MAX_RANKS)
			f->auth = cm->peer.mds;
		break;
	case CEPH_CAP_OP_TRUNC:
		mds_size_take(&f->io.size, &f->io.truncate_size,
			      &f->io.truncate_seq, cm->size, cm->truncate_size,
			      cm->truncate_seq);
		break;
	case CEPH_CAP_OP_IMPORT:
		f->auth = s->rank;
		/* fall through */
	case CEPH_CAP_OP_GRANT:
	case CEPH_CAP_OP_REVOKE:
		if (s->rank != f->auth)
			return false;	/* a replica's cap: nothing in use */
		file_take_attrs(f, cm->size, cm->max_size, cm->truncate_size,
				cm->truncate_seq, cm->mtime, cm->atime,
				cm->ctime);
		set_layout(f, cm->layout.stripe_unit, cm->layout.stripe_count,
			   cm->layout.object_size, cm->layout.pool, cm->pool_ns,
			   cm->pool_ns_len);
		if (cm->op != CEPH_CAP_OP_REVOKE && !(had & ~cm->caps))
			break;
		if (!revoke_can_complete(mc, f)) {
			f->revoke_pending = true;
			/* buffered writes may hold the use: send them */
			mdsc_queue_event_locked(mc, MDSC_EV_FLUSH, f->ino, NULL, 0);
			break;
		}
		/* answer with what we hold now, handing back dirty state;
		 * another client waits for it: have the MDS journal at once */
		f->revoke_pending = false;
		send_update_locked(mc, f, true, true);
		break;
	default:
		return false;
	}
	/* what waits without a thread (mdsc_file_get_caps with no
	 * timeout) looks again */
	mdsc_queue_event_locked(mc, MDSC_EV_READY, f->ino, NULL, 0);
	pthread_cond_broadcast(&mc->cond);
	return true;
}

/* A new entry for an inode, from its stat. */
static struct mdsc_file *file_new(struct mdsc *mc, int rank,
				  const struct mds_inode_stat *st)
{
	struct mdsc_file *f;

	if (!mc->nfile_buckets || !(f = calloc(1, sizeof(*f))))
		return NULL;
	f->ino = st->ino;
	f->io.ino = st->ino;
	f->auth = rank;
	f->io.pool = -1;
	f->wanted_sent = st->cap.wanted;
	f->io.truncate_seq = st->truncate_seq;
	f->io.truncate_size = st->truncate_size;
	f->next = mc->files[file_bucket(mc, st->ino)];
	mc->files[file_bucket(mc, st->ino)] = f;
	f->io.size = st->size;
	{
		/* the cached inode may know a newer size than this stat (our
		 * own, from before the entry was last forgotten) */
		const struct mdcache_inode *i = mdcache_get_inode(&mc->cache,
								  st->ino);

		if (i)
			mds_size_take(&f->io.size, &f->io.truncate_size,
				      &f->io.truncate_seq, i->st.size,
				      i->st.truncate_size, i->st.truncate_seq);
	}
	f->mtime = st->mtime;
	f->ctime = st->ctime;
	f->asked_ms = loop_now_ms();
	return f;
}

int mdsc_file_open(struct mdsc *mc, int rank, const struct mds_inode_stat *st,
		   int fmode)
{
	struct mdsc_file *f;

	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, st->ino);
	if (!f && !(f = file_new(mc, rank, st))) {
		pthread_mutex_unlock(&mc->lock);
		return -ENOMEM;
	}
	if (st->cap.cap_id && (st->cap.flags & CEPH_CAP_FLAG_AUTH))
		f->auth = rank;
	if (f->lost && st->cap.cap_id) {
		/* opened anew under a new cap */
		f->lost = false;
		f->auth = rank;
	}
	set_layout(f, st->layout.stripe_unit, st->layout.stripe_count,
		   st->layout.object_size, st->layout.pool_id,
		   st->layout.pool_ns, st->layout.pool_ns_len);
	mdsc_file_note_stat_locked(mc, rank, st);
	/* The reply can be older than a caps message handled since: a
	 * max_size granted before this open was registered reached no file
	 * then, and the MDS, which counts it as ours, never sends it again (a
	 * write past the reply's max_size would wait for ever). The cached
	 * inode follows every message in order: while it is as new as the
	 * cap, its max_size is the latest. */
	{
		const struct cap_entry *cap = cap_table_find(&mc->caps, f->auth,
							     st->ino);
		const struct mdcache_inode *i = mdcache_get_inode(&mc->cache,
								  st->ino);

		if (cap && i && i->mds == f->auth && i->cap_gen == cap->gen &&
		    i->st.max_size != f->io.max_size) {
			dout(LOG_MDSC, 5, "ino %llx: max_size %llu, not the "
			     "reply's %llu", (unsigned long long)st->ino,
			     (unsigned long long)i->st.max_size,
			     (unsigned long long)f->io.max_size);
			f->io.max_size = i->st.max_size;
		}
	}
	if (fmode & CEPH_FILE_MODE_RD)
		f->readers++;
	if (fmode & CEPH_FILE_MODE_WR)
		f->writers++;
	pthread_mutex_unlock(&mc->lock);
	return 0;
}

/* Waits (mc->lock held) until f's flushes up to now are acknowledged. */
static int wait_flushed_locked(struct mdsc *mc, uint64_t ino,
			       const struct timespec *dl)
{
	struct mdsc_file *f = file_find(mc, ino);

	if (f && !f->dirty && f->flushing_tid && session_usable(mc, f->auth)) {
		/* a flush sent without SYNC: have the MDS journal it now */
		struct mds_session *s = mc->sessions[f->auth];

		mdsc_session_send_locked(s, mds_msg_session(
			CEPH_SESSION_REQUEST_FLUSH_MDLOG, s->seq, NULL));
	}
	while ((f = file_find(mc, ino)) && (f->dirty || f->flushing_tid)) {
		if (mc->stopping)
			return -ESHUTDOWN;
		if (f->lost)
			return -EIO;
		/* without a session this fails: then wait for one */
		if (f->dirty)
			send_update_locked(mc, f, true, true);
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, dl) == ETIMEDOUT)
			return -ETIMEDOUT;
	}
	return 0;
}

/* A file nobody uses any more and nothing is owed for leaves the table. */
static void file_maybe_forget(struct mdsc *mc, struct mdsc_file *f)
{
	if (!f->readers && !f->writers && !f->used_rd && !f->used_wr &&
	    (f->lost || (!f->dirty && !f->flushing_tid)))
		file_remove(mc, f);
}

int mdsc_file_close(struct mdsc *mc, uint64_t ino, int fmode,
		    unsigned timeout_ms)
{
	struct mdsc_file *f;
	uint32_t before;

	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, ino);
	if (!f) {
		pthread_mutex_unlock(&mc->lock);
		return -EBADF;
	}
	before = file_wanted(f);
	if ((fmode & CEPH_FILE_MODE_RD) && f->readers > 0)
		f->readers--;
	if ((fmode & CEPH_FILE_MODE_WR) && f->writers > 0)
		f->writers--;
	/* Like close(2) on Ceph's clients, this does not wait: the size
	 * and mtime go now, and fsync or unmount wait for the ack. */
	/* With SYNC when dirty: until the MDS journals the new size, it
	 * holds the file's lock, and another client's stat would wait up to
	 * its journal interval (seconds) for it. */
	if (f->dirty || file_wanted(f) != before)
		send_update_locked(mc, f, true, f->dirty);
	file_maybe_forget(mc, f);
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
	return 0;
}

int mdsc_file_get_caps(struct mdsc *mc, uint64_t ino, uint32_t need,
		       uint64_t endoff, unsigned timeout_ms,
		       struct mdsc_io_state *io)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	pthread_mutex_lock(&mc->lock);
	for (;;) {
		struct mdsc_file *f = file_find(mc, ino);
		const struct mds_session *s;
		struct timespec wake;
		const struct cap_entry *cap;
		uint32_t issued = 0;
		bool size_ok;

		if (!f || ((need & CEPH_CAP_FILE_WR) && !f->writers) ||
		    ((need & CEPH_CAP_FILE_RD) && !f->readers && !f->writers)) {
			r = -EBADF;
			break;
		}
		if (mc->stopping) {
			r = -ESHUTDOWN;
			break;
		}
		s = f->auth >= 0 && f->auth < MDS_MAX_RANKS ?
		    mc->sessions[f->auth] : NULL;
		if (f->lost || (s && s->state == SESSION_REJECTED)) {
			r = -EIO;
			break;
		}
		cap = cap_table_find(&mc->caps, f->auth, ino);
		if (cap && s && s->state == SESSION_OPEN && !s->stale)
			issued = cap->issued;
		size_ok = !(need & CEPH_CAP_FILE_WR) || endoff <= f->io.max_size;
		if ((issued & need) == need && size_ok && !f->revoke_pending &&
		    f->io.pool >= 0) {
			if (need & CEPH_CAP_FILE_RD)
				f->used_rd++;
			if (need & CEPH_CAP_FILE_WR)
				f->used_wr++;
			*io = f->io;
			io->osd_epoch_barrier = mc->osd_epoch_barrier;
			io->issued = issued;
			break;
		}
		/* ask for what is missing; ask again now and then, should
		 * the MDS have lost track of what we want (or have ignored a
		 * max_size asked for before Fw was issued). The time is the
		 * file's: callers with no timeout try again and again. */
		if (!size_ok && f->requested_max < endoff) {
			f->requested_max = endoff;
			mc->stats.max_size_requests++;
			send_update_locked(mc, f, false, false);
			f->asked_ms = loop_now_ms();
		} else if ((f->wanted_sent & need) != need ||
			   loop_now_ms() - f->asked_ms >= CAPS_ASK_AGAIN_MS) {
			dout(LOG_MDSC, 10, "ino %llx: waiting for %#x: issued %#x, "
			     "max_size %llu for %llu, revoke pending %d, uses "
			     "r%d w%d, session %d%s, pool %lld",
			     (unsigned long long)ino, need, issued,
			     (unsigned long long)f->io.max_size,
			     (unsigned long long)endoff, f->revoke_pending,
			     f->used_rd, f->used_wr, s ? (int)s->state : -1,
			     s && s->stale ? " stale" : "", (long long)f->io.pool);
			send_update_locked(mc, f, false, false);
			f->asked_ms = loop_now_ms();
		}
		wake = deadline_after(CAPS_ASK_AGAIN_MS);
		if (wake.tv_sec > dl.tv_sec ||
		    (wake.tv_sec == dl.tv_sec && wake.tv_nsec > dl.tv_nsec))
			wake = dl;
		if (pthread_cond_timedwait(&mc->cond, &mc->lock, &wake) ==
		    ETIMEDOUT && !memcmp(&wake, &dl, sizeof(wake))) {
			r = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

/* Data up to end was written (or buffered): our size and mtime are now
 * newer than the MDS's until flushed. */
static void file_wrote_locked(struct mdsc_file *f, uint64_t end)
{
	if (end > f->io.size)
		f->io.size = end;
	f->mtime = mdsc_now_realtime();
	f->ctime = f->mtime;
	if (!f->dirty)
		f->dirty_since_ms = loop_now_ms();
	f->dirty |= CEPH_CAP_FILE_WR;
}

void mdsc_file_put_caps(struct mdsc *mc, uint64_t ino, uint32_t got,
			bool wrote, uint64_t end)
{
	struct mdsc_file *f;

	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, ino);
	if (!f) {
		pthread_mutex_unlock(&mc->lock);
		return;
	}
	if ((got & CEPH_CAP_FILE_RD) && f->used_rd > 0)
		f->used_rd--;
	if ((got & CEPH_CAP_FILE_WR) && f->used_wr > 0)
		f->used_wr--;
	if (wrote)
		file_wrote_locked(f, end);
	if (f->revoke_pending && revoke_can_complete(mc, f)) {
		f->revoke_pending = false;
		send_update_locked(mc, f, true, true);
	}
	pthread_cond_broadcast(&mc->cond);
	pthread_mutex_unlock(&mc->lock);
}

void mdsc_file_extend(struct mdsc *mc, uint64_t ino, uint64_t end)
{
	struct mdsc_file *f;

	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, ino);
	if (f)
		file_wrote_locked(f, end);
	pthread_mutex_unlock(&mc->lock);
}

int mdsc_file_flush(struct mdsc *mc, uint64_t ino, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r;

	pthread_mutex_lock(&mc->lock);
	r = file_find(mc, ino) ? wait_flushed_locked(mc, ino, &dl) : 0;
	pthread_mutex_unlock(&mc->lock);
	return r;
}

int mdsc_file_flush_all(struct mdsc *mc, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	pthread_mutex_lock(&mc->lock);
	for (size_t i = 0; i < mc->nfile_buckets; i++)
		for (struct mdsc_file *f = mc->files[i]; f; f = f->next)
			if (f->dirty)
				send_update_locked(mc, f, true, true);
	while (!r) {
		struct mdsc_file *pending = NULL;

		for (size_t i = 0; i < mc->nfile_buckets && !pending; i++)
			for (struct mdsc_file *f = mc->files[i]; f; f = f->next)
				if (f->dirty || f->flushing_tid) {
					pending = f;
					break;
				}
		if (!pending)
			break;
		r = wait_flushed_locked(mc, pending->ino, &dl);
	}
	pthread_mutex_unlock(&mc->lock);
	return r;
}

void mdsc_files_rank_recovered_locked(struct mdsc *mc, int rank, bool lost)
{
	for (size_t i = 0; i < mc->nfile_buckets; i++)
		for (struct mdsc_file *f = mc->files[i]; f; f = f->next) {
			if (f->auth != rank)
				continue;
			if (lost) {
				if (!f->lost)
					dout(LOG_MDSC, 0, "ino %llx: caps lost "
					     "with mds.%d%s",
					     (unsigned long long)f->ino, rank,
					     f->dirty || f->flushing_tid ?
					     " (its size and mtime unflushed)" :
					     "");
				f->lost = true;
				f->revoke_pending = false;
				continue;
			}
			/* the new daemon may never have seen a flush in
			 * flight: send it again (a flush is idempotent) */
			if (f->flushing_tid)
				f->dirty |= f->flushing;
			f->wanted_sent = 0;
			send_update_locked(mc, f, f->dirty, f->dirty);
		}
	pthread_cond_broadcast(&mc->cond);
}

void mdsc_files_tick_locked(struct mdsc *mc, uint64_t now_ms)
{
	for (size_t i = 0; i < mc->nfile_buckets; i++)
		for (struct mdsc_file *f = mc->files[i]; f; f = f->next)
			if (f->dirty &&
			    now_ms - f->dirty_since_ms >= DIRTY_FLUSH_DELAY_MS)
				send_update_locked(mc, f, true, false);
}

int mdsc_file_setattr_local(struct mdsc *mc, uint64_t ino,
			    uint32_t caller_uid,
			    const union mds_request_args *args)
{
	const uint32_t auth_bits = CEPH_SETATTR_MODE | CEPH_SETATTR_UID |
				   CEPH_SETATTR_GID | CEPH_SETATTR_BTIME;
	const uint32_t time_bits = CEPH_SETATTR_MTIME | CEPH_SETATTR_ATIME;
	uint32_t mask = args->setattr.mask & ~CEPH_SETATTR_CTIME;
	uint32_t need = 0, issued;
	struct mdcache_inode *i;
	struct mdsc_file *f;
	struct sp_time now;
	int rank, r = -EAGAIN;

	/* sizes (a truncation moves data), "now" times and the kernel's
	 * kill-suid go to the MDS */
	if (!mask || (mask & ~(auth_bits | time_bits)))
		return -EAGAIN;
	if (mask & auth_bits)
		need |= CEPH_CAP_AUTH_EXCL;
	if (mask & time_bits)
		need |= CEPH_CAP_FILE_EXCL;
	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, ino);
	rank = f ? f->auth : cap_table_auth_rank(&mc->caps, ino, MDS_MAX_RANKS,
						  NULL);
	i = mdcache_get_inode(&mc->cache, ino);
	if (rank < 0 || !session_usable(mc, rank) ||
	    mc->sessions[rank]->stale || (f && f->lost))
		goto out;
	issued = cap_table_issued(&mc->caps, rank, ino);
	if ((issued & need) != need || (!f && (!i || i->mds != rank)))
		goto out;
	/* what the MDS would refuse, it should refuse itself: only the
	 * owner changes mode and times; only root the owner or group */
	if (caller_uid != 0 &&
	    ((mask & (CEPH_SETATTR_UID | CEPH_SETATTR_GID)) ||
	     caller_uid != (f ? f->uid : i->st.uid)))
		goto out;
	if (!f && !(f = file_new(mc, rank, &i->st))) {
		r = -ENOMEM;
		goto out;
	}
	if (i && !(f->readers || f->writers || f->dirty || f->flushing)) {
		/* a fresh entry: the cached inode is the current state */
		f->mode = i->st.mode;
		f->uid = i->st.uid;
		f->gid = i->st.gid;
		f->btime = i->st.btime;
		f->atime = i->st.atime;
		f->time_warp_seq = i->st.time_warp_seq;
	}
	now = mdsc_now_realtime();
	if (mask & CEPH_SETATTR_MODE)
		f->mode = (f->mode & S_IFMT) | (args->setattr.mode & 07777);
	if (mask & CEPH_SETATTR_UID)
		f->uid = args->setattr.uid;
	if (mask & CEPH_SETATTR_GID)
		f->gid = args->setattr.gid;
	if (mask & CEPH_SETATTR_BTIME)
		f->btime = args->setattr.btime;
	if (mask & CEPH_SETATTR_MTIME)
		f->mtime = args->setattr.mtime;
	if (mask & CEPH_SETATTR_ATIME)
		f->atime = args->setattr.atime;
	if (mask & time_bits)
		f->time_warp_seq++;	/* times set, not advanced */
	f->ctime = now;
	if (!f->dirty)
		f->dirty_since_ms = loop_now_ms();
	f->dirty |= need;
	if (i)
		mdsc_file_overlay_locked(mc, &i->st);
	mc->stats.local_setattrs++;
	r = 0;
out:
	pthread_mutex_unlock(&mc->lock);
	return r;
}

void mdsc_file_overlay_locked(struct mdsc *mc, struct mds_inode_stat *st)
{
	struct mdsc_file *f = file_find(mc, st->ino);
	uint32_t mine;

	if (!f)
		return;
	mine = f->dirty | f->flushing;
	if (mine & CEPH_CAP_AUTH_EXCL) {
		st->mode = f->mode;
		st->uid = f->uid;
		st->gid = f->gid;
		st->btime = f->btime;
		st->ctime = f->ctime;
	}
	if (mine & CEPH_CAP_FILE_EXCL) {
		st->mtime = f->mtime;
		st->atime = f->atime;
		st->ctime = f->ctime;
		st->time_warp_seq = f->time_warp_seq;
	}
}

uint64_t mdsc_file_size(struct mdsc *mc, uint64_t ino)
{
	struct mdcache_inode *i;
	struct mdsc_file *f;
	uint64_t size = 0;

	pthread_mutex_lock(&mc->lock);
	f = file_find(mc, ino);
	if (f)
		size = f->io.size;
	else if ((i = mdcache_get_inode(&mc->cache, ino)))
		size = i->st.size;
	pthread_mutex_unlock(&mc->lock);
	return size;
}

void mdsc_file_overlay(struct mdsc *mc, struct mds_inode_stat *st)
{
	struct mdsc_file *f;

	pthread_mutex_lock(&mc->lock);
	mdsc_file_overlay_locked(mc, st);
	f = file_find(mc, st->ino);
	/* a file we write: our size and mtime are the newer ones */
	if (f && !S_ISDIR(st->mode) &&
	    (f->dirty || f->flushing_tid || f->used_wr ||
	     (cap_table_issued(&mc->caps, f->auth, st->ino) &
	      CEPH_CAP_FILE_WR))) {
		st->size = f->io.size;
		st->mtime = f->mtime;
	}
	pthread_mutex_unlock(&mc->lock);
}

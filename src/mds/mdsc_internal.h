/* The MDS client's state, shared by its files (mdsc.c: sessions,
 * requests, the metadata cache; mdsc_file.c: open files and the caps
 * they use). Nothing outside src/mds includes this. */
#ifndef SIPHON_MDS_MDSC_INTERNAL_H
#define SIPHON_MDS_MDSC_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mds/caps.h"
#include "mds/filelocks.h"
#include "mds/listing.h"
#include "mds/mdcache.h"
#include "mds/mdsc.h"

#define MDS_MAX_RANKS 64
#define MDS_MAX_HINTS 128
#define MDS_DIRAUTH_SLOTS 1024
#define MDS_CACHE_MAX 131072	/* inodes + dentries kept */
/* A daemon that reset our session while the MDS map shows it active and
 * unchanged this long really forgot us (it was not being replaced). */
#define MDS_FORGOT_US_MS 10000
/* A renewal after a messenger reset unanswered this long, by a daemon the
 * map still shows active: the session is gone (evicted). Longer than the
 * monitors take to notice a dead MDS (mds_beacon_grace, 15 s): a daemon
 * killed and restarted at its old address resets us too, and the map's
 * failover must win. */
#define MDS_RENEW_UNANSWERED_MS 30000
#define MDS_RECENT_NAMES 1024	/* power of two */

enum session_state {
	SESSION_NEW,
	SESSION_OPENING,
	SESSION_OPEN,
	SESSION_CLOSING,
	SESSION_CLOSED,
	SESSION_REJECTED,
	/* the rank's daemon changed (failover, restart): our caps wait to
	 * be restated once the new one reaches the reconnect state */
	SESSION_RESTARTING,
	SESSION_RECONNECTING,	/* reconnect sent, its OPEN not yet back */
};

struct mds_session {
	struct mdsc *mc;
	int rank;
	enum session_state state;
	struct conn *conn;
	uint64_t gid;			/* the daemon we opened it with */
	int32_t inc;
	uint64_t seq;			/* MDS messages counted for close */
	uint64_t renew_seq;
	uint64_t renew_sent_ms;
	uint64_t cap_ttl_ms;		/* caps trusted until then */
	unsigned cap_gen;		/* bumped when the session goes stale */
	bool stale;			/* cap_ttl passed without a renewal */
	/* Bumped when the rank's MDS restarts: caps stamped with an older
	 * one were issued by the old daemon and are dead unless restated in
	 * the reconnect (which stamps them anew). Unlike cap_gen, a stale
	 * session's caps are not dead: they come back with the renewal. */
	unsigned recon_gen;
	unsigned conn_gen;		/* bumped for each new connection */
	bool reconnected;		/* redo flushes once the rank is active */
	uint64_t restart_ms;		/* when it went RESTARTING */
	uint64_t reset_renew_ms;	/* renewal after a reset, unanswered */
	uint64_t features[MDS_FEATURE_WORDS];	/* CephFS features both sides have */
	uint32_t features_words;
	char reject_reason[128];
};

struct rank_info {
	bool up;
	int32_t state;
	uint64_t gid;
	int32_t inc;
	struct entity_addrvec addrs;
};

/* Which rank was last seen to be the authority for a directory, named by
 * its path from the root: how the tree is split between ranks, learned
 * from replies (DirStat.auth) and forwards. */
struct subtree_hint {
	char *dir;
	int rank;
};

#define MDS_MAX_LISTINGS 64

struct mdsc {
	struct messenger *msgr;
	struct loop *loop;
	struct auth_client *auth;
	char hostname[64];
	char entity_id[AUTH_ID_MAX];
	char root[256];

	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t mdsmap_epoch;
	uint32_t session_timeout_s;
	int32_t max_mds;
	struct rank_info ranks[MDS_MAX_RANKS];
	struct mds_session *sessions[MDS_MAX_RANKS];
	struct mds_request *reqs;	/* in flight, oldest first */
	uint64_t last_tid;
	struct cap_table caps;
	struct filelock_table locks;	/* held, for reconnects */
	/* inodes whose last link we removed: their caps go back once
	 * nothing uses them, so the MDS can purge them (their data stays
	 * on the OSDs while any client holds a cap) */
	uint64_t *unlinked;
	size_t nunlinked, cap_unlinked;
	/* the inode each recently answered name led to, vouched for or not
	 * (the cache keeps only what the MDS vouches for): an unlink names
	 * the dentry, this says whose caps to give back */
	struct recent_name {
		uint64_t dir, name_hash, ino;
		uint32_t nlink;
	} recent[MDS_RECENT_NAMES];
	struct mdcache cache;
	struct listing listings[MDS_MAX_LISTINGS];
	unsigned next_listing;
	uint64_t mut_seq;		/* bumped by every change of ours */
	struct subtree_hint hints[MDS_MAX_HINTS];
	/* which rank is auth for a directory's entries, from the dirstat
	 * of replies: a cache indexed by a hash of the inode number, where
	 * a newer directory may take an older one's slot (then the
	 * directory's auth cap is used, and the MDS forwards if wrong) */
	struct { uint64_t ino; int rank; } dirauth[MDS_DIRAUTH_SLOTS];
	unsigned next_hint;
	struct mdsc_stats stats;
	bool stopping;

	/* open files (mdsc_file.c), a hash of chains by ino */
	struct mdsc_file **files;
	size_t nfile_buckets;
	uint64_t last_flush_tid;
	bool (*keep_held)(void *arg, uint64_t ino);	/* mdsc_set_keep() */
	void *keep_arg;

	/* notifications for the layer above, queued under the lock and
	 * delivered after it is dropped (mdsc_set_notify) */
	struct mdsc_notify notify;
	struct mdsc_event *events;
	size_t nevents, cap_events;
	/* the newest OSD map epoch an MDS told us to reach before any OSD
	 * op (it blocklisted a client whose writes must not race ours) */
	uint32_t osd_epoch_barrier;

	struct loop_timer tick;

	/* eviction (mdsc_set_evicted_hook) */
	void (*evicted_fn)(void *arg);
	void *evicted_arg;
	struct loop_work evicted_work;
	uint64_t evicted_ms;		/* when the hook last ran */
	bool evicted_queued;
	/* the OSD map lists our address: every request fails at once
	 * (mdsc_set_blocklisted) */
	bool blocklisted;
};

enum mdsc_event_kind {
	MDSC_EV_INODE,
	MDSC_EV_ENTRY,
	MDSC_EV_TRIM,
	MDSC_EV_FLUSH,
	MDSC_EV_READY,
};

struct mdsc_event {
	enum mdsc_event_kind kind;
	uint64_t ino;			/* the inode, or the entry's dir */
	char *name;			/* MDSC_EV_ENTRY */
	size_t len;
};

/* Queues a notification (no-op when nobody listens). */
void mdsc_queue_event_locked(struct mdsc *mc, enum mdsc_event_kind kind,
			     uint64_t ino, const char *name, size_t len);

/* Shared by mdsc.c and mdsc_recover.c (MDS failover). */
int mdsc_session_connect_locked(struct mdsc *mc, struct mds_session *s);
void mdsc_session_drop_conn_locked(struct mds_session *s);
void mdsc_send_request_locked(struct mdsc *mc, struct mds_request *req,
			      struct mds_session *s);
void mdsc_table_remove_locked(struct mdsc *mc, struct mds_request *req);
/* A request is complete (its first reply, or a failure in req->result):
 * waiters wake, and a callback given to mdsc_submit() is queued to run
 * on the loop. Every place that ends a request goes through here. */
void mdsc_request_complete_locked(struct mdsc *mc, struct mds_request *req);
/* A session opened or a rank came up: send what waits for it. */
void mdsc_kick_rank_locked(struct mdsc *mc, int rank);

/* mdsc_recover.c: a rank's daemon changed (restart, failover) or forgot
 * our session; the new one is in its reconnect state; it refused us. */
void mdsc_session_restart_locked(struct mdsc *mc, struct mds_session *s);
void mdsc_send_reconnect_locked(struct mdsc *mc, struct mds_session *s);
void mdsc_session_lost_locked(struct mdsc *mc, struct mds_session *s,
			      const char *why);
/* An MDS refused us as blocklisted: run the evicted hook (soon, from
 * the loop, unlocked). mdsc_evicted_work is that loop work. */
void mdsc_evicted_locked(struct mdsc *mc);
/* Puts over st the attributes this client changed and has not yet seen
 * the MDS take (mdsc_file_setattr_local), so that an older state from a
 * reply or caps message does not undo them in the cache. */
void mdsc_file_overlay_locked(struct mdsc *mc, struct mds_inode_stat *st);
void mdsc_evicted_work(void *arg);
/* A SETFILELOCK answered with success: remember what we now hold. */
void mdsc_note_filelock_locked(struct mdsc *mc, const struct mds_request *req);

/* Queues m on the session's connection (or drops it if there is none). */
void mdsc_session_send_locked(struct mds_session *s, struct msg *m);
struct sp_time mdsc_now_realtime(void);

/* Hooks from mdsc.c into the open-file state (mdsc_file.c). */
struct mdsc_file;
void mdsc_files_init(struct mdsc *mc);
void mdsc_files_destroy(struct mdsc *mc);
/* An inode stat from a reply (rank answered it). */
void mdsc_file_note_stat_locked(struct mdsc *mc, int rank,
				const struct mds_inode_stat *st);
/* A caps message for an inode; returns true if it handled the message
 * (an open file's caps), false to let the caller treat it as a cap no
 * file uses. `had` is what was issued before. */
bool mdsc_file_handle_caps_locked(struct mds_session *s,
				  const struct mds_caps_msg *cm, uint32_t had);
/* The caps wanted for ino by open files (0 if none). */
uint32_t mdsc_file_wanted_locked(struct mdsc *mc, uint64_t ino);
/* rank's MDS restarted and we reconnected (lost: false), and it is
 * active again: flushes that were in flight are sent anew, wanted caps
 * restated. With lost: true the caps are gone (reconnect refused or
 * missed): files of that rank fail their I/O until reopened. */
void mdsc_files_rank_recovered_locked(struct mdsc *mc, int rank, bool lost);
/* Flushes what stayed dirty too long (from the tick). */
void mdsc_files_tick_locked(struct mdsc *mc, uint64_t now_ms);
/* Is ino open (its caps must not be given back)? */
bool mdsc_file_busy_locked(struct mdsc *mc, uint64_t ino);

#endif

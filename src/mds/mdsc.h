/* The MDS client: sessions with MDS ranks, metadata requests and their
 * replies, and the capabilities those replies and the MDSs hand out.
 *
 * Sessions. Before any request goes to a rank, a session is opened with
 * it over a lossless connection (REQUEST_OPEN with our metadata and the
 * CephFS features we implement). The session is renewed every quarter of
 * the file system's session_timeout; caps are trusted only until
 * cap_ttl (the time the last renewal was sent plus session_timeout). A
 * session that misses its renewal goes stale: its cap_gen is bumped and
 * caps issued under an older generation count as nothing but PIN until
 * the next renewal. Messages on one session keep their order because the
 * connection is lossless and delivers in sequence.
 *
 * Requests. Each gets a tid and goes to a rank: the caller's hint (the
 * authority of the inode it is about), else rank 0. A FORWARD moves it to
 * another rank. A reply may come twice: the first (unsafe) completes the
 * call with its result and trace; the second (safe) says the change is in
 * the MDS journal. Requests stay in the table until safe, so a later
 * fsync can wait for them (mdsc_wait_safe).
 *
 * Caps. Every inode stat in a reply carries the caps the MDS issued for
 * it; CAPS messages grant more, revoke, or move them between ranks. This
 * first version caches no metadata and holds no dirty state, so a revoke
 * is answered at once and caps it does not need are released in batches.
 *
 * Locking: mdsc->lock guards the rank table, the sessions and the request
 * table; waiters sleep on mdsc->cond. Message handling runs on the loop
 * thread. Nothing here takes a lock of a layer above. */
#ifndef SIPHON_MDS_MDSC_H
#define SIPHON_MDS_MDSC_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "mds/mds_msgs.h"
#include "mds/reply.h"
#include "msg/loop.h"
#include "msg/messenger.h"

struct mdsc;
struct mdsmap;

/* What vouched for a directory when a READDIR reply was taken in. */
struct mdsc_listing_token {
	int mds;
	unsigned shared_gen;
	uint64_t mut_seq;
};

/* One metadata request. The caller fills `msg` (op, args, paths) with
 * mdsc_request_new()/mdsc_request_set_path(), submits it, and reads the
 * result and the decoded reply once it completes. Reference counted. */
struct mds_request {
	struct mds_request_msg msg;
	int rank_hint;			/* -1: no preference */

	/* filled in by the MDS client: */
	int result;
	bool got_unsafe, got_safe;
	struct msg *reply_msg;		/* keeps the reply's views alive */
	struct mds_reply reply;
	bool have_reply;
	int num_fwd;
	int rank;			/* where it went last */
	int sent_rank;			/* where it was last sent (-1: never) */
	unsigned sent_conn_gen;		/* that session's conn_gen then */
	/* what the change touched, from the trace: the directory of the
	 * dentry and the inode, so an fsync of either waits for it */
	uint64_t dir_ino, target_ino;
	/* READDIR: the directory's Fs cap as the first reply found it */
	bool listing_ok;
	struct mdsc_listing_token listing;

	/* private */
	int refs;
	char *path, *path2, *alt_name;
	bool done, aborted;
	void *xattr_data;
	struct mds_request *next;
	/* mdsc_submit(): the completion, when it fails, and the work items
	 * that send the request and run the callback on the loop */
	void (*cb)(struct mds_request *req, void *arg);
	void *cb_arg;
	struct mdsc *mc;
	uint64_t deadline_ms;
	bool cb_queued;
	struct loop_work send_work, cb_work;
};

struct mdsc_config {
	const char *hostname;
	const char *entity_id;		/* "admin" of client.admin */
	const char *root;		/* mounted root, "/" */
};

struct mdsc *mdsc_create(struct messenger *msgr, struct auth_client *auth,
			 const struct mdsc_config *cfg);
/* Closes every session (waiting up to timeout_ms for the MDSs to
 * confirm) and frees everything: mdsc_close() then mdsc_free(). */
void mdsc_destroy(struct mdsc *mc, unsigned timeout_ms);
/* The first half: dirty state written back, sessions closed, requests
 * left over failed; mc stays valid (mdsc_abort may still be called). */
void mdsc_close(struct mdsc *mc, unsigned timeout_ms);
void mdsc_free(struct mdsc *mc);
/* The client is going away whatever the MDSs do: every request not yet
 * answered fails with -ESHUTDOWN, every wait here ends, and nothing more
 * is sent (a shutdown with the cluster gone). Any thread but the loop. */
void mdsc_abort(struct mdsc *mc);

/* A new MDS map for our file system (epoch ordered; older ones are
 * ignored). Copies what it needs; the caller keeps the map. */
void mdsc_update_mdsmap(struct mdsc *mc, const struct mdsmap *map);
/* Waits until rank 0 is active (the file system can be used). */
int mdsc_wait_available(struct mdsc *mc, unsigned timeout_ms);

struct mds_request *mdsc_request_new(uint32_t op);
int mdsc_request_set_path(struct mds_request *req, uint64_t ino,
			  const char *path);
int mdsc_request_set_path2(struct mds_request *req, uint64_t ino,
			   const char *path);
/* Value of a setxattr, sent in the data section. */
int mdsc_request_set_data(struct mds_request *req, const void *p, size_t n);
void mdsc_request_put(struct mds_request *req);

/* Sends req without waiting: cb(req, arg) runs once when it completes
 * (its first reply, or a failure: req->result), on the loop thread
 * without the MDS client's lock, and must not block. The request may stay
 * in flight until safe, as with mdsc_do_request(). timeout_ms 0: no
 * limit. Returns 0, or -ESHUTDOWN (cb will not run). */
int mdsc_submit(struct mdsc *mc, struct mds_request *req, unsigned timeout_ms,
		void (*cb)(struct mds_request *req, void *arg), void *arg);
/* Sends req and waits for its first reply (unsafe or safe), or
 * timeout_ms. Returns the MDS's result (0 or a negative errno), or
 * -ETIMEDOUT / -ESHUTDOWN. The request may stay in flight until safe. */
int mdsc_do_request(struct mdsc *mc, struct mds_request *req,
		    unsigned timeout_ms);
/* Waits until req's change is safe on disk. */
int mdsc_wait_safe(struct mdsc *mc, struct mds_request *req,
		   unsigned timeout_ms);
/* Waits until every request sent so far is safe (a full sync). */
int mdsc_sync(struct mdsc *mc, unsigned timeout_ms);
/* Waits until the requests that changed inode ino, or an entry of the
 * directory ino, are safe (fsync of a file or a directory). */
int mdsc_sync_ino(struct mdsc *mc, uint64_t ino, unsigned timeout_ms);

/* The metadata cache. An entry is used only while what vouched for it
 * still holds: a dentry while its lease lasts or its directory keeps the
 * shared (Fs) cap it had when cached; an inode while its cap is unchanged
 * since and still includes `need`; and only while the session is fresh.
 * -ENOENT means "ask the MDS". A lookup is also answered from the
 * directory's complete listing (see below): MDSC_LOOKUP_ABSENT when the
 * name is known not to exist. */
#define MDSC_LOOKUP_ABSENT 1
int mdsc_cached_lookup(struct mdsc *mc, uint64_t dir, const char *name,
		       size_t len, uint64_t *ino);
int mdsc_cached_getattr(struct mdsc *mc, uint64_t ino, uint32_t need,
			struct mds_inode_stat *out);
/* An inode's xattr map (its encoded blob, malloc'd into *blob) while a
 * live Xs cap vouches for the copy kept. */
int mdsc_cached_xattrs(struct mdsc *mc, uint64_t ino, uint8_t **blob,
		       uint32_t *len);
/* How much longer the MDS's lease on a cached name runs (0: none). A name
 * vouched for only by its directory's Fs cap has none: another client's
 * change to the directory revokes the cap, not the name. */
uint32_t mdsc_dentry_lease_left(struct mdsc *mc, uint64_t dir, const char *name,
				size_t len);

/* Complete directory listings, kept while the directory's Fs cap holds.
 * The first READDIR reply of a listing records the token (req->listing);
 * the reader hands it back with everything it got, and the listing is
 * kept only if nothing changed since (the cap, or any change of ours). */
void mdsc_cache_listing(struct mdsc *mc, uint64_t dir,
			const struct mdsc_listing_token *tok,
			char *const *names, const uint64_t *inos, uint32_t n);
struct mdsc_cached_entry {
	char *name;
	struct mds_inode_stat st;
};
/* A copy of the cached listing of dir with every entry's attributes, if
 * all are still vouched for; free with mdsc_free_entries(). -ENOENT
 * otherwise. */
int mdsc_cached_listing(struct mdsc *mc, uint64_t dir,
			struct mdsc_cached_entry **out, uint32_t *n);
void mdsc_free_entries(struct mdsc_cached_entry *e, uint32_t n);

/* ---- Open files and the caps their I/O runs under ----
 *
 * Opening a file (an OPEN or CREATE request) registers it here with its
 * mode; the caps that mode wants (Fr for reading, Fw for writing, with
 * Fs/Fc/Fb as Ceph's clients ask for them) are then kept wanted until
 * the last close. Each read or write takes a use of the cap it needs
 * (mdsc_file_get_caps), waiting for the MDS to grant it and, for writes,
 * for max_size to cover the end of the write; a revoke of a cap in use is
 * answered when the last use ends. Data goes to the OSDs synchronously,
 * so what a write leaves dirty is metadata only: the size and mtime,
 * sent back to the MDS with a cap flush (on fsync, close, revoke, and at
 * the latest by the tick) and acknowledged by FLUSH_ACK. */

struct mdsc_io_state {
	uint64_t ino;
	uint64_t size, max_size, truncate_size;
	uint32_t truncate_seq;
	uint32_t stripe_unit, stripe_count, object_size;
	int64_t pool;
	char pool_ns[128];
	uint32_t osd_epoch_barrier;	/* OSD ops wait for this map epoch */
	uint32_t issued;		/* the caps held when taken */
};

/* Registers an open of the inode a reply's stat describes, answered by
 * rank; fmode is CEPH_FILE_MODE_RD, _WR or _RDWR. */
int mdsc_file_open(struct mdsc *mc, int rank, const struct mds_inode_stat *st,
		   int fmode);
/* Ends one open: dirty size and mtime are sent (not waited for, as
 * close(2) on Ceph's clients; fsync and unmount wait) and the wanted caps
 * lowered. */
int mdsc_file_close(struct mdsc *mc, uint64_t ino, int fmode,
		    unsigned timeout_ms);
/* Waits until `need` (CEPH_CAP_FILE_RD or _WR) is issued for an open
 * file and, for writes, max_size reaches endoff; takes a use of it and
 * fills *io. -ETIMEDOUT, -EBADF (not open), -EIO (session lost). With
 * timeout_ms 0 it does not wait: it asks the MDS for what is missing and
 * fails -ETIMEDOUT at once (the caps notification says when to retry). */
int mdsc_file_get_caps(struct mdsc *mc, uint64_t ino, uint32_t need,
		       uint64_t endoff, unsigned timeout_ms,
		       struct mdsc_io_state *io);
/* Ends a use taken by mdsc_file_get_caps. After a write that reached
 * `end`, the size grows to it and the mtime becomes now, dirty until
 * flushed. */
void mdsc_file_put_caps(struct mdsc *mc, uint64_t ino, uint32_t got,
			bool wrote, uint64_t end);
/* Data buffered (not yet on the OSDs, under a use of Fw) reaches end:
 * the size and mtime this client reports grow now. */
void mdsc_file_extend(struct mdsc *mc, uint64_t ino, uint64_t end);
/* A setattr applied by the client itself, as ceph-fuse does, when it
 * holds the caps that cover it exclusively from the inode's auth MDS:
 * mode, owner, group and btime under Ax, mtime and atime under Fx. The
 * change is visible at once (stats, the cache) and goes to the MDS as a
 * dirty cap in a later flush (fsync, close, a revoke, 5 s, unmount).
 * args->setattr as a SETATTR request would carry it; caller_uid the
 * caller's (only the owner, or root, is served here; ownership changes
 * only for root). 0 if applied, -EAGAIN if the MDS must be asked. */
int mdsc_file_setattr_local(struct mdsc *mc, uint64_t ino,
			    uint32_t caller_uid,
			    const union mds_request_args *args);
/* Puts over st what this client changed that the MDS has not yet taken:
 * attributes set under caps (mdsc_file_setattr_local), and a file's size
 * and mtime while we write it (written or buffered, not yet flushed). */
void mdsc_file_overlay(struct mdsc *mc, struct mds_inode_stat *st);
/* The size this client knows for ino (its own while it writes, else the
 * cached one; 0 if unknown): a truncating SETATTR's old_size, as ceph-fuse
 * sends it, so the MDS cuts the objects up to every byte we wrote. */
uint64_t mdsc_file_size(struct mdsc *mc, uint64_t ino);
/* Sends the file's dirty size/mtime and waits for the MDS to take them. */
int mdsc_file_flush(struct mdsc *mc, uint64_t ino, unsigned timeout_ms);
int mdsc_file_flush_all(struct mdsc *mc, unsigned timeout_ms);

/* Inodes the layer above still refers to (by number, e.g. a FUSE node):
 * their caps are kept when the MDS recalls state, so that requests by
 * inode number keep working. Called under the MDS client's lock. */
void mdsc_set_keep(struct mdsc *mc, bool (*held)(void *arg, uint64_t ino),
		   void *arg);

/* What the layer above caches beyond the MDS client (a FUSE kernel's
 * attributes, names and pages) must be dropped when the caps or leases
 * vouching for it go. The MDS client reports that through these, called
 * on the loop thread without its lock held; they must not block (a FUSE
 * front end queues the kernel notifications to a thread of its own). */
struct mdsc_notify {
	/* ino's attributes or data may have changed */
	void (*inval_inode)(void *arg, uint64_t ino);
	/* the name in dir may now mean something else */
	void (*inval_entry)(void *arg, uint64_t dir, const char *name,
			    size_t len);
	/* the MDS asks the client to hold fewer inodes */
	void (*trim)(void *arg);
	/* a revoke waits for ino's buffered writes: send them now */
	void (*flush)(void *arg, uint64_t ino);
	/* ino's caps, max_size or cap flush changed, or a change to it
	 * became safe: what waits for those without a thread (calls with
	 * no timeout) may look again */
	void (*ready)(void *arg, uint64_t ino);
	void *arg;
};
void mdsc_set_notify(struct mdsc *mc, const struct mdsc_notify *n);

/* Counters for tests and `siphon status`. */
struct mdsc_stats {
	uint64_t requests, forwards, unsafe_replies, safe_replies;
	uint64_t caps_held, caps_revoked, caps_released;
	uint64_t cache_hits;
	uint64_t cap_flushes, max_size_requests;
	uint64_t local_setattrs;	/* applied under Ax/Fx, flushed later */
	uint64_t lease_renewals;
	/* failover: reconnects sent to restarted MDSs, requests replayed or
	 * resent in them, caps dropped as dead (not reconnected), sessions
	 * lost (the MDS refused the reconnect) */
	uint64_t reconnects, replayed, dead_caps, sessions_lost;
	int sessions_open;
};
void mdsc_get_stats(struct mdsc *mc, struct mdsc_stats *st);

/* After an eviction, when an MDS refuses us as blocklisted: fn(arg) runs
 * (on siphon's network thread, at most every few seconds) so that the
 * layer above can take a new address and then call mdsc_recover_clean().
 * Without a hook the sessions stay refused and calls fail with EIO. */
void mdsc_set_evicted_hook(struct mdsc *mc, void (*fn)(void *arg), void *arg);
/* The OSD map says our address is blocklisted (on), or no longer (off).
 * On: every session is lost (caps dropped, open files fail with EIO until
 * reopened, requests in flight fail with EIO) and new requests fail with
 * EIO at once rather than wait for an MDS that ignores us; then the
 * evicted hook runs. How ceph-fuse learns of an eviction without waiting
 * for an MDS to say so. */
void mdsc_set_blocklisted(struct mdsc *mc, bool on);
/* Starts over with fresh sessions, as the kernel's recover_session=clean:
 * every cap and lock is dropped, open files fail (EIO) until reopened,
 * requests that were sent fail with EIO; later ones go to new sessions. */
void mdsc_recover_clean(struct mdsc *mc);
/* How many caps this client holds from a rank. */
size_t mdsc_caps_on_rank(struct mdsc *mc, int rank);

#endif

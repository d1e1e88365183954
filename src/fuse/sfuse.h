/* siphon-fuse: a FUSE (low-level API) front end over siphon's inode
 * handles. Shared state of the mount: the client, the FUSE session, the
 * map of the node ids the kernel knows and the queue of invalidations. */
#ifndef SIPHON_FUSE_SFUSE_H
#define SIPHON_FUSE_SFUSE_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "siphon/siphon.h"

/* A node the kernel knows: one per inode, alive while the kernel's lookup
 * count is above zero. Each lookup the kernel counts is one siphon
 * reference on `in`, given back by forget. parent/name: where it was last
 * seen, so a trim can ask the kernel to drop the entry. */
struct sf_node {
	uint64_t nodeid;		/* FUSE's id: the inode number, 1 for the root */
	struct siphon_inode *in;
	uint64_t nlookup;
	uint64_t parent;		/* node id, 0 if unknown */
	char *name;
	bool dir;
	struct sf_node *next;
};

struct sf_stats {			/* request sizes seen, for the log */
	uint64_t reads, read_bytes, read_max;
	uint64_t writes, write_bytes, write_max;
};

/* Queued kernel notifications (the core's callbacks must not block). */
struct sf_note {
	int kind;			/* SF_INVAL_INODE, SF_INVAL_ENTRY, SF_TRIM */
	uint64_t nodeid, parent;
	char *name;
	struct sf_note *next;
};
enum { SF_INVAL_INODE, SF_INVAL_ENTRY, SF_TRIM };

struct sf_lockrec;

/* The head of an open file or directory handle (ops.c). */
struct sf_handle {
	struct sf_handle *prev, *next;
	bool dir;
};
#define SF_LOCK_BUCKETS 256

struct sf {
	struct siphon_client *c;
	struct fuse_session *se;
	struct siphon_inode *root;
	uint64_t root_ino;
	struct fuse_conn_info_opts *conn_opts;

	/* node map, under nlock (a leaf lock: siphon_ll_put may be called
	 * under it, nothing else) */
	pthread_mutex_t nlock;
	struct sf_node **ntab;
	size_t nbuckets, nnodes;

	/* notifications */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	struct sf_note *qhead, **qtail;
	size_t qlen;
	bool qstop, qrunning;
	pthread_t qthread;

	pthread_mutex_t slock;
	struct sf_stats stats;

	/* open file and directory handles the kernel holds, under hlock (a
	 * leaf lock): those it never released when the session ended are
	 * closed at unmount, their buffered data flushed */
	pthread_mutex_t hlock;
	struct sf_handle *handles;

	/* who may hold POSIX locks, for flush and release (locks.c), under
	 * llock (a leaf lock) */
	pthread_mutex_t llock;
	struct sf_lockrec *ltab[SF_LOCK_BUCKETS];
	size_t nlockrecs;
	bool single;			/* -s: one thread serves requests */

	/* read-ahead raised in sysfs at the first open (main.c) */
	char bdi[32];			/* the mount's "major:minor" */
	unsigned ra_kb;			/* 0: leave the kernel's */
	bool ra_done;

	uid_t euid;
	gid_t egid;
};

/* ---- ops.c ---- */
/* Closes the handles the kernel never released (the session ended with
 * files open: SIGTERM, or a lazy unmount). */
void sf_handles_close(struct sf *s);

/* ---- nodes.c ---- */
int sf_nodes_init(struct sf *s);
/* Drops every reference the kernel still held (at unmount). */
void sf_nodes_free(struct sf *s);
uint64_t sf_nodeid(const struct sf *s, uint64_t ino);
/* The inode number of a node id (the inverse of sf_nodeid). */
uint64_t sf_node_ino(const struct sf *s, fuse_ino_t nodeid);
/* A new siphon reference to the node's inode, for the length of one
 * operation (give it back with siphon_ll_put(.., 1)); NULL: unknown. */
struct siphon_inode *sf_node_get(struct sf *s, fuse_ino_t nodeid);
/* Records one kernel lookup of `in` (consuming the reference the caller
 * took for it) under parent/name; returns the node id. */
uint64_t sf_node_lookup(struct sf *s, struct siphon_inode *in,
			fuse_ino_t parent, const char *name, bool dir);
/* The kernel forgot n lookups of nodeid. */
void sf_node_forget(struct sf *s, fuse_ino_t nodeid, uint64_t n);
bool sf_node_known(struct sf *s, fuse_ino_t nodeid);

/* Starts/stops the notification thread; installs the core callbacks. */
/* shutdown.c: after a stop signal, what is still in flight a few seconds
 * later is failed (siphon_abort), so the daemon ends whatever the cluster
 * does. Start once the session and libfuse's handlers are in place; stop
 * after siphon_unmount(). */
int sf_shutdown_watch_start(struct sf *s);
void sf_shutdown_watch_stop(void);
int sf_notify_start(struct sf *s);
void sf_notify_stop(struct sf *s);

/* ---- main.c ---- */
/* Raises the kernel's read-ahead for the mount (once, after INIT). */
void sf_raise_readahead(struct sf *s);

/* ---- ops.c ---- */
extern const struct fuse_lowlevel_ops sf_ops;

/* ---- locks.c ---- */
void sf_locks_init(struct sf *s);
void sf_locks_free(struct sf *s);
void sf_op_getlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 struct flock *lock);
void sf_op_setlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 struct flock *lock, int sleep);
void sf_op_flock(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 int op);
/* close(2) of a descriptor (flush): the owner's POSIX locks on the file go. */
void sf_locks_flush(struct sf *s, fuse_ino_t ino, struct fuse_file_info *fi);
/* The open file's last reference (release): its flock locks, and POSIX
 * locks taken through it, go. */
void sf_locks_release(struct sf *s, fuse_ino_t ino, struct fuse_file_info *fi);

#endif

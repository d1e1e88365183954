/* The client core: one per siphon_client handle. It owns the messenger,
 * the auth state and the monitor client, follows the OSD and FS maps,
 * and is what the public API (api.c) and the front ends stand on. */
#ifndef SIPHON_CLIENT_CLIENT_H
#define SIPHON_CLIENT_CLIENT_H

#include <pthread.h>
#include <stdbool.h>

#include "auth/auth.h"
#include "common/config.h"
#include "mon/monc.h"
#include "mds/mdsc.h"
#include "msg/messenger.h"

struct osdmap;
struct fsmap;
struct mdsc;
struct osdc;
struct wb;
struct aio_ctx;

struct siphon_client {
	struct sp_config *cfg;
	struct messenger *msgr;
	struct auth_client *auth;
	struct monc *monc;
	struct osdc *osdc;		/* object I/O, from connect on */

	/* Guards the map pointers below. Published maps are never changed;
	 * a new epoch replaces the pointer and frees the old map. */
	pthread_mutex_t lock;
	/* taken by siphon_abort() while it reaches into the MDS and OSD
	 * clients, and by whoever frees them (before c->lock) */
	pthread_mutex_t teardown_lock;
	bool aborted;		/* siphon_abort() was called (atomic) */
	pthread_cond_t cond;
	struct osdmap *osdmap;
	struct fsmap *fsmap;
	int osdmap_err;		/* last decode failure, for messages */
	int fsmap_err;
	bool blocklisted;	/* the OSD map lists our address */

	bool connected;

	/* The mounted file system (siphon_mount). */
	struct mdsc *mdsc;
	uint64_t root_ino;		/* the mounted root's inode */
	struct siphon_callbacks *user_cb;	/* siphon_set_callbacks() */
	struct siphon_callbacks *old_cbs;	/* replaced ones, freed last */
	/* write-behind state of open inodes (writeback.c) */
	pthread_mutex_t wblock;
	struct wb *wbs;
	struct loop_timer wb_timer;
	bool wb_stopping, wb_started;
	/* asynchronous operations and the data cache's state (aio.h) */
	struct aio_ctx *aio;
	/* inode handles (ll.c), a hash by ino under their own leaf lock */
	pthread_mutex_t ilock;
	struct siphon_inode **itab;
	size_t inb, icount;
	int32_t fscid;			/* -1 until mounted */
	char root[1024];		/* "" for "/", else "a/b" */
	bool mounted;
};

/* Formats the message of this thread's last failure on c (what
 * siphon_errstr tells) and returns err (negative errno). */
int client_fail(struct siphon_client *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What the MDS client tells the client (cache invalidation for the
 * front end, buffered writes to send): registered at mount. */
void client_notify_init(struct siphon_client *c);

/* The inode-handle table (ll.c). */
void client_inodes_init(struct siphon_client *c);
void client_inodes_free(struct siphon_client *c);
/* A new reference to ino's handle, made if needed; NULL when out of
 * memory. */
struct siphon_inode *ll_hold(struct siphon_client *c, uint64_t ino);
/* Does the client hold a reference to ino (its caps must stay)? */
bool client_inode_held(struct siphon_client *c, uint64_t ino);
/* The same, as the MDS client's keep callback (arg: the client). */
bool client_keep_held(void *arg, uint64_t ino);

/* Subscribes to the OSD and FS maps and installs their handlers. */
void client_maps_init(struct siphon_client *c);
/* Waits (c->lock held) until both maps are in; -ETIMEDOUT. */
int client_wait_maps_locked(struct siphon_client *c, unsigned timeout_ms);
void client_maps_free(struct siphon_client *c);
/* Waits until the OSD map reaches epoch (asking the monitor for it). */
int client_wait_osdmap(struct siphon_client *c, uint32_t epoch,
		       unsigned timeout_ms);
/* Hands the MDS map of the mounted file system to the MDS client
 * (c->lock held). */
void client_feed_mdsmap_locked(struct siphon_client *c);
/* The OSD map started or stopped listing our address (fs.c; on the
 * network thread, c->lock not held). */
void client_blocklist_changed(struct siphon_client *c, bool listed);

/* ---- shared by the file-system calls (fs.c, file.c) ---- */

/* How long a metadata request may wait for the MDS. Longer than the
 * default session_autoclose (300 s): a request blocked by caps that a
 * dead client held completes once the MDS evicts that client. Set with
 * the client_request_timeout option (seconds). */
#define REQUEST_TIMEOUT_MS 360000
#define PATH_MAX_LEN       4096

struct mds_request;
struct mds_inode_stat;

/* The checks every path call starts with: mounted, and a path that
 * normalises (into norm, relative to the file system's root). */
int fs_resolve(struct siphon_client *c, const char *what, const char *path,
	       char norm[PATH_MAX_LEN]);
/* A new request naming (ino, path): an inode by number with path "", a
 * name in a directory, or a path below the root; NULL (the handle's
 * error set) when out of memory. */
struct mds_request *fs_req(struct siphon_client *c, uint32_t op, uint64_t ino,
			   const char *path);
/* Runs a request built by the caller; fills the handle's error text. */
int fs_run(struct siphon_client *c, struct mds_request *req, const char *what,
	   const char *path);
/* Walks a normalised path to its inode (attributes too unless ino_only);
 * -EAGAIN: a symlink on the way. */
int fs_walk(struct siphon_client *c, const char *norm, const char *shown,
	    struct mds_inode_stat *in, bool ino_only);
/* The directory inode and last name of a normalised path. */
int fs_parent_and_name(struct siphon_client *c, const char *norm,
		       const char *shown, uint64_t *dir_ino, const char **name);
struct siphon_stat;
/* A stat from an inode the MDS described, with this client's own newer
 * size and mtime for a file it is writing. */
void fs_fill_stat(struct siphon_client *c, struct siphon_stat *st,
		  const struct mds_inode_stat *in);
/* Where the symlink at norm leads, as a normalised path; -EINVAL if it is
 * not a symlink. */
int fs_link_target(struct siphon_client *c, const char *norm,
		   const char *shown, char next[PATH_MAX_LEN]);
/* Most symlinks followed in one path. */
#define MAX_SYMLINK_DEPTH 8
/* A GETATTR of (ino, rel) with its reply kept in *out. */
int fs_getattr_req(struct siphon_client *c, uint64_t ino, const char *rel,
		   const char *shown, uint32_t mask, struct mds_request **out);
struct siphon_dirent;
/* By inode: (ino, rel) names ino itself with rel "", else a path below
 * it. Used by the path calls and the inode-handle calls alike. */
int fs_readdir_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		   uint64_t dir_ino, const char *path,
		   int (*fn)(void *arg, const struct siphon_dirent *d), void *arg);
int fs_getxattr_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		    const char *path, const char *name, void *value,
		    size_t size);
int fs_listxattr_ino(struct siphon_client *c, uint64_t ino, const char *rel,
		     const char *path, char *list, size_t size);
int fs_setxattr_ino(struct siphon_client *c, uint64_t ino, const char *shown,
		    const char *name, const void *value, size_t size, int flags);
int fs_removexattr_ino(struct siphon_client *c, uint64_t ino,
		       const char *shown, const char *name);
struct siphon_file;
/* O_* open flags as the MDS wants them (CEPH_O_*). */
uint32_t fs_wire_open_flags(int flags);
/* Makes an open file of an OPEN/CREATE reply (consumes req). */
int fs_file_from_reply(struct siphon_client *c, struct mds_request *req,
		       int flags, const char *shown, struct siphon_file **out);
/* The request timeout in ms (client_request_timeout). */
unsigned fs_request_timeout_ms(struct siphon_client *c);

#endif

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
#include "msg/messenger.h"

struct osdmap;
struct fsmap;
struct mdsc;

struct siphon_client {
	struct sp_config *cfg;
	struct messenger *msgr;
	struct auth_client *auth;
	struct monc *monc;

	/* Guards the map pointers below. Published maps are never changed;
	 * a new epoch replaces the pointer and frees the old map. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct osdmap *osdmap;
	struct fsmap *fsmap;
	int osdmap_err;		/* last decode failure, for messages */
	int fsmap_err;

	bool connected;

	/* The mounted file system (siphon_mount). */
	struct mdsc *mdsc;
	int32_t fscid;			/* -1 until mounted */
	char root[1024];		/* "" for "/", else "a/b" */
	bool mounted;

	char err[512];
};

/* Formats the handle's error message and returns err (negative errno). */
int client_fail(struct siphon_client *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Subscribes to the OSD and FS maps and installs their handlers. */
void client_maps_init(struct siphon_client *c);
/* Waits (c->lock held) until both maps are in; -ETIMEDOUT. */
int client_wait_maps_locked(struct siphon_client *c, unsigned timeout_ms);
void client_maps_free(struct siphon_client *c);
/* Hands the MDS map of the mounted file system to the MDS client
 * (c->lock held). */
void client_feed_mdsmap_locked(struct siphon_client *c);

#endif

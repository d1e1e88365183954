/* The monitor client: hunts for a monitor, authenticates, keeps a
 * session, subscribes to cluster maps and answers statfs.
 *
 * It decodes only the monitor map itself; the OSD, MDS and FS maps are
 * handed as messages to handlers that the layers above register, which
 * report back the epoch they now have so that a resubscription (after a
 * hunt to another monitor) asks for what comes next.
 *
 * All network work runs on the messenger's loop thread; the blocking
 * calls here wait on the monc's own lock and condition variable. */
#ifndef SIPHON_MON_MONC_H
#define SIPHON_MON_MONC_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "encoding/entity.h"
#include "mon_msgs.h"
#include "msg/messenger.h"

struct monc;
struct monmap;

struct monc_config {
	const struct entity_addrvec *mons;	/* initial monitors */
	int num_mons;
	struct auth_client *auth;
	unsigned hunt_interval_ms;	/* per monitor tried; default 3000 */
	unsigned ping_interval_ms;	/* keepalive; default 10000 */
	unsigned ping_timeout_ms;	/* no reply: hunt; default 30000 */
	const char *hostname;		/* sent in subscriptions */
};

/* Handler for a map message (OSD_MAP, MDS_MAP, FS_MAP, FS_MAP_USER...).
 * Runs on the loop thread; the handler owns m. */
typedef void (*monc_map_handler)(void *arg, struct msg *m);

struct monc *monc_create(struct messenger *msgr, const struct monc_config *cfg);
void monc_destroy(struct monc *mc);

void monc_set_handler(struct monc *mc, uint16_t msg_type,
		      monc_map_handler fn, void *arg);

/* Starts hunting (asynchronous). */
int monc_open(struct monc *mc);
/* Drops the monitor session and opens a new one (after a change of our
 * address: messenger_new_nonce()). */
void monc_reopen(struct monc *mc);
/* Waits until authenticated with a monitor map in hand, or timeout_ms.
 * -ETIMEDOUT, or the auth error. */
int monc_wait_session(struct monc *mc, unsigned timeout_ms);

/* Subscriptions by Ceph's names ("osdmap", "fsmap", "mdsmap.1",
 * "fsmap.user", "monmap"). start 0 asks for the latest map. */
void monc_want(struct monc *mc, const char *what, uint64_t start, bool onetime);
/* A handler got epoch `epoch` of `what`: continue from epoch + 1. */
void monc_got(struct monc *mc, const char *what, uint64_t epoch);

/* Cluster usage, as `ceph df` shows at the top (pool -1 for all). */
int monc_statfs(struct monc *mc, int64_t data_pool, unsigned timeout_ms,
		struct ceph_statfs *out);

uint64_t monc_global_id(struct monc *mc);
/* A copy of the current monitor map (monmap_free() it), or NULL before
 * the first one arrives. */
struct monmap *monc_copy_monmap(struct monc *mc);
/* The address of the monitor the session is with; -ENOTCONN if none. */
int monc_current_mon(struct monc *mc, struct entity_addr *addr);
/* How many times the client hunted for a new monitor. */
unsigned monc_hunt_count(struct monc *mc);

#endif

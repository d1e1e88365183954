/* The messenger: this client's identity on the wire and its connections
 * to monitors, MDSs and OSDs, all driven by one event loop.
 *
 * A connection has a policy. A lossy one (monitors, OSDs) reports a fault
 * once and is then dead: its owner opens a new one and resends what it
 * must. A lossless one (MDS sessions) reconnects by itself (at once after
 * the fault of an open session, with backoff while attempts fail) and
 * replays every message the peer had not acknowledged, so messages
 * within a session arrive once and in order.
 *
 * The protocol spoken on a connection is a set of functions (struct
 * conn_proto); messenger v1 is conn_v1.c, and messenger v2 slots in as
 * another implementation chosen by the peer address type. */
#ifndef SIPHON_MSG_MESSENGER_H
#define SIPHON_MSG_MESSENGER_H

#include <stdbool.h>
#include <stdint.h>

#include "encoding/buf.h"
#include "encoding/entity.h"
#include "loop.h"
#include "msg.h"

struct messenger;
struct conn;

enum conn_policy {
	CONN_LOSSY,
	CONN_LOSSLESS,
};

/* Callbacks, all run on the loop thread. */
struct conn_ops {
	/* A message arrived; the callee owns m. */
	void (*dispatch)(struct conn *c, struct msg *m, void *arg);
	/* The session is (again) open. */
	void (*connected)(struct conn *c, void *arg);
	/* The connection failed: for a lossy one this is final (err says
	 * why), for a lossless one a reconnect follows. */
	void (*fault)(struct conn *c, int err, void *arg);
	/* A lossless peer forgot our session: unacked messages are gone. */
	void (*peer_reset)(struct conn *c, void *arg);
	/* Fills the authorizer shown on connect (protocol and bytes). NULL
	 * means none (as to a monitor, where MAuth authenticates). */
	int (*get_authorizer)(struct conn *c, void *arg, uint32_t *protocol,
			      struct buf *out);
};

struct messenger *messenger_create(uint8_t my_type);
/* Takes a new nonce, so that connections made from now on come from
 * another address: how a client whose old address was blocklisted
 * (evicted) starts over. Existing connections keep the old one. */
void messenger_new_nonce(struct messenger *m);
/* Our address as peers see it: the IP a peer told us (none before the
 * first connection) with port 0 and our nonce. */
void messenger_my_addr(struct messenger *m, struct entity_addr *out);
void messenger_destroy(struct messenger *m);	/* close conns first */
struct loop *messenger_loop(struct messenger *m);
/* Our global_id: the `num` of our entity name, once the monitor gave it. */
void messenger_set_global_id(struct messenger *m, uint64_t gid);
/* Reconnect pacing of lossless connections opened from now on (see
 * backoff.h): after a failed attempt wait initial_ms, doubling up to
 * max_ms (Ceph's ms_initial_backoff, ms_max_backoff). By default 100 ms
 * and 15 s. A session that was open reconnects at once. */
void messenger_set_backoff(struct messenger *m, unsigned initial_ms,
			   unsigned max_ms);
struct entity_name messenger_name(struct messenger *m);
uint64_t messenger_features(const struct messenger *m);

/* Opens a connection (asynchronously) to peer_addr of a peer of
 * peer_type. The returned reference belongs to the caller (conn_put). */
struct conn *messenger_connect(struct messenger *m,
			       const struct entity_addr *peer_addr,
			       uint8_t peer_type, enum conn_policy policy,
			       const struct conn_ops *ops, void *arg);

/* Queues m to be sent (takes ownership even on error). Thread-safe.
 * -ENOTCONN once the connection was closed or a lossy one faulted. */
int conn_send(struct conn *c, struct msg *m);
/* Asks for a keepalive2 round trip; the ack updates conn_last_rx_ms. */
void conn_send_keepalive(struct conn *c);
/* Closes: no callbacks run after this returns when called on the loop
 * thread; from another thread, callbacks already running may finish. */
void conn_close(struct conn *c);
void conn_get(struct conn *c);
void conn_put(struct conn *c);

const struct entity_addr *conn_peer_addr(const struct conn *c);
uint64_t conn_peer_features(const struct conn *c);	/* after connect */
uint64_t conn_last_rx_ms(const struct conn *c);	/* last byte received */
/* "mon.?", "osd.3" style peer label for logs. */
const char *conn_peer_label(const struct conn *c);
void conn_set_peer_label(struct conn *c, const char *label);

#endif

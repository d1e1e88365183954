/* Reconnect pacing for a connection (the messenger's lossless sessions)
 * or for an owner that reopens lossy connections itself (the OSD client).
 *
 * A connection that had opened and then faults is reopened at once: the
 * peer dropped one socket (a restart, an injected failure, a reset path)
 * and whatever waits on the session should not wait on a timer too. One
 * that faults before it opened (refused, reset during the handshake)
 * waits initial_ms, then twice that after each further failure, up to
 * max_ms. A connection that opens starts the sequence over. This is how
 * Ceph's messengers pace reconnects (ms_initial_backoff, ms_max_backoff).
 *
 * Not locked: its owner guards it. */
#ifndef SIPHON_MSG_BACKOFF_H
#define SIPHON_MSG_BACKOFF_H

#include <stdbool.h>

struct backoff {
	unsigned initial_ms, max_ms;
	unsigned next_ms;	/* the wait after the next failed attempt */
};

void backoff_init(struct backoff *b, unsigned initial_ms, unsigned max_ms);
/* The connection opened: the next failure waits initial_ms again. */
void backoff_reset(struct backoff *b);
/* How long to wait before the next attempt after a fault; was_open:
 * the connection that faulted had opened (then 0, and a reset). */
unsigned backoff_after_fault(struct backoff *b, bool was_open);

#endif

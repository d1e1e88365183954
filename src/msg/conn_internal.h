/* Connection internals shared by the generic connection code
 * (messenger.c) and the wire protocols (conn_v1.c; v2 later). */
#ifndef SIPHON_MSG_CONN_INTERNAL_H
#define SIPHON_MSG_CONN_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "backoff.h"
#include "messenger.h"

enum conn_state {
	CS_NEW,		/* not started yet */
	CS_CONNECTING,	/* TCP connect in progress */
	CS_HANDSHAKE,	/* protocol handshake */
	CS_OPEN,	/* messages flow */
	CS_BACKOFF,	/* lossless: waiting to reconnect */
	CS_CLOSED,	/* closed or (lossy) faulted: final */
};

/* One wire protocol. Called on the loop thread. */
struct conn_proto {
	const char *name;
	/* TCP is up: queue the opening bytes into c->out. */
	void (*start)(struct conn *c);
	/* Consume what is in c->in; <0 faults the connection. */
	int (*on_input)(struct conn *c);
	/* State is open: encode queued messages, acks and keepalives. */
	void (*fill_output)(struct conn *c);
};

extern const struct conn_proto conn_proto_v1;

struct messenger {
	struct loop *loop;
	struct entity_addr my_addr;	/* IP learned from a peer, nonce */
	pthread_mutex_t lock;		/* guards my_name.num, global_seq, my_addr
				   (written on the loop thread) */
	struct entity_name my_name;
	uint32_t global_seq;
	uint64_t features;
	unsigned backoff_initial_ms, backoff_max_ms;	/* for new conns */
};

struct conn {
	struct messenger *msgr;
	atomic_int refs;

	pthread_mutex_t lock;	/* guards the fields up to loop-owned */
	struct msg *sendq_head, *sendq_tail;
	bool closed;
	bool keepalive_wanted;

	/* Loop-thread owned from here on. */
	enum conn_state state;
	unsigned attempt;	/* bumped by every fault and reset */
	int fd;
	struct entity_addr peer_addr;
	uint8_t peer_type;
	enum conn_policy policy;
	const struct conn_ops *ops;
	void *arg;
	const struct conn_proto *proto;

	struct buf in;
	size_t in_off;		/* consumed prefix of in */
	struct buf out;
	size_t out_off;		/* written prefix of out */
	/* A message whose data section is lent (msg->ext_data) goes out as
	 * out, then the lent bytes, then tail (its footer); nothing else is
	 * queued behind it until it is written. */
	struct msg *ext_msg;
	size_t ext_off;
	struct buf tail;
	size_t tail_off;

	struct msg *sent_head, *sent_tail;	/* lossless: awaiting ack */
	uint64_t out_seq;	/* last seq assigned */
	uint64_t in_seq;	/* last seq received in order */
	uint64_t in_seq_acked;	/* last in_seq we acknowledged */
	uint64_t peer_features;
	uint32_t connect_seq;
	uint32_t peer_global_seq;
	uint32_t global_seq;	/* of the current attempt */
	int step;		/* protocol handshake step */
	int auth_retry;

	struct backoff backoff;	/* lossless: reconnect pacing */
	struct loop_timer retry_timer;
	struct loop_work kick;
	_Atomic uint64_t last_rx_ms;
	char label[96];
};

/* Where bytes queued now must go to follow everything queued before:
 * c->out, or behind a lent data section in flight, its tail. */
static inline struct buf *conn_out_buf(struct conn *c)
{
	return c->ext_msg ? &c->tail : &c->out;
}

/* For protocols: */
uint32_t messenger_next_global_seq(struct messenger *m, uint32_t at_least);
void conn_fault(struct conn *c, int err);
void conn_session_open(struct conn *c);		/* handshake done */
void conn_session_reset(struct conn *c);	/* peer lost our session */
void conn_discard_acked(struct conn *c, uint64_t seq);
/* Pops the next message to send; NULL if none. */
struct msg *conn_next_to_send(struct conn *c);
/* After encoding m: keep it for replay (lossless) or free it. */
void conn_sent(struct conn *c, struct msg *m);
bool conn_take_keepalive(struct conn *c);
/* Hands m to the owner; returns false if the connection changed under
 * the callback (closed or reset), so the caller must stop parsing. */
bool conn_deliver(struct conn *c, struct msg *m);

#endif

/* The messenger against a scripted messenger v1 server on loopback:
 * handshake, delivery and acks, keepalive, a lossy fault, and a lossless
 * session that reconnects (at once after the fault of an open session,
 * with backoff while attempts fail) and replays what the server had not
 * acked. Also the reconnect pacing itself (backoff.h). */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "encoding/dec.h"
#include "msg/backoff.h"
#include "msg/features.h"
#include "msg/messenger.h"
#include "msg/msgr1_wire.h"

/* ---- a tiny blocking v1 server ---- */

struct server {
	int lfd, fd;
	uint16_t port;
	struct buf in;
};

static int server_listen(struct server *s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t l = sizeof(sa);

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->lfd, 4) || getsockname(s->lfd, (struct sockaddr *)&sa, &l))
		return -1;
	s->port = ntohs(sa.sin_port);
	return 0;
}

static int read_full(struct server *s, size_t n)
{
	while (s->in.len < n) {
		ssize_t r;

		buf_reserve(&s->in, 65536);
		r = read(s->fd, s->in.data + s->in.len, s->in.cap - s->in.len);
		if (r <= 0)
			return -1;
		s->in.len += (size_t)r;
	}
	return 0;
}

static void write_all(struct server *s, const struct buf *b)
{
	size_t off = 0;

	while (off < b->len) {
		ssize_t r = write(s->fd, b->data + off, b->len - off);

		if (r <= 0)
			return;
		off += (size_t)r;
	}
}

/* Accepts and reads the client's banner, address and connect. */
static int server_accept(struct server *s, struct msgr1_connect *c)
{
	struct entity_addr me;
	struct buf out = BUF_INIT;
	struct dec d;

	s->fd = accept(s->lfd, NULL, NULL);
	if (s->fd < 0)
		return -1;
	buf_reset(&s->in);
	entity_addr_parse("127.0.0.1", &me);
	entity_addr_set_port(&me, s->port);
	msgr1_encode_banner_addr(&out, &me);
	entity_addr_parse("127.0.0.1:40000", &me);
	entity_addr_encode_legacy(&out, &me);
	write_all(s, &out);
	buf_free(&out);
	if (read_full(s, CEPH_BANNER_LEN + ENTITY_ADDR_LEGACY_LEN + MSGR1_CONNECT_LEN))
		return -1;
	dec_init(&d, s->in.data + CEPH_BANNER_LEN + ENTITY_ADDR_LEGACY_LEN,
		 MSGR1_CONNECT_LEN);
	dec_u64(&d, &c->features);
	dec_u32(&d, &c->host_type);
	dec_u32(&d, &c->global_seq);
	dec_u32(&d, &c->connect_seq);
	dec_u32(&d, &c->protocol_version);
	dec_u32(&d, &c->authorizer_protocol);
	dec_u32(&d, &c->authorizer_len);
	dec_u8(&d, &c->flags);
	if (read_full(s, CEPH_BANNER_LEN + ENTITY_ADDR_LEGACY_LEN +
			       MSGR1_CONNECT_LEN + c->authorizer_len))
		return -1;
	buf_consume(&s->in, CEPH_BANNER_LEN + ENTITY_ADDR_LEGACY_LEN +
				    MSGR1_CONNECT_LEN + c->authorizer_len);
	return 0;
}

static void server_reply(struct server *s, uint8_t tag, uint32_t cseq,
			 bool with_seq, uint64_t acked)
{
	struct buf out = BUF_INIT;

	buf_put_u8(&out, tag);
	buf_put_u64(&out, SIPHON_FEATURES_SUPPORTED);
	buf_put_u32(&out, 7);		/* global_seq */
	buf_put_u32(&out, cseq);
	buf_put_u32(&out, CEPH_MDSC_PROTOCOL);
	buf_put_u32(&out, 0);
	buf_put_u8(&out, 0);
	if (with_seq)
		buf_put_u64(&out, acked);
	write_all(s, &out);
	buf_free(&out);
}

/* Reads the next tag; for MSG fills *f (sections point into s->in until
 * the next call). Returns the tag or -1. */
static int server_next(struct server *s, struct msgr1_frame *f, uint64_t *v)
{
	uint8_t tag;
	ssize_t n;

	if (read_full(s, 1))
		return -1;
	tag = s->in.data[0];
	buf_consume(&s->in, 1);
	if (tag == CEPH_MSGR_TAG_MSG) {
		while ((n = msgr1_parse_msg(s->in.data, s->in.len, true, f)) == -EAGAIN)
			if (read_full(s, s->in.len + 1))
				return -1;
		if (n < 0)
			return -1;
		/* keep the frame readable: copy it aside */
		static uint8_t keep[1 << 16];

		memcpy(keep, s->in.data, (size_t)n);
		msgr1_parse_msg(keep, (size_t)n, true, f);
		buf_consume(&s->in, (size_t)n);
		return tag;
	}
	if (read_full(s, 8))
		return -1;
	if (v) {
		struct dec d;

		dec_init(&d, s->in.data, 8);
		dec_u64(&d, v);
	}
	buf_consume(&s->in, 8);
	return tag;
}

static void server_send_msg(struct server *s, uint64_t seq, uint16_t type)
{
	struct entity_name src = { CEPH_ENTITY_TYPE_MDS, 0 };
	struct buf out = BUF_INIT;
	struct msg *m = msg_new(type, 1, 1);

	buf_put_str(&m->front, "from server");
	msgr1_encode_msg(&out, m, seq, &src, true, NULL);
	write_all(s, &out);
	buf_free(&out);
	msg_free(m);
}

static void server_ack(struct server *s, uint64_t seq)
{
	struct buf out = BUF_INIT;

	buf_put_u8(&out, CEPH_MSGR_TAG_ACK);
	buf_put_u64(&out, seq);
	write_all(s, &out);
	buf_free(&out);
}

static void server_drop(struct server *s)
{
	close(s->fd);
	s->fd = -1;
}

/* Is a connection waiting to be accepted within ms? */
static bool server_pending(struct server *s, int ms)
{
	struct pollfd p = { .fd = s->lfd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* ---- the client side ---- */

struct events {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int connected, faults, resets, received;
	char last_front[64];
};

static void ev_dispatch(struct conn *c, struct msg *m, void *arg)
{
	struct events *e = arg;
	struct dec d;

	pthread_mutex_lock(&e->lock);
	e->received++;
	dec_init(&d, m->front.data, m->front.len);
	dec_str_copy(&d, e->last_front, sizeof(e->last_front));
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
	msg_free(m);
}

static void ev_connected(struct conn *c, void *arg)
{
	struct events *e = arg;

	pthread_mutex_lock(&e->lock);
	e->connected++;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

static void ev_fault(struct conn *c, int err, void *arg)
{
	struct events *e = arg;

	pthread_mutex_lock(&e->lock);
	e->faults++;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

static void ev_reset(struct conn *c, void *arg)
{
	struct events *e = arg;

	pthread_mutex_lock(&e->lock);
	e->resets++;
	pthread_mutex_unlock(&e->lock);
}

static const struct conn_ops ev_ops = {
	.dispatch = ev_dispatch,
	.connected = ev_connected,
	.fault = ev_fault,
	.peer_reset = ev_reset,
};

/* Waits until *field >= want (5 s at most). */
static int ev_wait(struct events *e, int *field, int want)
{
	struct timespec dl;
	int ok;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 5;
	pthread_mutex_lock(&e->lock);
	while (*field < want &&
	       pthread_cond_timedwait(&e->cond, &e->lock, &dl) == 0)
		;
	ok = *field >= want;
	pthread_mutex_unlock(&e->lock);
	return ok;
}

static struct msg *text_msg(const char *s)
{
	struct msg *m = msg_new(CEPH_MSG_CLIENT_SESSION, 1, 1);

	buf_put_str(&m->front, s);
	return m;
}

static const char *frame_text(const struct msgr1_frame *f, char *out, size_t cap)
{
	struct dec d;

	dec_init(&d, f->front, f->front_len);
	if (dec_str_copy(&d, out, cap))
		return "";
	return out;
}

TEST(lossless_reconnect_replays_unacked)
{
	struct events e = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	struct messenger *m = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	struct msgr1_connect cm;
	struct msgr1_frame f;
	struct entity_addr a;
	struct server s;
	struct conn *c;
	uint64_t v = 0;
	char t[64];
	int tag;

	CHECK_EQ(server_listen(&s), 0);
	entity_addr_parse("v1:127.0.0.1", &a);
	entity_addr_set_port(&a, s.port);
	c = messenger_connect(m, &a, CEPH_ENTITY_TYPE_MDS, CONN_LOSSLESS,
			      &ev_ops, &e);
	conn_send(c, text_msg("one"));
	conn_send(c, text_msg("two"));
	conn_send(c, text_msg("three"));

	CHECK_EQ(server_accept(&s, &cm), 0);
	CHECK_EQ(cm.connect_seq, 0);
	CHECK_EQ(cm.flags, 0);		/* lossless */
	CHECK_EQ(cm.protocol_version, CEPH_MDSC_PROTOCOL);
	CHECK_EQ(cm.features, SIPHON_FEATURES_SUPPORTED);
	server_reply(&s, CEPH_MSGR_TAG_READY, 1, false, 0);
	CHECK(ev_wait(&e, &e.connected, 1));
	for (int i = 1; i <= 3; i++) {
		tag = server_next(&s, &f, NULL);
		CHECK_EQ(tag, CEPH_MSGR_TAG_MSG);
		CHECK_EQ(f.hdr.seq, i);
	}
	CHECK_STR(frame_text(&f, t, sizeof(t)), "three");
	/* the server acks only the first, talks, and drops the socket */
	server_ack(&s, 1);
	server_send_msg(&s, 1, CEPH_MSG_CLIENT_SESSION);
	CHECK(ev_wait(&e, &e.received, 1));
	CHECK_STR(e.last_front, "from server");
	/* the client acknowledges what it got */
	tag = server_next(&s, &f, &v);
	CHECK_EQ(tag, CEPH_MSGR_TAG_ACK);
	CHECK_EQ(v, 1);
	server_drop(&s);
	CHECK(ev_wait(&e, &e.faults, 1));

	/* reconnect: connect_seq moved on; the server says it has seq 1 */
	CHECK_EQ(server_accept(&s, &cm), 0);
	CHECK_EQ(cm.connect_seq, 1);
	server_reply(&s, CEPH_MSGR_TAG_SEQ, 2, true, 1);
	/* the client answers with what it has received: seq 1 */
	CHECK_EQ(read_full(&s, 8), 0);
	CHECK_EQ(s.in.data[0], 1);
	buf_consume(&s.in, 8);
	CHECK(ev_wait(&e, &e.connected, 2));
	/* "two" and "three" come again, with their sequence numbers */
	CHECK_EQ(server_next(&s, &f, NULL), CEPH_MSGR_TAG_MSG);
	CHECK_EQ(f.hdr.seq, 2);
	CHECK_STR(frame_text(&f, t, sizeof(t)), "two");
	CHECK_EQ(server_next(&s, &f, NULL), CEPH_MSGR_TAG_MSG);
	CHECK_EQ(f.hdr.seq, 3);
	CHECK_STR(frame_text(&f, t, sizeof(t)), "three");
	/* a duplicate from the server is skipped, the next one delivered */
	server_send_msg(&s, 1, CEPH_MSG_CLIENT_SESSION);
	server_send_msg(&s, 2, CEPH_MSG_CLIENT_SESSION);
	CHECK(ev_wait(&e, &e.received, 2));
	usleep(100000);
	CHECK_EQ(e.received, 2);
	/* new messages continue the sequence */
	conn_send(c, text_msg("four"));
	do
		tag = server_next(&s, &f, NULL);
	while (tag == CEPH_MSGR_TAG_ACK);
	CHECK_EQ(tag, CEPH_MSGR_TAG_MSG);
	CHECK_EQ(f.hdr.seq, 4);

	/* keepalive2 goes out and the ack updates the receive time */
	conn_send_keepalive(c);
	do
		tag = server_next(&s, &f, &v);
	while (tag == CEPH_MSGR_TAG_ACK);
	CHECK_EQ(tag, CEPH_MSGR_TAG_KEEPALIVE2);

	conn_close(c);
	conn_put(c);
	server_drop(&s);
	close(s.lfd);
	buf_free(&s.in);
	messenger_destroy(m);
}

TEST(lossless_peer_reset)
{
	struct events e = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	struct messenger *m = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	struct msgr1_connect cm;
	struct msgr1_frame f;
	struct entity_addr a;
	struct server s;
	struct conn *c;

	CHECK_EQ(server_listen(&s), 0);
	entity_addr_parse("v1:127.0.0.1", &a);
	entity_addr_set_port(&a, s.port);
	c = messenger_connect(m, &a, CEPH_ENTITY_TYPE_MDS, CONN_LOSSLESS,
			      &ev_ops, &e);
	CHECK_EQ(server_accept(&s, &cm), 0);
	server_reply(&s, CEPH_MSGR_TAG_READY, 1, false, 0);
	CHECK(ev_wait(&e, &e.connected, 1));
	conn_send(c, text_msg("lost"));
	CHECK_EQ(server_next(&s, &f, NULL), CEPH_MSGR_TAG_MSG);
	server_drop(&s);
	CHECK(ev_wait(&e, &e.faults, 1));

	/* the server forgot us: RESETSESSION, then a fresh session */
	CHECK_EQ(server_accept(&s, &cm), 0);
	CHECK_EQ(cm.connect_seq, 1);
	server_reply(&s, CEPH_MSGR_TAG_RESETSESSION, 0, false, 0);
	/* the client connects again at once with connect_seq 0 */
	{
		struct dec d;
		uint32_t cseq;

		CHECK_EQ(read_full(&s, MSGR1_CONNECT_LEN), 0);
		dec_init(&d, s.in.data + 16, 4);
		dec_u32(&d, &cseq);
		CHECK_EQ(cseq, 0);
		buf_consume(&s.in, MSGR1_CONNECT_LEN);
	}
	server_reply(&s, CEPH_MSGR_TAG_READY, 1, false, 0);
	CHECK(ev_wait(&e, &e.connected, 2));
	CHECK_EQ(e.resets, 1);
	/* the old message is gone; new ones start again at seq 1 */
	conn_send(c, text_msg("fresh"));
	CHECK_EQ(server_next(&s, &f, NULL), CEPH_MSGR_TAG_MSG);
	CHECK_EQ(f.hdr.seq, 1);

	conn_close(c);
	conn_put(c);
	server_drop(&s);
	close(s.lfd);
	buf_free(&s.in);
	messenger_destroy(m);
}

TEST(lossy_fault_is_final)
{
	struct events e = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	struct messenger *m = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	struct msgr1_connect cm;
	struct entity_addr a;
	struct server s;
	struct conn *c;

	CHECK_EQ(server_listen(&s), 0);
	entity_addr_parse("v1:127.0.0.1", &a);
	entity_addr_set_port(&a, s.port);
	c = messenger_connect(m, &a, CEPH_ENTITY_TYPE_OSD, CONN_LOSSY,
			      &ev_ops, &e);
	CHECK_EQ(server_accept(&s, &cm), 0);
	CHECK_EQ(cm.flags, CEPH_MSG_CONNECT_LOSSY);
	CHECK_EQ(cm.protocol_version, CEPH_OSDC_PROTOCOL);
	server_reply(&s, CEPH_MSGR_TAG_READY, 1, false, 0);
	CHECK(ev_wait(&e, &e.connected, 1));
	server_drop(&s);
	CHECK(ev_wait(&e, &e.faults, 1));
	CHECK_EQ(conn_send(c, text_msg("late")), -ENOTCONN);
	usleep(300000);		/* no reconnect attempt follows */
	CHECK_EQ(e.faults, 1);
	CHECK_EQ(e.connected, 1);
	conn_close(c);
	conn_put(c);
	close(s.lfd);
	buf_free(&s.in);
	messenger_destroy(m);
}

TEST(connect_refused_faults_lossy)
{
	struct events e = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	struct messenger *m = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	struct entity_addr a;
	struct server s;
	struct conn *c;

	/* a port nobody listens on: take one and close it */
	CHECK_EQ(server_listen(&s), 0);
	close(s.lfd);
	entity_addr_parse("v1:127.0.0.1", &a);
	entity_addr_set_port(&a, s.port);
	c = messenger_connect(m, &a, CEPH_ENTITY_TYPE_MON, CONN_LOSSY,
			      &ev_ops, &e);
	CHECK(ev_wait(&e, &e.faults, 1));
	conn_close(c);
	conn_put(c);
	messenger_destroy(m);
}

TEST(backoff_policy)
{
	struct backoff b;

	backoff_init(&b, 100, 1000);
	/* attempts that fail wait longer and longer, up to the cap */
	CHECK_EQ(backoff_after_fault(&b, false), 100);
	CHECK_EQ(backoff_after_fault(&b, false), 200);
	CHECK_EQ(backoff_after_fault(&b, false), 400);
	CHECK_EQ(backoff_after_fault(&b, false), 800);
	CHECK_EQ(backoff_after_fault(&b, false), 1000);
	CHECK_EQ(backoff_after_fault(&b, false), 1000);
	/* the fault of a connection that had opened: at once, from scratch */
	CHECK_EQ(backoff_after_fault(&b, true), 0);
	CHECK_EQ(backoff_after_fault(&b, false), 100);
	CHECK_EQ(backoff_after_fault(&b, false), 200);
	/* an open resets it too */
	backoff_reset(&b);
	CHECK_EQ(backoff_after_fault(&b, false), 100);
	/* odd settings stay sane */
	backoff_init(&b, 0, 0);
	CHECK_EQ(backoff_after_fault(&b, false), 1);
	CHECK_EQ(backoff_after_fault(&b, false), 1);
	backoff_init(&b, 3000, 5000);
	CHECK_EQ(backoff_after_fault(&b, false), 3000);
	CHECK_EQ(backoff_after_fault(&b, false), 5000);
	backoff_init(&b, 1u << 31, ~0u);
	CHECK_EQ(backoff_after_fault(&b, false), 1u << 31);
	CHECK_EQ(backoff_after_fault(&b, false), ~0u);
}

/* An open lossless session that faults reconnects at once, however long
 * the backoff; a reconnect that fails in the handshake waits it out. */
TEST(lossless_reconnect_pacing)
{
	struct events e = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	struct messenger *m = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	struct msgr1_connect cm;
	struct entity_addr a;
	struct server s;
	struct conn *c;

	CHECK_EQ(server_listen(&s), 0);
	entity_addr_parse("v1:127.0.0.1", &a);
	entity_addr_set_port(&a, s.port);
	messenger_set_backoff(m, 5000, 5000);
	c = messenger_connect(m, &a, CEPH_ENTITY_TYPE_MDS, CONN_LOSSLESS,
			      &ev_ops, &e);
	CHECK_EQ(server_accept(&s, &cm), 0);
	server_reply(&s, CEPH_MSGR_TAG_READY, 1, false, 0);
	CHECK(ev_wait(&e, &e.connected, 1));

	/* the open session drops: the next attempt comes now, not in 5 s */
	server_drop(&s);
	CHECK(ev_wait(&e, &e.faults, 1));
	CHECK(server_pending(&s, 2000));
	CHECK_EQ(server_accept(&s, &cm), 0);
	CHECK_EQ(cm.connect_seq, 1);

	/* that attempt fails before it opens: the next one waits */
	server_drop(&s);
	CHECK(ev_wait(&e, &e.faults, 2));
	CHECK(!server_pending(&s, 1000));
	CHECK_EQ(e.connected, 1);

	conn_close(c);
	conn_put(c);
	close(s.lfd);
	buf_free(&s.in);
	messenger_destroy(m);
}

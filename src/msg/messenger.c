/* Generic connection handling: sockets, queues, faults, reconnect with
 * backoff and the lossy/lossless policies. The wire protocol itself is a
 * struct conn_proto (conn_v1.c). */
#include "conn_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/log.h"
#include "features.h"

#define BACKOFF_INITIAL_MS 100
#define BACKOFF_MAX_MS     15000
#define READ_CHUNK         (256 * 1024)
#define OUT_HIGH_WATER     (8u << 20)

static void conn_kick_work(void *arg);
static void conn_io(void *arg, uint32_t events);

struct messenger *messenger_create(uint8_t my_type)
{
	struct messenger *m = calloc(1, sizeof(*m));
	uint32_t nonce = 0;

	if (!m)
		return NULL;
	m->loop = loop_create();
	if (!m->loop) {
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	m->my_name.type = my_type;
	m->my_name.num = (uint64_t)-1;	/* "any" until the monitor says */
	m->features = SIPHON_FEATURES_SUPPORTED;
	m->backoff_initial_ms = BACKOFF_INITIAL_MS;
	m->backoff_max_ms = BACKOFF_MAX_MS;
	if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce))
		nonce = (uint32_t)getpid() ^ (uint32_t)loop_now_ms();
	m->my_addr.type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	m->my_addr.nonce = nonce;
	if (loop_start(m->loop)) {
		loop_destroy(m->loop);
		free(m);
		return NULL;
	}
	return m;
}

static void new_nonce_on_loop(void *arg)
{
	struct messenger *m = arg;
	uint32_t nonce = m->my_addr.nonce;

	while (nonce == m->my_addr.nonce)
		if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce))
			nonce = m->my_addr.nonce + 1 + (uint32_t)loop_now_ms();
	pthread_mutex_lock(&m->lock);
	m->my_addr.nonce = nonce;
	pthread_mutex_unlock(&m->lock);
}

void messenger_my_addr(struct messenger *m, struct entity_addr *out)
{
	pthread_mutex_lock(&m->lock);
	*out = m->my_addr;
	pthread_mutex_unlock(&m->lock);
}

void messenger_new_nonce(struct messenger *m)
{
	loop_run_sync(m->loop, new_nonce_on_loop, m);
}

void messenger_destroy(struct messenger *m)
{
	if (!m)
		return;
	loop_destroy(m->loop);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct loop *messenger_loop(struct messenger *m)
{
	return m->loop;
}

void messenger_set_backoff(struct messenger *m, unsigned initial_ms,
			   unsigned max_ms)
{
	pthread_mutex_lock(&m->lock);
	m->backoff_initial_ms = initial_ms;
	m->backoff_max_ms = max_ms;
	pthread_mutex_unlock(&m->lock);
}

void messenger_set_global_id(struct messenger *m, uint64_t gid)
{
	pthread_mutex_lock(&m->lock);
	m->my_name.num = gid;
	pthread_mutex_unlock(&m->lock);
}

struct entity_name messenger_name(struct messenger *m)
{
	struct entity_name n;

	pthread_mutex_lock(&m->lock);
	n = m->my_name;
	pthread_mutex_unlock(&m->lock);
	return n;
}

uint64_t messenger_features(const struct messenger *m)
{
	return m->features;
}

uint32_t messenger_next_global_seq(struct messenger *m, uint32_t at_least)
{
	uint32_t v;

	pthread_mutex_lock(&m->lock);
	if (m->global_seq < at_least)
		m->global_seq = at_least;
	v = ++m->global_seq;
	pthread_mutex_unlock(&m->lock);
	return v;
}

struct conn *messenger_connect(struct messenger *m,
			       const struct entity_addr *peer_addr,
			       uint8_t peer_type, enum conn_policy policy,
			       const struct conn_ops *ops, void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));
	char a[64];

	if (!c)
		return NULL;
	c->msgr = m;
	atomic_init(&c->refs, 2);	/* the caller's and the loop's */
	pthread_mutex_init(&c->lock, NULL);
	c->fd = -1;
	c->state = CS_NEW;
	c->peer_addr = *peer_addr;
	c->peer_type = peer_type;
	c->policy = policy;
	c->ops = ops;
	c->arg = arg;
	c->proto = &conn_proto_v1;
	pthread_mutex_lock(&m->lock);
	backoff_init(&c->backoff, m->backoff_initial_ms, m->backoff_max_ms);
	pthread_mutex_unlock(&m->lock);
	loop_timer_init(&c->retry_timer, conn_kick_work, c);
	loop_work_init(&c->kick, conn_kick_work, c);
	entity_addr_format(peer_addr, a, sizeof(a));
	snprintf(c->label, sizeof(c->label), "%s.? %s",
		 entity_type_name(peer_type), a);
	loop_queue_work(m->loop, &c->kick);
	return c;
}

void conn_get(struct conn *c)
{
	atomic_fetch_add(&c->refs, 1);
}

static void msg_list_free(struct msg *m)
{
	while (m) {
		struct msg *n = m->next;

		msg_free(m);
		m = n;
	}
}

void conn_put(struct conn *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	msg_list_free(c->sendq_head);
	msg_list_free(c->sent_head);
	msg_free(c->ext_msg);
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->tail);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

const struct entity_addr *conn_peer_addr(const struct conn *c)
{
	return &c->peer_addr;
}

uint64_t conn_peer_features(const struct conn *c)
{
	return c->peer_features;
}

uint64_t conn_last_rx_ms(const struct conn *c)
{
	return atomic_load(&((struct conn *)c)->last_rx_ms);
}

const char *conn_peer_label(const struct conn *c)
{
	return c->label;
}

void conn_set_peer_label(struct conn *c, const char *label)
{
	snprintf(c->label, sizeof(c->label), "%s", label);
}

int conn_send(struct conn *c, struct msg *m)
{
	pthread_mutex_lock(&c->lock);
	if (c->closed) {
		pthread_mutex_unlock(&c->lock);
		msg_free(m);
		return -ENOTCONN;
	}
	m->next = NULL;
	if (c->sendq_tail)
		c->sendq_tail->next = m;
	else
		c->sendq_head = m;
	c->sendq_tail = m;
	pthread_mutex_unlock(&c->lock);
	dout(LOG_MS, 5, "%s queue %s tid %llu front %zu data %zu", c->label,
	     msg_type_name(m->type), (unsigned long long)m->tid, m->front.len,
	     m->data.len);
	loop_queue_work(c->msgr->loop, &c->kick);
	return 0;
}

void conn_send_keepalive(struct conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->keepalive_wanted = true;
	pthread_mutex_unlock(&c->lock);
	loop_queue_work(c->msgr->loop, &c->kick);
}

struct msg *conn_next_to_send(struct conn *c)
{
	struct msg *m;

	pthread_mutex_lock(&c->lock);
	m = c->sendq_head;
	if (m) {
		c->sendq_head = m->next;
		if (!c->sendq_head)
			c->sendq_tail = NULL;
		m->next = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	return m;
}

void conn_sent(struct conn *c, struct msg *m)
{
	if (c->policy == CONN_LOSSY) {
		msg_free(m);
		return;
	}
	if (c->sent_tail)
		c->sent_tail->next = m;
	else
		c->sent_head = m;
	c->sent_tail = m;
}

bool conn_take_keepalive(struct conn *c)
{
	bool k;

	pthread_mutex_lock(&c->lock);
	k = c->keepalive_wanted;
	c->keepalive_wanted = false;
	pthread_mutex_unlock(&c->lock);
	return k;
}

void conn_discard_acked(struct conn *c, uint64_t seq)
{
	struct msg *acked = NULL;

	while (c->sent_head && c->sent_head->seq <= seq) {
		struct msg *m = c->sent_head;

		c->sent_head = m->next;
		if (!c->sent_head)
			c->sent_tail = NULL;
		msg_free(m);
	}
	/* After a fault the unacknowledged messages went back to the send
	 * queue; those the peer says it got must not go out again: a
	 * Pacific daemon that reads an old message drops it and, on
	 * messenger v1, stops reading the connection. */
	pthread_mutex_lock(&c->lock);
	while (c->sendq_head && c->sendq_head->seq && c->sendq_head->seq <= seq) {
		struct msg *m = c->sendq_head;

		c->sendq_head = m->next;
		if (!c->sendq_head)
			c->sendq_tail = NULL;
		m->next = acked;
		acked = m;
	}
	pthread_mutex_unlock(&c->lock);
	msg_list_free(acked);
}

/* Puts unacknowledged messages back in front of the send queue, keeping
 * their sequence numbers, for replay after a reconnect. */
static void conn_requeue_sent(struct conn *c)
{
	if (!c->sent_head)
		return;
	pthread_mutex_lock(&c->lock);
	c->sent_tail->next = c->sendq_head;
	if (!c->sendq_head)
		c->sendq_tail = c->sent_tail;
	c->sendq_head = c->sent_head;
	pthread_mutex_unlock(&c->lock);
	c->sent_head = c->sent_tail = NULL;
}

static void conn_drop_socket(struct conn *c)
{
	if (c->fd >= 0) {
		loop_del_fd(c->msgr->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	c->in.len = 0;
	c->in_off = 0;
	c->out.len = 0;
	c->out_off = 0;
	if (c->ext_msg) {
		/* half sent: kept for replay (lossless) or dropped (lossy) */
		struct msg *m = c->ext_msg;

		c->ext_msg = NULL;
		conn_sent(c, m);
	}
	c->tail.len = 0;
	c->tail_off = 0;
	c->attempt++;
}

/* Final teardown on the loop thread; drops the loop's reference. */
static void conn_teardown(struct conn *c)
{
	struct msg *q;

	if (c->state == CS_CLOSED)
		return;
	conn_drop_socket(c);
	c->state = CS_CLOSED;
	loop_timer_cancel(c->msgr->loop, &c->retry_timer);
	loop_cancel_work(c->msgr->loop, &c->kick);
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	q = c->sendq_head;
	c->sendq_head = c->sendq_tail = NULL;
	pthread_mutex_unlock(&c->lock);
	msg_list_free(q);
	msg_list_free(c->sent_head);
	c->sent_head = c->sent_tail = NULL;
	conn_put(c);
}

static void conn_close_on_loop(void *arg)
{
	conn_teardown(arg);
}

void conn_close(struct conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	pthread_mutex_unlock(&c->lock);
	dout(LOG_MS, 1, "%s close", c->label);
	conn_get(c);
	loop_run_sync(c->msgr->loop, conn_close_on_loop, c);
	conn_put(c);
}

void conn_fault(struct conn *c, int err)
{
	bool was_open = c->state == CS_OPEN;
	unsigned wait;

	if (c->state == CS_CLOSED)
		return;
	dout(LOG_MS, 1, "%s fault: %s", c->label, strerror(-err));
	conn_drop_socket(c);
	if (c->policy == CONN_LOSSY) {
		conn_get(c);
		conn_teardown(c);
		if (c->ops->fault)
			c->ops->fault(c, err, c->arg);
		conn_put(c);
		return;
	}
	conn_requeue_sent(c);
	c->state = CS_BACKOFF;
	/* a session that was open reconnects at once (and replays what the
	 * peer had not acknowledged); failed attempts back off */
	wait = backoff_after_fault(&c->backoff, was_open);
	if (wait) {
		loop_timer_arm(c->msgr->loop, &c->retry_timer, wait);
		dout(LOG_MS, 1, "%s reconnect in %u ms", c->label, wait);
	} else {
		loop_queue_work(c->msgr->loop, &c->kick);
		dout(LOG_MS, 1, "%s reconnecting", c->label);
	}
	if (c->ops->fault)
		c->ops->fault(c, err, c->arg);
}

void conn_session_open(struct conn *c)
{
	c->state = CS_OPEN;
	backoff_reset(&c->backoff);
	dout(LOG_MS, 1, "%s open (features %#llx, connect_seq %u)", c->label,
	     (unsigned long long)c->peer_features, c->connect_seq);
	if (c->ops->connected)
		c->ops->connected(c, c->arg);
}

void conn_session_reset(struct conn *c)
{
	struct msg *q;

	dout(LOG_MS, 0, "%s peer reset our session", c->label);
	msg_list_free(c->sent_head);
	c->sent_head = c->sent_tail = NULL;
	pthread_mutex_lock(&c->lock);
	q = c->sendq_head;
	c->sendq_head = c->sendq_tail = NULL;
	pthread_mutex_unlock(&c->lock);
	msg_list_free(q);
	c->out_seq = c->in_seq = c->in_seq_acked = 0;
	c->connect_seq = 0;
	if (c->ops->peer_reset)
		c->ops->peer_reset(c, c->arg);
}

bool conn_deliver(struct conn *c, struct msg *m)
{
	unsigned attempt = c->attempt;

	dout(LOG_MS, 5, "%s got %s seq %llu tid %llu front %zu data %zu",
	     c->label, msg_type_name(m->type), (unsigned long long)m->seq,
	     (unsigned long long)m->tid, m->front.len, m->data.len);
	if (c->ops->dispatch)
		c->ops->dispatch(c, m, c->arg);
	else
		msg_free(m);
	return c->state == CS_OPEN && c->attempt == attempt;
}

static bool conn_output_pending(const struct conn *c)
{
	return c->out_off < c->out.len || c->ext_msg;
}

static void conn_update_events(struct conn *c)
{
	uint32_t ev = EPOLLIN;

	if (c->fd < 0)
		return;
	if (c->state == CS_CONNECTING || conn_output_pending(c))
		ev |= EPOLLOUT;
	loop_mod_fd(c->msgr->loop, c->fd, ev, conn_io, c);
}

/* Takes n written bytes off the front of what is queued: out, then a
 * lent data section, then its footer. */
static void conn_consume_output(struct conn *c, size_t n)
{
	size_t k = c->out.len - c->out_off;

	k = k < n ? k : n;
	c->out_off += k;
	n -= k;
	if (c->out_off == c->out.len)
		c->out.len = c->out_off = 0;
	if (!c->ext_msg)
		return;
	k = c->ext_msg->ext_len - c->ext_off;
	k = k < n ? k : n;
	c->ext_off += k;
	n -= k;
	k = c->tail.len - c->tail_off;
	k = k < n ? k : n;
	c->tail_off += k;
	if (c->ext_off == c->ext_msg->ext_len && c->tail_off == c->tail.len) {
		struct msg *m = c->ext_msg;

		c->ext_msg = NULL;
		c->tail.len = c->tail_off = 0;
		conn_sent(c, m);
	}
}

static void conn_flush(struct conn *c)
{
	/* nothing may be queued behind a lent data section in flight */
	if (c->state == CS_OPEN && c->out.len < OUT_HIGH_WATER && !c->ext_msg)
		c->proto->fill_output(c);
	if (buf_error(&c->out) || buf_error(&c->tail)) {
		conn_fault(c, -ENOMEM);
		return;
	}
	while (conn_output_pending(c)) {
		struct iovec iov[3];
		struct msghdr mh = { .msg_iov = iov };
		ssize_t n;

		if (c->out_off < c->out.len)
			iov[mh.msg_iovlen++] = (struct iovec){
				c->out.data + c->out_off, c->out.len - c->out_off };
		if (c->ext_msg) {
			if (c->ext_off < c->ext_msg->ext_len)
				iov[mh.msg_iovlen++] = (struct iovec){
					(void *)(c->ext_msg->ext_data + c->ext_off),
					c->ext_msg->ext_len - c->ext_off };
			if (c->tail_off < c->tail.len)
				iov[mh.msg_iovlen++] = (struct iovec){
					c->tail.data + c->tail_off,
					c->tail.len - c->tail_off };
		}
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			conn_fault(c, -errno);
			return;
		}
		conn_consume_output(c, (size_t)n);
		/* more may be waiting behind the high-water mark */
		if (!conn_output_pending(c) && c->state == CS_OPEN)
			c->proto->fill_output(c);
	}
	conn_update_events(c);
}

static void conn_start_connect(struct conn *c)
{
	socklen_t len = entity_addr_socklen(&c->peer_addr);
	int one = 1, fd, r;

	if (!len) {
		conn_fault(c, -EAFNOSUPPORT);
		return;
	}
	fd = socket(c->peer_addr.ss.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		conn_fault(c, -errno);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	c->state = CS_CONNECTING;
	dout(LOG_MS, 1, "%s connecting", c->label);
	r = connect(fd, (struct sockaddr *)&c->peer_addr.ss, len);
	if (r < 0 && errno != EINPROGRESS) {
		conn_fault(c, -errno);
		return;
	}
	if (loop_add_fd(c->msgr->loop, fd, EPOLLIN | EPOLLOUT, conn_io, c)) {
		conn_fault(c, -ENOMEM);
		return;
	}
}

static void conn_kick_work(void *arg)
{
	struct conn *c = arg;

	conn_get(c);
	switch (c->state) {
	case CS_NEW:
	case CS_BACKOFF:
		conn_start_connect(c);
		break;
	case CS_OPEN:
		conn_flush(c);
		break;
	default:
		break;
	}
	conn_put(c);
}

static void conn_read(struct conn *c)
{
	unsigned attempt = c->attempt;
	int r;

	for (;;) {
		ssize_t n;

		if (buf_reserve(&c->in, READ_CHUNK)) {
			conn_fault(c, -ENOMEM);
			return;
		}
		n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, 0);
		if (n == 0) {
			conn_fault(c, -ECONNRESET);
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			conn_fault(c, -errno);
			return;
		}
		c->in.len += (size_t)n;
		atomic_store(&c->last_rx_ms, loop_now_ms());
		if ((size_t)n < READ_CHUNK)
			break;
	}
	r = c->proto->on_input(c);
	if (c->attempt != attempt || c->state == CS_CLOSED)
		return;		/* faulted or closed from a callback */
	if (r < 0) {
		conn_fault(c, r);
		return;
	}
	buf_consume(&c->in, c->in_off);
	c->in_off = 0;
	conn_flush(c);
}

static void conn_io_ref_held(struct conn *c, uint32_t events)
{
	if (c->state == CS_CONNECTING) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
		if (err) {
			conn_fault(c, -err);
			return;
		}
		c->state = CS_HANDSHAKE;
		c->global_seq = messenger_next_global_seq(c->msgr, 0);
		c->proto->start(c);
		conn_flush(c);
		return;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		conn_read(c);
		if (c->fd < 0)
			return;
	}
	if (events & EPOLLOUT)
		conn_flush(c);
}

static void conn_io(void *arg, uint32_t events)
{
	struct conn *c = arg;

	conn_get(c);	/* a callback may close c under us */
	conn_io_ref_held(c, events);
	conn_put(c);
}

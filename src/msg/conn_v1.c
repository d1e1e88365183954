/* Messenger v1 on a connection: the client side of the handshake
 * (banner, addresses, connect / connect-reply with its retries, the
 * optional SEQ exchange) and then tagged messages, acks and keepalives. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "conn_internal.h"
#include "encoding/dec.h"
#include "features.h"
#include "msgr1_wire.h"

enum v1_step {
	V1_WAIT_HELLO,
	V1_WAIT_CONNECT_REPLY,
	V1_WAIT_SEQ,
	V1_OPEN,
};

static uint32_t peer_protocol(uint8_t peer_type)
{
	switch (peer_type) {
	case CEPH_ENTITY_TYPE_MON: return CEPH_MONC_PROTOCOL;
	case CEPH_ENTITY_TYPE_OSD: return CEPH_OSDC_PROTOCOL;
	case CEPH_ENTITY_TYPE_MDS: return CEPH_MDSC_PROTOCOL;
	}
	return 0;
}

static void v1_start(struct conn *c)
{
	/* Our address goes out after we learn our IP from the server. */
	buf_put(&c->out, CEPH_BANNER, CEPH_BANNER_LEN);
	c->step = V1_WAIT_HELLO;
}

static int v1_send_connect(struct conn *c)
{
	struct msgr1_connect cm = { 0 };
	struct buf auth = BUF_INIT;
	uint32_t proto = 0;
	int r;

	if (c->ops->get_authorizer) {
		r = c->ops->get_authorizer(c, c->arg, &proto, &auth);
		if (r < 0) {
			buf_free(&auth);
			return r;
		}
	}
	cm.features = c->msgr->features;
	cm.host_type = c->msgr->my_name.type;
	cm.global_seq = c->global_seq;
	cm.connect_seq = c->connect_seq;
	cm.protocol_version = peer_protocol(c->peer_type);
	cm.authorizer_protocol = proto;
	cm.authorizer_len = (uint32_t)auth.len;
	cm.flags = c->policy == CONN_LOSSY ? CEPH_MSG_CONNECT_LOSSY : 0;
	msgr1_encode_connect(&c->out, &cm);
	buf_put(&c->out, auth.data, auth.len);
	buf_free(&auth);
	dout(LOG_MS, 10, "%s connect gseq %u cseq %u proto %u auth %u/%u",
	     c->label, cm.global_seq, cm.connect_seq, cm.protocol_version,
	     proto, cm.authorizer_len);
	c->step = V1_WAIT_CONNECT_REPLY;
	return buf_error(&c->out);
}

static int v1_on_hello(struct conn *c, const uint8_t *p, size_t n,
		       size_t *used)
{
	struct msgr1_hello h;
	struct entity_addr me;
	int r = msgr1_parse_hello(p, n, &h);

	if (r)
		return r;
	*used = MSGR1_SERVER_HELLO_LEN;
	/* The peer knows its own IP better than our address book only if
	 * ours was blank; a different address means a different daemon. */
	if (h.peer.ss.ss_family != AF_UNSPEC &&
	    entity_addr_port(&h.peer) != entity_addr_port(&c->peer_addr)) {
		dout(LOG_MS, 0, "%s: wrong peer at address", c->label);
		return -EPROTO;
	}
	me = c->msgr->my_addr;
	me.ss = h.me.ss;
	entity_addr_set_port(&me, 0);
	pthread_mutex_lock(&c->msgr->lock);
	if (c->msgr->my_addr.ss.ss_family == AF_UNSPEC)
		c->msgr->my_addr.ss = me.ss;
	pthread_mutex_unlock(&c->msgr->lock);
	entity_addr_encode_legacy(&c->out, &me);
	return v1_send_connect(c);
}

static int v1_on_connect_reply(struct conn *c, const uint8_t *p, size_t n,
			       size_t *used)
{
	struct msgr1_connect_reply rep;
	int r = msgr1_parse_connect_reply(p, n, &rep);

	if (r)
		return r;
	if (n < MSGR1_CONNECT_REPLY_LEN + (size_t)rep.authorizer_len)
		return -EAGAIN;
	*used = MSGR1_CONNECT_REPLY_LEN + rep.authorizer_len;
	dout(LOG_MS, 10, "%s connect reply tag %u gseq %u cseq %u", c->label,
	     rep.tag, rep.global_seq, rep.connect_seq);

	switch (rep.tag) {
	case CEPH_MSGR_TAG_READY:
	case CEPH_MSGR_TAG_SEQ:
		if (SIPHON_FEATURES_REQUIRED & ~rep.features) {
			dout(LOG_MS, 0, "%s lacks required features %#llx",
			     c->label, (unsigned long long)
			     (SIPHON_FEATURES_REQUIRED & ~rep.features));
			return -EPROTONOSUPPORT;
		}
		c->peer_features = rep.features;
		c->peer_global_seq = rep.global_seq;
		c->connect_seq++;
		c->auth_retry = 0;
		if (rep.tag == CEPH_MSGR_TAG_SEQ) {
			c->step = V1_WAIT_SEQ;
			return 0;
		}
		c->step = V1_OPEN;
		conn_session_open(c);
		return 0;
	case CEPH_MSGR_TAG_RESETSESSION:
		conn_session_reset(c);
		return v1_send_connect(c);
	case CEPH_MSGR_TAG_RETRY_SESSION:
		c->connect_seq = rep.connect_seq;
		return v1_send_connect(c);
	case CEPH_MSGR_TAG_RETRY_GLOBAL:
		c->global_seq = messenger_next_global_seq(c->msgr,
							  rep.global_seq);
		return v1_send_connect(c);
	case CEPH_MSGR_TAG_BADAUTHORIZER:
		if (++c->auth_retry >= 2) {
			dout(LOG_MS, 0, "%s: authorizer refused", c->label);
			return -EACCES;
		}
		return v1_send_connect(c);
	case CEPH_MSGR_TAG_FEATURES:
		dout(LOG_MS, 0, "%s requires features we lack: %#llx",
		     c->label, (unsigned long long)
		     (rep.features & ~c->msgr->features));
		return -EPROTONOSUPPORT;
	case CEPH_MSGR_TAG_BADPROTOVER:
		dout(LOG_MS, 0, "%s: protocol version mismatch (theirs %u)",
		     c->label, rep.protocol_version);
		return -EPROTO;
	case CEPH_MSGR_TAG_WAIT:
		/* Only a server racing its own connect to us says this. */
		return -EBUSY;
	}
	return -EPROTO;
}

static int v1_on_seq(struct conn *c, const uint8_t *p, size_t n, size_t *used)
{
	struct dec d;
	uint64_t acked = 0;

	if (n < 8)
		return -EAGAIN;
	dec_init(&d, p, 8);
	dec_u64(&d, &acked);
	*used = 8;
	conn_discard_acked(c, acked);
	buf_put_u64(&c->out, c->in_seq);
	c->step = V1_OPEN;
	conn_session_open(c);
	return 0;
}

static int v1_on_message(struct conn *c, const uint8_t *p, size_t n,
			 size_t *used, bool *stop)
{
	bool new_footer = c->peer_features & CEPH_FEATURE_MSG_AUTH;
	struct msgr1_frame f;
	struct msg *m;
	ssize_t len;

	len = msgr1_parse_msg(p, n, new_footer, &f);
	if (len < 0)
		return (int)len;
	*used = (size_t)len;
	if (f.hdr.seq <= c->in_seq) {
		dout(LOG_MS, 1, "%s skipping old seq %llu (have %llu)", c->label,
		     (unsigned long long)f.hdr.seq,
		     (unsigned long long)c->in_seq);
		return 0;
	}
	if (f.hdr.seq > c->in_seq + 1) {
		dout(LOG_MS, 0, "%s seq gap: got %llu want %llu", c->label,
		     (unsigned long long)f.hdr.seq,
		     (unsigned long long)c->in_seq + 1);
		return -EBADE;
	}
	c->in_seq = f.hdr.seq;
	m = msg_new(f.hdr.type, f.hdr.version, f.hdr.compat_version);
	if (!m)
		return -ENOMEM;
	m->seq = f.hdr.seq;
	m->tid = f.hdr.tid;
	m->priority = f.hdr.priority;
	m->data_off = f.hdr.data_off;
	m->src = f.hdr.src;
	buf_put(&m->front, f.front, f.front_len);
	buf_put(&m->middle, f.middle, f.middle_len);
	buf_put(&m->data, f.data, f.data_len);
	if (buf_error(&m->front) || buf_error(&m->middle) ||
	    buf_error(&m->data)) {
		msg_free(m);
		return -ENOMEM;
	}
	if (c->label[0] && strstr(c->label, ".?")) {
		char l[32];

		snprintf(l, sizeof(l), "%s.%lld", entity_type_name(m->src.type),
			 (long long)m->src.num);
		conn_set_peer_label(c, l);
	}
	*stop = !conn_deliver(c, m);
	return 0;
}

/* Handles one unit at p; *used is what it consumed. -EAGAIN: need more. */
static int v1_step_once(struct conn *c, const uint8_t *p, size_t n,
			size_t *used, bool *stop)
{
	struct dec d;
	uint64_t v = 0;
	int plen;

	switch (c->step) {
	case V1_WAIT_HELLO:
		return v1_on_hello(c, p, n, used);
	case V1_WAIT_CONNECT_REPLY:
		return v1_on_connect_reply(c, p, n, used);
	case V1_WAIT_SEQ:
		return v1_on_seq(c, p, n, used);
	}
	if (n < 1)
		return -EAGAIN;
	if (p[0] == CEPH_MSGR_TAG_MSG) {
		int r = v1_on_message(c, p + 1, n - 1, used, stop);

		if (!r)
			(*used)++;
		return r;
	}
	plen = msgr1_tag_payload_len(p[0]);
	if (plen < 0) {
		dout(LOG_MS, 0, "%s: bad tag %u", c->label, p[0]);
		return -EPROTO;
	}
	if (n < 1 + (size_t)plen)
		return -EAGAIN;
	*used = 1 + (size_t)plen;
	dec_init(&d, p + 1, (size_t)plen);
	switch (p[0]) {
	case CEPH_MSGR_TAG_ACK:
		dec_u64(&d, &v);
		conn_discard_acked(c, v);
		break;
	case CEPH_MSGR_TAG_KEEPALIVE2: {
		/* echo the stamp (after a lent data section in flight) */
		struct buf *o = conn_out_buf(c);

		buf_put_u8(o, CEPH_MSGR_TAG_KEEPALIVE2_ACK);
		buf_put(o, p + 1, 8);
		break;
	}
	case CEPH_MSGR_TAG_KEEPALIVE2_ACK:
	case CEPH_MSGR_TAG_KEEPALIVE:
		break;
	case CEPH_MSGR_TAG_CLOSE:
		dout(LOG_MS, 1, "%s: peer closed", c->label);
		return -ECONNRESET;
	}
	return 0;
}

static int v1_on_input(struct conn *c)
{
	unsigned attempt = c->attempt;

	while (c->in_off < c->in.len) {
		size_t used = 0;
		bool stop = false;
		int r = v1_step_once(c, c->in.data + c->in_off,
				     c->in.len - c->in_off, &used, &stop);

		if (r == -EAGAIN)
			return 0;
		if (r < 0)
			return r;
		if (stop || c->attempt != attempt)
			return 0;
		c->in_off += used;
	}
	return 0;
}

static void v1_fill_output(struct conn *c)
{
	bool new_footer = c->peer_features & CEPH_FEATURE_MSG_AUTH;
	struct entity_name me = messenger_name(c->msgr);
	struct msg *m;

	if (c->in_seq > c->in_seq_acked) {
		buf_put_u8(&c->out, CEPH_MSGR_TAG_ACK);
		buf_put_u64(&c->out, c->in_seq);
		c->in_seq_acked = c->in_seq;
	}
	if (conn_take_keepalive(c)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		buf_put_u8(&c->out, CEPH_MSGR_TAG_KEEPALIVE2);
		buf_put_u32(&c->out, (uint32_t)ts.tv_sec);
		buf_put_u32(&c->out, (uint32_t)ts.tv_nsec);
	}
	while (c->out.len < (8u << 20) && (m = conn_next_to_send(c))) {
		if (!m->seq)
			m->seq = ++c->out_seq;
		msgr1_encode_msg(&c->out, m, m->seq, &me, new_footer, &c->tail);
		dout(LOG_MS, 10, "%s send %s seq %llu", c->label,
		     msg_type_name(m->type), (unsigned long long)m->seq);
		if (m->ext_data) {
			/* its lent data and footer go next, before anything */
			c->ext_msg = m;
			c->ext_off = 0;
			c->tail_off = 0;
			break;
		}
		conn_sent(c, m);
	}
}

const struct conn_proto conn_proto_v1 = {
	.name = "v1",
	.start = v1_start,
	.on_input = v1_on_input,
	.fill_output = v1_fill_output,
};

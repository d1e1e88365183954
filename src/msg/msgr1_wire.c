/* Messenger v1 wire encoders and parsers. */
#include "msgr1_wire.h"

#include <string.h>

#include "encoding/crc32c.h"
#include "encoding/dec.h"

void msgr1_encode_banner_addr(struct buf *b, const struct entity_addr *me)
{
	buf_put(b, CEPH_BANNER, CEPH_BANNER_LEN);
	entity_addr_encode_legacy(b, me);
}

void msgr1_encode_connect(struct buf *b, const struct msgr1_connect *c)
{
	buf_put_u64(b, c->features);
	buf_put_u32(b, c->host_type);
	buf_put_u32(b, c->global_seq);
	buf_put_u32(b, c->connect_seq);
	buf_put_u32(b, c->protocol_version);
	buf_put_u32(b, c->authorizer_protocol);
	buf_put_u32(b, c->authorizer_len);
	buf_put_u8(b, c->flags);
}

int msgr1_parse_hello(const uint8_t *p, size_t n, struct msgr1_hello *h)
{
	struct dec d;

	if (n < MSGR1_SERVER_HELLO_LEN)
		return -EAGAIN;
	if (memcmp(p, CEPH_BANNER, CEPH_BANNER_LEN))
		return -EPROTO;
	dec_init(&d, p + CEPH_BANNER_LEN, n - CEPH_BANNER_LEN);
	if (entity_addr_decode_legacy(&d, &h->peer) ||
	    entity_addr_decode_legacy(&d, &h->me))
		return -EPROTO;
	return 0;
}

int msgr1_parse_connect_reply(const uint8_t *p, size_t n,
			      struct msgr1_connect_reply *r)
{
	struct dec d;

	if (n < MSGR1_CONNECT_REPLY_LEN)
		return -EAGAIN;
	dec_init(&d, p, n);
	dec_u8(&d, &r->tag);
	dec_u64(&d, &r->features);
	dec_u32(&d, &r->global_seq);
	dec_u32(&d, &r->connect_seq);
	dec_u32(&d, &r->protocol_version);
	dec_u32(&d, &r->authorizer_len);
	dec_u8(&d, &r->flags);
	return 0;
}

void msgr1_encode_msg(struct buf *b, const struct msg *m, uint64_t seq,
		      const struct entity_name *src, bool new_footer,
		      struct buf *tail)
{
	const uint8_t *data = msg_data(m);
	size_t data_len = msg_data_len(m);
	size_t hstart;
	uint32_t crc;

	buf_put_u8(b, CEPH_MSGR_TAG_MSG);
	hstart = b->len;
	buf_put_u64(b, seq);
	buf_put_u64(b, m->tid);
	buf_put_u16(b, m->type);
	buf_put_u16(b, m->priority);
	buf_put_u16(b, m->version);
	buf_put_u32(b, (uint32_t)m->front.len);
	buf_put_u32(b, (uint32_t)m->middle.len);
	buf_put_u32(b, (uint32_t)data_len);
	buf_put_u16(b, m->data_off);
	buf_put_u8(b, src->type);
	buf_put_u64(b, src->num);
	buf_put_u16(b, m->compat_version);
	buf_put_u16(b, 0);
	if (buf_error(b))
		return;
	crc = crc32c(0, b->data + hstart, MSGR1_HEADER_LEN - 4);
	buf_put_u32(b, crc);
	buf_put(b, m->front.data, m->front.len);
	buf_put(b, m->middle.data, m->middle.len);
	if (m->ext_data && tail) {
		b = tail;	/* the lent data goes between b and tail */
	} else {
		buf_put(b, data, data_len);
	}
	buf_put_u32(b, crc32c(0, m->front.data, m->front.len));
	buf_put_u32(b, crc32c(0, m->middle.data, m->middle.len));
	buf_put_u32(b, m->data_crc_set ? m->data_crc : crc32c(0, data, data_len));
	if (new_footer)
		buf_put_u64(b, 0);	/* signature: none without cephx */
	buf_put_u8(b, CEPH_MSG_FOOTER_COMPLETE);
}

ssize_t msgr1_parse_msg(const uint8_t *p, size_t n, bool new_footer,
			struct msgr1_frame *f)
{
	size_t flen = new_footer ? MSGR1_FOOTER_LEN : MSGR1_OLD_FOOTER_LEN;
	struct dec d;
	size_t total;

	if (n < MSGR1_HEADER_LEN)
		return -EAGAIN;
	memset(f, 0, sizeof(*f));
	dec_init(&d, p, MSGR1_HEADER_LEN);
	dec_u64(&d, &f->hdr.seq);
	dec_u64(&d, &f->hdr.tid);
	dec_u16(&d, &f->hdr.type);
	dec_u16(&d, &f->hdr.priority);
	dec_u16(&d, &f->hdr.version);
	dec_u32(&d, &f->front_len);
	dec_u32(&d, &f->middle_len);
	dec_u32(&d, &f->data_len);
	dec_u16(&d, &f->hdr.data_off);
	dec_u8(&d, &f->hdr.src.type);
	dec_u64(&d, &f->hdr.src.num);
	dec_u16(&d, &f->hdr.compat_version);
	dec_skip(&d, 2);
	dec_u32(&d, &f->header_crc);
	if (crc32c(0, p, MSGR1_HEADER_LEN - 4) != f->header_crc)
		return -EBADMSG;
	if (f->front_len > MSGR1_MAX_FRONT_LEN ||
	    f->middle_len > MSGR1_MAX_MIDDLE_LEN ||
	    f->data_len > MSGR1_MAX_DATA_LEN)
		return -EMSGSIZE;
	total = MSGR1_HEADER_LEN + (size_t)f->front_len + f->middle_len +
		f->data_len + flen;
	if (n < total)
		return -EAGAIN;
	f->front = p + MSGR1_HEADER_LEN;
	f->middle = f->front + f->front_len;
	f->data = f->middle + f->middle_len;
	dec_init(&d, f->data + f->data_len, flen);
	dec_u32(&d, &f->front_crc);
	dec_u32(&d, &f->middle_crc);
	dec_u32(&d, &f->data_crc);
	if (new_footer)
		dec_u64(&d, &f->sig);
	dec_u8(&d, &f->footer_flags);
	if (crc32c(0, f->front, f->front_len) != f->front_crc ||
	    crc32c(0, f->middle, f->middle_len) != f->middle_crc)
		return -EBADMSG;
	if (!(f->footer_flags & CEPH_MSG_FOOTER_NOCRC) &&
	    crc32c(0, f->data, f->data_len) != f->data_crc)
		return -EBADMSG;
	return (ssize_t)total;
}

int msgr1_tag_payload_len(uint8_t tag)
{
	switch (tag) {
	case CEPH_MSGR_TAG_ACK:
		return 8;
	case CEPH_MSGR_TAG_KEEPALIVE:
	case CEPH_MSGR_TAG_CLOSE:
		return 0;
	case CEPH_MSGR_TAG_KEEPALIVE2:
	case CEPH_MSGR_TAG_KEEPALIVE2_ACK:
		return 8;
	}
	return -EPROTO;
}

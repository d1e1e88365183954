/* Monitor session messages. */
#include "mon_msgs.h"

#include "encoding/dec.h"

/* PaxosServiceMessage's session_mon when the client names none */
#define SESSION_MON_NONE 0xffff

static void put_paxos_header(struct buf *b)
{
	buf_put_u64(b, 0);		/* version */
	buf_put_u16(b, SESSION_MON_NONE);
	buf_put_u64(b, 0);		/* session_mon_tid */
}

static struct msg *finish(struct msg *m)
{
	if (m && buf_error(&m->front)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

struct msg *mon_msg_auth(uint32_t protocol, const uint8_t *payload,
			 size_t len, uint32_t monmap_epoch)
{
	struct msg *m = msg_new(CEPH_MSG_AUTH, 1, 1);

	if (!m)
		return NULL;
	put_paxos_header(&m->front);
	buf_put_u32(&m->front, protocol);
	buf_put_u32(&m->front, (uint32_t)len);
	buf_put(&m->front, payload, len);
	buf_put_u32(&m->front, monmap_epoch);
	return finish(m);
}

struct msg *mon_msg_subscribe(const struct mon_sub_item *items, int n,
			      const char *hostname)
{
	struct msg *m = msg_new(CEPH_MSG_MON_SUBSCRIBE, 3, 1);

	if (!m)
		return NULL;
	buf_put_u32(&m->front, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		buf_put_str(&m->front, items[i].what);
		buf_put_u64(&m->front, items[i].start);
		buf_put_u8(&m->front, items[i].flags);
	}
	buf_put_str(&m->front, hostname ? hostname : "");
	return finish(m);
}

struct msg *mon_msg_statfs(uint64_t tid, const uint8_t fsid[16],
			   int64_t data_pool)
{
	struct msg *m = msg_new(CEPH_MSG_STATFS, 2, 1);

	if (!m)
		return NULL;
	m->tid = tid;
	put_paxos_header(&m->front);
	buf_put(&m->front, fsid, 16);
	if (data_pool >= 0) {
		buf_put_u8(&m->front, 1);
		buf_put_u64(&m->front, (uint64_t)data_pool);
	} else {
		buf_put_u8(&m->front, 0);
	}
	return finish(m);
}

int mon_decode_auth_reply(const uint8_t *p, size_t n, struct mauth_reply *r)
{
	struct dec d;
	const char *s;

	dec_init(&d, p, n);
	if (dec_u32(&d, &r->protocol) || dec_s32(&d, &r->result) ||
	    dec_u64(&d, &r->global_id) || dec_u32(&d, &r->payload_len) ||
	    dec_view(&d, r->payload_len, &r->payload) ||
	    dec_str_view(&d, &s, &r->result_msg_len))
		return -EBADMSG;
	r->result_msg = s;
	return 0;
}

int mon_decode_statfs_reply(const uint8_t *p, size_t n, uint8_t fsid[16],
			    struct ceph_statfs *st)
{
	struct dec d;
	uint64_t version;

	dec_init(&d, p, n);
	if (dec_uuid(&d, fsid) || dec_u64(&d, &version) ||
	    dec_u64(&d, &st->kb) || dec_u64(&d, &st->kb_used) ||
	    dec_u64(&d, &st->kb_avail) || dec_u64(&d, &st->num_objects))
		return -EBADMSG;
	return 0;
}

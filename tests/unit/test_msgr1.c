/* Messenger v1 wire formats and monitor messages, checked byte for byte
 * against what ceph-fuse 16.2.15 and a 16.2.15 monitor exchanged. */
#include "test.h"

#include <stdlib.h>

#include "auth/auth.h"
#include "encoding/crc32c.h"
#include "encoding/entity.h"
#include "mon/mon_msgs.h"
#include "msg/features.h"
#include "msg/msgr1_wire.h"

TEST(server_hello_from_capture)
{
	struct msgr1_hello h;
	size_t n;
	uint8_t *p = test_read_data("msgr1-server-hello.bin", &n);

	if (!p)
		return;
	CHECK_EQ(n, MSGR1_SERVER_HELLO_LEN);
	CHECK_EQ(msgr1_parse_hello(p, n, &h), 0);
	CHECK_EQ(entity_addr_port(&h.peer), 3501);
	CHECK_EQ(h.peer.ss.ss_family, AF_INET);
	CHECK_EQ(h.me.ss.ss_family, AF_INET);
	CHECK_EQ(entity_addr_port(&h.me), 32872);
	CHECK_EQ(msgr1_parse_hello(p, n - 1, &h), -EAGAIN);
	p[0] = 'x';
	CHECK_EQ(msgr1_parse_hello(p, n, &h), -EPROTO);
	free(p);
}

TEST(client_addr_and_connect_match_capture)
{
	struct msgr1_connect c = {
		.features = SIPHON_FEATURES_SUPPORTED,
		.host_type = CEPH_ENTITY_TYPE_CLIENT,
		.global_seq = 1,
		.connect_seq = 0,
		.protocol_version = CEPH_MONC_PROTOCOL,
	};
	struct buf b = BUF_INIT;
	struct entity_addr me;
	size_t n, n2;
	uint8_t *want = test_read_data("msgr1-connect.bin", &n);
	uint8_t *addr = test_read_data("msgr1-client-addr.bin", &n2);

	if (!want || !addr)
		return;
	msgr1_encode_connect(&b, &c);
	CHECK_EQ(b.len, MSGR1_CONNECT_LEN);
	CHECK(b.len == n && !memcmp(b.data, want, n));

	buf_reset(&b);
	CHECK_EQ(entity_addr_parse("127.0.0.1", &me), 0);
	me.nonce = 0x51c36fad;
	entity_addr_encode_legacy(&b, &me);
	CHECK(b.len == n2 && !memcmp(b.data, addr, n2));
	buf_free(&b);
	free(want);
	free(addr);
}

TEST(connect_reply_seq_from_capture)
{
	struct msgr1_connect_reply r;
	size_t n;
	uint8_t *p = test_read_data("msgr1-connect-reply.bin", &n);

	if (!p)
		return;
	CHECK_EQ(msgr1_parse_connect_reply(p, n, &r), 0);
	CHECK_EQ(r.tag, CEPH_MSGR_TAG_SEQ);
	CHECK_EQ(r.features, 0x3f01cfbdfffdffffULL);
	CHECK_EQ(r.connect_seq, 1);
	CHECK_EQ(r.protocol_version, CEPH_MONC_PROTOCOL);
	CHECK_EQ(r.authorizer_len, 0);
	CHECK_EQ(n, MSGR1_CONNECT_REPLY_LEN + 8);	/* + the server's seq */
	CHECK_EQ(msgr1_parse_connect_reply(p, 25, &r), -EAGAIN);
	free(p);
}

/* The MAuth hello ceph-fuse sent, rebuilt from scratch. */
TEST(mauth_hello_matches_capture)
{
	struct auth_entity who;
	struct auth_client *a;
	struct buf hello = BUF_INIT, wire = BUF_INIT;
	struct entity_name src = { CEPH_ENTITY_TYPE_CLIENT, (uint64_t)-1 };
	struct msgr1_frame f;
	struct msg *m;
	size_t n;
	uint8_t *p = test_read_data("msgr1-keepalive-mauth.bin", &n);

	if (!p)
		return;
	CHECK_EQ(p[0], CEPH_MSGR_TAG_KEEPALIVE2);
	CHECK_EQ(p[9], CEPH_MSGR_TAG_MSG);
	CHECK_EQ(msgr1_parse_msg(p + 10, n - 10, true, &f), (ssize_t)(n - 10));
	CHECK_EQ(f.hdr.type, CEPH_MSG_AUTH);
	CHECK_EQ(f.hdr.seq, 1);
	CHECK_EQ(f.front_len, 60);

	CHECK_EQ(auth_entity_parse("client.admin", &who), 0);
	a = auth_client_create(&who);
	auth_build_hello(a, &hello);
	m = mon_msg_auth(0, hello.data, hello.len, 0);
	msgr1_encode_msg(&wire, m, 1, &src, true, NULL);
	CHECK_EQ(wire.len, n - 9);
	CHECK(!memcmp(wire.data, p + 9, n - 9));

	/* every truncation is "need more", never a crash */
	for (size_t k = 0; k < n - 10; k++)
		CHECK_EQ(msgr1_parse_msg(p + 10, k, true, &f), -EAGAIN);
	/* a flipped bit in the front fails the crc */
	p[10 + MSGR1_HEADER_LEN + 3] ^= 1;
	CHECK_EQ(msgr1_parse_msg(p + 10, n - 10, true, &f), -EBADMSG);
	/* and one in the header too */
	p[12] ^= 1;
	CHECK_EQ(msgr1_parse_msg(p + 10, n - 10, true, &f), -EBADMSG);
	msg_free(m);
	buf_free(&hello);
	buf_free(&wire);
	auth_client_destroy(a);
	free(p);
}

TEST(mauth_reply_from_capture)
{
	struct msgr1_frame f;
	struct mauth_reply r;
	struct auth_entity who;
	struct auth_client *a;
	struct buf more = BUF_INIT;
	size_t n;
	uint8_t *p = test_read_data("msgr1-mauth-reply.bin", &n);

	if (!p)
		return;
	CHECK_EQ(p[0], CEPH_MSGR_TAG_MSG);
	CHECK_EQ(msgr1_parse_msg(p + 1, n - 1, true, &f), (ssize_t)(n - 1));
	CHECK_EQ(f.hdr.type, CEPH_MSG_AUTH_REPLY);
	CHECK_EQ(f.hdr.src.type, CEPH_ENTITY_TYPE_MON);
	CHECK_EQ(mon_decode_auth_reply(f.front, f.front_len, &r), 0);
	CHECK_EQ(r.protocol, CEPH_AUTH_NONE);
	CHECK_EQ(r.result, 0);
	CHECK_EQ(r.global_id, 4126);
	CHECK_EQ(r.payload_len, 0);
	for (uint32_t k = 0; k < f.front_len; k++)
		CHECK(mon_decode_auth_reply(f.front, k, &r) < 0);

	auth_entity_parse("client.admin", &who);
	a = auth_client_create(&who);
	CHECK_EQ(auth_handle_reply(a, CEPH_AUTH_NONE, 0, 4126, NULL, 0, &more), 0);
	CHECK_EQ(auth_global_id(a), 4126);
	CHECK_EQ(auth_handle_reply(a, CEPH_AUTH_CEPHX, 0, 1, NULL, 0, &more),
		 -EPROTONOSUPPORT);
	CHECK_EQ(auth_handle_reply(a, CEPH_AUTH_NONE, -EACCES, 0, NULL, 0, &more),
		 -EACCES);
	auth_client_destroy(a);
	free(p);
}

TEST(subscribe_matches_capture)
{
	struct mon_sub_item items[] = {
		{ "config", 0, 0 },
		{ "monmap", 0, 0 },
	};
	struct entity_name src = { CEPH_ENTITY_TYPE_CLIENT, (uint64_t)-1 };
	struct buf wire = BUF_INIT;
	struct msgr1_frame f;
	struct msg *m;
	size_t n;
	uint8_t *p = test_read_data("msgr1-msubscribe.bin", &n);

	if (!p)
		return;
	CHECK_EQ(msgr1_parse_msg(p + 1, n - 1, true, &f), (ssize_t)(n - 1));
	m = mon_msg_subscribe(items, 2, "vm");
	CHECK_EQ(m->front.len, f.front_len);
	CHECK(!memcmp(m->front.data, f.front, f.front_len));
	msgr1_encode_msg(&wire, m, f.hdr.seq, &src, true, NULL);
	CHECK_EQ(wire.len, n);
	CHECK(!memcmp(wire.data, p, n));
	msg_free(m);
	buf_free(&wire);
	free(p);
}

TEST(statfs_matches_capture)
{
	struct msgr1_frame f;
	struct ceph_statfs st;
	uint8_t fsid[16], fsid2[16];
	struct msg *m;
	size_t n, n2;
	uint8_t *p = test_read_data("msgr1-mstatfs.bin", &n);
	uint8_t *q = test_read_data("msgr1-mstatfs-reply.bin", &n2);

	if (!p || !q)
		return;
	CHECK_EQ(msgr1_parse_msg(p + 1, n - 1, true, &f), (ssize_t)(n - 1));
	CHECK_EQ(f.hdr.type, CEPH_MSG_STATFS);
	CHECK_EQ(f.hdr.version, 2);
	memcpy(fsid, f.front + 18, 16);
	m = mon_msg_statfs(f.hdr.tid, fsid, 2);
	CHECK_EQ(m->front.len, f.front_len);
	CHECK(!memcmp(m->front.data, f.front, f.front_len));
	CHECK_EQ(m->tid, 7);
	msg_free(m);

	CHECK_EQ(msgr1_parse_msg(q + 1, n2 - 1, true, &f), (ssize_t)(n2 - 1));
	CHECK_EQ(f.hdr.type, CEPH_MSG_STATFS_REPLY);
	CHECK_EQ(f.hdr.tid, 7);
	CHECK_EQ(mon_decode_statfs_reply(f.front, f.front_len, fsid2, &st), 0);
	CHECK(!memcmp(fsid, fsid2, 16));
	CHECK_EQ(mon_decode_statfs_reply(f.front, f.front_len - 1, fsid2, &st),
		 -EBADMSG);
	free(p);
	free(q);
}

TEST(tags_and_oversize)
{
	uint8_t hdr[MSGR1_HEADER_LEN] = { 0 };
	struct msgr1_frame f;
	uint32_t crc;

	CHECK_EQ(msgr1_tag_payload_len(CEPH_MSGR_TAG_ACK), 8);
	CHECK_EQ(msgr1_tag_payload_len(CEPH_MSGR_TAG_KEEPALIVE2_ACK), 8);
	CHECK_EQ(msgr1_tag_payload_len(CEPH_MSGR_TAG_CLOSE), 0);
	CHECK(msgr1_tag_payload_len(99) < 0);
	/* a header claiming a 1 GiB front is refused before any allocation */
	hdr[22 + 3] = 0x40;
	crc = crc32c(0, hdr, MSGR1_HEADER_LEN - 4);
	hdr[49] = (uint8_t)crc;
	hdr[50] = (uint8_t)(crc >> 8);
	hdr[51] = (uint8_t)(crc >> 16);
	hdr[52] = (uint8_t)(crc >> 24);
	CHECK_EQ(msgr1_parse_msg(hdr, sizeof(hdr), true, &f), -EMSGSIZE);
}

static int lent_done_calls;

static void count_lent_done(void *arg)
{
	(void)arg;
	lent_done_calls++;
}

/* A lent data section (sent from the caller's memory between the
 * encoded head and a separate tail) puts the same bytes on the wire as
 * an owned one, with or without a precomputed crc. */
TEST(msgr1_lent_data_same_bytes)
{
	static uint8_t payload[100000];
	struct entity_name src = { CEPH_ENTITY_TYPE_CLIENT, 4242 };
	struct buf owned, head, tail, joined;
	struct msgr1_frame f;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 13 + 7);
	for (int pre = 0; pre < 2; pre++) {
		struct msg *a = msg_new(42, 8, 3), *b = msg_new(42, 8, 3);

		buf_init(&owned);
		buf_init(&head);
		buf_init(&tail);
		buf_init(&joined);
		buf_put(&a->front, "front", 5);
		buf_put(&b->front, "front", 5);
		buf_put(&a->data, payload, sizeof(payload));
		b->ext_data = payload;
		b->ext_len = sizeof(payload);
		b->data_done = count_lent_done;
		if (pre) {
			b->data_crc = crc32c(0, payload, sizeof(payload));
			b->data_crc_set = true;
		}
		msgr1_encode_msg(&owned, a, 9, &src, true, NULL);
		msgr1_encode_msg(&head, b, 9, &src, true, &tail);
		CHECK_EQ(head.len + sizeof(payload) + tail.len, owned.len);
		buf_put(&joined, head.data, head.len);
		buf_put(&joined, payload, sizeof(payload));
		buf_put(&joined, tail.data, tail.len);
		CHECK_EQ(joined.len, owned.len);
		CHECK(!memcmp(joined.data, owned.data, owned.len));
		CHECK_EQ(msgr1_parse_msg(owned.data + 1, owned.len - 1, true, &f),
			 (ssize_t)(owned.len - 1));
		lent_done_calls = 0;
		msg_free(b);
		CHECK_EQ(lent_done_calls, 1);
		msg_free(a);
		buf_free(&owned);
		buf_free(&head);
		buf_free(&tail);
		buf_free(&joined);
	}
}

/* Messenger v1 ("ceph v027") wire formats: the banner, connect and
 * connect-reply, tags, message header and footer. Pure encoders and
 * parsers over byte ranges; the connection state machine is in conn.c. */
#ifndef SIPHON_MSG_MSGR1_WIRE_H
#define SIPHON_MSG_MSGR1_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "encoding/buf.h"
#include "encoding/entity.h"
#include "msg.h"

#define CEPH_BANNER "ceph v027"
#define CEPH_BANNER_LEN 9

/* the server's banner, its address, our address as it sees us */
#define MSGR1_SERVER_HELLO_LEN (CEPH_BANNER_LEN + 2 * ENTITY_ADDR_LEGACY_LEN)

#define CEPH_MSGR_TAG_READY                1
#define CEPH_MSGR_TAG_RESETSESSION         2
#define CEPH_MSGR_TAG_WAIT                 3
#define CEPH_MSGR_TAG_RETRY_SESSION        4
#define CEPH_MSGR_TAG_RETRY_GLOBAL         5
#define CEPH_MSGR_TAG_CLOSE                6
#define CEPH_MSGR_TAG_MSG                  7
#define CEPH_MSGR_TAG_ACK                  8
#define CEPH_MSGR_TAG_KEEPALIVE            9
#define CEPH_MSGR_TAG_BADPROTOVER          10
#define CEPH_MSGR_TAG_BADAUTHORIZER        11
#define CEPH_MSGR_TAG_FEATURES             12
#define CEPH_MSGR_TAG_SEQ                  13
#define CEPH_MSGR_TAG_KEEPALIVE2           14
#define CEPH_MSGR_TAG_KEEPALIVE2_ACK       15
#define CEPH_MSGR_TAG_CHALLENGE_AUTHORIZER 16

#define CEPH_MSG_CONNECT_LOSSY 1

/* Protocol versions per peer type (CEPH_*_PROTOCOL). */
#define CEPH_MONC_PROTOCOL 15
#define CEPH_OSDC_PROTOCOL 24
#define CEPH_MDSC_PROTOCOL 32

#define MSGR1_CONNECT_LEN       33
#define MSGR1_CONNECT_REPLY_LEN 26
#define MSGR1_HEADER_LEN        53
#define MSGR1_FOOTER_LEN        21	/* with MSG_AUTH: includes the sig */
#define MSGR1_OLD_FOOTER_LEN    13

#define CEPH_MSG_FOOTER_COMPLETE 1
#define CEPH_MSG_FOOTER_NOCRC    2
#define CEPH_MSG_FOOTER_SIGNED   4

/* Upper bounds on what a peer may send us, so a corrupt header cannot
 * make us allocate without limit. */
#define MSGR1_MAX_FRONT_LEN  (16u << 20)
#define MSGR1_MAX_MIDDLE_LEN (16u << 20)
#define MSGR1_MAX_DATA_LEN   (256u << 20)

struct msgr1_connect {
	uint64_t features;
	uint32_t host_type;
	uint32_t global_seq;
	uint32_t connect_seq;
	uint32_t protocol_version;
	uint32_t authorizer_protocol;
	uint32_t authorizer_len;
	uint8_t flags;
};

struct msgr1_connect_reply {
	uint8_t tag;
	uint64_t features;
	uint32_t global_seq;
	uint32_t connect_seq;
	uint32_t protocol_version;
	uint32_t authorizer_len;
	uint8_t flags;
};

struct msgr1_hello {
	struct entity_addr peer;	/* the server's own address */
	struct entity_addr me;		/* our address as the server sees it */
};

/* A message as it sits in a byte stream after the MSG tag: the decoded
 * header, views of its sections, and the footer. */
struct msgr1_frame {
	struct msg hdr;		/* only the header fields are filled */
	uint32_t front_len, middle_len, data_len;
	uint32_t header_crc;
	const uint8_t *front, *middle, *data;
	uint32_t front_crc, middle_crc, data_crc;
	uint64_t sig;
	uint8_t footer_flags;
};

void msgr1_encode_banner_addr(struct buf *b, const struct entity_addr *me);
void msgr1_encode_connect(struct buf *b, const struct msgr1_connect *c);
/* Parses the server's hello; -EAGAIN if fewer than
 * MSGR1_SERVER_HELLO_LEN bytes, -EPROTO for a bad banner. */
int msgr1_parse_hello(const uint8_t *p, size_t n, struct msgr1_hello *h);
/* -EAGAIN until MSGR1_CONNECT_REPLY_LEN bytes are there. */
int msgr1_parse_connect_reply(const uint8_t *p, size_t n,
			      struct msgr1_connect_reply *r);

/* Appends TAG_MSG, header, sections and footer for m with sequence seq,
 * sent from src. With new_footer the 21-byte footer (peer has MSG_AUTH).
 * A lent data section (m->ext_data) with a tail buffer given is not
 * copied: the footer goes to *tail, and the caller sends b, the lent
 * bytes, then tail. */
void msgr1_encode_msg(struct buf *b, const struct msg *m, uint64_t seq,
		      const struct entity_name *src, bool new_footer,
		      struct buf *tail);

/* Parses one message following a MSG tag (p points after the tag).
 * Returns the bytes it spans, -EAGAIN if incomplete, -EBADMSG on a bad
 * header crc or section crc, -EMSGSIZE on an oversized section. The
 * sections of *f point into p. */
ssize_t msgr1_parse_msg(const uint8_t *p, size_t n, bool new_footer,
			struct msgr1_frame *f);

/* The length of the payload that follows a tag in the open state (0 for
 * tags with none), or -EPROTO for a tag not valid there. Not for MSG. */
int msgr1_tag_payload_len(uint8_t tag);

#endif

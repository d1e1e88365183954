/* A Ceph message: header fields plus front, middle and data sections.
 * A message has one owner at a time: the caller that builds it, then the
 * connection it is handed to, then the dispatcher that receives it. */
#ifndef SIPHON_MSG_MSG_H
#define SIPHON_MSG_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding/buf.h"
#include "encoding/entity.h"

#define CEPH_MSG_PRIO_LOW     64
#define CEPH_MSG_PRIO_DEFAULT 127
#define CEPH_MSG_PRIO_HIGH    196
#define CEPH_MSG_PRIO_HIGHEST 255

struct msg {
	uint64_t seq;		/* assigned by the connection on send */
	uint64_t tid;
	uint16_t type;
	uint16_t priority;
	uint16_t version;
	uint16_t compat_version;
	uint16_t data_off;
	struct entity_name src;	/* on receive: who sent it */
	struct buf front;
	struct buf middle;
	struct buf data;
	/* Instead of `data`, a data section the sender lends: sent from its
	 * memory without a copy. It must stay valid until data_done(data_arg)
	 * runs, which msg_free() calls (once the bytes are on the wire, or
	 * the message is dropped). */
	const uint8_t *ext_data;
	size_t ext_len;
	void (*data_done)(void *arg);
	void *data_arg;
	/* The data section's crc32c, when the sender computed it already
	 * (off the loop thread). */
	bool data_crc_set;
	uint32_t data_crc;
	struct msg *next;	/* queue link, owned by whoever holds the msg */
};

/* The data section's bytes and length, lent or owned. */
static inline const uint8_t *msg_data(const struct msg *m)
{
	return m->ext_data ? m->ext_data : m->data.data;
}

static inline size_t msg_data_len(const struct msg *m)
{
	return m->ext_data ? m->ext_len : m->data.len;
}

struct msg *msg_new(uint16_t type, uint16_t version, uint16_t compat_version);
void msg_free(struct msg *m);

/* Human name of a message type, for logs ("osd_map", "auth_reply"). */
const char *msg_type_name(uint16_t type);

/* Message types used by the client (CEPH_MSG_*). */
#define CEPH_MSG_SHUTDOWN               1
#define CEPH_MSG_PING                   2
#define CEPH_MSG_MON_MAP                4
#define CEPH_MSG_MON_GET_MAP            5
#define CEPH_MSG_MON_GET_OSDMAP         6
#define CEPH_MSG_MON_METADATA           7
#define CEPH_MSG_STATFS                 13
#define CEPH_MSG_STATFS_REPLY           14
#define CEPH_MSG_MON_SUBSCRIBE          15
#define CEPH_MSG_MON_SUBSCRIBE_ACK      16
#define CEPH_MSG_AUTH                   17
#define CEPH_MSG_AUTH_REPLY             18
#define CEPH_MSG_MON_GET_VERSION        19
#define CEPH_MSG_MON_GET_VERSION_REPLY  20
#define CEPH_MSG_MDS_MAP                21
#define CEPH_MSG_FS_MAP                 45
#define CEPH_MSG_FS_MAP_USER            103
#define CEPH_MSG_CLIENT_SESSION         22
#define CEPH_MSG_CLIENT_RECONNECT       23
#define CEPH_MSG_CLIENT_REQUEST         24
#define CEPH_MSG_CLIENT_REQUEST_FORWARD 25
#define CEPH_MSG_CLIENT_REPLY           26
#define CEPH_MSG_CLIENT_METRICS         29
#define CEPH_MSG_CLIENT_CAPS            0x310
#define CEPH_MSG_CLIENT_LEASE           0x311
#define CEPH_MSG_CLIENT_SNAP            0x312
#define CEPH_MSG_CLIENT_CAPRELEASE      0x313
#define CEPH_MSG_CLIENT_QUOTA           0x314
#define CEPH_MSG_OSD_MAP                41
#define CEPH_MSG_OSD_OP                 42
#define CEPH_MSG_OSD_OPREPLY            43
#define CEPH_MSG_WATCH_NOTIFY           44
#define CEPH_MSG_OSD_BACKOFF            61
#define CEPH_MSG_CONFIG                 62
#define CEPH_MSG_GET_CONFIG             63
#define CEPH_MSG_MON_COMMAND            50
#define CEPH_MSG_MON_COMMAND_ACK        51

#endif

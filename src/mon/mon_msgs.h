/* Encoders and decoders of the monitor session's messages (MAuth,
 * MAuthReply, MMonSubscribe, MStatfs, MStatfsReply): pure functions. */
#ifndef SIPHON_MON_MON_MSGS_H
#define SIPHON_MON_MON_MSGS_H

#include <stdint.h>

#include "msg/msg.h"

#define CEPH_SUBSCRIBE_ONETIME 1

struct ceph_statfs {
	uint64_t kb, kb_used, kb_avail, num_objects;
};

struct mon_sub_item {
	const char *what;
	uint64_t start;
	uint8_t flags;
};

struct mauth_reply {
	uint32_t protocol;
	int32_t result;
	uint64_t global_id;
	const uint8_t *payload;	/* points into the decoded front */
	uint32_t payload_len;
	const char *result_msg;	/* not NUL-terminated */
	uint32_t result_msg_len;
};

/* MAuth: protocol 0 with the hello payload first, then the chosen one. */
struct msg *mon_msg_auth(uint32_t protocol, const uint8_t *payload,
			 size_t len, uint32_t monmap_epoch);
struct msg *mon_msg_subscribe(const struct mon_sub_item *items, int n,
			      const char *hostname);
/* data_pool < 0: the whole cluster */
struct msg *mon_msg_statfs(uint64_t tid, const uint8_t fsid[16],
			   int64_t data_pool);

int mon_decode_auth_reply(const uint8_t *p, size_t n, struct mauth_reply *r);
int mon_decode_statfs_reply(const uint8_t *p, size_t n, uint8_t fsid[16],
			    struct ceph_statfs *st);

#endif

/* Fuzz target: messenger v1 parsing as a connection meets it, i.e. the
 * server hello, the connect reply, then a stream of tags and messages,
 * plus the monitor messages decoded from a message's front. The first
 * byte picks which. */
#include <stddef.h>
#include <stdint.h>

#include "mon/mon_msgs.h"
#include "msg/msgr1_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void stream(const uint8_t *p, size_t n, bool new_footer)
{
	while (n > 0) {
		struct msgr1_frame f;
		uint8_t tag = p[0];
		ssize_t used;
		int plen;

		p++;
		n--;
		if (tag == CEPH_MSGR_TAG_MSG) {
			used = msgr1_parse_msg(p, n, new_footer, &f);
			if (used < 0)
				return;
			/* what a dispatcher would do with the front */
			if (f.hdr.type == CEPH_MSG_AUTH_REPLY) {
				struct mauth_reply r;

				mon_decode_auth_reply(f.front, f.front_len, &r);
			} else if (f.hdr.type == CEPH_MSG_STATFS_REPLY) {
				struct ceph_statfs st;
				uint8_t fsid[16];

				mon_decode_statfs_reply(f.front, f.front_len,
							fsid, &st);
			}
		} else {
			plen = msgr1_tag_payload_len(tag);
			if (plen < 0 || (size_t)plen > n)
				return;
			used = plen;
		}
		p += used;
		n -= (size_t)used;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msgr1_connect_reply rep;
	struct msgr1_hello h;
	struct mauth_reply ar;
	struct ceph_statfs st;
	uint8_t fsid[16];

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		msgr1_parse_hello(data + 1, size - 1, &h);
		break;
	case 1:
		msgr1_parse_connect_reply(data + 1, size - 1, &rep);
		break;
	case 2:
		stream(data + 1, size - 1, data[0] & 4);
		break;
	case 3:
		mon_decode_auth_reply(data + 1, size - 1, &ar);
		mon_decode_statfs_reply(data + 1, size - 1, fsid, &st);
		break;
	}
	return 0;
}

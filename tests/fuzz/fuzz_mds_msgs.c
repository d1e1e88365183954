/* Fuzz target: the MDS client message decoders, and for the messages
 * siphon also sends, decode -> encode -> decode must agree.
 * Input: byte 0 picks the message, byte 1 is the header version, byte 2
 * the length of a middle section taken from the end, the rest the front. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mds/mds_msgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct msg *make(uint16_t type, uint16_t ver, const uint8_t *p,
			size_t n, size_t mid)
{
	struct msg *m = msg_new(type, ver, 1);

	if (!m)
		return NULL;
	buf_put(&m->front, p, n - mid);
	buf_put(&m->middle, p + n - mid, mid);
	if (buf_error(&m->front) || buf_error(&m->middle)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

static void caps(struct msg *m)
{
	struct mds_caps_msg c, c2;
	struct msg *e;

	if (mds_caps_decode(m, &c))
		return;
	e = mds_msg_caps(&c);
	if (!e)
		return;
	if (mds_caps_decode(e, &c2) || c2.ino != c.ino || c2.seq != c.seq ||
	    c2.flock_len != c.flock_len || c2.xattrs_len != c.xattrs_len ||
	    c2.pool_ns_len != c.pool_ns_len || c2.inline_len != c.inline_len)
		abort();
	msg_free(e);
}

static void request(struct msg *m)
{
	struct mds_request_msg r, r2;
	struct mds_request_release rel[4];
	struct msg *e;
	char *p1, *p2, *alt;

	if (mds_request_decode(m, &r) || r.num_releases > 4 || r.num_gids)
		return;
	for (uint32_t i = 0; i < r.num_releases; i++)
		if (mds_request_decoded_release(&r, i, &rel[i]))
			abort();
	/* absent strings are NULL views */
	p1 = r.path.path ? strndup(r.path.path, r.path_len) : strdup("");
	p2 = r.path2.path ? strndup(r.path2.path, r.path2_len) : strdup("");
	alt = r.alternate_name ? strndup(r.alternate_name, r.alternate_name_len)
			       : strdup("");
	if (p1 && p2 && alt) {
		r.path.path = p1;
		r.path2.path = p2;
		r.alternate_name = alt;
		r.releases = rel;
		e = mds_msg_request(&r, NULL, 0);
		if (e) {
			if (mds_request_decode(e, &r2) || r2.op != r.op ||
			    r2.num_releases != r.num_releases)
				abort();
			msg_free(e);
		}
	}
	free(p1);
	free(p2);
	free(alt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mds_session_msg s;
	struct mds_lease_msg l;
	struct mds_snap_msg sn;
	struct msg *m;
	int32_t dest, fwd;
	bool resend;
	uint32_t num, barrier;
	const uint8_t *items;
	size_t n, mid;

	if (size < 3)
		return 0;
	n = size - 3;
	mid = data[2] <= n ? data[2] : 0;
	switch (data[0] % 7) {
	case 0:
		if (mds_session_decode(data + 3, n, data[1], &s) == 0) {
			uint32_t vl;

			(void)mds_session_meta_get(&s, "error_string", &vl);
			mds_session_msg_free(&s);
		}
		break;
	case 1:
		m = make(CEPH_MSG_CLIENT_REQUEST, data[1], data + 3, n, 0);
		if (m)
			request(m);
		msg_free(m);
		break;
	case 2:
		(void)mds_forward_decode(data + 3, n, &dest, &fwd, &resend);
		break;
	case 3:
		m = make(CEPH_MSG_CLIENT_CAPS, data[1], data + 3, n, mid);
		if (m)
			caps(m);
		msg_free(m);
		break;
	case 4:
		if (mds_lease_decode(data + 3, n, &l) == 0) {
			m = mds_msg_lease(&l);
			if (m && (m->front.len != 39 + (size_t)l.dname_len))
				abort();
			msg_free(m);
		}
		break;
	case 5:
		if (mds_snap_decode(data + 3, n, &sn) == 0) {
			(void)mds_snap_split_ino(&sn, sn.num_split_inos ? sn.num_split_inos - 1 : 0);
			(void)mds_snap_split_realm(&sn, 0);
		}
		break;
	case 6:
		if (mds_cap_release_decode(data + 3, n, data[1], &num, &items,
					   &barrier) == 0 && num) {
			struct mds_cap_release_item it;

			mds_cap_release_item_at(items, num - 1, &it);
		}
		break;
	}
	return 0;
}

/* Fuzz target: the OSD op message decoders; for MOSDOp and MOSDBackoff,
 * which siphon also encodes, decode -> encode -> decode must agree.
 * Input: byte 0 picks the message, byte 1 is the header version, bytes
 * 2-3 the length of a data section taken from the end, the rest the
 * front. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "osd/osd_msgs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct msg *make(uint16_t type, uint16_t ver, const uint8_t *p,
			size_t n, size_t data_len)
{
	struct msg *m = msg_new(type, ver, ver);

	if (!m)
		return NULL;
	buf_put(&m->front, p, n - data_len);
	buf_put(&m->data, p + n - data_len, data_len);
	if (buf_error(&m->front) || buf_error(&m->data)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

static bool same_str(const char *a, uint32_t alen, const char *b,
		     uint32_t blen)
{
	return alen == blen && (!alen || !memcmp(a, b, alen));
}

static void request(const struct msg *m)
{
	static struct osd_op ops[OSD_MAX_OPS], ops2[OSD_MAX_OPS];
	static uint64_t snaps[64], snaps2[64];
	struct osd_request_msg r, r2;
	struct msg *e;

	if (osd_op_decode(m, &r, ops, OSD_MAX_OPS, snaps, 64) || !r.num_ops)
		return;
	e = osd_msg_op(&r);
	if (!e)
		abort();
	if (osd_op_decode(e, &r2, ops2, OSD_MAX_OPS, snaps2, 64) ||
	    r2.num_ops != r.num_ops || r2.num_snaps != r.num_snaps ||
	    r2.hash != r.hash || r2.pool != r.pool ||
	    r2.features != r.features ||
	    !same_str(r2.oid, r2.oid_len, r.oid, r.oid_len) ||
	    !same_str(r2.nspace, r2.nspace_len, r.nspace, r.nspace_len) ||
	    e->data.len != m->data.len)
		abort();
	for (uint32_t i = 0; i < r.num_ops; i++)
		if (ops2[i].op != ops[i].op ||
		    ops2[i].indata_len != ops[i].indata_len ||
		    (osd_op_kind(ops[i].op) == OSD_OP_KIND_EXTENT &&
		     ops2[i].length != ops[i].length))
			abort();
	msg_free(e);
}

static void reply(const struct msg *m)
{
	static struct osd_reply r;
	uint64_t sum = 0;

	if (osd_reply_decode(m, &r))
		return;
	if (r.num_ops > OSD_MAX_OPS)
		abort();
	for (uint32_t i = 0; i < r.num_ops; i++) {
		const struct osd_op *o = &r.ops[i];

		if (o->outdata_len &&
		    (o->outdata < m->data.data ||
		     o->outdata + o->outdata_len > m->data.data + m->data.len))
			abort();
		sum += o->outdata_len;
	}
	if (m->version >= 4 && sum != m->data.len)
		abort();
}

static void backoff(const uint8_t *p, size_t n)
{
	struct osd_backoff b, b2;
	struct msg *e;

	if (osd_backoff_decode(p, n, &b))
		return;
	if (osd_hobject_compare(&b.begin, &b.begin) ||
	    osd_hobject_compare(&b.begin, &b.end) !=
	    -osd_hobject_compare(&b.end, &b.begin))
		abort();
	e = osd_msg_backoff_ack(&b, b.map_epoch);
	if (!e)
		abort();
	if (osd_backoff_decode(e->front.data, e->front.len, &b2) ||
	    b2.id != b.id || b2.op != CEPH_OSD_BACKOFF_OP_ACK_BLOCK ||
	    osd_hobject_compare(&b.begin, &b2.begin) ||
	    osd_hobject_compare(&b.end, &b2.end))
		abort();
	msg_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg *m;
	size_t n, dlen;

	if (size < 4)
		return 0;
	n = size - 4;
	dlen = (size_t)(data[2] | data[3] << 8);
	if (dlen > n)
		dlen = 0;
	switch (data[0] % 3) {
	case 0:
		m = make(CEPH_MSG_OSD_OPREPLY, data[1], data + 4, n, dlen);
		if (m)
			reply(m);
		msg_free(m);
		break;
	case 1:
		m = make(CEPH_MSG_OSD_OP, data[1], data + 4, n, dlen);
		if (m)
			request(m);
		msg_free(m);
		break;
	case 2:
		backoff(data + 4, n);
		break;
	}
	osd_op_name((uint16_t)(data[0] << 8 | data[1]));
	return 0;
}

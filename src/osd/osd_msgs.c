/* MOSDOp, MOSDOpReply and MOSDBackoff: the layouts are described in
 * osd_msgs.h. The builders append with the sticky-error encoder and check
 * once at the end; the decoders read through a bounded struct dec and
 * give up on the first short or inconsistent field. */
#include "osd/osd_msgs.h"

#include <stdlib.h>
#include <string.h>

/* sizes of fixed wire structures */
#define OP_LEN		38	/* ceph_osd_op */
#define OP_UNION_LEN	28	/* its op-dependent part */
#define TRACE_LEN	24	/* blkin_trace_info: trace, span, parent span */
#define PG_LEN		17	/* pg_t: u8 1, u64 pool, u32 seed, s32 -1 */

static struct msg *finish(struct msg *m)
{
	if (m && (buf_error(&m->front) || buf_error(&m->middle) ||
		  buf_error(&m->data))) {
		msg_free(m);
		return NULL;
	}
	return m;
}

enum osd_op_kind osd_op_kind(uint16_t op)
{
	switch (op) {
	case CEPH_OSD_OP_READ:
	case CEPH_OSD_OP_SPARSE_READ:
	case CEPH_OSD_OP_SYNC_READ:
	case CEPH_OSD_OP_MAPEXT:
	case CEPH_OSD_OP_MASKTRUNC:
	case CEPH_OSD_OP_CMPEXT:
	case CEPH_OSD_OP_WRITE:
	case CEPH_OSD_OP_WRITEFULL:
	case CEPH_OSD_OP_APPEND:
	case CEPH_OSD_OP_TRUNCATE:
	case CEPH_OSD_OP_ZERO:
	case CEPH_OSD_OP_SETTRUNC:
	case CEPH_OSD_OP_TRIMTRUNC:
		return OSD_OP_KIND_EXTENT;
	case CEPH_OSD_OP_GETXATTR:
	case CEPH_OSD_OP_SETXATTR:
	case CEPH_OSD_OP_CMPXATTR:
	case CEPH_OSD_OP_RMXATTR:
		return OSD_OP_KIND_XATTR;
	case CEPH_OSD_OP_CALL:
		return OSD_OP_KIND_CLS;
	default:
		return OSD_OP_KIND_RAW;
	}
}

/* ---- encoding ---- */

/* A (pointer, length) string's length, as osd_msgs.h describes them. */
static uint32_t str_len(const char *s, uint32_t len)
{
	return len || !s ? len : (uint32_t)strlen(s);
}

/* A (pointer, length) string as osd_msgs.h describes it. */
static void put_str(struct buf *b, const char *s, uint32_t len)
{
	buf_put_strn(b, s ? s : "", str_len(s, len));
}

static void put_pg(struct buf *b, struct pg_id pg)
{
	buf_put_u8(b, 1);
	buf_put_u64(b, pg.pool);
	buf_put_u32(b, pg.seed);
	buf_put_u32(b, (uint32_t)-1);		/* preferred: none */
}

static void put_spg(struct buf *b, struct pg_id pg, int8_t shard)
{
	size_t s = buf_struct_begin(b, 1, 1);

	put_pg(b, pg);
	buf_put_u8(b, (uint8_t)shard);
	buf_struct_end(b, s);
}

static void put_op(struct buf *b, const struct osd_op *o)
{
	size_t start;

	buf_put_u16(b, o->op);
	buf_put_u32(b, o->flags);
	start = b->len;
	switch (osd_op_kind(o->op)) {
	case OSD_OP_KIND_EXTENT:
		buf_put_u64(b, o->offset);
		buf_put_u64(b, o->length);
		buf_put_u64(b, o->truncate_size);
		buf_put_u32(b, o->truncate_seq);
		break;
	case OSD_OP_KIND_XATTR:
		buf_put_u32(b, o->xattr.name_len);
		buf_put_u32(b, o->xattr.value_len);
		buf_put_u8(b, o->xattr.cmp_op);
		buf_put_u8(b, o->xattr.cmp_mode);
		break;
	case OSD_OP_KIND_CLS:
		buf_put_u8(b, o->cls.class_len);
		buf_put_u8(b, o->cls.method_len);
		buf_put_u8(b, o->cls.argc);
		buf_put_u32(b, o->cls.indata_len);
		break;
	case OSD_OP_KIND_RAW:
		buf_put(b, o->raw, OP_UNION_LEN);
		break;
	}
	if (!b->oom)				/* pad the union to its size */
		buf_put_zero(b, OP_UNION_LEN - (b->len - start));
	buf_put_u32(b, o->indata_len);		/* payload_len */
}

struct msg *osd_msg_op(const struct osd_request_msg *r)
{
	struct msg *m;
	struct buf *f;
	size_t s;

	if (!r->ops || !r->num_ops || r->num_ops > OSD_MAX_OPS ||
	    (r->num_snaps && !r->snaps))
		return NULL;
	for (uint32_t i = 0; i < r->num_ops; i++)
		if (r->ops[i].indata_len && !r->ops[i].indata)
			return NULL;
	m = msg_new(CEPH_MSG_OSD_OP, OSD_OP_VERSION, OSD_OP_COMPAT);
	if (!m)
		return NULL;
	m->tid = r->tid;
	m->priority = OSD_CLIENT_OP_PRIORITY;
	m->data_off = r->data_off;
	f = &m->front;

	/* decoded by the OSD's messenger thread, before queueing */
	put_spg(f, r->pgid, r->shard);
	buf_put_u32(f, r->hash);
	buf_put_u32(f, r->epoch);
	buf_put_u32(f, r->flags);
	s = buf_struct_begin(f, 2, 2);		/* osd_reqid_t */
	buf_put_u8(f, r->reqid.name.type);
	buf_put_u64(f, r->reqid.name.num);
	buf_put_u64(f, r->reqid.tid);
	buf_put_u32(f, (uint32_t)r->reqid.inc);
	buf_struct_end(f, s);
	buf_put_zero(f, TRACE_LEN);

	/* the rest */
	buf_put_u32(f, r->client_inc);
	buf_put_time(f, r->mtime);
	/* object_locator_t: compat 3 unless a hash must be understood */
	s = buf_struct_begin(f, 6, r->locator_hash != -1 ? 6 : 3);
	buf_put_u64(f, (uint64_t)r->pool);
	buf_put_u32(f, (uint32_t)-1);		/* preferred: none */
	put_str(f, r->key, r->key_len);
	put_str(f, r->nspace, r->nspace_len);
	buf_put_u64(f, (uint64_t)r->locator_hash);
	buf_struct_end(f, s);
	put_str(f, r->oid, r->oid_len);

	buf_put_u16(f, (uint16_t)r->num_ops);
	{
		uint32_t payloads = 0, last = 0;

		for (uint32_t i = 0; i < r->num_ops; i++)
			if (r->ops[i].indata_len) {
				payloads++;
				last = i;
			}
		for (uint32_t i = 0; i < r->num_ops; i++) {
			put_op(f, &r->ops[i]);
			if (r->lend_data && payloads == 1 && i == last) {
				m->ext_data = r->ops[i].indata;
				m->ext_len = r->ops[i].indata_len;
			} else {
				buf_put(&m->data, r->ops[i].indata,
					r->ops[i].indata_len);
			}
		}
	}
	buf_put_u64(f, r->snapid);
	buf_put_u64(f, r->snap_seq);
	buf_put_u32(f, r->num_snaps);
	for (uint32_t i = 0; i < r->num_snaps; i++)
		buf_put_u64(f, r->snaps[i]);
	buf_put_u32(f, (uint32_t)r->attempts);
	buf_put_u64(f, r->features);
	return finish(m);
}

static void put_hobject(struct buf *b, const struct osd_hobject *h)
{
	size_t s = buf_struct_begin(b, 4, 3);

	put_str(b, h->key, h->key_len);
	put_str(b, h->oid, h->oid_len);
	buf_put_u64(b, h->snapid);
	buf_put_u32(b, h->hash);
	buf_put_u8(b, h->is_max ? 1 : 0);
	put_str(b, h->nspace, h->nspace_len);
	buf_put_u64(b, (uint64_t)h->pool);
	buf_struct_end(b, s);
}

static struct msg *backoff_msg(const struct osd_backoff *b, uint8_t op,
			       uint32_t epoch)
{
	struct msg *m = msg_new(CEPH_MSG_OSD_BACKOFF, OSD_BACKOFF_VERSION,
				OSD_BACKOFF_COMPAT);

	if (!m)
		return NULL;
	put_spg(&m->front, b->pgid, b->shard);
	buf_put_u32(&m->front, epoch);
	buf_put_u8(&m->front, op);
	buf_put_u64(&m->front, b->id);
	put_hobject(&m->front, &b->begin);
	put_hobject(&m->front, &b->end);
	return finish(m);
}

struct msg *osd_msg_backoff(const struct osd_backoff *b)
{
	return backoff_msg(b, b->op, b->map_epoch);
}

struct msg *osd_msg_backoff_ack(const struct osd_backoff *b, uint32_t epoch)
{
	return backoff_msg(b, CEPH_OSD_BACKOFF_OP_ACK_BLOCK, epoch);
}

/* ---- decoding ---- */

/* A string view; an empty one is "" so that it can be re-encoded. */
static int get_str(struct dec *d, const char **s, uint32_t *len)
{
	if (dec_str_view(d, s, len))
		return -EBADMSG;
	if (!*len)
		*s = "";
	return 0;
}

static int get_pg(struct dec *d, struct pg_id *pg)
{
	uint8_t v;
	uint32_t preferred;

	if (dec_u8(d, &v) || dec_u64(d, &pg->pool) || dec_u32(d, &pg->seed) ||
	    dec_u32(d, &preferred))
		return -EBADMSG;
	return 0;
}

static int get_spg(struct dec *d, struct pg_id *pg, int8_t *shard)
{
	struct dec body;
	uint8_t v;
	int r = dec_struct(d, 1, &v, &body);

	if (r)
		return r;
	if (get_pg(&body, pg) || dec_u8(&body, (uint8_t *)shard))
		return -EBADMSG;
	return 0;
}

static int get_eversion(struct dec *d, struct osd_eversion *e)
{
	if (dec_u64(d, &e->version) || dec_u32(d, &e->epoch))
		return -EBADMSG;
	return 0;
}

/* object_locator_t, v3 or later (the kernel refuses older ones too). */
static int get_locator(struct dec *d, struct osd_locator *l)
{
	struct dec body;
	uint8_t v;
	uint32_t preferred;
	int r = dec_struct(d, 6, &v, &body);

	if (r)
		return r;
	if (v < 3)
		return -ENOTSUP;
	if (dec_s64(&body, &l->pool) || dec_u32(&body, &preferred) ||
	    get_str(&body, &l->key, &l->key_len))
		return -EBADMSG;
	l->nspace = "";
	l->nspace_len = 0;
	l->hash = -1;
	if (v >= 5 && get_str(&body, &l->nspace, &l->nspace_len))
		return -EBADMSG;
	if (v >= 6 && dec_s64(&body, &l->hash))
		return -EBADMSG;
	return 0;
}

/* hobject_t v4 (what every OSD since Luminous sends). */
static int get_hobject(struct dec *d, struct osd_hobject *h)
{
	struct dec body;
	uint8_t v, max;
	int r = dec_struct(d, 4, &v, &body);

	if (r)
		return r;
	if (v < 4)
		return -ENOTSUP;
	if (get_str(&body, &h->key, &h->key_len) ||
	    get_str(&body, &h->oid, &h->oid_len) ||
	    dec_u64(&body, &h->snapid) || dec_u32(&body, &h->hash) ||
	    dec_u8(&body, &max) ||
	    get_str(&body, &h->nspace, &h->nspace_len) ||
	    dec_s64(&body, &h->pool))
		return -EBADMSG;
	h->is_max = max != 0;
	return 0;
}

/* One ceph_osd_op: *payload_len is its request or reply payload. */
static int get_op(struct dec *d, struct osd_op *o, uint32_t *payload_len)
{
	struct dec u;

	memset(o, 0, sizeof(*o));
	if (dec_u16(d, &o->op) || dec_u32(d, &o->flags) ||
	    dec_bytes(d, o->raw, OP_UNION_LEN) || dec_u32(d, payload_len))
		return -EBADMSG;
	dec_init(&u, o->raw, OP_UNION_LEN);	/* 28 bytes: reads below fit */
	switch (osd_op_kind(o->op)) {
	case OSD_OP_KIND_EXTENT:
		dec_u64(&u, &o->offset);
		dec_u64(&u, &o->length);
		dec_u64(&u, &o->truncate_size);
		dec_u32(&u, &o->truncate_seq);
		break;
	case OSD_OP_KIND_XATTR:
		dec_u32(&u, &o->xattr.name_len);
		dec_u32(&u, &o->xattr.value_len);
		dec_u8(&u, &o->xattr.cmp_op);
		dec_u8(&u, &o->xattr.cmp_mode);
		break;
	case OSD_OP_KIND_CLS:
		dec_u8(&u, &o->cls.class_len);
		dec_u8(&u, &o->cls.method_len);
		dec_u8(&u, &o->cls.argc);
		dec_u32(&u, &o->cls.indata_len);
		break;
	case OSD_OP_KIND_RAW:
		break;
	}
	return 0;
}

/* Cuts the ops' payloads out of a data section, in order; they must
 * cover it exactly. `in` picks indata (request) or outdata (reply). */
static int split_data(const struct buf *data, struct osd_op *ops,
		      const uint32_t *lens, uint32_t n, bool in)
{
	uint64_t off = 0;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = NULL;

		if (lens[i] > data->len - off)
			return -EBADMSG;
		if (lens[i])
			p = data->data + off;
		if (in) {
			ops[i].indata = p;
			ops[i].indata_len = lens[i];
		} else {
			ops[i].outdata = p;
			ops[i].outdata_len = lens[i];
		}
		off += lens[i];
	}
	return off == data->len ? 0 : -EBADMSG;
}

int osd_op_decode(const struct msg *m, struct osd_request_msg *out,
		  struct osd_op *ops, uint32_t max_ops, uint64_t *snaps,
		  uint32_t max_snaps)
{
	uint32_t lens[OSD_MAX_OPS];
	struct osd_locator l;
	struct dec d, body;
	uint16_t num_ops;
	uint8_t v;
	int r;

	memset(out, 0, sizeof(*out));
	if (m->version != OSD_OP_VERSION)
		return -ENOTSUP;
	out->tid = m->tid;
	out->data_off = m->data_off;
	dec_init(&d, m->front.data, m->front.len);
	r = get_spg(&d, &out->pgid, &out->shard);
	if (r)
		return r;
	if (dec_u32(&d, &out->hash) || dec_u32(&d, &out->epoch) ||
	    dec_u32(&d, &out->flags))
		return -EBADMSG;
	r = dec_struct(&d, 2, &v, &body);	/* osd_reqid_t */
	if (r)
		return r;
	if (dec_u8(&body, &out->reqid.name.type) ||
	    dec_u64(&body, &out->reqid.name.num) ||
	    dec_u64(&body, &out->reqid.tid) ||
	    dec_s32(&body, &out->reqid.inc))
		return -EBADMSG;
	if (dec_skip(&d, TRACE_LEN) || dec_u32(&d, &out->client_inc) ||
	    dec_time(&d, &out->mtime))
		return -EBADMSG;
	r = get_locator(&d, &l);
	if (r)
		return r;
	out->pool = l.pool;
	out->key = l.key;
	out->key_len = l.key_len;
	out->nspace = l.nspace;
	out->nspace_len = l.nspace_len;
	out->locator_hash = l.hash;
	if (get_str(&d, &out->oid, &out->oid_len) || dec_u16(&d, &num_ops))
		return -EBADMSG;
	if (num_ops > max_ops || num_ops > OSD_MAX_OPS ||
	    dec_need(&d, (size_t)num_ops * OP_LEN))
		return -EBADMSG;
	for (uint32_t i = 0; i < num_ops; i++)
		if (get_op(&d, &ops[i], &lens[i]))
			return -EBADMSG;
	if (split_data(&m->data, ops, lens, num_ops, true))
		return -EBADMSG;
	out->ops = ops;
	out->num_ops = num_ops;

	if (dec_u64(&d, &out->snapid) || dec_u64(&d, &out->snap_seq) ||
	    dec_count(&d, 8, &out->num_snaps) || out->num_snaps > max_snaps)
		return -EBADMSG;
	for (uint32_t i = 0; i < out->num_snaps; i++)
		dec_u64(&d, &snaps[i]);		/* dec_count vouched for them */
	out->snaps = snaps;
	if (dec_s32(&d, &out->attempts) || dec_u64(&d, &out->features))
		return -EBADMSG;
	return 0;
}

/* request_redirect_t: a locator, an object name and the length of a
 * retired field whose bytes are skipped. */
static int get_redirect(struct dec *d, struct osd_reply *out)
{
	struct dec body;
	uint32_t legacy;
	uint8_t v;
	int r = dec_struct(d, 1, &v, &body);

	if (r)
		return r;
	r = get_locator(&body, &out->redirect_oloc);
	if (r)
		return r;
	if (get_str(&body, &out->redirect_oid, &out->redirect_oid_len) ||
	    dec_u32(&body, &legacy) || dec_skip(&body, legacy))
		return -EBADMSG;
	return 0;
}

int osd_reply_decode(const struct msg *m, struct osd_reply *out)
{
	uint32_t lens[OSD_MAX_OPS];
	uint16_t ver = m->version;
	struct dec d;
	int r;

	memset(out, 0, sizeof(*out));
	if (ver < 2 || (ver > OSD_OPREPLY_MAX_VERSION &&
			m->compat_version > OSD_OPREPLY_MAX_VERSION))
		return -ENOTSUP;
	out->tid = m->tid;
	out->redirect_oloc.pool = -1;
	out->redirect_oloc.key = out->redirect_oloc.nspace = "";
	out->redirect_oloc.hash = -1;
	out->redirect_oid = "";
	dec_init(&d, m->front.data, m->front.len);
	if (get_str(&d, &out->oid, &out->oid_len) || get_pg(&d, &out->pgid) ||
	    dec_u64(&d, &out->flags) || dec_s32(&d, &out->result) ||
	    get_eversion(&d, &out->bad_replay_version) ||
	    dec_u32(&d, &out->epoch) || dec_u32(&d, &out->num_ops))
		return -EBADMSG;
	if (out->num_ops > OSD_MAX_OPS ||
	    dec_need(&d, (size_t)out->num_ops * OP_LEN))
		return -EBADMSG;
	for (uint32_t i = 0; i < out->num_ops; i++)
		if (get_op(&d, &out->ops[i], &lens[i]))
			return -EBADMSG;

	out->retry_attempt = -1;
	if (ver >= 3 && dec_s32(&d, &out->retry_attempt))
		return -EBADMSG;
	if (ver >= 4) {
		for (uint32_t i = 0; i < out->num_ops; i++)
			if (dec_s32(&d, &out->ops[i].rval))
				return -EBADMSG;
		if (split_data(&m->data, out->ops, lens, out->num_ops, false))
			return -EBADMSG;
	}
	if (ver >= 5) {
		if (get_eversion(&d, &out->replay_version) ||
		    dec_u64(&d, &out->user_version))
			return -EBADMSG;
	} else {
		out->replay_version = out->bad_replay_version;
		out->user_version = out->replay_version.version;
	}
	if (ver == 6) {				/* always there, maybe empty */
		r = get_redirect(&d, out);
		if (r)
			return r;
		out->redirect = out->redirect_oloc.pool != -1 ||
				out->redirect_oid_len;
	} else if (ver >= 7) {
		int redirect;

		if (dec_bool(&d, &redirect))
			return -EBADMSG;
		if (redirect) {
			r = get_redirect(&d, out);
			if (r)
				return r;
			out->redirect = true;
		}
	}
	/* v8 ends with the blkin trace; v9 puts a QoS phase before it and v10
	   a temperature after it, neither of which a client uses */
	if (ver == 8 && dec_skip(&d, TRACE_LEN))
		return -EBADMSG;
	return 0;
}

int osd_backoff_decode(const uint8_t *front, size_t n, struct osd_backoff *out)
{
	struct dec d;
	int r;

	memset(out, 0, sizeof(*out));
	dec_init(&d, front, n);
	r = get_spg(&d, &out->pgid, &out->shard);
	if (r)
		return r;
	if (dec_u32(&d, &out->map_epoch) || dec_u8(&d, &out->op) ||
	    dec_u64(&d, &out->id))
		return -EBADMSG;
	r = get_hobject(&d, &out->begin);
	if (!r)
		r = get_hobject(&d, &out->end);
	return r;
}

/* ---- hobject order ---- */

static uint32_t reverse_bits(uint32_t v)
{
	v = (v >> 1 & 0x55555555u) | (v & 0x55555555u) << 1;
	v = (v >> 2 & 0x33333333u) | (v & 0x33333333u) << 2;
	v = (v >> 4 & 0x0f0f0f0fu) | (v & 0x0f0f0f0fu) << 4;
	v = (v >> 8 & 0x00ff00ffu) | (v & 0x00ff00ffu) << 8;
	return v >> 16 | v << 16;
}

/* Byte-wise, a prefix before the longer string. */
static int compare_bytes(const char *a, uint32_t alen, const char *b,
			 uint32_t blen)
{
	int c;

	alen = str_len(a, alen);
	blen = str_len(b, blen);
	c = memcmp(a ? a : "", b ? b : "", alen < blen ? alen : blen);
	if (c)
		return c < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

int osd_hobject_compare(const struct osd_hobject *a,
			const struct osd_hobject *b)
{
	uint64_t ka, kb;
	int c;

	if (a->is_max != b->is_max)
		return a->is_max ? 1 : -1;
	if (a->pool != b->pool)
		return a->pool < b->pool ? -1 : 1;
	ka = a->is_max ? 0x100000000ull : reverse_bits(a->hash);
	kb = b->is_max ? 0x100000000ull : reverse_bits(b->hash);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	c = compare_bytes(a->nspace, a->nspace_len, b->nspace, b->nspace_len);
	if (c)
		return c;
	/* the key when there is one, else the name */
	if (str_len(a->key, a->key_len))
		c = str_len(b->key, b->key_len) ?
		    compare_bytes(a->key, a->key_len, b->key, b->key_len) :
		    compare_bytes(a->key, a->key_len, b->oid, b->oid_len);
	else
		c = str_len(b->key, b->key_len) ?
		    compare_bytes(a->oid, a->oid_len, b->key, b->key_len) :
		    compare_bytes(a->oid, a->oid_len, b->oid, b->oid_len);
	if (c)
		return c;
	c = compare_bytes(a->oid, a->oid_len, b->oid, b->oid_len);
	if (c)
		return c;
	if (a->snapid != b->snapid)
		return a->snapid < b->snapid ? -1 : 1;
	return 0;
}

/* ---- names ---- */

const char *osd_op_name(uint16_t op)
{
	switch (op) {
	case CEPH_OSD_OP_READ:			return "read";
	case CEPH_OSD_OP_STAT:			return "stat";
	case CEPH_OSD_OP_MAPEXT:		return "mapext";
	case CEPH_OSD_OP_MASKTRUNC:		return "masktrunc";
	case CEPH_OSD_OP_SPARSE_READ:		return "sparse-read";
	case CEPH_OSD_OP_NOTIFY:		return "notify";
	case CEPH_OSD_OP_NOTIFY_ACK:		return "notify-ack";
	case CEPH_OSD_OP_ASSERT_VER:		return "assert-version";
	case CEPH_OSD_OP_LIST_WATCHERS:		return "list-watchers";
	case CEPH_OSD_OP_LIST_SNAPS:		return "list-snaps";
	case CEPH_OSD_OP_SYNC_READ:		return "sync_read";
	case CEPH_OSD_OP_TMAPGET:		return "tmapget";
	case CEPH_OSD_OP_OMAPGETKEYS:		return "omap-get-keys";
	case CEPH_OSD_OP_OMAPGETVALS:		return "omap-get-vals";
	case CEPH_OSD_OP_OMAPGETHEADER:		return "omap-get-header";
	case CEPH_OSD_OP_OMAPGETVALSBYKEYS:	return "omap-get-vals-by-keys";
	case CEPH_OSD_OP_OMAP_CMP:		return "omap-cmp";
	case CEPH_OSD_OP_ISDIRTY:		return "isdirty";
	case CEPH_OSD_OP_CHECKSUM:		return "checksum";
	case CEPH_OSD_OP_CMPEXT:		return "cmpext";
	case CEPH_OSD_OP_WRITE:			return "write";
	case CEPH_OSD_OP_WRITEFULL:		return "writefull";
	case CEPH_OSD_OP_TRUNCATE:		return "truncate";
	case CEPH_OSD_OP_ZERO:			return "zero";
	case CEPH_OSD_OP_DELETE:		return "delete";
	case CEPH_OSD_OP_APPEND:		return "append";
	case CEPH_OSD_OP_STARTSYNC:		return "startsync";
	case CEPH_OSD_OP_SETTRUNC:		return "settrunc";
	case CEPH_OSD_OP_TRIMTRUNC:		return "trimtrunc";
	case CEPH_OSD_OP_TMAPPUT:		return "tmapput";
	case CEPH_OSD_OP_TMAPUP:		return "tmapup";
	case CEPH_OSD_OP_CREATE:		return "create";
	case CEPH_OSD_OP_ROLLBACK:		return "rollback";
	case CEPH_OSD_OP_WATCH:			return "watch";
	case CEPH_OSD_OP_OMAPSETVALS:		return "omap-set-vals";
	case CEPH_OSD_OP_OMAPSETHEADER:		return "omap-set-header";
	case CEPH_OSD_OP_OMAPCLEAR:		return "omap-clear";
	case CEPH_OSD_OP_OMAPRMKEYS:		return "omap-rm-keys";
	case CEPH_OSD_OP_COPY_FROM:		return "copy-from";
	case CEPH_OSD_OP_COPY_FROM2:		return "copy-from2";
	case CEPH_OSD_OP_UNDIRTY:		return "undirty";
	case CEPH_OSD_OP_SETALLOCHINT:		return "set-alloc-hint";
	case CEPH_OSD_OP_GETXATTR:		return "getxattr";
	case CEPH_OSD_OP_GETXATTRS:		return "getxattrs";
	case CEPH_OSD_OP_CMPXATTR:		return "cmpxattr";
	case CEPH_OSD_OP_SETXATTR:		return "setxattr";
	case CEPH_OSD_OP_SETXATTRS:		return "setxattrs";
	case CEPH_OSD_OP_RESETXATTRS:		return "resetxattrs";
	case CEPH_OSD_OP_RMXATTR:		return "rmxattr";
	case CEPH_OSD_OP_CALL:			return "call";
	case CEPH_OSD_OP_PGLS:			return "pgls";
	case CEPH_OSD_OP_PGLS_FILTER:		return "pgls-filter";
	case CEPH_OSD_OP_PGNLS:			return "pgnls";
	case CEPH_OSD_OP_PGNLS_FILTER:		return "pgnls-filter";
	default:				return "???";
	}
}

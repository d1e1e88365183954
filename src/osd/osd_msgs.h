/* Encoders and decoders of the OSD op messages: MOSDOp (42, v8), its reply
 * MOSDOpReply (43, v2 to v10; Pacific OSDs send v8) and MOSDBackoff (61,
 * v1), byte-exact with what ceph-fuse 16.2.15 sends. Pure functions:
 * builders return a new struct msg (NULL when out of memory or given
 * something that cannot be encoded); decoders fill a struct with values and
 * views into the message they were given (valid while it is) and return 0,
 * -EBADMSG for short or malformed input, -ENOTSUP for an encoding older or
 * newer than we understand.
 *
 * MOSDOp v8 front, in order: spg_t (the PG after stable_mod, and a shard),
 * the object's full 32-bit hash, the OSD map epoch, flags, osd_reqid_t,
 * a blkin trace (24 bytes, zero), client_inc, mtime, object_locator_t
 * (v6 compat 3: pool, -1, key, nspace, hash -1), the object name, u16 op
 * count and the 38-byte ceph_osd_op of each, snapid, the write snap
 * context (seq and snaps), retry_attempt, our features. Each op's request
 * payload (a write's bytes, an xattr's name and value, a class call's
 * class, method and input) goes into the data section, one after the other,
 * with payload_len saying how much is whose. A reply's ops carry the
 * length of their output the same way. */
#ifndef SIPHON_OSD_OSD_MSGS_H
#define SIPHON_OSD_OSD_MSGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding/dec.h"
#include "encoding/entity.h"
#include "msg/msg.h"
#include "osd/osdmap.h"
#include "osd/rados.h"

#define OSD_OP_VERSION		8	/* MOSDOp header version we send */
#define OSD_OP_COMPAT		3
#define OSD_OPREPLY_MAX_VERSION	10	/* newest MOSDOpReply we decode */
#define OSD_BACKOFF_VERSION	1
#define OSD_BACKOFF_COMPAT	1
/* Header priority of client ops (osd_client_op_priority; ceph-fuse's). */
#define OSD_CLIENT_OP_PRIORITY	63
/* Most ops in one message that we encode or decode. */
#define OSD_MAX_OPS		64
/* spg_t shard of a replicated pool's PG (shard_id_t::NO_SHARD). */
#define OSD_NO_SHARD		((int8_t)-1)

/* How the 28 op-dependent bytes of a ceph_osd_op are laid out. */
enum osd_op_kind {
	OSD_OP_KIND_RAW,	/* anything else: `raw` as is (zero for STAT,
				   CREATE, DELETE...) */
	OSD_OP_KIND_EXTENT,	/* offset, length, truncate_size, truncate_seq */
	OSD_OP_KIND_XATTR,	/* xattr.* */
	OSD_OP_KIND_CLS,	/* cls.* (CALL) */
};

/* The layout an op code uses: EXTENT for READ, SPARSE_READ, SYNC_READ,
 * MAPEXT, MASKTRUNC, CMPEXT, WRITE, WRITEFULL, APPEND, TRUNCATE, ZERO,
 * SETTRUNC, TRIMTRUNC; XATTR for GETXATTR, SETXATTR, CMPXATTR, RMXATTR;
 * CLS for CALL; RAW for the rest. */
enum osd_op_kind osd_op_kind(uint16_t op);

/* One operation of a request or a reply. Zero-initialise, then fill what
 * the op's kind uses. */
struct osd_op {
	uint16_t op;			/* CEPH_OSD_OP_* */
	uint32_t flags;			/* CEPH_OSD_OP_FLAG_* (EXCL for an exclusive
					   CREATE) */
	/* OSD_OP_KIND_EXTENT */
	uint64_t offset, length, truncate_size;
	uint32_t truncate_seq;
	/* OSD_OP_KIND_XATTR: name and value follow in indata */
	struct {
		uint32_t name_len, value_len;
		uint8_t cmp_op, cmp_mode;	/* CEPH_OSD_CMPXATTR_* */
	} xattr;
	/* OSD_OP_KIND_CLS: class, method and input follow in indata */
	struct {
		uint8_t class_len, method_len, argc;
		uint32_t indata_len;
	} cls;
	/* OSD_OP_KIND_RAW: the bytes as on the wire. Decoders fill it for
	   every op. */
	uint8_t raw[28];
	/* Request payload, not owned: appended to the message's data
	   section; its length is the op's payload_len. A decoded MOSDOp
	   points it into the message's data. */
	const void *indata;
	uint32_t indata_len;
	/* Reply: the op's result and its output, a view into the reply's
	   data section (NULL when outdata_len is 0). */
	int32_t rval;
	uint32_t outdata_len;
	const uint8_t *outdata;
};

/* osd_reqid_t. ceph-fuse (the Objecter) and the kernel send it all zero:
 * the OSD then names the request by the message's source, client_inc and
 * the header tid. */
struct osd_reqid {
	struct entity_name name;
	uint64_t tid;
	int32_t inc;
};

struct osd_eversion {
	uint64_t version;
	uint32_t epoch;
};

/* Strings below are (pointer, length) pairs: a builder takes the length
 * when it is nonzero and strlen() of the pointer otherwise (NULL = ""); a
 * decoder sets both, with a view that is not NUL-terminated (or "" for an
 * empty string). */

/* An MOSDOp. */
struct osd_request_msg {
	uint64_t tid;			/* header tid */
	uint16_t data_off;		/* header data_off: a hint for aligning
					   the data section. ceph-fuse sends 0;
					   the kernel the low 16 bits of a
					   write's file offset */
	struct pg_id pgid;		/* the PG, after stable_mod */
	int8_t shard;			/* OSD_NO_SHARD for replicated pools */
	uint32_t hash;			/* the object's full 32-bit hash */
	uint32_t epoch;			/* our OSD map epoch */
	uint32_t flags;			/* CEPH_OSD_FLAG_* */
	struct osd_reqid reqid;		/* zero, see above */
	uint32_t client_inc;		/* 0 */
	struct sp_time mtime;		/* writes: the client's time; else 0 */
	/* object_locator_t */
	int64_t pool;
	const char *key;		/* "" */
	uint32_t key_len;
	const char *nspace;		/* the layout's pool namespace or "" */
	uint32_t nspace_len;
	int64_t locator_hash;		/* -1: hash the name (set with an empty
					   oid only) */
	const char *oid;		/* "10000000001.00000000" */
	uint32_t oid_len;
	uint64_t snapid;		/* CEPH_NOSNAP, or the snapshot read */
	uint64_t snap_seq;		/* write snap context: seq and snaps */
	const uint64_t *snaps;		/* (newest first) */
	uint32_t num_snaps;
	int32_t attempts;		/* retry_attempt: 0 on the first send */
	uint64_t features;		/* our features (ceph-fuse sends the
					   connection's) */
	const struct osd_op *ops;
	uint32_t num_ops;		/* 1..OSD_MAX_OPS */
	/* Lend instead of copy: when exactly one op carries a payload, the
	 * message's data section points at it (msg->ext_data); the caller
	 * keeps it valid until the message is freed (msg->data_done). */
	bool lend_data;
};

/* MOSDOp v8, header version 8 compat 3, priority OSD_CLIENT_OP_PRIORITY,
 * with every op's indata concatenated into the data section. NULL when out
 * of memory or for num_ops 0 or > OSD_MAX_OPS. */
struct msg *osd_msg_op(const struct osd_request_msg *r);

/* Decodes an MOSDOp v8 (for tests and tools; an OSD client never
 * receives one): fills *out, with ops[0..num_ops) (indata views into
 * m->data) and snaps[0..num_snaps) in caller storage. -EBADMSG also when
 * there are more than max_ops ops or max_snaps snaps, -ENOTSUP for another
 * header version. */
int osd_op_decode(const struct msg *m, struct osd_request_msg *out,
		  struct osd_op *ops, uint32_t max_ops, uint64_t *snaps,
		  uint32_t max_snaps);

/* object_locator_t as decoded from a redirect. */
struct osd_locator {
	int64_t pool;
	const char *key;
	uint32_t key_len;
	const char *nspace;
	uint32_t nspace_len;
	int64_t hash;			/* -1 */
};

/* An MOSDOpReply. */
struct osd_reply {
	uint64_t tid;			/* header tid: the request's */
	const char *oid;
	uint32_t oid_len;
	struct pg_id pgid;		/* the PG the OSD handled it in */
	uint64_t flags;			/* the request's, with ONDISK or ACK */
	int32_t result;			/* 0 or a negative errno */
	struct osd_eversion bad_replay_version;
	uint32_t epoch;			/* the OSD's map epoch */
	uint32_t num_ops;
	struct osd_op ops[OSD_MAX_OPS];	/* op, flags, the echoed fields, rval
					   (v4+) and outdata */
	int32_t retry_attempt;		/* the request's attempts, -1 before v3 */
	struct osd_eversion replay_version;
	uint64_t user_version;		/* the object's version after the op */
	bool redirect;			/* resend to redirect_oloc/redirect_oid */
	struct osd_locator redirect_oloc;
	const char *redirect_oid;	/* empty: keep the object name */
	uint32_t redirect_oid_len;
};

/* Decodes m (type 43, header version 2..10; fields after the redirect of
 * v9 and later are skipped). Every op's outdata is cut from m->data in
 * order; their lengths must add up to the data section's length. Views
 * point into m. */
int osd_reply_decode(const struct msg *m, struct osd_reply *out);

/* hobject_t (v4). Strings are views as above. */
struct osd_hobject {
	const char *key;
	uint32_t key_len;
	const char *oid;
	uint32_t oid_len;
	uint64_t snapid;
	uint32_t hash;
	bool is_max;
	const char *nspace;
	uint32_t nspace_len;
	int64_t pool;
};

/* Orders hobjects the way the OSD sorts them (bitwise: max last, then
 * pool, the bit-reversed hash, nspace, key or else name, name, snapid);
 * a backoff covers [begin, end) in this order, or begin alone when
 * begin == end. */
int osd_hobject_compare(const struct osd_hobject *a,
			const struct osd_hobject *b);

/* An MOSDBackoff: the OSD asks us to hold (BLOCK) or lets go (UNBLOCK)
 * requests to objects in [begin, end) of one PG; we answer a BLOCK with
 * an ACK_BLOCK carrying the same id and range. */
struct osd_backoff {
	struct pg_id pgid;
	int8_t shard;
	uint32_t map_epoch;
	uint8_t op;			/* CEPH_OSD_BACKOFF_OP_* */
	uint64_t id;			/* unique within the OSD session */
	struct osd_hobject begin, end;	/* views into the front */
};

int osd_backoff_decode(const uint8_t *front, size_t n,
		       struct osd_backoff *out);
/* Any MOSDBackoff (b->op as given). */
struct msg *osd_msg_backoff(const struct osd_backoff *b);
/* The ACK_BLOCK for BLOCK b. Objecter and the kernel ack with the BLOCK's
 * own map_epoch (b->map_epoch) so that the OSD can tell an ack from
 * before a PG split; `epoch` is what is sent. */
struct msg *osd_msg_backoff_ack(const struct osd_backoff *b, uint32_t epoch);

/* Ceph's name of an op code ("read", "writefull", "sparse-read"), or
 * "???" for an unknown one. For logs. */
const char *osd_op_name(uint16_t op);

#endif

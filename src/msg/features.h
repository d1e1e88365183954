/* Ceph feature bits the messenger negotiates (CEPH_FEATURE_*). Only the
 * bits siphon's code looks at are named; the advertised set is below. */
#ifndef SIPHON_MSG_FEATURES_H
#define SIPHON_MSG_FEATURES_H

#include <stdint.h>

#define CEPH_FEATURE_NOSRCADDR       (1ULL << 1)
#define CEPH_FEATURE_RECONNECT_SEQ   (1ULL << 6)
#define CEPH_FEATURE_PGID64          (1ULL << 9)
#define CEPH_FEATURE_PGPOOL3         (1ULL << 11)
#define CEPH_FEATURE_OSDENC          (1ULL << 13)
#define CEPH_FEATURE_MONENC          (1ULL << 15)
#define CEPH_FEATURE_MSG_AUTH        (1ULL << 23)
#define CEPH_FEATURE_MSGR_KEEPALIVE2 (1ULL << 42)
#define CEPH_FEATURE_MON_STATEFUL_SUB (1ULL << 57)
#define CEPH_FEATURE_MSG_ADDR2       (1ULL << 59)
#define CEPH_FEATURE_CEPHX_V2        (1ULL << 61)

/* What siphon advertises: the same set as a Pacific 16.2.15 client
 * (ceph-fuse sends exactly this on connect, as seen on the wire). With
 * it, monitors, MDSs and OSDs use their current encodings (address
 * vectors, OSDMap client data v9, MOSDOp v8, versioned reply stats), and
 * siphon decodes those; older encodings are decoded too where a peer
 * still sends them. */
#define SIPHON_FEATURES_SUPPORTED 0x3f01cfbdfffdffffULL

/* A peer lacking any of these is refused on connect. */
#define SIPHON_FEATURES_REQUIRED                                   \
	(CEPH_FEATURE_NOSRCADDR | CEPH_FEATURE_RECONNECT_SEQ |     \
	 CEPH_FEATURE_PGID64 | CEPH_FEATURE_PGPOOL3 | CEPH_FEATURE_OSDENC)

#endif

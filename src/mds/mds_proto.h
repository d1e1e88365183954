/* Wire constants of the MDS client messages that mds/ceph_fs.h does not
 * already give: session ops and flags, snap ops, caps message flags, the
 * message and request-head versions siphon sends. Names are Ceph's. MDS
 * ops, cap bits and ops, lease actions, request flags, setattr masks and
 * most CephFS feature bits come from mds/ceph_fs.h, included here. */
#ifndef SIPHON_MDS_MDS_PROTO_H
#define SIPHON_MDS_MDS_PROTO_H

#include "mds/ceph_fs.h"

/* MClientSession ops */
#define CEPH_SESSION_REQUEST_OPEN      0
#define CEPH_SESSION_OPEN              1
#define CEPH_SESSION_REQUEST_CLOSE     2
#define CEPH_SESSION_CLOSE             3
#define CEPH_SESSION_REQUEST_RENEWCAPS 4
#define CEPH_SESSION_RENEWCAPS         5
#define CEPH_SESSION_STALE             6
#define CEPH_SESSION_RECALL_STATE      7
#define CEPH_SESSION_FLUSHMSG          8
#define CEPH_SESSION_FLUSHMSG_ACK      9
#define CEPH_SESSION_FORCE_RO          10
#define CEPH_SESSION_REJECT            11
#define CEPH_SESSION_REQUEST_FLUSH_MDLOG 12

/* MClientSession v5 flags */
#define CEPH_SESSION_BLOCKLISTED       (1u << 0)

/* Header versions of the messages as a 16.2.15 client sends them. */
#define MDS_SESSION_OPEN_VERSION   5	/* REQUEST_OPEN with metadata */
#define MDS_SESSION_PLAIN_VERSION  1	/* every other op: the head only */
#define MDS_REQUEST_VERSION        5
#define MDS_CAPS_VERSION           11
#define MDS_CAP_RELEASE_VERSION    2
#define MDS_LEASE_VERSION          1
#define MDS_RECONNECT_VERSION      5
#define MDS_RECONNECT_COMPAT       4

/* ceph_mds_request_head versions: 1 = the legacy fields after a u16
 * version; 2 adds u32 ext_num_retry/ext_num_fwd (peer feature 18);
 * 3 (Reef+) adds struct_len and owner uid/gid. */
#define CEPH_MDS_REQUEST_HEAD_VERSION_LEGACY 1
#define CEPH_MDS_REQUEST_HEAD_VERSION_EXT    2

/* MClientCaps v10 flags */
#define CEPH_CLIENT_CAPS_SYNC            (1u << 0)
#define CEPH_CLIENT_CAPS_NO_CAPSNAP      (1u << 1)
#define CEPH_CLIENT_CAPS_PENDING_CAPSNAP (1u << 2)

/* MClientSnap ops */
#define CEPH_SNAP_OP_UPDATE  0
#define CEPH_SNAP_OP_CREATE  1
#define CEPH_SNAP_OP_DESTROY 2
#define CEPH_SNAP_OP_SPLIT   3

/* CephFS feature bits later than 16.2.15 (it advertises 0..18) */
#ifndef CEPHFS_FEATURE_NEW_SNAPREALM_INFO
#define CEPHFS_FEATURE_NEW_SNAPREALM_INFO  19
#endif
#ifndef CEPHFS_FEATURE_HAS_OWNER_UIDGID
#define CEPHFS_FEATURE_HAS_OWNER_UIDGID    20
#endif

#endif

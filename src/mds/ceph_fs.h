/* CephFS wire constants shared by the MDS client code: request ops, cap
 * bits, lease masks, readdir and open flags, CephFS feature bits. Only
 * constants live here; the names are Ceph's so they can be looked up in
 * its include/ceph_fs.h and mds/cephfs_features.h. */
#ifndef SIPHON_MDS_CEPH_FS_H
#define SIPHON_MDS_CEPH_FS_H

#include <stdint.h>

/* Well-known inode numbers */
#define CEPH_INO_ROOT		1ULL
#define CEPH_INO_CEPH		2ULL	/* the hidden .ceph directory */
#define CEPH_INO_DOTDOT		3ULL	/* ceph-fuse's parent of the root */
#define CEPH_INO_GLOBAL_SNAPREALM 3ULL	/* the realm of hard-linked inodes */
#define CEPH_INO_SYSTEM_BASE	(1ULL << 40)	/* first non-system inode */

/* snapids */
#define CEPH_NOSNAP		((uint64_t)-2)	/* the live ("head") version */
#define CEPH_SNAPDIR		((uint64_t)-1)	/* the .snap pseudo directory */

/* inline_version of an inode without inline data */
#define CEPH_INLINE_NONE	((uint64_t)-1)

/* ---- MDS request ops (MClientRequest / MClientReply head.op) ---- */
#define CEPH_MDS_OP_WRITE	0x001000	/* set in every mutating op */

#define CEPH_MDS_OP_LOOKUP	0x00100
#define CEPH_MDS_OP_GETATTR	0x00101
#define CEPH_MDS_OP_LOOKUPHASH	0x00102
#define CEPH_MDS_OP_LOOKUPPARENT 0x00103
#define CEPH_MDS_OP_LOOKUPINO	0x00104
#define CEPH_MDS_OP_LOOKUPNAME	0x00105
#define CEPH_MDS_OP_GETVXATTR	0x00106	/* newer MDSs only */
#define CEPH_MDS_OP_GETFILELOCK	0x00110
#define CEPH_MDS_OP_OPEN	0x00302
#define CEPH_MDS_OP_READDIR	0x00305
#define CEPH_MDS_OP_LOOKUPSNAP	0x00400
#define CEPH_MDS_OP_LSSNAP	0x00402

#define CEPH_MDS_OP_SETXATTR	0x01105
#define CEPH_MDS_OP_RMXATTR	0x01106
#define CEPH_MDS_OP_SETLAYOUT	0x01107
#define CEPH_MDS_OP_SETATTR	0x01108
#define CEPH_MDS_OP_SETFILELOCK	0x01109
#define CEPH_MDS_OP_SETDIRLAYOUT 0x0110a
#define CEPH_MDS_OP_MKNOD	0x01201
#define CEPH_MDS_OP_LINK	0x01202
#define CEPH_MDS_OP_UNLINK	0x01203
#define CEPH_MDS_OP_RENAME	0x01204
#define CEPH_MDS_OP_MKDIR	0x01220
#define CEPH_MDS_OP_RMDIR	0x01221
#define CEPH_MDS_OP_SYMLINK	0x01222
#define CEPH_MDS_OP_CREATE	0x01301
#define CEPH_MDS_OP_MKSNAP	0x01400
#define CEPH_MDS_OP_RMSNAP	0x01401
#define CEPH_MDS_OP_RENAMESNAP	0x01403

/* MClientRequest head.flags */
#define CEPH_MDS_FLAG_REPLAY		1
#define CEPH_MDS_FLAG_WANT_DENTRY	2
#define CEPH_MDS_FLAG_ASYNC		4

/* SETFILELOCK / GETFILELOCK args: rule and type */
#define CEPH_LOCK_FCNTL		1
#define CEPH_LOCK_FLOCK		2
#define CEPH_LOCK_FCNTL_INTR	3
#define CEPH_LOCK_FLOCK_INTR	4
#define CEPH_LOCK_SHARED	1
#define CEPH_LOCK_EXCL		2
#define CEPH_LOCK_UNLOCK	4

/* setattr mask (args.setattr.mask) */
#define CEPH_SETATTR_MODE	(1 << 0)
#define CEPH_SETATTR_UID	(1 << 1)
#define CEPH_SETATTR_GID	(1 << 2)
#define CEPH_SETATTR_MTIME	(1 << 3)
#define CEPH_SETATTR_ATIME	(1 << 4)
#define CEPH_SETATTR_SIZE	(1 << 5)
#define CEPH_SETATTR_CTIME	(1 << 6)
#define CEPH_SETATTR_MTIME_NOW	(1 << 7)
#define CEPH_SETATTR_ATIME_NOW	(1 << 8)
#define CEPH_SETATTR_BTIME	(1 << 9)
#define CEPH_SETATTR_KILL_SGUID	(1 << 10)

/* setxattr flags */
#define CEPH_XATTR_CREATE	(1 << 0)
#define CEPH_XATTR_REPLACE	(1 << 1)
#define CEPH_XATTR_REMOVE	(1 << 31)

/* readdir request flags (args.readdir.flags) */
#define CEPH_READDIR_REPLY_BITFLAGS	(1 << 0)

/* readdir reply flags (the u16 after the entry count) */
#define CEPH_READDIR_FRAG_END		(1 << 0)
#define CEPH_READDIR_FRAG_COMPLETE	(1 << 8)
#define CEPH_READDIR_HASH_ORDER		(1 << 9)
#define CEPH_READDIR_OFFSET_HASH	(1 << 10)

/* open flags on the wire (octal, Linux values whatever the host) */
#define CEPH_O_RDONLY		00000000
#define CEPH_O_WRONLY		00000001
#define CEPH_O_RDWR		00000002
#define CEPH_O_CREAT		00000100
#define CEPH_O_EXCL		00000200
#define CEPH_O_TRUNC		00001000
#define CEPH_O_LAZY		00020000
#define CEPH_O_DIRECTORY	00200000
#define CEPH_O_NOFOLLOW		00400000

/* file modes the MDS tracks per open file */
#define CEPH_FILE_MODE_PIN	0
#define CEPH_FILE_MODE_RD	1
#define CEPH_FILE_MODE_WR	2
#define CEPH_FILE_MODE_RDWR	3
#define CEPH_FILE_MODE_LAZY	4

/* inode mode bits on the wire: Linux's octal values, whatever the host */
#define CEPH_S_IFMT		0170000
#define CEPH_S_IFSOCK		0140000
#define CEPH_S_IFLNK		0120000
#define CEPH_S_IFREG		0100000
#define CEPH_S_IFBLK		0060000
#define CEPH_S_IFDIR		0040000
#define CEPH_S_IFCHR		0020000
#define CEPH_S_IFIFO		0010000

/* ---- capabilities ---- */
#define CEPH_CAP_PIN		1	/* only keeps the inode known */

/* generic bits, shifted per lock below */
#define CEPH_CAP_GSHARED	1
#define CEPH_CAP_GEXCL		2
#define CEPH_CAP_GCACHE		4
#define CEPH_CAP_GRD		8
#define CEPH_CAP_GWR		16
#define CEPH_CAP_GBUFFER	32
#define CEPH_CAP_GWREXTEND	64
#define CEPH_CAP_GLAZYIO	128

#define CEPH_CAP_SAUTH		2
#define CEPH_CAP_SLINK		4
#define CEPH_CAP_SXATTR		6
#define CEPH_CAP_SFILE		8
#define CEPH_CAP_SFLOCK		20

#define CEPH_CAP_AUTH_SHARED	(CEPH_CAP_GSHARED << CEPH_CAP_SAUTH)	/* As */
#define CEPH_CAP_AUTH_EXCL	(CEPH_CAP_GEXCL << CEPH_CAP_SAUTH)	/* Ax */
#define CEPH_CAP_LINK_SHARED	(CEPH_CAP_GSHARED << CEPH_CAP_SLINK)	/* Ls */
#define CEPH_CAP_LINK_EXCL	(CEPH_CAP_GEXCL << CEPH_CAP_SLINK)	/* Lx */
#define CEPH_CAP_XATTR_SHARED	(CEPH_CAP_GSHARED << CEPH_CAP_SXATTR)	/* Xs */
#define CEPH_CAP_XATTR_EXCL	(CEPH_CAP_GEXCL << CEPH_CAP_SXATTR)	/* Xx */
#define CEPH_CAP_FILE_SHARED	(CEPH_CAP_GSHARED << CEPH_CAP_SFILE)	/* Fs */
#define CEPH_CAP_FILE_EXCL	(CEPH_CAP_GEXCL << CEPH_CAP_SFILE)	/* Fx */
#define CEPH_CAP_FILE_CACHE	(CEPH_CAP_GCACHE << CEPH_CAP_SFILE)	/* Fc */
#define CEPH_CAP_FILE_RD	(CEPH_CAP_GRD << CEPH_CAP_SFILE)	/* Fr */
#define CEPH_CAP_FILE_WR	(CEPH_CAP_GWR << CEPH_CAP_SFILE)	/* Fw */
#define CEPH_CAP_FILE_BUFFER	(CEPH_CAP_GBUFFER << CEPH_CAP_SFILE)	/* Fb */
#define CEPH_CAP_FILE_WREXTEND	(CEPH_CAP_GWREXTEND << CEPH_CAP_SFILE)	/* Fl */
#define CEPH_CAP_FILE_LAZYIO	(CEPH_CAP_GLAZYIO << CEPH_CAP_SFILE)	/* FL */
#define CEPH_CAP_FLOCK_SHARED	(CEPH_CAP_GSHARED << CEPH_CAP_SFLOCK)
#define CEPH_CAP_FLOCK_EXCL	(CEPH_CAP_GEXCL << CEPH_CAP_SFLOCK)

#define CEPH_CAP_ANY_SHARED	(CEPH_CAP_AUTH_SHARED | CEPH_CAP_LINK_SHARED | \
				 CEPH_CAP_XATTR_SHARED | CEPH_CAP_FILE_SHARED)
#define CEPH_CAP_ANY_EXCL	(CEPH_CAP_AUTH_EXCL | CEPH_CAP_LINK_EXCL | \
				 CEPH_CAP_XATTR_EXCL | CEPH_CAP_FILE_EXCL)
#define CEPH_CAP_ANY_FILE_RD	(CEPH_CAP_FILE_RD | CEPH_CAP_FILE_CACHE | \
				 CEPH_CAP_FILE_SHARED)
#define CEPH_CAP_ANY_FILE_WR	(CEPH_CAP_FILE_WR | CEPH_CAP_FILE_BUFFER | \
				 CEPH_CAP_FILE_EXCL)
#define CEPH_CAP_ANY_RD		(CEPH_CAP_ANY_SHARED | CEPH_CAP_FILE_RD | \
				 CEPH_CAP_FILE_CACHE)
#define CEPH_CAP_ANY_WR		(CEPH_CAP_ANY_EXCL | CEPH_CAP_ANY_FILE_WR)

/* what a getattr asks for (args.getattr.mask) */
#define CEPH_STAT_CAP_INODE	CEPH_CAP_PIN
#define CEPH_STAT_CAP_MODE	CEPH_CAP_AUTH_SHARED
#define CEPH_STAT_CAP_NLINK	CEPH_CAP_LINK_SHARED
#define CEPH_STAT_CAP_SIZE	CEPH_CAP_FILE_SHARED
#define CEPH_STAT_CAP_XATTR	CEPH_CAP_XATTR_SHARED
#define CEPH_STAT_CAP_INODE_ALL	(CEPH_CAP_PIN | CEPH_CAP_AUTH_SHARED | \
				 CEPH_CAP_LINK_SHARED | CEPH_CAP_FILE_SHARED | \
				 CEPH_CAP_XATTR_SHARED)
#define CEPH_STAT_RSTAT		CEPH_CAP_FILE_WREXTEND

/* ceph_mds_reply_cap.flags */
#define CEPH_CAP_FLAG_AUTH	(1 << 0)	/* issued by the auth MDS */
#define CEPH_CAP_FLAG_RELEASE	(1 << 1)	/* client should release it */

/* cap message ops (MClientCaps) */
#define CEPH_CAP_OP_GRANT	0
#define CEPH_CAP_OP_REVOKE	1
#define CEPH_CAP_OP_TRUNC	2
#define CEPH_CAP_OP_EXPORT	3
#define CEPH_CAP_OP_IMPORT	4
#define CEPH_CAP_OP_UPDATE	5
#define CEPH_CAP_OP_DROP	6
#define CEPH_CAP_OP_FLUSH	7
#define CEPH_CAP_OP_FLUSH_ACK	8
#define CEPH_CAP_OP_FLUSHSNAP	9
#define CEPH_CAP_OP_FLUSHSNAP_ACK 10
#define CEPH_CAP_OP_RELEASE	11
#define CEPH_CAP_OP_RENEW	12

/* ---- dentry leases ---- */
/* LeaseStat.mask: a dentry lease is valid when either bit is set (the
 * old and the new value of the dentry lock bit). */
#define CEPH_LEASE_VALID	(1 | 2)
#define CEPH_LEASE_PRIMARY_LINK	4

/* metadata lock types (also the mask in MClientLease) */
#define CEPH_LOCK_DVERSION	1
#define CEPH_LOCK_DN		2
#define CEPH_LOCK_ISNAP		16
#define CEPH_LOCK_IVERSION	32
#define CEPH_LOCK_IFILE		64
#define CEPH_LOCK_IAUTH		128
#define CEPH_LOCK_ILINK		256
#define CEPH_LOCK_IDFT		512
#define CEPH_LOCK_INEST		1024
#define CEPH_LOCK_IXATTR	2048
#define CEPH_LOCK_IFLOCK	4096
#define CEPH_LOCK_INO		8192
#define CEPH_LOCK_IPOLICY	16384

/* MClientLease actions */
#define CEPH_MDS_LEASE_REVOKE		1
#define CEPH_MDS_LEASE_RELEASE		2
#define CEPH_MDS_LEASE_RENEW		3
#define CEPH_MDS_LEASE_REVOKE_ACK	4

/* ---- CephFS feature bits (session feature_bitset) ---- */
#define CEPHFS_FEATURE_JEWEL			5
#define CEPHFS_FEATURE_KRAKEN			6
#define CEPHFS_FEATURE_LUMINOUS			7
#define CEPHFS_FEATURE_MIMIC			8
#define CEPHFS_FEATURE_REPLY_ENCODING		9	/* versioned stats */
#define CEPHFS_FEATURE_RECLAIM_CLIENT		10
#define CEPHFS_FEATURE_LAZY_CAP_WANTED		11
#define CEPHFS_FEATURE_MULTI_RECONNECT		12
#define CEPHFS_FEATURE_NAUTILUS			12
#define CEPHFS_FEATURE_DELEG_INO		13	/* openc_response_t */
#define CEPHFS_FEATURE_OCTOPUS			13
#define CEPHFS_FEATURE_METRIC_COLLECT		14
#define CEPHFS_FEATURE_ALTERNATE_NAME		15
#define CEPHFS_FEATURE_NOTIFY_SESSION_STATE	16
#define CEPHFS_FEATURE_OP_GETVXATTR		17
#define CEPHFS_FEATURE_32BITS_RETRY_FWD		18

#endif

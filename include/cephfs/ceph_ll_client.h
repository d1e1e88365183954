/* siphon's libcephfs-compatible interface: the statx structure and flags
 * shared by <cephfs/libcephfs.h>. Names and values match libcephfs (Ceph
 * 16, Pacific) so that programs written for it build unchanged; the text
 * is siphon's own. MIT licensed. */
#ifndef CEPH_CEPH_LL_CLIENT_H
#define CEPH_CEPH_LL_CLIENT_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Types of libcephfs's low-level (ll_*) interface: Fh is an open file of
 * that interface (opaque); the inode numbers are those libcephfs uses. */
typedef struct Fh Fh;

typedef struct inodeno_t {
	uint64_t val;
} inodeno_t;

typedef struct _snapid_t {
	uint64_t val;
} snapid_t;

typedef struct vinodeno_t {
	inodeno_t ino;
	snapid_t snapid;
} vinodeno_t;

/* What ceph_statx() and ceph_fstatx() fill in; stx_mask says which
 * fields are valid (CEPH_STATX_* bits). */
struct ceph_statx {
	uint32_t	stx_mask;
	uint32_t	stx_blksize;
	uint32_t	stx_nlink;
	uint32_t	stx_uid;
	uint32_t	stx_gid;
	uint16_t	stx_mode;
	uint64_t	stx_ino;
	uint64_t	stx_size;
	uint64_t	stx_blocks;
	dev_t		stx_dev;
	dev_t		stx_rdev;
	struct timespec	stx_atime;
	struct timespec	stx_ctime;
	struct timespec	stx_mtime;
	struct timespec	stx_btime;
	uint64_t	stx_version;
};

#define CEPH_STATX_MODE		0x00000001U
#define CEPH_STATX_NLINK	0x00000002U
#define CEPH_STATX_UID		0x00000004U
#define CEPH_STATX_GID		0x00000008U
#define CEPH_STATX_RDEV		0x00000010U
#define CEPH_STATX_ATIME	0x00000020U
#define CEPH_STATX_MTIME	0x00000040U
#define CEPH_STATX_CTIME	0x00000080U
#define CEPH_STATX_INO		0x00000100U
#define CEPH_STATX_SIZE		0x00000200U
#define CEPH_STATX_BLOCKS	0x00000400U
#define CEPH_STATX_BASIC_STATS	0x000007ffU
#define CEPH_STATX_BTIME	0x00000800U
#define CEPH_STATX_VERSION	0x00001000U
#define CEPH_STATX_ALL_STATS	0x00001fffU

/* statx flags (the kernel's values where it has them). */
#ifndef AT_STATX_DONT_SYNC
#define AT_STATX_SYNC_TYPE	0x6000
#define AT_STATX_SYNC_AS_STAT	0x0000
#define AT_STATX_FORCE_SYNC	0x2000
#define AT_STATX_DONT_SYNC	0x4000
#endif
#define AT_NO_ATTR_SYNC		AT_STATX_DONT_SYNC

#define CEPH_REQ_FLAG_MASK	(AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC)

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif

#ifdef __cplusplus
}
#endif

#endif

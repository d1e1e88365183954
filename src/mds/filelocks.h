/* The advisory locks (fcntl and flock) this client holds through the MDS,
 * remembered so they can be restated to a restarted MDS in the reconnect
 * message: the new MDS knows only what clients tell it. Pure bookkeeping,
 * guarded by the MDS client's lock. */
#ifndef SIPHON_MDS_FILELOCKS_H
#define SIPHON_MDS_FILELOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "encoding/buf.h"

struct held_lock {
	uint64_t ino;
	uint64_t owner, pid;
	uint64_t start, end;	/* [start, end); end UINT64_MAX: to EOF */
	uint8_t rule;		/* CEPH_LOCK_FCNTL or CEPH_LOCK_FLOCK */
	uint8_t type;		/* CEPH_LOCK_SHARED or CEPH_LOCK_EXCL */
};

struct filelock_table {
	struct held_lock *v;
	size_t n, cap;
};

void filelocks_init(struct filelock_table *t);
void filelocks_destroy(struct filelock_table *t);
/* Records a granted SETFILELOCK (type SHARED, EXCL or UNLOCK) as the MDS
 * applies it: an owner's new fcntl range replaces what it held there
 * (splitting older ranges), a flock replaces the owner's flock. length 0
 * means to the end of the file. Returns 0 or -ENOMEM. */
int filelocks_apply(struct filelock_table *t, uint64_t ino, uint8_t rule,
		    uint8_t type, uint64_t owner, uint64_t pid, uint64_t start,
		    uint64_t length);
/* How many locks are held on ino. */
size_t filelocks_count(const struct filelock_table *t, uint64_t ino);
/* Appends ino's lock state as a reconnect carries it: the fcntl locks
 * (i32 count, ceph_filelock records), then the flock ones. Returns the
 * bytes appended (0 when ino holds no lock: nothing is appended). */
size_t filelocks_encode(const struct filelock_table *t, uint64_t ino,
			struct buf *out);
/* Forgets every lock of ino (the inode's caps are gone). */
void filelocks_forget(struct filelock_table *t, uint64_t ino);

#endif

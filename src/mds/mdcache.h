/* What the client caches of the namespace: inode attributes and
 * directory entries, each remembered with what vouched for it (the cap
 * generation of the inode, a dentry lease or the directory's shared cap)
 * so the MDS client can tell whether it may still be used. Bounded: past
 * max entries the least recently used are dropped (a get or put makes an
 * entry the most recent). Not thread-safe: the MDS client guards it with
 * its lock. */
#ifndef SIPHON_MDS_MDCACHE_H
#define SIPHON_MDS_MDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "mds/reply.h"

/* The recency list every inode and dentry is on, most recently used
 * first; the first member of both, so an entry is its own link. */
struct mdcache_lru {
	struct mdcache_lru *prev, *next;
	uint8_t kind;			/* MDCACHE_INODE or MDCACHE_DENTRY */
};

#define MDCACHE_INODE  1
#define MDCACHE_DENTRY 2

struct mdcache_inode {
	struct mdcache_lru lru;
	uint64_t ino;
	int mds;		/* whose cap vouches */
	unsigned cap_gen;	/* the cap's gen when filled */
	struct mds_inode_stat st;	/* no views or arrays kept */
	/* the xattr map at st.xattr_version (a copy of the encoded blob),
	 * NULL when not known */
	uint8_t *xattrs;
	uint32_t xattrs_len;
	struct mdcache_inode *next;
};

struct mdcache_dentry {
	struct mdcache_lru lru;
	uint64_t dir;
	char *name;
	uint64_t ino;
	int mds;
	uint64_t lease_until_ms;	/* 0: no lease */
	uint32_t lease_ms;		/* its duration, for renewal */
	uint32_t lease_seq;
	bool renewing;			/* a RENEW is on its way */
	unsigned session_gen;		/* the session's cap_gen at grant */
	unsigned dir_cap_gen;		/* the directory cap's gen at fill */
	struct mdcache_dentry *next;
};

struct mdcache {
	struct mdcache_inode **ib;
	struct mdcache_dentry **db;
	size_t nb;			/* buckets in each table */
	size_t ninodes, ndentries, max;
	struct mdcache_lru lru;		/* the list's head */
	uint64_t evictions;
};

/* A regular file's size as Ceph's clients take it: a newer truncate_seq
 * brings its size, smaller or not; within one truncate_seq the size only
 * grows. A stat the MDS built before it took our own writes' size (a reply
 * handled after the ack of our flush) thus never shrinks the file. */
static inline void mds_size_take(uint64_t *size, uint64_t *trunc_size,
				 uint32_t *trunc_seq, uint64_t new_size,
				 uint64_t new_trunc_size, uint32_t new_trunc_seq)
{
	if (new_trunc_seq > *trunc_seq) {
		*trunc_seq = new_trunc_seq;
		*trunc_size = new_trunc_size;
		*size = new_size;
	} else if (new_trunc_seq == *trunc_seq && new_size > *size) {
		*size = new_size;
	}
}

static inline int sp_time_cmp(struct sp_time a, struct sp_time b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

void mdcache_init(struct mdcache *c, size_t max_entries);
void mdcache_destroy(struct mdcache *c);

void mdcache_put_inode(struct mdcache *c, int mds, unsigned cap_gen,
		       const struct mds_inode_stat *st);
struct mdcache_inode *mdcache_get_inode(struct mdcache *c, uint64_t ino);
/* Keeps an inode's xattr blob at version (a copy), or with blob NULL
 * forgets the one kept unless it is at version. */
void mdcache_set_xattrs(struct mdcache_inode *i, uint64_t version,
			const uint8_t *blob, uint32_t len);
void mdcache_drop_inode(struct mdcache *c, uint64_t ino);
void mdcache_drop_inodes(struct mdcache *c);

void mdcache_put_dentry(struct mdcache *c, uint64_t dir, const char *name,
			size_t len, uint64_t ino, int mds,
			uint64_t lease_until_ms, unsigned session_gen,
			unsigned dir_cap_gen);
struct mdcache_dentry *mdcache_get_dentry(struct mdcache *c, uint64_t dir,
					  const char *name, size_t len);
void mdcache_drop_dentry(struct mdcache *c, uint64_t dir, const char *name,
			 size_t len);
/* Drops every entry with this name, in any directory. */
void mdcache_drop_name(struct mdcache *c, const char *name, size_t len);
/* Drops everything learned from one rank (its session is gone). */
void mdcache_drop_mds(struct mdcache *c, int mds);

#endif

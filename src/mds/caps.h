/* The caps this client holds, per inode and per MDS rank: what was issued
 * under which sequence numbers, and which caps wait to be released (sent
 * back in batched MClientCapRelease messages). Not thread-safe: the MDS
 * client guards it with its lock. */
#ifndef SIPHON_MDS_CAPS_H
#define SIPHON_MDS_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mds/mds_msgs.h"

struct conn;

struct cap_entry {
	uint64_t ino;
	int mds;
	uint64_t cap_id;
	uint32_t issued;
	uint32_t seq, issue_seq, mseq;
	uint64_t realm;
	unsigned gen;		/* bumped by every change: cached data
				   taken under an older gen is suspect */
	unsigned shared_gen;	/* bumped when Fs is lost: a directory's
				   cached entries are suspect */
	unsigned recon_gen;	/* the session's recon_gen when the MDS
				   last vouched for the cap: older means
				   not (yet) reconnected to a restarted MDS */
	bool auth;		/* issued by the inode's auth MDS: where
				   requests about the inode go */
	struct cap_entry *next;
};

struct cap_table {
	struct cap_entry **buckets;
	size_t nbuckets;
	size_t count;
	/* caps given back but not yet told to the MDS, per rank */
	struct mds_cap_release_item *pending;
	int *pending_mds;
	size_t npending, cap_pending;
};

void cap_table_init(struct cap_table *t);
void cap_table_destroy(struct cap_table *t);
/* Takes a grant; returns the entry (NULL if it could not be stored). */
struct cap_entry *cap_table_update(struct cap_table *t, int mds, uint64_t ino,
				   uint64_t cap_id, uint32_t issued, uint32_t seq,
				   uint32_t issue_seq, uint32_t mseq,
				   uint64_t realm);
uint32_t cap_table_issued(const struct cap_table *t, int mds, uint64_t ino);
const struct cap_entry *cap_table_find(const struct cap_table *t, int mds,
				       uint64_t ino);
/* Gives back every cap of a session except those keep() says are in use;
 * returns how many were given back. */
size_t cap_table_release_session_except(struct cap_table *t, int mds,
					bool (*keep)(void *arg, uint64_t ino),
					void *arg);
/* Forgets a cap without telling the MDS (it moved or the MDS dropped it). */
void cap_table_remove(struct cap_table *t, int mds, uint64_t ino);
/* Forgets every cap of a session that is gone. */
void cap_table_drop_session(struct cap_table *t, int mds);
/* A restarted MDS: every cap of mds is about to be restated in a
 * reconnect. Each gets stamped with recon_gen, its sequence numbers start
 * over, and fn sees it; queued releases for mds are dropped. Returns how
 * many caps there are. */
size_t cap_table_reconnect(struct cap_table *t, int mds, unsigned recon_gen,
			   void (*fn)(void *arg, const struct cap_entry *e),
			   void *arg);
/* Forgets the caps of mds not stamped with recon_gen: dead, as the MDS
 * that issued them restarted and they were not reconnected. Returns how
 * many. */
size_t cap_table_drop_dead(struct cap_table *t, int mds, unsigned recon_gen);
/* Gives back the caps of one inode, from every rank; returns how many. */
size_t cap_table_release_ino(struct cap_table *t, uint64_t ino);
/* Gives back every cap of a session; returns how many. */
size_t cap_table_release_session(struct cap_table *t, int mds);
/* Sends the queued releases for mds on c (in batches). */
void cap_table_flush_releases(struct cap_table *t, int mds, struct conn *c);
size_t cap_table_count(const struct cap_table *t);
/* The rank (below nranks) whose cap on ino is the auth one, or -1; *any
 * (if not NULL) gets the lowest rank holding any cap on it, or -1. */
int cap_table_auth_rank(const struct cap_table *t, uint64_t ino, int nranks,
			int *any);
/* How many caps are held from one rank, and how many of them are auth
 * caps (issued by the inode's authority, not a replica). */
size_t cap_table_count_rank_auth(const struct cap_table *t, int mds);
/* How many caps are held from one rank. */
size_t cap_table_count_rank(const struct cap_table *t, int mds);

#endif

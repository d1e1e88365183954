/* Cap bookkeeping: a chained hash table keyed by (ino, mds). */
#include "caps.h"

#include <stdlib.h>
#include <string.h>

#include "mds/ceph_fs.h"
#include "msg/messenger.h"

#define CAP_RELEASE_BATCH 256

static size_t bucket_of(const struct cap_table *t, uint64_t ino, int mds)
{
	uint64_t h = (ino ^ ((uint64_t)mds << 56)) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (t->nbuckets - 1);
}

void cap_table_init(struct cap_table *t)
{
	memset(t, 0, sizeof(*t));
}

void cap_table_destroy(struct cap_table *t)
{
	for (size_t i = 0; i < t->nbuckets; i++)
		while (t->buckets[i]) {
			struct cap_entry *e = t->buckets[i];

			t->buckets[i] = e->next;
			free(e);
		}
	free(t->buckets);
	free(t->pending);
	free(t->pending_mds);
	memset(t, 0, sizeof(*t));
}

static struct cap_entry **find(const struct cap_table *t, int mds, uint64_t ino)
{
	struct cap_entry **pp;

	if (!t->nbuckets)
		return NULL;
	for (pp = &t->buckets[bucket_of(t, ino, mds)]; *pp; pp = &(*pp)->next)
		if ((*pp)->ino == ino && (*pp)->mds == mds)
			return pp;
	return NULL;
}

static void grow(struct cap_table *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : 64;
	struct cap_entry **b = calloc(n, sizeof(*b));
	struct cap_table tmp;

	if (!b)
		return;		/* stay with longer chains */
	tmp = *t;
	t->buckets = b;
	t->nbuckets = n;
	for (size_t i = 0; i < tmp.nbuckets; i++)
		while (tmp.buckets[i]) {
			struct cap_entry *e = tmp.buckets[i];
			size_t k = bucket_of(t, e->ino, e->mds);

			tmp.buckets[i] = e->next;
			e->next = t->buckets[k];
			t->buckets[k] = e;
		}
	free(tmp.buckets);
}

struct cap_entry *cap_table_update(struct cap_table *t, int mds, uint64_t ino,
				   uint64_t cap_id, uint32_t issued, uint32_t seq,
				   uint32_t issue_seq, uint32_t mseq,
				   uint64_t realm)
{
	struct cap_entry **pp = find(t, mds, ino), *e;

	if (pp) {
		e = *pp;
		/* an older grant arriving late must not undo a newer one */
		if (e->cap_id == cap_id && seq < e->seq)
			return e;
	} else {
		if (t->count >= t->nbuckets)
			grow(t);
		if (!t->nbuckets)
			return NULL;
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		e->ino = ino;
		e->mds = mds;
		e->next = t->buckets[bucket_of(t, ino, mds)];
		t->buckets[bucket_of(t, ino, mds)] = e;
		t->count++;
	}
	e->gen++;
	if ((e->issued & CEPH_CAP_FILE_SHARED) && !(issued & CEPH_CAP_FILE_SHARED))
		e->shared_gen++;
	e->cap_id = cap_id;
	e->issued = issued;
	e->seq = seq;
	e->issue_seq = issue_seq;
	e->mseq = mseq;
	e->realm = realm;
	return e;
}

uint32_t cap_table_issued(const struct cap_table *t, int mds, uint64_t ino)
{
	struct cap_entry **pp = find(t, mds, ino);

	return pp ? (*pp)->issued : 0;
}

const struct cap_entry *cap_table_find(const struct cap_table *t, int mds,
				       uint64_t ino)
{
	struct cap_entry **pp = find(t, mds, ino);

	return pp ? *pp : NULL;
}

void cap_table_remove(struct cap_table *t, int mds, uint64_t ino)
{
	struct cap_entry **pp = find(t, mds, ino), *e;

	if (!pp)
		return;
	e = *pp;
	*pp = e->next;
	free(e);
	t->count--;
}

static int queue_release(struct cap_table *t, const struct cap_entry *e);

/* Removes the caps match() picks; with `release`, each is first queued
 * to be given back to the MDS (one that cannot be queued stays).
 * Returns how many went. */
static size_t sweep(struct cap_table *t,
		    bool (*match)(const struct cap_entry *e, const void *arg),
		    const void *arg, bool release)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nbuckets; i++) {
		struct cap_entry **pp = &t->buckets[i];

		while (*pp) {
			struct cap_entry *e = *pp;

			if (!match(e, arg) || (release && queue_release(t, e))) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			free(e);
			t->count--;
			n++;
		}
	}
	return n;
}

/* Forgets the releases queued for mds. */
static void drop_pending(struct cap_table *t, int mds)
{
	for (size_t i = 0; i < t->npending;)
		if (t->pending_mds[i] == mds) {
			t->pending[i] = t->pending[t->npending - 1];
			t->pending_mds[i] = t->pending_mds[t->npending - 1];
			t->npending--;
		} else {
			i++;
		}
}

struct rank_gen {
	int mds;
	unsigned recon_gen;
};

static bool of_rank(const struct cap_entry *e, const void *arg)
{
	return e->mds == *(const int *)arg;
}

static bool dead(const struct cap_entry *e, const void *arg)
{
	const struct rank_gen *rg = arg;

	return e->mds == rg->mds && e->recon_gen != rg->recon_gen;
}

void cap_table_drop_session(struct cap_table *t, int mds)
{
	sweep(t, of_rank, &mds, false);
	drop_pending(t, mds);	/* nothing of it is left to release */
}

size_t cap_table_drop_dead(struct cap_table *t, int mds, unsigned recon_gen)
{
	struct rank_gen rg = { mds, recon_gen };

	return sweep(t, dead, &rg, false);
}

size_t cap_table_reconnect(struct cap_table *t, int mds, unsigned recon_gen,
			   void (*fn)(void *arg, const struct cap_entry *e),
			   void *arg)
{
	size_t n = 0;

	/* releases queued for the old incarnation mean nothing to the new
	 * one: those caps are simply not restated */
	drop_pending(t, mds);
	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct cap_entry *e = t->buckets[i]; e; e = e->next) {
			if (e->mds != mds)
				continue;
			/* the new MDS numbers its messages from scratch */
			e->seq = e->issue_seq = e->mseq = 0;
			e->recon_gen = recon_gen;
			/* what it vouched for is asked again */
			e->gen++;
			e->shared_gen++;
			if (fn)
				fn(arg, e);
			n++;
		}
	return n;
}

static int queue_release(struct cap_table *t, const struct cap_entry *e)
{
	if (t->npending == t->cap_pending) {
		size_t n = t->cap_pending ? t->cap_pending * 2 : 64;
		struct mds_cap_release_item *p;
		int *m;

		p = realloc(t->pending, n * sizeof(*p));
		if (!p)
			return -1;
		t->pending = p;
		m = realloc(t->pending_mds, n * sizeof(*m));
		if (!m)
			return -1;
		t->pending_mds = m;
		t->cap_pending = n;
	}
	t->pending[t->npending].ino = e->ino;
	t->pending[t->npending].cap_id = e->cap_id;
	t->pending[t->npending].migrate_seq = e->mseq;
	/* the MDS drops a release whose seq is not the cap's last issue */
	t->pending[t->npending].seq = e->issue_seq;
	t->pending_mds[t->npending] = e->mds;
	t->npending++;
	return 0;
}

size_t cap_table_release_session(struct cap_table *t, int mds)
{
	return cap_table_release_session_except(t, mds, NULL, NULL);
}

struct rank_keep {
	int mds;
	bool (*keep)(void *arg, uint64_t ino);
	void *arg;
};

static bool of_rank_unkept(const struct cap_entry *e, const void *arg)
{
	const struct rank_keep *rk = arg;

	return e->mds == rk->mds && !(rk->keep && rk->keep(rk->arg, e->ino));
}

size_t cap_table_release_session_except(struct cap_table *t, int mds,
					bool (*keep)(void *arg, uint64_t ino),
					void *arg)
{
	struct rank_keep rk = { mds, keep, arg };

	return sweep(t, of_rank_unkept, &rk, true);
}

static bool of_ino(const struct cap_entry *e, const void *arg)
{
	return e->ino == *(const uint64_t *)arg;
}

size_t cap_table_release_ino(struct cap_table *t, uint64_t ino)
{
	return sweep(t, of_ino, &ino, true);
}

void cap_table_flush_releases(struct cap_table *t, int mds, struct conn *c)
{
	struct mds_cap_release_item batch[CAP_RELEASE_BATCH];
	uint32_t n = 0;

	for (size_t i = 0; i < t->npending;) {
		if (t->pending_mds[i] != mds) {
			i++;
			continue;
		}
		batch[n++] = t->pending[i];
		t->pending[i] = t->pending[t->npending - 1];
		t->pending_mds[i] = t->pending_mds[t->npending - 1];
		t->npending--;
		if (n == CAP_RELEASE_BATCH) {
			if (c)
				conn_send(c, mds_msg_cap_release(batch, n, 0));
			n = 0;
		}
	}
	if (n && c)
		conn_send(c, mds_msg_cap_release(batch, n, 0));
}

size_t cap_table_count(const struct cap_table *t)
{
	return t->count;
}

size_t cap_table_count_rank(const struct cap_table *t, int mds)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nbuckets; i++)
		for (const struct cap_entry *e = t->buckets[i]; e; e = e->next)
			n += e->mds == mds;
	return n;
}

int cap_table_auth_rank(const struct cap_table *t, uint64_t ino, int nranks,
			int *any)
{
	if (any)
		*any = -1;
	for (int r = 0; r < nranks; r++) {
		const struct cap_entry *e = cap_table_find(t, r, ino);

		if (!e)
			continue;
		if (e->auth)
			return r;
		if (any && *any < 0)
			*any = r;
	}
	return -1;
}

size_t cap_table_count_rank_auth(const struct cap_table *t, int mds)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nbuckets; i++)
		for (const struct cap_entry *e = t->buckets[i]; e; e = e->next)
			n += e->mds == mds && e->auth;
	return n;
}

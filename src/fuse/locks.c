/* Advisory locks through the MDS, so that they hold across clients: the
 * kernel passes POSIX locks (fcntl, OFD) to getlk/setlk and flock locks
 * to flock, each with its owner (fi->lock_owner: the process's file
 * table for POSIX locks, the open file for flock and OFD locks), and
 * siphon takes them at the MDS (siphon_ll_setlk) as ceph-fuse does.
 *
 * The kernel keeps no lock of its own for such a file system, so it
 * cannot drop them on close either: FUSE sends flush(owner) at every
 * close, after which the owner's POSIX locks on the file must be gone,
 * and release with flock_release when the last reference to an open file
 * that took flock locks goes. Since a flush costs an MDS request only
 * when the owner may hold a lock, the (inode, owner, open file) triples
 * that took POSIX locks are remembered here; release drops those of its
 * open file as well (OFD locks belong to the open file, whose release
 * carries no POSIX owner).
 *
 * A waiting lock can be interrupted: the kernel sends INTERRUPT when the
 * caller gets a signal (Ctrl-C), libfuse calls lock_interrupted on one of
 * its threads, and siphon_cancel() has the MDS drop the waiting lock, so
 * the waiting request ends with EINTR. With one thread (-s) nothing could
 * read that INTERRUPT, so waiting locks fail with EDEADLK there, as
 * ceph-fuse's do without fuse_multithreaded. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "common/log.h"
#include "sfuse.h"

#define S(req) ((struct sf *)fuse_req_userdata(req))

struct sf_lockrec {
	uint64_t ino, owner, fh;
	struct sf_lockrec *next;
};

static size_t lbucket(uint64_t ino)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 40) % SF_LOCK_BUCKETS;
}

void sf_locks_init(struct sf *s)
{
	pthread_mutex_init(&s->llock, NULL);
}

void sf_locks_free(struct sf *s)
{
	for (size_t b = 0; b < SF_LOCK_BUCKETS; b++)
		while (s->ltab[b]) {
			struct sf_lockrec *l = s->ltab[b];

			s->ltab[b] = l->next;
			free(l);
		}
	pthread_mutex_destroy(&s->llock);
}

/* Remembers that owner may hold POSIX locks on ino (a node id), taken
 * through fh; true if that was not known yet. */
static bool note_posix(struct sf *s, uint64_t ino, uint64_t owner, uint64_t fh)
{
	struct sf_lockrec *l;
	bool made = false;

	pthread_mutex_lock(&s->llock);
	for (l = s->ltab[lbucket(ino)]; l; l = l->next)
		if (l->ino == ino && l->owner == owner && l->fh == fh)
			break;
	if (!l) {
		l = calloc(1, sizeof(*l));
		if (l) {
			l->ino = ino;
			l->owner = owner;
			l->fh = fh;
			l->next = s->ltab[lbucket(ino)];
			s->ltab[lbucket(ino)] = l;
			__atomic_add_fetch(&s->nlockrecs, 1, __ATOMIC_RELAXED);
			made = true;
		} else {
			/* flush will not know: the locks go with the
			 * session, or at the owner's next unlock */
			dout(LOG_FUSE, 0, "out of memory remembering a lock of %#llx",
			     (unsigned long long)ino);
		}
	}
	pthread_mutex_unlock(&s->llock);
	return made;
}

/* Takes out the records of ino with this owner (fh 0: any open file) or
 * through this open file (owner 0: any owner); returns the owners, at
 * most max (the rest stay and are counted in *more). */
static size_t take_records(struct sf *s, uint64_t ino, uint64_t owner,
			   uint64_t fh, uint64_t *owners, size_t max, bool *more)
{
	size_t n = 0;

	*more = false;
	pthread_mutex_lock(&s->llock);
	for (struct sf_lockrec **pp = &s->ltab[lbucket(ino)]; *pp;) {
		struct sf_lockrec *l = *pp;

		if (l->ino != ino || (owner && l->owner != owner) ||
		    (fh && l->fh != fh)) {
			pp = &l->next;
			continue;
		}
		if (n == max) {
			*more = true;
			break;
		}
		bool seen = false;

		for (size_t i = 0; i < n; i++)
			seen |= owners[i] == l->owner;
		if (!seen)
			owners[n++] = l->owner;
		*pp = l->next;
		free(l);
		__atomic_sub_fetch(&s->nlockrecs, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&s->llock);
	return n;
}

static int unlock_all(struct sf *s, struct siphon_inode *in, int kind,
		      uint64_t owner)
{
	struct siphon_lock lk = { .type = F_UNLCK, .start = 0, .len = 0,
				  .owner = owner };
	int r = siphon_ll_setlk(s->c, in, kind, &lk, 0);

	if (r)
		dout(LOG_FUSE, 0, "releasing the %s locks of owner %#llx on %#llx: %s",
		     kind == SIPHON_LOCK_POSIX ? "POSIX" : "flock",
		     (unsigned long long)owner,
		     (unsigned long long)siphon_ll_ino(in), siphon_errstr(s->c));
	else
		dout(LOG_FUSE, 15, "released the %s locks of owner %#llx on %#llx",
		     kind == SIPHON_LOCK_POSIX ? "POSIX" : "flock",
		     (unsigned long long)owner, (unsigned long long)siphon_ll_ino(in));
	return r;
}

/* Drops POSIX locks of ino the records name: by owner at flush, by open
 * file at release. */
static void release_posix(struct sf *s, fuse_ino_t ino, uint64_t owner,
			  uint64_t fh)
{
	struct siphon_inode *in;
	uint64_t owners[16];
	bool more = true;

	if (!__atomic_load_n(&s->nlockrecs, __ATOMIC_RELAXED))
		return;		/* the common case: no lock was ever taken */
	in = sf_node_get(s, ino);
	while (more) {
		size_t n = take_records(s, ino, owner, fh, owners,
					sizeof(owners) / sizeof(owners[0]), &more);

		for (size_t i = 0; i < n && in; i++)
			unlock_all(s, in, SIPHON_LOCK_POSIX, owners[i]);
	}
	siphon_ll_put(s->c, in, 1);
}

void sf_locks_flush(struct sf *s, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (fi->lock_owner)
		release_posix(s, ino, fi->lock_owner, 0);
}

void sf_locks_release(struct sf *s, fuse_ino_t ino, struct fuse_file_info *fi)
{
	release_posix(s, ino, 0, fi->fh);
	if (fi->flock_release) {
		struct siphon_inode *in = sf_node_get(s, ino);

		if (in)
			unlock_all(s, in, SIPHON_LOCK_FLOCK, fi->lock_owner);
		siphon_ll_put(s->c, in, 1);
	}
}

static void lock_interrupted(fuse_req_t req, void *data)
{
	dout(LOG_FUSE, 10, "interrupt of a waiting lock");
	siphon_cancel(data);
}

/* Takes or drops a lock; a waiting one ends early if the kernel
 * interrupts the request. */
static int set_lock(fuse_req_t req, struct siphon_inode *in, int kind,
		    const struct siphon_lock *lk, bool wait)
{
	struct sf *s = S(req);
	struct siphon_cancel *t;
	int r;

	if (!wait || lk->type == F_UNLCK)
		return siphon_ll_setlk(s->c, in, kind, lk, 0);
	if (s->single)
		return -EDEADLK;	/* nothing could read an INTERRUPT */
	t = siphon_cancel_new();
	if (!t)
		return -ENOMEM;
	fuse_req_interrupt_func(req, lock_interrupted, t);
	r = siphon_ll_setlk_cancellable(s->c, in, kind, lk, t);
	fuse_req_interrupt_func(req, NULL, NULL);
	siphon_cancel_free(t);
	return r;
}

static void lock_trace(fuse_req_t req, const char *op, fuse_ino_t ino,
		       const struct siphon_lock *lk, bool wait, int r)
{
	int level = r && r != -EAGAIN && r != -EINTR && r != -EDEADLK ? 1 : 15;

	dout(LOG_FUSE, level, "%s %#llx type %d [%llu +%llu] owner %#llx%s: %d%s%s",
	     op, (unsigned long long)ino, lk->type,
	     (unsigned long long)lk->start, (unsigned long long)lk->len,
	     (unsigned long long)lk->owner, wait ? " (wait)" : "", r,
	     level == 1 ? " " : "", level == 1 ? siphon_errstr(S(req)->c) : "");
}

void sf_op_getlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 struct flock *lock)
{
	struct sf *s = S(req);
	struct siphon_inode *in = sf_node_get(s, ino);
	struct siphon_lock lk = {
		.type = lock->l_type,
		.start = (uint64_t)lock->l_start,
		.len = (uint64_t)lock->l_len,
		.owner = fi->lock_owner,
		.pid = lock->l_pid,
	};
	int r = in ? siphon_ll_getlk(s->c, in, &lk) : -ESTALE;

	lock_trace(req, "getlk", ino, &lk, false, r);
	if (!r) {
		lock->l_type = (short)lk.type;
		lock->l_whence = SEEK_SET;
		if (lk.type != F_UNLCK) {
			lock->l_start = (off_t)lk.start;
			lock->l_len = (off_t)lk.len;
			lock->l_pid = (pid_t)lk.pid;
		}
		fuse_reply_lock(req, lock);
	} else {
		fuse_reply_err(req, -r);
	}
	siphon_ll_put(s->c, in, 1);
}

void sf_op_setlk(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 struct flock *lock, int sleep)
{
	struct sf *s = S(req);
	struct siphon_inode *in = sf_node_get(s, ino);
	struct siphon_lock lk = {
		.type = lock->l_type,
		.start = (uint64_t)lock->l_start,
		.len = (uint64_t)lock->l_len,
		.owner = fi->lock_owner,
		.pid = lock->l_pid,
	};
	bool made = false;
	int r;

	if (!in) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	/* remembered before the lock is asked for: flush and release must
	 * also drop one an interrupt came too late to stop */
	if (lk.type != F_UNLCK)
		made = note_posix(s, ino, lk.owner, fi->fh);
	r = set_lock(req, in, SIPHON_LOCK_POSIX, &lk, sleep != 0);
	if ((made && r && r != -EINTR) ||
	    (!r && lk.type == F_UNLCK && !lk.start && !lk.len)) {
		bool more;
		uint64_t o;

		/* nothing held after all, or all of it given back */
		do
			take_records(s, ino, lk.owner, made ? fi->fh : 0, &o, 1,
				     &more);
		while (more);
	}
	lock_trace(req, "setlk", ino, &lk, sleep != 0, r);
	fuse_reply_err(req, -r);
	siphon_ll_put(s->c, in, 1);
}

void sf_op_flock(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		 int op)
{
	struct sf *s = S(req);
	struct siphon_inode *in = sf_node_get(s, ino);
	struct siphon_lock lk = {
		.start = 0,
		.len = 0,
		.owner = fi->lock_owner,
		.pid = fuse_req_ctx(req)->pid,
	};
	int r;

	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		lk.type = F_RDLCK;
		break;
	case LOCK_EX:
		lk.type = F_WRLCK;
		break;
	case LOCK_UN:
		lk.type = F_UNLCK;
		break;
	default:
		siphon_ll_put(s->c, in, 1);
		fuse_reply_err(req, EINVAL);
		return;
	}
	if (!in) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	r = set_lock(req, in, SIPHON_LOCK_FLOCK, &lk, !(op & LOCK_NB));
	lock_trace(req, "flock", ino, &lk, !(op & LOCK_NB), r);
	fuse_reply_err(req, -r);
	siphon_ll_put(s->c, in, 1);
}

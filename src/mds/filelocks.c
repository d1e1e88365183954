/* Held advisory locks, for the reconnect message (see filelocks.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "mds/ceph_fs.h"
#include "mds/filelocks.h"

void filelocks_init(struct filelock_table *t)
{
	t->v = NULL;
	t->n = t->cap = 0;
}

void filelocks_destroy(struct filelock_table *t)
{
	free(t->v);
	filelocks_init(t);
}

static int push(struct filelock_table *t, const struct held_lock *l)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		void *p = realloc(t->v, cap * sizeof(*t->v));

		if (!p)
			return -ENOMEM;
		t->v = p;
		t->cap = cap;
	}
	t->v[t->n++] = *l;
	return 0;
}

static void remove_at(struct filelock_table *t, size_t i)
{
	t->v[i] = t->v[--t->n];
}

static bool same_holder(const struct held_lock *a, uint64_t ino, uint8_t rule,
			uint64_t owner)
{
	return a->ino == ino && a->rule == rule && a->owner == owner;
}

int filelocks_apply(struct filelock_table *t, uint64_t ino, uint8_t rule,
		    uint8_t type, uint64_t owner, uint64_t pid, uint64_t start,
		    uint64_t length)
{
	uint64_t end = length ? start + length : UINT64_MAX;
	struct held_lock nl = {
		.ino = ino, .owner = owner, .pid = pid,
		.start = start, .end = end < start ? UINT64_MAX : end,
		.rule = rule, .type = type,
	};

	if (rule != CEPH_LOCK_FCNTL && rule != CEPH_LOCK_FLOCK)
		return 0;	/* cancels of a wait change nothing held */
	if (rule == CEPH_LOCK_FLOCK) {
		/* one flock per owner and file, whole-file */
		for (size_t i = 0; i < t->n; i++)
			if (same_holder(&t->v[i], ino, rule, owner)) {
				remove_at(t, i);
				break;
			}
		nl.start = 0;
		nl.end = UINT64_MAX;
		return type == CEPH_LOCK_UNLOCK ? 0 : push(t, &nl);
	}
	/* fcntl: the new range replaces the owner's locks where they meet */
	for (size_t i = 0; i < t->n;) {
		struct held_lock *o = &t->v[i];

		if (!same_holder(o, ino, rule, owner) || o->end <= nl.start ||
		    o->start >= nl.end) {
			i++;
			continue;
		}
		if (o->start < nl.start && o->end > nl.end) {
			/* the new range falls inside: keep both ends */
			struct held_lock tail = *o;

			tail.start = nl.end;
			o->end = nl.start;
			if (push(t, &tail))
				return -ENOMEM;
			i++;
		} else if (o->start < nl.start) {
			o->end = nl.start;
			i++;
		} else if (o->end > nl.end) {
			o->start = nl.end;
			i++;
		} else {
			remove_at(t, i);
		}
	}
	return type == CEPH_LOCK_UNLOCK ? 0 : push(t, &nl);
}

size_t filelocks_count(const struct filelock_table *t, uint64_t ino)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->v[i].ino == ino;
	return n;
}

static void encode_rule(const struct filelock_table *t, uint64_t ino,
			uint8_t rule, struct buf *out)
{
	uint32_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->v[i].ino == ino && t->v[i].rule == rule;
	buf_put_u32(out, n);
	for (size_t i = 0; i < t->n; i++) {
		const struct held_lock *l = &t->v[i];

		if (l->ino != ino || l->rule != rule)
			continue;
		/* a packed ceph_filelock: start, length, client, owner,
		 * pid, type */
		buf_put_u64(out, l->start);
		buf_put_u64(out, l->end == UINT64_MAX ? 0 : l->end - l->start);
		buf_put_u64(out, 0);	/* client: the MDS fills it in */
		buf_put_u64(out, l->owner);
		buf_put_u64(out, l->pid);
		buf_put_u8(out, l->type);
	}
}

size_t filelocks_encode(const struct filelock_table *t, uint64_t ino,
			struct buf *out)
{
	size_t before = out->len;

	if (!filelocks_count(t, ino))
		return 0;
	encode_rule(t, ino, CEPH_LOCK_FCNTL, out);
	encode_rule(t, ino, CEPH_LOCK_FLOCK, out);
	return out->len - before;
}

void filelocks_forget(struct filelock_table *t, uint64_t ino)
{
	for (size_t i = 0; i < t->n;)
		if (t->v[i].ino == ino)
			remove_at(t, i);
		else
			i++;
}

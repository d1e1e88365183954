/* A directory's complete listing (see listing.h). The index is open
 * addressing with linear probing; removal shifts the probe chain back
 * instead of leaving tombstones, so a listing that changes all the time
 * (a directory being filled and emptied) never needs a rebuild. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"

#define MIN_SLOTS 16

/* FNV-1a, 64 bits. */
static uint64_t name_hash(const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint32_t home_slot(const struct listing *l, uint32_t entry)
{
	const char *name = l->names[entry];

	return (uint32_t)name_hash(name, strlen(name)) & (l->nslots - 1);
}

void listing_init(struct listing *l, uint64_t dir, int mds,
		  unsigned shared_gen)
{
	memset(l, 0, sizeof(*l));
	l->used = true;
	l->dir = dir;
	l->mds = mds;
	l->shared_gen = shared_gen;
}

void listing_clear(struct listing *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->inos);
	free(l->slots);
	memset(l, 0, sizeof(*l));
}

/* The slot holding the entry named so, or of the free slot that ends
 * its probe chain (nslots must not be 0). */
static uint32_t probe(const struct listing *l, const char *name, size_t len)
{
	uint32_t mask = l->nslots - 1;
	uint32_t s = (uint32_t)name_hash(name, len) & mask;

	for (;;) {
		uint32_t e = l->slots[s];

		if (!e)
			return s;
		if (!strncmp(l->names[e - 1], name, len) && !l->names[e - 1][len])
			return s;
		s = (s + 1) & mask;
	}
}

int64_t listing_find(const struct listing *l, const char *name, size_t len)
{
	uint32_t e;

	if (!l->nslots)
		return -1;
	e = l->slots[probe(l, name, len)];
	return e ? (int64_t)e - 1 : -1;
}

/* A new index of nslots slots for the entries there are. */
static int reindex(struct listing *l, uint32_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	uint32_t *old = l->slots;

	if (!slots)
		return -ENOMEM;
	l->slots = slots;
	l->nslots = nslots;
	for (uint32_t i = 0; i < l->n; i++) {
		uint32_t s = home_slot(l, i);

		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = i + 1;
	}
	free(old);
	return 0;
}

/* Room for one more entry: arrays and an index at most half full. */
static int make_room(struct listing *l)
{
	if (l->n == UINT32_MAX / 4)
		return -ENOMEM;
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		char **names = realloc(l->names, cap * sizeof(*names));
		uint64_t *inos;

		if (!names)
			return -ENOMEM;
		l->names = names;
		inos = realloc(l->inos, cap * sizeof(*inos));
		if (!inos)
			return -ENOMEM;
		l->inos = inos;
		l->cap = cap;
	}
	if ((l->n + 1) * 2 > l->nslots)
		return reindex(l, l->nslots ? l->nslots * 2 : MIN_SLOTS);
	return 0;
}

int listing_set(struct listing *l, const char *name, size_t len, uint64_t ino)
{
	int64_t k = listing_find(l, name, len);
	char *copy;

	if (k >= 0) {
		l->inos[k] = ino;
		return 0;
	}
	if (make_room(l))
		return -ENOMEM;
	copy = strndup(name, len);
	if (!copy)
		return -ENOMEM;
	l->slots[probe(l, name, len)] = l->n + 1;
	l->names[l->n] = copy;
	l->inos[l->n] = ino;
	l->n++;
	return 0;
}

/* Empties slot s, moving back the entries after it whose probe chain
 * passed through it. */
static void unslot(struct listing *l, uint32_t s)
{
	uint32_t mask = l->nslots - 1, j = s;

	l->slots[s] = 0;
	for (;;) {
		uint32_t home;

		j = (j + 1) & mask;
		if (!l->slots[j])
			return;
		home = home_slot(l, l->slots[j] - 1);
		/* stays if its home lies cyclically in (s, j] */
		if (s <= j ? (s < home && home <= j) : (s < home || home <= j))
			continue;
		l->slots[s] = l->slots[j];
		l->slots[j] = 0;
		s = j;
	}
}

void listing_remove(struct listing *l, const char *name, size_t len)
{
	uint32_t s, e, last;

	if (!l->nslots)
		return;
	s = probe(l, name, len);
	e = l->slots[s];
	if (!e)
		return;
	unslot(l, s);
	free(l->names[e - 1]);
	last = l->n - 1;
	if (e - 1 != last) {
		/* the last entry fills the hole: its slot follows it */
		const char *ln = l->names[last];

		l->slots[probe(l, ln, strlen(ln))] = e;
		l->names[e - 1] = l->names[last];
		l->inos[e - 1] = l->inos[last];
	}
	l->n--;
}

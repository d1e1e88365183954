/* A directory's complete listing: its names and the inode number each
 * leads to, indexed by name (a lookup in a directory of a million
 * entries costs what it costs in one of ten). Plain data, no locking:
 * the MDS client keeps a few under its lock (see mdsc.h). */
#ifndef SIPHON_MDS_LISTING_H
#define SIPHON_MDS_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct listing {
	bool used;			/* a slot of the MDS client's table */
	uint64_t dir;
	int mds;			/* the rank whose Fs vouches for it */
	unsigned shared_gen;		/* ... while this generation lasts */
	uint32_t n, cap;
	char **names;			/* n entries, in no order */
	uint64_t *inos;
	uint32_t *slots;		/* hash index: entry + 1, 0 free */
	uint32_t nslots;		/* 0, or a power of two above 2n */
};

/* An empty listing of dir (it owns nothing yet). */
void listing_init(struct listing *l, uint64_t dir, int mds,
		  unsigned shared_gen);
/* Frees what it holds; it is unused and empty again. */
void listing_clear(struct listing *l);
/* The entry named name[0..len), or -1. */
int64_t listing_find(const struct listing *l, const char *name, size_t len);
/* The name now leads to ino (added, or its number replaced); -ENOMEM
 * leaves the listing as it was. */
int listing_set(struct listing *l, const char *name, size_t len, uint64_t ino);
/* The name is gone (if it was there). */
void listing_remove(struct listing *l, const char *name, size_t len);

#endif

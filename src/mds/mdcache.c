/* The inode and dentry cache: chained hash tables, and one recency list
 * through both kinds of entry; when full, the least recently used entries
 * go first. */
#include "mdcache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t hash_ino(uint64_t ino)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 32);
}

static size_t hash_dentry(uint64_t dir, const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ULL ^ dir;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static void lru_unlink(struct mdcache_lru *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->prev = e->next = e;
}

static void lru_push_front(struct mdcache *c, struct mdcache_lru *e)
{
	e->next = c->lru.next;
	e->prev = &c->lru;
	c->lru.next->prev = e;
	c->lru.next = e;
}

static void lru_touch(struct mdcache *c, struct mdcache_lru *e)
{
	lru_unlink(e);
	lru_push_front(c, e);
}

void mdcache_init(struct mdcache *c, size_t max_entries)
{
	memset(c, 0, sizeof(*c));
	c->lru.prev = c->lru.next = &c->lru;
	c->max = max_entries;
	c->nb = 1024;
	while (c->nb < max_entries / 4)
		c->nb *= 2;
	c->ib = calloc(c->nb, sizeof(*c->ib));
	c->db = calloc(c->nb, sizeof(*c->db));
	if (!c->ib || !c->db) {
		free(c->ib);
		free(c->db);
		c->ib = NULL;
		c->db = NULL;
		c->nb = 0;	/* a cache that holds nothing still works */
	}
}

static void free_dentry(struct mdcache_dentry *d)
{
	lru_unlink(&d->lru);
	free(d->name);
	free(d);
}

static void free_inode(struct mdcache_inode *i)
{
	lru_unlink(&i->lru);
	free(i->xattrs);
	free(i);
}

void mdcache_set_xattrs(struct mdcache_inode *i, uint64_t version,
			const uint8_t *blob, uint32_t len)
{
	uint8_t *copy;

	if (!blob || !len) {
		/* not sent: what we have is current only at that version */
		if (i->xattrs && i->st.xattr_version != version) {
			free(i->xattrs);
			i->xattrs = NULL;
			i->xattrs_len = 0;
		}
		i->st.xattr_version = version;
		return;
	}
	copy = malloc(len);
	free(i->xattrs);
	i->xattrs = copy;
	i->xattrs_len = copy ? len : 0;
	if (copy)
		memcpy(copy, blob, len);
	i->st.xattr_version = version;
}

static void clear_bucket_inodes(struct mdcache *c, size_t b)
{
	while (c->ib[b]) {
		struct mdcache_inode *i = c->ib[b];

		c->ib[b] = i->next;
		free_inode(i);
		c->ninodes--;
	}
}

static void clear_bucket_dentries(struct mdcache *c, size_t b)
{
	while (c->db[b]) {
		struct mdcache_dentry *d = c->db[b];

		c->db[b] = d->next;
		free_dentry(d);
		c->ndentries--;
	}
}

void mdcache_destroy(struct mdcache *c)
{
	for (size_t b = 0; b < c->nb; b++) {
		clear_bucket_inodes(c, b);
		clear_bucket_dentries(c, b);
	}
	free(c->ib);
	free(c->db);
	memset(c, 0, sizeof(*c));
}

/* Makes room: drops the least recently used entries until under 90%. */
static void trim(struct mdcache *c)
{
	while (c->ninodes + c->ndentries > c->max * 9 / 10 &&
	       c->lru.prev != &c->lru) {
		struct mdcache_lru *e = c->lru.prev;

		c->evictions++;
		if (e->kind == MDCACHE_INODE) {
			mdcache_drop_inode(c, ((struct mdcache_inode *)e)->ino);
		} else {
			struct mdcache_dentry *d = (struct mdcache_dentry *)e;

			mdcache_drop_dentry(c, d->dir, d->name, strlen(d->name));
		}
	}
}

static struct mdcache_inode *find_inode(struct mdcache *c, uint64_t ino)
{
	if (!c->nb)
		return NULL;
	for (struct mdcache_inode *i = c->ib[hash_ino(ino) % c->nb]; i; i = i->next)
		if (i->ino == ino)
			return i;
	return NULL;
}

struct mdcache_inode *mdcache_get_inode(struct mdcache *c, uint64_t ino)
{
	struct mdcache_inode *i = find_inode(c, ino);

	if (i)
		lru_touch(c, &i->lru);
	return i;
}

void mdcache_put_inode(struct mdcache *c, int mds, unsigned cap_gen,
		       const struct mds_inode_stat *st)
{
	struct mdcache_inode *i;

	if (!c->nb || !st->ino)
		return;
	i = mdcache_get_inode(c, st->ino);
	if (!i) {
		if (c->ninodes + c->ndentries >= c->max)
			trim(c);
		i = calloc(1, sizeof(*i));
		if (!i)
			return;
		i->lru.kind = MDCACHE_INODE;
		lru_push_front(c, &i->lru);
		i->ino = st->ino;
		i->next = c->ib[hash_ino(st->ino) % c->nb];
		c->ib[hash_ino(st->ino) % c->nb] = i;
		c->ninodes++;
	}
	i->mds = mds;
	i->cap_gen = cap_gen;
	{
		uint64_t had = i->st.xattr_version;
		uint64_t size = i->st.size, tsize = i->st.truncate_size;
		uint32_t tseq = i->st.truncate_seq;
		bool file = S_ISREG(i->st.mode) && S_ISREG(st->mode);

		i->st = *st;
		i->st.xattr_version = had;
		if (file) {
			mds_size_take(&size, &tsize, &tseq, st->size,
				      st->truncate_size, st->truncate_seq);
			i->st.size = size;
			i->st.truncate_size = tsize;
			i->st.truncate_seq = tseq;
		}
		mdcache_set_xattrs(i, st->xattr_version, st->xattrs,
				   st->xattrs_len);
	}
	/* views and arrays point into a reply that is going away */
	i->st.frags = NULL;
	i->st.num_frags = 0;
	i->st.symlink = NULL;
	i->st.symlink_len = 0;
	i->st.xattrs = NULL;
	i->st.xattrs_len = 0;
	i->st.inline_data = NULL;
	i->st.inline_len = 0;
	i->st.layout.pool_ns = NULL;
	i->st.layout.pool_ns_len = 0;
}

void mdcache_drop_inode(struct mdcache *c, uint64_t ino)
{
	struct mdcache_inode **pp;

	if (!c->nb)
		return;
	for (pp = &c->ib[hash_ino(ino) % c->nb]; *pp; pp = &(*pp)->next)
		if ((*pp)->ino == ino) {
			struct mdcache_inode *i = *pp;

			*pp = i->next;
			free_inode(i);
			c->ninodes--;
			return;
		}
}

void mdcache_drop_inodes(struct mdcache *c)
{
	for (size_t b = 0; b < c->nb; b++)
		clear_bucket_inodes(c, b);
}

struct mdcache_dentry *mdcache_get_dentry(struct mdcache *c, uint64_t dir,
					  const char *name, size_t len)
{
	if (!c->nb)
		return NULL;
	for (struct mdcache_dentry *d = c->db[hash_dentry(dir, name, len) % c->nb];
	     d; d = d->next)
		if (d->dir == dir && strlen(d->name) == len &&
		    !memcmp(d->name, name, len)) {
			lru_touch(c, &d->lru);
			return d;
		}
	return NULL;
}

void mdcache_put_dentry(struct mdcache *c, uint64_t dir, const char *name,
			size_t len, uint64_t ino, int mds,
			uint64_t lease_until_ms, unsigned session_gen,
			unsigned dir_cap_gen)
{
	struct mdcache_dentry *d;

	if (!c->nb || !len)
		return;
	d = mdcache_get_dentry(c, dir, name, len);
	if (!d) {
		size_t b = hash_dentry(dir, name, len) % c->nb;

		if (c->ninodes + c->ndentries >= c->max)
			trim(c);
		d = calloc(1, sizeof(*d));
		if (!d || !(d->name = strndup(name, len))) {
			free(d);
			return;
		}
		d->lru.kind = MDCACHE_DENTRY;
		lru_push_front(c, &d->lru);
		d->dir = dir;
		d->next = c->db[b];
		c->db[b] = d;
		c->ndentries++;
	}
	d->ino = ino;
	d->mds = mds;
	d->lease_until_ms = lease_until_ms;
	d->session_gen = session_gen;
	d->dir_cap_gen = dir_cap_gen;
}

void mdcache_drop_dentry(struct mdcache *c, uint64_t dir, const char *name,
			 size_t len)
{
	struct mdcache_dentry **pp;

	if (!c->nb)
		return;
	for (pp = &c->db[hash_dentry(dir, name, len) % c->nb]; *pp; pp = &(*pp)->next) {
		struct mdcache_dentry *d = *pp;

		if (d->dir == dir && strlen(d->name) == len &&
		    !memcmp(d->name, name, len)) {
			*pp = d->next;
			free_dentry(d);
			c->ndentries--;
			return;
		}
	}
}

void mdcache_drop_name(struct mdcache *c, const char *name, size_t len)
{
	for (size_t b = 0; b < c->nb; b++) {
		struct mdcache_dentry **pp = &c->db[b];

		while (*pp) {
			struct mdcache_dentry *d = *pp;

			if (strlen(d->name) == len && !memcmp(d->name, name, len)) {
				*pp = d->next;
				free_dentry(d);
				c->ndentries--;
			} else {
				pp = &d->next;
			}
		}
	}
}

void mdcache_drop_mds(struct mdcache *c, int mds)
{
	for (size_t b = 0; b < c->nb; b++) {
		struct mdcache_inode **ip = &c->ib[b];
		struct mdcache_dentry **dp = &c->db[b];

		while (*ip) {
			struct mdcache_inode *i = *ip;

			if (i->mds == mds) {
				*ip = i->next;
				free_inode(i);
				c->ninodes--;
			} else {
				ip = &i->next;
			}
		}
		while (*dp) {
			struct mdcache_dentry *d = *dp;

			if (d->mds == mds) {
				*dp = d->next;
				free_dentry(d);
				c->ndentries--;
			} else {
				dp = &d->next;
			}
		}
	}
}

/* The nodes the kernel knows (node id -> siphon inode handle, with the
 * kernel's lookup count) and the thread that passes the core's
 * invalidations on to the kernel.
 *
 * Node ids are Ceph inode numbers, except that the mounted root (which
 * may be a subtree, -r) is FUSE_ROOT_ID. The root's node is not in the
 * map: its reference is held by the mount for its whole life and the
 * kernel never forgets it. Every other node holds exactly nlookup siphon
 * references; forget gives them back and drops the node at zero.
 *
 * Being inode numbers, node ids stay the same after a forget and across
 * remounts, and the generation is always 0: a file handle the kernel made
 * (node id, generation) names the same inode for as long as it exists,
 * and ops.c finds a node it no longer knows by number. The MDS has no
 * generation to offer: once a removed inode is purged its number may be
 * given to a new file, which an old handle then opens, as with Ceph's
 * kernel client, whose handles carry the number alone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "sfuse.h"

static size_t bucket(const struct sf *s, uint64_t nodeid)
{
	return (size_t)((nodeid * 0x9e3779b97f4a7c15ULL) >> 29) & (s->nbuckets - 1);
}

int sf_nodes_init(struct sf *s)
{
	pthread_mutex_init(&s->nlock, NULL);
	pthread_mutex_init(&s->qlock, NULL);
	pthread_cond_init(&s->qcond, NULL);
	pthread_mutex_init(&s->slock, NULL);
	pthread_mutex_init(&s->hlock, NULL);
	s->qtail = &s->qhead;
	s->nbuckets = 1024;
	s->ntab = calloc(s->nbuckets, sizeof(*s->ntab));
	return s->ntab ? 0 : -ENOMEM;
}

static void node_free(struct sf_node *n)
{
	free(n->name);
	free(n);
}

void sf_nodes_free(struct sf *s)
{
	size_t left = 0;

	pthread_mutex_lock(&s->nlock);
	for (size_t b = 0; b < s->nbuckets; b++)
		while (s->ntab[b]) {
			struct sf_node *n = s->ntab[b];

			s->ntab[b] = n->next;
			siphon_ll_put(s->c, n->in, n->nlookup);
			node_free(n);
			left++;
		}
	s->nnodes = 0;
	pthread_mutex_unlock(&s->nlock);
	free(s->ntab);
	s->ntab = NULL;
	if (left)
		dout(LOG_FUSE, 5, "unmount: %zu nodes the kernel did not forget", left);
}

uint64_t sf_nodeid(const struct sf *s, uint64_t ino)
{
	return ino == s->root_ino ? FUSE_ROOT_ID : ino;
}

uint64_t sf_node_ino(const struct sf *s, fuse_ino_t nodeid)
{
	return nodeid == FUSE_ROOT_ID ? s->root_ino : nodeid;
}

static struct sf_node *find_locked(struct sf *s, uint64_t nodeid)
{
	for (struct sf_node *n = s->ntab[bucket(s, nodeid)]; n; n = n->next)
		if (n->nodeid == nodeid)
			return n;
	return NULL;
}

static void grow_locked(struct sf *s)
{
	size_t nb = s->nbuckets * 2, ob = s->nbuckets;
	struct sf_node **t = calloc(nb, sizeof(*t)), **ot = s->ntab;

	if (!t)
		return;		/* longer chains, still correct */
	s->ntab = t;
	s->nbuckets = nb;
	for (size_t b = 0; b < ob; b++)
		while (ot[b]) {
			struct sf_node *n = ot[b];

			ot[b] = n->next;
			n->next = t[bucket(s, n->nodeid)];
			t[bucket(s, n->nodeid)] = n;
		}
	free(ot);
}

struct siphon_inode *sf_node_get(struct sf *s, fuse_ino_t nodeid)
{
	struct siphon_inode *in = NULL;
	struct sf_node *n;

	if (nodeid == FUSE_ROOT_ID)
		return siphon_ll_get(s->c, s->root);
	pthread_mutex_lock(&s->nlock);
	n = find_locked(s, nodeid);
	if (n)
		in = siphon_ll_get(s->c, n->in);
	pthread_mutex_unlock(&s->nlock);
	if (!in)
		dout(LOG_FUSE, 1, "request for node %#llx the kernel never looked up",
		     (unsigned long long)nodeid);
	return in;
}

bool sf_node_known(struct sf *s, fuse_ino_t nodeid)
{
	bool known;

	if (nodeid == FUSE_ROOT_ID)
		return true;
	pthread_mutex_lock(&s->nlock);
	known = find_locked(s, nodeid) != NULL;
	pthread_mutex_unlock(&s->nlock);
	return known;
}

uint64_t sf_node_lookup(struct sf *s, struct siphon_inode *in,
			fuse_ino_t parent, const char *name, bool dir)
{
	uint64_t nodeid = sf_nodeid(s, siphon_ll_ino(in));
	struct sf_node *n;

	if (nodeid == FUSE_ROOT_ID) {
		/* the kernel counts lookups of the root but never forgets
		 * them: the mount's own reference is enough */
		siphon_ll_put(s->c, in, 1);
		return nodeid;
	}
	pthread_mutex_lock(&s->nlock);
	n = find_locked(s, nodeid);
	if (!n) {
		n = calloc(1, sizeof(*n));
		if (!n) {
			/* keep the reference: better a leak than a node
			 * the kernel uses and we cannot find */
			pthread_mutex_unlock(&s->nlock);
			return nodeid;
		}
		if (s->nnodes >= s->nbuckets)
			grow_locked(s);
		n->nodeid = nodeid;
		n->in = in;
		n->next = s->ntab[bucket(s, nodeid)];
		s->ntab[bucket(s, nodeid)] = n;
		s->nnodes++;
	}
	/* the same inode gives the same handle: the reference is n->in's */
	n->nlookup++;
	n->dir = dir;
	if (name && parent && (n->parent != parent || !n->name ||
			       strcmp(n->name, name))) {
		char *copy = strdup(name);

		if (copy) {
			free(n->name);
			n->name = copy;
			n->parent = parent;
		}
	}
	pthread_mutex_unlock(&s->nlock);
	return nodeid;
}

void sf_node_forget(struct sf *s, fuse_ino_t nodeid, uint64_t nlookup)
{
	struct sf_node **pp, *n;

	if (nodeid == FUSE_ROOT_ID)
		return;
	pthread_mutex_lock(&s->nlock);
	for (pp = &s->ntab[bucket(s, nodeid)]; (n = *pp); pp = &n->next)
		if (n->nodeid == nodeid)
			break;
	if (!n) {
		pthread_mutex_unlock(&s->nlock);
		dout(LOG_FUSE, 1, "forget of unknown node %#llx",
		     (unsigned long long)nodeid);
		return;
	}
	if (nlookup > n->nlookup)
		nlookup = n->nlookup;
	siphon_ll_put(s->c, n->in, nlookup);
	n->nlookup -= nlookup;
	if (!n->nlookup) {
		*pp = n->next;
		s->nnodes--;
		node_free(n);
	}
	pthread_mutex_unlock(&s->nlock);
}

/* ---- notifications ----
 * The core calls these on its network thread, which must not block and
 * must not call siphon: they only queue. The thread below writes the
 * notifications to the kernel, which may take locks of its own (an entry
 * invalidation locks the directory) and so may wait for requests in
 * flight, which the FUSE workers answer meanwhile. */

#define QUEUE_MAX 65536		/* beyond this, invalidations are dropped */
#define TRIM_MAX  4096		/* entries one trim asks the kernel to drop */

static void enqueue(struct sf *s, struct sf_note *nt)
{
	pthread_mutex_lock(&s->qlock);
	if (s->qstop || s->qlen >= QUEUE_MAX) {
		pthread_mutex_unlock(&s->qlock);
		free(nt->name);
		free(nt);
		return;
	}
	*s->qtail = nt;
	s->qtail = &nt->next;
	s->qlen++;
	pthread_cond_signal(&s->qcond);
	pthread_mutex_unlock(&s->qlock);
}

static void cb_inval_inode(void *arg, uint64_t ino)
{
	struct sf *s = arg;
	struct sf_note *nt = calloc(1, sizeof(*nt));

	if (!nt)
		return;
	nt->kind = SF_INVAL_INODE;
	nt->nodeid = sf_nodeid(s, ino);
	enqueue(s, nt);
}

static void cb_inval_entry(void *arg, uint64_t dir_ino, const char *name,
			   size_t len)
{
	struct sf *s = arg;
	struct sf_note *nt = calloc(1, sizeof(*nt));

	if (!nt)
		return;
	nt->kind = SF_INVAL_ENTRY;
	nt->parent = sf_nodeid(s, dir_ino);
	nt->name = strndup(name, len);
	if (!nt->name) {
		free(nt);
		return;
	}
	enqueue(s, nt);
}

static void cb_trim(void *arg)
{
	struct sf *s = arg;
	struct sf_note *nt = calloc(1, sizeof(*nt));

	if (!nt)
		return;
	nt->kind = SF_TRIM;
	enqueue(s, nt);
}

/* A trim: ask the kernel to drop the entries of the files (not the
 * directories, which may be someone's working directory) it holds; those
 * it does not use it forgets, and siphon can then let their caps go. */
static void do_trim(struct sf *s)
{
	struct { uint64_t parent; char *name; } *v;
	size_t n = 0, dropped = 0;

	v = calloc(TRIM_MAX, sizeof(*v));
	if (!v)
		return;
	pthread_mutex_lock(&s->nlock);
	for (size_t b = 0; b < s->nbuckets && n < TRIM_MAX; b++)
		for (struct sf_node *nd = s->ntab[b]; nd && n < TRIM_MAX; nd = nd->next)
			if (!nd->dir && nd->name && nd->parent) {
				v[n].name = strdup(nd->name);
				v[n].parent = nd->parent;
				if (v[n].name)
					n++;
			}
	pthread_mutex_unlock(&s->nlock);
	for (size_t i = 0; i < n; i++) {
		if (!fuse_lowlevel_notify_inval_entry(s->se, v[i].parent, v[i].name,
						      strlen(v[i].name)))
			dropped++;
		free(v[i].name);
	}
	free(v);
	dout(LOG_FUSE, 3, "trim: asked the kernel to drop %zu of %zu entries",
	     dropped, n);
}

static void *notify_thread(void *arg)
{
	struct sf *s = arg;

	pthread_mutex_lock(&s->qlock);
	for (;;) {
		struct sf_note *nt;
		int r = 0;

		while (!s->qhead && !s->qstop)
			pthread_cond_wait(&s->qcond, &s->qlock);
		if (s->qstop)
			break;
		nt = s->qhead;
		s->qhead = nt->next;
		if (!s->qhead)
			s->qtail = &s->qhead;
		s->qlen--;
		pthread_mutex_unlock(&s->qlock);

		switch (nt->kind) {
		case SF_INVAL_INODE:
			if (sf_node_known(s, nt->nodeid))
				r = fuse_lowlevel_notify_inval_inode(s->se, nt->nodeid, 0, 0);
			dout(LOG_FUSE, 10, "inval inode %#llx: %d",
			     (unsigned long long)nt->nodeid, r);
			break;
		case SF_INVAL_ENTRY:
			if (sf_node_known(s, nt->parent))
				r = fuse_lowlevel_notify_inval_entry(s->se, nt->parent,
								     nt->name,
								     strlen(nt->name));
			dout(LOG_FUSE, 10, "inval entry %#llx/%s: %d",
			     (unsigned long long)nt->parent, nt->name, r);
			break;
		case SF_TRIM:
			do_trim(s);
			break;
		}
		free(nt->name);
		free(nt);
		pthread_mutex_lock(&s->qlock);
	}
	pthread_mutex_unlock(&s->qlock);
	return NULL;
}

int sf_notify_start(struct sf *s)
{
	struct siphon_callbacks cb = {
		.inval_inode = cb_inval_inode,
		.inval_entry = cb_inval_entry,
		.trim = cb_trim,
		.arg = s,
	};
	int r = pthread_create(&s->qthread, NULL, notify_thread, s);

	if (r)
		return -r;
	s->qrunning = true;
	siphon_set_callbacks(s->c, &cb);
	return 0;
}

void sf_notify_stop(struct sf *s)
{
	siphon_set_callbacks(s->c, NULL);
	pthread_mutex_lock(&s->qlock);
	s->qstop = true;
	pthread_cond_signal(&s->qcond);
	pthread_mutex_unlock(&s->qlock);
	if (s->qrunning)
		pthread_join(s->qthread, NULL);
	s->qrunning = false;
	while (s->qhead) {
		struct sf_note *nt = s->qhead;

		s->qhead = nt->next;
		free(nt->name);
		free(nt);
	}
	s->qtail = &s->qhead;
	s->qlen = 0;
}

/*
 * CRUSH rule interpretation: the same mapping Ceph's crush_do_rule
 * computes, written for hostile input.
 *
 * A rule is a little program over a working vector of items: TAKE puts
 * one bucket (or device) in it, a CHOOSE step replaces every bucket in it
 * by `numrep` distinct items of a given type found below that bucket
 * (CHOOSELEAF also descends from each of those to one device), EMIT
 * appends the vector to the result. SET_* steps override the map's
 * tunables for the rest of the rule.
 *
 * A choice walks down from a bucket, asking each bucket on the way for
 * one of its items with a pseudo-random draw keyed by (x, r), where r
 * starts at the replica's position and grows with each failure. An item
 * fails when it collides with one already chosen, when it is a device
 * that is "out" for this x (weights), or when a CHOOSELEAF finds no
 * device below it. Two strategies differ in how they retry:
 *
 *  - firstn (replicated pools): replicas are filled left to right; a
 *    failure retries the same bucket a few times ("local" tries), then
 *    the whole descent with r + 1, up to `tries` descents, then gives up
 *    on that replica and the list gets shorter.
 *  - indep (erasure-coded pools): every position keeps its slot; rounds
 *    retry all still-empty positions with r advanced by numrep per round,
 *    so a failure at one position moves no other; a position left empty
 *    holds CRUSH_ITEM_NONE.
 *
 * Tunables that change the sequence of r values: chooseleaf_vary_r
 * (the leaf search starts from the parent's r), chooseleaf_stable (the
 * leaf search starts at replica 0 whatever the position), and
 * chooseleaf_descend_once (one leaf try per parent try).
 *
 * Differences from Ceph, all on maps Ceph itself would never build: an
 * item naming a missing bucket, a descent deeper than SCRUSH_MAX_DEPTH
 * and a malformed tree bucket count as bad items (skipped, or NONE for
 * indep) instead of reading out of bounds, and the whole call gives up
 * with -ELOOP after SCRUSH_WORK_BUDGET steps.
 */
#include "crush_mapper.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* Per-call state: the inputs every level needs and the work budget. */
struct walk {
	const struct crush_map *map;
	const uint32_t *weights;
	int weight_max;
	const struct crush_choose_arg_map *cargs;
	int32_t x;
	uint32_t budget;
	bool exhausted;
};

/* The retry parameters of one CHOOSE step (rule steps may override the
 * map's tunables). */
struct tries {
	unsigned total;		/* descents per replica */
	unsigned leaf;		/* descents per leaf search (chooseleaf) */
	unsigned local;		/* same-bucket retries after a collision */
	unsigned local_fallback;/* same-bucket retries, then exhaustive */
	unsigned vary_r;
	unsigned stable;
};

/* A draw that could not produce an item: at or past any max_devices,
 * so the callers treat it as a bad item. */
#define BAD_ITEM CRUSH_ITEM_NONE

/* Charges one draw from bucket b: as many hashes as it has items (a
 * tree's descent, at most 32 levels; a uniform bucket's permutation
 * step, one). */
static bool spend(struct walk *w, const struct crush_bucket *b)
{
	uint32_t cost = b->alg == CRUSH_BUCKET_TREE ? 32 :
			b->alg == CRUSH_BUCKET_UNIFORM ? 1 :
			b->size ? b->size : 1;

	if (w->budget < cost) {
		w->budget = 0;
		w->exhausted = true;
		return false;
	}
	w->budget -= cost;
	return true;
}

static const struct crush_bucket *bucket_of(const struct crush_map *m,
					    int32_t item)
{
	int64_t idx = -1 - (int64_t)item;

	if (item >= 0 || idx >= m->max_buckets)
		return NULL;
	return m->buckets[idx];
}

/*
 * Uniform buckets (and the local fallback of the others) pick position
 * pr = r mod size of a permutation of the items built by Fisher-Yates
 * steps: step p swaps positions p and p + hash(x, id, p) mod (size - p).
 * Position pr is final after step pr, so its item is found by following
 * pr backwards through steps pr..0, with no permutation array at all.
 */
static int32_t perm_pick(const struct crush_bucket *b, int32_t x, int32_t r)
{
	uint32_t size = b->size, pr = (uint32_t)r % size, pos = pr;

	for (uint32_t p = pr + 1; p-- > 0;) {
		uint32_t j;

		if (p + 1 >= size)	/* the last position never swaps */
			continue;
		j = p + scrush_hash32_3(b->hash, (uint32_t)x, (uint32_t)b->id,
					p) % (size - p);
		if (pos == p)
			pos = j;
		else if (pos == j)
			pos = p;
	}
	return b->items[pos];
}

/* List: walk from the newest item back; item i wins with probability
 * weight_i / (sum of weights 0..i). */
static int32_t list_pick(const struct crush_bucket *b, int32_t x, int32_t r)
{
	for (uint32_t i = b->size; i-- > 0;) {
		uint64_t draw = scrush_hash32_4(b->hash, (uint32_t)x,
						(uint32_t)b->items[i],
						(uint32_t)r, (uint32_t)b->id);

		draw = ((draw & 0xffff) * b->sum_weights[i]) >> 16;
		if (draw < b->item_weights[i])
			return b->items[i];
	}
	return b->items[0];
}

/* Tree: a binary tree laid out in-order (leaves at odd node numbers, a
 * node's height is its count of trailing zero bits); descend left or
 * right by the weights of the subtrees. */
static int32_t tree_pick(const struct crush_bucket *b, int32_t x, int32_t r)
{
	uint32_t n = b->num_nodes >> 1;

	while (!(n & 1)) {
		uint32_t half, left;
		uint64_t t;

		if (n == 0 || n >= b->num_nodes)
			return BAD_ITEM;
		half = 1u << (__builtin_ctz(n) - 1);
		left = n - half;
		t = (uint64_t)scrush_hash32_4(b->hash, (uint32_t)x, n,
					      (uint32_t)r, (uint32_t)b->id) *
		    b->node_weights[n];
		n = (t >> 32) < b->node_weights[left] ? left : n + half;
	}
	if ((n >> 1) >= b->size)
		return BAD_ITEM;
	return b->items[n >> 1];
}

/* Straw (legacy): the longest of the precomputed straws scaled by a
 * 16-bit draw; the first item wins ties. */
static int32_t straw_pick(const struct crush_bucket *b, int32_t x, int32_t r)
{
	uint64_t best = 0;
	uint32_t besti = 0;

	for (uint32_t i = 0; i < b->size; i++) {
		uint64_t draw = scrush_hash32_3(b->hash, (uint32_t)x,
						(uint32_t)b->items[i],
						(uint32_t)r) & 0xffff;

		draw *= b->straws[i];
		if (i == 0 || draw > best) {
			best = draw;
			besti = i;
		}
	}
	return b->items[besti];
}

/*
 * Straw2: each item draws ln(u)/weight for a uniform u in (0, 1] (an
 * exponential variable with rate = weight, negated) and the largest
 * wins, so an item's chance is its share of the weight and changing one
 * weight only moves data to or from that item. choose_args may replace
 * the weights (one set per replica position, the last reused) and the
 * ids that are hashed.
 */
static int32_t straw2_pick(const struct walk *w, const struct crush_bucket *b,
			   int32_t r, int position)
{
	const uint32_t *weights = b->item_weights;
	const int32_t *ids = b->items;
	const struct crush_choose_arg *arg = NULL;
	int64_t best = 0;
	uint32_t besti = 0;

	if (w->cargs)
		arg = crush_choose_arg_for(w->cargs, b->id);
	if (arg && arg->weight_set && arg->weight_set_positions > 0) {
		uint32_t pos = (uint32_t)position;

		if (pos >= arg->weight_set_positions)
			pos = arg->weight_set_positions - 1;
		if (arg->weight_set[pos].weights &&
		    arg->weight_set[pos].size >= b->size)
			weights = arg->weight_set[pos].weights;
	}
	if (arg && arg->ids && arg->ids_size >= b->size)
		ids = arg->ids;

	for (uint32_t i = 0; i < b->size; i++) {
		int64_t draw = INT64_MIN;

		if (weights[i]) {
			uint32_t u = scrush_hash32_3(b->hash, (uint32_t)w->x,
						     (uint32_t)ids[i],
						     (uint32_t)r) & 0xffff;
			/* log of (u+1)/2^16, in [-16, 0] * 2^44 */
			int64_t ln = (int64_t)scrush_ln(u) -
				     (int64_t)0x1000000000000ll;

			draw = ln / (int64_t)weights[i];
		}
		if (i == 0 || draw > best) {
			best = draw;
			besti = i;
		}
	}
	return b->items[besti];
}

/* One draw from a non-empty bucket. */
static int32_t bucket_pick(const struct walk *w, const struct crush_bucket *b,
			   int32_t r, int position)
{
	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		return perm_pick(b, w->x, r);
	case CRUSH_BUCKET_LIST:
		return list_pick(b, w->x, r);
	case CRUSH_BUCKET_TREE:
		return tree_pick(b, w->x, r);
	case CRUSH_BUCKET_STRAW:
		return straw_pick(b, w->x, r);
	case CRUSH_BUCKET_STRAW2:
		return straw2_pick(w, b, r, position);
	default:
		return b->items[0];
	}
}

/* Whether device `item` is out for this input: partially weighted
 * devices are in for the fraction of x whose hash falls under the
 * weight. An id that is no device (a hostile map's) is out. */
static bool device_is_out(const struct walk *w, int32_t item)
{
	uint32_t wt;

	if (item < 0 || item >= w->weight_max)
		return true;
	wt = w->weights[item];
	if (wt >= 0x10000)
		return false;
	if (wt == 0)
		return true;
	return (scrush_hash32_2(CRUSH_HASH_RJENKINS1, (uint32_t)w->x,
				(uint32_t)item) & 0xffff) >= wt;
}

/* The type of an item drawn from a bucket: 0 for a device, the bucket's
 * type, or -1 if it names no bucket (a bad item). */
static int item_type(const struct crush_map *m, int32_t item,
		     const struct crush_bucket **sub)
{
	*sub = NULL;
	if (item >= 0)
		return 0;
	*sub = bucket_of(m, item);
	return *sub ? (*sub)->type : -1;
}

static int32_t add_r(int32_t a, int32_t b, uint32_t c)
{
	return (int32_t)((uint32_t)a + (uint32_t)b + c);
}

/*
 * firstn: choose up to numrep items of `type` below `root` into
 * out[outpos..], at most out_size of them; with `leaf`, one device
 * below each into out2 at the same positions. Returns the new outpos.
 */
static int choose_firstn(struct walk *w, const struct crush_bucket *root,
			 const struct tries *t, int numrep, int type,
			 int32_t *out, int outpos, int out_size, bool leaf,
			 int32_t *out2, int32_t parent_r)
{
	const struct crush_map *m = w->map;
	int left = out_size;

	for (int rep = t->stable ? 0 : outpos;
	     rep < numrep && left > 0 && !w->exhausted; rep++) {
		unsigned ftotal = 0;
		bool placed = false, give_up = false;
		int32_t item = 0;

		while (!placed && !give_up) {
			/* one descent from the root */
			const struct crush_bucket *in = root;
			unsigned flocal = 0;
			int depth = 0;

			for (;;) {
				const struct crush_bucket *sub;
				int32_t r = add_r(rep, parent_r, ftotal);
				bool collide = false, reject = false;
				int itype;

				if (!spend(w, in)) {
					give_up = true;
					break;
				}
				if (in->size == 0) {
					reject = true;
					goto judge;
				}
				if (t->local_fallback > 0 &&
				    flocal >= (in->size >> 1) &&
				    flocal > t->local_fallback)
					item = perm_pick(in, w->x, r);
				else
					item = bucket_pick(w, in, r, outpos);
				if (item >= m->max_devices) {
					give_up = true;
					break;
				}
				itype = item_type(m, item, &sub);
				if (itype < 0) {
					give_up = true;
					break;
				}
				if (itype != type) {
					/* not there yet: descend */
					if (item >= 0 || ++depth > SCRUSH_MAX_DEPTH) {
						give_up = true;
						break;
					}
					in = sub;
					continue;
				}
				for (int i = 0; i < outpos; i++) {
					if (out[i] == item) {
						collide = true;
						break;
					}
				}
				if (!collide && leaf) {
					if (item < 0) {
						unsigned sh = t->vary_r - 1;
						int32_t sub_r = 0;
						struct tries inner = *t;

						if (t->vary_r && sh < 31)
							sub_r = r >> sh;
						inner.total = t->leaf;
						if (choose_firstn(w, sub, &inner,
								  t->stable ? 1 : outpos + 1,
								  0, out2, outpos, left,
								  false, NULL,
								  sub_r) <= outpos)
							reject = true;
						if (w->exhausted) {
							give_up = true;
							break;
						}
					} else {
						out2[outpos] = item;
					}
				}
				if (!reject && !collide && itype == 0)
					reject = device_is_out(w, item);
judge:
				if (!reject && !collide) {
					placed = true;
					break;
				}
				ftotal++;
				flocal++;
				if (collide && flocal <= t->local)
					continue;	/* retry this bucket */
				if (t->local_fallback > 0 &&
				    flocal <= in->size + t->local_fallback)
					continue;	/* exhaustive search here */
				if (ftotal >= t->total)
					give_up = true;
				break;			/* new descent */
			}
		}
		if (!placed)
			continue;
		out[outpos++] = item;
		left--;
	}
	return outpos;
}

/*
 * indep: fill out[outpos .. outpos+left) position by position, each
 * position keeping its slot; numrep (the step's replica count) spaces
 * the r values of successive rounds. Holes end as CRUSH_ITEM_NONE.
 */
static void choose_indep(struct walk *w, const struct crush_bucket *root,
			 int left, int numrep, int type, int32_t *out,
			 int outpos, unsigned tries, unsigned recurse_tries,
			 bool leaf, int32_t *out2, int32_t parent_r)
{
	const struct crush_map *m = w->map;
	int end = outpos + left;

	for (int rep = outpos; rep < end; rep++) {
		out[rep] = CRUSH_ITEM_UNDEF;
		if (out2)
			out2[rep] = CRUSH_ITEM_UNDEF;
	}
	for (unsigned ftotal = 0; left > 0 && ftotal < tries && !w->exhausted;
	     ftotal++) {
		for (int rep = outpos; rep < end && !w->exhausted; rep++) {
			const struct crush_bucket *in = root;
			int depth = 0;

			if (out[rep] != CRUSH_ITEM_UNDEF)
				continue;
			for (;;) {
				const struct crush_bucket *sub;
				uint32_t step = (uint32_t)numrep;
				int32_t r, item;
				bool collide = false;
				int itype;

				if (!spend(w, in))
					break;
				/* a uniform bucket whose size numrep divides
				 * would cycle through the same permutation
				 * slots: step by numrep + 1 there */
				if (in->alg == CRUSH_BUCKET_UNIFORM &&
				    in->size % (uint32_t)numrep == 0)
					step++;
				r = add_r(rep, parent_r, step * ftotal);
				if (in->size == 0)
					break;
				item = bucket_pick(w, in, r, outpos);
				itype = item < m->max_devices ?
					item_type(m, item, &sub) : -1;
				if (itype >= 0 && itype != type &&
				    (item >= 0 || ++depth > SCRUSH_MAX_DEPTH))
					itype = -1;
				if (itype < 0) {
					/* a bad item fills the slot for good */
					out[rep] = CRUSH_ITEM_NONE;
					if (out2)
						out2[rep] = CRUSH_ITEM_NONE;
					left--;
					break;
				}
				if (itype != type) {
					in = sub;
					continue;
				}
				for (int i = outpos; i < end; i++) {
					if (out[i] == item) {
						collide = true;
						break;
					}
				}
				if (collide)
					break;
				if (leaf) {
					if (item < 0) {
						choose_indep(w, sub, 1, numrep, 0,
							     out2, rep, recurse_tries,
							     0, false, NULL, r);
						if (out2[rep] == CRUSH_ITEM_NONE)
							break;
					} else {
						out2[rep] = item;
					}
				}
				if (itype == 0 && device_is_out(w, item))
					break;
				out[rep] = item;
				left--;
				break;
			}
		}
	}
	for (int rep = outpos; rep < end; rep++) {
		if (out[rep] == CRUSH_ITEM_UNDEF)
			out[rep] = CRUSH_ITEM_NONE;
		if (out2 && out2[rep] == CRUSH_ITEM_UNDEF)
			out2[rep] = CRUSH_ITEM_NONE;
	}
}

const struct crush_choose_arg_map *
scrush_choose_args_for(const struct crush_map *map, int64_t index)
{
	const struct crush_choose_arg_map *m;

	if (!map)
		return NULL;
	m = crush_choose_args_find(map, index);
	if (!m)
		m = crush_choose_args_find(map, -1);
	return m;
}

int scrush_do_rule(const struct crush_map *map, int ruleno, int32_t x,
		   int32_t *result, int result_max, const uint32_t *weights,
		   int weight_max, const struct crush_choose_arg_map *choose_args)
{
	return scrush_do_rule_budget(map, ruleno, x, result, result_max,
				     weights, weight_max, choose_args,
				     SCRUSH_WORK_BUDGET);
}

int scrush_do_rule_budget(const struct crush_map *map, int ruleno, int32_t x,
			  int32_t *result, int result_max,
			  const uint32_t *weights, int weight_max,
			  const struct crush_choose_arg_map *choose_args,
			  uint32_t budget)
{
	int32_t va[SCRUSH_MAX_RESULT], vb[SCRUSH_MAX_RESULT];
	int32_t leaves[SCRUSH_MAX_RESULT];
	int32_t *cur = va, *next = vb;
	const struct crush_rule *rule;
	struct walk w;
	struct tries t;
	int ncur = 0, nresult = 0;

	if (!map || !result || ruleno < 0 ||
	    (uint32_t)ruleno >= map->max_rules || !map->rules[ruleno])
		return -EINVAL;
	if (result_max <= 0 || result_max > SCRUSH_MAX_RESULT)
		return -EINVAL;
	rule = map->rules[ruleno];

	w.map = map;
	w.weights = weights;
	w.weight_max = weights && weight_max > 0 ? weight_max : 0;
	w.cargs = choose_args;
	w.x = x;
	w.budget = budget;
	w.exhausted = false;

	/* choose_total_tries counts retries; the loops count tries */
	t.total = map->choose_total_tries + 1;
	t.leaf = 0;
	t.local = map->choose_local_tries;
	t.local_fallback = map->choose_local_fallback_tries;
	t.vary_r = map->chooseleaf_vary_r;
	t.stable = map->chooseleaf_stable;

	for (uint32_t s = 0; s < rule->len && !w.exhausted; s++) {
		const struct crush_rule_step *st = &rule->steps[s];
		bool firstn, leaf;
		int nnext = 0;

		switch (st->op) {
		case CRUSH_RULE_TAKE:
			if ((st->arg1 >= 0 && st->arg1 < map->max_devices) ||
			    bucket_of(map, st->arg1)) {
				cur[0] = st->arg1;
				ncur = 1;
			}
			break;
		case CRUSH_RULE_SET_CHOOSE_TRIES:
			if (st->arg1 > 0)
				t.total = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_TRIES:
			if (st->arg1 > 0)
				t.leaf = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES:
			if (st->arg1 >= 0)
				t.local = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES:
			if (st->arg1 >= 0)
				t.local_fallback = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_VARY_R:
			if (st->arg1 >= 0)
				t.vary_r = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_STABLE:
			if (st->arg1 >= 0)
				t.stable = (unsigned)st->arg1;
			break;
		case CRUSH_RULE_CHOOSE_FIRSTN:
		case CRUSH_RULE_CHOOSELEAF_FIRSTN:
		case CRUSH_RULE_CHOOSE_INDEP:
		case CRUSH_RULE_CHOOSELEAF_INDEP:
			if (ncur == 0)
				break;
			firstn = st->op == CRUSH_RULE_CHOOSE_FIRSTN ||
				 st->op == CRUSH_RULE_CHOOSELEAF_FIRSTN;
			leaf = st->op == CRUSH_RULE_CHOOSELEAF_FIRSTN ||
			       st->op == CRUSH_RULE_CHOOSELEAF_INDEP;
			for (int i = 0; i < ncur && !w.exhausted; i++) {
				const struct crush_bucket *b = bucket_of(map, cur[i]);
				int numrep = st->arg1;

				if (numrep <= 0) {
					/* 0 means result_max, -n result_max - n */
					numrep += result_max;
					if (numrep <= 0)
						continue;
				}
				if (!b)		/* a device or NONE: nothing below */
					continue;
				if (firstn) {
					struct tries ft = t;

					/* the leaf search's tries */
					if (!t.leaf)
						ft.leaf = map->chooseleaf_descend_once ?
							  1 : t.total;
					nnext += choose_firstn(&w, b, &ft, numrep,
							       st->arg2, next + nnext, 0,
							       result_max - nnext, leaf,
							       leaves + nnext, 0);
				} else {
					int n = numrep < result_max - nnext ?
						numrep : result_max - nnext;

					choose_indep(&w, b, n, numrep, st->arg2,
						     next + nnext, 0, t.total,
						     t.leaf ? t.leaf : 1, leaf,
						     leaves + nnext, 0);
					nnext += n;
				}
			}
			if (leaf)
				memcpy(next, leaves, (size_t)nnext * sizeof(*next));
			{
				int32_t *tmp = cur;

				cur = next;
				next = tmp;
			}
			ncur = nnext;
			break;
		case CRUSH_RULE_EMIT:
			for (int i = 0; i < ncur && nresult < result_max; i++)
				result[nresult++] = cur[i];
			ncur = 0;
			break;
		default:
			break;
		}
	}
	if (w.exhausted)
		return -ELOOP;
	return nresult;
}

/* File striping arithmetic (see striper.h). */
#include "osd/striper.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MIN_STRIPE_UNIT 65536u

int stripe_layout_valid(const struct stripe_layout *l)
{
	if (!l->stripe_unit || !l->stripe_count || !l->object_size)
		return -EINVAL;
	if (l->stripe_unit % MIN_STRIPE_UNIT ||
	    l->object_size % l->stripe_unit)
		return -EINVAL;
	return 0;
}

void stripe_locate(const struct stripe_layout *l, uint64_t off,
		   uint64_t *objno, uint64_t *obj_off)
{
	uint64_t su = l->stripe_unit, sc = l->stripe_count;
	uint64_t units_per_obj = l->object_size / su;
	uint64_t unit = off / su;		/* which stripe unit of the file */
	uint64_t stripe = unit / sc;		/* which row of units */
	uint64_t col = unit % sc;		/* which object of the set */
	uint64_t set = stripe / units_per_obj;	/* which object set */

	*objno = set * sc + col;
	*obj_off = (stripe % units_per_obj) * su + off % su;
}

uint64_t stripe_object_truncate_size(const struct stripe_layout *l,
				     uint64_t objno, uint64_t trunc_size)
{
	uint64_t su = l->stripe_unit, sc = l->stripe_count;
	uint64_t tobj, toff, set, tset, row;

	/* 0 and "never truncated" (all ones) mean the same in every object */
	if (trunc_size == 0 || trunc_size == UINT64_MAX)
		return trunc_size;
	stripe_locate(l, trunc_size, &tobj, &toff);
	set = objno / sc;
	tset = tobj / sc;
	if (set < tset)
		return l->object_size;	/* wholly below the cut */
	if (set > tset)
		return 0;		/* wholly above it */
	if (objno == tobj)
		return toff;
	/* same set, another column: it got the units of every row before
	 * the cut's, and of the cut's row too when its column comes first */
	row = toff / su;
	return (objno % sc < tobj % sc ? row + 1 : row) * su;
}

/* Index of the extent for objno, or num_ext if none yet. The number of
 * distinct objects in one call is bounded by max_objects, so a linear
 * scan over them is cheap. */
static uint32_t find_extent(const struct stripe_map *m, uint64_t objno)
{
	for (uint32_t i = 0; i < m->num_ext; i++)
		if (m->ext[i].objno == objno)
			return i;
	return m->num_ext;
}

int stripe_map_range(const struct stripe_layout *l, uint64_t off, uint64_t len,
		     uint32_t max_objects, struct stripe_map *out,
		     uint64_t *covered)
{
	uint64_t su = l->stripe_unit, pos = 0;
	uint32_t cap_ext = 0, cap_pieces = 0;
	/* pieces are collected per extent first, then laid out contiguously */
	struct { uint64_t objno, buf_off, len; uint32_t ext; } *raw = NULL;
	uint32_t nraw = 0, cap_raw = 0;
	int r = -ENOMEM;

	*out = (struct stripe_map){ 0 };
	*covered = 0;
	if (stripe_layout_valid(l))
		return -EINVAL;
	if (!max_objects)
		max_objects = 1;
	while (pos < len) {
		uint64_t objno, obj_off, n;
		uint32_t e;

		stripe_locate(l, off + pos, &objno, &obj_off);
		n = su - (off + pos) % su;
		if (n > len - pos)
			n = len - pos;
		e = find_extent(out, objno);
		if (e == out->num_ext) {
			if (out->num_ext == max_objects)
				break;
			if (out->num_ext == cap_ext) {
				uint32_t nc = cap_ext ? cap_ext * 2 : 8;
				void *p = realloc(out->ext, nc * sizeof(*out->ext));

				if (!p)
					goto fail;
				out->ext = p;
				cap_ext = nc;
			}
			out->ext[e] = (struct stripe_extent){
				.objno = objno, .off = obj_off, .len = 0,
			};
			out->num_ext++;
		}
		/* Units of one object come in increasing object offset as
		 * the file offset grows, so each lands right after the
		 * previous one: the extent stays contiguous. */
		out->ext[e].len = obj_off + n - out->ext[e].off;
		out->ext[e].num_pieces++;
		if (nraw == cap_raw) {
			uint32_t nc = cap_raw ? cap_raw * 2 : 8;
			void *p = realloc(raw, nc * sizeof(*raw));

			if (!p)
				goto fail;
			raw = p;
			cap_raw = nc;
		}
		raw[nraw].objno = objno;
		raw[nraw].buf_off = pos;
		raw[nraw].len = n;
		raw[nraw].ext = e;
		nraw++;
		pos += n;
	}
	cap_pieces = nraw ? nraw : 1;
	out->pieces = calloc(cap_pieces, sizeof(*out->pieces));
	if (!out->pieces)
		goto fail;
	{
		uint32_t next = 0;

		for (uint32_t i = 0; i < out->num_ext; i++) {
			out->ext[i].first_piece = next;
			next += out->ext[i].num_pieces;
			out->ext[i].num_pieces = 0;
		}
		for (uint32_t i = 0; i < nraw; i++) {
			struct stripe_extent *x = &out->ext[raw[i].ext];
			struct stripe_piece *p =
				&out->pieces[x->first_piece + x->num_pieces++];

			p->buf_off = raw[i].buf_off;
			p->len = raw[i].len;
		}
		out->num_pieces = nraw;
	}
	free(raw);
	*covered = pos;
	return 0;
fail:
	free(raw);
	stripe_map_release(out);
	return r;
}

void stripe_map_release(struct stripe_map *m)
{
	free(m->ext);
	free(m->pieces);
	*m = (struct stripe_map){ 0 };
}

int stripe_object_name(uint64_t ino, uint64_t objno, char *buf, size_t n)
{
	int w = snprintf(buf, n, "%" PRIx64 ".%08" PRIx64, ino, objno);

	return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : w;
}

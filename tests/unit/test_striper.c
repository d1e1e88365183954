/* File striping: object extents checked byte by byte against the layout's
 * definition, for the default layout and striped ones. */
#include <errno.h>
#include <stdlib.h>

#include "osd/striper.h"
#include "test.h"

/* The definition, one byte at a time. */
static void locate_slow(const struct stripe_layout *l, uint64_t off,
			uint64_t *objno, uint64_t *obj_off)
{
	uint64_t unit = off / l->stripe_unit;
	uint64_t per_obj = l->object_size / l->stripe_unit;
	uint64_t set_units = per_obj * l->stripe_count;
	uint64_t set = unit / set_units, in_set = unit % set_units;

	*objno = set * l->stripe_count + in_set % l->stripe_count;
	*obj_off = (in_set / l->stripe_count) * l->stripe_unit +
		   off % l->stripe_unit;
}

static void check_range(const struct stripe_layout *l, uint64_t off,
			uint64_t len, uint32_t max_obj)
{
	struct stripe_map m;
	uint64_t covered;
	uint64_t total = 0;

	CHECK_EQ(stripe_map_range(l, off, len, max_obj, &m, &covered), 0);
	CHECK(covered <= len);
	if (max_obj >= 1000)
		CHECK_EQ(covered, len);
	CHECK(m.num_ext <= (max_obj ? max_obj : 1));
	for (uint32_t e = 0; e < m.num_ext; e++) {
		const struct stripe_extent *x = &m.ext[e];
		uint64_t obj_pos = x->off, sum = 0;

		for (uint32_t k = 0; k < x->num_pieces; k++) {
			const struct stripe_piece *p =
				&m.pieces[x->first_piece + k];
			uint64_t objno, oo;

			/* first and last byte of the piece */
			locate_slow(l, off + p->buf_off, &objno, &oo);
			CHECK_EQ(objno, x->objno);
			CHECK_EQ(oo, obj_pos);
			locate_slow(l, off + p->buf_off + p->len - 1, &objno, &oo);
			CHECK_EQ(objno, x->objno);
			CHECK_EQ(oo, obj_pos + p->len - 1);
			obj_pos += p->len;
			sum += p->len;
		}
		CHECK_EQ(sum, x->len);
		CHECK(x->off + x->len <= l->object_size);
		total += sum;
		for (uint32_t f = 0; f < e; f++)
			CHECK(m.ext[f].objno != x->objno);
	}
	CHECK_EQ(total, covered);
	stripe_map_release(&m);
}

TEST(striper_default_layout)
{
	struct stripe_layout l = { 4 << 20, 1, 4 << 20 };
	uint64_t objno, oo;

	stripe_locate(&l, 0, &objno, &oo);
	CHECK_EQ(objno, 0);
	CHECK_EQ(oo, 0);
	stripe_locate(&l, (4 << 20) + 5, &objno, &oo);
	CHECK_EQ(objno, 1);
	CHECK_EQ(oo, 5);
	stripe_locate(&l, 5ull << 32, &objno, &oo);	/* 20 GiB */
	CHECK_EQ(objno, 5 * 1024);
	CHECK_EQ(oo, 0);
	check_range(&l, 0, 9000000, 1000);
	check_range(&l, 4194303, 2, 1000);
	check_range(&l, (5ull << 32) - 7, 100, 1000);
}

TEST(striper_striped_layouts)
{
	static const struct stripe_layout ls[] = {
		{ 65536, 4, 1 << 20 },
		{ 1 << 20, 4, 1 << 20 },
		{ 65536, 3, 196608 },
		{ 131072, 7, 4 << 20 },
		{ 65536, 1, 65536 },
	};
	unsigned seed = 7;

	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		check_range(&ls[i], 0, 16 << 20, 1000);
		for (int k = 0; k < 200; k++) {
			uint64_t off = (uint64_t)rand_r(&seed) * 97 % (64ull << 20);
			uint64_t len = 1 + (uint64_t)rand_r(&seed) % (9 << 20);

			check_range(&ls[i], off, len, 1000);
			check_range(&ls[i], off, len, 1 + k % 5);
		}
	}
}

TEST(striper_partial_by_max_objects)
{
	struct stripe_layout l = { 4 << 20, 1, 4 << 20 };
	struct stripe_map m;
	uint64_t covered;

	CHECK_EQ(stripe_map_range(&l, 1 << 20, 20 << 20, 2, &m, &covered), 0);
	CHECK_EQ(m.num_ext, 2);
	CHECK_EQ(covered, 7 << 20);	/* the rest of object 0, all of 1 */
	stripe_map_release(&m);
}

TEST(striper_bad_layouts)
{
	static const struct stripe_layout bad[] = {
		{ 0, 1, 4 << 20 },
		{ 4 << 20, 0, 4 << 20 },
		{ 4 << 20, 1, 0 },
		{ 4096, 1, 4 << 20 },		/* below 64 KiB */
		{ 3 << 20, 1, 4 << 20 },	/* object not a multiple */
	};
	struct stripe_map m;
	uint64_t covered;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(stripe_layout_valid(&bad[i]), -EINVAL);
		CHECK_EQ(stripe_map_range(&bad[i], 0, 100, 4, &m, &covered),
			 -EINVAL);
	}
}

TEST(striper_object_names)
{
	char b[64];

	CHECK(stripe_object_name(0x10000000001ull, 0, b, sizeof(b)) > 0);
	CHECK_STR(b, "10000000001.00000000");
	CHECK(stripe_object_name(0x1234, 0x1abcdef12ull, b, sizeof(b)) > 0);
	CHECK_STR(b, "1234.1abcdef12");
	CHECK_EQ(stripe_object_name(1, 1, b, 5), -ENAMETOOLONG);
}

/* The definition of an object's truncate size: how many of its bytes have
 * a file offset below the cut, counted a stripe unit at a time over the
 * file (the last unit below the cut counted in part). */
static uint64_t obj_trunc_slow(const struct stripe_layout *l, uint64_t objno,
			       uint64_t cut)
{
	uint64_t n = 0;

	for (uint64_t u = 0; u * l->stripe_unit < cut; u++) {
		uint64_t o, oo, off = u * l->stripe_unit;
		uint64_t part = cut - off < l->stripe_unit ? cut - off
							    : l->stripe_unit;

		locate_slow(l, off, &o, &oo);
		if (o == objno)
			n += part;
	}
	return n;
}

TEST(striper_object_truncate_size)
{
	static const struct stripe_layout ls[] = {
		{ 4 << 20, 1, 4 << 20 },
		{ 65536, 4, 1 << 20 },
		{ 65536, 3, 196608 },
		{ 131072, 7, 1 << 20 },
		{ 65536, 1, 65536 },
	};
	unsigned seed = 11;

	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		const struct stripe_layout *l = &ls[i];

		/* the special values pass through unchanged */
		CHECK_EQ(stripe_object_truncate_size(l, 3, 0), 0);
		CHECK_EQ(stripe_object_truncate_size(l, 3, UINT64_MAX),
			 UINT64_MAX);
		for (int k = 0; k < 60; k++) {
			uint64_t cut = 1 + (uint64_t)rand_r(&seed) % (24 << 20);

			if (k < 4)	/* on unit and object boundaries */
				cut = (uint64_t)(k + 1) * l->stripe_unit *
				      (k & 1 ? l->stripe_count : 1);
			for (uint64_t o = 0; o < 3 * l->stripe_count + 2; o++)
				CHECK_EQ(stripe_object_truncate_size(l, o, cut),
					 obj_trunc_slow(l, o, cut));
		}
	}
	/* the default layout: a cut at 5 MiB leaves object 0 whole, 1 MiB
	 * of object 1 and nothing of object 2 (the file's 5 MiB is what a
	 * client that forgot this sent to every object) */
	{
		struct stripe_layout d = { 4 << 20, 1, 4 << 20 };

		CHECK_EQ(stripe_object_truncate_size(&d, 0, 5 << 20), 4 << 20);
		CHECK_EQ(stripe_object_truncate_size(&d, 1, 5 << 20), 1 << 20);
		CHECK_EQ(stripe_object_truncate_size(&d, 2, 5 << 20), 0);
	}
}

/* Complete directory listings: the name index against a plain model
 * under many random changes (collisions, wrap-around, the backward
 * shift on removal, growth), and the edge cases. */
#include "test.h"

#include <stdlib.h>

#include "mds/listing.h"

#define NAMES 3000

static char model_name[NAMES][16];
static uint64_t model_ino[NAMES];	/* 0: not in the listing */

/* Every name, present or not, is found exactly as the model says. */
static int agrees(const struct listing *l)
{
	uint32_t present = 0;
	int bad = 0;

	for (int i = 0; i < NAMES; i++) {
		int64_t k = listing_find(l, model_name[i], strlen(model_name[i]));

		if (model_ino[i]) {
			present++;
			if (k < 0 || l->inos[k] != model_ino[i] ||
			    strcmp(l->names[k], model_name[i]))
				bad++;
		} else if (k >= 0) {
			bad++;
		}
	}
	return bad == 0 && present == l->n;
}

TEST(listing_random_changes)
{
	struct listing l;
	unsigned seed = 12345;

	listing_init(&l, 0x10000000001ULL, 0, 7);
	CHECK(l.used);
	CHECK_EQ(listing_find(&l, "x", 1), -1);
	listing_remove(&l, "x", 1);	/* absent, empty: nothing happens */
	for (int i = 0; i < NAMES; i++) {
		snprintf(model_name[i], sizeof(model_name[i]), "f%d", i);
		model_ino[i] = 0;
	}
	for (int round = 0; round < 40000; round++) {
		int i = (int)(rand_r(&seed) % NAMES);
		const char *n = model_name[i];

		/* mostly adds early on, then as many removals as adds */
		if (rand_r(&seed) % 100 < (round < 10000 ? 80 : 50)) {
			uint64_t ino = 0x1000 + (uint64_t)round;

			CHECK_EQ(listing_set(&l, n, strlen(n), ino), 0);
			model_ino[i] = ino;
		} else {
			listing_remove(&l, n, strlen(n));
			model_ino[i] = 0;
		}
		if (round % 997 == 0 && !agrees(&l)) {
			CHECK(!"the listing disagrees with the model");
			break;
		}
	}
	CHECK(agrees(&l));
	/* empty it entirely, then fill it again */
	for (int i = 0; i < NAMES; i++) {
		listing_remove(&l, model_name[i], strlen(model_name[i]));
		model_ino[i] = 0;
	}
	CHECK_EQ(l.n, 0);
	CHECK(agrees(&l));
	for (int i = 0; i < NAMES; i++) {
		CHECK_EQ(listing_set(&l, model_name[i], strlen(model_name[i]),
				     (uint64_t)i + 1), 0);
		model_ino[i] = (uint64_t)i + 1;
	}
	CHECK(agrees(&l));
	CHECK(l.nslots >= 2 * l.n);
	listing_clear(&l);
	CHECK(!l.used && !l.n && !l.names && !l.slots);
}

TEST(listing_names_by_length)
{
	struct listing l;

	listing_init(&l, 1, 0, 0);
	/* a name is its bytes [0, len): a prefix is another name */
	CHECK_EQ(listing_set(&l, "abcdef", 3, 5), 0);
	CHECK_EQ(listing_find(&l, "abc", 3), 0);
	CHECK_EQ(listing_find(&l, "ab", 2), -1);
	CHECK_EQ(listing_find(&l, "abcd", 4), -1);
	CHECK_EQ(listing_set(&l, "ab", 2, 6), 0);
	CHECK_EQ(l.n, 2);
	/* a second set replaces the inode number */
	CHECK_EQ(listing_set(&l, "abc", 3, 9), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.inos[listing_find(&l, "abc", 3)], 9);
	listing_remove(&l, "abc", 3);
	CHECK_EQ(listing_find(&l, "abc", 3), -1);
	CHECK_EQ(l.inos[listing_find(&l, "ab", 2)], 6);
	listing_clear(&l);
}

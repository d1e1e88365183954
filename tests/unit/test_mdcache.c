/* The metadata cache: lookups, the size bound and least-recently-used
 * eviction across inodes and dentries. */
#include <stdlib.h>

#include "mds/mdcache.h"
#include "test.h"

static void put_ino(struct mdcache *c, uint64_t ino)
{
	struct mds_inode_stat st = { 0 };

	st.ino = ino;
	st.size = ino * 10;
	mdcache_put_inode(c, 0, 1, &st);
}

TEST(mdcache_put_get_drop)
{
	struct mdcache c;
	struct mdcache_dentry *d;

	mdcache_init(&c, 100);
	put_ino(&c, 7);
	CHECK(mdcache_get_inode(&c, 7));
	CHECK_EQ(mdcache_get_inode(&c, 7)->st.size, 70);
	CHECK(!mdcache_get_inode(&c, 8));
	mdcache_put_dentry(&c, 1, "abc", 3, 7, 0, 0, 0, 0);
	d = mdcache_get_dentry(&c, 1, "abc", 3);
	CHECK(d && d->ino == 7);
	CHECK(!mdcache_get_dentry(&c, 1, "ab", 2));
	CHECK(!mdcache_get_dentry(&c, 2, "abc", 3));
	mdcache_drop_dentry(&c, 1, "abc", 3);
	CHECK(!mdcache_get_dentry(&c, 1, "abc", 3));
	mdcache_drop_inode(&c, 7);
	CHECK(!mdcache_get_inode(&c, 7));
	CHECK_EQ(c.ninodes + c.ndentries, 0);
	mdcache_destroy(&c);
}

TEST(mdcache_evicts_least_recently_used)
{
	struct mdcache c;
	size_t max = 1000;

	mdcache_init(&c, max);
	for (uint64_t i = 1; i <= max; i++)
		put_ino(&c, i);
	CHECK_EQ(c.ninodes, max);
	/* inodes 1..50 are used again: they must outlive the others */
	for (uint64_t i = 1; i <= 50; i++)
		CHECK(mdcache_get_inode(&c, i));
	for (uint64_t i = max + 1; i <= max + 500; i++)
		put_ino(&c, i);
	CHECK(c.ninodes + c.ndentries <= max);
	for (uint64_t i = 1; i <= 50; i++)
		CHECK(mdcache_get_inode(&c, i));
	/* the oldest untouched ones went first */
	CHECK(!mdcache_get_inode(&c, 51));
	CHECK(!mdcache_get_inode(&c, 300));
	CHECK(mdcache_get_inode(&c, max + 500));
	CHECK(c.evictions > 0);
	mdcache_destroy(&c);
}

TEST(mdcache_mixed_kinds_and_drop_mds)
{
	struct mdcache c;
	char name[32];

	mdcache_init(&c, 64);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		mdcache_put_dentry(&c, 1, name, strlen(name), 100 + i, i % 2,
				   0, 0, 0);
		put_ino(&c, 100 + i);
		CHECK(c.ninodes + c.ndentries <= 64);
	}
	/* the newest of each kind is there */
	CHECK(mdcache_get_dentry(&c, 1, "n199", 4));
	CHECK(mdcache_get_inode(&c, 299));
	mdcache_drop_mds(&c, 1);
	CHECK(!mdcache_get_dentry(&c, 1, "n199", 4));
	mdcache_drop_name(&c, "n198", 4);
	CHECK(!mdcache_get_dentry(&c, 1, "n198", 4));
	mdcache_drop_inodes(&c);
	CHECK_EQ(c.ninodes, 0);
	mdcache_destroy(&c);
}

TEST(mdcache_empty_bound)
{
	struct mdcache c;

	mdcache_init(&c, 1);
	for (uint64_t i = 1; i < 10; i++)
		put_ino(&c, i);
	CHECK(c.ninodes <= 1);
	mdcache_destroy(&c);
}

/* An inode's xattr blob is kept at its version: a reply without xattrs
 * (the MDS knows we have them) keeps it, a newer version without them
 * drops it, a caps message or reply with them replaces it. */
TEST(mdcache_xattrs_follow_version)
{
	static const uint8_t blob1[] = { 1, 0, 0, 0, 1, 0, 0, 0, 'a', 1, 0, 0, 0, 'x' };
	static const uint8_t blob2[] = { 0, 0, 0, 0 };
	struct mds_inode_stat st = { 0 };
	struct mdcache_inode *i;
	struct mdcache c;

	mdcache_init(&c, 100);
	st.ino = 9;
	st.xattr_version = 3;
	st.xattrs = blob1;
	st.xattrs_len = sizeof(blob1);
	mdcache_put_inode(&c, 0, 1, &st);
	i = mdcache_get_inode(&c, 9);
	CHECK(i && i->xattrs && i->xattrs_len == sizeof(blob1));
	CHECK(i && i->st.xattrs == NULL);	/* no view into the reply kept */
	/* same version, not sent: still good */
	st.xattrs = NULL;
	st.xattrs_len = 0;
	st.size = 5;
	mdcache_put_inode(&c, 0, 2, &st);
	i = mdcache_get_inode(&c, 9);
	CHECK(i && i->xattrs && i->st.size == 5 && i->st.xattr_version == 3);
	/* a newer version without the map: forgotten */
	st.xattr_version = 4;
	mdcache_put_inode(&c, 0, 2, &st);
	i = mdcache_get_inode(&c, 9);
	CHECK(i && !i->xattrs && i->st.xattr_version == 4);
	/* a caps message brings the map at version 5 */
	mdcache_set_xattrs(i, 5, blob2, sizeof(blob2));
	CHECK(i->xattrs && i->xattrs_len == 4 && i->st.xattr_version == 5);
	mdcache_set_xattrs(i, 5, NULL, 0);
	CHECK(i->xattrs != NULL);
	mdcache_destroy(&c);		/* ASan: no blob leaks */
}

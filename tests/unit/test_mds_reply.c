/* MClientReply decoding: the replies a 16.2.15 MDS sent ceph-fuse
 * (tests/data/mds-reply-*.bin, see README-mds-reply.md), truncations,
 * bad envelopes, hostile counts, and the legacy (pre-REPLY_ENCODING)
 * encodings built by hand. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "encoding/buf.h"
#include "mds/reply.h"

static const uint64_t pacific = MDS_REPLY_FEATURES_PACIFIC;

static const char *const vectors[] = {
	"getattr-root", "mkdir-capdir", "create-file-unsafe",
	"create-file-safe", "create-big-unsafe", "getattr-capdir",
	"readdir-2", "setxattr-unsafe", "setxattr-safe", "symlink-unsafe",
	"link-unsafe", "open-file", "setattr-trunc-unsafe", "rename-unsafe",
	"rename-safe", "readdir-4", "unlink-unsafe", "unlink-safe",
	"lookup-hard", "rmdir-unsafe", "rmdir-safe", "lookup-enoent",
	"rmdir-enotempty", "mknod-fifo-unsafe", "readdir-13",
	"lookupsnap-enoent", "mksnap", "lssnap", "lookupsnap",
	"readdir-snap", "rmsnap", "symlink-long-unsafe",
	"setxattr-hello-unsafe", "rmxattr-unsafe",
};
#define NVECTORS (sizeof(vectors) / sizeof(vectors[0]))

static uint8_t *load(const char *name, size_t *n)
{
	char file[128];

	snprintf(file, sizeof(file), "mds-reply-%s.bin", name);
	return test_read_data(file, n);
}

/* Loads and decodes a vector with Pacific's features; the buffer must
 * stay alive while r is used. */
static uint8_t *decode(const char *name, struct mds_reply *r)
{
	size_t n;
	uint8_t *p = load(name, &n);
	int err;

	memset(r, 0, sizeof(*r));
	if (!p)
		return NULL;
	err = mds_reply_decode(p, n, &pacific, 1, r);
	if (err) {
		fprintf(stderr, "%s: decode failed: %d\n", name, err);
		test_failures++;
		free(p);
		return NULL;
	}
	return p;
}

static int str_is(const char *s, uint32_t n, const char *want)
{
	return s && n == strlen(want) && !memcmp(s, want, n);
}

#define CHECK_NAME(s, n, want) CHECK(str_is((s), (n), (want)))

#define INO_ROOT	0x1ULL
#define INO_CAPDIR	0x10000000000ULL
#define INO_FILE	0x10000000001ULL
#define INO_BIG		0x100000001f6ULL
#define INO_SL		0x100000001f7ULL
#define MB4		4194304u

/* what every Pacific InodeStat in these captures shares */
static void check_common(const struct mds_inode_stat *st)
{
	CHECK_EQ(st->struct_v, 6);
	CHECK_EQ(st->dir_pin, -1);
	CHECK_EQ(st->uid, 0);
	CHECK_EQ(st->gid, 0);
	CHECK_EQ(st->num_frags, 0);
	CHECK_EQ(st->quota_max_bytes, 0);
	CHECK_EQ(st->quota_max_files, 0);
	CHECK_EQ(st->layout.pool_ns_len, 0);
	CHECK_EQ(st->fscrypt, 0);
	CHECK_EQ(st->num_snap_metadata, 0);
	CHECK_EQ(st->cap.flags, CEPH_CAP_FLAG_AUTH);
	CHECK(st->btime.sec != 0);
}

static void check_file_layout(const struct mds_inode_stat *st)
{
	CHECK_EQ(st->layout.stripe_unit, MB4);
	CHECK_EQ(st->layout.stripe_count, 1);
	CHECK_EQ(st->layout.object_size, MB4);
	CHECK_EQ(st->layout.pool_id, 2);
}

/* a directory inode created without a layout of its own */
static void check_no_layout(const struct mds_inode_stat *st)
{
	CHECK_EQ(st->layout.stripe_unit, 0);
	CHECK_EQ(st->layout.object_size, 0);
	CHECK_EQ(st->layout.pool_id, -1);
}

static void check_root_realm_only(const struct mds_reply *r)
{
	struct mds_snap_realm *sr;
	uint32_t n;

	CHECK_EQ(r->snapbl_len, 48);
	CHECK_EQ(mds_snap_trace_decode(r->snapbl, r->snapbl_len, &sr, &n), 0);
	CHECK_EQ(n, 1);
	if (n == 1) {
		CHECK_EQ(sr[0].ino, INO_ROOT);
		CHECK_EQ(sr[0].seq, 1);
		CHECK_EQ(sr[0].parent, 0);
		CHECK_EQ(sr[0].num_snaps, 0);
	}
	free(sr);
}

static void check_xattr(const struct mds_inode_stat *st, const char *name,
			const char *value)
{
	struct mds_xattr *x;
	uint32_t n;

	CHECK_EQ(mds_xattrs_decode(st->xattrs, st->xattrs_len, &x, &n), 0);
	CHECK_EQ(n, 1);
	if (n == 1) {
		CHECK_NAME(x[0].name, x[0].name_len, name);
		CHECK_NAME((const char *)x[0].value, x[0].value_len, value);
	}
	free(x);
}

TEST(reply_getattr_root)
{
	struct mds_reply r;
	uint8_t *p = decode("getattr-root", &r);

	if (!p)
		return;
	CHECK_EQ(r.op, CEPH_MDS_OP_GETATTR);
	CHECK_EQ(r.result, 0);
	CHECK_EQ(r.mdsmap_epoch, 4);
	CHECK(r.safe && !r.is_dentry && r.is_target);
	check_common(&r.targeti);
	CHECK_EQ(r.targeti.ino, INO_ROOT);
	CHECK_EQ(r.targeti.snapid, CEPH_NOSNAP);
	CHECK_EQ(r.targeti.mode, 040755);
	CHECK_EQ(r.targeti.nlink, 1);
	/* pAsLsXsFs */
	CHECK_EQ(r.targeti.cap.caps, CEPH_CAP_PIN | CEPH_CAP_AUTH_SHARED |
		 CEPH_CAP_LINK_SHARED | CEPH_CAP_XATTR_SHARED |
		 CEPH_CAP_FILE_SHARED);
	CHECK_EQ(r.targeti.cap.cap_id, 1);
	CHECK_EQ(r.targeti.cap.seq, 1);
	CHECK_EQ(r.targeti.cap.realm, INO_ROOT);
	check_file_layout(&r.targeti);
	CHECK_EQ(r.targeti.rsubdirs, 1);
	CHECK_EQ(r.targeti.inline_version, 1);
	CHECK_EQ(r.targeti.dir_layout.dir_hash, 2);	/* rjenkins */
	CHECK_EQ(r.targeti.xattrs_len, 4);		/* sent, empty */
	CHECK_EQ(r.targeti.truncate_size, UINT64_MAX);
	CHECK_EQ(r.extra_len, 0);
	CHECK(!r.has_readdir && !r.has_created_ino);
	check_root_realm_only(&r);
	mds_reply_free(&r);
	free(p);
}

TEST(reply_mkdir)
{
	struct mds_reply r;
	uint8_t *p = decode("mkdir-capdir", &r);

	if (!p)
		return;
	CHECK_EQ(r.op, CEPH_MDS_OP_MKDIR);
	CHECK(r.safe && r.is_dentry && r.is_target);
	check_common(&r.diri);
	CHECK_EQ(r.diri.ino, INO_ROOT);
	CHECK_EQ(r.diri.subdirs, 1);
	CHECK_EQ(r.dirstat.frag, 0);
	CHECK_EQ(r.dirstat.auth, 0);
	CHECK_EQ(r.dirstat.num_dist, 0);
	CHECK_NAME(r.dname, r.dname_len, "capdir");
	CHECK_EQ(r.dlease.mask, 7);
	CHECK_EQ(r.dlease.duration_ms, 30000);
	CHECK_EQ(r.dlease.seq, 2);
	CHECK_EQ(r.dlease.alt_name_len, 0);
	check_common(&r.targeti);
	CHECK_EQ(r.targeti.ino, INO_CAPDIR);
	CHECK_EQ(r.targeti.mode, 040755);
	CHECK_EQ(r.targeti.cap.caps, 0x3dd);	/* pAsxLsXsxFsx */
	check_no_layout(&r.targeti);
	CHECK_EQ(r.targeti.inline_version, CEPH_INLINE_NONE);
	check_root_realm_only(&r);
	mds_reply_free(&r);
	free(p);
}

TEST(reply_create_unsafe_with_delegation)
{
	struct mds_reply r;
	uint8_t *p = decode("create-file-unsafe", &r);

	if (!p)
		return;
	CHECK_EQ(r.op, CEPH_MDS_OP_CREATE);
	CHECK(!r.safe && r.is_dentry && r.is_target);
	CHECK_EQ(r.mdsmap_epoch, 0);
	CHECK_EQ(r.diri.ino, INO_CAPDIR);
	CHECK_EQ(r.diri.files, 1);
	CHECK_EQ(r.dirstat.auth, -1);
	CHECK_NAME(r.dname, r.dname_len, "file");
	CHECK_EQ(r.dlease.mask, 0);
	check_common(&r.targeti);
	CHECK_EQ(r.targeti.ino, INO_FILE);
	CHECK_EQ(r.targeti.mode, 0100644);
	CHECK_EQ(r.targeti.size, 0);
	CHECK_EQ(r.targeti.max_size, MB4);
	CHECK_EQ(r.targeti.nlink, 1);
	CHECK_EQ(r.targeti.cap.caps, 0x3fdd);	/* pAsxLsXsxFsxcrwb */
	CHECK_EQ(r.targeti.cap.wanted, 0x32cd);
	check_file_layout(&r.targeti);
	CHECK(r.has_created_ino);
	CHECK_EQ(r.created_ino, INO_FILE);
	CHECK_EQ(r.num_deleg, 1);
	if (r.num_deleg == 1) {
		CHECK_EQ(r.deleg[0].start, 0x10000000002ULL);
		CHECK_EQ(r.deleg[0].len, 500);
	}
	CHECK_EQ(r.extra_len, 34);
	check_root_realm_only(&r);
	mds_reply_free(&r);
	free(p);

	p = decode("create-big-unsafe", &r);
	if (!p)
		return;
	CHECK_NAME(r.dname, r.dname_len, "big");
	CHECK_EQ(r.diri.files, 2);
	CHECK_EQ(r.targeti.ino, INO_BIG);
	CHECK_EQ(r.created_ino, INO_BIG);
	CHECK_EQ(r.num_deleg, 0);
	CHECK(r.deleg == NULL);
	mds_reply_free(&r);
	free(p);
}

/* every safe reply after an unsafe one: the head and three empty blobs */
TEST(reply_safe_after_unsafe)
{
	static const struct {
		const char *name;
		uint32_t op;
	} safe[] = {
		{ "create-file-safe", CEPH_MDS_OP_CREATE },
		{ "setxattr-safe", CEPH_MDS_OP_SETXATTR },
		{ "rename-safe", CEPH_MDS_OP_RENAME },
		{ "unlink-safe", CEPH_MDS_OP_UNLINK },
		{ "rmdir-safe", CEPH_MDS_OP_RMDIR },
		{ "rmsnap", CEPH_MDS_OP_RMSNAP },
	};

	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		struct mds_reply r;
		uint8_t *p = decode(safe[i].name, &r);

		if (!p)
			continue;
		CHECK_EQ(r.op, safe[i].op);
		CHECK_EQ(r.result, 0);
		CHECK(r.safe && !r.is_dentry && !r.is_target);
		CHECK_EQ(r.extra_len, 0);
		CHECK_EQ(r.snapbl_len, 0);
		CHECK(!r.has_created_ino);
		mds_reply_free(&r);
		free(p);
	}
}

TEST(reply_errors)
{
	static const struct {
		const char *name;
		uint32_t op;
		int result;
	} err[] = {
		{ "lookup-enoent", CEPH_MDS_OP_LOOKUP, -ENOENT },
		{ "rmdir-enotempty", CEPH_MDS_OP_RMDIR, -ENOTEMPTY },
		{ "lookupsnap-enoent", CEPH_MDS_OP_LOOKUPSNAP, -ENOENT },
	};

	for (size_t i = 0; i < sizeof(err) / sizeof(err[0]); i++) {
		struct mds_reply r;
		uint8_t *p = decode(err[i].name, &r);

		if (!p)
			continue;
		CHECK_EQ(r.op, err[i].op);
		CHECK_EQ(r.result, err[i].result);
		CHECK_EQ(r.mdsmap_epoch, 5);
		CHECK(r.safe && !r.is_dentry && !r.is_target);
		mds_reply_free(&r);
		free(p);
	}
}

TEST(reply_getattr_capdir)
{
	struct mds_reply r;
	uint8_t *p = decode("getattr-capdir", &r);

	if (!p)
		return;
	CHECK_EQ(r.targeti.ino, INO_CAPDIR);
	CHECK_EQ(r.targeti.files, 2);
	CHECK_EQ(r.targeti.rfiles, 2);
	CHECK_EQ(r.targeti.rbytes, 9000000);
	CHECK_EQ(r.targeti.xattrs_len, 0);	/* not sent */
	mds_reply_free(&r);
	free(p);
}

TEST(reply_readdir_2)
{
	struct mds_reply r;
	uint8_t *p = decode("readdir-2", &r);

	if (!p)
		return;
	CHECK_EQ(r.op, CEPH_MDS_OP_READDIR);
	CHECK_EQ(r.targeti.ino, INO_CAPDIR);
	CHECK(r.has_readdir);
	CHECK_EQ(r.readdir_dir.frag, 0);
	CHECK_EQ(r.readdir_dir.auth, -1);
	CHECK_EQ(r.readdir_flags, CEPH_READDIR_FRAG_END |
		 CEPH_READDIR_FRAG_COMPLETE | CEPH_READDIR_HASH_ORDER |
		 CEPH_READDIR_OFFSET_HASH);
	CHECK_EQ(r.num_entries, 2);
	if (r.num_entries == 2) {
		CHECK_NAME(r.entries[0].name, r.entries[0].name_len, "big");
		CHECK_EQ(r.entries[0].inode.ino, INO_BIG);
		CHECK_EQ(r.entries[0].inode.size, 9000000);
		CHECK_EQ(r.entries[0].inode.max_size, 20971520);
		CHECK_EQ(r.entries[0].inode.mode, 0100644);
		CHECK_NAME(r.entries[1].name, r.entries[1].name_len, "file");
		CHECK_EQ(r.entries[1].inode.ino, INO_FILE);
		CHECK_EQ(r.entries[1].inode.size, 0);
		for (int i = 0; i < 2; i++) {
			check_common(&r.entries[i].inode);
			CHECK_EQ(r.entries[i].lease.mask, 0);
		}
	}
	mds_reply_free(&r);
	free(p);
}

TEST(reply_setxattr_symlink_link)
{
	struct mds_reply r;
	uint8_t *p = decode("setxattr-unsafe", &r);

	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_SETXATTR);
		CHECK(!r.safe && !r.is_dentry && r.is_target);
		CHECK_EQ(r.targeti.ino, INO_FILE);
		CHECK_EQ(r.targeti.mode, 0100600);	/* after chmod 600 */
		CHECK_EQ(r.targeti.size, 6);		/* "hello\n" */
		CHECK_EQ(r.targeti.xattr_version, 2);
		check_xattr(&r.targeti, "user.k", "v");
		mds_reply_free(&r);
		free(p);
	}

	p = decode("symlink-unsafe", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_SYMLINK);
		CHECK_NAME(r.dname, r.dname_len, "sl");
		CHECK_EQ(r.targeti.ino, INO_SL);
		CHECK_EQ(r.targeti.mode, 0120777);
		CHECK_EQ(r.targeti.size, 4);
		CHECK_NAME(r.targeti.symlink, r.targeti.symlink_len, "file");
		CHECK_EQ(r.targeti.cap.cap_id, 2);
		mds_reply_free(&r);
		free(p);
	}

	p = decode("link-unsafe", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_LINK);
		CHECK_NAME(r.dname, r.dname_len, "hard");
		CHECK_EQ(r.diri.ino, INO_CAPDIR);
		CHECK_EQ(r.targeti.ino, INO_FILE);
		CHECK_EQ(r.targeti.nlink, 2);
		mds_reply_free(&r);
		free(p);
	}

	p = decode("open-file", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_OPEN);
		CHECK(r.safe && r.is_target && !r.is_dentry);
		CHECK_EQ(r.targeti.ino, INO_FILE);
		CHECK_EQ(r.targeti.nlink, 2);
		CHECK(!r.has_created_ino);
		mds_reply_free(&r);
		free(p);
	}
}

TEST(reply_setattr_truncate_and_snap_trace)
{
	struct mds_reply r;
	struct mds_snap_realm *sr;
	uint32_t n;
	uint8_t *p = decode("setattr-trunc-unsafe", &r);

	if (!p)
		return;
	CHECK_EQ(r.op, CEPH_MDS_OP_SETATTR);
	CHECK_EQ(r.targeti.ino, INO_FILE);
	CHECK_EQ(r.targeti.size, 3);
	CHECK_EQ(r.targeti.truncate_size, 3);
	CHECK_EQ(r.targeti.truncate_seq, 2);
	CHECK_EQ(r.targeti.cap.realm, INO_FILE);
	CHECK_EQ(r.snapbl_len, 96);
	CHECK_EQ(mds_snap_trace_decode(r.snapbl, r.snapbl_len, &sr, &n), 0);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EQ(sr[0].ino, INO_FILE);
		CHECK_EQ(sr[0].created, 1);
		CHECK_EQ(sr[0].parent, CEPH_INO_GLOBAL_SNAPREALM);
		CHECK_EQ(sr[0].seq, 1);
		CHECK_EQ(sr[1].ino, CEPH_INO_GLOBAL_SNAPREALM);
		CHECK_EQ(sr[1].parent, 0);
	}
	free(sr);
	mds_reply_free(&r);
	free(p);
}

TEST(reply_rename_unlink_lookup_rmdir)
{
	struct mds_reply r;
	uint8_t *p = decode("rename-unsafe", &r);

	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_RENAME);
		CHECK_NAME(r.dname, r.dname_len, "file2");
		CHECK_EQ(r.targeti.ino, INO_FILE);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("unlink-unsafe", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_UNLINK);
		CHECK(!r.safe && r.is_dentry && !r.is_target);
		CHECK_NAME(r.dname, r.dname_len, "big");
		CHECK_EQ(r.diri.ino, INO_CAPDIR);
		CHECK_EQ(r.diri.files, 3);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("lookup-hard", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_LOOKUP);
		CHECK(r.safe && r.is_dentry && r.is_target);
		CHECK_NAME(r.dname, r.dname_len, "hard");
		CHECK_EQ(r.targeti.ino, INO_FILE);
		CHECK_EQ(r.targeti.nlink, 1);	/* file2 is gone */
		check_xattr(&r.targeti, "user.k", "v");
		mds_reply_free(&r);
		free(p);
	}
	p = decode("rmdir-unsafe", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_RMDIR);
		CHECK(!r.safe && r.is_dentry && !r.is_target);
		CHECK_NAME(r.dname, r.dname_len, "capdir");
		CHECK_EQ(r.diri.ino, INO_ROOT);
		mds_reply_free(&r);
		free(p);
	}
}

TEST(reply_readdir_4)
{
	static const struct {
		const char *name;
		uint64_t ino;
		uint32_t mode, nlink;
		uint64_t size;
	} want[] = {
		{ "file2", INO_FILE, 0100600, 2, 3 },
		{ "big", INO_BIG, 0100644, 1, 9000000 },
		{ "sl", INO_SL, 0120777, 1, 4 },
		{ "hard", INO_FILE, 0100600, 2, 3 },
	};
	struct mds_reply r;
	uint8_t *p = decode("readdir-4", &r);

	if (!p)
		return;
	CHECK_EQ(r.num_entries, 4);
	for (uint32_t i = 0; i < r.num_entries && i < 4; i++) {
		const struct mds_readdir_entry *e = &r.entries[i];

		CHECK_NAME(e->name, e->name_len, want[i].name);
		CHECK_EQ(e->inode.ino, want[i].ino);
		CHECK_EQ(e->inode.mode, want[i].mode);
		CHECK_EQ(e->inode.nlink, want[i].nlink);
		CHECK_EQ(e->inode.size, want[i].size);
	}
	if (r.num_entries == 4)
		CHECK_NAME(r.entries[2].inode.symlink,
			   r.entries[2].inode.symlink_len, "file");
	mds_reply_free(&r);
	free(p);
}

TEST(reply_mknod_and_readdir_13)
{
	struct mds_reply r;
	int seen = 0;
	uint8_t *p = decode("mknod-fifo-unsafe", &r);

	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_MKNOD);
		CHECK_NAME(r.dname, r.dname_len, "fifo");
		CHECK_EQ(r.targeti.ino, 0x10000000201ULL);
		CHECK_EQ(r.targeti.mode, CEPH_S_IFIFO | 0644);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("readdir-13", &r);
	if (!p)
		return;
	CHECK_EQ(r.num_entries, 13);
	for (uint32_t i = 0; i < r.num_entries; i++) {
		const struct mds_readdir_entry *e = &r.entries[i];
		unsigned k;

		check_common(&e->inode);
		CHECK_EQ(e->inode.snapid, CEPH_NOSNAP);
		if (str_is(e->name, e->name_len, "fifo")) {
			CHECK_EQ(e->inode.ino, 0x10000000201ULL);
			seen |= 1 << 13;
		} else if (e->name_len >= 2 && e->name[0] == 'f' &&
			   sscanf(e->name + 1, "%u", &k) == 1 && k >= 1 &&
			   k <= 12) {
			/* f1 was the first create; f2..f12 follow in order
			 * from the session's delegated range */
			CHECK_EQ(e->inode.ino, k == 1 ? INO_FILE :
				 0x100000001f6ULL + k - 2);
			/* the data is still buffered under Fb caps in
			 * ceph-fuse: the MDS knows no size yet */
			CHECK_EQ(e->inode.size, 0);
			CHECK_EQ(e->inode.max_size, MB4);
			seen |= 1 << k;
		}
	}
	CHECK_EQ(seen, 0x3ffe);
	mds_reply_free(&r);
	free(p);
}

TEST(reply_snapshots)
{
	struct mds_reply r;
	struct mds_snap_realm *sr;
	uint32_t n;
	uint8_t *p = decode("mksnap", &r);

	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_MKSNAP);
		CHECK_EQ(r.targeti.ino, INO_CAPDIR);
		CHECK_EQ(r.targeti.snapid, 2);
		CHECK_EQ(r.targeti.rsnaps, 1);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("lssnap", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_LSSNAP);
		CHECK(r.has_readdir);
		CHECK_EQ(r.readdir_flags, CEPH_READDIR_FRAG_END |
			 CEPH_READDIR_FRAG_COMPLETE);
		CHECK_EQ(r.num_entries, 1);
		if (r.num_entries == 1) {
			CHECK_NAME(r.entries[0].name, r.entries[0].name_len,
				   "s1");
			CHECK_EQ(r.entries[0].lease.mask, 3);
			CHECK_EQ(r.entries[0].lease.duration_ms, UINT32_MAX);
			CHECK_EQ(r.entries[0].inode.ino, INO_CAPDIR);
			CHECK_EQ(r.entries[0].inode.snapid, 2);
		}
		CHECK_EQ(mds_snap_trace_decode(r.snapbl, r.snapbl_len, &sr,
					       &n), 0);
		CHECK_EQ(n, 2);
		if (n == 2) {
			CHECK_EQ(sr[0].ino, INO_CAPDIR);
			CHECK_EQ(sr[0].parent, INO_ROOT);
			CHECK_EQ(sr[0].seq, 2);
			CHECK_EQ(sr[0].num_snaps, 1);
			if (sr[0].num_snaps == 1)
				CHECK_EQ(mds_snap_at(sr[0].snaps, 0), 2);
			CHECK_EQ(sr[1].ino, INO_ROOT);
		}
		free(sr);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("lookupsnap", &r);
	if (p) {
		CHECK_EQ(r.op, CEPH_MDS_OP_LOOKUPSNAP);
		CHECK_EQ(r.targeti.snapid, 2);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("readdir-snap", &r);
	if (p) {
		CHECK_EQ(r.num_entries, 13);
		for (uint32_t i = 0; i < r.num_entries; i++) {
			const struct mds_readdir_entry *e = &r.entries[i];
			unsigned k;

			CHECK_EQ(e->inode.snapid, 2);
			/* flushed before the snapshot: "1\n" .. "12\n" */
			if (e->name_len >= 2 && e->name[0] == 'f' &&
			    e->name[1] >= '0' && e->name[1] <= '9' &&
			    sscanf(e->name + 1, "%u", &k) == 1)
				CHECK_EQ(e->inode.size, k < 10 ? 2 : 3);
		}
		mds_reply_free(&r);
		free(p);
	}
}

TEST(reply_long_symlink_and_xattrs)
{
	struct mds_reply r;
	uint8_t *p = decode("symlink-long-unsafe", &r);

	if (p) {
		CHECK_NAME(r.targeti.symlink, r.targeti.symlink_len,
			   "/very/long/target/path");
		CHECK_EQ(r.targeti.size, 22);
		mds_reply_free(&r);
		free(p);
	}
	p = decode("setxattr-hello-unsafe", &r);
	if (p) {
		CHECK_EQ(r.targeti.xattr_version, 2);
		check_xattr(&r.targeti, "user.a", "hello");
		mds_reply_free(&r);
		free(p);
	}
	p = decode("rmxattr-unsafe", &r);
	if (p) {
		struct mds_xattr *x;
		uint32_t n;

		CHECK_EQ(r.op, CEPH_MDS_OP_RMXATTR);
		CHECK_EQ(r.targeti.xattr_version, 3);
		CHECK_EQ(r.targeti.xattrs_len, 4);
		CHECK_EQ(mds_xattrs_decode(r.targeti.xattrs,
					   r.targeti.xattrs_len, &x, &n), 0);
		CHECK_EQ(n, 0);
		CHECK(x == NULL);
		mds_reply_free(&r);
		free(p);
	}
}

/* Every proper prefix of every vector fails with -EBADMSG; the prefix is
 * copied to its own allocation so ASan sees any read past it. */
TEST(reply_truncations)
{
	for (size_t v = 0; v < NVECTORS; v++) {
		size_t n;
		uint8_t *p = load(vectors[v], &n);

		if (!p)
			continue;
		for (size_t k = 0; k < n; k++) {
			uint8_t *q = malloc(k ? k : 1);
			struct mds_reply r;
			int err;

			memcpy(q, p, k);
			err = mds_reply_decode(q, k, &pacific, 1, &r);
			if (err != -EBADMSG) {
				fprintf(stderr, "%s: prefix %zu: %d\n",
					vectors[v], k, err);
				test_failures++;
				if (!err)
					mds_reply_free(&r);
			}
			free(q);
		}
		free(p);
	}
}

TEST(reply_trailing_bytes)
{
	size_t n;
	uint8_t *p = load("getattr-root", &n);
	uint8_t *q;
	struct mds_reply r;

	if (!p)
		return;
	q = malloc(n + 1);
	memcpy(q, p, n);
	q[n] = 0;
	CHECK_EQ(mds_reply_decode(q, n + 1, &pacific, 1, &r), -EBADMSG);
	free(q);
	free(p);
}

/* offsets in getattr-root: the head (15), the trace length (4), then the
 * target InodeStat's envelope */
#define TARGET_ENVELOPE	19

TEST(reply_bad_compat)
{
	size_t n;
	uint8_t *p = load("getattr-root", &n);
	struct mds_reply r;

	if (!p)
		return;
	CHECK_EQ(p[TARGET_ENVELOPE], 6);
	CHECK_EQ(p[TARGET_ENVELOPE + 1], 1);
	p[TARGET_ENVELOPE + 1] = 2;
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -ENOTSUP);
	p[TARGET_ENVELOPE + 1] = 1;
	p[TARGET_ENVELOPE] = 0;			/* version 0 */
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -EBADMSG);
	p[TARGET_ENVELOPE] = 7;			/* newer: extra body skipped */
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), 0);
	mds_reply_free(&r);
	free(p);

	/* the dentry lease and the DirStat of mkdir-capdir */
	p = load("mkdir-capdir", &n);
	if (!p)
		return;
	for (size_t i = 0; i + 6 < n; i++) {
		/* DirStat: v1 c1 len 12; LeaseStat: v2 c1 len 14 */
		if ((p[i] == 1 && p[i + 1] == 1 && p[i + 2] == 12 &&
		     !p[i + 3] && !p[i + 4] && !p[i + 5]) ||
		    (p[i] == 2 && p[i + 1] == 1 && p[i + 2] == 14 &&
		     !p[i + 3] && !p[i + 4] && !p[i + 5])) {
			p[i + 1] = 9;
			CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r),
				 -ENOTSUP);
			p[i + 1] = 1;
		}
	}
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), 0);
	mds_reply_free(&r);
	free(p);
}

static void put_u32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* readdir-2: the readdir count follows the DirStat (18 bytes) at the
 * start of the extra blob */
TEST(reply_hostile_counts)
{
	size_t n;
	uint8_t *p = load("readdir-2", &n);
	struct mds_reply r, ok;
	size_t count_at;

	if (!p)
		return;
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &ok), 0);
	count_at = (size_t)(ok.extra - p) + 18;
	CHECK_EQ(p[count_at], 2);
	mds_reply_free(&ok);
	put_u32_at(p + count_at, 0xffffffffu);
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -EBADMSG);
	put_u32_at(p + count_at, 3);		/* one more than there is */
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -EBADMSG);
	put_u32_at(p + count_at, 1);		/* fewer: the rest ignored */
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), 0);
	CHECK_EQ(r.num_entries, 1);
	mds_reply_free(&r);
	put_u32_at(p + count_at, 2);
	/* the DirStat's dist count */
	put_u32_at(p + count_at - 4, 0x40000000u);
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -EBADMSG);
	free(p);

	/* the fragtree count of getattr-root's inode: after 6 bytes of
	 * envelope and 221 of fixed fields */
	p = load("getattr-root", &n);
	if (!p)
		return;
	CHECK_EQ(p[TARGET_ENVELOPE + 6 + 221], 0);
	put_u32_at(p + TARGET_ENVELOPE + 6 + 221, 0x20000000u);
	CHECK_EQ(mds_reply_decode(p, n, &pacific, 1, &r), -EBADMSG);
	free(p);
}

/* Flipping any byte never crashes, leaks or trips the sanitizers. */
TEST(reply_byte_flips)
{
	static const char *const some[] = { "create-file-unsafe", "readdir-2",
					    "lssnap", "setattr-trunc-unsafe" };

	for (size_t v = 0; v < 4; v++) {
		size_t n;
		uint8_t *p = load(some[v], &n);

		if (!p)
			continue;
		for (size_t i = 0; i < n; i++) {
			uint8_t save = p[i];
			struct mds_reply r;

			for (int x = 0; x < 2; x++) {
				p[i] = x ? 0xff : (uint8_t)(save ^ 0x80);
				if (!mds_reply_decode(p, n, &pacific, 1, &r))
					mds_reply_free(&r);
			}
			p[i] = save;
		}
		free(p);
	}
}

/* ---- legacy encodings (a session without REPLY_ENCODING) ---- */

static void put_legacy_inode(struct buf *b, uint64_t ino, uint32_t mode,
			     const char *symlink, int nfrags)
{
	buf_put_u64(b, ino);
	buf_put_u64(b, CEPH_NOSNAP);
	buf_put_u32(b, 0);			/* rdev */
	buf_put_u64(b, 7);			/* version */
	buf_put_u64(b, 3);			/* xattr_version */
	buf_put_u32(b, CEPH_CAP_PIN | CEPH_CAP_FILE_SHARED);
	buf_put_u32(b, 0);			/* wanted */
	buf_put_u64(b, 42);			/* cap_id */
	buf_put_u32(b, 5);
	buf_put_u32(b, 0);
	buf_put_u64(b, CEPH_INO_ROOT);
	buf_put_u8(b, CEPH_CAP_FLAG_AUTH);
	buf_put_u32(b, 65536);			/* layout */
	buf_put_u32(b, 2);
	buf_put_u32(b, 1 << 20);
	buf_put_zero(b, 12);
	buf_put_u32(b, 3);
	buf_put_zero(b, 24);			/* c/m/atime */
	buf_put_u32(b, 1);			/* time_warp_seq */
	buf_put_u64(b, 1234);			/* size */
	buf_put_u64(b, 4096);
	buf_put_u64(b, UINT64_MAX);
	buf_put_u32(b, 1);
	buf_put_u32(b, mode);
	buf_put_u32(b, 1000);
	buf_put_u32(b, 100);
	buf_put_u32(b, 1);
	buf_put_zero(b, 40);			/* dir stats */
	buf_put_zero(b, 8);			/* rctime */
	buf_put_u32(b, (uint32_t)nfrags);
	for (int i = 0; i < nfrags; i++) {
		buf_put_u32(b, (uint32_t)i);
		buf_put_u32(b, 1);
	}
	buf_put_str(b, symlink);
	buf_put_u8(b, 2);			/* dir layout */
	buf_put_zero(b, 7);
	buf_put_u32(b, 4);			/* xattrs: empty map */
	buf_put_u32(b, 0);
	buf_put_u64(b, CEPH_INLINE_NONE);
	buf_put_u32(b, 0);
	buf_put_u8(b, 1);			/* quota, versioned */
	buf_put_u8(b, 1);
	buf_put_u32(b, 16);
	buf_put_u64(b, 1 << 30);
	buf_put_u64(b, 100);
	buf_put_str(b, "ns1");
	buf_put_u32(b, 1700000000);		/* btime */
	buf_put_u32(b, 5);
	buf_put_u64(b, 9);			/* change_attr */
}

static void put_head(struct buf *b, uint32_t op, uint8_t d, uint8_t t)
{
	buf_put_u32(b, op);
	buf_put_u32(b, 0);
	buf_put_u32(b, 11);
	buf_put_u8(b, 1);
	buf_put_u8(b, d);
	buf_put_u8(b, t);
}

TEST(reply_legacy_trace)
{
	struct buf tr = BUF_INIT, m = BUF_INIT;
	struct mds_reply r;

	put_legacy_inode(&tr, CEPH_INO_ROOT, 040755, "", 2);
	buf_put_u32(&tr, 0);			/* DirStat: frag, auth, dist */
	buf_put_u32(&tr, 0);
	buf_put_u32(&tr, 2);
	buf_put_u32(&tr, 0);
	buf_put_u32(&tr, 1);
	buf_put_str(&tr, "link");
	buf_put_u16(&tr, 1);			/* LeaseStat */
	buf_put_u32(&tr, 30000);
	buf_put_u32(&tr, 4);
	put_legacy_inode(&tr, 0x10000000005ULL, 0120777, "target", 0);
	put_head(&m, CEPH_MDS_OP_SYMLINK, 1, 1);
	buf_put_u32(&m, (uint32_t)tr.len);
	buf_put(&m, tr.data, tr.len);
	buf_put_u32(&m, 0);
	buf_put_u32(&m, 0);
	CHECK_EQ(buf_error(&m), 0);

	CHECK_EQ(mds_reply_decode(m.data, m.len, NULL, 0, &r), 0);
	CHECK(r.is_dentry && r.is_target);
	CHECK_EQ(r.diri.struct_v, 0);
	CHECK_EQ(r.diri.ino, CEPH_INO_ROOT);
	CHECK_EQ(r.diri.num_frags, 2);
	if (r.diri.num_frags == 2)
		CHECK_EQ(r.diri.frags[1].frag, 1);
	CHECK_EQ(r.diri.dir_pin, -ENODATA);
	CHECK_EQ(r.dirstat.num_dist, 2);
	if (r.dirstat.num_dist == 2)
		CHECK_EQ(r.dirstat.dist[1], 1);
	CHECK_NAME(r.dname, r.dname_len, "link");
	CHECK_EQ(r.dlease.duration_ms, 30000);
	CHECK_EQ(r.dlease.seq, 4);
	CHECK_EQ(r.targeti.ino, 0x10000000005ULL);
	CHECK_EQ(r.targeti.mode, 0120777);
	CHECK_EQ(r.targeti.uid, 1000);
	CHECK_EQ(r.targeti.gid, 100);
	CHECK_EQ(r.targeti.size, 1234);
	CHECK_EQ(r.targeti.cap.cap_id, 42);
	CHECK_EQ(r.targeti.layout.stripe_unit, 65536);
	CHECK_EQ(r.targeti.layout.stripe_count, 2);
	CHECK_EQ(r.targeti.layout.pool_id, 3);
	CHECK_NAME(r.targeti.layout.pool_ns, r.targeti.layout.pool_ns_len,
		   "ns1");
	CHECK_NAME(r.targeti.symlink, r.targeti.symlink_len, "target");
	CHECK_EQ(r.targeti.quota_max_bytes, 1 << 30);
	CHECK_EQ(r.targeti.quota_max_files, 100);
	CHECK_EQ(r.targeti.btime.sec, 1700000000);
	CHECK_EQ(r.targeti.change_attr, 9);
	mds_reply_free(&r);
	mds_reply_free(&r);			/* twice is harmless */

	/* the same bytes read as versioned fail cleanly */
	CHECK(mds_reply_decode(m.data, m.len, &pacific, 1, &r) < 0);

	for (size_t k = 0; k < m.len; k++)
		CHECK_EQ(mds_reply_decode(m.data, k, NULL, 0, &r), -EBADMSG);
	buf_free(&tr);
	buf_free(&m);
}

TEST(reply_legacy_readdir_and_create)
{
	struct buf ex = BUF_INIT, m = BUF_INIT;
	struct mds_reply r;
	uint64_t no_deleg = MDS_REPLY_FEATURES_PACIFIC &
			    ~(1ULL << CEPHFS_FEATURE_DELEG_INO);

	buf_put_u32(&ex, 0);			/* DirStat */
	buf_put_u32(&ex, (uint32_t)-1);
	buf_put_u32(&ex, 0);
	buf_put_u32(&ex, 2);			/* entries */
	buf_put_u16(&ex, CEPH_READDIR_FRAG_END | CEPH_READDIR_FRAG_COMPLETE);
	for (int i = 0; i < 2; i++) {
		buf_put_str(&ex, i ? "b" : "a");
		buf_put_u16(&ex, 1);
		buf_put_u32(&ex, 1000);
		buf_put_u32(&ex, 1);
		put_legacy_inode(&ex, 0x10000000010ULL + (uint64_t)i, 0100644,
				 "", 0);
	}
	put_head(&m, CEPH_MDS_OP_READDIR, 0, 0);
	buf_put_u32(&m, 0);
	buf_put_u32(&m, (uint32_t)ex.len);
	buf_put(&m, ex.data, ex.len);
	buf_put_u32(&m, 0);
	CHECK_EQ(mds_reply_decode(m.data, m.len, NULL, 0, &r), 0);
	CHECK_EQ(r.num_entries, 2);
	if (r.num_entries == 2) {
		CHECK_NAME(r.entries[1].name, r.entries[1].name_len, "b");
		CHECK_EQ(r.entries[1].inode.ino, 0x10000000011ULL);
		CHECK_EQ(r.entries[1].lease.duration_ms, 1000);
	}
	mds_reply_free(&r);
	for (size_t k = 0; k < m.len; k++)
		CHECK_EQ(mds_reply_decode(m.data, k, NULL, 0, &r), -EBADMSG);

	/* CREATE without DELEG_INO: the extra is the bare ino */
	buf_reset(&m);
	put_head(&m, CEPH_MDS_OP_CREATE, 0, 0);
	buf_put_u32(&m, 0);
	buf_put_u32(&m, 8);
	buf_put_u64(&m, 0x10000000099ULL);
	buf_put_u32(&m, 0);
	CHECK_EQ(mds_reply_decode(m.data, m.len, &no_deleg, 1, &r), 0);
	CHECK(r.has_created_ino);
	CHECK_EQ(r.created_ino, 0x10000000099ULL);
	CHECK_EQ(r.num_deleg, 0);
	mds_reply_free(&r);
	/* read as an openc_response_t it is malformed */
	CHECK(mds_reply_decode(m.data, m.len, &pacific, 1, &r) < 0);
	buf_free(&ex);
	buf_free(&m);
}

TEST(reply_features_words)
{
	size_t n;
	uint8_t *p = load("create-file-unsafe", &n);
	uint64_t two[2] = { MDS_REPLY_FEATURES_PACIFIC, 0 };
	struct mds_reply r;

	if (!p)
		return;
	CHECK_EQ(mds_reply_decode(p, n, two, 2, &r), 0);
	CHECK_EQ(r.num_deleg, 1);
	mds_reply_free(&r);
	/* the versioned bytes read as legacy fail cleanly */
	CHECK(mds_reply_decode(p, n, NULL, 0, &r) < 0);
	free(p);
}

TEST(snap_trace_bad)
{
	uint8_t b[64];
	struct mds_snap_realm *sr;
	uint32_t n;

	memset(b, 0, sizeof(b));
	CHECK_EQ(mds_snap_trace_decode(b, 0, &sr, &n), 0);
	CHECK_EQ(n, 0);
	CHECK(sr == NULL);
	CHECK_EQ(mds_snap_trace_decode(b, 47, &sr, &n), -EBADMSG);
	CHECK_EQ(mds_snap_trace_decode(b, 48, &sr, &n), 0);
	CHECK_EQ(n, 1);
	free(sr);
	put_u32_at(b + 40, 0xffffffffu);		/* num_snaps */
	CHECK_EQ(mds_snap_trace_decode(b, 64, &sr, &n), -EBADMSG);
	put_u32_at(b + 40, 1);
	put_u32_at(b + 44, 0xffffffffu);		/* num_prior */
	CHECK_EQ(mds_snap_trace_decode(b, 64, &sr, &n), -EBADMSG);
	put_u32_at(b + 44, 1);
	CHECK_EQ(mds_snap_trace_decode(b, 64, &sr, &n), 0);
	CHECK_EQ(n, 1);
	free(sr);
}

TEST(xattrs_bad)
{
	uint8_t b[32];
	struct mds_xattr *x;
	uint32_t n;

	memset(b, 0, sizeof(b));
	put_u32_at(b, 0x10000000u);
	CHECK_EQ(mds_xattrs_decode(b, 32, &x, &n), -EBADMSG);
	put_u32_at(b, 1);
	put_u32_at(b + 4, 1);
	b[8] = 'k';
	put_u32_at(b + 9, 100);				/* value overruns */
	CHECK_EQ(mds_xattrs_decode(b, 32, &x, &n), -EBADMSG);
	put_u32_at(b + 9, 0);
	CHECK_EQ(mds_xattrs_decode(b, 13, &x, &n), 0);
	CHECK_EQ(n, 1);
	free(x);
	CHECK_EQ(mds_xattrs_decode(b, 14, &x, &n), -EBADMSG);	/* trailing */
}

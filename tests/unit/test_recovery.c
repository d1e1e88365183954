/* What a client restates to a restarted MDS: held locks (filelocks.c),
 * the reconnect message (mds_msg_reconnect), and how caps are stamped
 * for it and dropped when dead (caps.c). */
#include "test.h"

#include <stdlib.h>

#include "encoding/dec.h"
#include "mds/caps.h"
#include "mds/ceph_fs.h"
#include "mds/filelocks.h"
#include "mds/mds_msgs.h"
#include "msg/msg.h"

/* Decodes the lock blob of one inode back into (rule, start, len, owner,
 * type) rows; returns the row count or -1. */
struct lock_row {
	uint8_t rule, type;
	uint64_t start, len, owner, pid;
};

static int decode_locks(const uint8_t *p, size_t n, struct lock_row *rows,
			int max)
{
	struct dec d;
	int out = 0;

	dec_init(&d, p, n);
	for (uint8_t rule = CEPH_LOCK_FCNTL; rule <= CEPH_LOCK_FLOCK; rule++) {
		uint32_t count;

		if (dec_u32(&d, &count))
			return -1;
		for (uint32_t i = 0; i < count; i++) {
			uint64_t client;

			if (out == max)
				return -1;
			rows[out].rule = rule;
			if (dec_u64(&d, &rows[out].start) ||
			    dec_u64(&d, &rows[out].len) || dec_u64(&d, &client) ||
			    dec_u64(&d, &rows[out].owner) ||
			    dec_u64(&d, &rows[out].pid) ||
			    dec_u8(&d, &rows[out].type))
				return -1;
			out++;
		}
	}
	return d.p == d.end ? out : -1;
}

static int encoded_rows(struct filelock_table *t, uint64_t ino,
			struct lock_row *rows, int max)
{
	struct buf b = BUF_INIT;
	size_t n = filelocks_encode(t, ino, &b);
	int r = n ? decode_locks(b.data, b.len, rows, max) : 0;

	CHECK_EQ(n, b.len);
	buf_free(&b);
	return r;
}

static const struct lock_row *find_row(const struct lock_row *rows, int n,
				       uint8_t rule, uint64_t start)
{
	for (int i = 0; i < n; i++)
		if (rows[i].rule == rule && rows[i].start == start)
			return &rows[i];
	return NULL;
}

TEST(filelocks_fcntl_ranges_split_and_replace)
{
	struct filelock_table t;
	struct lock_row rows[16];
	const struct lock_row *r;
	int n;

	filelocks_init(&t);
	/* owner 7 write-locks [0, 100), then unlocks [40, 60): two pieces */
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL, CEPH_LOCK_EXCL, 7,
				 70, 0, 100), 0);
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL, CEPH_LOCK_UNLOCK,
				 7, 70, 40, 20), 0);
	/* owner 8's read lock to EOF from 500 stands apart */
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL, CEPH_LOCK_SHARED,
				 8, 80, 500, 0), 0);
	/* owner 7 turns [50, 200) into a read lock: the tail piece shrinks */
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL, CEPH_LOCK_SHARED,
				 7, 70, 50, 150), 0);
	n = encoded_rows(&t, 0x10, rows, 16);
	CHECK_EQ(n, 3);
	r = find_row(rows, n, CEPH_LOCK_FCNTL, 0);
	CHECK(r && r->len == 40 && r->owner == 7 && r->type == CEPH_LOCK_EXCL);
	r = find_row(rows, n, CEPH_LOCK_FCNTL, 50);
	CHECK(r && r->len == 150 && r->type == CEPH_LOCK_SHARED);
	r = find_row(rows, n, CEPH_LOCK_FCNTL, 500);
	CHECK(r && r->len == 0 && r->owner == 8 && r->pid == 80);
	/* unlocking everything of owner 7 leaves owner 8's */
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL, CEPH_LOCK_UNLOCK,
				 7, 70, 0, 0), 0);
	CHECK_EQ(filelocks_count(&t, 0x10), 1);
	/* a wait's cancel changes nothing */
	CHECK_EQ(filelocks_apply(&t, 0x10, CEPH_LOCK_FCNTL_INTR, 0, 8, 80, 0,
				 0), 0);
	CHECK_EQ(filelocks_count(&t, 0x10), 1);
	filelocks_destroy(&t);
}

TEST(filelocks_flock_whole_file_per_owner)
{
	struct filelock_table t;
	struct lock_row rows[4];
	struct buf b = BUF_INIT;

	filelocks_init(&t);
	CHECK_EQ(filelocks_encode(&t, 0x20, &b), 0);	/* none: no bytes */
	CHECK_EQ(b.len, 0);
	filelocks_apply(&t, 0x20, CEPH_LOCK_FLOCK, CEPH_LOCK_SHARED, 1, 1, 0, 0);
	filelocks_apply(&t, 0x20, CEPH_LOCK_FLOCK, CEPH_LOCK_EXCL, 1, 1, 0, 0);
	filelocks_apply(&t, 0x21, CEPH_LOCK_FLOCK, CEPH_LOCK_EXCL, 2, 2, 0, 0);
	CHECK_EQ(encoded_rows(&t, 0x20, rows, 4), 1);
	CHECK(rows[0].rule == CEPH_LOCK_FLOCK && rows[0].type == CEPH_LOCK_EXCL);
	filelocks_apply(&t, 0x20, CEPH_LOCK_FLOCK, CEPH_LOCK_UNLOCK, 1, 1, 0, 0);
	CHECK_EQ(filelocks_count(&t, 0x20), 0);
	filelocks_forget(&t, 0x21);
	CHECK_EQ(filelocks_count(&t, 0x21), 0);
	filelocks_destroy(&t);
	buf_free(&b);
}

struct seen {
	int caps, realms;
	struct mds_reconnect_cap cap[4];
	char path[4][16];
	struct mds_reconnect_realm realm[4];
};

static void seen_cap(void *arg, const struct mds_reconnect_cap *c)
{
	struct seen *s = arg;

	if (s->caps < 4) {
		s->cap[s->caps] = *c;
		snprintf(s->path[s->caps], sizeof(s->path[0]), "%.*s",
			 (int)c->path_len, c->path ? c->path : "");
	}
	s->caps++;
}

static void seen_realm(void *arg, const struct mds_reconnect_realm *r)
{
	struct seen *s = arg;

	if (s->realms < 4)
		s->realm[s->realms] = *r;
	s->realms++;
}

TEST(reconnect_message_layout)
{
	const uint8_t locks[] = { 0, 0, 0, 0, 0, 0, 0, 0 };	/* no locks */
	struct mds_reconnect_cap caps[2] = {
		{ .ino = 0x10000000001ULL, .cap_id = 5, .wanted = 0x1d55,
		  .issued = 0xd55, .realm = 1, .pathbase = 0x10000000001ULL },
		{ .ino = 1, .cap_id = 1, .wanted = 0, .issued = 0x555,
		  .realm = 1, .pathbase = 1, .path = "a/b", .path_len = 3,
		  .locks = locks, .locks_len = sizeof(locks) },
	};
	struct mds_reconnect_realm realm = { .ino = 1, .seq = 3, .parent = 0 };
	struct msg *m = mds_msg_reconnect(caps, 2, &realm, 1, false);
	struct seen s = { 0 };
	bool more = true;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->type, CEPH_MSG_CLIENT_RECONNECT);
	CHECK_EQ(m->version, 5);
	CHECK_EQ(m->compat_version, 4);
	CHECK_EQ(m->front.len, 0);	/* all of it goes in the data section */
	/* count + per cap: ino, envelope (6), path (4 + len), 36-byte
	 * ceph_mds_cap_reconnect, locks, snap_follows; realms; more */
	CHECK_EQ(m->data.len, 4 + (8 + 6 + 4 + 36 + 8) * 2 + 3 + 8 +
			      4 + (6 + 24) + 1);
	CHECK_EQ(mds_reconnect_decode(m->data.data, m->data.len, seen_cap,
				      seen_realm, &s, &more), 0);
	CHECK(!more);
	CHECK_EQ(s.caps, 2);
	CHECK_EQ(s.cap[0].ino, 0x10000000001ULL);
	CHECK_EQ(s.cap[0].cap_id, 5);
	CHECK_EQ(s.cap[0].wanted, 0x1d55);
	CHECK_EQ(s.cap[0].issued, 0xd55);
	CHECK_EQ(s.cap[0].locks_len, 0);
	CHECK(!strcmp(s.path[1], "a/b"));
	CHECK_EQ(s.cap[1].locks_len, 8);
	CHECK_EQ(s.realms, 1);
	CHECK_EQ(s.realm[0].seq, 3);
	/* every truncation is refused, never read past */
	for (size_t cut = 0; cut < m->data.len; cut++)
		CHECK(mds_reconnect_decode(m->data.data, cut, NULL, NULL, NULL,
					   &more) == -EBADMSG);
	msg_free(m);
}

static void count_cap(void *arg, const struct cap_entry *e)
{
	(*(int *)arg)++;
	CHECK_EQ(e->seq, 0);
	CHECK_EQ(e->recon_gen, 2);
}

TEST(caps_reconnect_stamps_and_dead_caps_drop)
{
	struct cap_table t;
	struct cap_entry *e;
	int seen = 0;

	cap_table_init(&t);
	e = cap_table_update(&t, 0, 0x100, 1, 0x55, 9, 9, 0, 1);
	CHECK(e != NULL);
	if (e)
		e->recon_gen = 1;
	e = cap_table_update(&t, 0, 0x101, 2, 0x55, 4, 4, 0, 1);
	if (e)
		e->recon_gen = 1;
	e = cap_table_update(&t, 1, 0x102, 3, 0x55, 4, 4, 0, 1);
	if (e)
		e->recon_gen = 1;
	/* rank 0 restarted: both of its caps are restated, seqs reset */
	CHECK_EQ(cap_table_reconnect(&t, 0, 2, count_cap, &seen), 2);
	CHECK_EQ(seen, 2);
	/* a grant with seq 1 from the new daemon is taken, not ignored as old */
	e = cap_table_update(&t, 0, 0x100, 1, 0xd55, 1, 1, 0, 1);
	CHECK(e && e->issued == 0xd55);
	/* nothing of rank 0 is dead under gen 2; everything under gen 3 */
	CHECK_EQ(cap_table_drop_dead(&t, 0, 2), 0);
	CHECK_EQ(cap_table_drop_dead(&t, 0, 3), 2);
	CHECK_EQ(cap_table_count_rank(&t, 0), 0);
	CHECK_EQ(cap_table_count_rank(&t, 1), 1);
	cap_table_destroy(&t);
}

/* The MDS drops a release whose seq is not the cap's last issue. */
TEST(caps_release_ino_names_the_issue_seq)
{
	struct cap_table t;
	const struct mds_cap_release_item *it;

	cap_table_init(&t);
	cap_table_update(&t, 0, 0x200, 7, 0x55, 12, 9, 2, 1);
	cap_table_update(&t, 1, 0x200, 8, 0x05, 3, 3, 0, 1);
	cap_table_update(&t, 0, 0x201, 9, 0x55, 4, 4, 0, 1);
	CHECK_EQ(cap_table_release_ino(&t, 0x200), 2);
	CHECK_EQ(cap_table_count(&t), 1);
	CHECK_EQ(t.npending, 2);
	for (size_t i = 0; i < t.npending; i++) {
		it = &t.pending[i];
		CHECK_EQ(it->ino, 0x200);
		if (t.pending_mds[i] == 0) {
			CHECK_EQ(it->cap_id, 7);
			CHECK_EQ(it->seq, 9);		/* issue_seq, not seq 12 */
			CHECK_EQ(it->migrate_seq, 2);
		} else {
			CHECK_EQ(it->cap_id, 8);
			CHECK_EQ(it->seq, 3);
		}
	}
	cap_table_destroy(&t);
}

/* ---- setattr under exclusive caps (mdsc_file_setattr_local) ---- */

#include <pthread.h>
#include <string.h>

#include "mds/mdsc_internal.h"

/* An MDS client with one open session to rank 0 and nothing else: enough
 * for what is decided under its lock without sending anything. */
static void fake_mdsc(struct mdsc *mc, struct mds_session *s)
{
	memset(mc, 0, sizeof(*mc));
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&mc->lock, NULL);
	pthread_cond_init(&mc->cond, NULL);
	cap_table_init(&mc->caps);
	mdcache_init(&mc->cache, 64);
	mdsc_files_init(mc);
	mc->max_mds = 1;
	s->mc = mc;
	s->state = SESSION_OPEN;
	s->conn = (struct conn *)mc;	/* never used: nothing is sent */
	mc->sessions[0] = s;
}

static void fake_mdsc_free(struct mdsc *mc)
{
	mdsc_files_destroy(mc);
	mdcache_destroy(&mc->cache);
	cap_table_destroy(&mc->caps);
	pthread_mutex_destroy(&mc->lock);
	pthread_cond_destroy(&mc->cond);
}

static void grant(struct mdsc *mc, uint64_t ino, uint32_t caps, bool auth)
{
	struct cap_entry *e = cap_table_update(&mc->caps, 0, ino, 77, caps,
					       1, 1, 0, 1);

	CHECK(e != NULL);
	if (e)
		e->auth = auth;
}

TEST(setattr_local_needs_exclusive_auth_caps)
{
	struct mds_session s;
	struct mdsc mc;
	struct mds_inode_stat st = { 0 };
	union mds_request_args a;
	struct mdcache_inode *i;

	fake_mdsc(&mc, &s);
	st.ino = 0x10000000001ULL;
	st.mode = 0100644;
	st.uid = 1000;
	st.mtime.sec = 100;
	grant(&mc, st.ino, CEPH_CAP_AUTH_SHARED | CEPH_CAP_FILE_SHARED, true);
	mdcache_put_inode(&mc.cache, 0, cap_table_find(&mc.caps, 0, st.ino)->gen, &st);

	memset(&a, 0, sizeof(a));
	a.setattr.mask = CEPH_SETATTR_MODE;
	a.setattr.mode = 0600;
	/* shared caps only: the MDS decides */
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 0, &a), -EAGAIN);
	/* Ax from a replica is not enough either */
	grant(&mc, st.ino, CEPH_CAP_AUTH_SHARED | CEPH_CAP_AUTH_EXCL, false);
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 0, &a), -EAGAIN);
	grant(&mc, st.ino, CEPH_CAP_AUTH_SHARED | CEPH_CAP_AUTH_EXCL |
	      CEPH_CAP_FILE_SHARED, true);
	/* not the owner: the MDS says no, not us */
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 1001, &a), -EAGAIN);
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 1000, &a), 0);
	i = mdcache_get_inode(&mc.cache, st.ino);
	CHECK(i && i->st.mode == 0100600);	/* seen at once */
	/* a reply with the MDS's older state does not undo it */
	mdcache_put_inode(&mc.cache, 0, 1, &st);
	pthread_mutex_lock(&mc.lock);
	if ((i = mdcache_get_inode(&mc.cache, st.ino)))
		mdsc_file_overlay_locked(&mc, &i->st);
	pthread_mutex_unlock(&mc.lock);
	CHECK(i && i->st.mode == 0100600);
	/* the owner may not give the file away; times need Fx */
	a.setattr.mask = CEPH_SETATTR_UID;
	a.setattr.uid = 0;
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 1000, &a), -EAGAIN);
	a.setattr.mask = CEPH_SETATTR_MTIME;
	a.setattr.mtime.sec = 5;
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 1000, &a), -EAGAIN);
	grant(&mc, st.ino, CEPH_CAP_AUTH_SHARED | CEPH_CAP_AUTH_EXCL |
	      CEPH_CAP_FILE_SHARED | CEPH_CAP_FILE_EXCL, true);
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 1000, &a), 0);
	/* a size goes to the MDS whatever we hold */
	a.setattr.mask = CEPH_SETATTR_SIZE;
	CHECK_EQ(mdsc_file_setattr_local(&mc, st.ino, 0, &a), -EAGAIN);
	st.mode = 0100644;
	st.mtime.sec = 100;
	mdsc_file_overlay(&mc, &st);
	CHECK_EQ(st.mode, 0100600);
	CHECK_EQ(st.mtime.sec, 5);
	CHECK_EQ(mc.stats.local_setattrs, 2);
	fake_mdsc_free(&mc);
}

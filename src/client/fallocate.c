/* fallocate on an open file, as much of it as CephFS has: a file's data
 * is sparse RADOS objects, so there is no space to reserve. Mode 0 only
 * grows the size; FALLOC_FL_PUNCH_HOLE (with FALLOC_FL_KEEP_SIZE, as
 * Linux requires) makes a range read as zeros by deleting the objects
 * wholly inside it and zeroing the parts of the others, under the Fw cap
 * like a write. The first object of a file is zeroed, never deleted: the
 * MDS keeps the file's backtrace in its xattrs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "osd/osdc.h"
#include "osd/rados.h"
#include "osd/striper.h"
#include "readahead.h"
#include "siphon/siphon.h"
#include "writeback.h"

/* Objects in flight at once, and mapped per round (as file I/O does). */
#define PUNCH_WINDOW 16
#define PUNCH_ROUND  256

static unsigned punch_timeout_ms(struct siphon_client *c)
{
	double t;

	if (!config_get_seconds(c->cfg, "rados_osd_op_timeout", &t) && t > 0 &&
	    t < 86400 * 7)
		return (unsigned)(t * 1000);
	return fs_request_timeout_ms(c);
}

/* An object that does not exist is already a hole. */
static void punch_done(struct osdc_req *q, void *arg)
{
	if (q->result == -ENOENT)
		q->result = 0;
	osdc_waiter_cb(q, arg);
}

/* Zeroes [off, off + len) of the file io describes. */
static int punch(struct siphon_client *c, const struct mdsc_io_state *io,
		 uint64_t off, uint64_t len)
{
	struct stripe_layout l = {
		io->stripe_unit, io->stripe_count, io->object_size
	};
	struct timespec now;
	uint64_t done = 0;
	int r = 0;

	if (io->osd_epoch_barrier) {
		r = client_wait_osdmap(c, io->osd_epoch_barrier,
				       punch_timeout_ms(c));
		if (r)
			return r;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	while (done < len && !r) {
		struct stripe_map m;
		struct osdc_waiter w;
		struct osdc_req *v;
		uint64_t covered;

		r = stripe_map_range(&l, off + done, len - done, PUNCH_ROUND, &m,
				     &covered);
		if (r)
			return r;
		v = calloc(m.num_ext, sizeof(*v));
		if (!v) {
			stripe_map_release(&m);
			return -ENOMEM;
		}
		osdc_waiter_init(&w);
		for (uint32_t i = 0; i < m.num_ext; i++) {
			const struct stripe_extent *e = &m.ext[i];
			struct osdc_req *q = &v[i];

			r = osdc_waiter_wait_below(&w, PUNCH_WINDOW);
			if (r)
				break;
			q->pool = io->pool;
			snprintf(q->nspace, sizeof(q->nspace), "%s", io->pool_ns);
			stripe_object_name(io->ino, e->objno, q->oid, sizeof(q->oid));
			if (e->off == 0 && e->len == l.object_size && e->objno) {
				q->ops[0].op = CEPH_OSD_OP_DELETE;
			} else {
				/* no truncate_seq/size, as Ceph's clients
				 * send it: a ZERO reaching the object's end
				 * becomes a truncate on the OSD, which
				 * asserts that such fields match the offset */
				q->ops[0].op = CEPH_OSD_OP_ZERO;
				q->ops[0].offset = e->off;
				q->ops[0].length = e->len;
			}
			q->num_ops = 1;
			q->write = true;
			q->mtime.sec = (uint32_t)now.tv_sec;
			q->mtime.nsec = (uint32_t)now.tv_nsec;
			q->timeout_ms = punch_timeout_ms(c);
			q->cb = punch_done;
			q->cb_arg = &w;
			osdc_waiter_add(&w);
			osdc_submit(c->osdc, q);
		}
		osdc_waiter_wait(&w);
		osdc_waiter_destroy(&w);
		for (uint32_t i = 0; i < m.num_ext && v[i].num_ops; i++)
			if (v[i].result && !r) {
				r = v[i].result;
				dout(LOG_CLIENT, 0, "punch %s: %s", v[i].oid,
				     strerror(-r));
			}
		free(v);
		stripe_map_release(&m);
		done += covered;
	}
	return r;
}

SIPHON_API int siphon_ll_fallocate(struct siphon_client *c, struct siphon_inode *in,
				   int mode, int64_t off, int64_t len)
{
	uint64_t ino = siphon_ll_ino(in), end;
	struct mdsc_io_state io;
	bool wrote = false;
	int r;

	if (!c->mounted)
		return client_fail(c, -ENOTCONN, "not mounted");
	if (off < 0 || len <= 0)
		return client_fail(c, -EINVAL, "fallocate: %s", strerror(EINVAL));
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return client_fail(c, -EOPNOTSUPP, "fallocate: mode %#x: %s", mode,
				   strerror(EOPNOTSUPP));
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return client_fail(c, -EOPNOTSUPP, "fallocate: %s",
				   strerror(EOPNOTSUPP));
	if (off > INT64_MAX - len)
		return client_fail(c, -EFBIG, "fallocate: %s", strerror(EFBIG));
	end = (uint64_t)off + (uint64_t)len;
	/* buffered writes first: none may land in the hole after it */
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		r = wb_sync_ino(c, ino);
		if (r)
			return client_fail(c, r, "fallocate: %s", strerror(-r));
	}
	r = mdsc_file_get_caps(c->mdsc, ino, CEPH_CAP_FILE_WR, 0,
			       fs_request_timeout_ms(c), &io);
	if (r)
		return client_fail(c, r, "fallocate: %s", strerror(-r));
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		/* what was read ahead of the hole is old, before and after
		 * (a read-ahead racing the punch) */
		ra_invalidate_ino(c, ino);
		/* past the end there is nothing to zero */
		if ((uint64_t)off < io.size)
			r = punch(c, &io, (uint64_t)off,
				  (end < io.size ? end : io.size) - (uint64_t)off);
		ra_invalidate_ino(c, ino);
		wrote = !r;
		end = 0;
	} else if (!(mode & FALLOC_FL_KEEP_SIZE) && end > io.size) {
		/* a bigger size, sent to the MDS with the next cap flush
		 * like a write's (it takes a flushed size past max_size) */
		wrote = true;
	}
	mdsc_file_put_caps(c->mdsc, ino, CEPH_CAP_FILE_WR, wrote, end);
	if (r)
		return client_fail(c, r, "fallocate: %s", strerror(-r));
	return 0;
}

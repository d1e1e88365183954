/* Open files: OPEN/CREATE through the MDS, then data straight to the
 * OSDs, cut into objects by the file's layout, under the caps the MDS
 * client keeps for the open file (see mdsc.h).
 *
 * Reads, writes and fsync are asynchronous operations (aio.h): a state
 * machine per call, moved on by cap grants, write-behind completions,
 * read-ahead segments, MDS replies and the OSD ops of its striped I/O
 * (aio_stripe.c). siphon_aio_read/write/fsync start one and report
 * through the completion queue; siphon_read/write/fsync start one and
 * wait for it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aio.h"
#include "aio_stripe.h"
#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "readahead.h"
#include "siphon/siphon.h"
#include "writeback.h"

/* A write asks the MDS for max_size this far at most at a time: the MDS
 * grows max_size in bounded steps, so one huge write is done in chunks. */
#define WRITE_CHUNK (64ull << 20)

struct siphon_file {
	struct siphon_client *c;
	struct wb *wb;			/* write-behind, shared by the inode's
					   writable handles */
	struct ra_file *ra;		/* read-ahead of this handle */
	uint64_t ino;
	int fmode;			/* CEPH_FILE_MODE_* */
	bool append;
	bool dsync;			/* O_SYNC/O_DSYNC: a write returns
					   once its bytes are on the OSDs */
	pthread_mutex_t lock;		/* guards pos */
	uint64_t pos;
	/* asynchronous operations on the handle not yet over, and a close
	 * waiting for them (a leaf lock: the loop thread takes it) */
	pthread_mutex_t oplock;
	unsigned ops;
	struct aio_op *closer;
	char path[256];			/* for messages */
};

uint32_t fs_wire_open_flags(int flags)
{
	uint32_t w = 0;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		w = CEPH_O_WRONLY;
		break;
	case O_RDWR:
		w = CEPH_O_RDWR;
		break;
	}
	if (flags & O_CREAT)
		w |= CEPH_O_CREAT;
	if (flags & O_EXCL)
		w |= CEPH_O_EXCL;
	if (flags & O_TRUNC)
		w |= CEPH_O_TRUNC;
	return w;
}

/* One OPEN or CREATE of a normalised path; the reply stays in *out. */
static int open_req(struct siphon_client *c, const char *norm,
		    const char *shown, int flags, uint32_t mode,
		    struct mds_request **out)
{
	struct mds_request *req;
	const char *name;
	uint64_t dir;
	int r;

	*out = NULL;
	r = fs_parent_and_name(c, norm, shown, &dir, &name);
	if (r)
		return r;
	req = fs_req(c, (flags & O_CREAT) ? CEPH_MDS_OP_CREATE : CEPH_MDS_OP_OPEN,
		     dir, name);
	if (!req)
		return -ENOMEM;
	req->msg.args.open.flags = fs_wire_open_flags(flags);
	req->msg.args.open.mode = (flags & O_CREAT) ? S_IFREG | (mode & 07777) : 0;
	req->msg.args.open.pool = (uint32_t)-1;	/* the directory's layout */
	r = fs_run(c, req, "open", shown);
	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "open %s: no inode in the reply", shown);
	if (r) {
		mdsc_request_put(req);
		return r;
	}
	*out = req;
	return 0;
}

SIPHON_API int siphon_open(struct siphon_client *c, const char *path,
			   int flags, uint32_t mode, struct siphon_file **out)
{
	char norm[PATH_MAX_LEN], next[PATH_MAX_LEN];
	struct mds_request *req = NULL;
	int r;

	*out = NULL;
	r = fs_resolve(c, "open", path, norm);
	if (r)
		return r;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return client_fail(c, -EINVAL, "open %s: %s", path,
				   strerror(EINVAL));
	for (int depth = 0;; depth++) {
		if (!strcmp(norm, c->root))
			return client_fail(c, -EISDIR, "open %s: %s", path,
					   strerror(EISDIR));
		r = open_req(c, norm, path, flags, mode, &req);
		if (!r && !S_ISLNK(req->reply.targeti.mode))
			break;
		if (r && r != -ELOOP)
			return r;
		/* the name is a symlink: open where it leads */
		mdsc_request_put(req);
		req = NULL;
		if ((flags & O_NOFOLLOW) || depth == MAX_SYMLINK_DEPTH)
			return client_fail(c, -ELOOP, "open %s: %s", path,
					   strerror(ELOOP));
		r = fs_link_target(c, norm, path, next);
		if (r)
			return r;
		memcpy(norm, next, sizeof(norm));
	}
	return fs_file_from_reply(c, req, flags, path, out);
}

int fs_file_from_reply(struct siphon_client *c, struct mds_request *req,
		       int flags, const char *shown, struct siphon_file **out)
{
	const struct mds_inode_stat *st = &req->reply.targeti;
	struct siphon_file *f;
	int fmode, r;

	*out = NULL;
	fmode = (flags & O_ACCMODE) == O_RDONLY ? CEPH_FILE_MODE_RD :
		(flags & O_ACCMODE) == O_WRONLY ? CEPH_FILE_MODE_WR :
						  CEPH_FILE_MODE_RDWR;
	if (!S_ISREG(st->mode)) {
		r = S_ISDIR(st->mode) ? -EISDIR : S_ISLNK(st->mode) ? -ELOOP :
		    -EINVAL;
		mdsc_request_put(req);
		return client_fail(c, r, "open %s: %s", shown, strerror(-r));
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		mdsc_request_put(req);
		return client_fail(c, -ENOMEM, "out of memory");
	}
	r = mdsc_file_open(c->mdsc, req->rank, st, fmode);
	if (r) {
		free(f);
		mdsc_request_put(req);
		return client_fail(c, r, "open %s: %s", shown, strerror(-r));
	}
	f->c = c;
	f->ino = st->ino;
	f->fmode = fmode;
	if (fmode & CEPH_FILE_MODE_WR)
		f->wb = wb_get(c, st->ino);	/* NULL: no write-behind */
	if (fmode & CEPH_FILE_MODE_RD)
		f->ra = ra_open(c, st->ino);	/* NULL: no read-ahead */
	f->append = flags & O_APPEND;
	f->dsync = flags & O_DSYNC;	/* O_SYNC includes it */
	pthread_mutex_init(&f->lock, NULL);
	pthread_mutex_init(&f->oplock, NULL);
	snprintf(f->path, sizeof(f->path), "%s", shown);
	mdsc_request_put(req);
	*out = f;
	return 0;
}

/* ---- data I/O: one operation per call ---- */

enum fop_state {
	/* reads */
	R_START, R_FLUSH, R_CAPS, R_STAT, R_STATTED, R_BARRIER, R_IO,
	R_SERVE, R_DIRECT, R_DONE,
	/* writes */
	W_START, W_APPEND, W_BUF, W_BUFCAPS, W_BEGIN, W_SYNC, W_CHUNK, W_CHUNKCAPS,
	W_BARRIER, W_CHUNKIO, W_DSYNC, W_END,
	/* fsync */
	F_START, F_WB, F_CAPFLUSH, F_SAFE,
	/* close */
	C_START, C_WB, C_RA,
};

struct fop {
	struct aio_op op;		/* first: the op is the fop */
	struct siphon_file *f;
	enum fop_state state;
	uint8_t *buf;
	uint64_t len, off;
	bool append;
	uint64_t done;			/* bytes read or written so far */
	uint64_t piece;			/* writes: the piece at hand */
	uint64_t want_end;		/* writes: max_size asked for */
	int err;
	bool err_bg;			/* err is an earlier background write's */
	bool synced;			/* an O_DSYNC write's flush is done */
	uint32_t held;			/* the cap use held: 0, Fr or Fw */
	bool counted;			/* in f->ops (an asynchronous call) */
	struct mdsc_io_state io;
	unsigned ra_gen;
	bool statted, advanced;
	struct wb *wbref;		/* the inode's write-behind, referenced */
	struct mds_request *req;
	struct sio sio;
};

static void fop_release(struct aio_op *op)
{
	struct fop *o = (struct fop *)op;

	pthread_mutex_destroy(&op->lock);
	free(o);
}

/* Ends the operation (no cap use held, nothing pending). */
static void fop_end(struct fop *o, int64_t result)
{
	struct siphon_client *c = o->f->c;

	if (o->wbref) {
		wb_put(c, o->wbref);
		o->wbref = NULL;
	}
	if (result < 0) {
		dout(LOG_CLIENT, 1, "ino %llx: %s (state %d)",
		     (unsigned long long)o->f->ino, strerror((int)-result),
		     o->state);
		client_fail(c, (int)result, "%s %s: %s",
			    o->state < W_START ? "read" :
			    o->state < F_START ? "write" : "fsync",
			    o->f->path, strerror((int)-result));
	}
	if (o->counted) {
		/* the last touch of f: close may free it from here on */
		struct siphon_file *f = o->f;
		struct aio_op *closer = NULL;

		pthread_mutex_lock(&f->oplock);
		if (!--f->ops) {
			closer = f->closer;
			f->closer = NULL;
		}
		pthread_mutex_unlock(&f->oplock);
		/* once this one is delivered: its callback comes first */
		o->op.then = closer;
	}
	aio_finish(&o->op, result);
}

static void fop_put_caps(struct fop *o, bool wrote, uint64_t end)
{
	if (o->held)
		mdsc_file_put_caps(o->f->c->mdsc, o->f->ino, o->held, wrote, end);
	o->held = 0;
}

static void fop_sio_done(struct sio *s)
{
	aio_kick(s->arg);
}

static void fop_req_done(struct mds_request *req, void *arg)
{
	aio_kick(arg);
}

/* Starts the striped I/O of [off, off + len) of the operation's buffer
 * range at buf; the operation goes on in `next` when it completes. */
static void fop_start_io(struct fop *o, uint8_t *buf, uint64_t off,
			 uint64_t len, bool write, enum fop_state next)
{
	o->state = next;
	memset(&o->sio, 0, sizeof(o->sio));
	o->sio.c = o->f->c;
	o->sio.io = o->io;
	o->sio.buf = buf;
	o->sio.off = off;
	o->sio.len = len;
	o->sio.write = write;
	o->sio.done = fop_sio_done;
	o->sio.arg = &o->op;
	sio_start(&o->sio);
}

static int try_osdmap(struct aio_op *op, void *arg)
{
	struct fop *o = (struct fop *)op;

	return client_wait_osdmap(op->c, o->io.osd_epoch_barrier, 0);
}

static int try_cap_flush(struct aio_op *op, void *arg)
{
	return mdsc_file_flush(op->c->mdsc, ((struct fop *)op)->f->ino, 0);
}

static int try_safe(struct aio_op *op, void *arg)
{
	return mdsc_sync_ino(op->c->mdsc, ((struct fop *)op)->f->ino, 0);
}

/* A read: our own buffered writes first, so that it sees them; then Fr;
 * the size asked of the MDS when the read goes past what we know and we
 * lack Fs (another writer may have grown the file, as Ceph's clients ask
 * on a short read); then read-ahead, and the OSDs for the rest. */
static bool read_step(struct fop *o)
{
	struct siphon_client *c = o->f->c;
	struct siphon_file *f = o->f;
	int r;

	switch (o->state) {
	case R_START:
		aio_count(c, read_calls, 1);
		if (!(f->fmode & CEPH_FILE_MODE_RD)) {
			fop_end(o, -EBADF);
			return false;
		}
		o->wbref = wb_find(c, f->ino);
		o->state = R_FLUSH;
		return true;
	case R_FLUSH:
		if (wb_idle_or_park(c, o->wbref, &o->op) == -EINPROGRESS)
			return false;
		r = wb_take_error(o->wbref);
		if (r) {
			fop_end(o, r);
			return false;
		}
		o->state = R_CAPS;
		return true;
	case R_CAPS:
		o->ra_gen = f->ra ? ra_gen(f->ra) : 0;
		r = aio_get_caps(&o->op, f->ino, CEPH_CAP_FILE_RD, 0, &o->io);
		if (r == -EINPROGRESS)
			return false;
		if (r) {
			fop_end(o, r);
			return false;
		}
		o->held = CEPH_CAP_FILE_RD;
		if (o->off + o->len > o->io.size && !o->statted &&
		    !(o->io.issued & CEPH_CAP_FILE_SHARED)) {
			fop_put_caps(o, false, 0);
			o->statted = true;
			o->state = R_STAT;
			return true;
		}
		o->state = R_BARRIER;
		return true;
	case R_STAT:
		o->req = fs_req(c, CEPH_MDS_OP_GETATTR, f->ino, "");
		if (!o->req) {
			fop_end(o, -ENOMEM);
			return false;
		}
		o->req->msg.args.getattr.mask = CEPH_STAT_CAP_INODE_ALL;
		o->req->msg.caller_uid = (uint32_t)geteuid();
		o->req->msg.caller_gid = (uint32_t)getegid();
		o->state = R_STATTED;
		r = mdsc_submit(c->mdsc, o->req, c->aio->request_ms,
				fop_req_done, &o->op);
		if (r) {
			mdsc_request_put(o->req);
			o->req = NULL;
			fop_end(o, r);
		}
		return false;
	case R_STATTED:
		r = o->req->result;
		mdsc_request_put(o->req);
		o->req = NULL;
		if (r) {
			fop_end(o, r);
			return false;
		}
		o->state = R_CAPS;	/* the reply brought the size */
		return true;
	case R_BARRIER:
		/* an MDS that blocklisted a client wants our ops to follow
		 * its map */
		if (o->io.osd_epoch_barrier) {
			r = aio_try_or_park(&o->op, 0, try_osdmap, NULL);
			if (r == -EINPROGRESS)
				return false;
			if (r) {
				fop_put_caps(o, false, 0);
				fop_end(o, r);
				return false;
			}
		}
		o->state = R_IO;
		return true;
	case R_IO:
		dout(LOG_CLIENT, 10, "read %llx: %llu~%llu, size %llu",
		     (unsigned long long)f->ino, (unsigned long long)o->off,
		     (unsigned long long)o->len,
		     (unsigned long long)o->io.size);
		if (o->off >= o->io.size)
			o->len = 0;
		else if (o->len > o->io.size - o->off)
			o->len = o->io.size - o->off;
		if (!o->len) {
			o->state = R_DONE;
			return true;
		}
		if (!o->advanced) {
			ra_advance(f->ra, &o->io, o->ra_gen, o->off, o->len);
			o->advanced = true;
		}
		o->state = R_SERVE;
		return true;
	case R_SERVE:
		r = ra_serve(f->ra, &o->op, &o->io, o->ra_gen, o->buf, o->off,
			     o->len, &o->done);
		if (r == -EINPROGRESS)
			return false;
		if (o->done == o->len) {
			o->state = R_DONE;
			return true;
		}
		fop_start_io(o, o->buf + o->done, o->off + o->done,
			     o->len - o->done, false, R_DIRECT);
		return false;
	case R_DIRECT:
		o->err = o->sio.err;
		o->state = R_DONE;
		return true;
	case R_DONE:
		fop_put_caps(o, false, 0);
		fop_end(o, o->err ? o->err : (int64_t)o->len);
		return false;
	default:
		return false;
	}
}

/* Buffered writes are cut at these boundaries (one object of the default
 * layout: the buffer takes whole stripe units). */
#define WB_PIECE (4ull << 20)

/* A write: under Fb, pieces are copied into write-behind (a piece that
 * does not continue the pending extent starts one under a new use of
 * Fw); otherwise, after what was buffered is on the OSDs, chunks of at
 * most WRITE_CHUNK go synchronously under Fw with max_size covering
 * them. With O_APPEND every chunk goes where the file ends once Fw is
 * held; under Fb too that end is known here (the MDS grants Fb to a
 * single writer, and our size counts what is buffered), so an append is
 * buffered there as ceph-fuse does, and only falls back to the
 * synchronous path, which finds the end again, if Fb goes meanwhile. */
static bool write_step(struct fop *o)
{
	struct siphon_client *c = o->f->c;
	struct siphon_file *f = o->f;
	int r;

	switch (o->state) {
	case W_START:
		aio_count(c, write_calls, 1);
		if (!(f->fmode & CEPH_FILE_MODE_WR)) {
			fop_end(o, -EBADF);
			return false;
		}
		if (!o->append && o->off + o->len < o->off) {
			fop_end(o, -EFBIG);
			return false;
		}
		/* what was read ahead of it is old now */
		ra_invalidate_ino(c, f->ino);
		o->state = !f->wb ? W_SYNC : o->append ? W_APPEND : W_BUF;
		return true;
	case W_APPEND:
		r = aio_get_caps(&o->op, f->ino, CEPH_CAP_FILE_WR, 0, &o->io);
		if (r == -EINPROGRESS)
			return false;
		if (r) {
			o->err = r;
			o->state = W_END;
			return true;
		}
		o->held = CEPH_CAP_FILE_WR;	/* only to read the end: */
		fop_put_caps(o, false, 0);	/* the buffer takes its own */
		if (!(o->io.issued & CEPH_CAP_FILE_BUFFER)) {
			o->state = W_SYNC;
			return true;
		}
		o->off = o->io.size;	/* buffered writes included */
		if (o->off + o->len < o->off) {
			fop_end(o, -EFBIG);
			return false;
		}
		o->state = W_BUF;
		return true;
	case W_BUF:
		while (o->done < o->len) {
			uint64_t at = o->off + o->done;
			uint64_t n = WB_PIECE - at % WB_PIECE;

			if (n > o->len - o->done)
				n = o->len - o->done;
			r = wb_append(c, f->wb, o->buf + o->done, n, at);
			if (r < 0) {
				o->err = r;
				o->err_bg = true;
				o->state = W_END;
				return true;
			}
			if (!r) {
				o->piece = n;
				o->state = W_BUFCAPS;
				return true;
			}
			o->done += n;
		}
		o->state = W_END;
		return true;
	case W_BUFCAPS:
		r = aio_get_caps(&o->op, f->ino, CEPH_CAP_FILE_WR,
				 o->off + o->done + o->piece, &o->io);
		if (r == -EINPROGRESS)
			return false;
		if (r) {
			o->err = r;
			o->state = W_END;
			return true;
		}
		o->held = CEPH_CAP_FILE_WR;
		o->state = W_BEGIN;
		return true;
	case W_BEGIN:
		/* after a wait for room, another write may have started the
		 * extent this piece continues: join it (its use covers it) */
		r = wb_append(c, f->wb, o->buf + o->done, o->piece,
			      o->off + o->done);
		if (r) {
			fop_put_caps(o, false, 0);
			if (r < 0) {
				o->err = r;
				o->err_bg = true;
				o->state = W_END;
				return true;
			}
			o->done += o->piece;
			o->state = W_BUF;
			return true;
		}
		r = wb_begin(c, f->wb, &o->io, o->buf + o->done, o->piece,
			     o->off + o->done, &o->op);
		if (r == -EINPROGRESS)
			return false;	/* room frees: kicked */
		if (r == 1) {
			o->held = 0;	/* the extent has the use now */
			o->done += o->piece;
			o->state = W_BUF;
			return true;
		}
		/* not buffered: the rest goes synchronously, after what
		 * was buffered */
		fop_put_caps(o, false, 0);
		o->state = W_SYNC;
		return true;
	case W_SYNC:
		/* buffered writes first: an append's size must include them */
		if (wb_idle_or_park(c, f->wb, &o->op) == -EINPROGRESS)
			return false;
		r = wb_take_error(f->wb);
		if (r) {
			o->err = r;
			o->err_bg = true;
			o->state = W_END;
			return true;
		}
		o->state = W_CHUNK;
		return true;
	case W_CHUNK:
		if (o->done == o->len) {
			o->state = W_END;
			return true;
		}
		o->piece = o->len - o->done > WRITE_CHUNK ? WRITE_CHUNK :
							   o->len - o->done;
		o->want_end = o->off + o->done + o->piece;
		o->state = W_CHUNKCAPS;
		return true;
	case W_CHUNKCAPS:
		r = aio_get_caps(&o->op, f->ino, CEPH_CAP_FILE_WR, o->want_end,
				 &o->io);
		if (r == -EINPROGRESS)
			return false;
		if (r) {
			o->err = r;
			o->state = W_END;
			return true;
		}
		o->held = CEPH_CAP_FILE_WR;
		if (o->append) {
			if (o->io.size + o->piece > o->io.max_size) {
				/* the end moved past what we may write */
				o->want_end = o->io.size + o->piece;
				fop_put_caps(o, false, 0);
				return true;
			}
			o->off = o->io.size - o->done;
		}
		o->state = W_BARRIER;
		return true;
	case W_BARRIER:
		/* an MDS that blocklisted a client wants our ops to follow
		 * its map */
		if (o->io.osd_epoch_barrier) {
			r = aio_try_or_park(&o->op, 0, try_osdmap, NULL);
			if (r == -EINPROGRESS)
				return false;
			if (r) {
				fop_put_caps(o, false, 0);
				o->err = r;
				o->state = W_END;
				return true;
			}
		}
		fop_start_io(o, o->buf + o->done, o->off + o->done, o->piece,
			     true, W_CHUNKIO);
		return false;
	case W_CHUNKIO:
		r = o->sio.err;
		fop_put_caps(o, !r, o->off + o->done + o->piece);
		ra_invalidate_ino(c, f->ino);
		if (r) {
			o->err = r;
			o->state = W_END;
			return true;
		}
		o->done += o->piece;
		o->state = W_CHUNK;
		return true;
	case W_DSYNC:
		/* what this write buffered goes to the OSDs before it
		 * returns, as ceph-fuse flushes the range it wrote */
		if (wb_idle_or_park(c, f->wb, &o->op) == -EINPROGRESS)
			return false;
		r = wb_take_error(f->wb);
		if (r) {
			o->err = r;
			o->err_bg = false;
			o->done = 0;	/* not known to be on the OSDs */
		}
		o->state = W_END;
		return true;
	case W_END:
		if (f->dsync && f->wb && o->done && !o->err && !o->synced) {
			o->synced = true;
			o->state = W_DSYNC;
			return true;
		}
		/* a write that did part of its bytes reports that part; an
		 * earlier background write's failure it came across must
		 * then reach the next call (fsync, close...), not be lost */
		if (o->err && o->err_bg && o->done && f->wb)
			wb_keep_error(f->wb, o->err);
		fop_end(o, o->err && !o->done ? o->err : (int64_t)o->done);
		return false;
	default:
		return false;
	}
}

/* fsync: buffered writes on the OSDs, the size and mtime taken by the
 * MDS (FLUSH_ACK), the file's MDS changes safe. */
static bool fsync_step(struct fop *o)
{
	struct siphon_client *c = o->f->c;
	int r;

	switch (o->state) {
	case F_START:
		o->wbref = wb_find(c, o->f->ino);
		o->state = F_WB;
		return true;
	case F_WB:
		if (wb_idle_or_park(c, o->wbref, &o->op) == -EINPROGRESS)
			return false;
		r = wb_take_error(o->wbref);
		if (r) {
			fop_end(o, r);
			return false;
		}
		o->state = F_CAPFLUSH;
		return true;
	case F_CAPFLUSH:
		r = aio_try_or_park(&o->op, o->f->ino, try_cap_flush, NULL);
		if (r == -EINPROGRESS)
			return false;
		if (r) {
			fop_end(o, r);
			return false;
		}
		o->state = F_SAFE;
		return true;
	case F_SAFE:
		r = aio_try_or_park(&o->op, o->f->ino, try_safe, NULL);
		if (r == -EINPROGRESS)
			return false;
		fop_end(o, r);
		return false;
	default:
		return false;
	}
}

/* close: the handle's asynchronous operations end, its buffered writes
 * reach the OSDs (a failed one is reported here at the latest), its
 * read-ahead reads end; then the MDS learns of the close (not waited
 * for) and the handle is freed. Parks rather than blocks at each wait,
 * so siphon-fuse's RELEASE (siphon_aio_close) holds no thread while an
 * OSD is away. */
static bool close_step(struct fop *o)
{
	struct siphon_file *f = o->f;
	struct siphon_client *c = f->c;
	int r, rc;

	switch (o->state) {
	case C_START:
		pthread_mutex_lock(&f->oplock);
		if (f->ops) {
			f->closer = &o->op;	/* the last one kicks us */
			pthread_mutex_unlock(&f->oplock);
			return false;
		}
		pthread_mutex_unlock(&f->oplock);
		o->state = C_WB;
		return true;
	case C_WB:
		if (!f->wb) {
			/* as ceph-fuse's release: the inode's buffered writes
			 * from other handles start now (not waited for) */
			wb_kick(c, f->ino);
			o->state = C_RA;
			return true;
		}
		if (wb_idle_or_park(c, f->wb, &o->op) == -EINPROGRESS)
			return false;
		o->err = wb_take_error(f->wb);
		/* the last handle's put finds nothing in flight: no wait */
		wb_put(c, f->wb);
		f->wb = NULL;
		o->state = C_RA;
		return true;
	case C_RA:
		/* its reads hold uses of Fr */
		if (!ra_close_or_park(f->ra, &o->op))
			return false;
		f->ra = NULL;
		rc = mdsc_file_close(c->mdsc, f->ino, f->fmode, 0);
		r = o->err ? o->err : rc;
		if (r)
			client_fail(c, r, "close %s: %s", f->path, strerror(-r));
		pthread_mutex_destroy(&f->lock);
		pthread_mutex_destroy(&f->oplock);
		free(f);
		o->f = NULL;
		aio_finish(&o->op, r);
		return false;
	default:
		return false;
	}
}

static void fop_step(struct aio_op *op)
{
	struct fop *o = (struct fop *)op;
	bool more;

	do {
		if (o->state < W_START)
			more = read_step(o);
		else if (o->state < F_START)
			more = write_step(o);
		else if (o->state < C_START)
			more = fsync_step(o);
		else
			more = close_step(o);
	} while (more);
}

static struct fop *fop_new(struct siphon_file *f, enum fop_state first,
			   void *buf, size_t len, uint64_t off)
{
	struct fop *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	aio_op_init(&o->op, f->c, fop_step, fop_release);
	o->f = f;
	o->state = first;
	o->buf = buf;
	o->len = len;
	o->off = off;
	return o;
}

static int fop_submit(struct siphon_file *f, enum fop_state first, void *buf,
		      size_t len, int64_t off, siphon_cb cb, void *arg)
{
	struct fop *o;

	if (!f)
		return -EBADF;
	if (off < 0 || !cb)
		return client_fail(f->c, -EINVAL, "aio %s: %s", f->path,
				   strerror(EINVAL));
	if (!f->c->mounted)
		return client_fail(f->c, -ENOTCONN, "not mounted");
	o = fop_new(f, first, buf, len, (uint64_t)off);
	if (!o)
		return client_fail(f->c, -ENOMEM, "out of memory");
	o->counted = true;
	pthread_mutex_lock(&f->oplock);
	f->ops++;
	pthread_mutex_unlock(&f->oplock);
	aio_op_start(&o->op, cb, arg);
	return 0;
}

SIPHON_API int siphon_aio_read(struct siphon_file *f, void *buf, size_t len,
			       int64_t off, siphon_cb cb, void *arg)
{
	return fop_submit(f, R_START, buf, len, off, cb, arg);
}

SIPHON_API int siphon_aio_write(struct siphon_file *f, const void *buf,
				size_t len, int64_t off, siphon_cb cb, void *arg)
{
	return fop_submit(f, W_START, (void *)buf, len, off, cb, arg);
}

SIPHON_API int siphon_aio_fsync(struct siphon_file *f, siphon_cb cb, void *arg)
{
	return fop_submit(f, F_START, NULL, 0, 0, cb, arg);
}

SIPHON_API int siphon_aio_close(struct siphon_file *f, siphon_cb cb, void *arg)
{
	struct fop *o;

	if (!f)
		return -EBADF;
	o = fop_new(f, C_START, NULL, 0, 0);
	if (!o)
		return client_fail(f->c, -ENOMEM, "out of memory");
	/* not counted in f->ops: it waits for them to end, then frees f */
	aio_op_start(&o->op, cb, arg);
	return 0;
}

/* The blocking calls: the same operation, waited for. *end gets where a
 * write ended (the new file position). */
static int64_t fop_run(struct siphon_file *f, enum fop_state first, void *buf,
		       size_t len, uint64_t off, bool append, uint64_t *end)
{
	struct fop *o = fop_new(f, first, buf, len, off);
	int64_t r;

	if (!o)
		return client_fail(f->c, -ENOMEM, "out of memory");
	o->append = append;
	r = aio_op_run(&o->op);
	if (end)
		*end = o->off + o->done;
	fop_release(&o->op);
	return r;
}

SIPHON_API int64_t siphon_read(struct siphon_file *f, void *buf, size_t len,
			       int64_t off)
{
	int64_t r;

	if (!f)
		return -EBADF;
	if (off >= 0)
		return fop_run(f, R_START, buf, len, (uint64_t)off, false, NULL);
	pthread_mutex_lock(&f->lock);
	r = fop_run(f, R_START, buf, len, f->pos, false, NULL);
	if (r > 0)
		f->pos += (uint64_t)r;
	pthread_mutex_unlock(&f->lock);
	return r;
}

SIPHON_API int64_t siphon_write(struct siphon_file *f, const void *buf,
				size_t len, int64_t off)
{
	uint64_t end;
	int64_t r;

	if (!f)
		return -EBADF;
	if (!len)
		return 0;
	if (off >= 0)
		return fop_run(f, W_START, (void *)buf, len, (uint64_t)off,
			       false, &end);
	pthread_mutex_lock(&f->lock);
	if (f->append) {
		struct siphon_stat st;

		/* As libcephfs and the kernel client do before an O_APPEND
		 * write: unless we hold Fs, a size another client wrote
		 * reaches us only by a GETATTR that makes the MDS gather it
		 * (with both holding Fw, in LOCK_MIX, no cap message does). */
		r = siphon_fstat(f, &st);
		if (r) {
			pthread_mutex_unlock(&f->lock);
			return r;
		}
	}
	r = fop_run(f, W_START, (void *)buf, len, f->pos, f->append, &end);
	if (r > 0)
		f->pos = end;
	pthread_mutex_unlock(&f->lock);
	return r;
}

SIPHON_API int siphon_fsync(struct siphon_file *f)
{
	if (!f)
		return -EBADF;
	return (int)fop_run(f, F_START, NULL, 0, 0, false, NULL);
}

SIPHON_API int siphon_close(struct siphon_file *f)
{
	if (!f)
		return -EBADF;
	return (int)fop_run(f, C_START, NULL, 0, 0, false, NULL);
}

SIPHON_API int siphon_fstat(struct siphon_file *f, struct siphon_stat *st)
{
	struct siphon_client *c;
	struct mds_inode_stat in;
	struct mds_request *req;
	int r;

	if (!f)
		return -EBADF;
	c = f->c;
	if (!mdsc_cached_getattr(c->mdsc, f->ino, CEPH_CAP_AUTH_SHARED |
				 CEPH_CAP_LINK_SHARED | CEPH_CAP_FILE_SHARED,
				 &in)) {
		fs_fill_stat(c, st, &in);
		return 0;
	}
	req = fs_req(c, CEPH_MDS_OP_GETATTR, f->ino, "");
	if (!req)
		return -ENOMEM;
	req->msg.args.getattr.mask = CEPH_STAT_CAP_INODE_ALL;
	r = fs_run(c, req, "stat", f->path);
	if (!r && !(req->have_reply && req->reply.is_target))
		r = client_fail(c, -EIO, "stat %s: no inode in the reply",
				f->path);
	if (!r)
		fs_fill_stat(c, st, &req->reply.targeti);
	mdsc_request_put(req);
	return r;
}

SIPHON_API int64_t siphon_lseek(struct siphon_file *f, int64_t off, int whence)
{
	struct siphon_stat st;
	int64_t base;
	int r;

	if (!f)
		return -EBADF;
	pthread_mutex_lock(&f->lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		r = siphon_fstat(f, &st);
		if (r) {
			pthread_mutex_unlock(&f->lock);
			return r;
		}
		base = (int64_t)st.size;
		break;
	default:
		pthread_mutex_unlock(&f->lock);
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
		pthread_mutex_unlock(&f->lock);
		return -EINVAL;
	}
	f->pos = (uint64_t)(base + off);
	pthread_mutex_unlock(&f->lock);
	return base + off;
}

SIPHON_API int siphon_flush(struct siphon_file *f)
{
	int r;

	if (!f)
		return -EBADF;
	r = f->wb ? wb_flush(f->c, f->wb) : 0;
	if (r)
		return client_fail(f->c, r, "write %s: %s", f->path, strerror(-r));
	return 0;
}

SIPHON_API int siphon_file_error(struct siphon_file *f)
{
	int r;

	if (!f)
		return -EBADF;
	r = wb_take_error(f->wb);
	if (r)
		return client_fail(f->c, r, "write %s: %s", f->path, strerror(-r));
	return 0;
}

/* SETATTR of the size by inode, after our own dirty size reached the
 * MDS (it must know it before it cuts the file). */
static int truncate_ino(struct siphon_client *c, uint64_t ino, uint64_t size,
			const char *shown)
{
	struct mds_request *req;
	int r;

	r = wb_sync_ino(c, ino);
	if (!r)
		r = mdsc_file_flush(c->mdsc, ino, fs_request_timeout_ms(c));
	if (r)
		return client_fail(c, r, "truncate %s: %s", shown, strerror(-r));
	req = fs_req(c, CEPH_MDS_OP_SETATTR, ino, "");
	if (!req)
		return -ENOMEM;
	req->msg.args.setattr.mask = CEPH_SETATTR_SIZE;
	req->msg.args.setattr.size = size;
	req->msg.args.setattr.old_size = mdsc_file_size(c->mdsc, ino);
	ra_invalidate_ino(c, ino);
	r = fs_run(c, req, "truncate", shown);
	ra_invalidate_ino(c, ino);
	mdsc_request_put(req);
	return r;
}

SIPHON_API int siphon_ftruncate(struct siphon_file *f, uint64_t size)
{
	if (!f)
		return -EBADF;
	if (!(f->fmode & CEPH_FILE_MODE_WR))
		return client_fail(f->c, -EBADF, "truncate %s: %s", f->path,
				   strerror(EBADF));
	return truncate_ino(f->c, f->ino, size, f->path);
}

SIPHON_API int siphon_truncate(struct siphon_client *c, const char *path,
			       uint64_t size)
{
	char norm[PATH_MAX_LEN];
	struct mds_inode_stat in;
	int r;

	r = fs_resolve(c, "truncate", path, norm);
	if (r)
		return r;
	r = fs_walk(c, norm, path, &in, false);
	if (r == -EAGAIN)
		r = client_fail(c, -ENOTDIR, "truncate %s: %s", path,
				strerror(ENOTDIR));
	if (r)
		return r;
	if (S_ISDIR(in.mode))
		return client_fail(c, -EISDIR, "truncate %s: %s", path,
				   strerror(EISDIR));
	if (!S_ISREG(in.mode))
		return client_fail(c, -EINVAL, "truncate %s: %s", path,
				   strerror(EINVAL));
	return truncate_ino(c, in.ino, size, path);
}

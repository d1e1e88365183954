/* Open files: OPEN/CREATE through the MDS, then data straight to the
 * OSDs, cut into objects by the file's layout, under the caps the MDS
 * client keeps for the open file (see mdsc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "client.h"
#include "common/log.h"
#include "mds/ceph_fs.h"
#include "mds/mdsc.h"
#include "osd/osdc.h"
#include "osd/striper.h"
#include "siphon/siphon.h"
#include "writeback.h"

/* Objects in flight at once for one read or write: as one completes the
 * next goes out. */
#define IO_WINDOW_OBJECTS 16
/* Objects mapped (and their requests allocated) per round. */
#define IO_ROUND_OBJECTS 256
/* A write asks the MDS for max_size this far at most at a time: the MDS
 * grows max_size in bounded steps, so one huge write is done in chunks. */
#define WRITE_CHUNK (64ull << 20)
/* Buffered writes are cut at these boundaries (see file_write). */
#define WB_PIECE (4ull << 20)

struct siphon_file {
	struct siphon_client *c;
	struct wb *wb;			/* write-behind, shared by the inode's
					   writable handles */
	uint64_t ino;
	int fmode;			/* CEPH_FILE_MODE_* */
	bool append;
	pthread_mutex_t lock;		/* guards pos */
	uint64_t pos;
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
	f->append = flags & O_APPEND;
	pthread_mutex_init(&f->lock, NULL);
	snprintf(f->path, sizeof(f->path), "%s", shown);
	mdsc_request_put(req);
	*out = f;
	return 0;
}

SIPHON_API int siphon_close(struct siphon_file *f)
{
	struct siphon_client *c;
	int r, rc;

	if (!f)
		return -EBADF;
	c = f->c;
	/* a background write that failed is reported here at the latest */
	r = wb_flush(c, f->wb);
	wb_put(c, f->wb);
	rc = mdsc_file_close(c->mdsc, f->ino, f->fmode, fs_request_timeout_ms(c));
	if (!r)
		r = rc;
	if (r)
		client_fail(c, r, "close %s: %s", f->path, strerror(-r));
	pthread_mutex_destroy(&f->lock);
	free(f);
	return r;
}

/* ---- striped data I/O ---- */

/* One object's part of a round: the request and, when the object takes
 * several pieces of the caller's buffer, a bounce buffer. */
struct obj_io {
	struct osdc_req req;
	uint8_t *bounce;
};

static unsigned osd_timeout_ms(struct siphon_client *c)
{
	double t;

	if (!config_get_seconds(c->cfg, "rados_osd_op_timeout", &t) && t > 0 &&
	    t < 86400 * 7)
		return (unsigned)(t * 1000);
	return fs_request_timeout_ms(c);
}

/* An object that does not exist reads as a hole, not an error. */
static void obj_io_done(struct osdc_req *q, void *arg)
{
	if (q->result == -ENOENT && !q->write) {
		q->result = 0;
		q->read_len = 0;
	}
	osdc_waiter_cb(q, arg);
}

/* Reads or writes [off, off + len) of the file into or from buf. Reads
 * fill holes and objects that do not exist with zeros. */
static int striped_io(struct siphon_client *c, const struct mdsc_io_state *io,
		      uint8_t *buf, uint64_t len, uint64_t off, bool write)
{
	struct stripe_layout l = {
		io->stripe_unit, io->stripe_count, io->object_size
	};
	struct timespec now;
	uint64_t done = 0;
	int r = 0;

	/* an MDS that blocklisted a client wants our ops to follow it */
	if (io->osd_epoch_barrier) {
		r = client_wait_osdmap(c, io->osd_epoch_barrier,
				       osd_timeout_ms(c));
		if (r)
			return r;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	while (done < len && !r) {
		struct stripe_map m;
		struct osdc_waiter w;
		struct obj_io *v;
		uint64_t covered;

		r = stripe_map_range(&l, off + done, len - done,
				     IO_ROUND_OBJECTS, &m, &covered);
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
			const struct stripe_piece *p = &m.pieces[e->first_piece];
			struct osdc_req *q = &v[i].req;
			uint8_t *data = buf + done + p->buf_off;

			/* keep the window full, stop at the first error */
			r = osdc_waiter_wait_below(&w, IO_WINDOW_OBJECTS);
			if (r)
				break;
			if (e->num_pieces > 1) {
				v[i].bounce = malloc(e->len);
				if (!v[i].bounce) {
					r = -ENOMEM;
					break;
				}
				data = v[i].bounce;
				for (uint32_t k = 0; write && k < e->num_pieces; k++, p++) {
					memcpy(data, buf + done + p->buf_off, p->len);
					data += p->len;
				}
				data = v[i].bounce;
			}
			q->pool = io->pool;
			snprintf(q->nspace, sizeof(q->nspace), "%s", io->pool_ns);
			stripe_object_name(io->ino, e->objno, q->oid, sizeof(q->oid));
			q->ops[0].op = write ? CEPH_OSD_OP_WRITE : CEPH_OSD_OP_READ;
			q->ops[0].offset = e->off;
			q->ops[0].length = e->len;
			q->ops[0].truncate_seq = io->truncate_seq;
			q->ops[0].truncate_size = io->truncate_size;
			q->num_ops = 1;
			q->write = write;
			if (write) {
				q->ops[0].indata = data;
				q->ops[0].indata_len = (uint32_t)e->len;
				q->mtime.sec = (uint32_t)now.tv_sec;
				q->mtime.nsec = (uint32_t)now.tv_nsec;
			} else {
				q->rbuf = data;
				q->rbuf_len = e->len;
			}
			q->timeout_ms = osd_timeout_ms(c);
			q->cb = obj_io_done;
			q->cb_arg = &w;
			osdc_waiter_add(&w);
			osdc_submit(c->osdc, q);
		}
		osdc_waiter_wait(&w);
		osdc_waiter_destroy(&w);
		for (uint32_t i = 0; i < m.num_ext; i++) {
			const struct stripe_extent *e = &m.ext[i];
			struct osdc_req *q = &v[i].req;
			const struct stripe_piece *p = &m.pieces[e->first_piece];
			uint64_t got = 0;

			if (!q->num_ops)
				break;	/* never submitted (out of memory) */
			if (!write && !q->result)
				got = q->read_len;
			if (q->result && !r) {
				r = q->result;
				dout(LOG_CLIENT, 0, "%s %s: %s", write ? "write" : "read",
				     q->oid, strerror(-r));
			}
			if (write || r)
				continue;
			/* what the object did not hold reads as zeros */
			if (e->num_pieces > 1) {
				memset(v[i].bounce + got, 0, e->len - got);
				for (uint32_t k = 0, at = 0; k < e->num_pieces; k++, p++) {
					memcpy(buf + done + p->buf_off,
					       v[i].bounce + at, p->len);
					at += (uint32_t)p->len;
				}
			} else {
				memset(buf + done + p->buf_off + got, 0, e->len - got);
			}
		}
		for (uint32_t i = 0; i < m.num_ext; i++)
			free(v[i].bounce);
		free(v);
		stripe_map_release(&m);
		done += covered;
	}
	return r;
}

static int64_t file_read(struct siphon_file *f, void *buf, size_t len,
			 uint64_t off)
{
	struct siphon_client *c = f->c;
	struct mdsc_io_state io;
	int r;

	if (!(f->fmode & CEPH_FILE_MODE_RD))
		return client_fail(c, -EBADF, "read %s: %s", f->path,
				   strerror(EBADF));
	/* our own buffered writes first, so the read sees them */
	r = wb_sync_ino(c, f->ino);
	if (r)
		return client_fail(c, r, "write %s: %s", f->path, strerror(-r));
	r = mdsc_file_get_caps(c->mdsc, f->ino, CEPH_CAP_FILE_RD, 0,
			       fs_request_timeout_ms(c), &io);
	if (r)
		return client_fail(c, r, "read %s: %s", f->path, strerror(-r));
	if (off + len > io.size && !(io.issued & CEPH_CAP_FILE_SHARED)) {
		/* Without Fs another writer may have grown the file since
		 * we heard its size: ask before calling this the end (as
		 * Ceph's clients do on a short read). */
		struct siphon_stat st;

		mdsc_file_put_caps(c->mdsc, f->ino, CEPH_CAP_FILE_RD, false, 0);
		r = siphon_fstat(f, &st);
		if (r)
			return r;
		r = mdsc_file_get_caps(c->mdsc, f->ino, CEPH_CAP_FILE_RD, 0,
				       fs_request_timeout_ms(c), &io);
		if (r)
			return client_fail(c, r, "read %s: %s", f->path,
					   strerror(-r));
	}
	if (off >= io.size) {
		len = 0;
	} else {
		if (len > io.size - off)
			len = io.size - off;
		r = striped_io(c, &io, buf, len, off, false);
	}
	mdsc_file_put_caps(c->mdsc, f->ino, CEPH_CAP_FILE_RD, false, 0);
	if (r)
		return client_fail(c, r, "read %s: %s", f->path, strerror(-r));
	return (int64_t)len;
}

/* One chunk of a write. With O_APPEND, *off is where the file ends once
 * we hold Fw. */
static int write_chunk(struct siphon_file *f, const uint8_t *buf, size_t len,
		       uint64_t *off, bool append)
{
	struct siphon_client *c = f->c;
	unsigned timeout = fs_request_timeout_ms(c);
	struct mdsc_io_state io;
	uint64_t end = *off + len;
	int r;

	for (;;) {
		r = mdsc_file_get_caps(c->mdsc, f->ino, CEPH_CAP_FILE_WR, end,
				       timeout, &io);
		if (r)
			return r;
		if (!append || io.size + len <= io.max_size)
			break;
		/* the end moved past what we may write: ask again */
		end = io.size + len;
		mdsc_file_put_caps(c->mdsc, f->ino, CEPH_CAP_FILE_WR, false, 0);
	}
	if (append) {
		*off = io.size;
		end = *off + len;
	}
	r = striped_io(c, &io, (uint8_t *)buf, len, *off, true);
	mdsc_file_put_caps(c->mdsc, f->ino, CEPH_CAP_FILE_WR, !r, end);
	return r;
}

static int64_t file_write(struct siphon_file *f, const void *buf, size_t len,
			  uint64_t off, bool append, uint64_t *end)
{
	struct siphon_client *c = f->c;
	const uint8_t *p = buf;
	size_t done = 0;
	int r = 0;

	if (!(f->fmode & CEPH_FILE_MODE_WR))
		return client_fail(c, -EBADF, "write %s: %s", f->path,
				   strerror(EBADF));
	if (!append && off + len < off)
		return client_fail(c, -EFBIG, "write %s: %s", f->path,
				   strerror(EFBIG));
	/* write-behind, in pieces that end on 4 MiB boundaries (one object
	 * of the default layout: the buffer takes whole stripe units) */
	while (f->wb && !append && done < len) {
		size_t n = WB_PIECE - (off % WB_PIECE);

		if (n > len - done)
			n = len - done;
		r = wb_write(c, f->wb, p + done, n, off);
		if (r < 0)
			break;
		if (!r) {
			/* not buffered: the rest goes synchronously, after
			 * what was buffered */
			r = wb_flush(c, f->wb);
			break;
		}
		r = 0;
		off += n;
		done += n;
	}
	if (append && f->wb)
		r = wb_flush(c, f->wb);	/* the size must include them */
	while (!r && done < len) {
		size_t n = len - done > WRITE_CHUNK ? WRITE_CHUNK : len - done;

		r = write_chunk(f, p + done, n, &off, append);
		if (r)
			break;
		off += n;
		done += n;
	}
	*end = off;
	if (r && !done)
		return client_fail(c, r, "write %s: %s", f->path, strerror(-r));
	return (int64_t)done;
}

SIPHON_API int64_t siphon_read(struct siphon_file *f, void *buf, size_t len,
			       int64_t off)
{
	int64_t r;

	if (!f)
		return -EBADF;
	if (off >= 0)
		return file_read(f, buf, len, (uint64_t)off);
	pthread_mutex_lock(&f->lock);
	r = file_read(f, buf, len, f->pos);
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
		return file_write(f, buf, len, (uint64_t)off, false, &end);
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
	r = file_write(f, buf, len, f->pos, f->append, &end);
	if (r > 0)
		f->pos = end;
	pthread_mutex_unlock(&f->lock);
	return r;
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

SIPHON_API int siphon_fsync(struct siphon_file *f)
{
	struct siphon_client *c;
	unsigned timeout;
	int r;

	if (!f)
		return -EBADF;
	c = f->c;
	timeout = fs_request_timeout_ms(c);
	r = wb_sync_ino(c, f->ino);
	if (!r)
		r = mdsc_file_flush(c->mdsc, f->ino, timeout);
	if (!r)
		r = mdsc_sync_ino(c->mdsc, f->ino, timeout);
	if (r)
		return client_fail(c, r, "fsync %s: %s", f->path, strerror(-r));
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
	r = fs_run(c, req, "truncate", shown);
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

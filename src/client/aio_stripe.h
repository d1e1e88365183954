/* Striped file I/O without a waiting thread: one read or write of a byte
 * range of a file, cut into object ops by the file's layout and driven by
 * their completions (see aio_stripe.c). */
#ifndef SIPHON_CLIENT_AIO_STRIPE_H
#define SIPHON_CLIENT_AIO_STRIPE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mds/mdsc.h"

struct siphon_client;
struct sio_obj;

/* Objects in flight at once for one range: as one completes the next
 * goes out. */
#define SIO_WINDOW_OBJECTS 16

/* The caller fills the first block and calls sio_start(); done(s) runs
 * once every op has completed (on the loop thread, or inside sio_start()
 * when nothing could be sent), with s->err the first failure. The caller
 * holds the cap use the I/O runs under (Fr or Fw) until then. Reads fill
 * holes and objects that do not exist with zeros. */
struct sio {
	struct siphon_client *c;
	struct mdsc_io_state io;	/* layout, pool, truncation */
	uint8_t *buf;
	uint64_t off, len;
	bool write;
	bool readahead;			/* counted as read-ahead */
	void (*done)(struct sio *s);
	void *arg;			/* the caller's */

	int err;
	/* private */
	pthread_mutex_t lock;
	uint64_t mapped;		/* bytes of the range cut into ops */
	struct sio_obj *queue, **queue_tail;	/* cut, not yet sent */
	unsigned inflight;
	bool pumping, repump, ended;
	uint32_t mtime_sec, mtime_nsec;
};

void sio_start(struct sio *s);

#endif

/* epoll event loop with timers, work items and an eventfd to wake it. */
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"

#define LOOP_MAX_EVENTS 64

/* What epoll_event.data points at: one per registered fd. */
struct loop_fd {
	int fd;
	loop_fd_cb cb;
	void *arg;
	struct loop_fd *next;
};

struct loop {
	int epfd;
	int wakefd;
	pthread_t thread;
	bool running;
	bool stop;

	pthread_mutex_t lock;	/* guards timers, work and stop */
	struct loop_timer *timers;	/* sorted by due_ms */
	struct loop_work *work_head, *work_tail;
	struct loop_fd *fds;	/* loop thread only */
	struct loop_fd *dead;	/* unregistered, freed after the batch */
};

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void loop_wake(struct loop *l)
{
	uint64_t one = 1;
	ssize_t r;

	r = write(l->wakefd, &one, sizeof(one));
	(void)r;	/* EAGAIN means it is already awake */
}

struct loop *loop_create(void)
{
	struct loop *l = calloc(1, sizeof(*l));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!l)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ev.data.ptr = NULL;	/* NULL marks the wake fd */
	if (l->epfd < 0 || l->wakefd < 0 ||
	    epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) < 0) {
		if (l->epfd >= 0)
			close(l->epfd);
		if (l->wakefd >= 0)
			close(l->wakefd);
		free(l);
		return NULL;
	}
	return l;
}

bool loop_in_thread(const struct loop *l)
{
	return l->running && pthread_equal(pthread_self(), l->thread);
}

static struct loop_fd *loop_find_fd(struct loop *l, int fd)
{
	for (struct loop_fd *f = l->fds; f; f = f->next)
		if (f->fd == fd)
			return f;
	return NULL;
}

int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb,
		void *arg)
{
	struct loop_fd *f = calloc(1, sizeof(*f));
	struct epoll_event ev;

	if (!f)
		return -ENOMEM;
	f->fd = fd;
	f->cb = cb;
	f->arg = arg;
	ev.events = events;
	ev.data.ptr = f;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = -errno;

		free(f);
		return e;
	}
	f->next = l->fds;
	l->fds = f;
	return 0;
}

int loop_mod_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb,
		void *arg)
{
	struct loop_fd *f = loop_find_fd(l, fd);
	struct epoll_event ev;

	if (!f)
		return -ENOENT;
	f->cb = cb;
	f->arg = arg;
	ev.events = events;
	ev.data.ptr = f;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void loop_del_fd(struct loop *l, int fd)
{
	struct loop_fd **pp;

	for (pp = &l->fds; *pp; pp = &(*pp)->next) {
		if ((*pp)->fd == fd) {
			struct loop_fd *f = *pp;

			*pp = f->next;
			epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
			/* An event for f may still be pending in this
			 * batch: neuter it and free it after the batch. */
			f->fd = -1;
			f->cb = NULL;
			f->next = l->dead;
			l->dead = f;
			return;
		}
	}
}

void loop_timer_init(struct loop_timer *t, void (*cb)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
}

static void timer_unlink_locked(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	for (pp = &l->timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->armed = false;
	t->next = NULL;
}

void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t delay_ms)
{
	struct loop_timer **pp;

	pthread_mutex_lock(&l->lock);
	if (t->armed)
		timer_unlink_locked(l, t);
	t->due_ms = loop_now_ms() + delay_ms;
	for (pp = &l->timers; *pp && (*pp)->due_ms <= t->due_ms; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	pthread_mutex_unlock(&l->lock);
	if (!loop_in_thread(l))
		loop_wake(l);
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	pthread_mutex_lock(&l->lock);
	if (t->armed)
		timer_unlink_locked(l, t);
	pthread_mutex_unlock(&l->lock);
}

void loop_work_init(struct loop_work *w, void (*fn)(void *), void *arg)
{
	memset(w, 0, sizeof(*w));
	w->fn = fn;
	w->arg = arg;
}

void loop_queue_work(struct loop *l, struct loop_work *w)
{
	bool wake = false;

	pthread_mutex_lock(&l->lock);
	if (!w->queued) {
		w->queued = true;
		w->next = NULL;
		if (l->work_tail)
			l->work_tail->next = w;
		else
			l->work_head = w;
		l->work_tail = w;
		wake = true;
	}
	pthread_mutex_unlock(&l->lock);
	if (wake && !loop_in_thread(l))
		loop_wake(l);
}

void loop_cancel_work(struct loop *l, struct loop_work *w)
{
	struct loop_work **pp, *prev = NULL;

	pthread_mutex_lock(&l->lock);
	for (pp = &l->work_head; *pp; prev = *pp, pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			if (l->work_tail == w)
				l->work_tail = prev;
			w->queued = false;
			w->next = NULL;
			break;
		}
	pthread_mutex_unlock(&l->lock);
}

struct sync_call {
	void (*fn)(void *);
	void *arg;
	struct loop_work work;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void sync_call_run(void *arg)
{
	struct sync_call *sc = arg;

	sc->fn(sc->arg);
	pthread_mutex_lock(&sc->lock);
	sc->done = true;
	pthread_cond_signal(&sc->cond);
	pthread_mutex_unlock(&sc->lock);
}

void loop_run_sync(struct loop *l, void (*fn)(void *), void *arg)
{
	struct sync_call sc = { .fn = fn, .arg = arg };

	if (!l->running || loop_in_thread(l)) {
		fn(arg);
		return;
	}
	pthread_mutex_init(&sc.lock, NULL);
	pthread_cond_init(&sc.cond, NULL);
	loop_work_init(&sc.work, sync_call_run, &sc);
	loop_queue_work(l, &sc.work);
	pthread_mutex_lock(&sc.lock);
	while (!sc.done)
		pthread_cond_wait(&sc.cond, &sc.lock);
	pthread_mutex_unlock(&sc.lock);
	pthread_mutex_destroy(&sc.lock);
	pthread_cond_destroy(&sc.cond);
}

/* Runs due timers and queued work; returns the epoll timeout to use. */
static int loop_run_pending(struct loop *l)
{
	for (;;) {
		struct loop_timer *t = NULL;
		struct loop_work *w = NULL;
		uint64_t now = loop_now_ms();

		pthread_mutex_lock(&l->lock);
		if (l->work_head) {
			w = l->work_head;
			l->work_head = w->next;
			if (!l->work_head)
				l->work_tail = NULL;
			w->queued = false;
			w->next = NULL;
		} else if (l->timers && l->timers->due_ms <= now) {
			t = l->timers;
			timer_unlink_locked(l, t);
		} else {
			int timeout = -1;

			if (l->timers) {
				uint64_t d = l->timers->due_ms - now;

				timeout = d > 60000 ? 60000 : (int)d;
			}
			pthread_mutex_unlock(&l->lock);
			return timeout;
		}
		pthread_mutex_unlock(&l->lock);
		if (w)
			w->fn(w->arg);
		else
			t->cb(t->arg);
	}
}

static void *loop_thread(void *arg)
{
	struct loop *l = arg;
	struct epoll_event evs[LOOP_MAX_EVENTS];

	for (;;) {
		int timeout, n;

		timeout = loop_run_pending(l);
		pthread_mutex_lock(&l->lock);
		if (l->stop) {
			pthread_mutex_unlock(&l->lock);
			break;
		}
		pthread_mutex_unlock(&l->lock);
		n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout);
		if (n < 0 && errno != EINTR) {
			dout(LOG_MS, 0, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			struct loop_fd *f = evs[i].data.ptr;

			if (!f) {
				uint64_t v;
				ssize_t r = read(l->wakefd, &v, sizeof(v));

				(void)r;
				continue;
			}
			if (f->cb)
				f->cb(f->arg, evs[i].events);
		}
		while (l->dead) {
			struct loop_fd *f = l->dead;

			l->dead = f->next;
			free(f);
		}
	}
	return NULL;
}

int loop_start(struct loop *l)
{
	int r = pthread_create(&l->thread, NULL, loop_thread, l);

	if (r)
		return -r;
	l->running = true;
	return 0;
}

void loop_destroy(struct loop *l)
{
	if (!l)
		return;
	if (l->running) {
		pthread_mutex_lock(&l->lock);
		l->stop = true;
		pthread_mutex_unlock(&l->lock);
		loop_wake(l);
		pthread_join(l->thread, NULL);
	}
	while (l->fds) {
		struct loop_fd *f = l->fds;

		l->fds = f->next;
		free(f);
	}
	while (l->dead) {
		struct loop_fd *f = l->dead;

		l->dead = f->next;
		free(f);
	}
	close(l->epfd);
	close(l->wakefd);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

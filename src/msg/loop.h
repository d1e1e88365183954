/* The event loop: one thread, epoll over every socket of a client, plus
 * timers and work items that other threads queue for it. Everything that
 * touches a socket runs here; other threads hand work over with
 * loop_queue_work() and wait on their own condition variables. */
#ifndef SIPHON_MSG_LOOP_H
#define SIPHON_MSG_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

typedef void (*loop_fd_cb)(void *arg, uint32_t events);

/* An intrusive timer; arm and cancel from any thread. The callback runs
 * on the loop thread with no loop lock held. */
struct loop_timer {
	uint64_t due_ms;
	void (*cb)(void *arg);
	void *arg;
	struct loop_timer *next;
	bool armed;
};

/* An intrusive work item: queued once until it runs, from any thread. */
struct loop_work {
	void (*fn)(void *arg);
	void *arg;
	struct loop_work *next;
	bool queued;
};

uint64_t loop_now_ms(void);		/* CLOCK_MONOTONIC in ms */

struct loop *loop_create(void);
int loop_start(struct loop *l);		/* starts the thread */
/* Stops the thread (waits for it) and frees the loop. Registered fds are
 * not closed: their owners do that first. */
void loop_destroy(struct loop *l);
bool loop_in_thread(const struct loop *l);

/* fd registration, loop thread only. events are EPOLLIN/EPOLLOUT bits. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb,
		void *arg);
int loop_mod_fd(struct loop *l, int fd, uint32_t events, loop_fd_cb cb,
		void *arg);
void loop_del_fd(struct loop *l, int fd);

void loop_timer_init(struct loop_timer *t, void (*cb)(void *), void *arg);
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t delay_ms);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

void loop_work_init(struct loop_work *w, void (*fn)(void *), void *arg);
void loop_queue_work(struct loop *l, struct loop_work *w);
/* Removes w from the queue if it has not run yet. */
void loop_cancel_work(struct loop *l, struct loop_work *w);

/* Runs fn(arg) on the loop thread and waits for it to return (runs it
 * directly when called on the loop thread). */
void loop_run_sync(struct loop *l, void (*fn)(void *), void *arg);

#endif

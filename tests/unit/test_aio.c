/* The asynchronous core without a cluster: operations kicked from their
 * own step and from other threads never run their step twice at once,
 * callbacks wait for siphon_service() once there is an event fd (and
 * never run inside the call that started them), blocking waits, and
 * parked operations woken by a notification. */
#include "test.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "client/aio.h"
#include "client/client.h"
#include "msg/messenger.h"
#include "siphon/siphon.h"

struct top {
	struct aio_op op;
	int runs, inside, overlaps;
	int target;			/* finish after this many runs */
	int self_kicks;			/* kicks from inside the step */
	pthread_t helper;
	bool helper_started;
	unsigned delay_us;		/* the helper's wait before kicking */
	int flag;			/* for park tests */
	int64_t got;
};

static void top_release(struct aio_op *op)
{
	pthread_mutex_destroy(&op->lock);
	free(op);
}

static void *kick_later(void *arg)
{
	struct top *t = arg;

	if (t->delay_us)
		usleep(t->delay_us);
	aio_kick(&t->op);
	return NULL;
}

/* Counts its runs; until the target, each run starts a "wait" that a
 * helper thread ends by kicking (sometimes before the step returns). */
static void top_step(struct aio_op *op)
{
	struct top *t = (struct top *)op;

	if (__atomic_add_fetch(&t->inside, 1, __ATOMIC_SEQ_CST) > 1)
		t->overlaps++;
	t->runs++;
	if (t->self_kicks) {
		t->self_kicks--;
		aio_kick(op);		/* re-entry: must not recurse */
	} else if (t->runs < t->target) {
		pthread_t th;

		if (pthread_create(&th, NULL, kick_later, t) == 0)
			pthread_detach(th);
		usleep(t->runs % 3 ? 0 : 200);	/* let it race us */
	} else {
		aio_finish(op, t->runs);
	}
	__atomic_sub_fetch(&t->inside, 1, __ATOMIC_SEQ_CST);
}

static struct top *top_new(struct siphon_client *c, int target)
{
	struct top *t = calloc(1, sizeof(*t));

	aio_op_init(&t->op, c, top_step, top_release);
	t->target = target;
	return t;
}

TEST(kick_from_inside_the_step_runs_it_again_not_nested)
{
	struct siphon_client *c;
	struct top *t;

	CHECK_EQ(siphon_create(&c, NULL), 0);
	t = top_new(c, 4);
	t->self_kicks = 3;
	CHECK_EQ(aio_op_run(&t->op), 4);
	CHECK_EQ(t->runs, 4);
	CHECK_EQ(t->overlaps, 0);
	top_release(&t->op);
	siphon_release(c);
}

TEST(kicks_from_other_threads_never_overlap)
{
	struct siphon_client *c;

	CHECK_EQ(siphon_create(&c, NULL), 0);
	for (int i = 0; i < 20; i++) {
		struct top *t = top_new(c, 50);

		CHECK_EQ(aio_op_run(&t->op), 50);
		CHECK_EQ(t->overlaps, 0);
		top_release(&t->op);
	}
	siphon_release(c);
}

struct slot {
	int64_t result;
	int calls;
	pthread_t thread;
};

static int in_submit;
static int calls_in_submit;

static void on_done(struct siphon_client *c, int64_t result, void *arg)
{
	struct slot *s = arg;

	s->result = result;
	s->calls++;
	s->thread = pthread_self();
	if (in_submit)
		calls_in_submit++;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

TEST(event_fd_callbacks_run_only_in_service)
{
	enum { N = 100 };
	static struct slot s[N];
	struct siphon_client *c;
	int fd, ran = 0;

	CHECK_EQ(siphon_create(&c, NULL), 0);
	CHECK_EQ(siphon_service(c), -EINVAL);	/* no event fd yet */
	fd = siphon_event_fd(c);
	CHECK(fd >= 0);
	CHECK_EQ(siphon_event_fd(c), fd);
	CHECK(!readable(fd, 0));
	in_submit = 1;
	for (int i = 0; i < N; i++) {
		/* half end in their first step, half on a helper thread */
		struct top *t = top_new(c, i % 2 ? 1 : 3);

		aio_op_start(&t->op, on_done, &s[i]);
	}
	in_submit = 0;
	CHECK_EQ(calls_in_submit, 0);
	for (int i = 0; i < N; i++)
		CHECK_EQ(s[i].calls, 0);
	while (ran < N) {
		int n;

		CHECK(readable(fd, 5000));
		n = siphon_service(c);
		CHECK(n >= 0);
		if (n <= 0 && !readable(fd, 5000))
			break;
		ran += n;
	}
	CHECK_EQ(ran, N);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(s[i].calls, 1);
		CHECK_EQ(s[i].result, i % 2 ? 1 : 3);
		CHECK(pthread_equal(s[i].thread, pthread_self()));
	}
	CHECK_EQ(siphon_service(c), 0);
	CHECK(!readable(fd, 0));
	siphon_release(c);
}

/* Not yet, until t->flag is set. */
static int try_flag(struct aio_op *op, void *arg)
{
	struct top *t = (struct top *)op;

	return __atomic_load_n(&t->flag, __ATOMIC_ACQUIRE) ? 7 : -ETIMEDOUT;
}

static void park_step(struct aio_op *op)
{
	struct top *t = (struct top *)op;
	int r;

	t->runs++;
	r = aio_try_or_park(op, 42, try_flag, NULL);
	if (r == -EINPROGRESS)
		return;
	aio_finish(op, r);
}

struct waker {
	struct siphon_client *c;
	struct top *t;
	uint64_t ino;
};

static void *set_and_wake(void *arg)
{
	struct waker *w = arg;

	usleep(20000);
	__atomic_store_n(&w->t->flag, 1, __ATOMIC_RELEASE);
	aio_wake_ino(w->c, w->ino);
	return NULL;
}

static struct siphon_client *client_with_loop(void)
{
	struct siphon_client *c;

	if (siphon_create(&c, NULL))
		return NULL;
	/* the retry timer runs on a loop: give the client one */
	c->msgr = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	return c;
}

TEST(parked_operation_woken_by_its_inode)
{
	struct siphon_client *c = client_with_loop();
	struct waker w;
	pthread_t th;
	uint64_t t0;

	CHECK(c && c->msgr);
	w.c = c;
	w.ino = 42;
	w.t = calloc(1, sizeof(*w.t));
	aio_op_init(&w.t->op, c, park_step, top_release);
	pthread_create(&th, NULL, set_and_wake, &w);
	t0 = loop_now_ms();
	CHECK_EQ(aio_op_run(&w.t->op), 7);
	/* woken by the notification, not the 100 ms retry */
	CHECK(loop_now_ms() - t0 < 90);
	CHECK(w.t->runs >= 2);
	pthread_join(th, NULL);
	top_release(&w.t->op);
	siphon_release(c);
}

TEST(parked_operation_retried_without_a_notification)
{
	struct siphon_client *c = client_with_loop();
	struct waker w;
	pthread_t th;

	CHECK(c && c->msgr);
	w.c = c;
	w.ino = 7;		/* another inode: only the timer retries */
	w.t = calloc(1, sizeof(*w.t));
	aio_op_init(&w.t->op, c, park_step, top_release);
	pthread_create(&th, NULL, set_and_wake, &w);
	CHECK_EQ(aio_op_run(&w.t->op), 7);
	pthread_join(th, NULL);
	top_release(&w.t->op);
	siphon_release(c);
}

TEST(parked_operation_times_out)
{
	struct siphon_client *c = client_with_loop();
	struct top *t = calloc(1, sizeof(*t));
	uint64_t t0 = loop_now_ms();

	CHECK(c && c->msgr);
	CHECK_EQ(siphon_conf_set(c, "client_request_timeout", "0.3"), 0);
	aio_configure(c);	/* as at mount */
	aio_op_init(&t->op, c, park_step, top_release);
	CHECK_EQ(aio_op_run(&t->op), -ETIMEDOUT);
	CHECK(loop_now_ms() - t0 >= 290);
	CHECK(loop_now_ms() - t0 < 3000);
	top_release(&t->op);
	siphon_release(c);
}

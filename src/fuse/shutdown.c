/* A bound on how long siphon-fuse takes to stop after SIGTERM, SIGINT or
 * SIGHUP, whatever state the cluster is in.
 *
 * libfuse's handlers end the session loop, but the loop then waits for
 * every worker thread, and a worker inside a siphon call waits for the
 * cluster: with the MDSs or OSDs gone that is the call's own timeout
 * (minutes). So a handler of ours, put in front of libfuse's, notes the
 * signal, and a watchdog thread gives what is in flight SHUTDOWN_GRACE_MS
 * to finish normally (buffered writes reaching the OSDs, MDS sessions
 * closed politely) before it calls siphon_abort(): everything still in
 * flight then fails at once, and unmounting neither writes back nor waits.
 * A second signal aborts at once. fusermount3 -u alone never aborts: the
 * daemon stops as soon as its calls end, which each do within their own
 * timeouts, and no buffered write is given up. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "sfuse.h"

#define SHUTDOWN_GRACE_MS 4000
#define POLL_MS 100

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };

static volatile sig_atomic_t signals_seen;
static struct sigaction chained[3];	/* libfuse's, called after ours */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct siphon_client *c;
	bool done, started;
} watch = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void on_stop_signal(int sig)
{
	signals_seen++;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (stop_signals[i] == sig && chained[i].sa_handler != SIG_DFL &&
		    chained[i].sa_handler != SIG_IGN)
			chained[i].sa_handler(sig);
}

static void deadline_in(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *watch_main(void *arg)
{
	struct timespec t, end;
	int seen;

	(void)arg;
	pthread_mutex_lock(&watch.lock);
	/* a signal handler cannot wake a condition variable: look often */
	while (!watch.done && !signals_seen) {
		deadline_in(&t, POLL_MS);
		pthread_cond_timedwait(&watch.cond, &watch.lock, &t);
	}
	seen = signals_seen;
	deadline_in(&end, SHUTDOWN_GRACE_MS);
	for (;;) {
		if (watch.done || !seen)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (!before(&t, &end) || signals_seen > seen) {
			dout(LOG_FUSE, 0, "still stopping %u ms after a "
			     "signal%s: failing what is in flight",
			     SHUTDOWN_GRACE_MS, signals_seen > seen ?
			     ", and signalled again" : "");
			pthread_mutex_unlock(&watch.lock);
			siphon_abort(watch.c);
			return NULL;
		}
		deadline_in(&t, POLL_MS);
		pthread_cond_timedwait(&watch.cond, &watch.lock, &t);
	}
	pthread_mutex_unlock(&watch.lock);
	return NULL;
}

int sf_shutdown_watch_start(struct sf *s)
{
	pthread_condattr_t ca;
	struct sigaction sa;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&watch.cond);
	pthread_cond_init(&watch.cond, &ca);
	pthread_condattr_destroy(&ca);
	watch.c = s->c;
	watch.done = false;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigaction(stop_signals[i], &sa, &chained[i]))
			return -errno;
	if (pthread_create(&watch.thread, NULL, watch_main, NULL))
		return -EAGAIN;
	watch.started = true;
	return 0;
}

void sf_shutdown_watch_stop(void)
{
	if (!watch.started)
		return;
	pthread_mutex_lock(&watch.lock);
	watch.done = true;
	pthread_cond_signal(&watch.cond);
	pthread_mutex_unlock(&watch.lock);
	pthread_join(watch.thread, NULL);
	watch.started = false;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &chained[i], NULL);
}

/* Absolute CLOCK_REALTIME deadlines for pthread_cond_timedwait(). */
#ifndef SIPHON_COMMON_DEADLINE_H
#define SIPHON_COMMON_DEADLINE_H

#include <time.h>

static inline struct timespec deadline_after(unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

#endif

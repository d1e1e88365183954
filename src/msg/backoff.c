/* Reconnect pacing (see backoff.h). */
#include "backoff.h"

void backoff_init(struct backoff *b, unsigned initial_ms, unsigned max_ms)
{
	b->initial_ms = initial_ms ? initial_ms : 1;
	b->max_ms = max_ms < b->initial_ms ? b->initial_ms : max_ms;
	b->next_ms = b->initial_ms;
}

void backoff_reset(struct backoff *b)
{
	b->next_ms = b->initial_ms;
}

unsigned backoff_after_fault(struct backoff *b, bool was_open)
{
	unsigned wait;

	if (was_open) {
		backoff_reset(b);
		return 0;
	}
	wait = b->next_ms;
	b->next_ms = wait > b->max_ms / 2 ? b->max_ms : wait * 2;
	return wait;
}

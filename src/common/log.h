/* Leveled logging per subsystem, like Ceph's `debug ms = 1`. Off by
 * default; levels are set from config or the command line and lines go
 * to stderr or a log file, each stamped with time, thread and subsystem. */
#ifndef SIPHON_COMMON_LOG_H
#define SIPHON_COMMON_LOG_H

#include <stdio.h>

enum log_subsys {
	LOG_MS,		/* messenger */
	LOG_AUTH,
	LOG_MONC,
	LOG_OSDC,
	LOG_MDSC,
	LOG_CLIENT,
	LOG_FUSE,
	LOG_SUBSYS_MAX
};

extern int log_levels[LOG_SUBSYS_MAX];

/* "ms", "auth", "monc", "osdc", "mdsc", "client", "fuse" (Ceph's names
 * "debug_ms", "debug_monc" also work); -ENOENT for an unknown one. */
int log_set_level(const char *subsys, int level);
/* Where lines go: NULL or "-" for stderr, else a file opened for append. */
int log_set_file(const char *path);

void log_write(enum log_subsys s, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define dout(subsys, level, ...)                                  \
	do {                                                      \
		if (__builtin_expect(log_levels[subsys] >= (level), 0)) \
			log_write(subsys, level, __VA_ARGS__);    \
	} while (0)

#endif

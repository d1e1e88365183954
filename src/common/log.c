/* Log sink: one mutex-free fprintf per line (stdio locks the stream). */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* -1: silent, so a library prints nothing unless asked to */
int log_levels[LOG_SUBSYS_MAX] = { -1, -1, -1, -1, -1, -1, -1 };
static FILE *log_fp;

static const char *const subsys_names[LOG_SUBSYS_MAX] = {
	[LOG_MS] = "ms", [LOG_AUTH] = "auth", [LOG_MONC] = "monc",
	[LOG_OSDC] = "osdc", [LOG_MDSC] = "mdsc", [LOG_CLIENT] = "client",
	[LOG_FUSE] = "fuse",
};

int log_set_level(const char *subsys, int level)
{
	if (!strncmp(subsys, "debug_", 6) || !strncmp(subsys, "debug ", 6))
		subsys += 6;
	for (int i = 0; i < LOG_SUBSYS_MAX; i++)
		if (!strcmp(subsys, subsys_names[i])) {
			log_levels[i] = level;
			return 0;
		}
	return -ENOENT;
}

int log_set_file(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-")) {
		log_fp = NULL;
		return 0;
	}
	f = fopen(path, "a");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_fp = f;
	return 0;
}

void log_write(enum log_subsys s, int level, const char *fmt, ...)
{
	FILE *f = log_fp ? log_fp : stderr;
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld %ld %s %d %s\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000,
		(long)syscall(SYS_gettid), subsys_names[s], level, line);
}

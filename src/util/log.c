#include "util/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

/* Lines come from more than one thread (the daemon's and the API's):
 * one at a time, and the target does not change under a line. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int current = LOG_INFO;
static const char *const names[] = { "error", "warn", "info", "debug" };
static FILE *out_file;		/* NULL: stderr */
static bool to_syslog;

void
log_set_level(enum log_level lvl)
{
	current = lvl;
}

int
log_level_parse(const char *s)
{
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void
close_target(void)
{
	if (out_file != NULL)
		fclose(out_file);
	out_file = NULL;
	if (to_syslog)
		closelog();
	to_syslog = false;
}

void
log_to_stderr(void)
{
	pthread_mutex_lock(&mu);
	close_target();
	pthread_mutex_unlock(&mu);
}

bool
log_to_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "a");

	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open for appending: %s", path,
		    strerror(errno));
		return false;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&mu);
	close_target();
	out_file = f;
	pthread_mutex_unlock(&mu);
	return true;
}

void
log_to_syslog(const char *ident)
{
	pthread_mutex_lock(&mu);
	close_target();
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	to_syslog = true;
	pthread_mutex_unlock(&mu);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	FILE *f;
	char ts[32];
	struct timespec now;
	struct tm tm;
	va_list ap;

	if ((int)lvl > current || lvl < LOG_ERROR)
		return;
	va_start(ap, fmt);
	pthread_mutex_lock(&mu);
	if (to_syslog) {
		vsyslog(prio[lvl], fmt, ap);
		pthread_mutex_unlock(&mu);
		va_end(ap);
		return;
	}
	f = out_file != NULL ? out_file : stderr;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03ldZ %-5s ", ts, now.tv_nsec / 1000000, names[lvl]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	pthread_mutex_unlock(&mu);
	va_end(ap);
}
